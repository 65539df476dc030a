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
	Bypass                        devices.BypassMode // where devices that can may reuse an evaluation when their voltages barely moved
	// LoadWorkers is the goroutines a transient evaluates its devices on (0 or 1: the
	// calling one alone), when it has at least MinParallelDevices devices.Evaluators.
	// The results do not depend on it.
	LoadWorkers int

	// The operating point's aids, as ngspice's .options name them. GminSteps: 0 no gmin
	// stepping, 1 ngspice's dynamic gmin stepping followed by its "true" gmin stepping
	// (of the devices' gmin), N > 1 N fixed decades. SrcSteps: 0 no source stepping, 1
	// adaptive (Gillespie's) source stepping, N > 1 N equal steps. NoOpIter skips plain
	// Newton. NodeDamping scales a Newton update whose largest node change exceeds 10 V
	// down to 10 V (at most by 10), in operating points, as ngspice's nodedamping.
	GminSteps, SrcSteps int
	NoOpIter            bool
	NodeDamping         bool
	// NoChord (.options chord=0) factors the Jacobian again for a time point's closing
	// update too. By default that update, solved where the static residual already
	// passed (see engine.newton), reuses the factors of the iteration before it.
	NoChord bool

	// Shunts from every node to ground: Gshunt a conductance in every analysis but .ac
	// (ngspice adds it to the matrix diagonal, as gmin stepping does), Rshunt a resistance
	// (0: none) and Cshunt a capacitance (0: none), in every analysis.
	Gshunt, Rshunt, Cshunt float64
	// The LU's pivot thresholds: a pivot is kept while at least PivRel times the largest
	// entry of its column, and is zero below PivTol (of the row-scaled matrix).
	PivTol, PivRel float64
	// RampTime ramps every independent source from 0 at t = 0 to its value at t = RampTime
	// in a transient (0: no ramp). Xmu is the trapezoidal method's xmu: 0.5 is the
	// trapezoidal rule, 0 backward Euler, between them a blend.
	RampTime, Xmu float64
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
		GminSteps: 1, SrcSteps: 1,
		PivTol: 1e-13, PivRel: 1e-3,
		Xmu: 0.5,
	}
}

// NodeIC is a .ic or .nodeset value on a node unknown.
type NodeIC struct {
	Index int
	Value float64
}

// Circuit is what the analyses run on: the built system and its devices. It is never
// changed by a run: each run (each call of an analysis) starts its own Loaders of the
// devices and owns them, so that any number of runs share one Circuit, at once too.
type Circuit struct {
	Sys      *mna.System
	Devices  []devices.Device
	ICs      []NodeIC
	Nodesets []NodeIC       // initial guesses held during the first iterations of an operating point
	Timing   devices.Timing // waveform defaults outside a transient: the netlist's first .tran's
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
	Power       // watts: the power a device takes (.probe p(m1))
)

// NgspiceType is the type ngspice gives a vector of the quantity, in its raw files and
// its display command ("notype" where gospice knows of none).
func (q Quantity) NgspiceType() string {
	switch q {
	case Time:
		return "time"
	case Frequency:
		return "frequency"
	case Voltage:
		return "voltage"
	case Current:
		return "current"
	case Temperature:
		return "temp-sweep"
	case Power:
		return "power"
	}
	return "notype"
}

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
	OPIterations                     int // of Iterations: the transient's initial operating point's
	Factorizations                   int
	Bypassed                         int // device loads that reused an evaluation (.options bypass)
	// Blocks is the number of blocks a partitioned transient ran, each on its own time
	// grid (0: one system). The counts above are then the blocks' sums, and
	// BlockPoints the most time points one block took.
	Blocks, BlockPoints int
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
	par       *parLoad // the devices' evaluation on several goroutines; nil: serial loads
	vals      *mna.Values
	solver    *mna.Solver[float64]
	linear    bool
	unlimited bool     // a device is nonlinear and limits nothing (devices.Unlimited)
	bps       []corner // the devices that have corners
	softBP    bool     // the next corner is only landed on: every Breakpointer there is a Lander
	// scheduling says a Breakpointer receives events (devices.EventReceiver: a synapse)
	// or schedules corners (devices.Scheduler: a transmission line) and so adds corners
	// while the transient runs, after any accepted point.
	scheduling bool
	limits     []devices.Limiter
	accepters  []devices.Accepter
	steps      []devices.StepLimiter
	events     []devices.Eventer
	faulters   []devices.Faulter

	// updating says every nonlinear device is devices.UpdateAccepting; acceptUpdate,
	// set by the transient's time points when it is, lets Newton end at an update.
	updating, acceptUpdate bool
	// qLin is, after a solve with acceptUpdate whose update did not pass, the charges the
	// last load's linearization gives at the new iterate (Q + C dx): the next load's
	// residual less the charge remainder alpha*(Q - qLin) is the static one its update is
	// accepted on.
	qLin []float64

	jac  []float64 // G + alpha*C, per handle, once formed (jacobian)
	rhs  []float64 // -(F + alpha*Q + hist), per equation; the update after the solve
	x    []float64 // current iterate
	xOld []float64
	dx   []float64 // x - xOld, scratch of linearized
	// jacStale says jac is not yet the last assemble's: it is formed only where it is
	// read (a factorization, a held node, a branch's resolution), since a Newton
	// iteration that ends at its residual test or solves with the last factors (the
	// chord step) needs none; c432 factors at 1166 of its 2205 iterations.
	jacStale bool

	row, col []int32 // the unknowns of each handle
	// rows holds the handles of each equation, and currents, for each branch current,
	// those by which it enters node equations (none for other unknowns): what
	// resolution and branchResolution read.
	rows, currents handleLists
	// residualAbsTol is the residual test's absolute tolerance of each equation, by the
	// kind of its unknown: found once rather than at every test (13% of the test's time).
	residualAbsTol []float64

	alpha float64   // dQ/dt = alpha*Q + hist in the current step
	hist  []float64 // per equation

	diagGmin      float64 // conductance from every node to ground: gshunt, larger in gmin stepping
	clampICs      bool    // hold .ic nodes during a transient's initial point
	initJunctions bool    // the next solve starts from zero: devices pick SPICE's initial junction voltages
	continuing    bool    // the next solve goes on from a solution of a nearby problem (a gmin or source step)
	restored      bool    // the next continuation step starts from a restored solution: devices evaluate at it
	nodesetPhase  bool    // hold the .nodeset nodes until the held system converges
	inOP          bool    // solving an operating point (where nodedamping applies)
	srcStep       float64 // source stepping's factor: it scales .ic values too
	srcRamp       float64 // .options ramptime's factor in a transient

	ics, nodesets []heldNode
	held          []bool // the unknowns whose equation assemble replaced

	stats Stats
	done  context.Context
}

// epsilon is the float64 machine epsilon.
const epsilon = 0x1p-52

// heldScale is the diagonal of a held node's equation whose row keeps branch currents,
// as in ngspice: the node is then within current/1e10 volts of its value.
const heldScale = 1e10

// heldNode is a node that .ic or .nodeset holds at a value: its equation is replaced by
// x = value, as ngspice does (its row zeroed in every node column and a unit diagonal),
// or, when branch currents enter its row, by 1e10 (x - value) + the branch terms.
type heldNode struct {
	index int
	value float64
	zero  []int32 // the handles of its row to zero: node and state columns
	keep  []int32 // those of branch-current columns, kept
	scale float64 // 1, or heldScale when keep is not empty
	diag  int32
}

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
		dx:      make([]float64, n+1),
		qLin:    make([]float64, n+1),
		hist:    make([]float64, n+1),
		row:     make([]int32, sys.NumHandles()),
		col:     make([]int32, sys.NumHandles()),
		done:    done,
	}
	for k := 0; k < sys.Pattern.NNZ(); k++ {
		r, c := sys.Pattern.At(k)
		e.row[k+1], e.col[k+1] = int32(r+1), int32(c+1)
	}
	e.indexRows()
	e.classify()
	e.ctx.Values = e.vals
	e.ctx.SrcFactor, e.srcStep, e.srcRamp = 1, 1, 1
	e.ctx.Gmin = opt.Gmin
	e.ctx.Timing = ckt.Timing
	e.diagGmin = opt.Gshunt
	e.solver.SetPivoting(opt.PivRel, opt.PivTol)
	e.ics = e.heldNodes(ckt.ICs)
	e.nodesets = e.heldNodes(ckt.Nodesets)
	e.held = make([]bool, n+1)
	e.residualAbsTol = make([]float64, n+1)
	for i, u := range sys.Unknowns[:n+1] {
		switch u.Kind {
		case mna.Node:
			e.residualAbsTol[i] = opt.AbsTol
		case mna.Branch:
			e.residualAbsTol[i] = opt.VnTol
		default:
			e.residualAbsTol[i] = u.AbsTol
		}
	}
	return e
}

// handleLists lists handles by unknown, all in one slice: those of unknown i are
// handles[start[i]:start[i+1]].
type handleLists struct {
	start, handles []int32
}

// of returns the handles of unknown i.
func (l *handleLists) of(i int32) []int32 { return l.handles[l.start[i]:l.start[i+1]] }

// newHandleLists lists the handles h of 1..len(by)-1 with keep(h) under by[h].
func newHandleLists(n int, by []int32, keep func(h int) bool) handleLists {
	l := handleLists{start: make([]int32, n+2)}
	for h := 1; h < len(by); h++ {
		if keep(h) {
			l.start[by[h]+1]++
		}
	}
	for i := 1; i < len(l.start); i++ {
		l.start[i] += l.start[i-1]
	}
	l.handles = make([]int32, l.start[n+1])
	next := append([]int32(nil), l.start[:n+1]...)
	for h := 1; h < len(by); h++ {
		if keep(h) {
			l.handles[next[by[h]]] = int32(h)
			next[by[h]]++
		}
	}
	return l
}

// indexRows fills rows and currents.
func (e *engine) indexRows() {
	unknowns := e.sys.Unknowns
	e.rows = newHandleLists(e.sys.N, e.row, func(int) bool { return true })
	e.currents = newHandleLists(e.sys.N, e.col, func(h int) bool {
		return unknowns[e.col[h]].Kind == mna.Branch && unknowns[e.row[h]].Kind == mna.Node
	})
}

// heldNodes finds the row handles of each node of ics.
func (e *engine) heldNodes(ics []NodeIC) []heldNode {
	if len(ics) == 0 {
		return nil
	}
	out := make([]heldNode, len(ics))
	for k, ic := range ics {
		out[k] = heldNode{index: ic.Index, value: ic.Value, scale: 1, diag: int32(e.sys.Diag[ic.Index])}
	}
	for h := 1; h < len(e.row); h++ {
		for k := range out {
			if int(e.row[h]) != out[k].index {
				continue
			}
			if e.sys.Unknowns[e.col[h]].Kind == mna.Branch {
				out[k].keep = append(out[k].keep, int32(h))
				out[k].scale = heldScale
			} else {
				out[k].zero = append(out[k].zero, int32(h))
			}
		}
	}
	return out
}

// classify sorts the run's Loaders by the optional interfaces the engine serves.
func (e *engine) classify() {
	e.linear, e.unlimited, e.updating, e.scheduling = true, false, true, false
	e.bps, e.limits, e.accepters, e.steps, e.events, e.faulters = e.bps[:0], e.limits[:0], e.accepters[:0], e.steps[:0], e.events[:0], e.faulters[:0]
	for _, d := range e.loaders {
		if _, ok := d.(devices.Linear); !ok {
			e.linear = false
			if _, ok := d.(devices.UpdateAccepting); !ok {
				e.updating = false
			}
		}
		if u, ok := d.(devices.Unlimited); ok && u.Unlimited() {
			e.unlimited = true
		}
		if b, ok := d.(devices.Breakpointer); ok {
			_, land := d.(Lander)
			e.bps = append(e.bps, corner{b, land})
			if _, ok := d.(devices.EventReceiver); ok {
				e.scheduling = true
			}
			if _, ok := d.(devices.Scheduler); ok {
				e.scheduling = true
			}
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
	if e.par != nil {
		if e.par.load(&e.ctx, e.loaders) {
			e.ctx.Limited = true
		}
	} else {
		for _, d := range e.loaders {
			d.Load(&e.ctx)
		}
	}
	if e.opt.Rshunt > 0 || e.opt.Cshunt > 0 {
		e.loadShunts(x)
	}
}

// loadShunts adds .options rshunt's resistor and cshunt's capacitor from every node to
// ground, as elements of the circuit: in every analysis, .ac included.
func (e *engine) loadShunts(x []float64) {
	g := 0.0
	if e.opt.Rshunt > 0 {
		g = 1 / e.opt.Rshunt
	}
	c := e.opt.Cshunt
	v := e.vals
	for i := 1; i <= e.sys.N; i++ {
		if e.sys.Unknowns[i].Kind != mna.Node {
			continue
		}
		d := e.sys.Diag[i]
		v.F[i] += g * x[i]
		v.G[d] += g
		v.Q[i] += c * x[i]
		v.C[d] += c
	}
}

// assemble forms the Newton system J dx = -r from the loaded values, the integration
// coefficients and the convergence aids: the right-hand side here, J when it is read
// (jacobian), unless a held node's equation needs it now.
func (e *engine) assemble() {
	v := e.vals
	a := e.alpha
	// The slices in locals: read through e and v, they would be loaded again after every
	// store (which the compiler cannot tell apart from them).
	rhs := e.rhs
	f, q, hist := v.F[:len(rhs)], v.Q[:len(rhs)], e.hist[:len(rhs)]
	for i := range rhs {
		rhs[i] = -(f[i] + a*q[i] + hist[i])
	}
	if e.diagGmin > 0 {
		for i := 1; i <= e.sys.N; i++ {
			if e.sys.Unknowns[i].Kind == mna.Node {
				e.rhs[i] -= e.diagGmin * e.x[i]
			}
		}
	}
	e.jacStale = true
	for k := range e.ics {
		e.held[e.ics[k].index] = e.clampICs
	}
	for k := range e.nodesets {
		e.held[e.nodesets[k].index] = e.nodesetPhase
	}
	if e.nodesetPhase {
		for k := range e.nodesets {
			e.hold(&e.nodesets[k])
		}
	}
	if e.clampICs {
		for k := range e.ics {
			e.hold(&e.ics[k])
		}
	}
	e.rhs[0] = 0
}

// jacobian returns J = G + alpha*C (with gshunt's diagonal and the held nodes'
// equations) of the last assemble, forming it if it is not yet.
func (e *engine) jacobian() []float64 {
	if !e.jacStale {
		return e.jac
	}
	e.jacStale = false
	v := e.vals
	a := e.alpha
	g, c, jac := v.G, v.C[:len(v.G)], e.jac[:len(v.G)]
	for h, gh := range g {
		jac[h] = gh + a*c[h]
	}
	if e.diagGmin > 0 {
		for i := 1; i <= e.sys.N; i++ {
			if e.sys.Unknowns[i].Kind == mna.Node {
				e.jac[e.sys.Diag[i]] += e.diagGmin
			}
		}
	}
	return e.jac
}

// hold replaces the equation of a held node (see heldNode). The value scales with the
// sources in source stepping, as in ngspice.
func (e *engine) hold(h *heldNode) {
	i := h.index
	jac := e.jacobian()
	r := h.scale * (e.x[i] - h.value*e.srcStep)
	for _, k := range h.zero {
		jac[k] = 0
	}
	for _, k := range h.keep {
		r += jac[k] * e.x[e.col[k]]
	}
	jac[h.diag] = h.scale
	e.rhs[i] = -r
}

// newton iterates from e.x until an update passes SPICE's test and the residual at the
// point it reached passes too (checked with the next load, so that a stiff node's J dx
// is not mistaken for a residual), or maxIter solves. It returns the solves made.
// With acceptUpdate it also ends, as ngspice does, at an update that passes the test
// when the residual at the point it started from (that load's) passed: one Newton step
// past a point already within tolerance, without loading there, and solved with the
// factors of the iteration before unless Options.NoChord. The loaded values are then
// xOld's, as after any converged solve (see transient.charges).
func (e *engine) newton(maxIter int) (int, error) {
	var failure ConvergenceError
	failAt := -1      // the unknown failure names, labelled only if the solve fails: a label allocates
	updateOK := false // the update that reached e.x passed the test
	startOK := false  // the residual at e.x, where the next update starts, passed
	factored := false // the last solve used factors of its own iteration's Jacobian
	for iter := 1; ; iter++ {
		if err := e.done.Err(); err != nil {
			return iter, err
		}
		e.stats.Iterations++
		e.ctx.FirstIteration = iter == 1 && !e.continuing
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
		if e.nodesetPhase && updateOK && !e.ctx.Limited {
			// The held system converged: release the nodesets (ngspice leaves its
			// MODEINITFIX) and iterate on to the circuit's own solution.
			e.nodesetPhase = false
			e.assemble()
			updateOK = false
		}
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
		startOK = false
		if e.acceptUpdate && iter > 1 && !updateOK && !e.ctx.Limited && !e.nodesetPhase {
			startOK, _, _ = e.staticResidualConverged()
		}
		if iter > maxIter {
			break
		}
		// A closing update (its start within tolerance, so the update is too) is solved
		// with the last iteration's factors: its error is the change of the Jacobian
		// between the two times an update within tolerance, and it is tested as any.
		chord := startOK && factored && !e.opt.NoChord
		if !chord {
			if err := e.solver.Factor(e.jacobian()); err != nil {
				return iter, err
			}
		}
		factored = !chord
		if err := e.solver.Solve(e.rhs); err != nil {
			return iter, err
		}
		copy(e.xOld, e.x)
		// In locals: read through e, they would be loaded again for every unknown.
		x, dx := e.x[:e.sys.N+1], e.rhs[:e.sys.N+1]
		for i := 1; i < len(x); i++ {
			x[i] += dx[i]
			if math.IsInf(x[i], 0) {
				return iter, &mna.NotFiniteError{Unknown: e.sys.Unknowns[i]}
			}
		}
		if e.linear && !e.nodesetPhase {
			return iter, nil
		}
		if e.ctx.Continuation && !e.ctx.InitJunctions {
			e.limitGminStep()
		}
		limited := false
		for _, l := range e.limits {
			if l.Limit(e.xOld, e.x) {
				limited = true
			}
		}
		ok, worst, worstDelta := e.updateConverged()
		if e.acceptUpdate && !(ok && !limited) {
			// Only the next iteration's static residual test reads qLin, and only
			// after an update that did not pass.
			e.linearCharges()
		}
		if !ok && e.opt.NodeDamping && iter > 1 && e.inOP {
			e.damp()
		}
		updateOK = ok && !limited
		if updateOK && startOK {
			for _, f := range e.faulters {
				if err := f.StandIn(); err != nil {
					return iter, err
				}
			}
			return iter, nil
		}
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

// setSources scales the independent sources by f (source stepping) and by the ramp.
func (e *engine) setSources(f float64) {
	e.srcStep = f
	e.ctx.SrcFactor = f * e.srcRamp
}

// damp scales an update whose largest node-voltage change exceeds 10 V down to 10 V,
// by a factor of at most 10, as ngspice's nodedamping does in an operating point (which
// looks at increases only; a fall of a node overshoots as badly, so here at both).
func (e *engine) damp() {
	most := 0.0
	for i := 1; i <= e.sys.N; i++ {
		if e.sys.Unknowns[i].Kind == mna.Node {
			most = max(most, math.Abs(e.x[i]-e.xOld[i]))
		}
	}
	if !(most > 10) {
		return
	}
	f := max(10/most, 0.1)
	for i := 1; i <= e.sys.N; i++ {
		e.x[i] = e.xOld[i] + f*(e.x[i]-e.xOld[i])
	}
}

// updateConverged is SPICE's test |x - xOld| <= reltol*max(|x|, |xOld|) + abstol of the
// unknown, a branch current's tolerance raised to the resolution of its update where
// that is coarser (branchResolution). It also returns the unknown that failed it by the
// largest factor.
func (e *engine) updateConverged() (bool, int, float64) {
	ok := true
	worst, worstRatio, worstDelta := 0, 0.0, 0.0
	// In locals: read through e, they would be loaded again for every unknown.
	relTol, unknowns := e.opt.RelTol, e.sys.Unknowns[:e.sys.N+1]
	x, xOld := e.x[:len(unknowns)], e.xOld[:len(unknowns)]
	for i := 1; i < len(unknowns); i++ {
		d := math.Abs(x[i] - xOld[i])
		tol := relTol*max(math.Abs(x[i]), math.Abs(xOld[i])) + unknowns[i].AbsTol
		if !(d <= tol) {
			if unknowns[i].Kind == mna.Branch {
				// Rarely needed, so found only here, for an update that failed.
				if tol = max(tol, e.branchResolution(i)); d <= tol {
					continue
				}
			}
			ok = false
			if r := d / tol; r > worstRatio || math.IsNaN(r) {
				worst, worstRatio, worstDelta = i, r, d
			}
		}
	}
	return ok, worst, worstDelta
}

// resolution is how finely doubles resolve the charge terms of equation r's residual
// near the point x it was loaded at: moving each unknown x_j by an ulp (at most eps
// |x_j|) moves them by alpha |C_rj| ulp(x_j), and no representable point is nearer the
// solution than that in every unknown, so Newton's iterates wander by it. It is found
// only where a test failed (it reads the whole row). At small steps the term can be far
// above reltol times the currents the equation balances: a diode's junction of 1 fF
// between nodes at 1.8 V at a 1.4e-19 s step moves its equation's residual by 1.5e-12 A
// for an ulp of its internal node, against currents of 9e-7 A (reltol 1e-7). The static
// terms G_rj x_j are left out: the residual test allows reltol times their sum already
// (with them, and four ulps, netlists/bsim4_rgeomod.cir's DC sweep changed in its last
// digits).
func (e *engine) resolution(r int32, x []float64) float64 {
	sum := 0.0
	c := e.vals.C
	for _, h := range e.rows.of(r) {
		sum += math.Abs(c[h] * x[e.col[h]])
	}
	return resolutionUlps * epsilon * math.Abs(e.alpha) * sum
}

// resolutionUlps is the ulps of each unknown that resolution allows the iterates: one,
// the bound itself (the ulps of all the unknowns taken at once, of the same sign). Half
// of it was enough for the decks of TestTightTolerancesAtSmallSteps, the SKY130 pfet's
// ramp and ring with tight options.
const resolutionUlps = 1

// branchResolution is the least update of branch current k that its node equations
// resolve. Solved in ngspice's form, J x = J xOld - F, a current is a value of its own
// each iteration, the same bits once the voltages are. Solved as an update, J dx = -F,
// it moves by the residual of the equations it enters, rounding included: the
// resolution of their residuals (an update under half an ulp of a voltage, lost in
// x + dx, stays in the residual), and the rounding of their charge terms (as the
// residual test takes it), over its coefficient there. The current takes that up again
// at every iteration, no voltage moving to absorb it: a pfet's gate current of 3.6e-8 A
// at a 7.7e-19 s step (alpha*Q 1.3e3 A) drifts by 8.9e-15 A an iteration, against a
// tolerance of 3.6e-15 A (reltol 1e-7, abstol 1e-18). It is read at the loaded point,
// xOld.
func (e *engine) branchResolution(k int) float64 {
	alpha, q, hist, jac := e.alpha, e.vals.Q, e.hist, e.jacobian()
	res := 0.0
	for _, h := range e.currents.of(int32(k)) {
		r := e.row[h]
		if e.held[r] || jac[h] == 0 {
			continue // a held node's equation is not a balance of currents; 0: not in it
		}
		res += (e.resolution(r, e.xOld) + chargeRoundoff(alpha, q[r], hist[r])) / math.Abs(jac[h])
	}
	return res
}

// chargeRoundoff is the rounding of an equation's charge terms alpha*Q + hist: they
// nearly cancel at small steps, and their rounding is a floor no iteration can get under.
func chargeRoundoff(alpha, q, hist float64) float64 {
	return 16 * epsilon * (math.Abs(alpha*q) + math.Abs(hist))
}

// linearCharges sets qLin to the charges at e.x by the linearization of the last load,
// made at e.xOld.
func (e *engine) linearCharges() { e.linearized(e.qLin) }

// linearized sets q to Q + C (x - xOld), the charges at e.x by the linearization of the
// last load, made at e.xOld. The update is taken once per unknown (in dx), not once per
// entry: the same bits, in half the instructions.
func (e *engine) linearized(q []float64) {
	dx, x, xOld := e.dx, e.x[:len(e.dx)], e.xOld[:len(e.dx)]
	for i := range dx {
		dx[i] = x[i] - xOld[i]
	}
	copy(q, e.vals.Q)
	c := e.vals.C
	row, col := e.row[:len(c)], e.col[:len(c)]
	for h := 1; h < len(c); h++ {
		q[row[h]] += c[h] * dx[col[h]]
	}
}

// staticResidualConverged is residualConverged on the residual less its charge
// remainder alpha*(Q - qLin): what is left is the static currents' departure from
// their linearization over the last update, which ngspice's devices test (their DC
// currents against the linear prediction, devices' convTest); the charges' is not
// tested within Newton in SPICE (the truncation-error test bounds them after).
func (e *engine) staticResidualConverged() (bool, int, float64) {
	return e.residualTest(e.qLin)
}

// residualConverged checks each equation's residual at the loaded point against reltol
// times the size of the terms it balances, plus an absolute tolerance in its own units.
// The size is estimated from the static terms (|G_ij x_j|) and the dynamic one (the
// capacitor current alpha*Q + hist), never from alpha*Q alone, which a small step inflates.
func (e *engine) residualConverged() (bool, int, float64) {
	return e.residualTest(nil)
}

// residualTest is residualConverged, with the charge remainder alpha*(Q - qLin) taken
// out of each residual when qLin is not nil.
func (e *engine) residualTest(qLin []float64) (bool, int, float64) {
	worst, worstRatio, worstResidual := 0, 0.0, 0.0
	// In locals: read through e, they would be loaded again after every store.
	alpha, q := e.alpha, e.vals.Q
	hist, rhs := e.hist[:len(q)], e.rhs[:len(q)]
	scale := e.xOld[:len(q)] // free until the solve; reused as scratch
	for i := range scale {
		scale[i] = math.Abs(alpha*q[i] + hist[i])
	}
	g, x := e.vals.G, e.x
	row, col := e.row[:len(g)], e.col[:len(g)]
	for h := 1; h < len(g); h++ {
		scale[row[h]] += math.Abs(g[h] * x[col[h]])
	}
	absTol, held := e.residualAbsTol[:len(q)], e.held[:len(q)]
	relTol := e.opt.RelTol
	for i := 1; i < len(q); i++ {
		if held[i] {
			continue // a linear equation, solved exactly
		}
		roundoff := chargeRoundoff(alpha, q[i], hist[i])
		r := rhs[i]
		if qLin != nil {
			r += alpha * (q[i] - qLin[i])
		}
		r = math.Abs(r)
		tol := relTol*scale[i] + absTol[i] + roundoff
		if !(r <= tol) && r <= tol+e.resolution(int32(i), x) {
			continue // within what doubles resolve (rarely needed, so found only here)
		}
		if !(r <= tol) {
			if ratio := r / tol; ratio > worstRatio || math.IsNaN(ratio) {
				worst, worstRatio, worstResidual = i, ratio, r
			}
		}
	}
	return worst == 0, worst, worstResidual
}
