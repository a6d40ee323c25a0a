package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/redisstore"
)

// The index snapshot (see docs/snapshot.md): a saved copy of the built
// index in the data folder, read at start instead of analysing every
// article again, then brought up to date from the store's change log.

const (
	// snapshotEvery is how often serve saves its index when it changed.
	snapshotEvery = 5 * time.Minute
	// snapshotReplayMax is how many articles a start may re-read from the
	// store's change log before it saves a new snapshot, so the next start
	// need not read them again.
	snapshotReplayMax = 1000
	// snapshotSaveTimeout bounds a save at the end of a command.
	snapshotSaveTimeout = 2 * time.Minute
)

// snapState is what the app knows of its index's snapshot.
type snapState struct {
	mu   sync.Mutex // one save at a time
	path string     // "" when the store keeps no snapshot
	name string     // SnapshotInfo.Store
	// pos is the store position the index reflects (at least).
	pos retrieval.Position
	// version is the index's Version when it last matched the snapshot
	// on disk.
	version atomic.Uint64
	// from says where the index came from: "snapshot" or "store".
	from string
}

// snapshotFile names the snapshot for the app's store: index.snap for the
// embedded store; for Redis, a local cache file per server, database and
// key prefix, so two Redis deployments never share one.
func (a *app) snapshotFile() (path, name string) {
	if !a.cfg.RedisEnabled() {
		return filepath.Join(a.cfg.DataDir, "index.snap"), "embedded"
	}
	r := a.cfg.Redis
	addrs := slices.Clone(r.Addrs)
	slices.Sort(addrs)
	id := strings.Join(addrs, ",") + "/" + strconv.Itoa(r.DB) + "/" + r.MasterName + "/" + r.Prefix
	sum := sha256.Sum256([]byte(id))
	key := hex.EncodeToString(sum[:6])
	return filepath.Join(a.cfg.DataDir, "index-redis-"+key+".snap"), "redis " + key
}

// openSnapshot reads the app's snapshot. A snapshot that is missing,
// damaged, from another storybot or of another store returns nil, with
// the reason logged once (and what happens next).
func (a *app) openSnapshot() (*retrieval.Index, retrieval.SnapshotInfo) {
	a.snap.path, a.snap.name = a.snapshotFile()
	start := time.Now()
	ix, info, err := retrieval.LoadSnapshot(a.snap.path)
	if err == nil && info.Store != a.snap.name {
		ix, err = nil, fmt.Errorf("%s: written for store %q, not %q", a.snap.path, info.Store, a.snap.name)
	}
	switch {
	case err == nil:
		a.log.Debug("index snapshot read", "path", a.snap.path, "articles", ix.Len(), "took", time.Since(start).Round(time.Millisecond))
		return ix, info
	case errors.Is(err, fs.ErrNotExist):
		a.log.Debug("no index snapshot yet; building the index from the store", "path", a.snap.path)
	case errors.Is(err, retrieval.ErrSnapshotStale):
		a.log.Info("the index snapshot is from another storybot version; rebuilding the index from the store and saving a new snapshot", "path", a.snap.path)
	default:
		a.log.Warn("the index snapshot cannot be used; rebuilding the index from the store and saving a new one "+
			"(nothing is lost: the snapshot is only a cache; if this repeats, delete the file and check the disk)", "path", a.snap.path, "err", err)
	}
	return nil, retrieval.SnapshotInfo{}
}

// loadFromSnapshot fills the index from the snapshot and the store's
// change log, or from the whole store when it must.
func (a *app) loadFromSnapshot(ctx context.Context) error {
	start := time.Now()
	if ix, info := a.openSnapshot(); ix != nil {
		pos, n, err := retrieval.CatchUp(ctx, ix, a.store, info.Position)
		switch {
		case err == nil:
			a.index, a.snap.pos, a.snap.from = ix, pos, "snapshot"
			a.snap.version.Store(ix.Version())
			a.log.Debug("index loaded from snapshot", "articles", ix.Len(), "replayed", n, "took", time.Since(start).Round(time.Millisecond))
			if n > snapshotReplayMax {
				a.saveSnapshotLogged(ctx)
			}
			return nil
		case errors.Is(err, retrieval.ErrChangesGone):
			a.log.Info("the index snapshot is older than the store's change log reaches; rebuilding the index from the store", "path", a.snap.path)
		default:
			return fmt.Errorf("load index: %w", err)
		}
	}
	cl := a.store.(retrieval.ChangeLog)
	// The position is read before the articles: whatever is written while
	// they are read is replayed again from the log next time, harmlessly.
	pos, err := cl.Position(ctx)
	if err != nil {
		return fmt.Errorf("load index: %w", err)
	}
	arts, err := a.store.List(ctx)
	if err != nil {
		return fmt.Errorf("load index: %w", err)
	}
	ix := retrieval.NewIndex()
	ix.PutAll(slices.Values(arts), len(arts))
	a.index, a.snap.pos, a.snap.from = ix, pos, "store"
	a.log.Debug("index built from the store", "articles", ix.Len(), "took", time.Since(start).Round(time.Millisecond))
	a.saveSnapshotLogged(ctx)
	return nil
}

// redisFollower is the Redis store's follower, which can start from a
// snapshot's position.
type redisFollower interface {
	FollowFrom(ctx context.Context, ix *retrieval.Index, from *redisstore.StreamPosition, ready func()) error
	FollowPosition() (redisstore.StreamPosition, bool)
}

// redisStart returns the index to follow Redis with and the position it
// holds: the snapshot's, or an empty index and nil.
func (a *app) redisStart() (*retrieval.Index, *redisstore.StreamPosition) {
	ix, info := a.openSnapshot()
	if ix == nil {
		return retrieval.NewIndex(), nil
	}
	return ix, &redisstore.StreamPosition{Version: int64(info.Position.Seq), ID: info.Position.Epoch}
}

// redisLoaded records, once a Redis follower is ready, how the index was
// loaded; an index Redis had to fill whole is saved (in the background
// when the process goes on serving).
func (a *app) redisLoaded(ctx context.Context, rs *redisstore.Store, fromSnapshot bool, background bool) {
	a.snap.from = "snapshot"
	if rs.FullLoads.Load() > 0 || !fromSnapshot {
		a.snap.from = "store"
	} else {
		a.snap.version.Store(a.index.Version())
	}
	a.log.Debug("index loaded", "from", a.snap.from, "articles", a.index.Len())
	if a.snap.from == "store" {
		if background {
			go a.saveSnapshotLogged(context.WithoutCancel(ctx))
		} else {
			a.saveSnapshotLogged(ctx)
		}
	}
}

// loadRedisOnce fills the index from Redis for a command that does not
// follow it: the follower runs until the index is up to date, then stops.
func (a *app) loadRedisOnce(ctx context.Context, rs *redisstore.Store) error {
	ix, from := a.redisStart()
	a.index = ix
	if err := followUntilReady(ctx, rs, ix, from); err != nil {
		return err
	}
	a.redisLoaded(ctx, rs, from != nil, false)
	return nil
}

// followUntilReady runs rs's follower on ix from from until ix is up to
// date with Redis, then stops it.
func followUntilReady(ctx context.Context, rs *redisstore.Store, ix *retrieval.Index, from *redisstore.StreamPosition) error {
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- rs.FollowFrom(fctx, ix, from, func() { close(ready) }) }()
	select {
	case <-ready:
		stop()
		<-done
		return nil
	case err := <-done:
		return fmt.Errorf("load index from Redis: %w", err)
	case <-ctx.Done():
		stop()
		<-done
		return ctx.Err()
	}
}

// snapshotPosition returns the store position the index reflects now: a
// Redis follower's, or, for a store with a change log, the furthest point
// of the log the index is known to hold (see retrieval.Reflected).
func (a *app) snapshotPosition(ctx context.Context) (retrieval.Position, error) {
	if f, ok := a.store.(redisFollower); ok {
		p, ok := f.FollowPosition()
		if !ok {
			return retrieval.Position{}, errors.New("the index has not been loaded from Redis yet")
		}
		if rs, isRedis := a.store.(*redisstore.Store); isRedis && a.following == nil {
			// No follower runs: this command's own writes (an ingest) are
			// in the index but past p. Following the stream from p again
			// finds them held and moves the position past them.
			if err := followUntilReady(ctx, rs, a.index, &p); err != nil {
				return retrieval.Position{}, err
			}
			p, _ = f.FollowPosition()
		}
		return retrieval.Position{Epoch: p.ID, Seq: uint64(p.Version)}, nil
	}
	return retrieval.Reflected(ctx, a.index, a.store, a.snap.pos)
}

// saveSnapshot saves the index as the app's snapshot, stamped with the
// store position it reflects.
func (a *app) saveSnapshot(ctx context.Context) error {
	a.snap.mu.Lock()
	defer a.snap.mu.Unlock()
	if a.snap.path == "" {
		return nil
	}
	start := time.Now()
	if err := os.MkdirAll(filepath.Dir(a.snap.path), 0o700); err != nil {
		return fmt.Errorf("save index snapshot: %w", err)
	}
	version := a.index.Version()
	pos, err := a.snapshotPosition(ctx)
	if err != nil {
		return fmt.Errorf("save index snapshot: %w", err)
	}
	if err := a.index.SaveSnapshot(a.snap.path, retrieval.SnapshotInfo{Store: a.snap.name, Position: pos}); err != nil {
		return err
	}
	a.snap.pos = pos
	a.snap.version.Store(version)
	a.log.Debug("index snapshot saved", "path", a.snap.path, "articles", a.index.Len(), "seq", pos.Seq, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// saveSnapshotLogged saves the snapshot; a failure is logged, not
// returned: the index in memory is whole, and the next start rebuilds it.
func (a *app) saveSnapshotLogged(ctx context.Context) {
	if err := a.saveSnapshot(ctx); err != nil {
		a.log.Warn("could not save the index snapshot; the next start builds the index from the store again", "err", err)
	}
}

// saveSnapshotIfChanged saves the snapshot when the index changed since it
// was loaded or last saved: at the end of a command (an ingest) and at
// shutdown.
func (a *app) saveSnapshotIfChanged() {
	if a.snap.path == "" || a.index == nil || a.index.Version() == a.snap.version.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), snapshotSaveTimeout)
	defer cancel()
	a.saveSnapshotLogged(ctx)
}

// saveSnapshots saves the index every snapshotEvery while it changes,
// until ctx ends: serve's periodic save.
func (a *app) saveSnapshots(ctx context.Context) {
	t := time.NewTicker(snapshotEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if a.index.Version() != a.snap.version.Load() {
				a.saveSnapshotLogged(ctx)
			}
		}
	}
}
