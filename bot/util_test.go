package bot_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
)

func decodeBlocks(t testing.TB, raw string) []map[string]any {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		t.Fatalf("blocks %q: %v", raw, err)
	}
	return blocks
}

func sectionText(b map[string]any) string {
	if b["type"] != "section" {
		return ""
	}
	txt, _ := b["text"].(map[string]any)
	s, _ := txt["text"].(string)
	return s
}

func metrics(t testing.TB, h *harness) string {
	t.Helper()
	resp, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// longAnswer is an answer of about n characters citing c sources.
func longAnswer(n, c int) *answer.Answer {
	a := &answer.Answer{Question: "everything", Status: answer.Partial, NotCovered: []string{"the rest"}}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Sentence %d says something & more <b> about the story [%d]. ", i, i%c+1)
		if i%7 == 6 {
			b.WriteString("\n\n")
		}
	}
	a.Answer = b.String()
	for i := 1; i <= c; i++ {
		a.Citations = append(a.Citations, answer.Citation{N: i, Title: fmt.Sprintf("Story %d", i), Outlet: "Outlet",
			URL: fmt.Sprintf("https://example.com/%d", i), Quote: "a quote"})
	}
	return a
}
