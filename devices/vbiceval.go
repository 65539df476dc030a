package devices

import "math"

// The VBIC's branches: the currents and charges its equations give, each flowing from
// one node to another. vbicBranches says where each goes.
const (
	brIBE  = iota // B' -> E': intrinsic base-emitter current
	brIBEX        // BX -> E': extrinsic base-emitter current
	brICE         // C' -> E': transport current
	brIBC         // B' -> C': base-collector current less weak avalanche
	brIBEP        // BX -> BP: parasitic base-emitter current
	brIRCX        // C -> CX
	brIRCI        // CX -> C': the epi's current (Kull's quasi-saturation)
	brIRBX        // B -> BX
	brIRBI        // BX -> B': modulated by qb
	brIRE         // E -> E'
	brIRBP        // BP -> CX: modulated by qbp
	brIBCP        // SI -> BP: parasitic base-collector current
	brICCP        // BX -> SI: parasitic transport current
	brIRS         // S -> SI
	brITH         // T -> ground: the heat flow through rth less the power dissipated
	brQBE         // charges from here on
	brQBEX
	brQBC
	brQBCX // B' -> CX
	brQBEP
	brQBCP
	brQBEO // B -> E overlap
	brQBCO // B -> C overlap
	brQTH  // T -> ground: cth
	vbicNB
)

// vbicEval holds one evaluation of the model: every branch's value and derivatives.
type vbicEval [vbicNB]vdual

// eval computes the branch currents (and, when charges is set, the charges) at the
// controlling voltages v with the temperature-mapped values t, unscaled by area and m.
func (d *VBIC) eval(v *[vbicNC]float64, t *vbicAtT, out *vbicEval, charges bool) {
	m := &d.model
	for i := range out {
		out[i] = vdual{}
	}
	vbei, vbex, vbci, vbcx := vvar(vcBEI, v[vcBEI]), vvar(vcBEX, v[vcBEX]), vvar(vcBCI, v[vcBCI]), vvar(vcBCX, v[vcBCX])
	vbep, vbcp := vvar(vcBEP, v[vcBEP]), vvar(vcBCP, v[vcBCP])
	vtv := t.vtv

	// The depletion charges normalized by their zero-bias capacitance: the Early effect
	// takes them too.
	qdbe := vbicQj(vbei, t.pe, m.me, m.fc, m.aje)
	qdbc := vbicQjRT(vbci, t.pc, m.mc, m.fc, m.ajc, m.vrt, m.art)

	ifi, iri, q1, qb := d.transport(vbei, vbci, qdbe, qdbc, t)
	itzf := ifi.div(qb)
	itzr := iri.div(qb)

	// The parasitic (substrate) transistor.
	ifp, qbp, iccp := vdual{}, vc(1), vdual{}
	if t.isp.v > 0 {
		arg := vtv.scale(m.nfp)
		ifp = vexp(vbep.div(arg)).scale(m.wsp).add(vexp(vbci.div(arg)).scale(1 - m.wsp)).plus(-1).mul(t.isp)
		qbp = vsqrt(ifp.scale(4 * inv(m.ikp)).plus(1)).plus(1).scale(0.5)
		irp := vexp(vbcp.div(arg)).plus(-1).mul(t.isp)
		iccp = ifp.sub(irp).div(qbp)
	}

	// Base-emitter currents, split between the intrinsic and extrinsic junction by wbe,
	// with the breakdown current when vbbe is set.
	beCurrent := func(vj vdual) vdual {
		i := vexp(vj.div(vtv.scale(m.nei))).plus(-1).mul(t.ibei).
			add(vexp(vj.div(vtv.scale(m.nen))).plus(-1).mul(t.iben))
		if t.vbbe.v > 0 {
			x := vexp(t.vbbe.add(vj).div(t.nbbe.mul(vtv)).scale(-1)).sub(t.ebbe)
			i = i.sub(x.scale(m.ibbe))
		}
		return i
	}
	switch m.wbe {
	case 1:
		out[brIBE] = beCurrent(vbei)
	case 0:
		out[brIBEX] = beCurrent(vbex)
	default:
		out[brIBE] = beCurrent(vbei).scale(m.wbe)
		out[brIBEX] = beCurrent(vbex).scale(1 - m.wbe)
	}

	ibcj := vexp(vbci.div(vtv.scale(m.nci))).plus(-1).mul(t.ibci).
		add(vexp(vbci.div(vtv.scale(m.ncn))).plus(-1).mul(t.ibcn))
	if t.ibeip.v > 0 || t.ibenp.v > 0 {
		out[brIBEP] = vexp(vbep.div(vtv.scale(m.nci))).plus(-1).mul(t.ibeip).
			add(vexp(vbep.div(vtv.scale(m.ncn))).plus(-1).mul(t.ibenp))
	}
	// Weak avalanche in the base-collector junction.
	igc := vdual{}
	if m.avc1 > 0 {
		x := t.pc.sub(vbci)
		vl := vsqrt(x.mul(x).plus(0.01)).add(x).scale(0.5)
		avalf := vl.mul(vexp(vpow(vl, m.mc-1).mul(t.avc2).scale(-1))).scale(m.avc1)
		igc = itzf.sub(itzr).sub(ibcj).mul(avalf)
	}
	out[brIBC] = ibcj.sub(igc)
	out[brICE] = itzf.sub(itzr)

	// Resistances; the epi's (rci) with quasi-saturation.
	if t.rcx.v > 0 {
		out[brIRCX] = vvar(vcRCX, v[vcRCX]).div(t.rcx)
	}
	kbci := vsqrt(vexp(vbci.div(vtv)).mul(t.gamm).plus(1))
	kbcx := vsqrt(vexp(vbcx.div(vtv)).mul(t.gamm).plus(1))
	if t.rci.v > 0 {
		vrci := vvar(vcRCI, v[vcRCI])
		rkp1 := kbci.plus(1).div(kbcx.plus(1))
		iohm := vrci.add(vtv.mul(kbci.sub(kbcx).sub(vlog(rkp1)))).div(t.rci)
		ivo := vdual{}
		if t.vo.v > 0 {
			ivo = vc(1).div(t.vo)
		}
		derf := ivo.mul(t.rci).mul(iohm).div(ivo.mul(vsqrt(vrci.mul(vrci).plus(0.01))).scale(0.5 * inv(m.hrcf)).plus(1))
		out[brIRCI] = iohm.div(vsqrt(derf.mul(derf).plus(1)))
	}
	if t.rbx.v > 0 {
		out[brIRBX] = vvar(vcRBX, v[vcRBX]).div(t.rbx)
	}
	if t.rbi.v > 0 {
		out[brIRBI] = vvar(vcRBI, v[vcRBI]).mul(qb).div(t.rbi)
	}
	if t.re.v > 0 {
		out[brIRE] = vvar(vcRE, v[vcRE]).div(t.re)
	}
	if t.rbp.v > 0 {
		out[brIRBP] = vvar(vcRBP, v[vcRBP]).mul(qbp).div(t.rbp)
	}
	if t.ibcip.v > 0 || t.ibcnp.v > 0 {
		out[brIBCP] = vexp(vbcp.div(vtv.scale(m.ncip))).plus(-1).mul(t.ibcip).
			add(vexp(vbcp.div(vtv.scale(m.ncnp))).plus(-1).mul(t.ibcnp))
	}
	out[brICCP] = iccp
	if t.rs.v > 0 {
		out[brIRS] = vvar(vcRS, v[vcRS]).div(t.rs)
	}
	if d.selfHeat {
		d.heat(v, out)
	}

	if !charges {
		return
	}
	out[brQBE] = qdbe.mul(t.cje).scale(m.wbe).add(d.transitTime(ifi, q1, vbci).mul(ifi).div(qb))
	if m.wbe != 1 {
		qdbex := vbicQj(vbex, t.pe, m.me, m.fc, m.aje)
		out[brQBEX] = qdbex.mul(t.cje).scale(1 - m.wbe)
	}
	out[brQBC] = qdbc.mul(t.cjc).add(iri.scale(m.tr)).add(kbci.scale(m.qco))
	out[brQBCX] = kbcx.scale(m.qco)
	qdbep := vbicQjRT(vbep, t.pc, m.mc, m.fc, m.ajc, m.vrt, m.art)
	out[brQBEP] = qdbep.mul(t.cjep).add(ifp.scale(m.tr))
	if t.cjcp.v > 0 {
		out[brQBCP] = vbicQj(vbcp, t.ps, m.ms, m.fc, m.ajs).mul(t.cjcp)
	}
	out[brQBCP] = out[brQBCP].add(vbcp.scale(m.ccso))
	out[brQBEO] = vvar(vcBE, v[vcBE]).scale(m.cbeo)
	out[brQBCO] = vvar(vcBC, v[vcBC]).scale(m.cbco)
	if d.selfHeat {
		out[brQTH] = vvar(vcRTH, v[vcRTH]).scale(m.cth)
	}
}

// transport gives the forward and reverse transport currents ifi and iri at the
// intrinsic junction voltages, with the normalized base charge qb they flow over (the
// transport current is (ifi - iri)/qb) and its Early-effect part q1, from the junctions'
// normalized depletion charges qdbe and qdbc.
func (d *VBIC) transport(vbei, vbci, qdbe, qdbc vdual, t *vbicAtT) (ifi, iri, q1, qb vdual) {
	m := &d.model
	ifi = vexp(vbei.div(t.nf.mul(t.vtv))).plus(-1).mul(t.is)
	iri = vexp(vbci.div(t.nr.mul(t.vtv))).plus(-1).mul(t.is.mul(t.isrr))
	q1z := qdbe.scale(inv(m.ver)).add(qdbc.scale(inv(m.vef))).plus(1)
	q1 = vbicSmoothMax(q1z)
	q2 := iri.scale(inv(m.ikr))
	if t.ikf.v > 0 {
		q2 = q2.add(ifi.div(t.ikf))
	}
	if m.qbm < 0.5 {
		qb = q1.add(vpow(vpow(q1, 1/m.nkf).add(q2.scale(4)), m.nkf)).scale(0.5)
	} else {
		qb = q1.mul(vpow(q2.scale(4).plus(1), m.nkf).plus(1)).scale(0.5)
	}
	return ifi, iri, q1, qb
}

// transitTime is the forward transit time tff: tf raised by qtf with the base-width
// modulation q1 and by xtf with the current (itf) and the base-collector voltage (vtf).
func (d *VBIC) transitTime(ifi, q1, vbci vdual) vdual {
	m := &d.model
	if ifi.v <= 0 {
		return q1.scale(m.tf * m.qtf).plus(m.tf)
	}
	sl := 0.0
	if !(m.itf > 0) {
		sl = 1
	}
	rif := ifi.scale(inv(m.itf))
	mif := rif.div(rif.plus(1))
	x := vexp(vbci.scale(inv(m.vtf) / 1.44))
	return q1.scale(m.qtf).plus(1).mul(x.mul(mif.mul(mif).plus(sl)).scale(m.xtf).plus(1)).scale(m.tf)
}

// heat sets the thermal branch: the heat flowing out through rth less the power the
// device dissipates (every branch's current times its voltage).
func (d *VBIC) heat(v *[vbicNC]float64, out *vbicEval) {
	vv := func(k int) vdual { return vvar(k, v[k]) }
	p := out[brIBE].mul(vv(vcBEI)).
		add(out[brIBC].mul(vv(vcBCI))).
		add(out[brICE].mul(vv(vcBEI).sub(vv(vcBCI)))).
		add(out[brIBEX].mul(vv(vcBEX))).
		add(out[brIBEP].mul(vv(vcBEP))).
		add(out[brIRS].mul(vv(vcRS))).
		add(out[brIBCP].mul(vv(vcBCP))).
		add(out[brICCP].mul(vv(vcBEP).sub(vv(vcBCP)))).
		add(out[brIRCX].mul(vv(vcRCX))).
		add(out[brIRCI].mul(vv(vcRCI))).
		add(out[brIRBX].mul(vv(vcRBX))).
		add(out[brIRBI].mul(vv(vcRBI))).
		add(out[brIRE].mul(vv(vcRE))).
		add(out[brIRBP].mul(vv(vcRBP)))
	out[brITH] = vv(vcRTH).scale(inv(d.model.rth)).sub(p)
}

// vbicSmoothMax is q1z kept above 1e-4, smoothly.
func vbicSmoothMax(q1z vdual) vdual {
	x := q1z.plus(-1e-4)
	return vsqrt(x.mul(x).plus(1e-8)).add(x).scale(0.5).plus(1e-4)
}

// inv is 1/x for positive x, else 0: VBIC's convention for a parameter that is off at 0.
func inv(x float64) float64 {
	if x > 0 {
		return 1 / x
	}
	return 0
}

// vbicQj is the VBIC's depletion charge over its zero-bias capacitance, in volts, at
// junction voltage v with built-in potential p and grading m: linear in capacitance
// above fc*p when the smoothing a is not positive, else smoothly limited.
func vbicQj(v, p vdual, m, fc, a float64) vdual {
	dv0 := p.scale(-fc)
	if a <= 0 {
		dvh := v.add(dv0)
		if dvh.v > 0 {
			pwq := math.Pow(1-fc, -1-m)
			qlo := p.scale((1 - pwq*(1-fc)*(1-fc)) / (1 - m))
			qhi := dvh.mul(dvh.mul(vc(0.5 * m).div(p)).plus(1 - fc)).scale(pwq)
			return qlo.add(qhi)
		}
		return vbicQlo(v, p, m)
	}
	mv0 := vsqrt(dv0.mul(dv0).plus(4 * a * a))
	vl0 := dv0.add(mv0).scale(-0.5)
	q0 := p.mul(vpow(vc(1).sub(vl0.div(p)), 1-m)).scale(-1 / (1 - m))
	dv := v.add(dv0)
	mv := vsqrt(dv.mul(dv).plus(4 * a * a))
	vl := dv.sub(mv).scale(0.5).sub(dv0)
	qlo := p.mul(vpow(vc(1).sub(vl.div(p)), 1-m)).scale(-1 / (1 - m))
	return qlo.add(v.sub(vl).add(vl0).scale(math.Pow(1-fc, -m))).sub(q0)
}

// vbicQlo is the depletion charge below the linearization, p (1 - (1 - v/p)^(1-m))/(1-m).
func vbicQlo(v, p vdual, m float64) vdual {
	return p.mul(vc(1).sub(vpow(vc(1).sub(v.div(p)), 1-m))).scale(1 / (1 - m))
}

// vbicQjRT is vbicQj for the base-collector junctions, with the reach-through of the
// collector at -vrt (smoothed by art) when vrt is set.
func vbicQjRT(v, p vdual, m, fc, a, vrt, art float64) vdual {
	if !(vrt > 0) {
		return vbicQj(v, p, m, fc, a)
	}
	dv0 := p.scale(-fc)
	if a <= 0 {
		if v.add(dv0).v > 0 || v.v >= -vrt {
			return vbicQj(v, p, m, fc, a)
		}
		// Beyond reach-through the capacitance stays at its value at -vrt.
		x := vpow(vc(vrt).div(p).plus(1), 1-m)
		lin := v.plus(vrt).scale(1 - m).div(p.plus(vrt))
		return p.mul(vc(1).sub(x.mul(vc(1).sub(lin)))).scale(1 / (1 - m))
	}
	if !(art > 0) {
		return vbicQj(v, p, m, fc, a)
	}
	vnl := func(vn vdual) vdual {
		s1 := vsqrt(vn.plus(-1).mul(vn.plus(-1)).plus(4 * a * a))
		s2 := vsqrt(vn.plus(1).mul(vn.plus(1)).plus(4 * art * art))
		return vn.scale(2).div(s1.add(s2))
	}
	span := vc(vrt).sub(dv0) // vrt - dv0
	vlOf := func(vl vdual) vdual { return vl.mul(span).plus(-vrt).sub(dv0).scale(0.5) }
	vnl0 := vnl(dv0.plus(vrt).div(span))
	vl0 := vlOf(vnl0)
	qlo0 := vbicQlo(vl0, p, m)
	vn := v.scale(2).plus(vrt).add(dv0).div(span)
	vnlv := vnl(vn)
	vl := vlOf(vnlv)
	qlo := vbicQlo(vl, p, m)
	sel := vnlv.plus(1).scale(0.5)
	crt := vpow(vc(vrt).div(p).plus(1), -m)
	cmx := vpow(dv0.div(p).plus(1), -m)
	cl := vc(1).sub(sel).mul(crt).add(sel.mul(cmx))
	ql := v.sub(vl).add(vl0).mul(cl)
	return ql.add(qlo).sub(qlo0)
}
