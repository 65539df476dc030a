package devices

// Report returns a VDMOS's quantities as ngspice's @m1[...] gives them, in the n-type
// frame, at the junction temperature with self-heating: the channel's current id (from
// the inner drain to the inner source; the body diode's current is not in it) and is
// (-id; ig is 0 in DC), the inner vgs and vds, gm and gds, the threshold von (unlike
// the others in the device's own frame, typ times the n-type one, as ngspice has it);
// the capacitances cgs (the card's), cgd (the gate-drain capacitance at the inner vgd, the
// whole one, not the half loadCharges averages) and cds (the body diode's); and the
// body diode's static current idio.
func (d *VDMOS) Report(name string) (func(x []float64) float64, bool) {
	return d.reportTable().lookup(name)
}

// vdmosReport is a VDMOS's channel evaluated for a report.
type vdmosReport struct{ vgs, vds, von, id, gm, gds float64 }

func (d *VDMOS) reportAt(x []float64) (r vdmosReport) {
	vs := x[d.t[vdS]]
	r.vgs, r.vds = d.typ*(x[d.t[vdG]]-vs), d.typ*(x[d.t[vdD]]-vs)
	ch := d.ch
	if d.th != nil {
		ch, _ = d.th.at(d.th.temp+x[d.th.tj], &d.ch)
	}
	r.id, r.gm, r.gds = ch.channel(r.vgs, r.vds)
	r.von = d.typ * ch.von // in the device's own frame, as ngspice reports it
	return r
}

func (d *VDMOS) reportTable() reports {
	body := d.body.reportTable()
	return reports{
		"id":  func(x []float64) float64 { return d.reportAt(x).id },
		"is":  func(x []float64) float64 { return -d.reportAt(x).id },
		"ig":  func(x []float64) float64 { return 0 },
		"vgs": func(x []float64) float64 { return d.reportAt(x).vgs },
		"vds": func(x []float64) float64 { return d.reportAt(x).vds },
		"von": func(x []float64) float64 { return d.reportAt(x).von },
		"gm":  func(x []float64) float64 { return d.reportAt(x).gm },
		"gds": func(x []float64) float64 { return d.reportAt(x).gds },
		"cgs": func(x []float64) float64 { return d.cgs },
		"cgd": func(x []float64) float64 {
			half, _ := d.cgdHalf(d.typ * (x[d.t[vdG]] - x[d.t[vdD]]))
			return 2 * half
		},
		"cds":  body["cd"],
		"idio": body["id"],
	}
}
