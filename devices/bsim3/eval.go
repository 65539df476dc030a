package bsim3

import "math"

// eval is one evaluation of the device at given terminal voltages (n-channel frame):
// currents and charges with their derivatives by vgs, vds, vbs.
type eval struct {
	vgs, vds, vbs float64
	mode          int     // 1 normal, -1 drain and source exchanged (vds < 0)
	von           float64 // the threshold voltage, which limiting starts from

	ids        dual    // channel current from drain to source
	isub       dual    // substrate current: from the drain (normal mode) or the source to the bulk
	ibs, gbs   float64 // bulk-source junction current (bulk to source) and conductance
	ibd, gbd   float64 // bulk-drain junction
	charged    bool    // the charges below were computed
	qg, qd, qs dual    // gate, drain, source charges: intrinsic and overlaps
	qb         dual    // bulk charge, intrinsic and overlap (junctions apart)
	qdi, qsi   dual    // the intrinsic (channel) drain and source charges alone
	qgi, qbi   dual    // the intrinsic gate and bulk charges alone
	qbs, cbs   float64 // junction charges and capacitances
	qbd, cbd   float64
}

// seeds returns vgs, vds, vbs as duals with unit derivatives.
func seeds(vgs, vds, vbs float64) (dual, dual, dual) {
	return dual{v: vgs, dg: 1}, dual{v: vds, dd: 1}, dual{v: vbs, db: 1}
}

// evaluate computes ev at vgs, vds, vbs; charges when withCharge.
func (s *sized) evaluate(ev *eval, vgs, vds, vbs, gmin float64, withCharge bool) {
	ev.vgs, ev.vds, ev.vbs = vgs, vds, vbs
	vbd := vbs - vds
	ev.ibs, ev.gbs = s.junctionCurrent(vbs, s.isS, s.vjsm, s.isEvjsm, gmin)
	ev.ibd, ev.gbd = s.junctionCurrent(vbd, s.isD, s.vjdm, s.isEvjdm, gmin)

	g, d, b := seeds(vgs, vds, vbs)
	var c channel
	if vds >= 0 {
		ev.mode = 1
		c.Vgs, c.Vds, c.Vbs = g, d, b
	} else {
		ev.mode = -1
		c.Vgs, c.Vds, c.Vbs = sub(g, d), neg(d), sub(b, d)
	}
	s.dc(&c)
	ev.von = c.Vth.v
	ev.ids = c.Ids
	if ev.mode < 0 {
		ev.ids = neg(c.Ids)
	}
	ev.isub = c.Isub

	ev.charged = withCharge && s.xpart >= 0
	if !withCharge {
		return
	}
	var qgate, qbulk, qdrn dual
	if s.xpart >= 0 {
		qgate, qbulk, qdrn = s.intrinsicCharges(&c)
	}
	qsrc := neg(add(add(qgate, qbulk), qdrn))
	if ev.mode < 0 {
		qdrn, qsrc = qsrc, qdrn
	}
	ev.qdi, ev.qsi, ev.qgi, ev.qbi = qdrn, qsrc, qgate, qbulk
	// Overlap charges, in the terminals' own frame.
	qgdo, qgso := s.overlapCharge(sub(g, d), s.cgdo, bCgdl), s.overlapCharge(g, s.cgso, bCgsl)
	qgbo := scale(sub(g, b), s.cgbo)
	ev.qg = add(add(qgate, qgdo), add(qgso, qgbo))
	ev.qb = sub(qbulk, qgbo)
	ev.qd = sub(qdrn, qgdo)
	ev.qs = sub(qsrc, qgso)
	ev.qbs, ev.cbs = junctionCharge(vbs, s.czbs, s.czbssw, s.czbsswg, s)
	ev.qbd, ev.cbd = junctionCharge(vbd, s.czbd, s.czbdsw, s.czbdswg, s)
	ev.charged = true
}

// junctionCurrent is a bulk junction's current and conductance at v, exponential up to
// the voltage where it reaches ijth and linear above, with gmin across it.
func (s *sized) junctionCurrent(v, is, vjm, isEvjm, gmin float64) (float64, float64) {
	if is <= 0 {
		return gmin * v, gmin
	}
	if s.ijth == 0 || v < vjm {
		e := math.Exp(v / s.nvtm)
		return is*(e-1) + gmin*v, is*e/s.nvtm + gmin
	}
	g := isEvjm / s.nvtm
	return isEvjm - is + g*(v-vjm) + gmin*v, g + gmin
}

// junctionCharge is a bulk junction's depletion charge and capacitance at v: bottom,
// sidewall and gate-side sidewall parts, linear in v above zero.
func junctionCharge(v, cz, czsw, czswg float64, s *sized) (float64, float64) {
	switch {
	case v == 0:
		return 0, cz + czsw + czswg
	case v < 0:
		var q, c float64
		part := func(c0, pb, m float64) {
			if c0 <= 0 {
				return
			}
			arg := 1 - v/pb
			var sarg float64
			if m == 0.5 {
				sarg = 1 / math.Sqrt(arg)
			} else {
				sarg = math.Exp(-m * math.Log(arg))
			}
			q += pb * c0 * (1 - arg*sarg) / (1 - m)
			c += c0 * sarg
		}
		part(cz, s.phiB, s.mj)
		part(czsw, s.phiBSW, s.mjsw)
		part(czswg, s.phiBSWG, s.mjswg)
		return q, c
	}
	c0 := cz + czsw + czswg
	c1 := v * (cz*s.mj/s.phiB + czsw*s.mjsw/s.phiBSW + czswg*s.mjswg/s.phiBSWG)
	return v * (c0 + 0.5*c1), c0 + c1
}

// overlapCharge is the gate-drain or gate-source overlap charge at the gate voltage v
// over that terminal: constant cgxo for capmod 0, with the bias-dependent cgxl part for
// capmod 1 (piecewise) and 2, 3 (smoothed).
func (s *sized) overlapCharge(v dual, cgxo float64, lIdx int) dual {
	t3 := s.weffCV * s.p[lIdx]
	kappa := s.p[bCkappa]
	switch s.capmod {
	case 0:
		return scale(v, cgxo)
	case 1:
		if v.v < 0 {
			t1 := dsqrt(addc(scale(v, -4/kappa), 1))
			return sub(scale(v, cgxo), scale(addc(t1, -1), t3*0.5*kappa))
		}
		return scale(v, t3+cgxo)
	}
	t0 := addc(v, delta1)
	t1 := dsqrt(addc(sq(t0), 4*delta1))
	t2 := scale(sub(t0, t1), 0.5)
	t4 := dsqrt(addc(scale(t2, -4/kappa), 1))
	return sub(scale(v, cgxo+t3), scale(add(t2, scale(addc(t4, -1), 0.5*kappa)), t3))
}
