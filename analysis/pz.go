package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// PZSpec is what .pz computes: the poles and zeros of the transfer function from the
// input port (InPlus, InMinus) to the output voltage v(OutPlus, OutMinus). Indices are
// unknowns, 0 for ground.
type PZSpec struct {
	InPlus, InMinus   int
	OutPlus, OutMinus int
	// Current: the input is a current into InPlus (out of InMinus), the transfer function
	// the output voltage over it; else the input is a voltage across the port.
	Current bool
	// InBranch, for a voltage input: the branch of a voltage source across the input
	// port, which then drives it; 0 when none is, and a source is added.
	InBranch     int
	Poles, Zeros bool
}

// PZ runs .pz: at the operating point the circuit is linearized as for .ac, G + sC, with
// its independent sources at zero (voltage sources short, current sources open). The
// poles are the values of s where the circuit with the input port driven (a voltage
// input shorts it, a current input leaves it open) has a solution without excitation:
// the finite eigenvalues of the pencil G + sC. The zeros are those where a nonzero
// input gives no output voltage: the finite eigenvalues of the pencil bordered by the
// input's column and the output's row (Rosenbrock's system matrix). Each is delivered
// as two columns, re(pole(1)) and im(pole(1)), in one row: poles then zeros, each sorted
// by real part, the positive imaginary part of a pair first, as ngspice lists them.
func PZ(done context.Context, ckt *Circuit, opt Options, spec PZSpec, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	if err := e.loadAtOP("pz"); err != nil {
		return e.finish(), err
	}
	g, c, in := e.pzPencil(spec)
	var poles, zeros []complex128
	var err error
	if spec.Poles {
		if poles, err = pencilEigenvalues(g, c); err != nil {
			return e.finish(), &StopError{Analysis: "pz", Err: fmt.Errorf("poles: %w", err)}
		}
	}
	if spec.Zeros {
		out := make([]float64, len(in))
		if spec.OutPlus > 0 {
			out[spec.OutPlus-1] = 1
		}
		if spec.OutMinus > 0 {
			out[spec.OutMinus-1] -= 1
		}
		gz, cz := bordered(g, c, in, out)
		if zeros, err = pencilEigenvalues(gz, cz); err != nil {
			return e.finish(), &StopError{Analysis: "pz", Err: fmt.Errorf("zeros: %w", err)}
		}
	}
	var cols []Column
	var row []float64
	for _, set := range []struct {
		name   string
		values []complex128
	}{{"pole", poles}, {"zero", zeros}} {
		for k, v := range set.values {
			name := fmt.Sprintf("%s(%d)", set.name, k+1)
			cols = append(cols,
				Column{Name: "re(" + name + ")", Quantity: Dimensionless, Part: Real, Vector: name},
				Column{Name: "im(" + name + ")", Quantity: Dimensionless, Part: Imag, Vector: name})
			row = append(row, real(v), imag(v))
		}
	}
	if err := sink.Begin(cols); err != nil {
		return e.finish(), err
	}
	e.stats.Points++
	return e.finish(), sink.Point(row)
}

// pzPencil is the circuit's G and C at the operating point as dense matrices, with a
// voltage source added across the input port for a voltage input that no source
// drives, and the column by which the input enters the equations.
func (e *engine) pzPencil(spec PZSpec) (g, c *mat.Dense, in []float64) {
	n := e.sys.N
	added := !spec.Current && spec.InBranch == 0
	if added {
		n++
	}
	g, c = mat.NewDense(n, n, nil), mat.NewDense(n, n, nil)
	for h := 1; h < len(e.row); h++ {
		r, col := int(e.row[h])-1, int(e.col[h])-1
		g.Set(r, col, g.At(r, col)+e.vals.G[h])
		c.Set(r, col, c.At(r, col)+e.vals.C[h])
	}
	in = make([]float64, n)
	switch {
	case spec.Current:
		// A current into InPlus, out of InMinus (the sign does not move the zeros).
		port(in, spec.InPlus, spec.InMinus, 1)
	case added:
		// The added source's branch current j enters InPlus and leaves InMinus; its
		// equation is v(InPlus) - v(InMinus) - u = 0.
		k := n - 1
		incidence := make([]float64, n)
		port(incidence, spec.InPlus, spec.InMinus, 1)
		for i := range k {
			g.Set(i, k, incidence[i])
			g.Set(k, i, incidence[i])
		}
		in[k] = -1
	default:
		in[spec.InBranch-1] = -1
	}
	return g, c, in
}

// port adds v at plus and -v at minus of a vector indexed by unknown - 1 (0 is ground).
func port(x []float64, plus, minus int, v float64) {
	if plus > 0 {
		x[plus-1] += v
	}
	if minus > 0 {
		x[minus-1] -= v
	}
}

// bordered is the pencil of the system matrix [[G + sC, in], [out, 0]]: its finite
// eigenvalues are the transfer function's zeros.
func bordered(g, c *mat.Dense, in, out []float64) (gz, cz *mat.Dense) {
	n, _ := g.Dims()
	gz, cz = mat.NewDense(n+1, n+1, nil), mat.NewDense(n+1, n+1, nil)
	gz.Slice(0, n, 0, n).(*mat.Dense).Copy(g)
	cz.Slice(0, n, 0, n).(*mat.Dense).Copy(c)
	for i := range n {
		gz.Set(i, n, in[i])
		gz.Set(n, i, out[i])
	}
	return gz, cz
}

// pencilEigenvalues returns the finite eigenvalues of G + sC, sorted as ngspice lists
// poles and zeros: by real part, the positive imaginary part of a pair first. An error
// says that the pencil is singular: G + sC has no inverse whatever s is.
//
// The pencil is first equilibrated (rows and columns scaled, which keeps its
// eigenvalues). Then its unknowns are split into those C acts on, x1, and the algebraic
// rest, x2, and its equations likewise: [[G11 + s C11, G12], [G21, G22]]. When G22 is
// regular (an index-1 circuit: no loop of capacitors and voltage sources, no cut of
// inductors and current sources) the finite eigenvalues are exactly those of
// -C11⁻¹ (G11 - G12 G22⁻¹ G21), and no infinite one appears. The split is C's zero rows
// and columns where C11 is then regular (G22 is then a part of G, whose singularity is
// exact), else C's singular value decomposition. When G22 is singular, shifted pencils
// are used (shiftedEigenvalues).
func pencilEigenvalues(g, c *mat.Dense) ([]complex128, error) {
	c = withoutNegligible(c)
	if mat.Norm(c, 1) == 0 {
		return nil, nil
	}
	g, c = equilibrate(g, c)
	scale := mat.Norm(g, 1) / mat.Norm(c, 1)
	if scale == 0 {
		scale = 1
	}
	vals, ok := structuralEigenvalues(g, c)
	if !ok {
		vals, ok = rotatedEigenvalues(g, c)
	}
	var err error
	if !ok {
		vals, err = shiftedEigenvalues(g, c, scale)
	}
	return tidyEigenvalues(vals, scale), err
}

// withoutNegligible is a copy of C without its entries below pzNegligible of its largest:
// such a capacitance is a junction's diffusion charge at a strong reverse bias (a VBIC's
// TR times a conductance of 1e-55 S gives 8e-65 F in tests/vbic/CEamp.cir). Kept, it
// makes a pole beyond 1e60 rad/s, which ngspice's search of the determinant never
// reaches, and the equilibration would scale its row up by as much, leaving the
// circuit's real poles below rounding of the pencil's scale.
func withoutNegligible(c *mat.Dense) *mat.Dense {
	largest := mat.Norm(c, math.Inf(1)) // the largest row sum bounds every entry
	out := mat.DenseCopyOf(c)
	n, _ := c.Dims()
	for i := range n {
		for j := range n {
			if math.Abs(out.At(i, j)) <= pzNegligible*largest {
				out.Set(i, j, 0)
			}
		}
	}
	return out
}

// structuralEigenvalues splits the pencil at C's zero rows and columns; false when their
// numbers differ or C11 or G22 is singular (G22 only when exactly so).
func structuralEigenvalues(g, c *mat.Dense) ([]complex128, bool) {
	n, _ := c.Dims()
	var dynRows, algRows, dynCols, algCols []int
	for i := range n {
		if mat.Norm(c.RowView(i), math.Inf(1)) == 0 {
			algRows = append(algRows, i)
		} else {
			dynRows = append(dynRows, i)
		}
		if mat.Norm(c.ColView(i), math.Inf(1)) == 0 {
			algCols = append(algCols, i)
		} else {
			dynCols = append(dynCols, i)
		}
	}
	if len(algRows) != len(algCols) {
		return nil, false
	}
	if len(algRows) == 0 {
		return schurEigenvalues(g, nil, nil, nil, c, 0)
	}
	return schurEigenvalues(sub(g, dynRows, dynCols), sub(g, dynRows, algCols), sub(g, algRows, dynCols),
		sub(g, algRows, algCols), sub(c, dynRows, dynCols), 0)
}

// sub is the part of m in those rows and columns.
func sub(m *mat.Dense, rows, cols []int) *mat.Dense {
	s := mat.NewDense(len(rows), len(cols), nil)
	for i, r := range rows {
		for j, c := range cols {
			s.Set(i, j, m.At(r, c))
		}
	}
	return s
}

// rotatedEigenvalues splits the pencil by C's singular value decomposition U S Vᵀ:
// Uᵀ (G + sC) V, whose C part is S, the rank of C (singular values above pzRank of the
// largest) the size of C11. False when G22 is singular to working precision.
func rotatedEigenvalues(g, c *mat.Dense) ([]complex128, bool) {
	n, _ := g.Dims()
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDFull) {
		return nil, false
	}
	sv := svd.Values(nil)
	r := 0
	for r < n && sv[r] > pzRank*sv[0] {
		r++
	}
	var u, v, gt mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	gt.Product(u.T(), g, &v)
	c11 := mat.NewDense(r, r, nil)
	for i := range r {
		c11.Set(i, i, sv[i])
	}
	if r == n {
		return schurEigenvalues(&gt, nil, nil, nil, c11, pzPivot)
	}
	return schurEigenvalues(gt.Slice(0, r, 0, r), gt.Slice(0, r, r, n), gt.Slice(r, n, 0, r),
		gt.Slice(r, n, r, n), c11, pzPivot)
}

// schurEigenvalues returns the eigenvalues of -C11⁻¹ (G11 - G12 G22⁻¹ G21) (of
// -C11⁻¹ G11 when G22 is nil); false when G22 has a balanced pivot at or below
// pivot, or C11 one below pzPivot.
func schurEigenvalues(g11, g12, g21, g22, c11 mat.Matrix, pivot float64) ([]complex128, bool) {
	h := mat.DenseCopyOf(g11)
	if g22 != nil {
		x, ok := balancedSolve(g22, g21, pivot)
		if !ok {
			return nil, false
		}
		var corr mat.Dense
		corr.Mul(g12, x)
		h.Sub(h, &corr)
	}
	m, ok := balancedSolve(c11, h, pzPivot)
	if !ok {
		return nil, false
	}
	m.Scale(-1, m)
	var eig mat.Eigen
	if !eig.Factorize(m, mat.EigenNone) {
		return nil, false
	}
	return eig.Values(nil), true
}

// equilibrate scales the rows and then the columns of the pencil so that each has its
// largest entry of C (of G where C has none) equal to 1.
func equilibrate(g, c *mat.Dense) (gs, cs *mat.Dense) {
	gs, cs = mat.DenseCopyOf(g), mat.DenseCopyOf(c)
	balance(cs, gs)
	return gs, cs
}

// balance scales the rows and the columns of the square matrices ms alike (Ruiz's
// equilibration: by the square roots of their largest magnitudes, repeated) until every
// row and column of ms[0] has a largest magnitude near 1; a row or column that is 0 in
// ms[0] is scaled by the first of ms that has one that is not. It returns the factors
// it divided the rows and the columns by.
func balance(ms ...*mat.Dense) (rows, cols []float64) {
	n, _ := ms[0].Dims()
	rows, cols = make([]float64, n), make([]float64, n)
	for i := range n {
		rows[i], cols[i] = 1, 1
	}
	// largest is the largest magnitude of row (or column) i of the first of ms with one.
	largest := func(i int, byRow bool) float64 {
		for _, m := range ms {
			var big float64
			for j := range n {
				if byRow {
					big = max(big, math.Abs(m.At(i, j)))
				} else {
					big = max(big, math.Abs(m.At(j, i)))
				}
			}
			if big > 0 {
				return big
			}
		}
		return 1
	}
	r, c := make([]float64, n), make([]float64, n)
	for range pzBalanceRounds {
		worst := 0.0
		for i := range n {
			r[i], c[i] = math.Sqrt(largest(i, true)), math.Sqrt(largest(i, false))
			worst = max(worst, math.Abs(math.Log(r[i])), math.Abs(math.Log(c[i])))
		}
		if worst < pzBalanced {
			break
		}
		for _, m := range ms {
			for i := range n {
				for j := range n {
					m.Set(i, j, m.At(i, j)/(r[i]*c[j]))
				}
			}
		}
		for i := range n {
			rows[i] *= r[i]
			cols[i] *= c[i]
		}
	}
	return rows, cols
}

// balancedSolve returns A⁻¹ B, solved with A balanced; false when a pivot of the
// balanced A's LU factors is at or below pivot. (Its condition number is no test: a
// chain of amplifiers makes it large while the factors solve it accurately.)
func balancedSolve(a, b mat.Matrix, pivot float64) (*mat.Dense, bool) {
	as := mat.DenseCopyOf(a)
	rows, cols := balance(as)
	bs := mat.DenseCopyOf(b)
	_, nb := bs.Dims()
	for i, f := range rows {
		for j := range nb {
			bs.Set(i, j, bs.At(i, j)/f)
		}
	}
	var lu mat.LU
	lu.Factorize(as)
	var u mat.TriDense
	lu.UTo(&u)
	for i := range rows {
		if math.Abs(u.At(i, i)) <= pivot {
			return nil, false
		}
	}
	var x mat.Dense
	// A mat.Condition error only warns of a large condition number: the pivots decide.
	if err := lu.SolveTo(&x, false, bs); err != nil && !errors.As(err, new(mat.Condition)) {
		return nil, false
	}
	for i, f := range cols {
		for j := range nb {
			x.Set(i, j, x.At(i, j)/f)
		}
	}
	return &x, true
}

// For a pencil of higher index, the finite eigenvalues of G + sC are found as those of
// (G + s0 C)⁻¹ C, μ, with s = s0 - 1/μ, at shifts s0 (multiples of ||G||/||C||) where
// G + s0 C is well conditioned. An infinite eigenvalue is a μ of 0: in floating point a
// μ below pzInfinite of the largest, or (from a nilpotent block of the pencil) one that
// moves with the shift. Only the eigenvalues two shifts agree on, within pzAgree, are
// kept. Those within pzCluster of each other are a multiple eigenvalue that rounding
// split (by the k-th root of the rounding error): the mean of the cluster is kept.
const (
	pzRank = 1e-12 // singular values of the equilibrated C below this, relative, are 0
	// Entries of C below this times its largest (its norm) are 0: far below any
	// capacitance of a circuit beside its largest one (1 F and 1e-18 F are 1e-18 apart).
	pzNegligible = 1e-30
	pzInfinite   = 1e-13
	pzAgree      = 1e-4
	pzCluster    = 1e-4
	pzPivot      = 1e-13 // a pivot of a balanced matrix below this is 0
	// balance stops when every row and column's largest magnitude is within a factor
	// e^pzBalanced of 1, or after pzBalanceRounds rounds.
	pzBalanced      = 0.01
	pzBalanceRounds = 100
	// Near 0 the values are compared, in agreeing and clustering, to pzNearZero times the
	// scale ||G||/||C|| (a multiple root at 0 is split by about the root of the rounding
	// error times the scale), and parts below pzZero times the scale are 0.
	pzNearZero = 1e-3
	pzZero     = 1e-10
)

var pzShifts = []float64{1, -2.71828, 7.389, 0.3679, -0.1353, 20.09}

// shiftedEigenvalues returns the finite eigenvalues of G + sC two shifts agree on.
func shiftedEigenvalues(g, c *mat.Dense, scale float64) ([]complex128, error) {
	n, _ := g.Dims()
	var sets [][]complex128
	var eig mat.Eigen
	a := mat.NewDense(n, n, nil)
	for _, k := range pzShifts {
		s0 := k * scale
		a.Scale(s0, c)
		a.Add(a, g)
		m, ok := balancedSolve(a, c, pzPivot)
		if !ok {
			continue
		}
		if !eig.Factorize(m, mat.EigenNone) {
			continue
		}
		mus := eig.Values(nil)
		var largest float64
		for _, mu := range mus {
			largest = max(largest, cmplx.Abs(mu))
		}
		var set []complex128
		for _, mu := range mus {
			if cmplx.Abs(mu) > pzInfinite*largest {
				set = append(set, complex(s0, 0)-1/mu)
			}
		}
		if sets = append(sets, set); len(sets) == 2 {
			break
		}
	}
	if len(sets) < 2 {
		return nil, fmt.Errorf("the circuit's matrix G + sC is singular at every s tried (a floating node, a loop of voltage sources?)")
	}
	return agreed(sets[0], sets[1], scale), nil
}

// agreed returns the values of a that b has too, each matched to its nearest in b (the
// mean of the two is kept). A value near 0 is compared to scale.
func agreed(a, b []complex128, scale float64) []complex128 {
	used := make([]bool, len(b))
	var out []complex128
	for _, s := range a {
		best, dist := -1, math.Inf(1)
		for j, t := range b {
			if d := cmplx.Abs(s - t); !used[j] && d < dist {
				best, dist = j, d
			}
		}
		if best >= 0 && dist <= pzAgree*(cmplx.Abs(s)+pzNearZero*scale) {
			used[best] = true
			out = append(out, (s+b[best])/2)
		}
	}
	return out
}

// tidyEigenvalues replaces each cluster of close values by its mean, sets parts below
// rounding (relative to the value, or to scale for a value near 0) to 0, and sorts.
func tidyEigenvalues(vals []complex128, scale float64) []complex128 {
	out := slices.Clone(vals)
	done := make([]bool, len(vals))
	for i := range vals {
		if done[i] {
			continue
		}
		var members []int
		var sum complex128
		for j := i; j < len(vals); j++ {
			if !done[j] && cmplx.Abs(vals[j]-vals[i]) <= pzCluster*(cmplx.Abs(vals[i])+pzNearZero*scale) {
				members = append(members, j)
				sum += vals[j]
			}
		}
		mean := sum / complex(float64(len(members)), 0)
		for _, j := range members {
			out[j], done[j] = mean, true
		}
	}
	const roundoff = 1e-12
	for i, v := range out {
		small := roundoff*cmplx.Abs(v) + pzZero*scale
		re, im := real(v), imag(v)
		if math.Abs(re) < small {
			re = 0
		}
		if math.Abs(im) < small {
			im = 0
		}
		out[i] = complex(re, im)
	}
	slices.SortStableFunc(out, func(x, y complex128) int {
		if real(x) != real(y) {
			return cmp.Compare(real(x), real(y))
		}
		return cmp.Compare(imag(y), imag(x))
	})
	return out
}
