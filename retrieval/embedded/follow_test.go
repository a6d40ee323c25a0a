package embedded

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// A follower brings an index up to what other processes wrote: their new
// articles, their deletions, and, when the log cannot say what happened
// (another epoch, a trimmed log), everything by a reload.
func TestFollower(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	if err := s.Put(ctx, storetest.NewArticle("mine", "Written before the index loaded.")); err != nil {
		t.Fatal(err)
	}
	pos, _ := s.Position(ctx)
	ix := retrieval.NewIndex()
	arts, _ := s.List(ctx)
	ix.PutAll(func(yield func(*retrieval.Article) bool) {
		for _, a := range arts {
			yield(a)
		}
	}, len(arts))
	f := &Follower{Store: s, Index: ix}
	f.pos = pos

	// Another process ingests 300 articles.
	if err := startHelper(t, dir, "batches=3,prefix=p").wait(); err != nil {
		t.Fatal(err)
	}
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 301 || ix.Get("p-299") == nil {
		t.Fatalf("index holds %d articles after the ingest, want 301", ix.Len())
	}
	if f.Applied.Load() != 300 || f.Reloads.Load() != 0 {
		t.Errorf("applied %d changes in %d reloads, want 300 in none", f.Applied.Load(), f.Reloads.Load())
	}
	// And then deletes one and rewrites another.
	other, err := Open(dir, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Delete(ctx, "p-0")
	other.Put(ctx, storetest.NewArticle("p-1", "Rewritten."))
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Get("p-0") != nil {
		t.Error("a deleted article is still indexed")
	}
	if a := ix.Get("p-1"); a == nil || a.Text != "Rewritten." {
		t.Errorf("rewritten article indexed as %+v", a)
	}

	// This process's own write reaches the index first; following it
	// changes nothing.
	own := storetest.NewArticle("own", "Added through serve.")
	ix.Put(own)
	if err := s.Put(ctx, own); err != nil {
		t.Fatal(err)
	}
	v := ix.Version()
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Version() != v {
		t.Error("the follower indexed this process's own write again")
	}

	// The log no longer reaches back: the follower reloads, and the index
	// ends up holding exactly what the store holds.
	defer func(k uint64) { keepChanges = k }(keepChanges)
	keepChanges = 2
	for i := range 5 {
		other.Put(ctx, storetest.NewArticle(fmt.Sprintf("late-%d", i), "Late."))
	}
	other.Delete(ctx, "mine")
	ix.Put(storetest.NewArticle("stray", "Not in the store.")) // an index out of step
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if f.Reloads.Load() != 1 {
		t.Errorf("%d reloads, want 1", f.Reloads.Load())
	}
	stored, _ := s.List(ctx)
	if ix.Len() != len(stored) || ix.Get("stray") != nil || ix.Get("mine") != nil || ix.Get("late-4") == nil {
		t.Errorf("after the reload the index holds %d articles, the store %d", ix.Len(), len(stored))
	}
	// A quiet store costs a position read and nothing else.
	applied := f.Applied.Load()
	if err := f.poll(ctx); err != nil || f.Applied.Load() != applied || f.Reloads.Load() != 1 {
		t.Errorf("a quiet poll applied %d changes, reloaded %d times (%v)", f.Applied.Load()-applied, f.Reloads.Load(), err)
	}
}

// Run keeps following in the background and stops with its context.
func TestFollowerRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	s := openTest(t, dir)
	pos, _ := s.Position(ctx)
	ix := retrieval.NewIndex()
	f := &Follower{Store: s, Index: ix, Every: 10 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx, pos) }()
	if err := startHelper(t, dir, "batches=1,prefix=r").wait(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ix.Len() < 100; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("index holds %d of 100 articles", ix.Len())
		}
	}
	if !f.Healthy() || f.LastError() != nil {
		t.Errorf("healthy %v, last error %v", f.Healthy(), f.LastError())
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("run ended with %v", err)
	}
}
