package answer

import (
	"strings"

	"github.com/storybot/storybot/retrieval"
)

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
	for _, i := range wordsAt(p, toks) {
		// A purpose clause soon after the action: "hired … last summer
		// to help protect", "leaving to spend".
		for k := i + 1; k+1 < len(toks) && k <= i+7; k++ {
			if strings.ContainsAny(text[toks[k-1].End:toks[k].Start], ".;:!?") {
				break
			}
			// "lowered its forecast to between …" names a target, not a purpose.
			// "according to fire chief Dana Whitcombe" names a source.
			if lower(toks[k]) == "to" && !toks[k+1].Capital && !toks[k+1].Number && !asked(p, toks[k+1]) &&
				(!toks[k+1].Stop || baseVerbs[lower(toks[k+1])]) && !toPhrases[lower(toks[k-1])] {
				return 2
			}
		}
	}
	// "The fire began when Holt used a grinder", "started the fire by
	// throwing a cigarette": the circumstance or the means of the action.
	for _, i := range wordsAt(p, toks) {
		for k := i + 1; k < len(toks) && k <= i+3; k++ {
			if strings.ContainsAny(text[toks[k-1].End:toks[k].Start], ".;:!?") {
				break
			}
			if w := lower(toks[k]); w == "by" && k+1 < len(toks) && strings.HasSuffix(lower(toks[k+1]), "ing") {
				return 2
			} else if w == "when" {
				return 1
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
		// "resigned as chief executive", "such as", "as well as": "as"
		// gives a role or a likeness, not a cause.
		if word == "as" && asRole(toks, k) {
			continue
		}
		// "three weeks after", "shortly after": a lapse of time, not a cause;
		// but in "will close for six months after inspectors found cracks"
		// the months are the closure's length.
		if k > 0 && (timeUnits[lower(toks[k-1])] && !lengthBefore(toks, k-1) || lapseWords[lower(toks[k-1])]) {
			continue
		}
		// "since March", "after 2019", "after 6 a.m.": a time, not a cause.
		if k+1 < len(toks) && (isMonthOrDay(toks[k+1]) || isYear(toks[k+1]) || relativeTime[lower(toks[k+1])] ||
			dateAt(toks, k+1, askedNothing)) {
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

// baseVerbs are stopwords that may follow a purpose "to" ("to be with
// his family").
var baseVerbs = map[string]bool{"be": true, "have": true, "do": true}

// toPhrases end with "to" phrases that introduce no purpose: "according
// to", "due to" (a cause, which strongReasons knows), "compared to".
var toPhrases = map[string]bool{"according": true, "due": true, "thanks": true, "prior": true, "compared": true,
	"next": true, "close": true, "owing": true, "contrary": true, "relative": true, "similar": true, "up": true}

// lapseWords tell a time before "after" or "since": "shortly after".
var lapseWords = map[string]bool{"shortly": true, "soon": true, "just": true, "immediately": true, "right": true,
	"long": true, "ever": true, "moments": true, "hours": true, "days": true}

// asRole reports an "as" at toks[k] that gives a role or a likeness:
// "resigned as chief executive", "such as", "as well as", "as many as".
func asRole(toks []retrieval.Token, k int) bool {
	if k > 0 {
		switch lower(toks[k-1]) {
		case "such", "known", "so", "as", "just", "same":
			return true
		}
	}
	if k+1 >= len(toks) {
		return false
	}
	next := lower(toks[k+1])
	if next == "a" || next == "an" || next == "the" || next == "its" || next == "his" || next == "her" || next == "their" {
		if k+2 >= len(toks) {
			return false
		}
		next = lower(toks[k+2])
	}
	return roleWords[retrieval.Term(next)] || asPhrases[next]
}

var asPhrases = map[string]bool{"well": true, "much": true, "many": true, "part": true, "long": true, "soon": true,
	"far": true, "usual": true, "expected": true, "planned": true, "interim": true, "acting": true}

// lengthBefore reports "for" within the four words before the time unit at
// toks[i]: "for at least six months".
func lengthBefore(toks []retrieval.Token, i int) bool { return wordBefore(toks, i, 4, forWord) }

var forWord = map[string]bool{"for": true}
