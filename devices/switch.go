package devices

import (
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Switch is ngspice's voltage-controlled switch (S, model sw): a conductance of 1/ron
// or 1/roff chosen by the control voltage with hysteresis. Above vt+vh it closes, below
// vt-vh it opens, and in between it keeps its state: on the first iteration of a step the
// state of the last accepted point, on later iterations the state of the last iteration.
//
// The current-controlled switch (W, model csw) is the same with the branch current of a
// voltage source as its control and it, ih as vt, vh. As ngspice's, in the band it keeps
// the state of the last accepted point on every iteration, and it does not bound the step.
type Switch struct {
	twoTerminal
	controlNodes  [2]string
	controlSource string // W: the voltage source whose current controls it
	cp, cn        int    // control nodes; for W the source's branch and ground
	vt, vh        float64
	gon, goff     float64
	initiallyOn   bool
}

// switchRun is one run of a Switch: its state at the last evaluation and at the last
// accepted point, and the control voltage there.
type switchRun struct {
	*Switch
	state    switchState // at the last evaluation
	accepted switchState // at the last accepted point
	vctrlAt  float64     // the control voltage at the last accepted point
}

func (s *Switch) NewRun() Loader { return &switchRun{Switch: s} }

// switchState follows ngspice: closed or open, and whether the control voltage was in the
// hysteresis band when the state was decided (which matters for a negative vh).
type switchState uint8

const (
	switchOff switchState = iota
	switchOn
	switchHystOff
	switchHystOn
)

func (s switchState) closed() bool { return s == switchOn || s == switchHystOn }

type switchModel struct {
	vt, vh, ron, roff float64
	roffGiven         bool
}

// params is the parameter table of an S switch's model (sw), or with current of a W
// switch's (csw), whose thresholds it and ih are currents.
func (m *switchModel) params(current bool) paramSet {
	what, vt, vh, unit, kind := "switch model", "vt", "vh", "V", "sw"
	if current {
		what, vt, vh, unit, kind = "current-controlled switch model", "it", "ih", "A", "csw"
	}
	return paramSet{what: what, params: []param{
		p(vt, 0, unit, "threshold", &m.vt),
		p(vh, 0, unit, "hysteresis: half the width of the band", &m.vh),
		p("ron", 1, "ohm", "resistance when closed", &m.ron),
		p("roff", 0, "ohm", "resistance when open (default 1/gmin)", &m.roff).withGiven(&m.roffGiven),
		accepted(kind),
	}}
}

func newSwitch(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "switch", "sw")
	if err != nil {
		return nil, err
	}
	var m switchModel
	if err := m.params(false).apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	s, err := switchOf(e, card.Name, m, env)
	if err != nil {
		return nil, err
	}
	s.controlNodes = [2]string{e.Nodes[2], e.Nodes[3]}
	return s, nil
}

// newCurrentSwitch builds a W switch: Wname n+ n- vname model [on|off].
func newCurrentSwitch(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	ctl, err := controlSource(e)
	if err != nil {
		return nil, err
	}
	card, err := modelFor(e, c, "current-controlled switch", "csw")
	if err != nil {
		return nil, err
	}
	var m switchModel
	if err := m.params(true).apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	s, err := switchOf(e, card.Name, m, env)
	if err != nil {
		return nil, err
	}
	s.controlSource = ctl
	return s, nil
}

// switchOf makes the switch of an S or W line from its model: the line's on or off,
// the conductances; the caller sets the control.
func switchOf(e *parser.Element, model string, m switchModel, env Env) (*Switch, error) {
	if len(e.Params()) > 0 {
		return nil, parser.Errorf(e.Params()[0].Pos, "%s: a switch has no parameter %q", e.Name, e.Params()[0].Name)
	}
	on := false
	for _, a := range e.Args() {
		switch a.Word {
		case "on":
			on = true
		case "off":
			on = false
		default:
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q (a switch takes on or off)", e.Name, argText(a))
		}
	}
	if !m.roffGiven {
		m.roff = 1 / env.Gmin
	}
	if !(m.ron > 0) || !(m.roff > 0) || math.IsInf(m.roff, 0) {
		return nil, elementError(e, "ron and roff of model %s must be positive and finite", model)
	}
	return &Switch{
		twoTerminal: newTwoTerminal(e),
		vt:          m.vt, vh: m.vh,
		gon: 1 / m.ron, goff: 1 / m.roff,
		initiallyOn: on,
	}, nil
}

func (s *Switch) Setup(b *mna.Builder) {
	s.setupPair(b)
	if s.controlSource != "" {
		// The same unknown as the source's own, whichever sets up first.
		s.cp, s.cn = b.Branch(s.controlSource), mna.Ground
		return
	}
	s.cp, s.cn = b.Node(s.controlNodes[0]), b.Node(s.controlNodes[1])
}

// decide applies the thresholds to v, starting from the state prev, as ngspice does.
func (s *Switch) decide(v float64, prev switchState) switchState {
	if s.vh >= 0 {
		switch {
		case v > s.vt+s.vh:
			return switchOn
		case v < s.vt-s.vh:
			return switchOff
		}
		return prev
	}
	// A negative vh swaps the band's edges; entering the band from a settled state flips it.
	switch {
	case v > s.vt-s.vh:
		return switchOn
	case v < s.vt+s.vh:
		return switchOff
	case prev == switchOn:
		return switchHystOff
	case prev == switchOff:
		return switchHystOn
	}
	return prev
}

func (s *switchRun) Load(ctx *Context) {
	v := ctx.X[s.cp] - ctx.X[s.cn]
	var state switchState
	switch {
	case ctx.InitJunctions:
		// The operating point starts from the state the element line gives.
		state = switchHystOff
		if s.initiallyOn {
			state = switchHystOn
		}
	case ctx.FirstIteration:
		state = s.decide(v, s.accepted)
	case s.controlSource != "":
		state = s.decide(v, s.accepted)
		if state != s.state {
			ctx.Limited = true
		}
	default:
		state = s.decide(v, s.state)
		if state != s.state {
			ctx.Limited = true // one more iteration with the new state
		}
	}
	s.state = state
	g := s.goff
	if state.closed() {
		g = s.gon
	}
	i := g * (ctx.X[s.a] - ctx.X[s.b])
	ctx.F[s.a] += i
	ctx.F[s.b] -= i
	s.stamp(ctx.G, g)
}

func (s *switchRun) Accept(ctx *Context) {
	s.accepted = s.state
	s.vctrlAt = ctx.X[s.cp] - ctx.X[s.cn]
}

// MaxStep keeps the control voltage from crossing the threshold it is heading for in
// one step, as ngspice's switch truncation does: the next step may cover at most three
// quarters of the remaining distance (plus 50 mV), at the rate of the last step.
func (s *switchRun) MaxStep(ctx *Context, step float64) float64 {
	if s.controlSource != "" {
		return math.Inf(1) // ngspice's W does not bound the step
	}
	v := ctx.X[s.cp] - ctx.X[s.cn]
	change := v - s.vctrlAt
	if !s.state.closed() {
		ref := s.vt + s.vh
		if v < ref && change > 0 {
			return ((ref-v)*0.75 + 0.05) / change * step
		}
	} else {
		ref := s.vt - s.vh
		if v > ref && change < 0 {
			return ((ref-v)*0.75 - 0.05) / change * step
		}
	}
	return math.Inf(1)
}
