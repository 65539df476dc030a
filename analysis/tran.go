package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// TranSpec is .tran tstep tstop [tstart [tmax]] [uic].
type TranSpec struct {
	Step, Stop, Start, MaxStep float64
	UIC                        bool
	// Pause, when not nil, may stop the run at accepted points and go on (pause.go).
	Pause *Pause
}

// Tmax is the largest step the transient takes: tmax, or SPICE's default
// min(tstep, (tstop - tstart)/50).
func (s TranSpec) Tmax() float64 {
	if s.MaxStep > 0 {
		return s.MaxStep
	}
	return math.Min(s.Step, (s.Stop-s.Start)/50)
}

// MaxTranSteps bounds the time steps a transient may need at the least (tstop/tmax):
// beyond it a run would take hours and write tens of gigabytes, so it is refused up front.
const MaxTranSteps = 1e8

// Tran runs a transient analysis and delivers every accepted time point at or after
// tstart. A run that cannot continue returns a *StopError after delivering what it has.
func Tran(done context.Context, ckt *Circuit, opt Options, spec TranSpec, outputs []Output, sink Sink, log Logger) (Stats, error) {
	return runTransient(done, ckt, opt, spec, outputs, sink, log, nil)
}

// runTransient runs a transient; limit, when not nil, bounds each step further (the
// .pss analysis's, a fraction of the period it has measured).
func runTransient(done context.Context, ckt *Circuit, opt Options, spec TranSpec, outputs []Output, sink Sink, log Logger, limit func() float64) (Stats, error) {
	e := newEngine(done, ckt, opt, log)
	e.ctx.Timing = devices.Timing{Step: spec.Step, Stop: spec.Stop}
	if e.par = newParLoad(e.loaders, opt.LoadWorkers); e.par != nil {
		e.par.start(&e.ctx)
		defer e.par.stop()
	}
	t := newTransient(e, spec, outputs, sink)
	t.limit = limit
	err := t.run()
	return t.finish(), err // t's engine: a resume after alter replaces e (pause.go)
}

// transient is the state of one transient run: the charge history of every equation,
// the step sizes that produced it, and the breakpoint schedule.
type transient struct {
	*engine
	spec    TranSpec
	outputs []Output
	sink    Sink
	out     []float64     // the output row
	rates   []*chargeRate // the outputs that are charges' derivatives (rate.go)

	maxStep, minStep float64
	limit            func() float64 // a further bound on the step, if not nil
	// sameCorner: corners closer than it are one (nextBreakpoint): the minimum step, or
	// a few roundings of tstop where those are larger.
	sameCorner float64

	xn        []float64    // the last accepted solution
	xp        []float64    // the one before it
	lastIters int          // the Newton iterations of the last step
	resume    bool         // the next attempt goes on from the last iterate of a failed one
	q         [4][]float64 // Q at t(n+1) (the candidate), t(n), t(n-1), t(n-2)
	qdot      [2][]float64 // dQ/dt at t(n+1) and t(n)
	dt        [3]float64   // the candidate step, then the two before it
	// per-equation tolerances of the truncation-error test: on dQ/dt and on Q
	rateTol, chargeTol []float64

	order  int
	worstQ int // the equation that limited the last truncation-error estimate
	// the weights of hist, for a charge of its own (rate.go): hist = histQ1 Q(n) +
	// histQ2 Q(n-1) + histRate dQ/dt(n)
	histQ1, histQ2, histRate float64

	// The first and second divided differences of Q (dQ/dt and d2Q/dt2 up to a factor)
	// at the candidate (dq[0], d2q[0]), set by truncation, and at the last accepted point
	// (dq[1], d2q[1]), which diffsKnown says hold: truncation ran on the candidate that was
	// accepted (candidateDiffs), and the charge history was not restarted since.
	dq, d2q                    [2][]float64
	candidateDiffs, diffsKnown bool
}

func newTransient(e *engine, spec TranSpec, outputs []Output, sink Sink) *transient {
	n := e.sys.N + 1
	t := &transient{engine: e, spec: spec, sink: sink}
	t.outputs, t.rates = rateOutputs(outputs) // rate.go
	t.out = make([]float64, len(outputs)+1)
	t.maxStep = spec.Tmax()
	t.minStep = 1e-11 * t.maxStep
	t.sameCorner = max(t.minStep, cornerRoundings*ulp(spec.Stop))
	t.xn = make([]float64, n)
	t.xp = make([]float64, n)
	for k := range t.q {
		t.q[k] = make([]float64, n)
	}
	for k := range t.qdot {
		t.qdot[k] = make([]float64, n)
	}
	for k := range t.dq {
		t.dq[k], t.d2q[k] = make([]float64, n), make([]float64, n)
	}
	t.rateTol = make([]float64, n)
	t.chargeTol = make([]float64, n)
	for i, u := range e.sys.Unknowns {
		if u.Kind == mna.State {
			t.rateTol[i], t.chargeTol[i] = u.AbsTol, u.AbsTol
		} else {
			t.rateTol[i], t.chargeTol[i] = e.opt.AbsTol, e.opt.ChgTol
		}
	}
	return t
}

func (t *transient) run() error {
	if err := t.sink.Begin(columns([]Column{{Name: "time", Quantity: Time}}, t.outputs)); err != nil {
		return err
	}
	if err := t.initialPoint(); err != nil {
		return &StopError{Analysis: "tran", Err: fmt.Errorf("initial operating point: %w", err)}
	}
	now := 0.0
	t.acceptDevices(now)
	if _, err := t.fireEvents(now); err != nil {
		return err
	}
	// With uic the point at t = 0 is not a solution of the circuit, and ngspice does not
	// write it either.
	if t.spec.Start == 0 && !t.spec.UIC {
		if err := t.emit(now); err != nil {
			return err
		}
	}

	stop := t.spec.Stop
	h := math.Min(stop/100, t.spec.Step) / 10
	savedH := stop / 50
	// first: the very first step; fresh: no charge history to estimate the truncation
	// error from (the first step, and the first after a device event).
	atBreak, first, fresh := true, true, true
	bp := t.nextBreakpoint(now)
	t.order = 1

	for now < stop {
		if err := t.done.Err(); err != nil {
			return &StopError{Analysis: "tran", Time: now, Err: err}
		}
		// Choose the step: no larger than tmax, small and first order after a corner.
		h = math.Min(h, t.maxStep)
		if t.limit != nil {
			h = math.Min(h, t.limit())
		}
		if atBreak {
			t.order = 1
			h = math.Min(h, 0.1*math.Min(savedH, bp-now))
			if first {
				h /= 10
			}
			h = math.Max(h, 2*t.minStep)
		} else if now+h >= bp-t.minStep {
			savedH = h
		}
		var next, newH float64
		wanted := 0.0 // the step before it was cut to land on the corner
		for {
			// Land exactly on the next corner rather than step over it.
			next = now + h
			if next >= bp-t.minStep {
				wanted, next, h = h, bp, bp-now
			} else if h < t.minStep {
				h = next - now // a state's step below the minimum step: exactly the one taken
			}
			var err error
			newH, err = t.step(next, h, fresh, atBreak)
			if err == nil {
				break
			}
			if !errors.Is(err, errRejected) {
				return &StopError{Analysis: "tran", Time: now, Err: err}
			}
			h = newH
		}

		now = next
		t.accept(h)
		t.acceptDevices(now)
		// tstart is a breakpoint, but it may merge with a source corner a rounding away.
		if now >= t.spec.Start-t.minStep {
			if err := t.emit(now); err != nil {
				return err
			}
			if err := t.pause(now, &bp); err != nil { // pause.go
				return err
			}
		}
		fired, err := t.fireEvents(now)
		if err != nil {
			return err
		}
		first, fresh = false, false
		landed := now == bp
		atBreak = landed && !t.softBP
		if landed || t.scheduling {
			bp = t.nextBreakpoint(now)
		}
		h = newH
		if landed && !atBreak {
			// Landed on a Lander's corner: go on with the step wanted before it was cut
			// to land, as if the corner were not there.
			h = math.Max(h, wanted)
		}
		if fired {
			// The state jumped: restart from it like after a corner, the history forgotten.
			atBreak, fresh = true, true
		}
	}
	return nil
}

// errRejected marks a step to be retried with the step size step returned.
var errRejected = errors.New("step rejected")

// step attempts the step of size h that ends at next; atBreak says it starts at a corner,
// where the waveform breaks. It returns the size for the next step, or errRejected with
// the size to retry with, or an error that ends the run.
func (t *transient) step(next, h float64, fresh, atBreak bool) (float64, error) {
	t.dt[0] = h
	t.candidateDiffs = false // until truncation estimates this attempt's
	t.setCoefficients(h)
	t.ctx.Mode = devices.ModeTran
	t.ctx.Time = next
	t.ramp(next)
	resumed := t.resume
	if !resumed {
		copy(t.x, t.xn)
	}
	t.resume = false
	// Extrapolate only while Newton finds the solution easily: at a sharp edge, where it
	// does not, a prediction along the last step misses more often than it helps. In a
	// circuit of UpdateAccepting devices (BSIM4's, which ngspice predicts at every point)
	// three solves are easy still: without the prediction most points of a gate-level
	// circuit need three instead of two.
	easy := 2
	if t.updating {
		easy = 3
	}
	predicted := !resumed && !fresh && !atBreak && t.lastIters <= easy
	if predicted {
		r := h / t.dt[1]
		for i := 1; i < len(t.x); i++ {
			t.x[i] += r * (t.xn[i] - t.xp[i])
		}
	}
	// A resumed solve limits the junctions against their last evaluation too, as the
	// failed one would have gone on doing.
	t.ctx.Predicted = predicted || resumed
	t.acceptUpdate = t.updating
	iters, err := t.newton(t.pointIterations())
	t.ctx.Predicted = false
	t.lastIters = iters
	if err != nil && predicted && t.done.Err() == nil {
		// The extrapolation missed (a sharp edge began within the step): try again from
		// the last solution before cutting the step.
		copy(t.x, t.xn)
		_, err = t.newton(t.pointIterations())
	}
	t.acceptUpdate = false
	if err != nil {
		if t.done.Err() != nil {
			return 0, err
		}
		t.stats.NewtonFailures++
		t.order = 1
		t.resume = t.resumable(err)
		if h/8 < t.minStep {
			if d := t.divergence(err); d != nil {
				return 0, d
			}
			return 0, fmt.Errorf("timestep too small (%.3g s, the minimum is %.3g s): %w", h/8, t.minStep, err)
		}
		return h / 8, errRejected
	}
	t.charges(t.q[0])
	for i := range t.qdot[0] {
		t.qdot[0][i] = t.alpha*t.q[0][i] + t.hist[i]
	}
	if frac := t.eventFraction(h); frac < 1 {
		// A device event falls within the step: land on it.
		t.stats.Rejected++
		return math.Max(frac*h, t.minStep), errRejected
	}
	if fresh {
		return h, nil // SPICE takes the first step without a truncation test
	}

	newH := t.stepBound(t.order, h)
	if newH > 0.9*h {
		if t.order == 1 && t.opt.MaxOrder > 1 {
			// Try the second order: keep it only if it allows a clearly larger step.
			newH = t.stepBound(2, h)
			if newH > 1.05*h {
				t.order = 2
			}
		}
		return newH, nil
	}
	t.stats.Rejected++
	if newH <= t.minStep {
		if h > t.minStep {
			return t.minStep, errRejected
		}
		if floor := t.stateFloor(next - h); t.sys.Unknowns[t.worstQ].Kind == mna.State && h > floor {
			return math.Max(newH, floor), errRejected
		}
		return 0, fmt.Errorf("timestep too small (%.3g s): the truncation error of %s stays too large",
			newH, t.sys.Unknowns[t.worstQ].Label())
	}
	return newH, errRejected
}

// stateFloor is the least step below the minimum step that the truncation error of a
// device's state variable (mna.State) may ask for at time now: 64 units in the last place
// of now, where the step is still resolved to 1.5%. SPICE's minimum step, 1e-11 tmax,
// is about node charges; a drift memristor's state can stop within femtoseconds at its
// window's wall (TEAM's Kvatinsky window, wc = 1e-3 nm, memristorTEAM_test.cir at reltol
// 1e-4), which Xyce, whose least step is of the order of the time's resolution, resolves
// in some 200 steps under 1e-15 s. ngspice's devices have no such states, so no netlist
// that ngspice runs takes these steps.
func (t *transient) stateFloor(now float64) float64 {
	return 64 * (math.Nextafter(now, math.Inf(1)) - now)
}

// ngspiceIterations is the fewest Newton iterations a time point gets, where it applies,
// before its step is cut. ngspice's NIiter raises any limit below 100 to 100 at every
// time point, so that its itl4 (10 by default) never binds. gospice keeps itl4 where
// every nonlinear device limits its updates (junctions, the memristor: a failure there
// is a step too large, which a cut mends, and the neuron's step sequences were set so),
// and gives the 100
//   - to the first point, which a uic start needs: a node without .ic (a supply) jumps
//     to its value in the first step, the junctions on it start forward biased by that
//     voltage, and Newton walks them down about a thermal voltage per iteration (97
//     iterations for a ring oscillator on 3.3 V, as in ngspice);
//   - to every point of a circuit with a device that limits nothing (devices.Unlimited,
//     a behavioural expression): through the fold of a high-gain loop of such devices
//     (a comparator with positive feedback) the solution jumps to another branch at any
//     step, and undamped Newton wanders 10 to 100 iterations before it lands there. With
//     itl4 the step is cut instead, which does not remove the jump: the accepted points
//     creep up to the fold, where the Jacobian is singular and Newton cannot leave, and
//     the run stops at the minimum step.
const ngspiceIterations = 100

// pointIterations is the Newton iterations the next time point may take.
func (t *transient) pointIterations() int {
	if t.stats.Points == 0 || t.unlimited {
		return max(t.opt.ITL4, ngspiceIterations)
	}
	return t.opt.ITL4
}

// resumable says whether the attempt after a Newton failure goes on from the failure's
// last iterate rather than from the last accepted point. ngspice's does (its next
// NIiter loads the last iterate, its devices predicting only their junctions), so that
// the iterations of a failed attempt across a fold are not lost but continue at the cut
// step; gospice does so in the circuits given ngspice's iterations (pointIterations)
// when the failure was Newton's alone, at an iterate with every value finite.
func (t *transient) resumable(err error) bool {
	var ce *ConvergenceError
	if !t.unlimited || !errors.As(err, &ce) {
		return false
	}
	for _, v := range t.x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// divergenceSize is a value no circuit quantity reaches unless the solution grows
// without bound: 1e30 volts, amperes or state units.
const divergenceSize = 1e30

// divergence explains a Newton failure at the minimum step as a solution that grows
// without bound, when it is one: the step overflowed, and the last accepted point already
// held an unknown beyond divergenceSize. It returns nil otherwise.
func (t *transient) divergence(err error) error {
	var nf *mna.NotFiniteError
	if !errors.As(err, &nf) {
		return nil
	}
	worst := 0
	for i := 1; i <= t.sys.N; i++ {
		if math.Abs(t.xn[i]) > math.Abs(t.xn[worst]) {
			worst = i
		}
	}
	if !(math.Abs(t.xn[worst]) > divergenceSize) {
		return nil
	}
	return fmt.Errorf("the solution diverges: %s reached %.3g and overflows in the next step (positive feedback, or a negative resistance, with nothing to limit it?)",
		t.sys.Unknowns[worst].Label(), t.xn[worst])
}

// initialPoint computes x and Q at t = 0: the operating point with .ic nodes held, or with
// uic the given initial conditions as they are.
func (t *transient) initialPoint() error {
	if t.spec.UIC {
		clear(t.x)
		for _, ic := range t.ckt.ICs {
			t.x[ic.Index] = ic.Value
		}
		for _, d := range t.loaders {
			if s, ok := d.(devices.InitialState); ok {
				s.SetInitial(t.x)
			}
		}
		t.ctx.Mode = devices.ModeTranOP
		t.ctx.UIC = true
		t.load(t.x)
		t.ctx.UIC = false
		copy(t.q[0], t.vals.Q)
	} else {
		t.ctx.Mode = devices.ModeTranOP
		t.ramp(0)
		t.clampICs = true
		err := t.operatingPoint()
		for err != nil && t.holdFloatingIC(err) {
			err = t.operatingPoint()
		}
		t.stats.OPIterations = t.stats.Iterations
		t.clampICs = false
		if err != nil {
			return err
		}
		t.charges(t.q[0])
	}
	copy(t.xn, t.x)
	for k := 1; k < len(t.q); k++ {
		copy(t.q[k], t.q[0])
	}
	clear(t.qdot[0])
	clear(t.qdot[1])
	t.diffsKnown = false
	t.startRates(t.xn) // rate.go
	t.dt = [3]float64{t.maxStep, t.maxStep, t.maxStep}
	return nil
}

// holdFloatingIC answers an operating point that failed at a node with no DC path to
// ground: when a capacitor from that node to ground has IC=, the node is held at it, as
// .ic would hold it, and it reports true for the operating point to be tried again.
// ngspice ignores IC= without uic and gives such a node whatever its pseudo-transient
// fallback leaves (0 V); Xyce holds every IC= in its operating point, and Xyce's netlists
// rely on it for a state variable kept on a capacitor fed only by a G source
// (memristorYakopcic.cir). Only a node that has no operating point otherwise is held, so
// no circuit that ngspice solves changes.
func (t *transient) holdFloatingIC(err error) bool {
	var s *mna.SingularError
	if !errors.As(err, &s) || s.Unknown.Kind != mna.Node {
		return false
	}
	node, ok := t.sys.Lookup(s.Unknown.Label())
	if !ok || slices.ContainsFunc(t.ics, func(h heldNode) bool { return h.index == node }) {
		return false
	}
	for _, d := range t.loaders {
		g, ok := d.(devices.GroundedIC)
		if !ok {
			continue
		}
		if n, v, ok := g.GroundedIC(); ok && n == node {
			t.ics = append(t.ics, t.heldNodes([]NodeIC{{Index: node, Value: v}})...)
			t.log("%s has no DC path to ground: held at its capacitor's IC=%g V in the initial operating point, as Xyce does", s.Unknown.Label(), v)
			return true
		}
	}
	return false
}

// charges computes Q at the converged x from the last load (made at xOld): Q + C (x - xOld),
// exact for linear charges and second order in the last update otherwise.
func (t *transient) charges(q []float64) {
	t.linearized(q)
	q[0] = 0
}

// setCoefficients sets alpha and hist so that dQ/dt at the new point is alpha*Q + hist:
// backward Euler at order 1, trapezoidal or variable-step Gear-2 at order 2.
func (t *transient) setCoefficients(h float64) {
	q1, q2, qd1 := t.q[1], t.q[2], t.qdot[1]
	switch {
	case t.order == 1:
		t.alpha = 1 / h
		t.histQ1, t.histQ2, t.histRate = -1/h, 0, 0
		for i := range t.hist {
			t.hist[i] = -q1[i] / h
		}
	case t.opt.Method == Trapezoidal && t.opt.Xmu == 0.5:
		t.alpha = 2 / h
		t.histQ1, t.histQ2, t.histRate = -t.alpha, 0, -1
		for i := range t.hist {
			t.hist[i] = -t.alpha*q1[i] - qd1[i]
		}
	case t.opt.Method == Trapezoidal:
		// ngspice's xmu: dQ/dt(n+1) = (Q(n+1) - Q(n)) / (h (1 - xmu)) - xmu/(1 - xmu) dQ/dt(n),
		// the trapezoidal rule at 0.5 and backward Euler at 0.
		t.alpha = 1 / (h * (1 - t.opt.Xmu))
		w := t.opt.Xmu / (1 - t.opt.Xmu)
		t.histQ1, t.histQ2, t.histRate = -t.alpha, 0, -w
		for i := range t.hist {
			t.hist[i] = -t.alpha*q1[i] - w*qd1[i]
		}
	default:
		r := h / t.dt[1]
		t.alpha = (1 + 2*r) / (h * (1 + r))
		c1 := -(1 + r) / h
		c2 := r * r / (h * (1 + r))
		t.histQ1, t.histQ2, t.histRate = c1, c2, 0
		for i := range t.hist {
			t.hist[i] = c1*q1[i] + c2*q2[i]
		}
	}
}

// stepBound is the largest step the truncation error at the given order and the devices'
// own bounds allow after the candidate point of step h.
func (t *transient) stepBound(order int, h float64) float64 {
	bound := t.truncation(order, h)
	t.ctx.X = t.x
	for _, d := range t.steps {
		bound = math.Min(bound, d.MaxStep(&t.ctx, h))
	}
	return bound
}

// truncation estimates, from divided differences of Q, the largest step that keeps the
// local truncation error of every equation within trtol times its tolerance, as SPICE's
// CKTterr does; the step may at most double.
//
// The candidate's first and second divided differences are kept (t.dq, t.d2q): once the
// candidate is accepted they are, to the bit, the differences the next step's estimate
// would compute from the same charges and steps, so it computes only its own (five
// divisions instead of eight at order 2). And the root of order 2 is taken once, of the least
// estimate: the root is monotonic and correctly rounded, so the least of the roots is
// the root of the least.
func (t *transient) truncation(order int, h float64) float64 {
	factor := 0.5
	if order == 2 {
		factor = 1.0 / 12
		if t.opt.Method == Gear {
			factor = 2.0 / 9
		}
	}
	// In locals: read through t, they would be loaded again for every equation.
	relTol, trTol := t.opt.RelTol, t.opt.TrTol
	d0, d1, d2 := h, t.dt[1], t.dt[2]
	q0 := t.q[0]
	q1, q2, q3 := t.q[1][:len(q0)], t.q[2][:len(q0)], t.q[3][:len(q0)]
	qd0, qd1 := t.qdot[0][:len(q0)], t.qdot[1][:len(q0)]
	rateTol, chargeTol := t.rateTol[:len(q0)], t.chargeTol[:len(q0)]
	dq, d2q := t.dq[0][:len(q0)], t.d2q[0][:len(q0)]
	known := t.diffsKnown
	dqLast, d2qLast := t.dq[1][:len(q0)], t.d2q[1][:len(q0)]
	least, at := math.Inf(1), 0
	for i := 1; i < len(q0); i++ {
		if q0[i] == 0 && q1[i] == 0 && q2[i] == 0 && q3[i] == 0 {
			// Both differences are zeros (of either sign, which no estimate that reads
			// them can tell apart: they are added to others or taken absolute).
			dq[i], d2q[i] = 0, 0
			continue
		}
		tol := max(
			rateTol[i]+relTol*max(math.Abs(qd0[i]), math.Abs(qd1[i])),
			relTol*max(math.Abs(q0[i]), math.Abs(q1[i]), chargeTol[i])/h)
		a := (q0[i] - q1[i]) / d0
		var b float64
		if known {
			b = dqLast[i]
		} else {
			b = (q1[i] - q2[i]) / d1
		}
		diff := (a - b) / (d0 + d1)
		dq[i], d2q[i] = a, diff
		if order == 2 {
			var last float64 // the last point's second difference
			if known {
				last = d2qLast[i]
			} else {
				c := (q2[i] - q3[i]) / d2
				last = (b - c) / (d1 + d2)
			}
			diff = (diff - last) / (d0 + d1 + d2)
		}
		del := trTol * tol / max(rateTol[i], factor*math.Abs(diff))
		if del < least {
			least, at = del, i
		}
	}
	t.candidateDiffs = true
	if order == 2 {
		least = math.Sqrt(least)
	}
	if !(least < 2*h) {
		return 2 * h
	}
	t.worstQ = at
	return least
}

// accept makes the candidate point the new history.
func (t *transient) accept(h float64) {
	copy(t.xp, t.xn)
	copy(t.xn, t.x)
	t.q[3], t.q[2], t.q[1], t.q[0] = t.q[2], t.q[1], t.q[0], t.q[3]
	t.qdot[1], t.qdot[0] = t.qdot[0], t.qdot[1]
	t.dt[2], t.dt[1] = t.dt[1], h
	t.dq[0], t.dq[1] = t.dq[1], t.dq[0]
	t.d2q[0], t.d2q[1] = t.d2q[1], t.d2q[0]
	t.diffsKnown, t.candidateDiffs = t.candidateDiffs, false
	t.acceptRates(t.xn) // rate.go
	t.stats.Points++
}

// eventFraction is the earliest fraction of the step h at which a device event falls.
func (t *transient) eventFraction(h float64) float64 {
	frac := math.Inf(1)
	t.ctx.X = t.x
	for _, d := range t.events {
		frac = math.Min(frac, d.EventStep(&t.ctx, h))
	}
	return frac
}

// fireEvents applies the device events due at now to the accepted solution. When any
// fired, the charges are those of the new state and their history starts over from it,
// and a second row at now shows the state after the jump.
func (t *transient) fireEvents(now float64) (bool, error) {
	t.ctx.Mode = devices.ModeTran
	t.ctx.Time = now
	t.ctx.X = t.xn
	fired := false
	for _, d := range t.events {
		if d.Fire(&t.ctx) {
			fired = true
			t.stats.Events++
		}
	}
	if fired {
		t.load(t.xn)
		for k := 1; k < len(t.q); k++ {
			copy(t.q[k], t.vals.Q)
		}
		clear(t.qdot[1])
		t.diffsKnown = false
		t.acceptDevices(now)
		if now >= t.spec.Start-t.minStep {
			return true, t.emit(now)
		}
	}
	return fired, nil
}

// acceptDevices tells the devices that keep history the accepted solution at now.
func (t *transient) acceptDevices(now float64) {
	t.ctx.Mode = devices.ModeTran
	t.ctx.Time = now
	t.ctx.X = t.xn
	for _, d := range t.accepters {
		d.Accept(&t.ctx)
	}
}

// ramp scales the independent sources for .options ramptime: from 0 at t = 0 (the
// initial operating point too) to whole at t = ramptime, as ngspice does.
func (t *transient) ramp(now float64) {
	if t.opt.RampTime > 0 {
		t.srcRamp = min(1, now/t.opt.RampTime)
		t.setSources(t.srcStep)
	}
}

// A Lander is a Breakpointer whose corners the transient lands on without restarting the
// integration there: order and step go on as if the corner were not there, unless
// another corner falls at the same time (a partitioned block's synchronization points
// under .options corners=whole, docs/partition.md).
type Lander interface {
	devices.Breakpointer
	LandOnly()
}

// corner is a device with corners, and whether it is a Lander (found once, not at every
// step).
type corner struct {
	devices.Breakpointer
	land bool
}

// nextBreakpoint is the first corner after now: a source's, tstart's, the end of the
// ramp of .options ramptime, or tstop.
func (t *transient) nextBreakpoint(now float64) float64 {
	bp := t.spec.Stop
	if now < t.spec.Start {
		bp = t.spec.Start
	}
	bp = t.pauseCorner(now, bp) // pause.go
	if r := t.opt.RampTime; r > now && r < bp {
		bp = r
	}
	// Corners closer than sameCorner are one: the minimum step, or a few roundings. A
	// PULSE's end of fall and its next period's start, n per + tr + pw + tf and (n+1)
	// per, can differ by one rounding (4e-19 s at 3.2 ms, above the minimum step of
	// tmax = 5 ns: examples/vdmos/dcdc.sp), and a step that small leaves the Newton
	// matrix, its capacitances over the step, unsolvable. tstop stays where it is.
	near := t.sameCorner
	soft := false
	for _, d := range t.bps {
		b, land := d.NextBreakpoint(now, t.ctx.Timing), d.land
		switch {
		case b < bp-near:
			bp, soft = b, land
		case b <= bp+near: // the same corner: restart if any asks
			if bp != t.spec.Stop {
				bp = min(b, bp)
			}
			soft = soft && land
		}
	}
	t.softBP = soft
	// Corners that close to now are now.
	if bp-now <= near && bp < t.spec.Stop {
		return t.nextBreakpoint(now + near)
	}
	return bp
}

// cornerRoundings is how many roundings of tstop apart two corners are the same.
const cornerRoundings = 16

// ulp is the spacing of the floating-point numbers at x.
func ulp(x float64) float64 { return math.Nextafter(math.Abs(x), math.Inf(1)) - math.Abs(x) }

func (t *transient) emit(now float64) error {
	t.out[0] = now
	fill(t.out[1:], t.outputs, t.xn)
	return t.sink.Point(t.out)
}
