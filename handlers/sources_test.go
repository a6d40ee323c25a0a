package handlers_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
)

func sourcesFixture(t *testing.T) *handlers.Sources {
	t.Helper()
	store, err := embedded.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ing := &retrieval.Ingester{Store: store, Index: retrieval.NewIndex()}
	docs := []retrieval.Document{
		{Source: "a", Key: "a", Title: "Bridge reopens", Outlet: "Gazette", URL: "https://example.com/a",
			Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Text: "The river bridge reopened on Monday after repairs."},
		{Source: "b", Key: "b", Title: "Council budget passes", Outlet: "Gazette", URL: "https://example.com/b",
			Published: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Text: "The council passed its budget for the bridge district."},
		{Source: "c", Key: "c", Title: "Secret bridge sale", Outlet: "Wire", URL: "https://example.com/c", Collection: "embargoed",
			Published: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Text: "The city will sell the bridge to a private owner next year."},
	}
	for _, r := range ing.Ingest(context.Background(), docs).Results {
		if r.Outcome == retrieval.Failed {
			t.Fatal(r.Err)
		}
	}
	return &handlers.Sources{Index: ing.Index, Ingester: ing}
}

func titles(items []handlers.SourceItem) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return strings.Join(out, "|")
}

func TestSourcesListRespectsCollections(t *testing.T) {
	s := sourcesFixture(t)
	cases := []struct {
		terms string
		colls []string
		want  string
	}{
		{"", nil, ""},
		{"bridge", []string{}, ""},
		{"", []string{"published"}, "Council budget passes|Bridge reopens"},
		{"", []string{"published", "embargoed"}, "Secret bridge sale|Council budget passes|Bridge reopens"},
		{"", []string{"embargoed"}, "Secret bridge sale"},
		{"bridge", []string{"published"}, "Bridge reopens|Council budget passes"},
		{"sell bridge private", []string{"published"}, "Bridge reopens|Council budget passes"},
		{"sell private owner", []string{"published"}, ""},
		{"sell private owner", []string{"published", "embargoed"}, "Secret bridge sale"},
	}
	for _, tc := range cases {
		got := titles(s.List(context.Background(), handlers.ListRequest{Terms: tc.terms, Collections: tc.colls}))
		if tc.terms != "" && tc.want != "" {
			// Search order is by relevance: compare as sets.
			if !sameSet(got, tc.want) {
				t.Errorf("List(%q, %v) = %q, want %q", tc.terms, tc.colls, got, tc.want)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("List(%q, %v) = %q, want %q", tc.terms, tc.colls, got, tc.want)
		}
	}
}

func sameSet(a, b string) bool {
	as, bs := strings.Split(a, "|"), strings.Split(b, "|")
	if len(as) != len(bs) {
		return false
	}
	m := map[string]bool{}
	for _, x := range as {
		m[x] = true
	}
	for _, x := range bs {
		if !m[x] {
			return false
		}
	}
	return true
}

func TestSourcesAdd(t *testing.T) {
	s := sourcesFixture(t)
	var loaded string
	s.Load = func(_ context.Context, input string, opt retrieval.LoadOptions) ([]retrieval.Document, []error) {
		loaded = input
		switch {
		case strings.Contains(input, "fail"):
			return nil, []error{&retrieval.InputError{Source: input, Reason: "HTTP 404 Not Found"}}
		case strings.Contains(input, "copy"):
			// Claims to be published; a copy of the embargoed article.
			return []retrieval.Document{{Source: input, Key: input, URL: input, Title: "Copy", Collection: "published",
				Text: "The city will sell the bridge to a private owner next year."}}, nil
		}
		return []retrieval.Document{{Source: input, Key: input, URL: input, Title: "Harbour", Collection: "published",
			Text: "Dredging of the harbour starts in June."}}, nil
	}
	ctx := context.Background()
	for _, bad := range []string{"", "notaurl", "ftp://example.com/x", "javascript:alert(1)", "http://"} {
		if _, err := s.Add(ctx, handlers.AddRequest{URL: bad}, nil); !errors.Is(err, handlers.ErrBadURL) {
			t.Errorf("Add(%q): %v, want ErrBadURL", bad, err)
		}
	}
	if _, err := s.Add(ctx, handlers.AddRequest{URL: "https://example.com/fail"}, nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("failed fetch: %v", err)
	}
	res, err := s.Add(ctx, handlers.AddRequest{URL: "<https://example.com/new|example.com/new>", Collection: "embargoed"}, []string{"embargoed"})
	if err != nil || res.Outcome != retrieval.New || loaded != "https://example.com/new" {
		t.Fatalf("add: %+v %v (loaded %q)", res, err, loaded)
	}
	if a := s.Index.Get(retrieval.ArticleID("https://example.com/new")); a == nil || a.Collection != "embargoed" {
		t.Fatalf("added article not filed under the channel's collection: %+v", a)
	}
	// A copy of an embargoed article, added from a published channel, does
	// not name the original.
	res, err = s.Add(ctx, handlers.AddRequest{URL: "https://example.com/copy", Collection: "published"}, []string{"published"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome == retrieval.Duplicate && (res.CopyOf != "" || !res.CopyHidden) {
		t.Errorf("copy names a hidden original: %+v", res)
	}
	s.Ingester = nil
	if _, err := s.Add(ctx, handlers.AddRequest{URL: "https://example.com/z"}, nil); !errors.Is(err, handlers.ErrAddDisabled) {
		t.Errorf("add without ingester: %v", err)
	}
}

// URLs added from Slack cannot reach loopback or link-local addresses.
func TestAddClientRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><article><p>Internal page with enough words to count as an article body for the extractor to keep.</p></article></body></html>"))
	}))
	defer srv.Close()
	c := handlers.AddClient(5 * time.Second)
	for _, u := range []string{srv.URL, "http://169.254.169.254/latest/meta-data/", "http://[::1]:1/"} {
		_, err := c.Get(u)
		if err == nil || !errors.Is(err, handlers.ErrForbiddenAddress) {
			t.Errorf("%s: err %v, want the address refused", u, err)
		}
	}
	// The default client (tests, CLI) still reaches the local server.
	if resp, err := http.Get(srv.URL); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
}

// HTTP_PROXY is honoured, and a forbidden target is refused before the
// request reaches the proxy, which would otherwise dial it for us.
func TestAddClientThroughAProxy(t *testing.T) {
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			ip = n.IP
			break
		}
	}
	if ip == nil {
		t.Skip("no non-loopback address to run a proxy on")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Skip(err)
	}
	var mu sync.Mutex
	var seen []string
	proxy := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.String())
		mu.Unlock()
		io.WriteString(w, "via proxy "+r.URL.Host)
	})}
	go proxy.Serve(ln)
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", "http://"+ln.Addr().String())
	t.Setenv("NO_PROXY", "")
	c := handlers.AddClient(5 * time.Second)
	resp, err := c.Get("http://news.example/story")
	if err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "via proxy news.example" {
		t.Errorf("body %q, want the proxy's", body)
	}
	for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/x", "http://localhost:9/x"} {
		if _, err := c.Get(u); !errors.Is(err, handlers.ErrForbiddenAddress) {
			t.Errorf("%s: err %v, want the address refused", u, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 {
		t.Errorf("the proxy saw %q, want only the allowed request", seen)
	}
}
