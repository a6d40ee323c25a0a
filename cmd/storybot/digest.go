package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/storybot/storybot/feeds"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/redisstore"
	"github.com/storybot/storybot/schedule"
)

// The Redis store coordinates digests and feed items across replicas.
var (
	_ schedule.Store = (*redisstore.Store)(nil)
	_ feeds.SetNXer  = (*redisstore.Store)(nil)
)

// cmdDigest prints the digest a channel would get, without posting it.
func cmdDigest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf commonFlags
	cf.register(fs)
	var since, until timeFlag
	fs.Var(&since, "since", "cover stories published after this time: a duration back from now (36h) or a date (2024-03-05, RFC 3339) (default: since the channel's last digest, or 24h)")
	fs.Var(&until, "until", "cover stories published up to this time: a duration back from now or a date (default: now)")
	channel := fs.String("channel", "", "the channel whose collections and leads to use (default: the default collections)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return &exitError{code: 2}
	}
	if len(rest) > 0 {
		return &exitError{code: 2, err: fmt.Errorf("digest: unexpected argument %q", rest[0])}
	}
	a, err := openApp(ctx, cf, stderr, getenv)
	if err != nil {
		return err
	}
	defer a.close()
	d := a.digester()
	now := time.Now()
	loc := a.cfg.Digest.Location
	if loc == nil {
		loc = time.UTC
	}
	to := now
	if until.set {
		to = until.at(now, loc)
	}
	from := to.Add(-24 * time.Hour)
	if since.set {
		from = since.at(now, loc)
	} else if t, ok := d.LastPosted(ctx, *channel); ok && t.Before(to) {
		from = t
	}
	if !from.Before(to) {
		return &exitError{code: 2, err: fmt.Errorf("--since %s is not before --until %s", from.Format(time.RFC3339), to.Format(time.RFC3339))}
	}
	dg, err := d.Compose(ctx, handlers.DigestRequest{
		Channel:     *channel,
		Collections: a.cfg.Access.Collections(*channel),
		Since:       from,
		Now:         to,
	})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, dg.Text())
	return nil
}

var scheduleStores sync.Map // data dir → *schedule.FileStore, one per process

// scheduleStore is where replicas coordinate digests: the shared store
// when it can (Redis), else a file in the data folder (one replica).
func (a *app) scheduleStore() schedule.Store {
	if s, ok := a.store.(schedule.Store); ok {
		return s
	}
	s, _ := scheduleStores.LoadOrStore(a.cfg.DataDir, schedule.NewFileStore(a.cfg.DataDir))
	return s.(*schedule.FileStore)
}

// feedClaimer shares feed items among replicas through the store when it
// can (Redis), else keeps them in this process.
func (a *app) feedClaimer() feeds.Claimer {
	if s, ok := a.store.(feeds.SetNXer); ok {
		return feeds.StoreClaimer(s)
	}
	return &feeds.MemClaimer{}
}

var leadStores sync.Map // data dir → *handlers.FileLeads, one per process

// leadStore keeps the questions the sources could not answer, for the
// digest's leads section; nil when leads are off.
func (a *app) leadStore() handlers.LeadStore {
	if !a.cfg.Digest.Leads {
		return nil
	}
	if kv, ok := a.store.(handlers.KV); ok {
		return handlers.NewKVLeads(kv) // shared by every replica
	}
	s, _ := leadStores.LoadOrStore(a.cfg.DataDir, handlers.NewFileLeads(a.cfg.DataDir))
	return s.(*handlers.FileLeads)
}

// leadLog records leads from answers; serve sets its OnAnswer as the
// Service's. Nil when leads are off.
func (a *app) leadLog() *handlers.LeadLog {
	st := a.leadStore()
	if st == nil {
		return nil
	}
	return &handlers.LeadLog{Store: st, Log: a.log}
}

// digester composes digests from the app's index and settings; it is the
// bot's DigestPreviewer.
func (a *app) digester() *handlers.Digester {
	sched := &schedule.Scheduler{Digest: a.cfg.Digest, Store: a.scheduleStore()}
	return &handlers.Digester{
		Index:      a.index,
		Leads:      a.leadStore(),
		MaxStories: a.cfg.Digest.MaxStories,
		Location:   a.cfg.Digest.Location,
		LastPosted: sched.LastPosted,
	}
}

// DigestPoster posts a composed digest to a channel (the Slack bot).
type DigestPoster func(ctx context.Context, channel string, d *handlers.Digest) error

// startBackground starts serve's background work: the feed poller (when
// feeds are configured) and the digest scheduler (when digest channels
// are). It returns a function that waits for both to stop after ctx ends.
func (a *app) startBackground(ctx context.Context, post DigestPoster) (wait func()) {
	var wg sync.WaitGroup
	cfg := a.cfg
	if len(cfg.Feeds.URLs) > 0 {
		p := &feeds.Poller{
			Feeds:    cfg.Feeds.URLs,
			Interval: cfg.Feeds.Interval,
			Ingester: &retrieval.Ingester{Store: a.store, Index: a.index},
			Claimer:  a.feedClaimer(),
			Log:      a.log.With("component", "feeds"),
			OnPoll:   a.onIngest,
		}
		wg.Go(func() { _ = p.Run(ctx) })
	}
	if cfg.Digest.Enabled() && post != nil {
		d := a.digester()
		host, _ := os.Hostname()
		s := &schedule.Scheduler{
			Digest:  cfg.Digest,
			Store:   a.scheduleStore(),
			Replica: fmt.Sprintf("%s/%d", host, os.Getpid()),
			Log:     a.log.With("component", "digest"),
			Post: func(ctx context.Context, job schedule.Job) error {
				dg, err := d.Compose(ctx, handlers.DigestRequest{
					Channel:     job.Channel,
					Collections: cfg.Access.Collections(job.Channel),
					Since:       job.Since,
					Now:         job.Now,
				})
				if err != nil {
					return err
				}
				if dg.Empty() && len(dg.Leads) == 0 && cfg.Digest.SkipEmpty {
					return nil
				}
				return post(ctx, job.Channel, dg)
			},
		}
		wg.Go(func() { _ = s.Run(ctx) })
	}
	return wg.Wait
}

// timeFlag is a point in time given as a duration back from now ("36h")
// or a date: 2024-03-05 (midnight in the digest's time zone), 2024-03-05
// 08:00, or RFC 3339.
type timeFlag struct {
	set  bool
	ago  time.Duration
	date string
}

func (f *timeFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	if f.date != "" {
		return f.date
	}
	return f.ago.String()
}

// Set implements flag.Value.
func (f *timeFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return fmt.Errorf("duration %q must be positive", s)
		}
		*f = timeFlag{set: true, ago: d}
		return nil
	}
	for _, layout := range timeLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			*f = timeFlag{set: true, date: s}
			return nil
		}
	}
	return fmt.Errorf("%q is neither a duration (36h) nor a date (2024-03-05, 2024-03-05 08:00, RFC 3339)", s)
}

var timeLayouts = []string{time.RFC3339, "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"}

// at returns the time the flag names; a date without a zone is in loc.
func (f *timeFlag) at(now time.Time, loc *time.Location) time.Time {
	if f.date == "" {
		return now.Add(-f.ago)
	}
	if t, err := time.Parse(time.RFC3339, f.date); err == nil {
		return t
	}
	for _, layout := range timeLayouts[1:] {
		if t, err := time.ParseInLocation(layout, f.date, loc); err == nil {
			return t
		}
	}
	return now
}
