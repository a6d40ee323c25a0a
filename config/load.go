package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Defaults of the settings that have one.
const (
	DefaultAddr            = ":8080"
	DefaultShutdownTimeout = 25 * time.Second
	DefaultRedisPrefix     = "storybot"
	DefaultRedisTimeout    = 3 * time.Second
	DefaultSlackAPIURL     = "https://slack.com/api/"
	DefaultModelTimeout    = 30 * time.Second
	DefaultAnswerMaxTokens = 800
	// DefaultMaxQuestion is the longest question, in characters.
	DefaultMaxQuestion     = 1000
	DefaultModelRetries    = 3
	DefaultAzureAPIVersion = "2024-10-21"
	DefaultDigestTime      = "08:00"
	DefaultDigestMax       = 10
	DefaultFeedInterval    = 15 * time.Minute
	MinFeedInterval        = time.Minute
	DefaultCollection      = "published"
	DefaultUserRate        = "10/m"
)

// Load reads and validates every setting. getenv is usually os.Getenv; file
// is the --config path, "" meaning STORYBOT_CONFIG or no file. It returns all
// invalid settings at once, joined; no error contains a secret.
func Load(getenv func(string) string, file string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	src := &source{getenv: getenv}
	if file == "" {
		file = strings.TrimSpace(getenv(setConfig.env))
	}
	if file != "" {
		src.file = file
		values, err := readFile(file)
		if values == nil && err != nil {
			return nil, err
		}
		src.values = values
		if err != nil {
			src.errs = append(src.errs, err)
		}
	}

	c := &Config{File: file}
	loadCore(src, c)
	loadRedis(src, &c.Redis)
	loadSlack(src, &c.Slack)
	loadOpenAI(src, &c.OpenAI)
	loadDigest(src, &c.Digest)
	loadFeeds(src, &c.Feeds)
	loadAccess(src, &c.Access)
	if err := errors.Join(src.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

func loadCore(src *source, c *Config) {
	if v := src.str(setData); v.set {
		c.DataDir = filepath.Clean(v.raw)
	} else if dir, err := defaultDataDir(src.getenv); err == nil {
		c.DataDir = dir
	} else {
		src.fail(v, "not set, and %v; set it to a folder for the index", err)
	}

	c.Addr = DefaultAddr
	if v := src.str(setAddr); v.set {
		addr, err := parseAddr(v.raw)
		if err != nil {
			src.fail(v, "%v", err)
		}
		c.Addr = addr
	}

	if v := src.str(setLogLevel); v.set {
		lvl, err := parseLogLevel(v.raw)
		if err != nil {
			src.fail(v, "%v", err)
		}
		c.LogLevel = lvl
	}

	if v := src.str(setThesaurus); v.set {
		if fi, err := os.Stat(v.raw); err != nil || fi.IsDir() {
			src.fail(v, "%q is not a readable file", v.raw)
		}
		c.Thesaurus = v.raw
	}

	c.ShutdownTimeout = duration(src, setShutdown, DefaultShutdownTimeout, time.Second, time.Hour)

	c.MaxQuestion = integer(src, setMaxQuestion, DefaultMaxQuestion, 100, 20000)

	if v := src.str(setMinConfidence); v.set {
		f, err := strconv.ParseFloat(v.raw, 64)
		if err != nil || f <= 0 || f >= 1 {
			src.fail(v, "%q is not a confidence between 0 and 1 (exclusive), such as 0.4", v.raw)
		} else {
			c.MinConfidence = f
		}
	}
}

// duration reads a duration setting between lo and hi (hi 0: no upper bound).
func duration(src *source, st setting, def, lo, hi time.Duration) time.Duration {
	v := src.str(st)
	if !v.set {
		return def
	}
	d, err := parseDuration(v.raw, lo, hi)
	if err != nil {
		src.fail(v, "%v", err)
		return def
	}
	return d
}

// integer reads a whole-number setting between lo and hi.
func integer(src *source, st setting, def, lo, hi int) int {
	v := src.str(st)
	if !v.set {
		return def
	}
	n, err := parseInt(v.raw, lo, hi)
	if err != nil {
		src.fail(v, "%v", err)
		return def
	}
	return n
}

// boolean reads a true/false setting.
func boolean(src *source, st setting, def bool) bool {
	v := src.str(st)
	if !v.set {
		return def
	}
	b, err := parseBool(v.raw)
	if err != nil {
		src.fail(v, "%v", err)
		return def
	}
	return b
}

func loadRedis(src *source, r *Redis) {
	if v := src.str(setRedisURL); v.set {
		parsed, err := ParseRedisURL(v.raw)
		if err != nil {
			// err never holds the URL or its password.
			src.fail(v, "%v", err)
		}
		*r = parsed
	}
	r.Prefix = DefaultRedisPrefix
	if v := src.str(setRedisPrefix); v.set {
		if strings.ContainsAny(v.raw, " {}\t\n") {
			src.fail(v, "%q must not contain spaces or braces (storybot adds its own hash tags)", v.raw)
		}
		r.Prefix = v.raw
	}
	r.Timeout = duration(src, setRedisTimeout, DefaultRedisTimeout, 10*time.Millisecond, time.Minute)
}

func loadSlack(src *source, s *Slack) {
	token := func(st setting, prefix, what string) Secret {
		v := src.str(st)
		if v.set && !strings.HasPrefix(v.raw, prefix) {
			src.fail(v, "does not look like %s (want %s…)", what, prefix)
		}
		return Secret(v.raw)
	}
	s.BotToken = token(setBotToken, "xoxb-", "a bot token")
	s.AppToken = token(setAppToken, "xapp-", "an app-level token")
	v := src.str(setSigningSecret)
	if v.set && strings.ContainsAny(v.raw, " \t") {
		src.fail(v, "contains white space; copy the Signing Secret from the app's Basic Information page")
	}
	s.SigningSecret = Secret(v.raw)

	s.APIURL = DefaultSlackAPIURL
	if v := src.str(setSlackAPIURL); v.set {
		u, err := parseHTTPURL(v.raw)
		if err != nil {
			src.fail(v, "%v", err)
			return
		}
		s.APIURL = u.String()
		if !strings.HasSuffix(s.APIURL, "/") {
			s.APIURL += "/"
		}
	}
}

func loadOpenAI(src *source, o *OpenAI) {
	key := src.str(setOpenAIKey)
	o.APIKey = Secret(key.raw)

	o.APIType = APITypeOpenAI
	typ := src.str(setOpenAIType)
	if typ.set {
		t, err := parseChoice(typ.raw, APITypeOpenAI, APITypeAzure)
		if err != nil {
			src.fail(typ, "%v", err)
		} else {
			o.APIType = t
		}
	}

	base := src.str(setOpenAIBaseURL)
	o.BaseURL = DefaultOpenAIBaseURL
	if base.set {
		u, err := parseHTTPURL(base.raw)
		if err != nil {
			src.fail(base, "%v", err)
		} else {
			o.BaseURL = strings.TrimRight(u.String(), "/")
		}
	}

	version := src.str(setOpenAIVersion)
	if o.APIType == APITypeAzure {
		o.APIVersion = DefaultAzureAPIVersion
		if version.set {
			o.APIVersion = version.raw
		}
		if !base.set {
			src.fail(base, "required when OPENAI_API_TYPE is azure (the resource endpoint, https://NAME.openai.azure.com)")
		}
		if !key.set {
			src.fail(key, "required when OPENAI_API_TYPE is azure")
		}
	} else if version.set {
		src.fail(version, "only used when OPENAI_API_TYPE is azure")
	}

	model := func(st setting) value {
		v := src.str(st)
		if v.set && !modelRe.MatchString(v.raw) {
			src.fail(v, "%q is not a model name (no spaces, at most 200 characters)", v.raw)
		}
		return v
	}
	chat, embed := model(setChatModel), model(setEmbedModel)
	o.ChatModel, o.EmbedModel = chat.raw, embed.raw
	switch {
	case !chat.set && key.set && !base.set && o.APIType == APITypeOpenAI:
		// A key for OpenAI itself is enough to turn the model on.
		o.ChatModel = DefaultChatModel
	case !chat.set && !embed.set && base.set:
		src.fail(chat, "required when OPENAI_BASE_URL is set (the server's model name, e.g. llama3.1), or set STORYBOT_EMBED_MODEL")
	}
	if (o.ChatModel != "" || o.EmbedModel != "") && !key.set && !base.set {
		src.fail(key, "required to use OpenAI's API (or set OPENAI_BASE_URL to a server that needs no key)")
	}

	o.Timeout = duration(src, setModelTimeout, DefaultModelTimeout, time.Second, 10*time.Minute)
	o.AnswerMaxTokens = integer(src, setMaxTokens, DefaultAnswerMaxTokens, 16, 32768)
	o.Retries = integer(src, setModelRetries, DefaultModelRetries, 0, 10)
	o.Judge = boolean(src, setModelJudge, false)
}

func loadDigest(src *source, d *Digest) {
	v := src.list(setDigestChannels)
	for _, ch := range v.list {
		if err := checkChannelID(ch); err != nil {
			src.fail(v, "%v", err)
		}
	}
	d.Channels = v.list

	d.Hour, d.Minute, _ = parseTimeOfDay(DefaultDigestTime)
	if v := src.str(setDigestTime); v.set {
		h, m, err := parseTimeOfDay(v.raw)
		if err != nil {
			src.fail(v, "%v", err)
		} else {
			d.Hour, d.Minute = h, m
		}
	}

	d.Location = time.UTC
	if v := src.str(setDigestTZ); v.set {
		loc, err := parseLocation(v.raw)
		if err != nil {
			src.fail(v, "%v", err)
		} else {
			d.Location = loc
		}
	}

	if v := src.str(setDigestEmpty); v.set {
		choice, err := parseChoice(v.raw, "post", "skip")
		if err != nil {
			src.fail(v, "%v", err)
		}
		d.SkipEmpty = choice == "skip"
	}
	d.Leads = boolean(src, setDigestLeads, true)
	d.MaxStories = integer(src, setDigestMax, DefaultDigestMax, 1, 50)
}

func loadFeeds(src *source, f *Feeds) {
	v := src.list(setFeeds)
	for _, raw := range v.list {
		u, err := parseHTTPURL(raw)
		if err != nil {
			src.fail(v, "feed %v", err)
			continue
		}
		f.URLs = append(f.URLs, u.String())
	}
	f.Interval = duration(src, setFeedInterval, DefaultFeedInterval, MinFeedInterval, 24*time.Hour)
}

func loadAccess(src *source, a *Access) {
	collections := func(v value) []string {
		for _, c := range v.list {
			if err := checkCollection(c); err != nil {
				src.fail(v, "%v", err)
			}
		}
		return v.list
	}

	a.DefaultCollections = []string{DefaultCollection}
	if v := src.list(setDefaultColls); v.set {
		a.DefaultCollections = collections(v)
	}

	if raw, ok := src.values[setAccessChannels.key]; ok {
		v := value{setting: setAccessChannels, fromFile: true, set: true}
		m, err := jsonChannelMap(raw)
		if err != nil {
			src.fail(v, "%v", err)
		}
		for ch, list := range m {
			if err := checkChannelID(ch); err != nil {
				src.fail(v, "%v", err)
			}
			collections(value{setting: v.setting, fromFile: true, list: list})
		}
		if len(m) > 0 {
			a.Channels = m
		}
	}

	v := src.list(setAddUsers)
	for _, u := range v.list {
		if err := checkUserID(u); err != nil {
			src.fail(v, "%v", err)
		}
	}
	a.AddUsers = v.list

	v = src.list(setAddChannels)
	for _, ch := range v.list {
		if err := checkChannelID(ch); err != nil {
			src.fail(v, "%v", err)
		}
	}
	a.AddChannels = v.list

	a.UserRate, _ = parseRate(DefaultUserRate)
	if v := src.str(setUserRate); v.set {
		r, err := parseRate(v.raw)
		if err != nil {
			src.fail(v, "%v", err)
		} else {
			a.UserRate = r
		}
	}
}

// defaultDataDir is the per-user data folder: $XDG_DATA_HOME/storybot or
// ~/.local/share/storybot on Unix, ~/Library/Application Support/storybot on
// macOS, %LocalAppData%\storybot on Windows.
func defaultDataDir(getenv func(string) string) (string, error) {
	const app = "storybot"
	switch runtime.GOOS {
	case "windows":
		if dir := getenv("LocalAppData"); dir != "" {
			return filepath.Join(dir, app), nil
		}
		return "", errors.New("%LocalAppData% is not set")
	case "darwin", "ios":
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, "Library", "Application Support", app), nil
		}
	default:
		if dir := getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
			return filepath.Join(dir, app), nil
		}
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, ".local", "share", app), nil
		}
	}
	return "", fmt.Errorf("$HOME is not set")
}
