package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/handlers"
)

// cmdFeedback prints the feedback readers gave in Slack as JSON Lines. It
// reads the feedback file directly, so it runs beside a serving bot.
func cmdFeedback(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("feedback", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf commonFlags
	cf.register(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return &exitError{code: 2}
	}
	if len(rest) > 0 {
		return &exitError{code: 2, err: fmt.Errorf("feedback: unexpected argument %q", rest[0])}
	}
	cfg, err := config.Load(cf.env(getenv), cf.configFile)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if cfg.RedisEnabled() {
		store, err := openRedis(ctx, cfg, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
		if err != nil {
			return err
		}
		defer store.Close()
		return handlers.ExportVotes(ctx, feedbackStore(cfg, store), stdout)
	}
	return handlers.ExportVotes(ctx, handlers.NewFileFeedback(cfg.DataDir), stdout)
}

// feedbackStore is where readers' verdicts go: the shared store when it
// can hold them (Redis, for every replica), else a file in the data folder.
func feedbackStore(cfg *config.Config, store any) handlers.FeedbackStore {
	if kv, ok := store.(handlers.KV); ok {
		return handlers.NewKVFeedback(kv)
	}
	return handlers.NewFileFeedback(cfg.DataDir)
}
