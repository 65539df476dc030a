package devices

import "math"

// HFET is ngspice's HFET1 and HFET2 (a Z element with an nhfet or phfet model of level 5
// or 6): the unified HFET model of Ytterdal, Shur and Fjeldly. Its channel (hfetchannel.go) is a
// two-dimensional electron gas from subthreshold to saturation at nmax, velocity
// saturated, with a smooth knee; its gate junctions are two-exponential diodes behind rgs
// and rgd with a recombination term; its gate charges follow Meyer's partition of the
// channel's capacitance (shared by p); cds is a linear drain-source capacitance; and rd,
// rs, rg, ri, rf are series resistances wired as the MESA's (zNet). HFET2 (level 6) is
// the same channel with nmax moving with temperature (knmax) and a given fringing
// capacitance cf, single-exponential gate diodes (js, n) at the gate node itself, rd and
// rs its only resistances, and no cds.
//
// As in ngspice, the charges are defined by their capacitances (zCharges), and in the
// inverse mode (vds < 0) the channel is evaluated at the gate-source voltage and -vds:
// ngspice's current is odd in vds at a fixed vgs (measured).
type HFET struct {
	zNet
	level int // 5 (HFET1) or 6 (HFET2)

	ch       hfetChannel
	gs, gd   hfetLeak   // HFET1's gate-source and gate-drain junctions (gatemod 0)
	gate1    *hfetGate1 // or its gatemod-1 gate (nil: gatemod 0)
	jslw     float64    // HFET2's gate diodes: saturation current js L W / 2, n kT/q
	nvt      float64
	ggrwl    float64 // the recombination conductance ggr L W / 2 and its decay del
	del      float64
	kappa    float64 // the AC output conductance's rise kappa at fgds, width delf (0: none)
	fgds     float64
	delf     float64
	kappaSet bool
}

// hfetRun is one run of an HFET: the junction voltages of its last evaluation, which
// the next one limits against, and the charges' history.
type hfetRun struct {
	*HFET
	vgs, vgd float64
	zCharges
}

// NewRun returns a Loader with no evaluation yet.
func (d *HFET) NewRun() Loader { return &hfetRun{HFET: d} }

// Load evaluates the device at X, or at SPICE's initial or limited junction voltages
// (then carried to X along its tangents), and adds its currents and (outside .op)
// charges. ngspice limits HFET1's junction voltages by the threshold alone, HFET2's as
// diodes' too.
func (r *hfetRun) Load(ctx *Context) {
	d := r.HFET
	vgs, vgd := d.junctionVoltages(ctx, [2]float64{r.vgs, r.vgd}, d.ch.vto)
	r.vgs, r.vgd = vgs, vgd
	var pt mesaPoint
	r.evaluate(ctx, &pt, vgs, vgd)
	d.stamp(ctx, &pt, ctx.Mode != ModeOP)
}

// evaluate fills pt at the junction voltages vgs, vgd (n-type frame), carried to X along
// the derivatives, and signed for a phfet.
func (r *hfetRun) evaluate(ctx *Context, pt *mesaPoint, vgs, vgd float64) {
	d := r.HFET
	at, shift := d.frame(ctx, d.pol, vgs, vgd)
	vds := vgs - vgd
	inverse := vds < 0
	var out mesaOut
	vsate, vgte := d.ch.current(vgs, math.Abs(vds), &out)
	// The local frame's derivatives by vgs and |vds| as derivatives by the terminals'
	// voltages: vgs = g - s always, and |vds| = d - s or, inverse, s - d.
	flow := func(f *mesaFlow, q dual, sign float64) {
		f.v = sign * q.v
		f.der[mzG] = sign * q.g
		if inverse {
			f.der[mzD] = -sign * q.d
			f.der[mzS] = sign * (q.d - q.g)
		} else {
			f.der[mzD] = sign * q.d
			f.der[mzS] = -sign * (q.g + q.d)
		}
	}
	gmin := ctx.Gmin
	if g := d.gate1; g != nil {
		// gatemod 1: the gate-drain current is the local frame's, as ngspice's (in
		// the inverse mode too, where it still flows to the drain).
		igs := g.source(vgs, d.ch.vt, gmin)
		pt.igs.set(igs.v, mzG, mzS, igs.g)
		igd := g.drain(dual{v: vgs, g: 1}, dual{v: math.Abs(vds), d: 1}, vsate)
		flow(&pt.igd, igd, 1)
		out.id = out.id.add(g.correction(dual{v: math.Abs(vds), d: 1}, vsate, vgte, igd, igs))
	} else {
		i := d.junction(&d.gs, vgs, gmin)
		pt.igs.set(i.v, mzG, mzS, i.g)
		i = d.junction(&d.gd, vgd, gmin)
		pt.igd.set(i.v, mzG, mzD, i.g)
	}
	if ctx.Mode == ModeAC && d.kappaSet && d.delf != 0 {
		out.id.d *= 1 + 0.5*d.kappa*(1+math.Tanh((ctx.Hertz-d.fgds)/d.delf))
	}
	sign := 1.0
	if inverse {
		sign = -1
	}
	flow(&pt.id, out.id, sign)
	if ctx.Mode != ModeOP {
		capGS, capGD := out.cgs, out.cgd
		if inverse {
			capGS, capGD = out.cgd, out.cgs
		}
		var cgs, cgd mesaFlow
		flow(&cgs, capGS, 1)
		flow(&cgd, capGD, 1)
		r.charges(ctx, pt, &at, &cgs, &cgd)
		// cds is linear: its charge is cds vds at every point.
		pt.qds.v = d.ch.cds * (at[mzD] - at[mzS])
		pt.qds.der[mzD], pt.qds.der[mzS] = d.ch.cds, -d.ch.cds
	}
	d.carry(ctx, pt, &shift)
	if d.pol < 0 {
		for _, f := range [...]*mesaFlow{&pt.igs, &pt.igd, &pt.id, &pt.qgs, &pt.qgd, &pt.qds} {
			f.v = -f.v
		}
	}
}

// junction is a gate junction's current at v: HFET1's two-exponential diode behind its
// resistance or HFET2's diode, plus the recombination current ggrwl v exp(-del v / (kT/q)).
func (d *HFET) junction(j *hfetLeak, v, gmin float64) dual {
	vt := d.ch.vt
	var i dual
	if d.level == 6 {
		e := math.Exp(v / d.nvt)
		i = dual{v: d.jslw * (e - 1), g: d.jslw * e / d.nvt}
	} else {
		i = j.current(v, vt, gmin)
	}
	arg := -v * d.del / vt
	e := math.Exp(arg)
	i.v += d.ggrwl * v * e
	i.g += d.ggrwl * e * (1 + arg)
	return i
}

// Accept records the charges at an accepted point from the capacitances there.
func (r *hfetRun) Accept(ctx *Context) {
	d := r.HFET
	x := ctx.X
	v := func(a, b int) float64 { return d.pol * (x[d.t[a]] - x[d.t[b]]) }
	vds := v(mzD, mzS)
	var out mesaOut
	d.ch.current(v(mzG, mzS), math.Abs(vds), &out)
	caps := [2]float64{out.cgs.v, out.cgd.v}
	if vds < 0 {
		caps[0], caps[1] = caps[1], caps[0]
	}
	r.accept(caps, [2]float64{v(mzG, mzSS), v(mzG, mzDD)})
}

// AdmittanceReadsFrequency says whether the output conductance changes with the
// frequency (kappa with delf).
func (r *hfetRun) AdmittanceReadsFrequency() bool {
	return r.kappaSet && r.delf != 0 && r.kappa != 0
}

// hfet2VtLimit is the thermal voltage HFET2's diode limiting steps by: ngspice's kT/q at
// 27 C, whatever the temperature.
const hfet2VtLimit = mosKoverQ * 300.15

// NoiseSources adds nothing: ngspice 39's HFETs have no noise model, not even their
// resistances' thermal noise (measured: a stage's output noise is its load's alone).
func (d *HFET) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	return dst
}
