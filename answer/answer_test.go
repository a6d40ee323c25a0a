package answer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
)

// newsIndex ingests the test articles (invented news, not the sample
// corpus) into a fresh index.
func newsIndex(t *testing.T) *retrieval.Index {
	t.Helper()
	st, err := embedded.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	files, err := filepath.Glob("../testdata/articles/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test articles: %v", err)
	}
	var docs []retrieval.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		title, body := retrieval.SplitTitle(string(b))
		docs = append(docs, retrieval.Document{Source: f, Key: f, Title: title, Text: body})
	}
	ix := retrieval.NewIndex()
	ing := &retrieval.Ingester{Store: st, Index: ix}
	sum := ing.Ingest(context.Background(), docs)
	if sum.Count(retrieval.Failed) > 0 {
		t.Fatalf("ingest: %s", sum)
	}
	return ix
}

func ask(t *testing.T, ix *retrieval.Index, q string) *answer.Answer {
	t.Helper()
	th := retrieval.NewThesaurus()
	qq := answer.Analyze(q, th)
	hits := ix.WithText(ix.Search(retrieval.Query{Terms: qq.Terms(), Limit: 12}))
	a := answer.Extractive{IDF: ix.IDF}.Answer(qq, hits)
	if err := answer.Check(a, ix.Get); err != nil {
		t.Fatalf("%q: answer fails its own check: %v\n%s", q, err, a.Answer)
	}
	return a
}

// Every sentence that states a fact carries a citation, and every quote is
// article text character for character.
func TestCitationsQuoteExactText(t *testing.T) {
	ix := newsIndex(t)
	for _, q := range []string{"Who will succeed Tomas Lindqvist?", "Who replaced the harbor master?", "What did Fernández say?"} {
		a := ask(t, ix, q)
		for _, c := range a.Citations {
			art := ix.Get(c.ArticleID)
			if !strings.Contains(art.Text, c.Quote) {
				t.Errorf("%q: quote not in article: %q", q, c.Quote)
			}
			if strings.Contains(c.Quote, "Leave a Reply") {
				t.Errorf("%q: quoted boilerplate", q)
			}
		}
		for _, sent := range strings.SplitAfter(a.Answer, "] ") {
			if strings.HasPrefix(sent, "The sources do not say") || strings.HasPrefix(sent, "None of") || strings.HasPrefix(sent, "No ingested") || strings.HasPrefix(sent, "The one source") {
				continue
			}
			if len(answer.Markers(sent)) == 0 {
				t.Errorf("%q: sentence without citation: %q", q, sent)
			}
		}
	}
}

func TestNotCoveredSaysSoFirst(t *testing.T) {
	ix := newsIndex(t)
	a := ask(t, ix, "Who replaced the harbor master?")
	if !strings.HasPrefix(a.Answer, "None of the") && !strings.HasPrefix(a.Answer, "The one source") {
		t.Errorf("not-covered answer does not lead with the gap: %s", a.Answer)
	}
	if !strings.Contains(a.Answer, "who replaced the harbor master") {
		t.Errorf("answer does not name what is missing: %s", a.Answer)
	}
}

func TestCollectionsAreRespected(t *testing.T) {
	ix := newsIndex(t)
	th := retrieval.NewThesaurus()
	q := answer.Analyze("Who will succeed Tomas Lindqvist?", th)
	hits := ix.Search(retrieval.Query{Terms: q.Terms(), Collections: []string{"embargoed"}})
	if len(hits) != 0 {
		t.Fatalf("search of another collection found %d published passages", len(hits))
	}
	a := answer.Extractive{IDF: ix.IDF}.Answer(q, hits)
	if a.Status != answer.NotCovered || len(a.Citations) != 0 {
		t.Errorf("answer from nothing: %+v", a)
	}
}

// indexOf ingests docs into a fresh in-memory index.
func indexOf(t *testing.T, docs ...retrieval.Document) *retrieval.Index {
	t.Helper()
	st, err := embedded.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix := retrieval.NewIndex()
	if sum := (&retrieval.Ingester{Store: st, Index: ix}).Ingest(context.Background(), docs); sum.Count(retrieval.Failed) > 0 {
		t.Fatalf("ingest: %s", sum)
	}
	return ix
}
