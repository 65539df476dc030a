package netlists_test

import (
	"math"
	"math/cmplx"
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// ltraCases are the lossy lines cross-checked against ngspice 39.
var ltraCases = []crossCase{
	// The RC line takes the same steps in both and agrees to rounding: measured 3.9e-9.
	{"ltra_rc.cir", "tran", 4e-8, []string{"v(b)", "i(v1)"}},
	{"ltra_ac.cir", "op", 1e-9, []string{"v(a)", "v(b)", "v(c)", "v(d)", "i(v1)"}},
	// Measured 4.4e-13 (vm(d)); vp(d), the lossless line's phase, is the same modulo 360
	// degrees, which the two wrap at different frequencies.
	{"ltra_ac.cir", "ac", 5e-12, []string{"vm(b)", "vp(b)", "vm(c)", "vp(c)", "vm(d)"}},
}

func TestLTRAAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, ltraCases) }

// TestLTRATwoPort holds ltra_ac.cir to the exact line: with x = len sqrt((r + j w l)(g +
// j w c)) and z0 = sqrt((r + j w l)/(g + j w c)), a line loaded by zl and driven through
// rs gives v(out)/v(in) = zl / (cosh(x) zl + z0 sinh(x) + rs (sinh(x) zl / z0 + cosh(x))).
func TestLTRATwoPort(t *testing.T) {
	checkTwoPort(t, "ltra_ac.cir", []exactLine{
		{"b", 12.45, 8.972e-9, 0, 0.468e-12, 16, 50, 100},
		{"c", 100, 0, 0, 1e-10, 1, 0, 1e3},
		{"d", 0, 250e-9, 0, 100e-12, 1, 0, 75},
	}, 1e-14) // measured 7.5e-16
}

// exactLine is a line of an AC netlist with its exact answer: v(out) of a line of
// r, l, g, c per length, driven through rs and loaded by zl.
type exactLine struct {
	out                string
	r, l, g, c, length float64
	rs, zl             float64
}

// checkTwoPort holds the lines of the AC netlist at path to their exact answers within tol volts.
func checkTwoPort(t *testing.T, path string, lines []exactLine, tol float64) {
	t.Helper()
	tab, err := crosscheck.Gospice(path, "ac")
	if err != nil {
		t.Fatal(err)
	}
	for _, ln := range lines {
		worst := 0.0
		for i, f := range tab.Col("frequency") {
			w := 2 * math.Pi * f
			z, y := complex(ln.r, w*ln.l), complex(ln.g, w*ln.c)
			x := complex(ln.length, 0) * cmplx.Sqrt(z*y)
			z0 := cmplx.Sqrt(z / y)
			zl, rs := complex(ln.zl, 0), complex(ln.rs, 0)
			want := zl / (cmplx.Cosh(x)*zl + z0*cmplx.Sinh(x) + rs*(cmplx.Sinh(x)*zl/z0+cmplx.Cosh(x)))
			got := cmplx.Rect(tab.Col("vm(" + ln.out + ")")[i], tab.Col("vp(" + ln.out + ")")[i]*math.Pi/180)
			worst = math.Max(worst, cmplx.Abs(got-want))
		}
		t.Logf("v(%s): worst |gospice - exact| %.3g V", ln.out, worst)
		if worst > tol {
			t.Errorf("v(%s) off the exact line by %.3g V", ln.out, worst)
		}
	}
}

// TestLTRARCStep holds ltra_rc.cir to the semi-infinite RC line: a step of 1 V at its
// input gives v = erfc(x sqrt(rc) / 2 sqrt(t)) at x and an input current sqrt(c/(pi r t)).
// The source rises in 1 ps, which the exact answers take as a step at 0.5 ps.
func TestLTRARCStep(t *testing.T) {
	tab, err := crosscheck.Gospice("ltra_rc.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	const r, c, x = 100, 1e-10, 1
	times := tab.Col("time")
	var worstV, worstI float64
	for _, when := range []float64{2e-9, 5e-9, 10e-9, 20e-9, 50e-9, 100e-9} {
		s := when - 0.5e-12
		v := crosscheck.Interpolate(times, tab.Col("v(b)"), when)
		i := -crosscheck.Interpolate(times, tab.Col("i(v1)"), when)
		wantV := math.Erfc(x * math.Sqrt(r*c) / (2 * math.Sqrt(s)))
		wantI := math.Sqrt(c / (math.Pi * r * s))
		t.Logf("t = %g: v(b) %.7g (erfc %.7g), input current %.7g (%.7g)", when, v, wantV, i, wantI)
		worstV = math.Max(worstV, math.Abs(v-wantV))
		worstI = math.Max(worstI, math.Abs(i-wantI)/wantI)
	}
	// Measured 1.2e-3 and 8.5e-5. v(b) converges as the square root of the step (4.6e-4
	// at 0.02 ns steps): the input current, one of the signals the convolutions take as
	// piecewise linear, goes as 1/sqrt(t) from the step on.
	if worstV > 1.2e-2 || worstI > 1e-3 {
		t.Errorf("v(b) off the erfc by %.3g V, the input current by %.3g of itself", worstV, worstI)
	}
}

// TestLTRARLCConverged holds ltra_rlc.cir's default run to its converged one (a 2 ps
// largest step), and ngspice's converged run to gospice's. The default runs differ by
// 0.4% of v(b)'s swing at 12 ns: ngspice's default is the one off, as its answer moves
// towards gospice's as its step shrinks (by 9e-5, then 2e-5 of the swing at 2 ps and
// 1 ps steps, first order in the step), where gospice's moves by 5e-6.
func TestLTRARLCConverged(t *testing.T) {
	checkConverged(t, "ltra_rlc.cir", ".tran 0.02n 12n", ".tran 0.02n 12n 0 2p", []string{"v(a)", "v(b)", "i(v1)"},
		6e-3, // measured 6.2e-4 (v(b))
		2e-2) // measured 2.0e-3 (v(b), on the arriving edge)
}

// checkConverged holds the transient of the netlist at path to its converged run, the
// netlist with its .tran line from replaced by to, within defaultTol of each vector's
// swing; and, where ngspice is installed, ngspice's converged run to gospice's within
// ngspiceTol.
func checkConverged(t *testing.T, path, from, to string, vecs []string, defaultTol, ngspiceTol float64) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fine := strings.Replace(string(src), from, to, 1)
	want, err := crosscheck.RunText(fine, "tran")
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.Gospice(path, "tran")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := crosscheck.CompareAtReference(got, want, vecs, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("default run against the converged one: %v", m)
		if m.Relative() > defaultTol {
			t.Errorf("%v", m)
		}
	}
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check")
	}
	ref, err := crosscheck.NgspiceText(fine, ".", "tran", vecs)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("ngspice's converged run against gospice's:")
	checkClose(t, ref, want, vecs, ngspiceTol)
}
