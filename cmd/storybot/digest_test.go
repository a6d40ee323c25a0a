package main

import (
	"context"
	"strings"
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
		{"default channel", []string{"digest", "--since", "1h", "--config", cfg},
			[]string{"Daily digest: 1 story since", "Fire destroys packing shed at Hollin orchard",
				"A fire destroyed the main packing shed at Hollin orchard on Monday night, two weeks before the apple harvest was due to begin. [1]",
				"1 source: Dale Observer, Northern Wire (+1 copy)", "published 2 Sep 2031 – 3 Sep 2031",
				"Not covered: The fire service did not say what caused the blaze. [",
				"https://observer.example/orchard-fire"},
			[]string{"EMBARGOED", "Fenwick"}},
		{"desk sees the embargo", []string{"digest", "--since", "1h", "--channel", "CDESK", "--config", cfg},
			[]string{"Daily digest: 2 stories", "Fire destroys packing shed", "EMBARGOED Dale and Fenwick councils to merge"}, nil},
		{"unlisted channel", []string{"digest", "--since", "1h", "--channel", "COTHER", "--config", cfg},
			[]string{"Fire destroys packing shed"}, []string{"Fenwick"}},
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
	if _, _, code := cli(t, data, "digest", "--since", "yesterday"); code != 2 {
		t.Errorf("bad --since: exit %d, want 2", code)
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
