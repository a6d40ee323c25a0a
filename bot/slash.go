package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
)

// command is one `/story` invocation, whichever transport brought it.
type command struct {
	channel     string
	user        string
	text        string
	responseURL string
}

// responseURLUses is how many messages one response_url accepts.
const responseURLUses = 5

// onSlash acknowledges a `/story` command at once, returning the short
// private text of the acknowledgement, and does the work in the background,
// answering through the response_url.
func (b *Bot) onSlash(cmd command) string {
	sub, rest := parseSlash(cmd.text)
	if sub == "ask" {
		cmd.text = rest
	}
	var work func(ctx context.Context)
	var ack string
	switch sub {
	case "help":
		b.metrics.Events.WithLabelValues("slash_help", "accepted").Inc()
		return helpText
	case "sources":
		if b.opt.Sources == nil {
			return "Listing sources is turned off on this server."
		}
		ack = ":mag: Looking…"
		work = func(ctx context.Context) { b.slashSources(ctx, cmd, rest) }
	case "add":
		if b.opt.Sources == nil || b.opt.Sources.Ingester == nil {
			return "Adding articles is turned off on this server."
		}
		if !b.opt.Access.CanAdd(cmd.user, cmd.channel) {
			return ":no_entry: You can't add articles here. Ask an editor, or use a channel where adding is allowed."
		}
		if rest == "" {
			return "Usage: `/story add URL`"
		}
		ack = ":inbox_tray: Fetching…"
		work = func(ctx context.Context) { b.slashAdd(ctx, cmd, rest) }
	case "check":
		if b.opt.Checker == nil {
			return "Checking drafts is turned off on this server."
		}
		if rest == "" {
			return "Usage: `/story check TEXT` — paste the sentences to check against the sources."
		}
		ack = ":mag: Checking each sentence against the sources…"
		work = func(ctx context.Context) { b.checkDraft(ctx, rest, cmd.channel, cmd.responseURL) }
	case "digest":
		if b.opt.Digest == nil {
			return "Digest previews arrive in a later release of storybot."
		}
		ack = ":newspaper: Preparing the digest…"
		work = func(ctx context.Context) { b.slashDigest(ctx, cmd) }
	default: // "ask"
		if wait, ok := b.users.allow(context.Background(), cmd.user); !ok {
			b.metrics.Questions.WithLabelValues("rate_limited").Inc()
			return rateLimitText(wait)
		}
		if !b.admit() {
			b.metrics.Events.WithLabelValues("slash_ask", "busy").Inc()
			return b.busyText()
		}
		ack = ":mag: Searching…"
		work = func(ctx context.Context) { defer b.done(); b.slashAsk(ctx, cmd) }
	}
	if !b.spawn(work) {
		if sub == "ask" {
			b.done()
		}
		return ":warning: storybot is restarting; please try again in a moment."
	}
	// sub is one of parseSlash's fixed names: metrics never carry text.
	b.metrics.Events.WithLabelValues("slash_"+sub, "accepted").Inc()
	return ack
}

// parseSlash tells a subcommand from a question. A subcommand is its exact
// first word followed by nothing or by its own argument form: "help" and
// "digest" alone; "sources" alone, with "about", "on", "for" or
// "matching" and terms, or with one or two keywords; "add" with a URL and
// an optional collection. "ask" always asks. Anything else is a question,
// so "help me find the council vote" and "Sources say the mayor resigned"
// are asked. "check" takes any text: the draft to check. sub is "help",
// "sources", "add", "digest", "check" or "ask"; rest is the argument, or
// the question.
func parseSlash(text string) (sub, rest string) {
	text = strings.TrimSpace(text)
	first, after, _ := strings.Cut(text, " ")
	after = strings.TrimSpace(after)
	words := strings.Fields(after)
	asks := strings.HasSuffix(after, "?")
	switch strings.ToLower(first) {
	case "":
		return "help", ""
	case "help", "digest":
		if after == "" {
			return strings.ToLower(first), ""
		}
	case "check":
		return "check", after
	case "ask":
		if after == "" {
			return "help", ""
		}
		return "ask", after
	case "sources":
		if after == "" {
			return "sources", ""
		}
		if w := strings.ToLower(words[0]); len(words) > 1 && (w == "about" || w == "on" || w == "for" || w == "matching") {
			return "sources", strings.Join(words[1:], " ")
		}
		if len(words) <= 2 && !asks {
			return "sources", after
		}
	case "add":
		if len(words) <= 2 && !asks {
			return "add", after
		}
	}
	return "ask", text
}

func (b *Bot) slashAsk(ctx context.Context, cmd command) {
	start := time.Now()
	question := cleanQuestion(cmd.text)
	uses := responseURLUses
	release, ok := b.turn(ctx, func() {
		uses-- // the note takes one of the response_url's messages
		_ = b.respond(ctx, cmd.responseURL, textMessage(":hourglass_flowing_sand: Queued behind other questions; your answer follows."), false, false, false)
	})
	if !ok {
		_ = b.respond(ctx, cmd.responseURL, textMessage(failureText(ctx.Err())), false, false, false)
		return
	}
	defer release()
	ans, err := b.ask(ctx, cmd.channel, cmd.user, question, b.opt.Access.Collections(cmd.channel), nil)
	if err != nil {
		_ = b.respond(ctx, cmd.responseURL, textMessage(failureText(err)), false, false, false)
		return
	}
	id := b.answers.put(&answerRecord{answer: ans, question: question, channel: cmd.channel, user: cmd.user, private: true})
	opt := RenderOptions{AnswerID: id, Share: true, Question: question, MaxMessages: uses}
	for _, m := range RenderAnswer(ans, opt) {
		if err := b.respond(ctx, cmd.responseURL, m, false, false, false); err != nil {
			return
		}
	}
	b.metrics.AnswerSeconds.Observe(time.Since(start).Seconds())
}

func (b *Bot) slashSources(ctx context.Context, cmd command, terms string) {
	terms = cleanQuestion(terms)
	items := b.opt.Sources.List(ctx, handlers.ListRequest{Terms: terms, Collections: b.opt.Access.Collections(cmd.channel)})
	_ = b.respond(ctx, cmd.responseURL, renderSources(terms, items), false, false, false)
}

func (b *Bot) slashAdd(ctx context.Context, cmd command, arg string) {
	colls := b.opt.Access.Collections(cmd.channel)
	url, coll, _ := strings.Cut(arg, " ")
	coll = strings.TrimSpace(coll)
	switch {
	case len(colls) == 0:
		_ = b.respond(ctx, cmd.responseURL, textMessage(":no_entry: This channel can't see any collection, so it can't add articles."), false, false, false)
		return
	case coll == "":
		coll = colls[0]
	case !slices.Contains(colls, coll):
		_ = b.respond(ctx, cmd.responseURL, textMessage(fmt.Sprintf(
			":no_entry: This channel can't file articles under %s.", Escape(coll))), false, false, false)
		return
	}
	res, err := b.opt.Sources.Add(ctx, handlers.AddRequest{URL: url, Collection: coll}, colls)
	if err != nil {
		b.metrics.Ingested.WithLabelValues(string(retrieval.Failed)).Inc()
		msg := ":warning: " + Escape(forPeople(err))
		if !errors.Is(err, handlers.ErrBadURL) && !errors.Is(err, handlers.ErrNothingRead) && !errors.Is(err, handlers.ErrAddDisabled) {
			b.log.Warn("story add failed", "err", err)
		}
		_ = b.respond(ctx, cmd.responseURL, textMessage(msg), false, false, false)
		return
	}
	b.metrics.Ingested.WithLabelValues(string(res.Outcome)).Inc()
	title := "“" + Escape(shorten(res.Title, titleLen)) + "”"
	var msg string
	switch res.Outcome {
	case retrieval.New:
		msg = ":white_check_mark: Added " + title + " to " + Escape(coll) + "."
	case retrieval.Updated:
		msg = ":arrows_counterclockwise: Updated " + title + "."
	case retrieval.Unchanged:
		msg = ":ballot_box_with_check: " + title + " is already in the index, unchanged."
	case retrieval.Duplicate:
		msg = ":link: Added " + title + " as a copy of an article already in the index"
		if res.CopyOf != "" {
			msg += ": “" + Escape(shorten(res.CopyOf, titleLen)) + "”"
		}
		msg += "."
	default:
		msg = "Done: " + title
	}
	_ = b.respond(ctx, cmd.responseURL, textMessage(msg), false, false, false)
}

func (b *Bot) slashDigest(ctx context.Context, cmd command) {
	text, err := b.opt.Digest.PreviewDigest(ctx, cmd.channel, b.opt.Access.Collections(cmd.channel))
	if err != nil {
		b.log.Warn("digest preview failed", "err", err)
		_ = b.respond(ctx, cmd.responseURL, textMessage(":warning: Sorry, the digest preview failed. Please try again later."), false, false, false)
		return
	}
	if strings.TrimSpace(text) == "" {
		text = "No new stories for the digest."
	}
	m := Message{Text: "Digest preview", Blocks: sections(Escape(text))}
	if len(m.Blocks) > MaxBlocks {
		m.Blocks = m.Blocks[:MaxBlocks]
	}
	_ = b.respond(ctx, cmd.responseURL, m, false, false, false)
}

// renderSources lists articles: a link (outlet, title) and date each.
func renderSources(terms string, items []handlers.SourceItem) Message {
	var sb strings.Builder
	if terms != "" {
		sb.WriteString("*Sources matching “" + Escape(shorten(terms, 200)) + "”*")
	} else {
		sb.WriteString("*Newest sources this channel can see*")
	}
	if len(items) == 0 {
		sb.WriteString("\nNo ingested articles match.")
	}
	for _, it := range items {
		name := shorten(strings.TrimSpace(it.Title), titleLen)
		if name == "" {
			name = "Untitled"
		}
		if it.Outlet != "" {
			name = shorten(strings.TrimSpace(it.Outlet), 80) + " — " + name
		}
		sb.WriteString("\n• ")
		if u, ok := linkURL(it.URL); ok {
			sb.WriteString("<" + u + "|" + label(name) + ">")
		} else {
			sb.WriteString(Escape(name))
		}
		if !it.Published.IsZero() {
			sb.WriteString(" · " + it.Published.Format("2006-01-02"))
		}
	}
	return textMessage(sb.String())
}

// interaction is one button click.
type interaction struct {
	actionID    string
	value       string
	user        string
	channel     string
	responseURL string
}

// onInteraction acknowledges a click at once and acts in the background.
func (b *Bot) onInteraction(in interaction) {
	switch in.actionID {
	case ActionShare, ActionHelpful, ActionNotHelpful:
	case ActionCheck:
		if b.opt.Checker == nil {
			return
		}
		b.spawn(func(ctx context.Context) { b.checkDraft(ctx, in.value, in.channel, in.responseURL) })
		return
	default:
		return
	}
	b.spawn(func(ctx context.Context) {
		rec := b.answers.get(in.value)
		if rec == nil || (in.channel != "" && rec.channel != in.channel) {
			_ = b.respond(ctx, in.responseURL, textMessage("That answer has expired. Please ask again."), false, false, false)
			return
		}
		if in.actionID == ActionShare {
			b.share(ctx, in, rec)
			return
		}
		b.feedback(ctx, in, rec)
	})
}

func (b *Bot) share(ctx context.Context, in interaction, rec *answerRecord) {
	opt := RenderOptions{Question: rec.question, SharedBy: in.user}
	if b.opt.Feedback != nil {
		opt.AnswerID = in.value
	}
	msgs := RenderAnswer(rec.answer, opt)
	for i, m := range msgs {
		if _, err := b.post(ctx, rec.channel, "", m); err != nil {
			if i == 0 && notInChannel(err) { // share through the response_url instead
				for _, m := range msgs[:min(len(msgs), responseURLUses)] {
					if b.respond(ctx, in.responseURL, m, true, false, false) != nil {
						break
					}
				}
			}
			return
		}
	}
	_ = b.respond(ctx, in.responseURL, Message{}, false, false, true)
}

func (b *Bot) feedback(ctx context.Context, in interaction, rec *answerRecord) {
	if b.opt.Feedback == nil {
		return
	}
	helpful := in.actionID == ActionHelpful
	err := b.opt.Feedback.Record(ctx, handlers.FeedbackRequest{
		Helpful:     helpful,
		User:        in.user,
		Channel:     rec.channel,
		AnswerID:    in.value,
		Answer:      rec.answer,
		Collections: b.opt.Access.Collections(rec.channel),
	})
	if err != nil {
		b.log.Error("storing feedback failed", "err", err)
		_ = b.respond(ctx, in.responseURL, textMessage(":warning: Sorry, your feedback could not be saved. Please try again later."), false, false, false)
		return
	}
	// The buttons give way to the vote: the message the click came from
	// (an answer's last) is drawn again without them.
	vote := "helpful"
	if !helpful {
		vote = "not helpful"
	}
	opt := RenderOptions{AnswerID: in.value, Share: rec.private, Voted: vote}
	if rec.private {
		opt.Question = rec.question
	}
	msgs := RenderAnswer(rec.answer, opt)
	_ = b.respond(ctx, in.responseURL, msgs[len(msgs)-1], false, true, false)
}

// notInChannel reports whether Slack refused a post because the bot is not
// in the channel, so nothing was posted.
func notInChannel(err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && (se.Err == "not_in_channel" || se.Err == "channel_not_found")
}

// checkDraft checks a draft against the sources the channel may see and
// answers privately through the response_url.
func (b *Bot) checkDraft(ctx context.Context, text, channel, responseURL string) {
	res, err := b.opt.Checker.Check(ctx, handlers.CheckRequest{Text: cleanQuestion(text), Collections: b.opt.Access.Collections(channel)})
	if err != nil {
		if errors.Is(err, handlers.ErrEmptyQuestion) {
			_ = b.respond(ctx, responseURL, textMessage("There is no sentence to check in that text."), false, false, false)
			return
		}
		_ = b.respond(ctx, responseURL, textMessage(failureText(err)), false, false, false)
		return
	}
	msgs := RenderCheck(res)
	for _, m := range msgs[:min(len(msgs), responseURLUses)] {
		if b.respond(ctx, responseURL, m, false, false, false) != nil {
			return
		}
	}
}
