package devices

import "math"

// This file puts an early BSIM's evaluation together: its level's channel (current and
// charges) in the local frame, the junctions and the overlaps.

// bsimEval is an early BSIM evaluated at voltages v (vgs, vds, vbs; n-channel frame).
type bsimEval struct {
	v          [3]float64
	id         dual // the channel current, drain to source
	ibs, ibd   dual // the junction currents, bulk to source and bulk to drain
	qg, qd, qb dual // the gate, drain and bulk charges: intrinsic, overlap and junction
	charged    bool
	von, vdsat float64 // the threshold and saturation voltage in the local frame
}

// evaluate evaluates the device at v with gmin across its junctions, and its charges
// when withCharge.
func (d *EarlyBSIM) evaluate(ev *bsimEval, v [3]float64, gmin float64, withCharge bool) {
	vgs, vds, vbs := v[0], v[1], v[2]
	ev.v = v
	// The equations are the local frame's (the source the lower of drain and source);
	// the seeds carry the derivatives by the terminal voltages through them.
	vg, vd, vb := dual{v: vgs, g: 1}, dual{v: vds, d: 1}, dual{v: vbs, b: 1}
	reversed := vds < 0
	if reversed {
		vg = dual{v: vgs - vds, g: 1, d: -1}
		vd = dual{v: -vds, d: -1}
		vb = dual{v: vbs - vds, d: -1, b: 1}
	}
	c := &d.c
	ev.id, ev.von, ev.vdsat = d.ch.current(vg, vd, vb)
	if reversed {
		ev.id = ev.id.scale(-1)
	}
	vbd := vbs - vds
	i, g := c.junctionCurrent(vbs, c.isatS, gmin)
	ev.ibs = dual{v: i, b: g}
	i, g = c.junctionCurrent(vbd, c.isatD, gmin)
	ev.ibd = dual{v: i, d: -g, b: g}
	ev.charged = withCharge
	if !withCharge {
		return
	}
	qg, qb, qd := d.ch.charges(vg, vd, vb)
	if reversed { // the local drain is the source
		qd = qg.add(qb).add(qd).scale(-1)
	}
	// Overlap charges, in the terminal frame.
	qgso := dual{v: vgs, g: 1}.scale(c.ovGS)
	qgdo := dual{v: vgs - vds, g: 1, d: -1}.scale(c.ovGD)
	qgbo := dual{v: vgs - vbs, g: 1, b: -1}.scale(c.ovGB)
	q, cap := c.junctionCharge(vbs, c.czbs, c.czbssw)
	qbs := dual{v: q, b: cap}
	q, cap = c.junctionCharge(vbd, c.czbd, c.czbdsw)
	qbd := dual{v: q, d: -cap, b: cap}
	ev.qg = qg.add(qgso).add(qgdo).add(qgbo)
	ev.qd = qd.sub(qgdo).sub(qbd)
	ev.qb = qb.sub(qgbo).add(qbd).add(qbs)
}

// junctionCurrent is an early BSIM's junction's current at v and its conductance: linear in
// reverse bias (isat/vt), exponential forward, with gmin across it. ngspice's BSIM1 and BSIM2
// load gmin twice into the current (once in it, once more in its right-hand side) and
// once into the conductance: so does this, the conductance consistent.
func (c *bsimConst) junctionCurrent(v, isat, gmin float64) (float64, float64) {
	if v <= 0 {
		g := isat / bsimVt
		return (g + 2*gmin) * v, g + 2*gmin
	}
	e := math.Exp(math.Min(v/bsimVt, mosMaxExp))
	return isat*(e-1) + 2*gmin*v, isat*e/bsimVt + 2*gmin
}

// junctionCharge is an early BSIM's junction's depletion charge at v and its capacitance, of
// bottom and sidewall zero-bias capacitances cz and czsw: in reverse bias each part's
// (1 - v/pb)^-mj law, forward its second-order Taylor series at 0.
func (c *bsimConst) junctionCharge(v, cz, czsw float64) (float64, float64) {
	if cz == 0 && czsw == 0 {
		return 0, 0
	}
	if v >= 0 {
		s := cz*c.mj/c.pb + czsw*c.mjsw/c.pbsw
		return v*(cz+czsw) + v*v*s/2, cz + czsw + v*s
	}
	arg, argsw := 1-v/c.pb, 1-v/c.pbsw
	sarg, sargsw := math.Exp(-c.mj*math.Log(arg)), math.Exp(-c.mjsw*math.Log(argsw))
	q := c.pb*cz*(1-arg*sarg)/(1-c.mj) + c.pbsw*czsw*(1-argsw*sargsw)/(1-c.mjsw)
	return q, cz*sarg + czsw*sargsw
}
