package analysis

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// Pause lets a transient (or a .dc sweep) stop at an accepted point and go on from it
// later, as the control language's stop and resume do: the run stays where it is, every
// equation's charge history, the steps and the breakpoint schedule with it, while the
// script runs other commands, and goes on as if it had not stopped.
type Pause struct {
	// Times are corners the run lands on exactly (stop when time = T), as ngspice
	// sets a breakpoint at the time of a stop condition on time.
	Times []float64
	// At is called after each accepted point (a sweep's point) has gone to the sink. It returns at once
	// to go on, or blocks while the run is paused; it returns a Rebind when the circuit
	// was changed (alter) while it was paused, nil otherwise. An error ends the run.
	At func(now float64) (*Rebind, error)
}

// Rebind is the circuit a paused transient goes on with after its values changed: the
// same unknowns and devices, built again (gospice's alter makes a new circuit), and the
// outputs read from it (a device's current reads the device's new values).
type Rebind struct {
	Ckt     *Circuit
	Outputs []Output // in place of the run's first len(Outputs) outputs
}

// pause calls the Pause's At after the point at now; bp is the next corner, found again
// when the run goes on with another circuit (its sources' corners may have changed).
func (t *transient) pause(now float64, bp *float64) error {
	p := t.spec.Pause
	if p == nil {
		return nil
	}
	r, err := p.At(now)
	if err != nil || r == nil {
		return err
	}
	if err := t.rebind(r); err != nil {
		return err
	}
	if now != *bp { // landed on bp: the loop finds the next one
		*bp = t.nextBreakpoint(now)
	}
	return nil
}

// pauseCorner is bp, or the earliest of the Pause's times after now if earlier.
func (t *transient) pauseCorner(now, bp float64) float64 {
	if t.spec.Pause == nil {
		return bp
	}
	for _, b := range t.spec.Pause.Times {
		if b > now && b < bp {
			bp = b
		}
	}
	return bp
}

// rebindDC carries a stopped .dc sweep onto r.Ckt: the sweep goes on from the solution
// of its last point (each point's Newton starts there), its devices and outputs the new
// circuit's. A temperature sweep, whose devices are built per temperature, is refused.
func rebindDC(e *engine, r *Rebind, sweeps []Sweep, outputs []Output) (*engine, *dcRun, []Output, error) {
	if err := sameUnknowns(e.sys, r.Ckt.Sys); err != nil {
		return e, nil, outputs, err
	}
	for _, sw := range sweeps {
		if sw.Device < 0 {
			return e, nil, outputs, fmt.Errorf("a temperature sweep cannot go on in the circuit alter built again")
		}
	}
	next := newEngine(e.done, r.Ckt, e.opt, e.log)
	next.stats = e.stats
	next.ctx.Mode = e.ctx.Mode
	copy(next.x, e.x)
	outs, err := reboundOutputs(outputs, r.Outputs)
	return next, newDCRun(next, sweeps), outs, err
}

// sameUnknowns refuses a circuit whose unknowns are not those of the stopped run.
func sameUnknowns(old, next *mna.System) error {
	if !slices.EqualFunc(old.Unknowns, next.Unknowns, func(a, b mna.Unknown) bool { return a.Label() == b.Label() && a.Kind == b.Kind }) {
		return fmt.Errorf("the circuit's unknowns changed while it was stopped")
	}
	return nil
}

// reboundOutputs are outputs with their first len(next) in place by next's: the vectors
// read from the new circuit's devices.
func reboundOutputs(outputs, next []Output) ([]Output, error) {
	if len(next) > len(outputs) {
		return outputs, fmt.Errorf("the circuit has %d outputs, the run %d", len(next), len(outputs))
	}
	outputs = slices.Clone(outputs)
	copy(outputs, next)
	return outputs, nil
}

// rebind carries the paused run onto the circuit r.Ckt: the history the transient keeps
// of each equation (solutions, charges, their rates, the steps) stays, as ngspice keeps
// its state vectors across an alter; the engine (devices, matrix, solver) is the new
// circuit's, but for the devices that keep a history of their own (keepHistory).
func (t *transient) rebind(r *Rebind) error {
	if err := sameUnknowns(t.sys, r.Ckt.Sys); err != nil {
		return err
	}
	e := newEngine(t.done, r.Ckt, t.opt, t.log)
	if err := keepHistory(e, t.engine); err != nil {
		return err
	}
	e.ctx.Timing = t.ctx.Timing
	e.stats = t.stats
	t.engine = e
	var err error
	t.outputs, err = reboundOutputs(t.outputs, r.Outputs)
	return err
}

// keepHistory gives next the stopped run's loaders of the devices that keep a history of
// their own (Meyer charges, a switch's state, a line's delayed waves) where alter left
// the device as it was, so that their history goes on: the circuits have the same
// unknowns and pattern, and the loaders write through the context. A device with history
// that alter changed is refused: its new loader would start its history afresh.
func keepHistory(next, old *engine) error {
	if len(next.loaders) != len(old.loaders) || next.sys.NumHandles() != old.sys.NumHandles() {
		return fmt.Errorf("the circuit's devices changed while it was stopped")
	}
	for i, l := range old.loaders {
		if !keepsHistory(l) {
			continue
		}
		nd, od := next.ckt.Devices[i], old.ckt.Devices[i]
		if nd.Name() != od.Name() || !reflect.DeepEqual(nd, od) {
			return fmt.Errorf("%s keeps a history of its own, which alter's change to it would start afresh (alter it before the run, or run the analysis again)", nd.Name())
		}
		next.loaders[i] = l
	}
	next.classify()
	return nil
}

// keepsHistory says whether a loader keeps a history of its own from point to point.
func keepsHistory(l devices.Loader) bool {
	_, accepts := l.(devices.Accepter)
	_, events := l.(devices.Eventer)
	_, receives := l.(devices.EventReceiver)
	_, schedules := l.(devices.Scheduler)
	return accepts || events || receives || schedules
}
