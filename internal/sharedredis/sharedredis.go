// Package sharedredis opens, for a test, a Redis store on a private
// redis-server (or on REDIS_URL under a private key prefix), for packages
// that test how replicas share state.
package sharedredis

import (
	"context"
	"testing"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval/redisstore"
)

// Open returns a Redis store that is closed when the test ends.
func Open(t testing.TB) *redisstore.Store {
	t.Helper()
	url, _, _ := redistest.Start(t)
	o, err := redisstore.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	o.Prefix = redistest.Prefix(t)
	s, err := redisstore.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
