package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// memStore is a retrieval.Store in memory.
type memStore struct {
	mu sync.Mutex
	m  map[string]*retrieval.Article
}

func (s *memStore) Put(_ context.Context, a *retrieval.Article) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*retrieval.Article{}
	}
	s.m[a.ID] = a
	return nil
}

func (s *memStore) Get(_ context.Context, id string) (*retrieval.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.m[id]; ok {
		return a, nil
	}
	return nil, retrieval.ErrNotFound
}

func (s *memStore) List(context.Context) ([]*retrieval.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*retrieval.Article
	for _, a := range s.m {
		out = append(out, a)
	}
	return out, nil
}

func (s *memStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}

func (s *memStore) Close() error { return nil }

// clock is a settable time for claims and ingest stamps.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newsSite serves invented feeds and article pages and counts requests.
type newsSite struct {
	*httptest.Server
	mu    sync.Mutex
	hits  map[string]int
	n304  map[string]int
	feeds map[string]string // path → body
	ctype map[string]string
	pages map[string]string // path → article paragraphs
	fail  map[string]bool   // path → 500
}

func newNewsSite(t *testing.T) *newsSite {
	t.Helper()
	s := &newsSite{hits: map[string]int{}, n304: map[string]int{}, feeds: map[string]string{}, ctype: map[string]string{},
		pages: map[string]string{}, fail: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *newsSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := r.URL.Path
	s.hits[p]++
	if s.fail[p] {
		http.Error(w, "upstream broke", http.StatusInternalServerError)
		return
	}
	if body, ok := s.feeds[p]; ok {
		etag := fmt.Sprintf(`"%x"`, hashOf(body))
		if r.Header.Get("If-None-Match") == etag {
			s.n304[p]++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", s.ctype[p])
		fmt.Fprint(w, strings.ReplaceAll(body, "BASE", s.URL))
		return
	}
	if text, ok := s.pages[p]; ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>%s</title></head><body><nav>Home | World | Sport</nav><article><h1>%s</h1>", p, p)
		for _, para := range strings.Split(text, "\n") {
			fmt.Fprintf(w, "<p>%s</p>", para)
		}
		fmt.Fprint(w, "</article><footer>Copyright Invented News</footer></body></html>")
		return
	}
	http.NotFound(w, r)
}

func (s *newsSite) set(f func(s *newsSite)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *newsSite) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Invented news; nothing here is real.
var pages = map[string]string{
	"/news/dam": `Engineers opened the spillway of the Greyfield dam on Tuesday after three days of rain raised the reservoir to its highest level in eleven years.
Residents of the valley below the dam were told to move cars and livestock to higher ground before the evening, the county emergency office said.
The office said the release would continue for at least two days and that the river was expected to crest near the old mill on Thursday morning.`,
	"/news/market": `The covered market on Tannery Row will reopen in April after a renovation that replaced its leaking glass roof and added forty new stalls.
Traders who left during the works have been offered their old pitches at last year's rent for the first twelve months, the market trust said.
The trust said the project came in slightly under its budget of four million pounds, thanks largely to a mild winter.`,
	"/news/school": `A primary school in Eastwick will stay closed for the rest of the week after a burst pipe flooded its hall and two classrooms overnight on Sunday.
Pupils will be taught online until Friday, and meals will be available for collection from the community centre at lunchtime, the head teacher said.
The council said contractors were drying the building and would check the wiring before the school could reopen next Monday.`,
	"/news/bridge": `The rail bridge at Coldharbour will be closed to trains for nine days in May while its steel deck is replaced by the network operator.
Replacement buses will run between Coldharbour and Wexley every fifteen minutes, adding around twenty minutes to a typical journey, the operator said.
It is the first full closure of the bridge since it was built in 1962, and the work was planned two years in advance.`,
}

const rssFeed = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Valley Gazette</title><link>BASE/</link><description>Invented local news</description>
<item><title>Greyfield dam spillway opened</title><link>BASE/news/dam</link><guid>gazette-1</guid><pubDate>Tue, 04 Mar 2031 09:00:00 GMT</pubDate></item>
<item><title>Tannery Row market to reopen</title><link>BASE/news/market?utm_source=rss</link><guid>gazette-2</guid><pubDate>Tue, 04 Mar 2031 10:00:00 GMT</pubDate></item>
<item><title>Greyfield dam spillway opened</title><link>BASE/news/dam</link><guid>gazette-1</guid><pubDate>Tue, 04 Mar 2031 09:00:00 GMT</pubDate></item>
<item><title>Council notice</title><guid isPermaLink="false">gazette-3</guid><description>&lt;p&gt;The council will hold its budget meeting in the town hall on the first Monday of April, and residents may put questions in writing beforehand.&lt;/p&gt;</description></item>
</channel></rss>`

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>County Wire</title><id>urn:county-wire</id><updated>2031-03-04T12:00:00Z</updated>
<entry><title>Market reopening date set</title><id>urn:county-wire:77</id><link href="BASE/news/market"/><updated>2031-03-04T11:00:00Z</updated></entry>
<entry><title>Eastwick school closed after flood</title><id>urn:county-wire:78</id><link href="/news/school"/><updated>UPDATED</updated></entry>
</feed>`

const atomEntryTime = "2031-03-04T12:00:00Z"

func setupSite(t *testing.T) *newsSite {
	s := newNewsSite(t)
	s.set(func(s *newsSite) {
		for p, text := range pages {
			s.pages[p] = text
		}
		s.feeds["/rss.xml"], s.ctype["/rss.xml"] = rssFeed, "application/rss+xml"
		s.feeds["/atom.xml"], s.ctype["/atom.xml"] = strings.Replace(atomFeed, "UPDATED", atomEntryTime, 1), "application/atom+xml; charset=utf-8"
		s.feeds["/broken.xml"], s.ctype["/broken.xml"] = `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>oops</tit`, "text/xml"
		s.feeds["/down.xml"], s.ctype["/down.xml"] = rssFeed, "application/rss+xml"
		s.fail["/down.xml"] = true
		s.feeds["/rail.xml"], s.ctype["/rail.xml"] = `<rss version="2.0"><channel><title>Rail News</title>
<item><title>Coldharbour bridge closure</title><link>BASE/news/bridge</link><guid>rail-1</guid></item></channel></rss>`, "text/xml"
		s.fail["/news/bridge"] = true
	})
	return s
}

type env struct {
	site  *newsSite
	clk   *clock
	index *retrieval.Index
	ing   *retrieval.Ingester
	claim *MemClaimer
}

func newEnv(t *testing.T) *env {
	site := setupSite(t)
	clk := &clock{now: time.Date(2031, 3, 4, 13, 0, 0, 0, time.UTC)}
	ix := retrieval.NewIndex()
	return &env{site: site, clk: clk, index: ix, ing: &retrieval.Ingester{Store: &memStore{}, Index: ix, Now: clk.Now}, claim: &MemClaimer{Now: clk.Now}}
}

func (e *env) poller(feeds ...string) *Poller {
	var urls []string
	for _, f := range feeds {
		urls = append(urls, e.site.URL+f)
	}
	return &Poller{Feeds: urls, Ingester: e.ing, Claimer: e.claim}
}

func outcomes(sum *retrieval.Summary) map[retrieval.Outcome]int {
	out := map[retrieval.Outcome]int{}
	for _, r := range sum.Results {
		out[r.Outcome]++
	}
	return out
}

func TestPollOnce(t *testing.T) {
	e := newEnv(t)
	p := e.poller("/rss.xml", "/atom.xml", "/broken.xml", "/down.xml", "/rail.xml")
	ctx := context.Background()

	sum := p.PollOnce(ctx)
	got := outcomes(sum)
	// dam, market (in both feeds), school, and the council notice carried
	// by the feed itself; the broken feed, the feed that answers 500 and
	// the bridge page that answers 500 fail without stopping the others.
	if got[retrieval.New] != 4 || got[retrieval.Failed] != 3 || len(sum.Results) != 7 {
		t.Fatalf("first poll: %s\n%v", sum, sum.Results)
	}
	for _, path := range []string{"/news/dam", "/news/market", "/news/school"} {
		if n := e.site.hitCount(path); n != 1 {
			t.Errorf("%s fetched %d times, want once", path, n)
		}
	}
	failed := map[string]bool{}
	for _, r := range sum.Results {
		if r.Outcome == retrieval.Failed {
			failed[strings.TrimPrefix(r.Source, e.site.URL)] = true
		}
	}
	for _, want := range []string{"/broken.xml", "/down.xml", "/news/bridge"} {
		if !failed[want] {
			t.Errorf("%s not reported failed: %v", want, failed)
		}
	}
	notice := false
	for _, a := range e.index.Articles() {
		if strings.HasPrefix(a.Text, "The council will hold its budget meeting") {
			notice = a.Outlet == "Valley Gazette" && a.Title == "Council notice"
		}
		if strings.Contains(a.Source, "/news/") && a.Outlet == "" {
			t.Errorf("article %s has no outlet", a.Source)
		}
	}
	if !notice {
		t.Errorf("the link-less item was not ingested from the feed's text")
	}

	// Second poll: the complete feeds answer 304 and nothing is fetched
	// again; the bridge is still claimed (its lease runs), so it waits.
	e.site.set(func(s *newsSite) { delete(s.fail, "/news/bridge"); delete(s.fail, "/down.xml") })
	sum = p.PollOnce(ctx)
	// down.xml now serves the RSS feed, whose items are all in; only the
	// broken feed fails again.
	if got := outcomes(sum); len(sum.Results) != 1 || got[retrieval.Failed] != 1 {
		t.Errorf("second poll: %s %v", sum, sum.Results)
	}
	e.site.mu.Lock()
	n304rss, n304atom := e.site.n304["/rss.xml"], e.site.n304["/atom.xml"]
	e.site.mu.Unlock()
	if n304rss != 1 || n304atom != 1 {
		t.Errorf("conditional GET: 304s rss=%d atom=%d, want 1 each", n304rss, n304atom)
	}
	if n := e.site.hitCount("/news/bridge"); n != 1 {
		t.Errorf("bridge fetched %d times within its lease", n)
	}
	for _, path := range []string{"/news/dam", "/news/market", "/news/school"} {
		if n := e.site.hitCount(path); n != 1 {
			t.Errorf("%s fetched %d times, want once", path, n)
		}
	}

	// After the lease, the failed page is retried and ingested.
	e.clk.Advance(DefaultLease + time.Second)
	sum = p.PollOnce(ctx)
	if got := outcomes(sum); got[retrieval.New] != 1 || len(sum.Results) != 2 {
		t.Errorf("after the lease: %s %v", sum, sum.Results)
	}
	if n := e.site.hitCount("/news/bridge"); n != 2 {
		t.Errorf("bridge fetched %d times, want 2", n)
	}
}

func TestChangedArticle(t *testing.T) {
	e := newEnv(t)
	p := e.poller("/atom.xml")
	ctx := context.Background()
	if sum := p.PollOnce(ctx); outcomes(sum)[retrieval.New] != 2 {
		t.Fatalf("first poll: %s", sum)
	}
	// Unchanged feed: 304, nothing fetched.
	p.PollOnce(ctx)
	// The school story is corrected and its entry updated.
	e.clk.Advance(time.Hour)
	e.site.set(func(s *newsSite) {
		s.pages["/news/school"] = strings.Replace(pages["/news/school"], "rest of the week", "next two weeks", 1)
		s.feeds["/atom.xml"] = strings.Replace(atomFeed, "UPDATED", "2031-03-04T13:30:00Z", 1)
	})
	sum := p.PollOnce(ctx)
	if len(sum.Results) != 1 || sum.Results[0].Outcome != retrieval.Updated {
		t.Fatalf("after the update: %s %v", sum, sum.Results)
	}
	if n := e.site.hitCount("/news/school"); n != 2 {
		t.Errorf("school fetched %d times, want 2", n)
	}
	if n := e.site.hitCount("/news/market"); n != 1 {
		t.Errorf("unchanged market fetched %d times, want 1", n)
	}
	var school *retrieval.Article
	for _, a := range e.index.Articles() {
		if strings.HasSuffix(a.Source, "/news/school") {
			school = a
		}
	}
	if school == nil || !strings.Contains(school.Text, "next two weeks") {
		t.Errorf("index does not hold the corrected article")
	}
}

func TestReplicasFetchEachItemOnce(t *testing.T) {
	e := newEnv(t)
	// Three replicas share the claimer and (as through Redis) the index.
	var ps []*Poller
	for range 3 {
		ps = append(ps, e.poller("/rss.xml", "/atom.xml"))
	}
	var wg sync.WaitGroup
	sums := make([]*retrieval.Summary, len(ps))
	for i, p := range ps {
		wg.Go(func() { sums[i] = p.PollOnce(context.Background()) })
	}
	wg.Wait()
	news := 0
	for _, s := range sums {
		news += outcomes(s)[retrieval.New]
	}
	if news != 4 {
		t.Errorf("%d new articles across replicas, want 4", news)
	}
	for _, path := range []string{"/news/dam", "/news/market", "/news/school"} {
		if n := e.site.hitCount(path); n != 1 {
			t.Errorf("%s fetched %d times across replicas, want once", path, n)
		}
	}
	// A later poll by any replica finds everything in the index.
	e.clk.Advance(DefaultLease + time.Second)
	for _, p := range ps {
		if sum := p.PollOnce(context.Background()); len(sum.Results) != 0 {
			t.Errorf("later poll: %s %v", sum, sum.Results)
		}
	}
	if n := e.site.hitCount("/news/dam"); n != 1 {
		t.Errorf("dam refetched: %d", n)
	}
	// A fresh replica (a restart) does not refetch what the index holds.
	fresh := e.poller("/rss.xml", "/atom.xml")
	if sum := fresh.PollOnce(context.Background()); len(sum.Results) != 0 {
		t.Errorf("fresh replica: %s %v", sum, sum.Results)
	}
}

func TestLoadReadsFeeds(t *testing.T) {
	site := setupSite(t)
	ctx := context.Background()
	docs, errs := Load(ctx, site.URL+"/rss.xml", retrieval.LoadOptions{})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	var srcs []string
	for _, d := range docs {
		srcs = append(srcs, strings.TrimPrefix(d.Source, site.URL))
	}
	// The repeated item is read once; the link-less one from the feed.
	if len(docs) != 3 || srcs[0] != "/news/dam" || srcs[1] != "/news/market?utm_source=rss" || !strings.HasSuffix(srcs[2], "#guid:gazette-3") {
		t.Errorf("documents from %q", srcs)
	}
	// A page is still a page.
	docs, errs = Load(ctx, site.URL+"/news/dam", retrieval.LoadOptions{})
	if len(errs) != 0 || len(docs) != 1 || !strings.Contains(docs[0].Text, "Greyfield") {
		t.Errorf("page: %d docs, %v", len(docs), errs)
	}
	// A feed whose page fails names the page.
	_, errs = Load(ctx, site.URL+"/rail.xml", retrieval.LoadOptions{})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "/news/bridge") {
		t.Errorf("rail feed errors: %v", errs)
	}
	// A broken feed is an error that names it.
	_, errs = Load(ctx, site.URL+"/broken.xml", retrieval.LoadOptions{})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "/broken.xml") {
		t.Errorf("broken feed errors: %v", errs)
	}
	// OnePass on a page says it is no feed.
	_, errs = OnePass(ctx, site.URL+"/news/dam", retrieval.LoadOptions{})
	if len(errs) != 1 || !errors.Is(errs[0], ErrNotFeed) {
		t.Errorf("OnePass on a page: %v", errs)
	}
}

func TestIsFeed(t *testing.T) {
	tests := []struct {
		ctype, body string
		want        bool
	}{
		{"application/rss+xml", "", true},
		{"application/atom+xml; charset=utf-8", "", true},
		{"text/xml", `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, true},
		{"application/xml", "\ufeff  <feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", true},
		{"", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`, true},
		{"application/json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, true},
		{"application/json", `{"articles": []}`, false},
		{"text/html", `<rss version="2.0">`, false},
		{"text/xml", `<?xml version="1.0"?><html><body>hi</body></html>`, false},
		{"application/octet-stream", "\x00\x01binary", false},
	}
	for _, tt := range tests {
		if got := IsFeed(tt.ctype, []byte(tt.body)); got != tt.want {
			t.Errorf("IsFeed(%q, %.30q) = %v, want %v", tt.ctype, tt.body, got, tt.want)
		}
	}
}

func TestStoreClaimer(t *testing.T) {
	var keys []string
	s := StoreClaimer(setNXFunc(func(_ context.Context, key string, _ []byte, ttl time.Duration) (bool, error) {
		keys = append(keys, key)
		return ttl == time.Minute, nil
	}))
	ok, err := s.Claim(context.Background(), "item:x", time.Minute)
	if !ok || err != nil || len(keys) != 1 || keys[0] != "feeds:claim:item:x" {
		t.Errorf("claim: %v %v %q", ok, err, keys)
	}
}

type setNXFunc func(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error)

func (f setNXFunc) SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	return f(ctx, key, val, ttl)
}

// Run reports each pass's results to OnPoll (serve counts them on /metrics).
func TestRunReportsEachPoll(t *testing.T) {
	e := newEnv(t)
	p := e.poller("/rss.xml")
	p.Interval = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan *retrieval.Summary, 1)
	p.OnPoll = func(s *retrieval.Summary) { got <- s; cancel() }
	go p.Run(ctx)
	select {
	case s := <-got:
		if s.Count(retrieval.New) == 0 {
			t.Errorf("first pass reported nothing new: %s", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("OnPoll not called")
	}
}
