package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/handlers"
)

func TestPostDigestEscapedAndSplit(t *testing.T) {
	h := newHarness(t)
	d := &handlers.Digest{Channel: chanPublished, Since: time.Now().Add(-24 * time.Hour), Now: time.Now(),
		Leads: []handlers.Lead{{Question: "who is <@U1>? @here"}}}
	for i := 0; i < 40; i++ {
		d.Stories = append(d.Stories, handlers.StoryItem{
			Headline: fmt.Sprintf("Story %d <!channel>", i), URL: fmt.Sprintf("https://example.com/%d", i),
			Summary: "It happened [1]. " + strings.Repeat("More & more. ", 300), Open: []string{"why @everyone"},
			Citations: []answer.Citation{{N: 1, Title: "T", Outlet: "O", URL: "https://example.com/c", Quote: "<http://evil|x>"}},
			Sources:   1, Outlets: []string{"O"},
		})
	}
	if err := h.bot.PostDigest(context.Background(), chanPublished, d); err != nil {
		t.Fatal(err)
	}
	posts := h.slack.Calls("chat.postMessage")
	if len(posts) < 2 {
		t.Fatalf("%d messages for a long digest", len(posts))
	}
	for i, p := range posts {
		text := p.Text()
		for _, bad := range []string{"<!channel>", "<@U1>", "<http://evil", "@here", "@everyone"} {
			if strings.Contains(text, bad) {
				t.Errorf("message %d contains %q", i, bad)
			}
		}
		if n := len(decodeBlocks(t, p.Blocks())); n > bot.MaxBlocks {
			t.Errorf("message %d: %d blocks", i, n)
		}
	}
	for _, m := range bot.RenderDigest(d) {
		for _, b := range m.Blocks {
			if s, ok := b.(*slack.SectionBlock); ok && len([]rune(s.Text.Text)) > bot.MaxSectionText {
				t.Errorf("section of %d characters", len([]rune(s.Text.Text)))
			}
		}
	}
	if !strings.Contains(posts[0].Text(), "<https://example.com/0|Story 0 &lt;!channel&gt;>") {
		t.Errorf("headline link: %s", posts[0].Text()[:400])
	}
}
