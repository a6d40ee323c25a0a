package main

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval/redisstore"
)

// runEnv runs the CLI with the given settings.
func runEnv(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb, func(k string) string { return env[k] })
	code := 0
	if err != nil {
		code = 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
			if ee.err != nil {
				errb.WriteString(ee.err.Error())
			}
		} else {
			errb.WriteString(err.Error())
		}
	}
	return out.String(), errb.String(), code
}

// ingest, ask and eval give the same output with Redis as the store as
// with the embedded store.
func TestCLIRedisMatchesEmbedded(t *testing.T) {
	url, _, _ := redistest.Start(t)
	embeddedEnv := map[string]string{"STORYBOT_DATA": t.TempDir()}
	redisEnv := map[string]string{"STORYBOT_DATA": t.TempDir(), "REDIS_URL": url, "STORYBOT_REDIS_PREFIX": redistest.Prefix(t)}
	steps := [][]string{
		{"ingest", "../../testdata/seeds", "../../testdata/articles"},
		{"ingest", "../../testdata/seeds"},
		{"ask", "--json", "Who was the campaign's CISO?"},
		{"ask", "Who replaced the CISO?"},
		{"ask", "--json", "Who will succeed Tomas Lindqvist, and how many employees does the company have?"},
		{"eval", "../../testdata/eval/dev_questions.jsonl"},
	}
	for _, step := range steps {
		eo, ee, ec := runEnv(t, embeddedEnv, step...)
		ro, re, rc := runEnv(t, redisEnv, step...)
		// eval exits 1 when a case fails; it must fail alike on both.
		if ec != rc || ec != 0 && step[0] != "eval" {
			t.Fatalf("%v: exit embedded %d (%s), redis %d (%s)", step, ec, ee, rc, re)
		}
		if eo != ro {
			t.Errorf("%v: output differs\nembedded:\n%s\nredis:\n%s", step, eo, ro)
		}
	}
	// The data folder was not used with Redis as the store.
	if out, _, _ := runEnv(t, map[string]string{"STORYBOT_DATA": redisEnv["STORYBOT_DATA"]}, "ask", "--json", "Who is Mick Baccio?"); !strings.Contains(out, `"not_covered"`) || strings.Contains(out, `"answered"`) {
		t.Errorf("the embedded store got articles ingested into Redis: %s", out)
	}
}

func TestCLIRedisDownIsAClearError(t *testing.T) {
	env := map[string]string{"STORYBOT_DATA": t.TempDir(), "REDIS_URL": "redis://:hunter2secret@127.0.0.1:1/0", "STORYBOT_REDIS_TIMEOUT": "200ms"}
	_, errs, code := runEnv(t, env, "ask", "Who is Mick Baccio?")
	if code == 0 || !strings.Contains(errs, "REDIS_URL") || !strings.Contains(errs, "refused") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if strings.Contains(errs, "hunter2secret") {
		t.Errorf("the Redis password reached the error: %s", errs)
	}
}

// A serving replica follows Redis: what another process ingests becomes
// answerable without a restart; when Redis goes away it keeps answering
// from memory and says the index may be stale; when Redis comes back it
// recovers by itself.
func TestReplicaFollowsRedis(t *testing.T) {
	srv := redistest.StartServer(t, redistest.Options{AppendOnly: true, Private: true})
	env := map[string]string{"STORYBOT_DATA": t.TempDir(), "REDIS_URL": srv.URL, "STORYBOT_REDIS_TIMEOUT": "300ms"}
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	replica, err := openApp(ctx, commonFlags{follow: true}, &logs, getenv)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.close()
	svc := replica.service()
	ask := func(q string) *answerT {
		t.Helper()
		a, err := svc.Ask(ctx, askReq(q))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := ask("How much is the Riverton budget?"); a.Status != "not_covered" {
		t.Fatalf("empty index answered: %s", a.Answer)
	}
	// Another process ingests.
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/articles"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	waitFor(t, func() bool { return ask("How much is the Riverton budget?").Status == "answered" })

	srv.Stop()
	waitFor(t, func() bool { return replica.stale() != "" })
	a := ask("How much is the Riverton budget?")
	if a.Status != "answered" || !strings.Contains(strings.Join(a.Notes, " "), "The index may be stale") {
		t.Errorf("answer while Redis is down: %s %v", a.Status, a.Notes)
	}
	// What readers see carries no host or port; the logs do.
	if u, err := url.Parse(srv.URL); err == nil && strings.Contains(strings.Join(a.Notes, " "), u.Port()) {
		t.Errorf("the stale note shows the Redis address: %v", a.Notes)
	}
	srv.Restart()
	waitFor(t, func() bool { return replica.stale() == "" })
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/seeds"); code != 0 {
		t.Fatalf("ingest after restart: %s", errs)
	}
	waitFor(t, func() bool { return ask("When did Baccio speak at a cybersecurity conference?").Status == "answered" })
}

// When Redis comes back empty (a restart without persistence), the
// replicas keep the articles they hold, exactly one of them writes them
// back, and the metrics say so; nothing ingested is lost.
func TestRedisLossIsRestoredFromMemory(t *testing.T) {
	srv := redistest.StartServer(t, redistest.Options{Private: true}) // no persistence
	env := map[string]string{"STORYBOT_DATA": t.TempDir(), "REDIS_URL": srv.URL, "STORYBOT_REDIS_TIMEOUT": "300ms"}
	getenv := func(k string) string { return env[k] }
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/articles"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var replicas []*app
	var logsOf []*bytes.Buffer
	for range 2 {
		logs := &bytes.Buffer{}
		logsOf = append(logsOf, logs)
		r, err := openApp(ctx, commonFlags{follow: true}, logs, getenv)
		if err != nil {
			t.Fatal(err)
		}
		defer r.close()
		replicas = append(replicas, r)
	}
	const q = "How much is the Riverton budget?"
	answered := func(r *app) bool {
		a, err := r.service().Ask(ctx, askReq(q))
		return err == nil && a.Status == "answered"
	}
	want := replicas[0].index.Len()
	for _, r := range replicas {
		waitFor(t, func() bool { return r.index.Len() == want && answered(r) })
	}

	srv.Restart() // back empty
	// Redis holds the articles again: a process that reads Redis afresh
	// answers.
	var last string
	defer func() {
		if t.Failed() {
			t.Logf("last ask: %s", last)
			for i, l := range logsOf {
				t.Logf("replica %d log:\n%s", i, l.String())
			}
		}
	}()
	waitFor(t, func() bool {
		out, errs, code := runEnv(t, env, "ask", "--json", q)
		last = out + errs
		return code == 0 && strings.Contains(out, `"status": "answered"`)
	})
	restored := 0
	writers := 0
	for _, r := range replicas {
		rs := r.store.(*redisstore.Store)
		if n := int(rs.Restored.Load()); n > 0 {
			restored += n
			writers++
		}
		if rs.Resets.Load() == 0 {
			t.Errorf("a replica did not see the loss")
		}
		if r.index.Len() != want || !answered(r) {
			t.Errorf("a replica lost articles: %d of %d", r.index.Len(), want)
		}
	}
	if writers != 1 || restored != want {
		t.Errorf("%d replicas wrote back %d articles, want 1 replica and %d", writers, restored, want)
	}
}
