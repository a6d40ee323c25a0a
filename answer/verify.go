package answer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
)

// Claim is one statement a writer (a language model) proposes, with the
// numbers of the passages that support it (1 is the first hit given) and
// the exact text of the passage that says it.
type Claim struct {
	Text     string `json:"text"`
	Passages []int  `json:"passages"`
	// Quote is the passage text supporting the claim, copied exactly. A
	// claim without one is checked against each sentence of its passages.
	Quote string `json:"quote,omitempty"`
}

// Draft is a proposed answer: claims, and the parts of the question the
// writer found no answer to. Nothing in it is trusted until verified.
type Draft struct {
	Claims     []Claim  `json:"claims"`
	NotCovered []string `json:"not_covered"`
}

// Verdict is the outcome of verifying one claim.
type Verdict struct {
	Claim Claim
	OK    bool
	// Reason says why a claim was dropped, in words safe to log: it never
	// quotes the claim.
	Reason string
	// Missing lists the claim's words not found in its quote.
	Missing []string
	// Passage (1-based) and Start, End place the quote that supports a
	// kept claim in its article's text; for a dropped claim checked
	// sentence by sentence (Near), the sentence that came closest.
	Passage, Start, End int
	Near                bool
}

// Contradicts reports whether a dropped claim's closest sentence, quote,
// says otherwise rather than nothing: it differs in negation or order in
// time, or the claim misses only names and numbers there and the quote
// gives other ones in their place ("$52 million" where it says "$48
// million").
func (v Verdict) Contradicts(claim, quote string) bool {
	if v.OK || !v.Near {
		return false
	}
	switch v.Reason {
	case reasonNegQuote, reasonOrder:
		return true
	case reasonName, reasonNumber:
	default:
		return false
	}
	inClaim := map[string]bool{}
	for _, t := range retrieval.Tokens(normalize(claim)) {
		inClaim[t.Term] = true
	}
	otherNumber, otherName := false, false
	for i, t := range retrieval.Tokens(normalize(quote)) {
		if inClaim[t.Term] {
			continue
		}
		otherNumber = otherNumber || t.Number
		otherName = otherName || t.Capital && !t.Stop && !t.Number && i > 0
	}
	for _, m := range v.Missing {
		toks := retrieval.Tokens(m)
		if len(toks) == 0 {
			continue
		}
		switch t := toks[0]; {
		case t.Number:
			if !otherNumber {
				return false
			}
		case t.Capital:
			if !otherName {
				return false
			}
		default:
			return false // a key word is missing: the sentence says something else
		}
	}
	return true
}

// Reasons a claim is dropped.
const (
	reasonEmpty      = "empty claim"
	reasonUncited    = "cites no passage"
	reasonUnknown    = "cites a passage that was not supplied"
	reasonLink       = "carries a link, mention or markup"
	reasonName       = "a name is not in the cited passages"
	reasonNumber     = "a number is not in the cited passages"
	reasonContent    = "its key terms are not in the cited passages"
	reasonNegation   = "a negation is not in the cited passages"
	reasonUncheck    = "states nothing that can be checked"
	contentShare     = 0.75 // share of content terms a claim must find
	maxClaims        = 12
	maxNotCoveredLen = 200
)

// unsafeRe finds what must never reach an answer from a writer: links
// (bare, Markdown or Slack-style), mentions and Slack control sequences.
var unsafeRe = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:|<[^>]*>|[<>]|@\w|\]\(|\b[a-z0-9-]+\.(com|org|net|io|ly|gov|edu|co|news|info|biz|me|app|xyz|ru|uk|us)\b)`)

// markersRe matches citation markers a writer left in its text: [1], [1, 2],
// [1][2].
var markersRe = regexp.MustCompile(`\s*\[\s*\d+(\s*[,;]\s*\d+)*\s*\]`)

// verifyIgnored are words that frame a claim rather than state it.
var verifyIgnored = map[string]bool{}

// verifyNumberWords maps spelt-out numbers to digits.
var verifyNumberWords = map[string]string{}

func init() {
	for _, w := range strings.Fields(`according report reported reporting says said say saying stated states
	state source sources article articles passage passages also however including include includes
	told tell noted note added add meanwhile additionally furthermore moreover separately overall`) {
		verifyIgnored[retrieval.Term(w)] = true
	}
	for i, w := range strings.Fields(`zero one two three four five six seven eight nine ten eleven twelve
	thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty`) {
		verifyNumberWords[w] = strconv.Itoa(i)
	}
}

// support is the analysed text of the passages a claim cites.
type support struct {
	terms   map[string]bool
	numbers map[string]bool
	seq     string // every term, space separated and padded, for phrase lookups
	// affirmed and denied record whether a term occurs outside and inside
	// the reach of a negation ("would not name").
	affirmed map[string]bool
	denied   map[string]bool
}

func newSupport(texts ...string) *support {
	s := &support{terms: map[string]bool{}, numbers: map[string]bool{}, affirmed: map[string]bool{}, denied: map[string]bool{}}
	var seq []string
	for _, text := range texts {
		toks := retrieval.Tokens(retrieval.Fold(text))
		for i, t := range toks {
			s.terms[t.Term] = true
			seq = append(seq, t.Term)
			if n, ok := numberOf(t); ok {
				s.numbers[n] = true
			}
			if negatedAt(toks, i) {
				s.denied[t.Term] = true
			} else {
				s.affirmed[t.Term] = true
			}
		}
	}
	s.seq = " " + strings.Join(seq, " ") + " "
	return s
}

func (s *support) hasPhrase(terms []string) bool {
	return strings.Contains(s.seq, " "+strings.Join(terms, " ")+" ")
}

// numberOf returns the normalised value of a number token: digits without
// separators, or the digits of a small spelt-out number.
func numberOf(t retrieval.Token) (string, bool) {
	if t.Number {
		n := strings.ReplaceAll(t.Surface, ",", "")
		if strings.Contains(n, ".") {
			n = strings.TrimRight(strings.TrimRight(n, "0"), ".")
		}
		return strings.ToLower(n), true
	}
	if d, ok := verifyNumberWords[strings.ToLower(t.Surface)]; ok {
		return d, true
	}
	return "", false
}

// negationReach is how many words after a negation it governs.
const negationReach = 4

// negatedAt reports whether a negation stands within reach before toks[i].
func negatedAt(toks []retrieval.Token, i int) bool {
	for j := max(0, i-negationReach); j < i; j++ {
		if isNegation(toks[j]) {
			return true
		}
	}
	return false
}

func isNegation(t retrieval.Token) bool { return negates(t) }

// claimWord is one checkable word of a claim.
type claimWord struct {
	surface string
	kind    byte // 'N' name, '#' number, 'c' content
	found   bool
}

// VerifyClaim checks one claim against its own quote, hits being the
// passages in the order they were numbered for the writer. A claim
// survives only when every passage it cites was supplied, it carries no
// link or mention, its quote is text of a cited passage (whitespace and
// quote marks aside), and the quote holds its names, numbers, negation,
// order in time and nearly all its key terms (see checkQuote); a synonym
// from th counts as found (th may be nil). A claim without a quote is
// checked against each sentence of its cited passages in turn.
func VerifyClaim(c Claim, hits []retrieval.Hit, th *retrieval.Thesaurus) Verdict {
	v := Verdict{Claim: c}
	text := cleanClaim(c.Text)
	switch {
	case text == "":
		v.Reason = reasonEmpty
		return v
	case unsafeRe.MatchString(text):
		v.Reason = reasonLink
		return v
	case len(c.Passages) == 0:
		v.Reason = reasonUncited
		return v
	}
	for _, n := range c.Passages {
		if n < 1 || n > len(hits) {
			v.Reason = reasonUnknown
			return v
		}
	}
	if strings.TrimSpace(c.Quote) == "" {
		n, start, end, why, miss := bestSentence(text, c.Passages, hits, th)
		v.Passage, v.Start, v.End, v.Reason, v.Missing, v.OK = n, start, end, why, miss, why == ""
		v.Near = !v.OK && n > 0
		return v
	}
	for _, n := range c.Passages {
		p := hits[n-1].Passage
		s, e, ok := findQuote(p.Text, c.Quote)
		if !ok {
			continue
		}
		v.Reason, v.Missing = checkQuote(text, p.Text[s:e], th)
		if v.OK = v.Reason == ""; v.OK {
			v.Passage, v.Start, v.End = n, p.Start+s, p.Start+e
		}
		return v
	}
	v.Reason = reasonNoQuote
	return v
}

// checkWords sorts a claim's words into names, numbers and content terms
// and looks each up in the support; flipped reports a word the claim
// negates that the support only affirms, or the other way round.
func checkWords(text string, sup *support, th *retrieval.Thesaurus) (words []claimWord, flipped bool) {
	folded := retrieval.Fold(text)
	toks := retrieval.Tokens(folded)
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = t.Term
	}
	// A thesaurus phrase whose any member is in the support is found as a
	// whole ("CISO" for "chief information security officer").
	synonym := make([]bool, len(toks))
	if th != nil {
		for _, m := range th.Match(terms) {
			for _, alt := range m.Alts {
				if sup.hasPhrase(alt) {
					for i := m.Start; i < m.End; i++ {
						synonym[i] = true
					}
					break
				}
			}
		}
	}
	for i, t := range toks {
		if !t.Stop && !isNegation(t) && sup.terms[t.Term] {
			if negatedAt(toks, i) {
				flipped = flipped || !sup.denied[t.Term]
			} else {
				flipped = flipped || !sup.affirmed[t.Term]
			}
		}
		if n, ok := numberOf(t); ok {
			if !t.Number && n == "1" {
				continue // "one of the…" is rarely a count
			}
			words = append(words, claimWord{surface: t.Surface, kind: '#', found: sup.numbers[n]})
			continue
		}
		if t.Stop || verifyIgnored[t.Term] {
			continue
		}
		w := claimWord{surface: t.Surface, kind: 'c', found: sup.terms[t.Term] || synonym[i]}
		// A capitalised word is held to a name's standard when it is not
		// found, even at the start of a sentence ("Smith resigned").
		if isClaimName(folded, t) || (t.Capital && !w.found) {
			w.kind = 'N'
		}
		words = append(words, w)
	}
	return words, flipped
}

// isClaimName reports a proper name: a capitalised word that does not start
// a sentence, or an abbreviation in capitals anywhere.
func isClaimName(text string, t retrieval.Token) bool {
	if !t.Capital {
		return false
	}
	if utf8.RuneCountInString(t.Surface) > 1 && strings.ToUpper(t.Surface) == t.Surface && !t.Number {
		return true
	}
	before := strings.TrimRightFunc(text[:t.Start], func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\'' || r == '(' || r == '‘' || r == '“'
	})
	if before == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	return !strings.ContainsRune(".!?:;", last)
}

// cleanClaim removes markers the writer added and normalises space.
func cleanClaim(s string) string {
	s = StripMarkers(s)
	return strings.Join(strings.Fields(s), " ")
}

// splitClaims turns every claim of more than one sentence into one claim
// per sentence, so each sentence of the answer carries its own markers.
func splitClaims(cs []Claim) []Claim {
	var out []Claim
	for _, c := range cs {
		text := cleanClaim(c.Text)
		spans := retrieval.Sentences(text)
		if len(spans) <= 1 || c.Quote != "" {
			// A quoted claim is checked whole against its quote.
			out = append(out, Claim{Text: text, Passages: c.Passages, Quote: c.Quote})
			continue
		}
		for _, sp := range spans {
			out = append(out, Claim{Text: text[sp.Start:sp.End], Passages: c.Passages})
		}
	}
	return out
}

// Compose verifies a draft against the hits it was written from and builds
// the answer: each surviving claim as a sentence ending in [n] markers that
// cite the sentence of each cited passage best supporting it, the question
// parts that no surviving claim answers (or that the writer said were not
// covered, or whose claims were dropped) listed as not covered, and the
// status that follows from them. No text of the draft reaches the answer
// unverified: not-covered items are question parts, or short writer notes
// free of links and mentions that share a word with the question or the
// passages. It returns every claim's verdict for logging and tests.
func Compose(q Question, hits []retrieval.Hit, d Draft, th *retrieval.Thesaurus) (*Answer, []Verdict) {
	ans := &Answer{Question: q.Text, Citations: []Citation{}, NotCovered: []string{}, Sources: countSources(hits)}
	claims := splitClaims(d.Claims)
	if len(claims) > maxClaims {
		claims = claims[:maxClaims]
	}

	type survivor struct {
		text                string
		passage, start, end int // the quote
		parts               []int
	}
	var kept []survivor
	var verdicts []Verdict
	seen := map[string]bool{}
	covered := map[int]bool{}
	droppedParts := map[int]bool{}
	for _, c := range claims {
		v := VerifyClaim(c, hits, th)
		verdicts = append(verdicts, v)
		parts := partsOf(q, c.Text)
		if !v.OK {
			for _, p := range parts {
				droppedParts[p] = true
			}
			continue
		}
		key := strings.ToLower(cleanClaim(c.Text))
		if seen[key] {
			continue
		}
		seen[key] = true
		if len(q.Parts) == 1 {
			parts = []int{0}
		}
		for _, p := range parts {
			covered[p] = true
		}
		kept = append(kept, survivor{text: cleanClaim(c.Text), passage: v.Passage, start: v.Start, end: v.End, parts: parts})
	}

	// The parts left open.
	open := map[int]bool{}
	var extra []string
	questionSup := newSupport(q.Text)
	var hitTexts []string
	for _, h := range hits {
		hitTexts = append(hitTexts, h.Passage.Text)
	}
	hitSup := newSupport(hitTexts...)
	for _, s := range d.NotCovered {
		s = cleanNote(s)
		if s == "" {
			continue
		}
		if p := bestPart(q, s); p >= 0 {
			open[p] = true
			continue
		}
		if sharesTerm(s, questionSup) || sharesTerm(s, hitSup) {
			extra = append(extra, s)
		}
	}
	for i, p := range q.Parts {
		// A part with nothing to map a claim by ("and what happened to
		// him?") counts as answered by whatever survived.
		unmappable := len(p.Concepts)+len(p.Context) == 0
		if !covered[i] && (len(kept) == 0 || droppedParts[i] || (len(q.Parts) > 1 && !unmappable)) {
			open[i] = true
		}
	}
	var openParts []Part
	for i, p := range q.Parts {
		if open[i] {
			openParts = append(openParts, p)
			ans.NotCovered = appendNew(ans.NotCovered, p.Text)
		}
	}
	for _, s := range extra {
		ans.NotCovered = appendNew(ans.NotCovered, s)
	}
	switch {
	case len(kept) == 0 || (len(q.Parts) > 0 && len(openParts) == len(q.Parts)):
		ans.Status = NotCovered
		if len(q.Parts) > 0 && len(openParts) == 0 {
			// Nothing survived: every part is open.
			for _, p := range q.Parts {
				openParts = append(openParts, p)
				ans.NotCovered = appendNew(ans.NotCovered, p.Text)
			}
		}
	case len(ans.NotCovered) > 0:
		ans.Status = Partial
	default:
		ans.Status = Answered
	}
	if ans.Status == NotCovered && len(ans.NotCovered) == 0 {
		ans.NotCovered = append(ans.NotCovered, plainQuestion(q.Text))
	}

	var c citer
	sentence := func(s survivor) string {
		mark := fmt.Sprintf("[%d]", c.cite(hits[s.passage-1], s.start, s.end))
		text := sentenceCase(strings.TrimRight(s.text, " "))
		if r, _ := utf8.DecodeLastRuneInString(text); !strings.ContainsRune(".!?\"'”’", r) {
			text += "."
		}
		return text + " " + mark
	}
	var b strings.Builder
	if ans.Status == NotCovered {
		var what []string
		for _, p := range openParts {
			what = append(what, p.Text)
		}
		if len(what) == 0 {
			what = ans.NotCovered
		}
		b.WriteString(noneFound(ans.Sources, what))
		if len(kept) > 0 {
			b.WriteString(" What they do say:")
			for _, s := range kept {
				b.WriteString(" " + sentence(s))
			}
		}
	} else {
		for i, s := range kept {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(sentence(s))
		}
		for _, s := range ans.NotCovered {
			fmt.Fprintf(&b, " The sources do not say %s.", s)
		}
	}
	ans.Answer = strings.TrimSpace(b.String())
	ans.Citations = c.cites
	// A model answer's confidence: the share of the question's parts its
	// verified claims cover, times the share of its claims that verified.
	if len(claims) > 0 && ans.Status != NotCovered {
		parts := max(len(q.Parts), 1)
		ans.Confidence = round3(float64(parts-len(openParts)) / float64(parts) * float64(len(kept)) / float64(len(claims)))
	}
	return ans, verdicts
}

// noneFound says that the sources do not answer, in the extractive
// answerer's words.
func noneFound(sources int, what []string) string {
	list := strings.Join(what, ", or ")
	switch sources {
	case 0:
		return fmt.Sprintf("No ingested article matches this question's words; nothing found says %s.", list)
	case 1:
		return fmt.Sprintf("The one source found does not say %s.", list)
	}
	return fmt.Sprintf("None of the %d sources found says %s.", sources, list)
}

func plainQuestion(s string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), "?.!"))
}

// cleanNote makes a writer's not-covered note safe to show, or returns ""
// when it cannot be.
func cleanNote(s string) string {
	s = cleanClaim(s)
	s = strings.TrimRight(s, ".!? ")
	if s == "" || len(s) > maxNotCoveredLen || unsafeRe.MatchString(s) || strings.ContainsAny(s, "*_`~|") {
		return ""
	}
	if f := strings.Fields(s); len(f) > 0 {
		w := strings.ToLower(f[0])
		if retrieval.IsStopword(w) || questionWords[w] || auxiliaries[w] {
			s = w + s[len(f[0]):]
		}
	}
	return s
}

func sharesTerm(s string, sup *support) bool {
	for _, t := range retrieval.Tokens(retrieval.Fold(s)) {
		if !t.Stop && !verifyIgnored[t.Term] && sup.terms[t.Term] {
			return true
		}
	}
	return false
}

// partsOf returns the question parts a text bears on: those with the most
// of their concepts found in it.
func partsOf(q Question, text string) []int {
	toks := retrieval.Tokens(retrieval.Fold(text))
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = t.Term
	}
	best, bestN := []int(nil), 0
	for i, p := range q.Parts {
		n := 0
		for _, c := range p.Concepts {
			if conceptIn(c, terms) {
				n++
			}
		}
		for _, c := range p.Context {
			if conceptIn(c, terms) {
				n++
			}
		}
		switch {
		case n == 0:
		case n > bestN:
			best, bestN = []int{i}, n
		case n == bestN:
			best = append(best, i)
		}
	}
	return best
}

// bestPart returns the question part a not-covered note restates: the one
// with at least half its concepts in the note, or -1.
func bestPart(q Question, note string) int {
	toks := retrieval.Tokens(retrieval.Fold(note))
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = t.Term
	}
	best, bestShare := -1, 0.0
	for i, p := range q.Parts {
		if len(p.Concepts) == 0 {
			continue
		}
		n := 0
		for _, c := range p.Concepts {
			if conceptIn(c, terms) {
				n++
			}
		}
		share := float64(n) / float64(len(p.Concepts))
		if n > 0 && share >= 0.5 && share > bestShare {
			best, bestShare = i, share
		}
	}
	return best
}

func conceptIn(c Concept, terms []string) bool {
	for _, alt := range c.Alts {
		if len(alt) == 0 {
			continue
		}
		for i := 0; i+len(alt) <= len(terms); i++ {
			if slices.Equal(terms[i:i+len(alt)], alt) {
				return true
			}
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}
