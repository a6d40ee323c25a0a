// Package answer turns a question and the passages retrieved for it into an
// Answer: every claim cited to exact article text, and every part of the
// question the passages leave open listed as not covered.
package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

// Kind is what sort of answer a question part asks for.
type Kind string

// The kinds of question storybot understands.
const (
	Who        Kind = "who"        // a person or organisation
	Definition Kind = "definition" // who or what someone or something is
	When       Kind = "when"       // a date or time
	Where      Kind = "where"      // a place
	HowMany    Kind = "how_many"   // a count of the focus noun
	HowMuch    Kind = "how_much"   // an amount, usually money
	HowLong    Kind = "how_long"   // a duration
	Why        Kind = "why"        // a reason
	Say        Kind = "say"        // what someone said
	What       Kind = "what"       // anything that adds to the question
	YesNo      Kind = "yes_no"     // a statement to confirm
)

// Question is an analysed question.
type Question struct {
	Text  string
	Parts []Part
}

// Part is one thing the question asks ("Who replaced Baccio, and why did he
// resign?" has two).
type Part struct {
	// Text is the part in plain words, as the not-covered list shows it.
	Text string
	// Asked is the part in the asker's words, lowercased at its start and
	// with no closing punctuation, for the rules that read its wording.
	Asked    string
	Kind     Kind
	Concepts []Concept
	// Context holds names from earlier parts that a pronoun in this part
	// refers to; they help ranking but are not required.
	Context []Concept
}

// Concept is one idea of a question part, with every way a passage may
// phrase it.
type Concept struct {
	Label string
	// Alts are term sequences (see retrieval.Term), any of which matches.
	Alts [][]string
	// Name marks proper names, which may be matched anywhere in the
	// article (a later sentence says "he").
	Name bool
	// Start and End place the concept's words in the question's tokens.
	Start, End int
}

// fillers are question words that ask rather than carry content.
var fillers = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`who whom whose what when where why how which is are was were be been being
	do does did done doing has have had can could will would should shall may might must happen happened occur
	occurred know tell us me about anything something news story stories latest update report reported say
	any there many much few make made get got anyone anybody someone somebody everyone everybody nobody`) {
		fillers[retrieval.Term(w)] = true
	}
}

var questionWords = map[string]bool{"who": true, "whom": true, "whose": true, "what": true, "when": true,
	"where": true, "why": true, "how": true, "which": true}

var auxiliaries = map[string]bool{"is": true, "are": true, "was": true, "were": true, "do": true, "does": true,
	"did": true, "has": true, "have": true, "had": true, "can": true, "could": true, "will": true, "would": true,
	"should": true, "may": true, "might": true, "must": true, "shall": true}

var pronouns = map[string]bool{"he": true, "she": true, "they": true, "him": true, "her": true, "his": true,
	"their": true, "them": true, "it": true, "its": true}

// Analyze splits a question into parts and finds each part's kind and
// concepts. th expands abbreviations and synonyms; it may be nil.
func Analyze(q string, th *retrieval.Thesaurus) Question {
	out := Question{Text: strings.TrimSpace(q)}
	// A statement before the question ("The Spurs won the lottery this
	// week. Who did they pick last time?") sets the scene: its words help
	// find passages but an answer need not repeat them.
	asked, scene := splitScene(out.Text)
	var names []Concept
	for _, text := range splitParts(asked) {
		// "By how much did Okafor win?" asks what "How much did Okafor
		// win by?" does.
		if m := byHowRe.FindStringSubmatch(text); m != nil {
			text = "how " + m[1] + m[2] + " by" + m[3]
		}
		kinds := kindsOf(text)
		for _, k := range kinds {
			p := analyzePart(text, k, th)
			if hasPronoun(text) {
				p.Context = append(p.Context, names...)
			}
			for _, c := range p.Concepts {
				if c.Name {
					names = append(names, c)
				}
			}
			if len(kinds) > 1 {
				// "when and where did it happen" → "when did it happen".
				f := strings.Fields(text)
				p.Asked = plain(kindWord(k) + " " + strings.Join(f[3:], " "))
				p.Text = indirect(p.Asked)
			}
			out.Parts = append(out.Parts, p)
		}
	}
	if scene != "" {
		for i := range out.Parts {
			out.Parts[i].Context = append(out.Parts[i].Context, analyzePart(scene, What, th).Concepts...)
		}
	}
	return out
}

// splitScene separates the sentences that ask from the statements before
// them. A question of one sentence, or of statements only, is all asked.
func splitScene(q string) (asked, scene string) {
	ss := retrieval.Sentences(q)
	if len(ss) < 2 {
		return q, ""
	}
	for i, sp := range ss {
		s := q[sp.Start:sp.End]
		if strings.HasSuffix(strings.TrimSpace(s), "?") || strings.HasSuffix(strings.TrimSpace(s), ":") {
			if i == 0 {
				return q, ""
			}
			return q[sp.Start:], strings.TrimSpace(q[:sp.Start])
		}
	}
	return q, ""
}

// splitParts cuts a question at ";", "?" and at ", and"/"and" that start a
// new question ("…, and where was …").
func splitParts(q string) []string {
	var parts []string
	for _, chunk := range strings.FieldsFunc(q, func(r rune) bool { return r == '?' || r == ';' }) {
		words := strings.Fields(chunk)
		start := 0
		for i := 1; i+1 < len(words); i++ {
			w := strings.ToLower(strings.Trim(words[i], ",."))
			if w != "and" && w != "also" && w != "but" {
				continue
			}
			next := strings.ToLower(strings.Trim(words[i+1], ",."))
			if !questionWords[next] && !auxiliaries[next] {
				continue
			}
			if i-start < 2 {
				continue // "when and where": one part, two kinds
			}
			parts = append(parts, strings.Join(words[start:i], " "))
			start = i + 1
		}
		parts = append(parts, strings.Join(words[start:], " "))
	}
	var out []string
	for _, p := range parts {
		p = strings.Trim(strings.TrimSpace(p), ",.!:")
		if len(retrieval.Tokens(p)) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// kindsOf finds what a part asks for; "when and where did …" asks two.
func kindsOf(text string) []Kind {
	words := lowerWords(text)
	if len(words) == 0 {
		return []Kind{What}
	}
	if len(words) > 2 && leadingPrepositions[words[0]] && questionWords[words[1]] {
		words = words[1:] // "in which year …", "for how long …"
	}
	if len(words) > 2 && questionWords[words[0]] && words[1] == "and" && questionWords[words[2]] {
		return []Kind{kindAt(words[0:]), kindAt(words[2:])}
	}
	return []Kind{kindAt(words)}
}

func kindAt(words []string) Kind {
	w0 := words[0]
	w1 := ""
	if len(words) > 1 {
		w1 = words[1]
	}
	rest := strings.Join(words, " ")
	switch {
	case w0 == "who" || w0 == "whom" || w0 == "whose":
		// "Who is Jane Doe?" asks what she is; "who is the Northgate
		// spokesperson?" asks for a person.
		if (w1 == "is" || w1 == "was" || w1 == "are" || w1 == "were") && len(words) <= 5 && !strings.Contains(rest, " by ") && !namesRole(words[2:]) &&
			verbGroupAt(words[2:]) != 0 { // "who is buying Arbor" asks who does it
			return Definition
		}
		return Who
	case strings.HasPrefix(rest, "what is the name of") || strings.HasPrefix(rest, "what was the name of") ||
		strings.HasPrefix(rest, "what's the name of"):
		return Who // the name of someone is who they are
	case w0 == "when" || strings.HasPrefix(rest, "what time") || strings.HasPrefix(rest, "what date") ||
		strings.HasPrefix(rest, "what day") || strings.HasPrefix(rest, "what year") || strings.HasPrefix(rest, "what month") ||
		strings.HasPrefix(rest, "since when") || strings.HasPrefix(rest, "how long ago") || strings.HasPrefix(rest, "which year") ||
		strings.HasPrefix(rest, "which month") || strings.HasPrefix(rest, "which day"):
		return When
	case w0 == "where" || strings.HasPrefix(rest, "what city") || strings.HasPrefix(rest, "what country") ||
		strings.HasPrefix(rest, "what state") || strings.HasPrefix(rest, "in which city") || strings.HasPrefix(rest, "which city"):
		return Where
	case w0 == "why" || strings.HasPrefix(rest, "for what reason") || strings.HasPrefix(rest, "what caused") ||
		strings.HasPrefix(rest, "what led") || strings.HasPrefix(rest, "what prompted") || strings.HasPrefix(rest, "how come") ||
		strings.HasPrefix(rest, "what killed") || w0 == "what" && (strings.HasSuffix(rest, " die of") || strings.HasSuffix(rest, " die from")):
		return Why
	case w0 == "how" && (w1 == "many" || w1 == "few"):
		return HowMany
	case w0 == "how" && w1 == "much":
		return HowMuch
	case w0 == "how" && w1 == "long":
		return HowLong
	case w0 == "how" && sizeWords[w1]:
		return HowMuch // "how old", "how fast", "how effective": a measure
	case (w0 == "what" || w0 == "how") && saysSomething(words):
		return Say
	case w0 == "how" && doForms[w1] && len(words) > 2 && eventVerbs[words[len(words)-1]]:
		return Why // "how did the fire start" asks what started it
	case w0 == "what" && asksAmount(words):
		return HowMuch
	case w0 == "what" && (w1 == "is" || w1 == "was" || w1 == "are") && len(words) <= 4:
		return Definition
	case w0 == "what" || w0 == "which" || w0 == "how":
		return What
	case auxiliaries[w0]:
		return YesNo
	}
	return What
}

// asksWhatNameIs reports "what is" (or was, are) and then only a name,
// after "the" if any: "What is the Hallam Museum?".
func asksWhatNameIs(q string) bool {
	f := strings.Fields(strings.TrimRight(q, "?.! "))
	if len(f) < 3 || !strings.EqualFold(f[0], "what") {
		return false
	}
	switch strings.ToLower(f[1]) {
	case "is", "was", "are":
	default:
		return false
	}
	rest := f[2:]
	if strings.EqualFold(rest[0], "the") {
		rest = rest[1:]
	}
	for _, w := range rest {
		if !unicode.IsUpper([]rune(w)[0]) {
			return false
		}
	}
	return len(rest) > 0
}

// leadingPrepositions may open a question before its question word ("at
// what point", "in which year", "for how long"); "by how much" has its own
// turn (byHowRe).
var leadingPrepositions = map[string]bool{"at": true, "in": true, "for": true, "to": true, "from": true, "since": true,
	"until": true, "on": true}

// byHowRe matches a question opening "by how much" or "by how many".
var byHowRe = regexp.MustCompile(`(?i)^\s*by how (much|many)\b(.*?)([?.!]*)\s*$`)

// nameOfRe matches a question for someone's name.
var nameOfRe = regexp.MustCompile(`^what(?:'s| is| was) the name of\b`)

// eventVerbs end a "how did X …" question that asks for the cause or the
// means of an event.
var eventVerbs = map[string]bool{"start": true, "begin": true, "happen": true, "occur": true, "die": true,
	"collapse": true, "spread": true, "escape": true, "crash": true, "fail": true, "explode": true, "sink": true,
	"end": true, "break": true, "out": true, "in": true}

// namesRole reports whether the words after "who is" open a role rather
// than a name: "the spokesperson", "a director".
func namesRole(words []string) bool {
	if len(words) == 0 {
		return false
	}
	switch words[0] {
	case "the", "a", "an", "our", "their", "its", "his", "her":
		return true
	}
	return false
}

// amountNouns are things whose value is an amount: "what was the closing
// price" asks how much, as "how much did the shares close at" does.
var amountNouns = map[string]bool{"price": true, "prices": true, "cost": true, "costs": true, "value": true,
	"valuation": true, "salary": true, "budget": true, "fee": true, "fees": true, "fine": true, "fare": true, "toll": true,
	"turnout": true, "rate": true, "revenue": true, "revenues": true, "profit": true, "profits": true, "sales": true,
	"earnings": true, "income": true, "debt": true, "deficit": true, "margin": true, "population": true, "wage": true,
	"wages": true, "raise": true, "raises": true, "percentage": true, "magnitude": true, "vote": true, "tally": true,
	"score": true, "rise": true, "rises": true, "increase": true, "increases": true}

// asksAmount reports a what-question about an amount: one that opens
// with an amount noun ("what price") or asks what one is or was ("what was
// Cobalt's closing price", "what is the cost of the bridge"). "What
// happened to the sales tax proposal" asks no amount.
func asksAmount(words []string) bool {
	if len(words) < 2 {
		return false
	}
	// "what price", "what pay rise did the hospital offer"
	if amountNouns[words[1]] || len(words) > 3 && amountNouns[words[2]] && auxiliaries[words[3]] {
		return true
	}
	switch words[1] {
	case "is", "was", "are", "were", "will", "would":
	default:
		return false
	}
	for _, w := range words[2:min(len(words), 7)] {
		if amountNouns[w] {
			return true
		}
		if w == "of" || w == "for" {
			return false // "what is the share of …"
		}
	}
	return false
}

// saysSomething reports a question about what someone said ("what did the
// spokesperson say", "how did X respond").
func saysSomething(words []string) bool {
	for _, w := range words {
		switch w {
		case "say", "said", "says", "respond", "responded", "react", "reacted", "comment", "commented",
			"response", "reaction", "statement", "tell", "told":
			return true
		}
	}
	return false
}

func lowerWords(text string) []string {
	var out []string
	for _, t := range retrieval.Tokens(text) {
		out = append(out, strings.ToLower(t.Surface))
	}
	return out
}

func hasPronoun(text string) bool {
	for _, w := range lowerWords(text) {
		if pronouns[w] {
			return true
		}
	}
	return false
}

func kindWord(k Kind) string {
	switch k {
	case When:
		return "when"
	case Where:
		return "where"
	case Who:
		return "who"
	case Why:
		return "why"
	}
	return "what"
}

func analyzePart(text string, k Kind, th *retrieval.Thesaurus) Part {
	if k == What && asksWhatNameIs(plain(text)) {
		k = Definition // "What is the Hallam Museum?", a name however long
	}
	p := Part{Asked: plain(text), Kind: k}
	p.Text = indirect(p.Asked)
	if topic, ok := aboutRequest(p.Text); ok {
		p.Text = "anything about " + topic
	}
	if k == YesNo && !strings.HasPrefix(p.Text, "whether ") {
		// "did the campaign name a successor" → "whether the campaign name…".
		if f := strings.Fields(p.Text); len(f) > 1 {
			p.Text = "whether " + strings.Join(f[1:], " ")
		}
	}
	toks := retrieval.Tokens(text)
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = t.Term
	}
	used := make([]bool, len(toks))
	if k == Who && nameOfRe.MatchString(p.Asked) {
		for i, t := range toks {
			if strings.EqualFold(t.Surface, "name") {
				used[i] = true // the kind asked, not a word the answer must use
				break
			}
		}
	}
	// "What day", "what time": the kind asks for the date; "day" is not a
	// word the answer must use ("It started Friday afternoon").
	// So in "in which year": the preposition leads the question word.
	q0 := 0
	if len(toks) > 2 && leadingPrepositions[strings.ToLower(toks[0].Surface)] {
		q0 = 1
	}
	if k == When && len(toks) > q0+1 && (strings.EqualFold(toks[q0].Surface, "what") || strings.EqualFold(toks[q0].Surface, "which")) &&
		dateNouns[strings.ToLower(toks[q0+1].Surface)] {
		used[q0+1] = true
	}
	// "What is the satellite called?" asks for a name: "called" is no
	// word the answer must use ("The satellite, named Aster-1").
	if n := len(toks); n > 2 && strings.EqualFold(toks[0].Surface, "what") {
		if w := strings.ToLower(toks[n-1].Surface); w == "called" || w == "named" {
			used[n-1] = true
		}
	}
	// "Will pedestrians be able to cross?": "able" asks what "can" says
	// ("so pedestrians can still cross"); the verb after it is the concept.
	for i := 1; i+2 < len(toks); i++ {
		if w := strings.ToLower(toks[i-1].Surface); (w == "be" || w == "been") && strings.EqualFold(toks[i].Surface, "able") &&
			strings.EqualFold(toks[i+1].Surface, "to") {
			used[i] = true
		}
	}
	// "Tell me about …": the request's verb is no name and no concept.
	if len(toks) > 0 && requestVerbs[strings.ToLower(toks[0].Surface)] {
		used[0] = true
	}
	// "How old", "how big": the kind asks for an amount; the adjective is
	// no word the answer must use ("Brandt, 58,").
	if k == HowMuch && len(toks) > 1 && strings.EqualFold(toks[0].Surface, "how") && sizeWords[strings.ToLower(toks[1].Surface)] {
		used[1] = true
	}
	// "How long" asks for a duration, which the kind requires: "long" is
	// not a word the answer must use ("closed for six months").
	if k == HowLong {
		for i := 0; i+1 < len(toks); i++ {
			if strings.EqualFold(toks[i].Surface, "how") && strings.EqualFold(toks[i+1].Surface, "long") {
				used[i+1] = true
				break
			}
		}
		// "How long did the strike last?": lasting is what a duration says.
		for i, t := range toks {
			if w := strings.ToLower(t.Surface); w == "last" || w == "lasted" {
				used[i] = true
			}
		}
	}
	// Names: runs of capitalised words (the first word only when it is
	// not a question word), kept whole, with the last word alone as an
	// alternative ("Mick Baccio" or "Baccio").
	for i := 0; i < len(toks); {
		if used[i] || !isNameToken(toks, i) {
			i++
			continue
		}
		j := i
		for j < len(toks) && !used[j] && isNameToken(toks, j) {
			j++
		}
		var seq, label []string
		for _, t := range toks[i:j] {
			seq = append(seq, t.Term)
			label = append(label, t.Surface)
		}
		c := Concept{Label: strings.Join(label, " "), Alts: [][]string{seq}, Name: true, Start: i, End: j}
		// An abbreviation in the thesaurus (CISO) is a title, not a name;
		// a capitalised word is a name even when the thesaurus knows the
		// word ("Where is Price from?").
		if th != nil && len(th.Match(seq)) > 0 && len(seq) == 1 && isAbbreviation(label[0]) {
			i = j
			continue
		}
		if len(seq) > 1 {
			c.Alts = append(c.Alts, seq[len(seq)-1:])
		}
		p.Concepts = append(p.Concepts, c)
		for x := i; x < j; x++ {
			used[x] = true
		}
		i = j
	}
	// Thesaurus phrases become one concept with every member as an
	// alternative.
	if th != nil {
		for _, m := range th.Match(terms) {
			if anyUsed(used, m.Start, m.End) {
				continue
			}
			if m.Verb && m.Start > 0 && nounBefore(toks[m.Start-1]) {
				continue // "the fires", "its own": no verb, no synonyms
			}
			var label []string
			for _, t := range toks[m.Start:m.End] {
				label = append(label, t.Surface)
			}
			p.Concepts = append(p.Concepts, Concept{Label: strings.Join(label, " "), Alts: m.Alts, Start: m.Start, End: m.End})
			for x := m.Start; x < m.End; x++ {
				used[x] = true
			}
		}
	}
	// Every other content word is a concept of its own.
	for i, t := range toks {
		if used[i] || t.Stop || fillers[t.Term] || pronouns[strings.ToLower(t.Surface)] {
			continue
		}
		p.Concepts = append(p.Concepts, Concept{Label: t.Surface, Alts: [][]string{{t.Term}}, Start: i, End: i + 1})
		used[i] = true
	}
	sortConcepts(p.Concepts, toks)
	return p
}

// isNameToken reports whether toks[i] is part of a proper name.
func isNameToken(toks []retrieval.Token, i int) bool {
	t := toks[i]
	if !t.Capital || t.Stop {
		return false
	}
	w := strings.ToLower(t.Surface)
	if questionWords[w] || auxiliaries[w] {
		return false
	}
	// An all-caps abbreviation or a capitalised word is a name; the first
	// word of the question counts only when it is not a question word.
	return true
}

// isAbbreviation reports a word in capitals ("CISO", "FBI").
func isAbbreviation(w string) bool {
	return len(w) > 1 && strings.ToUpper(w) == w && strings.ToLower(w) != w
}

func anyUsed(used []bool, i, j int) bool {
	for x := i; x < j; x++ {
		if used[x] {
			return true
		}
	}
	return false
}

// sortConcepts orders concepts as their words stand in the question.
func sortConcepts(cs []Concept, toks []retrieval.Token) {
	pos := func(c Concept) int {
		for i, t := range toks {
			if len(c.Alts) > 0 && len(c.Alts[0]) > 0 && t.Term == c.Alts[0][0] {
				return i
			}
		}
		for i, t := range toks {
			for _, alt := range c.Alts {
				if len(alt) > 0 && t.Term == alt[0] {
					return i
				}
			}
		}
		return len(toks)
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && pos(cs[j]) < pos(cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// nounBefore reports a word after which a noun follows, not a verb: a
// determiner, a possessive or a number.
func nounBefore(t retrieval.Token) bool {
	w := strings.ToLower(t.Surface)
	return determiners[w] || possessive(w) || t.Number
}

// plain returns a part as a clause for "The sources do not say …": its
// first letter lowercased unless it starts a name, trailing punctuation off.
func plain(text string) string {
	text = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text), "?.!"))
	f := strings.Fields(text)
	if len(f) == 0 {
		return text
	}
	w := strings.ToLower(f[0])
	if questionWords[w] || auxiliaries[w] {
		r := []rune(f[0])
		r[0] = unicode.ToLower(r[0])
		f[0] = string(r)
	}
	return strings.Join(f, " ")
}

// Terms returns the weighted search terms for the whole question: every
// concept's words at full weight, their alternatives at half.
// nameWeight is the search weight of a name's terms; other words weigh 1.
const nameWeight = 2.0

func (q Question) Terms() []retrieval.WeightedTerm {
	var out []retrieval.WeightedTerm
	seen := map[string]bool{}
	add := func(t string, w float64) {
		if retrieval.IsStopword(t) || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, retrieval.WeightedTerm{Term: t, Weight: w})
	}
	for _, p := range q.Parts {
		for _, c := range p.Concepts {
			// A name asked about weighs double: "Lumora's chief
			// executive" is about Lumora first, and many articles name a
			// chief executive.
			w := 1.0
			if c.Name {
				w = nameWeight
			}
			for ai, alt := range c.Alts {
				for _, t := range alt {
					if ai == 0 {
						add(t, w)
					} else {
						add(t, w/2)
					}
				}
			}
		}
		for _, c := range p.Context {
			for _, t := range c.Alts[0] {
				add(t, 0.5)
			}
		}
	}
	return out
}

// FollowUp gives a follow-up question the names of the conversation's
// earlier questions as context, so "and when did he leave?" after "Who is
// Mick Baccio?" searches for Baccio. history is oldest first.
func FollowUp(q Question, history []string, th *retrieval.Thesaurus) Question {
	var names []Concept
	for _, h := range history {
		for _, p := range Analyze(h, th).Parts {
			for _, c := range p.Concepts {
				if c.Name {
					names = append(names, c)
				}
			}
		}
	}
	if len(names) == 0 {
		return q
	}
	for i := range q.Parts {
		q.Parts[i].Context = append(q.Parts[i].Context, names...)
	}
	return q
}

// indirect words a question part as an indirect question, the way "the
// sources do not say …" needs it: "where was the final played" → "where
// the final was played", "how old is Brandt" → "how old Brandt is", "was a
// ransom demanded" → "whether a ransom was demanded". Only an inversion with
// a form of "be" or "have", or a modal before "be", is turned, and only
// when the verb after the subject is plain to see (a participle, "be",
// "been") or, with "be", when there is none ("what was the turnout").
// A part whose question word is its subject ("who was convicted") is in
// order already. Do-support loses its "did" or "does" to the verb ("when
// the fire started", see verbAfterSubject); anything unclear stays as
// asked.
func indirect(text string) string {
	f := strings.Fields(text)
	// "at what point did the benefits level off" → "at what point the
	// benefits levelled off": the preposition leads the question word.
	if len(f) > 2 && leadingPrepositions[strings.ToLower(f[0])] && questionWords[strings.ToLower(f[1])] {
		return strings.ToLower(f[0]) + " " + indirect(strings.ToLower(f[1])+" "+strings.Join(f[2:], " "))
	}
	a := -1
	for i, w := range f[:min(len(f), 6)] {
		if inverting[w] || doForms[w] {
			a = i
			break
		}
		if i == 0 && !questionWords[w] || auxiliaries[w] || w == "and" || w == "or" {
			return text // "did …", or no inversion to turn
		}
	}
	if a < 0 || a+1 >= len(f) {
		return text
	}
	aux, rest := f[a], f[a+1:]
	// "what share of the population is Latino", "how many of the workers
	// are unionised": a question phrase with "of" in it is the subject,
	// and nothing is inverted.
	if a >= 3 && beForms[aux] && slices.Contains(f[1:a], "of") && len(rest) <= 2 {
		return text
	}
	// "what will happen to the school building", "who would pay for it":
	// a verb straight after a modal has the question word for subject, and
	// nothing is inverted.
	if a == 1 && (f[0] == "what" || f[0] == "who") && !beForms[aux] && !doForms[aux] && verbFirst(rest) {
		return text
	}
	v := verbGroupAt(rest)
	var out []string
	if a == 0 {
		out = append(out, "whether")
	} else {
		out = append(out, f[:a]...)
	}
	subj, verb, found := verbAfterSubject(rest)
	// "when was the pipe due to be replaced": the copula goes before
	// "due", "expected", "set" … that lead to the infinitive.
	if beForms[aux] && determiners[rest[0]] {
		for j := 2; j+1 < len(rest); j++ {
			if toLeaders[rest[j]] && rest[j+1] == "to" {
				out = append(out, rest[:j]...)
				out = append(out, aux)
				return strings.Join(append(out, rest[j:]...), " ")
			}
		}
	}
	// "why are the workers angry": the subject is the noun phrase before
	// the last word.
	if a == 1 && f[0] == "why" && beForms[aux] && determiners[rest[0]] && len(rest) == 3 && verbGroupAt(rest) < 0 {
		return strings.Join(append(append(out, rest[:2]...), aux, rest[2]), " ")
	}
	if a == 2 && f[0] == "how" && attributeWords[f[1]] && beForms[aux] && determiners[rest[0]] {
		// "how old was the man killed in the storm" asks the man's age:
		// the whole rest is the subject.
		return strings.Join(append(append(out, rest...), aux), " ")
	}
	switch {
	case doForms[aux]:
		// "when did the strike end" → "when the strike ended", "when did
		// the library first open" → "when the library first opened"; "why
		// did the mayor not attend" → "why the mayor did not attend".
		if !found {
			return text
		}
		if slices.ContainsFunc(rest[subj:verb], func(w string) bool { return w == "not" || w == "never" }) {
			out = append(out, rest[:subj]...)
			out = append(out, aux)
			return strings.Join(append(out, rest[subj:]...), " ")
		}
		out = append(out, rest[:verb]...)
		switch aux {
		case "did":
			out = append(out, pastTense(rest[verb]))
		case "does":
			out = append(out, thirdPerson(rest[verb]))
		default:
			out = append(out, rest[verb])
		}
		out = append(out, rest[verb+1:]...)
	case beForms[aux] && rest[0] == "there":
		// "how many cases are there" → "how many cases there are".
		out = append(out, "there", aux)
		out = append(out, rest[1:]...)
	case v == 0:
		return text // "who was convicted …": the question word is the subject
	case v > 0:
		out = append(out, rest[:v]...)
		out = append(out, aux)
		out = append(out, rest[v:]...)
	case a > 0 && beForms[aux] && (determiners[rest[0]] || unicode.IsUpper([]rune(rest[0])[0])):
		// "how old Brandt is", "where Price is from", "how long Lindgren
		// was trade minister"; not "who is behind …".
		end := len(rest)
		if n := subjectEnd(rest); unicode.IsUpper([]rune(rest[0])[0]) && !possessive(rest[n-1]) {
			end = n
		} else if end > 1 && trailingPrepositions[rest[end-1]] {
			end--
		} else if f[0] == "where" && n > 0 && n < len(rest) && trailingPrepositions[rest[n]] {
			end = n // "where the Kestrels are in the league"
		}
		out = append(out, rest[:end]...)
		out = append(out, aux)
		out = append(out, rest[end:]...)
	case !beForms[aux] && v < 0 && found && verb > 0:
		// "when will the ward close" → "when the ward will close", "when
		// will SkyNorth's flights resume" → "when SkyNorth's flights will
		// resume".
		out = append(out, rest[:subj]...)
		out = append(out, aux)
		out = append(out, rest[subj:]...)
	case !beForms[aux] && (unicode.IsUpper([]rune(rest[0])[0]) || subjectPronouns[rest[0]]):
		// "will Mendes sue" → "whether Mendes will sue", "what will she do"
		// → "what she will do": a name or a pronoun is the subject.
		end := 1
		if !subjectPronouns[rest[0]] {
			end = subjectEnd(rest)
		}
		if end >= len(rest) {
			return text
		}
		out = append(out, rest[:end]...)
		out = append(out, aux)
		out = append(out, rest[end:]...)
	case beForms[aux]:
		// "is the bridge safe" → "whether the bridge is safe": the subject
		// is a name, or runs from its determiner to the next determiner
		// or to the last word.
		end := subjectEnd(rest)
		if end < 0 && len(rest) > 2 && degreeWords[rest[1]] {
			end = 1 // "why was attendance so high"
		}
		if end <= 0 || end >= len(rest) {
			return text
		}
		out = append(out, rest[:end]...)
		out = append(out, aux)
		out = append(out, rest[end:]...)
	default:
		return text
	}
	return strings.Join(out, " ")
}

// inverting are the auxiliaries indirect can put back after the subject.
var inverting = map[string]bool{"is": true, "are": true, "was": true, "were": true, "has": true, "have": true,
	"had": true, "will": true, "would": true, "can": true, "could": true, "should": true, "may": true,
	"might": true, "must": true, "shall": true}

// toLeaders lead from a copula to an infinitive ("due to be replaced",
// "expected to close").
var toLeaders = map[string]bool{"due": true, "expected": true, "scheduled": true, "set": true, "likely": true,
	"supposed": true, "going": true, "able": true, "allowed": true, "required": true}

// attributeWords follow "how" in a question about the subject itself, not
// about its verb ("how old", unlike "how long was the bridge closed").
var attributeWords = map[string]bool{"old": true, "tall": true, "big": true, "large": true, "heavy": true,
	"rich": true, "young": true}

// degreeWords stand before an adjective: after a bare noun and "is", they
// end its subject ("why was attendance so high").
var degreeWords = map[string]bool{"so": true, "too": true, "very": true, "that": true, "this": true}

var doForms = map[string]bool{"do": true, "does": true, "did": true}

var beForms = map[string]bool{"is": true, "are": true, "was": true, "were": true}

// participles are irregular past participles ("was the bridge built"), and
// "worth", which stands after "is" as they do ("how much the deal is worth").
var participles = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`be been being born built held found made paid sold sent spent taken given seen
	known shown written chosen stolen broken spoken driven hidden beaten won lost hurt hit cut set put shot struck
	caught brought bought taught told left kept met led read run begun done gone fallen risen grown thrown drawn
	frozen sworn torn worn shut sunk sung swum felt heard meant sought thought fought bound wound dealt laid
	worth`) {
		participles[w] = true
	}
}

// ingNouns are -ing words news uses as nouns or before one ("housing
// list", "the building", "waiting room"): before another noun they are
// no verb ("is the council funding the school" keeps its verb).
var ingNouns = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`housing building buildings funding meeting hearing ruling spending training shooting
	bombing warning opening offering listing wedding clothing parking lending boarding landing painting recording
	crossing filing finding holding waiting living dining swimming shopping voting polling nursing teaching
	trading banking mining manufacturing marketing accounting engineering planning licensing sentencing`) {
		ingNouns[w] = true
	}
}

// verbGroupAt returns where the verb group starts in the words after the
// auxiliary: at a participle or "be"/"been", with a "not" or "never" before
// it; 0 when it starts at once; -1 when there is none to be sure of. A word
// after a determiner or a possessive is no verb ("the closing price",
// "Cobalt's closing price") but for a participle ending the question.
// verbFirst reports whether rest opens with a verb's base form: a known
// verb, followed by its object, a preposition or nothing when it is as
// often a noun ("fund the repairs", not "fund managers").
func verbFirst(rest []string) bool {
	w := rest[0]
	if !knownVerb(w) {
		return false
	}
	return !nounToo[w] || len(rest) == 1 || determiners[rest[1]] || objectPronouns[rest[1]] || trailingPrepositions[rest[1]]
}

// lyAdverb reports whether rest[i] is an adverb in -ly before a
// participle: "fully" in "the scheme fully funded", not "family" in "the
// family funded".
func lyAdverb(rest []string, i int) bool {
	return len(rest[i]) > 4 && strings.HasSuffix(rest[i], "ly") && i > 0 && !determiners[rest[i-1]] && !possessive(rest[i-1])
}

func verbGroupAt(rest []string) int {
	for i, w := range rest {
		if relatives[w] {
			return -1 // "the man who was shot": the rest is the relative clause's
		}
		if i > 0 {
			// A participle that ends the question is its verb even after
			// a possessive name ("when was St. Anne's built"); a gerund
			// after a preposition is none ("in danger of collapsing").
			prev := rest[i-1]
			if determiners[prev] || possessive(prev) && !(i == len(rest)-1 && participles[w]) ||
				trailingPrepositions[prev] && strings.HasSuffix(w, "ing") {
				continue
			}
		}
		word := strings.Trim(w, ",")
		if word == "" || unicode.IsUpper([]rune(word)[0]) {
			continue // "Brightwing", "Reed": a name
		}
		if ingNouns[word] && i+1 < len(rest) && !determiners[rest[i+1]] && !objectPronouns[rest[i+1]] &&
			!trailingPrepositions[rest[i+1]] {
			continue // "the social housing waiting list", "the new building's roof": a noun
		}
		if !participles[word] && !(len(word) > 4 && (strings.HasSuffix(word, "ed") || strings.HasSuffix(word, "ing"))) {
			continue
		}
		for i > 0 && (adverbs[rest[i-1]] || lyAdverb(rest, i-1)) {
			i-- // "was not reopened", "are still being sought", "is fully funded"
		}
		return i
	}
	return -1
}

// subjectEnd returns where the subject of a copular yes-no question ends
// among the words after "is": after a name's capitalised words ("Okafor",
// "St. Brigid's Hospital"), or for a subject opening with a determiner,
// at the next determiner or before the last word; -1 otherwise.
func subjectEnd(rest []string) int {
	first := []rune(rest[0])
	switch {
	case indefinites[rest[0]] || subjectPronouns[rest[0]]:
		return 1 // "was anyone in the warehouse"
	case unicode.IsUpper(first[0]):
		i := 0
		for i < len(rest) && unicode.IsUpper([]rune(rest[i])[0]) {
			i++
		}
		return i
	case determiners[rest[0]]:
		for i := 2; i < len(rest); i++ {
			// "is the bridge in danger of collapsing": a preposition
			// other than "of" ends the subject too.
			if determiners[rest[i]] || trailingPrepositions[rest[i]] && rest[i] != "of" {
				return i
			}
		}
		return len(rest) - 1
	}
	return -1
}

func possessive(w string) bool {
	return strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "s'")
}

var indefinites = map[string]bool{"anyone": true, "anybody": true, "someone": true, "somebody": true, "everyone": true,
	"everybody": true, "nobody": true, "anything": true, "something": true, "everything": true, "nothing": true}

var subjectPronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true, "you": true}

var trailingPrepositions = map[string]bool{"from": true, "about": true, "for": true, "with": true, "to": true,
	"in": true, "on": true, "at": true, "of": true, "like": true}

var adverbs = map[string]bool{"not": true, "never": true, "still": true, "also": true, "already": true, "now": true,
	"ever": true, "finally": true, "first": true, "last": true, "officially": true, "formally": true, "actually": true, "really": true,
	"just": true, "then": true, "most": true, "more": true, "least": true, "less": true, "best": true, "worst": true}

var determiners = map[string]bool{"the": true, "a": true, "an": true, "its": true, "his": true, "her": true,
	"their": true, "our": true, "my": true, "your": true, "this": true, "that": true, "these": true, "those": true,
	"any": true, "some": true, "each": true, "every": true, "no": true}

var dateNouns = map[string]bool{"time": true, "date": true, "day": true, "year": true, "month": true, "hour": true}

// requestVerbs open a request for an overview rather than a question.
var requestVerbs = map[string]bool{"tell": true, "give": true, "show": true, "summarize": true, "summarise": true,
	"describe": true, "explain": true, "brief": true}

// aboutRequestRe matches requests for whatever the sources hold on a
// topic: "tell me about X", "what's the latest on X", "any news on X".
var aboutRequestRe = regexp.MustCompile(`(?i)^(?:(?:tell|give|show|brief) (?:me|us)(?: (?:everything|something|more))? (?:about|on)|` +
	`(?:summari[sz]e|describe|explain)(?: (?:the news|what happened))?(?: (?:about|on))?|` +
	`what(?:'s| is) (?:the )?(?:latest|news|new) (?:on|about|with|in)|(?:any )?(?:news|updates?) (?:on|about))\s+(.+)$`)

// aboutRequest returns the topic of a request for an overview, which the
// not-covered list words as "anything about <topic>".
func aboutRequest(text string) (string, bool) {
	m := aboutRequestRe.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// sizeWords follow "how" in a question about an amount.
var sizeWords = map[string]bool{"old": true, "big": true, "large": true, "tall": true, "high": true, "deep": true,
	"far": true, "heavy": true, "fast": true, "strong": true, "hot": true, "cold": true, "effective": true,
	"likely": true, "accurate": true, "popular": true, "common": true}

// relatives open a relative clause.
var relatives = map[string]bool{"which": true, "that": true, "who": true}
