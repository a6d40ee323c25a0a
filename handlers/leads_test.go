package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
)

func TestLeadLog(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store LeadStore
	}{
		{"memory", &MemLeads{}},
		{"file", NewFileLeads(t.TempDir())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			now := day0.Add(-time.Hour)
			log := &LeadLog{Store: tc.store, Now: func() time.Time { return now }}
			ask := func(at time.Time, channel, q string, st answer.Status) {
				now = at
				ans := &answer.Answer{Question: q, Status: st}
				if st != answer.Answered {
					ans.NotCovered = []string{q}
				}
				log.OnAnswer(ctx, AskRequest{Question: q, Channel: channel}, ans)
			}
			ask(day0.Add(-time.Hour), "CNEWS", "Who owns the Marlow Street contractor?", answer.NotCovered) // before the last digest
			ask(day0.Add(time.Hour), "CNEWS", "When will the bridge reopen?", answer.NotCovered)
			ask(day0.Add(2*time.Hour), "CNEWS", "How long is the bridge closed?", answer.Answered)
			ask(day0.Add(3*time.Hour), "COTHER", "Who is the harbour master?", answer.NotCovered)
			ask(day0.Add(4*time.Hour), "", "What did the CLI ask?", answer.NotCovered)
			ask(day0.Add(5*time.Hour), "CNEWS", "What will the repairs cost and who pays?", answer.Partial)
			ask(day0.Add(6*time.Hour), "CNEWS", "when will the bridge reopen?", answer.NotCovered) // a repeat
			ask(day1.Add(time.Hour), "CNEWS", "After the digest?", answer.NotCovered)

			ix := newTestIndex(t, testArticles())
			dg := compose(t, &Digester{Index: ix, Leads: tc.store}, DigestRequest{Channel: "CNEWS", Since: day0, Now: day1})
			var got []string
			for _, l := range dg.Leads {
				got = append(got, l.Question)
			}
			want := []string{"When will the bridge reopen?", "What will the repairs cost and who pays?"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("leads %q, want %q", got, want)
			}
			text := dg.Text()
			if !strings.Contains(text, "Leads: questions the sources could not answer\n   • When will the bridge reopen?") {
				t.Errorf("text lacks the leads section:\n%s", text)
			}
			// Without a lead store there is no leads section.
			if dg := compose(t, &Digester{Index: ix}, DigestRequest{Channel: "CNEWS", Since: day0, Now: day1}); strings.Contains(dg.Text(), "Leads") {
				t.Errorf("leads section without a store")
			}
		})
	}
}

// TestLeadLogFromService checks the hook end to end: a question asked
// through the Service that the sources cannot answer becomes a lead.
func TestLeadLogFromService(t *testing.T) {
	ix := newTestIndex(t, testArticles())
	store := &MemLeads{}
	log := &LeadLog{Store: store, Now: func() time.Time { return day0.Add(time.Hour) }}
	svc := &Service{Index: ix, OnAnswer: log.OnAnswer}
	ctx := context.Background()
	ans, err := svc.Ask(ctx, AskRequest{Question: "Who won the chess tournament in Oslo?", Channel: "CNEWS"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Status == answer.Answered {
		t.Fatalf("invented question was answered: %+v", ans)
	}
	leads, _ := store.Since(ctx, "CNEWS", day0, day1)
	if len(leads) != 1 || leads[0].Question != "Who won the chess tournament in Oslo?" {
		t.Errorf("leads %+v", leads)
	}
}

func TestFileLeadsCompacts(t *testing.T) {
	ctx := context.Background()
	f := NewFileLeads(t.TempDir())
	f.Keep = 48 * time.Hour
	old := Lead{Time: day0.Add(-10 * 24 * time.Hour), Channel: "C", Question: "old?"}
	if err := f.Add(ctx, old); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < compactEvery; i++ {
		if err := f.Add(ctx, Lead{Time: day0, Channel: "C", Question: "new?"}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := f.Since(ctx, "C", time.Time{}, day1)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != compactEvery-1 || all[0].Question != "new?" {
		t.Errorf("after compaction: %d leads, first %+v", len(all), all[0])
	}
}
