package claim

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	now := time.Unix(1000, 0)
	c := &Memory{Now: func() time.Time { return now }}
	ctx := context.Background()
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := c.Claim(ctx, "k", time.Minute); ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d claims won, want 1", wins.Load())
	}
	now = now.Add(2 * time.Minute)
	if ok, _ := c.Claim(ctx, "k", time.Minute); !ok {
		t.Error("an expired claim was not given again")
	}
}

type setNXFunc func(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)

func (f setNXFunc) SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	return f(ctx, key, val, ttl)
}

func TestStorePrefixesKeys(t *testing.T) {
	var got string
	s := Store{Prefix: "p:", Store: setNXFunc(func(_ context.Context, key string, _ []byte, _ time.Duration) (bool, error) {
		got = key
		return true, nil
	})}
	if ok, err := s.Claim(context.Background(), "x", time.Second); !ok || err != nil || got != "p:x" {
		t.Errorf("claim %v %v key %q", ok, err, got)
	}
}
