package devices

import (
	"math"
	"math/rand/v2"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Memristor is the diffusive memristor of the 1M1T1R neuron (models/diffusive-memristor.md):
// a filament f and a residue r, both unknowns of the circuit (Q = state, F = -rate), and a
// current v/R(x) with x = clamp(f + r, 0, 1):
//
//	df/dt = mu p(v) / (alpha + 1 - x) - (gamma1 + beta) f
//	dr/dt = beta f - gamma2 r
//	R(x)  = ron x + roff (exp((1-x)/lambda) - 1) / (exp(1/lambda) - 1)
//
// During an operating point the states are held at f0 and r0, as .ic holds a node.
type Memristor struct {
	twoTerminal
	mu, alpha, beta, gamma1, gamma2 float64
	ron, roff, lambda, cp           float64
	f0, r0                          float64
	drive                           func(v float64) (p, dp float64) // p(v) and dp/dv, by polarity

	invLambda, expm1One float64 // 1/lambda and -expm1(-1/lambda), for R(x)

	rupture            *rupture // nil when kappa = 0
	f, r               int      // the state unknowns
	hff, hfr, hfa, hfb mna.Handle
	hrf, hrr           mna.Handle
	haf, har, hbf, hbr mna.Handle
}

// memristorStateTol is the absolute tolerance of f and r (they are dimensionless).
const memristorStateTol = 1e-6

type memristorModel struct {
	level                                   float64 // a numeric level: Xyce's TEAM, Yakopcic, PEM (not supported)
	levelGiven                              bool
	mu, alpha, beta, gamma1, gamma2, lambda float64
	ron, roff, polarity, cp                 float64
	kappa, m, eta, d2d                      float64
}

func (m *memristorModel) params() paramSet {
	return paramSet{what: "memristor model", params: []param{
		p("level", 0, "", "model level; only level=diffusive is supported", &m.level).withGiven(&m.levelGiven),
		p("mu", 150, "1/(V s)", "drive strength", &m.mu),
		p("alpha", 0.01, "", "switching sharpness", &m.alpha),
		p("beta", 20, "1/s", "filament-to-residue rate", &m.beta),
		p("gamma1", 600, "1/s", "filament relaxation rate", &m.gamma1),
		p("gamma2", 5, "1/s", "residue relaxation rate", &m.gamma2),
		p("lambda", 0.2, "", "shape of the off-state resistance", &m.lambda),
		p("ron", 1e6, "ohm", "on resistance", &m.ron),
		p("roff", 1e12, "ohm", "off resistance", &m.roff),
		p("polarity", 1, "", "1: grows under forward bias only; 0: under either", &m.polarity),
		p("cp", 0, "F", "parallel device capacitance", &m.cp),
		p("kappa", 0, "1/s", "rupture rate coefficient", &m.kappa),
		p("m", 2, "", "rupture rate exponent", &m.m),
		p("eta", 0.01, "", "fraction of the filament lost in a rupture", &m.eta),
		p("d2d", 0, "", "relative device-to-device spread of mu, beta, gamma1, gamma2", &m.d2d),
	}}
}

type memristorInstance struct{ f0, r0 float64 }

func (in *memristorInstance) params() paramSet {
	return paramSet{what: "memristor", params: []param{
		p("f0", 0, "", "initial filament state", &in.f0),
		p("r0", 0, "", "initial residue state", &in.r0),
	}}
}

func newMemristor(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	card, err := modelFor(e, c, "memristor", "memristor")
	if err != nil {
		return nil, err
	}
	if lv, ok := modelLevel(card); ok && card.LevelName == "" && memristorLevels[lv] != nil {
		return memristorLevels[lv](e, card, env)
	}
	var m memristorModel
	if err := m.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	if m.levelGiven || (card.LevelName != "" && card.LevelName != "diffusive") {
		level := card.LevelName
		if level == "" {
			level = formatNumber(m.level)
		}
		return nil, parser.Errorf(card.Pos, "memristor model %s: level=%s is not supported (level=diffusive is)", card.Name, level)
	}
	var in memristorInstance
	if err := in.params().apply(e.Params(), "on "+e.Name); err != nil {
		return nil, err
	}
	if err := noArgs(e); err != nil {
		return nil, err
	}
	for _, check := range []struct {
		ok   bool
		what string
	}{
		{m.alpha > 0, "alpha must be positive"},
		{m.lambda > 0, "lambda must be positive"},
		{m.ron > 0, "ron must be positive"},
		{m.roff > 0, "roff must be positive"},
		{m.mu >= 0 && m.beta >= 0 && m.gamma1 >= 0 && m.gamma2 >= 0, "mu, beta, gamma1 and gamma2 must not be negative"},
		{m.cp >= 0, "cp must not be negative"},
		{m.polarity == 0 || m.polarity == 1, "polarity must be 0 or 1"},
		{m.kappa >= 0 && m.eta >= 0 && m.eta <= 1 && m.d2d >= 0, "kappa and d2d must not be negative and eta must lie in [0, 1]"},
	} {
		if !check.ok {
			return nil, parser.Errorf(card.Pos, "memristor model %s: %s", card.Name, check.what)
		}
	}
	d := &Memristor{
		twoTerminal: newTwoTerminal(e),
		mu:          m.mu, alpha: m.alpha, beta: m.beta, gamma1: m.gamma1, gamma2: m.gamma2,
		ron: m.ron, roff: m.roff, lambda: m.lambda, cp: m.cp,
		f0: in.f0, r0: in.r0,
		drive:     forwardDrive,
		invLambda: 1 / m.lambda,
		expm1One:  -math.Expm1(-1 / m.lambda),
	}
	if m.polarity == 0 {
		d.drive = symmetricDrive
	}
	if m.d2d > 0 || m.kappa > 0 {
		src := parser.StreamSource(env.Seed, env.Run, e.Name)
		rng := rand.New(src)
		if m.d2d > 0 {
			for _, v := range []*float64{&d.mu, &d.beta, &d.gamma1, &d.gamma2} {
				*v = spread(rng, *v, m.d2d)
			}
		}
		if m.kappa > 0 {
			// Each run draws its ruptures from the stream as it stands after the spread.
			d.rupture = &rupture{kappa: m.kappa, m: m.m, eta: m.eta, stream: *src}
		}
	}
	return d, nil
}

// MemristorConstructor builds a memristor of a numeric model level (Xyce's drift
// memristors: 2 TEAM, 3 Yakopcic, 4 PEM) from its element and model card.
type MemristorConstructor func(e *parser.Element, card *parser.Model, env Env) (Device, error)

// memristorLevels are the memristor levels that other packages implement.
var memristorLevels = map[float64]MemristorConstructor{}

// RegisterMemristorLevel makes the memristors of the given model levels built by ctor.
// Packages with a memristor model call it from init.
func RegisterMemristorLevel(ctor MemristorConstructor, levels ...float64) {
	for _, l := range levels {
		memristorLevels[l] = ctor
	}
}

// spread draws from a normal distribution of mean v and standard deviation rel*v,
// drawing again until the value is positive. A value that is not positive (mu=0) has
// no spread: it is returned as it is, rather than drawn for ever.
func spread(rng *rand.Rand, v, rel float64) float64 {
	if !(v > 0) {
		return v
	}
	for {
		if x := v + rel*v*rng.NormFloat64(); x > 0 {
			return x
		}
	}
}

// forwardDrive is p(v) = max(v, 0); at v = 0 it takes the left side's slope.
func forwardDrive(v float64) (float64, float64) {
	if v > 0 {
		return v, 1
	}
	return 0, 0
}

// symmetricDrive is p(v) = |v|; at v = 0 it takes the right side's slope.
func symmetricDrive(v float64) (float64, float64) {
	if v < 0 {
		return -v, -1
	}
	return v, 1
}

func (d *Memristor) Setup(b *mna.Builder) {
	d.setupPair(b)
	d.f = b.State(d.Name()+".f", memristorStateTol)
	d.r = b.State(d.Name()+".r", memristorStateTol)
	d.hff, d.hfr, d.hfa, d.hfb = b.Entry(d.f, d.f), b.Entry(d.f, d.r), b.Entry(d.f, d.a), b.Entry(d.f, d.b)
	d.hrf, d.hrr = b.Entry(d.r, d.f), b.Entry(d.r, d.r)
	d.haf, d.har = b.Entry(d.a, d.f), b.Entry(d.a, d.r)
	d.hbf, d.hbr = b.Entry(d.b, d.f), b.Entry(d.b, d.r)
}

// conductance returns 1/R(x) and its derivative in x, for x in [0, 1].
func (d *Memristor) conductance(x float64) (g, dg float64) {
	// (exp((1-x)/l) - 1)/(exp(1/l) - 1) = (exp(-x/l) - exp(-1/l))/(1 - exp(-1/l)), which
	// cannot overflow; exp(-x/l) (1 - exp(-(1-x)/l)) keeps digits near x = 1.
	ex := math.Exp(-x * d.invLambda)
	shape := -ex * math.Expm1(-(1-x)*d.invLambda) / d.expm1One
	dshape := -d.invLambda * ex / d.expm1One
	r := d.ron*x + d.roff*shape
	dr := d.ron + d.roff*dshape
	return 1 / r, -dr / (r * r)
}

// clampState is x = clamp(f + r, 0, 1) and dx/d(f+r), with the inside slope at the edges.
func clampState(s float64) (x, dx float64) {
	switch {
	case s < 0:
		return 0, 0
	case s > 1:
		return 1, 0
	}
	return s, 1
}

// Load needs nothing of a run: the states are unknowns.
func (d *Memristor) Load(ctx *Context) {
	v := ctx.X[d.a] - ctx.X[d.b]
	f, r := ctx.X[d.f], ctx.X[d.r]
	x, dx := clampState(f + r)

	// Device current v/R(x), from a to b.
	g, dg := d.conductance(x)
	i := v * g
	ctx.F[d.a] += i
	ctx.F[d.b] -= i
	d.stamp(ctx.G, g)
	didx := v * dg * dx
	ctx.G[d.haf] += didx
	ctx.G[d.har] += didx
	ctx.G[d.hbf] -= didx
	ctx.G[d.hbr] -= didx
	if d.cp > 0 {
		q := d.cp * v
		ctx.Q[d.a] += q
		ctx.Q[d.b] -= q
		d.stamp(ctx.C, d.cp)
	}

	if ctx.Mode != ModeTran {
		// The operating point holds the states at f0 and r0.
		ctx.F[d.f] += f - d.f0
		ctx.F[d.r] += r - d.r0
		ctx.G[d.hff]++
		ctx.G[d.hrr]++
	} else {
		// F = -rate: df/dt - E + (gamma1 + beta) f = 0 and dr/dt - beta f + gamma2 r = 0.
		p, dp := d.drive(v)
		den := d.alpha + 1 - x
		e := d.mu * p / den
		dedv := d.mu * dp / den
		dedx := e / den * dx
		ctx.F[d.f] += (d.gamma1+d.beta)*f - e
		ctx.G[d.hff] += d.gamma1 + d.beta - dedx
		ctx.G[d.hfr] -= dedx
		ctx.G[d.hfa] -= dedv
		ctx.G[d.hfb] += dedv
		ctx.F[d.r] += d.gamma2*r - d.beta*f
		ctx.G[d.hrr] += d.gamma2
		ctx.G[d.hrf] -= d.beta
	}
	ctx.Q[d.f] += f
	ctx.Q[d.r] += r
	ctx.C[d.hff]++
	ctx.C[d.hrr]++
}

// SetInitial starts a uic transient from f0 and r0.
func (d *Memristor) SetInitial(x []float64) {
	x[d.f], x[d.r] = d.f0, d.r0
}

// Limit stops a Newton update of f + r at the edge of [0, 1] it would cross from inside,
// where the clamp bends the model: the next iteration continues from the edge.
func (d *Memristor) Limit(xOld, x []float64) bool {
	before, after := xOld[d.f]+xOld[d.r], x[d.f]+x[d.r]
	var edge float64
	switch {
	case before < 1 && after > 1:
		edge = 1
	case before > 0 && after < 0:
		edge = 0
	default:
		return false
	}
	theta := (edge - before) / (after - before)
	x[d.f] = xOld[d.f] + theta*(x[d.f]-xOld[d.f])
	x[d.r] = xOld[d.r] + theta*(x[d.r]-xOld[d.r])
	return true
}

// MaxStep keeps the step within the time scale of the switching feedback: the drive's
// slope in x, mu p(v) / (alpha + 1 - x)^2, times the step stays below one.
func (d *Memristor) MaxStep(ctx *Context, step float64) float64 {
	v := ctx.X[d.a] - ctx.X[d.b]
	x, _ := clampState(ctx.X[d.f] + ctx.X[d.r])
	p, _ := d.drive(v)
	den := d.alpha + 1 - x
	slope := d.mu * p / (den * den)
	if slope <= 0 {
		return math.Inf(1)
	}
	return 1 / slope
}

// rupture samples filament ruptures, a Poisson process of rate kappa max(f, 0)^m, by
// cumulative hazard: an event fires when the integral of the rate over accepted steps
// reaches a threshold drawn from an exponential distribution of mean one. The step is cut
// to land on that time, so the statistics do not depend on the step size.
type rupture struct {
	kappa, m, eta float64
	stream        rand.PCG // the random stream at the start of every run
}

func (rp *rupture) rate(f float64) float64 {
	if f <= 0 {
		return 0
	}
	return rp.kappa * math.Pow(f, rp.m)
}

// memristorRun is one run of a Memristor with ruptures: its random stream and where the
// hazard stands.
type memristorRun struct {
	*Memristor
	stream     rand.PCG
	rng        *rand.Rand
	threshold  float64 // the hazard at which the next rupture fires
	hazard     float64 // accumulated since the last rupture, up to the last accepted point
	rateAt     float64 // the rate at the last accepted point
	timeAt     float64 // the last accepted time
	stepHazard float64 // the hazard of the last candidate step
	due        float64 // the time the integrator was asked to land on for a rupture; -1 if none
}

// NewRun starts a run: a memristor without ruptures keeps nothing between loads.
func (d *Memristor) NewRun() Loader {
	if d.rupture == nil {
		return d
	}
	r := &memristorRun{Memristor: d, stream: d.rupture.stream, due: -1}
	r.rng = rand.New(&r.stream)
	r.threshold = r.rng.ExpFloat64()
	return r
}

// EventStep integrates the hazard over the candidate step by the trapezoidal rule and
// returns where in the step it reaches the threshold (linearly interpolated).
func (r *memristorRun) EventStep(ctx *Context, step float64) float64 {
	rp := r.rupture
	r.stepHazard = step * (r.rateAt + rp.rate(ctx.X[r.f])) / 2
	if r.hazard+r.stepHazard < r.threshold && !(r.due >= 0 && ctx.Time >= r.due) {
		return math.Inf(1)
	}
	frac := (r.threshold - r.hazard) / r.stepHazard
	if frac >= 1-1e-6 || (r.due >= 0 && ctx.Time >= r.due) {
		r.due = ctx.Time // this candidate lands on the rupture
		return 1
	}
	r.due = r.timeAt + frac*step
	return frac
}

// Fire adds the accepted step's hazard and, when a rupture is due, cuts the filament to
// (1 - eta) f and draws the next threshold.
func (r *memristorRun) Fire(ctx *Context) bool {
	rp := r.rupture
	fired := r.due >= 0 && ctx.Time >= r.due
	r.hazard += r.stepHazard
	r.stepHazard = 0
	if fired {
		ctx.X[r.f] *= 1 - rp.eta
		r.hazard, r.due = 0, -1
		r.threshold = r.rng.ExpFloat64()
	}
	r.rateAt = rp.rate(ctx.X[r.f])
	r.timeAt = ctx.Time
	return fired
}

// Current is the device current from n+ to n-, i(name), without the cp term.
func (d *Memristor) Current(x []float64) float64 {
	s, _ := clampState(x[d.f] + x[d.r])
	g, _ := d.conductance(s)
	return (x[d.a] - x[d.b]) * g
}
