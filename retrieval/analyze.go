package retrieval

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/kljensen/snowball/english"
)

// Token is one word of a text: its place in the text, its surface form and
// the term it is indexed and matched under.
type Token struct {
	Start, End int    // byte offsets in the analysed text
	Surface    string // the word as written, possessive removed
	Term       string // lowercased, lemmatised, stemmed
	Stop       bool   // a stopword: kept for phrases, not indexed
	Capital    bool   // written with a leading capital letter
	Number     bool   // made of digits
}

// Tokens splits text into words. Letters and digits form words; an internal
// apostrophe (straight or curly) or a period inside an abbreviation stays in
// the word; a trailing possessive ’s is dropped from Term. Hyphenated words
// are split into their parts.
func Tokens(text string) []Token {
	if len(text) < memoMinLen {
		return tokens(text)
	}
	// Whole articles are tokenised again and again while answering; a
	// text seen recently is recognised by its address (the memo keeps the
	// string alive, so the address cannot be reused for other content) and
	// its tokens are copied, not recomputed.
	p := unsafe.StringData(text)
	slot := &tokensMemo[(uint64(uintptr(unsafe.Pointer(p)))*0x9E3779B97F4A7C15)>>(64-tokensMemoBits)]
	if e := slot.Load(); e != nil && len(e.text) == len(text) && unsafe.StringData(e.text) == p {
		return slices.Clone(e.toks)
	}
	toks := tokens(text)
	slot.Store(&tokensEntry{text: text, toks: slices.Clone(toks)})
	return toks
}

// The tokens memo: a direct-mapped cache of the tokens of recent long texts.
const (
	memoMinLen     = 1024
	tokensMemoBits = 6
)

var tokensMemo [1 << tokensMemoBits]atomic.Pointer[tokensEntry]

type tokensEntry struct {
	text string
	toks []Token
}

func tokens(text string) []Token {
	var out []Token
	for i := 0; i < len(text); {
		start, end, h := scanWord(text, i)
		if start == end {
			break
		}
		if out == nil {
			out = make([]Token, 0, (len(text)-start)/6+1)
		}
		out = append(out, makeToken(text, start, end, h))
		i = end
	}
	return out
}

// scanWord is nextWord that also returns the word's wordHash. Words of
// ASCII letters and digits, most words, are found and hashed in one pass;
// anything else (non-ASCII, an apostrophe, a period or comma that may be
// inside the word) is left to nextWord.
func scanWord(text string, i int) (start, end int, h uint64) {
	for i < len(text) && text[i] < utf8.RuneSelf && !asciiWord[text[i]] {
		i++
	}
	if i >= len(text) {
		return len(text), len(text), 0
	}
	from := i
	if text[i] < utf8.RuneSelf {
		h = fnvOffset
		for ; i < len(text); i++ {
			c := text[i]
			if c < utf8.RuneSelf && asciiWord[c] {
				h = (h ^ uint64(c)) * fnvPrime
				continue
			}
			if c >= utf8.RuneSelf || c == '\'' || c == '.' || c == ',' {
				break // the word may go on: let nextWord decide
			}
			return from, i, h
		}
		if i == len(text) {
			return from, i, h
		}
	}
	start, end = nextWord(text, from)
	return start, end, wordHash(text[start:end])
}

// wordHash is the word cache's hash of a word: 64-bit FNV-1a of its bytes,
// which scanWord computes as it scans.
func wordHash(word string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(word); i++ {
		h = (h ^ uint64(word[i])) * fnvPrime
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// nextWord returns the byte span of the first word at or after i; start ==
// end when there is none.
func nextWord(text string, i int) (start, end int) {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiWord[c] {
				break
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			break
		}
		i += w
	}
	if i >= len(text) {
		return len(text), len(text)
	}
	start = i
	j := i
	for j < len(text) {
		c := text[j]
		if c < utf8.RuneSelf && asciiWord[c] {
			j++
			continue
		}
		r, w := rune(c), 1
		if c >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(text[j:])
		}
		if isWordRune(r) {
			j += w
			continue
		}
		if (r == '\'' || r == '’') && j+w < len(text) {
			nr, _ := utf8.DecodeRuneInString(text[j+w:])
			if unicode.IsLetter(nr) {
				j += w
				continue
			}
		}
		if (r == '.' || r == ',') && j+w < len(text) && j > start {
			// Decimal numbers and thousands: 1.5, 76,000.
			pr, _ := utf8.DecodeLastRuneInString(text[start:j])
			nr, _ := utf8.DecodeRuneInString(text[j+w:])
			if unicode.IsDigit(pr) && unicode.IsDigit(nr) {
				j += w
				continue
			}
		}
		break
	}
	return start, j
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func makeToken(text string, start, end int, h uint64) Token {
	w := analyseWord(text[start:end], h)
	return Token{
		Start:   start,
		End:     end,
		Surface: w.surface(),
		Term:    w.term(),
		Stop:    w.stop,
		Capital: w.capital,
		Number:  w.number,
	}
}

// wordInfo is everything a token takes from its word alone. The word
// cache holds one for each of tens of thousands of words, so the word, its
// surface form and its term share one string, each found in it by offset
// (the surface form is mostly a prefix of the word, and the term often is).
type wordInfo struct {
	text             string // the word as written (the cache key), then what follows
	wordLen          uint16
	surfOff, surfLen uint16
	termOff, termLen uint16
	stop             bool
	capital          bool
	number           bool
	// termHash is the term's hash, from which Index.Put builds passage
	// text keys.
	termHash uint64
	termID   atomic.Uint64 // (Index.serial << 32) | the term's ID in that index
}

// maxWordBytes bounds the bytes of a word that are analysed: a longer run
// of letters is no word of any language, only an encoded blob.
const maxWordBytes = 1<<16 - 1

func (w *wordInfo) word() string    { return w.text[:w.wordLen] }
func (w *wordInfo) surface() string { return w.text[w.surfOff:][:w.surfLen] }
func (w *wordInfo) term() string    { return w.text[w.termOff:][:w.termLen] }

// wordCache remembers the analysis of recently seen words. Stemming is the
// costly part of tokenising, and news text repeats a small vocabulary, so
// a small set-associative cache (cacheWays slots per hash, the oldest word
// of a set leaves first) answers most words without stemming and without
// locks. Search reads it too, to find query terms next to each other. Its
// strings are copies, so it never keeps an analysed text alive.
//
// Beside each slot, wordTags holds bits of the hash of its word, so a look-up
// reads the words only of slots whose tag matches. Slot and tag are stored
// one after the other, so a reader may see one new and one old: the word
// comparison decides, and a wrong tag costs at most a miss.
//
// The cached analyses live in wordSlab, not one allocation each: see
// wordSlab for how the cache stays within cacheWords.
var (
	wordCache [1 << 17]atomic.Pointer[wordInfo]
	wordTags  [len(wordCache)]atomic.Uint32
	wordSlab  slab
)

// maxCachedWord bounds the words worth caching; longer ones are rare.
const maxCachedWord = 24

// cacheWays is how many slots a word may take: a word is looked for in the
// cacheWays slots of its set, and a new word pushes the set's oldest out.
// With one slot a word, two common words sharing it evicted each other
// over and over.
const cacheWays = 4

// cacheWords is how many analyses the cache makes before it empties and
// starts again. News text repeats a few thousand words most of the time,
// so a cache of this size answers nearly every word; a replica's archive
// has hundreds of thousands, most of them seen once, which a cache sized
// for them would hold in memory for nothing.
const cacheWords = 1 << 17

// slab holds the cache's analyses in chunks of slabChunk and their strings
// in blocks, handing them out in order. Freeing the analyses a set pushes
// out one at a time left the heap's spans half empty among the index's
// own small objects (a cache of 16k words one at a time took more memory
// than one of 128k); a slab is given back whole instead. Once it has made
// cacheWords analyses the cache empties and the slab starts new chunks:
// the old ones are freed once no reader still holds a word in them.
type slab struct {
	mu    sync.Mutex
	infos []wordInfo
	text  strings.Builder // never grown past its first capacity
	made  int             // analyses since the cache last emptied
}

// slabChunk is how many analyses a chunk holds.
const slabChunk = 1024

// add returns the analysis of word, made in the slab, emptying the cache
// first when it has made cacheWords analyses. Stemming happens before the
// lock; only the copy into the slab holds it.
func (s *slab) add(word string) *wordInfo {
	a := analysisOf(word)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made == cacheWords {
		s.emptyLocked()
	}
	s.made++
	if len(s.infos) == cap(s.infos) {
		s.infos = make([]wordInfo, 0, slabChunk)
	}
	s.infos = s.infos[:len(s.infos)+1]
	w := &s.infos[len(s.infos)-1]
	if n := a.maxText(); s.text.Len()+n > s.text.Cap() {
		// Never grown past its first capacity, so what it holds stays put.
		s.text = strings.Builder{}
		s.text.Grow(max(slabText, n))
	}
	a.fill(w, &s.text)
	return w
}

// wordSeen and wordSeenTwice are the cache's doorkeeper: a bit for each
// hash of a word seen once, and twice, since the cache last emptied. Most
// words of an archive's vocabulary occur once or twice (names, typos,
// numbers: by Zipf's law two thirds of them); a word is cached only on its
// third sighting, so those never take a slot or slab space, and a replica
// that loaded its archive holds analyses only of words worth holding. Two
// words may share a bit, which at worst caches a word seen less often.
var wordSeen, wordSeenTwice [1 << 14]atomic.Uint64

// seenBefore reports whether a word of wordHash h was seen twice since the
// cache last emptied, and marks it seen once more.
func seenBefore(h uint64) bool {
	bit := h >> 44 // other bits than the set's
	i, m := bit/64%uint64(len(wordSeen)), uint64(1)<<(bit%64)
	if wordSeenTwice[i].Load()&m != 0 {
		return true
	}
	if wordSeen[i].Load()&m != 0 {
		wordSeenTwice[i].Or(m)
		return false
	}
	wordSeen[i].Or(m)
	return false
}

// emptyLocked empties the cache and its doorkeeper and lets the slab's
// chunks go; s.mu is held.
func (s *slab) emptyLocked() {
	for i := range wordCache {
		wordCache[i].Store(nil)
		wordTags[i].Store(0)
	}
	for i := range wordSeen {
		wordSeen[i].Store(0)
		wordSeenTwice[i].Store(0)
	}
	s.made = 0
	s.infos = nil
	s.text = strings.Builder{}
}

// slabText is the bytes in a block of the slab's strings.
const slabText = 64 << 10

// analyseWord returns the analysis of word, whose wordHash is h.
func analyseWord(word string, h uint64) *wordInfo {
	if len(word) > maxCachedWord {
		return newWordInfo(word)
	}
	i := (h ^ h>>29) & (uint64(len(wordCache)) - 1) &^ (cacheWays - 1)
	set := wordCache[i : i+cacheWays : i+cacheWays]
	tags := wordTags[i : i+cacheWays : i+cacheWays]
	tag := uint32(h >> 40)
	for j := range set {
		if tags[j].Load() != tag {
			continue
		}
		if w := set[j].Load(); w != nil && w.word() == word {
			return w
		}
	}
	if !seenBefore(h) {
		return newWordInfo(word)
	}
	w := wordSlab.add(word)
	for j := cacheWays - 1; j > 0; j-- {
		set[j].Store(set[j-1].Load())
		tags[j].Store(tags[j-1].Load())
	}
	set[0].Store(w)
	tags[0].Store(tag)
	return w
}

func newWordInfo(word string) *wordInfo {
	a := analysisOf(word)
	var b strings.Builder
	b.Grow(a.maxText())
	w := new(wordInfo)
	a.fill(w, &b)
	return w
}

// analysis is what a word's wordInfo is made of.
type analysis struct {
	word, surface, term string
	stop, capital, num  bool
}

func analysisOf(word string) analysis {
	if len(word) > maxWordBytes {
		word = word[:maxWordBytes]
	}
	surface, lower := surfaceOf(word)
	first, _ := utf8.DecodeRuneInString(surface)
	return analysis{
		word:    word,
		surface: surface,
		term:    Term(lower),
		stop:    IsStopword(lower),
		capital: unicode.IsUpper(first),
		num:     unicode.IsDigit(first),
	}
}

// maxText is the most bytes fill writes.
func (a analysis) maxText() int { return len(a.word) + len(a.surface) + len(a.term) }

// fill sets w to the analysis, writing its one string to b: the word, then
// the surface form and the term unless they are already in it.
func (a analysis) fill(w *wordInfo, b *strings.Builder) {
	start := b.Len()
	b.WriteString(a.word)
	place := func(s string) (off, n uint16) {
		if i := strings.Index(b.String()[start:], s); i >= 0 {
			return uint16(i), uint16(len(s))
		}
		off = uint16(b.Len() - start)
		b.WriteString(s)
		return off, uint16(len(s))
	}
	w.wordLen = uint16(len(a.word))
	w.surfOff, w.surfLen = place(a.surface)
	w.termOff, w.termLen = place(a.term)
	w.text = b.String()[start:]
	w.termHash = termHash(a.term)
	w.stop, w.capital, w.number = a.stop, a.capital, a.num
}

// surfaceOf returns a word's surface form (curly apostrophes straightened,
// a possessive "'s" or "'" dropped) and that form lowercased.
func surfaceOf(word string) (surface, lower string) {
	surface = strings.ReplaceAll(word, "’", "'")
	lower = strings.ToLower(surface)
	for _, suf := range []string{"'s", "'"} {
		if strings.HasSuffix(lower, suf) && len(lower) > len(suf)+1 {
			return surface[:len(surface)-len(suf)], lower[:len(lower)-len(suf)]
		}
	}
	return surface, lower
}

// Term returns the index term of one lowercase word: irregular forms are
// mapped to their lemma, then the word is Snowball-stemmed.
func Term(lower string) string {
	lower = strings.ReplaceAll(lower, ",", "")
	if l, ok := irregular[lower]; ok {
		lower = l
	}
	// People are not their verbs: "manager" must not match "manage".
	if n, ok := agentNouns[lower]; ok {
		return n
	}
	if len(lower) <= 2 || !isAlpha(lower) {
		return lower
	}
	return english.Stem(lower, true)
}

func isAlpha(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '\'' {
			return false
		}
	}
	return true
}

// Terms returns the non-stopword terms of text, in order.
func Terms(text string) []string {
	toks := Tokens(text)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if !t.Stop {
			out = append(out, t.Term)
		}
	}
	return out
}

// IsStopword reports whether a lowercase word carries no meaning for search.
func IsStopword(lower string) bool {
	_, ok := stopwords[lower]
	return ok
}

var stopwords = wordSet(`a about above after again against all am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out
over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've this those through to too under
until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
yourselves also just s t mr mrs ms dr`)

// irregular maps irregular English verb forms to their lemma so that
// "spoke" matches "speak" and "took over" matches "take over"; pastOf maps
// a lemma to its past tense. A form that is a common word of its own ("a
// bit", "the ground", "lay" of "lie", "a wound") keeps its own term.
var irregular, pastOf = map[string]string{}, map[string]string{}

var ownWords = map[string]bool{"bit": true, "ground": true, "lay": true, "wound": true}

// stemmedApart lists regular verbs the stemmer parts from their forms, a
// line each, lemma first: a short lemma keeps its final "e" ("sue") while
// its forms lose it ("sued" → "su"), so "when did the tribes sue" missed
// "sued in 2024". Their forms map to the lemma as irregular ones do.
const stemmedApart = `sue sued suing
free freed freeing
glue glued gluing
queue queued queuing
cue cued cuing
dye dyed dyeing`

func init() {
	for _, line := range strings.Split(stemmedApart, "\n") {
		f := strings.Fields(line)
		for _, form := range f[min(1, len(f)):] {
			irregular[form] = f[0]
		}
	}
	for _, line := range strings.Split(irregularForms, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		pastOf[f[0]] = f[0] // "cut", "put": the past is the base
		if len(f) > 1 {
			pastOf[f[0]] = f[1]
		}
		for _, form := range f[1:] {
			if !ownWords[form] {
				irregular[form] = f[0]
			}
		}
	}
}

// Lemma returns the base form of an irregular verb form ("lose" for "lost"),
// or word itself.
func Lemma(word string) string {
	if l, ok := irregular[word]; ok {
		return l
	}
	return word
}

// IrregularPast returns the past tense of an irregular verb's base form
// ("went" for "go", "cut" for "cut"); ok is false for a regular verb.
func IrregularPast(base string) (past string, ok bool) {
	past, ok = pastOf[base]
	return past, ok
}

// irregularForms lists irregular verbs a line each: the lemma, its past
// tense, then any other forms (a line of the lemma alone has a past the same).
const irregularForms = `speak spoke spoken
take took taken
leave left
say said
tell told
go went gone
come came
make made
give gave given
write wrote written
begin began begun
win won
lose lost
run ran
pay paid
repay repaid
meet met
hold held
bring brought
buy bought
think thought
find found
sell sold
send sent
spend spent
overspend overspent
underspend underspent
build built
fall fell fallen
rise rose risen
choose chose chosen
become became
know knew known
see saw seen
get got gotten
hide hid hidden
strike struck stricken
stand stood
lead led
keep kept
feel felt
drive drove driven
fly flew flown
grow grew grown
throw threw thrown
shoot shot
catch caught
teach taught
fight fought
seek sought
swear swore sworn
hang hung
deal dealt
mean meant
sleep slept
break broke broken
steal stole stolen
forget forgot forgotten
freeze froze frozen
eat ate eaten
drink drank drunk
sing sang sung
ride rode ridden
wear wore worn
tear tore torn
bear bore borne
shake shook shaken
draw drew drawn
withdraw withdrew withdrawn
overtake overtook overtaken
undertake undertook undertaken
understand understood
withhold withheld
uphold upheld
oversee oversaw overseen
foresee foresaw foreseen
arise arose arisen
awake awoke awoken
bind bound
bleed bled
feed fed
flee fled
lend lent
light lit
slide slid
spin spun
stick stuck
sting stung
swing swung
weep wept
wind wound
have had has
do did does done
be was were is are been am
beat beat beaten
bend bent
bet
bid
bite bit bitten
blow blew blown
breed bred
broadcast
burn burned burnt
burst
cast
cling clung
cost
creep crept
cut
dig dug
forbid forbade forbidden
forecast
forgive forgave forgiven
grind ground
hear heard
hit
hurt
kneel knelt
lay laid
lean leaned leant
leap leapt leaped
learn learned learnt
let
lie lay lain
mislead misled
mistake mistook mistaken
overcome overcame
overhear overheard
override overrode overridden
overthrow overthrew overthrown
plead pleaded pled
prove proved proven
put
quit
read
rebuild rebuilt
redo redid redone
rid
ring rang rung
set
shed
shine shone
show showed shown
shrink shrank shrunk
shut
sink sank sunk
sit sat
speed sped
split
spread
spring sprang sprung
stink stank stunk
strive strove striven
sweep swept
swim swam swum
thrust
undergo underwent undergone
undo undid undone
upset
wake woke woken
weave wove woven
withstand withstood
wring wrung
`

func wordSet(s string) map[string]struct{} {
	m := make(map[string]struct{})
	for _, w := range strings.Fields(s) {
		m[w] = struct{}{}
	}
	return m
}

// agentNouns maps nouns for people, singular and plural, to a term of their
// own, so the stemmer does not fold them into their verbs (manager/manage,
// officer/office, reporter/report, speaker/speak), and a few other nouns
// the stemmer folds into unrelated words.
var agentNouns = map[string]string{}

func init() {
	for _, n := range strings.Fields(`manager officer director leader reporter writer producer editor owner founder
	player worker speaker adviser advisor organizer organiser investor teacher trader farmer driver builder designer
	developer researcher commissioner prosecutor employer employee buyer seller user provider supporter voter
	member partner lawmaker publisher broadcaster operator regulator negotiator investigator inspector auditor
	administrator coordinator strategist consultant attendee nominee appointee trainer runner winner loser`) {
		agentNouns[n] = n
		if strings.HasSuffix(n, "ee") || strings.HasSuffix(n, "er") || strings.HasSuffix(n, "or") || strings.HasSuffix(n, "nt") || strings.HasSuffix(n, "st") {
			agentNouns[n+"s"] = n
		}
	}
	// Nouns the stemmer folds into unrelated words: "department" into
	// "depart" (so it matched "departure"), "organization" into "organ",
	// "executive" into "execute", "business" into "busy", "building" into
	// "build" (so "the buildings" matched "a probe built by"), "severance"
	// into "severe".
	for _, n := range strings.Fields(`department:departments apartment:apartments organization:organizations
	organisation:organisations executive:executives business:businesses building:buildings severance:severances`) {
		one, many, _ := strings.Cut(n, ":")
		agentNouns[one], agentNouns[many] = one, one
	}
}
