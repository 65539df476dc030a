package netlists_test

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// opCases are the operating points that needed ngspice's aids (issue "Step 8"),
// cross-checked against ngspice. Tolerances are about ten times the measured differences.
var opCases = []crossCase{
	// Both find the op-amp's operating point by gmin stepping (measured 6.6e-14 of i(vdd)).
	{"op_opamp.cir", "op", 1e-12, []string{"v(out)", "v(d1)", "v(d2)", "v(tail)", "v(nb)", "i(vdd)"}},
	// The follower's output (measured 1.1e-9 of the swing).
	{"op_opamp.cir", "tran", 1e-8, []string{"v(out)"}},
	// ngspice finds it by dynamic gmin stepping (the .nodeset leads it astray), gospice
	// by plain Newton; measured 3.7e-5 of v(x): ngspice's answer is the one further from
	// the converged solution (gospice's agrees with its nodeset-free run within 1.5e-6).
	{"op_nodeset.cir", "op", 4e-4, []string{"v(b)", "v(c)", "v(e)", "v(x)", "i(vcc)"}},
	// rshunt, cshunt and xmu as ngspice applies them (measured 1.1e-12 of v(out)).
	// v(mid) is left out: ngspice 39 does not ramp the DC source v2 (its v(mid) is 2 V
	// from t = 0), gospice ramps every independent source as its manual says.
	{"op_options.cir", "tran", 1e-11, []string{"v(out)", "v(in)"}},
	// ngspice 39 by plain Newton (27 iterations), gospice by source stepping; measured
	// 8.9e-8 of v(tj1).
	{"op_thermal_amp.cir", "op", 1e-6, []string{"v(tj1)", "v(tj2)", "v(tcase1)", "v(tcase2)",
		"v(net-_c4-pad1_)", "v(net-_m1-pad2_)", "v(net-_m2-pad2_)", "i(v1)"}},
}

func TestOperatingPointsAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, opCases) }

// TestOscillatorsAgainstNgspice holds the oscillators whose operating point needed
// help to ngspice's period (their phase depends on the starting point, which differs: see
// op_astable555.cir).
func TestOscillatorsAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	for _, c := range []struct {
		path, vector string
		level, from  float64
		tol          float64 // of the mean period
	}{
		{"op_astable555.cir", "v(q)", 2.5, 0.4e-3, 1e-3},
		// The comparator switches within a step or two: the step sequences differ and so
		// does the period, by 0.12 % (0.50 % before the transient gave circuits with
		// behavioural expressions ngspice's 100 Newton iterations a point). Against a run
		// with reltol 1e-6 and tmax 0.05 us (a period of 1.18949 ms, the same before and
		// after), ngspice's period is 1.02 % short, gospice's 0.90 % (0.53 % before): CF's
		// fast mode (3.3 us) delays each jump past the fold, which 10 us steps do not
		// resolve; the step cuts that Newton's failures forced before resolved part of it.
		{"op_ic_hold.cir", "v(out)", 2.5, 0, 1.2e-2},
	} {
		t.Run(c.path, func(t *testing.T) {
			want, err := crosscheck.Ngspice(c.path, "tran", []string{c.vector})
			if err != nil {
				t.Fatal(err)
			}
			got, err := crosscheck.Gospice(c.path, "tran")
			if err != nil {
				t.Fatal(err)
			}
			pw, pg := meanPeriod(crosscheck.Crossings(want, c.vector, c.level), c.from), meanPeriod(crosscheck.Crossings(got, c.vector, c.level), c.from)
			d := math.Abs(pg-pw) / pw
			t.Logf("period: ngspice %.6g s, gospice %.6g s, %.3g apart (tolerance %.3g)", pw, pg, d, c.tol)
			if !(d <= c.tol) {
				t.Errorf("period %.6g s, ngspice's %.6g s", pg, pw)
			}
		})
	}
}

// meanPeriod is the mean spacing of the crossings after from.
func meanPeriod(times []float64, from float64) float64 {
	var ts []float64
	for _, x := range times {
		if x >= from {
			ts = append(ts, x)
		}
	}
	if len(ts) < 2 {
		return math.NaN()
	}
	return (ts[len(ts)-1] - ts[0]) / float64(len(ts)-1)
}

// TestICHoldConverges: .ic v(cap)=1 holds the node at exactly 1 V in the initial point,
// where the old 1e10-siemens clamp left a residual of 1e10*eps*1 V = 2e-6 A, above the
// tolerance of the node's microampere currents, and stopped the run.
func TestICHoldConverges(t *testing.T) {
	tab, err := crosscheck.Gospice("op_ic_hold.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	if v := tab.Col("v(cap)")[0]; v != 1 {
		t.Errorf("v(cap) at t = 0 is %.17g, want 1 exactly", v)
	}
}

// TestSelfHeatingAmpIsDC: the self-heating amplifier's operating point is a DC solution,
// not the state after ngspice's optran transient that gospice fell back to while a retry
// of a failed source step limited its junction temperatures against the failed attempt:
// no DC current flows into the heat sinks' capacitors, so the heat through each sink's
// 0.2 ohm (K/W) equals the heat through its 3 ohm to the ambient (25 V), to rounding
// (measured 2.8e-14 W of 19.8 W). The optran state had them 8.3 W apart.
func TestSelfHeatingAmpIsDC(t *testing.T) {
	tab, err := crosscheck.Gospice("op_thermal_amp.cir", "op")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ tcase, sink string }{{"v(tcase1)", "v(net-_c6-pad1_)"}, {"v(tcase2)", "v(net-_c7-pad1_)"}} {
		tc, hs := tab.Col(s.tcase)[0], tab.Col(s.sink)[0]
		in, out := (tc-hs)/0.2, (hs-25)/3
		t.Logf("%s: %.9g W into the sink, %.9g W out, %.2g apart", s.sink, in, out, in-out)
		if !(math.Abs(in-out) <= 1e-12*math.Abs(in)) || in < 1 {
			t.Errorf("%s: %.6g W into the sink, %.6g W out: not a DC solution", s.sink, in, out)
		}
	}
}

// TestNodesetKeepsAnswer: the .nodeset is released before Newton converges, so the
// operating point is the circuit's own, within Newton's tolerance.
func TestNodesetKeepsAnswer(t *testing.T) {
	src, err := os.ReadFile("op_nodeset.cir")
	if err != nil {
		t.Fatal(err)
	}
	with, err := crosscheck.RunText(string(src), "op")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(l, ".nodeset") {
			lines = append(lines, l)
		}
	}
	without, err := crosscheck.RunText(strings.Join(lines, "\n"), "op")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"v(b)", "v(c)", "v(e)", "v(x)"} {
		a, b := with.Col(v)[0], without.Col(v)[0]
		d := math.Abs(a - b)
		t.Logf("%s: %.9g with the nodeset, %.9g without, %.2g apart", v, a, b, d)
		if !(d <= 1e-3*math.Abs(b)+1e-6) { // Newton's own tolerance: reltol and vntol
			t.Errorf("%s: %.9g with the nodeset, %.9g without", v, a, b)
		}
	}
}

// TestNoOperatingPointSaysWhatWasTried: the error of an operating point that nothing
// found names every method tried, where each stopped, and what the user can do, once.
func TestNoOperatingPointSaysWhatWasTried(t *testing.T) {
	conv := &analysis.ConvergenceError{Iterations: 100, Unknown: "v(q)", Delta: 4.99}
	err := error(&analysis.OPError{Newton: conv, Gmin: 4.03e-5, GminErr: conv, TrueGminErr: conv,
		Source: 0.6667, SourceErr: conv, OpTranErr: errors.New("timestep too small"), GminSteps: 1, SrcSteps: 1, Transient: true})
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{"Tried: plain Newton (no convergence in 100 Newton iterations: v(q) still changing by 4.99)",
		"gmin stepping, which reached 4.03e-05 S", "stepping the devices' gmin, which converged at no step",
		"source stepping, which reached 66.67 % of the sources", "transient from zero (timestep too small)",
		"What may help: .nodeset", "uic on the .tran line", "itl1", "gminsteps"} {
		if strings.Count(msg, want) != 1 {
			t.Errorf("the message has %q %d times, want once", want, strings.Count(msg, want))
		}
	}
	var c *analysis.ConvergenceError
	if !errors.As(err, &c) {
		t.Error("the OPError does not unwrap to the ConvergenceError")
	}
}

// TestOperatingPointOptions: maxord above 2 warns, xmu outside [0, 0.5] is refused with
// its place, and with gminsteps=0 srcsteps=0 the transient from zero still starts the astable.
func TestOperatingPointOptions(t *testing.T) {
	sim, err := gospice.Parse("o.cir", "o\nR1 a 0 1k\nI1 0 a 1m\n.options maxord=6\n.op\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Warnings) != 1 || !strings.Contains(sim.Warnings[0].Error(), "o.cir:4:10: .options maxord=6: gospice integrates at order 2 at most") {
		t.Errorf("warnings %v, want one on maxord", sim.Warnings)
	}
	_, err = gospice.Parse("o.cir", "o\nR1 a 0 1k\nI1 0 a 1m\n.options xmu=0.7\n.op\n.end\n")
	if err == nil || !strings.Contains(err.Error(), "o.cir:4:10: .options xmu must be between 0 and 0.5, got 0.7") {
		t.Errorf("got %v, want xmu refused", err)
	}
	src, err := os.ReadFile("op_astable555.cir")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), ".tran", ".options gminsteps=0 srcsteps=0\n.tran", 1)
	if _, err = crosscheck.RunText(text, "tran"); err != nil {
		t.Errorf("the transient from zero should find the astable's starting point: %v", err)
	}
}
