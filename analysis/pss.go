package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"github.com/gospice/gospice/mna"
)

// PSSSpec is a .pss analysis: the periodic steady state of a free-running oscillator.
type PSSSpec struct {
	Freq float64 // the guessed frequency of the fundamental (Hz)
	Stab float64 // the stabilization time before the periods are measured
	// Osc is the unknown whose rising crossings of its mid level mark the periods; 0
	// chooses the node voltage of the largest swing before tstab.
	Osc         int
	Points      int     // steps of the written period (Points+1 rows, both ends)
	MaxIter     int     // the most periods measured after tstab
	SteadyCoeff float64 // the change over a period, relative to each unknown's swing, that counts as periodic
	UIC         bool
}

// PSSResult says what the shooting found.
type PSSResult struct {
	Period    float64 // the written period (s)
	Start     float64 // the time of the written period's first row: a rising crossing of Osc
	Osc       int     // the unknown whose crossings marked the periods
	Periods   int     // the periods measured after tstab
	Converged bool    // the last period repeated the state within SteadyCoeff
	Change    float64 // the largest change of the state over the last period, relative to its tolerance
	Moving    int     // the unknown of that change
}

// pssStabSteps is the fewest steps per guessed period during the stabilization transient,
// and pssSlack how much longer than guessed a period may be before the run gives up.
const (
	pssStabSteps = 50
	pssSlack     = 10
)

// errPeriodic stops the transient once the shooting has what it needs.
var errPeriodic = errors.New("periodic steady state reached")

// PSS finds the periodic steady state of an autonomous oscillator the way ngspice's .pss
// does, by a transient: it runs to tstab (at least two guessed periods), takes the mid
// level of Osc's swing over the last stretch before it, and from there measures period
// after period between rising crossings of that level, each crossing's time and state
// interpolated between the accepted points. When the state at a crossing repeats the one a
// period before within SteadyCoeff × reltol of each unknown's swing (plus its absolute
// tolerance), or after MaxIter periods, the last period is written: Points+1 rows equally
// spaced from one crossing to the next, each interpolated (quadratically) between the
// transient's points, whose step is held to a Points-th of the period once one is
// measured. The frequency-domain plot is PSSSpectrum of these rows.
func PSS(done context.Context, ckt *Circuit, opt Options, spec PSSSpec, outputs []Output, sink Sink, log Logger) (PSSResult, Stats, error) {
	guess := 1 / spec.Freq
	stab := math.Max(spec.Stab, 2*guess)
	tspec := TranSpec{
		Step:    guess / float64(spec.Points),
		Stop:    stab + float64(spec.MaxIter+2)*guess*pssSlack,
		MaxStep: guess / pssStabSteps,
		UIC:     spec.UIC,
	}
	sh := newShooter(ckt.Sys, opt, spec, stab, outputs, sink)
	if err := sink.Begin(columns([]Column{{Name: "time", Quantity: Time}}, outputs)); err != nil {
		return PSSResult{}, Stats{}, err
	}
	all := make([]Output, ckt.Sys.N)
	for i := range all {
		all[i] = Output{Probe: unknownAt(i + 1)}
	}
	st, err := runTransient(done, ckt, opt, tspec, all, sh, log, sh.maxStep)
	if errors.Is(err, errPeriodic) {
		err = nil
	} else if err == nil {
		err = sh.finish()
	}
	var se *StopError
	if err != nil && !errors.As(err, &se) {
		err = &StopError{Analysis: "pss", Err: err}
	}
	return sh.res, st, err
}

// unknownAt is the value of one unknown.
type unknownAt int

func (i unknownAt) Value(x []float64) float64 { return x[i] }

// shooter watches the transient's points (rows of time and every unknown) for the
// periods of the oscillation.
type shooter struct {
	spec    PSSSpec
	sys     *mna.System
	opt     Options
	stab    float64 // the end of the stabilization
	window  float64 // the start of the stretch before it whose swing sets the level
	outputs []Output
	sink    Sink

	w        int       // the width of a row: time, then unknowns 1..N
	rows     []float64 // the points since the one before the last crossing, w each
	lo, hi   []float64 // every unknown's extremes since the window began or the last crossing
	level    float64   // the level whose rising crossings mark the periods; NaN before tstab
	arm      float64   // the level Osc must go below before its next crossing counts
	armed    bool      // Osc has been below arm since the last crossing
	period   float64   // the last period measured, 0 before one is
	tc       float64   // the time of the last crossing, NaN before one
	sc, snew []float64 // the state at the last crossing and at the new one
	swing    []float64 // every unknown's swing over the last period
	x, row   []float64 // scratch: an interpolated state and an output row
	res      PSSResult
}

func newShooter(sys *mna.System, opt Options, spec PSSSpec, stab float64, outputs []Output, sink Sink) *shooter {
	w := sys.N + 1
	s := &shooter{
		spec: spec, sys: sys, opt: opt, stab: stab, outputs: outputs, sink: sink, w: w,
		window: stab - math.Max(2/spec.Freq, 0.1*stab),
		lo:     make([]float64, w), hi: make([]float64, w),
		sc: make([]float64, w), snew: make([]float64, w), swing: make([]float64, w),
		x: make([]float64, w), row: make([]float64, len(outputs)+1),
		level: math.NaN(), tc: math.NaN(),
		rows: make([]float64, 0, w*min(4*spec.Points, 1<<12)), // about a period's points; grows if need be
	}
	s.resetExtremes()
	s.res.Osc = spec.Osc
	return s
}

func (s *shooter) resetExtremes() {
	for i := range s.lo {
		s.lo[i], s.hi[i] = math.Inf(1), math.Inf(-1)
	}
}

// maxStep bounds the transient's step: a Points-th of the period once one is measured,
// else of the guessed one after tstab.
func (s *shooter) maxStep() float64 {
	switch {
	case s.period > 0:
		return s.period / float64(s.spec.Points)
	case !math.IsNaN(s.level):
		return 1 / (s.spec.Freq * float64(s.spec.Points))
	}
	return math.Inf(1)
}

func (s *shooter) Begin([]Column) error { return nil }

func (s *shooter) Point(r []float64) error {
	now := r[0]
	if now >= s.window {
		for i := 1; i < s.w; i++ {
			s.lo[i], s.hi[i] = math.Min(s.lo[i], r[i]), math.Max(s.hi[i], r[i])
		}
	}
	if math.IsNaN(s.level) {
		if now < s.stab {
			return nil
		}
		if err := s.setLevel(); err != nil {
			return err
		}
	}
	s.rows = append(s.rows, r...)
	n := len(s.rows) / s.w
	if n < 2 {
		return nil
	}
	v := r[s.spec.Osc]
	if v < s.arm {
		s.armed = true
	}
	if !s.armed || !(s.rows[(n-2)*s.w+s.spec.Osc] < s.level && v >= s.level) {
		return nil
	}
	s.armed = false
	return s.crossed(n - 2)
}

// setThresholds takes the level and the arming threshold from Osc's extremes: a rising
// crossing of the mid level counts only after Osc has gone down to a quarter of its swing
// above its low, so that ringing about the level (or noise) is not taken for periods.
func (s *shooter) setThresholds() {
	k := s.spec.Osc
	s.level = (s.lo[k] + s.hi[k]) / 2
	s.arm = s.lo[k] + (s.hi[k]-s.lo[k])/4
}

// setLevel ends the stabilization: it chooses the oscillating node if the netlist named
// none, and takes the mid level of its swing.
func (s *shooter) setLevel() error {
	if s.spec.Osc == 0 {
		best := 0.0
		for i, u := range s.sys.Unknowns[1:] {
			if d := s.hi[i+1] - s.lo[i+1]; u.Kind == mna.Node && d > best {
				best, s.spec.Osc = d, i+1
			}
		}
		if s.spec.Osc == 0 {
			return fmt.Errorf("no node voltage swings before tstab = %g s: nothing oscillates", s.stab)
		}
		s.res.Osc = s.spec.Osc
	}
	k := s.spec.Osc
	if d := s.hi[k] - s.lo[k]; !(d > 1e3*s.sys.Unknowns[k].AbsTol) {
		return fmt.Errorf("%s does not oscillate: it swings by %.3g over the %.3g s before tstab = %g s",
			s.sys.Unknowns[k].Label(), d, s.stab-math.Max(s.window, 0), s.stab)
	}
	s.setThresholds()
	s.resetExtremes()
	return nil
}

// crossed handles a rising crossing of the level between rows j and j+1 of the buffer.
func (s *shooter) crossed(j int) error {
	tc := s.crossingTime(j)
	s.interpolate(tc, s.snew)
	if math.IsNaN(s.tc) {
		s.startPeriod(tc, j)
		return nil
	}
	s.res.Periods++
	s.period = tc - s.tc
	worst, at := 0.0, 0
	for i := 1; i < s.w; i++ {
		s.swing[i] = s.hi[i] - s.lo[i]
		tol := s.spec.SteadyCoeff*s.opt.RelTol*s.swing[i] + s.sys.Unknowns[i].AbsTol
		if c := math.Abs(s.snew[i]-s.sc[i]) / tol; c > worst {
			worst, at = c, i
		}
	}
	s.res.Change, s.res.Moving, s.res.Converged = worst, at, worst <= 1
	if s.res.Converged || s.res.Periods >= s.spec.MaxIter {
		return s.write(s.tc, tc)
	}
	s.setThresholds()
	s.startPeriod(tc, j)
	return nil
}

// startPeriod makes the crossing at tc (between rows j and j+1) the start of the next
// period: its state the reference, the buffer cut to the rows around it.
func (s *shooter) startPeriod(tc float64, j int) {
	s.tc = tc
	copy(s.sc, s.snew)
	first := max(j-1, 0)
	s.rows = s.rows[:copy(s.rows, s.rows[first*s.w:])]
	s.resetExtremes()
	for r := 0; r < len(s.rows)/s.w; r++ {
		for i := 1; i < s.w; i++ {
			v := s.rows[r*s.w+i]
			s.lo[i], s.hi[i] = math.Min(s.lo[i], v), math.Max(s.hi[i], v)
		}
	}
}

// finish is the error of a transient that ended before the shooting did: the period is
// far longer than guessed.
func (s *shooter) finish() error {
	return fmt.Errorf("only %d periods of %s after tstab = %g s within %g periods of gfreq = %g Hz: gfreq is far too high",
		s.res.Periods, s.sys.Unknowns[s.spec.Osc].Label(), s.stab, float64(s.spec.MaxIter+2)*pssSlack, s.spec.Freq)
}

// write delivers the period from t0 to t1, sampled at Points+1 equally spaced times.
func (s *shooter) write(t0, t1 float64) error {
	s.res.Period, s.res.Start = t1-t0, t0
	n := s.spec.Points
	for k := 0; k <= n; k++ {
		t := t0 + (t1-t0)*float64(k)/float64(n)
		s.interpolate(t, s.x)
		s.row[0] = t
		fill(s.row[1:], s.outputs, s.x)
		if err := s.sink.Point(s.row); err != nil {
			return err
		}
	}
	return errPeriodic
}

// crossingTime is the time, between rows j and j+1, at which Osc crosses the level: the
// root of the quadratic through the three rows nearest, from the linear one.
func (s *shooter) crossingTime(j int) float64 {
	k := s.spec.Osc
	t0, t1 := s.at(j, 0), s.at(j+1, 0)
	v0, v1 := s.at(j, k), s.at(j+1, k)
	t := t0 + (s.level-v0)/(v1-v0)*(t1-t0)
	for range 3 { // Newton on the quadratic, kept inside the step
		a, b, c := s.neighbours(j)
		v, dv := s.quadratic(a, b, c, k, t)
		if dv == 0 {
			break
		}
		t = math.Min(math.Max(t-(v-s.level)/dv, t0), t1)
	}
	return t
}

// interpolate writes the state at time t into x: the quadratic through the three rows
// around t (linear with fewer rows).
func (s *shooter) interpolate(t float64, x []float64) {
	n := len(s.rows) / s.w
	j := 0
	for j < n-2 && s.at(j+1, 0) < t {
		j++
	}
	x[0] = 0
	if n < 3 {
		j = min(j, n-2)
		f := (t - s.at(j, 0)) / (s.at(j+1, 0) - s.at(j, 0))
		for i := 1; i < s.w; i++ {
			x[i] = s.at(j, i) + f*(s.at(j+1, i)-s.at(j, i))
		}
		return
	}
	a, b, c := s.neighbours(j)
	for i := 1; i < s.w; i++ {
		x[i], _ = s.quadratic(a, b, c, i, t)
	}
}

// neighbours are the three rows around the step from row j to j+1: those two and the
// nearer of the rows on either side.
func (s *shooter) neighbours(j int) (int, int, int) {
	n := len(s.rows) / s.w
	switch {
	case n < 3:
		return 0, 0, 0
	case j == 0:
		return 0, 1, 2
	case j+2 >= n:
		return n - 3, n - 2, n - 1
	case s.at(j, 0)-s.at(j-1, 0) < s.at(j+2, 0)-s.at(j+1, 0):
		return j - 1, j, j + 1
	}
	return j, j + 1, j + 2
}

// quadratic is the value and slope at t of unknown i's quadratic through rows a, b, c.
func (s *shooter) quadratic(a, b, c, i int, t float64) (float64, float64) {
	ta, tb, tc := s.at(a, 0), s.at(b, 0), s.at(c, 0)
	ya, yb, yc := s.at(a, i), s.at(b, i), s.at(c, i)
	if a == b || b == c {
		return yb, 0
	}
	// Newton's divided differences.
	d1 := (yb - ya) / (tb - ta)
	d2 := ((yc-yb)/(tc-tb) - d1) / (tc - ta)
	v := ya + (t-ta)*(d1+(t-tb)*d2)
	dv := d1 + d2*((t-ta)+(t-tb))
	return v, dv
}

func (s *shooter) at(row, i int) float64 { return s.rows[row*s.w+i] }

// PSSSpectrum is the frequency-domain plot of a .pss, as ngspice writes it, from the
// period sampled at N+1 equally spaced times (both ends): at the frequencies k/T, k = 0 …
// harms-1, the mean of each column over the first N samples (k = 0) and the amplitudes
// 2|X_k|/N of its harmonics, X_k the discrete Fourier transform of those samples.
func PSSSpectrum(period float64, cols [][]float64, harms int) (freqs []float64, amps [][]float64) {
	freqs = make([]float64, harms)
	for k := range freqs {
		freqs[k] = float64(k) / period
	}
	amps = make([][]float64, len(cols))
	for c, col := range cols {
		n := len(col) - 1
		amps[c] = make([]float64, harms)
		for k := range harms {
			var sum complex128
			for j, v := range col[:n] {
				sum += complex(v, 0) * cmplx.Rect(1, -2*math.Pi*float64(k*j)/float64(n))
			}
			if k == 0 {
				amps[c][k] = real(sum) / float64(n)
			} else {
				amps[c][k] = 2 * cmplx.Abs(sum) / float64(n)
			}
		}
	}
	return freqs, amps
}
