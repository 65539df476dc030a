package gospice

import (
	"slices"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
)

// probedVectors is what an .op, .dc or .tran writes when no .print line chooses its
// vectors: those of .save, or every node and branch when there is no .save (all), and
// the .probe vectors, which ngspice 39 adds to either (see parser's probe.go).
func (s *Simulation) probedVectors() (vecs, probes []parser.Vector) {
	vecs, probes = s.savedVectors(), s.Circuit.Probes
	if len(vecs) == 0 && len(probes) > 0 {
		vecs = []parser.Vector{{Name: "all", Kind: parser.VectorAll}}
	}
	return vecs, probes
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

// appendProbes appends the outputs of the .probe vectors. A probe gospice cannot write
// (the current of a capacitor, say) is left out rather than stop the run: ngspice 39
// adds an ammeter inside such a device, which gospice does not, and before gospice read
// .probe it ignored the line whole.
func (s *Simulation) appendProbes(outs []analysis.Output, probes []parser.Vector) []analysis.Output {
	for _, v := range probes {
		if p, q, err := s.probe(v); err == nil {
			outs = append(outs, analysis.Output{Name: v.Name, Quantity: q, Probe: p})
		}
	}
	return outs
}
