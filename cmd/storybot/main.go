// Command storybot is the newsroom bot: it ingests articles, answers
// questions about them with citations, and serves Slack.
//
//	storybot ingest [--data DIR] PATH|URL ...
//	storybot ask [--data DIR] [--json] QUESTION
//	storybot eval [--data DIR] FILE.jsonl
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `storybot answers newsroom questions from ingested articles, with citations.

Usage:
  storybot ingest [--data DIR] [--outlet O] [--url U] [--collection C] [--published DATE]
                  [--verbose] [--progress DUR] [--batch N] PATH|URL|ARCHIVE.jsonl[.gz] ...
  storybot ask [--data DIR] [--json] [--collections a,b] QUESTION
  storybot eval [--data DIR] [--collections a,b] FILE.jsonl
  storybot serve [--data DIR] [--addr HOST:PORT]   (Slack: Socket Mode with SLACK_APP_TOKEN, else HTTP)
  storybot feedback [--data DIR]                    (Slack feedback as JSON Lines)
  storybot digest [--data DIR] [--since TIME] [--until TIME] [--channel C]   (print the digest, do not post)
  storybot health [--addr HOST:PORT]                (exit 0 when a running serve answers /healthz)
  storybot version

Common flags:
  --data DIR      the embedded store's folder (STORYBOT_DATA; default: per-user data folder)
  --config FILE   a JSON config file (STORYBOT_CONFIG)

With REDIS_URL set, Redis holds the index instead of --data.
`

// exitError carries a process exit code through main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintln(os.Stderr, "storybot:", ee.err)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "storybot:", err)
		os.Exit(1)
	}
}

// run executes one storybot command; it is main without the process, so
// tests drive the real CLI.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "ingest":
		return cmdIngest(ctx, rest, stdout, stderr, getenv)
	case "version", "--version":
		return cmdVersion(stdout)
	case "health":
		return cmdHealth(ctx, rest, stdout, stderr, getenv)
	case "ask":
		return cmdAsk(ctx, rest, stdout, stderr, getenv)
	case "eval":
		return cmdEval(ctx, rest, stdout, stderr, getenv)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr, getenv)
	case "feedback":
		return cmdFeedback(ctx, rest, stdout, stderr, getenv)
	case "digest":
		return cmdDigest(ctx, rest, stdout, stderr, getenv)
	}
	fmt.Fprint(stderr, usage)
	return &exitError{code: 2, err: fmt.Errorf("unknown command %q", cmd)}
}
