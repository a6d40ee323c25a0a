package retrieval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		for _, ch := range chs {
			if ch.Seq > to.Seq {
				break
			}
			held, seen := same[ch.ID]
			if !seen {
				a, err := st.Get(ctx, ch.ID)
				switch {
				case errors.Is(err, ErrNotFound):
					held = ix.Header(ch.ID) == nil
					if !held && apply {
						ix.Remove(ch.ID)
						changed++
						held = true
					}
				case err != nil:
					return at, changed, fmt.Errorf("catch up: read %s: %w", ch.ID, err)
				default:
					held = ix.Holds(a)
					if !held && apply {
						ix.Put(a)
						changed++
						held = true
					}
				}
				same[ch.ID] = held
			}
			if !held {
				return at, changed, nil
			}
			at.Seq = ch.Seq
		}
	}
	return at, changed, nil
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
