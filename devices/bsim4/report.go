package bsim4

// reportGmin is the gmin across the junctions in reported currents: SPICE's default.
const reportGmin = 1e-12

// Report returns what ngspice's @m1[name] reports of a BSIM4 device, static (DC)
// quantities evaluated afresh at x in the n-channel frame: id (the channel current from
// the local drain to the local source, less the bulk-drain junction's: positive also
// when vds < 0, and without the substrate current, GIDL and gate tunnelling, as
// ngspice's), gm, gds, gmbs (the channel current's derivatives by the local vgs, vds,
// vbs, as ngspice's: checked with vds < 0 too), vth, vdsat, vgs, vds, vbs, ibd and ibs (the junction
// currents from the bulk); currents and conductances times m.
func (d *Device) Report(name string) (func(x []float64) float64, bool) {
	m := d.m
	eval := func(x []float64) (evalOut, dcOut) {
		v := d.biasAt(x)
		var e evalOut
		d.eval(v, reportGmin, false, &e)
		var o dcOut
		d.dc(v[bGS], v[bDS], v[bBS], &o)
		return e, o
	}
	var f func(x []float64) float64
	switch name {
	case "id":
		f = func(x []float64) float64 { e, _ := eval(x); return m * (e.ids.v - e.ibd) }
	case "gm":
		f = func(x []float64) float64 { e, _ := eval(x); return m * e.ids.g }
	case "gds":
		f = func(x []float64) float64 {
			e, o := eval(x)
			if o.mode < 0 { // by the local vds, as ngspice reports it: vds, vgs, vbs move together
				return -m * (e.ids.g + e.ids.d + e.ids.b)
			}
			return m * e.ids.d
		}
	case "gmbs":
		f = func(x []float64) float64 { e, _ := eval(x); return m * e.ids.b }
	case "ibd":
		f = func(x []float64) float64 { e, _ := eval(x); return m * e.ibd }
	case "ibs":
		f = func(x []float64) float64 { e, _ := eval(x); return m * e.ibs }
	case "vth":
		f = func(x []float64) float64 { _, o := eval(x); return o.vth.v }
	case "vdsat":
		f = func(x []float64) float64 { _, o := eval(x); return o.vdsat }
	case "vgs", "vds", "vbs":
		k := map[string]int{"vgs": bGS, "vds": bDS, "vbs": bBS}[name]
		f = func(x []float64) float64 { return d.biasAt(x)[k] }
	default:
		return nil, false
	}
	return f, true
}
