package bot_test

import (
	"bytes"
	"context"
	"github.com/storybot/storybot/answer"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/slacktest"
)

func TestSignatureVerification(t *testing.T) {
	h := newHarness(t)
	body := eventBody("EvSigned", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000001", ""))
	tampered := bytes.Replace(body, []byte("Mick Baccio"), []byte("Mick Baxxio"), 1)

	cases := []struct {
		name   string
		sign   []byte // body the signature is computed over
		send   []byte // body sent
		secret string
		at     time.Time
		want   int
	}{
		{"forged", body, body, "not-the-secret", time.Now(), http.StatusUnauthorized},
		{"stale", body, body, secret, time.Now().Add(-6 * time.Minute), http.StatusUnauthorized},
		{"future", body, body, secret, time.Now().Add(6 * time.Minute), http.StatusUnauthorized},
		{"tampered", body, tampered, secret, time.Now(), http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/slack/events", bytes.NewReader(tc.send))
			req.Header.Set("Content-Type", "application/json")
			slacktest.Sign(req, tc.secret, tc.sign, tc.at)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	t.Run("unsigned", func(t *testing.T) {
		for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactive"} {
			resp, err := http.Post(h.srv.URL+path, "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s unsigned: status %d, want 401", path, resp.StatusCode)
			}
		}
	})
	t.Run("too large", func(t *testing.T) {
		big := append(bytes.Repeat([]byte(" "), 2<<20), body...)
		resp, _ := h.postSigned("/slack/events", "application/json", big, secret, time.Time{})
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", resp.StatusCode)
		}
	})
	h.drain()
	for _, m := range []string{"chat.postMessage", "reactions.add", "conversations.replies", "respond"} {
		if n := len(h.slack.Calls(m)); n != 0 {
			t.Fatalf("rejected requests reached Slack: %d %s calls", n, m)
		}
	}
	if n := len(h.asker.requests()); n != 0 {
		t.Fatalf("rejected requests were answered: %d", n)
	}
}

func TestSignedEventIsAnswered(t *testing.T) {
	h := newHarness(t)
	h.sendEvent("EvOK", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000001", ""))
	posts := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)
	p := posts[0]
	if got := p.Param("thread_ts"); got != "1700000000.000001" {
		t.Errorf("thread_ts = %q, want the question's ts", got)
	}
	if p.Param("unfurl_links") != "false" || p.Param("unfurl_media") != "false" {
		t.Errorf("unfurling not off: unfurl_links=%q unfurl_media=%q", p.Param("unfurl_links"), p.Param("unfurl_media"))
	}
	if !strings.Contains(p.Text(), "left the campaign in March") || !strings.Contains(p.Text(), "[1]") {
		t.Errorf("answer missing: %s", p.Text())
	}
	if !strings.Contains(p.Text(), "<https://example.com/baccio|Daily Planet — Campaign security chief Mick Baccio departs>") {
		t.Errorf("source link missing: %s", p.Text())
	}
	h.drain()
	// 👀 while working, replaced by ✅ once answered.
	r := h.slack.Calls("reactions.add")
	if len(r) != 2 || r[0].Param("name") != "eyes" || r[0].Param("timestamp") != "1700000000.000001" || r[1].Param("name") != "white_check_mark" {
		t.Errorf("progress reactions: %+v", r)
	}
	if rm := h.slack.Calls("reactions.remove"); len(rm) != 1 || rm[0].Param("name") != "eyes" || rm[0].Param("timestamp") != "1700000000.000001" {
		t.Errorf("👀 not removed: %+v", rm)
	}
}

func TestURLVerification(t *testing.T) {
	h := newHarness(t)
	body := []byte(`{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	resp, got := h.postSigned("/slack/events", "application/json", body, secret, time.Time{})
	if resp.StatusCode != 200 || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("challenge: %d %q", resp.StatusCode, got)
	}
	resp, _ = h.postSigned("/slack/events", "application/json", body, "wrong", time.Time{})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged challenge: %d", resp.StatusCode)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
		if path == "/readyz" && !strings.Contains(string(body), "slack: ok") {
			t.Errorf("readyz: %s", body)
		}
		if path == "/metrics" && !strings.Contains(string(body), "storybot_answer_seconds") {
			t.Errorf("metrics lack storybot_answer_seconds")
		}
	}
}

// The final reaction says how the question ended: ❔ when the sources do
// not cover it, ⚠️ when answering failed (with the reason in the thread).
func TestFinalReactionSaysHowItEnded(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ans      *answer.Answer
		err      error
		reaction string
	}{
		{"not covered", &answer.Answer{Status: answer.NotCovered, Answer: "None of the 2 sources found says who replaced him.", NotCovered: []string{"who replaced him"}}, nil, "grey_question"},
		{"partial", &answer.Answer{Status: answer.Partial, Answer: "He left [1].", NotCovered: []string{"why"}, Citations: []answer.Citation{{N: 1, Title: "T", Quote: "He left."}}}, nil, "ballot_box_with_check"},
		{"failure", nil, context.DeadlineExceeded, "warning"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.asker.answer, h.asker.err = tc.ans, tc.err
			h.sendEvent("Ev"+tc.reaction, mention(chanPublished, "UALICE", "Who replaced Mick Baccio?", "1700000000.000021", ""))
			h.drain()
			r := h.slack.Calls("reactions.add")
			if len(r) != 2 || r[1].Param("name") != tc.reaction {
				t.Errorf("reactions %+v, want eyes then %s", r, tc.reaction)
			}
			if len(h.slack.Calls("reactions.remove")) != 1 {
				t.Errorf("👀 not removed")
			}
			if tc.err != nil {
				if p := h.slack.Calls("chat.postMessage"); len(p) != 1 || !strings.Contains(p[0].Text(), "took too long") {
					t.Errorf("failure reason not in the thread: %+v", p)
				}
			}
		})
	}
}
