package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/internal/redistest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
	"github.com/storybot/storybot/retrieval/redisstore"
	"github.com/storybot/storybot/retrieval/storetest"
)

// debugEnv is the settings for a CLI run on data with debug logs, which
// say where the index came from.
func debugEnv(t *testing.T, data string) map[string]string {
	return map[string]string{"STORYBOT_DATA": data, "STORYBOT_LOG_LEVEL": "debug", "HOME": t.TempDir()}
}

// TestCLISnapshot: ingest leaves a snapshot; ask loads from it and answers
// as an index built from the store does; a damaged snapshot is reported,
// the index rebuilt and the snapshot written anew.
func TestCLISnapshot(t *testing.T) {
	data := t.TempDir()
	env := debugEnv(t, data)
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/seeds", "../../testdata/articles"); code != 0 || !strings.Contains(errs, "index snapshot saved") {
		t.Fatalf("ingest exit %d, want a snapshot saved:\n%s", code, errs)
	}
	snap := filepath.Join(data, "index.snap")
	if _, err := os.Stat(snap); err != nil {
		t.Fatal(err)
	}
	q := []string{"ask", "--json", "Who will succeed Tomas Lindqvist, and how many employees does the company have?"}
	fromSnap, errs, code := runEnv(t, env, q...)
	if code != 0 || !strings.Contains(errs, "index loaded from snapshot") || !strings.Contains(errs, "replayed=0") || strings.Contains(errs, "built from the store") {
		t.Fatalf("ask exit %d; want the index loaded from the snapshot with nothing to replay:\n%s", code, errs)
	}

	// Without the snapshot the index is built from the store: the same
	// answer, and a new snapshot.
	if err := os.Remove(snap); err != nil {
		t.Fatal(err)
	}
	built, errs, _ := runEnv(t, env, q...)
	if !strings.Contains(errs, "index built from the store") || !strings.Contains(errs, "index snapshot saved") {
		t.Fatalf("ask without a snapshot: want a rebuild and a save:\n%s", errs)
	}
	if built != fromSnap {
		t.Errorf("answers differ\nfrom the snapshot:\n%s\nbuilt from the store:\n%s", fromSnap, built)
	}

	// Damage: one byte flipped in the middle, then the file cut short.
	for _, damage := range []func(b []byte) []byte{
		func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b },
		func(b []byte) []byte { return b[:len(b)*2/3] },
	} {
		b, err := os.ReadFile(snap)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(snap, damage(b), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errs, code := runEnv(t, map[string]string{"STORYBOT_DATA": data, "HOME": t.TempDir()}, q...)
		if code != 0 || out != fromSnap {
			t.Fatalf("ask with a damaged snapshot: exit %d, answer %s; want the same answer as before", code, out)
		}
		if n := strings.Count(errs, "index snapshot cannot be used"); n != 1 || !strings.Contains(errs, "rebuilding the index from the store") || !strings.Contains(errs, snap) {
			t.Fatalf("want one warning naming the file and what happens:\n%s", errs)
		}
		if _, errs, _ := runEnv(t, env, q...); !strings.Contains(errs, "index loaded from snapshot") {
			t.Fatalf("the snapshot was not written anew:\n%s", errs)
		}
	}
}

// TestCLISnapshotCatchesUp: articles written and deleted after the
// snapshot (by another process) are in, and out of, the index ask loads.
func TestCLISnapshotCatchesUp(t *testing.T) {
	data := t.TempDir()
	env := debugEnv(t, data)
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/seeds"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	ask := []string{"ask", "--json", "What did the lighthouse keeper of Quarrelsome Point find?"}
	if out, _, _ := runEnv(t, env, ask...); strings.Contains(out, "Quarrelsome") && strings.Contains(out, `"answered"`) {
		t.Fatalf("answered before the article exists: %s", out)
	}
	// Another process writes to the store; the snapshot does not know.
	st, err := embedded.Open(data, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a := storetest.NewArticle("lighthouse", "The lighthouse keeper of Quarrelsome Point found a brass telescope in the cellar on Monday.")
	a.Title = "Lighthouse keeper finds brass telescope"
	if err := st.Put(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, errs, _ := runEnv(t, env, ask...)
	if !strings.Contains(errs, "index loaded from snapshot") || !strings.Contains(errs, "replayed=1") {
		t.Fatalf("want the snapshot loaded and one article replayed:\n%s", errs)
	}
	if !strings.Contains(out, "telescope") {
		t.Fatalf("the article written after the snapshot is not found: %s", out)
	}
	// Deleting an article the snapshot holds takes it out of the index.
	ciso := []string{"ask", "--json", "Who was the campaign's CISO?"}
	out, _, _ = runEnv(t, env, ciso...)
	st, err = embedded.Open(data, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var ans struct {
		Citations []struct {
			ArticleID string `json:"article_id"`
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil || len(ans.Citations) == 0 {
		st.Close()
		t.Fatalf("the question cites nothing (%v): %s", err, out)
	}
	cited := ans.Citations[0].ArticleID
	if err := st.Delete(context.Background(), cited); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Two writes since the snapshot: the lighthouse article and this
	// deletion.
	out, errs, _ = runEnv(t, env, ciso...)
	if !strings.Contains(errs, "replayed=2") || strings.Contains(out, cited) {
		t.Fatalf("the deleted article %s is still cited (%s):\n%s", cited, out, errs)
	}
}

// TestCLIRedisSnapshot: with Redis as the store, ingest leaves a local
// snapshot stamped past its own writes; a later ask starts from it and
// applies what another replica wrote since from the change stream, without
// reading every article.
func TestCLIRedisSnapshot(t *testing.T) {
	url, _, _ := redistest.Start(t)
	data := t.TempDir()
	env := debugEnv(t, data)
	env["REDIS_URL"], env["STORYBOT_REDIS_PREFIX"] = url, redistest.Prefix(t)
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/seeds", "../../testdata/articles"); code != 0 || !strings.Contains(errs, "index snapshot saved") {
		t.Fatalf("ingest exit %d, want a snapshot saved:\n%s", code, errs)
	}
	snaps, _ := filepath.Glob(filepath.Join(data, "index-redis-*.snap"))
	if len(snaps) != 1 {
		t.Fatalf("snapshots in the data folder: %v, want one for this Redis", snaps)
	}
	q := []string{"ask", "--json", "What did the lighthouse keeper of Quarrelsome Point find?"}
	if _, errs, _ := runEnv(t, env, q...); !strings.Contains(errs, "from=snapshot") || strings.Contains(errs, "reloading") {
		t.Fatalf("ask after ingest: want the index from the snapshot, nothing reloaded:\n%s", errs)
	}
	// Another replica writes.
	other := map[string]string{"REDIS_URL": env["REDIS_URL"], "STORYBOT_REDIS_PREFIX": env["STORYBOT_REDIS_PREFIX"], "STORYBOT_DATA": t.TempDir(), "HOME": t.TempDir()}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lighthouse.txt"), []byte("Lighthouse keeper finds brass telescope\n\nThe lighthouse keeper of Quarrelsome Point found a brass telescope in the cellar on Monday.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runEnv(t, other, "ingest", dir); code != 0 {
		t.Fatalf("ingest on the other replica: %s", errs)
	}
	out, errs, _ := runEnv(t, env, q...)
	if !strings.Contains(errs, "from=snapshot") || !strings.Contains(out, "telescope") {
		t.Fatalf("ask: want the index from the snapshot with the other replica's article:\n%s\n%s", errs, out)
	}
}

// TestRedisReplicaStartsFromSnapshot: serve's replica (openApp with
// follow) starts from the local snapshot, applies what was written since
// from the stream without reading every article, follows on, and saves its
// index at shutdown stamped with the stream position it reached.
func TestRedisReplicaStartsFromSnapshot(t *testing.T) {
	srv := redistest.StartServer(t, redistest.Options{Private: true})
	data := t.TempDir()
	env := map[string]string{"STORYBOT_DATA": data, "REDIS_URL": srv.URL, "STORYBOT_LOG_LEVEL": "debug", "HOME": t.TempDir()}
	if _, errs, code := runEnv(t, env, "ingest", "../../testdata/articles"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	snaps, _ := filepath.Glob(filepath.Join(data, "index-redis-*.snap"))
	if len(snaps) != 1 {
		t.Fatalf("snapshots: %v", snaps)
	}
	_, before, err := retrieval.LoadSnapshot(snaps[0])
	if err != nil {
		t.Fatal(err)
	}
	// Another replica, with its own data folder, writes after the snapshot.
	other := map[string]string{"STORYBOT_DATA": t.TempDir(), "REDIS_URL": srv.URL, "HOME": t.TempDir()}
	if _, errs, code := runEnv(t, other, "ingest", "../../testdata/seeds"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	replica, err := openApp(ctx, commonFlags{follow: true}, &logs, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	rs := replica.store.(*redisstore.Store)
	if !strings.Contains(logs.String(), "from=snapshot") || rs.FullLoads.Load() != 0 {
		replica.close()
		t.Fatalf("replica did not start from its snapshot (full loads %d):\n%s", rs.FullLoads.Load(), logs.String())
	}
	svc := replica.service()
	if a, err := svc.Ask(ctx, askReq("When did Baccio speak at a cybersecurity conference?")); err != nil || a.Status != "answered" {
		replica.close()
		t.Fatalf("an article written after the snapshot is not answered from: %v %v", a, err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lighthouse.txt"), []byte("Lighthouse keeper finds brass telescope\n\nThe lighthouse keeper of Quarrelsome Point found a brass telescope in the cellar on Monday.\n"), 0o600)
	if _, errs, code := runEnv(t, other, "ingest", dir); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	waitFor(t, func() bool {
		a, _ := svc.Ask(ctx, askReq("What did the lighthouse keeper of Quarrelsome Point find?"))
		return a != nil && strings.Contains(a.Answer, "telescope")
	})
	p, _ := rs.FollowPosition()
	cancel()
	replica.close() // shutdown: the index changed, so it is saved
	ix, after, err := retrieval.LoadSnapshot(snaps[0])
	if err != nil {
		t.Fatal(err)
	}
	if after.Position.Seq != uint64(p.Version) || after.Position.Seq <= before.Position.Seq || ix.Len() != replica.index.Len() {
		t.Errorf("snapshot at shutdown: position %+v, %d articles; want version %d (was %d), %d articles", after.Position, ix.Len(), p.Version, before.Position.Seq, replica.index.Len())
	}
}
