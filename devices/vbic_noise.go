package devices

import "math"

// NoiseSources: a VBIC's noise as ngspice 39 counts it, all at the operating point x and
// the circuit's temperature kelvin, times area and m, the junction currents with gmin
// across them as in the load:
//
//   - thermal noise of the series resistances, each from its conductance at the
//     operating point (rbi's and rbp's modulated by qb and qbp, rci's the epi current's
//     derivative by its own voltage): q1_rc, q1_rci, q1_rb, q1_rbi, q1_re, q1_rbp, q1_rs;
//   - shot noise of the forward transport current ifi/qb from C' to E' (q1_ic), of the
//     intrinsic base-emitter current (q1_ib), of the parasitic base-emitter current
//     (q1_ibep) and of the parasitic transport current (q1_iccp);
//   - flicker noise m kfn (|i|/m)^afn / f^bfn of the intrinsic and the parasitic
//     base-emitter currents i (q1_1overfbe, q1_1overfbep).
//
// Two places differ from ngspice 39 on purpose (docs/vbic.md): rbp's thermal noise flows
// where rbp is, between BP and CX (ngspice 39 puts it between E' and E, re's nodes), and
// rs's and iccp's noise count in the spectrum as in the integrated noise (ngspice 39
// integrates them but leaves them out of its spectrum).
func (d *VBIC) NoiseSources(dst []NoiseSource, x []float64, kelvin float64) []NoiseSource {
	var v [vbicNC]float64
	var out vbicEval
	d.controls(x, &v)
	d.evalAt(&v, &out, false, d.gmin)
	s := &d.slot
	// Every source ngspice names is listed (its vectors with pts_per_summary), with no
	// noise where the element is absent (its two nodes are one).
	add := func(suffix string, a, b int, white float64) {
		if s[a] == s[b] {
			white = 0
		}
		dst = append(dst, NoiseSource{Name: d.name + suffix, A: s[a], B: s[b], White: white})
	}
	resistor := func(suffix string, br, k int) {
		add(suffix, vbicBranches[br].p, vbicBranches[br].n, thermal(d.scale*out[br].d[k], kelvin))
	}
	resistor("_rc", brIRCX, vcRCX)
	resistor("_rci", brIRCI, vcRCI)
	resistor("_rb", brIRBX, vcRBX)
	resistor("_rbi", brIRBI, vcRBI)
	resistor("_re", brIRE, vcRE)
	resistor("_rbp", brIRBP, vcRBP)
	resistor("_rs", brIRS, vcRS)

	add("_ic", slCI, slEI, shot(d.scale*d.forwardTransport(&v).v))
	add("_ib", slBI, slEI, shot(d.scale*out[brIBE].v))
	add("_ibep", slBX, slBP, shot(d.scale*out[brIBEP].v))
	add("_iccp", slBX, slSI, shot(d.scale*out[brICCP].v))

	flicker := func(suffix string, a, b int, i float64) {
		var fl float64
		if kf := d.model.kfn; kf != 0 && s[a] != s[b] {
			fl = d.mult * kf * math.Exp(d.model.afn*math.Log(math.Max(math.Abs(d.scale*i)/d.mult, 1e-38)))
		}
		dst = append(dst, NoiseSource{Name: d.name + suffix, A: s[a], B: s[b], Flicker: fl, Exp: d.model.bfn})
	}
	flicker("_1overfbe", slBI, slEI, out[brIBE].v)
	flicker("_1overfbep", slBX, slBP, out[brIBEP].v)
	return dst
}

// forwardTransport is the forward part ifi/qb of the transport current at the
// controlling voltages v (unscaled), with its derivatives: its shot noise ngspice 39
// counts as the collector's, and its slopes are the gm and go it reports.
func (d *VBIC) forwardTransport(v *[vbicNC]float64) vdual {
	m := &d.model
	var heated vbicAtT
	t := d.atRise(v, &heated)
	vbei, vbci := vvar(vcBEI, v[vcBEI]), vvar(vcBCI, v[vcBCI])
	qdbe := vbicQj(vbei, t.pe, m.me, m.fc, m.aje)
	qdbc := vbicQjRT(vbci, t.pc, m.mc, m.fc, m.ajc, m.vrt, m.art)
	ifi, _, _, qb := d.transport(vbei, vbci, qdbe, qdbc, t)
	return ifi.div(qb)
}
