package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/gospice/gospice/devices"
)

// Sweep is one swept quantity of a .dc analysis and its values in order: a device of the
// circuit (an independent source or a resistor, devices.Sweepable), or the temperature.
type Sweep struct {
	Name     string   // the source's name, or "temp": the column's name
	Quantity Quantity // the swept value's
	Device   int      // the index of the swept device in Circuit.Devices; -1 for the temperature
	Temps    Temperatures
	Values   []float64
}

// Temperatures gives the circuit's devices built at a temperature of a .dc temp sweep,
// with the same unknowns and matrix entries as the circuit's own.
type Temperatures interface {
	At(temp float64) []devices.Device
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
//
// A swept device is set in a copy that this run owns (its devices.SweptLoader). At each
// temperature of a temperature sweep the run loads the devices built at that temperature,
// each temperature's Loaders kept for when it comes again, with the swept device's copy in
// its place; the solution goes on from the previous temperature's, as in ngspice.
func DC(done context.Context, ckt *Circuit, opt Options, sweeps []Sweep, outputs []Output, sink Sink, log Logger) (Stats, error) {
	return DCPaused(done, ckt, opt, sweeps, outputs, sink, log, nil)
}

// DCPaused is DC, stopped after a point where pause says (pause.go; nil: never).
func DCPaused(done context.Context, ckt *Circuit, opt Options, sweeps []Sweep, outputs []Output, sink Sink, log Logger, pause *Pause) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	var scale []Column
	for _, s := range sweeps {
		scale = append(scale, Column{Name: s.Name, Quantity: s.Quantity})
	}
	if err := sink.Begin(columns(scale, outputs)); err != nil {
		return e.stats, err
	}
	d := newDCRun(e, sweeps)
	inner, outer := sweeps[0], Sweep{Device: -1, Values: []float64{0}}
	if len(sweeps) > 1 {
		outer = sweeps[1]
	}
	row := make([]float64, len(sweeps)+len(outputs))
	e.ctx.Mode = devices.ModeOP
	first := true
	for _, vo := range outer.Values {
		if len(sweeps) > 1 {
			d.set(1, vo)
		}
		for _, vi := range inner.Values {
			d.set(0, vi)
			if err := e.dcPoint(first); err != nil {
				return e.finish(), &StopError{Analysis: "dc", Err: fmt.Errorf("at %s: %w", pointName(sweeps, vi, vo), err)}
			}
			first = false
			row[0] = vi
			if len(sweeps) > 1 {
				row[1] = vo
			}
			fill(row[len(sweeps):], outputs, e.x)
			e.stats.Points++
			if err := sink.Point(row); err != nil {
				return e.finish(), err
			}
			if pause != nil {
				r, err := pause.At(vi)
				if err == nil && r != nil {
					e, d, outputs, err = rebindDC(e, r, sweeps, outputs) // pause.go
					if err == nil && len(sweeps) > 1 {
						d.set(1, vo)
					}
				}
				if err != nil {
					return e.finish(), err
				}
			}
		}
	}
	return e.finish(), nil
}

// dcRun is what a .dc run sets: the swept devices' copies, and the Loaders of each
// temperature of a temperature sweep.
type dcRun struct {
	e      *engine
	sweeps []Sweep
	swept  []devices.SweptLoader // per sweep; nil for the temperature
	atTemp map[float64][]devices.Loader
}

func newDCRun(e *engine, sweeps []Sweep) *dcRun {
	d := &dcRun{e: e, sweeps: sweeps, swept: make([]devices.SweptLoader, len(sweeps))}
	for k, sw := range sweeps {
		if sw.Device >= 0 {
			d.swept[k] = e.ckt.Devices[sw.Device].(devices.Sweepable).Swept()
			e.loaders[sw.Device] = d.swept[k]
		}
	}
	return d
}

// set gives sweep k the value v.
func (d *dcRun) set(k int, v float64) {
	if d.swept[k] != nil {
		d.swept[k].SetDC(v)
		return
	}
	loaders, ok := d.atTemp[v]
	if !ok {
		loaders = devices.NewRun(d.sweeps[k].Temps.At(v))
		if d.atTemp == nil {
			d.atTemp = map[float64][]devices.Loader{}
		}
		d.atTemp[v] = loaders
	}
	copy(d.e.loaders, loaders)
	for j, sw := range d.sweeps {
		if d.swept[j] != nil {
			d.e.loaders[sw.Device] = d.swept[j]
		}
	}
	d.e.classify()
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

func pointName(sweeps []Sweep, vi, vo float64) string {
	if len(sweeps) == 1 {
		return fmt.Sprintf("%s = %g", sweeps[0].Name, vi)
	}
	return fmt.Sprintf("%s = %g, %s = %g", sweeps[0].Name, vi, sweeps[1].Name, vo)
}
