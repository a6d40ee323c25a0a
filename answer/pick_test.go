package answer

import (
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// TestPickSecondSource checks a second source joins the answer only when it
// is from another article, one sentence, matches as much of the question
// as the first and scores nearly as well: "studied at Tufts … to lead a
// law firm" must not join "the study's lead author".
func TestPickSecondSource(t *testing.T) {
	win := func(id string, start int, pair bool) *window {
		return &window{hit: retrieval.Hit{Article: &retrieval.Article{ID: id}}, start: start, end: start + 10, pair: pair}
	}
	first := candidate{w: win("a", 0, false), score: 2, coverage: 1, ok: true}
	tests := []struct {
		name   string
		second candidate
		want   int
	}{
		{"another article, one sentence, as good", candidate{w: win("b", 0, false), score: 1.8, coverage: 1, ok: true}, 2},
		{"a pair of sentences", candidate{w: win("b", 0, true), score: 1.8, coverage: 1, ok: true}, 1},
		{"less of the question", candidate{w: win("b", 0, false), score: 1.8, coverage: 0.8, ok: true}, 1},
		{"a much lower score", candidate{w: win("b", 0, false), score: 1.5, coverage: 1, ok: true}, 1},
		{"the same article", candidate{w: win("a", 50, false), score: 1.9, coverage: 1, ok: true}, 1},
		{"no answer", candidate{w: win("b", 0, false), score: 1.9, coverage: 1}, 1},
	}
	for _, tt := range tests {
		if got := pick([]candidate{first, tt.second}); len(got) != tt.want {
			t.Errorf("%s: picked %d, want %d", tt.name, len(got), tt.want)
		}
	}
}
