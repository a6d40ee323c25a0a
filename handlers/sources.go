package handlers

import (
	"context"
	"errors"
	"fmt"
	"golang.org/x/net/http/httpproxy"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// Sources lists the ingested articles a channel may see and adds new ones
// (`/story sources` and `/story add`).
type Sources struct {
	Index *retrieval.Index
	// Ingester stores added articles; nil means adding is turned off.
	Ingester *retrieval.Ingester
	// HTTPClient fetches the URLs users add; nil means the loader's own.
	// storybot serve gives it AddClient, which refuses loopback and
	// link-local addresses (cloud metadata endpoints).
	HTTPClient *http.Client
	// Load reads a URL into documents; nil means retrieval.Load.
	Load func(ctx context.Context, input string, opt retrieval.LoadOptions) ([]retrieval.Document, []error)
}

// SourceItem is one listed article.
type SourceItem struct {
	ArticleID  string
	Title      string
	Outlet     string
	URL        string
	Published  time.Time
	Collection string
}

// ListRequest asks for the articles matching some terms.
type ListRequest struct {
	// Terms filter the list; empty lists the newest articles.
	Terms string
	// Collections the asker may see; empty means none, so nothing is listed.
	Collections []string
	// Limit bounds the list (default 10).
	Limit int
}

// List returns the articles matching the request's terms, best match first,
// or the newest articles when there are no terms. Copies of an article are
// listed once, under the original. No article outside the request's
// collections is ever returned.
func (s *Sources) List(_ context.Context, req ListRequest) []SourceItem {
	limit := req.Limit
	if limit <= 0 {
		limit = 10
	}
	allowed := req.Collections
	if len(allowed) == 0 {
		return nil // a channel that may see no collection sees nothing
	}
	visible := func(a *retrieval.Article) bool { return a != nil && slices.Contains(allowed, a.Collection) }
	var out []SourceItem
	seen := map[string]bool{}
	add := func(a *retrieval.Article) {
		if o := s.Index.Header(a.Original()); visible(o) {
			a = o // list the original when the asker may see it
		}
		if seen[a.ID] || !visible(a) {
			return
		}
		seen[a.ID] = true
		out = append(out, SourceItem{ArticleID: a.ID, Title: a.Title, Outlet: a.Outlet, URL: a.URL, Published: a.Published, Collection: a.Collection})
	}
	if strings.TrimSpace(req.Terms) != "" {
		for _, h := range s.Index.Search(retrieval.Query{Text: req.Terms, Collections: allowed, Limit: limit * 5}) {
			if len(out) == limit {
				break
			}
			add(h.Article)
		}
		return out
	}
	arts := s.Index.Headers()
	sort.Slice(arts, func(i, j int) bool {
		ti, tj := newest(arts[i]), newest(arts[j])
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		return arts[i].ID < arts[j].ID
	})
	for _, a := range arts {
		if len(out) == limit {
			break
		}
		if a.DuplicateOf == "" {
			add(a)
		}
	}
	return out
}

func newest(a *retrieval.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Ingested
}

// Errors of Add, worded for the user.
var (
	ErrAddDisabled = errors.New("adding articles is turned off on this server")
	ErrBadURL      = errors.New("that is not a web address; give a full http:// or https:// URL")
	ErrNothingRead = errors.New("no article text was found at that address")
)

// AddRequest asks to fetch and ingest one article.
type AddRequest struct {
	URL string
	// Collection the article is filed under, whatever the page says.
	Collection string
}

// AddResult says what adding did.
type AddResult struct {
	Outcome retrieval.Outcome
	Title   string
	URL     string
	// CopyOf is the title of the article this one copies, when the asker
	// may see it; CopyHidden is set when it copies one they may not.
	CopyOf     string
	CopyHidden bool
}

// Add fetches a URL and ingests what it holds into the request's
// collection. A bad URL gives ErrBadURL; a failed fetch an error saying why.
// visible lists the collections the asker may see, so a duplicate of an
// article they may not see is not named.
func (s *Sources) Add(ctx context.Context, req AddRequest, visible []string) (*AddResult, error) {
	if s.Ingester == nil {
		return nil, ErrAddDisabled
	}
	raw := strings.Trim(strings.TrimSpace(req.URL), "<>")
	if i := strings.IndexByte(raw, '|'); i >= 0 { // Slack's <url|label> form
		raw = raw[:i]
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ErrBadURL
	}
	coll := req.Collection
	if coll == "" {
		coll = retrieval.DefaultCollection
	}
	load := s.Load
	if load == nil {
		load = retrieval.Load
	}
	docs, errs := load(ctx, u.String(), retrieval.LoadOptions{Collection: coll, HTTPClient: s.HTTPClient})
	if len(errs) > 0 {
		var ie *retrieval.InputError
		if errors.As(errs[0], &ie) {
			return nil, fmt.Errorf("could not read %s: %s", u.Redacted(), ie.Reason)
		}
		return nil, fmt.Errorf("could not read %s: %w", u.Redacted(), errs[0])
	}
	if len(docs) == 0 {
		return nil, ErrNothingRead
	}
	for i := range docs {
		docs[i].Collection = coll // the channel decides, not the page
	}
	sum := s.Ingester.Ingest(ctx, docs[:1])
	r := sum.Results[0]
	if r.Outcome == retrieval.Failed {
		return nil, fmt.Errorf("could not ingest %s: %w", u.Redacted(), r.Err)
	}
	res := &AddResult{Outcome: r.Outcome, Title: r.Title, URL: docs[0].URL}
	if r.DuplicateOf != "" {
		if o := s.Index.Header(r.DuplicateOf); o != nil && slices.Contains(visible, o.Collection) {
			res.CopyOf = o.Title
		} else {
			res.CopyHidden = true
		}
	}
	return res, nil
}

// forbidden reports an address /story add must never reach: this host,
// link-local, multicast or unspecified.
func forbidden(ip net.IP) bool {
	return ip == nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast()
}

// ErrForbiddenAddress is returned for a URL that resolves to a loopback,
// link-local, multicast or unspecified address.
var ErrForbiddenAddress = errors.New("that address is not allowed")

// AddClient returns the HTTP client for URLs users add in Slack: it follows
// at most five redirects and refuses to connect to loopback, link-local
// (cloud metadata), multicast and unspecified addresses, checked on the
// address actually dialled, so DNS tricks and redirects cannot reach them.
func AddClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if forbidden(net.ParseIP(host)) {
				return ErrForbiddenAddress
			}
			return nil
		},
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = dialer.DialContext
	// HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured, read when the
	// client is made. Through a proxy the address dialled is the proxy's
	// (checked as above); the target the proxy will reach is checked
	// before the request goes: a literal forbidden address, or a name that
	// resolves to one here, is refused. A name that does not resolve here
	// is left to the proxy, which resolves it on its own network.
	proxyFor := httpproxy.FromEnvironment().ProxyFunc()
	tr.Proxy = func(req *http.Request) (*url.URL, error) {
		p, err := proxyFor(req.URL)
		if err != nil || p == nil {
			return p, err
		}
		host := req.URL.Hostname()
		if ip := net.ParseIP(host); ip != nil {
			if forbidden(ip) {
				return nil, ErrForbiddenAddress
			}
			return p, nil
		}
		if addrs, err := net.DefaultResolver.LookupIPAddr(req.Context(), host); err == nil {
			for _, a := range addrs {
				if forbidden(a.IP) {
					return nil, ErrForbiddenAddress
				}
			}
		}
		return p, nil
	}
	return &http.Client{
		Timeout:   timeout,
		Transport: tr,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
}
