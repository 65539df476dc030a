package bsim4

import (
	"math"

	"github.com/gospice/gospice/devices"
)

// junction is one source or drain junction diode at the device temperature: its
// saturation current, the limits of diomod 1 and 2, trap-assisted tunnelling, and the
// depletion capacitance's zero-bias parts.
type junction struct {
	isat, nvtm                       float64
	xExpBV, xjbv, bv                 float64
	vjmFwd, ivjmFwd, slpFwd          float64
	vjmRev, ivjmRev, slpRev          float64
	tat                              [3]tatPart // bottom, STI sidewall, gate-edge sidewall
	czb, czbsw, czbswg               float64    // zero-bias capacitances
	pb, pbsw, pbswg, mj, mjsw, mjswg float64
}

// tatPart is one trap-assisted tunnelling current: isat (exp(-v vts/(nvtm (vts - v))) - 1).
type tatPart struct{ isat, nvtm, vts float64 }

// current returns the diode's current (bulk to drain or source) and conductance at v, with
// gmin across it, as diomod says.
func (j *junction) current(diomod int, v, gmin float64) (float64, float64) {
	var i, g float64
	is, nv := j.isat, j.nvtm
	if is <= 0 {
		i, g = 0, 0
	} else {
		switch diomod {
		case 0:
			ev := devices.FastExp(v / nv)
			t1 := j.xjbv * devices.FastExp(-(j.bv+v)/nv)
			g = is * (ev + t1) / nv
			i = is * (ev + j.xExpBV - t1 - 1)
		case 1:
			t2 := v / nv
			switch {
			case t2 < -expThreshold:
				i, g = is*(minExp-1), 0
			case v <= j.vjmFwd:
				ev := devices.FastExp(t2)
				i, g = is*(ev-1), is*ev/nv
			default:
				t0 := j.ivjmFwd / nv
				i, g = j.ivjmFwd-is+t0*(v-j.vjmFwd), t0
			}
		case 2:
			ev, dev := minExp, 0.0
			if t0 := v / nv; t0 >= -expThreshold {
				ev = devices.FastExp(t0)
				dev = ev / nv
			}
			switch {
			case v < j.vjmRev:
				t1 := ev - 1
				t2 := j.ivjmRev + j.slpRev*(v-j.vjmRev)
				i, g = t1*t2, dev*t2+t1*j.slpRev
			case v <= j.vjmFwd:
				t1 := (j.bv + v) / nv
				t2, t3 := minExp, 0.0
				if t1 <= expThreshold {
					t2 = devices.FastExp(-t1)
					t3 = -t2 / nv
				}
				i = is * (ev + j.xExpBV - 1 - j.xjbv*t2)
				g = is * (dev - j.xjbv*t3)
			default:
				i, g = j.ivjmFwd+j.slpFwd*(v-j.vjmFwd), j.slpFwd
			}
		}
	}
	i += gmin * v
	g += gmin
	for k := range j.tat {
		t := &j.tat[k]
		if t.isat == 0 {
			continue
		}
		var e, de float64
		if t.vts-v < t.vts*1e-3 {
			x := -v / t.nvtm * 1e3
			e, de = dexpPair(x)
			de *= 1e3 / t.nvtm
		} else {
			t9 := 1 / (t.vts - v)
			x := -v / t.nvtm * t.vts * t9
			dx := t.vts / t.nvtm * (t9 + v*t9*t9)
			e, de = dexpPair(x)
			de *= dx
		}
		i -= t.isat * (e - 1)
		g += t.isat * de
	}
	return i, g
}

// dexpPair is BSIM4's DEXP with its derivative.
func dexpPair(x float64) (float64, float64) {
	switch {
	case x > expThreshold:
		return maxExp * (1 + x - expThreshold), maxExp
	case x < -expThreshold:
		return minExp, 0
	}
	e := devices.FastExp(x)
	return e, e
}

// charge returns the depletion charge and capacitance at v (bulk to drain or source).
func (j *junction) charge(v float64) (float64, float64) {
	if v >= 0 {
		// Forward bias (and zero): every part's linear extension, a negative part too
		// (BSIM4.5's perimeter less the gate edge, below zero: effectiveDiffusion), as
		// ngspice sums them; reverse bias leaves such a part out, so that the
		// capacitance then steps at v = 0, in ngspice as here.
		var q, c float64
		for _, p := range [3]struct{ cz, pb, mj float64 }{{j.czb, j.pb, j.mj}, {j.czbsw, j.pbsw, j.mjsw}, {j.czbswg, j.pbswg, j.mjswg}} {
			q += v * p.cz * (1 + 0.5*p.mj*v/p.pb)
			c += p.cz * (1 + p.mj*v/p.pb)
		}
		return q, c
	}
	// Reverse bias: each positive part's (1 - v/pb)^-mj. The two sidewalls share
	// theirs when their pb and mj are the same, as on most cards.
	var q, c float64
	if j.czb > 0 {
		arg, sarg := reverseGrading(v, j.pb, j.mj)
		q, c = reverseCharge(j.czb, j.pb, j.mj, arg, sarg)
	}
	var swArg, swSarg float64
	if j.czbsw > 0 {
		swArg, swSarg = reverseGrading(v, j.pbsw, j.mjsw)
		dq, dc := reverseCharge(j.czbsw, j.pbsw, j.mjsw, swArg, swSarg)
		q, c = q+dq, c+dc
	}
	if j.czbswg > 0 {
		arg, sarg := swArg, swSarg
		if j.czbsw <= 0 || j.pbswg != j.pbsw || j.mjswg != j.mjsw {
			arg, sarg = reverseGrading(v, j.pbswg, j.mjswg)
		}
		dq, dc := reverseCharge(j.czbswg, j.pbswg, j.mjswg, arg, sarg)
		q, c = q+dq, c+dc
	}
	return q, c
}

// reverseGrading is 1 - v/pb and its power -mj, of a junction part in reverse bias. The
// abrupt junction's mj = 0.5 (the default, and most cards' bottom junctions) takes a
// square root instead of a logarithm and an exponential.
func reverseGrading(v, pb, mj float64) (arg, sarg float64) {
	arg = 1 - v/pb
	if mj == 0.5 {
		return arg, 1 / math.Sqrt(arg)
	}
	return arg, devices.FastExp(-mj * devices.FastLog(arg))
}

// reverseCharge is a junction part's charge and capacitance in reverse bias, from its
// reverseGrading.
func reverseCharge(cz, pb, mj, arg, sarg float64) (float64, float64) {
	return pb * cz * (1 - arg*sarg) / (1 - mj), cz * sarg
}

// ijthVjm is the voltage at which the diode current reaches ijth (BSIM4DioIjthVjmEval).
func ijthVjm(nvtm, ijth, isb, xExpBV float64) float64 {
	tc := xExpBV
	tb := 1 + ijth/isb - tc
	e := 0.5 * (tb + math.Sqrt(tb*tb+4*tc))
	return nvtm * math.Log(e)
}
