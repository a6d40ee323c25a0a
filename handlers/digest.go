package handlers

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/phrase"
)

// Digest bounds used when the request and the Digester name none.
const (
	DefaultDigestStories = 10
	DefaultDigestChars   = 8000
)

// Summarizer writes a story's summary, for instance with a chat model. It
// gets the story's visible articles, the clearest original first, and
// returns an answer whose sentences carry [n] citations of exact article
// text. Compose checks the result with answer.Check against those articles
// only and falls back to the extractive lead when it fails or is empty.
type Summarizer interface {
	Summarize(ctx context.Context, story []*retrieval.Article) (*answer.Answer, error)
}

// Digester composes the daily digest of a channel from the index.
type Digester struct {
	Index *retrieval.Index
	// Leads, when set, adds the questions the sources could not answer.
	Leads LeadStore
	// Summarizer writes summaries; nil means the extractive lead.
	Summarizer Summarizer
	// MaxStories and MaxChars bound a digest (defaults DefaultDigestStories
	// and DefaultDigestChars); a request's MaxStories wins.
	MaxStories int
	MaxChars   int
	// Location is the time zone dates are shown in (default UTC).
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// LastPosted returns when the channel's previous digest went out, for
	// previews; nil or not found means the last 24 hours.
	LastPosted func(ctx context.Context, channel string) (time.Time, bool)
}

// DigestRequest asks for one channel's digest.
type DigestRequest struct {
	Channel string
	// Collections the channel may see; nil means the default collection,
	// and an empty list (config.Access for a channel mapped to []) none.
	Collections []string
	// Since and Now bound the window, [Since, Now): the articles published
	// in it, or ingested in it when their publication date is unknown.
	Since, Now time.Time
	// MaxStories bounds the stories; 0 means the Digester's bound.
	MaxStories int
}

// Digest is one channel's digest, ready for a renderer.
type Digest struct {
	Channel    string
	Since, Now time.Time
	Stories    []StoryItem
	// More counts the stories left out to keep the digest short.
	More int
	// Leads are questions asked in the channel since the previous digest
	// that the sources could not (fully) answer.
	Leads []Lead
	// until is set when the digest does not end now (a past window).
	until bool
	// ref is the clock when composed: dates of another year show it.
	ref time.Time
}

// StoryItem is one story of a digest: the articles about one event that
// the channel may see.
type StoryItem struct {
	StoryID  string
	Headline string
	// URL links the article the headline comes from.
	URL string
	// Summary is one or two sentences with [n] markers into Citations.
	Summary string
	// Open lists what the sources say they leave open, each sentence
	// quoted and cited like the summary ("the company did not say…").
	Open      []string
	Citations []answer.Citation
	// Sources counts independent articles (copies count with their
	// original); Articles counts them all.
	Sources  int
	Articles int
	Outlets  []string
	// FirstPublished and LastPublished span the articles' publication
	// dates (zero when none is known); LastIngested is the newest ingest.
	FirstPublished time.Time
	LastPublished  time.Time
	LastIngested   time.Time
	// ref is the clock when composed: dates of another year show it.
	ref time.Time
}

// Empty reports whether the digest has no stories.
func (d *Digest) Empty() bool { return len(d.Stories) == 0 }

// Answer returns the story's summary and open points as an answer, so it
// can be checked like any other (answer.Check).
func (s *StoryItem) Answer() *answer.Answer {
	text := s.Summary
	status := answer.Answered
	open := []string{}
	for _, o := range s.Open {
		text += " " + o
		open = append(open, o)
		status = answer.Partial
	}
	return &answer.Answer{Question: s.Headline, Status: status, Answer: text, Citations: s.Citations, NotCovered: open, Sources: s.Sources}
}

// PreviewDigest composes the digest a channel would get now, as plain
// text; `/story digest` shows it privately.
func (d *Digester) PreviewDigest(ctx context.Context, channel string, collections []string) (string, error) {
	now := d.now()
	since := now.Add(-24 * time.Hour)
	if d.LastPosted != nil {
		if t, ok := d.LastPosted(ctx, channel); ok && t.Before(now) {
			since = t
		}
	}
	dg, err := d.Compose(ctx, DigestRequest{Channel: channel, Collections: collections, Since: since, Now: now})
	if err != nil {
		return "", err
	}
	return dg.Text(), nil
}

func (d *Digester) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Compose builds a channel's digest: the stories of the articles of the
// request's window (published in [Since, Now), or ingested then when the
// date is unknown) that the channel may see, grouped when composed
// (groupStories), ranked by independent sources and then recency, within
// the length bounds. No article outside the request's collections is ever
// counted, named or quoted.
func (d *Digester) Compose(ctx context.Context, req DigestRequest) (*Digest, error) {
	if req.Now.IsZero() {
		req.Now = d.now()
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	req.Now, req.Since = req.Now.In(loc), req.Since.In(loc)
	// nil means the default collection; an empty, non-nil list (a channel
	// configured to see nothing) means no article at all.
	allowed := req.Collections
	if allowed == nil {
		allowed = []string{retrieval.DefaultCollection}
	}
	visible := func(a *retrieval.Article) bool { return a != nil && slices.Contains(allowed, a.Collection) }

	// The window's articles: published in [Since, Now), or ingested then
	// when the publication date is unknown. An archive imported today is
	// not today's news, and a past window holds what was published then
	// even when it was ingested later.
	var arts []*retrieval.Article
	for _, h := range d.Index.Headers() {
		if !visible(h) {
			continue
		}
		if w := storyTime(h); w.Before(req.Since) || !w.Before(req.Now) {
			continue
		}
		if a := d.Index.Get(h.ID); a != nil {
			arts = append(arts, a)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var phrases *phrase.Stats
	if len(arts) > 0 {
		phrases = phrase.For(d.Index)
	}
	var stories []StoryItem
	for _, g := range groupStories(storyDocs(arts, memoIDF(d.Index))) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		it := d.story(ctx, g, visible, phrases)
		it.FirstPublished, it.LastPublished, it.LastIngested = inLoc(it.FirstPublished, loc), inLoc(it.LastPublished, loc), inLoc(it.LastIngested, loc)
		stories = append(stories, it)
	}
	sort.Slice(stories, func(i, j int) bool {
		a, b := stories[i], stories[j]
		if a.Sources != b.Sources {
			return a.Sources > b.Sources
		}
		if ra, rb := a.recency(), b.recency(); !ra.Equal(rb) {
			return ra.After(rb)
		}
		return a.StoryID < b.StoryID
	})

	clock := d.now()
	dg := &Digest{Channel: req.Channel, Since: req.Since, Now: req.Now, ref: clock,
		until: req.Now.Sub(clock).Abs() > time.Minute}
	for i := range stories {
		stories[i].ref = clock
	}
	if d.Leads != nil && req.Channel != "" {
		leads, err := d.Leads.Since(ctx, req.Channel, req.Since, req.Now)
		if err != nil {
			return nil, fmt.Errorf("digest leads: %w", err)
		}
		dg.Leads = dedupLeads(leads, maxLeads)
	}
	maxStories := req.MaxStories
	if maxStories <= 0 {
		maxStories = d.MaxStories
	}
	if maxStories <= 0 {
		maxStories = DefaultDigestStories
	}
	maxChars := d.MaxChars
	if maxChars <= 0 {
		maxChars = DefaultDigestChars
	}
	used := len(dg.header()) + len(dg.leadsText())
	for i, s := range stories {
		n := len(s.text(i + 1))
		if len(dg.Stories) == maxStories || (len(dg.Stories) > 0 && used+n > maxChars) {
			dg.More = len(stories) - i
			break
		}
		used += n
		dg.Stories = append(dg.Stories, s)
	}
	return dg, nil
}

// maxLeads bounds the leads section.
const maxLeads = 10

// story builds one story item from its visible articles. The lead, which
// gives the headline and the summary, is the clearest source: one whose
// wording is not outworded by another report that says the same thing
// (outworded: which was ingested first does not matter), a complete
// article over a stub, an
// original over its copies, an outlet with a name over an unknown one,
// then the longest, the earliest and the smallest ID, so the same articles
// always give the same lead.
func (d *Digester) story(ctx context.Context, docs []*storyDoc, visible func(*retrieval.Article) bool, phrases *phrase.Stats) StoryItem {
	arts := make([]*retrieval.Article, len(docs))
	for i, sd := range docs {
		arts[i] = sd.a
	}
	// An article counts as its original when the channel may see that
	// original; otherwise it stands for itself.
	origin := func(a *retrieval.Article) string {
		if o := a.Original(); o != a.ID && visible(d.Index.Header(o)) {
			return o
		}
		return a.ID
	}
	worse := outworded(docs, phrases, origin)
	isOriginal := func(a *retrieval.Article) bool { return origin(a) == a.ID }
	sort.Slice(arts, func(i, j int) bool {
		a, b := arts[i], arts[j]
		if sa, sb := worse[a.ID], worse[b.ID]; sa != sb {
			return sb
		}
		if ca, cb := clarity(a), clarity(b); ca != cb {
			return ca > cb
		}
		if oa, ob := isOriginal(a), isOriginal(b); oa != ob {
			return oa
		}
		if na, nb := outletOf(a) != "", outletOf(b) != ""; na != nb {
			return na
		}
		if la, lb := len(a.Text)/lengthStep, len(b.Text)/lengthStep; la != lb {
			return la > lb
		}
		if ta, tb := storyTime(a), storyTime(b); !ta.Equal(tb) {
			return ta.Before(tb)
		}
		return a.ID < b.ID
	})
	lead := arts[0]
	it := StoryItem{StoryID: lead.ID, Headline: headline(lead), URL: lead.URL, Articles: len(arts)}
	origins := map[string]bool{}
	for _, a := range arts {
		origins[origin(a)] = true
		if o := outletOf(a); o != "" && !slices.Contains(it.Outlets, o) {
			it.Outlets = append(it.Outlets, o)
		}
		if p := a.Published; !p.IsZero() {
			if it.FirstPublished.IsZero() || p.Before(it.FirstPublished) {
				it.FirstPublished = p
			}
			if p.After(it.LastPublished) {
				it.LastPublished = p
			}
		}
		if a.Ingested.After(it.LastIngested) {
			it.LastIngested = a.Ingested
		}
	}
	it.Sources = len(origins)

	var c storyCiter
	if s := d.modelSummary(ctx, arts); s != nil {
		it.Summary = s.Answer
		c.cites = s.Citations
	} else {
		var parts []string
		for _, sp := range leadSentences(lead.Text) {
			parts = append(parts, lead.Text[sp.Start:sp.End]+" "+c.mark(lead, sp))
		}
		it.Summary = strings.Join(parts, " ")
	}
	// Open points come from the story's own reports, and from an
	// outworded one only when no clearer source is left to say it.
	var clear []*retrieval.Article
	for _, a := range arts {
		if !worse[a.ID] {
			clear = append(clear, a)
		}
	}
	if len(clear) == 0 {
		clear = arts
	}
	it.Open = openPoints(clear, &c)
	it.Citations = c.cites
	return it
}

// modelSummary asks the Summarizer, if any, and keeps its answer only when
// it checks out against the story's own articles.
func (d *Digester) modelSummary(ctx context.Context, arts []*retrieval.Article) *answer.Answer {
	if d.Summarizer == nil {
		return nil
	}
	s, err := d.Summarizer.Summarize(ctx, arts)
	if err != nil || s == nil || strings.TrimSpace(s.Answer) == "" || len(s.Citations) == 0 {
		return nil
	}
	lookup := func(id string) *retrieval.Article {
		for _, a := range arts {
			if a.ID == id {
				return a
			}
		}
		return nil
	}
	s.Status, s.NotCovered = answer.Answered, nil
	if answer.Check(s, lookup) != nil {
		return nil
	}
	for _, sent := range retrieval.Sentences(s.Answer) {
		if len(answer.Markers(s.Answer[sent.Start:sent.End])) == 0 {
			return nil
		}
	}
	return s
}

// clarity scores how well an article serves as a story's lead: a title and
// a lead sentence of a readable length, then more text.
func clarity(a *retrieval.Article) int {
	score := 0
	if a.Title != "" {
		score += 2
	}
	if ss := leadSentences(a.Text); len(ss) > 0 {
		score += 2
	}
	if len(a.Text) > 600 {
		score++
	}
	return score
}

// lengthStep is the difference in text length, in bytes, that makes one
// article more complete than another.
const lengthStep = 1000

// headline is the story's title from its lead article: the page's title
// without the site's name, never a URL slug; the first sentence when the
// page has no title.
func headline(a *retrieval.Article) string {
	t := cleanTitle(a.Title)
	if t == "" || isSlug(t) {
		if ss := leadSentences(a.Text); len(ss) > 0 {
			t = a.Text[ss[0].Start:ss[0].End]
		}
	}
	if t == "" || isSlug(t) {
		return "(untitled)"
	}
	if tt := strings.TrimSpace(a.Title); t != "" && (strings.HasSuffix(tt, "...") || strings.HasSuffix(tt, "…")) && strings.HasPrefix(tt, t) {
		t += "…" // a cut title says so
	}
	return t
}

// isSlug reports whether a title is a URL's last segment
// ("hurricane-isaac-prompts-student-evacuations") rather than words.
func isSlug(t string) bool {
	return !strings.ContainsAny(t, " \t") && strings.Count(t, "-")+strings.Count(t, "_") >= 2
}

// Lead-sentence bounds, in bytes: shorter is a dateline or a fragment,
// longer is a run-on the reader cannot take in at a glance.
const (
	minLead = 40
	maxLead = 400
	// twoLead is the longest summary that takes a second sentence.
	twoLead = 320
)

// leadSentences returns the article's first one or two real sentences: the
// extractive summary.
func leadSentences(text string) []retrieval.Span {
	var out []retrieval.Span
	total := 0
	for _, sp := range retrieval.Sentences(text) {
		s := text[sp.Start:sp.End]
		if len(s) < minLead || len(s) > maxLead || !endsLikeSentence(s) || answer.Disclaims(s) {
			if len(out) > 0 {
				break
			}
			continue
		}
		if len(out) == 1 && total+len(s) > twoLead {
			break
		}
		out = append(out, sp)
		total += len(s)
		if len(out) == 2 {
			break
		}
	}
	return out
}

func endsLikeSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’)]`)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// maxOpen bounds the open points of one story.
const maxOpen = 2

// openPoints quotes the sentences in which the story's sources say what
// they leave open, once each (copies repeat them).
func openPoints(arts []*retrieval.Article, c *storyCiter) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range arts {
		for _, sp := range retrieval.Sentences(a.Text) {
			s := a.Text[sp.Start:sp.End]
			if len(s) > maxLead || !answer.Disclaims(s) {
				continue
			}
			k := retrieval.LineKey(s)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, s+" "+c.mark(a, sp))
			if len(out) == maxOpen {
				return out
			}
		}
	}
	return out
}

// storyCiter numbers a story's citations in order of first use.
type storyCiter struct{ cites []answer.Citation }

// mark cites a span of an article and returns its "[n]" marker.
func (c *storyCiter) mark(a *retrieval.Article, sp retrieval.Span) string {
	for _, x := range c.cites {
		if x.ArticleID == a.ID && x.Start == sp.Start && x.End == sp.End {
			return fmt.Sprintf("[%d]", x.N)
		}
	}
	cit := answer.Citation{
		N: len(c.cites) + 1, ArticleID: a.ID, Title: headline(a), Outlet: outletOf(a), URL: a.URL, Source: a.Source,
		Quote: a.Text[sp.Start:sp.End], Start: sp.Start, End: sp.End,
	}
	for i, p := range a.Passages {
		if p.Start <= sp.Start && sp.Start < p.End {
			cit.PassageID = retrieval.PassageID(a.ID, i)
			break
		}
	}
	if !a.Published.IsZero() {
		cit.Published = a.Published.Format("2006-01-02")
	}
	c.cites = append(c.cites, cit)
	return fmt.Sprintf("[%d]", cit.N)
}

// recency is when the story's news is from: its latest publication, or
// its latest ingest when no date is known.
func (s *StoryItem) recency() time.Time {
	if !s.LastPublished.IsZero() {
		return s.LastPublished
	}
	return s.LastIngested
}

// Text renders the digest for a terminal (and as the plain-text fallback
// of a post).
func (d *Digest) Text() string {
	var b strings.Builder
	b.WriteString(d.header())
	for i, s := range d.Stories {
		b.WriteString(s.text(i + 1))
	}
	if d.More > 0 {
		fmt.Fprintf(&b, "…and %d more %s.\n", d.More, countNoun(d.More, "story", "stories"))
	}
	b.WriteString(d.leadsText())
	return b.String()
}

func (d *Digest) header() string {
	since := stamp(d.Since, d.ref)
	if d.until {
		since += " until " + stamp(d.Now, d.ref)
	}
	if len(d.Stories) == 0 {
		return fmt.Sprintf("No new stories since %s.\n", since)
	}
	n := len(d.Stories) + d.More
	return fmt.Sprintf("Daily digest: %d %s since %s\n", n, countNoun(n, "story", "stories"), since)
}

// text renders one story, numbered n.
func (s *StoryItem) text(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d. %s\n", n, s.Headline)
	fmt.Fprintf(&b, "   %s\n", s.Summary)
	src := fmt.Sprintf("%d %s", s.Sources, countNoun(s.Sources, "source", "sources"))
	if len(s.Outlets) > 0 {
		src += ": " + strings.Join(s.Outlets, ", ")
	}
	if c := s.Articles - s.Sources; c > 0 {
		src += fmt.Sprintf(" (+%d %s)", c, countNoun(c, "copy", "copies"))
	}
	fmt.Fprintf(&b, "   %s · %s\n", src, s.Dates())
	for _, o := range s.Open {
		fmt.Fprintf(&b, "   Not covered: %s\n", o)
	}
	// One line per cited article, with all its markers.
	var order []string
	marks := map[string][]string{}
	byID := map[string]answer.Citation{}
	for _, c := range s.Citations {
		if _, ok := byID[c.ArticleID]; !ok {
			order = append(order, c.ArticleID)
			byID[c.ArticleID] = c
		}
		marks[c.ArticleID] = append(marks[c.ArticleID], fmt.Sprintf("[%d]", c.N))
	}
	for _, id := range order {
		c := byID[id]
		fmt.Fprintf(&b, "   %s", strings.Join(marks[id], ""))
		sep := " "
		if c.Outlet != "" {
			fmt.Fprintf(&b, " %s", c.Outlet)
			sep = ", "
		}
		if c.Title != "" {
			fmt.Fprintf(&b, "%s%q", sep, c.Title)
		}
		if c.URL != "" {
			fmt.Fprintf(&b, " %s", c.URL)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Dates says when the story was published and last ingested.
func (s *StoryItem) Dates() string {
	const day = "2 Jan 2006"
	var parts []string
	switch {
	case s.FirstPublished.IsZero():
		parts = append(parts, "publication date unknown")
	case s.FirstPublished.Format(day) == s.LastPublished.Format(day):
		parts = append(parts, "published "+s.FirstPublished.Format(day))
	default:
		parts = append(parts, "published "+s.FirstPublished.Format(day)+" – "+s.LastPublished.Format(day))
	}
	if !s.LastIngested.IsZero() {
		parts = append(parts, "ingested "+stampDay(s.LastIngested, s.ref))
	}
	return strings.Join(parts, ", ")
}

func (d *Digest) leadsText() string {
	if len(d.Leads) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nLeads: questions the sources could not answer\n")
	for _, l := range d.Leads {
		fmt.Fprintf(&b, "   • %s (%s)\n", l.Question, l.Time.Format("2 Jan 15:04"))
	}
	return b.String()
}

// stamp formats a time of the digest, with the year when it is not the
// year of ref (the digest's end).
func stamp(t, ref time.Time) string {
	if ref.IsZero() {
		ref = time.Now()
	}
	if t.Year() != ref.In(t.Location()).Year() {
		return t.Format("Mon 2 Jan 2006 15:04 MST")
	}
	return t.Format("Mon 2 Jan 15:04 MST")
}

// stampDay is stamp without the weekday.
func stampDay(t, ref time.Time) string {
	if ref.IsZero() {
		ref = time.Now()
	}
	if t.Year() != ref.In(t.Location()).Year() {
		return t.Format("2 Jan 2006 15:04 MST")
	}
	return t.Format("2 Jan 15:04 MST")
}

func inLoc(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
