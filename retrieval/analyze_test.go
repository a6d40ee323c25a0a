package retrieval

import (
	"fmt"
	"sync"
	"testing"
)

// FuzzScanWord checks the one-pass word scanner against its definition:
// the span nextWord finds and the wordHash of that word, word after word.
func FuzzScanWord(f *testing.F) {
	for _, s := range []string{"The council’s 7–2 vote, on Tuesday.", "1.5 76,000 U.S. don't", "café naïve Zürich",
		"x", "  ", "a.", "end'", "word,", "日本語 テキスト", "bad\xffbyte", "e.g. i.e."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for i := 0; i < len(text); {
			start, end, h := scanWord(text, i)
			ws, we := nextWord(text, i)
			if start != ws || end != we {
				t.Fatalf("scanWord(%q, %d) = [%d,%d), nextWord [%d,%d)", text, i, start, end, ws, we)
			}
			if start == end {
				break
			}
			if want := wordHash(text[start:end]); h != want {
				t.Fatalf("scanWord(%q, %d) hash %x, wordHash(%q) %x", text, i, h, text[start:end], want)
			}
			i = end
		}
	})
}

// TestTextKeys checks passage text keys: equal term sequences share a key
// (case and stemming aside), and a different order or word does not.
func TestTextKeys(t *testing.T) {
	key := func(s string) uint64 { _, k := analyse(s, nil); return k }
	if key("The Council voted.") != key("the council voted") {
		t.Error("same words, different case and punctuation: keys differ")
	}
	for _, other := range []string{"the council voted again", "voted the council", "the councils voted no", ""} {
		if key("the council voted") == key(other) {
			t.Errorf("%q shares a key with %q", other, "the council voted")
		}
	}
}

// FuzzWordInfoParts checks a word's analysis, packed into one string, gives
// back the word, its surface form and its term as computed on their own.
func FuzzWordInfoParts(f *testing.F) {
	for _, s := range []string{"Council’s", "council's", "Reports", "the", "THE", "ran", "Managers", "students'",
		"76,000", "café", "Zürich’s", "s's", "x", "ab'", "1990s", "U", "bad\xffbyte"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, word string) {
		if len(word) > maxWordBytes {
			t.Skip("longer than a word is analysed")
		}
		surface, lower := surfaceOf(word)
		w := newWordInfo(word)
		if w.word() != word || w.surface() != surface || w.term() != Term(lower) {
			t.Fatalf("newWordInfo(%q) = word %q surface %q term %q; want %q %q %q",
				word, w.word(), w.surface(), w.term(), word, surface, Term(lower))
		}
		if c := analyseWord(word, wordHash(word)); c.word() != word || c.term() != w.term() {
			t.Fatalf("cached analysis of %q: word %q term %q", word, c.word(), c.term())
		}
	})
}

// TestTermsKeepNounsApart checks nouns the stemmer would fold into
// unrelated words keep terms of their own, singular and plural alike,
// while ordinary inflections still meet.
func TestTermsKeepNounsApart(t *testing.T) {
	for _, pair := range [][2]string{{"department", "depart"}, {"departments", "departure"}, {"organization", "organ"},
		{"executive", "executed"}, {"businesses", "busy"}, {"manager", "manage"}, {"apartment", "apart"},
		{"buildings", "built"}, {"severance", "severe"}} {
		if Term(pair[0]) == Term(pair[1]) {
			t.Errorf("%q and %q share the term %q", pair[0], pair[1], Term(pair[0]))
		}
	}
	for _, pair := range [][2]string{{"department", "departments"}, {"executive", "executives"}, {"resigned", "resigns"},
		{"business", "businesses"}, {"managers", "manager"}, {"building", "buildings"}} {
		if Term(pair[0]) != Term(pair[1]) {
			t.Errorf("%q (%q) and %q (%q) should share a term", pair[0], Term(pair[0]), pair[1], Term(pair[1]))
		}
	}
}

func TestIrregularVerbs(t *testing.T) {
	for _, pair := range [][2]string{{"swept", "sweep"}, {"underwent", "undergo"}, {"spoke", "speak"}, {"mistaken", "mistake"},
		{"sued", "sue"}, {"suing", "sue"}, {"freed", "free"}, {"queued", "queue"}} {
		if Term(pair[0]) != Term(pair[1]) {
			t.Errorf("%q (%q) and %q (%q) should share a term", pair[0], Term(pair[0]), pair[1], Term(pair[1]))
		}
	}
	// A past form that is a common word of its own keeps its term.
	for _, pair := range [][2]string{{"ground", "grind"}, {"bit", "bite"}, {"lay", "lie"}, {"wound", "wind"}} {
		if Term(pair[0]) == Term(pair[1]) {
			t.Errorf("%q and %q share the term %q", pair[0], pair[1], Term(pair[0]))
		}
	}
	for base, want := range map[string]string{"go": "went", "cut": "cut", "be": "was", "have": "had", "sweep": "swept"} {
		if got, ok := IrregularPast(base); !ok || got != want {
			t.Errorf("IrregularPast(%q) = %q, %v; want %q", base, got, ok, want)
		}
	}
	if got, ok := IrregularPast("walk"); ok {
		t.Errorf("IrregularPast(walk) = %q, want none", got)
	}
}

// TestWordCacheBoundedAcrossFlushes analyses several times cacheWords
// distinct words on two goroutines, each three times so the cache takes
// it, so the cache empties and its slab
// starts again more than once: every analysis handed out, before or after,
// must still read as its word, and the cache must never hold more than
// cacheWords analyses.
func TestWordCacheBoundedAcrossFlushes(t *testing.T) {
	analyseWord("Councillors", wordHash("Councillors"))
	analyseWord("Councillors", wordHash("Councillors"))
	early := analyseWord("Councillors", wordHash("Councillors"))
	var wg sync.WaitGroup
	errs := make(chan string, 2)
	for g := range 2 {
		wg.Go(func() {
			var held []*wordInfo
			for i := range 3 * cacheWords / 2 {
				word := fmt.Sprintf("g%dword%dings", g, i)
				analyseWord(word, wordHash(word)) // a first and second sighting are not cached
				analyseWord(word, wordHash(word))
				w := analyseWord(word, wordHash(word))
				if i%1000 == 0 {
					held = append(held, w)
				}
			}
			for i, w := range held {
				if word := fmt.Sprintf("g%dword%dings", g, i*1000); w.word() != word || w.term() != Term(word) {
					errs <- fmt.Sprintf("analysis of %q now reads word %q term %q", word, w.word(), w.term())
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if early.word() != "Councillors" || early.surface() != "Councillors" || early.term() != Term("councillors") {
		t.Errorf("analysis made before the flushes reads word %q surface %q term %q", early.word(), early.surface(), early.term())
	}
	if again := analyseWord("Councillors", wordHash("Councillors")); again.term() != Term("councillors") {
		t.Errorf("analysis after the flushes: term %q", again.term())
	}
	wordSlab.mu.Lock()
	made := wordSlab.made
	wordSlab.mu.Unlock()
	if made > cacheWords {
		t.Errorf("cache made %d analyses without emptying, more than its bound of %d", made, cacheWords)
	}
}

// TestWordCacheTakesWordsSeenThrice checks the cache's doorkeeper: a word
// seen once or twice since the cache emptied is analysed without being
// cached, one seen a third time is cached, and emptying the cache forgets
// what was seen.
func TestWordCacheTakesWordsSeenThrice(t *testing.T) {
	made := func() int {
		wordSlab.mu.Lock()
		defer wordSlab.mu.Unlock()
		return wordSlab.made
	}
	analyse := func(word string) *wordInfo { return analyseWord(word, wordHash(word)) }
	for range 3 {
		analyse("Harbourmaster")
	}
	wordSlab.mu.Lock()
	wordSlab.emptyLocked()
	wordSlab.mu.Unlock()

	if w := analyse("Harbourmaster"); w.term() != Term("harbourmaster") || made() != 0 {
		t.Errorf("first sighting since the cache emptied: term %q, %d cached; want none cached", w.term(), made())
	}
	if analyse("Harbourmaster"); made() != 0 {
		t.Errorf("second sighting since the cache emptied: %d cached; want none cached", made())
	}
	const n = 2000
	words := make([]string, n)
	for i := range words {
		words[i] = fmt.Sprintf("once%dwords", i)
		if w := analyse(words[i]); w.word() != words[i] || w.term() != Term(words[i]) {
			t.Fatalf("analysis of %q reads word %q term %q", words[i], w.word(), w.term())
		}
	}
	// Two words may share a doorkeeper bit; of 2,000 among a million bits,
	// a few at most.
	if got := made(); got > n/100 {
		t.Errorf("%d of %d words seen once were cached", got, n)
	}
	for _, word := range words {
		analyse(word)
	}
	if got := made(); got > n/100 {
		t.Errorf("%d of %d words seen twice were cached", got, n)
	}
	third := make([]*wordInfo, n)
	for i, word := range words {
		third[i] = analyse(word)
	}
	if got := made(); got < n-n/100 {
		t.Errorf("after a third sighting only %d of %d words are cached", got, n)
	}
	cached := 0
	for i, word := range words {
		if analyse(word) == third[i] {
			cached++
		}
	}
	if cached < n-n/100 {
		t.Errorf("a fourth sighting found only %d of %d words' cached analyses", cached, n)
	}
}
