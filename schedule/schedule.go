// Package schedule posts each channel's daily digest exactly once a day,
// however many replicas run. Replicas coordinate through a shared store
// (Redis in production): a short lease decides who posts, and a "posted"
// marker, written only after a successful post, tells everyone the day is
// done. A replica that dies holding the lease only delays the post until
// the lease expires; a digest missed because every replica was down is
// posted when one comes back, the same local day.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/storybot/storybot/config"
)

// Store is the shared state of the replicas: set-if-absent with expiry for
// the lease, and plain get and set for the markers. Expiry is counted by
// the store, not by the replicas' clocks. *redisstore.Store satisfies it;
// MemStore and FileStore serve a single process.
type Store interface {
	SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)
	GetBytes(ctx context.Context, key string) (val []byte, ok bool, err error)
	SetBytes(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// Clock tells the time and waits; tests use a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

// After implements Clock.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Job is one digest to post.
type Job struct {
	Channel string
	// Day is the local date of the digest, YYYY-MM-DD in the digest's zone.
	Day string
	// Since is when the channel's previous digest went out (24 hours
	// before Now when none is known); Now is the time of this one.
	Since, Now time.Time
}

// PostFunc composes and posts one digest. It must honour ctx: its deadline
// ends before the lease does, so a post that overruns is abandoned before
// another replica may take over. Returning nil marks the day done; an
// error leaves it for a retry after the lease expires. A post the caller
// decides to skip (an empty day with SkipEmpty) returns nil.
type PostFunc func(ctx context.Context, job Job) error

// Defaults for Scheduler.
const (
	DefaultLease = 5 * time.Minute
	DefaultCheck = time.Minute
	// markerTTL keeps the posted marker well past its day, so a replica
	// whose clock runs a day late still finds it.
	markerTTL = 72 * time.Hour
	// lastTTL keeps the time of a channel's last digest.
	lastTTL = 60 * 24 * time.Hour
)

// Scheduler posts the digests of config.Digest's channels at its time of
// day.
type Scheduler struct {
	Digest config.Digest
	Store  Store
	Post   PostFunc
	// Clock is the time source; nil means SystemClock.
	Clock Clock
	// Lease is how long a replica may hold a digest before another takes
	// over (default DefaultLease); the post gets at most half of it.
	Lease time.Duration
	// Check is how often due digests are looked for (default DefaultCheck).
	Check time.Duration
	// Replica names this process in the lease, for operators.
	Replica string
	Log     *slog.Logger
	// Prefix is put before every key (default "digest:").
	Prefix string
}

// Outcome says what a Tick did for one channel.
type Outcome string

// Outcomes of a Tick.
const (
	NotDue Outcome = "not_due" // before today's digest time
	Done   Outcome = "done"    // already posted today
	Busy   Outcome = "busy"    // another replica holds the lease
	Posted Outcome = "posted"  // this call posted it
	Failed Outcome = "failed"  // the post or the store failed; retried later
)

// Result is what a Tick did for one channel.
type Result struct {
	Channel string
	Day     string
	Outcome Outcome
	Err     error
}

// Run checks for due digests at once (posting any missed earlier today),
// then at every digest time and every Check, until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	if !s.Digest.Enabled() {
		return nil
	}
	for {
		s.Tick(ctx)
		now := s.clock().Now()
		wait := s.check()
		if next := s.Digest.Next(now); next.Sub(now) < wait {
			wait = next.Sub(now)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.clock().After(wait):
		}
	}
}

// Tick posts every channel's digest that is due and not yet posted today.
// Channels are handled one after another; one failing never stops the
// others.
func (s *Scheduler) Tick(ctx context.Context) []Result {
	out := make([]Result, 0, len(s.Digest.Channels))
	for _, ch := range s.Digest.Channels {
		r := s.tick(ctx, ch)
		if r.Err != nil && s.Log != nil {
			s.Log.Warn("digest not posted; will retry", "channel", ch, "day", r.Day, "err", r.Err)
		}
		out = append(out, r)
	}
	return out
}

// due returns the local day whose digest time has passed at now, if any,
// and that time.
func (s *Scheduler) due(now time.Time) (day string, at time.Time, ok bool) {
	loc := s.Digest.Location
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	at = s.Digest.At(local.Date())
	if now.Before(at) {
		return "", at, false
	}
	return local.Format(time.DateOnly), at, true
}

func (s *Scheduler) tick(ctx context.Context, channel string) Result {
	now := s.clock().Now()
	day, at, ok := s.due(now)
	r := Result{Channel: channel, Day: day}
	if !ok {
		r.Outcome = NotDue
		return r
	}
	fail := func(err error) Result {
		r.Outcome, r.Err = Failed, err
		return r
	}
	posted := s.key("posted", channel, day)
	// The day is done when its marker is there, or when the channel's last
	// digest went out after this day's time: a replica whose clock runs
	// late must not post a day the others have left behind.
	done := func() (bool, time.Time, error) {
		if _, ok, err := s.Store.GetBytes(ctx, posted); err != nil || ok {
			return ok, time.Time{}, err
		}
		last, err := s.lastPosted(ctx, channel)
		return err == nil && !last.IsZero() && !last.Before(at), last, err
	}
	if ok, _, err := done(); err != nil {
		return fail(fmt.Errorf("digest %s %s: %w", channel, day, err))
	} else if ok {
		r.Outcome = Done
		return r
	}
	lease := s.lease()
	got, err := s.Store.SetNX(ctx, s.key("lease", channel, day), []byte(s.Replica), lease)
	if err != nil {
		return fail(fmt.Errorf("digest %s %s: take lease: %w", channel, day, err))
	}
	if !got {
		r.Outcome = Busy
		return r
	}
	// Someone may have posted and let the lease lapse between the reads.
	ok, since, err := done()
	if err != nil {
		return fail(fmt.Errorf("digest %s %s: %w", channel, day, err))
	} else if ok {
		r.Outcome = Done
		return r
	}
	if since.IsZero() || !since.Before(now) {
		since = now.Add(-24 * time.Hour)
	}
	pctx, cancel := context.WithTimeout(ctx, lease/2)
	err = s.Post(pctx, Job{Channel: channel, Day: day, Since: since, Now: now})
	if err == nil && pctx.Err() != nil {
		// Done past its deadline: another replica may already have the
		// lease. Mark it anyway; the post happened.
		err = nil
	}
	cancel()
	if err != nil {
		return fail(fmt.Errorf("digest %s %s: post: %w", channel, day, err))
	}
	r.Outcome = Posted
	stamp := []byte(now.UTC().Format(time.RFC3339Nano))
	// The post went out: the markers must land, or another replica will
	// post again when the lease expires. Retry them within the lease.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lease/2)
	defer cancel()
	var merr error
	for attempt := 0; attempt < 5; attempt++ {
		if merr = s.Store.SetBytes(mctx, posted, stamp, markerTTL); merr == nil {
			break
		}
		select {
		case <-mctx.Done():
		case <-s.clock().After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
	if merr != nil {
		r.Err = fmt.Errorf("digest %s %s: posted, but cannot record it: %w", channel, day, merr)
		return r
	}
	if err := s.Store.SetBytes(mctx, s.key("last", channel, ""), stamp, lastTTL); err != nil {
		r.Err = fmt.Errorf("digest %s: record time of last digest: %w", channel, err)
	}
	return r
}

// LastPosted returns when the channel's previous digest went out.
func (s *Scheduler) LastPosted(ctx context.Context, channel string) (time.Time, bool) {
	t, err := s.lastPosted(ctx, channel)
	return t, err == nil && !t.IsZero()
}

func (s *Scheduler) lastPosted(ctx context.Context, channel string) (time.Time, error) {
	b, ok, err := s.Store.GetBytes(ctx, s.key("last", channel, ""))
	if err != nil {
		return time.Time{}, fmt.Errorf("read time of last digest: %w", err)
	}
	if !ok {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return time.Time{}, nil // unreadable: fall back to the last day
	}
	return t, nil
}

func (s *Scheduler) key(kind, channel, day string) string {
	p := s.Prefix
	if p == "" {
		p = "digest:"
	}
	// The channel in braces is a Redis Cluster hash tag: a channel's keys
	// share a slot, though no command spans them.
	k := p + kind + ":{" + channel + "}"
	if day != "" {
		k += ":" + day
	}
	return k
}

func (s *Scheduler) clock() Clock {
	if s.Clock != nil {
		return s.Clock
	}
	return SystemClock{}
}

func (s *Scheduler) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

func (s *Scheduler) check() time.Duration {
	if s.Check > 0 {
		return s.Check
	}
	return DefaultCheck
}
