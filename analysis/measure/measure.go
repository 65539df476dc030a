// Package measure computes the results of .meas lines from an analysis's points as they
// stream: each measurement keeps a small running state, so no waveform is held in memory.
//
// A waveform is its points joined by straight lines, as in ngspice: a crossing, a value
// at AT=x and the ends of a FROM/TO window are interpolated linearly between the points
// around them, INTEG and AVG integrate by the trapezoidal rule (the integral of those
// lines), RMS integrates the square by the trapezoidal rule too, and DERIV is the slope
// of the line through the point.
package measure

import (
	"errors"
	"fmt"
	"math"

	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
	"github.com/gospice/gospice/parser/expr/tape"
)

// Result is the outcome of one .meas line after one analysis.
type Result struct {
	Name     string     // lowercase
	Analysis string     // "tran", "ac" or "dc"
	Value    float64    // NaN when the measurement failed
	Err      error      // why it failed (a crossing that never happens, AT= outside the run); nil when it did not
	Pos      parser.Pos // of the .meas line
	// Where are the points ngspice prints after the value: at= of MAX and MIN, targ= and
	// trig= of TRIG ... TARG; none for the others.
	Where []Point
}

// Point is a labelled point of the scale: at=, trig=, targ=.
type Point struct {
	Label string
	X     float64
}

// wherer is a tracker that tells where it found its value (Result.Where).
type wherer interface{ where() []Point }

// String is the result as ngspice prints it: "tdiff = 1.000000e-03", or
// "tdiff = failed (why)".
func (r Result) String() string {
	if r.Err != nil {
		return fmt.Sprintf("%s = failed (%v)", r.Name, r.Err)
	}
	return fmt.Sprintf("%s = %e", r.Name, r.Value)
}

// Vectors lists the vectors that the measurements read, each once, in order of first use:
// their signals', and the probes of their par('...') expressions. Set.Point takes their
// values in this order.
func Vectors(specs []*parser.Measure) []parser.Vector {
	var vecs []parser.Vector
	seen := map[string]bool{}
	add := func(v parser.Vector) {
		if !seen[v.Name] {
			seen[v.Name] = true
			vecs = append(vecs, v)
		}
	}
	for _, m := range specs {
		for _, sig := range signals(m) {
			if sig.Expr == nil {
				add(sig.Vector)
				continue
			}
			expr.Walk(sig.Expr, func(n expr.Node) bool {
				if p, ok := n.(*expr.Probe); ok {
					add(probeVector(p, sig.Pos))
				}
				return true
			})
		}
	}
	return vecs
}

// signals lists the signals a measurement reads.
func signals(m *parser.Measure) []*parser.MeasSignal {
	var sigs []*parser.MeasSignal
	event := func(ev *parser.MeasEvent) {
		if !ev.HasAt {
			sigs = append(sigs, &ev.Signal)
			if ev.Other != nil {
				sigs = append(sigs, ev.Other)
			}
		}
	}
	switch m.Func {
	case "param":
	case "trig":
		event(&m.Trig)
		event(&m.Targ)
	case "when", "count":
		event(&m.When)
	case "find", "deriv":
		sigs = append(sigs, &m.Signal)
		event(&m.When)
	default:
		sigs = append(sigs, &m.Signal)
	}
	return sigs
}

// Set computes the measurements of one analysis run: feed it every point with Point,
// then read Results.
type Set struct {
	specs    []*parser.Measure
	params   map[string]float64
	sigs     []*signal
	trackers []tracker // one per spec; nil for PARAM=
	uses     [][]int   // the signals of each spec

	prev, cur   sample
	points      int
	first, last float64 // the scale's first and last values
}

// sample is one point: its scale value and the value of each signal.
type sample struct {
	x float64
	s []float64
}

// copyFrom makes p a copy of q, reusing p's storage.
func (p *sample) copyFrom(q *sample) {
	p.x = q.x
	p.s = append(p.s[:0], q.s...)
}

// Env is what par('...') expressions need to know about the run, as a B source would:
// the circuit temperature (temper, degrees Celsius) and gmin, which sets what a division
// adds to its divisor (x/0 is x/(1e-20*gmin), not an error).
type Env struct {
	Temp, Gmin float64
}

// New prepares the measurements specs (all of one analysis type) for one run. params are
// the netlist's .param values, which PARAM= expressions read.
func New(specs []*parser.Measure, params map[string]float64, env Env) *Set {
	s := &Set{specs: specs, params: params}
	cols := map[string]int{}
	for i, v := range Vectors(specs) {
		cols[v.Name] = i
	}
	tran := len(specs) > 0 && specs[0].Analysis == "tran" // par('...') reads time
	index := map[string]int{}                             // signals by key
	sigIndex := func(ms *parser.MeasSignal) int {
		key := ms.Vector.Name
		if ms.Expr != nil {
			key = "par " + expr.String(ms.Expr)
		}
		if i, ok := index[key]; ok {
			return i
		}
		g := &signal{text: ms.Text, col: -1}
		if ms.Expr == nil {
			g.col = cols[ms.Vector.Name]
		} else {
			g.compile(ms.Expr, cols, env, tran)
		}
		index[key] = len(s.sigs)
		s.sigs = append(s.sigs, g)
		return len(s.sigs) - 1
	}
	for _, m := range specs {
		// The spec's signals, in the order signals gives them: the trackers below find
		// them by the same keys.
		var use []int
		for _, ms := range signals(m) {
			use = append(use, sigIndex(ms))
		}
		event := func(ev *parser.MeasEvent) *event {
			t := &event{ev: ev, sig: -1, other: -1}
			t.lo, t.hi = window(m.Analysis, ev.Window)
			if !ev.HasAt {
				t.sig = sigIndex(&ev.Signal)
				if ev.Other != nil {
					t.other = sigIndex(ev.Other)
				}
			}
			return t
		}
		var t tracker
		switch m.Func {
		case "param":
		case "trig":
			t = &trigTarg{trig: event(&m.Trig), targ: event(&m.Targ)}
		case "when":
			t = &when{event(&m.When)}
		case "count":
			t = &counter{event(&m.When)}
		case "find", "deriv":
			f := &find{sig: sigIndex(&m.Signal), deriv: m.Func == "deriv"}
			f.event = event(&m.When)
			t = f
		default:
			st := &stats{fn: m.Func, sig: sigIndex(&m.Signal)}
			st.lo, st.hi = window(m.Analysis, m.Window)
			t = st
		}
		s.trackers = append(s.trackers, t)
		s.uses = append(s.uses, use)
	}
	s.prev.s = make([]float64, len(s.sigs))
	s.cur.s = make([]float64, len(s.sigs))
	return s
}

// window is the range of the scale that FROM=, TO= and (tran) TD= leave.
func window(analysis string, w parser.MeasWindow) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if w.HasFrom {
		lo = w.From
	}
	if w.HasTo {
		hi = w.To
	}
	if lo > hi { // a .dc sweep measured from its high end
		lo, hi = hi, lo
	}
	if analysis == "tran" && w.TD > 0 && w.TD > lo {
		lo = w.TD
	}
	return lo, hi
}

// Point takes the next point of the analysis: its scale value (time, frequency, the
// swept source) and the values of the vectors in the order Vectors lists them.
func (s *Set) Point(x float64, values []float64) {
	s.cur.x = x
	for i, g := range s.sigs {
		s.cur.s[i] = g.value(x, values)
	}
	if s.points == 0 {
		s.first = x
	}
	s.last = x
	s.points++
	if s.points > 1 {
		for _, t := range s.trackers {
			if t != nil {
				t.segment(&s.prev, &s.cur)
			}
		}
	}
	s.prev, s.cur = s.cur, s.prev
}

// Results computes the measurements, in netlist order. A PARAM= expression sees the
// .param values and the results of the lines before it, which hide a parameter of the
// same name.
func (s *Set) Results() []Result {
	vars := make(map[string]float64, len(s.params))
	for k, v := range s.params {
		vars[k] = v
	}
	failed := map[string]bool{}
	var out []Result
	for i, m := range s.specs {
		var v float64
		var err error
		if m.Func == "param" {
			v, err = evalParam(m.Param, vars, failed)
		} else {
			v, err = s.trackers[i].result(s)
			for _, k := range s.uses[i] {
				if g := s.sigs[k]; g.err != nil {
					v, err = 0, g.failure()
					break
				}
			}
		}
		r := Result{Name: m.Name, Analysis: m.Analysis, Value: v, Err: err, Pos: m.Pos}
		if w, ok := s.trackers[i].(wherer); ok && err == nil {
			r.Where = w.where()
		}
		if err != nil {
			r.Value = math.NaN()
			failed[m.Name] = true
			delete(vars, m.Name)
		} else {
			delete(failed, m.Name)
			vars[m.Name] = v
		}
		out = append(out, r)
	}
	return out
}

// evalParam computes a PARAM= expression, once, after the run; a name of a measurement
// that failed fails it.
func evalParam(n expr.Node, vars map[string]float64, failed map[string]bool) (float64, error) {
	v, err := expr.Eval(n, vars)
	var xe *expr.Error
	if errors.As(err, &xe) && xe.Kind == 'p' && failed[xe.Name] {
		return 0, fmt.Errorf("it uses %s, which failed", xe.Name)
	}
	if err != nil {
		return 0, errors.New(expr.Message(err))
	}
	return v, nil
}

// signal is what a measurement reads: a vector's column, or a par('...') expression of
// columns computed at each point by the B sources' evaluator (the same functions, and
// the same division rule), with no allocation.
type signal struct {
	text  string
	col   int             // the column of a vector; -1 for an expression
	tape  *tape.Workspace // the expression, compiled, with its workspace
	cols  []int           // the column of each of the tape's probes
	tran  bool            // time is the scale; elsewhere it is 0, as in a B source
	err   error           // why the expression could not be computed, at the first such point
	errAt float64         // that point; NaN when the expression could not be compiled
}

// compile compiles the par('...') expression n, its probes read from cols.
func (g *signal) compile(n expr.Node, cols map[string]int, env Env, tran bool) {
	t, err := tape.Compile(n, tape.Env{Temp: env.Temp, Gmin: env.Gmin})
	if err != nil {
		g.err, g.errAt = err, math.NaN()
		return
	}
	g.tape, g.tran = t.NewWorkspace(), tran
	for _, p := range t.Probes() {
		g.cols = append(g.cols, cols[expr.ProbeName(p)])
	}
}

func (g *signal) value(x float64, values []float64) float64 {
	switch {
	case g.col >= 0:
		return values[g.col]
	case g.tape == nil: // it did not compile
		return math.NaN()
	}
	for k, c := range g.cols {
		g.tape.SetProbe(k, values[c])
	}
	if g.tran {
		g.tape.SetTime(x)
	}
	if !g.tape.Eval() {
		if g.err == nil {
			g.err, g.errAt = errors.New(g.tape.Fault()), x
		}
		return math.NaN()
	}
	return g.tape.Value()
}

// failure is why the measurements that read the signal failed.
func (g *signal) failure() error {
	if math.IsNaN(g.errAt) {
		return fmt.Errorf("%s: %v", g.text, g.err)
	}
	return fmt.Errorf("%s at %g: %v", g.text, g.errAt, g.err)
}

// tracker is the running state of one measurement.
type tracker interface {
	// segment takes the line from point a to point b, the next one.
	segment(a, b *sample)
	result(s *Set) (float64, error)
}

// event finds a point of the scale: AT=x, or the Count'th crossing (or the last).
//
// Crossings are counted as ngspice 39 counts them: the signal is either above what it
// crosses or below it, from its first point on (above when it is on it); below, it
// rises when it reaches the level; above, it falls when it comes down to it. So a touch
// from above followed by a rise is a fall and then a rise, from the point on the level,
// and a touch from below followed by a fall is a rise and then a fall; a point on the
// level between two above it (or two below) is both. Consecutive points on the level
// each change the state, as in ngspice, and a crossing found between two of them has no
// single point: a measurement that selects it fails, where ngspice prints a NaN
// (failed). A crossing counts when its point, interpolated on its segment, is within
// FROM, TO and TD.
type event struct {
	ev         *parser.MeasEvent
	sig, other int     // signal indexes; other < 0 when the signal crosses a level
	lo, hi     float64 // the window where crossings count
	started    bool    // the state below has been set from the first point
	above      bool    // the signal is above what it crosses (or on it, after a rise)
	count      int     // crossings in the right direction seen in the window
	found      bool
	flat       bool    // the crossing found is between two points on the level
	x, t       float64 // the point, and how far along the segment a-b it is (0 to 1)
	a, b       sample  // the segment it is on
}

func (e *event) segment(a, b *sample) {
	if e.ev.HasAt {
		at := e.ev.At
		if e.found || a.x == b.x || at < min(a.x, b.x) || at > max(a.x, b.x) {
			return
		}
		e.capture(a, b, at, (at-a.x)/(b.x-a.x), false)
		return
	}
	if e.found && e.ev.Count > 0 {
		return
	}
	d0, d1 := e.diff(a), e.diff(b)
	if !e.started {
		// A signal that starts on the level counts as below it, as in ngspice 39: moving
		// up from there is a rise at the start, moving down is no crossing.
		e.started, e.above = true, d0 > 0
	}
	var rise bool
	switch {
	case !e.above && d1 >= 0:
		rise = true
	case e.above && d1 <= 0:
	default:
		return // no crossing (or a value that is not a number, which crosses nothing)
	}
	e.above = rise
	if e.ev.Edge == "rise" && !rise || e.ev.Edge == "fall" && rise {
		return
	}
	// The state before a was on the other side or on the level, so d0 == d1 only when
	// both points are on the level: the crossing is then counted at b.
	x, t, flat := b.x, 1.0, d0 == d1
	if !flat {
		t = d0 / (d0 - d1)
		x = a.x + t*(b.x-a.x)
	}
	if x < e.lo || x > e.hi {
		return
	}
	e.count++
	if e.ev.Count == 0 || e.count == e.ev.Count {
		e.capture(a, b, x, t, flat)
	}
}

// diff is how far the signal is above what it crosses.
func (e *event) diff(p *sample) float64 {
	if e.other >= 0 {
		return p.s[e.sig] - p.s[e.other]
	}
	return p.s[e.sig] - e.ev.Level
}

func (e *event) capture(a, b *sample, x, t float64, flat bool) {
	e.found, e.x, e.t, e.flat = true, x, t, flat
	e.a.copyFrom(a)
	e.b.copyFrom(b)
}

// value is a signal's value at the event, interpolated along its segment.
func (e *event) value(sig int) float64 {
	return e.a.s[sig] + e.t*(e.b.s[sig]-e.a.s[sig])
}

// target is the text of what the event's signal crosses: the other signal, or the level.
func (e *event) target() string {
	if e.ev.Other != nil {
		return e.ev.Other.Text
	}
	return fmt.Sprintf("%g", e.ev.Level)
}

// missing says why the event was not found.
func (e *event) missing(s *Set) error {
	ev := e.ev
	if ev.HasAt {
		if s.points < 2 {
			return fmt.Errorf("AT=%g: the run has %d point(s)", ev.At, s.points)
		}
		return fmt.Errorf("AT=%g is outside the run (%g to %g)", ev.At, s.first, s.last)
	}
	verb := map[string]string{"rise": "rises through", "fall": "falls through", "cross": "crosses"}[ev.Edge]
	target := e.target()
	where := ""
	switch lo, hi := math.IsInf(e.lo, -1), math.IsInf(e.hi, 1); {
	case !lo && !hi:
		where = fmt.Sprintf(" between %g and %g", e.lo, e.hi)
	case !lo:
		where = fmt.Sprintf(" after %g", e.lo)
	case !hi:
		where = fmt.Sprintf(" before %g", e.hi)
	}
	if e.count == 0 {
		return fmt.Errorf("%s never %s %s%s", ev.Signal.Text, verb, target, where)
	}
	return fmt.Errorf("%s %s %s %d time(s)%s, not %d", ev.Signal.Text, verb, target, e.count, where, ev.Count)
}

// check says why the event has no point: not found, or found between two points on the
// level.
func (e *event) check(s *Set) error {
	if !e.found {
		return e.missing(s)
	}
	if e.flat {
		ev := e.ev
		target := e.target()
		which := fmt.Sprintf("%s number %d", crossingNoun[ev.Edge], ev.Count)
		if ev.Count == 0 {
			which = "last " + crossingNoun[ev.Edge]
		}
		return fmt.Errorf("%s stays at %s from %g to %g: its %s there has no single point", ev.Signal.Text, target, e.a.x, e.b.x, which)
	}
	return nil
}

var crossingNoun = map[string]string{"rise": "rise", "fall": "fall", "cross": "crossing"}

func (e *event) result(s *Set) (float64, error) {
	if err := e.check(s); err != nil {
		return 0, err
	}
	return e.x, nil
}

// when is WHEN: the point of the event.
type when struct{ *event }

// trigTarg is TRIG ... TARG ...: the distance from the one point to the other.
type trigTarg struct{ trig, targ *event }

func (m *trigTarg) segment(a, b *sample) {
	m.trig.segment(a, b)
	m.targ.segment(a, b)
}

func (m *trigTarg) result(s *Set) (float64, error) {
	trig, err := m.trig.result(s)
	if err != nil {
		return 0, fmt.Errorf("TRIG: %w", err)
	}
	targ, err := m.targ.result(s)
	if err != nil {
		return 0, fmt.Errorf("TARG: %w", err)
	}
	return targ - trig, nil
}

func (m *trigTarg) where() []Point {
	return []Point{{"targ", m.targ.x}, {"trig", m.trig.x}}
}

// find is FIND (a signal's value at the event) and DERIV (its slope there).
type find struct {
	*event
	sig   int
	deriv bool
}

func (f *find) result(s *Set) (float64, error) {
	if err := f.check(s); err != nil {
		return 0, err
	}
	if !f.deriv {
		return f.value(f.sig), nil
	}
	if f.a.x == f.b.x {
		return 0, fmt.Errorf("the slope is infinite at %g, where the run has two points", f.x)
	}
	return (f.b.s[f.sig] - f.a.s[f.sig]) / (f.b.x - f.a.x), nil
}

// stats is AVG, MIN, MAX, PP, RMS, INTEG, MIN_AT and MAX_AT over the window lo..hi.
type stats struct {
	fn         string
	sig        int
	lo, hi     float64
	seen       bool
	start, end float64 // the part of the window the run covers
	integ      float64 // of the signal
	square     float64 // integral of its square
	min, max   float64
	minAt      float64
	maxAt      float64
}

func (st *stats) segment(a, b *sample) {
	if max(a.x, b.x) < st.lo || min(a.x, b.x) > st.hi {
		return
	}
	u0, u1 := clamp(a.x, st.lo, st.hi), clamp(b.x, st.lo, st.hi)
	p, q := a.s[st.sig], b.s[st.sig]
	if a.x != b.x {
		p, q = at(a, b, st.sig, u0), at(a, b, st.sig, u1)
	}
	if !st.seen {
		st.seen, st.start = true, u0
		st.min, st.max, st.minAt, st.maxAt = p, p, u0, u0
	}
	st.end = u1
	// The later of equal extremes wins, as in ngspice.
	for _, pt := range [2][2]float64{{u0, p}, {u1, q}} {
		if pt[1] >= st.max {
			st.max, st.maxAt = pt[1], pt[0]
		}
		if pt[1] <= st.min {
			st.min, st.minAt = pt[1], pt[0]
		}
	}
	h := u1 - u0
	st.integ += h * (p + q) / 2
	st.square += h * (p*p + q*q) / 2 // the square by the trapezoidal rule too, as ngspice
}

func (st *stats) where() []Point {
	switch st.fn {
	case "max":
		return []Point{{"at", st.maxAt}}
	case "min":
		return []Point{{"at", st.minAt}}
	}
	return nil
}

// at is a signal's value at x on the segment a-b (a.x != b.x).
func at(a, b *sample, sig int, x float64) float64 {
	return a.s[sig] + (x-a.x)*(b.s[sig]-a.s[sig])/(b.x-a.x)
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

func (st *stats) result(s *Set) (float64, error) {
	if !st.seen {
		return 0, fmt.Errorf("no part of the run (%g to %g) is between %g and %g", s.first, s.last, st.lo, st.hi)
	}
	width := st.end - st.start
	switch st.fn {
	case "avg", "rms":
		if width == 0 {
			return 0, fmt.Errorf("the window %g to %g has no width", st.start, st.end)
		}
		if st.fn == "avg" {
			return st.integ / width, nil
		}
		return math.Sqrt(st.square / width), nil
	case "integ":
		return st.integ, nil
	case "min":
		return st.min, nil
	case "max":
		return st.max, nil
	case "pp":
		return st.max - st.min, nil
	case "min_at":
		return st.minAt, nil
	case "max_at":
		return st.maxAt, nil
	}
	return 0, fmt.Errorf("unknown function %s", st.fn)
}

// probeVector is the output vector of a probe of a par('...') expression: v(a), v(a,b)
// or i(v1).
func probeVector(p *expr.Probe, pos parser.Pos) parser.Vector {
	v := parser.Vector{Kind: parser.VectorVoltage, Nodes: p.Names, Pos: pos}
	if p.Kind == 'i' {
		v = parser.Vector{Kind: parser.VectorCurrent, Device: p.Names[0], Pos: pos}
	}
	v.Name = v.String()
	return v
}

// counter is COUNT: the number of crossings its event saw in the window (its Count is
// negative, so it never stops at one). No crossing is a count of 0, not a failure.
type counter struct{ *event }

func (c *counter) result(*Set) (float64, error) { return float64(c.count), nil }
