package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestConfigurationDocMatchesSettings keeps docs/configuration.md and the
// settings this package reads in step: every setting has its row (its
// environment variable and file key together), and every row names a
// setting that exists.
func TestConfigurationDocMatchesSettings(t *testing.T) {
	data, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| (`[A-Z_]+`|—) \\| (`[a-z_.]+`|—) \\|")
	documented := map[setting]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := setting{env: strings.Trim(m[1], "`—"), key: strings.Trim(m[2], "`—")}
		documented[s] = true
	}
	known := map[setting]bool{setConfig: true}
	for _, s := range fileSettings {
		known[s] = true
	}
	for s := range known {
		if !documented[s] {
			t.Errorf("docs/configuration.md has no row for %s (file key %q)", s.name(), s.key)
		}
	}
	for s := range documented {
		if !known[s] {
			t.Errorf("docs/configuration.md documents %s / %q, which config does not read", s.env, s.key)
		}
	}
}
