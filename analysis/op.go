package analysis

import (
	"context"
	"errors"
	"math"

	"github.com/gospice/gospice/mna"
)

// OP runs the operating point and delivers its one row of outputs.
func OP(done context.Context, ckt *Circuit, opt Options, outputs []Output, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	if err := sink.Begin(columns(nil, outputs)); err != nil {
		return e.stats, err
	}
	if err := e.operatingPoint(); err != nil {
		return e.finish(), &StopError{Analysis: "op", Err: err}
	}
	row := make([]float64, len(outputs))
	fill(row, outputs, e.x)
	e.stats.Points++
	return e.finish(), sink.Point(row)
}

func (e *engine) finish() Stats {
	e.stats.Factorizations = e.solver.Factors
	e.stats.Bypassed = 0
	for _, l := range e.loaders {
		if b, ok := l.(interface{ Bypassed() int }); ok {
			e.stats.Bypassed += b.Bypassed()
		}
	}
	return e.stats
}

// operatingPoint solves F(x) = 0 from x = 0: plain Newton, then gmin stepping, then
// source stepping, as SPICE does. The mode (.op or the transient's initial point) is e.ctx.Mode.
func (e *engine) operatingPoint() error {
	e.alpha = 0
	clear(e.hist)
	_, first := e.newtonFromZero()
	if first == nil || e.done.Err() != nil {
		return first
	}
	if err := e.gminStepping(); err == nil {
		e.log("operating point: plain Newton failed (%s); gmin stepping converged", briefly(first))
		return nil
	} else if e.done.Err() != nil {
		return err
	}
	if err := e.sourceStepping(); err == nil {
		e.log("operating point: plain Newton and gmin stepping failed (%s); source stepping converged", briefly(first))
		return nil
	} else if e.done.Err() != nil {
		return err
	}
	return first
}

// briefly describes why plain Newton failed, when a later method succeeded. A singular
// matrix met on the way is not a floating node (the circuit has a solution): a chain
// of amplifying stages, all biased at the same voltage by the first iterate, makes a
// Jacobian of condition 1e40 and more, which the LU rightly refuses to solve.
func briefly(err error) string {
	var s *mna.SingularError
	if errors.As(err, &s) {
		return "a Newton iterate met a singular Jacobian, at " + s.Unknown.Label()
	}
	return err.Error()
}

// newtonFromZero solves from x = 0, with SPICE's initial junction voltages.
func (e *engine) newtonFromZero() (int, error) {
	clear(e.x)
	e.initJunctions = true
	defer func() { e.initJunctions = false }()
	return e.newton(e.opt.ITL1)
}

// gminStepping solves with a large conductance from every node to ground and lowers it
// step by step, each solution the start of the next; the step adapts to how hard it was.
func (e *engine) gminStepping() error {
	defer func() { e.diagGmin = 0 }()
	saved := make([]float64, len(e.x))
	gmin, factor := 1e-2, 10.0
	lastGood := 0.0
	for {
		e.diagGmin = gmin
		var iters int
		var err error
		if lastGood == 0 {
			iters, err = e.newtonFromZero()
		} else {
			iters, err = e.newton(e.opt.ITL1)
		}
		if err == nil {
			copy(saved, e.x)
			lastGood = gmin
			if gmin == 0 {
				return nil
			}
			switch {
			case iters <= e.opt.ITL1/4:
				factor = min(factor*factor, 10)
			case iters > 3*e.opt.ITL1/4:
				factor = max(1.00005, factor/2)
			}
			gmin /= factor
			if gmin < e.opt.Gmin {
				gmin = 0
			}
		} else {
			if lastGood == 0 || e.done.Err() != nil {
				return err
			}
			factor = sqrtFactor(factor)
			if factor < 1.00005 {
				return err
			}
			copy(e.x, saved)
			gmin = lastGood / factor
		}
	}
}

// sqrtFactor backs off a gmin factor after a failure, as ngspice does: its fourth root.
func sqrtFactor(f float64) float64 { return math.Sqrt(math.Sqrt(f)) }

// sourceStepping ramps every independent source from zero, each solution the start of the next.
func (e *engine) sourceStepping() error {
	defer func() { e.ctx.SrcFactor = 1 }()
	saved := make([]float64, len(e.x))
	e.ctx.SrcFactor = 0
	if _, err := e.newtonFromZero(); err != nil {
		if err := e.gminStepping(); err != nil {
			return err
		}
	}
	copy(saved, e.x)
	done, raise := 0.0, 1e-3
	for done < 1 {
		e.ctx.SrcFactor = min(1, done+raise)
		iters, err := e.newton(e.opt.ITL1)
		if err == nil {
			done = e.ctx.SrcFactor
			copy(saved, e.x)
			if iters <= e.opt.ITL1/4 {
				raise *= 1.5
			}
			continue
		}
		if e.done.Err() != nil {
			return err
		}
		copy(e.x, saved)
		raise /= 10
		if raise < 1e-7 {
			return errors.New("source stepping failed")
		}
	}
	return nil
}

// columns describes the outputs, after the scale's columns.
func columns(scale []Column, outputs []Output) []Column {
	cols := append([]Column(nil), scale...)
	for _, o := range outputs {
		cols = append(cols, Column{Name: o.Name, Quantity: o.Quantity})
	}
	return cols
}

func fill(row []float64, outputs []Output, x []float64) {
	for i, o := range outputs {
		row[i] = o.Probe.Value(x)
	}
}
