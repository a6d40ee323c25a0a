package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeBlock returns the lines of the first fenced block after heading in
// the README, and the block that follows it.
func readmeBlocks(t *testing.T, heading string) (cmds []string, output string) {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("the README has no %q", heading)
	}
	var blocks []string
	for len(blocks) < 2 {
		_, after, ok := strings.Cut(rest, "```")
		if !ok {
			t.Fatalf("the README's %q has fewer than two code blocks", heading)
		}
		_, body, _ := strings.Cut(after, "\n") // drop the info string
		block, tail, ok := strings.Cut(body, "```")
		if !ok {
			t.Fatalf("an unclosed code block under %q", heading)
		}
		blocks, rest = append(blocks, block), tail
	}
	for _, l := range strings.Split(strings.TrimSpace(blocks[0]), "\n") {
		cmds = append(cmds, strings.TrimSpace(l))
	}
	return cmds, blocks[1]
}

// TestQuickStart runs the README's quick start, word for word, on a fresh
// data folder, and checks it prints the answer the README shows.
func TestQuickStart(t *testing.T) {
	cmds, shown := readmeBlocks(t, "## Quick start")
	env := map[string]string{"STORYBOT_DATA": t.TempDir()}
	var last string
	for _, c := range cmds {
		args, ok := shellWords(c)
		if !ok || len(args) < 3 || strings.Join(args[:3], " ") != "go run ./cmd/storybot" {
			t.Fatalf("the quick start's %q is not a storybot command this test can run", c)
		}
		args = args[3:]
		for i, a := range args {
			if strings.HasPrefix(a, "testdata/") {
				args[i] = filepath.Join("..", "..", a) // the README runs from the repository's root
			}
		}
		out, errs, code := runEnv(t, env, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", c, code, out, errs)
		}
		last = out
	}
	// The answer and its status are as shown; the dates are today's.
	checked := 0
	for _, line := range strings.Split(shown, "\n") {
		if strings.HasSuffix(line, "[1]") || strings.HasPrefix(line, "Status:") {
			checked++
			if !strings.Contains(last, line) {
				t.Errorf("the quick start no longer prints %q; it printed:\n%s", line, last)
			}
		}
	}
	if checked < 2 {
		t.Errorf("the README's quick-start output shows no cited answer and status to check")
	}
}

// shellWords splits a command line with double-quoted words.
func shellWords(s string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	quoted, in := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, in = !quoted, true
		case r == ' ' && !quoted:
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, !quoted
}
