package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/internal/openaitest"
)

// The CLI with model settings answers through the model, verifies what it
// says, caches the answer in the embedded store (a second ask makes no
// model call) and embeds passages once.
func TestCLIModelAnswersAreCached(t *testing.T) {
	srv := openaitest.New(t)
	data := t.TempDir()
	env := func(k string) string {
		switch k {
		case "STORYBOT_DATA":
			return data
		case "OPENAI_BASE_URL":
			return srv.URL()
		case "OPENAI_API_KEY":
			return "sk-test-secret-key"
		case "STORYBOT_CHAT_MODEL":
			return "test-chat"
		case "STORYBOT_EMBED_MODEL":
			return "test-embed"
		case "STORYBOT_MODEL_RETRIES":
			return "0"
		}
		return ""
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"ingest", "../../testdata/articles"}, &out, &errb, env); err != nil {
		t.Fatalf("ingest: %v %s", err, errb.String())
	}
	embedCalls := srv.Calls("/v1/embeddings")
	if embedCalls == 0 {
		t.Fatal("ingest embedded nothing")
	}
	// The fake model cites whichever numbered passage names the successor.
	srv.ChatFunc = func(req openaitest.ChatRequest) openaitest.Reply {
		n := 0
		for _, m := range req.Messages {
			cur := 0
			for _, line := range strings.Split(m.Content, "\n") {
				if strings.HasPrefix(line, "[") {
					fmt.Sscanf(line, "[%d]", &cur)
				}
				if strings.Contains(line, "Priya Raman") && n == 0 {
					n = cur
				}
			}
		}
		return openaitest.JSON(answer.Draft{
			Claims:     []answer.Claim{{Text: "The board named Priya Raman to succeed Lindqvist.", Passages: []int{n}}},
			NotCovered: []string{},
		})
	}
	ask := func() map[string]any {
		t.Helper()
		out.Reset()
		errb.Reset()
		if err := run(context.Background(), []string{"ask", "--json", "Who will succeed Tomas Lindqvist?"}, &out, &errb, env); err != nil {
			t.Fatalf("ask: %v %s", err, errb.String())
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("ask --json: %v\n%s", err, out.String())
		}
		return m
	}
	first := ask()
	if first["status"] != "answered" || !strings.Contains(first["answer"].(string), "Priya Raman") {
		t.Fatalf("model answer: %v", first)
	}
	chats := srv.Calls("/v1/chat/completions")
	if chats != 1 {
		t.Fatalf("%d chat calls, want 1", chats)
	}
	second := ask()
	if srv.Calls("/v1/chat/completions") != chats {
		t.Errorf("asking again against an unchanged index called the model")
	}
	if second["answer"] != first["answer"] {
		t.Errorf("cached answer differs: %v", second["answer"])
	}
	// Re-opening the index re-embedded nothing: vectors came from the cache.
	if got := srv.Calls("/v1/embeddings"); got > embedCalls+2 {
		t.Errorf("embeddings: %d calls after ingest, %d now; known text was embedded again", embedCalls, got)
	}
	if strings.Contains(errb.String()+out.String(), "sk-test-secret-key") {
		t.Error("the API key reached the output")
	}
}
