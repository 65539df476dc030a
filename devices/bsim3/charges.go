package bsim3

import "math"

// intrinsicCharges returns the gate, bulk and drain charges of the channel in its frame
// (capmod 0: the piecewise long-channel charges; 1: piecewise with VgsteffCV; 2: smooth;
// 3: smooth with the charge thickness), the drain share given by xpart (0/100 when above
// 0.5, 40/60 below, 50/50 at 0.5).
func (s *sized) intrinsicCharges(c *channel) (qgate, qbulk, qdrn dual) {
	coxWL := s.cox * s.weffCV * s.leffCV
	if s.capmod == 0 {
		qgate, qbulk, qdrn = s.chargesCapmod0(c, coxWL)
		c.qinv = qgate.v + qbulk.v // minus the channel's charge, the drain's and the source's
		return qgate, qbulk, qdrn
	}
	p := &s.p
	VbseffCV := c.Vbseff
	if c.Vbseff.v >= 0 {
		VbseffCV = addc(neg(c.Phis), s.phi)
	}
	// VgsteffCV, with its own offset voffcv and swing noff.
	t0 := scale(c.n, s.vtm*p[bNoff])
	x := div(addc(c.Vgst, -p[bVoffcv]), t0)
	var Vgsteff dual
	switch {
	case x.v > expThr:
		Vgsteff = addc(c.Vgst, -p[bVoffcv])
	case x.v < -expThr:
		Vgsteff = scale(t0, math.Log(1+minExp))
	default:
		Vgsteff = mul(t0, dlog(addc(dexp(x), 1)))
	}
	AbulkCV := scale(c.Abulk0, s.abulkCVfactor)
	var qsrc dual
	switch s.capmod {
	case 1:
		qgate, qbulk, qsrc = s.chargesCapmod1(c, coxWL, VbseffCV, Vgsteff, AbulkCV)
	case 2:
		qgate, qbulk, qsrc = s.chargesCapmod2(c, coxWL, VbseffCV, Vgsteff, AbulkCV)
	default:
		qgate, qbulk, qsrc = s.chargesCapmod3(c, coxWL, VbseffCV, Vgsteff, AbulkCV)
	}
	return qgate, qbulk, neg(add(add(qgate, qbulk), qsrc))
}

// partition returns the source charge of the inversion charge for xpart, given
// T0 = AbulkCV VdseffCV, T1 = 12 (Vgsteff - T0/2 + 1e-20) and the capacitance coxWL,
// with gate and bulk inversion parts qg, qb for the 50/50 split.
func (s *sized) partition(coxWL float64, Vgsteff, T0, T1, qg, qb dual) dual {
	switch {
	case s.xpart > 0.5:
		return scale(sub(add(scale(Vgsteff, 0.5), scale(T0, 0.25)), div(sq(T0), scale(T1, 2))), -coxWL)
	case s.xpart < 0.5:
		t1 := scale(T1, 1.0/12)
		t2 := scale(inv(sq(t1)), 0.5*coxWL)
		a := add(scale(sq(T0), 2.0/3), mul(Vgsteff, sub(Vgsteff, scale(T0, 4.0/3))))
		t3 := sub(mul(Vgsteff, a), scale(mul(T0, sq(T0)), 2.0/15))
		return neg(mul(t2, t3))
	}
	return scale(add(qg, qb), -0.5)
}

func (s *sized) chargesCapmod0(c *channel, coxWL float64) (qgate, qbulk, qdrn dual) {
	p := &s.p
	Vbseff := c.Vbs
	if c.Vbseff.v >= 0 {
		Vbseff = addc(neg(c.Phis), s.phi)
	}
	Vfb := p[bVfbcv]
	Vth := addc(scale(c.sqrtPhis, s.k1ox), Vfb+s.phi)
	Vgst := sub(c.Vgs_eff, Vth)
	Arg1 := addc(sub(c.Vgs_eff, Vbseff), -Vfb)
	Vds := c.Vds
	switch {
	case Arg1.v <= 0:
		qgate = scale(Arg1, coxWL)
		return qgate, neg(qgate), dual{}
	case Vgst.v <= 0:
		t1 := 0.5 * s.k1ox
		qgate = scale(addc(dsqrt(addc(Arg1, t1*t1)), -t1), coxWL*s.k1ox)
		return qgate, neg(qgate), dual{}
	}
	AbulkCV := scale(c.Abulk0, s.abulkCVfactor)
	Vdsat := div(Vgst, AbulkCV)
	base := addc(c.Vgs_eff, -Vfb-s.phi)
	if Vdsat.v <= Vds.v { // saturation
		qgate = scale(sub(base, scale(Vdsat, 1.0/3)), coxWL)
		t2 := scale(Vgst, -2.0/3*coxWL)
		qbulk = neg(add(qgate, t2))
		switch {
		case s.xpart > 0.5:
			qdrn = dual{}
		case s.xpart < 0.5:
			qdrn = scale(t2, 0.4)
		default:
			qdrn = scale(t2, 0.5)
		}
		return qgate, qbulk, qdrn
	}
	// Linear region.
	Alphaz := div(Vgst, Vdsat)
	T1 := sub(scale(Vdsat, 2), Vds)
	T2 := div(Vds, scale(T1, 3))
	T3 := mul(T2, Vds)
	T4 := scale(Alphaz, 0.25*coxWL)
	qgate = scale(sub(base, scale(sub(Vds, T3), 0.5)), coxWL)
	switch {
	case s.xpart > 0.5:
		t7 := sub(sub(scale(Vds, 2), T1), scale(T3, 3))
		t8 := sub(sub(T3, T1), scale(Vds, 2))
		qdrn = mul(T4, t7)
		qbulk = neg(add(add(qgate, qdrn), mul(T4, t8)))
	case s.xpart < 0.5:
		t6 := add(sub(scale(sq(Vdsat), 8), scale(mul(Vdsat, Vds), 6)), scale(sq(Vds), 1.2))
		t8 := div(T2, T1)
		t7 := sub(sub(Vds, T1), mul(t8, t6))
		qdrn = mul(T4, t7)
		qbulk = neg(sub(qgate, mul(T4, scale(add(T1, T3), 2))))
	default:
		qdrn = neg(mul(T4, add(T1, T3)))
		qbulk = neg(add(qgate, scale(qdrn, 2)))
	}
	return qgate, qbulk, qdrn
}

func (s *sized) chargesCapmod1(c *channel, coxWL float64, VbseffCV, Vgsteff, AbulkCV dual) (qgate, qbulk, qsrc dual) {
	Arg1 := sub(addc(sub(c.Vgs_eff, VbseffCV), -s.vfbzb), Vgsteff)
	if Arg1.v <= 0 {
		qgate = scale(Arg1, coxWL)
	} else {
		t0 := 0.5 * s.k1ox
		qgate = scale(addc(dsqrt(addc(Arg1, t0*t0)), -t0), coxWL*s.k1ox)
	}
	qbulk = neg(qgate)
	Vds := c.Vds
	VdsatCV := div(Vgsteff, AbulkCV)
	if VdsatCV.v < Vds.v {
		c.qinv = coxWL * 2 * Vgsteff.v / 3
		qgate = add(qgate, scale(sub(Vgsteff, scale(VdsatCV, 1.0/3)), coxWL))
		qbulk = add(qbulk, scale(sub(VdsatCV, Vgsteff), coxWL/3))
		k := -coxWL / 3
		switch {
		case s.xpart > 0.5:
			k = -2 * coxWL / 3
		case s.xpart < 0.5:
			k = -0.4 * coxWL
		}
		return qgate, qbulk, scale(Vgsteff, k)
	}
	T0 := mul(AbulkCV, Vds)
	T1 := scale(addc(sub(Vgsteff, scale(T0, 0.5)), 1e-20), 12)
	T3 := mul(T0, div(Vds, T1))
	c.qinv = coxWL * (Vgsteff.v - 0.5*T0.v + AbulkCV.v*T3.v)
	qgInv := scale(add(sub(Vgsteff, scale(Vds, 0.5)), T3), coxWL)
	qbInv := scale(mul(addc(neg(AbulkCV), 1), sub(scale(Vds, 0.5), T3)), coxWL)
	qgate, qbulk = add(qgate, qgInv), add(qbulk, qbInv)
	return qgate, qbulk, s.partition(coxWL, Vgsteff, T0, T1, qgInv, qbInv)
}

// vfbeff is the smoothed flat-band voltage of capmod 2 and 3.
func (s *sized) vfbeff(Vgs_eff, VbseffCV dual) dual {
	vfb := s.vfbzb
	V3 := addc(add(neg(Vgs_eff), VbseffCV), vfb-delta3)
	var T0 dual
	if vfb <= 0 {
		T0 = dsqrt(addc(sq(V3), -4*delta3*vfb))
	} else {
		T0 = dsqrt(addc(sq(V3), 4*delta3*vfb))
	}
	return addc(scale(add(V3, T0), -0.5), vfb)
}

// qsub0 is the depletion charge below the inversion of capmod 2 and 3, times coxWL.
func (s *sized) qsub0(coxWL dual, Vgs_eff, Vfbeff, VbseffCV, Vgsteff dual) dual {
	k1ox := s.k1ox
	T0 := 0.5 * k1ox
	T3 := sub(sub(sub(Vgs_eff, Vfbeff), VbseffCV), Vgsteff)
	var T1 dual
	switch {
	case k1ox == 0:
		T1 = dual{}
	case T3.v < 0:
		T1 = addc(scale(T3, 1/k1ox), T0)
	default:
		T1 = dsqrt(addc(T3, T0*T0))
	}
	return scale(mul(coxWL, addc(T1, -T0)), k1ox)
}

func (s *sized) chargesCapmod2(c *channel, coxWL float64, VbseffCV, Vgsteff, AbulkCV dual) (qgate, qbulk, qsrc dual) {
	Vfbeff := s.vfbeff(c.Vgs_eff, VbseffCV)
	Qac0 := scale(addc(Vfbeff, -s.vfbzb), coxWL)
	Qsub0 := s.qsub0(cst(coxWL), c.Vgs_eff, Vfbeff, VbseffCV, Vgsteff)
	Vds := c.Vds
	VdsatCV := div(Vgsteff, AbulkCV)
	V4 := sub(addc(VdsatCV, -delta4), Vds)
	t0 := dsqrt(add(sq(V4), scale(VdsatCV, 4*delta4)))
	VdseffCV := sub(VdsatCV, scale(add(V4, t0), 0.5))
	if Vds.v == 0 {
		VdseffCV = dual{dd: VdseffCV.dd}
	}
	T0 := mul(AbulkCV, VdseffCV)
	T1 := scale(addc(sub(Vgsteff, scale(T0, 0.5)), 1e-20), 12)
	T3 := mul(T0, div(VdseffCV, T1))
	qgate = scale(add(sub(Vgsteff, scale(VdseffCV, 0.5)), T3), coxWL)
	c.qinv = coxWL * (Vgsteff.v - 0.5*T0.v + AbulkCV.v*T3.v)
	qbulk = scale(mul(addc(neg(AbulkCV), 1), sub(scale(VdseffCV, 0.5), T3)), coxWL)
	qsrc = s.partition(coxWL, Vgsteff, T0, T1, qgate, qbulk)
	q := add(Qac0, Qsub0)
	return add(qgate, q), sub(qbulk, q), qsrc
}

func (s *sized) chargesCapmod3(c *channel, coxWL float64, VbseffCV, Vgsteff, AbulkCV dual) (qgate, qbulk, qsrc dual) {
	p := &s.p
	vtm := s.vtm
	Vfbeff := s.vfbeff(c.Vgs_eff, VbseffCV)
	// The charge centroid of accumulation and depletion.
	tox := 1e8 * s.tox
	arg := scale(addc(sub(c.Vgs_eff, VbseffCV), -s.vfbzb), s.acde/tox)
	var Tcen dual
	switch {
	case arg.v > -expThr && arg.v < expThr:
		Tcen = scale(dexp(arg), s.ldeb)
	case arg.v <= -expThr:
		Tcen = cst(s.ldeb * minExp)
	default:
		Tcen = cst(s.ldeb * maxExp)
	}
	link := 1e-3 * s.tox
	V3 := addc(neg(Tcen), s.ldeb-link)
	V4 := dsqrt(addc(sq(V3), 4*link*s.ldeb))
	Tcen = addc(scale(add(V3, V4), -0.5), s.ldeb)
	coxWLcen := s.coxWLcen(coxWL, Tcen)
	Qac0 := mul(coxWLcen, addc(Vfbeff, -s.vfbzb))
	Qsub0 := s.qsub0(coxWLcen, c.Vgs_eff, Vfbeff, VbseffCV, Vgsteff)

	// The gate-bias dependent surface potential shift of inversion.
	var denomi, t0 float64
	if s.k1ox <= 0 {
		denomi, t0 = 0.25*p[bMoin]*vtm, 0.5*s.sqrtPhi
	} else {
		denomi, t0 = p[bMoin]*vtm*s.k1ox*s.k1ox, s.k1ox*s.sqrtPhi
	}
	DeltaPhi := scale(dlog(addc(scale(mul(addc(Vgsteff, 2*t0), Vgsteff), 1/denomi), 1)), vtm)
	// Vgsteff - DeltaPhi, smoothed above zero in 3.3 (3.2.3 and 3.2.4 take it as it is).
	VgDP := sub(Vgsteff, DeltaPhi)
	if !s.v32 {
		T0 := addc(VgDP, -0.001)
		VgDP = scale(add(T0, dsqrt(add(sq(T0), scale(Vgsteff, 0.004)))), 0.5)
	}

	// The inversion charge centroid.
	T3 := scale(addc(c.Vth, -s.vfbzb-s.phi), 4)
	var tt dual
	if T3.v >= 0 {
		tt = scale(add(Vgsteff, T3), 1/(2*tox))
	} else {
		tt = scale(addc(Vgsteff, 1e-20), 1/(2*tox))
	}
	Tcen = scale(inv(addc(dexp(scale(dlog(tt), 0.7)), 1)), 1.9e-9)
	coxWLcen = s.coxWLcen(coxWL, Tcen)

	Vds := c.Vds
	VdsatCV := div(VgDP, AbulkCV)
	T0 := sub(addc(VdsatCV, -delta4), Vds)
	T1 := dsqrt(add(sq(T0), scale(VdsatCV, 4*delta4)))
	var VdseffCV dual
	if T0.v >= 0 || s.v32 {
		VdseffCV = sub(VdsatCV, scale(add(T0, T1), 0.5))
	} else {
		t3 := scale(inv(sub(T1, T0)), 2*delta4)
		VdseffCV = mul(VdsatCV, addc(neg(t3), 1))
		if ngspiceDerivatives {
			VdseffCV = ngspiceVdseffCV(VdseffCV, t3.v, VdsatCV.v, AbulkCV, c.Vbs)
		}
	}
	if Vds.v == 0 {
		VdseffCV = dual{dd: VdseffCV.dd}
	}
	T0 = mul(AbulkCV, VdseffCV)
	T2 := scale(addc(sub(VgDP, scale(T0, 0.5)), 1e-20), 12)
	T3 = div(T0, T2)
	qgate = mul(coxWLcen, sub(VgDP, mul(T0, addc(neg(T3), 0.5))))
	c.qinv = qgate.v
	qbulk = mul(mul(coxWLcen, addc(neg(AbulkCV), 1)), sub(scale(VdseffCV, 0.5), div(mul(T0, VdseffCV), T2)))
	switch {
	case s.xpart > 0.5:
		qsrc = neg(mul(coxWLcen, sub(add(scale(VgDP, 0.5), scale(T0, 0.25)), scale(div(sq(T0), T2), 0.5))))
	case s.xpart < 0.5:
		t2 := scale(T2, 1.0/12)
		t3 := div(scale(coxWLcen, 0.5), sq(t2))
		a := add(scale(sq(T0), 2.0/3), mul(VgDP, sub(VgDP, scale(T0, 4.0/3))))
		t4 := sub(mul(VgDP, a), scale(mul(T0, sq(T0)), 2.0/15))
		qsrc = neg(mul(t3, t4))
	default:
		qsrc = scale(qgate, -0.5)
	}
	q := add(Qac0, Qsub0)
	return sub(add(qgate, q), qbulk), sub(qbulk, q), qsrc
}

// ngspiceVdseffCV is VdseffCV with the derivative ngspice 39 gives it (b3ld.c, capMod 3)
// where VdsatCV - Vds - delta4 = T0 < 0, T3 = 2 delta4/(T1 - T0): its hand-written
// derivative of VdseffCV = VdsatCV (1 - T3) by the channel's Vbs takes the part of
// VdsatCV's own bulk dependence (through AbulkCV, at fixed Vgsteff) as dVdsatCV/dVbs
// instead of (1 - T3) dVdsatCV/dVbs (its gate derivative has the factor). The charge is
// the same; the bulk (and so source) capacitances near saturation are not: C(g,s) of the
// QA deck bsim3/nmos acVd at V(d) = 0.6 V differs by 2.7e-3 relative, and the references
// (made by ngspice) carry ngspice's value. gospice takes ngspice's derivative so that its
// AC analysis matches ngspice's; the exact one is VdseffCV without this term. Vbs is the
// channel frame's bulk voltage as a dual of the terminals' voltages, so the term goes
// where ngspice's reverse mode puts it; AbulkCV.db is dAbulkCV/dVbs of that frame in
// either mode (the frame's vgs and vds do not move with the terminals' vbs).
func ngspiceVdseffCV(VdseffCV dual, T3, VdsatCV float64, AbulkCV, Vbs dual) dual {
	e := T3 * (-VdsatCV * AbulkCV.db / AbulkCV.v)
	VdseffCV.dg += e * Vbs.dg
	VdseffCV.dd += e * Vbs.dd
	VdseffCV.db += e * Vbs.db
	return VdseffCV
}

// coxWLcen is coxWL reduced by the capacitance of the charge centroid at depth Tcen.
func (s *sized) coxWLcen(coxWL float64, Tcen dual) dual {
	Ccen := scale(inv(Tcen), epsSi)
	Coxeff := div(scale(Ccen, s.cox), addc(Ccen, s.cox))
	return scale(Coxeff, coxWL/s.cox)
}
