package bsim4

// tunnel is BSIM4's tunnelling factor exp(B (a + (a c - b) v - b c v^2)), bounded: a
// function of one value v, with its slope (a dl v takes it as
// tunnel(d1{v.v, 1}, ...).along(v)).
func tunnel(v d1, bcoef, a, b, c float64) d1 {
	t3 := a*c - b
	t4 := b * c
	t5 := v.scale(t3).sub(v.mul(v).scale(t4)).addc(a).scale(bcoef)
	switch {
	case t5.v > expThreshold:
		return d1{v: maxExp}
	case t5.v < -expThreshold:
		return d1{v: minExp}
	}
	return t5.exp()
}

// softplus is t0 log(1 + exp(x/t0)), BSIM4's smooth max(x, 0), bounded as ngspice has
// it: a function of one value, as tunnel.
func softplus(x d1, t0 float64) d1 {
	vx := x.v / t0
	switch {
	case vx > expThreshold:
		return x
	case vx < -expThreshold:
		return d1{v: t0 * logOnePlusMinExp}
	}
	return x.scale(1 / t0).exp().addc(1).log().scale(t0)
}

// gate computes the gate tunnelling currents (igcmod, igbmod).
func (d *Device) gate(o *dcOut, Vgs, gvgs, gvgd, vgsEff, vbseff, vgsteff, vdseff, vth dl) {
	p, mc := d.p, &d.mc
	o.igcs, o.igcd, o.igs, o.igd, o.igb = dl{}, dl{}, dl{}, dl{}, dl{}
	if mc.igcmod == 0 && mc.igbmod == 0 {
		return
	}
	vfb := p.vfbzb
	// The same smoothed flat-band voltage as the charges' (capmod 1, 2), which reuse it.
	vfbeff := vfbeffCV(vfb, vgsEff, vbseff)
	o.vfbeff, o.vfbeffSet = vfbeff, true
	voxacc := vfbeff.neg().addc(vfb)
	if voxacc.v < 0 {
		voxacc = dl{}
	}
	var voxdepinv dl
	t3 := vgsEff.sub(vfbeff).sub(vbseff).sub(vgsteff)
	switch {
	case p.k1ox == 0:
	case t3.v < 0:
		voxdepinv = t3.neg()
	default:
		voxdepinv = qsub0Factor(p.k1ox, t3)
	}
	voxdepinv = voxdepinv.add(vgsteff)
	vt := mc.vtm
	if mc.tempmod >= 2 {
		vt = mc.vtm0
	}
	if mc.igcmod != 0 {
		var vx dl
		if mc.igcmod == 1 {
			vx = vgsEff.addc(-mc.typ * p.vth0)
		} else {
			vx = vgsEff.sub(vth)
		}
		vaux := softplus(d1{vx.v, 1}, vt*p.nigc).along(vx)
		t2 := vgsEff.mul(vaux)
		t6 := tunnel(d1{voxdepinv.v, 1}, p.bechvb, p.aigc, p.bigc, p.cigc).along(voxdepinv)
		igc := t2.mul(t6).scale(p.aechvb)
		var pigcd dl
		if d.pigcdGiven {
			pigcd = cst(p.pigcd)
		} else {
			t12 := vgsteff.addc(1e-20)
			t13 := t12.mul(t12).inv().scale(-p.bechvb)
			pigcd = t13.mul(vdseff.div(t12).scale(-0.5).addc(1))
		}
		// The source's and the drain's shares of igc, functions of t7 alone.
		t7 := pigcd.mul(vdseff).neg()
		x := d1{t7.v, 1}
		t8 := x.mul(x).addc(2e-4)
		var t9 d1
		switch {
		case x.v > expThreshold:
			t9 = d1{v: maxExp}
		case x.v < -expThreshold:
			t9 = d1{v: minExp}
		default:
			t9 = x.exp()
		}
		o.igcs = igc.mul(t9.addc(-1 + 1e-4).sub(x).div(t8).along(t7)).scale(d.nf)
		o.igcd = igc.mul(x.mul(t9).sub(t9.addc(-1 - 1e-4)).div(t8).along(t7)).scale(d.nf)

		// The edge currents, each a function of the gate's voltage to its side alone.
		edge := func(v d1, a, b, c, aech float64) d1 {
			t0 := v.addc(-(p.vfbsd + p.vfbsdoff))
			veff := t0.mul(t0).addc(1e-4).sqrt()
			t2 := v.mul(veff)
			return t2.mul(tunnel(veff, p.bechvbEdge, a, b, c)).scale(aech)
		}
		o.igs = edge(d1{gvgs.v, 1}, p.aigs, p.bigs, p.cigs, p.aechvbEdgeS).scale(d.nf).along(gvgs)
		o.igd = edge(d1{gvgd.v, 1}, p.aigd, p.bigd, p.cigd, p.aechvbEdgeD).scale(d.nf).along(gvgd)
	}
	if mc.igbmod != 0 {
		t1 := vbseff.sub(vgsEff).addc(vfb)
		vaux := softplus(d1{t1.v, 1}, vt*p.nigbacc).along(t1)
		t2 := vgsEff.sub(vbseff).mul(vaux)
		t11 := 4.97232e-7 * p.weff * p.leff * p.toxRatio
		t12 := -7.45669e11 * mc.toxe
		igbacc := t2.mul(tunnel(d1{voxacc.v, 1}, t12, p.aigbacc, p.bigbacc, p.cigbacc).along(voxacc)).scale(t11)
		vaux = softplus(d1{voxdepinv.v - p.eigbinv, 1}, vt*p.nigbinv).along(voxdepinv)
		t2 = vgsEff.sub(vbseff).mul(vaux)
		igbinv := t2.mul(tunnel(d1{voxdepinv.v, 1}, t12*1.31724, p.aigbinv, p.bigbinv, p.cigbinv).along(voxdepinv)).scale(t11 * 0.75610)
		o.igb = igbacc.add(igbinv).scale(d.nf)
	}
}
