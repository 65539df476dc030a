package devices

import (
	"fmt"
	"math"
	"sort"

	"github.com/gospice/gospice/parser"
)

// waveform is a transient source function with its defaults resolved.
type waveform interface {
	value(t float64) float64
	next(t float64) float64 // first corner strictly after t, or +Inf
}

// arg returns args[i], or def when it is absent or zero (SPICE treats a zero rise time,
// width or period as "not given").
func arg(args []float64, i int, def float64) float64 {
	if i < len(args) && args[i] != 0 {
		return args[i]
	}
	return def
}

func newWaveform(w *parser.Waveform, env Env) (waveform, error) {
	a := w.Args
	switch w.Kind {
	case "pulse":
		if len(a) < 2 {
			return nil, fmt.Errorf("PULSE needs at least v1 and v2")
		}
		p := &pulse{
			v1: a[0], v2: a[1],
			td:  arg(a, 2, 0),
			tr:  arg(a, 3, env.TStep),
			tf:  arg(a, 4, env.TStep),
			pw:  arg(a, 5, env.TStop),
			per: arg(a, 6, env.TStop),
			np:  arg(a, 7, 0),
		}
		if p.td < 0 || p.tr < 0 || p.tf < 0 || p.pw < 0 || p.per < 0 || p.np < 0 {
			return nil, fmt.Errorf("PULSE times must not be negative")
		}
		if p.per == 0 && p.tr+p.pw+p.tf == 0 {
			return nil, fmt.Errorf("PULSE needs a rise time, width or period (give tstep to .tran)")
		}
		return p, nil
	case "sin":
		if len(a) < 2 {
			return nil, fmt.Errorf("SIN needs at least vo and va")
		}
		s := &sine{vo: a[0], va: a[1], freq: arg(a, 2, 0), td: arg(a, 3, 0), theta: arg(a, 4, 0), phase: arg(a, 5, 0)}
		if s.freq == 0 && env.TStop > 0 {
			s.freq = 1 / env.TStop
		}
		return s, nil
	case "exp":
		if len(a) < 2 {
			return nil, fmt.Errorf("EXP needs at least v1 and v2")
		}
		// As in ngspice, a zero or absent td1 means tstep, like the other times.
		e := &expo{v1: a[0], v2: a[1], td1: arg(a, 2, env.TStep), tau1: arg(a, 3, env.TStep)}
		e.td2 = arg(a, 4, e.td1+env.TStep)
		e.tau2 = arg(a, 5, env.TStep)
		if e.tau1 <= 0 || e.tau2 <= 0 {
			return nil, fmt.Errorf("EXP time constants must be positive (give tstep to .tran)")
		}
		return e, nil
	case "pwl":
		if len(a) < 2 || len(a)%2 != 0 {
			return nil, fmt.Errorf("PWL needs time-value pairs")
		}
		p := &pwl{}
		for i := 0; i < len(a); i += 2 {
			if i > 0 && a[i] < a[i-2] {
				return nil, fmt.Errorf("PWL times must not decrease (%g after %g)", a[i], a[i-2])
			}
			p.t = append(p.t, a[i])
			p.v = append(p.v, a[i+1])
		}
		return p, nil
	}
	return nil, fmt.Errorf("unknown waveform %q", w.Kind)
}

// pulse is PULSE(v1 v2 td tr tf pw per np): np = 0 repeats forever.
type pulse struct {
	v1, v2, td, tr, tf, pw, per, np float64
}

func (p *pulse) value(t float64) float64 {
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

func (p *pulse) next(t float64) float64 {
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

// sine is SIN(vo va freq td theta phase), phase in degrees.
type sine struct {
	vo, va, freq, td, theta, phase float64
}

func (s *sine) value(t float64) float64 {
	ph := s.phase * math.Pi / 180
	if t <= s.td {
		return s.vo + s.va*math.Sin(ph)
	}
	t -= s.td
	return s.vo + s.va*math.Exp(-t*s.theta)*math.Sin(2*math.Pi*s.freq*t+ph)
}

func (s *sine) next(t float64) float64 {
	if t < s.td {
		return s.td
	}
	return math.Inf(1)
}

// expo is EXP(v1 v2 td1 tau1 td2 tau2).
type expo struct {
	v1, v2, td1, tau1, td2, tau2 float64
}

func (e *expo) value(t float64) float64 {
	v := e.v1
	if t > e.td1 {
		v += (e.v2 - e.v1) * -math.Expm1(-(t-e.td1)/e.tau1)
	}
	if t > e.td2 {
		v += (e.v1 - e.v2) * -math.Expm1(-(t-e.td2)/e.tau2)
	}
	return v
}

func (e *expo) next(t float64) float64 {
	switch {
	case t < e.td1:
		return e.td1
	case t < e.td2:
		return e.td2
	}
	return math.Inf(1)
}

// pwl is PWL(t1 v1 t2 v2 ...): constant before the first and after the last point.
type pwl struct {
	t, v []float64
}

func (p *pwl) value(t float64) float64 {
	n := len(p.t)
	if t <= p.t[0] {
		return p.v[0]
	}
	if t >= p.t[n-1] {
		return p.v[n-1]
	}
	i := sort.SearchFloat64s(p.t, t) // p.t[i-1] < t <= p.t[i]
	t0, t1 := p.t[i-1], p.t[i]
	if t1 == t0 {
		return p.v[i]
	}
	return p.v[i-1] + (p.v[i]-p.v[i-1])*(t-t0)/(t1-t0)
}

func (p *pwl) next(t float64) float64 {
	lo, hi := 0, len(p.t) // the answer is the first index with p.t[i] > t
	for lo < hi {
		mid := (lo + hi) / 2
		if p.t[mid] > t {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == len(p.t) {
		return math.Inf(1)
	}
	return p.t[lo]
}
