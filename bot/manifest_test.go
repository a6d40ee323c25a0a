package bot_test

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// The manifest asks for the least the bot uses: the scopes and events its
// features need, and no others.
func TestManifestLeastPrivilege(t *testing.T) {
	b, err := os.ReadFile("../slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list := func(after string) []string {
		re := regexp.MustCompile(`(?s)` + after + `:\n((?:\s+(?:- [\w.:]+|#[^\n]*)[^\n]*\n)+)`)
		m := re.FindSubmatch(b)
		if m == nil {
			t.Fatalf("no %s list in the manifest", after)
		}
		var out []string
		for _, it := range regexp.MustCompile(`- ([\w.:]+)`).FindAllSubmatch(m[1], -1) {
			out = append(out, string(it[1]))
		}
		slices.Sort(out)
		return out
	}
	if got, want := list("bot"), []string{"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "mpim:history", "reactions:write"}; !slices.Equal(got, want) {
		t.Errorf("scopes %q, want %q", got, want)
	}
	if got, want := list("bot_events"), []string{"app_mention", "message.channels", "message.groups", "message.im", "message.mpim"}; !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}
