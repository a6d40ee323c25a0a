package bench

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkBuild measures index build rate in passages per second: for
// storybot from raw documents, cleaning and chunking included, with one
// goroutine (as Ingester.Ingest does) and with one per CPU; for bleve from
// the same passages' text (it does no cleaning or chunking), in batches,
// which bleve analyses on all CPUs.
func BenchmarkBuild(b *testing.B) {
	for _, name := range lexicalCorpora() {
		benchmarkBuild(b, name)
	}
}

func benchmarkBuild(b *testing.B, name string) {
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("corpus=%s/engine=storybot/workers=%d", name, w), func(b *testing.B) {
			docs := documents(b, name)
			passages := 0
			for b.Loop() {
				ix := BuildStorybotParallel(docs, w)
				passages = ix.Passages()
			}
			b.ReportMetric(float64(passages)*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
		})
	}
	b.Run("corpus="+name+"/engine=bleve", func(b *testing.B) {
		ps := corpus(b, name).passages
		for b.Loop() {
			bl, err := NewBleve()
			if err != nil {
				b.Fatal(err)
			}
			if err := bl.Add(ps, bleveBatch); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			bl.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(len(ps))*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
	})
}

// BenchmarkQuery measures top-10 lexical query latency, one known-item
// query (a reworded headline) at a time, on the same corpus and queries.
func BenchmarkQuery(b *testing.B) {
	for _, name := range lexicalCorpora() {
		for _, e := range engines {
			b.Run("corpus="+name+"/engine="+e, func(b *testing.B) {
				runQueries(b, corpus(b, name), e)
			})
		}
	}
}

// BenchmarkQuality measures known-item retrieval quality: for a sample of
// articles, query with a reworded headline (words dropped, order shuffled)
// and score the rank of the article's first passage in the top 10.
func BenchmarkQuality(b *testing.B) {
	for _, name := range lexicalCorpora() {
		for _, e := range engines {
			b.Run("corpus="+name+"/engine="+e, func(b *testing.B) {
				f := corpus(b, name)
				search := f.searcher(b, e)
				var q Quality
				for b.Loop() {
					var err error
					if q, err = Evaluate(f.items, 10, search); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(q.MRR, "MRR@10")
				b.ReportMetric(q.Hits, "hits@10")
				b.ReportMetric(float64(q.N), "queries")
			})
		}
	}
}

// BenchmarkScale measures query latency and index heap as the archive
// grows: synthetic corpora of 20k, 200k and (with STORYBOT_BENCH_LARGE=1)
// 1M passages. storybot's heap includes the article text it serves;
// bleve's holds no text (nothing stored).
func BenchmarkScale(b *testing.B) {
	sizes := []int{smallPassages, midPassages}
	if large() {
		sizes = append(sizes, largePassages)
	}
	for _, n := range sizes {
		name := "synthetic-" + sizeName(n)
		for _, e := range engines {
			b.Run("passages="+sizeName(n)+"/engine="+e, func(b *testing.B) {
				f := corpus(b, name)
				runQueries(b, f, e)
				heap := f.ixHeap.total
				if e == "bleve" {
					heap = f.blHeap
				}
				b.ReportMetric(float64(heap.inuse)/float64(f.ix.Passages()), "heap-B/passage")
				if e == "storybot" {
					text := float64(f.textBytes)
					b.ReportMetric(float64(heap.inuse)/text, "heap/text")
					b.ReportMetric(float64(heap.live)/text, "live/text")
					b.ReportMetric(float64(f.ixHeap.index.inuse)/text, "index-heap/text")
					b.ReportMetric(float64(f.ixHeap.index.live)/text, "index-live/text")
				}
			})
		}
	}
}
