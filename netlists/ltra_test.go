package netlists_test

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// ltraCases are the lossy lines cross-checked against ngspice 39.
var ltraCases = []crossCase{
	{"ltra_ac.cir", "op", 1e-9, []string{"v(a)", "v(b)", "v(c)", "v(d)", "i(v1)"}},
	{"ltra_ac.cir", "ac", 1e-6, []string{"vm(b)", "vp(b)", "vm(c)", "vp(c)", "vm(d)", "vp(d)"}},
	{"ltra_rlc.cir", "tran", 2e-3, []string{"v(a)", "v(b)"}},
}

func TestLTRAAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, ltraCases) }

// TestLTRATwoPort holds ltra_ac.cir to the exact line: with x = len sqrt((r + j w l)(g +
// j w c)) and z0 = sqrt((r + j w l)/(g + j w c)), a line loaded by zl and driven through
// rs gives v(out)/v(in) = zl / (cosh(x) zl + z0 sinh(x) + rs (sinh(x) zl / z0 + cosh(x))).
func TestLTRATwoPort(t *testing.T) {
	tab, err := crosscheck.Gospice("ltra_ac.cir", "ac")
	if err != nil {
		t.Fatal(err)
	}
	lines := []struct {
		out             string
		r, l, c, length float64
		rs, zl          float64
	}{
		{"b", 12.45, 8.972e-9, 0.468e-12, 16, 50, 100},
		{"c", 100, 0, 1e-10, 1, 0, 1e3},
		{"d", 0, 250e-9, 100e-12, 1, 0, 75},
	}
	for _, ln := range lines {
		worst := 0.0
		for i, f := range tab.Col("frequency") {
			w := 2 * math.Pi * f
			z, y := complex(ln.r, w*ln.l), complex(0, w*ln.c)
			x := complex(ln.length, 0) * cmplx.Sqrt(z*y)
			z0 := cmplx.Sqrt(z / y)
			zl, rs := complex(ln.zl, 0), complex(ln.rs, 0)
			want := zl / (cmplx.Cosh(x)*zl + z0*cmplx.Sinh(x) + rs*(cmplx.Sinh(x)*zl/z0+cmplx.Cosh(x)))
			got := cmplx.Rect(tab.Col("vm(" + ln.out + ")")[i], tab.Col("vp(" + ln.out + ")")[i]*math.Pi/180)
			worst = math.Max(worst, cmplx.Abs(got-want))
		}
		t.Logf("v(%s): worst |gospice - exact| %.3g V", ln.out, worst)
		if worst > 1e-12 { // measured 1e-15
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
	if worstV > 1e-3 || worstI > 1e-3 {
		t.Errorf("v(b) off the erfc by %.3g V, the input current by %.3g of itself", worstV, worstI)
	}
}
