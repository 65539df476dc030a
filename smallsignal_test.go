package gospice

import (
	"context"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"github.com/gospice/gospice/analysis"
)

// runFirst runs the netlist's analysis of the kind into a Result.
func runFirst(t *testing.T, text, kind string) (*Result, error) {
	t.Helper()
	sim, err := Parse("t.cir", text)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sim.Analyses() {
		if a.Name() == kind {
			res := &Result{}
			_, err := sim.Run(context.Background(), a, (*realCollector)(res), nil)
			return res, err
		}
	}
	t.Fatalf("no .%s", kind)
	return nil, nil
}

// TestTFDivider checks .tf against the analytic answer of a divider: gain R2/(R1+R2),
// input resistance R1+R2, output resistance R1||R2.
func TestTFDivider(t *testing.T) {
	res, err := runFirst(t, "t\nv1 a 0 1\nr1 a b 1k\nr2 b 0 3k\n.tf v(b) v1\n", "tf")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"transfer_function": 0.75, "v1#input_impedance": 4000, "output_impedance_at_v(b)": 750}
	for name, w := range want {
		v, ok := res.Vector(name)
		if !ok || len(v) != 1 || math.Abs(v[0]-w) > 1e-12*w {
			t.Errorf("%s = %v, want %g", name, v, w)
		}
	}
}

// TestSensDivider checks .sens against the derivatives of v(b) = V R2/(R1+R2).
func TestSensDivider(t *testing.T) {
	res, err := runFirst(t, "t\nv1 a 0 2\nr1 a b 1k\nr2 b 0 3k\n.sens v(b)\n", "sens")
	if err != nil {
		t.Fatal(err)
	}
	const v, r1, r2 = 2.0, 1e3, 3e3
	want := map[string]float64{
		"v1": r2 / (r1 + r2),
		"r1": -v * r2 / ((r1 + r2) * (r1 + r2)),
		"r2": v * r1 / ((r1 + r2) * (r1 + r2)),
	}
	for name, w := range want {
		got, ok := res.Vector(name)
		if !ok || math.Abs(got[0]-w) > 1e-12*math.Abs(w) {
			t.Errorf("%s = %v, want %g", name, got, w)
		}
	}
}

// TestFourierOfSine checks .four on a source's sine plus its second harmonic: 0.5 V DC,
// 1 V at 1 kHz, 0.1 V at 2 kHz of phase 90 (a cosine), THD 10%. The transient's steps
// (1 us, 1000 a period) make linear interpolation lose about (w h)^2/12 of an amplitude:
// measured 4e-6 of the fundamental, 1.6e-5 of the second harmonic (relative), 1.2e-4 of
// the THD (relative).
func TestFourierOfSine(t *testing.T) {
	text := "t\nv1 a 0 sin(0.5 1 1k)\nv2 b a sin(0 0.1 2k 0 0 90)\nr1 b 0 1k\n.tran 1u 3m\n.four 1k v(b)\n"
	res, err := runFirst(t, text, "four")
	if err != nil {
		t.Fatal(err)
	}
	mag, _ := res.Vector("mag(v(b))")
	phase, _ := res.Vector("phase(v(b))")
	thd, _ := res.Vector("thd(v(b))")
	if len(mag) != 10 {
		t.Fatalf("%d harmonics, want 10", len(mag))
	}
	t.Logf("DC %.7g, fundamental %.7g at %.3g degrees, second %.7g at %.5g degrees, THD %.6g%%", mag[0], mag[1], phase[1], mag[2], phase[2], thd[0])
	checks := []struct {
		what      string
		got, want float64
		tol       float64
	}{
		{"DC", mag[0], 0.5, 4e-5}, {"fundamental", mag[1], 1, 4e-5}, {"second", mag[2], 0.1, 2e-5},
		{"phase of the fundamental", phase[1], 0, 1e-3}, {"phase of the second", phase[2], 90, 1e-2},
		{"third", mag[3], 0, 4e-5}, {"THD", thd[0], 10, 1.2e-2},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s: %g, want %g", c.what, c.got, c.want)
		}
	}
}

// TestSmallSignalErrors checks that a .tf, .sens or .four that cannot run names why and where.
func TestSmallSignalRunErrors(t *testing.T) {
	tests := []struct{ text, kind, want string }{
		{"t\nv1 a 0 1\nr1 a 0 1\n.tf v(a) v9\n", "tf", `t.cir:4:10: .tf: no independent voltage or current source "v9"`},
		{"t\nv1 a 0 1\nr1 a 0 1\n.tf v(q) v1\n", "tf", `t.cir:4:5: .tf: no node "q"`},
		{"t\nv1 a 0 1\nr1 a 0 1\n.tf i(r1) v1\n", "tf", `t.cir:4:5: .tf: i(r1) must be the current of an independent voltage source`},
		{"t\nv1 a 0 1\nr1 a 0 1\n.sens v(q)\n", "sens", `t.cir:4:7: .sens: no node "q"`},
		{"t\nv1 a 0 1\nr1 a 0 1\n.four 1k v(a)\n", "four", `t.cir:4:1: .four needs a .tran analysis in the netlist`},
		{"t\nv1 a 0 1\nr1 a 0 1\n.tran 1u 0.5m\n.four 1k v(a)\n", "four", `t.cir:5:1: .four of v(a): the transient (0.0005 s) is shorter than the period of 1000 Hz (0.001 s)`},
		{"t\nv1 a 0 1\nr1 a 0 1\n.tran 1u 2m\n.four 1k v(q)\n", "four", `t.cir:5:10: cannot output v(q): no such node`},
	}
	for _, tc := range tests {
		_, err := runFirst(t, tc.text, tc.kind)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %s", tc.text, err, tc.want)
		}
	}
}

// TestNoiseResistor checks .noise against the thermal noise of a divider: at v(b) the
// two resistors' noise is that of R1||R2, sqrt(4kT R1R2/(R1+R2)), flat, and referred to
// v1 it is divided by the gain R2/(R1+R2); the totals are the densities times the
// square root of the bandwidth.
func TestNoiseResistor(t *testing.T) {
	res, err := runFirst(t, "t\nv1 a 0 dc 1 ac 1\nr1 a b 1k\nr2 b 0 3k\n.temp 27\n.noise v(b) v1 lin 11 0.5k 10.5k\n", "noise")
	if err != nil {
		t.Fatal(err)
	}
	const k, kelvin, r1, r2 = 1.38064852e-23, 300.15, 1e3, 3e3
	out := math.Sqrt(4 * k * kelvin * r1 * r2 / (r1 + r2))
	in := out * (r1 + r2) / r2
	want := map[string]float64{"onoise_spectrum": out, "inoise_spectrum": in, "onoise_total": out * 100, "inoise_total": in * 100}
	for name, w := range want {
		v, ok := res.Vector(name)
		if !ok || len(v) != 11 {
			t.Fatalf("%s: %v", name, v)
		}
		if g := v[10]; math.Abs(g-w) > 1e-12*w {
			t.Errorf("%s = %g, want %g", name, g, w)
		}
	}
}

// TestNoiseNoiselessResistor: with noisy=0 on r1 the divider's output noise is r2's alone,
// 4kT R2 times (R1/(R1+R2))^2, as ngspice 39's noisy flag.
func TestNoiseNoiselessResistor(t *testing.T) {
	res, err := runFirst(t, "t\nv1 a 0 dc 1 ac 1\nr1 a b 1k noisy=0\nr2 b 0 3k\n.temp 27\n.noise v(b) v1 lin 3 1k 3k\n", "noise")
	if err != nil {
		t.Fatal(err)
	}
	const k, kelvin, r1, r2 = 1.38064852e-23, 300.15, 1e3, 3e3
	want := math.Sqrt(4*k*kelvin*r2) * r1 / (r1 + r2)
	v, ok := res.Vector("onoise_spectrum")
	if !ok || len(v) != 3 {
		t.Fatalf("onoise_spectrum: %v", v)
	}
	if g := v[1]; math.Abs(g-want) > 1e-12*want {
		t.Errorf("onoise_spectrum = %g, want %g", g, want)
	}
}

// TestSmallSignalConcurrent runs .tf, .sens, .noise and .four of one built simulation at
// once (go test -race watches): each run owns its state.
func TestSmallSignalConcurrent(t *testing.T) {
	sim, err := Parse("t.cir", "t\nv1 a 0 sin(0 1 1k) ac 1\nr1 a b 1k\nd1 b 0 dm\n.model dm d kf=1e-14\n.tf v(b) v1\n.sens v(b)\n.noise v(b) v1 dec 5 1 1e6\n.tran 10u 2m\n.four 1k v(b)\n")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2*len(sim.Analyses()))
	for range 2 {
		for _, a := range sim.Analyses() {
			go func() {
				_, err := sim.Run(context.Background(), a, (*realCollector)(&Result{}), nil)
				errs <- err
			}()
		}
	}
	for range 2 * len(sim.Analyses()) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestSaveNoiseVector: a .save of a .noise vector (inoise_spectrum) is left out of the
// other analyses, as ngspice 39 leaves it, rather than read as a missing node.
func TestSaveNoiseVector(t *testing.T) {
	for _, kind := range []string{"tran", "ac"} {
		res, err := runFirst(t, "t\nv1 a 0 dc 1 ac 1\nr1 a b 1k\nr2 b 0 1k\n.save v(b) inoise_spectrum\n.tran 1u 5u\n.ac dec 1 1 10\n", kind)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if _, ok := res.Vector("inoise_spectrum"); ok {
			t.Errorf("%s: inoise_spectrum written", kind)
		}
	}
}

// sensAC runs the netlist's .sens ... ac and returns each parameter's complex
// sensitivity at the first frequency, by name.
func sensAC(t *testing.T, text string) map[string]complex128 {
	t.Helper()
	res, err := runFirst(t, text, "sens")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]complex128{}
	for _, c := range res.Columns()[1:] {
		if c.Part == analysis.Real {
			re, _ := res.Vector("re(" + c.Vector + ")")
			im, _ := res.Vector("im(" + c.Vector + ")")
			got[c.Vector] = complex(re[0], im[0])
		}
	}
	return got
}

// TestSensACAnalytic checks .sens ... ac against the derivatives of two circuits' answers:
// a current I into R || C, v = I / (1/R + jwC), and a source V at phase 30 degrees through
// R into L, v = V jwL / (R + jwL); and that the parameters no output depends on are 0.
// Errors seen: 7.2e-16 relative.
func TestSensACAnalytic(t *testing.T) {
	const r, c, i, f = 1e3, 100e-12, 42e-3, 1e6
	w := 2 * math.Pi * f
	y := complex(1/r, w*c)
	rc := map[string]complex128{
		"r1": i / (r * r * y * y), "r1_ac": i / (r * r * y * y), "r1_m": -i / (r * y * y), "r1_scale": i / (r * y * y),
		"c1": complex(0, -w) * i / (y * y), "c1_m": complex(0, -w*c) * i / (y * y), "c1_scale": complex(0, -w*c) * i / (y * y),
		"i1_acmag": 1 / y, "i1_m": i / y, "i1": 0, "r1_l": 0, "r1_w": 0, "r1:bv_max": 0, "c1_w": 0,
	}
	const l, v, phase = 1e-3, 2.0, 30.0
	src := cmplx.Rect(v, phase*math.Pi/180)
	jwl := complex(0, w*l)
	zs := complex(r, 0) + jwl
	out := src * jwl / zs
	rl := map[string]complex128{
		"l1": src * complex(0, w) * complex(r, 0) / (zs * zs), "l1_scale": src * jwl * complex(r, 0) / (zs * zs),
		"l1_m": -src * jwl * complex(r, 0) / (zs * zs), "r1": -src * jwl / (zs * zs),
		"v1_acmag": out / complex(v, 0), "v1_acphase": complex(0, math.Pi/180) * out, "v1": 0, "l1:mu": 0,
	}
	for _, tc := range []struct {
		text string
		want map[string]complex128
	}{
		{"t\ni1 0 1 dc 1.27 ac 42m\nr1 1 0 1k\nc1 1 0 100p\n.sens v(1) ac lin 1 1meg 1meg\n", rc},
		{"t\nv1 a 0 dc 0 ac 2 30\nr1 a b 1k\nl1 b 0 1m\n.sens v(b) ac lin 1 1meg 1meg\n", rl},
	} {
		got := sensAC(t, tc.text)
		worst := 0.0
		for name, want := range tc.want {
			g, ok := got[name]
			d := cmplx.Abs(g-want) / math.Max(cmplx.Abs(want), 1e-300)
			if want == 0 {
				d = cmplx.Abs(g)
			}
			worst = math.Max(worst, d)
			if !ok || !(d <= 7e-15) {
				t.Errorf("%s = %v (present %v), want %v", name, g, ok, want)
			}
		}
		t.Logf("%d parameters, worst relative difference %.3g", len(got), worst)
	}
}
