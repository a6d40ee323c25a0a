package handlers_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/internal/sharedredis"
)

// Feedback and leads written through one replica are read through another.
func TestKVLogsAreShared(t *testing.T) {
	kv := sharedredis.Open(t)
	ctx := context.Background()
	a, b := handlers.NewKVFeedback(kv), handlers.NewKVFeedback(kv)
	a.Add(ctx, handlers.FeedbackRecord{Question: "first?"})
	b.Add(ctx, handlers.FeedbackRecord{Question: "second?"})
	var out bytes.Buffer
	if err := a.Export(ctx, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "first?") || !strings.Contains(lines[1], "second?") {
		t.Errorf("export:\n%s", out.String())
	}

	la, lb := handlers.NewKVLeads(kv), handlers.NewKVLeads(kv)
	now := time.Now()
	la.Add(ctx, handlers.Lead{Time: now.Add(-2 * time.Hour), Channel: "C1", Question: "old?"})
	lb.Add(ctx, handlers.Lead{Time: now.Add(-time.Minute), Channel: "C1", Question: "new?"})
	la.Add(ctx, handlers.Lead{Time: now.Add(-time.Minute), Channel: "C2", Question: "other channel?"})
	got, err := lb.Since(ctx, "C1", now.Add(-time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Question != "new?" {
		t.Errorf("leads since an hour ago in C1: %+v", got)
	}
}
