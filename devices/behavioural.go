package devices

import (
	"fmt"
	"math"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
)

// Behavioural elements: a B source (V={expr} or I={expr}), an E or G whose output is
// value={expr}, and an R, C or L whose value depends on probes or time. Each compiles its
// expression once into a tape (tape.go) that gives the value and its exact derivatives
// with respect to every probe, so that Newton sees the true Jacobian.
//
// As in ngspice: an I-type source's current flows from n+ through the source to n- (B1 0
// a I=1m with a resistor from a to ground makes v(a) positive); a V-type source has a
// branch current like a voltage source; R = expr is a current v(n+,n-)/R; C = expr is a
// current C*dv/dt (not the derivative of a charge C*v) and L = expr a voltage L*di/dt,
// which ngspice builds from an auxiliary 1 F capacitor or 1 H inductor; here the
// auxiliary is one internal unknown, the time derivative, with the same charge and so
// the same truncation error.

// behaviour is an expression with the unknowns its probes read.
type behaviour struct {
	name  string
	pos   parser.Pos // of the expression
	t     *tape
	cols  []probeCols // per probe of t, resolved in setup
	fault bool        // the last evaluation failed
	when  float64     // the time of the failure
	tran  bool        // it failed in a transient time point
}

// probeCols are the unknowns of a probe: its value is X[plus] - X[minus].
type probeCols struct{ plus, minus int }

// newBehaviour compiles n, the expression of element e, and checks its probes: v() must
// name nodes of the circuit and i() an element with a branch current.
func newBehaviour(e *parser.Element, c *parser.Circuit, env Env, n expr.Node) (behaviour, error) {
	t, err := compileTape(n, tapeEnv{temp: env.Temp, gmin: env.Gmin})
	if err != nil {
		return behaviour{}, parser.Errorf(e.ValuePos, "%s: %v", e.Name, err)
	}
	bh := behaviour{name: e.Name, pos: e.ValuePos, t: t, cols: make([]probeCols, len(t.probes))}
	if err := checkProbes(e, c, t.probes); err != nil {
		return behaviour{}, err
	}
	return bh, nil
}

// checkProbes reports a probe of a node no element connects, or i() of an element that
// has no branch current, in one pass over the circuit.
func checkProbes(e *parser.Element, c *parser.Circuit, probes []*expr.Probe) error {
	nodes, branches := map[string]bool{}, map[string]bool{}
	for _, p := range probes {
		for _, n := range p.Names {
			if p.Kind == 'v' && n != "0" {
				nodes[n] = false
			}
			if p.Kind == 'i' {
				branches[n] = false
			}
		}
	}
	if len(nodes) == 0 && len(branches) == 0 {
		return nil
	}
	kinds := map[string]byte{}
	for _, el := range c.Elements {
		for _, n := range el.Nodes {
			if _, ok := nodes[n]; ok {
				nodes[n] = true
			}
		}
		if _, ok := branches[el.Name]; ok {
			kinds[el.Name] = el.Kind
			branches[el.Name] = hasBranch(el)
		}
	}
	for _, p := range probes {
		for _, n := range p.Names {
			switch {
			case p.Kind == 'v' && n != "0" && !nodes[n]:
				return parser.Errorf(e.ValuePos, "%s: %s: no element connects node %q", e.Name, expr.ProbeName(p), n)
			case p.Kind == 'i' && !branches[n]:
				if k, ok := kinds[n]; ok {
					return parser.Errorf(e.ValuePos, "%s: %s: %s (a %c element) has no branch current; i() takes a voltage source, an inductor, or an E, H or B V= source",
						e.Name, expr.ProbeName(p), n, k-'a'+'A')
				}
				return parser.Errorf(e.ValuePos, "%s: %s: there is no element %q", e.Name, expr.ProbeName(p), n)
			}
		}
	}
	return nil
}

// hasBranch reports whether an element has a branch current unknown named after it.
func hasBranch(el *parser.Element) bool {
	switch el.Kind {
	case 'v', 'l', 'e', 'h':
		return true
	case 'b':
		return el.ExprKind == "v"
	}
	return false
}

// setup resolves the probes to unknowns. i(x) is the branch of x: Branch is idempotent
// by name, so it does not matter whether x is set up before or after this element.
func (bh *behaviour) setup(b *mna.Builder) {
	for k, p := range bh.t.probes {
		switch {
		case p.Kind == 'i':
			bh.cols[k] = probeCols{b.Branch(p.Names[0]), mna.Ground}
		case len(p.Names) == 2:
			bh.cols[k] = probeCols{b.Node(p.Names[0]), b.Node(p.Names[1])}
		default:
			bh.cols[k] = probeCols{b.Node(p.Names[0]), mna.Ground}
		}
	}
}

// eval computes the expression at ctx.X. On failure (a value that is not a finite
// number) it records the fault and returns false: the device then loads nothing and the
// engine reports Fault.
func (bh *behaviour) eval(ctx *Context) bool {
	t := bh.t
	for k, c := range bh.cols {
		t.val[k] = ctx.X[c.plus] - ctx.X[c.minus]
	}
	time := 0.0 // .op, .dc and the transient's initial point are at t = 0, as in ngspice
	if ctx.Mode == ModeTran {
		time = ctx.Time
	}
	t.setTime(time)
	bh.fault = !t.eval()
	bh.when, bh.tran = time, ctx.Mode == ModeTran
	return !bh.fault
}

// Fault describes the failure of the last load, or is nil.
func (bh *behaviour) Fault() error {
	if !bh.fault {
		return nil
	}
	where := ""
	if bh.tran {
		where = fmt.Sprintf(" at time %g", bh.when)
	}
	vals := ""
	for k, p := range bh.t.probes {
		if k == 4 {
			vals += ", ..."
			break
		}
		sep := ", "
		if k == 0 {
			sep = " with "
		}
		vals += fmt.Sprintf("%s%s = %g", sep, expr.ProbeName(p), bh.t.val[k])
	}
	return parser.Errorf(bh.pos, "%s: %s%s%s", bh.name, bh.t.faultError(), where, vals)
}

// gradRows stamps a gradient into some rows of the Jacobian: for each row, with its
// sign, and each probe, the probe's two columns.
type gradRows struct {
	signs []float64
	h     []mna.Handle // [row][probe][plus, minus]
	n     int          // probes
}

func (g *gradRows) setup(b *mna.Builder, rows []int, signs []float64, cols []probeCols) {
	g.signs, g.n = signs, len(cols)
	g.h = make([]mna.Handle, 0, 2*len(rows)*len(cols))
	for _, r := range rows {
		for _, c := range cols {
			g.h = append(g.h, b.Entry(r, c.plus), b.Entry(r, c.minus))
		}
	}
}

// stamp adds scale*grad into the rows.
func (g *gradRows) stamp(m []float64, grad []float64, scale float64) {
	i := 0
	for _, s := range g.signs {
		for _, d := range grad {
			v := s * scale * d
			m[g.h[i]] += v
			m[g.h[i+1]] -= v
			i += 2
		}
	}
}

// BehaviouralSource is a B source, or an E (V-type) or G (I-type) with value={expr}.
// Its value is factor*f(x), factor the temperature factor and multiplier of tc1, tc2
// and m, as ngspice's B source has them.
type BehaviouralSource struct {
	behaviour
	nodes              [2]string
	voltage            bool
	factor             float64
	a, b, k            int
	hak, hbk, hka, hkb mna.Handle
	rows               gradRows
}

// behaviouralParams are the instance parameters of ngspice's B source.
type behaviouralParams struct {
	temp, dtemp, tc1, tc2, m, reciproctc, reciprocm float64
	tempGiven                                       bool
}

func (b *behaviouralParams) params() paramSet {
	return paramSet{what: "behavioural source", params: []param{
		p("temp", 27, "C", "instance temperature", &b.temp).withGiven(&b.tempGiven),
		p("dtemp", 0, "C", "temperature offset from the circuit's", &b.dtemp),
		p("tc1", 0, "1/C", "first-order temperature coefficient (from 27 C)", &b.tc1),
		p("tc2", 0, "1/C^2", "second-order temperature coefficient", &b.tc2),
		p("m", 1, "", "multiplier", &b.m),
		p("reciproctc", 0, "", "1: divide by the temperature factor rather than multiply", &b.reciproctc),
		p("reciprocm", 0, "", "1: divide by m rather than multiply", &b.reciprocm),
	}}
}

// factor is the scale ngspice's B source applies to its value: 1 + tc1*dT + tc2*dT^2 from
// 27 C (not tnom), and m.
func (b *behaviouralParams) factor(env Env) float64 {
	t := env.Temp + b.dtemp
	if b.tempGiven {
		t = b.temp // dtemp is ignored with temp, as in ngspice
	}
	dt := t - 27
	f := 1 + b.tc1*dt + b.tc2*dt*dt
	if b.reciproctc == 1 {
		f = 1 / f
	}
	if b.reciprocm == 1 {
		return f / b.m
	}
	return f * b.m
}

// newBehaviouralSource builds a source whose output is an expression: B with V= or I=,
// E with value= (a voltage) and G with value= (a current from n+ through the source to
// n-, as a linear G).
func newBehaviouralSource(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	if e.Expr == nil {
		return nil, elementError(e, "missing expression: V={expr} or I={expr}")
	}
	if len(e.Nodes) != 2 {
		return nil, elementError(e, "a behavioural source has 2 nodes, found %d", len(e.Nodes))
	}
	voltage := false
	switch {
	case e.Kind == 'b' && e.ExprKind == "v", e.Kind == 'e':
		voltage = true
	case e.Kind == 'b' && e.ExprKind == "i", e.Kind == 'g':
	default:
		return nil, elementError(e, "unexpected expression kind %q", e.ExprKind)
	}
	if len(e.Args) > 0 {
		return nil, parser.Errorf(e.Args[0].Pos, "%s: unexpected %q", e.Name, argText(e.Args[0]))
	}
	var bp behaviouralParams
	if err := bp.params().apply(e.Params, "on "+e.Name); err != nil {
		return nil, err
	}
	f := bp.factor(env)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, elementError(e, "the factor of tc1, tc2 and m is not a finite number (%g)", f)
	}
	bh, err := newBehaviour(e, c, env, e.Expr)
	if err != nil {
		return nil, err
	}
	return &BehaviouralSource{behaviour: bh, nodes: [2]string{e.Nodes[0], e.Nodes[1]}, voltage: voltage, factor: f}, nil
}

// Name is the element's name.
func (s *BehaviouralSource) Name() string { return s.name }

// Setup reserves the branch of a V-type source and the Jacobian entries of every probe.
func (s *BehaviouralSource) Setup(b *mna.Builder) {
	s.a, s.b = b.Node(s.nodes[0]), b.Node(s.nodes[1])
	s.setup(b)
	if s.voltage {
		s.k = b.Branch(s.name)
		s.hak, s.hbk = b.Entry(s.a, s.k), b.Entry(s.b, s.k)
		s.hka, s.hkb = b.Entry(s.k, s.a), b.Entry(s.k, s.b)
		s.rows.setup(b, []int{s.k}, []float64{-1}, s.cols)
		return
	}
	s.rows.setup(b, []int{s.a, s.b}, []float64{1, -1}, s.cols)
}

// Load adds, for a V-type source, the branch equation v(n+) - v(n-) - f(x) = 0 with the branch current in
// the KCL rows; I-type, the current f(x) leaves n+ and enters n-. The Jacobian has the
// derivatives of f on the probes' columns; in .ac they are the small-signal gains.
func (s *BehaviouralSource) Load(ctx *Context) {
	if s.voltage {
		i := ctx.X[s.k]
		ctx.F[s.a] += i
		ctx.F[s.b] -= i
		ctx.G[s.hak]++
		ctx.G[s.hbk]--
		ctx.G[s.hka]++
		ctx.G[s.hkb]--
		if !s.eval(ctx) {
			return
		}
		ctx.F[s.k] += ctx.X[s.a] - ctx.X[s.b] - s.factor*s.t.value()
		s.rows.stamp(ctx.G, s.t.gradient(), s.factor)
		return
	}
	if !s.eval(ctx) {
		return
	}
	i := s.factor * s.t.value()
	ctx.F[s.a] += i
	ctx.F[s.b] -= i
	s.rows.stamp(ctx.G, s.t.gradient(), s.factor)
}

// dependsOnSimulation reports whether n uses a probe, time or hertz (else only temper,
// which is known when the circuit is built).
func dependsOnSimulation(n expr.Node) bool {
	dep := false
	expr.Walk(n, func(n expr.Node) bool {
		switch n := n.(type) {
		case *expr.Probe:
			dep = true
		case *expr.Ident:
			dep = dep || n.Name == "time" || n.Name == "hertz"
		}
		return !dep
	})
	return dep
}

// constantValue handles an R, C or L whose value depends on temper only: it is evaluated
// at the circuit temperature and the element built as an ordinary one with that value.
// It reports false, and does nothing, when the value depends on the simulation.
func constantValue(e *parser.Element, c *parser.Circuit, env Env, build constructor) (Device, bool, error) {
	if dependsOnSimulation(e.Expr) {
		return nil, false, nil
	}
	v, err := expr.Eval(e.Expr, map[string]float64{"temper": env.Temp})
	if err != nil {
		msg := err.Error()
		if xe, ok := err.(*expr.Error); ok {
			msg = xe.Msg
		}
		return nil, true, parser.Errorf(e.ValuePos, "%s: value at temper=%g: %s", e.Name, env.Temp, msg)
	}
	fixed := *e
	fixed.Expr, fixed.ExprKind, fixed.Value, fixed.HasValue = nil, "", v, true
	d, err := build(&fixed, c, env)
	return d, true, err
}

// behaviouralPassive checks what an R, C or L with an expression may have: no model, and
// of its parameters only m and those listed. ngspice turns such an element into a B
// source and silently drops the others (tc1, temp, ...), even where the value depends
// on temper only; refusing them says so. ic= is refused too: ngspice drops it on C =
// expr (its auxiliary capacitor starts from 0 V whatever the node voltage), so .ic on
// the nodes is the way to start from a given voltage.
func behaviouralPassive(e *parser.Element, noun string, params ...string) (m float64, err error) {
	if e.Model != "" {
		return 0, parser.Errorf(e.ModelPos, "%s: a %s whose value is an expression takes no model", e.Name, noun)
	}
	if len(e.Args) > 0 {
		return 0, parser.Errorf(e.Args[0].Pos, "%s: unexpected %q", e.Name, argText(e.Args[0]))
	}
	for _, p := range e.Params {
		ok := p.Name == "m"
		for _, a := range params {
			ok = ok || p.Name == a
		}
		if !ok {
			return 0, parser.Errorf(p.Pos, "%s: %s is not supported on a %s whose value is an expression (ngspice ignores it there)", e.Name, p.Name, noun)
		}
	}
	return multiplier(e)
}

// newBehaviouralResistor: R = expr is the current m*v(n+,n-)/R(x) from n+ to n-, as
// ngspice turns it into a B source (with the same division).
func newBehaviouralResistor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	m, err := behaviouralPassive(e, "resistor")
	if err != nil {
		return nil, err
	}
	if d, done, err := constantValue(e, c, env, newResistor); done {
		return d, err
	}
	v := &expr.Probe{Kind: 'v', Names: []string{e.Nodes[0], e.Nodes[1]}, Offset: e.Expr.Pos()}
	bh, err := newBehaviour(e, c, env, &expr.Binary{Op: "/", X: v, Y: e.Expr, Offset: e.Expr.Pos()})
	if err != nil {
		return nil, err
	}
	return &BehaviouralSource{behaviour: bh, nodes: [2]string{e.Nodes[0], e.Nodes[1]}, factor: m}, nil
}

// BehaviouralCapacitor is C = expr: the current m*C(x)*dv/dt from n+ to n-. The unknown
// s holds dv/dt, with the equation s - d/dt(v(n+) - v(n-)) = 0: its charge is the
// voltage, as that of ngspice's auxiliary 1 F capacitor.
type BehaviouralCapacitor struct {
	behaviour
	nodes                   [2]string
	m, ic                   float64
	hasIC                   bool
	a, b, s                 int
	has, hbs, hss, hsa, hsb mna.Handle
	rows                    gradRows
}

func newBehaviouralCapacitor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	m, err := behaviouralPassive(e, "capacitor")
	if err != nil {
		return nil, err
	}
	if d, done, err := constantValue(e, c, env, newCapacitor); done {
		return d, err
	}
	bh, err := newBehaviour(e, c, env, e.Expr)
	if err != nil {
		return nil, err
	}
	return &BehaviouralCapacitor{behaviour: bh, nodes: [2]string{e.Nodes[0], e.Nodes[1]}, m: m}, nil
}

// Name is the element's name.
func (d *BehaviouralCapacitor) Name() string { return d.name }

// Setup reserves the unknown dv/dt and the Jacobian entries of every probe.
func (d *BehaviouralCapacitor) Setup(b *mna.Builder) {
	d.a, d.b = b.Node(d.nodes[0]), b.Node(d.nodes[1])
	d.setup(b)
	d.s = b.InternalNode(d.name, "ddt")
	d.has, d.hbs, d.hss = b.Entry(d.a, d.s), b.Entry(d.b, d.s), b.Entry(d.s, d.s)
	d.hsa, d.hsb = b.Entry(d.s, d.a), b.Entry(d.s, d.b)
	d.rows.setup(b, []int{d.a, d.b}, []float64{1, -1}, d.cols)
}

// Load adds the current C(x)*s and the equation of s; in .ac, s = j*omega*v at the
// operating point, where s = 0, so the capacitance there is what counts.
func (d *BehaviouralCapacitor) Load(ctx *Context) {
	s := ctx.X[d.s]
	ctx.F[d.s] += s
	ctx.G[d.hss]++
	ctx.Q[d.s] -= ctx.X[d.a] - ctx.X[d.b]
	ctx.C[d.hsa]--
	ctx.C[d.hsb]++
	if !d.eval(ctx) {
		return
	}
	c := d.m * d.t.value()
	ctx.F[d.a] += c * s
	ctx.F[d.b] -= c * s
	ctx.G[d.has] += c
	ctx.G[d.hbs] -= c
	d.rows.stamp(ctx.G, d.t.gradient(), d.m*s)
}

// BehaviouralInductor is L = expr: a branch current i from n+ to n- with the voltage
// v(n+) - v(n-) = L(x)/m * di/dt. The unknown s holds di/dt, with the equation
// s - d/dt(i) = 0: its charge is the current, as the flux of ngspice's auxiliary 1 H
// inductor.
type BehaviouralInductor struct {
	behaviour
	nodes                             [2]string
	m                                 float64
	a, b, k, s                        int
	hak, hbk, hka, hkb, hks, hss, hsk mna.Handle
	rows                              gradRows
}

func newBehaviouralInductor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	m, err := behaviouralPassive(e, "inductor")
	if err != nil {
		return nil, err
	}
	if d, done, err := constantValue(e, c, env, newInductor); done {
		return d, err
	}
	bh, err := newBehaviour(e, c, env, e.Expr)
	if err != nil {
		return nil, err
	}
	return &BehaviouralInductor{behaviour: bh, nodes: [2]string{e.Nodes[0], e.Nodes[1]}, m: m}, nil
}

// Name is the element's name.
func (d *BehaviouralInductor) Name() string { return d.name }

// Setup reserves the branch current (named after the element, so that i(l1) reads it),
// the unknown di/dt and the Jacobian entries of every probe.
func (d *BehaviouralInductor) Setup(b *mna.Builder) {
	d.a, d.b = b.Node(d.nodes[0]), b.Node(d.nodes[1])
	d.k = b.Branch(d.name)
	d.setup(b)
	d.s = b.InternalNode(d.name, "ddt")
	d.hak, d.hbk = b.Entry(d.a, d.k), b.Entry(d.b, d.k)
	d.hka, d.hkb, d.hks = b.Entry(d.k, d.a), b.Entry(d.k, d.b), b.Entry(d.k, d.s)
	d.hss, d.hsk = b.Entry(d.s, d.s), b.Entry(d.s, d.k)
	d.rows.setup(b, []int{d.k}, []float64{-1}, d.cols)
}

// Load adds the branch current to the KCL rows, the branch equation
// v(n+) - v(n-) - L(x)/m * s = 0 and the equation of s.
func (d *BehaviouralInductor) Load(ctx *Context) {
	i, s := ctx.X[d.k], ctx.X[d.s]
	ctx.F[d.a] += i
	ctx.F[d.b] -= i
	ctx.G[d.hak]++
	ctx.G[d.hbk]--
	ctx.F[d.s] += s
	ctx.G[d.hss]++
	ctx.Q[d.s] -= i
	ctx.C[d.hsk]--
	ctx.G[d.hka]++
	ctx.G[d.hkb]--
	if !d.eval(ctx) {
		return
	}
	l := d.t.value() / d.m
	ctx.F[d.k] += ctx.X[d.a] - ctx.X[d.b] - l*s
	ctx.G[d.hks] -= l
	d.rows.stamp(ctx.G, d.t.gradient(), s/d.m)
}
