// Package redisstore keeps storybot's articles in Redis so that several
// storybot replicas share one index: a retrieval.Store whose writes are
// atomic per article, a change stream that replicas follow to keep their
// in-memory index in step (Follow), and small key-value helpers for the
// caches and Slack event dedup of later features.
//
// Key layout (Prefix defaults to "sb"; {…} is a Redis Cluster hash tag):
//
//	sb:a:{<id>}       string  article JSON, "hash" first; one SET writes it whole
//	sb:{sb}:ids       hash    id → article hash: the registry List and Follow read
//	sb:{sb}:ver       string  index version, INCR on every registered change
//	sb:{sb}:changes   stream  op put|del, id, h (hash), v (version); MAXLEN ~ 10000
//	sb:kv:<key>       string  SetNX / SetBytes / GetBytes / Incr values
//
// Every article key hashes on its own id, so articles spread over the
// cluster; the registry, version and stream share the {sb} tag so that one
// script updates all three atomically on one slot. No command touches keys
// of two slots.
package redisstore

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Defaults for Options.
const (
	DefaultPrefix       = "sb"
	DefaultTimeout      = 2 * time.Second
	DefaultStreamMaxLen = 10000
)

// Options say where Redis is and how to talk to it. They are plain values:
// config/ reads REDIS_URL and cmd/ turns it into Options with ParseURL.
type Options struct {
	// Addrs are host:port addresses: one server, the cluster's seed nodes,
	// or the sentinels when MasterName is set.
	Addrs    []string
	Username string
	Password string
	// DB is the database number (single server and sentinel only).
	DB  int
	TLS bool
	// MasterName selects Redis Sentinel: Addrs are then sentinels.
	MasterName string
	// Cluster selects Redis Cluster even with one seed address.
	Cluster bool
	// Prefix starts every key; default "sb". Several storybot deployments
	// (or tests) can share one Redis under different prefixes.
	Prefix string
	// Timeout bounds each Redis round trip; default 2s.
	Timeout time.Duration
	// StreamMaxLen is the approximate length the change stream is trimmed
	// to; a replica that falls further behind reloads. Default 10000.
	StreamMaxLen int64
	// Logger receives the follower's reloads and Redis trouble; nil
	// discards. Article text never goes to the log.
	Logger *slog.Logger
}

// Store is a retrieval.Store in Redis, plus the change feed and cache helpers.
// It is safe for concurrent use.
type Store struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
	maxLen  int64
	secret  string
	addr    string
	log     *slog.Logger

	// Keys under the {prefix} hash tag.
	idsKey, verKey, changesKey string
	// restoreKey is the lease one replica holds while it writes its
	// in-memory articles back to a Redis that lost them.
	restoreKey string
	// Resets counts the times Redis was found to have lost its data, and
	// Restored the articles this process wrote back from memory.
	Resets, Restored atomic.Int64
	// FullLoads counts the times the follower read every article (see
	// FollowFrom): on a start without an index snapshot, and whenever the
	// change stream could not bring the index up to date.
	FullLoads atomic.Int64
	followPos atomic.Pointer[StreamPosition]

	healthy atomic.Bool
	errMu   sync.Mutex
	lastErr error
}

// Open connects to Redis and checks that it answers PING within the
// timeout. The error says which address failed and never carries the
// password.
func Open(ctx context.Context, o Options) (*Store, error) {
	if len(o.Addrs) == 0 {
		return nil, errors.New("redis: no address")
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if strings.ContainsAny(o.Prefix, "{}") {
		return nil, fmt.Errorf("redis: prefix %q must not contain braces", o.Prefix)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.StreamMaxLen <= 0 {
		o.StreamMaxLen = DefaultStreamMaxLen
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	quietOnce.Do(func() { redis.SetLogger(libLogger{log}) })
	uo := &redis.UniversalOptions{
		Addrs:                 o.Addrs,
		Username:              o.Username,
		Password:              o.Password,
		DB:                    o.DB,
		MasterName:            o.MasterName,
		IsClusterMode:         o.Cluster,
		ClientName:            "storybot",
		DialTimeout:           o.Timeout,
		ReadTimeout:           o.Timeout,
		WriteTimeout:          o.Timeout,
		PoolTimeout:           o.Timeout,
		ContextTimeoutEnabled: true,
		MaxRetries:            2,
		// One dial per attempt: a refused connection is reported as such,
		// instead of being retried until the deadline hides the cause.
		DialerRetries:      1,
		DialerRetryTimeout: 50 * time.Millisecond,
		// Redis before 7.2 does not know CLIENT MAINT_NOTIFICATIONS.
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	}
	if o.TLS {
		uo.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	s := &Store{
		rdb:        redis.NewUniversalClient(uo),
		prefix:     o.Prefix,
		timeout:    o.Timeout,
		maxLen:     o.StreamMaxLen,
		secret:     o.Password,
		addr:       strings.Join(o.Addrs, ","),
		log:        log,
		idsKey:     o.Prefix + ":{" + o.Prefix + "}:ids",
		verKey:     o.Prefix + ":{" + o.Prefix + "}:ver",
		changesKey: o.Prefix + ":{" + o.Prefix + "}:changes",
		restoreKey: o.Prefix + ":{" + o.Prefix + "}:restore",
	}
	c, cancel := s.call(ctx)
	defer cancel()
	if err := s.rdb.Ping(c).Err(); err != nil {
		s.rdb.Close()
		return nil, s.wrap("redis open "+s.addr, err)
	}
	return s, nil
}

// quietOnce routes go-redis's own log lines (one per failed dial during an
// outage) to the first Store's logger at debug level instead of stderr.
var quietOnce sync.Once

type libLogger struct{ l *slog.Logger }

func (g libLogger) Printf(ctx context.Context, format string, v ...any) {
	g.l.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// Close closes the connections.
func (s *Store) Close() error { return s.rdb.Close() }

// articleKey is the key of one article: its own slot, tagged by its id.
func (s *Store) articleKey(id string) string { return s.prefix + ":a:{" + id + "}" }

// kvKey namespaces a helper key.
func (s *Store) kvKey(key string) string { return s.prefix + ":kv:" + key }

// call gives one Redis round trip its deadline.
func (s *Store) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// OpError is a failed Redis operation: what storybot was doing, the cause,
// and a hint for the common kinds of Redis trouble. Its text never holds the
// password.
type OpError struct {
	Op     string
	Err    error
	Hint   string
	secret string
}

func (e *OpError) Error() string {
	msg := e.Op + ": " + e.Err.Error()
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	if len(e.secret) >= 3 {
		msg = strings.ReplaceAll(msg, e.secret, "[redacted]")
	}
	return msg
}

func (e *OpError) Unwrap() error { return e.Err }

// wrap names the operation and adds a hint; nil stays nil.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Err: err, Hint: s.hint(err), secret: s.secret}
}

func (s *Store) hint(err error) string {
	msg := err.Error()
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return ""
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer from redis within %s", s.timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "is redis running and reachable?"
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, redis.ErrClosed):
		return "connection to redis lost"
	case strings.HasPrefix(msg, "LOADING"):
		return "redis is still loading its data after a restart; retry shortly"
	case strings.HasPrefix(msg, "READONLY"):
		return "connected to a read-only replica; a failover may be under way"
	case strings.HasPrefix(msg, "MASTERDOWN"), strings.HasPrefix(msg, "CLUSTERDOWN"), strings.HasPrefix(msg, "TRYAGAIN"):
		return "redis failover or cluster reconfiguration in progress; retry shortly"
	case strings.HasPrefix(msg, "NOAUTH"), strings.HasPrefix(msg, "WRONGPASS"):
		return "check the redis username and password"
	case strings.HasPrefix(msg, "OOM"):
		return "redis is out of memory (maxmemory)"
	}
	return ""
}

func (s *Store) setHealth(ok bool, err error) {
	s.healthy.Store(ok)
	s.errMu.Lock()
	if err != nil || ok {
		s.lastErr = err
	}
	s.errMu.Unlock()
}

// Healthy reports whether Follow has loaded the index and its last round
// trip to Redis succeeded. When it is false an index fed by Follow may be
// stale: answer from it, but say so.
func (s *Store) Healthy() bool { return s.healthy.Load() }

// LastError is the error that made Healthy false, or nil.
func (s *Store) LastError() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.lastErr
}

// Durability returns what in the Redis configuration can lose articles:
// no persistence (neither the append-only file nor snapshots) and an
// eviction policy other than noeviction. A server that refuses CONFIG GET
// (managed services often do) yields nothing: it cannot be told.
func (s *Store) Durability(ctx context.Context) []string {
	get := func(name string) (string, bool) {
		c, cancel := s.call(ctx)
		defer cancel()
		m, err := s.rdb.ConfigGet(c, name).Result()
		if err != nil {
			return "", false
		}
		v, ok := m[name]
		return v, ok
	}
	var out []string
	aof, okA := get("appendonly")
	save, okS := get("save")
	if okA && okS && aof != "yes" && strings.TrimSpace(save) == "" {
		out = append(out, "persistence is off (appendonly no, save \"\"): a restart loses every article; set appendonly yes")
	}
	if policy, ok := get("maxmemory-policy"); ok && policy != "noeviction" {
		out = append(out, fmt.Sprintf("maxmemory-policy is %s: Redis may evict articles under memory pressure; set noeviction", policy))
	}
	return out
}
