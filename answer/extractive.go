package answer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// Extractive answers from the retrieved passages without a model: for each
// part of the question it scores every sentence of the passages with the
// evidence model and quotes the best one when its confidence reaches the
// operating point; otherwise the part is not covered.
type Extractive struct {
	// IDF weighs concepts by rarity; nil weighs them all alike.
	IDF func(term string) float64
	// Model scores candidates; nil means DefaultModel.
	Model *Model
	// MinConfidence is the operating point; 0 means the model's own.
	MinConfidence float64
}

func (e Extractive) model() *Model {
	if e.Model != nil {
		return e.Model
	}
	return DefaultModel
}

// Threshold returns the confidence below which a part is not covered.
func (e Extractive) Threshold() float64 {
	if e.MinConfidence > 0 {
		return e.MinConfidence
	}
	return e.model().Threshold
}

// cand is one candidate sentence of a retrieved passage.
type cand struct {
	hit        retrieval.Hit
	rank       int
	start, end int // offsets in the article text
	text       string
	toks       []retrieval.Token
	lead       bool // the first sentence of the article's text
	f          Features
	p          float64
}

// Candidate is a scored sentence, for the fitting command.
type Candidate struct {
	Hit        retrieval.Hit
	Start, End int
	Text       string
	Features   Features
	Prob       float64
}

// PartConfidence is the confidence of answering a part with the best of
// its candidates (sorted best first).
func (e Extractive) PartConfidence(cs []Candidate) float64 {
	if len(cs) == 0 {
		return 0
	}
	second := 0.0
	if len(cs) > 1 {
		second = cs[1].Prob
	}
	return e.model().Confidence(cs[0].Prob, second, &cs[0].Features)
}

// scope is a candidate with the terms of its sentence and of the
// sentence's neighbours and headline.
type scope struct {
	c    *cand
	sent termSet
	win  termSet
}

// sentences cuts the hits into candidate sentences.
func sentences(hits []retrieval.Hit) []scope {
	var out []scope
	titles := map[string]termSet{}
	for rank, h := range hits {
		a := h.Article
		title, ok := titles[a.ID]
		if !ok {
			title = termsOf(retrieval.Tokens(a.Title))
			titles[a.ID] = title
		}
		ss := retrieval.Sentences(h.Passage.Text)
		toks := make([][]retrieval.Token, len(ss))
		for i, s := range ss {
			toks[i] = retrieval.Tokens(h.Passage.Text[s.Start:s.End])
		}
		for i, s := range ss {
			text := h.Passage.Text[s.Start:s.End]
			if len(toks[i]) < 4 || asksQuestion(text) {
				continue // a heading or a question asserts nothing
			}
			// A sentence alone, and with the one before it when it refers
			// back with a pronoun: "The board named Raman to succeed him"
			// answers with the sentence that says who "him" is.
			for _, first := range []int{i, i - 1} {
				if first < 0 || first < i && (!refersBack(toks[i]) || len(toks[first]) < 4 || asksQuestion(h.Passage.Text[ss[first].Start:ss[first].End]) ||
					strings.Contains(h.Passage.Text[ss[first].End:s.Start], "\n")) { // a pair stays in its paragraph
					continue
				}
				win := termSet{}
				for t := range title {
					win[t] = true
				}
				for _, j := range []int{first - 1, i + 1} {
					if j >= 0 && j < len(ss) {
						for _, t := range toks[j] {
							win[t.Term] = true
						}
					}
				}
				var ct []retrieval.Token
				for j := first; j <= i; j++ {
					ct = append(ct, toks[j]...)
				}
				c := &cand{hit: h, rank: rank, start: h.Passage.Start + ss[first].Start, end: h.Passage.Start + s.End,
					text: h.Passage.Text[ss[first].Start:s.End], toks: ct, lead: h.Passage.Index == 0 && first == 0}
				out = append(out, scope{c: c, sent: termsOf(ct), win: win})
			}
		}
	}
	return out
}

// refersBack reports whether a sentence holds a third-person pronoun, whose
// referent an earlier sentence names.
func refersBack(toks []retrieval.Token) bool {
	for _, t := range toks {
		if pronouns[strings.ToLower(t.Surface)] {
			return true
		}
	}
	return false
}

// asksQuestion reports whether a sentence is a question: it ends with a
// question mark, before any closing quotes or brackets.
func asksQuestion(sentence string) bool {
	return strings.HasSuffix(strings.TrimRight(sentence, " \t\n\"'”’)]"), "?")
}

// score computes every candidate's features and probability for a part,
// best first.
func (e Extractive) score(q Question, p Part, scopes []scope, hits []retrieval.Hit) []*cand {
	pt := e.partTerms(q, p)
	m := e.model()
	top, margin := 0.0, 0.0
	if len(hits) > 0 {
		top = hits[0].Score
		for _, h := range hits[1:] {
			if h.Article.Original() != hits[0].Article.Original() {
				if top > 0 {
					margin = (top - h.Score) / top
				}
				break
			}
		}
		if len(hits) == 1 || margin == 0 && hits[len(hits)-1].Article.Original() == hits[0].Article.Original() {
			margin = 1
		}
	}
	out := make([]*cand, 0, len(scopes))
	for _, s := range scopes {
		c := *s.c
		c.f = pt.features(&c, s.sent, s.win)
		if top > 0 {
			c.f[fRetrieval] = c.hit.Score / top
		}
		c.f[fMargin] = margin
		c.p = m.Prob(&c.f)
		out = append(out, &c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].p > out[j].p })
	return out
}

// Candidates scores every sentence of the hits for each part of q, best
// first; the fitting command learns from them.
func (e Extractive) Candidates(q Question, hits []retrieval.Hit) [][]Candidate {
	scopes := sentences(hits)
	var out [][]Candidate
	for _, p := range q.Parts {
		var cs []Candidate
		for _, c := range e.score(q, p, scopes, hits) {
			cs = append(cs, Candidate{Hit: c.hit, Start: c.start, End: c.end, Text: c.text, Features: c.f, Prob: c.p})
		}
		out = append(out, cs)
	}
	return out
}

// Answer answers q from hits, best hit first.
func (e Extractive) Answer(q Question, hits []retrieval.Hit) *Answer {
	ans := &Answer{Question: q.Text, Citations: []Citation{}, NotCovered: []string{}}
	ans.Sources = countSources(hits)
	scopes := sentences(hits)
	th := e.Threshold()
	var c citer
	var said []string
	var open []Part
	var related []*cand
	conf := 0.0
	for _, p := range q.Parts {
		cands := e.score(q, p, scopes, hits)
		best := 0.0
		if len(cands) > 0 {
			second := 0.0
			if len(cands) > 1 {
				second = cands[1].p
			}
			best = e.model().Confidence(cands[0].p, second, &cands[0].f)
		}
		conf += best
		if best < th {
			open = append(open, p)
			ans.NotCovered = append(ans.NotCovered, p.Text)
			if len(cands) > 0 && cands[0].f[fCoverage] >= 0.5 {
				related = append(related, cands[0])
			}
			continue
		}
		n := c.cite(cands[0].hit, cands[0].start, cands[0].end)
		// "When and where …" may be answered twice by one sentence: say
		// it once.
		if s := fmt.Sprintf("%s [%d]", strings.TrimSpace(cands[0].text), n); !slices.Contains(said, s) {
			said = append(said, s)
		}
	}
	if len(q.Parts) > 0 {
		conf /= float64(len(q.Parts))
	}
	ans.Confidence = round3(conf)
	switch {
	case len(open) == 0 && len(q.Parts) > 0:
		ans.Status = Answered
	case len(open) < len(q.Parts):
		ans.Status = Partial
	default:
		ans.Status = NotCovered
	}
	ans.LowSupport = ans.Status != NotCovered && conf < LowSupportBelow(th)
	var b strings.Builder
	if ans.Status == NotCovered {
		b.WriteString(noneSay(ans.Sources, open))
		if len(related) > 0 {
			b.WriteString(" What they do say:")
			seen := map[string]bool{}
			for _, cd := range related[:min(len(related), 2)] {
				if seen[cd.text] {
					continue
				}
				seen[cd.text] = true
				n := c.cite(cd.hit, cd.start, cd.end)
				fmt.Fprintf(&b, " %s [%d]", strings.TrimSpace(cd.text), n)
			}
		}
	} else {
		b.WriteString(strings.Join(said, " "))
		for _, p := range open {
			fmt.Fprintf(&b, " The sources do not say %s.", p.Text)
		}
	}
	ans.Answer = strings.TrimSpace(b.String())
	ans.Citations = c.cites
	return ans
}

// LowSupportBelow returns the confidence under which an answer that clears
// the operating point th is shown as weakly supported: the lower half of
// the range between th and certainty.
func LowSupportBelow(th float64) float64 { return th + (1-th)/2 }

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

func noneSay(sources int, open []Part) string {
	var what []string
	for _, p := range open {
		what = append(what, p.Text)
	}
	return noneFound(sources, what)
}

// countSources counts the independent articles among the hits: a copy
// counts with its original.
func countSources(hits []retrieval.Hit) int {
	seen := map[string]bool{}
	for _, h := range hits {
		seen[h.Article.Original()] = true
	}
	return len(seen)
}
