// Package embedded is storybot's store when no Redis is configured: one
// bbolt file under the data folder, shared by every storybot process that
// uses the folder (serve, ingest, ask, eval, digest at once).
//
// bbolt lets one process open a file for writing at a time. So a Store does
// not keep the file open: each operation opens it, runs one transaction and
// closes it, under a lock file beside it (storybot.db.lock) taken shared
// for reads and exclusive for writes. A process waits for another only
// while that one's transaction runs, never for its whole life; writes stay
// serialised, so concurrent ingests lose nothing. Within a process,
// goroutines that read at the same time share one read-only handle. See
// docs/store.md for the choice and its measurements.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/gofrs/flock"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sync/semaphore"

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

// FileName is the database file inside the data folder; LockName is the
// lock file beside it that orders the processes using the folder.
const (
	FileName = "storybot.db"
	LockName = "storybot.db.lock"
)

// lockRetry is how often a process waiting for the folder tries again.
const lockRetry = 2 * time.Millisecond

// ErrClosed is returned by the operations of a closed Store.
var ErrClosed = errors.New("embedded store is closed")

// Store is a retrieval.Store in a bbolt file that several processes share.
type Store struct {
	path     string
	lockPath string
	lockWait time.Duration

	// turns orders this process's own operations, first come first served
	// and within each one's context: a reader takes one unit, so readers
	// go together; a writer takes them all, so it goes alone.
	turns *semaphore.Weighted

	mu      sync.Mutex // guards the fields below
	reader  *bolt.DB   // the read-only handle this process's readers share
	readers int
	unlock  func()        // releases the readers' shared lock
	opening chan struct{} // closed when the reader being opened is ready
	closed  bool
}

// allTurns is a writer's share of turns: more readers than a process has.
const allTurns = 1 << 30

// Open opens (creating or upgrading if needed) the store in dir. Each later
// operation waits up to lockWait (0: as long as its context allows) for
// another process's transaction on the folder.
func Open(dir string, lockWait time.Duration) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	s := &Store{
		path:     filepath.Join(dir, FileName),
		lockWait: lockWait,
		lockPath: filepath.Join(dir, LockName),
		turns:    semaphore.NewWeighted(allTurns),
	}
	if err := s.prepare(); err != nil {
		return nil, err
	}
	return s, nil
}

var allBuckets = [][]byte{bucketArticles, bucketKV, bucketChanges, bucketMeta}

// prepare makes a new file, or one written by an older storybot (which
// lacks the change log and the epoch), ready: it adds what is missing, and
// leaves the articles and key-value entries as they are. A file that is
// ready is only read, so a process starting does not wait for writers.
func (s *Store) prepare() error {
	ctx := context.Background()
	if st, err := os.Stat(s.path); err == nil && st.Size() > 0 {
		ready := true
		err := s.view(ctx, func(tx *bolt.Tx) error {
			for _, b := range allBuckets {
				ready = ready && tx.Bucket(b) != nil
			}
			ready = ready && tx.Bucket(bucketMeta).Get(keyEpoch) != nil
			return nil
		})
		if err != nil || ready {
			return err
		}
	}
	return s.update(ctx, func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
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
}

// waitCtx bounds a wait for the folder by the store's lockWait.
func (s *Store) waitCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.lockWait <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.lockWait)
}

// acquire takes the folder's lock, shared or exclusive, waiting for other
// processes within the store's lockWait and ctx, and returns its release.
// A waiter blocks in the kernel rather than polling, so it gets the lock
// as soon as the holder lets go, even a holder that takes it back at once
// (a bulk import writing batch after batch).
func (s *Store) acquire(ctx context.Context, shared bool) (release func(), err error) {
	fl := flock.New(s.lockPath, flock.SetPermissions(0o600))
	lock, try := fl.Lock, fl.TryLock
	if shared {
		lock, try = fl.RLock, fl.TryRLock
	}
	release = func() { fl.Unlock() }
	if ok, err := try(); ok || err != nil {
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", s.lockPath, err)
		}
		return release, nil
	}
	wctx, cancel := s.waitCtx(ctx)
	defer cancel()
	got := make(chan error, 1)
	go func() { got <- lock() }()
	select {
	case err := <-got:
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", s.lockPath, err)
		}
		return release, nil
	case <-wctx.Done():
		// The waiting goroutine lets go as soon as it gets the lock.
		go func() {
			if <-got == nil {
				fl.Unlock()
			}
		}()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("open %s: another storybot process has held it for %s", s.path, s.lockWait)
	}
}

// openDB opens the bbolt file under the lock this process holds. bbolt
// takes its own lock on the file too; it waits only for a storybot from
// before the lock file, which kept the file open for its whole life.
func (s *Store) openDB(readOnly bool) (*bolt.DB, error) {
	wait := max(s.lockWait, 0) // bbolt: 0 waits as long as it takes
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{ReadOnly: readOnly, Timeout: wait})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another storybot process holds it (waited %s); an older storybot serve keeps it open for its whole life: upgrade or stop it", s.path, wait)
		}
		return nil, fmt.Errorf("open %s: %w", s.path, err)
	}
	return db, nil
}

// view runs fn in a read transaction. Readers in this process share one
// read-only handle, opened by the first and closed by the last, so the
// folder is held (shared) only while some goroutine reads.
func (s *Store) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := s.turns.Acquire(ctx, 1); err != nil {
		return err
	}
	defer s.turns.Release(1)
	db, err := s.acquireReader(ctx)
	if err != nil {
		return err
	}
	defer s.releaseReader()
	return db.View(fn)
}

// acquireReader returns the shared read-only handle, opening it when no
// goroutine holds it; goroutines that come while it opens wait for it
// within their own contexts.
func (s *Store) acquireReader(ctx context.Context) (*bolt.DB, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, ErrClosed
		}
		if s.reader != nil {
			s.readers++
			db := s.reader
			s.mu.Unlock()
			return db, nil
		}
		if wait := s.opening; wait != nil {
			s.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		opened := make(chan struct{})
		s.opening = opened
		s.mu.Unlock()

		var db *bolt.DB
		unlock, err := s.acquire(ctx, true)
		if err == nil {
			if db, err = s.openDB(true); err != nil {
				unlock()
			}
		}
		s.mu.Lock()
		s.opening = nil
		close(opened)
		if err == nil {
			s.reader, s.unlock, s.readers = db, unlock, 1
		}
		s.mu.Unlock()
		return db, err
	}
}

func (s *Store) releaseReader() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readers--; s.readers > 0 {
		return
	}
	s.reader.Close()
	s.unlock()
	s.reader, s.unlock = nil, nil
}

// update runs fn in a write transaction, holding the folder exclusively
// from opening the file to closing it.
func (s *Store) update(ctx context.Context, fn func(*bolt.Tx) error) (err error) {
	if err := s.turns.Acquire(ctx, allTurns); err != nil {
		return err
	}
	defer s.turns.Release(allTurns)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrClosed
	}
	unlock, err := s.acquire(ctx, false)
	if err != nil {
		return err
	}
	defer unlock()
	db, err := s.openDB(false)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", s.path, cerr)
		}
	}()
	return db.Update(fn)
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
	return s.update(ctx, func(tx *bolt.Tx) error {
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
	return s.update(ctx, func(tx *bolt.Tx) error {
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
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketArticles).Get([]byte(id))
		if v == nil {
			return retrieval.ErrNotFound
		}
		var err error
		a, err = decodeArticle(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	return a, nil
}

// List implements retrieval.Store. It decodes the articles on every core,
// in key order, so the folder is held (shared: writers wait) for as short
// a time as reading the file allows.
func (s *Store) List(ctx context.Context) ([]*retrieval.Article, error) {
	var out []*retrieval.Article
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var keys, vals [][]byte
		c := tx.Bucket(bucketArticles).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			keys, vals = append(keys, k), append(vals, v)
		}
		out = make([]*retrieval.Article, len(vals))
		return decodeAll(ctx, keys, vals, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, nil
}

// decodeArticle reads a stored article. It runs for every article a
// process loads, so it uses github.com/go-json-experiment/json (the
// implementation of encoding/json/v2), which decodes these values several
// times faster than encoding/json; the format, written by encoding/json,
// is the same.
func decodeArticle(b []byte) (*retrieval.Article, error) {
	a := new(retrieval.Article)
	if err := jsonv2.Unmarshal(b, a); err != nil {
		return nil, err
	}
	return a, nil
}

// decodeAll decodes vals[i] into out[i] on every core. The values are
// bbolt's, valid only in their transaction; decoding copies them.
func decodeAll(ctx context.Context, keys, vals [][]byte, out []*retrieval.Article) error {
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range errs {
		wg.Go(func() {
			for {
				if errs[w] = ctx.Err(); errs[w] != nil {
					return
				}
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(vals) {
					return
				}
				for i := lo; i < min(lo+chunk, len(vals)); i++ {
					a, err := decodeArticle(vals[i])
					if err != nil {
						errs[w] = fmt.Errorf("article %s: %w", keys[i], err)
						next.Store(int64(len(vals))) // the others stop too
						return
					}
					out[i] = a
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Delete implements retrieval.Store.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bolt.Tx) error {
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

// Close ends the store's use; it waits for operations under way. The
// file and its lock are already released between operations.
func (s *Store) Close() error {
	s.turns.Acquire(context.Background(), allTurns)
	defer s.turns.Release(allTurns)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
