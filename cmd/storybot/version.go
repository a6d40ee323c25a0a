package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// version is the release this binary was built as; the image sets it with
// -ldflags "-X main.version=…".
var version = "dev"

// buildInfo is what the build was: the release, the commit when the build
// recorded one, and the Go version.
func buildInfo() (ver, commit, goVersion string) {
	ver, goVersion = version, runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				commit = s.Value[:12]
			}
		}
	}
	return ver, commit, goVersion
}

func cmdVersion(stdout io.Writer) error {
	ver, commit, goVersion := buildInfo()
	if commit != "" {
		ver += " (" + commit + ")"
	}
	fmt.Fprintf(stdout, "storybot %s, %s %s/%s\n", ver, goVersion, runtime.GOOS, runtime.GOARCH)
	return nil
}

// registerBuildInfo adds storybot_build_info, always 1, labelled with the
// build, so dashboards can tell which release each replica runs.
func registerBuildInfo(reg prometheus.Registerer) {
	ver, commit, goVersion := buildInfo()
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "storybot_build_info", Help: "The build this process runs; always 1.",
		ConstLabels: prometheus.Labels{"version": ver, "commit": commit, "go_version": goVersion},
	})
	g.Set(1)
	reg.MustRegister(g)
}

// cmdHealth asks a running `storybot serve` whether it is alive, for the
// image's HEALTHCHECK (the image has no shell or curl): exit 0 when
// /healthz answers 200 within the timeout.
func cmdHealth(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "", "the address serve listens on (STORYBOT_ADDR, default :8080)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for an answer")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	a := *addr
	if a == "" {
		a = getenv("STORYBOT_ADDR")
	}
	if a == "" {
		a = ":8080"
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("health: --addr %q is not HOST:PORT", a)}
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("health: %s is not answering: %w", net.JoinHostPort(host, port), err)}
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &exitError{code: 1, err: fmt.Errorf("health: /healthz answered %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))}
	}
	fmt.Fprintln(stdout, "storybot is alive")
	return nil
}
