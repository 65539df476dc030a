package bsim4

// BSIM4's smoothing constants of the C-V model.
const (
	delta1 = 0.02
	delta3 = 0.02
	delta4 = 0.02
)

// charges computes the intrinsic charges (capmod 0, 1, 2, partitioned by xpart) and the
// overlap charges of the four intrinsic nodes, with their derivatives: q holds both (the
// overlaps on qov instead with rgatemod 3), qint the intrinsic ones alone (written for
// the NQS models alone).
func (d *Device) charges(v bias, o *dcOut, q, qov, qint *nodeSums) {
	p, mc := d.p, &d.mc
	var qg, qb, qdl dl // gate, bulk and local-drain charges
	switch mc.capmod {
	case 0:
		qg, qb, qdl = d.charges0(o)
	default:
		qg, qb, qdl = d.charges12(o)
	}
	qsl := qg.add(qb).add(qdl).neg()

	// Overlaps, from the global gate-drain, gate-source and gate-bulk voltages.
	// With rgatemod 3 they hang on the gate mid node, whose voltage the "g" slot then holds.
	vg := v[bGS]
	if d.rgatemod == 3 {
		vg = v[bGMS]
	}
	gvgs := dl{vg, 1, 0, 0}
	gvgd := dl{vg - v[bDS], 1, -1, 0}
	gvgb := dl{vg - v[bBS], 1, 0, -1}
	var qgdo, qgso dl
	if mc.capmod == 0 {
		qgdo, qgso = gvgd.scale(p.cgdo), gvgs.scale(p.cgso)
	} else {
		qgdo = overlap(d1{gvgd.v, 1}, p.cgdo, p.weffCV*p.cgdl, p.ckappad).along(gvgd)
		qgso = overlap(d1{gvgs.v, 1}, p.cgso, p.weffCV*p.cgsl, p.ckappas).along(gvgs)
	}
	qgdo, qgso = qgdo.scale(d.nf), qgso.scale(d.nf)
	qgb := gvgb.scale(p.cgbo)

	lD, lS := tD, tS
	if o.mode < 0 {
		lD, lS = tS, tD
	}
	// Every node is written (lD and lS are tD and tS): q needs no clearing.
	q[tG] = qg
	q[tB] = qb
	q[lD] = qdl
	q[lS] = qsl
	if d.trnqs || d.acnqs { // qint's only readers (nqs.go)
		*qint = *q
	}
	ov := q
	if d.rgatemod == 3 { // qov's only reader (stamp)
		*qov = nodeSums{}
		ov = qov
	}
	ov[tG] = ov[tG].add(qgdo).add(qgso).add(qgb)
	ov[tB] = ov[tB].sub(qgb)
	ov[tD] = ov[tD].sub(qgdo)
	ov[tS] = ov[tS].sub(qgso)
}

// overlap is the bias-dependent overlap charge of capmod 1 and 2: cgo v plus the
// lightly doped region's cgl term, a function of the gate's voltage v to its side alone.
func overlap(v d1, cgo, t3, ckappa float64) d1 {
	t0 := v.addc(delta1)
	t1 := t0.mul(t0).addc(4 * delta1).sqrt()
	t2 := t0.sub(t1).scale(0.5)
	t4 := t2.scale(-4 / ckappa).addc(1).sqrt()
	return v.scale(cgo + t3).sub(t2.add(t4.addc(-1).scale(0.5 * ckappa)).scale(t3))
}

// vdseffCV is the C-V model's smoothed drain voltage.
func vdseffCV(vdsat, vds dl) dl {
	t0 := vdsat.sub(vds).addc(-delta4)
	t1 := dsqrt(t0.mul(t0).add(vdsat.scale(4 * delta4)))
	var r dl
	if t0.v >= 0 {
		r = vdsat.sub(t0.add(t1).scale(0.5))
	} else {
		t3 := t1.sub(t0).inv().scale(2 * delta4)
		r = vdsat.mul(t3.neg().addc(1))
	}
	if vds.v == 0 {
		r = dl{d: r.d}
	}
	return r
}

// vfbeffCV is the smoothed flat-band voltage of capmod 1 and 2, a function of
// vbseff - vgsEff alone.
func vfbeffCV(vfb float64, vgsEff, vbseff dl) dl {
	u := vbseff.sub(vgsEff)
	v3 := d1{u.v, 1}.addc(vfb - delta3)
	var t0 d1
	if vfb <= 0 {
		t0 = v3.mul(v3).addc(-4 * delta3 * vfb).sqrt()
	} else {
		t0 = v3.mul(v3).addc(4 * delta3 * vfb).sqrt()
	}
	return v3.add(t0).scale(-0.5).addc(vfb).along(u)
}

// qsub0Factor is k1ox (sqrt(k1ox^2/4 + t3) - k1ox/2), continued linearly below t3 = 0:
// the depletion charge's factor, and the gate current's oxide voltage in depletion.
func qsub0Factor(k1ox float64, t3 dl) dl {
	h := 0.5 * k1ox
	switch {
	case k1ox == 0:
		return dl{}
	case t3.v < 0:
		return t3
	}
	return d1{t3.v, 1}.addc(h * h).sqrt().addc(-h).scale(k1ox).along(t3)
}

// charges12 is capmod 1 and 2 (the charge-thickness model).
func (d *Device) charges12(o *dcOut) (qg, qb, qd dl) {
	p, mc := d.p, &d.mc
	vtm := mc.vtm
	vbseffCV := o.vbseff
	coxWL := mc.coxe * p.weffCV * p.leffCV * d.nf
	vgsEff, vds := o.vgsEff, o.vdsLocal

	// Vgsteff of the C-V model (cvchargemod 0): noff and voffcv.
	noff := o.n.scale(p.noff)
	t0n := noff.scale(vtm)
	x := o.vgst.addc(-p.voffcv)
	var vgsteff dl
	switch r := x.v / t0n.v; {
	case r > expThreshold:
		vgsteff = x
	case r < -expThreshold:
		vgsteff = t0n.scale(logOnePlusMinExp)
	default:
		r := x.div(t0n)
		vgsteff = t0n.mul(d1{r.v, 1}.exp().addc(1).log().along(r))
	}
	abulkCV := o.abulk0.scale(p.abulkCVfactor)
	k1ox := p.k1ox
	vfbzb := p.vfbzb
	vfbeff := o.vfbeff
	if !o.vfbeffSet {
		vfbeff = vfbeffCV(vfbzb, vgsEff, vbseffCV)
	}
	t3 := vgsEff.sub(vfbeff).sub(vbseffCV).sub(vgsteff)

	if mc.capmod == 1 {
		qac0 := vfbeff.addc(-vfbzb).scale(coxWL)
		qsub0 := qsub0Factor(k1ox, t3).scale(coxWL)
		vdsatCV := vgsteff.div(abulkCV)
		vdseff := vdseffCV(vdsatCV, vds)
		t0 := abulkCV.mul(vdseff)
		t1 := vgsteff.sub(t0.scale(0.5)).addc(1e-20).scale(12)
		t2 := vdseff.div(t1)
		t3 := t0.mul(t2)
		qg = vgsteff.sub(vdseff.scale(0.5)).add(t3).scale(coxWL)
		t7 := abulkCV.neg().addc(1)
		qb = t7.mul(vdseff.scale(0.5).sub(t3)).scale(coxWL)
		var qs dl
		switch {
		case mc.xpart > 0.5:
			t1 := t1.scale(2)
			qs = vgsteff.scale(0.5).add(t0.scale(0.25)).sub(t0.mul(t0).div(t1)).scale(-coxWL)
		case mc.xpart < 0.5:
			t1 := t1.scale(1.0 / 12)
			t2 := t1.mul(t1).inv().scale(0.5 * coxWL)
			t3 := vgsteff.mul(t0.mul(t0).scale(2.0 / 3).add(vgsteff.mul(vgsteff.sub(t0.scale(4.0 / 3))))).
				sub(t0.mul(t0).mul(t0).scale(2.0 / 15))
			qs = t2.mul(t3).neg()
		default:
			qs = qg.add(qb).scale(-0.5)
		}
		qg = qg.add(qac0).add(qsub0)
		qb = qb.sub(qac0).sub(qsub0)
		qd = qg.add(qb).add(qs).neg()
		return
	}

	// capmod 2: the inversion and accumulation charges sit at a centroid away from the
	// oxide, which reduces the effective oxide capacitance. The accumulation's centroid
	// is a function of vgs - vbs alone (t0), the inversion's of Vgsteff alone: each is
	// computed with one derivative (d1) and taken through the chain rule once.
	cox := p.coxp
	coxeffOf := func(tcen d1) d1 {
		ccen := tcen.inv().scale(mc.mat.epssub)
		return ccen.scale(cox).div(ccen.addc(cox))
	}
	t0 := vgsEff.sub(vbseffCV).addc(-vfbzb).scale(p.invToxpCV)
	tmp := d1{t0.v, 1}.scale(p.acde)
	var tcen d1
	switch {
	case tmp.v <= -expThreshold:
		tcen = d1{v: p.ldeb * minExp}
	case tmp.v >= expThreshold:
		tcen = d1{v: p.ldeb * maxExp}
	default:
		tcen = tmp.exp().scale(p.ldeb)
	}
	link := 1e-3 * p.toxp
	v3 := tcen.neg().addc(p.ldeb - link)
	v4 := v3.mul(v3).addc(4 * link * p.ldeb).sqrt()
	tcen = v3.add(v4).scale(-0.5).addc(p.ldeb)
	coxWLcen := coxeffOf(tcen).scale(coxWL / mc.coxe).along(t0)
	qac0 := vfbeff.addc(-vfbzb).mul(coxWLcen)
	qsub0 := qsub0Factor(k1ox, t3).mul(coxWLcen)

	// Gate-bias dependent surface potential shift.
	g := d1{vgsteff.v, 1}
	t1g := g.addc(2 * p.deltaPhiT0)
	deltaPhi := t1g.mul(g).scale(p.deltaPhiInvDenom).addc(1).log().scale(vtm)
	t0g := g.sub(deltaPhi).addc(-0.001)
	t1g = t0g.mul(t0g).add(g.scale(0.004)).sqrt()
	vgDP := t0g.add(t1g).scale(0.5).along(vgsteff)

	tcen = g.addc(p.vtfbphi2).scale(p.invToxp2CV).pow(0.7 * d.bdos).addc(1).inv().scale(d.ados * 1.9e-9)
	coxWLcen = coxeffOf(tcen).scale(coxWL / mc.coxe).along(vgsteff)

	vdsatCV := vgDP.div(abulkCV)
	vdseff := vdseffCV(vdsatCV, vds)
	t0 = abulkCV.mul(vdseff)
	t1 := vgDP
	t2 := t1.sub(t0.scale(0.5)).addc(1e-20).scale(12)
	t3 = t0.div(t2)
	qg = t1.sub(t0.mul(t3.neg().addc(0.5))).mul(coxWLcen)
	t7 := abulkCV.neg().addc(1)
	qb = t7.mul(vdseff.scale(0.5).sub(t0.mul(vdseff).div(t2))).mul(coxWLcen)
	var qs dl
	switch {
	case mc.xpart > 0.5:
		qs = t1.scale(0.5).add(t0.scale(0.25)).sub(t0.mul(t0).div(t2).scale(0.5)).mul(coxWLcen).neg()
	case mc.xpart < 0.5:
		t2 := t2.scale(1.0 / 12)
		t3 := coxWLcen.div(t2.mul(t2)).scale(0.5)
		t4 := t1.mul(t0.mul(t0).scale(2.0 / 3).add(t1.mul(t1.sub(t0.scale(4.0 / 3))))).
			sub(t0.mul(t0).mul(t0).scale(2.0 / 15))
		qs = t3.mul(t4).neg()
	default:
		qs = qg.scale(-0.5)
	}
	qg = qg.add(qac0).add(qsub0).sub(qb)
	qb = qb.sub(qac0).sub(qsub0)
	qd = qg.add(qb).add(qs).neg()
	return
}

// charges0 is capmod 0, the piecewise charge model.
func (d *Device) charges0(o *dcOut) (qg, qb, qd dl) {
	p, mc := d.p, &d.mc
	vbseffCV := o.vbsLocal
	if o.vbseff.v >= 0 {
		vbseffCV = o.phis.neg().addc(p.phi)
	}
	vfb := p.vfbcv
	vth := o.sqrtPhis.scale(p.k1ox).addc(vfb + p.phi)
	vgsEff, vds := o.vgsEff, o.vdsLocal
	vgst := vgsEff.sub(vth)
	coxWL := mc.coxe * p.weffCV * p.leffCV * d.nf
	arg1 := vgsEff.sub(vbseffCV).addc(-vfb)
	switch {
	case arg1.v <= 0:
		qg = arg1.scale(coxWL)
		return qg, qg.neg(), dl{}
	case vgst.v <= 0:
		t1 := 0.5 * p.k1ox
		qg = dsqrt(arg1.addc(t1 * t1)).addc(-t1).scale(coxWL * p.k1ox)
		return qg, qg.neg(), dl{}
	}
	abulkCV := o.abulk0.scale(p.abulkCVfactor)
	vdsat := vgst.div(abulkCV)
	sat := vdsat.v <= vds.v
	if mc.xpart <= 0.5 {
		sat = vds.v >= vdsat.v
	}
	if sat {
		qg = vgsEff.addc(-vfb - p.phi).sub(vdsat.scale(1.0 / 3)).scale(coxWL)
		t2 := vgst.scale(-2.0 / 3 * coxWL)
		qb = qg.add(t2).neg()
		switch {
		case mc.xpart > 0.5:
			qd = dl{}
		case mc.xpart < 0.5:
			qd = t2.scale(0.4)
		default:
			qd = t2.scale(0.5)
		}
		return
	}
	alphaz := vgst.div(vdsat)
	t1 := vdsat.scale(2).sub(vds)
	t2 := vds.div(t1.scale(3))
	t3 := t2.mul(vds)
	t9 := 0.25 * coxWL
	t4 := alphaz.scale(t9)
	qg = vgsEff.addc(-vfb - p.phi).sub(vds.sub(t3).scale(0.5)).scale(coxWL)
	switch {
	case mc.xpart > 0.5:
		t7 := vds.scale(2).sub(t1).sub(t3.scale(3))
		t8 := t3.sub(t1).sub(vds.scale(2))
		qd = t4.mul(t7)
		qb = qg.add(qd).add(t4.mul(t8)).neg()
	case mc.xpart < 0.5:
		t6 := vdsat.mul(vdsat).scale(8).sub(vdsat.mul(vds).scale(6)).add(vds.mul(vds).scale(1.2))
		t8 := t2.div(t1)
		t7 := vds.sub(t1).sub(t8.mul(t6))
		qd = t4.mul(t7)
		qb = qg.sub(t4.mul(t1.add(t3).scale(2))).neg()
	default:
		qd = t4.mul(t1.add(t3)).neg()
		qb = qg.add(qd.scale(2)).neg()
	}
	return
}
