package embedded

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/storybot/storybot/retrieval"
)

func newEpoch() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}

// logChange appends a write to the change log and drops the entry that
// falls out of the kept window.
func logChange(tx *bolt.Tx, op, id string) error {
	b := tx.Bucket(bucketChanges)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	if err := b.Put(seqKey(seq), []byte(op+" "+id)); err != nil {
		return err
	}
	if seq > keepChanges {
		return b.Delete(seqKey(seq - keepChanges))
	}
	return nil
}

// Position implements retrieval.ChangeLog.
func (s *Store) Position(ctx context.Context) (retrieval.Position, error) {
	if err := ctx.Err(); err != nil {
		return retrieval.Position{}, err
	}
	var p retrieval.Position
	err := s.view(ctx, func(tx *bolt.Tx) error {
		p = position(tx)
		return nil
	})
	return p, err
}

func position(tx *bolt.Tx) retrieval.Position {
	return retrieval.Position{
		Epoch: string(tx.Bucket(bucketMeta).Get(keyEpoch)),
		Seq:   tx.Bucket(bucketChanges).Sequence(),
	}
}

// Changes implements retrieval.ChangeLog.
func (s *Store) Changes(ctx context.Context, from retrieval.Position, limit int) ([]retrieval.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []retrieval.Change
	err := s.view(ctx, func(tx *bolt.Tx) error {
		now := position(tx)
		oldest := uint64(1)
		if now.Seq > keepChanges {
			oldest = now.Seq - keepChanges + 1
		}
		if from.Epoch != now.Epoch || from.Seq > now.Seq || from.Seq+1 < oldest {
			return retrieval.ErrChangesGone
		}
		c := tx.Bucket(bucketChanges).Cursor()
		for k, v := c.Seek(seqKey(from.Seq + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			ch := retrieval.Change{Seq: binary.BigEndian.Uint64(k)}
			var ok bool
			if ch.Op, ch.ID, ok = strings.Cut(string(v), " "); !ok {
				return fmt.Errorf("change %d: malformed entry %q", ch.Seq, v)
			}
			out = append(out, ch)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	return out, nil
}
