package bot

import (
	"errors"
	"strings"
	"testing"
)

// Errors shown in Slack carry no address of this network.
func TestForPeople(t *testing.T) {
	for _, in := range []string{
		`could not read https://news.example/a: Get "https://news.example/a": proxyconnect tcp: dial tcp 10.2.3.4:3128: connect: connection refused`,
		`could not read https://news.example/a: dial tcp [fd00::1]:443: i/o timeout`,
		`could not read https://news.example/a: lookup news.example on resolver.corp.internal:53: no such host`,
	} {
		got := forPeople(errors.New(in))
		for _, leak := range []string{"10.2.3.4", "3128", "fd00::1", "resolver.corp.internal", ":53"} {
			if strings.Contains(got, leak) {
				t.Errorf("%q shows %q", got, leak)
			}
		}
		if !strings.Contains(got, "https://news.example/a") {
			t.Errorf("%q lost the user's own address", got)
		}
	}
}
