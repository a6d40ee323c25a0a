// Package slacktest is a local stand-in for Slack, for tests of the bot
// through the real slack-go client: the Web API methods storybot calls
// (recording every call), response_url endpoints, 429s and failures on
// demand, and a Socket Mode websocket that sends envelopes and records
// acknowledgements. It also signs requests as Slack does.
package slacktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Bot identity returned by auth.test.
const (
	BotUserID = "UBOT"
	BotID     = "BBOT"
)

// Call is one request the server received.
type Call struct {
	// Method is the Web API method ("chat.postMessage") or "respond" for a
	// response_url post.
	Method string
	// Path is the request path; for "respond", it ends in the name given
	// to ResponseURL.
	Path string
	Form url.Values
	// JSON is the body of a JSON request (response_url posts).
	JSON map[string]any
	At   time.Time
}

// Blocks returns the blocks of a posted message as raw JSON.
func (c Call) Blocks() string {
	if b := c.Form.Get("blocks"); b != "" {
		return b
	}
	if c.JSON != nil && c.JSON["blocks"] != nil {
		raw, _ := json.Marshal(c.JSON["blocks"])
		return string(raw)
	}
	return ""
}

// Text returns every text of a posted message — the fallback text and the
// text of each block, element and field — joined by newlines.
func (c Call) Text() string {
	var parts []string
	if t := c.Form.Get("text"); t != "" {
		parts = append(parts, t)
	}
	if c.JSON != nil {
		if t, ok := c.JSON["text"].(string); ok {
			parts = append(parts, t)
		}
	}
	var blocks any
	_ = json.Unmarshal([]byte(c.Blocks()), &blocks)
	collectText(blocks, &parts)
	return strings.Join(parts, "\n")
}

func collectText(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		if t, ok := x["text"].(string); ok {
			*out = append(*out, t)
		}
		for k, y := range x {
			if _, isStr := y.(string); k == "text" && isStr {
				continue
			}
			collectText(y, out)
		}
	case []any:
		for _, y := range x {
			collectText(y, out)
		}
	}
}

// Param returns a form or JSON field of the call as a string.
func (c Call) Param(name string) string {
	if v := c.Form.Get(name); v != "" {
		return v
	}
	if c.JSON != nil && c.JSON[name] != nil {
		return fmt.Sprint(c.JSON[name])
	}
	return ""
}

// Message is a message of a thread, for conversations.replies.
type Message struct {
	User    string `json:"user,omitempty"`
	BotID   string `json:"bot_id,omitempty"`
	SubType string `json:"subtype,omitempty"`
	Text    string `json:"text"`
	TS      string `json:"ts"`
}

// Ack is a Socket Mode acknowledgement the bot sent.
type Ack struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
	At         time.Time       `json:"-"`
}

type failure struct {
	n          int
	status     int // 429, or 0 for a dropped connection
	retryAfter int
}

// Server is a fake Slack.
type Server struct {
	URL string
	srv *httptest.Server

	mu       sync.Mutex
	changed  *sync.Cond
	calls    []Call
	failures map[string]*failure
	threads  map[string][]Message
	authErr  string
	appErr   string
	nextTS   int

	upgrader websocket.Upgrader
	wsMu     sync.Mutex
	conn     *websocket.Conn
	acks     []Ack
}

// New starts a fake Slack, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{failures: map[string]*failure{}, threads: map[string][]Message{}, nextTS: 1}
	// slack-go dials with Origin https://api.slack.com.
	s.upgrader.CheckOrigin = func(*http.Request) bool { return true }
	s.changed = sync.NewCond(&s.mu)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(func() {
		s.wsMu.Lock()
		if s.conn != nil {
			s.conn.Close()
		}
		s.wsMu.Unlock()
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
	return s
}

// APIURL is the Web API base URL, for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.URL + "/api/" }

// ResponseURL is a response_url whose posts are recorded as "respond" calls
// with a Path ending in name.
func (s *Server) ResponseURL(name string) string { return s.URL + "/respond/" + name }

// SetAuthError makes auth.test fail with a Slack error code ("invalid_auth").
func (s *Server) SetAuthError(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authErr = code
}

// SetAppAuthError makes apps.connections.open fail with a Slack error code.
func (s *Server) SetAppAuthError(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appErr = code
}

// RateLimit makes the next n calls of method answer 429 with Retry-After.
func (s *Server) RateLimit(method string, n, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = &failure{n: n, status: http.StatusTooManyRequests, retryAfter: retryAfter}
}

// DropConnection makes the next n calls of method fail by closing the
// connection after the request was read (the post may or may not have
// happened, as far as the client can tell).
func (s *Server) DropConnection(method string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = &failure{n: n}
}

// SetThread sets the messages conversations.replies returns for a thread.
func (s *Server) SetThread(channel, threadTS string, msgs ...Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.threads[channel+"/"+threadTS] = msgs
}

// Calls returns the calls of method so far ("" for all).
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Wait waits until at least n calls of method arrived, failing the test
// after timeout.
func (s *Server) Wait(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	var cs []Call
	if !s.waitFor(timeout, func() bool { cs = s.callsLocked(method); return len(cs) >= n }) {
		t.Fatalf("slacktest: waited %s for %d %s calls, got %d", timeout, n, method, len(cs))
	}
	return cs
}

// waitFor waits, holding s.mu between checks, until cond holds or timeout
// passes, and reports whether it held.
func (s *Server) waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.changed.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		s.changed.Wait()
	}
	return true
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.changed.Broadcast()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/ws" {
		s.serveWS(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	c := Call{Path: r.URL.Path, At: time.Now()}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		c.Method = strings.TrimPrefix(r.URL.Path, "/api/")
	case strings.HasPrefix(r.URL.Path, "/respond/"):
		c.Method = "respond"
	default:
		http.NotFound(w, r)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
		c.Form = url.Values{}
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	s.record(c)

	s.mu.Lock()
	f := s.failures[c.Method]
	if f != nil && f.n > 0 {
		f.n--
		s.mu.Unlock()
		if f.status == 0 {
			if hj, ok := w.(http.Hijacker); ok {
				conn, _, _ := hj.Hijack()
				conn.Close()
				return
			}
		}
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
		w.WriteHeader(f.status)
		return
	}
	authErr, appErr := s.authErr, s.appErr
	s.mu.Unlock()

	switch c.Method {
	case "respond":
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "ok")
	case "auth.test":
		if authErr != "" {
			writeJSON(w, map[string]any{"ok": false, "error": authErr})
			return
		}
		writeJSON(w, map[string]any{"ok": true, "url": "https://newsroom.slack.com/", "team": "Newsroom",
			"user": "storybot", "team_id": "T1", "user_id": BotUserID, "bot_id": BotID})
	case "chat.postMessage":
		s.mu.Lock()
		ts := fmt.Sprintf("1700000%03d.000100", s.nextTS)
		s.nextTS++
		s.mu.Unlock()
		writeJSON(w, map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": ts})
	case "reactions.add", "reactions.remove":
		writeJSON(w, map[string]any{"ok": true})
	case "conversations.replies":
		s.mu.Lock()
		msgs := s.threads[c.Form.Get("channel")+"/"+c.Form.Get("ts")]
		s.mu.Unlock()
		if msgs == nil {
			msgs = []Message{}
		}
		writeJSON(w, map[string]any{"ok": true, "messages": msgs, "has_more": false})
	case "apps.connections.open":
		if appErr != "" {
			writeJSON(w, map[string]any{"ok": false, "error": appErr})
			return
		}
		writeJSON(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"})
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.wsMu.Lock()
	if s.conn != nil {
		s.conn.Close()
	}
	s.conn = conn
	err = conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A1"}})
	s.wsMu.Unlock()
	if err != nil {
		return
	}
	done := make(chan struct{})
	defer close(done)
	go func() { // Slack pings; the client treats a silent server as dead.
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				s.wsMu.Lock()
				err := conn.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
				s.wsMu.Unlock()
				if err != nil {
					return
				}
			}
		}
	}()
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var a Ack
		if json.Unmarshal(data, &a) == nil && a.EnvelopeID != "" {
			a.At = time.Now()
			s.mu.Lock()
			s.acks = append(s.acks, a)
			s.changed.Broadcast()
			s.mu.Unlock()
		}
	}
}

// Connected reports whether a Socket Mode client is connected.
func (s *Server) Connected() bool {
	s.wsMu.Lock()
	defer s.wsMu.Unlock()
	return s.conn != nil
}

// Send sends a Socket Mode envelope to the connected client.
func (s *Server) Send(t testing.TB, envelope any) {
	t.Helper()
	s.wsMu.Lock()
	defer s.wsMu.Unlock()
	if s.conn == nil {
		t.Fatal("slacktest: no Socket Mode client connected")
	}
	if err := s.conn.WriteJSON(envelope); err != nil {
		t.Fatalf("slacktest: send envelope: %v", err)
	}
}

// WaitAck waits for the acknowledgement of an envelope.
func (s *Server) WaitAck(t testing.TB, envelopeID string, timeout time.Duration) Ack {
	t.Helper()
	var ack Ack
	found := s.waitFor(timeout, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == envelopeID {
				ack = a
				return true
			}
		}
		return false
	})
	if !found {
		t.Fatalf("slacktest: no ack for envelope %s within %s", envelopeID, timeout)
	}
	return ack
}

// Sign sets Slack's signature headers on r for body, signed with secret at
// time at.
func Sign(r *http.Request, secret string, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", ts)
	mac.Write(body)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}
