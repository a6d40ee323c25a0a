package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/internal/slacktest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
)

const secret = "test-signing-secret"

// Channels of the access matrix.
const (
	chanPublished = "CPUB"  // default: published only
	chanEmbargo   = "CEMB"  // published and embargoed
	chanDM        = "DUSER" // a DM
	chanNone      = "CNONE" // configured to see no collection
)

// corpus is the test index: two published stories, one embargoed, and one
// published article full of hostile Slack markup.
var corpus = []retrieval.Document{
	{
		Source: "baccio.txt", Key: "https://example.com/baccio", URL: "https://example.com/baccio",
		Title: "Campaign security chief Mick Baccio departs", Outlet: "Daily Planet",
		Published: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
		Text: "Mick Baccio, the campaign's chief information security officer, left the campaign in March.\n\n" +
			"The campaign said it had retained a new security firm to protect its systems. It did not name the firm.",
	},
	{
		Source: "bridge.txt", Key: "https://example.com/bridge", URL: "https://example.com/bridge",
		Title: "River bridge reopens after repairs", Outlet: "Gazette",
		Published: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
		Text:      "The river bridge reopened on Monday after six months of repairs costing 12 million dollars.",
	},
	{
		Source: "embargo.txt", Key: "https://example.com/secret-mayor", URL: "https://example.com/secret-mayor",
		Title: "Mayor Quimby to resign over zeppelin contract", Outlet: "Wire", Collection: "embargoed",
		Published: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		Text:      "Mayor Quimby will resign on Friday over the zeppelin contract scandal, according to an embargoed statement.",
	},
	{
		Source: "hostile.txt", Key: "https://example.com/fest", URL: "https://example.com/fest?a=1&b=<x>|<!channel>",
		Title: "Zucchini festival <!channel> record", Outlet: "Evil <@U999> Outlet",
		Published: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		Text: "The zucchini festival drew 4,000 visitors <!channel> <!here> @here @channel @everyone <@U123> " +
			"<http://evil.example|click here> on Saturday.",
	},
}

// newService builds a Service over the test corpus, ingested through an
// embedded store in a temporary folder.
func newService(t testing.TB) (*handlers.Service, *retrieval.Ingester) {
	t.Helper()
	store, err := embedded.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ing := &retrieval.Ingester{Store: store, Index: retrieval.NewIndex()}
	for _, r := range ing.Ingest(context.Background(), corpus).Results {
		if r.Outcome == retrieval.Failed {
			t.Fatalf("ingest %s: %v", r.Source, r.Err)
		}
	}
	return &handlers.Service{Index: ing.Index}, ing
}

// recordingAsker records every request and can hold answers back until
// released.
type recordingAsker struct {
	next    bot.Asker
	mu      sync.Mutex
	reqs    []handlers.AskRequest
	gate    chan struct{} // nil: answer at once
	started chan struct{} // receives one value per Ask, if non-nil
	answer  *answer.Answer
	err     error // returned instead of an answer when set
}

func (r *recordingAsker) Ask(ctx context.Context, req handlers.AskRequest) (*answer.Answer, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if r.started != nil {
		r.started <- struct{}{}
	}
	if r.gate != nil {
		select {
		case <-r.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.answer != nil {
		return r.answer, nil
	}
	return r.next.Ask(ctx, req)
}

func (r *recordingAsker) requests() []handlers.AskRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]handlers.AskRequest(nil), r.reqs...)
}

type harness struct {
	t        testing.TB
	slack    *slacktest.Server
	bot      *bot.Bot
	srv      *httptest.Server
	asker    *recordingAsker
	service  *handlers.Service
	feedback string // feedback file
}

type harnessOption func(*bot.Options)

// newHarness starts a fake Slack and an HTTP-mode bot over the test corpus.
func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	fake := slacktest.New(t)
	svc, ing := newService(t)
	return newHarnessWith(t, fake, svc, ing, bot.NewMemoryClaimer(), opts...)
}

func newHarnessWith(t testing.TB, fake *slacktest.Server, svc *handlers.Service, ing *retrieval.Ingester, claimer bot.Claimer, opts ...harnessOption) *harness {
	t.Helper()
	asker := &recordingAsker{next: svc}
	fbDir := t.TempDir()
	opt := bot.Options{
		BotToken:      "xoxb-test",
		SigningSecret: secret,
		APIURL:        fake.APIURL(),
		Asker:         asker,
		Checker:       svc,
		Sources:       &handlers.Sources{Index: svc.Index, Ingester: ing},
		Feedback:      &handlers.Feedback{Store: handlers.NewFileFeedback(fbDir), Index: svc.Index},
		Access: config.Access{
			Channels:           map[string][]string{chanEmbargo: {"published", "embargoed"}, chanNone: {}},
			DefaultCollections: []string{"published"},
			AddUsers:           []string{"UEDITOR"},
		},
		Claimer:       claimer,
		AnswerTimeout: 20 * time.Second,
	}
	for _, o := range opts {
		o(&opt)
	}
	b, err := bot.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.AuthTest(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = b.Shutdown(ctx)
		srv.Close()
	})
	return &harness{t: t, slack: fake, bot: b, srv: srv, asker: asker, service: svc, feedback: fbDir + "/" + handlers.FeedbackFileName}
}

// drain waits until every answer in flight has been delivered.
func (h *harness) drain() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := h.bot.Shutdown(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// ackClient bounds the wait for any acknowledgement, so a handler that
// works before acknowledging fails rather than hangs (Slack gives 3 s).
var ackClient = &http.Client{Timeout: 10 * time.Second}

// post sends a request signed at time at (zero: now) with the given secret.
func (h *harness) postSigned(path, contentType string, body []byte, sec string, at time.Time) (*http.Response, string) {
	h.t.Helper()
	if at.IsZero() {
		at = time.Now()
	}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	slacktest.Sign(req, sec, body, at)
	resp, err := ackClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// sendEvent delivers an Events API callback over HTTP and wants a 200.
func (h *harness) sendEvent(eventID string, inner map[string]any) {
	h.t.Helper()
	resp, body := h.postSigned("/slack/events", "application/json", eventBody(eventID, inner), secret, time.Time{})
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("event %s: status %d %s", eventID, resp.StatusCode, body)
	}
}

func eventBody(eventID string, inner map[string]any) []byte {
	body, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(), "event": inner,
	})
	return body
}

func mention(channel, user, text, ts, threadTS string) map[string]any {
	ev := map[string]any{"type": "app_mention", "channel": channel, "user": user,
		"text": "<@" + slacktest.BotUserID + "> " + text, "ts": ts, "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	return ev
}

func dm(user, text, ts string) map[string]any {
	return map[string]any{"type": "message", "channel": chanDM, "channel_type": "im", "user": user,
		"text": text, "ts": ts, "event_ts": ts}
}

// slash runs a /story command over HTTP and returns the private ack text.
func (h *harness) slash(channel, user, text, responseName string) string {
	h.t.Helper()
	form := url.Values{
		"command": {"/story"}, "text": {text}, "channel_id": {channel}, "user_id": {user},
		"team_id": {"T1"}, "response_url": {h.slack.ResponseURL(responseName)}, "trigger_id": {"1.2.3"},
	}
	resp, body := h.postSigned("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), secret, time.Time{})
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("/story %s: status %d %s", text, resp.StatusCode, body)
	}
	var ack struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal([]byte(body), &ack); err != nil {
		h.t.Fatalf("/story ack is not JSON: %q", body)
	}
	if ack.ResponseType != "ephemeral" {
		h.t.Errorf("/story ack response_type = %q, want ephemeral", ack.ResponseType)
	}
	return ack.Text
}

// click sends a block_actions interaction for a button.
func (h *harness) click(channel, user, actionID, value, responseName string) {
	h.t.Helper()
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "channel": map[string]any{"id": channel},
		"response_url": h.slack.ResponseURL(responseName), "trigger_id": "1.2.3",
		"container": map[string]any{"type": "message", "channel_id": channel},
		"actions":   []map[string]any{{"type": "button", "action_id": actionID, "value": value, "block_id": "b"}},
	})
	form := url.Values{"payload": {string(payload)}}
	resp, body := h.postSigned("/slack/interactive", "application/x-www-form-urlencoded", []byte(form.Encode()), secret, time.Time{})
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("click %s: status %d %s", actionID, resp.StatusCode, body)
	}
}

// responses returns the response_url posts made to name.
func (h *harness) responses(name string) []slacktest.Call {
	var out []slacktest.Call
	for _, c := range h.slack.Calls("respond") {
		if strings.HasSuffix(c.Path, "/"+name) {
			out = append(out, c)
		}
	}
	return out
}

// buttonValue finds the value of a button in a posted message.
func buttonValue(t testing.TB, c slacktest.Call, actionID string) string {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(c.Blocks()), &blocks); err != nil {
		t.Fatalf("blocks: %v", err)
	}
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			m, _ := e.(map[string]any)
			if m["action_id"] == actionID {
				return fmt.Sprint(m["value"])
			}
		}
	}
	t.Fatalf("no %s button in %s", actionID, c.Blocks())
	return ""
}
