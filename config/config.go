// Package config holds every setting of storybot. Settings are read once at
// start from the environment and an optional JSON config file (named by
// --config or STORYBOT_CONFIG; the environment wins over the file), and are
// validated once, with errors that name the setting; all invalid settings are
// reported together. Other packages receive the plain values of Config.
//
// Command-line flags that override a setting (--data, --addr) do so by
// wrapping the getenv function given to Load, so they are validated the same
// way.
//
// Tokens, passwords and keys are held as Secret, which never prints its value.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	// Embedded zone data, so STORYBOT_DIGEST_TZ validates and works the same
	// in a minimal container image as on a workstation.
	_ "time/tzdata"
)

// Config is every setting of storybot.
type Config struct {
	// File is the config file that was read, "" when none.
	File string
	// DataDir holds the embedded store (STORYBOT_DATA).
	DataDir string
	// Addr is the HTTP listen address (STORYBOT_ADDR).
	Addr string
	// LogLevel is the minimum level logged (STORYBOT_LOG_LEVEL).
	LogLevel slog.Level
	// ShutdownTimeout bounds a graceful shutdown (STORYBOT_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// Thesaurus is an extra synonym file for query expansion
	// (STORYBOT_THESAURUS); "" means only the built-in table.
	Thesaurus string
	// MinConfidence is the answering operating point
	// (STORYBOT_MIN_CONFIDENCE): a question part whose best evidence has
	// a lower confidence is reported not covered. 0 means the fitted
	// model's own threshold.
	MinConfidence float64
	// MaxQuestion bounds a question, in characters (STORYBOT_MAX_QUESTION).
	MaxQuestion int

	Redis  Redis
	Slack  Slack
	OpenAI OpenAI
	Digest Digest
	Feeds  Feeds
	Access Access
}

// Slack is the Slack app's credentials and API endpoint.
type Slack struct {
	// BotToken (SLACK_BOT_TOKEN, xoxb-…) calls the Web API.
	BotToken Secret
	// AppToken (SLACK_APP_TOKEN, xapp-…) selects Socket Mode.
	AppToken Secret
	// SigningSecret (SLACK_SIGNING_SECRET) verifies HTTP-mode requests.
	SigningSecret Secret
	// APIURL is the Web API base URL, ending in "/" (SLACK_API_URL).
	APIURL string
}

// API types for OpenAI.APIType.
const (
	APITypeOpenAI = "openai"
	APITypeAzure  = "azure"
)

// DefaultOpenAIBaseURL is OpenAI's own API.
const DefaultOpenAIBaseURL = "https://api.openai.com/v1"

// DefaultChatModel is used with OpenAI's own API when OPENAI_API_KEY is set
// and STORYBOT_CHAT_MODEL is not.
const DefaultChatModel = "gpt-4o-mini"

// OpenAI is the OpenAI-compatible model server.
type OpenAI struct {
	APIKey Secret
	// BaseURL is the server's API root, without a trailing slash.
	BaseURL string
	// APIType is APITypeOpenAI or APITypeAzure.
	APIType string
	// APIVersion is the Azure API version (Azure only).
	APIVersion string
	// ChatModel writes answers; empty means the extractive answerer.
	ChatModel string
	// EmbedModel embeds passages; empty means lexical retrieval only.
	EmbedModel string
	// Timeout bounds each model call.
	Timeout time.Duration
	// AnswerMaxTokens is the per-answer completion budget.
	AnswerMaxTokens int
	// Retries is how many times a failed call is retried before falling
	// back to the extractive answer.
	Retries int
	// Judge adds one model call per answer asking whether each quote
	// supports its claim (STORYBOT_MODEL_JUDGE).
	Judge bool
}

// Digest is when and where the daily digest is posted.
type Digest struct {
	// Channels are channel IDs the digest is posted to; none means no digest.
	Channels []string
	// Hour and Minute are the local time of day the digest is posted.
	Hour, Minute int
	// Location is the time zone of Hour:Minute.
	Location *time.Location
	// SkipEmpty suppresses the "no new stories" post on empty days.
	SkipEmpty bool
	// Leads adds the questions the sources could not answer.
	Leads bool
	// MaxStories bounds the stories in one digest.
	MaxStories int
}

// Enabled reports whether any channel gets a digest.
func (d Digest) Enabled() bool { return len(d.Channels) > 0 }

// TimeOfDay returns the digest time as HH:MM.
func (d Digest) TimeOfDay() string { return fmt.Sprintf("%02d:%02d", d.Hour, d.Minute) }

// Next returns the first digest time strictly after t (see At).
func (d Digest) Next(t time.Time) time.Time {
	y, m, day := t.In(d.location()).Date()
	next := d.At(y, m, day)
	if !next.After(t) {
		next = d.At(y, m, day+1)
	}
	return next
}

// At returns the digest time of a day in the digest's time zone (day may
// overflow the month, as in time.Date): the moment the day's clock first
// shows Hour:Minute or later. On a day the clock skips that time (a DST
// gap), it is the moment of the skip, whether the gap is at 2:00 (New
// York) or at midnight (Santiago, Havana), where the skipped time lies on
// a different date from the one time.Date normalises it to.
func (d Digest) At(y int, m time.Month, day int) time.Time {
	loc := d.location()
	at := time.Date(y, m, day, d.Hour, d.Minute, 0, 0, loc)
	if at.Hour() == d.Hour && at.Minute() == d.Minute {
		return at
	}
	// at lies on the other side of the gap: before it if its wall clock
	// (date, then time) is earlier than the one asked for.
	want := time.Date(y, m, day, d.Hour, d.Minute, 0, 0, time.UTC)
	wall := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), 0, 0, time.UTC)
	start, end := at.ZoneBounds()
	if wall.Before(want) && !end.IsZero() {
		return end
	}
	return start
}

func (d Digest) location() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

// Feeds are the RSS/Atom feeds serve polls.
type Feeds struct {
	URLs     []string
	Interval time.Duration
}

// Access says which collections each channel may see and who may add articles.
type Access struct {
	// Channels maps a channel ID to the collections it may see (file only).
	Channels map[string][]string
	// DefaultCollections are seen by channels not in Channels, and DMs.
	DefaultCollections []string
	// AddUsers and AddChannels may use `/story add`: a user in AddUsers
	// anywhere, anyone in a channel of AddChannels.
	AddUsers    []string
	AddChannels []string
	// UserRate limits questions per user; the zero Rate is unlimited.
	UserRate Rate
}

// Collections returns the collections a channel may see: its own entry, or
// the defaults. The slice is the caller's to keep.
func (a Access) Collections(channelID string) []string {
	if cs, ok := a.Channels[channelID]; ok {
		return slices.Clone(cs)
	}
	return slices.Clone(a.DefaultCollections)
}

// CanAdd reports whether a user in a channel may use `/story add`.
func (a Access) CanAdd(userID, channelID string) bool {
	return slices.Contains(a.AddUsers, userID) || slices.Contains(a.AddChannels, channelID)
}

// Rate is Count events per Per.
type Rate struct {
	Count int
	Per   time.Duration
}

// Limited reports whether the rate limits anything.
func (r Rate) Limited() bool { return r.Count > 0 && r.Per > 0 }

// String returns the rate as COUNT/PERIOD, or "off".
func (r Rate) String() string {
	if !r.Limited() {
		return "off"
	}
	switch r.Per {
	case time.Second:
		return fmt.Sprintf("%d/s", r.Count)
	case time.Minute:
		return fmt.Sprintf("%d/m", r.Count)
	case time.Hour:
		return fmt.Sprintf("%d/h", r.Count)
	case 24 * time.Hour:
		return fmt.Sprintf("%d/d", r.Count)
	}
	return fmt.Sprintf("%d/%s", r.Count, r.Per)
}

// ModelEnabled reports whether answers are written by a chat model.
func (c *Config) ModelEnabled() bool { return c.OpenAI.ChatModel != "" }

// EmbeddingsEnabled reports whether passages are embedded for hybrid search.
func (c *Config) EmbeddingsEnabled() bool { return c.OpenAI.EmbedModel != "" }

// SocketMode reports whether serve connects over Socket Mode rather than
// serving Slack's HTTP requests.
func (c *Config) SocketMode() bool { return c.Slack.AppToken != "" }

// RedisEnabled reports whether the index lives in Redis.
func (c *Config) RedisEnabled() bool { return c.Redis.Enabled() }

// ValidateServe checks what only `storybot serve` needs: a bot token, and a
// signing secret in HTTP mode. It names each missing setting.
func (c *Config) ValidateServe() error {
	var errs []error
	fail := func(st setting, msg string) {
		errs = append(errs, &SettingError{Setting: st.name(), Err: errors.New(msg)})
	}
	switch tok := c.Slack.BotToken.Reveal(); {
	case tok == "":
		fail(setBotToken, "required by serve (the app's Bot User OAuth Token, xoxb-…)")
	case !strings.HasPrefix(tok, "xoxb-"):
		fail(setBotToken, "does not look like a bot token (want xoxb-…)")
	}
	if c.SocketMode() {
		if !strings.HasPrefix(c.Slack.AppToken.Reveal(), "xapp-") {
			fail(setAppToken, "does not look like an app-level token (want xapp-…)")
		}
	} else if c.Slack.SigningSecret == "" {
		fail(setSigningSecret, "required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)")
	}
	return errors.Join(errs...)
}
