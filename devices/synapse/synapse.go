// Package synapse is Xyce's synapse device, YSYNAPSE name pre post model: when v(pre)
// rises through vthresh, a conductance with a double-exponential time course, starting
// delay later, draws the current g(t) (v(post) - erev) from post (docs/synapse.md).
//
//	g(t) = sum over arrivals ta <= t of  k gmax (exp(-(t-ta)/tau2) - exp(-(t-ta)/tau1))
//
// where k makes the peak of one event gmax. Level 4 is that alone; level 3 scales the
// conductance by a weight w that learns by spike timing (level3.go).
//
// A presynaptic spike is a rising crossing of vthresh between two accepted points, its
// time interpolated linearly between them; the transient lands on every arrival time
// (the device is a Breakpointer), so the onset of each event is resolved exactly. The
// device reads v(pre) and loads only post: pre and post interact through delayed events
// alone, so a level-4 synapse is a devices.EventLink whose two sides may be simulated
// apart.
package synapse

import (
	"fmt"
	"math"
	"slices"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

func init() { devices.RegisterYType("synapse", New) }

// kinetics is the double exponential's shape: the amplitude k gmax of its two terms.
type kinetics struct {
	tau1, tau2 float64
	amp        float64 // k gmax: the peak of one event is gmax
}

// newKinetics returns the kinetics of peak gmax. As Xyce, a tau1 within 1e-4 of tau2
// (or above it) is taken as 0.9999 tau2, where the peak is still well defined.
func newKinetics(tau1, tau2, gmax float64) kinetics {
	if tau1/tau2 > 0.9999 {
		tau1 = 0.9999 * tau2
	}
	return kinetics{tau1: tau1, tau2: tau2, amp: gmax / peakShape(tau1, tau2)}
}

// peakShape is the largest value of exp(-t/tau2) - exp(-t/tau1), at
// tp = tau1 tau2 / (tau2 - tau1) ln(tau2/tau1).
func peakShape(tau1, tau2 float64) float64 {
	tp := tau1 * tau2 / (tau2 - tau1) * math.Log(tau2/tau1)
	return math.Exp(-tp/tau2) - math.Exp(-tp/tau1)
}

// Conductance is the conductance of one event of peak gmax, a time s after its arrival
// (0 before it): the analytic form the device follows.
func Conductance(s, gmax, tau1, tau2 float64) float64 {
	if s < 0 {
		return 0
	}
	k := newKinetics(tau1, tau2, gmax)
	return k.amp * (math.Exp(-s/k.tau2) - math.Exp(-s/k.tau1))
}

// model is a .model synapse card's parameters, every level's.
type model struct {
	level                                  float64
	vthresh, delay, gmax, erev, tau1, tau2 float64
	// level 3 (spike-timing-dependent plasticity)
	altd, altp, l1tau, l2tau, l3tau float64
	r, s, wmin, wmax, winit, p      float64
}

// Xyce's defaults (its reference guide's synapse tables).
func (m *model) common() []param {
	return []param{
		{name: "level", def: 4, doc: "model level: 3 (plasticity) or 4", dst: &m.level},
		{name: "vthresh", def: 0.01, unit: "V", doc: "presynaptic spike threshold", dst: &m.vthresh},
		{name: "delay", def: 1e-3, unit: "s", doc: "time from a presynaptic spike to the postsynaptic response", dst: &m.delay},
		{name: "gmax", def: 0.01, unit: "S", doc: "peak conductance of one event", dst: &m.gmax},
		{name: "erev", def: 0, unit: "V", doc: "postsynaptic reversal potential", dst: &m.erev},
		{name: "tau1", def: 1e-4, unit: "s", doc: "rise time constant", dst: &m.tau1},
		{name: "tau2", def: 1e-2, unit: "s", doc: "decay time constant", dst: &m.tau2},
	}
}

func (m *model) params4() paramSet {
	return paramSet{what: "synapse model (level 4)", params: m.common()}
}

func (m *model) params3() paramSet {
	return paramSet{what: "synapse model (level 3)", params: append(m.common(),
		param{name: "altd", def: 0.01, unit: "1/(V s)", doc: "long-term depression rate", dst: &m.altd},
		param{name: "altp", def: 0.01, unit: "1/(V^2 s)", doc: "long-term potentiation rate", dst: &m.altp},
		param{name: "l1tau", def: 0.01, unit: "s", doc: "time constant of vl1, the postsynaptic voltage's low-pass for depression", dst: &m.l1tau},
		param{name: "l2tau", def: 0.01, unit: "s", doc: "time constant of vl2, the postsynaptic voltage's low-pass for potentiation", dst: &m.l2tau},
		param{name: "l3tau", def: 0.01, unit: "s", doc: "time constant of vl3, the presynaptic trace", dst: &m.l3tau},
		param{name: "r", def: 0.01, unit: "V", doc: "resting threshold of the low-passed postsynaptic voltages", dst: &m.r},
		param{name: "s", def: 0.01, unit: "V", doc: "spike threshold of the plasticity rule", dst: &m.s},
		param{name: "wmin", def: 0.01, doc: "least weight", dst: &m.wmin},
		param{name: "wmax", def: 0.01, doc: "largest weight", dst: &m.wmax},
		param{name: "winit", def: 0.01, doc: "initial weight", dst: &m.winit},
		param{name: "p", def: 1, doc: "transmission probability of a presynaptic spike", dst: &m.p},
	)}
}

// New builds a YSYNAPSE element: a *Synapse (level 4) or a *Plastic (level 3).
func New(e *parser.Element, c *parser.Circuit, env devices.Env) (devices.Device, error) {
	if e.Model == "" {
		return nil, elementError(e, "a synapse needs a model")
	}
	card, ok := c.Models[e.Model]
	if !ok {
		return nil, elementError(e, "model %q is not defined", e.Model)
	}
	if card.Type != "synapse" {
		return nil, elementError(e, "model %q (%s) is a %q model, not a synapse model", e.Model, card.Pos, card.Type)
	}
	if card.LevelName != "" {
		return nil, parser.Errorf(card.LevelPos, "synapse model %s: level=%s is not supported (levels 3 and 4 are)", card.Name, card.LevelName)
	}
	if len(e.Args()) > 0 {
		return nil, parser.Errorf(e.Args()[0].Pos, "%s: unexpected %s (a synapse takes name=value parameters only)", e.Name, argText(e.Args()[0]))
	}
	if e.Nodes[0] == e.Nodes[1] {
		return nil, elementError(e, "the presynaptic and postsynaptic nodes are both %s: a synapse joins two nodes", e.Nodes[0])
	}
	where := fmt.Sprintf("model %s, used by %s at line %d", card.Name, e.Name, e.Pos.Line)
	var m model
	level := 4.0
	for _, p := range card.Params {
		if p.Name == "level" {
			level = p.Value
		}
	}
	switch level {
	case 4:
		if err := m.params4().apply(card.Params, where); err != nil {
			return nil, err
		}
	case 3:
		if err := m.params3().apply(card.Params, where); err != nil {
			return nil, err
		}
	default:
		return nil, parser.Errorf(card.Pos, "synapse model %s: level=%g is not supported (levels 3 and 4 are)", card.Name, level)
	}
	if err := m.check(card); err != nil {
		return nil, err
	}
	link := link{name: e.Name, pre: e.Nodes[0], post: e.Nodes[1], vthresh: m.vthresh, delay: m.delay, erev: m.erev}
	if level == 4 {
		var in struct{ gmax float64 }
		var given bool
		set := paramSet{what: "synapse", params: []param{
			{name: "gmax", def: m.gmax, unit: "S", doc: "peak conductance of one event (the weight)", dst: &in.gmax, given: &given},
		}}
		if err := set.apply(e.Params(), "on "+e.Name); err != nil {
			return nil, err
		}
		if in.gmax < 0 {
			return nil, elementError(e, "gmax must not be negative")
		}
		link.kin = newKinetics(m.tau1, m.tau2, in.gmax)
		return &Synapse{link: link}, nil
	}
	return newPlastic(e, link, &m, env)
}

// check refuses values the model cannot run with, naming the card.
func (m *model) check(card *parser.Model) error {
	for _, c := range []struct {
		ok   bool
		what string
	}{
		{m.delay > 0, "delay must be positive (a synapse acts only after a delay)"},
		{m.tau1 > 0 && m.tau2 > 0, "tau1 and tau2 must be positive"},
		{m.gmax >= 0, "gmax must not be negative"},
	} {
		if !c.ok {
			return parser.Errorf(card.Pos, "synapse model %s: %s", card.Name, c.what)
		}
	}
	return nil
}

func elementError(e *parser.Element, format string, args ...any) *parser.Error {
	return parser.Errorf(e.Pos, "%s: %s", e.Name, fmt.Sprintf(format, args...))
}

func argText(a parser.Arg) string {
	if a.IsNumber {
		return fmt.Sprintf("value %g", a.Number)
	}
	return fmt.Sprintf("word %q", a.Word)
}

// link is what both levels share: the nodes, the detection of presynaptic spikes and
// the kinetics of the conductance they cause.
type link struct {
	name           string
	pre, post      string
	vthresh, delay float64
	erev           float64
	kin            kinetics
	a, b           int        // the indices of pre and post
	hbb            mna.Handle // (post, post)
}

func (l *link) Name() string { return l.name }

// setupSend and setupReceive reserve what each side needs: the sender only reads pre.
func (l *link) setupSend(b *mna.Builder) { l.a = b.Node(l.pre) }

func (l *link) setupReceive(b *mna.Builder) {
	l.b = b.Node(l.post)
	l.hbb = b.Entry(l.b, l.b)
}

// Synapse is a level-4 synapse as one device.
type Synapse struct{ link }

// Setup reserves pre (read only) and the (post, post) entry.
func (d *Synapse) Setup(b *mna.Builder) {
	d.setupSend(b)
	d.setupReceive(b)
}

// LinkNodes: the synapse reads pre and loads post.
func (d *Synapse) LinkNodes() (send, receive []string) {
	return []string{d.pre}, []string{d.post}
}

// MinDelay is the model's delay: an event acts no sooner.
func (d *Synapse) MinDelay() float64 { return d.delay }

// Split returns the detecting side (reads pre, loads nothing) and the conducting side.
// Both keep the synapse's name.
func (d *Synapse) Split() (sender, receiver devices.Device) {
	return &Sender{link: d.link}, &Receiver{link: d.link}
}

// NewRun starts a run: no event pending, no conductance.
func (d *Synapse) NewRun() devices.Loader {
	r := &wholeRun{}
	r.detector = detector{link: &d.link}
	r.receiverRun = receiverRun{link: &d.link, cond: newConductance(&d.kin)}
	return r
}

// wholeRun is one run of a Synapse: it detects its own spikes and delivers them to itself.
type wholeRun struct {
	detector
	receiverRun
}

// Accept detects a spike at the accepted point, delivers it, then absorbs the events
// that have arrived.
func (r *wholeRun) Accept(ctx *devices.Context) {
	if tc, ok := r.detect(ctx); ok {
		r.Deliver(tc)
	}
	r.cond.absorb(ctx.Time)
}

// detector finds rising crossings of vthresh by v(pre) between accepted points.
type detector struct {
	link   *link
	primed bool // an accepted point has been seen
	vPrev  float64
	tPrev  float64
}

// detect reads v(pre) at the accepted point and returns the time of a rising crossing
// since the last one, linearly interpolated. A crossing needs a point below the
// threshold first: a node that starts above it has not spiked.
func (dt *detector) detect(ctx *devices.Context) (float64, bool) {
	v, t := ctx.X[dt.link.a], ctx.Time
	th := dt.link.vthresh
	tc, ok := 0.0, false
	if dt.primed && dt.vPrev < th && v >= th && t > dt.tPrev {
		tc, ok = dt.tPrev+(th-dt.vPrev)/(v-dt.vPrev)*(t-dt.tPrev), true
	}
	dt.vPrev, dt.tPrev, dt.primed = v, t, true
	return tc, ok
}

// conductance is the sum of the events that arrived, kept as its two exponential terms
// at t0 (Xyce's A and B), and the arrivals still to come, in time order. Each event
// carries its own amplitude, so that one conductance can sum the events of several
// synapses of one time course (Pool).
type conductance struct {
	tau1, tau2 float64
	a0, b0     float64
	t0         float64
	pending    []arrival // pending[head:] are still to come
	head       int
}

// arrival is an event's onset and the amplitude k gmax of its two terms.
type arrival struct{ t, amp float64 }

func newConductance(k *kinetics) conductance {
	return conductance{tau1: k.tau1, tau2: k.tau2, pending: make([]arrival, 0, 8)}
}

// at is the conductance at time t: the absorbed events' terms, and any arrival at or
// before t not yet absorbed (the transient lands on each, so normally none).
func (c *conductance) at(t float64) float64 {
	g := 0.0
	if c.a0 != 0 || c.b0 != 0 {
		s := t - c.t0
		g = c.b0*math.Exp(-s/c.tau2) - c.a0*math.Exp(-s/c.tau1)
	}
	for _, e := range c.pending[c.head:] {
		if e.t > t {
			break
		}
		s := t - e.t
		g += e.amp * (math.Exp(-s/c.tau2) - math.Exp(-s/c.tau1))
	}
	return g
}

// schedule adds an event of amplitude amp arriving at ta, after the pending arrivals
// not later than it (one synapse's arrivals come in time order and go at the end).
func (c *conductance) schedule(ta, amp float64) {
	if c.head == len(c.pending) {
		c.pending, c.head = c.pending[:0], 0
	}
	i := len(c.pending)
	for i > c.head && c.pending[i-1].t > ta {
		i--
	}
	c.pending = slices.Insert(c.pending, i, arrival{ta, amp})
}

// absorb moves the arrivals at or before the accepted time t into the two terms, which
// it refers to t.
func (c *conductance) absorb(t float64) {
	if c.head == len(c.pending) || c.pending[c.head].t > t {
		return
	}
	s := t - c.t0
	a, b := c.a0*math.Exp(-s/c.tau1), c.b0*math.Exp(-s/c.tau2)
	for c.head < len(c.pending) && c.pending[c.head].t <= t {
		e := c.pending[c.head]
		s := t - e.t
		a += e.amp * math.Exp(-s/c.tau1)
		b += e.amp * math.Exp(-s/c.tau2)
		c.head++
	}
	c.a0, c.b0, c.t0 = a, b, t
}

// next is the first arrival after t, or +Inf.
func (c *conductance) next(t float64) float64 {
	for _, e := range c.pending[c.head:] {
		if e.t > t {
			return e.t
		}
	}
	return math.Inf(1)
}

// Sender is the detecting side of a split Synapse: it reads pre and loads nothing.
type Sender struct{ link }

// Setup reserves pre, which the sender reads.
func (d *Sender) Setup(b *mna.Builder) { d.setupSend(b) }

// NewRun starts a run with no spike seen.
func (d *Sender) NewRun() devices.Loader { return &senderRun{detector: detector{link: &d.link}} }

// senderRun is one run of a Sender: the spikes detected since the last TakeEvents.
type senderRun struct {
	detector
	events []float64
}

// Load loads nothing: the sender only watches pre.
func (r *senderRun) Load(*devices.Context) {}

// Accept records a spike at the accepted point.
func (r *senderRun) Accept(ctx *devices.Context) {
	if tc, ok := r.detect(ctx); ok {
		r.events = append(r.events, tc)
	}
}

// TakeEvents hands over the spike times detected since the last call.
func (r *senderRun) TakeEvents(dst []float64) []float64 {
	dst = append(dst, r.events...)
	r.events = r.events[:0]
	return dst
}

// Receiver is the conducting side of a split Synapse: events reach it by Deliver.
type Receiver struct{ link }

// Setup reserves the (post, post) entry.
func (d *Receiver) Setup(b *mna.Builder) { d.setupReceive(b) }

// NewRun starts a run with no event pending.
func (d *Receiver) NewRun() devices.Loader {
	return &receiverRun{link: &d.link, cond: newConductance(&d.kin)}
}

// receiverRun is the run state of a level-4 synapse's conducting side.
type receiverRun struct {
	link *link
	cond conductance
}

// Deliver schedules the response to a spike emitted at t, delay later.
func (r *receiverRun) Deliver(t float64) { r.cond.schedule(t+r.link.delay, r.link.kin.amp) }

// Accept absorbs the events that have arrived by the accepted point.
func (r *receiverRun) Accept(ctx *devices.Context) { r.cond.absorb(ctx.Time) }

// NextBreakpoint is the next arrival: the transient lands on it.
func (r *receiverRun) NextBreakpoint(t float64, _ devices.Timing) float64 { return r.cond.next(t) }

// Load draws g(t) (v(post) - erev) from post; nothing outside a transient, where no
// event has arrived.
func (r *receiverRun) Load(ctx *devices.Context) {
	if ctx.Mode != devices.ModeTran {
		return
	}
	g := r.cond.at(ctx.Time)
	if g == 0 {
		return
	}
	l := r.link
	ctx.F[l.b] += g * (ctx.X[l.b] - l.erev)
	ctx.G[l.hbb] += g
}

// SendKey is equal for level-4 synapses that detect spikes on the same node at the same
// threshold: one sender serves them all (devices.SharedLink).
func (d *Synapse) SendKey() string { return fmt.Sprintf("%s %g", d.pre, d.vthresh) }

// ReceiveKey is equal for level-4 synapses onto the same node with the same reversal
// potential and time constants: their conductances add into one (Pool).
func (d *Synapse) ReceiveKey() string {
	return fmt.Sprintf("%s %g %g %g", d.post, d.erev, d.kin.tau1, d.kin.tau2)
}

// SharedReceiver returns the receiving sides of group, synapses of d's ReceiveKey, as
// one Pool.
func (d *Synapse) SharedReceiver(group []devices.SharedLink) devices.Device {
	p := &Pool{link: d.link, ports: make([]port, len(group))}
	for i, s := range group {
		l := &s.(*Synapse).link
		p.ports[i] = port{delay: l.delay, amp: l.kin.amp}
	}
	return p
}

// Pool is the receiving sides of several level-4 synapses onto one node with one reversal
// potential and one time course, as one device: their events add to one conductance, each
// with its own synapse's delay and peak. It has the first synapse's name.
type Pool struct {
	link  // the first synapse's: post, erev and time constants are all the pool's
	ports []port
}

// port is what a pooled synapse gives its events.
type port struct{ delay, amp float64 }

// Setup reserves the (post, post) entry.
func (d *Pool) Setup(b *mna.Builder) { d.setupReceive(b) }

// NewRun starts a run with no event pending.
func (d *Pool) NewRun() devices.Loader {
	r := &poolRun{receiverRun: receiverRun{link: &d.link, cond: newConductance(&d.kin)}}
	r.ports = make([]poolPort, len(d.ports))
	for i, p := range d.ports {
		r.ports[i] = poolPort{port: p, cond: &r.cond}
	}
	return r
}

// poolRun is a Pool's run: one conductance, and a receiver per synapse.
type poolRun struct {
	receiverRun
	ports []poolPort
}

// Port is the receiver of the i-th pooled synapse's events (devices.EventPorts).
func (r *poolRun) Port(i int) devices.EventReceiver { return &r.ports[i] }

// poolPort receives one pooled synapse's events into the pool's conductance.
type poolPort struct {
	port
	cond *conductance
}

// Deliver schedules the response to a spike emitted at t, the synapse's delay later.
func (p *poolPort) Deliver(t float64) { p.cond.schedule(t+p.delay, p.amp) }
