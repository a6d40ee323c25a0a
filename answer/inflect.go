package answer

import (
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

// Questions with do-support ("when did the strike end") and questions
// whose subject is a plain noun phrase ("when will the ward close") are put
// in indirect order by finding the main verb after the subject and, for
// "did" and "does", inflecting it: "when the strike ended", "whether the
// company plans to …". English verbs are regular but for a closed list,
// which retrieval.IrregularPast holds; newsVerbs holds common base forms,
// to tell the verb among the words after a subject such as "the chlorine
// leak".

// newsVerbs are common base forms of verbs; nounToo marks the ones that
// are as often nouns ("damage", "cost", "report").
var newsVerbs = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`accept accuse achieve acquire act add address admit adopt affect agree aim allow
	announce apologise apologize appeal appear apply appoint approve argue arrest arrive ask assess attend avoid award
	ban block blame borrow buy call cancel care carry cause celebrate change charge cheat claim clear close collapse
	collect comment commit compare compete complain complete confirm consider contain continue contribute convict
	cooperate cover crash create criticise criticize cross damage decide decline defeat defend delay deliver deny
	depart describe destroy detain die disappear discover discuss dismiss dispute donate drop earn elect emerge end
	enter escape evacuate exist expand expect explain explode extend face fail fight file finish fire flood focus
	force fund gain grant happen help hire hope identify ignore improve include increase injure insist intend
	introduce investigate invite involve join judge jump kill land last launch leak learn like limit list live look
	manage marry merge miss move name need negotiate nominate notice notify object obtain occur offer open operate
	order organise organize own pass perform plan play plead plunge post postpone prepare present prevent produce
	promise propose protect protest provide publish pull purchase push qualify question raise reach react receive
	recognise recognize recommend record recover reduce refuse reject release rely remain remove repair replace reply
	require rescue resign respond rest restore retire return reveal review rule sack save score seize serve settle
	sign solve start stay step stop struggle sue suffer suggest support surrender survive suspend switch target
	testify threaten touch trade train transfer travel treat try turn unveil urge use vanish visit vote wait walk
	want warn watch withdraw work worry dump spill pollute divert embezzle bribe smuggle poison discharge defraud
	launder abuse assault rob murder kidnap evade hack breach bury escape expire reopen relocate tighten
	loosen lower boost double triple halve freeze unfreeze reverse overturn uphold veto sign pardon extradite
	deport acquit sentence jail imprison fine penalise penalize suspend reinstate demote promote`) {
		newsVerbs[w] = true
	}
	for _, w := range strings.Fields(`cost cut set light lie hit bid deal spread split cast show damage fund plan vote
	fire file list name order post question record release report rest rule score sign step trade train treat watch
	work charge leak target review change increase land last end start judge object present protest purchase repair
	support transfer travel turn walk want fight drop crash flood use need hope appeal award ban block claim
	comment cover delay dispute face force help issue look offer pass promise raise rescue return search strike
	attack visit wait worry sentence fine hack breach abuse assault escape freeze veto double spill dump grant
	loan award deal rise fall`) {
		newsVerbs[w] = true
		nounToo[w] = true
	}
}

// knownVerb reports a base form of newsVerbs or of an irregular verb.
func knownVerb(w string) bool {
	_, irregular := retrieval.IrregularPast(w)
	return newsVerbs[w] || irregular
}

// nounToo are newsVerbs that are often nouns too. Among the words after a
// subject the first plain verb is the verb ("did the state pension fund
// lose money", "did the team stop play"); with none, the last of these
// ("did the chlorine leak start").
var nounToo = map[string]bool{}

// pastTense returns the past tense of a verb's base form.
func pastTense(v string) string {
	if p, ok := retrieval.IrregularPast(v); ok {
		return p
	}
	switch n := len(v); {
	case strings.HasSuffix(v, "e"):
		return v + "d"
	case n > 1 && strings.HasSuffix(v, "y") && !isVowel(rune(v[n-2])):
		return v[:n-1] + "ied"
	case doublesFinal(v):
		return v + v[len(v)-1:] + "ed"
	}
	return v + "ed"
}

// thirdPerson returns the present tense of a verb's base form for he, she
// or it.
func thirdPerson(v string) string {
	switch n := len(v); {
	case v == "have":
		return "has"
	case v == "be":
		return "is"
	case n > 1 && strings.HasSuffix(v, "y") && !isVowel(rune(v[n-2])):
		return v[:n-1] + "ies"
	case strings.HasSuffix(v, "s"), strings.HasSuffix(v, "x"), strings.HasSuffix(v, "z"),
		strings.HasSuffix(v, "ch"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "o"):
		return v + "es"
	}
	return v + "s"
}

// doublesFinal reports whether a verb doubles its last consonant before
// "-ed": a one-syllable verb ending consonant, vowel, consonant ("stop",
// "plan"), and the longer verbs stressed on their last syllable.
func doublesFinal(v string) bool {
	if stressedLast[v] {
		return true
	}
	n := len(v)
	if n < 3 || strings.ContainsRune("wxy", rune(v[n-1])) {
		return false
	}
	if isVowel(rune(v[n-1])) || !isVowel(rune(v[n-2])) || isVowel(rune(v[n-3])) {
		return false
	}
	syllables := 0
	for i, r := range v {
		if isVowel(r) && (i == 0 || !isVowel(rune(v[i-1]))) {
			syllables++
		}
	}
	return syllables == 1
}

var stressedLast = map[string]bool{"admit": true, "commit": true, "occur": true, "refer": true, "prefer": true,
	"permit": true, "submit": true, "omit": true, "regret": true, "control": true, "patrol": true, "compel": true,
	"expel": true, "propel": true, "transfer": true, "equip": true, "confer": true, "deter": true, "incur": true,
	"rebel": true, "acquit": true, "recur": true, "defer": true, "infer": true, "emit": true, "transmit": true}

func isVowel(r rune) bool { return strings.ContainsRune("aeiou", r) }

// verbAfterSubject finds, in the words after an inverted auxiliary, where
// the subject ends and where its verb stands (adverbs may come between:
// "did she ever say"); ok is false when either is unclear. A pronoun or a
// name's capitalised words is the subject, and the next word that is no
// adverb its verb. A noun phrase ("the chlorine leak", "the mayor of
// Ashby", "voters") runs to its verb, found among the words before the
// next determiner, pronoun, "to" or name (see nounToo), or, when none is
// in newsVerbs, the word just before that boundary if it can be a verb's
// base form.
func verbAfterSubject(rest []string) (subj, verb int, ok bool) {
	if len(rest) < 2 {
		return 0, 0, false
	}
	first := []rune(rest[0])
	switch {
	case indefinites[rest[0]] || subjectPronouns[rest[0]]:
		subj = 1
	case unicode.IsUpper(first[0]):
		subj = subjectEnd(rest)
		next := subj
		if !possessive(rest[subj-1]) && (next >= len(rest) || adverbs[rest[next]] || knownVerb(rest[next]) && !nounToo[rest[next]]) {
			break
		}
		// "Osei's lawyer", "Aldmoor home sales drop": a noun phrase, unless
		// none of its words is a verb of newsVerbs and the word after the
		// name can be one ("did Martin Greer divert donations").
		if s, v, known, ok := nounPhraseVerb(rest); ok && (known || possessive(rest[subj-1]) || next >= len(rest) || !baseForm(rest[next])) {
			return s, v, true
		}
		if next >= len(rest) || !baseForm(rest[next]) {
			return 0, 0, false
		}
	default:
		s, v, _, ok := nounPhraseVerb(rest)
		return s, v, ok
	}
	verb = subj
	for verb < len(rest) && adverbs[rest[verb]] {
		verb++
	}
	if verb >= len(rest) || !baseForm(rest[verb]) {
		return 0, 0, false
	}
	return subj, verb, true
}

// nounPhraseVerb is verbAfterSubject for a subject that is a noun phrase;
// known reports a verb of newsVerbs, not a guess at the last word.
func nounPhraseVerb(rest []string) (subj, verb int, known, ok bool) {
	from := 1 // the first word that may be the verb
	if determiners[rest[0]] || possessive(rest[0]) {
		from = 2
	}
	end := len(rest)
	for i := from; i < len(rest); i++ {
		w := rest[i]
		prev := rest[i-1]
		// A capitalised word continues a name in the subject ("the Harbor
		// City council", "the mayor of Ashby") but after any other word
		// it is the object ("did the court fine Kestrel").
		name := unicode.IsUpper([]rune(w)[0])
		inName := name && (determiners[prev] || unicode.IsUpper([]rune(prev)[0]) || prev == "of")
		if determiners[w] || w == "to" || subjectPronouns[w] || objectPronouns[w] || indefinites[w] || name && !inName {
			end = i
			break
		}
	}
	verb = -1
	for i := from; i < end; i++ {
		if w := rest[i]; knownVerb(w) && !nounToo[w] {
			verb = i
			break
		} else if knownVerb(w) {
			verb = i
		}
	}
	known = verb >= 0
	if verb < 0 && end-1 >= from && baseForm(rest[end-1]) && !knownVerb(rest[end-1]) {
		verb = end - 1 // a verb the list lacks: "when did the company rebrand"
	}
	if verb < 0 {
		return 0, 0, false, false
	}
	subj = verb
	for subj > 1 && adverbs[rest[subj-1]] {
		subj--
	}
	return subj, verb, known, true
}

var objectPronouns = map[string]bool{"him": true, "her": true, "them": true, "us": true, "me": true}

// baseForm reports whether w can be a verb's base form: a lowercase word,
// not a plural or a past form, no preposition, adverb or other function
// word.
func baseForm(w string) bool {
	if w == "" || knownVerb(w) {
		return w != ""
	}
	if !unicode.IsLower([]rune(w)[0]) || strings.ContainsAny(w, "'’,.0123456789") {
		return false
	}
	if strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") {
		return false
	}
	return !trailingPrepositions[w] && !adverbs[w] && !determiners[w] && !questionWords[w] && !auxiliaries[w] &&
		!particles[w] && w != "and" && w != "or"
}

var particles = map[string]bool{"up": true, "down": true, "off": true, "out": true, "over": true, "back": true,
	"away": true, "into": true, "by": true, "after": true, "before": true, "ago": true, "here": true, "there": true}
