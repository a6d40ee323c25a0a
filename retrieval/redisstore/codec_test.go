package redisstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// TestDecodeArticleReadsEncodingJSON checks the fast decoder reads exactly
// what encoding/json writes, escapes included (HTML characters, line
// separators, quotes, non-ASCII), and ignores members it does not know, so
// values written by older or newer versions still load.
func TestDecodeArticleReadsEncodingJSON(t *testing.T) {
	a := &retrieval.Article{
		ID: "abc", Key: "k", Source: "https://example.com/a?b=1&c=<2>", Title: "“Quoted” \"title\" \u2028 é",
		Outlet: "Outlet", Author: "A. Writer", URL: "https://example.com/a", Collection: "metro",
		Published: time.Date(2024, 3, 5, 10, 30, 0, 123, time.FixedZone("x", -5*3600)),
		Ingested:  time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Text:      "Line one <b>&amp;</b>\n\nLine two\ttab \\ backslash \u0001 control \U0001F600.",
		Hash:      strings.Repeat("ab", 32), DuplicateOf: "zzz", StoryID: "abc",
		Passages: []retrieval.Span{{Start: 0, End: 24}, {Start: 26, End: 70}},
	}
	data, err := encodeArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeArticle(data)
	if err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	// Times come back as instants with a fixed offset, as encoding/json
	// gives them.
	if !got.Published.Equal(a.Published) || !got.Ingested.Equal(a.Ingested) {
		t.Errorf("times %v, %v; want %v, %v", got.Published, got.Ingested, a.Published, a.Ingested)
	}
	want := *a
	want.Published, want.Ingested = got.Published, got.Ingested
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("round trip changed the article:\n got %+v\nwant %+v", *got, want)
	}

	// A member this version does not know is ignored.
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["added_later"] = []int{1, 2}
	newer, _ := json.Marshal(m)
	got, err = decodeArticle(newer)
	if err != nil || got.Text != a.Text || got.Hash != a.Hash {
		t.Errorf("value with an unknown member: %v, %+v", err, got)
	}

	// Damaged values are errors, not partial articles.
	for _, bad := range []string{"", "{", `{"hash":"x","text":1}`, "\xff"} {
		if _, err := decodeArticle([]byte(bad)); err == nil {
			t.Errorf("decodeArticle(%q) gave no error", bad)
		}
	}
}

// FuzzDecodeArticle checks any text and title survive encoding/json and the
// fast decoder unchanged (invalid UTF-8 becomes U+FFFD, as encoding/json
// writes it).
func FuzzDecodeArticle(f *testing.F) {
	f.Add("text", "title")
	f.Add("<&>\u2028\"\\", "\xff\xfe")
	f.Fuzz(func(t *testing.T, text, title string) {
		a := &retrieval.Article{ID: "x", Text: text, Title: title, Hash: "h", Passages: []retrieval.Span{}}
		data, err := encodeArticle(a)
		if err != nil {
			t.Fatal(err)
		}
		var want retrieval.Article
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		got, err := decodeArticle(data)
		if err != nil {
			t.Fatalf("decode %q: %v", data, err)
		}
		if got.Text != want.Text || got.Title != want.Title {
			t.Fatalf("decoded %q/%q, encoding/json reads %q/%q", got.Text, got.Title, want.Text, want.Title)
		}
	})
}
