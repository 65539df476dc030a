package devices

import (
	"math"
	"math/cmplx"
	"strconv"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// source is the value of an independent source: a DC value and an optional waveform.
type source struct {
	dc    float64
	hasDC bool
	wave  waveform   // nil for DC only
	ac    complex128 // the AC magnitude at its phase
}

func newSource(e *parser.Element, env Env) (source, error) {
	if err := checkParams(e); err != nil {
		return source{}, err
	}
	s := e.Source
	if s == nil {
		return source{}, elementError(e, "missing source value")
	}
	src := source{dc: s.DC, hasDC: s.HasDC}
	if s.HasAC {
		src.ac = cmplx.Rect(s.ACMag, s.ACPhase*math.Pi/180)
	}
	if s.Wave != nil {
		var w waveform
		var err error
		if k := s.Wave.Kind; k == "trnoise" || k == "trrandom" {
			w, err = newRandomWave(s.Wave, env, e.Name) // noisewave.go
		} else {
			w, err = newWaveform(s.Wave, Timing{Step: env.TStep, Stop: env.TStop})
		}
		if err != nil {
			return source{}, parser.Errorf(s.Wave.Pos, "%s: %v", e.Name, err)
		}
		src.wave = w
	}
	return src, nil
}

// at is the source's value in a load, before source stepping: .op uses the DC value when
// one is given, the transient's initial point the waveform at t = 0, as ngspice does.
func (s *source) at(ctx *Context) float64 {
	if s.wave == nil || ((ctx.Mode == ModeOP || ctx.Mode == ModeAC) && s.hasDC) {
		return s.dc
	}
	if ctx.Mode == ModeTran {
		return s.wave.value(ctx.Time, ctx.Timing)
	}
	return s.wave.value(0, ctx.Timing)
}

// SetDC replaces the DC value, in the copy of a source that a .dc sweep sets.
func (s *source) SetDC(v float64) { s.dc, s.hasDC = v, true }

func (s *source) NextBreakpoint(t float64, tm Timing) float64 {
	if s.wave == nil {
		return math.Inf(1)
	}
	return s.wave.next(t, tm)
}

// VoltageSource: a branch current i, positive into the + terminal, with F_k = va - vb - V.
type VoltageSource struct {
	twoTerminal
	source
	branch
}

func newVoltageSource(e *parser.Element, _ *parser.Circuit, env Env) (Device, error) {
	src, err := newSource(e, env)
	if err != nil {
		return nil, err
	}
	return &VoltageSource{twoTerminal: newTwoTerminal(e), source: src}, nil
}

func (v *VoltageSource) Setup(b *mna.Builder) {
	v.a, v.b = b.Node(v.node(0)), b.Node(v.node(1))
	v.setupBranch(b, v.Name(), v.a, v.b)
}

func (*VoltageSource) Linear() {}

// Swept returns a copy of the source, owned by a .dc sweep, whose DC value it sets.
func (v *VoltageSource) Swept() SweptLoader {
	c := *v
	return &c
}

// ACExcite: the branch equation va - vb = V has the small-signal right-hand side V_ac.
func (v *VoltageSource) ACExcite(rhs []complex128) { rhs[v.k] += v.ac }

func (v *VoltageSource) Load(ctx *Context) {
	v.loadBranch(ctx, v.a, v.b)
	ctx.F[v.k] -= ctx.SrcFactor * v.at(ctx)
}

// CurrentSource: a current I flowing from a through the source to b.
type CurrentSource struct {
	twoTerminal
	source
}

func newCurrentSource(e *parser.Element, _ *parser.Circuit, env Env) (Device, error) {
	src, err := newSource(e, env)
	if err != nil {
		return nil, err
	}
	return &CurrentSource{twoTerminal: newTwoTerminal(e), source: src}, nil
}

func (c *CurrentSource) Setup(b *mna.Builder) {
	c.a, c.b = b.Node(c.node(0)), b.Node(c.node(1))
}

func (*CurrentSource) Linear() {}

// Swept returns a copy of the source, owned by a .dc sweep, whose DC value it sets.
func (c *CurrentSource) Swept() SweptLoader {
	cp := *c
	return &cp
}

// ACExcite: the current I_ac leaves a and enters b.
func (c *CurrentSource) ACExcite(rhs []complex128) {
	rhs[c.a] -= c.ac
	rhs[c.b] += c.ac
}

func (c *CurrentSource) Load(ctx *Context) {
	i := ctx.SrcFactor * c.at(ctx)
	ctx.F[c.a] += i
	ctx.F[c.b] -= i
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
