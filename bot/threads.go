package bot

import (
	"context"
	"sync"
	"time"
)

// threadTTL is how long a thread the bot answered in takes follow-ups
// without a mention.
const threadTTL = 7 * 24 * time.Hour

// threadSet remembers the channel threads the bot has answered in, so a
// reply there is a follow-up even without a mention; every other channel
// message is ignored. With shared state every replica knows them.
type threadSet struct {
	shared Shared
	mu     sync.Mutex
	seen   map[string]time.Time
}

func newThreadSet(shared Shared) *threadSet {
	return &threadSet{shared: shared, seen: map[string]time.Time{}}
}

func threadKey(channel, ts string) string { return channel + ":" + ts }

// add records that the bot answered in the thread.
func (s *threadSet) add(ctx context.Context, channel, ts string) {
	k := threadKey(channel, ts)
	now := time.Now()
	s.mu.Lock()
	s.seen[k] = now
	if len(s.seen) > 50000 { // drop the expired now and then
		for key, at := range s.seen {
			if now.Sub(at) > threadTTL {
				delete(s.seen, key)
			}
		}
	}
	s.mu.Unlock()
	if s.shared != nil {
		sctx, cancel := context.WithTimeout(ctx, sharedTimeout)
		_ = s.shared.SetBytes(sctx, "slack:thread:"+k, []byte{1}, threadTTL)
		cancel()
	}
}

// has reports whether the bot answered in the thread.
func (s *threadSet) has(ctx context.Context, channel, ts string) bool {
	k := threadKey(channel, ts)
	s.mu.Lock()
	at, ok := s.seen[k]
	s.mu.Unlock()
	if ok && time.Since(at) <= threadTTL {
		return true
	}
	if s.shared == nil {
		return false
	}
	sctx, cancel := context.WithTimeout(ctx, sharedTimeout)
	defer cancel()
	_, found, err := s.shared.GetBytes(sctx, "slack:thread:"+k)
	return err == nil && found
}
