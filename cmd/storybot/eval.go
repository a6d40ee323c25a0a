package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/qa"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
)

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf commonFlags
	cf.register(fs)
	colls := fs.String("collections", "", "comma-separated collections to search")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return &exitError{code: 2}
	}
	if len(files) != 1 {
		return &exitError{code: 2, err: fmt.Errorf("eval: give one eval file (JSON Lines)")}
	}
	cases, err := qa.ReadQuestions(files[0])
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	// An outside set names its sources by article id in an articles.jsonl
	// beside the questions; storybot's own names them by file-name prefix.
	var titles map[string]string
	if arts := filepath.Join(filepath.Dir(files[0]), "articles.jsonl"); fileExists(arts) {
		if titles, err = qa.ArticleTitles(arts); err != nil {
			return &exitError{code: 2, err: err}
		}
	}
	a, err := openApp(ctx, cf, stderr, getenv)
	if err != nil {
		return err
	}
	defer a.close()
	a.warnIfEmpty(stderr)
	svc := a.service()
	type tally struct{ pass, total int }
	byKind := map[string]*tally{}
	failed := 0
	var results []qa.Result
	for _, c := range cases {
		ans, err := svc.Ask(ctx, handlers.AskRequest{Question: c.Q, Collections: a.collections(*colls)})
		why := ""
		r := qa.Result{Question: c, Err: err}
		if err != nil {
			why = err.Error()
		} else {
			why = judge(c, ans, titles)
			r.Status, r.Text, r.Confidence = ans.Status, ans.Answer, ans.Confidence
			r.FromSource = citesSource(c, ans, titles)
		}
		results = append(results, r)
		t := byKind[c.Kind]
		if t == nil {
			t = &tally{}
			byKind[c.Kind] = t
		}
		t.total++
		if why == "" {
			t.pass++
			fmt.Fprintf(stdout, "PASS %-6s %-8s %s (%s, confidence %.2f)\n", c.ID, c.Kind, c.Q, ans.Status, ans.Confidence)
		} else {
			failed++
			fmt.Fprintf(stdout, "FAIL %-6s %-8s %s: %s\n", c.ID, c.Kind, c.Q, why)
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d/%d", k, byKind[k].pass, byKind[k].total))
	}
	fmt.Fprintf(stdout, "eval: %d of %d passed (%s)\n", len(cases)-failed, len(cases), strings.Join(parts, ", "))
	// The figures of ../shared/eval/score_qa.py, and the trade-off the
	// operating point (STORYBOT_MIN_CONFIDENCE) moves along.
	fmt.Fprintf(stdout, "qa: %s\n", qa.Tally(results))
	for _, p := range qa.Curve(results) {
		fmt.Fprintf(stdout, "    confidence >= %.1f: cover %5.1f%%  abstain %5.1f%%\n", p.Threshold, p.Cover, p.Abstain)
	}
	if failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// judge returns "" when the answer meets the case, else why not. An
// answerable question must be answered (partial for a partial one) with a
// gold string, or 60 % of the reference answer, and a citation of one of
// its sources; an unanswerable one must be not covered.
func judge(c qa.Question, ans *answer.Answer, titles map[string]string) string {
	want := map[string]answer.Status{"answer": answer.Answered, "none": answer.NotCovered, "partial": answer.Partial}[c.Kind]
	if ans.Status != want {
		return fmt.Sprintf("status %s, want %s", ans.Status, want)
	}
	if len(c.Gold) > 0 || c.AnswerText != "" {
		folded := c
		folded.Gold = nil
		for _, g := range c.Gold {
			folded.Gold = append(folded.Gold, retrieval.Fold(g))
		}
		if !qa.Hit(folded, retrieval.Fold(ans.Answer)) {
			return fmt.Sprintf("answer has none of %q", c.Gold)
		}
	}
	if len(c.Src) > 0 && c.Kind != "none" && !citesSource(c, ans, titles) {
		return fmt.Sprintf("no citation from a source %q", c.Src)
	}
	return ""
}

// citesSource reports whether a citation comes from one of the question's
// sources: by title when the set names articles by id, else by the prefix
// of the ingested file's name.
func citesSource(c qa.Question, ans *answer.Answer, titles map[string]string) bool {
	for _, cit := range ans.Citations {
		for _, p := range c.Src {
			if titles != nil {
				if t, ok := titles[p]; ok && t == cit.Title {
					return true
				}
				continue
			}
			if strings.HasPrefix(filepath.Base(cit.Source), p) {
				return true
			}
		}
	}
	return false
}
