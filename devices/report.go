package devices

// Device quantities as ngspice reports them, @name[quantity] (ngspice's "show" lists
// them): each Report returns a function of the unknowns x that evaluates the device at x
// afresh, without limiting and without touching any run's state, so that any number of
// runs may call it at once. Currents and conductances include the multiplier m, as
// ngspice's do; voltages, currents and conductances of a p-type device are in the
// n-type frame, as ngspice stores them. Only static (DC) quantities are reported: in a
// transient they leave out the currents of the device's charges.

// reportGmin is the gmin across junctions in the reported currents: SPICE's default. A
// run's .options gmin changes them by gmin times a junction voltage at most.
const reportGmin = 1e-12

// reports maps a quantity's name to its function of x.
type reports map[string]func(x []float64) float64

// lookup returns the named report.
func (r reports) lookup(name string) (func(x []float64) float64, bool) {
	f, ok := r[name]
	return f, ok
}

// Report returns the resistor's current i (from its first node to its second) or the
// power p it takes.
func (r *Resistor) Report(name string) (func(x []float64) float64, bool) {
	return r.reportTable().lookup(name)
}

func (r *Resistor) reportTable() reports {
	return reports{
		"i": r.Current,
		"p": func(x []float64) float64 { v := x[r.a] - x[r.b]; return r.g * v * v },
	}
}

// Report returns the inductor's current i, from its first node to its second: its
// branch's unknown.
func (l *Inductor) Report(name string) (func(x []float64) float64, bool) {
	return reports{"i": func(x []float64) float64 { return x[l.k] }}.lookup(name)
}

// Report returns the VCCS's output current i, from its first node through the source
// to its second.
func (g *VCCS) Report(name string) (func(x []float64) float64, bool) {
	return reports{"i": func(x []float64) float64 { return g.gm * (x[g.c] - x[g.d]) }}.lookup(name)
}

// Report returns the diode's quantities: vd (the junction's voltage, inside rs), id (its
// static current, gmin included) and gd (its conductance), and cd (its capacitance), at
// a self-heating diode's junction temperature.
func (d *Diode) Report(name string) (func(x []float64) float64, bool) {
	return d.reportTable().lookup(name)
}

func (d *Diode) reportTable() reports {
	vd := func(x []float64) float64 { return x[d.p] - x[d.n] }
	return reports{
		"vd": vd,
		"id": func(x []float64) float64 { i, _ := d.heated(x).current(vd(x), reportGmin); return i },
		"gd": func(x []float64) float64 { _, g := d.heated(x).current(vd(x), reportGmin); return g },
		"cd": func(x []float64) float64 {
			v, h := vd(x), d.heated(x)
			i, g := h.current(v, reportGmin)
			_, c := h.charge(v, i, g)
			return c
		},
	}
}

// Report returns the BJT's quantities: the terminal currents ic, ib, ie (into the
// device) and is (the substrate junction's, out of the substrate, as ngspice has it), the
// junction voltages vbe, vbc, and the small-signal gm, gpi, gmu, go.
func (d *BJT) Report(name string) (func(x []float64) float64, bool) {
	return d.reportTable().lookup(name)
}

func (d *BJT) reportTable() reports {
	type point struct{ cc, cb, gpi, gmu, gout, gm float64 }
	at := func(x []float64) point {
		vbe, vbc := d.typ*(x[d.bp]-x[d.ep]), d.typ*(x[d.bp]-x[d.cp])
		j := d.static(vbe, vbc, reportGmin)
		var p point
		p.cc, p.cb, p.gpi, p.gmu, p.gout, p.gm = j.transport(&d.t, j.cbe, j.gbe)
		return p
	}
	m := d.mult
	substrate := func(x []float64) float64 {
		c, _ := d.substrate(d.ttype*(x[d.s]-x[d.sc]), reportGmin)
		return -m * d.ttype * c // out of the substrate, as ngspice has it
	}
	return reports{
		"vbe": func(x []float64) float64 { return d.typ * (x[d.bp] - x[d.ep]) },
		"vbc": func(x []float64) float64 { return d.typ * (x[d.bp] - x[d.cp]) },
		"ic":  func(x []float64) float64 { return m * d.typ * at(x).cc },
		"ib":  func(x []float64) float64 { return m * d.typ * at(x).cb },
		// ngspice 39's ie closes the sum of the four: ic + ib + ie + is = 0 (measured
		// where the substrate junction's gmin current is all of is).
		"ie":  func(x []float64) float64 { p := at(x); return -m*d.typ*(p.cc+p.cb) - substrate(x) },
		"is":  substrate,
		"gm":  func(x []float64) float64 { return m * at(x).gm },
		"gpi": func(x []float64) float64 { return m * at(x).gpi },
		"gmu": func(x []float64) float64 { return m * at(x).gmu },
		"go":  func(x []float64) float64 { return m * at(x).gout },
	}
}

// Report returns the level-1 MOSFET's quantities, in the n-channel frame: the terminal
// currents id, is, ib (into the device; ig is 0 in DC), the voltages vgs, vds, vbs, the
// threshold von and vdsat, and gm, gds, gmbs (gmb) in the frame where vds >= 0.
func (d *MOSFET) Report(name string) (func(x []float64) float64, bool) {
	return d.reportTable().lookup(name)
}

// mosReport is a MOSFET evaluated for a report.
type mosReport struct {
	pt       mosPoint
	ibd, ibs float64
}

func (d *MOSFET) reportAt(x []float64) (r mosReport) {
	vs := x[d.t[mosS]]
	r.pt = mosPoint{vgs: d.typ * (x[d.t[mosG]] - vs), vds: d.typ * (x[d.t[mosD]] - vs), vbs: d.typ * (x[d.t[mosB]] - vs)}
	d.channel(&r.pt)
	r.ibd, _ = d.diodes[0].current(r.pt.vbs-r.pt.vds, reportGmin)
	if d.tie == mosTieNone {
		r.ibs, _ = d.diodes[1].current(r.pt.vbs, reportGmin)
	}
	return r
}

// local returns gm, gds and gmbs in the frame where vds >= 0 (ngspice's).
func (r *mosReport) local() (gm, gds, gmbs float64) {
	g := r.pt.did
	if r.pt.mode > 0 {
		return g[0], g[1], g[2]
	}
	return -g[0], g[0] + g[1] + g[2], -g[2]
}

func (d *MOSFET) reportTable() reports {
	return reports{
		"vgs":   func(x []float64) float64 { return d.reportAt(x).pt.vgs },
		"vds":   func(x []float64) float64 { return d.reportAt(x).pt.vds },
		"vbs":   func(x []float64) float64 { return d.reportAt(x).pt.vbs },
		"von":   func(x []float64) float64 { return d.reportAt(x).pt.von },
		"vdsat": func(x []float64) float64 { r := d.reportAt(x); return d.mosSaturationVoltage(&r.pt) },
		"id":    func(x []float64) float64 { r := d.reportAt(x); return r.pt.id - r.ibd },
		"is":    func(x []float64) float64 { r := d.reportAt(x); return -r.pt.id - r.ibs },
		"ib":    func(x []float64) float64 { r := d.reportAt(x); return r.ibd + r.ibs },
		"ig":    func(x []float64) float64 { return 0 },
		"gm":    func(x []float64) float64 { r := d.reportAt(x); g, _, _ := r.local(); return g },
		"gds":   func(x []float64) float64 { r := d.reportAt(x); _, g, _ := r.local(); return g },
		"gmbs":  func(x []float64) float64 { r := d.reportAt(x); _, _, g := r.local(); return g },
		"gmb":   func(x []float64) float64 { r := d.reportAt(x); _, _, g := r.local(); return g },
	}
}

// Report returns the VBIC's quantities: the static terminal currents ic, ib, ie (into
// the device) and is (out of it, as ngspice has it), the intrinsic junction voltages vbe, vbc, the small-signal gm and
// go (the forward transport current itzf by vbei and vbci), gpi and gmu (the base currents by vbei
// and vbci), gx (the intrinsic base conductance), the capacitances cbe, cbex, cbc,
// cbcx, cbep, cbcp, the charges qbe, qbc and the power p the device dissipates.
func (d *VBIC) Report(name string) (func(x []float64) float64, bool) {
	return d.reportTable().lookup(name)
}

// vbicTerminalOf gives the terminal each slot merges into when its resistance is zero.
var vbicTerminalOf = [vbicSlots]int{slC: slC, slCX: slC, slB: slB, slBX: slB, slE: slE, slEI: slE,
	slS: slS, slSI: slS, slCI: -1, slBI: -1, slBP: -1, slT: -1, slGND: -1}

func (d *VBIC) reportTable() reports {
	// at evaluates the device at x: its branches, scaled by area and m.
	at := func(x []float64) (out vbicEval) {
		var v [vbicNC]float64
		d.controls(x, &v)
		d.evalAt(&v, &out, true, reportGmin)
		for i := range out {
			out[i] = out[i].scale(d.scale)
		}
		return out
	}
	// terminal is the static current into the device at a terminal: every current branch
	// that leaves the terminal or the internal node merged into it (a zero resistance)
	// less every one that arrives, in the circuit's frame.
	terminal := func(slot int) func(x []float64) float64 {
		at0 := func(end int) bool { return vbicTerminalOf[end] == slot && d.slot[end] == d.slot[slot] }
		return func(x []float64) float64 {
			out := at(x)
			i := 0.0
			for br := 0; br < brQBE; br++ {
				b := vbicBranches[br]
				if !b.typed {
					continue
				}
				if at0(b.p) {
					i += d.typ * out[br].v
				}
				if at0(b.n) {
					i -= d.typ * out[br].v
				}
			}
			return i
		}
	}
	deriv := func(br, k int) func(x []float64) float64 {
		return func(x []float64) float64 { out := at(x); return out[br].d[k] }
	}
	value := func(br int) func(x []float64) float64 {
		return func(x []float64) float64 { out := at(x); return out[br].v }
	}
	// forward is a derivative of the forward transport current itzf alone, which ngspice
	// 39 reports as gm and go (in saturation the reverse part differs: at vce = 0, go is
	// -3.4e-6 S there where the whole transport current's is -1.2e-3 S, vbic_ac_par.sp)
	forward := func(k int) func(x []float64) float64 {
		return func(x []float64) float64 {
			var v [vbicNC]float64
			d.controls(x, &v)
			return d.scale * d.forwardTransport(&v).d[k]
		}
	}
	control := func(k int) func(x []float64) float64 {
		return func(x []float64) float64 {
			var v [vbicNC]float64
			d.controls(x, &v)
			return v[k]
		}
	}
	return reports{
		"ic": terminal(slC), "ib": terminal(slB), "ie": terminal(slE),
		// ngspice reports the substrate's current out of the device.
		"is":  func(x []float64) float64 { return -terminal(slS)(x) },
		"vbe": control(vcBEI), "vbc": control(vcBCI),
		"gm": forward(vcBEI), "go": forward(vcBCI),
		"gpi": deriv(brIBE, vcBEI), "gmu": deriv(brIBC, vcBCI), "gx": deriv(brIRBI, vcRBI),
		"cbe": deriv(brQBE, vcBEI), "cbex": deriv(brQBEX, vcBEX), "cbc": deriv(brQBC, vcBCI),
		"cbcx": deriv(brQBCX, vcBCX), "cbep": deriv(brQBEP, vcBEP), "cbcp": deriv(brQBCP, vcBCP),
		"qbe": value(brQBE), "qbc": value(brQBC),
		"p": func(x []float64) float64 {
			out := at(x)
			p := 0.0
			for br := 0; br < brQBE; br++ {
				if b := vbicBranches[br]; b.typed {
					p += out[br].v * d.typ * (x[d.slot[b.p]] - x[d.slot[b.n]])
				}
			}
			return p
		},
	}
}

// ReportCharge returns the charge whose time derivative is the capacitor's current i,
// from its first node through it to its second (ngspice's @c1[i]): C (va - vb), or C
// times its IC= with uic at a transient's initial point. A report of x alone cannot
// hold the current, which the integration method makes of the charge's history.
func (c *Capacitor) ReportCharge(name string) (func(x []float64, uic bool) float64, bool) {
	if name != "i" {
		return nil, false
	}
	return func(x []float64, uic bool) float64 {
		if uic && c.hasIC {
			return c.c * c.ic
		}
		return c.c * (x[c.a] - x[c.b])
	}, true
}

// Report returns the current i of a device with a branch of its own (a voltage source,
// a VCVS, a CCVS): its branch's unknown, into its first node, as ngspice's @v1[i].
func (br *branch) Report(name string) (func(x []float64) float64, bool) {
	return reports{"i": func(x []float64) float64 { return x[br.k] }}.lookup(name)
}

// Report returns the CCCS's output current i, from its first node through the source to
// its second: the gain times the controlling source's current.
func (f *CCCS) Report(name string) (func(x []float64) float64, bool) {
	return reports{"i": func(x []float64) float64 { return f.gain * x[f.kc] }}.lookup(name)
}
