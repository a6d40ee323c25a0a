package qa

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/storybot/storybot/retrieval"
)

// Set is a question set with the articles it is asked of: a folder holding
// articles.jsonl (id, title, text, url, outlet) and questions.jsonl.
type Set struct {
	Name      string
	Dir       string
	Questions []Question
	// Titles maps an article id of articles.jsonl to its title: a
	// question's src names articles by id, citations carry titles.
	Titles map[string]string
}

// ReadSet reads a set's questions and article titles, not its texts.
func ReadSet(dir string) (*Set, error) {
	qs, err := ReadQuestions(filepath.Join(dir, "questions.jsonl"))
	if err != nil {
		return nil, err
	}
	titles, err := ArticleTitles(filepath.Join(dir, "articles.jsonl"))
	if err != nil {
		return nil, err
	}
	return &Set{Name: filepath.Base(filepath.Clean(dir)), Dir: dir, Questions: qs, Titles: titles}, nil
}

// ArticleTitles maps the ids of a JSON Lines article file to their titles.
func ArticleTitles(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("article file: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		var a struct{ ID, Title string }
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out[a.ID] = a.Title
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// SrcTitles returns the titles of the articles a question names as its
// sources.
func (s *Set) SrcTitles(q Question) map[string]bool {
	out := map[string]bool{}
	for _, id := range q.Src {
		if t, ok := s.Titles[id]; ok {
			out[t] = true
		}
	}
	return out
}

// Index ingests the set's articles into a fresh in-memory index, the way
// `storybot ingest` cleans and chunks them.
func (s *Set) Index(ctx context.Context) (*retrieval.Index, error) {
	path := filepath.Join(s.Dir, "articles.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("article file: %w", err)
	}
	docs, err := retrieval.Parse(path, data, retrieval.LoadOptions{MaxBytes: int64(len(data)) + 1})
	if err != nil && len(docs) == 0 {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ix := retrieval.NewIndex()
	ing := &retrieval.Ingester{Store: discard{}, Index: ix}
	sum := ing.Ingest(ctx, docs)
	if n := sum.Count(retrieval.Failed); n > 0 && n == len(docs) {
		return nil, fmt.Errorf("%s: no article could be ingested", path)
	}
	return ix, nil
}

// discard is a store that keeps nothing: the index alone is enough to ask
// a set's questions.
type discard struct{}

func (discard) Put(context.Context, *retrieval.Article) error { return nil }
func (discard) Get(context.Context, string) (*retrieval.Article, error) {
	return nil, retrieval.ErrNotFound
}
func (discard) List(context.Context) ([]*retrieval.Article, error) { return nil, nil }
func (discard) Delete(context.Context, string) error               { return nil }
func (discard) Close() error                                       { return nil }
