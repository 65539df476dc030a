package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// JFET is ngspice's level-1 junction FET (Shichman-Hodges with the Sydney University
// doping-tail parameter b): a channel current beta (1 + lambda vds) f(vgs - vto, vds),
// two gate junction diodes, their depletion charges (grading 1/2), and drain and source
// series resistances through internal nodes. As in the MOSFET, every voltage and current
// inside is in the n-channel frame, and drain and source trade roles when vds < 0.
// A Statz MESFET is a JFET with its own channel current and gate charge (statz.go).
type JFET struct {
	name  string
	nodes [3]string
	typ   float64 // +1 n-channel (njf), -1 p-channel (pjf)
	m     float64 // parallel multiplier: ngspice multiplies the whole load by it

	dExt, sExt int // external drain and source
	t          [3]int
	h          [3][3]mna.Handle
	hdd, hddp  mna.Handle
	hdpd, hss  mna.Handle
	hssp, hsps mna.Handle

	// At the instance temperature, area included (m is applied in the stamps).
	gd, gs       float64 // series conductances (0: none)
	beta, lambda float64
	vto          float64 // threshold at the instance temperature
	b, bfac      float64 // doping tail b and (1 - b)/(pb - vto) of the model values
	isat, vt     float64
	vcrit        float64
	czgs, czgd   float64 // zero-bias junction capacitances
	pb, depCap   float64 // gate potential, and fc*pb where the linear extension starts
	f1, f2, f3   float64
	kf, af       float64         // flicker noise: kf |id|^af / f (noise.go)
	noiseTemp    float64         // K: the thermal noises' temperature
	statz        *statz          // set for a Statz MESFET
	ps           *parkerSkellern // set for a level-2 JFET (jfet2.go)
	cds          float64         // drain-source capacitance (level 2)

	off     bool
	ic      [2]float64 // IC=vds,vgs
	icGiven [2]bool
}

// jfetRun is one run of a JFET: the junction voltages of its last evaluation, which the
// next one limits against.
type jfetRun struct {
	*JFET
	vgs, vgd float64
	sz       statzHistory // a Statz MESFET's or level-2 JFET's gate charges
	psh      psHistory    // a level-2 JFET's dispersion filters
}

// NewRun returns a Loader with no evaluation yet.
func (d *JFET) NewRun() Loader { return &jfetRun{JFET: d} }

// The terminals of JFET.t and JFET.h.
const (
	jfD = iota // the internal drain
	jfG
	jfS // the internal source
)

type jfetModelCard struct {
	level, vto, beta, lambda, rd, rs, cgs, cgd, pb, is, fc, b float64
	tnom, tcv, vtotc, bex, betatce, xti, eg                   float64
	kf, af                                                    float64
	tnomGiven, vtotcGiven, betatceGiven, xtiGiven             bool
}

// jfetCommonParams are the model parameters both JFET levels have, with the same
// defaults: threshold, beta, lambda, series resistances and zero-bias gate capacitances.
func jfetCommonParams(vto, beta, lambda, rd, rs, cgs, cgd *float64) []param {
	return []param{
		p("vto vt0", -2, "V", "threshold (pinch-off) voltage", vto),
		p("beta", 1e-4, "A/V^2", "transconductance parameter", beta),
		p("lambda", 0, "1/V", "channel-length modulation", lambda),
		p("rd", 0, "ohm", "drain ohmic resistance", rd),
		p("rs", 0, "ohm", "source ohmic resistance", rs),
		p("cgs", 0, "F", "zero-bias gate-source capacitance", cgs),
		p("cgd", 0, "F", "zero-bias gate-drain capacitance", cgd),
	}
}

func (m *jfetModelCard) params() paramSet {
	common := jfetCommonParams(&m.vto, &m.beta, &m.lambda, &m.rd, &m.rs, &m.cgs, &m.cgd)
	return paramSet{what: "JFET model", params: append(common,
		p("level", 1, "", "model level: 1 (Shichman-Hodges)", &m.level),
		p("pb", 1, "V", "gate junction potential", &m.pb),
		p("is", 1e-14, "A", "gate junction saturation current", &m.is),
		p("fc", 0.5, "", "forward-bias depletion capacitance coefficient (at most 0.95)", &m.fc),
		p("b", 1, "", "doping tail parameter (Sydney University)", &m.b),
		p("tnom", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		p("tcv", 0, "V/C", "threshold temperature coefficient (vto - tcv dT)", &m.tcv),
		p("vtotc", 0, "V/C", "threshold temperature coefficient (vto + vtotc dT; wins over tcv)", &m.vtotc).withGiven(&m.vtotcGiven),
		p("bex", 0, "", "mobility temperature exponent: beta (T/Tnom)^bex", &m.bex),
		p("betatce", 0, "%/C", "beta temperature coefficient: beta 1.01^(betatce dT) (wins over bex)", &m.betatce).withGiven(&m.betatceGiven),
		p("xti", 3, "", "saturation current temperature exponent (used only when given, as ngspice)", &m.xti).withGiven(&m.xtiGiven),
		p("eg", 1.11, "eV", "activation energy of the saturation current", &m.eg),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		accepted("nlev gdsnoi njf pjf"),
	)}
}

type jfetInstanceCard struct {
	area, m, temp, dtemp                   float64
	areaGiven, tempGiven, dtempGiven, icOn bool
}

func (in *jfetInstanceCard) params() paramSet {
	return paramSet{what: "JFET", params: []param{
		p("area", 1, "", "area factor", &in.area).withGiven(&in.areaGiven),
		p("m", 1, "", "parallel multiplier", &in.m),
		p("temp", 27, "C", "instance temperature", &in.temp).withGiven(&in.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &in.dtemp).withGiven(&in.dtempGiven),
		p("ic", 0, "V", "initial voltages: IC=vds,vgs", nil),
	}}
}

func newJFET(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "JFET", "njf", "pjf")
	if err != nil {
		return nil, err
	}
	where := modelWhere(e, card)
	if lv, ok := modelLevel(card); ok && lv == 2 {
		return newJFET2(e, card, where, env)
	} else if ok && lv != 1 {
		return nil, elementError(e, "JFET level %g (%s) is not supported: levels 1 (Shichman-Hodges) and 2 (Parker-Skellern) are", lv, where)
	}
	var mod jfetModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	d, in, err := newJFETInstance(e, card)
	if err != nil {
		return nil, err
	}
	switch {
	case !(mod.pb > 0):
		return nil, elementError(e, "pb must be positive, got %g (%s)", mod.pb, where)
	case mod.pb == mod.vto && mod.b != 1:
		return nil, elementError(e, "pb must differ from vto when b is not 1 (%s)", where)
	case !(mod.is > 0):
		return nil, elementError(e, "is must be positive, got %g (%s)", mod.is, where)
	case mod.rd < 0 || mod.rs < 0 || mod.cgs < 0 || mod.cgd < 0:
		return nil, elementError(e, "rd, rs, cgs and cgd must not be negative (%s)", where)
	case mod.fc < 0:
		return nil, elementError(e, "fc must not be negative, got %g (%s)", mod.fc, where)
	}
	temp, tnom, err := in.kelvin(e, env, mod.tnom, mod.tnomGiven)
	if err != nil {
		return nil, err
	}
	d.temperature(&mod, in.area, temp, tnom)
	d.noiseTemp = temp
	d.kf, d.af = mod.kf, mod.af
	if !(d.pb > 0) {
		return nil, elementError(e, "the gate junction potential at %g C is not positive (%g V)", temp-dioCtoK, d.pb)
	}
	return d, nil
}

// newJFETInstance reads a J line's instance parameters, area, off and IC= (those of
// both levels) into a JFET without model values.
func newJFETInstance(e *parser.Element, card *parser.Model) (*JFET, *jfetInstanceCard, error) {
	in := &jfetInstanceCard{}
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, nil, err
	}
	d := &JFET{name: e.Name, typ: 1, m: in.m}
	copy(d.nodes[:], e.Nodes)
	if card.Type == "pjf" {
		d.typ = -1
	}
	off, err := areaAndOff(e, &in.area, &in.areaGiven, "JFET")
	if err != nil {
		return nil, nil, err
	}
	d.off = off
	list, _, _ := icList(e)
	for k := range min(len(list), 2) {
		d.ic[k], d.icGiven[k] = list[k], true
	}
	switch {
	case !(in.area > 0):
		return nil, nil, elementError(e, "area must be positive, got %g", in.area)
	case !(in.m > 0):
		return nil, nil, elementError(e, "m must be positive, got %g", in.m)
	}
	return d, in, nil
}

// kelvin is the instance's temperature in kelvin (temp= when given, else the circuit's
// plus dtemp=) and the model's tnom (C, the circuit's tnom when not given) in kelvin;
// both must be above absolute zero.
func (in *jfetInstanceCard) kelvin(e *parser.Element, env Env, tnomC float64, tnomGiven bool) (temp, tnom float64, err error) {
	temp = env.Temp + in.dtemp + dioCtoK
	if in.tempGiven {
		temp = in.temp + dioCtoK
	}
	tnom = env.TNom + dioCtoK
	if tnomGiven {
		tnom = tnomC + dioCtoK
	}
	for _, k := range []float64{temp, tnom} {
		if !(k > 0) {
			return 0, 0, elementError(e, "temperature %g C is below absolute zero", k-dioCtoK)
		}
	}
	return temp, tnom, nil
}

// temperature sets the values the loads use at temp (K) for a model measured at tnom
// (K), as ngspice 39's JFET does (jfettemp.c): the junction potential and capacitances
// scale with the silicon band gap as the MOSFET's do, the saturation current with eg
// (and xti when given), the threshold and beta by their coefficients.
func (d *JFET) temperature(mod *jfetModelCard, area, temp, tnom float64) {
	d.gateTemperature(mod.pb, mod.cgs, mod.cgd, area, temp, tnom)
	vt := d.vt
	fc := math.Min(mod.fc, 0.95) // ngspice limits fc to 0.95 (with a warning)
	xfc := math.Log(1 - fc)
	d.f1 = d.pb * (1 - math.Exp(0.5*xfc)) / 0.5
	d.f2 = math.Exp(1.5 * xfc)
	d.f3 = 1 - 1.5*fc
	d.depCap = fc * d.pb

	ratio1 := temp/tnom - 1
	tsat := mod.is * math.Exp(ratio1*mod.eg/vt)
	if mod.xtiGiven {
		tsat *= math.Pow(temp/tnom, mod.xti)
	}
	d.setSaturation(tsat, area)

	dt := temp - tnom
	d.vto = mod.vto - mod.tcv*dt
	if mod.vtotcGiven {
		d.vto = mod.vto + mod.vtotc*dt
	}
	beta := mod.beta * math.Pow(temp/tnom, mod.bex)
	if mod.betatceGiven {
		beta = mod.beta * math.Pow(1.01, mod.betatce*dt)
	}
	d.beta = beta * area
	d.lambda = mod.lambda
	// The doping tail's factor uses the model's pb and vto, not their values at temp.
	d.b = mod.b
	if mod.b != 1 {
		d.bfac = (1 - mod.b) / (mod.pb - mod.vto)
	}
	d.setResistances(mod.rd, mod.rs, area)
}

// gateTemperature sets the thermal voltage at temp (K), the gate junction potential
// there of a model whose potential is pb at tnom (K), scaled with the silicon band gap
// as the MOSFET's junctions, and the zero-bias gate capacitances of the model's cgs and
// cgd, scaled with it and by area.
func (d *JFET) gateTemperature(pb, cgs, cgd, area, temp, tnom float64) {
	d.vt = temp * mosKoverQ
	pbo := (pb - dioPotentialFactor(tnom)) / (tnom / dioRefTemp)
	gmaOld := (pb - pbo) / pbo
	d.pb = temp/dioRefTemp*pbo + dioPotentialFactor(temp)
	gmaNew := (d.pb - pbo) / pbo
	capScale := (1 + 0.5*(4e-4*(temp-dioRefTemp)-gmaNew)) / (1 + 0.5*(4e-4*(tnom-dioRefTemp)-gmaOld))
	d.czgs = cgs * capScale * area
	d.czgd = cgd * capScale * area
}

// setSaturation sets the gate junctions' saturation current, tsat of the unit area, and
// the critical voltage their limiting uses (of the unit area, as ngspice's).
func (d *JFET) setSaturation(tsat, area float64) {
	d.isat = tsat * area
	d.vcrit = d.vt * math.Log(d.vt/(math.Sqrt2*tsat))
}

// setResistances sets the series conductances of the model's rd and rs (0: none).
func (d *JFET) setResistances(rd, rs, area float64) {
	if rd != 0 {
		d.gd = area / rd
	}
	if rs != 0 {
		d.gs = area / rs
	}
}

// Name returns the element's name.
func (d *JFET) Name() string { return d.name }

// Setup reserves the internal drain and source (with rd, rs) and the matrix entries.
func (d *JFET) Setup(b *mna.Builder) {
	d.dExt = b.Node(d.nodes[0])
	d.t[jfG] = b.Node(d.nodes[1])
	d.sExt = b.Node(d.nodes[2])
	d.t[jfD], d.t[jfS] = d.dExt, d.sExt
	if d.gd != 0 {
		d.t[jfD] = b.InternalNode(d.name, "drain")
		d.hdd, d.hddp, d.hdpd = b.Entry(d.dExt, d.dExt), b.Entry(d.dExt, d.t[jfD]), b.Entry(d.t[jfD], d.dExt)
	}
	if d.gs != 0 {
		d.t[jfS] = b.InternalNode(d.name, "source")
		d.hss, d.hssp, d.hsps = b.Entry(d.sExt, d.sExt), b.Entry(d.sExt, d.t[jfS]), b.Entry(d.t[jfS], d.sExt)
	}
	for r := range d.t {
		for c := range d.t {
			d.h[r][c] = b.Entry(d.t[r], d.t[c])
		}
	}
}

// jfetPoint is the device evaluated at one vgs, vgd (n-channel frame): the gate junction
// currents and the channel current, with their derivatives, and the junction charges.
type jfetPoint struct {
	vgs, vgd           float64
	igs, ggs, igd, ggd float64
	id, gm, gds        float64 // channel current drain to source; by vgs at fixed vds, by vds
	qgs, cgs, qgd, cgd float64
	cgsd, cgds         float64 // d qgs / d vgd and d qgd / d vgs (a Statz MESFET's)
	// A level-2 JFET's channel admittance in .ac: its imaginary parts over omega, by vgs
	// and by vds (jfet2.go).
	cm, cmds float64
}

// junction is a gate diode's current and conductance at v, gmin included: exponential
// above -3 vt, below it SPICE's smooth approach to -isat.
func (d *JFET) junction(v, gmin float64) (float64, float64) {
	if v < -3*d.vt {
		a := 3 * d.vt / (v * math.E)
		a = a * a * a
		return -d.isat*(1+a) + gmin*v, d.isat*3*a/v + gmin
	}
	ev := math.Exp(math.Min(v/d.vt, mosMaxExp))
	return d.isat*(ev-1) + gmin*v, d.isat*ev/d.vt + gmin
}

// channelForward is the channel current for overdrive x = vgs - vto > 0 and y = vds >= 0
// in the forward mode, with its derivatives by x and y. With the doping tail
// B = b and F = bfac, the current is beta (1 + lambda y) times
//
//	B (2 x y - y^2) + F (x^3 - (x - y)^3)   below saturation (y <= x),
//	B x^2 + F x^3                          in saturation,
//
// which for b = 1 is SPICE's beta (2 x y - y^2) and beta x^2.
func (d *JFET) channelForward(x, y float64) (i, gx, gy float64) {
	if x <= 0 {
		return 0, 0, 0
	}
	betap := d.beta * (1 + d.lambda*y)
	var c, cx, cy float64
	if y < x {
		u := x - y
		c = d.b*y*(2*x-y) + d.bfac*(x*x*x-u*u*u)
		cx = 2*d.b*y + 3*d.bfac*(x*x-u*u)
		cy = 2*d.b*u + 3*d.bfac*u*u
	} else {
		c = x * x * (d.b + d.bfac*x)
		cx = x * (2*d.b + 3*d.bfac*x)
	}
	return betap * c, betap * cx, betap*cy + d.beta*d.lambda*c
}

// charge is a gate junction's depletion charge and capacitance at v (grading 1/2, and
// its linear-capacitance extension above fc*pb).
func (d *JFET) charge(cz, v float64) (float64, float64) {
	if cz == 0 {
		return 0, 0
	}
	if v < d.depCap {
		s := math.Sqrt(1 - v/d.pb)
		return 2 * d.pb * cz * (1 - s), cz / s
	}
	czf2 := cz / d.f2
	return cz*d.f1 + czf2*(d.f3*(v-d.depCap)+(v*v-d.depCap*d.depCap)/(4*d.pb)),
		czf2 * (d.f3 + v/(2*d.pb))
}

// evaluate fills pt at its vgs, vgd; charges only when charged (a Statz MESFET's and a
// level-2 JFET's come from their run's history: jfetRun.splitCharges). f is a level-2
// JFET's dispersion filter (nil: none).
func (d *JFET) evaluate(pt *jfetPoint, gmin float64, charged bool, f *psFilter) {
	if d.ps != nil {
		d.ps.evaluate(d, pt, gmin, f)
		return
	}
	pt.igs, pt.ggs = d.junction(pt.vgs, gmin)
	pt.igd, pt.ggd = d.junction(pt.vgd, gmin)
	vds := pt.vgs - pt.vgd
	forward := d.channelForward
	if d.statz != nil {
		forward = d.statzForward
	}
	if vds >= 0 {
		pt.id, pt.gm, pt.gds = forward(pt.vgs-d.vto, vds)
	} else {
		// Drain and source trade roles: the current is minus the forward one at the
		// gate-drain overdrive and -vds.
		i, gx, gy := forward(pt.vgd-d.vto, -vds)
		pt.id, pt.gm, pt.gds = -i, -gx, gx+gy
	}
	if charged && d.statz == nil {
		pt.qgs, pt.cgs = d.charge(d.czgs, pt.vgs)
		pt.qgd, pt.cgd = d.charge(d.czgd, pt.vgd)
	}
}

// Load evaluates the device at X, or at SPICE's initial or limited junction voltages
// (then carried to X along its tangents), and adds its currents and (outside .op) charges.
func (r *jfetRun) Load(ctx *Context) {
	d := r.JFET
	x := ctx.X
	vgsX := d.typ * (x[d.t[jfG]] - x[d.t[jfS]])
	vgdX := d.typ * (x[d.t[jfG]] - x[d.t[jfD]])
	pt := jfetPoint{vgs: vgsX, vgd: vgdX}
	switch {
	case ctx.UIC:
		// The initial charges of a uic transient: at IC= where given, else at the nodes.
		vds := d.typ * (x[d.dExt] - x[d.sExt])
		vgs := d.typ * (x[d.t[jfG]] - x[d.sExt])
		if d.icGiven[0] {
			vds = d.typ * d.ic[0]
		}
		if d.icGiven[1] {
			vgs = d.typ * d.ic[1]
		}
		if d.off {
			vds, vgs = 0, 0
		}
		pt.vgs, pt.vgd = vgs, vgs-vds
		vgsX, vgdX = pt.vgs, pt.vgd
	case ctx.FirstIteration && ctx.InitJunctions:
		pt.vgs, pt.vgd = -1, -1
		if d.off {
			pt.vgs, pt.vgd = 0, 0
		}
		ctx.Limited = true
	case ctx.FirstIteration && !ctx.Predicted:
	default:
		if r.limit(&pt) {
			ctx.Limited = true
		}
	}
	r.vgs, r.vgd = pt.vgs, pt.vgd
	charged := ctx.Mode != ModeOP && (d.czgs != 0 || d.czgd != 0 || d.cds != 0)
	var f *psFilter
	if d.ps != nil {
		f = r.psFilterAt(ctx)
	}
	d.evaluate(&pt, ctx.Gmin, charged, f)
	if d.ps != nil && ctx.Mode == ModeTranOP {
		r.psRecord(ctx.Time)
		r.psh.init = true
	}
	if charged && (d.statz != nil || d.ps != nil) {
		r.splitCharges(ctx, &pt)
	}
	if d.ps != nil && ctx.Mode == ModeAC {
		omega := 2 * math.Pi * ctx.Hertz
		xgm, xgds := d.ps.acAdmittance(&pt, omega)
		if omega != 0 {
			pt.cm, pt.cmds = xgm/omega, xgds/omega
		}
	}
	d.stamp(ctx, &pt, vgsX-pt.vgs, vgdX-pt.vgd, charged)
}

// limit applies ngspice's limiting against the last evaluation: pnjlim on both junction
// voltages, then fetlim near the threshold; it reports whether either moved.
func (r *jfetRun) limit(pt *jfetPoint) bool {
	vgs, c1 := mosPNJLim(pt.vgs, r.vgs, r.vt, r.vcrit)
	vgd, c2 := mosPNJLim(pt.vgd, r.vgd, r.vt, r.vcrit)
	vgs, c3 := mosFetLim(vgs, r.vgs, r.vto)
	vgd, c4 := mosFetLim(vgd, r.vgd, r.vto)
	pt.vgs, pt.vgd = vgs, vgd
	return c1 || c2 || c3 || c4
}

// stamp writes the evaluation pt, carried by dvgs, dvgd to X, into F, G and (when
// charged) Q, C, all times m.
func (d *JFET) stamp(ctx *Context, pt *jfetPoint, dvgs, dvgd float64, charged bool) {
	m, typ := d.m, d.typ
	ggs, ggd, gm, gds := m*pt.ggs, m*pt.ggd, m*pt.gm, m*pt.gds
	igs := m*pt.igs + ggs*dvgs
	igd := m*pt.igd + ggd*dvgd
	id := m*pt.id + gm*dvgs + gds*(dvgs-dvgd)
	F, G, h := ctx.F, ctx.G, &d.h
	F[d.t[jfD]] += typ * (id - igd)
	F[d.t[jfG]] += typ * (igs + igd)
	F[d.t[jfS]] += typ * (-id - igs)
	G[h[jfD][jfD]] += ggd
	G[h[jfD][jfG]] += -ggd
	G[h[jfG][jfD]] += -ggd
	G[h[jfG][jfG]] += ggs + ggd
	G[h[jfG][jfS]] += -ggs
	G[h[jfS][jfG]] += -ggs
	G[h[jfS][jfS]] += ggs
	d.stampChannel(G, gm, gds)
	if d.gd != 0 || d.gs != 0 {
		d.stampResistors(ctx)
	}
	if pt.cm != 0 || pt.cmds != 0 {
		d.stampChannel(ctx.C, m*pt.cm, m*pt.cmds)
	}
	if !charged {
		return
	}
	cgs, cgd, cgsd, cgds := m*pt.cgs, m*pt.cgd, m*pt.cgsd, m*pt.cgds
	qgs := m*pt.qgs + cgs*dvgs + cgsd*dvgd
	qgd := m*pt.qgd + cgd*dvgd + cgds*dvgs
	Q, C := ctx.Q, ctx.C
	Q[d.t[jfD]] -= typ * qgd
	Q[d.t[jfG]] += typ * (qgs + qgd)
	Q[d.t[jfS]] -= typ * qgs
	C[h[jfD][jfD]] += cgd
	C[h[jfD][jfG]] -= cgd + cgds
	C[h[jfG][jfD]] -= cgd + cgsd
	C[h[jfG][jfG]] += cgs + cgd + cgsd + cgds
	C[h[jfG][jfS]] -= cgs + cgds
	C[h[jfS][jfG]] -= cgs + cgsd
	C[h[jfS][jfS]] += cgs
	if cgsd != 0 || cgds != 0 {
		C[h[jfD][jfS]] += cgds
		C[h[jfS][jfD]] += cgsd
	}
	if d.cds != 0 {
		// A linear capacitance from the internal drain to the internal source.
		cds := m * d.cds
		qds := cds * (pt.vgs - pt.vgd + dvgs - dvgd)
		Q[d.t[jfD]] += typ * qds
		Q[d.t[jfS]] -= typ * qds
		C[h[jfD][jfD]] += cds
		C[h[jfD][jfS]] -= cds
		C[h[jfS][jfD]] -= cds
		C[h[jfS][jfS]] += cds
	}
}

// stampChannel adds to M (G, or C for a level-2 JFET's .ac admittance) a channel
// current's derivatives: gm by vgs, gds by vds, from the drain to the source.
func (d *JFET) stampChannel(M []float64, gm, gds float64) {
	h := &d.h
	M[h[jfD][jfD]] += gds
	M[h[jfD][jfG]] += gm
	M[h[jfD][jfS]] += -gm - gds
	M[h[jfS][jfD]] += -gds
	M[h[jfS][jfG]] += -gm
	M[h[jfS][jfS]] += gm + gds
}

// stampResistors writes the drain and source series resistances.
func (d *JFET) stampResistors(ctx *Context) {
	if g := d.m * d.gd; g != 0 {
		stampSeries(ctx, g, d.dExt, d.t[jfD], d.hdd, d.hddp, d.hdpd, d.h[jfD][jfD])
	}
	if g := d.m * d.gs; g != 0 {
		stampSeries(ctx, g, d.sExt, d.t[jfS], d.hss, d.hssp, d.hsps, d.h[jfS][jfS])
	}
}
