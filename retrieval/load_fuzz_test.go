package retrieval

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
)

// addFiles adds the files matching pattern under testdata as fuzz seeds.
func addFiles(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		paths, _ := filepath.Glob(filepath.Join("..", "testdata", pattern))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

// checkParsed checks what every parser promises: documents carry a source,
// a key, a collection and valid UTF-8 text with something in it; failures
// are InputErrors.
func checkParsed(t *testing.T, docs []Document, err error) {
	t.Helper()
	for _, d := range docs {
		if d.Source == "" || d.Key == "" || d.Collection == "" {
			t.Fatalf("document lacks source, key or collection: %+v", d)
		}
		if !hasAlnum(d.Text) {
			t.Fatalf("document has no text: %+v", d)
		}
		if !utf8.ValidString(d.Text) || !utf8.ValidString(d.Title) {
			t.Fatalf("document is not valid UTF-8: %+v", d)
		}
		Clean(d.Text, CleanOptions{Title: d.Title})
	}
	if err != nil {
		for _, e := range inputErrorList(err) {
			if e.Source == "" || e.Reason == "" || !strings.HasPrefix(e.Error(), e.Source+": ") {
				t.Fatalf("bad InputError %#v", e)
			}
		}
	}
}

func inputErrorList(err error) []*InputError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*InputError
		for _, e := range j.Unwrap() {
			out = append(out, inputErrorList(e)...)
		}
		return out
	}
	if ie, ok := err.(*InputError); ok {
		return []*InputError{ie}
	}
	return []*InputError{{}} // not an InputError: fails the check
}

func FuzzParseText(f *testing.F) {
	addFiles(f, "clean/seeds/*.txt", "clean/*/in.txt", "load/*.txt", "load/*.md")
	f.Add([]byte("---\ntitle: x\ndate: 2020-01-01\n---\n# H\n\n**b** [l](u)"))
	f.Add([]byte("Title\n\n!!!"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.txt", "f.md"} {
			docs, err := Parse(name, data, LoadOptions{})
			checkParsed(t, docs, err)
		}
	})
}

func FuzzParseHTML(f *testing.F) {
	addFiles(f, "load/*.html")
	f.Add([]byte(`<html><head><link rel="canonical" href="//x/y"><meta property="og:url" content="http://a b"></head><body><p>Hi there.</p></body></html>`))
	f.Add([]byte(`<meta charset="shift_jis"><p>` + "\x82\xa0" + `</p>`))
	f.Add([]byte("! "))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Parse("f.html", data, LoadOptions{})
		checkParsed(t, docs, err)
	})
}

func FuzzParseJSONL(f *testing.F) {
	addFiles(f, "load/*.jsonl", "load/*.json")
	f.Add([]byte(`{"text":"a","published":1e300,"url":"http://%zz"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.jsonl", "f.json"} {
			docs, err := Parse(name, data, LoadOptions{})
			checkParsed(t, docs, err)
		}
	})
}

// FuzzRecords reads a file record by record, plain and gzip-compressed:
// every record is a document or an InputError naming the file, and the
// reading ends.
func FuzzRecords(f *testing.F) {
	addFiles(f, "load/*.jsonl")
	f.Add([]byte("{\"text\":\"a b\"}\n\n{\"text\":\"x\"\n\x1f\x8b"))
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(data)
		zw.Close()
		for i, content := range [][]byte{data, gz.Bytes()} {
			path := filepath.Join(t.TempDir(), fmt.Sprintf("f%d.jsonl", i))
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			recs, err := OpenRecords(path, LoadOptions{MaxBytes: 1 << 10})
			if err != nil {
				checkParsed(t, nil, err)
				continue
			}
			for n := 0; ; n++ {
				if n > len(data)+2 {
					t.Fatalf("more records than lines")
				}
				d, err := recs.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					checkParsed(t, nil, err)
					if !strings.HasPrefix(err.Error(), path) {
						t.Fatalf("error %q does not name the file", err)
					}
					continue
				}
				checkParsed(t, []Document{d}, nil)
			}
			recs.Close()
		}
	})
}
