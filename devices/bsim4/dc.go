package bsim4

import "math"

// dcOut are the intrinsic device's currents at one bias, each with its derivatives by the
// global vgs, vds, vbs (n-channel frame): the channel current from the local drain to
// the local source, and the currents from the terminals to the bulk and from the gate.
type dcOut struct {
	mode            float64 // +1, or -1 with drain and source swapped (vds < 0)
	von, vdsat      float64
	ids, isub       dl // local drain to local source; local drain to bulk
	igidl, igisl    dl // drain to bulk, source to bulk (global)
	igcs, igcd      dl // gate to local source, gate to local drain
	igs, igd, igb   dl // gate to source, drain, bulk (global)
	vgsteff, vdseff dl
	abulk0, vth     dl
	// for the charges
	vbseff, phis, sqrtPhis, vgsEff dl
	coxeff                         dl
	// the smoothed flat-band voltage of the gate current and the charges (capmod 1, 2),
	// when the gate current made it
	vfbeff    dl
	vfbeffSet bool
	// for the noise: mobility, bulk-charge factor, saturation field times leff, the
	// channel's share of rds (rdsmod 0), n* (the subthreshold charge density per q), and
	// the bulk-charge factor before keta's 1/(1 + keta Vbseff), the flicker noise's
	ueff, abulk, esatL, rds, vgst2Vtm dl
	nstar, abulkNoKeta                float64
	gcrg                              dl // rgatemod 2, 3
	gstot, gdtot                      dl // rdsmod 1: source and drain conductances
	n, vdsLocal, vgst, vbsLocal       dl
}

// polyDepletion is BSIM4's effective gate voltage with gate depletion, a function of the
// gate voltage vgs alone (with its derivative by vgs).
func (p *sizeParams) polyDepletion(vgs d1) d1 {
	phi := p.vfb + p.phi
	if p.ngate > 1e18 && p.ngate < 1e25 && vgs.v > phi {
		t8 := vgs.addc(-phi)
		t4 := t8.scale(p.polyTwoOverT1).addc(1).sqrt()
		t2 := t8.scale(2).div(t4.addc(1))
		t3 := t2.mul(t2).scale(p.polyHalfOverT1)
		t7 := t3.neg().addc(1.12 - 0.05)
		t6 := t7.mul(t7).addc(0.224).sqrt()
		t5 := t7.add(t6).scale(-0.5).addc(1.12)
		return vgs.sub(t5)
	}
	return vgs
}

// floorHalf is BSIM4's lower bound of 1 + x: x >= -0.5 keeps 1 + x, below it
// (1 + 3x)/(3 + 8x).
func floorHalf(x dl) dl {
	if x.v >= -0.5 {
		return x.addc(1)
	}
	return x.scale(3).addc(1).div(x.scale(8).addc(3))
}

// bodyTerms are the terms of the DC equations that depend on the local vbs alone, with
// their derivative by it.
type bodyTerms struct {
	vbseff, phis, sqrtPhis, xdep d1
	theta0                       d1 // the short-channel factor of Vth and of n's cdsc term
	etaDibl                      d1 // DIBL's coefficient eta0 + etab vbseff, bounded below
	vth0                         d1 // Vth without its DIBL shift
}

// bodyBias computes the terms of the body bias alone at the local vbs.
func (p *sizeParams) bodyBias(mc *modelConsts, vbs float64) (b bodyTerms) {
	// Vbseff: vbsc clamps the body bias from below, 0.95 phi from above.
	t0 := d1{vbs, 1}.addc(-p.vbsc - 0.001)
	t1 := t0.mul(t0).addc(-0.004 * p.vbsc).sqrt()
	var vbseff d1
	if t0.v >= 0 {
		vbseff = t0.add(t1).scale(0.5).addc(p.vbsc)
	} else {
		t2 := t1.sub(t0).inv().scale(-0.002)
		vbseff = t2.addc(1).scale(p.vbsc)
	}
	t9 := 0.95 * p.phi
	t0 = vbseff.neg().addc(t9 - 0.001)
	t1 = t0.mul(t0).addc(0.004 * t9).sqrt()
	vbseff = t0.add(t1).scale(-0.5).addc(t9)
	b.vbseff = vbseff
	b.phis = vbseff.neg().addc(p.phi)
	b.sqrtPhis = b.phis.sqrt()
	b.xdep = b.sqrtPhis.scale(p.xdepRatio)

	// Threshold voltage: the short-channel and narrow-width terms.
	t3 := b.xdep.sqrt()
	v0 := p.vbi - p.phi
	ltFactor := func(dvt2 float64) d1 {
		t0 := vbseff.scale(dvt2)
		var t1 d1
		if t0.v >= -0.5 {
			t1 = t0.addc(1)
		} else {
			t1 = t0.scale(3).addc(1).div(t0.scale(8).addc(3))
		}
		return t3.mul(t1).scale(mc.factor1)
	}
	b.theta0 = scTheta(ltFactor(p.dvt2).inv().scale(p.dvt1 * p.leff))
	deltVth := b.theta0.scale(p.dvt0 * v0)
	// The narrow-width term; without dvt0w (most cards) it is 0 and its exponential is
	// skipped.
	var t2w d1
	if k := p.dvt0w * v0; k != 0 {
		ltw := ltFactor(p.dvt2w)
		t2w = scTheta(ltw.inv().scale(p.dvt1w * p.weff * p.leff)).scale(k)
	}
	t1 = vbseff.scale(p.kt2).addc(p.kt1Eff).scale(p.tempRatio).addc(p.vthLpe0)
	t3e := vbseff.scale(p.etab).addc(p.eta0)
	if t3e.v < 1e-4 {
		t9 := t3e.scale(-2e4).addc(3).inv()
		t3e = t3e.neg().addc(2e-4).mul(t9)
	}
	b.etaDibl = t3e
	b.vth0 = b.sqrtPhis.scale(p.k1ox).addc(-p.k1 * p.sqrtPhi).scale(p.lpebFactor).
		addc(mc.typ * p.vth0).
		sub(vbseff.scale(p.k2ox)).sub(deltVth).sub(t2w).
		add(vbseff.scale(p.k3b).addc(p.k3).scale(p.vthNarrowW)).
		add(t1)
	return b
}

// scTheta is the short-channel effect's factor of the ratio x = dvt1 leff / lt:
// exp(x) / (exp(x) - 1)^2, bounded.
func scTheta(x d1) d1 {
	if x.v < expThreshold {
		e := x.exp()
		t2 := e.addc(-1)
		return e.div(t2.mul(t2).add(e.scale(2 * minExp)))
	}
	return d1{v: 1 / (maxExp - 2)}
}

// dc evaluates the intrinsic device's DC currents at the global n-frame voltages.
func (d *Device) dc(vgs, vds, vbs float64, o *dcOut) {
	p, mc := d.p, &d.mc
	gvgs, gvds, gvbs := dl{vgs, 1, 0, 0}, dl{vds, 0, 1, 0}, dl{vbs, 0, 0, 1}
	gvgd, gvbd := gvgs.sub(gvds), gvbs.sub(gvds)
	Vgs, Vds, Vbs := gvgs, gvds, gvbs
	o.mode = 1
	if vds < 0 {
		o.mode = -1
		Vgs, Vds, Vbs = gvgd, gvds.neg(), gvbd
	}
	toxe := mc.toxe
	vtm, vtm0 := mc.vtm, mc.vtm0

	// The terms of the body bias alone carry one derivative, by the local vbs (d1); they
	// are lifted along Vbs where they meet vgs and vds.
	bb := p.bodyBias(mc, Vbs.v)
	vbseff, sqrtPhis, xdep, theta0 := bb.vbseff, bb.sqrtPhis, bb.xdep, bb.theta0
	vbseffL, theta0L := vbseff.along(Vbs), theta0.along(Vbs)
	leff := p.leff

	// Threshold voltage.
	diblSft := bb.etaDibl.along(Vbs).mul(Vds).scale(p.theta0vb0)
	lpeVb := p.lpebFactor
	vthNarrowW := p.vthNarrowW
	vth := bb.vth0.along(Vbs).sub(diblSft)

	// Subthreshold swing factor n.
	tmp1 := xdep.inv().scale(mc.mat.epssub)
	o.nstar = vtm / chargeQ * (mc.coxe + tmp1.v + p.cit)
	tmp2 := tmp1.scale(p.nfactor)
	var tmp4 dl
	if p.cdscb == 0 && p.cdscd == 0 {
		// Without cdscb and cdscd (most cards) n depends on the body bias alone.
		tmp4 = tmp2.add(theta0.scale(p.cdsc)).addc(p.cit).scale(p.invCoxe).along(Vbs)
	} else {
		tmp3 := vbseffL.scale(p.cdscb).add(Vds.scale(p.cdscd)).addc(p.cdsc)
		tmp4 = tmp2.along(Vbs).add(tmp3.mul(theta0L)).addc(p.cit).scale(p.invCoxe)
	}
	n := floorHalf(tmp4)
	var t0, t1 dl

	// Pocket implant: its factor depends on the local vds alone (d1).
	if p.dvtp0 > 0 {
		t0 := d1{Vds.v, 1}.scale(-p.dvtp1)
		var t2 d1
		if t0.v < -expThreshold {
			t2 = d1{v: minExp}
		} else {
			t2 = t0.exp()
		}
		t3 := t2.addc(1).scale(p.dvtp0).addc(leff)
		vt := vtm
		if mc.tempmod >= 2 {
			vt = vtm0
		}
		t4 := t3.inv().scale(leff).log().scale(vt)
		vth = vth.sub(n.mul(t4.along(Vds)))
	}
	if p.dvtp4 != 0 && p.dvtp2factor != 0 {
		t0 := d1{Vds.v, 1}.scale(2 * p.dvtp4).expLim()
		vth = vth.sub(t0.addc(-1).div(t0.addc(1)).scale(p.dvtp2factor).along(Vds))
	}
	o.von = vth.v
	o.vth = vth

	// Gate depletion: the effective gate voltage, from vgs and vgd as the mode has it.
	vgsEff := p.polyDepletion(d1{Vgs.v, 1}).along(Vgs)
	vgst := vgsEff.sub(vth)

	// Vgsteff.
	nvt := n.scale(vtm)
	t1 = vgst.scale(p.mstar)
	t2 := t1.div(nvt)
	var t10 dl
	switch {
	case t2.v > expThreshold:
		t10 = t1
	case t2.v < -expThreshold:
		t10 = n.scale(vtm * logOnePlusMinExp)
	default:
		t10 = n.mul(d1{t2.v, 1}.exp().addc(1).log().along(t2)).scale(vtm)
	}
	t1 = vgst.scale(-(1 - p.mstar)).addc(p.voffcbn)
	t2 = t1.div(nvt)
	var t9d dl
	switch {
	case t2.v < -expThreshold:
		t9d = n.scale(mc.coxe * minExp / p.cdep0).addc(p.mstar)
	case t2.v > expThreshold:
		t9d = n.scale(mc.coxe * maxExp / p.cdep0).addc(p.mstar)
	default:
		t9d = n.mul(dexp(t2)).scale(p.coxeOverCdep0).addc(p.mstar)
	}
	vgsteff := t10.div(t9d)
	o.vgsteff = vgsteff

	// Effective width.
	// Without dwg and dwb (most cards) it is the size's.
	t9s := sqrtPhis.addc(-p.sqrtPhi)
	weff := cst(p.weff)
	if p.dwg != 0 || p.dwb != 0 {
		weff = vgsteff.scale(p.dwg).add(t9s.scale(p.dwb).along(Vbs)).scale(-2).addc(p.weff)
	}
	if weff.v < 2e-8 {
		t0 := weff.scale(-2).addc(6e-8).inv()
		weff = weff.neg().addc(4e-8).mul(t0).scale(2e-8)
	}

	// Source/drain resistance in the channel (rdsmod 0); without prwg and prwb (most
	// cards) a constant of the size, computed as the general case would.
	var rds dl
	if p.prwg == 0 && p.prwb == 0 {
		t2 := 1.0
		rds = cst((t2+math.Sqrt(t2*t2+0.01))*(p.rds0*0.5) + p.rdswmin)
	} else {
		t0 = vgsteff.scale(p.prwg).addc(1)
		t2 = t0.inv().add(t9s.scale(p.prwb).along(Vbs))
		t2x := d1{t2.v, 1}
		rds = t2x.add(t2x.mul(t2x).addc(0.01).sqrt()).scale(p.rds0 * 0.5).addc(p.rdswmin).along(t2)
	}

	// Abulk: its terms of the body bias alone in one derivative (d1).
	t9a := sqrtPhis.inv().scale(0.5 * p.k1ox * lpeVb)
	t1b := t9a.addc(p.k2ox - p.k3b*vthNarrowW)
	t9x := xdep.scale(p.xj).sqrt()
	t5 := t9x.scale(2).addc(leff).inv().scale(leff)
	t2b := t5.scale(p.a0).addc(p.abulkB0)
	abulk0 := t1b.mul(t2b).addc(1)
	abulk := abulk0.along(Vbs)
	if k := p.ags * p.a0; k != 0 { // ags's term; without it (most cards), zero
		t8 := t5.mul(t5.mul(t5)).scale(k)
		abulk = abulk.sub(t1b.mul(t8).along(Vbs).mul(vgsteff))
	}
	if abulk0.v < 0.1 {
		t9 := abulk0.scale(-20).addc(3).inv()
		abulk0 = abulk0.neg().addc(0.2).mul(t9)
	}
	if abulk.v < 0.1 {
		t9 := abulk.scale(-20).addc(3).inv()
		abulk = abulk.neg().addc(0.2).mul(t9)
	}
	o.abulkNoKeta = abulk.v
	ketaB := vbseff.scale(p.keta)
	var ketaF d1
	if ketaB.v >= -0.9 {
		ketaF = ketaB.addc(1).inv()
	} else {
		ketaF = ketaB.scale(20).addc(17).div(ketaB.addc(0.8))
	}
	abulk = abulk.mul(ketaF.along(Vbs))
	o.abulk0 = abulk0.mul(ketaF).along(Vbs)

	// Mobility.
	var denomi dl
	switch mc.mobmod {
	case 0, 1:
		t0 := vgsteff.add(vth).add(vth)
		if mc.mat.mobShift != 0 {
			t0 = t0.addc(-mc.mat.mobShift)
		}
		t3 := t0.scale(1 / toxe)
		t6 := d.coulomb(vth, vgsteff, t3)
		if mc.mobmod == 0 {
			t2 := vbseff.scale(p.uc).addc(p.ua).along(Vbs)
			denomi = t3.mul(t2.add(t3.scale(p.ub))).add(t6)
		} else {
			t2 := vbseff.scale(p.uc).addc(1).along(Vbs)
			t4 := t3.mul(t3.scale(p.ub).addc(p.ua))
			denomi = t4.mul(t2).add(t6)
		}
	case 2:
		t0 := vgsteff.addc(p.vtfbphi1).scale(1 / toxe)
		t1 := d1{t0.v, 1}.pow(p.eu).along(t0)
		t2 := vbseff.scale(p.uc).addc(p.ua).along(Vbs)
		t6 := d.coulomb(vth, vgsteff, t0.scale(1/toxe))
		denomi = t1.mul(t2).add(t6)
	}
	if denomi.v >= -0.8 {
		denomi = denomi.addc(1)
	} else {
		denomi = denomi.addc(0.6).div(denomi.scale(10).addc(7))
	}
	ueff := denomi.inv().scale(p.u0temp)

	// Saturation voltage.
	wvcox := weff.scale(p.vsattemp * mc.coxe)
	wvcoxRds := wvcox.mul(rds)
	esat := ueff.inv().scale(2 * p.vsattemp)
	esatL := esat.scale(leff)
	var lambda dl
	switch a1 := p.a1; {
	case a1 == 0:
		lambda = cst(p.a2)
	case a1 > 0:
		t0 := 1 - p.a2
		t1 := vgsteff.scale(-a1).addc(t0 - 0.0001)
		t2 := dsqrt(t1.mul(t1).addc(0.0004 * t0))
		lambda = t1.add(t2).scale(-0.5).addc(p.a2 + t0)
	default:
		t1 := vgsteff.scale(a1).addc(p.a2 - 0.0001)
		t2 := dsqrt(t1.mul(t1).addc(0.0004 * p.a2))
		lambda = t1.add(t2).scale(0.5)
	}
	vgst2Vtm := vgsteff.addc(2 * vtm)
	o.ueff, o.abulk, o.esatL, o.rds, o.vgst2Vtm = ueff, abulk, esatL, rds, vgst2Vtm
	var vdsat dl
	if rds.v == 0 && lambda.v == 1 {
		vdsat = esatL.mul(vgst2Vtm).div(abulk.mul(esatL).add(vgst2Vtm))
	} else {
		t9 := abulk.mul(wvcoxRds)
		invL := lambda.inv()
		t0 := abulk.scale(2).mul(t9.addc(-1).add(invL))
		t1 := vgst2Vtm.mul(invL.scale(2).addc(-1)).add(abulk.mul(esatL)).add(vgst2Vtm.mul(t9).scale(3))
		t2 := vgst2Vtm.mul(esatL.add(vgst2Vtm.mul(wvcoxRds).scale(2)))
		t3 := dsqrt(t1.mul(t1).sub(t0.mul(t2).scale(2)))
		vdsat = t1.sub(t3).div(t0)
	}
	o.vdsat = vdsat.v

	// Vdseff.
	t1 = vdsat.sub(Vds).addc(-p.delta)
	t2 = dsqrt(t1.mul(t1).add(vdsat.scale(4 * p.delta)))
	var vdseff dl
	if t1.v >= 0 {
		vdseff = vdsat.sub(t1.add(t2).scale(0.5))
	} else {
		t4 := t2.sub(t1).inv().scale(2 * p.delta)
		vdseff = vdsat.mul(t4.neg().addc(1))
	}
	if Vds.v == 0 {
		vdseff = dl{d: vdseff.d}
	}
	if vdseff.v > Vds.v {
		vdseff = Vds
	}
	diffVds := Vds.sub(vdseff)
	o.vdseff = vdseff

	// Velocity overshoot.
	if d.lambdaGiven && p.lambda > 0 {
		t1 := ueff.scale(leff)
		t2 := t1.inv().scale(p.lambda)
		t5 := esat.inv().scale(1 / p.litl)
		t6 := diffVds.mul(t5).addc(1)
		t7 := t6.mul(t6).addc(1).inv().scale(2)
		t8 := t7.neg().addc(1)
		t10 := t2.mul(t8).addc(1)
		esatL = esatL.mul(t10)
		esat = esatL.scale(p.invLeff)
	}

	// Vasat.
	tmp4 = abulk.mul(vdsat).div(vgst2Vtm).scale(-0.5).addc(1)
	t9v := wvcoxRds.mul(vgsteff)
	t0 = esatL.add(vdsat).add(t9v.mul(tmp4).scale(2))
	t9v = wvcoxRds.mul(abulk)
	t1 = lambda.inv().scale(2).addc(-1).add(t9v)
	vasat := t0.div(t1)

	// Linear current with the quantum-mechanical oxide capacitance, a function of Vgsteff
	// alone.
	tcen := d1{vgsteff.v, 1}.addc(p.vtfbphi2).scale(p.invToxp2e8).pow(d.bdos * 0.7).
		addc(1).inv().scale(d.ados * 1.9e-9)
	coxeff := tcen.scale(p.coxp).addc(mc.mat.epssub).inv().scale(mc.mat.epssub * p.coxp).along(vgsteff)
	o.coxeff = coxeff
	coxeffWovL := coxeff.mul(weff).scale(p.invLeff)
	beta := ueff.mul(coxeffWovL)
	t0 = vdseff.mul(abulk).div(vgst2Vtm).scale(-0.5).addc(1)
	fgche1 := vgsteff.mul(t0)
	fgche2 := vdseff.div(esatL).addc(1)
	gche := beta.mul(fgche1).div(fgche2)
	idl := gche.div(gche.mul(rds).addc(1))

	// Pocket-implant degradation of the output resistance.
	fp := cst(1)
	if p.fprout > 0 {
		fp = d1{vgst2Vtm.v, 1}.inv().scale(p.fproutL).addc(1).inv().along(vgst2Vtm)
	}
	// VACLM.
	t9v = esatL.inv().scale(p.pvag).mul(vgsteff)
	var pvagTerm dl
	if t9v.v > -0.9 {
		pvagTerm = t9v.addc(1)
	} else {
		pvagTerm = t9v.addc(0.8).div(t9v.scale(20).addc(17))
	}
	var cclm, vaclm dl
	if p.pclm > minExp && diffVds.v > 1e-10 {
		t0 := rds.mul(idl).addc(1)
		t1 := vdsat.div(esat).addc(leff)
		cclm = fp.mul(pvagTerm).mul(t0).mul(t1).scale(p.invPclmLitl)
		vaclm = cclm.mul(diffVds)
	} else {
		cclm, vaclm = cst(maxExp), cst(maxExp)
	}
	// VADIBL.
	var vadibl dl
	if p.thetaRout > minExp {
		t8 := abulk.mul(vdsat)
		t0 := vgst2Vtm.mul(t8)
		t1 := vgst2Vtm.add(t8)
		vadibl = vgst2Vtm.sub(t0.div(t1)).scale(p.invThetaRout)
		t7 := vbseff.scale(p.pdiblb)
		if t7.v >= -0.9 {
			vadibl = vadibl.div(t7.addc(1).along(Vbs))
		} else {
			vadibl = vadibl.mul(t7.scale(20).addc(17).div(t7.addc(0.8)).along(Vbs))
		}
		vadibl = vadibl.mul(pvagTerm)
	} else {
		vadibl = cst(maxExp)
	}
	va := vasat.add(vaclm)
	// VADITS.
	var vadits dl
	if p.pdits > minExp {
		t0 := d1{Vds.v, 1}.scale(p.pditsd)
		var t1e d1
		if t0.v > expThreshold {
			t1e = d1{v: maxExp}
		} else {
			t1e = t0.exp()
		}
		vadits = t1e.scale(p.ditsL).addc(1).scale(p.invPdits).along(Vds).mul(fp)
	} else {
		vadits = cst(maxExp)
	}
	// VASCBE.
	var vascbe dl
	if p.pscbe2 > 0 && p.pscbe1 >= 0 {
		if diffVds.v > p.pscbeVds {
			t0 := d1{diffVds.v, 1}.inv().scale(p.pscbe1 * p.litl)
			vascbe = t0.exp().scale(p.leffOverPscbe2).along(diffVds)
		} else {
			vascbe = cst(maxExp * leff / p.pscbe2)
		}
	} else {
		vascbe = cst(maxExp)
	}

	idsa := idl.mul(diffVds.div(vadibl).addc(1))
	// DITS: ngspice leaves out dVADITS/dVb; so do we (VADITS holds no Vb dependence).
	idsa = idsa.mul(diffVds.div(vadits).addc(1))
	t0 = dlog(va.div(vasat))
	idsa = idsa.mul(t0.div(cclm).addc(1))

	// Substrate current.
	if p.alphaL > 0 && p.beta0 > 0 {
		t2 := p.isubT2
		var t1 dl
		if diffVds.v > p.beta0/expThreshold {
			dv := d1{diffVds.v, 1}
			t1 = dv.mul(dv.inv().scale(-p.beta0).exp()).scale(t2).along(diffVds)
		} else {
			t1 = diffVds.scale(t2 * minExp)
		}
		o.isub = t1.mul(idsa).mul(vdseff)
	} else {
		o.isub = dl{}
	}
	ids := idsa.mul(diffVds.div(vascbe).addc(1))
	cdrain := ids.mul(vdseff)
	if d.vtlGiven && p.vtl > 0 {
		vs := cdrain.div(vgsteff).scale(p.invLeff).div(coxeffWovL)
		t1 := vs.scale(1 / (p.vtl * p.tfactor))
		if t1.v > 0 {
			fsevl := d1{t1.v, 1}.pow(6).addc(1).pow(-1.0 / 6).along(t1)
			cdrain = cdrain.mul(fsevl)
		}
	}
	o.ids = cdrain.scale(d.nf)
	o.gcrg = dl{}
	if d.rgatemod > 1 || d.trnqs || d.acnqs {
		// The channel's share of the gate resistance (xrcrg1, xrcrg2), in series with
		// the electrode's for rgatemod 2. The NQS models' relaxation rate 1/tau is it
		// over coxWL.
		g := beta.scale(p.xrcrg2 * vtm).add(ids).scale(p.xrcrg1 * d.nf)
		if d.rgatemod == 2 {
			g = g.scale(d.grgeltd).div(g.addc(d.grgeltd))
		}
		o.gcrg = g
	}
	o.isub = o.isub.scale(d.nf)

	// rdsmod 1: the bias-dependent source and drain resistances, in the global frame.
	if mc.rdsmod != 0 {
		o.gstot = p.seriesR(gvgs, gvbs, p.rs0, p.rswmin, d.gsr)
		o.gdtot = p.seriesR(gvgd, gvbd, p.rd0, p.rdwmin, d.gdr)
	}

	// GIDL and GISL, in the global frame.
	// The mode's effective gate voltage is one of them: Vgs is gvgs or gvgd.
	vgsEffG, vgdEffG := vgsEff, vgsEff
	if o.mode > 0 {
		vgdEffG = p.polyDepletion(d1{gvgd.v, 1}).along(gvgd)
	} else {
		vgsEffG = p.polyDepletion(d1{gvgs.v, 1}).along(gvgs)
	}
	o.igidl = p.gidl(mc, d, gvds, vgsEffG, gvbd, p.agidl, p.bgidl, p.cgidl, p.egidl, p.rgidl, p.kgidl, p.fgidl).scale(d.nf)
	o.igisl = p.gidl(mc, d, gvds.neg(), vgdEffG, gvbs, p.agisl, p.bgisl, p.cgisl, p.egisl, p.rgisl, p.kgisl, p.fgisl).scale(d.nf)

	o.vbseff, o.phis, o.sqrtPhis, o.vgsEff = vbseffL, bb.phis.along(Vbs), sqrtPhis.along(Vbs), vgsEff
	o.n, o.vdsLocal, o.vgst, o.vbsLocal = n, Vds, vgst, Vbs
	d.gate(o, Vgs, gvgs, gvgd, vgsEff, vbseffL, vgsteff, vdseff, vth)
}

// coulomb is the mobility's Coulomb scattering term ud (Vth toxe / (Vgsteff + 2 Vth))^2
// (t3 is (Vgsteff + 2 Vth)/toxe before 4.6): from 4.6 on with 2 sqrt(Vth^2 + 1e-4) below,
// so that Vth = 0 does not divide by zero (ngspice 39's 4.6 gives 4.7's gm to ten digits
// with ud=1e14, 4.5 not). Without ud (the default) it is 0, and is not computed: adding
// it would add zeros.
func (d *Device) coulomb(vth, vgsteff, t3 dl) dl {
	ud := d.p.ud
	switch {
	case ud == 0:
		return dl{}
	case d.version < 46:
		return vth.mul(vth).div(t3.mul(t3)).scale(ud)
	}
	t12 := d1{vth.v, 1}
	t12 = t12.mul(t12).addc(0.0001).sqrt()
	t10 := vgsteff.add(t12.scale(2).along(vth)).inv().scale(d.mc.toxe)
	return t10.mul(t10).mul(vth).mul(vth).scale(ud)
}

// gidl is the gate-induced drain (or, mirrored, source) leakage to the bulk: vds, the
// effective gate voltage and vbd of the side.
func (p *sizeParams) gidl(mc *modelConsts, d *Device, vds, vgsEff, vbd dl, a, b, c, e, r, k, f float64) dl {
	if mc.gidlmod == 0 {
		t1 := vds.sub(vgsEff).addc(-e).scale(p.invGidlT0)
		if a <= 0 || b <= 0 || t1.v <= 0 || c <= 0 || vbd.v > 0 {
			return dl{}
		}
		t2 := t1.inv().scale(b)
		var ig dl
		if t2.v < 100 {
			ig = t1.mul(dexp(t2.neg())).scale(a * p.weffCJ)
		} else {
			ig = t1.scale(a * p.weffCJ * 3.720075976e-44)
		}
		t5 := vbd.mul(vbd).mul(vbd).neg()
		return ig.mul(t5.div(t5.addc(c)))
	}
	t1 := vds.sub(vgsEff.scale(r)).addc(-e).scale(p.invGidlT0)
	if a <= 0 || b <= 0 || t1.v <= 0 || c < 0 {
		return dl{}
	}
	t2 := t1.inv().scale(b)
	var ig dl
	if t2.v < 100 {
		ig = t1.mul(dexp(t2.neg())).scale(a * p.weffCJ)
	} else {
		ig = t1.scale(a * p.weffCJ * 3.720075976e-44)
	}
	t4 := vbd.addc(-f)
	if t4.v == 0 {
		return ig.scale(2.688117142e+43)
	}
	t5 := t4.inv().scale(k)
	if t5.v < 100 {
		return ig.mul(dexp(t5))
	}
	return ig.scale(2.688117142e+43)
}

// seriesR is the conductance of rdsmod 1's source (or drain) resistance at the gate and
// bulk voltages of its side, in series with the diffusion's conductance gdiff.
func (p *sizeParams) seriesR(vg, vb dl, r0, rmin, gdiff float64) dl {
	t0 := vg.addc(-p.vfbsd)
	veff := t0.add(dsqrt(t0.mul(t0).addc(1e-4))).scale(0.5)
	t0 = veff.scale(p.prwg).addc(1)
	t1 := vb.scale(-p.prwb)
	t2 := t0.inv().add(t1)
	t3 := t2.add(dsqrt(t2.mul(t2).addc(0.01)))
	r := t3.scale(0.5 * r0).addc(rmin)
	return r.scale(gdiff).addc(1).inv().scale(gdiff)
}
