// Package qa reads question sets written by others and scores answers on
// them the way ../shared/eval/score_qa.py does: cover, abstain, hit, source
// and wrong, and the cover/abstain curve over confidence. `storybot eval`
// and the evidence model's fitting command both use it, so the figures an
// editor sees are the figures the model was fitted and judged by.
package qa

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/storybot/storybot/answer"
)

// Question is one line of a question set. Both the outside format
// (questions.jsonl: id, q, kind, gold, answer_text, src as article ids) and
// storybot's own eval format (src as source-name prefixes) read into it.
type Question struct {
	ID         string   `json:"id"`
	Q          string   `json:"q"`
	Kind       string   `json:"kind"` // answer, none or partial
	Gold       []string `json:"gold"`
	AnswerText string   `json:"answer_text"`
	Src        []string `json:"src"`
	// WrongOptions are a quiz's wrong choices and PlausibleAnswers the
	// plausible but wrong answers of an unanswerable question: what a
	// careless writer would claim (see answer/openai's writer eval).
	WrongOptions     []string `json:"wrong_options,omitempty"`
	PlausibleAnswers []string `json:"plausible_answers,omitempty"`
	// Line is the question's line in its file, for error messages.
	Line int `json:"-"`
}

// Answerable reports whether the sources hold an answer to the question
// (all of it, or part of it for "partial").
func (q Question) Answerable() bool { return q.Kind != "none" }

// ReadQuestions reads a JSON Lines question file. A line that is not a
// question is an error naming the file and line.
func ReadQuestions(path string) ([]Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("question file: %w", err)
	}
	defer f.Close()
	return parseQuestions(f, path)
}

func parseQuestions(r io.Reader, path string) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	ids := map[string]int{}
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		q.Line = line
		if strings.TrimSpace(q.Q) == "" {
			return nil, fmt.Errorf("%s:%d: no question (q)", path, line)
		}
		switch q.Kind {
		case "answer", "none", "partial":
		default:
			return nil, fmt.Errorf("%s:%d: kind %q is not answer, none or partial", path, line, q.Kind)
		}
		if q.ID != "" {
			if prev, ok := ids[q.ID]; ok {
				return nil, fmt.Errorf("%s:%d: id %q repeats line %d", path, line, q.ID, prev)
			}
			ids[q.ID] = line
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// stop holds score_qa.py's stopwords: words that do not count towards the
// 60 % of a reference answer.
var stop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or of to in on for with by at from as is are was were be been being this
	that it its he she they his her their them who what when where why how which did do does not no`) {
		stop[w] = true
	}
}

var wordRe = regexp.MustCompile(`[a-z0-9]+`)

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range wordRe.FindAllString(strings.ToLower(s), -1) {
		if !stop[w] {
			out[w] = true
		}
	}
	return out
}

// Hit reports whether an answer text holds the question's answer: one of
// the gold strings, or 60 % of the reference answer's content words.
func Hit(q Question, text string) bool {
	low := strings.ToLower(text)
	for _, g := range q.Gold {
		if g != "" && strings.Contains(low, strings.ToLower(g)) {
			return true
		}
	}
	ref := words(q.AnswerText)
	if len(ref) == 0 {
		return false
	}
	got := words(text)
	n := 0
	for w := range ref {
		if got[w] {
			n++
		}
	}
	return float64(n)/float64(len(ref)) >= 0.6
}

// Result is one question's answer, as the scorer needs it.
type Result struct {
	Question Question
	Status   answer.Status
	Text     string
	// Confidence is the answer's confidence.
	Confidence float64
	// FromSource reports whether a citation comes from one of the
	// question's sources.
	FromSource bool
	Err        error
}

// Score is the figures of one set, in percent.
type Score struct {
	Answerable, Unanswerable int
	Cover, Abstain           float64
	Hit, Source, Wrong       float64
	Errors                   int
}

// Tally scores results the way score_qa.py does.
func Tally(rs []Result) Score {
	var s Score
	var covered, abstained, hits, srcok, wrong int
	for _, r := range rs {
		if r.Err != nil {
			s.Errors++
		}
		if r.Question.Answerable() {
			s.Answerable++
			if r.Err == nil && (r.Status == answer.Answered || r.Status == answer.Partial) {
				covered++
				if Hit(r.Question, r.Text) {
					hits++
				}
				if r.FromSource {
					srcok++
				}
			}
			continue
		}
		s.Unanswerable++
		if r.Err == nil && r.Status == answer.NotCovered {
			abstained++
		}
		if r.Err == nil && r.Status == answer.Answered {
			wrong++
		}
	}
	s.Cover = pct(covered, s.Answerable)
	s.Hit = pct(hits, s.Answerable)
	s.Source = pct(srcok, s.Answerable)
	s.Abstain = pct(abstained, s.Unanswerable)
	s.Wrong = pct(wrong, s.Unanswerable)
	return s
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

// String prints the figures as score_qa.py does.
func (s Score) String() string {
	return fmt.Sprintf("answerable %4d unanswerable %4d | cover %5.1f%% abstain %5.1f%% | hit %5.1f%% source %5.1f%% wrong %5.1f%% | errors %d",
		s.Answerable, s.Unanswerable, s.Cover, s.Abstain, s.Hit, s.Source, s.Wrong, s.Errors)
}

// CurvePoint is cover and abstain at one confidence threshold.
type CurvePoint struct {
	Threshold, Cover, Abstain float64
}

// At gives cover and abstain at one threshold: the share of answerable
// questions whose confidence reaches it, and of unanswerable ones whose
// confidence stays below it.
func At(rs []Result, th float64) CurvePoint {
	var ans, non, c, a int
	for _, r := range rs {
		if r.Question.Answerable() {
			ans++
			if r.Confidence >= th {
				c++
			}
		} else {
			non++
			if r.Confidence < th {
				a++
			}
		}
	}
	return CurvePoint{Threshold: th, Cover: pct(c, ans), Abstain: pct(a, non)}
}

// Curve gives cover and abstain at thresholds 0.1 … 0.9 (see At).
func Curve(rs []Result) []CurvePoint {
	var out []CurvePoint
	for i := 1; i <= 9; i++ {
		out = append(out, At(rs, float64(i)/10))
	}
	return out
}
