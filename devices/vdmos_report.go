package devices

// Report returns a VDMOS's drain current id (A): its channel's, from the inner drain to
// the inner source, in the n-type frame, at the junction temperature with self-heating,
// as ngspice's @m1[id] (its body diode's current is not in it).
func (d *VDMOS) Report(name string) (func(x []float64) float64, bool) {
	if name != "id" {
		return nil, false
	}
	return func(x []float64) float64 {
		vs := x[d.t[vdS]]
		vgs, vds := d.typ*(x[d.t[vdG]]-vs), d.typ*(x[d.t[vdD]]-vs)
		ch := d.ch
		if d.th != nil {
			ch, _ = d.th.at(d.th.temp+x[d.th.tj], &d.ch)
		}
		id, _, _ := ch.channel(vgs, vds)
		return id
	}, true
}
