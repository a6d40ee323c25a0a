package config

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// envOf returns a getenv over m, with HOME set unless m sets it.
func envOf(m map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := m[k]; ok {
			return v
		}
		if k == "HOME" {
			return "/home/test"
		}
		return ""
	}
}

// writeConfig writes a config file into a temporary folder.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "storybot.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustLoad loads a config that must be valid.
func mustLoad(t *testing.T, env map[string]string, file string) *Config {
	t.Helper()
	c, err := Load(envOf(env), file)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// settingErrors lists the SettingErrors joined in err.
func settingErrors(err error) []*SettingError {
	var out []*SettingError
	var walk func(error)
	walk = func(err error) {
		var se *SettingError
		if errors.As(err, &se) && err == error(se) {
			out = append(out, se)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

func TestDefaults(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the default data folder checked here is the Linux one")
	}
	c := mustLoad(t, nil, "")
	checks := []struct {
		name      string
		got, want any
	}{
		{"File", c.File, ""},
		{"DataDir", c.DataDir, "/home/test/.local/share/storybot"},
		{"Addr", c.Addr, ":8080"},
		{"LogLevel", c.LogLevel, slog.LevelInfo},
		{"ShutdownTimeout", c.ShutdownTimeout, 25 * time.Second},
		{"Thesaurus", c.Thesaurus, ""},
		{"Redis.Enabled", c.Redis.Enabled(), false},
		{"Redis.Mode", c.Redis.Mode(), ""},
		{"Redis.Prefix", c.Redis.Prefix, "storybot"},
		{"Redis.Timeout", c.Redis.Timeout, 3 * time.Second},
		{"Slack.APIURL", c.Slack.APIURL, "https://slack.com/api/"},
		{"Slack.BotToken", c.Slack.BotToken, Secret("")},
		{"SocketMode", c.SocketMode(), false},
		{"OpenAI.BaseURL", c.OpenAI.BaseURL, "https://api.openai.com/v1"},
		{"OpenAI.APIType", c.OpenAI.APIType, "openai"},
		{"OpenAI.APIVersion", c.OpenAI.APIVersion, ""},
		{"ModelEnabled", c.ModelEnabled(), false},
		{"EmbeddingsEnabled", c.EmbeddingsEnabled(), false},
		{"OpenAI.Timeout", c.OpenAI.Timeout, 30 * time.Second},
		{"OpenAI.AnswerMaxTokens", c.OpenAI.AnswerMaxTokens, 800},
		{"OpenAI.Retries", c.OpenAI.Retries, 3},
		{"Digest.Enabled", c.Digest.Enabled(), false},
		{"Digest.TimeOfDay", c.Digest.TimeOfDay(), "08:00"},
		{"Digest.Location", c.Digest.Location, time.UTC},
		{"Digest.SkipEmpty", c.Digest.SkipEmpty, false},
		{"Digest.Leads", c.Digest.Leads, true},
		{"Digest.MaxStories", c.Digest.MaxStories, 10},
		{"Feeds.URLs", len(c.Feeds.URLs), 0},
		{"Feeds.Interval", c.Feeds.Interval, 15 * time.Minute},
		{"Access.DefaultCollections", c.Access.DefaultCollections, []string{"published"}},
		{"Access.Collections", c.Access.Collections("C0ANY"), []string{"published"}},
		{"Access.CanAdd", c.Access.CanAdd("U1AB", "C1AB"), false},
		{"Access.UserRate", c.Access.UserRate, Rate{Count: 10, Per: time.Minute}},
	}
	for _, ck := range checks {
		if !reflect.DeepEqual(ck.got, ck.want) {
			t.Errorf("%s = %#v, want %#v", ck.name, ck.got, ck.want)
		}
	}
}

// settingCase is one table row: an environment (and optional file), and
// either a check of the loaded config or the setting the error must name.
type settingCase struct {
	name    string
	env     map[string]string
	file    string
	check   func(t *testing.T, c *Config)
	wantErr string // the setting the single error names
	errHas  string // text the error must contain
}

func runSettingCases(t *testing.T, cases []settingCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.file != "" {
				path = writeConfig(t, tc.file)
			}
			c, err := Load(envOf(tc.env), path)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				tc.check(t, c)
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want an error naming %s", tc.wantErr)
			}
			ses := settingErrors(err)
			if len(ses) != 1 || ses[0].Setting != tc.wantErr {
				t.Fatalf("errors %q, want one naming %s", err, tc.wantErr)
			}
			if !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not start with the setting's name %s", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("error %q does not contain %q", err, tc.errHas)
			}
		})
	}
}

func TestCoreSettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "data set", env: map[string]string{"STORYBOT_DATA": "/srv/story/"},
			check: func(t *testing.T, c *Config) { eq(t, c.DataDir, "/srv/story") }},
		{name: "data from XDG", env: map[string]string{"XDG_DATA_HOME": "/xdg"},
			check: func(t *testing.T, c *Config) {
				if runtime.GOOS == "linux" {
					eq(t, c.DataDir, "/xdg/storybot")
				}
			}},
		{name: "data has no default", env: map[string]string{"HOME": ""},
			wantErr: "STORYBOT_DATA", errHas: "HOME"},
		{name: "addr", env: map[string]string{"STORYBOT_ADDR": "127.0.0.1:9000"},
			check: func(t *testing.T, c *Config) { eq(t, c.Addr, "127.0.0.1:9000") }},
		{name: "addr no port", env: map[string]string{"STORYBOT_ADDR": "localhost"},
			wantErr: "STORYBOT_ADDR", errHas: `"localhost" is not a listen address`},
		{name: "addr bad port", env: map[string]string{"STORYBOT_ADDR": ":99999"},
			wantErr: "STORYBOT_ADDR", errHas: "invalid port"},
		{name: "log level", env: map[string]string{"STORYBOT_LOG_LEVEL": "DEBUG"},
			check: func(t *testing.T, c *Config) { eq(t, c.LogLevel, slog.LevelDebug) }},
		{name: "log level warning", env: map[string]string{"STORYBOT_LOG_LEVEL": "warning"},
			check: func(t *testing.T, c *Config) { eq(t, c.LogLevel, slog.LevelWarn) }},
		{name: "log level bad", env: map[string]string{"STORYBOT_LOG_LEVEL": "loud"},
			wantErr: "STORYBOT_LOG_LEVEL", errHas: `"loud" is not a log level`},
		{name: "shutdown", env: map[string]string{"STORYBOT_SHUTDOWN_TIMEOUT": "1m"},
			check: func(t *testing.T, c *Config) { eq(t, c.ShutdownTimeout, time.Minute) }},
		{name: "shutdown bad", env: map[string]string{"STORYBOT_SHUTDOWN_TIMEOUT": "soon"},
			wantErr: "STORYBOT_SHUTDOWN_TIMEOUT", errHas: "not a duration"},
		{name: "thesaurus", env: map[string]string{"STORYBOT_THESAURUS": "example.json"},
			check: func(t *testing.T, c *Config) { eq(t, c.Thesaurus, "example.json") }},
		{name: "thesaurus missing", env: map[string]string{"STORYBOT_THESAURUS": "no-such-file.txt"},
			wantErr: "STORYBOT_THESAURUS", errHas: `"no-such-file.txt" is not a readable file`},
		{name: "thesaurus is a folder", env: map[string]string{"STORYBOT_THESAURUS": "."},
			wantErr: "STORYBOT_THESAURUS", errHas: "not a readable file"},
		{name: "whitespace trimmed", env: map[string]string{"STORYBOT_ADDR": "  :9090\n"},
			check: func(t *testing.T, c *Config) { eq(t, c.Addr, ":9090") }},
	})
}

func TestRedisSettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "url", env: map[string]string{"REDIS_URL": "rediss://app:pw@cache:6380/2"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.RedisEnabled(), true)
				eq(t, c.Redis.Addrs, []string{"cache:6380"})
				eq(t, c.Redis.TLS, true)
				eq(t, c.Redis.DB, 2)
				eq(t, c.Redis.Password.Reveal(), "pw")
			}},
		{name: "url bad", env: map[string]string{"REDIS_URL": "http://cache"},
			wantErr: "REDIS_URL", errHas: "not a Redis URL"},
		{name: "prefix", env: map[string]string{"STORYBOT_REDIS_PREFIX": "news2"},
			check: func(t *testing.T, c *Config) { eq(t, c.Redis.Prefix, "news2") }},
		{name: "prefix with hash tag", env: map[string]string{"STORYBOT_REDIS_PREFIX": "{x}"},
			wantErr: "STORYBOT_REDIS_PREFIX", errHas: "braces"},
		{name: "timeout", env: map[string]string{"STORYBOT_REDIS_TIMEOUT": "500ms"},
			check: func(t *testing.T, c *Config) { eq(t, c.Redis.Timeout, 500*time.Millisecond) }},
		{name: "timeout too long", env: map[string]string{"STORYBOT_REDIS_TIMEOUT": "2h"},
			wantErr: "STORYBOT_REDIS_TIMEOUT", errHas: "out of range"},
	})
}

func TestSlackSettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "tokens", env: map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_APP_TOKEN": "xapp-1-A-1-f", "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.Slack.BotToken.Reveal(), "xoxb-1-2-abc")
				eq(t, c.Slack.AppToken.Reveal(), "xapp-1-A-1-f")
				eq(t, c.Slack.SigningSecret.Reveal(), "8f742231b10e8888abcd99yyyzzz85a5")
				eq(t, c.SocketMode(), true)
			}},
		{name: "bot token wrong kind", env: map[string]string{"SLACK_BOT_TOKEN": "xoxp-user-token-77"},
			wantErr: "SLACK_BOT_TOKEN", errHas: "does not look like a bot token (want xoxb-…)"},
		{name: "app token wrong kind", env: map[string]string{"SLACK_APP_TOKEN": "xoxb-not-app"},
			wantErr: "SLACK_APP_TOKEN", errHas: "want xapp-"},
		{name: "signing secret with space", env: map[string]string{"SLACK_SIGNING_SECRET": "abc def"},
			wantErr: "SLACK_SIGNING_SECRET", errHas: "white space"},
		{name: "api url slash added", env: map[string]string{"SLACK_API_URL": "http://127.0.0.1:3000/api"},
			check: func(t *testing.T, c *Config) { eq(t, c.Slack.APIURL, "http://127.0.0.1:3000/api/") }},
		{name: "api url kept", env: map[string]string{"SLACK_API_URL": "https://slack-gov.com/api/"},
			check: func(t *testing.T, c *Config) { eq(t, c.Slack.APIURL, "https://slack-gov.com/api/") }},
		{name: "api url not http", env: map[string]string{"SLACK_API_URL": "ftp://slack.com/api/"},
			wantErr: "SLACK_API_URL", errHas: "not an http:// or https:// URL"},
		{name: "api url no host", env: map[string]string{"SLACK_API_URL": "https:///api/"},
			wantErr: "SLACK_API_URL", errHas: "has no host"},
	})
}

func TestOpenAISettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "key turns on default model", env: map[string]string{"OPENAI_API_KEY": "sk-test"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.ModelEnabled(), true)
				eq(t, c.OpenAI.ChatModel, DefaultChatModel)
				eq(t, c.EmbeddingsEnabled(), false)
			}},
		{name: "local server no key", env: map[string]string{
			"OPENAI_BASE_URL": "http://localhost:11434/v1/", "STORYBOT_CHAT_MODEL": "llama3.1", "STORYBOT_EMBED_MODEL": "nomic-embed-text"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.OpenAI.BaseURL, "http://localhost:11434/v1")
				eq(t, c.OpenAI.ChatModel, "llama3.1")
				eq(t, c.EmbeddingsEnabled(), true)
				eq(t, c.OpenAI.APIKey.IsSet(), false)
			}},
		{name: "base url without model", env: map[string]string{"OPENAI_BASE_URL": "http://localhost:11434/v1"},
			wantErr: "STORYBOT_CHAT_MODEL", errHas: "required when OPENAI_BASE_URL is set"},
		{name: "model without key", env: map[string]string{"STORYBOT_CHAT_MODEL": "gpt-4o"},
			wantErr: "OPENAI_API_KEY", errHas: "required"},
		{name: "bad model name", env: map[string]string{"OPENAI_API_KEY": "k", "STORYBOT_CHAT_MODEL": "gpt 4"},
			wantErr: "STORYBOT_CHAT_MODEL", errHas: "not a model name"},
		{name: "base url bad", env: map[string]string{"OPENAI_BASE_URL": "localhost:11434", "STORYBOT_CHAT_MODEL": "m"},
			wantErr: "OPENAI_BASE_URL", errHas: "URL"},
		{name: "azure", env: map[string]string{
			"OPENAI_API_TYPE": "Azure", "OPENAI_BASE_URL": "https://newsroom.openai.azure.com", "OPENAI_API_KEY": "k", "STORYBOT_CHAT_MODEL": "gpt4o-deploy"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.OpenAI.APIType, APITypeAzure)
				eq(t, c.OpenAI.APIVersion, DefaultAzureAPIVersion)
			}},
		{name: "azure version", env: map[string]string{
			"OPENAI_API_TYPE": "azure", "OPENAI_API_VERSION": "2025-01-01-preview", "OPENAI_BASE_URL": "https://n.openai.azure.com", "OPENAI_API_KEY": "k", "STORYBOT_CHAT_MODEL": "d"},
			check: func(t *testing.T, c *Config) { eq(t, c.OpenAI.APIVersion, "2025-01-01-preview") }},
		{name: "azure needs base url", env: map[string]string{"OPENAI_API_TYPE": "azure", "OPENAI_API_KEY": "k", "STORYBOT_CHAT_MODEL": "d"},
			wantErr: "OPENAI_BASE_URL", errHas: "required when OPENAI_API_TYPE is azure"},
		{name: "api type bad", env: map[string]string{"OPENAI_API_TYPE": "anthropic"},
			wantErr: "OPENAI_API_TYPE", errHas: `"anthropic" is not one of openai, azure`},
		{name: "version without azure", env: map[string]string{"OPENAI_API_VERSION": "2024-10-21"},
			wantErr: "OPENAI_API_VERSION", errHas: "only used when"},
		{name: "timeout", env: map[string]string{"STORYBOT_MODEL_TIMEOUT": "90s"},
			check: func(t *testing.T, c *Config) { eq(t, c.OpenAI.Timeout, 90*time.Second) }},
		{name: "timeout bare seconds", env: map[string]string{"STORYBOT_MODEL_TIMEOUT": "45"},
			check: func(t *testing.T, c *Config) { eq(t, c.OpenAI.Timeout, 45*time.Second) }},
		{name: "timeout zero", env: map[string]string{"STORYBOT_MODEL_TIMEOUT": "0s"},
			wantErr: "STORYBOT_MODEL_TIMEOUT", errHas: "out of range"},
		{name: "max tokens", env: map[string]string{"STORYBOT_ANSWER_MAX_TOKENS": "1200"},
			check: func(t *testing.T, c *Config) { eq(t, c.OpenAI.AnswerMaxTokens, 1200) }},
		{name: "judge", env: map[string]string{"OPENAI_API_KEY": "sk-x", "STORYBOT_MODEL_JUDGE": "true"},
			check: func(t *testing.T, c *Config) { eq(t, c.OpenAI.Judge, true) }},
		{name: "judge bad", env: map[string]string{"STORYBOT_MODEL_JUDGE": "sometimes"},
			wantErr: "STORYBOT_MODEL_JUDGE"},
		{name: "max question", env: map[string]string{"STORYBOT_MAX_QUESTION": "2000"},
			check: func(t *testing.T, c *Config) { eq(t, c.MaxQuestion, 2000) }},
		{name: "max question default", env: map[string]string{},
			check: func(t *testing.T, c *Config) { eq(t, c.MaxQuestion, 1000) }},
		{name: "max question too small", env: map[string]string{"STORYBOT_MAX_QUESTION": "20"},
			wantErr: "STORYBOT_MAX_QUESTION", errHas: "out of range"},
		{name: "min confidence", env: map[string]string{"STORYBOT_MIN_CONFIDENCE": "0.55"},
			check: func(t *testing.T, c *Config) { eq(t, c.MinConfidence, 0.55) }},
		{name: "min confidence unset", env: map[string]string{},
			check: func(t *testing.T, c *Config) { eq(t, c.MinConfidence, 0.0) }},
		{name: "min confidence above 1", env: map[string]string{"STORYBOT_MIN_CONFIDENCE": "1.5"},
			wantErr: "STORYBOT_MIN_CONFIDENCE", errHas: `"1.5" is not a confidence between 0 and 1`},
		{name: "min confidence word", env: map[string]string{"STORYBOT_MIN_CONFIDENCE": "high"},
			wantErr: "STORYBOT_MIN_CONFIDENCE", errHas: `"high" is not a confidence`},
		{name: "max tokens bad", env: map[string]string{"STORYBOT_ANSWER_MAX_TOKENS": "lots"},
			wantErr: "STORYBOT_ANSWER_MAX_TOKENS", errHas: `"lots" is not a whole number`},
		{name: "retries zero", env: map[string]string{"STORYBOT_MODEL_RETRIES": "0"},
			check: func(t *testing.T, c *Config) { eq(t, c.OpenAI.Retries, 0) }},
		{name: "retries negative", env: map[string]string{"STORYBOT_MODEL_RETRIES": "-1"},
			wantErr: "STORYBOT_MODEL_RETRIES", errHas: "out of range"},
	})
}

func TestDigestSettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "channels", env: map[string]string{"STORYBOT_DIGEST_CHANNELS": "C0123ABC, G0456DEF,C0123ABC"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.Digest.Channels, []string{"C0123ABC", "G0456DEF"})
				eq(t, c.Digest.Enabled(), true)
			}},
		{name: "channel name not id", env: map[string]string{"STORYBOT_DIGEST_CHANNELS": "C0123ABC,#newsroom"},
			wantErr: "STORYBOT_DIGEST_CHANNELS", errHas: `"#newsroom" is not a Slack channel ID`},
		{name: "time", env: map[string]string{"STORYBOT_DIGEST_TIME": "7:05"},
			check: func(t *testing.T, c *Config) { eq(t, c.Digest.TimeOfDay(), "07:05") }},
		{name: "time 25:00", env: map[string]string{"STORYBOT_DIGEST_TIME": "25:00"},
			wantErr: "STORYBOT_DIGEST_TIME", errHas: `"25:00" is not a time of day (want HH:MM`},
		{name: "time am", env: map[string]string{"STORYBOT_DIGEST_TIME": "8am"},
			wantErr: "STORYBOT_DIGEST_TIME", errHas: "not a time of day"},
		{name: "time minutes", env: map[string]string{"STORYBOT_DIGEST_TIME": "08:60"},
			wantErr: "STORYBOT_DIGEST_TIME", errHas: "not a time of day"},
		{name: "tz", env: map[string]string{"STORYBOT_DIGEST_TZ": "America/New_York"},
			check: func(t *testing.T, c *Config) { eq(t, c.Digest.Location.String(), "America/New_York") }},
		{name: "tz bad", env: map[string]string{"STORYBOT_DIGEST_TZ": "Mars/Olympus"},
			wantErr: "STORYBOT_DIGEST_TZ", errHas: `"Mars/Olympus" is not a known time zone`},
		{name: "tz local", env: map[string]string{"STORYBOT_DIGEST_TZ": "Local"},
			wantErr: "STORYBOT_DIGEST_TZ", errHas: "Local"},
		{name: "empty skip", env: map[string]string{"STORYBOT_DIGEST_EMPTY": "skip"},
			check: func(t *testing.T, c *Config) { eq(t, c.Digest.SkipEmpty, true) }},
		{name: "empty post", env: map[string]string{"STORYBOT_DIGEST_EMPTY": "POST"},
			check: func(t *testing.T, c *Config) { eq(t, c.Digest.SkipEmpty, false) }},
		{name: "empty bad", env: map[string]string{"STORYBOT_DIGEST_EMPTY": "maybe"},
			wantErr: "STORYBOT_DIGEST_EMPTY", errHas: "not one of post, skip"},
		{name: "leads off", env: map[string]string{"STORYBOT_DIGEST_LEADS": "off"},
			check: func(t *testing.T, c *Config) { eq(t, c.Digest.Leads, false) }},
		{name: "leads bad", env: map[string]string{"STORYBOT_DIGEST_LEADS": "sometimes"},
			wantErr: "STORYBOT_DIGEST_LEADS", errHas: "not a boolean"},
		{name: "max stories", env: map[string]string{"STORYBOT_DIGEST_MAX_STORIES": "5"},
			check: func(t *testing.T, c *Config) { eq(t, c.Digest.MaxStories, 5) }},
		{name: "max stories zero", env: map[string]string{"STORYBOT_DIGEST_MAX_STORIES": "0"},
			wantErr: "STORYBOT_DIGEST_MAX_STORIES", errHas: "out of range"},
	})
}

func TestFeedSettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "feeds", env: map[string]string{"STORYBOT_FEEDS": "https://a.example/rss, http://b.example/atom.xml"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.Feeds.URLs, []string{"https://a.example/rss", "http://b.example/atom.xml"})
			}},
		{name: "feed not http", env: map[string]string{"STORYBOT_FEEDS": "https://a.example/rss,file:///etc/passwd"},
			wantErr: "STORYBOT_FEEDS", errHas: `"file:///etc/passwd" is not an http:// or https:// URL`},
		{name: "feed with password", env: map[string]string{"STORYBOT_FEEDS": "https://me:hunter22@a.example/rss"},
			wantErr: "STORYBOT_FEEDS", errHas: `"https://a.example/rss" must not carry a password`},
		{name: "interval", env: map[string]string{"STORYBOT_FEED_INTERVAL": "1m"},
			check: func(t *testing.T, c *Config) { eq(t, c.Feeds.Interval, time.Minute) }},
		{name: "interval too short", env: map[string]string{"STORYBOT_FEED_INTERVAL": "30s"},
			wantErr: "STORYBOT_FEED_INTERVAL", errHas: "out of range (want 1m0s"},
	})
}

func TestAccessSettings(t *testing.T) {
	runSettingCases(t, []settingCase{
		{name: "default collections", env: map[string]string{"STORYBOT_DEFAULT_COLLECTIONS": "published,wire"},
			check: func(t *testing.T, c *Config) { eq(t, c.Access.Collections("C9ZZ"), []string{"published", "wire"}) }},
		{name: "default collections bad", env: map[string]string{"STORYBOT_DEFAULT_COLLECTIONS": "published,*"},
			wantErr: "STORYBOT_DEFAULT_COLLECTIONS", errHas: `"*" is not a collection name`},
		{name: "add users and channels", env: map[string]string{"STORYBOT_ADD_USERS": "U01EDITOR W02ADMIN", "STORYBOT_ADD_CHANNELS": "C0DESK"},
			check: func(t *testing.T, c *Config) {
				eq(t, c.Access.CanAdd("U01EDITOR", "C0OTHER"), true)
				eq(t, c.Access.CanAdd("W02ADMIN", "D0DM"), true)
				eq(t, c.Access.CanAdd("U0INTERN", "C0DESK"), true)
				eq(t, c.Access.CanAdd("U0INTERN", "C0OTHER"), false)
			}},
		{name: "add users name", env: map[string]string{"STORYBOT_ADD_USERS": "@jane"},
			wantErr: "STORYBOT_ADD_USERS", errHas: `"@jane" is not a Slack user ID`},
		{name: "add channels bad", env: map[string]string{"STORYBOT_ADD_CHANNELS": "general"},
			wantErr: "STORYBOT_ADD_CHANNELS", errHas: "not a Slack channel ID"},
		{name: "rate per hour", env: map[string]string{"STORYBOT_USER_RATE": "100/h"},
			check: func(t *testing.T, c *Config) { eq(t, c.Access.UserRate, Rate{100, time.Hour}) }},
		{name: "rate per 30s", env: map[string]string{"STORYBOT_USER_RATE": "5/30s"},
			check: func(t *testing.T, c *Config) { eq(t, c.Access.UserRate.String(), "5/30s") }},
		{name: "rate off", env: map[string]string{"STORYBOT_USER_RATE": "off"},
			check: func(t *testing.T, c *Config) { eq(t, c.Access.UserRate.Limited(), false) }},
		{name: "rate bad", env: map[string]string{"STORYBOT_USER_RATE": "10 per minute"},
			wantErr: "STORYBOT_USER_RATE", errHas: `"10 per minute" is not a rate`},
		{name: "rate zero count", env: map[string]string{"STORYBOT_USER_RATE": "0/m"},
			wantErr: "STORYBOT_USER_RATE", errHas: "not a rate"},
		{name: "channel map", file: `{"access": {"channels": {"C0DESK": ["published", "embargoed"], "C0LOCK": []}}}`,
			check: func(t *testing.T, c *Config) {
				eq(t, c.Access.Collections("C0DESK"), []string{"published", "embargoed"})
				eq(t, c.Access.Collections("C0LOCK"), []string{})
				eq(t, c.Access.Collections("C0ELSE"), []string{"published"})
			}},
		{name: "channel map bad id", file: `{"access": {"channels": {"#desk": ["published"]}}}`,
			wantErr: "access.channels", errHas: `"#desk" is not a Slack channel ID`},
		{name: "channel map bad shape", file: `{"access": {"channels": ["C0DESK"]}}`,
			wantErr: "access.channels", errHas: "want an object from channel ID to collections"},
		{name: "channel map bad collection", file: `{"access": {"channels": {"C0DESK": ["pub lished"]}}}`,
			wantErr: "access.channels", errHas: `"pub lished" is not a collection name`},
		{name: "file default collections empty means none", file: `{"access": {"default_collections": []}}`,
			check: func(t *testing.T, c *Config) { eq(t, c.Access.Collections("C0ELSE"), []string{}) }},
	})
}

func TestCollectionsIsACopy(t *testing.T) {
	path := writeConfig(t, `{"access": {"channels": {"C0DESK": ["embargoed"]}}}`)
	c := mustLoad(t, nil, path)
	for ch, want := range map[string]string{"C0DESK": "embargoed", "C0OTHER": "published"} {
		got := c.Access.Collections(ch)
		got[0] = "changed"
		eq(t, c.Access.Collections(ch), []string{want})
	}
}

func TestFileAndEnvironment(t *testing.T) {
	path := writeConfig(t, `{
		"_comment": "ignored",
		"addr": ":7000",
		"log_level": "debug",
		"answer": {"min_confidence": 0.3},
		"openai": {"answer_max_tokens": 400, "retries": "5", "_note": "ignored"},
		"digest": {"channels": ["C0FILE1", "C0FILE2"], "time": "06:30", "tz": "Europe/Paris"},
		"feeds": {"urls": "https://f.example/rss", "interval": "20m"}
	}`)
	env := map[string]string{
		"STORYBOT_DIGEST_TIME": "09:15", // environment wins over the file
		"STORYBOT_FEEDS":       "",      // blank means "not set": the file's applies
	}

	t.Run("explicit path", func(t *testing.T) {
		c := mustLoad(t, env, path)
		eq(t, c.File, path)
		eq(t, c.Addr, ":7000")
		eq(t, c.LogLevel, slog.LevelDebug)
		eq(t, c.OpenAI.AnswerMaxTokens, 400)
		eq(t, c.MinConfidence, 0.3)
		eq(t, c.OpenAI.Retries, 5)
		eq(t, c.Digest.Channels, []string{"C0FILE1", "C0FILE2"})
		eq(t, c.Digest.TimeOfDay(), "09:15")
		eq(t, c.Digest.Location.String(), "Europe/Paris")
		eq(t, c.Feeds.URLs, []string{"https://f.example/rss"})
		eq(t, c.Feeds.Interval, 20*time.Minute)
	})
	t.Run("STORYBOT_CONFIG", func(t *testing.T) {
		c := mustLoad(t, map[string]string{"STORYBOT_CONFIG": path, "STORYBOT_ADDR": ":7001"}, "")
		eq(t, c.File, path)
		eq(t, c.Addr, ":7001")
		eq(t, c.Digest.TimeOfDay(), "06:30")
	})
	t.Run("explicit path wins over STORYBOT_CONFIG", func(t *testing.T) {
		other := writeConfig(t, `{"addr": ":7002"}`)
		c := mustLoad(t, map[string]string{"STORYBOT_CONFIG": path}, other)
		eq(t, c.Addr, ":7002")
	})
	t.Run("file error names key and file", func(t *testing.T) {
		bad := writeConfig(t, `{"digest": {"time": "25:00"}}`)
		_, err := Load(envOf(nil), bad)
		want := `STORYBOT_DIGEST_TIME (digest.time in ` + bad + `): "25:00" is not a time of day`
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("error %v, want it to start %q", err, want)
		}
	})
	t.Run("environment fixes a bad file value", func(t *testing.T) {
		bad := writeConfig(t, `{"digest": {"time": "25:00"}}`)
		c := mustLoad(t, map[string]string{"STORYBOT_DIGEST_TIME": "10:00"}, bad)
		eq(t, c.Digest.TimeOfDay(), "10:00")
	})
}

func TestFileProblems(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"unknown top-level", `{"adress": ":80"}`, []string{`unknown setting "adress"`}},
		{"unknown nested", `{"digest": {"tme": "08:00"}}`, []string{`unknown setting "digest.tme"`}},
		{"every unknown reported", `{"a": 1, "digest": {"b": 2}}`, []string{`unknown setting "a"`, `unknown setting "digest.b"`}},
		{"group not object", `{"digest": "08:00"}`, []string{"digest: want an object"}},
		{"list for scalar", `{"addr": [":80"]}`, []string{"STORYBOT_ADDR (addr in", "want a single value"}},
		{"object for list", `{"feeds": {"urls": {"a": 1}}}`, []string{"STORYBOT_FEEDS (feeds.urls in", "want a list of strings"}},
		{"syntax", "{\n  \"addr\": \":80\",\n  \"slack\": {\"bot_token\": xoxb-oops}\n}", []string{"invalid JSON at line 3"}},
		{"not an object", `["addr"]`, []string{"want a JSON object of settings"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.body)
			_, err := Load(envOf(nil), path)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.json")
		_, err := Load(envOf(nil), missing)
		if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.json") {
			t.Fatalf("error %v, want a not-exist error naming the file", err)
		}
	})
	t.Run("file values still checked with unknown keys", func(t *testing.T) {
		path := writeConfig(t, `{"bogus": 1, "addr": "nope"}`)
		_, err := Load(envOf(nil), path)
		for _, w := range []string{`unknown setting "bogus"`, "STORYBOT_ADDR"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("error %v does not contain %q", err, w)
			}
		}
	})
}

func TestAllErrorsReportedTogether(t *testing.T) {
	env := map[string]string{
		"STORYBOT_ADDR":            "nope",
		"STORYBOT_DIGEST_TIME":     "25:00",
		"STORYBOT_DIGEST_TZ":       "Nowhere/Land",
		"STORYBOT_FEED_INTERVAL":   "5s",
		"SLACK_BOT_TOKEN":          "bad",
		"REDIS_URL":                "mysql://x",
		"STORYBOT_USER_RATE":       "fast",
		"STORYBOT_MODEL_RETRIES":   "many",
		"STORYBOT_DIGEST_CHANNELS": "general",
	}
	_, err := Load(envOf(env), "")
	if err == nil {
		t.Fatal("Load succeeded")
	}
	var names []string
	for _, se := range settingErrors(err) {
		names = append(names, se.Setting)
	}
	for name := range env {
		if !strings.Contains(err.Error(), name+": ") {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
	if len(names) != len(env) {
		t.Errorf("got %d setting errors %v, want %d", len(names), names, len(env))
	}
	var se *SettingError
	if !errors.As(err, &se) {
		t.Error("errors.As finds no *SettingError")
	}
}

func TestValidateServe(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []string // settings named; none means valid
	}{
		{"http mode complete", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3"}, nil},
		{"socket mode complete", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, nil},
		{"nothing", nil, []string{"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"}},
		{"http mode no secret", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, []string{"SLACK_SIGNING_SECRET"}},
		{"socket mode no bot token", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, []string{"SLACK_BOT_TOKEN"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustLoad(t, tc.env, "")
			err := c.ValidateServe()
			var got []string
			for _, se := range settingErrors(err) {
				got = append(got, se.Setting)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ValidateServe named %v, want %v (error: %v)", got, tc.want, err)
			}
		})
	}
	t.Run("hand-built config with a bad app token", func(t *testing.T) {
		c := &Config{Slack: Slack{BotToken: "xoxb-1", AppToken: "xoxp-secretvalue"}}
		err := c.ValidateServe()
		if err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") || strings.Contains(err.Error(), "secretvalue") {
			t.Fatalf("error %v, want one naming SLACK_APP_TOKEN without its value", err)
		}
	})
}

func TestDigestNext(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	d := Digest{Hour: 8, Minute: 0, Location: ny}
	cases := []struct {
		name     string
		now, nxt time.Time
	}{
		{"before today's", time.Date(2025, 6, 2, 7, 59, 0, 0, ny), time.Date(2025, 6, 2, 8, 0, 0, 0, ny)},
		{"exactly at it", time.Date(2025, 6, 2, 8, 0, 0, 0, ny), time.Date(2025, 6, 3, 8, 0, 0, 0, ny)},
		{"after today's", time.Date(2025, 6, 2, 12, 0, 0, 0, ny), time.Date(2025, 6, 3, 8, 0, 0, 0, ny)},
		{"given in UTC", time.Date(2025, 6, 2, 11, 0, 0, 0, time.UTC), time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)},
		{"across spring DST", time.Date(2025, 3, 8, 9, 0, 0, 0, ny), time.Date(2025, 3, 9, 8, 0, 0, 0, ny)},
		{"end of month", time.Date(2025, 1, 31, 9, 0, 0, 0, ny), time.Date(2025, 2, 1, 8, 0, 0, 0, ny)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := d.Next(tc.now); !got.Equal(tc.nxt) {
				t.Errorf("Next(%v) = %v, want %v", tc.now, got, tc.nxt)
			}
		})
	}
	if got := d.Next(time.Date(2025, 3, 8, 9, 0, 0, 0, ny)).Sub(time.Date(2025, 3, 8, 9, 0, 0, 0, ny)); got != 22*time.Hour {
		t.Errorf("across spring DST the wait is %v, want 22h (a 23-hour day)", got)
	}
}

func TestExampleFile(t *testing.T) {
	c := mustLoad(t, map[string]string{"OPENAI_API_KEY": "sk-example"}, "example.json")
	eq(t, c.Digest.Channels, []string{"C0123NEWSDESK", "C0456POLITICS"})
	eq(t, c.Digest.Location.String(), "America/New_York")
	eq(t, c.Access.Collections("C0123NEWSDESK"), []string{"published", "embargoed"})
	eq(t, c.Access.Collections("C0789INTERNS"), []string{})
	eq(t, c.Access.Collections("D0SOMEDM"), []string{"published"})
	eq(t, c.Access.CanAdd("U0123EDITOR", "C0OTHER"), true)
	eq(t, c.EmbeddingsEnabled(), true)
	eq(t, len(c.Feeds.URLs), 2)
}

func TestDefaultDataDir(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		t.Skip("checks the XDG rules")
	}
	cases := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"xdg", map[string]string{"XDG_DATA_HOME": "/x", "HOME": "/h"}, "/x/storybot", false},
		{"relative xdg ignored", map[string]string{"XDG_DATA_HOME": "rel", "HOME": "/h"}, "/h/.local/share/storybot", false},
		{"home", map[string]string{"HOME": "/h"}, "/h/.local/share/storybot", false},
		{"nothing", map[string]string{}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := defaultDataDir(func(k string) string { return tc.env[k] })
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("defaultDataDir = %q, %v; want %q, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func eq[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

// TestDigestAtInDSTGaps checks the digest time of a day whose clock skips
// it is the moment of the skip, for gaps at 2:00 and at midnight, and that
// Next steps through a year one digest a local day, always forward.
func TestDigestAtInDSTGaps(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	ny, santiago, havana := zone("America/New_York"), zone("America/Santiago"), zone("America/Havana")
	cases := []struct {
		name      string
		d         Digest
		y         int
		m         time.Month
		day       int
		wantUTC   time.Time
		wantClock string
	}{
		{"2:30 in New York's gap", Digest{Hour: 2, Minute: 30, Location: ny}, 2026, 3, 8,
			time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), "2026-03-08 03:00"},
		{"midnight in Santiago's gap", Digest{Hour: 0, Minute: 0, Location: santiago}, 2026, 9, 6,
			time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC), "2026-09-06 01:00"},
		{"0:30 in Havana's gap", Digest{Hour: 0, Minute: 30, Location: havana}, 2026, 3, 8,
			time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC), "2026-03-08 01:00"},
		{"an ordinary day", Digest{Hour: 0, Minute: 30, Location: santiago}, 2026, 9, 7,
			time.Date(2026, 9, 7, 3, 30, 0, 0, time.UTC), "2026-09-07 00:30"},
	}
	for _, tc := range cases {
		got := tc.d.At(tc.y, tc.m, tc.day)
		if !got.Equal(tc.wantUTC) || got.Format("2006-01-02 15:04") != tc.wantClock {
			t.Errorf("%s: At = %v, want %v (%s local)", tc.name, got, tc.wantUTC, tc.wantClock)
		}
		if next := tc.d.Next(got.Add(-time.Minute)); !next.Equal(got) {
			t.Errorf("%s: Next a minute before = %v, want %v", tc.name, next, got)
		}
	}

	for _, loc := range []*time.Location{ny, santiago, havana, zone("Europe/London"), zone("Australia/Lord_Howe")} {
		for _, hm := range [][2]int{{0, 0}, {0, 30}, {1, 30}, {2, 0}, {2, 30}, {8, 0}, {23, 30}} {
			d := Digest{Hour: hm[0], Minute: hm[1], Location: loc}
			days := map[string]int{}
			from := time.Date(2026, 1, 1, 12, 0, 0, 0, loc)
			cur := from
			for range 366 {
				next := d.Next(cur)
				if !next.After(cur) || next.Sub(cur) > 26*time.Hour {
					t.Fatalf("%s %02d:%02d: Next(%v) = %v", loc, hm[0], hm[1], cur, next)
				}
				days[next.In(loc).Format(time.DateOnly)]++
				cur = next
			}
			for day := from.AddDate(0, 0, 1); day.Before(cur); day = day.AddDate(0, 0, 1) {
				if n := days[day.Format(time.DateOnly)]; n != 1 {
					t.Errorf("%s %02d:%02d: %s has %d digests, want 1", loc, hm[0], hm[1], day.Format(time.DateOnly), n)
				}
			}
		}
	}
}
