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
