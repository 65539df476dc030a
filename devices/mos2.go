package devices

import "math"

// This file holds ngspice's level-2 MOSFET (MOS2, SPICE2's Grove-Frohman model): its
// parameters beyond level 1's and its channel current. Everything else (the bulk
// junctions, series resistances, Meyer's gate charges with level 2's von and vdsat,
// limiting, the stamps) is the level-1 MOSFET's, which calls channel2 instead of its
// square law. The current is written once as a function of the terminal voltages; its
// conductances are central differences of it (level 2's own derivatives need second
// derivatives of the threshold, which ngspice writes out and partly approximates).

// mos2Card are the model parameters level 2 adds to level 1's.
type mos2Card struct {
	delta, uexp, ucrit, vmax, xj, neff, nfs float64
}

func (m *mos2Card) params() []param {
	return []param{
		p("delta", 0, "", "width effect on the threshold", &m.delta),
		p("uexp", 0, "", "exponent of the mobility's degradation by the gate field", &m.uexp),
		p("ucrit", 1e4, "V/cm", "critical field of the mobility's degradation", &m.ucrit),
		p("vmax", 0, "m/s", "maximum drift velocity of carriers (0: no velocity saturation)", &m.vmax),
		p("xj", 0, "m", "metallurgical junction depth (short-channel threshold)", &m.xj),
		p("neff", 1, "", "total channel charge coefficient (with vmax)", &m.neff),
		p("nfs", 0, "1/cm^2", "fast surface state density (weak inversion)", &m.nfs),
		// utra is in ngspice's table and unused by its equations.
		accepted("utra"),
	}
}

// mos2Params are level 2's constants of one device, at its temperature.
type mos2Params struct {
	leff                float64 // effective length
	factor, eta         float64 // narrow-width factor and 1 + factor
	xd                  float64 // depletion width coefficient (0 without nsub)
	hasNsub             bool
	xj, lambda          float64
	cfsTerm             float64 // q nfs m W L / cox (0: no weak inversion)
	ucritField, uexp    float64 // ucrit's field in V/m times eps_si/cox, and uexp
	u0                  float64 // surface mobility, m^2/Vs (the card's: ngspice does not scale it)
	vmax, neff          float64
	beta                float64 // kp m W/L at temperature
	sqrtPhi, sqrtBulkPb float64
}

// derive2 sets level 2's constants once derive has set level 1's, for a device of
// effective length leff and width w, m in parallel, with oxide capacitance per area
// coxFactor.
func (d *MOSFET) derive2(mod *mosModelCard, coxFactor, leff, w, m, tBulkPot float64) {
	c := &mod.lv2
	p := &mos2Params{leff: leff, xj: c.xj, lambda: mod.lambda, uexp: c.uexp, vmax: c.vmax, neff: c.neff}
	// ngspice divides by the oxide capacitance of the whole device (m included) here.
	p.factor = 0.125 * c.delta * 2 * math.Pi * mosEpsSi / (coxFactor * leff * m * w) * leff
	p.eta = 1 + p.factor
	if mod.nsubGiven {
		p.hasNsub = true
		p.xd = math.Sqrt(2 * mosEpsSi / (mosCharge * mod.nsub * 1e6))
	}
	if c.nfs != 0 {
		p.cfsTerm = mosCharge * c.nfs * 1e4 / coxFactor
	}
	p.ucritField = c.ucrit * 100 * mosEpsSi / coxFactor
	p.u0 = mod.u0 * 1e-4
	p.beta = d.beta
	p.sqrtPhi = math.Sqrt(d.phi)
	p.sqrtBulkPb = math.Sqrt(tBulkPot)
	d.lv2 = p
}

// channel2 is level 2's channel current at pt with its derivatives: the current in the
// local frame (the source the lower of drain and source) and its central differences.
func (d *MOSFET) channel2(pt *mosPoint) {
	vgs, vds, vbs := pt.vgs, pt.vds, pt.vbs
	pt.mode = 1
	if vds < 0 {
		pt.mode = -1
	}
	c := d.current2(vgs, vds, vbs)
	pt.id = c.id
	pt.von, pt.vdsat, pt.vdsLoc = c.von, c.vdsat, vds*pt.mode
	lvgs := vgs
	if pt.mode < 0 {
		lvgs = vgs - vds
	}
	pt.vgst = lvgs - c.von
	const h = 1e-6
	v := [3]float64{vgs, vds, vbs}
	for k := range v {
		up, down := v, v
		up[k] += h
		down[k] -= h
		cu, cdn := d.current2(up[0], up[1], up[2]), d.current2(down[0], down[1], down[2])
		pt.did[k] = (cu.id - cdn.id) / (2 * h)
		if k == 2 {
			pt.dvon = (cu.von - cdn.von) / (2 * h)
		}
	}
}

// mos2Eval is level 2's current, drain to source, at one point, with the threshold and
// saturation voltage in the local frame.
type mos2Eval struct{ id, von, vdsat float64 }

// current2 is level 2's drain current at vgs, vds, vbs (n-channel frame), from the
// local-frame current of local2.
func (d *MOSFET) current2(vgs, vds, vbs float64) mos2Eval {
	if vds >= 0 {
		return d.local2(vgs, vds, vbs)
	}
	e := d.local2(vgs-vds, -vds, vbs-vds)
	e.id = -e.id
	return e
}

// mos2Sqrt is the square root of phi - v for v <= 0, continued above 0 as SPICE2 does
// (sqrt(phi)/(1 + v/(2 phi))), and its slope by v.
func (p *mos2Params) sqrtPhiMinus(v, phi float64) (float64, float64) {
	if v <= 0 {
		s := math.Sqrt(phi - v)
		return s, -0.5 / s
	}
	s := p.sqrtPhi / (1 + 0.5*v/phi)
	return s, -0.5 * s * s / (phi * p.sqrtPhi)
}

// local2 is level 2's current with the source the lower terminal (vds >= 0): the
// threshold with the short-channel (xj), narrow-width (delta) and weak-inversion (nfs)
// terms, the mobility degraded by the gate field (ucrit, uexp), the saturation voltage
// of the Grove-Frohman equation or with velocity saturation (vmax, neff), channel-length
// modulation (lambda, or from the depletion width with nsub), and the weak-inversion
// current below von.
func (d *MOSFET) local2(vgs, vds, vbs float64) mos2Eval {
	p, phi := d.lv2, d.phi
	phiMinVbs := phi - vbs
	sarg, dsarg := p.sqrtPhiMinus(vbs, phi)
	barg, dbarg := p.sqrtPhiMinus(vbs-vds, phi)
	vbin := d.typ*d.vbi + p.factor*phiMinVbs

	// The short-channel reduction of gamma (and its slope by vbs for the weak
	// inversion's factor).
	gamasd, dgamasd := d.gamma, 0.0
	if d.gamma > 0 || p.hasNsub {
		if p.xj > 0 {
			args := math.Sqrt(1 + 2*p.xd*sarg/p.xj)
			argd := math.Sqrt(1 + 2*p.xd*barg/p.xj)
			k := 0.5 * p.xj / p.leff
			gamasd = d.gamma * (1 - k*(args-1) - k*(argd-1))
			dgamasd = -d.gamma * 0.5 / p.leff * (p.xd*dsarg/args + p.xd*dbarg/argd)
		}
	}
	von := vbin + gamasd*sarg
	var argg, xn float64
	weak := p.cfsTerm != 0
	if weak {
		cdonco := -(gamasd*dsarg + dgamasd*sarg) + p.factor
		xn = 1 + p.cfsTerm + cdonco
		von += d.vt * xn
		argg = 1 / (d.vt * xn)
	} else if vgs <= vbin {
		return mos2Eval{von: von}
	}
	vgst := vgs - von

	// Mobility degraded by the gate field.
	ufact := 1.0
	if vgst > p.ucritField {
		ufact = math.Exp(p.uexp * math.Log(p.ucritField/vgst))
	}
	ueff := p.u0 * ufact

	vgsx := vgs
	if weak {
		vgsx = math.Max(vgs, von)
	}
	vdsat := p.saturation(vgsx, vbin, gamasd, phiMinVbs, sarg, ueff)

	// Channel-length modulation.
	xlamda := p.lambda
	var bsarg float64
	if vds != 0 {
		bsarg, _ = p.sqrtPhiMinus(vbs-vdsat, phi)
		if p.hasNsub && xlamda <= 0 {
			if p.vmax <= 0 {
				argv := (vds - vdsat) / 4
				xlamda = p.xd / (p.leff * vds) * math.Sqrt(argv+math.Sqrt(1+argv*argv))
			} else {
				xdv := p.xd / math.Sqrt(p.neff)
				xlv := p.vmax * xdv / (2 * ueff)
				xls := math.Sqrt(xlv*xlv + math.Max(vds-vdsat, 0))
				xlamda = xdv / (p.leff * vds) * (xls - xlv)
			}
		}
	}
	// Punch-through limits the shortening.
	xwb := p.xd * p.sqrtBulkPb
	xld := p.leff - xwb
	clfact := 1 - xlamda*vds
	xleff := p.leff * clfact
	deltal := xlamda * vds * p.leff
	if !p.hasNsub {
		xwb = 0.25e-6
	}
	if xleff < xwb {
		xleff = xwb / (1 + (deltal-xld)/xwb)
		clfact = xleff / p.leff
	}
	beta1 := p.beta * ufact / clfact
	sarg3 := sarg * sarg * sarg
	body := barg*barg*barg - sarg3
	bodys := bsarg*bsarg*bsarg - sarg3
	e := mos2Eval{von: von, vdsat: vdsat}
	if vds <= 1e-10 {
		return e
	}
	switch {
	case vgs > von || (!weak && vgs > vbin):
		if vds <= vdsat {
			e.id = beta1 * ((vgs-vbin-p.eta*vds/2)*vds - gamasd*body/1.5)
		} else {
			e.id = beta1 * ((vgs-vbin-p.eta*vdsat/2)*vdsat - gamasd*bodys/1.5)
		}
	case weak && vdsat > 0:
		vdson := math.Min(vdsat, vds)
		if vds > vdsat {
			body = bodys
		}
		cdson := beta1 * ((von-vbin-p.eta*vdson*0.5)*vdson - gamasd*body/1.5)
		e.id = cdson * math.Exp(argg*(vgs-von))
	}
	return e
}

// saturation is level 2's saturation voltage: the Grove-Frohman equation, or with vmax
// the smallest positive root of Baum's quartic for velocity saturation (when it has
// one), found as ngspice finds it (Ferrari's method, roots checked to 1e-6).
func (p *mos2Params) saturation(vgsx, vbin, gamasd, phiMinVbs, sarg, ueff float64) float64 {
	gammad := gamasd / p.eta
	vdsat := 0.0
	if gammad > 0 {
		gammd2 := gammad * gammad
		if argv := (vgsx-vbin)/p.eta + phiMinVbs; argv > 0 {
			arg1 := math.Sqrt(1 + 4*argv/gammd2)
			vdsat = math.Max((vgsx-vbin)/p.eta+gammd2*(1-arg1)/2, 0)
		}
	} else {
		vdsat = math.Max((vgsx-vbin)/p.eta, 0)
	}
	if p.vmax <= 0 {
		return vdsat
	}
	v1 := (vgsx-vbin)/p.eta + phiMinVbs
	v2 := phiMinVbs
	xv := p.vmax * p.leff / ueff
	a1 := gammad / 0.75
	b1 := -2 * (v1 + xv)
	c1 := -2 * gammad * xv
	d1 := 2*v1*(v2+xv) - v2*v2 - 4.0/3.0*gammad*sarg*sarg*sarg
	// The resolvent cubic's real root y3.
	a := -b1
	b := a1*c1 - 4*d1
	c := -d1*(a1*a1-4*b1) - c1*c1
	r := -a*a/3 + b
	s := 2*a*a*a/27 - a*b/3 + c
	disc := s*s/4 + r*r*r/27
	sq := math.Sqrt(math.Abs(disc))
	var y3 float64
	if disc < 0 {
		ro := math.Exp(math.Log(math.Sqrt(s*s/4+math.Abs(disc))) / 3)
		fi := math.Atan(-2 * sq / s)
		y3 = 2*ro*math.Cos(fi/3) - a/3
	} else {
		p3 := math.Exp(math.Log(math.Abs(-s/2+sq)) / 3)
		p4 := math.Exp(math.Log(math.Abs(-s/2-sq)) / 3)
		y3 = p3 + p4 - a/3
	}
	a3 := math.Sqrt(a1*a1/4 - b1 + y3)
	b3 := math.Sqrt(y3*y3/4 - d1)
	found, best := false, 0.0
	for i := range 4 {
		a4 := a1/2 + [4]float64{1, -1, 1, -1}[i]*a3
		b4 := y3/2 + [4]float64{1, 1, -1, -1}[i]*b3
		delta4 := a4*a4/4 - b4
		if delta4 < 0 {
			continue
		}
		t := math.Sqrt(delta4)
		for _, x := range [2]float64{-a4/2 + t, -a4/2 - t} {
			if x <= 0 {
				continue
			}
			if poly := x*x*x*x + a1*x*x*x + b1*x*x + c1*x + d1; math.Abs(poly) > 1e-6 {
				continue
			}
			if !found || x < best {
				found, best = true, x
			}
		}
	}
	if found {
		vdsat = best*best - phiMinVbs
	}
	return vdsat
}
