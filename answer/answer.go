package answer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// Status says how much of a question the sources answer.
type Status string

// The three statuses of DESIGN.md.
const (
	Answered   Status = "answered"
	Partial    Status = "partial"
	NotCovered Status = "not_covered"
)

// Answer is the reply to one question, in the shape `ask --json` prints.
type Answer struct {
	Question  string     `json:"question"`
	Status    Status     `json:"status"`
	Answer    string     `json:"answer"`
	Citations []Citation `json:"citations"`
	// NotCovered lists, in plain words, each part of the question the
	// sources do not answer.
	NotCovered []string `json:"not_covered"`
	// Confidence (0..1) says how strongly the cited text supports the
	// answer: the evidence model's probability, averaged over the parts.
	Confidence float64 `json:"confidence"`
	// LowSupport marks an answer whose confidence clears the operating
	// point by little: readers are told to check its quotes.
	LowSupport bool `json:"-"`

	// Sources is how many independent articles were searched for this
	// answer (copies count with their original).
	Sources int `json:"-"`
	// Notes are remarks for the reader that are not part of the answer
	// (a stale index, a model fallback).
	Notes []string `json:"-"`
}

// Citation ties an [n] marker to the exact article text it quotes.
type Citation struct {
	N         int    `json:"n"`
	ArticleID string `json:"article_id"`
	PassageID string `json:"passage_id"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Quote     string `json:"quote"`

	// Published is the article's date, when known, for renderers.
	Published string `json:"-"`
	// Start and End place Quote in the article's text.
	Start int `json:"-"`
	End   int `json:"-"`
}

var markerRe = regexp.MustCompile(`\[(\d+)\]`)

// Markers returns the citation numbers a sentence carries.
func Markers(s string) []int {
	var out []int
	for _, m := range markerRe.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// Check verifies an answer against the articles it cites: every citation
// quotes its article exactly, every marker names a citation, and every
// citation is used. lookup returns an article by ID, or nil.
func Check(a *Answer, lookup func(id string) *retrieval.Article) error {
	byN := map[int]Citation{}
	for _, c := range a.Citations {
		art := lookup(c.ArticleID)
		if art == nil {
			return fmt.Errorf("citation [%d]: article %s is not in the index", c.N, c.ArticleID)
		}
		if c.Start < 0 || c.End > len(art.Text) || c.Start > c.End || art.Text[c.Start:c.End] != c.Quote {
			return fmt.Errorf("citation [%d]: quote is not the text of article %s", c.N, c.ArticleID)
		}
		byN[c.N] = c
	}
	used := map[int]bool{}
	for _, n := range Markers(a.Answer) {
		if _, ok := byN[n]; !ok {
			return fmt.Errorf("marker [%d] names no citation", n)
		}
		used[n] = true
	}
	for n := range byN {
		if !used[n] {
			return fmt.Errorf("citation [%d] is not used in the answer", n)
		}
	}
	if (a.Status == Answered) != (len(a.NotCovered) == 0) {
		return fmt.Errorf("status %s does not fit %d not-covered parts", a.Status, len(a.NotCovered))
	}
	return nil
}

// citer numbers citations in order of first use, one per distinct quote.
type citer struct {
	cites []Citation
}

func (c *citer) cite(h retrieval.Hit, start, end int) int {
	for _, x := range c.cites {
		if x.ArticleID == h.Article.ID && x.Start == start && x.End == end {
			return x.N
		}
	}
	cit := NewCitation(len(c.cites)+1, h, start, end)
	c.cites = append(c.cites, cit)
	return cit.N
}

// NewCitation cites the text [start, end) of a hit's article as number n.
func NewCitation(n int, h retrieval.Hit, start, end int) Citation {
	a := h.Article
	cit := Citation{
		N:         n,
		ArticleID: a.ID,
		PassageID: h.Passage.ID,
		Title:     a.Title,
		Outlet:    a.Outlet,
		URL:       a.URL,
		Source:    a.Source,
		Quote:     a.Text[start:end],
		Start:     start,
		End:       end,
	}
	if !a.Published.IsZero() {
		cit.Published = a.Published.Format("2006-01-02")
	}
	return cit
}

// StripMarkers removes the citation markers of a text: [1], [1, 2].
func StripMarkers(s string) string { return markersRe.ReplaceAllString(s, "") }

// sentenceCase capitalises the first letter of a clause.
func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// Claimed is one sentence of an answer with the quotes that support it,
// for renderers that show each quote under its claim.
type Claimed struct {
	Text string
	// Quotes are the citations of the sentence whose quote is not the
	// sentence itself (a model's claims are its own words; an extractive
	// answer quotes).
	Quotes []Citation
}

// Claimed splits the answer into its sentences, each with its quotes.
func (a *Answer) Claimed() []Claimed {
	byN := map[int]Citation{}
	for _, c := range a.Citations {
		byN[c.N] = c
	}
	var out []Claimed
	for _, sp := range retrieval.Sentences(a.Answer) {
		s := a.Answer[sp.Start:sp.End]
		cl := Claimed{Text: s}
		claim := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(StripMarkers(s)), ". "))
		for _, n := range Markers(s) {
			c, ok := byN[n]
			// A sentence that is its quote, or holds it ("What they do
			// say: <quote>"), shows it already.
			if q := strings.TrimRight(strings.Join(strings.Fields(c.Quote), " "), ". "); ok && q != "" && !strings.Contains(q, claim) && !strings.Contains(claim, q) {
				cl.Quotes = append(cl.Quotes, c)
			}
		}
		out = append(out, cl)
	}
	return out
}
