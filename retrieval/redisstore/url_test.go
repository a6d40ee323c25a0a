package redisstore

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url  string
		want Options
	}{
		{"redis://localhost", Options{Addrs: []string{"localhost:6379"}}},
		{"redis://:s3cret@10.0.0.1:6380/2", Options{Addrs: []string{"10.0.0.1:6380"}, Password: "s3cret", DB: 2}},
		{"rediss://bot:pw@cache.example:6390", Options{Addrs: []string{"cache.example:6390"}, Username: "bot", Password: "pw", TLS: true}},
		{"redis://h1:7000,h2:7001", Options{Addrs: []string{"h1:7000", "h2:7001"}, Cluster: true}},
		{"redis://h1:7000?addr=h2:7001", Options{Addrs: []string{"h1:7000", "h2:7001"}, Cluster: true}},
		{"redis+cluster://h1:7000", Options{Addrs: []string{"h1:7000"}, Cluster: true}},
		{"rediss+sentinel://:pw@s1,s2:26380/mymaster/1", Options{Addrs: []string{"s1:26379", "s2:26380"}, Password: "pw", MasterName: "mymaster", DB: 1, TLS: true}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := ParseURL(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseURLErrorsHidePassword(t *testing.T) {
	for _, u := range []string{
		"http://:hunter22@h",
		"redis://:hunter22@h/x",
		"redis+sentinel://:hunter22@h",
		"redis+cluster://:hunter22@h/3",
		"redis://:hunter22@h:port:bad/%zz",
	} {
		_, err := ParseURL(u)
		if err == nil {
			t.Errorf("ParseURL(%q) succeeded", u)
			continue
		}
		if strings.Contains(err.Error(), "hunter22") {
			t.Errorf("ParseURL(%q) error shows the password: %v", u, err)
		}
	}
}
