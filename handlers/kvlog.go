package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
)

// KV is the part of a shared store (Redis) that logs need: a counter and
// expiring values, each on its own key, so it works on Redis Cluster.
type KV interface {
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	GetBytes(ctx context.Context, key string) ([]byte, bool, error)
	SetBytes(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// kvLog is an append-only log in a KV store: a sequence counter and one key
// per entry, so every replica appends to and reads the same log.
type kvLog struct {
	kv   KV
	name string
	ttl  time.Duration // of each entry; 0 keeps them
}

func (l kvLog) append(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s log: %w", l.name, err)
	}
	n, err := l.kv.Incr(ctx, l.name+":seq", 0)
	if err != nil {
		return fmt.Errorf("%s log: %w", l.name, err)
	}
	if err := l.kv.SetBytes(ctx, l.name+":"+strconv.FormatInt(n, 10), b, l.ttl); err != nil {
		return fmt.Errorf("%s log: %w", l.name, err)
	}
	return nil
}

// each calls fn with every entry still held, oldest first; from skips the
// entries before that sequence number.
func (l kvLog) each(ctx context.Context, fn func([]byte) error) error {
	v, ok, err := l.kv.GetBytes(ctx, l.name+":seq")
	if err != nil {
		return fmt.Errorf("%s log: %w", l.name, err)
	}
	if !ok {
		return nil
	}
	// The counter is an INCR'd integer.
	last, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return fmt.Errorf("%s log: bad sequence %q", l.name, v)
	}
	for i := int64(1); i <= last; i++ {
		b, ok, err := l.kv.GetBytes(ctx, l.name+":"+strconv.FormatInt(i, 10))
		if err != nil {
			return fmt.Errorf("%s log entry %d: %w", l.name, i, err)
		}
		if !ok {
			continue // expired
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

// KVFeedback keeps feedback in a shared store, so every replica's buttons
// land in one log that `storybot feedback` exports.
type KVFeedback struct{ log kvLog }

// NewKVFeedback returns feedback kept in kv.
func NewKVFeedback(kv KV) *KVFeedback { return &KVFeedback{kvLog{kv: kv, name: "feedback"}} }

// Add implements FeedbackStore.
func (f *KVFeedback) Add(ctx context.Context, r FeedbackRecord) error { return f.log.append(ctx, r) }

// Export implements FeedbackStore.
func (f *KVFeedback) Export(ctx context.Context, w io.Writer) error {
	return f.log.each(ctx, func(b []byte) error {
		_, err := fmt.Fprintf(w, "%s\n", b)
		return err
	})
}

// KVLeads keeps digest leads in a shared store, so a question asked on any
// replica reaches the digest whichever replica posts it. Leads are kept for
// 30 days.
type KVLeads struct{ log kvLog }

// NewKVLeads returns leads kept in kv.
func NewKVLeads(kv KV) *KVLeads {
	return &KVLeads{kvLog{kv: kv, name: "leads", ttl: 30 * 24 * time.Hour}}
}

// Add implements LeadStore.
func (s *KVLeads) Add(ctx context.Context, l Lead) error { return s.log.append(ctx, l) }

// Since implements LeadStore.
func (s *KVLeads) Since(ctx context.Context, channel string, since, until time.Time) ([]Lead, error) {
	var out []Lead
	err := s.log.each(ctx, func(b []byte) error {
		var l Lead
		if err := json.Unmarshal(b, &l); err != nil {
			return nil // a damaged entry is skipped, not fatal
		}
		if l.Channel == channel && l.Time.After(since) && !l.Time.After(until) {
			out = append(out, l)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, err
}
