package retrieval_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// The kinds of copies duplicate detection has always found are still found
// among many unrelated articles, now through the signatures' band table:
// republished with site chrome, trimmed, an excerpt of a much longer
// article, and machine-reworded with the names kept.
func TestSignaturesFindCopiesAmongManyArticles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var docs []retrieval.Document
	for i := range 300 {
		key := fmt.Sprintf("https://filler.example/%d", i)
		docs = append(docs, retrieval.Document{Source: key, Key: key, Title: fmt.Sprintf("Filler %d", i), Text: genText(uint64(1000+i), 5)})
	}
	long := retrieval.Document{Source: "long", Key: "https://long.example/roundup", Title: "The year in review", Text: genText(5, 30)}
	ceo, storm := article(t, "ceo-steps-down.txt"), article(t, "harbor-storm.txt")
	docs = append(docs, long, ceo, storm)
	if s := f.ing.Ingest(ctx, docs); s.Count(retrieval.New) != len(docs) {
		t.Fatalf("originals: %s", s)
	}

	paras := strings.Split(long.Text, "\n\n")
	copies := []struct {
		name string
		text string
		of   retrieval.Document
	}{
		{"republished", "Advertisement\n\n" + ceo.Text + "\n\nSource link\n", ceo},
		{"trimmed", strings.Join(strings.Split(storm.Text, "\n\n")[:3], "\n\n"), storm},
		{"excerpt", strings.Join(paras[17:19], "\n\n"), long},
		{"reworded", reword(ceo.Text), ceo},
	}
	for _, c := range copies {
		key := "https://copies.example/" + c.name
		s := f.ing.Ingest(ctx, []retrieval.Document{{Source: c.name, Key: key, Title: c.of.Title, Text: c.text}})
		a := f.index.Get(retrieval.ArticleID(key))
		if s.Results[0].Outcome != retrieval.Duplicate || a.DuplicateOf != retrieval.ArticleID(c.of.Key) {
			t.Errorf("%s copy: %s, duplicate of %q; want a duplicate of %s", c.name, s.Results[0].Outcome, a.DuplicateOf, c.of.Source)
		}
	}
	// Unrelated articles stay apart.
	s := f.ing.Ingest(ctx, []retrieval.Document{{Source: "fresh", Key: "https://fresh.example/1", Title: "Fresh", Text: genText(77, 5)}})
	if s.Results[0].Outcome != retrieval.New {
		t.Errorf("an unrelated article came out %s (of %s)", s.Results[0].Outcome, s.Results[0].DuplicateOf)
	}
}

// A later run loads the index from the store: the band table is built from
// the stored signatures, and a copy ingested then finds its original.
func TestSignaturesAreStoredAndServeALaterRun(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	orig := article(t, "measles-outbreak.txt")
	var docs []retrieval.Document
	for i := range 50 {
		key := fmt.Sprintf("https://filler.example/%d", i)
		docs = append(docs, retrieval.Document{Source: key, Key: key, Text: genText(uint64(i), 4)})
	}
	f.ing.Ingest(ctx, append(docs, orig))
	stored, err := f.store.Get(ctx, retrieval.ArticleID(orig.Key))
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Signature) == 0 || stored.SourceHash == "" {
		t.Fatalf("stored article has no signature (%d bytes) or source hash %q", len(stored.Signature), stored.SourceHash)
	}

	all, err := f.store.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	later := retrieval.NewIndex()
	later.PutAll(slices.Values(all), len(all))
	ing := &retrieval.Ingester{Store: f.store, Index: later}
	cp := orig
	cp.Source, cp.Key = "syndicated", "https://syndicated.example/measles"
	cp.Text = orig.Text + "\n\nThis story was provided by a partner."
	s := ing.Ingest(ctx, []retrieval.Document{cp})
	if r := s.Results[0]; r.Outcome != retrieval.Duplicate || r.DuplicateOf != stored.ID {
		t.Fatalf("copy in a later run: %s of %q, want a duplicate of %s", r.Outcome, r.DuplicateOf, stored.ID)
	}
}
