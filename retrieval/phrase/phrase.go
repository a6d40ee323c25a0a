// Package phrase keeps word-pair statistics of the news an index holds and
// scores how unusual a text's word pairs are against them. A
// machine-reworded ("spun") copy swaps common words for synonyms and so
// writes pairs the rest of the news never writes ("info safety officer",
// "Wall Avenue Journal") where ordinary reports write the common ones
// ("information security officer", "Wall Street Journal"). The measure is
// fitted on the index's own text, with no word list.
package phrase

import (
	"hash/maphash"
	"unicode"
	"unicode/utf8"
)

// Stats counts words and adjacent word pairs over a sample of texts.
type Stats struct {
	words map[uint64]uint32
	pairs map[uint64]uint32
	total int
	// docs are the IDs of the texts counted, so a text scored against
	// statistics it is part of is left out of them.
	docs map[string]bool
}

// NewStats returns empty statistics.
func NewStats() *Stats {
	return &Stats{words: map[uint64]uint32{}, pairs: map[uint64]uint32{}, docs: map[string]bool{}}
}

// MinWords is how many words of text the statistics need before they
// judge anything: below it, common phrases are not yet common in them.
const MinWords = 200_000

// Add counts a text, known by id (an article ID).
func (s *Stats) Add(id, text string) {
	if s.docs[id] {
		return
	}
	s.docs[id] = true
	var prev uint64
	first := true
	eachWord(text, func(h uint64, brk bool) {
		s.words[h]++
		s.total++
		if !first && !brk {
			s.pairs[pairKey(prev, h)]++
		}
		prev, first = h, false
	})
}

// Words returns how many words were counted.
func (s *Stats) Words() int { return s.total }

// Judges reports whether there is enough text to score texts against.
func (s *Stats) Judges() bool { return s.total >= MinWords }

// minExpected is how often a pair of two words must be expected, from how
// common each word is, before its absence counts: pairs of rare words
// (names, figures) are new in every report.
const minExpected = 8.0

// Score is how unusual a text's word pairs are.
type Score struct {
	// Unusual is the share of the text's expected word pairs (both words
	// common enough that the pair should have been seen) that the
	// statistics never saw; 0 when the statistics do not judge.
	Unusual float64
	// Pairs is how many expected pairs the text has.
	Pairs int
}

// Score scores text, known by id; a text counted in the statistics is
// scored against the others.
func (s *Stats) Score(id, text string) Score {
	if !s.Judges() {
		return Score{}
	}
	own := s.docs[id]
	type wp struct {
		pair, a, b uint64
	}
	var seq []wp
	ownWords := map[uint64]uint32{}
	ownPairs := map[uint64]uint32{}
	var prev uint64
	first := true
	eachWord(text, func(h uint64, brk bool) {
		ownWords[h]++
		if !first && !brk {
			k := pairKey(prev, h)
			ownPairs[k]++
			seq = append(seq, wp{k, prev, h})
		}
		prev, first = h, false
	})
	n := float64(s.total)
	sub := func(m map[uint64]uint32, own map[uint64]uint32, k uint64, mine bool) float64 {
		c := float64(m[k])
		if mine {
			c -= float64(own[k])
		}
		return max(c, 0)
	}
	var sc Score
	unseen := 0
	for _, p := range seq {
		ca, cb := sub(s.words, ownWords, p.a, own), sub(s.words, ownWords, p.b, own)
		if ca*cb/n < minExpected {
			continue
		}
		sc.Pairs++
		if sub(s.pairs, ownPairs, p.pair, own) == 0 {
			unseen++
		}
	}
	if sc.Pairs > 0 {
		sc.Unusual = float64(unseen) / float64(sc.Pairs)
	}
	return sc
}

var seed = maphash.MakeSeed()

func pairKey(a, b uint64) uint64 { return a*0x9E3779B97F4A7C15 ^ (b + 0x632BE59BD9B4E019) }

// eachWord calls f with the hash of each lowercased word of text and
// whether a sentence, clause or line break stands before it (a pair across
// one is no phrase).
func eachWord(text string, f func(h uint64, brk bool)) {
	var buf []byte
	brk := true
	flush := func() {
		for len(buf) > 0 && buf[len(buf)-1] == '\'' {
			buf = buf[:len(buf)-1]
		}
		if len(buf) > 0 {
			f(maphash.Bytes(seed, buf), brk)
			brk = false
		}
		buf = buf[:0]
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		case (r == '\'' || r == '’') && len(buf) > 0:
			buf = append(buf, '\'')
		default:
			flush()
			switch r {
			case '.', '!', '?', ';', ':', '\n', '(', ')', '"', '“', '”', '|', '—', '–':
				brk = true
			}
		}
	}
	flush()
}

// SpunShare is the share of unseen expected pairs from which a text reads
// as machine-reworded. On the real archive (docs/digest.md) 99 % of
// articles stay under 0.019 and a spun copy scores 0.025.
const SpunShare = 0.02

// minPairs is how many expected pairs a text needs to be judged at all.
const minPairs = 30

// Spun reports whether the score says the text reads as reworded.
func (sc Score) Spun() bool { return sc.Pairs >= minPairs && sc.Unusual >= SpunShare }
