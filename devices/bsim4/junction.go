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
	var q, c float64
	part := func(cz, pb, mj float64) {
		if cz <= 0 {
			return
		}
		if v < 0 {
			arg := 1 - v/pb
			sarg := devices.FastExp(-mj * devices.FastLog(arg))
			q += pb * cz * (1 - arg*sarg) / (1 - mj)
			c += cz * sarg
		} else {
			q += v * cz * (1 + 0.5*mj*v/pb)
			c += cz * (1 + mj*v/pb)
		}
	}
	part(j.czb, j.pb, j.mj)
	part(j.czbsw, j.pbsw, j.mjsw)
	part(j.czbswg, j.pbswg, j.mjswg)
	return q, c
}

// ijthVjm is the voltage at which the diode current reaches ijth (BSIM4DioIjthVjmEval).
func ijthVjm(nvtm, ijth, isb, xExpBV float64) float64 {
	tc := xExpBV
	tb := 1 + ijth/isb - tc
	e := 0.5 * (tb + math.Sqrt(tb*tb+4*tc))
	return nvtm * math.Log(e)
}
