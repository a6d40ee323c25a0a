package retrieval

import (
	"encoding/binary"

	"github.com/cespare/xxhash/v2"
)

// vocab interns the index's terms to dense int32 IDs. A Go map from string
// to ID costs about 40 bytes a term before the string itself; an archive's
// vocabulary runs to hundreds of thousands of terms, most of them seen
// once, so vocab keeps the strings packed in an arena and finds them
// through an open-addressing table of IDs: about 6 bytes a term plus the
// term's bytes.
type vocab struct {
	slots []uint32 // term ID + 1 by hash, linear probing; 0 is empty
	names arena    // the terms, each a uvarint length and its bytes
	at    []uint32 // by term ID: the term's address in names
}

// termHash is the hash vocab files a term under, the one wordInfo keeps,
// and what passage text keys are built from. It is the same in every
// process (xxhash, unseeded), so text keys, short-paragraph keys and the
// vocabulary's table can be saved in an index snapshot and read back by
// another process (see snapshot.go). A seeded hash would guard the
// vocabulary's table against words chosen to collide; the articles come
// from the newsroom's own sources, and a collision costs probing, never a
// wrong answer.
func termHash(term string) uint64 {
	return xxhash.Sum64String(term)
}

// lineHash is the key of a short paragraph's LineKey (see
// shortParagraphKeys); like termHash, the same in every process.
func lineHash(key string) uint64 {
	return xxhash.Sum64String(key) ^ 0x5bd1e9955bd1e995
}

// name returns the term with ID id.
func (v *vocab) name(id int32) []byte {
	p := v.names.bytes(v.at[id])
	n, k := binary.Uvarint(p)
	return p[k : k+int(n)]
}

// find returns the ID of term, whose termHash is h, or -1.
func (v *vocab) find(term string, h uint64) int32 {
	if len(v.slots) == 0 {
		return -1
	}
	mask := uint64(len(v.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := v.slots[i]
		if s == 0 {
			return -1
		}
		if string(v.name(int32(s-1))) == term {
			return int32(s - 1)
		}
	}
}

// add returns the ID of term, whose termHash is h, adding it when new. The
// second result reports whether it was added.
func (v *vocab) add(term string, h uint64) (int32, bool) {
	if id := v.find(term, h); id >= 0 {
		return id, false
	}
	if (len(v.at)+1)*4 > len(v.slots)*3 {
		v.grow()
	}
	id := int32(len(v.at))
	var lenBuf [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(lenBuf[:], uint64(len(term)))
	at := v.names.alloc(k + len(term))
	copy(v.names.bytes(at)[k:], term)
	copy(v.names.bytes(at), lenBuf[:k])
	v.at = append(v.at, at)
	v.insert(id, h)
	return id, true
}

func (v *vocab) insert(id int32, h uint64) {
	mask := uint64(len(v.slots) - 1)
	i := h & mask
	for v.slots[i] != 0 {
		i = (i + 1) & mask
	}
	v.slots[i] = uint32(id) + 1
}

// grow doubles the table (keeping it at most three quarters full) and
// files every term again.
func (v *vocab) grow() {
	v.slots = make([]uint32, max(1024, 2*len(v.slots)))
	for id := range v.at {
		v.insert(int32(id), xxhash.Sum64(v.name(int32(id))))
	}
}
