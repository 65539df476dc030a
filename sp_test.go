package gospice

import (
	"context"
	"math"
	"math/cmplx"
	"strconv"
	"strings"
	"testing"
)

// runSPText runs the netlist's .sp and returns its complex result.
func runSPText(t *testing.T, text string) (*Result, error) {
	t.Helper()
	res, err := runSPOrBuild(t, text)
	if res == nil && err == nil {
		t.Fatal("no .sp")
	}
	return res, err
}

// checkSP compares the named complex vectors at every frequency with want, within tol
// relative to the larger of floor and the wanted magnitude.
func checkSP(t *testing.T, res *Result, want map[string]complex128, tol, floor float64) {
	t.Helper()
	worst := 0.0
	defer func() { t.Logf("worst difference %.3g (tolerance %g)", worst, tol) }()
	for name, w := range want {
		v, ok := res.Complex(name)
		if !ok || len(v) == 0 {
			t.Errorf("no vector %s in %v", name, res.Names())
			continue
		}
		for k, x := range v {
			d := cmplx.Abs(x-w) / math.Max(floor, cmplx.Abs(w))
			worst = math.Max(worst, d)
			if !(d <= tol) {
				t.Errorf("%s[%d] = %v, want %v (off %.3g)", name, k, x, w, d)
			}
		}
	}
}

// TestSPMatchedLoad: a port into its own reference impedance reflects nothing: S11 = 0,
// Z11 = Z0, Y11 = 1/Z0, at every frequency (errors seen: 0, rounding).
func TestSPMatchedLoad(t *testing.T) {
	res, err := runSPText(t, "t\nv1 in 0 dc 0 ac 1 portnum 1 z0 75\nr1 in 0 75\n.sp dec 3 1k 1meg\n")
	if err != nil {
		t.Fatal(err)
	}
	checkSP(t, res, map[string]complex128{"s_1_1": 0, "z_1_1": 75, "y_1_1": 1.0 / 75}, 3e-14, 1)
	if got := len(res.Scale()); got != 10 {
		t.Errorf("%d frequencies, want 10", got)
	}
}

// TestSPAttenuator: a matched T attenuator of voltage ratio K = 2 between two 50-ohm
// ports (series arms Z0 (K-1)/(K+1), shunt arm 2 Z0 K/(K^2-1)) has S11 = S22 = 0 and
// S21 = S12 = 1/K; its Z matrix is that of the T (series + shunt on the diagonal, the
// shunt arm off it) and Y is Z's inverse.
func TestSPAttenuator(t *testing.T) {
	const z0, k = 50.0, 2.0
	r1, r2 := z0*(k-1)/(k+1), 2*z0*k/(k*k-1)
	text := "t\nv1 a 0 dc 0 ac 1 portnum 1\nra a m " + ftoa(r1) + "\nrm m 0 " + ftoa(r2) + "\nrb m b " + ftoa(r1) +
		"\nv2 b 0 dc 0 portnum 2 z0 50\n.sp lin 2 1 100\n"
	res, err := runSPText(t, text)
	if err != nil {
		t.Fatal(err)
	}
	z11, z12 := r1+r2, r2
	det := z11*z11 - z12*z12
	checkSP(t, res, map[string]complex128{
		"s_1_1": 0, "s_2_2": 0, "s_2_1": 1 / k, "s_1_2": 1 / k,
		"z_1_1": complex(z11, 0), "z_1_2": complex(z12, 0), "z_2_1": complex(z12, 0), "z_2_2": complex(z11, 0),
		"y_1_1": complex(z11/det, 0), "y_1_2": complex(-z12/det, 0),
	}, 3e-14, 1)
}

// TestSPUnequalReferences: a series resistor R between ports of 50 and 75 ohms has
// S11 = (R + 75 - 50)/(R + 125), S22 = (R + 50 - 75)/(R + 125), S21 = S12 =
// 2 sqrt(50*75)/(R + 125) (power waves of unequal references), and Y = [1/R -1/R; -1/R 1/R].
func TestSPUnequalReferences(t *testing.T) {
	const r = 100.0
	res, err := runSPText(t, "t\nv1 a 0 portnum 1 z0 50\nr1 a b 100\nv2 b 0 portnum 2 z0 75\n.sp lin 1 1k 1k\n")
	if err != nil {
		t.Fatal(err)
	}
	s21 := 2 * math.Sqrt(50*75) / (r + 125)
	checkSP(t, res, map[string]complex128{
		"s_1_1": complex((r+25)/(r+125), 0), "s_2_2": complex((r-25)/(r+125), 0),
		"s_2_1": complex(s21, 0), "s_1_2": complex(s21, 0),
		"y_1_1": 1 / r, "y_1_2": -1 / r, "y_2_1": -1 / r, "y_2_2": 1 / r,
	}, 3e-14, 1)
}

// TestSPLowPassAnalytic: a shunt capacitor C between two 50-ohm ports: S11 = -jwCZ0 /
// (2 + jwCZ0), S21 = 2 / (2 + jwCZ0).
func TestSPLowPassAnalytic(t *testing.T) {
	const c, z0, f = 1e-9, 50.0, 3e6
	res, err := runSPText(t, "t\nv1 a 0 portnum 1\nc1 a 0 1n\nv2 a 0 portnum 2\n.sp lin 1 3meg 3meg\n")
	if err != nil {
		t.Fatal(err)
	}
	jwcz := complex(0, 2*math.Pi*f*c*z0)
	checkSP(t, res, map[string]complex128{"s_1_1": -jwcz / (2 + jwcz), "s_2_1": 2 / (2 + jwcz), "s_2_2": -jwcz / (2 + jwcz)}, 3e-14, 1)
}

// TestPortOtherAnalyses: in .op a port drives its + node through z0 from its DC value
// (v(in) = 0.5 into a matched load, v(v1#res) = 1), and in a transient with pwr its value
// is sqrt(4 z0 pwr) cos(2 pi freq t), as ngspice 39's (measured: agreement to 3e-17).
func TestPortOtherAnalyses(t *testing.T) {
	const text = "t\nv1 in 0 dc 1 ac 1 portnum 1 z0 50 pwr 1m freq 1meg\nr1 in 0 50\n.op\n.tran 10n 1u\n"
	op, err := runFirst(t, text, "op")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"v(in)": 0.5, "v(v1#res)": 1, "i(v1)": -0.01} {
		if v, ok := op.Vector(name); !ok || math.Abs(v[0]-want) > 1e-14 {
			t.Errorf(".op %s = %v, want %g", name, v, want)
		}
	}
	tr, err := runFirst(t, text, "tran")
	if err != nil {
		t.Fatal(err)
	}
	times, _ := tr.Vector("time")
	vin, _ := tr.Vector("v(in)")
	worst := 0.0
	for k, tm := range times {
		worst = math.Max(worst, math.Abs(vin[k]-math.Sqrt(50*1e-3)*math.Cos(2*math.Pi*1e6*tm)))
	}
	t.Logf("%d points, worst difference %.3g V", len(times), worst)
	if len(times) < 50 || worst > 1e-15 {
		t.Errorf("%d points, v(in) off the cosine by %.3g", len(times), worst)
	}
}

// TestSPErrors: ports must be numbered 1 to N, each once; port parameters belong to a
// voltage source with portnum; a .sp needs a port.
func TestSPErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"t\nv1 a 0 portnum 1\nr1 a 0 1\nv2 a 0 portnum 1\n.sp lin 1 1 1\n", "t.cir:4:1: .sp: v1 and v2 are both port 1"},
		{"t\nv1 a 0 portnum 1\nr1 a 0 1\nv2 a 0 portnum 3\n.sp lin 1 1 1\n", "t.cir:4:1: .sp: v2 is port 3, but there is no port 2"},
		{"t\nv1 a 0 1\nr1 a 0 1\n.sp lin 1 1 1\n", "t.cir:4:1: .sp: the circuit has no ports"},
		{"t\ni1 a 0 portnum 1\nr1 a 0 1\n.op\n", `t.cir:2:8: unexpected "portnum" in source "i1" (only a voltage source can be a port)`},
		{"t\nv1 a 0 z0 50\nr1 a 0 1\n.op\n", `source "v1" has port parameters (z0, pwr, freq) but no portnum`},
		{"t\nv1 a 0 portnum 0\nr1 a 0 1\n.op\n", `t.cir:2:8: portnum of "v1" must be a positive integer, got 0`},
		{"t\nv1 a 0 portnum 1 z0 -5\nr1 a 0 1\n.op\n", `z0 of "v1" must be positive, got -5`},
		{"t\nv1 a 0 portnum 1\nr1 a 0 1\n.sp lin 1 1\n", "missing fstop"},
	} {
		_, err := runSPOrBuild(t, c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

// runSPOrBuild builds the netlist and runs its .sp, if it has one.
func runSPOrBuild(t *testing.T, text string) (*Result, error) {
	t.Helper()
	sim, err := Parse("t.cir", text)
	if err != nil {
		return nil, err
	}
	for _, a := range sim.Analyses() {
		if a.Name() == "sp" {
			return sim.Collect(context.Background(), a)
		}
	}
	return nil, nil
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// TestSPNoiseAnalytic: with donoise, cy_i_j is the correlation of the ports'
// short-circuit noise currents: 4kT/R [1 -1; -1 1] for a resistor R between two ports
// (whatever their z0), and for one port into R1 then R2 || C to ground
// 4kT/R1 R1²/|R1+Zq|² + 4kT/R2 |Zq|²/|R1+Zq|², Zq = R2 || 1/(jwC), at 27 °C with
// ngspice's Boltzmann constant. Errors seen: 1.4e-16 relative.
func TestSPNoiseAnalytic(t *testing.T) {
	const kT4 = 4 * 1.38064852e-23 * 300.15
	res, err := runSPText(t, "t\nv1 a 0 portnum 1 z0 50\nr1 a b 100\nv2 b 0 portnum 2 z0 75\n.sp lin 2 1k 1meg 1\n")
	if err != nil {
		t.Fatal(err)
	}
	g := complex(kT4/100, 0)
	checkSP(t, res, map[string]complex128{"cy_1_1": g, "cy_1_2": -g, "cy_2_1": -g, "cy_2_2": g}, 2e-15, kT4/1e4)

	const r1, r2, c, f = 1e3, 2e3, 1e-9, 1e5
	res, err = runSPText(t, "t\nv1 a 0 portnum 1\nr1 a x 1k\nr2 x 0 2k\nc1 x 0 1n\n.sp lin 1 100k 100k 1\n")
	if err != nil {
		t.Fatal(err)
	}
	zq := 1 / complex(1/r2, 2*math.Pi*f*c)
	den := cmplx.Abs(complex(r1, 0)+zq) * cmplx.Abs(complex(r1, 0)+zq)
	want := kT4/r1*r1*r1/den + kT4/r2*cmplx.Abs(zq)*cmplx.Abs(zq)/den
	checkSP(t, res, map[string]complex128{"cy_1_1": complex(want, 0)}, 2e-15, kT4/1e4)
}

// TestSPNoiseFiguresAnalytic: the two-port noise figures of an L pad, R1 in series from
// port 1 to port 2 and R2 across port 2, both ports 50 ohms, worked by hand from
// ngspice 39's definitions (analysis.spNoiseFigures) with g1 = 1/R1, g2 = 1/R2:
// Y = [g1 -g1; -g1 g1+g2] and Cy = 4kT Y make Rn = (g1+g2)/g1² = R1 + R1²/R2 (the
// textbook's too), Ycor = g1 g2/(g1+g2), Gopt = sqrt(Ycor² + Ycor/Rn),
// Fmin = 1 + 2 Rn (Ycor + Gopt), F = Fmin + Rn/Gopt (Ys - Gopt)², Sopt =
// (Ys - Gopt)/(Ys + Gopt); with R1 = 100, R2 = 200: Rn = 150, Fmin = 2 + sqrt 3.
// None depends on the temperature, so .temp 60 checks only that it is passed on.
func TestSPNoiseFiguresAnalytic(t *testing.T) {
	res, err := runSPText(t, "t\nv1 a 0 portnum 1 z0 50\nr1 a b 100\nr2 b 0 200\nv2 b 0 portnum 2 z0 50\n.temp 60\n.sp lin 2 1k 1meg 1\n")
	if err != nil {
		t.Fatal(err)
	}
	const g1, g2, ys = 1.0 / 100, 1.0 / 200, 1.0 / 50
	rn := (g1 + g2) / (g1 * g1)
	ycor := g1 * g2 / (g1 + g2)
	gopt := math.Sqrt(ycor*ycor + ycor/rn)
	fmin := 1 + 2*rn*(ycor+gopt)
	if math.Abs(fmin-(2+math.Sqrt(3))) > 1e-12 {
		t.Fatalf("Fmin worked by hand %g, want 2+sqrt 3", fmin)
	}
	f := fmin + rn/gopt*(ys-gopt)*(ys-gopt)
	checkSP(t, res, map[string]complex128{
		"rn":    complex(rn, 0),
		"nfmin": complex(10*math.Log10(fmin), 0),
		"nf":    complex(10*math.Log10(f), 0),
		"sopt":  complex((ys-gopt)/(ys+gopt), 0),
	}, 1e-14, 0)
}
