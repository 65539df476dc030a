package analysis

import (
	"context"
	"math"
	"testing"

	"github.com/gospice/gospice/mna"
)

// TestLimitGminStep: a gmin step's update moves each node by at most its limit
// (gminStepFloor volts, or gminStepShare of the largest node voltage it starts from), each
// node on its own; a node moved less keeps its bits, and held nodes and branch currents
// are left alone.
func TestLimitGminStep(t *testing.T) {
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	names := []string{"a", "b", "c", "d", "e"}
	nodes := make(map[string]int)
	for _, n := range names {
		nodes[n] = b.Node(n)
		b.Entry(nodes[n], nodes[n])
	}
	br := b.Branch("v1")
	b.Entry(br, nodes["a"])
	b.Entry(nodes["a"], br)
	e := newEngine(context.Background(), &Circuit{Sys: b.Build()}, DefaultOptions(), nil)

	cases := []struct {
		name     string
		old, new map[string]float64
		want     map[string]float64
	}{
		{
			// Starting near 0, the floor applies: 0.5 V.
			name: "floor",
			old:  map[string]float64{"a": 1, "b": 0.2, "c": 0, "d": 0, "e": 0.3},
			new:  map[string]float64{"a": 1, "b": -2358, "c": 0.1 + 0.2, "d": 0.7, "e": 1e19},
			want: map[string]float64{"a": 1, "b": 0.2 - 0.5, "c": 0.1 + 0.2, "d": 0.5, "e": 0.3 + 0.5},
		},
		{
			// Starting from a 12 V node, a quarter of it: 3 V.
			name: "share",
			old:  map[string]float64{"a": 12, "b": 1, "c": -4, "d": 0, "e": 0},
			new:  map[string]float64{"a": 12, "b": 5, "c": -6.9, "d": -3.5, "e": 2.9},
			want: map[string]float64{"a": 12, "b": 4, "c": -6.9, "d": -3, "e": 2.9},
		},
	}
	for _, c := range cases {
		for n, i := range nodes {
			e.xOld[i], e.x[i] = c.old[n], c.new[n]
		}
		e.xOld[br], e.x[br] = 0, -1e6 // a branch current: not a node voltage
		e.limitGminStep()
		for n, i := range nodes {
			if got := e.x[i]; math.Float64bits(got) != math.Float64bits(c.want[n]) {
				t.Errorf("%s: v(%s) from %g towards %g went to %.17g, want %.17g", c.name, n, c.old[n], c.new[n], got, c.want[n])
			}
		}
		if e.x[br] != -1e6 {
			t.Errorf("%s: the branch current moved to %g", c.name, e.x[br])
		}
	}

	// A held node (.nodeset, .ic) is a linear equation that its solve meets exactly.
	e.held[nodes["b"]] = true
	e.xOld[nodes["b"]], e.x[nodes["b"]] = 0, 5
	e.limitGminStep()
	if e.x[nodes["b"]] != 5 {
		t.Errorf("a held node moved to %g, want 5", e.x[nodes["b"]])
	}
}
