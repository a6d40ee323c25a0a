package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Claimer records that a piece of work has been taken, so that Slack's
// retries of an event, and the app_mention and message twins of one
// mention, are answered once across every replica. Claim returns true for
// the first caller of a key within ttl and false for every later one.
type Claimer interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// MemoryClaimer is a Claimer for one process.
type MemoryClaimer struct {
	mu   sync.Mutex
	keys map[string]time.Time
	last time.Time
}

// NewMemoryClaimer returns an empty MemoryClaimer.
func NewMemoryClaimer() *MemoryClaimer {
	return &MemoryClaimer{keys: make(map[string]time.Time)}
}

// Claim implements Claimer.
func (m *MemoryClaimer) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.last) > time.Minute {
		for k, exp := range m.keys {
			if now.After(exp) {
				delete(m.keys, k)
			}
		}
		m.last = now
	}
	if exp, ok := m.keys[key]; ok && now.Before(exp) {
		return false, nil
	}
	m.keys[key] = now.Add(ttl)
	return true, nil
}

// SetNXer is a shared key-value store with set-if-absent, such as the Redis
// store's SetNX, which stays correct when its client retries after a
// timeout.
type SetNXer interface {
	SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)
}

// StoreClaimer is a Claimer over a shared store, for several replicas.
type StoreClaimer struct {
	Store SetNXer
	// Prefix is put before every key (default "slack:claim:").
	Prefix string
}

// Claim implements Claimer.
func (s StoreClaimer) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	p := s.Prefix
	if p == "" {
		p = "slack:claim:"
	}
	return s.Store.SetNX(ctx, p+key, []byte("1"), ttl)
}

// newID returns a random identifier for an answer.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
