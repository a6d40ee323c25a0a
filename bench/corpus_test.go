package bench

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storybot/storybot/retrieval"
)

func testGenerator(t *testing.T) *Generator {
	t.Helper()
	samples, err := SampleTexts("..")
	if err != nil {
		t.Fatal(err)
	}
	return NewGenerator(samples, 1)
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a := testGenerator(t).Documents(300)
	b := testGenerator(t).Documents(300)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different corpus (-first +second):\n%s", diff)
	}
	other := NewGenerator(nil, 2).Article(0)
	if other.Document.Text == a[0].Text {
		t.Error("different seeds gave the same article")
	}
}

func TestGeneratorParagraphsArePassages(t *testing.T) {
	arts := testGenerator(t).Articles(500)
	total, passages := 0, 0
	for _, a := range arts {
		total += a.Paragraphs
		passages += len(retrieval.Chunk(a.Document.Text))
		if len(strings.Fields(a.Document.Title)) < 3 {
			t.Errorf("short headline %q", a.Document.Title)
		}
	}
	if total < 500 {
		t.Errorf("%d paragraphs, want at least 500", total)
	}
	if passages < total*9/10 || passages > total {
		t.Errorf("%d passages from %d paragraphs", passages, total)
	}
}

func TestReword(t *testing.T) {
	for _, title := range []string{"Storm closes Riverton harbor for two days", "a a", "one", ""} {
		got := Reword(title, 3)
		if Reword(title, 3) != got {
			t.Errorf("Reword(%q) is not deterministic", title)
		}
		words := strings.Fields(title)
		if n := len(strings.Fields(got)); n > len(words) || n < min(2, len(words)) {
			t.Errorf("Reword(%q) = %q", title, got)
		}
		for _, w := range strings.Fields(got) {
			if !strings.Contains(title, w) {
				t.Errorf("Reword(%q) made up %q", title, w)
			}
		}
	}
}

func TestParseReutersSGML(t *testing.T) {
	sgml := `<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in
the Bahia cocoa zone, alleviating the drought.
    Arrivals of cocoa &lt;totalled&gt; 6,000 bags.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="2"><TEXT TYPE="BRIEF"><TITLE>NO BODY HERE</TITLE></TEXT></REUTERS>`
	docs := ParseReutersSGML("reut2-000.sgm", sgml)
	want := []retrieval.Document{{
		Source: "reut2-000.sgm#1", Key: "reuters-1", Title: "BAHIA COCOA REVIEW", Outlet: "Reuters",
		Text: "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought.\n\nArrivals of cocoa <totalled> 6,000 bags.",
	}}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("ParseReutersSGML (-want +got):\n%s", diff)
	}
	if _, err := LoadReuters(context.Background(), "no/such/dir"); !errors.Is(err, ErrNoCorpus) {
		t.Errorf("missing corpus: %v", err)
	}
}

// Both engines find known items on a small synthetic corpus, and the
// evaluation scores ranks as MRR should.
func TestKnownItemEvaluation(t *testing.T) {
	docs := testGenerator(t).Documents(400)
	ix := BuildStorybot(docs)
	items := KnownItems(docs, 40, 1)
	if len(items) != 40 {
		t.Fatalf("%d known items", len(items))
	}
	sb, err := Evaluate(items, 10, func(q string) ([]string, error) { return StorybotSearch(ix, q, 10), nil })
	if err != nil {
		t.Fatal(err)
	}
	bl, err := NewBleve()
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	ps := Passages(ix)
	if err := bl.Add(ps, 100); err != nil {
		t.Fatal(err)
	}
	if n, _ := bl.Count(); int(n) != len(ps) || len(ps) != ix.Passages() {
		t.Fatalf("bleve holds %d passages, storybot %d, listed %d", n, ix.Passages(), len(ps))
	}
	ctx := context.Background()
	bq, err := Evaluate(items, 10, func(q string) ([]string, error) { return bl.Search(ctx, q, 10) })
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]Quality{"storybot": sb, "bleve": bq} {
		if q.MRR < 0.5 || q.Hits < q.MRR || q.N != 40 {
			t.Errorf("%s: %+v", name, q)
		}
	}

	fixed := []KnownItem{{Query: "a", ArticleID: "x"}, {Query: "b", ArticleID: "y"}}
	got, _ := Evaluate(fixed, 10, func(q string) ([]string, error) {
		if q == "a" {
			return []string{"z-p0", "x-p3"}, nil // found at rank 2
		}
		return []string{"z-p1"}, nil // not found
	})
	if got.MRR != 0.25 || got.Hits != 0.5 {
		t.Errorf("MRR %v, Hits %v; want 0.25, 0.5", got.MRR, got.Hits)
	}
}

func TestExactScanAgreesWithVectorIndex(t *testing.T) {
	vecs := RandomVectors(2000, 32, 1)
	qs := RandomVectors(20, 32, 2)
	scan := NewExactScan(vecs)
	vx := retrieval.NewVectorIndex(32)
	for i, v := range vecs {
		if err := vx.Add(VectorID(i), v); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range qs {
		want := scan.Search(q, 10)
		got := vx.Search(q, 10)
		if len(got) != 10 || len(want) != 10 {
			t.Fatalf("%d and %d hits", len(got), len(want))
		}
		for i := range want {
			if got[i].ID != VectorID(want[i].Row) {
				t.Errorf("rank %d: %s, scan says %s", i, got[i].ID, VectorID(want[i].Row))
			}
		}
	}
	c, err := NewChromem(context.Background(), vecs, 2)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.QueryEmbedding(context.Background(), qs[0], 10, nil, nil)
	if err != nil || len(res) != 10 || res[0].ID != VectorID(scan.Search(qs[0], 1)[0].Row) {
		t.Errorf("chromem: %v, %v", res, err)
	}
}

// After most articles are removed (which compacts the index), search gives
// what an index built from the remaining articles alone gives.
func TestRemovalAndCompactionKeepResults(t *testing.T) {
	docs := testGenerator(t).Documents(3000)
	ix := BuildStorybot(docs)
	var kept []retrieval.Document
	for i, d := range docs {
		if i%5 == 0 {
			kept = append(kept, d)
			continue
		}
		ix.Remove(retrieval.ArticleID(d.Key))
	}
	fresh := BuildStorybot(kept)
	if ix.Passages() != fresh.Passages() {
		t.Fatalf("%d passages after removal, %d fresh", ix.Passages(), fresh.Passages())
	}
	for _, it := range KnownItems(kept, 100, 5) {
		got := ix.Search(retrieval.Query{Text: it.Query})
		want := fresh.Search(retrieval.Query{Text: it.Query})
		if len(got) != len(want) {
			t.Fatalf("%q: %d hits, fresh index %d", it.Query, len(got), len(want))
		}
		for i := range want {
			if got[i].Passage.ID != want[i].Passage.ID || math.Abs(got[i].Score-want[i].Score) > 1e-9 {
				t.Errorf("%q rank %d: %s %.9f, fresh index %s %.9f", it.Query, i, got[i].Passage.ID, got[i].Score, want[i].Passage.ID, want[i].Score)
			}
		}
		for _, term := range retrieval.Terms(it.Query) {
			if a, b := ix.IDF(term), fresh.IDF(term); math.Abs(a-b) > 1e-12 {
				t.Errorf("IDF(%s) = %v, fresh index %v", term, a, b)
			}
		}
	}
}

// A search large enough to be split among CPUs finds what the plain scan
// finds, in the same order.
func TestVectorIndexLargeSearchIsExact(t *testing.T) {
	vecs := RandomVectors(6000, 384, 3)
	scan := NewExactScan(vecs)
	vx := retrieval.NewVectorIndex(384)
	for i, v := range vecs {
		if err := vx.Add(VectorID(i), v); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range RandomVectors(10, 384, 4) {
		want := scan.Search(q, 10)
		got := vx.Search(q, 10)
		if len(got) != len(want) {
			t.Fatalf("%d hits, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].ID != VectorID(want[i].Row) || math.Abs(float64(got[i].Score-want[i].Score)) > 1e-5 {
				t.Errorf("rank %d: %s %v, scan says %s %v", i, got[i].ID, got[i].Score, VectorID(want[i].Row), want[i].Score)
			}
		}
	}
}
