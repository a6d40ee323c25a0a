package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/redis/go-redis/v9"

	"github.com/storybot/storybot/retrieval"
)

// headLen is how much of an article value Put reads to learn its hash.
const headLen = 128

// batchSize is how many articles one pipelined round trip fetches.
const batchSize = 256

// stored is an article as its key holds it: JSON with "hash" first, so Put
// can read the stored hash with GETRANGE instead of the whole article.
type stored struct {
	Hash string `json:"hash"`
	*retrieval.Article
}

func encodeArticle(a *retrieval.Article) ([]byte, error) {
	return json.Marshal(stored{Hash: a.Hash, Article: a})
}

// decodeArticle reads a stored article. It runs for every article a replica
// loads, so it uses github.com/go-json-experiment/json (the implementation
// of encoding/json/v2), which decodes these values about 4× faster than
// encoding/json; the format is the same.
func decodeArticle(b []byte) (*retrieval.Article, error) {
	st := stored{Article: new(retrieval.Article)}
	if err := jsonv2.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	st.Article.Hash = st.Hash
	return st.Article, nil
}

// hashOf reads the hash from the head of a stored value; ok is false when
// the head is not of that shape (empty key, odd hash).
func hashOf(head string) (string, bool) {
	const pre = `{"hash":"`
	if !strings.HasPrefix(head, pre) {
		return "", false
	}
	rest := head[len(pre):]
	i := strings.IndexByte(rest, '"')
	if i < 0 || strings.IndexByte(rest[:i], '\\') >= 0 {
		return "", false
	}
	return rest[:i], true
}

// registerScript records a change on the {prefix} slot in one step: the
// registry entry, the version bump and the stream entry that followers read.
// A delete of an id the registry does not hold changes nothing and returns -1.
//
// KEYS: ids, ver, changes. ARGV: op (put|del), id, hash, stream max length.
var registerScript = redis.NewScript(`
if ARGV[1] == 'put' then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
elseif redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then
  return -1
end
local v = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'op', ARGV[1], 'id', ARGV[2], 'h', ARGV[3], 'v', v)
return v
`)

func (s *Store) register(ctx context.Context, op, id, hash string) error {
	c, cancel := s.call(ctx)
	defer cancel()
	keys := []string{s.idsKey, s.verKey, s.changesKey}
	return registerScript.Run(c, s.rdb, keys, op, id, hash, strconv.FormatInt(s.maxLen, 10)).Err()
}

// Put implements retrieval.Store. The article is written whole with one SET
// on its own key, then registered (registry, version, change stream) in one
// script. A crash between the two leaves the new article readable by Get but
// not yet listed or announced; putting it again completes the job. Putting an
// article whose stored hash and registry entry already match writes nothing.
func (s *Store) Put(ctx context.Context, a *retrieval.Article) error {
	if a == nil || a.ID == "" {
		return errors.New("redis put article: empty id")
	}
	op := "redis put article " + a.ID
	if err := ctx.Err(); err != nil {
		return s.wrap(op, err)
	}
	data, err := encodeArticle(a)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	key := s.articleKey(a.ID)

	// What is there now? Two keys, two slots: a pipeline, not a multi-key command.
	c, cancel := s.call(ctx)
	pipe := s.rdb.Pipeline()
	head := pipe.GetRange(c, key, 0, headLen-1)
	reg := pipe.HGet(c, s.idsKey, a.ID)
	_, _ = pipe.Exec(c)
	cancel()
	if err := head.Err(); err != nil {
		return s.wrap(op, err)
	}
	if err := reg.Err(); err != nil && err != redis.Nil {
		return s.wrap(op, err)
	}
	storedHash, ok := hashOf(head.Val())
	same := ok && a.Hash != "" && storedHash == a.Hash
	if same && reg.Val() == a.Hash {
		return nil
	}
	if !same {
		c, cancel := s.call(ctx)
		err := s.rdb.Set(c, key, data, 0).Err()
		cancel()
		if err != nil {
			return s.wrap(op, err)
		}
	}
	return s.wrap(op, s.register(ctx, "put", a.ID, a.Hash))
}

// Get implements retrieval.Store.
func (s *Store) Get(ctx context.Context, id string) (*retrieval.Article, error) {
	op := "redis get article " + id
	if err := ctx.Err(); err != nil {
		return nil, s.wrap(op, err)
	}
	c, cancel := s.call(ctx)
	defer cancel()
	b, err := s.rdb.Get(c, s.articleKey(id)).Bytes()
	if err == redis.Nil {
		return nil, fmt.Errorf("%s: %w", op, retrieval.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(op, err)
	}
	a, err := decodeArticle(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return a, nil
}

// List implements retrieval.Store: every registered article, by ID.
func (s *Store) List(ctx context.Context) ([]*retrieval.Article, error) {
	const op = "redis list articles"
	if err := ctx.Err(); err != nil {
		return nil, s.wrap(op, err)
	}
	ids, err := s.registeredIDs(ctx)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	out := make([]*retrieval.Article, 0, len(ids))
	err = s.fetch(ctx, ids, func(id string, a *retrieval.Article) {
		if a != nil {
			out = append(out, a)
		}
	})
	if err != nil {
		return nil, s.wrap(op, err)
	}
	slices.SortFunc(out, func(a, b *retrieval.Article) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// registeredIDs reads the registry with HSCAN, one deadline per page.
func (s *Store) registeredIDs(ctx context.Context) ([]string, error) {
	var ids []string
	var cursor uint64
	for {
		c, cancel := s.call(ctx)
		kv, next, err := s.rdb.HScan(c, s.idsKey, cursor, "", 1000).Result()
		cancel()
		if err != nil {
			return nil, err
		}
		for i := 0; i+1 < len(kv); i += 2 {
			ids = append(ids, kv[i])
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	// HSCAN may return a field twice.
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// fetch reads the articles with pipelined GETs, batchSize per round trip
// (each GET names one key, so this is safe on a cluster), and calls fn for
// each id with the article or nil when its key is gone.
func (s *Store) fetch(ctx context.Context, ids []string, fn func(id string, a *retrieval.Article)) error {
	// Batches go out on several connections at once and are decoded where
	// they land: JSON decoding is most of a cold start. fn is called from
	// one goroutine at a time.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     atomic.Int64
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		stop()
	}
	batches := (len(ids) + batchSize - 1) / batchSize
	for range min(fetchWorkers, batches) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				bi := int(next.Add(1)) - 1
				if bi >= batches || ctx.Err() != nil {
					return
				}
				batch := ids[bi*batchSize : min((bi+1)*batchSize, len(ids))]
				arts, err := s.fetchBatch(ctx, batch)
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				for i, a := range arts {
					fn(batch[i], a)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// fetchWorkers is how many batches of a fetch are in flight at once.
const fetchWorkers = 4

// fetchBatch reads one batch of articles in one pipeline; a missing
// article is nil.
func (s *Store) fetchBatch(ctx context.Context, batch []string) ([]*retrieval.Article, error) {
	c, cancel := s.call(ctx)
	defer cancel()
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(batch))
	for i, id := range batch {
		cmds[i] = pipe.Get(c, s.articleKey(id))
	}
	_, _ = pipe.Exec(c)
	out := make([]*retrieval.Article, len(batch))
	for i, cmd := range cmds {
		b, err := cmd.Bytes()
		if err == redis.Nil {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", batch[i], err)
		}
		a, err := decodeArticle(b)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", batch[i], err)
		}
		out[i] = a
	}
	return out, nil
}

// Delete implements retrieval.Store. The article key goes first, so a crash
// before the registry update leaves the article gone (a registry entry
// without a key is skipped by List and Follow) rather than deleted but
// still readable.
func (s *Store) Delete(ctx context.Context, id string) error {
	op := "redis delete article " + id
	if err := ctx.Err(); err != nil {
		return s.wrap(op, err)
	}
	c, cancel := s.call(ctx)
	err := s.rdb.Del(c, s.articleKey(id)).Err()
	cancel()
	if err != nil {
		return s.wrap(op, err)
	}
	return s.wrap(op, s.register(ctx, "del", id, ""))
}

// Version returns the index version: it grows with every registered Put or
// Delete, so answer caches can key on it.
func (s *Store) Version(ctx context.Context) (int64, error) {
	c, cancel := s.call(ctx)
	defer cancel()
	v, err := s.rdb.Get(c, s.verKey).Int64()
	if err == redis.Nil {
		return 0, nil
	}
	return v, s.wrap("redis read index version", err)
}
