package embedded

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

func TestChangeLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start, err := s.Position(ctx)
	if err != nil || start.Seq != 0 || start.Epoch == "" {
		t.Fatalf("new store at %+v, %v", start, err)
	}
	a, b, c := storetest.NewArticle("a", "Alpha."), storetest.NewArticle("b", "Beta."), storetest.NewArticle("c", "Gamma.")
	if err := s.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.PutMany(ctx, []*retrieval.Article{b, c}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "missing"); err != nil { // not a change
		t.Fatal(err)
	}
	got, err := s.Changes(ctx, start, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []retrieval.Change{{Seq: 1, Op: "put", ID: "a"}, {Seq: 2, Op: "put", ID: "b"}, {Seq: 3, Op: "put", ID: "c"}, {Seq: 4, Op: "delete", ID: "a"}}
	if len(got) != len(want) {
		t.Fatalf("changes %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got, _ := s.Changes(ctx, retrieval.Position{Epoch: start.Epoch, Seq: 2}, 1); len(got) != 1 || got[0].ID != "c" {
		t.Errorf("changes after 2, limit 1: %+v", got)
	}
	now, _ := s.Position(ctx)
	if now.Seq != 4 || now.Epoch != start.Epoch {
		t.Errorf("position %+v after four writes", now)
	}
	// A position of another store's life, or one ahead of this store,
	// cannot be brought up to date from the log.
	for _, p := range []retrieval.Position{{Epoch: "other", Seq: 1}, {Epoch: now.Epoch, Seq: 9}} {
		if _, err := s.Changes(ctx, p, 10); !errors.Is(err, retrieval.ErrChangesGone) {
			t.Errorf("changes from %+v: %v, want ErrChangesGone", p, err)
		}
	}
	// The epoch survives reopening.
	s.Close()
	if s, err = Open(dir, time.Second); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, _ := s.Position(ctx); p != now {
		t.Errorf("reopened at %+v, want %+v", p, now)
	}
	// The log keeps a window: a reader behind it is told to read everything.
	defer func(k uint64) { keepChanges = k }(keepChanges)
	keepChanges = 2
	for _, id := range []string{"d", "e", "f"} {
		if err := s.Put(ctx, storetest.NewArticle(id, "Text of "+id+".")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Changes(ctx, now, 10); !errors.Is(err, retrieval.ErrChangesGone) {
		t.Errorf("changes from a trimmed position: %v", err)
	}
	if got, err := s.Changes(ctx, retrieval.Position{Epoch: now.Epoch, Seq: 5}, 10); err != nil || len(got) != 2 {
		t.Errorf("changes within the window: %+v, %v", got, err)
	}
}

// openTest opens the store in dir for the test, closed when it ends.
func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
