package openai

import (
	"net/http"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/internal/openaitest"
)

// twoClaims is a reply whose two claims both pass the lexical checks.
func twoClaims() openaitest.Reply {
	return openaitest.JSON(map[string]any{"claims": []answer.Claim{
		{Text: "Mick Baccio resigned on Tuesday.", Passages: []int{1}, Quote: "Mick Baccio, resigned on Tuesday after 14 months in the job"},
		{Text: "The campaign retained a new security firm.", Passages: []int{2}, Quote: "the campaign had retained a new security firm"},
	}, "not_covered": []string{}})
}

// The judge sees each lexically verified claim with its quote, in one
// call, and a claim it rejects is dropped.
func TestJudgeDropsWhatItRejects(t *testing.T) {
	f := newFixture(t, Options{Judge: true})
	f.srv.QueueChat(twoClaims(), openaitest.JSON(map[string]any{"supported": []bool{true, false}}))
	a := f.ask(t, "What happened to the campaign's security chief?")
	if !strings.Contains(a.Answer, "Mick Baccio resigned on Tuesday") || strings.Contains(a.Answer, "security firm") {
		t.Errorf("answer %q: want the first claim only", a.Answer)
	}
	u := f.a.Usage().Snapshot()
	if u.JudgeCalls != 1 || u.Calls != 2 || u.JudgedOut != 1 || u.DroppedClaims != 1 {
		t.Errorf("usage %+v: want 2 calls, 1 of them the judge's, 1 claim judged out", u)
	}
	reqs := f.srv.ChatRequests(t)
	if len(reqs) != 2 {
		t.Fatalf("%d chat requests", len(reqs))
	}
	judge := reqs[1]
	user := judge.Messages[len(judge.Messages)-1].Content
	for _, want := range []string{"BEGIN UNTRUSTED ITEMS", "claim: Mick Baccio resigned on Tuesday.", "quote: the campaign had retained a new security firm"} {
		if !strings.Contains(user, want) {
			t.Errorf("judge request lacks %q:\n%s", want, user)
		}
	}
}

// Without the setting no judge call is made.
func TestJudgeOffByDefault(t *testing.T) {
	f := newFixture(t, Options{})
	f.srv.QueueChat(twoClaims())
	a := f.ask(t, "What happened to the campaign's security chief?")
	if !strings.Contains(a.Answer, "security firm") || f.srv.Calls(openaitest.ChatPath) != 1 || f.a.Usage().Snapshot().JudgeCalls != 0 {
		t.Errorf("answer %q after %d calls", a.Answer, f.srv.Calls(openaitest.ChatPath))
	}
}

// A judge that fails or answers nonsense leaves the lexical checks to
// decide: the answer is not lost.
func TestJudgeFailureKeepsTheLexicalFloor(t *testing.T) {
	for name, reply := range map[string]openaitest.Reply{
		"server error": openaitest.Error(http.StatusBadRequest, "bad request"),
		"wrong length": openaitest.JSON(map[string]any{"supported": []bool{false}}),
		"not json":     openaitest.Chat("yes, both"),
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, Options{Judge: true})
			f.srv.QueueChat(twoClaims(), reply)
			a := f.ask(t, "What happened to the campaign's security chief?")
			if !strings.Contains(a.Answer, "Mick Baccio resigned") || !strings.Contains(a.Answer, "security firm") || isFallback(a) {
				t.Errorf("answer %q: want both claims, no fallback", a.Answer)
			}
		})
	}
}
