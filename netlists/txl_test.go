package netlists_test

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// txlCases are the TXL lines cross-checked against ngspice 39.
var txlCases = []crossCase{
	// Measured 5.2e-2 (v(b), on the arriving edge at 1.24 ns): ngspice's default run is
	// the one off (TestTXLConverged).
	{"txl_rlc.cir", "tran", 0.1, []string{"v(a)", "v(b)", "v(c)", "v(d)", "i(v1)"}},
}

func TestTXLAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, txlCases) }

// TestTXLConverged holds txl_rlc.cir's default run to its converged one (a 2 ps largest
// step), and ngspice's converged run to gospice's. They differ by 0.8% of v(a)'s swing
// at 12 ns, where gospice's v(a) has reached the DC answer 299/349 V (within 1e-7) and
// ngspice's TXL is 0.0067 V above it; TestTXLAgainstNgspiceLTRA shows ngspice's own
// exact line (its LTRA) agreeing with gospice's.
func TestTXLConverged(t *testing.T) {
	checkConverged(t, "txl_rlc.cir", ".tran 0.02n 12n", ".tran 0.02n 12n 0 2p", []string{"v(a)", "v(b)", "v(c)", "v(d)", "i(v1)"},
		6e-3, // measured 6.1e-4 (v(b))
		4e-2) // measured 1.3e-2 (i(v1) at 12 ns)
}

// TestTXLAgainstNgspiceLTRA runs the RLC lines of txl_rlc.cir and txl_open.cir in
// ngspice as its LTRA (O), the line's exact convolution, and holds gospice's TXL to it:
// both converged (2 ps steps). ngspice's own TXL is further off: with 2 ps steps its
// v(b) in txl_open.cir is 5.077 V at 16 ns, where the line has settled to the source's
// 5 V (ngspice's LTRA: 4.99982 V).
func TestTXLAgainstNgspiceLTRA(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check")
	}
	for _, c := range []struct {
		path, tran, fine, line, asO string
		vecs                        []string
		tol                         float64
	}{
		{"txl_rlc.cir", ".tran 0.02n 12n", ".tran 0.02n 12n 0 2p", "y1 a 0 b 0 rlc", "o1 a 0 b 0 rlco",
			[]string{"v(a)", "v(b)"}, 2e-2}, // measured 1.9e-3 (v(b), on the arriving edge)
		{"txl_open.cir", ".tran 0.2n 16n", ".tran 0.2n 16n 0 2p", "y1 b 0 a 0 rlc", "o1 b 0 a 0 rlco",
			[]string{"v(b)"}, 5e-3}, // measured 5.7e-4 (v(b), on the arriving edge)
	} {
		t.Run(c.path, func(t *testing.T) {
			src, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			fine := strings.Replace(string(src), c.tran, c.fine, 1)
			want, err := crosscheck.RunText(fine, "tran")
			if err != nil {
				t.Fatal(err)
			}
			asLTRA := strings.NewReplacer(c.line, c.asO,
				".model rlc txl", ".model rlco ltra r=12.45 l=8.972e-9 c=0.468e-12 len=16\n.model rlc txl").Replace(fine)
			ref, err := crosscheck.NgspiceText(asLTRA, ".", "tran", c.vecs)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, ref, want, c.vecs, c.tol)
		})
	}
}

// TestTXLDistortionless holds txl_distortionless.cir to its exact answer: a line with
// r/l = g/c, loaded by its z0 = sqrt(l/c), gives at its far end the input delayed by td
// and attenuated by exp(-(r/l) td), and takes the input current v(a)/z0.
func TestTXLDistortionless(t *testing.T) {
	tab, err := crosscheck.Gospice("txl_distortionless.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	const z0, td, att = 50, 1e-9, 0.1
	in := func(s float64) float64 { // the PWL source
		return crosscheck.Interpolate([]float64{0, 0.1e-9, 0.6e-9, 3e-9, 3.5e-9}, []float64{0, 0, 1, 1, 0.2}, s)
	}
	var worstV, worstI float64
	for i, now := range tab.Col("time") {
		worstV = math.Max(worstV, math.Abs(tab.Col("v(b)")[i]-math.Exp(-att)*in(now-td)))
		worstI = math.Max(worstI, math.Abs(tab.Col("i(y1#branch1)")[i]-in(now)/z0))
	}
	t.Logf("v(b) off the exact answer by %.3g V, the input current by %.3g A", worstV, worstI)
	if worstV > 1e-14 || worstI > 1e-16 { // measured 5.6e-16 V, 8.7e-18 A
		t.Errorf("v(b) off the exact answer by %.3g V, the input current by %.3g A", worstV, worstI)
	}
}

// cplCases are the coupled lines cross-checked against ngspice 39.
var cplCases = []crossCase{
	// Measured 6.8e-2 (v(v4), the quiet line's crosstalk, at 6.8 ns): ngspice's default
	// run is the one off (its converged run is within 0.4% of gospice's, TestCPLConverged).
	{"cpl_pair.cir", "tran", 0.15, []string{"v(v1)", "v(v2)", "v(v3)", "v(v4)", "i(ves)"}},
}

func TestCPLAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, cplCases) }

// TestCPLConverged holds cpl_pair.cir's default run to its converged one (a 5 ps largest
// step), and ngspice's converged run to gospice's.
func TestCPLConverged(t *testing.T) {
	checkConverged(t, "cpl_pair.cir", ".tran 0.1n 20n", ".tran 0.1n 20n 0 5p", []string{"v(v1)", "v(v2)", "v(v3)", "v(v4)", "i(ves)"},
		3e-2, // measured 3.1e-3 (v(v4))
		3e-2) // measured 3.9e-3 (v(v4))
}

// TestTXLTwoPort holds txl_ac.cir's RLGC line to the exact two-port (ngspice 39's TXL
// has no frequency dependence in AC: docs/lines.md).
func TestTXLTwoPort(t *testing.T) {
	checkTwoPort(t, "txl_ac.cir", []exactLine{{"b", 12.45, 8.972e-9, 1e-3, 0.468e-12, 16, 50, 100}}, 1e-15) // measured 6.7e-17
}

// TestCPLNonCommutingDC holds a coupled line whose L and C do not commute (so that its
// modal resistance has off-diagonal parts) to its exact operating point: at DC the line is
// its series resistance R length, here 2 ohm on each conductor and no coupling, so the
// driven conductor's far end is at 10/12 V and the quiet conductor carries nothing.
func TestCPLNonCommutingDC(t *testing.T) {
	tab := crosscheck.MustRun(t, `non-commuting coupled line at DC
v1 a 0 1
p1 a c 0 b d 0 pm
rb b 0 10
rc c 0 10
rd d 0 10
.model pm cpl r=2 0 2 l=1e-7 0.5e-7 0.8e-7 c=1e-12 -0.2e-12 0.6e-12 length=1
.op
.end
`, "op")
	worst := 0.0
	for _, w := range []struct {
		vec  string
		want float64
	}{{"v(b)", 10.0 / 12}, {"v(c)", 0}, {"v(d)", 0}} {
		worst = math.Max(worst, math.Abs(tab.Col(w.vec)[0]-w.want))
	}
	t.Logf("off the exact operating point by %.3g V", worst)
	if worst > 2e-11 { // measured 1.4e-12 (gmin), 2.3e-2 with the off-diagonal modal r left out
		t.Errorf("off the exact operating point by %.3g V", worst)
	}
}

// TestCPLNonCommutingLadder holds a lossy coupled pair whose L and C do not commute to
// the same line as a ladder of 200 pi sections (series r and l, the l coupled by k, the
// c's to ground and between the conductors), an independent answer: 100 sections are
// within 0.45% of the swing of 200.
func TestCPLNonCommutingLadder(t *testing.T) {
	const head = `non-commuting lossy pair
v1 in 0 pulse(0 1 0 0.2n 0.2n 3n 100n)
r1 in a 50
rb b 0 100
rc c 0 100
rd d 0 100
.tran 0.01n 10n 0 2p
`
	line := "p1 a c 0 b d 0 pm\n.model pm cpl r=20 0 20 l=1e-7 0.5e-7 0.8e-7 c=1e-12 -0.2e-12 0.6e-12 length=1\n"
	lad := cplLadder([][]float64{{20, 0}, {0, 20}}, [][]float64{{1e-7, 0.5e-7}, {0.5e-7, 0.8e-7}},
		[][]float64{{1e-12, -0.2e-12}, {-0.2e-12, 0.6e-12}}, 1, 200, [2][]string{{"a", "c"}, {"b", "d"}})
	vecs := []string{"v(b)", "v(c)", "v(d)"}
	want := crosscheck.MustRun(t, head+lad+".end\n", "tran")
	got := crosscheck.MustRun(t, head+line+".end\n", "tran")
	ms, err := crosscheck.CompareAtReference(got, want, vecs, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("CPL against the ladder: %v", m)
		// measured 6.3e-3 (v(d)), 6.2e-2 with the off-diagonal modal r left out: three
		// times what was measured, for ten times would not tell the two apart
		if m.Relative() > 2e-2 {
			t.Errorf("%v", m)
		}
	}
}

// TestCPLSixConductorLadder holds the six lines of ngspice's cpl_ibm1.sp (an L and a C
// that do not commute, 0.2 ohm/m on each conductor), conductor 0 driven through 50 ohm
// and every other end loaded by 100 ohm, to a ladder of 200 sections of the same line
// (100 sections are within 2.0e-3 of the swing of 200). On cpl_ibm1.sp itself, with its
// ECL drivers and two open conductors, a 400-section ladder is the reference
// (docs/lines.md): gospice's CPL is within 0.44% of the swing of it, ngspice's 2.1%.
func TestCPLSixConductorLadder(t *testing.T) {
	if testing.Short() {
		t.Skip("a 200-section ladder of six conductors: skipped in -short")
	}
	c := [][]float64{
		{0.900000e-12, -0.657947e-12, -0.0767356e-12, -0.0536544e-12, -0.0386514e-12, -0.0523990e-12},
		{0, 1.388730e-12, -0.607034e-12, -0.0597635e-12, -0.0258851e-12, -0.0273442e-12},
		{0, 0, 1.39328e-12, -0.625675e-12, -0.0425551e-12, -0.0319791e-12},
		{0, 0, 0, 1.07821e-12, -0.255048e-12, -0.0715824e-12},
		{0, 0, 0, 0, 1.06882e-12, -0.692091e-12},
		{0, 0, 0, 0, 0, 0.900000e-12}}
	l := [][]float64{
		{0.868493e-7, 0.781712e-7, 0.748428e-7, 0.728358e-7, 0.700915e-7, 0.692178e-7},
		{0, 0.866074e-7, 0.780613e-7, 0.748122e-7, 0.711591e-7, 0.701023e-7},
		{0, 0, 0.865789e-7, 0.781095e-7, 0.725431e-7, 0.711986e-7},
		{0, 0, 0, 0.867480e-7, 0.744242e-7, 0.725826e-7},
		{0, 0, 0, 0, 0.868022e-7, 0.782377e-7},
		{0, 0, 0, 0, 0, 0.868437e-7}}
	r := make([][]float64, 6)
	for i := range r {
		r[i] = make([]float64, 6)
		r[i][i] = 0.2
		for j := range i { // the upper triangles above, made whole
			c[i][j], l[i][j] = c[j][i], l[j][i]
		}
	}
	ends := [2][]string{{"1", "2", "3", "4", "5", "6"}, {"7", "8", "9", "10", "11", "12"}}
	head := "six coupled lines of cpl_ibm1.sp\nv1 in 0 pulse(0 1 0.2n 1n 1n 5n 100n)\nr1 in 1 50\n"
	for _, node := range append(ends[0][1:], ends[1]...) {
		head += fmt.Sprintf("r%s %s 0 100\n", node, node)
	}
	const tran = ".tran 0.01n 10n 0 5p\n"
	line := "p1 1 2 3 4 5 6 0 7 8 9 10 11 12 0 pm\n.model pm cpl r=" + upperTriangle(r) +
		" l=" + upperTriangle(l) + " c=" + upperTriangle(c) + " g=" + upperTriangle(make([][]float64, 6)) + " length=2\n"
	lad := cplLadder(r, l, c, 2, 200, ends)
	vecs := []string{"v(1)", "v(2)", "v(3)", "v(4)", "v(5)", "v(6)", "v(7)", "v(8)", "v(9)", "v(10)", "v(11)", "v(12)"}
	want := crosscheck.MustRun(t, head+lad+".options reltol=1e-6 abstol=1e-15 vntol=1e-12\n"+tran+".end\n", "tran")
	got := crosscheck.MustRun(t, head+line+tran+".end\n", "tran")
	ms, err := crosscheck.CompareAtReference(got, want, vecs, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("CPL against the ladder: %v", m)
		if m.Relative() > 5e-2 { // measured 4.8e-3 (v(10), the far end of a quiet line)
			t.Errorf("%v", m)
		}
	}
}

// cplLadder is a coupled line of per-length r, l, c (full symmetric matrices; r diagonal)
// and the given length as a ladder of pi sections: each conductor's series r and l
// (the l's of a section coupled by k), half a section's capacitances at the ends, the
// capacitances to ground (C's row sums) and between conductors (-C's off-diagonal) at
// every node. ends names each end's conductors; the inner nodes are n<conductor>_<section>.
func cplLadder(r, l, c [][]float64, length float64, sections int, ends [2][]string) string {
	n := len(l)
	dx := length / float64(sections)
	node := func(cond, s int) string {
		switch s {
		case 0:
			return ends[0][cond]
		case sections:
			return ends[1][cond]
		}
		return fmt.Sprintf("n%d_%d", cond, s)
	}
	var b strings.Builder
	for s := range sections {
		for i := range n {
			fmt.Fprintf(&b, "r%d_%d %s m%d_%d %.15g\n", i, s, node(i, s), i, s, r[i][i]*dx)
			fmt.Fprintf(&b, "l%d_%d m%d_%d %s %.15g\n", i, s, i, s, node(i, s+1), l[i][i]*dx)
			for j := range i {
				fmt.Fprintf(&b, "k%d_%d_%d l%d_%d l%d_%d %.15g\n", j, i, s, j, s, i, s, l[i][j]/math.Sqrt(l[i][i]*l[j][j]))
			}
		}
	}
	for s := 0; s <= sections; s++ {
		w := dx
		if s == 0 || s == sections {
			w /= 2
		}
		for i := range n {
			ground := 0.0
			for j := range n {
				ground += c[i][j]
			}
			fmt.Fprintf(&b, "cg%d_%d %s 0 %.15g\n", i, s, node(i, s), ground*w)
			for j := range i {
				fmt.Fprintf(&b, "cm%d_%d_%d %s %s %.15g\n", j, i, s, node(j, s), node(i, s), -c[i][j]*w)
			}
		}
	}
	return b.String()
}

// upperTriangle writes a symmetric matrix as a CPL model takes it: its upper triangle,
// row by row.
func upperTriangle(m [][]float64) string {
	var parts []string
	for i := range m {
		for j := i; j < len(m); j++ {
			v := 0.0
			if m[i] != nil {
				v = m[i][j]
			}
			parts = append(parts, fmt.Sprintf("%.15g", v))
		}
	}
	return strings.Join(parts, " ")
}
