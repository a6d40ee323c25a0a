package handlers

import (
	"math"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/phrase"
)

// Story grouping for the digest. Two reports are one story when they share
// the rare names and terms of the event and were published close in time.
// Each report is compared with the centre of a story (the sum of its
// members' term vectors), never with one member alone, so reports that
// each share a little with the next cannot chain unrelated events into
// one ever-growing group; and a story spans a bounded time.
const (
	// groupLeadBytes is how much of an article's text says what it is
	// about: its headline and first paragraphs name the event; later ones
	// wander into background shared with other events.
	groupLeadBytes = 2500
	// groupCosine is the least cosine with a story's centre that joins it.
	groupCosine = 0.3
	// groupMember is the least cosine with each of half of a story's
	// members that joins it.
	groupMember = 0.2
	// groupGap is the longest time between a story's newest report and
	// one that joins it; groupSpan bounds the time from its first.
	groupGap  = 48 * time.Hour
	groupSpan = 7 * 24 * time.Hour
	// timelessCosine is the least cosine with a story's centre, and with
	// each of its members, that joins a report whose time is unknown.
	timelessCosine = 0.5
	// groupKeys is how many of an article's heaviest terms find the
	// stories it is compared with.
	groupKeys = 12
)

// storyDoc is one article as grouping sees it.
type storyDoc struct {
	a    *retrieval.Article // with its text
	when time.Time
	vec  map[string]float64 // unit length
	keys []string           // heaviest terms first
	// timeless is set when nothing ties the report to one event in time:
	// no publication date and ingested in a bulk import, so the time
	// bound cannot help; or a roundup of several events (isRoundup). It
	// then joins a story only on much closer wording (timelessCosine).
	timeless bool
}

// newStoryDoc weighs the terms of a's headline and lead by their rarity
// (idf); names and the headline count double.
func newStoryDoc(a *retrieval.Article, when time.Time, idf func(string) float64, chrome func(string) bool, isSeries bool) *storyDoc {
	vec := map[string]float64{}
	add := func(text string, w float64, names bool) {
		toks := retrieval.Tokens(text)
		for i, t := range toks {
			if t.Stop || len(t.Term) < 2 {
				continue
			}
			x := w
			if names && t.Capital && i > 0 {
				x *= 2
			}
			vec[t.Term] += x
		}
	}
	series := ""
	if isSeries {
		series = seriesKey(a.Title)
	} else {
		add(cleanTitle(a.Title), 2, false) // headlines capitalise every word
	}
	text := leadOf(a.Text)
	for _, line := range strings.Split(text, "\n") {
		if !chrome(retrieval.LineKey(line)) && (series == "" || seriesKey(line) != series) {
			add(line, 1, true)
		}
	}
	var norm float64
	for t, x := range vec {
		v := (1 + math.Log(x)) * (1 + idf(t)) // 1+: in a small index every word is common, yet shared words still count
		vec[t] = v
		norm += v * v
	}
	norm = math.Sqrt(norm)
	keys := make([]string, 0, len(vec))
	for t := range vec {
		if norm > 0 {
			vec[t] /= norm
		}
		keys = append(keys, t)
	}
	sort.Slice(keys, func(i, j int) bool {
		if vec[keys[i]] != vec[keys[j]] {
			return vec[keys[i]] > vec[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > groupKeys {
		keys = keys[:groupKeys]
	}
	return &storyDoc{a: a, when: when, vec: vec, keys: keys}
}

// chromeWords and chromeDocs say which lines are a site's chrome rather
// than news: short lines that three or more of the articles repeat, the
// rule ingest cleans by (a long paragraph several reports share is a
// quote, and evidence of one story).
const (
	chromeWords = 16
	chromeDocs  = 3
	// chromeLongDocs: a paragraph of any length repeated by this many
	// articles is a form or a notice (a privacy notice a scraper caught),
	// not one event's quote.
	chromeLongDocs = 10
)

// storyDocs prepares articles for grouping; when gives each one's time.
func storyDocs(arts []*retrieval.Article, idf func(string) float64) []*storyDoc {
	counts := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, line := range strings.Split(leadOf(a.Text), "\n") {
			if k := retrieval.LineKey(line); k != "" && !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	chrome := func(k string) bool {
		n := counts[k]
		return k == "" || n >= chromeDocs && len(strings.Fields(k)) <= chromeWords || n >= chromeLongDocs
	}
	titles := map[string]int{}
	for _, a := range arts {
		if k := seriesKey(a.Title); k != "" {
			titles[k]++
		}
	}
	// Articles whose publication date is unknown and that were ingested
	// in one go with many others (an archive import) have no time that
	// says when their news happened.
	bulk := map[int64]int{}
	for _, a := range arts {
		if a.Published.IsZero() {
			bulk[a.Ingested.Unix()/60]++
		}
	}
	docs := make([]*storyDoc, len(arts))
	for i, a := range arts {
		docs[i] = newStoryDoc(a, storyTime(a), idf, chrome, titles[seriesKey(a.Title)] >= chromeDocs)
		docs[i].timeless = a.Published.IsZero() && bulk[a.Ingested.Unix()/60] >= bulkImport || isRoundup(a.Title)
	}
	return docs
}

// leadOf returns the first groupLeadBytes of text, cut at a rune.
func leadOf(text string) string {
	if len(text) <= groupLeadBytes {
		return text
	}
	cut := groupLeadBytes
	for cut < len(text) && text[cut]&0xC0 == 0x80 {
		cut++
	}
	return text[:cut]
}

// storyGroup is a story being built.
type storyGroup struct {
	docs        []*storyDoc
	centre      map[string]float64 // sum of the members' vectors
	norm2       float64            // its squared length
	first, last time.Time
	timeless    bool // a member's time is unknown
}

// within reports whether d is close enough in time to join the story:
// within groupGap of its reports and groupSpan of its first.
func (g *storyGroup) within(d *storyDoc) bool {
	return d.when.Sub(g.last) <= groupGap && d.when.Sub(g.first) <= groupSpan &&
		g.first.Sub(d.when) <= groupGap && g.last.Sub(d.when) <= groupSpan
}

func (g *storyGroup) cosine(d *storyDoc) float64 {
	if g.norm2 == 0 {
		return 0
	}
	var dot float64
	for t, x := range d.vec {
		dot += x * g.centre[t]
	}
	return dot / math.Sqrt(g.norm2)
}

// agrees reports whether d is close to at least half of the story's
// members one by one: a broad story's centre drifts towards what a whole
// beat has in common, and this keeps it to one event.
func (g *storyGroup) agrees(d *storyDoc) bool {
	need := (len(g.docs) + 1) / 2
	for i, m := range g.docs {
		if cosine(d.vec, m.vec) >= groupMember {
			need--
		}
		if need <= 0 {
			return true
		}
		if need > len(g.docs)-i-1 {
			return false
		}
	}
	return need <= 0
}

// agreesAll reports whether d is as close as min to every member.
func (g *storyGroup) agreesAll(d *storyDoc, min float64) bool {
	for _, m := range g.docs {
		if cosine(d.vec, m.vec) < min {
			return false
		}
	}
	return true
}

func cosine(a, b map[string]float64) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot float64
	for t, x := range a {
		dot += x * b[t]
	}
	return dot
}

func (g *storyGroup) add(d *storyDoc) {
	var dot float64
	for t, x := range d.vec {
		dot += x * g.centre[t]
		g.centre[t] += x
	}
	g.norm2 += 2*dot + 1
	g.docs = append(g.docs, d)
	g.timeless = g.timeless || d.timeless
	if g.first.IsZero() || d.when.Before(g.first) {
		g.first = d.when
	}
	if d.when.After(g.last) {
		g.last = d.when
	}
}

// groupStories groups the articles into stories. Copies (DuplicateOf an
// article among docs) join their original's story, when their own wording
// (headline and lead, site chrome left out) agrees with it: pages whose
// only text is the same site chrome (a registration notice, a video
// player's feedback form) are marked copies of each other at ingest, yet
// their headlines name different news, so each is taken on its own; and
// when they were published within groupSpan of each other: an obituary
// that repeats most of an earlier story is news of its own.
// The result is the same for the same articles, whatever their order.
func groupStories(docs []*storyDoc) [][]*storyDoc {
	sort.Slice(docs, func(i, j int) bool {
		if !docs[i].when.Equal(docs[j].when) {
			return docs[i].when.Before(docs[j].when)
		}
		return docs[i].a.ID < docs[j].a.ID
	})
	byID := make(map[string]*storyDoc, len(docs))
	for _, d := range docs {
		byID[d.a.ID] = d
	}
	var groups []*storyGroup
	of := map[string]int{}         // article ID → group
	postings := map[string][]int{} // term → groups whose members hold it as a key
	var copies []*storyDoc
	// join finds the story d fits best, other than skip, or -1.
	join := func(d *storyDoc, skip int) int {
		best, bestCos := -1, groupCosine
		seen := map[int]bool{skip: true}
		for _, k := range d.keys {
			for _, gi := range postings[k] {
				if seen[gi] {
					continue
				}
				seen[gi] = true
				g := groups[gi]
				if len(g.docs) == 0 || !g.within(d) {
					continue
				}
				if c := g.cosine(d); c >= bestCos && g.agrees(d) && (!d.timeless && !g.timeless || c >= timelessCosine && g.agreesAll(d, timelessCosine)) {
					if c > bestCos || best < 0 || gi < best {
						best, bestCos = gi, c
					}
				}
			}
		}
		return best
	}
	put := func(d *storyDoc, gi int) {
		groups[gi].add(d)
		of[d.a.ID] = gi
		for _, k := range d.keys {
			ps := postings[k]
			if len(ps) == 0 || ps[len(ps)-1] != gi {
				postings[k] = append(ps, gi)
			}
		}
	}
	// root follows copies of copies to the article they all copy.
	root := func(o string) string {
		for i := 0; i < len(docs); i++ {
			d := byID[o]
			if d == nil || d.a.DuplicateOf == "" || d.a.DuplicateOf == o || byID[d.a.DuplicateOf] == nil {
				break
			}
			o = d.a.DuplicateOf
		}
		return o
	}
	// copyOf is the article d copies among docs, or "".
	copyOf := func(d *storyDoc) string {
		o := d.a.DuplicateOf
		if o == "" || o == d.a.ID || byID[o] == nil {
			return ""
		}
		r := byID[root(o)]
		if cosine(d.vec, r.vec) < groupCosine {
			return "" // only chrome in common
		}
		if gap := d.when.Sub(r.when); gap > groupSpan || -gap > groupSpan {
			return "" // a later report that reuses the text: a follow-up, taken on its own
		}
		return o
	}
	var alone []*storyDoc
	for _, d := range docs {
		if o := copyOf(d); o != "" {
			if gi, ok := of[root(o)]; ok {
				put(d, gi) // its wording counts towards the story's centre
			} else {
				copies = append(copies, d)
			}
			continue
		}
		best := join(d, -1)
		if best < 0 {
			best = len(groups)
			groups = append(groups, &storyGroup{centre: map[string]float64{}})
			alone = append(alone, d)
		}
		put(d, best)
	}
	// A report that started a story no later one joined is offered the
	// stories formed after it: taken in time order, it met them before
	// their other members arrived, so the result would otherwise depend on
	// which report came first.
	for _, d := range alone {
		gi := of[d.a.ID]
		if len(groups[gi].docs) != 1 {
			continue
		}
		if best := join(d, gi); best >= 0 {
			groups[gi] = &storyGroup{centre: map[string]float64{}}
			put(d, best)
		}
	}
	for _, d := range copies {
		gi, ok := of[root(d.a.DuplicateOf)]
		if !ok {
			gi = len(groups)
			groups = append(groups, &storyGroup{centre: map[string]float64{}})
		}
		put(d, gi)
	}
	out := make([][]*storyDoc, 0, len(groups))
	for _, g := range groups {
		if len(g.docs) > 0 {
			out = append(out, g.docs)
		}
	}
	return out
}

// isRoundup reports whether a headline lists several stories rather than
// naming one: before or after a colon ("5 things to know for July 8: …",
// "…: Weekend's winners"), three or more short items separated by commas
// ("Jan. 6 hearing, Abe funeral, Prime Day").
func isRoundup(title string) bool {
	for _, part := range strings.Split(cleanTitle(title), ": ") {
		items := strings.Split(strings.TrimSpace(strings.TrimSuffix(part, "...")), ",")
		if len(items) < 3 {
			continue
		}
		short := true
		for _, it := range items {
			if n := len(strings.Fields(it)); n == 0 || n > roundupItemWords {
				short = false
				break
			}
		}
		if short {
			return true
		}
	}
	return false
}

// roundupItemWords is the most words of one item of a roundup's headline.
const roundupItemWords = 4

// bulkImport is how many undated articles ingested within one minute make
// an import whose ingest time says nothing of when the news happened.
const bulkImport = 20

// seriesKey is a title without its dates and numbers: a key several
// articles share is a column's name ("Ten Things You Need to Know Today:
// 28 Dec 2020"), not an event's headline.
func seriesKey(title string) string {
	var words []string
	for _, w := range strings.Fields(retrieval.LineKey(cleanTitle(title))) {
		w = strings.Trim(w, ".,:;!?'\"()")
		if w == "" || strings.ContainsAny(w, "0123456789") || dateWords[w] {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// dateWords are the names of months and weekdays, whole and shortened,
// as the time package spells them.
var dateWords = func() map[string]bool {
	m := map[string]bool{}
	for i := time.January; i <= time.December; i++ {
		n := strings.ToLower(i.String())
		m[n], m[n[:3]] = true, true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		n := strings.ToLower(d.String())
		m[n], m[n[:3]] = true, true
	}
	return m
}()

// storyTime is when an article's news is from: its publication when
// known, its ingest otherwise.
func storyTime(a *retrieval.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Ingested
}

// memoIDF returns the index's IDF, remembered per term.
func memoIDF(ix *retrieval.Index) func(string) float64 {
	memo := map[string]float64{}
	return func(t string) float64 {
		v, ok := memo[t]
		if !ok {
			v = ix.IDF(t)
			memo[t] = v
		}
		return v
	}
}

// outletOf names where an article comes from: its outlet (from the page,
// the feed or the record), else its URL's host; "" when nothing is known.
func outletOf(a *retrieval.Article) string {
	if a.Outlet != "" {
		return a.Outlet
	}
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return ""
}

// cleanTitle drops what a page's title adds to its headline: the site's
// name after a bar ("… | CNN Politics", "… | The Week UK") and the
// ellipsis of a cut title.
func cleanTitle(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.Index(t, " | "); i > 0 {
		t = t[:i]
	}
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "..."), "…"))
	return strings.TrimRight(t, " -–—|:")
}

// sameCosine is how close two reports' term vectors must be for them to
// say the same thing, so that the clearer wording of the two is preferred.
const sameCosine = 0.25

// copyCosine is how close two reports' term vectors are when one copies
// the other.
const copyCosine = 0.8

// outworded says which of a story's reports are worded less clearly than
// another report that says the same thing (a copy of it, or one as close
// as sameCosine): their word pairs are attested less often by the rest of
// the index (phrase.Stats.Outworded). Which one was ingested first, and so
// is marked the original, does not matter.
func outworded(docs []*storyDoc, phrases *phrase.Stats, family func(*retrieval.Article) string) map[string]bool {
	out := map[string]bool{}
	if phrases == nil || len(docs) < 2 {
		return out
	}
	texts := make([]phrase.Text, len(docs))
	for i, d := range docs {
		texts[i] = phrase.Text{ID: d.a.ID, Body: d.a.Title + "\n" + d.a.Text, Family: family(d.a)}
	}
	// Reports this close are copies even when ingest did not link them
	// (an archive imported without duplicate detection): they must not
	// vouch for one another's wording either.
	for i := range docs {
		for j := 0; j < i; j++ {
			if texts[i].Family != texts[j].Family && cosine(docs[i].vec, docs[j].vec) >= copyCosine {
				old := texts[i].Family
				for k := range texts {
					if texts[k].Family == old {
						texts[k].Family = texts[j].Family
					}
				}
			}
		}
	}
	// Reports of the event in their own words: j can outword i only when
	// it is as complete a report (a stub's few sentences are easily all
	// attested).
	same := func(i, j int) bool {
		return cosine(docs[i].vec, docs[j].vec) >= sameCosine && clarity(docs[j].a) >= clarity(docs[i].a)
	}
	for i, o := range phrases.Outworded(texts, same) {
		if o {
			out[docs[i].a.ID] = true
		}
	}
	return out
}
