package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/redisstore"
)

var (
	archiveOnce sync.Once
	archiveArts []*retrieval.Article
	archiveErr  error
)

// archiveArticles returns the archive's articles ($STORYBOT_ARCHIVE, see
// ArchiveDir), cleaned and cut into passages as ingest does (without
// duplicate detection), or nil when the archive is not here.
func archiveArticles(b *testing.B) []*retrieval.Article {
	b.Helper()
	if _, _, err := archiveFiles(); err != nil {
		return nil
	}
	archiveOnce.Do(func() {
		var docs []retrieval.Document
		if docs, _, archiveErr = LoadArchive(ArchiveDir()); archiveErr == nil {
			archiveArts = buildArticles(docs)
		}
	})
	if archiveErr != nil {
		b.Fatal(archiveErr)
	}
	return archiveArts
}

// buildArticles cleans and chunks docs on every core.
func buildArticles(docs []retrieval.Document) []*retrieval.Article {
	out := make([]*retrieval.Article, len(docs))
	var wg sync.WaitGroup
	work := make(chan int, 256)
	ing := &retrieval.Ingester{}
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				out[i], _ = ing.Build(docs[i], nil)
			}
		})
	}
	for i := range docs {
		work <- i
	}
	close(work)
	wg.Wait()
	return slices.DeleteFunc(out, func(a *retrieval.Article) bool { return a == nil })
}

// bundledNews returns the repository's own news articles: the seed
// articles and the newsroom evaluation set.
func bundledNews(b *testing.B) []*retrieval.Article {
	b.Helper()
	var docs []retrieval.Document
	for _, dir := range []string{"../testdata/seeds", "../testdata/eval/newsroom", "../testdata/articles"} {
		ds, errs := retrieval.Load(context.Background(), dir, retrieval.LoadOptions{})
		if len(errs) > 0 {
			b.Fatal(errs[0])
		}
		docs = append(docs, ds...)
	}
	return buildArticles(docs)
}

// BenchmarkSnapshotVsBuild compares the two ways a process gets its index:
// building it from stored articles (JSON decode and analysis, what every
// start did before snapshots) and reading an index snapshot. On the
// archive when STORYBOT_ARCHIVE is set, else on the bundled news.
func BenchmarkSnapshotVsBuild(b *testing.B) {
	arts, corpus := archiveArticles(b), "archive"
	if arts == nil {
		arts, corpus = bundledNews(b), "bundled"
	}
	stored := encodeAll(b, arts)
	b.Run(corpus, func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "index.snap")
		var build, write, read time.Duration
		var size int64
		for range b.N {
			runtime.GC()
			start := time.Now()
			ix := retrieval.NewIndex()
			ix.PutAll(decodeAll(b, stored), len(stored))
			build += time.Since(start)

			start = time.Now()
			if err := ix.SaveSnapshot(path, retrieval.SnapshotInfo{}); err != nil {
				b.Fatal(err)
			}
			write += time.Since(start)
			st, _ := os.Stat(path)
			size = st.Size()
			ix = nil
			runtime.GC()

			start = time.Now()
			got, _, err := retrieval.LoadSnapshot(path)
			if err != nil {
				b.Fatal(err)
			}
			read += time.Since(start)
			if got.Len() == 0 {
				b.Fatal("empty index")
			}
		}
		n := float64(b.N)
		b.ReportMetric(float64(len(arts)), "articles")
		b.ReportMetric(build.Seconds()/n, "build-s")
		b.ReportMetric(read.Seconds()/n, "snapshot-read-s")
		b.ReportMetric(write.Seconds()/n, "snapshot-write-s")
		b.ReportMetric(build.Seconds()/read.Seconds(), "build/read")
		b.ReportMetric(float64(size)/(1<<20), "snapshot-MB")
	})
}

// BenchmarkRedisColdStartFromSnapshot measures a replica's cold start
// against a private redis-server holding real articles: the archive's,
// repeated under distinct IDs up to STORYBOT_BENCH_ARTICLES (default
// 100,000 with the archive), or, without STORYBOT_ARCHIVE, synthetic ones
// (default 10,000). It reports the start that reads every article
// (coldstart-full-s) and the start from an index snapshot read from a file
// with writes made after it (coldstart-snapshot-s).
func BenchmarkRedisColdStartFromSnapshot(b *testing.B) {
	arts := archiveArticles(b)
	n := 100_000
	if arts == nil {
		n = redisArticles()
		arts = buildArticles(NewGenerator(vocabulary(b), corpusSeed).Documents(n * 6))
	} else if v := os.Getenv("STORYBOT_BENCH_ARTICLES"); v != "" {
		n = redisArticles()
	}
	ctx := context.Background()
	for range b.N {
		srv := redistest.StartServer(b, redistest.Options{Private: true})
		s := openRedisAt(b, srv.URL)
		// Write n articles on several connections: copies of the
		// archive's beyond its size, each under its own ID.
		work := make(chan int, 1024)
		var wg sync.WaitGroup
		var failed error
		var mu sync.Mutex
		for range 16 {
			wg.Go(func() {
				for i := range work {
					a := *arts[i%len(arts)]
					if i >= len(arts) {
						a.Key = fmt.Sprintf("%s#copy%d", a.Key, i/len(arts))
						a.ID = retrieval.ArticleID(a.Key)
						a.StoryID = a.ID
					}
					if err := s.Put(ctx, &a); err != nil {
						mu.Lock()
						failed = err
						mu.Unlock()
					}
				}
			})
		}
		for i := range n {
			work <- i
		}
		close(work)
		wg.Wait()
		if failed != nil {
			b.Fatal(failed)
		}

		runtime.GC()
		full := retrieval.NewIndex()
		start := time.Now()
		followReady(b, s, full, nil)
		b.ReportMetric(time.Since(start).Seconds(), "coldstart-full-s")
		b.ReportMetric(float64(full.Len()), "articles")
		p, _ := s.FollowPosition()
		path := filepath.Join(b.TempDir(), "index.snap")
		if err := full.SaveSnapshot(path, retrieval.SnapshotInfo{Position: retrieval.Position{Epoch: p.ID, Seq: uint64(p.Version)}}); err != nil {
			b.Fatal(err)
		}
		full = nil
		// Writes after the snapshot, which the replica must pick up.
		for i := range 100 {
			a := *arts[i]
			a.Title += " (updated)"
			a.Hash += "-u"
			if err := s.Put(ctx, &a); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()

		replica := openRedisAt(b, srv.URL)
		start = time.Now()
		ix, info, err := retrieval.LoadSnapshot(path)
		if err != nil {
			b.Fatal(err)
		}
		read := time.Since(start)
		followReady(b, replica, ix, &info.Position)
		b.ReportMetric(time.Since(start).Seconds(), "coldstart-snapshot-s")
		b.ReportMetric(read.Seconds(), "snapshot-read-s")
		if replica.FullLoads.Load() != 0 || ix.Len() != n && ix.Len() == 0 {
			b.Fatalf("replica read everything (%d) or holds %d articles", replica.FullLoads.Load(), ix.Len())
		}
		if h := ix.Header(arts[0].ID); h == nil || !bytes.HasSuffix([]byte(h.Title), []byte("(updated)")) {
			b.Fatal("a write made after the snapshot did not reach the replica")
		}
	}
}

func openRedisAt(b *testing.B, url string) *redisstore.Store {
	b.Helper()
	o, err := redisstore.ParseURL(url)
	if err != nil {
		b.Fatal(err)
	}
	s, err := redisstore.Open(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// followReady follows Redis into ix from pos (nil: from nothing) until ix
// is up to date, then stops.
func followReady(b *testing.B, s *redisstore.Store, ix *retrieval.Index, pos *retrieval.Position) {
	b.Helper()
	var from *redisstore.StreamPosition
	if pos != nil {
		from = &redisstore.StreamPosition{Version: int64(pos.Seq), ID: pos.Epoch}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- s.FollowFrom(ctx, ix, from, func() { close(ready) }) }()
	select {
	case <-ready:
	case err := <-done:
		b.Fatal(err)
	}
	cancel()
	<-done
}
