package bsim3

import "math"

// channel holds the intermediate quantities of one evaluation in the channel's frame
// (drain and source exchanged in the reverse mode), which the charges reuse.
type channel struct {
	Vgs, Vds, Vbs dual // inputs

	Vbseff, Phis, sqrtPhis dual
	Vth, n, Vgs_eff, Vgst  dual
	Abulk0                 dual
	Ids, Isub              dual

	// For the noise (noise.go): the values alone. abulkNoKeta is Abulk before its body
	// bias factor 1/(1 + keta Vbseff), which the flicker noise divides by (noise.go).
	ueff, abulk, abulkNoKeta, vgsteff, vdseff, vgst2Vtm, rds float64
	qinv                                                     float64 // the inversion charge, which the charges set
}

// dc computes the channel current and the substrate current: BSIM3v3.3's threshold
// voltage (body effect, short channel, DIBL, narrow width), effective gate voltage over
// the subthreshold and strong inversion, mobility, velocity saturation, Vdseff, and the
// output resistance of channel-length modulation, DIBL and substrate current induced
// body effect, with the source-drain resistance rdsw folded into the current.
func (s *sized) dc(c *channel) {
	p := &s.p
	Vds, Vbs := c.Vds, c.Vbs
	Leff, Vtm := s.leff, s.vtm

	// Effective body bias, smoothly bounded below by vbsc.
	t0 := addc(Vbs, -s.vbsc-0.001)
	t1 := dsqrt(addc(sq(t0), -0.004*s.vbsc))
	Vbseff := addc(scale(add(t0, t1), 0.5), s.vbsc)
	if Vbseff.v < Vbs.v {
		// Rounding leaves the smooth bound a hair below Vbs for Vbs > 0 (by up to
		// 1e-3 vbsc/T0^2). ngspice 39 (b3ld.c) then takes Vbs's value but keeps the
		// smooth function's derivative 0.5 (1 + t0/t1), 1 - 3.3e-5 at Vbs = 0.1 V with
		// vbsc = -30: so do we, as the bulk capacitances and gmbs of a forward-biased
		// bulk follow it (C(g,d) of the QA deck bsim3/pmos acVd at V(d) = 0.1 V, the
		// reverse mode, is 7.4e-5 off ngspice and its reference with derivative 1).
		if ngspiceDerivatives {
			Vbseff.v = Vbs.v
		} else {
			Vbseff = Vbs
		}
	}
	var Phis, sqrtPhis dual
	if Vbseff.v > 0 {
		Phis = scale(inv(addc(Vbseff, s.phi)), s.phi*s.phi)
		sqrtPhis = scale(inv(addc(scale(Vbseff, 0.5), s.phi)), s.phis3)
	} else {
		Phis = addc(neg(Vbseff), s.phi)
		sqrtPhis = dsqrt(Phis)
	}
	Xdep := scale(sqrtPhis, s.xdep0/s.sqrtPhi)
	c.Vbseff, c.Phis, c.sqrtPhis = Vbseff, Phis, sqrtPhis

	// Threshold voltage.
	T3 := dsqrt(Xdep)
	V0 := s.vbi - s.phi
	lt := func(dvt2 float64) dual {
		t := scale(Vbseff, dvt2)
		var f dual
		if t.v >= -0.5 {
			f = addc(t, 1)
		} else {
			// Smoothed below -0.5 to avoid the discontinuity dvt2 causes.
			f = div(addc(scale(t, 3), 1), addc(scale(t, 8), 3))
		}
		return scale(mul(T3, f), s.factor1)
	}
	lt1, ltw := lt(p[bDvt2]), lt(p[bDvt2w])
	theta := func(arg dual) dual {
		if arg.v > -expThr {
			e := dexp(arg)
			return mul(e, addc(scale(e, 2), 1))
		}
		return cst(minExp * (1 + 2*minExp))
	}
	Theta0 := theta(scale(inv(lt1), -0.5*p[bDvt1]*Leff))
	DeltVth := scale(Theta0, p[bDvt0]*V0)
	DeltVthW := scale(theta(scale(inv(ltw), -0.5*p[bDvt1w]*s.weff*Leff)), p[bDvt0w]*V0)

	tr := s.tempRatio
	tempTerm := addc(scale(Vbseff, p[bKt2]*tr),
		s.k1ox*(math.Sqrt(1+p[bNlx]/Leff)-1)*s.sqrtPhi+(p[bKt1]+p[bKt1l]/Leff)*tr)
	narrow := s.tox * s.phi / (s.weff + p[bW0])
	eta := addc(scale(Vbseff, p[bEtab]), p[bEta0])
	if eta.v < 1e-4 {
		// Smoothed below 1e-4 to avoid the discontinuity etab causes.
		eta = div(addc(neg(eta), 2e-4), addc(scale(eta, -2e4), 3))
	}
	DIBLSft := scale(mul(eta, Vds), s.theta0vb0)
	Vth := addc(scale(sqrtPhis, s.k1ox), s.typ*p[bVth0]-s.k1*s.sqrtPhi)
	Vth = sub(Vth, scale(Vbseff, s.k2ox))
	Vth = sub(Vth, add(DeltVth, DeltVthW))
	Vth = add(Vth, scale(addc(scale(Vbseff, p[bK3b]), p[bK3]), narrow))
	Vth = sub(add(Vth, tempTerm), DIBLSft)
	c.Vth = Vth

	// Subthreshold swing n.
	tmp2 := scale(inv(Xdep), p[bNfactor]*epsSi)
	tmp3 := addc(add(scale(Vbseff, p[bCdscb]), scale(Vds, p[bCdscd])), p[bCdsc])
	tmp4 := scale(addc(add(tmp2, mul(tmp3, Theta0)), p[bCit]), 1/s.cox)
	var n dual
	if tmp4.v >= -0.5 {
		n = addc(tmp4, 1)
	} else {
		n = div(addc(scale(tmp4, 3), 1), addc(scale(tmp4, 8), 3))
	}
	c.n = n

	// Poly gate depletion.
	Vgs_eff := c.Vgs
	if ng := p[bNgate]; ng > 1e18 && ng < 1e25 && c.Vgs.v > s.vfb+s.phi {
		k := 1e6 * chargeQ * epsSi * ng / (s.cox * s.cox)
		t4 := dsqrt(addc(scale(addc(c.Vgs, -(s.vfb+s.phi)), 2/k), 1))
		t2 := scale(addc(t4, -1), k)
		vpoly := scale(sq(t2), 0.5/k)
		t7 := addc(neg(vpoly), 1.12-0.05)
		t6 := dsqrt(addc(sq(t7), 0.224))
		t5 := addc(scale(add(t7, t6), -0.5), 1.12)
		Vgs_eff = sub(c.Vgs, t5)
	}
	c.Vgs_eff = Vgs_eff
	Vgst := sub(Vgs_eff, Vth)
	c.Vgst = Vgst

	// Effective Vgst, one expression from subthreshold to strong inversion.
	T10 := scale(n, 2*Vtm)
	VgstNVt := div(Vgst, T10)
	ExpArg := div(addc(neg(Vgst), 2*p[bVoff]), T10)
	var Vgsteff dual
	switch {
	case VgstNVt.v > expThr:
		Vgsteff = Vgst
	case ExpArg.v > expThr:
		arg := div(addc(Vgst, -p[bVoff]), scale(n, Vtm))
		Vgsteff = scale(dexp(arg), Vtm*s.cdep0/s.cox)
	default:
		t1 := mul(T10, dlog(addc(dexp(VgstNVt), 1)))
		t2 := addc(mul(T10, scale(dexp(ExpArg), s.cox/(Vtm*s.cdep0))), 1)
		Vgsteff = div(t1, t2)
	}

	// Effective width and the source-drain resistance.
	T9 := addc(sqrtPhis, -s.sqrtPhi)
	Weff := addc(scale(add(scale(Vgsteff, p[bDwg]), scale(T9, p[bDwb])), -2), s.weff)
	if Weff.v < 2e-8 {
		Weff = scale(div(addc(neg(Weff), 4e-8), addc(scale(Weff, -2), 6e-8)), 2e-8)
	}
	rt := add(scale(Vgsteff, p[bPrwg]), scale(T9, p[bPrwb]))
	var Rds dual
	if rt.v >= -0.9 {
		Rds = scale(addc(rt, 1), s.rds0)
	} else {
		Rds = scale(div(addc(rt, 0.8), addc(scale(rt, 20), 17)), s.rds0)
	}

	// Abulk.
	a1 := scale(inv(sqrtPhis), 0.5*s.k1ox)
	T9x := dsqrt(scale(Xdep, p[bXj]))
	T5 := div(cst(Leff), addc(scale(T9x, 2), Leff))
	tmp2a := scale(T5, p[bA0])
	T2 := addc(tmp2a, p[bB0]/(s.weff+p[bB1]))
	Abulk0 := addc(mul(a1, T2), 1)
	T7 := mul(T5, sq(T5))
	Abulk := sub(Abulk0, mul(mul(a1, scale(T7, p[bAgs]*p[bA0])), Vgsteff))
	clampA := func(a dual) dual {
		if a.v < 0.1 {
			return div(addc(neg(a), 0.2), addc(scale(a, -20), 3))
		}
		return a
	}
	Abulk0, Abulk = clampA(Abulk0), clampA(Abulk)
	c.abulkNoKeta = Abulk.v
	kt := scale(Vbseff, p[bKeta])
	var kf dual
	if kt.v >= -0.9 {
		kf = inv(addc(kt, 1))
	} else {
		kf = div(addc(scale(kt, 20), 17), addc(kt, 0.8))
	}
	Abulk, Abulk0 = mul(Abulk, kf), mul(Abulk0, kf)
	c.Abulk0 = Abulk0

	// Mobility.
	var T5m dual
	switch s.mobmod {
	case 1:
		t3 := scale(add(Vgsteff, scale(Vth, 2)), 1/s.tox)
		t2 := addc(scale(Vbseff, p[bUc]), p[bUa])
		T5m = mul(t3, add(t2, scale(t3, p[bUb])))
	case 2:
		vg := scale(Vgsteff, 1/s.tox)
		T5m = mul(vg, addc(add(scale(Vbseff, p[bUc]), scale(vg, p[bUb])), p[bUa]))
	default:
		t3 := scale(add(Vgsteff, scale(Vth, 2)), 1/s.tox)
		t4 := mul(t3, addc(scale(t3, p[bUb]), p[bUa]))
		T5m = mul(t4, addc(scale(Vbseff, p[bUc]), 1))
	}
	var Denomi dual
	if T5m.v >= -0.8 {
		Denomi = addc(T5m, 1)
	} else {
		Denomi = div(addc(T5m, 0.6), addc(scale(T5m, 10), 7))
	}
	ueff := scale(inv(Denomi), s.u0temp)

	// Saturation voltage.
	WVCox := scale(Weff, s.vsattemp*s.cox)
	WVCoxRds := mul(WVCox, Rds)
	EsatL := scale(inv(ueff), 2*s.vsattemp*Leff)
	var Lambda dual
	switch a1p := p[bA1]; {
	case a1p == 0:
		Lambda = cst(p[bA2])
	case a1p > 0:
		t0 := 1 - p[bA2]
		t1 := addc(scale(Vgsteff, -a1p), t0-0.0001)
		t2 := dsqrt(addc(sq(t1), 0.0004*t0))
		Lambda = addc(scale(add(t1, t2), -0.5), p[bA2]+t0)
	default:
		t1 := addc(scale(Vgsteff, a1p), p[bA2]-0.0001)
		t2 := dsqrt(addc(sq(t1), 0.0004*p[bA2]))
		Lambda = scale(add(t1, t2), 0.5)
	}
	Vgst2Vtm := addc(Vgsteff, 2*Vtm)
	var Vdsat dual
	if Rds.v == 0 && Lambda.v == 1 {
		Vdsat = div(mul(EsatL, Vgst2Vtm), add(mul(Abulk, EsatL), Vgst2Vtm))
	} else {
		invLambda := inv(Lambda)
		t9 := mul(Abulk, WVCoxRds)
		t0 := scale(mul(Abulk, add(addc(t9, -1), invLambda)), 2)
		t1 := add(add(mul(Vgst2Vtm, addc(scale(invLambda, 2), -1)), mul(Abulk, EsatL)), scale(mul(Vgst2Vtm, t9), 3))
		t2 := mul(Vgst2Vtm, add(EsatL, scale(mul(Vgst2Vtm, WVCoxRds), 2)))
		t3 := dsqrt(sub(sq(t1), scale(mul(t0, t2), 2)))
		Vdsat = div(sub(t1, t3), t0)
	}

	// Effective Vds.
	d := p[bDelta]
	t1d := sub(addc(Vdsat, -d), Vds)
	t2d := dsqrt(add(sq(t1d), scale(Vdsat, 4*d)))
	Vdseff := sub(Vdsat, scale(add(t1d, t2d), 0.5))
	if Vds.v == 0 {
		// ngspice sets Vdseff to zero at Vds = 0, keeping its derivative by vds.
		Vdseff = dual{v: 0, dd: Vdseff.dd}
	}

	// Vasat.
	tmp4a := addc(scale(div(mul(Abulk, Vdsat), Vgst2Vtm), -0.5), 1)
	t9v := mul(WVCoxRds, Vgsteff)
	t0v := add(add(EsatL, Vdsat), scale(mul(t9v, tmp4a), 2))
	t1v := add(addc(scale(inv(Lambda), 2), -1), mul(WVCoxRds, Abulk))
	Vasat := div(t0v, t1v)

	if Vdseff.v > Vds.v {
		Vdseff = Vds
	}
	diffVds := sub(Vds, Vdseff)
	c.ueff, c.abulk, c.vgsteff, c.vdseff, c.vgst2Vtm, c.rds = ueff.v, Abulk.v, Vgsteff.v, Vdseff.v, Vgst2Vtm.v, Rds.v

	// Channel-length modulation.
	var VACLM dual
	if p[bPclm] > 0 && diffVds.v > 1e-10 {
		t0 := scale(inv(Abulk), 1/(p[bPclm]*s.litl))
		t1 := scale(add(Abulk, div(Vgsteff, EsatL)), Leff)
		VACLM = mul(mul(t0, t1), diffVds)
	} else {
		VACLM = cst(maxExp)
	}
	// Drain-induced barrier lowering.
	var VADIBL dual
	if s.thetaRout > 0 {
		t8 := mul(Abulk, Vdsat)
		t0 := mul(Vgst2Vtm, t8)
		t1 := add(Vgst2Vtm, t8)
		VADIBL = scale(sub(Vgst2Vtm, div(t0, t1)), 1/s.thetaRout)
		t7 := scale(Vbseff, p[bPdiblcb])
		if t7.v >= -0.9 {
			VADIBL = div(VADIBL, addc(t7, 1))
		} else {
			VADIBL = mul(VADIBL, div(addc(scale(t7, 20), 17), addc(t7, 0.8)))
		}
	} else {
		VADIBL = cst(maxExp)
	}
	// Va.
	t9a := mul(scale(inv(EsatL), p[bPvag]), Vgsteff)
	var t0a dual
	if t9a.v > -0.9 {
		t0a = addc(t9a, 1)
	} else {
		t0a = div(addc(t9a, 0.8), addc(scale(t9a, 20), 17))
	}
	Va := add(Vasat, mul(t0a, div(mul(VACLM, VADIBL), add(VACLM, VADIBL))))
	// Substrate current induced body effect.
	var VASCBE dual
	if p[bPscbe2] > 0 {
		if diffVds.v > p[bPscbe1]*s.litl/expThr {
			VASCBE = scale(dexp(scale(inv(diffVds), p[bPscbe1]*s.litl)), Leff/p[bPscbe2])
		} else {
			VASCBE = cst(maxExp * Leff / p[bPscbe2])
		}
	} else {
		VASCBE = cst(maxExp)
	}

	// The current.
	beta := scale(mul(ueff, Weff), s.cox/Leff)
	fgche1 := mul(Vgsteff, addc(scale(div(mul(Abulk, Vdseff), Vgst2Vtm), -0.5), 1))
	fgche2 := addc(div(Vdseff, EsatL), 1)
	gche := div(mul(beta, fgche1), fgche2)
	Idl := div(mul(gche, Vdseff), addc(mul(gche, Rds), 1))
	Idsa := mul(Idl, addc(div(diffVds, Va), 1))
	c.Ids = mul(Idsa, addc(div(diffVds, VASCBE), 1))

	// Substrate current.
	c.Isub = dual{}
	if a := p[bAlpha0] + p[bAlpha1]*Leff; a > 0 && p[bBeta0] > 0 {
		t2 := a / Leff
		var t1 dual
		if diffVds.v > p[bBeta0]/expThr {
			t1 = scale(mul(diffVds, dexp(scale(inv(diffVds), -p[bBeta0]))), t2)
		} else {
			t1 = scale(diffVds, t2*minExp)
		}
		c.Isub = mul(t1, Idsa)
	}
}
