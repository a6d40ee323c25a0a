package bench

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// ArchiveDir returns where the benchmarks look for the real news archive
// that ../shared/scripts/news-archive.py writes (articles.jsonl.gz and
// questions.jsonl): $STORYBOT_ARCHIVE. There is no default: the archive
// may not be kept in or beside the repository.
func ArchiveDir() string { return os.Getenv("STORYBOT_ARCHIVE") }

// archiveRecord is one line of articles.jsonl.gz.
type archiveRecord struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"`
}

// archiveQuestion is one line of questions.jsonl.
type archiveQuestion struct {
	Q    string   `json:"q"`
	Gold []string `json:"gold_article_ids"`
}

// LoadArchive reads the archive in dir: its articles as documents keyed by
// URL (as storybot ingest keys them), and its quiz questions as known
// items whose answer is any of the articles linked to the question. It
// returns ErrNoCorpus when dir is empty or holds no archive.
func LoadArchive(dir string) ([]retrieval.Document, []KnownItem, error) {
	if dir == "" {
		return nil, nil, fmt.Errorf("archive: STORYBOT_ARCHIVE not set: %w", ErrNoCorpus)
	}
	f, err := os.Open(filepath.Join(dir, "articles.jsonl.gz"))
	if err != nil {
		return nil, nil, fmt.Errorf("archive: %w: %w", ErrNoCorpus, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, fmt.Errorf("archive %s: %w", f.Name(), err)
	}
	var docs []retrieval.Document
	idOf := map[string]string{} // archive id -> storybot article id
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		var r archiveRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, nil, fmt.Errorf("archive %s:%d: %w", f.Name(), line, err)
		}
		key := r.URL
		if key == "" {
			key = r.ID
		}
		d := retrieval.Document{Source: key, Key: key, Title: r.Title, Text: r.Text, URL: r.URL, Outlet: r.Outlet}
		if t, err := time.Parse("2006-01-02", r.Published); err == nil {
			d.Published = t
		}
		docs = append(docs, d)
		idOf[r.ID] = retrieval.ArticleID(key)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("archive %s: %w", f.Name(), err)
	}
	qf, err := os.Open(filepath.Join(dir, "questions.jsonl"))
	if err != nil {
		return nil, nil, fmt.Errorf("archive: %w", err)
	}
	defer qf.Close()
	var items []KnownItem
	sc = bufio.NewScanner(qf)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var q archiveQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, nil, fmt.Errorf("archive %s:%d: %w", qf.Name(), line, err)
		}
		var ids []string
		for _, g := range q.Gold {
			if id, ok := idOf[g]; ok {
				ids = append(ids, id)
			}
		}
		if q.Q == "" || len(ids) == 0 {
			continue
		}
		items = append(items, KnownItem{Query: q.Q, ArticleID: ids[0], Also: ids[1:]})
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("archive %s: %w", qf.Name(), err)
	}
	return docs, items, nil
}
