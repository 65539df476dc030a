package sparse

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// refactorWork counts the multiply-adds and divisions of a refactorization that computes
// every column: each entry of a column of U above its diagonal subtracts its column of L,
// and each entry of L is a division by the pivot.
func refactorWork[T Scalar](lu *LU[T]) int {
	work := 0
	for k := range lu.n {
		for t := lu.ptr[2*k]; t < lu.ptr[2*k+2]-1; t++ {
			s := lu.idx[t]
			work += lu.ptr[2*s+3] - lu.ptr[2*s+1]
		}
		work += lu.ptr[2*k+3] - lu.ptr[2*k+1]
	}
	return work
}

// amdOnly is NewLU without the singletons: approximate minimum degree and the diagonal.
func amdOnly(p *Pattern) *LU[float64] {
	start, list := p.symmetricAdjacency()
	return newLUWithOrder[float64](p, amdOrder(p.n, start, list), nil)
}

// supplyChain is the Jacobian of a chain of count CMOS inverters on one supply, in the
// shape of the ISCAS85 circuits' BSIM4 gates: the supply node (unknown 0) and its source's
// current (1), the input node (2) and its source's current (3), then per stage the
// p-channel transistor's internal source node behind its series resistance to the supply,
// the n-channel one's to ground, and the output, which the p-channel bulk junction also
// ties to the supply. With zeroDiagonals, the two sources' branch rows hold a zero on
// their diagonal, as every unknown's did before mna left a branch's out.
func supplyChain(rng *rand.Rand, count int, zeroDiagonals bool) (int, []entry[float64]) {
	var e []entry[float64]
	add := func(r, c int, v float64) { e = append(e, entry[float64]{r, c, v}) }
	couple := func(a, b int, g float64) { // a conductance or capacitance between a and b
		add(a, a, g)
		add(b, b, g)
		add(a, b, -g)
		add(b, a, -g)
	}
	const vdd, supply, in, source = 0, 1, 2, 3
	add(vdd, supply, 1)
	add(supply, vdd, 1)
	add(in, source, 1)
	add(source, in, 1)
	if zeroDiagonals {
		add(supply, supply, 0)
		add(source, source, 0)
	}
	gate := in
	for k := range count {
		ps, ns, out := 4+3*k, 5+3*k, 6+3*k
		vary := func(v float64) float64 { return v * (1 + 0.2*rng.Float64()) }
		couple(vdd, ps, vary(1e-2))
		add(ns, ns, vary(1e-2))
		couple(ps, out, vary(1e-5))
		couple(out, ns, vary(1e-5))
		gm := vary(1e-4)
		add(out, gate, gm)
		add(ps, gate, -gm)
		add(ns, gate, -gm)
		couple(gate, ps, vary(1e-4))
		couple(gate, ns, vary(1e-4))
		couple(gate, out, vary(2e-5))
		couple(out, vdd, vary(5e-5))
		add(out, out, vary(1e-4))
		gate = out
	}
	return 4 + 3*count, e
}

// TestSingletonsFirst factors a chain of 300 inverters on one supply, whose node AMD
// orders last: pivoted first on its source's branch row, the supply's column costs a
// division per entry and updates nothing, and the factors, their work and the solution
// say so, against main's factorization before (a zero on the branch diagonals, AMD alone).
func TestSingletonsFirst(t *testing.T) {
	const vdd = 0 // the supply node; its source's current is unknown 1
	p, vals := assemble(supplyChain(rand.New(rand.NewPCG(21, 22)), 300, false))
	before, beforeVals := assemble(supplyChain(rand.New(rand.NewPCG(21, 22)), 300, true))
	lu, plain := NewLU[float64](p), amdOnly(before)
	if err := lu.Factor(vals); err != nil {
		t.Fatal(err)
	}
	if err := plain.Factor(beforeVals); err != nil {
		t.Fatal(err)
	}
	step := slices.Index(lu.colOrder, vdd)
	if step < 0 || step >= 4 {
		t.Fatalf("the supply's column is step %d, want one of the 4 singletons' first", step)
	}
	if r := lu.pivotRow[step]; r != 1 {
		t.Errorf("the supply's column pivots on row %d, want its source's branch row 1", r)
	}
	// Above its pivot, only steps whose column of L is empty (column singletons).
	for t0 := lu.ptr[2*step]; t0 < lu.ptr[2*step+2]-1; t0++ {
		if s := lu.idx[t0]; lu.ptr[2*s+3] != lu.ptr[2*s+1] {
			t.Errorf("the supply's column of U is updated by step %d", s)
		}
	}
	if n := lu.Stats().OffDiagonalPivots; n != 0 {
		t.Errorf("%d pivots off the preferred rows, want 0", n)
	}
	work, plainWork := refactorWork(lu), refactorWork(plain)
	nnz, plainNNZ := lu.Stats().NNZ, plain.Stats().NNZ
	t.Logf("300 inverters: nnz(L+U) %d, a refactorization %d multiply-adds and divisions (before: %d, %d)", nnz, work, plainNNZ, plainWork)
	// Measured: 5106 and 4793 against 5711 and 7803 (61%).
	if nnz >= plainNNZ || 10*work > 7*plainWork {
		t.Errorf("singletons first: nnz %d, work %d; want below the %d and 70%% of the %d before", nnz, work, plainNNZ, plainWork)
	}
	rng := rand.New(rand.NewPCG(23, 24))
	b := randomVector(rng, p.N())
	x, y := slices.Clone(b), slices.Clone(b)
	lu.Solve(x)
	plain.Solve(y)
	// Measured: 1.7e-16 and 3.1e-16.
	if e := backwardError(p, vals, x, b); e > 2e-15 {
		t.Errorf("backward error %.3g", e)
	}
	if d := relativeDifference(x, y); d > 3e-15 {
		t.Errorf("solutions differ by %.3g from the factorization before", d)
	}
}

// TestSingletonPivotHandsOnItsRow has a grounded source whose current another row reads
// (a current-controlled source): its branch row is a singleton, its current's column not.
// The node's diagonal row goes to the current's column, whose diagonal row the singleton
// took, and every pivot stays on its preferred row.
func TestSingletonPivotHandsOnItsRow(t *testing.T) {
	// Unknowns: node 0 (the source's), node 1, node 2, the source's current 3.
	entries := []entry[float64]{
		{0, 0, 1e-3}, {0, 1, -1e-3}, {1, 0, -1e-3}, {1, 1, 2e-3}, {1, 2, -1e-3},
		{2, 1, -1e-3}, {2, 2, 1e-3}, {2, 3, 0.5}, // node 2 takes half the source's current
		{0, 3, 1}, {3, 0, 1},
	}
	p, vals := assemble(4, entries)
	order, pref := singletonsFirst(p, []int32{3, 2, 1, 0})
	if !slices.Equal(order, []int32{0, 3, 2, 1}) || !slices.Equal(pref, []int32{3, 0, 2, 1}) {
		t.Errorf("order %v, preferred rows %v; want [0 3 2 1] and [3 0 2 1]", order, pref)
	}
	lu := NewLU[float64](p)
	if err := lu.Factor(vals); err != nil {
		t.Fatal(err)
	}
	if n := lu.Stats().OffDiagonalPivots; n != 0 {
		t.Errorf("%d pivots off the preferred rows, want 0", n)
	}
	b := []float64{0, 0, 0, 1}
	x := slices.Clone(b)
	lu.Solve(x)
	if e := backwardError(p, vals, x, b); e > 1e-15 {
		t.Errorf("backward error %.3g", e)
	}
}
