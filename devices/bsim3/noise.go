package bsim3

import (
	"math"

	"github.com/gospice/gospice/devices"
)

// noiseModel is a card's noise model: noimod 1 and 4 take SPICE2's flicker noise
// (kf, af), 2 and 3 BSIM3's (the oxide trap densities noia, noib, noic and em); noimod 1
// and 3 take SPICE2's channel thermal noise, 2 and 4 BSIM3's (from the inversion
// charge). ef is the flicker noise's exponent of the frequency in both.
type noiseModel struct {
	bsimFlicker, bsimThermal bool
	kf, af, ef, em           float64
	noia, noib, noic         float64
	lintnoi                  float64 // version 3.3 only (0 in 3.2.x, as ngspice's BSIM3v32)
}

// noiseModel reads the card's noise parameters, with the p-channel defaults of noia,
// noib and noic where the card does not give them.
func (md *model) noiseModel() noiseModel {
	m := &md.m
	nm := noiseModel{
		bsimFlicker: m[mNoimod] == 2 || m[mNoimod] == 3,
		bsimThermal: m[mNoimod] == 2 || m[mNoimod] == 4,
		kf:          m[mKf], af: m[mAf], ef: m[mEf], em: m[mEm],
		noia: m[mNoia], noib: m[mNoib], noic: m[mNoic],
	}
	if !md.v32 {
		nm.lintnoi = m[mLintnoi]
	}
	if md.typ < 0 {
		for _, d := range []struct {
			k int
			p *float64
			v float64
		}{{mNoia, &nm.noia, 9.9e18}, {mNoib, &nm.noib, 2.4e3}, {mNoic, &nm.noic, 1.4e-12}} {
			if !md.given[d.k] {
				*d.p = d.v
			}
		}
	}
	return nm
}

// Physical constants of the noise densities, ngspice's: Boltzmann's constant and the
// electron's charge (const.h), and k/q in eV/K, which BSIM3's flicker noise takes.
const (
	noiseBoltzmann = 1.38064852e-23
	noiseCharge    = 1.6021766208e-19
	noiseKoverQ    = 8.62e-5
)

// NoiseSources: a BSIM3 MOSFET's noise as ngspice's BSIM3 3.3: the thermal noise of the
// drain and source resistances rsh*nrd, rsh*nrs (m1_rd, m1_rs), the channel's thermal
// noise (m1_id) and flicker noise (m1_1overf) by noimod, each times m, at the device's
// temperature.
func (d *Device) NoiseSources(dst []devices.NoiseSource, x []float64, _ float64) []devices.NoiseSource {
	s := d.s
	fourKT := 4 * noiseBoltzmann * s.kelvin
	if s.gdpr > 0 {
		dst = append(dst, devices.NoiseSource{Name: d.name + "_rd", A: d.dExt, B: d.t[tD], White: fourKT * s.gdpr * s.mult})
	}
	if s.gspr > 0 {
		dst = append(dst, devices.NoiseSource{Name: d.name + "_rs", A: d.sExt, B: d.t[tS], White: fourKT * s.gspr * s.mult})
	}
	c := d.noiseChannel(x)
	dst = append(dst, devices.NoiseSource{Name: d.name + "_id", A: d.t[tD], B: d.t[tS], White: fourKT * s.mult * s.channelThermal(&c)})
	if fl := s.flicker(&c); fl != 0 {
		dst = append(dst, devices.NoiseSource{Name: d.name + "_1overf", A: d.t[tD], B: d.t[tS], Flicker: s.mult * fl, Exp: s.noise.ef})
	}
	return dst
}

// noiseChannel evaluates the channel at the internal nodes' voltages x, in the mode's
// frame, with the inversion charge where the thermal noise needs it.
func (d *Device) noiseChannel(x []float64) channel {
	s := d.s
	typ, vs := s.typ, x[d.t[tS]]
	vgs, vds, vbs := typ*(x[d.t[tG]]-vs), typ*(x[d.t[tD]]-vs), typ*(x[d.t[tB]]-vs)
	vg, vd, vb := seeds(vgs, vds, vbs)
	var c channel
	if vds >= 0 {
		c.Vgs, c.Vds, c.Vbs = vg, vd, vb
	} else {
		c.Vgs, c.Vds, c.Vbs = sub(vg, vd), neg(vd), sub(vb, vd)
	}
	s.dc(&c)
	if s.noise.bsimThermal && s.xpart >= 0 {
		s.intrinsicCharges(&c) // for c.qinv
	}
	return c
}

// channelThermal is the channel's thermal noise as a conductance (its density over 4kT):
// SPICE2's (2/3) |gm + gds + gmbs|, or BSIM3's ueff |qinv| / (leff^2 + ueff |qinv| rds).
func (s *sized) channelThermal(c *channel) float64 {
	if !s.noise.bsimThermal {
		ids := c.Ids
		// gm + gds + gmbs is the same sum in either mode's frame.
		return 2 * math.Abs(ids.dg+ids.dd+ids.db) / 3
	}
	t := c.ueff * math.Abs(c.qinv)
	return t / (s.leff*s.leff + t*c.rds)
}

// flicker is the coefficient of the channel's flicker noise (its density times f^ef).
// SPICE2's: kf |ids|^af / (cox leff^2). BSIM3's: the inversion layer's density (oxide
// traps' number and mobility fluctuations) in parallel with the subthreshold's, noia
// kT/q ids^2 / (weff leff 4e36), in strong inversion as below it (as ngspice 39: with
// noia = 0 it gives no flicker noise at all).
func (s *sized) flicker(c *channel) float64 {
	nm := &s.noise
	ids := math.Abs(c.Ids.v)
	if !nm.bsimFlicker {
		if nm.kf == 0 {
			return 0
		}
		return nm.kf * math.Exp(nm.af*math.Log(max(ids, 1e-38))) / (s.leff * s.leff * s.cox)
	}
	inv := s.strongInversionFlicker(c, ids)
	sub := nm.noia * noiseKoverQ * s.kelvin * ids * ids / (s.weff * s.leff * 4e36)
	if !(inv+sub > 0) {
		return 0
	}
	return inv * sub / (inv + sub)
}

// strongInversionFlicker is BSIM3's flicker noise of the inversion layer at the
// operating point: number fluctuation along the channel from the charge density at the
// source (n0) to the drain (nl), with 2e14 /m^2 for n*, and mobility fluctuation in the
// velocity-saturated region, whose length comes from em: no shorter than zero (ngspice
// 39's BSIM3 3.3 clamps it so; its 3.2.x gives NaN where em is so small that the log's
// argument is below 1, in the linear region). The channel length of both is leff less
// 2 lintnoi.
//
// The manual's Abulk, with its body bias factor 1/(1 + keta Vbseff), is nl's; the number
// fluctuation divides by Abulk before that factor, as ngspice 39 does (it keeps that
// value for the noise) and so the QA references: with the manual's, at keta = -0.047 and
// Vbs = -11 mV (the drop on the source resistance of the QA deck bsim3/nmos noise2), the
// density was 3.0e-4 above ngspice's (TestFlickerKeta).
func (s *sized) strongInversionFlicker(c *channel, ids float64) float64 {
	nm := &s.noise
	esat := 2 * s.vsattemp / c.ueff
	var delClm float64
	if nm.em > 0 {
		t0 := ((c.Vds.v-c.vdseff)/s.litl + nm.em) / esat
		delClm = max(0, s.litl*math.Log(max(t0, 1e-38)))
	}
	leff := s.leff - 2*nm.lintnoi
	q, kT := noiseCharge, noiseKoverQ*s.kelvin
	n0 := s.cox * c.vgsteff / q
	nl := s.cox * c.vgsteff * (1 - c.abulk/c.vgst2Vtm*c.vdseff) / q
	const nstar = 2e14
	t3 := nm.noia * math.Log(max((n0+nstar)/(nl+nstar), 1e-38))
	t4 := nm.noib * (n0 - nl)
	t5 := nm.noic * 0.5 * (n0*n0 - nl*nl)
	t8 := nm.noia + nm.noib*nl + nm.noic*nl*nl
	t9 := (nl + nstar) * (nl + nstar)
	return q*q*kT*ids*c.ueff/(1e8*c.abulkNoKeta*s.cox*leff*leff)*(t3+t4+t5) +
		kT*ids*ids*delClm/(1e8*leff*leff*s.weff)*t8/t9
}
