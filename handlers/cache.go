package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// AnswerCache stores encoded answers for a time; the Redis adapter
// satisfies it so replicas share answers.
type AnswerCache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// DefaultAnswerTTL is how long a cached answer lives when TTL is zero.
const DefaultAnswerTTL = 24 * time.Hour

// CacheStats counts an answer cache's use, for metrics.
type CacheStats struct {
	Hits   atomic.Int64
	Misses atomic.Int64
	Errors atomic.Int64 // cache reads or writes that failed, and entries refused
}

// CachedAnswerer answers from a cache when the same question was answered
// before from the same passages: the key covers the normalised question,
// the asker's collections, the index version, the model, and the ID and
// content hash of every retrieved passage's article, so an answer is
// reused only where it was built from exactly what this asker may see.
// A cached answer is checked against the current hits before it is
// returned. Answers carrying notes (a model fallback) are not cached, so
// the model is asked again next time. Use it by pointer.
type CachedAnswerer struct {
	Next  Answerer
	Cache AnswerCache
	// Version returns the index version (nil: none); any change of the
	// index's content must change it.
	Version func() string
	// Model names what writes the answers ("extractive", the chat model).
	Model string
	// TTL bounds an entry's life (default 24h).
	TTL    time.Duration
	Logger *slog.Logger
	Stats  CacheStats
}

type collectionsKey struct{}

// WithCollections records the collections the asker may see, for the
// answer cache's key. Service.Ask's caller (or Ask itself) sets it.
func WithCollections(ctx context.Context, collections []string) context.Context {
	return context.WithValue(ctx, collectionsKey{}, slices.Clone(collections))
}

func collectionsFrom(ctx context.Context) []string {
	cs, _ := ctx.Value(collectionsKey{}).([]string)
	return cs
}

// Answer implements Answerer.
func (c *CachedAnswerer) Answer(ctx context.Context, q answer.Question, hits []retrieval.Hit) (*answer.Answer, error) {
	key := c.key(ctx, q, hits)
	if b, ok, err := c.Cache.Get(ctx, key); err != nil {
		c.Stats.Errors.Add(1)
		c.logger().Warn("answer cache read failed", "error", err)
	} else if ok {
		ans, err := decodeAnswer(b)
		if err == nil {
			err = fitsHits(ans, hits)
		}
		if err == nil {
			c.Stats.Hits.Add(1)
			ans.Question = q.Text
			return ans, nil
		}
		c.Stats.Errors.Add(1)
		c.logger().Warn("cached answer refused", "error", err)
	}
	c.Stats.Misses.Add(1)
	ans, err := c.Next.Answer(ctx, q, hits)
	if err != nil || ans == nil || len(ans.Notes) > 0 {
		return ans, err
	}
	ttl := c.TTL
	if ttl <= 0 {
		ttl = DefaultAnswerTTL
	}
	if b, err := encodeAnswer(ans); err == nil {
		if err := c.Cache.Set(ctx, key, b, ttl); err != nil {
			c.Stats.Errors.Add(1)
			c.logger().Warn("answer cache write failed", "error", err)
		}
	}
	return ans, nil
}

func (c *CachedAnswerer) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// key derives the cache key.
func (c *CachedAnswerer) key(ctx context.Context, q answer.Question, hits []retrieval.Hit) string {
	colls := collectionsFrom(ctx)
	for _, h := range hits {
		colls = append(colls, h.Article.Collection)
	}
	slices.Sort(colls)
	colls = slices.Compact(colls)
	version := ""
	if c.Version != nil {
		version = c.Version()
	}
	h := sha256.New()
	field := func(s string) {
		fmt.Fprintf(h, "%d:%s\x00", len(s), s)
	}
	field("storybot-answer-v1")
	field(c.Model)
	field(version)
	field(NormalizeQuestion(q.Text))
	field(strings.Join(colls, ","))
	// Context from earlier questions of a conversation changes the answer.
	for _, p := range q.Parts {
		for _, cc := range p.Context {
			field("ctx:" + cc.Label)
		}
	}
	for _, hit := range hits {
		field(hit.Passage.ID + "@" + hit.Article.Hash)
	}
	return "answer:" + hex.EncodeToString(h.Sum(nil))
}

// NormalizeQuestion folds what does not change a question's meaning: case,
// typographic variants, spacing and closing punctuation.
func NormalizeQuestion(s string) string {
	s = strings.ToLower(retrieval.Fold(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, "?!. ")
}

// fitsHits checks that a cached answer cites only the passages retrieved
// now, quoting their articles' current text.
func fitsHits(a *answer.Answer, hits []retrieval.Hit) error {
	passages := map[string]bool{}
	for _, h := range hits {
		passages[h.Passage.ID] = true
	}
	for _, c := range a.Citations {
		if !passages[c.PassageID] {
			return fmt.Errorf("citation [%d] is of a passage not retrieved for this question", c.N)
		}
	}
	return answer.Check(a, func(id string) *retrieval.Article {
		for _, h := range hits {
			if h.Article.ID == id {
				return h.Article
			}
		}
		return nil
	})
}

// cachedAnswer is an Answer with the fields its JSON form leaves out.
type cachedAnswer struct {
	*answer.Answer
	Sources int `json:"sources"`
	Cites   []struct {
		Published string `json:"published,omitempty"`
		Start     int    `json:"start"`
		End       int    `json:"end"`
	} `json:"cites"`
}

func encodeAnswer(a *answer.Answer) ([]byte, error) {
	rec := cachedAnswer{Answer: a, Sources: a.Sources}
	rec.Cites = make([]struct {
		Published string `json:"published,omitempty"`
		Start     int    `json:"start"`
		End       int    `json:"end"`
	}, len(a.Citations))
	for i, c := range a.Citations {
		rec.Cites[i].Published, rec.Cites[i].Start, rec.Cites[i].End = c.Published, c.Start, c.End
	}
	return json.Marshal(rec)
}

func decodeAnswer(b []byte) (*answer.Answer, error) {
	rec := cachedAnswer{Answer: new(answer.Answer)}
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("decode cached answer: %w", err)
	}
	if len(rec.Cites) != len(rec.Answer.Citations) {
		return nil, fmt.Errorf("decode cached answer: %d citations, %d offsets", len(rec.Answer.Citations), len(rec.Cites))
	}
	a := rec.Answer
	a.Sources = rec.Sources
	for i := range a.Citations {
		a.Citations[i].Published, a.Citations[i].Start, a.Citations[i].End = rec.Cites[i].Published, rec.Cites[i].Start, rec.Cites[i].End
	}
	if a.Citations == nil {
		a.Citations = []answer.Citation{}
	}
	if a.NotCovered == nil {
		a.NotCovered = []string{}
	}
	return a, nil
}
