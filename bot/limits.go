package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/handlers"
)

// Shared is state every replica sees (the Redis store): per-user question
// counts, per-channel Slack rate-limit pauses and the answers behind
// buttons. It is the same key-value surface the handlers' shared logs use.
type Shared = handlers.KV

// sharedTimeout bounds each call to the shared state; on failure the
// process-local state decides.
const sharedTimeout = 500 * time.Millisecond

// userLimiter allows each user Count questions in any window of Per. With
// shared state the count is kept across replicas in fixed windows of Per.
type userLimiter struct {
	rate   config.Rate
	shared Shared
	mu     sync.Mutex
	seen   map[string][]time.Time
}

func newUserLimiter(r config.Rate, shared Shared) *userLimiter {
	return &userLimiter{rate: r, shared: shared, seen: make(map[string][]time.Time)}
}

// allow records a question from user and reports whether it is within the
// rate; when not, it says how long until the next one is.
func (l *userLimiter) allow(ctx context.Context, user string) (time.Duration, bool) {
	if !l.rate.Limited() {
		return 0, true
	}
	if l.shared != nil {
		now := time.Now()
		window := now.UnixNano() / int64(l.rate.Per)
		ctx, cancel := context.WithTimeout(ctx, sharedTimeout)
		n, err := l.shared.Incr(ctx, "slack:rate:"+user+":"+strconv.FormatInt(window, 10), l.rate.Per)
		cancel()
		if err == nil {
			if n > int64(l.rate.Count) {
				end := time.Unix(0, (window+1)*int64(l.rate.Per))
				return end.Sub(now), false
			}
			return 0, true
		}
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
// its Retry-After has passed. With shared state, a 429 seen by one replica
// pauses every replica's calls to that channel.
type channelGate struct {
	shared Shared
	mu     sync.Mutex
	until  map[string]time.Time
}

func newChannelGate(shared Shared) *channelGate {
	return &channelGate{shared: shared, until: make(map[string]time.Time)}
}

func (g *channelGate) block(ctx context.Context, channel string, d time.Duration) {
	if d <= 0 {
		d = time.Second
	}
	t := time.Now().Add(d)
	g.mu.Lock()
	if t.After(g.until[channel]) {
		g.until[channel] = t
	}
	g.mu.Unlock()
	if g.shared != nil {
		ctx, cancel := context.WithTimeout(ctx, sharedTimeout)
		defer cancel()
		_ = g.shared.SetBytes(ctx, gateKey(channel), []byte(strconv.FormatInt(t.UnixNano(), 10)), d)
	}
}

func gateKey(channel string) string {
	sum := sha256.Sum256([]byte(channel)) // response_url "channels" are long URLs
	return "slack:gate:" + hex.EncodeToString(sum[:12])
}

func (g *channelGate) wait(ctx context.Context, channel string) error {
	g.mu.Lock()
	t, ok := g.until[channel]
	if ok && !time.Now().Before(t) {
		delete(g.until, channel)
		ok = false
	}
	g.mu.Unlock()
	if !ok && g.shared != nil {
		sctx, cancel := context.WithTimeout(ctx, sharedTimeout)
		v, found, err := g.shared.GetBytes(sctx, gateKey(channel))
		cancel()
		if err == nil && found {
			if ns, err := strconv.ParseInt(string(v), 10, 64); err == nil && time.Now().UnixNano() < ns {
				t, ok = time.Unix(0, ns), true
			}
		}
	}
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
	// private marks an answer given privately (a slash command), whose
	// message keeps its "Share to channel" button.
	private bool
}

// answerCache keeps recent answers by ID, bounded in size and age, for
// their buttons (share, feedback). With shared state the answers are also
// kept there, so a click that reaches another replica, or comes after a
// restart, still finds its answer.
type answerCache struct {
	shared Shared
	mu     sync.Mutex
	max    int
	ttl    time.Duration
	byID   map[string]*answerRecord
	order  []string
}

func newAnswerCache(max int, ttl time.Duration, shared Shared) *answerCache {
	return &answerCache{shared: shared, max: max, ttl: ttl, byID: make(map[string]*answerRecord)}
}

// wireRecord is an answerRecord as the shared store keeps it: the answer's
// JSON form plus the fields that JSON leaves out.
type wireRecord struct {
	Answer    *answer.Answer `json:"answer"`
	Notes     []string       `json:"notes,omitempty"`
	Published []string       `json:"published,omitempty"`
	Question  string         `json:"question"`
	Channel   string         `json:"channel"`
	User      string         `json:"user"`
	At        time.Time      `json:"at"`
	Private   bool           `json:"private,omitempty"`
}

func (c *answerCache) put(r *answerRecord) string {
	id := newID()
	r.at = time.Now()
	c.mu.Lock()
	c.byID[id] = r
	c.order = append(c.order, id)
	for len(c.order) > c.max {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
	if c.shared != nil {
		w := wireRecord{Answer: r.answer, Notes: r.answer.Notes, Question: r.question, Channel: r.channel, User: r.user, At: r.at, Private: r.private}
		for _, cit := range r.answer.Citations {
			w.Published = append(w.Published, cit.Published)
		}
		if b, err := json.Marshal(w); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
			_ = c.shared.SetBytes(ctx, "slack:answer:"+id, b, c.ttl)
			cancel()
		}
	}
	return id
}

func (c *answerCache) get(id string) *answerRecord {
	c.mu.Lock()
	r := c.byID[id]
	c.mu.Unlock()
	if r == nil && c.shared != nil {
		r = c.fetch(id)
	}
	if r == nil || time.Since(r.at) > c.ttl {
		return nil
	}
	return r
}

func (c *answerCache) fetch(id string) *answerRecord {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	b, ok, err := c.shared.GetBytes(ctx, "slack:answer:"+id)
	if err != nil || !ok {
		return nil
	}
	var w wireRecord
	if json.Unmarshal(b, &w) != nil || w.Answer == nil {
		return nil
	}
	w.Answer.Notes = w.Notes
	for i := range w.Answer.Citations {
		if i < len(w.Published) {
			w.Answer.Citations[i].Published = w.Published[i]
		}
	}
	return &answerRecord{answer: w.Answer, question: w.Question, channel: w.Channel, user: w.User, at: w.At, private: w.Private}
}
