package driftmem

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// laws are one law of each kind and window, with parameters where their derivatives are
// interesting (the Xyce regression netlists' where they exist).
func laws() map[string]law {
	teamAt := func(wt int, nonlinear bool) *team {
		return &team{kon: -4.68e-22 * 1e9, koff: 1.46e-18 * 1e9, alphaOn: 10, alphaOff: 10,
			ion: -8.9e-6, ioff: 115e-6, ron: 50, roff: 1000, xon: 0, xoff: 3,
			nonlinear: nonlinear, rMin: 0.05, wt: wt, d: 3, p: 2, j: 1, aon: 0, aoff: 3, wc: 0.1}
	}
	return map[string]law{
		"team wt=0":        teamAt(0, false),
		"team wt=1":        teamAt(1, false),
		"team wt=2":        teamAt(2, false),
		"team wt=3":        teamAt(3, true),
		"team wt=4":        teamAt(4, false),
		"team exponential": teamAt(4, true),
		"yakopcic": &yakopcic{a1: 0.17, a2: 0.17, b: 0.05, vp: 0.16, vn: 0.15, ap: 4000, an: 4000,
			xp: 0.3, xn: 0.5, alphaP: 1, alphaN: 5, eta: 1},
		"pem": &pem{i1: 85.37e-6, i2: 90.16e-6, v1: 0.265, v2: 0.265, g0: 130.72e-6, vp: 0.7, vn: -1,
			d1: 9.87, d2: -4.82, c1: 1000, c2: 1000,
			plus:  &table{x: []float64{0, 0.5, 1}, f: []float64{0.6, 0.5, 0.1}},
			minus: &table{x: []float64{0, 0.5, 1}, f: []float64{-0.1, -0.3, -0.2}}},
	}
}

// TestDerivatives checks every derivative of the current and the rate against central
// differences, at random points away from the laws' corners.
func TestDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, l := range laws() {
		worst := 0.0
		for range 2000 {
			v := 2.4*rng.Float64() - 1.2
			x := 1.2*rng.Float64() - 0.1
			if strings.HasPrefix(name, "team") {
				x = 3.2*rng.Float64() - 0.1
			}
			for _, f := range []struct {
				what string
				eval func(v, x float64) (float64, float64, float64)
			}{{"current", l.current}, {"rate", l.rate}} {
				y, dv, dx := f.eval(v, x)
				const h = 1e-7
				yvp, _, _ := f.eval(v+h, x)
				yvm, _, _ := f.eval(v-h, x)
				yxp, _, _ := f.eval(v, x+h)
				yxm, _, _ := f.eval(v, x-h)
				nv, nx := (yvp-yvm)/(2*h), (yxp-yxm)/(2*h)
				scale := math.Abs(y)/h*1e-9 + 1e-12 // room for the rounding of y at the step h
				for _, pair := range [][2]float64{{dv, nv}, {dx, nx}} {
					// Across a corner (a threshold, a table point, the sign of i in a
					// window) the difference quotient straddles two pieces: skip those.
					if math.Abs(yvp-y-(y-yvm)) > 1e-3*math.Abs(y)+scale || math.Abs(yxp-y-(y-yxm)) > 1e-3*math.Abs(y)+scale {
						continue
					}
					e := math.Abs(pair[0]-pair[1]) / (math.Abs(pair[1]) + scale/1e-3)
					worst = max(worst, e)
					if e > 1e-6 { // measured: 7e-8 at worst
						t.Errorf("%s: d%s at v=%g x=%g: analytic %g, numeric %g", name, f.what, v, x, pair[0], pair[1])
					}
				}
			}
		}
		t.Logf("%s: largest relative difference of the derivatives from central differences %.2g", name, worst)
	}
}

// newTestDevice sets a device up in a system of its own: nodes a and b and its state.
func newTestDevice(t *testing.T, l law) (*Device, *mna.Values, int) {
	t.Helper()
	d := &Device{name: "y1", nodes: [2]string{"a", "b"}, law: l, x0: 0.3}
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	d.Setup(b)
	sys := b.Build()
	return d, sys.NewValues(), sys.N + 1
}

// TestLoadAllocatesNothing loads each law in a transient and at an operating point.
func TestLoadAllocatesNothing(t *testing.T) {
	for name, l := range laws() {
		d, vals, n := newTestDevice(t, l)
		x := make([]float64, n)
		x[d.a], x[d.x] = 0.4, 0.5
		ctx := &devices.Context{X: x, Values: vals, Mode: devices.ModeTran}
		if a := testing.AllocsPerRun(100, func() {
			ctx.Mode = devices.ModeTran
			d.Load(ctx)
			d.MaxStep(ctx, 1e-6)
			ctx.Mode = devices.ModeOP
			d.Load(ctx)
		}); a != 0 {
			t.Errorf("%s: %v allocations per load", name, a)
		}
	}
}

// TestOperatingPointHoldsX checks the state equation outside a transient: x = x0, and
// for PEM without xo, 1 under forward bias and 0 otherwise.
func TestOperatingPointHoldsX(t *testing.T) {
	for _, c := range []struct {
		biasOP bool
		v      float64
		want   float64
	}{{false, 0.4, 0.3}, {true, 0.4, 1}, {true, -0.4, 0}, {true, 0, 0}} {
		d, vals, n := newTestDevice(t, laws()["pem"])
		d.biasOP = c.biasOP
		x := make([]float64, n)
		x[d.a], x[d.x] = c.v, 0.7
		vals.Clear()
		d.Load(&devices.Context{X: x, Values: vals, Mode: devices.ModeOP})
		if got := 0.7 - vals.F[d.x]; got != c.want {
			t.Errorf("biasOP %v at v=%g: x held at %g, want %g", c.biasOP, c.v, got, c.want)
		}
	}
}

func TestReadTable(t *testing.T) {
	read := func(text string) (*table, error) {
		return readTable(parser.ModelFile{Name: "fxpdata", Path: "t.dat", Data: []byte(text), Pos: parser.Pos{File: "m.cir", Line: 3, Col: 9}})
	}
	for _, c := range []struct {
		text string
		x, f []float64
	}{
		{"# comment\n0.1,0.5\n0.2 , -0.25\r\n0.3,1e-1\n", []float64{0.1, 0.2, 0.3}, []float64{0.5, -0.25, 0.1}},
		// Blank-separated, as Xyce reads it: the first character of f is the separator.
		{"9.33E-02 6.30E-01\n9.51E-02 -6.72E-04\n4.58E-01 6.00E-01\n", []float64{0.0933, 0.0951, 0.458}, []float64{0.03, 6.72e-4, 0}},
		// Reading stops at the first text that is not a pair.
		{"0,1\n1,2\nend\n2,3\n", []float64{0, 1}, []float64{1, 2}},
	} {
		tab, err := read(c.text)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if len(tab.x) != len(c.x) {
			t.Errorf("%q: %v", c.text, tab)
			continue
		}
		for i := range c.x {
			if math.Abs(tab.x[i]-c.x[i]) > 1e-15 || math.Abs(tab.f[i]-c.f[i]) > 1e-15 {
				t.Errorf("%q: point %d is (%g, %g), want (%g, %g)", c.text, i, tab.x[i], tab.f[i], c.x[i], c.f[i])
			}
		}
	}
	for text, want := range map[string]string{
		"0,1\n":           "m.cir:3:9: t.dat: a window table needs at least 2 points (x,f per line), found 1",
		"0,1\n1,2\n1,3\n": "m.cir:3:9: t.dat: line 3: x must increase: 1 after 1",
	} {
		if _, err := read(text); err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %s", text, err, want)
		}
	}
	tab := &table{x: []float64{0, 1, 3}, f: []float64{1, 3, 2}}
	for _, c := range [][3]float64{{-1, -1, 2}, {0.5, 2, 2}, {1, 3, -0.5}, {2, 2.5, -0.5}, {5, 1, -0.5}} {
		if f, df := tab.at(c[0]); f != c[1] || df != c[2] {
			t.Errorf("at %g: %g, %g; want %g, %g", c[0], f, df, c[1], c[2])
		}
	}
}
