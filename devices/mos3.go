package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// This file holds ngspice's level-3 MOSFET (MOS3, the semi-empirical short-channel
// model): its parameters beyond level 1's and its channel current. Everything else (the
// bulk junctions, series resistances, Meyer's gate charges, limiting, the stamps) is the
// level-1 MOSFET's, which calls channel3 instead of its square law.

// mos3Card are the model parameters level 3 adds to level 1's.
type mos3Card struct {
	theta, eta, kappa, vmax, nfs, xj, delta, wd, xl, xw, delvt0 float64
}

func (m *mos3Card) params() []param {
	return []param{
		p("theta", 0, "1/V", "mobility modulation by the gate field", &m.theta),
		p("eta", 0, "", "static feedback on the threshold (drain-induced barrier lowering)", &m.eta),
		p("kappa", 0.2, "", "saturation field factor (channel-length modulation, with nsub)", &m.kappa),
		p("vmax", 0, "m/s", "maximum drift velocity of carriers (0: no velocity saturation)", &m.vmax),
		p("nfs", 0, "1/cm^2", "fast surface state density (weak inversion)", &m.nfs),
		p("xj", 0, "m", "metallurgical junction depth (short-channel threshold)", &m.xj),
		p("delta", 0, "", "width effect on the threshold", &m.delta),
		p("wd", 0, "m", "lateral diffusion of the width", &m.wd),
		p("xl", 0, "m", "length bias from masking and etching", &m.xl),
		p("xw", 0, "m", "width bias from masking and etching", &m.xw),
		p("delvto delvt0", 0, "V", "threshold shift", &m.delvt0),
		// ngspice's level 3 has no lambda: it warns and ignores it.
		accepted("lambda input_delta"),
	}
}

// mos3Params are level 3's constants of one device, at its temperature.
type mos3Params struct {
	leff, invL     float64 // effective length and its inverse
	eta            float64 // eta scaled by 8.15e-22 / (cox leff^3)
	theta, kappa   float64
	vmax           float64
	xj, xd, ld     float64 // junction depth, depletion width coefficient, lateral diffusion
	alpha          float64 // 2 eps_si / (q nsub): channel-length modulation (0 without nsub)
	narrow         float64 // narrow-width factor over the effective width
	csonco         float64 // q nfs L W m / cox (0: no weak inversion)
	surfMob        float64 // surface mobility at temperature, m^2/Vs
	beta           float64 // kp m W/L at temperature
	sqrtPhi, phi32 float64
}

// dual is a value with its partial derivatives by the local vgs, vds and vbs: level
// 3's current is written once, and its conductances follow exactly.
type dual struct{ v, g, d, b float64 }

func cst(v float64) dual            { return dual{v: v} }
func (a dual) add(b dual) dual      { return dual{a.v + b.v, a.g + b.g, a.d + b.d, a.b + b.b} }
func (a dual) sub(b dual) dual      { return dual{a.v - b.v, a.g - b.g, a.d - b.d, a.b - b.b} }
func (a dual) addc(c float64) dual  { a.v += c; return a }
func (a dual) scale(c float64) dual { return dual{a.v * c, a.g * c, a.d * c, a.b * c} }
func (a dual) mul(b dual) dual {
	return dual{a.v * b.v, a.g*b.v + a.v*b.g, a.d*b.v + a.v*b.d, a.b*b.v + a.v*b.b}
}
func (a dual) chain(f, df float64) dual { return dual{f, df * a.g, df * a.d, df * a.b} }
func (a dual) inv() dual                { return a.chain(1/a.v, -1/(a.v*a.v)) }
func (a dual) div(b dual) dual          { return a.mul(b.inv()) }
func (a dual) sqrt() dual {
	s := math.Sqrt(a.v)
	return a.chain(s, 0.5/s)
}
func (a dual) exp() dual {
	e := math.Exp(a.v)
	return a.chain(e, e)
}
func (a dual) log() dual { return a.chain(math.Log(a.v), 1/a.v) }

// pow is a to the constant power k.
func (a dual) pow(k float64) dual {
	y := math.Pow(a.v, k)
	return a.chain(y, k*y/a.v)
}

// channel3 is level 3's channel current at pt (ngspice's moseq3, from the SPICE3 and
// ngspice manuals' equations): threshold with short-channel, narrow-width and static
// feedback terms, mobility reduced by the gate field, velocity saturation, channel-length
// modulation from the saturation field, and weak inversion with nfs. Its derivatives
// are exact, where ngspice approximates a few of its own (see docs).
func (d *MOSFET) channel3(pt *mosPoint) {
	p := d.lv3
	vgs, vds, vbs := pt.vgs, pt.vds, pt.vbs
	pt.mode = 1
	vgL, vbL := vgs, vbs
	if vds < 0 {
		pt.mode = -1
		vgL, vbL = vgs-vds, vbs-vds
	}
	y := vds * pt.mode
	pt.vdsLoc = y
	vg := dual{v: vgL, g: 1}
	vd := dual{v: y, d: 1}
	vb := dual{v: vbL, b: 1}

	// The square root of phi - vbs, continued above vbs = 0.
	var sq, phibs dual
	if vbL <= 0 {
		phibs = vb.scale(-1).addc(d.phi)
		sq = phibs.sqrt()
	} else {
		sq = cst(p.sqrtPhi).div(vb.scale(1 / (2 * d.phi)).addc(1))
		phibs = sq.mul(sq)
	}
	// Short-channel factor on gamma.
	fshort := cst(1)
	if p.xj != 0 && p.xd != 0 {
		wp := sq.scale(p.xd / p.xj)
		wc := wp.scale(0.8013292).add(wp.mul(wp).scale(-0.01110777)).addc(0.0631353)
		arga := wc.addc(p.ld / p.xj)
		argc := wp.div(wp.addc(1))
		argb := cst(1).sub(argc.mul(argc)).sqrt()
		fshort = cst(1).sub(arga.mul(argb).addc(-p.ld / p.xj).scale(p.xj * p.invL))
	}
	gammas := fshort.scale(d.gamma)
	fbodys := gammas.div(sq).scale(0.25)
	fbody := fbodys.addc(p.narrow)
	qbonco := gammas.mul(sq).add(phibs.scale(p.narrow))
	vth := vd.scale(-p.eta).addc(d.typ * d.vbi).add(qbonco)

	von := vth
	var xn dual
	if p.csonco != 0 {
		xn = qbonco.div(phibs.scale(2)).addc(1 + p.csonco)
		von = vth.add(xn.scale(d.vt))
	}
	pt.von, pt.dvon = von.v, von.b
	pt.vgst = vgL - von.v
	pt.vdsat = 0
	if p.csonco == 0 && vgL <= von.v { // cut off
		pt.id, pt.did = 0, [3]float64{}
		return
	}
	vgsx := vg
	if vgL < von.v {
		vgsx = von
	}
	onfg := vgsx.sub(vth).scale(p.theta).addc(1)
	fgate := onfg.inv()
	vdsat := vgsx.sub(vth).div(fbody.addc(1))
	var vdsc dual
	if p.vmax > 0 {
		vdsc = fgate.inv().scale(p.leff * p.vmax / p.surfMob)
		a := vdsat
		vdsat = a.add(vdsc).sub(a.mul(a).add(vdsc.mul(vdsc)).sqrt())
	}
	pt.vdsat = vdsat.v
	sat := y > vdsat.v
	vdsx := vd
	if sat {
		vdsx = vdsat
	}
	cdo := vgsx.sub(vth).sub(fbody.addc(1).mul(vdsx).scale(0.5))
	cd := cdo.mul(vdsx).mul(fgate).scale(p.beta)
	var fdrain dual
	if p.vmax > 0 {
		fdrain = vdsx.div(vdsc).addc(1).inv()
		cd = cd.mul(fdrain)
	}
	// Channel-length modulation needs nsub (alpha); below saturation it is only there
	// without vmax.
	if p.alpha != 0 && (sat || p.vmax <= 0) {
		delxl := d.lengthReduction3(sat, vd, vdsat, cd, fdrain, vdsc)
		cd = cd.div(cst(1).sub(delxl.scale(p.invL)))
	}
	if vgL < von.v { // weak inversion
		cd = cd.mul(vg.sub(von).div(xn.scale(d.vt)).exp())
	}
	if pt.mode > 0 {
		pt.id, pt.did = cd.v, [3]float64{cd.g, cd.d, cd.b}
	} else {
		pt.id, pt.did = -cd.v, [3]float64{-cd.g, cd.g + cd.d + cd.b, -cd.b}
	}
}

// lengthReduction3 is the channel shortening delta L of level 3's channel-length
// modulation: below saturation (without vmax) a fourth-power onset, above it from the
// drain field (with vmax, from the saturation field emax), limited to L by the
// punch-through approximation.
func (d *MOSFET) lengthReduction3(sat bool, vd, vdsat, cd, fdrain, vdsc dual) dual {
	p := d.lv3
	ka := p.kappa * p.alpha
	var delxl dual
	switch {
	case !sat:
		r := vd.div(vdsat)
		r2 := r.mul(r)
		delxl = vdsat.scale(ka / 8).sqrt().mul(r2.mul(r2))
	case p.vmax <= 0:
		delxl = vd.sub(vdsat.scale(7.0 / 8)).scale(ka).sqrt()
	default:
		gdsat := cd.mul(cst(1).sub(fdrain)).div(vdsc)
		if gdsat.v < 1e-12 {
			gdsat = cst(1e-12)
		}
		emax := cd.div(gdsat).scale(p.kappa * p.invL)
		arga := emax.scale(0.5 * p.alpha)
		argb := arga.mul(arga).add(vd.sub(vdsat).scale(ka)).sqrt()
		delxl = argb.sub(arga)
	}
	if delxl.v > 0.5*p.leff {
		delxl = cst(p.leff).sub(delxl.inv().scale(p.leff * p.leff / 4))
	}
	return delxl
}

// mosEpsSi is the permittivity of silicon as ngspice's MOSFETs take it.
const mosEpsSi = 11.7 * mosEps0

// paramsFor is the parameter table of a MOSFET card of level 1, 2, 3 or 6.
func (m *mosModelCard) paramsFor(card *parser.Model) paramSet {
	lv, ok := modelLevel(card)
	if ok && lv == 6 {
		return m.params6()
	}
	s := m.params()
	if ok && lv == 3 {
		s.params = append(s.params, m.lv3.params()...)
	} else if ok && lv == 2 {
		s.params = append(s.params, m.lv2.params()...)
	}
	return s
}

// defaults3 sets the level-3 defaults that differ from level 1's.
func (m *mosModelCard) defaults3() {
	if !m.toxGiven {
		m.tox, m.toxGiven = 1e-7, true // level 3 always has an oxide
	}
	if !m.mjswGiven {
		m.mjsw = 0.33
	}
}

// mosIntrinsic is the intrinsic carrier density (per m^3) that nsub gives phi against:
// level 1 takes silicon's at 300 K, level 3 scales it to tnom (K) as ngspice's mos3temp.c.
func mosIntrinsic(mod *mosModelCard, tnom float64) float64 {
	if mod.level != 3 {
		return 1.45e16
	}
	egfet1 := 1.16 - (7.02e-4*tnom*tnom)/(tnom+1108)
	f := (tnom / 300) * math.Sqrt(tnom/300)
	f *= math.Exp(0.5 * egfet1 * (1.0/300 - 1/tnom) / mosKoverQ)
	return 1.45e16 * f
}

// derive3 sets level 3's constants once derive has set level 1's, for a device of
// effective length leff and width weff, m in parallel, at temp/tnom = ratio.
func (d *MOSFET) derive3(mod *mosModelCard, coxFactor, leff, weff, m, ratio float64) {
	c := &mod.lv3
	p := &mos3Params{leff: leff, invL: 1 / leff, theta: c.theta, kappa: c.kappa, vmax: c.vmax, xj: c.xj, ld: mod.ld}
	p.eta = c.eta * 8.15e-22 / (coxFactor * leff * leff * leff)
	if mod.nsubGiven {
		p.alpha = 2 * mosEpsSi / (mosCharge * mod.nsub * 1e6)
		p.xd = math.Sqrt(p.alpha)
	}
	p.narrow = c.delta * 0.5 * math.Pi * mosEpsSi / coxFactor / weff
	if c.nfs != 0 {
		p.csonco = mosCharge * c.nfs * 1e4 * leff * weff * m / d.oxideCap
	}
	p.surfMob = mod.u0 * 1e-4 / (ratio * math.Sqrt(ratio))
	p.beta = d.beta
	p.sqrtPhi = math.Sqrt(d.phi)
	d.lv3 = p
}

// Level 3 has no lambda: ngspice warns and ignores it, and gospice check lists it.
func init() {
	mosUnused[3] = func(m *parser.Model) []string {
		for _, pr := range m.Params {
			if pr.Name == "lambda" {
				return []string{"lambda"}
			}
		}
		return nil
	}
}
