package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// setting names one setting: its environment variable (empty for the few
// settings only the file can hold) and its dotted key in the config file.
type setting struct {
	env string
	key string
}

// name is how errors refer to the setting: its environment variable, or its
// file key when it has none.
func (s setting) name() string {
	if s.env != "" {
		return s.env
	}
	return s.key
}

// The settings, in the order they are documented.
var (
	setConfig         = setting{"STORYBOT_CONFIG", ""}
	setData           = setting{"STORYBOT_DATA", "data_dir"}
	setAddr           = setting{"STORYBOT_ADDR", "addr"}
	setLogLevel       = setting{"STORYBOT_LOG_LEVEL", "log_level"}
	setShutdown       = setting{"STORYBOT_SHUTDOWN_TIMEOUT", "shutdown_timeout"}
	setThesaurus      = setting{"STORYBOT_THESAURUS", "thesaurus"}
	setRedisURL       = setting{"REDIS_URL", "redis.url"}
	setRedisPrefix    = setting{"STORYBOT_REDIS_PREFIX", "redis.prefix"}
	setRedisTimeout   = setting{"STORYBOT_REDIS_TIMEOUT", "redis.timeout"}
	setBotToken       = setting{"SLACK_BOT_TOKEN", "slack.bot_token"}
	setAppToken       = setting{"SLACK_APP_TOKEN", "slack.app_token"}
	setSigningSecret  = setting{"SLACK_SIGNING_SECRET", "slack.signing_secret"}
	setSlackAPIURL    = setting{"SLACK_API_URL", "slack.api_url"}
	setOpenAIKey      = setting{"OPENAI_API_KEY", "openai.api_key"}
	setOpenAIBaseURL  = setting{"OPENAI_BASE_URL", "openai.base_url"}
	setOpenAIType     = setting{"OPENAI_API_TYPE", "openai.api_type"}
	setOpenAIVersion  = setting{"OPENAI_API_VERSION", "openai.api_version"}
	setChatModel      = setting{"STORYBOT_CHAT_MODEL", "openai.chat_model"}
	setEmbedModel     = setting{"STORYBOT_EMBED_MODEL", "openai.embed_model"}
	setModelTimeout   = setting{"STORYBOT_MODEL_TIMEOUT", "openai.timeout"}
	setMaxTokens      = setting{"STORYBOT_ANSWER_MAX_TOKENS", "openai.answer_max_tokens"}
	setModelRetries   = setting{"STORYBOT_MODEL_RETRIES", "openai.retries"}
	setModelJudge     = setting{"STORYBOT_MODEL_JUDGE", "openai.judge"}
	setDigestChannels = setting{"STORYBOT_DIGEST_CHANNELS", "digest.channels"}
	setDigestTime     = setting{"STORYBOT_DIGEST_TIME", "digest.time"}
	setDigestTZ       = setting{"STORYBOT_DIGEST_TZ", "digest.tz"}
	setDigestEmpty    = setting{"STORYBOT_DIGEST_EMPTY", "digest.empty"}
	setDigestLeads    = setting{"STORYBOT_DIGEST_LEADS", "digest.leads"}
	setDigestMax      = setting{"STORYBOT_DIGEST_MAX_STORIES", "digest.max_stories"}
	setFeeds          = setting{"STORYBOT_FEEDS", "feeds.urls"}
	setFeedInterval   = setting{"STORYBOT_FEED_INTERVAL", "feeds.interval"}
	setAccessChannels = setting{"", "access.channels"}
	setDefaultColls   = setting{"STORYBOT_DEFAULT_COLLECTIONS", "access.default_collections"}
	setAddUsers       = setting{"STORYBOT_ADD_USERS", "access.add_users"}
	setAddChannels    = setting{"STORYBOT_ADD_CHANNELS", "access.add_channels"}
	setUserRate       = setting{"STORYBOT_USER_RATE", "access.user_rate"}
	setMinConfidence  = setting{"STORYBOT_MIN_CONFIDENCE", "answer.min_confidence"}
	setMaxQuestion    = setting{"STORYBOT_MAX_QUESTION", "answer.max_question"}
	fileSettings      = []setting{
		setData, setAddr, setLogLevel, setShutdown, setThesaurus, setMinConfidence, setMaxQuestion,
		setRedisURL, setRedisPrefix, setRedisTimeout,
		setBotToken, setAppToken, setSigningSecret, setSlackAPIURL,
		setOpenAIKey, setOpenAIBaseURL, setOpenAIType, setOpenAIVersion,
		setChatModel, setEmbedModel, setModelTimeout, setMaxTokens, setModelRetries, setModelJudge,
		setDigestChannels, setDigestTime, setDigestTZ, setDigestEmpty, setDigestLeads, setDigestMax,
		setFeeds, setFeedInterval,
		setAccessChannels, setDefaultColls, setAddUsers, setAddChannels, setUserRate,
	}
)

// SettingError is one invalid setting. Load and ValidateServe join one per
// invalid setting, so errors.As finds the first and the message lists all.
type SettingError struct {
	// Setting is the environment variable, or the file key for the settings
	// only the file holds (access.channels).
	Setting string
	// Key and File are set when the value came from the config file.
	Key  string
	File string
	Err  error
}

func (e *SettingError) Error() string {
	switch {
	case e.File != "" && e.Setting != e.Key:
		return fmt.Sprintf("%s (%s in %s): %v", e.Setting, e.Key, e.File, e.Err)
	case e.File != "":
		return fmt.Sprintf("%s in %s: %v", e.Key, e.File, e.Err)
	default:
		return e.Setting + ": " + e.Err.Error()
	}
}

func (e *SettingError) Unwrap() error { return e.Err }

// value is one setting's raw value and where it came from.
type value struct {
	setting
	raw      string   // a single value, trimmed
	list     []string // a list setting's items, trimmed, empty ones dropped
	set      bool     // false: neither the environment nor the file has it
	fromFile bool
}

// source reads settings from the environment, then the config file, and
// collects every problem it is told about.
type source struct {
	getenv func(string) string
	file   string                     // path of the config file, "" for none
	values map[string]json.RawMessage // file values by dotted key
	errs   []error
}

// fail records that v is invalid. The message must not contain a secret.
func (s *source) fail(v value, format string, args ...any) {
	e := &SettingError{Setting: v.name(), Err: fmt.Errorf(format, args...)}
	if v.fromFile {
		e.Key, e.File = v.key, s.file
	}
	s.errs = append(s.errs, e)
}

// str returns a single-valued setting: the environment's value when it is
// not blank, otherwise the file's.
func (s *source) str(st setting) value {
	v := value{setting: st}
	if st.env != "" {
		if raw := strings.TrimSpace(s.getenv(st.env)); raw != "" {
			v.raw, v.set = raw, true
			return v
		}
	}
	raw, ok := s.values[st.key]
	if !ok {
		return v
	}
	v.fromFile = true
	text, isNull, err := jsonScalar(raw)
	switch {
	case err != nil:
		s.fail(v, "%v", err)
	case !isNull:
		v.raw = strings.TrimSpace(text)
		v.set = v.raw != ""
	}
	return v
}

// list returns a list setting. In the environment it is a comma (or space)
// separated list; in the file, a JSON array of strings or such a string. A
// file's empty array counts as set: it means "none".
func (s *source) list(st setting) value {
	v := value{setting: st}
	if st.env != "" {
		if raw := strings.TrimSpace(s.getenv(st.env)); raw != "" {
			v.raw, v.list, v.set = raw, splitList(raw), true
			return v
		}
	}
	raw, ok := s.values[st.key]
	if !ok {
		return v
	}
	v.fromFile = true
	items, isNull, err := jsonList(raw)
	switch {
	case err != nil:
		s.fail(v, "%v", err)
	case !isNull:
		v.list, v.set = items, true
	}
	return v
}

// splitList splits on commas and white space, dropping empty items and
// repeats.
func splitList(s string) []string {
	items := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	return dedup(items)
}

func dedup(items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" && !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	return out
}

// jsonScalar turns a JSON string, number or boolean into its text.
func jsonScalar(raw json.RawMessage) (text string, isNull bool, err error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", true, nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, errors.New("is not a valid JSON string")
		}
		return s, false, nil
	case raw[0] == '[' || raw[0] == '{':
		return "", false, errors.New("want a single value, not a list or object")
	default: // number, true, false
		return string(raw), false, nil
	}
}

// jsonList turns a JSON array of strings, or a comma separated string, into
// a list.
func jsonList(raw json.RawMessage) (items []string, isNull bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, true, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, false, errors.New("is not a valid JSON string")
		}
		return splitList(s), false, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, false, errors.New("want a list of strings")
	}
	return dedup(list), false, nil
}

// readFile reads a JSON config file into values by dotted key. Unknown keys
// are errors, so a misspelt setting is not silently ignored.
func readFile(path string) (map[string]json.RawMessage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	known := map[string]bool{}
	groups := map[string]bool{}
	for _, st := range fileSettings {
		known[st.key] = true
		for i := range len(st.key) {
			if st.key[i] == '.' {
				groups[st.key[:i]] = true
			}
		}
	}
	values := map[string]json.RawMessage{}
	var errs []error
	var walk func(prefix string, raw json.RawMessage) error
	walk = func(prefix string, raw json.RawMessage) error {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return err
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			switch {
			case known[key]:
				values[key] = obj[k]
			case groups[key]:
				if err := walk(key, obj[k]); err != nil {
					errs = append(errs, fmt.Errorf("config file %s: %s: want an object", path, key))
				}
			case strings.HasPrefix(k, "_") || strings.HasPrefix(k, "$"):
				// Comments ("_comment") and schema references are ignored.
			default:
				errs = append(errs, fmt.Errorf("config file %s: unknown setting %q", path, key))
			}
		}
		return nil
	}
	if err := walk("", data); err != nil {
		return nil, fmt.Errorf("config file %s: %s", path, describeJSONError(data, err))
	}
	return values, errors.Join(errs...)
}

// describeJSONError says where the file's JSON is broken. It does not quote
// the file, which may hold secrets.
func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := 1, 1
		for _, c := range data[:min(int(syn.Offset), len(data))] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("invalid JSON at line %d, column %d", line, col)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return "want a JSON object of settings"
	}
	return "invalid JSON"
}

// jsonChannelMap reads access.channels: an object from channel ID to a list
// of collections.
func jsonChannelMap(raw json.RawMessage) (map[string][]string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, errors.New(`want an object from channel ID to collections, e.g. {"C0123ABCDEF": ["published", "embargoed"]}`)
	}
	m := make(map[string][]string, len(obj))
	var errs []error
	for ch, rawList := range obj {
		list, isNull, err := jsonList(rawList)
		if err != nil {
			errs = append(errs, fmt.Errorf("channel %q: %v", ch, err))
			continue
		}
		if isNull {
			list = []string{}
		}
		m[ch] = list
	}
	return m, errors.Join(errs...)
}
