package analysis_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// TestOPThroughStandInsAtTheStart: Newton starts at every unknown 0, where these
// expressions divide by zero (x/0 is x/1e-32) or take ln(0) (-1e99, as ngspice gives);
// each solution is inside the domain, and the .op reaches it.
func TestOPThroughStandInsAtTheStart(t *testing.T) {
	const tol = 2e-6 // 1.8e-7 measured (1/v(b)'s sqrt(1000))
	largest := 0.0
	for _, c := range []struct {
		expr, source string // B1's nodes and expression; the source of v(c)
		vector       string
		want         float64
	}{
		{"b 0 V={1/v(c)}", "V1 c 0 1", "v(b)", 1},
		{"b 0 V={v(c)/v(c)}", "V1 c 0 0.5", "v(b)", 1},
		{"b 0 V={ln(v(c))}", "V1 c 0 2", "v(b)", math.Ln2},
		{"b 0 V={log10(v(c))}", "V1 c 0 2", "v(b)", math.Log10(2)},
		{"b 0 I={1m*ln(v(c))}", "V1 c 0 2", "v(b)", -math.Ln2},
		// The current 1/v(b) into b, out through R1: v(b)/1k = 1/v(b).
		{"0 b I={1/v(b)}", "V1 c 0 2", "v(b)", math.Sqrt(1000)},
	} {
		text := "t\n" + c.source + "\nB1 " + c.expr + "\nR1 b 0 1k\n.op\n.end\n"
		sim, err := gospice.Parse("t.cir", text)
		if err != nil {
			t.Fatal(err)
		}
		got, err := crosscheck.RunSimulation(sim, "op")
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		v := got.Col(c.vector)[0]
		rel := math.Abs(v-c.want) / math.Abs(c.want)
		largest = math.Max(largest, rel)
		// Newton stops when its update is within reltol; the error left is far smaller.
		if rel > tol {
			t.Errorf("%s: %s = %.9g, want %.9g", c.expr, c.vector, v, c.want)
		}
	}
	t.Logf("measured %.3g relative at worst, tolerance %g", largest, tol)
}

// TestOPStandInAtTheSolution: a solution at which an expression stands in ngspice's
// value for one out of its domain (ln(0) = -1e99, exp beyond overflow) is an error that
// names the element, the subexpression and the probe; ngspice gives -1e99 V there.
func TestOPStandInAtTheSolution(t *testing.T) {
	for _, c := range []struct{ expr, source, want string }{
		{"V={ln(v(c))}", "V1 c 0 0", "b1: ln(v(c)) is not a finite number (ln(0)) with v(c) = 0"},
		{"V={exp(v(c))}", "V1 c 0 1000", "b1: exp(v(c)) is not a finite number (exp(1000)) with v(c) = 1000"},
		{"I={log10(v(c))}", "V1 c 0 0", "log10(0)"},
	} {
		text := "t\n" + c.source + "\nB1 b 0 " + c.expr + "\nR1 b 0 1k\n.op\n.end\n"
		sim, err := gospice.Parse("t.cir", text)
		if err != nil {
			t.Fatal(err)
		}
		_, err = crosscheck.RunSimulation(sim, "op")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "t.cir:3:10") {
			t.Errorf("%s with %s: %v, want an error saying %q", c.expr, c.source, err, c.want)
		}
	}
}

// TestSingularBSourceIsNoLoop: B1 b 0 V={v(b)} leaves its branch equation empty; the
// error must not call that a loop of voltage sources.
func TestSingularBSourceIsNoLoop(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nV1 c 0 1\nB1 b 0 V={v(b)}\nR1 b 0 1k\n.op\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	_, err = crosscheck.RunSimulation(sim, "op")
	if err == nil || !strings.Contains(err.Error(), "singular matrix at the branch current of b1") ||
		strings.Contains(err.Error(), "a source shorted by one") {
		t.Errorf("got %v", err)
	}
}

// TestUICFirstStepWalksDownAJunction: with uic, vdd (no .ic) starts at 0 and jumps to
// 3.3 V in the first step, while D1 from n (.ic 3.3 V) to vdd starts forward biased by
// 3.3 V. Newton walks the junction down about a thermal voltage per iteration, some 90
// iterations in all, which the first time point gets (ngspice gives every time point
// 100). After the jump the diode is off and C1 discharges through R1:
// v(n) = 3.3 exp(-t/10 ns).
func TestUICFirstStepWalksDownAJunction(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nV1 vdd 0 3.3\nD1 n vdd dd\nC1 n 0 1p\nR1 n 0 10k\n"+
		".model dd d is=1e-14\n.ic v(n)=3.3\n.tran 1n 100n uic\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := res.Vector("time")
	vs, _ := res.Vector("v(n)")
	worst := 0.0
	for i, tm := range ts {
		worst = math.Max(worst, math.Abs(vs[i]-3.3*math.Exp(-tm/10e-9)))
	}
	const tol = 1e-2 // volts; 9.2e-4 measured
	t.Logf("%d points, first at %g s; worst difference from 3.3 exp(-t/10 ns): %.3g V (tolerance %g)", len(ts), ts[0], worst, tol)
	if worst > tol {
		t.Errorf("v(n) is %.3g V off the discharge", worst)
	}
}
