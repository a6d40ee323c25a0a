package retrieval

import (
	"hash/maphash"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// BM25 parameters (the textbook defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// boilerplateMin is how many original articles must share a passage's text
// for it to count as site boilerplate and drop out of search.
const boilerplateMin = 3

// Index holds every article in memory with the lexical postings that search
// needs. It is safe for concurrent use: searches share a read lock, Put and
// Remove take the write lock.
type Index struct {
	mu        sync.RWMutex
	articles  map[string]*Article
	docs      []doc              // passages; a removed one is dead until compaction
	byArticle map[string][]int32 // live doc numbers of each article
	postings  map[string][]posting
	live      int
	dead      int
	totalLen  int64
	textCount map[uint64]int32 // passage text key → originals holding it
	paraCount map[uint64]int32 // short paragraph LineKey → originals holding it
	collCount map[string]int   // collection → articles
	version   uint64
}

type doc struct {
	article *Article
	index   int // passage number in the article
	length  int32
	textKey uint64
	live    bool
}

type posting struct {
	doc int32
	tf  uint16
}

var textSeed = maphash.MakeSeed()

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		articles:  make(map[string]*Article),
		byArticle: make(map[string][]int32),
		postings:  make(map[string][]posting),
		textCount: make(map[uint64]int32),
		paraCount: make(map[uint64]int32),
		collCount: make(map[string]int),
	}
}

// Put adds a, replacing any article with the same ID and all its passages.
func (ix *Index) Put(a *Article) {
	// Analyse outside the lock: it is the expensive part.
	type analysed struct {
		tfs    map[string]int
		length int
		key    uint64
	}
	parts := make([]analysed, len(a.Passages))
	for i, sp := range a.Passages {
		text := a.Text[sp.Start:sp.End]
		tfs := make(map[string]int)
		n := 0
		var h maphash.Hash
		h.SetSeed(textSeed)
		for _, t := range Tokens(text) {
			h.WriteString(t.Term)
			h.WriteByte(' ')
			if t.Stop {
				continue
			}
			tfs[t.Term]++
			n++
		}
		parts[i] = analysed{tfs, n, h.Sum64()}
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(a.ID)
	ix.articles[a.ID] = a
	nums := make([]int32, len(parts))
	for i, p := range parts {
		n := int32(len(ix.docs))
		ix.docs = append(ix.docs, doc{article: a, index: i, length: int32(p.length), textKey: p.key, live: true})
		for term, tf := range p.tfs {
			ix.postings[term] = append(ix.postings[term], posting{doc: n, tf: uint16(min(tf, math.MaxUint16))})
		}
		ix.totalLen += int64(p.length)
		ix.live++
		if a.DuplicateOf == "" {
			ix.textCount[p.key]++
		}
		nums[i] = n
	}
	ix.byArticle[a.ID] = nums
	ix.collCount[a.Collection]++
	if a.DuplicateOf == "" {
		for _, k := range shortParagraphKeys(a.Text) {
			ix.paraCount[k]++
		}
	}
	ix.version++
}

// Remove drops the article and its passages; a missing ID is ignored.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.removeLocked(id) {
		ix.version++
	}
}

func (ix *Index) removeLocked(id string) bool {
	a, ok := ix.articles[id]
	if !ok {
		return false
	}
	for _, n := range ix.byArticle[id] {
		d := &ix.docs[n]
		d.live = false
		ix.totalLen -= int64(d.length)
		ix.live--
		ix.dead++
		if a.DuplicateOf == "" {
			if ix.textCount[d.textKey]--; ix.textCount[d.textKey] <= 0 {
				delete(ix.textCount, d.textKey)
			}
		}
		d.article = nil
	}
	delete(ix.byArticle, id)
	delete(ix.articles, id)
	if ix.collCount[a.Collection]--; ix.collCount[a.Collection] <= 0 {
		delete(ix.collCount, a.Collection)
	}
	if a.DuplicateOf == "" {
		for _, k := range shortParagraphKeys(a.Text) {
			if ix.paraCount[k]--; ix.paraCount[k] <= 0 {
				delete(ix.paraCount, k)
			}
		}
	}
	if ix.dead > 1024 && ix.dead > ix.live/2 {
		ix.compactLocked()
	}
	return true
}

// compactLocked drops dead passages and renumbers the rest.
func (ix *Index) compactLocked() {
	renum := make([]int32, len(ix.docs))
	docs := make([]doc, 0, ix.live)
	for i, d := range ix.docs {
		if !d.live {
			renum[i] = -1
			continue
		}
		renum[i] = int32(len(docs))
		docs = append(docs, d)
	}
	for term, ps := range ix.postings {
		out := ps[:0]
		for _, p := range ps {
			if n := renum[p.doc]; n >= 0 {
				out = append(out, posting{doc: n, tf: p.tf})
			}
		}
		if len(out) == 0 {
			delete(ix.postings, term)
			continue
		}
		ix.postings[term] = slices.Clip(out)
	}
	for id, nums := range ix.byArticle {
		for i, n := range nums {
			nums[i] = renum[n]
		}
		ix.byArticle[id] = nums
	}
	ix.docs = docs
	ix.dead = 0
}

// Get returns the article with the given ID, or nil.
func (ix *Index) Get(id string) *Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.articles[id]
}

// Articles returns every article, in no particular order.
func (ix *Index) Articles() []*Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]*Article, 0, len(ix.articles))
	for _, a := range ix.articles {
		out = append(out, a)
	}
	return out
}

// Len returns the number of articles.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.articles)
}

// Passages returns the number of live passages.
func (ix *Index) Passages() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Version changes whenever the index content changes.
func (ix *Index) Version() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version
}

// WeightedTerm is one search term and how much a match on it counts.
type WeightedTerm struct {
	Term   string
	Weight float64
}

// Query asks the index for passages.
type Query struct {
	// Terms to search for. Built from Text when empty (see QueryTerms).
	Terms []WeightedTerm
	Text  string
	// Collections the asker may see; a passage of any other collection is
	// never returned. Nil means DefaultCollection only; an empty, non-nil
	// list means nothing at all (a channel configured to see nothing).
	Collections []string
	// Limit is the number of hits wanted (default 10).
	Limit int
}

// Hit is one passage found by Search.
type Hit struct {
	Article *Article
	Passage Passage
	Score   float64
}

// IDF returns the BM25 inverse document frequency of a term over passages.
func (ix *Index) IDF(term string) float64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.idfLocked(term)
}

func (ix *Index) idfLocked(term string) float64 {
	df := 0
	for _, p := range ix.postings[term] {
		if ix.docs[p.doc].live {
			df++
		}
	}
	return bm25IDF(ix.live, df)
}

func bm25IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

var scorePool = sync.Pool{New: func() any { return new(scoreBuf) }}

type scoreBuf struct {
	scores  []float64
	touched []int32
}

// Search returns the passages that best match q, best first: BM25 over the
// passage text, with a boost for terms that also appear in the article's
// title, for the lead passage, and for query terms found near each other.
// Passages whose text repeats across many articles (site boilerplate) are
// skipped.
func (ix *Index) Search(q Query) []Hit {
	terms := q.Terms
	if len(terms) == 0 {
		terms = QueryTerms(q.Text, nil)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	allowed := q.Collections
	if allowed == nil {
		allowed = []string{DefaultCollection}
	} else if len(allowed) == 0 {
		return nil // the asker may see nothing
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.live == 0 || len(terms) == 0 {
		return nil
	}
	buf := scorePool.Get().(*scoreBuf)
	defer scorePool.Put(buf)
	if cap(buf.scores) < len(ix.docs) {
		buf.scores = make([]float64, len(ix.docs))
	}
	scores := buf.scores[:len(ix.docs)]
	touched := buf.touched[:0]
	avgLen := float64(ix.totalLen) / float64(ix.live)
	for _, wt := range terms {
		ps := ix.postings[wt.Term]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idfLocked(wt.Term) * wt.Weight
		for _, p := range ps {
			d := &ix.docs[p.doc]
			if !d.live {
				continue
			}
			tf := float64(p.tf)
			norm := tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(d.length)/avgLen))
			if scores[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			scores[p.doc] += idf * norm
		}
	}
	type cand struct {
		doc   int32
		score float64
	}
	cands := make([]cand, 0, len(touched))
	for _, n := range touched {
		s := scores[n]
		scores[n] = 0
		d := &ix.docs[n]
		if !slices.Contains(allowed, d.article.Collection) || ix.textCount[d.textKey] >= boilerplateMin {
			continue
		}
		cands = append(cands, cand{n, s})
	}
	buf.touched = touched
	sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	// Rerank the head with title, lead and proximity credit.
	head := min(len(cands), max(limit*5, 50))
	cands = cands[:head]
	for i := range cands {
		d := &ix.docs[cands[i].doc]
		cands[i].score *= 1 + rerankBoost(d.article, d.index, terms)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if len(cands) > limit {
		cands = cands[:limit]
	}
	hits := make([]Hit, len(cands))
	for i, c := range cands {
		d := &ix.docs[c.doc]
		hits[i] = Hit{Article: d.article, Passage: d.article.PassageAt(d.index), Score: c.score}
	}
	return hits
}

// rerankBoost gives extra credit, as a fraction of the BM25 score, for query
// terms in the title, for the lead passage and for query terms that stand
// next to each other in the passage as they do in the query.
func rerankBoost(a *Article, idx int, terms []WeightedTerm) float64 {
	boost := 0.0
	if idx == 0 {
		boost += 0.05
	}
	want := make(map[string]float64, len(terms))
	for _, t := range terms {
		want[t.Term] = max(want[t.Term], t.Weight)
	}
	var total float64
	for _, w := range want {
		total += w
	}
	if total == 0 {
		return boost
	}
	inTitle := 0.0
	seen := map[string]bool{}
	for _, t := range Tokens(a.Title) {
		if w, ok := want[t.Term]; ok && !seen[t.Term] && !t.Stop {
			seen[t.Term] = true
			inTitle += w
		}
	}
	boost += 0.2 * inTitle / total
	// Proximity: adjacent non-stopword query terms found within 3 words.
	sp := a.Passages[idx]
	var pos []string
	for _, t := range Tokens(a.Text[sp.Start:sp.End]) {
		if !t.Stop {
			pos = append(pos, t.Term)
		}
	}
	pairs, near := 0, 0
	for i := 0; i+1 < len(terms); i++ {
		x, y := terms[i].Term, terms[i+1].Term
		if terms[i].Weight < 1 || terms[i+1].Weight < 1 || x == y {
			continue
		}
		pairs++
		if within(pos, x, y, 3) {
			near++
		}
	}
	if pairs > 0 {
		boost += 0.3 * float64(near) / float64(pairs)
	}
	return boost
}

func within(pos []string, x, y string, k int) bool {
	last := -1000
	for i, t := range pos {
		if t == x {
			last = i
		} else if t == y && i-last <= k {
			return true
		}
	}
	return false
}

// QueryTerms turns free text into weighted search terms: its non-stopword
// terms at weight 1, plus, for every thesaurus phrase it contains, the other
// members of that group at a lower weight. th may be nil.
func QueryTerms(text string, th *Thesaurus) []WeightedTerm {
	toks := Tokens(text)
	all := make([]string, len(toks))
	var out []WeightedTerm
	seen := map[string]bool{}
	add := func(term string, w float64) {
		if !seen[term] {
			seen[term] = true
			out = append(out, WeightedTerm{term, w})
		}
	}
	for i, t := range toks {
		all[i] = t.Term
		if !t.Stop {
			add(t.Term, 1)
		}
	}
	if th != nil {
		for _, m := range th.Match(all) {
			for _, alt := range m.Alts {
				for _, term := range alt {
					if !IsStopword(term) {
						add(term, 0.5)
					}
				}
			}
		}
	}
	return out
}

// shortParagraphKeys returns the keys of the distinct short paragraphs of a
// text, the ones that may turn out to be boilerplate.
func shortParagraphKeys(text string) []uint64 {
	var out []uint64
	seen := map[uint64]bool{}
	for _, p := range strings.Split(text, "\n\n") {
		k := LineKey(p)
		if k == "" || len(strings.Fields(k)) > boilerplateMaxWords {
			continue
		}
		h := maphash.String(textSeed, k)
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// paragraphCount returns how many original articles in the index hold a
// short paragraph with this LineKey.
func (ix *Index) paragraphCount(key string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return int(ix.paraCount[maphash.String(textSeed, key)])
}

// Collections lists the collections that hold articles.
func (ix *Index) Collections() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]string, 0, len(ix.collCount))
	for c := range ix.collCount {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
