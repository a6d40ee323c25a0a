package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Redis is where the shared index lives, parsed from REDIS_URL. Its fields map
// one to one onto go-redis's UniversalOptions (Addrs, Username, Password,
// SentinelUsername, SentinelPassword, DB, MasterName, IsClusterMode; TLS means
// a non-nil TLSConfig), so the Redis adapter needs no parsing of its own. The
// zero value means "no Redis": the embedded store is used.
type Redis struct {
	// Addrs are host:port pairs: the server, the cluster's seed nodes, or the
	// sentinels.
	Addrs    []string
	Username string
	Password Secret
	// SentinelUsername and SentinelPassword authenticate to the sentinels
	// themselves, when they need it (redis+sentinel://…?sentinel_password=…).
	SentinelUsername string
	SentinelPassword Secret
	DB               int
	// TLS is set by the rediss schemes.
	TLS bool
	// MasterName selects Sentinel mode.
	MasterName string
	// Cluster selects Redis Cluster mode.
	Cluster bool

	// Prefix starts every key storybot writes (STORYBOT_REDIS_PREFIX), so
	// several deployments can share one Redis.
	Prefix string
	// Timeout bounds each Redis call (STORYBOT_REDIS_TIMEOUT).
	Timeout time.Duration
}

// Enabled reports whether REDIS_URL was set.
func (r Redis) Enabled() bool { return len(r.Addrs) > 0 }

// Mode is "standalone", "cluster" or "sentinel"; "" when Redis is off.
func (r Redis) Mode() string {
	switch {
	case !r.Enabled():
		return ""
	case r.Cluster:
		return "cluster"
	case r.MasterName != "":
		return "sentinel"
	default:
		return "standalone"
	}
}

// String returns the connection as a URL with any password redacted, for logs.
func (r Redis) String() string {
	if !r.Enabled() {
		return ""
	}
	scheme := "redis"
	if r.TLS {
		scheme = "rediss"
	}
	switch r.Mode() {
	case "cluster":
		scheme += "+cluster"
	case "sentinel":
		scheme += "+sentinel"
	}
	var b strings.Builder
	b.WriteString(scheme + "://")
	if r.Username != "" || r.Password != "" {
		b.WriteString(url.PathEscape(r.Username))
		if r.Password != "" {
			b.WriteString(":" + redacted)
		}
		b.WriteString("@")
	}
	b.WriteString(strings.Join(r.Addrs, ","))
	if r.MasterName != "" {
		b.WriteString("/" + url.PathEscape(r.MasterName))
	}
	if r.DB != 0 {
		b.WriteString("/" + strconv.Itoa(r.DB))
	}
	return b.String()
}

var optionNameRe = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)

const (
	redisPort    = "6379"
	sentinelPort = "26379"
)

// errRedisForm is the shape a REDIS_URL should take, shown when it has none.
var errRedisForm = errors.New("not a Redis URL (want redis://[user:password@]host[:port][/db], " +
	"rediss:// for TLS, redis+cluster://host:port,host:port or " +
	"redis+sentinel://[:password@]host:port,host:port/mastername[/db])")

// ParseRedisURL parses a REDIS_URL. It accepts
//
//	redis://[user[:password]@]host[:port][/db]         one server
//	rediss://…                                          the same over TLS
//	redis+cluster://[user[:password]@]h1:p1,h2:p2       Redis Cluster
//	redis://h1:p1?addr=h2:p2&addr=h3:p3                 Redis Cluster (go-redis's form)
//	redis://h1:p1,h2:p2  or  h1:p1,h2:p2                Redis Cluster
//	redis+sentinel://[user[:password]@]h1:p1,h2:p2/mastername[/db]
//	                 [?sentinel_username=…&sentinel_password=…]
//
// plus rediss+cluster and rediss+sentinel. Ports default to 6379 (26379 for
// sentinels). Parts of the user info may be percent-encoded. Errors never
// contain the password or the URL itself.
func ParseRedisURL(raw string) (Redis, error) {
	var r Redis
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return r, nil
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		// A bare address list: one server, or a cluster's seed nodes.
		scheme, rest = "redis", raw
	}
	switch strings.ToLower(scheme) {
	case "redis":
	case "rediss":
		r.TLS = true
	case "redis+cluster":
		r.Cluster = true
	case "rediss+cluster":
		r.Cluster, r.TLS = true, true
	case "redis+sentinel":
		r.MasterName = "?" // marked; the path supplies the real name
	case "rediss+sentinel":
		r.MasterName, r.TLS = "?", true
	case "unix":
		return Redis{}, errors.New("unix sockets are not supported (want redis://host:port)")
	default:
		return Redis{}, errRedisForm
	}
	sentinel := r.MasterName != ""
	r.MasterName = ""

	if i := strings.IndexByte(rest, '#'); i >= 0 {
		return Redis{}, errors.New("must not contain a fragment (#); percent-encode # in a password as %23")
	}
	rest, rawQuery, _ := strings.Cut(rest, "?")
	authority, path, _ := strings.Cut(rest, "/")
	if !strings.Contains(authority, "@") && strings.Contains(path+"?"+rawQuery, "@") {
		return Redis{}, errors.New("has an @ after the host; percent-encode /, ?, # and @ in a user name or password (%2F, %3F, %23, %40)")
	}

	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo := authority[:i]
		authority = authority[i+1:]
		user, pass, hasPass := strings.Cut(userinfo, ":")
		u, err1 := url.PathUnescape(user)
		p, err2 := url.PathUnescape(pass)
		if err1 != nil || err2 != nil {
			return Redis{}, errors.New("user or password has an invalid %-escape")
		}
		r.Username = u
		if hasPass {
			r.Password = Secret(p)
		}
	}

	defPort := redisPort
	if sentinel {
		defPort = sentinelPort
	}
	if authority == "" {
		return Redis{}, errors.New("has no host (want redis://host:port)")
	}
	for i, h := range strings.Split(authority, ",") {
		addr, err := hostPort(h, defPort, i+1)
		if err != nil {
			return Redis{}, err
		}
		r.Addrs = append(r.Addrs, addr)
	}

	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Redis{}, errors.New("has a malformed query string")
	}
	for key, vals := range query {
		switch key {
		case "addr":
			for i, v := range vals {
				addr, err := hostPort(v, defPort, len(r.Addrs)+i+1)
				if err != nil {
					return Redis{}, err
				}
				r.Addrs = append(r.Addrs, addr)
			}
			if !sentinel {
				r.Cluster = true
			}
		case "sentinel_username":
			if !sentinel {
				return Redis{}, errors.New("sentinel_username is only for redis+sentinel://")
			}
			r.SentinelUsername = vals[len(vals)-1]
		case "sentinel_password":
			if !sentinel {
				return Redis{}, errors.New("sentinel_password is only for redis+sentinel://")
			}
			r.SentinelPassword = Secret(vals[len(vals)-1])
		default:
			// Name the option only when it is plainly an option name typed as
			// such, never text that might be a misplaced password.
			if optionNameRe.MatchString(key) && strings.Contains(rawQuery, key) {
				return Redis{}, fmt.Errorf("unknown option %q (known: addr, sentinel_username, sentinel_password)", key)
			}
			return Redis{}, errors.New("has an unknown option (known: addr, sentinel_username, sentinel_password)")
		}
	}
	if len(r.Addrs) > 1 && !sentinel {
		r.Cluster = true
	}

	segs := []string{}
	if path != "" {
		segs = strings.Split(path, "/")
	}
	if sentinel {
		if len(segs) == 0 || segs[0] == "" {
			return Redis{}, errors.New("sentinel form needs a master name (want redis+sentinel://host:port/mastername[/db])")
		}
		name, err := url.PathUnescape(segs[0])
		if err != nil {
			return Redis{}, errors.New("master name has an invalid %-escape")
		}
		r.MasterName = name
		segs = segs[1:]
	}
	switch {
	case len(segs) > 1:
		return Redis{}, errors.New("has too many path parts (want /db, or /mastername/db for sentinel)")
	case len(segs) == 1 && segs[0] != "":
		db, err := strconv.Atoi(segs[0])
		if err != nil || db < 0 {
			return Redis{}, errors.New("database (the /db part) is not a number >= 0")
		}
		r.DB = db
	}
	if r.Cluster && r.DB != 0 {
		return Redis{}, errors.New("Redis Cluster has only database 0")
	}
	return r, nil
}

// hostPort validates the n-th host[:port] and adds the default port. Its
// errors name the address by position, never by value: a malformed URL can put
// part of a password where the host should be.
func hostPort(h, defPort string, n int) (string, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return "", fmt.Errorf("address %d is empty", n)
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		// No port, or a bare IPv6 address in brackets.
		host, port = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), defPort
	}
	if host == "" || strings.ContainsAny(host, " /@[]%") || (strings.Contains(host, ":") && net.ParseIP(host) == nil) {
		return "", fmt.Errorf("address %d is not a valid host name or IP address", n)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return "", fmt.Errorf("address %d has an invalid port (want 1-65535)", n)
	}
	return net.JoinHostPort(host, port), nil
}
