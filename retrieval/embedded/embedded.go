// Package embedded is storybot's store when no Redis is configured: one
// bbolt file under the data folder. bbolt's file lock serialises concurrent
// storybot processes on the same folder, so parallel ingest runs lose nothing.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/storybot/storybot/retrieval"
)

var (
	bucketArticles = []byte("articles")
	bucketKV       = []byte("kv")
	// bucketChanges is the change log: big-endian sequence -> op, id.
	bucketChanges = []byte("changes")
	// bucketMeta holds the store's epoch.
	bucketMeta = []byte("meta")
	keyEpoch   = []byte("epoch")
)

// keepChanges is how many writes the change log keeps; a reader further
// behind reads everything. A variable for tests.
var keepChanges uint64 = 1 << 18

// FileName is the database file inside the data folder.
const FileName = "storybot.db"

// Store is a retrieval.Store in a bbolt file.
type Store struct {
	db *bolt.DB
}

// Open opens (creating if needed) the store in dir. It waits up to lockWait
// for another storybot process that holds the folder.
func Open(dir string, lockWait time.Duration) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another storybot process holds it (waited %s)", path, lockWait)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketArticles, bucketKV, bucketChanges, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keyEpoch) == nil {
			return meta.Put(keyEpoch, []byte(newEpoch()))
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Put implements retrieval.Store.
func (s *Store) Put(ctx context.Context, a *retrieval.Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("put %s: %w", a.ID, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return putTx(tx, a.ID, b)
	})
}

// PutMany implements retrieval.BatchStore: one transaction, one fsync.
func (s *Store) PutMany(ctx context.Context, arts []*retrieval.Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	vals := make([][]byte, len(arts))
	for i, a := range arts {
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("put %s: %w", a.ID, err)
		}
		vals[i] = b
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for i, a := range arts {
			if err := putTx(tx, a.ID, vals[i]); err != nil {
				return fmt.Errorf("put %s: %w", a.ID, err)
			}
		}
		return nil
	})
}

func putTx(tx *bolt.Tx, id string, val []byte) error {
	if err := tx.Bucket(bucketArticles).Put([]byte(id), val); err != nil {
		return err
	}
	return logChange(tx, "put", id)
}

// Get implements retrieval.Store.
func (s *Store) Get(ctx context.Context, id string) (*retrieval.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var a *retrieval.Article
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketArticles).Get([]byte(id))
		if v == nil {
			return retrieval.ErrNotFound
		}
		a = new(retrieval.Article)
		return json.Unmarshal(v, a)
	})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	return a, nil
}

// List implements retrieval.Store.
func (s *Store) List(ctx context.Context) ([]*retrieval.Article, error) {
	var out []*retrieval.Article
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			a := new(retrieval.Article)
			if err := json.Unmarshal(v, a); err != nil {
				return fmt.Errorf("article %s: %w", k, err)
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, nil
}

// Delete implements retrieval.Store.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		if b.Get([]byte(id)) == nil {
			return nil
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		return logChange(tx, "delete", id)
	})
}

// Close releases the file and its lock.
func (s *Store) Close() error { return s.db.Close() }
