// Package redistest starts private redis-server processes for tests: a single
// server (optionally with an append-only file, so data survives a kill and
// restart) or a small Redis Cluster. Nothing here touches a Redis it did not
// start, except the one named by REDIS_URL, and then only under a key prefix
// unique to the test.
package redistest

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startWait bounds how long a server may take to answer PING after start.
const startWait = 15 * time.Second

// Options tune a private server.
type Options struct {
	// AppendOnly turns on the append-only file so that data written before
	// a kill is there again after Restart.
	AppendOnly bool
	// Private starts a server of our own even when REDIS_URL is set; tests
	// that stop, restart or measure the server need one.
	Private bool
	// Args are extra redis-server arguments, e.g. "--requirepass", "x".
	Args []string
}

// Server is a running (or stopped) redis-server started by the test, or the
// shared server named by REDIS_URL.
type Server struct {
	// URL is a redis:// URL for the server.
	URL string
	// Addr is host:port.
	Addr string
	// Shared reports that the server is the one named by REDIS_URL: it
	// cannot be stopped, and tests must keep to their Prefix.
	Shared bool

	t    testing.TB
	dir  string
	port int
	args []string

	mu     sync.Mutex
	proc   *os.Process
	exited chan struct{}
}

// Start returns the URL of a Redis for this test, a function that kills the
// server and one that starts it again on the same port and folder. With
// REDIS_URL set it returns that URL; stop and restart then skip the test.
// Keys must be kept under Prefix(t) so nothing shared is touched.
func Start(t testing.TB) (url string, stop func(), restart func()) {
	t.Helper()
	s := StartServer(t, Options{})
	return s.URL, s.Stop, s.Restart
}

// StartServer starts redis-server with opts, or returns the REDIS_URL server
// when it is set and opts.Private is not. The server is killed when the test
// ends. It skips the test when redis-server is not on PATH and REDIS_URL
// cannot be used.
func StartServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" && !opts.Private && len(opts.Args) == 0 && !opts.AppendOnly {
		return &Server{URL: u, Addr: hostOf(u), Shared: true, t: t}
	}
	requireBinary(t, "redis-server")
	dir := t.TempDir()
	port := freePort(t, false)
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--dir", dir,
		"--logfile", filepath.Join(dir, "redis.log"),
		"--daemonize", "no",
	}
	if opts.AppendOnly {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	} else {
		args = append(args, "--appendonly", "no")
	}
	args = append(args, opts.Args...)
	s := &Server{
		URL:  fmt.Sprintf("redis://127.0.0.1:%d", port),
		Addr: fmt.Sprintf("127.0.0.1:%d", port),
		t:    t,
		dir:  dir,
		port: port,
		args: args,
	}
	s.start()
	t.Cleanup(s.kill)
	return s
}

// Stop kills the server at once (SIGKILL), as a crash would.
func (s *Server) Stop() {
	s.t.Helper()
	if s.Shared {
		s.t.Skip("redistest: cannot stop the shared REDIS_URL server")
	}
	s.kill()
}

// Restart starts a stopped server again on the same port and folder and
// waits until it answers PING (after loading its append-only file).
func (s *Server) Restart() {
	s.t.Helper()
	if s.Shared {
		s.t.Skip("redistest: cannot restart the shared REDIS_URL server")
	}
	s.kill()
	s.start()
}

func (s *Server) start() {
	s.t.Helper()
	cmd := exec.Command("redis-server", s.args...)
	cmd.Dir = s.dir
	setPdeathsig(cmd)
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("redistest: start redis-server: %v", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.proc, s.exited = cmd.Process, exited
	s.mu.Unlock()
	if err := waitReady(s.Addr, exited, &waitErr); err != nil {
		s.kill()
		s.t.Fatalf("redistest: redis-server on %s: %v\n%s", s.Addr, err, tail(filepath.Join(s.dir, "redis.log")))
	}
}

// kill sends SIGKILL and waits until the process has exited.
func (s *Server) kill() {
	s.mu.Lock()
	proc, exited := s.proc, s.exited
	s.proc, s.exited = nil, nil
	s.mu.Unlock()
	if proc == nil {
		return
	}
	_ = proc.Kill()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
	}
}

// Prefix returns a key prefix unique to this test run, for stores that
// share a server.
func Prefix(t testing.TB) string {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-")
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return "sbtest-" + strings.Trim(name, "-") + "-" + hex.EncodeToString(b[:])
}

// StartCluster starts n redis-server masters (n >= 3) in cluster mode on free
// ports, creates the cluster with redis-cli --cluster create, waits until
// every node reports cluster_state:ok and returns their host:port addresses.
// The servers are killed when the test ends.
func StartCluster(t testing.TB, n int) []string {
	t.Helper()
	if n < 3 {
		n = 3
	}
	requireBinary(t, "redis-server")
	requireBinary(t, "redis-cli")
	addrs := make([]string, n)
	for i := range n {
		dir := t.TempDir()
		port := freePort(t, true)
		s := &Server{
			Addr: fmt.Sprintf("127.0.0.1:%d", port),
			t:    t,
			dir:  dir,
			port: port,
			args: []string{
				"--port", strconv.Itoa(port),
				"--bind", "127.0.0.1",
				"--save", "",
				"--appendonly", "no",
				"--dir", dir,
				"--logfile", filepath.Join(dir, "redis.log"),
				"--cluster-enabled", "yes",
				"--cluster-config-file", filepath.Join(dir, "nodes.conf"),
				"--cluster-node-timeout", "2000",
			},
		}
		s.URL = "redis://" + s.Addr
		s.start()
		t.Cleanup(s.kill)
		addrs[i] = s.Addr
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	out, err := exec.Command("redis-cli", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(startWait)
	for _, a := range addrs {
		for {
			info, err := command(a, "CLUSTER INFO")
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("redistest: cluster node %s not ok: %v %s", a, err, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return addrs
}

func requireBinary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("redistest: %s not on PATH (and REDIS_URL unset or unusable here): %v", name, err)
	}
	return p
}

var (
	portMu   sync.Mutex
	usedPort = map[int]bool{}
)

// freePort finds a port that is free now and was not handed out before in
// this process; for cluster nodes the bus port (port+10000) must be free too.
func freePort(t testing.TB, cluster bool) int {
	t.Helper()
	portMu.Lock()
	defer portMu.Unlock()
	for range 200 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("redistest: free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if usedPort[port] {
			continue
		}
		if cluster {
			if port+10000 > 65535 {
				continue
			}
			lb, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
			if err != nil {
				continue
			}
			lb.Close()
		}
		usedPort[port] = true
		return port
	}
	t.Fatal("redistest: no free port")
	return 0
}

// waitReady polls PING until the server answers PONG (not LOADING).
func waitReady(addr string, exited <-chan struct{}, waitErr *error) error {
	deadline := time.Now().Add(startWait)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("exited: %v", *waitErr)
		default:
		}
		r, err := command(addr, "PING")
		if err == nil && r == "PONG" || err != nil && strings.HasPrefix(err.Error(), "NOAUTH") {
			return nil
		}
		if err == nil {
			err = errors.New(r)
		}
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no PONG within %s: %v", startWait, last)
}

// command sends one inline command and returns a simple, error or bulk
// reply as text. It is enough for PING and CLUSTER INFO.
func command(addr, cmd string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(cmd + "\r\n")); err != nil {
		return "", err
	}
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("empty reply")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return "", errors.New(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return "", fmt.Errorf("bad bulk reply %q", line)
		}
		buf := make([]byte, n+2)
		if _, err := ioReadFull(r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	}
	return line, nil
}

func ioReadFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func hostOf(u string) string {
	s := u
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[:i]
	}
	return s
}

func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
