package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
)

// TestDigestSeedsLead ingests the three sample articles (two original
// reports of one event and a machine-reworded copy of a third) in every
// order, each time into a fresh store, and checks the digest leads with an
// original and never quotes the reworded copy.
func TestDigestSeedsLead(t *testing.T) {
	files, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(files) != 3 {
		t.Fatalf("seeds: %v %v", files, err)
	}
	var docs []retrieval.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(f)
		docs = append(docs, retrieval.Document{Source: f, Key: abs, Text: string(b)})
	}
	reworded := retrieval.ArticleID(docs[1].Key) // 001: "chief info safety officer"
	now := time.Date(2031, 5, 1, 9, 0, 0, 0, time.UTC)
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		st, err := embedded.Open(t.TempDir(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		ix := retrieval.NewIndex()
		// Separate ingests a few seconds apart, as a user would run them:
		// grouping takes reports in time order.
		clock := now.Add(-time.Hour)
		ing := &retrieval.Ingester{Store: st, Index: ix, Now: func() time.Time { clock = clock.Add(3 * time.Second); return clock }}
		var batch []retrieval.Document
		for _, i := range order {
			batch = append(batch, docs[i])
		}
		// One at a time, as separate ingests would.
		for _, d := range batch {
			if sum := ing.Ingest(context.Background(), []retrieval.Document{d}); sum.Count(retrieval.Failed) > 0 {
				t.Fatal(sum.Results)
			}
		}
		st.Close()
		dg := compose(t, &Digester{Index: ix, Now: func() time.Time { return now }}, DigestRequest{Since: now.Add(-2 * time.Hour), Now: now})
		if len(dg.Stories) != 1 {
			t.Fatalf("order %v: %d stories, want the one event:\n%s", order, len(dg.Stories), dg.Text())
		}
		s := dg.Stories[0]
		checkStory(t, ix, s)
		if len(s.Citations) == 0 || s.Citations[0].ArticleID == reworded || s.StoryID == reworded {
			t.Errorf("order %v: led by the reworded copy:\n%s", order, dg.Text())
		}
		for _, c := range s.Citations {
			if c.ArticleID == reworded {
				t.Errorf("order %v: quotes the reworded copy: %q", order, c.Quote)
			}
		}
		if strings.Contains(dg.Text(), " source,") || strings.Contains(dg.Text(), "] source") {
			t.Errorf("order %v: placeholder outlet:\n%s", order, dg.Text())
		}
	}
}

// TestDigestLeadNotOutworded gives the machine-reworded sample article every
// other advantage a lead can have (a named outlet, the earliest ingest, the
// others marked as its copies) and checks the digest still leads with, and
// quotes only, the reports whose wording the rest of the index attests.
func TestDigestLeadNotOutworded(t *testing.T) {
	files, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(files) != 3 {
		t.Fatalf("seeds: %v %v", files, err)
	}
	text := make([]string, 3)
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text[i] = string(b)
	}
	pub := day1.Add(-6 * time.Hour)
	for _, tc := range []struct {
		name   string
		dupOf0 bool // the first original marked a copy of the reworded one
	}{{"originals", false}, {"reworded one ingested first, original marked its copy", true}} {
		t.Run(tc.name, func(t *testing.T) {
			arts := []testArticle{
				{key: "https://wire.example/ciso", outlet: "Tech Wire", text: text[1], story: "s", published: pub, ingested: pub},
				{key: "/seeds/000", text: text[0], story: "s", published: pub.Add(time.Hour), ingested: pub.Add(time.Hour)},
				{key: "/seeds/002", text: text[2], story: "s", published: pub.Add(2 * time.Hour), ingested: pub.Add(2 * time.Hour)},
			}
			if tc.dupOf0 {
				arts[1].dupOf = arts[0].key
			}
			ix := newTestIndex(t, arts)
			reworded := retrieval.ArticleID(arts[0].key)
			dg := compose(t, &Digester{Index: ix, Now: func() time.Time { return day1 }}, DigestRequest{Since: day0, Now: day1})
			if len(dg.Stories) != 1 {
				t.Fatalf("%d stories, want one:\n%s", len(dg.Stories), dg.Text())
			}
			s := dg.Stories[0]
			if s.StoryID == reworded {
				t.Errorf("led by the reworded copy:\n%s", dg.Text())
			}
			for _, c := range s.Citations {
				if c.ArticleID == reworded {
					t.Errorf("quotes the reworded copy: %q\n%s", c.Quote, dg.Text())
				}
			}
		})
	}
}

// spin rewords text as article spinners do, swapping common words for
// synonyms word by word. It makes test data only: what finds the copy is
// the wording statistics, which know no synonyms.
func spin(text string) string {
	swap := map[string]string{
		"information": "info", "security": "safety", "campaign": "marketing campaign", "former": "previous",
		"told": "instructed", "said": "mentioned", "fundamental": "elementary", "differences": "variations",
		"management": "administration", "regarding": "relating to", "architecture": "structure", "protect": "guard",
		"against": "in opposition to", "attacks": "assaults", "firm": "agency", "new": "brand new", "left": "departed",
		"earlier": "previously", "month": "30 days", "official": "authorized", "resigned": "stepped down",
		"confirmed": "verified", "continues": "carries on", "committed": "dedicated", "threats": "dangers",
		"help": "assist", "hackers": "hijackers", "online": "on-line", "full-time": "full-time period",
		"staff": "employees", "member": "affiliate", "oversee": "supervise", "reached": "attained",
	}
	var b strings.Builder
	word := func(w string) {
		if r, ok := swap[strings.ToLower(w)]; ok {
			w = r
		}
		b.WriteString(w)
	}
	start := -1
	for i, r := range text {
		letter := r == '-' || unicode.IsLetter(r)
		if letter && start < 0 {
			start = i
		} else if !letter && start >= 0 {
			word(text[start:i])
			start = -1
		}
		if !letter {
			b.WriteRune(r)
		}
	}
	if start >= 0 {
		word(text[start:])
	}
	return b.String()
}

// TestAskCitesClearerCopy indexes a sample report, a reworded copy of it
// ingested first (so ingest marks the report as the copy) and another
// report of the event, and checks answers cite the report, not the
// reworded copy, for what both say. The copy's headline holds the
// questions' words, so retrieval ranks it first.
func TestAskCitesClearerCopy(t *testing.T) {
	files, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(files) != 3 {
		t.Fatalf("seeds: %v %v", files, err)
	}
	read := func(f string) string {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	original, other := read(files[0]), read(files[2])
	pub := day1.Add(-6 * time.Hour)
	arts := []testArticle{
		{key: "https://spun.example/ciso", outlet: "Spun Daily", title: "Mick Baccio quits Buttigieg campaign weeks before Iowa caucuses, tells CyberScoop why", text: spin(original), story: "s", published: pub, ingested: pub},
		{key: "https://hill.example/ciso", outlet: "The Hill", text: original, story: "s", dupOf: "https://spun.example/ciso", published: pub, ingested: pub.Add(time.Hour)},
		{key: "https://wsj.example/ciso", outlet: "WSJ", text: other, story: "s", published: pub, ingested: pub.Add(2 * time.Hour)},
	}
	ix := newTestIndex(t, arts)
	spun, orig := retrieval.ArticleID(arts[0].key), retrieval.ArticleID(arts[1].key)
	svc := &Service{Index: ix}
	for _, q := range []string{"What did Baccio tell CyberScoop?", "When are the Iowa caucuses?", "Did Baccio elaborate on the disagreements?", "Who hired Baccio last summer?"} {
		ans, err := svc.Ask(context.Background(), AskRequest{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		cited := map[string]bool{}
		for _, c := range ans.Citations {
			cited[c.ArticleID] = true
		}
		if cited[spun] || !cited[orig] {
			t.Errorf("%q cites the reworded copy %v, the original %v:\n%s", q, cited[spun], cited[orig], ans.Answer)
		}
	}
}
