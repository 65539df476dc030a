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
	s := e.Source()
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

// ACValue is the source's AC value, its magnitude at its phase.
func (s *source) ACValue() complex128 { return s.ac }

// SetDC replaces the DC value, in the copy of a source that a .dc sweep sets.
func (s *source) SetDC(v float64) { s.dc, s.hasDC = v, true }

func (s *source) NextBreakpoint(t float64, tm Timing) float64 {
	if s.wave == nil {
		return math.Inf(1)
	}
	return s.wave.next(t, tm)
}

// VoltageSource: a branch current i, positive into the + terminal, with F_k = va - vb - V.
// A port of .sp (portnum) drives its + node through its reference impedance z0 from an
// internal node <name>#res, in every analysis, as ngspice 39's port does: the branch is
// then between #res and the - node.
type VoltageSource struct {
	twoTerminal
	source
	branch
	port *port // nil but for a port
}

// port is a voltage source's side as an RF port: its number, its reference impedance,
// the internal node behind it with the handles of the series conductance, and the
// amplitude and frequency of the cosine it makes in a transient when pwr is given.
type port struct {
	num                int
	z0                 float64
	ext, res           int
	hee, her, hre, hrr mna.Handle
	amp, freq          float64
	hasPwr             bool
}

func newVoltageSource(e *parser.Element, _ *parser.Circuit, env Env) (Device, error) {
	src, err := newSource(e, env)
	if err != nil {
		return nil, err
	}
	v := &VoltageSource{twoTerminal: newTwoTerminal(e), source: src}
	if p := e.Source().Port; p != nil {
		// ngspice's available power pwr into a matched load: a cosine of amplitude
		// sqrt(4 z0 pwr) behind z0 (measured on ngspice 39: v(+) = sqrt(z0 pwr) cos(2 pi f t)
		// into z0).
		v.port = &port{num: p.Num, z0: p.Z0, hasPwr: p.HasPwr, amp: math.Sqrt(4 * p.Z0 * math.Max(p.Pwr, 0)), freq: p.Freq}
	}
	return v, nil
}

func (v *VoltageSource) Setup(b *mna.Builder) {
	v.a, v.b = b.Node(v.node(0)), b.Node(v.node(1))
	if p := v.port; p != nil {
		p.ext, p.res = v.a, b.WrittenNode(v.Name(), "res")
		p.hee, p.her = b.Entry(p.ext, p.ext), b.Entry(p.ext, p.res)
		p.hre, p.hrr = b.Entry(p.res, p.ext), b.Entry(p.res, p.res)
		v.a = p.res
	}
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
	if p := v.port; p != nil {
		stampSeries(ctx, 1/p.z0, p.ext, p.res, p.hee, p.her, p.hre, p.hrr)
		if p.hasPwr && (ctx.Mode == ModeTran || ctx.Mode == ModeTranOP) {
			ctx.F[v.k] -= ctx.SrcFactor * p.amp * math.Cos(2*math.Pi*p.freq*ctx.Time)
			return
		}
	}
	ctx.F[v.k] -= ctx.SrcFactor * v.at(ctx)
}

// Port describes a port of .sp: its number, its reference impedance, its external
// nodes and its branch (whose right-hand side excites it); ok is false for a source
// that is not a port.
func (v *VoltageSource) Port() (num int, z0 float64, plus, minus, branch int, ok bool) {
	if v.port == nil {
		return 0, 0, 0, 0, 0, false
	}
	return v.port.num, v.port.z0, v.port.ext, v.b, v.k, true
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
