package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/retrieval/redisstore"
	"io"
	"net"
	"net/http"
	"sync/atomic"
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
	// Listen first: /healthz answers from the first second, and /readyz
	// says the index is loading, while a large archive loads.
	var sw switchHandler
	sw.set(startingHandler())
	cfg, err := config.Load(cf.env(env), cf.configFile)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("STORYBOT_ADDR: %w", err)
	}
	srv := &http.Server{Handler: &sw, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	a, err := openAppWith(ctx, cf, cfg, stderr)
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
	sw.set(b.Handler())
	// Feeds and scheduled digests run beside the bot and stop with it.
	bgCtx, stopBackground := context.WithCancel(ctx)
	wait := a.startBackground(bgCtx, b.PostDigest)
	defer func() { stopBackground(); wait() }()
	if err := b.Run(ctx, nil, a.cfg.ShutdownTimeout); err != nil {
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
			"index": func(context.Context) error { return nil }, // loaded before the bot starts
		},
		// Without the store the bot answers from the index in memory:
		// degraded, still ready.
		Degraded: map[string]func(context.Context) error{
			"store": func(ctx context.Context) error {
				if rs, ok := a.store.(*redisstore.Store); ok && rs.Resets.Load() > 0 && rs.Healthy() {
					// Say what happened, once it is over.
					return fmt.Errorf("recovered: Redis lost its data %d time(s); this replica wrote back %d articles", rs.Resets.Load(), rs.Restored.Load())
				}
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

// switchHandler serves whichever handler was set last: the starting page
// while the index loads, then the bot.
type switchHandler struct{ h atomic.Pointer[http.Handler] }

func (s *switchHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *switchHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// startingHandler answers while the index loads: alive, not ready.
func startingHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "index: loading", http.StatusServiceUnavailable)
	})
	return mux
}
