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

// fingerprint is what duplicate and story detection compare.
type fingerprint struct {
	shingles []uint64 // the 3-word shingles' hashes, sorted, once each
	// content is the shingles holding a content word: what the signature
	// sketches (see lsh.go). It is dropped once the signature is made.
	content []uint64
	// terms maps each content term to its count, then, once weighed, to
	// its count times 1+IDF (see cosine); norm is then the vector's length.
	terms  map[string]float64
	norm   float64
	names  map[string]struct{}
	length int
	// anchors holds, for each paragraph of some length, the least hash of
	// its content shingles: an article that repeats a whole paragraph of
	// another shares its anchor, however long the other is (see lsh.go).
	anchors []uint32
}

func fingerprintOf(text string) fingerprint {
	toks := Tokens(text)
	fp := fingerprint{
		shingles: make([]uint64, 0, len(toks)),
		terms:    make(map[string]float64),
		names:    make(map[string]struct{}),
		length:   len(text),
	}
	// Paragraph ends, for the anchors.
	var breaks []int
	for i := 0; ; {
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
		for para < len(breaks) && t.Start > breaks[para] {
			endParagraph()
		}
		if i+2 < len(toks) {
			h := hash3(t.Term, toks[i+1].Term, toks[i+2].Term)
			fp.shingles = append(fp.shingles, h)
			if !t.Stop || !toks[i+1].Stop || !toks[i+2].Stop {
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
		fp.terms[t.Term]++
		if t.Number || (t.Capital && i > 0 && !sentenceStart(text, t.Start)) {
			fp.names[t.Term] = struct{}{}
		}
	}
	endParagraph()
	slices.Sort(fp.shingles)
	fp.shingles = slices.Clip(slices.Compact(fp.shingles))
	slices.Sort(fp.content)
	fp.content = slices.Compact(fp.content)
	return fp
}

// weigh turns term counts into weights, with idf as the index has it now.
// 1+idf: rare words count more, yet in a small corpus, where every word is
// common, shared words still count.
func (fp *fingerprint) weigh(idf func(string) float64) {
	var n float64
	for t, x := range fp.terms {
		x *= 1 + idf(t)
		fp.terms[t] = x
		n += x * x
	}
	fp.norm = math.Sqrt(n)
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
func containment(a, b []uint64) float64 {
	if min(len(a), len(b)) == 0 {
		return 0
	}
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
	return float64(n) / float64(min(len(a), len(b)))
}

func jaccard[K comparable](a, b map[K]struct{}) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

// cosine is the cosine of two weighed fingerprints' term vectors.
func cosine(a, b *fingerprint) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	if len(a.terms) > len(b.terms) {
		a, b = b, a
	}
	var dot float64
	for t, x := range a.terms {
		if y, ok := b.terms[t]; ok {
			dot += x * y
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

// compare says how two weighed fingerprints relate.
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
	fp.weigh(ix.IDF)
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

// fingerprintCacheSize bounds the fingerprints kept.
const fingerprintCacheSize = 2048

// fingerprintCache keeps the fingerprints of recently compared articles:
// the same few articles are candidates for many new ones (a running story),
// and fingerprinting is the costly part of ingest.
type fingerprintCache struct {
	mu sync.Mutex
	m  map[string]*fingerprint
}

// of returns the weighed fingerprint of a, whose text is text().
func (c *fingerprintCache) of(a *Article, text func() string, idf func(string) float64) *fingerprint {
	key := a.ID + a.Hash
	c.mu.Lock()
	fp, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return fp
	}
	f := fingerprintOf(text())
	f.content = nil
	f.weigh(idf)
	c.add(a, &f)
	return &f
}

// add caches the fingerprint of an article about to be indexed: the
// articles of a running story are each other's candidates.
func (c *fingerprintCache) add(a *Article, fp *fingerprint) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= fingerprintCacheSize {
		c.m = make(map[string]*fingerprint)
	}
	c.m[a.ID+a.Hash] = fp
	c.mu.Unlock()
}
