package answer

import (
	"testing"

	"github.com/storybot/storybot/retrieval"
)

func TestSpeaks(t *testing.T) {
	name := func(words ...string) Concept {
		var terms []string
		for _, w := range words {
			terms = append(terms, retrieval.Term(w))
		}
		return Concept{Label: words[len(words)-1], Alts: [][]string{terms, terms[len(terms)-1:]}, Name: true}
	}
	tests := []struct {
		text    string
		speaker Concept
		want    bool
	}{
		{"Brooks said the vaccine works.", name("brooks"), true},
		{"Rita Shaw, his lawyer, said they would appeal.", name("rita", "shaw"), true},
		{"Mick Baccio, who served as the campaign's security chief, told CyberScoop that he left.", name("mick", "baccio"), true},
		{"Prosecutors said Delaney used the money.", name("delaney"), false},
		{"“We kept believing,” said Harriers manager Gwen Albright, whose side trailed.", name("gwen", "albright"), true},
		{"Most cases are among children, according to Dr. Imani Brooks.", name("imani", "brooks"), true},
		{"Kim said she would help with the transition.", name("ortega"), false},
		{"Kim said she would help with the transition.", name("kim"), true},
		{"He said the detour would add twelve minutes.", name("haddad"), true},
		{"Ortega campaigned on housing.", name("ortega"), false},
	}
	for _, tt := range tests {
		if got := speaks(tt.text, retrieval.Tokens(tt.text), tt.speaker); got != tt.want {
			t.Errorf("speaks(%q, %s) = %v, want %v", tt.text, tt.speaker.Label, got, tt.want)
		}
	}
}

// FuzzSpanTokens checks a window's tokens taken from its article's equal
// the window's text tokenised afresh, for spans cut at sentence ends.
func FuzzSpanTokens(f *testing.F) {
	f.Add("Mick Baccio, who served as Buttigieg’s CISO, left. He said 1.5 million U.S. voters didn't.\n\nNew paragraph here.")
	f.Add("a. b. c.")
	f.Fuzz(func(t *testing.T, text string) {
		at := retrieval.Tokens(text)
		ss := retrieval.Sentences(text)
		for _, s := range ss {
			got := spanTokens(at, text[s.Start:s.End], s.Start, s.End)
			want := retrieval.Tokens(text[s.Start:s.End])
			if len(got) != len(want) {
				t.Fatalf("sentence %q: %d tokens, want %d", text[s.Start:s.End], len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("sentence %q token %d: %+v, want %+v", text[s.Start:s.End], i, got[i], want[i])
				}
			}
		}
	})
}

func TestAmountOfConcept(t *testing.T) {
	q := Analyze("How much is the budget?", retrieval.NewThesaurus())
	p := q.Parts[0]
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Lawmakers passed a $52 billion budget on Friday.", true},
		{"The budget of $52 billion passed.", true},
		{"Drivers save about $40 a year, according to the budget office.", false},
	} {
		if got := amountOfConcept(p, retrieval.Tokens(tt.text)); got != tt.want {
			t.Errorf("amountOfConcept(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestStateIsNotSaying checks "state" in a question is the noun ("the state
// budget"), not a word for saying.
func TestStateIsNotSaying(t *testing.T) {
	q := Analyze("How much is the state budget?", retrieval.NewThesaurus())
	for _, c := range q.Parts[0].Concepts {
		for _, alt := range c.Alts {
			if len(alt) == 1 && alt[0] == "say" {
				t.Errorf("concept %q matches %q", c.Label, alt)
			}
		}
	}
}
