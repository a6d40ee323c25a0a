package openai

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/storybot/storybot/answer"
)

// errInvalidReply is a reply that holds no usable JSON answer.
var errInvalidReply = errors.New("model reply is not the JSON answer asked for")

// parseDraft reads the model's reply defensively: it strips code fences,
// finds the JSON object among any surrounding prose, and accepts passage
// numbers written as numbers or strings ("2", "[2]"). A reply without a
// "claims" array is invalid.
func parseDraft(content string) (answer.Draft, error) {
	var raw struct {
		Claims     *[]json.RawMessage `json:"claims"`
		NotCovered json.RawMessage    `json:"not_covered"`
	}
	if !decodeObject(content, &raw) || raw.Claims == nil {
		return answer.Draft{}, errInvalidReply
	}
	var d answer.Draft
	for _, rc := range *raw.Claims {
		var c struct {
			Text     string          `json:"text"`
			Claim    string          `json:"claim"`
			Passages json.RawMessage `json:"passages"`
			Passage  json.RawMessage `json:"passage"`
			Sources  json.RawMessage `json:"sources"`
			// The quote, under the names models give it.
			Quote    json.RawMessage `json:"quote"`
			Evidence json.RawMessage `json:"evidence"`
			Support  json.RawMessage `json:"support"`
			Source   json.RawMessage `json:"source_text"`
		}
		if json.Unmarshal(rc, &c) != nil {
			// A bare string is a claim citing nothing: verification drops it.
			var s string
			if json.Unmarshal(rc, &s) != nil {
				return answer.Draft{}, errInvalidReply
			}
			c.Text = s
		}
		text := cmp.Or(c.Text, c.Claim)
		passages := cmp.Or(string(c.Passages), string(c.Passage), string(c.Sources))
		quote := ""
		for _, q := range []json.RawMessage{c.Quote, c.Evidence, c.Support, c.Source} {
			if qs := strings1(q); len(qs) > 0 {
				quote = strings.Join(qs, " ")
				break
			}
		}
		d.Claims = append(d.Claims, answer.Claim{Text: text, Passages: passageNumbers(json.RawMessage(passages)), Quote: quote})
	}
	d.NotCovered = strings1(raw.NotCovered)
	return d, nil
}

// decodeObject finds the first JSON object in s that decodes into v.
func decodeObject(s string, v any) bool {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(s, "```")
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:] // drop the info string ("json")
		}
		if i := strings.LastIndex(s, "```"); i >= 0 {
			s = s[:i]
		}
	}
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '{')
		if i < 0 {
			return false
		}
		dec := json.NewDecoder(strings.NewReader(s[off+i:]))
		if dec.Decode(v) == nil {
			return true
		}
		off += i + 1
	}
	return false
}

// passageNumbers reads [1, 2], ["1", "[2]"], 3 or "3".
func passageNumbers(raw json.RawMessage) []int {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var items []json.RawMessage
	if raw[0] == '[' {
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
	} else {
		items = []json.RawMessage{raw}
	}
	var out []int
	for _, it := range items {
		var n float64
		if json.Unmarshal(it, &n) == nil {
			if n == float64(int(n)) {
				out = append(out, int(n))
			} else {
				out = append(out, -1) // not a passage number: the claim fails
			}
			continue
		}
		var s string
		if json.Unmarshal(it, &s) == nil {
			s = strings.Trim(strings.TrimSpace(s), "[]#")
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
				continue
			}
		}
		out = append(out, -1)
	}
	return out
}

// strings1 reads a list of strings, or one string.
func strings1(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	return nil
}
