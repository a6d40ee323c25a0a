package bot

import "testing"

func TestParseSlash(t *testing.T) {
	for _, tc := range []struct{ in, sub, rest string }{
		{"", "help", ""},
		{"help", "help", ""},
		{"HELP", "help", ""},
		{"help me find the council vote", "ask", "help me find the council vote"},
		{"digest", "digest", ""},
		{"digest of the week's council stories?", "ask", "digest of the week's council stories?"},
		{"sources", "sources", ""},
		{"sources bridge", "sources", "bridge"},
		{"sources about the harbour bridge", "sources", "the harbour bridge"},
		{"Sources say the mayor resigned", "ask", "Sources say the mayor resigned"},
		{"sources close?", "ask", "sources close?"},
		{"add https://example.com/story", "add", "https://example.com/story"},
		{"add https://example.com/story embargoed", "add", "https://example.com/story embargoed"},
		{"add", "add", ""},
		{"add more detail to the budget story?", "ask", "add more detail to the budget story?"},
		{"ask sources", "ask", "sources"},
		{"ask help", "ask", "help"},
		{"ask", "help", ""},
		{"Who replaced the CISO?", "ask", "Who replaced the CISO?"},
	} {
		sub, rest := parseSlash(tc.in)
		if sub != tc.sub || rest != tc.rest {
			t.Errorf("parseSlash(%q) = %q, %q; want %q, %q", tc.in, sub, rest, tc.sub, tc.rest)
		}
	}
}
