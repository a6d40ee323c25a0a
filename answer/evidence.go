package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

// evidence says how strongly a window holds an answer of the kind the part
// asks for that is not already in the question: 0 none, 1 some, 2 strong.
// inQ reports terms the question itself uses.
func evidence(p Part, w *window, inQ func(string) bool) int {
	if pastInstance(w.toks, inQ) && !asksAnyOne(p) {
		return 0
	}
	switch p.Kind {
	case Why:
		return reasonStrength(p, w.text, w.toks)
	case Who:
		// The headline may lend the verb: under "Harriers beat Rovers", a
		// sentence about the match does not say whom the Rovers beat.
		done := doneToAsker(p, w.toks)
		if done < 0 {
			done = doneToAsker(p, w.titleToks)
		}
		if roleOfOther(p, w, inQ) || done == 1 || passiveWithoutAgent(p, w.toks) {
			return 0
		}
		// A full name is strong, and so is the doer named after "by" next
		// to the asked verb ("fined £104 million by the regulator Ofwat");
		// a lone capitalised word (a team, a company, a surname) is weaker.
		switch {
		case hasPerson(w.toks, inQ), agentAfterBy(p, w.text, w.toks, inQ):
			return 2
		case p.FullName:
		case hasLoneName(w.text, w.toks, inQ), opensWithName(w, inQ), roleDoes(p, w.text, w.toks, inQ):
			return 1
		}
		return 0
	case Definition:
		return descriptionStrength(p, w.text, w.toks)
	case HowMuch:
		if asksAge(p) {
			if hasAge(p, w.text, w.toks) {
				return 2
			}
			return 0
		}
	}
	switch p.Kind {
	case HowMany, HowMuch:
		// The number must stand in a sentence that names what is counted.
		for _, sp := range w.sents {
			text, toks := w.sentence(sp)
			if p.Focus >= 0 && !matches(toks, p.Concepts[p.Focus]) && !(isMoney(p.Concepts[p.Focus]) && hasCurrency(text)) &&
				!(isTally(p.Concepts[p.Focus]) && hasTally(text)) &&
				!(p.Kind == HowMany && (deathToll(p, toks) >= 0 || crowdCount(p, toks) >= 0)) {
				continue
			}
			if p.Kind == HowMuch && p.Focus < 0 && !namesThing(p, toks) {
				continue // "how much will the fare rise": the sentence must name the fare
			}
			if p.Kind == HowMany && !namesEvent(p, toks) {
				continue // "Six people have been hospitalized" counts no one killed
			}
			if otherParty(p, w, toks, inQ) {
				continue // "Ellis … has 38 branches" counts no Northmark branches
			}
			if p.Kind == HowMuch && shareOfAsked(p, text, toks) {
				continue // "will pay $420 million of the cost" is not the cost
			}
			if p.Kind == HowMuch && asksChange(p) && !givesChange(text, toks) {
				continue // "base salary was unchanged at $1.5 million" is no rise
			}
			if p.Kind == HowMuch && p.Focus >= 0 && !amountOfConcept(p, toks) && measuresOther(p, toks) {
				continue // "a 1.2 million-square-foot data center" measures no water
			}
			if p.Kind == HowMuch && sharesOfOther(p, toks) {
				continue // "includes a 4 percent raise for teachers" is no budget
			}
			if slices.ContainsFunc(p.Concepts, func(c Concept) bool { return c.Verb && matches(toks, c) && alleged(toks, c) }) {
				continue // "accusing him of taking money" says he took nothing
			}
			if p.Kind == HowMuch && !statesAskedVerb(p, toks) {
				continue // "raise the sales tax by half a cent" is no margin of a win
			}
			if kindEvidence(p, text, toks, inQ) && !comparedAway(p, text, toks) && !differencesOnly(p, text, toks) {
				if amountOfConcept(p, toks) || p.Kind == HowMany && deathToll(p, toks) >= 0 {
					return 2 // "a $52 billion budget": the amount is the budget's
				}
				return 1
			}
		}
		return 0
	}
	if p.WantsName && !nameNearFocus(p, w.text, w.toks, inQ) {
		return 0
	}
	if p.Naming {
		if givesName(p, w.toks, inQ) {
			return 2
		}
		return 0
	}
	if p.Kind == When && !dateInClause(p, w, inQ) || p.Kind == Where && !asksOrigin(p) && !placeInClause(p, w, inQ) {
		return 0
	}
	if p.Kind == Where && asksOrigin(p) {
		if givesOrigin(p, w.text, w.toks) {
			return 1
		}
		return 0
	}
	if (p.Kind == When || p.Kind == Where) && !outsideOtherSubject(p, w, inQ) {
		return 0
	}
	if p.Kind == Say && !speechOfSpeaker(p, w) {
		return 0
	}
	// "It is the third time the route has been suspended. In April,
	// sailings were cancelled for five days": the length must be the
	// asked event's, in a sentence that names it.
	if p.Kind == HowLong && w.pair && !durationOfAsked(p, w) {
		return 0
	}
	if p.Kind == What && asksHowVoted(p) {
		// "How did the council vote?" asks for the tally or the way the
		// vote went, not any sentence about voting.
		switch {
		case hasTally(w.text) || unanimousRe.MatchString(w.text):
			return 2
		case votedWayRe.MatchString(w.text):
			return 1
		}
		return 0
	}
	if kindEvidence(p, w.text, w.toks, inQ) {
		return 1
	}
	// A yes-no question is confirmed by a sentence stating its verb, plainly,
	// with something of its own: "Orla Bank closed its branch in Fenwick on
	// Friday." (see unasserted).
	if p.Kind == YesNo && statesVerb(p, w.toks) && newContent(w.toks, inQ) >= 1 {
		return 1
	}
	return 0
}

// statesAskedVerb reports whether the tokens hold the verb the part asks
// about, unless that verb only names the amount asked ("cost", "pay",
// "rise", "take"), which the amount itself answers.
func statesAskedVerb(p Part, toks []retrieval.Token) bool {
	for i, c := range p.Concepts {
		if i != p.Focus && c.Verb && !isCost(c) && !isPay(c) && !isChange(c) && !lengthVerb(c) && !matches(toks, c) {
			return false
		}
	}
	return true
}

// alleged reports whether every match of the verb c stands under an
// allegation a few words before: "sued her former manager for $12
// million, accusing him of taking money" does not say he took $12 million.
func alleged(toks []retrieval.Token, c Concept) bool {
	return everyMatch(toks, c, func(i, _ int) bool { return wordBefore(toks, i, 4, allegations) })
}

var allegations = map[string]bool{"accused": true, "accusing": true, "accuses": true, "alleged": true, "alleging": true,
	"alleges": true, "allegedly": true, "suspected": true, "suspicion": true}

// statesVerb reports whether the part has a verb and the tokens state it
// (not as a noun, a gerund of another event or under a hedge).
func statesVerb(p Part, toks []retrieval.Token) bool {
	for _, c := range p.Concepts {
		if c.Verb && matches(toks, c) && !unasserted(toks, c) {
			return true
		}
	}
	return false
}

func kindEvidence(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	switch p.Kind {
	case Who:
		return hasPerson(toks, inQ)
	case When:
		return hasDate(toks, inQ)
	case Where:
		return hasPlace(toks, inQ) || placeNoun(toks, inQ) // placeInClause ties a common noun to the event
	case HowMany:
		return hasCount(p, text, toks)
	case HowMuch:
		return hasAmount(text, toks) || asksDifference(p) && marginAfterBy(toks) // "won … by 312 votes"
	case HowLong:
		return hasDuration(p, text, toks)
	case Say:
		return hasSpeech(text, toks)
	default:
		return newContent(toks, inQ) >= 2
	}
}

func lower(t retrieval.Token) string { return strings.ToLower(t.Surface) }

func asks(p Part, term string) bool {
	for _, c := range p.Concepts {
		for _, alt := range c.Alts {
			for _, a := range alt {
				if a == term {
					return true
				}
			}
		}
	}
	return false
}

// newContent counts content words in the window that the question does
// not use: how much the window adds.
func newContent(toks []retrieval.Token, inQ func(string) bool) int {
	n := 0
	for _, t := range toks {
		if !t.Stop && !inQ(t.Term) && len(t.Term) > 2 {
			n++
		}
	}
	return n
}

// matchAt reports whether one of c's alternatives starts at toks[i].
func matchAt(toks []retrieval.Token, i int, c Concept) bool { return matchLen(toks, i, c) > 0 }

// matchLen returns the length in tokens of the first of c's alternatives
// that starts at toks[i], or 0 when none does.
func matchLen(toks []retrieval.Token, i int, c Concept) int {
	for ai, alt := range c.Alts {
		if len(alt) == 0 || i+len(alt) > len(toks) || toks[i].Term != alt[0] {
			continue
		}
		// A name's last word alone ("County" of "Dalton County") is not
		// another name's ("Hollis County").
		if c.Name && ai > 0 && i > 0 && toks[i-1].Capital && !toks[i-1].Stop && !titles[lower(toks[i-1])] &&
			toks[i-1].End+1 == toks[i].Start {
			continue
		}
		// A name's one word must be written as a name: "Court" for "the
		// Supreme Court", not the "appeals court"; "Price", not "price".
		if c.Name && len(alt) == 1 && !toks[i].Capital {
			continue
		}
		ok := true
		for k, term := range alt {
			if toks[i+k].Term != term {
				ok = false
				break
			}
		}
		if ok && c.Particle != "" && !particleAfter(toks, i+len(alt), c.Particle) {
			continue
		}
		if ok {
			return len(alt)
		}
	}
	return 0
}

// everyMatch reports whether c matches the tokens and every match, at
// toks[i:i+n], passes ok.
func everyMatch(toks []retrieval.Token, c Concept, ok func(i, n int) bool) bool {
	found := false
	for i := range toks {
		n := matchLen(toks, i, c)
		if n == 0 {
			continue
		}
		found = true
		if !ok(i, n) {
			return false
		}
	}
	return found
}

// wordBefore reports whether one of the n words before toks[i] is in set.
func wordBefore(toks []retrieval.Token, i, n int, set map[string]bool) bool {
	for k := i - 1; k >= max(0, i-n); k-- {
		if set[lower(toks[k])] {
			return true
		}
	}
	return false
}

// singleAlt reports whether one of c's alternatives is a single term in
// terms: how a concept is told to be of a kind ("cost", "vote").
func singleAlt(c Concept, terms ...string) bool {
	for _, alt := range c.Alts {
		if len(alt) == 1 && slices.Contains(terms, alt[0]) {
			return true
		}
	}
	return false
}

// askedNothing is an inQ that holds no term: for rules that look at a
// sentence apart from any question.
func askedNothing(string) bool { return false }

// matches reports whether c appears anywhere in toks.
func matches(toks []retrieval.Token, c Concept) bool {
	for i := range toks {
		if matchAt(toks, i, c) {
			return true
		}
	}
	return false
}

// asked reports whether t is one of the part's words: "voted to push back
// the start" states the asked-about action, not a purpose behind it.
func asked(p Part, t retrieval.Token) bool {
	for _, c := range p.Concepts {
		for _, alt := range c.Alts {
			if len(alt) > 0 && alt[0] == t.Term {
				return true
			}
		}
	}
	return false
}

// opensSentence reports whether toks[i] opens a sentence of text.
func opensSentence(text string, toks []retrieval.Token, i int) bool {
	return i == 0 || strings.ContainsAny(text[toks[i-1].End:toks[i].Start], ".!?")
}

// joined reports whether no punctuation stands between toks[j] and the
// token after it.
func joined(text string, toks []retrieval.Token, j int) bool {
	return !strings.ContainsAny(text[toks[j].End:toks[j+1].Start], ",;:()—–.!?\"“”")
}

// namesThing reports, for an amount asked of no particular noun ("how much
// will the fare rise"), whether the sentence names one of the things the
// part asks about: its words that are no name, no change ("rise") and no
// money. A headline may lend a sentence its topic, but an amount of
// another thing ("would bring in $18 million a year") is not the fare's.
func namesThing(p Part, toks []retrieval.Token) bool {
	things := false
	for _, c := range p.Concepts {
		if c.Name || changeWords[strings.ToLower(c.Label)] || isMoney(c) || verbal(c) {
			continue
		}
		things = true
		if matches(toks, c) {
			return true
		}
	}
	return !things
}

// pastInstance reports a window about an earlier event of the same kind
// that the question does not ask about: "The last major quake in the
// region, in 2011, killed 112 people" does not say how many this one
// killed, nor "a similar failure in April" when this outage came. It is a
// marker ("last", "previous", "similar", an ordinal) followed within eight
// words by "in" and a year or month, neither of which the question uses.
func pastInstance(toks []retrieval.Token, inQ func(string) bool) bool {
	for i, t := range toks {
		// "its last 12 jets by 2025" counts what is left, not a past event.
		if !pastMarkers[lower(t)] || inQ(t.Term) || i+1 < len(toks) && isNumber(toks[i+1]) {
			continue
		}
		for k := i + 1; k < len(toks) && k <= i+8; k++ {
			if (isYear(toks[k]) || months[lower(toks[k])]) && lower(toks[k-1]) == "in" && !inQ(toks[k].Term) {
				return true
			}
		}
	}
	return false
}

var pastMarkers = map[string]bool{"last": true, "previous": true, "earlier": true, "prior": true, "similar": true,
	"second": true, "third": true, "fourth": true, "fifth": true} // "its second major outage this year; in March, …"

// namesEvent reports whether a sentence with a count names the event the
// part counts ("killed", "hospitalized"): a count of people hospitalized,
// beside a sentence about deaths, does not say how many were killed.
func namesEvent(p Part, toks []retrieval.Token) bool {
	for i, c := range p.Concepts {
		if i != p.Focus && !c.Name && verbal(c) && !matches(toks, c) {
			return false
		}
	}
	return true
}

// givesName reports a concept of the part followed within four words by
// "named", "called" or "dubbed" and a capitalised word the question does
// not use: "The satellite, named Aster-1".
func givesName(p Part, toks []retrieval.Token, inQ func(string) bool) bool {
	for i := range toks {
		if !matchesAny(p, toks, i) {
			continue
		}
		for k := i + 1; k+1 < len(toks) && k <= i+4; k++ {
			switch lower(toks[k]) {
			case "named", "called", "dubbed":
				if n := toks[k+1]; n.Capital && !n.Stop && !inQ(n.Term) {
					return true
				}
			}
		}
	}
	return false
}

// asksAnyOne reports a part that asks about any one of a kind ("when did
// the FTC block a merger"), which an earlier event may be.
func asksAnyOne(p Part) bool {
	f := strings.Fields(strings.ToLower(p.Asked))
	for _, w := range f {
		if w == "a" || w == "an" || w == "any" {
			return true
		}
	}
	return false
}

// otherParty reports a sentence that names none of the part's names but
// opens with another name of the article ("Ellis, based in Savannah, has
// 38 branches") or another full name: its numbers are that party's. A
// sentence that names no one ("It now has 41 million subscribers", "Six
// people have been hospitalized") may go on about the party asked about.
func otherParty(p Part, w *window, toks []retrieval.Token, inQ func(string) bool) bool {
	if len(toks) == 0 || !missesNames(p, toks) {
		return false
	}
	t := toks[0]
	if t.Capital && !t.Stop && !t.Number && !numberWords[lower(t)] && !inQ(t.Term) && w.names[t.Term] {
		return true
	}
	// "Labour's Sam Adeyemi came third with 6,480 votes": a full name
	// opening the sentence is another party, known to the article or not.
	n := 0
	for n < len(toks) && toks[n].Capital && !toks[n].Stop && !isMonthOrDay(toks[n]) && !inQ(toks[n].Term) {
		n++
	}
	return n >= 2
}

// wordsAt returns where the part's concepts that are no names stand in
// toks.
func wordsAt(p Part, toks []retrieval.Token) []int {
	var at []int
	for _, c := range p.Concepts {
		if c.Name {
			continue
		}
		for i := range toks {
			if matchAt(toks, i, c) {
				at = append(at, i)
			}
		}
	}
	return at
}

// missesNames reports whether the part names someone (a weekday is no
// one) and toks name none of them.
func missesNames(p Part, toks []retrieval.Token) bool {
	named := false
	for _, c := range p.Concepts {
		if c.Name && !dateName(c) {
			named = true
			if matches(toks, c) {
				return false
			}
		}
	}
	return named
}

// asksHowVoted reports a "how did X vote" part.
func asksHowVoted(p Part) bool {
	f := strings.Fields(strings.ToLower(strings.TrimRight(p.Asked, "?.! ")))
	return len(f) > 2 && f[0] == "how" && (doForms[f[1]] || f[1] == "will" || f[1] == "would") && slices.Contains(f[2:], "vote")
}

// votedWayRe matches which way a vote went: "voted to approve", "voted
// against", "voted in favour".
var votedWayRe = regexp.MustCompile(`(?i)\bvot(?:ed|es|e|ing) (?:to|against|for|in favou?r)\b`)

// unanimousRe matches a vote all one way.
var unanimousRe = regexp.MustCompile(`(?i)\bunanimous(?:ly)?\b`)

// particleAfter reports the particle of a phrasal verb within three words
// from toks[k]: "sent off", "sent him off", "laid 40 workers off".
func particleAfter(toks []retrieval.Token, k int, particle string) bool {
	for j := k; j < len(toks) && j < k+3; j++ {
		if lower(toks[j]) == particle {
			return true
		}
	}
	return false
}

// passiveWithoutAgent reports, for an active who-question, a window whose
// every use of the asked verb is passive with no "by" after it: "a sketch
// by Vermeer that was stolen from the museum in 1995" names the painter,
// not who stole it. A window without the verb is left to the other rules.
func passiveWithoutAgent(p Part, toks []retrieval.Token) bool {
	if !activeWho(p) {
		return false
	}
	found := false
	for _, c := range p.Concepts {
		if !c.Verb {
			continue
		}
		for i := range toks {
			if n := matchLen(toks, i, c); n > 0 {
				found = true
				passive := i > 0 && beWords[lower(toks[i-1])] || i > 1 && beWords[lower(toks[i-2])] && adverbs[lower(toks[i-1])]
				if !passive || slices.ContainsFunc(toks[i+n:min(len(toks), i+n+6)], func(t retrieval.Token) bool { return lower(t) == "by" }) {
					return false
				}
			}
		}
	}
	return found
}

// activeWho reports a part asking who did something: "who stole the
// sketch", "who will replace Hale"; not "who was arrested", nor "who will
// the Harriers play", where "who" is the one it is done to.
func activeWho(p Part) bool {
	f := strings.Fields(p.Asked)
	if len(f) < 2 || !strings.EqualFold(f[0], "who") {
		return false
	}
	w1 := strings.ToLower(f[1])
	if beWords[w1] || w1 == "has" || w1 == "had" {
		return false
	}
	if auxiliaries[w1] {
		return len(f) > 2 && !determiners[strings.ToLower(f[2])] && !unicode.IsUpper([]rune(f[2])[0])
	}
	return true
}

// roleDoes reports a role standing as the doer of the verb an active
// who-question asks about: "A federal judge on Wednesday blocked a permit"
// says who blocked it, though not by name. "Who was arrested?" asks for
// the one the verb was done to, not a role doing it.
func roleDoes(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	if !activeWho(p) {
		return false
	}
	for _, c := range p.Concepts {
		if !c.Verb {
			continue
		}
		for i := range toks {
			if !matchAt(toks, i, c) {
				continue
			}
			for k := i - 1; k >= 0 && k >= i-4; k-- {
				if strings.ContainsAny(text[toks[k].End:toks[k+1].Start], ",;:.!?") {
					break
				}
				if roleWords[toks[k].Term] && !inQ(toks[k].Term) {
					return true
				}
			}
		}
	}
	return false
}

// durationOfAsked reports a sentence of the window that gives a length
// and matches every concept of the part that the window matches.
func durationOfAsked(p Part, w *window) bool {
	for _, sp := range w.sents {
		text, toks := w.sentence(sp)
		if !hasDuration(p, text, toks) {
			continue
		}
		all := true
		for _, c := range p.Concepts {
			if matches(w.toks, c) && !matches(toks, c) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
