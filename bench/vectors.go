package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	chromem "github.com/philippgille/chromem-go"
)

// RandomVectors returns n deterministic random unit vectors of dim
// dimensions (normal components, normalised), as stand-ins for sentence
// embeddings.
func RandomVectors(n, dim int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, uint64(dim)))
	out := make([][]float32, n)
	backing := make([]float32, n*dim)
	for i := range out {
		v := backing[i*dim : (i+1)*dim : (i+1)*dim]
		var s float64
		for j := range v {
			x := r.NormFloat64()
			v[j] = float32(x)
			s += x * x
		}
		inv := 1 / math.Sqrt(s)
		for j := range v {
			v[j] = float32(float64(v[j]) * inv)
		}
		out[i] = v
	}
	return out
}

// VectorID names the i-th vector in every engine.
func VectorID(i int) string { return "v" + strconv.Itoa(i) }

// ExactScan is the plain baseline: every vector in one contiguous
// []float32, a query scored by a simple dot-product loop over all of them
// and the best k kept by insertion.
type ExactScan struct {
	dim  int
	data []float32
}

// NewExactScan copies vecs into one contiguous array.
func NewExactScan(vecs [][]float32) *ExactScan {
	if len(vecs) == 0 {
		return &ExactScan{}
	}
	s := &ExactScan{dim: len(vecs[0]), data: make([]float32, 0, len(vecs)*len(vecs[0]))}
	for _, v := range vecs {
		s.data = append(s.data, v...)
	}
	return s
}

// ScanHit is one result of ExactScan.
type ScanHit struct {
	Row   int
	Score float32
}

// Search returns the k rows with the highest dot product with q (a unit
// vector), best first.
func (s *ExactScan) Search(q []float32, k int) []ScanHit {
	top := make([]ScanHit, 0, k+1)
	for row := 0; row*s.dim < len(s.data); row++ {
		v := s.data[row*s.dim : (row+1)*s.dim]
		var dot float32
		for i, x := range q {
			dot += x * v[i]
		}
		if len(top) == k && dot <= top[k-1].Score {
			continue
		}
		i := len(top)
		top = append(top, ScanHit{})
		for i > 0 && top[i-1].Score < dot {
			top[i] = top[i-1]
			i--
		}
		top[i] = ScanHit{row, dot}
		top = top[:min(len(top), k)]
	}
	return top
}

// NewChromem returns a chromem-go collection holding vecs under VectorID
// names, with no embedding function (the vectors are precomputed).
func NewChromem(ctx context.Context, vecs [][]float32, workers int) (*chromem.Collection, error) {
	db := chromem.NewDB()
	noEmbed := func(context.Context, string) ([]float32, error) {
		return nil, fmt.Errorf("chromem: no embedding function in the benchmark")
	}
	c, err := db.CreateCollection("bench", nil, noEmbed)
	if err != nil {
		return nil, fmt.Errorf("chromem: %w", err)
	}
	docs := make([]chromem.Document, len(vecs))
	for i, v := range vecs {
		docs[i] = chromem.Document{ID: VectorID(i), Embedding: v}
	}
	if err := c.AddDocuments(ctx, docs, workers); err != nil {
		return nil, fmt.Errorf("chromem: %w", err)
	}
	return c, nil
}
