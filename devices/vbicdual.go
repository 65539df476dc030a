package devices

import "math"

// The VBIC's controlling voltages, in the order of a vdual's derivatives. Each is the
// difference of two node voltages, times the device type for the electrical ones (so
// that an npn and a pnp share the equations), and the thermal node's rise for vrth.
const (
	vcBEI  = iota // B' - E' (intrinsic B-E junction)
	vcBEX         // BX - E' (extrinsic B-E junction)
	vcBCI         // B' - C' (intrinsic B-C junction)
	vcBCX         // B' - CX (extrinsic B-C junction)
	vcBEP         // BX - BP (parasitic transistor's B-E junction)
	vcBCP         // SI - BP (parasitic transistor's B-C junction)
	vcRCX         // C - CX
	vcRCI         // CX - C'
	vcRBX         // B - BX
	vcRBI         // BX - B'
	vcRE          // E - E'
	vcRBP         // BP - CX
	vcRS          // S - SI
	vcBE          // B - E (overlap capacitance)
	vcBC          // B - C (overlap capacitance)
	vcRTH         // the temperature rise, the thermal node's voltage
	vbicNC        // the number of controlling voltages
)

// vdual is a value with its derivatives by the VBIC's controlling voltages: forward-mode
// automatic differentiation, so that every conductance and capacitance the model stamps
// is the exact derivative of the current or charge it computes. A vdual lives on the
// stack; nothing here allocates.
type vdual struct {
	v float64
	d [vbicNC]float64
}

// vc is a constant.
func vc(x float64) vdual { return vdual{v: x} }

// vvar is controlling voltage k at value x.
func vvar(k int, x float64) vdual {
	r := vdual{v: x}
	r.d[k] = 1
	return r
}

func (a vdual) add(b vdual) vdual {
	a.v += b.v
	for i := range a.d {
		a.d[i] += b.d[i]
	}
	return a
}

func (a vdual) sub(b vdual) vdual {
	a.v -= b.v
	for i := range a.d {
		a.d[i] -= b.d[i]
	}
	return a
}

func (a vdual) mul(b vdual) vdual {
	r := vdual{v: a.v * b.v}
	for i := range r.d {
		r.d[i] = a.d[i]*b.v + a.v*b.d[i]
	}
	return r
}

func (a vdual) div(b vdual) vdual {
	q := a.v / b.v
	r := vdual{v: q}
	for i := range r.d {
		r.d[i] = (a.d[i] - q*b.d[i]) / b.v
	}
	return r
}

// scale is a times the constant k.
func (a vdual) scale(k float64) vdual {
	a.v *= k
	for i := range a.d {
		a.d[i] *= k
	}
	return a
}

// plus is a plus the constant k.
func (a vdual) plus(k float64) vdual {
	a.v += k
	return a
}

// chain is f(a) with f(a.v) = y and f'(a.v) = dy.
func (a vdual) chain(y, dy float64) vdual {
	r := vdual{v: y}
	for i := range r.d {
		r.d[i] = dy * a.d[i]
	}
	return r
}

func vexp(a vdual) vdual {
	e := math.Exp(a.v)
	return a.chain(e, e)
}

func vlog(a vdual) vdual { return a.chain(math.Log(a.v), 1/a.v) }

func vsqrt(a vdual) vdual {
	s := math.Sqrt(a.v)
	return a.chain(s, 0.5/s)
}

// vpow is a to the constant power k.
func vpow(a vdual, k float64) vdual {
	y := math.Pow(a.v, k)
	return a.chain(y, k*y/a.v)
}

// dot is the sum of a's derivatives times dv: a's change over the voltage steps dv.
func (a vdual) dot(dv *[vbicNC]float64) float64 {
	s := 0.0
	for i, d := range a.d {
		s += d * dv[i]
	}
	return s
}
