package feeds

import (
	"bytes"
	"net/url"
	"testing"

	"github.com/mmcdole/gofeed"
)

// FuzzFeedItems feeds arbitrary documents through detection, parsing and
// item reading: none of it may panic, and every item it yields has an id
// and a claim key.
func FuzzFeedItems(f *testing.F) {
	f.Add([]byte(rssFeed))
	f.Add([]byte(atomFeed))
	f.Add([]byte(`<rss><channel><item><link>javascript:alert(1)</link><description>&lt;b&gt;x&lt;/b&gt;</description></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","content_text":"hi"}]}`))
	base, _ := url.Parse("https://example.test/feed.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if !IsFeed("", data) {
			return
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, x := range itemsOf(feed, base) {
			if len(x.ids) == 0 || x.claim == "" {
				t.Fatalf("item without id: %+v", x)
			}
			if x.link != "" {
				if u, err := url.Parse(x.link); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
					t.Fatalf("item link %q is not http(s)", x.link)
				}
			}
		}
	})
}
