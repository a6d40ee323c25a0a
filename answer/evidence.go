package answer

import (
	"slices"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// evidence says how strongly a window holds an answer of the kind the part
// asks for that is not already in the question: 0 none, 1 some, 2 strong.
// inQ reports terms the question itself uses.
func evidence(p Part, w *window, inQ func(string) bool) int {
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
		if roleOfOther(p, w, inQ) || done == 1 {
			return 0
		}
		// A full name is strong, and so is the doer named after "by" next
		// to the asked verb ("fined £104 million by the regulator Ofwat");
		// a lone capitalised word (a team, a company, a surname) is weaker.
		switch {
		case hasPerson(w.toks, inQ), agentAfterBy(p, w.text, w.toks, inQ):
			return 2
		case hasLoneName(w.text, w.toks, inQ), opensWithName(w, inQ):
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
				!(p.Kind == HowMany && deathToll(p, toks) >= 0) {
				continue
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
	if p.Kind == When && !dateInClause(p, w, inQ) {
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
	if kindEvidence(p, w.text, w.toks, inQ) {
		return 1
	}
	return 0
}

// nameNearFocus looks, for "what firm …", for a name within a few words of
// "firm": a capitalised word, not opening a sentence, that the question
// does not use.
func nameNearFocus(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	if p.Focus < 0 && !p.AnyName {
		return false
	}
	near := make([]bool, len(toks))
	for i := range toks {
		if p.AnyName {
			near[i] = true // "which countries": any name will do
			continue
		}
		if matchAt(toks, i, p.Concepts[p.Focus]) {
			for k := max(0, i-4); k < min(len(toks), i+5); k++ {
				near[k] = true
			}
		}
	}
	for i, t := range toks {
		if !near[i] || !t.Capital || t.Stop || inQ(t.Term) || isMonthOrDay(t) || titles[lower(t)] {
			continue
		}
		if i == 0 {
			continue
		}
		prev := strings.TrimSpace(text[toks[i-1].End:t.Start])
		if strings.ContainsAny(prev, ".!?") {
			continue
		}
		return true
	}
	return false
}

// moneyWords are nouns a currency amount stands for ("how much money").
var moneyWords = map[string]bool{}

func init() {
	// Not revenue, profit or donations: those are particular sums, and a
	// sentence must name them.
	for _, w := range strings.Fields("money fund funds cash dollars amount sum") {
		moneyWords[retrieval.Term(w)] = true
	}
}

// isMoney reports whether c names money in general.
func isMoney(c Concept) bool {
	for _, alt := range c.Alts {
		if len(alt) == 1 && moneyWords[alt[0]] {
			return true
		}
	}
	return false
}

// hasCurrency reports an amount of money in the tokens' text.
func hasCurrency(text string) bool {
	return strings.ContainsAny(text, "$€£¥") || strings.Contains(strings.ToLower(text), " dollars")
}

func kindEvidence(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	switch p.Kind {
	case Who:
		return hasPerson(toks, inQ)
	case When:
		return hasDate(toks, inQ)
	case Where:
		return hasPlace(toks, inQ)
	case HowMany:
		return hasCount(p, text, toks)
	case HowMuch:
		return hasAmount(toks)
	case HowLong:
		return hasDuration(toks)
	case Say:
		return hasSpeech(text, toks)
	default:
		return newContent(toks, inQ) >= 2
	}
}

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

func lower(t retrieval.Token) string { return strings.ToLower(t.Surface) }

func isMonthOrDay(t retrieval.Token) bool {
	w := lower(t)
	return months[w] && (t.Capital || w != "may") || weekdays[w]
}

// namesNumber reports a number that is part of a name: "Route 30",
// "Flight 370", "Local 1199" (a capitalised word right before it that
// does not open the sentence and is no month).
func namesNumber(text string, toks []retrieval.Token, k int) bool {
	if k == 0 || opensSentence(text, toks, k-1) {
		return false
	}
	prev := toks[k-1]
	return prev.Capital && !prev.Stop && !isMonthOrDay(prev) && joined(text, toks, k-1)
}

func isYear(t retrieval.Token) bool {
	s := t.Surface
	// "19bn" is no year.
	return len(s) == 4 && t.Number && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) &&
		strings.Trim(s, "0123456789") == ""
}

func hasDate(toks []retrieval.Token, inQ func(string) bool) bool {
	for i, t := range toks {
		if inQ(t.Term) {
			continue
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
		if relativeTime[w] && i > 0 {
			prev := lower(toks[i-1])
			if prev == "last" || prev == "this" || prev == "next" || prev == "earlier" || prev == "later" || w == "ago" || w == "yesterday" || w == "today" || w == "tomorrow" {
				return true
			}
		}
		if strings.Contains(t.Surface, ":") || (t.Number && i+1 < len(toks) && (lower(toks[i+1]) == "p" || lower(toks[i+1]) == "a")) {
			return true
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
			if prev == "in" || prev == "at" || prev == "from" || prev == "near" || prev == "outside" || prev == "across" {
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

var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "sen": true, "rep": true, "gov": true, "prof": true, "president": true}

// hasPerson looks for a name of two or more capitalised words, or a title
// and a name, that the question does not already hold.
func hasPerson(toks []retrieval.Token, inQ func(string) bool) bool {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.Capital || isMonthOrDay(t) {
			continue
		}
		if titles[lower(t)] && i+1 < len(toks) && toks[i+1].Capital && !inQ(toks[i+1].Term) {
			return true
		}
		// A run of capitals is a new person only if the question uses none
		// of it: "Riverside General Hospital" extends the question's
		// "Riverside General"; "Priya Raman" is new.
		j := i
		fresh, known := false, false
		for j < len(toks) && toks[j].Capital && !toks[j].Stop && !isMonthOrDay(toks[j]) {
			if inQ(toks[j].Term) {
				known = true
			} else {
				fresh = true
			}
			j++
		}
		if j-i >= 2 && fresh && !known {
			if i > 0 {
				prev := lower(toks[i-1])
				if prev == "in" || prev == "at" || prev == "from" {
					i = j
					continue
				}
			}
			return true
		}
		if j > i {
			i = j - 1
		}
	}
	return false
}

var roleWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`officer chief director official executive president secretary minister founder
	spokesperson spokesman spokeswoman reporter analyst head manager leader chairman chairwoman senator governor mayor
	candidate adviser advisor member staffer expert researcher professor lawyer attorney judge ceo cfo cto ciso
	journalist editor author economist scientist engineer commissioner ambassador general colonel officer agent
	employee worker owner partner investor student teacher doctor representative deputy aide consultant specialist
	administrator coordinator strategist activist organizer lawmaker congressman congresswoman actor singer player coach
	company firm agency group organization organisation nonprofit startup maker`) {
		roleWords[retrieval.Term(w)] = true
	}
}

// descriptionStrength says whether a window describes the subject of a
// definition question: an apposition ("X, a former …", "the harbor master,
// X,", "X is the …") is strong; a role word beside the subject is weaker.
func descriptionStrength(p Part, text string, toks []retrieval.Token) int {
	for _, c := range p.Concepts {
		for i := range toks {
			if !matchAt(toks, i, c) {
				continue
			}
			end := i + 1
			for end < len(toks) && toks[end].Capital {
				end++
			}
			after := strings.ToLower(text[toks[end-1].End:])
			for _, pat := range []string{", who ", ", a ", ", an ", ", the ", " is a ", " was a ", " is the ", " was the ", " served as ", " works as ", " worked as ", ", former ", ", chief "} {
				if strings.HasPrefix(after, pat) {
					return 2
				}
			}
			before := strings.TrimRight(text[:toks[i].Start], " ")
			if strings.HasSuffix(before, ",") && i > 1 && !toks[i-1].Capital {
				return 2
			}
			if i > 0 && roleWords[toks[i-1].Term] {
				return 2
			}
		}
	}
	for i, t := range toks {
		if roleWords[t.Term] && i > 0 && !asks(p, t.Term) {
			return 1
		}
	}
	return 0
}

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

var numberWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions dozen dozens several") {
		numberWords[w] = true
	}
}

func isNumber(t retrieval.Token) bool {
	return (t.Number && !isYear(t)) || numberWords[lower(t)]
}

// hasCount looks for a number standing right before the thing counted
// ("40 employees", "a staff of 12").
func hasCount(p Part, text string, toks []retrieval.Token) bool {
	if p.Focus < 0 {
		for _, t := range toks {
			if isNumber(t) {
				return true
			}
		}
		return false
	}
	if deathToll(p, toks) >= 0 {
		return true
	}
	focus := p.Concepts[p.Focus]
	for i := range toks {
		if !matchAt(toks, i, focus) {
			continue
		}
		for k := max(0, i-4); k < i; k++ {
			// "won by 312 votes" gives a margin, not how many votes, and
			// "the Route 30 bridge" names one bridge.
			if isNumber(toks[k]) && (k == 0 || lower(toks[k-1]) != "by" || asksDifference(p)) && !namesNumber(text, toks, k) {
				return true
			}
		}
		if i+2 < len(toks) && lower(toks[i+1]) == "of" && isNumber(toks[i+2]) {
			return true
		}
	}
	return false
}

func hasAmount(toks []retrieval.Token) bool {
	for i, t := range toks {
		w := lower(t)
		if w == "million" || w == "billion" || w == "trillion" || w == "percent" || w == "dollars" || w == "euros" || w == "pounds" {
			return true
		}
		// "9,500 students" counts students; it is no amount.
		if isNumber(t) && t.Start > 0 && !(i+1 < len(toks) && !toks[i+1].Stop && !toks[i+1].Number && !amountUnits[lower(toks[i+1])] &&
			toks[i+1].Start == t.End+1) {
			return true
		}
	}
	return false
}

var timeUnits = map[string]bool{"second": true, "seconds": true, "minute": true, "minutes": true, "hour": true, "hours": true,
	"day": true, "days": true, "week": true, "weeks": true, "month": true, "months": true, "year": true, "years": true, "decade": true, "decades": true}

func hasDuration(toks []retrieval.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		w := lower(toks[i])
		if (isNumber(toks[i]) || w == "a" || w == "an" || w == "several" || w == "few") && timeUnits[lower(toks[i+1])] {
			return true
		}
	}
	return false
}

// Reason markers: strong ones state a cause; weak ones often only place an
// event in time ("after eight years").
var (
	strongReasons = []string{" because ", " due to ", " citing ", " cited ", " as a result ", " in order to ", " so that ",
		" reason", " led to ", " in protest ", " differences ", " disagree", " prompted ", " blamed ", " blaming ", " caused by ", " to spend ",
		" on the grounds ", " in response to ", " failed to ", " for failing ", " violat", ", siding with ", " as required by ",
		" credited ", " thanks to ", " driven by ", " fueled by ", " fuelled by ",
		" died of ", " died from ", " complications of ", " complications from ", " cause of death "}
	weakReasons = []string{" over ", " amid ", " after ", " since ", " following ", " as ", ", saying ", ", arguing ",
		" argued ", ", claiming ", " without "}
)

// reasonStrength says whether a window gives a reason: 2 for a stated
// cause or a purpose clause right after the asked-about action ("leaving
// to spend"), 1 for a weak marker, 0 for none.
func reasonStrength(p Part, text string, toks []retrieval.Token) int {
	low := " " + strings.ToLower(retrieval.Fold(text)) + " "
	for _, m := range strongReasons {
		if strings.Contains(low, m) {
			return 2
		}
	}
	for _, c := range p.Concepts {
		if c.Name {
			continue
		}
		for i := range toks {
			if !matchAt(toks, i, c) {
				continue
			}
			// A purpose clause soon after the action: "hired … last summer
			// to help protect", "leaving to spend".
			for k := i + 1; k+1 < len(toks) && k <= i+7; k++ {
				if strings.ContainsAny(text[toks[k-1].End:toks[k].Start], ".;:!?") {
					break
				}
				// "lowered its forecast to between …" names a target, not a purpose.
				if lower(toks[k]) == "to" && !toks[k+1].Capital && !toks[k+1].Number && !asked(p, toks[k+1]) &&
					(!toks[k+1].Stop || baseVerbs[lower(toks[k+1])]) {
					return 2
				}
			}
		}
	}
	for _, m := range weakReasons {
		if strings.Contains(low, m) && !introducesAsked(p, text, toks, m) {
			return 1
		}
	}
	return 0
}

// introducesAsked reports whether every use of the one-word reason marker
// m opens a clause about the asked-about event itself, or a time: in "cut
// 2,000 jobs after its profit fell", "after" gives the fall as the reason
// for the cuts, not a reason for the fall, and "treated since March" gives
// no reason at all.
func introducesAsked(p Part, text string, toks []retrieval.Token, m string) bool {
	word := strings.TrimSpace(strings.Trim(m, ", "))
	if strings.Contains(word, " ") {
		return false
	}
	seen := false
	for k, t := range toks {
		if lower(t) != word {
			continue
		}
		seen = true
		// "since March", "after 2019": a time, not a cause.
		if k+1 < len(toks) && (isMonthOrDay(toks[k+1]) || isYear(toks[k+1]) || relativeTime[lower(toks[k+1])]) {
			continue
		}
		asked := false
	clause:
		for j := k + 1; j < len(toks) && j <= k+8; j++ {
			if strings.ContainsAny(text[toks[j-1].End:toks[j].Start], ",;:.!?") {
				break
			}
			for _, c := range p.Concepts {
				if !c.Name && matchAt(toks, j, c) {
					asked = true
					break clause
				}
			}
		}
		if !asked {
			return false
		}
	}
	return seen
}

func hasSpeech(text string, toks []retrieval.Token) bool {
	if strings.ContainsAny(text, "“”\"") {
		return true
	}
	for _, t := range toks {
		if speechWords[t.Term] {
			return true
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
	for _, alt := range c.Alts {
		if len(alt) == 0 || i+len(alt) > len(toks) {
			continue
		}
		ok := true
		for k, term := range alt {
			if toks[i+k].Term != term {
				ok = false
				break
			}
		}
		if ok {
			return len(alt)
		}
	}
	return 0
}

// matches reports whether c appears anywhere in toks.
func matches(toks []retrieval.Token, c Concept) bool {
	for i := range toks {
		if matchAt(toks, i, c) {
			return true
		}
	}
	return false
}

// hasLoneName looks for a capitalised word, not opening a sentence nor
// following a place preposition, that the question does not use.
func hasLoneName(text string, toks []retrieval.Token, inQ func(string) bool) bool {
	for i, t := range toks {
		if i == 0 || !t.Capital || t.Stop || inQ(t.Term) || isMonthOrDay(t) || titles[lower(t)] {
			continue
		}
		if toks[i-1].Capital && inQ(toks[i-1].Term) {
			continue // "Riverside General Hospital": the question's name, extended
		}
		if opensSentence(text, toks, i) {
			continue
		}
		switch lower(toks[i-1]) {
		case "in", "at", "from", "near":
			continue
		}
		return true
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
	var words []Concept
	for _, c := range p.Concepts {
		if !c.Name {
			words = append(words, c)
		}
	}
	if len(words) == 0 {
		return true
	}
	for _, cl := range clauses(w.text, w.toks) {
		if !hasDate(cl, inQ) {
			continue
		}
		for _, c := range words {
			if matches(cl, c) {
				return true
			}
		}
	}
	return false
}

// clauseOpeners are words that start a new clause.
var clauseOpeners = map[string]bool{"who": true, "whom": true, "whose": true, "which": true, "that": true,
	"after": true, "before": true, "while": true, "because": true, "although": true, "though": true,
	"since": true, "until": true, "unless": true, "whereas": true}

// clauses cuts a window's tokens into clauses.
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
		if strings.ContainsAny(gap, ";:()—–.!?") || clauseOpeners[lower(toks[i])] || purpose {
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
func decidedBefore(toks []retrieval.Token, i int) bool {
	for k := i - 1; k >= max(0, i-7); k-- {
		if decisionVerbs[lower(toks[k])] {
			return true
		}
	}
	return false
}

// speechOfSpeaker reports whether the window reports speech by the speaker
// the question names, and nobody else's: every sentence that reports
// speech must have the speaker (or "he"/"she") as the one speaking, and one
// must. "Prosecutors said Delaney used the money" is not Delaney speaking;
// in "Haddad announced the closure. Local business owners said the detour
// would cost them customers." the words about the detour are not Haddad's.
// Parts without a named speaker pass.
func speechOfSpeaker(p Part, w *window) bool {
	speaker := -1
	for i := range p.Concepts {
		if isSpeaker(p, i) {
			speaker = i
			break
		}
	}
	if speaker < 0 {
		return true
	}
	found := false
	for _, sp := range w.sents {
		text, toks := w.sentence(sp)
		if !hasSpeech(text, toks) {
			continue
		}
		if !speaks(text, toks, p.Concepts[speaker]) {
			return false // someone else speaks
		}
		found = true
	}
	return found
}

// speechWords are the terms of words that mark a sentence as reporting
// speech; speechVerbs, the verbs whose subject is the one speaking, add a
// few that report speech only with a speaker ("warned", "wrote").
var speechWords, speechVerbs = map[string]bool{}, map[string]bool{}

func init() {
	for _, w := range strings.Fields(`say tell state statement add note explain confirm announce deny decline according call`) {
		speechWords[retrieval.Term(w)] = true
		speechVerbs[retrieval.Term(w)] = true
	}
	for _, w := range strings.Fields(`said says told stated added noted explained confirmed announced denied declined
	called warn warned claim claimed argue argued insist insisted describe described remark remarked write wrote
	testify testified`) {
		speechVerbs[retrieval.Term(w)] = true
	}
}

// speaks reports whether the sentence has the speaker, or "he"/"she", as
// the subject of a speech verb: just before it ("Brooks said", "Rita Shaw,
// his lawyer, said"), or just after it and ending the clause ("said Gwen
// Albright, whose …", "according to Dr. Imani Brooks.").
func speaks(text string, toks []retrieval.Token, speaker Concept) bool {
	// spans of the speaker's mentions: [start, end) token indexes.
	var spans [][2]int
	for i := range toks {
		switch lower(toks[i]) {
		case "he", "she":
			spans = append(spans, [2]int{i, i + 1})
			continue
		}
		if n := matchLen(toks, i, speaker); n > 0 {
			spans = append(spans, [2]int{i, i + n})
		}
	}
	gap := func(a, b int) string { return text[toks[a].End:toks[b].Start] } // between token a and b (a < b)
	for v, t := range toks {
		if !speechVerbs[t.Term] {
			continue
		}
		for _, sp := range spans {
			start, end := sp[0], sp[1]
			switch {
			case end <= v:
				// Before the verb: next to it, or set off by commas
				// ("Rita Shaw, his lawyer, said").
				k := end
				if k < v && strings.Contains(gap(end-1, k), ",") {
					for k < v && !strings.Contains(gap(k-1, k), ",") || k == end {
						k++
					}
				}
				if v-k <= 1 && !strings.Contains(text[toks[end-1].End:toks[v].Start], "\"") {
					return true
				}
			case start > v && start-v <= 5:
				// After the verb, ending the clause.
				if end == len(toks) || strings.ContainsAny(gap(end-1, end), ",.;:") {
					return true
				}
			}
		}
	}
	return false
}

// opensWithName reports whether a sentence of the window opens with one of
// the article's names that the question does not use ("Ortega will take
// office on January 2."): a capital that opens a sentence is a name only
// when the article writes it so elsewhere.
func opensWithName(w *window, inQ func(string) bool) bool {
	for i, t := range w.toks {
		if opensSentence(w.text, w.toks, i) && t.Capital && !t.Stop && w.names[t.Term] && !inQ(t.Term) && !isMonthOrDay(t) {
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

// amountOfConcept reports whether the number stands next to the thing
// counted: the focus, or without one any word of the question that is not a
// name.
func amountOfConcept(p Part, toks []retrieval.Token) bool {
	if p.Focus >= 0 {
		return numberNextTo(toks, p.Concepts[p.Focus])
	}
	for _, c := range p.Concepts {
		if !c.Name && numberNextTo(toks, c) {
			return true
		}
	}
	return false
}

// roleOfOther reports, for a question about a role a name holds ("the
// Rovers manager", "the Northgate spokesperson"), whether every mention of
// the role in the window belongs to another name: "Harriers manager Gwen
// Albright" does not say who manages the Rovers.
func roleOfOther(p Part, w *window, inQ func(string) bool) bool {
	for ni, n := range p.Concepts {
		if !n.Name {
			continue
		}
		for _, role := range p.Concepts[ni+1:] {
			// The word after the name must name a person by role: in
			// "who did Okafor defeat" it is a verb.
			if role.Name || n.End != role.Start || !personNoun(role) {
				continue
			}
			found, other := false, true
			for i := range w.toks {
				if !matchAt(w.toks, i, role) {
					continue
				}
				found = true
				if i == 0 || opensSentence(w.text, w.toks, i) {
					other = false // the role opens its sentence: no name holds it
					break
				}
				prev := w.toks[i-1]
				if !prev.Capital || prev.Stop || titles[lower(prev)] || nameEndsAt(w.text, w.toks, i, n) {
					other = false
					break
				}
			}
			if found && other {
				return true
			}
		}
	}
	return false
}

// nameEndsAt reports whether name c stands right before toks[i]: in full,
// or shortened ("Water" for "Linton Water") with no other capitalised word
// before it ("Carrow Water" is another name).
func nameEndsAt(text string, toks []retrieval.Token, i int, c Concept) bool {
	for ai, alt := range c.Alts {
		k := i - len(alt)
		if k < 0 || matchLen(toks, k, Concept{Alts: [][]string{alt}}) != len(alt) {
			continue
		}
		if ai == 0 || k == 0 || opensSentence(text, toks, k) || !toks[k-1].Capital || toks[k-1].Stop {
			return true
		}
	}
	return false
}

// compareWords introduce what an amount is measured against ("a premium
// over Tuesday's closing price", "above forecasts", "more than last year").
var compareWords = map[string]bool{"over": true, "above": true, "below": true, "than": true, "versus": true, "vs": true}

// comparedAway reports whether a concept of the question that is no name
// and no time stands in the sentence only as what something is compared
// with, and no number follows the comparison: "$48 a share, a 22 percent
// premium over Tuesday's closing price" gives no closing price, so it must
// not answer how much the shares closed at. A comparison the question makes
// itself ("how much over budget") does not count.
func comparedAway(p Part, text string, toks []retrieval.Token) bool {
	asked := strings.Fields(strings.ToLower(p.Text))
	for _, c := range p.Concepts {
		if c.Name || timeWord(c.Label) {
			continue
		}
		seen, away := false, true
		for i := range toks {
			if !matchAt(toks, i, c) {
				continue
			}
			seen = true
			m := comparisonBefore(text, toks, i)
			if m < 0 || slices.Contains(asked, lower(toks[m])) || numberAfter(toks, m) {
				away = false
				break
			}
		}
		if seen && away {
			return true
		}
	}
	return false
}

// asksDifference reports whether the part asks for a change or a
// difference: it uses a change word, or "by" ("how many votes did she win
// by").
func asksDifference(p Part) bool {
	for _, w := range strings.Fields(strings.ToLower(p.Text)) {
		if changeWords[w] || w == "by" || w == "margin" {
			return true
		}
	}
	return false
}

// baseVerbs are stopwords that may follow a purpose "to" ("to be with
// his family").
var baseVerbs = map[string]bool{"be": true, "have": true, "do": true}

// changeWords make a question ask for a change or a difference, which an
// amount "above" something gives ("how much did sales rise").
var changeWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("rise rose risen raise raised grow grew grown increase increased decrease decreased " +
		"fall fell fallen drop dropped jump jumped climb climbed cut gain gained lose lost more less higher lower " +
		"above below over under than exceed exceeded short difference change changed") {
		changeWords[w] = true
	}
}

// amountUnits may stand between a number and what follows it ("$4 million
// above", "5 percent below").
var amountUnits = map[string]bool{"million": true, "billion": true, "trillion": true, "thousand": true,
	"percent": true, "cents": true, "dollars": true, "points": true}

// differencesOnly reports whether every amount of the sentence is a
// difference ("The offer is $4 above the price proposed in March") while
// the question asks for a value ("how much is the offer"): the sentence
// then does not give it.
func differencesOnly(p Part, text string, toks []retrieval.Token) bool {
	if asksDifference(p) {
		return false
	}
	seen := false
	for i, t := range toks {
		if !isNumber(t) {
			continue
		}
		seen = true
		j := i + 1
		for j < len(toks) && amountUnits[lower(toks[j])] {
			j++
		}
		if j == len(toks) || strings.ContainsAny(text[toks[j-1].End:toks[j].Start], ",;:.!?") || !comparative(lower(toks[j])) {
			return false
		}
	}
	return seen
}

// comparative reports a word that makes an amount before it a difference
// ("$4 above", "5 percent more than").
func comparative(w string) bool {
	return compareWords[w] || w == "more" || w == "less" || w == "higher" || w == "lower"
}

// comparisonBefore returns the index of a comparison word at most five
// words before toks[i] in the same clause ("above the price Marlow
// proposed"), or -1.
func comparisonBefore(text string, toks []retrieval.Token, i int) int {
	for k := i - 1; k >= max(0, i-5); k-- {
		if strings.ContainsAny(text[toks[k].End:toks[k+1].Start], ",;:.!?") {
			return -1
		}
		if compareWords[lower(toks[k])] {
			return k
		}
	}
	return -1
}

// numberAfter reports whether a number follows toks[m].
func numberAfter(toks []retrieval.Token, m int) bool {
	for _, t := range toks[m+1:] {
		if isNumber(t) {
			return true
		}
	}
	return false
}

// timeQualifiers are words of a span of time ("over the past year", "over
// the first half").
var timeQualifiers = map[string]bool{"past": true, "last": true, "next": true, "previous": true, "prior": true,
	"coming": true, "first": true, "second": true, "quarter": true, "half": true, "period": true, "season": true, "term": true}

// timeWord reports whether a concept's label is a time: a month, a day, a
// year or a relative time ("over the past year").
func timeWord(label string) bool {
	for _, w := range strings.Fields(strings.ToLower(label)) {
		if months[w] || weekdays[w] || relativeTime[w] || relativeTime[strings.TrimSuffix(w, "s")] || timeQualifiers[w] {
			return true
		}
		if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
			return true
		}
	}
	return false
}

// numberNextTo reports whether a number stands within three words before
// the concept ("a $52 billion budget", "150 jobs") or just after it
// ("revenue of $6.8 billion").
func numberNextTo(toks []retrieval.Token, c Concept) bool {
	for i := range toks {
		if !matchAt(toks, i, c) {
			continue
		}
		for k := max(0, i-3); k <= min(len(toks)-1, i+3); k++ {
			if k != i && isNumber(toks[k]) {
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
			// subject is what "which" refers to.
			if relatives[lower(toks[j])] && j > 0 {
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
	for _, c := range p.Concepts {
		if c.Name {
			continue
		}
		for i := 1; i < len(toks); i++ {
			if matchAt(toks, i, c) && (isMonthOrDay(toks[i-1]) || isYear(toks[i-1]) || isNumber(toks[i-1]) && i > 1 && isMonthOrDay(toks[i-2])) &&
				joined(text, toks, i-1) {
				return true
			}
		}
	}
	return false
}

// joined reports whether no punctuation stands between toks[j] and the
// token after it.
func joined(text string, toks []retrieval.Token, j int) bool {
	return !strings.ContainsAny(text[toks[j].End:toks[j+1].Start], ",;:()—–.!?\"“”")
}

// asksOrigin reports a where part that asks where someone is from.
func asksOrigin(p Part) bool {
	f := strings.Fields(strings.ToLower(p.Text))
	return len(f) > 0 && f[len(f)-1] == "from"
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

// deathToll returns where the number of a death toll stands in toks ("the
// death toll rose to 14"), for a count of people who died or were killed,
// or -1. News updates a toll in those words, not in "14 people died".
func deathToll(p Part, toks []retrieval.Token) int {
	if p.Focus < 0 || !peopleWords[p.Concepts[p.Focus].Alts[0][0]] {
		return -1
	}
	death := false
	for _, c := range p.Concepts {
		for _, alt := range c.Alts {
			death = death || len(alt) == 1 && deathTerms[alt[0]]
		}
	}
	if !death {
		return -1
	}
	for i := 1; i < len(toks); i++ {
		if lower(toks[i]) != "toll" || toks[i-1].Term != retrieval.Term("death") {
			continue
		}
		// "the death toll from Tuesday's bridge collapse in Marlow rose to 14"
		for k := i + 1; k < len(toks) && k <= i+12; k++ {
			if isNumber(toks[k]) {
				return k
			}
		}
	}
	return -1
}

var peopleWords, deathTerms = map[string]bool{}, map[string]bool{}

func init() {
	for _, w := range strings.Fields("people person persons resident residents victim victims passenger passengers") {
		peopleWords[retrieval.Term(w)] = true
	}
	for _, w := range strings.Fields("die died dead death killed kill") {
		deathTerms[retrieval.Term(w)] = true
	}
}

// doneToAsker reports, for "who did X defeat?", whether X is only the one
// the verb is done to in toks (1) or not (0), or -1 when toks lack the verb
// or the question is of another form: "Okafor won the election, defeating
// Lund" says who defeated Lund, not whom Lund defeated. X counts as the
// doer when it comes before the verb, or after "by" ("was defeated by X").
func doneToAsker(p Part, toks []retrieval.Token) int {
	f := strings.Fields(strings.ToLower(p.Text))
	if len(f) < 4 || f[0] != "who" && f[0] != "whom" || !doSupport[f[1]] {
		return -1
	}
	var x, v *Concept
	for i := range p.Concepts {
		c := &p.Concepts[i]
		switch {
		case x == nil && c.Name:
			x = c
		case x != nil && !c.Name:
			v = c
		}
		if v != nil {
			break
		}
	}
	if x == nil || v == nil || x.End > v.Start {
		return -1
	}
	verbAt := -1
	for i := range toks {
		if matchAt(toks, i, *v) {
			verbAt = i
			break
		}
	}
	if verbAt < 0 {
		return -1
	}
	seen := false
	for i := range toks {
		if !matchAt(toks, i, *x) {
			continue
		}
		seen = true
		k := i - 1 // back over the rest of the name and a title: "by Mayor Ana Ruiz"
		for k >= 0 && toks[k].Capital && !toks[k].Stop {
			k--
		}
		if i < verbAt || k >= 0 && lower(toks[k]) == "by" {
			return 0
		}
	}
	if seen {
		return 1
	}
	return 0
}

var doSupport = map[string]bool{"did": true, "does": true, "do": true, "will": true, "would": true, "could": true,
	"can": true, "has": true, "have": true, "had": true}

// agentAfterBy reports a word of the part that is no name followed, within
// six words, by "by" and then, after at most three more, a capitalised
// name the question does not use: "fined £104 million by the regulator
// Ofwat", "was hired by Mayor Ruiz".
func agentAfterBy(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	for _, c := range p.Concepts {
		if c.Name {
			continue
		}
		for i := range toks {
			if !matchAt(toks, i, c) {
				continue
			}
			for k := i + 1; k < len(toks) && k <= i+6; k++ {
				if !joined(text, toks, k-1) {
					break
				}
				if lower(toks[k]) != "by" {
					continue
				}
				for j := k + 1; j < len(toks) && j <= k+4; j++ {
					if t := toks[j]; t.Capital && !t.Stop && !inQ(t.Term) && !isMonthOrDay(t) {
						return true
					}
				}
				break
			}
		}
	}
	return false
}

// asksAge reports a "how old" part.
func asksAge(p Part) bool {
	f := strings.Fields(strings.ToLower(p.Text))
	return len(f) > 1 && f[0] == "how" && f[1] == "old"
}

// hasAge reports an age in the window: a number right after a name of the
// part ("Darnell Price, 29,"), after "aged", before "-year-old", or closing
// a short "She was 91." An amount of money is no age.
func hasAge(p Part, text string, toks []retrieval.Token) bool {
	for i, t := range toks {
		if !t.Number || isYear(t) {
			continue
		}
		if i > 0 && lower(toks[i-1]) == "aged" {
			return true
		}
		if i+2 < len(toks) && lower(toks[i+1]) == "year" && lower(toks[i+2]) == "old" {
			return true
		}
		if i > 0 && strings.TrimSpace(text[toks[i-1].End:t.Start]) == "," {
			for _, c := range p.Concepts {
				if c.Name && nameEndsAt(text, toks, i, c) {
					return true
				}
			}
		}
		if i >= 2 && beWords[lower(toks[i-1])] && pronouns[lower(toks[i-2])] && strings.HasPrefix(text[t.End:], ".") {
			return true // "She was 91."
		}
	}
	return false
}
