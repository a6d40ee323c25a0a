package redisstore

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ParseURL turns a REDIS_URL into Options (Prefix, Timeout and Logger stay
// zero for the caller to set). Accepted forms:
//
//	redis://[user:password@]host[:port][/db]            one server (rediss:// for TLS)
//	redis://host1:7000,host2:7001                       Redis Cluster (several hosts)
//	redis+cluster://host:7000                           Redis Cluster from one seed
//	redis+sentinel://[user:password@]s1:26379,s2/master[/db]   Sentinel (rediss+sentinel:// for TLS)
//
// Extra hosts may also be given as ?addr=host:port, as go-redis does. Errors
// show the URL with its password redacted.
func ParseURL(raw string) (Options, error) {
	var o Options
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error carries the whole URL, password included.
		return o, fmt.Errorf("redis url: cannot parse (check its form: redis://[user:password@]host:port[/db])")
	}
	bad := func(format string, args ...any) (Options, error) {
		return Options{}, fmt.Errorf("redis url %s: %s", u.Redacted(), fmt.Sprintf(format, args...))
	}
	scheme, mode, _ := strings.Cut(u.Scheme, "+")
	switch scheme {
	case "redis":
	case "rediss":
		o.TLS = true
	default:
		return bad("scheme must be redis or rediss, not %q", u.Scheme)
	}
	defPort := "6379"
	switch mode {
	case "":
	case "cluster":
		o.Cluster = true
	case "sentinel":
		defPort = "26379"
	default:
		return bad("unknown form %q (want +cluster or +sentinel)", mode)
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}
	hosts := strings.Split(u.Host, ",")
	hosts = append(hosts, u.Query()["addr"]...)
	for _, h := range hosts {
		if h == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(h, defPort)
		}
		o.Addrs = append(o.Addrs, h)
	}
	if len(o.Addrs) == 0 {
		return bad("no host")
	}
	if mode == "" && len(o.Addrs) > 1 {
		o.Cluster = true
	}
	parts := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if mode == "sentinel" {
		if len(parts) == 0 {
			return bad("sentinel form needs the master name as its path")
		}
		o.MasterName, parts = parts[0], parts[1:]
	}
	if len(parts) > 1 {
		return bad("unexpected path %q", u.Path)
	}
	if len(parts) == 1 {
		db, err := strconv.Atoi(parts[0])
		if err != nil || db < 0 {
			return bad("database %q is not a number", parts[0])
		}
		if o.Cluster && db != 0 {
			return bad("redis cluster has only database 0")
		}
		o.DB = db
	}
	return o, nil
}
