package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// MESA is ngspice's MESA MESFET (a Z element with an nmf or pmf model of level 2, 3 or 4):
// the unified GaAs MESFET model of Ytterdal, Lee, Shur and Fjeldly. Its channel current
// follows the sheet charge under the gate from subthreshold to above threshold, with
// velocity saturation and a smooth knee (mesachannel.go); two Schottky gate diodes with a
// recombination term; gate charges whose capacitances follow Meyer's partition of the
// channel charge; and up to five series resistances: rd, rs, rg to the terminals, and ri,
// rf in series with the gate-source and gate-drain capacitances.
//
// As in ngspice, a pmf model is simulated as an nmf one (ngspice's MESA sets every model
// to n-type), and the charges are defined by their capacitances: each step adds the
// capacitance at the new point times the voltage change to the last accepted charge.
type MESA struct {
	zNet

	level int
	ch    mesaChannel

	// Gate diodes at the source and drain temperatures.
	csatS, csatD float64 // thermionic saturation currents
	vteS, vteD   float64 // n kT/q at ts, td
	vtS, vtD     float64 // kT/q at ts, td
	ggrwl, del   float64 // the reverse recombination conductance and its decay
	ag           float64 // the drain-source current ag (igs - igd)

	// Frequency-dependent output conductance of the AC analysis (lambdahf, flo, delfo).
	lambdaHF, fl, delf float64
}

// zNet is the wiring shared by the MESA and HFET models (Z elements of levels 2 to 6):
// the terminals, the internal nodes of the series resistances and the matrix entries
// between them, and the stamps of a device point (mesaPoint) into them.
type zNet struct {
	name  string
	nodes [3]string
	m     float64 // parallel multiplier: ngspice multiplies the whole load by it

	ext [3]int   // external drain, gate, source
	t   [mzN]int // the terminals the equations see (internal nodes where resistors are)
	h   [mzN][mzN]mna.Handle
	hs  [3][3]mna.Handle // ext-ext, ext-int, int-ext of rd, rs, rg's pairs

	gR  [5]float64 // conductances of rd, rs, rg, ri, rf at their temperatures (0: none)
	lim zLimits

	pol     float64 // 1, or -1 for a p-type device: the voltages' and currents' sign
	off     bool
	offUIC  bool       // off also zeroes the uic initial voltages (the MESA's)
	ic      [2]float64 // the initial vds, vgs
	icGiven [2]bool
}

// junctionVoltages is the gate-source and gate-drain voltages a load evaluates at (the
// n-type frame's): X's; at a uic transient's initial point the initial ones (ic, or the
// terminals' where not given); SPICE's -1 V (0 V off) at the first iteration of an
// operating point; otherwise X's limited against the last evaluation's, old.
func (d *zNet) junctionVoltages(ctx *Context, old [2]float64, vto float64) (vgs, vgd float64) {
	x, pol := ctx.X, d.pol
	vgs = pol * (x[d.t[mzG]] - x[d.t[mzS]])
	vgd = pol * (x[d.t[mzG]] - x[d.t[mzD]])
	switch {
	case ctx.Mode == ModeAC:
	case ctx.UIC:
		// ngspice takes the initial voltages not given from the external terminals
		// (behind rg, rd, rs the nodes start at 0 V).
		vds := pol * (x[d.ext[0]] - x[d.ext[2]])
		vgs = pol * (x[d.ext[1]] - x[d.ext[2]])
		if d.icGiven[0] {
			vds = pol * d.ic[0]
		}
		if d.icGiven[1] {
			vgs = pol * d.ic[1]
		}
		if d.off && d.offUIC {
			vds, vgs = 0, 0
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
		vgs, vgd = d.lim.limit(ctx, vgs, vgd, old[0], old[1], vto)
	}
	return vgs, vgd
}

// zLimits limits a Z element's junction voltages against its last evaluation's, as
// ngspice's do: as diodes (pnjlim, with the emission voltage vte and vcrit of each side)
// where pnj, then by the threshold (fetlim).
type zLimits struct {
	pnj            bool
	vteS, vteD     float64
	vcritS, vcritD float64
}

// limit returns vgs, vgd limited against oldGS, oldGD with threshold vto, and marks
// ctx limited where either moved.
func (l *zLimits) limit(ctx *Context, vgs, vgd, oldGS, oldGD, vto float64) (float64, float64) {
	var c1, c2, c3, c4 bool
	if l.pnj {
		vgs, c1 = mosPNJLim(vgs, oldGS, l.vteS, l.vcritS)
		vgd, c2 = mosPNJLim(vgd, oldGD, l.vteD, l.vcritD)
	}
	vgs, c3 = mosFetLim(vgs, oldGS, vto)
	vgd, c4 = mosFetLim(vgd, oldGD, vto)
	if c1 || c2 || c3 || c4 {
		ctx.Limited = true
	}
	return vgs, vgd
}

// The terminals of zNet.t: the internal drain, gate and source, and the nodes behind ri
// and rf where the gate-source and gate-drain charges end.
const (
	mzD = iota
	mzG
	mzS
	mzSS // behind ri (the source's when ri = 0)
	mzDD // behind rf (the drain's when rf = 0)
	mzN
)

// The series resistances of zNet.gR.
const (
	mzRD = iota
	mzRS
	mzRG
	mzRI
	mzRF
)

type mesaModelCard struct {
	level, vto, lambda, lambdahf, beta, vs                  float64
	rd, rs, rg, ri, rf, rdi, rsi                            float64
	phib, phib1, astar, ggr, del, xchi, n                   float64
	eta, mk, mc, alpha, sigma0, vsigmat, vsigma             float64
	mu, theta, mu1, mu2, d, nd, du, ndu, th, ndelta, delta  float64
	tc, tvto, tlambda, teta0, teta1, tmu, xtm0, xtm1, xtm2  float64
	ks, vsg, tf, flo, delfo, ag, tc1, tc2, zeta             float64
	nmax, gamma, epsi, cas, cbs                             float64
	tlambdaGiven, teta0Given, teta1Given, tmuGiven, tfGiven bool
	lambdahfGiven                                           bool
}

func (m *mesaModelCard) params() paramSet {
	return paramSet{what: "MESA model", params: []param{
		p("level", 2, "", "model level: 2 (MESA), 3 (a delta-doped channel), 4 (a heterostructure channel)", &m.level),
		p("vto vt0", -1.26, "V", "threshold (pinch-off) voltage", &m.vto),
		p("lambda", 0.045, "1/V", "output conductance parameter", &m.lambda),
		p("lambdahf", 0.045, "1/V", "output conductance parameter at high frequencies (default lambda)", &m.lambdahf).withGiven(&m.lambdahfGiven),
		p("beta", 0.0085, "A/V^2", "transconductance parameter (level 3)", &m.beta),
		p("vs", 1.5e5, "m/s", "saturation velocity", &m.vs),
		p("rd", 0, "ohm", "drain ohmic resistance", &m.rd),
		p("rs", 0, "ohm", "source ohmic resistance", &m.rs),
		p("rg", 0, "ohm", "gate ohmic resistance", &m.rg),
		p("ri", 0, "ohm", "resistance in series with the gate-source capacitance", &m.ri),
		p("rf", 0, "ohm", "resistance in series with the gate-drain capacitance", &m.rf),
		p("rdi", 0, "ohm", "intrinsic drain resistance (in the current's equations)", &m.rdi),
		p("rsi", 0, "ohm", "intrinsic source resistance (in the current's equations)", &m.rsi),
		p("phib", 0.5, "V", "effective Schottky barrier height", &m.phib),
		p("phib1 tphib", 0, "V/K", "barrier height temperature coefficient", &m.phib1),
		p("astar", 4e4, "A/(m^2 K^2)", "effective Richardson constant", &m.astar),
		p("ggr", 40, "S/m^2", "reverse diode conductance per area", &m.ggr),
		p("del", 0.04, "", "reverse diode conductance's voltage decay", &m.del),
		p("xchi tggr", 0.033, "1/K", "reverse diode conductance temperature coefficient", &m.xchi),
		p("n", 1, "", "gate diode emission coefficient", &m.n),
		p("eta", 1.73, "", "subthreshold ideality factor", &m.eta),
		p("m", 2.5, "", "knee shape parameter", &m.mk),
		p("mc", 3, "", "knee shape parameter of the capacitances", &m.mc),
		p("alpha", 0, "1/V", "knee shape's dependence on the gate voltage (level 2)", &m.alpha),
		p("sigma0", 0.081, "", "drain-induced threshold shift coefficient", &m.sigma0),
		p("vsigmat", 1.01, "V", "threshold shift's gate voltage", &m.vsigmat),
		p("vsigma", 0.1, "V", "threshold shift's gate voltage scale", &m.vsigma),
		p("mu", 0.23, "m^2/Vs", "low-field mobility", &m.mu),
		p("theta", 0, "m^2/V^2s", "mobility's dependence on the gate voltage (level 2)", &m.theta),
		p("mu1", 0, "m^2/Vs", "second mobility parameter (temperature)", &m.mu1),
		p("mu2", 0, "m^2/Vs", "third mobility parameter (temperature)", &m.mu2),
		p("d", 0.12e-6, "m", "channel depth (level 2)", &m.d),
		p("nd", 2e23, "1/m^3", "channel doping (level 2)", &m.nd),
		p("du", 0.035e-6, "m", "depth of the undoped layer (level 3)", &m.du),
		p("ndu", 1e22, "1/m^3", "doping of the undoped layer (level 3)", &m.ndu),
		p("th", 0.01e-6, "m", "thickness of the delta-doped layer (level 3)", &m.th),
		p("ndelta", 6e24, "1/m^3", "doping of the delta-doped layer (level 3)", &m.ndelta),
		p("delta", 5, "", "transition width of the effective gate voltage", &m.delta),
		p("tc", 0, "1/V", "transconductance compression factor", &m.tc),
		p("tvto alphat", 0, "V/K", "threshold temperature coefficient: vto - tvto (ts - tnom)", &m.tvto),
		p("tlambda", 0, "C", "lambda's temperature: lambda (1 - ts/tlambda) (default none)", &m.tlambda).withGiven(&m.tlambdaGiven),
		p("teta0", 0, "C", "eta's first temperature: eta (1 + ts/teta0) (default none)", &m.teta0).withGiven(&m.teta0Given),
		p("teta1", 0, "C", "eta's second temperature: + teta1/ts (default none)", &m.teta1).withGiven(&m.teta1Given),
		p("tmu", 27, "C", "mobility's reference temperature", &m.tmu).withGiven(&m.tmuGiven),
		p("xtm0", 0, "", "first exponent of the mobility's temperature dependence", &m.xtm0),
		p("xtm1", 0, "", "second exponent of the mobility's temperature dependence", &m.xtm1),
		p("xtm2", 0, "", "third exponent of the mobility's temperature dependence", &m.xtm2),
		p("ks", 0, "", "sidegating coefficient: the threshold moves by ks (v(source) - vsg)", &m.ks),
		p("vsg", 0, "V", "sidegating voltage", &m.vsg),
		p("tf", 0, "C", "trap temperature of flo and delfo (default the circuit's)", &m.tf).withGiven(&m.tfGiven),
		p("flo", 0, "Hz", "frequency where lambda turns to lambdahf (AC)", &m.flo),
		p("delfo", 0, "Hz", "width of lambda's turn to lambdahf (AC; 0: none)", &m.delfo),
		p("ag", 0, "", "drain-source current ag (igs - igd)", &m.ag),
		p("rtc1", 0, "1/K", "first temperature coefficient of the resistances", &m.tc1),
		p("rtc2", 0, "1/K^2", "second temperature coefficient of the resistances", &m.tc2),
		p("zeta", 1, "", "saturation current factor (level 2)", &m.zeta),
		p("nmax", 2e16, "1/m^2", "maximum sheet density (level 4)", &m.nmax),
		p("gamma", 3, "", "sheet density's and current's saturation exponent (level 4)", &m.gamma),
		p("epsi", epsGaAs, "F/m", "permittivity of the barrier layer (level 4)", &m.epsi),
		p("cas", 1, "", "barrier capacitance's factor (level 4)", &m.cas),
		p("cbs", 1, "", "channel capacitance's factor (level 4)", &m.cbs),
		accepted("nmf pmf"),
	}}
}

type mesaInstanceCard struct {
	l, w, m, td, ts, dtemp, icvds, icvgs float64
	tdGiven, tsGiven, vdsGiven, vgsGiven bool
}

func (in *mesaInstanceCard) params() paramSet {
	return paramSet{what: "MESA", params: []param{
		p("l", 1e-6, "m", "gate length", &in.l),
		p("w", 20e-6, "m", "gate width", &in.w),
		p("m", 1, "", "parallel multiplier", &in.m),
		p("td", 27, "C", "drain temperature (default the circuit's plus dtemp)", &in.td).withGiven(&in.tdGiven),
		p("ts", 27, "C", "source temperature (default the circuit's plus dtemp)", &in.ts).withGiven(&in.tsGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &in.dtemp),
		p("icvds", 0, "V", "initial drain-source voltage", &in.icvds).withGiven(&in.vdsGiven),
		p("icvgs", 0, "V", "initial gate-source voltage", &in.icvgs).withGiven(&in.vgsGiven),
		p("ic", 0, "V", "initial voltages: IC=vds,vgs", nil),
	}}
}

// newZDevice builds a Z element by its model: the Statz MESFET for nmf/pmf level 1 (the
// default), MESA for levels 2, 3 and 4.
func newZDevice(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "MESFET", "nmf", "pmf", "nhfet", "phfet")
	if err != nil {
		return nil, err
	}
	where := modelWhere(e, card)
	if card.Type == "nhfet" || card.Type == "phfet" {
		return newHFET(e, card, where, env)
	}
	lv, ok := modelLevel(card)
	if !ok {
		lv = 1
	}
	switch lv {
	case 2, 3, 4:
		return newMESA(e, card, where, env)
	case 1:
		return newStatz(e, card, where, env)
	}
	return nil, elementError(e, "MESFET level %g (%s) is not supported: levels 1 (Statz) and 2, 3 and 4 (MESA) are", lv, where)
}

func newMESA(e *parser.Element, card *parser.Model, where string, env Env) (Device, error) {
	var mod mesaModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var in mesaInstanceCard
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	d := &MESA{zNet: zNet{name: e.Name, m: in.m, pol: 1, offUIC: true}, level: int(mod.level)}
	copy(d.nodes[:], e.Nodes)
	for _, a := range e.Args() {
		switch {
		case a.Word == "off":
			d.off = true
		default:
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q (a MESA MESFET takes l=, w=, off and name=value parameters, no area)", e.Name, argText(a))
		}
	}
	list, _, _ := icList(e)
	for k := range min(len(list), 2) {
		d.ic[k], d.icGiven[k] = list[k], true
	}
	if in.vdsGiven {
		d.ic[0], d.icGiven[0] = in.icvds, true
	}
	if in.vgsGiven {
		d.ic[1], d.icGiven[1] = in.icvgs, true
	}
	switch {
	case !(in.l > 0) || !(in.w > 0):
		return nil, elementError(e, "l and w must be positive, got l=%g w=%g", in.l, in.w)
	case !(in.m > 0):
		return nil, elementError(e, "m must be positive, got %g", in.m)
	case mod.rd < 0 || mod.rs < 0 || mod.rg < 0 || mod.ri < 0 || mod.rf < 0 || mod.rdi < 0 || mod.rsi < 0:
		return nil, elementError(e, "rd, rs, rg, ri, rf, rdi and rsi must not be negative (%s)", where)
	case !(mod.n > 0) || !(mod.eta > 0) || !(mod.vsigma != 0) || !(mod.mk > 0) || !(mod.mc > 0):
		return nil, elementError(e, "n, eta, m, mc must be positive and vsigma not zero (%s)", where)
	case !(mod.vs > 0) || !(mod.mu > 0):
		return nil, elementError(e, "vs and mu must be positive (%s)", where)
	case mod.level == 2 && (!(mod.d > 0) || !(mod.nd > 0)):
		return nil, elementError(e, "d and nd must be positive (%s)", where)
	case mod.level == 3 && (!(mod.du > 0) || !(mod.ndu > 0) || !(mod.th > 0) || !(mod.ndelta > 0)):
		return nil, elementError(e, "du, ndu, th and ndelta must be positive (%s)", where)
	case mod.level == 4 && (!(mod.d > 0) || !(mod.nmax > 0) || !(mod.gamma > 0) || !(mod.epsi > 0) || !(mod.cas > 0) || !(mod.cbs > 0)):
		return nil, elementError(e, "d, nmax, gamma, epsi, cas and cbs must be positive (%s)", where)
	}
	circuit := env.Temp + dioCtoK
	ts, td := circuit+in.dtemp, circuit+in.dtemp
	if in.tsGiven {
		ts = in.ts + dioCtoK
	}
	if in.tdGiven {
		td = in.td + dioCtoK
	}
	if !(ts > 0) || !(td > 0) {
		return nil, elementError(e, "temperature below absolute zero (ts %g C, td %g C)", ts-dioCtoK, td-dioCtoK)
	}
	d.temperature(&mod, &in, ts, td, circuit, env.TNom+dioCtoK)
	if d.ch.mu <= 0 || d.ch.eta <= 0 {
		return nil, elementError(e, "the mobility or eta at %g C is not positive (%s)", ts-dioCtoK, where)
	}
	return d, nil
}

// temperature sets the values the loads use at the source and drain temperatures ts and
// td (K), as ngspice 39's MESA does: the channel's at ts, the gate-drain diode's at td,
// each resistance at the temperature of its side, all relative to tnom (K).
func (d *MESA) temperature(mod *mesaModelCard, in *mesaInstanceCard, ts, td, circuit, tnom float64) {
	ch := &d.ch
	ch.level = int(mod.level)
	ch.setGeometry(mod, in.l, in.w)
	vt := ts * mosKoverQ
	ch.vt = vt

	tmu := 300.15
	if mod.tmuGiven {
		tmu = mod.tmu + dioCtoK
	}
	mu := mod.mu * math.Pow(ts/tmu, mod.xtm0)
	if mod.mu1 != 0 || mod.mu2 != 0 {
		lattice := mod.mu1*math.Pow(tmu/ts, mod.xtm1) + mod.mu2*math.Pow(tmu/ts, mod.xtm2)
		mu = 1 / (1/mu + 1/lattice)
	}
	ch.mu = mu
	ch.vto = mod.vto - mod.tvto*(ts-tnom)
	// Unset temperatures are ngspice's DBL_MAX (lambda and eta then do not move) and,
	// for teta1, zero.
	lambdaT := 1.0
	if mod.tlambdaGiven {
		lambdaT = 1 - ts/(mod.tlambda+dioCtoK)
	}
	ch.lambda = mod.lambda * lambdaT
	d.lambdaHF = mod.lambda * lambdaT
	if mod.lambdahfGiven {
		d.lambdaHF = mod.lambdahf * lambdaT
	}
	eta := mod.eta
	if mod.teta0Given {
		eta = mod.eta * (1 + ts/(mod.teta0+dioCtoK))
	}
	if mod.teta1Given {
		eta += (mod.teta1 + dioCtoK) / ts
	}
	ch.eta = eta
	ch.setCarriers(mod, in.l, in.w, eta, vt)

	tf := circuit
	if mod.tfGiven {
		tf = mod.tf + dioCtoK
	}
	d.fl = mod.flo * math.Exp(ts/tf)
	d.delf = mod.delfo * math.Exp(ts/tf)

	// Gate diodes: thermionic emission over the barrier and a recombination term.
	phib := mod.phib - mod.phib1*(ts-tnom)
	area := in.l * in.w
	d.vtS, d.vtD = vt, td*mosKoverQ
	d.vteS, d.vteD = mod.n*d.vtS, mod.n*d.vtD
	d.csatS = 0.5 * mod.astar * ts * ts * math.Exp(-phib/d.vtS) * area
	d.csatD = 0.5 * mod.astar * td * td * math.Exp(-phib/d.vtD) * area
	d.ggrwl = mod.ggr * area * math.Exp(mod.xchi*(ts-tnom))
	d.del = mod.del
	d.lim = zLimits{pnj: true, vteS: d.vteS, vteD: d.vteD, vcritS: math.MaxFloat64, vcritD: math.MaxFloat64}
	if d.csatS != 0 {
		d.lim.vcritS = d.vtS * math.Log(d.vtS/(math.Sqrt2*d.csatS))
	}
	if d.csatD != 0 {
		d.lim.vcritD = d.vtD * math.Log(d.vtD/(math.Sqrt2*d.csatD))
	}
	d.ag = mod.ag

	scale := func(r, t float64) float64 {
		dt := t - tnom
		return r * (1 + mod.tc1*dt + mod.tc2*dt*dt)
	}
	ch.rdi, ch.rsi = scale(mod.rdi, td), scale(mod.rsi, ts)
	for k, r := range [5]struct{ r, t float64 }{
		mzRD: {mod.rd, td}, mzRS: {mod.rs, ts}, mzRG: {mod.rg, ts}, mzRI: {mod.ri, ts}, mzRF: {mod.rf, td},
	} {
		if r.r != 0 {
			d.gR[k] = 1 / scale(r.r, r.t)
		}
	}
}

// Name returns the element's name.
func (d *zNet) Name() string { return d.name }

// Setup reserves the internal nodes of the resistances that are there and the entries.
func (d *zNet) Setup(b *mna.Builder) {
	for k := range d.ext {
		d.ext[k] = b.Node(d.nodes[k])
	}
	d.t[mzD], d.t[mzG], d.t[mzS] = d.ext[0], d.ext[1], d.ext[2]
	for k, what := range [3]string{"drain", "gate", "source"} {
		r := [3]int{mzRD, mzRG, mzRS}[k]
		term := [3]int{mzD, mzG, mzS}[k]
		if d.gR[r] == 0 {
			continue
		}
		in := d.internalNode(b, what)
		d.t[term] = in
		ext := d.ext[k]
		d.hs[k] = [3]mna.Handle{b.Entry(ext, ext), b.Entry(ext, in), b.Entry(in, ext)}
	}
	d.t[mzSS], d.t[mzDD] = d.t[mzS], d.t[mzD]
	if d.gR[mzRI] != 0 {
		d.t[mzSS] = d.internalNode(b, "gs")
	}
	if d.gR[mzRF] != 0 {
		d.t[mzDD] = d.internalNode(b, "gd")
	}
	for r := range d.t {
		for c := range d.t {
			d.h[r][c] = b.Entry(d.t[r], d.t[c])
		}
	}
}

// internalNode makes the internal node "name#what". ngspice 39 writes the MESA's gate,
// gs and gd nodes by default and not its drain and source: so does gospice.
func (d *zNet) internalNode(b *mna.Builder, what string) int {
	if what == "drain" || what == "source" {
		return b.InternalNode(d.name, what)
	}
	return b.WrittenNode(d.name, what)
}

// mesaRun is one run of a MESA: the junction voltages of its last evaluation, which the
// next one limits against, and the charges' history at the last accepted time point.
type mesaRun struct {
	*MESA
	vgs, vgd float64
	zCharges
}

// zCharges is the history of a Z element's gate charges, which ngspice defines by their
// capacitances: the charges and their voltages at the last accepted time point.
type zCharges struct {
	qPrev, vPrev [2]float64 // gate-source and gate-drain charges and their voltages
	init         bool       // the next Accept is the transient's initial point
	uic          bool       // and the initial point's charges are kept from its load
}

// NewRun returns a Loader with no evaluation yet.
func (d *MESA) NewRun() Loader { return &mesaRun{MESA: d} }

// mesaFlow is a current (or charge) from one terminal to another with its derivatives by
// the voltages of the five terminals.
type mesaFlow struct {
	v   float64
	der [mzN]float64
}

// mesaPoint is the device evaluated at one vgs, vgd: its branch currents and, when
// charged, its two gate charges, all carried to X.
type mesaPoint struct {
	igs, igd, id, corr mesaFlow // gate-source, gate-drain diodes, channel, ag's current
	qgs, qgd, qds      mesaFlow // the gate charges and the HFET's drain-source one
}

// Load evaluates the device at X, or at SPICE's initial or limited junction voltages
// (then carried to X along its tangents), and adds its currents and (outside .op) charges.
func (r *mesaRun) Load(ctx *Context) {
	d := r.MESA
	vgs, vgd := d.junctionVoltages(ctx, [2]float64{r.vgs, r.vgd}, d.ch.vto)
	r.vgs, r.vgd = vgs, vgd
	var pt mesaPoint
	r.evaluate(ctx, &pt, vgs, vgd)
	d.stamp(ctx, &pt, ctx.Mode != ModeOP)
}

// evaluate fills pt at the junction voltages vgs, vgd (the terminals' voltages where they
// differ from X's: the internal source at X, the gate and drain moved to give vgs, vgd),
// carried to X along the derivatives.
func (r *mesaRun) evaluate(ctx *Context, pt *mesaPoint, vgs, vgd float64) {
	d := r.MESA
	at, shift := d.frame(ctx, 1, vgs, vgd)
	gmin := ctx.Gmin
	i, g := d.diode(vgs, d.csatS, d.vtS, d.vteS, gmin)
	pt.igs.set(i, mzG, mzS, g)
	i, g = d.diode(vgd, d.csatD, d.vtD, d.vteD, gmin)
	pt.igd.set(i, mzG, mzD, g)
	if d.ag != 0 {
		pt.corr.v = d.ag * (pt.igs.v - pt.igd.v)
		for k := range pt.corr.der {
			pt.corr.der[k] = d.ag * (pt.igs.der[k] - pt.igd.der[k])
		}
	}

	von := d.ch.vto + d.ch.ks*(at[mzS]-d.ch.vsg)
	vds := vgs - vgd
	inverse := vds < 0
	vgLoc, vdLoc := vgs, vds
	if inverse {
		vgLoc, vdLoc = vgd, -vds
	}
	var out mesaOut
	d.ch.current(vgLoc, vdLoc, von, &out)
	if ctx.Mode == ModeAC && d.delf != 0 {
		lambda := d.ch.lambda + 0.5*(d.lambdaHF-d.ch.lambda)*(1+math.Tanh((ctx.Hertz-d.fl)/d.delf))
		d.ch.acLambda(&out, vdLoc, lambda)
	}
	// The local frame's derivatives (by its vgs, vds and von) as derivatives by the
	// terminal voltages: vgs = g - s, vds = d - s, or for the inverse mode vgd = g - d and
	// -vds = s - d with drain and source trading roles; von moves with the source by ks.
	flow := func(f *mesaFlow, q dual, sign float64) {
		f.v = sign * q.v
		if inverse {
			f.der[mzG] = sign * q.g
			f.der[mzS] = sign * q.d
			f.der[mzD] = -sign * (q.g + q.d)
		} else {
			f.der[mzG] = sign * q.g
			f.der[mzD] = sign * q.d
			f.der[mzS] = -sign * (q.g + q.d)
		}
		f.der[mzS] += sign * q.b * d.ch.ks
	}
	sign := 1.0
	if inverse {
		sign = -1
	}
	flow(&pt.id, out.id, sign)
	if ctx.Mode == ModeOP {
		d.carry(ctx, pt, &shift)
		return
	}
	capGS, capGD := out.cgs, out.cgd
	if inverse {
		capGS, capGD = out.cgd, out.cgs
	}
	var cgs, cgd mesaFlow
	flow(&cgs, capGS, 1)
	flow(&cgd, capGD, 1)
	r.charges(ctx, pt, &at, &cgs, &cgd)
	d.carry(ctx, pt, &shift)
}

// frame is the terminal voltages an evaluation at the junction voltages vgs, vgd sees
// (times pol: a p-type device's in the n-type frame), and X's (times pol) minus them:
// the source at X, the gate and drain moved to give vgs and vgd.
func (d *zNet) frame(ctx *Context, pol, vgs, vgd float64) (at, shift [mzN]float64) {
	for k := range at {
		at[k] = pol * ctx.X[d.t[k]]
	}
	shift = at
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
	for k := range shift {
		shift[k] -= at[k]
	}
	return at, shift
}

// set makes f the current i from terminal a to b with conductance g by v(a) - v(b).
func (f *mesaFlow) set(i float64, a, b int, g float64) {
	f.v = i
	f.der = [mzN]float64{}
	f.der[a] += g
	f.der[b] -= g
}

// carry moves pt's values from the evaluation's voltages to X's along their derivatives.
// At a uic transient's initial point the charges stay at the initial voltages (icvds,
// icvgs), as ngspice starts them there.
func (d *zNet) carry(ctx *Context, pt *mesaPoint, shift *[mzN]float64) {
	flows := [...]*mesaFlow{&pt.igs, &pt.igd, &pt.id, &pt.corr, &pt.qgs, &pt.qgd, &pt.qds}
	n := len(flows)
	if ctx.UIC {
		n -= 3
	}
	for _, f := range flows[:n] {
		for k, s := range shift {
			f.v += f.der[k] * s
		}
	}
}

// diode is a gate diode's current and conductance at v: thermionic emission with
// saturation current csat and n kT/q vte, plus the recombination term ggrwl v
// exp(-del v/vt), plus gmin.
func (d *MESA) diode(v, csat, vt, vte, gmin float64) (float64, float64) {
	ev := math.Exp(v / vte)
	arg := -v * d.del / vt
	er := math.Exp(arg)
	i := csat*(ev-1) + d.ggrwl*v*er + gmin*v
	g := csat*ev/vte + d.ggrwl*er*(1+arg) + gmin
	return i, g
}

// charges sets the gate-source and gate-drain charges, each over its own voltage (to the
// node behind ri or rf), from their capacitances cgs and cgd (with the capacitances'
// derivatives): in .ac and at the transient's initial point C v, after it the last
// accepted charge plus C times the voltage's change, as ngspice integrates them.
func (r *zCharges) charges(ctx *Context, pt *mesaPoint, at *[mzN]float64, cgs, cgd *mesaFlow) {
	v := [2]float64{at[mzG] - at[mzSS], at[mzG] - at[mzDD]}
	ends := [2]int{mzSS, mzDD}
	for k, c := range [2]*mesaFlow{cgs, cgd} {
		q := &pt.qgs
		if k == 1 {
			q = &pt.qgd
		}
		var step, base float64
		switch ctx.Mode {
		case ModeAC:
			q.v = c.v * v[k]
			q.der = [mzN]float64{}
			q.der[mzG], q.der[ends[k]] = c.v, -c.v
			continue
		case ModeTranOP:
			r.init = true
			step = v[k]
			if ctx.UIC {
				// ngspice starts a uic transient's charges at the initial voltages
				// (icvds, icvgs), which X need not have: keep them for Accept.
				r.uic = true
				r.qPrev[k], r.vPrev[k] = c.v*v[k], v[k]
			}
		default:
			base, step = r.qPrev[k], v[k]-r.vPrev[k]
		}
		q.v = base + c.v*step
		for j := range q.der {
			q.der[j] = c.der[j] * step
		}
		q.der[mzG] += c.v
		q.der[ends[k]] -= c.v
	}
}

// Accept records the charges at an accepted point: at the transient's initial point C v,
// after a step the last charge plus C at the new point times the voltage change.
func (r *mesaRun) Accept(ctx *Context) {
	d := r.MESA
	x := ctx.X
	vgs, vgd := x[d.t[mzG]]-x[d.t[mzS]], x[d.t[mzG]]-x[d.t[mzD]]
	var out mesaOut
	von := d.ch.vto + d.ch.ks*(x[d.t[mzS]]-d.ch.vsg)
	vds := vgs - vgd
	capGS, capGD := 0.0, 0.0
	if vds < 0 {
		d.ch.current(vgd, -vds, von, &out)
		capGS, capGD = out.cgd.v, out.cgs.v
	} else {
		d.ch.current(vgs, vds, von, &out)
		capGS, capGD = out.cgs.v, out.cgd.v
	}
	r.accept([2]float64{capGS, capGD}, [2]float64{x[d.t[mzG]] - x[d.t[mzSS]], x[d.t[mzG]] - x[d.t[mzDD]]})
}

// accept records the charges at an accepted point from their capacitances c there and
// their voltages v.
func (r *zCharges) accept(c, v [2]float64) {
	if r.init && r.uic {
		r.init, r.uic = false, false
		return
	}
	for k := range c {
		if r.init {
			r.qPrev[k] = c[k] * v[k]
		} else {
			r.qPrev[k] += c[k] * (v[k] - r.vPrev[k])
		}
	}
	r.vPrev = v
	r.init = false
}

// AdmittanceReadsFrequency says whether the output conductance changes with the
// frequency (lambdahf with delfo).
func (r *mesaRun) AdmittanceReadsFrequency() bool {
	return r.delf != 0 && r.lambdaHF != r.ch.lambda
}

// stamp writes pt into F, G and (when charged) Q, C, all times m, and the resistances.
// pt's correction current and drain-source charge are zero where the model has none.
func (d *zNet) stamp(ctx *Context, pt *mesaPoint, charged bool) {
	d.stampFlow(ctx.F, ctx.G, &pt.igs, mzG, mzS)
	d.stampFlow(ctx.F, ctx.G, &pt.igd, mzG, mzD)
	d.stampFlow(ctx.F, ctx.G, &pt.id, mzD, mzS)
	d.stampFlow(ctx.F, ctx.G, &pt.corr, mzS, mzD)
	for k, term := range [3]int{mzD, mzG, mzS} {
		r := [3]int{mzRD, mzRG, mzRS}[k]
		if g := d.m * d.gR[r]; g != 0 {
			h := &d.hs[k]
			stampSeries(ctx, g, d.ext[k], d.t[term], h[0], h[1], h[2], d.h[term][term])
		}
	}
	if g := d.m * d.gR[mzRI]; g != 0 {
		d.stampBetween(ctx, g, mzS, mzSS)
	}
	if g := d.m * d.gR[mzRF]; g != 0 {
		d.stampBetween(ctx, g, mzD, mzDD)
	}
	if !charged {
		return
	}
	d.stampFlow(ctx.Q, ctx.C, &pt.qgs, mzG, mzSS)
	d.stampFlow(ctx.Q, ctx.C, &pt.qgd, mzG, mzDD)
	d.stampFlow(ctx.Q, ctx.C, &pt.qds, mzD, mzS)
}

// stampFlow adds m times f, flowing from terminal a to b, to the vector v and its
// derivatives to the matrix values mat.
func (d *zNet) stampFlow(v, mat []float64, f *mesaFlow, a, b int) {
	m := d.m
	v[d.t[a]] += m * f.v
	v[d.t[b]] -= m * f.v
	for c, g := range f.der {
		if g == 0 {
			continue
		}
		mat[d.h[a][c]] += m * g
		mat[d.h[b][c]] -= m * g
	}
}

// stampBetween writes a conductance g between two of the terminals.
func (d *zNet) stampBetween(ctx *Context, g float64, a, b int) {
	i := g * (ctx.X[d.t[a]] - ctx.X[d.t[b]])
	ctx.F[d.t[a]] += i
	ctx.F[d.t[b]] -= i
	ctx.G[d.h[a][a]] += g
	ctx.G[d.h[a][b]] -= g
	ctx.G[d.h[b][a]] -= g
	ctx.G[d.h[b][b]] += g
}
