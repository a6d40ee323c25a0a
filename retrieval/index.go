package retrieval

import (
	"sync"
)

// Index holds every article in memory with the lexical postings that search
// needs. It is safe for concurrent use: searches share a read lock, Put and
// Remove take the write lock.
type Index struct {
	mu       sync.RWMutex
	articles map[string]*Article
	version  uint64
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{articles: make(map[string]*Article)}
}

// Put adds a, replacing any article with the same ID and all its passages.
func (ix *Index) Put(a *Article) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.articles[a.ID] = a
	ix.version++
}

// Remove drops the article and its passages; a missing ID is ignored.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.articles[id]; ok {
		delete(ix.articles, id)
		ix.version++
	}
}

// Get returns the article with the given ID, or nil.
func (ix *Index) Get(id string) *Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.articles[id]
}

// Len returns the number of articles.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.articles)
}

// Version changes whenever the index content changes; caches key on it.
func (ix *Index) Version() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version
}
