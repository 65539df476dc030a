package devices

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// CPL is ngspice's coupled lossy lines: P1 n1 ... nN ref1 m1 ... mN ref2 model, with
// .model name cpl r= l= g= c= (N x N matrices per length, each given as its upper
// triangle row by row) length=. Conductor j runs from n_j to m_j, each end's voltages
// taken against its reference node; each end's currents (into n_j, into m_j) are
// current unknowns, p1#branch1_0 ... and p1#branch2_0 ..., as ngspice names them.
//
// The line is split into N modal lines (cpl.go's modes), each an LTRA's exact line
// (ltra.go). With C = c0 Cn (c0 the mean of C's diagonal) and Cn^(1/2) L Cn^(1/2) =
// S diag(lm) S^T (S orthogonal), the modal voltages and currents
//
//	v = S^T Cn^(1/2) V,   i = S^T Cn^(-1/2) I
//
// see the modal inductances lm and the capacitance c0, with no coupling; the modal
// resistances and conductances are the diagonals of S^T Cn^(1/2) R Cn^(1/2) S and
// S^T Cn^(-1/2) G Cn^(-1/2) S. That is exact when those are diagonal (R and G multiples
// of the identity and L, C commuting, as the symmetric lines of ngspice's examples are).
// When L and C do not commute, the modal resistance has off-diagonal parts, which couple
// the modes: they are lumped, len/2 of them at each end, between the end's terminals and
// its modal lines (drop, below), in every analysis alike. That keeps the line's DC
// resistance exact and, the loss being a small part of z0, the waves' coupling by the
// loss to first order. G's off-diagonal parts are left out.
type CPL struct {
	name   string
	n      int                // conductors
	nodes  [2][]string        // each end's conductors
	refs   [2]string          // each end's reference node
	modes  []*LTRA            // the modal lines
	vm, im [][]float64        // modal voltage = vm (V - ref), modal current = im I (N x N)
	drop   [][]float64        // the lumped off-diagonal modal resistance: a line's modal voltage is vm (V - ref) - drop I (nil when R's modes do not couple)
	col    []int              // the unknowns the rows read: both ends' nodes, refs, branches
	br     [2][]int           // each end's branch currents
	kcl    [2][][2]mna.Handle // the branch current in the KCL of its node and its end's reference
	shunt  [2][][4]mna.Handle // gmin from each node to its end's reference at DC: nn, nr, rn, rr
	rowH   [2][][]mna.Handle  // rowH[end][mode][c]: the row of (end, mode), column col[c]
	// pattern[end][mode][k][c]: the row's coefficients on col[c] of the modal quantity k
	// (cplOwnV, cplOtherV, cplOwnI, cplOtherI) of that mode.
	pattern [2][][4][]float64
}

// The modal quantities a row of a CPL reads, as seen from its end.
const (
	cplOwnV = iota
	cplOtherV
	cplOwnI
	cplOtherI
)

// cplModel is the .model card of a CPL line.
type cplModel struct {
	r, l, g, c *mat.SymDense
	length     float64
}

func newCPL(e *parser.Element, c *parser.Circuit) (Device, error) {
	if len(e.Nodes) < 4 || len(e.Nodes)%2 != 0 {
		return nil, elementError(e, "a coupled line takes n1 ... nN ref1 m1 ... mN ref2 and its model (an even number of nodes, at least 4); found %d nodes", len(e.Nodes))
	}
	n := len(e.Nodes)/2 - 1
	card, err := modelFor(e, c, "coupled transmission line", "cpl")
	if err != nil {
		return nil, err
	}
	if len(e.Args()) > 0 {
		return nil, parser.Errorf(e.Args()[0].Pos, "%s: unexpected %q (a coupled line takes its nodes and model)", e.Name, argText(e.Args()[0]))
	}
	if len(e.Params()) > 0 {
		return nil, parser.Errorf(e.Params()[0].Pos, "%s: unexpected %s= (a coupled line takes its nodes and model)", e.Name, e.Params()[0].Name)
	}
	m, err := readCPLModel(e, card, n)
	if err != nil {
		return nil, err
	}
	p := &CPL{name: e.Name, n: n}
	for end := range 2 {
		p.nodes[end] = e.Nodes[end*(n+1) : end*(n+1)+n]
		p.refs[end] = e.Nodes[end*(n+1)+n]
	}
	if err := p.decompose(e, card, m); err != nil {
		return nil, err
	}
	return p, nil
}

// readCPLModel reads a cpl card's matrices for n conductors: l and c required and
// positive definite, r and g zero when not given.
func readCPLModel(e *parser.Element, card *parser.Model, n int) (*cplModel, error) {
	m := &cplModel{}
	size := n * (n + 1) / 2
	lenGiven := false
	for _, pr := range card.Params {
		var dst **mat.SymDense
		switch pr.Name {
		case "r":
			dst = &m.r
		case "l":
			dst = &m.l
		case "g":
			dst = &m.g
		case "c":
			dst = &m.c
		case "length", "len":
			m.length, lenGiven = pr.Value, true
			continue
		case "cpl":
			continue
		default:
			return nil, parser.Errorf(pr.Pos, "unknown CPL model parameter %q (%s)", pr.Name, modelWhere(e, card))
		}
		vals := pr.List
		if vals == nil {
			vals = []float64{pr.Value}
		}
		if len(vals) != size {
			return nil, parser.Errorf(pr.Pos, "%s: model %s: %s= of a line of %d conductors takes the %d numbers of its matrix's upper triangle, row by row; found %d",
				e.Name, card.Name, pr.Name, n, size, len(vals))
		}
		s := mat.NewSymDense(n, nil)
		k := 0
		for i := range n {
			for j := i; j < n; j++ {
				s.SetSym(i, j, vals[k])
				k++
			}
		}
		*dst = s
	}
	switch {
	case !lenGiven || !(m.length > 0):
		return nil, elementError(e, "model %s: a coupled line needs its length length= (positive)", card.Name)
	case m.l == nil || m.c == nil:
		return nil, elementError(e, "model %s: a coupled line needs its l= and c= matrices", card.Name)
	}
	if m.r == nil {
		m.r = mat.NewSymDense(n, nil)
	}
	if m.g == nil {
		m.g = mat.NewSymDense(n, nil)
	}
	return m, nil
}

// decompose finds the modal lines (see CPL) and the rows' patterns.
func (p *CPL) decompose(e *parser.Element, card *parser.Model, m *cplModel) error {
	n := p.n
	c0 := 0.0
	for i := range n {
		c0 += m.c.At(i, i) / float64(n)
	}
	if !(c0 > 0) {
		return elementError(e, "model %s: the capacitance matrix c of a coupled line must be positive definite", card.Name)
	}
	cn := mat.NewSymDense(n, nil)
	cn.ScaleSym(1/c0, m.c)
	root, invRoot, ok := symRoots(cn)
	if !ok {
		return elementError(e, "model %s: the capacitance matrix c of a coupled line must be positive definite", card.Name)
	}
	var prod mat.Dense
	prod.Mul(root, m.l)
	prod.Mul(&prod, root)
	var eig mat.EigenSym
	if !eig.Factorize(symmetrize(&prod), true) {
		return elementError(e, "model %s: the modes of the coupled line could not be found", card.Name)
	}
	lm := eig.Values(nil)
	var s mat.Dense
	eig.VectorsTo(&s)
	var vm, im, rm, gm mat.Dense
	vm.Mul(s.T(), root)    // S^T Cn^(1/2)
	im.Mul(s.T(), invRoot) // S^T Cn^(-1/2)
	rm.Mul(&vm, m.r)
	rm.Mul(&rm, vm.T())
	gm.Mul(&im, m.g)
	gm.Mul(&gm, im.T())
	p.vm, p.im = rows(&vm), rows(&im)
	p.drop = offDiagonalDrop(&rm, &im, m.length)
	for k := range n {
		r, g := rm.At(k, k), gm.At(k, k)
		switch {
		case !(lm[k] > 0):
			return elementError(e, "model %s: the inductance matrix l of a coupled line must be positive definite", card.Name)
		case r < 0 || g < 0 || (r == 0 && g > 0):
			return elementError(e, "model %s: mode %d of the coupled line has r=%g g=%g per length: r and g must be positive semidefinite, and a mode with g > 0 needs r > 0", card.Name, k, r, g)
		}
		mode := &LTRA{name: fmt.Sprintf("%s mode %d", p.name, k),
			m: ltraModel{r: r, l: lm[k], g: g, c: c0, length: m.length, lenGiven: true, rel: 1, abs: 1}}
		mode.kind = ltraRLC
		if r == 0 {
			mode.kind = ltraLC
		}
		mode.makeKernels()
		p.modes = append(p.modes, mode)
	}
	return nil
}

// offDiagonalDrop is the modal voltage across the lumped half (length/2) of the modal
// resistance rm's off-diagonal part per end current, (length/2) offdiag(rm) im, or nil
// when rm is diagonal (to rounding: 1e-12 of its largest diagonal entry).
func offDiagonalDrop(rm, im *mat.Dense, length float64) [][]float64 {
	n, _ := rm.Dims()
	largest := 0.0
	for k := range n {
		largest = math.Max(largest, math.Abs(rm.At(k, k)))
	}
	off := mat.NewDense(n, n, nil)
	coupled := false
	for k := range n {
		for j := range n {
			if v := rm.At(k, j); j != k && math.Abs(v) > 1e-12*largest {
				off.Set(k, j, length/2*v)
				coupled = true
			}
		}
	}
	if !coupled {
		return nil
	}
	var d mat.Dense
	d.Mul(off, im)
	return rows(&d)
}

// symRoots returns a positive definite matrix's square root and its inverse.
func symRoots(a *mat.SymDense) (root, inv *mat.Dense, ok bool) {
	var eig mat.EigenSym
	if !eig.Factorize(a, true) {
		return nil, nil, false
	}
	vals := eig.Values(nil)
	var u mat.Dense
	eig.VectorsTo(&u)
	n := len(vals)
	d, di := mat.NewDiagDense(n, nil), mat.NewDiagDense(n, nil)
	for i, v := range vals {
		if !(v > 0) {
			return nil, nil, false
		}
		d.SetDiag(i, math.Sqrt(v))
		di.SetDiag(i, 1/math.Sqrt(v))
	}
	root, inv = &mat.Dense{}, &mat.Dense{}
	root.Product(&u, d, u.T())
	inv.Product(&u, di, u.T())
	return root, inv, true
}

// symmetrize is (a + a^T)/2, a symmetric matrix rounding left unsymmetric.
func symmetrize(a *mat.Dense) *mat.SymDense {
	n, _ := a.Dims()
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s.SetSym(i, j, (a.At(i, j)+a.At(j, i))/2)
		}
	}
	return s
}

// rows copies a matrix into a slice of rows.
func rows(a *mat.Dense) [][]float64 {
	n, m := a.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, m)
		for j := range m {
			out[i][j] = a.At(i, j)
		}
	}
	return out
}

func (p *CPL) Name() string { return p.name }

// Setup makes the branch currents and the rows: the columns are, in order, end 1's
// nodes and reference, end 2's, then end 1's and end 2's branch currents.
func (p *CPL) Setup(b *mna.Builder) {
	n := p.n
	p.col = p.col[:0]
	for end := range 2 {
		for _, name := range p.nodes[end] {
			p.col = append(p.col, b.Node(name))
		}
		p.col = append(p.col, b.Node(p.refs[end]))
	}
	for end := range 2 {
		p.br[end] = make([]int, n)
		for j := range n {
			p.br[end][j] = b.Branch(fmt.Sprintf("%s#branch%d_%d", p.name, end+1, j)) // ngspice's names
			p.col = append(p.col, p.br[end][j])
		}
	}
	nodeCol := func(end, j int) int { return end*(n+1) + j }
	brCol := func(end, j int) int { return 2*(n+1) + end*n + j }
	for end := range 2 {
		other := 1 - end
		p.kcl[end] = make([][2]mna.Handle, n)
		p.shunt[end] = make([][4]mna.Handle, n)
		p.rowH[end] = make([][]mna.Handle, n)
		p.pattern[end] = make([][4][]float64, n)
		for j := range n {
			node, ref := p.col[nodeCol(end, j)], p.col[nodeCol(end, n)]
			p.kcl[end][j] = [2]mna.Handle{b.Entry(node, p.br[end][j]), b.Entry(ref, p.br[end][j])}
			p.shunt[end][j] = [4]mna.Handle{b.Entry(node, node), b.Entry(node, ref), b.Entry(ref, node), b.Entry(ref, ref)}
		}
		for k := range n {
			row := p.br[end][k]
			p.rowH[end][k] = make([]mna.Handle, len(p.col))
			for c, u := range p.col {
				p.rowH[end][k][c] = b.Entry(row, u)
			}
			pat := &p.pattern[end][k]
			for q := range pat {
				pat[q] = make([]float64, len(p.col))
			}
			for j := range n {
				pat[cplOwnV][nodeCol(end, j)] = p.vm[k][j]
				pat[cplOwnV][nodeCol(end, n)] -= p.vm[k][j]
				pat[cplOtherV][nodeCol(other, j)] = p.vm[k][j]
				pat[cplOtherV][nodeCol(other, n)] -= p.vm[k][j]
				pat[cplOwnI][brCol(end, j)] = p.im[k][j]
				pat[cplOtherI][brCol(other, j)] = p.im[k][j]
				if p.drop != nil {
					pat[cplOwnV][brCol(end, j)] = -p.drop[k][j]
					pat[cplOtherV][brCol(other, j)] = -p.drop[k][j]
				}
			}
		}
	}
}

func (p *CPL) NewRun() Loader {
	r := &cplRun{CPL: p, runs: make([]*ltraRun, p.n)}
	for k, mode := range p.modes {
		r.runs[k] = mode.NewRun().(*ltraRun)
	}
	return r
}

// cplRun is one run of a CPL: the modal lines' histories.
type cplRun struct {
	*CPL
	runs []*ltraRun
}

// Linear says the lines' equations are linear in the unknowns.
func (r *cplRun) Linear() {}

// AdmittanceReadsFrequency says that the lines' admittance depends on the frequency.
func (r *cplRun) AdmittanceReadsFrequency() bool { return true }

// SchedulesCorners says that the lines add corners as the transient runs.
func (r *cplRun) SchedulesCorners() {}

func (r *cplRun) Load(ctx *Context) {
	r.loadKCL(ctx)
	switch {
	case ctx.Mode == ModeAC:
		r.loadAC(ctx)
	case ctx.Mode == ModeTran && len(r.runs[0].times) > 0:
		r.loadTran(ctx)
	default:
		r.loadDC(ctx)
	}
}

// loadKCL adds each end's branch currents to its nodes and reference.
func (r *cplRun) loadKCL(ctx *Context) {
	for end := range 2 {
		for j, br := range r.br[end] {
			i := ctx.X[br]
			ctx.F[r.col[end*(r.n+1)+j]] += i
			ctx.F[r.col[end*(r.n+1)+r.n]] -= i
			ctx.G[r.kcl[end][j][0]]++
			ctx.G[r.kcl[end][j][1]]--
		}
	}
}

// loadRow adds the row of (end, mode k): w[q] times the modal quantity q (cplOwnV ...)
// plus known, into F and G; or, with into set, only w's coefficients into that matrix
// (the imaginary part of an AC load, over omega, into C).
func (r *cplRun) loadRow(ctx *Context, end, k int, w [4]float64, known float64, into []float64) {
	pat, hs := &r.pattern[end][k], r.rowH[end][k]
	row := r.br[end][k]
	sum := known
	for c, u := range r.col {
		v := w[0]*pat[0][c] + w[1]*pat[1][c] + w[2]*pat[2][c] + w[3]*pat[3][c]
		if v == 0 {
			continue
		}
		if into != nil {
			into[hs[c]] += v
			continue
		}
		ctx.G[hs[c]] += v
		sum += v * ctx.X[u]
	}
	if into == nil {
		ctx.F[row] += sum
	}
}

// loadDC loads each mode at DC: with g = 0 its series resistance between the ends and
// the current that enters one end leaving by the other; with g, the exact RG line. A
// conductor that nothing else holds would float: gmin from each node to its end's
// reference gives it 0 V, as ngspice 39 does (cpl_ibm1.sp of its examples).
func (r *cplRun) loadDC(ctx *Context) {
	for end := range 2 {
		ref := r.col[end*(r.n+1)+r.n]
		for j := range r.n {
			i := ctx.Gmin * (ctx.X[r.col[end*(r.n+1)+j]] - ctx.X[ref])
			ctx.F[r.col[end*(r.n+1)+j]] += i
			ctx.F[ref] -= i
			h := &r.shunt[end][j]
			ctx.G[h[0]] += ctx.Gmin
			ctx.G[h[1]] -= ctx.Gmin
			ctx.G[h[2]] -= ctx.Gmin
			ctx.G[h[3]] += ctx.Gmin
		}
	}
	for k, mode := range r.modes {
		if mode.m.g > 0 {
			a, b, z := mode.twoPort(0)
			for end := range 2 {
				r.loadRow(ctx, end, k, [4]float64{real(a), -real(b), -real(z), 0}, 0, nil)
			}
			continue
		}
		r.loadRow(ctx, 0, k, [4]float64{1, -1, -mode.m.r * mode.m.length, 0}, 0, nil)
		r.loadRow(ctx, 1, k, [4]float64{0, 0, 1, 1}, 0, nil)
	}
}

// loadAC loads each mode's exact two-port at ctx.Hertz.
func (r *cplRun) loadAC(ctx *Context) {
	w := 2 * math.Pi * ctx.Hertz
	for k, mode := range r.modes {
		a, b, z := mode.twoPort(w)
		for end := range 2 {
			r.loadRow(ctx, end, k, [4]float64{real(a), -real(b), -real(z), 0}, 0, nil)
			if w != 0 {
				r.loadRow(ctx, end, k, [4]float64{imag(a) / w, -imag(b) / w, -imag(z) / w, 0}, 0, ctx.C)
			}
		}
	}
}

// loadTran loads each mode's convolution, i_k = y0*v_k - (y0 h)*v_other - h*i_other.
func (r *cplRun) loadTran(ctx *Context) {
	for k, run := range r.runs {
		if run.cached != run.version || run.at != ctx.Time {
			run.prepare(ctx.Time)
		}
		cy, cyh, ch := run.coef[kernY0], run.coef[kernY0H], run.coef[kernH]
		for end := range 2 {
			r.loadRow(ctx, end, k, [4]float64{cy, -cyh, -1, -ch}, run.known[end], nil)
		}
	}
}

// modal is the modal quantity of mode k at an end: its voltage (v) or current (!v).
func (r *cplRun) modal(x []float64, end, k int, v bool) float64 {
	sum := 0.0
	if v {
		ref := x[r.col[end*(r.n+1)+r.n]]
		for j, a := range r.vm[k] {
			sum += a * (x[r.col[end*(r.n+1)+j]] - ref)
		}
		if r.drop != nil {
			for j, a := range r.drop[k] {
				sum -= a * x[r.br[end][j]]
			}
		}
		return sum
	}
	for j, a := range r.im[k] {
		sum += a * x[r.br[end][j]]
	}
	return sum
}

// Accept records every mode's signals at the accepted point.
func (r *cplRun) Accept(ctx *Context) {
	for k, run := range r.runs {
		var s [numSignals]float64
		for end := range 2 {
			s[sigV1+end] = r.modal(ctx.X, end, k, true)
			s[sigI1+end] = r.modal(ctx.X, end, k, false)
		}
		run.record(ctx, s)
	}
}

// MaxStep keeps the step within the shortest modal delay, as the LTRA does.
func (r *cplRun) MaxStep(ctx *Context, step float64) float64 {
	m := math.Inf(1)
	for _, run := range r.runs {
		m = math.Min(m, run.MaxStep(ctx, step))
	}
	return m
}

// NextBreakpoint is the first pending corner of any mode after t.
func (r *cplRun) NextBreakpoint(t float64, tm Timing) float64 {
	next := math.Inf(1)
	for _, run := range r.runs {
		next = math.Min(next, run.NextBreakpoint(t, tm))
	}
	return next
}
