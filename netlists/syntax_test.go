package netlists

import (
	"math"
	"slices"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// TestTolerantSyntaxAgainstNgspice runs the model and element forms ngspice 39 accepts
// beyond name=value lists (parser/tolerate.go) through both simulators: that each reads
// the same numbers is what the cases check (a diode at 0.7 V is 5.67 mA with is=1e-14,
// 0.567 A with is=1e-12 and 0.753 uA with is=1e-12 n=2, so a value taken from the wrong
// place shows by orders of magnitude).
func TestTolerantSyntaxAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	cases := []struct{ name, lines string }{
		{"repeated model parameter", "D1 a 0 dm\n.model dm d is=1e-14 is=1e-12"},
		{"no equals sign", "D1 a 0 dm\n.model dm d is 1e-12 n 2"},
		{"nested parentheses", "D1 a 0 dm\n.model dm d ((is=1e-12 n=2))"},
		{"value in parentheses", "D1 a 0 dm\n.model dm d is=(1e-12)"},
		{"stray value", "D1 a 0 dm\n.model dm d is=1e-12 .00 n=2"},
		{"repeated element parameter", "R1 a 0 1k m=1 m=2"},
		{"repeated value", "R1 a 0 1k 2k"},
		{"value after model", "R1 a 0 rm 1k\n.model rm r rsh=1"},
		{"sqr and arctan", ".param p={1k*(sqr(0.5)+arctan(0.5))}\nR1 a 0 {p}"},
		{"comparisons with zero", "R1 a 0 1k\nB1 a 0 i=1m*(ge0(v(a))+2*lt0(v(a)-1)+4*gt0(v(a)-2)+8*ne0(v(a))+16*le0(v(a)))"},
		{"if with =", ".param x=2\n.if (x = 1)\nR1 a 0 1k\n.elseif (x = 2)\nR1 a 0 2k\n.endif"},
		{"value without equals", "E1 b 0 VALUE {v(a)*2}\nR1 b a 1k"},
		{"table with unclosed parentheses", "G1 a 0 TABLE {v(a)} ((0,0)((1,1m)(2,3m))"},
		{"poly coefficients in parentheses", "Vx b 0 0\nR2 a b 1k\nF1 a 0 POLY(1) Vx (1m,2)"},
		{"micro sign", "R1 a 0 1k\nI1 0 a 2µA"},
		{"model with a stray parenthesis", "D1 a 0 dm\n.model dm d (is=1e-12)\n+ n=2)"},
		{"several temperatures", "D1 a 0 dm\n.model dm d is=1e-14\n.temp 40\n.temp 50 75"},
		{"pwl function", "B1 b 0 v=pwl(v(a), -10,-8, 0.5,4, 12,9)\nR1 b a 1k"},
		{"pwl function, Newton through it", "R1 a c 1k\nB1 c 0 i=pwl(v(c), -1,-1m, 0,0, 0.2,1m, 1,10m)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			deck := "tolerant syntax\nV1 a 0 0.7\n" + c.lines + "\n.op\n.end\n"
			want := crosscheck.MustNgspice(t, deck, "op", []string{"i(v1)"})
			got := crosscheck.MustRun(t, deck, "op")
			w, g := want.Col("i(v1)"), got.Col("i(v1)")
			if len(w) != 1 || len(g) != 1 {
				t.Fatalf("i(v1): ngspice %v (%q), gospice %v (%q)", w, want.Names, g, got.Names)
			}
			rel := math.Abs(g[0]-w[0]) / math.Abs(w[0])
			t.Logf("i(v1): ngspice %.9g, gospice %.9g (relative difference %.2g)", w[0], g[0], rel)
			if rel > 1e-6 {
				t.Errorf("i(v1) = %g, ngspice %g", g[0], w[0])
			}
		})
	}
}

// TestICInsideSubcktAgainstNgspice: an .ic inside a .subckt sets the instance's node, in
// both simulators (ngspice 39 reads v(q) inside x1 as v(x1.q)).
func TestICInsideSubcktAgainstNgspice(t *testing.T) {
	deck := "ic in subckt\nV1 a 0 2\n.subckt s p\nR1 p q 1k\nC1 q 0 1u\n.ic v(q)=0.5\n.ends\nX1 a s\n" +
		".tran 10u 2m uic\n.end\n"
	want := crosscheck.MustNgspice(t, deck, "tran", []string{"v(x1.q)"})
	got := crosscheck.MustRun(t, deck, "tran")
	ms, err := crosscheck.Compare(want, got, []string{"v(x1.q)"}, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("%v", m)
	}
	if q := got.Col("v(x1.q)"); len(q) == 0 || math.Abs(q[0]-0.5) > 1e-3 {
		t.Errorf("v(x1.q) starts at %v, want 0.5", q)
	}
}

// tolSPICE2 bounds the difference of the two simulators on SPICE2's source forms, as a
// fraction of the swing: all six agree to rounding (at most 6.7e-16 of the swing
// measured, logged), both simulators landing on the same points.
const tolSPICE2 = 1e-14

// TestSPICE2SourcesAgainstNgspice: SPICE2's source forms (parser/source_forms.go), each
// run by both simulators: the waveform in parentheses, PWL's points in pairs, DC with no
// number before a waveform.
func TestSPICE2SourcesAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	for _, src := range []string{
		"0 (PULSE 0 1 1n 1n 1n 5n 10n)",
		"0 PWL (0 0) (2n 1) (4n 0.5)",
		"0 PWL((0 0) (2n 1) (4n 0.5))",
		"(PWL 0 0 2n 1 4n 0.5)",
		"DC PWL(0 0 2n 1 4n 0.5)",
		"0.5 (SIN 0.5 1 100meg) (AC 1)",
	} {
		t.Run(src, func(t *testing.T) {
			deck := "spice2 sources\nV1 a 0 " + src + "\nR1 a 0 1k\n.tran 0.1n 12n\n.end\n"
			want := crosscheck.MustNgspice(t, deck, "tran", []string{"v(a)"})
			got := crosscheck.MustRun(t, deck, "tran")
			ms, err := crosscheck.Compare(want, got, []string{"v(a)"}, 1e-9)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				t.Logf("%v (%d points of ngspice)", m, want.Len())
				if m.Relative() > tolSPICE2 {
					t.Errorf("%v", m)
				}
			}
		})
	}
}

// tolProbe: measured 0.086% of the swing for i(d1), 0.015% for i(r1), at 2.01 us, at
// the end of the pulse's rise, where the two simulators' steps differ; v(b), which
// .probe does not touch, is 0.010% off there too.
const tolProbe = 1e-2

// TestProbeAgainstNgspice: .probe i(r1) i(d1) adds the currents of a resistor and a diode
// to the default vectors, in ngspice 39 (which writes them as i(r1), i(d1), from the
// first node through the device) and in gospice; a transient, so that every point counts.
func TestProbeAgainstNgspice(t *testing.T) {
	deck := "probe\nV1 a 0 pulse(0 1 1u 1u 1u 5u 20u)\nR1 a b 1k\nR2 b 0 2k\nD1 b 0 dm\n.model dm d\n" +
		".probe i(r1) i(d1)\n.tran 0.1u 20u\n.end\n"
	vecs := []string{"i(r1)", "i(d1)", "v(b)"}
	want := crosscheck.MustNgspice(t, deck, "tran", vecs)
	got := crosscheck.MustRun(t, deck, "tran")
	for _, v := range vecs {
		if got.Col(v) == nil || want.Col(v) == nil {
			t.Fatalf("%s: gospice has %q, ngspice %q", v, got.Names, want.Names)
		}
	}
	ms, err := crosscheck.Compare(want, got, vecs, 1e-9)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("%v", m)
		if m.Relative() > tolProbe {
			t.Errorf("%v", m)
		}
	}
}

// tolProbeDevices: measured 0.116% of the swing (m1:power, at the rising edge at 16 ns;
// 0.486% with a largest step four times as long: the steps', not .probe's, error).
const tolProbeDevices = 1e-2

// TestProbeDevicesAgainstNgspice: .probe alli, vd() and p() in a transient of a MOSFET,
// a diode, a switch, capacitors and a subcircuit (netlists/probe_devices.cir): every
// terminal current, named as ngspice 39 names them (i(m1:d) is its m1:d#branch), the
// voltage differences and the powers, against ngspice's at its points.
func TestProbeDevicesAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	// ngspice's vector of each of gospice's.
	names := [][2]string{
		{"i(rin)", "rin#branch"}, {"i(cg)", "cg#branch"}, {"i(m1:d)", "m1:d#branch"},
		{"i(m1:g)", "m1:g#branch"}, {"i(m1:s)", "m1:s#branch"}, {"i(m1:b_tj)", "m1:b_tj#branch"},
		{"i(rl)", "rl#branch"}, {"i(cl)", "cl#branch"}, {"i(d1)", "d1#branch"},
		{"i(s1)", "s1#branch"}, {"i(rs)", "rs#branch"}, {"i(rlo)", "rlo#branch"}, {"i(x1:a)", "x1:a#branch"},
		{"i(x1:b)", "x1:b#branch"}, {"i(x1:c)", "x1:c#branch"},
		{"v(vd_rl)", "vd_rl"}, {"v(vd_m1:d:s)", "vd_m1:d:s"}, {"v(vd_out:mid)", "vd_out:mid"},
		{"m1:power", "m1:power"}, {"rl:power", "rl:power"}, {"x1:power", "x1:power"},
		{"s1:power", "s1:power"}, {"d1:power", "d1:power"},
	}
	checkProbesAgainstNgspice(t, "probe_devices.cir", names, tolProbeDevices)
}

// checkProbesAgainstNgspice compares a transient's .probe vectors with ngspice 39's,
// each pair of names gospice's and then ngspice's (its plot's: m1:d#branch), within tol
// of each vector's swing.
func checkProbesAgainstNgspice(t *testing.T, path string, names [][2]string, tol float64) {
	t.Helper()
	var ours, theirs []string
	for _, n := range names {
		ours, theirs = append(ours, n[0]), append(theirs, n[1])
	}
	want, err := crosscheck.Ngspice(path, "tran", theirs)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range want.Names {
		if k := slices.Index(theirs, n); k >= 0 {
			want.Names[i] = ours[k]
		}
	}
	got, err := crosscheck.Gospice(path, "tran")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := crosscheck.Compare(want, got, ours, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for _, m := range ms {
		t.Logf("%v", m)
		if m.Relative() > tol {
			t.Errorf("%v", m)
		}
		worst = max(worst, m.Relative())
	}
	t.Logf("worst %.3g of the swing, tolerance %.3g", worst, tol)
}

// TestProbeGroundPortAgainstNgspice: .probe alli of subcircuits whose ports connect
// ground and a global node (netlists/probe_ground_port.cir): the current into such a
// port is that through the port alone, not that of the elements inside that name the
// node itself (r3 to 0, r5 from vcc), as ngspice 39's ammeter at the port measures
// it; a two-port's i(x2) out of its grounded second port likewise. Measured: within
// 3.8e-13 of the swing.
func TestProbeGroundPortAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	checkProbesAgainstNgspice(t, "probe_ground_port.cir", [][2]string{
		{"i(x1:a)", "x1:a#branch"}, {"i(x1:g)", "x1:g#branch"}, {"i(x1:s)", "x1:s#branch"},
		{"i(x1:o)", "x1:o#branch"}, {"i(x2)", "x2#branch"}, {"i(vs)", "vs#branch"},
	}, 4e-12)
}

// TestProbeACAgainstNgspice: .probe's vectors in an .ac (examples/probe/ac-test.cir's
// circuit): a resistor's current through the ammeter .probe inserts, and the voltages
// across two resistors, complex, against ngspice 39's at each frequency.
func TestProbeACAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	const deck = "probe ac\nV1 1 0 dc 0 ac 1\nR1 1 2 1k\nR2 2 3 1k\nR3 3 0 1k\nC2 2 3 1u\nC3 3 0 1u\n" +
		".ac dec 5 10 10000\n.probe i(R2) vd(R2) vd(R3) v(2)\n.end\n"
	const tol = 1e-14 // relative to the largest value; measured 1.1e-15 (re(i(r2)))
	// ngspice's vector of each of gospice's.
	names := [][2]string{
		{"re(i(r2))", "real(r2#branch)"}, {"im(i(r2))", "imag(r2#branch)"},
		{"re(v(vd_r2))", "real(vd_r2)"}, {"im(v(vd_r2))", "imag(vd_r2)"},
		{"re(v(vd_r3))", "real(vd_r3)"}, {"im(v(vd_r3))", "imag(vd_r3)"},
	}
	var theirs []string
	for _, n := range names {
		theirs = append(theirs, n[1])
	}
	want, err := crosscheck.NgspiceText(deck, ".", "ac", theirs)
	if err != nil {
		t.Fatal(err)
	}
	got := crosscheck.MustRun(t, deck, "ac")
	for _, n := range names {
		g, w := got.Col(n[0]), want.Col(n[1])
		if len(g) != len(w) || len(g) == 0 {
			t.Fatalf("%s: %d points, ngspice's %s %d (%q)", n[0], len(g), n[1], len(w), want.Names)
		}
		var worst, peak float64
		for i := range g {
			worst, peak = max(worst, math.Abs(g[i]-w[i])), max(peak, math.Abs(w[i]))
		}
		t.Logf("%s: within %.2g of ngspice's %s (largest %.3g)", n[0], worst/peak, n[1], peak)
		if worst > tol*peak {
			t.Errorf("%s differs from ngspice's by %.2g of its largest value", n[0], worst/peak)
		}
	}
}

// TestProbeSubcircuitPowerThroughGround: p(x1) of a subcircuit whose resistors return part
// of their current through ground (node 0 inside it, not a port) is the power its
// resistors take, 132.5 mW. ngspice 39 gives 92.83 mW: it sums each port's voltage less
// the mean of the port voltages times the port's current, which is the power only where
// the port currents sum to 0 (here 8.5 mA leaves through ground, and the mean is 14/3 V).
// examples/probe/Dual-NMOS-amp.cir's TL072 model ties its internal references to 0 alike,
// and that is the whole of its u1power difference (docs/corpus.md).
func TestProbeSubcircuitPowerThroughGround(t *testing.T) {
	const deck = "power through ground\nV1 a 0 10\nV2 b 0 3\nV3 c 0 1\nX1 a b c sub\n" +
		".subckt sub p q r\nR1 p q 1k\nR2 p r 2k\nR3 q 0 500\nR4 p 0 4k\n.ends\n" +
		".probe p(X1)\n.op\n.end\n"
	// (10-3)^2/1k + (10-1)^2/2k + 3^2/500 + 10^2/4k
	const want = 0.049 + 0.0405 + 0.018 + 0.025
	got := crosscheck.MustRun(t, deck, "op").Col("x1:power")
	if len(got) != 1 || math.Abs(got[0]-want) > 1e-12*want {
		t.Errorf("x1:power = %v, want %.6g W (the resistors' dissipation)", got, want)
	}
}
