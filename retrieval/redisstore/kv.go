package redisstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// tokenLen is the length of the random claim token SetNX stores before val.
const tokenLen = 16

// SetNX stores val under key unless the key exists, for ttl (0: no expiry),
// and reports whether this call stored it: the Slack event dedup claim.
// The value is a random token followed by val, so when a reply is lost (a
// timeout, or the client retrying a SET that had in fact succeeded) SetNX
// reads the key back and still answers true exactly when its own write won.
// GetBytes of such a key returns the token followed by val.
func (s *Store) SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	token := make([]byte, tokenLen)
	_, _ = rand.Read(token)
	return s.setNX(ctx, key, append(token, val...), ttl)
}

// Claim is SetNX with no value: it reports whether this caller is the first
// to claim key within ttl, with the same signature as the embedded store's.
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return s.SetNX(ctx, key, nil, ttl)
}

func (s *Store) setNX(ctx context.Context, key string, tv []byte, ttl time.Duration) (bool, error) {
	op := "redis claim " + key
	if err := ctx.Err(); err != nil {
		return false, s.wrap(op, err)
	}
	k := s.kvKey(key)
	c, cancel := s.call(ctx)
	ok, err := s.rdb.SetNX(c, k, tv, ttl).Result()
	cancel()
	if err == nil && ok {
		return true, nil
	}
	// Not stored, or we cannot tell: ask whose value is there.
	c, cancel = s.call(ctx)
	got, gerr := s.rdb.Get(c, k).Bytes()
	cancel()
	switch {
	case gerr == nil:
		return bytes.HasPrefix(got, tv[:tokenLen]), nil
	case gerr == redis.Nil && err == nil:
		// Someone else's claim expired between the two calls; try once more.
		c, cancel = s.call(ctx)
		ok, err = s.rdb.SetNX(c, k, tv, ttl).Result()
		cancel()
		return ok, s.wrap(op, err)
	case err != nil:
		return false, s.wrap(op, err)
	default:
		return false, s.wrap(op, gerr)
	}
}

// GetBytes returns the value under key; ok is false when there is none.
func (s *Store) GetBytes(ctx context.Context, key string) (val []byte, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, s.wrap("redis get "+key, err)
	}
	c, cancel := s.call(ctx)
	defer cancel()
	b, err := s.rdb.Get(c, s.kvKey(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.wrap("redis get "+key, err)
	}
	return b, true, nil
}

// SetBytes stores val under key for ttl (0: no expiry), replacing any value.
func (s *Store) SetBytes(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return s.wrap("redis set "+key, err)
	}
	c, cancel := s.call(ctx)
	defer cancel()
	return s.wrap("redis set "+key, s.rdb.Set(c, s.kvKey(key), val, ttl).Err())
}

// incrScript increments and, on the first increment, sets the expiry, in
// one step on one key. KEYS: key. ARGV: ttl in milliseconds (0: none).
var incrScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 and tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`)

// Incr adds one to the counter under key and returns the new value. A
// positive ttl starts when the counter is created (a fixed window, for rate
// limits); 0 means no expiry.
func (s *Store) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, s.wrap("redis incr "+key, err)
	}
	c, cancel := s.call(ctx)
	defer cancel()
	n, err := incrScript.Run(c, s.rdb, []string{s.kvKey(key)}, ttl.Milliseconds()).Int64()
	return n, s.wrap("redis incr "+key, err)
}
