package gospice

import (
	"context"
	"sort"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// SP is a .sp analysis: the S, Y and Z parameters of the circuit's ports.
type SP = parser.SP

// spPorts are the circuit's ports (voltage sources with portnum) in the order of their
// numbers, which must be 1 to N, each once, as ngspice requires.
func (s *Simulation) spPorts(a *parser.SP) ([]analysis.SPPort, error) {
	type numbered struct {
		num  int
		name string
		p    analysis.SPPort
	}
	var found []numbered
	for _, d := range s.ckt.Devices {
		v, ok := d.(*devices.VoltageSource)
		if !ok {
			continue
		}
		if num, z0, plus, minus, branch, ok := v.Port(); ok {
			found = append(found, numbered{num, v.Name(), analysis.SPPort{Z0: z0, Plus: plus, Minus: minus, Branch: branch}})
		}
	}
	if len(found) == 0 {
		return nil, parser.Errorf(a.Pos, ".sp: the circuit has no ports: give voltage sources portnum 1, 2, ... (V1 in 0 dc 0 ac 1 portnum 1 z0 50)")
	}
	sort.Slice(found, func(i, j int) bool { return found[i].num < found[j].num })
	ports := make([]analysis.SPPort, len(found))
	for i, f := range found {
		switch {
		case i > 0 && f.num == found[i-1].num:
			return nil, parser.Errorf(s.element(f.name).Pos, ".sp: %s and %s are both port %d", found[i-1].name, f.name, f.num)
		case f.num != i+1:
			return nil, parser.Errorf(s.element(f.name).Pos, ".sp: %s is port %d, but there is no port %d: the ports must be numbered 1 to %d", f.name, f.num, i+1, len(found))
		}
		ports[i] = f.p
	}
	return ports, nil
}

// runSP runs .sp with the outputs given (the AC vectors, as real columns or pairs).
func (s *Simulation) runSP(ctx context.Context, a *parser.SP, outs []analysis.ACOutput, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	freqs, err := analysis.ACFrequencies(a.Sweep, a.Points, a.Start, a.Stop)
	if err != nil {
		return analysis.Stats{}, parser.Errorf(a.Pos, ".sp: %v", err)
	}
	ports, err := s.spPorts(a)
	if err != nil {
		return analysis.Stats{}, err
	}
	spec := analysis.SPSpec{Freqs: freqs, Ports: ports, Noise: a.Noise, Kelvin: s.env.Temp + 273.15}
	return analysis.SP(ctx, &s.ckt, s.opt, spec, outs, sink, analysis.Logger(log))
}
