package analysis

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gospice/gospice/mna"
)

// TestJacobianFormedOnRead: assemble leaves J to jacobian, which forms G + alpha C with
// gshunt on the nodes' diagonal, bit for bit, from the last assemble's values (not an
// earlier one's), and a held node's row, which assemble rewrites at once, survives the
// read that follows.
func TestJacobianFormedOnRead(t *testing.T) {
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	var nodes []int
	for _, n := range []string{"a", "b", "c", "d"} {
		nodes = append(nodes, b.Node(n))
	}
	for k, i := range nodes {
		b.Entry(i, i)
		j := nodes[(k+1)%len(nodes)]
		b.Entry(i, j)
		b.Entry(j, i)
	}
	br := b.Branch("v1")
	b.Entry(br, nodes[0])
	b.Entry(nodes[0], br)
	ckt := &Circuit{Sys: b.Build(), ICs: []NodeIC{{Index: nodes[2], Value: 0.7}}}
	e := newEngine(context.Background(), ckt, DefaultOptions(), nil)
	rng := rand.New(rand.NewPCG(5, 6))
	fill := func() {
		for _, s := range [][]float64{e.vals.G, e.vals.C, e.vals.F, e.vals.Q, e.hist, e.x} {
			for i := range s {
				s[i] = rng.NormFloat64()
			}
		}
		e.alpha = rng.Float64() * 1e12
	}
	want := func() []float64 {
		w := make([]float64, len(e.vals.G))
		for h := range w {
			w[h] = e.vals.G[h] + e.alpha*e.vals.C[h]
		}
		for _, i := range nodes {
			w[e.sys.Diag[i]] += e.diagGmin
		}
		return w
	}
	same := func(name string, got, want []float64, skipRow int) {
		t.Helper()
		for h := 1; h < len(want); h++ {
			if int(e.row[h]) == skipRow {
				continue
			}
			if math.Float64bits(got[h]) != math.Float64bits(want[h]) {
				t.Errorf("%s: J at handle %d (row %d, column %d) is %.17g, want %.17g", name, h, e.row[h], e.col[h], got[h], want[h])
			}
		}
	}

	e.diagGmin = 1e-9
	fill()
	e.assemble()
	same("first", e.jacobian(), want(), -1)
	fill() // new values, alpha and gshunt: the next assemble's J must be formed from them
	e.diagGmin = 3e-7
	e.assemble()
	same("second", e.jacobian(), want(), -1)

	// A held node (.ic in a transient's initial point): its row is the hold's.
	e.clampICs = true
	fill()
	e.assemble()
	w := want()
	held := e.ics[0]
	for range 2 { // the second read must not form J again over the hold
		jac := e.jacobian()
		same("held", jac, w, held.index)
		for _, h := range held.zero {
			if h != held.diag && jac[h] != 0 {
				t.Errorf("held: J at handle %d of the held row is %g, want 0", h, jac[h])
			}
		}
		if jac[held.diag] != held.scale {
			t.Errorf("held: J's diagonal of the held row is %g, want %g", jac[held.diag], held.scale)
		}
		for _, h := range held.keep {
			if math.Float64bits(jac[h]) != math.Float64bits(w[h]) {
				t.Errorf("held: J at the kept handle %d is %g, want %g", h, jac[h], w[h])
			}
		}
	}
}
