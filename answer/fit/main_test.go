package main

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
)

// Newton's method recovers the weights that generated the labels.
func TestNewtonRecoversWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	want := []float64{2, -1.5}
	const bias = 0.5
	var xs [][]float64
	var ys []float64
	for range 20000 {
		x := []float64{r.NormFloat64(), r.NormFloat64()}
		p := 1 / (1 + math.Exp(-(bias + want[0]*x[0] + want[1]*x[1])))
		y := 0.0
		if r.Float64() < p {
			y = 1
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	w, b := newton(xs, ys, 0, 2)
	for i := range want {
		if math.Abs(w[i]-want[i]) > 0.1 {
			t.Errorf("weight %d = %.3f, want %.3f", i, w[i], want[i])
		}
	}
	if math.Abs(b-bias) > 0.1 {
		t.Errorf("bias = %.3f, want %.3f", b, bias)
	}
}

// The command fits on a set, reports held-out figures and the ablation
// table, and writes a model the answerer accepts.
func TestFitWritesAModel(t *testing.T) {
	out := filepath.Join(t.TempDir(), "model.json")
	var buf bytes.Buffer
	if err := run(context.Background(), []string{"-train", "0.7", "-out", out, "../qa/testdata/set"}, &buf); err != nil {
		t.Fatalf("fit: %v\n%s", err, buf.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := answer.ParseModel(b)
	if err != nil {
		t.Fatalf("the written model does not parse: %v", err)
	}
	if !strings.Contains(m.Fitted, "go run ./answer/fit") {
		t.Errorf("the model does not say how it was fitted: %q", m.Fitted)
	}
	for _, want := range []string{"held-out questions", "| removed | cover@85 |", "| coverage |"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestFitRefusesNoSets(t *testing.T) {
	if err := run(context.Background(), nil, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "question-set folders") {
		t.Errorf("error %v", err)
	}
}
