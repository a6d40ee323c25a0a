package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseRedisURL(t *testing.T) {
	cases := []struct {
		in      string
		want    Redis
		wantErr string
	}{
		{in: "", want: Redis{}},
		{in: "redis://localhost", want: Redis{Addrs: []string{"localhost:6379"}}},
		{in: "redis://localhost:6380/", want: Redis{Addrs: []string{"localhost:6380"}}},
		{in: "redis://:pw@10.0.0.5:6379/3", want: Redis{Addrs: []string{"10.0.0.5:6379"}, Password: "pw", DB: 3}},
		{in: "redis://alice:p%40ss%2Fw@cache/0", want: Redis{Addrs: []string{"cache:6379"}, Username: "alice", Password: "p@ss/w"}},
		{in: "redis://alice@cache", want: Redis{Addrs: []string{"cache:6379"}, Username: "alice"}},
		{in: "redis://u:a:b@cache", want: Redis{Addrs: []string{"cache:6379"}, Username: "u", Password: "a:b"}},
		{in: "redis://u:a@b@cache", want: Redis{Addrs: []string{"cache:6379"}, Username: "u", Password: "a@b"}},
		{in: "rediss://u:pw@cache.example.com:6380/1", want: Redis{Addrs: []string{"cache.example.com:6380"}, Username: "u", Password: "pw", DB: 1, TLS: true}},
		{in: "REDISS://cache", want: Redis{Addrs: []string{"cache:6379"}, TLS: true}},
		{in: "redis://[::1]:7000", want: Redis{Addrs: []string{"[::1]:7000"}}},
		{in: "redis://[::1]", want: Redis{Addrs: []string{"[::1]:6379"}}},
		{in: "localhost:6379", want: Redis{Addrs: []string{"localhost:6379"}}},
		// Cluster forms.
		{in: "redis+cluster://h1:7000,h2:7001", want: Redis{Addrs: []string{"h1:7000", "h2:7001"}, Cluster: true}},
		{in: "redis+cluster://h1", want: Redis{Addrs: []string{"h1:6379"}, Cluster: true}},
		{in: "rediss+cluster://u:pw@h1:7000,h2:7001", want: Redis{Addrs: []string{"h1:7000", "h2:7001"}, Username: "u", Password: "pw", TLS: true, Cluster: true}},
		{in: "redis://h1:7000,h2:7001", want: Redis{Addrs: []string{"h1:7000", "h2:7001"}, Cluster: true}},
		{in: "h1:7000, h2:7001", want: Redis{Addrs: []string{"h1:7000", "h2:7001"}, Cluster: true}},
		{in: "redis://:pw@h1:7000?addr=h2:7001&addr=h3", want: Redis{Addrs: []string{"h1:7000", "h2:7001", "h3:6379"}, Password: "pw", Cluster: true}},
		// Sentinel forms.
		{in: "redis+sentinel://s1,s2:26380/mymaster", want: Redis{Addrs: []string{"s1:26379", "s2:26380"}, MasterName: "mymaster"}},
		{in: "redis+sentinel://:pw@s1:26379/mymaster/2", want: Redis{Addrs: []string{"s1:26379"}, Password: "pw", MasterName: "mymaster", DB: 2}},
		{in: "rediss+sentinel://s1/m?sentinel_username=sen&sentinel_password=spw", want: Redis{Addrs: []string{"s1:26379"}, MasterName: "m", TLS: true, SentinelUsername: "sen", SentinelPassword: "spw"}},
		{in: "redis+sentinel://s1?addr=s2/m", wantErr: "address 2 is not a valid host"},
		// Errors.
		{in: "http://cache", wantErr: "not a Redis URL"},
		{in: "redis://", wantErr: "has no host"},
		{in: "redis://u:pw@", wantErr: "has no host"},
		{in: "redis://cache/x", wantErr: "database (the /db part) is not a number"},
		{in: "redis://cache/-1", wantErr: "not a number >= 0"},
		{in: "redis://cache/1/2", wantErr: "too many path parts"},
		{in: "redis://cache:0", wantErr: "address 1 has an invalid port"},
		{in: "redis://cache:port", wantErr: "address 1 has an invalid port"},
		{in: "redis://a,,b", wantErr: "address 2 is empty"},
		{in: "redis://a,b/1", wantErr: "only database 0"},
		{in: "redis+cluster://a/2", wantErr: "only database 0"},
		{in: "redis+sentinel://s1", wantErr: "needs a master name"},
		{in: "redis+sentinel://s1/", wantErr: "needs a master name"},
		{in: "redis://cache?timeout=3", wantErr: `unknown option "timeout"`},
		{in: "redis://cache?sentinel_password=x", wantErr: "only for redis+sentinel"},
		{in: "redis://u:p#w@cache", wantErr: "fragment"},
		{in: "redis://u:p/w@cache", wantErr: "percent-encode"},
		{in: "redis://u:p%zz@cache", wantErr: "invalid %-escape"},
		{in: "unix:///tmp/redis.sock", wantErr: "unix sockets are not supported"},
		{in: "redis://ca che", wantErr: "not a valid host"},
		{in: "redis://fe80::1", want: Redis{Addrs: []string{"[fe80::1]:6379"}}},
		{in: "redis://h:1:2", wantErr: "address 1 is not a valid host"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRedisURL(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q (got %+v)", err, tc.wantErr, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestRedisString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"redis://cache", "redis://cache:6379"},
		{"rediss://u:pw@cache:6380/2", "rediss://u:[redacted]@cache:6380/2"},
		{"redis+cluster://:pw@a,b:7001", "redis+cluster://:[redacted]@a:6379,b:7001"},
		{"redis+sentinel://s/m/1", "redis+sentinel://s:26379/m/1"},
	}
	for _, tc := range cases {
		r, err := ParseRedisURL(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.String(); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
		// The redacted form parses back to the same servers.
		back, err := ParseRedisURL(r.String())
		if err != nil || !reflect.DeepEqual(back.Addrs, r.Addrs) || back.Mode() != r.Mode() || back.DB != r.DB {
			t.Errorf("String(%q) does not parse back: %+v, %v", tc.in, back, err)
		}
	}
}

// FuzzParseRedisURL checks that the parser never panics, that what it accepts
// is usable, and that a password never leaks into an error.
func FuzzParseRedisURL(f *testing.F) {
	for _, s := range []string{"redis://u:pw@h:1/2", "rediss+cluster://a,b", "redis+sentinel://:p@s/m/0?sentinel_password=x",
		"h1:1,h2:2", "redis://[::1]:6379", "redis://u:p%2F@h?addr=x:1"} {
		f.Add(s, "Zq9secretZq9")
	}
	f.Fuzz(func(t *testing.T, raw, pass string) {
		r, err := ParseRedisURL(raw)
		if err == nil && raw != "" && strings.TrimSpace(raw) != "" {
			if len(r.Addrs) == 0 {
				t.Fatalf("%q parsed with no addresses", raw)
			}
			if r.Cluster && r.DB != 0 {
				t.Fatalf("%q: cluster with DB %d", raw, r.DB)
			}
		}
		if len(pass) < 6 || strings.ContainsAny(pass, `@"\`) || strings.Contains(fmt.Sprintf("%q", raw), pass) {
			return
		}
		withPass := "redis://user:" + pass + "@" + raw
		if _, err := ParseRedisURL(withPass); err != nil && strings.Contains(err.Error(), pass) {
			t.Fatalf("error for %q contains the password: %v", withPass, err)
		}
	})
}
