package retrieval

import (
	"math"
	"sort"
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
	shingles map[uint64]struct{}
	terms    map[string]float64 // content term → count
	names    map[string]struct{}
	length   int
}

func fingerprintOf(text string) fingerprint {
	toks := Tokens(text)
	fp := fingerprint{
		shingles: make(map[uint64]struct{}),
		terms:    make(map[string]float64),
		names:    make(map[string]struct{}),
		length:   len(text),
	}
	for i, t := range toks {
		if i+2 < len(toks) {
			fp.shingles[hash3(t.Term, toks[i+1].Term, toks[i+2].Term)] = struct{}{}
		}
		if t.Stop {
			continue
		}
		fp.terms[t.Term]++
		if t.Number || (t.Capital && i > 0 && !sentenceStart(text, t.Start)) {
			fp.names[t.Term] = struct{}{}
		}
	}
	return fp
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

// containment is the share of the smaller set found in the larger.
func containment[K comparable](a, b map[K]struct{}) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(a))
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

func cosine(a, b map[string]float64, idf func(string) float64) float64 {
	var dot, na, nb float64
	// 1+idf: rare words count more, yet in a small corpus, where every
	// word is common, shared words still count.
	for t, x := range a {
		w := 1 + idf(t)
		x *= w
		na += x * x
		if y, ok := b[t]; ok {
			dot += x * y * w
		}
	}
	for t, y := range b {
		w := 1 + idf(t)
		nb += y * w * y * w
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// similarity says how two articles relate.
type similarity struct {
	copy  bool
	story bool
	score float64
}

func compare(a, b fingerprint, idf func(string) float64) similarity {
	sh := containment(a.shingles, b.shingles)
	cos := cosine(a.terms, b.terms, idf)
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
// story it belongs to, among the most similar articles in the index.
func (ix *Index) relate(a *Article) (duplicateOf, storyID string) {
	fp := fingerprintOf(a.Text)
	memo := make(map[string]float64, len(fp.terms))
	idf := func(t string) float64 {
		v, ok := memo[t]
		if !ok {
			v = ix.IDF(t)
			memo[t] = v
		}
		return v
	}
	// Candidates: the articles whose passages best match this one's most
	// distinctive terms.
	type tw struct {
		term string
		w    float64
	}
	var tws []tw
	for t, n := range fp.terms {
		tws = append(tws, tw{t, n * idf(t)})
	}
	sort.Slice(tws, func(i, j int) bool {
		if tws[i].w != tws[j].w {
			return tws[i].w > tws[j].w
		}
		return tws[i].term < tws[j].term
	})
	var q []WeightedTerm
	for _, t := range tws[:min(len(tws), 24)] {
		q = append(q, WeightedTerm{t.term, 1})
	}
	hits := ix.Search(Query{Terms: q, Limit: 40, Collections: ix.Collections()})
	seen := map[string]bool{a.ID: true}
	best := -1.0
	compared := 0
	for _, h := range hits {
		c := h.Article
		if seen[c.ID] || compared == maxCandidates {
			continue
		}
		seen[c.ID] = true
		compared++
		s := compare(fp, ix.fingerprints.of(c, h.e.body.text), idf)
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

// fingerprintCache keeps the fingerprints of recently compared articles:
// the same few articles are candidates for many new ones (a running story),
// and fingerprinting is the costly part of ingest.
type fingerprintCache struct {
	mu sync.Mutex
	m  map[string]*fingerprint
}

// of returns the fingerprint of a, whose text is text().
func (c *fingerprintCache) of(a *Article, text func() string) fingerprint {
	key := a.ID + a.Hash
	c.mu.Lock()
	fp, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return *fp
	}
	f := fingerprintOf(text())
	c.mu.Lock()
	if c.m == nil || len(c.m) >= 4096 {
		c.m = make(map[string]*fingerprint) // crude, but bounded
	}
	c.m[key] = &f
	c.mu.Unlock()
	return f
}
