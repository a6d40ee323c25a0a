package bot_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/slacktest"
)

// BenchmarkSlashAck measures how long Slack waits for the acknowledgement
// of a /story question when 200 arrive at once over HTTP: signature check,
// parsing, rate limit and hand-off to the background answer. Each
// iteration sends 200 concurrent signed commands; p50 and p99 are over
// every command of the run.
func BenchmarkSlashAck(b *testing.B) {
	const concurrent = 200
	h := newHarness(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrent, MaxConnsPerHost: 0}}
	questions := []string{"When did Mick Baccio leave?", "When did the bridge reopen?", "How many visitors did the zucchini festival draw?"}
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for j := 0; j < concurrent; j++ {
			form := url.Values{"command": {"/story"}, "text": {questions[j%len(questions)]}, "channel_id": {chanPublished},
				"user_id": {"U" + strconv.Itoa(j)}, "response_url": {h.slack.ResponseURL("bench")}}
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
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
				}
				mu.Lock()
				lat = append(lat, d)
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
}
