package sparse

import (
	"math"
	"math/rand/v2"
)

// entry is one matrix value; repeated positions add up, as MNA stamps do.
type entry[T Scalar] struct {
	row, col int
	val      T
}

// assemble builds a pattern and its values from entries.
func assemble[T Scalar](n int, entries []entry[T]) (*Pattern, []T) {
	b := NewBuilder(n)
	var vals []T
	for _, e := range entries {
		k := b.Entry(e.row, e.col)
		if k == len(vals) {
			vals = append(vals, 0)
		}
		vals[k] += e.val
	}
	return b.Pattern(), vals
}

// multiply returns A x.
func multiply[T Scalar](p *Pattern, vals, x []T) []T {
	y := make([]T, p.N())
	for k, v := range vals {
		r, c := p.At(k)
		y[r] += v * x[c]
	}
	return y
}

// backwardError is the normwise backward error of x on the row-equilibrated system:
// max_i |b - A x|_i / m_i over (max_j |x_j| + max_i |b_i| / m_i), with m_i the largest
// |a_ij| of row i. Partial pivoting keeps it near machine precision times the growth.
func backwardError[T Scalar](p *Pattern, vals, x, b []T) float64 {
	n := p.N()
	residual := make([]T, n)
	copy(residual, b)
	rowMax := make([]float64, n)
	for k, v := range vals {
		r, c := p.At(k)
		residual[r] -= v * x[c]
		rowMax[r] = max(rowMax[r], magnitude(v))
	}
	worstResidual, sizeX, sizeB := 0.0, 0.0, 0.0
	for i := range n {
		worstResidual = max(worstResidual, magnitude(residual[i])/rowMax[i])
		sizeX = max(sizeX, magnitude(x[i]))
		sizeB = max(sizeB, magnitude(b[i])/rowMax[i])
	}
	if worstResidual == 0 {
		return 0
	}
	return worstResidual / (sizeX + sizeB)
}

// growth is the largest entry of U: rows are scaled to a largest entry of 1, so it is the
// element growth that threshold pivoting allowed (up to 1/diagonalTolerance per step).
func growth[T Scalar](lu *LU[T]) float64 {
	g := 1.0
	for k := range lu.n {
		for _, v := range lu.val[lu.ptr[2*k]:lu.ptr[2*k+2]] { // U with its diagonal
			g = max(g, magnitude(v))
		}
	}
	return g
}

// solveTolerance bounds the backward error of a solve with LU factors of this growth: the
// classic n * eps * growth bound, with a little slack.
func solveTolerance[T Scalar](lu *LU[T]) float64 {
	return 4 * float64(max(lu.n, 1)) * 0x1p-52 * growth(lu)
}

// relativeDifference is max |x - y| / max |y|.
func relativeDifference[T Scalar](x, y []T) float64 {
	diff, size := 0.0, 0.0
	for i := range x {
		diff = max(diff, magnitude(x[i]-y[i]))
		size = max(size, magnitude(y[i]))
	}
	if size == 0 {
		return diff
	}
	return diff / size
}

// randomMatrix is a random sparse n x n matrix with about density*n*n values. Diagonally
// dominant unless told otherwise; rowPermuted moves the dominant entries off the diagonal.
func randomMatrix(rng *rand.Rand, n int, density float64, rowPermuted bool) []entry[float64] {
	var entries []entry[float64]
	rowSum := make([]float64, n)
	for i := range n {
		for j := range n {
			if i != j && rng.Float64() < density {
				v := rng.NormFloat64()
				entries = append(entries, entry[float64]{i, j, v})
				rowSum[i] += math.Abs(v)
			}
		}
	}
	for i := range n {
		d := rowSum[i] + 0.5 + rng.Float64()
		if rng.IntN(2) == 0 {
			d = -d
		}
		entries = append(entries, entry[float64]{i, i, d})
	}
	if rowPermuted {
		perm := rng.Perm(n)
		for k := range entries {
			entries[k].row = perm[entries[k].row]
		}
		// Keep the diagonal in the pattern, with value zero where it moved away.
		for i := range n {
			entries = append(entries, entry[float64]{i, i, 0})
		}
	}
	return entries
}

// scaleRowsRandomly multiplies each row by 10^u, u uniform in [-10, 10].
func scaleRowsRandomly(rng *rand.Rand, n int, entries []entry[float64]) {
	scale := make([]float64, n)
	for i := range scale {
		scale[i] = math.Pow(10, 20*rng.Float64()-10)
	}
	for k := range entries {
		entries[k].val *= scale[entries[k].row]
	}
}

// twoTerminal is an element between nodes a and b; node 0 is ground.
type twoTerminal struct {
	a, b  int
	value float64
}

// circuit is a linear network. Unknown i-1 is the voltage of node i (1..nodes); unknown
// nodes+k is the current of voltage source k.
type circuit struct {
	nodes      int
	resistors  []twoTerminal // ohms
	capacitors []twoTerminal // farads
	sources    []twoTerminal // voltage sources, a positive
}

func (c *circuit) size() int { return c.nodes + len(c.sources) }

// stamp builds the MNA matrix with capacitors entering as admittance(C): 0 at DC, C/h for a
// backward Euler step, j omega C for AC. Every node has a diagonal entry, as in mna, and a
// source's current has none.
func stamp[T Scalar](c *circuit, admittance func(C float64) T) []entry[T] {
	var entries []entry[T]
	add := func(r, col int, v T) { entries = append(entries, entry[T]{r, col, v}) }
	twoTerm := func(a, b int, y T) {
		if a > 0 {
			add(a-1, a-1, y)
		}
		if b > 0 {
			add(b-1, b-1, y)
		}
		if a > 0 && b > 0 {
			add(a-1, b-1, -y)
			add(b-1, a-1, -y)
		}
	}
	for i := range c.nodes {
		add(i, i, 0)
	}
	for _, r := range c.resistors {
		twoTerm(r.a, r.b, fromReal[T](1/r.value))
	}
	for _, cp := range c.capacitors {
		twoTerm(cp.a, cp.b, admittance(cp.value))
	}
	for k, s := range c.sources {
		m := c.nodes + k
		if s.a > 0 {
			add(s.a-1, m, 1)
			add(m, s.a-1, 1)
		}
		if s.b > 0 {
			add(s.b-1, m, -1)
			add(m, s.b-1, -1)
		}
	}
	return entries
}

// randomCircuit is a connected resistor network with capacitors and a forest of voltage
// sources (no source loops), so its DC matrix is nonsingular.
func randomCircuit(rng *rand.Rand, nodes int) *circuit {
	c := &circuit{nodes: nodes}
	resistance := func() float64 { return math.Pow(10, 4*rng.Float64()) }
	c.resistors = append(c.resistors, twoTerminal{1, 0, resistance()})
	for i := 2; i <= nodes; i++ {
		c.resistors = append(c.resistors, twoTerminal{i, rng.IntN(i), resistance()})
	}
	for range nodes {
		a, b := 1+rng.IntN(nodes), rng.IntN(nodes+1)
		if a != b {
			c.resistors = append(c.resistors, twoTerminal{a, b, resistance()})
		}
		c.capacitors = append(c.capacitors, twoTerminal{a, rng.IntN(nodes + 1), 1e-12 * (1 + rng.Float64())})
	}
	// Union-find over nodes 0..nodes keeps the sources loop free.
	parent := make([]int, nodes+1)
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	for range nodes / 4 {
		a, b := 1+rng.IntN(nodes), rng.IntN(nodes+1)
		if ra, rb := root(a), root(b); ra != rb {
			parent[ra] = rb
			c.sources = append(c.sources, twoTerminal{a, b, 1})
		}
	}
	for k := range c.capacitors {
		if c.capacitors[k].a == c.capacitors[k].b {
			c.capacitors[k].b = 0
		}
	}
	return c
}

// rcMesh is a w x h grid of nodes with 10 ohm between neighbours and 10 fF from each node to
// ground, driven by a voltage source at node w*h+1 through 10 ohm into the corner node 1.
func rcMesh(w, h int) *circuit {
	c := &circuit{nodes: w*h + 1}
	node := func(x, y int) int { return 1 + y*w + x }
	for y := range h {
		for x := range w {
			if x+1 < w {
				c.resistors = append(c.resistors, twoTerminal{node(x, y), node(x+1, y), 10})
			}
			if y+1 < h {
				c.resistors = append(c.resistors, twoTerminal{node(x, y), node(x, y+1), 10})
			}
			c.capacitors = append(c.capacitors, twoTerminal{node(x, y), 0, 10e-15})
		}
	}
	source := w*h + 1
	c.resistors = append(c.resistors, twoTerminal{source, node(0, 0), 10})
	c.sources = append(c.sources, twoTerminal{source, 0, 1})
	return c
}

// transient is the backward Euler admittance of a capacitor at step 0.5 ns.
func transient(C float64) float64 { return C / 0.5e-9 }

func randomVector(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

func randomComplexVector(rng *rand.Rand, n int) []complex128 {
	v := make([]complex128, n)
	for i := range v {
		v[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	return v
}

// denseComplexSolve solves A x = b by Gaussian elimination with partial pivoting after
// equilibrating the rows; a plain reference for the complex tests.
func denseComplexSolve(p *Pattern, vals, b []complex128) []complex128 {
	n := p.N()
	a := make([][]complex128, n)
	for i := range a {
		a[i] = make([]complex128, n+1)
		a[i][n] = b[i]
	}
	for k, v := range vals {
		r, c := p.At(k)
		a[r][c] += v
	}
	for i := range a {
		m := 0.0
		for _, v := range a[i][:n] {
			m = max(m, magnitude(v))
		}
		for j := range a[i] {
			a[i][j] /= complex(m, 0)
		}
	}
	for k := range n {
		best := k
		for i := k + 1; i < n; i++ {
			if magnitude(a[i][k]) > magnitude(a[best][k]) {
				best = i
			}
		}
		a[k], a[best] = a[best], a[k]
		for i := k + 1; i < n; i++ {
			f := a[i][k] / a[k][k]
			for j := k; j <= n; j++ {
				a[i][j] -= f * a[k][j]
			}
		}
	}
	x := make([]complex128, n)
	for k := n - 1; k >= 0; k-- {
		s := a[k][n]
		for j := k + 1; j < n; j++ {
			s -= a[k][j] * x[j]
		}
		x[k] = s / a[k][k]
	}
	return x
}

// neurons is the Jacobian of a population of count 1M1T1R neurons at a transient step, as
// netlists/bench/neurons100.cir builds it: a supply node (unknown 0) and its source current
// (1), then six unknowns per neuron (input node, its source current, gate, drain and two
// memristor states) coupled to the others only through the supply. Values vary per neuron.
func neurons(rng *rand.Rand, count int) (int, []entry[float64]) {
	var e []entry[float64]
	add := func(r, c int, v float64) { e = append(e, entry[float64]{r, c, v}) }
	const vdd, supply = 0, 1
	add(vdd, supply, 1)
	add(supply, vdd, 1)
	for i := range count {
		in, src, g, d, s1, s2 := 2+6*i, 3+6*i, 4+6*i, 5+6*i, 6+6*i, 7+6*i
		vary := func(v float64) float64 { return v * (1 + 0.1*rng.Float64()) }
		gl := 1 / 47e3
		add(in, src, 1)
		add(src, in, 1)
		add(g, g, vary(2e-6))
		add(d, d, vary(gl+1e-9))
		add(d, g, vary(1e-4)) // transconductance
		add(g, d, 0)
		add(vdd, vdd, gl)
		add(vdd, d, -gl)
		add(d, vdd, -gl)
		gm := vary(1.3e-12)
		add(in, in, gm)
		add(in, g, -gm)
		add(g, in, -gm)
		add(g, g, gm)
		add(s1, s1, vary(2e5))
		add(s1, s2, vary(-98))
		add(s1, in, vary(-156))
		add(s1, g, vary(156))
		add(s2, s1, -20)
		add(s2, s2, vary(2e5))
		c := vary(3.9e-12)
		add(in, s1, c)
		add(in, s2, c)
		add(g, s1, -c)
		add(g, s2, -c)
	}
	return 2 + 6*count, e
}
