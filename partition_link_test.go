package gospice

import (
	"math"
	"slices"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// withDevices adds devices to the netlist's: the test-only delayed links below.
func withDevices(d ...devices.Device) Option {
	return func(o *buildOptions) { o.extra = append(o.extra, d...) }
}

// pulseLink is a test-only delayed link (devices.EventLink): when v(in) rises through
// level, a current pulse of amp amperes and width seconds enters node out, delay seconds
// later. Whole, one run both detects and injects; split, the sender detects and the
// receiver injects what it is delivered.
type pulseLink struct {
	name, in, out            string
	level, delay, width, amp float64
	send, receive            bool
	inIdx, outIdx            int
}

func newPulseLink(name, in, out string, level, delay, width, amp float64) *pulseLink {
	return &pulseLink{name: name, in: in, out: out, level: level, delay: delay, width: width, amp: amp, send: true, receive: true}
}

func (d *pulseLink) Name() string { return d.name }

func (d *pulseLink) Setup(b *mna.Builder) {
	if d.send {
		d.inIdx = b.Node(d.in)
	}
	if d.receive {
		d.outIdx = b.Node(d.out)
	}
}

func (d *pulseLink) LinkNodes() (send, receive []string) { return []string{d.in}, []string{d.out} }
func (d *pulseLink) MinDelay() float64                   { return d.delay }

func (d *pulseLink) Split() (sender, receiver devices.Device) {
	s, r := *d, *d
	s.receive, r.send = false, false
	return &s, &r
}

func (d *pulseLink) NewRun() devices.Loader { return &pulseRun{d: d} }

type pulseRun struct {
	d            *pulseLink
	tPrev, vPrev float64
	started      bool
	pending      []float64 // emitted, not yet taken (sender)
	fired        float64   // the last corner Fire restarted the integration at
	events       []float64 // emission times of the pulses it injects (receiver)
}

// tol is the rounding within which a point lands on a corner.
func (r *pulseRun) tol() float64 { return 1e-9 * r.d.width }

// on says whether a pulse is on at t: after its start up to its end (a point that lands
// on a corner, within rounding, takes the value from before it, so that the step that
// ends there integrates what came before).
func (r *pulseRun) on(t float64) bool {
	tol := r.tol()
	for _, e := range r.events {
		if s := e + r.d.delay; s+tol < t && t <= s+r.d.width+tol {
			return true
		}
	}
	return false
}

func (r *pulseRun) Load(ctx *devices.Context) {
	if r.d.receive && ctx.Mode == devices.ModeTran && r.on(ctx.Time) {
		ctx.F[r.d.outIdx] -= r.d.amp
	}
}

// Accept detects a rising crossing between the last accepted point and this one, at the
// time interpolated between them.
func (r *pulseRun) Accept(ctx *devices.Context) {
	if !r.d.send {
		return
	}
	v, t := ctx.X[r.d.inIdx], ctx.Time
	if r.started && t > r.tPrev && r.vPrev < r.d.level && v >= r.d.level {
		tc := r.tPrev + (r.d.level-r.vPrev)/(v-r.vPrev)*(t-r.tPrev)
		r.pending = append(r.pending, tc)
		if r.d.receive {
			r.events = append(r.events, tc)
		}
	}
	r.tPrev, r.vPrev, r.started = t, v, true
}

func (r *pulseRun) TakeEvents(dst []float64) []float64 {
	dst = append(dst, r.pending...)
	r.pending = r.pending[:0]
	return dst
}

func (r *pulseRun) Deliver(t float64) { r.events = append(r.events, t) }

// corners lists the times the injected current jumps.
func (r *pulseRun) corners() []float64 {
	var c []float64
	for _, e := range r.events {
		c = append(c, e+r.d.delay, e+r.d.delay+r.d.width)
	}
	slices.Sort(c)
	return c
}

func (r *pulseRun) NextBreakpoint(t float64, _ devices.Timing) float64 {
	for _, c := range r.corners() {
		if c > t {
			return c
		}
	}
	return math.Inf(1)
}

// EventStep lands the transient on a corner within the step, whole too (where the
// transient asks for breakpoints only at breakpoints).
func (r *pulseRun) EventStep(ctx *devices.Context, step float64) float64 {
	t0 := ctx.Time - step
	for _, c := range r.corners() {
		if c > t0 && c < ctx.Time-1e-9*step { // not one it landed on within rounding
			return (c - t0) / step
		}
	}
	return 2
}

// Fire restarts the integration at a corner the whole device landed on, as the
// transient does at a breakpoint (split, the receiver's corners are breakpoints).
func (r *pulseRun) Fire(ctx *devices.Context) bool {
	if !r.d.send || !r.d.receive {
		return false
	}
	for _, c := range r.corners() {
		if math.Abs(c-ctx.Time) <= r.tol() && c > r.fired {
			r.fired = c
			return true
		}
	}
	return false
}

// linkChain is three RC nodes joined by two pulse links: a step charges a (tau 1 ms);
// when v(a) reaches 0.5 V, 0.5 ms later a 1 mA, 1 ms pulse charges b; when v(b) reaches
// 0.3 V, 0.7 ms later another charges c. The blocks are {a}, {b}, {c}, and the
// synchronization points are 0.5 ms apart.
const linkChain = `link chain
Vs src 0 PULSE(0 1 1m 1u 1u 1 2)
Ra src a 1k
Ca a 0 1u
Rb b 0 1k
Cb b 0 1u
Rc c 0 1k
Cc c 0 1u
.save v(a) v(b) v(c)
.tran 10u 8m
`

func linkChainDevices() []devices.Device {
	return []devices.Device{
		newPulseLink("l1", "a", "b", 0.5, 0.5e-3, 1e-3, 1e-3),
		newPulseLink("l2", "b", "c", 0.3, 0.7e-3, 1e-3, 1e-3),
	}
}

// The chain's time constant, the step's start and rise, the pulses' I R and width.
const chainTAU, chainTR, chainT0, chainRI, chainW = 1e-3, 1e-6, 1e-3, 1.0, 1e-3

// The chain's times: v(a) reaches 0.5 V at chainE1, b's pulse starts at chainS1, v(b) reaches 0.3
// V at chainE2, c's pulse starts at chainS2.
var (
	chainE1           = chainT0 - chainTAU*math.Log(0.5*chainTR/(chainTAU*(math.Exp(chainTR/chainTAU)-1)))
	chainS1           = chainE1 + 0.5e-3
	chainE2           = chainS1 - chainTAU*math.Log(1-0.3)
	chainS2           = chainE2 + 0.7e-3
	linkChainCrossing = chainS2 - chainTAU*math.Log(1-0.3) // v(c) = 0.3 V
)

// linkChainExact is v(a), v(b), v(c) at t, from the circuit's equations.
func linkChainExact(t float64) [3]float64 {
	va := func(t float64) float64 {
		switch {
		case t <= chainT0:
			return 0
		case t <= chainT0+chainTR: // the ramp's response
			return ((t - chainT0) - chainTAU*(1-math.Exp(-(t-chainT0)/chainTAU))) / chainTR
		}
		return 1 - chainTAU/chainTR*math.Exp(-(t-chainT0)/chainTAU)*(math.Exp(chainTR/chainTAU)-1)
	}
	pulse := func(t, s float64) float64 { // a pulse from s into R || C
		switch {
		case t <= s:
			return 0
		case t <= s+chainW:
			return chainRI * (1 - math.Exp(-(t-s)/chainTAU))
		}
		return chainRI * (1 - math.Exp(-chainW/chainTAU)) * math.Exp(-(t-s-chainW)/chainTAU)
	}
	return [3]float64{va(t), pulse(t, chainS1), pulse(t, chainS2)}
}
