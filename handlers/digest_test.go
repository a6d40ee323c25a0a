package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// Invented articles; none of them is real news.

var (
	day0 = time.Date(2031, 3, 14, 8, 0, 0, 0, time.UTC) // previous digest
	day1 = day0.Add(24 * time.Hour)                     // this digest
)

type testArticle struct {
	key, title, outlet, coll, text string
	story, dupOf                   string // keys
	published, ingested            time.Time
}

const bridgeText = `The Marlow Street bridge will close for six weeks starting Monday after inspectors found corrosion in two support beams, the city transport office said on Thursday.
Traffic will be diverted over the Quayside crossing, and buses on routes 4 and 9 will run every twelve minutes instead of every eight.
Transport director Ines Okafor said the repairs would cost about 2.3 million pounds. She did not say whether the contractor had been chosen.`

const bridgeOther = `Commuters face six weeks of detours after the city shut the Marlow Street bridge over corroded beams found during a routine inspection.
Shop owners on the east bank said they feared losing trade during the closure of the Marlow Street bridge, which transport director Ines Okafor said would reopen in the spring.
The transport office declined to say when the inspection reports would be published.`

const ferryText = `A new passenger ferry between Northpoint and the old harbour will start sailing in May, the port authority announced on Wednesday.
The vessel carries 140 passengers and will make twelve crossings a day on weekdays.`

const mayorText = `Mayor Dana Whitlock plans to resign at the end of the month, according to two officials briefed on her decision.
The announcement is expected on Friday at a council meeting that has not yet been scheduled.`

const oldText = `The city library reopened its reading room on Saturday after a two-year renovation that added 60 study desks.
Visitors queued for an hour before the doors opened at nine.`

func testArticles() []testArticle {
	pub := day0.Add(6 * time.Hour)
	return []testArticle{
		{key: "https://ledger.example/bridge", title: "Marlow Street bridge to close for six weeks", outlet: "Coast Ledger", text: bridgeText,
			story: "https://ledger.example/bridge", published: pub, ingested: day0.Add(7 * time.Hour)},
		{key: "https://reprint.example/bridge", title: "REPRINT: bridge closing", outlet: "Wire Reprint", text: bridgeText,
			story: "https://ledger.example/bridge", dupOf: "https://ledger.example/bridge", published: pub.Add(time.Hour), ingested: day0.Add(9 * time.Hour)},
		{key: "https://courier.example/detours", title: "Six weeks of detours as Marlow bridge shuts", outlet: "Bay Courier", text: bridgeOther,
			story: "https://ledger.example/bridge", published: pub.Add(2 * time.Hour), ingested: day0.Add(10 * time.Hour)},
		{key: "https://port.example/ferry", title: "Harbour ferry to start in May", outlet: "Port News", text: ferryText,
			story: "https://port.example/ferry", published: pub.Add(5 * time.Hour), ingested: day0.Add(12 * time.Hour)},
		{key: "https://ledger.example/mayor", title: "Mayor Whitlock to resign", outlet: "Coast Ledger", coll: "embargoed", text: mayorText,
			story: "https://ledger.example/mayor", published: pub.Add(3 * time.Hour), ingested: day0.Add(11 * time.Hour)},
		{key: "https://ledger.example/library", title: "Library reading room reopens", outlet: "Coast Ledger", text: oldText,
			story: "https://ledger.example/library", published: day0.Add(-30 * time.Hour), ingested: day0.Add(-20 * time.Hour)},
	}
}

// newTestIndex builds an index of the articles with the story groups and
// copies they declare, so the digest is tested apart from dedup.
func newTestIndex(t *testing.T, arts []testArticle) *retrieval.Index {
	t.Helper()
	ix := retrieval.NewIndex()
	for _, ta := range arts {
		ing := &retrieval.Ingester{Index: ix, Now: func() time.Time { return ta.ingested }}
		a, err := ing.Build(retrieval.Document{Source: ta.key, Key: ta.key, URL: ta.key, Title: ta.title, Outlet: ta.outlet,
			Collection: ta.coll, Published: ta.published, Text: ta.text}, nil)
		if err != nil {
			t.Fatal(err)
		}
		a.StoryID = retrieval.ArticleID(ta.story)
		if ta.dupOf != "" {
			a.DuplicateOf = retrieval.ArticleID(ta.dupOf)
		}
		ix.Put(a)
	}
	return ix
}

func compose(t *testing.T, d *Digester, req DigestRequest) *Digest {
	t.Helper()
	dg, err := d.Compose(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return dg
}

// checkStory verifies a story the way answers are verified: every quote is
// the article's text, every marker names a citation, every sentence is
// cited.
func checkStory(t *testing.T, ix *retrieval.Index, s StoryItem) {
	t.Helper()
	if err := answer.Check(s.Answer(), ix.Get); err != nil {
		t.Errorf("story %q fails answer.Check: %v", s.Headline, err)
	}
	for _, text := range append([]string{s.Summary}, s.Open...) {
		for _, sp := range retrieval.Sentences(text) {
			if sent := text[sp.Start:sp.End]; len(answer.Markers(sent)) == 0 && len(answer.Markers(text[sp.End:])) == 0 {
				t.Errorf("story %q: sentence without a citation: %q", s.Headline, sent)
			}
		}
	}
	for _, c := range s.Citations {
		a := ix.Get(c.ArticleID)
		if a == nil || a.Text[c.Start:c.End] != c.Quote {
			t.Errorf("story %q: citation [%d] does not quote its article", s.Headline, c.N)
		}
	}
}

func TestComposeStories(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	d := &Digester{Index: ix}
	dg := compose(t, d, DigestRequest{Channel: "CNEWS", Collections: []string{"published"}, Since: day0, Now: day1})
	if len(dg.Stories) != 2 {
		t.Fatalf("got %d stories, want 2 (bridge, ferry):\n%s", len(dg.Stories), dg.Text())
	}
	bridge, ferry := dg.Stories[0], dg.Stories[1]
	// The bridge has two independent sources (the reprint counts with its
	// original), so it ranks above the newer one-source ferry story.
	if bridge.Headline != "Marlow Street bridge to close for six weeks" {
		t.Errorf("headline %q, want the original's title", bridge.Headline)
	}
	if bridge.Sources != 2 || bridge.Articles != 3 {
		t.Errorf("bridge: %d sources, %d articles; want 2, 3", bridge.Sources, bridge.Articles)
	}
	if got := strings.Join(bridge.Outlets, ","); got != "Coast Ledger,Bay Courier,Wire Reprint" {
		t.Errorf("outlets %q", got)
	}
	if !strings.HasPrefix(bridge.Summary, "The Marlow Street bridge will close for six weeks starting Monday") {
		t.Errorf("summary should be the original's lead: %q", bridge.Summary)
	}
	if ferry.Sources != 1 || !strings.Contains(ferry.Summary, "[1]") {
		t.Errorf("ferry: %+v", ferry)
	}
	for _, s := range dg.Stories {
		checkStory(t, ix, s)
	}
	// The library story was ingested before the previous digest.
	if strings.Contains(dg.Text(), "Library") {
		t.Errorf("an old story is in the digest:\n%s", dg.Text())
	}
	text := dg.Text()
	for _, want := range []string{"Daily digest: 2 stories", "2 sources: Coast Ledger, Bay Courier, Wire Reprint (+1 copy)", "published 14 Mar 2031", "ingested 14 Mar 2031 18:00 UTC"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func TestComposeNotCovered(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	dg := compose(t, &Digester{Index: ix}, DigestRequest{Since: day0, Now: day1})
	bridge := dg.Stories[0]
	if len(bridge.Open) != 2 {
		t.Fatalf("open points %q, want the two things the sources say they do not know", bridge.Open)
	}
	if !strings.HasPrefix(bridge.Open[0], "She did not say whether the contractor had been chosen. [") ||
		!strings.HasPrefix(bridge.Open[1], "The transport office declined to say when") {
		t.Errorf("open points %q", bridge.Open)
	}
	if !strings.Contains(dg.Text(), "Not covered: She did not say whether the contractor had been chosen.") {
		t.Errorf("text lacks the Not covered line:\n%s", dg.Text())
	}
	if len(dg.Stories[1].Open) != 0 {
		t.Errorf("the ferry story leaves nothing open, got %q", dg.Stories[1].Open)
	}
}

func TestComposeAccess(t *testing.T) {
	arts := testArticles()
	// An embargoed original with a published copy: the copy may show, the
	// original never.
	arts = append(arts,
		testArticle{key: "https://ledger.example/budget", title: "EMBARGOED budget figures", outlet: "Coast Ledger", coll: "embargoed",
			text:  "The council will propose a 4 percent rise in the harbour levy when it publishes its budget next week.\nOfficials said the rise would fund dredging.",
			story: "https://ledger.example/budget", published: day0.Add(8 * time.Hour), ingested: day0.Add(8 * time.Hour)},
		testArticle{key: "https://reprint.example/budget", title: "Harbour levy to rise", outlet: "Wire Reprint",
			text:  "The council will propose a 4 percent rise in the harbour levy when it publishes its budget next week.\nOfficials said the rise would fund dredging.",
			story: "https://ledger.example/budget", dupOf: "https://ledger.example/budget", published: day0.Add(9 * time.Hour), ingested: day0.Add(9 * time.Hour)},
	)
	ix := newTestIndex(t, arts)
	embargoed := map[string]bool{retrieval.ArticleID("https://ledger.example/mayor"): true, retrieval.ArticleID("https://ledger.example/budget"): true}
	tests := []struct {
		name        string
		collections []string
		wantMayor   bool
	}{
		{"default", nil, false},
		{"nothing", []string{}, false},
		{"published", []string{"published"}, false},
		{"both", []string{"published", "embargoed"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dg := compose(t, &Digester{Index: ix}, DigestRequest{Channel: "C1", Collections: tt.collections, Since: day0, Now: day1})
			text := dg.Text()
			if tt.collections != nil && len(tt.collections) == 0 && !dg.Empty() {
				t.Errorf("a channel that may see nothing got %d stories", len(dg.Stories))
			}
			if got := strings.Contains(text, "Whitlock"); got != tt.wantMayor {
				t.Errorf("embargoed story shown: %v, want %v:\n%s", got, tt.wantMayor, text)
			}
			for _, s := range dg.Stories {
				checkStory(t, ix, s)
				for _, c := range s.Citations {
					if embargoed[c.ArticleID] && !tt.wantMayor {
						t.Errorf("cites embargoed article %s", c.ArticleID)
					}
				}
				if strings.Contains(s.Headline, "budget") || strings.Contains(s.Headline, "levy") {
					if tt.wantMayor && (s.Sources != 1 || s.Articles != 2) {
						t.Errorf("budget with embargo: %d sources %d articles, want 1, 2", s.Sources, s.Articles)
					}
					if !tt.wantMayor && (s.Headline != "Harbour levy to rise" || s.Sources != 1 || s.Articles != 1) {
						t.Errorf("budget without embargo: %q %d/%d", s.Headline, s.Sources, s.Articles)
					}
				}
			}
			if strings.Contains(text, "EMBARGOED") != tt.wantMayor {
				t.Errorf("embargoed title shown wrongly:\n%s", text)
			}
		})
	}
}

func TestComposeEmpty(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	since := day1.Add(-time.Hour)
	dg := compose(t, &Digester{Index: ix}, DigestRequest{Channel: "C1", Since: since, Now: day1})
	if !dg.Empty() {
		t.Fatalf("want an empty digest, got %d stories", len(dg.Stories))
	}
	if got := dg.Text(); got != "No new stories since Sat 15 Mar 2031 07:00 UTC until Sat 15 Mar 2031 08:00 UTC.\n" {
		t.Errorf("empty text %q", got)
	}
}

func TestComposeBounds(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	dg := compose(t, &Digester{Index: ix}, DigestRequest{Since: day0, Now: day1, MaxStories: 1})
	if len(dg.Stories) != 1 || dg.More != 1 || !strings.Contains(dg.Text(), "…and 1 more story.") {
		t.Errorf("MaxStories 1: %d stories, %d more:\n%s", len(dg.Stories), dg.More, dg.Text())
	}
	dg = compose(t, &Digester{Index: ix, MaxChars: 300}, DigestRequest{Since: day0, Now: day1})
	if len(dg.Stories) != 1 || dg.More != 1 {
		t.Errorf("MaxChars 300: %d stories, %d more", len(dg.Stories), dg.More)
	}
	big := compose(t, &Digester{Index: ix}, DigestRequest{Since: day0, Now: day1})
	if len(big.Text()) > DefaultDigestChars {
		t.Errorf("digest of %d chars over the bound", len(big.Text()))
	}
}

type fakeSummarizer struct {
	ans *answer.Answer
	err error
}

func (f fakeSummarizer) Summarize(context.Context, []*retrieval.Article) (*answer.Answer, error) {
	return f.ans, f.err
}

func TestComposeSummarizer(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	ferry := ix.Get(retrieval.ArticleID("https://port.example/ferry"))
	quote := "The vessel carries 140 passengers"
	at := strings.Index(ferry.Text, quote)
	good := &answer.Answer{Answer: "A 140-seat ferry will link Northpoint and the old harbour [1].",
		Citations: []answer.Citation{{N: 1, ArticleID: ferry.ID, Quote: quote, Start: at, End: at + len(quote)}}}
	bad := &answer.Answer{Answer: "The ferry is free [1].",
		Citations: []answer.Citation{{N: 1, ArticleID: ferry.ID, Quote: "The ferry is free", Start: 0, End: 17}}}
	uncited := &answer.Answer{Answer: "A ferry starts in May [1]. It is free.", Citations: good.Citations}
	tests := []struct {
		name string
		s    Summarizer
		want string
	}{
		{"model", fakeSummarizer{ans: good}, "A 140-seat ferry"},
		{"bad quote", fakeSummarizer{ans: bad}, "A new passenger ferry between Northpoint"},
		{"uncited sentence", fakeSummarizer{ans: uncited}, "A new passenger ferry between Northpoint"},
		{"error", fakeSummarizer{err: errors.New("model down")}, "A new passenger ferry between Northpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dg := compose(t, &Digester{Index: ix, Summarizer: tt.s}, DigestRequest{Since: day0.Add(10*time.Hour + 30*time.Minute), Now: day1})
			if len(dg.Stories) != 1 || !strings.HasPrefix(dg.Stories[0].Summary, tt.want) {
				t.Fatalf("summary %q, want prefix %q", dg.Stories[0].Summary, tt.want)
			}
			checkStory(t, ix, dg.Stories[0])
		})
	}
}

func TestPreviewDigestSince(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	d := &Digester{Index: ix, Now: func() time.Time { return day1 },
		LastPosted: func(context.Context, string) (time.Time, bool) { return day0.Add(10*time.Hour + 30*time.Minute), true }}
	text, err := d.PreviewDigest(context.Background(), "C1", []string{"published"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Harbour ferry") || strings.Contains(text, "Marlow") {
		t.Errorf("preview should hold only what came after the last digest:\n%s", text)
	}
	// The clock's year goes without saying, and a digest that ends now
	// has no "until".
	if !strings.HasPrefix(text, "Daily digest: 1 story since Fri 14 Mar 18:30 UTC\n") || !strings.Contains(text, "ingested 14 Mar 20:00 UTC") {
		t.Errorf("dates of the current year:\n%s", text)
	}
}
