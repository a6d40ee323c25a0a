package retrieval

import (
	"encoding/binary"
	"math"
	"slices"
	"sort"
)

// Duplicate and story detection find their candidates with MinHash
// signatures and banded locality-sensitive hashing, so the cost of relating
// a new article does not grow with the archive: each article has a
// signature, computed once when it is cleaned and stored with it, and the
// index keeps a table from band values to the articles holding them. Two
// articles whose sets overlap with Jaccard similarity J share at least one
// band with probability 1-(1-J^r)^b; the candidates are then verified with
// the same rules as always (compare).
//
// A signature holds two MinHash sketches:
//   - sigShingles values over the article's 3-word shingles that hold at
//     least one content word (shingles of stopwords alone, "one of the",
//     are in every article and would make every pair a candidate), for
//     copies: republished, trimmed or lightly edited;
//   - sigNames values over its names and numbers, for reworded copies
//     (common words swapped, names kept) and articles about one event.
//
// After them come the article's paragraph anchors (see fingerprint), one
// value each, for excerpts: a paragraph or two lifted from a long article
// share too few of its shingles for the sketch to see them.
//
// Both sketches are banded two rows a band: with 32 shingle bands, a pair at J = 0.3
// is a candidate 95 % of the time and at J = 0.5 always; with 12 name bands,
// a pair sharing 60 % of its names is a candidate 99.9 % of the time.
const (
	sigVersion  = 1
	sigShingles = 64
	sigNames    = 24
	sigRows     = 2
	sigBytes    = 1 + 4*(sigShingles+sigNames)
	// maxAnchors bounds the paragraph anchors kept, anchorMinShingles the
	// paragraphs that have one: a line of a few words proves nothing.
	maxAnchors        = 64
	anchorMinShingles = 8
	// maxBandKeys is how many table keys a signature has at most.
	maxBandKeys = (sigShingles+sigNames)/sigRows + maxAnchors
	// bucketScan bounds the articles a lookup reads from one band's bucket
	// (the newest): a bucket that large holds a band of common values,
	// which says little, and the rest of the bands still find real copies.
	bucketScan = 64
)

// sigSeeds are the MinHash functions' multipliers and offsets; they are
// part of the stored format (sigVersion), so they come from a fixed seed.
var sigSeeds = func() (s [sigShingles + sigNames][2]uint64) {
	x := uint64(0x5eed_0f_57_0b07)
	for i := range s {
		s[i][0] = splitmix(&x) | 1
		s[i][1] = splitmix(&x)
	}
	return s
}()

func splitmix(x *uint64) uint64 {
	*x += 0x9E3779B97F4A7C15
	z := *x
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// mix64 spreads the bits of a hash before the multiply-shift functions.
func mix64(z uint64) uint64 {
	z = (z ^ z>>33) * 0xFF51AFD7ED558CCD
	z = (z ^ z>>33) * 0xC4CEB9FE1A85EC53
	return z ^ z>>33
}

// minhash fills out with the MinHash of set under the functions seeds.
func minhash(out []uint32, set []uint64, seeds [][2]uint64) {
	for i := range out {
		out[i] = math.MaxUint32
	}
	for _, x := range set {
		x = mix64(x)
		for i, s := range seeds {
			if h := uint32((x*s[0] + s[1]) >> 32); h < out[i] {
				out[i] = h
			}
		}
	}
}

// signatureOf computes the stored signature of a fingerprint.
func signatureOf(fp *fingerprint) []byte {
	var vals [sigShingles + sigNames]uint32
	minhash(vals[:sigShingles], fp.content, sigSeeds[:sigShingles])
	names := make([]uint64, len(fp.names))
	for i, n := range fp.names {
		names[i] = uint64(n)
	}
	minhash(vals[sigShingles:], names, sigSeeds[sigShingles:])
	sig := make([]byte, 1, sigBytes)
	sig[0] = sigVersion
	for _, v := range vals {
		sig = binary.LittleEndian.AppendUint32(sig, v)
	}
	for _, v := range fp.anchors {
		sig = binary.LittleEndian.AppendUint32(sig, v)
	}
	return sig
}

// anchorKey is the table key of a paragraph anchor.
func anchorKey(v uint32) uint64 { return mix64(uint64(v) ^ 0xA5C4_0000_0000_0000) }

func hashString(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// bandKeys appends the table keys of a signature's bands to keys; a band
// whose values are all empty (an article without names) has none. A
// signature of another version has no keys: it is recomputed (see
// rebuildLSH).
func bandKeys(sig []byte, keys []uint64) []uint64 {
	if !validSignature(sig) {
		return keys
	}
	val := func(i int) uint32 { return binary.LittleEndian.Uint32(sig[1+4*i:]) }
	for band := 0; band < (sigShingles+sigNames)/sigRows; band++ {
		k := uint64(band+1) * 0x9E3779B97F4A7C15
		empty := true
		for r := range sigRows {
			v := val(band*sigRows + r)
			if v != math.MaxUint32 {
				empty = false
			}
			k = mix64(k ^ uint64(v))
		}
		if !empty {
			keys = append(keys, k)
		}
	}
	for i := sigBytes; i+4 <= len(sig); i += 4 {
		keys = append(keys, anchorKey(binary.LittleEndian.Uint32(sig[i:])))
	}
	return keys
}

// lshTable maps band keys to the IDs of the articles holding them. It is
// guarded by the index's lock, built on the first ingest that needs it (see
// ensureLSH) and from then on kept in step by put and remove.
type lshTable struct {
	built   bool
	buckets map[uint64][]string
	// computed holds the signatures worked out from the text of articles
	// stored without one, so remove finds the bands add filed them under.
	computed map[string][]byte
}

func (t *lshTable) add(id string, sig []byte) {
	if !t.built {
		return
	}
	var buf [maxBandKeys]uint64
	for _, k := range bandKeys(sig, buf[:0]) {
		t.buckets[k] = append(t.buckets[k], id)
	}
}

func (t *lshTable) remove(id string, sig []byte) {
	if !t.built {
		return
	}
	if c, ok := t.computed[id]; ok {
		sig = c
		delete(t.computed, id)
	}
	var buf [maxBandKeys]uint64
	for _, k := range bandKeys(sig, buf[:0]) {
		b := t.buckets[k]
		if i := slices.Index(b, id); i >= 0 {
			b = slices.Delete(b, i, i+1)
		}
		if len(b) == 0 {
			delete(t.buckets, k)
		} else {
			t.buckets[k] = b
		}
	}
}

// rebuildLSH builds the band table from the signatures the articles carry,
// computing the signature of any article stored without one (or with one
// of another version) from its text. It is the one step that makes the
// table whole again after the index was filled some other way than put.
func (ix *Index) rebuildLSH() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.rebuildLSHLocked()
}

func (ix *Index) rebuildLSHLocked() {
	ix.lsh = lshTable{built: true, buckets: make(map[uint64][]string, len(ix.articles)*8), computed: map[string][]byte{}}
	for id, e := range ix.articles {
		ix.lshAddLocked(id, e)
	}
}

// lshAddLocked files an indexed article in the band table, working out
// the signature of one stored without one (before signatures were) from
// its text: kept in the table, not in the entry, which readers share;
// re-ingesting stores it.
func (ix *Index) lshAddLocked(id string, e *entry) {
	if !ix.lsh.built {
		return
	}
	sig := e.article.Signature
	if !validSignature(sig) {
		fp := fingerprintOf(e.body.text(), ix.idfLocked, true)
		sig = signatureOf(&fp)
		ix.lsh.computed[id] = sig
	}
	ix.lsh.add(id, sig)
}

func validSignature(sig []byte) bool {
	return len(sig) >= sigBytes && (len(sig)-sigBytes)%4 == 0 && sig[0] == sigVersion
}

// ensureLSH builds the band table if no ingest has needed it yet: commands
// that only answer questions never pay for it.
func (ix *Index) ensureLSH() {
	ix.mu.RLock()
	built := ix.lsh.built
	ix.mu.RUnlock()
	if !built {
		ix.mu.Lock()
		if !ix.lsh.built {
			ix.rebuildLSHLocked()
		}
		ix.mu.Unlock()
	}
}

// candidate is an article that shares bands with a new one.
type candidate struct {
	e     *entry
	bands int
}

// lshCandidates returns up to limit articles sharing the most bands with
// sig, most first, leaving out self.
func (ix *Index) lshCandidates(self string, sig []byte, limit int) []candidate {
	ix.ensureLSH()
	var buf [maxBandKeys]uint64
	keys := bandKeys(sig, buf[:0])
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	// The anchors' keys come last.
	firstAnchor := len(keys) - (len(sig)-sigBytes)/4
	type shared struct {
		bands  int
		anchor bool
	}
	count := make(map[string]shared, 16)
	for i, k := range keys {
		b := ix.lsh.buckets[k]
		for _, id := range b[max(0, len(b)-bucketScan):] {
			if id != self {
				c := count[id]
				c.bands++
				c.anchor = c.anchor || i >= firstAnchor
				count[id] = c
			}
		}
	}
	out := make([]candidate, 0, len(count))
	for id, c := range count {
		if e := ix.articles[id]; e != nil && (c.anchor || worthComparing(sig, e.article.Signature)) {
			out = append(out, candidate{e, c.bands})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].bands != out[j].bands {
			return out[i].bands > out[j].bands
		}
		return out[i].e.article.ID < out[j].e.article.ID
	})
	return out[:min(len(out), limit)]
}

// The signatures' estimates of the shingle and name overlaps below which a
// candidate is not worth comparing: compare's rules need a shingle
// containment of 0.5 (Jaccard 0.2 or more unless one text is over three
// times the other), or a name overlap of 0.25 for a story and 0.6 for a
// reworded copy. The estimates from 64 and 24 values err by about 0.05
// and 0.09, so the thresholds sit below the rules'.
const (
	minShingleEstimate = 0.1
	minNameEstimate    = 0.15
)

// worthComparing tells from two signatures whether compare could find the
// articles related: most articles that share a band share a few common
// names and nothing else. (Articles that share a paragraph anchor are
// always worth comparing.)
func worthComparing(a, b []byte) bool {
	if !validSignature(a) || !validSignature(b) {
		return true
	}
	var sh, nm, names int
	for i := range sigShingles + sigNames {
		x := binary.LittleEndian.Uint32(a[1+4*i:])
		y := binary.LittleEndian.Uint32(b[1+4*i:])
		switch {
		case i < sigShingles:
			if x == y {
				sh++
			}
		case x != math.MaxUint32 || y != math.MaxUint32:
			names++
			if x == y {
				nm++
			}
		}
	}
	return float64(sh) >= minShingleEstimate*sigShingles || names > 0 && float64(nm) >= minNameEstimate*float64(names)
}
