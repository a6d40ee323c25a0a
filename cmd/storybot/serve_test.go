package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/storybot/storybot/internal/redistest"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/slacktest"
)

// storybot runs the CLI with exactly the given environment.
func storybot(ctx context.Context, t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "HOME" {
			if v, ok := env[k]; ok {
				return v
			}
			return t.TempDir()
		}
		return env[k]
	}
	err := run(ctx, args, &out, &errb, getenv)
	if err != nil {
		code = 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeSettings(t *testing.T) {
	fake := slacktest.New(t)
	base := map[string]string{"STORYBOT_DATA": t.TempDir(), "SLACK_API_URL": fake.APIURL()}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	t.Run("no bot token", func(t *testing.T) {
		_, errs, code := storybot(context.Background(), t, with("SLACK_SIGNING_SECRET", "s"), "serve")
		if code != 2 || !strings.Contains(errs, "SLACK_BOT_TOKEN") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("http mode without signing secret", func(t *testing.T) {
		_, errs, code := storybot(context.Background(), t, with("SLACK_BOT_TOKEN", "xoxb-1"), "serve")
		if code != 2 || !strings.Contains(errs, "SLACK_SIGNING_SECRET") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("rejected token", func(t *testing.T) {
		fake.SetAuthError("invalid_auth")
		defer fake.SetAuthError("")
		_, errs, code := storybot(context.Background(), t,
			with("SLACK_BOT_TOKEN", "xoxb-very-secret-value", "SLACK_SIGNING_SECRET", "s", "STORYBOT_ADDR", freeAddr(t)), "serve")
		if code == 0 || !strings.Contains(errs, "SLACK_BOT_TOKEN") || !strings.Contains(errs, "invalid_auth") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if strings.Contains(errs, "very-secret") {
			t.Fatalf("token in the error: %s", errs)
		}
	})
}

// serve answers a signed mention from the ingested store, then stops
// cleanly when its context ends (SIGTERM in main).
func TestServeHTTPModeEndToEnd(t *testing.T) {
	fake := slacktest.New(t)
	data := t.TempDir()
	env := map[string]string{"STORYBOT_DATA": data}
	if _, errs, code := storybot(context.Background(), t, env, "ingest", "../../testdata/seeds"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	addr := freeAddr(t)
	env = map[string]string{"STORYBOT_DATA": data, "SLACK_API_URL": fake.APIURL(), "SLACK_BOT_TOKEN": "xoxb-1",
		"SLACK_SIGNING_SECRET": "sekrit", "STORYBOT_ADDR": addr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		errs string
		code int
	}
	done := make(chan result, 1)
	go func() {
		_, errs, code := storybot(ctx, t, env, "serve")
		done <- result{errs, code}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready (%v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	body := []byte(`{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","channel":"C1","user":"U1","text":"<@UBOT> Who was the campaign's CISO?","ts":"1700000000.000001"}}`)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/events", bytes.NewReader(body))
	slacktest.Sign(req, "sekrit", body, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("event: %v %v", resp, err)
	}
	resp.Body.Close()
	post := fake.Wait(t, "chat.postMessage", 1, 10*time.Second)[0]
	if !strings.Contains(post.Text(), "[1]") {
		t.Errorf("answer: %s", post.Text())
	}
	// /story sources reaches the index through handlers.Sources.
	form := url.Values{"command": {"/story"}, "text": {"sources"}, "channel_id": {"C1"}, "user_id": {"U1"}, "response_url": {fake.ResponseURL("s")}}
	fb := []byte(form.Encode())
	req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", bytes.NewReader(fb))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slacktest.Sign(req, "sekrit", fb, time.Now())
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("slash: %v %v", resp, err)
	}
	if r := fake.Wait(t, "respond", 1, 10*time.Second)[0]; !strings.Contains(r.Text(), "•") {
		t.Errorf("sources: %s", r.Text())
	}
	// `storybot health` asks the running serve; /metrics names the build.
	if out, errs, code := storybot(context.Background(), t, env, "health"); code != 0 || !strings.Contains(out, "alive") {
		t.Errorf("health: exit %d %s%s", code, out, errs)
	}
	if resp, err := http.Get("http://" + addr + "/metrics"); err != nil {
		t.Errorf("metrics: %v", err)
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !regexp.MustCompile(`storybot_build_info\{commit="[^"]*",go_version="go[^"]+",version="dev"\} 1`).Match(b) {
			t.Errorf("metrics lack storybot_build_info:\n%s", b)
		}
	}
	cancel()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Fatalf("serve exit %d: %s", r.code, r.errs)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// While the index loads, the process is alive but not ready.
func TestStartingHandler(t *testing.T) {
	var sw switchHandler
	sw.set(startingHandler())
	srv := httptest.NewServer(&sw)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz while loading: %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "loading") {
		t.Errorf("/readyz while loading: %d %q", code, body)
	}
	sw.set(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "bot") }))
	if _, body := get("/readyz"); body != "bot" {
		t.Errorf("after the switch: %q", body)
	}
}

// With Redis gone, a serving replica stays ready (it answers from memory)
// and says the store is degraded; /healthz stays ok.
func TestReadyWhileRedisIsDown(t *testing.T) {
	rsrv := redistest.StartServer(t, redistest.Options{AppendOnly: true, Private: true})
	fake := slacktest.New(t)
	addr := freeAddr(t)
	env := map[string]string{"STORYBOT_DATA": t.TempDir(), "REDIS_URL": rsrv.URL, "STORYBOT_REDIS_TIMEOUT": "300ms",
		"SLACK_API_URL": fake.APIURL(), "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sekrit", "STORYBOT_ADDR": addr}
	if _, errs, code := storybot(context.Background(), t, env, "ingest", "../../testdata/seeds"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { storybot(ctx, t, env, "serve"); close(done) }()
	defer func() { cancel(); <-done }()
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor(t, func() bool { code, _ := get("/readyz"); return code == 200 })
	rsrv.Stop()
	waitFor(t, func() bool { _, body := get("/readyz"); return strings.Contains(body, "store: degraded") })
	if code, body := get("/readyz"); code != 200 {
		t.Errorf("/readyz with Redis down: %d %q, want 200 (answers come from memory)", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz with Redis down: %d", code)
	}
}
