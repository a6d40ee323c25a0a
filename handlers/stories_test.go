package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// Invented explainers on one topic, about different events: close in
// wording, yet not one story.
const (
	explainerA = `Harbour towns set out their tidal power pledge
The Kestrel Bay council voted on Tuesday to build a tidal power barrage across the estuary, the first such scheme on the coast. Councillors said the barrage would supply the town's homes by 2035 and cut its carbon emissions by half. Fishing crews warned the barrage would block the salmon run.`
	explainerB = `How far is the coast from its tidal power pledge?
Three years after the coast's towns signed a tidal power pledge, only one barrage has been built, at Gullhaven, and it supplies a fifth of the homes it promised. Councillors across the coast blame the cost of steel and the salmon run surveys for the delays to their carbon emissions targets.`
)

// filler is an unrelated invented report, different for each n.
func filler(n int) string {
	w := func(k int) string { return fmt.Sprintf("zorv%dq%d", n, k) }
	return fmt.Sprintf("Report %s\nThe %s of %s met the %s on Monday about the %s and the %s. %s said the %s would follow %s.",
		w(0), w(1), w(2), w(3), w(4), w(5), strings.ToUpper(w(6)[:1])+w(6)[1:], w(7), w(8))
}

func undatedIndex(t *testing.T, texts []string, at func(i int) time.Time) (*retrieval.Index, []*retrieval.Article) {
	t.Helper()
	ix := retrieval.NewIndex()
	var arts []*retrieval.Article
	for i, text := range texts {
		ing := &retrieval.Ingester{Index: ix, Now: func() time.Time { return at(i) }}
		a, err := ing.Build(retrieval.Document{Source: fmt.Sprint(i), Key: fmt.Sprint("/import/", i), Text: text}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ix.Put(a)
		arts = append(arts, a)
	}
	return ix, arts
}

func storyOf(groups [][]*storyDoc, id string) int {
	for gi, g := range groups {
		for _, d := range g {
			if d.a.ID == id {
				return gi
			}
		}
	}
	return -1
}

// Undated reports imported in bulk share an ingest time that says nothing
// of when their news happened: two explainers of one topic are not one
// story, though the same two ingested on their own are; a copy still joins.
func TestGroupBulkUndated(t *testing.T) {
	texts := []string{explainerA, explainerB, explainerA + "\nUpdated with the council's vote count."}
	for i := 0; len(texts) < bulkImport+5; i++ {
		texts = append(texts, filler(i))
	}
	base := time.Date(2031, 3, 14, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		n         int
		at        func(i int) time.Time
		twoEvents bool // A and B apart
	}{
		{"bulk import", len(texts), func(i int) time.Time { return base.Add(time.Duration(i) * time.Millisecond) }, true},
		{"separate ingests", 3, func(i int) time.Time { return base.Add(time.Duration(i) * time.Hour) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix, arts := undatedIndex(t, texts[:tc.n], tc.at)
			docs := storyDocs(arts, memoIDF(ix))
			if c := cosine(docs[0].vec, docs[1].vec); c < groupCosine || c >= timelessCosine {
				t.Fatalf("explainers' cosine %.3f: the test needs it in [%.2f, %.2f)", c, groupCosine, timelessCosine)
			}
			groups := groupStories(docs)
			a, b, copyA := storyOf(groups, arts[0].ID), storyOf(groups, arts[1].ID), storyOf(groups, arts[2].ID)
			if (a != b) != tc.twoEvents {
				t.Errorf("explainers in stories %d and %d; apart: %v, want %v", a, b, a != b, tc.twoEvents)
			}
			if copyA != a {
				t.Errorf("an updated copy of an explainer is in story %d, not its %d", copyA, a)
			}
			if len(groups) < tc.n-2 {
				t.Errorf("%d articles in %d stories", tc.n, len(groups))
			}
		})
	}
}

// A title several articles share, dates and numbers aside, names a column;
// it is no evidence that its issues are one story.
func TestGroupSeriesTitle(t *testing.T) {
	var texts []string
	for i := range 3 {
		texts = append(texts, fmt.Sprintf("Morning Briefing Things To Know Today: %d March 2031\n%s", 3+i, filler(i)))
	}
	day := time.Date(2031, 3, 3, 6, 0, 0, 0, time.UTC)
	ix, arts := undatedIndex(t, texts, func(i int) time.Time { return day.Add(time.Duration(i) * 20 * time.Hour) })
	if k := seriesKey(arts[0].Title); k != seriesKey(arts[2].Title) || strings.ContainsAny(k, "0123456789") || strings.Contains(k, "march") {
		t.Fatalf("series keys %q and %q", k, seriesKey(arts[2].Title))
	}
	if groups := groupStories(storyDocs(arts, memoIDF(ix))); len(groups) != 3 {
		t.Errorf("three issues of a column in %d stories", len(groups))
	}
	// The same headline, one article: a headline, weighed as one.
	one := storyDocs(arts[:1], memoIDF(ix))[0]
	if one.vec[retrieval.Tokens("Briefing")[0].Term] == 0 {
		t.Error("a lone article's headline is left out")
	}
}

func TestIsRoundup(t *testing.T) {
	for title, want := range map[string]bool{
		"Jan. 6 committee hearing, Abe funeral, Prime Day":              true,
		"5 things to know for July 8: Abe, Parade shooting, Griner ...": true,
		"Marlow Street bridge to close for six weeks":                   false,
		"Apples, tomatoes on list of fruits with most pesticides":       false,
		"New York, Florida primary results: Crist to face DeSantis":     false,
		"Bridge, ferry and mayor: what the council decided on Tuesday":  false,
	} {
		if got := isRoundup(title); got != want {
			t.Errorf("isRoundup(%q) = %v, want %v", title, got, want)
		}
	}
}

// Pages whose only text is the same site chrome (a registration notice a
// scraper caught) are copies of each other to ingest, yet their headlines
// name different news: each is a story of its own. A true copy (the same
// headline and lead) still joins its original.
func TestGroupChromeCopies(t *testing.T) {
	notice := "We will use the details you have shared to manage your registration and to send you the newsletters you chose, as our privacy notice explains in full."
	var texts []string
	for i := range chromeLongDocs + 2 {
		w := func(k int) string { return "zorv" + string(rune('a'+i)) + string(rune('a'+k)) } // no digits: a headline's numbers name no news
		texts = append(texts, fmt.Sprintf("Report %s on the %s of %s\n%s", w(0), w(1), w(2), notice))
	}
	texts = append(texts, texts[0]) // a true copy of the first page
	day := time.Date(2031, 3, 3, 6, 0, 0, 0, time.UTC)
	ix, arts := undatedIndex(t, texts, func(i int) time.Time { return day.Add(time.Duration(i) * time.Hour) })
	for _, a := range arts[1:] {
		a.DuplicateOf = arts[0].ID // as ingest marks identical texts
	}
	groups := groupStories(storyDocs(arts, memoIDF(ix)))
	seen := map[int]bool{}
	for _, a := range arts[:len(arts)-1] {
		gi := storyOf(groups, a.ID)
		if seen[gi] {
			t.Errorf("%q shares story %d with another page of the same notice", a.Title, gi)
		}
		seen[gi] = true
	}
	if c, o := storyOf(groups, arts[len(arts)-1].ID), storyOf(groups, arts[0].ID); c != o {
		t.Errorf("a true copy is in story %d, its original in %d", c, o)
	}
}

// A report marked a copy of one published weeks before (an obituary that
// repeats most of an earlier story) is news of its own; a copy published
// the next day is the same story.
func TestGroupLateCopy(t *testing.T) {
	day := time.Date(2031, 3, 3, 6, 0, 0, 0, time.UTC)
	texts := []string{explainerA, explainerA + "\nUpdated with the council's vote count.", explainerA + "\nA later report."}
	ix, arts := undatedIndex(t, texts, func(i int) time.Time { return day })
	arts[0].Published = day
	arts[1].Published, arts[1].DuplicateOf = day.AddDate(0, 0, 1), arts[0].ID
	arts[2].Published, arts[2].DuplicateOf = day.AddDate(0, 2, 0), arts[0].ID
	groups := groupStories(storyDocs(arts, memoIDF(ix)))
	if storyOf(groups, arts[1].ID) != storyOf(groups, arts[0].ID) {
		t.Errorf("a copy published the next day is not in its original's story")
	}
	if storyOf(groups, arts[2].ID) == storyOf(groups, arts[0].ID) {
		t.Errorf("a copy published two months later is in its original's story")
	}
}
