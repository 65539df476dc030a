package synapse

import (
	"math"
	"math/rand/v2"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Plastic is Xyce's level-3 synapse: the level-4 conductance scaled by a weight w that
// learns by spike timing (a Clopath-type rule), and a probability p that a presynaptic
// spike is transmitted at all. Between accepted points t - h and t, with the
// postsynaptic voltage's low-passes vl1 (time constant l1tau) and vl2 (l2tau) and the
// presynaptic trace vl3 (l3tau, relaxing to 1 while v(pre) > s, else to 0):
//
//	dw/dt = - altd [vl1 - r]+                      while v(pre) > s
//	        + altp vl3 [v(post) - s]+ [vl2 - r]+
//
// w stays in [wmin, wmax], and learns only while the last presynaptic spike was
// transmitted. Xyce adds the two terms once per time step, which makes the weight depend
// on how many steps the transient takes; gospice integrates them as rates over each
// accepted step (altd in 1/(V s), altp in 1/(V^2 s)), and relaxes the traces by the exact
// exponential of the step, so that w does not depend on the step sequence beyond the
// accuracy of the voltages. The weight is the unknown state(name.w), held to the rule's
// value. The rule reads v(pre) continuously, so a level-3 synapse is not an EventLink.
type Plastic struct {
	link
	altd, altp          float64
	l1tau, l2tau, l3tau float64
	r, s                float64
	wmin, wmax, winit   float64
	p                   float64
	stream              rand.PCG // the random stream at the start of every run
	w                   int
	hww                 mna.Handle
}

// plasticTol is the absolute tolerance of the weight (dimensionless).
const plasticTol = 1e-9

func newPlastic(e *parser.Element, l link, m *model, env devices.Env) (devices.Device, error) {
	var in struct{ gmax, p, winit float64 }
	set := paramSet{what: "synapse", params: []param{
		{name: "gmax", def: m.gmax, unit: "S", doc: "peak conductance of one event at w = 1", dst: &in.gmax},
		{name: "p", def: m.p, doc: "transmission probability", dst: &in.p},
		{name: "winit", def: m.winit, doc: "initial weight", dst: &in.winit},
	}}
	if err := set.apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		ok   bool
		what string
	}{
		{in.gmax >= 0, "gmax must not be negative"},
		{in.p >= 0 && in.p <= 1, "p must lie in [0, 1]"},
		{m.l1tau > 0 && m.l2tau > 0 && m.l3tau > 0, "l1tau, l2tau and l3tau must be positive"},
		{m.wmin <= m.wmax, "wmin must not exceed wmax"},
		{in.winit >= m.wmin && in.winit <= m.wmax, "winit must lie in [wmin, wmax]"},
	} {
		if !c.ok {
			return nil, elementError(e, "%s", c.what)
		}
	}
	l.kin = newKinetics(m.tau1, m.tau2, in.gmax)
	return &Plastic{
		link: l,
		altd: m.altd, altp: m.altp,
		l1tau: m.l1tau, l2tau: m.l2tau, l3tau: m.l3tau,
		r: m.r, s: m.s,
		wmin: m.wmin, wmax: m.wmax, winit: in.winit,
		p:      in.p,
		stream: *parser.StreamSource(env.Seed, env.Run, e.Name),
	}, nil
}

// Setup reserves pre (read), the (post, post) entry and the weight's unknown.
func (d *Plastic) Setup(b *mna.Builder) {
	d.setupSend(b)
	d.setupReceive(b)
	d.w = b.State(d.name+".w", plasticTol)
	d.hww = b.Entry(d.w, d.w)
}

// SetInitial starts a uic transient from winit.
func (d *Plastic) SetInitial(x []float64) { x[d.w] = d.winit }

// NewRun starts a run at the weight winit, with the stream at its start.
func (d *Plastic) NewRun() devices.Loader {
	r := &plasticRun{dev: d, det: detector{link: &d.link}, cond: newConductance(&d.kin),
		stream: d.stream, weight: d.winit, transmitted: true}
	r.rng = rand.New(&r.stream)
	return r
}

// plasticRun is one run of a Plastic synapse.
type plasticRun struct {
	dev         *Plastic
	det         detector
	cond        conductance
	stream      rand.PCG
	rng         *rand.Rand
	weight      float64
	vl1, vl2    float64 // low-passed postsynaptic voltage
	vl3         float64 // presynaptic trace
	transmitted bool    // the last presynaptic spike was transmitted
	started     bool
	tLast       float64
}

// rate is dw/dt at the voltages of a point and the traces of the last.
func (r *plasticRun) rate(vpre, vpost float64) float64 {
	d := r.dev
	rate := 0.0
	if vpre > d.s && r.vl1 > d.r {
		rate -= d.altd * (r.vl1 - d.r)
	}
	if vpost > d.s && r.vl2 > d.r {
		rate += d.altp * r.vl3 * (vpost - d.s) * (r.vl2 - d.r)
	}
	return rate
}

// learn advances the weight and the traces over the accepted step to t.
func (r *plasticRun) learn(vpre, vpost, t float64) {
	d := r.dev
	if !r.started {
		r.vl1, r.vl2, r.vl3 = vpost, vpost, 0
		r.started, r.tLast = true, t
		return
	}
	h := t - r.tLast
	if h <= 0 {
		return
	}
	if r.transmitted {
		r.weight = min(max(r.weight+h*r.rate(vpre, vpost), d.wmin), d.wmax)
	}
	r.vl1 += (vpost - r.vl1) * -math.Expm1(-h/d.l1tau)
	r.vl2 += (vpost - r.vl2) * -math.Expm1(-h/d.l2tau)
	target := 0.0
	if vpre > d.s {
		target = 1
	}
	r.vl3 += (target - r.vl3) * -math.Expm1(-h/d.l3tau)
	r.tLast = t
}

// Accept learns over the step, detects a spike (transmitted with probability p, drawn
// from the device's stream) and absorbs the arrivals; the accepted solution's weight is
// set to the new one, so that the point's output shows it.
func (r *plasticRun) Accept(ctx *devices.Context) {
	d := r.dev
	r.learn(ctx.X[d.a], ctx.X[d.b], ctx.Time)
	if tc, ok := r.det.detect(ctx); ok {
		r.transmitted = d.p >= 1 || r.rng.Float64() <= d.p
		if r.transmitted {
			r.cond.schedule(tc+d.delay, d.kin.amp)
		}
	}
	r.cond.absorb(ctx.Time)
	ctx.X[d.w] = r.weight
}

// NextBreakpoint is the next arrival: the transient lands on it.
func (r *plasticRun) NextBreakpoint(t float64, _ devices.Timing) float64 { return r.cond.next(t) }

// Deliver is not called from outside (a level-3 synapse is not split); it marks the run
// as one that schedules breakpoints while it runs.
func (r *plasticRun) Deliver(t float64) { r.cond.schedule(t+r.dev.delay, r.dev.kin.amp) }

// Load draws w g(t) (v(post) - erev) from post, and holds state(name.w) at the weight.
func (r *plasticRun) Load(ctx *devices.Context) {
	d := r.dev
	ctx.F[d.w] += ctx.X[d.w] - r.weight
	ctx.G[d.hww]++
	if ctx.Mode != devices.ModeTran {
		return
	}
	g := r.weight * r.cond.at(ctx.Time)
	if g == 0 {
		return
	}
	ctx.F[d.b] += g * (ctx.X[d.b] - d.erev)
	ctx.G[d.hbb] += g
}
