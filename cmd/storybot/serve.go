package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/storybot/storybot/retrieval/redisstore"
	"io"
	"net"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
)

// cmdServe runs the Slack bot: Socket Mode when SLACK_APP_TOKEN is set,
// HTTP mode otherwise, with /healthz, /readyz and /metrics on --addr.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf commonFlags
	cf.register(fs)
	addr := fs.String("addr", "", "HTTP listen address (STORYBOT_ADDR, default :8080)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return &exitError{code: 2}
	}
	if len(rest) > 0 {
		return &exitError{code: 2, err: fmt.Errorf("serve: unexpected argument %q", rest[0])}
	}
	env := func(k string) string {
		if k == "STORYBOT_ADDR" && *addr != "" {
			return *addr
		}
		return getenv(k)
	}
	cf.follow = true // a shared store's changes reach this replica's index
	a, err := openApp(ctx, cf, stderr, env)
	if err != nil {
		return err
	}
	defer a.close()
	if rs, ok := a.store.(*redisstore.Store); ok {
		for _, w := range rs.Durability(ctx) {
			a.log.Warn("redis settings can lose articles: " + w + " (see the README's Redis section)")
		}
	}
	if err := a.cfg.ValidateServe(); err != nil {
		return &exitError{code: 2, err: err}
	}
	b, err := newBot(a)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("STORYBOT_ADDR: %w", err)
	}
	// Feeds and scheduled digests run beside the bot and stop with it.
	bgCtx, stopBackground := context.WithCancel(ctx)
	wait := a.startBackground(bgCtx, b.PostDigest)
	defer func() { stopBackground(); wait() }()
	if err := b.Run(ctx, ln, a.cfg.ShutdownTimeout); err != nil {
		if errors.Is(err, bot.ErrAuth) {
			return &exitError{code: 1, err: err}
		}
		return err
	}
	return nil
}

// newBot wires the bot to the app's index, store and settings.
func newBot(a *app) (*bot.Bot, error) {
	cfg := a.cfg
	sources := &handlers.Sources{
		HTTPClient: handlers.AddClient(30 * time.Second),
		Index:      a.index,
		Ingester:   &retrieval.Ingester{Store: a.store, Index: a.index},
	}
	svc := a.service()
	if ll := a.leadLog(); ll != nil {
		svc.OnAnswer = ll.OnAnswer // not-covered questions become digest leads
	}
	metrics := bot.NewMetrics()
	a.registerModelMetrics(metrics.Registry())
	registerBuildInfo(metrics.Registry())
	a.registerStoreMetrics(metrics.Registry())
	a.onIngest = func(sum *retrieval.Summary) {
		for _, r := range sum.Results {
			metrics.Ingested.WithLabelValues(string(r.Outcome)).Inc()
		}
	}
	opt := bot.Options{
		Metrics:       metrics,
		BotToken:      cfg.Slack.BotToken.Reveal(),
		AppToken:      cfg.Slack.AppToken.Reveal(),
		SigningSecret: cfg.Slack.SigningSecret.Reveal(),
		APIURL:        cfg.Slack.APIURL,
		Asker:         svc,
		Checker:       svc,
		Sources:       sources,
		Feedback:      &handlers.Feedback{Store: feedbackStore(cfg, a.store), Index: a.index},
		Digest:        a.digester(),
		Access:        cfg.Access,
		Log:           a.log,
		Ready: map[string]func(context.Context) error{
			"index": func(context.Context) error { return nil }, // loaded before serving starts
			"store": func(ctx context.Context) error {
				_, err := a.store.Get(ctx, "storybot-readyz-probe")
				if err == nil || errors.Is(err, retrieval.ErrNotFound) {
					return nil
				}
				return errors.New("unreachable")
			},
		},
	}
	// A shared store with SetNX (Redis) dedups events across replicas.
	if kv, ok := a.store.(bot.SetNXer); ok {
		opt.Claimer = bot.StoreClaimer(kv)
	}
	// It also shares user rate limits and Slack 429 pauses.
	if sh, ok := a.store.(bot.Shared); ok {
		opt.Shared = sh
	}
	return bot.New(opt)
}
