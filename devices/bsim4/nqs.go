package bsim4

import (
	"math"

	"github.com/gospice/gospice/devices"
)

// The non-quasi-static models of the BSIM4 manual (chapter 5), both built on the
// channel's relaxation time tau, 1/tau = gcrg / (coxe weffCV leffCV nf), gcrg being the
// channel's share of the gate conductance (xrcrg1 (Ids/Vdseff + xrcrg2 vtm beta)):
//
//   - trnqsmod 1, the charge-deficit model: an internal node holds the deficit
//     Qdef = Qcheq - Qch of the channel charge from its quasi-static value
//     Qcheq = -(Qg + Qb), relaxing as dQdef/dt = dQcheq/dt - Qdef/tau. The intrinsic
//     charges leave the terminals; the current Qdef/tau leaves the gate and enters the
//     drain and the source in the ratio of the quasi-static drain and source charges.
//   - acnqsmod 1, in .ac: the channel current and the channel's drain and source charges
//     respond through one pole at tau, x/(1 + j omega tau); the bulk charge stays
//     quasi-static and the gate's follows from charge neutrality.

// nqsScale is the deficit node's unit: it holds Qdef / 1e-9 C, as in ngspice, so that
// its value is of the size of a node voltage for the convergence tests.
const nqsScale = 1e-9

// carry is y's value carried from its evaluation point by dv along its tangent.
func carry(y dl, dv *bias) float64 { return y.v + y.g*dv[bGS] + y.d*dv[bDS] + y.b*dv[bBS] }

// addRow adds m typ y (carried by dv) to slot k's entry of vec and m times y's
// derivatives to k's matrix row (the source column takes minus their sum).
func (d *Device) addRow(vec, mat []float64, k int, y dl, dv bias) {
	m := d.m
	stampNode(vec, mat, d.n[k], &d.h[k], &y, d.mc.typ*m*carry(y, &dv), m)
}

// stampDeficit writes trnqsmod's deficit node: its equation
// d(Qdef - Qcheq)/dt + Qdef/tau = 0 and the relaxation current Qdef/tau from the gate to
// the drain and the source.
func (d *Device) stampDeficit(ctx *devices.Context, e *evalOut, dv bias) {
	typ, m := d.mc.typ, d.m
	n, h := &d.n, &d.h
	q := typ * ctx.X[n[tQ]]                  // the node in the n-channel frame
	rate := e.gcrg.scale(nqsScale / d.coxWL) // 1e-9/tau
	rv := carry(rate, &dv)
	idef := rate.scale(q) // Qdef/tau, by the bias (its slope by the node is rv)

	// The local drain's share: its quasi-static charge over the channel's, or xpart's
	// ratio where the channel is nearly empty (and in .op, where no charge is computed,
	// ngspice's 0.4).
	share := cst(0.4)
	var qcheq dl
	if e.charged {
		qcheq = e.qint[e.lD].add(e.qint[e.lS])
		switch {
		case math.Abs(qcheq.v) > 1e-5*d.coxWL:
			share = e.qint[e.lD].div(qcheq)
		case d.mc.xpart > 0.5:
			share = cst(0)
		case d.mc.xpart == 0.5:
			share = cst(0.5)
		}
	}
	sv := carry(share, &dv)
	d.addRow(ctx.F, ctx.G, tG, idef.neg(), dv)
	d.addRow(ctx.F, ctx.G, e.lD, share.mul(idef), dv)
	d.addRow(ctx.F, ctx.G, e.lS, share.neg().addc(1).mul(idef), dv)
	d.addRow(ctx.F, ctx.G, tQ, idef, dv)
	ctx.G[h[tG][tQ]] -= m * rv
	ctx.G[h[e.lD][tQ]] += m * sv * rv
	ctx.G[h[e.lS][tQ]] += m * (1 - sv) * rv
	ctx.G[h[tQ][tQ]] += m * rv
	if e.charged {
		d.addRow(ctx.Q, ctx.C, tQ, qcheq.neg(), dv)
		ctx.Q[n[tQ]] += typ * m * nqsScale * q
		ctx.C[h[tQ][tQ]] += m * nqsScale
	}
}

// acNQS turns the quasi-static admittance that stamp wrote into acnqsmod's at ctx.Hertz.
func (d *Device) acNQS(ctx *devices.Context, e *evalOut) {
	if !(e.gcrg.v > 0) {
		return // no relaxation rate: quasi-static
	}
	tau := d.coxWL / e.gcrg.v
	w := 2 * math.Pi * ctx.Hertz
	wt := w * tau
	re := 1 / (1 + wt*wt) // Re 1/(1 + j omega tau)
	imOverW := -tau * re  // Im 1/(1 + j omega tau), over omega
	// A current y: (re - 1) y' more in G, imOverW y' in C. A charge y, whose admittance is
	// j omega y': (re - 1) y' more in C, omega^2 tau re y' in G.
	d.rowAC(ctx, e.lD, e.ids, re-1, imOverW)
	d.rowAC(ctx, e.lS, e.ids.neg(), re-1, imOverW)
	gq := w * w * tau * re
	d.rowAC(ctx, tD, e.qint[tD], gq, re-1)
	d.rowAC(ctx, tS, e.qint[tS], gq, re-1)
	d.rowAC(ctx, tG, e.qint[tD].add(e.qint[tS]).neg(), gq, re-1)
}

// rowAC adds m times y's derivatives, scaled by g and c, to slot k's rows of G and C.
func (d *Device) rowAC(ctx *devices.Context, k int, y dl, g, c float64) {
	m, h := d.m, &d.h[k]
	for _, e := range [...]struct {
		mat []float64
		f   float64
	}{{ctx.G, g}, {ctx.C, c}} {
		e.mat[h[tG]] += m * e.f * y.g
		e.mat[h[tD]] += m * e.f * y.d
		e.mat[h[tB]] += m * e.f * y.b
		e.mat[h[tS]] -= m * e.f * (y.g + y.d + y.b)
	}
}

// AdmittanceReadsFrequency reports whether the device's small-signal admittance depends
// on the frequency (acnqsmod 1): see devices.AdmittanceByFrequency.
func (r *run) AdmittanceReadsFrequency() bool { return r.acnqs }
