package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/handlers"
)

func TestFeedbackExport(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"STORYBOT_DATA": data}
	out, errs, code := storybot(context.Background(), t, env, "feedback")
	if code != 0 || out != "" {
		t.Fatalf("no feedback yet: exit %d out %q err %q", code, out, errs)
	}
	store := handlers.NewFileFeedback(data)
	for i, helpful := range []bool{true, false} {
		rec := handlers.FeedbackRecord{Helpful: helpful, User: "U1", Channel: "C1", Question: "q?", Status: answer.Answered,
			Answer: "a [1]", Citations: []answer.Citation{{N: 1, Title: "T", Quote: "quote"}}}
		rec.AnswerID = string(rune('a' + i))
		if err := store.Add(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	out, errs, code = storybot(context.Background(), t, map[string]string{}, "feedback", "--data", data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), out)
	}
	for i, l := range lines {
		var rec handlers.FeedbackRecord
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if rec.Helpful != (i == 0) || rec.Question != "q?" || len(rec.Citations) != 1 {
			t.Errorf("line %d: %+v", i, rec)
		}
	}
}
