// Package claim gives a key to one caller for a while: the mechanism behind
// answering a Slack event once, fetching a feed item once and posting a
// digest once, in one process or across replicas sharing a store.
package claim

import (
	"context"
	"sync"
	"time"
)

// SetNXer is a shared store with set-if-absent and expiry, such as the
// Redis store's SetNX, which stays correct when its client retries after a
// timeout.
type SetNXer interface {
	SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)
}

// Memory claims keys for one process; its zero value is ready to use.
type Memory struct {
	// Now is the clock expiry follows; nil means time.Now.
	Now  func() time.Time
	mu   sync.Mutex
	m    map[string]time.Time
	last time.Time // of the last sweep of expired claims
}

// Claim returns true for the first caller of key within ttl and false for
// every later one.
func (c *Memory) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t := now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]time.Time)
	}
	if exp, ok := c.m[key]; ok && t.Before(exp) {
		return false, nil
	}
	// Drop expired claims now and then so the map does not grow forever.
	if len(c.m) > 4096 || t.Sub(c.last) > time.Minute {
		for k, exp := range c.m {
			if !t.Before(exp) {
				delete(c.m, k)
			}
		}
		c.last = t
	}
	c.m[key] = t.Add(ttl)
	return true, nil
}

// Store claims keys in a shared store, for several replicas.
type Store struct {
	Store SetNXer
	// Prefix is put before every key, naming what is claimed.
	Prefix string
}

// Claim returns true for the first caller of key within ttl, across every
// process sharing the store.
func (s Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return s.Store.SetNX(ctx, s.Prefix+key, []byte("1"), ttl)
}
