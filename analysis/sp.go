package analysis

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"strconv"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// SPPort is one port of .sp: a voltage source with portnum, its reference impedance Z0
// (ohms), the external nodes it drives (0 for ground) and its branch, whose right-hand
// side excites it.
type SPPort struct {
	Z0          float64
	Plus, Minus int
	Branch      int
}

// SPSpec is what .sp computes: its frequencies and ports and, when Noise, the ports'
// noise correlation matrix from the devices' noise at Kelvin.
type SPSpec struct {
	Freqs  []float64
	Ports  []SPPort
	Noise  bool
	Kelvin float64
}

// SPNames are the names of the .sp matrices' entries in the order SP writes them, as
// ngspice names them (lowercase, as gospice's names are: ngspice's S_1_1 is s_1_1):
// s_1_1, s_1_2 ... then y_i_j, then z_i_j, row-major, for n ports; with noise, then
// cy_i_j and, for two ports, nf, nfmin, rn and sopt (SPNoiseFigures).
func SPNames(n int, noise bool) []string {
	var names []string
	mats := []string{"s", "y", "z"}
	if noise {
		mats = append(mats, "cy")
	}
	for _, m := range mats {
		for i := 1; i <= n; i++ {
			for j := 1; j <= n; j++ {
				names = append(names, m+"_"+strconv.Itoa(i)+"_"+strconv.Itoa(j))
			}
		}
	}
	if noise && n == 2 {
		names = append(names, "nf", "nfmin", "rn", "sopt")
	}
	return names
}

// SP runs .sp, ngspice 39's S-parameter analysis: at each frequency the circuit
// linearized at its operating point, every independent source's AC value off, is solved
// once per port j with 1 V in port j's source, the other ports terminated in their Z0.
// Port i's power waves, with V_i across its terminals and I_i into the circuit, are
// a_i = (V_i + Z0_i I_i) / (2 sqrt Z0_i) and b_i = (V_i - Z0_i I_i) / (2 sqrt Z0_i): the
// j-th columns of A and B. Then S = B A^-1 and, with Gn = diag(1/sqrt Z0_i) and E the
// identity, Z = Gn^-1 (E - S)^-1 (S Z0 + Z0) Gn and Y = Gn^-1 (S Z0 + Z0)^-1 (E - S) Gn.
// The outputs (the node voltages and branch currents) are those of the last port's
// solve, as ngspice's SP plot has them. Each point is the frequency, the outputs, then
// the real and imaginary parts of S, Y and Z (and Cy) in the order of SPNames.
//
// With Noise, Cy is ngspice's noise correlation matrix of the ports' short-circuit
// currents (A²/Hz): each device noise current is solved for with the ports terminated,
// which gives the currents I into the ports and their voltages V; the currents the ports
// would take shorted are then J = I - Y V (from I = Y V + J), and Cy is the sum over the
// noise currents of their density times J J^H.
func SP(done context.Context, ckt *Circuit, opt Options, spec SPSpec, outputs []ACOutput, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	freqs, ports := spec.Freqs, spec.Ports
	n := len(ports)
	cols := []Column{{Name: "frequency", Quantity: Frequency}}
	for _, o := range outputs {
		cols = append(cols, Column{Name: o.Name, Quantity: o.Quantity, Part: o.Part, Vector: o.Vector})
	}
	for _, name := range SPNames(n, spec.Noise) {
		// ngspice types S, Y and Z as voltages (its raw file says so); so does gospice.
		cols = append(cols,
			Column{Name: "re(" + name + ")", Quantity: Voltage, Part: Real, Vector: name},
			Column{Name: "im(" + name + ")", Quantity: Voltage, Part: Imag, Vector: name})
	}
	if err := sink.Begin(cols); err != nil {
		return e.stats, err
	}
	if n == 0 {
		return e.stats, &StopError{Analysis: "sp", Err: fmt.Errorf("the circuit has no ports (voltage sources with portnum)")}
	}
	lin := newACLinearization(e, freqs)
	if err := e.loadAtOP("sp"); err != nil {
		return e.finish(), err
	}
	ops := opValues(outputs, e.x)
	sys := e.sys
	jac := make([]complex128, sys.NumHandles())
	x := make([]complex128, sys.N+1)
	m := newSPMatrices(ports)
	var noise *spNoise
	if spec.Noise {
		noise = newSPNoise(e, spec.Kelvin, n, sys.N)
	}
	row := make([]float64, len(cols))
	solver := mna.NewSolver[complex128](sys)
	for _, f := range freqs {
		if err := e.acStep(done, "sp", lin, solver, jac, f); err != nil {
			return e.finish(), err
		}
		for j, pj := range ports {
			clear(x)
			x[pj.Branch] = 1
			if err := acSolve(solver, x, "sp", f); err != nil {
				return e.finish(), err
			}
			m.waves(j, x)
		}
		m.parameters()
		if noise != nil {
			if err := noise.correlation(solver, m, f); err != nil {
				return e.finish(), &StopError{Analysis: "sp", Err: fmt.Errorf("noise at %g Hz: %w", f, err)}
			}
		}
		row[0] = f
		for i, o := range outputs {
			row[i+1] = o.value(x, ops[i])
		}
		k := m.write(row[1+len(outputs):])
		if noise != nil {
			k += writeMatrix(noise.cy, row[1+len(outputs)+k:])
			if n == 2 {
				writeFigures(spNoiseFigures(m.y, noise.cy, ports[0].Z0, spec.Kelvin), row[1+len(outputs)+k:])
			}
		}
		if err := e.point(sink, row); err != nil {
			return e.finish(), err
		}
	}
	return e.finishSmallSignal(solver), nil
}

// spMatrices holds the power waves and the S, Y and Z matrices of one frequency, and
// the work space that makes them without allocating.
type spMatrices struct {
	ports            []SPPort
	a, b, s, y, z    [][]complex128
	work, lhs, right [][]complex128
}

func newSPMatrices(ports []SPPort) *spMatrices {
	n := len(ports)
	m := &spMatrices{ports: ports}
	for _, p := range []*[][]complex128{&m.a, &m.b, &m.s, &m.y, &m.z, &m.work, &m.lhs, &m.right} {
		*p = make([][]complex128, n)
		for i := range *p {
			(*p)[i] = make([]complex128, n)
		}
	}
	return m
}

// waves sets column j of A and B from the solution x with port j excited.
func (m *spMatrices) waves(j int, x []complex128) {
	for i, p := range m.ports {
		v := x[p.Plus] - x[p.Minus]
		cur := -x[p.Branch] // into the circuit at the + node: the branch current flows the other way
		z0 := complex(p.Z0, 0)
		scale := complex(2*math.Sqrt(p.Z0), 0)
		m.a[i][j] = (v + z0*cur) / scale
		m.b[i][j] = (v - z0*cur) / scale
	}
}

// parameters makes S, Y and Z from A and B.
func (m *spMatrices) parameters() {
	n := len(m.ports)
	// S = B A^-1: S^T = (A^T)^-1 B^T, solved row by row of S as A^T s_i^T = b_i^T.
	for i := range n {
		for j := range n {
			m.lhs[i][j] = m.a[j][i]
			m.right[i][j] = m.b[j][i]
		}
	}
	solveDense(m.lhs, m.right, m.work)
	for i := range n {
		for j := range n {
			m.s[i][j] = m.work[j][i]
		}
	}
	// E - S and S Z0 + Z0 (Z0 diagonal): Z = Gn^-1 (E-S)^-1 (S Z0 + Z0) Gn.
	m.fill(false)
	solveDense(m.lhs, m.right, m.work)
	m.scaled(m.z)
	// Y = Gn^-1 (S Z0 + Z0)^-1 (E - S) Gn.
	m.fill(true)
	solveDense(m.lhs, m.right, m.work)
	m.scaled(m.y)
}

// minusS is entry (i, j) of E - S, plusZ0 that of S Z0 + Z0.
func (m *spMatrices) minusS(i, j int) complex128 {
	if i == j {
		return 1 - m.s[i][j]
	}
	return -m.s[i][j]
}

func (m *spMatrices) plusZ0(i, j int) complex128 {
	v := m.s[i][j] * complex(m.ports[j].Z0, 0)
	if i == j {
		v += complex(m.ports[i].Z0, 0)
	}
	return v
}

// fill sets lhs to E - S and right to S Z0 + Z0, or the other way round when swap.
func (m *spMatrices) fill(swap bool) {
	for i := range m.ports {
		for j := range m.ports {
			l, r := m.minusS(i, j), m.plusZ0(i, j)
			if swap {
				l, r = r, l
			}
			m.lhs[i][j], m.right[i][j] = l, r
		}
	}
}

// scaled writes Gn^-1 work Gn into out: entry (i, j) times sqrt(Z0_i / Z0_j).
func (m *spMatrices) scaled(out [][]complex128) {
	for i, pi := range m.ports {
		for j, pj := range m.ports {
			out[i][j] = m.work[i][j] * complex(math.Sqrt(pi.Z0/pj.Z0), 0)
		}
	}
}

// write puts the real and imaginary parts of S, Y and Z, row-major, into row, and
// returns the number of values written.
func (m *spMatrices) write(row []float64) int {
	k := writeMatrix(m.s, row)
	k += writeMatrix(m.y, row[k:])
	return k + writeMatrix(m.z, row[k:])
}

// writeMatrix puts a matrix's real and imaginary parts, row-major, into row, and
// returns the number of values written.
func writeMatrix(mat [][]complex128, row []float64) int {
	k := 0
	for _, r := range mat {
		for _, v := range r {
			row[k], row[k+1] = real(v), imag(v)
			k += 2
		}
	}
	return k
}

// spNoise makes .sp's noise correlation matrix Cy: the devices' noise currents at the
// operating point, grouped by the node pair they flow between, and the work space.
type spNoise struct {
	sources []devices.NoiseSource
	pairs   [][2]int
	pairOf  []int        // each source's pair
	density []float64    // each pair's density at the frequency
	j       []complex128 // the ports' short-circuit currents of one pair's unit current
	x       []complex128
	cy      [][]complex128
}

func newSPNoise(e *engine, kelvin float64, ports, unknowns int) *spNoise {
	s := &spNoise{x: make([]complex128, unknowns+1), j: make([]complex128, ports)}
	for _, l := range e.loaders {
		if n, ok := l.(devices.Noisy); ok {
			s.sources = n.NoiseSources(s.sources, e.x, kelvin)
		}
	}
	pairs, terms := noisePairs(s.sources)
	s.pairs = pairs
	s.pairOf = make([]int, len(s.sources))
	for _, t := range terms {
		s.pairOf[t.src] = t.pair
	}
	s.density = make([]float64, len(pairs))
	s.cy = make([][]complex128, ports)
	for i := range s.cy {
		s.cy[i] = make([]complex128, ports)
	}
	return s
}

// correlation sets cy at frequency f, the circuit factored there and m's Y made.
func (s *spNoise) correlation(solver *mna.Solver[complex128], m *spMatrices, f float64) error {
	clear(s.density)
	for i, src := range s.sources {
		s.density[s.pairOf[i]] += src.Density(f)
	}
	for _, r := range s.cy {
		clear(r)
	}
	for p, pr := range s.pairs {
		if s.density[p] == 0 {
			continue
		}
		clear(s.x)
		s.x[pr[0]] += 1
		s.x[pr[1]] -= 1
		s.x[0] = 0
		if err := solver.Solve(s.x); err != nil {
			return err
		}
		for i, port := range m.ports { // J = I - Y V
			s.j[i] = -s.x[port.Branch]
			for k, pk := range m.ports {
				s.j[i] -= m.y[i][k] * (s.x[pk.Plus] - s.x[pk.Minus])
			}
		}
		d := complex(s.density[p], 0)
		for i := range s.j {
			for k := range s.j {
				s.cy[i][k] += d * s.j[i] * cmplx.Conj(s.j[k])
			}
		}
	}
	return nil
}

// solveDense sets x to lhs^-1 right by Gaussian elimination with partial pivoting,
// destroying lhs and right. A singular lhs gives NaN entries (an open port's Z).
func solveDense(lhs, right, x [][]complex128) {
	n := len(lhs)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if cmplx.Abs(lhs[r][c]) > cmplx.Abs(lhs[p][c]) {
				p = r
			}
		}
		lhs[c], lhs[p] = lhs[p], lhs[c]
		right[c], right[p] = right[p], right[c]
		piv := lhs[c][c]
		for r := c + 1; r < n; r++ {
			f := lhs[r][c] / piv
			if f == 0 {
				continue
			}
			for k := c; k < n; k++ {
				lhs[r][k] -= f * lhs[c][k]
			}
			for k := range n {
				right[r][k] -= f * right[c][k]
			}
		}
	}
	for k := range n {
		for r := n - 1; r >= 0; r-- {
			v := right[r][k]
			for c := r + 1; c < n; c++ {
				v -= lhs[r][c] * x[c][k]
			}
			x[r][k] = v / lhs[r][r]
		}
	}
}

// spBoltzmann is Boltzmann's constant as ngspice 39's .sp has it (CODATA 2014, not the
// SI value): its Rn is Cy's chain-matrix entry over 4 k T with this k, to the last digit.
const spBoltzmann = 1.38064852e-23

// SPNoiseFigures are ngspice 39's two-port noise figures of .sp donoise, for a source
// of port 1's Z0: NF and NFmin in dB, Rn in ohms, and Sopt, the optimum source
// reflection coefficient referred to Z0.
type SPNoiseFigures struct {
	NF, NFmin, Rn float64
	Sopt          complex128
}

// spNoiseFigures makes the noise figures as ngspice 39 defines them, from Y and Cy
// (A²/Hz) at kelvin. With C = Cy / 4kT (siemens) and Ys = 1/Z0 of port 1:
//
//	Rn = C22 / |y21|²
//	Ycor = y11 - C12 C21 / C22
//	Gu = Re C11 - Rn |y11 - Ycor|²
//	Yopt = sqrt(Re(Ycor)² + Gu/Rn) - j Im Ycor
//	Fmin = 1 + 2 Rn (Re Ycor + Re Yopt)
//	F = Fmin + Rn / Re(Yopt) |Ys - Yopt|²
//	Sopt = (Ys - Yopt) / (Ys + Yopt)
//
// Rn is the textbook's. The rest is not: the correlation admittance of the input-referred
// noise is y11 - y21 C12 / C22, where ngspice has C21 for y21 (so its optimum susceptance
// is always -Im y11), and the textbook's F divides by Re Ys, not Re Yopt. gospice writes
// what ngspice does, as docs/sp-sens.md says; on sp1.cir the textbook's Sopt is 3% away.
func spNoiseFigures(y, cy [][]complex128, z0, kelvin float64) SPNoiseFigures {
	norm := complex(1/(4*spBoltzmann*kelvin), 0)
	c11, c12, c21, c22 := cy[0][0]*norm, cy[0][1]*norm, cy[1][0]*norm, cy[1][1]*norm
	y21 := cmplx.Abs(y[1][0])
	rn := real(c22) / (y21 * y21)
	ycor := y[0][0] - c12/c22*c21
	d := cmplx.Abs(y[0][0] - ycor)
	gu := real(c11) - rn*d*d
	yopt := complex(math.Sqrt(real(ycor)*real(ycor)+gu/rn), -imag(ycor))
	fmin := 1 + 2*rn*(real(ycor)+real(yopt))
	ys := complex(1/z0, 0)
	dy := cmplx.Abs(ys - yopt)
	return SPNoiseFigures{
		NF:    10 * math.Log10(fmin+rn/real(yopt)*dy*dy),
		NFmin: 10 * math.Log10(fmin),
		Rn:    rn,
		Sopt:  (ys - yopt) / (ys + yopt),
	}
}

// writeFigures puts the noise figures, as complex values in the order of SPNames,
// into row.
func writeFigures(nf SPNoiseFigures, row []float64) {
	row[0], row[2], row[4] = nf.NF, nf.NFmin, nf.Rn
	row[1], row[3], row[5] = 0, 0, 0
	row[6], row[7] = real(nf.Sopt), imag(nf.Sopt)
}
