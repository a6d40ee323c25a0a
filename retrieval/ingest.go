package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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

	// boiler holds the lines found to be boilerplate by this ingester so
	// far: a line cleaned out of the articles of one batch is no longer in
	// the index to count, yet stays boilerplate for the next batches.
	mu     sync.Mutex
	boiler map[string]bool
	// cleaned counts the documents cleaned (see Totals.Cleaned).
	cleaned atomic.Int64
}

// Ingest stores every document; one failing never stops the others. Lines
// that repeat across the batch and the index (site boilerplate) are cleaned
// out of every document. A document whose ID and source content are stored
// already is not cleaned again. The articles are written with one PutMany:
// when that fails, or ctx is canceled first, none of them is, and each
// fails with the reason.
func (ing *Ingester) Ingest(ctx context.Context, docs []Document) *Summary {
	results := ing.ingest(ctx, docs, nil)
	return &Summary{Results: results}
}

// ingest is Ingest; written, when not nil, sees the articles written.
func (ing *Ingester) ingest(ctx context.Context, docs []Document, written func([]*Article)) []Result {
	return ing.commit(ctx, ing.prepare(ctx, docs), written)
}

// prepared is a batch of documents cleaned, not yet related or stored.
type prepared struct {
	docs    []Document
	results []Result
	built   []builtDoc
	todo    []int // the documents not skipped, in order
}

// prepare skips the documents stored already and cleans the others, on
// every core. It may run while the previous batch is committed.
func (ing *Ingester) prepare(ctx context.Context, docs []Document) *prepared {
	results := make([]Result, len(docs))
	built := make([]builtDoc, len(docs))
	// What is stored already, with the same source content, is skipped
	// before cleaning: re-running an import is fast.
	var todo []int
	for i := range docs {
		d := &docs[i]
		built[i].hash = DocumentHash(d)
		if old := ing.Index.Header(ArticleID(docKey(d))); old != nil && old.SourceHash == built[i].hash {
			results[i] = Result{Source: d.Source, ArticleID: old.ID, Title: old.Title, Outcome: Unchanged, DuplicateOf: old.DuplicateOf}
			built[i].skip = true
			continue
		}
		todo = append(todo, i)
	}
	batch := lineCounts(docs, todo)
	boiler := func(key string) bool {
		if len(strings.Fields(key)) > boilerplateMaxWords {
			return false
		}
		ing.mu.Lock()
		known := ing.boiler[key]
		ing.mu.Unlock()
		if known {
			return true
		}
		if batch[key]+ing.Index.paragraphCount(key) < boilerplateMin {
			return false
		}
		ing.mu.Lock()
		if ing.boiler == nil {
			ing.boiler = make(map[string]bool)
		}
		ing.boiler[key] = true
		ing.mu.Unlock()
		return true
	}
	// Cleaning, chunking and fingerprinting are pure and the bulk of the
	// work: do them on every core, then relate and store the articles in
	// input order.
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) || ctx.Err() != nil {
					return
				}
				i := todo[k]
				built[i].a, built[i].fp, built[i].err = ing.build(docs[i], boiler, built[i].hash)
				ing.cleaned.Add(1)
			}
		})
	}
	wg.Wait()
	return &prepared{docs: docs, results: results, built: built, todo: todo}
}

// commit relates the cleaned documents of a batch, in order, puts them in
// the index and writes them with one PutMany; when that fails or ctx is
// canceled first, the index is put back as it was and nothing is written.
func (ing *Ingester) commit(ctx context.Context, p *prepared, written func([]*Article)) []Result {
	docs, results, built, todo := p.docs, p.results, p.built, p.todo
	type write struct {
		i    int
		prev *Article // the version replaced, to put back if the write fails
	}
	var writes []write
	var arts []*Article
	for _, i := range todo {
		if ctx.Err() != nil {
			break
		}
		r, prev, w := ing.one(docs[i], &built[i])
		results[i] = r
		if w {
			writes = append(writes, write{i, prev})
			arts = append(arts, built[i].a)
		}
	}
	fail := func(i int, err error) {
		results[i] = Result{Source: docs[i].Source, Outcome: Failed, Err: err}
	}
	err := ctx.Err()
	if err == nil && len(arts) > 0 {
		if ing.Store == nil {
			err = errors.New("no store")
		} else if err = PutMany(ctx, ing.Store, arts); err != nil {
			err = fmt.Errorf("store: %w", err)
		}
	}
	if err != nil {
		// Nothing of the batch is kept: the index goes back to what the
		// store holds.
		for k := len(writes) - 1; k >= 0; k-- {
			w := writes[k]
			if w.prev != nil {
				ing.Index.Put(w.prev)
			} else {
				ing.Index.Remove(built[w.i].a.ID)
			}
		}
		for _, w := range writes {
			fail(w.i, fmt.Errorf("%s: %w", docs[w.i].Source, err))
		}
		for _, i := range todo {
			if results[i].Outcome == "" { // never reached
				fail(i, fmt.Errorf("%s: %w", docs[i].Source, err))
			}
		}
		return results
	}
	if written != nil && len(arts) > 0 {
		written(arts)
	}
	return results
}

type builtDoc struct {
	a    *Article
	fp   *fingerprint
	hash string
	skip bool
	err  error
}

// boilerplateMaxWords bounds the lines that can count as boilerplate: a
// long paragraph shared by several articles is a shared quote, not chrome.
const boilerplateMaxWords = 16

// lineCounts counts, for each line key, the documents docs[i] (i in which)
// holding it.
func lineCounts(docs []Document, which []int) map[string]int {
	counts := make(map[string]int)
	for _, i := range which {
		seen := map[string]bool{}
		for line := range strings.SplitSeq(docs[i].Text, "\n") {
			k := LineKey(line)
			if k != "" && !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	return counts
}

// one relates a built document and puts it in the index; write says it is
// to be stored, prev is the version it replaces.
func (ing *Ingester) one(d Document, b *builtDoc) (res Result, prev *Article, write bool) {
	res = Result{Source: d.Source}
	if b.err != nil {
		res.Outcome = Failed
		res.Err = b.err
		return res, nil, false
	}
	a := b.a
	res.ArticleID, res.Title = a.ID, a.Title
	old := ing.Index.Header(a.ID)
	if old != nil && old.Hash == a.Hash {
		res.Outcome = Unchanged
		res.DuplicateOf = old.DuplicateOf
		if old.SourceHash == a.SourceHash && validSignature(old.Signature) {
			return res, nil, false
		}
		// Stored before source hashes and signatures were: store them,
		// nothing else changes.
		prev = ing.Index.Get(a.ID)
		keep := *prev
		keep.SourceHash, keep.Signature = a.SourceHash, a.Signature
		b.a = &keep
		ing.Index.Put(&keep)
		return res, prev, true
	}
	a.DuplicateOf, a.StoryID = ing.Index.relate(a, b.fp)
	if old != nil && a.DuplicateOf == a.ID {
		a.DuplicateOf = ""
	}
	if old != nil {
		prev = ing.Index.Get(a.ID)
	}
	ing.Index.fingerprints.add(a, b.fp)
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
	return res, prev, true
}

// ErrNoText is reported for a document with nothing left after cleaning.
var ErrNoText = errors.New("no article text after cleaning")

// Build cleans a document into an article with its passages, without
// storing it. boiler may be nil.
func (ing *Ingester) Build(d Document, boiler func(string) bool) (*Article, error) {
	a, _, err := ing.build(d, boiler, DocumentHash(&d))
	return a, err
}

// build is Build, returning the article's fingerprint too.
func (ing *Ingester) build(d Document, boiler func(string) bool, sourceHash string) (*Article, *fingerprint, error) {
	text := Clean(d.Text, CleanOptions{Title: d.Title, Boilerplate: boiler})
	if strings.TrimSpace(text) == "" {
		return nil, nil, fmt.Errorf("%s: %w", d.Source, ErrNoText)
	}
	title := strings.TrimSpace(d.Title)
	if title == "" {
		if ss := Sentences(text); len(ss) > 0 {
			title = text[ss[0].Start:ss[0].End]
		}
	}
	title = shortTitle(title, 160)
	key := docKey(&d)
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
	a.SourceHash = sourceHash
	idf := func(string) float64 { return 0 }
	if ing.Index != nil {
		idf = ing.Index.IDF
	}
	fp := fingerprintOf(text, idf, true)
	a.Signature = signatureOf(&fp)
	return a, &fp, nil
}

func docKey(d *Document) string {
	if d.Key == "" {
		return d.Source
	}
	return d.Key
}

// DocumentHash is the hex SHA-256 of a document as a loader read it: its
// key, metadata and raw text (not its Source, which depends on how the user
// named the file). Articles keep it as SourceHash.
func DocumentHash(d *Document) string {
	h := sha256.New()
	for _, s := range []string{docKey(d), d.Title, d.Outlet, d.Author, d.URL, d.Collection, d.Published.UTC().Format(time.RFC3339Nano), d.Text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
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

// Totals counts the outcomes of a streamed ingest, which keeps no list of
// results: an archive's worth would not fit in memory well.
type Totals struct {
	New, Updated, Unchanged, Duplicate, Failed int
	// Interrupted counts the documents read but not stored because the
	// ingest was canceled; re-running the ingest stores them.
	Interrupted int
	// Cleaned counts the documents cleaned: the others were stored
	// already, with the same source content, and skipped.
	Cleaned int
}

// Add counts one outcome.
func (t *Totals) Add(o Outcome) {
	switch o {
	case New:
		t.New++
	case Updated:
		t.Updated++
	case Unchanged:
		t.Unchanged++
	case Duplicate:
		t.Duplicate++
	case Failed:
		t.Failed++
	}
}

// Merge adds u's counts to t's.
func (t *Totals) Merge(u Totals) {
	t.New += u.New
	t.Updated += u.Updated
	t.Unchanged += u.Unchanged
	t.Duplicate += u.Duplicate
	t.Failed += u.Failed
	t.Interrupted += u.Interrupted
	t.Cleaned += u.Cleaned
}

// Done is how many inputs have an outcome.
func (t Totals) Done() int { return t.New + t.Updated + t.Unchanged + t.Duplicate + t.Failed }

// String is the one-line summary, in Summary's words.
func (t Totals) String() string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged, %d duplicate, %d failed",
		t.New, t.Updated, t.Unchanged, t.Duplicate, t.Failed)
}

// Totals counts the summary's results.
func (s *Summary) Totals() Totals {
	var t Totals
	for _, r := range s.Results {
		t.Add(r.Outcome)
	}
	return t
}

// DefaultBatch is how many documents IngestStream cleans and writes at once
// when StreamOptions.Batch is 0: enough for one store transaction to cost
// little per article and for a site's boilerplate lines to show, few enough
// to keep memory small.
const DefaultBatch = 512

// StreamOptions tune IngestStream.
type StreamOptions struct {
	// Batch is how many documents are cleaned and written together; 0
	// means DefaultBatch.
	Batch int
	// Result, when not nil, sees every result in input order: the
	// documents' and the records that could not be read.
	Result func(Result)
	// Written, when not nil, sees the articles of each batch once they
	// are stored.
	Written func([]*Article)
}

// IngestStream ingests the documents next returns, until it returns io.EOF,
// a batch at a time: while one batch is cleaned and stored the next is
// read, and only those two are held in memory. An error from next fails
// that record (its Source is the error's) and the stream goes on. When ctx
// is canceled IngestStream stops reading, stores nothing of the batch under
// way (every batch stored is stored whole) and returns ctx's error; the
// documents it had read but not stored count as Interrupted.
func (ing *Ingester) IngestStream(ctx context.Context, next func() (Document, error), opt StreamOptions) (Totals, error) {
	size := opt.Batch
	if size <= 0 {
		size = DefaultBatch
	}
	type item struct {
		doc Document
		err error
	}
	batches := make(chan []item, 1)
	readCtx, stopReading := context.WithCancel(ctx)
	defer func() {
		// The reader is done with next before this returns.
		stopReading()
		for range batches {
		}
	}()
	go func() {
		defer close(batches)
		var b []item
		for readCtx.Err() == nil {
			d, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			b = append(b, item{d, err})
			if err == nil && len(b) >= size || len(b) >= 4*size {
				select {
				case batches <- b:
				case <-readCtx.Done():
					return
				}
				b = nil
			}
		}
		if len(b) > 0 {
			select {
			case batches <- b:
			case <-readCtx.Done():
			}
		}
	}()
	defer ing.Index.fingerprints.startBulk()()
	var t Totals
	cleanedBefore := ing.cleaned.Load()
	report := func(r Result) {
		t.Add(r.Outcome)
		if opt.Result != nil {
			opt.Result(r)
		}
	}
	// Cleaning the next batch overlaps with relating and storing this one.
	type cleaned struct {
		p      *prepared
		failed []Result
	}
	ready := make(chan cleaned, 1)
	go func() {
		defer close(ready)
		for b := range batches {
			docs := make([]Document, 0, len(b))
			var failed []Result
			for _, it := range b {
				if it.err != nil {
					src := ""
					var ie *InputError
					if errors.As(it.err, &ie) {
						src = ie.Source
					}
					failed = append(failed, Result{Source: src, Outcome: Failed, Err: it.err})
					continue
				}
				docs = append(docs, it.doc)
			}
			ready <- cleaned{ing.prepare(ctx, docs), failed}
		}
	}()
	for c := range ready {
		if ctx.Err() != nil {
			t.Interrupted += len(c.p.todo)
			continue
		}
		for _, r := range c.failed {
			report(r)
		}
		for _, r := range ing.commit(ctx, c.p, opt.Written) {
			if r.Outcome == Failed && ctx.Err() != nil && errors.Is(r.Err, ctx.Err()) {
				t.Interrupted++
				continue
			}
			report(r)
		}
	}
	t.Cleaned = int(ing.cleaned.Load() - cleanedBefore)
	return t, ctx.Err()
}
