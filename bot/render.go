package bot

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/handlers"
)

// Slack's limits on one message.
const (
	// MaxSectionText is the most characters a section block's text may hold.
	MaxSectionText = 3000
	// MaxBlocks is the most blocks one message may hold.
	MaxBlocks = 50
	// maxContextElements is the most elements one context block may hold.
	maxContextElements = 10
	// quoteLen bounds the quote shown under each source.
	quoteLen = 240
	// titleLen bounds a source's title.
	titleLen = 150
)

// Action IDs of the buttons storybot puts under an answer.
const (
	ActionHelpful    = "storybot_helpful"
	ActionNotHelpful = "storybot_not_helpful"
	// ActionCheck is the interaction of the "Check against sources"
	// message shortcut, whose callback ID is ShortcutCheck.
	ActionCheck   = "storybot_check"
	ShortcutCheck = "storybot_check"
	ActionShare   = "storybot_share"
)

// NotCoveredHeading introduces what the sources leave open.
const NotCoveredHeading = "*Not covered by the sources*"

// Message is one Slack message: blocks plus the plain fallback text Slack
// shows in notifications.
type Message struct {
	Text   string
	Blocks []slack.Block
}

// RenderOptions says which extras go under an answer.
type RenderOptions struct {
	// AnswerID is the button value that ties feedback and sharing back to the
	// answer; no buttons are drawn when it is empty.
	AnswerID string
	// Share adds the "Share to channel" button (private answers).
	Share bool
	// Question, when set, is shown above the answer (private and shared
	// answers, where the question is not in the thread).
	Question string
	// SharedBy names the user who shared the answer to the channel.
	SharedBy string
	// MaxMessages bounds how many messages the answer may take (a
	// response_url allows 5); 0 means no bound.
	MaxMessages int
	// Voted, after a feedback click, replaces the feedback buttons with a
	// note of the vote ("helpful", "not helpful").
	Voted string
}

var (
	atMentionRe = regexp.MustCompile(`(?i)@(channel|here|everyone)\b`)
	escaper     = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
)

// Escape makes untrusted text (article text, model output, user input) safe
// to put in Slack mrkdwn: &, < and > are escaped, so no <!channel>, <@U…>
// or <url|text> in it can ping or link, and a bare @channel, @here or
// @everyone gets a zero-width joiner after its @ so it cannot ping either.
func Escape(s string) string {
	s = escaper.Replace(s)
	return atMentionRe.ReplaceAllString(s, "@\u200d$1")
}

// linkURL returns a cited URL ready for <url|label>, or false when it is
// not an absolute http or https URL.
func linkURL(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	s := u.String()
	s = strings.NewReplacer("|", "%7C", " ", "%20", "\n", "", "\r", "").Replace(s)
	return escaper.Replace(s), true
}

// label makes text safe for the label of a <url|label> link.
func label(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(Escape(s), "|", "¦")
}

// shorten cuts s to at most n runes, ending in "…" when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func mrkdwn(text string) *slack.TextBlockObject {
	// verbatim: Slack must not auto-link names or URLs in the text.
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(text), nil, nil)
}

// sections splits already-escaped mrkdwn text into section blocks of at most
// MaxSectionText characters, breaking at paragraph, line or word boundaries
// and never inside an escape such as &amp;.
func sections(text string) []slack.Block {
	var out []slack.Block
	for _, part := range splitText(text, MaxSectionText) {
		out = append(out, section(part))
	}
	return out
}

// splitText cuts s into pieces of at most n characters (runes; Slack counts
// characters), preferring paragraph, then line, then word breaks.
func splitText(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		cut := byteIndexOfRune(s, n)
		head := s[:cut]
		at := -1
		for _, sep := range []string{"\n\n", "\n", ". ", " "} {
			if i := strings.LastIndex(head, sep); i > len(head)/3 {
				at = i + len(sep)
				break
			}
		}
		if at < 0 {
			at = cut
		}
		// Never split an entity (&amp; &lt; &gt;).
		if amp := strings.LastIndexByte(s[:at], '&'); amp >= 0 && amp > at-5 && !strings.Contains(s[amp:at], ";") {
			if amp > 0 {
				at = amp
			}
		}
		part := strings.TrimSpace(s[:at])
		if part != "" {
			out = append(out, part)
		}
		s = strings.TrimLeft(s[at:], " \n")
	}
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

func byteIndexOfRune(s string, n int) int {
	i := 0
	for pos := range s {
		if i == n {
			return pos
		}
		i++
	}
	return len(s)
}

// RenderAnswer turns an answer into one or more Slack messages: the answer
// with its [n] markers, what the sources leave open (first, when they do not
// answer at all), the numbered sources with short exact quotes, notes, and
// the feedback and share buttons. Every piece of article text and answer
// text is escaped; the only links are the cited sources' http(s) URLs. Each
// message keeps within Slack's limits of 50 blocks and 3,000 characters a
// section.
func RenderAnswer(a *answer.Answer, opt RenderOptions) []Message {
	var blocks []slack.Block
	if opt.Question != "" {
		q := "*Question:* " + Escape(shorten(strings.Join(strings.Fields(opt.Question), " "), 500))
		if opt.SharedBy != "" {
			q += "  _(shared by <@" + slackID(opt.SharedBy) + ">)_"
		}
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(q)))
	}
	notCovered := notCoveredBlocks(a)
	if a.Status == answer.NotCovered {
		blocks = append(blocks, notCovered...)
	}
	if text := strings.TrimSpace(a.Answer); text != "" {
		blocks = append(blocks, sections(withQuotes(a))...)
	}
	if a.LowSupport && a.Status != answer.NotCovered {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf(
			":grey_question: *Weakly supported* (confidence %.2f): check the quoted sources before using this.", a.Confidence))))
	}
	if a.Status != answer.NotCovered {
		blocks = append(blocks, notCovered...)
	}
	if len(a.Citations) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), section("*Sources*"))
		for _, c := range a.Citations {
			blocks = append(blocks, section(citation(c)))
		}
	}
	if len(a.Notes) > 0 {
		var els []slack.MixedElement
		for _, n := range a.Notes {
			if len(els) == maxContextElements {
				break
			}
			els = append(els, mrkdwn(":information_source: "+Escape(shorten(n, 300))))
		}
		blocks = append(blocks, slack.NewContextBlock("", els...))
	}
	var actions []slack.Block
	if opt.AnswerID != "" {
		var els []slack.BlockElement
		if opt.Share {
			els = append(els, slack.NewButtonBlockElement(ActionShare, opt.AnswerID,
				slack.NewTextBlockObject(slack.PlainTextType, "Share to channel", false, false)).WithStyle(slack.StylePrimary))
		}
		if opt.Voted == "" {
			els = append(els,
				slack.NewButtonBlockElement(ActionHelpful, opt.AnswerID, slack.NewTextBlockObject(slack.PlainTextType, "Helpful", true, false)),
				slack.NewButtonBlockElement(ActionNotHelpful, opt.AnswerID, slack.NewTextBlockObject(slack.PlainTextType, "Not helpful", true, false)),
			)
		}
		if len(els) > 0 {
			actions = append(actions, slack.NewActionBlock("storybot_answer_actions", els...))
		}
		if opt.Voted != "" {
			actions = append(actions, slack.NewContextBlock("", mrkdwn(":white_check_mark: Thanks — recorded as "+Escape(opt.Voted)+".")))
		}
	}
	return pack(blocks, actions, fallback(a), opt.MaxMessages)
}

// pack splits blocks into messages of at most MaxBlocks blocks, the tail
// blocks (buttons) at the end of the last one. With max > 0 the answer is
// cut to max messages, ending in a note that it was cut.
func pack(blocks, tail []slack.Block, text string, max int) []Message {
	var msgs []Message
	cur := []slack.Block{}
	for _, b := range blocks {
		if len(cur) == MaxBlocks {
			msgs = append(msgs, Message{Blocks: cur})
			cur = []slack.Block{}
		}
		cur = append(cur, b)
	}
	if len(cur)+len(tail) > MaxBlocks {
		msgs = append(msgs, Message{Blocks: cur})
		cur = []slack.Block{}
	}
	cur = append(cur, tail...)
	if len(cur) > 0 {
		msgs = append(msgs, Message{Blocks: cur})
	}
	if max > 0 && len(msgs) > max {
		last := msgs[max-1].Blocks
		keep := min(len(last), MaxBlocks-1-len(tail))
		last = append(append(last[:keep:keep], slack.NewContextBlock("", mrkdwn("_The answer was too long to show in full; ask a narrower question._"))), tail...)
		msgs = append(msgs[:max-1], Message{Blocks: last})
	}
	for i := range msgs {
		if i == 0 {
			msgs[i].Text = text
		} else {
			msgs[i].Text = "(continued)"
		}
	}
	return msgs
}

func notCoveredBlocks(a *answer.Answer) []slack.Block {
	if len(a.NotCovered) == 0 && a.Status != answer.NotCovered {
		return nil
	}
	var b strings.Builder
	b.WriteString(":warning: " + NotCoveredHeading)
	if a.Status == answer.NotCovered {
		b.WriteString("\nThe ingested sources do not answer this question.")
	}
	for _, nc := range a.NotCovered {
		b.WriteString("\n• " + Escape(strings.Join(strings.Fields(nc), " ")))
	}
	return sections(b.String())
}

// withQuotes renders the answer, escaped, with the quote that supports
// each claim right under it when the claim is not the quote itself.
func withQuotes(a *answer.Answer) string {
	var b strings.Builder
	for _, cl := range a.Claimed() {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(Escape(cl.Text))
		for _, c := range cl.Quotes {
			q := strings.Join(strings.Fields(c.Quote), " ")
			b.WriteString("\n> “" + Escape(shorten(q, quoteLen)) + "” [" + strconv.Itoa(c.N) + "]\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// citation renders one numbered source: a link (outlet, title, date) and a
// short exact quote.
func citation(c answer.Citation) string {
	title := shorten(strings.TrimSpace(c.Title), titleLen)
	if title == "" {
		title = "Untitled"
	}
	name := title
	if c.Outlet != "" {
		name = shorten(strings.TrimSpace(c.Outlet), 80) + " — " + title
	}
	var b strings.Builder
	b.WriteString("*[" + strconv.Itoa(c.N) + "]* ")
	if u, ok := linkURL(c.URL); ok {
		b.WriteString("<" + u + "|" + label(name) + ">")
	} else {
		b.WriteString(Escape(name))
	}
	if c.Published != "" {
		b.WriteString(" · " + Escape(c.Published))
	}
	if q := strings.Join(strings.Fields(c.Quote), " "); q != "" {
		b.WriteString("\n> “" + Escape(shorten(q, quoteLen)) + "”")
	}
	return b.String()
}

// fallback is the plain text Slack shows in notifications.
func fallback(a *answer.Answer) string {
	s := strings.Join(strings.Fields(a.Answer), " ")
	if a.Status == answer.NotCovered {
		s = "Not covered by the sources. " + s
	}
	return Escape(shorten(s, 300))
}

var idRe = regexp.MustCompile(`^[A-Z0-9]+$`)

// slackID returns id when it looks like a Slack user or channel ID, so it
// can go inside <@…> without injecting anything.
func slackID(id string) string {
	if idRe.MatchString(id) {
		return id
	}
	return "unknown"
}

// textMessage is a one-section message of already-escaped mrkdwn.
func textMessage(mrkdwnText string) Message {
	return Message{Text: shorten(mrkdwnText, 300), Blocks: sections(mrkdwnText)}
}

// RenderCheck turns the checked sentences of a draft into messages: a
// count, then every sentence marked supported (with its quote and
// source), contradicted (with the quote that says otherwise) or not
// found. All text is escaped; the only links are the sources' URLs.
func RenderCheck(res []handlers.SentenceCheck) []Message {
	count := map[string]int{}
	for _, r := range res {
		count[r.Verdict]++
	}
	head := fmt.Sprintf("*Checked against the sources:* %d supported, %d contradicted, %d not found.",
		count[handlers.Supported], count[handlers.Contradicted], count[handlers.NotFound])
	blocks := []slack.Block{section(head)}
	for _, r := range res {
		var b strings.Builder
		switch r.Verdict {
		case handlers.Supported:
			b.WriteString(":white_check_mark: *Supported:* ")
		case handlers.Contradicted:
			b.WriteString(":x: *Contradicted:* ")
		default:
			b.WriteString(":grey_question: *Not found in the sources:* ")
		}
		b.WriteString(Escape(shorten(strings.Join(strings.Fields(r.Sentence), " "), 600)))
		if c := r.Citation; c != nil {
			what := "says"
			if r.Verdict == handlers.Contradicted {
				what = "says instead"
			}
			b.WriteString("\n> “" + Escape(shorten(strings.Join(strings.Fields(c.Quote), " "), quoteLen)) + "”\n")
			src := citation(*c)
			if i := strings.Index(src, "\n"); i >= 0 {
				src = src[:i] // the source line, without the quote again
			}
			b.WriteString("— " + what + " " + strings.TrimPrefix(src, "*[1]* "))
		}
		blocks = append(blocks, sections(b.String())...)
	}
	return pack(blocks, nil, Escape(head), 0)
}
