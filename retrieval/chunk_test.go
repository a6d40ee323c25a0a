package retrieval

import (
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Mr. Baker left on Jan. 5. He said nothing.", []string{"Mr. Baker left on Jan. 5.", "He said nothing."}},
		{"The U.S. team won. “It was hard,” she said. Then what?", []string{"The U.S. team won.", "“It was hard,” she said.", "Then what?"}},
		{"Former South Bend, Ind., Mayor Pete Buttigieg spoke. Shares rose 1.5 percent.", []string{"Former South Bend, Ind., Mayor Pete Buttigieg spoke.", "Shares rose 1.5 percent."}},
		{"J. R. Smith scored 30 points.\nA new line starts here", []string{"J. R. Smith scored 30 points.", "A new line starts here"}},
		// A case name's "v." ends no sentence; nor do titles and states.
		{"The court ruled in Carpenter v. United States that police need a warrant. It was 2018.",
			[]string{"The court ruled in Carpenter v. United States that police need a warrant.", "It was 2018."}},
		{"Gov. Newsom met Lt. Col. Vindman in St. Louis, Mo. on Friday. Both spoke.",
			[]string{"Gov. Newsom met Lt. Col. Vindman in St. Louis, Mo. on Friday.", "Both spoke."}},
		{"Mr. Smith met Dr. J. R. Jones on Jan. 5 in Washington, D.C. on Monday. They talked.",
			[]string{"Mr. Smith met Dr. J. R. Jones on Jan. 5 in Washington, D.C. on Monday.", "They talked."}},
	}
	for _, tt := range tests {
		var got []string
		for _, sp := range Sentences(tt.in) {
			got = append(got, tt.in[sp.Start:sp.End])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestChunkSizes(t *testing.T) {
	long := strings.Repeat("This sentence is part of a very long paragraph. ", 60)
	text := "Short one.\n\nAnother short paragraph.\n\n" + long + "\n\nFinal paragraph that is of a moderate length and stands on its own as a passage of the article."
	spans := Chunk(text)
	for i, sp := range spans {
		p := text[sp.Start:sp.End]
		if len(p) > maxPassage {
			t.Errorf("passage %d is %d bytes, over %d", i, len(p), maxPassage)
		}
		if strings.TrimSpace(p) != p {
			t.Errorf("passage %d not trimmed", i)
		}
		if i > 0 && sp.Start < spans[i-1].End {
			t.Errorf("passages overlap")
		}
	}
	if !strings.HasPrefix(text[spans[0].Start:spans[0].End], "Short one.\n\nAnother short") {
		t.Errorf("short paragraphs not merged: %q", text[spans[0].Start:spans[0].End])
	}
}

func TestTokensAndTerms(t *testing.T) {
	toks := Tokens("Buttigieg’s campaign spoke; $76,000 raised — Washington-area")
	var terms []string
	for _, t := range toks {
		terms = append(terms, t.Term)
	}
	want := []string{"buttigieg", "campaign", "speak", "76000", "rais", "washington", "area"}
	if strings.Join(terms, " ") != strings.Join(want, " ") {
		t.Errorf("terms %q, want %q", terms, want)
	}
}
