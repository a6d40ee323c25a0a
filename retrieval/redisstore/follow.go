package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/storybot/storybot/retrieval"
)

// Follow tuning. The block time only sets how often the loop wakes when
// nothing happens; a change arrives as soon as it is written.
const (
	followBlock      = 500 * time.Millisecond
	followCount      = 512
	followMinBackoff = 100 * time.Millisecond
	followMaxBackoff = 2 * time.Second
	// followCheckEvery is how often a quiet follower compares its position
	// with Redis's, to notice a Redis that lost its data.
	followCheckEvery = 2 * time.Second
)

// errBehind means the change stream no longer holds every change since the
// follower's position (trimmed, or Redis lost its data): reload everything.
var errBehind = errors.New("change stream does not continue from our position")

// Follow keeps ix in step with Redis. It loads every article into ix, calls
// ready (which may be nil) once that first load is complete, then applies
// the change stream as other processes Put and Delete, within moments of
// each write. When it falls behind the stream it reloads. On Redis trouble it
// marks the store unhealthy (Healthy, LastError), keeps ix as it is so
// answers continue from memory, and retries with capped backoff until Redis
// is back. It returns only when ctx ends, with ctx's error.
func (s *Store) Follow(ctx context.Context, ix *retrieval.Index, ready func()) error {
	return s.FollowFrom(ctx, ix, nil, ready)
}

// StreamPosition is a place in Redis's change stream: the version the
// write counter had reached and the stream entry that announced it.
type StreamPosition struct {
	Version int64  `json:"version"`
	ID      string `json:"id"`
}

// FollowFrom is Follow for an index that already holds Redis's articles as
// of from (an index snapshot's position), or nil for an empty index: it
// applies the changes written since from instead of loading everything,
// and calls ready once it has caught up with Redis. When the stream no
// longer reaches back to from (trimmed), or Redis's history is not the one
// from belongs to (it lost its data, was flushed or replaced), it loads
// everything as Follow does, removing from ix what Redis does not hold. A
// snapshot's position never counts as a loss of Redis's data: nothing is
// written back from a snapshot.
func (s *Store) FollowFrom(ctx context.Context, ix *retrieval.Index, from *StreamPosition, ready func()) error {
	f := &follower{s: s, ix: ix, known: make(map[string]bool), checked: time.Now()}
	backoff := followMinBackoff
	loaded, needLoad, needCheck := false, true, false
	catching := false
	if from != nil {
		f.lastV, f.lastID, f.snapshot = from.Version, from.ID, true
		for _, a := range ix.Headers() {
			f.known[a.ID] = true
		}
		needLoad, catching = false, true
	}
	for {
		if err := ctx.Err(); err != nil {
			s.healthy.Store(false)
			return err
		}
		var err error
		switch {
		case needLoad:
			if err = f.load(ctx); err == nil {
				needLoad, needCheck = false, false
				if !loaded {
					loaded = true
					if ready != nil {
						ready()
					}
				}
			}
		case catching:
			var done bool
			if done, err = f.catchUp(ctx); err == nil && done {
				catching, loaded, f.snapshot = false, true, false
				s.log.Debug("redis follow: index caught up from its snapshot", "version", f.lastV)
				if ready != nil {
					ready()
				}
			}
		case needCheck:
			var reload bool
			if reload, err = f.check(ctx); err == nil {
				needCheck, needLoad = false, reload
			}
		case time.Since(f.checked) > followCheckEvery:
			// A Redis that restarted empty between two polls answers the
			// next one with nothing new: compare positions now and then.
			f.checked = time.Now()
			var reload bool
			if reload, err = f.check(ctx); err == nil && reload {
				err = fmt.Errorf("%w: redis version went back", errBehind)
			}
		default:
			err = f.poll(ctx)
		}
		if errors.Is(err, errBehind) {
			s.log.Info("redis follow: reloading index", "reason", err.Error())
			needLoad, catching, err = true, false, nil
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				continue
			}
			err = s.wrap("redis follow changes", err)
			if s.healthy.Load() || backoff == followMinBackoff {
				s.log.Warn("redis follow: index may be stale", "err", err)
			}
			s.setHealth(false, err)
			needCheck = !needLoad
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, followMaxBackoff)
			continue
		}
		if loaded && !s.healthy.Load() {
			if s.LastError() != nil {
				s.log.Info("redis follow: back in step")
			}
			s.setHealth(true, nil)
		}
		backoff = followMinBackoff
	}
}

// follower is the state of one Follow loop.
type follower struct {
	s  *Store
	ix *retrieval.Index
	// lastID and lastV are the stream entry and version applied last.
	lastID string
	lastV  int64
	// known holds the ids this follower put into ix, so a reload can
	// remove the ones Redis no longer has.
	known map[string]bool
	// checked is when the position was last compared with Redis's.
	checked time.Time
	// lost is set when a check found Redis's version behind ours: Redis
	// lost its data, even if another replica has written it back by the
	// time this one reloads.
	lost bool
	// snapshot is set while lastV and lastID come from an index snapshot,
	// not from this process's reading of Redis: a Redis behind them may
	// have been flushed on purpose, so it is not counted as a loss.
	snapshot bool
}

// publish makes the position the index reflects visible to FollowPosition.
func (f *follower) publish() {
	f.s.followPos.Store(&StreamPosition{Version: f.lastV, ID: f.lastID})
}

// catchUp applies the changes since a snapshot's position until the
// follower reaches Redis's position as it stood when catchUp began, and
// reports whether it has.
func (f *follower) catchUp(ctx context.Context) (bool, error) {
	v, id, err := f.position(ctx)
	if err != nil {
		return false, err
	}
	switch {
	case v < f.lastV || v == f.lastV && id != f.lastID:
		return false, fmt.Errorf("%w: redis is at version %d, the index snapshot at %d of another history", errBehind, v, f.lastV)
	case v == f.lastV:
		f.publish()
		return true, nil
	}
	for f.lastV < v {
		before := f.lastV
		if err := f.poll(ctx); err != nil {
			return false, err
		}
		if f.lastV == before {
			return false, fmt.Errorf("%w: the stream ends at version %d, redis is at %d", errBehind, f.lastV, v)
		}
	}
	return true, nil
}

// FollowPosition returns the stream position the index Follow keeps
// reflects: it holds every change up to it, perhaps some after. The second
// result is false before the index is first loaded.
func (s *Store) FollowPosition() (StreamPosition, bool) {
	if p := s.followPos.Load(); p != nil {
		return *p, true
	}
	return StreamPosition{}, false
}

// position reads the version and the last stream entry id together, in one
// transaction on the {prefix} slot, so they describe the same moment.
func (f *follower) position(ctx context.Context) (v int64, id string, err error) {
	s := f.s
	c, cancel := s.call(ctx)
	defer cancel()
	var ver *redis.StringCmd
	var last *redis.XMessageSliceCmd
	_, err = s.rdb.TxPipelined(c, func(p redis.Pipeliner) error {
		ver = p.Get(c, s.verKey)
		last = p.XRevRangeN(c, s.changesKey, "+", "-", 1)
		return nil
	})
	if err != nil && err != redis.Nil {
		return 0, "", err
	}
	if err := ver.Err(); err != nil && err != redis.Nil {
		return 0, "", err
	}
	if ver.Err() == nil {
		if v, err = ver.Int64(); err != nil {
			return 0, "", err
		}
	}
	id = "0-0"
	if msgs, err := last.Result(); err != nil {
		return 0, "", err
	} else if len(msgs) > 0 {
		id = msgs[0].ID
	}
	return v, id, nil
}

// load reads every article into ix. The stream position is taken first, so
// changes made while loading are applied again afterwards (applying is
// idempotent: it always reads the article's current value).
func (f *follower) load(ctx context.Context) error {
	v, id, err := f.position(ctx)
	if err != nil {
		return err
	}
	ids, err := f.s.registeredIDs(ctx)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, len(ids))
	// Indexing (tokenising) is the costly part of a cold start: PutAll
	// spreads it over every core while the fetch goes on.
	fetched := make(chan *retrieval.Article, 256)
	var fetchErr error
	go func() {
		defer close(fetched)
		fetchErr = f.s.fetch(ctx, ids, func(id string, a *retrieval.Article) {
			if a != nil {
				seen[id] = true
				if !f.ix.Holds(a) { // an index from a snapshot holds most already
					fetched <- a
				}
			}
		})
	}()
	f.ix.PutAll(func(yield func(*retrieval.Article) bool) {
		for a := range fetched {
			if !yield(a) {
				return
			}
		}
	}, len(ids))
	if fetchErr != nil {
		return fetchErr
	}
	var missing []string
	for id := range f.known {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	// Redis's version going backwards means it lost its data (a restart
	// without persistence, a flush): what this index holds and Redis no
	// longer does was lost, not deleted. Deletions come through the
	// stream, never through a reload.
	lost := (v < f.lastV || f.lost) && !f.snapshot
	f.lost, f.snapshot = false, false
	f.s.FullLoads.Add(1)
	if lost {
		f.s.Resets.Add(1)
	}
	if len(missing) > 0 && lost {
		f.s.log.Warn("redis follow: redis lost its data; keeping the index held in memory", "missing", len(missing), "in_redis", len(seen), "version", v, "was", f.lastV)
		f.restore(ctx, missing)
		for _, id := range missing {
			seen[id] = true // still indexed; the stream brings back whatever was written
		}
	} else {
		for _, id := range missing {
			f.ix.Remove(id)
		}
	}
	f.known, f.lastV, f.lastID = seen, v, id
	f.publish()
	f.s.log.Debug("redis follow: index loaded", "articles", len(seen), "version", v)
	return nil
}

// restoreLease bounds how long one replica may hold the restore lease.
const restoreLease = 2 * time.Minute

// restore writes the articles Redis lost back from this index. Exactly one
// replica does it: the one that takes the lease; the others keep their
// index and follow the stream as the articles come back.
func (f *follower) restore(ctx context.Context, ids []string) {
	s := f.s
	c, cancel := s.call(ctx)
	got, err := s.rdb.SetNX(c, s.restoreKey, strconv.FormatInt(time.Now().UnixNano(), 10), restoreLease).Result()
	cancel()
	if err != nil || !got {
		s.log.Info("redis follow: another replica is writing the articles back", "err", err)
		return
	}
	n := 0
	for _, id := range ids {
		a := f.ix.Get(id)
		if a == nil {
			continue
		}
		if err := s.Put(ctx, a); err != nil {
			s.log.Warn("redis follow: writing an article back failed", "id", id, "err", err)
			continue
		}
		n++
	}
	s.Restored.Add(int64(n))
	s.log.Warn("redis follow: wrote the articles back from memory", "restored", n, "of", len(ids))
	// Writing back is idempotent (an unchanged article is not written
	// again), so the lease can go: a replica that finds the loss later
	// finds the articles there.
	c, cancel = s.call(ctx)
	s.rdb.Del(c, s.restoreKey)
	cancel()
}

// check decides, after Redis trouble, whether the stream still continues
// from our position (false) or Redis lost or replaced its data (true).
func (f *follower) check(ctx context.Context) (reload bool, err error) {
	v, id, err := f.position(ctx)
	if err != nil {
		return false, err
	}
	switch {
	case v < f.lastV:
		f.lost = !f.snapshot
		return true, nil
	case v == f.lastV:
		return id != f.lastID, nil
	}
	return false, nil
}

// change is one stream entry.
type change struct {
	op, id string
	v      int64
}

// poll waits briefly for new stream entries and applies them.
func (f *follower) poll(ctx context.Context) error {
	s := f.s
	c, cancel := context.WithTimeout(ctx, followBlock+s.timeout)
	res, err := s.rdb.XRead(c, &redis.XReadArgs{
		Streams: []string{s.changesKey, f.lastID},
		Count:   followCount,
		Block:   followBlock,
	}).Result()
	cancel()
	if err == redis.Nil {
		return nil
	}
	if err != nil {
		return err
	}
	var changes []change
	var lastID string
	for _, st := range res {
		for _, m := range st.Messages {
			ch := change{op: str(m.Values["op"]), id: str(m.Values["id"])}
			ch.v, _ = strconv.ParseInt(str(m.Values["v"]), 10, 64)
			if ch.v <= f.lastV && !f.snapshot {
				f.lost = true // the versions started again: Redis lost its data
			}
			if ch.v != f.lastV+int64(len(changes))+1 {
				return fmt.Errorf("%w: expected version %d, stream has %d", errBehind, f.lastV+int64(len(changes))+1, ch.v)
			}
			changes = append(changes, ch)
			lastID = m.ID
		}
	}
	if len(changes) == 0 {
		return nil
	}
	if err := f.apply(ctx, changes); err != nil {
		return err
	}
	f.lastV, f.lastID = changes[len(changes)-1].v, lastID
	f.publish()
	return nil
}

// apply brings the changed articles in ix to their current value in Redis.
func (f *follower) apply(ctx context.Context, changes []change) error {
	var ids []string
	seen := make(map[string]bool)
	for _, ch := range changes {
		if !seen[ch.id] {
			seen[ch.id] = true
			ids = append(ids, ch.id)
		}
	}
	return f.s.fetch(ctx, ids, func(id string, a *retrieval.Article) {
		if a == nil {
			f.ix.Remove(id)
			delete(f.known, id)
			return
		}
		if !f.ix.Holds(a) { // this process's own writes come back through the stream
			f.ix.Put(a)
		}
		f.known[id] = true
	})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
