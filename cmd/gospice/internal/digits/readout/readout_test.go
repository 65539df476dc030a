package readout

import (
	"math"
	"math/rand/v2"
	"testing"
)

// clusters draws n examples of 10 classes, each a Gaussian around its own centre in d
// dimensions, with a constant feature and one on a large scale to exercise the
// standardization.
func clusters(rng *rand.Rand, n, d int, spread float64) ([][]float64, []int) {
	centres := make([][]float64, 10)
	crng := rand.New(rand.NewPCG(7, 7))
	for k := range centres {
		centres[k] = make([]float64, d)
		for j := range centres[k] {
			centres[k][j] = crng.NormFloat64()
		}
	}
	x := make([][]float64, n)
	y := make([]int, n)
	for i := range x {
		y[i] = i % 10
		x[i] = make([]float64, d+2)
		for j := range d {
			x[i][j] = centres[y[i]][j] + spread*rng.NormFloat64()
		}
		x[i][d] = 5                                           // constant
		x[i][d+1] = 1e6 * (float64(y[i]) + rng.NormFloat64()) // large scale
	}
	return x, y
}

func TestFitSeparatesClusters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := clusters(rng, 500, 20, 0.5)
	p, err := NewProblem(x, y, 10)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Fit(1e-3)
	if err != nil {
		t.Fatal(err)
	}
	tx, ty := clusters(rng, 500, 20, 0.5)
	acc, right := m.Accuracy(tx, ty)
	t.Logf("held-out accuracy %.3f (%d/500)", acc, right)
	if acc < 0.95 {
		t.Errorf("held-out accuracy %.3f on well separated clusters, want at least 0.95", acc)
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
}

// The weights solve the ridge normal equations (Z'Z + lambda n I) W = Z'(T - mean T),
// checked on the standardized features formed anew here.
func TestFitSolvesNormalEquations(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := clusters(rng, 200, 8, 1)
	const lambda = 0.1
	p, err := NewProblem(x, y, 10)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Fit(lambda)
	if err != nil {
		t.Fatal(err)
	}
	n, d := len(x), len(x[0])
	z := make([][]float64, n)
	for i, row := range x {
		z[i] = make([]float64, d)
		for j, v := range row {
			z[i][j] = (v - m.Mean[j]) * m.Scale[j]
		}
	}
	worst := 0.0
	for k := range 10 {
		for j := range d {
			lhs := lambda * float64(n) * m.Weights[k][j]
			rhs := 0.0
			for i := range n {
				s := 0.0
				for l := range d {
					s += z[i][l] * m.Weights[k][l]
				}
				target := 0.0
				if y[i] == k {
					target = 1
				}
				lhs += z[i][j] * s
				rhs += z[i][j] * (target - m.Bias[k])
			}
			worst = max(worst, math.Abs(lhs-rhs))
		}
	}
	t.Logf("largest residual of the normal equations %.3g", worst)
	if worst > 5e-13 {
		t.Errorf("normal equations off by %.3g", worst)
	}
	// The constant feature gets weight 0 (its standardized value is 0 everywhere).
	for k := range 10 {
		if w := m.Weights[k][d-2]; w != 0 {
			t.Errorf("class %d: weight %g on the constant feature, want 0", k, w)
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := NewProblem(nil, nil, 10); err == nil {
		t.Error("no examples accepted")
	}
	if _, err := NewProblem([][]float64{{1}, {2, 3}}, []int{0, 1}, 10); err == nil {
		t.Error("ragged examples accepted")
	}
	if _, err := NewProblem([][]float64{{1}}, []int{10}, 10); err == nil {
		t.Error("label 10 of 10 classes accepted")
	}
	m := &Model{Mean: []float64{1}, Scale: []float64{1}, Weights: [][]float64{{1, 2}}, Bias: []float64{0}}
	if m.Check() == nil {
		t.Error("a class with 2 weights for 1 feature passed Check")
	}
}
