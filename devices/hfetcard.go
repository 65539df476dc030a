package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// hfetCard holds the model parameters HFET1 and HFET2 share, with the same names,
// defaults and meanings in both.
type hfetCard struct {
	level, vto, lambda, rd, rs, rdi, rsi, eta, mk, mc, gamma, sigma0 float64
	vsigmat, vsigma, mu, di, delta, vs, nmax, deltad, epsi, p        float64
	eta1, d1, vt1, eta2, d2, vt2, ggr, del, klambda, kmu, kvto       float64
	vtoGiven, etaGiven, muGiven, vsGiven                             bool
	vt1Given, eta2Given, d2Given, vt2Given                           bool
}

// shared is the two levels' common parameters but level and ggr (whose defaults differ).
func (m *hfetCard) shared() []param {
	return []param{
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
		p("eta1", 2, "", "subthreshold ideality factor of the gate capacitance", &m.eta1),
		p("d1", 0.03e-6, "m", "depth of the gate capacitance's subthreshold charge", &m.d1),
		p("vt1", 0, "V", "threshold of the gate capacitance's subthreshold term (default vto + q nmax di / epsi)", &m.vt1).withGiven(&m.vt1Given),
		p("eta2", 2, "", "ideality factor of the second channel (with d2)", &m.eta2).withGiven(&m.eta2Given),
		p("d2", 0.2e-6, "m", "depth of the second channel (with eta2)", &m.d2).withGiven(&m.d2Given),
		p("vt2", 0, "V", "threshold of the second channel (default vto)", &m.vt2).withGiven(&m.vt2Given),
		p("del", 0.04, "", "reverse gate conductance's voltage decay", &m.del),
		p("klambda", 0, "1/K", "lambda's temperature coefficient: lambda + klambda (T - tnom)", &m.klambda),
		p("kmu", 0, "m^2/VsK", "mobility's temperature coefficient: mu - kmu (T - tnom)", &m.kmu),
		p("kvto", 0, "V/K", "threshold's temperature coefficient: vto - kvto (T - tnom)", &m.kvto),
		accepted("nhfet phfet"),
	}
}

// phfetDefaults sets a phfet model's own defaults where the card does not give them.
func (m *hfetCard) phfetDefaults() {
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

// check refuses the shared values the equations cannot take.
func (m *hfetCard) check(e *parser.Element, in *hfetInstanceCard, where string) error {
	switch {
	case !(in.l > 0) || !(in.w > 0):
		return elementError(e, "l and w must be positive, got l=%g w=%g", in.l, in.w)
	case !(in.m > 0):
		return elementError(e, "m must be positive, got %g", in.m)
	case m.rd < 0 || m.rs < 0 || m.rdi < 0 || m.rsi < 0:
		return elementError(e, "rd, rs, rdi and rsi must not be negative (%s)", where)
	case !(m.eta > 0) || !(m.vsigma != 0) || !(m.mk > 0) || !(m.mc > 0) || !(m.gamma > 0) || !(m.eta1 > 0):
		return elementError(e, "eta, eta1, m, mc and gamma must be positive and vsigma not zero (%s)", where)
	case !(m.vs > 0) || !(m.nmax > 0) || !(m.epsi > 0) || !(m.di+m.deltad > 0) || !(m.d1 > 0):
		return elementError(e, "vs, nmax, epsi, di + deltad and d1 must be positive (%s)", where)
	case m.eta2Given && m.d2Given && (!(m.eta2 > 0) || !(m.d2 > 0)):
		return elementError(e, "eta2 and d2 must be positive (%s)", where)
	}
	return nil
}

// channel sets the channel and the recombination term at temp (K) from the shared
// parameters: vto, mu and lambda move linearly from tnom (K), kT/q moves the sheet
// densities; nmax is the sheet density's limit there and vto0 the threshold vt1's and
// vt2's defaults start from.
func (d *HFET) channel(m *hfetCard, in *hfetInstanceCard, temp, tnom, nmax, vto0 float64) {
	ch := &d.ch
	vt := temp * mosKoverQ
	dt := temp - tnom
	mu := m.mu - m.kmu*dt
	ch.l, ch.w, ch.vt, ch.eta = in.l, in.w, vt, m.eta
	ch.vto = d.pol*m.vto - m.kvto*dt
	ch.lambda = m.lambda + m.klambda*dt
	ch.sigma0, ch.vsigmat, ch.vsigma, ch.delta2 = m.sigma0, m.vsigmat, m.vsigma, m.delta*m.delta
	ch.n0 = m.epsi * m.eta * vt / 2 / dioCharge / (m.di + m.deltad)
	if m.eta2Given && m.d2Given {
		ch.n02 = m.epsi * m.eta2 * vt / 2 / dioCharge / m.d2
		ch.eta2 = m.eta2
		ch.vt2 = vto0
		if m.vt2Given {
			ch.vt2 = m.vt2
		}
	}
	ch.nmax, ch.gamma = nmax, m.gamma
	ch.imax = dioCharge * nmax * m.vs * in.w
	ch.gchi0 = dioCharge * in.w * mu / in.l
	ch.rsi, ch.rt = m.rsi, m.rsi+m.rdi
	ch.vl = m.vs / mu * in.l
	ch.m, ch.mc, ch.pm = m.mk, m.mc, m.p
	ch.eta1, ch.d1, ch.epsi = m.eta1, m.d1, m.epsi
	ch.vt1 = vto0 + dioCharge*m.nmax*m.di/m.epsi
	if m.vt1Given {
		ch.vt1 = m.vt1
	}
	d.ggrwl, d.del = m.ggr*in.w*in.l/2, m.del
	for k, r := range [2]float64{mzRD: m.rd, mzRS: m.rs} {
		if r != 0 {
			d.gR[k] = 1 / r
		}
	}
}

type hfet1ModelCard struct {
	hfetCard
	rg, rgs, rgd, ri, rf, js1d, js2d, js1s, js2s, m1d, m2d, m1s, m2s float64
	kappa, delf, fgds, tf, cds, gatemod                              float64
	phib, talpha, mt1, mt2, ck1, ck2, cm1, cm2, cm3, astar, a1, a2   float64
	mv1                                                              float64
	kappaGiven, tfGiven                                              bool
}

func (m *hfet1ModelCard) params() paramSet {
	list := append([]param{p("level", 5, "", "model level: 5 (HFET1)", &m.level)}, m.shared()...)
	return paramSet{what: "HFET1 model", params: append(list,
		p("rg", 0, "ohm", "gate ohmic resistance", &m.rg),
		p("rgs", 90, "ohm", "resistance in series with the gate-source junction", &m.rgs),
		p("rgd", 90, "ohm", "resistance in series with the gate-drain junction", &m.rgd),
		p("ri", 0, "ohm", "resistance in series with the gate-source capacitance", &m.ri),
		p("rf", 0, "ohm", "resistance in series with the gate-drain capacitance", &m.rf),
		p("js1d", 1, "A/m^2", "gate-drain junction's first saturation current density", &m.js1d),
		p("js2d", 1.15e6, "A/m^2", "gate-drain junction's second saturation current density", &m.js2d),
		p("js1s", 1, "A/m^2", "gate-source junction's first saturation current density", &m.js1s),
		p("js2s", 1.15e6, "A/m^2", "gate-source junction's second saturation current density", &m.js2s),
		p("m1d", 1.32, "", "gate-drain junction's first ideality factor", &m.m1d),
		p("m2d", 6.9, "", "gate-drain junction's second ideality factor", &m.m2d),
		p("m1s", 1.32, "", "gate-source junction's first ideality factor", &m.m1s),
		p("m2s", 6.9, "", "gate-source junction's second ideality factor", &m.m2s),
		p("ggr", 40, "S/m^2", "reverse junction conductance per area", &m.ggr),
		p("kappa", 0, "", "AC output conductance's relative rise at high frequencies", &m.kappa).withGiven(&m.kappaGiven),
		p("delf", 0, "Hz", "width of the output conductance's rise (AC; 0: none)", &m.delf),
		p("fgds", 0, "Hz", "frequency of the output conductance's rise (AC)", &m.fgds),
		p("tf", 27, "C", "trap temperature of delf and fgds (default the circuit's)", &m.tf).withGiven(&m.tfGiven),
		p("cds", 0, "F", "drain-source capacitance", &m.cds),
		p("gatemod", 0, "", "gate current model: 0 (two-exponential junctions), 1 (thermionic emission, heated electrons)", &m.gatemod),
		p("phib", 0.5, "V", "barrier height (gatemod 1)", &m.phib),
		p("astar", 4e4, "A/(m^2 K^2)", "effective Richardson constant (gatemod 1)", &m.astar),
		p("talpha", 1200, "K/V^2", "electron heating by the drain voltage (gatemod 1)", &m.talpha),
		p("mt1", 3.5, "", "knee exponent of the heating (gatemod 1)", &m.mt1),
		p("mt2", 9.9, "", "knee exponent of the heating's drain voltage (gatemod 1)", &m.mt2),
		p("ck1", 1, "", "heating knee: ck1 vsate + ck2 (gatemod 1)", &m.ck1),
		p("ck2", 0, "V", "heating knee: ck1 vsate + ck2 (gatemod 1)", &m.ck2),
		p("cm1", 3, "", "drain voltage's knee: cm1 vsate + cm2 (gatemod 1)", &m.cm1),
		p("cm2", 0, "V", "drain voltage's knee: cm1 vsate + cm2 (gatemod 1)", &m.cm2),
		p("cm3", 0.17, "", "correction current's drain voltage knee: cm3 vsate (gatemod 1)", &m.cm3),
		p("a1", 0, "", "correction current's factor (gatemod 1)", &m.a1),
		p("a2", 0, "1/V^2", "correction current's gate and drain voltage term (gatemod 1)", &m.a2),
		p("mv1", 3, "", "correction current's knee exponent (gatemod 1)", &m.mv1),
	)}
}

type hfet2ModelCard struct {
	hfetCard
	cf, js, n, knmax float64
}

func (m *hfet2ModelCard) params() paramSet {
	list := append([]param{p("level", 6, "", "model level: 6 (HFET2)", &m.level)}, m.shared()...)
	return paramSet{what: "HFET2 model", params: append(list,
		p("cf", 0, "F", "fringing capacitance of each side", &m.cf),
		p("js", 0, "A/m^2", "gate diodes' saturation current density", &m.js),
		p("n", 5, "", "gate diodes' emission coefficient", &m.n),
		p("ggr", 0, "S/m^2", "reverse gate conductance per area", &m.ggr),
		p("knmax", 0, "1/m^2K", "nmax's temperature coefficient: nmax - knmax (T - tnom)", &m.knmax),
	)}
}

type hfetInstanceCard struct {
	l, w, m, temp, dtemp, icvds, icvgs float64
	tempGiven, vdsGiven, vgsGiven      bool
}

func (in *hfetInstanceCard) params() paramSet {
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
	case lv != 5 && lv != 6:
		return nil, elementError(e, "HFET level %g (%s) is not supported: levels 5 (HFET1) and 6 (HFET2) are", lv, where)
	}
	var m1 hfet1ModelCard
	var m2 hfet2ModelCard
	shared, set := &m1.hfetCard, m1.params()
	if lv == 6 {
		shared, set = &m2.hfetCard, m2.params()
	}
	if err := set.apply(card.Params, where); err != nil {
		return nil, err
	}
	var in hfetInstanceCard
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	d := &HFET{zNet: zNet{name: e.Name, m: in.m, pol: 1}, level: int(lv)}
	if card.Type == "phfet" {
		d.pol = -1
		shared.phfetDefaults()
	}
	copy(d.nodes[:], e.Nodes)
	for _, a := range e.Args() {
		if a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q (an HFET takes l=, w=, off and name=value parameters, no area)", e.Name, argText(a))
		}
		d.off = true
	}
	d.ic = [2]float64{in.icvds, in.icvgs}
	d.icGiven = [2]bool{in.vdsGiven, in.vgsGiven}
	if err := shared.check(e, &in, where); err != nil {
		return nil, err
	}
	var err error
	if lv == 6 {
		err = m2.check(e, where)
	} else {
		err = m1.check(e, where)
	}
	if err != nil {
		return nil, err
	}
	temp := env.Temp + in.dtemp + dioCtoK
	if in.tempGiven {
		temp = in.temp + dioCtoK
	}
	if !(temp > 0) {
		return nil, elementError(e, "temperature below absolute zero (%g C)", temp-dioCtoK)
	}
	tnom := env.TNom + dioCtoK
	if lv == 6 {
		d.temperature2(&m2, &in, temp, tnom)
	} else {
		d.temperature1(&m1, &in, temp, env.Temp+dioCtoK, tnom)
	}
	if !(d.ch.gchi0 > 0) || !(d.ch.nmax > 0) {
		return nil, elementError(e, "the mobility or nmax at %g C is not positive (%s)", temp-dioCtoK, where)
	}
	return d, nil
}

// check refuses HFET1's own values the equations cannot take.
func (m *hfet1ModelCard) check(e *parser.Element, where string) error {
	switch {
	case m.gatemod != 0 && (!(m.m1s > 0) || !(m.m2s > 0) || !(m.m1d > 0) || !(m.m2d > 0) || !(m.mt1 > 0) || !(m.mt2 > 0) || !(m.mv1 > 0)):
		return elementError(e, "m1s, m2s, m1d, m2d, mt1, mt2 and mv1 must be positive (%s)", where)
	case m.rg < 0 || m.ri < 0 || m.rf < 0 || m.rgs < 0 || m.rgd < 0:
		return elementError(e, "rg, ri, rf, rgs and rgd must not be negative (%s)", where)
	case m.js1s < 0 || m.js2s < 0 || m.js1d < 0 || m.js2d < 0 || !(m.m1s > 0) || !(m.m2s > 0) || !(m.m1d > 0) || !(m.m2d > 0):
		return elementError(e, "js1s, js2s, js1d, js2d must not be negative and m1s, m2s, m1d, m2d must be positive (%s)", where)
	}
	return nil
}

// check refuses HFET2's own values the equations cannot take.
func (m *hfet2ModelCard) check(e *parser.Element, where string) error {
	if !(m.n > 0) || m.js < 0 || m.cf < 0 {
		return elementError(e, "n must be positive and js, cf not negative (%s)", where)
	}
	return nil
}

// temperature1 sets HFET1's values at the instance's temperature temp (K), as ngspice
// 39's HFET1 does: the channel's (vt1's and vt2's defaults from the threshold mirrored
// for a phfet), the junctions', fringing 0.5 epsi W, and delf and fgds growing as
// exp(temp / tf) (tf default the circuit's temperature, circuit).
func (d *HFET) temperature1(mod *hfet1ModelCard, in *hfetInstanceCard, temp, circuit, tnom float64) {
	d.channel(&mod.hfetCard, in, temp, tnom, mod.nmax, d.pol*mod.vto)
	d.ch.cf = 0.5 * mod.epsi * in.w
	d.ch.cds = mod.cds
	area := in.w * in.l / 2
	d.gs = hfetLeak{is1: mod.js1s * area, is2: mod.js2s * area, m1: mod.m1s, m2: mod.m2s, rs: mod.rgs}
	d.gd = hfetLeak{is1: mod.js1d * area, is2: mod.js2d * area, m1: mod.m1d, m2: mod.m2d, rs: mod.rgd}
	if mod.gatemod != 0 {
		// ngspice's gatemod 1: any gatemod other than 0.
		d.gate1 = &hfetGate1{iso: mod.astar * area, phib: mod.phib, temp: temp, m2s: mod.m2s, m2d: mod.m2d,
			talpha: mod.talpha, mt1: mod.mt1, mt2: mod.mt2, ck1: mod.ck1, ck2: mod.ck2, cm1: mod.cm1,
			cm2: mod.cm2, cm3: mod.cm3, a1: mod.a1, a2: mod.a2, mv1: mod.mv1}
	}
	tf := circuit
	if mod.tfGiven {
		tf = mod.tf + dioCtoK
	}
	d.kappa, d.kappaSet = mod.kappa, mod.kappaGiven
	d.fgds = mod.fgds * math.Exp(temp/tf)
	d.delf = mod.delf * math.Exp(temp/tf)
	for k, r := range [5]float64{mzRG: mod.rg, mzRI: mod.ri, mzRF: mod.rf} {
		if r != 0 {
			d.gR[k] = 1 / r
		}
	}
}

// temperature2 sets HFET2's values at the instance's temperature temp (K), as ngspice 39
// does: the channel's with nmax moving by knmax (vt1's and vt2's defaults from the
// model's vto as given, not mirrored for a phfet, as ngspice leaves them), the given
// fringing cf, and the gate diodes'.
func (d *HFET) temperature2(mod *hfet2ModelCard, in *hfetInstanceCard, temp, tnom float64) {
	d.channel(&mod.hfetCard, in, temp, tnom, mod.nmax-mod.knmax*(temp-tnom), mod.vto)
	d.ch.cf = mod.cf
	vt := temp * mosKoverQ
	d.jslw, d.nvt = mod.js*in.w*in.l/2, mod.n*vt
	vcrit := vt * math.Log(vt/(math.Sqrt2*1e-11))
	d.lim = zLimits{pnj: true, vteS: hfet2VtLimit, vteD: hfet2VtLimit, vcritS: vcrit, vcritD: vcrit}
}
