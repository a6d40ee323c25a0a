package retrieval

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanOptions tunes Clean.
type CleanOptions struct {
	// Title is the document's title; a leading paragraph repeating it is dropped.
	Title string
	// Boilerplate reports whether a line (given as LineKey(line)) is known to repeat across many
	// articles of the corpus; such lines are dropped. Nil means none are known.
	Boilerplate func(key string) bool
}

// Clean returns the article body of raw with scraped noise removed and text repaired.
// Paragraphs are separated by exactly "\n\n"; no paragraph has leading/trailing space.
//
// Clean drops site chrome (comment forms, share bars, language menus, app and
// newsletter promotions, bylines with contact addresses, copyright lines,
// hashes, video captions, update stamps, advertisement markers), cuts link
// hover-card text glued into sentences, rejoins sentences that the scraper
// broke where names were links, drops a leading paragraph that repeats the
// title and any line opt.Boilerplate knows. Typographic quotes and dashes are
// kept as they are, so a citation can quote the result character for character;
// match against it with Fold.
func Clean(raw string, opt CleanOptions) string {
	units := paragraphs(raw, opt)
	units = dropRepeatedTitle(units, opt.Title)
	return strings.Join(joinFragments(units), "\n\n")
}

// LineKey returns the normalised form of a line used to count lines across articles
// (lowercase, folded quotes/spaces/dashes, digits and hashes kept, collapsed whitespace).
func LineKey(line string) string {
	// One pass, one allocation: Fold, then lowercase, then collapse
	// whitespace, rune by rune (an invalid byte becomes U+FFFD, as Fold
	// writes it).
	var b strings.Builder
	b.Grow(len(line))
	space := false // a space is owed before the next word
	for i := 0; i < len(line); {
		r, w := rune(line[i]), 1
		var isSpace bool
		if r < utf8.RuneSelf {
			// ASCII, most of any line: no folding, and only these spaces.
			isSpace = r == ' ' || '\t' <= r && r <= '\r'
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r, w = utf8.DecodeRuneInString(line[i:])
			r = unicode.ToLower(foldRune(r))
			isSpace = unicode.IsSpace(r)
		}
		i += w
		if isSpace {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Fold returns s with typographic variants folded for matching: curly single/double quotes
// to ASCII ' and ", NBSP/thin/other Unicode spaces to ' ', en/em dashes to '-'.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// isFolded reports whether Fold would leave s unchanged, so the common ASCII
// case costs no allocation.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func foldRune(r rune) rune {
	switch r {
	case '‘', '’', '‚', '‛', '′', 'ʼ', '＇':
		return '\''
	case '“', '”', '„', '‟', '″', '＂':
		return '"'
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹘', '﹣', '－':
		return '-'
	}
	if r != ' ' && r != '\t' && r != '\n' && r != '\r' && unicode.Is(unicode.Zs, r) {
		return ' '
	}
	return r
}

// SplitTitle splits plain text into its title and body. The title is the
// first meaningful line (markdown heading marks removed) and the body the
// text after it. When that line is not a title but the start of a sentence
// the scraper broke across lines, or a whole paragraph of prose, the text has
// no title line: the title is then the first sentence of the repaired text
// (without its final full stop) and the body is the whole text.
func SplitTitle(raw string) (title, body string) {
	lines := strings.Split(normalizeNewlines(raw), "\n")
	first := -1
	for i, l := range lines {
		t := strings.TrimSpace(stripHeading(normalizeSpaces(l)))
		if t == "" || !hasAlnum(t) || isChrome(t) {
			continue
		}
		first = i
		break
	}
	if first < 0 {
		return "", strings.TrimSpace(normalizeNewlines(raw))
	}
	candidate := collapseSpaces(strings.TrimSpace(stripHeading(normalizeSpaces(lines[first]))))
	candidate = removeHoverCards(candidate)
	whole := strings.Trim(strings.Join(lines[first:], "\n"), "\n")

	units := paragraphs(whole, CleanOptions{})
	broken := false
	if len(units) > 0 && units[0].first == 0 && units[0].last == 0 {
		flags := joinFlags(units)
		broken = flags[0]
	} else if len(units) > 0 && units[0].first == 0 {
		// The first line is part of a hard-wrapped paragraph: prose, not a title.
		broken = true
	}
	if !broken && isProse(candidate) {
		broken = true
	}
	if broken {
		return firstSentence(strings.Join(joinFragments(units), "\n\n")), whole
	}
	return candidate, strings.Trim(strings.Join(lines[first+1:], "\n"), "\n")
}

// isProse reports whether a would-be title line is really a paragraph: a
// long line ending like a sentence.
func isProse(s string) bool {
	return wordCount(s) > 25 && endsSentence(s)
}

var rxHeading = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$`)

func stripHeading(s string) string {
	if m := rxHeading.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return s
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// unit is a candidate paragraph and the raw lines it came from.
type unit struct {
	text        string
	first, last int
}

// paragraphs normalises raw and returns its candidate paragraphs with noise
// removed, before broken sentences are rejoined.
func paragraphs(raw string, opt CleanOptions) []unit {
	lines := strings.Split(normalizeNewlines(raw), "\n")
	var units []unit
	var block []int // indexes of the lines of the current block
	norm := make([]string, len(lines))
	flush := func() {
		if len(block) == 0 {
			return
		}
		units = append(units, blockUnits(block, norm)...)
		block = block[:0]
	}
	for i, l := range lines {
		n := collapseSpaces(strings.TrimSpace(normalizeSpaces(l)))
		if n == "" {
			flush()
			continue
		}
		if opt.Boilerplate != nil && opt.Boilerplate(LineKey(n)) {
			// A known boilerplate line ends its block, as a blank line would.
			flush()
			continue
		}
		norm[i] = n
		block = append(block, i)
	}
	flush()
	for i := range units {
		units[i].text = repairText(removeHoverCards(units[i].text))
	}
	return dropNoise(units)
}

// blockUnits turns a block of consecutive non-blank lines into units: one
// unit when the block is hard-wrapped prose, otherwise one per line.
func blockUnits(block []int, norm []string) []unit {
	if isWrapped(block, norm) {
		parts := make([]string, len(block))
		for i, li := range block {
			parts[i] = norm[li]
		}
		return []unit{{text: strings.Join(parts, " "), first: block[0], last: block[len(block)-1]}}
	}
	us := make([]unit, len(block))
	for i, li := range block {
		us[i] = unit{text: norm[li], first: li, last: li}
	}
	return us
}

// isWrapped reports whether a block looks like prose hard-wrapped at a fixed
// width: every line but the last is long and close to the longest line.
func isWrapped(block []int, norm []string) bool {
	if len(block) < 2 {
		return false
	}
	longest := 0
	for _, li := range block {
		longest = max(longest, utf8.RuneCountInString(norm[li]))
	}
	if longest > 110 || longest < 40 {
		return false
	}
	for _, li := range block[:len(block)-1] {
		n := utf8.RuneCountInString(norm[li])
		if n < longest-25 || isListItem(norm[li]) {
			return false
		}
	}
	return !isListItem(norm[block[len(block)-1]])
}

var rxListItem = regexp.MustCompile(`^([-*+•·]|\d{1,3}[.)])\s`)

func isListItem(s string) bool { return rxListItem.MatchString(s) }

func normalizeNewlines(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.NewReplacer("\r", "\n", "\u2028", "\n", "\u2029", "\n\n", "\v", "\n", "\f", "\n\n", "\u0085", "\n").Replace(s)
	return s
}

// normalizeSpaces turns every Unicode space and tab into a plain space and
// drops invisible format characters (zero-width spaces, soft hyphens, byte
// order marks) and control characters.
func normalizeSpaces(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c < ' ' || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || (r != ' ' && unicode.Is(unicode.Zs, r)):
			b.WriteByte(' ')
		case r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u2060' || r == '\u180e':
			// invisible: drop
		case r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// control characters: drop
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// repairText fixes small spacing faults: a space left before a closing
// curly quote after punctuation ("sophisticated, ”").
func repairText(s string) string {
	for _, p := range []string{",", ".", "!", "?"} {
		s = strings.ReplaceAll(s, p+" ”", p+"”")
	}
	return strings.TrimSpace(s)
}

// hover-card removal

// maxCard bounds how far past a glue point the closing "MORE" may be.
const maxCard = 600

var rxMore = regexp.MustCompile(`(^|\s)MORE\b`)

// removeHoverCards cuts link hover-card text that a scraper glued into a
// sentence: the anchor name runs straight into the card ("ButtigiegPeter
// (Pete) Paul Buttigieg<headlines> MORE’s campaign"), so a lowercase letter
// directly followed by an uppercase one opens a card when an all-caps "MORE"
// after a lowercase word closes it within a few hundred bytes and the
// anchor name recurs in between. Other camel case (iPhone, McDonald,
// YouTube, DeSantis) is left alone.
func removeHoverCards(s string) string {
	if !strings.Contains(s, "MORE") {
		return s
	}
	from := 0
	for from < len(s) {
		start, end, ok := nextCard(s, from)
		if !ok {
			break
		}
		s = s[:start] + s[end:]
		from = start
	}
	return s
}

// nextCard finds the next hover card at or after byte from.
func nextCard(s string, from int) (start, end int, ok bool) {
	for i := from; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsUpper(r) || i == 0 {
			i += size
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLower(prev) {
			i += size
			continue
		}
		// The anchor is the word the glue point sits in; it must be a
		// capitalised name.
		ws := strings.LastIndexAny(s[:i], " \t") + 1
		we := len(s)
		if k := strings.IndexAny(s[i:], " \t"); k >= 0 {
			we = i + k
		}
		first, _ := utf8.DecodeRuneInString(s[ws:])
		if !unicode.IsUpper(first) {
			i = we
			continue
		}
		moreStart, moreEnd, found := closingMore(s, i)
		if !found {
			i += size
			continue
		}
		glue := chooseGlue(s, ws, we, moreStart)
		if glue < 0 {
			i = we
			continue
		}
		return glue, moreEnd, true
	}
	return 0, 0, false
}

// closingMore finds the "MORE" closing a card opened at i: an all-caps word
// within maxCard bytes whose preceding word holds a lowercase letter (so
// all-caps headlines are not mistaken for cards).
func closingMore(s string, i int) (start, end int, ok bool) {
	limit := min(len(s), i+maxCard)
	// Extend to a rune boundary.
	for limit < len(s) && !utf8.RuneStart(s[limit]) {
		limit++
	}
	win := s[i:limit]
	loc := rxMore.FindStringIndex(win)
	if loc == nil {
		return 0, 0, false
	}
	mStart := i + loc[0]
	if s[mStart] != 'M' {
		mStart++ // skip the leading space matched by (^|\s)
	}
	mEnd := mStart + len("MORE")
	before := strings.TrimSpace(s[i:mStart])
	if utf8.RuneCountInString(before) < 10 || len(strings.Fields(before)) < 2 {
		return 0, 0, false
	}
	words := strings.Fields(before)
	last := words[len(words)-1]
	if !strings.ContainsFunc(last, unicode.IsLower) {
		return 0, 0, false
	}
	return mStart, mEnd, true
}

// chooseGlue picks the glue point within the anchor word s[ws:we]: the last
// lowercase-uppercase boundary whose left part (the anchor name) recurs in
// the card, as a card opens with the full name ending in it
// ("McConnellAddison (Mitch) Mitch McConnell…"). It returns -1 when the
// anchor does not recur: then the camel case is a real word (McDonald’s).
func chooseGlue(s string, ws, we, moreStart int) int {
	var cands []int
	var prev rune
	for k, r := range s[ws:we] {
		if k > 0 && unicode.IsUpper(r) && unicode.IsLower(prev) {
			cands = append(cands, ws+k)
		}
		prev = r
	}
	if len(cands) == 0 {
		return -1
	}
	for j := len(cands) - 1; j >= 0; j-- {
		c := cands[j]
		anchor := s[ws:c]
		if utf8.RuneCountInString(anchor) >= 3 && c < moreStart && strings.Contains(s[c:moreStart], anchor) {
			return c
		}
	}
	return -1
}

// title repetition

func dropRepeatedTitle(units []unit, title string) []unit {
	if title == "" || len(units) == 0 {
		return units
	}
	key := LineKey(stripHeading(title))
	if key != "" && LineKey(units[0].text) == key {
		return units[1:]
	}
	return units
}

// joining broken sentences

// joinFragments joins each unit to the next where joinFlags says the
// sentence runs on, and returns the paragraphs.
func joinFragments(units []unit) []string {
	if len(units) == 0 {
		return nil
	}
	flags := joinFlags(units)
	var out []string
	var cur strings.Builder
	for i, u := range units {
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(u.text)
		if !flags[i] {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// joinFlags reports, for each unit, whether it runs on into the next: it
// does not end a sentence, and either the next unit continues it (starts in
// lowercase), it ends in a comma or a word that cannot end a sentence, or
// the next unit is a short fragment (a link's text) that itself runs on. A headline-like line followed by a capitalised
// paragraph is not joined.
func joinFlags(units []unit) []bool {
	flags := make([]bool, len(units))
	for i := len(units) - 2; i >= 0; i-- {
		a, b := units[i].text, units[i+1].text
		if endsSentence(a) || isListItem(a) || isListItem(b) {
			continue
		}
		switch {
		case startsContinuation(b):
			flags[i] = true
		case endsContinuation(a):
			flags[i] = true
		case isShortFragment(b) && flags[i+1]:
			flags[i] = true
		}
	}
	return flags
}

// endsSentence reports whether s ends with sentence-final punctuation,
// possibly followed by closing quotes or brackets. A comma before a closing
// quote does not end a sentence.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'”’»)]`, r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…:", r)
}

var connectors = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "to": true, "in": true,
	"on": true, "at": true, "by": true, "with": true, "from": true, "and": true, "or": true,
	"but": true, "as": true, "that": true, "than": true, "into": true, "about": true,
	"said": true, "says": true, "including": true, "like": true, "between": true, "under": true,
	"over": true, "after": true, "before": true, "against": true, "during": true, "is": true,
	"was": true, "were": true, "are": true, "his": true, "her": true, "their": true, "its": true,
	"our": true, "whose": true, "which": true, "who": true, "when": true, "where": true,
	"while": true, "because": true, "if": true, "per": true, "via": true, "told": true,
}

// endsContinuation reports whether s ends where no sentence or headline
// could: a comma, a colon-less dash, an opening bracket, or a function word.
func endsContinuation(s string) bool {
	t := strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"”’`, r)
	})
	r, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(",;–—-(", r) {
		return true
	}
	i := strings.LastIndexByte(t, ' ')
	last := t[i+1:]
	return connectors[last] // lowercase only: "Of" ending a headline stays
}

// startsContinuation reports whether s reads as the rest of a sentence: it
// starts with a lowercase letter or with punctuation that cannot open one.
func startsContinuation(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if unicode.IsLower(r) {
		return true
	}
	return strings.ContainsRune(",;:)]’%", r)
}

// isShortFragment reports whether s is a short piece of a sentence, such as
// the text of a link the scraper put on a line of its own.
func isShortFragment(s string) bool {
	return wordCount(s) <= 6 && !endsSentence(s)
}

// keyWords counts the words of a LineKey, whose words are separated by
// single spaces: a byte count, cheaper than wordCount.
func keyWords(key string) int {
	if key == "" {
		return 0
	}
	return strings.Count(key, " ") + 1
}

func wordCount(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// first sentence

var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sen": true, "rep": true,
	"gov": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "st": true,
	"jr": true, "sr": true, "inc": true, "co": true, "corp": true, "ltd": true, "no": true,
	"vs": true, "etc": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"ind": true, "calif": true, "mass": true, "fla": true, "ill": true, "pa": true, "va": true,
	"wash": true, "mich": true, "ariz": true, "conn": true, "ky": true, "tenn": true, "tex": true,
	"ave": true, "blvd": true, "mt": true, "ft": true, "pres": true, "gens": true, "reps": true,
	"sens": true, "messrs": true, "rev": true, "hon": true, "est": true, "approx": true, "dept": true,
	"univ": true, "assn": true, "bros": true, "e.g": true, "i.e": true,
}

// firstSentence returns the first sentence of the first paragraph of text,
// without a final full stop, shortened at a word boundary if very long.
func firstSentence(text string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	end := len(para)
	for i, r := range para {
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < len(para) {
			c, n := utf8.DecodeRuneInString(para[j:])
			if !strings.ContainsRune(`"'”’)]`, c) {
				break
			}
			j += n
		}
		if j >= len(para) || para[j] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(para[j+1:])
		if !unicode.IsUpper(next) && !strings.ContainsRune(`"“‘'`, next) && !unicode.IsDigit(next) {
			continue
		}
		if r == '.' && isAbbreviation(para[:i]) {
			continue
		}
		end = j
		break
	}
	s := strings.TrimSpace(para[:end])
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") {
		s = strings.TrimSuffix(s, ".")
	}
	const maxTitle = 300
	if utf8.RuneCountInString(s) > maxTitle {
		cut, n := 0, 0
		for i := range s {
			if n > maxTitle {
				break
			}
			if s[i] == ' ' {
				cut = i
			}
			n++
		}
		if cut == 0 {
			cut = len(s)
		}
		s = strings.TrimSpace(s[:cut]) + "…"
	}
	return s
}

// isAbbreviation reports whether the word ending at the end of before
// (whose next character is a full stop) is an abbreviation or an initial.
func isAbbreviation(before string) bool {
	i := strings.LastIndexAny(before, " (\"“")
	w := before[i+1:]
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 || strings.Contains(w, ".") {
		return true // an initial ("F.") or dotted form ("U.S.")
	}
	return abbreviations[strings.ToLower(w)]
}

// noise

// noiseRule recognises one family of scraped noise. match gets the line and
// its LineKey.
type noiseRule struct {
	name  string
	match func(line, key string) bool
}

// noiseRules are the families of lines Clean drops wherever they appear.
var noiseRules = []noiseRule{
	{"comment-form", isCommentForm},
	{"share-bar", isShareBar},
	{"related", isRelated},
	{"click-spam", isClickSpam},
	{"language-menu", isLanguageMenu},
	{"promotion", isPromotion},
	{"source-link", isSourceLink},
	{"contact-byline", isContactByline},
	{"copyright", isCopyright},
	{"hash", isHashLine},
	{"caption", isCaption},
	{"timestamp", isTimestamp},
	{"site-chrome", isSiteChrome},
	{"tags", isTagLine},
}

// noiseKind returns the name of the first rule line matches, or "".
func noiseKind(line string) string { return noiseKindKey(line, LineKey(line)) }

// noiseKindKey is noiseKind given the line's LineKey.
func noiseKindKey(line, key string) string {
	for _, r := range noiseRules {
		if r.match(line, key) {
			return r.name
		}
	}
	return ""
}

func isChrome(line string) bool { return noiseKind(line) != "" }

// dropNoise removes noise units: everything from a comment-form marker in
// the second half of the text on, lines of a known noise family, a lone
// site or app name standing between chrome, and a byline at the top.
func dropNoise(units []unit) []unit {
	keys := make([]string, len(units))
	for i, u := range units {
		keys[i] = LineKey(u.text)
	}
	units = cutAtComments(units, keys)
	chrome := make([]bool, len(units))
	for i, u := range units {
		chrome[i] = noiseKindKey(u.text, keys[i]) != ""
	}
	for i, u := range units {
		if chrome[i] || i == 0 || !chrome[i-1] {
			continue
		}
		if (i == len(units)-1 || chrome[i+1]) && isLoneName(u.text) {
			chrome[i] = true
		}
	}
	out := units[:0:0]
	for i, u := range units {
		if chrome[i] {
			continue
		}
		if len(out) < 3 && isBylineLine(u.text) {
			continue
		}
		u.text = stripTrailingHash(u.text)
		if u.text != "" {
			out = append(out, u)
		}
	}
	return out
}

var rxCommentMarker = gated(`^(leave a (reply|comment)|leave a reply cancel reply|post a comment|add a comment|write a comment|(\d+ )?comments?( \(\d+\))?|comments are closed\.?|join the (conversation|discussion)|(show|view|read) (all )?comments|reader comments|discussion|(\d+ )?(thoughts|responses|replies) (on|to) .{1,200})\s*:?$`)

// cutAtComments drops a comment section: from the first comment-form
// marker on, provided at least as much text comes before it as after.
func cutAtComments(units []unit, keys []string) []unit {
	total := 0
	for _, u := range units {
		total += len(u.text)
	}
	before := 0
	for i, u := range units {
		key := keys[i]
		if (rxCommentMarker.MatchString(key) || isCommentForm(u.text, key)) && before >= total-before {
			return units[:i]
		}
		before += len(u.text)
	}
	return units
}

var rxCommentForm = gated(`email address will not be published|required fields are marked|this site uses akismet|how your comment data is processed|save my name,? email,? and website|notify me of (new |follow-up )?(comments|posts|replies)|you must be (logged|signed) in to (post|leave|add) a comment|comments are closed|be the first to comment|cancel reply|your comment is awaiting moderation`)

func isCommentForm(line, key string) bool {
	if keyWords(key) > 40 {
		return false
	}
	return rxCommentMarker.MatchString(key) || rxCommentForm.MatchString(key)
}

var shareCore = map[string]bool{
	"share": true, "shares": true, "tweet": true, "facebook": true, "twitter": true, "linkedin": true,
	"whatsapp": true, "reddit": true, "pinterest": true, "tumblr": true, "telegram": true, "email": true,
	"e-mail": true, "print": true, "pocket": true, "flipboard": true, "messenger": true, "mastodon": true,
	"bluesky": true, "threads": true, "sms": true, "like": true, "loading": true, "copy": true,
	"reblog": true, "subscribe": true, "comment": true, "comments": true, "save": true, "x": true,
}

var shareFiller = map[string]bool{
	"this": true, "article": true, "story": true, "post": true, "page": true, "on": true, "via": true,
	"link": true, "url": true, "more": true, "to": true, "the": true, "by": true, "with": true, "and": true,
	"opens": true, "in": true, "new": true, "window": true, "gift": true, "friends": true, "a": true,
}

// isShareBar matches share and like bars: lines made only of social
// network and sharing words ("Share this:", "Like this:", "Facebook Twitter
// Email", "Like Loading...").
func isShareBar(line, key string) bool {
	if n := keyWords(key); n == 0 || n > 16 {
		return false
	}
	core := 0
	for w := range strings.SplitSeq(key, " ") {
		w = strings.Trim(w, ".,:;!|()[]•·-/…")
		switch {
		case w == "":
		case shareCore[w]:
			core++
		case shareFiller[w]:
		default:
			return false
		}
	}
	return core > 0
}

var (
	rxRelated       = gated(`^(related|related (articles?|stories|story|posts?|content|coverage|links?|reading|news|topics|videos?)|more (stories|articles|news|coverage)( from .{1,40})?|more from .{1,40}|read more|read next|see also|also read|also see|you may also like|you might also like|recommended( for you| reading| stories| articles| videos)?|most (popular|read|viewed|shared)|trending( now| stories)?|further reading|don't miss|popular (stories|now)|what to read next)\s*[:.…]*$`)
	rxRelatedPrefix = gated(`^(related|read more|read next|see also|also read|also see|more|recommended|don't miss|read|related coverage|more on this( story)?)\s*:\s*\S`)
)

// isRelated matches "Related", "Read more: <headline>" and similar pointers
// to other stories.
func isRelated(line, key string) bool {
	if rxRelated.MatchString(key) {
		return true
	}
	return keyWords(key) <= 25 && rxRelatedPrefix.MatchString(key)
}

var rxClickSpam = gated(`^(click here\b|(click|tap|check|visit|shop|buy|order|see|view|find|get)( it)? (here|out|now|this|more)\s*:)`)

// isClickSpam matches short calls to click somewhere, such as the spam
// links scrapers inject ("Click Here: cheap jerseys").
func isClickSpam(line, key string) bool {
	return keyWords(key) <= 20 && rxClickSpam.MatchString(key)
}

var languageNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`english français francais deutsch español espanol português portugues
	italiano nederlands polski русский українська العربية عربي فارسی اردو עברית türkçe turkce
	ελληνικά 中文 简体中文 繁體中文 日本語 한국어 हिन्दी বাংলা ਪੰਜਾਬੀ தமிழ் తెలుగు
	shqip አማርኛ հայերեն azərbaycan беларуская български català čeština dansk eesti suomi
	gaeilge galego ქართული magyar íslenska bahasa indonesia melayu latviešu lietuvių македонски
	norsk română српски slovenčina slovenščina kiswahili svenska tagalog filipino ไทย tiếng việt
	hausa yorùbá igbo somali soomaali afrikaans isizulu hrvatski bosanski cymraeg euskara
	lëtzebuergesch malti монгол नेपाली پښتو සිංහල ខ្មែរ ລາວ မြန်မာ
	french german spanish portuguese italian dutch russian arabic chinese japanese korean
	hindi turkish persian urdu hebrew greek polish ukrainian swahili amharic albanian`) {
		languageNames[n] = true
	}
}

// isLanguageMenu matches a language switcher: a line that is mostly
// language names, or names in any script repeated in pairs ("English
// English Français Français …").
func isLanguageMenu(line, key string) bool {
	words := keyWords(key)
	if words < 3 || words > 80 {
		return false
	}
	canPair := !endsSentence(key)
	n, known, paired, seen := 0, 0, 0, 0
	prev, hasPrev := "", false
	for w := range strings.SplitSeq(key, " ") {
		seen++
		if !hasAlnum(w) {
			continue // separators ("|", "·") are not words
		}
		n++
		t := w
		if !isASCIIAlnum(t[0]) || !isASCIIAlnum(t[len(t)-1]) {
			t = strings.Trim(t, "()[]|•·,/") // a no-op when it starts and ends alphanumeric
		}
		if languageNames[t] {
			known++
		}
		if hasPrev && w == prev {
			paired++
			hasPrev = false
		} else {
			prev, hasPrev = w, true
		}
		// Prose gives up early: stop once even words that were all
		// language names, or all pairs, could no longer make a menu.
		rest := words - seen
		pending := 0
		if hasPrev {
			pending = 1
		}
		if 10*known+4*rest < 6*n && (!canPair || 10*(2*paired+rest+pending) < 7*(n+rest)) {
			return false
		}
	}
	if n < 3 {
		return false
	}
	if known >= 3 && known*10 >= n*6 {
		return true
	}
	return paired >= 3 && paired*2*10 >= n*7 && !endsSentence(key)
}

var (
	rxPromoWords   = gated(`\b(apps?|podcasts?|newsletters?|alexa|itunes|spotify|google play|app store|apple podcasts|kindle|e-edition|rss)\b`)
	rxImperative   = gated(`^(download|get|install|listen|subscribe|follow|sign up|join|try|watch|read|register|never miss)\b`)
	rxReader       = gated(`\b(you|your|our|us)\b`)
	rxOffer        = gated(`is now available|download|available (on|for|in) (the )?|for free|subscribe|sign up`)
	rxSubscription = gated(`^(subscribe( now| today| to| for|\b\s*[:!]|$)|sign up (for|to|now|here|today)|already a (subscriber|member)|become a (subscriber|member)|support (our|independent|quality|local) journalism|get (the|our) .{0,40}newsletter|(this|our) newsletter|to continue reading)`)
)

// isPromotion matches promotions of the site's apps, podcasts and
// newsletters and calls to subscribe or sign up.
func isPromotion(line, key string) bool {
	n := keyWords(key)
	if n > 60 {
		return false
	}
	switch {
	case n <= 30 && rxSubscription.MatchString(key):
		return true
	case n <= 25 && rxImperative.MatchString(key) && rxPromoWords.MatchString(key):
		return true
	case n <= 60 && rxOffer.MatchString(key) && rxPromoWords.MatchString(key) && rxReader.MatchString(key):
		return true
	}
	return false
}

var rxSourceLink = gated(`^(source link|source|original source|original article|original link|view original( article| post)?|read (the )?original( article| story| post)?|via|source: .{1,60}|via: .{1,60})$`)

// isSourceLink matches "Source link" lines left by republishing sites.
func isSourceLink(line, key string) bool {
	return keyWords(key) <= 8 && rxSourceLink.MatchString(strings.TrimRight(key, ".:"))
}

var (
	rxContact    = gated(`^(write|contact|email|e-mail|reach|send|tips?)\b.{0,120}?[\w.+-]+@[\w-]+(\.[\w-]+)+`)
	rxEmailOnly  = gated(`^[\w.+-]+@[\w-]+(\.[\w-]+)+\.?$`)
	rxFollowOn   = gated(`^follow .{1,60} on (twitter|x|facebook|instagram|threads|bluesky|linkedin|mastodon|tiktok)\b`)
	rxHandleOnly = gated(`^@\w{1,30}$`)
)

// isContactByline matches reporter contact lines ("Write to Name at
// name@example.com", "Follow her on Twitter").
func isContactByline(line, key string) bool {
	if keyWords(key) > 30 {
		return false
	}
	return rxContact.MatchString(key) || rxEmailOnly.MatchString(key) ||
		rxFollowOn.MatchString(key) || rxHandleOnly.MatchString(key)
}

var rxCopyright = gated(`(^|\s)(©|\(c\)\s*\d{4}|copyright\s*(©|\(c\)|\d{4}))|all rights reserved`)

// isCopyright matches copyright notices.
func isCopyright(line, key string) bool {
	return keyWords(key) <= 30 && rxCopyright.MatchString(key)
}

var (
	rxHashOnly = regexp.MustCompile(`^[0-9a-fA-F]{16,}$`)
	rxHashEnd  = regexp.MustCompile(`\s+([0-9a-fA-F]{16,})$`)
)

func isHash(s string) bool {
	return rxHashOnly.MatchString(s) && strings.ContainsAny(s, "0123456789") &&
		strings.ContainsAny(strings.ToLower(s), "abcdef")
}

// isHashLine matches a line that is a hex hash or a short line ending in
// one (tracking ids left in the page text).
func isHashLine(line, key string) bool {
	if trailingHexLen(key) < 16 {
		return false // neither a hash nor ending in one
	}
	if isHash(key) {
		return true
	}
	if keyWords(key) > 30 {
		return false
	}
	m := rxHashEnd.FindStringSubmatch(key)
	return m != nil && isHash(m[1]) && keyWords(key) <= 30
}

// stripTrailingHash removes a hex hash glued to the end of a long line.
func stripTrailingHash(s string) string {
	if trailingHexLen(s) < 16 {
		return s // the common case, without running the expression
	}
	if m := rxHashEnd.FindStringSubmatchIndex(s); m != nil && isHash(s[m[2]:m[3]]) {
		return strings.TrimSpace(s[:m[0]])
	}
	return s
}

var (
	rxCaptionEnd    = gated(`\((originally )?(published|posted|aired|updated|recorded) (on )?[^()]{3,40}\)\.?$`)
	rxCaptionStart  = gated(`^(video|watch|photo|photos|image|images|gallery|listen|audio|graphic|chart|map|pictured)\s*:`)
	rxCaptionCredit = gated(`\(((ap )?photo|image|credit|getty images|reuters|afp|shutterstock|bloomberg|ap)\b[^()]{0,80}\)\.?$|(photo|image|picture|credit)s?( by| credit)?\s*:?\s*[^.]{0,60}/\s*(getty images|afp|reuters|ap|bloomberg|shutterstock)\b`)
)

// isCaption matches video and photo captions and credits: a short
// paragraph ending "(Originally Published <date>)", one starting "Video:" or
// "Watch:", or a photo credit.
func isCaption(line, key string) bool {
	n := keyWords(key)
	// Both rxCaptionEnd and the first form of rxCaptionCredit end the line
	// with ")" or ").".
	paren := strings.HasSuffix(key, ")") || strings.HasSuffix(key, ").")
	switch {
	case n <= 80 && paren && rxCaptionEnd.MatchString(key):
		return true
	case n <= 40 && rxCaptionStart.MatchString(key):
		return true
	case n <= 30 && (paren || strings.Contains(key, "/")) && rxCaptionCredit.MatchString(key):
		return true
	}
	return false
}

var (
	rxStamp   = gated(`^[-•|*\s]*(last updated|last modified|updated|update|modified|published|posted|first published|originally published)( on| at)?\s*:?\s*(.*)$`)
	rxNumTime = regexp.MustCompile(`^\d{1,4}([:/.\-]\d{1,4})*(am|pm|a\.m\.?|p\.m\.?|st|nd|rd|th|h)?$`)
)

var dateWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`january february march april may june july august september october november
	december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
	saturday sunday mon tue tues wed thu thur thurs fri sat sun am pm a.m a.m. p.m p.m. et est edt ct cst
	cdt mt mst mdt pt pst pdt gmt utc bst cet cest ist jst aest hkt sgt ago hour hours hr hrs minute minutes min mins
	second seconds day days week weeks month months just now today yesterday at on - | ,`) {
		dateWords[w] = true
	}
}

// isDateish reports whether every word of s is part of a date or time and
// at least one is a number or a relative time.
func isDateish(s string) bool {
	// Word by word, without splitting s first: prose fails at its first
	// word, and most lines are prose.
	n, anchor := 0, false
	for w := range strings.FieldsSeq(s) {
		if n++; n > 14 {
			return false
		}
		t := strings.Trim(w, ",()|•")
		switch {
		case t == "":
		case '0' <= t[0] && t[0] <= '9' && rxNumTime.MatchString(t): // it starts with a digit
			anchor = true
		case dateWords[t] || dateWords[strings.TrimSuffix(t, ".")]:
			if t == "ago" || t == "today" || t == "yesterday" || t == "now" {
				anchor = true
			}
		default:
			return false
		}
	}
	return anchor
}

var monthOrClock = gated(`\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\d:\d\d`)

// isTimestamp matches update stamps ("Updated at 1:37 p.m.", "— Updated …",
// "Last updated 2 hours ago") and lines that are only a date and time.
func isTimestamp(line, key string) bool {
	if m := rxStamp.FindStringSubmatch(key); m != nil {
		return isDateish(m[3])
	}
	return isDateish(key) && monthOrClock.MatchString(key)
}

var siteChrome = map[string]bool{}

func init() {
	for _, l := range []string{
		"advertisement", "advertisements", "advertising", "ad", "ads", "sponsored", "sponsored content",
		"paid content", "paid post", "promoted", "promoted content", "story continues below advertisement",
		"story continues below", "article continues below", "article continues below advertisement",
		"continue reading below", "continue reading the main story", "continue reading", "skip advertisement",
		"scroll to continue with content", "content continues below", "ad feedback", "loading", "loading...",
		"skip to content", "skip to main content", "toggle navigation", "menu", "search", "close", "open menu",
		"back to top", "scroll to top", "print this page", "listen to this article", "listen to article",
		"sign in", "log in", "login", "register", "accept cookies", "we use cookies", "show more", "load more",
		"see more", "expand", "collapse", "next", "previous", "next article", "previous article", "home",
	} {
		siteChrome[l] = true
	}
}

// isSiteChrome matches short interface labels such as "Advertisement" and
// "Skip to content".
func isSiteChrome(line, key string) bool {
	return siteChrome[strings.TrimRight(key, ":.… ")] || siteChrome[key]
}

var rxTagLine = gated(`^(tags?|tagged( with| in)?|filed under|categories|category|topics|posted in|keywords|more about)\s*:`)

// isTagLine matches tag and category lists.
func isTagLine(line, key string) bool {
	return keyWords(key) <= 30 && rxTagLine.MatchString(key)
}

var lowerTitleWords = map[string]bool{"of": true, "and": true, "the": true, "for": true, "&": true, "on": true, "in": true, "a": true, "to": true}

// isLoneName reports whether s looks like a bare site or app name: a few
// capitalised words and no sentence punctuation.
func isLoneName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 8 || endsSentence(s) || strings.ContainsAny(s, ",;") {
		return false
	}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) || r == '(' {
			continue
		}
		if i > 0 && lowerTitleWords[w] {
			continue
		}
		return false
	}
	return true
}

var rxByline = regexp.MustCompile(`^(?i:by)\s+\p{Lu}[\p{L}.'’\-]*(\s+\p{Lu}[\p{L}.'’\-]*){0,3}(\s*(,|(?i:and)|&)\s*\p{Lu}[\p{L}.'’\-]*(\s+\p{Lu}[\p{L}.'’\-]*){0,3})*$`)

// isBylineLine matches a bare byline ("By Dustin Volz and Jane Doe").
func isBylineLine(s string) bool { return rxByline.MatchString(s) }

// trailingHexLen counts the hexadecimal digits that end s.
func trailingHexLen(s string) int {
	n := 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			break
		}
		n++
	}
	return n
}
