package answer

import (
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// nameNearFocus looks, for "what firm …", for a name within a few words of
// "firm": a capitalised word, not opening a sentence, that the question
// does not use.
func nameNearFocus(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	if p.Focus < 0 && !p.AnyName {
		return false
	}
	near := make([]bool, len(toks))
	for i := range toks {
		if p.AnyName {
			near[i] = true // "which countries": any name will do
			continue
		}
		if matchAt(toks, i, p.Concepts[p.Focus]) {
			for k := max(0, i-4); k < min(len(toks), i+5); k++ {
				near[k] = true
			}
		}
	}
	for i, t := range toks {
		if !near[i] || !t.Capital || t.Stop || inQ(t.Term) || isMonthOrDay(t) || titles[lower(t)] {
			continue
		}
		if i == 0 {
			continue
		}
		prev := strings.TrimSpace(text[toks[i-1].End:t.Start])
		if strings.ContainsAny(prev, ".!?") {
			continue
		}
		return true
	}
	return false
}

var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "sen": true, "rep": true, "gov": true, "prof": true, "president": true}

// hasPerson looks for a name of two or more capitalised words, or a title
// and a name, that the question does not already hold.
func hasPerson(toks []retrieval.Token, inQ func(string) bool) bool {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.Capital || isMonthOrDay(t) {
			continue
		}
		if titles[lower(t)] && i+1 < len(toks) && toks[i+1].Capital && !inQ(toks[i+1].Term) {
			return true
		}
		// A run of capitals is a new person only if the question uses none
		// of it: "Riverside General Hospital" extends the question's
		// "Riverside General"; "Priya Raman" is new.
		j := i
		fresh, known := false, false
		for j < len(toks) && toks[j].Capital && !toks[j].Stop && !isMonthOrDay(toks[j]) {
			if inQ(toks[j].Term) {
				known = true
			} else {
				fresh = true
			}
			j++
		}
		if j-i >= 2 && fresh && !known && !orgHeads[lower(toks[j-1])] {
			if i > 0 {
				if prev := lower(toks[i-1]); placePrepositions[prev] && prev != "under" {
					i = j
					continue
				}
			}
			return true
		}
		if j > i {
			i = j - 1
		}
	}
	return false
}

// orgHeads end names of things that are no person: "Academy Awards",
// "Harlow Foods", "Port Elston Council", "Miller Creek".
var orgHeads = map[string]bool{}

// placeHeads end names of places, which answer no who-question: "Miller
// Creek", "Front Street". A person's surname may be one too ("Ellen Park"):
// those are left out.
var placeHeads = map[string]bool{}

func init() {
	// Not words that are surnames too: Park, Lake, Rivers, Hill, Lane.
	for _, w := range strings.Fields(`street road avenue island bridge creek bay mountain mountains valley canyon harbor
	harbour falls forest ridge sea ocean gulf drive square plaza boulevard highway reservoir dam peninsula coast
	heights`) {
		placeHeads[w] = true
	}
}

func init() {
	for _, w := range strings.Fields(`award awards prize prizes party court council company corp corporation inc ltd
	university college school hospital street road avenue department ministry agency bank group club league city
	county state circuit park museum foods health labs power airlines airways times news games cup festival oscars
	church bridge river lake island station airport center centre foundation institute association union commission
	committee authority service services office board senate house assembly parliament congress government police
	army navy force guard team fund trust partners holdings capital energy motors systems technologies media
	network bureau district region province republic kingdom academy rail railway railways library theatre theater
	stadium prison hotel gallery zoo clinic cathedral`) {
		orgHeads[w] = true
	}
	for w := range placeHeads {
		orgHeads[w] = true
	}
}

var roleWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`officer chief director official executive president secretary minister founder
	spokesperson spokesman spokeswoman reporter analyst head manager leader chairman chairwoman senator governor mayor
	candidate adviser advisor member staffer expert researcher professor lawyer attorney judge ceo cfo cto ciso
	journalist editor author economist scientist engineer commissioner ambassador general colonel officer agent
	employee worker owner partner investor student teacher doctor representative deputy aide consultant specialist
	administrator coordinator strategist activist organizer lawmaker congressman congresswoman actor singer player coach
	company firm agency group organization organisation nonprofit startup maker`) {
		roleWords[retrieval.Term(w)] = true
	}
}

// descriptionStrength says whether a window describes the subject of a
// definition question: an apposition ("X, a former …", "the harbor master,
// X,", "X is the …") is strong; a role word beside the subject is weaker.
func descriptionStrength(p Part, text string, toks []retrieval.Token) int {
	for _, c := range p.Concepts {
		for i := range toks {
			if !matchAt(toks, i, c) {
				continue
			}
			end := i + 1
			for end < len(toks) && toks[end].Capital {
				end++
			}
			after := strings.ToLower(text[toks[end-1].End:])
			for _, pat := range []string{", who ", ", a ", ", an ", ", the ", " is a ", " was a ", " is the ", " was the ", " served as ", " works as ", " worked as ", ", former ", ", chief "} {
				if strings.HasPrefix(after, pat) {
					return 2
				}
			}
			before := strings.TrimRight(text[:toks[i].Start], " ")
			if strings.HasSuffix(before, ",") && i > 1 && !toks[i-1].Capital {
				return 2
			}
			if i > 0 && roleWords[toks[i-1].Term] {
				return 2
			}
		}
	}
	for i, t := range toks {
		if roleWords[t.Term] && i > 0 && !asks(p, t.Term) {
			return 1
		}
	}
	return 0
}

func hasSpeech(text string, toks []retrieval.Token) bool {
	if strings.ContainsAny(text, "“”\"") {
		return true
	}
	for _, t := range toks {
		if speechWords[t.Term] {
			return true
		}
	}
	return false
}

// hasLoneName looks for a capitalised word, not opening a sentence nor
// following a place preposition, that the question does not use.
func hasLoneName(text string, toks []retrieval.Token, inQ func(string) bool) bool {
	place := false // the word before began a place's name: "into Miller Creek"
	for i, t := range toks {
		if i == 0 || !t.Capital || t.Stop || inQ(t.Term) || isMonthOrDay(t) || titles[lower(t)] {
			place = false
			continue
		}
		if toks[i-1].Capital && (inQ(toks[i-1].Term) || place) {
			continue // "Riverside General Hospital": the question's name, extended
		}
		place = false
		if opensSentence(text, toks, i) {
			continue
		}
		j := i
		for j+1 < len(toks) && toks[j+1].Capital && !toks[j+1].Stop {
			j++
		}
		if j > i && placeHeads[lower(toks[j])] {
			place = true
			continue // "reached Tolland Bay"
		}
		switch lower(toks[i-1]) {
		case "in", "at", "from", "near", "into", "onto", "toward", "towards":
			place = true
			continue
		}
		return true
	}
	return false
}

// speechOfSpeaker reports whether the window reports speech by the speaker
// the question names, and nobody else's: every sentence that reports
// speech must have the speaker (or "he"/"she") as the one speaking, and one
// must. "Prosecutors said Delaney used the money" is not Delaney speaking;
// in "Haddad announced the closure. Local business owners said the detour
// would cost them customers." the words about the detour are not Haddad's.
// Parts without a named speaker pass.
func speechOfSpeaker(p Part, w *window) bool {
	speaker := -1
	for i := range p.Concepts {
		if isSpeaker(p, i) {
			speaker = i
			break
		}
	}
	if speaker < 0 {
		return true
	}
	found := false
	for _, sp := range w.sents {
		text, toks := w.sentence(sp)
		if !hasSpeech(text, toks) {
			continue
		}
		if !speaks(text, toks, p.Concepts[speaker]) {
			return false // someone else speaks
		}
		found = true
	}
	return found
}

// speechWords are the terms of words that mark a sentence as reporting
// speech; speechVerbs, the verbs whose subject is the one speaking, add a
// few that report speech only with a speaker ("warned", "wrote").
var speechWords, speechVerbs = map[string]bool{}, map[string]bool{}

func init() {
	for _, w := range strings.Fields(`say tell state statement add note explain confirm announce deny decline according call`) {
		speechWords[retrieval.Term(w)] = true
		speechVerbs[retrieval.Term(w)] = true
	}
	for _, w := range strings.Fields(`said says told stated added noted explained confirmed announced denied declined
	called warn warned claim claimed argue argued insist insisted describe described remark remarked write wrote
	testify testified`) {
		speechVerbs[retrieval.Term(w)] = true
	}
}

// speaks reports whether the sentence has the speaker, or "he"/"she", as
// the subject of a speech verb: just before it ("Brooks said", "Rita Shaw,
// his lawyer, said"), or just after it and ending the clause ("said Gwen
// Albright, whose …", "according to Dr. Imani Brooks.").
func speaks(text string, toks []retrieval.Token, speaker Concept) bool {
	// spans of the speaker's mentions: [start, end) token indexes.
	var spans [][2]int
	for i := range toks {
		switch lower(toks[i]) {
		case "he", "she":
			spans = append(spans, [2]int{i, i + 1})
			continue
		}
		if n := matchLen(toks, i, speaker); n > 0 {
			// "Petra Novak" when the question says "Novak".
			start := i
			for start > 0 && toks[start-1].Capital && !toks[start-1].Stop && strings.TrimSpace(text[toks[start-1].End:toks[start].Start]) == "" {
				start--
			}
			spans = append(spans, [2]int{start, i + n})
		}
	}
	gap := func(a, b int) string { return text[toks[a].End:toks[b].Start] } // between token a and b (a < b)
	for v, t := range toks {
		if !speechVerbs[t.Term] {
			continue
		}
		for _, sp := range spans {
			start, end := sp[0], sp[1]
			switch {
			case end <= v:
				// Before the verb: next to it ("Shaw said", "Shaw also
				// said", "his lawyer, Rita Shaw, said"), or with an
				// apposition set off by commas on both sides ("Rita
				// Shaw, his lawyer, said"); not "In a letter to Berg,
				// Lindgren said".
				between := text[toks[end-1].End:toks[v].Start]
				if strings.Contains(between, "\"") {
					continue
				}
				apposed := start > 0 && strings.Contains(gap(start-1, start), ",") // "town supervisor, Denise Rowe, called"
				// "Hannah Price, apologised and said": one verb and "and"
				// before the speech verb.
				coord := v-end == 2 && lower(toks[v-1]) == "and" && !strings.Contains(gap(end, v), ",") &&
					(apposed || !strings.Contains(gap(end-1, end), ","))
				if v-end <= 1 && !strings.Contains(between, ",") || v == end && apposed || coord ||
					end < v && strings.Contains(gap(end-1, end), ",") && strings.Contains(gap(v-1, v), ",") && v-end <= 8 {
					return true
				}
			case start > v && start-v <= 5:
				// After the verb, ending the clause.
				if end == len(toks) || strings.ContainsAny(gap(end-1, end), ",.;:") {
					return true
				}
			}
		}
	}
	return false
}

// opensWithName reports whether a sentence of the window opens with one of
// the article's names that the question does not use ("Ortega will take
// office on January 2."): a capital that opens a sentence is a name only
// when the article writes it so elsewhere.
func opensWithName(w *window, inQ func(string) bool) bool {
	for i, t := range w.toks {
		if opensSentence(w.text, w.toks, i) && t.Capital && !t.Stop && w.names[t.Term] && !inQ(t.Term) && !isMonthOrDay(t) {
			return true
		}
	}
	return false
}

// roleOfOther reports, for a question about a role a name holds ("the
// Rovers manager", "the Northgate spokesperson"), whether every mention of
// the role in the window belongs to another name: "Harriers manager Gwen
// Albright" does not say who manages the Rovers.
func roleOfOther(p Part, w *window, inQ func(string) bool) bool {
	for ni, n := range p.Concepts {
		if !n.Name {
			continue
		}
		for _, role := range p.Concepts[ni+1:] {
			// The word after the name must name a person by role: in
			// "who did Okafor defeat" it is a verb.
			if role.Name || n.End != role.Start || !personNoun(role) {
				continue
			}
			found, other := false, true
			for i := range w.toks {
				if !matchAt(w.toks, i, role) {
					continue
				}
				found = true
				if i == 0 || opensSentence(w.text, w.toks, i) {
					other = false // the role opens its sentence: no name holds it
					break
				}
				prev := w.toks[i-1]
				if !prev.Capital || prev.Stop || titles[lower(prev)] || nameEndsAt(w.text, w.toks, i, n) {
					other = false
					break
				}
			}
			if found && other {
				return true
			}
		}
	}
	return false
}

// nameEndsAt reports whether name c stands right before toks[i]: in full,
// or shortened ("Water" for "Linton Water") with no other capitalised word
// before it ("Carrow Water" is another name).
func nameEndsAt(text string, toks []retrieval.Token, i int, c Concept) bool {
	for ai, alt := range c.Alts {
		k := i - len(alt)
		if k < 0 || matchLen(toks, k, Concept{Alts: [][]string{alt}}) != len(alt) {
			continue
		}
		if ai == 0 || k == 0 || opensSentence(text, toks, k) || !toks[k-1].Capital || toks[k-1].Stop {
			return true
		}
	}
	return false
}

// doneToAsker reports, for "who did X defeat?", whether X is only the one
// the verb is done to in toks (1) or not (0), or -1 when toks lack the verb
// or the question is of another form: "Okafor won the election, defeating
// Lund" says who defeated Lund, not whom Lund defeated. X counts as the
// doer when it comes before the verb, or after "by" ("was defeated by X").
func doneToAsker(p Part, toks []retrieval.Token) int {
	f := strings.Fields(strings.ToLower(p.Asked))
	if len(f) < 4 || f[0] != "who" && f[0] != "whom" || !doSupport[f[1]] {
		return -1
	}
	var x, v *Concept
	for i := range p.Concepts {
		c := &p.Concepts[i]
		switch {
		case x == nil && c.Name:
			x = c
		case x != nil && !c.Name:
			v = c
		}
		if v != nil {
			break
		}
	}
	if x == nil || v == nil || x.End > v.Start {
		return -1
	}
	verbAt := -1
	for i := range toks {
		if matchAt(toks, i, *v) {
			verbAt = i
			break
		}
	}
	if verbAt < 0 {
		return -1
	}
	seen := false
	for i := range toks {
		if !matchAt(toks, i, *x) {
			continue
		}
		seen = true
		k := i - 1 // back over the rest of the name and a title: "by Mayor Ana Ruiz"
		for k >= 0 && toks[k].Capital && !toks[k].Stop {
			k--
		}
		if i < verbAt || k >= 0 && lower(toks[k]) == "by" {
			return 0
		}
	}
	if seen {
		return 1
	}
	return 0
}

var doSupport = map[string]bool{"did": true, "does": true, "do": true, "will": true, "would": true, "could": true,
	"can": true, "has": true, "have": true, "had": true}

// agentAfterBy reports a word of the part that is no name followed, within
// six words, by "by" and then, after at most three more, a capitalised
// name the question does not use: "fined £104 million by the regulator
// Ofwat", "was hired by Mayor Ruiz".
func agentAfterBy(p Part, text string, toks []retrieval.Token, inQ func(string) bool) bool {
	for _, i := range wordsAt(p, toks) {
		for k := i + 1; k < len(toks) && k <= i+6; k++ {
			if !joined(text, toks, k-1) {
				break
			}
			if lower(toks[k]) != "by" {
				continue
			}
			for j := k + 1; j < len(toks) && j <= k+4; j++ {
				if t := toks[j]; t.Capital && !t.Stop && !inQ(t.Term) && !isMonthOrDay(t) {
					return true
				}
			}
			break
		}
	}
	return false
}
