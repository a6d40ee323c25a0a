package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/handlers"
)

// cli runs the real storybot command line with a private data folder and
// no Redis or model settings.
func cli(t *testing.T, data string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := func(k string) string {
		switch k {
		case "STORYBOT_DATA":
			return data
		case "HOME":
			return t.TempDir()
		}
		return ""
	}
	err := run(context.Background(), args, &out, &errb, env)
	code = 0
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
			if ee.err != nil {
				errb.WriteString(ee.err.Error())
			}
		} else {
			code = 1
			errb.WriteString(err.Error())
		}
	}
	return out.String(), errb.String(), code
}

func TestCLIEndToEnd(t *testing.T) {
	data := t.TempDir()
	out, errs, code := cli(t, data, "ingest", "../../testdata/seeds")
	if code != 0 {
		t.Fatalf("ingest exit %d: %s %s", code, out, errs)
	}
	if !strings.Contains(out, "3 new, 0 updated, 0 unchanged") {
		t.Fatalf("ingest summary: %s", out)
	}
	// A second run finds nothing to do; the index survived between runs.
	out, _, _ = cli(t, data, "ingest", "../../testdata/seeds")
	if !strings.Contains(out, "0 new, 0 updated, 3 unchanged") {
		t.Fatalf("re-ingest summary: %s", out)
	}

	out, errs, code = cli(t, data, "ask", "--json", "Who was the campaign's CISO?")
	if code != 0 {
		t.Fatalf("ask exit %d: %s", code, errs)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("ask --json is not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"question", "status", "answer", "citations", "not_covered", "confidence"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("ask --json lacks %q", k)
		}
	}
	if len(raw) != 6 {
		t.Errorf("ask --json has %d fields, want exactly 6: %s", len(raw), out)
	}
	var conf float64
	if err := json.Unmarshal(raw["confidence"], &conf); err != nil || conf <= 0 || conf >= 1 {
		t.Errorf("confidence %s is not a number in (0, 1)", raw["confidence"])
	}
	var ans struct {
		Status    string
		Answer    string
		Citations []map[string]any
	}
	json.Unmarshal([]byte(out), &ans)
	if ans.Status != "answered" || !strings.Contains(ans.Answer, "Baccio") {
		t.Errorf("answer: %s %s", ans.Status, ans.Answer)
	}
	for _, c := range ans.Citations {
		for _, k := range []string{"n", "article_id", "passage_id", "title", "outlet", "url", "source", "quote"} {
			if _, ok := c[k]; !ok {
				t.Errorf("citation lacks %q: %v", k, c)
			}
		}
		src, _ := c["source"].(string)
		b, err := os.ReadFile(src)
		if err != nil {
			t.Errorf("citation source %q is not the ingested path: %v", src, err)
			continue
		}
		// The quote is cleaned text; its words stand in the raw file.
		q, _ := c["quote"].(string)
		if first := strings.Fields(q)[0]; !strings.Contains(string(b), first) {
			t.Errorf("quote %q not from %s", q, src)
		}
	}

	out, _, code = cli(t, data, "ask", "Who replaced the CISO?")
	if code != 0 || !strings.Contains(out, "Not covered by the sources") || !strings.Contains(out, "Status: not_covered") {
		t.Errorf("human answer:\n%s", out)
	}

	out, errs, code = cli(t, data, "eval", "../../testdata/eval/dev_questions.jsonl")
	if pass := evalPassed(t, out); pass < devFloor || code != map[bool]int{true: 0, false: 1}[pass == 6] {
		t.Errorf("eval exit %d, %d passed, want at least %d:\n%s%s", code, pass, devFloor, out, errs)
	}
	if !strings.Contains(out, "qa: answerable    4 unanswerable    2 | cover") || !strings.Contains(out, "confidence >= 0.5: cover") {
		t.Errorf("eval prints no figures or curve:\n%s", out)
	}
}

func TestCLIBadInput(t *testing.T) {
	data := t.TempDir()
	in := t.TempDir()
	good, _ := os.ReadFile("../../testdata/articles/harbor-storm.txt")
	os.WriteFile(filepath.Join(in, "good.txt"), good, 0o644)
	os.WriteFile(filepath.Join(in, "empty.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(in, "binary.txt"), []byte("\x00\x01\x02\x03binary\x00"), 0o644)
	out, errs, code := cli(t, data, "ingest", in, filepath.Join(in, "missing.txt"))
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "1 new") || !strings.Contains(out, "3 failed") {
		t.Errorf("summary: %s", out)
	}
	for _, name := range []string{"empty.txt", "binary.txt", "missing.txt"} {
		if !strings.Contains(errs, name) {
			t.Errorf("no error names %s:\n%s", name, errs)
		}
	}
	// The good article was kept.
	out, _, _ = cli(t, data, "ask", "--json", "When was the harbor reopened?")
	if !strings.Contains(out, "Thursday") {
		t.Errorf("good input lost: %s", out)
	}
}

func TestCLIUsageErrors(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := cli(t, data, "ask"); code != 2 || !strings.Contains(errs, "give a question") {
		t.Errorf("ask without question: %d %s", code, errs)
	}
	if _, errs, code := cli(t, data, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %s", code, errs)
	}
	if _, errs, code := cli(t, data, "ingest", "--published", "yesterday", "x"); code != 2 || !strings.Contains(errs, "--published") {
		t.Errorf("bad date: %d %s", code, errs)
	}
}

// Two ingest runs on one data folder at the same time lose nothing: the
// second waits for the first.
func TestCLIConcurrentIngest(t *testing.T) {
	data := t.TempDir()
	done := make(chan string, 2)
	for _, in := range []string{"../../testdata/seeds", "../../testdata/articles"} {
		go func() {
			out, errs, code := cli(t, data, "ingest", in)
			if code != 0 {
				done <- "exit " + errs
				return
			}
			done <- out
		}()
	}
	for range 2 {
		if out := <-done; !strings.Contains(out, "ingested:") {
			t.Fatalf("ingest failed: %s", out)
		}
	}
	out, _, _ := cli(t, data, "ingest", "../../testdata/seeds", "../../testdata/articles")
	if !strings.Contains(out, "0 new, 0 updated, 11 unchanged") {
		t.Errorf("after concurrent runs: %s", out)
	}
}

type answerT = answer.Answer

func askReq(q string) handlers.AskRequest { return handlers.AskRequest{Question: q} }

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Answers say how fresh their coverage is.
func TestCLIAnswerSaysHowFresh(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := cli(t, data, "ingest", "--published", "2024-03-05", "../../testdata/articles/airline-profit.txt"); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ := cli(t, data, "ask", "How many pilots will Northwind hire?")
	if !strings.Contains(out, "Newest cited source published 2024-03-05") {
		t.Errorf("no freshness note:\n%s", out)
	}
}

func TestCLIWarnsOnEmptyIndex(t *testing.T) {
	_, errs, code := cli(t, t.TempDir(), "ask", "Who is Mick Baccio?")
	if code != 0 || !strings.Contains(errs, "is empty; run storybot ingest first") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestNewsroomEval runs the newsroom evaluation set through the CLI: 37
// invented articles with traps of the kinds newsrooms meet (a death toll
// updated by a later report, a margin beside a count, a co-defendant's
// sentence, a namesake, a disclaimer in a later clause) and questions
// whose answers, or whose absence, are known. It was written with the
// special-case rules the evidence model replaced; it is now a regression
// set with a floor, not a target.
func TestNewsroomEval(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := cli(t, data, "ingest", "../../testdata/eval/newsroom"); code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	out, errs, _ := cli(t, data, "eval", "../../testdata/eval/newsroom_questions.jsonl")
	if pass := evalPassed(t, out); pass < newsroomFloor {
		t.Errorf("%d of 440 passed, want at least %d:\n%s%s", pass, newsroomFloor, out, errs)
	}
}

// The regression floors of the invented sets at the shipped model's
// default operating point (see docs/answering.md): a change to the model
// that passes fewer of them must say why.
const (
	devFloor      = 4
	newsroomFloor = 230
)

// evalPassed reads "eval: N of M passed" from eval's output.
func evalPassed(t *testing.T, out string) int {
	t.Helper()
	i := strings.LastIndex(out, "eval: ")
	if i < 0 {
		t.Fatalf("no eval summary:\n%s", out)
	}
	var n, m int
	if _, err := fmt.Sscanf(out[i:], "eval: %d of %d passed", &n, &m); err != nil {
		t.Fatalf("eval summary: %v\n%s", err, out[i:])
	}
	return n
}

// STORYBOT_MIN_CONFIDENCE moves the operating point: the same question is
// answered below its confidence and not covered above it, and a value out
// of range is refused naming the setting.
func TestMinConfidenceSetting(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"STORYBOT_DATA": data}
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/articles"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	const q = "Who will succeed Tomas Lindqvist as chief executive of Harbor Logistics?"
	status := func(min string) (string, float64) {
		t.Helper()
		e := map[string]string{"STORYBOT_DATA": data, "STORYBOT_MIN_CONFIDENCE": min}
		out, errs, code := runEnv(t, e, "ask", "--json", q)
		if code != 0 {
			t.Fatalf("ask with %s: exit %d: %s", min, code, errs)
		}
		var a struct {
			Status     string
			Confidence float64
		}
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("ask --json: %v\n%s", err, out)
		}
		return a.Status, a.Confidence
	}
	lowS, lowC := status("0.01")
	highS, highC := status("0.99")
	if lowS != "answered" || highS != "not_covered" {
		t.Errorf("status %s at 0.01 and %s at 0.99, want answered and not_covered", lowS, highS)
	}
	if lowC != highC {
		t.Errorf("confidence %v and %v: the setting must not change it", lowC, highC)
	}
	_, errs, code := runEnv(t, map[string]string{"STORYBOT_DATA": data, "STORYBOT_MIN_CONFIDENCE": "2"}, "ask", q)
	if code == 0 || !strings.Contains(errs, "STORYBOT_MIN_CONFIDENCE") {
		t.Errorf("exit %d, stderr %q: want a refusal naming the setting", code, errs)
	}
}

// `storybot version` names the build; `storybot health` fails, saying
// why, when nothing answers or /healthz is not 200.
func TestVersionAndHealth(t *testing.T) {
	out, _, code := cli(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "storybot dev") || !strings.Contains(out, "go1.") {
		t.Errorf("version: exit %d %q", code, out)
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	addr := strings.TrimPrefix(down.URL, "http://")
	if _, errs, code := runEnv(t, map[string]string{"STORYBOT_ADDR": addr}, "health"); code != 1 || !strings.Contains(errs, "answered 503") {
		t.Errorf("health of a 503: exit %d %q", code, errs)
	}
	down.Close()
	if _, errs, code := runEnv(t, nil, "health", "--addr", addr, "--timeout", "1s"); code != 1 || !strings.Contains(errs, "not answering") {
		t.Errorf("health of nothing: exit %d %q", code, errs)
	}
}

// A data folder this user cannot write gets an error that says what to do.
func TestDataFolderHint(t *testing.T) {
	err := dataFolderHint(fmt.Errorf("open /data/storybot.db: %w", fs.ErrPermission), "/data")
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "cannot write the data folder /data") || !strings.Contains(err.Error(), "chown -R 65532") {
		t.Errorf("hint: %v", err)
	}
	other := errors.New("disk full")
	if got := dataFolderHint(other, "/data"); got != other {
		t.Errorf("other errors are changed: %v", got)
	}
}

// writeGz writes lines as a gzip-compressed JSON Lines file.
func writeGz(t *testing.T, path string, lines []string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, l := range lines {
		fmt.Fprintln(zw, l)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// articleRecords makes a JSON Lines record of each bundled test article.
func articleRecords(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/articles/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("test articles: %v", err)
	}
	var lines []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		title, text, _ := strings.Cut(string(b), "\n\n")
		rec, _ := json.Marshal(map[string]string{"title": title, "text": text, "url": "https://news.example/" + filepath.Base(f)})
		lines = append(lines, string(rec))
	}
	return lines
}

func TestCLIIngestStreamsJSONLines(t *testing.T) {
	data := t.TempDir()
	recs := articleRecords(t)
	lines := append(append(append([]string{}, recs[:3]...), `{"title": "cut off", "text": "the exp`), recs[3:]...)
	path := filepath.Join(t.TempDir(), "export.jsonl.gz")
	writeGz(t, path, lines)

	out, errs, code := cli(t, data, "ingest", "--progress", "1h", path)
	if code != 1 {
		t.Fatalf("exit %d with a bad record, want 1: %s %s", code, out, errs)
	}
	if !strings.Contains(errs, path+":4: invalid JSON") {
		t.Errorf("stderr does not name the bad record by file:line and why:\n%s", errs)
	}
	want := fmt.Sprintf("ingested: %d new, 0 updated, 0 unchanged, 0 duplicate, 1 failed", len(recs))
	if !strings.Contains(out, want) {
		t.Errorf("summary:\n%s\nwant %q", out, want)
	}
	if strings.Contains(out, "new        ") {
		t.Errorf("a bulk file listed every article without --verbose:\n%s", out)
	}
	// Not a terminal: progress is logged as lines.
	if !regexp.MustCompile(`ingest export\.jsonl\.gz: \d+ articles, [\d.]+ of [\d.]+ MB read \(\d+%\), \d+ articles/s(, ETA |, finishing)`).MatchString(errs) {
		t.Errorf("no progress line on stderr:\n%s", errs)
	}

	// Again: everything is in, nothing is cleaned again; --verbose lists.
	out, errs, code = cli(t, data, "ingest", "--verbose", path)
	want = fmt.Sprintf("ingested: 0 new, 0 updated, %d unchanged, 0 duplicate, 1 failed", len(recs))
	if code != 1 || !strings.Contains(out, want) || strings.Count(out, "unchanged  ") != len(recs) {
		t.Errorf("re-run (exit %d):\n%s\n%s\nwant %q and each article listed", code, out, errs, want)
	}
	if !strings.Contains(errs, fmt.Sprintf("%d articles, 0 cleaned", len(recs)+1)) {
		t.Errorf("re-run cleaned articles again:\n%s", errs)
	}
}

func TestCLIIngestRecordSizeLimit(t *testing.T) {
	data := t.TempDir()
	recs := articleRecords(t)
	huge, _ := json.Marshal(map[string]string{"title": "Huge", "text": strings.Repeat("All work and no play. ", 11<<20/22+1)})
	path := filepath.Join(t.TempDir(), "big.ndjson.gz")
	writeGz(t, path, []string{recs[0], string(huge), recs[1]})
	out, errs, code := cli(t, data, "ingest", path)
	if code != 1 || !strings.Contains(errs, path+":2: record is 11") || !strings.Contains(errs, "over the 10 MiB limit") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "ingested: 2 new, 0 updated, 0 unchanged, 0 duplicate, 1 failed") {
		t.Errorf("the records around the huge one were not imported:\n%s", out)
	}
}
