package devices

import (
	"slices"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// multiplier reads m= (parallel copies), default 1.
func multiplier(e *parser.Element) (float64, error) {
	p, ok := e.Param("m")
	if !ok {
		return 1, nil
	}
	if !(p.Value > 0) {
		return 0, parser.Errorf(p.Pos, "%s: m must be positive, got %g", e.Name, p.Value)
	}
	return p.Value, nil
}

// checkParams rejects any name=value on e that is not in allowed.
func checkParams(e *parser.Element, allowed ...string) error {
	if p := unknownParam(e, allowed...); p != nil {
		return parser.Errorf(p.Pos, "%s: unknown parameter %q", e.Name, p.Name)
	}
	return noArgs(e)
}

// noArgs rejects the first bare argument of e, for an element that takes none.
func noArgs(e *parser.Element) error {
	if args := e.Args(); len(args) > 0 {
		return parser.Errorf(args[0].Pos, "%s: unexpected %q", e.Name, argText(args[0]))
	}
	return nil
}

// unknownParam returns the first name=value on e that is not in allowed, or nil.
func unknownParam(e *parser.Element, allowed ...string) *parser.Param {
	params := e.Params()
	for i, p := range params {
		if !slices.Contains(allowed, p.Name) {
			return &params[i]
		}
	}
	return nil
}

func argText(a parser.Arg) string {
	if a.IsNumber {
		return formatNumber(a.Number)
	}
	return a.Word
}

// passive reads what R, C and L lines share: no model (yet), only the given parameters,
// the value (in place or as key=value) and the multiplier m.
func passive(e *parser.Element, noun, key, what string, params ...string) (value, m float64, err error) {
	if e.Model != "" {
		return 0, 0, elementError(e, "%s models are not supported yet (model %q)", noun, e.Model)
	}
	err = noArgs(e)
	if len(e.Params()) > 0 { // most elements have none: no list of those allowed is made
		err = checkParams(e, append(params, key, "m")...)
	}
	if err != nil {
		return 0, 0, err
	}
	switch p, ok := e.Param(key); {
	case e.HasValue:
		value = e.Value
	case ok:
		value = p.Value
	default:
		return 0, 0, elementError(e, "missing %s", what)
	}
	m, err = multiplier(e)
	return value, m, err
}

// initialCondition reads IC=.
func initialCondition(e *parser.Element) (float64, bool) {
	p, ok := e.Param("ic")
	return p.Value, ok
}

// Capacitor: Q = C (va - vb). With uic, the initial charge is C * IC.
type Capacitor struct {
	twoTerminal
	c     float64
	ic    float64
	hasIC bool
}

func newCapacitor(e *parser.Element, ckt *parser.Circuit, env Env) (Device, error) {
	if e.Expr() != nil {
		return newBehaviouralCapacitor(e, ckt, env)
	}
	c, m, err := passive(e, "capacitor", "c", "capacitance", "ic")
	if err != nil {
		return nil, err
	}
	d := env.newCapacitorValue() // field by field, as newResistor
	d.el, d.c = e, c*m
	d.ic, d.hasIC = initialCondition(e)
	return d, nil
}

func (c *Capacitor) Setup(b *mna.Builder) { c.setupPair(b) }

// Capacitance is the capacitance, m included.
func (c *Capacitor) Capacitance() float64 { return c.c }

// Nodes are the unknowns of the capacitor's nodes, 0 for ground (after Setup).
func (c *Capacitor) Nodes() (a, b int) { return c.a, c.b }
func (*Capacitor) Linear()             {}

// GroundedIC is the node of a capacitor to ground with IC=, and its voltage there.
func (c *Capacitor) GroundedIC() (int, float64, bool) {
	switch {
	case !c.hasIC || c.a == c.b:
		return 0, 0, false
	case c.b == mna.Ground:
		return c.a, c.ic, true
	case c.a == mna.Ground:
		return c.b, -c.ic, true
	}
	return 0, 0, false
}

func (c *Capacitor) Load(ctx *Context) {
	v := ctx.X[c.a] - ctx.X[c.b]
	if ctx.UIC && c.hasIC {
		v = c.ic
	}
	q := c.c * v
	ctx.Q[c.a] += q
	ctx.Q[c.b] -= q
	c.stamp(ctx.C, c.c)
}

// Inductor: a branch current i from a to b, with F_k = va - vb and Q_k = -L i.
// At DC the flux term drops out and the inductor is a short.
type Inductor struct {
	twoTerminal
	branch
	l     float64
	ic    float64
	hasIC bool
	hkk   mna.Handle
}

func newInductor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	if e.Expr() != nil {
		return newBehaviouralInductor(e, c, env)
	}
	l, m, err := passive(e, "inductor", "l", "inductance", "ic")
	if err != nil {
		return nil, err
	}
	d := &Inductor{twoTerminal: newTwoTerminal(e), l: l / m}
	d.ic, d.hasIC = initialCondition(e)
	return d, nil
}

func (l *Inductor) Setup(b *mna.Builder) {
	l.a, l.b = b.Node(l.node(0)), b.Node(l.node(1))
	l.setupBranch(b, l.Name(), l.a, l.b)
	l.hkk = b.Entry(l.k, l.k)
}

func (*Inductor) Linear() {}

// Inductance is the inductance, m included, and Branch its branch current's unknown.
func (l *Inductor) Inductance() float64 { return l.l }
func (l *Inductor) Branch() int         { return l.k }

func (l *Inductor) SetInitial(x []float64) {
	if l.hasIC {
		x[l.k] = l.ic
	}
}

// fluxCurrent is the current that sets the inductor's flux: its branch current, or
// under UIC its IC= current where given.
func (l *Inductor) fluxCurrent(ctx *Context) float64 {
	if ctx.UIC && l.hasIC {
		return l.ic
	}
	return ctx.X[l.k]
}

func (l *Inductor) Load(ctx *Context) {
	l.loadBranch(ctx, l.a, l.b)
	ctx.Q[l.k] -= l.l * l.fluxCurrent(ctx)
	ctx.C[l.hkk] -= l.l
}
