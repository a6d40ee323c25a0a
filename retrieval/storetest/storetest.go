// Package storetest is the contract every retrieval.Store must meet, run as
// one suite against each implementation (the embedded bbolt store and Redis,
// single and cluster), the way litestream tests its replica clients.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storybot/storybot/retrieval"
)

// Run runs the contract suite. open must return a fresh, empty store for
// each call and arrange for it to be closed when t ends.
func Run(t *testing.T, open func(t *testing.T) retrieval.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s retrieval.Store)
	}{
		{"PutGet", testPutGet},
		{"GetMissing", testGetMissing},
		{"ReplaceDropsOldPassages", testReplace},
		{"PutUnchanged", testPutUnchanged},
		{"Delete", testDelete},
		{"DeleteMissing", testDeleteMissing},
		{"ListEmpty", testListEmpty},
		{"ListMany", testListMany},
		{"ConcurrentPuts", testConcurrentPuts},
		{"BigArticle", testBigArticle},
		{"ContextCanceled", testContextCanceled},
		{"UnicodeExact", testUnicode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// NewArticle builds a valid article with id and the given paragraphs as its
// passages; Hash is the hex SHA-256 of the text, so a reader can check that
// what it got is whole (see Complete).
func NewArticle(id string, paragraphs ...string) *retrieval.Article {
	var b strings.Builder
	var spans []retrieval.Span
	for i, p := range paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		start := b.Len()
		b.WriteString(p)
		spans = append(spans, retrieval.Span{Start: start, End: b.Len()})
	}
	text := b.String()
	return &retrieval.Article{
		ID:         id,
		Key:        "https://example.org/news/" + id,
		Source:     "testdata/" + id + ".txt",
		Title:      "Title of " + id,
		Outlet:     "Example Gazette",
		Author:     "A. Reporter",
		URL:        "https://example.org/news/" + id,
		Collection: retrieval.DefaultCollection,
		Published:  time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC),
		Ingested:   time.Date(2024, 3, 2, 10, 0, 0, 123456789, time.UTC),
		Text:       text,
		Hash:       TextHash(text),
		StoryID:    "story-" + id,
		Passages:   spans,
	}
}

// TextHash is the hash NewArticle stores.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Complete reports why a is not a whole article built by NewArticle, or nil.
func Complete(a *retrieval.Article) error {
	if got := TextHash(a.Text); got != a.Hash {
		return fmt.Errorf("article %s: text hash %s, stored hash %s (half-written?)", a.ID, got[:12], a.Hash)
	}
	for i, sp := range a.Passages {
		if sp.Start < 0 || sp.End > len(a.Text) || sp.Start > sp.End {
			return fmt.Errorf("article %s: passage %d span %v outside text of %d bytes", a.ID, i, sp, len(a.Text))
		}
	}
	return nil
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func put(t *testing.T, s retrieval.Store, a *retrieval.Article) {
	t.Helper()
	if err := s.Put(ctxT(t), a); err != nil {
		t.Fatalf("Put(%s): %v", a.ID, err)
	}
}

func get(t *testing.T, s retrieval.Store, id string) *retrieval.Article {
	t.Helper()
	a, err := s.Get(ctxT(t), id)
	if err != nil {
		t.Fatalf("Get(%s): %v", id, err)
	}
	return a
}

func list(t *testing.T, s retrieval.Store) []*retrieval.Article {
	t.Helper()
	as, err := s.List(ctxT(t))
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	slices.SortFunc(as, func(a, b *retrieval.Article) int { return strings.Compare(a.ID, b.ID) })
	return as
}

func testPutGet(t *testing.T, s retrieval.Store) {
	a := NewArticle("a1", "First paragraph about the council vote.", "Second paragraph with a quote.")
	a.DuplicateOf = "a0"
	put(t, s, a)
	got := get(t, s, "a1")
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("Get after Put (-want +got):\n%s", diff)
	}
	if p := got.PassageAt(1); p.Text != "Second paragraph with a quote." {
		t.Errorf("PassageAt(1).Text = %q", p.Text)
	}
	if diff := cmp.Diff([]*retrieval.Article{a}, list(t, s)); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

func testGetMissing(t *testing.T, s retrieval.Store) {
	_, err := s.Get(ctxT(t), "nope")
	if !errors.Is(err, retrieval.ErrNotFound) {
		t.Fatalf("Get(missing) error = %v, want ErrNotFound", err)
	}
}

func testReplace(t *testing.T, s retrieval.Store) {
	old := NewArticle("r1", "Old one.", "Old two.", "Old three.", "Old four.")
	put(t, s, old)
	upd := NewArticle("r1", "New only paragraph.")
	put(t, s, upd)
	got := get(t, s, "r1")
	if diff := cmp.Diff(upd, got); diff != "" {
		t.Errorf("Get after replace (-want +got):\n%s", diff)
	}
	if n := len(got.AllPassages()); n != 1 {
		t.Errorf("replaced article has %d passages, want 1 (old passages left behind)", n)
	}
	if diff := cmp.Diff([]*retrieval.Article{upd}, list(t, s)); diff != "" {
		t.Errorf("List after replace (-want +got):\n%s", diff)
	}
}

func testPutUnchanged(t *testing.T, s retrieval.Store) {
	a := NewArticle("u1", "Same text.")
	put(t, s, a)
	put(t, s, NewArticle("u1", "Same text."))
	if diff := cmp.Diff([]*retrieval.Article{a}, list(t, s)); diff != "" {
		t.Errorf("List after unchanged re-put (-want +got):\n%s", diff)
	}
	// Changed text (and so hash): the new version replaces the old.
	b := NewArticle("u1", "Changed text.")
	put(t, s, b)
	if diff := cmp.Diff(b, get(t, s, "u1")); diff != "" {
		t.Errorf("Get after changed re-put (-want +got):\n%s", diff)
	}
}

func testDelete(t *testing.T, s retrieval.Store) {
	put(t, s, NewArticle("d1", "Keep me."))
	put(t, s, NewArticle("d2", "Delete me."))
	if err := s.Delete(ctxT(t), "d2"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctxT(t), "d2"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("Get(deleted) error = %v, want ErrNotFound", err)
	}
	got := list(t, s)
	if len(got) != 1 || got[0].ID != "d1" {
		t.Errorf("List after delete = %v, want [d1]", ids(got))
	}
	// Put again after delete works.
	put(t, s, NewArticle("d2", "Back again."))
	if got := get(t, s, "d2"); got.Text != "Back again." {
		t.Errorf("Get after re-put = %q", got.Text)
	}
}

func testDeleteMissing(t *testing.T, s retrieval.Store) {
	if err := s.Delete(ctxT(t), "never-there"); err != nil {
		t.Fatalf("Delete(missing) = %v, want nil", err)
	}
}

func testListEmpty(t *testing.T, s retrieval.Store) {
	if got := list(t, s); len(got) != 0 {
		t.Fatalf("List of empty store = %v", ids(got))
	}
}

func testListMany(t *testing.T, s retrieval.Store) {
	const n = 1200
	want := make(map[string]string, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			a := NewArticle(fmt.Sprintf("many-%05d", i), fmt.Sprintf("Paragraph one of article %d.", i), "Paragraph two.")
			if err := s.Put(ctxT(t), a); err != nil {
				errs <- err
				return
			}
			mu.Lock()
			want[a.ID] = a.Hash
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Put: %v", err)
	}
	got := list(t, s)
	if len(got) != n {
		t.Fatalf("List returned %d articles, want %d", len(got), n)
	}
	for _, a := range got {
		if want[a.ID] != a.Hash {
			t.Fatalf("List: article %s hash %s, want %s", a.ID, a.Hash, want[a.ID])
		}
		if err := Complete(a); err != nil {
			t.Fatal(err)
		}
	}
}

func testConcurrentPuts(t *testing.T, s retrieval.Store) {
	const workers, each = 32, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				// Every worker also rewrites one shared article, so writes to
				// the same ID race too.
				a := NewArticle(fmt.Sprintf("c-%02d-%02d", w, i), fmt.Sprintf("Worker %d item %d.", w, i))
				shared := NewArticle("c-shared", fmt.Sprintf("Shared version from worker %d item %d.", w, i))
				for _, x := range []*retrieval.Article{a, shared} {
					if err := s.Put(ctxT(t), x); err != nil {
						errs <- fmt.Errorf("Put(%s): %w", x.ID, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := list(t, s)
	if len(got) != workers*each+1 {
		t.Fatalf("List after concurrent puts: %d articles, want %d", len(got), workers*each+1)
	}
	for _, a := range got {
		if err := Complete(a); err != nil {
			t.Fatal(err)
		}
	}
	for w := range workers {
		for i := range each {
			a := get(t, s, fmt.Sprintf("c-%02d-%02d", w, i))
			if want := fmt.Sprintf("Worker %d item %d.", w, i); a.Text != want {
				t.Fatalf("article %s text %q, want %q", a.ID, a.Text, want)
			}
		}
	}
}

func testBigArticle(t *testing.T, s retrieval.Store) {
	para := strings.Repeat("The committee met again on Tuesday — “no decision yet,” she said.\u00a0", 64)
	var paras []string
	for size := 0; size < 1<<20; size += len(para) + 2 {
		paras = append(paras, para)
	}
	a := NewArticle("big", paras...)
	if len(a.Text) < 1<<20 {
		t.Fatalf("test article only %d bytes", len(a.Text))
	}
	put(t, s, a)
	got := get(t, s, "big")
	if got.Text != a.Text || len(got.Passages) != len(a.Passages) {
		t.Fatalf("big article came back with %d bytes / %d passages, want %d / %d", len(got.Text), len(got.Passages), len(a.Text), len(a.Passages))
	}
	if err := Complete(got); err != nil {
		t.Fatal(err)
	}
}

func testContextCanceled(t *testing.T, s retrieval.Store) {
	put(t, s, NewArticle("k1", "Present before cancel."))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Put(ctx, NewArticle("k2", "Must not be stored.")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put(canceled) = %v, want context.Canceled", err)
	}
	if _, err := s.Get(ctx, "k1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get(canceled) = %v, want context.Canceled", err)
	}
	if _, err := s.List(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("List(canceled) = %v, want context.Canceled", err)
	}
	if err := s.Delete(ctx, "k1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete(canceled) = %v, want context.Canceled", err)
	}
	if _, err := s.Get(ctxT(t), "k2"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("article put with a canceled context was stored (Get error %v)", err)
	}
	get(t, s, "k1")
}

func testUnicode(t *testing.T, s retrieval.Store) {
	paras := []string{
		"“We’re not done,” said the mayor\u00a0— twice.",
		"Café crème, naïve résumé, Zürich; 東京; Ελλάδα; עברית; emoji 🗞️👩🏽‍💻.",
		"Tabs\tand <tags> & ampersands, @channel <https://evil.example|click>, \\ backslash, \"quotes\".",
		"Line\u2028separator, zero\u200bwidth, soft\u00adhyphen, combining e\u0301.",
	}
	a := NewArticle("uni", paras...)
	a.Title = "“Curly” title\u00a0with NBSP"
	a.Author = "José Ñúñez"
	put(t, s, a)
	got := get(t, s, "uni")
	if diff := cmp.Diff(a, got); diff != "" {
		t.Fatalf("unicode round trip (-want +got):\n%s", diff)
	}
	for i, p := range got.AllPassages() {
		if p.Text != paras[i] {
			t.Errorf("passage %d = %q, want %q", i, p.Text, paras[i])
		}
	}
}

func ids(as []*retrieval.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}
