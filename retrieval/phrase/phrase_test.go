package phrase

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

// Invented reports; none of them is real news.
var reports = []string{
	`The city's chief information security officer resigned on Monday, the mayor's office said in a statement. She told the Harbour Gazette she had fundamental differences with management over the security program.`,
	`A spokesperson for the port authority said the agency had retained a new security firm and continues to be committed to protecting against cyber attacks.`,
	`The Wall Street Journal first reported the news on Tuesday. The former official told reporters the information security program had been underfunded for years.`,
	`The council said in a statement that the new firm would review the security of the city's payment systems, and the mayor told reporters the review would take a month.`,
	`Officials said the information security team had been cut by half since last year, according to the Wall Street Journal, and the former chief security officer confirmed the figure.`,
}

// original is what the reworded copy rewords.
const original = `Dana Whitlock, who served as the port's chief information security officer, told the news outlet Harbour Gazette that she left earlier this month due to fundamental differences with management regarding the security program. A spokesperson said the port had retained a new security firm and continues to be committed to protecting against cyber attacks. The Wall Street Journal first reported the news.`

// spin rewords text as article spinners do, word for word. It makes test
// data only: what tells the copy is the statistics, which know no synonyms.
func spin(text string) string {
	swap := map[string]string{
		"information": "info", "security": "safety", "told": "instructed", "news": "information", "left": "departed",
		"earlier": "previously", "month": "30 days", "fundamental": "elementary", "differences": "variations",
		"management": "administration", "regarding": "relating to", "said": "mentioned", "retained": "maintained",
		"new": "brand new", "firm": "agency", "continues": "carries on", "committed": "dedicated", "protecting": "guarding",
		"against": "in opposition to", "attacks": "assaults", "street": "avenue", "reported": "rapported", "former": "previous",
		"confirmed": "verified", "resigned": "stepped down", "official": "authorized", "threats": "dangers", "campaign": "marketing campaign",
	}
	var b, w strings.Builder
	flush := func() {
		s := w.String()
		if r, ok := swap[strings.ToLower(s)]; ok {
			if s != "" && unicode.IsUpper(rune(s[0])) {
				r = strings.ToUpper(r[:1]) + r[1:]
			}
			s = r
		}
		b.WriteString(s)
		w.Reset()
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			w.WriteRune(r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

func statsOf(texts ...string) *Stats {
	s := NewStats()
	for i, t := range texts {
		s.Add(string(rune('a'+i)), t)
	}
	return s
}

func TestRewordedLessAttested(t *testing.T) {
	spun := spin(original)
	if spun == original || !strings.Contains(spun, "info safety officer") {
		t.Fatalf("spin did not reword: %q", spun)
	}
	s := statsOf(reports...)
	for _, tc := range []struct {
		name  string
		texts []Text
	}{
		{"unrelated", []Text{{ID: "o", Body: original}, {ID: "s", Body: spun}}},
		{"original marked the copy", []Text{{ID: "o", Body: original, Family: "s"}, {ID: "s", Body: spun}}},
		{"reworded marked the copy", []Text{{ID: "o", Body: original}, {ID: "s", Body: spun, Family: "o"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sh := s.Unattested(tc.texts)
			if sh[1] <= sh[0] {
				t.Errorf("reworded copy's unattested share %.3f, not above the original's %.3f", sh[1], sh[0])
			}
			out := s.Outworded(tc.texts, func(i, j int) bool { return true })
			if !out[1] || out[0] {
				t.Errorf("outworded %v, want the reworded copy only (shares %.3f)", out, sh)
			}
		})
	}
	// With nothing to attest either wording, neither is clearer.
	if out := NewStats().Outworded([]Text{{ID: "o", Body: original, Family: "s"}, {ID: "s", Body: spun}}, func(i, j int) bool { return true }); out[0] || out[1] {
		t.Errorf("no references: outworded %v, want neither", out)
	}
}

// A text's own copies never vouch for it: a verbatim copy in the
// statistics attests every pair unless it is named as family.
func TestFamilyDoesNotAttest(t *testing.T) {
	s := statsOf(append([]string{original}, reports...)...) // "a" is a verbatim copy
	with := s.Unattested([]Text{{ID: "o", Body: original}})[0]
	if with != 0 {
		t.Errorf("a verbatim copy in the statistics leaves %.3f unattested, want 0", with)
	}
	fam := s.Unattested([]Text{{ID: "o", Body: original, Family: "x"}, {ID: "a", Body: original, Family: "x"}})[0]
	alone := statsOf(reports...).Unattested([]Text{{ID: "o", Body: original}})[0]
	if fam != alone || fam == 0 {
		t.Errorf("with its copy as family: %.3f, want %.3f as without the copy", fam, alone)
	}
	// A text counted in the statistics is compared against the others.
	self := statsOf(original).Unattested([]Text{{ID: "a", Body: original}})[0]
	if self != 1 {
		t.Errorf("a text alone in the statistics: share %.3f, want 1 (it does not attest itself)", self)
	}
}

// The same texts give the same figures whatever the order they are counted
// and compared in.
func TestDeterministic(t *testing.T) {
	texts := []Text{{ID: "o", Body: original}, {ID: "s", Body: spin(original)}, {ID: "r", Body: reports[0]}}
	want := statsOf(reports...).Unattested(texts)
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		order := slices.Clone(reports)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		s := NewStats()
		for _, rep := range order {
			s.Add(rep[:20], rep) // IDs follow the texts
		}
		perm := r.Perm(len(texts))
		shuffled := make([]Text, len(texts))
		for i, p := range perm {
			shuffled[i] = texts[p]
		}
		got := s.Unattested(shuffled)
		for i, p := range perm {
			if got[i] != want[p] {
				t.Fatalf("order %v: share of %s %.4f, want %.4f", perm, texts[p].ID, got[i], want[p])
			}
		}
	}
}

// On the sample articles the comparison needs nothing but the three of
// them: the machine-reworded one (001) is outworded by an original.
func TestSampleArticles(t *testing.T) {
	files, err := filepath.Glob("../../testdata/seeds/*.txt")
	if err != nil || len(files) != 3 {
		t.Fatalf("seeds: %v %v", files, err)
	}
	var texts []Text
	s := NewStats()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := (&retrieval.Ingester{Index: retrieval.NewIndex()}).Build(retrieval.Document{Source: f, Text: string(b)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, Text{ID: a.ID, Body: a.Title + "\n" + a.Text})
		s.Add(a.ID, a.Title+"\n"+a.Text)
	}
	out := s.Outworded(texts, func(i, j int) bool { return true })
	if !out[1] || out[0] || out[2] {
		t.Errorf("outworded %v (shares %.3f), want 001 only", out, s.Unattested(texts))
	}
}

func TestFromIndex(t *testing.T) {
	ix := retrieval.NewIndex()
	for i, r := range append([]string{original}, reports...) {
		a, err := (&retrieval.Ingester{Index: ix}).Build(retrieval.Document{Source: "r", Key: string(rune('a' + i)), Title: "Report", Text: r}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ix.Put(a)
	}
	all, some := FromIndex(ix, 0), FromIndex(ix, 3)
	if all.Texts() != 6 || some.Texts() != 3 {
		t.Errorf("counted %d and %d texts, want 6 and 3", all.Texts(), some.Texts())
	}
	if For(ix) != For(ix) {
		t.Error("For counts the same index twice")
	}
}

// A report is outworded by reports of the same thing in their own words
// only when it stands out from at least half of them: one report the rest
// of the news happens to echo word for word does not outword the others.
func TestOutwordedByMost(t *testing.T) {
	s := statsOf(reports...)
	echoed := Text{ID: "x", Body: reports[3]} // "d" in the statistics writes every pair
	y := Text{ID: "y", Body: `Ferry crews on the northern route walked out at dawn over a pay offer, stranding hundreds of commuters at Gullhaven pier. Union organiser Petra Lindqvist told reporters the strike would last until Friday.`}
	z := Text{ID: "z", Body: `Commuters at Gullhaven queued for buses after ferry crews struck over pay. Petra Lindqvist, who organises the crews, said they would not sail before Friday unless the operator improved its offer.`}
	w := Text{ID: "w", Body: `The northern ferry route stopped at dawn when crews walked out over pay, and the operator put on buses from Gullhaven pier. The crews' organiser said the strike would go on until Friday.`}
	all := func(i, j int) bool { return true }
	texts := []Text{echoed, y, z, w}
	sh := s.Unattested(texts)
	if sh[0] != 0 || sh[1] < Clearer || sh[3] < Clearer || math.Abs(sh[1]-sh[3]) >= Clearer {
		t.Fatalf("shares %.3f: the test needs y and w within Clearer of each other, both above the echoed report by Clearer", sh)
	}
	// y and w stand out from the echoed report only; z may stand out from
	// more of them.
	if out := s.Outworded(texts, all); out[1] || out[3] {
		t.Errorf("outworded %v (shares %.3f): one echoed report outworded reports that agree", out, sh)
	}
	if out := s.Outworded([]Text{echoed, y}, all); !out[1] {
		t.Errorf("outworded %v: the only other report is clearer by more than Clearer", out)
	}
}
