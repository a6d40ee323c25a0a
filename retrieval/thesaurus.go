package retrieval

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
)

//go:embed thesaurus.txt
var builtinThesaurus string

// Thesaurus holds groups of interchangeable words and phrases (CISO, chief
// information security officer, …) used to expand questions. Phrases are kept
// as term sequences, stopwords included, so "take over" stays a phrase.
type Thesaurus struct {
	groups  [][][]string
	verbs   map[phraseRef]bool // members marked "(verb)"
	byFirst map[string][]phraseRef
}

type phraseRef struct{ group, member int }

// PhraseMatch is a thesaurus phrase found in a term sequence: terms[Start:End]
// is one member of a group whose members are Alts.
type PhraseMatch struct {
	Start, End int
	Alts       [][]string
	// Verb is set when the member found belongs to the group only as a
	// verb ("fire" of "fire | dismiss"): a caller that sees a noun there
	// ("the fires") should not expand it.
	Verb bool
}

// NewThesaurus returns a thesaurus holding the built-in groups.
func NewThesaurus() *Thesaurus {
	t := &Thesaurus{byFirst: make(map[string][]phraseRef), verbs: make(map[phraseRef]bool)}
	if err := t.Load(strings.NewReader(builtinThesaurus), "built-in thesaurus"); err != nil {
		panic(err)
	}
	return t
}

// Load adds the groups of r, one per line ("a | b | c", # comments); name is
// used in errors. A member ending in "(verb)" joins its group only as a verb
// ("fire (verb) | dismiss | oust": "the fires" are no dismissals).
func (t *Thesaurus) Load(r io.Reader, name string) error {
	if t.verbs == nil {
		t.verbs = make(map[phraseRef]bool)
	}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var group [][]string
		var verbs []int
		for _, member := range strings.Split(text, "|") {
			if m, ok := strings.CutSuffix(strings.TrimSpace(member), "(verb)"); ok {
				member = m
				verbs = append(verbs, len(group))
			}
			var terms []string
			for _, tok := range Tokens(member) {
				terms = append(terms, tok.Term)
			}
			if len(terms) > 0 {
				group = append(group, terms)
			}
		}
		if len(group) < 2 {
			return fmt.Errorf("%s:%d: a group needs at least two members separated by |", name, line)
		}
		gi := len(t.groups)
		t.groups = append(t.groups, group)
		for _, mi := range verbs {
			t.verbs[phraseRef{gi, mi}] = true
		}
		for mi, m := range group {
			t.byFirst[m[0]] = append(t.byFirst[m[0]], phraseRef{gi, mi})
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Match returns every thesaurus phrase found in terms, longest first at each
// position, without overlaps.
func (t *Thesaurus) Match(terms []string) []PhraseMatch {
	var out []PhraseMatch
	for i := 0; i < len(terms); {
		best := PhraseMatch{Start: -1}
		for _, ref := range t.byFirst[terms[i]] {
			m := t.groups[ref.group][ref.member]
			if i+len(m) > len(terms) || (best.Start >= 0 && len(m) <= best.End-best.Start) {
				continue
			}
			if equalTerms(terms[i:i+len(m)], m) {
				best = PhraseMatch{Start: i, End: i + len(m), Alts: t.groups[ref.group], Verb: t.verbs[ref]}
			}
		}
		if best.Start >= 0 {
			out = append(out, best)
			i = best.End
			continue
		}
		i++
	}
	return out
}

func equalTerms(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
