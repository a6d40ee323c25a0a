package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Outcome says what ingesting one document did.
type Outcome string

// The outcomes of ingesting one document.
const (
	New       Outcome = "new"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Duplicate Outcome = "duplicate"
	Failed    Outcome = "failed"
)

// Result is what happened to one input.
type Result struct {
	Source      string
	ArticleID   string
	Title       string
	Outcome     Outcome
	DuplicateOf string
	// Err says why the input failed; it names the input.
	Err error
}

// Summary counts the results of an ingest run.
type Summary struct {
	Results []Result
}

// Add records one result.
func (s *Summary) Add(r Result) { s.Results = append(s.Results, r) }

// Count returns how many results had the outcome.
func (s *Summary) Count(o Outcome) int {
	n := 0
	for _, r := range s.Results {
		if r.Outcome == o {
			n++
		}
	}
	return n
}

// String is the one-line summary the CLI prints.
func (s *Summary) String() string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged, %d duplicate, %d failed",
		s.Count(New), s.Count(Updated), s.Count(Unchanged), s.Count(Duplicate), s.Count(Failed))
}

// Ingester cleans documents into articles, finds their copies and stories,
// and writes them to the store and the index. The index must already hold
// what the store holds.
type Ingester struct {
	Store Store
	Index *Index
	// Now stamps Ingested; nil means time.Now.
	Now func() time.Time
}

// Ingest stores every document; one failing never stops the others. Lines
// that repeat across the batch and the index (site boilerplate) are cleaned
// out of every document.
func (ing *Ingester) Ingest(ctx context.Context, docs []Document) *Summary {
	sum := &Summary{}
	batch := lineCounts(docs)
	boiler := func(key string) bool {
		if len(strings.Fields(key)) > boilerplateMaxWords {
			return false
		}
		return batch[key]+ing.Index.paragraphCount(key) >= boilerplateMin
	}
	// Cleaning and chunking are pure and the bulk of the work: do them on
	// every core, then relate and store the articles in input order.
	built := make([]builtDoc, len(docs))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(docs) || ctx.Err() != nil {
					return
				}
				built[i].a, built[i].err = ing.Build(docs[i], boiler)
			}
		}()
	}
	wg.Wait()
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			sum.Add(Result{Source: d.Source, Outcome: Failed, Err: fmt.Errorf("%s: %w", d.Source, err)})
			continue
		}
		sum.Add(ing.one(ctx, d, built[i]))
	}
	return sum
}

type builtDoc struct {
	a   *Article
	err error
}

// boilerplateMaxWords bounds the lines that can count as boilerplate: a
// long paragraph shared by several articles is a shared quote, not chrome.
const boilerplateMaxWords = 16

func lineCounts(docs []Document) map[string]int {
	counts := make(map[string]int)
	for _, d := range docs {
		seen := map[string]bool{}
		for _, line := range strings.Split(d.Text, "\n") {
			k := LineKey(line)
			if k != "" && !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	return counts
}

func (ing *Ingester) one(ctx context.Context, d Document, b builtDoc) Result {
	res := Result{Source: d.Source}
	fail := func(err error) Result {
		res.Outcome = Failed
		res.Err = err
		return res
	}
	if b.err != nil {
		return fail(b.err)
	}
	a := b.a
	res.ArticleID, res.Title = a.ID, a.Title
	old := ing.Index.Get(a.ID)
	if old != nil && old.Hash == a.Hash {
		res.Outcome = Unchanged
		res.DuplicateOf = old.DuplicateOf
		return res
	}
	a.DuplicateOf, a.StoryID = ing.Index.relate(a)
	if old != nil && a.DuplicateOf == a.ID {
		a.DuplicateOf = ""
	}
	if err := ing.Store.Put(ctx, a); err != nil {
		return fail(fmt.Errorf("%s: store: %w", d.Source, err))
	}
	ing.Index.Put(a)
	res.DuplicateOf = a.DuplicateOf
	switch {
	case old != nil:
		res.Outcome = Updated
	case a.DuplicateOf != "":
		res.Outcome = Duplicate
	default:
		res.Outcome = New
	}
	return res
}

// ErrNoText is reported for a document with nothing left after cleaning.
var ErrNoText = errors.New("no article text after cleaning")

// Build cleans a document into an article with its passages, without
// storing it. boiler may be nil.
func (ing *Ingester) Build(d Document, boiler func(string) bool) (*Article, error) {
	text := Clean(d.Text, CleanOptions{Title: d.Title, Boilerplate: boiler})
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%s: %w", d.Source, ErrNoText)
	}
	title := strings.TrimSpace(d.Title)
	if title == "" {
		if ss := Sentences(text); len(ss) > 0 {
			title = text[ss[0].Start:ss[0].End]
		}
	}
	title = shortTitle(title, 160)
	key := d.Key
	if key == "" {
		key = d.Source
	}
	coll := d.Collection
	if coll == "" {
		coll = DefaultCollection
	}
	now := time.Now
	if ing.Now != nil {
		now = ing.Now
	}
	a := &Article{
		ID:         ArticleID(key),
		Key:        key,
		Source:     d.Source,
		Title:      title,
		Outlet:     d.Outlet,
		Author:     d.Author,
		URL:        d.URL,
		Collection: coll,
		Published:  d.Published,
		Ingested:   now().UTC(),
		Text:       text,
		Passages:   Chunk(text),
	}
	a.Hash = contentHash(a)
	return a, nil
}

func contentHash(a *Article) string {
	h := sha256.New()
	for _, s := range []string{a.Title, a.Outlet, a.Author, a.URL, a.Collection, a.Published.UTC().Format(time.RFC3339), a.Text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// shortTitle cuts an over-long title (a first sentence standing in for a
// missing headline) at a word boundary.
func shortTitle(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n], " ")
	if cut <= 0 {
		cut = n
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
