package bench

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/redisstore"
)

// redisArticles is how many synthetic articles the Redis benchmarks use:
// STORYBOT_BENCH_ARTICLES, default 10,000.
func redisArticles() int {
	if n, err := strconv.Atoi(os.Getenv("STORYBOT_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 10000
}

func openRedis(b *testing.B) *redisstore.Store {
	b.Helper()
	return openRedisAt(b, redistest.StartServer(b, redistest.Options{Private: true}).URL)
}

// BenchmarkRedisIngestAndColdStart measures, end to end against a private
// redis-server: ingest (clean, chunk, dedup, store in Redis, index) in
// articles/s, and the cold start of a fresh replica (Follow until ready)
// in seconds.
func BenchmarkRedisIngestAndColdStart(b *testing.B) {
	n := redisArticles()
	docs := NewGenerator(vocabulary(b), corpusSeed).Documents(n * 6) // about 6 passages an article
	ctx := context.Background()
	for range b.N {
		s := openRedis(b)
		ix := retrieval.NewIndex()
		ing := &retrieval.Ingester{Store: s, Index: ix}
		start := time.Now()
		sum := ing.Ingest(ctx, docs)
		ingest := time.Since(start)
		if f := sum.Count(retrieval.Failed); f > 0 {
			b.Fatalf("%d failed: %v", f, sum.Results[0].Err)
		}
		b.ReportMetric(float64(len(docs))/ingest.Seconds(), "ingest-articles/s")

		runtime.GC()
		replica := retrieval.NewIndex()
		fctx, cancel := context.WithCancel(ctx)
		ready := make(chan struct{})
		start = time.Now()
		go s.Follow(fctx, replica, func() { close(ready) })
		<-ready
		b.ReportMetric(time.Since(start).Seconds(), "coldstart-s")
		b.ReportMetric(float64(replica.Len()), "articles")

		cancel()
	}
}
