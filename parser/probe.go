package parser

import "strings"

// probe reads .probe vectors. ngspice 39 adds each one to the vectors an analysis
// writes, whether a .save chose them or they are the default set (measured: .probe i(r1)
// with .save v(b) writes i(r1) and v(b); without the .save, i(r1) and every node and
// source). gospice does the same for v() and i() (Circuit.Probes); ngspice's other forms
// (alli, vd(), i(m1:d), device ports) are warned about and ignored.
func (e *elab) probe(d *DotLine) {
	if e.sc.inst != "" || e.sc.def.name != "" {
		e.warnf(toPos(d.Pos), ".probe inside .subckt %s ignored", e.sc.def.name)
		return
	}
	for _, it := range d.Items {
		if !plainProbe(it) {
			e.warnf(toPos(it.Pos), ".probe %s ignored: only v(node), v(a,b) and i(device) are read", itemText(it))
			continue
		}
		if v, ok := e.vector(it); ok {
			e.c.Probes = append(e.c.Probes, v)
		}
	}
}

// plainProbe reports whether it is v(node), v(a,b) or i(name), with plain names.
func plainProbe(it *Item) bool {
	t := it.Key
	fn := strings.ToLower(t.Word)
	if it.Value != nil || t.Args == nil || (fn != "v" && fn != "i") {
		return false
	}
	n := len(t.Args.Items)
	if n < 1 || n > 2 || fn == "i" && n != 1 {
		return false
	}
	for _, a := range t.Args.Items {
		name, ok := atom(a)
		if !ok || strings.ContainsAny(name, ":()") {
			return false
		}
	}
	return true
}
