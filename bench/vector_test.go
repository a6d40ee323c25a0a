package bench

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	chromem "github.com/philippgille/chromem-go"

	"github.com/storybot/storybot/retrieval"
)

// vectorDim is the dimension of the benchmark vectors, that of common
// small sentence-embedding models.
const vectorDim = 384

// vectorQueries is how many distinct query vectors a run cycles through.
const vectorQueries = 100

// vectorFixture is one vector set loaded into every engine.
type vectorFixture struct {
	vecs    [][]float32
	queries [][]float32
	sb      *retrieval.VectorIndex
	scan    *ExactScan
	cm      *chromem.Collection
}

var (
	vectorsMu sync.Mutex
	vectorSet = map[int]*vectorFixture{}
)

func vectors(b *testing.B, n int) *vectorFixture {
	b.Helper()
	vectorsMu.Lock()
	defer vectorsMu.Unlock()
	if f, ok := vectorSet[n]; ok {
		return f
	}
	f := &vectorFixture{
		vecs:    RandomVectors(n, vectorDim, vectorSeed),
		queries: RandomVectors(vectorQueries, vectorDim, vectorSeed+1),
	}
	vectorSet[n] = f
	return f
}

func (f *vectorFixture) storybot(b *testing.B) *retrieval.VectorIndex {
	b.Helper()
	if f.sb == nil {
		vx := retrieval.NewVectorIndex(vectorDim)
		for i, v := range f.vecs {
			if err := vx.Add(VectorID(i), v); err != nil {
				b.Fatal(err)
			}
		}
		f.sb = vx
	}
	return f.sb
}

// BenchmarkVector measures top-10 exact vector search latency over the
// same 384-dimension unit vectors: storybot's VectorIndex, chromem-go
// (which scans on all CPUs) and a plain scan over one contiguous array.
func BenchmarkVector(b *testing.B) {
	for _, n := range []int{smallPassages, midPassages} {
		pre := "n=" + sizeName(n) + "/engine="
		b.Run(pre+"storybot", func(b *testing.B) {
			f := vectors(b, n)
			vx := f.storybot(b)
			lat := newPerQuery(len(f.queries))
			for i := 0; b.Loop(); i++ {
				q := f.queries[i%len(f.queries)]
				t := time.Now()
				hits := vx.Search(q, 10)
				lat.add(i%len(f.queries), time.Since(t))
				if len(hits) != 10 {
					b.Fatalf("%d hits", len(hits))
				}
			}
			lat.report(b)
			b.ReportMetric(recallAt10(f, func(q []float32) []string {
				var ids []string
				for _, h := range vx.Search(q, 10) {
					ids = append(ids, h.ID)
				}
				return ids
			}), "recall@10")
		})
		b.Run(pre+"chromem", func(b *testing.B) {
			f := vectors(b, n)
			ctx := context.Background()
			if f.cm == nil {
				c, err := NewChromem(ctx, f.vecs, runtime.GOMAXPROCS(0))
				if err != nil {
					b.Fatal(err)
				}
				f.cm = c
			}
			c := f.cm
			lat := newPerQuery(len(f.queries))
			for i := 0; b.Loop(); i++ {
				q := f.queries[i%len(f.queries)]
				t := time.Now()
				res, err := c.QueryEmbedding(ctx, q, 10, nil, nil)
				lat.add(i%len(f.queries), time.Since(t))
				if err != nil || len(res) != 10 {
					b.Fatalf("%d results: %v", len(res), err)
				}
			}
			lat.report(b)
		})
		b.Run(pre+"scan", func(b *testing.B) {
			f := vectors(b, n)
			if f.scan == nil {
				f.scan = NewExactScan(f.vecs)
			}
			lat := newPerQuery(len(f.queries))
			for i := 0; b.Loop(); i++ {
				q := f.queries[i%len(f.queries)]
				t := time.Now()
				f.scan.Search(q, 10)
				lat.add(i%len(f.queries), time.Since(t))
			}
			lat.report(b)
		})
	}
}

// recallAt10 is the share of the exact top 10 that search finds.
func recallAt10(f *vectorFixture, search func(q []float32) []string) float64 {
	if f.scan == nil {
		f.scan = NewExactScan(f.vecs)
	}
	found, total := 0, 0
	for _, q := range f.queries {
		want := map[string]bool{}
		for _, h := range f.scan.Search(q, 10) {
			want[VectorID(h.Row)] = true
		}
		for _, id := range search(q) {
			if want[id] {
				found++
			}
		}
		total += len(want)
	}
	return float64(found) / float64(total)
}
