package embedded

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// realArticles returns n articles of real size: from the news archive when
// STORYBOT_ARCHIVE names its articles.jsonl.gz, else generated text of the
// archive's mean length (about 6 KB).
func realArticles(n int) ([]*retrieval.Article, error) {
	out := make([]*retrieval.Article, 0, n)
	path := os.Getenv("STORYBOT_ARCHIVE")
	if path == "" {
		para := strings.Repeat("The council voted on the budget after a long debate about schools and roads. ", 8)
		for i := range n {
			out = append(out, storetest.NewArticle(fmt.Sprintf("gen-%d", i), para, para, para, para, para, para, para, para, para, para))
		}
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	for line := 1; sc.Scan() && len(out) < n; line++ {
		var r struct{ ID, Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		a := storetest.NewArticle(r.ID, strings.Split(r.Text, "\n")...)
		a.Title = r.Title
		out = append(out, a)
	}
	if len(out) < n {
		return nil, fmt.Errorf("%s holds %d articles, want %d", path, len(out), n)
	}
	return out, sc.Err()
}

func benchArticles(b *testing.B, n int) []*retrieval.Article {
	b.Helper()
	arts, err := realArticles(n)
	if err != nil {
		b.Fatal(err)
	}
	return arts
}

// beside runs bench alone on a fresh store, then with a second process on
// the same folder: a bulk import writing without pause (the worst case),
// and a serve-like poller.
// Beside a writer it also reports the writer's rate, to show the two
// share the folder rather than one starving the other.
func beside(b *testing.B, bench func(b *testing.B, s *Store) (logged int)) {
	for _, other := range []string{"alone", "writer", "poller"} {
		b.Run(other, func(b *testing.B) {
			dir := b.TempDir()
			s, err := Open(dir, time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var h *helperProc
			if other != "alone" {
				h = startHelper(b, dir, other)
				time.Sleep(500 * time.Millisecond) // let it start writing
			}
			start, _ := s.Position(context.Background())
			logged := bench(b, s)
			end, _ := s.Position(context.Background())
			if h != nil && !h.running() {
				b.Fatalf("the %s process stopped: %v", other, h.wait())
			}
			if other == "writer" {
				b.ReportMetric(float64(int(end.Seq-start.Seq)-logged)/b.Elapsed().Seconds(), "writer-articles/s")
			}
		})
	}
}

// latencies times each op and reports the median and 99th percentile.
func latencies(b *testing.B, op func(i int) error) {
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkPutMany500 writes batches of 500 real-size articles, as a bulk
// import does.
func BenchmarkPutMany500(b *testing.B) {
	arts := benchArticles(b, 500)
	s, err := Open(b.TempDir(), time.Second)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		for j, a := range arts {
			a.ID = fmt.Sprintf("b%d-%d", i, j)
		}
		if err := s.PutMany(ctx, arts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(arts))/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkPut writes one real-size article per transaction.
func BenchmarkPut(b *testing.B) {
	a := benchArticles(b, 1)[0]
	ctx := context.Background()
	beside(b, func(b *testing.B, s *Store) int {
		latencies(b, func(i int) error {
			a.ID = fmt.Sprintf("put-%d", i%1000)
			return s.Put(ctx, a)
		})
		return b.N
	})
}

// BenchmarkClaim takes a fresh claim per operation (a Slack event's dedup).
func BenchmarkClaim(b *testing.B) {
	ctx := context.Background()
	beside(b, func(b *testing.B, s *Store) int {
		latencies(b, func(i int) error {
			ok, err := s.Claim(ctx, fmt.Sprintf("event-%d", i), time.Hour)
			if err == nil && !ok {
				err = fmt.Errorf("claim %d lost", i)
			}
			return err
		})
		return 0
	})
}

// BenchmarkPosition reads the change log's position: what serve's follower
// does every second.
func BenchmarkPosition(b *testing.B) {
	ctx := context.Background()
	beside(b, func(b *testing.B, s *Store) int {
		latencies(b, func(int) error {
			_, err := s.Position(ctx)
			return err
		})
		return 0
	})
}

// BenchmarkArchive imports the whole archive (STORYBOT_ARCHIVE) in batches
// of 500, then times serve's small operations on a store of that size,
// where opening the file per operation costs the most.
func BenchmarkArchive(b *testing.B) {
	if os.Getenv("STORYBOT_ARCHIVE") == "" {
		b.Skip("set STORYBOT_ARCHIVE to the archive's articles.jsonl.gz")
	}
	arts := benchArticles(b, 26843)
	ctx := context.Background()
	dir := b.TempDir()
	s, err := Open(dir, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t := time.Now()
	for i := 0; i < len(arts); i += 500 {
		if err := s.PutMany(ctx, arts[i:min(i+500, len(arts))]); err != nil {
			b.Fatal(err)
		}
	}
	took := time.Since(t)
	st, _ := os.Stat(filepath.Join(dir, FileName))
	b.Logf("imported %d articles in %s (%.0f articles/s), file %d MB", len(arts), took, float64(len(arts))/took.Seconds(), st.Size()>>20)
	b.Run("List", func(b *testing.B) {
		latencies(b, func(int) error { _, err := s.List(ctx); return err })
	})
	b.Run("Position", func(b *testing.B) {
		latencies(b, func(int) error { _, err := s.Position(ctx); return err })
	})
	b.Run("Get", func(b *testing.B) {
		latencies(b, func(i int) error { _, err := s.Get(ctx, arts[i%len(arts)].ID); return err })
	})
	b.Run("Claim", func(b *testing.B) {
		latencies(b, func(i int) error { _, err := s.Claim(ctx, fmt.Sprintf("event-%d", i), time.Hour); return err })
	})
	b.Run("Put", func(b *testing.B) {
		latencies(b, func(i int) error { return s.Put(ctx, arts[i%len(arts)]) })
	})
}
