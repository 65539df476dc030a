package netlists_test

import (
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// tableCurves are table_sources.cir's TABLE sources as functions of v(a): the straight
// lines between their points, held at the end values outside them, and the x of every
// corner with the length of its shorter neighbouring segment.
var tableCurves = []struct {
	vector  string
	f       func(va float64) float64
	corners [][2]float64 // x of a corner in v(a), the shorter segment's length in v(a)
}{
	{"v(o1)", func(va float64) float64 { return pwl(2*va, []float64{-1, 0, 1, 2}, []float64{-5, 0, 3, 3.5}) },
		[][2]float64{{-0.5, 0.5}, {0, 0.5}, {0.5, 0.5}, {1, 0.5}}},
	{"v(o2)", func(va float64) float64 { return 1e3 * pwl(va, []float64{-1, 0, 1}, []float64{-1e-3, 0, 1e-3}) },
		[][2]float64{{-1, 1}, {0, 1}, {1, 1}}},
	{"v(o3)", func(va float64) float64 {
		return 1e3 * pwl(va+0.5, []float64{-1, 0, 2, 3}, []float64{-1e-3, 0, 1e-3, 3e-3})
	}, [][2]float64{{-1.5, 1}, {-0.5, 1}, {1.5, 1}, {2.5, 1}}},
}

// pwl is the straight lines through (xs, ys), held at the end values outside them.
func pwl(x float64, xs, ys []float64) float64 {
	if x <= xs[0] {
		return ys[0]
	}
	for k := 1; k < len(xs); k++ {
		if x <= xs[k] {
			return ys[k-1] + (ys[k]-ys[k-1])*(x-xs[k-1])/(xs[k]-xs[k-1])
		}
	}
	return ys[len(ys)-1]
}

// nearCorner reports whether va is within a tenth of the shorter neighbouring segment of
// one of the corners, where ngspice rounds the curve.
func nearCorner(va float64, corners [][2]float64) bool {
	for _, c := range corners {
		if math.Abs(va-c[0]) <= 0.1*c[1]+1e-9 {
			return true
		}
	}
	return false
}

// TestTableExact: every point of the sweep is on the straight lines of the table.
func TestTableExact(t *testing.T) {
	tab, err := crosscheck.Gospice("table_sources.cir", "dc")
	if err != nil {
		t.Fatal(err)
	}
	va := tab.Col("v1")
	for _, c := range tableCurves {
		worst := 0.0
		for r, got := range tab.Col(c.vector) {
			worst = math.Max(worst, math.Abs(got-c.f(va[r])))
		}
		t.Logf("%s: %d points, worst %.3g V from the table's lines", c.vector, len(va), worst)
		if worst > 5e-15 {
			t.Errorf("%s: %.3g V from the table's lines", c.vector, worst)
		}
	}
}

// TestTableAgainstNgspice compares the sweep with ngspice 39's away from the corners,
// where ngspice rounds the table (measured: v(o1) 0.125 V above the lines at its corner
// at v(a) = -0.5, within a tenth of the shorter segment of each corner).
func TestTableAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice not installed: skipping the comparison of TABLE sources with ngspice")
	}
	var vectors []string
	for _, c := range tableCurves {
		vectors = append(vectors, c.vector)
	}
	ng, err := crosscheck.Ngspice("table_sources.cir", "dc", vectors)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := crosscheck.Gospice("table_sources.cir", "dc")
	if err != nil {
		t.Fatal(err)
	}
	va := gs.Col("v1")
	if ng.Len() != len(va) {
		t.Fatalf("ngspice has %d points, gospice %d", ng.Len(), len(va))
	}
	for _, c := range tableCurves {
		worst, compared, rounded := 0.0, 0, 0.0
		for r, got := range gs.Col(c.vector) {
			d := math.Abs(got - ng.Col(c.vector)[r])
			if nearCorner(va[r], c.corners) {
				rounded = math.Max(rounded, d)
				continue
			}
			worst, compared = math.Max(worst, d), compared+1
		}
		t.Logf("%s: %d points away from the corners, worst %.3g V; near them ngspice is up to %.3g V off the lines",
			c.vector, compared, worst, rounded)
		if compared < 300 || worst > 2e-12 {
			t.Errorf("%s: %d points compared, worst %.3g V", c.vector, compared, worst)
		}
	}
}
