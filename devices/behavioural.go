package devices

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
	"github.com/gospice/gospice/parser/expr/tape"
)

// Behavioural elements: a B source (V={expr} or I={expr}), an E or G whose output is
// value={expr}, and an R, C or L whose value depends on probes, time or hertz. Each
// compiles its expression once into a tape (package tape) that gives the value and its
// exact derivatives with respect to every probe, so that Newton sees the true Jacobian.
//
// As in ngspice: an I-type source's current flows from n+ through the source to n- (B1 0
// a I=1m with a resistor from a to ground makes v(a) positive); a V-type source has a
// branch current like a voltage source; R = expr is a current v(n+,n-)/R; C = expr is a
// current C*dv/dt (not the derivative of a charge C*v) and L = expr a voltage L*di/dt,
// which ngspice builds from an auxiliary 1 F capacitor or 1 H inductor; here the
// auxiliary is one internal unknown, the time derivative, with the same charge and so
// the same truncation error.
//
// ddt(x) in any of these expressions is ngspice 39's: the slope of x between the last two
// accepted time points (package tape keeps them per call in the run's workspace; Accept
// records them), 0 in .op, .dc and .ac and until two steps are accepted. It lags a step
// and adds nothing to the Jacobian, as in ngspice.

// behaviour is an expression with the unknowns its probes read, of an element between
// two nodes.
type behaviour struct {
	name  string
	nodes [2]string
	a, b  int        // the nodes, resolved in setup
	pos   parser.Pos // of the expression
	t     *tape.Tape
	cols  []probeCols // per probe of t, resolved in setup
}

// behaviourRun is what one run of a behavioural element changes: the workspace its
// expression is evaluated in, and the last evaluation's failure.
type behaviourRun struct {
	ws         *tape.Workspace
	failed     bool    // the last evaluation failed
	standIn    bool    // the last evaluation loaded ngspice's stand-in for a value out of the domain
	failedAt   float64 // the time of the failure or stand-in
	failedTran bool    // it was in a transient time point
	atStart    bool    // it was at Newton's starting point from zero
}

// probeCols are the unknowns of a probe: its value is X[plus] - X[minus].
type probeCols struct{ plus, minus int }

// newBehaviour compiles n, the expression of element e, and checks its probes: v() must
// name nodes of the circuit and i() an element with a branch current.
func newBehaviour(e *parser.Element, c *parser.Circuit, env Env, n expr.Node) (behaviour, error) {
	t, err := tape.Compile(n, tape.Env{Temp: env.Temp, Gmin: env.Gmin, Ddt: true})
	if err != nil {
		return behaviour{}, parser.Errorf(e.ValuePos, "%s: %v", e.Name, err)
	}
	ix := env.index
	if ix == nil || ix.c != c { // a constructor called outside Build
		ix = &circuitIndex{c: c}
	}
	if err := ix.checkProbes(e, t.Probes()); err != nil {
		return behaviour{}, err
	}
	return behaviour{name: e.Name, nodes: [2]string{e.Nodes[0], e.Nodes[1]}, pos: e.ValuePos, t: t,
		cols: make([]probeCols, len(t.Probes()))}, nil
}

// Name is the element's name.
func (bh *behaviour) Name() string { return bh.name }

// Unlimited reports whether the expression reads an unknown: it is then a nonlinear
// function of them that nothing limits, as ngspice's B source limits nothing.
func (bh *behaviour) Unlimited() bool { return len(bh.cols) > 0 }

// circuitIndex is what behavioural elements look up about their circuit: the nodes that
// some element connects and the elements by name. It is made once per Build, at the
// first behavioural element, so that checking every element's probes costs time in
// proportion to the circuit rather than to its size times the number of such elements.
type circuitIndex struct {
	c        *parser.Circuit
	nodes    map[string]bool
	elements map[string]*parser.Element
}

func (ix *circuitIndex) build() {
	if ix.nodes != nil {
		return
	}
	ix.nodes = map[string]bool{}
	ix.elements = make(map[string]*parser.Element, len(ix.c.Elements))
	for _, el := range ix.c.Elements {
		for _, n := range el.Nodes {
			ix.nodes[n] = true
		}
		ix.elements[el.Name] = el
	}
}

// checkProbes reports a probe of a node no element connects, or i() of an element that
// has no branch current.
func (ix *circuitIndex) checkProbes(e *parser.Element, probes []*expr.Probe) error {
	if len(probes) == 0 {
		return nil
	}
	ix.build()
	for _, p := range probes {
		for _, n := range p.Names {
			switch {
			case p.Kind == 'v' && n != "0" && !ix.nodes[n]:
				return parser.Errorf(e.ValuePos, "%s: %s: no element connects node %q", e.Name, expr.ProbeName(p), n)
			case p.Kind == 'i':
				el := ix.elements[n]
				if el == nil {
					return parser.Errorf(e.ValuePos, "%s: %s: there is no element %q", e.Name, expr.ProbeName(p), n)
				}
				if !hasBranch(el) {
					return parser.Errorf(e.ValuePos, "%s: %s: %s (a %c element) has no branch current; i() takes a voltage source, an inductor, or an E, H or B V= source",
						e.Name, expr.ProbeName(p), n, el.Kind-'a'+'A')
				}
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
		return el.ExprKind() == "v"
	}
	return false
}

// setup resolves the element's nodes and then the probes to unknowns. i(x) is the branch
// of x: Branch is idempotent by name, so it does not matter whether x is set up before or
// after this element.
func (bh *behaviour) setup(b *mna.Builder) {
	bh.a, bh.b = b.Node(bh.nodes[0]), b.Node(bh.nodes[1])
	for k, p := range bh.t.Probes() {
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

// ReadsFrequency reports whether the expression reads hertz (ctx.Hertz, which the AC
// analysis sets at each frequency).
func (bh *behaviour) ReadsFrequency() bool { return bh.t.ReadsHertz() }

// newRun starts a run of the element: a workspace of its own for the expression.
func (bh *behaviour) newRun() behaviourRun { return behaviourRun{ws: bh.t.NewWorkspace()} }

// eval computes the expression at ctx.X. On failure (a value that is not a finite
// number) it records the fault and returns false: the device then loads nothing and the
// engine reports Fault. Where ngspice stands in a value (ln(0) is -1e99) it returns true
// and records that for StandIn.
func (r *behaviourRun) eval(bh *behaviour, ctx *Context) bool {
	ws := r.ws
	for k, c := range bh.cols {
		ws.SetProbe(k, ctx.X[c.plus]-ctx.X[c.minus])
	}
	time := 0.0 // .op, .dc and the transient's initial point are at t = 0, as in ngspice
	if ctx.Mode == ModeTran {
		time = ctx.Time
	}
	ws.SetTime(time)
	ws.SetHertz(ctx.Hertz)
	ok := ws.Eval()
	r.standIn = !ok && ws.StandIn()
	r.failed = !ok && !r.standIn
	r.failedAt, r.failedTran, r.atStart = time, ctx.Mode == ModeTran, ctx.InitJunctions
	return !r.failed
}

// accept keeps the history of the expression's ddt() calls: their arguments at the
// accepted solution, or, at the transient's initial point (time 0), a fresh start.
func (r *behaviourRun) accept(bh *behaviour, ctx *Context) {
	if !bh.t.HasDdt() {
		return
	}
	r.eval(bh, ctx)
	r.ws.AcceptDdt(ctx.Mode == ModeTran && ctx.Time > 0)
}

// fault describes the failure of the last load of bh, or is nil; with standIn, the
// stand-in value it loaded.
func (r *behaviourRun) fault(bh *behaviour, standIn bool) error {
	if !r.failed && !(standIn && r.standIn) {
		return nil
	}
	where := ""
	if r.failedTran {
		where = fmt.Sprintf(" at time %g", r.failedAt)
	}
	vals := ""
	for k, p := range bh.t.Probes() {
		if k == 4 {
			vals += ", ..."
			break
		}
		sep := ", "
		if k == 0 {
			sep = " with "
		}
		vals += fmt.Sprintf("%s%s = %g", sep, expr.ProbeName(p), r.ws.Probe(k))
	}
	if r.atStart {
		// Every later attempt (gmin and source stepping) starts there too: the
		// expression needs a guard, or the solution a start elsewhere.
		vals += ", where the iteration starts (every unknown 0)"
	}
	return parser.Errorf(bh.pos, "%s: %s%s%s", bh.name, r.ws.Fault(), where, vals)
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

// BehaviouralSource is a B source, or an E (V-type) or G (I-type) with value={expr}, or
// an R whose value is an expression (the current v(n+,n-)/R(x)). Its value is
// factor*f(x), factor the temperature factor and multiplier of tc1, tc2 and m, as
// ngspice's B source has them.
type BehaviouralSource struct {
	behaviour
	branch  // V-type only
	voltage bool
	factor  float64
	rows    gradRows
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

// read reads e's parameters into b and checks them: m is a multiplier (positive, as on
// every element that takes it), reciproctc and reciprocm are flags. ngspice reads those
// two as integers and acts on 1 only; anything but 0 or 1 is refused here rather than
// silently taken as 0.
func (b *behaviouralParams) read(e *parser.Element) error {
	if err := b.params().apply(e.Params(), "on "+e.Name); err != nil {
		return err
	}
	if _, err := multiplier(e); err != nil {
		return err
	}
	for _, name := range []string{"reciproctc", "reciprocm"} {
		if p, ok := e.Param(name); ok && p.Value != 0 && p.Value != 1 {
			return parser.Errorf(p.Pos, "%s: %s is a flag: 0 or 1, got %g", e.Name, name, p.Value)
		}
	}
	return nil
}

// tcFactor is 1 + tc1*dT + tc2*dT^2, dT the instance temperature (temp, else the
// circuit's plus dtemp) minus 27 C: ngspice's B source counts from 27 C, not tnom.
func (b *behaviouralParams) tcFactor(env Env) float64 {
	t := env.Temp + b.dtemp
	if b.tempGiven {
		t = b.temp // dtemp is ignored with temp, as in ngspice
	}
	dt := t - 27
	return 1 + b.tc1*dt + b.tc2*dt*dt
}

// factor is the scale ngspice's B source applies to its value: the temperature factor
// (or its inverse, with reciproctc=1) times m (or divided by m, with reciprocm=1).
func (b *behaviouralParams) factor(env Env) float64 {
	f := b.tcFactor(env)
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
	if e.Expr() == nil {
		return nil, elementError(e, "missing expression: V={expr} or I={expr}")
	}
	if len(e.Nodes) != 2 {
		return nil, elementError(e, "a behavioural source has 2 nodes, found %d", len(e.Nodes))
	}
	voltage := false
	switch {
	case e.Kind == 'b' && e.ExprKind() == "v", e.Kind == 'e':
		voltage = true
	case e.Kind == 'b' && e.ExprKind() == "i", e.Kind == 'g':
	default:
		return nil, elementError(e, "unexpected expression kind %q", e.ExprKind())
	}
	if err := noArgs(e); err != nil {
		return nil, err
	}
	var bp behaviouralParams
	if err := bp.read(e); err != nil {
		return nil, err
	}
	f := bp.factor(env)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, elementError(e, "the factor of tc1, tc2 and m is not a finite number (%g)", f)
	}
	bh, err := newBehaviour(e, c, env, e.Expr())
	if err != nil {
		return nil, err
	}
	return &BehaviouralSource{behaviour: bh, voltage: voltage, factor: f}, nil
}

// Setup reserves the branch of a V-type source and the Jacobian entries of every probe.
func (s *BehaviouralSource) Setup(b *mna.Builder) {
	s.setup(b)
	if s.voltage {
		s.setupBranch(b, s.name, s.a, s.b)
		s.rows.setup(b, []int{s.k}, []float64{-1}, s.cols)
		return
	}
	s.rows.setup(b, []int{s.a, s.b}, []float64{1, -1}, s.cols)
}

// behaviouralSourceRun is one run of a BehaviouralSource.
type behaviouralSourceRun struct {
	*BehaviouralSource
	run behaviourRun
}

func (s *BehaviouralSource) NewRun() Loader {
	return &behaviouralSourceRun{BehaviouralSource: s, run: s.newRun()}
}

// Accept keeps the history of ddt() calls in the expression.
func (r *behaviouralSourceRun) Accept(ctx *Context) { r.run.accept(&r.behaviour, ctx) }

// Fault describes the failure of the last load, or is nil.
func (r *behaviouralSourceRun) Fault() error { return r.run.fault(&r.behaviour, false) }

// StandIn describes the stand-in value of the last load, or is nil.
func (r *behaviouralSourceRun) StandIn() error { return r.run.fault(&r.behaviour, true) }

// Load adds, for a V-type source, the branch equation v(n+) - v(n-) - f(x) = 0 with the
// branch current in the KCL rows; I-type, the current f(x) leaves n+ and enters n-. The
// Jacobian has the derivatives of f on the probes' columns; in .ac they are the
// small-signal gains.
func (r *behaviouralSourceRun) Load(ctx *Context) {
	s, ws := r.BehaviouralSource, r.run.ws
	if s.voltage {
		s.loadBranch(ctx, s.a, s.b)
		if !r.run.eval(&s.behaviour, ctx) {
			return
		}
		ctx.F[s.k] -= s.factor * ws.Value()
		s.rows.stamp(ctx.G, ws.Gradient(), s.factor)
		return
	}
	if !r.run.eval(&s.behaviour, ctx) {
		return
	}
	i := s.factor * ws.Value()
	ctx.F[s.a] += i
	ctx.F[s.b] -= i
	s.rows.stamp(ctx.G, ws.Gradient(), s.factor)
}

// reads says what of a run an expression reads besides temper (which is known when the
// circuit is built): probes or time, which change during every analysis, and hertz,
// which is the .ac frequency and 0 elsewhere.
func reads(n expr.Node) (run, hertz bool) {
	expr.Walk(n, func(n expr.Node) bool {
		switch n := n.(type) {
		case *expr.Probe:
			run = true
		case *expr.Ident:
			run = run || n.Name == "time"
			hertz = hertz || n.Name == "hertz"
		}
		return !run
	})
	return run, hertz
}

// passiveScale is what ngspice applies to an R, C or L whose value is an expression: it
// turns the element into a B source that keeps tc1, tc2 and m and sets reciproctc=1.
// R = expr becomes the current v/expr, divided by the temperature factor and times m:
// R times the factor, divided by m. C = expr becomes a current times expr, divided by
// the factor and times m: C divided by the factor (not times it, as a capacitor's tc1
// would have it: ngspice 39 does this) and times m. L = expr becomes a voltage times
// expr, by the factor and divided by m.
type passiveScale struct{ tc, m float64 }

// behaviouralPassive checks what an R, C or L with an expression may have: no model, and
// of its parameters only tc1, tc2 and m, which it reads. ngspice silently drops the
// others (temp, dtemp, tc, ic, ...) when it turns the element into a B source, even
// where the value depends on temper only; refusing them says so. ic= on C = expr is
// among them: ngspice's auxiliary capacitor starts from 0 V whatever the node voltage,
// so .ic on the nodes is the way to start from a given voltage.
func behaviouralPassive(e *parser.Element, noun string, env Env) (passiveScale, error) {
	if e.Model != "" {
		return passiveScale{}, parser.Errorf(e.ModelPos(), "%s: %s whose value is an expression takes no model", e.Name, noun)
	}
	if err := noArgs(e); err != nil {
		return passiveScale{}, err
	}
	if p := unknownParam(e, "m", "tc1", "tc2"); p != nil {
		return passiveScale{}, parser.Errorf(p.Pos, "%s: %s is not supported on %s whose value is an expression (ngspice ignores it there)", e.Name, p.Name, noun)
	}
	var bp behaviouralParams
	if err := bp.read(e); err != nil {
		return passiveScale{}, err
	}
	tc := bp.tcFactor(env)
	if tc == 0 || math.IsNaN(tc) || math.IsInf(tc, 0) {
		return passiveScale{}, elementError(e, "the temperature factor 1 + tc1*dT + tc2*dT^2 is %g at %g C: it must be finite and not zero", tc, env.Temp)
	}
	return passiveScale{tc: tc, m: bp.m}, nil
}

// constantValue handles an R, C or L whose value does not change during a run: one of
// temper only is evaluated at the circuit temperature, scaled, and the element built as
// an ordinary one with that value (its tc1 and tc2 are in scale). It reports false, and
// does nothing, when the value depends on the run. One that reads hertz (and nothing
// else of the run) is a behavioural element, whose value outside .ac is its value at
// hertz = 0: when the netlist has an analysis other than .ac, that must be a valid
// element (R={1k*hertz} would be a short, which ngspice cannot solve either).
func constantValue(e *parser.Element, c *parser.Circuit, env Env, build constructor, scale float64) (Device, bool, error) {
	run, hertz := reads(e.Expr())
	switch {
	case run:
		return nil, false, nil
	case hertz:
		other := "" // an analysis where hertz is 0
		for _, a := range c.Analyses {
			if a.Name() != "ac" {
				other = a.Name()
				break
			}
		}
		if other != "" {
			vars := map[string]float64{"temper": env.Temp, "hertz": 0}
			if _, err := fixedElement(e, c, env, build, vars, scale); err != nil {
				return nil, true, parser.Errorf(e.ValuePos, "%s: at hertz = 0, its value outside .ac (the netlist has .%s): %s", e.Name, other, err)
			}
		}
		return nil, false, nil
	}
	d, err := fixedElement(e, c, env, build, map[string]float64{"temper": env.Temp}, scale)
	if err != nil {
		return nil, true, parser.Errorf(e.ValuePos, "%s: at temper=%g: %s", e.Name, env.Temp, err)
	}
	return d, true, nil
}

// fixedElement builds e as an ordinary element whose value is its expression's at vars,
// times scale, without tc1 and tc2 (scale has them). Its error is a bare message.
func fixedElement(e *parser.Element, c *parser.Circuit, env Env, build constructor, vars map[string]float64, scale float64) (Device, error) {
	v, err := expr.Eval(e.Expr(), vars)
	if err != nil {
		return nil, errors.New(expr.Message(err))
	}
	fixed := *e
	fixed.Value, fixed.HasValue = v*scale, true
	fixed.SetExpr(nil, "")
	var params []parser.Param
	for _, p := range e.Params() {
		if p.Name != "tc1" && p.Name != "tc2" {
			params = append(params, p)
		}
	}
	fixed.SetParams(params)
	d, err := build(&fixed, c, env)
	var pe *parser.Error
	if errors.As(err, &pe) {
		return nil, errors.New(strings.TrimPrefix(pe.Msg, e.Name+": "))
	}
	return d, err
}

// newBehaviouralResistor: R = expr is the current m*v(n+,n-)/(R(x)*tc) from n+ to n-,
// as ngspice turns it into a B source (with the same division).
func newBehaviouralResistor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	sc, err := behaviouralPassive(e, "a resistor", env)
	if err != nil {
		return nil, err
	}
	if d, done, err := constantValue(e, c, env, newResistor, sc.tc); done {
		return d, err
	}
	v := &expr.Probe{Kind: 'v', Names: []string{e.Nodes[0], e.Nodes[1]}, Offset: e.Expr().Pos()}
	bh, err := newBehaviour(e, c, env, &expr.Binary{Op: "/", X: v, Y: e.Expr(), Offset: e.Expr().Pos()})
	if err != nil {
		return nil, err
	}
	return &BehaviouralSource{behaviour: bh, factor: sc.m / sc.tc}, nil
}

// BehaviouralCapacitor is C = expr: the current scale*C(x)*dv/dt from n+ to n-, scale
// m/tc. The unknown s holds dv/dt, with the equation s - d/dt(v(n+) - v(n-)) = 0: its
// charge is the voltage, as that of ngspice's auxiliary 1 F capacitor.
type BehaviouralCapacitor struct {
	behaviour
	scale                   float64
	s                       int
	has, hbs, hss, hsa, hsb mna.Handle
	rows                    gradRows
}

func newBehaviouralCapacitor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	sc, err := behaviouralPassive(e, "a capacitor", env)
	if err != nil {
		return nil, err
	}
	if d, done, err := constantValue(e, c, env, newCapacitor, 1/sc.tc); done {
		return d, err
	}
	bh, err := newBehaviour(e, c, env, e.Expr())
	if err != nil {
		return nil, err
	}
	return &BehaviouralCapacitor{behaviour: bh, scale: sc.m / sc.tc}, nil
}

// Setup reserves the unknown dv/dt and the Jacobian entries of every probe.
func (d *BehaviouralCapacitor) Setup(b *mna.Builder) {
	d.setup(b)
	d.s = b.InternalNode(d.name, "ddt")
	d.has, d.hbs, d.hss = b.Entry(d.a, d.s), b.Entry(d.b, d.s), b.Entry(d.s, d.s)
	d.hsa, d.hsb = b.Entry(d.s, d.a), b.Entry(d.s, d.b)
	d.rows.setup(b, []int{d.a, d.b}, []float64{1, -1}, d.cols)
}

// behaviouralCapacitorRun is one run of a BehaviouralCapacitor.
type behaviouralCapacitorRun struct {
	*BehaviouralCapacitor
	run behaviourRun
}

func (d *BehaviouralCapacitor) NewRun() Loader {
	return &behaviouralCapacitorRun{BehaviouralCapacitor: d, run: d.newRun()}
}

// Accept keeps the history of ddt() calls in the expression.
func (r *behaviouralCapacitorRun) Accept(ctx *Context) { r.run.accept(&r.behaviour, ctx) }

// Fault describes the failure of the last load, or is nil.
func (r *behaviouralCapacitorRun) Fault() error { return r.run.fault(&r.behaviour, false) }

// StandIn describes the stand-in value of the last load, or is nil.
func (r *behaviouralCapacitorRun) StandIn() error { return r.run.fault(&r.behaviour, true) }

// Load adds the current C(x)*s and the equation of s; in .ac, s = j*omega*v at the
// operating point, where s = 0, so the capacitance there is what counts.
func (r *behaviouralCapacitorRun) Load(ctx *Context) {
	d := r.BehaviouralCapacitor
	s := ctx.X[d.s]
	ctx.F[d.s] += s
	ctx.G[d.hss]++
	ctx.Q[d.s] -= ctx.X[d.a] - ctx.X[d.b]
	ctx.C[d.hsa]--
	ctx.C[d.hsb]++
	if !r.run.eval(&d.behaviour, ctx) {
		return
	}
	c := d.scale * r.run.ws.Value()
	ctx.F[d.a] += c * s
	ctx.F[d.b] -= c * s
	ctx.G[d.has] += c
	ctx.G[d.hbs] -= c
	d.rows.stamp(ctx.G, r.run.ws.Gradient(), d.scale*s)
}

// BehaviouralInductor is L = expr: a branch current i from n+ to n- with the voltage
// v(n+) - v(n-) = scale*L(x) * di/dt, scale tc/m. The unknown s holds di/dt, with the
// equation s - d/dt(i) = 0: its charge is the current, as the flux of ngspice's
// auxiliary 1 H inductor.
type BehaviouralInductor struct {
	behaviour
	branch
	scale         float64
	s             int
	hks, hss, hsk mna.Handle
	rows          gradRows
}

func newBehaviouralInductor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	sc, err := behaviouralPassive(e, "an inductor", env)
	if err != nil {
		return nil, err
	}
	if d, done, err := constantValue(e, c, env, newInductor, sc.tc); done {
		return d, err
	}
	bh, err := newBehaviour(e, c, env, e.Expr())
	if err != nil {
		return nil, err
	}
	return &BehaviouralInductor{behaviour: bh, scale: sc.tc / sc.m}, nil
}

// Setup reserves the branch current (named after the element, so that i(l1) reads it),
// the unknown di/dt and the Jacobian entries of every probe.
func (d *BehaviouralInductor) Setup(b *mna.Builder) {
	// The branch comes before the probes' unknowns, which setup resolves after finding
	// the nodes again (Node is idempotent).
	d.setupBranch(b, d.name, b.Node(d.nodes[0]), b.Node(d.nodes[1]))
	d.setup(b)
	d.s = b.InternalNode(d.name, "ddt")
	d.hks, d.hss, d.hsk = b.Entry(d.k, d.s), b.Entry(d.s, d.s), b.Entry(d.s, d.k)
	d.rows.setup(b, []int{d.k}, []float64{-1}, d.cols)
}

// behaviouralInductorRun is one run of a BehaviouralInductor.
type behaviouralInductorRun struct {
	*BehaviouralInductor
	run behaviourRun
}

func (d *BehaviouralInductor) NewRun() Loader {
	return &behaviouralInductorRun{BehaviouralInductor: d, run: d.newRun()}
}

// Accept keeps the history of ddt() calls in the expression.
func (r *behaviouralInductorRun) Accept(ctx *Context) { r.run.accept(&r.behaviour, ctx) }

// Fault describes the failure of the last load, or is nil.
func (r *behaviouralInductorRun) Fault() error { return r.run.fault(&r.behaviour, false) }

// StandIn describes the stand-in value of the last load, or is nil.
func (r *behaviouralInductorRun) StandIn() error { return r.run.fault(&r.behaviour, true) }

// Load adds the branch current to the KCL rows, the branch equation
// v(n+) - v(n-) - scale*L(x)*s = 0 and the equation of s.
func (r *behaviouralInductorRun) Load(ctx *Context) {
	d := r.BehaviouralInductor
	d.loadBranch(ctx, d.a, d.b)
	s := ctx.X[d.s]
	ctx.F[d.s] += s
	ctx.G[d.hss]++
	ctx.Q[d.s] -= ctx.X[d.k]
	ctx.C[d.hsk]--
	if !r.run.eval(&d.behaviour, ctx) {
		return
	}
	l := d.scale * r.run.ws.Value()
	ctx.F[d.k] -= l * s
	ctx.G[d.hks] -= l
	d.rows.stamp(ctx.G, r.run.ws.Gradient(), d.scale*s)
}
