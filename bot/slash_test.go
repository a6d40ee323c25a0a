package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/handlers"
)

// A slash command is acknowledged while the answer is still being worked
// out; the answer arrives later, privately, through the response_url, with
// a button that shares it to the channel.
func TestSlashAckedBeforeAnswerThenShared(t *testing.T) {
	h := newHarness(t)
	h.asker.gate = make(chan struct{})
	h.asker.started = make(chan struct{}, 1)
	start := time.Now()
	ack := h.slash(chanPublished, "UALICE", "When did Mick Baccio leave?", "q1")
	ackTime := time.Since(start)
	if !strings.Contains(ack, "Searching") {
		t.Errorf("ack %q", ack)
	}
	<-h.asker.started // the answer is being worked out after the ack
	if n := len(h.responses("q1")); n != 0 {
		t.Fatalf("answer arrived before the ack was taken: %d responses", n)
	}
	close(h.asker.gate)
	resp := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	t.Logf("ack in %s", ackTime)
	if resp.Param("response_type") != "ephemeral" {
		t.Errorf("answer response_type %q, want ephemeral", resp.Param("response_type"))
	}
	if !strings.Contains(resp.Text(), "left the campaign in March") || !strings.Contains(resp.Text(), "When did Mick Baccio leave?") {
		t.Errorf("private answer: %s", resp.Text())
	}
	if n := len(h.slack.Calls("chat.postMessage")); n != 0 {
		t.Fatalf("private answer posted publicly")
	}

	id := buttonValue(t, resp, bot.ActionShare)
	h.click(chanPublished, "UALICE", bot.ActionShare, id, "share1")
	post := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
	if post.Param("channel") != chanPublished || post.Param("thread_ts") != "" {
		t.Errorf("shared to %q thread %q", post.Param("channel"), post.Param("thread_ts"))
	}
	if !strings.Contains(post.Text(), "left the campaign in March") || !strings.Contains(post.Text(), "shared by <@UALICE>") {
		t.Errorf("shared answer: %s", post.Text())
	}
	if strings.Contains(post.Blocks(), bot.ActionShare) {
		t.Errorf("shared answer still has a share button")
	}
	del := h.slack.Wait(t, "respond", 2, 10*time.Second)[1]
	if del.Param("delete_original") != "true" {
		t.Errorf("private copy not deleted: %+v", del.JSON)
	}
}

func TestSlashSubcommands(t *testing.T) {
	h := newHarness(t)
	if ack := h.slash(chanPublished, "UALICE", "help", "h"); !strings.Contains(ack, "/story sources") {
		t.Errorf("help: %q", ack)
	}
	if ack := h.slash(chanPublished, "UALICE", "", "h"); !strings.Contains(ack, "/story add") {
		t.Errorf("empty: %q", ack)
	}
	if ack := h.slash(chanPublished, "UALICE", "digest", "d"); !strings.Contains(ack, "later release") {
		t.Errorf("digest without composer: %q", ack)
	}

	h.slash(chanPublished, "UALICE", "sources bridge", "s1")
	r := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	if !strings.Contains(r.Text(), "<https://example.com/bridge|Gazette — River bridge reopens after repairs> · 2024-04-01") {
		t.Errorf("sources: %s", r.Text())
	}
	if strings.Contains(r.Text(), "Baccio") {
		t.Errorf("sources bridge lists unrelated article: %s", r.Text())
	}

	if ack := h.slash(chanPublished, "UALICE", "add https://example.com/x", "a0"); !strings.Contains(ack, "can't add") {
		t.Errorf("add by a user without rights: %q", ack)
	}
	h.slash(chanPublished, "UEDITOR", "add notaurl", "a1")
	h.slack.Wait(t, "respond", 2, 10*time.Second)
	if r := h.responses("a1"); len(r) != 1 || !strings.Contains(r[0].Text(), "not a web address") {
		t.Errorf("add bad URL: %+v", r)
	}

	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><head><title>Harbour dredging to start in June</title></head><body><article><h1>Harbour dredging to start in June</h1>
<p>Dredging of the harbour will start in June, the port authority said on Tuesday, after years of delay caused by funding disputes between the city and the state.</p>
<p>The work is expected to take four months and cost about 30 million dollars, according to the authority's published budget for the coming year.</p></article></body></html>`))
	}))
	defer page.Close()
	h.slash(chanPublished, "UEDITOR", "add "+page.URL+"/missing", "a2")
	h.slack.Wait(t, "respond", 3, 10*time.Second)
	if r := h.responses("a2"); len(r) != 1 || !strings.Contains(r[0].Text(), "could not read") {
		t.Errorf("add of a missing page: %+v", r)
	}
	h.slash(chanPublished, "UEDITOR", "add "+page.URL+"/harbour", "a3")
	h.slack.Wait(t, "respond", 4, 10*time.Second)
	if r := h.responses("a3"); len(r) != 1 || !strings.Contains(r[0].Text(), "Added") {
		t.Fatalf("add: %+v", r)
	}
	h.slash(chanPublished, "UALICE", "When will the harbour dredging start?", "q2")
	h.slack.Wait(t, "respond", 5, 10*time.Second)
	if r := h.responses("q2"); len(r) != 1 || !strings.Contains(r[0].Text(), "June") {
		t.Errorf("added article not answerable: %+v", r)
	}
}

// The channel-to-collection matrix: an embargoed article appears in
// answers, sources and feedback only in a channel that may see it.
func TestCollectionMatrix(t *testing.T) {
	const q = "Why is Mayor Quimby resigning over the zeppelin contract?"
	// What only the embargoed article holds: its URL, title and text.
	secretBits := []string{"secret-mayor", "Mayor Quimby to resign", "resign on Friday"}
	cases := []struct {
		channel string
		visible bool
	}{
		{chanPublished, false},
		{chanDM, false},
		{"COTHER", false},
		{chanEmbargo, true},
	}
	for _, tc := range cases {
		t.Run(tc.channel, func(t *testing.T) {
			h := newHarness(t)
			check := func(what, text string) {
				t.Helper()
				if tc.visible {
					if !strings.Contains(text, "secret-mayor") {
						t.Errorf("%s in %s lacks the embargoed article:\n%s", what, tc.channel, text)
					}
					return
				}
				for _, s := range secretBits {
					if strings.Contains(text, s) {
						t.Errorf("%s in %s leaks %q:\n%s", what, tc.channel, s, text)
					}
				}
			}
			// Mention (DMs are asked by message).
			if tc.channel == chanDM {
				h.sendEvent("EvM", dm("UALICE", q, "1700000000.000020"))
			} else {
				h.sendEvent("EvM", mention(tc.channel, "UALICE", q, "1700000000.000020", ""))
			}
			post := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
			check("answer", post.Text())
			if !tc.visible && !strings.Contains(post.Text(), "Not covered") {
				t.Errorf("answer without the embargoed article should say it is not covered:\n%s", post.Text())
			}
			// Slash answer and sources.
			h.slash(tc.channel, "UALICE", q, "q")
			h.slash(tc.channel, "UALICE", "sources zeppelin mayor", "s")
			h.slash(tc.channel, "UALICE", "sources", "s-all")
			h.slack.Wait(t, "respond", 3, 10*time.Second)
			check("slash answer", h.responses("q")[0].Text())
			check("sources", h.responses("s")[0].Text())
			check("all sources", h.responses("s-all")[0].Text())
			// Feedback on the answer.
			h.click(tc.channel, "UALICE", bot.ActionHelpful, buttonValue(t, post, bot.ActionHelpful), "fb")
			h.slack.Wait(t, "respond", 4, 10*time.Second)
			fb, err := os.ReadFile(h.feedback)
			if err != nil {
				t.Fatal(err)
			}
			check("feedback", string(fb))
			var rec handlers.FeedbackRecord
			if err := json.Unmarshal(fb, &rec); err != nil || !rec.Helpful || rec.User != "UALICE" || rec.Channel != tc.channel || rec.Question != q {
				t.Errorf("feedback record %+v (%v)", rec, err)
			}
		})
	}
	// A click that carries an answer of another channel is refused.
	t.Run("cross-channel click", func(t *testing.T) {
		h := newHarness(t)
		h.sendEvent("EvE", mention(chanEmbargo, "UALICE", q, "1700000000.000030", ""))
		post := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
		id := buttonValue(t, post, bot.ActionHelpful)
		h.click(chanPublished, "UALICE", bot.ActionShare, id, "x1")
		h.click(chanPublished, "UALICE", bot.ActionHelpful, id, "x2")
		h.drain()
		if n := len(h.slack.Calls("chat.postMessage")); n != 1 {
			t.Errorf("embargoed answer shared to another channel")
		}
		if _, err := os.Stat(h.feedback); err == nil {
			t.Errorf("feedback stored for a cross-channel click")
		}
		for _, r := range append(h.responses("x1"), h.responses("x2")...) {
			if !strings.Contains(r.Text(), "expired") {
				t.Errorf("cross-channel click reply: %s", r.Text())
			}
		}
	})
}

type digestStub struct {
	channel string
	colls   []string
}

func (d *digestStub) PreviewDigest(_ context.Context, channel string, colls []string) (string, error) {
	d.channel, d.colls = channel, colls
	return "Today: 1 story <!channel> @here\n1. Bridge reopens [1]", nil
}

func TestSlashDigestPreview(t *testing.T) {
	stub := &digestStub{}
	h := newHarness(t, func(o *bot.Options) { o.Digest = stub })
	if ack := h.slash(chanEmbargo, "UALICE", "digest", "dg"); strings.Contains(ack, "later release") {
		t.Fatalf("ack %q with a composer", ack)
	}
	r := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	if r.Param("response_type") != "ephemeral" || !strings.Contains(r.Text(), "Bridge reopens [1]") ||
		strings.Contains(r.Text(), "<!channel>") || strings.Contains(r.Text(), "@here") {
		t.Errorf("digest preview: %s", r.Text())
	}
	if stub.channel != chanEmbargo || strings.Join(stub.colls, ",") != "published,embargoed" {
		t.Errorf("previewed for %s %v", stub.channel, stub.colls)
	}
}

// A channel configured with no collections sees nothing at all.
func TestChannelWithNoCollections(t *testing.T) {
	h := newHarness(t)
	h.sendEvent("EvNone", mention(chanNone, "UALICE", "When did Mick Baccio leave?", "1700000000.000050", ""))
	post := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
	h.slash(chanNone, "UALICE", "sources", "none-s")
	h.slash(chanNone, "UEDITOR", "add https://example.com/new", "none-a")
	h.drain()
	for what, text := range map[string]string{"answer": post.Text(), "sources": h.responses("none-s")[0].Text(), "add": h.responses("none-a")[0].Text()} {
		if strings.Contains(text, "example.com/baccio") || strings.Contains(text, "left the campaign") || strings.Contains(text, "Added") {
			t.Errorf("%s in a channel with no collections: %s", what, text)
		}
	}
}

// A question's words never become a metric label: every question counts as
// slash_ask, whatever its first word.
func TestSlashQuestionMetricNeverCarriesText(t *testing.T) {
	h := newHarness(t)
	for i, q := range []string{"embargoed-story-about-ceo-smith: who knew?", "Who replaced the CISO?", "Mayor resigned?"} {
		h.slash(chanPublished, "UALICE", q, fmt.Sprintf("m%d", i))
	}
	h.slack.Wait(t, "respond", 3, 10*time.Second)
	var m dto.Metric
	if err := h.bot.Metrics().Events.WithLabelValues("slash_ask", "accepted").Write(&m); err != nil || m.GetCounter().GetValue() != 3 {
		t.Errorf("slash_ask counted %v (%v), want 3", m.GetCounter().GetValue(), err)
	}
	ch := make(chan prometheus.Metric, 16)
	h.bot.Metrics().Events.Collect(ch)
	close(ch)
	if n := len(ch); n != 1 {
		t.Errorf("%d event series after three questions, want 1", n)
	}
}

// A question over the length limit gets a short reply saying what to do,
// not seconds of work and pages of answer.
func TestTooLongQuestionIsRefused(t *testing.T) {
	h := newHarness(t)
	long := "Who said " + strings.Repeat("the council and the mayor argued about money ", 30) + "?"
	h.slash(chanPublished, "UALICE", long, "long")
	resp := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	if !strings.Contains(resp.Text(), "too long to be one question") || !strings.Contains(resp.Text(), "under 1000 characters") {
		t.Errorf("reply to a %d-character question: %s", len(long), resp.Text())
	}
}

// A question that opens with a subcommand's word is asked, not swallowed.
func TestSlashQuestionsAreNotSwallowed(t *testing.T) {
	h := newHarness(t)
	for i, q := range []string{"help me find the council vote", "Sources say the mayor resigned", "ask help"} {
		if ack := h.slash(chanPublished, "UALICE", q, fmt.Sprintf("q%d", i)); !strings.Contains(ack, "Searching") {
			t.Errorf("%q: ack %q, want a search", q, ack)
		}
	}
	h.slack.Wait(t, "respond", 3, 10*time.Second)
	h.asker.mu.Lock()
	defer h.asker.mu.Unlock()
	var asked []string
	for _, r := range h.asker.reqs {
		asked = append(asked, r.Question)
	}
	slices.Sort(asked)
	if want := []string{"Sources say the mayor resigned", "help", "help me find the council vote"}; !slices.Equal(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
}

// A click on Helpful replaces the buttons with the vote, keeps a private
// answer's Share button, and a second click changes the vote: the export
// holds one vote per user per answer.
func TestFeedbackClickShowsTheVote(t *testing.T) {
	h := newHarness(t)
	h.slash(chanPublished, "UALICE", "When did Mick Baccio leave?", "q")
	ans := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	id := buttonValue(t, ans, bot.ActionHelpful)
	h.click(chanPublished, "UALICE", bot.ActionHelpful, id, "fb1")
	r := h.slack.Wait(t, "respond", 2, 10*time.Second)[1]
	if r.Param("replace_original") != "true" {
		t.Errorf("the vote does not replace the message: %+v", r.JSON)
	}
	golden(t, "vote.json", strings.ReplaceAll(r.Blocks(), id, "ANSWER_ID"))
	if blocks := r.Blocks(); !strings.Contains(blocks, "Thanks — recorded as helpful") ||
		strings.Contains(blocks, bot.ActionHelpful) || !strings.Contains(blocks, bot.ActionShare) {
		t.Errorf("after the click: %s", blocks)
	}
	h.click(chanPublished, "UALICE", bot.ActionNotHelpful, id, "fb2")
	h.slack.Wait(t, "respond", 3, 10*time.Second)
	var out strings.Builder
	if err := handlers.ExportVotes(context.Background(), &handlers.FileFeedback{Path: h.feedback}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var rec handlers.FeedbackRecord
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &rec) != nil || rec.Helpful {
		t.Errorf("export %q: want one vote, not helpful", lines)
	}
}

// After hostile input of every kind, /metrics holds no label value taken
// from a message: every series is one of a fixed set.
func TestMetricsLabelsAfterHostileInput(t *testing.T) {
	h := newHarness(t)
	hostile := "embargoed-story-about-ceo-smith <!channel> zeppelin"
	for i, text := range []string{hostile, "SOURCES " + hostile, "add " + hostile + "?", "check", "help " + hostile, "ask " + hostile} {
		h.slash(chanPublished, "UALICE", text, fmt.Sprintf("h%d", i))
	}
	h.sendEvent("EvH1", mention(chanPublished, "UALICE", hostile, "1700000800.000001", ""))
	h.sendEvent("EvH2", threadReply(chanPublished, "channel", "UBOB", hostile, "1700000800.000002", "1700000800.000009"))
	h.sendEvent("EvH3", map[string]any{"type": "message", "subtype": hostile, "channel": chanPublished, "channel_type": "channel", "user": "UBOB", "text": hostile, "ts": "1700000800.000003"})
	h.click(chanPublished, "UALICE", hostile, hostile, "hc")
	h.drain()
	srv := httptest.NewServer(h.bot.Metrics().Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	labelRe := regexp.MustCompile(`^(storybot_\w+)\{([^}]*)\}`)
	valueRe := regexp.MustCompile(`(\w+)="([^"]*)"`)
	allowed := regexp.MustCompile(`^(app_mention|message|http|slash_(help|ask|sources|add|digest|check)|accepted|ignored|duplicate|not_a_follow_up|shutting_down|unauthorized|answered|partial|not_covered|error|rate_limited|new|updated|unchanged|failed|[a-z]+\.[a-zA-Z.]+|response_url|[0-9.e+Inf]+)$`)
	series := 0
	for _, line := range strings.Split(string(body), "\n") {
		m := labelRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		series++
		for _, kv := range valueRe.FindAllStringSubmatch(m[2], -1) {
			if strings.Contains(strings.ToLower(kv[2]), "smith") || strings.Contains(kv[2], "zeppelin") || !allowed.MatchString(kv[2]) {
				t.Errorf("%s{%s=%q}: a label value from outside the fixed set", m[1], kv[1], kv[2])
			}
		}
	}
	if series == 0 {
		t.Fatalf("no labelled series scraped:\n%s", body)
	}
}
