package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/storybot/storybot/retrieval"
)

// Seeds fix every generated corpus, query set and vector set.
const (
	corpusSeed = 20260101
	querySeed  = 7
	vectorSeed = 384
)

// Sizes of the benchmark corpora, in passages.
const (
	smallPassages = 20_000
	midPassages   = 200_000
	largePassages = 1_000_000
)

// knownItems is how many known-item queries a quality run and a query
// benchmark use.
const knownItems = 1000

// large reports whether the 1M-passage benchmarks are wanted; they take
// several minutes and gigabytes, so they run only on request.
func large() bool { return os.Getenv("STORYBOT_BENCH_LARGE") == "1" }

// perQuery records every run of every query. A query's latency is the
// median of its runs, which filters out most of the scheduling noise of a
// shared machine; p50 and p99 are then taken over the queries, so p99 is
// the cost of the slowest 1% of queries, not of the unluckiest 1% of runs.
// The raw p99 over all runs is reported beside it.
type perQuery struct{ runs [][]float64 }

func newPerQuery(queries int) *perQuery { return &perQuery{runs: make([][]float64, queries)} }

func (p *perQuery) add(query int, d time.Duration) {
	p.runs[query] = append(p.runs[query], float64(d.Nanoseconds()))
}

// percentile returns the p-th percentile (0-100) of s, nearest rank.
func percentile(s []float64, p float64) float64 {
	if len(s) == 0 {
		return 0
	}
	s = slices.Clone(s)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// report adds p50 and p99 latencies to the benchmark's results.
func (p *perQuery) report(b *testing.B) {
	b.Helper()
	var medians, all []float64
	for _, r := range p.runs {
		if len(r) > 0 {
			medians = append(medians, percentile(r, 50))
			all = append(all, r...)
		}
	}
	b.ReportMetric(percentile(medians, 50), "p50-ns")
	b.ReportMetric(percentile(medians, 99), "p99-ns")
	b.ReportMetric(percentile(all, 99), "raw-p99-ns")
}

// heapUse is the heap after a full collection: in use (the spans holding
// objects, what the process keeps) and live (the objects themselves).
type heapUse struct{ inuse, live uint64 }

func heapNow() heapUse {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return heapUse{ms.HeapInuse, ms.HeapAlloc}
}

// since returns the heap added since before.
func (h heapUse) since(before heapUse) heapUse {
	return heapUse{h.inuse - before.inuse, h.live - before.live}
}

// fixture is one corpus with the engines built over it, kept across
// benchmarks of the same run so each is built once.
type fixture struct {
	name      string
	docs      []retrieval.Document // nil once dropped to measure heap
	items     []KnownItem
	ix        *retrieval.Index
	passages  []Passage
	textBytes int
	ixHeap    replicaHeapUse // storybot's heap as a replica holds the index
	bl        *Bleve
	blHeap    heapUse
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
	samplesMu  sync.Mutex
	samples    []string
)

// vocabulary returns the texts whose words head the synthetic vocabulary:
// the Reuters corpus when present (the real corpus's vocabulary), else the
// repository's seed articles.
func vocabulary(b *testing.B) []string {
	b.Helper()
	samplesMu.Lock()
	defer samplesMu.Unlock()
	if samples != nil {
		return samples
	}
	if docs, err := LoadReuters(context.Background(), ReutersDir()); err == nil {
		for _, d := range docs[:min(len(docs), 3000)] {
			samples = append(samples, d.Title+"\n\n"+d.Text)
		}
		return samples
	}
	s, err := SampleTexts("..")
	if err != nil {
		b.Fatal(err)
	}
	samples = s
	return samples
}

// reuters returns the Reuters corpus, skipping the benchmark when absent.
func reuters(b *testing.B) []retrieval.Document {
	b.Helper()
	docs, err := LoadReuters(context.Background(), ReutersDir())
	if errors.Is(err, ErrNoCorpus) {
		b.Skipf("Reuters-21578 not found at %s (set STORYBOT_REUTERS): %v", ReutersDir(), err)
	}
	if err != nil {
		b.Fatal(err)
	}
	return docs
}

// archive returns the real news archive's documents and questions,
// skipping the benchmark when it is absent.
func archive(b *testing.B) ([]retrieval.Document, []KnownItem) {
	b.Helper()
	docs, items, err := LoadArchive(ArchiveDir())
	if errors.Is(err, ErrNoCorpus) {
		b.Skipf("the news archive is not here (build it with ../shared/scripts/news-archive.py and set STORYBOT_ARCHIVE): %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	return docs, items
}

// lexicalCorpora names the corpora the lexical comparison runs on: the
// real news archive when STORYBOT_ARCHIVE names it (the headline table),
// then Reuters or the synthetic corpus.
func lexicalCorpora() []string {
	if _, _, err := archiveFiles(); err == nil {
		return []string{"archive", qualityCorpus()}
	}
	return []string{qualityCorpus()}
}

func archiveFiles() (string, string, error) {
	dir := ArchiveDir()
	a, q := filepath.Join(dir, "articles.jsonl.gz"), filepath.Join(dir, "questions.jsonl")
	if dir == "" {
		return a, q, ErrNoCorpus
	}
	for _, f := range []string{a, q} {
		if _, err := os.Stat(f); err != nil {
			return a, q, err
		}
	}
	return a, q, nil
}

// qualityCorpus names the corpus the lexical comparison runs on: Reuters
// when present, else the 20k-passage synthetic corpus.
func qualityCorpus() string {
	if _, err := os.Stat(ReutersDir()); err == nil {
		return "reuters"
	}
	return "synthetic-20k"
}

// corpus returns the named corpus's fixture with storybot's index built:
// "reuters", or "synthetic-N" for N passages ("20k", "200k", "1M").
func corpus(b *testing.B, name string) *fixture {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[name]; ok {
		return f
	}
	f := &fixture{name: name}
	switch name {
	case "reuters":
		f.docs = reuters(b)
	case "archive":
		f.docs, f.items = archive(b)
	default:
		n, ok := map[string]int{"synthetic-20k": smallPassages, "synthetic-200k": midPassages, "synthetic-1M": largePassages}[name]
		if !ok {
			b.Fatalf("unknown corpus %s", name)
		}
		f.docs = NewGenerator(vocabulary(b), corpusSeed).Documents(n)
	}
	if f.items == nil {
		f.items = KnownItems(f.docs, knownItems, querySeed)
	}
	f.ix, f.ixHeap = replicaIndex(b, BuildStorybot(f.docs))
	f.docs = nil
	for _, a := range f.ix.Articles() {
		f.textBytes += len(a.Text)
	}
	f.passages = Passages(f.ix)
	fixtures[name] = f
	return f
}

// replicaIndex returns the index a serving replica would hold for built's
// articles, and its heap: like a replica starting from Redis, it decodes the
// stored (clean) articles into a fresh index with Index.PutAll. The heap is
// measured in a fresh process (see replicaHeap): in this one, the garbage
// of building the corpus and the other engines shares the heap's spans and
// makes the figure swing by a fifth from run to run.
func replicaIndex(b *testing.B, built *retrieval.Index) (*retrieval.Index, replicaHeapUse) {
	b.Helper()
	arts := built.Articles()
	stored := encodeAll(b, arts)
	arts, built = nil, nil
	heap := replicaHeap(b, stored)
	ix := retrieval.NewIndex()
	ix.PutAll(decodeAll(b, stored), len(stored))
	return ix, heap
}

// encodeAll encodes the articles as a store keeps them (JSON).
func encodeAll(b *testing.B, arts []*retrieval.Article) [][]byte {
	stored := make([][]byte, len(arts))
	for i, a := range arts {
		data, err := json.Marshal(a)
		if err != nil {
			b.Fatal(err)
		}
		stored[i] = data
	}
	return stored
}

// decodeAll yields the stored articles, decoded as the Redis store does.
func decodeAll(tb testing.TB, stored [][]byte) func(func(*retrieval.Article) bool) {
	return func(yield func(*retrieval.Article) bool) {
		for _, data := range stored {
			a := new(retrieval.Article)
			if err := jsonv2.Unmarshal(data, a); err != nil {
				tb.Fatal(err)
			}
			if !yield(a) {
				return
			}
		}
	}
}

// replicaHeapEnv names the file of stored articles (one JSON object a line)
// that TestReplicaHeapChild loads when the benchmarks run it in a child
// process.
const replicaHeapEnv = "STORYBOT_BENCH_REPLICA_HEAP"

// replicaHeap runs this test binary again, as a replica process that does
// nothing but load the stored articles into an index, and returns the heap
// the load added there: all of it (replicaHeap.total), and without the word
// cache (replicaHeap.index), a process-wide cache of bounded size that the
// first load fills.
func replicaHeap(b *testing.B, stored [][]byte) replicaHeapUse {
	b.Helper()
	f, err := os.CreateTemp("", "storybot-replica-*.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(f.Name())
	for _, data := range stored {
		f.Write(data)
		f.Write([]byte{'\n'})
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestReplicaHeapChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), replicaHeapEnv+"="+f.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("replica heap child: %v\n%s", err, out)
	}
	var h replicaHeapUse
	for line := range strings.Lines(string(out)) {
		if _, err := fmt.Sscanf(line, "replica heap: inuse %d live %d; warm word cache: inuse %d live %d",
			&h.total.inuse, &h.total.live, &h.index.inuse, &h.index.live); err == nil {
			return h
		}
	}
	b.Fatalf("replica heap child printed no figures:\n%s", out)
	return h
}

// replicaHeapUse is a replica's heap after a cold start: total, and
// without the word cache.
type replicaHeapUse struct{ total, index heapUse }

// TestReplicaHeapChild is the replica process of replicaHeap; it does
// nothing unless replicaHeapEnv is set. It loads the articles four times:
// the first load is a replica's cold start; the last, with the word cache
// already full (it takes a word on its third sighting, so the third load
// fills it), shows what the index and articles alone take.
func TestReplicaHeapChild(t *testing.T) {
	path := os.Getenv(replicaHeapEnv)
	if path == "" {
		t.Skip("run by the Scale benchmarks in a child process")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stored [][]byte
	for line := range bytes.Lines(data) {
		stored = append(stored, bytes.TrimSuffix(line, []byte{'\n'}))
	}
	var h [4]heapUse
	for i := range h {
		before := heapNow()
		ix := retrieval.NewIndex()
		ix.PutAll(decodeAll(t, stored), len(stored))
		h[i] = heapNow().since(before) // stored is alive in both measures
		runtime.KeepAlive(ix)
	}
	runtime.KeepAlive(stored)
	fmt.Printf("replica heap: inuse %d live %d; warm word cache: inuse %d live %d\n",
		h[0].inuse, h[0].live, h[3].inuse, h[3].live)
}

// documents regenerates or reloads the corpus's raw documents, for the
// build benchmarks.
func documents(b *testing.B, name string) []retrieval.Document {
	b.Helper()
	switch name {
	case "reuters":
		return reuters(b)
	case "archive":
		docs, _ := archive(b)
		return docs
	}
	n := map[string]int{"synthetic-20k": smallPassages, "synthetic-200k": midPassages, "synthetic-1M": largePassages}[name]
	return NewGenerator(vocabulary(b), corpusSeed).Documents(n)
}

// bleveIndex returns the fixture's bleve index, building it on first use.
func (f *fixture) bleveIndex(b *testing.B) *Bleve {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f.bl != nil {
		return f.bl
	}
	before := heapNow()
	bl, err := NewBleve()
	if err != nil {
		b.Fatal(err)
	}
	if err := bl.Add(f.passages, bleveBatch); err != nil {
		b.Fatal(err)
	}
	f.bl = bl
	f.blHeap = heapNow().since(before)
	return bl
}

// bleveBatch is the batch size bleve indexes with (its documentation
// recommends batches for bulk loads).
const bleveBatch = 1000

// engines are the lexical engines compared.
var engines = []string{"storybot", "bleve"}

// searcher returns the engine's top-k search over the fixture.
func (f *fixture) searcher(b *testing.B, engine string) func(q string) ([]string, error) {
	b.Helper()
	switch engine {
	case "storybot":
		return func(q string) ([]string, error) { return StorybotSearch(f.ix, q, 10), nil }
	case "bleve":
		bl := f.bleveIndex(b)
		ctx := context.Background()
		return func(q string) ([]string, error) { return bl.Search(ctx, q, 10) }
	}
	b.Fatalf("unknown engine %s", engine)
	return nil
}

// runQueries times the queries of the fixture's known-item set in turn,
// round after round, and reports p50 and p99 (run it for a multiple of
// knownItems iterations, e.g. -benchtime 5000x, to give every query the
// same number of runs).
func runQueries(b *testing.B, f *fixture, engine string) {
	b.Helper()
	search := f.searcher(b, engine)
	lat := newPerQuery(len(f.items))
	for i := 0; b.Loop(); i++ {
		q := i % len(f.items)
		t := time.Now()
		if _, err := search(f.items[q].Query); err != nil {
			b.Fatal(err)
		}
		lat.add(q, time.Since(t))
	}
	lat.report(b)
	b.ReportMetric(float64(f.ix.Passages()), "passages")
}

func sizeName(n int) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
