package retrieval_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
	"github.com/storybot/storybot/retrieval/storetest"
)

// bundledArticles ingests the repository's bundled news (the seed
// articles and the newsroom evaluation set) into a fresh embedded store and
// index, with duplicate detection and boilerplate counting as ingest does
// them.
func bundledArticles(t testing.TB) (*embedded.Store, *retrieval.Index) {
	t.Helper()
	ctx := context.Background()
	st, err := embedded.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix := retrieval.NewIndex()
	var docs []retrieval.Document
	for _, dir := range []string{"../testdata/seeds", "../testdata/eval/newsroom", "../testdata/articles"} {
		ds, errs := retrieval.Load(ctx, dir, retrieval.LoadOptions{})
		if len(errs) > 0 {
			t.Fatalf("load %s: %v", dir, errs)
		}
		docs = append(docs, ds...)
	}
	ing := &retrieval.Ingester{Store: st, Index: ix}
	if sum := ing.Ingest(ctx, docs); sum.Count(retrieval.Failed) > 0 {
		t.Fatalf("ingest: %s", sum)
	}
	for _, a := range randomArticles(300, 7) {
		a.Collection = []string{"published", "desk"}[len(a.ID)%2]
		if err := st.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		ix.Put(a)
	}
	return st, ix
}

// queriesOf returns queries drawn from the articles' own words: the
// first words of passages, title words and rare pairs, so every kind of
// term (frequent, rare, title only) is searched for.
func queriesOf(arts []*retrieval.Article) []string {
	var qs []string
	for i, a := range arts {
		w := strings.Fields(a.Text)
		if len(w) == 0 {
			continue
		}
		qs = append(qs, strings.Join(w[:min(4, len(w))], " "), a.Title)
		if i%3 == 0 && len(w) > 20 {
			qs = append(qs, w[len(w)/2]+" "+w[len(w)-1]+" "+w[10])
		}
	}
	return qs
}

// sameIndex fails t unless the two indexes answer alike: sizes, every
// search's hits and scores, IDFs, collections and every article.
func sameIndex(t *testing.T, want, got *retrieval.Index) {
	t.Helper()
	if want.Len() != got.Len() || want.Passages() != got.Passages() {
		t.Fatalf("restored index holds %d articles, %d passages; want %d, %d", got.Len(), got.Passages(), want.Len(), want.Passages())
	}
	arts := want.Articles()
	slices.SortFunc(arts, func(a, b *retrieval.Article) int { return strings.Compare(a.ID, b.ID) })
	qs := queriesOf(arts)
	if d := cmp.Diff(results(want, qs), results(got, qs)); d != "" {
		t.Fatalf("searches differ (-want +got):\n%s", d)
	}
	for _, q := range qs {
		for _, term := range retrieval.QueryTerms(q, nil) {
			if w, g := want.IDF(term.Term), got.IDF(term.Term); w != g {
				t.Fatalf("IDF(%q) = %v, want %v", term.Term, g, w)
			}
		}
	}
	if d := cmp.Diff(want.Collections(), got.Collections()); d != "" {
		t.Errorf("collections differ:\n%s", d)
	}
	for _, a := range arts {
		wj, _ := json.Marshal(a)
		gj, _ := json.Marshal(got.Get(a.ID))
		if !bytes.Equal(wj, gj) {
			t.Fatalf("article %s differs:\nwant %s\ngot  %s", a.ID, wj, gj)
		}
	}
}

func snapshotOf(t testing.TB, ix *retrieval.Index, info retrieval.SnapshotInfo) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ix.WriteSnapshot(&buf, info); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readSnapshot(t testing.TB, b []byte) (*retrieval.Index, retrieval.SnapshotInfo) {
	t.Helper()
	ix, info, err := retrieval.ReadSnapshot(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return ix, info
}

func TestSnapshotRoundTrip(t *testing.T) {
	_, ix := bundledArticles(t)
	// Removals and replacements leave dead passages and repeated-text
	// counts behind: the snapshot must carry them as they are.
	arts := ix.Headers()
	slices.SortFunc(arts, func(a, b *retrieval.Article) int { return strings.Compare(a.ID, b.ID) })
	for i, a := range arts {
		if i%5 == 0 {
			ix.Remove(a.ID)
		}
	}
	for _, a := range randomArticles(40, 8) {
		ix.Put(a)
	}
	info := retrieval.SnapshotInfo{Store: "test", Position: retrieval.Position{Epoch: "e1", Seq: 42}}
	b := snapshotOf(t, ix, info)
	got, gotInfo := readSnapshot(t, b)
	if gotInfo.Position != info.Position || gotInfo.Store != "test" || gotInfo.Articles != ix.Len() || gotInfo.Passages != ix.Passages() {
		t.Errorf("info %+v, want position %+v and the index's sizes", gotInfo, info.Position)
	}
	sameIndex(t, ix, got)

	// The restored index goes on as the original does: the same puts,
	// replacements and removals leave both alike.
	for _, x := range []*retrieval.Index{ix, got} {
		for i, a := range randomArticles(120, 9) {
			x.Put(a)
			if i%4 == 0 {
				x.Remove(a.ID)
			}
		}
		for _, a := range randomArticles(40, 8) { // replaced
			a.Text += "\n\nA closing paragraph added later."
			a.Passages = append(a.Passages, retrieval.Span{Start: len(a.Text) - 33, End: len(a.Text)})
			x.Put(a)
		}
		for i, a := range arts {
			if i%5 == 1 {
				x.Remove(a.ID)
			}
		}
	}
	sameIndex(t, ix, got)

	// Duplicate detection and boilerplate counting find the same on both:
	// a copy of a held article under another key is a copy of the same one.
	var copies []retrieval.Document
	for _, a := range ix.Articles()[:10] {
		copies = append(copies, retrieval.Document{Source: "copy-of-" + a.ID, Key: "copy-of-" + a.ID, Title: a.Title, Text: a.Text})
	}
	outcomes := func(x *retrieval.Index) []string {
		st, err := embedded.Open(t.TempDir(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var out []string
		for _, r := range (&retrieval.Ingester{Store: st, Index: x, Now: func() time.Time { return time.Unix(1700000000, 0) }}).Ingest(context.Background(), copies).Results {
			out = append(out, fmt.Sprintf("%s %s %s", r.Source, r.Outcome, r.DuplicateOf))
		}
		return out
	}
	if d := cmp.Diff(outcomes(ix), outcomes(got)); d != "" {
		t.Errorf("ingest outcomes differ (-built +restored):\n%s", d)
	}
	sameIndex(t, ix, got)

	// And a snapshot of the restored index restores alike again.
	again, _ := readSnapshot(t, snapshotOf(t, got, info))
	sameIndex(t, ix, again)
}

func TestSnapshotEmptyIndex(t *testing.T) {
	got, _ := readSnapshot(t, snapshotOf(t, retrieval.NewIndex(), retrieval.SnapshotInfo{}))
	if got.Len() != 0 || got.Passages() != 0 {
		t.Fatalf("restored empty index holds %d articles", got.Len())
	}
	a := storetest.NewArticle("x", "Harbor storm closes the port.")
	got.Put(a)
	if hits := got.Search(retrieval.Query{Text: "harbor storm"}); len(hits) != 1 {
		t.Fatalf("search after put: %d hits", len(hits))
	}
}

func TestSnapshotDamage(t *testing.T) {
	_, ix := bundledArticles(t)
	good := snapshotOf(t, ix, retrieval.SnapshotInfo{})
	check := func(t *testing.T, name string, b []byte, want error) {
		t.Helper()
		got, _, err := retrieval.ReadSnapshot(bytes.NewReader(b), int64(len(b)))
		if !errors.Is(err, want) || got != nil {
			t.Fatalf("%s: ReadSnapshot = %v, %v; want an error wrapping %v and no index", name, got != nil, err, want)
		}
		// Without the size, damage is found all the same.
		if _, _, err := retrieval.ReadSnapshot(bytes.NewReader(b), -1); !errors.Is(err, want) {
			t.Fatalf("%s, size unknown: ReadSnapshot error %v, want %v", name, err, want)
		}
	}
	t.Run("flipped byte", func(t *testing.T) {
		// In every section: its tag, its length, the first, middle and
		// last bytes of its payload, and its checksum.
		sections := 0
		for at := 28; at < len(good); sections++ {
			n := int(binary.LittleEndian.Uint64(good[at+4:]))
			end := at + 12 + n + 4
			for _, i := range []int{at, at + 5, at + 12, at + 12 + n/2, at + 12 + n - 1, end - 1} {
				if i >= at+12+n && i < end-4 {
					continue // an empty payload
				}
				b := slices.Clone(good)
				b[i] ^= 0x40
				check(t, fmt.Sprintf("section %q: byte %d of %d flipped", good[at:at+4], i, len(good)), b, retrieval.ErrSnapshotCorrupt)
			}
			at = end
		}
		if sections < 5 {
			t.Fatalf("found %d sections", sections)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{0, 10, 27, 28, 40, len(good) / 3, len(good) / 2, len(good) - 5, len(good) - 1} {
			check(t, fmt.Sprintf("cut to %d of %d bytes", n, len(good)), good[:n], retrieval.ErrSnapshotCorrupt)
		}
	})
	t.Run("not a snapshot", func(t *testing.T) {
		check(t, "text", []byte(strings.Repeat("not a snapshot at all ", 10)), retrieval.ErrSnapshotCorrupt)
	})
	t.Run("other format", func(t *testing.T) {
		b := slices.Clone(good)
		binary.LittleEndian.PutUint32(b[16:], binary.LittleEndian.Uint32(b[16:])+1)
		check(t, "format+1", b, retrieval.ErrSnapshotStale)
	})
	t.Run("other analyser", func(t *testing.T) {
		b := slices.Clone(good)
		b[20] ^= 1
		check(t, "analyser build changed", b, retrieval.ErrSnapshotStale)
	})
}

func FuzzReadSnapshot(f *testing.F) {
	_, ix := bundledArticles(f)
	good := snapshotOf(f, ix, retrieval.SnapshotInfo{})
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _, err := retrieval.ReadSnapshot(bytes.NewReader(b), int64(len(b)))
		if err == nil {
			got.Search(retrieval.Query{Text: "the council budget"})
		}
	})
}

func TestSaveSnapshotAtomic(t *testing.T) {
	_, ix := bundledArticles(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "index.snap")
	if err := ix.SaveSnapshot(path, retrieval.SnapshotInfo{Position: retrieval.Position{Epoch: "e", Seq: 1}}); err != nil {
		t.Fatal(err)
	}
	ix.Put(storetest.NewArticle("later", "A later article about the harbor."))
	if err := ix.SaveSnapshot(path, retrieval.SnapshotInfo{Position: retrieval.Position{Epoch: "e", Seq: 2}}); err != nil {
		t.Fatal(err)
	}
	got, info, err := retrieval.LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Position.Seq != 2 || got.Get("later") == nil {
		t.Fatalf("loaded position %+v, later article %v: want the second snapshot", info.Position, got.Get("later"))
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 1 {
		t.Errorf("files left in the folder: %v, want only the snapshot", left)
	}
	if _, _, err := retrieval.LoadSnapshot(filepath.Join(dir, "missing.snap")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing snapshot: %v, want not-exist", err)
	}
}

// rebuilt returns an index built from everything st holds.
func rebuilt(t *testing.T, st retrieval.Store) *retrieval.Index {
	t.Helper()
	arts, err := st.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ix := retrieval.NewIndex()
	ix.PutAll(slices.Values(arts), len(arts))
	return ix
}

func TestCatchUpAfterSnapshot(t *testing.T) {
	ctx := context.Background()
	st, ix := bundledArticles(t)
	pos, err := st.Position(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshotOf(t, ix, retrieval.SnapshotInfo{Position: pos})

	// Writes after the snapshot: new articles, a replacement, a deletion.
	heads := ix.Headers()
	slices.SortFunc(heads, func(a, b *retrieval.Article) int { return strings.Compare(a.ID, b.ID) })
	gone, changed := heads[0].ID, st.Get
	for _, a := range randomArticles(30, 11) {
		if err := st.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	old, err := changed(ctx, heads[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	old.Title = "A new headline for an old story"
	old.Hash += "-2"
	if err := st.Put(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}

	got, info := readSnapshot(t, snap)
	if got.Get("art-0000-11") != nil {
		t.Fatal("the snapshot holds an article written after it")
	}
	now, n, err := retrieval.CatchUp(ctx, got, st, info.Position)
	if err != nil {
		t.Fatal(err)
	}
	if n != 32 {
		t.Errorf("CatchUp changed %d articles, want 32 (30 new, 1 replaced, 1 deleted)", n)
	}
	if want, _ := st.Position(ctx); now != want {
		t.Errorf("CatchUp reached %+v, want %+v", now, want)
	}
	if got.Get(gone) != nil {
		t.Errorf("deleted article %s still in the index", gone)
	}
	if h := got.Header(heads[1].ID); h == nil || h.Title != old.Title {
		t.Errorf("replaced article has title %v, want %q", h, old.Title)
	}
	sameIndex(t, rebuilt(t, st), got)

	// Catching up again changes nothing.
	if again, n, err := retrieval.CatchUp(ctx, got, st, now); err != nil || n != 0 || again != now {
		t.Errorf("second CatchUp: %+v, %d, %v; want nothing to do", again, n, err)
	}
}

func TestCatchUpChangesGone(t *testing.T) {
	ctx := context.Background()
	st, ix := bundledArticles(t)
	other, err := embedded.Open(t.TempDir(), time.Second) // another store: another epoch
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	pos, _ := other.Position(ctx)
	if _, _, err := retrieval.CatchUp(ctx, ix, st, pos); !errors.Is(err, retrieval.ErrChangesGone) {
		t.Errorf("CatchUp from another store's position: %v, want ErrChangesGone", err)
	}
	now, _ := st.Position(ctx)
	ahead := retrieval.Position{Epoch: now.Epoch, Seq: now.Seq + 5}
	if _, _, err := retrieval.CatchUp(ctx, ix, st, ahead); !errors.Is(err, retrieval.ErrChangesGone) {
		t.Errorf("CatchUp from a position the store has not reached: %v, want ErrChangesGone", err)
	}
}

func TestReflected(t *testing.T) {
	ctx := context.Background()
	st, ix := bundledArticles(t)
	from, _ := st.Position(ctx)
	// This process's own writes, to store and index alike, are reflected.
	for _, a := range randomArticles(5, 12) {
		st.Put(ctx, a)
		ix.Put(a)
	}
	mine, _ := st.Position(ctx)
	if got, err := retrieval.Reflected(ctx, ix, st, from); err != nil || got != mine {
		t.Fatalf("Reflected = %+v, %v; want %+v", got, err, mine)
	}
	// Another process's write is not, nor anything after it.
	st.Put(ctx, storetest.NewArticle("theirs", "Written by another process."))
	a := storetest.NewArticle("mine-later", "Written by this one.")
	st.Put(ctx, a)
	ix.Put(a)
	if got, err := retrieval.Reflected(ctx, ix, st, from); err != nil || got != mine {
		t.Fatalf("Reflected = %+v, %v; want %+v, before the other process's write", got, err, mine)
	}
	if ix.Get("theirs") != nil {
		t.Fatal("Reflected changed the index")
	}
}
