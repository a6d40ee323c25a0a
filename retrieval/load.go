package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/klauspost/compress/gzip"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// LoadOptions carries metadata the user supplies for plain text (flags) and limits.
type LoadOptions struct {
	// Outlet, URL and Collection are defaults for documents lacking them.
	// URL is only applied when the input yields a single document: one URL
	// cannot name every file of a folder.
	Outlet, URL, Collection string
	// Published is the default publication time.
	Published time.Time
	// MaxBytes limits the size of each file or response; 0 means 10 MiB.
	MaxBytes int64
	// HTTPClient fetches URLs; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
}

// DefaultMaxBytes is the per-file size limit when LoadOptions.MaxBytes is 0.
const DefaultMaxBytes = 10 << 20

// fetchTimeout bounds a URL fetch made with the default client.
const fetchTimeout = 30 * time.Second

// Sentinels an InputError's Err may wrap, so callers can tell failures apart.
var (
	// ErrUnsupportedInput is reported for a file type or content type Load cannot read.
	ErrUnsupportedInput = errors.New("unsupported input")
	// ErrEmptyInput is reported for an empty file, response or record list.
	ErrEmptyInput = errors.New("empty input")
	// ErrBinaryInput is reported for data that is not text.
	ErrBinaryInput = errors.New("binary input")
	// ErrInputTooLarge is reported for a file or response over the size limit.
	ErrInputTooLarge = errors.New("input too large")
	// ErrNoArticleText is reported for a page or record holding no article text.
	ErrNoArticleText = errors.New("no article text")
)

// InputError names an input that could not be loaded and why. Error() is "<source>: <reason>".
type InputError struct {
	// Source is the path, path:line, path#record or URL that failed.
	Source string
	// Reason says what is wrong, in words for the user.
	Reason string
	// Err is the underlying error, if any, for errors.Is and errors.As.
	Err error
}

func (e *InputError) Error() string { return e.Source + ": " + e.Reason }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// Load reads a file, a folder (recursively, skipping hidden files/dirs and unsupported extensions
// silently — but an explicitly named file with an unsupported extension is an error) or an
// http(s) URL. It returns every document it could read and an *InputError for each input that
// failed; one bad file never stops the others.
//
// Files are read by extension (see Parse). A sidecar "<file>.meta.json" (or
// "<name>.meta.json" beside "<name>.txt") with the fields title, outlet,
// author, url, published and collection overrides what the file says; a
// sidecar that cannot be read fails its document rather than file it under
// the wrong collection. A URL is fetched and read as HTML or plain text by
// its content type.
func Load(ctx context.Context, input string, opt LoadOptions) ([]Document, []error) {
	if err := ctx.Err(); err != nil {
		return nil, []error{&InputError{Source: input, Reason: "canceled before loading", Err: err}}
	}
	if isURL(input) {
		return loadURL(ctx, input, opt)
	}
	if i := strings.Index(input, "://"); i > 0 && !strings.ContainsAny(input[:i], `/\.`) {
		return nil, []error{&InputError{Source: input, Reason: fmt.Sprintf("unsupported URL scheme %q (want http or https)", input[:i]), Err: ErrUnsupportedInput}}
	}
	fi, err := os.Stat(input)
	if err != nil {
		return nil, []error{fileError(input, err)}
	}
	if fi.IsDir() {
		return loadDir(ctx, input, opt)
	}
	if isSidecar(input) {
		return nil, []error{&InputError{Source: input, Reason: "is a metadata sidecar, not an article; name the article file it describes", Err: ErrUnsupportedInput}}
	}
	if format(input) == "" {
		return nil, []error{unsupportedFile(input)}
	}
	return loadFile(input, opt)
}

// Parse reads one document stream by its name's extension (.txt .md .html .htm .json .jsonl);
// used by Load and by the fuzz tests.
//
// Each document's Source is name (name#N for the N-th record of a JSON
// array or the record on line N of a JSON Lines file) and its Key is its URL
// when it has one, else the absolute path of name (plus "#N"). Every record
// that fails is reported in the returned error, which joins one *InputError
// per failure; the documents that loaded are returned beside it.
func Parse(name string, data []byte, opt LoadOptions) ([]Document, error) {
	f := format(name)
	if f == "" {
		return nil, unsupportedFile(name)
	}
	docs, errs := parseData(source{name: name, key: absPath(name), format: f}, data, opt)
	return docs, errors.Join(errs...)
}

// source describes where a stream came from.
type source struct {
	name    string   // Source of its documents: the path or URL as given
	key     string   // Key when the document has no URL: absolute path or final URL
	format  string   // "text", "markdown", "html", "json" or "jsonl"
	ctype   string   // HTTP Content-Type, for HTML character sets
	pageURL *url.URL // the fetched page, for URLs
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// format names the reader for a file name, or "" for unsupported files.
func format(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return "text"
	case ".md", ".markdown":
		return "markdown"
	case ".html", ".htm", ".xhtml":
		return "html"
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return ""
}

func unsupportedFile(name string) error {
	ext := filepath.Ext(name)
	what := fmt.Sprintf("unsupported file type %q", ext)
	if ext == "" {
		what = "unsupported file type (no extension)"
	}
	return &InputError{Source: name, Reason: what + " (want .txt, .md, .html, .htm, .json or .jsonl)", Err: ErrUnsupportedInput}
}

const sidecarSuffix = ".meta.json"

func isSidecar(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), sidecarSuffix)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

func maxBytes(opt LoadOptions) int64 {
	if opt.MaxBytes > 0 {
		return opt.MaxBytes
	}
	return DefaultMaxBytes
}

// fileError turns a file system error into an InputError with a short reason.
func fileError(name string, err error) *InputError {
	reason := err.Error()
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		reason = "permission denied"
	case errors.As(err, &pe):
		reason = pe.Err.Error()
	}
	return &InputError{Source: name, Reason: reason, Err: err}
}

// loadDir loads every supported file under root, in lexical order.
func loadDir(ctx context.Context, root string, opt LoadOptions) ([]Document, []error) {
	var docs []Document
	var errs []error
	opt.URL = "" // one URL cannot name every file of a folder
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a linked root; a trailing separator makes it.
		root += string(filepath.Separator)
	}
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			errs = append(errs, fileError(path, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if cerr := ctx.Err(); cerr != nil {
			errs = append(errs, &InputError{Source: path, Reason: "canceled before loading", Err: cerr})
			return fs.SkipAll
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || isSidecar(path) || format(path) == "" {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			if err != nil {
				errs = append(errs, fileError(path, err))
				return nil
			}
			if !fi.Mode().IsRegular() {
				return nil // a link to a folder is not followed
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		ds, es := loadFile(path, opt)
		docs = append(docs, ds...)
		errs = append(errs, es...)
		return nil
	})
	if walkErr != nil {
		errs = append(errs, fileError(root, walkErr))
	}
	return docs, errs
}

// loadFile reads one supported file and its sidecar.
func loadFile(path string, opt LoadOptions) ([]Document, []error) {
	data, err := readLimited(path, maxBytes(opt))
	if err != nil {
		return nil, []error{err}
	}
	meta, err := readSidecar(path)
	if err != nil {
		return nil, []error{err}
	}
	if meta != nil && meta.URL != "" {
		opt.URL = "" // the sidecar names the URL
	}
	docs, errs := parseData(source{name: path, key: absPath(path), format: format(path)}, data, opt)
	if meta != nil {
		for i := range docs {
			meta.apply(&docs[i], len(docs) == 1)
		}
	}
	return docs, errs
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fileError(path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &InputError{Source: path, Reason: "is not a regular file", Err: ErrUnsupportedInput}
	}
	if fi.Size() > limit {
		return nil, tooLarge(path, "file", fi.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, "file", int64(len(data)), limit)
	}
	return data, nil
}

func tooLarge(name, what string, size, limit int64) error {
	return &InputError{
		Source: name,
		Reason: fmt.Sprintf("%s is %s, over the %s limit", what, humanSize(size), humanSize(limit)),
		Err:    ErrInputTooLarge,
	}
}

// humanSize formats a byte count as "812 bytes", "4.2 KiB" or "12.3 MiB".
func humanSize(n int64) string {
	trim := func(v float64, unit string) string {
		s := strconv.FormatFloat(v, 'f', 1, 64)
		return strings.TrimSuffix(s, ".0") + " " + unit
	}
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return trim(float64(n)/(1<<10), "KiB")
	case n < 1<<30:
		return trim(float64(n)/(1<<20), "MiB")
	}
	return trim(float64(n)/(1<<30), "GiB")
}

// sidecar is the metadata file beside an article file.
type sidecar struct {
	path       string
	Title      string `json:"title"`
	Outlet     string `json:"outlet"`
	Author     string `json:"author"`
	URL        string `json:"url"`
	Published  string `json:"published"`
	Collection string `json:"collection"`
	published  time.Time
}

// readSidecar reads the sidecar of path, if it has one.
func readSidecar(path string) (*sidecar, error) {
	candidates := []string{path + sidecarSuffix}
	if ext := filepath.Ext(path); ext != "" {
		candidates = append(candidates, strings.TrimSuffix(path, ext)+sidecarSuffix)
	}
	for _, p := range candidates {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			e := fileError(p, err)
			e.Reason = "cannot read metadata sidecar: " + e.Reason
			return nil, e
		}
		m := &sidecar{path: p}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(m); err != nil {
			return nil, &InputError{Source: p, Reason: "invalid metadata sidecar: " + jsonReason(data, err), Err: err}
		}
		if m.Published != "" {
			t, err := parseDate(m.Published)
			if err != nil {
				return nil, &InputError{Source: p, Reason: "invalid metadata sidecar: published: " + err.Error(), Err: err}
			}
			m.published = t
		}
		if m.URL != "" && !isURL(m.URL) {
			return nil, &InputError{Source: p, Reason: fmt.Sprintf("invalid metadata sidecar: url %q is not an http(s) URL", m.URL)}
		}
		return m, nil
	}
	return nil, nil
}

// apply lets the sidecar override the document's metadata. For a file of
// many records only the fields that can be shared (outlet, author,
// collection) apply, and only where a record lacks them.
func (m *sidecar) apply(d *Document, single bool) {
	if !single {
		d.Outlet = cmpOr(d.Outlet, m.Outlet)
		d.Author = cmpOr(d.Author, m.Author)
		if m.Collection != "" && (d.Collection == "" || d.Collection == DefaultCollection) {
			d.Collection = m.Collection
		}
		return
	}
	d.Title = cmpOr(strings.TrimSpace(m.Title), d.Title)
	d.Outlet = cmpOr(m.Outlet, d.Outlet)
	d.Author = cmpOr(m.Author, d.Author)
	d.Collection = cmpOr(m.Collection, d.Collection)
	if !m.published.IsZero() {
		d.Published = m.published
	}
	if m.URL != "" {
		d.URL = m.URL
		d.Key = keyURL(m.URL)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseData checks a stream is text and reads it by format.
func parseData(src source, data []byte, opt LoadOptions) ([]Document, []error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []error{&InputError{Source: src.name, Reason: "file is empty", Err: ErrEmptyInput}}
	}
	if looksBinary(data) {
		return nil, []error{&InputError{Source: src.name, Reason: "looks binary, not text", Err: ErrBinaryInput}}
	}
	var docs []Document
	var errs []error
	switch src.format {
	case "html":
		d, err := parseHTML(src, data)
		if err != nil {
			return nil, []error{err}
		}
		docs = []Document{d}
	case "json":
		docs, errs = parseJSON(src, decodeText(data))
	case "jsonl":
		docs, errs = parseJSONL(src, decodeText(data))
	default:
		d, err := parseText(src, decodeText(data))
		if err != nil {
			return nil, []error{err}
		}
		docs = []Document{d}
	}
	for i := range docs {
		finish(&docs[i], opt, len(docs) == 1 && len(errs) == 0)
	}
	return docs, errs
}

// finish fills what the document lacks from opt and sets its Key.
func finish(d *Document, opt LoadOptions, single bool) {
	d.Outlet = cmpOr(d.Outlet, opt.Outlet)
	if d.URL == "" && single && opt.URL != "" {
		d.URL = opt.URL
		d.Key = keyURL(opt.URL)
	}
	d.Collection = cmpOr(cmpOr(d.Collection, opt.Collection), DefaultCollection)
	if d.Published.IsZero() {
		d.Published = opt.Published
	}
}

// keyURL normalises a URL for use as a Key: no fragment, no utm_ tracking
// parameters, lowercase scheme and host.
func keyURL(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		u.Fragment = ""
		u.RawFragment = ""
		u.Host = strings.ToLower(u.Host)
		if q := u.Query(); len(q) > 0 {
			for k := range q {
				if strings.HasPrefix(strings.ToLower(k), "utm_") {
					q.Del(k)
				}
			}
			u.RawQuery = q.Encode()
		}
		u.Scheme = strings.ToLower(u.Scheme)
		return u.String()
	}
	return s
}

// looksBinary reports whether data is not text: it holds NUL bytes, or
// invalid UTF-8 and control characters make up much of it.
func looksBinary(data []byte) bool {
	sample := data[:min(len(data), 64<<10)]
	if bytes.IndexByte(sample, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(sample); {
		r, n := utf8.DecodeRune(sample[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if len(sample) < len(data) && len(sample)-i < utf8.UTFMax {
				i = len(sample) // a rune cut by the sample's end
				continue
			}
			bad++
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v' && r != 0x1b:
			bad++
		}
		i += n
	}
	return bad*10 > len(sample)*3
}

// decodeText returns data as UTF-8: as is when valid, as Windows-1252 when
// it holds no UTF-8 multi-byte sequence at all (a legacy single-byte file),
// otherwise with invalid bytes replaced.
func decodeText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	multi := false
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError && n > 1 {
			multi = true
			break
		}
		i += n
	}
	if !multi {
		if out, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			return string(out)
		}
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// plain text and markdown

func parseText(src source, text string) (Document, error) {
	d := Document{Source: src.name, Key: src.key}
	if src.format == "markdown" {
		var fm map[string]string
		fm, text = frontMatter(text)
		if err := applyFrontMatter(&d, fm); err != nil {
			return Document{}, &InputError{Source: src.name, Reason: "front matter: " + err.Error(), Err: err}
		}
		text = stripMarkdown(text)
	}
	title, body := SplitTitle(text)
	if d.Title != "" {
		// Front matter named the title: the text is all body (a first
		// line repeating the title is dropped by Clean).
		title, body = d.Title, text
	}
	if !hasAlnum(body) {
		return Document{}, &InputError{Source: src.name, Reason: "has a title but no article text", Err: ErrNoArticleText}
	}
	d.Title = cmpOr(d.Title, title)
	d.Text = body
	if src.pageURL != nil {
		d.URL = src.pageURL.String()
	}
	return d, nil
}

// frontMatter splits YAML-style front matter ("---" lines around
// "key: value" pairs) from a markdown text.
func frontMatter(text string) (map[string]string, string) {
	t := strings.TrimLeft(text, "\ufeff")
	if !strings.HasPrefix(t, "---\n") && !strings.HasPrefix(t, "---\r\n") {
		return nil, text
	}
	rest := t[strings.IndexByte(t, '\n')+1:]
	end := -1
	for off := 0; off < len(rest); {
		nl := strings.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if l := strings.TrimSpace(line); l == "---" || l == "..." {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return nil, text
	}
	fm := map[string]string{}
	for _, line := range strings.Split(rest[:end], "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		fm[strings.ToLower(strings.TrimSpace(k))] = v
	}
	after := rest[end:]
	if nl := strings.IndexByte(after, '\n'); nl >= 0 {
		after = after[nl+1:]
	} else {
		after = ""
	}
	return fm, after
}

func applyFrontMatter(d *Document, fm map[string]string) error {
	if fm == nil {
		return nil
	}
	d.Title = firstOf(fm, "title", "headline")
	d.Outlet = firstOf(fm, "outlet", "source", "site", "publisher")
	d.Author = firstOf(fm, "author", "byline")
	d.Collection = firstOf(fm, "collection")
	if u := firstOf(fm, "url", "canonical_url", "canonical", "link"); isURL(u) {
		d.URL = u
		d.Key = keyURL(u)
	}
	if s := firstOf(fm, "published", "date", "published_at"); s != "" {
		t, err := parseDate(s)
		if err != nil {
			return fmt.Errorf("published: %w", err)
		}
		d.Published = t
	}
	return nil
}

func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(m[k]); v != "" {
			return v
		}
	}
	return ""
}

var (
	rxMDImage    = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	rxMDLink     = regexp.MustCompile(`\[([^\]]+)\](\([^)]*\)|\[[^\]]*\])`)
	rxMDLinkDef  = regexp.MustCompile(`(?m)^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$`)
	rxMDBold     = regexp.MustCompile(`\*\*([^*\n]+)\*\*|__([^_\n]+)__`)
	rxMDItalic   = regexp.MustCompile(`(^|[ \t(])\*([^*\s][^*\n]*?)\*`)
	rxMDCode     = regexp.MustCompile("`([^`\n]+)`")
	rxMDRule     = regexp.MustCompile(`(?m)^[ \t]{0,3}([-*_=][ \t]*){3,}$`)
	rxMDQuote    = regexp.MustCompile(`(?m)^[ \t]{0,3}>[ \t]?`)
	rxMDComment  = regexp.MustCompile(`(?s)<!--.*?-->`)
	rxMDHeadings = regexp.MustCompile(`(?m)^[ \t]{0,3}#{1,6}[ \t]+(.*?)([ \t]+#+)?[ \t]*$`)
)

// stripMarkdown removes markdown syntax, keeping the words: headings,
// emphasis, links (their text stays), images, rules, block quotes.
func stripMarkdown(s string) string {
	s = rxMDComment.ReplaceAllString(s, "")
	s = rxMDHeadings.ReplaceAllString(s, "$1")
	s = rxMDImage.ReplaceAllString(s, "")
	s = rxMDLinkDef.ReplaceAllString(s, "")
	s = rxMDLink.ReplaceAllString(s, "$1")
	s = rxMDBold.ReplaceAllString(s, "$1$2")
	s = rxMDItalic.ReplaceAllString(s, "$1$2")
	s = rxMDCode.ReplaceAllString(s, "$1")
	s = rxMDRule.ReplaceAllString(s, "")
	s = rxMDQuote.ReplaceAllString(s, "")
	return s
}

// HTML

// parseHTML extracts the main content of a page and its metadata.
func parseHTML(src source, data []byte) (Document, error) {
	text := decodeHTML(data, src.ctype)
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return Document{}, &InputError{Source: src.name, Reason: "cannot parse HTML: " + err.Error(), Err: err}
	}
	meta := htmlMeta(root, src.pageURL)
	parser := readability.NewParser()
	art, err := parser.ParseAndMutate(root, src.pageURL)
	if err != nil {
		return Document{}, &InputError{Source: src.name, Reason: "no extractable article text: " + err.Error(), Err: errors.Join(ErrNoArticleText, err)}
	}
	var body strings.Builder
	if art.Node != nil {
		if err := art.RenderText(&body); err != nil {
			return Document{}, &InputError{Source: src.name, Reason: "cannot render article text: " + err.Error(), Err: err}
		}
	}
	title := cmpOr(collapseSpaces(strings.TrimSpace(normalizeSpaces(art.Title()))), meta.title)
	// A page whose extracted text is all chrome ("Home", "Menu") or only
	// repeats the title has no article.
	if !hasAlnum(Clean(body.String(), CleanOptions{Title: title})) {
		return Document{}, &InputError{Source: src.name, Reason: "no extractable article text", Err: ErrNoArticleText}
	}
	d := Document{Source: src.name, Key: src.key, Text: strings.TrimSpace(body.String())}
	d.Title = title
	d.Outlet = cmpOr(strings.TrimSpace(art.SiteName()), meta.siteName)
	d.Author = cmpOr(cleanByline(art.Byline()), meta.author)
	if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
		d.Published = t
	} else if !meta.published.IsZero() {
		d.Published = meta.published
	}
	switch {
	case meta.canonical != "":
		d.URL = meta.canonical
	case src.pageURL != nil:
		d.URL = src.pageURL.String()
	}
	if d.URL != "" {
		d.Key = keyURL(d.URL)
	}
	return d, nil
}

// decodeHTML converts a page to UTF-8 using its declared or sniffed charset.
func decodeHTML(data []byte, contentType string) string {
	if enc, name, _ := charset.DetermineEncoding(data, contentType); name != "utf-8" && enc != nil {
		if out, err := enc.NewDecoder().Bytes(data); err == nil {
			return string(out)
		}
	}
	return decodeText(data)
}

var rxByPrefix = regexp.MustCompile(`(?i)^\s*by\s+`)

func cleanByline(s string) string {
	s = collapseSpaces(strings.TrimSpace(normalizeSpaces(s)))
	return strings.TrimSpace(rxByPrefix.ReplaceAllString(s, ""))
}

// pageMeta is the metadata a page declares in its head.
type pageMeta struct {
	title, siteName, author, canonical string
	published                          time.Time
}

// htmlMeta reads the title, site name, author, publication time and
// canonical URL (link rel=canonical, else og:url) from meta tags.
func htmlMeta(root *html.Node, base *url.URL) pageMeta {
	var m pageMeta
	var canonical, ogURL, docTitle string
	var dates []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				if docTitle == "" && n.FirstChild != nil {
					docTitle = n.FirstChild.Data
				}
			case "link":
				if hasToken(attr(n, "rel"), "canonical") && canonical == "" {
					canonical = attr(n, "href")
				}
			case "meta":
				key := strings.ToLower(cmpOr(attr(n, "property"), cmpOr(attr(n, "name"), attr(n, "itemprop"))))
				val := strings.TrimSpace(attr(n, "content"))
				switch key {
				case "og:title", "twitter:title":
					m.title = cmpOr(m.title, val)
				case "og:site_name", "application-name":
					m.siteName = cmpOr(m.siteName, val)
				case "author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author":
					if !isURL(val) {
						m.author = cmpOr(m.author, cleanByline(val))
					}
				case "og:url":
					ogURL = cmpOr(ogURL, val)
				case "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
					"publish-date", "publishdate", "dc.date", "dc.date.issued", "dcterms.created",
					"parsely-pub-date", "sailthru.date", "article.published", "published_time":
					dates = append(dates, val)
				}
			case "time":
				if strings.EqualFold(attr(n, "itemprop"), "datePublished") {
					dates = append(dates, attr(n, "datetime"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	// A relative canonical link in a saved page resolves against og:url.
	og := absoluteURL(ogURL, base)
	if base == nil && og != "" {
		base, _ = url.Parse(og)
	}
	m.canonical = cmpOr(absoluteURL(canonical, base), og)
	m.title = cmpOr(m.title, collapseSpaces(strings.TrimSpace(normalizeSpaces(docTitle))))
	for _, s := range dates {
		if t, err := parseDate(s); err == nil {
			m.published = t
			break
		}
	}
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// absoluteURL resolves ref against base and returns it if it is an http(s)
// URL, else "".
func absoluteURL(ref string, base *url.URL) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// JSON and JSON Lines

// parseJSON reads an object or an array of objects.
func parseJSON(src source, text string) ([]Document, []error) {
	data := []byte(text)
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, []error{&InputError{Source: src.name, Reason: "invalid JSON " + jsonReason(data, err), Err: err}}
		}
		d, err := recordDoc(m)
		if err != nil {
			return nil, []error{&InputError{Source: src.name, Reason: err.Error(), Err: err}}
		}
		d.Source, d.Key = src.name, cmpOr(d.Key, src.key)
		return []Document{d}, nil
	case bytes.HasPrefix(trimmed, []byte("[")):
	default:
		return nil, []error{&InputError{Source: src.name, Reason: "invalid JSON: want an object or an array of objects"}}
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, []error{&InputError{Source: src.name, Reason: "invalid JSON " + jsonReason(data, err), Err: err}}
	}
	if len(raws) == 0 {
		return nil, []error{&InputError{Source: src.name, Reason: "holds no records", Err: ErrEmptyInput}}
	}
	var docs []Document
	var errs []error
	for i, raw := range raws {
		name := fmt.Sprintf("%s#%d", src.name, i+1)
		d, err := recordFromJSON(raw)
		if err != nil {
			errs = append(errs, &InputError{Source: name, Reason: err.Error(), Err: err})
			continue
		}
		d.Source = name
		d.Key = cmpOr(d.Key, fmt.Sprintf("%s#%d", src.key, i+1))
		docs = append(docs, d)
	}
	return docs, errs
}

// parseJSONL reads one object per line; a bad line fails alone.
func parseJSONL(src source, text string) ([]Document, []error) {
	var docs []Document
	var errs []error
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n := i + 1
		d, err := recordFromJSON([]byte(line))
		if err != nil {
			errs = append(errs, &InputError{Source: fmt.Sprintf("%s:%d", src.name, n), Reason: err.Error(), Err: err})
			continue
		}
		d.Source = fmt.Sprintf("%s#%d", src.name, n)
		d.Key = cmpOr(d.Key, fmt.Sprintf("%s#%d", src.key, n))
		docs = append(docs, d)
	}
	return docs, errs
}

// recordFromJSON decodes one record.
func recordFromJSON(raw []byte) (Document, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return Document{}, fmt.Errorf("invalid JSON %s", jsonReason(raw, err))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return Document{}, fmt.Errorf("record is a JSON %s, not an object", jsonKind(v))
	}
	return recordDoc(m)
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

// jsonReason describes a decoding error with its line and column.
func jsonReason(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if off < 0 {
		return "(" + msg + ")"
	}
	line, col := lineCol(data, off)
	if !bytes.Contains(data, []byte{'\n'}) {
		return fmt.Sprintf("at column %d: %s", col, msg) // one record: its line is named with the file
	}
	return fmt.Sprintf("at line %d, column %d: %s", line, col, msg)
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, max(col, 1)
}

var rxHTMLTag = regexp.MustCompile(`(?i)<(p|br|div|h[1-6]|li|ul|ol|blockquote|span|a|em|strong|b|i|figure|section|article)(\s[^>]*)?/?>`)

// recordDoc maps the fields of a record onto a Document.
func recordDoc(m map[string]any) (Document, error) {
	f := make(map[string]any, len(m))
	// Field names match case-insensitively; the first spelling wins.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lk := strings.ToLower(k)
		if _, ok := f[lk]; !ok {
			f[lk] = m[k]
		}
	}
	text := fieldString(f, "text", "body", "content", "article_body", "articlebody", "full_text", "fulltext")
	if rxHTMLTag.MatchString(text) {
		text = htmlFragmentText(text)
	}
	if !hasAlnum(text) {
		return Document{}, fmt.Errorf("record has no text (want a %q, %q or %q field): %w", "text", "body", "content", ErrNoArticleText)
	}
	d := Document{
		Title:      collapseSpaces(strings.TrimSpace(normalizeSpaces(fieldString(f, "title", "headline")))),
		Text:       text,
		Outlet:     fieldName(f, "outlet", "source", "site", "site_name", "publisher", "publication"),
		Author:     fieldName(f, "author", "byline", "authors", "creator"),
		Collection: fieldString(f, "collection"),
	}
	if u := fieldString(f, "url", "link", "canonical_url", "permalink"); u != "" {
		if !isURL(u) {
			return Document{}, fmt.Errorf("url %q is not an http(s) URL", u)
		}
		d.URL, d.Key = u, keyURL(u)
	}
	for _, k := range []string{"published", "date", "published_at", "publishedat", "pubdate", "datepublished", "published_date", "publish_date"} {
		v, ok := f[k]
		if !ok || v == nil || v == "" {
			continue
		}
		t, err := dateValue(v)
		if err != nil {
			return Document{}, fmt.Errorf("%s: %w", k, err)
		}
		d.Published = t
		break
	}
	return d, nil
}

// fieldString returns the first of keys holding a non-empty scalar, as text.
func fieldString(f map[string]any, keys ...string) string {
	for _, k := range keys {
		switch v := f[k].(type) {
		case string:
			if s := strings.TrimSpace(v); s != "" {
				return s
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// fieldName is fieldString that also accepts a named object ({"name": …})
// or a list of names or named objects, joined with ", ".
func fieldName(f map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := nameOf(f[k]); s != "" {
			return s
		}
	}
	return ""
}

func nameOf(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case map[string]any:
		for _, k := range []string{"name", "title", "Name"} {
			if s, ok := v[k].(string); ok && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
	case []any:
		var names []string
		for _, e := range v {
			if s := nameOf(e); s != "" {
				names = append(names, s)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// dateValue reads a date given as a string or as Unix seconds or milliseconds.
func dateValue(v any) (time.Time, error) {
	switch v := v.(type) {
	case string:
		return parseDate(v)
	case float64:
		return unixTime(int64(v))
	}
	return time.Time{}, fmt.Errorf("cannot read a date from a JSON %s", jsonKind(v))
}

func unixTime(n int64) (time.Time, error) {
	switch {
	case n > 1e11 && n < 1e14:
		return time.UnixMilli(n).UTC(), nil
	case n > 0 && n < 1e11:
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%d is not a plausible Unix time", n)
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC850,
	time.RFC822Z,
	time.RFC822,
	time.ANSIC,
	time.UnixDate,
	"January 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"Monday, January 2, 2006",
	"Mon Jan 2 2006",
}

var rxDigits = regexp.MustCompile(`^\d{9,13}$`)

// parseDate reads RFC 3339 and the other date forms news sources use.
// Times without a zone are taken as UTC.
func parseDate(s string) (time.Time, error) {
	s = collapseSpaces(strings.TrimSpace(normalizeSpaces(s)))
	if s == "" {
		return time.Time{}, errors.New("empty date")
	}
	if rxDigits.MatchString(s) {
		n, _ := strconv.ParseInt(s, 10, 64)
		return unixTime(n)
	}
	norm := strings.NewReplacer("Sept.", "Sep", "Sept ", "Sep ", "a.m.", "AM", "p.m.", "PM", ". ", " ").Replace(s)
	norm = strings.Replace(norm, " am", " AM", 1)
	norm = strings.Replace(norm, " pm", " PM", 1)
	for _, cand := range []string{s, norm} {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, cand); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse date %q", s)
}

// htmlFragmentText renders an HTML fragment (a record's body) as text with
// paragraph breaks.
func htmlFragmentText(s string) string {
	root, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	return strings.TrimSpace(render.InnerText(root))
}

// URLs

// loadURL fetches a page and reads it as HTML or plain text.
func loadURL(ctx context.Context, raw string, opt LoadOptions) ([]Document, []error) {
	fail := func(reason string, err error) ([]Document, []error) {
		return nil, []error{&InputError{Source: raw, Reason: reason, Err: err}}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		if err == nil {
			err = errors.New("no host")
		}
		return fail("invalid URL: "+unwrapURLError(err).Error(), err)
	}
	client := opt.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: fetchTimeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fail("invalid URL: "+unwrapURLError(err).Error(), err)
	}
	req.Header.Set("User-Agent", "storybot/1 (+https://github.com/storybot/storybot)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return fail(fetchReason(ctx, err), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail("HTTP "+resp.Status, fmt.Errorf("http status %d", resp.StatusCode))
	}
	limit := maxBytes(opt)
	if resp.ContentLength > limit {
		return nil, []error{tooLarge(raw, "response", resp.ContentLength, limit)}
	}
	ctype := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ctype)
	f := contentFormat(mt)
	if mt != "" && f == "" {
		return fail(fmt.Sprintf("unsupported content type %q (want HTML or plain text)", mt), ErrUnsupportedInput)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return fail(fetchReason(ctx, err), err)
	}
	if int64(len(body)) > limit {
		return fail(fmt.Sprintf("response is over the %s limit", humanSize(limit)), ErrInputTooLarge)
	}
	if f == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
		if f = contentFormat(mt); f == "" {
			return fail(fmt.Sprintf("unsupported content type %q (want HTML or plain text)", mt), ErrUnsupportedInput)
		}
	}
	final := resp.Request.URL
	src := source{name: raw, key: keyURL(final.String()), format: f, ctype: ctype, pageURL: final}
	opt.URL = ""
	docs, errs := parseData(src, body, opt)
	for i := range errs {
		var ie *InputError
		if errors.As(errs[i], &ie) && ie.Reason == "file is empty" {
			ie.Reason = "response is empty"
		}
	}
	return docs, errs
}

// contentFormat maps a media type onto a reader, or "" if none fits.
func contentFormat(mt string) string {
	switch mt {
	case "text/html", "application/xhtml+xml":
		return "html"
	case "text/plain":
		return "text"
	case "text/markdown", "text/x-markdown":
		return "markdown"
	}
	return ""
}

// fetchReason words a failed fetch.
func fetchReason(ctx context.Context, err error) string {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return "timed out fetching the page"
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out fetching the page"
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return "fetch canceled"
	}
	return "cannot fetch: " + unwrapURLError(err).Error()
}

// unwrapURLError drops the "Get <url>:" prefix that repeats the source.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Streaming JSON Lines

// IsStream reports whether Open reads name record by record: JSON Lines
// (.jsonl, .ndjson), plain or gzip-compressed (.jsonl.gz, .ndjson.gz).
func IsStream(name string) bool {
	l := strings.ToLower(name)
	l = strings.TrimSuffix(l, ".gz")
	return strings.HasSuffix(l, ".jsonl") || strings.HasSuffix(l, ".ndjson")
}

// Records reads a JSON Lines file one record at a time, so a file of any
// size is read in bounded memory: only one record (of at most the size
// limit, LoadOptions.MaxBytes, 10 MiB by default) is held at once. A
// gzip-compressed file (by its first bytes, whatever its name) is
// decompressed as it is read.
type Records struct {
	name, key string
	opt       LoadOptions
	meta      *sidecar
	f         *os.File
	counted   *countingReader
	gz        *gzip.Reader
	br        *bufio.Reader
	size      int64
	line      int
	limit     int64
	buf       []byte
	checked   bool
	done      bool // the file cannot be read further
}

// OpenRecords opens a JSON Lines file for reading record by record; its
// sidecar, if it has one, applies to every record (see Load).
func OpenRecords(path string, opt LoadOptions) (*Records, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fileError(path, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &InputError{Source: path, Reason: "is not a regular file", Err: ErrUnsupportedInput}
	}
	meta, err := readSidecar(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &Records{name: path, key: absPath(path), opt: opt, meta: meta, f: f, size: fi.Size(), limit: maxBytes(opt)}
	r.counted = &countingReader{r: f}
	br := bufio.NewReaderSize(r.counted, 256<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, &InputError{Source: path, Reason: "cannot read gzip data: " + err.Error(), Err: err}
		}
		r.gz = gz
		br = bufio.NewReaderSize(gz, 256<<10)
	}
	r.br = br
	return r, nil
}

// Close closes the file.
func (r *Records) Close() error {
	if r.gz != nil {
		r.gz.Close()
	}
	return r.f.Close()
}

// Size is the size of the file on disk (compressed, for a gzip file).
func (r *Records) Size() int64 { return r.size }

// Read is how many bytes of the file have been read so far (compressed
// bytes, for a gzip file): beside Size, how far the reading has got.
func (r *Records) Read() int64 { return r.counted.n.Load() }

// Line is the number of the line last read.
func (r *Records) Line() int { return r.line }

// Next returns the next record as a document. It returns io.EOF at the end
// of the file, an *InputError naming the file and line for a record that
// cannot be read (the next call goes on with the next line), and an
// *InputError for the file when the file itself cannot be read further.
func (r *Records) Next() (Document, error) {
	for {
		if r.done {
			return Document{}, io.EOF
		}
		line, err := r.readLine()
		if errors.Is(err, io.EOF) && r.line == 0 {
			r.done = true
			return Document{}, &InputError{Source: r.name, Reason: "file is empty", Err: ErrEmptyInput}
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(ie.Err, ErrInputTooLarge) {
				r.done = true
			}
			return Document{}, err
		}
		src := fmt.Sprintf("%s:%d", r.name, r.line)
		if !r.checked {
			r.checked = true
			if looksBinary(line) {
				r.done = true
				return Document{}, &InputError{Source: r.name, Reason: "looks binary, not text", Err: ErrBinaryInput}
			}
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if int64(len(line)) > r.limit {
			return Document{}, tooLarge(src, "record", int64(len(line)), r.limit)
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return Document{}, &InputError{Source: src, Reason: "record holds NUL bytes, not text", Err: ErrBinaryInput}
		}
		d, err := recordFromJSON([]byte(decodeText(line)))
		if err != nil {
			return Document{}, &InputError{Source: src, Reason: err.Error(), Err: err}
		}
		d.Source = fmt.Sprintf("%s#%d", r.name, r.line)
		d.Key = cmpOr(d.Key, fmt.Sprintf("%s#%d", r.key, r.line))
		finish(&d, r.opt, false)
		if r.meta != nil {
			r.meta.apply(&d, false)
		}
		return d, nil
	}
}

// readLine reads the next line into r.buf. A line over the limit is read
// to its end but not kept: its length alone is returned as an error.
func (r *Records) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	var n int64
	for {
		chunk, err := r.br.ReadSlice('\n')
		n += int64(len(chunk))
		if n <= r.limit+1 {
			r.buf = append(r.buf, chunk...)
		}
		switch {
		case err == nil:
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if n == 0 {
				return nil, io.EOF
			}
		default:
			r.line++
			return nil, &InputError{Source: fmt.Sprintf("%s:%d", r.name, r.line), Reason: "cannot read: " + err.Error(), Err: err}
		}
		r.line++
		if n > r.limit+1 {
			return nil, tooLarge(fmt.Sprintf("%s:%d", r.name, r.line), "record", n, r.limit)
		}
		if cap(r.buf) > 4<<20 && len(r.buf) < 1<<20 {
			// Do not keep a huge buffer for the rest of the file.
			r.buf = slices.Clone(r.buf)
		}
		return r.buf, nil
	}
}

// countingReader counts the bytes read through it; Read may be called from
// another goroutine than the reader (progress).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
