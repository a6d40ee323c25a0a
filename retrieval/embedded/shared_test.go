package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"
	bolt "go.etcd.io/bbolt"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// Two ingest processes write the folder at once while this process, like
// serve, keeps the store open and reads and claims: every process gets on
// with its work, and nothing written is lost.
func TestProcessesShareFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	start, _ := s.Position(ctx)
	a := startHelper(t, dir, "batches=20,prefix=a")
	b := startHelper(t, dir, "batches=20,prefix=b")
	claims := 0
	for a.running() || b.running() {
		if _, err := s.Position(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.Claim(ctx, fmt.Sprintf("event-%d", claims), time.Hour); err != nil || !ok {
			t.Fatalf("claim beside two ingests: %v %v", ok, err)
		}
		claims++
	}
	if err := a.wait(); err != nil {
		t.Fatalf("first ingest: %v", err)
	}
	if err := b.wait(); err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	arts, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range arts {
		ids[a.ID] = true
	}
	for _, p := range []string{"a", "b"} {
		for i := range 2000 {
			if id := fmt.Sprintf("%s-%d", p, i); !ids[id] {
				t.Fatalf("article %s was lost (%d of 4000 stored)", id, len(ids))
			}
		}
	}
	if now, _ := s.Position(ctx); now.Seq-start.Seq != 4000 {
		t.Errorf("change log moved %d, want 4000", now.Seq-start.Seq)
	}
	t.Logf("%d claims beside the two ingests", claims)
}

// Claims from two stores on one folder (two processes: each Store has its
// own lock) have exactly one winner.
func TestClaimAcrossStores(t *testing.T) {
	dir := t.TempDir()
	var stores []*Store
	for range 2 {
		s := openTest(t, dir)
		stores = append(stores, s)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			ok, err := stores[i%2].Claim(context.Background(), "event", time.Hour)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d claims won, want 1", wins.Load())
	}
}

// A writer killed in the middle of its batches leaves a consistent file:
// every batch is there whole or not at all, the change log agrees with the
// articles, and the next process writes on.
func TestKilledWriterLeavesStoreConsistent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w := startHelper(t, dir, "writer")
	// Kill it once it has committed a few batches, while it writes more.
	s := openTest(t, dir)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p, err := s.Position(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Seq >= 1500 {
			break
		}
		if time.Now().After(deadline) || !w.running() {
			t.Fatalf("the writer wrote %d articles (%v)", p.Seq, w.wait())
		}
	}
	w.cmd.Process.Signal(syscall.SIGKILL)
	w.wait()

	err := s.view(ctx, func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bbolt check after the kill: %v", err)
	}
	arts, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batches := map[string]int{}
	for _, a := range arts {
		batch, _, _ := strings.Cut(a.ID, "-")
		batches[batch]++
	}
	for batch, n := range batches {
		if n != 500 {
			t.Errorf("batch %s holds %d articles, want all 500 or none", batch, n)
		}
	}
	p, _ := s.Position(ctx)
	if p.Seq != uint64(len(arts)) {
		t.Errorf("change log at %d after %d distinct puts", p.Seq, len(arts))
	}
	if err := s.Put(ctx, storetest.NewArticle("after", "Written after the kill.")); err != nil {
		t.Fatalf("put after the kill: %v", err)
	}
	t.Logf("killed after %d whole batches", len(batches))
}

// A data folder written before the change log existed opens as it is: its
// articles and entries are all there, and it gains a log from then on.
func TestOldFormatFolderOpens(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := storetest.NewArticle("old-1", "An article ingested by an older storybot.")
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		arts, err := tx.CreateBucket(bucketArticles)
		if err != nil {
			return err
		}
		kv, err := tx.CreateBucket(bucketKV)
		if err != nil {
			return err
		}
		v, _ := json.Marshal(old)
		if err := arts.Put([]byte(old.ID), v); err != nil {
			return err
		}
		return kv.Put([]byte("answer:x"), stamp([]byte("cached"), 0))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s := openTest(t, dir)
	if got, err := s.Get(ctx, "old-1"); err != nil || got.Text != old.Text {
		t.Fatalf("old article: %+v %v", got, err)
	}
	if v, ok, err := s.GetBytes(ctx, "answer:x"); err != nil || !ok || string(v) != "cached" {
		t.Fatalf("old entry: %q %v %v", v, ok, err)
	}
	start, err := s.Position(ctx)
	if err != nil || start.Epoch == "" || start.Seq != 0 {
		t.Fatalf("position of an upgraded folder: %+v %v", start, err)
	}
	if err := s.Put(ctx, storetest.NewArticle("new-1", "Ingested after the upgrade.")); err != nil {
		t.Fatal(err)
	}
	if ch, err := s.Changes(ctx, start, 10); err != nil || len(ch) != 1 || ch[0].ID != "new-1" {
		t.Errorf("changes after the upgrade: %+v %v", ch, err)
	}
}

// An older storybot serve keeps the file open (and bbolt's lock on it) for
// its whole life: a process of this version waits, then says so.
func TestOlderServeHoldingTheFile(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Put(context.Background(), storetest.NewArticle("x", "Text."))
	db.Close()
	if err == nil || !strings.Contains(err.Error(), "older storybot serve") {
		t.Fatalf("put beside an older serve: %v", err)
	}
	if err := s.Put(context.Background(), storetest.NewArticle("x", "Text.")); err != nil {
		t.Fatalf("put once it has stopped: %v", err)
	}
}

// A closed store refuses work with ErrClosed.
func TestClosed(t *testing.T) {
	s, err := Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.Position(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("position after close: %v", err)
	}
	if err := s.Put(context.Background(), storetest.NewArticle("x", "Text.")); !errors.Is(err, ErrClosed) {
		t.Errorf("put after close: %v", err)
	}
}

var _ retrieval.ChangeLog = (*Store)(nil)

// While another process holds the folder, an operation waits within its
// context, and at most lockWait, then says why it gave up; once the folder
// is free, work goes on.
func TestWaitForFolder(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := flock.New(filepath.Join(dir, LockName))
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	// Two readers, the second waiting for the first's open, both end with
	// their contexts.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			if _, err := s.Position(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("read while the folder is held: %v", err)
			}
		})
	}
	wg.Wait()
	err = s.Put(context.Background(), storetest.NewArticle("x", "Text."))
	if err == nil || !strings.Contains(err.Error(), "another storybot process has held it for 300ms") {
		t.Errorf("write while the folder is held: %v", err)
	}
	other.Unlock()
	if err := s.Put(context.Background(), storetest.NewArticle("x", "Text.")); err != nil {
		t.Errorf("write once the folder is free: %v", err)
	}
}

// A file left empty (a first run killed before bbolt wrote its header) is
// made anew rather than refused.
func TestEmptyFileOpens(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Put(context.Background(), storetest.NewArticle("x", "Text.")); err != nil {
		t.Fatal(err)
	}
}
