package feeds

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// Defaults for Poller.
const (
	DefaultInterval = 15 * time.Minute
	DefaultLease    = 10 * time.Minute
)

// Poller polls feeds and ingests their new and updated items.
//
// An item is fetched when this replica has not seen it (or has seen an
// older version of it) and the index holds no article from its link
// ingested since the item's last update. Before fetching, the poller
// claims the item's version for Lease: a replica that loses the claim
// leaves the item to the winner, whose article reaches every replica's
// index through the shared store. A fetch that fails is retried once the
// claim expires, by whichever replica claims it next.
type Poller struct {
	Feeds    []string
	Ingester *retrieval.Ingester
	// Claimer is shared by the replicas; nil means this process only.
	Claimer Claimer
	// Interval is the time between polls (default DefaultInterval).
	Interval time.Duration
	// Lease is how long a claimed item is left to its claimer, and so how
	// soon a failed item is retried (default DefaultLease).
	Lease time.Duration
	// Collection is given to the items' articles (default published).
	Collection string
	// HTTPClient fetches feeds and pages (default: 30 s timeout).
	HTTPClient *http.Client
	// Load reads an article page; nil means retrieval.Load.
	Load func(ctx context.Context, input string, opt retrieval.LoadOptions) ([]retrieval.Document, []error)
	Log  *slog.Logger

	once   sync.Once
	mu     sync.Mutex
	feeds  map[string]validators
	seen   map[string]time.Time // item id → stamp of the version ingested
	claims Claimer
	// OnPoll, when set, sees each pass's results (for metrics).
	OnPoll func(*retrieval.Summary)
}

func (p *Poller) init() {
	p.once.Do(func() {
		p.feeds = map[string]validators{}
		p.seen = map[string]time.Time{}
		p.claims = p.Claimer
		if p.claims == nil {
			p.claims = &MemClaimer{}
		}
		if p.HTTPClient == nil {
			p.HTTPClient = defaultClient()
		}
	})
}

// Run polls every feed at once and then every Interval until ctx ends.
func (p *Poller) Run(ctx context.Context) error {
	if len(p.Feeds) == 0 {
		return nil
	}
	every := p.Interval
	if every <= 0 {
		every = DefaultInterval
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		sum := p.PollOnce(ctx)
		if p.Log != nil && len(sum.Results) > 0 {
			p.Log.Info("feeds polled", "result", sum.String())
		}
		if p.OnPoll != nil {
			p.OnPoll(sum)
		}
		t.Reset(every)
	}
}

// PollOnce polls every feed once and ingests what is new. A feed that
// fails is reported as a failed result under its URL; the others go on.
func (p *Poller) PollOnce(ctx context.Context) *retrieval.Summary {
	p.init()
	sum := &retrieval.Summary{}
	for _, f := range p.Feeds {
		if ctx.Err() != nil {
			break
		}
		p.pollFeed(ctx, f, sum)
	}
	return sum
}

func (p *Poller) pollFeed(ctx context.Context, feedURL string, sum *retrieval.Summary) {
	p.mu.Lock()
	v := p.feeds[feedURL]
	p.mu.Unlock()
	resp, err := fetchFeed(ctx, p.HTTPClient, feedURL, v)
	if err != nil {
		p.warn("feed failed; will retry", "feed", redact(feedURL), "err", err)
		sum.Add(retrieval.Result{Source: feedURL, Outcome: retrieval.Failed, Err: &retrieval.InputError{Source: feedURL, Reason: "feed: " + err.Error(), Err: err}})
		return
	}
	if resp.notModified {
		return
	}
	items := itemsOf(resp.feed, resp.final)
	ingested := p.ingestedByLink()
	var todo []item
	listed := map[string]bool{}
	for _, x := range items {
		dup := false
		for _, id := range x.ids {
			dup = dup || listed[id]
			listed[id] = true
		}
		if !dup && p.needs(x, feedURL, ingested) {
			todo = append(todo, x)
		}
	}
	lease := p.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	load := p.Load
	if load == nil {
		load = retrieval.Load
	}
	opt := retrieval.LoadOptions{Collection: p.Collection, HTTPClient: p.HTTPClient}
	var docs []retrieval.Document
	owner := map[string]item{} // document source → its item
	// complete stays true while every item of the feed is in; only then
	// may the next poll skip an unchanged feed (304).
	complete := true
	for _, x := range todo {
		if ctx.Err() != nil {
			return
		}
		ok, err := p.claims.Claim(ctx, "item:"+x.claim, lease)
		if err != nil {
			p.warn("cannot claim feed item; will retry", "item", redact(x.link), "err", err)
			complete = false
			continue
		}
		if !ok {
			complete = false // another replica has it; look again next time
			continue
		}
		ds, errs := x.document(ctx, feedURL, opt, load)
		for _, e := range errs {
			p.warn("feed item failed; will retry", "item", redact(x.link), "err", e)
			sum.Add(retrieval.Result{Source: cmpOr(x.link, feedURL), Outcome: retrieval.Failed, Err: e})
		}
		if len(errs) > 0 {
			complete = false
			continue
		}
		for _, d := range ds {
			owner[d.Source] = x
		}
		docs = append(docs, ds...)
	}
	if len(docs) > 0 {
		for _, r := range p.Ingester.Ingest(ctx, docs).Results {
			sum.Add(r)
			if r.Outcome == retrieval.Failed {
				p.warn("feed item not ingested; will retry", "item", redact(r.Source), "err", r.Err)
				complete = false
				continue
			}
			p.markSeen(owner[r.Source])
		}
	}
	// A feed keeps its validators only when all its items are in: a 304
	// must not hide an item still to be retried.
	if !complete {
		return
	}
	p.mu.Lock()
	p.feeds[feedURL] = resp.validators
	p.mu.Unlock()
}

// needs reports whether an item should be fetched: it is not when this
// replica has ingested this version (or a newer one) of it, or when the
// index holds an article from its link ingested since the item's last
// update (by another replica, another feed, or before a restart).
func (p *Poller) needs(x item, feedURL string, ingested map[string]time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range x.ids {
		if st, ok := p.seen[id]; ok && !x.stamp.After(st) {
			return false
		}
	}
	if at, ok := ingested[normalizeLink(x.source(feedURL))]; ok && !at.Before(x.stamp) {
		for _, id := range x.ids {
			if st, ok := p.seen[id]; !ok || x.stamp.After(st) {
				p.seen[id] = x.stamp
			}
		}
		return false
	}
	return true
}

func (p *Poller) markSeen(x item) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range x.ids {
		p.seen[id] = x.stamp
	}
}

// ingestedByLink maps each article's source (the item link it was
// fetched from), normalised, to its latest ingest time.
func (p *Poller) ingestedByLink() map[string]time.Time {
	out := map[string]time.Time{}
	for _, a := range p.Ingester.Index.Headers() {
		k := normalizeLink(a.Source)
		if t, ok := out[k]; !ok || a.Ingested.After(t) {
			out[k] = a.Ingested
		}
	}
	return out
}

func (p *Poller) warn(msg string, args ...any) {
	if p.Log != nil {
		p.Log.Warn(msg, args...)
	}
}

// OnePass reads a feed once and returns its items' articles as documents,
// for `storybot ingest FEED_URL`: pages are fetched and extracted like any
// URL, items without a link are read from the feed's own text, an item
// listed twice is read once. It has Load's shape: every document it could
// read, and an error naming each input that failed. A URL that serves no
// feed fails with ErrNotFeed.
func OnePass(ctx context.Context, feedURL string, opt retrieval.LoadOptions) ([]retrieval.Document, []error) {
	resp, err := fetchFeed(ctx, opt.HTTPClient, feedURL, validators{})
	if err != nil {
		reason := "feed: " + err.Error()
		if errors.Is(err, ErrNotFeed) {
			reason = ErrNotFeed.Error()
		}
		return nil, []error{&retrieval.InputError{Source: feedURL, Reason: reason, Err: err}}
	}
	var docs []retrieval.Document
	var errs []error
	seen := map[string]bool{}
	for _, x := range itemsOf(resp.feed, resp.final) {
		dup := false
		for _, id := range x.ids {
			dup = dup || seen[id]
			seen[id] = true
		}
		if dup {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, &retrieval.InputError{Source: cmpOr(x.link, feedURL), Reason: "canceled", Err: err})
			break
		}
		ds, es := x.document(ctx, feedURL, opt, retrieval.Load)
		docs = append(docs, ds...)
		errs = append(errs, es...)
	}
	if len(docs) == 0 && len(errs) == 0 {
		errs = append(errs, &retrieval.InputError{Source: feedURL, Reason: "feed has no items", Err: retrieval.ErrEmptyInput})
	}
	return docs, errs
}

// Load is retrieval.Load that also reads feeds: an http(s) input whose
// content type Load cannot read is tried as a feed (OnePass). The CLI's
// ingest uses it in place of retrieval.Load.
func Load(ctx context.Context, input string, opt retrieval.LoadOptions) ([]retrieval.Document, []error) {
	docs, errs := retrieval.Load(ctx, input, opt)
	if len(docs) > 0 || !isHTTP(input) || !unsupported(errs) {
		return docs, errs
	}
	fdocs, ferrs := OnePass(ctx, input, opt)
	if len(ferrs) == 1 && errors.Is(ferrs[0], ErrNotFeed) {
		return docs, errs
	}
	return fdocs, ferrs
}

func unsupported(errs []error) bool {
	for _, e := range errs {
		if errors.Is(e, retrieval.ErrUnsupportedInput) {
			return true
		}
	}
	return false
}

func isHTTP(s string) bool {
	return len(s) > 7 && (s[:7] == "http://" || (len(s) > 8 && s[:8] == "https://"))
}
