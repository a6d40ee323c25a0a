package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretPrinting(t *testing.T) {
	const value = "xoxb-topsecret-123"
	s := Secret(value)
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"String", s.String(), "[redacted]"},
		{"GoString", s.GoString(), "[redacted]"},
		{"%v", fmt.Sprintf("%v", s), "[redacted]"},
		{"%+v", fmt.Sprintf("%+v", s), "[redacted]"},
		{"%#v", fmt.Sprintf("%#v", s), "[redacted]"},
		{"%s", fmt.Sprintf("%s", s), "[redacted]"},
		{"%q", fmt.Sprintf("%q", s), `"[redacted]"`},
		{"%x", fmt.Sprintf("%x", s), "[redacted]"},
		{"%X", fmt.Sprintf("%X", s), "[redacted]"},
		{"%10s", fmt.Sprintf("%10s", s), "[redacted]"},
		{"%d", fmt.Sprintf("%d", s), "[redacted]"},
		{"in struct %+v", fmt.Sprintf("%+v", struct{ T Secret }{s}), "{T:[redacted]}"},
		{"in slice %v", fmt.Sprintf("%v", []Secret{s}), "[[redacted]]"},
		{"empty %v", fmt.Sprintf("%v", Secret("")), ""},
		{"empty %#v", fmt.Sprintf("%#v", Secret("")), `""`},
		{"empty %q", fmt.Sprintf("%q", Secret("")), `""`},
		{"Reveal", s.Reveal(), value},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		b, err := json.Marshal(map[string]Secret{"k": s, "e": ""})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(b), `{"e":"","k":"[redacted]"}`; got != want {
			t.Errorf("json %s, want %s", got, want)
		}
	})
	t.Run("slog", func(t *testing.T) {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "tok", s)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "tok", s)
		if strings.Contains(buf.String(), value) || strings.Count(buf.String(), "[redacted]") != 2 {
			t.Errorf("slog output %s", buf.String())
		}
	})
}

// Distinctive secret values; each must never appear in printed output.
const (
	botSecret      = "xoxb-BOTSECRET-4242"
	appSecret      = "xapp-APPSECRET-4242"
	signingSecret  = "SIGNINGSECRET4242"
	openaiSecret   = "sk-OPENAISECRET4242"
	redisPassword  = "REDISPASS4242"
	sentinelSecret = "SENTINELPASS4242"
)

var allSecrets = []string{botSecret, appSecret, signingSecret, openaiSecret, redisPassword, sentinelSecret,
	"BOTSECRET", "APPSECRET", "OPENAISECRET", "REDISPASS", "SENTINELPASS"}

func checkNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range allSecrets {
		if strings.Contains(out, s) {
			t.Errorf("%s contains secret %q:\n%s", what, s, out)
		}
	}
}

func TestConfigNeverShowsSecrets(t *testing.T) {
	env := map[string]string{
		"SLACK_BOT_TOKEN":      botSecret,
		"SLACK_APP_TOKEN":      appSecret,
		"SLACK_SIGNING_SECRET": signingSecret,
		"OPENAI_API_KEY":       openaiSecret,
		"REDIS_URL":            "redis+sentinel://admin:" + redisPassword + "@s1,s2:26380/mymaster/1?sentinel_password=" + sentinelSecret,
	}
	c := mustLoad(t, env, "")
	// The secrets did load.
	eq(t, c.Slack.BotToken.Reveal(), botSecret)
	eq(t, c.Redis.Password.Reveal(), redisPassword)
	eq(t, c.Redis.SentinelPassword.Reveal(), sentinelSecret)

	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		checkNoSecret(t, "Sprintf "+f+" *Config", fmt.Sprintf(f, c))
		checkNoSecret(t, "Sprintf "+f+" Config", fmt.Sprintf(f, *c))
		checkNoSecret(t, "Sprintf "+f+" Redis", fmt.Sprintf(f, c.Redis))
		checkNoSecret(t, "Sprintf "+f+" Slack", fmt.Sprintf(f, c.Slack))
		checkNoSecret(t, "Sprintf "+f+" OpenAI", fmt.Sprintf(f, c.OpenAI))
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, "json.Marshal", string(b))

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "config", c, "value", *c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("start", "config", c, "redis", c.Redis)
	out := buf.String()
	checkNoSecret(t, "slog", out)
	for _, want := range []string{`"bot_token":"[redacted]"`, `"mode":"sentinel"`, `"url":"redis+sentinel://admin:[redacted]@s1:26379,s2:26380/mymaster/1"`} {
		if !strings.Contains(out, want) {
			t.Errorf("slog output lacks %s:\n%s", want, out)
		}
	}
	var logged map[string]any
	if err := json.Unmarshal(bytes.SplitN(buf.Bytes(), []byte("\n"), 2)[0], &logged); err != nil {
		t.Fatalf("slog JSON line does not parse: %v", err)
	}
	if _, ok := logged["config"].(map[string]any)["slack"]; !ok {
		t.Errorf("slog JSON has no config.slack group: %v", logged)
	}
}

func TestErrorsNeverShowSecrets(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		file string
	}{
		{"bot token wrong prefix", map[string]string{"SLACK_BOT_TOKEN": "xoxp-BOTSECRET-4242"}, ""},
		{"bot token given as app token", map[string]string{"SLACK_APP_TOKEN": botSecret}, ""},
		{"signing secret with space", map[string]string{"SLACK_SIGNING_SECRET": "SIGNINGSECRET4242 x"}, ""},
		{"redis bad port after password", map[string]string{"REDIS_URL": "redis://u:" + redisPassword + "@h:99999"}, ""},
		{"redis password with slash", map[string]string{"REDIS_URL": "redis://u:REDIS/PASS4242@h:6379"}, ""},
		{"redis password with question mark", map[string]string{"REDIS_URL": "redis://u:REDISPASS?4242@h"}, ""},
		{"redis password with hash", map[string]string{"REDIS_URL": "redis://u:REDIS#PASS4242@h"}, ""},
		{"redis password no host", map[string]string{"REDIS_URL": "redis://:" + redisPassword}, ""},
		{"redis password no at", map[string]string{"REDIS_URL": "redis://" + redisPassword + ":x"}, ""},
		{"redis bad scheme", map[string]string{"REDIS_URL": "postgres://u:" + redisPassword + "@h"}, ""},
		{"redis bad escape", map[string]string{"REDIS_URL": "redis://u:REDISPASS%zz4242@h"}, ""},
		{"redis bad query", map[string]string{"REDIS_URL": "redis+sentinel://h/m?sentinel_password=SENTINEL%zzPASS4242"}, ""},
		{"redis cluster db", map[string]string{"REDIS_URL": "redis://u:" + redisPassword + "@a,b/3"}, ""},
		{"openai base url with password", map[string]string{"OPENAI_BASE_URL": "https://u:OPENAISECRET@llm.example/v1", "STORYBOT_CHAT_MODEL": "m"}, ""},
		{"slack api url with password", map[string]string{"SLACK_API_URL": "https://u:BOTSECRET@slack.example/api"}, ""},
		{"feed with password", map[string]string{"STORYBOT_FEEDS": "https://u:APPSECRET@feeds.example/rss"}, ""},
		{"malformed URL with password", map[string]string{"SLACK_API_URL": "https://u:BOTSECRET@[bad/api"}, ""},
		{"file token wrong prefix", nil, `{"slack": {"bot_token": "xoxp-BOTSECRET-4242"}}`},
		{"file token is a list", nil, `{"slack": {"bot_token": ["xoxb-BOTSECRET-4242"]}}`},
		{"file syntax error after secret", nil, `{"slack": {"bot_token": "xoxb-BOTSECRET-4242" "app_token": 1}}`},
		{"file unterminated secret", nil, `{"openai": {"api_key": "sk-OPENAISECRET4242`},
		{"file redis url", nil, `{"redis": {"url": "redis://u:REDISPASS4242@h:0"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.file != "" {
				path = writeConfig(t, tc.file)
			}
			_, err := Load(envOf(tc.env), path)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			checkNoSecret(t, "error", err.Error())
			checkNoSecret(t, "error %+v", fmt.Sprintf("%+v %#v", err, err))
		})
	}
}
