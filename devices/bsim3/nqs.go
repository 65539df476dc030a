package bsim3

import (
	"math"

	"github.com/gospice/gospice/devices"
)

// The non-quasi-static models of the BSIM3v3.3 manual, built on the channel's relaxation
// time tau (1/tau = tconst |qcheq| + 16 u0 vtm / leffCV^2, model.go):
//
//   - nqsmod 1, the charge-deficit model: an internal node holds the deficit
//     Qdef = Qcheq - Qch of the channel charge from its quasi-static value
//     Qcheq = -(Qg + Qb), relaxing as dQdef/dt = dQcheq/dt - Qdef/tau. The intrinsic
//     charges leave the terminals; the current Qdef/tau leaves the gate and enters the
//     drain and the source in the ratio of the quasi-static drain and source charges.
//     Its small-signal model in .ac is the node's own.
//   - acnqsmod 1, in .ac: the channel current and the channel's drain and source charges
//     respond through one pole at tau, x/(1 + j omega tau); the bulk charge stays
//     quasi-static and the gate's follows from charge neutrality. With nqsmod 1 too, the
//     deficit node is left isolated in .ac, as ngspice does.

// nqsScale is the deficit node's unit: it holds Qdef / 1e-9 C, as in ngspice, so that
// its value is of the size of a node voltage for the convergence tests.
const nqsScale = 1e-9

// rowQ adds m typ y to the deficit node's entry of vec and m times y's derivatives to its
// matrix row.
func (r *run) rowQ(vec, mat []float64, y dual) {
	m := r.s.mult
	vec[r.q] += m * r.s.typ * y.v
	mat[r.hq[tD]] += m * y.dd
	mat[r.hq[tG]] += m * y.dg
	mat[r.hq[tS]] -= m * (y.dg + y.dd + y.db)
	mat[r.hq[tB]] += m * y.db
}

// stampDeficit writes nqsmod's deficit node: its equation
// d(Qdef - Qcheq)/dt + Qdef/tau = 0 and the relaxation current Qdef/tau from the gate to
// the drain and the source.
func (r *run) stampDeficit(ctx *devices.Context, ev *eval, dv [3]float64) {
	s := r.s
	m, typ := s.mult, s.typ
	q := typ * ctx.X[r.q] // the node in the n-channel frame
	qcheq := add(ev.qdi, ev.qsi)
	// 1e-9/tau; in .op, where no charge is computed, its diffusion part alone.
	rate := dual{v: s.gtauDiff}
	if ev.charged {
		drift := scale(qcheq, s.tconst)
		if drift.v < 0 {
			drift = neg(drift)
		}
		rate = addc(drift, s.gtauDiff)
	}
	rate = at(scale(rate, nqsScale), dv)
	idef := scale(rate, q) // Qdef/tau, by the bias (its slope by the node is rate.v)

	// The drain's share: its quasi-static charge over the channel's, or, where the channel
	// is nearly empty (and in .op), xpart's ratio for the local drain (ngspice's 0.4 in .op).
	local := 0.4
	switch {
	case s.xpart > 0.5:
		local = 0
	case s.xpart == 0.5:
		local = 0.5
	}
	if !ev.charged {
		local = 0.4
	}
	share := dual{v: local}
	if ev.mode < 0 {
		share.v = 1 - local
	}
	if ev.charged && math.Abs(qcheq.v) > 1e-5*s.coxWL {
		share = at(div(ev.qdi, qcheq), dv)
	}
	r.row(ctx.F, ctx.G, tG, neg(idef))
	r.row(ctx.F, ctx.G, tD, mul(share, idef))
	r.row(ctx.F, ctx.G, tS, mul(addc(neg(share), 1), idef))
	r.rowQ(ctx.F, ctx.G, idef)
	ctx.G[r.hgq] -= m * rate.v
	ctx.G[r.hdq] += m * share.v * rate.v
	ctx.G[r.hsq] += m * (1 - share.v) * rate.v
	ctx.G[r.hq[4]] += m * rate.v
	if ev.charged {
		r.rowQ(ctx.Q, ctx.C, at(neg(qcheq), dv))
		ctx.Q[r.q] += typ * m * nqsScale * q
		ctx.C[r.hq[4]] += m * nqsScale
	}
}

// acNQS turns the quasi-static admittance that stamp wrote into that of acnqsmod 1, as
// the BSIM3v3.3 manual's AC NQS model has it: the channel current and the channel's
// drain and source charges respond through one pole at the channel's relaxation time
// tau, x/(1 + j omega tau), the bulk charge stays quasi-static and the gate's follows
// from charge neutrality, -(qd + qs + qb). 1/tau = tconst |qcheq| + 16 u0 vtm / leff^2.
func (r *run) acNQS(ctx *devices.Context, ev *eval) {
	s := r.s
	qcheq := add(ev.qdi, ev.qsi)
	tau := 1 / (math.Abs(s.tconst*qcheq.v) + s.gtauDiff)
	w := 2 * math.Pi * ctx.Hertz
	wt := w * tau
	re := 1 / (1 + wt*wt) // Re 1/(1 + j omega tau)
	imOverW := -tau * re  // Im 1/(1 + j omega tau), over omega
	// A current y: (re - 1) y' more in G, imOverW y' in C. A charge y, whose admittance is
	// j omega y': (re - 1) y' more in C, omega^2 tau re y' in G.
	r.rowAC(ctx, tD, ev.ids, re-1, imOverW)
	r.rowAC(ctx, tS, neg(ev.ids), re-1, imOverW)
	gq := w * w * tau * re
	r.rowAC(ctx, tD, ev.qdi, gq, re-1)
	r.rowAC(ctx, tS, ev.qsi, gq, re-1)
	r.rowAC(ctx, tG, neg(qcheq), gq, re-1)
}

// rowAC adds m times y's derivatives, scaled by g and c, to terminal k's rows of G and C.
func (r *run) rowAC(ctx *devices.Context, k int, y dual, g, c float64) {
	m := r.s.mult
	h := &r.h[k]
	for _, e := range [...]struct {
		mat []float64
		f   float64
	}{{ctx.G, g}, {ctx.C, c}} {
		e.mat[h[tD]] += m * e.f * y.dd
		e.mat[h[tG]] += m * e.f * y.dg
		e.mat[h[tS]] -= m * e.f * (y.dg + y.dd + y.db)
		e.mat[h[tB]] += m * e.f * y.db
	}
}

// AdmittanceReadsFrequency reports whether the device's small-signal admittance depends
// on the frequency (acnqsmod 1): see devices.AdmittanceByFrequency.
func (r *run) AdmittanceReadsFrequency() bool { return r.s.acnqs }
