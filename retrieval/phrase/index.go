package phrase

import (
	"slices"
	"sync"

	"github.com/storybot/storybot/retrieval"
)

// SampleArticles bounds the articles the statistics of an index are
// counted from: common phrases are common in any few million words, and
// counting every article of a large archive would cost each digest seconds.
const SampleArticles = 2500

// cache holds the statistics of the index last asked for.
var cache struct {
	mu    sync.Mutex
	ix    *retrieval.Index
	n     int
	stats *Stats
}

// For returns the phrase statistics of the index's articles, from a fixed
// sample of at most SampleArticles of them (every k-th by ID, so the same
// index gives the same statistics). They are counted on first use and
// again when the index has grown or shrunk by a tenth since.
func For(ix *retrieval.Index) *Stats {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	n := ix.Len()
	if cache.ix == ix && cache.stats != nil && abs(n-cache.n)*10 <= cache.n {
		return cache.stats
	}
	cache.ix, cache.n, cache.stats = ix, n, FromIndex(ix, SampleArticles)
	return cache.stats
}

// FromIndex counts the statistics of at most max articles of the index,
// every k-th by ID.
func FromIndex(ix *retrieval.Index, max int) *Stats {
	hs := ix.Headers()
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	slices.Sort(ids)
	step := 1
	if max > 0 && len(ids) > max {
		step = (len(ids) + max - 1) / max
	}
	s := NewStats()
	for i := 0; i < len(ids); i += step {
		if a := ix.Get(ids[i]); a != nil {
			s.Add(a.ID, a.Title+"\n"+a.Text)
		}
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
