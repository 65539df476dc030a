// Package analysis runs Newton iteration over an mna system and the analyses built on it
// (operating point, transient), with integration methods and step control, streaming vectors to a sink.
package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// Options are the simulator options of .options, with SPICE's defaults.
type Options struct {
	RelTol, AbsTol, VnTol, ChgTol float64
	TrTol                         float64
	Gmin                          float64
	ITL1, ITL2, ITL4              int
	Method                        Method
	MaxOrder                      int
	Bypass                        bool // devices that can may reuse an evaluation when their voltages barely moved
}

// Method is the transient integration method.
type Method uint8

const (
	Trapezoidal Method = iota
	Gear
)

// DefaultOptions are ngspice's defaults.
func DefaultOptions() Options {
	return Options{
		RelTol: 1e-3, AbsTol: 1e-12, VnTol: 1e-6, ChgTol: 1e-14,
		TrTol: 7, Gmin: 1e-12,
		ITL1: 100, ITL2: 50, ITL4: 10,
		Method: Trapezoidal, MaxOrder: 2,
	}
}

// NodeIC is a .ic value on a node unknown.
type NodeIC struct {
	Index int
	Value float64
}

// Circuit is what the analyses run on: the built system and its devices. It is never
// changed by a run: each run (each call of an analysis) starts its own Loaders of the
// devices and owns them, so that any number of runs share one Circuit, at once too.
type Circuit struct {
	Sys     *mna.System
	Devices []devices.Device
	ICs     []NodeIC
	Timing  devices.Timing // waveform defaults outside a transient: the netlist's first .tran's
}

// Probe computes one output value from the unknowns.
type Probe interface {
	Value(x []float64) float64
}

// Output is a named vector of an analysis.
type Output struct {
	Name     string
	Quantity Quantity
	Probe    Probe
}

// Quantity says what a column holds, so that writers type and label it (a raw file's
// variable type, a plot's unit) without reading its name.
type Quantity uint8

const (
	Dimensionless Quantity = iota // a device state, or a value of no known unit
	Time
	Frequency
	Voltage // a node voltage or the difference of two, a swept voltage source
	Current // a branch or device current, a swept current source
	Resistance
	Temperature // degrees Celsius
)

// Column describes one column an analysis delivers to its sink.
type Column struct {
	Name     string
	Quantity Quantity
	// For .ac: the part of a complex value the column holds, and the name of the complex
	// vector it is a part of (v(out) for vdb(out)); Real and "" for a real value.
	Part   ACPart
	Vector string
}

// Sink receives an analysis's vectors as points are accepted.
type Sink interface {
	// Begin describes the columns: the scale first (time), if the analysis has one.
	Begin(cols []Column) error
	// Point delivers one row, in the order of Begin's names. The slice is reused.
	Point(row []float64) error
}

// Logger reports what the analyses did that a user should know (gmin stepping used, ...).
type Logger func(format string, args ...any)

// Stats counts the work of a run.
type Stats struct {
	Points, Rejected, NewtonFailures int
	Events                           int // device events (memristor ruptures) fired
	Iterations                       int
	Factorizations                   int
	Bypassed                         int // device loads that reused an evaluation (.options bypass)
}

// StopError is a run that stopped early; the points before Time were delivered.
type StopError struct {
	Analysis string
	Time     float64 // simulated time reached (transient)
	Err      error
}

func (e *StopError) Error() string {
	if e.Analysis == "tran" {
		return fmt.Sprintf("transient stopped at t = %.7g s: %v", e.Time, e.Err)
	}
	return fmt.Sprintf("%s stopped: %v", e.Analysis, e.Err)
}

func (e *StopError) Unwrap() error { return e.Err }

// ConvergenceError names the unknown that failed the convergence test by the largest
// factor in the last Newton iteration: by its update, or else by the residual of its equation.
type ConvergenceError struct {
	Iterations int
	Unknown    string
	Delta      float64
	Residual   bool // the updates converged but this equation's residual did not
}

func (e *ConvergenceError) Error() string {
	if e.Residual {
		return fmt.Sprintf("no convergence in %d Newton iterations: the equation of %s is still off by %.3g", e.Iterations, e.Unknown, e.Delta)
	}
	return fmt.Sprintf("no convergence in %d Newton iterations: %s still changing by %.3g", e.Iterations, e.Unknown, e.Delta)
}

// engine holds one run's Newton state and the run's Loaders of the circuit's devices;
// every buffer is allocated once, in newEngine.
type engine struct {
	ckt       *Circuit
	loaders   []devices.Loader // this run's, one per device of ckt.Devices, in order
	sys       *mna.System
	opt       Options
	log       Logger
	ctx       devices.Context
	vals      *mna.Values
	solver    *mna.Solver[float64]
	linear    bool
	bps       []devices.Breakpointer
	limits    []devices.Limiter
	accepters []devices.Accepter
	steps     []devices.StepLimiter
	events    []devices.Eventer
	faulters  []devices.Faulter

	jac  []float64 // G + alpha*C, per handle
	rhs  []float64 // -(F + alpha*Q + hist), per equation; the update after the solve
	x    []float64 // current iterate
	xOld []float64

	row, col []int32 // the unknowns of each handle

	alpha float64   // dQ/dt = alpha*Q + hist in the current step
	hist  []float64 // per equation

	diagGmin      float64 // gmin stepping: conductance from every node to ground
	clampICs      bool    // hold .ic nodes during a transient's initial point
	initJunctions bool    // the next solve starts from zero: devices pick SPICE's initial junction voltages

	stats Stats
	done  context.Context
}

// epsilon is the float64 machine epsilon.
const epsilon = 0x1p-52

// icConductance holds .ic nodes at their value during the initial operating point.
const icConductance = 1e10

func newEngine(done context.Context, ckt *Circuit, opt Options, log Logger) *engine {
	sys := ckt.Sys
	n := sys.N
	e := &engine{
		ckt:     ckt,
		loaders: devices.NewRun(ckt.Devices),
		sys:     sys,
		opt:     opt,
		log:     log,
		vals:    sys.NewValues(),
		solver:  mna.NewSolver[float64](sys),
		jac:     make([]float64, sys.NumHandles()),
		rhs:     make([]float64, n+1),
		x:       make([]float64, n+1),
		xOld:    make([]float64, n+1),
		hist:    make([]float64, n+1),
		row:     make([]int32, sys.NumHandles()),
		col:     make([]int32, sys.NumHandles()),
		done:    done,
	}
	for k := 0; k < sys.Pattern.NNZ(); k++ {
		r, c := sys.Pattern.At(k)
		e.row[k+1], e.col[k+1] = int32(r+1), int32(c+1)
	}
	e.classify()
	e.ctx.Values = e.vals
	e.ctx.SrcFactor = 1
	e.ctx.Gmin = opt.Gmin
	e.ctx.Timing = ckt.Timing
	return e
}

// classify sorts the run's Loaders by the optional interfaces the engine serves.
func (e *engine) classify() {
	e.linear = true
	e.bps, e.limits, e.accepters, e.steps, e.events, e.faulters = e.bps[:0], e.limits[:0], e.accepters[:0], e.steps[:0], e.events[:0], e.faulters[:0]
	for _, d := range e.loaders {
		if _, ok := d.(devices.Linear); !ok {
			e.linear = false
		}
		if b, ok := d.(devices.Breakpointer); ok {
			e.bps = append(e.bps, b)
		}
		if l, ok := d.(devices.Limiter); ok {
			e.limits = append(e.limits, l)
		}
		if a, ok := d.(devices.Accepter); ok {
			e.accepters = append(e.accepters, a)
		}
		if s, ok := d.(devices.StepLimiter); ok {
			e.steps = append(e.steps, s)
		}
		if ev, ok := d.(devices.Eventer); ok {
			e.events = append(e.events, ev)
		}
		if f, ok := d.(devices.Faulter); ok {
			e.faulters = append(e.faulters, f)
		}
	}
}

// load evaluates every device at x into vals.
func (e *engine) load(x []float64) {
	e.vals.Clear()
	e.ctx.X = x
	for _, d := range e.loaders {
		d.Load(&e.ctx)
	}
}

// assemble forms the Newton system J dx = -r from the loaded values, the integration
// coefficients and the convergence aids.
func (e *engine) assemble() {
	v := e.vals
	a := e.alpha
	for h := range e.jac {
		e.jac[h] = v.G[h] + a*v.C[h]
	}
	for i := range e.rhs {
		e.rhs[i] = -(v.F[i] + a*v.Q[i] + e.hist[i])
	}
	if e.diagGmin > 0 {
		for i := 1; i <= e.sys.N; i++ {
			if e.sys.Unknowns[i].Kind == mna.Node {
				e.jac[e.sys.Diag[i]] += e.diagGmin
				e.rhs[i] -= e.diagGmin * e.x[i]
			}
		}
	}
	if e.clampICs {
		for _, ic := range e.ckt.ICs {
			e.jac[e.sys.Diag[ic.Index]] += icConductance
			e.rhs[ic.Index] -= icConductance * (e.x[ic.Index] - ic.Value)
		}
	}
	e.rhs[0] = 0
}

// newton iterates from e.x until an update passes SPICE's test and the residual at the
// point it reached passes too (checked with the next load, so that a stiff node's J dx
// is not mistaken for a residual), or maxIter solves. It returns the solves made.
func (e *engine) newton(maxIter int) (int, error) {
	var failure ConvergenceError
	failAt := -1      // the unknown failure names, labelled only if the solve fails: a label allocates
	updateOK := false // the update that reached e.x passed the test
	for iter := 1; ; iter++ {
		if err := e.done.Err(); err != nil {
			return iter, err
		}
		e.stats.Iterations++
		e.ctx.FirstIteration = iter == 1
		e.ctx.InitJunctions = iter == 1 && e.initJunctions
		e.ctx.Limited = false
		e.load(e.x)
		// A device that could not evaluate itself here (a behavioural expression out of
		// its domain) ends the solve with its own error, which names it.
		for _, f := range e.faulters {
			if err := f.Fault(); err != nil {
				return iter, err
			}
		}
		e.assemble()
		if updateOK && !e.ctx.Limited {
			ok, worstEq, worstResidual := e.residualConverged()
			if ok {
				// A solution where an expression stood in a value for one out of its
				// domain (ln(0)) is not one.
				for _, f := range e.faulters {
					if err := f.StandIn(); err != nil {
						return iter, err
					}
				}
				copy(e.xOld, e.x) // the loaded values belong to e.x itself
				return iter - 1, nil
			}
			failure, failAt = ConvergenceError{Delta: worstResidual, Residual: true}, worstEq
		} else if updateOK {
			failure, failAt = ConvergenceError{Unknown: "a device's limited voltages"}, -1
		}
		if iter > maxIter {
			break
		}
		if err := e.solver.Factor(e.jac); err != nil {
			return iter, err
		}
		if err := e.solver.Solve(e.rhs); err != nil {
			return iter, err
		}
		copy(e.xOld, e.x)
		for i := 1; i <= e.sys.N; i++ {
			e.x[i] += e.rhs[i]
			if math.IsInf(e.x[i], 0) {
				return iter, &mna.NotFiniteError{Unknown: e.sys.Unknowns[i]}
			}
		}
		if e.linear {
			return iter, nil
		}
		limited := false
		for _, l := range e.limits {
			if l.Limit(e.xOld, e.x) {
				limited = true
			}
		}
		ok, worst, worstDelta := e.updateConverged()
		updateOK = ok && !limited
		switch {
		case !ok:
			failure, failAt = ConvergenceError{Delta: worstDelta}, worst
		case limited:
			failure, failAt = ConvergenceError{Unknown: "a device's state at the edge of its range"}, -1
		}
	}
	if failAt >= 0 {
		failure.Unknown = e.sys.Unknowns[failAt].Label()
	}
	failure.Iterations = maxIter
	err := failure // a copy, so that only a failure allocates
	return maxIter, &err
}

// updateConverged is SPICE's test |x - xOld| <= reltol*max(|x|, |xOld|) + abstol of the
// unknown. It also returns the unknown that failed it by the largest factor.
func (e *engine) updateConverged() (bool, int, float64) {
	ok := true
	worst, worstRatio, worstDelta := 0, 0.0, 0.0
	for i := 1; i <= e.sys.N; i++ {
		d := math.Abs(e.x[i] - e.xOld[i])
		tol := e.opt.RelTol*math.Max(math.Abs(e.x[i]), math.Abs(e.xOld[i])) + e.sys.Unknowns[i].AbsTol
		if !(d <= tol) {
			ok = false
			if r := d / tol; r > worstRatio || math.IsNaN(r) {
				worst, worstRatio, worstDelta = i, r, d
			}
		}
	}
	return ok, worst, worstDelta
}

// residualConverged checks each equation's residual at the loaded point against reltol
// times the size of the terms it balances, plus an absolute tolerance in its own units.
// The size is estimated from the static terms (|G_ij x_j|) and the dynamic one (the
// capacitor current alpha*Q + hist), never from alpha*Q alone, which a small step inflates.
func (e *engine) residualConverged() (bool, int, float64) {
	worst, worstRatio, worstResidual := 0, 0.0, 0.0
	scale := e.xOld // free until the solve; reused as scratch
	for i := range scale {
		scale[i] = math.Abs(e.alpha*e.vals.Q[i] + e.hist[i])
	}
	g := e.vals.G
	for h := 1; h < len(g); h++ {
		scale[e.row[h]] += math.Abs(g[h] * e.x[e.col[h]])
	}
	for i := 1; i <= e.sys.N; i++ {
		var atol float64
		switch e.sys.Unknowns[i].Kind {
		case mna.Node:
			atol = e.opt.AbsTol
		case mna.Branch:
			atol = e.opt.VnTol
		default:
			atol = e.sys.Unknowns[i].AbsTol
		}
		// alpha*Q and hist nearly cancel at small steps; their rounding is a floor no
		// iteration can get under.
		roundoff := 16 * epsilon * (math.Abs(e.alpha*e.vals.Q[i]) + math.Abs(e.hist[i]))
		r := math.Abs(e.rhs[i])
		tol := e.opt.RelTol*scale[i] + atol + roundoff
		if !(r <= tol) {
			if ratio := r / tol; ratio > worstRatio || math.IsNaN(ratio) {
				worst, worstRatio, worstResidual = i, ratio, r
			}
		}
	}
	return worst == 0, worst, worstResidual
}
