package retrieval

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// An index snapshot is a built Index saved to a file, so a process starts
// by reading it instead of analysing every article again (see
// docs/snapshot.md). The file is:
//
//	magic (16 bytes) | format (u32) | analyser build (u64)
//	sections, in a fixed order, each: tag (4 bytes) | length (u64) | payload | CRC-32C of tag, length and payload (u32)
//
// All integers are little-endian. A section is read whole and its checksum
// verified before anything in it is decoded, so a damaged or truncated file
// is reported, never half-used. The big arrays (postings, term marks,
// article bodies) are stored as the index holds them and become the
// restored index's memory directly; the article headers are one gob
// block, so fields added to Article are saved without a change here.
const snapshotMagic = "STORYBOT-INDEX\x00\x00"

// snapshotFormat is the layout version: bump it with any change to the
// file layout or to how the index lays out postings, marks or bodies.
// Changes to how text is analysed are caught by analyserBuild.
const snapshotFormat uint32 = 1

var (
	// ErrSnapshotCorrupt is returned for a snapshot that is damaged or
	// truncated.
	ErrSnapshotCorrupt = errors.New("index snapshot is damaged or truncated")
	// ErrSnapshotStale is returned for a snapshot written by a storybot
	// that indexes differently (another format or analyser).
	ErrSnapshotStale = errors.New("index snapshot was written by a storybot that indexes differently")
)

// SnapshotInfo describes a snapshot: the store it was built from and the
// position of that store's changes it reflects.
type SnapshotInfo struct {
	// Store names the store (for Redis: its address, database and prefix),
	// so a snapshot is never applied to another store.
	Store string `json:"store,omitempty"`
	// Position is where the store's change log stood: the snapshot holds
	// every write up to it, and perhaps some after it (replaying a write
	// again is harmless).
	Position Position  `json:"position"`
	Written  time.Time `json:"written"`
	Articles int       `json:"articles"`
	Passages int       `json:"passages"`
}

// snapMeta is the first section: the info and the sizes of what follows.
type snapMeta struct {
	Info      SnapshotInfo `json:"info"`
	Entries   int          `json:"entries"`
	Docs      int          `json:"docs"`
	Terms     int          `json:"terms"`
	Live      int          `json:"live"`
	Dead      int          `json:"dead"`
	TotalLen  int64        `json:"total_len"`
	MemCur    int          `json:"mem_cur"`
	MemUsed   int          `json:"mem_used"`
	NamesCur  int          `json:"names_cur"`
	NamesUsed int          `json:"names_used"`
	Version   uint64       `json:"version"`
}

// Section tags, in file order.
const (
	secMeta    = "META"
	secHeaders = "HEAD" // gob []Article without Text and Passages
	secEntries = "ENTR" // per entry: first, title, body length, passages
	secBodies  = "BODY" // the coded bodies, one after another
	secDocs    = "DOCS" // per passage: entry+1, marks, index; then lens
	secTerms   = "TERM" // per term: head, tail, last, df
	secNames   = "VOCA" // the vocabulary: term addresses, then its arena
	secMem     = "MEM " // the postings arena
	secKeys    = "KEYS" // the repeated-text tables
	secEnd     = "END "
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// WriteSnapshot writes ix to w as a snapshot described by info (Articles
// and Passages are filled in). It holds the index's read lock while
// writing: searches go on, Put and Remove wait.
func (ix *Index) WriteSnapshot(w io.Writer, info SnapshotInfo) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	info.Articles, info.Passages = len(ix.articles), ix.live
	if info.Written.IsZero() {
		info.Written = time.Now().UTC()
	}
	entries := make([]*entry, 0, len(ix.articles))
	for _, e := range ix.articles {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].first < entries[j].first })
	ord := make(map[*entry]uint32, len(entries))
	for i, e := range entries {
		ord[e] = uint32(i)
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	sw := &secWriter{w: bw, crc: crc32.New(crcTable)}
	var head [28]byte
	copy(head[:], snapshotMagic)
	binary.LittleEndian.PutUint32(head[16:], snapshotFormat)
	binary.LittleEndian.PutUint64(head[20:], analyserBuild())
	sw.raw(head[:])

	meta, err := json.Marshal(snapMeta{
		Info: info, Entries: len(entries), Docs: len(ix.docs), Terms: len(ix.terms),
		Live: ix.live, Dead: ix.dead, TotalLen: ix.totalLen,
		MemCur: ix.mem.cur, MemUsed: ix.mem.used, NamesCur: ix.vocab.names.cur, NamesUsed: ix.vocab.names.used,
		Version: ix.version,
	})
	if err != nil {
		return fmt.Errorf("write index snapshot: %w", err)
	}
	sw.section(secMeta, meta)

	headers := make([]Article, len(entries))
	for i, e := range entries {
		headers[i] = e.article
		headers[i].Passages = nil
	}
	var gb bytes.Buffer
	if err := gob.NewEncoder(&gb).Encode(headers); err != nil {
		return fmt.Errorf("write index snapshot: article headers: %w", err)
	}
	headers = nil
	sw.section(secHeaders, gb.Bytes())
	gb = bytes.Buffer{}

	var p []byte
	bodies := 0
	for _, e := range entries {
		p = binary.AppendUvarint(p, uint64(e.first))
		p = binary.AppendUvarint(p, uint64(e.title))
		p = binary.AppendUvarint(p, uint64(len(e.body)))
		p = binary.AppendUvarint(p, uint64(len(e.article.Passages)))
		for _, sp := range e.article.Passages {
			p = binary.AppendUvarint(p, uint64(sp.Start))
			p = binary.AppendUvarint(p, uint64(sp.End-sp.Start))
		}
		bodies += len(e.body)
	}
	sw.section(secEntries, p)
	sw.begin(secBodies, uint64(bodies))
	for _, e := range entries {
		sw.writeString(string(e.body))
	}
	sw.end()

	p = make([]byte, 0, 16*len(ix.docs))
	for _, d := range ix.docs {
		var o uint32
		if d.e != nil {
			o = ord[d.e] + 1
		}
		p = binary.LittleEndian.AppendUint32(p, o)
		p = binary.LittleEndian.AppendUint32(p, d.marks)
		p = binary.LittleEndian.AppendUint32(p, uint32(d.index))
	}
	for _, n := range ix.lens[:len(ix.docs)] {
		p = binary.LittleEndian.AppendUint32(p, uint32(n))
	}
	sw.section(secDocs, p)

	p = make([]byte, 0, 16*len(ix.terms))
	for _, t := range ix.terms {
		p = binary.LittleEndian.AppendUint32(p, t.head)
		p = binary.LittleEndian.AppendUint32(p, t.tail)
		p = binary.LittleEndian.AppendUint32(p, uint32(t.last))
		p = binary.LittleEndian.AppendUint32(p, uint32(t.df))
	}
	sw.section(secTerms, p)

	p = make([]byte, 0, 4*len(ix.vocab.at))
	for _, at := range ix.vocab.at {
		p = binary.LittleEndian.AppendUint32(p, at)
	}
	sw.arena(secNames, p, &ix.vocab.names)
	sw.arena(secMem, nil, &ix.mem)

	p = p[:0]
	p = binary.LittleEndian.AppendUint64(p, uint64(len(ix.textCount)))
	for k, c := range ix.textCount {
		p = binary.LittleEndian.AppendUint64(p, k)
		p = binary.LittleEndian.AppendUint32(p, uint32(c))
	}
	p = binary.LittleEndian.AppendUint64(p, uint64(len(ix.repeated)))
	for n, k := range ix.repeated {
		p = binary.LittleEndian.AppendUint32(p, uint32(n))
		p = binary.LittleEndian.AppendUint64(p, k)
	}
	p = binary.LittleEndian.AppendUint64(p, uint64(len(ix.paraCount)))
	for k, c := range ix.paraCount {
		p = binary.LittleEndian.AppendUint64(p, k)
		p = binary.LittleEndian.AppendUint32(p, uint32(c))
	}
	p = binary.LittleEndian.AppendUint64(p, uint64(ix.texts.n))
	p = binary.LittleEndian.AppendUint64(p, uint64(len(ix.texts.slots)))
	for _, k := range ix.texts.slots {
		p = binary.LittleEndian.AppendUint64(p, k)
	}
	sw.section(secKeys, p)
	sw.section(secEnd, nil)
	if sw.err != nil {
		return fmt.Errorf("write index snapshot: %w", sw.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write index snapshot: %w", err)
	}
	return nil
}

// secWriter writes sections, each followed by its checksum.
type secWriter struct {
	w         *bufio.Writer
	crc       hash.Hash32
	n, want   uint64
	err       error
	lenBuf    [12]byte
	crcBuffer [4]byte
}

func (s *secWriter) raw(p []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(p)
	}
}

// begin starts a section of n bytes.
func (s *secWriter) begin(tag string, n uint64) {
	s.crc.Reset()
	s.n, s.want = 0, n
	copy(s.lenBuf[:4], tag)
	binary.LittleEndian.PutUint64(s.lenBuf[4:], n)
	s.crc.Write(s.lenBuf[:])
	s.raw(s.lenBuf[:])
}

func (s *secWriter) write(p []byte) {
	s.crc.Write(p)
	s.n += uint64(len(p))
	s.raw(p)
}

func (s *secWriter) writeString(p string) {
	s.write(unsafe.Slice(unsafe.StringData(p), len(p)))
}

// end finishes the section with its checksum.
func (s *secWriter) end() {
	if s.err == nil && s.n != s.want {
		s.err = fmt.Errorf("section wrote %d bytes, said %d", s.n, s.want)
	}
	binary.LittleEndian.PutUint32(s.crcBuffer[:], s.crc.Sum32())
	s.raw(s.crcBuffer[:])
}

func (s *secWriter) section(tag string, p []byte) {
	s.begin(tag, uint64(len(p)))
	s.write(p)
	s.end()
}

// arena writes a section of prefix, then the arena: its block count and
// each block's length, then the blocks.
func (s *secWriter) arena(tag string, prefix []byte, a *arena) {
	head := binary.LittleEndian.AppendUint64(nil, uint64(len(prefix)))
	head = append(head, prefix...)
	head = binary.LittleEndian.AppendUint64(head, uint64(len(a.blocks)))
	n := len(head)
	for _, b := range a.blocks {
		head = binary.LittleEndian.AppendUint32(head, uint32(len(b)))
		n += 4 + len(b)
	}
	s.begin(tag, uint64(n))
	s.write(head)
	for _, b := range a.blocks {
		s.write(b)
	}
	s.end()
}

// ReadSnapshot reads a snapshot WriteSnapshot wrote and returns the index
// it holds with its info. size is the snapshot's length in bytes, or -1
// when unknown. A damaged or truncated snapshot returns an error wrapping
// ErrSnapshotCorrupt; one from a storybot that indexes differently, one
// wrapping ErrSnapshotStale. The index returned is complete or not at all.
func ReadSnapshot(r io.Reader, size int64) (*Index, SnapshotInfo, error) {
	sr := &secReader{r: bufio.NewReaderSize(r, 1<<20), left: size}
	var head [28]byte
	if err := sr.full(head[:]); err != nil {
		return nil, SnapshotInfo{}, err
	}
	if string(head[:16]) != snapshotMagic {
		return nil, SnapshotInfo{}, fmt.Errorf("%w: not an index snapshot", ErrSnapshotCorrupt)
	}
	if f := binary.LittleEndian.Uint32(head[16:]); f != snapshotFormat {
		return nil, SnapshotInfo{}, fmt.Errorf("%w: format %d, this storybot reads %d", ErrSnapshotStale, f, snapshotFormat)
	}
	if b := binary.LittleEndian.Uint64(head[20:]); b != analyserBuild() {
		return nil, SnapshotInfo{}, fmt.Errorf("%w: analyser build %016x, this storybot's is %016x", ErrSnapshotStale, b, analyserBuild())
	}
	return sr.index()
}

// secReader reads sections, verifying each one's checksum before it is
// used.
type secReader struct {
	r    *bufio.Reader
	left int64 // bytes left in the file; -1 unknown
}

func (s *secReader) full(p []byte) error {
	if s.left >= 0 && int64(len(p)) > s.left {
		return fmt.Errorf("%w: ends early", ErrSnapshotCorrupt)
	}
	if _, err := io.ReadFull(s.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: ends early", ErrSnapshotCorrupt)
		}
		return fmt.Errorf("read index snapshot: %w", err)
	}
	if s.left >= 0 {
		s.left -= int64(len(p))
	}
	return nil
}

// next reads the section tagged tag and returns its payload.
func (s *secReader) next(tag string) ([]byte, error) {
	var h [12]byte
	if err := s.full(h[:]); err != nil {
		return nil, err
	}
	if string(h[:4]) != tag {
		return nil, fmt.Errorf("%w: expected section %q, found %q", ErrSnapshotCorrupt, tag, h[:4])
	}
	n := binary.LittleEndian.Uint64(h[4:])
	var p []byte
	switch {
	case s.left >= 0 && n+4 > uint64(s.left):
		return nil, fmt.Errorf("%w: section %q says %d bytes, %d remain", ErrSnapshotCorrupt, tag, n, s.left)
	case s.left >= 0:
		p = make([]byte, n)
		if err := s.full(p); err != nil {
			return nil, err
		}
	default:
		// Unknown size: grow as bytes arrive, so a damaged length cannot
		// ask for more memory than the input holds.
		var err error
		if p, err = io.ReadAll(io.LimitReader(s.r, int64(min(n, 1<<62)))); err != nil {
			return nil, fmt.Errorf("read index snapshot: %w", err)
		}
		if uint64(len(p)) != n {
			return nil, fmt.Errorf("%w: ends early", ErrSnapshotCorrupt)
		}
	}
	var sum [4]byte
	if err := s.full(sum[:]); err != nil {
		return nil, err
	}
	crc := crc32.Update(crc32.Update(0, crcTable, h[:]), crcTable, p)
	if crc != binary.LittleEndian.Uint32(sum[:]) {
		return nil, fmt.Errorf("%w: section %q fails its checksum", ErrSnapshotCorrupt, tag)
	}
	return p, nil
}

// index reads the sections after the header into a new index.
func (s *secReader) index() (ix *Index, info SnapshotInfo, err error) {
	defer func() {
		// The checksums make a damaged file fail before decoding; this
		// catches a file that is whole but inconsistent (a bug in the
		// writer), which must not take the process down either.
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("%w: %v", ErrSnapshotCorrupt, r)
		}
	}()
	p, err := s.next(secMeta)
	if err != nil {
		return nil, info, err
	}
	var m snapMeta
	if err := json.Unmarshal(p, &m); err != nil {
		return nil, info, fmt.Errorf("%w: %v", ErrSnapshotCorrupt, err)
	}
	info = m.Info
	ix = NewIndex()
	ix.live, ix.dead, ix.totalLen, ix.version = m.Live, m.Dead, m.TotalLen, m.Version

	if p, err = s.next(secHeaders); err != nil {
		return nil, info, err
	}
	var headers []Article
	if err := gob.NewDecoder(bytes.NewReader(p)).Decode(&headers); err != nil {
		return nil, info, fmt.Errorf("%w: article headers: %v", ErrSnapshotCorrupt, err)
	}
	if len(headers) != m.Entries {
		return nil, info, fmt.Errorf("%w: %d article headers, %d expected", ErrSnapshotCorrupt, len(headers), m.Entries)
	}

	if p, err = s.next(secEntries); err != nil {
		return nil, info, err
	}
	entries := make([]entry, m.Entries)
	bodyLens := make([]int, m.Entries)
	d := decoder{p: p}
	var spans []Span
	for i := range entries {
		e := &entries[i]
		e.first = int32(d.uvarint())
		e.title = uint32(d.uvarint())
		bodyLens[i] = int(d.uvarint())
		n := int(d.uvarint())
		if n > len(d.p) {
			return nil, info, fmt.Errorf("%w: article %d has %d passages", ErrSnapshotCorrupt, i, n)
		}
		from := len(spans)
		for range n {
			start := int(d.uvarint())
			spans = append(spans, Span{start, start + int(d.uvarint())})
		}
		headers[i].Passages = spans[from:len(spans):len(spans)]
	}
	if d.err != nil {
		return nil, info, d.err
	}
	if p, err = s.next(secBodies); err != nil {
		return nil, info, err
	}
	all := unsafe.String(unsafe.SliceData(p), len(p)) // p is never written again
	at := 0
	ix.articles = make(map[string]*entry, m.Entries)
	for i := range entries {
		e := &entries[i]
		if bodyLens[i] > len(all)-at {
			return nil, info, fmt.Errorf("%w: article bodies run past their section", ErrSnapshotCorrupt)
		}
		e.body = body(all[at : at+bodyLens[i]])
		at += bodyLens[i]
		headers[i].shrink()
		e.article = headers[i]
		ix.articles[e.article.ID] = e
	}
	headers = nil

	if p, err = s.next(secDocs); err != nil {
		return nil, info, err
	}
	if len(p) != 16*m.Docs {
		return nil, info, fmt.Errorf("%w: passages section holds %d bytes for %d passages", ErrSnapshotCorrupt, len(p), m.Docs)
	}
	ix.docs = make([]doc, m.Docs)
	ix.lens = make([]int32, m.Docs)
	le := binary.LittleEndian
	for i := range ix.docs {
		q := p[12*i:]
		o := le.Uint32(q)
		if o > uint32(len(entries)) {
			return nil, info, fmt.Errorf("%w: passage %d names article %d of %d", ErrSnapshotCorrupt, i, o, len(entries))
		}
		if o > 0 {
			ix.docs[i].e = &entries[o-1]
		}
		ix.docs[i].marks = le.Uint32(q[4:])
		ix.docs[i].index = int32(le.Uint32(q[8:]))
	}
	q := p[12*m.Docs:]
	for i := range ix.lens {
		ix.lens[i] = int32(le.Uint32(q[4*i:]))
	}

	if p, err = s.next(secTerms); err != nil {
		return nil, info, err
	}
	if len(p) != 16*m.Terms {
		return nil, info, fmt.Errorf("%w: terms section holds %d bytes for %d terms", ErrSnapshotCorrupt, len(p), m.Terms)
	}
	ix.terms = make([]termInfo, m.Terms)
	for i := range ix.terms {
		q := p[16*i:]
		ix.terms[i] = termInfo{head: le.Uint32(q), tail: le.Uint32(q[4:]), last: int32(le.Uint32(q[8:])), df: int32(le.Uint32(q[12:]))}
	}
	ix.counts = make([]int32, m.Terms)

	if p, err = s.next(secNames); err != nil {
		return nil, info, err
	}
	prefix, names, err := readArena(p, m.NamesCur, m.NamesUsed)
	if err != nil {
		return nil, info, err
	}
	if len(prefix) != 4*m.Terms {
		return nil, info, fmt.Errorf("%w: vocabulary of %d terms, %d expected", ErrSnapshotCorrupt, len(prefix)/4, m.Terms)
	}
	ix.vocab.names = names
	ix.vocab.at = make([]uint32, m.Terms)
	for i := range ix.vocab.at {
		ix.vocab.at[i] = le.Uint32(prefix[4*i:])
	}
	ix.vocab.rebuild()

	if p, err = s.next(secMem); err != nil {
		return nil, info, err
	}
	if _, ix.mem, err = readArena(p, m.MemCur, m.MemUsed); err != nil {
		return nil, info, err
	}

	if p, err = s.next(secKeys); err != nil {
		return nil, info, err
	}
	d = decoder{p: p}
	n := d.count(12)
	ix.textCount = make(map[uint64]int32, n)
	for range n {
		ix.textCount[d.u64()] = int32(d.u32())
	}
	n = d.count(12)
	ix.repeated = make(map[int32]uint64, n)
	for range n {
		ix.repeated[int32(d.u32())] = d.u64()
	}
	n = d.count(12)
	ix.paraCount = make(map[uint64]int32, n)
	for range n {
		ix.paraCount[d.u64()] = int32(d.u32())
	}
	ix.texts.n = int(d.u64())
	n = d.count(8)
	if n&(n-1) != 0 {
		return nil, info, fmt.Errorf("%w: text key table of %d slots", ErrSnapshotCorrupt, n)
	}
	ix.texts.slots = make([]uint64, n)
	for i := range ix.texts.slots {
		ix.texts.slots[i] = d.u64()
	}
	if d.err != nil {
		return nil, info, d.err
	}
	if _, err = s.next(secEnd); err != nil {
		return nil, info, err
	}
	if err := ix.check(); err != nil {
		return nil, info, err
	}
	ix.restored()
	return ix, info, nil
}

// readArena decodes an arena section: its prefix, and the arena, whose
// blocks are p's own bytes.
func readArena(p []byte, cur, used int) ([]byte, arena, error) {
	d := decoder{p: p}
	prefix := d.bytes(int(d.u64()))
	n := d.count(4)
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = int(d.u32())
	}
	var a arena
	a.blocks = make([][]byte, n)
	for i, sz := range sizes {
		b := d.bytes(sz)
		a.blocks[i] = b[:sz:sz]
	}
	if d.err != nil {
		return nil, arena{}, d.err
	}
	if n > 0 && (cur < 0 || cur >= n || used < 0 || used > len(a.blocks[cur])) {
		return nil, arena{}, fmt.Errorf("%w: arena position %d/%d of %d blocks", ErrSnapshotCorrupt, cur, used, n)
	}
	a.cur, a.used = cur, used
	return prefix, a, nil
}

// check makes sure the restored tables agree with one another where a
// disagreement would make a search read out of bounds.
func (ix *Index) check() error {
	blocks := func(a *arena, at uint32) bool {
		b := int(at >> arenaBits)
		return b < len(a.blocks) && int(at&arenaMask) < len(a.blocks[b])
	}
	for _, e := range ix.articles {
		if e.title != 0 && !blocks(&ix.mem, e.title) || e.first < 0 || int(e.first)+len(e.article.Passages) > len(ix.docs) {
			return fmt.Errorf("%w: article %s out of range", ErrSnapshotCorrupt, e.article.ID)
		}
	}
	for i, d := range ix.docs {
		if d.e == nil {
			continue
		}
		if d.index < 0 || int(d.index) >= len(d.e.article.Passages) || d.marks != 0 && !blocks(&ix.mem, d.marks) ||
			d.marks != 0 && int(ix.lens[i]) > len(ix.mem.bytes(d.marks)) {
			return fmt.Errorf("%w: passage %d out of range", ErrSnapshotCorrupt, i)
		}
	}
	for i, t := range ix.terms {
		if t.head != 0 && (!blocks(&ix.mem, t.head) || !blocks(&ix.mem, t.tail)) || int(t.last) > len(ix.docs) {
			return fmt.Errorf("%w: term %d out of range", ErrSnapshotCorrupt, i)
		}
	}
	for _, at := range ix.vocab.at {
		if !blocks(&ix.vocab.names, at) {
			return fmt.Errorf("%w: vocabulary out of range", ErrSnapshotCorrupt)
		}
	}
	return nil
}

// restored is called once on an index read from a snapshot, before anyone
// else sees it: it rebuilds what the snapshot does not hold because it
// follows from the articles.
func (ix *Index) restored() {
	for _, e := range ix.articles {
		ix.collCount[e.article.Collection]++
	}
}

// decoder reads a section's payload; a read past its end sets err and
// returns zeros.
type decoder struct {
	p   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w: a section ends early", ErrSnapshotCorrupt)
	}
	d.p = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.p)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.p = d.p[n:]
	return v
}

func (d *decoder) u32() uint32 {
	if len(d.p) < 4 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(d.p)
	d.p = d.p[4:]
	return v
}

func (d *decoder) u64() uint64 {
	if len(d.p) < 8 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.p)
	d.p = d.p[8:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || n > len(d.p) {
		d.fail()
		return nil
	}
	b := d.p[:n]
	d.p = d.p[n:]
	return b
}

// count reads a count of records of size bytes each, failing when the
// rest of the payload cannot hold them.
func (d *decoder) count(size int) int {
	n := d.u64()
	if n > uint64(len(d.p)/size) {
		d.fail()
		return 0
	}
	return int(n)
}

// rebuild files every term of at in a new table.
func (v *vocab) rebuild() {
	size := 1024
	for len(v.at)*4 > size*3 {
		size *= 2
	}
	v.slots = make([]uint32, size)
	for id := range v.at {
		v.insert(int32(id), xxhash.Sum64(v.name(int32(id))))
	}
}

// SaveSnapshot writes ix to path atomically: to a temporary file beside
// it, synced, then renamed over path, so a reader finds the old snapshot
// or the new one, whole.
func (ix *Index) SaveSnapshot(path string, info SnapshotInfo) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("save index snapshot: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("save index snapshot %s: %w", path, err)
	}
	if err := ix.WriteSnapshot(f, info); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save index snapshot %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself survives a crash
		d.Close()
	}
	return nil
}

// LoadSnapshot reads the snapshot at path (see ReadSnapshot). A missing
// file returns an error wrapping fs.ErrNotExist.
func LoadSnapshot(path string) (*Index, SnapshotInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, SnapshotInfo{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, SnapshotInfo{}, err
	}
	ix, info, err := ReadSnapshot(f, st.Size())
	if err != nil {
		return nil, info, fmt.Errorf("%s: %w", path, err)
	}
	return ix, info, nil
}

// analyserBuild is a fingerprint of how this build turns text into index
// entries: the analysis of a probe text (terms, their hashes, stopwords,
// text and paragraph keys), the stopword list, the body code and the
// postings layout. A snapshot written by a build whose fingerprint differs
// is not read: code that changes what the index holds for a text also
// changes the fingerprint, without anyone remembering to bump a version.
var analyserBuild = sync.OnceValue(func() uint64 {
	h := xxhash.New()
	var b []byte
	put := func(v uint64) { b = binary.LittleEndian.AppendUint64(b[:0], v); h.Write(b) }
	str := func(s string) { put(uint64(len(s))); h.WriteString(s) }
	for _, para := range analyserProbe {
		terms, key := analyse(para, nil)
		put(key)
		for _, w := range terms {
			str(w.term())
			put(w.termHash)
			put(uint64(termMark(int32(w.termHash))))
		}
		for _, k := range shortParagraphKeys(para) {
			put(k)
		}
		str(LineKey(para))
		str(string(newBody(para, []Span{{0, len(para) / 2}, {len(para) / 2, len(para)}}, nil)))
	}
	words := make([]string, 0, len(stopwords))
	for w := range stopwords {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		str(w)
	}
	for _, c := range newsBytes {
		put(uint64(c))
	}
	for _, s := range sliceSizes {
		put(uint64(s))
	}
	put(arenaBits)
	return h.Sum64()
})

// analyserProbe is text that exercises the analyser: case, possessives,
// curly quotes, hyphens, numbers, dates, money, abbreviations, accents,
// other scripts and stopwords.
var analyserProbe = []string{
	"The Senate's vote on Tuesday, 14 March 2023, ended 51-49; the bill's sponsors — Sen. O’Neill (D-Mass.) and Rep. García — called it \"historic.\"",
	"Officials said 3,500 people were evacuated; damages could top $1.2 billion (about €1.1bn). U.S. forces, NATO allies and the U.N. were running, ran and runs.",
	"Click here to subscribe",
	"Advertisement",
	"Über-große Städte: naïve café owners in Zürich, Москва and 東京 aren't doing what they'd said they'd do; it's theirs, not ours.",
	"Apple Inc. (AAPL) rose 4.5% to $172.10 at 9:30 a.m. ET; COVID-19 cases fell 12% week-over-week, per CDC data released 2022-03-01.",
}
