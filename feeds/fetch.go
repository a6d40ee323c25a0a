// Package feeds keeps the index fresh from RSS and Atom feeds: it polls
// them with conditional GETs, fetches each new or updated item's article
// page, extracts it like an HTML file and ingests it once. Across replicas
// sharing a Claimer, each item is fetched by one replica only. A broken
// feed or page is logged and retried later; it never stops the others.
package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/storybot/storybot/retrieval"
)

// ErrNotFeed is reported for a URL that does not serve an RSS or Atom feed.
var ErrNotFeed = errors.New("not an RSS or Atom feed")

// fetchTimeout bounds one request made with the default client.
const fetchTimeout = 30 * time.Second

// maxFeedBytes bounds a feed document.
const maxFeedBytes = 10 << 20

func defaultClient() *http.Client { return &http.Client{Timeout: fetchTimeout} }

// IsFeed reports whether a response is an RSS, Atom or JSON feed, by its
// content type and, for generic XML or JSON types, by its root element.
func IsFeed(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json":
		return true
	case "text/html", "application/xhtml+xml", "text/plain", "text/markdown":
		return false
	}
	switch gofeed.DetectFeedType(bytes.NewReader(body)) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
		return true
	case gofeed.FeedTypeJSON:
		// Any JSON object starts with "{"; a JSON Feed names its version.
		return bytes.Contains(body[:min(len(body), 512)], []byte("jsonfeed.org/version"))
	}
	return false
}

// validators are a feed's conditional-GET tokens from its last response.
type validators struct {
	etag, lastModified string
}

// feedResponse is one fetch of a feed.
type feedResponse struct {
	feed        *gofeed.Feed
	notModified bool
	validators  validators
	final       *url.URL
}

// fetchFeed GETs a feed, conditionally when v holds validators, and parses
// it. A response that is not a feed is ErrNotFeed.
func fetchFeed(ctx context.Context, client *http.Client, feedURL string, v validators) (*feedResponse, error) {
	if client == nil {
		client = defaultClient()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feedURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "storybot/1 (+https://github.com/storybot/storybot)")
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
	if v.etag != "" {
		req.Header.Set("If-None-Match", v.etag)
	}
	if v.lastModified != "" {
		req.Header.Set("If-Modified-Since", v.lastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	out := &feedResponse{final: resp.Request.URL}
	if resp.StatusCode == http.StatusNotModified {
		out.notModified = true
		out.validators = v
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFeedBytes+1))
	if err != nil {
		return nil, unwrapURLError(err)
	}
	if len(body) > maxFeedBytes {
		return nil, fmt.Errorf("feed over %d MiB", maxFeedBytes>>20)
	}
	if !IsFeed(resp.Header.Get("Content-Type"), body) {
		return nil, ErrNotFeed
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("cannot parse feed: %w", err)
	}
	out.feed = f
	out.validators = validators{etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}
	return out, nil
}

// item is one feed entry, reduced to what ingest needs.
type item struct {
	// ids name the item for dedup: its link, its GUID, or (with neither)
	// its content.
	ids []string
	// claim is the item's claim key: the same for the same link in any
	// feed, so one replica fetches it.
	claim string
	link  string
	title string
	// stamp is when the item was last updated or published (zero if the
	// feed says neither).
	stamp     time.Time
	published time.Time
	content   string
	outlet    string
}

// itemsOf reads a feed's items, resolving relative links against base.
func itemsOf(f *gofeed.Feed, base *url.URL) []item {
	var out []item
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		x := item{title: strings.TrimSpace(it.Title), outlet: strings.TrimSpace(f.Title)}
		if l := strings.TrimSpace(it.Link); l != "" {
			if u, err := url.Parse(l); err == nil {
				if base != nil {
					u = base.ResolveReference(u)
				}
				if u.Scheme == "http" || u.Scheme == "https" {
					x.link = u.String()
				}
			}
		}
		if it.PublishedParsed != nil {
			x.published = *it.PublishedParsed
			x.stamp = x.published
		}
		if it.UpdatedParsed != nil && it.UpdatedParsed.After(x.stamp) {
			x.stamp = *it.UpdatedParsed
		}
		x.content = it.Content
		if strings.TrimSpace(x.content) == "" {
			x.content = it.Description
		}
		if x.link != "" {
			x.ids = append(x.ids, "link:"+normalizeLink(x.link))
		}
		if g := strings.TrimSpace(it.GUID); g != "" {
			x.ids = append(x.ids, "guid:"+g)
		}
		if len(x.ids) == 0 {
			text := htmlText(x.content)
			if strings.TrimSpace(text) == "" {
				continue // nothing to fetch, nothing to ingest
			}
			x.ids = append(x.ids, "content:"+hashOf(x.title, retrieval.LineKey(text)))
		}
		x.claim = hashOf(x.ids[0])
		out = append(out, x)
	}
	return out
}

// source is what the item's article is ingested from: its link, or the
// feed and the item's id.
func (x item) source(feedURL string) string {
	if x.link != "" {
		return x.link
	}
	return feedURL + "#" + x.ids[0]
}

// document reads an item into a document: its page when it has a link,
// else the text the feed carries.
func (x item) document(ctx context.Context, feedURL string, opt retrieval.LoadOptions, load loadFunc) ([]retrieval.Document, []error) {
	opt.Outlet = cmpOr(opt.Outlet, x.outlet)
	if opt.Published.IsZero() {
		opt.Published = x.published
	}
	opt.URL = ""
	if x.link != "" {
		docs, errs := load(ctx, x.link, opt)
		// The feed's headline is the publisher's own, free of the " | Site"
		// tails page titles carry.
		for i := range docs {
			if x.title != "" {
				docs[i].Title = x.title
			}
		}
		return docs, errs
	}
	src := x.source(feedURL)
	coll := cmpOr(opt.Collection, retrieval.DefaultCollection)
	return []retrieval.Document{{Source: src, Key: src, Title: x.title, Outlet: opt.Outlet, Collection: coll,
		Published: opt.Published, Text: htmlText(x.content)}}, nil
}

type loadFunc func(ctx context.Context, input string, opt retrieval.LoadOptions) ([]retrieval.Document, []error)

// htmlText returns the text of an HTML fragment, a paragraph per block.
func htmlText(s string) string {
	if !strings.Contains(s, "<") {
		return html.UnescapeString(s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote":
				b.WriteString("\n")
			}
		}
	}
}

// normalizeLink drops what does not change the page a link names: the
// fragment, utm_ parameters, the case of scheme and host.
func normalizeLink(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Fragment, u.RawFragment = "", ""
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func hashOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// redact drops a URL's query and user info before it is logged: feed URLs
// sometimes carry access tokens.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
