package gospice

import (
	"context"
	"strings"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/parser"
)

// Noise is a .noise analysis.
type Noise = parser.Noise

// runNoise runs .noise after resolving its output, input source and frequencies.
func (s *Simulation) runNoise(ctx context.Context, a *parser.Noise, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	freqs, err := analysis.NoiseFrequencies(a.Sweep, a.Points, a.Start, a.Stop)
	if err != nil {
		return analysis.Stats{}, parser.Errorf(a.Pos, ".noise: %v", err)
	}
	spec := analysis.NoiseSpec{Freqs: freqs, Kelvin: s.env.Temp + 273.15, Summary: a.Summary > 0}
	if spec.OutPlus, spec.OutMinus, _, err = s.outPort(a.Out, ".noise"); err != nil {
		return analysis.Stats{}, err
	}
	if spec.InBranch, spec.InFrom, spec.InTo, err = s.inputSource(a.Source, a.SrcPos, ".noise"); err != nil {
		return analysis.Stats{}, err
	}
	if missing := s.noiseless(); len(missing) > 0 {
		log(".noise: no noise model in gospice yet for %s: their noise is left out", strings.Join(missing, ", "))
	}
	return analysis.Noise(ctx, &s.ckt, s.opt, spec, sink, log)
}

// noiseless lists the semiconductor devices (D, Q, J, Z, M elements) that have no noise
// sources in gospice (MESFETs so far), whose noise ngspice would count.
func (s *Simulation) noiseless() []string {
	var names []string
	for _, d := range s.ckt.Devices {
		el := s.element(d.Name())
		if el == nil || !strings.ContainsRune("dqjzm", rune(el.Kind)) {
			continue
		}
		if _, ok := d.(devices.Noisy); !ok {
			names = append(names, d.Name())
		}
	}
	return names
}
