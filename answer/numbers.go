package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

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

// isCost reports a concept that asks what something costs.
func isCost(c Concept) bool { return singleAlt(c, "cost", "price") }

// pricedThing reports money standing right before another word the part
// asks about: "a three-year, $85 million renovation" gives what the
// renovation cost. Money elsewhere in the sentence ("paid for by $22
// million in donations") does not.
func pricedThing(p Part, text string, toks []retrieval.Token) bool {
	for i := 1; i < len(toks); i++ {
		k := i - 1
		if amountUnits[lower(toks[k])] && k > 0 {
			k-- // "$85 million renovation"
		}
		if !isNumber(toks[k]) || !isMoneyAt(text, toks[k]) {
			continue
		}
		for _, c := range p.Concepts {
			if !c.Name && !isCost(c) && matchAt(toks, i, c) {
				return true
			}
		}
	}
	return false
}

// undergoes reports a passive verb right after the thing counted that
// the part does not ask about: "At least eight people were injured"
// counts the injured, not how many people were on the ferry.
func undergoes(p Part, toks []retrieval.Token, k int) bool {
	if k >= len(toks) || !beWords[lower(toks[k])] && lower(toks[k]) != "have" && lower(toks[k]) != "had" {
		return false
	}
	for j := k + 1; j < len(toks) && j <= k+2; j++ {
		w := lower(toks[j])
		if w == "been" || w == "not" {
			continue
		}
		if (participles[w] || strings.HasSuffix(w, "ed")) && w != "worth" {
			return !asked(p, toks[j]) && !intoAskedPlace(p, toks, j+1)
		}
		return false
	}
	return false
}

// intoAskedPlace reports whether toks[k] starts "to" or "into" a place
// the part asks who is in: "Six people have been admitted to hospital"
// counts the people in hospital, "taken into custody" those in custody.
func intoAskedPlace(p Part, toks []retrieval.Token, k int) bool {
	if k+1 >= len(toks) || lower(toks[k]) != "to" && lower(toks[k]) != "into" {
		return false
	}
	k++
	if determiners[lower(toks[k])] && k+1 < len(toks) {
		k++
	}
	place := lower(toks[k])
	asked := " " + p.Asked + " "
	return strings.Contains(asked, " in "+place+" ") || strings.Contains(asked, " in the "+place+" ")
}

// marginAfterBy reports a number right after "by": "defeating Lund by 312
// votes" is a margin, however it is counted.
func marginAfterBy(toks []retrieval.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if lower(toks[i]) == "by" && isNumber(toks[i+1]) {
			return true
		}
	}
	return false
}

// measuresOther reports whether every number of the sentence measures in
// a unit ("1.2 million-square-foot", "200 acres") that is not the thing the
// part asks the amount of.
func measuresOther(p Part, toks []retrieval.Token) bool {
	seen := false
	for i, t := range toks {
		if !isNumber(t) || amountUnits[lower(t)] || inTally(toks, i) {
			continue
		}
		seen = true
		j := i + 1
		for j < len(toks) && (amountUnits[lower(toks[j])] || lower(toks[j]) == "square" || lower(toks[j]) == "cubic") {
			j++
		}
		if j >= len(toks) || !measureUnits[lower(toks[j])] || matchesAny(p, toks, j) {
			return false
		}
	}
	return seen
}

// sharesOfOther reports whether every percentage in toks is of a thing
// the question does not name, written right after it: "includes a 4
// percent raise for teachers" says nothing of how much the budget is.
func sharesOfOther(p Part, toks []retrieval.Token) bool {
	seen := false
	for i, t := range toks {
		if !isNumber(t) {
			continue
		}
		j := i + 1
		if j < len(toks) && lower(toks[j]) == "per" {
			j++ // "per cent"
		}
		if j >= len(toks) || lower(toks[j]) != "percent" && lower(toks[j]) != "cent" {
			return false // a number that is not a percentage
		}
		seen = true
		if j+1 >= len(toks) || toks[j+1].Stop || toks[j+1].Number || matchesAny(p, toks, j+1) {
			return false // "rose 4 percent", "a 4 percent budget rise"
		}
	}
	return seen
}

// inTally reports a number joined to another by a hyphen, as in "voted
// 4-1": a tally, no amount.
func inTally(toks []retrieval.Token, i int) bool {
	joined := func(a, b int) bool { return toks[b].Start == toks[a].End+1 && toks[a].Number && toks[b].Number }
	return i > 0 && joined(i-1, i) || i+1 < len(toks) && joined(i, i+1)
}

// asksChange reports a part that asks how much something rose or fell:
// "how much did Ash's pay rise".
func asksChange(p Part) bool {
	for _, c := range p.Concepts {
		if isChange(c) {
			return true
		}
	}
	return false
}

// isChange reports a concept of the rise or fall families.
func isChange(c Concept) bool { return singleAlt(c, "rise", "fall", "increas", "drop") }

// givesChange reports an amount given as a change: after "up", "down",
// "by" or a change verb ("up 40 percent", "rose by $2", "fell 7 percent"),
// or before "more", "less", "higher" or "lower". "Unchanged at $1.5
// million" gives none.
func givesChange(text string, toks []retrieval.Token) bool {
	for i, t := range toks {
		if !isNumber(t) {
			continue
		}
		for k := i - 1; k >= max(0, i-3); k-- {
			w := lower(toks[k])
			if w == "up" || w == "down" || w == "by" || changeWords[w] && !compareWords[w] && w != "more" && w != "less" {
				return true
			}
			if strings.ContainsAny(text[toks[k].End:toks[k+1].Start], ",;:.!?") {
				break
			}
		}
		j := i + 1
		for j < len(toks) && amountUnits[lower(toks[j])] {
			j++
		}
		if j < len(toks) && comparative(lower(toks[j])) {
			return true
		}
		// "a 4 percent pay rise", "a $2 increase"
		for k := j; k < min(len(toks), j+2); k++ {
			if changeNouns[lower(toks[k])] {
				return true
			}
		}
	}
	return false
}

// changeNouns name a change, after the amount it changes by.
var changeNouns = map[string]bool{"rise": true, "increase": true, "raise": true, "hike": true, "cut": true, "drop": true,
	"fall": true, "decline": true, "gain": true, "jump": true}

// hasRise reports an amount given as a rise or a fall ("up 40 percent",
// "down a quarter"), which answers the change a question asks with its
// own verb ("how much did Ash's pay rise").
func hasRise(text string, toks []retrieval.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if w := lower(toks[i]); (w == "up" || w == "down") && (isNumber(toks[i+1]) || isMoneyAt(text, toks[i+1])) {
			return true
		}
	}
	return false
}

// lengthVerb reports a concept that only asks a length ("take" and "last"
// in "how long did the renovation take"): a length of the thing answers it
// ("a three-year renovation").
func lengthVerb(c Concept) bool { return singleAlt(c, "take", "last") }

// isPay reports a concept that asks what was paid ("how much is Meridian
// paying for Vesta"), which "agreed to buy Vesta … for about $1.1 billion"
// answers.
func isPay(c Concept) bool {
	switch retrieval.Lemma(strings.ToLower(c.Label)) {
	case "pay", "pays", "paying", "spend", "spends", "spending":
		return true
	}
	return false
}

// paidFor reports money right after "for", or after "for about": "bought
// it in 2019 for $450 million". "Paid for by $12 million in donations" says
// who paid, not the price.
func paidFor(text string, toks []retrieval.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if lower(toks[i]) != "for" {
			continue
		}
		k := i + 1
		if approx[lower(toks[k])] && k+1 < len(toks) {
			k++
		}
		if isNumber(toks[k]) && isMoneyAt(text, toks[k]) {
			return true
		}
	}
	return false
}

// soldFor reports a price given with a sale of a thing the part asks
// about: "the recalled fryers were sold … for about $90", "Nestor sells
// the fryers for $90", "is priced at $1,200". The thing must be the sale's
// subject or object: the fryers' price is no cost of their recall.
func soldFor(p Part, text string, toks []retrieval.Token) bool {
	asked := func(k int) bool {
		for _, c := range p.Concepts {
			if !c.Name && !isCost(c) && matchAt(toks, k, c) {
				return true
			}
		}
		return false
	}
	for i, t := range toks {
		if !saleWords[lower(t)] {
			continue
		}
		k := i - 1
		for k >= 0 && (beWords[lower(toks[k])] || adverbs[lower(toks[k])]) {
			k--
		}
		k = beforeApposition(text, toks, k)
		subject := k >= 0 && asked(k)
		for j := i + 1; j+1 < len(toks) && j <= i+20; j++ {
			if w := lower(toks[j]); w != "for" && w != "at" {
				continue
			}
			k := j + 1
			if approx[lower(toks[k])] && k+1 < len(toks) {
				k++
			}
			if isNumber(toks[k]) && isMoneyAt(text, toks[k]) &&
				(subject || askedBetween(asked, i+1, j)) {
				return true
			}
		}
	}
	return false
}

// beforeApposition returns, for toks[k] ending an apposition set off by
// commas ("The heaters, model BH-1500, were sold"), the word before it
// ("heaters"); else k.
func beforeApposition(text string, toks []retrieval.Token, k int) int {
	comma := func(m int) bool {
		return m >= 0 && m+1 < len(toks) && strings.Contains(text[toks[m].End:toks[m+1].Start], ",")
	}
	if !comma(k) {
		return k
	}
	for m := k - 1; m >= max(0, k-6); m-- {
		if comma(m) {
			return m
		}
	}
	return k
}

// askedBetween reports whether asked holds for a token in [from, to).
func askedBetween(asked func(int) bool, from, to int) bool {
	for k := from; k < to; k++ {
		if asked(k) {
			return true
		}
	}
	return false
}

var saleWords = map[string]bool{"sold": true, "sell": true, "sells": true, "selling": true, "priced": true,
	"retail": true, "retails": true, "retailed": true}

var approx = map[string]bool{"about": true, "roughly": true, "nearly": true, "almost": true, "around": true,
	"some": true, "approximately": true}

// isTally reports a concept that asks for a tally: a vote or a score.
func isTally(c Concept) bool { return singleAlt(c, "vote", "score", "talli") }

// tallyRe matches a tally as news writes one: "61-38", "7-2", "3–1".
var tallyRe = regexp.MustCompile(`(?:^|[^\d-])\d{1,3}[-–]\d{1,3}(?:$|[^\d-])`)

// hasTally reports a tally in the text: "the House approved the budget
// 61-38" gives the vote without the word.
func hasTally(text string) bool { return tallyRe.MatchString(text) }

// hasCurrency reports an amount of money in the tokens' text.
func hasCurrency(text string) bool {
	return strings.ContainsAny(text, "$€£¥") || strings.Contains(strings.ToLower(text), " dollars")
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
	if deathToll(p, toks) >= 0 || crowdCount(p, toks) >= 0 {
		return true
	}
	focus := p.Concepts[p.Focus]
	for i := range toks {
		if !matchAt(toks, i, focus) {
			continue
		}
		if undergoes(p, toks, i+matchLen(toks, i, focus)) {
			continue // "eight people were injured" does not count the people aboard
		}
		for k := max(0, i-4); k < i; k++ {
			// "won by 312 votes" gives a margin, not how many votes; "the
			// Route 30 bridge" names one bridge; "12 percent of its staff"
			// is a share; and "lay off 900 employees" does not say how
			// many a company has.
			if isNumber(toks[k]) && (k == 0 || lower(toks[k-1]) != "by" || asksDifference(p)) && !namesNumber(text, toks, k) &&
				!isMoneyAt(text, toks[k]) && !(k > 0 && amountUnits[lower(toks[k])] && isMoneyAt(text, toks[k-1])) &&
				!(asksTotal(p) && actedOn(toks, k)) && !(k+1 < len(toks) && lower(toks[k+1]) == "percent") {
				return true
			}
		}
		if i+2 < len(toks) && lower(toks[i+1]) == "of" && isNumber(toks[i+2]) {
			return true
		}
		// "Flu hospitalizations rose to 412", "deaths reached 30".
		for k := i + 1; k+1 < len(toks) && k <= i+6; k++ {
			if (countVerbs[lower(toks[k])] || lower(toks[k]) == "to" && k > 0 && changeWords[lower(toks[k-1])]) &&
				isNumber(toks[k+1]) && !isMoneyAt(text, toks[k+1]) &&
				!(k+2 < len(toks) && lower(toks[k+2]) == "percent") {
				return true
			}
		}
	}
	return false
}

func hasAmount(text string, toks []retrieval.Token) bool {
	for i, t := range toks {
		w := lower(t)
		if w == "million" || w == "billion" || w == "trillion" || w == "percent" || w == "dollars" || w == "euros" || w == "pounds" {
			return true
		}
		if isNumber(t) && isMoneyAt(text, t) {
			return true // "a $250,000 reward"
		}
		// "9,500 students" counts students; it is no amount, and "9 a.m."
		// is a time.
		if isNumber(t) && t.Start > 0 && !clockTime(text, t) && (i > 0 && scaleWords[lower(toks[i-1])] || // "a magnitude 6.4 earthquake"
			!(i+1 < len(toks) && !toks[i+1].Stop && !toks[i+1].Number && !amountUnits[lower(toks[i+1])] &&
				!measureUnits[lower(toks[i+1])] && !timeUnits[lower(toks[i+1])] &&
				toks[i+1].Start == t.End+1)) {
			return true
		}
	}
	return false
}

// clockTime reports a number that tells the time: "9 a.m.", "7 PM",
// "9:30".
func clockTime(text string, t retrieval.Token) bool {
	rest := strings.ToLower(text[t.End:])
	if strings.HasPrefix(rest, ":") && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9' {
		return true
	}
	rest = strings.TrimPrefix(rest, " ")
	for _, m := range []string{"a.m.", "p.m.", "am", "pm"} {
		if strings.HasPrefix(rest, m) && (len(rest) == len(m) || !unicode.IsLetter(rune(rest[len(m)]))) {
			return true
		}
	}
	return false
}

var timeUnits = map[string]bool{"second": true, "seconds": true, "minute": true, "minutes": true, "hour": true, "hours": true,
	"day": true, "days": true, "week": true, "weeks": true, "month": true, "months": true, "year": true, "years": true, "decade": true, "decades": true}

// hasDuration looks for a span of time that is the length of what the
// part asks about: "an 11-day strike" is the strike's length, not a
// contract's, and in "resigned on Tuesday, a week after …" the week is a
// lapse between two events, not how long either lasted.
func hasDuration(p Part, text string, toks []retrieval.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		w := lower(toks[i])
		// "a month-long dispute", the dispute asked about.
		if timeUnits[w] && i+2 < len(toks) && lower(toks[i+1]) == "long" &&
			strings.TrimSpace(text[toks[i].End:toks[i+1].Start]) == "-" && matchesAny(p, toks, i+2) {
			return true
		}
		if !(isNumber(toks[i]) || w == "a" || w == "an" || w == "several" || w == "few") || !timeUnits[lower(toks[i+1])] {
			continue
		}
		if i+2 < len(toks) && strings.TrimSpace(text[toks[i].End:toks[i+1].Start]) == "-" {
			// "an 11-day strike", the strike asked about; "a three-year,
			// $85 million renovation".
			for j := i + 2; j < len(toks); j++ {
				if matchesAny(p, toks, j) {
					return true
				}
				if !isNumber(toks[j]) && !amountUnits[lower(toks[j])] {
					break
				}
			}
			continue
		}
		// Otherwise words that make it a length must lead to it: "for six
		// months", "lasted three weeks", "take about two weeks"; "commute
		// more than an hour" is a commute's length, not a study's.
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			if durationIntros[lower(toks[k])] {
				return true
			}
		}
	}
	return false
}

// durationIntros lead to a span of time that is a length.
var durationIntros = map[string]bool{"for": true, "last": true, "lasted": true, "lasting": true, "lasts": true,
	"take": true, "takes": true, "took": true, "taking": true, "spent": true, "spend": true, "within": true,
	"to": true, "over": true, "after": true, // "after eight years at the company"
	"by": true} // "will delay construction by at least a year"

// matchesAny reports whether a concept of the part matches at toks[i].
func matchesAny(p Part, toks []retrieval.Token, i int) bool {
	for _, c := range p.Concepts {
		if matchAt(toks, i, c) {
			return true
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

// compareWords introduce what an amount is measured against ("a premium
// over Tuesday's closing price", "above forecasts", "more than last year").
var compareWords = map[string]bool{"over": true, "above": true, "below": true, "than": true, "versus": true, "vs": true}

// comparedAway reports whether a concept of the question that is no time
// stands in the sentence only as what something is compared with, and no
// number follows the comparison: "$48 a share, a 22 percent premium over
// Tuesday's closing price" gives no closing price, so it must not answer
// how much the shares closed at; "Farouk won 14,210 votes, 3,902 more than
// Peter Wells" gives none of Wells's votes. A comparison the question
// makes itself ("how much over budget") does not count.
func comparedAway(p Part, text string, toks []retrieval.Token) bool {
	asked := strings.Fields(strings.ToLower(p.Asked))
	for _, c := range p.Concepts {
		if timeWord(c.Label) {
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
	for _, w := range strings.Fields(strings.ToLower(p.Asked)) {
		if changeWords[w] || w == "by" || w == "margin" {
			return true
		}
	}
	return false
}

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
// scaleWords before a number make it a measure: "a magnitude 6.4
// earthquake", "a category 4 storm".
var scaleWords = map[string]bool{"magnitude": true, "category": true, "level": true, "grade": true}

// measureUnits make a number a measure, not a count of things: "40 miles
// per hour", "six metres".
var measureUnits = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`mile miles mph knot knots kilometre kilometres kilometer kilometers km kph metre metres meter meters
	foot feet inch inches acre acres hectare hectares ton tons tonne tonnes kilogram kilograms kg pound pounds degree degrees
	gallon gallons litre litres liter liters`) {
		measureUnits[w] = true
	}
}

var amountUnits = map[string]bool{"million": true, "billion": true, "trillion": true, "thousand": true,
	"percent": true, "percentage": true, "cents": true, "dollars": true, "points": true}

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
		// "a 27 percent premium to its closing price" compares too.
		if compareWords[lower(toks[k])] || lower(toks[k]) == "to" && k > 0 && (lower(toks[k-1]) == "premium" || lower(toks[k-1]) == "discount") {
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

// crowdCount returns where the number of a crowd stands in toks ("a
// crowd of 18,450 watched the match"), for a count of people, fans or
// spectators, or -1: news counts an audience in those words, not in
// "18,450 people".
func crowdCount(p Part, toks []retrieval.Token) int {
	if p.Focus < 0 {
		return -1
	}
	if f := p.Concepts[p.Focus].Alts[0][0]; !peopleWords[f] && !crowdMembers[f] {
		return -1
	}
	for i := 0; i+2 < len(toks); i++ {
		switch lower(toks[i]) {
		case "crowd", "audience", "attendance":
			if lower(toks[i+1]) == "of" && isNumber(toks[i+2]) {
				return i + 2
			}
		}
	}
	return -1
}

// crowdMembers are who a crowd is made of, beside peopleWords.
var crowdMembers = map[string]bool{}

func init() {
	for _, w := range strings.Fields("fan fans spectator spectators supporter supporters visitor visitors") {
		crowdMembers[retrieval.Term(w)] = true
	}
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

// asksAge reports a "how old" part.
func asksAge(p Part) bool {
	f := strings.Fields(strings.ToLower(p.Asked))
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

// countVerbs lead from the thing counted to its number ("reached 30"), as
// does "to" after a change ("rose to 412").
var countVerbs = map[string]bool{"reached": true, "totaled": true, "totalled": true, "topped": true, "hit": true}

// asksTotal reports a part that asks how many a thing has ("how many
// employees does Brightwave have").
func asksTotal(p Part) bool {
	f := strings.Fields(strings.ToLower(p.Asked))
	if len(f) == 0 {
		return false
	}
	last := f[len(f)-1]
	return last == "have" || last == "has" || last == "had"
}

// actedOn reports a count that an action takes or adds ("lay off about
// 900 employees", "gained 1.1 million subscribers"): a change, not how many
// there are.
func actedOn(toks []retrieval.Token, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if actionVerbs[lower(toks[j])] {
			return true
		}
	}
	return false
}

var actionVerbs = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`lay laying laid cut cuts cutting hire hires hired hiring add adds added adding
	gain gains gained lose loses lost shed sheds eliminate eliminated fire fires fired sign signed close closed
	open opened recruit recruited`) {
		actionVerbs[w] = true
	}
}

// isMoneyAt reports a number written as money ("$38 million"), which
// counts no satellites.
func isMoneyAt(text string, t retrieval.Token) bool {
	before := strings.TrimRight(text[:t.Start], " ")
	return strings.HasSuffix(before, "$") || strings.HasSuffix(before, "€") || strings.HasSuffix(before, "£") ||
		strings.HasSuffix(before, "¥")
}

// shareOfAsked reports an amount that is a part of an amount the part asks
// about: "the team will pay $420 million of the cost" does not say what the
// stadium costs, nor "40 percent of the budget" what the budget is. "$300,000
// of the money has been recovered" does say how much was recovered: money
// is no amount noun. A part that asks for a share itself ("how much of the
// cost …") takes it.
func shareOfAsked(p Part, text string, toks []retrieval.Token) bool {
	for _, w := range strings.Fields(strings.ToLower(p.Asked)) {
		if w == "of" || w == "share" || w == "part" || w == "portion" {
			return false
		}
	}
	for i := 1; i+1 < len(toks); i++ {
		prev := toks[i-1]
		if lower(toks[i]) != "of" || !(isNumber(prev) && isMoneyAt(text, prev) || amountUnits[lower(prev)]) {
			continue
		}
		j := i + 1
		if j < len(toks) && determiners[lower(toks[j])] {
			j++
		}
		for _, c := range p.Concepts {
			if j < len(toks) && !c.Name && amountNouns[lower(toks[j])] && matchAt(toks, j, c) {
				return true
			}
		}
	}
	return false
}
