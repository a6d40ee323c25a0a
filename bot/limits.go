package bot

import (
	"context"
	"sync"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/config"
)

// userLimiter allows each user Count questions in any window of Per.
type userLimiter struct {
	rate config.Rate
	mu   sync.Mutex
	seen map[string][]time.Time
}

func newUserLimiter(r config.Rate) *userLimiter {
	return &userLimiter{rate: r, seen: make(map[string][]time.Time)}
}

// allow records a question from user and reports whether it is within the
// rate; when not, it says how long until the next one is.
func (l *userLimiter) allow(user string) (time.Duration, bool) {
	if !l.rate.Limited() {
		return 0, true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.seen[user]
	keep := times[:0]
	for _, t := range times {
		if now.Sub(t) < l.rate.Per {
			keep = append(keep, t)
		}
	}
	if len(keep) >= l.rate.Count {
		l.seen[user] = keep
		return l.rate.Per - now.Sub(keep[0]), false
	}
	l.seen[user] = append(keep, now)
	if len(l.seen) > 10000 {
		for u, ts := range l.seen {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= l.rate.Per {
				delete(l.seen, u)
			}
		}
	}
	return 0, true
}

// channelGate holds back calls to a channel that Slack rate-limited until
// its Retry-After has passed.
type channelGate struct {
	mu    sync.Mutex
	until map[string]time.Time
}

func newChannelGate() *channelGate { return &channelGate{until: make(map[string]time.Time)} }

func (g *channelGate) block(channel string, d time.Duration) {
	if d <= 0 {
		d = time.Second
	}
	t := time.Now().Add(d)
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.After(g.until[channel]) {
		g.until[channel] = t
	}
}

func (g *channelGate) wait(ctx context.Context, channel string) error {
	g.mu.Lock()
	t, ok := g.until[channel]
	if ok && !time.Now().Before(t) {
		delete(g.until, channel)
		ok = false
	}
	g.mu.Unlock()
	if !ok {
		return nil
	}
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// answerRecord is an answer kept for its buttons (share, feedback).
type answerRecord struct {
	answer   *answer.Answer
	question string
	channel  string
	user     string
	at       time.Time
}

// answerCache keeps recent answers by ID, bounded in size and age.
type answerCache struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	byID  map[string]*answerRecord
	order []string
}

func newAnswerCache(max int, ttl time.Duration) *answerCache {
	return &answerCache{max: max, ttl: ttl, byID: make(map[string]*answerRecord)}
}

func (c *answerCache) put(r *answerRecord) string {
	id := newID()
	r.at = time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID[id] = r
	c.order = append(c.order, id)
	for len(c.order) > c.max {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
	return id
}

func (c *answerCache) get(id string) *answerRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.byID[id]
	if r == nil || time.Since(r.at) > c.ttl {
		return nil
	}
	return r
}
