package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// This file holds ngspice's level-4 MOSFET, BSIM1 (the Berkeley short-channel IGFET
// model of Sheu, Scharfetter, Ko and Jeng): its parameters, its size-dependent
// constants, and its load. Its equations (the channel current and the charges) are in
// bsim1eval.go. BSIM1 has no temperature dependence: its parameters are those of the
// process file, at whatever temperature it was extracted.

// bsim1Scaled are the names of BSIM1's parameters that scale with the device's size: p =
// p0 + lp/Leff + wp/Weff (Leff and Weff in micron), written p, lp and wp on the card.
var bsim1Scaled = [...]struct{ name, unit, doc string }{
	{"vfb", "V", "flat-band voltage"},
	{"phi", "V", "strong inversion surface potential"},
	{"k1", "V^0.5", "body effect coefficient"},
	{"k2", "", "charge sharing coefficient"},
	{"eta", "", "drain-induced barrier lowering (vds dependence of the threshold)"},
	{"x2e", "1/V", "vbs dependence of eta"},
	{"x3e", "1/V", "vds dependence of eta"},
	{"x2mz", "cm^2/V^2s", "vbs dependence of muz"},
	{"mus", "cm^2/Vs", "mobility at vds = vdd, vgs = vth (channel-length modulation)"},
	{"x2ms", "cm^2/V^2s", "vbs dependence of mus"},
	{"x3ms", "cm^2/V^2s", "vds dependence of mus"},
	{"u0", "1/V", "vgs dependence of the mobility"},
	{"x2u0", "1/V^2", "vbs dependence of u0"},
	{"u1", "um/V", "vds dependence of the mobility (velocity saturation)"},
	{"x2u1", "um/V^2", "vbs dependence of u1"},
	{"x3u1", "um/V^2", "vds dependence of u1"},
	{"n0", "", "subthreshold slope (200 and above: no subthreshold current)"},
	{"nb", "1/V", "vbs dependence of the subthreshold slope"},
	{"nd", "1/V", "vds dependence of the subthreshold slope"},
}

// The indices of bsim1Scaled.
const (
	b1VFB = iota
	b1Phi
	b1K1
	b1K2
	b1Eta
	b1EtaB
	b1EtaD
	b1MuzB
	b1Mus
	b1MusB
	b1MusD
	b1U0
	b1U0B
	b1U1
	b1U1B
	b1U1D
	b1N0
	b1NB
	b1ND
	b1Scaled
)

// bsim1Card is a BSIM1 model card.
type bsim1Card struct {
	scaled                          [b1Scaled][3]float64 // p, lp, wp
	dl, dw, muz, tox, vdd           float64
	cgso, cgdo, cgbo, xpart, rsh    float64
	js, pb, mj, pbsw, mjsw, cj, cjs float64
	kf, af, level                   float64
	xpartGiven                      bool
}

func (m *bsim1Card) params() paramSet {
	var ps []param
	for k, s := range bsim1Scaled {
		ps = append(ps, p(s.name, 0, s.unit, s.doc, &m.scaled[k][0]),
			p("l"+s.name, 0, s.unit+" um", "length dependence of "+s.name, &m.scaled[k][1]),
			p("w"+s.name, 0, s.unit+" um", "width dependence of "+s.name, &m.scaled[k][2]))
	}
	ps = append(ps,
		p("dl", 0, "um", "channel length reduction", &m.dl),
		p("dw", 0, "um", "channel width reduction", &m.dw),
		p("muz", 0, "cm^2/Vs", "zero-field mobility at vds = 0, vgs = vth", &m.muz),
		p("tox", 0, "um", "gate oxide thickness", &m.tox),
		p("vdd", 0, "V", "supply voltage mus is measured at", &m.vdd),
		p("cgso", 0, "F/m", "gate-source overlap capacitance per width", &m.cgso),
		p("cgdo", 0, "F/m", "gate-drain overlap capacitance per width", &m.cgdo),
		p("cgbo", 0, "F/m", "gate-bulk overlap capacitance per length", &m.cgbo),
		// ngspice reads xpart as a flag: given with any value, even 0, it selects 0/100.
		p("xpart", 0, "", "charge partition: absent 40/60 drain/source in saturation, given (any value) 0/100", &m.xpart).withGiven(&m.xpartGiven),
		p("rsh", 0, "ohm/sq", "drain and source diffusion sheet resistance", &m.rsh),
		p("js", 0, "A/m^2", "junction saturation current per area", &m.js),
		p("pb", 0, "V", "bottom junction built-in potential (0.1 at least)", &m.pb),
		p("mj", 0, "", "bottom junction grading coefficient", &m.mj),
		p("pbsw", 0, "V", "sidewall junction built-in potential (0.1 at least)", &m.pbsw),
		p("mjsw", 0, "", "sidewall junction grading coefficient", &m.mjsw),
		p("cj", 0, "F/m^2", "bottom junction capacitance per area", &m.cj),
		p("cjsw", 0, "F/m", "sidewall junction capacitance per perimeter", &m.cjs),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		p("level", 4, "", "model level: 4 (BSIM1)", &m.level),
		// ngspice's table has them; its equations do not use them.
		accepted("temp wdf dell nmos pmos"),
	)
	return paramSet{what: "BSIM1 model", params: ps}
}

// bsim1Instance is a BSIM1 element's line.
type bsim1Instance struct {
	l, w, m, ad, as, pd, ps, nrd, nrs float64
	ic                                [3]float64 // vds, vgs, vbs
	icGiven                           [3]bool
}

func (i *bsim1Instance) params() paramSet {
	return paramSet{what: "BSIM1", params: []param{
		p("l", 5e-6, "m", "channel length", &i.l),
		p("w", 5e-6, "m", "channel width", &i.w),
		p("m", 1, "", "parallel multiplier", &i.m),
		p("ad", 0, "m^2", "drain diffusion area", &i.ad),
		p("as", 0, "m^2", "source diffusion area", &i.as),
		p("pd", 0, "m", "drain junction perimeter", &i.pd),
		p("ps", 0, "m", "source junction perimeter", &i.ps),
		p("nrd", 1, "", "drain diffusion squares (times rsh)", &i.nrd),
		p("nrs", 1, "", "source diffusion squares (times rsh)", &i.nrs),
		p("vds", 0, "V", "initial drain-source voltage", &i.ic[0]).withGiven(&i.icGiven[0]),
		p("vgs", 0, "V", "initial gate-source voltage", &i.ic[1]).withGiven(&i.icGiven[1]),
		p("vbs", 0, "V", "initial bulk-source voltage", &i.ic[2]).withGiven(&i.icGiven[2]),
		p("ic", 0, "V", "initial voltages: IC=vds,vgs,vbs", nil),
	}}
}

// bsim1Vt is the thermal voltage BSIM1 takes everywhere, at 300.15 K.
const bsim1Vt = mosBoltz * mosRefTemp / mosCharge

// BSIM1 is one level-4 MOSFET as built: its constants at its size, and its unknowns and
// matrix entries. Inside, voltages and currents are in the n-channel frame (typ).
type BSIM1 struct {
	typ float64
	c   bsim1Const

	t                                [4]int // d', g, s', b (mosD...)
	h                                [4][4]mna.Handle
	dExt, sExt                       int
	hdd, hddp, hdpd, hss, hssp, hsps mna.Handle
	gd, gs                           float64 // series conductances of all m (0: none)

	name    string
	nodes   [4]string
	off     bool
	ic      [3]float64 // vds, vgs, vbs
	icGiven [3]bool
}

// bsim1Const are a BSIM1 device's size-dependent parameters and derived constants.
type bsim1Const struct {
	vfb, phi, k1, k2, eta, etaB, etaD          float64
	ugs, ugsB, uds, udsB, udsD                 float64 // u0, x2u0; u1, x2u1, x3u1 (u1s over Leff)
	beta0, beta0B, betaVdd, betaVddB, betaVddD float64 // muz, x2mz, mus, x2ms, x3ms times Cox W/L
	n0, nb, nd                                 float64
	vdd, leffUm                                float64
	vt0                                        float64 // the zero-bias threshold
	wlCox                                      float64 // the gate's oxide capacitance, F
	xpart0                                     bool    // 0/100 partition of the saturated channel charge
	ovGS, ovGD, ovGB                           float64 // overlap capacitances
	isatD, isatS                               float64 // junction saturation currents
	czbd, czbdsw, czbs, czbssw                 float64
	pb, pbsw, mj, mjsw                         float64
	vcritD, vcritS                             float64
	m                                          float64
	flicker, af                                float64 // flicker noise: flicker |id|^af / f
}

func init() {
	mosLevels[4] = newBSIM1
	mosUnused[4] = func(m *parser.Model) []string {
		var c bsim1Card
		return c.params().unusedGiven(m.Params)
	}
}

// newBSIM1 builds the BSIM1 MOSFET of element e with model card card.
func newBSIM1(e *parser.Element, card *parser.Model, env Env) (Device, error) {
	where := modelWhere(e, card)
	var mod bsim1Card
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var inst bsim1Instance
	if err := inst.params().apply(e.Params, "on "+e.Name); err != nil {
		return nil, err
	}
	d := &BSIM1{name: e.Name, typ: 1, ic: inst.ic, icGiven: inst.icGiven}
	copy(d.nodes[:], e.Nodes)
	if card.Type == "pmos" {
		d.typ = -1
	}
	for _, a := range e.Args {
		if a.IsNumber || a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q", e.Name, argText(a))
		}
		d.off = true
	}
	list, _, _ := icList(e)
	for k := range min(len(list), 3) {
		d.ic[k], d.icGiven[k] = list[k], true
	}
	if err := d.derive(e, &mod, &inst, env, where); err != nil {
		return nil, err
	}
	return d, nil
}

// derive sets the device's constants at its size, as ngspice's b1temp.c does.
func (d *BSIM1) derive(e *parser.Element, mod *bsim1Card, inst *bsim1Instance, env Env, where string) error {
	leff := inst.l - mod.dl*1e-6
	weff := inst.w - mod.dw*1e-6
	switch {
	case !(mod.tox > 0):
		return elementError(e, "tox (in micron) must be positive, got %g (%s)", mod.tox, where)
	case !(mod.vdd > 0):
		return elementError(e, "vdd, the supply voltage mus is measured at, must be positive, got %g (%s)", mod.vdd, where)
	case mod.mj == 1 || mod.mjsw == 1:
		return elementError(e, "the grading coefficients mj and mjsw must not be 1 (%s)", where)
	case !(inst.m > 0):
		return elementError(e, "m must be positive, got %g", inst.m)
	case !(leff > 0):
		return elementError(e, "effective channel length l - dl = %g is not positive (%s)", leff, where)
	case !(weff > 0):
		return elementError(e, "effective channel width w - dw = %g is not positive (%s)", weff, where)
	case inst.ad < 0 || inst.as < 0 || inst.pd < 0 || inst.ps < 0 || inst.nrd < 0 || inst.nrs < 0:
		return elementError(e, "ad, as, pd, ps, nrd and nrs must not be negative")
	case mod.rsh < 0 || mod.js < 0:
		return elementError(e, "rsh and js must not be negative (%s)", where)
	}
	lum, wum := leff*1e6, weff*1e6
	var s [b1Scaled]float64
	for k, v := range mod.scaled {
		s[k] = v[0] + v[1]/lum + v[2]/wum
	}
	coxCm := 3.453e-13 / (mod.tox * 1e-4) // F/cm^2
	coxWL := coxCm * wum / lum
	c := &d.c
	*c = bsim1Const{
		vfb: s[b1VFB], phi: math.Max(s[b1Phi], 0.1), k1: math.Max(s[b1K1], 0), k2: math.Max(s[b1K2], 0),
		eta: s[b1Eta], etaB: s[b1EtaB], etaD: s[b1EtaD],
		ugs: s[b1U0], ugsB: s[b1U0B], uds: s[b1U1], udsB: s[b1U1B], udsD: s[b1U1D],
		beta0: mod.muz * coxWL, beta0B: s[b1MuzB] * coxWL,
		betaVdd: s[b1Mus] * coxWL, betaVddB: s[b1MusB] * coxWL, betaVddD: math.Max(s[b1MusD]*coxWL, 0),
		n0: s[b1N0], nb: s[b1NB], nd: s[b1ND],
		vdd: mod.vdd, leffUm: lum,
		wlCox:  coxCm * leff * weff * 1e4,
		xpart0: mod.xpartGiven,
		// ngspice's load takes the drawn width for the overlaps, and the effective length.
		ovGS: mod.cgso * inst.w, ovGD: mod.cgdo * inst.w, ovGB: mod.cgbo * leff,
		isatD: math.Max(inst.ad*mod.js, 1e-15), isatS: math.Max(inst.as*mod.js, 1e-15),
		czbd: mod.cj * inst.ad, czbs: mod.cj * inst.as, czbdsw: mod.cjs * inst.pd, czbssw: mod.cjs * inst.ps,
		pb: math.Max(mod.pb, 0.1), pbsw: math.Max(mod.pbsw, 0.1), mj: mod.mj, mjsw: mod.mjsw,
		m: inst.m, af: mod.af,
	}
	c.vt0 = c.vfb + c.phi + c.k1*math.Sqrt(c.phi) - c.k2*c.phi
	c.vcritD = bsim1Vt * math.Log(bsim1Vt/(math.Sqrt2*c.isatD))
	c.vcritS = bsim1Vt * math.Log(bsim1Vt/(math.Sqrt2*c.isatS))
	if mod.kf != 0 {
		c.flicker = mod.kf * inst.m / (weff * leff * coxCm * coxCm)
	}
	if mod.rsh != 0 && inst.nrd != 0 {
		d.gd = inst.m / (mod.rsh * inst.nrd)
	}
	if mod.rsh != 0 && inst.nrs != 0 {
		d.gs = inst.m / (mod.rsh * inst.nrs)
	}
	return nil
}

func (d *BSIM1) Name() string { return d.name }

// Setup reserves the internal drain and source behind rsh*nrd, rsh*nrs, and the entries.
func (d *BSIM1) Setup(b *mna.Builder) {
	d.dExt = b.Node(d.nodes[0])
	d.t[mosG] = b.Node(d.nodes[1])
	d.sExt = b.Node(d.nodes[2])
	d.t[mosB] = b.Node(d.nodes[3])
	d.t[mosD], d.t[mosS] = d.dExt, d.sExt
	if d.gd != 0 {
		d.t[mosD] = b.InternalNode(d.name, "drain")
	}
	if d.gs != 0 {
		d.t[mosS] = b.InternalNode(d.name, "source")
	}
	for r := range d.t {
		for c := range d.t {
			d.h[r][c] = b.Entry(d.t[r], d.t[c])
		}
	}
	if d.gd != 0 {
		d.hdd, d.hddp, d.hdpd = b.Entry(d.dExt, d.dExt), b.Entry(d.dExt, d.t[mosD]), b.Entry(d.t[mosD], d.dExt)
	}
	if d.gs != 0 {
		d.hss, d.hssp, d.hsps = b.Entry(d.sExt, d.sExt), b.Entry(d.sExt, d.t[mosS]), b.Entry(d.t[mosS], d.sExt)
	}
}

// bsim1Run is one run of a BSIM1 device: its last evaluation, which limiting starts from.
type bsim1Run struct {
	*BSIM1
	ev    bsim1Eval
	evals int
}

func (d *BSIM1) NewRun() Loader { return &bsim1Run{BSIM1: d} }

// voltages are the device's vgs, vds, vbs at x, in the n-channel frame.
func (d *BSIM1) voltages(x []float64) [3]float64 {
	vs := x[d.t[mosS]]
	return [3]float64{d.typ * (x[d.t[mosG]] - vs), d.typ * (x[d.t[mosD]] - vs), d.typ * (x[d.t[mosB]] - vs)}
}

// Load evaluates the device at X, or at SPICE's initial or limited voltages carried to X
// along their tangents, and adds its currents and (outside .op) charges.
func (r *bsim1Run) Load(ctx *Context) {
	vX := r.voltages(ctx.X)
	v := vX
	switch {
	case ctx.UIC:
		v = r.uicVoltages(ctx.X)
	case ctx.Mode == ModeAC:
	case ctx.FirstIteration && ctx.InitJunctions:
		v = r.initialVoltages()
		ctx.Limited = true
	case r.evals == 0 || (ctx.FirstIteration && !ctx.Predicted):
	default:
		old := mosLimitFrom{vgs: r.ev.v[0], vds: r.ev.v[1], vbs: r.ev.v[2], vbd: r.ev.v[2] - r.ev.v[1], von: r.ev.von}
		var limited bool
		v[0], v[1], v[2], limited = old.limit(vX[0], vX[1], vX[2], bsim1Vt, r.c.vcritS, r.c.vcritD)
		if limited {
			ctx.Limited = true
		}
	}
	r.c.evaluate(&r.ev, v, ctx.Gmin, ctx.Mode != ModeOP)
	r.evals++
	var dv [3]float64 // the limited or initial voltages carried to X; a uic start's charges are its own
	if !ctx.UIC {
		dv = [3]float64{vX[0] - v[0], vX[1] - v[1], vX[2] - v[2]}
	}
	r.stamp(ctx, dv)
}

// initialVoltages are SPICE's starting voltages for an operating point from zero: IC=
// where given, else vbs = -1, vgs = the zero-bias threshold, vds = 0; zero when off.
func (d *BSIM1) initialVoltages() [3]float64 {
	if d.off {
		return [3]float64{}
	}
	vds, vgs, vbs := d.typ*d.ic[0], d.typ*d.ic[1], d.typ*d.ic[2]
	if vds == 0 && vgs == 0 && vbs == 0 {
		return [3]float64{d.c.vt0, 0, -1}
	}
	return [3]float64{vgs, vds, vbs}
}

// uicVoltages are the voltages a uic transient starts from: IC= where given, else those
// of the external terminals.
func (d *BSIM1) uicVoltages(x []float64) [3]float64 {
	if d.off {
		return [3]float64{}
	}
	vs := x[d.sExt]
	v := [3]float64{x[d.dExt] - vs, x[d.t[mosG]] - vs, x[d.t[mosB]] - vs} // vds, vgs, vbs
	for k := range v {
		if d.icGiven[k] {
			v[k] = d.ic[k]
		}
	}
	return [3]float64{d.typ * v[1], d.typ * v[0], d.typ * v[2]}
}

// at is y carried from the evaluated point by dv (vgs, vds, vbs) along its tangent.
func (y dual) at(dv [3]float64) dual {
	y.v += y.g*dv[0] + y.d*dv[1] + y.b*dv[2]
	return y
}

// stamp writes the last evaluation, carried to X by dv, into F and G (and Q and C when
// it has charges), times m.
func (r *bsim1Run) stamp(ctx *Context, dv [3]float64) {
	ev := &r.ev
	r.row(ctx.F, ctx.G, mosD, ev.id.sub(ev.ibd).at(dv))
	r.row(ctx.F, ctx.G, mosS, ev.id.add(ev.ibs).scale(-1).at(dv))
	r.row(ctx.F, ctx.G, mosB, ev.ibs.add(ev.ibd).at(dv))
	if r.gd != 0 {
		stampSeries(ctx, r.gd, r.dExt, r.t[mosD], r.hdd, r.hddp, r.hdpd, r.h[mosD][mosD])
	}
	if r.gs != 0 {
		stampSeries(ctx, r.gs, r.sExt, r.t[mosS], r.hss, r.hssp, r.hsps, r.h[mosS][mosS])
	}
	if !ev.charged {
		return
	}
	r.row(ctx.Q, ctx.C, mosG, ev.qg.at(dv))
	r.row(ctx.Q, ctx.C, mosD, ev.qd.at(dv))
	r.row(ctx.Q, ctx.C, mosB, ev.qb.at(dv))
	r.row(ctx.Q, ctx.C, mosS, ev.qg.add(ev.qd).add(ev.qb).scale(-1).at(dv))
}

// row adds m typ y to the vector entry of terminal k and m times y's derivatives to its
// matrix row (the source column takes minus the sum of the others).
func (d *BSIM1) row(vec, mat []float64, k int, y dual) {
	m := d.c.m
	h := &d.h[k]
	vec[d.t[k]] += m * d.typ * y.v
	mat[h[mosD]] += m * y.d
	mat[h[mosG]] += m * y.g
	mat[h[mosS]] -= m * (y.g + y.d + y.b)
	mat[h[mosB]] += m * y.b
}

// UpdateAccepting: the run keeps nothing from a load but its evaluation point, which the
// limiting compares with.
func (*bsim1Run) UpdateAccepting() {}

// Report returns the BSIM1's quantities at x (ngspice's BSIM1 reports none by name; these
// are the level-1 MOSFET's): id (the drain's current, into the device), is, ib, ig, the
// voltages vgs, vds, vbs, the threshold von, vdsat, and gm, gds, gmbs in the frame where
// vds >= 0, all of the m devices.
func (d *BSIM1) Report(name string) (func(x []float64) float64, bool) {
	at := func(x []float64) (ev bsim1Eval) {
		d.c.evaluate(&ev, d.voltages(x), reportGmin, false)
		return ev
	}
	m := d.c.m
	// local is ev's channel current's derivative k (vgs, vds, vbs) where vds >= 0.
	local := func(ev *bsim1Eval, k int) float64 {
		g := [3]float64{ev.id.g, ev.id.d, ev.id.b}
		if ev.v[1] < 0 {
			g = [3]float64{-g[0], g[0] + g[1] + g[2], -g[2]}
		}
		return m * g[k]
	}
	return reports{
		"vgs":   func(x []float64) float64 { return d.voltages(x)[0] },
		"vds":   func(x []float64) float64 { return d.voltages(x)[1] },
		"vbs":   func(x []float64) float64 { return d.voltages(x)[2] },
		"von":   func(x []float64) float64 { ev := at(x); return ev.von },
		"vdsat": func(x []float64) float64 { ev := at(x); return ev.vdsat },
		"id":    func(x []float64) float64 { ev := at(x); return m * (ev.id.v - ev.ibd.v) },
		"is":    func(x []float64) float64 { ev := at(x); return -m * (ev.id.v + ev.ibs.v) },
		"ib":    func(x []float64) float64 { ev := at(x); return m * (ev.ibs.v + ev.ibd.v) },
		"ig":    func(x []float64) float64 { return 0 },
		"gm":    func(x []float64) float64 { ev := at(x); return local(&ev, 0) },
		"gds":   func(x []float64) float64 { ev := at(x); return local(&ev, 1) },
		"gmbs":  func(x []float64) float64 { ev := at(x); return local(&ev, 2) },
	}.lookup(name)
}

// NoiseSources: a BSIM1's noise as ngspice's: the thermal noise of its drain and source
// resistances (m1_rd, m1_rs) and of its channel, 4kT (2/3) |gm| (m1_id), and the flicker
// noise kf m |id|^af / (f Weff Leff cox²) of its channel current (m1_1overf), with cox
// in F/cm² as ngspice has it.
func (d *BSIM1) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	dp, sp := d.t[mosD], d.t[mosS]
	dst = resistanceNoise(dst, d.name, d.dExt, dp, d.gd, d.sExt, sp, d.gs, kelvin)
	var ev bsim1Eval
	d.c.evaluate(&ev, d.voltages(x), reportGmin, false)
	var fl float64
	if d.c.flicker != 0 {
		fl = d.c.flicker * math.Exp(d.c.af*math.Log(math.Max(math.Abs(ev.id.v), 1e-38)))
	}
	return append(dst, NoiseSource{Name: d.name + "_id", A: dp, B: sp, White: thermal(2*d.c.m*math.Abs(ev.id.g)/3, kelvin)},
		NoiseSource{Name: d.name + "_1overf", A: dp, B: sp, Flicker: fl, Exp: 1})
}
