package handlers

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/openai"
	"github.com/storybot/storybot/internal/openaitest"
	"github.com/storybot/storybot/retrieval"
)

// memCache is an AnswerCache in memory that records TTLs.
type memCache struct {
	mu   sync.Mutex
	m    map[string][]byte
	ttls []time.Duration
}

func (c *memCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok, nil
}

func (c *memCache) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.m[key] = val
	c.ttls = append(c.ttls, ttl)
	return nil
}

type cacheFixture struct {
	svc   *Service
	srv   *openaitest.Server
	cache *memCache
	ca    *CachedAnswerer
}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	ix := retrieval.NewIndex()
	for _, a := range []struct{ id, coll, text string }{
		{"ciso", "published", "The campaign's chief information security officer, Mick Baccio, resigned on Tuesday after 14 months in the job."},
		{"memo", "internal", "An internal memo says Mick Baccio resigned on Tuesday over a budget dispute."},
	} {
		ix.Put(&retrieval.Article{ID: a.id, Key: a.id, Title: a.id, Collection: a.coll, Text: a.text, Hash: "h-" + a.id,
			Passages: []retrieval.Span{{Start: 0, End: len(a.text)}}})
	}
	srv := openaitest.New(t)
	srv.ChatFunc = func(req openaitest.ChatRequest) openaitest.Reply {
		return openaitest.JSON(answer.Draft{Claims: []answer.Claim{{Text: "Mick Baccio resigned on Tuesday.", Passages: []int{1}}}})
	}
	model := openai.New(openai.Options{BaseURL: srv.URL(), APIKey: "k", Model: "m", Fallback: answer.Extractive{}})
	f := &cacheFixture{srv: srv, cache: &memCache{}}
	f.ca = &CachedAnswerer{Next: model, Cache: f.cache, Model: "m", TTL: time.Hour,
		Version: func() string { return strconv.FormatUint(ix.Version(), 10) }}
	f.svc = &Service{Index: ix, Answerer: f.ca}
	return f
}

func (f *cacheFixture) ask(t *testing.T, q string, colls ...string) *answer.Answer {
	t.Helper()
	ctx := WithCollections(context.Background(), colls)
	a, err := f.svc.Ask(ctx, AskRequest{Question: q, Collections: colls})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCachedAnswerer(t *testing.T) {
	f := newCacheFixture(t)
	calls := func() int { return f.srv.Calls(openaitest.ChatPath) }

	first := f.ask(t, "When did Mick Baccio resign?")
	if calls() != 1 || first.Status != answer.Answered {
		t.Fatalf("first ask: %d calls, %s", calls(), first.Status)
	}
	// The same question, written differently: a hit, no model call.
	again := f.ask(t, "  when did mick baccio RESIGN ")
	if calls() != 1 {
		t.Errorf("cache hit made %d model calls", calls()-1)
	}
	if again.Answer != first.Answer || again.Citations[0] != first.Citations[0] || again.Question != "when did mick baccio RESIGN" {
		t.Errorf("cached answer differs:\n%+v\n%+v", again, first)
	}
	if f.ca.Stats.Hits.Load() != 1 || f.ca.Stats.Misses.Load() != 1 || f.cache.ttls[0] != time.Hour {
		t.Errorf("stats hits %d misses %d ttls %v", f.ca.Stats.Hits.Load(), f.ca.Stats.Misses.Load(), f.cache.ttls)
	}

	// Other collections: never the answer built for "published".
	wider := f.ask(t, "When did Mick Baccio resign?", "published", "internal")
	if calls() != 2 {
		t.Errorf("other collections reused the cached answer")
	}
	_ = wider
	narrow := f.ask(t, "When did Mick Baccio resign?", "internal")
	if calls() != 3 {
		t.Errorf("the internal collection reused a cached answer")
	}
	for _, c := range narrow.Citations {
		if c.ArticleID != "memo" {
			t.Errorf("internal asker got a citation of %s", c.ArticleID)
		}
	}

	// A changed index: asked again.
	f.svc.Index.Put(&retrieval.Article{ID: "other", Key: "other", Collection: "published", Text: "Unrelated news.",
		Passages: []retrieval.Span{{Start: 0, End: 15}}})
	f.ask(t, "When did Mick Baccio resign?")
	if calls() != 4 {
		t.Errorf("index change: %d calls, want 4", calls())
	}
}

func TestCachedAnswerRefusedWhenItDoesNotFit(t *testing.T) {
	f := newCacheFixture(t)
	f.ask(t, "When did Mick Baccio resign?")
	// Poison every entry with an answer citing the internal memo.
	memo := f.svc.Index.Get("memo")
	bad := &answer.Answer{Question: "x", Status: answer.Answered, Answer: "Secret [1]", NotCovered: []string{},
		Citations: []answer.Citation{{N: 1, ArticleID: "memo", PassageID: "memo-p0", Quote: memo.Text, End: len(memo.Text)}}}
	b, err := encodeAnswer(bad)
	if err != nil {
		t.Fatal(err)
	}
	for k := range f.cache.m {
		f.cache.m[k] = b
	}
	a := f.ask(t, "When did Mick Baccio resign?")
	if strings.Contains(a.Answer, "Secret") || f.srv.Calls(openaitest.ChatPath) != 2 {
		t.Errorf("a cached answer citing another collection was returned: %s", a.Answer)
	}
	if f.ca.Stats.Errors.Load() != 1 {
		t.Errorf("refusal not counted")
	}
}

func TestFallbackAnswersAreNotCached(t *testing.T) {
	f := newCacheFixture(t)
	f.srv.ChatFunc = nil
	for range 2 {
		f.srv.QueueChat(openaitest.Chat("no json"), openaitest.Chat("still no json"))
	}
	a := f.ask(t, "When did Mick Baccio resign?")
	if len(a.Notes) == 0 {
		t.Fatalf("expected a fallback")
	}
	f.ask(t, "When did Mick Baccio resign?")
	if n := f.srv.Calls(openaitest.ChatPath); n != 4 {
		t.Errorf("%d calls, want 4: a fallback answer must not be cached", n)
	}
}

func TestAnswerRoundTrip(t *testing.T) {
	a := &answer.Answer{Question: "q", Status: answer.Partial, Answer: "A [1]", NotCovered: []string{"b"}, Sources: 3,
		Citations: []answer.Citation{{N: 1, ArticleID: "x", Quote: "A", Published: "2024-01-02", Start: 5, End: 6}}}
	b, err := encodeAnswer(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeAnswer(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sources != 3 || got.Citations[0] != a.Citations[0] || got.NotCovered[0] != "b" || got.Status != answer.Partial {
		t.Errorf("round trip = %+v", got)
	}
}
