package devices

import (
	"math"

	"github.com/gospice/gospice/parser"
)

// This file holds ngspice's level-6 MOSFET (MOS6, Sakurai and Newton's n-th power law
// model): its parameters and its channel current. Everything else (the bulk junctions,
// series resistances, Meyer's gate charges with level 6's von and vdsat, limiting, the
// stamps, noise) is the level-1 MOSFET's, which calls channel6 instead of its square law.

// mos6Card are level 6's own model parameters.
type mos6Card struct {
	kv, nv, kc, nc, gamma1, sigma, lambda0, lambda1 float64
	kcGiven, lambda0Given                           bool
}

func (m *mos6Card) params() []param {
	return []param{
		p("kv", 2, "V", "saturation voltage factor", &m.kv),
		p("nv", 0.5, "", "saturation voltage exponent", &m.nv),
		p("kc", 5e-5, "A/V^nc", "saturation current factor (default 0.5 u0 cox with tox)", &m.kc).withGiven(&m.kcGiven),
		p("nc", 1, "", "saturation current exponent", &m.nc),
		p("gamma1", 0, "", "bulk threshold parameter linear in vbs", &m.gamma1),
		p("sigma", 0, "", "static feedback of vds on the threshold", &m.sigma),
		p("lambda0", 0, "1/V", "channel-length modulation (default lambda)", &m.lambda0).withGiven(&m.lambda0Given),
		p("lambda1", 0, "1/V^2", "channel-length modulation's slope by vbs", &m.lambda1),
		// nvth and ps are in ngspice's table and unused by its equations; xj is not in
		// it (ngspice warns and ignores it), but level 2 and 3 cards carry it over.
		accepted("nvth ps xj"),
	}
}

// mos6Params are level 6's constants of one device.
type mos6Params struct {
	kv, nv, nc, gamma1, sigma, lambda0, lambda1 float64
}

// mos6NotInTable are level 1's parameters that ngspice's level 6 does not have.
var mos6NotInTable = map[string]bool{"kp": true, "kf": true, "af": true}

// params6 is the parameter table of a level-6 card: level 1's but kp (kc replaces it)
// and the flicker noise's kf and af, with level 6's.
func (m *mosModelCard) params6() paramSet {
	s := m.params()
	kept := s.params[:0]
	for _, pr := range s.params {
		if !mos6NotInTable[pr.names[0]] {
			kept = append(kept, pr)
		}
	}
	s.params = append(kept, m.lv6.params()...)
	return s
}

// saturationFactor6 is kc at tnom: as given, else from the mobility and the oxide
// capacitance per area (0: no tox), else 5e-5.
func (m *mosModelCard) saturationFactor6(coxFactor float64) float64 {
	if m.lv6.kcGiven || coxFactor == 0 {
		return m.lv6.kc
	}
	return 0.5 * m.u0 * coxFactor * 1e-4
}

// derive6 sets level 6's constants once derive has set level 1's (beta from kc).
func (d *MOSFET) derive6(mod *mosModelCard) {
	c := &mod.lv6
	p := &mos6Params{kv: c.kv, nv: c.nv, nc: c.nc, gamma1: c.gamma1, sigma: c.sigma, lambda0: c.lambda0, lambda1: c.lambda1}
	if !c.lambda0Given {
		p.lambda0 = mod.lambda
	}
	d.lv6 = p
}

// channel6 is level 6's channel current at pt, from Sakurai and Newton's equations as
// ngspice has them: the threshold von = vbi + gamma sqrt(phi - vbs) - gamma1 vbs -
// sigma vds (the root continued above vbs = 0 as level 1's), and with vgon = vgs - von
// the saturation voltage kv vgon^nv and current kc W/L vgon^nc (1 + lambda vds), lambda
// = lambda0 - lambda1 vbs; below saturation the current is that times (2 - r) r, r =
// vds/vdsat. Its derivatives are exact, as ngspice's are.
func (d *MOSFET) channel6(pt *mosPoint) {
	p := d.lv6
	pt.mode = 1
	vgL, vbL := pt.vgs, pt.vbs
	if pt.vds < 0 {
		pt.mode = -1
		vgL, vbL = pt.vgs-pt.vds, pt.vbs-pt.vds
	}
	y := pt.vds * pt.mode
	pt.vdsLoc = y
	vg := dual{v: vgL, g: 1}
	vd := dual{v: y, d: 1}
	vb := dual{v: vbL, b: 1}

	var sq dual
	if vbL <= 0 {
		sq = vb.scale(-1).addc(d.phi).sqrt()
	} else if sq = vb.scale(-0.5 / d.sqrtPhi).addc(d.sqrtPhi); sq.v < 0 {
		sq = cst(0)
	}
	von := sq.scale(d.gamma).addc(d.typ * d.vbi).sub(vb.scale(p.gamma1)).sub(vd.scale(p.sigma))
	pt.von, pt.dvon = von.v, von.b
	vgon := vg.sub(von)
	pt.vgst = vgon.v
	pt.vdsat = 0
	if vgon.v <= 0 { // cut off
		pt.id, pt.did = 0, [3]float64{}
		return
	}
	lg := vgon.log()
	vdsat := lg.scale(p.nv).exp().scale(p.kv)
	pt.vdsat = vdsat.v
	lambda := vb.scale(-p.lambda1).addc(p.lambda0)
	cd := lg.scale(p.nc).exp().scale(d.beta).mul(lambda.mul(vd).addc(1))
	if y < vdsat.v { // linear
		r := vd.div(vdsat)
		cd = cd.mul(r.scale(-1).addc(2).mul(r))
	}
	if pt.mode > 0 {
		pt.id, pt.did = cd.v, [3]float64{cd.g, cd.d, cd.b}
	} else {
		pt.id, pt.did = -cd.v, [3]float64{-cd.g, cd.g + cd.d + cd.b, -cd.b}
	}
}

// Level 6 accepts nvth, ps and xj without using them; gospice check lists them.
func init() {
	mosUnused[6] = func(m *parser.Model) []string {
		var mod mosModelCard
		return mod.params6().unusedGiven(m.Params)
	}
}

// mosSaturationVoltage is the vdsat a MOSFET reports: its level's saturation voltage,
// level 1's being the overdrive.
func (d *MOSFET) mosSaturationVoltage(pt *mosPoint) float64 {
	if d.lv2 != nil || d.lv3 != nil || d.lv6 != nil {
		return pt.vdsat
	}
	return math.Max(pt.vgst, 0)
}
