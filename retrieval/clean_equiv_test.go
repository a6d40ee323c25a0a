package retrieval

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The line checks of cleaning run on every paragraph of every article, so
// they take shortcuts (an ASCII path, early exits). These are the plain
// versions they replaced: the shortcuts must give the same answers.

func lineKeyPlain(line string) string {
	// One pass, one allocation: Fold, then lowercase, then collapse
	// whitespace, rune by rune (an invalid byte becomes U+FFFD, as Fold
	// writes it).
	var b strings.Builder
	b.Grow(len(line))
	space := false // a space is owed before the next word
	for i := 0; i < len(line); {
		r, w := rune(line[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(line[i:])
			r = unicode.ToLower(foldRune(r))
		} else if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		i += w
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDateishPlain(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 14 {
		return false
	}
	anchor := false
	for _, w := range words {
		t := strings.Trim(w, ",()|•")
		switch {
		case t == "":
		case rxNumTime.MatchString(t):
			anchor = true
		case dateWords[t] || dateWords[strings.TrimSuffix(t, ".")]:
			if t == "ago" || t == "today" || t == "yesterday" || t == "now" {
				anchor = true
			}
		default:
			return false
		}
	}
	return anchor
}

func isLanguageMenuPlain(line, key string) bool {
	if n := keyWords(key); n < 3 || n > 80 {
		return false
	}
	n, known, paired := 0, 0, 0
	prev, hasPrev := "", false
	for w := range strings.SplitSeq(key, " ") {
		if !hasAlnum(w) {
			continue // separators ("|", "·") are not words
		}
		n++
		if languageNames[strings.Trim(w, "()[]|•·,/")] {
			known++
		}
		if hasPrev && w == prev {
			paired++
			hasPrev = false
			continue
		}
		prev, hasPrev = w, true
	}
	if n < 3 {
		return false
	}
	if known >= 3 && known*10 >= n*6 {
		return true
	}
	return paired >= 3 && paired*2*10 >= n*7 && !endsSentence(key)
}

// equivalenceLines returns the lines of the test articles, language
// menus, date lines and random mixes of their words.
func equivalenceLines(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("../testdata/articles/*")
	clean, _ := filepath.Glob("../testdata/clean/*/*")
	var lines, words []string
	for _, f := range append(files, clean...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.Lines(string(data)) {
			lines = append(lines, l)
			words = append(words, strings.Fields(l)...)
		}
	}
	menus := []string{
		"English | Español | Français | Deutsch | 中文 | العربية",
		"(English) [Français] Deutsch· Italiano, Português/",
		"Home Home News News Sport Sport Weather Weather",
		"Updated 3:45 p.m. ET, Tuesday, March 5, 2024",
		"2 hours ago", "Mon 12 Feb 2024 09.30 GMT", "Published: 14:05 BST",
		"He speaks English, French and German fluently.",
		"Español Español Deutsch Deutsch English English.",
		"Read this article in English Español Français Deutsch Italiano Português Nederlands Polski Русский",
		"See our coverage in Sport Sport News News Opinion Opinion Culture Culture Travel Travel",
	}
	lines = append(lines, menus...)
	for _, m := range menus {
		words = append(words, strings.Fields(m)...)
	}
	words = append(words, "\u00a0", "—", "·", "|", "Ünïcödé", "A\tB", "x\u2009y", "\xff\xfe")
	r := rand.New(rand.NewPCG(3, 4))
	// Near the lines' thresholds: prose words, then language names or
	// pairs, in proportions either side of a menu's.
	var names []string
	for n := range languageNames {
		names = append(names, n, "("+n+")", n+",")
	}
	for range 20000 {
		var parts []string
		for range r.IntN(12) {
			parts = append(parts, words[r.IntN(len(words))])
		}
		for range 2 + r.IntN(20) {
			switch w := names[r.IntN(len(names))]; r.IntN(3) {
			case 0:
				parts = append(parts, w)
			case 1:
				parts = append(parts, w, w)
			default:
				parts = append(parts, words[r.IntN(len(words))], "·")
			}
		}
		lines = append(lines, strings.Join(parts, " "))
	}
	for range 20000 {
		n := 1 + r.IntN(30)
		if r.IntN(4) == 0 {
			n = 1 + r.IntN(100)
		}
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString([]string{" ", " ", " ", "  ", "\t", " | ", "\u00a0"}[r.IntN(7)])
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		lines = append(lines, b.String())
	}
	return lines
}

func TestLineChecksMatchPlainVersions(t *testing.T) {
	for _, line := range equivalenceLines(t) {
		key := lineKeyPlain(line)
		if got := LineKey(line); got != key {
			t.Fatalf("LineKey(%q) = %q, want %q", line, got, key)
		}
		if got, want := isDateish(key), isDateishPlain(key); got != want {
			t.Fatalf("isDateish(%q) = %v, want %v", key, got, want)
		}
		if got, want := isDateish(line), isDateishPlain(line); got != want {
			t.Fatalf("isDateish(%q) = %v, want %v", line, got, want)
		}
		if got, want := isLanguageMenu(line, key), isLanguageMenuPlain(line, key); got != want {
			t.Fatalf("isLanguageMenu(%q) = %v, want %v", key, got, want)
		}
	}
}
