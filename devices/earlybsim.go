package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// This file holds what ngspice's level-4 (BSIM1) and level-5 (BSIM2) MOSFETs share: the
// element's line, the junctions and overlaps, limiting, the load and stamps, reports and
// noise. Each level's channel (its current and charges at the device's size) is in
// bsim1.go and bsim2.go; the evaluation that puts them together in bsimeval.go.

// bsimInstance is a BSIM1 or BSIM2 element's line.
type bsimInstance struct {
	l, w, m, ad, as, pd, ps, nrd, nrs float64
	ic                                [3]float64 // vds, vgs, vbs
	icGiven                           [3]bool
}

func (i *bsimInstance) params(what string) paramSet {
	return paramSet{what: what, params: []param{
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

// bsimVt is the thermal voltage BSIM1 and BSIM2 take in their junctions and limiting,
// and BSIM1 everywhere: at 300.15 K.
const bsimVt = mosBoltz * mosRefTemp / mosCharge

// EarlyBSIM is one BSIM1 (level 4) or BSIM2 (level 5) MOSFET as built: its channel (the
// level's current and charges at its size), its junctions and overlaps, and its unknowns
// and matrix entries. Inside, voltages and currents are in the n-channel frame (typ).
type EarlyBSIM struct {
	typ float64
	ch  bsimChannel
	c   bsimConst

	mosNodes
	gd, gs float64 // series conductances of all m (0: none)

	name    string
	nodes   [4]string
	off     bool
	ic      [3]float64 // vds, vgs, vbs
	icGiven [3]bool
}

// bsimChannel is a level's channel: its current and its intrinsic charges, in the local
// frame (the source the lower of drain and source) at vg, vd >= 0, vb, whose derivatives
// are by the terminal voltages.
type bsimChannel interface {
	// current is the channel current, the threshold and the saturation voltage.
	current(vg, vd, vb dual) (id dual, von, vdsat float64)
	// charges are the gate, bulk and (local) drain charges.
	charges(vg, vd, vb dual) (qg, qb, qd dual)
}

// bsimConst are an early BSIM device's constants beside its channel's: overlaps,
// junctions, the multiplier, noise.
type bsimConst struct {
	vt0                        float64 // the zero-bias threshold, SPICE's first vgs
	ovGS, ovGD, ovGB           float64 // overlap capacitances
	isatD, isatS               float64 // junction saturation currents
	czbd, czbdsw, czbs, czbssw float64
	pb, pbsw, mj, mjsw         float64
	vcritD, vcritS             float64
	m                          float64
	flicker, af                float64 // flicker noise: flicker |id|^af / f
}

// bsimCard are the parameters BSIM1's and BSIM2's cards share: sizes, oxide, overlaps,
// junctions, series resistance and flicker noise.
type bsimCard struct {
	dl, dw, tox, cgso, cgdo, cgbo, rsh   float64
	js, pb, mj, pbsw, mjsw, cj, cjsw, kf float64
	af, level                            float64
}

func (m *bsimCard) params(levelDoc string) []param {
	return []param{
		p("dl", 0, "um", "channel length reduction", &m.dl),
		p("dw", 0, "um", "channel width reduction", &m.dw),
		p("cgso", 0, "F/m", "gate-source overlap capacitance per width", &m.cgso),
		p("cgdo", 0, "F/m", "gate-drain overlap capacitance per width", &m.cgdo),
		p("cgbo", 0, "F/m", "gate-bulk overlap capacitance per length", &m.cgbo),
		p("rsh", 0, "ohm/sq", "drain and source diffusion sheet resistance", &m.rsh),
		p("js", 0, "A/m^2", "junction saturation current per area", &m.js),
		p("pb", 0, "V", "bottom junction built-in potential (0.1 at least)", &m.pb),
		p("mj", 0, "", "bottom junction grading coefficient", &m.mj),
		p("pbsw", 0, "V", "sidewall junction built-in potential (0.1 at least)", &m.pbsw),
		p("mjsw", 0, "", "sidewall junction grading coefficient", &m.mjsw),
		p("cj", 0, "F/m^2", "bottom junction capacitance per area", &m.cj),
		p("cjsw", 0, "F/m", "sidewall junction capacitance per perimeter", &m.cjsw),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		p("level", 0, "", levelDoc, &m.level),
		// ngspice's tables have them; its equations do not use them.
		accepted("wdf dell nmos pmos"),
	}
}

// scaledParams declares the size-dependent parameters names (p0 + lp/Leff + wp/Weff, Leff
// and Weff in micron), written p, lp and wp, into dst; docs says what each is, defaults
// p0's default where it is not 0.
func scaledParams(names []string, docs map[string]string, defaults map[string]float64, dst [][3]float64) []param {
	var ps []param
	for k, n := range names {
		ps = append(ps, p(n, defaults[n], "", docs[n], &dst[k][0]),
			p("l"+n, 0, "um", "length dependence of "+n, &dst[k][1]),
			p("w"+n, 0, "um", "width dependence of "+n, &dst[k][2]))
	}
	return ps
}

// sized is each scaled parameter at Leff, Weff (micron).
func sized(scaled [][3]float64, lum, wum float64) []float64 {
	s := make([]float64, len(scaled))
	for k, v := range scaled {
		s[k] = v[0] + v[1]/lum + v[2]/wum
	}
	return s
}

// newEarlyBSIM reads an early BSIM element's line, with the channel ch made by build
// from its line and returning the channel's zero-bias threshold and cox in F/cm².
func newEarlyBSIM(e *parser.Element, card *parser.Model, what string, mod *bsimCard,
	build func(leff, weff float64) (bsimChannel, float64, float64, error)) (Device, error) {
	where := modelWhere(e, card)
	var inst bsimInstance
	if err := inst.params(what).apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	d := &EarlyBSIM{name: e.Name, ic: inst.ic, icGiven: inst.icGiven}
	copy(d.nodes[:], e.Nodes)
	typ, off, err := mosElement(e, card, &d.ic, &d.icGiven)
	if err != nil {
		return nil, err
	}
	d.typ, d.off = typ, off
	leff := inst.l - mod.dl*1e-6
	weff := inst.w - mod.dw*1e-6
	switch {
	case !(mod.tox > 0):
		return nil, elementError(e, "tox (in micron) must be positive, got %g (%s)", mod.tox, where)
	case mod.mj == 1 || mod.mjsw == 1:
		return nil, elementError(e, "the grading coefficients mj and mjsw must not be 1 (%s)", where)
	case !(inst.m > 0):
		return nil, elementError(e, "m must be positive, got %g", inst.m)
	case !(leff > 0):
		return nil, elementError(e, "effective channel length l - dl = %g is not positive (%s)", leff, where)
	case !(weff > 0):
		return nil, elementError(e, "effective channel width w - dw = %g is not positive (%s)", weff, where)
	case inst.ad < 0 || inst.as < 0 || inst.pd < 0 || inst.ps < 0 || inst.nrd < 0 || inst.nrs < 0:
		return nil, elementError(e, "ad, as, pd, ps, nrd and nrs must not be negative")
	case mod.rsh < 0 || mod.js < 0:
		return nil, elementError(e, "rsh and js must not be negative (%s)", where)
	}
	ch, vt0, coxCm, err := build(leff, weff)
	if err != nil {
		return nil, err
	}
	d.ch = ch
	c := &d.c
	*c = bsimConst{
		vt0: vt0,
		// ngspice's loads take the drawn width for the overlaps, and the effective length.
		ovGS: mod.cgso * inst.w, ovGD: mod.cgdo * inst.w, ovGB: mod.cgbo * leff,
		isatD: math.Max(inst.ad*mod.js, 1e-15), isatS: math.Max(inst.as*mod.js, 1e-15),
		czbd: mod.cj * inst.ad, czbs: mod.cj * inst.as, czbdsw: mod.cjsw * inst.pd, czbssw: mod.cjsw * inst.ps,
		pb: math.Max(mod.pb, 0.1), pbsw: math.Max(mod.pbsw, 0.1), mj: mod.mj, mjsw: mod.mjsw,
		m: inst.m, af: mod.af,
	}
	c.vcritD = bsimVt * math.Log(bsimVt/(math.Sqrt2*c.isatD))
	c.vcritS = bsimVt * math.Log(bsimVt/(math.Sqrt2*c.isatS))
	if mod.kf != 0 {
		c.flicker = mod.kf * inst.m / (weff * leff * coxCm * coxCm)
	}
	if mod.rsh != 0 && inst.nrd != 0 {
		d.gd = inst.m / (mod.rsh * inst.nrd)
	}
	if mod.rsh != 0 && inst.nrs != 0 {
		d.gs = inst.m / (mod.rsh * inst.nrs)
	}
	return d, nil
}

func (d *EarlyBSIM) Name() string { return d.name }

// Setup reserves the internal drain and source behind rsh*nrd, rsh*nrs, and the entries.
func (d *EarlyBSIM) Setup(b *mna.Builder) { d.setupNodes(b, d.name, &d.nodes, d.gd != 0, d.gs != 0) }

// bsimRun is one run of an early BSIM device: its last evaluation, which limiting starts from.
type bsimRun struct {
	*EarlyBSIM
	ev    bsimEval
	evals int
}

func (d *EarlyBSIM) NewRun() Loader { return &bsimRun{EarlyBSIM: d} }

// voltages are the device's vgs, vds, vbs at x, in the n-channel frame.
func (d *EarlyBSIM) voltages(x []float64) [3]float64 {
	vs := x[d.t[mosS]]
	return [3]float64{d.typ * (x[d.t[mosG]] - vs), d.typ * (x[d.t[mosD]] - vs), d.typ * (x[d.t[mosB]] - vs)}
}

// Load evaluates the device at X, or at SPICE's initial or limited voltages carried to X
// along their tangents, and adds its currents and (outside .op) charges.
func (r *bsimRun) Load(ctx *Context) {
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
		v[0], v[1], v[2], limited = old.limit(vX[0], vX[1], vX[2], bsimVt, r.c.vcritS, r.c.vcritD)
		if limited {
			ctx.Limited = true
		}
	}
	r.evaluate(&r.ev, v, ctx.Gmin, ctx.Mode != ModeOP)
	r.evals++
	var dv [3]float64 // the limited or initial voltages carried to X; a uic start's charges are its own
	if !ctx.UIC {
		dv = [3]float64{vX[0] - v[0], vX[1] - v[1], vX[2] - v[2]}
	}
	r.stamp(ctx, dv)
}

// initialVoltages are SPICE's starting voltages for an operating point from zero: IC=
// where given, else vbs = -1, vgs = the zero-bias threshold, vds = 0; zero when off.
func (d *EarlyBSIM) initialVoltages() [3]float64 {
	if d.off {
		return [3]float64{}
	}
	vds, vgs, vbs := d.typ*d.ic[0], d.typ*d.ic[1], d.typ*d.ic[2]
	if vds == 0 && vgs == 0 && vbs == 0 {
		return [3]float64{d.c.vt0, 0, -1}
	}
	return [3]float64{vgs, vds, vbs}
}

// uicVoltages are the voltages a uic transient starts from (UICVoltages).
func (d *EarlyBSIM) uicVoltages(x []float64) [3]float64 {
	return UICVoltages(x, d.off, d.typ, d.dExt, d.t[mosG], d.sExt, d.t[mosB], d.ic, d.icGiven)
}

// UICVoltages are the (vgs, vds, vbs) a four-terminal MOSFET's uic transient starts from,
// in its channel's polarity (typ): IC= (vds, vgs, vbs) where given, else those of the
// nodes drain, gate, source and bulk in x; all 0 for a device that is off.
func UICVoltages(x []float64, off bool, typ float64, drain, gate, source, bulk int, ic [3]float64, icGiven [3]bool) [3]float64 {
	if off {
		return [3]float64{}
	}
	vs := x[source]
	v := [3]float64{x[drain] - vs, x[gate] - vs, x[bulk] - vs} // vds, vgs, vbs
	for k := range v {
		if icGiven[k] {
			v[k] = ic[k]
		}
	}
	return [3]float64{typ * v[1], typ * v[0], typ * v[2]}
}

// at is y carried from the evaluated point by dv (vgs, vds, vbs) along its tangent.
func (y dual) at(dv [3]float64) dual {
	y.v += y.g*dv[0] + y.d*dv[1] + y.b*dv[2]
	return y
}

// stamp writes the last evaluation, carried to X by dv, into F and G (and Q and C when
// it has charges), times m.
func (r *bsimRun) stamp(ctx *Context, dv [3]float64) {
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
func (d *EarlyBSIM) row(vec, mat []float64, k int, y dual) {
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
func (*bsimRun) UpdateAccepting() {}

// Report returns the device's quantities at x (ngspice's BSIM1 and BSIM2 report none by name; these
// are the level-1 MOSFET's): id (the drain's current, into the device), is, ib, ig, the
// voltages vgs, vds, vbs, the threshold von, vdsat, and gm, gds, gmbs in the frame where
// vds >= 0, all of the m devices.
func (d *EarlyBSIM) Report(name string) (func(x []float64) float64, bool) {
	at := func(x []float64) (ev bsimEval) {
		d.evaluate(&ev, d.voltages(x), reportGmin, false)
		return ev
	}
	m := d.c.m
	// local is ev's channel current's derivative k (vgs, vds, vbs) where vds >= 0.
	local := func(ev *bsimEval, k int) float64 {
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

// NoiseSources: the noise ngspice's BSIM1 and BSIM2 would compute (their code reads the
// state vector's indices for gm and id instead, docs/jfet-mos3.md): the thermal noise of
// the drain and source resistances (m1_rd, m1_rs) and of the channel, 4kT (2/3) m |gm|
// (m1_id), and the flicker noise kf m |id|^af / (f Weff Leff cox²) of the channel
// current (m1_1overf), cox in F/cm².
func (d *EarlyBSIM) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	dp, sp := d.t[mosD], d.t[mosS]
	dst = resistanceNoise(dst, d.name, d.dExt, dp, d.gd, d.sExt, sp, d.gs, kelvin)
	var ev bsimEval
	d.evaluate(&ev, d.voltages(x), reportGmin, false)
	var fl float64
	if d.c.flicker != 0 {
		fl = d.c.flicker * math.Exp(d.c.af*math.Log(math.Max(math.Abs(ev.id.v), 1e-38)))
	}
	return append(dst, NoiseSource{Name: d.name + "_id", A: dp, B: sp, White: thermal(2*d.c.m*math.Abs(ev.id.g)/3, kelvin)},
		NoiseSource{Name: d.name + "_1overf", A: dp, B: sp, Flicker: fl, Exp: 1})
}
