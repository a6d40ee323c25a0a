package retrieval

// keySet is a multiset of 64-bit text keys, at 8 bytes a slot: the index
// keeps the key of every original passage there, so a new passage learns
// whether its text is held already without a map entry of 30-odd bytes a
// passage. Only then is the passage holding it looked for (see
// Index.countTextLocked). A 32-bit fingerprint would halve the slots, but
// its false hits each cost a walk of a postings list, and in an archive of
// millions of passages they add up.
type keySet struct {
	slots []uint64 // linear probing; 0 is empty
	n     int
}

// setEntry returns the set's entry for key, never 0.
func setEntry(key uint64) uint64 {
	if key == 0 {
		return 1
	}
	return key
}

func (s *keySet) home(k uint64) int {
	return int(k * 0x9E3779B97F4A7C15 >> 32 & uint64(len(s.slots)-1))
}

// has reports whether k is in the set.
func (s *keySet) has(k uint64) bool {
	if len(s.slots) == 0 {
		return false
	}
	mask := len(s.slots) - 1
	for i := s.home(k); s.slots[i] != 0; i = (i + 1) & mask {
		if s.slots[i] == k {
			return true
		}
	}
	return false
}

// add adds one k.
func (s *keySet) add(k uint64) {
	if (s.n+1)*4 > len(s.slots)*3 {
		old := s.slots
		s.slots = make([]uint64, max(1024, 2*len(old)))
		s.n = 0
		for _, f := range old {
			if f != 0 {
				s.insert(f)
			}
		}
	}
	s.insert(k)
}

func (s *keySet) insert(k uint64) {
	mask := len(s.slots) - 1
	i := s.home(k)
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = k
	s.n++
}

// remove removes one k, if there is one, shifting back the entries after
// it that probed past its slot.
func (s *keySet) remove(k uint64) {
	if len(s.slots) == 0 {
		return
	}
	mask := len(s.slots) - 1
	i := s.home(k)
	for s.slots[i] != k {
		if s.slots[i] == 0 {
			return
		}
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; s.slots[j] != 0; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home lies
		// cyclically in (i, j].
		if h := s.home(s.slots[j]); (j-h)&mask >= (j-i)&mask {
			s.slots[i] = s.slots[j]
			i = j
		}
	}
	s.slots[i] = 0
	s.n--
}
