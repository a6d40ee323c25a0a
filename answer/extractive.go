package answer

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// Extractive answers from the retrieved passages without a model: for each
// part of the question it picks the sentences that carry the part's
// concepts and an answer of the right kind, and quotes them.
type Extractive struct {
	// IDF weighs concepts by rarity; nil weighs them all alike.
	IDF func(term string) float64
}

// window is one sentence, or two adjacent sentences, of a retrieved passage.
type window struct {
	hit   retrieval.Hit
	rank  int
	start int // offsets in the article text
	end   int
	text  string
	toks  []retrieval.Token
	pair  bool
	// sents are the window's sentences, as offsets into text.
	sents []retrieval.Span
	// artToks are the tokens of the whole article, shared by its windows;
	// titleToks those of its headline; names the article's names (see
	// articleNames), shared too.
	artToks, titleToks []retrieval.Token
	names, titleTerms  map[string]bool
}

// sentence returns the text and tokens of one of the window's sentences.
func (w *window) sentence(sp retrieval.Span) (string, []retrieval.Token) {
	text := w.text[sp.Start:sp.End]
	return text, spanTokens(w.toks, text, sp.Start, sp.End)
}

type candidate struct {
	w        *window
	score    float64
	coverage float64 // share of the part's concepts matched
	ok       bool    // carries every required concept and an answer
	// named is set when the window speaks of a name the part asks about,
	// or the part asks about none: a related fact must.
	named bool
	// topical is set when the window matches a concept other than the
	// verb asked about: a related fact must ("was taken to hospital" is
	// nothing to "how long did the renovation take"), unless it says the
	// fact is not known (disclaimed).
	topical, disclaimed bool
	// leads is set for a window that says the fact asked is not known: it
	// is the best related fact there is (see pickRelated).
	leads bool
	// undecided is set when the window says, in words of its own for every
	// concept, that what the part asks is not known ("had not decided
	// whether to appeal").
	undecided bool
}

// Answer answers q from hits, best hit first.
func (e Extractive) Answer(q Question, hits []retrieval.Hit) *Answer {
	ans := &Answer{Question: q.Text, Citations: []Citation{}, NotCovered: []string{}}
	ans.Sources = countSources(hits)
	wins := windows(hits)
	var c citer
	var sentences []string
	var open []Part
	var related []candidate
	for _, p := range q.Parts {
		cands := e.rank(p, wins)
		chosen := pick(cands)
		if p.Kind == YesNo && len(chosen) > 1 {
			chosen = chosen[:1] // a yes or a no comes from one sentence
		}
		if len(chosen) == 0 {
			open = append(open, p)
			ans.NotCovered = append(ans.NotCovered, p.Text)
			for _, cd := range cands {
				if cd.coverage >= 0.5 && cd.named && (cd.topical || cd.disclaimed) {
					related = append(related, cd)
				}
			}
			continue
		}
		for _, cd := range chosen {
			n := c.cite(cd.w.hit, cd.w.start, cd.w.end)
			// "When and where …" may be answered twice by one sentence:
			// say it once.
			if s := fmt.Sprintf("%s [%d]", strings.TrimSpace(cd.w.text), n); !slices.Contains(sentences, s) {
				sentences = append(sentences, s)
			}
		}
	}
	switch {
	case len(open) == 0:
		ans.Status = Answered
	case len(open) < len(q.Parts):
		ans.Status = Partial
	default:
		ans.Status = NotCovered
	}
	var b strings.Builder
	if ans.Status == NotCovered {
		b.WriteString(noneSay(ans.Sources, open))
		rel := pickRelated(related, 2)
		if len(rel) > 0 {
			b.WriteString(" What they do say:")
			for _, cd := range rel {
				n := c.cite(cd.w.hit, cd.w.start, cd.w.end)
				fmt.Fprintf(&b, " %s [%d]", strings.TrimSpace(cd.w.text), n)
			}
		}
	} else {
		b.WriteString(strings.Join(sentences, " "))
		for _, p := range open {
			fmt.Fprintf(&b, " The sources do not say %s.", p.Text)
		}
	}
	ans.Answer = strings.TrimSpace(b.String())
	ans.Citations = c.cites
	return ans
}

func noneSay(sources int, open []Part) string {
	var what []string
	for _, p := range open {
		what = append(what, p.Text)
	}
	return noneFound(sources, what)
}

// countSources counts the independent articles among the hits: a copy
// counts with its original.
func countSources(hits []retrieval.Hit) int {
	seen := map[string]bool{}
	for _, h := range hits {
		seen[h.Article.Original()] = true
	}
	return len(seen)
}

// spanTokens returns the tokens of the article text [start, end), whose
// text is text, with offsets into text: the article's own tokens, which
// the windows share, when no word crosses the span's edges (windows are
// whole sentences), else text tokenised afresh.
func spanTokens(artToks []retrieval.Token, text string, start, end int) []retrieval.Token {
	lo := sort.Search(len(artToks), func(i int) bool { return artToks[i].End > start })
	hi := sort.Search(len(artToks), func(i int) bool { return artToks[i].Start >= end })
	if lo < hi && (artToks[lo].Start < start || artToks[hi-1].End > end) {
		return retrieval.Tokens(text)
	}
	out := make([]retrieval.Token, hi-lo)
	for i, t := range artToks[lo:hi] {
		t.Start -= start
		t.End -= start
		out[i] = t
	}
	return out
}

// windows cuts every hit into sentence windows.
func windows(hits []retrieval.Hit) []*window {
	var out []*window
	artToks := map[string][]retrieval.Token{}
	titleToks := map[string][]retrieval.Token{}
	names, titleTerms := map[string]map[string]bool{}, map[string]map[string]bool{}
	for rank, h := range hits {
		ss := retrieval.Sentences(h.Passage.Text)
		base := h.Passage.Start
		at, ok := artToks[h.Article.ID]
		if !ok {
			at = retrieval.Tokens(h.Article.Text)
			artToks[h.Article.ID] = at
			titleToks[h.Article.ID] = retrieval.Tokens(h.Article.Title)
			names[h.Article.ID] = articleNames(h.Article.Text, at, titleToks[h.Article.ID])
			terms := map[string]bool{}
			for _, t := range titleToks[h.Article.ID] {
				terms[t.Term] = true
			}
			titleTerms[h.Article.ID] = terms
		}
		tt, nm, tterms := titleToks[h.Article.ID], names[h.Article.ID], titleTerms[h.Article.ID]
		mk := func(s, e retrieval.Span, pair bool) *window {
			start, end := base+s.Start, base+e.End
			text := h.Article.Text[start:end]
			w := &window{hit: h, rank: rank, start: start, end: end, text: text, toks: spanTokens(at, text, start, end), pair: pair, artToks: at, titleToks: tt, names: nm, titleTerms: tterms}
			w.sents = []retrieval.Span{{Start: 0, End: s.End - s.Start}}
			if pair {
				w.sents = append(w.sents, retrieval.Span{Start: e.Start - s.Start, End: e.End - s.Start})
			}
			return w
		}
		for i, s := range ss {
			// A question asserts nothing ("Will the town sue the bank?"
			// in a column): it neither answers nor counts as a fact.
			if len(strings.Fields(h.Passage.Text[s.Start:s.End])) < 4 || asksQuestion(h.Passage.Text[s.Start:s.End]) {
				continue
			}
			out = append(out, mk(s, s, false))
			// A pair stays inside one paragraph.
			if i+1 < len(ss) && !strings.Contains(h.Passage.Text[s.End:ss[i+1].Start], "\n") &&
				!asksQuestion(h.Passage.Text[ss[i+1].Start:ss[i+1].End]) {
				out = append(out, mk(s, ss[i+1], true))
			}
		}
	}
	return out
}

// asksQuestion reports whether a sentence is a question: it ends with a
// question mark, before any closing quotes or brackets.
func asksQuestion(sentence string) bool {
	return strings.HasSuffix(strings.TrimRight(sentence, " \t\n\"'”’)]"), "?")
}

func (e Extractive) idf(alt []string) float64 {
	if e.IDF == nil {
		return 1
	}
	best := 0.0
	for _, t := range alt {
		best = max(best, e.IDF(t))
	}
	return max(best, 0.1)
}

// rank scores every window for a part, best first.
func (e Extractive) rank(p Part, wins []*window) []candidate {
	qterms := map[string]bool{}
	for _, c := range append(slices.Clone(p.Concepts), p.Context...) {
		for _, alt := range c.Alts {
			for _, t := range alt {
				qterms[t] = true
			}
		}
	}
	inQ := func(t string) bool { return qterms[t] }
	weights := make([]float64, len(p.Concepts))
	total := 0.0
	for i, c := range p.Concepts {
		weights[i] = e.idf(c.Alts[0])
		total += weights[i]
	}
	// Where each concept stands in each article, found once: windows of
	// one article share it.
	type artConcept struct {
		article string
		concept int
	}
	found := map[artConcept][]int{}
	inArticle := func(w *window, ci int, c Concept) []int {
		k := artConcept{w.hit.Article.ID, ci}
		at, ok := found[k]
		if !ok {
			for i := range w.artToks {
				if matchAt(w.artToks, i, c) {
					at = append(at, i)
				}
			}
			found[k] = at
		}
		return at
	}
	var out []candidate
	for _, w := range wins {
		var inWin, inCtx float64
		missing, missed := 0, -1
		missFocusOrName := false
		names, named, topical, content := false, false, false, false
		for i, c := range p.Concepts {
			names = names || c.Name && !dateName(c)
			switch {
			case sideUnsaid(p, i, w):
				// Falls to the end: the side asked is not in the window.
				missing++
				missed = i
				missFocusOrName = true
			case matches(w.toks, c) && (c.Name || !onlyModifies(w, c, inQ)) && !(p.Kind == YesNo && c.Verb && unasserted(w.toks, c)) && !contested(p, i, w.toks, inQ) &&
				!(i+1 < len(p.Concepts) && c.modifies(p.Concepts[i+1]) && modifierApart(w, p.Concepts[i+1], inQ)) &&
				!(c.Verb && p.Kind != YesNo && onlyWhether(p, w.toks, c)) &&
				(c.Name || !onlyDemanded(w.toks, c) || asksDemand(p)) && !dangling(p, i, w) && !possessiveSpeaker(p, i, w) && !nameOnlyAfter(w, c) && !otherBearer(w, c),
				p.Kind == HowMuch && isMoney(c) && hasCurrency(w.text),
				p.Kind == HowMuch && i == p.Focus && isTally(c) && hasTally(w.text),
				p.Kind == HowMuch && isCost(c) && (pricedThing(p, w.text, w.toks) || soldFor(p, w.text, w.toks)),
				p.Kind == HowMuch && isPay(c) && paidFor(w.text, w.toks),
				p.Kind == HowLong && lengthVerb(c) && hasDuration(p, w.text, w.toks),
				p.Kind == HowMuch && isChange(c) && hasRise(w.text, w.toks),
				i == p.Focus && p.Kind == HowMany && (deathToll(p, w.toks) >= 0 || crowdCount(p, w.toks) >= 0):
				inWin += weights[i]
				named = named || c.Name
				topical = topical || !c.Verb
				content = content || !c.Verb && !c.Name
			case c.Name && !dateName(c) && (namedBefore(w, c) || namedNext(p, w, c)) && !otherNameLeads(w, inQ) && !namesAnotherOfKind(w, c) && (p.Kind == Who || !hasPerson(w.toks, inQ)) &&
				(!isSpeaker(p, i) || refersToPerson(w.toks)), !c.Name && (namedNearby(w, c, inArticle(w, i, c)) || personNoun(c) && pronounRef(w, c)),
				i+1 < len(p.Concepts) && c.modifies(p.Concepts[i+1]) && sameInstance(w, own(p.Concepts[i+1]), inQ) && compoundInArticle(w.artToks, c, p.Concepts[i+1]) &&
					!apposedName(w, p.Concepts[i+1]),
				headlineTopic(w, c, inQ, p.Kind == Where) && !c.Verb && !(c.Name && namesAnotherOfKind(w, c)) && (c.Name || p.Kind != Why) &&
					!(i+1 < len(p.Concepts) && c.modifies(p.Concepts[i+1]) && ownlyModified(w.toks, p.Concepts[i+1], inQ)):
				inCtx += weights[i]
				named = named || c.Name
				topical = topical || !c.Verb
				content = content || !c.Verb && !c.Name
			default:
				missing++
				missed = i
				if i == p.Focus || c.Name {
					missFocusOrName = true
				}
			}
		}
		if inWin == 0 {
			continue
		}
		// For "who designed the library?", "designed by the architect
		// Helena Marr" is worth showing though it shares only the verb.
		cd := candidate{w: w, named: named || !names,
			topical: topical || onlyVerbs(p) || p.Kind == Who && statesVerb(p, w.toks) && hasPerson(w.toks, inQ)}
		if total > 0 {
			cd.coverage = (inWin + inCtx) / total
		}
		// Every concept must be there; a question of four or more
		// concepts may miss its least telling one, never a name, the
		// thing counted, or what happened ("hospitalized" is not
		// "infected").
		allowed := missing == 0 || (missing == 1 && len(p.Concepts) >= 4 && !missFocusOrName &&
			leastTelling(weights, missed) && !verbal(p.Concepts[missed]))
		ctxBonus := 0.0
		for _, c := range p.Context {
			if matches(w.toks, c) || matches(w.artToks, c) {
				ctxBonus += 0.5
			}
		}
		strength := evidence(p, w, inQ)
		// "it cannot show that walking lowers the risk" leaves a yes-no
		// question open; it says nothing of who or how many.
		disclaimed := (disclaims(w.text) || p.Kind == YesNo && provesNothing(w.text)) && !(asideOnly(w.text) && !asksWho(p)) &&
			!namesRoleHolder(p, w, inQ)
		if disclaimed {
			// "Okonkwo resigned last month; the company did not say
			// whether …" still dates the resignation: the clause before
			// the disclaimer may answer on its own.
			if pre := beforeDisclaimer(w); pre != nil && holdsMatched(p, w, pre) {
				strength = evidence(p, pre, inQ)
				disclaimed = strength == 0
			}
		}
		// A part that says "her" or "he" of a name asked about before
		// ("…, and who is her chief of staff?") needs an article that
		// names that person.
		cd.ok = allowed && len(p.Concepts) > 0 && strength > 0 && !disclaimed && (len(p.Context) == 0 || ctxBonus > 0)
		cd.score = inWin + 0.6*inCtx + ctxBonus + 1.0/float64(2+w.rank) + 0.8*float64(strength-1)
		if disclaimed && !disclaimsOther(p, w.text) {
			// A sentence saying the fact is unknown is the best related
			// fact there is. "Did not respond to a request for comment" is
			// one for what someone said; for anything else, a disclaimer
			// must speak of more than a name.
			cd.disclaimed = true
			cd.leads = p.Kind == Say || content && !noComment(w.text)
			if p.Kind == Say || !noComment(w.text) {
				cd.coverage += 0.25
			}
			// "It has not said whether it will bring in more elephants"
			// leaves it open though "it" stands for the zoo.
			cd.undecided = !w.pair && (missing == 0 && (inCtx == 0 || saysAny(w.text, []string{"whether"})) || missing <= 1 && provesNothing(w.text)) ||
				w.pair && missing == 0 && inCtx == 0 && saysAny(w.text, nextStepsOpen)
		}
		switch {
		case w.pair && (p.Kind == HowMany || p.Kind == HowMuch) && cd.ok && competingCounts(w):
			cd.score += 0.3 // both estimates beat either alone
		case w.pair && p.Kind == YesNo:
			cd.score -= 1 // a yes or a no is said in one sentence, if it can be
		case w.pair:
			cd.score -= 0.5
		}
		// Prefer sentences of reasonable length.
		if n := len(w.toks); n > 60 {
			cd.score -= float64(n-60) * 0.02
		}
		out = append(out, cd)
	}
	if p.Kind == YesNo {
		undecided(out)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// undecided keeps a yes-no part from being answered out of an article that
// says the matter is open: where the attorney general "had not decided
// whether to appeal", "a federal appeals court on Monday struck down a
// state law" does not say whether the state will appeal.
func undecided(cands []candidate) {
	open := map[string]bool{}
	for _, cd := range cands {
		if cd.undecided {
			open[cd.w.hit.Article.Original()] = true
		}
	}
	for i := range cands {
		if open[cands[i].w.hit.Article.Original()] {
			cands[i].ok = false
		}
	}
}

// otherBearer reports, for a name the question gives as one word ("Voss"),
// whether every mention of it in the window is someone else of that name:
// under "Eleanor Voss, pioneering architect, dies at 91", "Her husband,
// the painter Karl Voss, died in 2011" is not about the Voss asked about.
// The one meant is the one the headline names, else the article's first.
func otherBearer(w *window, c Concept) bool {
	if !c.Name || len(c.Alts) != 1 || len(c.Alts[0]) != 1 {
		return false
	}
	var given []string // the capitalised words before each mention
	for i := range w.toks {
		if !matchAt(w.toks, i, c) {
			continue
		}
		if i == 0 || w.toks[i-1].End+1 != w.toks[i].Start {
			return false
		}
		prev := w.toks[i-1]
		if !prev.Capital || prev.Stop || titles[lower(prev)] || isMonthOrDay(prev) ||
			opensSentence(w.text, w.toks, i-1) && !w.names[prev.Term] {
			return false
		}
		given = append(given, prev.Term)
	}
	if len(given) == 0 {
		return false
	}
	// Only now look for the one meant: most windows never get here.
	main := givenName(w.titleToks, c)
	if main == "" {
		main = givenName(w.artToks, c)
	}
	return main != "" && !slices.Contains(given, main)
}

// givenName returns the term of the capitalised word right before the
// first mention of name c in toks that has one ("Eleanor" of "Eleanor
// Voss"), or "".
func givenName(toks []retrieval.Token, c Concept) string {
	for i := 1; i < len(toks); i++ {
		prev := toks[i-1]
		if matchAt(toks, i, c) && prev.End+1 == toks[i].Start && prev.Capital && !prev.Stop && !titles[lower(prev)] && !isMonthOrDay(prev) {
			return prev.Term
		}
	}
	return ""
}

// namesAnotherOfKind reports a window that names another of the name's
// kind: "Hollis County paid a ransom" is not about "Dalton County", though
// the article named Dalton County before.
func namesAnotherOfKind(w *window, c Concept) bool {
	full := c.Alts[0]
	if len(full) < 2 {
		return false
	}
	head := Concept{Alts: [][]string{full[len(full)-1:]}}
	for i := 1; i < len(w.toks); i++ {
		prev := w.toks[i-1]
		if matchAt(w.toks, i, head) && w.toks[i].Capital && prev.Capital && !prev.Stop && prev.End+1 == w.toks[i].Start &&
			prev.Term != full[len(full)-2] {
			return true
		}
	}
	return false
}

// dateName reports a concept that is a weekday or a month ("Monday"): a
// date, which an earlier sentence naming it does not lend to a window as
// it lends a person or a company.
func dateName(c Concept) bool {
	f := strings.Fields(strings.ToLower(c.Label))
	return len(f) == 1 && (weekdays[f[0]] || months[f[0]])
}

// own narrows a concept to its own words: "costs" may stand for "price",
// but does not make "the closing price" of the article's compound.
func own(c Concept) Concept {
	terms := retrieval.Terms(c.Label)
	for _, alt := range c.Alts {
		if slices.Equal(alt, terms) {
			return Concept{Label: c.Label, Alts: [][]string{alt}, Name: c.Name, Start: c.Start, End: c.End}
		}
	}
	return c
}

// leastTelling reports whether concept i weighs strictly less than every
// other: on a tie there is no least telling one to do without.
func leastTelling(ws []float64, i int) bool {
	for j, w := range ws {
		if j != i && w <= ws[i] {
			return false
		}
	}
	return true
}

// verbal reports whether a concept's last word looks like a verb form
// ("hospitalized", "resigning"): the event asked about, which a sentence
// must state.
func verbal(c Concept) bool {
	ws := strings.Fields(strings.ToLower(c.Label))
	if len(ws) == 0 {
		return false
	}
	w := ws[len(ws)-1]
	return c.Verb || retrieval.Lemma(w) != w || // "won", "fell"
		len(w) > 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing"))
}

// pick returns the best qualifying window and, when another independent
// article also answers, the best of that one too.
func pick(cands []candidate) []candidate {
	var out []candidate
	for _, cd := range cands {
		if !cd.ok {
			continue
		}
		if len(out) == 0 {
			out = append(out, cd)
			continue
		}
		first := out[0]
		if cd.w.hit.Article.Original() == first.w.hit.Article.Original() || overlaps(cd.w, first.w) {
			continue
		}
		// A second source must stand on its own words as well as the
		// first: one sentence, as much of the question, nearly the score.
		if cd.score >= 0.8*first.score && !cd.w.pair && cd.coverage >= first.coverage {
			out = append(out, cd)
		}
		break
	}
	// Of two sources, the newer leads: a developing story's latest figure
	// ("the death toll rose to 14") comes before the first report's.
	if len(out) == 2 {
		a, b := out[0].w.hit.Article.Published, out[1].w.hit.Article.Published
		if !a.IsZero() && b.After(a) {
			out[0], out[1] = out[1], out[0]
		}
	}
	return out
}

func overlaps(a, b *window) bool {
	return a.hit.Article.ID == b.hit.Article.ID && a.start < b.end && b.start < a.end
}

// pickRelated returns up to n of the closest non-answers, from different
// articles, single sentences (or a pair that leaves a yes-no question
// open), and first those saying the fact is not known.
func pickRelated(cands []candidate, n int) []candidate {
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].leads != cands[j].leads {
			return cands[i].leads
		}
		if cands[i].coverage != cands[j].coverage {
			return cands[i].coverage > cands[j].coverage
		}
		return cands[i].score > cands[j].score
	})
	var out []candidate
	seen := map[string]bool{}
	for _, cd := range cands {
		// A pair is shown only when it leaves the question open: the
		// claim and the sentence that undoes it belong together.
		if cd.w.pair && !cd.undecided || seen[cd.w.hit.Article.Original()] {
			continue
		}
		seen[cd.w.hit.Article.Original()] = true
		out = append(out, cd)
		if len(out) == n {
			break
		}
	}
	return out
}

// beforeDisclaimer returns the part of a one-sentence window before the
// clause in which the source says something is not known, cut at a
// semicolon or at ", and", ", but" or " but", or nil when there is no
// such part.
func beforeDisclaimer(w *window) *window {
	if w.pair {
		return nil
	}
	cut := -1
	for i := range len(w.text) {
		rest := w.text[i:]
		if (strings.HasPrefix(rest, ";") || strings.HasPrefix(rest, ", and ") || strings.HasPrefix(rest, ", but ") ||
			strings.HasPrefix(rest, " but ")) && !disclaims(w.text[:i]) && disclaims(rest) {
			cut = i
		}
	}
	if cut <= 0 {
		return nil
	}
	pre := *w
	pre.end = w.start + cut
	pre.text = w.text[:cut]
	pre.toks = spanTokens(w.artToks, pre.text, pre.start, pre.end)
	pre.sents = []retrieval.Span{{Start: 0, End: cut}}
	return &pre
}

// noCommentRe matches a source's silence on everything: "did not respond
// to a request for comment", which says nothing of who replaces a coach.
var noCommentRe = regexp.MustCompile(`(?i)(?:did not|didn't|could not|couldn't) (?:respond|be reached|return)|declined to comment|no comment`)

func noComment(text string) bool { return noCommentRe.MatchString(text) }

// asideRe matches a relative clause set off by commas: ", who has not
// been named,".
var asideRe = regexp.MustCompile(`,\s+(?:who|whose|which)\b[^,;]*,`)

// asideOnly reports whether every disclaimer of a sentence stands in a
// relative aside: "The captain, who has not been named, has worked for the
// company for 11 years" says how long the captain has worked there.
func asideOnly(text string) bool {
	return asideRe.MatchString(text) && !disclaims(asideRe.ReplaceAllString(text, ","))
}

// competingCounts reports a two-sentence window whose sentences each give
// a number on someone's word: "Police estimated the crowd at about 8,000.
// The organisers said more than 25,000 people took part." A count asked
// for is answered with both estimates, not with one of them.
func competingCounts(w *window) bool {
	if len(w.sents) != 2 {
		return false
	}
	for _, sp := range w.sents {
		text, toks := w.sentence(sp)
		if !slices.ContainsFunc(toks, isNumber) || !estimateRe.MatchString(text) {
			return false
		}
	}
	return true
}

// estimateRe matches the words by which a source gives its own figure.
var estimateRe = regexp.MustCompile(`(?i)\b(?:said|says|estimated|estimates|according to|put the (?:number|figure|crowd))\b`)

// namesRoleHolder reports, for "who is X's chief executive", a window that
// names the holder right after the role: "Chief executive Ingrid Solberg
// declined to say how many orders …" says who the chief executive is,
// whatever she declined to say.
func namesRoleHolder(p Part, w *window, inQ func(string) bool) bool {
	f := strings.Fields(strings.ToLower(p.Asked))
	if p.Kind != Who || len(f) < 3 || f[0] != "who" || f[1] != "is" && f[1] != "was" {
		return false
	}
	for _, c := range p.Concepts {
		if c.Name || !personNoun(c) {
			continue
		}
		for i := range w.toks {
			n := matchLen(w.toks, i, c)
			if n == 0 || i+n+1 >= len(w.toks) {
				continue
			}
			a, b := w.toks[i+n], w.toks[i+n+1]
			if a.Capital && b.Capital && !a.Stop && !b.Stop && !inQ(a.Term) && !inQ(b.Term) &&
				joined(w.text, w.toks, i+n-1) && joined(w.text, w.toks, i+n) {
				return true
			}
		}
	}
	return false
}

// asksWho reports a part that asks who someone is or what they are
// called, which an aside's "who has not been named" does answer.
func asksWho(p Part) bool {
	return p.Kind == Who || p.Kind == Definition || p.Naming || p.FullName || strings.Contains(p.Asked, "name")
}

// holdsMatched reports whether pre, a part of w, holds every concept of p
// that w's own words match.
func holdsMatched(p Part, w, pre *window) bool {
	for _, c := range p.Concepts {
		if matches(w.toks, c) && !matches(pre.toks, c) {
			return false
		}
	}
	return len(pre.toks) > 0
}

// disclaimers are phrases by which a source says a fact is not known.
var disclaimers = []string{"not say", "n't say", "declined to", "refused to say", "not disclos", "not provide",
	"not known", "unknown", "unclear", "not clear", "did not respond", "could not be reached", "not elaborate",
	"no details", "not immediately", "not name", "n't name", "not identif", "not determin", "not releas",
	"not confirm", "not reveal", "not specif", "no indication", "no information", "neither",
	"not decided", "not yet decided", "undecided", "yet to decide", "no decision", "not ruled out", "weighing whether",
	"considering whether", "not estimated", "not been named", "not been identified", "not been released", "not been disclosed",
	"not been made public", "not said", "undisclosed"}

// disclaimsOther reports whether each thing the text says is not known is
// of another kind than p asks: "he did not say how much the strike would
// cost" leaves open a cost, not whether there will be more strikes, nor
// who recognised a painting. A disclaimer followed by no question word
// may be of anything.
func disclaimsOther(p Part, text string) bool {
	asks := map[Kind][]string{HowMuch: {"how much"}, HowMany: {"how many"}, HowLong: {"how long"},
		Who: {"who", "whom"}, When: {"when"}, Where: {"where"}, Why: {"why"}, YesNo: {"whether", "if"}}[p.Kind]
	if asks == nil {
		return false
	}
	low := strings.ToLower(retrieval.Fold(text))
	found := false
	for _, d := range disclaimers {
		for at := 0; ; {
			j := strings.Index(low[at:], d)
			if j < 0 {
				break
			}
			at += j + len(d)
			wh := disclaimedWh(strings.Fields(low[at:]))
			if wh == "" && namingDisclaimers[d] {
				wh = "who" // "two other clubs, which he did not name"
			}
			if wh == "" {
				return false
			}
			if slices.Contains(asks, wh) {
				return false
			}
			found = true
		}
	}
	return found
}

// namingDisclaimers leave open who someone is.
var namingDisclaimers = map[string]bool{"not name": true, "n't name": true, "not identif": true,
	"not been named": true, "not been identified": true}

// disclaimedWh returns the question word that opens what a disclaimer
// leaves open ("say how much the strike would cost" → "how much"), past a
// few words of saying, or "" when none follows.
func disclaimedWh(words []string) string {
	for k, w := range words[:min(len(words), 4)] {
		w = strings.Trim(w, ",;:")
		switch w {
		case "how":
			if k+1 < len(words) {
				switch next := strings.Trim(words[k+1], ",;:"); next {
				case "much", "many", "long":
					return "how " + next
				}
			}
			return "how"
		case "who", "whom", "when", "where", "why", "whether", "if", "what", "which":
			return w
		case "say", "to", "disclose", "comment", "on", "immediately", "publicly", "yet", "exactly", "specify",
			"reveal", "confirm", "explain", "be", "been", "known", "clear", "said", "disclosed", "specified":
			continue
		}
		return ""
	}
	return ""
}

// provesNothing reports a sentence saying a study cannot show what it
// seems to: "it cannot show that walking itself lowers the risk" leaves
// open, for the whole article, whether walking lowers heart risk.
func provesNothing(text string) bool { return saysAny(text, causeCaveats) }

var causeCaveats = []string{"cannot show", "can't show", "could not show", "cannot prove", "does not prove", "did not prove"}

// nextStepsOpen say that whoever would act has not decided anything yet:
// beside "Dillard said the county would appeal", "officials had not decided
// on next steps" leaves open whether the county will appeal.
var nextStepsOpen = []string{"on next steps", "on its next steps", "on their next steps", "how to proceed", "what to do next"}

// disclaims reports whether a sentence says that something is not known.
func disclaims(text string) bool { return saysAny(text, disclaimers) }

// saysAny reports whether text, folded and lowercased, holds one of the
// phrases.
func saysAny(text string, phrases []string) bool {
	low := strings.ToLower(retrieval.Fold(text))
	return slices.ContainsFunc(phrases, func(d string) bool { return strings.Contains(low, d) })
}

// namedNearby reports whether a role concept the window lacks ("mayor")
// stands, somewhere in the article, in apposition with a name the window
// uses — "Mayor Alicia Fernández", "the harbor master, Colm Brady", "Colm
// Brady, the harbor master" — so the window speaks of that person. at
// holds where c stands in the article.
func namedNearby(w *window, c Concept, at []int) bool {
	if len(at) == 0 {
		return false
	}
	inWin := map[string]bool{}
	for _, t := range w.toks {
		if t.Capital && !t.Stop {
			inWin[t.Term] = true
		}
	}
	if len(inWin) == 0 {
		return false
	}
	text := w.hit.Article.Text
	toks := w.artToks
	isName := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].Capital && inWin[toks[k].Term] }
	gap := func(a, b int) string { return strings.TrimSpace(text[toks[a].End:toks[b].Start]) }
	for _, i := range at {
		end := i + matchLen(toks, i, c) - 1
		// Role, then name: "Mayor Alicia Fernández", "the harbor master, Colm Brady".
		if k := end + 1; k < len(toks) && (gap(end, k) == "" || gap(end, k) == ",") && (isName(k) || (isName(k+1) && toks[k].Capital)) {
			return true
		}
		// Name, then role: "Colm Brady, the harbor master".
		if k := i - 1; k >= 1 && toks[k].Stop && (lower(toks[k]) == "the" || lower(toks[k]) == "a") && gap(k-1, k) == "," && isName(k-1) {
			return true
		}
	}
	return false
}

// personNoun reports whether a concept names a person by role ("chief
// executive", "lawyer", "CISO"), which a later "he" or "she" can refer to;
// "cast" or "budget" cannot.
func personNoun(c Concept) bool {
	for _, alt := range c.Alts {
		if len(alt) > 0 && roleTerms[alt[len(alt)-1]] {
			return true
		}
	}
	w := strings.ToLower(c.Label)
	for _, suf := range []string{"er", "or", "ist", "ian", "man", "woman", "person"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// roleTerms are the terms of words naming people by role.
var roleTerms = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`officer chief executive director manager president chairman chairwoman chair
	head leader spokesman spokeswoman spokesperson official minister secretary mayor governor senator judge
	lawyer attorney coach captain founder owner candidate councilman councilwoman member treasurer
	superintendent commissioner master ceo cfo coo ciso cto deputy aide adviser advisor staffer employee
	worker player striker doctor nurse officer police sheriff chief prosecutor defendant victim resident`) {
		roleTerms[retrieval.Term(w)] = true
	}
}

// pronounRef reports whether the window refers by pronoun ("to succeed
// him") to something the concept names just before it in the article ("its
// chief executive, Tomas Lindqvist, …").
func pronounRef(w *window, c Concept) bool {
	has := false
	for _, t := range w.toks {
		switch lower(t) {
		case "he", "him", "his", "she", "her", "they", "them", "their":
			has = true
		}
	}
	if !has {
		return false
	}
	from := max(0, w.start-400)
	lo := sort.Search(len(w.artToks), func(i int) bool { return w.artToks[i].Start >= from })
	hi := sort.Search(len(w.artToks), func(i int) bool { return w.artToks[i].End > w.start })
	return matches(w.artToks[lo:hi], c)
}

// headlineTopic reports whether the article's headline names the concept
// and the window stays with the headline's story: an article headlined
// "Measles cases climb in Carver County outbreak" is about that outbreak
// throughout, so its "Six people have been hospitalized." counts the
// outbreak's patients. A window that marks another event does not: a year
// or a place ("in Ashford") that neither the question nor the headline
// names ("During a 2019 outbreak in Ashford, …"), or, when the question
// picks one of the headline's names, another of them: under "Brightline to
// buy Cobalt", "Brightline chief executive Nora Patel …" says nothing of
// Cobalt's. For a where-question (asksPlace) a place is the answer, not
// another event: "The outbreak began … in Eastfield" under "Measles
// outbreak grows" says where the measles outbreak began.
func headlineTopic(w *window, c Concept, inQ func(string) bool, asksPlace bool) bool {
	if !matches(w.titleToks, c) {
		return false
	}
	inTitle, names := w.titleTerms, w.names
	asksTitleName := slices.ContainsFunc(w.titleToks, func(t retrieval.Token) bool { return t.Capital && !t.Stop && inQ(t.Term) })
	for i, t := range w.toks {
		if t.Stop || inQ(t.Term) {
			continue
		}
		switch {
		case isYear(t) && !inTitle[t.Term]:
			return false // another year, another event
		case !t.Capital || isMonthOrDay(t):
		case inTitle[t.Term]:
			if asksTitleName && names[t.Term] {
				return false // the headline's other party
			}
		case i > 0 && !asksPlace:
			switch lower(w.toks[i-1]) {
			case "in", "at", "near", "from":
				return false // another place; for "where", the answer
			}
		}
	}
	return true
}

// articleNames returns the terms an article capitalises in the middle of a
// sentence, in its text or in a headline written in sentence case: its
// names.
func articleNames(text string, artToks, titleToks []retrieval.Token) map[string]bool {
	names := map[string]bool{}
	for i, t := range artToks {
		if i > 0 && t.Capital && !t.Stop && !strings.ContainsAny(text[artToks[i-1].End:t.Start], ".!?\n") {
			names[t.Term] = true
		}
	}
	// In sentence case some word after the first is in lower case; in
	// title case ("Brightline Foods To Buy Cobalt") capitals say nothing.
	sentenceCase := false
	for i, t := range titleToks {
		if i > 0 && !t.Stop && !t.Number && !t.Capital {
			sentenceCase = true
		}
	}
	if sentenceCase {
		for i, t := range titleToks {
			if i > 0 && t.Capital && !t.Stop {
				names[t.Term] = true
			}
		}
	}
	// A word capitalised every time it appears, twice or more, is a name
	// even when it only ever opens sentences ("Brightline said … Brightline
	// chief executive …").
	capital, lower := map[string]int{}, map[string]bool{}
	for _, toks := range [][]retrieval.Token{artToks, titleToks} {
		for _, t := range toks {
			switch {
			case t.Stop || t.Number:
			case t.Capital:
				capital[t.Term]++
			default:
				lower[t.Term] = true
			}
		}
	}
	for term, n := range capital {
		if n >= 2 && !lower[term] {
			names[term] = true
		}
	}
	return names
}

// sameInstance reports whether the window speaks of the head noun the
// question means: it names the head ("the final", "the outbreak") without
// marking it as another one of its kind — "a 2019 outbreak", "another
// final", "the Ashford outbreak" when the question and headline do not name
// Ashford. Only then can the article's compound ("measles outbreak") lend
// the window its modifier.
func sameInstance(w *window, head Concept, inQ func(string) bool) bool {
	inTitle := w.titleTerms
	for i := range w.toks {
		if !matchAt(w.toks, i, head) {
			continue
		}
		// "voluntary redundancy" is another kind than the compulsory
		// redundancy asked about: a modifier of its own, right before the
		// head, marks another one.
		// A count is many of them: "40,000 homes" are not the care home.
		other := ownModifier(w.toks, i, inQ) || countBefore(w, i)
	back:
		for k := i - 1; k >= max(0, i-3) && !other; k-- {
			t := w.toks[k]
			switch lower(t) {
			case "the", "this", "its", "their", "his", "her", "our":
				break back // definite: the one already spoken of
			case "a", "an", "another", "last", "previous", "earlier", "past", "former", "separate", "different", "other", "one":
				other = true
				break back
			}
			if isYear(t) || t.Capital && !t.Stop && !inQ(t.Term) && !inTitle[t.Term] && !isMonthOrDay(t) {
				other = true
				break
			}
		}
		if !other {
			return true
		}
	}
	return false
}

// modifierApart reports, for a window of two sentences, whether head has
// a modifier of its own wherever it stands, so that the modifier asked
// before it can only come from elsewhere: "The coach was carrying 41
// passengers. The lorry driver … was arrested" says nothing of a coach
// driver. (In one sentence, "two earlier offers, the second worth £32
// million" may still speak of the second offer.)
func modifierApart(w *window, head Concept, inQ func(string) bool) bool {
	return w.pair && ownlyModified(w.toks, head, inQ)
}

// countBefore reports a count right before toks[i] of the window, a
// number of things rather than an amount of money: "40,000 homes", not
// "$52 billion budget".
func countBefore(w *window, i int) bool {
	if i == 0 || !isNumber(w.toks[i-1]) {
		return false
	}
	k := i - 1
	for k > 0 && isNumber(w.toks[k-1]) {
		k-- // "2.8 million"
	}
	return !isMoneyAt(w.text, w.toks[k])
}

// ownlyModified reports whether every match of head in toks has a
// modifier of its own right before it: under "Chlorine leak closes pool",
// "the gas leak" is no chlorine leak.
func ownlyModified(toks []retrieval.Token, head Concept, inQ func(string) bool) bool {
	return everyMatch(toks, head, func(i, _ int) bool { return ownModifier(toks, i, inQ) })
}

// ownModifier reports whether the word right before the head noun
// toks[i] is a modifier the question does not use: a lowercase content
// word ("voluntary", "toxic"), not a number or a measure ("$52 billion
// budget", "10-year plan"), a determiner, a possessive or a participle.
func ownModifier(toks []retrieval.Token, i int, inQ func(string) bool) bool {
	if i == 0 {
		return false
	}
	t := toks[i-1]
	low := lower(t)
	if t.Stop || t.Capital || t.Number || inQ(t.Term) || determiners[low] || possessive(low) || strings.HasSuffix(low, "ed") ||
		numberWords[low] || i >= 2 && toks[i-2].Number {
		return false
	}
	return true
}

// onlyDemanded reports whether every match of c stands as what someone
// asks for: "is asking for raises of 8 percent" says what the union wants,
// not what teachers got.
func onlyDemanded(toks []retrieval.Token, c Concept) bool {
	return everyMatch(toks, c, func(i, _ int) bool { return wordBefore(toks, i, 3, demandWords) || calledFor(toks, i) })
}

// calledFor reports "called for" (or "calls", "calling", "urged") within
// six words before toks[i]: "called for the vote to be held again" is what
// parents want, not what will happen.
func calledFor(toks []retrieval.Token, i int) bool {
	for k := i - 1; k >= max(1, i-6); k-- {
		if lower(toks[k]) == "for" && callWords[lower(toks[k-1])] {
			return true
		}
	}
	return wordBefore(toks, i, 6, urgeWords)
}

var callWords = map[string]bool{"call": true, "calls": true, "called": true, "calling": true}

var urgeWords = map[string]bool{"urged": true, "urging": true, "urges": true}

// asksDemand reports a part that asks what someone wants ("what raise did
// the union ask for").
func asksDemand(p Part) bool {
	return slices.ContainsFunc(strings.Fields(p.Asked), func(w string) bool { return demandWords[w] || demandBases[w] })
}

var demandBases = map[string]bool{"ask": true, "seek": true, "demand": true, "want": true, "request": true, "propose": true,
	"call": true, "urge": true}

var demandWords = map[string]bool{"asking": true, "seeking": true, "demanding": true, "wants": true, "wanted": true,
	"sought": true, "demanded": true, "requested": true, "requesting": true, "proposing": true, "proposed": true}

// onlyVerbs reports a part whose every concept is its verb ("has anyone
// been injured"): any window sharing it is topical.
func onlyVerbs(p Part) bool {
	for _, c := range p.Concepts {
		if !c.Verb {
			return false
		}
	}
	return true
}

// unasserted reports whether every match of the verb c is short of saying
// it happened: a noun after a determiner or a preposition ("raising the
// threat of a strike", "$18.2 million in pay"), a gerund after "of" or "with" ("accused of diverting"), or a
// verb under a hedge or an allegation a few words before ("is considering
// ending service", "allegedly diverted", "may close"). None says yes.
func unasserted(toks []retrieval.Token, c Concept) bool {
	return everyMatch(toks, c, func(i, _ int) bool {
		if i == 0 {
			return false
		}
		prev := lower(toks[i-1])
		if determiners[prev] && prev != "no" || nounPrepositions[prev] || prev == "with" && strings.HasSuffix(lower(toks[i]), "ing") {
			return true // but "No injuries have been reported" says no
		}
		// "may be able to return": the hedge stands before "be able to".
		if i >= 2 && lower(toks[i-1]) == "to" && lower(toks[i-2]) == "able" {
			i -= 2
		}
		return wordBefore(toks, i, 3, hedges) || wordBefore(toks, i, 6, hopes)
	})
}

// hopes govern a whole clause after them: "hoped no one would be made
// redundant" says no one was not.
var hopes = map[string]bool{"hope": true, "hopes": true, "hoped": true, "hoping": true, "wish": true, "wishes": true,
	"wished": true}

// contested reports, for a yes-no question without a verb ("will there be
// compulsory redundancies?", "is a merger likely?"), whether concept i is
// the head of its first noun phrase and every match of it stands a few
// words after a word that opposes, fears or hedges it: "said it would
// fight compulsory redundancies" and "could face redundancies" say of none
// that there will be any.
func contested(p Part, i int, toks []retrieval.Token, inQ func(string) bool) bool {
	if p.Kind != YesNo || slices.ContainsFunc(p.Concepts, func(c Concept) bool { return c.Verb }) {
		return false
	}
	head := slices.IndexFunc(p.Concepts, func(c Concept) bool { return !c.Name })
	for head >= 0 && head+1 < len(p.Concepts) && p.Concepts[head].modifies(p.Concepts[head+1]) && !participle(p.Concepts[head+1]) {
		head++ // "compulsory redundancies", not "deaths linked to …"
	}
	if i != head || p.Concepts[i].Name {
		return false
	}
	// A modifier asked before the head must be its own: "voluntary
	// redundancy" is not the compulsory kind.
	asked := head > 0 && p.Concepts[head-1].modifies(p.Concepts[head])
	return everyMatch(toks, p.Concepts[i], func(k, _ int) bool {
		return wordBefore(toks, k, 3, opposers) || wordBefore(toks, k, 3, hedges) || wordBefore(toks, k, 6, hopes) ||
			asked && k > 0 && !matchAt(toks, k-1, p.Concepts[head-1]) && ownModifier(toks, k, inQ)
	})
}

// participle reports a concept written as a past participle ("linked").
func participle(c Concept) bool {
	l := strings.ToLower(c.Label)
	return participles[l] || strings.HasSuffix(l, "ed")
}

// opposers are words that set themselves against what follows them.
var opposers = map[string]bool{"fight": true, "fights": true, "fighting": true, "fought": true, "oppose": true,
	"opposes": true, "opposed": true, "opposing": true, "resist": true, "resists": true, "resisted": true,
	"resisting": true, "avoid": true, "avoids": true, "avoided": true, "avoiding": true, "prevent": true,
	"prevents": true, "prevented": true, "preventing": true, "against": true, "fear": true, "fears": true,
	"feared": true, "warn": true, "warns": true, "warned": true, "warning": true, "threat": true, "risk": true,
	"risks": true}

// sideUnsaid reports, for "who scored for Harbour City" and the like,
// whether the window leaves the side unsaid under a headline that sets
// two sides against each other ("Kestrels beat Harbour City 3-1"): there
// "Striker Jonas Brekke scored twice" may be either side's scorer, so the
// side must be named in the window itself.
func sideUnsaid(p Part, i int, w *window) bool {
	c := p.Concepts[i]
	if p.Kind != Who || !c.Name || !strings.Contains(" "+strings.ToLower(p.Asked)+" ", " for "+strings.ToLower(c.Label)+" ") ||
		matches(w.toks, c) || !matches(w.titleToks, c) {
		return false
	}
	contest, other := false, false
	for k, t := range w.titleToks {
		if contestWords[lower(t)] {
			contest = true
		}
		if t.Capital && !t.Stop && k > 0 && !matchAt(w.titleToks, k, c) && !partOfMatch(w.titleToks, k, c) {
			other = true
		}
	}
	first := w.titleToks[0]
	return contest && (other || first.Capital && !matchAt(w.titleToks, 0, c))
}

// partOfMatch reports whether toks[k] lies inside a match of c that starts
// before it ("City" in "Harbour City").
func partOfMatch(toks []retrieval.Token, k int, c Concept) bool {
	for j := max(0, k-3); j < k; j++ {
		if n := matchLen(toks, j, c); n > 0 && j+n > k {
			return true
		}
	}
	return false
}

// contestWords set two sides against each other in a headline.
var contestWords = map[string]bool{"beat": true, "beats": true, "defeat": true, "defeats": true, "defeated": true,
	"v": true, "vs": true, "versus": true, "against": true, "over": true, "draw": true, "drew": true, "edge": true,
	"edges": true, "stun": true, "stuns": true, "thrash": true, "thrashes": true, "hold": true, "holds": true}

// onlyWhether reports whether every match of verb c stands in a
// "whether" clause ("has not said whether it will compensate businesses"),
// which leaves open that anyone did it: such a sentence says who, when or
// how much of nothing. A question that itself asks "whether" is exempt
// ("who decides whether schools close").
func onlyWhether(p Part, toks []retrieval.Token, c Concept) bool {
	if strings.Contains(" "+p.Asked+" ", " whether ") {
		return false
	}
	return everyMatch(toks, c, func(i, _ int) bool { return wordBefore(toks, i, 4, whether) })
}

var whether = map[string]bool{"whether": true}

// nounPrepositions make the word after them a noun: "$18.2 million in
// pay", "the threat of a strike".
var nounPrepositions = map[string]bool{"of": true, "in": true, "on": true, "at": true, "for": true, "from": true,
	"into": true, "about": true, "without": true}

// hedges say that what follows may, or is only said to, happen.
var hedges = map[string]bool{"considering": true, "weighing": true, "exploring": true, "consider": true, "weigh": true,
	"explore": true, "may": true, "might": true,
	"could": true, "accused": true, "alleged": true, "allegedly": true, "reportedly": true, "suspected": true,
	"plans": true, "planning": true, "proposed": true, "threatened": true, "threatening": true, "if": true}

// onlyModifies reports whether every match of c in the window only
// modifies a following institution, or for a noun of the question a
// following role, that the question does not ask about: "a state appeals
// court" says nothing of an appeal, and "fire chief Dana Whitcombe"
// nothing of "the fire" ("the study's lead author" does say who led it).
func onlyModifies(w *window, c Concept, inQ func(string) bool) bool {
	return everyMatch(w.toks, c, func(i, n int) bool {
		k := i + n
		if k >= len(w.toks) || w.text[w.toks[k-1].End:w.toks[k].Start] != " " || inQ(w.toks[k].Term) {
			return false
		}
		next := lower(w.toks[k])
		role := roleWords[next] || roleWords[strings.TrimSuffix(next, "s")]
		return c.Noun && role || bodies[next]
	})
}

// bodies are institutions that take a noun before them ("appeals court",
// "planning board", "fire department").
var bodies = map[string]bool{"court": true, "panel": true, "board": true, "committee": true, "commission": true,
	"council": true, "department": true, "agency": true, "office": true, "authority": true}

// apposedName reports a name right after the head in the window ("its
// chief executive, Gregory Hale"): the role is that person's, so the
// article's "interim chief executive" may be someone else and lends the
// window nothing.
func apposedName(w *window, head Concept) bool {
	for i := range w.toks {
		n := matchLen(w.toks, i, head)
		if n == 0 || i+n >= len(w.toks) {
			continue
		}
		k := i + n
		if gap := strings.TrimSpace(w.text[w.toks[k-1].End:w.toks[k].Start]); (gap == "" || gap == ",") && w.toks[k].Capital && !w.toks[k].Stop {
			return true
		}
	}
	return false
}

// compoundInArticle reports whether the article names the compound the
// question uses ("cup final"), so that a window saying only "the final"
// speaks of it.
func compoundInArticle(toks []retrieval.Token, mod, head Concept) bool {
	for i := range toks {
		if !matchAt(toks, i, mod) {
			continue
		}
		for k := i + 1; k <= i+len(mod.Alts[0])+1 && k < len(toks); k++ {
			if matchAt(toks, k, head) {
				return true
			}
		}
	}
	return false
}

// nameOnlyAfter reports whether, in a two-sentence window whose second
// sentence does not refer back to the first ("he", "its" …), a name
// appears only in the second sentence. Then the two sentences are about
// different things, and the first says nothing of that name: "Brightline
// chief executive Nora Patel said … Cobalt's founder, Victor Amsel, will
// join …" does not make Patel Cobalt's chief.
func nameOnlyAfter(w *window, c Concept) bool {
	if !c.Name || !w.pair || len(w.sents) < 2 {
		return false
	}
	_, first := w.sentence(w.sents[0])
	if matches(first, c) {
		return false
	}
	_, second := w.sentence(w.sents[1])
	for _, t := range second {
		switch lower(t) {
		case "he", "him", "his", "she", "her", "it", "its", "they", "them", "their":
			return false
		}
	}
	return true
}

// dangling reports whether the window's match of concept i, the first
// word of a compound in the question ("new CISO", "rate increase"),
// modifies something else: the window lacks the compound's head ("a new
// security firm"), or, for a word that tells one of a kind from another
// ("new", "former", "interim"), does not put it before the head ("two new
// bus routes" for "new mayor"). A noun may stand apart from its head
// ("raising rates … the increase" is a rate increase).
func dangling(p Part, i int, w *window) bool {
	if i+1 >= len(p.Concepts) || !p.Concepts[i].modifies(p.Concepts[i+1]) || p.Concepts[i+1].Name {
		return false
	}
	mod, head := p.Concepts[i], p.Concepts[i+1]
	if !matches(w.toks, head) {
		return true
	}
	return identifying[strings.ToLower(mod.Label)] && !compoundInArticle(w.toks, mod, head)
}

// identifying are modifiers that tell one of a kind from another.
var identifying = map[string]bool{"new": true, "former": true, "interim": true, "acting": true, "next": true,
	"previous": true, "first": true, "last": true, "current": true, "old": true, "outgoing": true, "incoming": true}

// isSpeaker reports whether concept i is X in a what-did-X-say part: a
// name standing before the speech verb in the question ("What did Ruiz say
// about Beck's plan?" has Ruiz speak, not Beck).
func isSpeaker(p Part, i int) bool {
	if p.Kind != Say || !p.Concepts[i].Name {
		return false
	}
	if l := p.Concepts[i].Label; strings.Contains(p.Asked, l+"'s") || strings.Contains(p.Asked, l+"’s") {
		return false // "what did Delaney's lawyer say": the lawyer speaks
	}
	if v := sayConcept(p); v >= 0 {
		return p.Concepts[i].End <= p.Concepts[v].Start
	}
	return slices.IndexFunc(p.Concepts, func(c Concept) bool { return c.Name }) == i
}

// sayConcept returns the index of the part's speech verb concept, or -1.
func sayConcept(p Part) int {
	return slices.IndexFunc(p.Concepts, func(c Concept) bool {
		return slices.ContainsFunc(c.Alts, func(alt []string) bool { return len(alt) == 1 && alt[0] == "say" })
	})
}

// refersToPerson reports whether the tokens refer to a person by pronoun,
// so that words it reports can be those of the speaker named before it;
// without one ("Local business owners said …") they are someone else's.
func refersToPerson(toks []retrieval.Token) bool {
	for _, t := range toks {
		switch lower(t) {
		case "he", "him", "his", "she", "her":
			return true
		}
	}
	return false
}

// possessiveSpeaker reports whether, in a what-did-X-say part, the window
// names X, the first name asked about, only as a possessive ("Baccio, who
// served as Buttigieg’s security chief, told …"): then X is not the one
// speaking.
func possessiveSpeaker(p Part, i int, w *window) bool {
	if !isSpeaker(p, i) {
		return false
	}
	for k := range w.toks {
		n := matchLen(w.toks, k, p.Concepts[i])
		if n == 0 {
			continue
		}
		end := k + n - 1
		word := w.text[w.toks[end].Start:w.toks[end].End]
		if !strings.HasSuffix(word, "'s") && !strings.HasSuffix(word, "’s") {
			return false
		}
	}
	return true
}

// otherNameLeads reports whether the window is about another named party
// (outside who-questions, whose answer is another person, a window naming a
// person the question does not is also refused the name before it: "The
// tenants' lawyer, Dana Fischer, called the ruling …" is not what
// Whitcombe, named the sentence before, said):
// it opens with, or holds the possessive of, a name the article uses that
// the question does not ("Hale's campaign said it had raised $1.2 million"
// is not about Ortega, whom the sentence before names).
func otherNameLeads(w *window, inQ func(string) bool) bool {
	names := w.names
	for i, t := range w.toks {
		if !names[t.Term] || inQ(t.Term) || isMonthOrDay(t) || titles[lower(t)] {
			continue
		}
		word := w.text[t.Start:t.End]
		if i == 0 || strings.HasSuffix(word, "'s") || strings.HasSuffix(word, "’s") {
			return true
		}
	}
	return false
}

// namedNext reports whether the window is the article's lead, opening on
// someone it does not name ("A former treasurer of the food bank was
// jailed …", "A bakery company has been fined …"), and the next paragraph
// opens by naming them as c: with an age in apposition ("Graham Pike, 61,
// of Elmstead, admitted …") or with the lead's own noun in the name
// ("Harlow Bakeries pleaded guilty …"). That is how news names the
// subject of its first sentence. What the question asks them to have done
// must stand in the lead's main clause: in "A man has been charged with
// murder after a woman was found dead", the man named next was charged,
// not found dead.
func namedNext(p Part, w *window, c Concept) bool {
	toks := w.artToks
	if len(toks) == 0 || w.start > toks[0].Start || !indefiniteOpening(toks[0]) || !inMainClause(p, w.toks) {
		return false
	}
	text := w.hit.Article.Text
	nl := strings.IndexByte(text[w.start:], '\n')
	if nl < 0 {
		return false
	}
	k := sort.Search(len(toks), func(i int) bool { return toks[i].Start > w.start+nl })
	if k == len(toks) {
		return false
	}
	// The paragraph's opening name holds c: "Graham Pike" holds "Pike".
	end := -1
	for j := k; j < min(len(toks), k+4) && toks[j].Capital && !toks[j].Stop; j++ {
		if n := matchLen(toks, j, c); n > 0 {
			end = j + n
			for end < len(toks) && end < k+4 && toks[end].Capital && !toks[end].Stop {
				end++
			}
			break
		}
	}
	if end < 0 {
		return false
	}
	if rest := text[toks[end-1].End:]; ageApposition.MatchString(rest) {
		// "John Reed, 45, a neighbour, said he heard a crash" is a
		// witness, not the one the lead is about.
		sentence := rest[:strings.IndexAny(rest+"\n", ".\n")]
		return !speechVerbRe.MatchString(sentence)
	}
	// The lead's subject, up to its verb: "A bakery company has been fined".
	last := toks[end-1].Term
	for _, t := range toks[1:min(len(toks), 8)] {
		if t.Stop {
			break
		}
		if t.Term == last {
			return true
		}
	}
	return false
}

// speechVerbRe matches a verb of saying that marks a witness. It is
// narrower than speechVerbs: the one a lead is about may well have
// "denied" or "declined" something.
var speechVerbRe = regexp.MustCompile(`\b(said|says|told|tells|added|adds|recalled)\b`)

// inMainClause reports whether every verb p asks about that toks hold
// stands before the first subordinate clause ("after", "when", "as" …).
func inMainClause(p Part, toks []retrieval.Token) bool {
	end := slices.IndexFunc(toks, func(t retrieval.Token) bool { return subordinators[lower(t)] })
	if end < 0 {
		return true
	}
	for _, c := range p.Concepts {
		if c.Verb && matches(toks, c) && !matches(toks[:end], c) {
			return false
		}
	}
	return true
}

// subordinators open a clause with a subject of its own.
var subordinators = map[string]bool{"after": true, "when": true, "as": true, "because": true, "while": true,
	"before": true, "since": true, "although": true, "though": true, "whereas": true, "until": true, "but": true}

// ageApposition matches an age set off by commas after a name: ", 61,".
var ageApposition = regexp.MustCompile(`^\s*,\s*\d{1,3}\s*,`)

// indefiniteOpening reports a first word that introduces someone not yet
// named: "A", "An", a number ("Two men").
func indefiniteOpening(t retrieval.Token) bool {
	low := lower(t)
	return low == "a" || low == "an" || t.Number || numberWords[low]
}

// namedBefore reports whether a name the window lacks stands in the text
// just before it, so the window's "he", "the campaign" or "the final" can
// speak of it: a name elsewhere in the article says nothing of this window.
func namedBefore(w *window, c Concept) bool {
	from := max(0, w.start-600)
	lo := sort.Search(len(w.artToks), func(i int) bool { return w.artToks[i].Start >= from })
	hi := sort.Search(len(w.artToks), func(i int) bool { return w.artToks[i].End > w.start })
	return matches(w.artToks[lo:hi], c)
}
