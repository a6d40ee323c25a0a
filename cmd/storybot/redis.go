package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
	"github.com/storybot/storybot/retrieval/redisstore"
)

// openRedis opens the Redis store REDIS_URL names: one server, a Sentinel
// group or a Cluster.
func openRedis(ctx context.Context, cfg *config.Config, log *slog.Logger) (retrieval.Store, error) {
	r := cfg.Redis
	s, err := redisstore.Open(ctx, redisstore.Options{
		Addrs:      r.Addrs,
		Username:   r.Username,
		Password:   r.Password.Reveal(),
		DB:         r.DB,
		TLS:        r.TLS,
		MasterName: r.MasterName,
		Cluster:    r.Cluster,
		Prefix:     r.Prefix,
		Timeout:    r.Timeout,
		Logger:     log, // the follower's warnings ("did redis lose its data?") must be seen
	})
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL (%s): %w", r.Mode(), err)
	}
	return s, nil
}

// follower keeps the index in step with changes other processes make to
// the store: the Redis store's Follow, or the embedded store's Follower.
type follower interface {
	Healthy() bool
	LastError() error
}

// streamFollower is a store that follows its own change stream (Redis).
type streamFollower interface {
	follower
	Follow(ctx context.Context, ix *retrieval.Index, ready func()) error
}

// follow loads the index from the store and keeps it in step in the
// background until ctx ends; it returns once the index is loaded. Stores
// that cannot follow are loaded once.
func (a *app) follow(ctx context.Context) error {
	if st, ok := a.store.(*embedded.Store); ok {
		return a.followEmbedded(ctx, st)
	}
	f, ok := a.store.(streamFollower)
	if !ok {
		return a.load(ctx)
	}
	ready := make(chan struct{})
	done := make(chan error, 1)
	rs, isRedis := a.store.(*redisstore.Store)
	var from *redisstore.StreamPosition
	if isRedis {
		a.index, from = a.redisStart() // a replica starts from its snapshot
	}
	go func() {
		if isRedis {
			done <- rs.FollowFrom(ctx, a.index, from, func() { close(ready) })
			return
		}
		done <- f.Follow(ctx, a.index, func() { close(ready) })
	}()
	select {
	case <-ready:
		a.following = f
		if isRedis {
			a.redisLoaded(ctx, rs, from != nil, true)
		}
		return nil
	case err := <-done:
		return fmt.Errorf("load index from Redis: %w", err)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stale says why the index in memory may be out of date, or "".
func (a *app) stale() string {
	if a.following == nil || a.following.Healthy() {
		return ""
	}
	// Readers see what it means for them; the cause, with its host and
	// port, is for the logs only (the follower logs it).
	return "the archive store is unreachable, so answers come from the copy held in memory and may miss the newest articles"
}
