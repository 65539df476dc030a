package bsim3

import "math"

// dual is a value with its exact derivatives by the three controlling voltages of the
// device (vgs, vds, vbs of the n-channel frame, in the terminals' own order): forward-mode
// automatic differentiation, so that every current and charge the model computes comes
// with its analytic Jacobian, whatever branch of the model equations it takes.
type dual struct {
	v          float64
	dg, dd, db float64
}

// ngspiceDerivatives makes the model take ngspice 39's derivative where ngspice's
// hand-written one is not the exact derivative of its own equations (see
// ngspiceVdseffCV and the bound of Vbseff in dc): the AC analysis and gmbs then match
// ngspice's, which the BSIM QA references record. Only TestJacobianAgainstFiniteDifferences
// turns it off, to hold the rest of the Jacobian to the exact one.
var ngspiceDerivatives = true

// cst is a constant.
func cst(v float64) dual { return dual{v: v} }

func add(a, b dual) dual { return dual{a.v + b.v, a.dg + b.dg, a.dd + b.dd, a.db + b.db} }
func sub(a, b dual) dual { return dual{a.v - b.v, a.dg - b.dg, a.dd - b.dd, a.db - b.db} }
func neg(a dual) dual    { return dual{-a.v, -a.dg, -a.dd, -a.db} }

// addc is a + c for a constant c.
func addc(a dual, c float64) dual { return dual{a.v + c, a.dg, a.dd, a.db} }

// scale is k a for a constant k.
func scale(a dual, k float64) dual { return dual{k * a.v, k * a.dg, k * a.dd, k * a.db} }

func mul(a, b dual) dual {
	return dual{a.v * b.v, a.dg*b.v + a.v*b.dg, a.dd*b.v + a.v*b.dd, a.db*b.v + a.v*b.db}
}

func div(a, b dual) dual {
	q := a.v / b.v
	ib := 1 / b.v
	return dual{q, (a.dg - q*b.dg) * ib, (a.dd - q*b.dd) * ib, (a.db - q*b.db) * ib}
}

// inv is 1/a.
func inv(a dual) dual {
	r := 1 / a.v
	k := -r * r
	return dual{r, k * a.dg, k * a.dd, k * a.db}
}

// chain is f(a) given f(a.v) = v and f'(a.v) = d.
func chain(a dual, v, d float64) dual { return dual{v, d * a.dg, d * a.dd, d * a.db} }

func dsqrt(a dual) dual {
	s := math.Sqrt(a.v)
	return chain(a, s, 0.5/s)
}

func dexp(a dual) dual {
	e := math.Exp(a.v)
	return chain(a, e, e)
}

func dlog(a dual) dual { return chain(a, math.Log(a.v), 1/a.v) }

// dpow is a^k for a constant k.
func dpow(a dual, k float64) dual {
	p := math.Pow(a.v, k)
	return chain(a, p, k*p/a.v)
}

// sq is a*a.
func sq(a dual) dual { return mul(a, a) }
