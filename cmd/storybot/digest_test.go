package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/handlers"
)

const digestData = "../../testdata/digest"

func TestDigestCommand(t *testing.T) {
	data := t.TempDir()
	for _, f := range []string{"orchard-fire.md", "orchard-fire-wire.md", "council-merger.md"} {
		if out, errs, code := cli(t, data, "ingest", digestData+"/"+f); code != 0 {
			t.Fatalf("ingest %s: exit %d: %s %s", f, code, out, errs)
		}
	}
	cfg := digestData + "/config.json"
	tests := []struct {
		name      string
		args      []string
		want      []string
		forbidden []string
	}{
		{"default channel", []string{"digest", "--since", "2031-09-01", "--until", "2031-09-04", "--config", cfg},
			[]string{"Daily digest: 1 story since", "Fire destroys packing shed at Hollin orchard",
				"A fire destroyed the main packing shed at Hollin orchard on Monday night, two weeks before the apple harvest was due to begin. [1]",
				"1 source: Dale Observer, Northern Wire (+1 copy)", "published 2 Sep 2031 – 3 Sep 2031",
				"Not covered: The fire service did not say what caused the blaze. [",
				"https://observer.example/orchard-fire"},
			[]string{"EMBARGOED", "Fenwick"}},
		{"desk sees the embargo", []string{"digest", "--since", "2031-09-01", "--until", "2031-09-04T00:00:00+01:00", "--channel", "CDESK", "--config", cfg},
			[]string{"Daily digest: 2 stories", "Fire destroys packing shed", "EMBARGOED Dale and Fenwick councils to merge"}, nil},
		{"unlisted channel", []string{"digest", "--since", "2031-09-01 00:00", "--until", "2031-09-04", "--channel", "COTHER", "--config", cfg},
			[]string{"Fire destroys packing shed"}, []string{"Fenwick"}},
		{"window by publication, not ingest", []string{"digest", "--since", "1h", "--config", cfg},
			[]string{"No new stories since"}, []string{"Hollin"}},
		{"one day", []string{"digest", "--since", "2031-09-02", "--until", "2031-09-03", "--config", cfg},
			[]string{"Daily digest: 1 story since Tue 2 Sep 2031 00:00 BST until Wed 3 Sep 2031 00:00 BST", "published 2 Sep 2031"},
			[]string{"Orchard shed lost"}},
		{"a past window", []string{"digest", "--since", "2031-08-01", "--until", "2031-08-30", "--config", cfg},
			[]string{"No new stories since Fri 1 Aug 2031 00:00 BST until Sat 30 Aug 2031 00:00 BST."}, []string{"Hollin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := cli(t, data, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(out, f) {
					t.Errorf("output holds %q:\n%s", f, out)
				}
			}
		})
	}

	// Nothing ingested in the last nanosecond.
	time.Sleep(time.Millisecond)
	out, _, code := cli(t, data, "digest", "--since", "1ns")
	if code != 0 || !strings.HasPrefix(out, "No new stories since") {
		t.Errorf("empty digest: exit %d\n%s", code, out)
	}
	if _, errs, code := cli(t, data, "digest", "--since", "yesterday"); code != 2 || !strings.Contains(errs, "neither a duration") {
		t.Errorf("bad --since: exit %d, want 2: %s", code, errs)
	}
	if _, errs, code := cli(t, data, "digest", "--since", "2031-09-04", "--until", "2031-09-01"); code != 2 || !strings.Contains(errs, "is not before --until") {
		t.Errorf("--since after --until: exit %d, want 2: %s", code, errs)
	}
	if _, _, code := cli(t, data, "digest", "extra"); code != 2 {
		t.Errorf("stray argument: exit %d, want 2", code)
	}
}

// TestDigestLeadsAndLastPosted checks the parts serve wires: leads
// recorded through the Service hook show in the channel's digest, and a
// digest covers what came after the channel's last one.
func TestDigestLeadsAndLastPosted(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := cli(t, data, "ingest", digestData+"/orchard-fire.md"); code != 0 {
		t.Fatal(errs)
	}
	env := func(k string) string {
		switch k {
		case "STORYBOT_DATA":
			return data
		case "STORYBOT_CONFIG":
			return digestData + "/config.json"
		}
		return ""
	}
	var stderr strings.Builder
	a, err := openApp(context.Background(), commonFlags{}, &stderr, env)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	svc := a.service()
	svc.OnAnswer = a.leadLog().OnAnswer
	ctx := context.Background()
	if _, err := svc.Ask(ctx, handlers.AskRequest{Question: "Who won the Fenwick marathon?", Channel: "CDESK"}); err != nil {
		t.Fatal(err)
	}
	d := a.digester()
	dg, err := d.Compose(ctx, handlers.DigestRequest{Channel: "CDESK", Collections: a.cfg.Access.Collections("CDESK"),
		Since: time.Now().Add(-time.Hour), Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(dg.Leads) != 1 || !strings.Contains(dg.Text(), "• Who won the Fenwick marathon?") {
		t.Errorf("leads: %+v\n%s", dg.Leads, dg.Text())
	}
	if _, ok := d.LastPosted(ctx, "CDESK"); ok {
		t.Errorf("a last digest before any was posted")
	}
}

// TestStartBackground runs what serve starts: the feed poller ingests a
// feed's item, and the scheduler posts the digest it holds (00:00 has
// always passed, so it is a missed digest posted on start) exactly once.
func TestStartBackground(t *testing.T) {
	page := `<!doctype html><html><head><title>Ferry</title></head><body><article><h1>Ferry service resumes</h1>` +
		`<p>The Brackton ferry resumed sailings on Wednesday after a three-week repair to its landing ramp, the harbour company said in a statement.</p>` +
		`<p>Services will run every forty minutes until the summer timetable begins, and season tickets have been extended by three weeks to make up for the closure.</p>` +
		`<p>The company did not say how much the repair had cost or who would pay for it, and passengers had been using a bus link around the estuary since the closure.</p>` +
		`</article></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Estuary Post</title><item><title>Ferry service resumes</title><link>http://%s/ferry</link><guid>ep-1</guid></item></channel></rss>`, r.Host)
		case "/ferry":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	data := t.TempDir()
	env := func(k string) string {
		return map[string]string{
			"STORYBOT_DATA": data, "STORYBOT_FEEDS": srv.URL + "/feed.xml", "STORYBOT_FEED_INTERVAL": "1h",
			"STORYBOT_DIGEST_CHANNELS": "C0DIGEST", "STORYBOT_DIGEST_TIME": "00:00", "STORYBOT_DIGEST_TZ": "UTC",
		}[k]
	}
	var stderr strings.Builder
	a, err := openApp(context.Background(), commonFlags{}, &stderr, env)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	// Feeds only (no poster): the poller ingests the item.
	ctx, cancel := context.WithCancel(context.Background())
	wait := a.startBackground(ctx, nil)
	deadline := time.Now().Add(10 * time.Second)
	for a.index.Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wait()
	if a.index.Len() != 1 {
		t.Fatalf("feed not ingested: %s", stderr.String())
	}
	var mu sync.Mutex
	var posts []string
	post := func(ctx context.Context, channel string, d *handlers.Digest) error {
		mu.Lock()
		defer mu.Unlock()
		posts = append(posts, channel+": "+d.Text())
		return nil
	}
	ctx, cancel = context.WithCancel(context.Background())
	wait = a.startBackground(ctx, post)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(posts)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	wait()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1: %q\n%s", len(posts), posts, stderr.String())
	}
	if !strings.Contains(posts[0], "C0DIGEST: ") || !strings.Contains(posts[0], "Ferry service resumes") {
		t.Errorf("post: %s", posts[0])
	}
	// A restart the same day does not post again.
	var again []string
	ctx2, cancel2 := context.WithCancel(context.Background())
	wait = a.startBackground(ctx2, func(ctx context.Context, channel string, d *handlers.Digest) error {
		again = append(again, channel)
		return nil
	})
	time.Sleep(200 * time.Millisecond)
	cancel2()
	wait()
	if len(again) != 0 {
		t.Errorf("posted again after a restart: %q", again)
	}
}
