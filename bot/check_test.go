package bot_test

import (
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storybot/storybot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden Block Kit files")

// draft has one sentence the sources say, one they contradict, and one
// they do not hold.
const draft = "The river bridge reopened on Monday after six months of repairs. " +
	"The river bridge repairs cost 15 million dollars. " +
	"The bridge was painted green by volunteers."

// golden compares posted blocks with a file in testdata/, as parsed JSON.
func golden(t *testing.T, name, blocks string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	var got any
	if err := json.Unmarshal([]byte(blocks), &got); err != nil {
		t.Fatalf("blocks are not JSON: %v", err)
	}
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (run with -update)", err)
	}
	var want any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, d)
	}
}

// `/story check TEXT` marks every sentence supported, contradicted or not
// found, privately, with the quotes that decide it.
func TestSlashCheck(t *testing.T) {
	h := newHarness(t)
	if ack := h.slash(chanPublished, "UEDITOR", "check "+draft, "c"); !strings.Contains(ack, "Checking") {
		t.Fatalf("ack %q", ack)
	}
	r := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	if r.Param("response_type") != "ephemeral" {
		t.Errorf("check reply is not private: %q", r.Param("response_type"))
	}
	golden(t, "check.json", r.Blocks())
	if n := len(h.asker.requests()); n != 0 {
		t.Errorf("a check asked %d questions", n)
	}
	if ack := h.slash(chanPublished, "UEDITOR", "check", "c2"); !strings.Contains(ack, "Usage") {
		t.Errorf("empty check: %q", ack)
	}
}

// The "Check against sources" message shortcut checks the message's text.
func TestCheckShortcut(t *testing.T) {
	h := newHarness(t)
	payload, _ := json.Marshal(map[string]any{
		"type": "message_action", "callback_id": bot.ShortcutCheck, "trigger_id": "1.2",
		"user": map[string]any{"id": "UEDITOR"}, "channel": map[string]any{"id": chanPublished},
		"message":      map[string]any{"type": "message", "user": "UALICE", "ts": "1700000900.000100", "text": draft},
		"response_url": h.slack.ResponseURL("sc"),
	})
	resp, _ := h.postSigned("/slack/interactive", "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(payload)}}.Encode()), secret, time.Time{})
	if resp.StatusCode != 200 {
		t.Fatalf("shortcut: status %d", resp.StatusCode)
	}
	r := h.slack.Wait(t, "respond", 1, 10*time.Second)[0]
	golden(t, "check.json", r.Blocks())
}
