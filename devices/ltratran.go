package devices

import "math"

// The lossy line in a transient: each run keeps the ports' voltages and currents at
// every accepted point (the convolution needs all of them) and, once per trial time
// point, sums the history's part of each port's equation; the Newton iterations of that
// point then only stamp it.

// The port signals of the history, in this order.
const (
	sigV1 = iota
	sigV2
	sigI1
	sigI2
	numSignals
)

// ltraRun is one run of an LTRA.
type ltraRun struct {
	*LTRA
	kern    [3]ltraKernel // y0, y0 h, h, with this run's tables
	times   []float64
	sig     [numSignals][]float64 // the signals at times
	dm      [numSignals][]float64 // dm[x][j]: the slope change of x at times[j], for j < len(times)-1
	corners cornerQueue
	largest [numSignals]float64 // the largest magnitude of each signal so far
	uic     bool

	// The history's part of the equations at the trial time point at, for the history
	// of version: known[k] the constant of port k's equation, coef[kernel] the weight of
	// the signal's present value.
	at      float64
	version int
	cached  int // the version known and coef are of; 0: none
	known   [2]float64
	coef    [3]float64
}

// The kernels in ltraRun.kern.
const (
	kernY0 = iota
	kernY0H
	kernH
)

func (o *LTRA) NewRun() Loader {
	const capacity = 256 // grows by doubling between time points
	r := &ltraRun{LTRA: o, kern: [3]ltraKernel{o.y0, o.y0h, o.h}, corners: make(cornerQueue, 0, 8)}
	r.times = make([]float64, 0, capacity)
	for x := range r.sig {
		r.sig[x] = make([]float64, 0, capacity)
		r.dm[x] = make([]float64, 0, capacity)
	}
	return r
}

// Linear says the line's equations are linear in the unknowns.
func (r *ltraRun) Linear() {}

// AdmittanceReadsFrequency says that the line's admittance depends on the frequency.
func (r *ltraRun) AdmittanceReadsFrequency() bool { return true }

// SchedulesCorners says that the line adds corners as the transient runs.
func (r *ltraRun) SchedulesCorners() {}

func (r *ltraRun) Load(ctx *Context) {
	switch {
	case ctx.Mode == ModeAC:
		r.loadAC(ctx)
	case ctx.Mode == ModeTran && len(r.times) > 0 && r.kind != ltraRG:
		r.loadTran(ctx)
	default:
		if ctx.UIC {
			r.uic = true
		}
		r.loadDC(ctx)
	}
}

// loadTran loads each port's equation i_k = y0*v_k - (y0 h)*v_other - h*i_other.
func (r *ltraRun) loadTran(ctx *Context) {
	if r.cached != r.version || r.at != ctx.Time {
		r.prepare(ctx.Time)
	}
	r.loadKCL(ctx)
	x := ctx.X
	cy, cyh, ch := r.coef[kernY0], r.coef[kernY0H], r.coef[kernH]
	for k := range r.ports {
		pt, q := &r.ports[k], &r.ports[1-k]
		ctx.F[pt.br] += r.known[k] + cy*portVoltage(x, pt) - cyh*portVoltage(x, q) - ch*x[q.br] - x[pt.br]
		ctx.G[pt.hbp] += cy
		ctx.G[pt.hbn] -= cy
		ctx.G[pt.hop] -= cyh
		ctx.G[pt.hon] += cyh
		ctx.G[pt.hob] -= ch
		ctx.G[pt.hbb]--
	}
}

// prepare sums the history's part of the ports' equations at time t.
func (r *ltraRun) prepare(t float64) {
	r.at, r.cached = t, r.version
	n := len(r.times)
	h := t - r.times[n-1]
	var conv [3][2]float64 // conv[kernel][port]: the known part of the kernel on its signal of port k
	inputs := [3][2]int{{sigV1, sigV2}, {sigV2, sigV1}, {sigI2, sigI1}}
	for kk := range r.kern {
		kern := &r.kern[kk]
		rampH := kern.ramp(h)
		var known [2]float64
		for k, x := range inputs[kk] {
			known[k] = kern.tail*r.sig[x][0] - rampH*r.lastSlope(x) - r.sig[x][n-1]*rampH/h
		}
		// The slope changes of the signals at the points old enough for the response.
		for j := 0; j < n-1 && t-r.times[j] > kern.at; j++ {
			ramp := kern.ramp(t - r.times[j])
			known[0] += ramp * r.dm[inputs[kk][0]][j]
			known[1] += ramp * r.dm[inputs[kk][1]][j]
		}
		weight := 1.0 // of the present value in the impulse's: an impulse at 0 takes it all
		for k, x := range inputs[kk] {
			delayed := 0.0
			if kern.at > 0 {
				delayed, weight = r.delayed(x, t-kern.at, t)
			}
			conv[kk][k] = kern.scale * (known[k] + kern.delta*delayed)
		}
		r.coef[kk] = kern.scale * (rampH/h + kern.delta*weight)
	}
	for k := range r.known {
		r.known[k] = conv[kernY0][k] - conv[kernY0H][k] - conv[kernH][k]
	}
}

// delayed is the signal x at s < t, as its known part and the weight of its value at t.
func (r *ltraRun) delayed(x int, s, t float64) (known, weight float64) {
	if r.m.linInterp != 0 {
		return interpolateDelayedLinear(r.times, r.sig[x], s, t)
	}
	return interpolateDelayed(r.times, r.sig[x], s, t)
}

// lastSlope is the slope of the signal x over the last accepted step (0 at the first
// point: before it the signals were constant).
func (r *ltraRun) lastSlope(x int) float64 {
	n := len(r.times)
	if n < 2 {
		return 0
	}
	return (r.sig[x][n-1] - r.sig[x][n-2]) / (r.times[n-1] - r.times[n-2])
}

// Accept records the ports' signals at the accepted point with the slope changes they
// make, extends the RLC line's tables to cover the run, and schedules a breakpoint a
// delay after a point where a port voltage's slope changed sharply (rel, abs).
func (r *ltraRun) Accept(ctx *Context) {
	var s [numSignals]float64
	for k := range r.ports {
		s[sigV1+k] = portVoltage(ctx.X, &r.ports[k])
		s[sigI1+k] = ctx.X[r.ports[k].br]
	}
	if len(r.times) == 0 && r.uic {
		s = [numSignals]float64{r.ic[0], r.ic[2], r.ic[1], r.ic[3]}
	}
	r.record(ctx, s)
}

// record adds the port signals s (sigV1 ... sigI2) at the accepted point ctx.Time to the
// history, with the slope changes they make, extends the tables and looks for a corner.
func (r *ltraRun) record(ctx *Context, s [numSignals]float64) {
	r.version++
	n := len(r.times)
	if n > 0 && ctx.Time <= r.times[n-1] {
		// The same point again (after a device event): its values replace the last.
		r.times = r.times[:n-1]
		for x := range r.sig {
			r.sig[x] = r.sig[x][:n-1]
			if n > 1 {
				r.dm[x] = r.dm[x][:n-2]
			}
		}
		n--
	}
	for x := range r.sig {
		if n > 0 {
			before := r.lastSlope(x)
			m := (s[x] - r.sig[x][n-1]) / (ctx.Time - r.times[n-1])
			r.dm[x] = append(r.dm[x], m-before)
		}
		r.sig[x] = append(r.sig[x], s[x])
	}
	r.times = append(r.times, ctx.Time)
	r.extendTables(ctx)
	r.findCorner()
}

// findCorner tests the slopes of the ports' voltages and currents at the point before
// the last one (the signals were constant before the first), as ngspice does: a sharp
// turn there reaches the other port a delay later. Unlike ngspice, a turn that moves the
// signal, over the shorter of its two steps, by less than 1e-3 of the largest value the
// signal has had (plus 1 uV or 1 pA) is left alone: a circuit that drives both ends
// makes small wiggles at short steps, and each would make a breakpoint a delay later,
// where the short steps after it make more (measured: ltra1_4_line.sp of ngspice's
// examples went from ~1,000 points to steps of 1e-14 s).
func (r *ltraRun) findCorner() {
	n := len(r.times)
	if n < 2 || r.tau == 0 {
		return
	}
	h2 := r.times[n-1] - r.times[n-2]
	for x := range r.sig {
		w := r.sig[x][n-2:]
		d1, h := 0.0, h2
		if n >= 3 {
			h1 := r.times[n-2] - r.times[n-3]
			d1, h = (w[0]-r.sig[x][n-3])/h1, math.Min(h1, h2)
		}
		d2 := r.lastSlope(x)
		floor := 1e-6
		if x >= sigI1 {
			floor = 1e-12
		}
		r.largest[x] = math.Max(r.largest[x], math.Abs(w[1]))
		moved := math.Abs(d2-d1)*h > 1e-3*r.largest[x]+floor
		if moved && sharpTurn(d1, d2, r.m.rel, r.m.abs) {
			if debugLTRA {
				println("corner", r.name, x, r.times[n-2], d1, d2, h, w[0], w[1])
			}
			r.corners.add(r.times[n-2] + r.tau)
			return
		}
	}
}

// maxTableCells bounds an RLC line's tables: a longer run reads them on a coarser grid.
const maxTableCells = 1 << 18

// extendTables makes the RLC line's tables reach past any time point the run can ask
// for next: its stop time, or further when the run goes on beyond it.
func (r *ltraRun) extendTables(ctx *Context) {
	if r.kind != ltraRLC {
		return
	}
	now := r.times[len(r.times)-1]
	until := math.Max(1.01*ctx.Timing.Stop, 1.5*now) + 4*r.tableStep
	for kk := range r.kern {
		kern := &r.kern[kk]
		if len(kern.table.ramp) == 0 {
			kern.table.step = math.Max(r.tableStep, (until-kern.at)/maxTableCells)
		}
		if kern.table.end() < until {
			kern.table.extend(kern.cont, until)
		}
	}
}

// MaxStep keeps the step within the line's delay, as ngspice does unless the model says
// nosteplimit.
func (r *ltraRun) MaxStep(_ *Context, _ float64) float64 {
	if r.m.noStepLimit != 0 || r.tau == 0 {
		return math.Inf(1)
	}
	return r.tau
}

// NextBreakpoint is the first pending corner after t.
func (r *ltraRun) NextBreakpoint(t float64, _ Timing) float64 { return r.corners.next(t) }

var debugLTRA = false
