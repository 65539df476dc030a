package analysis

import (
	"context"
)

// SensParam is one parameter that .sens differentiates its output by: its name (as
// ngspice names it: r1, r1_m, v1) and the derivative of the residual F by it at x,
// which DF adds to df.
type SensParam struct {
	Name string
	DF   func(x, df []float64)
}

// SensSpec is what .sens differentiates and by what. Indices are unknowns, 0 for ground.
type SensSpec struct {
	OutPlus, OutMinus int // a voltage output v(OutPlus, OutMinus)
	OutBranch         int // a current output: its voltage source's branch; 0 for a voltage output
	Params            []SensParam
}

// Sens runs .sens: the operating point x, then for each parameter p the derivative of
// x by p from F(x, p) = 0, G dx/dp = -dF/dp with G = dF/dx at x (one factorization,
// one solve per parameter), and of the output from it. ngspice gets dF/dp by perturbing
// each parameter; here a parameter's DF gives it exactly.
func Sens(done context.Context, ckt *Circuit, opt Options, spec SensSpec, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	cols := make([]Column, len(spec.Params))
	for i, p := range spec.Params {
		cols[i] = Column{Name: p.Name, Quantity: Dimensionless}
	}
	if err := sink.Begin(cols); err != nil {
		return e.stats, err
	}
	solver, err := e.linearizedAtOP("sens")
	if err != nil {
		return e.finish(), err
	}
	row := make([]float64, len(spec.Params))
	dx := make([]float64, e.sys.N+1)
	for i, p := range spec.Params {
		if err := done.Err(); err != nil {
			return e.finish(), &StopError{Analysis: "sens", Err: err}
		}
		clear(dx)
		p.DF(e.x, dx)
		for k := range dx {
			dx[k] = -dx[k]
		}
		dx[0] = 0
		if err := solver.Solve(dx); err != nil {
			return e.finish(), &StopError{Analysis: "sens", Err: err}
		}
		if spec.OutBranch > 0 {
			row[i] = dx[spec.OutBranch]
		} else {
			row[i] = dx[spec.OutPlus] - dx[spec.OutMinus]
		}
	}
	e.stats.Points++
	stats := e.finish()
	stats.Factorizations += solver.Factors
	return stats, sink.Point(row)
}
