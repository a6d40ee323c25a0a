package handlers

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// MaxCheckRunes bounds a draft to check: a few paragraphs, not a document.
const MaxCheckRunes = 4000

// The verdicts of a checked sentence.
const (
	Supported    = "supported"    // a sentence of the sources says it
	Contradicted = "contradicted" // the closest sentence gives another name or number, or says the opposite
	NotFound     = "not_found"    // no sentence of the sources says it
)

// CheckRequest is a draft to check against the sources.
type CheckRequest struct {
	Text        string
	Collections []string
}

// SentenceCheck is the verdict on one sentence of a draft.
type SentenceCheck struct {
	Sentence string
	Verdict  string
	// Citation quotes the sentence of the sources that supports or
	// contradicts it; nil when nothing was found.
	Citation *answer.Citation
}

// Check checks each sentence of a draft against the archive with the
// verifier the model path uses: a sentence is supported when one sentence
// of the sources holds its names, numbers, negation, order in time and
// key terms, contradicted when the closest one gives another name or
// number or says the opposite, and not found otherwise.
func (s *Service) Check(ctx context.Context, req CheckRequest) ([]SentenceCheck, error) {
	text := strings.TrimSpace(req.Text)
	if utf8.RuneCountInString(text) > MaxCheckRunes {
		return nil, ErrDraftTooLong
	}
	var out []SentenceCheck
	for _, sp := range retrieval.Sentences(text) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sent := text[sp.Start:sp.End]
		if len(retrieval.Terms(sent)) < 2 {
			continue // a heading or a fragment states nothing to check
		}
		out = append(out, s.checkSentence(sent, req.Collections))
	}
	if len(out) == 0 {
		return nil, ErrEmptyQuestion
	}
	return out, nil
}

func (s *Service) checkSentence(sent string, collections []string) SentenceCheck {
	res := SentenceCheck{Sentence: sent, Verdict: NotFound}
	q := answer.Analyze(sent, s.Thesaurus)
	hits := s.Index.WithText(s.Index.Search(retrieval.Query{Terms: q.Terms(), Collections: collections, Limit: 8}))
	if len(hits) == 0 {
		return res
	}
	passages := make([]int, len(hits))
	for i := range hits {
		passages[i] = i + 1
	}
	v := answer.VerifyClaim(answer.Claim{Text: sent, Passages: passages}, hits, s.Thesaurus)
	if !v.OK && !v.Near {
		return res
	}
	h := hits[v.Passage-1]
	switch {
	case v.OK:
		res.Verdict = Supported
	case v.Contradicts(sent, h.Article.Text[v.Start:v.End]):
		res.Verdict = Contradicted
	default:
		return res
	}
	c := answer.NewCitation(1, h, v.Start, v.End)
	res.Citation = &c
	return res
}
