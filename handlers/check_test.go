package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Each sentence of a draft is supported, contradicted or not found, with
// the quote that decides it.
func TestCheckDraft(t *testing.T) {
	svc := &Service{Index: newTestIndex(t, checkArticles())}
	draft := "The council approved a $48 million budget on Tuesday. " +
		"The council approved a $52 million budget on Tuesday. " +
		"The harbour will be dredged by a Dutch company."
	got, err := svc.Check(context.Background(), CheckRequest{Text: draft})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{Supported, Contradicted, NotFound}
	if len(got) != len(want) {
		t.Fatalf("%d sentences checked, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Verdict != w {
			t.Errorf("%q: %s, want %s", got[i].Sentence, got[i].Verdict, w)
		}
	}
	for _, i := range []int{0, 1} {
		if c := got[i].Citation; c == nil || !strings.Contains(c.Quote, "$48 million operating budget") {
			t.Errorf("%q: citation %+v, want the budget sentence quoted", got[i].Sentence, c)
		}
	}
	if got[2].Citation != nil {
		t.Errorf("a sentence not found carries a citation: %+v", got[2].Citation)
	}
	if _, err := svc.Check(context.Background(), CheckRequest{Text: strings.Repeat("word ", MaxCheckRunes)}); !errors.Is(err, ErrDraftTooLong) {
		t.Errorf("an over-long draft: %v", err)
	}
}

func checkArticles() []testArticle {
	return []testArticle{
		{key: "https://city.example/budget", story: "budget", title: "Council passes budget", text: "The Riverton City Council approved a $48 million operating budget on Tuesday, ending weeks of debate over library hours.\n\nThe mayor said the plan keeps every branch open."},
		{key: "https://port.example/dredging", story: "dredging", title: "Harbour dredging delayed", text: "Dredging of the harbour will start in June, the port authority said.\n\nThe work is expected to take four months."},
	}
}
