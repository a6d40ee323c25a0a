package redisstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// batchPut is a Store whose every Put goes through PutMany, so the contract
// suite checks PutMany's semantics one article at a time.
type batchPut struct{ *Store }

func (b batchPut) Put(ctx context.Context, a *retrieval.Article) error {
	return b.PutMany(ctx, []*retrieval.Article{a})
}

func TestContractPutMany(t *testing.T) {
	url, _, _ := redistest.Start(t)
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return batchPut{open(t, url, redistest.Prefix(t))}
	})
}

func TestPutMany(t *testing.T) {
	for _, mode := range []string{"single", "cluster"} {
		t.Run(mode, func(t *testing.T) {
			url := modeURL(t, mode)
			prefix := redistest.Prefix(t)
			s, replica := open(t, url, prefix), open(t, url, prefix)
			ctx := t.Context()
			ix := follow(t, replica)

			// More than one chunk, so the versions must run on across
			// the round trips.
			n := 2*putManyChunk + 44
			arts := make([]*retrieval.Article, n)
			for i := range arts {
				arts[i] = storetest.NewArticle(fmt.Sprintf("b%03d", i), fmt.Sprintf("Article %d says the council met.", i), "A second paragraph.")
			}
			v0, _ := s.Version(ctx)
			if err := s.PutMany(ctx, arts); err != nil {
				t.Fatal(err)
			}
			if v, _ := s.Version(ctx); v != v0+int64(n) {
				t.Errorf("version moved %d → %d, want one step per article (%d)", v0, v, n)
			}
			entries, err := s.rdb.XRange(ctx, s.changesKey, "-", "+").Result()
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != n {
				t.Fatalf("change stream has %d entries, want %d", len(entries), n)
			}
			for i, e := range entries {
				if got, want := str(e.Values["v"]), fmt.Sprint(v0+int64(i)+1); got != want || str(e.Values["id"]) != arts[i].ID || str(e.Values["op"]) != "put" {
					t.Fatalf("stream entry %d: %v, want put %s at version %s", i, e.Values, arts[i].ID, want)
				}
			}
			listed, err := s.List(ctx)
			if err != nil || len(listed) != n {
				t.Fatalf("List: %d articles, %v", len(listed), err)
			}
			for _, a := range listed {
				if err := storetest.Complete(a); err != nil {
					t.Fatal(err)
				}
			}
			eventually(t, 5*time.Second, "the follower has every article", func() bool { return ix.Len() == n })

			// Again, unchanged: nothing is written or announced.
			v1, _ := s.Version(ctx)
			if err := s.PutMany(ctx, arts); err != nil {
				t.Fatal(err)
			}
			if v, _ := s.Version(ctx); v != v1 {
				t.Errorf("unchanged PutMany moved version %d → %d", v1, v)
			}

			// One changed, one ID twice: the last version wins.
			changed := storetest.NewArticle("b001", "Article 1 now says the council adjourned.")
			first := storetest.NewArticle("b002", "An early draft.")
			final := storetest.NewArticle("b002", "The final text.")
			if err := s.PutMany(ctx, []*retrieval.Article{arts[0], changed, first, final}); err != nil {
				t.Fatal(err)
			}
			if v, _ := s.Version(ctx); v != v1+2 {
				t.Errorf("version moved %d → %d, want 2 steps (two articles changed)", v1, v)
			}
			for _, want := range []*retrieval.Article{changed, final} {
				got, err := s.Get(ctx, want.ID)
				if err != nil || got.Text != want.Text {
					t.Errorf("Get %s: %v %v, want %q", want.ID, got, err, want.Text)
				}
			}
			eventually(t, 5*time.Second, "the follower has the new versions", func() bool {
				a, b := ix.Get("b001"), ix.Get("b002")
				return a != nil && b != nil && a.Hash == changed.Hash && b.Hash == final.Hash
			})
			if !replica.Healthy() {
				t.Errorf("follower unhealthy: %v", replica.LastError())
			}

			if err := s.PutMany(ctx, []*retrieval.Article{{}}); err == nil {
				t.Error("PutMany of an article without an ID succeeded")
			}
		})
	}
}
