package devices

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gospice/gospice/parser"
)

// waveform is a transient source function. It keeps its arguments as written; those
// whose defaults depend on the transient (a zero or absent rise time is tstep, a period
// tstop) are filled in from tm at each evaluation, so that every .tran of a netlist gets
// its own defaults.
type waveform interface {
	value(t float64, tm Timing) float64
	next(t float64, tm Timing) float64 // first corner strictly after t, or +Inf
}

// arg returns args[i], or def when it is absent or zero (SPICE treats a zero rise time,
// width or period as "not given").
func arg(args []float64, i int, def float64) float64 {
	if i < len(args) && args[i] != 0 {
		return args[i]
	}
	return def
}

// or is v, or def when v is zero ("not given").
func or(v, def float64) float64 {
	if v != 0 {
		return v
	}
	return def
}

// perStop is 1/tstop, the default of a zero or absent frequency of SIN, SFFM and AM (0
// without a tstop).
func (tm Timing) perStop() float64 {
	if tm.Stop > 0 {
		return 1 / tm.Stop
	}
	return 0
}

// newWaveform builds a waveform and checks its arguments with the defaults of tm, the
// netlist's first .tran.
func newWaveform(w *parser.Waveform, tm Timing) (waveform, error) {
	a := w.Args
	// The parser gives every waveform its arguments' count (at least two for each); a
	// circuit built by other code gets this one check instead of an index out of range.
	if len(a) < 2 {
		return nil, fmt.Errorf("%s needs at least 2 arguments, found %d", strings.ToUpper(w.Kind), len(a))
	}
	switch w.Kind {
	case "pulse":
		p := &pulse{v1: a[0], v2: a[1], td: arg(a, 2, 0), tr: arg(a, 3, 0), tf: arg(a, 4, 0),
			pw: arg(a, 5, 0), per: arg(a, 6, 0), np: arg(a, 7, 0)}
		if p.td < 0 || p.tr < 0 || p.tf < 0 || p.pw < 0 || p.per < 0 || p.np < 0 {
			return nil, fmt.Errorf("PULSE times must not be negative")
		}
		if r := p.at(tm); r.per == 0 && r.tr+r.pw+r.tf == 0 {
			return nil, fmt.Errorf("PULSE needs a rise time, width or period (give tstep to .tran)")
		}
		return p, nil
	case "sin":
		return &sine{vo: a[0], va: a[1], freq: arg(a, 2, 0), td: arg(a, 3, 0), theta: arg(a, 4, 0), phase: arg(a, 5, 0)}, nil
	case "exp":
		e := &expo{v1: a[0], v2: a[1], td1: arg(a, 2, 0), tau1: arg(a, 3, 0), td2: arg(a, 4, 0), tau2: arg(a, 5, 0)}
		if r := e.at(tm); r.tau1 <= 0 || r.tau2 <= 0 {
			return nil, fmt.Errorf("EXP time constants must be positive (give tstep to .tran)")
		}
		return e, nil
	case "pwl":
		return newPWL(w)
	case "sffm":
		// ngspice 39's order; a zero or absent fc or fs means 1/tstop. The eighth
		// argument is read and not used.
		return &sffm{vo: a[0], va: a[1], fc: arg(a, 2, 0), mdi: arg(a, 3, 0), fs: arg(a, 4, 0),
			phasec: arg(a, 5, 0) * math.Pi / 180, phases: arg(a, 6, 0) * math.Pi / 180}, nil
	case "am":
		// ngspice 39's order; a zero or absent mf means 1/tstop, an absent fc is 0 (the
		// output stays 0). ngspice 39 reads phasec (the sixth argument) but shifts both
		// sines by phases (the seventh): so does this, to give the same waveform.
		m := &am{va: a[0], vo: a[1], mf: arg(a, 2, 0), fc: arg(a, 3, 0), td: arg(a, 4, 0),
			phases: arg(a, 6, 0) * math.Pi / 180}
		if m.td < 0 {
			return nil, fmt.Errorf("AM delay must not be negative")
		}
		return m, nil
	case "trnoise", "trrandom":
		// Their values come from ngspice's own random generator: a run could not match
		// ngspice's, and a noise source needs a noise model gospice does not have yet.
		return nil, fmt.Errorf("%s sources are not supported", strings.ToUpper(w.Kind))
	}
	return nil, fmt.Errorf("unknown waveform %q", w.Kind)
}

// pulse is PULSE(v1 v2 td tr tf pw per np): np = 0 repeats forever; a zero tr or tf is
// tstep, a zero pw or per tstop.
type pulse struct {
	v1, v2, td, tr, tf, pw, per, np float64
}

// at is the pulse with its defaults filled in from tm.
func (p *pulse) at(tm Timing) pulse {
	r := *p
	r.tr, r.tf = or(p.tr, tm.Step), or(p.tf, tm.Step)
	r.pw, r.per = or(p.pw, tm.Stop), or(p.per, tm.Stop)
	return r
}

func (w *pulse) value(t float64, tm Timing) float64 {
	p := w.at(tm)
	if t < p.td {
		return p.v1
	}
	t -= p.td
	if p.per > 0 && t > p.per { // at exactly one period ngspice still gives the pulse's end
		n := math.Floor(t / p.per)
		if p.np > 0 && n >= p.np {
			return p.v1
		}
		t -= n * p.per
	}
	switch {
	case t < p.tr:
		return p.v1 + (p.v2-p.v1)*t/p.tr
	case t <= p.tr+p.pw:
		return p.v2
	case t < p.tr+p.pw+p.tf:
		return p.v2 + (p.v1-p.v2)*(t-p.tr-p.pw)/p.tf
	}
	return p.v1
}

func (w *pulse) next(t float64, tm Timing) float64 {
	p := w.at(tm)
	if t < p.td {
		return p.td
	}
	n := 0.0
	if p.per > 0 {
		n = math.Floor((t - p.td) / p.per)
	}
	corners := [4]float64{0, p.tr, p.tr + p.pw, p.tr + p.pw + p.tf}
	for ; ; n++ {
		if p.np > 0 && n >= p.np {
			return math.Inf(1)
		}
		base := p.td + n*p.per
		for _, c := range corners {
			if base+c > t {
				return base + c
			}
		}
		if p.per == 0 {
			return math.Inf(1)
		}
	}
}

// sine is SIN(vo va freq td theta phase), phase in degrees; a zero freq is 1/tstop.
type sine struct {
	vo, va, freq, td, theta, phase float64
}

func (s *sine) value(t float64, tm Timing) float64 {
	ph := s.phase * math.Pi / 180
	if t <= s.td {
		return s.vo + s.va*math.Sin(ph)
	}
	t -= s.td
	return s.vo + s.va*math.Exp(-t*s.theta)*math.Sin(2*math.Pi*or(s.freq, tm.perStop())*t+ph)
}

func (s *sine) next(t float64, _ Timing) float64 {
	if t < s.td {
		return s.td
	}
	return math.Inf(1)
}

// expo is EXP(v1 v2 td1 tau1 td2 tau2). As in ngspice, a zero td1, tau1 or tau2 is tstep
// and a zero td2 is td1 + tstep.
type expo struct {
	v1, v2, td1, tau1, td2, tau2 float64
}

// at is the waveform with its defaults filled in from tm.
func (x *expo) at(tm Timing) expo {
	r := *x
	r.td1, r.tau1, r.tau2 = or(x.td1, tm.Step), or(x.tau1, tm.Step), or(x.tau2, tm.Step)
	r.td2 = or(x.td2, r.td1+tm.Step)
	return r
}

func (x *expo) value(t float64, tm Timing) float64 {
	e := x.at(tm)
	v := e.v1
	if t > e.td1 {
		v += (e.v2 - e.v1) * -math.Expm1(-(t-e.td1)/e.tau1)
	}
	if t > e.td2 {
		v += (e.v1 - e.v2) * -math.Expm1(-(t-e.td2)/e.tau2)
	}
	return v
}

func (x *expo) next(t float64, tm Timing) float64 {
	e := x.at(tm)
	switch {
	case t < e.td1:
		return e.td1
	case t < e.td2:
		return e.td2
	}
	return math.Inf(1)
}

// pwl is PWL(t1 v1 t2 v2 ...) [r=tr] [td=delay]: constant before the first point, and
// after the last one too unless r= repeats the stretch from the point at tr (index
// repeat) to the last for ever, as ngspice 39 does: the period is tlast - tr, and at the
// start of each repetition the value is that at tr. td= shifts the whole waveform later.
type pwl struct {
	t, v   []float64
	repeat int // -1: no repetition
	delay  float64
}

// newPWL builds a PWL waveform and checks its points and options (which the parser
// checks already, with positions: a circuit built by other code gets these).
func newPWL(w *parser.Waveform) (*pwl, error) {
	a := w.Args
	if len(a)%2 != 0 {
		return nil, fmt.Errorf("PWL needs time-value pairs")
	}
	p := &pwl{repeat: -1, delay: w.Delay}
	for i := 0; i < len(a); i += 2 {
		if i > 0 && a[i] < a[i-2] {
			return nil, fmt.Errorf("PWL times must not decrease (%g after %g)", a[i], a[i-2])
		}
		p.t = append(p.t, a[i])
		p.v = append(p.v, a[i+1])
	}
	if math.IsNaN(p.delay) || math.IsInf(p.delay, 0) {
		return nil, fmt.Errorf("PWL td=%g is not a finite number", p.delay)
	}
	if w.HasRepeat {
		p.repeat = parser.RepeatIndex(a, w.Repeat)
		if p.repeat < 0 || !(p.t[p.repeat] < p.t[len(p.t)-1]) {
			return nil, fmt.Errorf("PWL r=%g must be one of its time points, before the last", w.Repeat)
		}
	}
	return p, nil
}

func (p *pwl) value(t float64, _ Timing) float64 {
	t -= p.delay
	n := len(p.t)
	if p.repeat >= 0 && t >= p.t[n-1] {
		t = p.fold(t)
	}
	if t <= p.t[0] {
		return p.v[0]
	}
	if t >= p.t[n-1] {
		return p.v[n-1]
	}
	i := sort.SearchFloat64s(p.t, t) // p.t[i-1] < t <= p.t[i]
	t0, t1 := p.t[i-1], p.t[i]
	if t == t1 { // a corner: its value exactly
		return p.v[i]
	}
	return p.v[i-1] + (p.v[i]-p.v[i-1])*(t-t0)/(t1-t0)
}

// fold maps a time at or after the last point into the repeated stretch, [tr, tlast).
func (p *pwl) fold(t float64) float64 {
	tr, tn := p.t[p.repeat], p.t[len(p.t)-1]
	period := tn - tr
	u := tr + math.Mod(t-tn, period)
	if u >= tn || u < tr { // rounding at a period's end: the next one starts
		u = tr
	}
	return u
}

// next is the first corner strictly after t: a point's time, plus the delay and, in the
// repetition k (from 0), plus tlast + k period - tr. Rounding may put the corner nearest
// to t on either side of it, so each candidate is compared with t itself; and each corner
// is computed one way only (a repetition's first corner is the last one's end, and is
// left out), so that the corner that t is, computed again, is not after it.
func (p *pwl) next(t float64, _ Timing) float64 {
	u := t - p.delay
	n := len(p.t)
	for i := max(firstAfter(p.t, u)-1, 0); i < n; i++ {
		if c := p.t[i] + p.delay; c > t {
			return c
		}
	}
	if p.repeat < 0 {
		return math.Inf(1)
	}
	tr, tn := p.t[p.repeat], p.t[n-1]
	period := tn - tr
	stretch := p.t[p.repeat:]
	for k := math.Max(math.Floor((u-tn)/period)-1, 0); ; k++ {
		shift := tn + k*period - tr + p.delay
		for i := max(firstAfter(stretch, t-shift)-1, 1); i < len(stretch); i++ {
			if c := stretch[i] + shift; c > t {
				return c
			}
		}
	}
}

// firstAfter is the index of the first time strictly after t, or len(ts).
func firstAfter(ts []float64, t float64) int {
	lo, hi := 0, len(ts)
	for lo < hi {
		mid := (lo + hi) / 2
		if ts[mid] > t {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// sffm is SFFM(vo va fc mdi fs phasec phases) as ngspice 39 reads it (newer ngspice
// manuals give another order): vo + va sin(2π fc t + phasec + mdi sin(2π fs t + phases)),
// phases in degrees. ngspice sets no breakpoints and no step limit for it, like SIN: the
// transient's tmax and truncation error bound the step.
type sffm struct {
	vo, va, fc, mdi, fs, phasec, phases float64
}

func (f *sffm) value(t float64, tm Timing) float64 {
	fc, fs := or(f.fc, tm.perStop()), or(f.fs, tm.perStop())
	return f.vo + f.va*math.Sin(2*math.Pi*fc*t+f.phasec+f.mdi*math.Sin(2*math.Pi*fs*t+f.phases))
}

func (f *sffm) next(float64, Timing) float64 { return math.Inf(1) }

// am is AM(va vo mf fc td phasec phases) as ngspice 39 reads it: 0 up to td, then
// va (vo + sin(2π mf τ + phases)) sin(2π fc τ + phases) with τ = t - td.
type am struct {
	va, vo, mf, fc, td, phases float64
}

func (m *am) value(t float64, tm Timing) float64 {
	t -= m.td
	if t <= 0 {
		return 0
	}
	mf := or(m.mf, tm.perStop())
	return m.va * (m.vo + math.Sin(2*math.Pi*mf*t+m.phases)) * math.Sin(2*math.Pi*m.fc*t+m.phases)
}

// next gives td, where the waveform starts with a corner (as sine does for its delay);
// ngspice sets no breakpoint there, but landing on it only makes the step more accurate.
func (m *am) next(t float64, _ Timing) float64 {
	if t < m.td {
		return m.td
	}
	return math.Inf(1)
}
