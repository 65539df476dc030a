package devices

import "math"

// This file holds BSIM1's channel equations, as the BSIM1 papers give them and ngspice
// 39 has them (b1eval.c): the current with its subthreshold part, and the charges of the
// gate, bulk and drain with xpart's partition. They are written on dual numbers (mos3.go's
// dual): every quantity carries its derivatives by the terminal vgs, vds and vbs, so the
// conductances and capacitances are exact where ngspice clamps or approximates a few of
// its own (docs/jfet-mos3.md).

// bsim1Body is the body effect at the local vbs: phi - vbs (phi above vbs = 0), its
// root, and the bulk-charge factor a = 1 + g k1 / (2 sqrt(phi - vbs)), at least 1, with
// g = 1 - 1/(1.744 + 0.8364 (phi - vbs)).
type bsim1Body struct{ vpb, sqrtVpb, a dual }

func (c *bsim1Channel) body(vb dual) bsim1Body {
	vpb := cst(c.phi)
	if vb.v < 0 {
		vpb = vb.scale(-1).addc(c.phi)
	}
	sq := vpb.sqrt()
	g := cst(1).sub(vpb.scale(0.8364).addc(1.744).inv())
	a := g.div(sq).scale(0.5 * c.k1).addc(1)
	if a.v < 1 {
		a = cst(1)
	}
	return bsim1Body{vpb: vpb, sqrtVpb: sq, a: a}
}

// current is the channel current in the local frame at vg, vd >= 0, vb: the strong
// inversion current with the mobility degraded by the gate (u0) and drain (u1) fields
// and interpolated in vds between muz and mus, plus the subthreshold current limited to
// 4.5 vt² beta0 (not when n0 >= 200); with the threshold and the saturation voltage.
func (c *bsim1Channel) current(vg, vd, vb dual) (dual, float64, float64) {
	bd := c.body(vb)
	ugs := vb.scale(c.ugsB).addc(c.ugs)
	if ugs.v <= 0 {
		ugs = cst(0)
	}
	uds := vb.scale(c.udsB).add(vd.addc(-c.vdd).scale(c.udsD)).addc(c.uds)
	if uds.v <= 0 {
		uds = cst(0)
	} else {
		uds = uds.scale(1 / c.leffUm)
	}
	eta := vb.scale(c.etaB).add(vd.addc(-c.vdd).scale(c.etaD)).addc(c.eta)
	switch {
	case eta.v <= 0:
		eta = cst(0)
	case eta.v > 1:
		eta = cst(1)
	}
	vth := bd.sqrtVpb.scale(c.k1).sub(bd.vpb.scale(c.k2)).sub(eta.mul(vd)).addc(c.vfb + c.phi)
	vgst := vg.sub(vth)
	a := bd.a

	var id dual
	vdsat := 0.0
	if vgst.v >= 0 {
		beta := c.beta0At(vd, vb)
		if arg := ugs.mul(vgst).addc(1); arg.v > 1 {
			beta = beta.div(arg)
		}
		vc := uds.mul(vgst).div(a)
		if vc.v < 0 {
			vc = cst(0)
		}
		k := vc.add(vc.scale(2).addc(1).sqrt()).addc(1).scale(0.5)
		vdsat = math.Max(vgst.v/(a.v*math.Sqrt(k.v)), 0)
		if vd.v < vdsat { // triode
			den := uds.mul(vd).addc(1)
			if den.v < 1 {
				den = cst(1)
			}
			id = beta.mul(vgst.sub(a.mul(vd).scale(0.5))).mul(vd).div(den)
		} else {
			id = beta.mul(vgst).mul(vgst).div(a.mul(k)).scale(0.5)
		}
	}
	if c.n0 < 200 {
		id = id.add(c.subthreshold(vgst, vd, vb))
	}
	if id.v < 0 {
		id = cst(0)
	}
	return id, vth.v, vdsat
}

// beta0At is beta at vgs = vth: beta0 + x2mz vbs at vds = 0 and mus + x2ms vbs at vds =
// vdd, joined by a parabola below vdd whose slope at vdd is x3ms, and its tangent above.
func (c *bsim1Channel) beta0At(vd, vb dual) dual {
	atZero := vb.scale(c.beta0B).addc(c.beta0)
	atVdd := vb.scale(c.betaVddB).addc(c.betaVdd)
	if vd.v > c.vdd {
		return atVdd.add(vd.addc(-c.vdd).scale(c.betaVddD))
	}
	vdd := c.vdd
	c1 := atZero.sub(atVdd).addc(c.betaVddD * vdd).scale(1 / (vdd * vdd))
	c2 := atVdd.sub(atZero).scale(2 / vdd).addc(-c.betaVddD)
	return c1.mul(vd).add(c2).mul(vd).add(atZero)
}

// subthreshold is BSIM1's subthreshold current: 6.04965 vt² beta0 exp(vgst/(n vt))
// (1 - exp(-vds/vt)), n = n0 + nb vbs + nd vds (0.5 at least), limited smoothly to
// 4.5 vt² beta0.
func (c *bsim1Channel) subthreshold(vgst, vd, vb dual) dual {
	const vt = bsimVt
	limit := 4.5 * vt * vt * c.beta0
	if limit == 0 {
		return dual{}
	}
	n := vb.scale(c.nb).add(vd.scale(c.nd)).addc(c.n0)
	if n.v < 0.5 {
		n = cst(0.5)
	}
	wds := cst(1).sub(vd.scale(-1 / vt).exp())
	iexp := vgst.div(n.scale(vt)).exp().mul(wds).scale(6.04965 * vt * vt * c.beta0)
	if math.IsInf(iexp.v, 1) {
		return cst(limit)
	}
	return iexp.scale(limit).div(iexp.addc(limit))
}

// charges are the gate, bulk and (local) drain charges of the channel in the
// local frame, with BSIM1's threshold without k2 and eta: accumulation, depletion below
// that threshold, and in inversion the triode and saturated charges, the drain's share
// by xpart (40/60 or 0/100 in saturation).
func (c *bsim1Channel) charges(vg, vd, vb dual) (qg, qb, qd dual) {
	bd := c.body(vb)
	w, a := c.wlCox, bd.a
	vth0 := bd.sqrtVpb.scale(c.k1).addc(c.vfb + c.phi)
	vgst := vg.sub(vth0)
	vgbVfb := vg.sub(vb).addc(-c.vfb)
	pinchoff := math.Max(vgst.v/a.v, 0)
	switch {
	case vgbVfb.v < 0: // accumulation
		qg = vgbVfb.scale(w)
		return qg, qg.scale(-1), dual{}
	case vg.v < vth0.v: // depletion
		qg = vgbVfb.scale(w)
		if k2 := c.k1 * c.k1; k2 != 0 {
			qg = vgbVfb.scale(4 / k2).addc(1).sqrt().addc(-1).scale(0.5 * w * k2)
		}
		return qg, qg.scale(-1), dual{}
	case vd.v < pinchoff: // triode
		arg1 := a.mul(vd)
		arg3 := vd.sub(arg1)
		ent := vgst.sub(arg1.scale(0.5))
		small := ent.v <= 1e-8
		r := cst(2) // arg1/ent
		if !small {
			r = arg1.div(ent)
		}
		r12 := r.scale(1.0 / 12)
		qg = vg.sub(vd.scale(0.5)).add(vd.mul(r12)).addc(-c.vfb - c.phi).scale(w)
		qb = vth0.scale(-1).add(arg3.scale(0.5)).sub(arg3.mul(r12)).addc(c.vfb + c.phi).scale(w)
		if c.xpart0 {
			qd = vgst.scale(0.5).sub(arg1.scale(0.75)).add(arg1.mul(r).scale(0.125)).scale(-w)
			return qg, qb, qd
		}
		share := cst(4.0 / 15)
		if !small {
			vcom := vgst.mul(vgst).scale(1.0 / 6).sub(arg1.mul(vgst).scale(0.125)).add(arg1.mul(arg1).scale(0.025))
			share = vcom.div(ent.mul(ent))
		}
		qd = vgst.sub(arg1).scale(0.5).add(arg1.mul(share)).scale(-w)
		return qg, qb, qd
	default: // saturated
		third := a.scale(3).inv()
		qg = vg.sub(vgst.mul(third)).addc(-c.vfb - c.phi).scale(w)
		qb = vth0.scale(-1).add(cst(1).sub(a).mul(vgst).mul(third)).addc(c.vfb + c.phi).scale(w)
		if !c.xpart0 {
			qd = vgst.scale(-4.0 / 15 * w)
		}
		return qg, qb, qd
	}
}
