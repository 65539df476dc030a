package bsim4

import (
	"math"

	"github.com/gospice/gospice/devices"
)

// dl is a value with its partial derivatives by the three controlling voltages of the
// intrinsic device, vgs, vds and vbs (n-channel frame, source-referenced): forward-mode
// differentiation, so that every current and charge carries its exact Jacobian. It is a
// value type: nothing allocates.
type dl struct{ v, g, d, b float64 }

func cst(x float64) dl { return dl{v: x} }

func (a dl) add(b dl) dl { return dl{a.v + b.v, a.g + b.g, a.d + b.d, a.b + b.b} }
func (a dl) sub(b dl) dl { return dl{a.v - b.v, a.g - b.g, a.d - b.d, a.b - b.b} }
func (a dl) addc(k float64) dl {
	a.v += k
	return a
}
func (a dl) scale(k float64) dl { return dl{a.v * k, a.g * k, a.d * k, a.b * k} }
func (a dl) neg() dl            { return dl{-a.v, -a.g, -a.d, -a.b} }
func (a dl) mul(b dl) dl {
	return dl{a.v * b.v, a.g*b.v + a.v*b.g, a.d*b.v + a.v*b.d, a.b*b.v + a.v*b.b}
}
func (a dl) div(b dl) dl {
	q := a.v / b.v
	ib := 1 / b.v
	return dl{q, (a.g - q*b.g) * ib, (a.d - q*b.d) * ib, (a.b - q*b.b) * ib}
}

// inv is 1/a.
func (a dl) inv() dl {
	q := 1 / a.v
	k := -q * q
	return dl{q, a.g * k, a.d * k, a.b * k}
}

// chain applies f with value fv and slope fp at a.v.
func (a dl) chain(fv, fp float64) dl { return dl{fv, a.g * fp, a.d * fp, a.b * fp} }

func dsqrt(a dl) dl {
	s := math.Sqrt(a.v)
	return a.chain(s, 0.5/s)
}

func dexp(a dl) dl {
	e := devices.FastExp(a.v)
	return a.chain(e, e)
}

func dlog(a dl) dl { return a.chain(devices.FastLog(a.v), 1/a.v) }

// Limits of BSIM4's bounded exponential.
const (
	maxExp       = 5.834617425e14
	minExp       = 1.713908431e-15
	expThreshold = 34.0
)

// logOnePlusMinExp is log(1 + minExp), the floor of BSIM4's smoothed max(x, 0) (a
// variable: package math's Log is no constant).
var logOnePlusMinExp = math.Log(1 + minExp)

// d1 is a value with its derivative by one variable x. Two uses:
//   - a chain that depends on one controlling voltage alone (the body bias's terms on the
//     local vbs, the gate's depletion on vgs, the overlaps, the gate's edge currents)
//     carries one derivative instead of three until it meets the other voltages. Every
//     operation is dl's on one component and the voltages' derivatives are 0, 1 or -1,
//     so the lifted value has the bits of the dl computed throughout;
//   - a function of one value u (a dl) is computed on d1{u.v, 1} and taken through the
//     chain rule once (along(u)): its derivatives then differ from those carried
//     through every step by rounding.
type d1 struct{ v, x float64 }

// along is a as a dl, a being a function of u (whose value is a's x): its derivatives
// are a's slope times u's.
func (a d1) along(u dl) dl { return dl{a.v, a.x * u.g, a.x * u.d, a.x * u.b} }

func (a d1) add(b d1) d1 { return d1{a.v + b.v, a.x + b.x} }
func (a d1) sub(b d1) d1 { return d1{a.v - b.v, a.x - b.x} }
func (a d1) addc(k float64) d1 {
	a.v += k
	return a
}
func (a d1) scale(k float64) d1 { return d1{a.v * k, a.x * k} }
func (a d1) neg() d1            { return d1{-a.v, -a.x} }
func (a d1) mul(b d1) d1        { return d1{a.v * b.v, a.x*b.v + a.v*b.x} }
func (a d1) div(b d1) d1 {
	q := a.v / b.v
	ib := 1 / b.v
	return d1{q, (a.x - q*b.x) * ib}
}
func (a d1) inv() d1 {
	q := 1 / a.v
	return d1{q, a.x * (-q * q)}
}
func (a d1) sqrt() d1 {
	s := math.Sqrt(a.v)
	return d1{s, a.x * (0.5 / s)}
}
func (a d1) exp() d1 {
	e := devices.FastExp(a.v)
	return d1{e, a.x * e}
}
func (a d1) log() d1 { return d1{devices.FastLog(a.v), a.x * (1 / a.v)} }

// pow is a^p for a constant p and a > 0.
func (a d1) pow(p float64) d1 {
	r := devices.FastExp(p * devices.FastLog(a.v))
	return d1{r, a.x * (p * r / a.v)}
}

// expLim is BSIM4's DEXP: exp continued linearly above expThreshold and held at minExp
// below -expThreshold.
func (a d1) expLim() d1 {
	switch {
	case a.v > expThreshold:
		return d1{maxExp * (1 + a.v - expThreshold), a.x * maxExp}
	case a.v < -expThreshold:
		return d1{v: minExp}
	}
	return a.exp()
}
