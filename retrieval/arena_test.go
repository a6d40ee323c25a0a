package retrieval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestChainsReadBackWhatWasWritten writes uvarints to many chains at once,
// interleaved the way postings grow (some chains long, most short), and
// reads every chain back.
func TestChainsReadBackWhatWasWritten(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var mem arena
	const chains = 3000
	heads := make([]uint32, chains)
	tails := make([]uint32, chains)
	want := make([][]uint64, chains)
	for range 200000 {
		c := int(float64(chains) * r.Float64() * r.Float64() * r.Float64()) // skewed
		var v uint64
		switch r.IntN(4) {
		case 0:
			v = r.Uint64() // up to ten bytes
		default:
			v = uint64(r.IntN(300))
		}
		if heads[c] == 0 {
			heads[c] = mem.newSlice()
			tails[c] = heads[c]
		}
		tails[c] = mem.putUvarint(tails[c], v)
		want[c] = append(want[c], v)
	}
	long := 0
	for c := range chains {
		var got []uint64
		rd := mem.readChain(heads[c], tails[c])
		for rd.more() {
			got = append(got, rd.uvarint())
		}
		if !slices.Equal(got, want[c]) {
			t.Fatalf("chain %d read back %d values, wrote %d (first difference near %v)", c, len(got), len(want[c]), firstDiff(got, want[c]))
		}
		if len(want[c]) > 1000 {
			long++
		}
	}
	if long == 0 || len(mem.blocks) < 2 {
		t.Fatalf("no chain grew long or the arena stayed in one block (%d blocks); the test proves little", len(mem.blocks))
	}
	// A chain never written reads as empty.
	if rd := mem.readChain(0, 0); rd.more() {
		t.Error("an empty chain has something to read")
	}
}

func firstDiff(a, b []uint64) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("index %d: %d vs %d", i, a[i], b[i])
		}
	}
	return "the end"
}

// TestArenaKeepsLargeStringsWhole checks a string longer than a block is
// stored whole, and small ones around it keep their bytes.
func TestArenaKeepsLargeStringsWhole(t *testing.T) {
	var mem arena
	small := []byte("passage terms")
	big := make([]byte, 3*arenaBlock+7)
	for i := range big {
		big[i] = byte(i % 251)
	}
	a := mem.add(small)
	b := mem.add(big)
	c := mem.add(small)
	if a == 0 || b == 0 || c == 0 {
		t.Fatal("the arena handed out address 0, which means none")
	}
	if got := mem.bytes(b)[:len(big)]; !slices.Equal(got, big) {
		t.Error("a large string came back changed")
	}
	for _, at := range []uint32{a, c} {
		if got := mem.bytes(at)[:len(small)]; string(got) != string(small) {
			t.Errorf("small string at %d came back as %q", at, got)
		}
	}
}

// TestVocabFindsEveryTermAfterGrowing interns many terms, through several
// doublings of the table, and checks each keeps its ID and name.
func TestVocabFindsEveryTermAfterGrowing(t *testing.T) {
	var v vocab
	terms := make([]string, 50000)
	for i := range terms {
		terms[i] = fmt.Sprintf("term%d", i*7919)
	}
	terms = append(terms, "", string(make([]byte, 70000))) // empty and larger than a block
	for i, term := range terms {
		id, added := v.add(term, termHash(term))
		if !added || int(id) != i {
			t.Fatalf("adding %q gave ID %d (added %v), want new ID %d", term[:min(len(term), 10)], id, added, i)
		}
	}
	for i, term := range terms {
		if id := v.find(term, termHash(term)); int(id) != i {
			t.Fatalf("find(%q) = %d, want %d", term[:min(len(term), 10)], id, i)
		}
		if id, added := v.add(term, termHash(term)); added || int(id) != i {
			t.Fatalf("adding %q again gave %d (added %v)", term[:min(len(term), 10)], id, added)
		}
		if name := string(v.name(int32(i))); name != term {
			t.Fatalf("name(%d) = %q, want %q", i, name[:min(len(name), 10)], term[:min(len(term), 10)])
		}
	}
	if id := v.find("absent", termHash("absent")); id != -1 {
		t.Errorf("find of an absent term = %d", id)
	}
}

// TestRerankSkipsOnlyWhatCannotRank checks that skipping candidates that
// cannot reach the results changes no result: every query gives the same
// hits and scores with the skipping off.
func TestRerankSkipsOnlyWhatCannotRank(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := make([]string, 150)
	for i := range words {
		words[i] = fmt.Sprintf("w%dx", i)
	}
	sentence := func(n int) string {
		out := make([]byte, 0, 8*n)
		for i := range n {
			if i > 0 {
				out = append(out, ' ')
			}
			out = append(out, words[int(float64(len(words))*r.Float64()*r.Float64())]...)
		}
		return string(out) + "."
	}
	ix := NewIndex()
	for i := range 800 {
		a := &Article{ID: fmt.Sprintf("a%03d", i), Title: sentence(5), Collection: DefaultCollection}
		for p := range 1 + r.IntN(4) {
			if p > 0 {
				a.Text += "\n\n"
			}
			start := len(a.Text)
			a.Text += sentence(10 + r.IntN(30))
			a.Passages = append(a.Passages, Span{start, len(a.Text)})
		}
		ix.Put(a)
	}
	search := func(q string, limit int, prune bool) []string {
		pruneRerank = prune
		defer func() { pruneRerank = true }()
		var out []string
		for _, h := range ix.Search(Query{Text: q, Limit: limit}) {
			out = append(out, fmt.Sprintf("%s %.12f", h.Passage.ID, h.Score))
		}
		return out
	}
	for i := range 300 {
		q := sentence(2 + r.IntN(4))
		limit := 1 + r.IntN(12)
		want, got := search(q, limit, false), search(q, limit, true)
		if len(want) == 0 {
			t.Fatalf("query %d found nothing; the test proves little", i)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q, limit %d: skipping candidates changed the results:\n got %v\nwant %v", q, limit, got, want)
		}
	}
}

// TestKeySetCountsLikeAMap adds and removes keys at random, from a small
// range so that probe chains run long and wrap around, and checks the set
// against a map of counts.
func TestKeySetCountsLikeAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var s keySet
	want := map[uint64]int{}
	for step := range 200000 {
		k := setEntry(uint64(r.IntN(3000)) << 40) // few keys, so chains run long
		if r.IntN(3) == 0 {
			s.remove(k)
			if want[k] > 0 {
				want[k]--
			}
		} else {
			s.add(k)
			want[k]++
		}
		if step%1000 == 0 || step == 199999 {
			n := 0
			for f, c := range want {
				n += c
				if s.has(f) != (c > 0) {
					t.Fatalf("step %d: has(%d) = %v, count %d", step, f, s.has(f), c)
				}
			}
			if s.n != n {
				t.Fatalf("step %d: set holds %d, want %d", step, s.n, n)
			}
		}
	}
	if len(s.slots) < 2048 {
		t.Fatalf("the set never grew (%d slots); the test proves little", len(s.slots))
	}
}
