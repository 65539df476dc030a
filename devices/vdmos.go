package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// VDMOS is ngspice 39's vertical power MOSFET (.model name vdmos, after LTspice's): a
// square-law channel whose overdrive is smoothed into weak inversion (ksubthres,
// subshift), with mobility reduction theta, channel-length modulation lambda and a
// triode-region multiplier mtriode; gate, drain and source resistances through internal
// nodes; a drain-source shunt rds; a gate-source capacitance cgs and a gate-drain
// capacitance that goes from cgdmin to cgdmax with the gate-drain voltage; and a body
// diode (with series resistance rb, breakdown, depletion and transit-time charges) from
// source to drain. There is no bulk terminal.
//
// As in the MOSFET, voltages and currents inside are in the n-channel frame and the
// channel swaps drain and source when vds < 0.
type VDMOS struct {
	name  string
	nodes [5]string // drain, gate, source, and the thermal nodes tj, tcase
	typ   float64

	dExt, gExt, sExt int
	t                [3]int // internal drain, gate, source (the external ones without rd, rg, rs)
	h                [3][3]mna.Handle
	hd, hg, hs       [4]mna.Handle // the series resistances' entries: ext-ext, ext-int, int-ext, int-int
	hds              [4]mna.Handle // the shunt rds between the external drain and source

	gd, gg, gs, gds float64 // series conductances (0: none) and the shunt's

	ch vdmosChannel // the channel at the device temperature

	kelvin, flicker, af float64 // the device temperature and the flicker noise (vdmos_noise.go)

	// Gate capacitances: cgs, and cgd's half capacitance (what ngspice's Meyer-style
	// charges average over a step) cgdS tanh(a v) + cgdY above vgd = 0, atan below.
	cgs, cgdS, cgdY, a float64

	body *Diode // the body diode, source (anode) to drain for an n-channel device

	th *vdmosThermal  // self-heating (vdmos_thermal.go); nil without
	qs *vdmosQuasiSat // quasi-saturation; nil without

	off     bool
	ic      [2]float64 // IC=vds,vgs
	icGiven [2]bool
}

// The terminals of VDMOS.t and VDMOS.h.
const (
	vdD = iota
	vdG
	vdS
)

// vdmosRun is one run of a VDMOS: its body diode's run, the voltages of the last
// evaluation (which the next limits against) and the gate-drain charge's history.
type vdmosRun struct {
	*VDMOS
	body     *diodeRun
	vgs, vds float64
	// The gate-drain charge at the last accepted point: its voltage, half capacitance
	// and charge; init marks the transient's initial point.
	qV, qHalf, q float64
	init         bool
	rise         float64   // the last evaluation's junction temperature rise (self-heating)
	heatNow      vdmosHeat // this load's (self-heating)
	initUIC      bool      // ... of a uic transient, whose voltages are uicVoltages
	half         float64   // the half capacitance of the last evaluation
}

func (d *VDMOS) NewRun() Loader {
	r := &vdmosRun{VDMOS: d, body: d.body.NewRun().(*diodeRun)}
	if d.th != nil {
		// Self-heating moves the body diode's parameters with the junction
		// temperature: the run keeps its own copy.
		b := *d.body
		r.body.Diode = &b
	}
	return r
}

// vdmosChannel is the channel's parameters at one temperature.
type vdmosChannel struct {
	beta, von     float64 // kp m (T/Tnom)^mu, and the threshold in the n-channel frame
	slope, shift  float64 // ksubthres and subshift
	lambda, theta float64
	mtr           float64
}

type vdmosModelCard struct {
	vto, kp, phi, lambda, theta, rd, rs, rg, tnom, mtr         float64
	tcvth, mu, texp0, trd1, trd2, trg1, trg2, trs1, trs2       float64
	shift, ksub, tksub1, tksub2                                float64
	bv, ibv, nbv, rds, rb, n, tt, eg, xti, is, vj, cjo, mj     float64
	fc, trb1, trb2, cgdmin, cgdmax, a, cgs, rthjc, rthca, cthj float64
	rq, vq, texp1, kf, af                                      float64
	pchan, nchan                                               float64
	tnomGiven, texp0Given, bvGiven, rdsGiven                   bool
	rqGiven, vqGiven, pchanGiven, nchanGiven, rthjcGiven       bool
}

func (m *vdmosModelCard) params() paramSet {
	return paramSet{what: "VDMOS model", params: []param{
		p("vto vth0", 0, "V", "threshold voltage", &m.vto),
		p("kp", 1, "A/V^2", "transconductance parameter", &m.kp),
		p("phi", 0.6, "V", "surface potential (unused)", &m.phi),
		p("lambda", 0, "1/V", "channel-length modulation", &m.lambda),
		p("theta", 0, "1/V", "mobility reduction by vgs", &m.theta),
		p("rd", 0, "ohm", "drain ohmic resistance", &m.rd),
		p("rs", 0, "ohm", "source ohmic resistance", &m.rs),
		p("rg", 0, "ohm", "gate ohmic resistance", &m.rg),
		p("tnom", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		p("mtriode", 1, "", "conductance multiplier in the triode region", &m.mtr),
		p("rq", 0, "ohm", "quasi-saturation resistance (with vq)", &m.rq).withGiven(&m.rqGiven),
		p("vq", 0, "V", "quasi-saturation voltage (with rq)", &m.vq).withGiven(&m.vqGiven),
		p("texp1", 0.3, "", "temperature exponent of rq", &m.texp1),
		p("tcvth vtotc", 0, "V/C", "threshold temperature coefficient", &m.tcvth),
		p("mu bex", -1.5, "", "temperature exponent of kp", &m.mu),
		p("texp0", 1.5, "", "temperature exponent of rd (when given)", &m.texp0).withGiven(&m.texp0Given),
		p("trd1", 0, "1/C", "linear temperature coefficient of rd", &m.trd1),
		p("trd2", 0, "1/C^2", "quadratic temperature coefficient of rd", &m.trd2),
		p("trg1", 0, "1/C", "linear temperature coefficient of rg", &m.trg1),
		p("trg2", 0, "1/C^2", "quadratic temperature coefficient of rg", &m.trg2),
		p("trs1", 0, "1/C", "linear temperature coefficient of rs", &m.trs1),
		p("trs2", 0, "1/C^2", "quadratic temperature coefficient of rs", &m.trs2),
		p("subshift", 0, "V", "shift of the weak-inversion curve along vgs", &m.shift),
		p("ksubthres", 0.1, "V", "weak-inversion slope", &m.ksub),
		p("tksubthres1", 0, "1/C", "linear temperature coefficient of ksubthres", &m.tksub1),
		p("tksubthres2", 0, "1/C^2", "quadratic temperature coefficient of ksubthres", &m.tksub2),
		p("bv", 0, "V", "body diode breakdown voltage (its magnitude)", &m.bv).withGiven(&m.bvGiven),
		p("ibv", 1e-10, "A", "body diode current at breakdown", &m.ibv),
		p("nbv", 1, "", "body diode breakdown emission coefficient", &m.nbv),
		p("rds", 1e15, "ohm", "drain-source shunt resistance", &m.rds).withGiven(&m.rdsGiven),
		p("rb", 0, "ohm", "body diode series resistance", &m.rb),
		p("n", 1, "", "body diode emission coefficient", &m.n),
		p("tt", 0, "s", "body diode transit time", &m.tt),
		p("eg", 1.11, "eV", "body diode activation energy", &m.eg),
		p("xti", 3, "", "body diode saturation current temperature exponent", &m.xti),
		p("is", 1e-14, "A", "body diode saturation current", &m.is),
		p("vj", 0.8, "V", "body diode junction potential", &m.vj),
		p("cjo", 0, "F", "body diode zero-bias junction capacitance", &m.cjo),
		p("m", 0.5, "", "body diode grading coefficient", &m.mj),
		p("fc", 0.5, "", "body diode forward-bias capacitance coefficient (at most 0.95)", &m.fc),
		p("trb1", 0, "1/C", "linear temperature coefficient of rb", &m.trb1),
		p("trb2", 0, "1/C^2", "quadratic temperature coefficient of rb", &m.trb2),
		p("cgdmin", 0, "F", "minimum gate-drain capacitance", &m.cgdmin),
		p("cgdmax", 0, "F", "maximum gate-drain capacitance", &m.cgdmax),
		p("a", 1, "1/V", "gate-drain capacitance's voltage scale", &m.a),
		p("cgs", 0, "F", "gate-source capacitance", &m.cgs),
		p("rthjc", 1, "K/W", "thermal resistance junction to case (self-heating only when given)", &m.rthjc).withGiven(&m.rthjcGiven),
		p("rthca", 1000, "K/W", "thermal resistance to the ambient (self-heating)", &m.rthca),
		p("cthj", 1e-5, "J/K", "thermal capacitance of the junction (self-heating)", &m.cthj),
		p("pchan vdmosp", 0, "", "p-channel device", &m.pchan).withGiven(&m.pchanGiven),
		p("nchan vdmosn", 0, "", "n-channel device (the default)", &m.nchan).withGiven(&m.nchanGiven),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		// Thermal network, safe-operating-area limits, and the data-sheet values of
		// LTspice's libraries (vds, ron, qg), which ngspice ignores as well.
		accepted("vgs_max vgd_max vds_max vgsr_max vgdr_max pd_max id_max idr_max te_max rth_ext derating vds ron qg vdmos"),
	}}
}

type vdmosInstanceCard struct {
	m, temp, dtemp         float64
	tempGiven              bool
	icvds, icvgs           float64
	icvdsGiven, icvgsGiven bool
}

func (i *vdmosInstanceCard) params() paramSet {
	return paramSet{what: "VDMOS", params: []param{
		p("m", 1, "", "parallel multiplier", &i.m),
		p("temp", 27, "C", "instance temperature", &i.temp).withGiven(&i.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &i.dtemp),
		p("icvds", 0, "V", "initial drain-source voltage", &i.icvds).withGiven(&i.icvdsGiven),
		p("icvgs", 0, "V", "initial gate-source voltage", &i.icvgs).withGiven(&i.icvgsGiven),
		p("ic", 0, "V", "initial voltages: IC=vds,vgs", nil),
	}}
}

// newVDMOS builds a VDMOS from an M element whose model is a vdmos card.
func newVDMOS(e *parser.Element, card *parser.Model, env Env) (Device, error) {
	where := modelWhere(e, card)
	var mod vdmosModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var in vdmosInstanceCard
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	d := &VDMOS{name: e.Name, typ: 1}
	copy(d.nodes[:], e.Nodes)
	thermal := false
	if mod.pchanGiven && mod.pchan != 0 {
		d.typ = -1
	}
	if mod.nchanGiven && mod.nchan != 0 {
		d.typ = 1
	}
	for _, a := range e.Args() {
		switch {
		case !a.IsNumber && a.Word == "off":
			d.off = true
		case !a.IsNumber && a.Word == "thermal":
			thermal = true
		default:
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q", e.Name, argText(a))
		}
	}
	d.ic = [2]float64{in.icvds, in.icvgs}
	d.icGiven = [2]bool{in.icvdsGiven, in.icvgsGiven}
	list, _, _ := icList(e)
	for k := range min(len(list), 2) {
		d.ic[k], d.icGiven[k] = list[k], true
	}
	switch {
	case mod.rqGiven && mod.vqGiven && thermal && mod.rthjcGiven:
		return nil, elementError(e, "VDMOS quasi-saturation (rq, vq) with self-heating is not supported (%s)", where)
	case !(in.m > 0):
		return nil, elementError(e, "m must be positive, got %g", in.m)
	case mod.rd < 0 || mod.rs < 0 || mod.rg < 0 || mod.rb < 0:
		return nil, elementError(e, "rd, rs, rg and rb must not be negative (%s)", where)
	case !(mod.n > 0):
		return nil, elementError(e, "n must be positive, got %g (%s)", mod.n, where)
	case !(mod.vj > 0):
		return nil, elementError(e, "vj must be positive, got %g (%s)", mod.vj, where)
	case mod.mj >= 1:
		return nil, elementError(e, "the grading coefficient m must be below 1, got %g (%s)", mod.mj, where)
	case mod.bvGiven && !(mod.ibv > 0 && mod.nbv > 0):
		return nil, elementError(e, "ibv and nbv must be positive with bv (%s)", where)
	case !(mod.ksub >= 0):
		return nil, elementError(e, "ksubthres must not be negative, got %g (%s)", mod.ksub, where)
	case len(e.Nodes) != 3 && len(e.Nodes) != 5:
		return nil, elementError(e, "a VDMOS has 3 nodes (d g s) or 5 (d g s tj tc), got %d", len(e.Nodes))
	case thermal && len(e.Nodes) != 5:
		return nil, elementError(e, "thermal needs the nodes tj and tc: M name d g s tj tc model thermal")
	case thermal && mod.rthjcGiven && !(mod.rthjc > 0 && mod.rthca > 0 && mod.cthj >= 0):
		return nil, elementError(e, "rthjc and rthca must be positive and cthj not negative (%s)", where)
	}
	tnom := env.TNom
	if mod.tnomGiven {
		tnom = mod.tnom
	}
	temp := env.Temp + in.dtemp
	if in.tempGiven {
		temp = in.temp
	}
	if temp+dioCtoK <= 0 || tnom+dioCtoK <= 0 {
		return nil, elementError(e, "temperature %g C is below absolute zero", temp)
	}
	d.temperature(&mod, in.m, temp+dioCtoK, tnom+dioCtoK)
	d.kelvin, d.flicker, d.af = temp+dioCtoK, vdmosFlicker(&mod, in.m), mod.af
	dm, din := vdmosBodyModel(&mod, in.m)
	d.body = &Diode{name: e.Name, nodes: [2]string{e.Nodes[2], e.Nodes[0]}, vdmosBody: true}
	if d.typ < 0 {
		// The diode runs from drain to source, and ngspice has rb on the source side,
		// between the cathode and the "body diode" node.
		d.body.nodes = [2]string{e.Nodes[0], e.Nodes[2]}
		d.body.rsCathode = true
	}
	d.body.temperature(&dm, &din, temp+dioCtoK, tnom+dioCtoK)
	d.body.internal = d.body.gs > 0
	// ngspice heats the device only with the thermal flag and rthjc given; without,
	// the nodes tj and tc are left alone.
	if thermal && mod.rthjcGiven {
		d.th = newVDMOSThermal(&mod, dm, din, d.typ, in.m, temp+dioCtoK, tnom+dioCtoK, env.Temp)
	}
	return d, nil
}

// temperature sets the channel's and the resistances' values at temp (K) for a card
// measured at tnom (K), as ngspice 39's vdmostemp.c: kp (T/Tnom)^mu, the threshold
// vto - tcvth dT (its magnitude moves the other way for a p-channel device), ksubthres
// and the resistances by their coefficients (rd by (T/Tnom)^texp0 when texp0 is given).
// The capacitances do not depend on m, as in ngspice.
func (d *VDMOS) temperature(mod *vdmosModelCard, m, temp, tnom float64) {
	dt := temp - tnom
	ratio := temp / tnom
	d.ch = vdmosChannel{
		beta:  mod.kp * m * math.Pow(ratio, mod.mu),
		von:   d.typ * (mod.vto - d.typ*mod.tcvth*dt),
		slope: mod.ksub * (1 + mod.tksub1*dt + mod.tksub2*dt*dt),
		shift: mod.shift, lambda: mod.lambda, theta: mod.theta, mtr: mod.mtr,
	}
	if mod.rd > 0 {
		d.gd = 1 / vdmosDrainResistance(mod, m, ratio, dt)
		if mod.rqGiven && mod.vqGiven {
			d.qs = &vdmosQuasiSat{rd0: 1 / d.gd, rd1: mod.rq / m * math.Pow(ratio, mod.texp1), vq: math.Abs(mod.vq)}
		}
	}
	if mod.rg > 0 {
		d.gg = m / mod.rg / (1 + mod.trg1*dt + mod.trg2*dt*dt)
	}
	if mod.rs > 0 {
		d.gs = m / mod.rs / (1 + mod.trs1*dt + mod.trs2*dt*dt)
	}
	d.gds = 1e-15
	if mod.rdsGiven && mod.rds > 0 {
		d.gds = m / mod.rds
	}
	s := (mod.cgdmax - mod.cgdmin) / (1 + math.Pi/2)
	d.cgdS, d.cgdY, d.a = s/2, (mod.cgdmax-s)/2, mod.a
	d.cgs = mod.cgs
}

// vdmosDrainResistance is rd at the ratio T/Tnom and dT = T - Tnom: (T/Tnom)^texp0 when
// texp0 is given, else by trd1 and trd2; divided by m.
func vdmosDrainResistance(mod *vdmosModelCard, m, ratio, dt float64) float64 {
	if mod.texp0Given {
		return mod.rd / m * math.Pow(ratio, mod.texp0)
	}
	return mod.rd / m * (1 + mod.trd1*dt + mod.trd2*dt*dt)
}

// vdmosBodyModel is the body diode's card and instance: the vdmos card's is, n, rb, tt,
// cjo, vj, m, fc, bv, ibv, nbv, eg, xti, times m; the breakdown current ibv is not
// multiplied by m, as in ngspice. The diode runs from source to drain (drain to source
// for a p-channel device).
func vdmosBodyModel(mod *vdmosModelCard, m float64) (diodeModel, diodeInstance) {
	var dm diodeModel
	var in diodeInstance
	dm.params().apply(nil, "")
	in.params().apply(nil, "")
	in.m = m
	dm.is, dm.n, dm.rs, dm.trs, dm.trs2 = mod.is, mod.n, mod.rb, mod.trb1, mod.trb2
	dm.tt, dm.cjo, dm.vj, dm.mj, dm.fc = mod.tt, mod.cjo, mod.vj, mod.mj, math.Min(mod.fc, 0.95)
	dm.eg, dm.xti = math.Max(mod.eg, 0.1), mod.xti
	dm.bvGiven, dm.bv, dm.ibv = mod.bvGiven, math.Abs(mod.bv), mod.ibv/m
	dm.nbvGiven, dm.nbv = true, mod.nbv
	return dm, in
}

func (d *VDMOS) Name() string { return d.name }

// Setup reserves the internal drain, gate and source (with rd, rg, rs), the body
// diode's nodes and the matrix entries.
func (d *VDMOS) Setup(b *mna.Builder) {
	d.dExt, d.gExt, d.sExt = b.Node(d.nodes[0]), b.Node(d.nodes[1]), b.Node(d.nodes[2])
	d.t = [3]int{d.dExt, d.gExt, d.sExt}
	series := func(k int, g float64, what string, h *[4]mna.Handle) {
		if g == 0 {
			return
		}
		ext := d.t[k]
		if k == vdG { // ngspice 39 writes the gate behind rg by default, not the others
			d.t[k] = b.WrittenNode(d.name, what)
		} else {
			d.t[k] = b.InternalNode(d.name, what)
		}
		*h = [4]mna.Handle{b.Entry(ext, ext), b.Entry(ext, d.t[k]), b.Entry(d.t[k], ext), b.Entry(d.t[k], d.t[k])}
	}
	series(vdD, d.gd, "drain", &d.hd)
	series(vdG, d.gg, "gate", &d.hg)
	series(vdS, d.gs, "source", &d.hs)
	for r := range d.t {
		for c := range d.t {
			d.h[r][c] = b.Entry(d.t[r], d.t[c])
		}
	}
	d.hds = [4]mna.Handle{b.Entry(d.dExt, d.dExt), b.Entry(d.dExt, d.sExt), b.Entry(d.sExt, d.dExt), b.Entry(d.sExt, d.sExt)}
	if d.qs != nil {
		d.qs.hs = [2]mna.Handle{b.Entry(d.dExt, d.sExt), b.Entry(d.t[vdD], d.sExt)}
	}
	d.body.Setup(b)
	if d.th != nil {
		d.th.setup(b, d)
	}
}

// channel is the channel current from drain to source at vgs, vds (n-channel frame) and
// its derivatives by them. With the overdrive x of the gate over the local source (the
// drain when vds < 0) smoothed as slope ln(1 + exp((x - shift)/slope)), and
// betap = beta (1 + lambda vds)/(1 + theta vgs) (ngspice takes vds and vgs there even
// when drain and source swap), the current is betap x^2/2 in saturation (x <= mtriode
// |vds|) and betap y (x - y/2), y = mtriode |vds|, below it.
func (d *vdmosChannel) channel(vgs, vds float64) (id, gm, gds float64) {
	mode, vgl, dvgl := 1.0, vgs, 0.0 // dvgl: the local gate voltage's slope by vds
	if vds < 0 {
		mode, vgl, dvgl = -1, vgs-vds, -1
	}
	x0 := vgl - d.von
	var x, sig float64 // the smoothed overdrive and its slope by x0
	if d.slope > 0 {
		z := (x0 - d.shift) / d.slope
		if z > 0 {
			ez := math.Exp(-z)
			x, sig = x0-d.shift+d.slope*math.Log1p(ez), 1/(1+ez)
		} else {
			ez := math.Exp(z)
			x, sig = d.slope*math.Log1p(ez), ez/(1+ez)
		}
	} else if x0 > d.shift {
		x, sig = x0-d.shift, 1
	}
	t0 := 1 + d.lambda*vds
	t1 := 1 + d.theta*vgs
	betap := d.beta * t0 / t1
	dbg := -betap * d.theta / t1  // by vgs
	dbd := d.beta * d.lambda / t1 // by vds
	y := d.mtr * vds * mode
	var f, fx, fy float64 // the current over betap and its slopes by x and y
	if x <= y {
		f, fx = 0.5*x*x, x
	} else {
		f, fx, fy = y*(x-0.5*y), y, x-y
	}
	cd := betap * f
	dg := dbg*f + betap*fx*sig
	dd := dbd*f + betap*(fx*sig*dvgl+fy*d.mtr*mode)
	return mode * cd, mode * dg, mode * dd
}

// cgdHalf is half the gate-drain capacitance at vgd and its slope: ngspice's
// (s tanh(a v) + y)/2 above 0, (s atan(a v) + y)/2 below.
func (d *VDMOS) cgdHalf(vgd float64) (float64, float64) {
	av := d.a * vgd
	if vgd > 0 {
		t := math.Tanh(av)
		return d.cgdS*t + d.cgdY, d.cgdS * d.a * (1 - t*t)
	}
	return d.cgdS*math.Atan(av) + d.cgdY, d.cgdS * d.a / (1 + av*av)
}

// initialVoltages are SPICE's starting vgs, vds for an operating point from zero: IC=
// where given, else vgs just above the threshold and vds = 0; zero for an off device.
func (d *VDMOS) initialVoltages() (vgs, vds float64) {
	if d.off {
		return 0, 0
	}
	vds, vgs = d.typ*d.ic[0], d.typ*d.ic[1]
	if vds == 0 && vgs == 0 {
		return d.ch.von + 0.1, 0
	}
	return vgs, vds
}

// Load evaluates the channel at X (or at SPICE's initial or limited voltages, carried
// to X along the tangents) and the gate charges, and loads the resistances and the
// body diode.
func (r *vdmosRun) Load(ctx *Context) {
	d := r.VDMOS
	x := ctx.X
	vsX := x[d.t[vdS]]
	vgsX := d.typ * (x[d.t[vdG]] - vsX)
	vdsX := d.typ * (x[d.t[vdD]] - vsX)
	vgs, vds := vgsX, vdsX
	switch {
	case ctx.UIC:
		vgs, vds = d.uicVoltages(x)
		vgsX, vdsX = vgs, vds
	case ctx.FirstIteration && ctx.InitJunctions:
		vgs, vds = d.initialVoltages()
		ctx.Limited = true
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		var limited bool
		if vgs, vds, limited = r.limit(vgs, vds); limited {
			ctx.Limited = true
		}
	}
	r.vgs, r.vds = vgs, vds
	ch, gd := &d.ch, d.gd
	var heat *vdmosHeat
	if d.th != nil {
		heat = r.heat(ctx)
		ch, gd = &heat.ch, heat.gd
	}
	id, gm, gds := ch.channel(vgs, vds)
	idX := id + gm*(vgsX-vgs) + gds*(vdsX-vds)
	F, G, h := ctx.F, ctx.G, &d.h
	F[d.t[vdD]] += d.typ * idX
	F[d.t[vdS]] -= d.typ * idX
	G[h[vdD][vdD]] += gds
	G[h[vdD][vdG]] += gm
	G[h[vdD][vdS]] += -gm - gds
	G[h[vdS][vdD]] += -gds
	G[h[vdS][vdG]] += -gm
	G[h[vdS][vdS]] += gm + gds
	if d.qs != nil && vds >= 0 {
		d.qs.stamp(ctx, d)
		gd = 0 // the drain resistance is quasi-saturation's
	}
	d.stampResistors(ctx, gd)
	r.body.Load(ctx)
	if heat != nil {
		r.loadHeat(ctx, heat, vgs, vds, vgsX, vdsX, id, gm, gds)
	}
	if ctx.Mode == ModeOP {
		return
	}
	r.loadCharges(ctx, vgs, vds, vgsX, vdsX)
}

// stampResistors writes rd (conductance gd), rg, rs and the shunt rds.
func (d *VDMOS) stampResistors(ctx *Context, gd float64) {
	ext := [3]int{d.dExt, d.gExt, d.sExt}
	for k, s := range [3]struct {
		g float64
		h *[4]mna.Handle
	}{{gd, &d.hd}, {d.gg, &d.hg}, {d.gs, &d.hs}} {
		if s.g != 0 {
			stampSeries(ctx, s.g, ext[k], d.t[k], s.h[0], s.h[1], s.h[2], s.h[3])
		}
	}
	stampSeries(ctx, d.gds, d.dExt, d.sExt, d.hds[0], d.hds[1], d.hds[2], d.hds[3])
}

// loadCharges writes the gate-source charge cgs vgs and the gate-drain charge, kept as
// ngspice keeps its Meyer-style charges: at the transient's initial point and in AC the
// full capacitance times vgd, after a step the last accepted charge plus the averaged
// half capacitances times the change of vgd.
func (r *vdmosRun) loadCharges(ctx *Context, vgs, vds, vgsX, vdsX float64) {
	d := r.VDMOS
	vgd := vgs - vds
	half, dhalf := d.cgdHalf(vgd)
	r.half = half
	var q, c float64
	switch ctx.Mode {
	case ModeAC, ModeTranOP:
		q, c = 2*half*vgd, 2*half
		r.init, r.initUIC = ctx.Mode == ModeTranOP, ctx.UIC
	default:
		c = half + r.qHalf
		q = r.q + c*(vgd-r.qV)
		c += dhalf * (vgd - r.qV)
	}
	q += c * ((vgsX - vdsX) - vgd)
	qgs := d.cgs * vgsX
	Q, C, h := ctx.Q, ctx.C, &d.h
	Q[d.t[vdG]] += d.typ * (qgs + q)
	Q[d.t[vdD]] -= d.typ * q
	Q[d.t[vdS]] -= d.typ * qgs
	C[h[vdG][vdG]] += d.cgs + c
	C[h[vdG][vdD]] -= c
	C[h[vdG][vdS]] -= d.cgs
	C[h[vdD][vdG]] -= c
	C[h[vdD][vdD]] += c
	C[h[vdS][vdG]] -= d.cgs
	C[h[vdS][vdS]] += d.cgs
}

// Accept records the gate-drain charge at an accepted point (see loadCharges).
func (r *vdmosRun) Accept(ctx *Context) {
	d := r.VDMOS
	x := ctx.X
	vgd := d.typ * (x[d.t[vdG]] - x[d.t[vdD]])
	if r.init && r.initUIC {
		vgs, vds := d.uicVoltages(x)
		vgd = vgs - vds
	}
	half, _ := d.cgdHalf(vgd)
	if r.init {
		r.q = 2 * half * vgd
	} else {
		r.q += (half + r.qHalf) * (vgd - r.qV)
	}
	r.qV, r.qHalf, r.init = vgd, half, false
}

// uicVoltages are the vgs, vds a uic transient starts from: IC= where given, else the
// nodes' (external terminals), zero for an off device.
func (d *VDMOS) uicVoltages(x []float64) (vgs, vds float64) {
	if d.off {
		return 0, 0
	}
	vs := x[d.sExt]
	vds, vgs = x[d.dExt]-vs, x[d.gExt]-vs
	if d.icGiven[0] {
		vds = d.ic[0]
	}
	if d.icGiven[1] {
		vgs = d.ic[1]
	}
	return d.typ * vgs, d.typ * vds
}

// limit applies ngspice's fetlim and limvds against the last evaluation, in ngspice's
// order; it reports whether either changed a voltage.
func (r *vdmosRun) limit(vgs, vds float64) (float64, float64, bool) {
	vgd := vgs - vds
	var c1, c2 bool
	if r.vds >= 0 {
		vgs, c1 = mosFetLim(vgs, r.vgs, r.ch.von)
		vds = vgs - vgd
		vds, c2 = mosLimVDS(vds, r.vds)
	} else {
		vgd, c1 = mosFetLim(vgd, r.vgs-r.vds, r.ch.von)
		vds = vgs - vgd
		var l float64
		l, c2 = mosLimVDS(-vds, -r.vds)
		vds = -l
		vgs = vgd + vds
	}
	return vgs, vds, c1 || c2
}

// vdmosQuasiSat is ngspice 39's quasi-saturation (after d'Alessandro, Frisina and
// Rinaldi, simplified): in the normal mode the drain resistance grows with the external
// drain-source voltage v as rd + rq v/(v + |vq|), plus gmin across it; in the inverse
// mode it is rd. (Without rd there is no internal drain, and nothing to grow, as in
// ngspice.) Its conductance's slope by v is in the Jacobian, where ngspice leaves it out.
type vdmosQuasiSat struct {
	rd0, rd1, vq float64       // rd and rq at the device temperature (over m), |vq|
	hs           [2]mna.Handle // (drain, source) and (internal drain, source)
}

// stamp writes the drain resistance of quasi-saturation, from the external drain to
// the internal one.
func (q *vdmosQuasiSat) stamp(ctx *Context, d *VDMOS) {
	x := ctx.X
	v := d.typ * (x[d.dExt] - x[d.sExt])
	rd := q.rd0 + q.rd1*v/(v+q.vq)
	g, dg := 1/q.rd0, 0.0
	if rd > 0 {
		g = 1/rd + ctx.Gmin
		dg = -q.rd1 * q.vq / ((v + q.vq) * (v + q.vq) * rd * rd) * d.typ // by v(d), and minus by v(s)
	}
	vr := x[d.dExt] - x[d.t[vdD]]
	i := g * vr
	ctx.F[d.dExt] += i
	ctx.F[d.t[vdD]] -= i
	G, h := ctx.G, &d.hd
	G[h[0]] += g + dg*vr
	G[h[1]] -= g
	G[q.hs[0]] -= dg * vr
	G[h[2]] -= g + dg*vr
	G[h[3]] += g
	G[q.hs[1]] += dg * vr
}
