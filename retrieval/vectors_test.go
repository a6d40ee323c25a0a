package retrieval

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func TestVectorIndexSearch(t *testing.T) {
	vx := NewVectorIndex(0)
	for id, v := range map[string][]float32{
		"east":  {1, 0, 0},
		"north": {0, 10, 0}, // length does not matter
		"ne":    {1, 1, 0},
		"up":    {0, 0, 3},
	} {
		if err := vx.Add(id, v); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		q    []float32
		k    int
		want []string
	}{
		{[]float32{2, 0, 0}, 2, []string{"east", "ne"}},
		{[]float32{0, 1, 0}, 1, []string{"north"}},
		{[]float32{1, 1, 0.1}, 3, []string{"ne", "east", "north"}},
		{[]float32{0, 0, -1}, 4, []string{"east", "ne", "north", "up"}},
		{[]float32{1, 0, 0}, 0, nil},
		{[]float32{1, 0}, 2, nil}, // wrong dimension
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.q, tc.k), func(t *testing.T) {
			var got []string
			for _, h := range vx.Search(tc.q, tc.k) {
				got = append(got, h.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Search = %v, want %v", got, tc.want)
			}
		})
	}
	if h := vx.Search([]float32{1, 0, 0}, 1); math.Abs(float64(h[0].Score)-1) > 1e-6 {
		t.Errorf("cosine of equal directions = %v, want 1", h[0].Score)
	}
}

func TestVectorIndexAddRemove(t *testing.T) {
	vx := NewVectorIndex(2)
	if err := vx.Add("z", []float32{0, 0}); !errors.Is(err, ErrZeroVector) {
		t.Errorf("zero vector: err = %v", err)
	}
	if err := vx.Add("x", []float32{1, 2, 3}); err == nil {
		t.Error("wrong dimension accepted")
	}
	for i := range 5 {
		vx.Add(fmt.Sprint(i), []float32{float32(i + 1), 1})
	}
	vx.Add("2", []float32{-1, 0}) // replace
	vx.Remove("0")
	vx.Remove("missing")
	if vx.Len() != 4 || vx.Has("0") || !vx.Has("4") {
		t.Fatalf("Len = %d, Has(0) = %v, Has(4) = %v", vx.Len(), vx.Has("0"), vx.Has("4"))
	}
	got := vx.Search([]float32{-1, 0}, 1)
	if len(got) != 1 || got[0].ID != "2" {
		t.Errorf("replaced vector not found: %v", got)
	}
	// After the swap-remove every id still finds itself.
	for _, id := range []string{"1", "2", "3", "4"} {
		vx.mu.RLock()
		row := vx.rows[id]
		v := slices.Clone(vx.slab[row*2 : row*2+2])
		vx.mu.RUnlock()
		if h := vx.Search(v, 1); h[0].ID != id && h[0].Score < 0.9999 {
			t.Errorf("%s: nearest is %v", id, h)
		}
	}
	keepOdd := func(id string) bool { return id == "1" || id == "3" }
	for _, h := range vx.SearchFunc([]float32{1, 1}, 4, keepOdd) {
		if !keepOdd(h.ID) {
			t.Errorf("filtered search returned %s", h.ID)
		}
	}
}

// TestVectorIndexMatchesBruteForce compares top-k with a sort of all scores.
func TestVectorIndexMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, dim = 500, 16
	vx := NewVectorIndex(dim)
	vecs := map[string][]float32{}
	for i := range n {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		id := fmt.Sprint("v", i)
		vecs[id] = v
		vx.Add(id, v)
	}
	q := vecs["v7"]
	type s struct {
		id    string
		score float64
	}
	var all []s
	for id, v := range vecs {
		all = append(all, s{id, float64(dot32(q, v)) / norm(q) / norm(v)})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].score > all[j].score })
	got := vx.Search(q, 10)
	for i := range got {
		if got[i].ID != all[i].id {
			t.Fatalf("rank %d: got %s, want %s", i, got[i].ID, all[i].id)
		}
	}
}

func dot32(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestFuseRRF(t *testing.T) {
	tests := []struct {
		name  string
		lists [][]string
		want  []string
	}{
		{"empty", nil, nil},
		{"one list keeps its order", [][]string{{"a", "b", "c"}}, []string{"a", "b", "c"}},
		{"agreement wins", [][]string{{"a", "b", "c"}, {"b", "c", "a", "x"}}, []string{"b", "a", "c", "x"}},
		{"both first ties, first seen first", [][]string{{"a", "b"}, {"b", "a"}}, []string{"a", "b"}},
		{"repeat counts once", [][]string{{"a", "a", "a", "b"}, {"b"}}, []string{"b", "a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FuseRRF(tc.lists...); !slices.Equal(got, tc.want) {
				t.Errorf("FuseRRF = %v, want %v", got, tc.want)
			}
		})
	}
	_, scores := FuseRRFScores([]string{"a"}, []string{"a"})
	if want := 2.0 / 61; math.Abs(scores[0]-want) > 1e-12 {
		t.Errorf("score = %v, want %v", scores[0], want)
	}
}

func BenchmarkVectorSearch(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, dim = 100_000, 256
	vx := NewVectorIndex(dim)
	v := make([]float32, dim)
	for i := range n {
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		vx.Add(fmt.Sprint(i), v)
	}
	b.ReportMetric(float64(n), "vectors")
	b.ResetTimer()
	for b.Loop() {
		vx.Search(v, 10)
	}
}
