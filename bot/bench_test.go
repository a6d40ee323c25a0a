package bot_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/internal/slacktest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
)

// BenchmarkSlashAck measures how long Slack waits for the acknowledgement
// of a /story question when 200 arrive at once over HTTP: signature check,
// parsing, rate limit and hand-off to the background answer. Each
// iteration sends 200 concurrent signed commands; p50 and p99 are over
// every command of the run. It also checks that every command was
// answered, and once: "answered" is the share of commands whose
// response_url got an answer, "shed" the share turned away in the ack
// because the answer queue was full (a later iteration can arrive while
// the earlier ones are still being answered), "duplicates" the commands
// answered twice.
//
// With STORYBOT_BENCH_DATA naming a data folder that holds the real news
// archive (storybot ingest --data DIR articles.jsonl.gz) and
// STORYBOT_ARCHIVE the archive's folder, the bot answers from the archive
// and the questions are the archive's own quiz questions; otherwise from
// the test corpus.
func BenchmarkSlashAck(b *testing.B) {
	const concurrent = 200
	questions := []string{"When did Mick Baccio leave?", "When did the bridge reopen?", "How many visitors did the zucchini festival draw?"}
	var h *harness
	if dir := os.Getenv("STORYBOT_BENCH_DATA"); dir != "" {
		svc, ing := archiveService(b, dir)
		questions = archiveQuestions(b, concurrent)
		h = newHarnessWith(b, slacktest.New(b), svc, ing, bot.NewMemoryClaimer())
	} else {
		h = newHarness(b)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrent, MaxConnsPerHost: 0}}
	var mu sync.Mutex
	var lat []time.Duration
	var names []string
	busy := map[string]bool{} // commands turned away in their ack

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for j := 0; j < concurrent; j++ {
			name := fmt.Sprintf("bench-%d-%d", i, j)
			names = append(names, name)
			form := url.Values{"command": {"/story"}, "text": {questions[j%len(questions)]}, "channel_id": {chanPublished},
				"user_id": {"U" + strconv.Itoa(j)}, "response_url": {h.slack.ResponseURL(name)}}
			body := []byte(form.Encode())
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/slack/commands", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			slacktest.Sign(req, secret, body, time.Now())
			wg.Go(func() {
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				ack, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
				}
				mu.Lock()
				lat = append(lat, d)
				busy[name] = strings.Contains(string(ack), "storybot is busy")
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	h.drain()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	answered, dups, shed := 0, 0, 0
	for _, name := range names {
		if busy[name] {
			shed++ // turned away at once, with the reason, in the ack
			if len(h.responses(name)) > 0 {
				dups++
			}
			continue
		}
		seen := map[string]bool{}
		got := false
		for _, c := range h.responses(name) {
			text := c.Text() + c.Blocks()
			if strings.Contains(text, "Queued behind other questions") {
				continue
			}
			if seen[text] {
				dups++
			}
			seen[text], got = true, true
		}
		if got {
			answered++
		}
	}
	b.ReportMetric(float64(answered)/float64(len(names)), "answered")
	b.ReportMetric(float64(shed)/float64(len(names)), "shed")
	b.ReportMetric(float64(dups), "duplicates")
	if answered+shed != len(names) || dups != 0 {
		b.Errorf("%d of %d commands answered and %d turned away; %d delivered twice", answered, len(names), shed, dups)
	}
}

// archiveService serves the articles of the data folder dir.
func archiveService(b *testing.B, dir string) (*handlers.Service, *retrieval.Ingester) {
	b.Helper()
	store, err := embedded.Open(dir, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	arts, err := store.List(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	ix := retrieval.NewIndex()
	ix.PutAll(slices.Values(arts), len(arts))
	b.Logf("%s: %d articles, %d passages", dir, ix.Len(), ix.Passages())
	return &handlers.Service{Index: ix}, &retrieval.Ingester{Store: store, Index: ix}
}

// archiveQuestions returns up to n of the archive's quiz questions
// ($STORYBOT_ARCHIVE/questions.jsonl).
func archiveQuestions(b *testing.B, n int) []string {
	b.Helper()
	f, err := os.Open(filepath.Join(os.Getenv("STORYBOT_ARCHIVE"), "questions.jsonl"))
	if err != nil {
		b.Fatalf("the archive's questions (set STORYBOT_ARCHIVE): %v", err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(qs) < n {
		var q struct {
			Q string `json:"q"`
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			b.Fatal(err)
		}
		qs = append(qs, q.Q)
	}
	return qs
}
