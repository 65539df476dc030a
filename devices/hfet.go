package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

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
	pol   float64 // 1 for nhfet, -1 for phfet: the voltages and currents' sign
	level int     // 5 (HFET1) or 6 (HFET2)

	ch       hfetChannel
	gs, gd   hfetLeak // HFET1's gate-source and gate-drain junctions
	jslw     float64  // HFET2's gate diodes: saturation current js L W / 2, n kT/q
	nvt      float64
	vcrit    float64 // HFET2's critical voltage of the gate diodes' limiting
	ggrwl    float64 // the recombination conductance ggr L W / 2 and its decay del
	del      float64
	kappa    float64 // the AC output conductance's rise kappa at fgds, width delf (0: none)
	fgds     float64
	delf     float64
	kappaSet bool

	off     bool
	ic      [2]float64 // icvds, icvgs
	icGiven [2]bool
}

type hfet1ModelCard struct {
	level, vto, lambda, rd, rs, rg, rdi, rsi, rgs, rgd, ri, rf       float64
	eta, mk, mc, gamma, sigma0, vsigmat, vsigma, mu, di, delta, vs   float64
	nmax, deltad, js1d, js2d, js1s, js2s, m1d, m2d, m1s, m2s, epsi   float64
	p, kappa, delf, fgds, tf, cds, eta1, d1, vt1, eta2, d2, vt2, ggr float64
	del, gatemod, klambda, kmu, kvto                                 float64
	vtoGiven, etaGiven, muGiven, vsGiven, kappaGiven, tfGiven        bool
	vt1Given, eta2Given, d2Given, vt2Given                           bool
}

func (m *hfet1ModelCard) params() paramSet {
	return paramSet{what: "HFET1 model", params: []param{
		p("level", 5, "", "model level: 5 (HFET1)", &m.level),
		p("vt0 vto", 0.15, "V", "threshold voltage (nhfet 0.15, phfet -0.15)", &m.vto).withGiven(&m.vtoGiven),
		p("lambda", 0.15, "1/V", "output conductance parameter", &m.lambda),
		p("rd", 0, "ohm", "drain ohmic resistance", &m.rd),
		p("rs", 0, "ohm", "source ohmic resistance", &m.rs),
		p("rg", 0, "ohm", "gate ohmic resistance", &m.rg),
		p("rdi", 0, "ohm", "intrinsic drain resistance (in the current's equations)", &m.rdi),
		p("rsi", 0, "ohm", "intrinsic source resistance (in the current's equations)", &m.rsi),
		p("rgs", 90, "ohm", "resistance in series with the gate-source junction", &m.rgs),
		p("rgd", 90, "ohm", "resistance in series with the gate-drain junction", &m.rgd),
		p("ri", 0, "ohm", "resistance in series with the gate-source capacitance", &m.ri),
		p("rf", 0, "ohm", "resistance in series with the gate-drain capacitance", &m.rf),
		p("eta", 1.28, "", "subthreshold ideality factor (nhfet 1.28, phfet 1.4)", &m.eta).withGiven(&m.etaGiven),
		p("m", 3, "", "knee shape parameter", &m.mk),
		p("mc", 3, "", "knee shape parameter of the capacitances", &m.mc),
		p("gamma", 3, "", "sheet density's and saturation current's saturation exponent", &m.gamma),
		p("sigma0", 0.057, "", "drain-induced threshold shift coefficient", &m.sigma0),
		p("vsigmat", 0.3, "V", "threshold shift's gate voltage", &m.vsigmat),
		p("vsigma", 0.1, "V", "threshold shift's gate voltage scale", &m.vsigma),
		p("mu", 0.4, "m^2/Vs", "low-field mobility (nhfet 0.4, phfet 0.03)", &m.mu).withGiven(&m.muGiven),
		p("di", 0.04e-6, "m", "thickness of the barrier layer", &m.di),
		p("delta", 3, "", "transition width of the effective gate voltage", &m.delta),
		p("vs", 1.5e5, "m/s", "saturation velocity (nhfet 1.5e5, phfet 0.8e5)", &m.vs).withGiven(&m.vsGiven),
		p("nmax", 2e16, "1/m^2", "maximum sheet density", &m.nmax),
		p("deltad", 4.5e-9, "m", "thickness correction of the channel", &m.deltad),
		p("js1d", 1, "A/m^2", "gate-drain junction's first saturation current density", &m.js1d),
		p("js2d", 1.15e6, "A/m^2", "gate-drain junction's second saturation current density", &m.js2d),
		p("js1s", 1, "A/m^2", "gate-source junction's first saturation current density", &m.js1s),
		p("js2s", 1.15e6, "A/m^2", "gate-source junction's second saturation current density", &m.js2s),
		p("m1d", 1.32, "", "gate-drain junction's first ideality factor", &m.m1d),
		p("m2d", 6.9, "", "gate-drain junction's second ideality factor", &m.m2d),
		p("m1s", 1.32, "", "gate-source junction's first ideality factor", &m.m1s),
		p("m2s", 6.9, "", "gate-source junction's second ideality factor", &m.m2s),
		p("epsi", epsGaAs, "F/m", "permittivity of the barrier layer", &m.epsi),
		p("p", 1, "", "share of the channel's capacitance (1: Meyer's partition)", &m.p),
		p("kappa", 0, "", "AC output conductance's relative rise at high frequencies", &m.kappa).withGiven(&m.kappaGiven),
		p("delf", 0, "Hz", "width of the output conductance's rise (AC; 0: none)", &m.delf),
		p("fgds", 0, "Hz", "frequency of the output conductance's rise (AC)", &m.fgds),
		p("tf", 27, "C", "trap temperature of delf and fgds (default the circuit's)", &m.tf).withGiven(&m.tfGiven),
		p("cds", 0, "F", "drain-source capacitance", &m.cds),
		p("eta1", 2, "", "subthreshold ideality factor of the gate capacitance", &m.eta1),
		p("d1", 0.03e-6, "m", "depth of the gate capacitance's subthreshold charge", &m.d1),
		p("vt1", 0, "V", "threshold of the gate capacitance's subthreshold term (default vto + q nmax di / epsi)", &m.vt1).withGiven(&m.vt1Given),
		p("eta2", 2, "", "ideality factor of the second channel (with d2)", &m.eta2).withGiven(&m.eta2Given),
		p("d2", 0.2e-6, "m", "depth of the second channel (with eta2)", &m.d2).withGiven(&m.d2Given),
		p("vt2", 0, "V", "threshold of the second channel (default vto)", &m.vt2).withGiven(&m.vt2Given),
		p("ggr", 40, "S/m^2", "reverse junction conductance per area", &m.ggr),
		p("del", 0.04, "", "reverse junction conductance's voltage decay", &m.del),
		p("gatemod", 0, "", "gate current model: 0 (two-exponential junctions)", &m.gatemod),
		p("klambda", 0, "1/K", "lambda's temperature coefficient: lambda + klambda (T - tnom)", &m.klambda),
		p("kmu", 0, "m^2/VsK", "mobility's temperature coefficient: mu - kmu (T - tnom)", &m.kmu),
		p("kvto", 0, "V/K", "threshold's temperature coefficient: vto - kvto (T - tnom)", &m.kvto),
		accepted("nhfet phfet"),
		// Read by ngspice for gatemod 1 only.
		accepted("phib talpha mt1 mt2 ck1 ck2 cm1 cm2 cm3 astar a1 a2 mv1"),
	}}
}

type hfet1InstanceCard struct {
	l, w, m, temp, dtemp, icvds, icvgs float64
	tempGiven, vdsGiven, vgsGiven      bool
}

func (in *hfet1InstanceCard) params() paramSet {
	return paramSet{what: "HFET", params: []param{
		p("l", 1e-6, "m", "gate length", &in.l),
		p("w", 20e-6, "m", "gate width", &in.w),
		p("m", 1, "", "parallel multiplier", &in.m),
		p("temp", 27, "C", "instance temperature (default the circuit's plus dtemp)", &in.temp).withGiven(&in.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &in.dtemp),
		p("icvds", 0, "V", "initial drain-source voltage", &in.icvds).withGiven(&in.vdsGiven),
		p("icvgs", 0, "V", "initial gate-source voltage", &in.icvgs).withGiven(&in.vgsGiven),
	}}
}

// newHFET builds a Z element of an nhfet or phfet model: HFET1 at level 5, HFET2 at 6.
func newHFET(e *parser.Element, card *parser.Model, where string, env Env) (Device, error) {
	lv, ok := modelLevel(card)
	switch {
	case !ok:
		return nil, elementError(e, "an HFET model needs a level (%s): levels 5 (HFET1) and 6 (HFET2) are supported", where)
	case lv == 6:
		return newHFET2(e, card, where, env)
	case lv != 5:
		return nil, elementError(e, "HFET level %g (%s) is not supported: levels 5 (HFET1) and 6 (HFET2) are", lv, where)
	}
	var mod hfet1ModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var in hfet1InstanceCard
	if err := in.params().apply(e.Params, "on "+e.Name); err != nil {
		return nil, err
	}
	d := &HFET{zNet: zNet{name: e.Name, m: in.m}, pol: 1, level: 5}
	if card.Type == "phfet" {
		d.pol = -1
		mod.phfetDefaults()
	}
	copy(d.nodes[:], e.Nodes)
	for _, a := range e.Args {
		if a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q (an HFET takes l=, w=, off and name=value parameters, no area)", e.Name, argText(a))
		}
		d.off = true
	}
	d.ic = [2]float64{in.icvds, in.icvgs}
	d.icGiven = [2]bool{in.vdsGiven, in.vgsGiven}
	if err := mod.check(e, &in, where); err != nil {
		return nil, err
	}
	temp := env.Temp + in.dtemp + dioCtoK
	if in.tempGiven {
		temp = in.temp + dioCtoK
	}
	if !(temp > 0) {
		return nil, elementError(e, "temperature below absolute zero (%g C)", temp-dioCtoK)
	}
	d.temperature(&mod, &in, temp, env.Temp+dioCtoK, env.TNom+dioCtoK)
	if !(d.ch.gchi0 > 0) {
		return nil, elementError(e, "the mobility at %g C is not positive (%s)", temp-dioCtoK, where)
	}
	return d, nil
}

// phfetDefaults sets a phfet model's own defaults where the card does not give them.
func (m *hfet1ModelCard) phfetDefaults() {
	if !m.vtoGiven {
		m.vto = -0.15
	}
	if !m.etaGiven {
		m.eta = 1.4
	}
	if !m.muGiven {
		m.mu = 0.03
	}
	if !m.vsGiven {
		m.vs = 0.8e5
	}
}

// check refuses the values the equations cannot take.
func (m *hfet1ModelCard) check(e *parser.Element, in *hfet1InstanceCard, where string) error {
	switch {
	case m.gatemod != 0:
		return elementError(e, "gatemod=%g (%s) is not supported: gatemod=0 is", m.gatemod, where)
	case !(in.l > 0) || !(in.w > 0):
		return elementError(e, "l and w must be positive, got l=%g w=%g", in.l, in.w)
	case !(in.m > 0):
		return elementError(e, "m must be positive, got %g", in.m)
	case m.rd < 0 || m.rs < 0 || m.rg < 0 || m.ri < 0 || m.rf < 0 || m.rdi < 0 || m.rsi < 0 || m.rgs < 0 || m.rgd < 0:
		return elementError(e, "rd, rs, rg, ri, rf, rdi, rsi, rgs and rgd must not be negative (%s)", where)
	case !(m.eta > 0) || !(m.vsigma != 0) || !(m.mk > 0) || !(m.mc > 0) || !(m.gamma > 0) || !(m.eta1 > 0):
		return elementError(e, "eta, eta1, m, mc and gamma must be positive and vsigma not zero (%s)", where)
	case !(m.vs > 0) || !(m.nmax > 0) || !(m.epsi > 0) || !(m.di+m.deltad > 0) || !(m.d1 > 0):
		return elementError(e, "vs, nmax, epsi, di + deltad and d1 must be positive (%s)", where)
	case m.eta2Given && m.d2Given && (!(m.eta2 > 0) || !(m.d2 > 0)):
		return elementError(e, "eta2 and d2 must be positive (%s)", where)
	case m.js1s < 0 || m.js2s < 0 || m.js1d < 0 || m.js2d < 0 || !(m.m1s > 0) || !(m.m2s > 0) || !(m.m1d > 0) || !(m.m2d > 0):
		return elementError(e, "js1s, js2s, js1d, js2d must not be negative and m1s, m2s, m1d, m2d must be positive (%s)", where)
	}
	return nil
}

// temperature sets the values the loads use at the instance's temperature temp (K), as
// ngspice 39's HFET1 does: lambda, mu and vto move linearly from tnom (K); kT/q moves the
// sheet densities and the junctions; delf and fgds grow as exp(temp / tf).
func (d *HFET) temperature(mod *hfet1ModelCard, in *hfet1InstanceCard, temp, circuit, tnom float64) {
	ch := &d.ch
	vt := temp * mosKoverQ
	dt := temp - tnom
	vto := d.pol * mod.vto // ngspice's threshold in the n-type frame
	ch.l, ch.w, ch.vt, ch.eta = in.l, in.w, vt, mod.eta
	ch.vto = vto - mod.kvto*dt
	ch.lambda = mod.lambda + mod.klambda*dt
	mu := mod.mu - mod.kmu*dt
	ch.sigma0, ch.vsigmat, ch.vsigma, ch.delta2 = mod.sigma0, mod.vsigmat, mod.vsigma, mod.delta*mod.delta
	ch.n0 = mod.epsi * mod.eta * vt / 2 / dioCharge / (mod.di + mod.deltad)
	if mod.eta2Given && mod.d2Given {
		ch.n02 = mod.epsi * mod.eta2 * vt / 2 / dioCharge / mod.d2
		ch.eta2 = mod.eta2
		ch.vt2 = vto
		if mod.vt2Given {
			ch.vt2 = mod.vt2
		}
	}
	ch.nmax, ch.gamma = mod.nmax, mod.gamma
	ch.imax = dioCharge * mod.nmax * mod.vs * in.w
	ch.gchi0 = dioCharge * in.w * mu / in.l
	ch.rsi, ch.rt = mod.rsi, mod.rsi+mod.rdi
	ch.vl = mod.vs / mu * in.l
	ch.m, ch.mc, ch.pm = mod.mk, mod.mc, mod.p
	ch.cf = 0.5 * mod.epsi * in.w
	ch.eta1, ch.d1, ch.epsi, ch.cds = mod.eta1, mod.d1, mod.epsi, mod.cds
	ch.vt1 = vto + dioCharge*mod.nmax*mod.di/mod.epsi
	if mod.vt1Given {
		ch.vt1 = mod.vt1
	}

	area := in.w * in.l / 2
	d.gs = hfetLeak{is1: mod.js1s * area, is2: mod.js2s * area, m1: mod.m1s, m2: mod.m2s, rs: mod.rgs}
	d.gd = hfetLeak{is1: mod.js1d * area, is2: mod.js2d * area, m1: mod.m1d, m2: mod.m2d, rs: mod.rgd}
	d.ggrwl, d.del = mod.ggr*area, mod.del

	tf := circuit
	if mod.tfGiven {
		tf = mod.tf + dioCtoK
	}
	d.kappa, d.kappaSet = mod.kappa, mod.kappaGiven
	d.fgds = mod.fgds * math.Exp(temp/tf)
	d.delf = mod.delf * math.Exp(temp/tf)

	for k, r := range [5]float64{mzRD: mod.rd, mzRS: mod.rs, mzRG: mod.rg, mzRI: mod.ri, mzRF: mod.rf} {
		if r != 0 {
			d.gR[k] = 1 / r
		}
	}
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
	x := ctx.X
	pol := d.pol
	vgs := pol * (x[d.t[mzG]] - x[d.t[mzS]])
	vgd := pol * (x[d.t[mzG]] - x[d.t[mzD]])
	switch {
	case ctx.Mode == ModeAC:
	case ctx.UIC:
		vds := pol * (x[d.ext[0]] - x[d.ext[2]])
		vgs = pol * (x[d.t[mzG]] - x[d.ext[2]])
		if d.icGiven[0] {
			vds = pol * d.ic[0]
		}
		if d.icGiven[1] {
			vgs = pol * d.ic[1]
		}
		vgd = vgs - vds
	case ctx.FirstIteration && ctx.InitJunctions:
		vgs, vgd = -1, -1
		if d.off {
			vgs, vgd = 0, 0
		}
		ctx.Limited = true
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		var c1, c2, c3, c4 bool
		if d.level == 6 {
			vgs, c3 = mosPNJLim(vgs, r.vgs, hfet2VtLimit, d.vcrit)
			vgd, c4 = mosPNJLim(vgd, r.vgd, hfet2VtLimit, d.vcrit)
		}
		vgs, c1 = mosFetLim(vgs, r.vgs, d.ch.vto)
		vgd, c2 = mosFetLim(vgd, r.vgd, d.ch.vto)
		if c1 || c2 || c3 || c4 {
			ctx.Limited = true
		}
	}
	r.vgs, r.vgd = vgs, vgd
	var pt mesaPoint
	r.evaluate(ctx, &pt, vgs, vgd)
	d.stamp(ctx, &pt, ctx.Mode != ModeOP)
}

// evaluate fills pt at the junction voltages vgs, vgd (n-type frame), carried to X along
// the derivatives, and signed for a phfet.
func (r *hfetRun) evaluate(ctx *Context, pt *mesaPoint, vgs, vgd float64) {
	d := r.HFET
	x := ctx.X
	var xn, at, shift [mzN]float64 // X's terminal voltages, the evaluation's, and X's minus them
	for k := range xn {
		xn[k] = d.pol * x[d.t[k]]
	}
	at = xn
	at[mzG] = at[mzS] + vgs
	at[mzD] = at[mzG] - vgd
	// The nodes behind ri and rf follow the source and drain where they are the same
	// node, and at a uic transient's initial point, where ngspice gives the charges the
	// initial vgs and vgd themselves.
	if d.t[mzSS] == d.t[mzS] || ctx.UIC {
		at[mzSS] = at[mzS]
	}
	if d.t[mzDD] == d.t[mzD] || ctx.UIC {
		at[mzDD] = at[mzD]
	}
	for k := range at {
		shift[k] = xn[k] - at[k]
	}
	gmin := ctx.Gmin
	i := d.junction(&d.gs, vgs, gmin)
	pt.igs.set(i.v, mzG, mzS, i.g)
	i = d.junction(&d.gd, vgd, gmin)
	pt.igd.set(i.v, mzG, mzD, i.g)

	vds := vgs - vgd
	inverse := vds < 0
	var out mesaOut
	d.ch.current(vgs, math.Abs(vds), &out)
	if ctx.Mode == ModeAC && d.kappaSet && d.delf != 0 {
		out.id.d *= 1 + 0.5*d.kappa*(1+math.Tanh((ctx.Hertz-d.fgds)/d.delf))
	}
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

type hfet2ModelCard struct {
	level, cf, d1, d2, del, delta, deltad, di, epsi, eta, eta1, eta2 float64
	gamma, ggr, js, klambda, kmu, knmax, kvto, lambda, mk, mc, mu, n float64
	nmax, p, rd, rdi, rs, rsi, sigma0, vs, vsigma, vsigmat, vto      float64
	vt1, vt2                                                         float64
	vtoGiven, etaGiven, muGiven, vsGiven, eta2Given, d2Given         bool
	vt1Given, vt2Given                                               bool
}

func (m *hfet2ModelCard) params() paramSet {
	return paramSet{what: "HFET2 model", params: []param{
		p("level", 6, "", "model level: 6 (HFET2)", &m.level),
		p("vt0 vto", 0.15, "V", "threshold voltage (nhfet 0.15, phfet -0.15)", &m.vto).withGiven(&m.vtoGiven),
		p("lambda", 0.15, "1/V", "output conductance parameter", &m.lambda),
		p("rd", 0, "ohm", "drain ohmic resistance", &m.rd),
		p("rs", 0, "ohm", "source ohmic resistance", &m.rs),
		p("rdi", 0, "ohm", "intrinsic drain resistance (in the current's equations)", &m.rdi),
		p("rsi", 0, "ohm", "intrinsic source resistance (in the current's equations)", &m.rsi),
		p("eta", 1.28, "", "subthreshold ideality factor (nhfet 1.28, phfet 1.4)", &m.eta).withGiven(&m.etaGiven),
		p("m", 3, "", "knee shape parameter", &m.mk),
		p("mc", 3, "", "knee shape parameter of the capacitances", &m.mc),
		p("gamma", 3, "", "sheet density's and saturation current's saturation exponent", &m.gamma),
		p("sigma0", 0.057, "", "drain-induced threshold shift coefficient", &m.sigma0),
		p("vsigmat", 0.3, "V", "threshold shift's gate voltage", &m.vsigmat),
		p("vsigma", 0.1, "V", "threshold shift's gate voltage scale", &m.vsigma),
		p("mu", 0.4, "m^2/Vs", "low-field mobility (nhfet 0.4, phfet 0.03)", &m.mu).withGiven(&m.muGiven),
		p("di", 0.04e-6, "m", "thickness of the barrier layer", &m.di),
		p("delta", 3, "", "transition width of the effective gate voltage", &m.delta),
		p("vs", 1.5e5, "m/s", "saturation velocity (nhfet 1.5e5, phfet 0.8e5)", &m.vs).withGiven(&m.vsGiven),
		p("nmax", 2e16, "1/m^2", "maximum sheet density", &m.nmax),
		p("deltad", 4.5e-9, "m", "thickness correction of the channel", &m.deltad),
		p("epsi", epsGaAs, "F/m", "permittivity of the barrier layer", &m.epsi),
		p("p", 1, "", "share of the channel's capacitance (1: Meyer's partition)", &m.p),
		p("cf", 0, "F", "fringing capacitance of each side", &m.cf),
		p("eta1", 2, "", "subthreshold ideality factor of the gate capacitance", &m.eta1),
		p("d1", 0.03e-6, "m", "depth of the gate capacitance's subthreshold charge", &m.d1),
		p("vt1", 0, "V", "threshold of the gate capacitance's subthreshold term (default vto + q nmax di / epsi)", &m.vt1).withGiven(&m.vt1Given),
		p("eta2", 2, "", "ideality factor of the second channel (with d2)", &m.eta2).withGiven(&m.eta2Given),
		p("d2", 0.2e-6, "m", "depth of the second channel (with eta2)", &m.d2).withGiven(&m.d2Given),
		p("vt2", 0, "V", "threshold of the second channel (default vto)", &m.vt2).withGiven(&m.vt2Given),
		p("js", 0, "A/m^2", "gate diodes' saturation current density", &m.js),
		p("n", 5, "", "gate diodes' emission coefficient", &m.n),
		p("ggr", 0, "S/m^2", "reverse gate conductance per area", &m.ggr),
		p("del", 0.04, "", "reverse gate conductance's voltage decay", &m.del),
		p("klambda", 0, "1/K", "lambda's temperature coefficient: lambda + klambda (T - tnom)", &m.klambda),
		p("kmu", 0, "m^2/VsK", "mobility's temperature coefficient: mu - kmu (T - tnom)", &m.kmu),
		p("knmax", 0, "1/m^2K", "nmax's temperature coefficient: nmax - knmax (T - tnom)", &m.knmax),
		p("kvto", 0, "V/K", "threshold's temperature coefficient: vto - kvto (T - tnom)", &m.kvto),
		accepted("nhfet phfet"),
	}}
}

// newHFET2 builds an HFET2 (level 6).
func newHFET2(e *parser.Element, card *parser.Model, where string, env Env) (Device, error) {
	var mod hfet2ModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var in hfet1InstanceCard
	if err := in.params().apply(e.Params, "on "+e.Name); err != nil {
		return nil, err
	}
	d := &HFET{zNet: zNet{name: e.Name, m: in.m}, pol: 1, level: 6}
	if card.Type == "phfet" {
		d.pol = -1
		defaults := hfet1ModelCard{vtoGiven: mod.vtoGiven, etaGiven: mod.etaGiven, muGiven: mod.muGiven, vsGiven: mod.vsGiven,
			vto: mod.vto, eta: mod.eta, mu: mod.mu, vs: mod.vs}
		defaults.phfetDefaults()
		mod.vto, mod.eta, mod.mu, mod.vs = defaults.vto, defaults.eta, defaults.mu, defaults.vs
	}
	copy(d.nodes[:], e.Nodes)
	for _, a := range e.Args {
		if a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q (an HFET takes l=, w=, off and name=value parameters, no area)", e.Name, argText(a))
		}
		d.off = true
	}
	d.ic = [2]float64{in.icvds, in.icvgs}
	d.icGiven = [2]bool{in.vdsGiven, in.vgsGiven}
	// HFET1's checks cover HFET2's parameters under the same names.
	as1 := hfet1ModelCard{rd: mod.rd, rs: mod.rs, rdi: mod.rdi, rsi: mod.rsi, eta: mod.eta, vsigma: mod.vsigma, mk: mod.mk,
		mc: mod.mc, gamma: mod.gamma, eta1: mod.eta1, vs: mod.vs, nmax: mod.nmax, epsi: mod.epsi, di: mod.di, deltad: mod.deltad,
		d1: mod.d1, eta2Given: mod.eta2Given, d2Given: mod.d2Given, eta2: mod.eta2, d2: mod.d2, m1s: 1, m2s: 1, m1d: 1, m2d: 1}
	if err := as1.check(e, &in, where); err != nil {
		return nil, err
	}
	if !(mod.n > 0) || mod.js < 0 || mod.cf < 0 {
		return nil, elementError(e, "n must be positive and js, cf not negative (%s)", where)
	}
	temp := env.Temp + in.dtemp + dioCtoK
	if in.tempGiven {
		temp = in.temp + dioCtoK
	}
	if !(temp > 0) {
		return nil, elementError(e, "temperature below absolute zero (%g C)", temp-dioCtoK)
	}
	d.temperature2(&mod, &in, temp, env.TNom+dioCtoK)
	if !(d.ch.gchi0 > 0) || !(d.ch.nmax > 0) {
		return nil, elementError(e, "the mobility or nmax at %g C is not positive (%s)", temp-dioCtoK, where)
	}
	return d, nil
}

// temperature2 sets HFET2's values at the instance's temperature temp (K), as ngspice 39
// does: as HFET1's, with nmax moving by knmax, and vt1's and vt2's defaults from the
// model's vto as given (not turned for a phfet, as ngspice leaves them).
func (d *HFET) temperature2(mod *hfet2ModelCard, in *hfet1InstanceCard, temp, tnom float64) {
	ch := &d.ch
	vt := temp * mosKoverQ
	dt := temp - tnom
	ch.l, ch.w, ch.vt, ch.eta = in.l, in.w, vt, mod.eta
	ch.vto = d.pol*mod.vto - mod.kvto*dt
	ch.lambda = mod.lambda + mod.klambda*dt
	mu := mod.mu - mod.kmu*dt
	ch.sigma0, ch.vsigmat, ch.vsigma, ch.delta2 = mod.sigma0, mod.vsigmat, mod.vsigma, mod.delta*mod.delta
	ch.n0 = mod.epsi * mod.eta * vt / 2 / dioCharge / (mod.di + mod.deltad)
	if mod.eta2Given && mod.d2Given {
		ch.n02 = mod.epsi * mod.eta2 * vt / 2 / dioCharge / mod.d2
		ch.eta2 = mod.eta2
		ch.vt2 = mod.vto
		if mod.vt2Given {
			ch.vt2 = mod.vt2
		}
	}
	ch.nmax, ch.gamma = mod.nmax-mod.knmax*dt, mod.gamma
	ch.imax = dioCharge * ch.nmax * mod.vs * in.w
	ch.gchi0 = dioCharge * in.w * mu / in.l
	ch.rsi, ch.rt = mod.rsi, mod.rsi+mod.rdi
	ch.vl = mod.vs / mu * in.l
	ch.m, ch.mc, ch.pm = mod.mk, mod.mc, mod.p
	ch.cf = mod.cf
	ch.eta1, ch.d1, ch.epsi = mod.eta1, mod.d1, mod.epsi
	ch.vt1 = mod.vto + dioCharge*mod.nmax*mod.di/mod.epsi
	if mod.vt1Given {
		ch.vt1 = mod.vt1
	}
	area := in.w * in.l / 2
	d.jslw, d.nvt = mod.js*area, mod.n*vt
	d.ggrwl, d.del = mod.ggr*area, mod.del
	d.vcrit = vt * math.Log(vt/(math.Sqrt2*1e-11))
	if mod.rd != 0 {
		d.gR[mzRD] = 1 / mod.rd
	}
	if mod.rs != 0 {
		d.gR[mzRS] = 1 / mod.rs
	}
}

// NoiseSources adds nothing: ngspice 39's HFETs have no noise model, not even their
// resistances' thermal noise (measured: a stage's output noise is its load's alone).
func (d *HFET) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	return dst
}
