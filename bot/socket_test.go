package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/internal/slacktest"
)

// runBot runs b on a local listener until the test ends; it returns the
// listener's base URL and the channel Run's result arrives on.
func runBot(t *testing.T, b *bot.Bot) (string, context.CancelFunc, chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, ln, 5*time.Second) }()
	t.Cleanup(cancel)
	return "http://" + ln.Addr().String(), cancel, done
}

func socketBot(t *testing.T, fake *slacktest.Server) *bot.Bot {
	t.Helper()
	svc, ing := newService(t)
	b, err := bot.New(bot.Options{
		BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: fake.APIURL(),
		Asker:    svc,
		Checker:  svc,
		Sources:  &handlers.Sources{Index: svc.Index, Ingester: ing},
		Feedback: &handlers.Feedback{Store: handlers.NewFileFeedback(t.TempDir()), Index: svc.Index},
		Access:   config.Access{DefaultCollections: []string{"published"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSocketMode(t *testing.T) {
	fake := slacktest.New(t)
	b := socketBot(t, fake)
	base, cancel, done := runBot(t, b)
	waitFor(t, "socket connection", fake.Connected)
	waitFor(t, "readiness", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	// An event is acknowledged (with no payload) and answered by the Web API.
	ev := json.RawMessage(eventBody("EvSock", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000000.000040", "")))
	fake.Send(t, map[string]any{"envelope_id": "env-1", "type": "events_api", "payload": ev, "retry_attempt": 0})
	if ack := fake.WaitAck(t, "env-1", 5*time.Second); len(ack.Payload) != 0 && string(ack.Payload) != "null" {
		t.Errorf("event ack carries a payload: %s", ack.Payload)
	}
	post := fake.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
	if !strings.Contains(post.Text(), "left the campaign in March") || post.Param("thread_ts") != "1700000000.000040" {
		t.Errorf("socket answer: thread %q %s", post.Param("thread_ts"), post.Text())
	}
	// Slack's retry of the same event is acknowledged, not answered again.
	fake.Send(t, map[string]any{"envelope_id": "env-2", "type": "events_api", "payload": ev, "retry_attempt": 1, "retry_reason": "timeout"})
	fake.WaitAck(t, "env-2", 5*time.Second)

	// A slash command's ack carries only the short private note.
	fake.Send(t, map[string]any{"envelope_id": "env-3", "type": "slash_commands", "payload": map[string]any{
		"command": "/story", "text": "When did the bridge reopen?", "channel_id": chanPublished, "user_id": "UALICE",
		"response_url": fake.ResponseURL("sock-q"),
	}})
	ack := fake.WaitAck(t, "env-3", 5*time.Second)
	if !strings.Contains(string(ack.Payload), "Searching") || strings.Contains(string(ack.Payload), "Monday") {
		t.Errorf("slash ack payload: %s", ack.Payload)
	}
	resp := fake.Wait(t, "respond", 1, 10*time.Second)[0]
	if !strings.Contains(resp.Text(), "Monday") {
		t.Errorf("slash answer: %s", resp.Text())
	}

	// A click is acknowledged and handled.
	fake.Send(t, map[string]any{"envelope_id": "env-4", "type": "interactive", "payload": map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "UALICE"}, "channel": map[string]any{"id": chanPublished},
		"response_url": fake.ResponseURL("sock-fb"),
		"actions":      []map[string]any{{"type": "button", "action_id": bot.ActionHelpful, "block_id": "storybot_answer_actions", "value": buttonValue(t, post, bot.ActionHelpful)}},
	}})
	fake.WaitAck(t, "env-4", 5*time.Second)
	if r := fake.Wait(t, "respond", 2, 10*time.Second)[1]; !strings.Contains(r.Text(), "Thanks") {
		t.Errorf("feedback reply: %s", r.Text())
	}

	// The "Check against sources" shortcut is acknowledged and answered
	// privately.
	fake.Send(t, map[string]any{"envelope_id": "env-5", "type": "interactive", "payload": map[string]any{
		"type": "message_action", "callback_id": bot.ShortcutCheck, "user": map[string]any{"id": "UEDITOR"},
		"channel": map[string]any{"id": chanPublished}, "response_url": fake.ResponseURL("sock-check"),
		"message": map[string]any{"type": "message", "user": "UALICE", "ts": "1700000900.000200", "text": draft},
	}})
	fake.WaitAck(t, "env-5", 5*time.Second)
	golden(t, "check.json", fake.Wait(t, "respond", 3, 10*time.Second)[2].Blocks())

	// The Slack HTTP endpoints are not served in Socket Mode.
	r, err := http.Post(base+"/slack/events", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	if r.StatusCode == 200 {
		t.Errorf("/slack/events served in Socket Mode")
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want 1 (the retry must not be answered)", n)
	}
}

func TestSocketModeRevokedAppToken(t *testing.T) {
	fake := slacktest.New(t)
	fake.SetAppAuthError("token_revoked")
	_, _, done := runBot(t, socketBot(t, fake))
	select {
	case err := <-done:
		if !errors.Is(err, bot.ErrAuth) {
			t.Fatalf("Run: %v, want ErrAuth", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run kept going with a revoked app token")
	}
}

func TestBadBotTokenStopsRun(t *testing.T) {
	fake := slacktest.New(t)
	fake.SetAuthError("invalid_auth")
	svc, _ := newService(t)
	b, err := bot.New(bot.Options{BotToken: "xoxb-bad", SigningSecret: secret, APIURL: fake.APIURL(), Asker: svc})
	if err != nil {
		t.Fatal(err)
	}
	_, _, done := runBot(t, b)
	err = <-done
	if !errors.Is(err, bot.ErrAuth) || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || strings.Contains(err.Error(), "xoxb-bad") {
		t.Fatalf("Run: %v", err)
	}
}

// Over Socket Mode too: a reply in a thread the bot answered in is a
// follow-up without a mention, and a question that opens with a
// subcommand's word is asked.
func TestSocketModeFollowUpAndCommands(t *testing.T) {
	fake := slacktest.New(t)
	_, cancel, done := runBot(t, socketBot(t, fake))
	waitFor(t, "socket connection", fake.Connected)
	parent := "1700000700.000100"
	send := func(env string, ev map[string]any) {
		fake.Send(t, map[string]any{"envelope_id": env, "type": "events_api", "payload": json.RawMessage(eventBody("Ev"+env, ev))})
		fake.WaitAck(t, env, 5*time.Second)
	}
	send("s1", mention(chanPublished, "UALICE", "Who left the Baccio campaign?", parent, ""))
	fake.Wait(t, "reactions.add", 2, 10*time.Second)
	send("s2", threadReply(chanPublished, "channel", "UBOB", "and when did he leave?", "1700000701.000100", parent))
	posts := fake.Wait(t, "chat.postMessage", 2, 10*time.Second)
	if posts[1].Param("thread_ts") != parent || !strings.Contains(posts[1].Text(), "March") {
		t.Errorf("follow-up answer in thread %q: %s", posts[1].Param("thread_ts"), posts[1].Text())
	}
	fake.Send(t, map[string]any{"envelope_id": "s3", "type": "slash_commands", "payload": map[string]any{
		"command": "/story", "text": "help me find when the bridge reopened", "channel_id": chanPublished, "user_id": "UALICE",
		"response_url": fake.ResponseURL("s3"),
	}})
	if ack := fake.WaitAck(t, "s3", 5*time.Second); !strings.Contains(string(ack.Payload), "Searching") {
		t.Errorf("a question opening with \"help\" was not asked: %s", ack.Payload)
	}
	if r := fake.Wait(t, "respond", 1, 10*time.Second)[0]; !strings.Contains(r.Text(), "Monday") {
		t.Errorf("answer: %s", r.Text())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
