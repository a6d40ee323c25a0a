// Package bench holds storybot's benchmarks against the best Go libraries
// for the same jobs — bleve (lexical search, BM25) and chromem-go (vector
// search) — on the same corpus and the same queries in the same run, plus
// the synthetic corpus generator and the known-item evaluation they share.
// It is the only package that imports bleve and chromem-go. scripts/bench
// runs the benchmarks and prints one table.
package bench

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
)

// Generator makes deterministic, news-like synthetic articles. Its words
// follow a Zipf distribution over a vocabulary whose head is the real words
// of sample texts (most frequent first: stopwords and common news words)
// and whose long tail is made-up words; each article also has a handful of
// topic words and names that recur through it and make up most of its
// headline, as in real news.
type Generator struct {
	vocab []string // rank order: real words by frequency, then synthetic
	real  int      // how many of vocab are real words
	names []string // capitalised made-up surnames and places
	seed  uint64
}

// SyntheticWords is the number of made-up words in a generator's vocabulary.
const SyntheticWords = 60_000

var wordRe = regexp.MustCompile(`[A-Za-z][a-z]+(?:'[a-z]+)?`)

// NewGenerator builds a generator from sample texts (their words head the
// vocabulary) and a seed; the same samples and seed always give the same
// articles.
func NewGenerator(samples []string, seed uint64) *Generator {
	counts := map[string]int{}
	for _, s := range samples {
		for _, w := range wordRe.FindAllString(s, -1) {
			if w != strings.ToLower(w) && counts[strings.ToLower(w)] == 0 {
				continue // names stay out of the common vocabulary
			}
			counts[strings.ToLower(w)]++
		}
	}
	real := make([]string, 0, len(counts))
	for w, n := range counts {
		if n >= 1 && len(w) > 1 || w == "a" {
			real = append(real, w)
		}
	}
	sort.Slice(real, func(i, j int) bool {
		if counts[real[i]] != counts[real[j]] {
			return counts[real[i]] > counts[real[j]]
		}
		return real[i] < real[j]
	})
	g := &Generator{real: len(real), seed: seed}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	seen := make(map[string]bool, len(real)+SyntheticWords)
	for _, w := range real {
		seen[w] = true
	}
	g.vocab = append(g.vocab, real...)
	for len(g.vocab) < len(real)+SyntheticWords {
		w := madeUpWord(r, 2+r.IntN(3))
		if !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	for len(g.names) < 5000 {
		w := madeUpWord(r, 2+r.IntN(2))
		if !seen[w] {
			seen[w] = true
			g.names = append(g.names, capitalize(w))
		}
	}
	return g
}

var (
	onsets = strings.Fields("b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr st tr sh ch th")
	nuclei = strings.Fields("a e i o u a e i o ai ea ou io")
	codas  = []string{"", "", "", "n", "r", "s", "l", "t", "nd", "st", "rk", "m"}
)

func madeUpWord(r *rand.Rand, syllables int) string {
	var b strings.Builder
	for range syllables {
		b.WriteString(onsets[r.IntN(len(onsets))])
		b.WriteString(nuclei[r.IntN(len(nuclei))])
	}
	b.WriteString(codas[r.IntN(len(codas))])
	return b.String()
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// Article is one generated article and its place in the corpus.
type Article struct {
	Document retrieval.Document
	// Paragraphs is the number of body paragraphs, each sized to be one
	// passage after chunking.
	Paragraphs int
}

// Articles generates articles until their paragraphs (about one passage
// each) reach passages. Article i is the same whatever passages asks for.
func (g *Generator) Articles(passages int) []Article {
	var out []Article
	total := 0
	for i := 0; total < passages; i++ {
		a := g.Article(i)
		out = append(out, a)
		total += a.Paragraphs
	}
	return out
}

// Documents is Articles without the paragraph counts.
func (g *Generator) Documents(passages int) []retrieval.Document {
	as := g.Articles(passages)
	docs := make([]retrieval.Document, len(as))
	for i, a := range as {
		docs[i] = a.Document
	}
	return docs
}

// Article generates the i-th article.
func (g *Generator) Article(i int) Article {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)+1))
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(g.vocab)-1))
	word := func() string { return g.vocab[zipf.Uint64()] }
	// Topic words: mid- and low-frequency words, drawn Zipf-like from the
	// vocabulary past its first 150 ranks, so related articles share some.
	topicZipf := rand.NewZipf(r, 1.02, 20, uint64(len(g.vocab)-151))
	topics := make([]string, 3+r.IntN(3))
	for k := range topics {
		topics[k] = g.vocab[150+topicZipf.Uint64()]
	}
	names := make([]string, 1+r.IntN(3))
	for k := range names {
		names[k] = g.names[r.IntN(len(g.names))]
		if r.IntN(2) == 0 {
			names[k] = g.names[r.IntN(len(g.names))] + " " + names[k]
		}
	}
	pick := func() string {
		switch x := r.IntN(100); {
		case x < 14:
			return topics[r.IntN(len(topics))]
		case x < 18:
			return names[r.IntN(len(names))]
		case x < 20:
			return fmt.Sprint(r.IntN(2000))
		default:
			return word()
		}
	}

	// Headline: mostly topic words and names, some common words.
	var title []string
	for _, t := range topics[:min(len(topics), 2+r.IntN(3))] {
		title = append(title, t)
	}
	title = append(title, names[0])
	for range 2 + r.IntN(4) {
		title = append(title, word())
	}
	r.Shuffle(len(title), func(a, b int) { title[a], title[b] = title[b], title[a] })
	title[0] = capitalize(title[0])

	var body strings.Builder
	paras := 3 + r.IntN(6)
	for p := range paras {
		if p > 0 {
			body.WriteString("\n\n")
		}
		// 2-4 sentences of 9-26 words: 200-900 bytes, one passage.
		for s := range 2 + r.IntN(3) {
			if s > 0 {
				body.WriteByte(' ')
			}
			n := 9 + r.IntN(18)
			for w := range n {
				x := pick()
				if w == 0 {
					x = capitalize(x)
				} else {
					body.WriteByte(' ')
				}
				body.WriteString(x)
				if w > 2 && w < n-2 && r.IntN(14) == 0 {
					body.WriteByte(',')
				}
			}
			if r.IntN(12) == 0 {
				body.WriteString(", " + names[0] + " said")
			}
			body.WriteByte('.')
		}
	}
	key := fmt.Sprintf("synthetic-%d-%d", g.seed, i)
	return Article{
		Document: retrieval.Document{
			Source: key,
			Key:    key,
			Title:  strings.Join(title, " "),
			Outlet: "Synthetic Times",
			Text:   body.String(),
		},
		Paragraphs: paras,
	}
}

// Reword turns a headline into a known-item query as a reader might
// remember it: each word is dropped with probability 1/3 (at least two
// stay) and the rest are shuffled. It is deterministic in seed.
func Reword(title string, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 0xdeed))
	words := strings.Fields(title)
	keep := make([]bool, len(words))
	n := 0
	for i := range words {
		if r.IntN(3) != 0 {
			keep[i] = true
			n++
		}
	}
	for i := 0; n < min(2, len(words)); i++ {
		if !keep[i] {
			keep[i] = true
			n++
		}
	}
	var kept []string
	for i, w := range words {
		if keep[i] {
			kept = append(kept, w)
		}
	}
	r.Shuffle(len(kept), func(a, b int) { kept[a], kept[b] = kept[b], kept[a] })
	return strings.Join(kept, " ")
}
