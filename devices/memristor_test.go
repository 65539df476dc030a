package devices

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// newTestMemristor builds a memristor between a and b (plus a source, so the nodes exist)
// with the given model parameters, set up in a fresh system.
func newTestMemristor(t *testing.T, params ...parser.Param) (*Memristor, []Loader, *mna.System) {
	t.Helper()
	c := &parser.Circuit{Models: map[string]*parser.Model{
		"dm": {Name: "dm", Type: "memristor", Params: params},
	}}
	e := &parser.Element{Name: "y1", Kind: 'y', Nodes: []string{"a", "b"}, Model: "dm"}
	d, err := newMemristor(e, c, DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	d.Setup(b)
	return d.(*Memristor), NewRun([]Device{d}), b.Build()
}

func TestMemristorResistance(t *testing.T) {
	m, _, _ := newTestMemristor(t)
	lam := 0.2
	for _, x := range []float64{0, 0.1, 0.5, 0.9, 0.999, 1} {
		want := 1e6*x + 1e12*(math.Exp((1-x)/lam)-1)/(math.Exp(1/lam)-1)
		g, _ := m.conductance(x)
		if got := 1 / g; math.Abs(got-want) > 1e-12*want {
			t.Errorf("R(%g) = %.12g, want %.12g", x, got, want)
		}
	}
	// A sharp lambda must not overflow: exp(1/lambda) would.
	sharp, _, _ := newTestMemristor(t, parser.Param{Name: "lambda", Value: 1e-3})
	for _, x := range []float64{0, 0.5, 1} {
		if g, dg := sharp.conductance(x); math.IsNaN(g) || math.IsInf(g, 0) || math.IsNaN(dg) || math.IsInf(dg, 0) {
			t.Errorf("lambda = 1e-3: G(%g) = %g, dG/dx = %g", x, g, dg)
		}
	}
}

func TestMemristorJacobian(t *testing.T) {
	for _, polarity := range []float64{0, 1} {
		_, devs, sys := newTestMemristor(t, parser.Param{Name: "polarity", Value: polarity}, parser.Param{Name: "cp", Value: 1e-12})
		a, _ := sys.Lookup("v(a)")
		b, _ := sys.Lookup("v(b)")
		f, _ := sys.Lookup("state(y1.f)")
		r, _ := sys.Lookup("state(y1.r)")
		// Points away from the kinks at v = 0 and x = 0, 1.
		for _, pt := range [][4]float64{{0.8, 0.1, 0.3, 0.2}, {-0.7, 0.2, 0.05, 0.6}, {1.5, -0.3, 0.7, 0.25}} {
			x := make([]float64, sys.N+1)
			x[a], x[b], x[f], x[r] = pt[0], pt[1], pt[2], pt[3]
			checkJacobian(t, devs, sys, x, ModeTran)
			checkJacobian(t, devs, sys, x, ModeOP)
		}
	}
}

func TestMemristorRates(t *testing.T) {
	_, devs, sys := newTestMemristor(t)
	a, _ := sys.Lookup("v(a)")
	f, _ := sys.Lookup("state(y1.f)")
	r, _ := sys.Lookup("state(y1.r)")
	x := make([]float64, sys.N+1)
	x[a], x[f], x[r] = 0.8, 0.3, 0.2
	v := evaluate(devs, sys, x, ModeTran, 0)
	// df/dt = mu v/(alpha + 1 - x) - (gamma1 + beta) f with x = 0.5; F holds -rate.
	dfdt := 150*0.8/(0.01+0.5) - 620*0.3
	drdt := 20*0.3 - 5*0.2
	if math.Abs(-v.F[f]-dfdt) > 1e-9 || math.Abs(-v.F[r]-drdt) > 1e-12 {
		t.Errorf("rates %g, %g; want %g, %g", -v.F[f], -v.F[r], dfdt, drdt)
	}
	if v.Q[f] != 0.3 || v.Q[r] != 0.2 {
		t.Errorf("charges %g %g, want the states", v.Q[f], v.Q[r])
	}
	// Reverse bias with polarity 1 gives no drive.
	x[a] = -0.8
	v = evaluate(devs, sys, x, ModeTran, 0)
	if math.Abs(-v.F[f]-(-620*0.3)) > 1e-12 {
		t.Errorf("reverse-bias rate %g, want pure decay", -v.F[f])
	}
	// The operating point holds the states at f0 = r0 = 0.
	v = evaluate(devs, sys, x, ModeTranOP, 0)
	if v.F[f] != 0.3 || v.F[r] != 0.2 {
		t.Errorf("op residuals %g %g, want f - f0 and r - r0", v.F[f], v.F[r])
	}
}

func TestMemristorLimitAndStep(t *testing.T) {
	m, _, sys := newTestMemristor(t)
	old := make([]float64, sys.N+1)
	x := make([]float64, sys.N+1)
	old[m.f], old[m.r] = 0.6, 0.2
	x[m.f], x[m.r] = 1.2, 0.4 // f + r jumps from 0.8 to 1.6
	if !m.Limit(old, x) {
		t.Fatal("a jump across x = 1 was not limited")
	}
	if s := x[m.f] + x[m.r]; math.Abs(s-1) > 1e-15 {
		t.Errorf("limited f + r = %g, want the edge 1", s)
	}
	old[m.f], old[m.r] = x[m.f], x[m.r]
	x[m.f], x[m.r] = 1.3, 0.3 // from the edge onwards: allowed
	if m.Limit(old, x) {
		t.Error("an update starting at the edge was limited")
	}
	ctx := &Context{X: make([]float64, sys.N+1)}
	ctx.X[m.a], ctx.X[m.f], ctx.X[m.r] = 0.8, 0.95, 0.04
	den := 0.01 + 1 - 0.99
	if got, want := m.MaxStep(ctx, 1e-6), den*den/(150*0.8); math.Abs(got-want) > 1e-15 {
		t.Errorf("max step %g, want %g", got, want)
	}
}

func TestMemristorModelErrors(t *testing.T) {
	for _, c := range []struct {
		param parser.Param
		want  string
	}{
		{parser.Param{Name: "polarity", Value: 2}, "polarity must be 0 or 1"},
		{parser.Param{Name: "alpha", Value: 0}, "alpha must be positive"},
		{parser.Param{Name: "lambda", Value: -1}, "lambda must be positive"},
		{parser.Param{Name: "gama1", Value: 1}, `did you mean "gamma1"?`},
	} {
		cir := &parser.Circuit{Models: map[string]*parser.Model{"dm": {Name: "dm", Type: "memristor", Params: []parser.Param{c.param}}}}
		_, err := newMemristor(&parser.Element{Name: "y1", Kind: 'y', Nodes: []string{"a", "b"}, Model: "dm"}, cir, DefaultEnv())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%g: error %v, want %q", c.param.Name, c.param.Value, err, c.want)
		}
	}
}

func TestStreamsAreReproducibleAndPerDevice(t *testing.T) {
	draw := func(seed uint64, name string) float64 { return parser.Stream(seed, 1, name).Float64() }
	if draw(1, "y1") != draw(1, "y1") {
		t.Error("the same seed and name gave different draws")
	}
	if draw(1, "y1") == draw(2, "y1") || draw(1, "y1") == draw(1, "x1.y1") {
		t.Error("a different seed or name gave the same draw")
	}
	// Device-to-device spread: positive values around the model's, spread by d2d.
	var sum, sq float64
	const n = 2000
	for i := range n {
		v := spread(parser.Stream(7, 1, fmt.Sprint("y", i)), 150, 0.1)
		if v <= 0 {
			t.Fatal("spread gave a non-positive value")
		}
		sum += v
		sq += v * v
	}
	mean := sum / n
	sd := math.Sqrt(sq/n - mean*mean)
	if math.Abs(mean-150) > 4*15/math.Sqrt(n) || math.Abs(sd-15) > 1.5 {
		t.Errorf("spread: mean %g, sd %g; want 150 and 15", mean, sd)
	}
}

// TestSpreadOfZero: a parameter of zero (mu=0) with a device-to-device spread is left as it
// is, where drawing until the value is positive would never end (found by FuzzPipeline).
func TestSpreadOfZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	if got := spread(rng, 0, 0.05); got != 0 {
		t.Errorf("spread of 0: %g", got)
	}
	if got := spread(rng, 1, 0.05); !(got > 0.5 && got < 1.5) {
		t.Errorf("spread of 1 by 5%%: %g", got)
	}
}
