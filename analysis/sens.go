package analysis

import (
	"context"
	"math"

	"github.com/gospice/gospice/mna"
)

// SensParam is one parameter that .sens differentiates its output by: its name (as
// ngspice names it: r1, r1_m, v1) and the derivative of the residual F by it. DF adds
// it at the operating point x to df (DC); DFAC adds that of the small-signal residual
// (G + jwC) x - b at the AC solution x and w = 2 pi f (AC). A nil one is 0: a parameter
// ngspice lists that the output does not depend on (r1_l of a resistor given its value,
// a capacitor's in DC).
type SensParam struct {
	Name string
	DF   func(x, df []float64)
	DFAC func(x []complex128, w float64, df []complex128)
}

// SensSpec is what .sens differentiates and by what. Indices are unknowns, 0 for ground.
type SensSpec struct {
	OutPlus, OutMinus int // a voltage output v(OutPlus, OutMinus)
	OutBranch         int // a current output: its voltage source's branch; 0 for a voltage output
	Params            []SensParam
	Freqs             []float64 // the AC form's frequencies; nil for DC
	OutQuantity       Quantity  // of the AC form's columns: Voltage or Current
}

// Sens runs .sens: the operating point x, then for each parameter p the derivative of
// x by p from F(x, p) = 0, G dx/dp = -dF/dp with G = dF/dx at x (one factorization,
// one solve per parameter), and of the output from it. ngspice gets dF/dp by perturbing
// each parameter; here a parameter's DF gives it exactly. With Freqs, SensAC.
func Sens(done context.Context, ckt *Circuit, opt Options, spec SensSpec, sink Sink, log Logger) (Stats, error) {
	if spec.Freqs != nil {
		return SensAC(done, ckt, opt, spec, sink, log)
	}
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
		if p.DF == nil {
			row[i] = 0
			continue
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
		row[i] = sensOutput(&spec, dx)
	}
	e.stats.Points++
	stats := e.finish()
	stats.Factorizations += solver.Factors
	return stats, sink.Point(row)
}

// sensOutput is the output's part of a solution, DC or AC.
func sensOutput[T float64 | complex128](spec *SensSpec, x []T) T {
	if spec.OutBranch > 0 {
		return x[spec.OutBranch]
	}
	return x[spec.OutPlus] - x[spec.OutMinus]
}

// SensAC runs .sens ... ac, ngspice's AC sensitivities: at each frequency the AC solution
// x of (G + jwC) x = b (b the sources' AC values) at the operating point, then for each
// parameter dx/dp = -(G + jwC)^-1 dF/dp, with F = (G + jwC) x - b, and the output's
// part of it: one factorization per frequency, one solve per parameter. Each point is
// the frequency, then the real and imaginary parts of each parameter's sensitivity,
// re(name) and im(name).
func SensAC(done context.Context, ckt *Circuit, opt Options, spec SensSpec, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	cols := []Column{{Name: "frequency", Quantity: Frequency}}
	for _, p := range spec.Params {
		cols = append(cols,
			Column{Name: "re(" + p.Name + ")", Quantity: spec.OutQuantity, Part: Real, Vector: p.Name},
			Column{Name: "im(" + p.Name + ")", Quantity: spec.OutQuantity, Part: Imag, Vector: p.Name})
	}
	if err := sink.Begin(cols); err != nil {
		return e.stats, err
	}
	lin := newACLinearization(e, spec.Freqs)
	if err := e.loadAtOP("sens"); err != nil {
		return e.finish(), err
	}
	sys := e.sys
	excitation := e.acExcitation()
	jac := make([]complex128, sys.NumHandles())
	x := make([]complex128, sys.N+1)
	dx := make([]complex128, sys.N+1)
	row := make([]float64, len(cols))
	solver := mna.NewSolver[complex128](sys)
	for _, f := range spec.Freqs {
		if err := e.acStep(done, "sens", lin, solver, jac, f); err != nil {
			return e.finish(), err
		}
		copy(x, excitation)
		if err := acSolve(solver, x, "sens", f); err != nil {
			return e.finish(), err
		}
		row[0] = f
		for i, p := range spec.Params {
			var s complex128
			if p.DFAC != nil {
				clear(dx)
				p.DFAC(x, 2*math.Pi*f, dx)
				for k := range dx {
					dx[k] = -dx[k]
				}
				dx[0] = 0
				if err := acSolve(solver, dx, "sens", f); err != nil {
					return e.finish(), err
				}
				s = sensOutput(&spec, dx)
			}
			row[1+2*i], row[2+2*i] = real(s), imag(s)
		}
		if err := e.point(sink, row); err != nil {
			return e.finish(), err
		}
	}
	return e.finishSmallSignal(solver), nil
}
