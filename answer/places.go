package answer

import (
	"slices"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

var months = map[string]bool{}

var weekdays = map[string]bool{}

var relativeTime = map[string]bool{}

func init() {
	for _, m := range strings.Fields("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec") {
		months[m] = true
	}
	for _, d := range strings.Fields("monday tuesday wednesday thursday friday saturday sunday") {
		weekdays[d] = true
	}
	for _, r := range strings.Fields("yesterday today tonight tomorrow ago earlier recently weekend summer winter spring autumn fall morning afternoon evening night week month year decade century") {
		relativeTime[r] = true
	}
}

func isMonthOrDay(t retrieval.Token) bool {
	w := lower(t)
	return months[w] && (t.Capital || w != "may") || weekdays[w]
}

func isYear(t retrieval.Token) bool {
	s := t.Surface
	// "19bn" is no year.
	return len(s) == 4 && t.Number && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) &&
		strings.Trim(s, "0123456789") == ""
}

func hasDate(toks []retrieval.Token, inQ func(string) bool) bool {
	for i := range toks {
		if dateAt(toks, i, inQ) {
			return true
		}
	}
	return false
}

// dateAt reports whether toks[i] gives a date or a time.
func dateAt(toks []retrieval.Token, i int, inQ func(string) bool) bool {
	t := toks[i]
	if inQ(t.Term) {
		return false
	}
	if isMonthOrDay(t) || isYear(t) {
		return true
	}
	w := lower(t)
	if relativeTime[w] && i >= 3 && lower(toks[i-1]) == "the" && lower(toks[i-2]) == "of" {
		switch lower(toks[i-3]) {
		case "end", "start", "beginning", "middle":
			return true // "at the end of the month"
		}
	}
	// "in the spring", "next fall", "early this summer".
	if seasons[w] && i > 0 {
		switch lower(toks[i-1]) {
		case "the", "this", "next", "last", "early", "late", "mid":
			return true
		}
	}
	if relativeTime[w] && i > 0 {
		prev := lower(toks[i-1])
		if (prev == "this" || prev == "last") && rankedBefore(toks, i-1) {
			return false // "one of the largest breaches this year" dates no event
		}
		if prev == "last" || prev == "this" || prev == "next" || prev == "earlier" || prev == "later" || w == "ago" || w == "yesterday" || w == "today" || w == "tomorrow" {
			return true
		}
	}
	return strings.Contains(t.Surface, ":") || (t.Number && i+1 < len(toks) && (lower(toks[i+1]) == "p" || lower(toks[i+1]) == "a"))
}

// placePrepositions put a place after them: "in Carlton", "off Kessel
// Island", "under Front Street", "in downtown Carlton", "into Miller Creek".
var placePrepositions = map[string]bool{"in": true, "at": true, "from": true, "near": true, "outside": true,
	"across": true, "under": true, "off": true, "along": true, "inside": true, "downtown": true, "beneath": true,
	"into": true, "onto": true, "toward": true, "towards": true}

var seasons = map[string]bool{"spring": true, "summer": true, "fall": true, "autumn": true, "winter": true}

// rankedBefore reports a superlative or an ordinal within the nine words
// before toks[i]: "the largest … this year" and "the second theft … this
// year" rank among a year's events, they date none.
func rankedBefore(toks []retrieval.Token, i int) bool { return wordBefore(toks, i, 9, superlatives) }

var superlatives = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`largest biggest worst highest lowest deadliest costliest strongest busiest
	hottest coldest wettest driest fastest slowest best most least smallest longest shortest heaviest first second
	third fourth fifth`) {
		superlatives[w] = true
	}
}

// eventDate reports a date in the clause that is not only the date of its
// attribution: in "Hackers stole the records …, the chain said on Friday"
// Friday is when the chain spoke, not when the hackers struck, and so in
// "On Thursday, officials said …". A part that asks about the telling
// itself ("when was the breach announced") takes it.
func eventDate(p Part, text string, cl []retrieval.Token, inQ func(string) bool) bool {
	for i := range cl {
		if dateAt(cl, i, inQ) && (!attributionDate(text, cl, i) || asksTelling(p)) {
			return true
		}
	}
	return false
}

// attributionDate reports a date that dates a speech verb: after it, with
// only words like "in a statement on" or "reporters on" between ("said
// late Friday", "told reporters on Friday"), or opening the clause before
// one ("On Friday, the company said").
func attributionDate(text string, toks []retrieval.Token, i int) bool {
	for k := i - 1; k >= max(0, i-6); k-- {
		w := lower(toks[k])
		if tellingWords[toks[k].Term] {
			return true
		}
		if !attributionFiller[w] && !dateAt(toks, k, askedNothing) {
			break
		}
	}
	if i > 2 || !strings.HasPrefix(strings.TrimSpace(text[toks[i].End:]), ",") {
		return false
	}
	for k := i + 1; k < min(len(toks), i+6); k++ {
		if tellingWords[toks[k].Term] {
			return true
		}
	}
	return false
}

// attributionFiller are the words that may stand between a speech verb and
// its date.
var attributionFiller = map[string]bool{"on": true, "late": true, "early": true, "last": true, "this": true,
	"in": true, "a": true, "an": true, "the": true, "at": true, "during": true, "statement": true,
	"interview": true, "news": true, "conference": true, "release": true, "briefing": true, "email": true,
	"reporters": true, "filing": true, "letter": true, "post": true, "night": true, "morning": true,
	"afternoon": true, "evening": true, "its": true, "his": true, "her": true, "their": true}

// tellingWords are the terms of verbs that report news: a speech verb, or
// one that makes something known.
var tellingWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`said says told stated added announced confirmed disclosed revealed reported
	acknowledged`) {
		tellingWords[retrieval.Term(w)] = true
	}
}

// asksTelling reports a part that asks about a telling: "when was the
// breach announced", "when did Veridian disclose the attack".
func asksTelling(p Part) bool {
	for _, c := range p.Concepts {
		for _, alt := range c.Alts {
			for _, t := range alt {
				if tellingWords[t] || speechVerbs[t] {
					return true
				}
			}
		}
	}
	return false
}

// hasPlace looks for a capitalised name after a place preposition, or a
// "Name-area"/"Name-based" form.
func hasPlace(toks []retrieval.Token, inQ func(string) bool) bool {
	for i, t := range toks {
		if !t.Capital || t.Stop || isMonthOrDay(t) || inQ(t.Term) {
			continue
		}
		if i > 0 {
			prev := lower(toks[i-1])
			if placePrepositions[prev] {
				return true
			}
			// "on Orchard Road", "on Main Street": a street is a place.
			if prev == "on" && i+1 < len(toks) && streetWords[lower(toks[i+1])] {
				return true
			}
			// "landed on the asteroid Tamsin", "on the island of Crete".
			if i >= 3 && (prev == "of" && i >= 4 && lower(toks[i-4]) == "on" && lower(toks[i-3]) == "the" ||
				lower(toks[i-2]) == "the" && lower(toks[i-3]) == "on") && !toks[i-1].Capital && !toks[i-1].Number {
				return true
			}
		}
		if i+1 < len(toks) {
			next := lower(toks[i+1])
			if (next == "area" || next == "based") && toks[i+1].Start == t.End+1 {
				return true
			}
		}
	}
	return false
}

// dateInClause reports whether a date stands in the same clause as one of
// the part's words that are not names: the date of the event asked about.
// "A judge on Wednesday blocked the authority …, siding with tenants who
// argued the increase was approved without notice" dates the blocking, not
// the approval. Clauses end at sentence punctuation, semicolons, colons,
// dashes and brackets, and at words that open a new one ("who", "which",
// "after", "since" …); not at commas, which also set off names ("its chief,
// Tomas Lindqvist, would step down"). A part of names alone is not checked.
func dateInClause(p Part, w *window, inQ func(string) bool) bool {
	return kindInClause(p, w, inQ, func(cl []retrieval.Token) bool {
		return eventDate(p, w.text, cl, inQ) && !anotherPersons(p, cl, inQ)
	})
}

// placeInClause is dateInClause for places: in "Voters in Greenfield
// approved a bond on Tuesday to build a new school", Greenfield is where
// the voters are, not where the school will be built. In a two-sentence
// window, a place in a sentence that names nothing asked about goes on
// about the other ("… spoke at a cybersecurity conference. … he said at
// the Washington-area event").
func placeInClause(p Part, w *window, inQ func(string) bool) bool {
	has := func(cl []retrieval.Token) bool { return hasPlace(cl, inQ) || placeNoun(cl, inQ) }
	if kindInClause(p, w, inQ, has) {
		return true
	}
	if !w.pair {
		return false
	}
	for _, sp := range w.sents {
		_, toks := w.sentence(sp)
		if has(toks) && !slices.ContainsFunc(p.Concepts, func(c Concept) bool { return !c.Name && matches(toks, c) }) {
			return true
		}
	}
	return false
}

// placeNoun reports a place named by a common noun, "at an elementary
// school", "near a campground": taken only in the clause of the event
// asked about, not after "in" ("in a statement"), and never the thing the
// question asks the place of ("spoke at a conference" does not say where
// the conference was).
func placeNoun(cl []retrieval.Token, inQ func(string) bool) bool {
	for i := 0; i+2 < len(cl); i++ {
		switch lower(cl[i]) {
		case "at", "near", "outside", "inside", "behind":
			if determiners[lower(cl[i+1])] && !cl[i+2].Stop && !cl[i+2].Number && !inQ(cl[i+2].Term) &&
				!(i+3 < len(cl) && inQ(cl[i+3].Term)) {
				return true
			}
		}
	}
	return false
}

// kindInClause reports whether a clause for which has holds one of the
// part's words that are not names; a part of names alone passes.
func kindInClause(p Part, w *window, inQ func(string) bool, has func([]retrieval.Token) bool) bool {
	var words []Concept
	hasVerb := false
	for _, c := range p.Concepts {
		if !c.Name {
			words = append(words, c)
			hasVerb = hasVerb || c.Verb
		}
	}
	if len(words) == 0 {
		return true
	}
clause:
	for _, cl := range clauses(w.text, w.toks) {
		if !has(cl) {
			continue
		}
		for _, c := range words {
			if c.Verb && matches(cl, c) && !matchesEvent(cl, c) {
				continue clause // the verb asked is another event's object
			}
		}
		// The event asked ("when did the water main break") must be the
		// clause's: "Crews shut off the main at about 7 a.m." dates the
		// shut-off.
		for _, c := range words {
			if matchesEvent(cl, c) && (c.Verb || !hasVerb) {
				return true
			}
		}
	}
	return false
}

// matchesEvent is matches, but the verb asked about does not count as a
// gerund after a preposition: in "was arrested on Thursday on suspicion of
// starting the fire" the date is the arrest's, not the fire's start, and
// the clause says nothing of when the fire started.
func matchesEvent(toks []retrieval.Token, c Concept) bool {
	for i := range toks {
		if !matchAt(toks, i, c) {
			continue
		}
		if c.Verb && i > 0 && strings.HasSuffix(lower(toks[i]), "ing") && gerundPrepositions[lower(toks[i-1])] {
			continue
		}
		return true
	}
	return false
}

// gerundPrepositions make a gerund another event's object ("suspected of
// starting"); "before accepting" keeps its own event.
var gerundPrepositions = map[string]bool{"of": true, "with": true, "for": true, "about": true, "without": true,
	"from": true}

// anotherPersons reports a clause about someone the part does not name:
// it names a person the question does not, and none of the part's names.
// For "when is Brandt's sentencing?", "Her co-defendant, Leo Marsh,
// pleaded guilty in January and was sentenced to three years" dates
// Marsh's sentence.
func anotherPersons(p Part, cl []retrieval.Token, inQ func(string) bool) bool {
	return missesNames(p, cl) && hasPerson(cl, inQ)
}

// clauseOpeners are words that start a new clause.
var clauseOpeners = map[string]bool{"who": true, "whom": true, "whose": true, "which": true, "that": true,
	"after": true, "before": true, "while": true, "because": true, "although": true, "though": true,
	"since": true, "until": true, "unless": true, "whereas": true}

// clauses cuts a window's tokens into clauses. "As" opens one before a
// determiner or a pronoun ("cheered as the signal confirming the landing
// arrived").
func clauses(text string, toks []retrieval.Token) [][]retrieval.Token {
	var out [][]retrieval.Token
	start := 0
	for i := 1; i < len(toks); i++ {
		gap := text[toks[i-1].End:toks[i].Start]
		// "… on Saturday to reach the final": "to" after a date opens a
		// purpose clause, which the date does not belong to.
		// But "voted on Monday night to fire" dates the firing: a decision
		// takes effect when it is made.
		purpose := lower(toks[i]) == "to" && (isMonthOrDay(toks[i-1]) || isYear(toks[i-1]) || relativeTime[lower(toks[i-1])]) &&
			!decidedBefore(toks, i)
		// A time ("4:12") and an abbreviation ("a.m.", "U.S.", "Mr.") end
		// no clause.
		inWord := strings.TrimSpace(gap) == ":" && toks[i-1].Number && toks[i].Number ||
			strings.TrimSpace(gap) == "." && retrieval.EndsInAbbreviation(text[:toks[i-1].End])
		asClause := lower(toks[i]) == "as" && i+1 < len(toks) && (determiners[lower(toks[i+1])] || subjectPronouns[lower(toks[i+1])])
		if strings.ContainsAny(gap, ";:()—–.!?") && !inWord || clauseOpeners[lower(toks[i])] || purpose || asClause {
			out = append(out, toks[start:i])
			start = i
		}
	}
	return append(out, toks[start:])
}

// decisionVerbs decide what their "to" clause says ("voted to fire").
var decisionVerbs = map[string]bool{}

func init() {
	for _, w := range strings.Fields("vote voted votes agree agreed agrees decide decided decides choose chose chooses elect elected moved") {
		decisionVerbs[w] = true
	}
}

// decidedBefore reports a decision verb within the seven words before
// toks[i], a "to" ("voted 4-3 on Monday night to").
func decidedBefore(toks []retrieval.Token, i int) bool { return wordBefore(toks, i, 7, decisionVerbs) }

// outsideOtherSubject reports, for a when or where part, whether the window
// can answer it in a sentence that does not give the part's verb to another
// subject: in "The final will be played on May 20 in Ashford against the
// winner of Sunday's semifinal", the date and the place are the final's, so
// it does not say where or when the semifinal was played. A window without
// such a sentence passes.
func outsideOtherSubject(p Part, w *window, inQ func(string) bool) bool {
	other := false
	for _, sp := range w.sents {
		text, toks := w.sentence(sp)
		if subjectOfOther(p, text, toks) {
			other = true
			continue
		}
		if kindEvidence(p, text, toks, inQ) {
			return true
		}
	}
	return !other
}

// verbGroup are the words of a verb group before its participle ("will be
// played", "has not been found", "was reportedly arrested").
var verbGroup = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"being": true, "will": true, "would": true, "shall": true, "should": true, "may": true, "might": true,
	"must": true, "can": true, "could": true, "has": true, "have": true, "had": true, "not": true, "never": true,
	"also": true, "already": true, "still": true, "now": true, "then": true}

var relatives = map[string]bool{"which": true, "that": true, "who": true}

// beWords in a verb group make it passive ("was played") or progressive.
var beWords = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true}

// subjectOfOther reports, for a question in the passive voice, whether the
// sentence gives its verb, in the passive too, to a subject the question
// does not ask about: for "Where was the semifinal played?", "The final
// will be played … in Ashford" gives the final's place. The verb is a
// concept of the part that has another concept before it in the question
// (its subject). The sentence's subject is the word right before the verb
// group, which must be a plain word, not a pronoun or a date, with no
// punctuation between. Every such use of the verb must belong to another
// subject, and the question's subject must stand elsewhere in the
// sentence. A when part is still answered by a date right before its
// subject ("Sunday's semifinal").
//
// The active voice is left alone: there the word before the verb is the
// doer, whom articles name in many ways ("a state judge on Wednesday
// blocked", "Okoro's court ordered"), and in "The family will hold a
// vigil" it is not the vigil of "Where will the vigil be held?".
func subjectOfOther(p Part, text string, toks []retrieval.Token) bool {
	if p.Kind == When && dateBeforeSubject(p, text, toks) {
		return false
	}
	found := false
	if !p.Passive {
		return false
	}
	for vi, v := range p.Concepts {
		if vi == 0 || v.Name {
			continue
		}
		subjects := p.Concepts[:vi]
		for i := range toks {
			if !matchAt(toks, i, v) {
				continue
			}
			j, be := i-1, false
			for j >= 0 && joined(text, toks, j) &&
				(verbGroup[lower(toks[j])] || strings.HasSuffix(lower(toks[j]), "ly")) {
				be = be || beWords[lower(toks[j])]
				j--
			}
			if !be || j < 0 || !joined(text, toks, j) {
				continue
			}
			// "the combined company, which will be based in Columbus": the
			// subject is what "which" refers to, the word before its
			// comma. Without one ("a sketch by Vermeer that was stolen")
			// the word it refers to is not plain to see.
			if relatives[lower(toks[j])] {
				if j == 0 || strings.TrimSpace(text[toks[j-1].End:toks[j].Start]) != "," {
					continue
				}
				j--
			}
			s := toks[j]
			if s.Stop || s.Number || pronouns[lower(s)] || isMonthOrDay(s) || isYear(s) || relativeTime[lower(s)] {
				continue
			}
			for _, c := range subjects {
				if endsAt(toks, j+1, c) {
					return false // the question's own subject
				}
			}
			// The question's subject must stand elsewhere in the
			// sentence: a sentence that never names it may call it
			// otherwise ("a man was arrested" for the suspect).
			for _, c := range subjects {
				found = found || matches(toks, c)
			}
		}
	}
	return found
}

// endsAt reports whether concept c stands right before toks[i].
func endsAt(toks []retrieval.Token, i int, c Concept) bool {
	for _, alt := range c.Alts {
		k := i - len(alt)
		if len(alt) > 0 && k >= 0 && matchLen(toks, k, Concept{Alts: [][]string{alt}}) == len(alt) {
			return true
		}
	}
	return false
}

// dateBeforeSubject reports a date right before a concept of the part that
// is no name, as in "Sunday's semifinal" or "the May 3 hearing".
func dateBeforeSubject(p Part, text string, toks []retrieval.Token) bool {
	for _, i := range wordsAt(p, toks) {
		if i > 0 && (isMonthOrDay(toks[i-1]) || isYear(toks[i-1]) || isNumber(toks[i-1]) && i > 1 && isMonthOrDay(toks[i-2])) &&
			joined(text, toks, i-1) {
			return true
		}
	}
	return false
}

var streetWords = map[string]bool{"road": true, "street": true, "avenue": true, "boulevard": true, "lane": true,
	"drive": true, "highway": true, "way": true, "square": true, "parkway": true}

// asksOrigin reports a where part that asks where someone is from, not
// where something was done from ("where was the satellite launched from").
func asksOrigin(p Part) bool {
	f := strings.Fields(strings.ToLower(p.Asked))
	if len(f) == 0 || f[len(f)-1] != "from" {
		return false
	}
	return verbGroupAt(f[1:len(f)-1]) < 0
}

// givesOrigin reports a name of the part followed, within a few words, by
// "of" or "from" and a capitalised place: "Darnell Price, 29, of Ashby".
// Where a person was arrested or spoke is not where they are from.
func givesOrigin(p Part, text string, toks []retrieval.Token) bool {
	for _, c := range p.Concepts {
		if !c.Name {
			continue
		}
		for i := range toks {
			n := matchLen(toks, i, c)
			if n == 0 {
				continue
			}
			for k := i + n; k+1 < len(toks) && k <= i+n+3; k++ {
				if w := lower(toks[k]); (w == "of" || w == "from") && toks[k+1].Capital && !toks[k+1].Stop {
					return true
				}
				if !toks[k].Number && lower(toks[k]) != "of" {
					break
				}
			}
		}
	}
	return false
}
