package retrieval

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/huff0"
)

// A body is an article's text as the index keeps it: Huffman-coded, in
// segments cut where passages start, so that reading one passage (as
// proximity reranking and duplicate counting do) decodes that passage
// alone. Text is most of what a replica holds, and news text coded with a
// code built for English news (newsBytes) takes about 0.6 of its bytes;
// decoding runs at several hundred MB/s, about half a microsecond for a
// passage. The code is fixed, so bodies need no table of their own and
// any two processes code alike.
//
// Layout: the number of segments, then for each its text length and its
// coded length times four plus its mode (uvarints), then the segments'
// bytes one after another. A segment too short or too unlike news to gain
// from the code is kept as it is.
type body string

// Segment modes.
const (
	segRaw   = 0 // the text as it is
	segHuff4 = 1 // huff0 4-stream coded with the news code
)

const (
	// minCoded is the shortest segment worth coding: the 4-stream coder
	// adds six bytes of stream sizes.
	minCoded = 32
	// maxSegment bounds a segment's text, well within what huff0 codes in
	// one block.
	maxSegment = 32 << 10
)

// bodyDecoder returns the news code's decoder, built once.
var bodyDecoder = sync.OnceValue(func() *huff0.Decoder {
	var s huff0.Scratch
	if err := s.BuildCTable(&newsBytes); err != nil {
		panic(fmt.Sprintf("retrieval: building the news code: %v", err))
	}
	table, err := s.AppendTable(nil)
	if err != nil {
		panic(fmt.Sprintf("retrieval: writing the news code: %v", err))
	}
	ds, _, err := huff0.ReadTable(table, nil)
	if err != nil {
		panic(fmt.Sprintf("retrieval: reading the news code: %v", err))
	}
	return ds.Decoder()
})

// bodyEncoder codes bodies; a Scratch is not safe for concurrent use, so
// encoders are pooled.
type bodyEncoder struct {
	s    huff0.Scratch
	in   []byte // a segment's text
	data []byte // the coded segments
	head []byte // the segments' lengths and modes
	out  []byte // the body
	cuts []int
}

var bodyEncoders = sync.Pool{New: func() any {
	e := new(bodyEncoder)
	if err := e.s.BuildCTable(&newsBytes); err != nil {
		panic(fmt.Sprintf("retrieval: building the news code: %v", err))
	}
	e.s.Reuse = huff0.ReusePolicyMust // code with the news code, write no table
	return e
}}

// encode codes text, cut where spans start, and returns the body's bytes,
// valid until the encoder is used again.
func (e *bodyEncoder) encode(text string, spans []Span) []byte {
	e.cuts = append(e.cuts[:0], 0)
	for _, sp := range spans {
		if sp.Start > 0 && sp.Start < len(text) {
			e.cuts = append(e.cuts, sp.Start)
		}
	}
	if !slices.IsSorted(e.cuts) {
		slices.Sort(e.cuts)
	}
	e.cuts = slices.Compact(append(e.cuts, len(text)))
	e.data, e.head = e.data[:0], e.head[:0]
	nseg := 0
	for i := 0; i+1 < len(e.cuts); i++ {
		for from := e.cuts[i]; from < e.cuts[i+1]; from += maxSegment {
			seg := text[from:min(from+maxSegment, e.cuts[i+1])]
			mode, coded := e.code(seg)
			e.head = binary.AppendUvarint(e.head, uint64(len(seg)))
			e.head = binary.AppendUvarint(e.head, uint64(len(coded))<<2|uint64(mode))
			e.data = append(e.data, coded...)
			nseg++
		}
	}
	e.out = binary.AppendUvarint(e.out[:0], uint64(nseg))
	e.out = append(e.out, e.head...)
	e.out = append(e.out, e.data...)
	return e.out
}

// code returns segment seg's mode and bytes, valid until the next call.
func (e *bodyEncoder) code(seg string) (int, []byte) {
	if len(seg) < minCoded {
		return segRaw, unsafe.Slice(unsafe.StringData(seg), len(seg))
	}
	e.in = append(e.in[:0], seg...)
	out, _, err := huff0.Compress4X(e.in, &e.s)
	if err != nil || len(out) >= len(seg) {
		// Incompressible (not news: another script, or binary), or
		// one repeated byte: kept as it is.
		return segRaw, e.in
	}
	return segHuff4, out
}

// newBody codes text cut where spans start, into p's blocks when p is not
// nil.
func newBody(text string, spans []Span, p *packer) body {
	e := bodyEncoders.Get().(*bodyEncoder)
	defer bodyEncoders.Put(e)
	coded := e.encode(text, spans)
	if p != nil {
		return body(p.bytes(coded))
	}
	return body(coded)
}

// segment is one segment of a body as its header gives it.
type segment struct {
	start, end int // its place in the text
	mode       int
	data       string
}

// segments calls yield for each segment in order until it returns false.
func (b body) segments(yield func(segment) bool) {
	if len(b) == 0 {
		return
	}
	p := unsafe.Slice(unsafe.StringData(string(b)), len(b))
	n, i := readUvarint(p, 0)
	data := i
	for range 2 * n { // the header runs to the first segment's bytes
		_, data = readUvarint(p, data)
	}
	at := 0
	for range n {
		var textLen, coded uint64
		textLen, i = readUvarint(p, i)
		coded, i = readUvarint(p, i)
		size := int(coded >> 2)
		s := segment{start: at, end: at + int(textLen), mode: int(coded & 3), data: string(b[data : data+size])}
		if !yield(s) {
			return
		}
		at += int(textLen)
		data += size
	}
}

// decode writes the segment's text to dst, whose capacity is exactly its
// length, and returns it.
func (s segment) decode(dst []byte) []byte {
	if s.mode == segRaw {
		return append(dst, s.data...)
	}
	out, err := bodyDecoder().Decompress4X(dst, unsafe.Slice(unsafe.StringData(s.data), len(s.data)))
	if err != nil || len(out) != s.end-s.start {
		panic(fmt.Sprintf("retrieval: corrupt article body: segment at %d: %v", s.start, err))
	}
	return out
}

// len returns the length of the text.
func (b body) len() int {
	n := 0
	b.segments(func(s segment) bool {
		n = s.end
		return true
	})
	return n
}

// text returns the whole text.
func (b body) text() string {
	n := b.len()
	if n == 0 {
		return ""
	}
	t := b.appendSlice(make([]byte, 0, n), 0, n)
	return unsafe.String(unsafe.SliceData(t), len(t))
}

// slice returns text[start:end] in memory of its own.
func (b body) slice(start, end int) string {
	if start >= end {
		return ""
	}
	t := b.appendSlice(nil, start, end)
	return unsafe.String(unsafe.SliceData(t), len(t))
}

// appendSlice appends text[start:end] to dst, decoding only the segments
// it overlaps, and returns dst. With room in dst it allocates nothing, so
// a search reading passage after passage reuses one buffer.
func (b body) appendSlice(dst []byte, start, end int) []byte {
	if start >= end {
		return dst
	}
	b.segments(func(s segment) bool {
		if s.start >= end {
			return false
		}
		if s.end <= start {
			return true
		}
		// Decode the segment after what dst holds, then keep only the part
		// wanted.
		n := s.end - s.start
		at := len(dst)
		dst = slices.Grow(dst, n)
		s.decode(dst[at : at : at+n])
		from, to := max(start, s.start)-s.start, min(end, s.end)-s.start
		if from > 0 {
			copy(dst[at:at+to-from], dst[at+from:at+to])
		}
		dst = dst[:at+to-from]
		return true
	})
	return dst
}
