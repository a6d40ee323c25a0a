package embed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/openaitest"
	"github.com/storybot/storybot/retrieval"
)

const testKey = "sk-embed-test-SECRET-42"

func newEmbedder(t *testing.T, srv *openaitest.Server, opt Options) (*Embedder, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opt.BaseURL = srv.URL()
	opt.APIKey = testKey
	if opt.Model == "" {
		opt.Model = "embed-test"
	}
	opt.Backoff = time.Millisecond
	opt.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if strings.Contains(logs.String(), testKey) {
			t.Errorf("the key appears in the log")
		}
		for _, r := range srv.Requests() {
			if r.Header.Get("Authorization") != "Bearer "+testKey {
				t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
			}
		}
	})
	return New(opt), &logs
}

func texts(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s passage number %d about harbour storms", prefix, i)
	}
	return out
}

func TestEmbedBatchesAndCaches(t *testing.T) {
	srv := openaitest.New(t)
	cache := NewMemoryCache()
	e, _ := newEmbedder(t, srv, Options{BatchSize: 64, Cache: cache})
	ctx := context.Background()
	in := texts(150, "a")
	vecs, err := e.Embed(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vecs {
		if !slices.Equal(v, openaitest.HashEmbed(in[i])) {
			t.Fatalf("vector %d is not its text's", i)
		}
	}
	var sizes []int
	for _, r := range srv.Requests() {
		var req openaitest.EmbedRequest
		if err := json.Unmarshal(r.Body, &req); err != nil || req.Model != "embed-test" {
			t.Fatalf("request %s: %v", r.Body, err)
		}
		sizes = append(sizes, len(req.Inputs()))
	}
	if !slices.Equal(sizes, []int{64, 64, 22}) {
		t.Errorf("batch sizes = %v, want [64 64 22]", sizes)
	}

	// Unchanged text: no calls at all.
	if _, err := e.Embed(ctx, in); err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls(openaitest.EmbedPath); n != 3 {
		t.Errorf("re-embedding made %d new calls", n-3)
	}
	// One changed text: one call with one input.
	in[7] = "a changed passage"
	if _, err := e.Embed(ctx, in); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 4 || !bytes.Contains(reqs[3].Body, []byte(`"input":["a changed passage"]`)) {
		t.Errorf("after one change: %d requests, last %s", len(reqs), reqs[len(reqs)-1].Body)
	}
	// Another model shares the cache but not the vectors.
	e2, _ := newEmbedder(t, srv, Options{Model: "other-model", Cache: cache})
	e2.Embed(ctx, in[:1])
	if n := srv.Calls(openaitest.EmbedPath); n != 5 {
		t.Errorf("another model reused a cached vector (%d calls)", n)
	}
	if s := e.Stats(); s.Calls.Load() != 4 || s.Embedded.Load() != 151 || s.CacheHits.Load() != 299 {
		t.Errorf("stats: calls %d embedded %d hits %d", s.Calls.Load(), s.Embedded.Load(), s.CacheHits.Load())
	}
}

func TestEmbedFailures(t *testing.T) {
	tests := []struct {
		name    string
		replies []openaitest.Reply
		retries int
		calls   int
		ok      bool
	}{
		{"500 then ok", []openaitest.Reply{openaitest.Error(500, "down")}, 2, 2, true},
		{"429 then ok", []openaitest.Reply{openaitest.RateLimited("0")}, 1, 2, true},
		{"500s past retries", []openaitest.Reply{openaitest.Error(500, "a"), openaitest.Error(502, "b"), openaitest.Error(503, "c")}, 2, 3, false},
		{"401 is not retried", []openaitest.Reply{openaitest.Error(401, "bad key "+testKey)}, 3, 1, false},
		{"wrong count", []openaitest.Reply{{Body: `{"object":"list","data":[],"model":"m"}`}, {Body: `{"object":"list","data":[],"model":"m"}`}}, 1, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.QueueEmbed(tc.replies...)
			e, _ := newEmbedder(t, srv, Options{Retries: tc.retries})
			_, err := e.Embed(context.Background(), []string{"one text"})
			if (err == nil) != tc.ok {
				t.Errorf("err = %v", err)
			}
			if err != nil && strings.Contains(err.Error(), testKey) {
				t.Errorf("the key appears in the error: %v", err)
			}
			if n := srv.Calls(openaitest.EmbedPath); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
		})
	}
}

func TestEncodeVector(t *testing.T) {
	v := []float32{0, -1.5, 3.25e-7, 42}
	got, err := DecodeVector(EncodeVector(v))
	if err != nil || !slices.Equal(got, v) {
		t.Errorf("round trip = %v, %v", got, err)
	}
	if _, err := DecodeVector([]byte{1, 2, 3}); err == nil {
		t.Error("decoded 3 bytes")
	}
}

// hybridIndex holds four short articles; "secret" is in another collection.
func hybridIndex(t *testing.T) *retrieval.Index {
	t.Helper()
	ix := retrieval.NewIndex()
	for _, a := range []struct{ id, coll, title, text string }{
		{"storm", "published", "Storm hits harbour", "A winter storm flooded the harbour district on Monday, closing the ferry terminal."},
		{"ferry", "published", "Ferry service resumes", "Ferry crossings resumed on Wednesday after repairs to the terminal."},
		{"budget", "published", "Council passes budget", "The council approved the annual budget by a vote of seven to two."},
		{"secret", "internal", "Draft: harbour storm memo", "Internal memo on the winter storm that flooded the harbour district."},
	} {
		ix.Put(&retrieval.Article{ID: a.id, Key: a.id, Title: a.title, Collection: a.coll, Text: a.text,
			Passages: []retrieval.Span{{Start: 0, End: len(a.text)}}})
	}
	return ix
}

func TestHybridSearch(t *testing.T) {
	srv := openaitest.New(t)
	e, _ := newEmbedder(t, srv, Options{})
	ix := hybridIndex(t)
	vx := retrieval.NewVectorIndex(0)
	ctx := context.Background()
	if err := IndexArticles(ctx, e, vx, ix.Articles()...); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls(openaitest.EmbedPath)
	// Re-indexing unchanged articles makes no calls.
	if err := IndexArticles(ctx, e, vx, ix.Articles()...); err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls(openaitest.EmbedPath); n != calls {
		t.Errorf("re-indexing made %d calls", n-calls)
	}

	question := "winter storm flooded harbour"
	r := HybridSearch(ctx, ix, vx, e, retrieval.Query{Text: question, Limit: 3}, question)
	if r.Fallback {
		t.Fatalf("fell back: %v", r.Err)
	}
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.Article.ID)
		if h.Passage.Text != h.Article.Text[h.Passage.Start:h.Passage.End] {
			t.Errorf("hit %s has a passage that is not its article's text", h.Passage.ID)
		}
	}
	if len(ids) == 0 || ids[0] != "storm" || slices.Contains(ids, "secret") {
		t.Errorf("hits = %v, want storm first and never the internal memo", ids)
	}
	// With the internal collection allowed, the memo may come back.
	r = HybridSearch(ctx, ix, vx, e, retrieval.Query{Text: question, Limit: 4, Collections: []string{"published", "internal"}}, question)
	if !slices.ContainsFunc(r.Hits, func(h retrieval.Hit) bool { return h.Article.ID == "secret" }) {
		t.Errorf("the allowed collection is missing")
	}
	// A removed article's vectors are never returned.
	ix.Remove("storm")
	r = HybridSearch(ctx, ix, vx, e, retrieval.Query{Text: question, Limit: 4}, question)
	for _, h := range r.Hits {
		if h.Article.ID == "storm" {
			t.Errorf("removed article returned")
		}
	}
}

func TestHybridFallsBackToLexical(t *testing.T) {
	srv := openaitest.New(t)
	var logs bytes.Buffer
	e, _ := newEmbedder(t, srv, Options{Retries: 1})
	ix := hybridIndex(t)
	vx := retrieval.NewVectorIndex(0)
	ctx := context.Background()
	if err := IndexArticles(ctx, e, vx, ix.Articles()...); err != nil {
		t.Fatal(err)
	}
	srv.QueueEmbed(openaitest.Error(http.StatusServiceUnavailable, "down"), openaitest.Error(http.StatusServiceUnavailable, "down"))
	q := retrieval.Query{Text: "ferry terminal repairs", Limit: 2}
	stats := e.Stats()
	h := &Hybrid{Index: ix, Vectors: vx, Embedder: e, Stats: stats,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	hits := h.Search(ctx, q, q.Text)
	lexical := ix.Search(q)
	if len(hits) == 0 || len(hits) != len(lexical) || hits[0].Passage.ID != lexical[0].Passage.ID {
		t.Errorf("fallback hits %v, want the lexical ones %v", hits, lexical)
	}
	if stats.Fallbacks.Load() != 1 || !strings.Contains(logs.String(), "lexical only") {
		t.Errorf("fallback not reported: %d, %q", stats.Fallbacks.Load(), logs.String())
	}
	if strings.Contains(logs.String(), testKey) {
		t.Errorf("key in log")
	}

	// No vectors at all: lexical, reported in the result.
	r := HybridSearch(ctx, ix, retrieval.NewVectorIndex(0), e, q, q.Text)
	if !r.Fallback || len(r.Hits) == 0 {
		t.Errorf("empty vector index: %+v", r)
	}
}

func TestSplitPassageID(t *testing.T) {
	for _, tc := range []struct {
		id  string
		aid string
		i   int
		ok  bool
	}{
		{retrieval.PassageID("ab12", 3), "ab12", 3, true},
		{retrieval.PassageID("a-p1", 0), "a-p1", 0, true},
		{"nope", "", 0, false},
		{"a-p01", "", 0, false},
		{"a-p-1", "", 0, false},
	} {
		aid, i, ok := splitPassageID(tc.id)
		if aid != tc.aid || i != tc.i || ok != tc.ok {
			t.Errorf("splitPassageID(%q) = %q %d %v", tc.id, aid, i, ok)
		}
	}
}
