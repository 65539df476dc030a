package analysis

import (
	"context"
	"math"
)

// TFSpec says where .tf excites the circuit and where it reads the answer. Indices are
// unknowns, 0 for ground.
type TFSpec struct {
	OutPlus, OutMinus int // a voltage output v(OutPlus, OutMinus); both 0 for a current output
	OutBranch         int // a current output: the branch of the voltage source it flows in
	InBranch          int // an input voltage source: its branch; 0 for a current source
	InFrom, InTo      int // an input current source's nodes: its current flows from InFrom through it to InTo
	SameSource        bool
	Names             [3]string // the transfer function's, the input impedance's and the output impedance's
}

// TF runs .tf: the operating point, the circuit linearized there (G), and two solves of
// G x = b, as ngspice's transfer-function analysis does. The first has a unit
// excitation at the input source (1 V in a voltage source's branch, 1 A through a current
// source) and gives the transfer function (the output's value) and the input impedance
// (-1/the source's current, or the voltage across the current source). The second has
// a unit current into the output node (out of its reference node) or 1 V in the
// output's source, and gives the output impedance (the voltage across the output, or
// 1/the source's current). Like ngspice, an input voltage source that takes no current
// (|i| < 1e-20) reports 1e20 Ω, and a current output reports 1/max(1e-20, i): 1e20 when
// the current comes out negative.
func TF(done context.Context, ckt *Circuit, opt Options, spec TFSpec, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	cols := make([]Column, 3)
	for i, n := range spec.Names {
		cols[i] = Column{Name: n, Quantity: Resistance}
	}
	cols[0].Quantity = Dimensionless
	if err := sink.Begin(cols); err != nil {
		return e.stats, err
	}
	solver, err := e.linearizedAtOP("tf")
	if err != nil {
		return e.finish(), err
	}
	x := make([]float64, e.sys.N+1)
	if spec.InBranch > 0 {
		x[spec.InBranch] = 1
	} else {
		x[spec.InFrom] -= 1
		x[spec.InTo] += 1
	}
	x[0] = 0
	if err := solver.Solve(x); err != nil {
		return e.finish(), &StopError{Analysis: "tf", Err: err}
	}
	var out [3]float64
	if spec.OutBranch > 0 {
		out[0] = x[spec.OutBranch]
	} else {
		out[0] = x[spec.OutPlus] - x[spec.OutMinus]
	}
	if spec.InBranch > 0 {
		out[1] = 1e20
		if i := x[spec.InBranch]; math.Abs(i) >= 1e-20 {
			out[1] = -1 / i
		}
	} else {
		out[1] = x[spec.InTo] - x[spec.InFrom]
	}
	if spec.SameSource {
		out[2] = out[1]
	} else {
		clear(x)
		if spec.OutBranch > 0 {
			x[spec.OutBranch] = 1
		} else {
			x[spec.OutPlus] -= 1
			x[spec.OutMinus] += 1
		}
		x[0] = 0
		if err := solver.Solve(x); err != nil {
			return e.finish(), &StopError{Analysis: "tf", Err: err}
		}
		if spec.OutBranch > 0 {
			out[2] = 1 / max(1e-20, x[spec.OutBranch])
		} else {
			out[2] = x[spec.OutMinus] - x[spec.OutPlus]
		}
	}
	e.stats.Points++
	stats := e.finish()
	stats.Factorizations += solver.Factors
	return stats, sink.Point(out[:])
}
