package redisstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// newsWords feeds the synthetic articles: ordinary newsroom English, so the
// JSON and the index see realistic word lengths and vocabulary.
var newsWords = strings.Fields(`the council voted on tuesday to approve a new budget for
the city after months of debate over police funding school repairs and housing
officials said the mayor would sign the measure this week although several
members warned that the state could cut aid next year according to documents
obtained by reporters campaign spokesperson declined to comment on the resignation
of its chief information security officer who left after a breach exposed donor
records the company said in a statement that it had hired an outside firm to
investigate prosecutors filed charges against two former executives accused of
fraud residents told the newspaper they were worried about rising rents and
traffic near the stadium where construction began in march federal regulators
opened an inquiry into the merger which would create the largest hospital network
in the region analysts expect prices to rise`)

// syntheticArticle is ~3 KB of text in 6 paragraphs.
func syntheticArticle(r *rand.Rand, id string) *retrieval.Article {
	paras := make([]string, 6)
	for p := range paras {
		var b strings.Builder
		for b.Len() < 480 {
			n := 12 + r.IntN(14)
			for w := range n {
				word := newsWords[r.IntN(len(newsWords))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				if w < n-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(". ")
		}
		paras[p] = strings.TrimSpace(b.String())
	}
	a := storetest.NewArticle(id, paras...)
	a.Title = "Council approves budget after months of debate " + id
	return a
}

func usedMemory(b *testing.B, s *Store) int64 {
	b.Helper()
	info, err := s.rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no used_memory in INFO memory")
	return 0
}

// BenchmarkRedisMemory puts b.N synthetic articles (~3 KB, 6 passages) into
// a private redis-server and reports Redis memory per article and passage,
// from the used_memory delta (article keys, registry and change stream) and
// from MEMORY USAGE of one article key. Run with -benchtime=10000x.
func BenchmarkRedisMemory(b *testing.B) {
	srv := redistest.StartServer(b, redistest.Options{Private: true})
	s := open(b, srv.URL, "sb")
	r := rand.New(rand.NewPCG(1, 2))
	arts := make([]*retrieval.Article, b.N)
	var textBytes, passages int
	for i := range arts {
		arts[i] = syntheticArticle(r, fmt.Sprintf("%016x", r.Uint64()))
		textBytes += len(arts[i].Text)
		passages += len(arts[i].Passages)
	}
	ctx := context.Background()
	// Warm up: create the registry, version and stream keys first.
	if err := s.Put(ctx, syntheticArticle(r, "warmup")); err != nil {
		b.Fatal(err)
	}
	before := usedMemory(b, s)
	b.ResetTimer()
	for _, a := range arts {
		if err := s.Put(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := usedMemory(b, s)
	one, err := s.rdb.MemoryUsage(ctx, s.articleKey(arts[0].ID), 0).Result()
	if err != nil {
		b.Fatal(err)
	}
	data, _ := encodeArticle(arts[0])
	n := float64(b.N)
	b.ReportMetric(float64(after-before)/n, "redis-B/article")
	b.ReportMetric(float64(after-before)/float64(passages), "redis-B/passage")
	b.ReportMetric(float64(one), "key-B/article")
	b.ReportMetric(float64(len(data)), "json-B/article")
	b.ReportMetric(float64(textBytes)/n, "text-B/article")
	b.ReportMetric(float64(passages)/n, "passages/article")
}

// BenchmarkFollowColdStart measures how long a fresh replica takes to load
// 10,000 articles (~3 KB, 6 passages each) from Redis: "fetch" is Redis and
// JSON alone (List), "index" is Follow into a retrieval.Index until ready,
// which adds the index's tokenising. "index" also reports the replica heap
// the loaded index holds per article and per passage. Run with -benchtime=3x.
func BenchmarkFollowColdStart(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("STORYBOT_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v // e.g. 100000 for the README's cold-start figure
	}
	srv := redistest.StartServer(b, redistest.Options{Private: true})
	s := open(b, srv.URL, "sb")
	ctx := context.Background()
	var wg sync.WaitGroup
	var passages, textBytes int
	work := make(chan *retrieval.Article)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				if err := s.Put(ctx, a); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		a := syntheticArticle(r, fmt.Sprintf("cold-%05d", i))
		passages += len(a.Passages)
		textBytes += len(a.Text)
		work <- a
	}
	close(work)
	wg.Wait()

	b.Run("fetch", func(b *testing.B) {
		for range b.N {
			as, err := s.List(ctx)
			if err != nil || len(as) != n {
				b.Fatalf("List: %d articles, %v", len(as), err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/load")
	})
	b.Run("index", func(b *testing.B) {
		var heap, inuse float64
		for range b.N {
			b.StopTimer()
			runtime.GC()
			var m0 runtime.MemStats
			runtime.ReadMemStats(&m0)
			ix := retrieval.NewIndex()
			fctx, cancel := context.WithCancel(ctx)
			ready := make(chan struct{})
			done := make(chan struct{})
			b.StartTimer()
			go func() { s.Follow(fctx, ix, func() { close(ready) }); close(done) }()
			select {
			case <-ready:
			case <-time.After(5 * time.Minute):
				b.Fatal("not ready")
			}
			b.StopTimer()
			cancel()
			<-done
			if ix.Len() != n {
				b.Fatalf("loaded %d articles, want %d", ix.Len(), n)
			}
			runtime.GC()
			var m1 runtime.MemStats
			runtime.ReadMemStats(&m1)
			heap = float64(m1.HeapAlloc) - float64(m0.HeapAlloc)
			inuse = float64(m1.HeapInuse) - float64(m0.HeapInuse)
			runtime.KeepAlive(ix)
			b.StartTimer()
		}
		b.StopTimer()
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/load")
		b.ReportMetric(heap/float64(n), "heap-B/article")
		b.ReportMetric(heap/float64(passages), "heap-B/passage")
		b.ReportMetric(heap/float64(textBytes), "live/text")
		b.ReportMetric(inuse/float64(textBytes), "inuse/text")
	})
}
