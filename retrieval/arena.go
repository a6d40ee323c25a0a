package retrieval

import (
	"encoding/binary"
	"fmt"
)

// An arena holds many small byte strings in a few large blocks, addressed
// by 32-bit offsets: the index keeps its postings there instead of in a
// slice a term. A slice costs a 24-byte
// header, a separate allocation rounded up to a size class, and the slack
// left by append's doubling; for the hundreds of thousands of rare terms
// of a news archive those costs were larger than the data. Large blocks also leave nothing for the garbage of cleaning and
// decoding to fragment.
//
// An address is the block number times arenaBlock plus the offset in the
// block; address 0 is never handed out, so it can mean "none". Nothing
// spans two blocks: a string longer than a block gets a block of its own.
// The arena is append-only; the index rebuilds it when it compacts.
type arena struct {
	blocks [][]byte
	cur    int // the block small allocations come from
	used   int // bytes used of blocks[cur]
}

const (
	arenaBits  = 16
	arenaBlock = 1 << arenaBits
	arenaMask  = arenaBlock - 1
)

// alloc returns the address of n new zero bytes.
func (a *arena) alloc(n int) uint32 {
	if n > arenaBlock/4 {
		// A large string gets a block of its own, so it wastes no tail of
		// the current block.
		a.blocks = append(a.blocks, make([]byte, n))
		return a.address(len(a.blocks)-1, 0)
	}
	if len(a.blocks) == 0 || a.used+n > arenaBlock {
		a.blocks = append(a.blocks, make([]byte, arenaBlock))
		a.cur = len(a.blocks) - 1
		a.used = 0
		if a.cur == 0 {
			a.used = 1 // address 0 means none
		}
	}
	at := a.address(a.cur, a.used)
	a.used += n
	return at
}

func (a *arena) address(block, off int) uint32 {
	if block >= 1<<(32-arenaBits) {
		panic(fmt.Sprintf("retrieval: index arena full (%d blocks of %d bytes): the index holds more than one replica can address", block, arenaBlock))
	}
	return uint32(block)<<arenaBits | uint32(off)
}

// bytes returns the arena's bytes from address at to the end of its block.
func (a *arena) bytes(at uint32) []byte {
	return a.blocks[at>>arenaBits][at&arenaMask:]
}

// add copies p into the arena and returns its address.
func (a *arena) add(p []byte) uint32 {
	at := a.alloc(len(p))
	copy(a.bytes(at), p)
	return at
}

// Postings grow one entry at a time, and most terms stay tiny, so each
// term's postings are a chain of slices of growing size (the scheme of
// Lucene's ByteBlockPool): a rare term costs a 5-byte slice, a common one a
// run of larger slices. The last byte of every slice is a non-zero marker
// holding the slice's level; a writer that reaches it starts the next
// slice, moving the three bytes before the marker there and putting the
// next slice's address in their place. So every slice but the last holds
// size-4 bytes of data and a 4-byte forward address.
var sliceSizes = [...]int{5, 14, 20, 30, 40, 40, 80, 80, 120, 200, 400, 800}

const sliceMarker = 0x10 // marker byte: sliceMarker | level

// newSlice starts a chain and returns its address, where writing begins.
func (a *arena) newSlice() uint32 {
	return a.sliceAt(0)
}

func (a *arena) sliceAt(level int) uint32 {
	size := sliceSizes[level]
	at := a.alloc(size)
	a.bytes(at)[size-1] = sliceMarker | byte(level)
	return at
}

// putByte writes b at address at of a chain, moving on to a new slice when
// at holds a slice's end marker, and returns the address after it.
func (a *arena) putByte(at uint32, b byte) uint32 {
	blk := a.blocks[at>>arenaBits]
	if m := blk[at&arenaMask]; m != 0 {
		level := min(int(m&^sliceMarker)+1, len(sliceSizes)-1)
		next := a.sliceAt(level)
		nb := a.bytes(next)
		old := blk[at&arenaMask-3:]
		copy(nb, old[:3])
		binary.LittleEndian.PutUint32(old, next)
		at = next + 3
		blk = a.blocks[at>>arenaBits]
	}
	blk[at&arenaMask] = b
	return at + 1
}

// putUvarint writes v to a chain as a uvarint and returns the address
// after it.
func (a *arena) putUvarint(at uint32, v uint64) uint32 {
	for v >= 0x80 {
		at = a.putByte(at, byte(v)|0x80)
		v >>= 7
	}
	return a.putByte(at, byte(v))
}

// chainReader reads a chain from its first slice to tail, the address its
// writer would write at next.
type chainReader struct {
	a     *arena
	buf   []byte // the readable bytes of the current slice
	pos   int
	next  uint32 // the next slice's address; 0 in the last slice
	level int
	tail  uint32
}

func (a *arena) readChain(head, tail uint32) chainReader {
	r := chainReader{a: a, tail: tail}
	if head != 0 {
		r.enter(head, 0)
	}
	return r
}

func (r *chainReader) enter(at uint32, level int) {
	size := sliceSizes[min(level, len(sliceSizes)-1)]
	blk := r.a.blocks[at>>arenaBits]
	off := int(at & arenaMask)
	r.level, r.pos = level, 0
	if r.tail >= at && r.tail < at+uint32(size) {
		r.buf, r.next = blk[off:off+int(r.tail-at)], 0
		return
	}
	r.buf = blk[off : off+size-4]
	r.next = binary.LittleEndian.Uint32(blk[off+size-4:])
}

// more reports whether anything is left to read.
func (r *chainReader) more() bool {
	for r.pos == len(r.buf) {
		if r.next == 0 {
			return false
		}
		r.enter(r.next, r.level+1)
	}
	return true
}

// uvarint reads one uvarint; the caller has checked more.
func (r *chainReader) uvarint() uint64 {
	if r.pos < len(r.buf) {
		if b := r.buf[r.pos]; b < 0x80 {
			r.pos++
			return uint64(b)
		}
	}
	var v uint64
	for shift := 0; ; shift += 7 {
		if !r.more() || shift > 63 {
			panic("retrieval: corrupt postings in index")
		}
		b := r.buf[r.pos]
		r.pos++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
}
