package redisstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/storetest"
)

// open opens a Store on the Redis at url under prefix and closes it when t ends.
func open(t testing.TB, url, prefix string, mods ...func(*Options)) *Store {
	t.Helper()
	o, err := ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	o.Prefix = prefix
	for _, m := range mods {
		m(&o)
	}
	s, err := Open(t.Context(), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if url == os.Getenv("REDIS_URL") {
			dropPrefix(t, s)
		}
		s.Close()
	})
	return s
}

// dropPrefix deletes the test's keys (and only those) from a shared Redis.
func dropPrefix(t testing.TB, s *Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, s.prefix+":*", 1000).Iterator()
		for iter.Next(ctx) {
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	var err error
	if cc, ok := s.rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	} else {
		err = scan(ctx, s.rdb)
	}
	if err != nil {
		t.Errorf("drop test keys %s:*: %v", s.prefix, err)
	}
}

func clusterURL(addrs []string) string {
	return "redis+cluster://" + strings.Join(addrs, ",")
}

// follow runs Follow on a fresh index until the test ends and returns the
// index once it is loaded.
func follow(t *testing.T, s *Store) *retrieval.Index {
	t.Helper()
	ix := retrieval.NewIndex()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- s.Follow(ctx, ix, func() { close(ready) }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Follow returned %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Follow did not return after cancel")
		}
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Follow returned before ready: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("Follow not ready after 15s")
	}
	return ix
}

// eventually polls cond until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestContract(t *testing.T) {
	url, _, _ := redistest.Start(t)
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return open(t, url, redistest.Prefix(t))
	})
}

func TestContractCluster(t *testing.T) {
	url := clusterURL(redistest.StartCluster(t, 3))
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return open(t, url, redistest.Prefix(t))
	})
}

// modeURL starts a private Redis, "single" or a three-node "cluster", and
// returns its URL.
func modeURL(t *testing.T, mode string) string {
	t.Helper()
	if mode == "single" {
		url, _, _ := redistest.Start(t)
		return url
	}
	return clusterURL(redistest.StartCluster(t, 3))
}

// TestReplicas runs two storybot replicas (Store + Index) on one Redis:
// what one writes, the other's index holds moments later, without restart.
func TestReplicas(t *testing.T) {
	for _, mode := range []string{"single", "cluster"} {
		t.Run(mode, func(t *testing.T) {
			url := modeURL(t, mode)
			prefix := redistest.Prefix(t)
			a, b := open(t, url, prefix), open(t, url, prefix)
			ctx := t.Context()
			if err := a.Put(ctx, storetest.NewArticle("pre", "Stored before either replica started.")); err != nil {
				t.Fatal(err)
			}
			ixA, ixB := follow(t, a), follow(t, b)
			if ixB.Get("pre") == nil || ixA.Get("pre") == nil {
				t.Fatal("article stored before start missing from a freshly loaded index")
			}
			eventually(t, 2*time.Second, "follower healthy", b.Healthy)

			art := storetest.NewArticle("x1", "The mayor resigned on Tuesday.", "Her deputy takes over.")
			if err := a.Put(ctx, art); err != nil {
				t.Fatal(err)
			}
			eventually(t, 2*time.Second, "replica B sees x1", func() bool { return ixB.Get("x1") != nil })
			if got := ixB.Get("x1"); got.Text != art.Text {
				t.Fatalf("replica B has text %q", got.Text)
			}

			upd := storetest.NewArticle("x1", "The mayor resigned on Tuesday, citing health.")
			if err := b.Put(ctx, upd); err != nil {
				t.Fatal(err)
			}
			eventually(t, 2*time.Second, "replica A sees the update", func() bool {
				got := ixA.Get("x1")
				return got != nil && got.Hash == upd.Hash
			})

			if err := a.Delete(ctx, "x1"); err != nil {
				t.Fatal(err)
			}
			eventually(t, 2*time.Second, "replica B drops x1", func() bool { return ixB.Get("x1") == nil })
			if !a.Healthy() || !b.Healthy() || a.LastError() != nil {
				t.Errorf("Healthy a=%v b=%v, LastError %v", a.Healthy(), b.Healthy(), a.LastError())
			}
		})
	}
}

func TestFollowLoadsBeforeReady(t *testing.T) {
	url, _, _ := redistest.Start(t)
	prefix := redistest.Prefix(t)
	s := open(t, url, prefix)
	const n = 300
	for i := range n {
		if err := s.Put(t.Context(), storetest.NewArticle(fmt.Sprintf("cold-%03d", i), "Paragraph.", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete(t.Context(), "cold-000"); err != nil {
		t.Fatal(err)
	}
	r := open(t, url, prefix)
	ix := retrieval.NewIndex()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	atReady := make(chan int, 1)
	go r.Follow(ctx, ix, func() { atReady <- ix.Len() })
	select {
	case got := <-atReady:
		if got != n-1 {
			t.Fatalf("index held %d articles at ready, want %d", got, n-1)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("not ready")
	}
	if ix.Get("cold-000") != nil {
		t.Error("deleted article loaded")
	}
}

// TestFollowReloadsWhenBehind trims the stream past a follower's position:
// it must notice and reload rather than miss changes.
func TestFollowReloadsWhenBehind(t *testing.T) {
	url, _, _ := redistest.Start(t)
	s := open(t, url, redistest.Prefix(t))
	ctx := t.Context()
	for i := range 5 {
		if err := s.Put(ctx, storetest.NewArticle(fmt.Sprintf("b-%d", i), "Old.")); err != nil {
			t.Fatal(err)
		}
	}
	ix := retrieval.NewIndex()
	f := &follower{s: s, ix: ix, known: map[string]bool{}}
	if err := f.load(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 5 {
		t.Fatalf("loaded %d", ix.Len())
	}
	if err := s.Delete(ctx, "b-0"); err != nil {
		t.Fatal(err)
	}
	for i := 5; i < 25; i++ {
		if err := s.Put(ctx, storetest.NewArticle(fmt.Sprintf("b-%d", i), "New.")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.rdb.XTrimMaxLen(ctx, s.changesKey, 3).Err(); err != nil {
		t.Fatal(err)
	}
	if err := f.poll(ctx); !errors.Is(err, errBehind) {
		t.Fatalf("poll after trim = %v, want errBehind", err)
	}
	if err := f.load(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 24 || ix.Get("b-0") != nil || ix.Get("b-24") == nil {
		t.Fatalf("after reload: %d articles, b-0 present %v", ix.Len(), ix.Get("b-0") != nil)
	}
	// In step again: the next change applies normally.
	if err := s.Put(ctx, storetest.NewArticle("b-25", "Newer.")); err != nil {
		t.Fatal(err)
	}
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Get("b-25") == nil {
		t.Fatal("change after reload not applied")
	}
}

// TestOutage stops Redis under a running replica: the index keeps serving,
// Healthy turns false, writes fail fast with a clear error, and after a
// restart everything recovers without recreating the Store.
func TestOutage(t *testing.T) {
	srv := redistest.StartServer(t, redistest.Options{Private: true, AppendOnly: true})
	prefix := redistest.Prefix(t)
	s := open(t, srv.URL, prefix)
	ctx := t.Context()
	for i := range 20 {
		if err := s.Put(ctx, storetest.NewArticle(fmt.Sprintf("o-%d", i), "Before the outage.")); err != nil {
			t.Fatal(err)
		}
	}
	ix := follow(t, s)
	eventually(t, 2*time.Second, "healthy", s.Healthy)

	srv.Stop()
	eventually(t, 10*time.Second, "Healthy false after redis stopped", func() bool { return !s.Healthy() })
	if ix.Len() != 20 || ix.Get("o-3") == nil {
		t.Fatalf("index lost articles during outage: %d", ix.Len())
	}
	if err := s.LastError(); err == nil || !strings.Contains(err.Error(), "redis follow changes") {
		t.Errorf("LastError = %v", err)
	}

	// A write fails with a clear error, bounded by the timeout.
	errc := make(chan error, 1)
	go func() { errc <- s.Put(ctx, storetest.NewArticle("o-down", "Written while down.")) }()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("Put with redis down succeeded")
		}
		msg := err.Error()
		if !strings.Contains(msg, "redis put article o-down") || !strings.Contains(msg, "connection refused") {
			t.Errorf("Put error = %q, want the operation and the cause", msg)
		}
		t.Logf("Put with redis down: %v", err)
	case <-time.After(3 * DefaultTimeout):
		t.Fatal("Put with redis down hung")
	}

	srv.Restart()
	eventually(t, 10*time.Second, "Healthy again after restart", s.Healthy)
	if s.LastError() != nil {
		t.Errorf("LastError after recovery = %v", s.LastError())
	}
	if err := s.Put(ctx, storetest.NewArticle("o-after", "After the outage.")); err != nil {
		t.Fatalf("Put after restart: %v", err)
	}
	eventually(t, 2*time.Second, "new article after restart", func() bool { return ix.Get("o-after") != nil })
}

// TestKillMidPut kills redis-server while many articles (some large) are
// being written and rewritten, restarts it from its append-only file and
// checks that every article there is whole and every acknowledged Put is.
func TestKillMidPut(t *testing.T) {
	srv := redistest.StartServer(t, redistest.Options{Private: true, AppendOnly: true})
	prefix := redistest.Prefix(t)
	s := open(t, srv.URL, prefix, func(o *Options) { o.Timeout = 500 * time.Millisecond })

	big := strings.Repeat("Council minutes, “verbatim”, paragraph after paragraph.\u00a0", 3000) // ~180 KB
	var (
		mu    sync.Mutex
		acked = map[string]string{} // id → hash of the last acknowledged version
		ok    atomic.Int64
		stop  atomic.Bool
		wg    sync.WaitGroup
	)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				id := fmt.Sprintf("k-%d-%d", w, i%8) // rewrites ids as it goes
				body := fmt.Sprintf("Version %d of article %s.", i, id)
				paras := []string{body}
				if i%3 == 0 {
					paras = append(paras, big[:len(big)-i%1000])
				}
				a := storetest.NewArticle(id, paras...)
				if err := s.Put(context.Background(), a); err != nil {
					if stop.Load() {
						return
					}
					continue
				}
				mu.Lock()
				acked[id] = a.Hash
				mu.Unlock()
				ok.Add(1)
			}
		}()
	}
	eventually(t, 20*time.Second, "150 puts before the kill", func() bool { return ok.Load() >= 150 })
	srv.Stop()
	time.Sleep(100 * time.Millisecond) // let in-flight Puts fail (not an assertion)
	stop.Store(true)
	wg.Wait()
	srv.Restart()

	r := open(t, srv.URL, prefix)
	all, err := r.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*retrieval.Article{}
	for _, a := range all {
		if err := storetest.Complete(a); err != nil {
			t.Error(err)
		}
		got[a.ID] = a
	}
	mu.Lock()
	defer mu.Unlock()
	for id, h := range acked {
		a, err := r.Get(t.Context(), id)
		if err != nil {
			t.Errorf("acknowledged article %s: %v", id, err)
			continue
		}
		if err := storetest.Complete(a); err != nil {
			t.Error(err)
		}
		if _, listed := got[id]; !listed {
			t.Errorf("acknowledged article %s not listed", id)
		}
		_ = h // a later, unacknowledged Put of the same id may have won: any whole version is fine
	}
	t.Logf("%d puts acknowledged before the kill, %d distinct articles, %d listed after restart", ok.Load(), len(acked), len(all))
}

func TestOpenErrors(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		start := time.Now()
		_, err := Open(t.Context(), Options{Addrs: []string{"127.0.0.1:1"}, Password: "hunter22secret"})
		if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "127.0.0.1:1") {
			t.Fatalf("Open(refused) = %v", err)
		}
		if strings.Contains(err.Error(), "hunter22secret") {
			t.Fatalf("error shows the password: %v", err)
		}
		t.Logf("%v (after %s)", err, time.Since(start).Round(time.Millisecond))
	})
	t.Run("wrong password", func(t *testing.T) {
		srv := redistest.StartServer(t, redistest.Options{Private: true, Args: []string{"--requirepass", "right-pass"}})
		o, _ := ParseURL(srv.URL)
		o.Password = "hunter22secret"
		_, err := Open(t.Context(), o)
		if err == nil || strings.Contains(err.Error(), "hunter22secret") || !strings.Contains(err.Error(), "password") {
			t.Fatalf("Open(wrong password) = %v", err)
		}
		t.Log(err)
		o.Password = "right-pass"
		s, err := Open(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	})
	t.Run("read-only replica", func(t *testing.T) {
		primary := redistest.StartServer(t, redistest.Options{Private: true})
		host, port, _ := strings.Cut(primary.Addr, ":")
		replica := redistest.StartServer(t, redistest.Options{Private: true, Args: []string{"--replicaof", host, port}})
		s := open(t, replica.URL, redistest.Prefix(t))
		err := s.Put(t.Context(), storetest.NewArticle("ro", "Text."))
		if err == nil || !strings.Contains(err.Error(), "READONLY") || !strings.Contains(err.Error(), "read-only replica") {
			t.Fatalf("Put on replica = %v", err)
		}
		t.Log(err)
	})
}

func TestVersionAndUnchangedPut(t *testing.T) {
	url, _, _ := redistest.Start(t)
	s := open(t, url, redistest.Prefix(t))
	ctx := t.Context()
	version := func() int64 {
		t.Helper()
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(); v != 0 {
		t.Fatalf("empty store version %d", v)
	}
	a := storetest.NewArticle("v1", "Text.")
	if err := s.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if err := s.Put(ctx, storetest.NewArticle("v1", "Text.")); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v1 {
		t.Errorf("unchanged Put moved version %d → %d", v1, v)
	}
	if n, _ := s.rdb.XLen(ctx, s.changesKey).Result(); n != 1 {
		t.Errorf("unchanged Put added to the change stream: %d entries", n)
	}
	if err := s.Delete(ctx, "missing"); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v1 {
		t.Errorf("deleting a missing article moved version")
	}
	if err := s.Delete(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
	if v := version(); v <= v1 {
		t.Errorf("Delete did not move version")
	}

	// A crash between writing the article key and registering it: the
	// article is whole but unlisted; putting it again registers it.
	b := storetest.NewArticle("v2", "Half-registered.")
	data, _ := encodeArticle(b)
	if err := s.rdb.Set(ctx, s.articleKey("v2"), data, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.List(ctx); len(l) != 0 {
		t.Fatalf("unregistered article listed")
	}
	if err := s.Put(ctx, b); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.List(ctx); len(l) != 1 {
		t.Fatalf("re-Put did not register the article: List has %d", len(l))
	}
}

func TestSetNXConcurrent(t *testing.T) {
	url, _, _ := redistest.Start(t)
	s := open(t, url, redistest.Prefix(t))
	var wins atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.SetNX(t.Context(), "event:Ev123", []byte(fmt.Sprint(i)), time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d goroutines won the claim, want exactly 1", wins.Load())
	}
	for i, want := range []bool{true, false} {
		if ok, err := s.Claim(t.Context(), "event:Ev124", time.Minute); err != nil || ok != want {
			t.Fatalf("Claim #%d = %v, %v; want %v", i, ok, err, want)
		}
	}
}

// TestSetNXRetry replays a claim whose first reply was lost: the retry
// carries the same token and must still report the win.
func TestSetNXRetry(t *testing.T) {
	url, _, _ := redistest.Start(t)
	s := open(t, url, redistest.Prefix(t))
	ctx := t.Context()
	tv := append([]byte("0123456789abcdef"), "payload"...)
	for i, want := range []bool{true, true} {
		ok, err := s.setNX(ctx, "ev", tv, time.Minute)
		if err != nil || ok != want {
			t.Fatalf("attempt %d: %v, %v; want %v", i, ok, err, want)
		}
	}
	other := append([]byte("fedcba9876543210"), "payload"...)
	if ok, err := s.setNX(ctx, "ev", other, time.Minute); err != nil || ok {
		t.Fatalf("other claimant: %v, %v; want false", ok, err)
	}
}

func TestKV(t *testing.T) {
	url, _, _ := redistest.Start(t)
	s := open(t, url, redistest.Prefix(t))
	ctx := t.Context()
	if _, ok, err := s.GetBytes(ctx, "answer:q1"); ok || err != nil {
		t.Fatalf("GetBytes(missing) = %v, %v", ok, err)
	}
	val := []byte("“cached” answer\x00\xff")
	if err := s.SetBytes(ctx, "answer:q1", val, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.GetBytes(ctx, "answer:q1")
	if err != nil || !ok || string(got) != string(val) {
		t.Fatalf("GetBytes = %q, %v, %v", got, ok, err)
	}
	if ttl := s.rdb.PTTL(ctx, s.kvKey("answer:q1")).Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("ttl %s", ttl)
	}
	for want := int64(1); want <= 3; want++ {
		n, err := s.Incr(ctx, "rate:U1", time.Minute)
		if err != nil || n != want {
			t.Fatalf("Incr = %d, %v; want %d", n, err, want)
		}
	}
	if ttl := s.rdb.PTTL(ctx, s.kvKey("rate:U1")).Val(); ttl <= 0 {
		t.Errorf("Incr ttl %s", ttl)
	}
}

// Durability names the Redis settings that can lose articles.
func TestDurability(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  redistest.Options
		want []string
	}{
		{"no persistence", redistest.Options{Private: true}, []string{"persistence is off"}},
		{"append-only, evicting", redistest.Options{Private: true, AppendOnly: true, Args: []string{"--maxmemory-policy", "allkeys-lru"}}, []string{"maxmemory-policy is allkeys-lru"}},
		{"safe", redistest.Options{Private: true, AppendOnly: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redistest.StartServer(t, tc.opt)
			s := open(t, srv.URL, "dur")
			got := s.Durability(context.Background())
			if len(got) != len(tc.want) {
				t.Fatalf("warnings %q, want %d like %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %q, want one about %q", got[i], w)
				}
			}
		})
	}
}
