package devices

import (
	"fmt"
	"math"
	"strings"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Coupling is K: the mutual inductance M = k sqrt(|L1 L2|) between two inductors. The
// flux of L1 gains M i2 and that of L2 gains M i1, i1 and i2 the inductors' branch
// currents (from n+ to n- through each): with k > 0, currents into the n+ of both add
// their fluxes (the dots are on n+). The inductors themselves are linked by
// linkCouplings once every device is built.
//
// L1 and L2 here are the inductors' effective inductances, L/m with their multipliers,
// so that k keeps its meaning (the fraction of flux shared) between the inductances the
// circuit has. ngspice computes M from the nominal L, before m: with m != 1 on a coupled
// inductor the two differ (ngspice's effective k is then k*sqrt(m1 m2)).
type Coupling struct {
	name      string
	pos       parser.Pos
	inductors [2]string
	indPos    [2]parser.Pos
	k         float64

	l1, l2   *Inductor // set by linkCouplings
	m        float64   // the mutual inductance, set by linkCouplings
	k1, k2   int       // the inductors' branches
	h12, h21 mna.Handle
}

func newCoupling(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	if err := checkParams(e); err != nil {
		return nil, err
	}
	if len(e.Controls()) != 2 {
		return nil, elementError(e, "needs two inductors: Kname L1 L2 k")
	}
	if !e.HasValue {
		return nil, elementError(e, "missing coupling factor")
	}
	if e.Controls()[0] == e.Controls()[1] {
		return nil, parser.Errorf(e.ControlPos()[1], "%s: couples %s with itself", e.Name, e.Controls()[0])
	}
	// |k| > 1 makes a circuit that creates energy; ngspice 39 warns and simulates it,
	// and so does gospice (CouplingWarnings).
	return &Coupling{
		name:      e.Name,
		pos:       e.Pos,
		inductors: [2]string{e.Controls()[0], e.Controls()[1]},
		indPos:    [2]parser.Pos{e.ControlPos()[0], e.ControlPos()[1]},
		k:         e.Value,
	}, nil
}

func (k *Coupling) Name() string { return k.name }

// Setup reserves the off-diagonal flux entries between the two branches; Branch gives
// the inductors' own unknowns whichever of them sets up first.
func (k *Coupling) Setup(b *mna.Builder) {
	k.k1, k.k2 = b.Branch(k.inductors[0]), b.Branch(k.inductors[1])
	k.h12, k.h21 = b.Entry(k.k1, k.k2), b.Entry(k.k2, k.k1)
}

func (*Coupling) Linear() {}

func (k *Coupling) Load(ctx *Context) {
	// Under UIC the initial fluxes come from the inductors' IC= currents, as their own do.
	i1, i2 := k.l1.fluxCurrent(ctx), k.l2.fluxCurrent(ctx)
	// The inductor's branch equation is va - vb - dQ/dt = 0 with Q = -flux.
	ctx.Q[k.k1] -= k.m * i2
	ctx.Q[k.k2] -= k.m * i1
	ctx.C[k.h12] -= k.m
	ctx.C[k.h21] -= k.m
}

// linkCouplings gives every K its inductors and mutual inductance.
func linkCouplings(devs []Device) parser.ErrorList {
	inductors := map[string]*Inductor{}
	var couplings []*Coupling
	for _, d := range devs {
		switch d := d.(type) {
		case *Inductor:
			inductors[d.Name()] = d
		case *Coupling:
			couplings = append(couplings, d)
		}
	}
	if len(couplings) == 0 {
		return nil
	}
	var errs parser.ErrorList
	for _, k := range couplings {
		for j, name := range k.inductors {
			l := inductors[name]
			if l == nil {
				errs = append(errs, parser.Errorf(k.indPos[j], "%s: coupling %s, whose inductance is an expression, is not supported", k.name, name))
				continue
			}
			if j == 0 {
				k.l1 = l
			} else {
				k.l2 = l
			}
		}
		if k.l1 != nil && k.l2 != nil {
			k.m = k.k * math.Sqrt(math.Abs(k.l1.l*k.l2.l))
		}
	}
	return errs
}

// CouplingWarnings checks the inductance matrix of each set of inductors that the K
// lines of built devices couple together, whose stored energy i'Li/2 must not be
// negative for any currents, else the circuit creates energy: a warning for each set
// whose matrix is not positive definite (a coupling factor beyond 1, a negative
// inductance), as ngspice 39 warns before it simulates the circuit as written. A set
// whose coupling factors are all exactly ±1 (ideal transformers) has a singular matrix,
// which ngspice lets pass without any check; here it must still be positive
// semi-definite, which the signs of the factors can break (K1 L1 L2 1, K2 L2 L3 1, K3
// L1 L3 -1 cannot all hold: ngspice simulates it and its voltages grow without bound).
func CouplingWarnings(devs []Device) []*parser.Error {
	var couplings []*Coupling
	for _, d := range devs {
		if k, ok := d.(*Coupling); ok && k.l1 != nil && k.l2 != nil {
			couplings = append(couplings, k)
		}
	}
	var warns []*parser.Error
	for _, set := range coupledSets(couplings) {
		if w := set.check(); w != nil {
			warns = append(warns, w)
		}
	}
	return warns
}

// coupledSet is a connected set of coupled inductors and the K lines that couple them,
// both in netlist order of the K lines.
type coupledSet struct {
	inductors []*Inductor
	couplings []*Coupling
}

// coupledSets groups the couplings by the inductors they share.
func coupledSets(couplings []*Coupling) []*coupledSet {
	setOf := map[*Inductor]*coupledSet{}
	var sets []*coupledSet
	for _, k := range couplings {
		s1, s2 := setOf[k.l1], setOf[k.l2]
		switch {
		case s1 == nil && s2 == nil:
			s := &coupledSet{inductors: []*Inductor{k.l1, k.l2}}
			sets = append(sets, s)
			setOf[k.l1], setOf[k.l2] = s, s
			s1 = s
		case s1 == nil:
			s2.inductors = append(s2.inductors, k.l1)
			setOf[k.l1] = s2
			s1 = s2
		case s2 == nil:
			s1.inductors = append(s1.inductors, k.l2)
			setOf[k.l2] = s1
		case s1 != s2: // k joins two sets: merge s2 into s1
			s1.inductors = append(s1.inductors, s2.inductors...)
			s1.couplings = append(s1.couplings, s2.couplings...)
			for _, l := range s2.inductors {
				setOf[l] = s1
			}
			s2.inductors, s2.couplings = nil, nil
		}
		s1.couplings = append(s1.couplings, k)
	}
	var out []*coupledSet
	for _, s := range sets {
		if len(s.couplings) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// check tries a Cholesky factorization of the set's inductance matrix (the inductances
// on the diagonal, the mutual inductances off it; two K lines on the same pair add, as
// their fluxes do).
func (s *coupledSet) check() *parser.Error {
	n := len(s.inductors)
	index := map[*Inductor]int{}
	for i, l := range s.inductors {
		index[l] = i
	}
	a := make([]float64, n*n)
	for i, l := range s.inductors {
		a[i*n+i] = l.l
	}
	ideal := true
	for _, k := range s.couplings {
		i, j := index[k.l1], index[k.l2]
		a[i*n+j] += k.m
		a[j*n+i] += k.m
		ideal = ideal && math.Abs(k.k) == 1
	}
	what := "positive definite"
	if ideal {
		what = "positive semi-definite"
		if semiDefinite(a, n) {
			return nil
		}
	} else if positiveDefinite(a, n) {
		return nil
	}
	names := make([]string, n)
	for i, l := range s.inductors {
		names[i] = l.Name()
	}
	lines := make([]string, len(s.couplings))
	for i, k := range s.couplings {
		lines[i] = fmt.Sprintf("%s (%s)", k.name, k.pos)
	}
	first := s.couplings[0]
	return parser.Errorf(first.pos, "%s: the inductance matrix of %s, coupled by %s, is not %s: "+
		"the coupling factors together let the inductors store negative energy (simulated as written, as ngspice 39 does); lower them or change their signs",
		first.name, strings.Join(names, ", "), strings.Join(lines, ", "), what)
}

// positiveDefinite reports whether the symmetric n×n matrix a (row major) has a Cholesky
// factorization with positive pivots. It overwrites a.
func positiveDefinite(a []float64, n int) bool {
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= a[i*n+k] * a[j*n+k]
			}
			if i > j {
				a[i*n+j] = s / a[j*n+j]
			} else if s > 0 {
				a[i*n+i] = math.Sqrt(s)
			} else {
				return false
			}
		}
	}
	return true
}

// semiDefinite reports whether the symmetric n×n matrix a (row major) is positive
// semi-definite, by an LDL' factorization without pivoting: every pivot must be
// non-negative, and where a pivot is zero (the matrix of ideal couplings is singular)
// the rest of its column must be zero too. A pivot or entry counts as zero within a
// relative tolerance of rounding, against the diagonal entries it was computed from. It
// overwrites a with L (below the diagonal) and D (on it).
func semiDefinite(a []float64, n int) bool {
	const tol = 1e-9
	diag := make([]float64, n) // the original diagonal, for the tolerances
	for i := range n {
		diag[i] = a[i*n+i]
	}
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for k := 0; k < j; k++ {
			d -= a[j*n+k] * a[j*n+k] * a[k*n+k]
		}
		zero := math.Abs(d) <= tol*math.Abs(diag[j])
		if d < 0 && !zero {
			return false
		}
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= a[i*n+k] * a[j*n+k] * a[k*n+k]
			}
			switch {
			case !zero:
				a[i*n+j] = s / d
			case math.Abs(s) <= tol*math.Sqrt(math.Abs(diag[i]*diag[j])):
				a[i*n+j] = 0
			default:
				return false // a zero pivot with a nonzero column: indefinite
			}
		}
		if zero {
			d = 0
		}
		a[j*n+j] = d
	}
	return true
}
