// Package handlers holds storybot's use cases, free of any transport: asking
// a question, the /story subcommands, digests and feedback. The Slack bot
// and the CLI both call them.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/phrase"
)

// Answerer writes an answer from retrieved passages. The extractive
// answerer and the model-backed one both satisfy it.
type Answerer interface {
	Answer(ctx context.Context, q answer.Question, hits []retrieval.Hit) (*answer.Answer, error)
}

// ExtractiveAnswerer adapts answer.Extractive to Answerer.
type ExtractiveAnswerer struct{ answer.Extractive }

// Answer implements Answerer.
func (e ExtractiveAnswerer) Answer(_ context.Context, q answer.Question, hits []retrieval.Hit) (*answer.Answer, error) {
	return e.Extractive.Answer(q, hits), nil
}

// Service runs storybot's use cases over one index.
type Service struct {
	Index     *retrieval.Index
	Thesaurus *retrieval.Thesaurus
	// Answerer writes answers; nil means the extractive answerer.
	Answerer Answerer
	// Passages is how many passages are retrieved per question (default 12).
	Passages int
	// MinConfidence is the extractive answerer's operating point; 0 means
	// the fitted model's own (see answer.Extractive).
	MinConfidence float64
	// MaxQuestion bounds a question, in characters; 0 means
	// MaxQuestionRunes.
	MaxQuestion int
	// Search, when set, retrieves passages instead of the lexical index
	// alone (hybrid lexical and vector search); it must honour
	// q.Collections.
	Search func(ctx context.Context, q retrieval.Query, text string) []retrieval.Hit
	// Stale, when set, reports why the index may be out of date (its store
	// is unreachable); answers then carry that note.
	Stale func() string
	// OnAnswer, when set, sees every answer given (the digest's list of
	// questions the sources could not answer is fed from it).
	OnAnswer func(ctx context.Context, req AskRequest, ans *answer.Answer)
}

// ErrEmptyQuestion is returned for a question with no words in it.
var ErrEmptyQuestion = errors.New("the question is empty")

// MaxQuestionRunes is the default bound of a question: a longer text is a
// pasted document, not a question, and would cost seconds of work and
// pages of answer. Service.MaxQuestion changes it.
const MaxQuestionRunes = 1000

// ErrDraftTooLong is returned for a draft to check over MaxCheckRunes.
var ErrDraftTooLong = fmt.Errorf("the text to check is longer than %d characters", MaxCheckRunes)

// ErrQuestionTooLong is what a question over the bound is; the error
// returned is a *QuestionTooLongError, which says the bound.
var ErrQuestionTooLong = errors.New("the question is too long")

// QuestionTooLongError is a question over the bound.
type QuestionTooLongError struct{ Limit int }

func (e *QuestionTooLongError) Error() string {
	return fmt.Sprintf("the question is longer than %d characters", e.Limit)
}

// Is makes errors.Is(err, ErrQuestionTooLong) true.
func (e *QuestionTooLongError) Is(target error) bool { return target == ErrQuestionTooLong }

// AskRequest is one question and where it was asked.
type AskRequest struct {
	Question string
	// Collections the asker may see; empty means the default collection.
	Collections []string
	// Channel and User say where the question came from ("" from the CLI).
	Channel, User string
	// History holds earlier questions of the same conversation, oldest
	// first, so that a follow-up ("and when did he leave?") keeps its
	// subject.
	History []string
	// Answers holds the bot's earlier answers in the conversation, oldest
	// first: the names they give tell what "she" or "that firm" is.
	Answers []string
}

// Ask answers a question from the index.
func (s *Service) Ask(ctx context.Context, req AskRequest) (*answer.Answer, error) {
	text := strings.TrimSpace(req.Question)
	limit := s.MaxQuestion
	if limit <= 0 {
		limit = MaxQuestionRunes
	}
	if utf8.RuneCountInString(text) > limit {
		return nil, &QuestionTooLongError{Limit: limit}
	}
	if len(retrieval.Tokens(text)) == 0 {
		return nil, ErrEmptyQuestion
	}
	q := answer.Analyze(text, s.Thesaurus)
	if len(req.History)+len(req.Answers) > 0 {
		q = answer.FollowUp(q, append(append([]string(nil), req.History...), req.Answers...), s.Thesaurus)
	}
	n := s.Passages
	if n <= 0 {
		n = 12
	}
	terms := q.Terms()
	if len(terms) <= 2 {
		// "Where is Price from?" searches one word that many passages
		// hold ("the closing price"): they tie on it, so look further.
		n *= 3
	}
	query := retrieval.Query{Terms: terms, Collections: req.Collections, Limit: n}
	var hits []retrieval.Hit
	if s.Search != nil {
		hits = s.Search(ctx, query, text)
	} else {
		hits = s.Index.Search(query)
	}
	hits = s.Index.WithText(hits) // the answerer reads whole articles
	hits = clearestHits(s.Index, hits)
	ctx = WithCollections(ctx, req.Collections)
	ans, err := s.answerer().Answer(ctx, q, hits)
	if err != nil {
		return nil, fmt.Errorf("answer %q: %w", text, err)
	}
	// The JSON contract has arrays, never null.
	if ans.Citations == nil {
		ans.Citations = []answer.Citation{}
	}
	if ans.NotCovered == nil {
		ans.NotCovered = []string{}
	}
	if err := answer.Check(ans, s.Index.Get); err != nil {
		return nil, fmt.Errorf("answer failed verification: %w", err)
	}
	if note := freshness(ans, s.Index.Header); note != "" {
		ans.Notes = append(ans.Notes, note)
	}
	if s.Stale != nil {
		if why := s.Stale(); why != "" {
			ans.Notes = append(ans.Notes, "The index may be stale: "+why)
		}
	}
	if s.OnAnswer != nil {
		s.OnAnswer(ctx, req, ans)
	}
	return ans, nil
}

// clearestHits leaves out the passages of an article when a copy of it
// (either way) is retrieved too, in wording the rest of the index attests
// clearly better (phrase.Stats.Outworded), so that an answer cites the
// clearer of two copies for what both say: never a machine-reworded copy
// while its original is at hand, whichever was ingested first. Only copies
// are compared: the comparison is far dearer than the search, and reports
// of one event in their own words are each cited for what they say.
func clearestHits(ix *retrieval.Index, hits []retrieval.Hit) []retrieval.Hit {
	family := map[string][]*retrieval.Article{}
	seen := map[string]bool{}
	for _, h := range hits {
		if a := h.Article; a != nil && a.Text != "" && !seen[a.ID] {
			seen[a.ID] = true
			family[a.Original()] = append(family[a.Original()], a)
		}
	}
	var arts []*retrieval.Article
	for _, f := range family {
		if len(f) > 1 {
			arts = append(arts, f...)
		}
	}
	if len(arts) < 2 {
		return hits // no copies among the hits: nothing to compare
	}
	slices.SortFunc(arts, func(a, b *retrieval.Article) int { return strings.Compare(a.ID, b.ID) })
	docs := storyDocs(arts, memoIDF(ix))
	out := outworded(docs, phrase.For(ix), (*retrieval.Article).Original)
	if len(out) == 0 {
		return hits
	}
	kept := hits[:0:0]
	for _, h := range hits {
		if h.Article == nil || !out[h.Article.ID] {
			kept = append(kept, h)
		}
	}
	return kept
}

func (s *Service) answerer() Answerer {
	if s.Answerer != nil {
		return s.Answerer
	}
	return ExtractiveAnswerer{answer.Extractive{IDF: s.Index.IDF, MinConfidence: s.MinConfidence}}
}

// freshness says how recent the cited coverage is: the newest cited
// article's publication date (when known) and when it was ingested.
func freshness(ans *answer.Answer, get func(string) *retrieval.Article) string {
	var newest *retrieval.Article
	for _, c := range ans.Citations {
		a := get(c.ArticleID)
		if a == nil {
			continue
		}
		if newest == nil || a.Published.After(newest.Published) ||
			(a.Published.Equal(newest.Published) && a.Ingested.After(newest.Ingested)) {
			newest = a
		}
	}
	if newest == nil {
		return ""
	}
	if newest.Published.IsZero() {
		return "Newest cited source ingested " + newest.Ingested.Format("2006-01-02") + " (publication date unknown)."
	}
	return "Newest cited source published " + newest.Published.Format("2006-01-02") + ", ingested " + newest.Ingested.Format("2006-01-02") + "."
}
