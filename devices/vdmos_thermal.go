package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
)

// A VDMOS with the thermal flag and rthjc on its card heats itself, as ngspice 39's does
// (M name d g s tj tc model thermal): the voltage of the node tj is the rise of the
// junction temperature over the device's, and the device dissipates into tj the power of
// its channel, its drain resistance and its body diode. The thermal network is ngspice
// 39's as its matrix has it (measured: with no power, tj - tc is 27 C / rthca times
// rthjc whatever loads tc): rthjc joins tj and tc, rthca joins tc to ground, cthj joins
// tj to ground, and tj receives besides a constant heat flow of the circuit temperature
// in degrees Celsius over rthca. The channel, the drain resistance and the body diode are
// evaluated at the junction temperature at every load.

// vdmosThermal is what self-heating needs of the card, and its unknowns and entries.
type vdmosThermal struct {
	temp, tnom, m, typ    float64 // device temperature and tnom (K), multiplier, type
	mod                   vdmosModelCard
	rthjc, rthca, cthj    float64
	ambient               float64 // the circuit temperature, C (ambient/rthca flows into tj)
	dm                    diodeModel
	din                   diodeInstance
	tj, tc                int
	ckt, vckt             int                       // the written m1#ckttemp and m1#vckttemp (ngspice's vectors)
	hCkt, hVckt, hVcktTj  mna.Handle                // (ckt, ckt), (vckt, vckt), (vckt, tj)
	hjc                   [4]mna.Handle             // rthjc: (tj, tj), (tj, tc), (tc, tj), (tc, tc)
	hRow                  [vdmosHeatCols]mna.Handle // row tj, by vdmosHeatCols
	hColD, hColDp, hColSp mna.Handle                // column tj: rows drain, d', s'
	hColP, hColN          mna.Handle                // ... the body diode's junction sides
}

// The columns of row tj (the power's derivatives).
const (
	hcD = iota // external drain
	hcDp
	hcGp
	hcSp
	hcSF // body diode: rb's ends (anode side first), its junction's anode and cathode sides
	hcST
	hcP
	hcN
	hcTj
	vdmosHeatCols
)

// vdmosHeatStep is the temperature step of the central differences that give the
// currents' derivatives by the junction temperature.
const vdmosHeatStep = 1e-3

func newVDMOSThermal(mod *vdmosModelCard, dm diodeModel, din diodeInstance, typ, m, temp, tnom, ambient float64) *vdmosThermal {
	return &vdmosThermal{temp: temp, tnom: tnom, m: m, typ: typ, mod: *mod, rthjc: mod.rthjc, rthca: mod.rthca,
		cthj: mod.cthj, ambient: ambient, dm: dm, din: din}
}

func (th *vdmosThermal) setup(b *mna.Builder, d *VDMOS) {
	th.tj, th.tc = b.Node(d.nodes[3]), b.Node(d.nodes[4])
	th.hjc = [4]mna.Handle{b.Entry(th.tj, th.tj), b.Entry(th.tj, th.tc), b.Entry(th.tc, th.tj), b.Entry(th.tc, th.tc)}
	bd := d.body
	cols := [vdmosHeatCols]int{d.dExt, d.t[vdD], d.t[vdG], d.t[vdS], bd.sf, bd.st, bd.p, bd.n, th.tj}
	for k, c := range cols {
		th.hRow[k] = b.Entry(th.tj, c)
	}
	th.hColD, th.hColDp, th.hColSp = b.Entry(d.dExt, th.tj), b.Entry(d.t[vdD], th.tj), b.Entry(d.t[vdS], th.tj)
	th.hColP, th.hColN = b.Entry(bd.p, th.tj), b.Entry(bd.n, th.tj)
	th.ckt, th.vckt = b.WrittenNode(d.name, "ckttemp"), b.WrittenNode(d.name, "vckttemp")
	th.hCkt, th.hVckt, th.hVcktTj = b.Entry(th.ckt, th.ckt), b.Entry(th.vckt, th.vckt), b.Entry(th.vckt, th.tj)
}

// at is the channel and the drain conductance at the junction temperature T (K), as
// ngspice 39's self-heating has them: its temperature update at T, then kp and rd
// scaled once more by (T/Tdevice)^mu and (T/Tdevice)^texp0.
func (th *vdmosThermal) at(T float64, base *vdmosChannel) (vdmosChannel, float64) {
	mod := &th.mod
	dt, ratio, rise := T-th.tnom, T/th.tnom, T/th.temp
	ch := *base
	ch.beta = mod.kp * th.m * math.Pow(ratio, mod.mu) * math.Pow(rise, mod.mu)
	ch.von = th.typ * (mod.vto - th.typ*mod.tcvth*dt)
	ch.slope = mod.ksub * (1 + mod.tksub1*dt + mod.tksub2*dt*dt)
	gd := 0.0
	if mod.rd > 0 {
		gd = 1 / (vdmosDrainResistance(mod, th.m, ratio, dt) * math.Pow(rise, mod.texp0))
	}
	return ch, gd
}

// limitRise is SPICE's logarithmic limiting of a temperature's Newton step (steps
// beyond 30 K grow with the logarithm of their size).
func limitRise(vnew, vold float64) (float64, bool) {
	const lim = 30.0
	d := vnew - vold
	if math.Abs(d) <= lim {
		return vnew, false
	}
	return vold + math.Copysign(lim*(1+math.Log(math.Abs(d)/lim)), d), true
}

// vdmosHeat is one load's junction temperature and what depends on it.
type vdmosHeat struct {
	rise, riseX float64 // the evaluated (limited) temperature rise, and X's
	ch          vdmosChannel
	gd, dgd     float64 // drain conductance and its slope by T
}

// heat sets the junction temperature of this load (X's tj, limited against the last
// evaluation), the channel and drain conductance there, and the body diode's parameters.
func (r *vdmosRun) heat(ctx *Context) *vdmosHeat {
	th, h := r.th, &r.heatNow
	h.riseX = ctx.X[th.tj]
	h.rise = heatRise(ctx, h.riseX, r.rise)
	r.rise = h.rise
	T := th.temp + h.rise
	h.ch, h.gd = th.at(T, &r.ch)
	_, gp := th.at(T+vdmosHeatStep, &r.ch)
	_, gm := th.at(T-vdmosHeatStep, &r.ch)
	h.dgd = (gp - gm) / (2 * vdmosHeatStep)
	r.body.Diode.temperature(&th.dm, &th.din, T, th.tnom)
	return h
}

// loadHeat adds the junction node's equation: the dissipated power of the channel
// (current id at vgs, vds with its slopes gm, gds), the drain resistance and the body
// diode flowing in, the thermal network, and the currents' slopes by the temperature.
func (r *vdmosRun) loadHeat(ctx *Context, h *vdmosHeat, vgs, vds, vgsX, vdsX, id, gm, gds float64) {
	d, th := r.VDMOS, r.th
	x, F, G := ctx.X, ctx.F, ctx.G
	T := th.temp + h.rise
	dRise := h.riseX - h.rise

	// The channel: its slope by T, and its power id vds at X.
	chp, _ := th.at(T+vdmosHeatStep, &r.ch)
	chm, _ := th.at(T-vdmosHeatStep, &r.ch)
	ip, _, _ := chp.channel(vgs, vds)
	im, _, _ := chm.channel(vgs, vds)
	dIdT := (ip - im) / (2 * vdmosHeatStep)
	F[d.t[vdD]] += d.typ * dIdT * dRise
	F[d.t[vdS]] -= d.typ * dIdT * dRise
	G[th.hColDp] += d.typ * dIdT
	G[th.hColSp] -= d.typ * dIdT
	idX := id + gm*(vgsX-vgs) + gds*(vdsX-vds) + dIdT*dRise
	pg, pd := gm*vdsX, gds*vdsX+idX // the channel power's slopes by vgs and vds
	F[th.tj] -= idX * vdsX
	G[th.hRow[hcGp]] -= d.typ * pg
	G[th.hRow[hcDp]] -= d.typ * pd
	G[th.hRow[hcSp]] += d.typ * (pg + pd)
	G[th.hRow[hcTj]] -= dIdT * vdsX

	// The drain resistance: its current's slope by T, and its power gd vrd^2.
	if h.gd != 0 {
		vrd := x[d.dExt] - x[d.t[vdD]]
		F[d.dExt] += h.dgd * vrd * dRise
		F[d.t[vdD]] -= h.dgd * vrd * dRise
		G[th.hColD] += h.dgd * vrd
		G[th.hColDp] -= h.dgd * vrd
		F[th.tj] -= h.gd * vrd * vrd
		G[th.hRow[hcD]] -= 2 * h.gd * vrd
		G[th.hRow[hcDp]] += 2 * h.gd * vrd
		G[th.hRow[hcTj]] -= h.dgd * vrd * vrd
	}
	r.loadBodyHeat(ctx, T, dRise)

	th.loadNetwork(ctx)
}

// loadBodyHeat adds the body diode's current slope by T (the diode was loaded at T) and
// its power, junction and rb, into the junction node.
func (r *vdmosRun) loadBodyHeat(ctx *Context, T, dRise float64) {
	th, bd := r.th, r.body.Diode
	x, F, G := ctx.X, ctx.F, ctx.G
	vj := r.body.vd
	cd, gdj := bd.current(vj, ctx.Gmin)
	dIdT, dQdT, _ := bd.heatSlopes(&th.dm, &th.din, T, th.tnom, vj, ctx.Gmin)
	if ctx.Mode != ModeOP {
		// The charges' slope by T, carried to X with the diode's own linearization.
		ctx.Q[bd.p] += dQdT * dRise
		ctx.Q[bd.n] -= dQdT * dRise
		ctx.C[th.hColP] += dQdT
		ctx.C[th.hColN] -= dQdT
	}
	F[bd.p] += dIdT * dRise
	F[bd.n] -= dIdT * dRise
	G[th.hColP] += dIdT
	G[th.hColN] -= dIdT
	vjX := x[bd.p] - x[bd.n]
	iX := cd + gdj*(vjX-vj) + dIdT*dRise
	pj := iX + gdj*vjX // the junction power's slope by vj
	F[th.tj] -= iX * vjX
	G[th.hRow[hcP]] -= pj
	G[th.hRow[hcN]] += pj
	G[th.hRow[hcTj]] -= dIdT * vjX
	if bd.internal {
		vrb := x[bd.sf] - x[bd.st]
		F[th.tj] -= bd.gs * vrb * vrb
		G[th.hRow[hcSF]] -= 2 * bd.gs * vrb
		G[th.hRow[hcST]] += 2 * bd.gs * vrb
	}
}

// loadNetwork adds the thermal network: rthjc from tj to tc, rthca from tc to ground,
// the ambient's heat flow into tj, and (in transients) twice cthj from tj to ground.
func (th *vdmosThermal) loadNetwork(ctx *Context) {
	x, F, G := ctx.X, ctx.F, ctx.G
	stampSeries(ctx, 1/th.rthjc, th.tj, th.tc, th.hjc[0], th.hjc[1], th.hjc[2], th.hjc[3])
	F[th.tc] += x[th.tc] / th.rthca
	G[th.hjc[3]] += 1 / th.rthca
	F[th.tj] -= th.ambient * ctx.SrcFactor / th.rthca
	th.loadReported(ctx)
	// ngspice 39 integrates a thermal capacitance of twice cthj in transients (it sums
	// the full cthj of two time points where its gate charges sum half capacitances;
	// measured). The same in .ac, so that the electrothermal feedback rolls off where
	// the transient's does.
	if ctx.Mode != ModeOP && th.cthj != 0 {
		ctx.Q[th.tj] += 2 * th.cthj * x[th.tj]
		ctx.C[th.hRow[hcTj]] += 2 * th.cthj
	}
}

// loadReported sets the two vectors ngspice 39 writes for a self-heating VDMOS, as
// unknowns that nothing else depends on: m1#ckttemp, the node of its internal source at
// the circuit temperature (C), and m1#vckttemp, that source's current, (v(tj) - the
// circuit temperature)/rthca (both measured on examples/vdmos/self-heating.sp).
func (th *vdmosThermal) loadReported(ctx *Context) {
	x, F, G := ctx.X, ctx.F, ctx.G
	ambient := th.ambient * ctx.SrcFactor
	F[th.ckt] += x[th.ckt] - ambient
	G[th.hCkt]++
	F[th.vckt] += x[th.vckt] - (x[th.tj]-ambient)/th.rthca
	G[th.hVckt]++
	G[th.hVcktTj] -= 1 / th.rthca
}
