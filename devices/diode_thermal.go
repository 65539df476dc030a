package devices

import (
	"slices"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// A diode with a thermal node and the thermal flag, and rth0 on its card, heats itself
// as ngspice 39's does (D name a k tj model thermal): the voltage of tj is the rise of the
// junction temperature over the device's (the circuit temperature, or temp=, plus dtemp),
// the power the diode dissipates (its current times the voltage from anode to cathode,
// rs included) flows into tj, and rth0 joins tj to ground, with cth0 in parallel in
// transients. In transients ngspice 39 counts the junction charge's current in that power
// (measured: a diode driven by a sine below conduction heats and cools by tens of K), so
// the charge current is an unknown of its own here, the hidden node d1#heat: its equation
// is x - dq/dt = 0, integrated as the junction's charge is. ngspice 39's .ac keeps the
// thermal loop's conductances but neither cth0, the charges' slopes by the temperature
// nor the charge current (measured: with cjo the gain and phase of v(d) and v(tj) agree
// within 4e-8). Without the flag or rth0 the node is left alone, as in ngspice.

// diodeThermal is what self-heating needs of the card, and the thermal node's entries.
type diodeThermal struct {
	mod                diodeModel
	in                 diodeInstance
	temp, tnom         float64 // the device's temperature without heating, and tnom (K)
	gth, cth           float64 // 1/rth0 and cth0
	tjName             string
	tj                 int
	iq                 int        // the junction charge's current (transients)
	hTT, hTQ, hQQ      mna.Handle // (tj, tj), (tj, iq), (iq, iq)
	hQP, hQN, hQT      mna.Handle // row iq: columns p, n, tj
	hPT, hNT, hFT, hST mna.Handle // column tj: the junction's sides p, n and rs's ends sf, st
	hTP, hTN, hTF, hTS mna.Handle // row tj: the same columns
}

// dioHeatStep is the temperature step (K) of the central differences that give the
// currents' and charges' derivatives by the junction temperature.
const dioHeatStep = 1e-3

// dioThermalFlag reports whether the diode's line has the thermal flag, and the element
// without it (for the area and off).
func dioThermalFlag(e *parser.Element) (bool, *parser.Element) {
	isThermal := func(a parser.Arg) bool { return !a.IsNumber && a.Word == "thermal" }
	if !slices.ContainsFunc(e.Args(), isThermal) {
		return false, e
	}
	plain := *e
	plain.SetArgs(slices.DeleteFunc(slices.Clone(e.Args()), isThermal))
	return true, &plain
}

// selfHeating sets up the thermal node when the line has it with the thermal flag and
// the card gives rth0 (ngspice heats the diode only then); temp is the device's
// temperature (K).
func (d *Diode) selfHeating(e *parser.Element, thermal bool, mod *diodeModel, in *diodeInstance, temp float64) error {
	switch {
	case thermal && len(e.Nodes) < 3:
		return elementError(e, "thermal needs a thermal node: D name anode cathode tj model thermal")
	case len(e.Nodes) < 3 || !thermal || !mod.rth0Given:
		return nil
	case !(mod.rth0 > 0):
		return elementError(e, "rth0 must be positive for self-heating, got %g", mod.rth0)
	case mod.cth0 < 0:
		return elementError(e, "cth0 must not be negative, got %g", mod.cth0)
	}
	d.th = &diodeThermal{mod: *mod, in: *in, temp: temp, tnom: mod.tnom + dioCtoK,
		gth: 1 / mod.rth0, cth: mod.cth0, tjName: e.Nodes[2]}
	return nil
}

func (th *diodeThermal) setup(b *mna.Builder, d *Diode) {
	th.tj = b.Node(th.tjName)
	th.hTT = b.Entry(th.tj, th.tj)
	th.hPT, th.hNT = b.Entry(d.p, th.tj), b.Entry(d.n, th.tj)
	th.hTP, th.hTN = b.Entry(th.tj, d.p), b.Entry(th.tj, d.n)
	th.iq = b.InternalNode(d.name, "heat")
	th.hTQ, th.hQQ = b.Entry(th.tj, th.iq), b.Entry(th.iq, th.iq)
	th.hQP, th.hQN, th.hQT = b.Entry(th.iq, d.p), b.Entry(th.iq, d.n), b.Entry(th.iq, th.tj)
	if d.internal {
		th.hFT, th.hST = b.Entry(d.sf, th.tj), b.Entry(d.st, th.tj)
		th.hTF, th.hTS = b.Entry(th.tj, d.sf), b.Entry(th.tj, d.st)
	}
}

// heated is the diode at the junction temperature of the solution x (d itself without
// self-heating), for reports.
func (d *Diode) heated(x []float64) *Diode {
	if d.th == nil {
		return d
	}
	hot := *d
	hot.temperature(&d.th.mod, &d.th.in, d.th.temp+x[d.th.tj], d.th.tnom)
	return &hot
}

// heatRise is the temperature rise a load evaluates at: X's, limited against the last
// evaluation's except where the junction voltages are not limited either.
func heatRise(ctx *Context, riseX, last float64) float64 {
	switch {
	case ctx.UIC || (ctx.FirstIteration && ctx.InitJunctions):
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		rise, limited := limitRise(riseX, last)
		if limited {
			ctx.Limited = true
		}
		return rise
	}
	return riseX
}

// loadHeated loads a self-heating diode: its parameters at this load's junction
// temperature, the diode there, then the thermal node's equation.
func (r *diodeRun) loadHeated(ctx *Context) {
	th := r.th
	riseX := ctx.X[th.tj]
	r.rise = heatRise(ctx, riseX, r.rise)
	T := th.temp + r.rise
	*r.hot = *r.Diode
	d := r.hot
	d.temperature(&th.mod, &th.in, T, th.tnom)
	r.load(ctx, d)
	th.loadHeat(ctx, d, r.vd, T, riseX-r.rise)
}

// loadHeat adds the currents' and charges' slopes by the junction temperature T (d
// was loaded at T with the junction voltage vj), the dissipated power flowing into tj,
// and rth0 and cth0. dRise is X's rise less T's: the slopes carry the currents to X.
func (th *diodeThermal) loadHeat(ctx *Context, d *Diode, vj, T, dRise float64) {
	x, F, G := ctx.X, ctx.F, ctx.G
	cd, gdj := d.current(vj, ctx.Gmin)
	dIdT, dQdT, dgs := d.heatSlopes(&th.mod, &th.in, T, th.tnom, vj, ctx.Gmin)

	// The junction: its current's slope by T, and its power (i + iq) v at X.
	F[d.p] += dIdT * dRise
	F[d.n] -= dIdT * dRise
	G[th.hPT] += dIdT
	G[th.hNT] -= dIdT
	vjX := x[d.p] - x[d.n]
	iX := cd + gdj*(vjX-vj) + dIdT*dRise + x[th.iq]
	pv := iX + gdj*vjX // the power's slope by the junction voltage
	F[th.tj] -= iX * vjX
	G[th.hTP] -= pv
	G[th.hTN] += pv
	G[th.hTT] -= dIdT * vjX
	G[th.hTQ] -= vjX
	F[th.iq] += x[th.iq]
	G[th.hQQ]++

	// rs: its conductance's slope by T (trs), and its power gs vr^2.
	if d.internal {
		vr := x[d.sf] - x[d.st]
		F[d.sf] += dgs * vr * dRise
		F[d.st] -= dgs * vr * dRise
		G[th.hFT] += dgs * vr
		G[th.hST] -= dgs * vr
		F[th.tj] -= (d.gs + dgs*dRise) * vr * vr
		G[th.hTF] -= 2 * d.gs * vr
		G[th.hTS] += 2 * d.gs * vr
		G[th.hTT] -= dgs * vr * vr
	}

	// rth0 to ground.
	F[th.tj] += th.gth * x[th.tj]
	G[th.hTT] += th.gth
	if ctx.Mode == ModeOP || ctx.Mode == ModeAC {
		return
	}
	// The charges' slope by T, carried to X as the currents are; the junction's charge
	// at X again in the row of its current iq.
	q, c := d.charge(vj, cd, gdj)
	ctx.Q[d.p] += dQdT * dRise
	ctx.Q[d.n] -= dQdT * dRise
	ctx.C[th.hPT] += dQdT
	ctx.C[th.hNT] -= dQdT
	ctx.Q[th.iq] -= q + c*(vjX-vj) + dQdT*dRise
	ctx.C[th.hQP] -= c
	ctx.C[th.hQN] += c
	ctx.C[th.hQT] -= dQdT
	ctx.Q[th.tj] += th.cth * x[th.tj]
	ctx.C[th.hTT] += th.cth
}

// heatSlopes is the slopes by the temperature, at T (K) and the junction voltage vj, of
// the diode's current, its charge and its series conductance: central differences of
// the diode recomputed at T +- dioHeatStep from the card m and the instance in.
func (d *Diode) heatSlopes(m *diodeModel, in *diodeInstance, T, tnom, vj, gmin float64) (dIdT, dQdT, dgs float64) {
	hot, cold := *d, *d
	hot.temperature(m, in, T+dioHeatStep, tnom)
	cold.temperature(m, in, T-dioHeatStep, tnom)
	ch, gh := hot.current(vj, gmin)
	cc, gc := cold.current(vj, gmin)
	qh, _ := hot.charge(vj, ch, gh)
	qc, _ := cold.charge(vj, cc, gc)
	return (ch - cc) / (2 * dioHeatStep), (qh - qc) / (2 * dioHeatStep), (hot.gs - cold.gs) / (2 * dioHeatStep)
}
