package bot_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
)

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"<!channel> hi", "&lt;!channel&gt; hi"},
		{"<!here|here>", "&lt;!here|here&gt;"},
		{"<@U123>", "&lt;@U123&gt;"},
		{"<http://evil|click>", "&lt;http://evil|click&gt;"},
		{"AT&T", "AT&amp;T"},
		{"&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"},
		{"@here and @Channel, @everyone!", "@\u200dhere and @\u200dChannel, @\u200deveryone!"},
		{"mail@heresy.org", "mail@heresy.org"},
	}
	for _, tc := range cases {
		if got := bot.Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var pingRe = regexp.MustCompile(`(?i)@(channel|here|everyone)\b`)

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"<!channel>", "@here", "a & b", "<http://x|y>", "&amp;", "@@here"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := bot.Escape(s)
		if strings.ContainsAny(out, "<>") {
			t.Fatalf("Escape(%q) = %q keeps < or >", s, out)
		}
		if pingRe.MatchString(out) {
			t.Fatalf("Escape(%q) = %q can ping", s, out)
		}
	})
}

func renderText(msgs []bot.Message) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(msgs[0].Blocks)
	return b.String()
}

func TestRenderNotCoveredFirst(t *testing.T) {
	a := &answer.Answer{
		Status:     answer.NotCovered,
		Answer:     "None of the sources names a replacement. They say the campaign retained a new security firm [1].",
		NotCovered: []string{"who replaced <!channel> Mick Baccio"},
		Citations:  []answer.Citation{{N: 1, Title: "T", Outlet: "O", URL: "javascript:alert(1)", Quote: "q", Published: "2024-01-02"}},
		Notes:      []string{"The index may be stale: store unreachable"},
	}
	msgs := bot.RenderAnswer(a, bot.RenderOptions{AnswerID: "abc"})
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	blocks := msgs[0].Blocks
	first, ok := blocks[0].(*slack.SectionBlock)
	if !ok || !strings.Contains(first.Text.Text, "Not covered by the sources") {
		t.Fatalf("first block is not the not-covered statement: %#v", blocks[0])
	}
	if !strings.Contains(first.Text.Text, "&lt;!channel&gt;") {
		t.Errorf("not-covered text not escaped: %s", first.Text.Text)
	}
	text := renderText(msgs)
	if strings.Contains(text, "<javascript") || !strings.Contains(text, "O — T") {
		t.Errorf("non-http URL linked: %s", text)
	}
	for _, want := range []string{"[1]", "O — T", "2024-01-02", "index may be stale", bot.ActionHelpful, bot.ActionNotHelpful} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered answer lacks %q: %s", want, text)
		}
	}
	if strings.Contains(text, bot.ActionShare) {
		t.Errorf("share button without Share")
	}
	if !strings.HasPrefix(msgs[0].Text, "Not covered by the sources.") {
		t.Errorf("fallback text %q", msgs[0].Text)
	}
}

func TestRenderPartialNotCoveredAfterAnswer(t *testing.T) {
	a := &answer.Answer{Status: answer.Partial, Answer: "He left in March [1].", NotCovered: []string{"why he left"},
		Citations: []answer.Citation{{N: 1, Title: "T", URL: "https://example.com/a", Quote: "He left in March."}}}
	text := renderText(bot.RenderAnswer(a, bot.RenderOptions{}))
	if i, j := strings.Index(text, "He left in March [1]"), strings.Index(text, "Not covered by the sources"); i < 0 || j < i {
		t.Errorf("want the answer, then what is not covered: %s", text)
	}
	if strings.Contains(text, "actions") {
		t.Errorf("buttons without an answer ID")
	}
}

// A weakly supported answer says so under the answer; a strong one does not.
func TestRenderLowSupport(t *testing.T) {
	a := &answer.Answer{Status: answer.Answered, Answer: "He left in March [1].", Confidence: 0.47, LowSupport: true,
		Citations: []answer.Citation{{N: 1, Title: "T", URL: "https://example.com/a", Quote: "He left in March."}}}
	text := renderText(bot.RenderAnswer(a, bot.RenderOptions{}))
	if i, j := strings.Index(text, "He left in March [1]"), strings.Index(text, "Weakly supported* (confidence 0.47)"); i < 0 || j < i {
		t.Errorf("want the answer, then the weak-support note: %s", text)
	}
	a.LowSupport, a.Confidence = false, 0.93
	if text := renderText(bot.RenderAnswer(a, bot.RenderOptions{})); strings.Contains(text, "Weakly supported") {
		t.Errorf("a strong answer marked weak: %s", text)
	}
}

// A model's claim shows the quote that supports it right under it; an
// extractive answer, which is its quote, shows none twice.
func TestRenderQuoteUnderClaim(t *testing.T) {
	a := &answer.Answer{Status: answer.Answered, Answer: "Baccio left the campaign [1]. He resigned on Tuesday [2].",
		Citations: []answer.Citation{
			{N: 1, Title: "T", URL: "https://example.com/a", Quote: "Mick Baccio, the campaign's <!here> security chief, stepped down"},
			{N: 2, Title: "U", URL: "https://example.com/b", Quote: "He resigned on Tuesday"},
		}}
	blocks := bot.RenderAnswer(a, bot.RenderOptions{})[0].Blocks
	var text string
	for _, b := range blocks {
		if sb, ok := b.(*slack.SectionBlock); ok && sb.Text != nil && strings.Contains(sb.Text.Text, "Baccio left") {
			text = sb.Text.Text
		}
	}
	want := "Baccio left the campaign [1].\n> “Mick Baccio, the campaign's &lt;!here&gt; security chief, stepped down” [1]"
	if !strings.Contains(text, want) {
		t.Errorf("answer section %q lacks the escaped quote under the claim", text)
	}
	if strings.Count(text, "He resigned on Tuesday") != 1 {
		t.Errorf("a claim that is its own quote is quoted again: %q", text)
	}
	// A not-covered answer's related fact holds its quote: not quoted again.
	nc := &answer.Answer{Status: answer.NotCovered, Answer: "None of the 2 sources found says who replaced him. What they do say: He resigned on Tuesday. [1]",
		NotCovered: []string{"who replaced him"}, Citations: []answer.Citation{{N: 1, Title: "U", Quote: "He resigned on Tuesday."}}}
	if text := renderText(bot.RenderAnswer(nc, bot.RenderOptions{})); strings.Count(text, "He resigned on Tuesday") != 2 { // the answer and the source list
		t.Errorf("a related fact is quoted again under itself: %s", text)
	}
}

func TestRenderLimits(t *testing.T) {
	for _, tc := range []struct{ chars, cites, max int }{{100, 1, 0}, {2999, 3, 0}, {9000, 10, 0}, {50000, 120, 0}, {50000, 120, 5}} {
		msgs := bot.RenderAnswer(longAnswer(tc.chars, tc.cites), bot.RenderOptions{AnswerID: "x", Share: true, MaxMessages: tc.max})
		if tc.max > 0 && len(msgs) > tc.max {
			t.Errorf("%d messages, want at most %d", len(msgs), tc.max)
		}
		for i, m := range msgs {
			if len(m.Blocks) > bot.MaxBlocks {
				t.Errorf("%+v: message %d has %d blocks", tc, i, len(m.Blocks))
			}
			for _, b := range m.Blocks {
				if s, ok := b.(*slack.SectionBlock); ok && len([]rune(s.Text.Text)) > bot.MaxSectionText {
					t.Errorf("%+v: section of %d characters", tc, len([]rune(s.Text.Text)))
				}
			}
		}
		last := msgs[len(msgs)-1].Blocks
		if _, ok := last[len(last)-1].(*slack.ActionBlock); !ok {
			t.Errorf("%+v: the last block is not the buttons", tc)
		}
	}
}
