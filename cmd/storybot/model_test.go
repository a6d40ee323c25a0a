package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
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

func TestModelMetricsAreExposed(t *testing.T) {
	srv := openaitest.New(t)
	env := map[string]string{"STORYBOT_DATA": t.TempDir(), "OPENAI_BASE_URL": srv.URL(), "OPENAI_API_KEY": "k",
		"STORYBOT_CHAT_MODEL": "m", "STORYBOT_EMBED_MODEL": "e"}
	var logs bytes.Buffer
	a, err := openApp(context.Background(), commonFlags{}, &logs, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	reg := prometheus.NewRegistry()
	a.registerModelMetrics(reg)
	a.models.answerer.Usage().PromptTokens.Add(42)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mf := range mfs {
		if mf.GetName() == "storybot_model_tokens_total" {
			for _, m := range mf.GetMetric() {
				if m.GetCounter().GetValue() == 42 {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("model tokens not on /metrics")
	}
	// The model's health follows its last answer.
	up := func() float64 {
		mfs, _ := reg.Gather()
		for _, mf := range mfs {
			if mf.GetName() == "storybot_model_up" {
				return mf.GetMetric()[0].GetGauge().GetValue()
			}
		}
		t.Fatal("no storybot_model_up")
		return -1
	}
	if up() != 1 {
		t.Errorf("storybot_model_up %v before any failure", up())
	}
	a.models.answerer.Usage().Down.Store(true)
	if up() != 0 {
		t.Errorf("storybot_model_up %v after a fallback", up())
	}
}
