package control

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// Device quantities a script names, @m1[id] or @m.x1.mn1[id], that no line gives: in
// ngspice 39 they read the device's state after the last analysis (its last point), or,
// with .options savecurrents, the vectors of the device currents it saved. gospice makes
// them outputs of the analyses the script runs (the .probe outputs, which are left out
// where the device does not report the quantity) and then keeps the last value of each
// (Interp.devq), or the vector in the plot under savecurrents.

// deviceRef matches @name[quantity] in a script's text.
var deviceRef = regexp.MustCompile(`@([a-z_][^\s\[\]@(),=]*)\[([a-z_][a-z0-9_]*)\]`)

// noteDeviceRefs records the device quantities the lines name.
func (in *Interp) noteDeviceRefs(lines []parser.ControlLine) {
	for _, l := range lines {
		for _, m := range deviceRef.FindAllStringSubmatch(strings.ToLower(l.Text), -1) {
			if !slices.Contains(in.devRefs, m[0]) {
				in.devRefs = append(in.devRefs, m[0])
			}
		}
	}
}

// addDeviceProbes adds to c, about to run, an output for each device quantity the script
// names that is not a parameter its device's line gives, named as the script writes it.
func (in *Interp) addDeviceProbes(c *parser.Circuit) {
	for _, q := range in.namedQuantities() {
		e := q.e
		saved := slices.ContainsFunc(c.Saves, func(v parser.Vector) bool {
			return v.Kind == parser.VectorInternal && v.Device == e.Name && v.Var == q.name
		})
		if _, given := e.Param(q.name); given || saved {
			continue
		}
		c.Probes = append(slices.Clip(c.Probes), parser.Vector{Name: q.ref, Kind: parser.VectorInternal, Device: e.Name, Var: q.name})
		in.probed = append(in.probed, q.ref)
	}
}

// namedQuantity is a device quantity the script names: as written (@m1[id]), its
// element in the current circuit and the quantity's name.
type namedQuantity struct {
	ref, name string
	e         *parser.Element
}

// namedQuantities are the device quantities the script names whose device is an element
// of the current circuit.
func (in *Interp) namedQuantities() []namedQuantity {
	var out []namedQuantity
	for _, ref := range in.devRefs {
		m := deviceRef.FindStringSubmatch(ref)
		if k := in.elementIndex(m[1]); k >= 0 {
			out = append(out, namedQuantity{ref: ref, name: m[2], e: in.circuit.Elements[k]})
		}
	}
	return out
}

// takeDeviceValues moves the device quantities addDeviceProbes asked for out of a run's
// plot into Interp.devq, their values at its last point, unless .options savecurrents
// keeps them as vectors (as ngspice 39 saves device currents then) or a save command
// named them (cmdSave).
func (in *Interp) takeDeviceValues(p *Plot) {
	if slices.ContainsFunc(in.circuit.Options, func(o parser.Option) bool { return o.Name == "savecurrents" }) {
		return
	}
	p.Vecs = slices.DeleteFunc(p.Vecs, func(v *Vector) bool {
		if !slices.Contains(in.probed, v.Name) || slices.Contains(in.savedDevq, v.Name) {
			return false
		}
		if n := len(v.Real); n > 0 {
			in.devq[v.Name] = v.Real[n-1]
		} else if n := len(v.Cplx); n > 0 { // an .ac's: the operating point's value
			in.devq[v.Name] = real(v.Cplx[n-1])
		}
		return true
	})
}

// cmdSave: save's vectors are in the plots of the analyses after it, as in ngspice 39:
// its device quantities (save @q1[gm] @q1[cbe]) become vectors, and where the netlist's
// .save lines choose the vectors, its nodes, branch currents and all join them (without
// .save every node and branch is written anyway).
func (in *Interp) cmdSave(_ context.Context, c *pc.Command, args string) error {
	args = strings.ToLower(args)
	for _, m := range deviceRef.FindAllString(args, -1) {
		if !slices.Contains(in.savedDevq, m) {
			in.savedDevq = append(in.savedDevq, m)
		}
	}
	if len(in.circuit.Saves) == 0 {
		return nil
	}
	nc := in.cloneCircuit()
	for _, w := range strings.Fields(deviceRef.ReplaceAllString(args, "")) {
		if v, ok := savedVector(w, c.Pos); ok {
			nc.Saves = append(slices.Clip(nc.Saves), v)
		}
	}
	in.circuit = nc
	return nil
}

// savedVector is the vector a word of save names: all, v(node), i(device) or a node's
// name alone; ok is false for another form.
func savedVector(w string, pos parser.Pos) (parser.Vector, bool) {
	if w == "all" {
		return parser.Vector{Name: "all", Kind: parser.VectorAll, Pos: pos}, true
	}
	fn, arg, paren := strings.Cut(w, "(")
	arg, closed := strings.CutSuffix(arg, ")")
	switch {
	case !paren && !strings.ContainsAny(w, ")[]@,"):
		return parser.Vector{Name: "v(" + w + ")", Kind: parser.VectorVoltage, Nodes: []string{w}, Pos: pos}, true
	case !closed || arg == "" || strings.ContainsAny(arg, "(),"):
		return parser.Vector{}, false
	case fn == "v":
		return parser.Vector{Name: w, Kind: parser.VectorVoltage, Nodes: []string{arg}, Pos: pos}, true
	case fn == "i":
		return parser.Vector{Name: w, Kind: parser.VectorCurrent, Device: arg, Pos: pos}, true
	}
	return parser.Vector{}, false
}

// flatElementName is the flat name (x1.xi.rq) of an element by the name ngspice 39 gives
// it, its letter before its instances: r.x1.xi.rq, and r.x1.r.xi.rq for an element of
// a subcircuit defined inside another; ok is false for a name of another form.
func flatElementName(name string) (flat string, ok bool) {
	if len(name) < 3 || name[1] != '.' || name[0] < 'a' || name[0] > 'z' {
		return "", false
	}
	parts := strings.Split(name[2:], ".")
	kept := parts[:0]
	for i, p := range parts {
		if i == len(parts)-1 || p != name[:1] {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "."), true
}

// addSourceValues gives the quantities of independent sources the script names that
// are the source's own value at each point, as ngspice 39 reads them: a current
// source's current (@i1[current]), and the dc of a source a save command named
// (save @v1[dc]): over a .dc sweep of the source the swept values, in a transient its
// waveform at each time, else its DC value. A save command's are vectors of the plot;
// the others keep the value at the last point, as ngspice reads a device's state after
// an analysis (takeDeviceValues). Sources do not report these quantities themselves.
func (in *Interp) addSourceValues(p *Plot, a parser.Analysis) error {
	for _, q := range in.namedQuantities() {
		ref, e := q.ref, q.e
		saved := slices.Contains(in.savedDevq, ref)
		if e.Source() == nil || !(q.name == "current" && e.Kind == 'i' || q.name == "dc" && saved) {
			continue
		}
		vals, err := in.sourceValues(e, p, a)
		if err != nil || vals == nil {
			return err
		}
		if !saved {
			in.devq[ref] = vals[len(vals)-1]
			continue
		}
		typ := "current"
		if e.Kind == 'v' {
			typ = "voltage"
		}
		p.set(&Vector{Name: ref, Type: typ, Real: vals})
	}
	return nil
}

// sourceValues are the values of source e at the points of plot p of analysis a, or
// nil for an analysis whose points are not the source's (ac, noise ...).
func (in *Interp) sourceValues(e *parser.Element, p *Plot, a parser.Analysis) ([]float64, error) {
	scale := p.Scale()
	if scale == nil || scale.Len() == 0 {
		return nil, nil
	}
	constant := func(x float64) []float64 {
		out := make([]float64, scale.Len())
		for i := range out {
			out[i] = x
		}
		return out
	}
	switch a := a.(type) {
	case *parser.Tran:
		return devices.SourceValues(e, scale.Real, devices.Timing{Step: a.Step, Stop: a.Stop})
	case *parser.DC:
		if len(a.Sweeps) > 0 && a.Sweeps[0].Source == e.Name {
			return slices.Clone(scale.Real), nil
		}
		if len(a.Sweeps) > 1 && slices.ContainsFunc(a.Sweeps[1:], func(s parser.DCSweep) bool { return s.Source == e.Name }) {
			return nil, nil // an outer source of a nested sweep: its values are not in the plot
		}
		return in.opSourceValue(e, constant)
	case *parser.OP:
		return in.opSourceValue(e, constant)
	}
	return nil, nil
}

// opSourceValue is a source's value in an operating point, as its load takes it: its DC
// value, or without one its waveform at time 0, at every point.
func (in *Interp) opSourceValue(e *parser.Element, constant func(float64) []float64) ([]float64, error) {
	if e.Source().HasDC || e.Source().Wave == nil {
		return constant(e.Source().DC), nil
	}
	v, err := devices.SourceValues(e, []float64{0}, devices.Timing{})
	if err != nil {
		return nil, err
	}
	return constant(v[0]), nil
}
