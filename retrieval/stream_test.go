package retrieval_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// genText makes an article of n paragraphs of made-up words: articles made
// with different seeds share no phrases.
func genText(seed uint64, paragraphs int) string {
	r := rand.New(rand.NewPCG(seed, 7))
	word := func() string {
		const letters = "abcdefghijklmnoprstuvw"
		n := 3 + r.IntN(6)
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	var paras []string
	for range paragraphs {
		var sents []string
		for range 3 + r.IntN(3) {
			ws := []string{strings.ToUpper(word()[:1]) + word()}
			for range 8 + r.IntN(10) {
				ws = append(ws, word())
			}
			sents = append(sents, strings.Join(ws, " ")+".")
		}
		paras = append(paras, strings.Join(sents, " "))
	}
	return strings.Join(paras, "\n\n")
}

// writeJSONL writes lines to a gzip-compressed JSON Lines file.
func writeJSONL(t *testing.T, name string, lines []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, l := range lines {
		fmt.Fprintln(zw, l)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func record(t *testing.T, url, title, text string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"url": url, "title": title, "text": text})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// archive returns n generated records, with a bad one on line bad (1-based;
// 0 for none).
func archive(t *testing.T, n, bad int) []string {
	var lines []string
	for i := 1; i <= n; i++ {
		if i == bad {
			lines = append(lines, `{"title": "cut off", "text": "the export stopped mid-rec`)
			continue
		}
		lines = append(lines, record(t, fmt.Sprintf("https://news.example/%d", i), fmt.Sprintf("Story %d", i), genText(uint64(i), 4)))
	}
	return lines
}

func TestStreamSkipsBadRecordAndImportsTheRest(t *testing.T) {
	f := newFixture(t)
	path := writeJSONL(t, "export.jsonl.gz", archive(t, 40, 17))
	recs, err := retrieval.OpenRecords(path, retrieval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer recs.Close()
	var failed []retrieval.Result
	tot, err := f.ing.IngestStream(context.Background(), recs.Next, retrieval.StreamOptions{
		Batch: 8,
		Result: func(r retrieval.Result) {
			if r.Outcome == retrieval.Failed {
				failed = append(failed, r)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if tot.New != 39 || tot.Failed != 1 || tot.Done() != 40 {
		t.Fatalf("totals %+v, want 39 new and 1 failed", tot)
	}
	if len(failed) != 1 || !strings.Contains(failed[0].Err.Error(), path+":17") || !strings.Contains(failed[0].Err.Error(), "invalid JSON") {
		t.Fatalf("failures %v, want one naming %s:17 and why", failed, path)
	}
	stored, err := f.store.List(context.Background())
	if err != nil || len(stored) != 39 || f.index.Len() != 39 {
		t.Fatalf("store holds %d (%v), index %d; want 39", len(stored), err, f.index.Len())
	}
	// Records keep their line as source: line 18 is after the bad one.
	if a := f.index.Get(retrieval.ArticleID("https://news.example/18")); a == nil || a.Source != path+"#18" {
		t.Errorf("record on line 18: %+v", a)
	}
}

func TestStreamRecordSizeLimit(t *testing.T) {
	big := record(t, "https://news.example/big", "Big", strings.Repeat(genText(99, 1)+"\n\n", 40))
	small := record(t, "https://news.example/small", "Small", genText(98, 2))
	path := writeJSONL(t, "sized.jsonl.gz", []string{small, big, small})
	recs, err := retrieval.OpenRecords(path, retrieval.LoadOptions{MaxBytes: 8 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer recs.Close()
	var docs []retrieval.Document
	var errs []error
	for {
		d, err := recs.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		docs = append(docs, d)
	}
	if len(docs) != 2 || len(errs) != 1 {
		t.Fatalf("%d documents, errors %v; want 2 and one error", len(docs), errs)
	}
	if !errors.Is(errs[0], retrieval.ErrInputTooLarge) || !strings.Contains(errs[0].Error(), path+":2") || !strings.Contains(errs[0].Error(), "over the 8 KiB limit") {
		t.Errorf("error %q does not name line 2 and the limit", errs[0])
	}
	// The file as a whole is far over the limit: only records count.
	if fi, _ := os.Stat(path); recs.Read() != fi.Size() {
		t.Errorf("read %d of %d bytes", recs.Read(), fi.Size())
	}
}

func TestStreamResumesAfterInterruption(t *testing.T) {
	f := newFixture(t)
	path := writeJSONL(t, "export.jsonl.gz", archive(t, 60, 0))
	// run ingests the file, canceling (Ctrl-C) once cancelAfter articles
	// are stored.
	run := func(ctx context.Context, cancelAfter int, cancel func()) (retrieval.Totals, error) {
		t.Helper()
		recs, err := retrieval.OpenRecords(path, retrieval.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer recs.Close()
		stored := 0
		ing := &retrieval.Ingester{Store: f.store, Index: f.index}
		return ing.IngestStream(ctx, recs.Next, retrieval.StreamOptions{Batch: 8, Written: func(arts []*retrieval.Article) {
			if stored += len(arts); stored >= cancelAfter && cancel != nil {
				cancel()
			}
		}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	first, err := run(ctx, 16, cancel)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v", err)
	}
	stored, _ := f.store.List(context.Background())
	if len(stored) == 0 || len(stored)%8 != 0 || len(stored) >= 60 || len(stored) != first.New || f.index.Len() != len(stored) {
		t.Fatalf("after the interruption the store holds %d, the index %d, totals %+v: want whole batches of 8, as counted", len(stored), f.index.Len(), first)
	}
	if first.Failed != 0 || first.Interrupted == 0 {
		t.Errorf("interrupted totals %+v: nothing failed, some were interrupted", first)
	}

	second, err := run(context.Background(), -1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Unchanged != len(stored) || second.New != 60-len(stored) || second.Cleaned != second.New {
		t.Fatalf("re-run totals %+v: want the %d stored unchanged and not cleaned again, the rest new", second, len(stored))
	}
	if all, _ := f.store.List(context.Background()); len(all) != 60 {
		t.Fatalf("store holds %d after the re-run, want 60", len(all))
	}
}
