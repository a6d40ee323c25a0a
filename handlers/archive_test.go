package handlers

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
	"github.com/storybot/storybot/retrieval/phrase"
)

// archiveIndex loads the index of a data folder holding the real archive
// ($STORYBOT_ARCHIVE_DATA, see docs/digest.md); the test is skipped
// without it. The archive is never part of the repository.
func archiveIndex(t testing.TB) *retrieval.Index {
	t.Helper()
	dir := os.Getenv("STORYBOT_ARCHIVE_DATA")
	if dir == "" {
		t.Skip("STORYBOT_ARCHIVE_DATA not set: see docs/digest.md")
	}
	st, err := embedded.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ix := retrieval.NewIndex()
	ix.PutAll(slices.Values(arts), len(arts))
	return ix
}

// TestArchivePhrases reports the figures of the wording comparison in
// docs/digest.md: the sample articles' unattested shares against the
// archive, and how far apart the shares of different reports of one story
// fall (a month of stories), which is what phrase.Clearer must exceed.
func TestArchivePhrases(t *testing.T) {
	ix := archiveIndex(t)
	start := time.Now()
	st := phrase.For(ix)
	t.Logf("phrase statistics: %d texts, %d words in %s", st.Texts(), st.Words(), time.Since(start))
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	var seeds []phrase.Text
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := (&retrieval.Ingester{Index: retrieval.NewIndex()}).Build(retrieval.Document{Source: f, Text: string(b)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, phrase.Text{ID: a.ID, Body: a.Title + "\n" + a.Text})
	}
	t.Logf("sample articles 000, 001 (reworded), 002 against the archive: %.3f", st.Unattested(seeds))
	t.Logf("against one another alone: %.3f", phrase.NewStats().Unattested(seeds))

	since := time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC)
	until := since.AddDate(0, 1, 0)
	var arts []*retrieval.Article
	for _, h := range ix.Headers() {
		if w := storyTime(h); !w.Before(since) && w.Before(until) {
			arts = append(arts, ix.Get(h.ID))
		}
	}
	var gaps []float64
	demoted, members := 0, 0
	for _, g := range groupStories(storyDocs(arts, memoIDF(ix))) {
		if len(g) < 2 {
			continue
		}
		members += len(g)
		demoted += len(outworded(g, st, (*retrieval.Article).Original))
		ts := make([]phrase.Text, len(g))
		for i, d := range g {
			ts[i] = phrase.Text{ID: d.a.ID, Body: d.a.Title + "\n" + d.a.Text, Family: d.a.Original()}
		}
		sh := st.Unattested(ts)
		for i := range g {
			for j := range g {
				if sh[i] >= sh[j] && i != j && cosine(g[i].vec, g[j].vec) >= sameCosine && cosine(g[i].vec, g[j].vec) < copyCosine && outletOf(g[i].a) != outletOf(g[j].a) {
					gaps = append(gaps, sh[i]-sh[j])
				}
			}
		}
	}
	sort.Float64s(gaps)
	if len(gaps) == 0 {
		t.Fatal("no multi-outlet stories in October 2022")
	}
	q := func(p float64) float64 { return gaps[int(p*float64(len(gaps)-1))] }
	over := sort.SearchFloat64s(gaps, phrase.Clearer)
	t.Logf("October 2022: share gaps between reports of one story by different outlets: n=%d p50 %.3f p90 %.3f p99 %.3f; %.1f %% at or above phrase.Clearer (%.2f); %d of %d members of multi-article stories demoted",
		len(gaps), q(.5), q(.9), q(.99), pct(len(gaps)-over, len(gaps)), phrase.Clearer, demoted, members)
}

// archiveLinks reads the archive's questions and returns the pairs of
// articles (by URL) that one question links, from different outlets.
func archiveLinks(t testing.TB) [][2]string {
	t.Helper()
	dir := os.Getenv("STORYBOT_ARCHIVE")
	if dir == "" {
		t.Skip("STORYBOT_ARCHIVE not set: see docs/digest.md")
	}
	f, err := os.Open(filepath.Join(dir, "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct{ ID, URL, Outlet string }
	byID := map[string]rec{}
	dec := json.NewDecoder(gz)
	for {
		var r rec
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		byID[r.ID] = r
	}
	q, err := os.ReadFile(filepath.Join(dir, "questions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]string]bool{}
	var pairs [][2]string
	for _, line := range strings.Split(string(q), "\n") {
		var qq struct {
			Gold []string `json:"gold_article_ids"`
		}
		if json.Unmarshal([]byte(line), &qq) != nil {
			continue
		}
		for i, a := range qq.Gold {
			for _, b := range qq.Gold[i+1:] {
				ra, rb := byID[a], byID[b]
				if ra.URL == "" || rb.URL == "" || ra.Outlet == rb.Outlet {
					continue
				}
				p := [2]string{min(ra.URL, rb.URL), max(ra.URL, rb.URL)}
				if !seen[p] {
					seen[p] = true
					pairs = append(pairs, p)
				}
			}
		}
	}
	return pairs
}

// TestArchiveStories groups the whole archive as one window and reports
// the figures of docs/digest.md: same-question cross-outlet pairs grouped,
// story sizes, and 30 random multi-source stories to read (written to
// $STORYBOT_ARCHIVE_OUT, default stories.txt in the test's temp folder).
func TestArchiveStories(t *testing.T) {
	pairs := archiveLinks(t)
	ix := archiveIndex(t)
	start := time.Now()
	idf := memoIDF(ix)
	var arts []*retrieval.Article
	for _, h := range ix.Headers() {
		arts = append(arts, ix.Get(h.ID))
	}
	docs := storyDocs(arts, idf)
	groups := groupStories(docs)
	t.Logf("grouped %d articles into %d stories in %s", len(docs), len(groups), time.Since(start))
	story := map[string]int{}
	when := map[string]time.Time{}
	for gi, g := range groups {
		for _, d := range g {
			story[d.a.URL] = gi
			when[d.a.URL] = d.when
		}
	}
	var together, near, nearTogether, dated, week, weekTogether int
	for _, p := range pairs {
		same := story[p[0]] == story[p[1]]
		if same {
			together++
		}
		wa, wb := when[p[0]], when[p[1]]
		if wa.IsZero() || wb.IsZero() {
			continue
		}
		dated++
		if d := wa.Sub(wb).Abs(); d <= groupSpan {
			week++
			if same {
				weekTogether++
			}
		}
		if d := wa.Sub(wb); d <= groupGap && d >= -groupGap {
			near++
			if same {
				nearTogether++
			}
		}
	}
	t.Logf("pairs: %d cross-outlet same-question pairs, %d (%.1f %%) in one story; %d published within %s of each other, %d (%.1f %%) of those in one story",
		len(pairs), together, pct(together, len(pairs)), near, groupGap, nearTogether, pct(nearTogether, near))
	t.Logf("pairs published within %s of each other: %d, %d (%.1f %%) in one story", groupSpan, week, weekTogether, pct(weekTogether, week))
	sizes := map[int]int{}
	var big []int
	var multi []int
	for gi, g := range groups {
		n := len(g)
		b := n
		switch {
		case n >= 61:
			b = 61
			big = append(big, gi)
		case n >= 21:
			b = 21
		case n >= 11:
			b = 11
		case n >= 6:
			b = 6
		}
		sizes[b]++
		if n >= 2 {
			multi = append(multi, gi)
		}
	}
	t.Logf("sizes (1,2,3,4,5,6-10,11-20,21-60,>60): %d %d %d %d %d %d %d %d %d; largest %d",
		sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], sizes[6], sizes[11], sizes[21], sizes[61], largest(groups))
	out := os.Getenv("STORYBOT_ARCHIVE_OUT")
	if out == "" {
		out = filepath.Join(t.TempDir(), "stories.txt")
	}
	var b strings.Builder
	r := rand.New(rand.NewPCG(22, 22))
	r.Shuffle(len(multi), func(i, j int) { multi[i], multi[j] = multi[j], multi[i] })
	// Stories with a report whose time is unknown (undated, bulk
	// imported), after the random ones.
	var timeless []int
	for _, gi := range multi {
		for _, d := range groups[gi] {
			if d.timeless {
				timeless = append(timeless, gi)
				break
			}
		}
	}
	t.Logf("%d multi-article stories hold a report whose time is unknown", len(timeless))
	for _, gi := range append(append(multi[:min(30, len(multi))], big...), timeless[:min(15, len(timeless))]...) {
		fmt.Fprintf(&b, "=== story %d (%d articles)\n", gi, len(groups[gi]))
		for _, d := range groups[gi] {
			fmt.Fprintf(&b, "  %s %-10s %s | %.100s\n", d.when.Format("2006-01-02"), outletOf(d.a), d.a.Title, firstSentence(d.a.Text))
		}
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("30 random multi-article stories written to %s", out)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func largest(gs [][]*storyDoc) int {
	n := 0
	for _, g := range gs {
		n = max(n, len(g))
	}
	return n
}

func firstSentence(text string) string {
	if ss := retrieval.Sentences(text); len(ss) > 0 {
		return text[ss[0].Start:ss[0].End]
	}
	return ""
}

// BenchmarkArchiveDigestDay composes the digest of 17 Nov 2022, the
// archive's busiest day, first with the phrase statistics counted (as a
// one-off `storybot digest` does), then as serve does (counted once).
func BenchmarkArchiveDigestDay(b *testing.B) {
	ix := archiveIndex(b)
	since := time.Date(2022, 11, 17, 0, 0, 0, 0, time.UTC)
	d := &Digester{Index: ix}
	b.ResetTimer()
	for b.Loop() {
		if _, err := d.Compose(context.Background(), DigestRequest{Since: since, Now: since.Add(24 * time.Hour)}); err != nil {
			b.Fatal(err)
		}
	}
}
