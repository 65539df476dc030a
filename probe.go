package gospice

import (
	"slices"
	"strings"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
)

// probedVectors is what an .op, .dc or .tran writes when no .print line chooses its
// vectors: those of .save, or every node and branch when there is no .save (all), and
// the .probe vectors, which ngspice 39 adds to either (see parser's probe.go).
func (s *Simulation) probedVectors() (vecs, probes []parser.Vector) {
	vecs, probes = s.savedVectors(), s.Circuit.Probes
	if saved := s.savedCurrents(); len(saved) > 0 {
		probes = append(slices.Clip(probes), saved...)
	}
	if len(vecs) == 0 && len(probes) > 0 {
		vecs = []parser.Vector{{Name: "all", Kind: parser.VectorAll}}
	}
	return vecs, probes
}

// savedCurrentNames are the device currents ngspice 39 saves under .options
// savecurrents, by the element's letter: every terminal current of a diode, BJT and
// MOSFET (VDMOS, BSIM4 too), the one current of R, C, L, G and B.
var savedCurrentNames = map[byte][]string{
	'r': {"i"}, 'c': {"i"}, 'l': {"i"}, 'g': {"i"},
	'd': {"id"}, 'q': {"ic", "ie", "ib", "is"}, 'm': {"id", "is", "ig", "ib"}, 'b': {"i"},
}

// acZeroReports are the device reports that ngspice 39 writes as 0 in an .ac, where its
// devices refuse to report a current (measured with .save and .options savecurrents), by
// the element's letter: the current of a two-terminal device (but a B source's), a
// resistor's power, a BJT's emitter and substrate currents, a MOSFET's but the drain's.
// The others are written as the operating point's values.
var acZeroReports = map[byte][]string{
	'r': {"i", "p"}, 'c': {"i"}, 'l': {"i"}, 'g': {"i"}, 'v': {"i"}, 'e': {"i"}, 'f': {"i"}, 'h': {"i"},
	'q': {"ie", "is"}, 'm': {"is", "ig", "ib"},
}

// zeroedInAC is the .ac output o of the vector v, written as 0 when v is a device
// quantity of acZeroReports. (A .control script's own reads of a device, which ngspice
// 39 answers from the device's state, keep the operating point's value.)
func zeroedInAC(o analysis.ACOutput, v parser.Vector) analysis.ACOutput {
	if v.Kind != parser.VectorInternal {
		return o
	}
	name := v.Device[strings.LastIndexByte(v.Device, '.')+1:] // x1.m1 is an m
	if name != "" && slices.Contains(acZeroReports[name[0]], v.Var) {
		o.OP = funcProbe(func([]float64) float64 { return 0 })
	}
	return o
}

// savedCurrents are the .probe vectors .options savecurrents adds, as ngspice 39 saves
// them: the device currents of savedCurrentNames, element by element in netlist order,
// named as ngspice names them (@r1[i], @m.x1.m1[id] in a subcircuit). The currents a
// device does not report are left out (appendProbes).
func (s *Simulation) savedCurrents() []parser.Vector {
	if !slices.ContainsFunc(s.Circuit.Options, func(o parser.Option) bool { return o.Name == "savecurrents" }) {
		return nil
	}
	var vecs []parser.Vector
	for _, e := range s.Circuit.Elements {
		name := e.Name
		if strings.Contains(name, ".") {
			name = string(e.Kind) + "." + name // ngspice's name of an element of a subcircuit
		}
		for _, q := range savedCurrentNames[e.Kind] {
			v := parser.Vector{Name: "@" + name + "[" + q + "]", Kind: parser.VectorInternal, Device: e.Name, Var: q, Pos: e.Pos}
			if !slices.ContainsFunc(s.Circuit.Probes, func(p parser.Vector) bool { return p.Name == v.Name }) {
				vecs = append(vecs, v)
			}
		}
	}
	return vecs
}

// savedVectors are the .save vectors but those that name a .noise vector
// (inoise_spectrum, say) rather than a node: ngspice 39 saves them in .noise only and
// leaves them out of the other analyses, where gospice's .save reads them as nodes.
func (s *Simulation) savedVectors() []parser.Vector {
	var vecs []parser.Vector
	for _, v := range s.Circuit.Saves {
		if v.Kind == parser.VectorVoltage && len(v.Nodes) == 1 && slices.Contains(analysis.NoiseColumns, v.Nodes[0]) {
			if _, ok := s.ckt.Sys.Lookup("v(" + v.Nodes[0] + ")"); !ok {
				continue
			}
		}
		vecs = append(vecs, v)
	}
	return vecs
}

// appendProbes appends the outputs of the .probe vectors (those .print or .save chose
// already aside). A probe of a node that does not exist is left out rather than stop the
// run, as ngspice leaves it out.
func (s *Simulation) appendProbes(outs []analysis.Output, probes []parser.Vector) []analysis.Output {
	named := map[string]bool{}
	for _, o := range outs {
		named[o.Name] = true
	}
	for _, v := range probes {
		if named[v.Name] {
			continue
		}
		if p, q, err := s.probe(v); err == nil {
			outs = append(outs, analysis.Output{Name: v.Name, Quantity: q, Probe: p})
		}
	}
	return outs
}

// appendACProbes appends the .probe vectors (and those of .options savecurrents) to an
// .ac's outputs, each as its real and imaginary parts, as ngspice 39 writes them in its
// AC plot too (its power, p(), aside).
func (s *Simulation) appendACProbes(outs []analysis.ACOutput, probes []parser.Vector, both func(analysis.ACOutput)) {
	named := map[string]bool{}
	for _, o := range outs {
		named[o.Vector] = true
	}
	for _, v := range probes {
		if v.Kind == parser.VectorPower || named[v.Name] {
			continue
		}
		if o, plain, err := s.acVector(v); err == nil && plain {
			if !slices.ContainsFunc(s.Circuit.Probes, func(p parser.Vector) bool { return p.Name == v.Name }) {
				o = zeroedInAC(o, v) // a current .options savecurrents saves
			}
			o.Name, o.Vector = v.Name, v.Name
			both(o)
		}
	}
}

// terminalPower is the power a device takes, from the .probe ammeters at its terminals:
// the sum of each terminal's voltage times the current into it, or with one ammeter
// (a two-terminal device) the voltage across it times its current.
type terminalPower struct {
	nodes, currents []int
}

func (p terminalPower) Value(x []float64) float64 {
	if len(p.currents) == 1 {
		return (x[p.nodes[0]] - x[p.nodes[1]]) * x[p.currents[0]]
	}
	var sum float64
	for k, n := range p.nodes {
		sum += x[n] * x[p.currents[k]]
	}
	return sum
}

// terminalPowerProbe resolves a .probe p(dev) (parser.Vector.Ammeters).
func (s *Simulation) terminalPowerProbe(v parser.Vector) (analysis.Probe, analysis.Quantity, error) {
	var p terminalPower
	for _, n := range v.Nodes {
		i, _ := s.ckt.Sys.Lookup("v(" + n + ")") // ground is 0
		p.nodes = append(p.nodes, i)
	}
	for _, a := range v.Ammeters {
		i, ok := s.ckt.Sys.Lookup("i(" + a + ")")
		if !ok {
			return nil, 0, parser.Errorf(v.Pos, "cannot output %s: no current %s", v.Name, a)
		}
		p.currents = append(p.currents, i)
	}
	return p, analysis.Power, nil
}
