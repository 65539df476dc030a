// Package readout is the spoken-digit task's linear classifier: ridge regression of
// one-hot class targets on standardized features (one vs rest), fitted with gonum, the
// class with the largest score predicted.
package readout

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Model is a fitted readout, saved in the model folder as JSON.
type Model struct {
	Lambda  float64     `json:"lambda"`  // ridge penalty per example, on standardized features
	Mean    []float64   `json:"mean"`    // each feature's mean over the training examples
	Scale   []float64   `json:"scale"`   // and the factor that gives it unit variance (1 for a constant)
	Weights [][]float64 `json:"weights"` // Weights[class][feature], on standardized features
	Bias    []float64   `json:"bias"`    // Bias[class]
}

// Problem is a training set made ready for fits at several penalties: standardized, its
// Gram matrix and right-hand sides formed once.
type Problem struct {
	classes     int
	n           int
	mean, scale []float64
	gram        *mat.SymDense // Z'Z
	rhs         *mat.Dense    // Z'(T - mean T)
	bias        []float64     // mean T
}

// NewProblem prepares x (one row of features per example) with labels y in [0, classes).
func NewProblem(x [][]float64, y []int, classes int) (*Problem, error) {
	n := len(x)
	if n == 0 || n != len(y) {
		return nil, fmt.Errorf("readout: %d examples with %d labels", n, len(y))
	}
	d := len(x[0])
	if d == 0 {
		return nil, errors.New("readout: examples with no features")
	}
	p := &Problem{classes: classes, n: n, mean: make([]float64, d), scale: make([]float64, d), bias: make([]float64, classes)}
	for i, row := range x {
		if len(row) != d {
			return nil, fmt.Errorf("readout: example %d has %d features, the first %d", i, len(row), d)
		}
		if y[i] < 0 || y[i] >= classes {
			return nil, fmt.Errorf("readout: example %d has label %d, outside 0-%d", i, y[i], classes-1)
		}
		for j, v := range row {
			p.mean[j] += v
		}
		p.bias[y[i]]++
	}
	for j := range p.mean {
		p.mean[j] /= float64(n)
	}
	for k := range p.bias {
		p.bias[k] /= float64(n)
	}
	for _, row := range x {
		for j, v := range row {
			p.scale[j] += (v - p.mean[j]) * (v - p.mean[j])
		}
	}
	for j, ss := range p.scale {
		sd := math.Sqrt(ss / float64(n))
		p.scale[j] = 1
		if sd > 1e-12*(1+math.Abs(p.mean[j])) {
			p.scale[j] = 1 / sd
		}
	}
	z := mat.NewDense(n, d, nil)
	t := mat.NewDense(n, classes, nil)
	for i, row := range x {
		for j, v := range row {
			z.Set(i, j, (v-p.mean[j])*p.scale[j])
		}
		for k := range classes {
			target := 0.0
			if y[i] == k {
				target = 1
			}
			t.Set(i, k, target-p.bias[k])
		}
	}
	p.gram = mat.NewSymDense(d, nil)
	p.gram.SymOuterK(1, z.T())
	p.rhs = mat.NewDense(d, classes, nil)
	p.rhs.Mul(z.T(), t)
	return p, nil
}

// Fit solves the ridge problem at penalty lambda per example: the weights minimise
// |Z W - T|^2 + lambda n |W|^2, with the bias (the targets' mean) not penalised.
func (p *Problem) Fit(lambda float64) (*Model, error) {
	if !(lambda > 0) {
		return nil, fmt.Errorf("readout: lambda %g must be positive", lambda)
	}
	d := len(p.mean)
	a := mat.NewSymDense(d, nil)
	a.CopySym(p.gram)
	for j := range d {
		a.SetSym(j, j, a.At(j, j)+lambda*float64(p.n))
	}
	var ch mat.Cholesky
	if !ch.Factorize(a) {
		return nil, fmt.Errorf("readout: the ridge system at lambda %g is not positive definite", lambda)
	}
	var w mat.Dense
	if err := ch.SolveTo(&w, p.rhs); err != nil {
		return nil, fmt.Errorf("readout: solving at lambda %g: %v", lambda, err)
	}
	m := &Model{Lambda: lambda, Mean: p.mean, Scale: p.scale, Bias: p.bias, Weights: make([][]float64, p.classes)}
	for k := range p.classes {
		m.Weights[k] = mat.Col(nil, k, &w)
	}
	return m, nil
}

// Check reports a model whose parts do not fit together, as a model file edited by hand
// or cut short would.
func (m *Model) Check() error {
	d := len(m.Mean)
	if d == 0 || len(m.Scale) != d || len(m.Weights) == 0 || len(m.Bias) != len(m.Weights) {
		return fmt.Errorf("readout: %d means, %d scales, %d classes of weights and %d biases do not fit together", d, len(m.Scale), len(m.Weights), len(m.Bias))
	}
	for k, w := range m.Weights {
		if len(w) != d {
			return fmt.Errorf("readout: class %d has %d weights for %d features", k, len(w), d)
		}
	}
	return nil
}

// Features is the number of features the model takes.
func (m *Model) Features() int { return len(m.Mean) }

// Predict returns the class with the largest score for the features x.
func (m *Model) Predict(x []float64) int {
	best, arg := math.Inf(-1), 0
	for k, w := range m.Weights {
		s := m.Bias[k]
		for j, v := range x {
			s += w[j] * (v - m.Mean[j]) * m.Scale[j]
		}
		if s > best {
			best, arg = s, k
		}
	}
	return arg
}

// Accuracy returns the fraction of x that m classifies as y says, and the count.
func (m *Model) Accuracy(x [][]float64, y []int) (float64, int) {
	right := 0
	for i, row := range x {
		if m.Predict(row) == y[i] {
			right++
		}
	}
	if len(x) == 0 {
		return 0, 0
	}
	return float64(right) / float64(len(x)), right
}
