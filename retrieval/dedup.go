package retrieval

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Thresholds for copies and stories, tuned on republished, trimmed and
// machine-reworded copies (see dedup_test.go), not on any one corpus.
const (
	// copyShingle: share of one article's 3-word shingles found in the other.
	copyShingle = 0.5
	// copyNames: overlap of names and numbers, in order-free sets, for a
	// reworded copy, whose common words are swapped but whose names are not.
	copyNames = 0.6
	// copyCosine: content-word cosine a reworded copy still keeps.
	copyCosine = 0.35
	// copyLength: shorter / longer text length for a reworded copy.
	copyLength = 0.7
	// storyCosine: content-word cosine of two articles about one event.
	storyCosine = 0.2
	// storyNames: names shared by two articles about one event.
	storyNames = 0.25
)

// fingerprint is what duplicate and story detection compare, in compact
// form: sorted 32-bit hashes, so that the fingerprints of a whole import fit
// in the cache (see fingerprintCache) and comparing two is a merge.
type fingerprint struct {
	shingles []uint32 // the 3-word shingles' hashes, sorted, once each
	// terms are the content terms' hashes, sorted, and weights their
	// counts times 1+IDF (see weigh), norm the weights' length.
	terms   []uint32
	weights []float32
	norm    float64
	names   []uint32 // the names' and numbers' hashes, sorted, once each
	length  int
	// content is the shingles holding a content word: what the signature
	// sketches (see lsh.go); anchors holds, for each paragraph of some
	// length, a hash of its two least content shingles: an article that
	// repeats a whole paragraph of another shares its anchor, however long
	// the other is. Both are only made for a new article (withSketch).
	content []uint64
	anchors []uint32
}

// fingerprintOf fingerprints text, weighing its terms with idf; withSketch
// also gathers what its signature needs.
func fingerprintOf(text string, idf func(string) float64, withSketch bool) fingerprint {
	toks := Tokens(text)
	fp := fingerprint{
		shingles: make([]uint32, 0, len(toks)),
		length:   len(text),
	}
	counts := make(map[string]float64)
	names := make(map[string]bool)
	// Paragraph ends, for the anchors.
	var breaks []int
	for i := 0; withSketch; {
		j := strings.Index(text[i:], "\n\n")
		if j < 0 {
			break
		}
		breaks = append(breaks, i+j)
		i += j + 2
	}
	// A paragraph's anchor stands for its two least shingle hashes: one
	// alone is too often a common phrase.
	para, paraShingles := 0, 0
	least, next := uint64(math.MaxUint64), uint64(math.MaxUint64)
	endParagraph := func() {
		if paraShingles >= anchorMinShingles && len(fp.anchors) < maxAnchors {
			fp.anchors = append(fp.anchors, uint32(mix64(least^next*0x9E3779B97F4A7C15)>>32))
		}
		para++
		paraShingles = 0
		least, next = math.MaxUint64, math.MaxUint64
	}
	for i, t := range toks {
		if i+2 < len(toks) {
			h := hash3(t.Term, toks[i+1].Term, toks[i+2].Term)
			fp.shingles = append(fp.shingles, uint32(h>>32))
			if withSketch && (!t.Stop || !toks[i+1].Stop || !toks[i+2].Stop) {
				for para < len(breaks) && t.Start > breaks[para] {
					endParagraph()
				}
				fp.content = append(fp.content, h)
				if para == len(breaks) || toks[i+2].Start < breaks[para] {
					paraShingles++
					switch m := mix64(h); {
					case m < least:
						least, next = m, least
					case m < next && m != least:
						next = m
					}
				}
			}
		}
		if t.Stop {
			continue
		}
		counts[t.Term]++
		if t.Number || (t.Capital && i > 0 && !sentenceStart(text, t.Start)) {
			names[t.Term] = true
		}
	}
	if withSketch {
		endParagraph()
	}
	slices.Sort(fp.shingles)
	fp.shingles = slices.Clip(slices.Compact(fp.shingles))
	type tw struct {
		h uint32
		w float32
	}
	tws := make([]tw, 0, len(counts))
	var norm float64
	for t, n := range counts {
		// 1+idf: rare words count more, yet in a small corpus, where
		// every word is common, shared words still count.
		w := n * (1 + idf(t))
		norm += w * w
		tws = append(tws, tw{uint32(hashString(t)), float32(w)})
	}
	slices.SortFunc(tws, func(a, b tw) int { return int(int64(a.h) - int64(b.h)) })
	fp.terms = make([]uint32, len(tws))
	fp.weights = make([]float32, len(tws))
	for i, x := range tws {
		fp.terms[i], fp.weights[i] = x.h, x.w
	}
	fp.norm = math.Sqrt(norm)
	fp.names = make([]uint32, 0, len(names))
	for n := range names {
		fp.names = append(fp.names, uint32(hashString(n)))
	}
	slices.Sort(fp.names)
	fp.names = slices.Compact(fp.names)
	return fp
}

// size is about how many bytes the fingerprint holds, for the cache.
func (fp *fingerprint) size() int {
	return 4*len(fp.shingles) + 8*len(fp.terms) + 4*len(fp.names) + 128
}

// sentenceStart reports whether the word at off begins a sentence, where a
// capital letter says nothing about a name.
func sentenceStart(text string, off int) bool {
	for i := off - 1; i >= 0; i-- {
		c := rune(text[i])
		if c == ' ' || c == '"' || c == '\'' || c >= 0x80 {
			continue
		}
		return c == '.' || c == '\n' || c == '!' || c == '?' || !unicode.IsPrint(c)
	}
	return true
}

func hash3(a, b, c string) uint64 {
	var h uint64 = 14695981039346656037
	for _, s := range [...]string{a, b, c} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff
		h *= 1099511628211
	}
	return h
}

// containment is the share of the smaller sorted set found in the larger.
func containment(a, b []uint32) float64 {
	if min(len(a), len(b)) == 0 {
		return 0
	}
	return float64(common(a, b)) / float64(min(len(a), len(b)))
}

// common counts the values two sorted sets share.
func common(a, b []uint32) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

func jaccard(a, b []uint32) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n := common(a, b)
	return float64(n) / float64(len(a)+len(b)-n)
}

// cosine is the cosine of two fingerprints' weighed term vectors.
func cosine(a, b *fingerprint) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	var dot float64
	for i, j := 0, 0; i < len(a.terms) && j < len(b.terms); {
		switch {
		case a.terms[i] < b.terms[j]:
			i++
		case a.terms[i] > b.terms[j]:
			j++
		default:
			dot += float64(a.weights[i]) * float64(b.weights[j])
			i++
			j++
		}
	}
	return dot / (a.norm * b.norm)
}

// similarity says how two articles relate.
type similarity struct {
	copy  bool
	story bool
	score float64
}

// compare says how two fingerprints relate.
func compare(a, b *fingerprint) similarity {
	sh := containment(a.shingles, b.shingles)
	cos := cosine(a, b)
	names := jaccard(a.names, b.names)
	lr := float64(min(a.length, b.length)) / float64(max(a.length, b.length, 1))
	s := similarity{score: cos}
	switch {
	case sh >= copyShingle:
		s.copy = true
	case names >= copyNames && cos >= copyCosine && lr >= copyLength:
		s.copy = true
	}
	s.story = s.copy || cos >= storyCosine || (names >= storyNames && cos >= storyCosine/2)
	return s
}

// relate finds, for a new article, the article it copies (if any) and the
// story it belongs to, among the articles its signature shares bands with
// (see lsh.go), verified with compare. fp is a's fingerprint.
func (ix *Index) relate(a *Article, fp *fingerprint) (duplicateOf, storyID string) {
	best := -1.0
	for _, cand := range ix.lshCandidates(a.ID, a.Signature, maxCandidates) {
		c := &cand.e.article
		s := compare(fp, ix.fingerprints.of(c, cand.e.body.text, ix.IDF))
		if s.copy && duplicateOf == "" {
			duplicateOf = c.Original()
			storyID = c.StoryID
			best = math.Inf(1)
		}
		if s.story && s.score > best {
			best = s.score
			storyID = c.StoryID
		}
	}
	if storyID == "" {
		storyID = a.ID
	}
	return duplicateOf, storyID
}

// maxCandidates bounds the articles a new one is compared with.
const maxCandidates = 12

// The fingerprint cache's bounds: in everyday use about the fingerprints of
// the last 3,000 articles (a running story's articles are each other's
// candidates), and during a bulk import (IngestStream) about 25,000, so
// that new articles are compared with earlier ones of the import without
// fingerprinting those again.
const (
	fingerprintCacheBytes     = 32 << 20
	fingerprintCacheBulkBytes = 256 << 20
)

// fingerprintCache keeps the fingerprints of the articles ingested or
// compared lately, the oldest dropped first: fingerprinting is the costly
// part of comparing.
type fingerprintCache struct {
	mu    sync.Mutex
	m     map[string]*fingerprint // by article ID + Hash
	order []string                // keys, oldest first
	bytes int
	bulk  int // bulk imports under way
}

// startBulk raises the cache's bound for a bulk import; the returned func
// lowers it again.
func (c *fingerprintCache) startBulk() func() {
	c.mu.Lock()
	c.bulk++
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		c.bulk--
		c.trimLocked()
		// A map does not shrink: copy what is left into a new one.
		m := make(map[string]*fingerprint, len(c.m))
		for k, v := range c.m {
			m[k] = v
		}
		c.m = m
		c.mu.Unlock()
	}
}

func (c *fingerprintCache) trimLocked() {
	limit := fingerprintCacheBytes
	if c.bulk > 0 {
		limit = fingerprintCacheBulkBytes
	}
	for c.bytes > limit && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		if f, ok := c.m[old]; ok {
			c.bytes -= f.size()
			delete(c.m, old)
		}
	}
	if len(c.order) == 0 {
		c.order = nil // let the backing array go
	}
}

// of returns the fingerprint of a, whose text is text().
func (c *fingerprintCache) of(a *Article, text func() string, idf func(string) float64) *fingerprint {
	c.mu.Lock()
	fp, ok := c.m[a.ID+a.Hash]
	c.mu.Unlock()
	if ok {
		return fp
	}
	f := fingerprintOf(text(), idf, false)
	c.add(a, &f)
	return &f
}

// add caches the fingerprint of an article about to be indexed.
func (c *fingerprintCache) add(a *Article, fp *fingerprint) {
	fp.content, fp.anchors = nil, nil
	key := a.ID + a.Hash
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*fingerprint)
	}
	if _, ok := c.m[key]; ok {
		return
	}
	c.m[key] = fp
	c.order = append(c.order, key)
	c.bytes += fp.size()
	c.trimLocked()
}
