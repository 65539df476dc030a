package bsim4

import (
	"fmt"
	"math"
)

// fingers returns the numbers of end and interior source and drain diffusions of nf
// fingers (BSIM4's NumFingerDiff); min=1 minimizes the drain diffusions.
func fingers(nf float64, minSD int) (nuIntD, nuEndD, nuIntS, nuEndS float64) {
	if int(nf)%2 != 0 {
		nuEndD, nuEndS = 1, 1
		nuIntD = 2 * math.Max((nf-1)/2, 0)
		nuIntS = nuIntD
		return
	}
	if minSD == 1 {
		nuEndD = 2
		nuIntD = 2 * math.Max(nf/2-1, 0)
		nuEndS = 0
		nuIntS = nf
		return
	}
	nuEndD = 0
	nuIntD = nf
	nuEndS = 2
	nuIntS = 2 * math.Max(nf/2-1, 0)
	return
}

// diffusionGeometry returns the source and drain perimeters and areas that geomod
// implies when ps, pd, as, ad are not given (BSIM4's PAeffGeo).
func diffusionGeometry(nf float64, geo, minSD int, weffcj, dmcg, dmci, dmdg float64) (ps, pd, as, ad float64) {
	var nuIntD, nuEndD, nuIntS, nuEndS float64
	if geo < 9 {
		nuIntD, nuEndD, nuIntS, nuEndS = fingers(nf, minSD)
	}
	t0 := dmcg + dmci
	t1 := dmcg + dmcg
	t2 := dmdg + dmdg
	pIso, pSha, pMer := t0+t0+weffcj, t1, t2
	aIso, aSha, aMer := t0*weffcj, dmcg*weffcj, dmdg*weffcj
	type side struct{ end, endA float64 } // end diffusion kind: perimeter and area
	iso, sha, mer := side{pIso, aIso}, side{pSha, aSha}, side{pMer, aMer}
	var s, dd side
	switch geo {
	case 0:
		s, dd = iso, iso
	case 1:
		s, dd = iso, sha
	case 2:
		s, dd = sha, iso
	case 3:
		s, dd = sha, sha
	case 4:
		s, dd = iso, mer
	case 5:
		s, dd = sha, mer
	case 6:
		s, dd = mer, iso
	case 7:
		s, dd = mer, sha
	case 8:
		s, dd = mer, mer
	case 9:
		return pIso + (nf-1)*pSha, nf * pSha, aIso + (nf-1)*aSha, nf * aSha
	case 10:
		return nf * pSha, pIso + (nf-1)*pSha, nf * aSha, aIso + (nf-1)*aSha
	}
	ps = nuEndS*s.end + nuIntS*pSha
	pd = nuEndD*dd.end + nuIntD*pSha
	as = nuEndS*s.endA + nuIntS*aSha
	ad = nuEndD*dd.endA + nuIntD*aSha
	return
}

// effectiveDiffusion returns the junctions' effective perimeters and areas (Pseff,
// Pdeff, Aseff, Adeff) from the instance's ps, pd, as, ad where given, else from the
// layout (gps, gpd, gas, gad). With permod 1 a given perimeter loses the gate edge,
// wcj = weffCJ nf. BSIM4 4.7 on (gospice's 4.6 as well) clamp at zero: a perimeter
// given as zero or less is zero, and so is one the gate edge makes negative, and an
// area below zero. ngspice's BSIM4.5 (versions 4.3 to 4.5) has none of these clamps:
// ps=0 with permod 1 is a perimeter of -wcj, whose sidewall capacitance and saturation
// current are negative (SKY130's cards: ps=0, so every FET's junctions are wcj cjsw
// short of the gate edge's alone in forward bias; see junction.charge).
func effectiveDiffusion(version int, permod, wcj float64, given map[string]bool, get func(string, float64) float64, gps, gpd, gas, gad float64) (pseff, pdeff, aseff, adeff float64) {
	clamp := version >= 46
	perim := func(name string, geoVal float64) float64 {
		if !given[name] {
			return geoVal
		}
		pv := get(name, 0)
		switch {
		case !clamp && permod == 0:
			return pv
		case !clamp:
			return pv - wcj
		case pv <= 0:
			return 0
		case permod == 0:
			return pv
		}
		return math.Max(pv-wcj, 0)
	}
	area := func(name string, geoVal float64) float64 {
		a := geoVal
		if given[name] {
			a = get(name, 0)
		}
		if clamp {
			return math.Max(a, 0)
		}
		return a
	}
	return perim("ps", gps), perim("pd", gpd), area("as", gas), area("ad", gad)
}

// parasitics sets up the junction diodes, the diffusion resistances, the gate
// resistance and the body resistor network of one instance.
func (d *Device) parasitics(c *card, g *instanceGeom, get func(string, float64) float64, given map[string]bool, noiseNodes bool) error {
	v := c.v
	mc, p := &d.mc, d.p
	geo := int(get("geomod", v["geomod"]))
	if geo < 0 || geo > 10 {
		return fmt.Errorf("geomod=%d is not one of 0..10", geo)
	}
	minSD := int(get("min", 0))
	dmcgEff := v["dmcg"] - v["dmcgt"]
	dmciEff := v["dmci"]
	dmdgEff := v["dmdg"] - v["dmcgt"]
	gps, gpd, gas, gad := diffusionGeometry(g.nf, geo, minSD, p.weffCJ, dmcgEff, dmciEff, dmdgEff)
	pseff, pdeff, aseff, adeff := effectiveDiffusion(c.version, v["permod"], p.weffCJ*g.nf, given, get, gps, gpd, gas, gad)

	// Saturation currents at temperature.
	temp, tnom := mc.temp, mc.tnom
	eg := mc.eg
	satScale := func(xti, nj float64) float64 {
		if temp == tnom {
			return 1
		}
		t0 := mc.eg0/mc.vtm0 - eg/mc.vtm
		return math.Exp((t0 + xti*math.Log(temp/tnom)) / nj)
	}
	delT := temp - tnom
	capT := func(cj, tc float64) float64 {
		if t := tc * delT; t >= -1 {
			return cj * (1 + t)
		}
		return 0
	}
	potT := func(pb, tp float64) float64 { return math.Max(pb-tp*delT, 0.01) }
	tratio := temp / tnom
	eg0vt := mc.eg0 / mc.vtm * (tratio - 1)
	tat := func(area, perim, wcj, js, jssw, jsswg, nj, njsw, njswg, tnj, tnjsw, tnjswg, xt, xtsw, xtswg, vts, vtssw, vtsswg float64) [3]tatPart {
		t11 := math.Sqrt(math.Max(v["jtweff"], 0)/p.weffCJ) + 1
		return [3]tatPart{
			{expLim(xt*eg0vt) * area * js, mc.vtm0 * nj * (1 + tnj*(tratio-1)), vts},
			{expLim(xtsw*eg0vt) * perim * jssw, mc.vtm0 * njsw * (1 + tnjsw*(tratio-1)), vtssw},
			{expLim(xtswg*eg0vt) * wcj * t11 * jsswg, mc.vtm0 * njswg * (1 + tnjswg*(tratio-1)), vtsswg},
		}
	}
	wcj := p.weffCJ * g.nf
	mk := func(side string, area, perim float64) (junction, error) {
		s := side // "s" or "d"
		nj := v["nj"+s]
		sc := satScale(v["xti"+s], nj)
		j := junction{nvtm: mc.vtm * nj, xjbv: v["xjbv"+s], bv: v["bv"+s]}
		switch {
		case area > 0 || perim > 0:
			j.isat = area*math.Max(v["js"+s]*sc, 0) + perim*math.Max(v["jsw"+s]*sc, 0) + wcj*math.Max(v["jswg"+s]*sc, 0)
		case c.version < 46:
			j.isat = 1e-14 // BSIM4 before 4.6 gives a junction without area or perimeter this
		}
		if j.bv <= 0 {
			j.bv = 0
		}
		ijthFwd, ijthRev := math.Max(v["ijth"+s+"fwd"], 0), math.Max(v["ijth"+s+"rev"], 0)
		if j.isat > 0 {
			nv := j.nvtm
			switch mc.diomod {
			case 0:
				if j.bv/nv > expThreshold {
					j.xExpBV = j.xjbv * minExp
				} else {
					j.xExpBV = j.xjbv * math.Exp(-j.bv/nv)
				}
			case 1:
				j.vjmFwd = ijthVjm(nv, ijthFwd, j.isat, 0)
				j.ivjmFwd = j.isat * math.Exp(j.vjmFwd/nv)
			case 2:
				if j.bv/nv > expThreshold {
					j.xExpBV = j.xjbv * minExp
				} else {
					j.xExpBV = j.xjbv * math.Exp(-j.bv/nv)
				}
				j.vjmFwd = ijthVjm(nv, ijthFwd, j.isat, j.xExpBV)
				t0 := math.Exp(j.vjmFwd / nv)
				j.ivjmFwd = j.isat * (t0 - j.xExpBV/t0 + j.xExpBV - 1)
				j.slpFwd = j.isat * (t0 + j.xExpBV/t0) / nv
				t2 := ijthRev / j.isat
				if t2 < 1 {
					t2 = 10
				}
				j.vjmRev = -j.bv - nv*math.Log((t2-1)/j.xjbv)
				t1 := j.xjbv * math.Exp(-(j.bv+j.vjmRev)/nv)
				j.ivjmRev = j.isat * (1 + t1)
				j.slpRev = -j.isat * t1 / nv
			}
		}
		// The emission coefficients of the trap-assisted currents: the drain side has its
		// own from BSIM4.6 on; before, both sides use the source's.
		sfx := map[string]string{"s": "", "d": "d"}[s]
		if c.version < 46 {
			sfx = ""
		}
		j.tat = tat(area, perim, wcj, v["jts"+s], v["jtssw"+s], v["jtsswg"+s],
			v["njts"+sfx], v["njtssw"+sfx], v["njtsswg"+sfx],
			v["tnjts"+sfx], v["tnjtssw"+sfx], v["tnjtsswg"+sfx],
			v["xts"+s], v["xtssw"+s], v["xtsswg"+s], v["vts"+s], v["vtssw"+s], v["vtsswg"+s])
		// Depletion capacitances.
		j.czb = capT(v["cj"+s], v["tcj"]) * area
		cjsw := math.Max(v["cjsw"+s], 0)
		j.pb, j.pbsw, j.pbswg = potT(math.Max(v["pb"+s], 0.1), v["tpb"]), potT(math.Max(v["pbsw"+s], 0.1), v["tpbsw"]), potT(math.Max(v["pbswg"+s], 0.1), v["tpbswg"])
		j.mj, j.mjsw, j.mjswg = v["mj"+s], v["mjsw"+s], v["mjswg"+s]
		cjswT := capT(cjsw, v["tcjsw"])
		cjswgT := capT(v["cjswg"+s], v["tcjswg"])
		j.czbsw = cjswT * perim
		j.czbswg = cjswgT * wcj
		return j, nil
	}
	var err error
	if d.js, err = mk("s", aseff, pseff); err != nil {
		return err
	}
	if d.jd, err = mk("d", adeff, pdeff); err != nil {
		return err
	}

	// Diffusion resistances: rsh times the squares given, or with rgeomod 1 (and no
	// squares given) from the layout. With rdsmod 1 the internal nodes are always
	// there, and a diffusion without resistance gets ngspice's 1e3 S. ngspice 39 does
	// the same for tnoimod 1 when the netlist has a .noise (noiseNodes), in every
	// analysis of that netlist: measured, its noise with tnoimod 1 and no diffusion
	// resistance equals its noise with rsh nrd = rsh nrs = 1 mohm to 7e-11
	// (docs/bsim-qa.md), and without .noise its .ac is that of no resistance.
	rgeo := rgeoMode(v["rgeomod"], get("rgeomod", v["rgeomod"]))
	if rsh := v["rsh"]; rsh > 0 {
		lay := diffusionLayout{nf: g.nf, geo: geo, minSD: minSD, weffcj: p.weffCJ, rsh: rsh, dmcg: dmcgEff, dmdg: dmdgEff}
		diffG := func(squares string, source bool) float64 {
			r := 0.0
			switch {
			case given[squares]:
				r = rsh * get(squares, 0)
			case rgeo != 0:
				r = lay.resistance(source)
			}
			if r > 0 {
				return 1 / r
			}
			return 0
		}
		d.gdr, d.gsr = diffG("nrd", false), diffG("nrs", true)
	}
	if mc.rdsmod != 0 || noiseNodes {
		if d.gdr == 0 {
			d.gdr = 1e3
		}
		if d.gsr == 0 {
			d.gsr = 1e3
		}
	}
	// Gate electrode resistance (rgatemod 1).
	xgw, ngcon := get("xgw", v["xgw"]), get("ngcon", v["ngcon"])
	r := v["rshg"] * (xgw + p.weffCJ/3/ngcon) / (ngcon * g.nf * (g.l + v["xl"] - v["xgl"]))
	d.grgeltd = 1e3
	if r > 0 {
		d.grgeltd = 1 / r
	}
	// Body resistors (rbodymod 1 and 2), each with gbmin in parallel.
	rb := map[string]float64{}
	for _, name := range []string{"rbdb", "rbpb", "rbps", "rbsb", "rbpd"} {
		rb[name] = get(name, v[name])
	}
	gb := func(name string) float64 {
		if rb[name] < 1e-3 {
			return 1e3
		}
		return v["gbmin"] + 1/rb[name]
	}
	bodymode := 5
	switch {
	case !c.has("rbps0") || !c.has("rbpd0"):
		bodymode = 1
	case (!c.has("rbsbx0") && !c.has("rbsby0")) || (!c.has("rbdbx0") && !c.has("rbdby0")):
		bodymode = 3
	}
	if d.rbodymod == 2 {
		// The resistances scale with the size: r0 (L um)^l (W um)^w nf^nf.
		lnl, lnw, lnnf := math.Log(p.leff*1e6), math.Log(p.weff*1e6), math.Log(g.nf)
		scale := func(r0, l, w, nf string) float64 {
			return math.Exp(math.Log(v[r0]) + v[l]*lnl + v[w]*lnw + v[nf]*lnnf)
		}
		par := func(a, b float64) float64 { return a * b / (a + b) }
		if bodymode == 5 {
			rb["rbsb"] = par(scale("rbsbx0", "rbsdbxl", "rbsdbxw", "rbsdbxnf"), scale("rbsby0", "rbsdbyl", "rbsdbyw", "rbsdbynf"))
			rb["rbdb"] = par(scale("rbdbx0", "rbsdbxl", "rbsdbxw", "rbsdbxnf"), scale("rbdby0", "rbsdbyl", "rbsdbyw", "rbsdbynf"))
		}
		if bodymode == 3 || bodymode == 5 {
			rb["rbps"] = scale("rbps0", "rbpsl", "rbpsw", "rbpsnf")
			rb["rbpd"] = scale("rbpd0", "rbpdl", "rbpdw", "rbpdnf")
		}
		rb["rbpb"] = par(scale("rbpbx0", "rbpbxl", "rbpbxw", "rbpbxnf"), scale("rbpby0", "rbpbyl", "rbpbyw", "rbpbynf"))
	}
	d.grbdb, d.grbpb, d.grbps, d.grbsb, d.grbpd = gb("rbdb"), gb("rbpb"), gb("rbps"), gb("rbsb"), gb("rbpd")
	if d.rbodymod == 2 && bodymode != 5 {
		// Without the x/y parameters the side resistances are open (gbmin alone).
		d.grbdb, d.grbsb = v["gbmin"], v["gbmin"]
		if bodymode == 1 {
			d.grbps, d.grbpd = 1e3, 1e3
		}
	}
	return nil
}

// rgeoMode is the rgeomod an instance runs with. ngspice 39 knows 0 (resistances from
// nrs, nrd) and 1 (from the layout, all contacts wide); it runs a model's other value as 1
// and an instance's other value as its model's, with a warning. The manual's point
// contacts (rgeomod 2..8) are not reachable in ngspice, so not here either.
func rgeoMode(model, inst float64) int {
	if model != 0 && model != 1 {
		model = 1
	}
	if inst != 0 && inst != 1 {
		inst = model
	}
	return int(inst)
}

// diffusionLayout is what the diffusion resistances of rgeomod 1 depend on: the
// fingers, the end diffusions' kind (geomod), the sheet resistance and the diffusion
// lengths.
type diffusionLayout struct {
	nf          float64
	geo, minSD  int
	weffcj, rsh float64
	dmcg, dmdg  float64
}

// resistance is the source's (source) or drain's diffusion resistance: the interior
// diffusions, each shared by two fingers and wide-contacted, in parallel with the end
// diffusions (BSIM4 manual, "Diffusion resistance model").
func (l diffusionLayout) resistance(source bool) float64 {
	sq := l.rsh * l.dmcg / l.weffcj // one wide-contacted diffusion of length dmcg
	var rint, rend float64
	switch l.geo {
	case 9, 10:
		// All contacts wide: the side with the two half-width ends has nf-2 interior
		// diffusions and two half-length ends; the other side nf interior ones.
		if (l.geo == 9) == source {
			rend = 0.5 * sq
			if l.nf != 2 {
				rint = l.rsh * l.dmcg / (l.weffcj * (l.nf - 2))
			}
		} else {
			rint = l.rsh * l.dmcg / (l.weffcj * l.nf)
		}
	default:
		nuIntD, nuEndD, nuIntS, nuEndS := fingers(l.nf, l.minSD)
		nuInt, nuEnd := nuIntD, nuEndD
		if source {
			nuInt, nuEnd = nuIntS, nuEndS
		}
		if nuInt > 0 {
			rint = sq / nuInt
		}
		rend = l.endResistance(source, nuEnd)
	}
	switch {
	case math.IsInf(rend, 1):
		return 0 // ngspice's parallel of an infinite end is not a number: no resistor
	case rint <= 0:
		return rend
	case rend <= 0:
		return rint
	}
	return rint * rend / (rint + rend)
}

// endResistance is the resistance of nuEnd end diffusions of one side in parallel: a
// merged end runs dmdg to the channel, an isolated or shared one is contacted across
// its width at dmcg.
func (l diffusionLayout) endResistance(source bool, nuEnd float64) float64 {
	merged := l.geo >= 6 && source || l.geo >= 4 && l.geo != 6 && l.geo != 7 && !source
	// ngspice 39 divides geomod 5's merged drain end and geomod 7's merged source end
	// by their number of ends (two for even nf, measured against it), and with none
	// (even nf) the whole side loses its resistance: followed, so that results agree.
	byEnds := l.geo == 5 && !source || l.geo == 7 && source
	switch {
	case merged && byEnds:
		return l.rsh * l.dmdg / (l.weffcj * nuEnd) // +Inf for nuEnd 0
	case merged:
		return l.rsh * l.dmdg / l.weffcj
	case nuEnd == 0:
		return 0
	}
	return l.rsh * l.dmcg / (l.weffcj * nuEnd)
}
