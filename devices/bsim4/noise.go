package bsim4

import (
	"fmt"
	"math"

	"github.com/gospice/gospice/devices"
)

// noiseModel is a card's noise model (BSIM4 manual, chapter "Noise Modeling").
type noiseModel struct {
	fnoimod, tnoimod     int
	kf, af, ef           float64 // fnoimod 0: kf |ids|^af / (coxe leff^2 f^ef)
	noia, noib, noic, em float64 // fnoimod 1: the oxide trap densities, the saturation field
	lintnoi              float64 // fnoimod 1: leff - 2 lintnoi
	ntnoi                float64 // tnoimod 0: the thermal noise's factor
	tnoia, tnoib         float64 // tnoimod 1: the length dependence of
	rnoia, rnoib         float64 // the noise partition (beta, theta)
}

// noiseModel reads the noise parameters with the manual's defaults (noia, noib, noic
// by type). tnoimod 2 and 3 (the gate noise correlated with the drain's) are refused.
func (c *card) noiseModel() (noiseModel, error) {
	nm := noiseModel{
		fnoimod: int(c.get("fnoimod", 1)), tnoimod: int(c.get("tnoimod", 0)),
		kf: c.get("kf", 0), af: c.get("af", 1), ef: c.get("ef", 1),
		noia: c.get("noia", c.typ(6.25e41, 6.188e40)), noib: c.get("noib", c.typ(3.125e26, 1.5e25)),
		noic: c.get("noic", 8.75e9), em: c.get("em", 4.1e7), lintnoi: c.get("lintnoi", 0),
		ntnoi: c.get("ntnoi", 1), tnoia: c.get("tnoia", 1.5), tnoib: c.get("tnoib", 3.5),
		rnoia: c.get("rnoia", 0.577), rnoib: c.get("rnoib", 0.5164),
	}
	switch {
	case nm.fnoimod != 0 && nm.fnoimod != 1:
		return nm, fmt.Errorf("fnoimod=%d is not 0 or 1", nm.fnoimod)
	case nm.tnoimod != 0 && nm.tnoimod != 1:
		return nm, fmt.Errorf("tnoimod=%d is not supported (0 and 1 are)", nm.tnoimod)
	}
	return nm, nil
}

// Physical constants of the noise densities, ngspice's (const.h).
const (
	noiseBoltzmann = 1.38064852e-23
	noiseCharge    = chargeNG
)

// NoiseSources: a BSIM4 transistor's noise as the BSIM4 manual and ngspice's define it,
// each source times m: the thermal noise of the drain and source diffusion resistances
// (m1_rd, m1_rs), of the gate electrode's resistance (m1_rg, rgatemod) and of the body
// network (m1_rbps, m1_rbpd, m1_rbpb, m1_rbsb, m1_rbdb, rbodymod); the channel's thermal
// noise (m1_id, tnoimod) and flicker noise (m1_1overf, fnoimod); the shot noise of the
// gate currents to the source, the drain and the body (m1_igs, m1_igd, m1_igb). All at
// the device's temperature.
func (d *Device) NoiseSources(dst []devices.NoiseSource, x []float64, _ float64) []devices.NoiseSource {
	n, m := &d.n, d.m
	kelvin := d.mc.temp
	v := d.biasAt(x)
	var o dcOut
	d.dc(v[bGS], v[bDS], v[bBS], &o)
	thermal := func(suffix string, a, b int, g float64) []devices.NoiseSource {
		if g == 0 || n[a] == n[b] {
			return dst // no such resistance
		}
		return append(dst, devices.NoiseSource{Name: d.name + suffix, A: n[a], B: n[b], White: 4 * noiseBoltzmann * kelvin * m * g})
	}
	shot := func(suffix string, a, b int, i float64) []devices.NoiseSource {
		return append(dst, devices.NoiseSource{Name: d.name + suffix, A: n[a], B: n[b], White: 2 * noiseCharge * m * math.Abs(i)})
	}
	gdr, gsr := d.gdr, d.gsr
	if d.mc.rdsmod != 0 {
		gdr, gsr = o.gdtot.v, o.gstot.v
	}
	dst = thermal("_rd", tDx, tD, gdr)
	dst = thermal("_rs", tSx, tS, gsr)
	switch d.rgatemod {
	case 1:
		dst = thermal("_rg", tGx, tG, d.grgeltd)
	case 2:
		// ngspice's: the electrode's conductance over (1 + gel/gcrg)^2, gcrg the
		// conductance of the electrode and the channel's share in series.
		t := 1 + d.grgeltd/o.gcrg.v
		dst = thermal("_rg", tGx, tG, d.grgeltd/(t*t))
	case 3:
		dst = thermal("_rg", tGx, tGM, d.grgeltd)
	}
	if d.rbodymod != 0 {
		dst = thermal("_rbps", tB, tSB, d.grbps)
		dst = thermal("_rbpd", tB, tDB, d.grbpd)
		dst = thermal("_rbpb", tB, tBx, d.grbpb)
		dst = thermal("_rbsb", tSB, tBx, d.grbsb)
		dst = thermal("_rbdb", tDB, tBx, d.grbdb)
	}
	dst = append(dst, devices.NoiseSource{Name: d.name + "_id", A: n[tD], B: n[tS],
		White: 4 * noiseBoltzmann * kelvin * m * d.channelThermal(&o)})
	if fl := d.flicker(&o, kelvin); fl != 0 {
		dst = append(dst, devices.NoiseSource{Name: d.name + "_1overf", A: n[tD], B: n[tS], Flicker: m * fl, Exp: d.noise.ef})
	}
	// The gate currents, each to its global terminal (igcs and igcd are to the local
	// source and drain).
	igcs, igcd := o.igcs.v, o.igcd.v
	if o.mode < 0 {
		igcs, igcd = igcd, igcs
	}
	dst = shot("_igs", tG, tS, o.igs.v+igcs)
	dst = shot("_igd", tG, tD, o.igd.v+igcd)
	dst = shot("_igb", tG, tB, o.igb.v)
	return dst
}

// channelThermal is the channel's thermal noise as a conductance (its density over
// 4kT). tnoimod 0, charge based: ntnoi ueff |qinv| / (leff^2 + ueff |qinv| rds), rds
// the channel's share of the source and drain resistance (rdsmod 0). tnoimod 1, the
// holistic model: (beta (gm + gmbs) + gds)^2 / (ids/vdseff), beta rnoia (1 + tnoia
// leff (vgsteff/esatL)^2). ngspice 39 puts the whole of it at the drain: the gate's
// share (theta, rnoib and tnoib) only enters the correlated noise of tnoimod 2, which
// gospice has not got (measured: rnoib changes nothing of ngspice's noise at tnoimod 1).
func (d *Device) channelThermal(o *dcOut) float64 {
	nm, p := &d.noise, d.p
	if nm.tnoimod == 0 {
		rds := 0.0
		if d.mc.rdsmod == 0 {
			rds = o.rds.v / d.nf
		}
		t0 := o.ueff.v * d.inversionCharge(o)
		return nm.ntnoi * t0 / (t0*rds + p.leff*p.leff)
	}
	t5 := o.vgsteff.v / o.esatL.v
	beta := nm.rnoia * (1 + t5*t5*nm.tnoia*p.leff)
	// gm, gmbs and gds in the local frame, whose drain is the source when vds < 0.
	ids := o.ids
	gm, gmbs, gds := ids.g, ids.b, ids.d
	if o.mode < 0 {
		gds = -(ids.g + ids.d + ids.b)
	}
	// ids/vdseff, at least ngspice's idovvdsc (1e-9 A/V).
	idOverVds := max(ids.v/o.vdseff.v, 1e-9)
	t1 := beta*(gm+gmbs) + gds
	return t1 * t1 / idOverVds
}

// inversionCharge is the magnitude of the channel's inversion charge as BSIM4 4.8's
// thermal noise takes it, whatever capmod: coxeff weffCV leffCV nf (vgsteff - a/2 +
// abulkCV a vdseffCV / (12 (vgsteff - a/2))), with a = abulkCV vdseffCV and vdseffCV
// the C-V model's drain voltage, vgsteff/abulkCV smoothed against vds.
func (d *Device) inversionCharge(o *dcOut) float64 {
	p := d.p
	abulkCV := o.abulk0.v * p.abulkCVfactor
	vdseff := vdseffCV(cst(o.vgsteff.v/abulkCV), cst(o.vdsLocal.v)).v
	a := abulkCV * vdseff
	t := o.vgsteff.v - 0.5*a
	return o.coxeff.v * p.weffCV * p.leffCV * d.nf * (t + abulkCV*a*vdseff/(12*(t+1e-20)))
}

// flicker is the coefficient of the channel's flicker noise, its density times f^ef,
// of one device (n fingers). fnoimod 0: kf |ids|^af / (coxe leff^2). fnoimod 1, the
// unified model: the inversion's density (the oxide traps' number fluctuation and
// mobility fluctuation along the channel, with the velocity-saturated region's length
// from em) in parallel with the subthreshold's, noia kT ids^2 / (weff leff n*^2). The
// number fluctuation divides by Abulk before its body bias factor 1/(1 + keta Vbseff),
// as ngspice 39 does, nl takes the whole Abulk (as BSIM3's, devices/bsim3 noise.go): with
// the whole one, at Vbs = -0.5 V and keta = -0.05, the density was 1.4% above ngspice's
// (TestFlickerKeta).
func (d *Device) flicker(o *dcOut, kelvin float64) float64 {
	nm, p, mc := &d.noise, d.p, &d.mc
	ids := math.Abs(o.ids.v)
	if nm.fnoimod == 0 {
		if nm.kf == 0 {
			return 0
		}
		return nm.kf * math.Exp(nm.af*math.Log(max(ids, 1e-38))) / (p.leff * p.leff * mc.coxe)
	}
	leff := p.leff - 2*nm.lintnoi
	weff := p.weff * d.nf
	ueff, vgsteff, vdseff := o.ueff.v, o.vgsteff.v, o.vdseff.v
	esat := 2 * p.vsattemp / ueff
	var delClm float64
	if nm.em > 0 {
		t0 := ((o.vdsLocal.v-vdseff)/p.litl + nm.em) / esat
		delClm = max(p.litl*math.Log(max(t0, 1e-38)), 0)
	}
	kT := noiseBoltzmann * kelvin
	q := noiseCharge
	n0 := mc.coxe * vgsteff / q
	nl := mc.coxe * vgsteff * (1 - o.abulk.v/o.vgst2Vtm.v*vdseff) / q
	nstar := o.nstar
	t3 := nm.noia * math.Log(max((n0+nstar)/(nl+nstar), 1e-38))
	t4 := nm.noib * (n0 - nl)
	t5 := nm.noic * 0.5 * (n0*n0 - nl*nl)
	t8 := nm.noia + nm.noib*nl + nm.noic*nl*nl
	t9 := (nl + nstar) * (nl + nstar)
	inv := q*q*kT*ids*ueff/(1e10*o.abulkNoKeta*mc.coxe*leff*leff)*(t3+t4+t5) +
		kT*ids*ids*delClm/(1e10*leff*leff*weff)*t8/t9
	sub := nm.noia * kT * ids * ids / (1e10 * weff * leff * nstar * nstar)
	if inv+sub <= 0 {
		return 0
	}
	return inv * sub / (inv + sub)
}
