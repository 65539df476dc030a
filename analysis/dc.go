package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/gospice/gospice/devices"
)

// Sweepable is an independent source whose DC value a .dc sweep sets.
type Sweepable interface {
	DC() float64
	SetDC(v float64)
}

// Rebuilder is a Sweepable whose SetDC replaces the circuit's devices in place (a
// temperature sweep builds them again at each temperature, with the same unknowns and
// matrix entries): the engine then sorts them afresh.
type Rebuilder interface {
	Sweepable
	Rebuilds()
}

// Sweep is one swept source of a .dc analysis and its values in order.
type Sweep struct {
	Name   string // the source's name: the column's name
	Source Sweepable
	Values []float64
}

// MaxSweepPoints bounds the values of one swept source, MaxDCPoints the points of a
// whole .dc (a nested sweep computes the product of its sweeps' values).
const (
	MaxSweepPoints = 1e7
	MaxDCPoints    = 1e8
)

// SweepValues lists start, start+step, ... up to stop (within rounding), as SPICE does.
func SweepValues(start, stop, step float64) ([]float64, error) {
	if start == stop {
		return []float64{start}, nil
	}
	if step == 0 || math.IsNaN(step) || (stop-start)/step < 0 {
		return nil, fmt.Errorf("the step %g does not lead from %g to %g", step, start, stop)
	}
	n := math.Floor((stop-start)/step + 1e-9)
	if n >= MaxSweepPoints {
		return nil, fmt.Errorf("the sweep from %g to %g by %g has %.3g points, more than 10 million", start, stop, step, n+1)
	}
	values := make([]float64, int(n)+1)
	for k := range values {
		values[k] = start + float64(k)*step
	}
	return values, nil
}

// DC runs a .dc sweep: the first sweep is the inner loop, the second (if any) the outer.
// Each point starts from the solution of the one before, with itl2 iterations, and falls
// back to the full operating-point procedure when that fails. Rows are delivered with the
// inner source first, then the outer source, then the outputs.
func DC(done context.Context, ckt *Circuit, opt Options, sweeps []Sweep, outputs []Output, sink Sink, log Logger) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	var cols []string
	for _, s := range sweeps {
		cols = append(cols, s.Name)
	}
	if err := sink.Begin(append(cols, names("", outputs)...)); err != nil {
		return e.stats, err
	}
	saved := make([]float64, len(sweeps))
	for i, s := range sweeps {
		saved[i] = s.Source.DC()
	}
	defer func() {
		for i, s := range sweeps {
			s.Source.SetDC(saved[i])
		}
	}()

	inner, outer := sweeps[0], Sweep{Values: []float64{0}}
	if len(sweeps) > 1 {
		outer = sweeps[1]
	}
	row := make([]float64, len(sweeps)+len(outputs))
	e.ctx.Mode = devices.ModeOP
	first := true
	for _, vo := range outer.Values {
		if outer.Source != nil {
			outer.Source.SetDC(vo)
			if _, ok := outer.Source.(Rebuilder); ok {
				e.classify()
			}
		}
		_, rebuilds := inner.Source.(Rebuilder)
		for _, vi := range inner.Values {
			inner.Source.SetDC(vi)
			if rebuilds {
				e.classify()
			}
			if err := e.dcPoint(first); err != nil {
				return e.finish(), &StopError{Analysis: "dc", Err: fmt.Errorf("at %s: %w", pointName(inner, outer, vi, vo), err)}
			}
			first = false
			row[0] = vi
			if outer.Source != nil {
				row[1] = vo
			}
			fill(row[len(sweeps):], outputs, e.x)
			e.stats.Points++
			if err := sink.Point(row); err != nil {
				return e.finish(), err
			}
		}
	}
	return e.finish(), nil
}

// dcPoint solves one sweep point from the previous solution, or from scratch.
func (e *engine) dcPoint(first bool) error {
	if !first {
		if _, err := e.newton(e.opt.ITL2); err == nil || e.done.Err() != nil {
			return err
		}
	}
	return e.operatingPoint()
}

func pointName(inner, outer Sweep, vi, vo float64) string {
	if outer.Source == nil {
		return fmt.Sprintf("%s = %g", inner.Name, vi)
	}
	return fmt.Sprintf("%s = %g, %s = %g", inner.Name, vi, outer.Name, vo)
}
