package devices

import (
	"math"
	"sort"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// TLine is ngspice's lossless transmission line (T), in Branin's form: each port is the
// characteristic impedance z0 in series with a source that gives the wave arriving
// from the other port, which left it td earlier:
//
//	v1(t) - z0 i1(t) = v2(t-td) + z0 i2(t-td)
//	v2(t) - z0 i2(t) = v1(t-td) + z0 i1(t-td)
//
// v1 = v(n1) - v(n2), i1 the current into n1 (v2, i2 likewise at n3, n4). As in ngspice,
// each port has an internal node behind z0 (t1#int1, t1#int2) and a branch current
// (t1#i1, t1#i2). At DC the waves are constant: v1 = v2 and i1 = -i2. In AC the delay is
// exact: the arriving wave is exp(-j omega td) times the departing one. In a transient
// the run keeps the departing waves of the accepted points and interpolates them at
// t - td.
type TLine struct {
	name     string
	nodes    [4]string
	z0, td   float64
	rel, abs float64    // the slope change of a wave that makes a corner a delay later
	ic       [4]float64 // v1, i1, v2, i2 of a uic transient
	ports    [2]tlinePort
}

// tlinePort is one port's unknowns and matrix entries: pos, neg its nodes, in the
// internal node behind z0, br the branch current from in to neg, which is the current
// into the port.
type tlinePort struct {
	pos, neg, in, br   int
	hpp, hpi, hip, hii mna.Handle // 1/z0 between pos and in
	hib, hnb           mna.Handle // the branch current in the KCL of in and neg
	hbi, hbn           mna.Handle // the branch equation: v(in) - v(neg) ...
	hop, hon, hob      mna.Handle // ... less the other port's wave: its pos, neg, branch
}

func (t *TLine) params(z0, f, nl, icFirst *float64, tdGiven, z0Given, fGiven *bool) paramSet {
	return paramSet{what: "transmission line", params: []param{
		p("z0 zo", 0, "ohm", "characteristic impedance", z0).withGiven(z0Given),
		p("td", 0, "s", "transmission delay", &t.td).withGiven(tdGiven),
		p("f", 0, "Hz", "frequency at which the line is nl wavelengths long (td = nl/f)", f).withGiven(fGiven),
		p("nl", 0.25, "", "normalized length at frequency f", nl),
		p("rel", 1, "", "relative slope change of a wave that makes a breakpoint", &t.rel),
		p("abs", 1, "V/s", "absolute slope change of a wave that makes a breakpoint", &t.abs),
		p("ic", 0, "V, A", "v1, i1, v2, i2 at t = 0 of a uic transient", icFirst),
	}}
}

func newTLine(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	t := &TLine{name: e.Name, nodes: [4]string{e.Nodes[0], e.Nodes[1], e.Nodes[2], e.Nodes[3]}}
	var f, nl, icFirst float64
	var tdGiven, z0Given, fGiven bool
	if err := t.params(&t.z0, &f, &nl, &icFirst, &tdGiven, &z0Given, &fGiven).apply(e.Params(), e.Name); err != nil {
		return nil, err
	}
	if len(e.Args()) > 0 {
		return nil, parser.Errorf(e.Args()[0].Pos, "%s: unexpected %q (a transmission line takes z0=, td= or f= [nl=], and ic=)", e.Name, argText(e.Args()[0]))
	}
	if err := lineIC(e, &t.ic); err != nil {
		return nil, err
	}
	if !z0Given || !(t.z0 > 0) {
		return nil, elementError(e, "a transmission line needs a positive characteristic impedance z0=")
	}
	if !tdGiven {
		if !fGiven {
			return nil, elementError(e, "a transmission line needs its delay: td=, or f= (and nl=, 0.25 by default)")
		}
		if !(f > 0) || !(nl > 0) {
			return nil, elementError(e, "f= and nl= of a transmission line must be positive")
		}
		t.td = nl / f
	}
	if !(t.td > 0) {
		return nil, elementError(e, "the delay td= of a transmission line must be positive")
	}
	return t, nil
}

// lineIC reads a line's ic=v1,i1,v2,i2 (up to four values, the rest 0) into ic.
func lineIC(e *parser.Element, ic *[4]float64) error {
	if ics, pr, ok := icList(e); ok {
		if len(ics) > 4 {
			return parser.Errorf(pr.Pos, "%s: ic= takes at most 4 values (v1, i1, v2, i2), found %d", e.Name, len(ics))
		}
		copy(ic[:], ics)
	}
	return nil
}

func (t *TLine) Name() string { return t.name }

func (t *TLine) Setup(b *mna.Builder) {
	for k := range t.ports {
		pt := &t.ports[k]
		pt.pos, pt.neg = b.Node(t.nodes[2*k]), b.Node(t.nodes[2*k+1])
		pt.in = b.WrittenNode(t.name, [2]string{"int1", "int2"}[k]) // ngspice 39 writes them by default
		pt.br = b.Branch(t.name + [2]string{"#i1", "#i2"}[k])
	}
	for k := range t.ports {
		pt, o := &t.ports[k], &t.ports[1-k]
		pt.hpp, pt.hpi = b.Entry(pt.pos, pt.pos), b.Entry(pt.pos, pt.in)
		pt.hip, pt.hii = b.Entry(pt.in, pt.pos), b.Entry(pt.in, pt.in)
		pt.hib, pt.hnb = b.Entry(pt.in, pt.br), b.Entry(pt.neg, pt.br)
		pt.hbi, pt.hbn = b.Entry(pt.br, pt.in), b.Entry(pt.br, pt.neg)
		pt.hop, pt.hon, pt.hob = b.Entry(pt.br, o.pos), b.Entry(pt.br, o.neg), b.Entry(pt.br, o.br)
	}
}

// wave is the wave that leaves the port towards the other end: v + z0 i.
func (t *TLine) wave(x []float64, pt *tlinePort) float64 {
	return x[pt.pos] - x[pt.neg] + t.z0*x[pt.br]
}

// loadPort adds the port's resistance, its branch current, and its branch equation
// v(in) - v(neg) = arriving + weight * (the other port's wave now), with their Jacobian.
func (t *TLine) loadPort(ctx *Context, pt, o *tlinePort, arriving, weight float64) {
	x := ctx.X
	stampSeries(ctx, 1/t.z0, pt.pos, pt.in, pt.hpp, pt.hpi, pt.hip, pt.hii)
	ctx.F[pt.in] += x[pt.br]
	ctx.F[pt.neg] -= x[pt.br]
	ctx.G[pt.hib]++
	ctx.G[pt.hnb]--
	ctx.F[pt.br] += x[pt.in] - x[pt.neg] - arriving - weight*t.wave(x, o)
	ctx.G[pt.hbi]++
	ctx.G[pt.hbn]--
	ctx.G[pt.hop] -= weight
	ctx.G[pt.hon] += weight
	ctx.G[pt.hob] -= weight * t.z0
}

// loadAC writes, besides the DC load, the delay of the waves at ctx.Hertz: the arriving
// wave is exp(-j omega td) times the departing one, whose real part goes into G and
// whose imaginary part over omega into C.
func (t *TLine) loadAC(ctx *Context) {
	w := 2 * math.Pi * ctx.Hertz
	cos, sinOverW := 1.0, t.td
	if w > 0 {
		cos, sinOverW = math.Cos(w*t.td), math.Sin(w*t.td)/w
	}
	for k := range t.ports {
		pt, o := &t.ports[k], &t.ports[1-k]
		t.loadPort(ctx, pt, o, 0, cos)
		ctx.C[pt.hop] += sinOverW
		ctx.C[pt.hon] -= sinOverW
		ctx.C[pt.hob] += sinOverW * t.z0
	}
}

// tlineRun is one run of a TLine: the departing waves at the accepted points, from the
// oldest still needed, and the corners the waves will make at the other port.
type tlineRun struct {
	*TLine
	times   []float64
	waves   [2][]float64 // waves[k][j]: the wave that left port k at times[j]
	start   int          // the first point kept; the ones before it are dropped when the buffer fills
	corners cornerQueue  // pending breakpoints
	uic     bool         // the run started from the ic= values
}

func (t *TLine) NewRun() Loader {
	const capacity = 64 // grows by doubling as needed; the points older than td are dropped
	r := &tlineRun{TLine: t, times: make([]float64, 0, capacity), corners: make(cornerQueue, 0, 8)}
	for k := range r.waves {
		r.waves[k] = make([]float64, 0, capacity)
	}
	return r
}

// Linear says the line's equations are linear in the unknowns.
func (r *tlineRun) Linear() {}

// AdmittanceReadsFrequency says that the line's admittance depends on the frequency.
func (r *tlineRun) AdmittanceReadsFrequency() bool { return true }

// SchedulesCorners says that the line adds corners as the transient runs.
func (r *tlineRun) SchedulesCorners() {}

func (r *tlineRun) Load(ctx *Context) {
	switch {
	case ctx.Mode == ModeAC:
		r.loadAC(ctx)
	case ctx.Mode == ModeTran && len(r.times) > r.start:
		for k := range r.ports {
			arriving, weight := r.delayed(1-k, ctx.Time)
			r.loadPort(ctx, &r.ports[k], &r.ports[1-k], arriving, weight)
		}
	default:
		if ctx.UIC {
			r.uic = true
		}
		for k := range r.ports {
			r.loadPort(ctx, &r.ports[k], &r.ports[1-k], 0, 1)
		}
	}
}

// delayed is the wave that left port k at t - td, as its known part and the weight of
// the wave leaving port k now (interpolateDelayed).
func (r *tlineRun) delayed(k int, t float64) (known, weight float64) {
	return interpolateDelayed(r.times[r.start:], r.waves[k][r.start:], t-r.td, t)
}

// interpolateDelayed is the value at s < t of the signal ws at the accepted points ts,
// as its known part and the weight of its value at t: quadratic interpolation between
// three accepted points, or, when s is past the last one (a step longer than the
// delay), through the last two and the present point, which is an unknown of the step.
func interpolateDelayed(ts, ws []float64, s, t float64) (known, weight float64) {
	n := len(ts)
	if s <= ts[0] {
		return ws[0], 0
	}
	if s >= ts[n-1] {
		if n == 1 {
			f := (s - ts[0]) / (t - ts[0])
			return (1 - f) * ws[0], f
		}
		t0, t1 := ts[n-2], ts[n-1]
		l0 := (s - t1) * (s - t) / ((t0 - t1) * (t0 - t))
		l1 := (s - t0) * (s - t) / ((t1 - t0) * (t1 - t))
		l2 := (s - t0) * (s - t1) / ((t - t0) * (t - t1))
		return l0*ws[n-2] + l1*ws[n-1], l2
	}
	j := sort.SearchFloat64s(ts, s) // ts[j-1] < s <= ts[j]
	if n == 2 {
		f := (s - ts[0]) / (ts[1] - ts[0])
		return (1-f)*ws[0] + f*ws[1], 0
	}
	// Of the two stencils around the interval, the one the wave bends least over (as
	// ENO schemes choose): near a corner, the points on the corner's own side.
	lo := j - 1
	switch {
	case lo < 1:
		lo = 0
	case j+1 >= n:
		lo = n - 3
	case bend(ts[j-1:j+2], ws[j-1:j+2]) > bend(ts[j-2:j+1], ws[j-2:j+1]):
		lo = j - 2
	}
	return quadratic(ts[lo:lo+3], ws[lo:lo+3], s), 0
}

// interpolateDelayedLinear is interpolateDelayed with straight lines between the points.
func interpolateDelayedLinear(ts, ws []float64, s, t float64) (known, weight float64) {
	n := len(ts)
	if s <= ts[0] {
		return ws[0], 0
	}
	if s >= ts[n-1] {
		f := (s - ts[n-1]) / (t - ts[n-1])
		return (1 - f) * ws[n-1], f
	}
	j := sort.SearchFloat64s(ts, s)
	f := (s - ts[j-1]) / (ts[j] - ts[j-1])
	return (1-f)*ws[j-1] + f*ws[j], 0
}

// bend is the second divided difference of three points: how much the slope changes.
func bend(ts, ws []float64) float64 {
	return math.Abs(((ws[2]-ws[1])/(ts[2]-ts[1]) - (ws[1]-ws[0])/(ts[1]-ts[0])) / (ts[2] - ts[0]))
}

// quadratic is the value at s of the parabola through the three points (ts[i], ws[i]).
func quadratic(ts, ws []float64, s float64) float64 {
	t0, t1, t2 := ts[0], ts[1], ts[2]
	return ws[0]*(s-t1)*(s-t2)/((t0-t1)*(t0-t2)) +
		ws[1]*(s-t0)*(s-t2)/((t1-t0)*(t1-t2)) +
		ws[2]*(s-t0)*(s-t1)/((t2-t0)*(t2-t1))
}

// Accept records the waves leaving both ports at the accepted point. When a wave's slope
// changes sharply at the point before it (by more than rel times the larger slope plus
// abs, as ngspice tests), that corner reaches the other port td later: a breakpoint.
func (r *tlineRun) Accept(ctx *Context) {
	var w [2]float64
	for k := range r.ports {
		w[k] = r.wave(ctx.X, &r.ports[k])
	}
	if len(r.times) == 0 && r.uic {
		w[0] = r.ic[0] + r.z0*r.ic[1]
		w[1] = r.ic[2] + r.z0*r.ic[3]
	}
	if n := len(r.times); n > r.start && ctx.Time <= r.times[n-1] {
		// The same point again (after a device event): its values replace the last.
		r.waves[0][n-1], r.waves[1][n-1] = w[0], w[1]
		return
	}
	r.dropOld(ctx.Time)
	r.times = append(r.times, ctx.Time)
	r.waves[0] = append(r.waves[0], w[0])
	r.waves[1] = append(r.waves[1], w[1])
	r.findCorner()
}

// dropOld forgets the points that no interpolation after now can use: all but the last
// two before now - td. It moves the kept points to the front once half the buffer is
// dropped, so that the buffer stops growing.
func (r *tlineRun) dropOld(now float64) {
	for r.start+3 < len(r.times) && r.times[r.start+2] < now-r.td {
		r.start++
	}
	if r.start > 0 && 2*r.start >= cap(r.times) && len(r.times) == cap(r.times) {
		n := copy(r.times, r.times[r.start:])
		r.times = r.times[:n]
		for k := range r.waves {
			copy(r.waves[k], r.waves[k][r.start:])
			r.waves[k] = r.waves[k][:n]
		}
		r.start = 0
	}
}

// findCorner tests the slopes of the waves around the point before the last one.
func (r *tlineRun) findCorner() {
	n := len(r.times)
	if n-r.start < 3 {
		return
	}
	for k := range r.waves {
		if slopeCorner(r.times[n-3:n], r.waves[k][n-3:n], r.rel, r.abs) {
			r.corners.add(r.times[n-2] + r.td)
			return
		}
	}
}

// slopeCorner reports whether the signal ws at the three last points ts changes its
// slope at the middle one by more than rel times the larger slope plus abs, as ngspice
// tests its lines' signals.
func slopeCorner(ts, ws []float64, rel, abs float64) bool {
	return sharpTurn((ws[1]-ws[0])/(ts[1]-ts[0]), (ws[2]-ws[1])/(ts[2]-ts[1]), rel, abs)
}

// sharpTurn reports whether a signal's slope changing from d1 to d2 is a corner: by more
// than rel times the larger slope plus abs.
func sharpTurn(d1, d2, rel, abs float64) bool {
	return math.Abs(d2-d1) > rel*math.Max(math.Abs(d1), math.Abs(d2))+abs
}

// cornerQueue is a line's pending breakpoints, ascending.
type cornerQueue []float64

// add adds a pending breakpoint at bp, keeping them in order.
func (q *cornerQueue) add(bp float64) {
	c := *q
	i := sort.SearchFloat64s(c, bp)
	if i < len(c) && c[i] == bp {
		return
	}
	c = append(c, 0)
	copy(c[i+1:], c[i:])
	c[i] = bp
	*q = c
}

// next is the first pending corner after t; the ones before are dropped.
func (q *cornerQueue) next(t float64) float64 {
	c := *q
	i := 0
	for i < len(c) && c[i] <= t {
		i++
	}
	if i > 0 {
		c = c[:copy(c, c[i:])]
		*q = c
	}
	if len(c) == 0 {
		return math.Inf(1)
	}
	return c[0]
}

// NextBreakpoint is the first pending corner after t.
func (r *tlineRun) NextBreakpoint(t float64, _ Timing) float64 { return r.corners.next(t) }
