package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/storybot/storybot/handlers"
)

// questionForms turn a known-item query into a question of each kind the
// extractive answerer handles.
var questionForms = []string{
	"What happened with %s?",
	"Who is behind %s?",
	"When did %s happen?",
	"Why %s?",
	"What did officials say about %s?",
}

// BenchmarkAsk measures the question path without a model: Service.Ask
// with the extractive answerer (retrieve, compose, verify), at 20k, 200k
// and (with STORYBOT_BENCH_LARGE=1) 1M passages. The index is in memory, so
// a question makes no Redis round trip.
func BenchmarkAsk(b *testing.B) {
	sizes := []int{smallPassages, midPassages}
	if large() {
		sizes = append(sizes, largePassages)
	}
	if _, _, err := archiveFiles(); err == nil {
		// The archive's quiz questions, as reporters would ask them.
		b.Run("corpus=archive/engine=storybot", func(b *testing.B) {
			f := corpus(b, "archive")
			qs := make([]string, len(f.items))
			for i, it := range f.items {
				qs[i] = it.Query
			}
			runAsk(b, &handlers.Service{Index: f.ix}, qs)
			b.ReportMetric(float64(f.ix.Passages()), "passages")
		})
	}
	for _, n := range sizes {
		b.Run("passages="+sizeName(n)+"/engine=storybot", func(b *testing.B) {
			f := corpus(b, "synthetic-"+sizeName(n))
			svc := &handlers.Service{Index: f.ix}
			qs := make([]string, 0, len(f.items))
			for i, it := range f.items {
				qs = append(qs, fmt.Sprintf(questionForms[i%len(questionForms)], it.Query))
			}
			runAsk(b, svc, qs)
		})
	}
}

// runAsk asks the questions in turn and reports p50 and p99.
func runAsk(b *testing.B, svc *handlers.Service, qs []string) {
	ctx := context.Background()
	lat := newPerQuery(len(qs))
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		if _, err := svc.Ask(ctx, handlers.AskRequest{Question: qs[i%len(qs)]}); err != nil {
			b.Fatal(err)
		}
		lat.add(i%len(qs), time.Since(t))
	}
	lat.report(b)
}
