package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// BJT is ngspice's bipolar transistor (Q, models npn and pnp, level 1): the Gummel-Poon
// model of bjtload.c with bjttemp.c's temperature scaling. Base charge qb (Early effects
// and high injection), base resistance modulation (irb, rbm), the transit-time charges
// with their bias dependence (xtf, vtf, itf), excess phase (ptf), depletion charges with
// the base-collector capacitance split by xcjc between the internal and the external
// base, the substrate junction (vertical or lateral), Kull's quasi-saturation (rco) and
// ohmic resistances on internal nodes.
//
// Node names: C, B, E and S are the terminals; CX is the collector behind rc, C' the
// collector behind rco (C' = CX without quasi-saturation), B' and E' sit behind rb and re.
type BJT struct {
	name    string
	nodes   [4]string // c b e s; s is "0" for a three-terminal line
	typ     float64   // +1 npn, -1 pnp
	ttype   float64   // typ times the substrate orientation: +1 vertical, -1 lateral
	lateral bool
	mult    float64
	off     bool
	icVBE   float64
	icVCE   float64
	t       bjtTemp

	c, b, e, s         int
	cx, cp, bp, ep, sc int // sc: the node the substrate junction meets (C' vertical, B' lateral)

	// Handles of d(flow p->n)/d(va - vb), named flow_control.
	rc, re, rb                 bjtCoupling
	rbVbe, rbVbc               bjtCoupling // base resistance modulation
	ccVbe, ccVbc, cbVbe, cbVbc bjtCoupling // C'->E' and B'->E'
	bcVbc, bxVbx, subVsub      bjtCoupling
	rciVrci, rciVbc, rciVbcx   bjtCoupling // CX->C' (quasi-saturation)
	bcxVbcx                    bjtCoupling // B'->CX charge (quasi-saturation)

}

// bjtRun is one run of a BJT: what its loads keep from one to the next.
type bjtRun struct {
	*BJT

	// The junction voltages of the last evaluation (limited), for pnjlim.
	vbe, vbc, vsub float64
	// holding is set while an `off` device is held at zero junction voltages at the start
	// of an operating point, as ngspice's MODEINITFIX does; heldX are its node voltages at
	// the previous iteration, to tell when the rest of the circuit has settled.
	holding bool
	heldX   [8]float64
	// icStart is set from a uic start until the first accepted step, whose attempts all
	// begin at the initial conditions' junction voltages icV, as ngspice's MODEINITTRAN.
	icStart bool
	icV     [3]float64 // vbe, vbc, vsub

	// Excess phase (Weil's approximation) keeps cexbc at the last two accepted points.
	cex1, cex2   float64 // at t1 and t2
	t1, t2       float64
	phaseStarted bool
}

func (d *BJT) NewRun() Loader { return &bjtRun{BJT: d} }

// AdmittanceReadsFrequency: with excess phase (ptf) the collector current's delay makes
// the small-signal admittance depend on the frequency (devices.AdmittanceByFrequency).
func (d *BJT) AdmittanceReadsFrequency() bool { return d.t.td != 0 }

// bjtCoupling holds the four matrix handles of a flow from node p to node n controlled by
// the voltage va - vb: rows p and n, columns a and b.
type bjtCoupling [4]mna.Handle

func bjtCouple(b *mna.Builder, p, n, a, c int) bjtCoupling {
	return bjtCoupling{b.Entry(p, a), b.Entry(p, c), b.Entry(n, a), b.Entry(n, c)}
}

// add stamps d = d(flow)/d(va - vb) into m.
func (k bjtCoupling) add(m []float64, d float64) {
	m[k[0]] += d
	m[k[1]] -= d
	m[k[2]] -= d
	m[k[3]] += d
}

// bjtTemp holds an instance's parameters at its temperature, with the areas applied.
type bjtTemp struct {
	vt                       float64
	is, isBE, isBC, ise, isc float64
	iss                      float64
	nf, nr, ne, nc, ns       float64
	bf, br                   float64
	invVaf, invVar           float64
	invIkf, invIkr           float64
	nkf                      float64
	nkfGiven                 bool
	gc, ge                   float64 // collector and emitter conductances
	rb, rbm, irb             float64
	tf, tr, xtf, ovtf, itf   float64
	td                       float64 // excess phase time constant
	cje, vje, mje            float64
	cjc, vjc, mjc, xcjc      float64
	cjs, vjs, mjs            float64
	fc, depCap, f1, f2, f3   float64
	f4, f5, f6, f7           float64
	vcrit, subVcrit          float64
	rci, vo, gamma, qco      float64 // quasi-saturation
	issGiven, quasi, rbGiven bool
	rcGiven, reGiven         bool
	quasimod                 int
	subLateral               bool
	tempK                    float64
	kf, af                   float64 // flicker noise (noise.go)
}

// bjtModel is the .model card as written, with ngspice's names and defaults.
type bjtModel struct {
	level, subs, tnom                                         float64
	npn, pnp                                                  float64
	is, ibe, ibc, bf, nf, vaf, ikf, ise, ne, br, nr           float64
	vaf2, ikr, isc, nc, rb, irb, rbm, re, rc                  float64
	cje, vje, mje, tf, xtf, vtf, itf, ptf                     float64
	cjc, vjc, mjc, xcjc, tr, cjs, vjs, mjs                    float64
	xtb, eg, xti, fc, iss, ns, rco, vo, gamma, qco            float64
	tlev, tlevc                                               float64
	tbf1, tbf2, tbr1, tbr2, tikf1, tikf2, tikr1, tikr2        float64
	tirb1, tirb2, tnc1, tnc2, tne1, tne2, tnf1, tnf2          float64
	tnr1, tnr2, trb1, trb2, trc1, trc2, tre1, tre2            float64
	trm1, trm2, tvaf1, tvaf2, tvar1, tvar2                    float64
	ctc, cte, cts, tvjc, tvje, tvjs                           float64
	titf1, titf2, ttf1, ttf2, ttr1, ttr2                      float64
	tmje1, tmje2, tmjc1, tmjc2, tmjs1, tmjs2, tns1, tns2      float64
	nkf, tis1, tis2, tise1, tise2, tisc1, tisc2, tiss1, tiss2 float64
	quasimod, vg, cn, d                                       float64
	kf, af                                                    float64 // flicker noise: noise.go

	subsGiven, tnomGiven, npnGiven, pnpGiven, ibeGiven, ibcGiven bool
	rbmGiven, vtfGiven, fcGiven, issGiven, rcoGiven              bool
	tbf1Given, tbf2Given, tbr1Given, tbr2Given, nkfGiven         bool
	cnGiven, dGiven                                              bool
}

func (m *bjtModel) params() paramSet {
	return paramSet{what: "BJT model", params: []param{
		p("level", 1, "", "model level: 1 is Gummel-Poon", &m.level),
		p("npn", 0, "", "NPN type device", &m.npn).withGiven(&m.npnGiven),
		p("pnp", 0, "", "PNP type device", &m.pnp).withGiven(&m.pnpGiven),
		p("subs", 1, "", "substrate orientation: 1 vertical, -1 lateral (default: npn vertical, pnp lateral)", &m.subs).withGiven(&m.subsGiven),
		p("tnom tref", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		p("is", 1e-16, "A", "transport saturation current", &m.is),
		p("ibe", 0, "A", "base-emitter saturation current (with ibc)", &m.ibe).withGiven(&m.ibeGiven),
		p("ibc", 0, "A", "base-collector saturation current (with ibe)", &m.ibc).withGiven(&m.ibcGiven),
		p("bf", 100, "", "ideal forward beta", &m.bf),
		p("nf", 1, "", "forward emission coefficient", &m.nf),
		p("vaf va", 0, "V", "forward Early voltage (0: infinite)", &m.vaf),
		p("ikf ik", 0, "A", "forward beta roll-off corner current (0: infinite)", &m.ikf),
		p("ise c2", 0, "A", "B-E leakage saturation current; above 1e-4, a multiple of is (SPICE2's c2)", &m.ise),
		p("ne", 1.5, "", "B-E leakage emission coefficient", &m.ne),
		p("br", 1, "", "ideal reverse beta", &m.br),
		p("nr", 1, "", "reverse emission coefficient", &m.nr),
		p("var vb", 0, "V", "reverse Early voltage (0: infinite)", &m.vaf2),
		p("ikr", 0, "A", "reverse beta roll-off corner current (0: infinite)", &m.ikr),
		p("isc c4", 0, "A", "B-C leakage saturation current; above 1e-4, a multiple of is (SPICE2's c4)", &m.isc),
		p("nc", 2, "", "B-C leakage emission coefficient", &m.nc),
		p("rb", 0, "ohm", "zero-bias base resistance", &m.rb),
		p("irb", 0, "A", "current where the base resistance is halfway to rbm (0: no modulation)", &m.irb),
		p("rbm", 0, "ohm", "minimum base resistance (default rb)", &m.rbm).withGiven(&m.rbmGiven),
		p("re", 0, "ohm", "emitter resistance", &m.re),
		p("rc", 0, "ohm", "collector resistance", &m.rc),
		p("cje", 0, "F", "zero-bias B-E depletion capacitance", &m.cje),
		p("vje pe", 0.75, "V", "B-E built-in potential", &m.vje),
		p("mje me", 0.33, "", "B-E junction grading coefficient", &m.mje),
		p("tf", 0, "s", "ideal forward transit time", &m.tf),
		p("xtf", 0, "", "coefficient of the bias dependence of tf", &m.xtf),
		p("vtf", 0, "V", "voltage giving the vbc dependence of tf (0: none)", &m.vtf).withGiven(&m.vtfGiven),
		p("itf", 0, "A", "high-current dependence of tf", &m.itf),
		p("ptf", 0, "deg", "excess phase at 1/(2 pi tf)", &m.ptf),
		p("cjc", 0, "F", "zero-bias B-C depletion capacitance", &m.cjc),
		p("vjc pc", 0.75, "V", "B-C built-in potential", &m.vjc),
		p("mjc mc", 0.33, "", "B-C junction grading coefficient", &m.mjc),
		p("xcjc", 1, "", "fraction of the B-C capacitance at the internal base", &m.xcjc),
		p("tr", 0, "s", "ideal reverse transit time", &m.tr),
		p("cjs csub ccs", 0, "F", "zero-bias substrate capacitance", &m.cjs),
		p("vjs ps", 0.75, "V", "substrate junction built-in potential", &m.vjs),
		p("mjs ms", 0, "", "substrate junction grading coefficient", &m.mjs),
		p("xtb", 0, "", "forward and reverse beta temperature exponent", &m.xtb),
		p("eg", 1.11, "eV", "energy gap for the temperature dependence of is", &m.eg),
		p("xti", 3, "", "temperature exponent of is", &m.xti),
		p("fc", 0.5, "", "forward-bias depletion capacitance coefficient", &m.fc).withGiven(&m.fcGiven),
		p("iss", 0, "A", "substrate junction saturation current", &m.iss).withGiven(&m.issGiven),
		p("ns", 1, "", "substrate junction emission coefficient", &m.ns),
		p("rco", 0.01, "ohm", "intrinsic collector resistance: given, it turns on quasi-saturation", &m.rco).withGiven(&m.rcoGiven),
		p("vo", 10, "V", "epi drift saturation voltage", &m.vo),
		p("gamma", 1e-11, "", "epi doping parameter", &m.gamma),
		p("qco", 0, "C", "epi charge parameter", &m.qco),
		p("tlev", 0, "", "temperature equations of is, ise, isc and beta: 0, 1 or 3", &m.tlev),
		p("tlevc", 0, "", "temperature equations of the capacitances: 0 or 1", &m.tlevc),
		p("tbf1", 0, "1/C", "bf first-order temperature coefficient", &m.tbf1).withGiven(&m.tbf1Given),
		p("tbf2", 0, "1/C^2", "bf second-order temperature coefficient", &m.tbf2).withGiven(&m.tbf2Given),
		p("tbr1", 0, "1/C", "br first-order temperature coefficient", &m.tbr1).withGiven(&m.tbr1Given),
		p("tbr2", 0, "1/C^2", "br second-order temperature coefficient", &m.tbr2).withGiven(&m.tbr2Given),
		p("tikf1", 0, "1/C", "ikf first-order temperature coefficient", &m.tikf1),
		p("tikf2", 0, "1/C^2", "ikf second-order temperature coefficient", &m.tikf2),
		p("tikr1", 0, "1/C", "ikr first-order temperature coefficient", &m.tikr1),
		p("tikr2", 0, "1/C^2", "ikr second-order temperature coefficient", &m.tikr2),
		p("tirb1", 0, "1/C", "irb first-order temperature coefficient", &m.tirb1),
		p("tirb2", 0, "1/C^2", "irb second-order temperature coefficient", &m.tirb2),
		p("tnc1", 0, "1/C", "nc first-order temperature coefficient", &m.tnc1),
		p("tnc2", 0, "1/C^2", "nc second-order temperature coefficient", &m.tnc2),
		p("tne1", 0, "1/C", "ne first-order temperature coefficient", &m.tne1),
		p("tne2", 0, "1/C^2", "ne second-order temperature coefficient", &m.tne2),
		p("tnf1", 0, "1/C", "nf first-order temperature coefficient", &m.tnf1),
		p("tnf2", 0, "1/C^2", "nf second-order temperature coefficient", &m.tnf2),
		p("tnr1", 0, "1/C", "nr first-order temperature coefficient", &m.tnr1),
		p("tnr2", 0, "1/C^2", "nr second-order temperature coefficient", &m.tnr2),
		p("trb1 trb", 0, "1/C", "rb first-order temperature coefficient", &m.trb1),
		p("trb2", 0, "1/C^2", "rb second-order temperature coefficient", &m.trb2),
		p("trc1 trc", 0, "1/C", "rc first-order temperature coefficient", &m.trc1),
		p("trc2", 0, "1/C^2", "rc second-order temperature coefficient", &m.trc2),
		p("tre1 tre", 0, "1/C", "re first-order temperature coefficient", &m.tre1),
		p("tre2", 0, "1/C^2", "re second-order temperature coefficient", &m.tre2),
		p("trm1", 0, "1/C", "rbm first-order temperature coefficient", &m.trm1),
		p("trm2", 0, "1/C^2", "rbm second-order temperature coefficient", &m.trm2),
		p("tvaf1", 0, "1/C", "vaf first-order temperature coefficient", &m.tvaf1),
		p("tvaf2", 0, "1/C^2", "vaf second-order temperature coefficient", &m.tvaf2),
		p("tvar1", 0, "1/C", "var first-order temperature coefficient", &m.tvar1),
		p("tvar2", 0, "1/C^2", "var second-order temperature coefficient", &m.tvar2),
		p("ctc", 0, "1/C", "cjc temperature coefficient (tlevc=1)", &m.ctc),
		p("cte", 0, "1/C", "cje temperature coefficient (tlevc=1)", &m.cte),
		p("cts", 0, "1/C", "cjs temperature coefficient (tlevc=1)", &m.cts),
		p("tvjc", 0, "V/C", "vjc temperature coefficient (tlevc=1)", &m.tvjc),
		p("tvje", 0, "V/C", "vje temperature coefficient (tlevc=1)", &m.tvje),
		p("tvjs", 0, "V/C", "vjs temperature coefficient (tlevc=1)", &m.tvjs),
		p("titf1", 0, "1/C", "itf first-order temperature coefficient", &m.titf1),
		p("titf2", 0, "1/C^2", "itf second-order temperature coefficient", &m.titf2),
		p("ttf1", 0, "1/C", "tf first-order temperature coefficient", &m.ttf1),
		p("ttf2", 0, "1/C^2", "tf second-order temperature coefficient", &m.ttf2),
		p("ttr1", 0, "1/C", "tr first-order temperature coefficient", &m.ttr1),
		p("ttr2", 0, "1/C^2", "tr second-order temperature coefficient", &m.ttr2),
		p("tmje1", 0, "1/C", "mje first-order temperature coefficient", &m.tmje1),
		p("tmje2", 0, "1/C^2", "mje second-order temperature coefficient", &m.tmje2),
		p("tmjc1", 0, "1/C", "mjc first-order temperature coefficient", &m.tmjc1),
		p("tmjc2", 0, "1/C^2", "mjc second-order temperature coefficient", &m.tmjc2),
		p("tmjs1", 0, "1/C", "mjs first-order temperature coefficient", &m.tmjs1),
		p("tmjs2", 0, "1/C^2", "mjs second-order temperature coefficient", &m.tmjs2),
		p("tns1", 0, "1/C", "ns first-order temperature coefficient", &m.tns1),
		p("tns2", 0, "1/C^2", "ns second-order temperature coefficient", &m.tns2),
		p("nkf nk", 0.5, "", "high-current beta roll-off exponent (at most 1)", &m.nkf).withGiven(&m.nkfGiven),
		p("tis1", 0, "1/C", "is first-order temperature coefficient (tlev=3)", &m.tis1),
		p("tis2", 0, "1/C^2", "is second-order temperature coefficient (tlev=3)", &m.tis2),
		p("tise1", 0, "1/C", "ise first-order temperature coefficient (tlev=3)", &m.tise1),
		p("tise2", 0, "1/C^2", "ise second-order temperature coefficient (tlev=3)", &m.tise2),
		p("tisc1", 0, "1/C", "isc first-order temperature coefficient (tlev=3)", &m.tisc1),
		p("tisc2", 0, "1/C^2", "isc second-order temperature coefficient (tlev=3)", &m.tisc2),
		p("tiss1", 0, "1/C", "iss first-order temperature coefficient (tlev=3)", &m.tiss1),
		p("tiss2", 0, "1/C^2", "iss second-order temperature coefficient (tlev=3)", &m.tiss2),
		p("quasimod", 0, "", "1: temperature dependence of the quasi-saturation parameters", &m.quasimod),
		p("vg", 1.206, "eV", "energy gap of the quasi-saturation temperature dependence", &m.vg),
		p("cn", 2.42, "", "temperature exponent of rco (default 2.42 npn, 2.2 pnp)", &m.cn).withGiven(&m.cnGiven),
		p("d", 0.87, "", "temperature exponent of vo (default 0.87 npn, 0.52 pnp)", &m.d).withGiven(&m.dGiven),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		accepted("vbe_max"),
		accepted("vbc_max"),
		accepted("vce_max"),
		accepted("pd_max"),
		accepted("ic_max"),
		accepted("ib_max"),
		accepted("te_max"),
		accepted("rth0"),
	}}
}

type bjtInstance struct {
	area, areab, areac, m, temp, dtemp, icVBE, icVCE float64
	areabGiven, areacGiven, tempGiven                bool
}

func (in *bjtInstance) params() paramSet {
	return paramSet{what: "BJT", params: []param{
		p("area", 1, "", "emitter area factor", &in.area),
		p("areab", 1, "", "base area factor (default area)", &in.areab).withGiven(&in.areabGiven),
		p("areac", 1, "", "collector area factor (default area)", &in.areac).withGiven(&in.areacGiven),
		p("m", 1, "", "parallel multiplier", &in.m),
		p("temp", 27, "C", "instance temperature", &in.temp).withGiven(&in.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &in.dtemp),
		p("icvbe", 0, "V", "initial B-E voltage (uic)", &in.icVBE),
		p("icvce", 0, "V", "initial C-E voltage (uic)", &in.icVCE),
		p("ic", 0, "V", "initial conditions vbe, vce (uic)", nil), // read from its list below
		accepted("sens_area"),
	}}
}

// Physical constants as ngspice 39 has them (CODATA 2014).
const (
	bjtBoltzmann = 1.38064852e-23
	bjtCharge    = 1.6021766208e-19
	bjtKelvin    = 273.15
	bjtRefTemp   = 300.15
	bjtMaxExpArg = 709.0
	bjtKOverQ    = bjtBoltzmann / bjtCharge
	bjtSettleTol = 1e-3 // relative tolerance of the settling test of an off device
)

func newBJT(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "BJT", "npn", "pnp")
	if err != nil {
		return nil, err
	}
	if isVBIC(card) {
		return newVBIC(e, card, env)
	}
	var m bjtModel
	if err := m.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	in, off, err := readBJTInstance(e)
	if err != nil {
		return nil, err
	}
	d := &BJT{name: e.Name, typ: bjtType(card, m.npnGiven && m.npn != 0, m.pnpGiven && m.pnp != 0), off: off}
	if m.level != 1 {
		return nil, elementError(e, "model %s: BJT level %g is not supported (level 1 is Gummel-Poon, 4 and 9 VBIC)", card.Name, m.level)
	}

	copy(d.nodes[:], e.Nodes)
	switch len(e.Nodes) {
	case 3:
		d.nodes[3] = "0" // ngspice ties a three-terminal BJT's substrate to ground
	case 4:
	default:
		return nil, elementError(e, "a BJT has 3 or 4 nodes (c b e [s]), got %d", len(e.Nodes))
	}
	if !in.areabGiven {
		in.areab = in.area
	}
	if !in.areacGiven {
		in.areac = in.area
	}
	for _, v := range []struct {
		name  string
		value float64
	}{{"area", in.area}, {"areab", in.areab}, {"areac", in.areac}, {"m", in.m}} {
		if !(v.value > 0) {
			return nil, elementError(e, "%s must be positive, got %g", v.name, v.value)
		}
	}
	if err := m.validate(); err != "" {
		return nil, elementError(e, "model %s: %s", card.Name, err)
	}
	d.mult, d.icVBE, d.icVCE = in.m, in.icVBE, in.icVCE

	tnom := env.TNom
	if m.tnomGiven {
		tnom = m.tnom
	}
	temp := env.Temp + in.dtemp
	if in.tempGiven {
		temp = in.temp
	}
	if !(temp > -bjtKelvin) || !(tnom > -bjtKelvin) {
		return nil, elementError(e, "temperature %g C (tnom %g C) is not above absolute zero", temp, tnom)
	}
	d.t = m.atTemperature(d.typ, in, temp+bjtKelvin, tnom+bjtKelvin)
	d.lateral = d.t.subLateral
	d.ttype = d.typ
	if d.lateral {
		d.ttype = -d.typ
	}
	return d, nil
}

// bjtType is +1 for an npn, -1 for a pnp: the card's type, unless the model's npn or pnp
// flag is set, which overrides it as in ngspice.
func bjtType(card *parser.Model, npn, pnp bool) float64 {
	typ := 1.0
	if card.Type == "pnp" {
		typ = -1
	}
	if npn {
		typ = 1
	}
	if pnp {
		typ = -1
	}
	return typ
}

// readBJTInstance reads a Q line's instance parameters, its positional area, off and
// ic=vbe,vce (Gummel-Poon and VBIC take the same).
func readBJTInstance(e *parser.Element) (in bjtInstance, off bool, err error) {
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return in, false, err
	}
	for i, a := range e.Args() {
		switch {
		case a.IsNumber && i == 0:
			in.area = a.Number
		case a.Word == "off":
			off = true
		default:
			return in, false, parser.Errorf(a.Pos, "%s: unexpected %q (a BJT takes an area and off)", e.Name, argText(a))
		}
	}
	// area= on the line comes after the positional area and wins, as in ngspice.
	if pr, ok := e.Param("area"); ok {
		in.area = pr.Value
	}
	if list, pr, ok := icList(e); ok {
		if len(list) > 2 {
			return in, false, parser.Errorf(pr.Pos, "%s: ic takes at most two values (ic=vbe,vce), got %d", e.Name, len(list))
		}
		in.icVBE = list[0]
		if len(list) == 2 {
			in.icVCE = list[1]
		}
	}
	return in, off, nil
}

// validate rejects values for which ngspice's equations divide by zero or take the
// logarithm of a negative number.
func (m *bjtModel) validate() string {
	positive := []struct {
		name  string
		value float64
	}{{"is", m.is}, {"bf", m.bf}, {"br", m.br}, {"nf", m.nf}, {"nr", m.nr}, {"ne", m.ne},
		{"nc", m.nc}, {"ns", m.ns}, {"vje", m.vje}, {"vjc", m.vjc}, {"vjs", m.vjs}}
	for _, v := range positive {
		if !(v.value > 0) {
			return v.name + " must be positive, got " + formatNumber(v.value)
		}
	}
	nonNegative := []struct {
		name  string
		value float64
	}{{"rb", m.rb}, {"rbm", m.rbm}, {"re", m.re}, {"rc", m.rc}, {"irb", m.irb}, {"cje", m.cje},
		{"cjc", m.cjc}, {"cjs", m.cjs}, {"tf", m.tf}, {"tr", m.tr}, {"itf", m.itf}, {"ise", m.ise},
		{"isc", m.isc}, {"iss", m.iss}, {"ibe", m.ibe}, {"ibc", m.ibc}}
	for _, v := range nonNegative {
		if v.value < 0 {
			return v.name + " must not be negative, got " + formatNumber(v.value)
		}
	}
	if m.xcjc < 0 || m.xcjc > 1 {
		return "xcjc must be between 0 and 1, got " + formatNumber(m.xcjc)
	}
	if m.fc < 0 {
		return "fc must not be negative, got " + formatNumber(m.fc)
	}
	if m.tlev != 0 && m.tlev != 1 && m.tlev != 3 {
		return "tlev must be 0, 1 or 3, got " + formatNumber(m.tlev)
	}
	if m.tlevc != 0 && m.tlevc != 1 {
		return "tlevc must be 0 or 1, got " + formatNumber(m.tlevc)
	}
	if m.rcoGiven && m.vo <= 0 {
		return "vo must be positive, got " + formatNumber(m.vo)
	}
	return ""
}

// bjtPoly is the temperature polynomial 1 + c1 dt + c2 dt^2 of ngspice's t* coefficients.
func bjtPoly(c1, c2, dt float64) float64 { return 1 + c1*dt + c2*dt*dt }

// atTemperature computes an instance's parameters at temp (kelvin), as bjttemp.c does.
func (m *bjtModel) atTemperature(typ float64, in bjtInstance, temp, tnom float64) bjtTemp {
	var t bjtTemp
	area := in.area
	t.tempK = temp
	vertical := typ > 0 // ngspice: npn vertical, pnp lateral, unless subs says otherwise
	if m.subsGiven && (m.subs == 1 || m.subs == -1) {
		vertical = m.subs == 1
	}
	t.subLateral = !vertical
	// The base and collector areas as the substrate orientation assigns them.
	areaBC, areaSub := in.areab, in.areac
	if !vertical {
		areaBC, areaSub = in.areac, in.areab
	}

	// ise and isc above 1e-4 are SPICE2's c2 and c4: multiples of is (bjtsetup.c).
	ise, isc := m.ise, m.isc
	if ise > 1e-4 {
		ise *= m.is
	}
	if isc > 1e-4 {
		isc *= m.is
	}
	rbm := m.rb
	if m.rbmGiven {
		rbm = m.rbm
	}
	if m.vtfGiven && m.vtf != 0 {
		t.ovtf = 1 / (m.vtf * 1.44)
	}
	t.td = m.ptf * math.Pi / 180 * m.tf
	t.fc = m.fc
	if t.fc > 0.9999 {
		t.fc = 0.9999 // ngspice limits fc with a warning
	}
	xfc := math.Log(1 - t.fc)
	t.nkf, t.nkfGiven = m.nkf, m.nkfGiven
	if t.nkf > 1 {
		t.nkf = 1
	}

	dt := temp - tnom
	if m.vaf != 0 {
		t.invVaf = 1 / (m.vaf * bjtPoly(m.tvaf1, m.tvaf2, dt))
	}
	if m.ikf != 0 {
		t.invIkf = 1 / (m.ikf * bjtPoly(m.tikf1, m.tikf2, dt)) / area
	}
	if m.vaf2 != 0 {
		t.invVar = 1 / (m.vaf2 * bjtPoly(m.tvar1, m.tvar2, dt))
	}
	if m.ikr != 0 {
		t.invIkr = 1 / (m.ikr * bjtPoly(m.tikr1, m.tikr2, dt)) / area
	}
	t.rcGiven, t.reGiven, t.rbGiven = m.rc != 0, m.re != 0, m.rb != 0
	t.kf, t.af = m.kf, m.af
	if m.rc != 0 {
		t.gc = area / (m.rc * bjtPoly(m.trc1, m.trc2, dt))
	}
	if m.re != 0 {
		t.ge = area / (m.re * bjtPoly(m.tre1, m.tre2, dt))
	}
	t.rb = m.rb * bjtPoly(m.trb1, m.trb2, dt) / area
	t.rbm = rbm * bjtPoly(m.trm1, m.trm2, dt) / area
	t.irb = m.irb * bjtPoly(m.tirb1, m.tirb2, dt) * area
	t.nf = m.nf * bjtPoly(m.tnf1, m.tnf2, dt)
	t.nr = m.nr * bjtPoly(m.tnr1, m.tnr2, dt)
	t.ne = m.ne * bjtPoly(m.tne1, m.tne2, dt)
	t.nc = m.nc * bjtPoly(m.tnc1, m.tnc2, dt)
	t.itf = m.itf * bjtPoly(m.titf1, m.titf2, dt) * area
	t.tf = m.tf * bjtPoly(m.ttf1, m.ttf2, dt)
	t.tr = m.tr * bjtPoly(m.ttr1, m.ttr2, dt)
	t.xtf = m.xtf
	t.xcjc = m.xcjc
	// ngspice limits the grading coefficients (with a warning): 1 - m divides below.
	t.mje = math.Min(m.mje*bjtPoly(m.tmje1, m.tmje2, dt), 0.999)
	t.mjc = math.Min(m.mjc*bjtPoly(m.tmjc1, m.tmjc2, dt), 0.999)
	t.mjs = math.Min(m.mjs*bjtPoly(m.tmjs1, m.tmjs2, dt), 0.999)
	t.ns = m.ns * bjtPoly(m.tns1, m.tns2, dt)

	vt := temp * bjtKOverQ
	vtnom := tnom * bjtKOverQ
	t.vt = vt
	fact1 := tnom / bjtRefTemp
	fact2 := temp / bjtRefTemp
	pbfact := bjtPotentialShift(temp, vt, fact2)
	pbfact1 := bjtPotentialShift(tnom, vtnom, fact1)
	ratlog := math.Log(temp / tnom)
	ratio1 := temp/tnom - 1
	factlog := ratio1*m.eg/vt + m.xti*ratlog
	both := m.ibeGiven && m.ibcGiven
	t.issGiven = m.issGiven
	tlev := int(m.tlev)
	if tlev == 3 {
		pw := bjtPoly(m.tis1, m.tis2, dt)
		t.is = area * math.Pow(m.is, pw)
		t.isBE, t.isBC = t.is, t.is
		if both {
			t.isBE = area * math.Pow(m.ibe, pw)
			t.isBC = math.Pow(m.ibc, pw)
		}
		t.iss = math.Pow(m.iss, bjtPoly(m.tiss1, m.tiss2, dt))
	} else {
		factor := math.Exp(factlog)
		t.is = area * m.is * factor
		t.isBE, t.isBC = t.is, t.is
		if both {
			factor = math.Exp(factlog / m.nf)
			t.isBE = area * m.ibe * factor
			factor = math.Exp(factlog / m.nr)
			t.isBC = m.ibc * factor
		}
		t.iss = m.iss * factor // the last factor, as bjttemp.c has it
	}
	t.isBC *= areaBC
	if both {
		t.iss *= areaSub
	} else {
		t.iss *= area
	}

	if m.rcoGiven {
		t.quasi = true
		t.rci, t.vo, t.gamma, t.qco = math.Max(m.rco, 0.01), m.vo, m.gamma, m.qco
		t.quasimod = int(m.quasimod)
		if t.quasimod == 1 {
			cn, d := m.cn, m.d
			if !m.cnGiven && typ < 0 {
				cn = 2.2
			}
			if !m.dGiven && typ < 0 {
				d = 0.52
			}
			rT := temp / tnom
			t.rci *= math.Pow(rT, cn)
			t.vo *= math.Pow(rT, d)
			t.gamma *= math.Pow(rT, m.xti) * math.Exp(-m.vg*(1-rT)/vt)
		}
	}

	bfactor := 1.0
	switch tlev {
	case 0:
		bfactor = math.Exp(ratlog * m.xtb)
	case 1:
		bfactor = 1 + m.xtb*dt
	}
	t.bf = m.bf * bfactor
	if m.tbf1Given || m.tbf2Given {
		t.bf = m.bf * bjtPoly(m.tbf1, m.tbf2, dt)
	}
	t.br = m.br * bfactor
	if m.tbr1Given || m.tbr2Given {
		t.br = m.br * bjtPoly(m.tbr1, m.tbr2, dt)
	}
	if tlev == 3 {
		t.ise = area * math.Pow(ise, bjtPoly(m.tise1, m.tise2, dt))
		t.isc = math.Pow(isc, bjtPoly(m.tisc1, m.tisc2, dt))
	} else {
		t.ise = area * ise * math.Exp(factlog/m.ne) / bfactor
		t.isc = isc * math.Exp(factlog/m.nc) / bfactor
	}
	t.isc *= areaBC

	capAt := func(c0, pb, mj, ctc, tvj float64) (float64, float64) {
		if m.tlevc == 1 {
			return c0 * (1 + ctc*dt), pb - tvj*dt
		}
		pbo := (pb - pbfact1) / fact1
		gmaold := (pb - pbo) / pbo
		c := c0 / (1 + mj*(4e-4*(tnom-bjtRefTemp)-gmaold))
		pot := fact2*pbo + pbfact
		gmanew := (pot - pbo) / pbo
		return c * (1 + mj*(4e-4*(temp-bjtRefTemp)-gmanew)), pot
	}
	t.cje, t.vje = capAt(m.cje, m.vje, t.mje, m.cte, m.tvje)
	t.cje *= area
	t.cjc, t.vjc = capAt(m.cjc, m.vjc, t.mjc, m.ctc, m.tvjc)
	t.cjc *= areaBC
	t.cjs, t.vjs = capAt(m.cjs, m.vjs, t.mjs, m.cts, m.tvjs)
	t.cjs *= areaSub

	t.depCap = t.fc * t.vje
	t.f1 = t.vje * (1 - math.Exp((1-t.mje)*xfc)) / (1 - t.mje)
	t.f4 = t.fc * t.vjc
	t.f5 = t.vjc * (1 - math.Exp((1-t.mjc)*xfc)) / (1 - t.mjc)
	t.f2 = math.Exp((1 + t.mje) * xfc)
	t.f3 = 1 - t.fc*(1+t.mje)
	t.f6 = math.Exp((1 + t.mjc) * xfc)
	t.f7 = 1 - t.fc*(1+t.mjc)
	t.vcrit = vt * math.Log(vt/(math.Sqrt2*t.is))
	t.subVcrit = 50 // ngspice limits vsub against 50 V without iss
	if t.issGiven && t.iss > 0 {
		t.subVcrit = vt * math.Log(vt/(math.Sqrt2*t.iss))
	}
	return t
}

// bjtPotentialShift is ngspice's pbfact: how a built-in potential moves with the
// band gap from 300.15 K to temp.
func bjtPotentialShift(temp, vt, fact float64) float64 {
	egfet := 1.16 - (7.02e-4*temp*temp)/(temp+1108)
	arg := -egfet/(2*bjtBoltzmann*temp) + 1.1150877/(bjtBoltzmann*(bjtRefTemp+bjtRefTemp))
	return -2 * vt * (1.5*math.Log(fact) + bjtCharge*arg)
}

func (d *BJT) Name() string { return d.name }

func (d *BJT) Setup(b *mna.Builder) {
	d.c, d.b, d.e, d.s = b.Node(d.nodes[0]), b.Node(d.nodes[1]), b.Node(d.nodes[2]), b.Node(d.nodes[3])
	d.cx, d.bp, d.ep = d.c, d.b, d.e
	if d.t.rcGiven {
		d.cx = b.InternalNode(d.name, "collcx")
	}
	d.cp = d.cx
	if d.t.quasi {
		d.cp = b.InternalNode(d.name, "collector")
	}
	if d.t.rbGiven {
		d.bp = b.InternalNode(d.name, "base")
	}
	if d.t.reGiven {
		d.ep = b.InternalNode(d.name, "emitter")
	}
	d.sc = d.cp
	if d.lateral {
		d.sc = d.bp
	}
	c, bb, e, s, cx, cp, bp, ep, sc := d.c, d.b, d.e, d.s, d.cx, d.cp, d.bp, d.ep, d.sc
	d.rc = bjtCouple(b, c, cx, c, cx)
	d.re = bjtCouple(b, e, ep, e, ep)
	d.rb = bjtCouple(b, bb, bp, bb, bp)
	d.rbVbe = bjtCouple(b, bb, bp, bp, ep)
	d.rbVbc = bjtCouple(b, bb, bp, bp, cp)
	d.ccVbe = bjtCouple(b, cp, ep, bp, ep)
	d.ccVbc = bjtCouple(b, cp, ep, bp, cp)
	d.cbVbe = bjtCouple(b, bp, ep, bp, ep)
	d.cbVbc = bjtCouple(b, bp, ep, bp, cp)
	d.bcVbc = bjtCouple(b, bp, cp, bp, cp)
	d.bxVbx = bjtCouple(b, bb, cp, bb, cp)
	d.subVsub = bjtCouple(b, s, sc, s, sc)
	if d.t.quasi {
		d.rciVrci = bjtCouple(b, cx, cp, cx, cp)
		d.rciVbc = bjtCouple(b, cx, cp, bp, cp)
		d.rciVbcx = bjtCouple(b, cx, cp, bp, cx)
		d.bcxVbcx = bjtCouple(b, bp, cx, bp, cx)
	}
}

// bjtPnjlim limits the Newton step of a junction voltage as ngspice's DEVpnjlim does.
func bjtPnjlim(vnew, vold, vt, vcrit float64) (float64, bool) {
	if vnew > vcrit && math.Abs(vnew-vold) > vt+vt {
		if vold > 0 {
			arg := (vnew - vold) / vt
			if arg > 0 {
				return vold + vt*(2+math.Log(arg-2)), true
			}
			return vold - vt*(2+math.Log(2-arg)), true
		}
		return vt * math.Log(vnew/vt), true
	}
	if vnew < 0 {
		arg := 2*vold - 1
		if vold > 0 {
			arg = -vold - 1
		}
		if vnew < arg {
			return arg, true
		}
	}
	return vnew, false
}

// bjtJunction is ngspice's junction current is*(exp(v/vtn)-1) with its derivative,
// continued below -3 vtn by a cubic that tends to -is.
func bjtJunction(is, v, vtn float64) (float64, float64) {
	if v >= -3*vtn {
		ev := math.Exp(v / vtn)
		return is * (ev - 1), is * ev / vtn
	}
	arg := 3 * vtn / (v * math.E)
	arg = arg * arg * arg
	return -is * (1 + arg), is * 3 * arg / v
}

// bjtDepletion is ngspice's depletion charge and capacitance of a junction with zero-bias
// capacitance cz, potential pb and grading mj, linear in capacitance above fcpb (f1,
// f2, f3 as bjttemp.c computes them).
func bjtDepletion(v, cz, pb, mj, fcpb, f1, f2, f3 float64) (float64, float64) {
	if v < fcpb {
		arg := 1 - v/pb
		sarg := math.Exp(-mj * math.Log(arg))
		return pb * cz * (1 - arg*sarg) / (1 - mj), cz * sarg
	}
	czf2 := cz / f2
	return cz*f1 + czf2*(f3*(v-fcpb)+(mj/(pb+pb))*(v*v-fcpb*fcpb)), czf2 * (f3 + mj*v/pb)
}

func (d *bjtRun) Load(ctx *Context) {
	t := &d.t
	x := ctx.X
	typ := d.typ
	vt := t.vt

	// The controlling voltages at X.
	vbeX := typ * (x[d.bp] - x[d.ep])
	vbcX := typ * (x[d.bp] - x[d.cp])
	vbx := typ * (x[d.b] - x[d.cp])
	vbcx := typ * (x[d.bp] - x[d.cx])
	vsubX := d.ttype * (x[d.s] - x[d.sc])

	// The voltages the model is evaluated at: limited against the last evaluation.
	vbe, vbc, vsub := vbeX, vbcX, vsubX
	switch {
	case ctx.UIC:
		vbe = typ * d.icVBE
		vbc = vbe - typ*d.icVCE
		vbx, vbcx, vsub = vbc, vbc, 0
	case ctx.InitJunctions:
		vbe, vbc, vsub = t.vcrit, 0, 0
		d.holding, d.icStart = d.off, false
		if d.off {
			vbe = 0
			d.saveHeld(x)
		}
	case d.holding:
		// ngspice holds an off device at zero until the rest of the circuit converges.
		if d.settled(x) {
			d.holding = false
			vbe, vbc, vsub = d.limit(ctx, vbe, vbc, vsub)
		} else {
			vbe, vbc, vsub = 0, 0, 0
			d.saveHeld(x)
		}
		ctx.Limited = true
	case ctx.FirstIteration && d.icStart:
		// The first step after a uic start begins at the initial conditions' junction
		// voltages, as ngspice's MODEINITTRAN does, not at the nodes' voltages.
		vbe, vbc, vsub = d.icV[0], d.icV[1], d.icV[2]
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		vbe, vbc, vsub = d.limit(ctx, vbe, vbc, vsub)
	}
	d.vbe, d.vbc, d.vsub = vbe, vbc, vsub
	dvbe, dvbc, dvsub := vbeX-vbe, vbcX-vbc, vsubX-vsub
	if ctx.UIC {
		d.icStart, d.icV = true, [3]float64{vbe, vbc, vsub}
		dvbe, dvbc, dvsub = 0, 0, 0 // the charges are those of the initial conditions
	}

	// Junction currents, gmin across each, and the base charge.
	j := d.static(vbe, vbc, ctx.Gmin)
	cbe, gbe, cbc, gbc := j.cbe, j.gbe, j.cbc, j.gbc
	qb, dqbdve, dqbdvc := j.qb, j.dqbdve, j.dqbdvc
	cdsub, gdsub := d.substrate(vsub, ctx.Gmin)

	// Excess phase: Weil's approximation, integrated by backward Euler over the step.
	cc, cex, gex := 0.0, cbe, gbe
	if ctx.Mode == ModeTran {
		if hist, arg3, ok := d.excessPhase(ctx.Time); ok {
			cc, cex, gex = hist, cbe*arg3, gbe*arg3
		}
	}

	ct, cb, gpi, gmu, gout, gm := j.transport(t, cex, gex)
	cc += ct

	m := d.mult
	f, g := ctx.F, ctx.G

	// Transistor currents C'->E' (cc) and B'->E' (cb), linearized at the limited voltages.
	ccLin := cc + (gm+gout)*dvbe - (gout+gmu)*dvbc
	cbLin := cb + gpi*dvbe + gmu*dvbc
	f[d.cp] += m * typ * ccLin
	f[d.bp] += m * typ * cbLin
	f[d.ep] -= m * typ * (ccLin + cbLin)
	gce := m * (gm + gout)
	if ctx.Mode == ModeAC && t.td != 0 && ctx.Hertz > 0 {
		// Excess phase in .ac, as ngspice's: the collector current vbe drives lags by
		// td, (gm + go) e^(-j omega td); the imaginary part over omega is a capacitance.
		w := 2 * math.Pi * ctx.Hertz
		d.ccVbe.add(ctx.C, -gce*math.Sin(w*t.td)/w)
		gce *= math.Cos(w * t.td)
	}
	d.ccVbe.add(g, gce)
	d.ccVbc.add(g, -m*(gout+gmu))
	d.cbVbe.add(g, m*gpi)
	d.cbVbc.add(g, m*gmu)

	// Ohmic resistances; the base's depends on qb, or on the base current with irb.
	if t.rcGiven {
		i := t.gc * (x[d.c] - x[d.cx])
		f[d.c] += m * i
		f[d.cx] -= m * i
		d.rc.add(g, m*t.gc)
	}
	if t.reGiven {
		i := t.ge * (x[d.e] - x[d.ep])
		f[d.e] += m * i
		f[d.ep] -= m * i
		d.re.add(g, m*t.ge)
	}
	if t.rbGiven {
		gx, dgxdve, dgxdvc := d.baseConductance(qb, dqbdve, dqbdvc, cb, gpi, gmu)
		if ctx.Mode == ModeAC {
			// ngspice's small-signal model has rb as the plain conductance gx.
			dgxdve, dgxdvc = 0, 0
		}
		vrb := x[d.b] - x[d.bp]
		gxLin := gx + dgxdve*dvbe + dgxdvc*dvbc
		f[d.b] += m * gxLin * vrb
		f[d.bp] -= m * gxLin * vrb
		d.rb.add(g, m*gxLin)
		d.rbVbe.add(g, m*typ*vrb*dgxdve)
		d.rbVbc.add(g, m*typ*vrb*dgxdvc)
	}

	// Substrate junction S->SC.
	subLin := cdsub + gdsub*dvsub
	f[d.s] += m * d.ttype * subLin
	f[d.sc] -= m * d.ttype * subLin
	d.subVsub.add(g, m*gdsub)

	// Kull's quasi-saturation: the epi current CX->C' and its charges.
	var qbci, cbci, qbcx, cbcx float64
	if t.quasi {
		vrci := vbc - vbcx // at the limited vbc, as ngspice has it
		irci, dVrci, dVbci, dVbcx := 0.0, 0.0, 0.0, 0.0
		if vrci > 0 {
			ebci := t.gamma * math.Exp(vbc/vt)
			ebcx := t.gamma * math.Exp(vbcx/vt)
			kbci := math.Sqrt(1 + ebci)
			kbciV := ebci / (2 * vt * kbci)
			kbcx := math.Sqrt(1 + ebcx)
			kbcxV := ebcx / (2 * vt * kbcx)
			rKp1 := (1 + kbci) / (1 + kbcx)
			lnV := kbciV / (1 + kbci)  // d log(rKp1)/d vbc
			lnX := -kbcxV / (1 + kbcx) // d log(rKp1)/d vbcx
			vcorr := vt * (kbci - kbcx - math.Log(rKp1))
			iohm := (vrci + vcorr) / t.rci
			quot := 1 + vrci/t.vo
			irci = iohm / quot
			dVrci = 1/t.rci/quot - iohm/(t.vo*quot*quot)
			dVbci = vt * (kbciV - lnV) / t.rci / quot
			dVbcx = vt * (-kbcxV - lnX) / t.rci / quot
			qbci, cbci = t.qco*kbci, t.qco*kbciV
			qbcx, cbcx = t.qco*kbcx, t.qco*kbcxV
		} else {
			irci = vrci / t.rci
			dVrci = 1 / t.rci
		}
		irci += ctx.Gmin * vrci
		dVrci += ctx.Gmin
		// vrci - vrci(limited) = dvbc, since vbcx is not limited.
		iLin := irci + dVrci*dvbc + dVbci*dvbc
		f[d.cx] += m * typ * iLin
		f[d.cp] -= m * typ * iLin
		d.rciVrci.add(g, m*dVrci)
		d.rciVbc.add(g, m*dVbci)
		d.rciVbcx.add(g, m*dVbcx)
	}

	if ctx.Mode == ModeOP {
		return
	}

	// Charges: B'->E' (transit time and depletion), B'->C', B->C' (the part of the
	// B-C capacitance outside rb), S->SC, and B'->CX with quasi-saturation.
	cbeQ, gbeQ, geqcb := cbe, gbe, 0.0
	if t.tf != 0 && vbe > 0 {
		argtf, arg2, arg3 := 0.0, 0.0, 0.0
		if t.xtf != 0 {
			argtf = t.xtf
			if t.ovtf != 0 {
				argtf *= math.Exp(vbc * t.ovtf)
			}
			arg2 = argtf
			if t.itf != 0 {
				temp := cbe / (cbe + t.itf)
				argtf *= temp * temp
				arg2 = argtf * (3 - temp - temp)
			}
			arg3 = cbe * argtf * t.ovtf
		}
		cbeQ = cbe * (1 + argtf) / qb
		gbeQ = (gbe*(1+arg2) - cbeQ*dqbdve) / qb
		geqcb = t.tf * (arg3 - cbeQ*dqbdvc) / qb
	}
	qbe, capbe := bjtDepletion(vbe, t.cje, t.vje, t.mje, t.depCap, t.f1, t.f2, t.f3)
	qbe += t.tf * cbeQ
	capbe += t.tf * gbeQ
	czbc := t.cjc * t.xcjc
	qbc, capbc := bjtDepletion(vbc, czbc, t.vjc, t.mjc, t.f4, t.f5, t.f6, t.f7)
	qbc += t.tr*cbc + qbci
	capbc += t.tr*gbc + cbci
	qbx, capbx := bjtDepletion(vbx, t.cjc-czbc, t.vjc, t.mjc, t.f4, t.f5, t.f6, t.f7)
	var qsub, capsub float64
	if vsub < 0 {
		arg := 1 - vsub/t.vjs
		sarg := math.Exp(-t.mjs * math.Log(arg))
		qsub, capsub = t.vjs*t.cjs*(1-arg*sarg)/(1-t.mjs), t.cjs*sarg
	} else {
		qsub, capsub = vsub*t.cjs*(1+t.mjs*vsub/(2*t.vjs)), t.cjs*(1+t.mjs*vsub/t.vjs)
	}

	q, cm := ctx.Q, ctx.C
	qbeLin := qbe + capbe*dvbe + geqcb*dvbc
	q[d.bp] += m * typ * qbeLin
	q[d.ep] -= m * typ * qbeLin
	d.cbVbe.add(cm, m*capbe)
	d.cbVbc.add(cm, m*geqcb)
	qbcLin := qbc + capbc*dvbc
	q[d.bp] += m * typ * qbcLin
	q[d.cp] -= m * typ * qbcLin
	d.bcVbc.add(cm, m*capbc)
	q[d.b] += m * typ * qbx
	q[d.cp] -= m * typ * qbx
	d.bxVbx.add(cm, m*capbx)
	qsubLin := qsub + capsub*dvsub
	q[d.s] += m * d.ttype * qsubLin
	q[d.sc] -= m * d.ttype * qsubLin
	d.subVsub.add(cm, m*capsub)
	if t.quasi {
		q[d.bp] += m * typ * qbcx
		q[d.cx] -= m * typ * qbcx
		d.bcxVbcx.add(cm, m*cbcx)
	}
}

// bjtStatic is the intrinsic transistor's junction currents at one bias, gmin across
// each, and its base charge with its derivatives.
type bjtStatic struct {
	cbe, gbe, cben, gben, cbc, gbc, cbcn, gbcn float64
	qb, dqbdve, dqbdvc                         float64
}

// static evaluates the junction currents and the base charge at vbe, vbc.
// substrate is the substrate junction's current from S to SC and its conductance at
// vsub, gmin across it.
func (d *BJT) substrate(vsub, gmin float64) (c, g float64) {
	t := &d.t
	c, g = gmin*vsub, gmin
	if t.issGiven {
		vts := t.vt * t.ns
		if vsub <= -3*vts {
			cj, gj := bjtJunction(t.iss, vsub, vts)
			return c + cj, g + gj
		}
		ev := math.Exp(math.Min(bjtMaxExpArg, vsub/vts))
		c += t.iss * (ev - 1)
		g += t.iss * ev / vts
	}
	return c, g
}

func (d *BJT) static(vbe, vbc, gmin float64) (j bjtStatic) {
	t := &d.t
	vt := t.vt
	j.cbe, j.gbe = bjtJunction(t.isBE, vbe, vt*t.nf)
	if t.ise != 0 {
		j.cben, j.gben = bjtJunction(t.ise, vbe, vt*t.ne)
	}
	j.cben += gmin * vbe
	j.gben += gmin
	j.cbc, j.gbc = bjtJunction(t.isBC, vbc, vt*t.nr)
	if t.isc != 0 {
		j.cbcn, j.gbcn = bjtJunction(t.isc, vbc, vt*t.nc)
	}
	j.cbcn += gmin * vbc
	j.gbcn += gmin
	// Base charge: Early effects and high injection.
	j.qb, j.dqbdve, j.dqbdvc = d.baseCharge(vbe, vbc, j.cbe, j.cbc, j.gbe, j.gbc)
	return j
}

// transport returns the collector current C'->E' (without excess phase's history), the
// base current B'->E' and their conductances, with cex and gex the B-E current and
// conductance that drive the collector (cbe and gbe without excess phase).
func (j *bjtStatic) transport(t *bjtTemp, cex, gex float64) (cc, cb, gpi, gmu, gout, gm float64) {
	cc = (cex-j.cbc)/j.qb - j.cbc/t.br - j.cbcn
	cb = j.cbe/t.bf + j.cben + j.cbc/t.br + j.cbcn
	gpi = j.gbe/t.bf + j.gben
	gmu = j.gbc/t.br + j.gbcn
	gout = (j.gbc + (cex-j.cbc)*j.dqbdvc/j.qb) / j.qb
	gm = (gex-(cex-j.cbc)*j.dqbdve/j.qb)/j.qb - gout
	return
}

// limit applies pnjlim to the junction voltages against the last evaluation's.
func (d *bjtRun) limit(ctx *Context, vbe, vbc, vsub float64) (float64, float64, float64) {
	vt := d.t.vt
	var l1, l2, l3 bool
	vbe, l1 = bjtPnjlim(vbe, d.vbe, vt, d.t.vcrit)
	vbc, l2 = bjtPnjlim(vbc, d.vbc, vt, d.t.vcrit)
	vsub, l3 = bjtPnjlim(vsub, d.vsub, vt, d.t.subVcrit)
	if l1 || l2 || l3 {
		ctx.Limited = true
	}
	return vbe, vbc, vsub
}

// heldNodes lists the nodes whose voltages decide when a held off device is released.
func (d *BJT) heldNodes() [8]int {
	return [8]int{d.c, d.b, d.e, d.s, d.cx, d.cp, d.bp, d.ep}
}

func (d *bjtRun) saveHeld(x []float64) {
	for i, n := range d.heldNodes() {
		d.heldX[i] = x[n]
	}
}

// settled reports whether the device's node voltages changed by less than SPICE's
// default tolerances (reltol 1e-3, vntol 1e-6) since the last iteration.
func (d *bjtRun) settled(x []float64) bool {
	for i, n := range d.heldNodes() {
		v, old := x[n], d.heldX[i]
		if math.Abs(v-old) > bjtSettleTol*math.Max(math.Abs(v), math.Abs(old))+1e-6 {
			return false
		}
	}
	return true
}

// baseConductance is 1/rbb with its derivatives by vbe and vbc: rbb falls from rb to
// rbm as qb grows, or, with irb, as the base current grows (ngspice's tan formula).
func (d *BJT) baseConductance(qb, dqbdve, dqbdvc, cb, gpi, gmu float64) (gx, dve, dvc float64) {
	t := &d.t
	rbpi := t.rb - t.rbm
	rbb := t.rbm + rbpi/qb
	drbdve, drbdvc := -rbpi*dqbdve/(qb*qb), -rbpi*dqbdvc/(qb*qb)
	if t.irb != 0 {
		a := cb / t.irb
		da := 1 / t.irb // d a / d cb
		if a < 1e-9 {
			a, da = 1e-9, 0
		}
		s := math.Sqrt(1 + 14.59025*a)
		r := math.Sqrt(a)
		z := (s - 1) / 2.4317 / r
		dzda := (14.59025*r/(2*s) - (s-1)/(2*r)) / (2.4317 * a)
		tz := math.Tan(z)
		num, den := tz-z, z*tz*tz
		rbb = t.rbm + 3*rbpi*num/den
		dden := tz*tz + 2*z*tz*(1+tz*tz)
		dfdz := (tz*tz*den - num*dden) / (den * den)
		drb := 3 * rbpi * dfdz * dzda * da // d rbb / d cb
		drbdve, drbdvc = drb*gpi, drb*gmu
	}
	if rbb == 0 {
		return 0, 0, 0
	}
	gx = 1 / rbb
	return gx, -gx * gx * drbdve, -gx * gx * drbdvc
}

// baseCharge is the normalized base charge qb (Early effects and high injection) with its
// derivatives by vbe and vbc.
func (d *BJT) baseCharge(vbe, vbc, cbe, cbc, gbe, gbc float64) (qb, dqbdve, dqbdvc float64) {
	t := &d.t
	q1 := 1 / (1 - t.invVaf*vbc - t.invVar*vbe)
	if t.invIkf == 0 && t.invIkr == 0 {
		return q1, q1 * q1 * t.invVar, q1 * q1 * t.invVaf
	}
	q2 := t.invIkf*cbe + t.invIkr*cbc
	arg := math.Max(0, 1+4*q2)
	sqarg, dsq := 1.0, 0.0 // sqarg = arg^nkf; dsq = d(sqarg)/d(q2) / 2
	if arg != 0 {
		if t.nkfGiven {
			sqarg = math.Pow(arg, t.nkf)
			dsq = 2 * sqarg * t.nkf / arg
		} else {
			sqarg = math.Sqrt(arg)
			dsq = 1 / sqarg
		}
	}
	qb = q1 * (1 + sqarg) / 2
	return qb, q1 * (qb*t.invVar + t.invIkf*gbe*dsq), q1 * (qb*t.invVaf + t.invIkr*gbc*dsq)
}

// excessPhase returns, for a point at time after the last accepted one, the part of the
// delayed transport current that comes from the history (ngspice's cc before the present
// cbe adds in) and the weight arg3 of the present cbe/qb; ok is false without excess phase.
func (d *bjtRun) excessPhase(time float64) (hist, arg3 float64, ok bool) {
	delta := time - d.t1
	if d.t.td == 0 || !d.phaseStarted || !(delta > 0) {
		return 0, 0, false
	}
	arg1 := delta / d.t.td
	arg2 := 3 * arg1
	arg1 = arg2 * arg1
	denom := 1 + arg1 + arg2
	ratio := 0.0 // the step over the one before; the first step has equal history points
	if d.t1 > d.t2 {
		ratio = delta / (d.t1 - d.t2)
	}
	return (d.cex1*(1+ratio+arg2) - d.cex2*ratio) / denom, arg1 / denom, true
}

// Accept keeps the excess-phase history: ngspice's cexbc (the delayed cbe/qb) at the last
// two accepted points, at the start both cbe/qb of the initial point. ngspice takes them
// from its last Newton load; they are computed here at the accepted solution itself, which
// differs by the last Newton update only, but that difference would stay in the delayed
// current (whose response to vbe is nearly nil for steps much shorter than td).
func (d *bjtRun) Accept(ctx *Context) {
	t := &d.t
	if ctx.Time > 0 {
		d.icStart = false
	}
	if t.td == 0 {
		return
	}
	x := ctx.X
	vbe := d.typ * (x[d.bp] - x[d.ep])
	vbc := d.typ * (x[d.bp] - x[d.cp])
	if d.icStart {
		vbe, vbc = d.icV[0], d.icV[1] // a uic start: the junctions are at the initial conditions
	}
	cbe, gbe := bjtJunction(t.isBE, vbe, t.vt*t.nf)
	cbc, gbc := bjtJunction(t.isBC, vbc, t.vt*t.nr)
	qb, _, _ := d.baseCharge(vbe, vbc, cbe, cbc, gbe, gbc)
	if ctx.Time == 0 || !d.phaseStarted {
		d.cex1, d.cex2 = cbe/qb, cbe/qb
		d.t1, d.t2 = ctx.Time, ctx.Time
		d.phaseStarted = true
		return
	}
	cex := cbe / qb
	if hist, arg3, ok := d.excessPhase(ctx.Time); ok {
		cex = hist + cbe*arg3/qb
	}
	d.cex2, d.cex1 = d.cex1, cex
	d.t2, d.t1 = d.t1, ctx.Time
}
