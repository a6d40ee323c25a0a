package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/storybot/storybot/retrieval"
)

// FollowEvery is how often a Follower looks for other processes' writes
// by default: a new article reaches serve's answers within about this.
const FollowEvery = time.Second

// followBatch is how many changes a Follower applies at once.
const followBatch = 1024

// Follower keeps an index in step with a Store that other processes write
// (an ingest beside serve): it polls the store's change log position, and
// when it has moved, re-reads the articles written since and removes the
// ones deleted. When the log no longer reaches back to the index's
// position (another epoch: a folder replaced or restored; or the index is
// further behind than the log keeps) it reloads everything.
//
// Between polls the folder is not held, so other processes write freely.
type Follower struct {
	Store *Store
	Index *retrieval.Index
	// Every is the polling interval; zero means FollowEvery.
	Every time.Duration
	Log   *slog.Logger

	pos     retrieval.Position
	healthy atomic.Bool
	lastErr atomic.Pointer[error]
	// Applied counts the changes applied and Reloads the full reloads,
	// for metrics and tests.
	Applied atomic.Int64
	Reloads atomic.Int64
}

// Run follows the store from pos, the position the index already reflects
// (take it before loading the index: a change made during the load is then
// applied again, which is harmless), until ctx ends; it returns ctx's
// error, or nil once the store is closed. A failed poll (the folder held too long by another process, a
// read error) marks the follower unhealthy, keeps the index as it is, and
// is retried at the next poll.
func (f *Follower) Run(ctx context.Context, pos retrieval.Position) error {
	f.pos = pos
	f.healthy.Store(true)
	every := f.Every
	if every <= 0 {
		every = FollowEvery
	}
	log := f.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		err := f.poll(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, ErrClosed):
			return nil
		case err != nil:
			if f.healthy.Load() {
				log.Warn("embedded follow: index may be stale", "err", err)
			}
			f.lastErr.Store(&err)
			f.healthy.Store(false)
		case !f.healthy.Load():
			log.Info("embedded follow: back in step")
			f.lastErr.Store(nil)
			f.healthy.Store(true)
		}
	}
}

// Healthy reports whether the last poll succeeded.
func (f *Follower) Healthy() bool { return f.healthy.Load() }

// LastError is the error of the last failed poll, nil once one succeeds.
func (f *Follower) LastError() error {
	if p := f.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// poll brings the index up to the store's current position once.
func (f *Follower) poll(ctx context.Context) error {
	now, err := f.Store.Position(ctx)
	if err != nil {
		return err
	}
	if now == f.pos {
		return nil
	}
	for {
		changes, err := f.Store.Changes(ctx, f.pos, followBatch)
		if errors.Is(err, retrieval.ErrChangesGone) {
			return f.reload(ctx)
		}
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		if err := f.apply(ctx, changes); err != nil {
			return err
		}
		f.pos.Seq = changes[len(changes)-1].Seq
		if len(changes) < followBatch {
			return nil
		}
	}
}

// apply brings the changed articles in the index to their current value
// in the store, read in one transaction.
func (f *Follower) apply(ctx context.Context, changes []retrieval.Change) error {
	seen := make(map[string]bool, len(changes))
	var ids []string
	for _, ch := range changes {
		if !seen[ch.ID] {
			seen[ch.ID] = true
			ids = append(ids, ch.ID)
		}
	}
	arts, err := f.Store.getMany(ctx, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		switch a := arts[i]; {
		case a == nil:
			f.Index.Remove(id)
		case !f.indexed(a):
			f.Index.Put(a)
		}
	}
	f.Applied.Add(int64(len(changes)))
	return nil
}

// indexed reports whether the index holds a as it is: true for this
// process's own writes (serve's /story add, feeds), which reach the index
// before the log.
func (f *Follower) indexed(a *retrieval.Article) bool {
	h := f.Index.Header(a.ID)
	if h == nil || h.Hash != a.Hash {
		return false
	}
	c := *a
	c.Text = ""
	return reflect.DeepEqual(*h, c)
}

// reload reads every article and makes the index hold exactly those.
func (f *Follower) reload(ctx context.Context) error {
	pos, err := f.Store.Position(ctx)
	if err != nil {
		return err
	}
	arts, err := f.Store.List(ctx)
	if err != nil {
		return err
	}
	in := make(map[string]bool, len(arts))
	var changed []*retrieval.Article
	for _, a := range arts {
		in[a.ID] = true
		if !f.indexed(a) {
			changed = append(changed, a)
		}
	}
	for _, h := range f.Index.Headers() {
		if !in[h.ID] {
			f.Index.Remove(h.ID)
		}
	}
	f.Index.PutAll(func(yield func(*retrieval.Article) bool) {
		for _, a := range changed {
			if !yield(a) {
				return
			}
		}
	}, len(changed))
	f.pos = pos
	f.Reloads.Add(1)
	return nil
}

// getMany returns the articles with the given ids, nil for those the store
// does not hold, read in one transaction.
func (s *Store) getMany(ctx context.Context, ids []string) ([]*retrieval.Article, error) {
	out := make([]*retrieval.Article, len(ids))
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		for i, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			a, err := decodeArticle(v)
			if err != nil {
				return fmt.Errorf("article %s: %w", id, err)
			}
			out[i] = a
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read changed articles: %w", err)
	}
	return out, nil
}
