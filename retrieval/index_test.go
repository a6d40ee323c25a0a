package retrieval_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// randomArticles returns n articles of random sentences over a small
// vocabulary, so terms repeat across many passages.
func randomArticles(n int, seed uint64) []*retrieval.Article {
	r := rand.New(rand.NewPCG(seed, 1))
	vocab := make([]string, 400)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("%c%c%cword%d", 'a'+r.IntN(26), 'a'+r.IntN(26), 'a'+r.IntN(26), i)
	}
	arts := make([]*retrieval.Article, n)
	for i := range arts {
		paras := make([]string, 1+r.IntN(5))
		for p := range paras {
			words := make([]string, 8+r.IntN(30))
			for w := range words {
				words[w] = vocab[int(math.Pow(r.Float64(), 2)*float64(len(vocab)))]
			}
			paras[p] = strings.Join(words, " ") + "."
		}
		arts[i] = storetest.NewArticle(fmt.Sprintf("art-%04d-%d", i, seed), paras...)
	}
	return arts
}

// results returns every hit of each query as "passage score" lines, sorted,
// so indexes that number passages differently compare equal.
func results(ix *retrieval.Index, queries []string) []string {
	var out []string
	for _, q := range queries {
		for _, h := range ix.Search(retrieval.Query{Text: q, Limit: 100000}) {
			out = append(out, fmt.Sprintf("%s %s %.9f", q, h.Passage.ID, h.Score))
		}
	}
	slices.Sort(out)
	return out
}

func queriesFor(arts []*retrieval.Article) []string {
	var qs []string
	for i, a := range arts {
		if i%7 == 0 {
			w := strings.Fields(a.Text)
			qs = append(qs, strings.Join(w[:min(3, len(w))], " "))
		}
	}
	return qs
}

// TestPutAllMatchesPut checks a bulk load on every core finds exactly what
// putting the articles one by one finds, with the same scores.
func TestPutAllMatchesPut(t *testing.T) {
	arts := randomArticles(300, 1)
	// Some articles' metadata differ from the fields they could share
	// memory with; some are copies.
	for i, a := range arts {
		if i%2 == 0 {
			a.Source, a.URL, a.StoryID = "src-"+a.ID, "https://other.example/"+a.ID, "story-"+a.ID
		}
		if i%5 == 1 {
			a.DuplicateOf = arts[0].ID
		}
	}
	// PutAll packs the articles' strings; their values must not change.
	stored := make(map[string]retrieval.Article, len(arts))
	for _, a := range arts {
		c := *a
		c.Passages = slices.Clone(a.Passages)
		stored[a.ID] = c
	}
	one := retrieval.NewIndex()
	for _, a := range arts {
		b := *a
		one.Put(&b)
	}
	bulk := retrieval.NewIndex()
	if n := bulk.PutAll(slices.Values(arts), len(arts)); n != len(arts) {
		t.Fatalf("PutAll put %d of %d", n, len(arts))
	}
	for id, w := range stored {
		if got := bulk.Get(id); got == nil || !reflect.DeepEqual(*got, w) {
			t.Fatalf("after PutAll article %s reads\n%+v\nwant\n%+v", id, got, w)
		}
	}
	if bulk.Len() != one.Len() || bulk.Passages() != one.Passages() {
		t.Fatalf("bulk holds %d articles/%d passages, one by one %d/%d", bulk.Len(), bulk.Passages(), one.Len(), one.Passages())
	}
	qs := queriesFor(arts)
	want, got := results(one, qs), results(bulk, qs)
	if len(want) == 0 {
		t.Fatal("the queries found nothing; the test proves little")
	}
	if !slices.Equal(got, want) {
		t.Errorf("PutAll results differ from Put's: %d hits vs %d", len(got), len(want))
	}
}

// TestTiesRankAlikeWhateverTheLoadOrder checks equal-scoring passages come
// back in the same order however the index was loaded: replicas load in
// parallel, and every replica must give the same answer.
func TestTiesRankAlikeWhateverTheLoadOrder(t *testing.T) {
	arts := randomArticles(60, 3)
	// Pairs of articles with one identical paragraph score alike.
	for i := 0; i+1 < len(arts); i += 2 {
		shared := fmt.Sprintf("Identical paragraph number %d about the harbor tunnel.", i)
		arts[i] = storetest.NewArticle(arts[i].ID, shared, "First article's own paragraph.")
		arts[i+1] = storetest.NewArticle(arts[i+1].ID, "Second article's own paragraph.", shared)
	}
	forward, backward := retrieval.NewIndex(), retrieval.NewIndex()
	for i := range arts {
		forward.Put(arts[i])
		backward.Put(arts[len(arts)-1-i])
	}
	ids := func(ix *retrieval.Index, q string) []string {
		var out []string
		for _, h := range ix.Search(retrieval.Query{Text: q, Limit: 20}) {
			out = append(out, h.Passage.ID)
		}
		return out
	}
	for _, q := range []string{"harbor tunnel", "identical paragraph", "own paragraph"} {
		f, b := ids(forward, q), ids(backward, q)
		if len(f) < 2 {
			t.Fatalf("%q found %d passages; the test proves little", q, len(f))
		}
		if !slices.Equal(f, b) {
			t.Errorf("%q ranks differently by load order:\n forward %v\nbackward %v", q, f, b)
		}
	}
}

// TestRemoveAndReplaceMatchAFreshIndex puts, replaces and removes articles
// at random, through several compactions, and checks the index then finds
// exactly what an index built afresh from the surviving articles finds, with
// the same scores: postings, term frequencies, passage lengths, term
// sequences (proximity credit) and boilerplate counts all follow removals.
func TestRemoveAndReplaceMatchAFreshIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	pool := randomArticles(1500, 5)
	// A paragraph shared by many articles is boilerplate only while at
	// least three originals hold it.
	shared := "Subscribe to our newsletter for the harbor tunnel updates."
	// Some of the articles holding it are copies, which do not count.
	for i := 0; i < len(pool); i += 97 {
		a := pool[i]
		pool[i] = storetest.NewArticle(a.ID, a.Text, shared)
		if i%3 == 0 {
			pool[i].DuplicateOf = pool[1].ID
		}
	}
	ix := retrieval.NewIndex()
	live := map[string]*retrieval.Article{}
	compactions := 0
	for step := range 6000 {
		a := pool[r.IntN(len(pool))]
		switch op := r.IntN(10); {
		case op < 5:
			ix.Put(a)
			live[a.ID] = a
		case op < 7: // the same ID with other text
			b := pool[r.IntN(len(pool))]
			c := storetest.NewArticle(a.ID, b.Text)
			ix.Put(c)
			live[a.ID] = c
		default:
			ix.Remove(a.ID)
			delete(live, a.ID)
		}
		if step%1500 == 1499 {
			// Remove most of what is there, forcing compaction.
			for id := range live {
				if r.IntN(4) > 0 {
					ix.Remove(id)
					delete(live, id)
				}
			}
			compactions++
		}
	}
	fresh := retrieval.NewIndex()
	var survivors []*retrieval.Article
	for _, a := range live {
		fresh.Put(a)
		survivors = append(survivors, a)
	}
	if ix.Len() != fresh.Len() || ix.Passages() != fresh.Passages() {
		t.Fatalf("index holds %d articles/%d passages, a fresh one %d/%d", ix.Len(), ix.Passages(), fresh.Len(), fresh.Passages())
	}
	qs := append(queriesFor(survivors), "harbor tunnel updates newsletter")
	want, got := results(fresh, qs), results(ix, qs)
	if len(want) == 0 || compactions == 0 {
		t.Fatal("the queries found nothing or nothing was removed in bulk; the test proves little")
	}
	if !slices.Equal(got, want) {
		n := 0
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] && n < 5 {
				t.Errorf("hit %d: got %s, want %s", i, got[i], want[i])
				n++
			}
		}
		t.Errorf("after removals the index finds %d hits, a fresh index %d", len(got), len(want))
	}
}

// TestRepeatedPassagesDropOutWhileThreeOriginalsHoldThem checks the
// boilerplate rule follows the live count: a passage held by three or more
// original articles is not returned, copies do not count towards it, and
// it comes back once removals leave fewer than three originals.
func TestRepeatedPassagesDropOutWhileThreeOriginalsHoldThem(t *testing.T) {
	shared := "Ferry timetable notice: the Gullwing crossing runs hourly from the east pier."
	ix := retrieval.NewIndex()
	put := func(id, own string, dupOf string) {
		a := storetest.NewArticle(id, own, shared)
		a.DuplicateOf = dupOf
		ix.Put(a)
	}
	found := func() int {
		n := 0
		for _, h := range ix.WithText(ix.Search(retrieval.Query{Text: "Gullwing crossing east pier timetable", Limit: 50})) {
			if h.Passage.Text == shared {
				n++
			}
		}
		return n
	}
	put("orig-1", "The council met on Monday about moorings.", "")
	put("orig-2", "Fishermen protested the new quota on Tuesday.", "")
	for i := range 3 {
		put(fmt.Sprintf("copy-%d", i), "The council met on Monday about moorings.", "orig-1")
	}
	if n := found(); n == 0 {
		t.Fatal("two originals and three copies hold the passage, yet it is not found")
	}
	put("orig-3", "A storm closed the harbour for two days.", "")
	if n := found(); n != 0 {
		t.Fatalf("three originals hold the passage, yet it was found %d times", n)
	}
	ix.Remove("copy-0")
	if n := found(); n != 0 {
		t.Fatalf("three originals hold the passage after a copy was removed, yet it was found %d times", n)
	}
	put("orig-4", "The lighthouse keeper retired after forty years.", "")
	ix.Remove("orig-2")
	if n := found(); n != 0 {
		t.Fatalf("three originals still hold the passage, yet it was found %d times", n)
	}
	ix.Remove("orig-3")
	if n := found(); n == 0 {
		t.Fatal("two originals are left, yet the passage is still dropped")
	}
	// Replacing an original with other text takes its passage out of the
	// count; putting it back restores it.
	put("orig-3", "A storm closed the harbour for two days.", "")
	if n := found(); n != 0 {
		t.Fatalf("three originals hold the passage again, yet it was found %d times", n)
	}
	ix.Put(storetest.NewArticle("orig-3", "A storm closed the harbour for two days."))
	if n := found(); n == 0 {
		t.Fatal("a replaced original still counts towards the passage")
	}
}

// TestHeadlineOnlyTermsFindTheLead checks that a question whose words only
// a headline holds still finds that article's lead passage, in the
// collections the asker may see, and that a passage match is unchanged.
func TestHeadlineOnlyTermsFindTheLead(t *testing.T) {
	ix := retrieval.NewIndex()
	put := func(id, title, text, coll string) {
		ix.Put(&retrieval.Article{ID: id, Title: title, Text: text, Collection: coll, Passages: retrieval.Chunk(text)})
	}
	put("bus", "Bus drivers in Corrin strike for second day",
		"Bus drivers in Corrin stayed off the job for a second day on Tuesday.\n\nThe union is seeking raises of 5 percent.", "published")
	put("wire", "Dock workers strike in Tarrow", "Dock workers stayed home on Monday.", "wire")
	hits := ix.Search(retrieval.Query{Text: "strike"})
	if len(hits) != 1 || hits[0].Article.ID != "bus" || hits[0].Passage.Index != 0 {
		t.Fatalf("headline-only term: hits %+v, want the bus article's lead passage alone", hits)
	}
	if hits := ix.Search(retrieval.Query{Text: "dock workers", Collections: []string{"wire"}}); len(hits) != 1 || hits[0].Article.ID != "wire" {
		t.Errorf("passage match: hits %+v, want the wire article", hits)
	}
}

// TestTextsComeBackWhole puts articles one by one and in bulk, in English
// and not, and checks that the index gives back every text as it was put
// (it holds them coded), with Headers leaving the texts out.
func TestTextsComeBackWhole(t *testing.T) {
	arts := randomArticles(40, 7)
	arts = append(arts,
		storetest.NewArticle("cyrillic", "Буря закрыла гавань на два дня, сообщили в порту.", "Паром возобновит рейсы в пятницу."),
		storetest.NewArticle("one-passage", strings.Repeat("The council voted to close the bridge. ", 2000)),
		storetest.NewArticle("empty"),
	)
	want := map[string]string{}
	for _, a := range arts {
		want[a.ID] = a.Text
	}
	one, bulk := retrieval.NewIndex(), retrieval.NewIndex()
	for _, a := range arts {
		c := *a
		one.Put(&c)
		if c.Text != a.Text {
			t.Fatalf("Put changed the text of %s it was given", a.ID)
		}
	}
	copies := make([]*retrieval.Article, len(arts))
	for i, a := range arts {
		c := *a
		copies[i] = &c
	}
	bulk.PutAll(slices.Values(copies), len(copies))
	for _, ix := range []*retrieval.Index{one, bulk} {
		for id, text := range want {
			got := ix.Get(id)
			if got == nil || got.Text != text {
				t.Fatalf("Get(%q) did not give back its text", id)
			}
			for i := range got.Passages {
				sp := got.Passages[i]
				if p := got.PassageAt(i); p.Text != text[sp.Start:sp.End] {
					t.Fatalf("%s passage %d = %q", id, i, p.Text)
				}
			}
			if h := ix.Header(id); h == nil || h.Text != "" || h.Hash != got.Hash || h.Title != got.Title {
				t.Fatalf("Header(%q) = %+v, want the metadata without the text", id, h)
			}
		}
		all := ix.Articles()
		if len(all) != len(want) {
			t.Fatalf("Articles() gave %d, want %d", len(all), len(want))
		}
		for _, a := range all {
			if a.Text != want[a.ID] {
				t.Fatalf("Articles() gave %s a different text", a.ID)
			}
		}
		for _, h := range ix.Headers() {
			if h.Text != "" {
				t.Fatalf("Headers() gave %s with its text", h.ID)
			}
		}
	}
}

// TestWithTextFillsHitsAndDropsReplaced checks that WithText gives hits
// their texts, and drops a hit whose article was replaced after the search
// found it: its passage may no longer be in the text.
func TestWithTextFillsHitsAndDropsReplaced(t *testing.T) {
	ix := retrieval.NewIndex()
	ix.Put(storetest.NewArticle("harbour", "The port authority said the harbour would stay shut.", "A storm closed the harbour for two days."))
	ix.Put(storetest.NewArticle("bridge", "The council voted to close the old bridge for repairs."))
	q := retrieval.Query{Text: "storm closed harbour"}
	hits := ix.WithText(ix.Search(q))
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	for _, h := range hits {
		if h.Passage.Text == "" || h.Passage.Text != h.Article.Text[h.Passage.Start:h.Passage.End] {
			t.Fatalf("hit %s: passage text %q is not its article's", h.Passage.ID, h.Passage.Text)
		}
	}
	if !strings.Contains(hits[0].Passage.Text, "storm closed the harbour") {
		t.Errorf("top hit %q", hits[0].Passage.Text)
	}
	again := ix.WithText(hits) // texts already there: kept as they are
	if len(again) != len(hits) || again[0].Article != hits[0].Article {
		t.Errorf("WithText of hits with texts changed them")
	}

	stale := ix.Search(q)
	// The same spans, another text: only the entry tells them apart.
	ix.Put(storetest.NewArticle("harbour", "The port authority said the harbour would stay open.", "A storm opened the harbour for two days."))
	for _, h := range ix.WithText(stale) {
		if h.Article.ID == "harbour" {
			t.Errorf("a hit of the replaced article survived: %q", h.Passage.Text)
		}
	}
	ix.Remove("bridge")
	if got := ix.WithText(ix.Search(retrieval.Query{Text: "council bridge"})); len(got) != 0 {
		t.Errorf("removed article still found: %+v", got)
	}
}
