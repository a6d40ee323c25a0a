package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadFile feeds arbitrary config files to Load: it must not panic, and
// what it accepts must be complete.
func FuzzLoadFile(f *testing.F) {
	if b, err := os.ReadFile("example.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{`{}`, `{"digest": {"time": "25:00"}}`, `{"access": {"channels": {"C0A": null}}}`,
		`{"feeds": {"urls": "a,b"}}`, `{"openai": {"retries": 1e3}}`, `[`, `null`, `{"redis": {"url": ["x"]}}`} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		path := filepath.Join(dir, "c.json")
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(envOf(map[string]string{"OPENAI_API_KEY": "k"}), path)
		if err != nil {
			if !strings.Contains(err.Error(), path) && len(settingErrors(err)) == 0 {
				t.Fatalf("error names neither the file nor a setting: %v", err)
			}
			return
		}
		if c.Addr == "" || c.Digest.Location == nil || c.Feeds.Interval < MinFeedInterval || c.Redis.Prefix == "" {
			t.Fatalf("accepted an incomplete config: %+v", c)
		}
	})
}

// FuzzParseTimeOfDay checks that accepted times are on the clock and print
// back the same.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"08:00", "8:05", "23:59", "24:00", "-1:00", "+1:00", "1:+0", "12:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, err := parseTimeOfDay(s)
		if err != nil {
			return
		}
		if h < 0 || h > 23 || m < 0 || m > 59 {
			t.Fatalf("%q accepted as %d:%d", s, h, m)
		}
		if d := (Digest{Hour: h, Minute: m}); strings.TrimLeft(d.TimeOfDay(), "0") != strings.TrimLeft(s, "0") {
			t.Fatalf("%q prints back as %q", s, d.TimeOfDay())
		}
	})
}

// FuzzParseRate checks that accepted rates limit something and print in a
// form that parses back to the same rate.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"10/m", "100/h", "5/30s", "off", "1/d", "3/1ms", "0/m", "1/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRate(s)
		if err != nil || !r.Limited() {
			return
		}
		back, err := parseRate(r.String())
		if err != nil || back != r {
			t.Fatalf("%q → %v → %v, %v", s, r, back, err)
		}
	})
}
