package redisstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// snapshotAt returns a copy of ix as a replica restores it from its
// snapshot file, and the position the snapshot is stamped with.
func snapshotAt(t *testing.T, s *Store, ix *retrieval.Index) (*retrieval.Index, *StreamPosition) {
	t.Helper()
	p, ok := s.FollowPosition()
	if !ok {
		t.Fatal("no follow position after the index loaded")
	}
	var buf bytes.Buffer
	if err := ix.WriteSnapshot(&buf, retrieval.SnapshotInfo{Position: retrieval.Position{Epoch: p.ID, Seq: uint64(p.Version)}}); err != nil {
		t.Fatal(err)
	}
	got, info, err := retrieval.ReadSnapshot(&buf, int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return got, &StreamPosition{Version: int64(info.Position.Seq), ID: info.Position.Epoch}
}

// loadOnce loads a fresh index from Redis as a replica does, then stops
// following, as a replica that wrote its snapshot and shut down.
func loadOnce(t *testing.T, s *Store) *retrieval.Index {
	t.Helper()
	ix := retrieval.NewIndex()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- s.Follow(ctx, ix, func() { close(ready) }) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Follow returned before ready: %v", err)
	}
	cancel()
	<-done
	return ix
}

// followFrom runs FollowFrom until the test ends and returns once ready.
func followFrom(t *testing.T, s *Store, ix *retrieval.Index, from *StreamPosition) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- s.FollowFrom(ctx, ix, from, func() { close(ready) }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("FollowFrom returned %v, want context.Canceled", err)
		}
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("FollowFrom returned before ready: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("FollowFrom not ready after 15s")
	}
}

// seed writes n articles id-0 … id-(n-1).
func seed(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		if err := s.Put(t.Context(), storetest.NewArticle(fmt.Sprintf("id-%d", i), fmt.Sprintf("Story %d about the harbor.", i))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFollowFromSnapshot starts a replica from a snapshot while other
// writes came after it: the replica applies them from the stream, without
// reading every article, and goes on following.
func TestFollowFromSnapshot(t *testing.T) {
	url, _, _ := redistest.Start(t)
	prefix := redistest.Prefix(t)
	writer := open(t, url, prefix)
	seed(t, writer, 20)
	first := open(t, url, prefix)
	snap, from := snapshotAt(t, first, loadOnce(t, first))

	ctx := t.Context()
	if err := writer.Delete(ctx, "id-3"); err != nil {
		t.Fatal(err)
	}
	if err := writer.Put(ctx, storetest.NewArticle("id-5", "A rewritten story about the lighthouse.")); err != nil {
		t.Fatal(err)
	}
	if err := writer.Put(ctx, storetest.NewArticle("new-1", "A story written after the snapshot.")); err != nil {
		t.Fatal(err)
	}

	replica := open(t, url, prefix)
	followFrom(t, replica, snap, from)
	if n := replica.FullLoads.Load(); n != 0 {
		t.Errorf("replica read every article %d times, want 0", n)
	}
	if snap.Len() != 20 || snap.Get("id-3") != nil || snap.Get("new-1") == nil {
		t.Fatalf("replica holds %d articles (id-3 %v, new-1 %v); want 20, without id-3, with new-1", snap.Len(), snap.Get("id-3") != nil, snap.Get("new-1") != nil)
	}
	if hits := snap.Search(retrieval.Query{Text: "lighthouse"}); len(hits) != 1 || hits[0].Article.ID != "id-5" {
		t.Fatalf("search for the rewritten text: %v", hits)
	}
	if p, _ := replica.FollowPosition(); p.Version != from.Version+3 {
		t.Errorf("replica at version %d, want %d", p.Version, from.Version+3)
	}
	// And it keeps following.
	if err := writer.Put(ctx, storetest.NewArticle("new-2", "Later still.")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "new-2 reaches the replica", func() bool { return snap.Get("new-2") != nil })
}

// TestFollowFromSnapshotFallsBack: when the stream no longer reaches back
// to the snapshot (trimmed), or Redis's history is another (flushed and
// written anew), the replica reads everything, and ends up holding exactly
// what Redis holds: a snapshot never counts as Redis losing its data.
func TestFollowFromSnapshotFallsBack(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, s *Store)
		want   []string // ids the replica must hold
		gone   []string
	}{
		{"stream trimmed", func(t *testing.T, s *Store) {
			ctx := t.Context()
			if err := s.Delete(ctx, "id-0"); err != nil {
				t.Fatal(err)
			}
			for i := 20; i < 30; i++ {
				if err := s.Put(ctx, storetest.NewArticle(fmt.Sprintf("id-%d", i), "Newer.")); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.rdb.XTrimMaxLen(ctx, s.changesKey, 3).Err(); err != nil {
				t.Fatal(err)
			}
		}, []string{"id-1", "id-29"}, []string{"id-0"}},
		{"redis flushed and refilled past the snapshot", func(t *testing.T, s *Store) {
			dropPrefix(t, s)
			seedOthers(t, s, 25)
		}, []string{"other-0", "other-24"}, []string{"id-0", "id-19"}},
		{"redis flushed and refilled to the same version", func(t *testing.T, s *Store) {
			dropPrefix(t, s)
			seedOthers(t, s, 20)
		}, []string{"other-0", "other-19"}, []string{"id-0"}},
		{"redis flushed, fewer versions", func(t *testing.T, s *Store) {
			dropPrefix(t, s)
			seedOthers(t, s, 4)
		}, []string{"other-3"}, []string{"id-0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, _, _ := redistest.Start(t)
			prefix := redistest.Prefix(t)
			writer := open(t, url, prefix)
			seed(t, writer, 20)
			first := open(t, url, prefix)
			snap, from := snapshotAt(t, first, loadOnce(t, first))
			tc.change(t, writer)

			replica := open(t, url, prefix)
			followFrom(t, replica, snap, from)
			if n := replica.FullLoads.Load(); n != 1 {
				t.Errorf("replica read everything %d times, want 1", n)
			}
			if n := replica.Resets.Load() + replica.Restored.Load(); n != 0 {
				t.Errorf("replica counted a loss or wrote articles back (%d): a snapshot is not Redis's data", n)
			}
			ids, err := writer.registeredIDs(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if snap.Len() != len(ids) {
				t.Errorf("replica holds %d articles, redis %d", snap.Len(), len(ids))
			}
			for _, id := range tc.want {
				if snap.Get(id) == nil {
					t.Errorf("replica lacks %s", id)
				}
			}
			for _, id := range tc.gone {
				if snap.Get(id) != nil {
					t.Errorf("replica still holds %s, which redis does not", id)
				}
			}
		})
	}
}

func seedOthers(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		if err := s.Put(t.Context(), storetest.NewArticle(fmt.Sprintf("other-%d", i), "Another history.")); err != nil {
			t.Fatal(err)
		}
	}
}
