package answer

import (
	"regexp"

	"github.com/storybot/storybot/retrieval"
)

// The evidence features of one candidate sentence for one question part.
// Each is general: none names a word of a particular question or article.
// The model (model.go) weighs them; `go run ./answer/fit` fits the weights
// and prints what each feature is worth on held-out questions.
const (
	fCoverage   = iota // rarity-weighted share of the part's concepts in the sentence
	fWindow            // the same over the sentence, its neighbours and the headline
	fMissing           // rarity of the rarest concept the sentence and its neighbours lack, relative to the part's rarest
	fNumbersOff        // the part's numbers and years the window lacks; more when it gives others of their kind
	fProximity         // how close together the matched words sit
	fRetrieval         // the passage's retrieval score over the best hit's
	fMargin            // the best hit's retrieval margin over the next article's
	fNegation          // the question and the sentence disagree on negation
	fLead              // the sentence opens its article
	fAsksNumber        // the part asks how many or how much: a match is less often an answer
	NumFeatures
)

// FeatureNames names the features, in order, as model.json and the fitting
// command's ablation table name them.
var FeatureNames = [NumFeatures]string{
	"coverage", "window_coverage", "missing_near", "numbers_off", "proximity", "retrieval", "retrieval_margin",
	"negation", "lead", "asks_number",
}

// Features is one candidate's feature vector.
type Features [NumFeatures]float64

// partTerms is what the features need of a question part, computed once.
type partTerms struct {
	concepts []Concept
	weights  []float64 // rarity of each concept
	total    float64
	maxW     float64
	kind     Kind
	terms    map[string]bool // every term of the question, alternatives included
	numbers  []string        // numbers and years the part states
	negated  bool
}

func (e Extractive) partTerms(q Question, p Part) *partTerms {
	pt := &partTerms{terms: map[string]bool{}, kind: p.Kind}
	for _, c := range p.Concepts {
		if len(c.Alts) == 0 {
			continue
		}
		w := e.idf(c.Alts[0])
		pt.concepts = append(pt.concepts, c)
		pt.weights = append(pt.weights, w)
		pt.total += w
		pt.maxW = max(pt.maxW, w)
	}
	for _, part := range q.Parts {
		for _, c := range append(part.Concepts, part.Context...) {
			for _, alt := range c.Alts {
				for _, t := range alt {
					pt.terms[t] = true
				}
			}
		}
	}
	for _, t := range retrieval.Tokens(p.Asked) {
		pt.terms[t.Term] = true
		if t.Number {
			pt.numbers = append(pt.numbers, t.Term)
		}
		if negation(t.Surface) {
			pt.negated = true
		}
	}
	return pt
}

func (e Extractive) idf(alt []string) float64 {
	if e.IDF == nil {
		return 1
	}
	best := 0.0
	for _, t := range alt {
		best = max(best, e.IDF(t))
	}
	return max(best, 0.1)
}

// termSet is the set of terms of some text.
type termSet map[string]bool

func termsOf(toks []retrieval.Token) termSet {
	s := make(termSet, len(toks))
	for _, t := range toks {
		s[t.Term] = true
	}
	return s
}

// has reports whether one of the concept's alternatives has all its terms
// in one of the sets.
func (c Concept) in(sets ...termSet) bool {
	for _, alt := range c.Alts {
		all := len(alt) > 0
		for _, t := range alt {
			found := false
			for _, s := range sets {
				if s[t] {
					found = true
					break
				}
			}
			if !found {
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

// coverage is the rarity-weighted share of the part's concepts in sets.
func (pt *partTerms) coverage(sets ...termSet) float64 {
	if pt.total == 0 {
		return 0
	}
	got := 0.0
	for i, c := range pt.concepts {
		if c.in(sets...) {
			got += pt.weights[i]
		}
	}
	return got / pt.total
}

// features computes a candidate's feature vector from the terms of its
// sentence and of the sentence's neighbours and headline.
func (pt *partTerms) features(c *cand, sentTerms, win termSet) Features {
	var f Features
	f[fCoverage] = pt.coverage(sentTerms)
	f[fWindow] = pt.coverage(sentTerms, win)
	for i, cc := range pt.concepts {
		if !cc.in(sentTerms, win) && pt.maxW > 0 {
			f[fMissing] = max(f[fMissing], pt.weights[i]/pt.maxW)
		}
	}
	for _, n := range pt.numbers {
		if sentTerms[n] || win[n] {
			continue
		}
		f[fNumbersOff] += 0.5
		if hasNumberLike(c.toks, n) {
			f[fNumbersOff] += 0.5 // another year or count where the asked one should be
		}
	}
	f[fNumbersOff] = min(f[fNumbersOff], 1)
	f[fProximity] = proximity(c.toks, pt)
	neg := false
	for _, t := range c.toks {
		if negation(t.Surface) {
			neg = true
			break
		}
	}
	if neg != pt.negated {
		f[fNegation] = 1
	}
	if c.lead {
		f[fLead] = 1
	}
	if pt.kind == HowMany || pt.kind == HowMuch {
		f[fAsksNumber] = 1
	}
	return f
}

// proximity is the share of the tokens between the first and the last
// matched question term that are matched themselves (0 with fewer than two).
func proximity(toks []retrieval.Token, pt *partTerms) float64 {
	first, last, n := -1, -1, 0
	for i, t := range toks {
		if t.Stop || !pt.terms[t.Term] {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
		n++
	}
	if n < 2 {
		return 0
	}
	return float64(n) / float64(last-first+1)
}

// hasNumberLike reports whether toks hold a number of the same shape as n
// (a four-digit year for a year, any number for a count) other than n.
func hasNumberLike(toks []retrieval.Token, n string) bool {
	year := isYear(n)
	for _, t := range toks {
		if !t.Number || t.Term == n {
			continue
		}
		if !year || isYear(t.Term) {
			return true
		}
	}
	return false
}

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s >= "1000" && s <= "2199"
}

// negation reports a word that negates its clause.
func negation(word string) bool { return denies(word, denials) }

// Disclaims reports whether a sentence says what its source does not know
// ("did not say", "declined to", "it is unclear"): it leaves a question
// open rather than answering it.
func Disclaims(sentence string) bool { return disclaimRe.MatchString(sentence) }

var disclaimRe = regexp.MustCompile(`(?i)\b(?:(?:did not|didn't|would not|wouldn't|could not|couldn't|has not|hasn't|have not|haven't|was not|wasn't|were not|weren't)(?: immediately)? (?:say|said|disclose|disclosed|specify|specified|comment|commented|confirm|confirmed|name|named|identify|identified|reveal|revealed|explain|explained|elaborate|provide|provided|respond|responded|return)|declined to|refused to|not immediately (?:clear|known|available)|(?:it is|it was|it's|it remains|remains|remained|is still|was still) (?:unclear|not clear|unknown|not known))\b`)
