package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/internal/slacktest"
	"github.com/storybot/storybot/retrieval/embedded"
)

// TestMain lets a test run storybot as a real second process: this test
// binary, started with STORYBOT_TEST_AS_MAIN=1, is the storybot command.
func TestMain(m *testing.M) {
	if os.Getenv("STORYBOT_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// storybotProcess runs storybot in a process of its own with exactly the
// given environment, and returns its output and exit code.
func storybotProcess(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = []string{"STORYBOT_TEST_AS_MAIN=1", "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("storybot %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

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

// startServe runs serve in HTTP mode on data and waits until it is ready;
// it stops when the test ends.
func startServe(t *testing.T, data string, fake *slacktest.Server) (addr string) {
	t.Helper()
	addr = freeAddr(t)
	env := map[string]string{"STORYBOT_DATA": data, "SLACK_API_URL": fake.APIURL(), "SLACK_BOT_TOKEN": "xoxb-1",
		"SLACK_SIGNING_SECRET": "sekrit", "STORYBOT_ADDR": addr}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		if _, errs, code := storybot(ctx, t, env, "serve"); code != 0 {
			t.Errorf("serve exit %d: %s", code, errs)
		}
		close(done)
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return addr
}

// mention sends serve a signed app_mention with a new event id, from a
// new user each time (one user's questions are rate limited).
func mention(t *testing.T, addr, text string) {
	t.Helper()
	n := time.Now().UnixNano()
	body := []byte(fmt.Sprintf(`{"type":"event_callback","event_id":"Ev%d","event":{"type":"app_mention","channel":"C1","user":"U%d","text":"<@UBOT> %s","ts":"%d.%06d"}}`,
		n, n, text, n/1e9, n%1e6))
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/events", bytes.NewReader(body))
	slacktest.Sign(req, "sekrit", body, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("event: %s", resp.Status)
	}
}

// writeArticles writes n articles of made-up words to dir, each with a
// title and text of its own, and returns their paths.
func writeArticles(t *testing.T, dir string, n int, seed uint64) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed))
	word := func() string {
		const letters = "abcdefghiklmnoprstuvz"
		b := make([]byte, 4+r.IntN(6))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	sentence := func() string {
		w := make([]string, 10+r.IntN(8))
		for i := range w {
			w[i] = word()
		}
		return strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:] + "."
	}
	var paths []string
	for i := range n {
		text := sentence() + "\n\n" + sentence() + " " + sentence() + "\n\n" + sentence() + " " + sentence() + "\n"
		p := filepath.Join(dir, fmt.Sprintf("article-%d.txt", i))
		if err := os.WriteFile(p, []byte(strings.TrimSuffix(sentence(), ".")+"\n\n"+text), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// With serve running on the embedded store, storybot ingest, ask, digest
// and eval run in processes of their own on the same data folder, without
// waiting for serve to stop; the running bot answers from what was just
// ingested within seconds; two ingests at once lose nothing.
func TestServeBesideCLI(t *testing.T) {
	fake := slacktest.New(t)
	data := t.TempDir()
	env := map[string]string{"STORYBOT_DATA": data}
	if _, errs, code := storybot(context.Background(), t, env, "ingest", "../../testdata/seeds"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	addr := startServe(t, data, fake)

	// An article serve has never seen, ingested by another process.
	dir := t.TempDir()
	article := filepath.Join(dir, "keeper.txt")
	os.WriteFile(article, []byte("Qorvath names a lighthouse keeper\n\nThe town of Qorvath named Elin Maret as its lighthouse keeper on Monday.\n\nShe starts work in the spring.\n"), 0o600)
	out, errs, code := storybotProcess(t, env, "ingest", article)
	if code != 0 || !strings.Contains(out, "1 new") {
		t.Fatalf("ingest beside serve: exit %d\n%s%s", code, out, errs)
	}
	ingested := time.Now()
	question := "Who did Qorvath name as its lighthouse keeper?"
	for answered := 0; ; {
		mention(t, addr, question)
		answered++
		post := fake.Wait(t, "chat.postMessage", answered, 10*time.Second)[answered-1]
		if strings.Contains(post.Text(), "Elin Maret") && strings.Contains(post.Text(), "Qorvath names a lighthouse keeper") {
			t.Logf("serve answered from the new article %s after the ingest", time.Since(ingested).Round(100*time.Millisecond))
			break
		}
		if time.Since(ingested) > 10*time.Second {
			t.Fatalf("serve still answers without the new article 10s after the ingest:\n%s", post.Text())
		}
		time.Sleep(300 * time.Millisecond)
	}

	// One-shot commands read the folder while serve runs.
	if out, errs, code := storybotProcess(t, env, "ask", question); code != 0 || !strings.Contains(out, "Elin Maret") {
		t.Errorf("ask beside serve: exit %d\n%s%s", code, out, errs)
	}
	if out, errs, code := storybotProcess(t, env, "digest", "--since", "1h"); code != 0 || !strings.Contains(out, "Qorvath") {
		t.Errorf("digest beside serve: exit %d\n%s%s", code, out, errs)
	}
	if out, errs, code := storybotProcess(t, env, "eval", "../../testdata/eval/dev_questions.jsonl"); code > 1 || strings.Contains(errs, "holds it") || out == "" {
		t.Errorf("eval beside serve: exit %d\n%s%s", code, out, errs)
	}

	// Two ingests at once, beside serve: every article of both is stored.
	var paths [2][]string
	var wg sync.WaitGroup
	for i := range paths {
		paths[i] = writeArticles(t, t.TempDir(), 40, uint64(i+1))
		wg.Go(func() {
			out, errs, code := storybotProcess(t, env, append([]string{"ingest"}, paths[i]...)...)
			if code != 0 || !strings.Contains(out, "0 failed") {
				t.Errorf("concurrent ingest %d: exit %d\n%s%s", i, code, out, errs)
			}
		})
	}
	wg.Wait()
	st, err := embedded.Open(data, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]bool{}
	for _, a := range arts {
		sources[a.Source] = true
	}
	for _, ps := range paths {
		for _, p := range ps {
			if !sources[p] {
				t.Errorf("%s was lost: %d articles stored", p, len(arts))
			}
		}
	}
}
