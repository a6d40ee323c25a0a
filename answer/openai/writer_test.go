package openai

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/qa"
	"github.com/storybot/storybot/internal/openaitest"
	"github.com/storybot/storybot/retrieval"
)

// The scripted-writer eval measures verification, not a model: a fake
// OpenAI-compatible writer answers each question of an outside set with
// one claim and its quote, through the real client, prompt and parser.
//
//   - The careful writer claims the reference answer, quoting the passage
//     sentence that holds a gold answer (from a source article when one was
//     supplied).
//   - The careless writer claims a wrong answer (a quiz's wrong option, or
//     an unanswerable question's plausible answer), quoting the passage
//     sentence closest to it.
//
// A claim is the question turned into a statement with the answer after it
// ("Frank Burnet formulated before the 1950s: clonal selection theory."):
// it asserts what the question presumes as well as the answer, as a
// writer's sentence does.
//
// Run it on the outside sets:
//
//	STORYBOT_QA_DEV=../shared/data/qa-dev go test ./answer/openai -run TestScriptedWriters -v
//
// It prints the share of true claims kept and false claims dropped, by
// question kind. STORYBOT_WRITER_NO_QUOTE=1 makes both writers return the
// old claims-only shape. Without STORYBOT_QA_DEV it runs on the small set in
// answer/qa/testdata.

type writerTally struct{ trueN, trueKept, falseN, falseDropped int }

func TestScriptedWriters(t *testing.T) {
	dirs := []string{"../qa/testdata/set"}
	dev := os.Getenv("STORYBOT_QA_DEV")
	if dev != "" {
		var err error
		if dirs, err = filepath.Glob(filepath.Join(dev, "*", "questions.jsonl")); err != nil || len(dirs) == 0 {
			t.Fatalf("no question sets under %s", dev)
		}
		for i := range dirs {
			dirs[i] = filepath.Dir(dirs[i])
		}
	}
	byKind := map[answer.Kind]*writerTally{}
	total := &writerTally{}
	for _, dir := range dirs {
		set, err := qa.ReadSet(dir)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := set.Index(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st := &tallyWithLast{}
		for _, q := range set.Questions {
			k := runWriters(t, set, ix, q, st)
			if byKind[k] == nil {
				byKind[k] = &writerTally{}
			}
			add(byKind[k], st.last)
		}
		add(total, st.writerTally)
		t.Logf("%-14s true claims kept %s, false claims dropped %s", set.Name, pctOf(st.trueKept, st.trueN), pctOf(st.falseDropped, st.falseN))
	}
	var kinds []string
	for k := range byKind {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		tl := byKind[answer.Kind(k)]
		t.Logf("  %-11s true claims kept %s, false claims dropped %s", k, pctOf(tl.trueKept, tl.trueN), pctOf(tl.falseDropped, tl.falseN))
	}
	t.Logf("all            true claims kept %s, false claims dropped %s", pctOf(total.trueKept, total.trueN), pctOf(total.falseDropped, total.falseN))
	if dev == "" {
		// The small set: its careful claims are plain, its careless ones
		// name what the quote does not.
		if total.trueN == 0 || total.trueKept != total.trueN || total.falseN == 0 || total.falseDropped != total.falseN {
			t.Errorf("on the test set: %+v, want every true claim kept and every false one dropped", *total)
		}
	}
}

func pctOf(a, b int) string {
	return fmt.Sprintf("%5.1f%% of %4d", 100*float64(a)/float64(max(b, 1)), b)
}

func add(to *writerTally, d writerTally) {
	to.trueN += d.trueN
	to.trueKept += d.trueKept
	to.falseN += d.falseN
	to.falseDropped += d.falseDropped
}

// runWriters asks one question of both writers and tallies their claims.
// It returns the question's kind; st.last holds this question's counts.
func runWriters(t *testing.T, set *qa.Set, ix *retrieval.Index, q qa.Question, st *tallyWithLast) answer.Kind {
	t.Helper()
	aq := answer.Analyze(q.Q, retrieval.NewThesaurus())
	hits := ix.WithText(ix.Search(retrieval.Query{Terms: aq.Terms(), Limit: 12}))
	kind := answer.What
	if len(aq.Parts) > 0 {
		kind = aq.Parts[0].Kind
	}
	st.last = writerTally{}
	if len(hits) == 0 {
		return kind
	}
	src := set.SrcTitles(q)
	try := func(claimed string, pick func([]retrieval.Hit) (int, string)) (drafted, kept bool) {
		n, quote := pick(hits)
		if n == 0 {
			return false, false // nothing in the passages to quote
		}
		srv := openaitest.New(t)
		claim := answer.Claim{Text: statement(q.Q, claimed), Passages: []int{n}, Quote: quote}
		if os.Getenv("STORYBOT_WRITER_NO_QUOTE") != "" {
			claim.Quote = "" // the old claims-only shape
		}
		srv.QueueChat(openaitest.JSON(map[string]any{"claims": []answer.Claim{claim}, "not_covered": []string{}}))
		a := New(Options{BaseURL: srv.URL(), APIKey: "k", Model: "writer", Timeout: 5 * time.Second,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Fallback: answer.Extractive{IDF: ix.IDF}})
		if _, err := a.Answer(context.Background(), aq, hits); err != nil {
			t.Fatal(err)
		}
		u := a.Usage().Snapshot()
		if u.Fallbacks > 0 {
			t.Fatalf("%q: the scripted writer's reply fell back", q.Q)
		}
		return true, u.DroppedClaims == 0
	}
	if q.Answerable() && len(q.Gold) > 0 {
		if drafted, kept := try(cmpOr(q.AnswerText, q.Gold[0]), func(hs []retrieval.Hit) (int, string) { return sentenceWith(hs, q.Gold, src, q.Q) }); drafted {
			st.last.trueN++
			if kept {
				st.last.trueKept++
			}
		}
	}
	wrong := append(append([]string(nil), q.WrongOptions...), q.PlausibleAnswers...)
	if len(wrong) > 0 {
		if drafted, kept := try(wrong[0], func(hs []retrieval.Hit) (int, string) { return closestSentence(hs, wrong[0], q.Q) }); drafted {
			st.last.falseN++
			if !kept {
				st.last.falseDropped++
			}
		}
	}
	add(&st.writerTally, st.last)
	return kind
}

type tallyWithLast struct {
	writerTally
	last writerTally
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sentenceWith returns the passage (1-based) and quote a careful writer
// gives: of the sentences holding a gold answer (alone, or with the
// sentence before them in their paragraph), preferring the question's
// source articles, the one sharing most words with the question.
func sentenceWith(hits []retrieval.Hit, gold []string, src map[string]bool, question string) (int, string) {
	qs := termSet(question)
	for _, fromSource := range []bool{true, false} {
		best, bn, bs := -1, 0, ""
		for i, h := range hits {
			if fromSource != src[h.Article.Title] {
				continue
			}
			ss := retrieval.Sentences(h.Passage.Text)
			for j, sp := range ss {
				if !holdsAny(h.Passage.Text[sp.Start:sp.End], gold) {
					continue
				}
				for _, first := range []int{j, j - 1} {
					if first < 0 || first < j && strings.Contains(h.Passage.Text[ss[first].End:sp.Start], "\n") {
						continue
					}
					s := h.Passage.Text[ss[first].Start:sp.End]
					score := 0
					for t := range termSet(s) {
						if qs[t] {
							score++
						}
					}
					if score > best {
						best, bn, bs = score, i+1, s
					}
				}
			}
		}
		if bn > 0 {
			return bn, bs
		}
	}
	return 0, ""
}

func holdsAny(s string, gold []string) bool {
	for _, g := range gold {
		if g != "" && strings.Contains(strings.ToLower(s), strings.ToLower(g)) {
			return true
		}
	}
	return false
}

// closestSentence returns the passage sentence sharing most words with the
// wrong answer, then with the question: the one a careless writer quotes.
func closestSentence(hits []retrieval.Hit, wrong, question string) (int, string) {
	ws, qs := termSet(wrong), termSet(question)
	best, bn, bs := -1.0, 0, ""
	for i, h := range hits {
		for _, sp := range retrieval.Sentences(h.Passage.Text) {
			s := h.Passage.Text[sp.Start:sp.End]
			score := 0.0
			for t := range termSet(s) {
				if ws[t] {
					score += 10
				}
				if qs[t] {
					score++
				}
			}
			if score > best {
				best, bn, bs = score, i+1, s
			}
		}
	}
	return bn, bs
}

func termSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range retrieval.Terms(s) {
		out[t] = true
	}
	return out
}

// whRe finds question words with the noun or auxiliary that goes with
// them ("which app did", "how many", "what year was").
var whRe = regexp.MustCompile(`(?i)\b(?:(?:what|which)(?:\s+\w+)?|who(?:m|se)?|when|where|why|how(?: many| much| long| old| far| soon)?)\b\s*(?:(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would)\b\s*)?`)

// statement turns a question into a statement of its answer: the answer
// first, then the question's words without its question words ("Signal:
// they used to share the plans.").
func statement(question, ans string) string {
	q := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(question), "?:"))
	if ss := retrieval.Sentences(q); len(ss) > 1 {
		q = q[ss[len(ss)-1].Start:] // the asking sentence of "Scene. Question?"
	}
	rest := strings.Join(strings.Fields(whRe.ReplaceAllString(q, " ")), " ")
	// The question's first word starts no sentence now: lowercase it
	// unless it is a name or an abbreviation.
	if f := strings.Fields(rest); len(f) > 0 && f[0] == strings.Fields(q)[0] && !isName(f[0]) {
		rest = strings.ToLower(f[0][:1]) + rest[1:]
	}
	return fmt.Sprintf("%s: %s.", strings.TrimRight(ans, "."), strings.TrimRight(rest, " ,"))
}

// isName reports a word in capitals, or a capitalised word the question
// would not start with as a common word: a guess good enough for the
// scripted writer.
func isName(w string) bool {
	return len(w) > 1 && strings.ToUpper(w) == w
}

func TestStatement(t *testing.T) {
	for q, want := range map[string]string{
		"Which app did they use?":                            "Signal: they use.",
		"In what country is Normandy located?":               "Signal: in Normandy located.",
		"How many customers were without power Thursday?":    "Signal: customers were without power Thursday.",
		"The Spurs won the lottery. Who did they pick then?": "Signal: they pick then.",
		"An imposter used AI to mimic which US official?":    "Signal: an imposter used AI to mimic official.",
	} {
		if got := statement(q, "Signal"); got != want {
			t.Errorf("statement(%q) = %q, want %q", q, got, want)
		}
	}
}
