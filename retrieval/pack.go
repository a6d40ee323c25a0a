package retrieval

import (
	"strings"
	"unsafe"
)

// A packer copies the metadata strings, passage lists and coded texts (see
// body) of articles loaded in bulk into shared blocks, and hands out their
// index entries from blocks too. A replica's cold start decodes every
// stored article, and the decoder's temporary buffers land among the
// strings it returns; once they are freed the heap keeps their spans half
// empty, a third again the size of the text in the runs of the benchmarks.
// Copied into blocks, the strings leave the decoder's garbage to be freed
// whole.
//
// A block stays alive while anything in it does, so an article replaced
// after the load keeps its old text in memory until the rest of its block
// goes too; a news archive rarely rewrites old articles.
type packer struct {
	block   strings.Builder // never grown past its first capacity, so what it holds stays put
	spans   []Span
	entries []entry
}

// entry returns a new index entry from the current block of entries.
func (p *packer) entry() *entry {
	if len(p.entries) == cap(p.entries) {
		p.entries = make([]entry, 0, packEntries)
	}
	p.entries = p.entries[:len(p.entries)+1]
	return &p.entries[len(p.entries)-1]
}

const (
	packBlock   = 64 << 10 // bytes in a block of strings
	packSpans   = 4096     // spans in a block of passage lists
	packEntries = 64       // index entries in a block
)

// str returns s, packed. A string that does not fit the current block and
// is large enough to fill a fair part of a new one keeps its own memory.
func (p *packer) str(s string) string {
	if s == "" {
		return s
	}
	if p.block.Len()+len(s) > p.block.Cap() {
		if len(s) > packBlock/8 {
			return s
		}
		p.block = strings.Builder{}
		p.block.Grow(packBlock)
	}
	start := p.block.Len()
	p.block.WriteString(s)
	return p.block.String()[start:]
}

// bytes returns a packed copy of b.
func (p *packer) bytes(b []byte) string {
	if len(b) > packBlock/8 {
		return string(b)
	}
	return p.str(unsafe.String(unsafe.SliceData(b), len(b)))
}

// passages returns ps, packed.
func (p *packer) passages(ps []Span) []Span {
	if len(ps) == 0 || len(ps) > packSpans/8 {
		return ps
	}
	if len(p.spans)+len(ps) > cap(p.spans) {
		p.spans = make([]Span, 0, packSpans)
	}
	start := len(p.spans)
	p.spans = append(p.spans, ps...)
	return p.spans[start:len(p.spans):len(p.spans)]
}

// article packs a's strings and passage list; fields equal to another
// field share its copy.
func (p *packer) article(a *Article) {
	sourceIsKey, urlIsKey, storyIsID := a.Source == a.Key, a.URL == a.Key, a.StoryID == a.ID
	a.ID = p.str(a.ID)
	a.Key = p.str(a.Key)
	a.Title = p.str(a.Title)
	a.Hash = p.str(a.Hash)
	a.DuplicateOf = p.str(a.DuplicateOf)
	a.Source = p.same(sourceIsKey, a.Key, a.Source)
	a.URL = p.same(urlIsKey, a.Key, a.URL)
	a.StoryID = p.same(storyIsID, a.ID, a.StoryID)
	a.Passages = p.passages(a.Passages)
}

// same returns packed when equal, else s packed.
func (p *packer) same(equal bool, packed, s string) string {
	if equal {
		return packed
	}
	return p.str(s)
}
