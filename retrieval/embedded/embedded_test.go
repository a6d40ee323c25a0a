package embedded_test

import (
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embedded"
	"github.com/storybot/storybot/retrieval/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		s, err := embedded.Open(t.TempDir(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
