package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Passage sizes, in bytes of cleaned text. Paragraphs shorter than
// minPassage are merged with the next; longer than maxPassage are split at
// sentence ends.
const (
	minPassage = 160
	maxPassage = 1200
)

// Chunk cuts cleaned article text into paragraph-sized spans. Paragraphs are
// separated by blank lines; the spans never include the separators, so each
// span's text is exact article text.
func Chunk(text string) []Span {
	var paras []Span
	for start := 0; start < len(text); {
		end := strings.Index(text[start:], "\n\n")
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if sp := trimSpan(text, Span{start, end}); sp.End > sp.Start {
			paras = append(paras, sp)
		}
		start = end + 2
	}
	var out []Span
	for i := 0; i < len(paras); i++ {
		sp := paras[i]
		// Merge short paragraphs forward while they stay under the cap.
		for sp.End-sp.Start < minPassage && i+1 < len(paras) && paras[i+1].End-sp.Start <= maxPassage {
			i++
			sp.End = paras[i].End
		}
		if sp.End-sp.Start <= maxPassage {
			out = append(out, sp)
			continue
		}
		out = append(out, splitLong(text, sp)...)
	}
	// A short tail joins the passage before it when that stays under the cap.
	if n := len(out); n > 1 && out[n-1].End-out[n-1].Start < minPassage/2 && out[n-1].End-out[n-2].Start <= maxPassage {
		out[n-2].End = out[n-1].End
		out = out[:n-1]
	}
	return out
}

// splitLong cuts an over-long paragraph at sentence boundaries.
func splitLong(text string, sp Span) []Span {
	var out []Span
	cur := Span{sp.Start, sp.Start}
	for _, s := range Sentences(text[sp.Start:sp.End]) {
		s.Start += sp.Start
		s.End += sp.Start
		if cur.End > cur.Start && s.End-cur.Start > maxPassage {
			out = append(out, cur)
			cur = Span{s.Start, s.End}
			continue
		}
		if cur.End == cur.Start {
			cur.Start = s.Start
		}
		cur.End = s.End
	}
	if cur.End > cur.Start {
		out = append(out, cur)
	}
	return out
}

func trimSpan(text string, sp Span) Span {
	for sp.Start < sp.End {
		r, w := utf8.DecodeRuneInString(text[sp.Start:])
		if !unicode.IsSpace(r) {
			break
		}
		sp.Start += w
	}
	for sp.End > sp.Start {
		r, w := utf8.DecodeLastRuneInString(text[:sp.End])
		if !unicode.IsSpace(r) {
			break
		}
		sp.End -= w
	}
	return sp
}

// sentenceAbbrevs end with a period that does not end a sentence.
var sentenceAbbrevs = wordSet(`mr mrs ms dr prof sen rep gov lt col gen sgt capt cmdr adm st jr sr inc corp co ltd
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa
tenn tex va vt wash wis wyo no v vs etc approx dept univ est fig gen`)

// Sentences splits text into sentence spans (byte offsets into text). A
// sentence ends at ., ! or ? (with any closing quotes or brackets) followed
// by white space and a capital, digit or opening quote — but not after a
// known abbreviation or a single initial — or at a line break.
func Sentences(text string) []Span {
	var out []Span
	start := 0
	emit := func(end int) {
		if sp := trimSpan(text, Span{start, end}); sp.End > sp.Start {
			out = append(out, sp)
		}
		start = end
	}
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			emit(i)
			i += w
			start = i
			continue
		}
		if r != '.' && r != '!' && r != '?' {
			i += w
			continue
		}
		end := i + w
		for end < len(text) {
			c, cw := utf8.DecodeRuneInString(text[end:])
			if !strings.ContainsRune(`"'”’)]`, c) {
				break
			}
			end += cw
		}
		if end >= len(text) {
			i = end
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[end:])
		if !unicode.IsSpace(next) {
			i = end
			continue
		}
		j := end
		for j < len(text) {
			c, cw := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsSpace(c) || c == '\n' {
				break
			}
			j += cw
		}
		after, _ := utf8.DecodeRuneInString(text[j:])
		startsNew := j >= len(text) || after == '\n' || unicode.IsUpper(after) || unicode.IsDigit(after) || strings.ContainsRune(`"“‘'(`, after)
		if r == '.' && startsNew && EndsInAbbreviation(text[start:i]) {
			startsNew = false
		}
		if startsNew {
			emit(end)
		}
		i = end
	}
	emit(len(text))
	return out
}

// EndsInAbbreviation reports whether the text before a period ends in an
// abbreviation or initial ("Mr", "Ind", "F", "U.S"): the period ends no
// sentence.
func EndsInAbbreviation(before string) bool {
	k := len(before)
	for k > 0 {
		r, w := utf8.DecodeLastRuneInString(before[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= w
	}
	word := before[k:]
	if word == "" {
		return false
	}
	if strings.Contains(word, ".") { // U.S, a.m, p.m
		return true
	}
	if r, _ := utf8.DecodeRuneInString(word); utf8.RuneCountInString(word) == 1 && unicode.IsUpper(r) {
		return true // an initial
	}
	_, ok := sentenceAbbrevs[strings.ToLower(word)]
	return ok
}
