package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/storybot/storybot/handlers"
)

// PostDigest posts a composed digest to a channel: each story's headline
// (linked), cited summary, what the sources leave open and its numbered
// sources, then the questions the sources could not answer. Text is
// escaped like answers, and long digests are split within Slack's limits.
func (b *Bot) PostDigest(ctx context.Context, channel string, d *handlers.Digest) error {
	for _, m := range RenderDigest(d) {
		if _, err := b.post(ctx, channel, "", m); err != nil {
			return fmt.Errorf("post digest to %s: %w", channel, err)
		}
	}
	return nil
}

// RenderDigest turns a digest into Slack messages.
func RenderDigest(d *handlers.Digest) []Message {
	text := d.Text()
	head, _, _ := strings.Cut(text, "\n")
	blocks := []slack.Block{section("*" + Escape(head) + "*")}
	for i, s := range d.Stories {
		title := Escape(shorten(s.Headline, titleLen))
		if u, ok := linkURL(s.URL); ok {
			title = "<" + u + "|" + label(shorten(s.Headline, titleLen)) + ">"
		}
		var sb strings.Builder
		sb.WriteString("*" + strconv.Itoa(i+1) + ".* " + title + "\n" + Escape(s.Summary))
		src := fmt.Sprintf("%d source", s.Sources)
		if s.Sources != 1 {
			src += "s"
		}
		if len(s.Outlets) > 0 {
			src += ": " + strings.Join(s.Outlets, ", ")
		}
		sb.WriteString("\n_" + Escape(src+" · "+s.Dates()) + "_")
		if len(s.Open) > 0 {
			sb.WriteString("\n" + NotCoveredHeading)
			for _, o := range s.Open {
				sb.WriteString("\n• " + Escape(o))
			}
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(sb.String())...)
		var cites []string
		for _, c := range s.Citations {
			cites = append(cites, citation(c))
		}
		if len(cites) > 0 {
			blocks = append(blocks, sections(strings.Join(cites, "\n"))...)
		}
	}
	if d.More > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("…and %d more.", d.More))))
	}
	if len(d.Leads) > 0 {
		var sb strings.Builder
		sb.WriteString("*Questions the sources could not answer*")
		for _, l := range d.Leads {
			sb.WriteString("\n• " + Escape(shorten(l.Question, 300)))
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(sb.String())...)
	}
	return pack(blocks, nil, Escape(shorten(head, 300)), 0)
}
