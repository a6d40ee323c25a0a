package answer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
)

// A claim is checked against its own quote, never against words pooled
// from every passage it cites: a name from one passage and a verb from
// another support no claim that neither says.

// findQuote returns where quote stands in passage, as byte offsets into
// passage: the same words in the same order, whitespace and quote marks
// aside. It returns ok false when the passage does not hold it.
func findQuote(passage, quote string) (start, end int, ok bool) {
	q := quoteKey(quote)
	if len(q.text) < 8 {
		return 0, 0, false // too short to be a quote of anything
	}
	p := quoteKey(passage)
	i := strings.Index(p.text, q.text)
	if i < 0 {
		return 0, 0, false
	}
	return p.offsets[i], p.offsets[i+len(q.text)-1] + p.widths[i+len(q.text)-1], true
}

// keyed is a text reduced for quote matching, with each byte's offset and
// width in the original.
type keyed struct {
	text    string
	offsets []int
	widths  []int
}

// quoteKey folds curly quotes and dashes to their plain forms, collapses
// runs of white space to one space and trims the text's edges, keeping
// track of where each byte came from.
func quoteKey(s string) keyed {
	var k keyed
	var b strings.Builder
	space := false
	for i, r := range s {
		w := utf8.RuneLen(r)
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			k.offsets = append(k.offsets, i)
			k.widths = append(k.widths, 0)
			space = false
		}
		switch r {
		case '‘', '’', '`', '´':
			r = '\''
		case '“', '”', '„', '«', '»':
			r = '"'
		case '–', '—':
			r = '-'
		}
		n := utf8.RuneLen(r)
		b.WriteRune(r)
		for j := 0; j < n; j++ {
			k.offsets = append(k.offsets, i)
			k.widths = append(k.widths, w)
		}
	}
	k.text = b.String()
	return k
}

// dottedRe finds abbreviations written with periods: U.S., D.C., U.K.
var dottedRe = regexp.MustCompile(`\b(?:[A-Z]\.){2,}`)

// normalize writes the forms one thing takes the same way: "U.S." as
// "US". Acronyms and their expansions are matched in acronymsOf, spelled-out
// numbers in numberOf, possessives and plurals by the tokens' terms.
func normalize(s string) string {
	return dottedRe.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, ".", "") })
}

// acronymsOf returns the acronyms a text gives, in lowercase, each with
// the words that give it: its words in capitals ("NATO", "US") and the
// initials of each run of capitalised words ("United States" gives "us",
// "Food and Drug Administration" "fda").
func acronymsOf(toks []retrieval.Token) map[string][]string {
	out := map[string][]string{}
	var initials, words []string
	flush := func() {
		// Every stretch of two or more words of the run: "United States
		// Department" gives "us", "sd" and "usd".
		for i := 0; i < len(initials); i++ {
			for j := i + 2; j <= len(initials); j++ {
				a := strings.Join(initials[i:j], "")
				out[a] = append(out[a], words[i:j]...)
			}
		}
		initials, words = initials[:0], words[:0]
	}
	for _, t := range toks {
		w := t.Surface
		switch {
		case isAbbreviation(w):
			flush()
			out[strings.ToLower(w)] = append(out[strings.ToLower(w)], strings.ToLower(w))
		case t.Capital && !t.Number && !t.Stop:
			r, _ := utf8.DecodeRuneInString(w)
			initials = append(initials, strings.ToLower(string(r)))
			words = append(words, strings.ToLower(w))
		case len(initials) > 0 && (w == "of" || w == "and" || w == "for" || w == "the"):
			// "Food and Drug Administration": joiners do not count.
		default:
			flush()
		}
	}
	flush()
	return out
}

// Word classes the checks read: properties of English, not of any claim.
var (
	// negators deny what follows them, in so many words or in effect
	// ("failure to secure", "without a deal").
	// denials are the words that deny in so many words; the evidence
	// model's negation feature reads them.
	denials  = wordSet(`not no never neither nor without`)
	negators = union(denials, wordSet(`none nobody nothing fail fails failed failing failure
	unable lack lacks lacked lacking refuse refuses refused refusing`))
	// beforeWords and afterWords order events in time.
	beforeWords = wordSet(`before prior earlier until ahead preceding previously formerly`)
	afterWords  = wordSet(`after later following since subsequently afterward afterwards then`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func negates(t retrieval.Token) bool { return denies(t.Surface, negators) }

// denies reports a word of the set, or a verb negated with n't.
func denies(word string, set map[string]bool) bool {
	w := strings.ToLower(word)
	return set[w] || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t")
}

func union(a, b map[string]bool) map[string]bool {
	for w := range a {
		b[w] = true
	}
	return b
}

// orderOf says which way a text orders events in time: -1 before, 1 after,
// 0 neither or both.
func orderOf(toks []retrieval.Token) int {
	b, a := false, false
	for _, t := range toks {
		w := strings.ToLower(t.Surface)
		b = b || beforeWords[w]
		a = a || afterWords[w]
	}
	switch {
	case b && !a:
		return -1
	case a && !b:
		return 1
	}
	return 0
}

// Reasons a claim is dropped against its quote.
const (
	reasonNoQuote   = "its quote is not text of the cited passage"
	reasonOrder     = "it orders events in time otherwise than its quote"
	reasonNegQuote  = "a negation differs from its quote"
	reasonNoSupport = "no sentence of the cited passages supports it"
)

// checkQuote checks a claim against the one text that must support it:
// its names and numbers must be there (an acronym matching its
// expansion), nearly all its key terms (or a thesaurus synonym), the same
// negation and the same order in time. It returns "" when the quote
// supports the claim, else why not, and the claim's words not found.
func checkQuote(claim, quote string, th *retrieval.Thesaurus) (reason string, missing []string) {
	claim, quote = normalize(claim), normalize(quote)
	sup := newSupport(quote)
	ctoks := retrieval.Tokens(retrieval.Fold(claim))
	qtoks := retrieval.Tokens(retrieval.Fold(quote))
	words, flipped := checkWords(claim, sup, th)
	// Negation agrees: a claim that denies needs a quote that denies ("will
	// not have" for "failure to secure"), and no word may be denied on one
	// side and only affirmed on the other.
	claimNeg, quoteNeg := false, false
	for _, t := range ctoks {
		claimNeg = claimNeg || negates(t)
	}
	for _, t := range qtoks {
		quoteNeg = quoteNeg || negates(t)
	}
	if claimNeg && !quoteNeg || flipped {
		return reasonNegQuote, nil
	}
	// "Before" where the quote says "after": a conflict. A quote that
	// orders nothing leaves the order unchecked.
	if co := orderOf(ctoks); co != 0 && orderOf(qtoks) == -co {
		return reasonOrder, nil
	}
	// An acronym the quote spells out ("US" for "United States"), or
	// words spelling out one the quote uses, are found.
	quoteAcr := acronymsOf(qtoks)
	spelled := map[string]bool{}
	for a, ws := range acronymsOf(ctoks) {
		if quoteAcr[a] != nil {
			for _, w := range ws {
				spelled[w] = true
			}
		}
	}
	var content, contentFound int
	reason = ""
	for i, w := range words {
		if !w.found && w.kind != '#' && spelled[strings.ToLower(w.surface)] {
			words[i].found, w.found = true, true
		}
		if !w.found {
			missing = append(missing, w.surface)
		}
		switch {
		case w.kind == 'N' && !w.found && reason == "":
			reason = reasonName
		case w.kind == '#' && !w.found && reason == "":
			reason = reasonNumber
		case w.kind == 'c':
			content++
			if w.found {
				contentFound++
			}
		}
	}
	switch {
	case reason != "":
	case len(words) == 0:
		reason = reasonUncheck
	case content > 0 && float64(contentFound) < contentShare*float64(content):
		reason = reasonContent
	}
	return reason, missing
}

// bestSentence verifies a claim that came without a quote against each
// sentence of its cited passages, one by one, and returns the first
// passage (1-based) and the article span of the sentence that supports
// it. When none does, reason says why not, and the span is that of the
// single sentence that came closest (fewest of the claim's words missing).
func bestSentence(text string, passages []int, hits []retrieval.Hit, th *retrieval.Thesaurus) (n, start, end int, reason string, missing []string) {
	reason = reasonNoSupport
	fewest := -1
	var nearN, nearStart, nearEnd int
	// Sentences alone first, then with the one before ("It was rebuilt in
	// 1972" says what "the branch was rebuilt in 1972" says).
	for _, pair := range []bool{false, true} {
		for _, p := range passages {
			h := hits[p-1]
			ss := retrieval.Sentences(h.Passage.Text)
			for i, sp := range ss {
				first := sp
				if pair {
					if i == 0 {
						continue
					}
					first = ss[i-1]
				}
				why, miss := checkQuote(text, h.Passage.Text[first.Start:sp.End], th)
				if why == "" {
					return p, h.Passage.Start + first.Start, h.Passage.Start + sp.End, "", nil
				}
				if !pair && (fewest < 0 || len(miss) < fewest) {
					fewest, reason, missing = len(miss), why, miss
					nearN, nearStart, nearEnd = p, h.Passage.Start+sp.Start, h.Passage.Start+sp.End
				}
			}
		}
	}
	return nearN, nearStart, nearEnd, reason, missing
}
