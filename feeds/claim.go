package feeds

import (
	"context"
	"time"

	"github.com/storybot/storybot/internal/claim"
)

// Claimer gives a key to one caller for ttl: across replicas sharing it,
// each feed item is fetched by one replica only.
type Claimer interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// MemClaimer is a Claimer for one process (and for tests, where several
// pollers share one to play replicas).
type MemClaimer = claim.Memory

// SetNXer is a shared store with set-if-absent and expiry, such as
// *redisstore.Store.
type SetNXer = claim.SetNXer

// StoreClaimer is a Claimer over a shared store, for several replicas; its
// keys start "feeds:claim:".
func StoreClaimer(s SetNXer) claim.Store { return claim.Store{Store: s, Prefix: "feeds:claim:"} }
