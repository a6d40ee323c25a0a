package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
)

func TestFeedbackRecordAndExport(t *testing.T) {
	s := sourcesFixture(t)
	pub := s.Index.Get(retrieval.ArticleID("a"))
	emb := s.Index.Get(retrieval.ArticleID("c"))
	dir := t.TempDir()
	fb := &handlers.Feedback{Store: handlers.NewFileFeedback(dir), Index: s.Index}
	ans := &answer.Answer{Question: "bridge?", Status: answer.Answered, Answer: "It reopened [1]. It will be sold [2].",
		Citations: []answer.Citation{{N: 1, ArticleID: pub.ID, Title: pub.Title}, {N: 2, ArticleID: emb.ID, Title: emb.Title}}}
	ctx := context.Background()
	if err := fb.Record(ctx, handlers.FeedbackRequest{Helpful: true, User: "U1", Channel: "CPUB", AnswerID: "x", Answer: ans,
		Collections: []string{"published"}}); err != nil {
		t.Fatal(err)
	}
	if err := fb.Record(ctx, handlers.FeedbackRequest{Helpful: false, User: "U2", Channel: "CEMB", AnswerID: "y", Answer: ans,
		Collections: []string{"published", "embargoed"}}); err != nil {
		t.Fatal(err)
	}
	// A torn last line (crash mid-append) is skipped on export.
	f, _ := os.OpenFile(dir+"/"+handlers.FeedbackFileName, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2024`)
	f.Close()
	var out bytes.Buffer
	if err := fb.Store.Export(ctx, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %s", len(lines), out.String())
	}
	var recs [2]handlers.FeedbackRecord
	for i := range recs {
		if err := json.Unmarshal([]byte(lines[i]), &recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if len(recs[0].Citations) != 1 || recs[0].Citations[0].ArticleID != pub.ID || strings.Contains(lines[0], "Secret") {
		t.Errorf("published channel's record keeps the embargoed citation: %s", lines[0])
	}
	if len(recs[1].Citations) != 2 || recs[1].Helpful || recs[1].User != "U2" || recs[1].Question != "bridge?" {
		t.Errorf("record: %+v", recs[1])
	}
}
