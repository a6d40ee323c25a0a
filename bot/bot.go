// Package bot is storybot's Slack transport: Socket Mode and HTTP (Events
// API, slash commands, interactivity), request signatures, dedup of Slack's
// retries, rate limits and Block Kit rendering. It is the only package that
// imports slack-go; the use cases it calls live in handlers.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/handlers"
)

// Asker answers one question; *handlers.Service is one.
type Asker interface {
	Ask(ctx context.Context, req handlers.AskRequest) (*answer.Answer, error)
}

// Checker checks a draft against the sources, sentence by sentence;
// handlers.Service satisfies it.
type Checker interface {
	Check(ctx context.Context, req handlers.CheckRequest) ([]handlers.SentenceCheck, error)
}

// DigestPreviewer composes the digest a channel would get, as plain text
// (the bot escapes it). The digest issue provides one; without it
// `/story digest` says digests arrive in a later release.
type DigestPreviewer interface {
	PreviewDigest(ctx context.Context, channel string, collections []string) (string, error)
}

// Options configure a Bot. Tokens and secrets are plain strings here: the
// caller reveals them from config.Secret, and the bot never logs them.
type Options struct {
	BotToken      string
	AppToken      string // Socket Mode when set
	SigningSecret string // HTTP mode
	// APIURL is the Web API base URL, ending in "/" (default Slack's).
	APIURL string

	Asker    Asker
	Sources  *handlers.Sources  // nil: `/story sources` and `add` are off
	Feedback *handlers.Feedback // nil: feedback buttons are not drawn
	Digest   DigestPreviewer    // nil: no digest composer yet
	Checker  Checker            // nil: `/story check` and the message shortcut are off
	Access   config.Access

	// Claimer dedups events across replicas; nil means this process only.
	Claimer Claimer
	// Shared keeps per-user rate limits and Slack 429 pauses across
	// replicas; nil means this process only.
	Shared  Shared
	Metrics *Metrics
	Log     *slog.Logger
	// Ready holds extra readiness checks for /readyz, by name: a failing
	// one makes the replica not ready (503).
	Ready map[string]func(ctx context.Context) error
	// Degraded holds checks of dependencies the bot answers without (the
	// store, while the index is in memory): a failing one is reported in
	// /readyz's body, but the replica stays ready, so a load balancer does
	// not drop every replica at once.
	Degraded map[string]func(ctx context.Context) error
	// AnswerTimeout bounds the work on one question (default 2 minutes).
	AnswerTimeout time.Duration
	// MaxAnswers bounds the questions answered at once (default twice the
	// CPUs); the rest wait their turn, and the asker is told they are
	// queued. Acknowledgements never wait.
	MaxAnswers int
	// MaxQueue bounds the questions waiting for a turn (default 64 times
	// MaxAnswers). A question beyond it is turned away at once with a
	// message saying storybot is busy, never left unanswered.
	MaxQueue int
	// HTTPClient calls Slack (default: 30 s timeout).
	HTTPClient *http.Client
}

// claimTTL is how long a claimed event or message stays claimed: longer
// than Slack's retry schedule.
const claimTTL = 2 * time.Hour

// Bot is the Slack bot. Create it with New, then Run it.
type Bot struct {
	opt     Options
	api     *slack.Client
	http    *http.Client
	log     *slog.Logger
	metrics *Metrics

	local   *MemoryClaimer
	users   *userLimiter
	gate    *channelGate
	answers *answerCache
	threads *threadSet
	slots   chan struct{} // one per question being answered
	// admitted counts the questions taken in and not yet finished: those
	// answered and those waiting. It is at most MaxAnswers + MaxQueue.
	admitted atomic.Int64

	selfUser atomic.Value // string: the bot's user ID, from auth.test
	selfBot  atomic.Value // string: the bot's bot ID
	slackOK  atomic.Bool

	mu       sync.Mutex
	closing  bool
	wg       sync.WaitGroup
	workCtx  context.Context
	stopWork context.CancelFunc
}

// New returns a bot; it does not contact Slack until Run or AuthTest.
func New(opt Options) (*Bot, error) {
	if opt.BotToken == "" {
		return nil, errors.New("bot: no bot token")
	}
	if opt.AppToken == "" && opt.SigningSecret == "" {
		return nil, errors.New("bot: HTTP mode needs a signing secret")
	}
	if opt.Asker == nil {
		return nil, errors.New("bot: no Asker")
	}
	if opt.APIURL == "" {
		opt.APIURL = slack.APIURL
	}
	if opt.MaxAnswers <= 0 {
		opt.MaxAnswers = 2 * runtime.GOMAXPROCS(0)
	}
	if opt.MaxQueue <= 0 {
		opt.MaxQueue = 64 * opt.MaxAnswers
	}
	if opt.AnswerTimeout <= 0 {
		opt.AnswerTimeout = 2 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics()
	}
	hc := opt.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	sopts := []slack.Option{slack.OptionAPIURL(opt.APIURL), slack.OptionHTTPClient(hc)}
	if opt.AppToken != "" {
		sopts = append(sopts, slack.OptionAppLevelToken(opt.AppToken))
	}
	b := &Bot{
		opt:     opt,
		api:     slack.New(opt.BotToken, sopts...),
		http:    hc,
		log:     opt.Log,
		metrics: opt.Metrics,
		local:   NewMemoryClaimer(),
		users:   newUserLimiter(opt.Access.UserRate, opt.Shared),
		gate:    newChannelGate(opt.Shared),
		answers: newAnswerCache(10000, 24*time.Hour, opt.Shared),
		threads: newThreadSet(opt.Shared),
		slots:   make(chan struct{}, opt.MaxAnswers),
	}
	b.selfUser.Store("")
	b.selfBot.Store("")
	b.workCtx, b.stopWork = context.WithCancel(context.Background())
	return b, nil
}

// Metrics returns the bot's metrics.
func (b *Bot) Metrics() *Metrics { return b.metrics }

// ErrAuth is returned when Slack rejects the bot or app token.
var ErrAuth = errors.New("Slack rejected the token")

// AuthTest checks the bot token with auth.test and learns the bot's own
// user and bot IDs, so it can ignore its own messages.
func (b *Bot) AuthTest(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	res, err := b.api.AuthTestContext(ctx)
	if err != nil {
		b.metrics.SlackErrors.WithLabelValues("auth.test").Inc()
		if isAuthError(err) {
			return fmt.Errorf("SLACK_BOT_TOKEN: %w (%v)", ErrAuth, err)
		}
		return fmt.Errorf("slack auth.test: %w", err)
	}
	b.selfUser.Store(res.UserID)
	b.selfBot.Store(res.BotID)
	b.slackOK.Store(true)
	b.log.Info("slack auth ok", "team", res.Team, "bot_user", res.UserID)
	return nil
}

func isAuthError(err error) bool {
	var se slack.SlackErrorResponse
	msg := err.Error()
	if errors.As(err, &se) {
		msg = se.Err
	}
	switch msg {
	case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired", "not_allowed_token_type":
		return true
	}
	return false
}

// spawn runs f in the background with its own deadline, tracked for
// graceful shutdown. It returns false once the bot is shutting down.
// turn waits for a slot to answer in, calling queued first when none is
// free; it returns a release func, or false when ctx ends first.
func (b *Bot) turn(ctx context.Context, queued func()) (func(), bool) {
	select {
	case b.slots <- struct{}{}:
		return func() { <-b.slots }, true
	default:
	}
	b.metrics.Queued.Inc()
	defer b.metrics.Queued.Dec()
	queued()
	select {
	case b.slots <- struct{}{}:
		return func() { <-b.slots }, true
	case <-ctx.Done():
		return nil, false
	}
}

// admit takes a question in when the queue has room; done must follow
// when it has been answered.
func (b *Bot) admit() bool {
	if b.admitted.Add(1) > int64(b.opt.MaxAnswers+b.opt.MaxQueue) {
		b.admitted.Add(-1)
		b.metrics.Questions.WithLabelValues("shed").Inc()
		return false
	}
	return true
}

func (b *Bot) done() { b.admitted.Add(-1) }

// busyText turns a question away when the queue is full.
func (b *Bot) busyText() string {
	return fmt.Sprintf(":hourglass: storybot is busy: %d questions are waiting for an answer. Please ask again in a minute.", b.opt.MaxQueue)
}

func (b *Bot) spawn(f func(ctx context.Context)) bool {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return false
	}
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		ctx, cancel := context.WithTimeout(b.workCtx, b.opt.AnswerTimeout)
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("panic in slack handler", "panic", fmt.Sprint(r))
			}
		}()
		f(ctx)
	}()
	return true
}

// Shutdown stops taking work and waits for in-flight answers until ctx
// ends; then it cancels what is left and reports that it timed out.
func (b *Bot) Shutdown(ctx context.Context) error {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
		b.stopWork()
		return nil
	case <-ctx.Done():
		b.stopWork()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
		return fmt.Errorf("shutdown: in-flight answers cut off: %w", ctx.Err())
	}
}

// claim takes every key for this process and, with a Claimer, across
// replicas. A Claimer that fails is logged and passed over: a rare double
// answer is better than silence.
func (b *Bot) claim(ctx context.Context, keys ...string) bool {
	for _, k := range keys {
		if k == "" {
			continue
		}
		if ok, _ := b.local.Claim(ctx, k, claimTTL); !ok {
			return false
		}
		if b.opt.Claimer == nil {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		ok, err := b.opt.Claimer.Claim(cctx, k, claimTTL)
		cancel()
		if err != nil {
			b.log.Warn("dedup claim failed; answering anyway", "err", err)
			continue
		}
		if !ok {
			return false
		}
	}
	return true
}

// event is a Slack message or mention, whichever transport brought it.
type event struct {
	id          string // event_id
	kind        string // app_mention or message
	channel     string
	channelType string
	user        string
	text        string
	ts          string
	threadTS    string
	botID       string
	subtype     string
}

// accept decides, without I/O, whether an event is a question.
func (b *Bot) accept(ev event) bool {
	switch {
	case ev.botID != "", ev.subtype != "", ev.user == "", ev.ts == "":
		return false // bots (ourselves too), edits, joins, deletions
	case ev.user == b.selfUser.Load().(string):
		return false
	case ev.kind == "app_mention":
		return true
	case ev.kind == "message" && ev.channelType == "im":
		return true
	case ev.kind == "message":
		// A reply in a channel thread may be a follow-up; whether the bot
		// answered in that thread is looked up by the worker.
		return ev.threadTS != "" && ev.threadTS != ev.ts
	}
	return false
}

// onEvent takes one delivered event; it never blocks on Slack or on
// retrieval. It reports what it did, for metrics and tests.
func (b *Bot) onEvent(ev event) string {
	res := "ignored"
	switch {
	case !b.accept(ev):
	case !b.admit():
		// Turned away, still exactly once: the claim decides who says so.
		res = "busy"
		b.spawn(func(ctx context.Context) { b.turnAway(ctx, ev) })
	case !b.spawn(func(ctx context.Context) { defer b.done(); b.answerMessage(ctx, ev) }):
		b.done()
		res = "shutting_down"
	default:
		res = "accepted"
	}
	b.metrics.Events.WithLabelValues(ev.kind, res).Inc()
	return res
}

// turnAway tells the asker storybot is too busy to take the question.
func (b *Bot) turnAway(ctx context.Context, ev event) {
	if !b.claim(ctx, "event:"+ev.id, "msg:"+ev.channel+":"+ev.ts) {
		return
	}
	thread := ev.threadTS
	if thread == "" {
		thread = ev.ts
	}
	_, _ = b.post(ctx, ev.channel, thread, textMessage(b.busyText()))
	b.settle(ctx, ev.channel, ev.ts, "warning")
}

func (b *Bot) answerMessage(ctx context.Context, ev event) {
	start := time.Now()
	if ev.kind == "message" && ev.channelType != "im" {
		// A follow-up without a mention: only in a thread the bot answered
		// in, and never a message that mentions the bot (its app_mention
		// is the one answered).
		if b.mentionsSelf(ev.text) || !b.threads.has(ctx, ev.channel, ev.threadTS) {
			b.metrics.Events.WithLabelValues(ev.kind, "not_a_follow_up").Inc()
			return
		}
	}
	if !b.claim(ctx, "event:"+ev.id, "msg:"+ev.channel+":"+ev.ts) {
		b.metrics.Events.WithLabelValues(ev.kind, "duplicate").Inc()
		return
	}
	thread := ev.threadTS
	if thread == "" {
		thread = ev.ts
	}
	reply := func(m Message) { _, _ = b.post(ctx, ev.channel, thread, m) }
	question := cleanQuestion(ev.text)
	if question == "" {
		reply(textMessage(helpText))
		return
	}
	if wait, ok := b.users.allow(ctx, ev.user); !ok {
		b.metrics.Questions.WithLabelValues("rate_limited").Inc()
		reply(textMessage(rateLimitText(wait)))
		return
	}
	queued := false
	release, ok := b.turn(ctx, func() {
		queued = true
		b.react(ctx, ev.channel, ev.ts, "hourglass_flowing_sand") // ⏳ queued
	})
	if !ok {
		reply(textMessage(failureText(ctx.Err())))
		return
	}
	defer release()
	if queued {
		b.unreact(ctx, ev.channel, ev.ts, "hourglass_flowing_sand")
	}
	b.react(ctx, ev.channel, ev.ts, "eyes")
	var history, earlier []string
	if ev.threadTS != "" && ev.threadTS != ev.ts {
		history, earlier = b.history(ctx, ev.channel, ev.threadTS, ev.ts)
	}
	colls := b.opt.Access.Collections(ev.channel)
	ans, err := b.askIn(ctx, ev.channel, ev.user, question, colls, history, earlier)
	if err != nil {
		reply(textMessage(failureText(err)))
		b.settle(ctx, ev.channel, ev.ts, "warning")
		return
	}
	defer b.settle(ctx, ev.channel, ev.ts, stateReaction(ans.Status))
	id := b.answers.put(&answerRecord{answer: ans, question: question, channel: ev.channel, user: ev.user})
	opt := RenderOptions{}
	if b.opt.Feedback != nil {
		opt.AnswerID = id
	}
	for _, m := range RenderAnswer(ans, opt) {
		if _, err := b.post(ctx, ev.channel, thread, m); err != nil {
			return
		}
	}
	if ev.channelType != "im" {
		b.threads.add(ctx, ev.channel, thread)
	}
	b.metrics.AnswerSeconds.Observe(time.Since(start).Seconds())
}

// mentionsSelf reports whether a message's text mentions the bot.
func (b *Bot) mentionsSelf(text string) bool {
	self := b.selfUser.Load().(string)
	return self != "" && strings.Contains(text, "<@"+self)
}

// ask runs the use case and counts the outcome.
func (b *Bot) ask(ctx context.Context, channel, user, question string, colls, history []string) (*answer.Answer, error) {
	return b.askIn(ctx, channel, user, question, colls, history, nil)
}

// askIn asks in a conversation whose earlier questions and answers are
// known.
func (b *Bot) askIn(ctx context.Context, channel, user, question string, colls, history, answers []string) (*answer.Answer, error) {
	ans, err := b.opt.Asker.Ask(ctx, handlers.AskRequest{Question: question, Collections: colls, History: history, Answers: answers, Channel: channel, User: user})
	if err != nil {
		if !errors.Is(err, handlers.ErrEmptyQuestion) && !errors.Is(err, handlers.ErrQuestionTooLong) {
			b.metrics.Questions.WithLabelValues("error").Inc()
			// The innermost error only: the outer ones quote the question,
			// and message text stays out of logs.
			b.log.Error("answering failed", "err", innermost(err))
		}
		return nil, err
	}
	b.metrics.Questions.WithLabelValues(string(ans.Status)).Inc()
	return ans, nil
}

// history returns the earlier human questions of a thread, oldest first.
func (b *Bot) history(ctx context.Context, channel, threadTS, before string) (questions, answers []string) {
	var msgs []slack.Message
	err := b.callSlack(ctx, "conversations.replies", channel, func(ctx context.Context) error {
		var err error
		msgs, _, _, err = b.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: threadTS, Limit: 100,
		})
		return err
	})
	if err != nil {
		b.log.Warn("thread history unavailable", "err", err)
		return nil, nil
	}
	self, selfBot := b.selfUser.Load().(string), b.selfBot.Load().(string)
	for _, m := range msgs {
		if !tsBefore(m.Timestamp, before) || m.SubType != "" && m.SubType != "bot_message" {
			continue
		}
		if m.User != "" && m.User == self || m.BotID != "" && m.BotID == selfBot {
			// The bot's own earlier answers: their names tell what "he" or
			// "that firm" is. Only their plain text, not their sources.
			if a := strings.TrimSpace(answer.StripMarkers(m.Text)); a != "" {
				answers = append(answers, shorten(a, 600))
			}
			continue
		}
		if m.BotID != "" || m.User == "" {
			continue
		}
		if q := cleanQuestion(m.Text); q != "" {
			questions = append(questions, q)
		}
	}
	if len(questions) > 5 {
		questions = questions[len(questions)-5:]
	}
	if len(answers) > 2 {
		answers = answers[len(answers)-2:]
	}
	return questions, answers
}

// tsBefore compares two Slack timestamps ("1700000000.000100").
func tsBefore(a, b string) bool {
	as, af, _ := strings.Cut(a, ".")
	bs, bf, _ := strings.Cut(b, ".")
	if len(as) != len(bs) {
		return len(as) < len(bs)
	}
	if as != bs {
		return as < bs
	}
	return af < bf
}

var markupRe = regexp.MustCompile(`<([^<>]*)>`)

// cleanQuestion turns a Slack message's text into the plain question:
// mentions and special pings out, links to their labels, entities decoded.
func cleanQuestion(text string) string {
	text = markupRe.ReplaceAllStringFunc(text, func(m string) string {
		inner := m[1 : len(m)-1]
		target, lbl, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(inner, "@"), strings.HasPrefix(inner, "!"):
			return " "
		case strings.HasPrefix(inner, "#"):
			if hasLabel {
				return "#" + lbl
			}
			return " "
		case hasLabel:
			return lbl
		}
		return target
	})
	text = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(text)
	return strings.Join(strings.Fields(text), " ")
}

// react adds a progress reaction; failure is only logged.
func (b *Bot) react(ctx context.Context, channel, ts, name string) {
	err := b.callSlack(ctx, "reactions.add", channel, func(ctx context.Context) error {
		return b.api.AddReactionContext(ctx, name, slack.NewRefToMessage(channel, ts))
	})
	if err != nil && !strings.Contains(err.Error(), "already_reacted") {
		b.log.Warn("reaction failed", "err", err)
	}
}

// stateReaction is the reaction that says how a question ended: answered,
// answered in part, or not covered by the sources.
func stateReaction(st answer.Status) string {
	switch st {
	case answer.Answered:
		return "white_check_mark"
	case answer.Partial:
		return "ballot_box_with_check"
	}
	return "grey_question"
}

// settle replaces the 👀 of a question being worked on with the reaction
// that says how it ended (⚠️ for a failure), so a finished, failed and
// running answer look different. Failures are only logged.
func (b *Bot) settle(ctx context.Context, channel, ts, name string) {
	b.unreact(ctx, channel, ts, "eyes")
	b.react(ctx, channel, ts, name)
}

// unreact removes a reaction; failure is only logged.
func (b *Bot) unreact(ctx context.Context, channel, ts, name string) {
	err := b.callSlack(ctx, "reactions.remove", channel, func(ctx context.Context) error {
		return b.api.RemoveReactionContext(ctx, name, slack.NewRefToMessage(channel, ts))
	})
	if err != nil && !strings.Contains(err.Error(), "no_reaction") {
		b.log.Warn("reaction failed", "err", err)
	}
}

// post sends a message with chat.postMessage, in a thread when threadTS is
// set, with link and media unfurling off.
func (b *Bot) post(ctx context.Context, channel, threadTS string, m Message) (string, error) {
	opts := []slack.MsgOption{
		slack.MsgOptionText(m.Text, false),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.Blocks...))
	}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	var ts string
	err := b.callSlack(ctx, "chat.postMessage", channel, func(ctx context.Context) error {
		var err error
		_, ts, err = b.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		b.log.Error("posting to slack failed", "channel", channel, "err", err)
	}
	return ts, err
}

// maxRateLimitRetries bounds the retries of one call after 429s.
const maxRateLimitRetries = 3

// callSlack runs one Web API call, waiting out any Retry-After the channel
// is under and retrying after a 429 (Slack did not act on a rate-limited
// call, so retrying cannot post twice). Other failures, connection errors
// above all, are not retried: a post may have gone through.
func (b *Bot) callSlack(ctx context.Context, method, channel string, f func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		if err := b.gate.wait(ctx, channel); err != nil {
			return err
		}
		err := f(ctx)
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			b.metrics.SlackRateLimited.WithLabelValues(method).Inc()
			b.gate.block(ctx, channel, rl.RetryAfter)
			if attempt < maxRateLimitRetries {
				continue
			}
		}
		if err != nil {
			b.metrics.SlackErrors.WithLabelValues(method).Inc()
		}
		return err
	}
}

// respond posts to a response_url (slash commands, buttons): privately
// unless public, replacing or deleting the original message if asked.
func (b *Bot) respond(ctx context.Context, responseURL string, m Message, public, replace, del bool) error {
	f := false
	wm := &slack.WebhookMessage{
		Text:            m.Text,
		ResponseType:    slack.ResponseTypeEphemeral,
		ReplaceOriginal: replace,
		DeleteOriginal:  del,
		UnfurlLinks:     &f,
		UnfurlMedia:     &f,
	}
	if public {
		wm.ResponseType = slack.ResponseTypeInChannel
	}
	if len(m.Blocks) > 0 {
		wm.Blocks = &slack.Blocks{BlockSet: m.Blocks}
	}
	err := b.callSlack(ctx, "response_url", "response_url:"+responseURL, func(ctx context.Context) error {
		return slack.PostWebhookCustomHTTPContext(ctx, responseURL, b.http, wm)
	})
	if err != nil {
		b.log.Error("response_url post failed", "err", err)
	}
	return err
}

const helpText = "*storybot* answers questions from the newsroom's ingested articles, cites every claim, " +
	"and says plainly what the sources do not cover.\n" +
	"• Mention me in a channel, or DM me: `@storybot who replaced the CISO?` Ask follow-ups in the thread.\n" +
	"• `/story QUESTION` or `/story ask QUESTION` — a private answer, with a button to share it to the channel\n" +
	"• `/story sources` or `/story sources about TERMS` — the articles this channel can see\n" +
	"• `/story add URL` — fetch and ingest an article (editors only)\n" +
	"• `/story digest` — preview the daily digest\n" +
	"• `/story help` — this message"

func rateLimitText(wait time.Duration) string {
	secs := int(wait.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return fmt.Sprintf(":hourglass: You're asking faster than I can keep up. Please try again in %d seconds.", secs)
}

// addrRe finds network addresses in an error: IPv4 and bracketed IPv6
// addresses with or without a port, and host:port after "dial" or
// "lookup … on".
var addrRe = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9A-Fa-f:.]+\](?::\d+)?|(?:dial (?:tcp|udp)[46]? |on )[\w.-]+:\d+`)

// forPeople words an error for Slack: the addresses of this network
// (proxies, resolvers, internal hosts) are left out; the logs keep them.
func forPeople(err error) string {
	return addrRe.ReplaceAllString(err.Error(), "(an internal address)")
}

// failureText is the user-facing wording of every failure to answer.
func failureText(err error) string {
	switch {
	case errors.Is(err, handlers.ErrEmptyQuestion):
		return helpText
	case errors.Is(err, handlers.ErrDraftTooLong):
		return fmt.Sprintf(":warning: That is too long to check in one go. Please check under %d characters at a time.", handlers.MaxCheckRunes)
	case errors.Is(err, handlers.ErrQuestionTooLong):
		limit := handlers.MaxQuestionRunes
		var tl *handlers.QuestionTooLongError
		if errors.As(err, &tl) {
			limit = tl.Limit
		}
		return fmt.Sprintf(":warning: That is too long to be one question. Please ask in under %d characters, one question at a time.", limit)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return ":warning: Sorry, finding an answer took too long. Please try again, perhaps with a narrower question."
	}
	return ":warning: Sorry, something went wrong while answering. Please try again in a minute."
}

// innermost returns the error at the bottom of a chain of wrapped errors.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
