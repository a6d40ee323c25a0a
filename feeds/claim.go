package feeds

import (
	"context"
	"sync"
	"time"
)

// Claimer gives a key to one caller for ttl: across replicas sharing it,
// each feed item is fetched by one replica only.
type Claimer interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// MemClaimer is a Claimer for one process (and for tests, where several
// pollers share one to play replicas).
type MemClaimer struct {
	// Now is the clock expiry follows; nil means time.Now.
	Now func() time.Time
	mu  sync.Mutex
	m   map[string]time.Time
}

// Claim implements Claimer.
func (c *MemClaimer) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t := now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.m[key]; ok && t.Before(exp) {
		return false, nil
	}
	if c.m == nil {
		c.m = map[string]time.Time{}
	}
	// Drop expired claims now and then so the map does not grow forever.
	if len(c.m) > 4096 {
		for k, exp := range c.m {
			if !t.Before(exp) {
				delete(c.m, k)
			}
		}
	}
	c.m[key] = t.Add(ttl)
	return true, nil
}

// SetNXer is a shared store with set-if-absent and expiry, such as
// *redisstore.Store.
type SetNXer interface {
	SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)
}

// StoreClaimer is a Claimer over a shared store, for several replicas.
type StoreClaimer struct {
	Store SetNXer
	// Prefix is put before every key (default "feeds:claim:").
	Prefix string
}

// Claim implements Claimer.
func (s StoreClaimer) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	p := s.Prefix
	if p == "" {
		p = "feeds:claim:"
	}
	return s.Store.SetNX(ctx, p+key, []byte("1"), ttl)
}
