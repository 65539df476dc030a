package gospice

import (
	"context"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// PZ is a .pz analysis: poles and zeros of a transfer function.
type PZ = parser.PZ

// runPZ runs .pz after resolving its nodes. A voltage input across which a voltage
// source is connected is driven by that source (ngspice's filt_rc.cir has one).
func (s *Simulation) runPZ(ctx context.Context, a *parser.PZ, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	spec := analysis.PZSpec{Current: a.Current, Poles: a.Poles, Zeros: a.Zeros}
	idx := [4]*int{&spec.InPlus, &spec.InMinus, &spec.OutPlus, &spec.OutMinus}
	for i, n := range append(a.In[:], a.Out[:]...) {
		k, ok := s.ckt.Sys.Lookup("v(" + n + ")")
		if !ok && n != "0" {
			return analysis.Stats{}, parser.Errorf(a.NodePos[i], ".pz: no node %q in the circuit%s", n, s.suggestUnknown("v("+n+")"))
		}
		*idx[i] = k
	}
	if !a.Current {
		spec.InBranch = s.sourceAcross(a.In)
	}
	return analysis.PZ(ctx, &s.ckt, s.opt, spec, sink, analysis.Logger(log))
}

// sourceAcross is the branch of an independent voltage source connected across the two
// nodes (either way round), 0 when there is none.
func (s *Simulation) sourceAcross(nodes [2]string) int {
	for _, d := range s.ckt.Devices {
		if _, ok := d.(*devices.VoltageSource); !ok {
			continue
		}
		el := s.element(d.Name())
		if el == nil || len(el.Nodes) < 2 {
			continue
		}
		if el.Nodes[0] == nodes[0] && el.Nodes[1] == nodes[1] || el.Nodes[0] == nodes[1] && el.Nodes[1] == nodes[0] {
			branch, _ := s.ckt.Sys.Lookup("i(" + el.Name + ")")
			return branch
		}
	}
	return 0
}
