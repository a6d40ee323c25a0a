package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/storybot/storybot/internal/claim"
)

// Claimer records that a piece of work has been taken, so that Slack's
// retries of an event, and the app_mention and message twins of one
// mention, are answered once across every replica. Claim returns true for
// the first caller of a key within ttl and false for every later one.
type Claimer interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// MemoryClaimer is a Claimer for one process.
type MemoryClaimer = claim.Memory

// NewMemoryClaimer returns an empty MemoryClaimer.
func NewMemoryClaimer() *MemoryClaimer { return &claim.Memory{} }

// SetNXer is a shared key-value store with set-if-absent, such as the
// Redis store's SetNX, which stays correct when its client retries after a
// timeout.
type SetNXer = claim.SetNXer

// StoreClaimer is a Claimer over a shared store, for several replicas; its
// keys start "slack:claim:".
func StoreClaimer(s SetNXer) claim.Store { return claim.Store{Store: s, Prefix: "slack:claim:"} }

// newID returns a random identifier for an answer.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
