package retrieval

import "testing"

// TestRemoveForgetsTextKeys checks that removing an article drops its
// passages' text keys from the set of texts held, which tells a new
// passage whether another holds its text, and keeps the others'.
func TestRemoveForgetsTextKeys(t *testing.T) {
	ix := NewIndex()
	text := "The council voted to close the old bridge for repairs.\n\nFerries will run until it reopens in May."
	kept := "A storm closed the harbour for two days."
	ix.Put(&Article{ID: "a", Text: text, Passages: Chunk(text), Collection: DefaultCollection})
	ix.Put(&Article{ID: "b", Text: kept, Passages: Chunk(kept), Collection: DefaultCollection})
	var keys []uint64
	for _, sp := range Chunk(text) {
		keys = append(keys, textKey(text[sp.Start:sp.End]))
	}
	for _, k := range keys {
		if !ix.texts.has(setEntry(k)) {
			t.Fatalf("text key of a passage put is not held")
		}
	}
	ix.Remove("a")
	for _, k := range keys {
		if ix.texts.has(setEntry(k)) {
			t.Errorf("text key of a removed passage is still held")
		}
	}
	if !ix.texts.has(setEntry(textKey(kept))) {
		t.Errorf("text key of another article's passage was dropped")
	}
}
