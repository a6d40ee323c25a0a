package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/internal/sharedredis"
	"github.com/storybot/storybot/internal/slacktest"
)

// twoReplicas starts two bots over one index, one fake Slack and one
// shared Redis, each with its own claimer: replicas of one deployment.
func twoReplicas(t *testing.T, opts ...harnessOption) (*slacktest.Server, *harness, *harness) {
	t.Helper()
	shared := sharedredis.Open(t)
	fake := slacktest.New(t)
	opts = append(opts, func(o *bot.Options) { o.Shared = shared })
	svc, ing := newService(t)
	a := newHarnessWith(t, fake, svc, ing, bot.NewMemoryClaimer(), opts...)
	b := newHarnessWith(t, fake, svc, ing, bot.NewMemoryClaimer(), opts...)
	return fake, a, b
}

// A user's question rate counts across replicas.
func TestUserRateLimitAcrossReplicas(t *testing.T) {
	fake, a, b := twoReplicas(t, func(o *bot.Options) { o.Access.UserRate = config.Rate{Count: 1, Per: time.Hour} })
	a.sendEvent("EvA", mention(chanPublished, "UBOB", "When did Mick Baccio leave?", "1700000001.000001", ""))
	fake.Wait(t, "chat.postMessage", 1, 10*time.Second)
	b.sendEvent("EvB", mention(chanPublished, "UBOB", "When did the bridge reopen?", "1700000001.000002", ""))
	posts := fake.Wait(t, "chat.postMessage", 2, 10*time.Second)
	if !strings.Contains(posts[1].Text(), "try again in") {
		t.Errorf("the other replica did not count the first question: %s", posts[1].Text())
	}
	if n := len(b.asker.requests()); n != 0 {
		t.Errorf("replica b asked %d questions", n)
	}
}

// A 429 that one replica gets pauses every replica's calls to that channel.
func TestSlackRateLimitAcrossReplicas(t *testing.T) {
	fake, a, b := twoReplicas(t)
	fake.RateLimit("reactions.add", 1, 2)
	a.sendEvent("EvR1", mention(chanPublished, "UALICE", "When did Mick Baccio leave?", "1700000002.000001", ""))
	fake.Wait(t, "reactions.add", 1, 10*time.Second)
	// Let replica a take in the 429 (count it, record the pause) before b asks.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(metrics(t, a), `storybot_slack_rate_limited_total{method="reactions.add"} 1`) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	b.sendEvent("EvR2", mention(chanPublished, "UCAROL", "When did Mick Baccio leave?", "1700000002.000002", ""))
	a.drain()
	b.drain()
	first := fake.Calls("reactions.add")[0].At
	for _, c := range fake.Calls("chat.postMessage") {
		if c.At.Sub(first) < 1800*time.Millisecond {
			t.Errorf("a replica posted %s after another got a 2 s Retry-After for the channel", c.At.Sub(first))
		}
	}
	if n := len(fake.Calls("chat.postMessage")); n != 2 {
		t.Errorf("%d answers posted, want 2", n)
	}
}

// Share clicked on another replica than the one that answered still works:
// the answer is kept in the shared store.
func TestShareOnAnotherReplica(t *testing.T) {
	fake, a, b := twoReplicas(t)
	a.slash(chanPublished, "UALICE", "When did Mick Baccio leave?", "q1")
	resp := fake.Wait(t, "respond", 1, 10*time.Second)[0]
	id := buttonValue(t, resp, bot.ActionShare)
	b.click(chanPublished, "UALICE", bot.ActionShare, id, "share1")
	post := fake.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
	if !strings.Contains(post.Text(), "shared by <@UALICE>") || !strings.Contains(post.Text(), "Baccio") {
		t.Errorf("shared answer: %s", post.Text())
	}
}

// A thread answered by one replica takes follow-ups on the other, and a
// follow-up delivered to both is answered once.
func TestThreadFollowUpOnAnotherReplica(t *testing.T) {
	shared := sharedredis.Open(t)
	fake := slacktest.New(t)
	svc, ing := newService(t)
	claimer := bot.StoreClaimer(shared)
	opt := func(o *bot.Options) { o.Shared = shared }
	a := newHarnessWith(t, fake, svc, ing, claimer, opt)
	b := newHarnessWith(t, fake, svc, ing, claimer, opt)
	parent := "1700000500.000100"
	a.sendEvent("EvAsk", mention(chanPublished, "UALICE", "Who left the Baccio campaign?", parent, ""))
	fake.Wait(t, "reactions.add", 2, 10*time.Second)
	follow := threadReply(chanPublished, "channel", "UBOB", "and when did he leave?", "1700000502.000100", parent)
	b.sendEvent("EvFollow", follow)
	a.sendEvent("EvFollow", follow)
	fake.Wait(t, "chat.postMessage", 2, 10*time.Second)
	a.drain()
	b.drain()
	if n := len(fake.Calls("chat.postMessage")); n != 2 {
		t.Errorf("%d posts, want the answer and one follow-up answer", n)
	}
	if n := len(a.asker.requests()) + len(b.asker.requests()); n != 2 {
		t.Errorf("%d questions asked, want 2", n)
	}
}
