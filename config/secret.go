package config

import (
	"fmt"
	"log/slog"
)

// redacted is what a non-empty Secret shows wherever it is printed.
const redacted = "[redacted]"

// Secret holds a token, password or API key. Every way of printing it (fmt
// verbs including %#v and %x, JSON, text marshalling and slog) shows
// "[redacted]", or "" when it is empty, so a secret cannot reach a log line or
// an error by accident. Reveal returns the value for the one place that needs
// it: the client that sends it.
type Secret string

// Reveal returns the secret's value. Call it only where the value is sent to
// the service it authenticates against.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s != "" }

// String returns "[redacted]", or "" when the secret is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns "[redacted]", or `""` when the secret is empty.
func (s Secret) GoString() string {
	if s == "" {
		return `""`
	}
	return redacted
}

// Format prints the redacted form for every verb and flag, so neither %x nor
// %q nor %#v can show the value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, s.GoString())
	case verb == 'q':
		fmt.Fprintf(f, "%q", s.String())
	default:
		fmt.Fprint(f, s.String())
	}
}

// MarshalJSON returns the redacted form as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, "%q", s.String()), nil
}

// MarshalText returns the redacted form.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// LogValue returns the redacted form for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
