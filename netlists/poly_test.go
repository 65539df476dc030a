package netlists_test

import (
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// polyVectors are the outputs of poly_sources.cir: POLY(1), POLY(2) and POLY(3) of E, G,
// F and H. (ngspice names the branch of a POLY E "a$poly$e1#branch_1_0", so i(e1) is not
// compared.)
var polyVectors = []string{"v(o1)", "v(o2)", "v(o3)", "v(g1)", "v(g2)", "v(g3)", "v(f1)", "v(f2)", "v(f3)",
	"v(h1)", "v(h2)", "v(h3)"}

// polyCases cross-check the POLY(n) controlled sources against ngspice 39, which reads
// them as XSPICE poly code models. The operating point and the AC magnitudes (the partial
// derivatives of each polynomial at it) agree to rounding. In the .dc sweep and the
// transient ngspice stops Newton one iteration early, at its reltol: 4.1e-4 of the swing
// off in .dc (v(h3) at V1 = 2 is 2.423525 in ngspice, 2.425 exactly, the value gospice
// gives and ngspice gives with reltol=1e-9), 4.4e-4 in the transient.
// TestPolyExact holds gospice to the polynomials written out.
var polyCases = []crossCase{
	{"poly_sources.cir", "op", 1e-12, polyVectors},
	{"poly_sources.cir", "dc", 4e-3, polyVectors},
	{"poly_sources.cir", "tran", 4e-3, polyVectors},
	{"poly_sources.cir", "ac", 1e-12, []string{"vm(o1)", "vm(o2)", "vp(o2)", "vm(o3)", "vm(g1)", "vm(g2)", "vm(g3)",
		"vm(f1)", "vm(f2)", "vm(f3)", "vm(h1)", "vm(h2)", "vm(h3)"}},
}

func TestPolyAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, polyCases) }

// TestPolyExact checks every point of the .dc sweep and the transient of
// poly_sources.cir against its polynomials written out term by term, in SPICE2's
// order, from the inputs v(in), v(in2), v(n3) and the sensed currents they drive.
func TestPolyExact(t *testing.T) {
	for _, kind := range []string{"dc", "tran"} {
		tab, err := crosscheck.Gospice("poly_sources.cir", kind)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for r := 0; r < tab.Len(); r++ {
			x1, x2, x3 := tab.Col("v(in)")[r], tab.Col("v(in2)")[r], tab.Col("v(n3)")[r]
			ia, ib, ic := x1/1e3, x2/2e3, x3/500
			want := map[string]float64{
				"v(o1)": 0.1 + 2*x1 + 0.5*x1*x1,
				"v(o2)": 0.1 + x1 - x2 + 0.5*x1*x1 + 0.2*x1*x2 + 0.3*x2*x2,
				"v(o3)": x1 + x2 + x3 + 0.1*x1*x1 + 0.2*x1*x2 + 0.3*x1*x3 + 0.4*x2*x2 + 0.5*x2*x3 + 0.6*x3*x3 +
					0.05*x1*x1*x1 + 0.02*x1*x1*x2,
				"v(g1)": 1 + 2*x1 + 0.5*x1*x1,
				"v(g2)": 0.1 + x1 - x2 + 0.5*x1*x1 + 0.2*x1*x2 + 0.3*x2*x2,
				"v(g3)": x1 + x2 + x3 + 0.1*x1*x1 + 0.2*x1*x2 + 0.3*x1*x3 + 0.4*x2*x2 + 0.5*x2*x3 + 0.6*x3*x3 +
					0.05*x1*x1*x1,
				"v(f1)": 1e3 * (1e-3 + 2*ia + 500*ia*ia),
				"v(f2)": 1e3 * (ia - 2*ib + 300*ia*ia + 200*ia*ib - 100*ib*ib),
				"v(f3)": 1e3 * (1e-4 + ia + ib + ic + 100*ia*ia + 200*ic*ic),
				"v(h1)": 0.1 + 1e3*ia + 1e5*ia*ia,
				"v(h2)": 1e3*ia + 1e3*ib + 1e5*ia*ia - 1e5*ia*ib + 1e5*ib*ib,
				"v(h3)": 500*(ia+ib+ic) + 1e8*ia*ia*ia,
			}
			for name, w := range want {
				got := tab.Col(name)[r]
				if d := math.Abs(got - w); d > 1e-13 {
					t.Errorf("%s %s row %d: got %.12g, want %.12g", kind, name, r, got, w)
				} else {
					worst = math.Max(worst, d)
				}
			}
		}
		t.Logf("%s: %d points, worst difference %.3g V (tolerance 1e-13)", kind, tab.Len(), worst)
	}
}
