// Package driftmem holds Xyce's drift memristors, the models used for synaptic weights:
// level 2 TEAM (Kvatinsky et al., IEEE TCAS-I 60(1), 2013), level 3 Yakopcic (Yakopcic et
// al., IEEE TCAD 32(8), 2013) and level 4 PEM (piecewise empirical, with window tables
// read from files), in Xyce's syntax:
//
//	YMEMRISTOR name n+ n- model [xo=x0] [ivrelation=0|1]
//	.model model memristor level=2|3|4 ...
//
// Each device has one state x, an unknown of the circuit (Q = x, F = -dx/dt), and a
// current i(v, x) from n+ to n-. An operating point holds x at its initial value. The
// equations are in docs/drift-memristors.md. The package registers the levels with the
// devices package when imported.
package driftmem

import (
	"math"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

func init() {
	devices.RegisterMemristorLevel(newTEAM, 2)
	devices.RegisterMemristorLevel(newYakopcic, 3)
	devices.RegisterMemristorLevel(newPEM, 4)
}

// law is a level's equations: the current from n+ to n- and dx/dt, with their
// derivatives in v = v(n+) - v(n-) and x.
type law interface {
	current(v, x float64) (i, didv, didx float64)
	rate(v, x float64) (r, drdv, drdx float64)
}

// maxStepFraction is the largest part of its range the state may move in one step.
var maxStepFraction = 0.001

// stateTol is the absolute tolerance of x (Xyce's default time-integration abstol).
const stateTol = 1e-6

// Device is one drift memristor. After Setup it does not change: it keeps nothing from
// one load to the next (the state is an unknown), so it is its own Loader.
type Device struct {
	name   string
	nodes  [2]string
	law    law
	x0     float64 // x during an operating point and at the start of a uic transient
	biasOP bool    // PEM without xo: the operating point holds x at 1 if v > 0, else 0
	span   float64 // the range x moves over (TEAM's xoff - xon), for the step bound

	a, b, x                           int
	haa, hab, hba, hbb, hax, hbx, hxx mna.Handle
	hxa, hxb                          mna.Handle
}

func newDevice(e *parser.Element, l law, x0 float64) *Device {
	return &Device{name: e.Name, nodes: [2]string{e.Nodes[0], e.Nodes[1]}, law: l, x0: x0}
}

// Name is the element's name.
func (d *Device) Name() string { return d.name }

// Setup reserves the state x, named name.x (state(mr1.x), Xyce's n(ymemristor!mr1_x)),
// and the matrix entries of the current and of the state equation.
func (d *Device) Setup(b *mna.Builder) {
	d.a, d.b = b.Node(d.nodes[0]), b.Node(d.nodes[1])
	d.x = b.State(d.name+".x", stateTol)
	d.haa, d.hab = b.Entry(d.a, d.a), b.Entry(d.a, d.b)
	d.hba, d.hbb = b.Entry(d.b, d.a), b.Entry(d.b, d.b)
	d.hax, d.hbx = b.Entry(d.a, d.x), b.Entry(d.b, d.x)
	d.hxa, d.hxb, d.hxx = b.Entry(d.x, d.a), b.Entry(d.x, d.b), b.Entry(d.x, d.x)
}

// Load adds the current and the state equation: dx/dt = rate(v, x) in a transient,
// x = x0 elsewhere (an operating point, a .dc point, the linearization of an .ac).
func (d *Device) Load(ctx *devices.Context) {
	v := ctx.X[d.a] - ctx.X[d.b]
	x := ctx.X[d.x]
	i, gv, gx := d.law.current(v, x)
	ctx.F[d.a] += i
	ctx.F[d.b] -= i
	ctx.G[d.haa] += gv
	ctx.G[d.hab] -= gv
	ctx.G[d.hba] -= gv
	ctx.G[d.hbb] += gv
	ctx.G[d.hax] += gx
	ctx.G[d.hbx] -= gx
	if ctx.Mode == devices.ModeTran {
		r, rv, rx := d.law.rate(v, x)
		ctx.F[d.x] -= r
		ctx.G[d.hxa] -= rv
		ctx.G[d.hxb] += rv
		ctx.G[d.hxx] -= rx
	} else {
		ctx.F[d.x] += x - d.held(v)
		ctx.G[d.hxx]++
	}
	ctx.Q[d.x] += x
	ctx.C[d.hxx]++
}

// held is x during an operating point.
func (d *Device) held(v float64) float64 {
	if d.biasOP {
		if v > 0 {
			return 1
		}
		return 0
	}
	return d.x0
}

// SetInitial starts a uic transient from x0.
func (d *Device) SetInitial(x []float64) { x[d.x] = d.held(x[d.a] - x[d.b]) }

// Current is the device current from n+ to n-, i(name).
func (d *Device) Current(x []float64) float64 {
	i, _, _ := d.law.current(x[d.a]-x[d.b], x[d.x])
	return i
}

// Power is the power the device takes, v(n+, n-) i: Xyce's p(name) and w(name).
func (d *Device) Power(x []float64) float64 {
	return (x[d.a] - x[d.b]) * d.Current(x)
}

// Resistance is the device's resistance as Xyce reports it (n(ymemristor!name:r)): the
// inverse of its small-signal conductance di/dv, which for TEAM is R(x) itself; 0 where
// that conductance is 0 (a PEM device at x = 0).
func (d *Device) Resistance(x []float64) float64 {
	_, g, _ := d.law.current(x[d.a]-x[d.b], x[d.x])
	if g == 0 {
		return 0
	}
	return 1 / g
}

// Report returns the quantities the device reports beyond its unknowns and current:
// "r", its resistance (@name[r], Xyce's n(ymemristor!name:r)).
func (d *Device) Report(name string) (func(x []float64) float64, bool) {
	if name == "r" {
		return d.Resistance, true
	}
	return nil, false
}

// pow is math.Pow for the rate laws, with 0 for a base that is not positive where the
// exponent makes the power of 0 infinite or undefined.
func pow(b, e float64) float64 {
	if b <= 0 && e <= 0 {
		return 0
	}
	return math.Pow(b, e)
}

// MaxStep keeps the step within the time scale of the state's own feedback, 1/|d rate/dx|
// at the candidate point: where a window closes (TEAM's Kvatinsky window over a few wc)
// the rate falls by orders of magnitude within a fraction of a nanosecond, and a step
// across that fall leaves the truncation-error estimate nothing to converge on.
func (d *Device) MaxStep(ctx *devices.Context, step float64) float64 {
	r, _, rx := d.law.rate(ctx.X[d.a]-ctx.X[d.b], ctx.X[d.x])
	bound := math.Inf(1)
	if rx != 0 && !math.IsNaN(rx) {
		bound = 1 / math.Abs(rx)
	}
	if r != 0 && d.span > 0 {
		bound = math.Min(bound, maxStepFraction*d.span/math.Abs(r))
	}
	return bound
}
