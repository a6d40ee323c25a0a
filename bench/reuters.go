package bench

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// ReutersDir returns where the benchmarks look for the Reuters-21578
// corpus: $STORYBOT_REUTERS when set, else the shared data folder beside
// the work tree (../shared/data/reuters21578 from the module root).
func ReutersDir() string {
	if d := os.Getenv("STORYBOT_REUTERS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "data", "reuters21578")
}

// ErrNoCorpus is returned when a corpus folder is absent.
var ErrNoCorpus = errors.New("corpus not found")

var (
	reutersRe = regexp.MustCompile(`(?s)<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>`)
	titleRe   = regexp.MustCompile(`(?s)<TITLE>(.*?)</TITLE>`)
	bodyRe    = regexp.MustCompile(`(?s)<BODY>(.*?)</BODY>`)
)

// LoadReuters reads the Reuters-21578 corpus from dir: the reut2-*.sgm
// files of the distribution when present (articles with a title and a
// body), otherwise whatever retrieval.Load reads from the folder. It
// returns ErrNoCorpus when dir does not exist.
func LoadReuters(ctx context.Context, dir string) ([]retrieval.Document, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("reuters %s: %w", dir, ErrNoCorpus)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.sgm"))
	if err != nil {
		return nil, fmt.Errorf("reuters %s: %w", dir, err)
	}
	if len(files) == 0 {
		docs, errs := retrieval.Load(ctx, dir, retrieval.LoadOptions{})
		if len(docs) == 0 {
			return nil, fmt.Errorf("reuters %s: no documents: %w", dir, errors.Join(errs...))
		}
		return docs, nil
	}
	sort.Strings(files)
	var docs []retrieval.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reuters: %w", err)
		}
		docs = append(docs, ParseReutersSGML(filepath.Base(f), string(b))...)
	}
	return docs, nil
}

// ParseReutersSGML returns the articles of one reut2-*.sgm file that have
// both a title and a body.
func ParseReutersSGML(name, sgml string) []retrieval.Document {
	var docs []retrieval.Document
	for _, m := range reutersRe.FindAllStringSubmatch(sgml, -1) {
		id, rec := m[1], m[2]
		t := titleRe.FindStringSubmatch(rec)
		bd := bodyRe.FindStringSubmatch(rec)
		if t == nil || bd == nil {
			continue
		}
		title := strings.Join(strings.Fields(html.UnescapeString(t[1])), " ")
		body := html.UnescapeString(bd[1])
		body = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(body, "\x03", "")), "Reuter"))
		if title == "" || body == "" {
			continue
		}
		key := "reuters-" + id
		d := retrieval.Document{Source: name + "#" + id, Key: key, Title: title, Outlet: "Reuters", Text: reutersParagraphs(body)}
		docs = append(docs, d)
	}
	return docs
}

// reutersParagraphs turns the hard-wrapped Reuters body, whose paragraphs
// start with an indented line, into blank-line-separated paragraphs.
func reutersParagraphs(body string) string {
	var b strings.Builder
	for i, line := range strings.Split(body, "\n") {
		if i > 0 {
			if strings.HasPrefix(line, " ") {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(strings.TrimSpace(line))
	}
	return b.String()
}

// SampleTexts returns the texts whose words head the synthetic vocabulary:
// the repository's seed and test articles under root (the module root).
func SampleTexts(root string) ([]string, error) {
	var out []string
	for _, dir := range []string{"testdata/seeds", "testdata/articles"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.txt"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("samples: %w", err)
			}
			out = append(out, string(b))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("samples under %s: %w", root, ErrNoCorpus)
	}
	return out, nil
}
