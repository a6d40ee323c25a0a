package bench

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/storybot/storybot/retrieval"
)

// Passage is the unit both lexical engines index: storybot's passage ID,
// its article's ID and its exact text.
type Passage struct {
	ID, ArticleID, Text string
}

// BuildStorybot builds storybot's index from raw documents the way ingest
// does, less storage and duplicate detection: each document is cleaned and
// chunked (Ingester.Build) and put in the index, in order, by one
// goroutine. Documents left empty by cleaning are skipped.
func BuildStorybot(docs []retrieval.Document) *retrieval.Index {
	return BuildStorybotParallel(docs, 1)
}

// BuildStorybotParallel is BuildStorybot with the documents shared among
// workers goroutines (Index.Put is safe for concurrent use and analyses
// outside its lock). With more than one worker the passage numbering, and
// so the order of equal-scoring hits, depends on scheduling.
func BuildStorybotParallel(docs []retrieval.Document, workers int) *retrieval.Index {
	ix := retrieval.NewIndex()
	ing := &retrieval.Ingester{Index: ix}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(docs) {
					return
				}
				a, err := ing.Build(docs[i], nil)
				if err != nil {
					continue
				}
				a.StoryID = a.ID
				ix.Put(a)
			}
		})
	}
	wg.Wait()
	return ix
}

// Passages returns every passage of the index, ordered by ID, so another
// engine can index exactly the same text.
func Passages(ix *retrieval.Index) []Passage {
	var out []Passage
	for _, a := range ix.Articles() {
		for _, p := range a.AllPassages() {
			out = append(out, Passage{ID: p.ID, ArticleID: a.ID, Text: p.Text})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// BleveMapping is the lean mapping bleve is benchmarked with: one text
// field analysed with the English analyzer, nothing stored, no term
// vectors, no doc values, no _all field, BM25 scoring.
func BleveMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = en.AnalyzerName
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	text := mapping.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeTermVectors = false
	text.IncludeInAll = false
	text.DocValues = false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("text", text)
	m.DefaultMapping = doc
	return m
}

// Bleve is an in-memory bleve index of the scorch type with BM25 scoring.
type Bleve struct {
	idx bleve.Index
}

// NewBleve opens an empty in-memory scorch index with BleveMapping. (Not
// bleve.NewMemOnly: that builds the older upsidedown index type, which
// scores by tf-idf whatever the mapping says.)
func NewBleve() (*Bleve, error) {
	idx, err := bleve.NewUsing("", BleveMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("bleve: %w", err)
	}
	return &Bleve{idx: idx}, nil
}

// Add indexes passages in batches of batch documents.
func (b *Bleve) Add(ps []Passage, batch int) error {
	bt := b.idx.NewBatch()
	for i, p := range ps {
		if err := bt.Index(p.ID, map[string]any{"text": p.Text}); err != nil {
			return fmt.Errorf("bleve index %s: %w", p.ID, err)
		}
		if bt.Size() >= batch || i == len(ps)-1 {
			if err := b.idx.Batch(bt); err != nil {
				return fmt.Errorf("bleve batch: %w", err)
			}
			bt.Reset()
		}
	}
	return nil
}

// Search returns the IDs of the k best-scoring passages for free text q
// (a match query: any of its analysed terms), best first.
func (b *Bleve) Search(ctx context.Context, q string, k int) ([]string, error) {
	mq := query.NewMatchQuery(q)
	mq.SetField("text")
	req := bleve.NewSearchRequestOptions(mq, k, 0, false)
	res, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleve search: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// Count returns the number of indexed passages.
func (b *Bleve) Count() (uint64, error) { return b.idx.DocCount() }

// Close releases the index.
func (b *Bleve) Close() error { return b.idx.Close() }

// StorybotSearch returns the IDs of storybot's k best passages for q.
func StorybotSearch(ix *retrieval.Index, q string, k int) []string {
	hits := ix.Search(retrieval.Query{Text: q, Limit: k})
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Passage.ID
	}
	return ids
}

// KnownItem is a query and the article it should find; Also lists other
// articles that count as finding it (a news question answered by several
// reports).
type KnownItem struct {
	Query     string
	ArticleID string
	Also      []string
}

// finds reports whether passage id belongs to one of the item's articles.
func (it KnownItem) finds(id string) bool {
	if strings.HasPrefix(id, it.ArticleID+"-p") {
		return true
	}
	for _, a := range it.Also {
		if strings.HasPrefix(id, a+"-p") {
			return true
		}
	}
	return false
}

// KnownItems samples up to n documents (deterministically, spread over the
// list) and words a known-item query for each from its reworded headline.
// Documents with headlines under three words are passed over.
func KnownItems(docs []retrieval.Document, n int, seed uint64) []KnownItem {
	var eligible []retrieval.Document
	for _, d := range docs {
		if len(strings.Fields(d.Title)) >= 3 {
			eligible = append(eligible, d)
		}
	}
	if len(eligible) == 0 || n <= 0 {
		return nil
	}
	step := max(1, len(eligible)/n)
	var out []KnownItem
	for i := 0; i < len(eligible) && len(out) < n; i += step {
		d := eligible[i]
		key := d.Key
		if key == "" {
			key = d.Source
		}
		out = append(out, KnownItem{Query: Reword(d.Title, seed+uint64(i)), ArticleID: retrieval.ArticleID(key)})
	}
	return out
}

// Quality is the known-item retrieval quality of one engine.
type Quality struct {
	MRR  float64 // mean reciprocal rank of the first passage of the article, 0 past k
	Hits float64 // share of queries with a passage of the article in the top k
	N    int
}

// ErrNoItems is returned for an evaluation without queries.
var ErrNoItems = errors.New("no known items")

// Evaluate runs every known-item query through search (which returns
// passage IDs best first) and scores the rank of the first passage of the
// wanted article among the top k.
func Evaluate(items []KnownItem, k int, search func(q string) ([]string, error)) (Quality, error) {
	if len(items) == 0 {
		return Quality{}, ErrNoItems
	}
	var q Quality
	for _, it := range items {
		ids, err := search(it.Query)
		if err != nil {
			return Quality{}, err
		}
		for rank, id := range ids[:min(k, len(ids))] {
			if it.finds(id) {
				q.MRR += 1 / float64(rank+1)
				q.Hits++
				break
			}
		}
	}
	q.N = len(items)
	q.MRR /= float64(q.N)
	q.Hits /= float64(q.N)
	return q, nil
}
