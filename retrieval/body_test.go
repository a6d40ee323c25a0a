package retrieval

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkBody codes text cut at spans and checks that the whole text and
// every slice of it come back unchanged.
func checkBody(t *testing.T, text string, spans []Span, r *rand.Rand) body {
	t.Helper()
	b := newBody(text, spans, nil)
	if got := b.text(); got != text {
		t.Fatalf("text() of a %d-byte text differs (got %d bytes)", len(text), len(got))
	}
	if b.len() != len(text) {
		t.Fatalf("len() = %d, want %d", b.len(), len(text))
	}
	for _, sp := range spans {
		if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End {
			continue
		}
		if got := b.slice(sp.Start, sp.End); got != text[sp.Start:sp.End] {
			t.Fatalf("slice%v = %q, want %q", sp, got, text[sp.Start:sp.End])
		}
	}
	for range 50 {
		if len(text) == 0 {
			break
		}
		i, j := r.IntN(len(text)+1), r.IntN(len(text)+1)
		i, j = min(i, j), max(i, j)
		if got := b.slice(i, j); got != text[i:j] {
			t.Fatalf("slice(%d, %d) = %q, want %q", i, j, got, text[i:j])
		}
	}
	return b
}

func newsTexts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/articles/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test articles: %v", err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(data))
	}
	return out
}

func TestBodyRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 3*maxSegment+17)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	long := strings.Repeat("The council voted 7-2 to close the old bridge. ", 3000)
	cases := []struct {
		name  string
		text  string
		spans []Span
	}{
		{"empty", "", nil},
		{"short", "Rain.", []Span{{0, 5}}},
		{"no passages", "A storm closed the harbour for two days, the port authority said.", nil},
		{"one repeated byte", strings.Repeat("-", 500), []Span{{0, 500}}},
		{"random bytes", string(random), []Span{{10, 2000}, {2000, 70000}}},
		{"other script", strings.Repeat("Буря закрыла гавань на два дня. 暴風で港が閉鎖された。", 20), []Span{{0, 100}}},
		{"longer than a segment", long, []Span{{0, 48}, {48, len(long) - 100}}},
		{"spans out of order and out of range", "First paragraph here.\n\nSecond one, longer than the first.\n\nThird.",
			[]Span{{23, 59}, {0, 21}, {-4, 2}, {61, 90}, {61, 67}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkBody(t, c.text, c.spans, r) })
	}
	for _, text := range newsTexts(t) {
		checkBody(t, text, Chunk(text), r)
	}
}

// TestBodyCodesNewsSmaller checks that the body of news text is coded, cut
// where its passages start, and takes much less memory than the text.
func TestBodyCodesNewsSmaller(t *testing.T) {
	var text, coded int
	for _, s := range newsTexts(t) {
		spans := Chunk(s)
		b := newBody(s, spans, nil)
		text += len(s)
		coded += len(b)
		var starts []int
		b.segments(func(sg segment) bool {
			starts = append(starts, sg.start)
			if sg.end-sg.start >= 200 && sg.mode != segHuff4 {
				t.Errorf("a %d-byte segment of news was kept uncoded", sg.end-sg.start)
			}
			return true
		})
		for _, sp := range spans {
			if sp.Start > 0 && !containsInt(starts, sp.Start) {
				t.Errorf("no segment starts where passage %v does (segments at %v)", sp, starts)
			}
		}
	}
	if ratio := float64(coded) / float64(text); ratio > 0.68 {
		t.Errorf("news bodies take %.2f of their text, want at most 0.68", ratio)
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func FuzzBody(f *testing.F) {
	f.Add("A storm closed the harbour.\n\nThe port reopened on Friday.", 0, 29)
	f.Add(strings.Repeat("x", 100), 40, 40)
	f.Fuzz(func(t *testing.T, text string, a, b int) {
		spans := []Span{{a, b}, {b, len(text)}}
		checkBody(t, text, spans, rand.New(rand.NewPCG(uint64(a), uint64(b))))
	})
}

// BenchmarkBody codes and decodes news texts: MB/s of text, and the time to
// decode one passage.
func BenchmarkBody(b *testing.B) {
	files, _ := filepath.Glob("../testdata/eval/newsroom/*.txt")
	var texts []string
	var spans [][]Span
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
		spans = append(spans, Chunk(string(data)))
		size += len(data)
	}
	if len(texts) == 0 {
		b.Skip("no newsroom articles")
	}
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for i, t := range texts {
				newBody(t, spans[i], nil)
			}
		}
	})
	bodies := make([]body, len(texts))
	coded, passages := 0, 0
	for i, t := range texts {
		bodies[i] = newBody(t, spans[i], nil)
		coded += len(bodies[i])
		passages += len(spans[i])
	}
	b.Run("decode-text", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, bd := range bodies {
				bd.text()
			}
		}
		b.ReportMetric(float64(coded)/float64(size), "coded/text")
	})
	b.Run("decode-passage", func(b *testing.B) {
		var buf []byte
		start := time.Now()
		for b.Loop() {
			for i, bd := range bodies {
				for _, sp := range spans[i] {
					buf = bd.appendSlice(buf[:0], sp.Start, sp.End)
				}
			}
		}
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*passages), "ns/passage")
	})
}
