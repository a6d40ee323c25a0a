package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// parseDuration reads a Go duration ("30s", "15m"); a bare number is seconds.
func parseDuration(s string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		n, err2 := strconv.Atoi(s)
		if err2 != nil {
			return 0, fmt.Errorf("%q is not a duration (want e.g. 30s, 15m, 1h)", s)
		}
		d = time.Duration(n) * time.Second
	}
	if d < lo || (hi > 0 && d > hi) {
		if hi > 0 {
			return 0, fmt.Errorf("%s is out of range (want %s to %s)", d, lo, hi)
		}
		return 0, fmt.Errorf("%s is too short (want at least %s)", d, lo)
	}
	return d, nil
}

// parseInt reads a whole number between lo and hi.
func parseInt(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range (want %d to %d)", n, lo, hi)
	}
	return n, nil
}

// parseBool reads true/false, yes/no, on/off, 1/0.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "t", "true", "yes", "y", "on":
		return true, nil
	case "0", "f", "false", "no", "n", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (want true or false)", s)
}

// parseChoice returns s lower-cased if it is one of choices.
func parseChoice(s string, choices ...string) (string, error) {
	l := strings.ToLower(s)
	for _, c := range choices {
		if l == c {
			return c, nil
		}
	}
	return "", fmt.Errorf("%q is not one of %s", s, strings.Join(choices, ", "))
}

// parseLogLevel reads debug, info, warn or error.
func parseLogLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%q is not a log level (want debug, info, warn or error)", s)
}

// parseTimeOfDay reads HH:MM on a 24-hour clock.
func parseTimeOfDay(s string) (hour, minute int, err error) {
	bad := fmt.Errorf("%q is not a time of day (want HH:MM, 00:00 to 23:59)", s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, 0, bad
	}
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || h[0] == '+' || h[0] == '-' || m[0] == '+' || m[0] == '-' ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, bad
	}
	return hour, minute, nil
}

// parseLocation reads an IANA time zone name.
func parseLocation(s string) (*time.Location, error) {
	if s == "Local" {
		return nil, errors.New(`"Local" is not allowed: name the zone (e.g. America/New_York)`)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone (want an IANA name like America/New_York or UTC)", s)
	}
	return loc, nil
}

// parseRate reads a rate such as "10/m", "100/h", "5/30s" or "off".
func parseRate(s string) (Rate, error) {
	if l := strings.ToLower(s); l == "off" || l == "none" || l == "0" {
		return Rate{}, nil
	}
	bad := fmt.Errorf("%q is not a rate (want COUNT/PERIOD such as 10/m, 100/h, 5/30s, or off)", s)
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, bad
	}
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || count < 1 {
		return Rate{}, bad
	}
	var d time.Duration
	switch strings.ToLower(strings.TrimSpace(per)) {
	case "s", "sec", "second":
		d = time.Second
	case "m", "min", "minute":
		d = time.Minute
	case "h", "hour":
		d = time.Hour
	case "d", "day":
		d = 24 * time.Hour
	default:
		d, err = time.ParseDuration(strings.TrimSpace(per))
		if err != nil || d < time.Second {
			return Rate{}, bad
		}
	}
	return Rate{Count: count, Per: d}, nil
}

// parseHTTPURL checks an http(s) URL with a host and no password. Errors
// quote the URL only with any user info removed.
func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, errors.New("is not a valid URL (want http:// or https://host/…)")
	}
	shown := *u
	shown.User = nil
	if _, hasPass := u.User.Password(); hasPass {
		return nil, fmt.Errorf("%q must not carry a password in the URL", shown.String())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q is not an http:// or https:// URL", shown.String())
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", shown.String())
	}
	if _, port, err := net.SplitHostPort(u.Host); err == nil {
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("%q has an invalid port", shown.String())
		}
	}
	return u, nil
}

// parseAddr checks a listen address such as ":8080" or "127.0.0.1:8080".
func parseAddr(s string) (string, error) {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a listen address (want HOST:PORT or :PORT, e.g. :8080)", s)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", fmt.Errorf("%q has an invalid port (want 0-65535)", s)
	}
	return s, nil
}

var (
	channelIDRe  = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)
	userIDRe     = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	collectionRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	modelRe      = regexp.MustCompile(`^[^\s]{1,200}$`)
)

func checkChannelID(id string) error {
	if !channelIDRe.MatchString(id) {
		return fmt.Errorf("%q is not a Slack channel ID (want an ID like C0123ABCDEF, from the channel's details, not its name)", id)
	}
	return nil
}

func checkUserID(id string) error {
	if !userIDRe.MatchString(id) {
		return fmt.Errorf("%q is not a Slack user ID (want an ID like U0123ABCDEF, from the member's profile, not a name)", id)
	}
	return nil
}

func checkCollection(name string) error {
	if !collectionRe.MatchString(name) {
		return fmt.Errorf("%q is not a collection name (want letters, digits, '-', '_' or '.')", name)
	}
	return nil
}
