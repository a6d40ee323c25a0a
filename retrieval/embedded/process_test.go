package embedded

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// The tests and benchmarks here run other storybot-like processes on the
// same folder: this test binary again, told by EMBEDDED_HELPER what to do.
func TestMain(m *testing.M) {
	if role := os.Getenv("EMBEDDED_HELPER"); role != "" {
		if err := helper(role, os.Getenv("EMBEDDED_HELPER_DIR")); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helper is a second process on dir:
//
//	writer: PutMany batches of 500 real-size articles without pause until
//	        killed (the worst case of a bulk import beside serve);
//	poller: reads the change log position every second, as serve does;
//	batches=N,prefix=P: writes N batches of 100 articles with ids P-i, then
//	        exits (a finite ingest, for the loss tests).
func helper(role, dir string) error {
	ctx := context.Background()
	s, err := Open(dir, time.Minute)
	if err != nil {
		return err
	}
	defer s.Close()
	switch role {
	case "writer":
		arts, err := realArticles(500)
		if err != nil {
			return err
		}
		for i := 0; ; i++ {
			for j, a := range arts {
				a.ID = fmt.Sprintf("w%d-%d", i, j)
			}
			if err := s.PutMany(ctx, arts); err != nil {
				return err
			}
		}
	case "poller":
		for {
			if _, err := s.Position(ctx); err != nil {
				return err
			}
			time.Sleep(time.Second)
		}
	}
	var n int
	var prefix string
	if _, err := fmt.Sscanf(role, "batches=%d,prefix=%s", &n, &prefix); err != nil {
		return fmt.Errorf("unknown role %q", role)
	}
	for i := range n {
		batch := make([]*retrieval.Article, 100)
		for j := range batch {
			id := prefix + "-" + strconv.Itoa(i*100+j)
			batch[j] = storetest.NewArticle(id, "Paragraph one of "+id+".", "Paragraph two of "+id+".")
		}
		if err := s.PutMany(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// helperProc is a running helper.
type helperProc struct {
	cmd    *exec.Cmd
	done   chan error // receives its exit, once
	err    error
	exited bool
}

// wait waits for the helper to exit and returns how it did.
func (h *helperProc) wait() error {
	if !h.exited {
		h.err, h.exited = <-h.done, true
	}
	return h.err
}

// running reports whether the helper has not exited yet.
func (h *helperProc) running() bool {
	if h.exited {
		return false
	}
	select {
	case h.err = <-h.done:
		h.exited = true
		return false
	default:
		return true
	}
}

// startHelper runs a helper process on dir; it is killed when the test
// ends unless it has exited.
func startHelper(tb testing.TB, dir, role string) *helperProc {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "EMBEDDED_HELPER="+role, "EMBEDDED_HELPER_DIR="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	h := &helperProc{cmd: cmd, done: make(chan error, 1)}
	go func() { h.done <- cmd.Wait() }()
	tb.Cleanup(func() {
		if h.running() {
			cmd.Process.Kill()
			h.wait()
		}
	})
	return h
}
