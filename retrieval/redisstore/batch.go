package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/storybot/storybot/retrieval"
)

// putManyChunk is how many articles one PutMany round trip carries: a bulk
// import's batch of a few hundred news articles is a few megabytes, which
// one round trip within the timeout would not always carry.
const putManyChunk = 128

// registerManyScript is registerScript for many puts at once: for each id
// and hash in turn, the registry entry, a version of its own and its stream
// entry, exactly as that many single puts would leave them, so followers
// see consecutive versions.
//
// KEYS: ids, ver, changes. ARGV: stream max length, then id, hash pairs.
var registerManyScript = redis.NewScript(`
local v = 0
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i+1])
  v = redis.call('INCR', KEYS[2])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[1], '*', 'op', 'put', 'id', ARGV[i], 'h', ARGV[i+1], 'v', v)
end
return v
`)

// PutMany implements retrieval.BatchStore: Put for many articles in three
// pipelined round trips per chunk of putManyChunk (read what is stored,
// write the articles that changed, register them in one script) instead
// of three per article. Each article is written whole before it is
// registered, as with Put; an article stored and registered with the same
// hash is not written again. When an ID comes more than once, its last
// version is the one stored.
func (s *Store) PutMany(ctx context.Context, arts []*retrieval.Article) error {
	last := make(map[string]int, len(arts))
	for i, a := range arts {
		if a == nil || a.ID == "" {
			return errors.New("redis put articles: empty id")
		}
		last[a.ID] = i
	}
	uniq := make([]*retrieval.Article, 0, len(last))
	for i, a := range arts {
		if last[a.ID] == i {
			uniq = append(uniq, a)
		}
	}
	for len(uniq) > 0 {
		n := min(len(uniq), putManyChunk)
		if err := s.putChunk(ctx, uniq[:n]); err != nil {
			return err
		}
		uniq = uniq[n:]
	}
	return nil
}

func (s *Store) putChunk(ctx context.Context, arts []*retrieval.Article) error {
	op := fmt.Sprintf("redis put %d articles (first %s)", len(arts), arts[0].ID)
	if err := ctx.Err(); err != nil {
		return s.wrap(op, err)
	}
	// What is there now?
	c, cancel := s.call(ctx)
	pipe := s.rdb.Pipeline()
	heads := make([]*redis.StringCmd, len(arts))
	regs := make([]*redis.StringCmd, len(arts))
	for i, a := range arts {
		heads[i] = pipe.GetRange(c, s.articleKey(a.ID), 0, headLen-1)
		regs[i] = pipe.HGet(c, s.idsKey, a.ID)
	}
	_, _ = pipe.Exec(c)
	cancel()
	var write []*retrieval.Article
	var register []*retrieval.Article
	for i, a := range arts {
		if err := heads[i].Err(); err != nil {
			return s.wrap(op, err)
		}
		if err := regs[i].Err(); err != nil && err != redis.Nil {
			return s.wrap(op, err)
		}
		storedHash, ok := hashOf(heads[i].Val())
		same := ok && a.Hash != "" && storedHash == a.Hash
		if same && regs[i].Val() == a.Hash {
			continue
		}
		if !same {
			write = append(write, a)
		}
		register = append(register, a)
	}
	if len(write) > 0 {
		c, cancel := s.call(ctx)
		pipe := s.rdb.Pipeline()
		for _, a := range write {
			data, err := encodeArticle(a)
			if err != nil {
				cancel()
				return fmt.Errorf("%s: %s: %w", op, a.ID, err)
			}
			pipe.Set(c, s.articleKey(a.ID), data, 0)
		}
		_, err := pipe.Exec(c)
		cancel()
		if err != nil {
			return s.wrap(op, err)
		}
	}
	if len(register) == 0 {
		return nil
	}
	args := make([]any, 0, 1+2*len(register))
	args = append(args, strconv.FormatInt(s.maxLen, 10))
	for _, a := range register {
		args = append(args, a.ID, a.Hash)
	}
	c, cancel = s.call(ctx)
	defer cancel()
	keys := []string{s.idsKey, s.verKey, s.changesKey}
	return s.wrap(op, registerManyScript.Run(c, s.rdb, keys, args...).Err())
}
