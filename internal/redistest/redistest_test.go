package redistest

import (
	"strings"
	"testing"
)

func TestStartStopRestart(t *testing.T) {
	s := StartServer(t, Options{Private: true, AppendOnly: true})
	if _, err := command(s.Addr, "SET k v"); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if _, err := command(s.Addr, "PING"); err == nil {
		t.Fatal("PING answered after Stop")
	}
	s.Restart()
	got, err := command(s.Addr, "GET k")
	if err != nil || got != "v" {
		t.Fatalf("after restart GET k = %q, %v; want v (append-only file)", got, err)
	}
}

func TestStartCluster(t *testing.T) {
	addrs := StartCluster(t, 3)
	if len(addrs) != 3 {
		t.Fatalf("got %d nodes", len(addrs))
	}
	info, err := command(addrs[0], "CLUSTER INFO")
	if err != nil || !strings.Contains(info, "cluster_known_nodes:3") {
		t.Fatalf("CLUSTER INFO = %q, %v", info, err)
	}
}

func TestPrefixUnique(t *testing.T) {
	if a, b := Prefix(t), Prefix(t); a == b {
		t.Fatalf("Prefix repeated: %s", a)
	}
}
