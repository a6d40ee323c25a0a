package bot_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/internal/slacktest"
)

// The same event delivered four times, concurrently, to two replicas that
// share one Claimer, plus its message twin, is answered once.
func TestSameEventTwoReplicasAnsweredOnce(t *testing.T) {
	fake := slacktest.New(t)
	svc, ing := newService(t)
	shared := bot.NewMemoryClaimer()
	a := newHarnessWith(t, fake, svc, ing, shared)
	b := newHarnessWith(t, fake, svc, ing, shared)
	ev := mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000001", "")
	twin := map[string]any{"type": "message", "channel": chanPublished, "channel_type": "channel", "user": "UALICE",
		"text": ev["text"], "ts": "1700000000.000001"}
	var wg sync.WaitGroup
	for i, h := range []*harness{a, b, a, b} {
		wg.Go(func() { h.sendEvent("EvSame", ev) })
		if i%2 == 0 {
			wg.Go(func() { h.sendEvent(fmt.Sprintf("EvTwin%d", i), twin) })
		}
	}
	wg.Wait()
	a.drain()
	b.drain()
	if n := len(fake.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("answered %d times, want once", n)
	}
	if n := len(a.asker.requests()) + len(b.asker.requests()); n != 1 {
		t.Fatalf("asked %d times, want once", n)
	}
}

// A mention in a DM arrives as app_mention and as message.im, with
// different event IDs: answered once.
func TestMentionAndMessageTwinsAnsweredOnce(t *testing.T) {
	h := newHarness(t)
	ts := "1700000000.000002"
	h.sendEvent("EvMention", map[string]any{"type": "app_mention", "channel": chanDM, "user": "UALICE",
		"text": "<@UBOT> When did Mick Baccio leave?", "ts": ts})
	h.sendEvent("EvMessage", map[string]any{"type": "message", "channel": chanDM, "channel_type": "im", "user": "UALICE",
		"text": "<@UBOT> When did Mick Baccio leave?", "ts": ts})
	h.drain()
	if n := len(h.slack.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("answered %d times, want once", n)
	}
}

func TestOwnAndBotMessagesIgnored(t *testing.T) {
	h := newHarness(t)
	q := "When did Mick Baccio leave?"
	events := map[string]map[string]any{
		"own bot_id":      {"type": "message", "channel": chanDM, "channel_type": "im", "user": slacktest.BotUserID, "bot_id": slacktest.BotID, "text": q, "ts": "1.1"},
		"own user":        {"type": "message", "channel": chanDM, "channel_type": "im", "user": slacktest.BotUserID, "text": q, "ts": "1.2"},
		"bot_message":     {"type": "message", "subtype": "bot_message", "channel": chanDM, "channel_type": "im", "bot_id": "BOTHER", "text": q, "ts": "1.3"},
		"other bot":       {"type": "app_mention", "channel": chanPublished, "user": "UOTHERBOT", "bot_id": "BOTHER", "text": "<@UBOT> " + q, "ts": "1.4"},
		"edit":            {"type": "message", "subtype": "message_changed", "channel": chanDM, "channel_type": "im", "text": q, "ts": "1.5", "message": map[string]any{"user": "UALICE", "text": q, "ts": "1.0"}},
		"join":            {"type": "message", "subtype": "channel_join", "channel": chanPublished, "channel_type": "channel", "user": "UALICE", "text": "<@UALICE> has joined", "ts": "1.6"},
		"channel chatter": {"type": "message", "channel": chanPublished, "channel_type": "channel", "user": "UALICE", "text": q, "ts": "1.7"},
		"edited mention":  {"type": "app_mention", "channel": chanPublished, "user": "UALICE", "text": "<@UBOT> " + q, "ts": "1.8", "edited": map[string]any{"user": "UALICE", "ts": "1.9"}},
	}
	for name, ev := range events {
		h.sendEvent("Ev-"+name, ev)
	}
	h.drain()
	if n := len(h.slack.Calls("chat.postMessage")); n != 0 {
		t.Fatalf("answered %d ignorable messages: %s", n, h.slack.Calls("chat.postMessage")[0].Text())
	}
}

// A follow-up in a thread carries the thread's earlier human questions.
func TestThreadFollowUpCarriesHistory(t *testing.T) {
	h := newHarness(t)
	parent := "1700000100.000100"
	h.slack.SetThread(chanPublished, parent,
		slacktest.Message{User: "UALICE", Text: "<@UBOT> Who left the Baccio campaign?", TS: parent},
		slacktest.Message{User: slacktest.BotUserID, BotID: slacktest.BotID, Text: "Mick Baccio left [1]", TS: "1700000101.000100"},
		slacktest.Message{User: "UBOB", Text: "<@UBOT> what was his job?", TS: "1700000102.000100"},
		slacktest.Message{User: "UALICE", Text: "<@UBOT> and when did he leave?", TS: "1700000103.000100"},
		slacktest.Message{User: "UALICE", Text: "later message", TS: "1700000200.000100"},
	)
	h.sendEvent("EvFollow", mention(chanPublished, "UALICE", "and when did he leave?", "1700000103.000100", parent))
	posts := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)
	if got := posts[0].Param("thread_ts"); got != parent {
		t.Errorf("answer thread_ts %q, want the thread %q", got, parent)
	}
	reqs := h.asker.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d asks", len(reqs))
	}
	want := []string{"Who left the Baccio campaign?", "what was his job?"}
	if fmt.Sprint(reqs[0].History) != fmt.Sprint(want) {
		t.Errorf("history %q, want %q", reqs[0].History, want)
	}
	// The bot's own earlier answer gives the names a pronoun may stand for.
	if want := []string{"Mick Baccio left"}; fmt.Sprint(reqs[0].Answers) != fmt.Sprint(want) {
		t.Errorf("earlier answers %q, want %q", reqs[0].Answers, want)
	}
	if reqs[0].Question != "and when did he leave?" {
		t.Errorf("question %q", reqs[0].Question)
	}
	if !strings.Contains(posts[0].Text(), "March") {
		t.Errorf("follow-up answer lacks the date: %s", posts[0].Text())
	}
}

// linkRe finds Slack links and pings in posted mrkdwn.
var linkRe = regexp.MustCompile(`<([^>]*)>`)

// Hostile article text can neither ping nor link.
func TestHostileArticleTextEscaped(t *testing.T) {
	h := newHarness(t)
	h.sendEvent("EvHostile", mention(chanPublished, "UALICE", "How many visitors did the zucchini festival draw?", "1700000000.000003", ""))
	posts := h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)
	text := posts[0].Text()
	if !strings.Contains(text, "4,000 visitors") {
		t.Fatalf("answer missing: %s", text)
	}
	for _, bad := range []string{"<!channel>", "<!here>", "<@U123>", "<@U999>", "<http://evil", "@here", "@channel", "@everyone"} {
		if strings.Contains(text, bad) {
			t.Errorf("posted text contains %q:\n%s", bad, text)
		}
	}
	for _, m := range linkRe.FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(m[1], "https://example.com/fest?a=1&amp;b=&lt;x&gt;%7C&lt;!channel&gt;|") {
			t.Errorf("unexpected link or ping %q", m[0])
		}
	}
	if !strings.Contains(text, "&lt;!channel&gt;") || !strings.Contains(text, "@\u200dhere") {
		t.Errorf("hostile text not shown escaped:\n%s", text)
	}
}

// A very long answer is split across sections and messages within Slack's
// limits, all in the thread, with the buttons at the end.
func TestLongAnswerSplitAcrossMessages(t *testing.T) {
	long := longAnswer(20000, 70)
	h := newHarness(t)
	h.asker.answer = long
	h.sendEvent("EvLong", mention(chanPublished, "UALICE", "tell me everything", "1700000000.000004", ""))
	h.drain()
	posts := h.slack.Calls("chat.postMessage")
	if len(posts) < 2 {
		t.Fatalf("%d messages, want the answer split over several", len(posts))
	}
	var all strings.Builder
	for i, p := range posts {
		if p.Param("thread_ts") != "1700000000.000004" {
			t.Errorf("message %d not in the thread", i)
		}
		blocks := decodeBlocks(t, p.Blocks())
		if len(blocks) > bot.MaxBlocks {
			t.Errorf("message %d has %d blocks", i, len(blocks))
		}
		for _, b := range blocks {
			if txt := sectionText(b); txt != "" {
				if n := len([]rune(txt)); n > bot.MaxSectionText {
					t.Errorf("section of %d characters", n)
				}
				all.WriteString(txt + " ")
			}
			if b["type"] == "actions" && i != len(posts)-1 {
				t.Errorf("buttons in message %d of %d", i, len(posts))
			}
		}
	}
	// The quote under each claim is set aside: the claims themselves must
	// all be there, in order.
	text := regexp.MustCompile(`> “[^”]*” \[\d+\]`).ReplaceAllString(all.String(), "")
	if got, want := strings.Join(strings.Fields(text), " "), strings.Join(strings.Fields(bot.Escape(long.Answer)), " "); !strings.Contains(got, want) {
		t.Errorf("answer text lost in splitting")
	}
}

// A user over the rate gets a friendly reply, not an answer.
func TestUserRateLimit(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.Access.UserRate = config.Rate{Count: 1, Per: time.Hour} })
	h.sendEvent("Ev1", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000005", ""))
	h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)
	h.sendEvent("Ev2", mention(chanPublished, "UALICE", "When did the bridge reopen?", "1700000000.000006", ""))
	posts := h.slack.Wait(t, "chat.postMessage", 2, 10*time.Second)
	if !strings.Contains(posts[1].Text(), "try again in") {
		t.Errorf("second question not rate limited: %s", posts[1].Text())
	}
	if n := len(h.asker.requests()); n != 1 {
		t.Errorf("asked %d times, want 1", n)
	}
	if ack := h.slash(chanPublished, "UALICE", "When did the bridge reopen?", "r1"); !strings.Contains(ack, "try again in") {
		t.Errorf("slash not rate limited: %q", ack)
	}
}

// A 429 on chat.postMessage is waited out (Retry-After) and retried; a
// dropped connection on a post is not retried, since it may have gone
// through; either way the failure is counted.
func TestSlackRateLimitAndConnectionErrors(t *testing.T) {
	t.Run("429", func(t *testing.T) {
		h := newHarness(t)
		h.slack.RateLimit("chat.postMessage", 1, 1)
		h.sendEvent("Ev429", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000007", ""))
		h.drain()
		posts := h.slack.Calls("chat.postMessage")
		if len(posts) != 2 {
			t.Fatalf("%d posts, want the rate-limited one and its retry", len(posts))
		}
		if gap := posts[1].At.Sub(posts[0].At); gap < 900*time.Millisecond {
			t.Errorf("retried after %s, before Retry-After", gap)
		}
		if !strings.Contains(metrics(t, h), `storybot_slack_rate_limited_total{method="chat.postMessage"} 1`) {
			t.Errorf("429 not counted")
		}
	})
	t.Run("channel stays blocked", func(t *testing.T) {
		h := newHarness(t)
		h.slack.RateLimit("reactions.add", 1, 1)
		h.sendEvent("Ev429b", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000008", ""))
		h.drain()
		r := h.slack.Calls("reactions.add")
		p := h.slack.Calls("chat.postMessage")
		// 👀 rate-limited, its retry, then the final state.
		if len(r) != 3 || len(p) != 1 {
			t.Fatalf("reactions %d, posts %d", len(r), len(p))
		}
		if p[0].At.Sub(r[0].At) < 900*time.Millisecond {
			t.Errorf("posted to a rate-limited channel %s after the 429", p[0].At.Sub(r[0].At))
		}
	})
	t.Run("connection dropped", func(t *testing.T) {
		h := newHarness(t)
		h.slack.DropConnection("chat.postMessage", 1)
		h.sendEvent("EvDrop", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000009", ""))
		h.drain()
		if n := len(h.slack.Calls("chat.postMessage")); n != 1 {
			t.Fatalf("%d posts after a dropped connection, want 1 (no blind retry)", n)
		}
		if !strings.Contains(metrics(t, h), `storybot_slack_api_errors_total{method="chat.postMessage"} 1`) {
			t.Errorf("error not counted")
		}
	})
}

// Shutdown waits for an answer in flight and it is delivered.
func TestShutdownFinishesInFlight(t *testing.T) {
	h := newHarness(t)
	h.asker.gate = make(chan struct{})
	h.asker.started = make(chan struct{}, 1)
	h.sendEvent("EvSlow", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000010", ""))
	<-h.asker.started
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- h.bot.Shutdown(ctx)
	}()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) with an answer in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	// New work is refused while shutting down, so Slack retries elsewhere.
	resp, _ := h.postSigned("/slack/events", "application/json",
		eventBody("EvLate", mention(chanPublished, "UBOB", "When did the bridge reopen?", "1700000000.000011", "")), secret, time.Time{})
	if resp.StatusCode != 503 {
		t.Errorf("event during shutdown: %d, want 503", resp.StatusCode)
	}
	close(h.asker.gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(h.slack.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("%d posts, want the in-flight answer", n)
	}
}

// Shutdown gives up at its deadline and cancels the work left.
func TestShutdownDeadline(t *testing.T) {
	h := newHarness(t)
	h.asker.gate = make(chan struct{})
	h.asker.started = make(chan struct{}, 1)
	h.sendEvent("EvStuck", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000012", ""))
	<-h.asker.started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := h.bot.Shutdown(ctx); err == nil {
		t.Fatal("Shutdown met its deadline with work stuck")
	}
}

// threadReply is a channel message in a thread, without a mention.
func threadReply(channel, channelType, user, text, ts, threadTS string) map[string]any {
	return map[string]any{"type": "message", "channel": channel, "channel_type": channelType, "user": user,
		"text": text, "ts": ts, "event_ts": ts, "thread_ts": threadTS}
}

// A reply in a thread the bot answered in is a follow-up, even without a
// mention, in public and private channels and group DMs; a reply in any
// other thread, a bot's reply, a reply that mentions the bot (its
// app_mention is answered) and a retried delivery are not answered again.
func TestThreadFollowUpsWithoutAMention(t *testing.T) {
	for _, ct := range []string{"channel", "group", "mpim"} {
		t.Run(ct, func(t *testing.T) {
			h := newHarness(t)
			parent := "1700000300.000100"
			h.sendEvent("EvAsk", mention(chanPublished, "UALICE", "Who left the Baccio campaign?", parent, ""))
			// The final reaction comes once the answer is posted and its
			// thread recorded.
			h.slack.Wait(t, "reactions.add", 2, 10*time.Second)
			h.slack.SetThread(chanPublished, parent,
				slacktest.Message{User: "UALICE", Text: "<@UBOT> Who left the Baccio campaign?", TS: parent},
				slacktest.Message{User: slacktest.BotUserID, BotID: slacktest.BotID, Text: "Mick Baccio left [1]", TS: "1700000301.000100"},
				slacktest.Message{User: "UBOB", Text: "and when did he leave?", TS: "1700000302.000100"},
			)
			follow := threadReply(chanPublished, ct, "UBOB", "and when did he leave?", "1700000302.000100", parent)
			h.sendEvent("EvFollow", follow)
			h.sendEvent("EvFollow", follow) // Slack's retry
			h.sendEvent("EvOther", threadReply(chanPublished, ct, "UBOB", "When did Mick Baccio leave?", "1700000402.000100", "1700000400.000100"))
			h.sendEvent("EvBot", map[string]any{"type": "message", "channel": chanPublished, "channel_type": ct, "user": "UOTHERBOT",
				"bot_id": "BOTHER", "text": "When did he leave?", "ts": "1700000303.000100", "thread_ts": parent})
			h.sendEvent("EvMentionTwin", threadReply(chanPublished, ct, "UALICE", "<@"+slacktest.BotUserID+"> and why?", "1700000304.000100", parent))
			h.drain()
			posts := h.slack.Calls("chat.postMessage")
			if len(posts) != 2 {
				t.Fatalf("%d answers, want the question's and one follow-up's", len(posts))
			}
			if posts[1].Param("thread_ts") != parent {
				t.Errorf("follow-up answered in thread %q, want %q", posts[1].Param("thread_ts"), parent)
			}
			reqs := h.asker.requests()
			last := reqs[len(reqs)-1]
			if last.Question != "and when did he leave?" || fmt.Sprint(last.History) != fmt.Sprint([]string{"Who left the Baccio campaign?"}) {
				t.Errorf("follow-up asked %q with history %q", last.Question, last.History)
			}
		})
	}
}

// With every answering slot taken, a question waits its turn and says so:
// ⏳ on a mention, a note for a slash command; both are answered once a
// slot frees, and the ⏳ gives way to 👀.
func TestQueuedQuestionsSaySo(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.MaxAnswers = 1 })
	h.asker.gate = make(chan struct{})
	h.asker.started = make(chan struct{}, 4)
	h.sendEvent("EvFirst", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000600.000001", ""))
	<-h.asker.started // the first holds the only slot
	h.sendEvent("EvSecond", mention(chanPublished, "UBOB", "When did the bridge reopen?", "1700000600.000002", ""))
	h.slash(chanPublished, "UCAROL", "When did the bridge reopen?", "queued")
	h.slack.Wait(t, "respond", 1, 10*time.Second)
	if r := h.responses("queued"); len(r) != 1 || !strings.Contains(r[0].Text(), "Queued") {
		t.Fatalf("slash while queued: %+v", r)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !hasReaction(h, "1700000600.000002", "hourglass_flowing_sand") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !hasReaction(h, "1700000600.000002", "hourglass_flowing_sand") {
		t.Fatalf("the queued mention shows no ⏳")
	}
	close(h.asker.gate)
	h.slack.Wait(t, "chat.postMessage", 2, 10*time.Second)
	h.slack.Wait(t, "respond", 2, 10*time.Second)
	h.drain()
	removed := false
	for _, c := range h.slack.Calls("reactions.remove") {
		removed = removed || c.Param("timestamp") == "1700000600.000002" && c.Param("name") == "hourglass_flowing_sand"
	}
	if !removed || !hasReaction(h, "1700000600.000002", "eyes") {
		t.Errorf("the ⏳ did not give way to 👀")
	}
}

func hasReaction(h *harness, ts, name string) bool {
	for _, c := range h.slack.Calls("reactions.add") {
		if c.Param("timestamp") == ts && c.Param("name") == name {
			return true
		}
	}
	return false
}

// Past the queue's bound a question is turned away at once with a message
// that says why and what to do, never dropped in silence, and still exactly
// once across Slack's retries.
func TestOverloadIsTurnedAwayWithAMessage(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.MaxAnswers, o.MaxQueue = 1, 1 })
	h.asker.gate = make(chan struct{})
	h.asker.started = make(chan struct{}, 4)
	h.sendEvent("EvRunning", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000700.000001", ""))
	<-h.asker.started // the only slot is taken
	if ack := h.slash(chanPublished, "UBOB", "When did the bridge reopen?", "waiting"); strings.Contains(ack, "busy") {
		t.Fatalf("the first waiting question was turned away: %q", ack)
	}
	ack := h.slash(chanPublished, "UCAROL", "When did the bridge reopen?", "shed")
	if !strings.Contains(ack, "busy") || !strings.Contains(ack, "ask again") {
		t.Errorf("slash past the queue's bound acked %q, want a busy message", ack)
	}
	shed := mention(chanPublished, "UDAN", "When did the bridge reopen?", "1700000700.000003", "")
	h.sendEvent("EvShed", shed)
	h.sendEvent("EvShed", shed) // Slack's retry
	h.slack.Wait(t, "chat.postMessage", 1, 10*time.Second)
	close(h.asker.gate)
	// The queue frees up as the answers go out: a question is taken again.
	taken := false
	for i := 0; i < 200 && !taken; i++ {
		taken = !strings.Contains(h.slash(chanPublished, "UERIN", "When did the bridge reopen?", "later"), "busy")
		if !taken {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !taken {
		t.Errorf("questions are still turned away after the rush")
	}
	h.drain()
	busy := 0
	for _, c := range h.slack.Calls("chat.postMessage") {
		if strings.Contains(c.Text(), "busy") {
			busy++
			if c.Param("thread_ts") != "1700000700.000003" {
				t.Errorf("busy reply outside the asker's thread: %q", c.Param("thread_ts"))
			}
		}
	}
	if busy != 1 {
		t.Errorf("%d busy replies to the turned-away mention, want exactly 1", busy)
	}
	if !hasReaction(h, "1700000700.000003", "warning") {
		t.Errorf("the turned-away mention shows no ⚠️")
	}
	if got := len(h.asker.requests()); got != 3 {
		t.Errorf("%d questions answered, want 3 (the running one, the waiting one, the later one)", got)
	}
}
