package retrieval

import (
	"bytes"
	"encoding/binary"
	"iter"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
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
//
// Terms are interned to int32 IDs (see vocab). Each term's postings are
// compact uvarint (doc delta, tf) entries in ascending passage order, kept in
// a chain of arena slices (see arena), with a live document frequency beside
// them, so IDF costs a table lookup and a search reads postings
// sequentially from compact memory. An article's passages are consecutive
// doc numbers. Beyond the articles themselves the index keeps as little as
// it can: a replica holds the whole archive in memory.
type Index struct {
	mu           sync.RWMutex
	articles     map[string]*entry
	docs         []doc   // passages; a removed one is dead until compaction
	lens         []int32 // per passage: non-stopword length, -1 once dead
	vocab        vocab
	terms        []termInfo // by term ID
	counts       []int32    // scratch per term ID, all zero between calls
	mem          arena      // postings chains, passage term marks, title term IDs
	live         int
	dead         int
	totalLen     int64
	textCount    map[uint64]int32 // passage text key → originals holding it, for texts two or more hold (see countTextLocked)
	repeated     map[int32]uint64 // doc → its text key, for copies' passages and originals' whose text another holds or held
	texts        keySet           // the text keys of the original passages
	paraCount    map[uint64]int32 // short paragraph LineKey → originals holding it
	collCount    map[string]int   // collection → articles
	version      uint64
	fingerprints fingerprintCache // for duplicate and story detection
	lsh          lshTable         // band table of the articles' signatures (see lsh.go)
	serial       uint32           // tells this index's term IDs in wordInfo.termID
}

// indexSerial numbers indexes, so a word can remember its term ID in one.
var indexSerial atomic.Uint32

// entry is an article as the index holds it.
type entry struct {
	article Article // its metadata; Text is empty, the text is in body
	body    body
	title   uint32 // arena address of its distinct non-stopword title term IDs (see titleIDs)
	first   int32  // doc number of the article's first passage
}

// full returns a copy of the entry's article with its text.
func (e *entry) full() *Article {
	a := e.article
	a.Text = e.body.text()
	return &a
}

type doc struct {
	e     *entry // nil once dead
	marks uint32 // arena address of the passage's term marks (see termMark)
	index int32  // passage number in the article
}

// termMark is one byte standing for term id in a passage's marks: one a
// non-stopword word, in order. Two terms can share a mark, so marks can only
// rule proximity out; but they rule it out for most candidates, for a byte
// a word, where the term IDs themselves took two or three.
func termMark(id int32) byte {
	return byte(uint32(id) * 0x9E3779B1 >> 24)
}

// termInfo is one term's postings: an arena chain of postings (see post),
// docs ascending from 0.
type termInfo struct {
	head, tail uint32 // the chain's first slice and its write address; 0 when none
	last       int32  // doc of the last posting (0 when none)
	df         int32  // live passages holding the term
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		serial:    indexSerial.Add(1),
		articles:  make(map[string]*entry),
		textCount: make(map[uint64]int32),
		repeated:  make(map[int32]uint64),
		paraCount: make(map[uint64]int32),
		collCount: make(map[string]int),
	}
}

// Reserve makes room for about articles more articles of passages passages
// in all, so a bulk load (a replica's cold start) does not grow the index's
// tables step by step while holding its lock.
func (ix *Index) Reserve(articles, passages int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.docs = slices.Grow(ix.docs, passages)
	ix.lens = slices.Grow(ix.lens, passages)
	if len(ix.articles) == 0 && len(ix.docs) == 0 {
		// Maps cannot grow in place; an empty index can remake them.
		ix.articles = make(map[string]*entry, articles)
	}
}

// PutAll puts every article of articles, a bulk load such as a replica's
// start: it reserves room for about n articles, analyses them on every
// core, and packs their strings into shared blocks (see packer), which
// changes no value. It returns how many it put.
func (ix *Index) PutAll(articles iter.Seq[*Article], n int) int {
	ix.Reserve(n, n*typicalPassages)
	work := make(chan *Article, 256)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var p packer
			for a := range work {
				p.article(a)
				ix.put(a, &p)
			}
		})
	}
	put := 0
	for a := range articles {
		work <- a
		put++
	}
	close(work)
	wg.Wait()
	ix.trim()
	return put
}

// typicalPassages is the passages per article PutAll reserves room for: a
// news article runs to a few passages.
const typicalPassages = 6

// trim gives back the room Reserve made, and growth left, that a load did
// not use.
func (ix *Index) trim() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.docs = trimmed(ix.docs)
	ix.lens = trimmed(ix.lens)
	ix.terms = trimmed(ix.terms)
	ix.counts = trimmed(ix.counts)
	ix.vocab.at = trimmed(ix.vocab.at)
}

// trimmed returns s, copied to a smaller array when an eighth or more of
// its capacity is spare.
func trimmed[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/8 {
		return slices.Clone(s)
	}
	return s
}

// analysed is one passage's analysis, done before taking the lock: its
// non-stopword terms, terms[from:to] of the article's, and its text key.
type analysed struct {
	from, to int
	key      uint64
}

// analyse appends the non-stopword terms of text to terms, in order, and
// returns them with the text key, a hash of all its terms (stopwords
// included) that equal passages share.
func analyse(text string, terms []*wordInfo) ([]*wordInfo, uint64) {
	var key uint64
	for i := 0; i < len(text); {
		start, end, h := scanWord(text, i)
		if start == end {
			break
		}
		i = end
		w := analyseWord(text[start:end], h)
		key = mixKey(key, w.termHash)
		if !w.stop {
			terms = append(terms, w)
		}
	}
	return terms, key
}

// mixKey adds one term's hash to a text key: order matters, and each step
// is a bijection of the key, so different term sequences rarely collide.
func mixKey(key, termHash uint64) uint64 {
	key = (key ^ termHash) * 0x9E3779B97F4A7C15
	return key ^ key>>32
}

// termsPool recycles Put's buffer of analysed words. A fresh buffer per
// article is garbage the size of the article's text, and during a bulk load
// it interleaves with the texts being loaded, leaving the heap fragmented.
var termsPool = sync.Pool{New: func() any { return new([]*wordInfo) }}

// Put adds a, replacing any article with the same ID and all its passages.
// The index keeps a copy of a's metadata, and its text coded (see body),
// so a may change afterwards; Put may make a's equal metadata strings
// share memory.
func (ix *Index) Put(a *Article) { ix.put(a, nil) }

// put is Put, packing the body with p when p is not nil.
func (ix *Index) put(a *Article, p *packer) {
	a.shrink()
	// Analyse outside the lock: it is the expensive part.
	parts := make([]analysed, len(a.Passages))
	scratch := termsPool.Get().(*[]*wordInfo)
	defer func() {
		clear(*scratch) // drop the words, so the pool keeps no cache entry alive
		termsPool.Put(scratch)
	}()
	terms := (*scratch)[:0]
	for i, sp := range a.Passages {
		from := len(terms)
		var key uint64
		terms, key = analyse(a.Text[sp.Start:sp.End], terms)
		parts[i] = analysed{from, len(terms), key}
	}
	*scratch = terms
	title, _ := analyse(a.Title, nil)
	var paraKeys []uint64
	if a.DuplicateOf == "" {
		paraKeys = shortParagraphKeys(a.Text)
	}
	var e *entry
	if p != nil {
		e = p.entry()
	} else {
		e = new(entry)
	}
	e.body = newBody(a.Text, a.Passages, p)
	e.article = *a
	e.article.Text = ""

	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(a.ID)
	e.first = int32(len(ix.docs))
	ix.articles[a.ID] = e
	ix.lshAddLocked(a.ID, e)
	var ids []int32
	for _, t := range title {
		if id := ix.internWordLocked(t); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	e.title = ix.mem.add(appendIDs(nil, ids))
	var distinct []int32
	var marks []byte
	for i, p := range parts {
		n := int32(len(ix.docs))
		marks, distinct = marks[:0], distinct[:0]
		for _, t := range terms[p.from:p.to] {
			id := ix.internWordLocked(t)
			marks = append(marks, termMark(id))
			if ix.counts[id] == 0 {
				distinct = append(distinct, id)
			}
			ix.counts[id]++
		}
		if a.DuplicateOf == "" {
			ix.countTextLocked(n, p.key, distinct, marks)
		} else if len(distinct) > 0 {
			ix.repeated[n] = p.key // a copy is boilerplate when its original's text is
		}
		for _, id := range distinct {
			ix.postLocked(id, n, min(ix.counts[id], math.MaxUint16))
			ix.counts[id] = 0
		}
		var at uint32
		if len(marks) > 0 {
			at = ix.mem.add(marks)
		}
		ix.docs = append(ix.docs, doc{e: e, marks: at, index: int32(i)})
		ix.lens = append(ix.lens, int32(p.to-p.from))
		ix.totalLen += int64(p.to - p.from)
		ix.live++
	}
	ix.collCount[a.Collection]++
	for _, k := range paraKeys {
		ix.paraCount[k]++
	}
	ix.version++
}

// appendIDs appends a record of ids to p: their count, then each, as
// uvarints.
func appendIDs(p []byte, ids []int32) []byte {
	p = binary.AppendUvarint(p, uint64(len(ids)))
	for _, id := range ids {
		p = binary.AppendUvarint(p, uint64(id))
	}
	return p
}

// titleIDs returns the record of e's title term IDs as stored (see
// appendIDs).
func (ix *Index) titleIDs(e *entry) []byte {
	p := ix.mem.bytes(e.title)
	n, j := readUvarint(p, 0)
	for range n {
		_, j = readUvarint(p, j)
	}
	return p[:j]
}

// postLocked appends doc n, holding the term tf times, to the term's
// postings.
func (ix *Index) postLocked(id, n, tf int32) {
	t := &ix.terms[id]
	t.post(&ix.mem, n, uint64(tf))
	t.df++
}

// post appends doc n, holding the term tf times, to the term's chain in
// mem. A posting is the uvarint (doc delta << 1 | tf > 1), then tf - 2
// when tf > 1: most passages hold a term once, and a frequent term's delta
// is small, so most postings take one byte.
func (t *termInfo) post(mem *arena, n int32, tf uint64) {
	if t.head == 0 {
		t.head = mem.newSlice()
		t.tail = t.head
	}
	v := uint64(n-t.last) << 1
	if tf > 1 {
		v |= 1
	}
	t.tail = mem.putUvarint(t.tail, v)
	if tf > 1 {
		t.tail = mem.putUvarint(t.tail, tf-2)
	}
	t.last = n
}

// posting reads the next posting of a chain: the doc delta and the term
// frequency.
func (r *chainReader) posting() (delta, tf uint64) {
	v := r.uvarint()
	if v&1 == 0 {
		return v >> 1, 1
	}
	return v >> 1, r.uvarint() + 2
}

// countTextLocked counts new original passage n, with text key key,
// distinct term IDs distinct and term marks marks, before it is added.
//
// Only repeated texts are counted, which in a news archive are few:
// textCount holds the texts two or more live originals hold, with their
// count, and repeated the text key of every passage of them. A text not in
// textCount is held by at most one other original; texts holds every
// original's key, and only when the new key is there is that original
// looked for, among the passages holding the rarest
// term (same marks, then the same key). Once removals leave one holder,
// textCount forgets the text and the holder stays in repeated, where it
// only costs a look-up.
func (ix *Index) countTextLocked(n int32, key uint64, distinct []int32, marks []byte) {
	if len(distinct) == 0 {
		return // a passage of stopwords alone is never found
	}
	defer ix.texts.add(setEntry(key))
	if c, ok := ix.textCount[key]; ok {
		ix.textCount[key] = c + 1
		ix.repeated[n] = key
		return
	}
	if !ix.texts.has(setEntry(key)) {
		return
	}
	rarest := distinct[0]
	for _, id := range distinct[1:] {
		if ix.terms[id].df < ix.terms[rarest].df {
			rarest = id
		}
	}
	t := &ix.terms[rarest]
	if t.df == 0 {
		return
	}
	r := ix.mem.readChain(t.head, t.tail)
	m := int32(0)
	for r.more() {
		delta, _ := r.posting()
		m += int32(delta)
		if ix.lens[m] != int32(len(marks)) || ix.docs[m].e.article.DuplicateOf != "" || !bytes.Equal(ix.marksOf(m), marks) {
			continue
		}
		if ix.textKeyOf(m) == key {
			ix.textCount[key] = 2
			ix.repeated[m] = key
			ix.repeated[n] = key
			return
		}
	}
}

// uncountTextLocked counts one original passage with text key key fewer.
func (ix *Index) uncountTextLocked(key uint64) {
	if c := ix.textCount[key]; c <= 2 {
		delete(ix.textCount, key)
	} else {
		ix.textCount[key] = c - 1
	}
}

// textKeyOf returns the text key of live passage n (see analyse).
func (ix *Index) textKeyOf(n int32) uint64 {
	d := &ix.docs[n]
	sp := d.e.article.Passages[d.index]
	return textKey(d.e.body.slice(sp.Start, sp.End))
}

// textKey returns the text key of a passage's text (see analyse).
func textKey(text string) uint64 {
	scratch := termsPool.Get().(*[]*wordInfo)
	defer func() {
		clear(*scratch)
		termsPool.Put(scratch)
	}()
	var key uint64
	*scratch, key = analyse(text, (*scratch)[:0])
	return key
}

// boilerplate reports whether live passage n's text is held by so many
// originals that it is site boilerplate.
func (ix *Index) boilerplate(n int32) bool {
	if len(ix.textCount) == 0 {
		return false
	}
	key, ok := ix.repeated[n]
	return ok && ix.textCount[key] >= boilerplateMin
}

// appendTerms appends the term IDs of text's non-stopword words to buf;
// text need not outlive the call. The index keeps no copy of a passage's
// term IDs: proximity reranking and removal, the steps that need them,
// read the passage again, at a cached lookup a word.
func (ix *Index) appendTerms(text string, buf []int32) []int32 {
	for i := 0; i < len(text); {
		start, end, h := scanWord(text, i)
		if start == end {
			break
		}
		i = end
		if w := analyseWord(text[start:end], h); !w.stop {
			buf = append(buf, ix.wordID(w))
		}
	}
	return buf
}

// marksOf returns the term marks of live passage n.
func (ix *Index) marksOf(n int32) []byte {
	d := &ix.docs[n]
	if d.marks == 0 {
		return nil
	}
	return ix.mem.bytes(d.marks)[:ix.lens[n]]
}

// wordID returns the ID of w's term, or -1 when the index lacks it. It
// only reads the index, so a search holding the read lock may call it.
func (ix *Index) wordID(w *wordInfo) int32 {
	if v := w.termID.Load(); uint32(v>>32) == ix.serial {
		return int32(uint32(v))
	}
	id := ix.vocab.find(w.term(), w.termHash)
	if id >= 0 {
		w.termID.Store(uint64(ix.serial)<<32 | uint64(uint32(id)))
	}
	return id
}

// internWordLocked returns the ID of w's term, remembering it in w: most
// words repeat, and an atomic load is cheaper than hashing the term.
func (ix *Index) internWordLocked(w *wordInfo) int32 {
	if v := w.termID.Load(); uint32(v>>32) == ix.serial {
		return int32(uint32(v))
	}
	id := ix.internLocked(w.term(), w.termHash)
	w.termID.Store(uint64(ix.serial)<<32 | uint64(uint32(id)))
	return id
}

// internLocked returns the ID of term, whose termHash is h, adding it to
// the vocabulary when new.
func (ix *Index) internLocked(term string, h uint64) int32 {
	id, added := ix.vocab.add(term, h)
	if added {
		ix.terms = append(ix.terms, termInfo{})
		ix.counts = append(ix.counts, 0)
	}
	return id
}

// termID returns the ID of term, or -1 when no passage or title holds it.
func (ix *Index) termID(term string) int32 {
	return ix.vocab.find(term, termHash(term))
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
	e, ok := ix.articles[id]
	if !ok {
		return false
	}
	a := &e.article
	text := e.body.text() // decoded once for all its passages
	var seq []int32
	for n := e.first; n < e.first+int32(len(a.Passages)); n++ {
		d := &ix.docs[n]
		sp := a.Passages[d.index]
		key, ok := ix.repeated[n]
		delete(ix.repeated, n)
		if a.DuplicateOf == "" && ix.lens[n] > 0 { // copies and stopword passages are not counted
			if !ok {
				key = textKey(text[sp.Start:sp.End])
			}
			ix.texts.remove(setEntry(key))
			if ok {
				ix.uncountTextLocked(key)
			}
		}
		// The passage no longer counts towards its terms' frequencies.
		seq = ix.appendTerms(text[sp.Start:sp.End], seq[:0])
		slices.Sort(seq)
		for _, t := range slices.Compact(seq) {
			if t >= 0 {
				ix.terms[t].df--
			}
		}
		ix.totalLen -= int64(ix.lens[n])
		ix.lens[n] = -1
		ix.live--
		ix.dead++
		d.e = nil
		d.marks = 0
	}
	delete(ix.articles, id)
	ix.lsh.remove(id, a.Signature)
	if ix.collCount[a.Collection]--; ix.collCount[a.Collection] <= 0 {
		delete(ix.collCount, a.Collection)
	}
	if a.DuplicateOf == "" {
		for _, k := range shortParagraphKeys(text) {
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

// compactLocked drops dead passages and renumbers the rest, rebuilding the
// arena with only the live postings and marks. The vocabulary
// keeps its terms (title term IDs refer to it).
func (ix *Index) compactLocked() {
	renum := make([]int32, len(ix.docs))
	docs := make([]doc, 0, ix.live)
	lens := make([]int32, 0, ix.live)
	var mem arena
	for i, d := range ix.docs {
		if ix.lens[i] < 0 {
			renum[i] = -1
			continue
		}
		n := int32(len(docs))
		renum[i] = n
		if d.index == 0 {
			d.e.first = n
		}
		if d.marks != 0 {
			d.marks = mem.add(ix.marksOf(int32(i)))
		}
		docs = append(docs, d)
		lens = append(lens, ix.lens[i])
	}
	for _, e := range ix.articles {
		e.title = mem.add(ix.titleIDs(e))
	}
	repeated := make(map[int32]uint64, len(ix.repeated))
	for n, key := range ix.repeated {
		repeated[renum[n]] = key
	}
	ix.repeated = repeated
	for ti := range ix.terms {
		t := &ix.terms[ti]
		r := ix.mem.readChain(t.head, t.tail)
		*t = termInfo{df: t.df}
		var doc int32
		for r.more() {
			delta, tf := r.posting()
			doc += int32(delta)
			if n := renum[doc]; n >= 0 {
				t.post(&mem, n, tf)
			}
		}
	}
	ix.mem = mem
	ix.docs = docs
	ix.lens = lens
	ix.dead = 0
}

// readUvarint decodes the uvarint at p[i:] and returns it with the offset
// after it; the one-byte case is inlined into the callers' loops.
func readUvarint(p []byte, i int) (uint64, int) {
	if b := p[i]; b < 0x80 {
		return uint64(b), i + 1
	}
	return readUvarintSlow(p, i)
}

func readUvarintSlow(p []byte, i int) (uint64, int) {
	v, n := binary.Uvarint(p[i:])
	if n <= 0 {
		panic("retrieval: corrupt varint in index")
	}
	return v, i + n
}

// Get returns the article with the given ID, or nil.
func (ix *Index) Get(id string) *Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if e := ix.articles[id]; e != nil {
		return e.full()
	}
	return nil
}

// Articles returns every article with its text, in no particular order.
// It decodes every text: to list, sort or group articles, use Headers.
func (ix *Index) Articles() []*Article {
	return ix.collect((*entry).full)
}

// Header returns the article with the given ID without its text (Text is
// empty), or nil; like Headers, it decodes nothing.
func (ix *Index) Header(id string) *Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if e := ix.articles[id]; e != nil {
		return &e.article
	}
	return nil
}

// WithText returns hits with their texts: each Article replaced by a copy
// holding its text, decoded once for all the hits of an article, and each
// Passage.Text set. A hit whose article holds its text already keeps it.
// A hit whose article has been removed or replaced since the search is
// dropped: its passage may no longer be in the text.
func (ix *Index) WithText(hits []Hit) []Hit {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]Hit, 0, len(hits))
	full := make(map[string]*Article, len(hits))
	for _, h := range hits {
		if t := h.Article.Text; t != "" && h.Passage.Start <= h.Passage.End && h.Passage.End <= len(t) {
			h.Passage.Text = t[h.Passage.Start:h.Passage.End]
			out = append(out, h)
			continue
		}
		a, ok := full[h.Article.ID]
		if !ok {
			e := ix.articles[h.Article.ID]
			if e != nil && (e == h.e || h.e == nil && e.article.Hash == h.Article.Hash) {
				a = e.full()
			}
			full[h.Article.ID] = a
		}
		if a != nil && h.Passage.Index < len(a.Passages) && a.Passages[h.Passage.Index] == h.Passage.Span {
			h.Article = a
			h.Passage.Text = a.Text[h.Passage.Start:h.Passage.End]
			out = append(out, h)
		}
	}
	return out
}

// Headers returns every article without its text (Text is empty), in no
// particular order: what listing, sorting and grouping need. The articles
// are the index's own and must not be changed; Get returns one with its
// text.
func (ix *Index) Headers() []*Article {
	return ix.collect(func(e *entry) *Article { return &e.article })
}

// collect returns f of every entry, in no particular order.
func (ix *Index) collect(f func(*entry) *Article) []*Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]*Article, 0, len(ix.articles))
	for _, e := range ix.articles {
		out = append(out, f(e))
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

// Hit is one passage found by Search. Search leaves the texts out: Article
// is the index's own, with Text empty (it must not be changed), and so is
// Passage.Text. Most hits are only ranked or counted, and decoding the
// texts would cost a search more than finding the hits (see body);
// WithText fills them in.
type Hit struct {
	Article *Article
	Passage Passage
	Score   float64
	e       *entry // the index entry Search found it in
}

// IDF returns the BM25 inverse document frequency of a term over passages.
func (ix *Index) IDF(term string) float64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.idfLocked(term)
}

func (ix *Index) idfLocked(term string) float64 {
	df := 0
	if id := ix.termID(term); id >= 0 {
		df = int(ix.terms[id].df)
	}
	return bm25IDF(ix.live, df)
}

func bm25IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

var scorePool = sync.Pool{New: func() any { return new(scoreBuf) }}

// scoreBuf is one search's scratch memory, reused across searches.
type scoreBuf struct {
	scores  []float64 // by doc
	touched []int32
	head    []cand
	pos     []int32
	maybe   []termPair
	text    []byte // a passage's text, read for proximity
	top     []float64
}

// cand is a passage in the running for the results.
type cand struct {
	doc   int32
	terms uint32 // bit i: the passage may hold query term i (i < 32; see reranker.holds)
	score float64
}

// better orders candidates best first: higher score, then by article ID
// and passage number. Ties are not broken by internal passage numbers,
// which depend on the order articles were loaded in (a parallel load, or a
// replica fetching on several connections): every replica must rank alike.
func (ix *Index) better(a, b cand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	da, db := &ix.docs[a.doc], &ix.docs[b.doc]
	if ida, idb := da.e.article.ID, db.e.article.ID; ida != idb {
		return ida < idb
	}
	return da.index < db.index
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
	lens := ix.lens[:len(ix.docs)]
	avgLen := float64(ix.totalLen) / float64(ix.live)
	ids := make([]int32, len(terms)) // -1: not in the vocabulary
	for i, wt := range terms {
		id := ix.termID(wt.Term)
		ids[i] = id
		if id < 0 {
			continue
		}
		t := &ix.terms[id]
		if t.head == 0 {
			continue
		}
		if wt.Weight <= 0 {
			continue // it would add nothing, and a zero score marks an untouched doc
		}
		idf := bm25IDF(ix.live, int(t.df)) * wt.Weight
		r := ix.mem.readChain(t.head, t.tail)
		doc := 0
		for r.more() {
			delta, f := r.posting()
			doc += int(delta)
			length := lens[doc]
			if length < 0 {
				continue
			}
			tf := float64(f)
			norm := tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(length)/avgLen))
			if scores[doc] == 0 {
				touched = append(touched, int32(doc))
			}
			scores[doc] += idf * norm
		}
	}
	// No passage holds a query term, but a headline may: "Bus drivers in
	// Corrin strike for second day" is about a strike its text never
	// names. Those articles' lead passages are the candidates then.
	if len(touched) == 0 && slices.ContainsFunc(ids, func(id int32) bool { return id >= 0 && ix.terms[id].head == 0 }) {
		touched = ix.titleOnlyLocked(terms, ids, scores, touched)
	}
	buf.touched = touched

	// Keep the best candidates for reranking in a heap whose root is the
	// worst of them; most candidates lose to the root without a look at
	// their collection or boilerplate status.
	size := max(limit*5, 50)
	head := buf.head[:0]
	for _, n := range touched {
		c := cand{doc: n, score: scores[n]}
		scores[n] = 0
		if len(head) == size && !ix.better(c, head[0]) {
			continue
		}
		d := &ix.docs[n]
		if !slices.Contains(allowed, d.e.article.Collection) || ix.boilerplate(n) {
			continue
		}
		if len(head) < size {
			head = append(head, c)
			ix.siftUp(head, len(head)-1)
		} else {
			head[0] = c
			ix.siftDown(head, 0)
		}
	}
	buf.head = head
	slices.SortFunc(head, func(a, b cand) int {
		if ix.better(a, b) {
			return -1
		}
		return 1
	})
	// Rerank the head with title, lead and proximity credit. Proximity
	// needs the passage's words, so it is worked out only for candidates
	// that could still reach the results: the head is in score order, and
	// a candidate whose score with every credit cannot reach the limit-th
	// best so far changes nothing.
	rr := ix.newReranker(terms, ids)
	top := buf.top[:0]
	kth := func() float64 { return slices.Min(top) }
	for i := range head {
		c := &head[i]
		if pruneRerank && len(top) == limit && c.score*(1+maxBoost) < kth() {
			head = head[:i] // and every later candidate scores lower still
			break
		}
		b := rr.boost(&ix.docs[c.doc])
		if len(rr.pairs) > 0 {
			c.terms = rr.holds(ix.marksOf(c.doc))
		}
		if most := rr.mostNear(c.terms); most > 0 && (!pruneRerank || len(top) < limit || c.score*(1+b+most+boostSlack) >= kth()) {
			b += rr.proximity(ix, c, buf)
		}
		c.score *= 1 + b
		if len(top) < limit {
			top = append(top, c.score)
		} else if m := slices.Index(top, kth()); c.score > top[m] {
			top[m] = c.score
		}
	}
	buf.top = top
	slices.SortStableFunc(head, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	head = head[:min(len(head), limit)]
	hits := make([]Hit, len(head))
	for i, c := range head {
		d := &ix.docs[c.doc]
		a := &d.e.article
		p := Passage{ID: PassageID(a.ID, int(d.index)), ArticleID: a.ID, Index: int(d.index), Span: a.Passages[d.index]}
		hits[i] = Hit{Article: a, Passage: p, Score: c.score, e: d.e}
	}
	return hits
}

// titleOnlyLocked scores the lead passage of every article whose headline
// holds a query term by the weight of those terms, and appends it to
// touched. It scans every article, so Search calls it only when no passage
// matched at all and some query term is known from headlines alone.
func (ix *Index) titleOnlyLocked(terms []WeightedTerm, ids []int32, scores []float64, touched []int32) []int32 {
	for _, e := range ix.articles {
		if int(e.first) >= len(ix.docs) || ix.docs[e.first].e != e {
			continue // no live passage
		}
		w := 0.0
		title := ix.mem.bytes(e.title)
		n, j := readUvarint(title, 0)
		for range n {
			var id uint64
			id, j = readUvarint(title, j)
			for i, qid := range ids {
				if qid >= 0 && qid == int32(id) {
					w += terms[i].Weight
					break
				}
			}
		}
		if w > 0 {
			scores[e.first] = w
			touched = append(touched, e.first)
		}
	}
	return touched
}

// siftUp and siftDown keep h a heap with the worst candidate at the root.
func (ix *Index) siftUp(h []cand, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !ix.better(h[p], h[i]) {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (ix *Index) siftDown(h []cand, i int) {
	for {
		w := i
		if l := 2*i + 1; l < len(h) && ix.better(h[w], h[l]) {
			w = l
		}
		if r := 2*i + 2; r < len(h) && ix.better(h[w], h[r]) {
			w = r
		}
		if w == i {
			return
		}
		h[w], h[i] = h[i], h[w]
		i = w
	}
}

// reranker gives extra credit, as a fraction of the BM25 score, for query
// terms in the title, for the lead passage and for query terms that stand
// next to each other in the passage as they do in the query.
type reranker struct {
	ix    *Index
	want  []wantTerm // distinct query terms at their highest weight
	total float64
	pairs []termPair // adjacent full-weight query terms
	// markBits holds, by term mark, the bits of the query terms with that
	// mark (see holds).
	markBits [256]uint32
}

// holds returns the bits of the query terms a passage with these term
// marks may hold: every one it holds, and any other sharing a mark with one
// of its words.
func (rr *reranker) holds(marks []byte) uint32 {
	var mask uint32
	for _, m := range marks {
		mask |= rr.markBits[m]
	}
	return mask
}

// termPair is two adjacent query terms, by ID (-1: not in the index), with
// the bits of their query positions (0 when a position has no bit).
type termPair struct {
	x, y int32
	bits uint32
}

// queryBit is the bit of query term i in a candidate's terms.
func queryBit(i int) uint32 {
	if i < 32 {
		return 1 << i
	}
	return 0
}

// held reports whether a passage holding the query terms of mask may hold
// both terms of p.
func (p termPair) held(mask uint32) bool {
	return p.x >= 0 && p.y >= 0 && (p.bits == 0 || mask&p.bits == p.bits)
}

type wantTerm struct {
	id int32
	w  float64
}

func (ix *Index) newReranker(terms []WeightedTerm, ids []int32) reranker {
	rr := reranker{ix: ix}
	for i, id := range ids {
		if id >= 0 {
			rr.markBits[termMark(id)] |= queryBit(i)
		}
	}
	seen := make([]string, 0, len(terms))
	for i, t := range terms {
		if j := slices.Index(seen, t.Term); j >= 0 {
			rr.want[j].w = max(rr.want[j].w, t.Weight)
			continue
		}
		seen = append(seen, t.Term)
		rr.want = append(rr.want, wantTerm{id: ids[i], w: t.Weight})
	}
	for _, w := range rr.want {
		rr.total += w.w
	}
	// Proximity: adjacent non-stopword query terms found within 3 words.
	for i := 0; i+1 < len(terms); i++ {
		if terms[i].Weight < 1 || terms[i+1].Weight < 1 || terms[i].Term == terms[i+1].Term {
			continue
		}
		bits := queryBit(i) | queryBit(i+1)
		if queryBit(i) == 0 || queryBit(i+1) == 0 {
			bits = 0
		}
		rr.pairs = append(rr.pairs, termPair{ids[i], ids[i+1], bits})
	}
	return rr
}

// pruneRerank lets reranking skip candidates that cannot reach the
// results; tests turn it off to check skipping changes nothing.
var pruneRerank = true

// The reranking credits, as fractions of the BM25 score: the lead passage,
// query terms in the title (all of them), query terms next to each other
// (all pairs). boostSlack covers rounding in bounds on them.
const (
	leadBoost      = 0.05
	titleBoost     = 0.2
	proximityBoost = 0.3
	maxBoost       = leadBoost + titleBoost + proximityBoost + boostSlack
	boostSlack     = 1e-9
)

// boost returns the lead and title credit of passage d.
func (rr *reranker) boost(d *doc) float64 {
	boost := 0.0
	if d.index == 0 {
		boost += leadBoost
	}
	if rr.total == 0 {
		return boost
	}
	inTitle := 0.0
	title := rr.ix.mem.bytes(d.e.title)
	n, j := readUvarint(title, 0)
	for range n {
		var id uint64
		id, j = readUvarint(title, j)
		for _, w := range rr.want {
			if w.id == int32(id) {
				inTitle += w.w
				break
			}
		}
	}
	return boost + titleBoost*inTitle/rr.total
}

// mostNear returns the most proximity credit a passage holding the query
// terms of mask can get: only pairs it holds both terms of can be near.
func (rr *reranker) mostNear(mask uint32) float64 {
	held := 0
	for _, p := range rr.pairs {
		if p.held(mask) {
			held++
		}
	}
	if held == 0 {
		return 0
	}
	return proximityBoost * float64(held) / float64(len(rr.pairs))
}

// proximity returns the credit of candidate c for query terms next to each
// other. The passage's marks rule most pairs out; only a passage where
// some pair may be near is read again to make sure.
func (rr *reranker) proximity(ix *Index, c *cand, buf *scoreBuf) float64 {
	marks := ix.marksOf(c.doc)
	maybe := buf.maybe[:0]
	for _, p := range rr.pairs {
		if p.held(c.terms) && within(marks, termMark(p.x), termMark(p.y), nearWords) {
			maybe = append(maybe, p)
		}
	}
	buf.maybe = maybe
	if len(maybe) == 0 {
		return 0
	}
	d := &ix.docs[c.doc]
	sp := d.e.article.Passages[d.index]
	buf.text = d.e.body.appendSlice(buf.text[:0], sp.Start, sp.End)
	pos := ix.appendTerms(unsafe.String(unsafe.SliceData(buf.text), len(buf.text)), buf.pos[:0])
	buf.pos = pos
	near := 0
	for _, p := range maybe {
		if within(pos, p.x, p.y, nearWords) {
			near++
		}
	}
	return proximityBoost * float64(near) / float64(len(rr.pairs))
}

// nearWords is how far apart, in non-stopword words, two query terms may
// stand in a passage and count as next to each other.
const nearWords = 3

// within reports whether x stands in pos with y at most k places after it.
func within[T comparable](pos []T, x, y T, k int) bool {
	for i, t := range pos {
		if t != x {
			continue
		}
		for _, u := range pos[i+1 : min(i+1+k, len(pos))] {
			if u == y {
				return true
			}
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

// maxBoilerplateBytes bounds the paragraphs that can be boilerplate lines
// (at most boilerplateMaxWords words).
const maxBoilerplateBytes = 400

// shortParagraphKeys returns the keys of the distinct short paragraphs of a
// text, the ones that may turn out to be boilerplate.
func shortParagraphKeys(text string) []uint64 {
	var out []uint64
	seen := map[uint64]bool{}
	for p := range strings.SplitSeq(text, "\n\n") {
		// A short paragraph is a line of a few words: skip long ones
		// before normalising them.
		if len(p) > maxBoilerplateBytes || strings.Count(p, " ") >= boilerplateMaxWords {
			continue
		}
		k := LineKey(p)
		if k == "" || len(strings.Fields(k)) > boilerplateMaxWords {
			continue
		}
		h := lineHash(k)
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
	return int(ix.paraCount[lineHash(key)])
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
