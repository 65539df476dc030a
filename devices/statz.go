package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// The Statz MESFET (a Z element with an nmf or pmf model of level 1, ngspice's default
// for Z) is the JFET's load with its own channel current and gate charge: the same gate
// diodes, limiting, series resistances, initial voltages and noise, so it is a JFET
// whose statz field is set. As ngspice 39's, it has no temperature dependence: every
// thermal voltage is kT/q at 27 C whatever the circuit's temperature (only its noise
// is at the circuit's).

// statz is what a Statz MESFET has in place of the JFET's doping tail.
type statz struct {
	alpha float64 // saturation voltage parameter: the knee ends at vds = 3/alpha
	b     float64 // doping profile parameter: the current falls by 1 + b (vgs - vto)
}

// The Statz gate charge's fixed constants (Statz et al., IEEE T-ED 34, 1987; ngspice
// does not let a model set them): the width of the turn at the threshold and the
// voltage above which the depletion charge goes on linearly.
const (
	statzVDelta = 0.2
	statzVMax   = 0.5
)

type statzModelCard struct {
	level, vto, alpha, beta, lambda, b, rd, rs, cgs, cgd, pb, is, fc, kf, af float64
}

func (m *statzModelCard) params() paramSet {
	return paramSet{what: "Statz MESFET model", params: []param{
		p("level", 1, "", "model level: 1 (Statz)", &m.level),
		p("vto vt0", -2, "V", "pinch-off voltage", &m.vto),
		p("alpha", 2, "1/V", "saturation voltage parameter", &m.alpha),
		p("beta", 2.5e-3, "A/V^2", "transconductance parameter", &m.beta),
		p("lambda", 0, "1/V", "channel-length modulation", &m.lambda),
		p("b", 0.3, "1/V", "doping profile parameter", &m.b),
		p("rd", 0, "ohm", "drain ohmic resistance", &m.rd),
		p("rs", 0, "ohm", "source ohmic resistance", &m.rs),
		p("cgs", 0, "F", "zero-bias gate-source capacitance", &m.cgs),
		p("cgd", 0, "F", "zero-bias gate-drain capacitance", &m.cgd),
		p("pb", 1, "V", "gate junction potential", &m.pb),
		p("is", 1e-14, "A", "gate junction saturation current", &m.is),
		p("fc", 0.5, "", "forward-bias depletion capacitance coefficient (read, unused, as in ngspice)", &m.fc),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		accepted("nmf pmf"),
	}}
}

type statzInstanceCard struct {
	area, m, icvds, icvgs                 float64
	areaGiven, mGiven, vdsGiven, vgsGiven bool
}

func (in *statzInstanceCard) params() paramSet {
	return paramSet{what: "Statz MESFET", params: []param{
		p("area", 1, "", "area factor", &in.area).withGiven(&in.areaGiven),
		p("m", 1, "", "area factor under another name (as ngspice 39's)", &in.m).withGiven(&in.mGiven),
		p("icvds", 0, "V", "initial drain-source voltage", &in.icvds).withGiven(&in.vdsGiven),
		p("icvgs", 0, "V", "initial gate-source voltage", &in.icvgs).withGiven(&in.vgsGiven),
	}}
}

// newStatz builds a Z element of an nmf or pmf model of level 1.
func newStatz(e *parser.Element, card *parser.Model, where string, env Env) (Device, error) {
	var mod statzModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	var in statzInstanceCard
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	d := &JFET{name: e.Name, typ: 1, m: 1}
	copy(d.nodes[:], e.Nodes)
	if card.Type == "pmf" {
		d.typ = -1
	}
	for _, a := range e.Args() {
		switch {
		case a.Word == "off":
			d.off = true
		case a.IsNumber:
			// ngspice 39 reads a bare number on a Z line and drops it (measured: the
			// area stays 1), which would silently differ from what the line means.
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q: a Statz MESFET's area is given as area= (ngspice 39 ignores a bare number here)", e.Name, argText(a))
		default:
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q (a Statz MESFET takes off and name=value parameters)", e.Name, argText(a))
		}
	}
	if in.vdsGiven {
		d.ic[0], d.icGiven[0] = in.icvds, true
	}
	if in.vgsGiven {
		d.ic[1], d.icGiven[1] = in.icvgs, true
	}
	switch {
	case in.areaGiven && in.mGiven:
		// Measured: ngspice 39 keeps the last of the two and drops the other.
		return nil, elementError(e, "give area= or m=, not both: ngspice 39 keeps only the last of them on a Statz MESFET")
	case !(in.area > 0):
		return nil, elementError(e, "area must be positive, got %g", in.area)
	case !(in.m > 0):
		return nil, elementError(e, "m must be positive, got %g", in.m)
	}
	// ngspice 39's m= is the area under another name (measured: the flicker noise
	// kf |id|^af grows as an area's, (m id)^af, not as m parallel devices' m id^af).
	if in.mGiven {
		in.area = in.m
	}
	switch {
	case !(mod.alpha > 0):
		return nil, elementError(e, "alpha must be positive, got %g (%s)", mod.alpha, where)
	case mod.b < 0:
		return nil, elementError(e, "b must not be negative, got %g (%s)", mod.b, where)
	case !(mod.is > 0):
		return nil, elementError(e, "is must be positive, got %g (%s)", mod.is, where)
	case mod.rd < 0 || mod.rs < 0 || mod.cgs < 0 || mod.cgd < 0:
		return nil, elementError(e, "rd, rs, cgs and cgd must not be negative (%s)", where)
	case (mod.cgs != 0 || mod.cgd != 0) && !(mod.pb > statzVMax):
		// The gate charge goes on linearly above 0.5 V with the slope it has there,
		// which is infinite at pb = 0.5 V.
		return nil, elementError(e, "pb must exceed %g V when cgs or cgd is given, got %g (%s)", statzVMax, mod.pb, where)
	}
	area := in.area
	d.statz = &statz{alpha: mod.alpha, b: mod.b}
	d.vt = dioRefTemp * mosKoverQ
	d.isat = mod.is * area
	d.vcrit = d.vt * math.Log(d.vt/(math.Sqrt2*mod.is)) // of the unit area, as ngspice
	d.vto = mod.vto
	d.beta = mod.beta * area
	d.lambda = mod.lambda
	d.czgs, d.czgd, d.pb = mod.cgs*area, mod.cgd*area, mod.pb
	if mod.rd != 0 {
		d.gd = area / mod.rd
	}
	if mod.rs != 0 {
		d.gs = area / mod.rs
	}
	d.kf, d.af = mod.kf, mod.af
	d.noiseTemp = env.Temp + dioCtoK
	return d, nil
}

// statzForward is the Statz channel current for overdrive x = vgs - vto > 0 and y = vds
// >= 0 in the forward mode, with its derivatives by x and y:
//
//	beta (1 + lambda y) x^2 / (1 + b x) (1 - (1 - alpha y / 3)^3)
//
// the last factor (the cubic in place of Curtice's tanh) being 1 from y = 3 / alpha on.
func (d *JFET) statzForward(x, y float64) (i, gx, gy float64) {
	if x <= 0 {
		return 0, 0, 0
	}
	s := d.statz
	prod := 1 + d.lambda*y
	denom := 1 + s.b*x
	sat := x * x / denom                      // the saturated current over beta
	satX := x * (1 + denom) / (denom * denom) // its derivative by x
	knee, kneeY := 1.0, 0.0
	if y < 3/s.alpha {
		a := 1 - s.alpha*y/3
		knee, kneeY = 1-a*a*a, s.alpha*a*a
	}
	i = d.beta * prod * sat * knee
	gx = d.beta * prod * satX * knee
	gy = d.beta * sat * (kneeY*prod + knee*d.lambda)
	return i, gx, gy
}

// statzGateCharge is Statz's total gate charge at vgs, vgd with its derivatives by each.
// The larger of the two voltages, smoothed over 1/alpha (veff1), charges the
// gate-source depletion capacitance past a threshold smoothed over statzVDelta; the
// smaller (veff2) the constant gate-drain one; above statzVMax the depletion charge
// goes on linearly.
func (d *JFET) statzGateCharge(vgs, vgd float64) (q, cgs, cgd float64) {
	vcap := 1 / d.statz.alpha
	dv := vgs - vgd
	root := math.Sqrt(dv*dv + vcap*vcap)
	veff1 := 0.5 * (vgs + vgd + root)
	veff2 := veff1 - root
	over := veff1 - d.vto
	nroot := math.Sqrt(over*over + statzVDelta*statzVDelta)
	vnew := 0.5 * (veff1 + d.vto + nroot)
	lin := 0.0 // the linear extension above statzVMax
	if vnew >= statzVMax {
		lin = (vnew - statzVMax) / math.Sqrt(1-statzVMax/d.pb)
		vnew = statzVMax
	}
	qroot := math.Sqrt(1 - vnew/d.pb)
	q = d.czgs*(2*d.pb*(1-qroot)+lin) + d.czgd*veff2
	dvnew := 0.5 * (1 + over/nroot) // d vnew / d veff1
	slope := dv / root
	plus := 0.5 * (1 + slope) // d veff1 / d vgs = d veff2 / d vgd
	minus := plus - slope     // d veff1 / d vgd = d veff2 / d vgs
	depl := d.czgs / qroot * dvnew
	return q, depl*plus + d.czgd*minus, depl*minus + d.czgd*plus
}

// statzHistory is a Statz MESFET run's (or a level-2 JFET run's) gate charges at the
// last accepted point and their voltages. As ngspice, each step splits the total gate charge's change between
// the two: qgs takes the change by vgs averaged over the old and new vgd, qgd the change
// by vgd averaged over the old and new vgs.
type statzHistory struct {
	vgs, vgd float64
	qgs, qgd float64
	init     bool // the next Accept is the transient's initial point, recorded by its Load
}

// gateCharge is a Statz MESFET's or a level-2 JFET's total gate charge at vgs, vgd with
// its derivatives by each.
func (d *JFET) gateCharge(vgs, vgd float64) (q, cgs, cgd float64) {
	if d.ps != nil {
		return d.ps.gateCharge(d, vgs, vgd)
	}
	return d.statzGateCharge(vgs, vgd)
}

// splitCharges sets pt's gate charges and their derivatives (both by vgs and by vgd)
// from the history; in .ac and at the transient's initial point the history is pt
// itself, so that the charges are the total gate charge and the capacitances its
// derivatives.
func (r *jfetRun) splitCharges(ctx *Context, pt *jfetPoint) {
	d := r.JFET
	h := &r.sz
	qa, csa, cda := d.gateCharge(pt.vgs, pt.vgd)
	if ctx.Mode == ModeAC || ctx.Mode == ModeTranOP {
		if ctx.Mode == ModeTranOP {
			*h = statzHistory{vgs: pt.vgs, vgd: pt.vgd, qgs: qa, qgd: qa, init: true}
		}
		pt.qgs, pt.qgd = qa, qa
		pt.cgs, pt.cgd, pt.cgsd, pt.cgds = csa, cda, 0, 0
		return
	}
	qb, _, cdb := d.gateCharge(h.vgs, pt.vgd)
	qc, csc, _ := d.gateCharge(pt.vgs, h.vgd)
	qd, _, _ := d.gateCharge(h.vgs, h.vgd)
	pt.qgs = h.qgs + 0.5*(qa-qb+qc-qd)
	pt.qgd = h.qgd + 0.5*(qa-qc+qb-qd)
	pt.cgs, pt.cgsd = 0.5*(csa+csc), 0.5*(cda-cdb)
	pt.cgd, pt.cgds = 0.5*(cda+cdb), 0.5*(csa-csc)
}

// Accept records a Statz MESFET's or level-2 JFET's gate charges, and a level-2 JFET's
// dispersion filters, at an accepted point (a level-1 JFET keeps no history). The
// transient's initial point was recorded by its Load (at the uic voltages when uic).
func (r *jfetRun) Accept(ctx *Context) {
	d := r.JFET
	if d.ps != nil {
		r.psAccept(ctx)
	}
	if (d.statz == nil && d.ps == nil) || (d.czgs == 0 && d.czgd == 0) {
		return
	}
	h := &r.sz
	if h.init {
		h.init = false
		return
	}
	x := ctx.X
	pt := jfetPoint{vgs: d.typ * (x[d.t[jfG]] - x[d.t[jfS]]), vgd: d.typ * (x[d.t[jfG]] - x[d.t[jfD]])}
	r.splitCharges(ctx, &pt)
	h.vgs, h.vgd, h.qgs, h.qgd = pt.vgs, pt.vgd, pt.qgs, pt.qgd
}
