package qa

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
)

func TestHit(t *testing.T) {
	q := Question{Kind: "answer", Gold: []string{"Priya Raman"}, AnswerText: "the chief operating officer Priya Raman"}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"The board named PRIYA RAMAN [1].", true},                    // a gold string, any case
		{"The chief operating officer, Raman, takes over [1].", true}, // 4 of 5 reference words
		{"The board named a successor [1].", false},
	} {
		if got := Hit(q, tc.text); got != tc.want {
			t.Errorf("Hit(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if Hit(Question{Kind: "none"}, "anything") {
		t.Errorf("a question without gold or reference is hit")
	}
}

func TestTallyAndCurve(t *testing.T) {
	ans := func(id string, st answer.Status, text string, conf float64, src bool) Result {
		return Result{Question: Question{ID: id, Kind: "answer", Gold: []string{"May"}}, Status: st, Text: text, Confidence: conf, FromSource: src}
	}
	non := func(id string, st answer.Status, conf float64) Result {
		return Result{Question: Question{ID: id, Kind: "none"}, Status: st, Confidence: conf}
	}
	rs := []Result{
		ans("1", answer.Answered, "It starts in May [1].", 0.9, true),
		ans("2", answer.Partial, "It starts soon [1].", 0.6, false),
		ans("3", answer.NotCovered, "None of the sources says so; what they say: in May [1].", 0.2, true),
		ans("4", answer.NotCovered, "", 0.1, false),
		non("5", answer.NotCovered, 0.3),
		non("6", answer.Answered, 0.7),
	}
	s := Tally(rs)
	want := Score{Answerable: 4, Unanswerable: 2, Cover: 50, Abstain: 50, Hit: 25, Source: 25, Wrong: 50}
	if s != want {
		t.Errorf("Tally = %+v, want %+v", s, want)
	}
	c := Curve(rs)
	if len(c) != 9 || c[4].Threshold != 0.5 || c[4].Cover != 50 || c[4].Abstain != 50 {
		t.Errorf("curve at 0.5 = %+v", c[4])
	}
	if c[0].Cover != 100 || c[0].Abstain != 0 || c[8].Cover != 25 || c[8].Abstain != 100 {
		t.Errorf("curve ends %+v %+v", c[0], c[8])
	}
}

func TestReadQuestionsNamesTheBadLine(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ body, want string }{
		{`{"id":"a","q":"Who?","kind":"answer"}` + "\n" + `{"id":"b","q":"When?","kind":"maybe"}`, `:2: kind "maybe"`},
		{`{"id":"a","q":"","kind":"none"}`, ":1: no question"},
		{`{"id":"a","q":"Who?","kind":"none"}` + "\n\n" + `{"id":"a","q":"Why?","kind":"none"}`, `:3: id "a" repeats line 1`},
		{`{"id":`, ":1: "},
	} {
		p := filepath.Join(dir, "q.jsonl")
		if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadQuestions(p)
		if err == nil || !strings.Contains(err.Error(), p+tc.want) {
			t.Errorf("error %v, want one containing %q", err, p+tc.want)
		}
	}
}

// A set ingests into an index that finds its articles, and names each
// question's sources by title.
func TestSetIndex(t *testing.T) {
	s, err := ReadSet("testdata/set")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "set" || len(s.Questions) != 3 {
		t.Fatalf("set %q with %d questions", s.Name, len(s.Questions))
	}
	if src := s.SrcTitles(s.Questions[1]); !src["Library extends hours"] || len(src) != 1 {
		t.Errorf("sources of q2: %v", src)
	}
	ix, err := s.Index(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 2 {
		t.Errorf("index holds %d articles, want 2", ix.Len())
	}
}
