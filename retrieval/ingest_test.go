package retrieval_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
)

type fixture struct {
	store *embedded.Store
	index *retrieval.Index
	ing   *retrieval.Ingester
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := embedded.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix := retrieval.NewIndex()
	return &fixture{store: st, index: ix, ing: &retrieval.Ingester{Store: st, Index: ix}}
}

func article(t *testing.T, name string) retrieval.Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "articles", name))
	if err != nil {
		t.Fatal(err)
	}
	title, body := retrieval.SplitTitle(string(b))
	return retrieval.Document{Source: name, Key: name, Title: title, Text: body}
}

func outcomes(s *retrieval.Summary) []retrieval.Outcome {
	var out []retrieval.Outcome
	for _, r := range s.Results {
		out = append(out, r.Outcome)
	}
	return out
}

func TestReingestUnchangedIsNoOp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	docs := []retrieval.Document{article(t, "ceo-steps-down.txt"), article(t, "harbor-storm.txt")}
	if s := f.ing.Ingest(ctx, docs); s.Count(retrieval.New) != 2 {
		t.Fatalf("first ingest: %s", s)
	}
	before, _ := f.store.List(ctx)
	s := f.ing.Ingest(ctx, docs)
	if s.Count(retrieval.Unchanged) != 2 {
		t.Fatalf("second ingest: %s, want 2 unchanged", s)
	}
	after, _ := f.store.List(ctx)
	for i := range before {
		if !before[i].Ingested.Equal(after[i].Ingested) {
			t.Errorf("unchanged article %s was rewritten", before[i].ID)
		}
	}
}

func TestChangedContentReplacesOldVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := article(t, "ceo-steps-down.txt")
	f.ing.Ingest(ctx, []retrieval.Document{d})
	d.Text = strings.Replace(d.Text, "fell 3 percent", "rose 7 percent", 1)
	d.Text = strings.Replace(d.Text, "eight years", "nine years", 1)
	s := f.ing.Ingest(ctx, []retrieval.Document{d})
	if got := outcomes(s); len(got) != 1 || got[0] != retrieval.Updated {
		t.Fatalf("outcomes %v, want [updated]", got)
	}
	if f.index.Len() != 1 {
		t.Fatalf("index holds %d articles, want 1", f.index.Len())
	}
	if hits := f.index.WithText(f.index.Search(retrieval.Query{Text: "shares fell percent"})); len(hits) > 0 && strings.Contains(hits[0].Passage.Text, "fell 3 percent") {
		t.Errorf("stale passage still found: %q", hits[0].Passage.Text)
	}
	hits := f.index.WithText(f.index.Search(retrieval.Query{Text: "shares rose"}))
	if len(hits) == 0 || !strings.Contains(hits[0].Passage.Text, "rose 7 percent") {
		t.Errorf("new text not searchable: %+v", hits)
	}
	stored, err := f.store.Get(ctx, retrieval.ArticleID("ceo-steps-down.txt"))
	if err != nil || !strings.Contains(stored.Text, "rose 7 percent") {
		t.Errorf("store holds old version: %v", err)
	}
}

func TestDuplicatesAreGroupedWithOriginal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	orig := article(t, "ceo-steps-down.txt")
	// A republished copy: same text under another address with site chrome.
	copy1 := orig
	copy1.Source, copy1.Key = "mirror.txt", "https://mirror.example/harbor"
	copy1.Text = "Advertisement\n\n" + orig.Text + "\n\nSource link\n"
	// A machine-reworded copy: common words swapped, names kept.
	spun := orig
	spun.Source, spun.Key = "spun.txt", "https://spun.example/harbor"
	spun.Text = reword(orig.Text)
	other := article(t, "harbor-storm.txt")
	s := f.ing.Ingest(ctx, []retrieval.Document{orig, copy1, spun, other})
	want := []retrieval.Outcome{retrieval.New, retrieval.Duplicate, retrieval.Duplicate, retrieval.New}
	got := outcomes(s)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("outcomes %v, want %v", got, want)
		}
	}
	o := f.index.Get(retrieval.ArticleID(orig.Key))
	for _, k := range []string{copy1.Key, spun.Key} {
		a := f.index.Get(retrieval.ArticleID(k))
		if a.DuplicateOf != o.ID || a.StoryID != o.StoryID {
			t.Errorf("%s: duplicate_of %q story %q, want %q %q", k, a.DuplicateOf, a.StoryID, o.ID, o.StoryID)
		}
	}
	if st := f.index.Get(retrieval.ArticleID(other.Key)); st.StoryID == o.StoryID || st.DuplicateOf != "" {
		t.Errorf("unrelated article grouped with the CEO story")
	}
	// Copies are still searchable.
	hits := f.index.Search(retrieval.Query{Text: "Priya Raman succeed", Limit: 10})
	seen := map[string]bool{}
	for _, h := range hits {
		seen[h.Article.ID] = true
	}
	if len(seen) < 2 {
		t.Errorf("copies not searchable: %d articles found", len(seen))
	}
}

// reword swaps common words for synonyms the way article spinners do.
func reword(s string) string {
	r := strings.NewReplacer("said", "mentioned", "company", "agency", "would", "will", "end", "finish",
		"month", "30 days", "currently", "presently", "joined", "became a member of", "rival", "competing",
		"spend", "invest", "more", "additional", "whether", "if", "early", "preliminary", "trading", "buying and selling",
		"step down", "resign", "leaving", "departing")
	return r.Replace(s)
}

func TestBadInputIsReportedAndOthersIngested(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	docs := []retrieval.Document{
		{Source: "empty.txt", Key: "empty.txt", Text: "Leave a Reply\n\nYour email address will not be published."},
		article(t, "harbor-storm.txt"),
	}
	s := f.ing.Ingest(ctx, docs)
	if got := outcomes(s); got[0] != retrieval.Failed || got[1] != retrieval.New {
		t.Fatalf("outcomes %v, want [failed new]", got)
	}
	err := s.Results[0].Err
	if !errors.Is(err, retrieval.ErrNoText) || !strings.Contains(err.Error(), "empty.txt") {
		t.Errorf("error %v does not name the file and reason", err)
	}
	if !strings.Contains(s.String(), "1 new") || !strings.Contains(s.String(), "1 failed") {
		t.Errorf("summary %q", s)
	}
}

func TestPassagesQuoteExactText(t *testing.T) {
	f := newFixture(t)
	f.ing.Ingest(context.Background(), []retrieval.Document{article(t, "council-budget.txt")})
	a := f.index.Get(retrieval.ArticleID("council-budget.txt"))
	if len(a.Passages) == 0 {
		t.Fatal("no passages")
	}
	ids := map[string]bool{}
	for _, p := range a.AllPassages() {
		if a.Text[p.Start:p.End] != p.Text || strings.TrimSpace(p.Text) != p.Text || p.Text == "" {
			t.Errorf("passage %s is not exact trimmed text", p.ID)
		}
		if ids[p.ID] {
			t.Errorf("duplicate passage id %s", p.ID)
		}
		ids[p.ID] = true
	}
	if strings.Contains(a.Text, "Leave a Reply") {
		t.Errorf("comment form kept in article text")
	}
	if strings.Count(a.Text, "passes $48 million budget") != 0 {
		t.Errorf("title repeated as first paragraph kept")
	}
}

func TestBoilerplateAcrossCorpusIsDropped(t *testing.T) {
	f := newFixture(t)
	var docs []retrieval.Document
	for _, n := range []string{"council-budget.txt", "ceo-steps-down.txt", "harbor-storm.txt"} {
		d := article(t, n)
		d.Text += "\n\nFollow our newsroom on every platform for more local stories\n"
		docs = append(docs, d)
	}
	f.ing.Ingest(context.Background(), docs)
	for _, a := range f.index.Articles() {
		if strings.Contains(a.Text, "Follow our newsroom") {
			t.Errorf("%s kept a line shared by every article", a.Source)
		}
	}
}

// BM25 scores match the textbook formula on a hand-made set.
func TestBM25MatchesFormula(t *testing.T) {
	ix := retrieval.NewIndex()
	texts := []string{"storm storm harbor", "harbor closed today for repairs", "council budget vote"}
	for i, tx := range texts {
		a := &retrieval.Article{ID: string(rune('a' + i)), Text: tx, Collection: retrieval.DefaultCollection, Passages: retrieval.Chunk(tx)}
		ix.Put(a)
	}
	hits := ix.Search(retrieval.Query{Terms: []retrieval.WeightedTerm{{Term: retrieval.Term("storm"), Weight: 1}}})
	if len(hits) != 1 {
		t.Fatalf("%d hits", len(hits))
	}
	n, df := 3.0, 1.0
	idf := math.Log(1 + (n-df+0.5)/(df+0.5))
	avg := (3.0 + 4.0 + 3.0) / 3 // non-stopword lengths: "for" is a stopword
	tf, dl := 2.0, 3.0
	want := idf * tf * 2.2 / (tf + 1.2*(1-0.75+0.75*dl/avg))
	// The lead passage gets a 5% boost and the title none.
	want *= 1.05
	if math.Abs(hits[0].Score-want) > 1e-9 {
		t.Errorf("score %.9f, want %.9f", hits[0].Score, want)
	}
}

func TestSearchHonoursCollections(t *testing.T) {
	ix := retrieval.NewIndex()
	for _, c := range []struct{ id, coll string }{{"pub", "published"}, {"emb", "embargoed"}} {
		tx := "The merger talks collapsed on Friday."
		ix.Put(&retrieval.Article{ID: c.id, Text: tx, Collection: c.coll, Passages: retrieval.Chunk(tx)})
	}
	got := func(colls ...string) []string {
		var ids []string
		for _, h := range ix.Search(retrieval.Query{Text: "merger talks", Collections: colls}) {
			ids = append(ids, h.Article.ID)
		}
		return ids
	}
	if ids := got(); len(ids) != 1 || ids[0] != "pub" {
		t.Errorf("default collections found %v", ids)
	}
	if ids := got("embargoed"); len(ids) != 1 || ids[0] != "emb" {
		t.Errorf("embargoed found %v", ids)
	}
	if ids := got("published", "embargoed"); len(ids) != 2 {
		t.Errorf("both found %v", ids)
	}
	ix.Remove("emb")
	if ids := got("embargoed"); len(ids) != 0 {
		t.Errorf("removed article still found: %v", ids)
	}
}

func TestThesaurusExpandsQueries(t *testing.T) {
	ix := retrieval.NewIndex()
	tx := "The chief information security officer left the campaign."
	ix.Put(&retrieval.Article{ID: "x", Text: tx, Collection: "published", Passages: retrieval.Chunk(tx)})
	th := retrieval.NewThesaurus()
	if hits := ix.Search(retrieval.Query{Text: "CISO"}); len(hits) != 0 {
		t.Fatalf("plain search found the long form")
	}
	if hits := ix.Search(retrieval.Query{Terms: retrieval.QueryTerms("CISO", th)}); len(hits) != 1 {
		t.Errorf("expanded search found %d", len(hits))
	}
	if err := th.Load(strings.NewReader("only-one-member\n"), "custom.txt"); err == nil || !strings.Contains(err.Error(), "custom.txt:1") {
		t.Errorf("bad thesaurus line: %v", err)
	}
	// A member marked "(verb)" is found, and said to be a verb's.
	if err := th.Load(strings.NewReader("axe (verb) | eliminate\n"), "custom.txt"); err != nil {
		t.Fatal(err)
	}
	for word, verb := range map[string]bool{"axe": true, "eliminate": false} {
		m := th.Match([]string{retrieval.Term(word)})
		if len(m) != 1 || len(m[0].Alts) != 2 || m[0].Verb != verb {
			t.Errorf("%s: matches %+v, want one of two members with Verb %v", word, m, verb)
		}
	}
}

func TestSearchWithNoCollectionsFindsNothing(t *testing.T) {
	ix := retrieval.NewIndex()
	tx := "The merger talks collapsed on Friday."
	ix.Put(&retrieval.Article{ID: "pub", Text: tx, Collection: retrieval.DefaultCollection, Passages: retrieval.Chunk(tx)})
	if hits := ix.Search(retrieval.Query{Text: "merger", Collections: []string{}}); len(hits) != 0 {
		t.Errorf("a channel that may see nothing found %d passages", len(hits))
	}
	if hits := ix.Search(retrieval.Query{Text: "merger"}); len(hits) != 1 {
		t.Errorf("default collections found %d passages", len(hits))
	}
}
