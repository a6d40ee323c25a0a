package retrieval

// fpSet is a multiset of 32-bit fingerprints, at 4 bytes a slot: the index
// keeps one for the text key of every original passage, so a new passage
// learns whether its text may be held already without a map entry of 30-odd
// bytes a passage. A fingerprint can be shared by different texts; a hit
// is only a maybe, which the index checks against the passages themselves.
type fpSet struct {
	slots []uint32 // linear probing; 0 is empty
	n     int
}

// keyPrint returns key's fingerprint, never 0.
func keyPrint(key uint64) uint32 {
	return uint32(key>>32) | 1
}

func (s *fpSet) home(fp uint32) int {
	return int(uint64(fp) * 0x9E3779B97F4A7C15 >> 32 & uint64(len(s.slots)-1))
}

// has reports whether fp is in the set.
func (s *fpSet) has(fp uint32) bool {
	if len(s.slots) == 0 {
		return false
	}
	mask := len(s.slots) - 1
	for i := s.home(fp); s.slots[i] != 0; i = (i + 1) & mask {
		if s.slots[i] == fp {
			return true
		}
	}
	return false
}

// add adds one fp.
func (s *fpSet) add(fp uint32) {
	if (s.n+1)*4 > len(s.slots)*3 {
		old := s.slots
		s.slots = make([]uint32, max(1024, 2*len(old)))
		s.n = 0
		for _, f := range old {
			if f != 0 {
				s.insert(f)
			}
		}
	}
	s.insert(fp)
}

func (s *fpSet) insert(fp uint32) {
	mask := len(s.slots) - 1
	i := s.home(fp)
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = fp
	s.n++
}

// remove removes one fp, if there is one, shifting back the entries after
// it that probed past its slot.
func (s *fpSet) remove(fp uint32) {
	if len(s.slots) == 0 {
		return
	}
	mask := len(s.slots) - 1
	i := s.home(fp)
	for s.slots[i] != fp {
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
