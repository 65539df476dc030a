package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/gospice/gospice/devices"
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

// operatingPoint solves F(x) = 0 from x = 0 as ngspice 39's CKTop does: plain Newton
// (itl1 iterations), then gmin stepping, then source stepping (as .options gminsteps and
// srcsteps choose), each step with itl2 iterations and going on from the last solution.
// The mode (.op or the transient's initial point) is e.ctx.Mode. A failure is an
// *OPError that says what was tried and where it stopped.
func (e *engine) operatingPoint() error {
	e.alpha = 0
	clear(e.hist)
	e.inOP = true
	defer func() { e.inOP, e.continuing, e.restored = false, false, false }()
	fail := &OPError{}
	if !e.opt.NoOpIter {
		_, err := e.newtonFromZero(e.opt.ITL1)
		if err == nil || e.done.Err() != nil {
			return err
		}
		fail.Newton = err
	}
	switch {
	case e.opt.GminSteps == 1:
		fail.Gmin, fail.GminErr = e.dynamicGmin(false)
		if fail.GminErr == nil {
			e.report("gmin stepping converged", fail)
			return nil
		}
		if e.done.Err() != nil {
			return fail.GminErr
		}
		fail.TrueGmin, fail.TrueGminErr = e.dynamicGmin(true)
		if fail.TrueGminErr == nil {
			e.report("stepping the devices' gmin converged", fail)
			return nil
		}
	case e.opt.GminSteps > 1:
		fail.Gmin, fail.GminErr = e.fixedGmin(e.opt.GminSteps)
		if fail.GminErr == nil {
			e.report("gmin stepping converged", fail)
			return nil
		}
	}
	if err := e.done.Err(); err != nil {
		return err
	}
	switch {
	case e.opt.SrcSteps == 1:
		fail.Source, fail.SourceErr = e.adaptiveSources()
	case e.opt.SrcSteps > 1:
		fail.Source, fail.SourceErr = e.fixedSources(e.opt.SrcSteps)
	}
	if e.opt.SrcSteps > 0 && fail.SourceErr == nil {
		e.report("source stepping converged", fail)
		return nil
	}
	if err := e.done.Err(); err != nil {
		return err
	}
	fail.GminSteps, fail.SrcSteps, fail.NoOpIter = e.opt.GminSteps, e.opt.SrcSteps, e.opt.NoOpIter
	if fail.converging() {
		if fail.OpTranErr = e.transientOP(); fail.OpTranErr == nil {
			e.log("operating point: plain Newton, gmin stepping and source stepping failed (%s); "+
				"it is the state after a %g s transient from zero (as ngspice's optran), not a DC solution", briefly(fail.Unwrap()), opTranStop)
			return nil
		}
		if err := e.done.Err(); err != nil {
			return err
		}
	}
	fail.Transient = e.ctx.Mode == devices.ModeTranOP
	if !fail.converging() && fail.Newton != nil {
		// Every method stopped on the same kind of wall (a singular matrix: a node with
		// no DC path, a loop of sources; a device that cannot evaluate): plain Newton's
		// error says what it is.
		return fail.Newton
	}
	return fail
}

// converging reports whether some method failed by not converging, rather than on a
// singular matrix or a device's fault.
func (e *OPError) converging() bool {
	for _, err := range []error{e.Newton, e.GminErr, e.TrueGminErr, e.SourceErr} {
		var c *ConvergenceError
		if errors.As(err, &c) {
			return true
		}
	}
	return false
}

// report logs which aid found the operating point after plain Newton failed.
func (e *engine) report(what string, f *OPError) {
	if f.Newton == nil {
		e.log("operating point: %s (plain Newton skipped: noopiter)", what)
		return
	}
	e.log("operating point: plain Newton failed (%s); %s", briefly(f.Newton), what)
}

// OPError is an operating point that no method found: what was tried, how far each
// went and why it stopped, and what the user can do.
type OPError struct {
	Newton      error   // plain Newton's failure; nil if skipped (noopiter)
	Gmin        float64 // the smallest gmin-stepping conductance that converged (0: none)
	GminErr     error   // why gmin stepping stopped; nil if not tried
	TrueGmin    float64 // the same for the stepping of the devices' gmin
	TrueGminErr error
	Source      float64 // the largest fraction of the sources that converged
	SourceErr   error   // why source stepping stopped; nil if not tried
	OpTranErr   error   // why the transient from zero (ngspice's optran) stopped; nil if not tried

	GminSteps, SrcSteps int  // the options in force
	NoOpIter            bool // plain Newton was skipped
	Transient           bool // the initial point of a transient: uic is a way out
}

func (e *OPError) Error() string {
	var b strings.Builder
	b.WriteString("no operating point found. Tried: ")
	if e.Newton != nil {
		fmt.Fprintf(&b, "plain Newton (%v)", briefly(e.Newton))
	} else {
		b.WriteString("no plain Newton (noopiter)")
	}
	stepped := func(what string, g float64, err error) {
		if g == 0 {
			fmt.Fprintf(&b, "; %s, which converged at no step (%v)", what, briefly(err))
			return
		}
		fmt.Fprintf(&b, "; %s, which reached %.3g S and then failed (%v)", what, g, briefly(err))
	}
	switch {
	case e.GminSteps == 0:
		b.WriteString("; no gmin stepping (gminsteps=0)")
	case e.GminSteps == 1:
		stepped("gmin stepping", e.Gmin, e.GminErr)
		stepped("stepping the devices' gmin", e.TrueGmin, e.TrueGminErr)
	default:
		stepped(fmt.Sprintf("gmin stepping in %d steps", e.GminSteps), e.Gmin, e.GminErr)
	}
	if e.SrcSteps == 0 {
		b.WriteString("; no source stepping (srcsteps=0)")
	} else {
		fmt.Fprintf(&b, "; source stepping, which reached %.4g %% of the sources and then failed (%v)", 100*e.Source, briefly(e.SourceErr))
	}
	if e.OpTranErr != nil {
		fmt.Fprintf(&b, "; a %g s transient from zero (%v)", opTranStop, e.OpTranErr)
	}
	b.WriteString(". What may help: .nodeset v(node)=value (or .ic) near the expected solution")
	if e.Transient {
		b.WriteString("; uic on the .tran line, to start from the .ic values without an operating point")
	}
	b.WriteString("; .options itl1=500 (more Newton iterations), gminsteps=N or srcsteps=N (N fixed steps), reltol=1e-2 (a looser tolerance)")
	return b.String()
}

// Unwrap gives plain Newton's failure, or the last method's.
func (e *OPError) Unwrap() error {
	for _, err := range []error{e.SourceErr, e.TrueGminErr, e.GminErr, e.Newton} {
		if err != nil {
			return err
		}
	}
	return nil
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

// newtonFromZero solves from x = 0, with SPICE's initial junction voltages and the
// .nodeset nodes held until the held system converges.
func (e *engine) newtonFromZero(maxIter int) (int, error) {
	clear(e.x)
	e.initJunctions = true
	e.continuing = false
	e.nodesetPhase = len(e.nodesets) > 0
	defer func() { e.initJunctions, e.nodesetPhase = false, false }()
	return e.newton(maxIter)
}

// step solves one step of a continuation: from zero if nothing converged before it,
// else from the last solution, the devices' state carried over (limiting against their
// last evaluation, a switch keeping its position), as ngspice's MODEINITFLOAT.
func (e *engine) step(fromZero bool) (int, error) {
	if fromZero {
		return e.newtonFromZero(e.opt.ITL2)
	}
	e.continuing = !e.restored
	e.restored = false
	return e.newton(e.opt.ITL2)
}

// restore goes back to the last good solution x of a continuation after a step failed.
// The next step's first iteration evaluates the devices at x itself, as ngspice restores
// their state with the solution, rather than limiting against the failed attempt's last
// evaluation: a self-heating junction left at -16000 C by a diverging attempt would take
// hundreds of limited steps of 10 K to come back, and the retry would fail for that
// alone (examples/probe/Dual-NMOS-amp.cir's source stepping did).
func (e *engine) restore(x []float64) {
	copy(e.x, x)
	e.restored = true
}

// gminFactor is ngspice's gminfactor: the largest ratio between two gmin steps.
const gminFactor = 10

// dynamicGmin is ngspice's dynamic gmin stepping: a conductance from every node to ground
// starting at 1e-3 S, lowered by a factor that grows (up to 10) while steps converge
// easily and shrinks (to its fourth root) when one fails, down to gmin; then the
// circuit without it from there. With devices it steps the devices' own gmin (the
// conductance across their junctions) instead, ngspice's "true gmin stepping". It
// returns the conductance it reached.
func (e *engine) dynamicGmin(devices bool) (float64, error) {
	gshunt, gmin := e.opt.Gshunt, e.opt.Gmin
	set := func(g float64) {
		if devices {
			e.ctx.Gmin = g
		} else {
			e.diagGmin = g
		}
	}
	defer func() { e.diagGmin, e.ctx.Gmin, e.ctx.Continuation = gshunt, gmin, false }()
	saved := e.xOldSaved()
	target := max(gmin, gshunt)
	e.ctx.Continuation = true // until the final solve
	factor, last := float64(gminFactor), 1e-2
	g := last / factor
	good := false
	var err error
	for {
		set(g)
		var iters int
		iters, err = e.step(!good)
		if e.done.Err() != nil {
			return g, err
		}
		if err == nil {
			good = true
			if g <= target {
				break
			}
			copy(saved, e.x)
			if iters <= e.opt.ITL2/4 {
				factor = min(factor*math.Sqrt(factor), gminFactor)
			}
			if iters > 3*e.opt.ITL2/4 {
				factor = max(math.Sqrt(factor), 1.00005)
			}
			last = g
			if g < factor*target {
				factor, g = g/target, target
			} else {
				g /= factor
			}
			continue
		}
		if factor < 1.00005 {
			break
		}
		factor = math.Sqrt(math.Sqrt(factor))
		g = last / factor
		e.restore(saved)
	}
	reached := 0.0 // none converged
	if good {
		reached = last
		if g <= target && err == nil {
			reached = g
		}
	}
	if devices {
		set(max(gmin, gshunt))
	} else {
		set(gshunt)
	}
	e.ctx.Continuation = false
	if good {
		copy(saved, e.x) // the last step's solution, for cancelledAtGmin
	}
	_, err = e.finalSolve(good)
	if err != nil && !devices && good && reached <= maxCancelledGmin {
		err = e.cancelledAtGmin(err, saved, reached)
	}
	return reached, err
}

// The largest move of a node in one Newton iteration of a gmin step: gminStepFloor volts,
// or gminStepShare of the largest node voltage the iteration starts from if that is more.
const (
	gminStepFloor = 0.5
	gminStepShare = 0.25
)

// limitGminStep shortens the moves of the nodes that the last solve moved by more than
// the gmin step's limit (see the constants) to that limit, each on its own. A digital
// circuit's Jacobian at a gmin step's start can be nearly singular (gates whose
// transistors are all off), and an unlimited update throws its nodes to hundreds or
// thousands of volts (c432 of ISCAS85 at 6.5e-5 S: -706 V), from where Newton fails
// and the stepping backs off, on which side of that a rounding decides. Limited, every
// step of c432 converges and the stepping goes down by decades. A step's solution is
// the one the same tolerances accept; only the way to it changes, and it stays nearer
// the last step's solution, the branch the stepping follows. Held nodes (.nodeset,
// .ic) are linear equations and are left alone; a node moved less keeps its bits.
func (e *engine) limitGminStep() {
	most := 0.0
	for i := 1; i <= e.sys.N; i++ {
		if e.sys.Unknowns[i].Kind == mna.Node {
			most = max(most, math.Abs(e.xOld[i]))
		}
	}
	limit := max(gminStepFloor, gminStepShare*most)
	for i := 1; i <= e.sys.N; i++ {
		if e.sys.Unknowns[i].Kind != mna.Node || e.held[i] {
			continue
		}
		switch d := e.x[i] - e.xOld[i]; {
		case d > limit:
			e.x[i] = e.xOld[i] + limit
		case d < -limit:
			e.x[i] = e.xOld[i] - limit
		}
	}
}

// maxCancelledGmin is the largest gmin stepping conductance whose solution cancelledAtGmin
// keeps: 1 Gohm from a node to ground. Gmin stepping stops short of gmin (1e-12 S) on such
// an island where its conductances are large: the LU takes a pivot below 1e-13 of its
// column for rounding (rb = 16 mohm, 62.5 S, stops it at 1.8e-12 S).
const maxCancelledGmin = 1e-9

// cancelledAtGmin handles a final solve that found the matrix singular at a node after
// gmin stepping converged down to a small conductance: the node's devices conduct at DC,
// but their conductances cancel, so that nothing but the stepping's gmin joined it to
// ground (a MOSFET whose drain and source are one node, its gate the only way out, as in
// a VDMOS's capacitance measurement). ngspice 39's LU takes what rounding leaves of such
// a pivot as a pivot and solves the island at 0 V (1e-45 V and less); gospice keeps the
// solution at the last step, conductance g from every node to ground, which is that, and
// warns. A node that nothing conducts to at DC (its row of G all zero: a floating gate)
// stays an error, as in ngspice. x is the last step's solution.
func (e *engine) cancelledAtGmin(err error, x []float64, g float64) error {
	var s *mna.SingularError
	if !errors.As(err, &s) || s.Unknown.Kind != mna.Node {
		return err
	}
	i, ok := e.sys.Lookup("v(" + s.Unknown.Name + ")")
	if !ok || !e.conductsAtDC(i) {
		return err
	}
	copy(e.x, x)
	e.diagGmin = g
	e.continuing = true
	if _, err2 := e.newton(e.opt.ITL1); err2 != nil {
		return err
	}
	e.log("operating point: node %s is joined to ground only through devices whose conductances cancel at DC "+
		"(the matrix is singular without gmin stepping); it is the solution with %.3g S from every node to ground, "+
		"as ngspice 39 finds it (0 V on such an island)", s.Unknown.Name, g)
	return nil
}

// conductsAtDC reports whether unknown i's row of G, as last loaded, has a nonzero entry.
func (e *engine) conductsAtDC(i int) bool {
	p := e.sys.Pattern
	for k := range p.NNZ() {
		if row, _ := p.At(k); row == i-1 && e.vals.G[k+1] != 0 {
			return true
		}
	}
	return false
}

// finalSolve solves the circuit itself (itl1 iterations) after a continuation, from where
// it reached.
func (e *engine) finalSolve(good bool) (int, error) {
	if !good {
		return e.newtonFromZero(e.opt.ITL1)
	}
	e.continuing = true
	return e.newton(e.opt.ITL1)
}

// fixedGmin is ngspice's gmin stepping for gminsteps = n > 1: n + 1 steps from
// gmin*10^n down to gmin, by decades; then the circuit from there, the stepping having
// converged or not.
func (e *engine) fixedGmin(n int) (float64, error) {
	gshunt := e.opt.Gshunt
	defer func() { e.diagGmin, e.ctx.Continuation = gshunt, false }()
	g := e.opt.Gmin
	if gshunt != 0 {
		g = gshunt
	}
	g *= math.Pow(gminFactor, float64(n))
	good, reached := false, 0.0
	e.ctx.Continuation = true // until the final solve
	for i := 0; i <= n; i++ {
		e.diagGmin = g
		_, err := e.step(!good)
		if e.done.Err() != nil {
			return reached, err
		}
		if err != nil {
			break
		}
		good, reached = true, g
		g /= gminFactor
	}
	e.diagGmin, e.ctx.Continuation = gshunt, false
	_, err := e.finalSolve(good)
	return reached, err
}

// adaptiveSources is ngspice's (Gillespie's) source stepping: the circuit with every
// independent source at zero (with gmin stepping if it needs it), then the sources
// raised by 0.1 % first, the raise growing by half after an easy step and halving after a
// hard one, cut by 10 after a failure, until they are whole or the raise falls below
// 1e-7. It returns the fraction of the sources it reached.
func (e *engine) adaptiveSources() (float64, error) {
	defer func() { e.setSources(1); e.diagGmin = e.opt.Gshunt }()
	saved := e.xOldSaved()
	e.setSources(0)
	if _, err := e.step(true); err != nil {
		if e.done.Err() != nil {
			return 0, err
		}
		if err := e.zeroSourceGmin(); err != nil {
			return 0, err
		}
	}
	copy(saved, e.x)
	reached, raise := 0.0, 1e-3
	e.setSources(raise)
	var last error
	for raise >= 1e-7 && reached < 1 {
		iters, err := e.step(false)
		if e.done.Err() != nil {
			return reached, err
		}
		if err == nil {
			reached = e.srcStep
			copy(saved, e.x)
			next := reached + raise
			if iters <= e.opt.ITL2/4 {
				raise *= 1.5
			}
			if iters > 3*e.opt.ITL2/4 {
				raise *= 0.5
			}
			e.setSources(min(next, 1))
		} else {
			last = err
			if e.srcStep-reached < 1e-8 {
				break
			}
			raise = min(raise/10, 0.01)
			// ngspice solves again at the last good factor, and raises from there.
			e.setSources(reached)
			e.restore(saved)
		}
	}
	if reached < 1 {
		if last == nil {
			last = errors.New("the source step fell below 1e-7")
		}
		return reached, last
	}
	return 1, nil
}

// zeroSourceGmin solves the circuit at zero sources by gmin stepping, ten decades from
// 1e10 gmin down to gmin, as ngspice's source stepping does when it must.
func (e *engine) zeroSourceGmin() error {
	g := e.opt.Gmin
	if e.opt.Gshunt > 0 {
		g = e.opt.Gshunt
	}
	g *= 1e10
	for i := 0; i <= 10; i++ {
		e.diagGmin = g
		if _, err := e.step(i == 0); err != nil {
			return err
		}
		g /= 10
	}
	e.diagGmin = e.opt.Gshunt
	return nil
}

// fixedSources is ngspice's source stepping for srcsteps = n > 1: the sources at 0, 1/n,
// 2/n, ... 1, each step from the last.
func (e *engine) fixedSources(n int) (float64, error) {
	defer e.setSources(1)
	reached := 0.0
	for i := 0; i <= n; i++ {
		e.setSources(float64(i) / float64(n))
		if _, err := e.step(i == 0); err != nil {
			return reached, err
		}
		reached = e.srcStep
	}
	return 1, nil
}

// The transient that ends the search for an operating point, ngspice 39's optran with
// its defaults: 10 us in steps of at most 100 ns.
const (
	opTranStep = 100e-9
	opTranStop = 10e-6
)

// transientOP is ngspice's last resort (optran): a transient of opTranStop from zero,
// capacitors uncharged and the sources at their values, whose last point is taken as the
// operating point. It is not a DC solution; a circuit without one (an astable
// multivibrator) gets a starting point this way.
func (e *engine) transientOP() error {
	mode, timing := e.ctx.Mode, e.ctx.Timing
	clamp := e.clampICs
	e.inOP, e.clampICs = false, false
	t := newTransient(e, TranSpec{Step: opTranStep, Stop: opTranStop, UIC: true}, nil, discard{})
	err := t.run()
	e.alpha, e.inOP, e.clampICs = 0, true, clamp
	clear(e.hist)
	e.ctx.Mode, e.ctx.Time, e.ctx.Timing, e.ctx.UIC = mode, 0, timing, false
	if err != nil {
		return err
	}
	copy(e.x, t.xn)
	e.load(e.x)
	copy(e.xOld, e.x)
	return nil
}

// discard is a Sink that keeps nothing.
type discard struct{}

func (discard) Begin([]Column) error  { return nil }
func (discard) Point([]float64) error { return nil }

// xOldSaved returns a buffer for the last good solution of a continuation. It is
// allocated per operating point: only the aids, which run after plain Newton failed, use it.
func (e *engine) xOldSaved() []float64 { return make([]float64, len(e.x)) }

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

// linearizedAtOP solves the operating point and factors the circuit's conductance matrix
// there, the small-signal system of .tf and .sens; errors are the named analysis's.
func (e *engine) linearizedAtOP(analysis string) (*mna.Solver[float64], error) {
	if err := e.loadAtOP(analysis); err != nil {
		return nil, err
	}
	solver := mna.NewSolver[float64](e.sys)
	solver.SetPivoting(e.opt.PivRel, e.opt.PivTol)
	copy(e.jac, e.vals.G)
	if err := solver.Factor(e.jac); err != nil {
		return nil, &StopError{Analysis: analysis, Err: fmt.Errorf("small-signal matrix: %w", err)}
	}
	return solver, nil
}

// loadAtOP solves the operating point and loads the devices there in small-signal mode:
// the conductances and capacitances of .ac, .noise, .tf and .sens.
func (e *engine) loadAtOP(analysis string) error {
	e.ctx.Mode = devices.ModeOP
	if err := e.operatingPoint(); err != nil {
		return &StopError{Analysis: analysis, Err: fmt.Errorf("operating point: %w", err)}
	}
	e.ctx.Mode = devices.ModeAC
	e.load(e.x)
	return nil
}
