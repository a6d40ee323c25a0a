package config

import (
	"log/slog"
	"strings"
)

// LogValue logs the settings in effect, with every secret redacted, so
// `slog.Info("starting", "config", cfg)` shows what the process runs with.
// It has a value receiver so both Config and *Config log this way.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("file", c.File),
		slog.String("data_dir", c.DataDir),
		slog.String("addr", c.Addr),
		slog.String("log_level", c.LogLevel.String()),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
		slog.String("thesaurus", c.Thesaurus),
		slog.Any("redis", c.Redis),
		slog.Any("slack", c.Slack),
		slog.Any("openai", c.OpenAI),
		slog.Any("digest", c.Digest),
		slog.Any("feeds", c.Feeds),
		slog.Any("access", c.Access),
	)
}

// LogValue logs the Redis connection with its passwords redacted.
func (r Redis) LogValue() slog.Value {
	if !r.Enabled() {
		return slog.GroupValue(slog.String("mode", "off"))
	}
	return slog.GroupValue(
		slog.String("mode", r.Mode()),
		slog.String("url", r.String()),
		slog.Any("sentinel_password", r.SentinelPassword),
		slog.String("prefix", r.Prefix),
		slog.Duration("timeout", r.Timeout),
	)
}

// LogValue logs the Slack settings with the tokens redacted.
func (s Slack) LogValue() slog.Value {
	mode := "http"
	if s.AppToken != "" {
		mode = "socket"
	}
	return slog.GroupValue(
		slog.String("mode", mode),
		slog.Any("bot_token", s.BotToken),
		slog.Any("app_token", s.AppToken),
		slog.Any("signing_secret", s.SigningSecret),
		slog.String("api_url", s.APIURL),
	)
}

// LogValue logs the model settings with the key redacted.
func (o OpenAI) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_type", o.APIType),
		slog.String("base_url", o.BaseURL),
		slog.String("api_version", o.APIVersion),
		slog.Any("api_key", o.APIKey),
		slog.String("chat_model", o.ChatModel),
		slog.String("embed_model", o.EmbedModel),
		slog.Duration("timeout", o.Timeout),
		slog.Int("answer_max_tokens", o.AnswerMaxTokens),
		slog.Int("retries", o.Retries),
		slog.Bool("judge", o.Judge),
	)
}

// LogValue logs the digest schedule.
func (d Digest) LogValue() slog.Value {
	tz := "UTC"
	if d.Location != nil {
		tz = d.Location.String()
	}
	return slog.GroupValue(
		slog.String("channels", strings.Join(d.Channels, ",")),
		slog.String("time", d.TimeOfDay()),
		slog.String("tz", tz),
		slog.Bool("skip_empty", d.SkipEmpty),
		slog.Bool("leads", d.Leads),
		slog.Int("max_stories", d.MaxStories),
	)
}

// LogValue logs the feeds.
func (f Feeds) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("count", len(f.URLs)),
		slog.Duration("interval", f.Interval),
	)
}

// LogValue logs the access rules.
func (a Access) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("channels", len(a.Channels)),
		slog.String("default_collections", strings.Join(a.DefaultCollections, ",")),
		slog.Int("add_users", len(a.AddUsers)),
		slog.Int("add_channels", len(a.AddChannels)),
		slog.String("user_rate", a.UserRate.String()),
	)
}
