package devices

import "math"

// hfetChannel holds ngspice's HFET1 channel (the unified HFET model of Ytterdal, Shur and
// Fjeldly: a two-dimensional electron gas whose sheet density turns from the
// subthreshold exponential to linear in the gate voltage and saturates at nmax) at the
// instance's temperature.
type hfetChannel struct {
	l, w                     float64
	vt, eta, vto, lambda     float64 // kT/q, and the values at the instance's temperature
	sigma0, vsigmat, vsigma  float64
	delta2                   float64 // delta squared: the effective gate voltage's smoothing
	n0                       float64 // the sheet density's scale eps eta kT/q / (2 q (di + deltad))
	n02, eta2, vt2           float64 // the second channel's density (n02 = 0: none)
	nmax, gamma, imax        float64
	gchi0, rsi, rt, vl       float64 // q W mu / L, rsi, rsi + rdi, vs L / mu
	m, mc, pm, cf            float64
	eta1, d1, epsi, vt1, cds float64 // the gate capacitance's subthreshold term, the drain-source one
}

// current evaluates the channel at the local vgs and vds >= 0: the drain current and the
// gate-source and gate-drain capacitances with their derivatives by vgs and vds (dual's
// g and d). It returns the saturation voltage and the effective gate voltage (zero
// below the channel's last carrier), which gatemod 1's gate currents read.
func (ch *hfetChannel) current(vgs, vds float64, out *mesaOut) (vsate, vgte dual) {
	vg := dual{v: vgs, g: 1}
	vd := dual{v: vds, d: 1}
	vt, etavt := ch.vt, ch.eta*ch.vt
	// The threshold falls with the drain voltage by sigma, sigma fading above vsigmat.
	vgt0 := vg.addc(-ch.vto)
	s := vgt0.addc(-ch.vsigmat).scale(1 / ch.vsigma).exp()
	sigma := cst(ch.sigma0).div(s.addc(1))
	vgt := vgt0.add(sigma.mul(vd))
	// The effective gate voltage: vgt above threshold, 2 kT/q below it.
	u := vgt.scale(0.5 / vt).addc(-1)
	t := u.mul(u).addc(ch.delta2).sqrt()
	vgte = u.add(t).addc(2).scale(vt)

	// The sheet density without saturation, nsm, and its slope by vgt.
	b := vgt.scale(1 / etavt).exp()
	nsn := b.scale(0.5).addc(1).log().scale(2 * ch.n0)
	dnsn := b.inv().addc(0.5).inv().scale(ch.n0 / etavt)
	nsm, dnsm := nsn, dnsn
	if ch.n02 != 0 {
		// A second channel in series: the smaller density rules.
		nsc := vgt.addc(ch.vto - ch.vt2).scale(1 / (ch.eta2 * vt)).exp().scale(ch.n02)
		sum := nsn.add(nsc)
		nsm = nsn.mul(nsc).div(sum)
		dnsm = nsc.mul(nsc.mul(dnsn).add(nsn.mul(nsn).scale(1 / (ch.eta2 * vt)))).div(sum.mul(sum))
	}
	if nsm.v < 1e-38 {
		*out = mesaOut{shape: 1}
		out.cgs, out.cgd = cst(ch.cf), cst(ch.cf)
		return dual{}, dual{}
	}
	c := nsm.scale(1 / ch.nmax).pow(ch.gamma)
	ns := nsm.div(c.addc(1).pow(1 / ch.gamma))
	gchi := ns.scale(ch.gchi0)
	gch := gchi.div(gchi.scale(ch.rt).addc(1))
	// The saturation current: velocity saturation through rsi, itself saturating at
	// q nmax vs W with exponent gamma.
	gchim := nsm.scale(ch.gchi0)
	h := gchim.scale(2 * ch.rsi).addc(1).add(vgte.mul(vgte).scale(1 / (ch.vl * ch.vl))).sqrt()
	p := gchim.scale(ch.rsi).addc(1).add(h)
	isatm := gchim.mul(vgte).div(p)
	g := isatm.scale(1 / ch.imax).pow(ch.gamma)
	isat := isatm.div(g.addc(1).pow(1 / ch.gamma))

	// The gate-channel capacitance: q W L times the sheet density's slope by vgs (at
	// the drain voltage), plus the subthreshold term of the barrier's charge.
	dnsdnsm := ns.div(nsm).div(c.addc(1))
	dvgt := s.div(s.addc(1).mul(s.addc(1))).mul(vd).scale(-ch.sigma0 / ch.vsigma).addc(1)
	eta1vt := ch.eta1 * vt
	cg1 := vg.addc(-ch.vt1).scale(-1 / eta1vt).exp().scale(eta1vt).addc(ch.d1 / ch.epsi).inv()
	cgc := dnsdnsm.mul(dnsm).mul(dvgt).scale(dioCharge).add(cg1).scale(ch.w * ch.l)

	vsate = isat.div(gch)
	zKnee(gch, vsate, cgc, cst(ch.m), vd, ch.lambda, ch.mc, ch.cf, out)
	// p shares the channel's capacitance between source and drain: 1 (the default)
	// leaves Meyer's partition as it is.
	if ch.pm != 1 {
		pp := vd.div(vsate).scale(-1).exp().scale(1 - ch.pm).addc(ch.pm)
		k := pp.addc(1).inv().scale(2)
		out.cgs = out.cgs.addc(-ch.cf).mul(k).addc(ch.cf)
		out.cgd = out.cgd.addc(-ch.cf).mul(k).mul(pp).addc(ch.cf)
	}
	return vsate, vgte
}

// hfetGate1 is HFET1's gate with gatemod=1: thermionic emission over the barrier phib,
// from the source side at the lattice temperature and from the drain side by electrons
// heated by the effective drain voltage, and the correction current a1 (1 + a2 vgte
// vdse) igd - a1 igs that the gate currents add to the channel's.
type hfetGate1 struct {
	iso, phib, temp, m2s, m2d       float64 // astar W L / 2, the barrier (V), the lattice temperature (K)
	talpha, mt1, mt2, ck1, ck2, cm1 float64
	cm2, cm3, a1, a2, mv1           float64
}

// source is the gate-source current at vgs with kT/q vt (its derivative in g): the
// saturation current alone (and gmin's) below -5 kT/q.
func (g *hfetGate1) source(vgs, vt, gmin float64) dual {
	csat := g.iso * g.temp * g.temp * math.Exp(-g.phib/vt)
	if vgs <= -5*vt {
		return dual{v: -csat + gmin*vgs, g: gmin}
	}
	vtn := vt * g.m2s
	e := math.Exp(vgs / vtn)
	return dual{v: csat*(e-1) + gmin*vgs, g: csat*e/vtn + gmin}
}

// drain is the gate-drain current at the local vg, vd >= 0 and the channel's saturation
// voltage vsate: emission at the temperature temp + talpha vdse^2 / (1 + (vdse /
// vkneet)^mt1)^(1/mt1) of the electrons, vdse vd's knee at cm1 vsate + cm2.
func (g *hfetGate1) drain(vg, vd, vsate dual) dual {
	vkneet := vsate.scale(g.ck1).addc(g.ck2)
	vdse := hfetClip(vd, vsate.scale(g.cm1).addc(g.cm2), g.mt2)
	heat := vdse.mul(vdse).div(hfetRatioPow(vdse, vkneet, g.mt1).addc(1).pow(1 / g.mt1))
	td := heat.scale(g.talpha).addc(g.temp)
	vtd := td.scale(mosKoverQ)
	arg := vg.sub(vdse).scale(1 / g.m2d).addc(-g.phib).div(vtd)
	vt := g.temp * mosKoverQ
	return td.mul(td).mul(arg.exp()).scale(g.iso).addc(-g.iso * g.temp * g.temp * math.Exp(-g.phib/vt))
}

// correction is the current a1 (1 + a2 vgte vdse) igd - a1 igs added to the channel's,
// vdse vd's knee at cm3 vsate.
func (g *hfetGate1) correction(vd, vsate, vgte, igd, igs dual) dual {
	vdse := hfetClip(vd, vsate.scale(g.cm3), g.mv1)
	return vgte.mul(vdse).scale(g.a2).addc(1).mul(igd).sub(igs).scale(g.a1)
}

// hfetClip is x's knee at xmax: x / (1 + (x/xmax)^m)^(1/m), x itself at x = 0 and 0
// where xmax is 0 (ngspice's limit there is no number).
func hfetClip(x, xmax dual, m float64) dual {
	if xmax.v == 0 {
		return dual{}
	}
	return x.div(hfetRatioPow(x, xmax, m).addc(1).pow(1 / m))
}

// hfetRatioPow is (x/y)^m for x >= 0, 0 (with no slope) at x = 0 or y = 0.
func hfetRatioPow(x, y dual, m float64) dual {
	if x.v == 0 || y.v == 0 {
		return dual{}
	}
	return x.div(y).log().scale(m).exp()
}

// hfetLeak is one HFET1 gate junction (gatemod 0): a diode of two exponentials (is1, m1
// and is2, m2) in series with rs, as ngspice solves it approximately in closed form, at
// the voltage v, with its derivative by v in the result's g; gmin alone far in reverse.
type hfetLeak struct {
	is1, is2, m1, m2, rs float64
}

// current is the junction's current at v with kT/q vt.
func (j *hfetLeak) current(v, vt, gmin float64) dual {
	if j.is1 == 0 || j.is2 == 0 {
		return dual{}
	}
	vt1, vt2 := vt*j.m1, vt*j.m2
	if v <= -10*vt1 {
		return dual{v: gmin*v - j.is1, g: gmin}
	}
	x := dual{v: v, g: 1}
	vteff := vt1 + vt2
	iseff := j.is2 * math.Pow(j.is1/j.is2, j.m1/(j.m1+j.m2))
	var i1, i2 dual
	if j.rs > 0 {
		// The current through a diode in series with rs: Lambert's W of the series
		// circuit, for each exponential and for both joined.
		u := x.addc(j.rs * j.is1).scale(1 / vt1).addc(math.Log(j.rs * j.is1 / vt1))
		i1 = hfetOmega(u).scale(vt1 / j.rs).addc(-j.is1)
		u = x.addc(j.rs * iseff).scale(1 / vteff).addc(math.Log(j.rs * iseff / vteff))
		i2 = hfetOmega(u).scale(vteff / j.rs).addc(-iseff)
	} else {
		i1 = x.scale(1 / vt1).exp().addc(-1).scale(j.is1)
		i2 = x.scale(1 / vteff).exp().addc(-1).scale(iseff)
	}
	var i dual
	if i1.v*i2.v != 0 {
		i = i1.inv().add(i2.inv()).inv()
	} else {
		i = i1.add(i2).scale(0.5)
	}
	// One Newton step on v = rs i + vt1 ln(i/is1 + 1) + vt2 ln(i/is2 + 1) from i.
	slope := i.addc(j.is1).inv().scale(vt1).add(i.addc(j.is2).inv().scale(vt2)).addc(j.rs)
	v0 := i.scale(j.rs).add(i.scale(1 / j.is1).addc(1).log().scale(vt1)).add(i.scale(1 / j.is2).addc(1).log().scale(vt2))
	il := i.add(x.sub(v0).div(slope))
	if il.v < -j.is1 {
		il = cst(-j.is1)
	}
	return il.scale(0.99999)
}

// hfetOmega approximates Wright's omega function, the w of w + ln w = u (ngspice's
// closed form: a first guess refined by one third-order step).
func hfetOmega(u dual) dual {
	const u0, a, b, c = -2.303, 2.221, 6.804, 1.685
	var w dual
	if u.v <= u0 {
		e := u.exp()
		w = e.mul(e.scale(-1).addc(1))
	} else {
		h := u.addc(-u0).scale(0.5)
		w = u.add(u.scale(-1 / b).addc(u0 / b).exp().scale(a)).sub(h.add(h.mul(h).addc(0.25 * c * c).sqrt()).log())
	}
	r := u.sub(w.add(w.log())) // the guess's residual
	k := w.addc(1)
	return w.mul(r.div(k).add(r.mul(r).scale(0.5).div(k.mul(k).mul(k))).addc(1))
}
