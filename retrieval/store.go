package retrieval

import (
	"context"
	"errors"
)

// ErrNotFound is returned by a Store for an article it does not hold.
var ErrNotFound = errors.New("not found")

// Store keeps articles between runs. Put is atomic: a reader sees either the
// old version of an article or the new one, never part of either. The
// embedded store (retrieval/embedded) and the Redis store
// (retrieval/redisstore) both pass the suite in retrieval/storetest.
type Store interface {
	// Put stores a, replacing any article with the same ID.
	Put(ctx context.Context, a *Article) error
	// Get returns the article with the given ID, or ErrNotFound.
	Get(ctx context.Context, id string) (*Article, error)
	// List returns every stored article.
	List(ctx context.Context) ([]*Article, error)
	// Delete removes the article; deleting a missing article is not an error.
	Delete(ctx context.Context, id string) error
	Close() error
}

// BatchStore is a Store that writes many articles at once: one transaction
// (embedded) or one round trip (Redis) for the lot, which is what makes a
// bulk import fast. PutMany is atomic per article, not for the batch.
type BatchStore interface {
	PutMany(ctx context.Context, arts []*Article) error
}

// PutMany writes arts with st's PutMany when it has one, else one by one.
func PutMany(ctx context.Context, st Store, arts []*Article) error {
	if b, ok := st.(BatchStore); ok {
		return b.PutMany(ctx, arts)
	}
	for _, a := range arts {
		if err := st.Put(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// Position is where a store's change log stands: Epoch names the store's
// life (a store made anew, or restored from elsewhere, gets a new one) and
// Seq counts the writes made in it.
type Position struct {
	Epoch string `json:"epoch"`
	Seq   uint64 `json:"seq"`
}

// Change is one write in a store's change log.
type Change struct {
	Seq uint64
	// Op is "put" or "delete".
	Op string
	ID string
}

// ErrChangesGone is returned by Changes when the log no longer reaches back
// to the position asked for (trimmed, or another epoch): read everything.
var ErrChangesGone = errors.New("the change log no longer holds that position")

// ChangeLog is a Store that numbers its writes, so a reader that holds an
// index as of one position can bring it up to date by reading the articles
// written since, instead of everything.
type ChangeLog interface {
	// Position is the store's current position.
	Position(ctx context.Context) (Position, error)
	// Changes returns up to limit writes after from, oldest first, and
	// ErrChangesGone when the log cannot say what happened since from.
	Changes(ctx context.Context, from Position, limit int) ([]Change, error)
}
