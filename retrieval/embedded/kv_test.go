package embedded

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestKV(t *testing.T) {
	s, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, ok, _ := s.GetBytes(ctx, "k"); ok {
		t.Fatal("empty store has k")
	}
	s.SetBytes(ctx, "k", []byte("v"), 0)
	if v, ok, _ := s.GetBytes(ctx, "k"); !ok || string(v) != "v" {
		t.Fatalf("get = %q %v", v, ok)
	}
	s.SetBytes(ctx, "short", []byte("v"), time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	if _, ok, _ := s.GetBytes(ctx, "short"); ok {
		t.Error("expired value returned")
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := s.Claim(ctx, "event", time.Hour); err == nil && ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d claims won, want 1", wins.Load())
	}
}
