package gospice

import (
	"context"
	"fmt"
	"math"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
)

// TranPause is what the control language's stop and resume ask of a transient or a .dc
// sweep: corners to land on, and a call after each point that may hold the run there.
type TranPause struct {
	// Times are corners a transient lands on exactly (a stop when time = T).
	Times []float64
	// At is called after each accepted point has gone to the sink. It returns at once to
	// go on, or blocks while the run is stopped, and returns the simulation to go on
	// with: nil for this one, or one built from its circuit with values altered while it
	// was stopped (the same nodes and devices). An error ends the run.
	At func(now float64) (*Simulation, error)
}

// CollectPaused runs a, a .tran or a .dc, as Collect does, stopping where p says. The
// Result fills as the run goes on: what it holds may be read while At blocks.
func (s *Simulation) CollectPaused(ctx context.Context, a parser.Analysis, r *Result, p *TranPause) error {
	kind := a.Name()
	s.pause = &analysis.Pause{Times: p.Times, At: func(now float64) (*analysis.Rebind, error) {
		next, err := p.At(now)
		if err != nil || next == nil || next == s {
			return nil, err
		}
		outs := next.outputs[kind]
		if len(outs) != len(s.outputs[kind]) {
			return nil, fmt.Errorf("the altered circuit has %d vectors, the stopped run %d", len(outs), len(s.outputs[kind]))
		}
		return &analysis.Rebind{Ckt: &next.ckt, Outputs: outs}, nil
	}}
	defer func() { s.pause = nil }()
	r.Analysis = a
	var err error
	r.Stats, err = s.Run(ctx, a, (*realCollector)(r), nil)
	return err
}

// Last is the last value of the real vector in column col (Names' order), or NaN when
// it has none.
func (r *Result) Last(col int) float64 {
	if col < 0 || col >= len(r.real) || len(r.real[col]) == 0 {
		return math.NaN()
	}
	return r.real[col][len(r.real[col])-1]
}
