package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// A JFET of level 2 is ngspice's jfet2: Parker and Skellern's MESFET model (IEEE T-MTT
// 45(9), 1997). It is the JFET's load (terminals, series resistances, limiting, initial
// voltages, noise, the split of the gate charge over a step) with parkerSkellern's
// channel, gate junctions and gate charge in place of level 1's: the JFET's ps field is
// set. Its temperature dependence is ngspice 39's jfet2's: the gate junctions' potential,
// capacitances and saturation current only (vto and beta do not change).

// parkerSkellern is what a level-2 JFET has in place of level 1's channel, at the
// instance temperature, area included.
type parkerSkellern struct {
	nvt      float64 // n kT/q of the gate junctions
	ibd, vbd float64 // reverse breakdown current and its exponential voltage
	vto      float64
	beta     float64
	lambda   float64
	// The dual power law: q in saturation, p below; d3 = p/q / (vbi - vto)^(p-q).
	p, q, d3  float64
	vst, mvst float64 // subthreshold potential and its modulation by vds
	// Early saturation: xiwoo = xi (vbi - vto); za = sqrt(1 + z)/2.
	z, za, mxi, xiwoo float64
	// Drain (gamma) and source (eta) feedback at low and high frequency, their
	// modulation by the junction voltages, and the relaxation time taug between them.
	lfgam, lfg1, lfg2      float64
	hfgam, hfg1, hfg2      float64
	hfeta, hfe1, hfe2      float64
	taug                   float64
	delta, taud            float64 // thermal reduction (per unit area: delta/area) and its time constant
	acgam, alpha, xc, vmax float64 // the gate charge's modulation by vds, its reversal interval, pinch-off reduction, fc vbi
}

// psFilter carries the dispersion filters of one evaluation: the weights of the last
// accepted values (0 outside a transient), those values, and (written by the
// evaluation) the filtered values now. trap1 and trap2 filter the first and second
// junction voltage of the channel's evaluation (vgs and vgd forward, vgd and vgs when
// drain and source trade roles, as ngspice keeps them).
type psFilter struct {
	hg, hd               float64
	trap1, trap2, power  float64 // at the last accepted point
	now1, now2, nowPower float64 // at this evaluation
}

// psHistory is a level-2 JFET run's dispersion state at the last accepted point.
type psHistory struct {
	time float64
	f    psFilter
	init bool // the next Accept is the transient's initial point, recorded by its Load
}

type jfet2ModelCard struct {
	vto, beta, lambda, rd, rs, cgs, cgd, cds, pb, is, n, fc       float64
	ibd, vbd, p, q, vst, mvst, xi, mxi, z                         float64
	lfgam, lfg1, lfg2, hfgam, hfg1, hfg2, hfeta, hfe1, hfe2, taug float64
	delta, taud, acgam, xc, kf, af, tnom, level                   float64
	hfgamGiven, tnomGiven                                         bool
}

func (m *jfet2ModelCard) params() paramSet {
	common := jfetCommonParams(&m.vto, &m.beta, &m.lambda, &m.rd, &m.rs, &m.cgs, &m.cgd)
	return paramSet{what: "JFET level 2 model", params: append(common,
		p("level", 2, "", "model level: 2 (Parker-Skellern)", &m.level),
		p("cds", 0, "F", "drain-source capacitance", &m.cds),
		p("pb vbi", 1, "V", "gate junction potential", &m.pb),
		p("is", 1e-14, "A", "gate junction saturation current", &m.is),
		p("n", 1, "", "gate junction ideality factor", &m.n),
		p("fc", 0.5, "", "forward-bias capacitance coefficient (at most 0.95)", &m.fc),
		p("ibd", 0, "A", "gate junction breakdown current", &m.ibd),
		p("vbd", 1, "V", "gate junction breakdown potential", &m.vbd),
		p("p", 2, "", "power law below saturation (controlled resistance)", &m.p),
		p("q", 2, "", "power law in saturation (controlled current)", &m.q),
		p("vst", 0, "V", "subthreshold potential (0: no subthreshold current)", &m.vst),
		p("mvst", 0, "1/V", "modulation of vst by vds", &m.mvst),
		p("xi", 1000, "", "velocity saturation index", &m.xi),
		p("mxi", 0, "", "modulation of xi by the gate voltage", &m.mxi),
		p("z", 1, "", "rate of velocity saturation (knee sharpness)", &m.z),
		p("lfgam", 0, "", "low-frequency drain feedback", &m.lfgam),
		p("lfg1", 0, "1/V", "modulation of lfgam by vgs", &m.lfg1),
		p("lfg2", 0, "1/V", "modulation of lfgam by vgd", &m.lfg2),
		p("hfgam", 0, "", "high-frequency drain feedback (default lfgam)", &m.hfgam).withGiven(&m.hfgamGiven),
		p("hfg1", 0, "1/V", "modulation of hfgam by vgs", &m.hfg1),
		p("hfg2", 0, "1/V", "modulation of hfgam by vgd", &m.hfg2),
		p("hfeta", 0, "", "high-frequency source feedback", &m.hfeta),
		p("hfe1", 0, "1/V", "modulation of hfeta by vgd", &m.hfe1),
		p("hfe2", 0, "1/V", "modulation of hfeta by vgs", &m.hfe2),
		p("taug", 0, "s", "relaxation time of the gate-voltage feedback", &m.taug),
		p("delta", 0, "1/W", "thermal reduction of the drain current", &m.delta),
		p("taud", 0, "s", "thermal relaxation time", &m.taud),
		p("acgam", 0, "", "modulation of the gate capacitances by vds", &m.acgam),
		p("xc", 0, "", "reduction of cgs at pinch-off", &m.xc),
		p("kf", 0, "", "flicker noise coefficient", &m.kf),
		p("af", 1, "", "flicker noise exponent", &m.af),
		p("tnom", 27, "C", "parameter measurement temperature", &m.tnom).withGiven(&m.tnomGiven),
		accepted("ver njf pjf"),
	)}
}

// jfetUnused lists the parameters of a JFET model card (either level) that gospice
// accepts, as ngspice does, without using them.
func jfetUnused(card *parser.Model) []string {
	if lv, ok := modelLevel(card); ok && lv == 2 {
		return (&jfet2ModelCard{}).params().unusedGiven(card.Params)
	}
	return (&jfetModelCard{}).params().unusedGiven(card.Params)
}

// newJFET2 builds a J element of a level-2 model.
func newJFET2(e *parser.Element, card *parser.Model, where string, env Env) (Device, error) {
	var mod jfet2ModelCard
	if err := mod.params().apply(card.Params, where); err != nil {
		return nil, err
	}
	if !mod.hfgamGiven {
		mod.hfgam = mod.lfgam
	}
	d, in, err := newJFETInstance(e, card)
	if err != nil {
		return nil, err
	}
	if in.dtempGiven {
		// Measured: ngspice 39's jfet2 sets the temperature to dtemp in kelvin (dtemp=400
		// runs at 126.85 C), which would silently differ from what the line means.
		return nil, elementError(e, "dtemp= is not supported on a level-2 JFET: ngspice 39 takes it as the absolute temperature in kelvin, not an offset; give temp= (in C) instead")
	}
	switch {
	case !(mod.pb > 0):
		return nil, elementError(e, "pb must be positive, got %g (%s)", mod.pb, where)
	case !(mod.is > 0) || !(mod.n > 0):
		return nil, elementError(e, "is and n must be positive (%s)", where)
	case !(mod.vbd > 0):
		return nil, elementError(e, "vbd must be positive, got %g (%s)", mod.vbd, where)
	case !(mod.p > 0) || !(mod.q > 0):
		return nil, elementError(e, "p and q must be positive (%s)", where)
	case !(mod.xi > 0) || mod.mxi < 0 || mod.z < 0:
		return nil, elementError(e, "xi must be positive, mxi and z not negative (%s)", where)
	case mod.rd < 0 || mod.rs < 0 || mod.cgs < 0 || mod.cgd < 0 || mod.cds < 0:
		return nil, elementError(e, "rd, rs, cgs, cgd and cds must not be negative (%s)", where)
	case mod.fc < 0:
		return nil, elementError(e, "fc must not be negative, got %g (%s)", mod.fc, where)
	case mod.vst < 0 || mod.taug < 0 || mod.taud < 0:
		return nil, elementError(e, "vst, taug and taud must not be negative (%s)", where)
	}
	temp, tnom, err := in.kelvin(e, env, mod.tnom, mod.tnomGiven)
	if err != nil {
		return nil, err
	}
	d.jfet2Temperature(&mod, in.area, temp, tnom)
	if !(d.pb > mod.vto) {
		return nil, elementError(e, "the gate junction potential at %g C (%g V) must exceed vto (%g V) (%s)", temp-dioCtoK, d.pb, mod.vto, where)
	}
	return d, nil
}

// jfet2Temperature sets the values the loads use at temp (K) for a model measured at
// tnom (K), as ngspice 39's jfet2 does: the junction potential and capacitances as level
// 1's, the saturation current by exp((T/Tnom - 1) 1.11 / vt) (no xti, no eg), and the
// constants of the current and charge that depend on the potential.
func (d *JFET) jfet2Temperature(mod *jfet2ModelCard, area, temp, tnom float64) {
	d.gateTemperature(mod.pb, mod.cgs, mod.cgd, area, temp, tnom)
	vt := d.vt
	d.setSaturation(mod.is*math.Exp((temp/tnom-1)*1.11/vt), area)
	d.vto = mod.vto
	d.setResistances(mod.rd, mod.rs, area)
	d.kf, d.af = mod.kf, mod.af
	d.noiseTemp = temp
	woo := d.pb - mod.vto
	xiwoo := mod.xi * woo
	d.ps = &parkerSkellern{
		nvt: vt * mod.n, ibd: mod.ibd * area, vbd: mod.vbd,
		vto: mod.vto, beta: mod.beta * area, lambda: mod.lambda,
		p: mod.p, q: mod.q, d3: mod.p / mod.q / math.Pow(woo, mod.p-mod.q),
		vst: mod.vst, mvst: mod.mvst,
		z: mod.z, za: math.Sqrt(1+mod.z) / 2, mxi: mod.mxi, xiwoo: xiwoo,
		lfgam: mod.lfgam, lfg1: mod.lfg1, lfg2: mod.lfg2,
		hfgam: mod.hfgam, hfg1: mod.hfg1, hfg2: mod.hfg2,
		hfeta: mod.hfeta, hfe1: mod.hfe1, hfe2: mod.hfe2, taug: mod.taug,
		delta: mod.delta / area, taud: mod.taud,
		acgam: mod.acgam, alpha: math.Pow(xiwoo/(mod.xi+1)/2, 2), xc: mod.xc,
		vmax: math.Min(mod.fc, 0.95) * d.pb, // ngspice limits fc to 0.95 (with a warning)
	}
	d.cds = mod.cds * area
}

// Parker and Skellern's numerical bounds (ngspice's): below psFX an exponential is
// taken as 0, above psMX it goes on linearly.
const (
	psFX = -10.0
	psMX = 40.0
)

var psEMX = math.Exp(psMX)

// expLinear is exp(a) up to psMX and its tangent beyond, with its derivative; below psFX
// both are 0 (ngspice's cut, a step of exp(-10) in the current).
func expLinear(a float64) (e, de float64) {
	switch {
	case a <= psFX:
		return 0, 0
	case a < psMX:
		e = math.Exp(a)
		return e, e
	}
	return psEMX * (a - psMX + 1), psEMX
}

// junction is a gate junction's current and conductance at v: forward conduction with
// ideality n, reverse breakdown ibd (exp(-v/vbd) - 1), and gmin.
func (ps *parkerSkellern) junction(v, isat, gmin float64) (float64, float64) {
	e, de := expLinear(v / ps.nvt)
	i := isat*(e-1) + gmin*v
	g := isat*de/ps.nvt + gmin
	if ps.ibd != 0 {
		e, de = expLinear(-v / ps.vbd)
		i -= ps.ibd * (e - 1)
		g += ps.ibd * de / ps.vbd
	}
	return i, g
}

// evaluate fills pt (gate junctions and channel) at its vgs, vgd, with the dispersion
// filters f (nil: none, as outside a transient). Drain and source trade roles when
// vds < 0, as in level 1.
func (ps *parkerSkellern) evaluate(d *JFET, pt *jfetPoint, gmin float64, f *psFilter) {
	pt.igs, pt.ggs = ps.junction(pt.vgs, d.isat, gmin)
	pt.igd, pt.ggd = ps.junction(pt.vgd, d.isat, gmin)
	if pt.vgs-pt.vgd >= 0 {
		pt.id, pt.gm, pt.gds = ps.channel(pt.vgs, pt.vgd, f)
		return
	}
	i, gm, gds := ps.channel(pt.vgd, pt.vgs, f)
	pt.id, pt.gm, pt.gds = -i, -gm, gds+gm
}

// channel is the drain current for junction voltages vgs, vgd with vds = vgs - vgd >= 0,
// with its derivatives by vgs (at fixed vds) and by vds: the threshold shifted by the
// drain and source feedback, the subthreshold smoothing, the dual power law, the early
// saturation and the Q-law, then channel-length modulation and the thermal reduction.
func (ps *parkerSkellern) channel(vgs, vgd float64, f *psFilter) (id, gm, gds float64) {
	hg, hd := 0.0, 0.0
	trap1, trap2 := vgs, vgd
	if f != nil {
		hg, hd = f.hg, f.hd
		trap1 = hg*f.trap1 + (1-hg)*vgs
		trap2 = hg*f.trap2 + (1-hg)*vgd
		f.now1, f.now2 = trap1, trap2
	}
	vds := vgs - vgd
	// The threshold moves with the filtered voltages (low frequency) and with their
	// departure from the present ones (high frequency).
	dvgs, dvgd := trap1-vgs, trap2-vgd
	eta := ps.hfeta - ps.hfe1*trap2 + ps.hfe2*trap1
	gam := ps.hfgam - ps.hfg1*trap1 + ps.hfg2*trap2
	vgst := vgs - ps.vto - (ps.lfgam-ps.lfg1*trap1+ps.lfg2*trap2)*trap2 + eta*dvgs + gam*dvgd
	id, gm, gds = ps.subthreshold(vgst, vds)
	// The derivatives of vgst: by vgd at fixed vgs (minus byVgd), by vgs at fixed vgd.
	byVgd := hg*gam + (1-hg)*(ps.hfe1*dvgs-ps.hfg2*dvgd+2*ps.lfg2*trap2-ps.lfg1*trap1+ps.lfgam)
	byVgs := 1 - hg*eta + (1-hg)*(ps.hfe2*dvgs-ps.hfg1*dvgd+ps.lfg1*trap2)
	gds += gm * byVgd
	gm *= byVgs - byVgd

	clm := ps.beta * (1 + ps.lambda*vds)
	gds = ps.beta*ps.lambda*id + gds*clm
	gm *= clm
	id *= clm

	// Thermal reduction: the current falls with the (filtered) power it dissipates.
	before := 0.0
	power := vds * id
	if f != nil {
		before = f.power
		power = hd*before + (1-hd)*power
		f.nowPower = power
	}
	pfac := 1 + power*ps.delta
	id /= pfac
	scale := (hd*ps.delta*before + 1) / (pfac * pfac)
	return id, gm * scale, gds*scale - (1-hd)*ps.delta*id*id
}

// subthreshold is the current over beta at effective overdrive vgst and vds >= 0 with
// its derivatives by vgst and vds: the overdrive smoothed exponentially over vst (1 +
// mvst vds) below the threshold, then the dual power law.
func (ps *parkerSkellern) subthreshold(vgst, vds float64) (id, gm, gds float64) {
	vst := ps.vst * (1 + ps.mvst*vds)
	if !(vgst > psFX*vst) {
		return 0, 0, 0 // cut off (numerically)
	}
	var vgt, subfac float64
	if vgst > psMX*vst {
		subfac = psEMX + 1
		vgt = psEMX/subfac*(vgst-psMX*vst) + psMX*vst
	} else {
		subfac = 1 + math.Exp(vgst/vst)
		vgt = vst * math.Log(subfac)
	}
	id, gm, gds = ps.powerLaw(vgt, vds)
	dvgt := 1 - 1/subfac // d vgt / d vgst
	if vst != 0 {
		gds += gm * ps.vst * ps.mvst * (vgt - vgst*dvgt) / vst
	}
	return id, gm * dvgt, gds
}

// powerLaw is the current over beta at overdrive vgt > 0 and vds >= 0, with its
// derivatives by vgt and vds: vds mapped to vdp (the power p below saturation against q
// in it), vdp saturating smoothly at vsat into vdt, and vgt^q - (vgt - vdt)^q.
func (ps *parkerSkellern) powerLaw(vgt, vds float64) (id, gm, gds float64) {
	dvdp := ps.d3 * math.Pow(vgt, ps.p-ps.q) // d vdp / d vds
	vdp := vds * dvdp
	vsatFac := vgt / (ps.mxi*vgt + ps.xiwoo)
	vsat := vgt / (1 + vsatFac)
	aa := ps.za*vdp + vsat/2
	bb := aa - vsat
	knee := vsat * vsat * ps.z / 4
	rpt, brpt := math.Sqrt(aa*aa+knee), math.Sqrt(bb*bb+knee)
	vdt := rpt - brpt
	dvdtDvdp := ps.za * (aa/rpt - bb/brpt)
	// vdt is homogeneous of degree 1 in vdp and vsat, which gives its slope by vsat.
	dvdtDvgt := (vdt - vdp*dvdtDvdp) * (1 + ps.mxi*vsatFac*vsatFac) / (1 + vsatFac) / vgt
	below := math.Pow(vgt-vdt, ps.q-1)
	full := math.Pow(vgt, ps.q-1)
	id = vgt*full - (vgt-vdt)*below
	gdt := ps.q * below // by vdt
	gm = ps.q*(full-below) + gdt*dvdtDvgt + gdt*dvdtDvdp*(ps.p-ps.q)*vdp/vgt
	return id, gm, gdt * dvdtDvdp * dvdp
}

// gateCharge is the total gate charge (Statz's capacitance model with Parker and
// Skellern's pinch-off reduction xc and vds modulation acgam) at vgs, vgd, with its
// derivatives by each.
func (ps *parkerSkellern) gateCharge(d *JFET, vgs, vgd float64) (q, cgs, cgd float64) {
	pb := d.pb
	vds := vgs - vgd
	xc1 := 1 - ps.xc
	vert := math.Sqrt(vds*vds + ps.alpha)
	veff := 0.5*(vgs+vgd+vert) + ps.acgam*vds
	vnr := xc1 * (veff - ps.vto)
	vnrt := math.Sqrt(vnr*vnr + 0.04)
	vnew := veff + 0.5*(vnrt-vnr)
	var qrt, ext, dq float64 // dq: d (gate-source charge) / d veff
	if vnew < ps.vmax {
		qrt = math.Sqrt(1 - vnew/pb)
		dq = 0.5 * d.czgs / qrt * (1 + ps.xc + xc1*vnr/vnrt)
	} else {
		// Above fc vbi the depletion charge goes on with a linearly growing slope.
		vx := 0.5 * (vnew - ps.vmax)
		par := 1 + vx/(pb-ps.vmax)
		qrt = math.Sqrt(1 - ps.vmax/pb)
		ext = vx * (1 + par) / qrt
		dq = 0.5 * d.czgs / qrt * (1 + ps.xc + xc1*vnr/vnrt) * par
	}
	slope := vds / vert
	plus := 0.5 * (1 + slope) // d veff / d vgs without acgam
	minus := plus - slope     // d veff / d vgd without acgam
	cgs = dq*(plus+ps.acgam) + d.czgd*(minus+ps.acgam)
	cgd = dq*(minus-ps.acgam) + d.czgd*(plus-ps.acgam)
	return d.czgs*(2*pb*(1-qrt)+ext) + d.czgd*(veff-vert), cgs, cgd
}

// acAdmittance replaces pt's gm and gds by the real parts of the channel's admittance at
// omega (rad/s) and returns the imaginary parts: the drain and source feedback relax
// from their low- to their high-frequency values with taug, the thermal reduction fades
// with taud, as ngspice's jfet2 linearizes them.
func (ps *parkerSkellern) acAdmittance(pt *jfetPoint, omega float64) (xgm, xgds float64) {
	vgs, vgd := pt.vgs, pt.vgd
	vds := vgs - vgd
	hfgam := ps.hfgam - ps.hfg1*vgs + ps.hfg2*vgd
	eta := ps.hfeta - ps.hfe1*vgd + ps.hfe2*vgs
	lfga := ps.lfgam - ps.lfg1*vgs + 2*ps.lfg2*vgd
	gmo := pt.gm / (1 - lfga + ps.lfg1*vgd)

	wtg := ps.taug * omega
	gwtg := gmo / (1 + wtg*wtg)
	gdsi := (hfgam - lfga) * gwtg
	gdsr := (hfgam-lfga)*gmo - gdsi
	gmi := (eta+ps.lfg1*vgd)*gwtg + gdsi
	xgds = wtg * gdsi
	gds := pt.gds + gdsr
	xgm = -wtg * gmi
	gm := gmi + gmo*(1-eta-hfgam)

	// ngspice takes the current here as its stored drain current, which has the gate-drain
	// junction's taken off.
	ids := pt.id - pt.igd
	wtd := ps.taud * omega
	wtddet := 1 + wtd*wtd
	fac := ps.delta * ids
	del := 1 / (1 - fac*vds)
	dd := (del - 1) / wtddet
	dr := del - dd
	di := wtd * dd
	cdsqr := fac * ids * del * wtd / wtddet
	pt.gm = dr*gm - di*xgm
	pt.gds = dr*gds - di*xgds + cdsqr*wtd
	return di*gm + dr*xgm, di*gds + dr*xgds + cdsqr
}

// admittanceReadsFrequency: the channel's admittance depends on the frequency when the
// feedback relaxes (taug) or the thermal reduction does (taud, with delta).
func (ps *parkerSkellern) admittanceReadsFrequency() bool {
	return ps.taug != 0 || (ps.taud != 0 && ps.delta != 0)
}

// psFilterAt sets the run's filter for a load in ctx: in a transient, the weights of the
// last accepted values after the step from it; elsewhere none.
func (r *jfetRun) psFilterAt(ctx *Context) *psFilter {
	h := &r.psh
	f := &h.f
	f.hg, f.hd = 0, 0
	if ctx.Mode == ModeTran {
		quarter := (ctx.Time - h.time) / 4
		f.hg = psRelax(r.ps.taug, quarter)
		f.hd = psRelax(r.ps.taud, quarter)
	}
	return f
}

// psRelax is the weight Parker and Skellern's filter of time constant tau gives the last
// accepted value after a quarter step q: (tau/(tau + q))^4.
func psRelax(tau, q float64) float64 {
	if tau == 0 {
		return 0
	}
	h := tau / (tau + q)
	h *= h
	return h * h
}

// psRecord keeps the filtered values of the evaluation just made as the last accepted
// ones, at time t.
func (r *jfetRun) psRecord(t float64) {
	h := &r.psh
	h.time = t
	h.f.trap1, h.f.trap2, h.f.power = h.f.now1, h.f.now2, h.f.nowPower
}

// psAccept records a level-2 JFET's dispersion filters at an accepted time point (the
// transient's initial point was recorded by its Load). Without taug and taud there is
// nothing to keep: the filters pass the present values.
func (r *jfetRun) psAccept(ctx *Context) {
	h := &r.psh
	if h.init {
		h.init = false
		return
	}
	d := r.JFET
	if d.ps.taug == 0 && d.ps.taud == 0 {
		return
	}
	x := ctx.X
	pt := jfetPoint{vgs: d.typ * (x[d.t[jfG]] - x[d.t[jfS]]), vgd: d.typ * (x[d.t[jfG]] - x[d.t[jfD]])}
	d.ps.evaluate(d, &pt, ctx.Gmin, r.psFilterAt(ctx))
	r.psRecord(ctx.Time)
}

// AdmittanceReadsFrequency reports whether the device's small-signal admittance depends
// on the frequency: a level-2 JFET's with taug, or taud and delta.
func (r *jfetRun) AdmittanceReadsFrequency() bool {
	return r.ps != nil && r.ps.admittanceReadsFrequency()
}
