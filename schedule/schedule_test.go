package schedule

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/config"
)

var ny = mustLoc("America/New_York")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at returns a New York wall-clock time on 2031-06-d.
func at(d, h, m int) time.Time { return time.Date(2031, 6, d, h, m, 0, 0, ny) }

var digestCfg = config.Digest{Channels: []string{"CNEWS", "CDESK"}, Hour: 8, Minute: 0, Location: ny}

// postLog records every post every replica makes.
type postLog struct {
	mu    sync.Mutex
	posts []Job
}

func (l *postLog) post(ctx context.Context, j Job) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.posts = append(l.posts, j)
	return nil
}

// counts returns posts per "channel day".
func (l *postLog) counts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for _, j := range l.posts {
		out[j.Channel+" "+j.Day]++
	}
	return out
}

func (l *postLog) String() string {
	c := l.counts()
	var keys []string
	for k, n := range c {
		keys = append(keys, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func wantPosts(t *testing.T, l *postLog, want ...string) {
	t.Helper()
	got := l.counts()
	for _, k := range want {
		if got[k] != 1 {
			t.Errorf("%s posted %d times, want once (all posts: %s)", k, got[k], l)
		}
	}
	if len(got) != len(want) {
		t.Errorf("posts %s, want exactly %q", l, want)
	}
}

func replicas(n int, clk Clock, store Store, post PostFunc) []*Scheduler {
	var out []*Scheduler
	for i := range n {
		out = append(out, &Scheduler{Digest: digestCfg, Store: store, Post: post, Clock: clk, Replica: fmt.Sprintf("r%d", i)})
	}
	return out
}

func TestThreeReplicasPostOnce(t *testing.T) {
	clk := newFakeClock(at(1, 7, 58))
	store := &MemStore{Now: clk.Now}
	log := &postLog{}
	rs := replicas(3, clk, store, log.post)
	ctx := context.Background()
	// Every replica ticks every minute, all at once, for two days.
	for now := at(1, 7, 58); now.Before(at(3, 7, 0)); now = now.Add(time.Minute) {
		clk.Set(now)
		var wg sync.WaitGroup
		for _, r := range rs {
			wg.Go(func() { r.Tick(ctx) })
		}
		wg.Wait()
	}
	wantPosts(t, log, "CNEWS 2031-06-01", "CDESK 2031-06-01", "CNEWS 2031-06-02", "CDESK 2031-06-02")
	for _, j := range log.posts {
		if local := j.Now.In(ny); local.Hour() != 8 || local.Minute() != 0 {
			t.Errorf("%s posted at %s, want 08:00", j.Channel, local)
		}
	}
}

func TestReplicaDiesHoldingLease(t *testing.T) {
	for _, how := range []string{"hangs", "fails"} {
		t.Run(how, func(t *testing.T) {
			clk := newFakeClock(at(1, 8, 0))
			store := &MemStore{Now: clk.Now}
			log := &postLog{}
			entered := make(chan struct{}, 2)
			release := make(chan struct{})
			dying := func(ctx context.Context, j Job) error {
				entered <- struct{}{}
				if how == "hangs" {
					<-release // never returns while the test runs
				}
				return errors.New("replica killed mid-post")
			}
			cfg := config.Digest{Channels: []string{"CNEWS"}, Hour: 8, Location: ny}
			a := &Scheduler{Digest: cfg, Store: store, Post: dying, Clock: clk, Replica: "a"}
			b := &Scheduler{Digest: cfg, Store: store, Post: log.post, Clock: clk, Replica: "b"}
			c := &Scheduler{Digest: cfg, Store: store, Post: log.post, Clock: clk, Replica: "c"}
			ctx := context.Background()
			done := make(chan []Result)
			go func() { done <- a.Tick(ctx) }()
			<-entered
			if how == "fails" {
				if r := <-done; r[0].Outcome != Failed {
					t.Fatalf("a: %+v", r)
				}
			}
			// While a holds the lease nobody else posts.
			clk.Advance(DefaultLease - time.Second)
			if r := b.Tick(ctx); r[0].Outcome != Busy {
				t.Fatalf("b during the lease: %+v", r)
			}
			// The lease expires: the digest goes out once.
			clk.Advance(2 * time.Second)
			if r := b.Tick(ctx); r[0].Outcome != Posted {
				t.Fatalf("b after the lease: %+v", r)
			}
			if r := c.Tick(ctx); r[0].Outcome != Done {
				t.Fatalf("c: %+v", r)
			}
			clk.Advance(time.Hour)
			b.Tick(ctx)
			c.Tick(ctx)
			wantPosts(t, log, "CNEWS 2031-06-01")
			close(release)
			if how == "hangs" {
				<-done
			}
		})
	}
}

func TestMissedDigestPostedOnStart(t *testing.T) {
	clk := newFakeClock(at(1, 8, 0))
	store := &MemStore{Now: clk.Now}
	log := &postLog{}
	ctx := context.Background()
	start := func() *Scheduler { return replicas(1, clk, store, log.post)[0] }

	// Day 1 goes out on time.
	start().Tick(ctx)
	// Every replica is down at 08:00 on day 2; one comes back at 10:30.
	clk.Set(at(2, 10, 30))
	if r := start().Tick(ctx); r[0].Outcome != Posted {
		t.Fatalf("late start: %+v", r)
	}
	// Restarts later that day do not post again.
	for _, h := range []int{11, 15, 23} {
		clk.Set(at(2, h, 0))
		if r := start().Tick(ctx); r[0].Outcome != Done {
			t.Fatalf("restart at %d:00: %+v", h, r)
		}
	}
	// Down from day 3 07:00 until day 4 07:30: day 3 is not posted a day
	// late, and day 4 is posted once, at its time.
	clk.Set(at(4, 7, 30))
	if r := start().Tick(ctx); r[0].Outcome != NotDue {
		t.Fatalf("day 4 07:30: %+v", r)
	}
	clk.Set(at(4, 8, 0))
	s := start()
	s.Tick(ctx)
	clk.Set(at(4, 8, 1))
	s.Tick(ctx)
	wantPosts(t, log, "CNEWS 2031-06-01", "CDESK 2031-06-01", "CNEWS 2031-06-02", "CDESK 2031-06-02",
		"CNEWS 2031-06-04", "CDESK 2031-06-04")
	// Each digest covers everything since the previous one, so the missed
	// day's news is not lost.
	last := log.posts[len(log.posts)-1]
	if !last.Since.Equal(at(2, 10, 30)) {
		t.Errorf("day 4 digest since %s, want the day 2 post at 10:30", last.Since.In(ny))
	}
	first := log.posts[0]
	if !first.Since.Equal(at(1, 8, 0).Add(-24 * time.Hour)) {
		t.Errorf("first digest since %s, want 24 hours back", first.Since.In(ny))
	}
}

func TestClockSkew(t *testing.T) {
	clk := newFakeClock(at(1, 7, 50))
	// Expiry follows the store's clock (Redis), not the replicas'.
	store := &MemStore{Now: clk.Now}
	log := &postLog{}
	ctx := context.Background()
	// Yesterday's digest went out; a replica whose clock runs 20 hours
	// late must not post "yesterday" again.
	seed := &Scheduler{}
	for _, ch := range digestCfg.Channels {
		store.SetBytes(ctx, seed.key("last", ch, ""), []byte(at(0, 8, 0).UTC().Format(time.RFC3339Nano)), 0)
	}
	var rs []*Scheduler
	for i, off := range []time.Duration{-3 * time.Minute, 0, 4 * time.Minute, -20 * time.Hour} {
		rs = append(rs, &Scheduler{Digest: digestCfg, Store: store, Post: log.post, Clock: skewed{clk, off}, Replica: fmt.Sprint(i)})
	}
	for now := at(1, 7, 50); now.Before(at(4, 7, 50)); now = now.Add(time.Minute) {
		clk.Set(now)
		for _, r := range rs {
			r.Tick(ctx)
		}
	}
	wantPosts(t, log, "CNEWS 2031-06-01", "CDESK 2031-06-01", "CNEWS 2031-06-02", "CDESK 2031-06-02",
		"CNEWS 2031-06-03", "CDESK 2031-06-03")
}

func TestPostFailureRetried(t *testing.T) {
	clk := newFakeClock(at(1, 8, 0))
	store := &MemStore{Now: clk.Now}
	log := &postLog{}
	fails := 1
	post := func(ctx context.Context, j Job) error {
		if fails > 0 {
			fails--
			return errors.New("slack: 503")
		}
		return log.post(ctx, j)
	}
	s := &Scheduler{Digest: config.Digest{Channels: []string{"CNEWS"}, Hour: 8, Location: ny}, Store: store, Post: post, Clock: clk, Lease: time.Minute}
	ctx := context.Background()
	if r := s.Tick(ctx); r[0].Outcome != Failed || r[0].Err == nil {
		t.Fatalf("first: %+v", r)
	}
	if r := s.Tick(ctx); r[0].Outcome != Busy {
		t.Fatalf("within the lease: %+v", r)
	}
	clk.Advance(time.Minute)
	if r := s.Tick(ctx); r[0].Outcome != Posted {
		t.Fatalf("after the lease: %+v", r)
	}
	wantPosts(t, log, "CNEWS 2031-06-01")
}

func TestDSTGap(t *testing.T) {
	// 2031-03-09 02:30 does not exist in New York: the digest goes out
	// when the clock jumps past it, at 03:00 EDT, once.
	clk := newFakeClock(time.Date(2031, 3, 9, 1, 0, 0, 0, ny))
	store := &MemStore{Now: clk.Now}
	log := &postLog{}
	s := &Scheduler{Digest: config.Digest{Channels: []string{"C"}, Hour: 2, Minute: 30, Location: ny}, Store: store, Post: log.post, Clock: clk}
	for i := 0; i < 240; i++ {
		s.Tick(context.Background())
		clk.Advance(time.Minute)
	}
	wantPosts(t, log, "C 2031-03-09")
	if got := log.posts[0].Now.In(ny).Format("15:04 MST"); got != "03:00 EDT" {
		t.Errorf("posted at %s", got)
	}
}

func TestRun(t *testing.T) {
	clk := newFakeClock(at(1, 7, 59))
	store := &MemStore{Now: clk.Now}
	log := &postLog{}
	s := &Scheduler{Digest: digestCfg, Store: store, Post: log.post, Clock: clk, Check: 10 * time.Minute}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, func() bool { return clk.Waiters() == 1 })
	if n := len(log.counts()); n != 0 {
		t.Fatalf("posted before the digest time: %s", log)
	}
	// Run sleeps until the digest time, not the whole check interval.
	clk.Advance(time.Minute)
	waitFor(t, func() bool { return len(log.counts()) == 2 && clk.Waiters() == 1 })
	clk.Advance(10 * time.Minute)
	waitFor(t, func() bool { return clk.Waiters() == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantPosts(t, log, "CNEWS 2031-06-01", "CDESK 2031-06-01")
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestFileStoreSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clk := newFakeClock(at(1, 9, 0))
	log := &postLog{}
	ctx := context.Background()
	for range 2 {
		fs := NewFileStore(dir)
		fs.mem.Now = clk.Now
		s := &Scheduler{Digest: digestCfg, Store: fs, Post: log.post, Clock: clk}
		s.Tick(ctx)
		clk.Advance(time.Hour)
	}
	wantPosts(t, log, "CNEWS 2031-06-01", "CDESK 2031-06-01")
}
