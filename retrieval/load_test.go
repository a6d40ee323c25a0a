package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func loadTestdata(t *testing.T, name string) (string, []byte) {
	t.Helper()
	p := filepath.Join("..", "testdata", "load", name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, b
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// inputErrors returns the InputErrors err joins, keyed by Source.
func inputErrors(t *testing.T, errs ...error) map[string]*InputError {
	t.Helper()
	out := map[string]*InputError{}
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("error %v (%T) is not an *InputError", err, err)
			return
		}
		out[ie.Source] = ie
	}
	for _, e := range errs {
		walk(e)
	}
	return out
}

func TestInputErrorFormat(t *testing.T) {
	err := error(&InputError{Source: "a.txt", Reason: "file is empty", Err: ErrEmptyInput})
	if got, want := err.Error(), "a.txt: file is empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrEmptyInput) {
		t.Error("errors.Is(err, ErrEmptyInput) = false")
	}
}

func TestParseText(t *testing.T) {
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	tests := []struct {
		name, file, in string
		opt            LoadOptions
		want           Document
	}{
		{
			name: "title line and body",
			file: "story.txt",
			in:   "Council passes budget\n\nThe council approved the budget.\n",
			want: Document{Source: "story.txt", Key: abs("story.txt"), Title: "Council passes budget", Collection: "published", Text: "The council approved the budget."},
		},
		{
			name: "defaults from options",
			file: "story.txt",
			in:   "Council passes budget\r\n\r\nThe council approved the budget.\r\n",
			opt:  LoadOptions{Outlet: "City News", URL: "https://news.example.com/x#frag", Collection: "metro", Published: mustTime(t, "2020-01-14T00:00:00Z")},
			want: Document{Source: "story.txt", Key: "https://news.example.com/x", URL: "https://news.example.com/x#frag", Title: "Council passes budget", Outlet: "City News", Collection: "metro", Published: mustTime(t, "2020-01-14T00:00:00Z"), Text: "The council approved the budget."},
		},
		{
			name: "byte order mark",
			file: "bom.txt",
			in:   "\ufeffTitle here\n\nBody text.",
			want: Document{Source: "bom.txt", Key: abs("bom.txt"), Title: "Title here", Collection: "published", Text: "Body text."},
		},
		{
			name: "no title line: sentence broken across lines",
			file: "broken.txt",
			in:   "The chief for the candidate for mayor\n\nJane Doe’s\n\ncampaign has resigned, aides said.\n\nMore text.",
			want: Document{Source: "broken.txt", Key: abs("broken.txt"), Title: "The chief for the candidate for mayor Jane Doe’s campaign has resigned, aides said", Collection: "published",
				Text: "The chief for the candidate for mayor\n\nJane Doe’s\n\ncampaign has resigned, aides said.\n\nMore text."},
		},
		{
			name: "markdown heading and syntax",
			file: "story.md",
			in:   "# Council passes budget\n\nThe council **approved** the [budget](https://x.example/b) on *Tuesday*. ![img](a.png)\n\n> Repairs start in March.\n",
			want: Document{Source: "story.md", Key: abs("story.md"), Title: "Council passes budget", Collection: "published", Text: "The council approved the budget on Tuesday. \n\nRepairs start in March."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.file, []byte(tt.in), tt.opt)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff([]Document{tt.want}, docs); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMarkdownFrontMatter(t *testing.T) {
	p, b := loadTestdata(t, "note.md")
	docs, err := Parse(p, b, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	want := Document{
		Source: p, Key: "https://news.example.com/budget-md", URL: "https://news.example.com/budget-md",
		Title: "Council passes budget", Author: "Jane Doe", Outlet: "City News", Collection: "published",
		Published: mustTime(t, "2020-01-14T00:00:00Z"),
	}
	if diff := cmp.Diff(want, d, cmpopts.IgnoreFields(Document{}, "Text")); diff != "" {
		t.Errorf("metadata mismatch (-want +got):\n%s", diff)
	}
	for _, s := range []string{"The council approved the budget on Tuesday.", "Repairs start in March, the mayor said."} {
		if !strings.Contains(d.Text, s) {
			t.Errorf("text %q lacks %q", d.Text, s)
		}
	}
	for _, s := range []string{"**", "](", "![", "> ", "author:"} {
		if strings.Contains(d.Text, s) {
			t.Errorf("text %q still holds markdown %q", d.Text, s)
		}
	}
}

func TestParseLegacyEncoding(t *testing.T) {
	p, b := loadTestdata(t, "cp1252.txt")
	docs, err := Parse(p, b, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := docs[0].Title, "Café owners cheer new “rules”"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if got, want := docs[0].Text, "The council’s vote passed on Tuesday."; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
}

func TestParseHTML(t *testing.T) {
	p, b := loadTestdata(t, "article.html")
	docs, err := Parse(p, b, LoadOptions{Outlet: "Ignored Outlet", Collection: "metro"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	d := docs[0]
	want := Document{
		Source:     p,
		Key:        "https://news.example.com/2020/01/16/buttigieg-cyber-chief",
		URL:        "https://news.example.com/2020/01/16/buttigieg-cyber-chief?utm_source=x#top",
		Title:      "Buttigieg’s cybersecurity chief leaves campaign",
		Outlet:     "Example Times",
		Author:     "Jane Reporter",
		Collection: "metro",
		Published:  mustTime(t, "2020-01-16T17:30:00Z"),
	}
	if diff := cmp.Diff(want, d, cmpopts.IgnoreFields(Document{}, "Text")); diff != "" {
		t.Errorf("metadata mismatch (-want +got):\n%s", diff)
	}
	paras := strings.Split(Clean(d.Text, CleanOptions{Title: d.Title}), "\n\n")
	if len(paras) != 4 {
		t.Errorf("cleaned text has %d paragraphs, want 4:\n%s", len(paras), d.Text)
	}
	if !strings.HasPrefix(paras[0], "The top cybersecurity official") {
		t.Errorf("first paragraph = %q", paras[0])
	}
	for _, s := range []string{"do not index me", "color: red", "Another story entirely", "Politics", "All Rights Reserved"} {
		if strings.Contains(d.Text, s) {
			t.Errorf("text holds page chrome %q:\n%s", s, d.Text)
		}
	}
}

func TestParseHTMLCharset(t *testing.T) {
	page := "<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head><body><article>" +
		strings.Repeat("<p>The caf\xe9\x92s owners said the \x93new rules\x94 would help business on the main street this year.</p>", 4) +
		"</article></body></html>"
	docs, err := Parse("page.html", []byte(page), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(docs[0].Text, "The café’s owners said the “new rules”") {
		t.Errorf("text not decoded from windows-1252: %q", docs[0].Text)
	}
}

func TestParseJSONL(t *testing.T) {
	p, b := loadTestdata(t, "article.jsonl")
	abs, _ := filepath.Abs(p)
	docs, err := Parse(p, b, LoadOptions{Collection: "wire"})
	want := []Document{
		{
			Source: p + "#1", Key: "https://news.example.com/budget", URL: "https://news.example.com/budget#comments",
			Title: "Council passes budget", Outlet: "City News", Author: "Jane Doe", Collection: "metro",
			Published: mustTime(t, "2020-01-14T09:30:00-05:00"), Text: "The council approved the budget on Tuesday.\n\nRepairs start in March.",
		},
		{
			Source: p + "#2", Key: "https://news.example.com/signed?id=7", URL: "https://news.example.com/signed?utm_source=rss&id=7",
			Title: "Mayor signs budget", Outlet: "City News", Author: "Jane Doe, John Roe", Collection: "wire",
			Published: mustTime(t, "2020-01-17T00:00:00Z"), Text: "The mayor signed the budget on Friday.",
		},
		{
			Source: p + "#6", Key: abs + "#6", Title: "Library hours", Collection: "wire",
			Published: time.Unix(1579000000, 0).UTC(), Text: "The library will open on Sundays.\n\nIt starts in May.",
		},
	}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("documents mismatch (-want +got):\n%s", diff)
	}
	errs := inputErrors(t, err)
	wantErrs := map[string]string{
		p + ":3": "invalid JSON",
		p + ":4": "record has no text",
		p + ":7": "record is a JSON array, not an object",
		p + ":8": `published: cannot parse date "next Tuesday"`,
	}
	if len(errs) != len(wantErrs) {
		t.Errorf("got errors %v, want %d", err, len(wantErrs))
	}
	for src, reason := range wantErrs {
		e, ok := errs[src]
		if !ok {
			t.Errorf("no error for %s (errors: %v)", src, err)
			continue
		}
		if !strings.Contains(e.Reason, reason) {
			t.Errorf("%s: reason %q, want it to contain %q", src, e.Reason, reason)
		}
	}
	if e := errs[p+":4"]; e != nil && !errors.Is(e, ErrNoArticleText) {
		t.Errorf("missing-text error does not wrap ErrNoArticleText: %v", e)
	}
}

func TestParseJSON(t *testing.T) {
	p, b := loadTestdata(t, "articles.json")
	abs, _ := filepath.Abs(p)
	docs, err := Parse(p, b, LoadOptions{})
	want := []Document{
		{Source: p + "#1", Key: "https://news.example.com/first", URL: "https://news.example.com/first", Title: "First", Collection: "published", Text: "The first article text."},
		{Source: p + "#2", Key: abs + "#2", Title: "Second", Collection: "published", Published: mustTime(t, "2020-01-15T00:00:00Z"), Text: "The second article text."},
	}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("documents mismatch (-want +got):\n%s", diff)
	}
	errs := inputErrors(t, err)
	if e := errs[p+"#3"]; e == nil || !strings.Contains(e.Reason, "record has no text") {
		t.Errorf("want a no-text error for %s#3, got %v", p, err)
	}

	single := `{"headline": "Only", "body": "One object.", "site": "City News"}`
	docs, err = Parse("one.json", []byte(single), LoadOptions{URL: "https://news.example.com/one"})
	if err != nil {
		t.Fatal(err)
	}
	wantOne := []Document{{Source: "one.json", Key: "https://news.example.com/one", URL: "https://news.example.com/one", Title: "Only", Outlet: "City News", Collection: "published", Text: "One object."}}
	if diff := cmp.Diff(wantOne, docs); diff != "" {
		t.Errorf("single object mismatch (-want +got):\n%s", diff)
	}
}

func TestParseBadInput(t *testing.T) {
	_, broken := loadTestdata(t, "broken.json")
	_, emptyHTML := loadTestdata(t, "empty-article.html")
	tests := []struct {
		name, file string
		data       []byte
		reason     string
		sentinel   error
	}{
		{"empty", "a.txt", nil, "file is empty", ErrEmptyInput},
		{"only whitespace", "a.md", []byte(" \n\t\n"), "file is empty", ErrEmptyInput},
		{"NUL bytes", "a.txt", []byte("PK\x03\x04\x00\x00binary"), "looks binary", ErrBinaryInput},
		{"invalid UTF-8 majority", "a.html", []byte("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\x81\x82ab"), "looks binary", ErrBinaryInput},
		{"title only", "a.txt", []byte("Just a title\n"), "no article text", ErrNoArticleText},
		{"HTML without text", "a.html", emptyHTML, "no extractable article text", ErrNoArticleText},
		{"JSON syntax error", "a.json", broken, "invalid JSON at line 3, column 22", nil},
		{"JSON scalar", "a.json", []byte(`"text"`), "want an object or an array of objects", nil},
		{"JSON empty array", "a.json", []byte(`[]`), "holds no records", ErrEmptyInput},
		{"JSON bad url", "a.json", []byte(`{"text": "x", "url": "javascript:alert(1)"}`), "is not an http(s) URL", nil},
		{"unsupported extension", "a.pdf", []byte("%PDF"), `unsupported file type ".pdf"`, ErrUnsupportedInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.file, tt.data, LoadOptions{})
			if len(docs) != 0 {
				t.Errorf("got %d documents, want none", len(docs))
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *InputError", err)
			}
			if ie.Source != tt.file {
				t.Errorf("Source = %q, want %q", ie.Source, tt.file)
			}
			if !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to contain %q", ie.Reason, tt.reason)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.sentinel)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2020-01-14T09:30:00Z", "2020-01-14T09:30:00Z"},
		{"2020-01-14T09:30:00.123-05:00", "2020-01-14T14:30:00.123Z"},
		{"2020-01-14T09:30:00+0100", "2020-01-14T08:30:00Z"},
		{"2020-01-14 09:30:00", "2020-01-14T09:30:00Z"},
		{"2020-01-14", "2020-01-14T00:00:00Z"},
		{"2020/01/14", "2020-01-14T00:00:00Z"},
		{"Tue, 14 Jan 2020 09:30:00 GMT", "2020-01-14T09:30:00Z"},
		{"Tue, 14 Jan 2020 09:30:00 +0000", "2020-01-14T09:30:00Z"},
		{"January 14, 2020", "2020-01-14T00:00:00Z"},
		{"Jan. 14, 2020", "2020-01-14T00:00:00Z"},
		{"Sept. 4, 2020", "2020-09-04T00:00:00Z"},
		{"14 January 2020", "2020-01-14T00:00:00Z"},
		{"January 14, 2020 3:04 p.m.", "2020-01-14T15:04:00Z"},
		{"1579000000", "2020-01-14T11:06:40Z"},
		{"1579000000000", "2020-01-14T11:06:40Z"},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in)
		if err != nil {
			t.Errorf("parseDate(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(mustTime(t, tt.want)) {
			t.Errorf("parseDate(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "next Tuesday", "2020-13-45", "12"} {
		if _, err := parseDate(bad); err == nil {
			t.Errorf("parseDate(%q) succeeded, want an error", bad)
		}
	}
}

// writeFiles creates files under dir; a nil content makes a directory.
func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	_, html := loadTestdata(t, "article.html")
	writeFiles(t, dir, map[string][]byte{
		"a.txt":                []byte("Alpha title\n\nAlpha body."),
		"sub/b.md":             []byte("# Beta title\n\nBeta body."),
		"sub/deeper/c.html":    html,
		"d.jsonl":              []byte("{\"title\":\"Delta\",\"text\":\"Delta body.\"}\nnot json\n"),
		"e.txt":                []byte("Echo title\n\nEcho body."),
		"e.txt.meta.json":      []byte(`{"title": "Echo from sidecar", "outlet": "City News", "author": "Jane Doe", "url": "https://news.example.com/echo", "published": "2020-01-14", "collection": "metro"}`),
		"f.txt":                []byte("Foxtrot title\n\nFoxtrot body."),
		"f.meta.json":          []byte(`{"collection": "restricted", "colection": "typo"}`),
		".hidden.txt":          []byte("Hidden\n\nSkipped."),
		".git/config.txt":      []byte("Hidden dir\n\nSkipped."),
		"notes.pdf":            []byte("%PDF-1.4"),
		"image.png":            []byte("\x89PNG\r\n\x1a\n\x00\x00"),
		"empty.txt":            nil,
		"binary.txt":           []byte("abc\x00def"),
		"sub/deeper/big.txt":   []byte(strings.Repeat("x", 5000)),
		"sub/deeper/small.txt": []byte("Small\n\nSmall body."),
	})
	docs, errs := Load(context.Background(), dir, LoadOptions{MaxBytes: 4096, Collection: "default-coll", URL: "https://ignored.example.com/"})

	var got []string
	byName := map[string]Document{}
	for _, d := range docs {
		rel, _ := filepath.Rel(dir, strings.SplitN(d.Source, "#", 2)[0])
		got = append(got, rel)
		byName[rel] = d
	}
	want := []string{"a.txt", "d.jsonl", "e.txt", "sub/b.md", "sub/deeper/c.html", "sub/deeper/small.txt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loaded files mismatch (-want +got):\n%s", diff)
	}

	a := byName["a.txt"]
	if a.Source != filepath.Join(dir, "a.txt") || a.Key != filepath.Join(dir, "a.txt") || a.Collection != "default-coll" || a.URL != "" {
		t.Errorf("a.txt loaded as %+v", a)
	}
	wantEcho := Document{
		Source: filepath.Join(dir, "e.txt"), Key: "https://news.example.com/echo", URL: "https://news.example.com/echo",
		Title: "Echo from sidecar", Outlet: "City News", Author: "Jane Doe", Collection: "metro",
		Published: mustTime(t, "2020-01-14T00:00:00Z"), Text: "Echo body.",
	}
	if diff := cmp.Diff(wantEcho, byName["e.txt"]); diff != "" {
		t.Errorf("sidecar not applied (-want +got):\n%s", diff)
	}
	if byName["sub/b.md"].Title != "Beta title" {
		t.Errorf("markdown title = %q", byName["sub/b.md"].Title)
	}

	gotErrs := inputErrors(t, errs...)
	wantErrs := map[string]string{
		filepath.Join(dir, "d.jsonl") + ":2":     "invalid JSON",
		filepath.Join(dir, "f.meta.json"):        `unknown field "colection"`,
		filepath.Join(dir, "empty.txt"):          "file is empty",
		filepath.Join(dir, "binary.txt"):         "looks binary",
		filepath.Join(dir, "sub/deeper/big.txt"): "file is 4.9 KiB, over the 4 KiB limit",
	}
	var srcs []string
	for s := range gotErrs {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	if len(gotErrs) != len(wantErrs) {
		t.Errorf("got errors for %v, want %d errors", srcs, len(wantErrs))
	}
	for src, reason := range wantErrs {
		if e := gotErrs[src]; e == nil || !strings.Contains(e.Reason, reason) {
			t.Errorf("error for %s = %v, want reason containing %q", src, e, reason)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"report.pdf":         []byte("%PDF"),
		"ok.txt":             []byte("Title\n\nBody."),
		"ok.txt.meta.json":   []byte(`{"title": "x"}`),
		"bad.txt":            []byte("Title\n\nBody."),
		"bad.txt.meta.json":  []byte(`{"title": "x",}`),
		"date.txt":           []byte("Title\n\nBody."),
		"date.txt.meta.json": []byte(`{"published": "someday"}`),
	})
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(12897485); err != nil { // 12.3 MiB, sparse
		t.Fatal(err)
	}
	f.Close()

	tests := []struct {
		name, input, source, reason string
		sentinel                    error
	}{
		{"missing", filepath.Join(dir, "nope.txt"), filepath.Join(dir, "nope.txt"), "no such file or directory", fs.ErrNotExist},
		{"unsupported named file", filepath.Join(dir, "report.pdf"), filepath.Join(dir, "report.pdf"), `unsupported file type ".pdf"`, ErrUnsupportedInput},
		{"sidecar named", filepath.Join(dir, "ok.txt.meta.json"), filepath.Join(dir, "ok.txt.meta.json"), "metadata sidecar", ErrUnsupportedInput},
		{"over the limit", big, big, "file is 12.3 MiB, over the 10 MiB limit", ErrInputTooLarge},
		{"bad sidecar JSON", filepath.Join(dir, "bad.txt"), filepath.Join(dir, "bad.txt.meta.json"), "invalid metadata sidecar", nil},
		{"bad sidecar date", filepath.Join(dir, "date.txt"), filepath.Join(dir, "date.txt.meta.json"), `published: cannot parse date "someday"`, nil},
		{"other scheme", "ftp://example.com/a.txt", "ftp://example.com/a.txt", `unsupported URL scheme "ftp"`, ErrUnsupportedInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := Load(context.Background(), tt.input, LoadOptions{})
			if len(docs) != 0 || len(errs) != 1 {
				t.Fatalf("got %d docs and errors %v, want one error", len(docs), errs)
			}
			var ie *InputError
			if !errors.As(errs[0], &ie) {
				t.Fatalf("error %v is not an *InputError", errs[0])
			}
			if ie.Source != tt.source || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("got %q, want source %q and reason containing %q", ie.Error(), tt.source, tt.reason)
			}
			if tt.sentinel != nil && !errors.Is(ie, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", ie, tt.sentinel)
			}
		})
	}

	t.Run("unreadable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads files whatever their mode")
		}
		p := filepath.Join(dir, "secret.txt")
		writeFiles(t, dir, map[string][]byte{"secret.txt": []byte("Title\n\nBody.")})
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		_, errs := Load(context.Background(), p, LoadOptions{})
		if len(errs) != 1 || errs[0].Error() != p+": permission denied" || !errors.Is(errs[0], fs.ErrPermission) {
			t.Errorf("errors = %v, want %q", errs, p+": permission denied")
		}
	})

	t.Run("linked folder", func(t *testing.T) {
		inner := t.TempDir()
		writeFiles(t, inner, map[string][]byte{"a.txt": []byte("Title\n\nBody.")})
		link := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(inner, link); err != nil {
			t.Skip("no symlinks:", err)
		}
		docs, errs := Load(context.Background(), link, LoadOptions{})
		if len(errs) != 0 || len(docs) != 1 || docs[0].Source != filepath.Join(link, "a.txt") {
			t.Errorf("docs %+v, errors %v; want %s", docs, errs, filepath.Join(link, "a.txt"))
		}
	})

	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		docs, errs := Load(ctx, dir, LoadOptions{})
		if len(docs) != 0 || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Errorf("got %d docs, errors %v; want one canceled error", len(docs), errs)
		}
	})

	t.Run("single file with sidecar and URL flag", func(t *testing.T) {
		docs, errs := Load(context.Background(), filepath.Join(dir, "ok.txt"), LoadOptions{URL: "https://news.example.com/ok"})
		if len(errs) != 0 || len(docs) != 1 {
			t.Fatalf("docs %v errors %v", docs, errs)
		}
		if d := docs[0]; d.Title != "x" || d.URL != "https://news.example.com/ok" || d.Key != "https://news.example.com/ok" {
			t.Errorf("got %+v", d)
		}
	})
}

// newSite serves the pages the URL tests fetch.
func newSite(t *testing.T) *httptest.Server {
	t.Helper()
	_, page := loadTestdata(t, "article.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "" {
			t.Error("fetch sent no User-Agent")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/plain", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "Plain title\n\nPlain body text.")
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write(page)
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("/file.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte("<rss></rss>"))
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(strings.Repeat("<p>word</p>", 500)))
	})
	mux.HandleFunc("/sized", func(w http.ResponseWriter, r *http.Request) {
		body := strings.Repeat("<p>word</p>", 500)
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write([]byte(body))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestLoadURL(t *testing.T) {
	srv := newSite(t)
	tests := []struct {
		name, path string
		opt        LoadOptions
		timeout    time.Duration
		reason     string
		sentinel   error
		check      func(t *testing.T, d Document)
	}{
		{name: "HTML article", path: "/story", check: func(t *testing.T, d Document) {
			// The relative canonical link resolves against the page's own URL.
			if d.Key != srv.URL+"/2020/01/16/buttigieg-cyber-chief" || d.Title != "Buttigieg’s cybersecurity chief leaves campaign" || d.Outlet != "Example Times" {
				t.Errorf("got %+v", d)
			}
			if !strings.Contains(d.Text, "retained a new security firm") || !strings.Contains(d.Text, "\n\n") {
				t.Errorf("text = %q", d.Text)
			}
		}},
		{name: "untyped HTML is sniffed", path: "/untyped", check: func(t *testing.T, d Document) {
			if d.Title != "Buttigieg’s cybersecurity chief leaves campaign" {
				t.Errorf("title = %q", d.Title)
			}
		}},
		{name: "redirect to plain text", path: "/old", opt: LoadOptions{Outlet: "Wire"}, check: func(t *testing.T, d Document) {
			if d.Key != srv.URL+"/plain" || d.URL != srv.URL+"/plain" || d.Title != "Plain title" || d.Text != "Plain body text." || d.Outlet != "Wire" {
				t.Errorf("got %+v", d)
			}
		}},
		{name: "404", path: "/missing", reason: "HTTP 404 Not Found"},
		{name: "500", path: "/broken", reason: "HTTP 500 Internal Server Error"},
		{name: "wrong content type", path: "/file.pdf", reason: `unsupported content type "application/pdf"`, sentinel: ErrUnsupportedInput},
		{name: "feed is not an article", path: "/feed", reason: `unsupported content type "application/rss+xml"`, sentinel: ErrUnsupportedInput},
		{name: "over the limit", path: "/huge", opt: LoadOptions{MaxBytes: 1000}, reason: "response is over the 1000 bytes limit", sentinel: ErrInputTooLarge},
		{name: "declared over the limit", path: "/sized", opt: LoadOptions{MaxBytes: 1000}, reason: "response is 5.4 KiB, over the 1000 bytes limit", sentinel: ErrInputTooLarge},
		{name: "empty body", path: "/empty", reason: "response is empty", sentinel: ErrEmptyInput},
		{name: "slow: context deadline", path: "/slow", timeout: 200 * time.Millisecond, reason: "timed out fetching the page", sentinel: context.DeadlineExceeded},
		{name: "slow: client timeout", path: "/slow", opt: LoadOptions{HTTPClient: &http.Client{Timeout: 200 * time.Millisecond}}, reason: "timed out fetching the page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			url := srv.URL + tt.path
			docs, errs := Load(ctx, url, tt.opt)
			if tt.check != nil {
				if len(errs) != 0 || len(docs) != 1 {
					t.Fatalf("got %d docs, errors %v", len(docs), errs)
				}
				if docs[0].Source != url {
					t.Errorf("Source = %q, want %q", docs[0].Source, url)
				}
				tt.check(t, docs[0])
				return
			}
			if len(docs) != 0 || len(errs) != 1 {
				t.Fatalf("got %d docs, errors %v; want one error", len(docs), errs)
			}
			var ie *InputError
			if !errors.As(errs[0], &ie) || ie.Source != url || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("error = %v, want %s: …%s…", errs[0], url, tt.reason)
			}
			if tt.sentinel != nil && !errors.Is(errs[0], tt.sentinel) {
				t.Errorf("error %v does not wrap %v", errs[0], tt.sentinel)
			}
		})
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0 bytes"}, {1023, "1023 bytes"}, {2048, "2 KiB"}, {12897485, "12.3 MiB"}, {10 << 20, "10 MiB"}, {3 << 30, "3 GiB"}}
	for _, tt := range tests {
		if got := humanSize(tt.n); got != tt.want {
			t.Errorf("humanSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestMarkdownFrontMatterTitleKeepsTheLead(t *testing.T) {
	md := "---\ntitle: Council passes budget\n---\nThe council passed the budget on Tuesday after a long debate.\n\nThe mayor said it keeps taxes flat.\n"
	docs, err := Parse("story.md", []byte(md), LoadOptions{})
	if err != nil || len(docs) != 1 {
		t.Fatalf("parse: %v %d", err, len(docs))
	}
	if docs[0].Title != "Council passes budget" || !strings.Contains(docs[0].Text, "passed the budget on Tuesday") {
		t.Errorf("title %q, text %q", docs[0].Title, docs[0].Text)
	}
}
