package analysis

import (
	"math/cmplx"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// pencil builds G and C of n unknowns from entries {row, col, value}.
func pencil(n int, g, c [][3]float64) (*mat.Dense, *mat.Dense) {
	gm, cm := mat.NewDense(n, n, nil), mat.NewDense(n, n, nil)
	for _, e := range g {
		gm.Set(int(e[0]), int(e[1]), gm.At(int(e[0]), int(e[1]))+e[2])
	}
	for _, e := range c {
		cm.Set(int(e[0]), int(e[1]), cm.At(int(e[0]), int(e[1]))+e[2])
	}
	return gm, cm
}

func wantEigenvalues(t *testing.T, got []complex128, want []complex128, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("eigenvalues %v, want %v", got, want)
	}
	worst := 0.0
	for i := range want {
		d := cmplx.Abs(got[i]-want[i]) / cmplx.Abs(want[i])
		worst = max(worst, d)
		if !(d <= tol) {
			t.Errorf("eigenvalue %d = %v, want %v", i, got[i], want[i])
		}
	}
	t.Logf("within %.2g (relative)", worst)
}

// TestPencilChainOfAmplifiers: four stages of R||L, each driving the next by a
// transconductance of 1 S (ngspice's pz2.cir): the poles -R/L are exact although the
// algebraic part, gains of 1e9 per stage, is far from well conditioned.
func TestPencilChainOfAmplifiers(t *testing.T) {
	rs := []float64{1.019524e9, 8.296965e8, 8.652054e7, 1.060594e7}
	var g, c [][3]float64
	for k, r := range rs {
		v, i := float64(2*k), float64(2*k+1) // the stage's node and its inductor's branch
		g = append(g, [3]float64{v, v, 1 / r}, [3]float64{v, i, 1}, [3]float64{i, v, 1})
		c = append(c, [3]float64{i, i, -1})
		if k > 0 {
			g = append(g, [3]float64{v, v - 2, 1})
		}
	}
	gm, cm := pencil(8, g, c)
	got, err := pencilEigenvalues(gm, cm)
	if err != nil {
		t.Fatal(err)
	}
	wantEigenvalues(t, got, []complex128{-1.019524e9, -8.296965e8, -8.652054e7, -1.060594e7}, 1e-14) // measured 1e-15
}

// TestPencilHigherIndex: a voltage source across a capacitor (a loop of a capacitor and
// a voltage source: G22 is singular), then R to a node with C2 to ground. The one
// finite eigenvalue is -1/(R C2); the source's capacitor adds none.
func TestPencilHigherIndex(t *testing.T) {
	const r, c1, c2 = 1e3, 1e-9, 2e-12
	// Unknowns: v(a) 0, v(b) 1, i(v1) 2.
	gm, cm := pencil(3, [][3]float64{
		{0, 0, 1 / r}, {0, 1, -1 / r}, {1, 0, -1 / r}, {1, 1, 1 / r},
		{0, 2, 1}, {2, 0, 1},
	}, [][3]float64{{0, 0, c1}, {1, 1, c2}})
	got, err := pencilEigenvalues(gm, cm)
	if err != nil {
		t.Fatal(err)
	}
	wantEigenvalues(t, got, []complex128{-1 / (r * c2)}, 5e-15) // measured 4.8e-16
}

// TestPencilTriplePole: three equal stages in cascade, a pole of multiplicity 3 (a
// Jordan block: rounding would split it by the cube root of the rounding error).
func TestPencilTriplePole(t *testing.T) {
	var g, c [][3]float64
	for k := range 3 {
		v := float64(k)
		g = append(g, [3]float64{v, v, 1})
		c = append(c, [3]float64{v, v, 0.05})
		if k > 0 {
			g = append(g, [3]float64{v, v - 1, 1})
		}
	}
	gm, cm := pencil(3, g, c)
	got, err := pencilEigenvalues(gm, cm)
	if err != nil {
		t.Fatal(err)
	}
	wantEigenvalues(t, got, []complex128{-20, -20, -20}, 2e-15) // measured 1.8e-16
}

// TestPencilSingular: a node with nothing but a capacitor between two floating nodes:
// G + sC is singular at every s, which is an error.
func TestPencilSingular(t *testing.T) {
	gm, cm := pencil(2, nil, [][3]float64{{0, 0, 1e-12}, {0, 1, -1e-12}, {1, 0, -1e-12}, {1, 1, 1e-12}})
	if got, err := pencilEigenvalues(gm, cm); err == nil {
		t.Errorf("no error; eigenvalues %v", got)
	}
}
