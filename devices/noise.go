package devices

import "math"

// NoiseSource is one noise current of a device at its operating point, as ngspice's
// .noise counts them: a current between the unknowns A and B whose one-sided spectral
// density at f Hz is White + Flicker / f^Exp, in A²/Hz.
type NoiseSource struct {
	Name                string // the device's name and the source's, as ngspice's noise1 plot names them: r1, d1_rs, d1_id
	A, B                int
	White, Flicker, Exp float64
}

// Density is the source's spectral density at f Hz.
func (n NoiseSource) Density(f float64) float64 {
	if n.Flicker == 0 {
		return n.White
	}
	return n.White + n.Flicker/math.Pow(f, n.Exp)
}

// Noisy is a device with noise sources: their densities at the operating point x, for
// a device at kelvin. It appends them to dst.
type Noisy interface {
	NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource
}

// Physical constants of the noise densities, ngspice's values.
const (
	noiseBoltzmann = 1.38064852e-23   // J/K
	noiseCharge    = 1.6021766208e-19 // C
)

// thermal is the density of the thermal noise of a conductance g at kelvin: 4kTg.
func thermal(g, kelvin float64) float64 { return 4 * noiseBoltzmann * kelvin * g }

// shot is the density of the shot noise of a current i: 2q|i|.
func shot(i float64) float64 { return 2 * noiseCharge * math.Abs(i) }

// NoiseSources: a resistor's thermal noise, 4kT/R (with m: 4kT m/R: r1_thermal), and its
// flicker noise where its model has kf (r1_1overf, resistorFlicker; listed at 0 without
// kf, as ngspice names it); none with noisy=0. A resistor whose value depends on the
// circuit (r={expr} of probes) is left out, as its conductance is not known here.
func (r *Resistor) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	if r.noiseless {
		return dst
	}
	flicker := NoiseSource{Name: r.Name() + "_1overf", A: r.a, B: r.b}
	if fl := r.flicker; fl != nil {
		each := math.Abs(r.Current(x)) / r.m
		flicker.Flicker = r.m * fl.coef * math.Exp(fl.af*math.Log(math.Max(each, 1e-38)))
		flicker.Exp = fl.ef
	}
	return append(dst, NoiseSource{Name: r.Name() + "_thermal", A: r.a, B: r.b, White: thermal(r.g, kelvin)}, flicker)
}

// NoiseSources: a diode's series resistance's thermal noise (d1_rs), its junction
// current's shot noise (d1_id) and its flicker noise m kf (|id|/m)^af / f (d1_1overf),
// as ngspice's diode.
func (d *Diode) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	rs := NoiseSource{Name: d.name + "_rs", A: d.p, B: d.p} // 0 without a series resistance
	if d.internal {
		rs = NoiseSource{Name: d.name + "_rs", A: d.sf, B: d.st, White: thermal(d.gs, kelvin)}
	}
	cd, _ := d.current(x[d.p]-x[d.n], 0)
	var fl float64
	if d.kf != 0 {
		fl = d.mult * d.kf * math.Exp(d.af*math.Log(math.Max(math.Abs(cd)/d.mult, 1e-38)))
	}
	return append(dst, rs, NoiseSource{Name: d.name + "_id", A: d.p, B: d.n, White: shot(cd)},
		NoiseSource{Name: d.name + "_1overf", A: d.p, B: d.n, Flicker: fl, Exp: 1})
}

// NoiseSources: a BJT's noise as ngspice's: the thermal noise of its collector, base
// (the base conductance at the operating point, modulated as the load has it) and
// emitter resistances (q1_rc, q1_rb, q1_re), the shot noise of its collector and base
// currents (q1_ic, q1_ib), and the flicker noise kf |ib|^af / f of the base current
// (q1_1overf), all times m, at the device's temperature. The currents are those of
// the operating point without the gmin conductances across the junctions (1e-12 S,
// about 1e-7 of a microampere base current).
func (d *BJT) NoiseSources(dst []NoiseSource, x []float64, _ float64) []NoiseSource {
	t := &d.t
	m := d.mult
	kelvin := t.tempK
	vbe := d.typ * (x[d.bp] - x[d.ep])
	vbc := d.typ * (x[d.bp] - x[d.cp])
	cbe, gbe := bjtJunction(t.isBE, vbe, t.vt*t.nf)
	var cben, gben, cbcn, gbcn float64
	if t.ise != 0 {
		cben, gben = bjtJunction(t.ise, vbe, t.vt*t.ne)
	}
	cbc, gbc := bjtJunction(t.isBC, vbc, t.vt*t.nr)
	if t.isc != 0 {
		cbcn, gbcn = bjtJunction(t.isc, vbc, t.vt*t.nc)
	}
	qb, dqbdve, dqbdvc := d.baseCharge(vbe, vbc, cbe, cbc, gbe, gbc)
	cc := (cbe-cbc)/qb - cbc/t.br - cbcn
	cb := cbe/t.bf + cben + cbc/t.br + cbcn
	// Every source ngspice names is listed, those of absent resistances with no noise.
	rc := NoiseSource{Name: d.name + "_rc", A: d.c, B: d.cx}
	if t.rcGiven {
		rc.White = thermal(m*t.gc, kelvin)
	}
	rb := NoiseSource{Name: d.name + "_rb", A: d.b, B: d.bp}
	if t.rbGiven {
		gx, _, _ := d.baseConductance(qb, dqbdve, dqbdvc, cb, gbe/t.bf+gben, gbc/t.br+gbcn)
		rb.White = thermal(m*gx, kelvin)
	}
	re := NoiseSource{Name: d.name + "_re", A: d.e, B: d.ep}
	if t.reGiven {
		re.White = thermal(m*t.ge, kelvin)
	}
	var fl float64
	if t.kf != 0 {
		fl = m * t.kf * math.Exp(t.af*math.Log(math.Max(math.Abs(cb), 1e-38)))
	}
	return append(dst, rc, rb, re,
		NoiseSource{Name: d.name + "_ic", A: d.cp, B: d.ep, White: shot(m * cc)},
		NoiseSource{Name: d.name + "_ib", A: d.bp, B: d.ep, White: shot(m * cb)},
		NoiseSource{Name: d.name + "_1overf", A: d.bp, B: d.ep, Flicker: fl, Exp: 1})
}

// NoiseSources: a level-1 or level-3 MOSFET's noise as ngspice's: the thermal noise of
// its drain and source resistances (m1_rd, m1_rs) and of its channel, 4kT (2/3) gm
// (m1_id), at the device's temperature, and the flicker noise of its channel current
// (m1_1overf, mosFlicker).
func (d *MOSFET) NoiseSources(dst []NoiseSource, x []float64, _ float64) []NoiseSource {
	kelvin := d.vt * mosCharge / noiseBoltzmann
	dp, g, sp, b := d.t[0], d.t[1], d.t[2], d.t[3]
	dst = resistanceNoise(dst, d.name, d.dExt, dp, d.gd, d.sExt, sp, d.gs, kelvin)
	pt := mosPoint{vgs: d.typ * (x[g] - x[sp]), vds: d.typ * (x[dp] - x[sp]), vbs: d.typ * (x[b] - x[sp])}
	d.channel(&pt)
	gm := math.Abs(pt.did[0])
	var fl float64
	if d.flicker != 0 {
		fl = d.flicker * math.Exp(d.af*math.Log(math.Max(math.Abs(pt.id), 1e-38)))
	}
	return append(dst, NoiseSource{Name: d.name + "_id", A: dp, B: sp, White: thermal(2*gm/3, kelvin)},
		NoiseSource{Name: d.name + "_1overf", A: dp, B: sp, Flicker: fl, Exp: 1})
}

// resistanceNoise appends the thermal noise of a FET's drain and source resistances
// (conductances gd between d and dp, gs between s and sp; 0 when there is none: ngspice
// names the sources all the same), m1_rd and m1_rs.
func resistanceNoise(dst []NoiseSource, name string, d, dp int, gd float64, s, sp int, gs float64, kelvin float64) []NoiseSource {
	return append(dst, NoiseSource{Name: name + "_rd", A: d, B: dp, White: thermal(gd, kelvin)},
		NoiseSource{Name: name + "_rs", A: s, B: sp, White: thermal(gs, kelvin)})
}

// mosFlicker is the coefficient of a level-1 or level-3 MOSFET's flicker noise, ngspice's
// (measured against ngspice 39: the density scales as tox², 1/(w - 2 wd), 1/(l - 2 ld)
// and, at level 1 only, 1/m; level 3's xw and xl left out): kf |id|^af / (f cox² w l m)
// with those w and l (m 1 at level 3), cox = 3.9 ε0 / tox the oxide capacitance per
// area, ngspice's tox of 1e-7 m where none is given, and id the channel current of all
// m devices.
func mosFlicker(mod *mosModelCard, w, l, m float64) float64 {
	if mod.kf == 0 {
		return 0
	}
	tox := 1e-7
	if mod.toxGiven && mod.tox > 0 {
		tox = mod.tox
	}
	cox := 3.9 * mosEps0 / tox
	if mod.level == 3 {
		m = 1
	}
	return mod.kf / (cox * cox * w * l * m)
}

// NoiseSources: a JFET's noise as ngspice's: the thermal noise of its drain and source
// resistances (j1_rd, j1_rs) and of its channel, 4kT (2/3) |gm| (j1_id), and the flicker
// noise kf |id|^af / f of its channel current (j1_1overf), all of the m devices, at the
// device's temperature (a Statz MESFET's: the circuit's, as ngspice's, though its
// currents do not change with temperature).
func (d *JFET) NoiseSources(dst []NoiseSource, x []float64, _ float64) []NoiseSource {
	kelvin := d.noiseTemp
	dp, g, sp := d.t[jfD], d.t[jfG], d.t[jfS]
	dst = resistanceNoise(dst, d.name, d.dExt, dp, d.m*d.gd, d.sExt, sp, d.m*d.gs, kelvin)
	pt := jfetPoint{vgs: d.typ * (x[g] - x[sp]), vgd: d.typ * (x[g] - x[dp])}
	d.evaluate(&pt, 0, false, nil)
	var fl float64
	if d.kf != 0 {
		fl = d.m * d.kf * math.Exp(d.af*math.Log(math.Max(math.Abs(pt.id), 1e-38)))
	}
	return append(dst, NoiseSource{Name: d.name + "_id", A: dp, B: sp, White: thermal(d.m*2*math.Abs(pt.gm)/3, kelvin)},
		NoiseSource{Name: d.name + "_1overf", A: dp, B: sp, Flicker: fl, Exp: 1})
}
