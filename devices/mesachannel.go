package devices

// epsGaAs is the permittivity of GaAs, as the MESA model takes it (F/m).
const epsGaAs = 12.244 * 8.85418e-12

// mesaChannel holds the MESA model's channel at the instance's temperature: the drain
// current and the gate capacitances of Ytterdal, Lee, Shur and Fjeldly's unified MESFET
// model (level 2: a uniformly doped channel of depth d; level 3: a delta-doped layer of
// thickness th under an undoped layer of depth du), as ngspice 39 computes them.
type mesaChannel struct {
	level int
	l, w  float64

	vt, mu, vto, lambda, eta float64 // at the source temperature
	rdi, rsi                 float64
	ks, vsg                  float64 // sidegating

	sigma0, vsigmat, vsigma float64
	theta, vs, tc           float64
	m0, mc, alpha, delta2   float64
	d, nd                   float64 // level 2
	du, ndu, th, ndelta     float64 // level 3
	betaL3                  float64 // level 3's beta
	nmax, gamma, epsi       float64 // level 4
	cas, cbs, rsiModel      float64
	imax                    float64 // level 4's largest current, q nmax vs W

	vpo, vpou, vpod float64 // pinch-off voltages: the whole channel's, the undoped and the delta layer's
	betaL2          float64 // level 2's 2 eps vs zeta W / d (divided by vpo + 3 vl at a point)
	cf              float64 // the fringing capacitance 0.5 eps W
	gchi0           float64 // q W/L (level 3: times the mobility)
	n0, nsb0        float64 // subthreshold sheet densities' scales
	isatb0          float64
}

// setGeometry sets what depends on the model and the gate's length and width alone.
func (ch *mesaChannel) setGeometry(mod *mesaModelCard, l, w float64) {
	ch.l, ch.w = l, w
	ch.ks, ch.vsg = mod.ks, mod.vsg
	ch.sigma0, ch.vsigmat, ch.vsigma = mod.sigma0, mod.vsigmat, mod.vsigma
	ch.theta, ch.vs, ch.tc = mod.theta, mod.vs, mod.tc
	ch.m0, ch.mc, ch.alpha, ch.delta2 = mod.mk, mod.mc, mod.alpha, mod.delta*mod.delta
	ch.d, ch.nd = mod.d, mod.nd
	ch.du, ch.ndu, ch.th, ch.ndelta = mod.du, mod.ndu, mod.th, mod.ndelta
	ch.betaL3 = mod.beta
	if ch.level == 2 {
		ch.vpo = dioCharge * mod.nd * mod.d * mod.d / (2 * epsGaAs)
	} else {
		ch.vpou = dioCharge * mod.ndu * mod.du * mod.du / (2 * epsGaAs)
		ch.vpod = dioCharge * mod.ndelta * mod.th * (2*mod.du + mod.th) / (2 * epsGaAs)
		ch.vpo = ch.vpou + ch.vpod
	}
	ch.betaL2 = 2 * epsGaAs * mod.vs * mod.zeta * w / mod.d
	ch.cf = 0.5 * epsGaAs * w
	ch.nmax, ch.gamma, ch.epsi = mod.nmax, mod.gamma, mod.epsi
	ch.cas, ch.cbs, ch.rsiModel = mod.cas, mod.cbs, mod.rsi
	ch.imax = dioCharge * mod.nmax * mod.vs * w
	if ch.level == 4 {
		ch.cf = 0.5 * mod.epsi * w
	}
}

// setCarriers sets the sheet densities' scales at the temperature's eta and kT/q.
func (ch *mesaChannel) setCarriers(mod *mesaModelCard, l, w, eta, vt float64) {
	depth := mod.d
	if ch.level == 3 {
		depth = mod.du
	}
	ch.n0 = epsGaAs * eta * vt / dioCharge / depth
	if ch.level == 4 {
		ch.n0 = mod.epsi * eta * vt / 2 / dioCharge / depth
	}
	ch.nsb0 = epsGaAs * eta * vt / dioCharge / (mod.du + mod.th)
	ch.isatb0 = dioCharge * ch.n0 * vt * w / l
	ch.gchi0 = dioCharge * w / l
	if ch.level != 2 {
		ch.gchi0 *= ch.mu
	}
}

// mesaOut is the channel at one point of the forward mode: the drain current and the
// gate-source and gate-drain capacitances, each with its derivatives by vgs, vds and the
// threshold von (dual's g, d and b).
type mesaOut struct {
	id, cgs, cgd dual
	gch          dual    // the channel's conductance
	shape        float64 // the knee's factor vds/h over vds (1/h; 1 at vds = 0)
}

// current evaluates the channel at vgs, vds >= 0 (the forward mode's local voltages),
// with threshold von.
func (ch *mesaChannel) current(vgs, vds, von float64, out *mesaOut) {
	lambda := ch.lambda
	vg := dual{v: vgs, g: 1}
	vd := dual{v: vds, d: 1}
	vn := dual{v: von, b: 1}
	etavt := ch.eta * ch.vt
	// The threshold falls with the drain voltage by sigma (drain-induced barrier
	// lowering), sigma itself fading above vsigmat.
	vgt0 := vg.sub(vn)
	s := vgt0.addc(-ch.vsigmat).scale(1 / ch.vsigma).exp()
	sigma := cst(ch.sigma0).div(s.addc(1))
	vgt := vgt0.add(sigma.mul(vd))
	if ch.level == 4 {
		ch.heterostructure(vgt, vd, lambda, out)
		return
	}
	// The effective gate voltage: vgt above threshold, vt below, joined smoothly.
	u := vgt.scale(1 / ch.vt).addc(-1)
	vgte := u.add(u.mul(u).addc(ch.delta2).sqrt()).addc(2).scale(0.5 * ch.vt)

	var ns, gchi, isata, isatb, mu, cgc dual
	if ch.level == 2 {
		mu = vgt.scale(ch.theta).addc(ch.mu)
		vl := mu.inv().scale(ch.vs * ch.l)
		beta := cst(ch.betaL2).div(vl.scale(3).addc(ch.vpo))
		b := vgt.scale(-1 / etavt).exp()
		// The sheet density: the depleted channel's above threshold in series with the
		// subthreshold exponential's.
		sq := cst(0)
		if vgte.v <= ch.vpo {
			sq = vgte.scale(-1 / ch.vpo).addc(1).sqrt()
		}
		above := sq.scale(-1).addc(1).scale(ch.nd * ch.d)
		ns = above.inv().add(b.scale(1 / ch.n0)).inv()
		if ns.v < 1e-38 {
			ch.off(out)
			return
		}
		gchi = mu.mul(ns).scale(ch.gchi0)
		isata = ch.saturationA(beta.scale(2).mul(vgte), vgte)
		isatb = mu.mul(vgt.scale(1 / etavt).exp()).scale(ch.isatb0)
		depl := cst(0)
		if vgt.v <= ch.vpo {
			depl = vgt.scale(-1 / ch.vpo).addc(1).sqrt()
		}
		cgc = depl.add(b).inv().scale(ch.w * ch.l * epsGaAs / ch.d)
	} else {
		var nsa, ca dual
		switch {
		case vgt.v > ch.vpod && vgte.v > ch.vpo:
			nsa = cst(ch.ndelta*ch.th + ch.ndu*ch.du)
			ca = cst(epsGaAs / ch.du)
		case vgt.v > ch.vpod:
			r := vgte.scale(-1).addc(ch.vpo).scale(1 / ch.vpou).sqrt()
			nsa = r.scale(-1).addc(1).scale(ch.ndu * ch.du).addc(ch.ndelta * ch.th)
			ca = r.inv().scale(epsGaAs / ch.du)
		case ch.vpod-vgte.v < 0:
			nsa = cst(ch.ndelta * ch.th * (1 - ch.du/ch.th))
			ca = cst(epsGaAs / ch.du)
		default:
			r := vgte.scale(-1).addc(ch.vpod).scale(ch.ndu / ch.ndelta / ch.vpou).addc(1).sqrt()
			nsa = r.addc(-1).scale(-ch.du / ch.th).addc(1).scale(ch.ndelta * ch.th)
			ca = r.inv().scale(epsGaAs / ch.du)
		}
		b := vgt.scale(1 / etavt).exp()
		cb := b.scale(epsGaAs / (ch.du + ch.th))
		nsb := b.scale(ch.nsb0)
		ns = nsa.mul(nsb).div(nsa.add(nsb))
		if ns.v < 1e-38 {
			ch.off(out)
			return
		}
		gchi = ns.scale(ch.gchi0)
		isata = ch.saturationA(vgte.scale(2*ch.betaL3), vgte)
		isatb = b.scale(ch.isatb0)
		cgc = ca.mul(cb).div(ca.add(cb)).scale(ch.w * ch.l)
	}
	gch := ch.seriesRT(gchi)
	isat := isata.mul(isatb).div(isata.add(isatb))
	// The knee's exponent grows with the gate voltage by alpha at level 2.
	m := cst(ch.m0)
	if ch.level == 2 {
		m = vgte.scale(ch.alpha).addc(ch.m0)
	}
	ch.knee(gch, isat.div(gch), cgc, m, vd, lambda, out)
}

// seriesRT is the channel conductance gchi in series with rsi and rdi.
func (ch *mesaChannel) seriesRT(gchi dual) dual {
	return gchi.div(gchi.scale(ch.rsi + ch.rdi).addc(1))
}

// knee sets out from the channel conductance gch, the saturation voltage vsate and the
// gate-channel capacitance cgc: the current gch vds (1 + lambda vds) / (1 +
// (vds/vsate)^m)^(1/m), 0 at vds = 0 with slope gch, and Meyer's partition of cgc
// between source and drain over the effective drain voltage (the knee of exponent mc).
func (ch *mesaChannel) knee(gch, vsate, cgc, m, vd dual, lambda float64, out *mesaOut) {
	zKnee(gch, vsate, cgc, m, vd, lambda, ch.mc, ch.cf, out)
}

// zKnee is mesaChannel.knee for a knee of exponent mc in the capacitances and a
// fringing capacitance cf: the MESA's and HFET's channels share it.
func zKnee(gch, vsate, cgc, m, vd dual, lambda, mc, cf float64, out *mesaOut) {
	h, vdse := cst(1), vd
	if vd.v > 0 {
		lr := vd.div(vsate).log()
		h = m.mul(lr).exp().addc(1).log().div(m).exp()
		vdse = vd.div(lr.scale(mc).exp().addc(1).pow(1 / mc))
	}
	out.id = gch.mul(vd).div(h).mul(vd.scale(lambda).addc(1))
	out.gch, out.shape = gch, 1/h.v
	den := vsate.scale(2).sub(vdse)
	c := vsate.sub(vdse).div(den)
	out.cgs = c.mul(c).scale(-1).addc(1).mul(cgc).scale(2.0 / 3).addc(cf)
	c = vsate.div(den)
	out.cgd = c.mul(c).scale(-1).addc(1).mul(cgc).scale(2.0 / 3).addc(cf)
}

// heterostructure is level 4's channel at the gate overdrive vgt: a sheet density that
// turns from the subthreshold exponential to linear in vgt, saturating at nmax with
// exponent gamma, and a saturation current limited by the velocity vs (through vl) and
// by q nmax vs W.
func (ch *mesaChannel) heterostructure(vgt, vd dual, lambda float64, out *mesaOut) {
	etavt := ch.eta * ch.vt
	vl := ch.vs / ch.mu * ch.l
	u := vgt.scale(0.5 / ch.vt).addc(-1)
	vgte := u.add(u.mul(u).addc(ch.delta2).sqrt()).addc(2).scale(ch.vt)
	b := vgt.scale(1 / etavt).exp()
	nsm := b.scale(0.5).addc(1).log().scale(2 * ch.n0)
	if nsm.v < 1e-38 {
		ch.off(out)
		return
	}
	c := nsm.scale(1 / ch.nmax).pow(ch.gamma)
	ns := nsm.div(c.addc(1).pow(1 / ch.gamma))
	gch := ch.seriesRT(ns.scale(ch.gchi0))
	gchim := nsm.scale(ch.gchi0)
	h := gchim.scale(2 * ch.rsiModel).addc(1).add(vgte.mul(vgte).scale(1 / (vl * vl))).sqrt()
	p := gchim.scale(ch.rsi).addc(1).add(h)
	isatm := gchim.mul(vgte).div(p)
	g := isatm.scale(1 / ch.imax).pow(ch.gamma)
	isat := isatm.div(g.addc(1).pow(1 / ch.gamma))
	cgcm := b.inv().scale(etavt / (ch.cbs * dioCharge * ch.n0)).addc(ch.d / (ch.cas * ch.epsi)).inv()
	cgc := cgcm.div(c.addc(1).pow(1 + 1/ch.gamma)).scale(ch.w * ch.l)
	ch.knee(gch, isat.div(gch), cgc, cst(ch.m0), vd, lambda, out)
}

// saturationA is the saturation current of the velocity-saturated channel, a vgte /
// ((1 + a rsi + sqrt(1 + 2 a rsi)) (1 + tc vgte)), for a = 2 beta vgte.
func (ch *mesaChannel) saturationA(a, vgte dual) dual {
	ars := a.scale(ch.rsi)
	den := ars.add(ars.scale(2).addc(1).sqrt()).addc(1).mul(vgte.scale(ch.tc).addc(1))
	return a.mul(vgte).div(den)
}

// off is the channel with no carriers: no current, the fringing capacitances alone.
func (ch *mesaChannel) off(out *mesaOut) {
	*out = mesaOut{shape: 1}
	out.cgs, out.cgd = cst(ch.cf), cst(ch.cf)
}

// acLambda changes out, evaluated at vds, to the small-signal channel of an output
// conductance lambda instead of the DC one, as ngspice's MESA does in .ac: lambda scales
// the transconductance's term of the channel conductance's change with the gate, and
// the output conductance's term of vds's own; the knee's terms and the channel
// conductance's change with vds (through sigma) keep the DC lambda.
func (ch *mesaChannel) acLambda(out *mesaOut, vds, lambda float64) {
	dl := lambda - ch.lambda
	k := dl * vds * vds * out.shape // the change of the factor multiplying gch
	out.id.g += k * out.gch.g
	out.id.b += k * out.gch.b
	out.id.d += 2 * dl * vds * out.gch.v * out.shape
}
