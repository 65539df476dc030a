package devices

import "math"

// NoiseSources: a VDMOS's noise as ngspice 39's: the thermal noise of its drain and
// source resistances (m1_rd, m1_rs) and of its channel, 4kT (2/3) |gm| (m1_id), and
// the flicker noise of its channel current (m1_1overf, vdmosFlicker), at the device's
// temperature (without self-heating's rise). ngspice 39 counts no noise of the gate
// resistance or of the body diode (neither its shot noise nor rb's), and neither does
// gospice.
func (d *VDMOS) NoiseSources(dst []NoiseSource, x []float64, _ float64) []NoiseSource {
	dp, sp := d.t[vdD], d.t[vdS]
	dst = resistanceNoise(dst, d.name, d.dExt, dp, d.gd, d.sExt, sp, d.gs, d.kelvin)
	vs := x[sp]
	id, gm, _ := d.ch.channel(d.typ*(x[d.t[vdG]]-vs), d.typ*(x[dp]-vs))
	var fl float64
	if d.flicker != 0 {
		fl = d.flicker * math.Exp(d.af*math.Log(math.Max(math.Abs(id), 1e-38)))
	}
	return append(dst, NoiseSource{Name: d.name + "_id", A: dp, B: sp, White: thermal(2*math.Abs(gm)/3, d.kelvin)},
		NoiseSource{Name: d.name + "_1overf", A: dp, B: sp, Flicker: fl, Exp: 1})
}

// vdmosFlicker is the coefficient of a VDMOS's flicker noise, ngspice 39's (which takes
// MOS level 1's with w = l = 1 m and the default oxide): kf |id|^af / (f cox² m), cox =
// 3.9 ε0 / 1e-7 m, id the channel current of all m devices.
func vdmosFlicker(mod *vdmosModelCard, m float64) float64 {
	if mod.kf == 0 {
		return 0
	}
	cox := 3.9 * mosEps0 / 1e-7
	return mod.kf / (cox * cox * m)
}
