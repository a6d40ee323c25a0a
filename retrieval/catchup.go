package retrieval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// catchUpBatch is how many changes one Changes call reads.
const catchUpBatch = 4096

// CatchUp brings ix, which holds st's articles as of position from (and
// perhaps some later writes), up to date: it reads the writes st's change
// log lists since from and puts or removes each article that changed, at
// its current value in st. It returns the position ix now reflects and how
// many articles it put or removed. An article the index already holds as
// stored is not put again, so catching up over this process's own writes
// costs a read each. It returns ErrChangesGone when the log no longer
// reaches back to from: the index must then be built from everything.
//
// Nothing else may change ix meanwhile: a concurrent writer could see its
// newer value overwritten with the one read here.
func CatchUp(ctx context.Context, ix *Index, st Store, from Position) (Position, int, error) {
	return catchUp(ctx, ix, st, from, true)
}

// Reflected returns the furthest position at or after from that ix is
// known to reflect, reading st's change log but changing nothing: it
// follows the writes since from, in order, while the index holds the
// article each names as stored, and stops at the first it does not. A
// snapshot of a running index is stamped with it; whatever follows is
// replayed when the snapshot is loaded.
func Reflected(ctx context.Context, ix *Index, st Store, from Position) (Position, error) {
	p, _, err := catchUp(ctx, ix, st, from, false)
	return p, err
}

func catchUp(ctx context.Context, ix *Index, st Store, from Position, apply bool) (Position, int, error) {
	cl, ok := st.(ChangeLog)
	if !ok {
		return from, 0, fmt.Errorf("catch up: the store keeps no change log: %w", ErrChangesGone)
	}
	to, err := cl.Position(ctx)
	if err != nil {
		return from, 0, fmt.Errorf("catch up: %w", err)
	}
	if to.Epoch != from.Epoch || to.Seq < from.Seq {
		return from, 0, ErrChangesGone
	}
	at, changed := from, 0
	same := make(map[string]bool) // id → the index holds it as stored now
	for at.Seq < to.Seq {
		chs, err := cl.Changes(ctx, at, catchUpBatch)
		if err != nil {
			if errors.Is(err, ErrChangesGone) {
				return from, changed, err
			}
			return at, changed, fmt.Errorf("catch up: %w", err)
		}
		if len(chs) == 0 {
			break
		}
		// Reading and decoding the changed articles is the cost: do it on
		// every core, then go through the changes in order.
		var ids []string
		for _, ch := range chs {
			if _, seen := same[ch.ID]; !seen && ch.Seq <= to.Seq {
				same[ch.ID] = false
				ids = append(ids, ch.ID)
			}
		}
		checked, err := checkArticles(ctx, ix, st, ids)
		if err != nil {
			return at, changed, fmt.Errorf("catch up: %w", err)
		}
		for i, id := range ids {
			c := checked[i]
			if !c.held && apply {
				if c.a == nil {
					ix.Remove(id)
				} else {
					ix.Put(c.a)
				}
				changed++
				c.held = true
			}
			same[id] = c.held
		}
		for _, ch := range chs {
			if ch.Seq > to.Seq {
				break
			}
			if !same[ch.ID] {
				return at, changed, nil
			}
			at.Seq = ch.Seq
		}
	}
	return at, changed, nil
}

// checked is an article of the store, as read (nil: not there), and
// whether the index holds it as it is (or, absent, lacks it too).
type checked struct {
	a    *Article
	held bool
}

// checkArticles reads the articles ids name from st and checks each
// against ix, on every core.
func checkArticles(ctx context.Context, ix *Index, st Store, ids []string) ([]checked, error) {
	out := make([]checked, len(ids))
	errs := make([]error, len(ids))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				a, err := st.Get(ctx, ids[i])
				switch {
				case errors.Is(err, ErrNotFound):
					out[i] = checked{held: ix.Header(ids[i]) == nil}
				case err != nil:
					errs[i] = fmt.Errorf("read %s: %w", ids[i], err)
				default:
					out[i] = checked{a: a, held: ix.Holds(a)}
				}
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Holds reports whether the index holds a as it is: the same content and
// the same metadata, every field compared.
func (ix *Index) Holds(a *Article) bool {
	h := ix.Header(a.ID)
	if h == nil || h.Hash != a.Hash {
		return false
	}
	x, y := *h, *a
	x.Text, y.Text = "", ""
	bx, err1 := json.Marshal(&x)
	by, err2 := json.Marshal(&y)
	return err1 == nil && err2 == nil && bytes.Equal(bx, by)
}
