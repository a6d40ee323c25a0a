package embedded

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// GetBytes returns the value stored under key, if it is there and not expired.
// Caches (answers, embeddings) and claims live here when there is no Redis.
func (s *Store) GetBytes(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	var out []byte
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketKV).Get([]byte(key))
		if v == nil || expired(v, time.Now()) {
			return nil
		}
		out = append([]byte(nil), v[8:]...)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("kv get: %w", err)
	}
	return out, out != nil, nil
}

// SetBytes stores val under key for ttl (0: no expiry).
func (s *Store) SetBytes(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKV).Put([]byte(key), stamp(val, ttl))
	})
}

// Claim stores key only if it is absent or expired, and reports whether this
// call stored it: the first of several claimants wins.
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	won := false
	err := s.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV)
		if v := b.Get([]byte(key)); v != nil && !expired(v, time.Now()) {
			return nil
		}
		won = true
		return b.Put([]byte(key), stamp([]byte{1}, ttl))
	})
	if err != nil {
		return false, fmt.Errorf("kv claim: %w", err)
	}
	return won, nil
}

// stamp prefixes val with its expiry in Unix nanoseconds (0: never).
func stamp(val []byte, ttl time.Duration) []byte {
	out := make([]byte, 8+len(val))
	if ttl > 0 {
		binary.BigEndian.PutUint64(out, uint64(time.Now().Add(ttl).UnixNano()))
	}
	copy(out[8:], val)
	return out
}

func expired(v []byte, now time.Time) bool {
	if len(v) < 8 {
		return true
	}
	exp := binary.BigEndian.Uint64(v)
	return exp != 0 && now.UnixNano() > int64(exp)
}
