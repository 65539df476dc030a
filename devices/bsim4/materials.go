package bsim4

import (
	"fmt"
	"math"
)

// The materials of the gate stack and the substrate (mtrlmod). With mtrlmod=0 they are
// SiO2 (toxe, toxp, epsrox), silicon and polysilicon; mtrlmod=1 (BSIM4.6 on) describes a
// high-k stack by its equivalent SiO2 thickness eot, a substrate of permittivity epsrsub,
// band gap bg0sub (tbgasub, tbgbsub) and intrinsic density ni0sub, electron affinity
// easub, and a gate of work function phig and permittivity epsrgate. The equations are
// the BSIM4 4.7/4.8 manuals' (chapter "High-k/metal gate", appendix A's material
// parameters) and ngspice 39's b4temp.c/b4ld.c where the manual is silent (the EOT
// extraction of toxp, the work-function term of the mobility); docs/bsim4.md says which.

// oxideAndSubstrate sets the oxide thicknesses and capacitances, the band gap, the
// intrinsic density and the materials' constants of the model at its temperature.
func (mc *modelConsts) oxideAndSubstrate(c *card) error {
	v := c.v
	switch m := v["mtrlmod"]; m {
	case 0, 1:
	default:
		return fmt.Errorf("mtrlmod=%g is not one of 0, 1", m)
	}
	mat := &mc.mat
	// ngspice's BSIM4.5 has no material model: it ignores mtrlmod and the materials.
	mat.mtrlmod = v["mtrlmod"] == 1 && c.version >= 46
	mat.compat = mat.mtrlmod && v["mtrlcompatmod"] != 0 && c.version >= 47 // 4.6 has no mtrlcompatmod
	mat.epssub, mat.epsgate, mat.gidlT0Factor = epssi, epssi, 3
	mc.epsrox = v["epsrox"]
	toxe, toxp, dtox := v["toxe"], v["toxp"], v["dtox"]
	if !mat.mtrlmod {
		switch {
		case c.has("toxe") && !c.has("toxp"):
			toxp = toxe - dtox
		case !c.has("toxe") && c.has("toxp"):
			toxe = toxp + dtox
			if !c.has("toxm") {
				v["toxm"] = toxe
			}
		}
	} else {
		// The physical oxide is eot of SiO2; with mtrlcompatmod, toxp comes from eot
		// scaled to epsrox (or eot from toxp) as toxe and toxp do without mtrlmod.
		t0 := mc.epsrox / 3.9
		if mat.compat {
			switch {
			case c.has("eot") && !c.has("toxp"):
				toxp = t0*v["eot"] - dtox
			case !c.has("eot") && c.has("toxp"):
				v["eot"] = (toxp + dtox) / t0
				if !c.has("toxm") {
					v["toxm"] = v["eot"]
				}
			}
		}
		toxe = v["eot"]
		mc.epsrox = 3.9
		mat.epsrsub = v["epsrsub"]
		mat.epssub = eps0 * mat.epsrsub
		mat.epsgate = eps0 * v["epsrgate"]
		mat.gidlT0Factor = mat.epsrsub / mc.epsrox
	}
	if !(toxe > 0) || !(toxp > 0) || !(v["toxm"] > 0) {
		name := "toxe"
		if mat.mtrlmod {
			name = "eot"
		}
		return fmt.Errorf("%s, toxp and toxm must be positive (%s=%g toxp=%g toxm=%g)", name, name, toxe, toxp, v["toxm"])
	}
	mc.toxe, mc.toxp, mc.toxm = toxe, toxp, v["toxm"]
	mc.coxe = mc.epsrox * eps0 / toxe
	// toxp's capacitance is the card's epsrox over toxp; without mtrlcompatmod, mtrlmod 1
	// replaces both per instance (eotToxp).
	mc.coxp = v["epsrox"] * eps0 / toxp
	mc.factor1 = math.Sqrt(mat.epssub / (mc.epsrox * eps0) * toxe)
	mc.vtm0 = kboq * mc.tnom
	mc.vtm = kboq * mc.temp
	r := mc.tnom / 300.15
	if !mat.mtrlmod {
		mc.eg0 = 1.16 - 7.02e-4*mc.tnom*mc.tnom/(mc.tnom+1108)
		mc.eg = 1.16 - 7.02e-4*mc.temp*mc.temp/(mc.temp+1108)
		mc.ni = 1.45e10 * r * math.Sqrt(r) * math.Exp(21.5565981-mc.eg0/(2*mc.vtm0))
	} else {
		// ni0sub is the density at 300.15 K; it scales with T^1.5 exp(-Eg/2kT) from there.
		bandGap := func(t float64) float64 { return v["bg0sub"] - v["tbgasub"]*t*t/(t+v["tbgbsub"]) }
		mc.eg0, mc.eg = bandGap(mc.tnom), bandGap(mc.temp)
		eg300 := v["bg0sub"] - v["tbgasub"]*90090.0225/(300.15+v["tbgbsub"])
		mc.ni = v["ni0sub"] * r * math.Sqrt(r) * math.Exp((eg300-mc.eg0)/(2*mc.vtm0))
		if !mat.compat {
			// The vertical field of mobmod 0 and 1 is (Vgsteff + 2 (Vth - phims))/toxe
			// with the gate-substrate work-function difference phims = phig - (easub +
			// Eg/2) + 0.45 V (the 0.45 V taking the polysilicon's place).
			mat.mobShift = 2 * mc.typ * (v["phig"] - v["easub"] - 0.5*mc.eg0 + 0.45)
		}
	}
	return nil
}

// fermiFromMidgap is vtm0 ln(n/ni), the Fermi level's distance from midgap in a
// substrate doped n, limited to half the band gap (mtrlmod 1's flat-band voltages).
func (mc *modelConsts) fermiFromMidgap(n float64) float64 {
	return math.Min(mc.vtm0*math.Log(n/mc.ni), 0.5*mc.eg0)
}

// setToxp sets the instance's physical oxide thickness and capacitance (mtrlmod 1's from
// eot) and what the loads derive from them.
func (p *sizeParams) setToxp(mc *modelConsts, toxp float64) {
	p.toxp, p.coxp = toxp, mc.epsrox*eps0/toxp
	p.perLoadConsts(mc)
}

// eotToxp is mtrlmod 1's physical oxide thickness toxp (mtrlcompatmod 0): the SiO2
// thickness eot less the inversion charge's centroid depth, scaled from the substrate's
// permittivity to SiO2's (toxp = eot - 3.9/epsrsub Tcen), with Tcen taken at the gate
// voltage vddeot, the temperature tempeot and the size leffeot x weffeot, and Tcen
// depending on toxp itself (a few fixed-point steps). ngspice's b4temp.c; the manual
// gives the relation but not the threshold it is evaluated at.
func (p *sizeParams) eotToxp(mc *modelConsts, c *card, ndep, nsd, phin float64) float64 {
	v := c.v
	leff, weff := v["leffeot"], v["weffeot"]
	vtm := kboq * v["tempeot"]
	vbi := vtm * math.Log(nsd*ndep/(mc.ni*mc.ni))
	phi := vtm*math.Log(ndep/mc.ni) + phin + 0.4
	sqrtPhi := math.Sqrt(phi)

	// The gate voltage vddeot less the gate's depletion.
	vgsEff := mc.typ * v["vddeot"]
	if vfbPhi := p.vfb + phi; p.ngate > 1e18 && p.ngate < 1e25 && vgsEff > vfbPhi && mc.mat.epsgate != 0 {
		t1 := 1e6 * chargeNG * mc.mat.epsgate * p.ngate / (mc.coxe * mc.coxe)
		t8 := vgsEff - vfbPhi
		t4 := math.Sqrt(1 + 2*t8/t1)
		t2 := 2 * t8 / (t4 + 1)
		t3 := 0.5 * t2 * t2 / t1
		t7 := 1.12 - t3 - 0.05
		t6 := math.Sqrt(t7*t7 + 0.224)
		vgsEff -= 1.12 - 0.5*(t7+t6)
	}

	// The threshold at zero vds and vbs, of the device eot's size at tempeot.
	lt1 := mc.factor1 * math.Sqrt(p.xdep0)
	theta0 := thetaExp(p.dvt1 * leff / lt1)
	dvtSCE := p.dvt0 * theta0 * (vbi - phi)
	dvtNarrow := p.dvt0w * thetaExp(p.dvt1w*weff*leff/lt1) * (vbi - phi)
	tempRatio := v["tempeot"]/mc.tnom - 1
	t1 := p.k1ox*(math.Sqrt(1+p.lpe0/leff)-1)*sqrtPhi + (p.kt1+p.kt1l/leff)*tempRatio
	vthNarrowW := mc.toxe * phi / (weff + p.w0)
	lpeVb := math.Sqrt(1 + p.lpeb/leff)
	vth := mc.typ*p.vth0 + (p.k1ox-p.k1)*sqrtPhi*lpeVb - dvtSCE - dvtNarrow + p.k3*vthNarrowW + t1
	if p.dvtp0 > 0 {
		tmp1 := mc.mat.epssub / p.xdep0
		tmp3 := (p.nfactor*tmp1 + p.cdsc*theta0 + p.cit) / mc.coxe
		n := 1 + tmp3
		if tmp3 < -0.5 {
			n = (1 + 3*tmp3) / (3 + 8*tmp3)
		}
		vth -= n * vtm * math.Log(leff/(leff+2*p.dvtp0))
	}
	vgsteff := vgsEff - vth
	vtfbphi2 := math.Max(4*(mc.typ*p.vth0-p.vfb-phi), 0)

	toxp := mc.toxe
	for i := 0; i < 5; i++ {
		prev := toxp
		t0 := (vgsteff + vtfbphi2) / (2e8 * toxp)
		tcen := c.v["ados"] * 1.9e-9 / (1 + math.Exp(c.v["bdos"]*0.7*math.Log(t0)))
		toxp = mc.toxe - mc.epsrox/mc.mat.epsrsub*tcen
		if math.Abs(toxp-prev) <= 1e-12 {
			break
		}
	}
	return toxp
}
