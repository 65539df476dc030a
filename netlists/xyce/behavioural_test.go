package xyce

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// worstRelative is the largest |a - b| over the points, relative to the swing of a.
func worstRelative(a, b []float64) (float64, int) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range a {
		lo, hi = min(lo, v), max(hi, v)
	}
	worst, at := 0.0, 0
	for i := range a {
		if d := math.Abs(a[i]-b[i]) / (hi - lo); d > worst {
			worst, at = d, i
		}
	}
	return worst, at
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) Begin([]gospice.Column) error { return nil }
func (discard) Point([]float64) error        { return nil }

// TestYakopcicAgainstSubcircuit runs memristorYakopcic.cir, which has no gold output:
// its Yakopcic device and the same equations as a subcircuit of behavioural sources
// (Yakopcic's own SPICE model) share the source, and Xyce checks that their columns agree.
func TestYakopcicAgainstSubcircuit(t *testing.T) {
	skipWithoutCorpus(t)
	path := filepath.Join(corpus, "Netlists/MEMRISTOR/memristorYakopcic.cir")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The subcircuit's state node n4 (a capacitor fed by a G source that is 0 at the
	// operating point) has no DC path to ground: Xyce holds the capacitor's IC= there in
	// its operating point, and so does gospice for a node that has no operating point
	// otherwise (ngspice ignores IC= without uic: run the file as it is, not edited).
	sim, err := gospice.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], discard{}, func(format string, args ...any) {
		notes = append(notes, fmt.Sprintf(format, args...))
	}); err != nil {
		t.Fatal(err)
	}
	rs, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(notes, func(n string) bool {
		return strings.Contains(n, "v(n4) has no DC path to ground: held at its capacitor's IC=0.11 V")
	}) {
		t.Errorf("notes %q; want v(n4) held at its capacitor's IC=", notes)
	}
	// ngspice, below, runs the subcircuit with the IC held by .ic instead.
	text := strings.Replace(string(src), "\n.end\n", "\n.ic v(n4)=0.11\n.end\n", 1)
	r := rs[0]
	x, _ := r.Vector("n(ymemristor!mr1_x)")
	if x[len(x)-1] < 0.5 {
		t.Errorf("x ends at %g: the test should move it from 0.11 to about 0.7", x[len(x)-1])
	}
	for _, pair := range []struct {
		device, subckt string
		tol            float64
	}{
		// One system, one step sequence: the two agree to Newton's convergence.
		{"v(n1,n2)", "v(n1,n3)", 1e-9}, // measured: 0
		{"n(ymemristor!mr1_x)", "v(n4)", 1e-9},
		{"i(ymemristor!mr1)", "i(rptg2)", 2e-6}, // measured: 1.4e-7
	} {
		a, _ := r.Vector(pair.device)
		b, ok := r.Vector(pair.subckt)
		if !ok {
			t.Fatalf("no %s in %v", pair.subckt, r.Names())
		}
		d, at := worstRelative(a, b)
		t.Logf("%s against %s: worst %.3g of the swing at t=%g", pair.device, pair.subckt, d, r.Scale()[at])
		if d > pair.tol {
			t.Errorf("%s against %s: %.3g of the swing at t=%g", pair.device, pair.subckt, d, r.Scale()[at])
		}
	}
	if !crosscheck.Available() {
		t.Log("ngspice is not installed: the subcircuit is not run in ngspice")
		return
	}
	// ngspice runs the subcircuit alone (no YMEMRISTOR), with IF() as ngspice's ?: and a
	// print step.
	var ng, joined []string
	for _, line := range strings.Split(text, "\n") {
		// Continuation lines joined, so that an IF() is whole on its line.
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "+") && len(joined) > 0 {
			joined[len(joined)-1] += " " + t[1:]
			continue
		}
		joined = append(joined, line)
	}
	for _, line := range joined {
		low := strings.ToLower(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(low, "ymemristor"), strings.HasPrefix(low, "rptg1"):
			continue
		case strings.HasPrefix(low, ".tran"):
			line = ".tran 1u 20e-4"
		}
		ng = append(ng, ternaries(line))
	}
	want, err := crosscheck.NgspiceText(strings.Join(ng, "\n"), filepath.Dir(path), "tran", []string{"v(n3)", "v(n4)"})
	if err != nil {
		t.Fatal(err)
	}
	got := &crosscheck.Table{Names: []string{"time", "v(n3)", "v(n4)"}}
	v12, _ := r.Vector("v(n1,n2)")
	n1 := make([]float64, len(v12))
	for i, tm := range r.Scale() {
		n1[i] = 0.5 * math.Sin(2*math.Pi*100*tm)
	}
	v3 := make([]float64, len(v12))
	for i := range v12 {
		v3[i] = n1[i] - v12[i] // v(n2), the device's n-, against the subcircuit's v(n3)
	}
	got.Cols = [][]float64{r.Scale(), v3, x}
	ms, err := crosscheck.Compare(want, got, []string{"v(n3)", "v(n4)"}, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	// Measured: v(n3) 4.4e-4, v(n4) 8.0e-4 of the swing; the difference is the two
	// simulators' time steps (gospice takes 59, ngspice's print step is 1 us).
	tols := map[string]float64{"v(n3)": 5e-3, "v(n4)": 8e-3}
	for _, m := range ms {
		t.Logf("gospice's device against ngspice's subcircuit: %s", m)
		if m.Relative() > tols[m.Vector] {
			t.Errorf("gospice's device against ngspice's subcircuit: %s", m)
		}
	}
}

// ternaries rewrites Xyce's IF(c, a, b) as ngspice's ((c) ? (a) : (b)).
func ternaries(s string) string {
	low := strings.ToLower(s)
	for {
		k := strings.Index(low, "if(")
		if k < 0 || (k > 0 && isIdent(low[k-1])) {
			if k < 0 {
				return s
			}
			// part of a longer name: look further
			rest := ternaries(s[k+3:])
			return s[:k+3] + rest
		}
		depth, args, start, end := 0, []string{}, k+3, -1
		for i := k + 3; i < len(s) && end < 0; i++ {
			switch s[i] {
			case '(':
				depth++
			case ')':
				if depth == 0 {
					args, end = append(args, s[start:i]), i
				}
				depth--
			case ',':
				if depth == 0 {
					args, start = append(args, s[start:i]), i+1
				}
			}
		}
		if end < 0 || len(args) != 3 {
			return s
		}
		repl := "((" + ternaries(args[0]) + ") ? (" + ternaries(args[1]) + ") : (" + ternaries(args[2]) + "))"
		s = s[:k] + repl + s[end+1:]
		low = strings.ToLower(s)
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// teamBehavioural is memristorTEAM_lp_trap.cir's TEAM device (window 4, linear R(x),
// xscaling=1e9) beside the same equations as behavioural sources: the state is v(xb), a
// unit capacitor charged by the rate, and bm draws v/R(x). (The netlist itself has an
// expression on its .print line: TestTEAMLpTrap runs it.)
const teamBehavioural = `TEAM device against its equations as behavioural sources
vsrc n1 0 sin(0 1 1000 0)
vmon n1 n2 0
ymemristor mr1 n2 n3 mrm1
rptg n3 0 50
.model mrm1 memristor level=2 ron=50 roff=1000 koff=1.46e-18 kon=-4.68e-22 alphaoff=10 alphaon=10
+ wc=1.0e-12 ioff=115e-6 ion=-8.9e-6 xscaling=1.0e9 wt=4
.param ron=50 roff=1000 xoff=3 koff=1.46e-9 kon=-4.68e-13 ioff=115e-6 ion=-8.9e-6 aoff=3 aon=0 wc=1e-3
.func r(x) {ron + x*(roff-ron)/xoff}
.func im(v, x) {v/r(x)}
.func f(i) {i >= ioff ? koff*pow(i/ioff-1, 10) : (i <= ion ? kon*pow(i/ion-1, 10) : 0)}
.func w(i, x) {i >= 0 ? exp(-exp((x-aoff)/wc)) : exp(-exp(-(x-aon)/wc))}
bm n1 nb i = im(v(n1,nb), v(xb))
rb nb 0 50
cx xb 0 1
bx 0 xb i = f(im(v(n1,nb), v(xb))) * w(im(v(n1,nb), v(xb)), v(xb))
.ic v(xb)=0
.print tran state(mr1.x) v(xb) v(n3) v(nb) {(v(n2)-v(n3))*i(ymemristor!mr1)} {v(n1,nb)*v(nb)/50}
.tran 2u 10m
.end
`

// TestTEAMAgainstBehavioural compares the TEAM device with its equations as behavioural
// sources: in gospice, in one system, over the 10 ms of ten collapses; in ngspice up to
// the first collapse, where ngspice's B source overflows (pow(i/ion - 1, 10) times its
// derivative) and stops.
func TestTEAMAgainstBehavioural(t *testing.T) {
	sim, err := gospice.Parse("team.cir", teamBehavioural)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	for _, pair := range [][2]string{{"state(mr1.x)", "v(xb)"}, {"v(n3)", "v(nb)"},
		{"{(v(n2)-v(n3))*i(ymemristor!mr1)}", "{v(n1,nb)*v(nb)/50}"}} { // the power, as lp_trap prints it
		a, _ := r.Vector(pair[0])
		b, _ := r.Vector(pair[1])
		d, at := worstRelative(a, b)
		t.Logf("%s against %s: worst %.3g of the swing at t=%g", pair[0], pair[1], d, r.Scale()[at])
		if d > 5e-7 { // measured: 3.9e-8 (x), 8.9e-9 (power), the Newton tolerance of one system
			t.Errorf("%s against %s: %.3g of the swing at t=%g", pair[0], pair[1], d, r.Scale()[at])
		}
	}
	if !crosscheck.Available() {
		t.Log("ngspice is not installed: the behavioural TEAM is not run in ngspice")
		return
	}
	var ng []string
	for _, line := range strings.Split(teamBehavioural, "\n") {
		low := strings.ToLower(line)
		switch {
		case strings.HasPrefix(low, "ymemristor"), strings.HasPrefix(low, "vmon"), strings.HasPrefix(low, "rptg"),
			strings.HasPrefix(low, ".model"), strings.HasPrefix(low, "+ wc"):
			continue
		case strings.HasPrefix(low, ".tran"):
			line = ".tran 2u 0.53m" // the first collapse is at 0.5381 ms
		}
		ng = append(ng, line)
	}
	want, err := crosscheck.NgspiceText(strings.Join(ng, "\n"), t.TempDir(), "tran", []string{"v(xb)"})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := r.Vector("state(mr1.x)")
	got := &crosscheck.Table{Names: []string{"time", "v(xb)"}, Cols: [][]float64{r.Scale(), x}}
	ms, err := crosscheck.CompareAtReference(want, got, []string{"v(xb)"}, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("gospice's TEAM device against ngspice's behavioural TEAM to 0.53 ms: %s", m)
		if m.Relative() > 1.2e-2 { // measured: 1.2e-3 of the swing; the two simulators' steps
			t.Errorf("gospice's TEAM device against ngspice's behavioural TEAM: %s", m)
		}
	}
}

// TestTEAMLpTrap runs memristorTEAM_lp_trap.cir as it is. Xyce has no gold output for it;
// its .print line has an expression of vectors, {(v(n2)-v(n3))*i(ymemristor!mr1)}, the
// power the device takes, whose column is checked against the same product computed
// from the printed columns (v(n2) = v(n1) through the 0 V vmon, v(n3) = 50 i through
// rptg) and against p() and w() of the device. (Its device against its equations:
// TestTEAMAgainstBehavioural.)
func TestTEAMLpTrap(t *testing.T) {
	skipWithoutCorpus(t)
	sim, err := gospice.ParseFile(filepath.Join(corpus, "Netlists/MEMRISTOR/memristorTEAM_lp_trap.cir"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	const power = "{(v(n2)-v(n3))*i(ymemristor!mr1)}"
	want := []string{"time", "v(n1)", "i(vmon)", "i(ymemristor!mr1)", power, "p(ymemristor!mr1)", "w(ymemristor!mr1)"}
	if !slices.Equal(r.Names(), want) {
		t.Fatalf("columns %q, want %q", r.Names(), want)
	}
	col := func(name string) []float64 { v, _ := r.Vector(name); return v }
	v1, i := col("v(n1)"), col("i(ymemristor!mr1)")
	product := make([]float64, len(v1))
	for k := range v1 {
		product[k] = (v1[k] - 50*i[k]) * i[k]
	}
	got := col(power)
	for _, c := range []struct {
		name string
		b    []float64
		tol  float64
	}{
		// measured 6.4e-9: v(n3) is 50 i only to the Newton tolerance of the step
		{"(v(n1)-50 i) i", product, 6e-8},
		// measured 0: the same product of the same unknowns
		{"p()", col("p(ymemristor!mr1)"), 1e-14},
		{"w()", col("w(ymemristor!mr1)"), 1e-14},
	} {
		d, at := worstRelative(got, c.b)
		t.Logf("%s against %s: worst %.3g of the swing at t=%g", power, c.name, d, r.Scale()[at])
		if d > c.tol {
			t.Errorf("%s against %s: %.3g of the swing at t=%g", power, c.name, d, r.Scale()[at])
		}
	}
	lo, hi := slices.Min(got), slices.Max(got)
	t.Logf("%s swings over [%g, %g] W", power, lo, hi)
	if lo < -1e-12 || hi < 1e-4 { // a resistor's power: never negative, and the device conducts
		t.Errorf("%s over [%g, %g] W: expected a dissipated power", power, lo, hi)
	}
}
