package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
)

// evalCase is one line of an eval file (see DESIGN.md).
type evalCase struct {
	ID   string   `json:"id"`
	Q    string   `json:"q"`
	Kind string   `json:"kind"`
	Gold []string `json:"gold"`
	Src  []string `json:"src"`
}

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
	cases, err := readEval(files[0])
	if err != nil {
		return &exitError{code: 2, err: err}
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
	for _, c := range cases {
		ans, err := svc.Ask(ctx, handlers.AskRequest{Question: c.Q, Collections: a.collections(*colls)})
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			why = judge(c, ans)
		}
		t := byKind[c.Kind]
		if t == nil {
			t = &tally{}
			byKind[c.Kind] = t
		}
		t.total++
		if why == "" {
			t.pass++
			status := ""
			if ans != nil {
				status = string(ans.Status)
			}
			fmt.Fprintf(stdout, "PASS %-6s %-8s %s (%s)\n", c.ID, c.Kind, c.Q, status)
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
	if failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

func readEval(path string) ([]evalCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval file: %w", err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c evalCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if c.Q == "" {
			return nil, fmt.Errorf("%s:%d: no question (q)", path, line)
		}
		switch c.Kind {
		case "answer", "none", "partial":
		default:
			return nil, fmt.Errorf("%s:%d: kind %q is not answer, none or partial", path, line, c.Kind)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// judge returns "" when the answer meets the case, else why not.
func judge(c evalCase, ans *answer.Answer) string {
	want := map[string]answer.Status{"answer": answer.Answered, "none": answer.NotCovered, "partial": answer.Partial}[c.Kind]
	if ans.Status != want {
		return fmt.Sprintf("status %s, want %s", ans.Status, want)
	}
	if len(c.Gold) > 0 {
		text := strings.ToLower(retrieval.Fold(ans.Answer))
		found := false
		for _, g := range c.Gold {
			if strings.Contains(text, strings.ToLower(retrieval.Fold(g))) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Sprintf("answer has none of %q", c.Gold)
		}
	}
	if len(c.Src) > 0 && c.Kind != "none" {
		ok := false
		for _, cit := range ans.Citations {
			base := filepath.Base(cit.Source)
			for _, p := range c.Src {
				if strings.HasPrefix(base, p) {
					ok = true
				}
			}
		}
		if !ok {
			return fmt.Sprintf("no citation from a source starting %q", c.Src)
		}
	}
	return ""
}
