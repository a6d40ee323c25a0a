package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
	"github.com/storybot/storybot/retrieval/redisstore"
)

// app is what every command shares: settings, the store and the index
// loaded from it.
type app struct {
	cfg       *config.Config
	store     retrieval.Store
	index     *retrieval.Index
	thesaurus *retrieval.Thesaurus
	log       *slog.Logger
	models    models
	// following is set while the index follows a shared store's changes.
	following follower
	// onIngest, when set, sees the results of background ingests (feeds),
	// for metrics.
	onIngest func(*retrieval.Summary)
	// snap is the index's snapshot (see snapshot.go).
	snap snapState
}

// commonFlags are the flags every command takes.
type commonFlags struct {
	data       string
	configFile string
	// follow keeps the index in step with a shared store (serve), instead
	// of loading it once.
	follow bool
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.data, "data", "", "the embedded store's folder (STORYBOT_DATA)")
	fs.StringVar(&c.configFile, "config", "", "a JSON config file (STORYBOT_CONFIG)")
}

// env puts the flags over the environment: --data is STORYBOT_DATA.
func (c *commonFlags) env(getenv func(string) string) func(string) string {
	return func(k string) string {
		if k == "STORYBOT_DATA" && c.data != "" {
			return c.data
		}
		return getenv(k)
	}
}

// parseInterspersed parses flags that may stand before or after the
// positional arguments ("ask QUESTION --json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openApp reads the settings, opens the store and loads the index.
func openApp(ctx context.Context, cf commonFlags, stderr io.Writer, getenv func(string) string) (*app, error) {
	cfg, err := config.Load(cf.env(getenv), cf.configFile)
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return openAppWith(ctx, cf, cfg, stderr)
}

// openAppWith opens the store and loads the index with settings already
// read.
func openAppWith(ctx context.Context, cf commonFlags, cfg *config.Config, stderr io.Writer) (*app, error) {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	th := retrieval.NewThesaurus()
	if path := cfg.Thesaurus; path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("STORYBOT_THESAURUS: %w", err)}
		}
		err = th.Load(f, path)
		f.Close()
		if err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("STORYBOT_THESAURUS: %w", err)}
		}
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, store: store, index: retrieval.NewIndex(), thesaurus: th, log: log}
	load := a.load
	if cf.follow {
		load = a.follow
	}
	if err := load(ctx); err != nil {
		store.Close()
		return nil, err
	}
	if cf.follow {
		go a.saveSnapshots(ctx)
	}
	if err := a.setupModels(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return a, nil
}

func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (retrieval.Store, error) {
	if cfg.RedisEnabled() {
		return openRedis(ctx, cfg, log)
	}
	st, err := embedded.Open(cfg.DataDir, 30*time.Second)
	if err != nil {
		return nil, dataFolderHint(err, cfg.DataDir)
	}
	return st, nil
}

// dataFolderHint adds what to do to a data folder this user cannot write:
// in the image, typically a root-owned bind mount.
func dataFolderHint(err error, dir string) error {
	if !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return fmt.Errorf("%w\nstorybot runs as uid %d and cannot write the data folder %s: make it writable by that user "+
		"(docker: chown -R 65532 on the host folder, or use a named volume), or set STORYBOT_DATA to a folder it can write", err, os.Getuid(), dir)
}

// load fills the index from the store: from the index snapshot brought
// up to date with the store's changes where the store keeps a change log
// (the embedded store) or a change stream (Redis), from every article
// otherwise.
func (a *app) load(ctx context.Context) error {
	if rs, ok := a.store.(*redisstore.Store); ok {
		return a.loadRedisOnce(ctx, rs)
	}
	if _, ok := a.store.(retrieval.ChangeLog); ok {
		return a.loadFromSnapshot(ctx)
	}
	arts, err := a.store.List(ctx)
	if err != nil {
		return fmt.Errorf("load index: %w", err)
	}
	a.index.PutAll(slices.Values(arts), len(arts))
	return nil
}

// close saves the index snapshot when the command changed the index (an
// ingest; serve at shutdown), then closes the store.
func (a *app) close() {
	a.saveSnapshotIfChanged()
	a.store.Close()
}

// warnIfEmpty tells the user, on stderr, that there is nothing to answer
// from yet, so "not covered" is not mistaken for a finding.
func (a *app) warnIfEmpty(stderr io.Writer) {
	if a.index.Len() > 0 {
		return
	}
	where := "the data folder " + a.cfg.DataDir
	if a.cfg.RedisEnabled() {
		where = "Redis"
	}
	fmt.Fprintf(stderr, "storybot: the index in %s is empty; run storybot ingest first\n", where)
}

func (a *app) service() *handlers.Service {
	s := &handlers.Service{Index: a.index, Thesaurus: a.thesaurus, Stale: a.stale, MinConfidence: a.cfg.MinConfidence, MaxQuestion: a.cfg.MaxQuestion}
	a.models.configure(s)
	return s
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
