package answer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

// Model combines a candidate's evidence features into the probability that
// the candidate answers the question. It is a logistic regression whose
// weights are fitted on outside question sets by `go run ./answer/fit` and
// shipped as model.json (see docs/answering.md).
type Model struct {
	// Features names each weight's feature, in FeatureNames order; a model
	// whose names differ from the code's is refused.
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
	// ConfWeights and ConfBias turn the best candidate into the part's
	// confidence: a second logistic regression over the best candidate's
	// logit, its lead over the runner-up's and its features (see
	// confInputs), fitted on whether answering with it is right.
	ConfWeights []float64 `json:"confidence_weights"`
	ConfBias    float64   `json:"confidence_bias"`
	// Threshold is the default operating point: the confidence below which
	// a question part is reported not covered.
	Threshold float64 `json:"threshold"`
	// Fitted describes the data and procedure the weights came from.
	Fitted string `json:"fitted,omitempty"`
}

//go:embed model.json
var modelJSON []byte

// DefaultModel is the model shipped with the binary.
var DefaultModel = mustModel(modelJSON)

func mustModel(b []byte) *Model {
	m, err := ParseModel(b)
	if err != nil {
		panic("answer: model.json: " + err.Error())
	}
	return m
}

// ParseModel reads a model file and checks it fits the code's features.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	if len(m.Features) != NumFeatures || len(m.Weights) != NumFeatures {
		return nil, fmt.Errorf("model has %d features and %d weights, the code computes %d", len(m.Features), len(m.Weights), NumFeatures)
	}
	for i, n := range m.Features {
		if n != FeatureNames[i] {
			return nil, fmt.Errorf("model feature %d is %q, the code's is %q", i, n, FeatureNames[i])
		}
	}
	if len(m.ConfWeights) != NumFeatures+2 {
		return nil, fmt.Errorf("model has %d confidence weights, the code computes %d inputs", len(m.ConfWeights), NumFeatures+2)
	}
	if m.Threshold < 0 || m.Threshold > 1 {
		return nil, fmt.Errorf("model threshold %v is outside 0..1", m.Threshold)
	}
	return &m, nil
}

// Prob returns the probability the model gives a feature vector.
func (m *Model) Prob(f *Features) float64 {
	z := m.Bias
	for i, w := range m.Weights {
		z += w * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// ConfInputs are the inputs of the confidence regression for a part whose
// best candidate has probability p1 and features f, and whose runner-up has
// probability p2.
func ConfInputs(p1, p2 float64, f *Features) []float64 {
	x := make([]float64, 0, NumFeatures+2)
	x = append(x, logit(p1), logit(p1)-logit(p2))
	return append(x, f[:]...)
}

func logit(p float64) float64 {
	p = min(max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

// Confidence returns the probability that answering a part with its best
// candidate is right.
func (m *Model) Confidence(p1, p2 float64, f *Features) float64 {
	z := m.ConfBias
	for i, x := range ConfInputs(p1, p2, f) {
		z += m.ConfWeights[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}
