package gospice_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
	"github.com/gospice/gospice/parser"
)

// current runs a one-resistor .op and returns the source current.
func current(t *testing.T, netlist string) float64 {
	t.Helper()
	sim, err := gospice.Parse("t.cir", netlist)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := crosscheck.RunSimulation(sim, "op")
	if err != nil {
		t.Fatal(err)
	}
	return -tab.Col("i(v1)")[0]
}

func TestTemperatureLines(t *testing.T) {
	const circuit = "R1 a 0 1k rm\n.model rm r tc1=1e-3\nV1 a 0 1\n.op\n.end\n"
	cases := []struct {
		name, lines string
		temp        float64
	}{
		{"default 27", "", 27},
		{".temp", ".temp 77\n", 77},
		{".options temp", ".options temp=127\n", 127},
		{"the later line wins", ".options temp=127\n.temp 77\n", 77},
		{"the later option wins", ".temp 77\n.options temp=127\n", 127},
		{"tnom", ".options tnom=77\n", -23},
	}
	for _, c := range cases {
		got := current(t, "t\n"+c.lines+circuit)
		want := 1 / (1000 * (1 + 1e-3*(c.temp-27)))
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("%s: %g A, want %g A (%g degrees above tnom)", c.name, got, want, c.temp-27)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, c := range []struct{ netlist, want string }{
		{"t\n.options seed=-1\nR1 a 0 1\n.end\n", "seed must be a non-negative integer"},
		{"t\n.options reltol=0\nR1 a 0 1\n.end\n", "reltol must be a positive number"},
		{"t\n.options itl4=2.5\nR1 a 0 1\n.end\n", "itl4 must be a positive integer"},
		{"t\nR1 a 0 1\n.print tran v(b)\n.tran 1n 10n\n.end\n", "cannot output v(b): no such node"},
		{"t\nR1 a 0 1\n.dc v9 0 1 0.1\n.end\n", `.dc: no source named "v9"`},
		{"t\nR1 a 0 1\nC1 a 0 1p\nV1 a 0 1\n.dc c1 0 1 0.1\n.end\n", ".dc can sweep independent voltage and current sources and resistors; c1 is not one"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.dc r1 0 1 0.1\n.end\n", "t.cir:4:5: .dc r1: the resistance sweep reaches 0 ohm"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.dc temp 0 2000 1\n.end\n", "t.cir:4:5: .dc temp: 2001 temperatures, more than the limit of 1000"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.dc r1 1 2 1 temp 0 20 10\n.end\n", "t.cir:4:5: .dc cannot sweep a resistor (r1) and the temperature together"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.tran 1f 1\n.end\n", "t.cir:4:1: .tran would take at least 1e+15 time steps"},
		{"t\nR1 a 0 1\nV1 a 0 1\n.ac dec 10 0 1k\n.end\n", "t.cir:4:12: fstart must be positive"},
	} {
		sim, err := gospice.Parse("t.cir", c.netlist)
		if err == nil {
			for _, a := range sim.Analyses() {
				if a.Name() == "dc" {
					_, err = crosscheck.RunSimulation(sim, "dc")
				}
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.netlist, err, c.want)
		}
	}
}

// TestOperatingPointOfAnInverterChain: from the first iterate, which biases every
// inverter at mid-rail, the Jacobian of a 50-stage chain is too ill-conditioned to solve;
// gmin stepping finds the operating point, and the log says what happened without
// calling any node floating.
func TestOperatingPointOfAnInverterChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("chain\nVDD vdd 0 3.3\nVIN n0 0 0\n")
	for k := 1; k <= 50; k++ {
		fmt.Fprintf(&b, "MP%d n%d n%d vdd vdd pch W=4u L=0.5u\nMN%d n%d n%d 0 0 nch W=2u L=0.5u\n", k, k, k-1, k, k, k-1)
	}
	b.WriteString(".model nch nmos level=1 vto=0.6 kp=120u lambda=0.05\n.model pch pmos level=1 vto=-0.7 kp=40u lambda=0.08\n.op\n.end\n")
	sim, err := gospice.Parse("chain.cir", b.String())
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	res := map[string]float64{}
	_, err = sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func(names []string, row []float64) error {
		for i, n := range names {
			res[n] = row[i]
		}
		return nil
	}), func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) })
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 50; k++ {
		want := 3.3 * float64(k%2) // odd stages high
		if got := res[fmt.Sprintf("v(n%d)", k)]; math.Abs(got-want) > 1e-3 {
			t.Errorf("v(n%d) = %g, want %g", k, got, want)
		}
	}
	log := strings.Join(logged, "\n")
	if strings.Contains(log, "no DC path") {
		t.Errorf("the log calls a node floating: %s", log)
	}
	t.Logf("log: %s", log)
}

// TestNestedTemperatureSweep: temp as the outer sweep of a .dc, over a resistor whose
// value follows tc1: every row has the inner source's value and the temperature, and
// the current is v1 / (1k * (1 + tc1 * (temp - 27))).
func TestNestedTemperatureSweep(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nV1 a 0 1\nR1 a 0 1k tc1=0.01\n.dc v1 1 2 1 temp 27 47 10\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	v, temp, i := vector(t, res, "v1"), vector(t, res, "temp"), vector(t, res, "i(v1)")
	if len(v) != 6 {
		t.Fatalf("%d rows, want 6", len(v))
	}
	for k := range v {
		want := -v[k] / (1e3 * (1 + 0.01*(temp[k]-27)))
		if math.Abs(i[k]-want) > 1e-12 {
			t.Errorf("v1 = %g, temp = %g: i(v1) = %g, want %g", v[k], temp[k], i[k], want)
		}
	}
	if temp[0] != 27 || temp[1] != 27 || temp[2] != 37 || v[1] != 2 {
		t.Errorf("rows not outer-major: v1 %v, temp %v", v, temp)
	}

	// The other way round: temp inner, the source outer.
	sim, err = gospice.Parse("t.cir", "t\nV1 a 0 1\nR1 a 0 1k tc1=0.01\n.dc temp 27 47 10 v1 1 2 1\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	if res, err = sim.Collect(context.Background(), sim.Analyses()[0]); err != nil {
		t.Fatal(err)
	}
	v, temp, i = vector(t, res, "v1"), vector(t, res, "temp"), vector(t, res, "i(v1)")
	for k := range v {
		want := -v[k] / (1e3 * (1 + 0.01*(temp[k]-27)))
		if math.Abs(i[k]-want) > 1e-12 {
			t.Errorf("temp inner: v1 = %g, temp = %g: i(v1) = %g, want %g", v[k], temp[k], i[k], want)
		}
	}
}

// TestSmoothTransientTakesTwoLoadsAPoint: on a nonlinear waveform that is smooth next to
// the step (1000 points a period), each step starts Newton from the solution extrapolated
// along the last step, so that one solve and the load that confirms it usually suffice;
// from the last solution it takes two solves and a third load (2.97 loads a point).
func TestSmoothTransientTakesTwoLoadsAPoint(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nV1 in 0 SIN(0 2 1k)\nR1 in a 1k\nD1 a 0 dm\nC1 a 0 100n\n.model dm d\n.tran 1u 2m\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func([]string, []float64) error { return nil }), nil)
	if err != nil {
		t.Fatal(err)
	}
	perPoint := float64(st.Iterations) / float64(st.Points+st.Rejected)
	t.Logf("%d points, %d rejected, %d loads: %.2f a point", st.Points, st.Rejected, st.Iterations, perPoint)
	if perPoint > 2.5 {
		t.Errorf("%.2f loads a point, want about 2", perPoint)
	}
}

// TestMissingIncludeStopsEarly: a netlist that includes a missing file gets that error
// alone, as in ngspice, not one per line that uses what the file would define; found
// before the netlist is parsed, so that the errors of its lines are not reported either
// (ngspice stops at the first include too).
func TestMissingIncludeStopsEarly(t *testing.T) {
	var b strings.Builder
	b.WriteString("missing\n.include nothere/models.lib\nR0 a 0 1k\n")
	for i := range 100 {
		fmt.Fprintf(&b, "D%d a 0 dmod\nX%d a 0 cell\n", i, i)
	}
	b.WriteString("R9 b 0 {1\n.op\n.end\n") // an error the reading would find
	_, err := gospice.Parse("m.cir", b.String())
	want := "m.cir:2:10: cannot read \"nothere/models.lib\": no such file"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want\n%s", err, want)
	}
	_, err = gospice.Parse("m.cir", "t\n"+strings.Repeat("R1 a b {1\n", 30)+".include nothere.lib\n")
	if want := "m.cir:32:10: cannot read \"nothere.lib\": no such file"; err == nil || err.Error() != want {
		t.Errorf("got %v, want\n%s", err, want)
	}
	// A missing .lib file, which the early look leaves to the parse, is found by the parse:
	// with the errors of the lines it read, at most as many as an elaboration reports.
	_, err = gospice.Parse("m.cir", "t\n"+strings.Repeat("R1 a b {1\n", 30)+".lib nothere.lib tt\n")
	var list gospice.ErrorList
	if !errors.As(err, &list) || len(list) != parser.MaxErrors+1 || !strings.HasPrefix(list[parser.MaxErrors].Msg, "too many errors (11 more") {
		t.Errorf("%d errors: %v", len(list), err)
	}
}

// TestOperatingPointOfACancelledIsland: a VDMOS whose drain and source are one node, its
// gate grounded, leaves that node joined to ground only through conductances that cancel
// (examples/vdmos/crss_coss_ciss.sp). ngspice 39 solves it at 0 V (2e-137 V); gospice
// keeps gmin stepping's last solution with a warning rather than stopping on the
// singular matrix, and its transient then runs (the gate capacitances join the node).
func TestOperatingPointOfACancelledIsland(t *testing.T) {
	src := `cancelled island
VP P4 0 PULSE(0 2.8m 100n 10n 10n 1 2)
M4 d4 0 d4 pv
V6 4 d4 0.0
G4 4 0 P4 0 1.0
.model pv VDMOS pchan Vto=-4 Kp=8.8 Rd=180m Rs=50m Rg=3 Rds=1e7 Cgdmax=1.25n Cgdmin=50p
+ a=0.23 Cgs=1.15n Is=150p N=1.3 Rb=16m Cjo=1.3n
.op
.tran 1n 200n
.end
`
	sim, err := gospice.Parse("island.cir", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sim.Analyses() {
		var logged []string
		var last map[string]float64
		_, err := sim.Run(context.Background(), a, gospice.SinkFunc(func(names []string, row []float64) error {
			last = map[string]float64{}
			for i, n := range names {
				last[n] = row[i]
			}
			return nil
		}), func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) })
		if err != nil {
			t.Fatalf("%s: %v", a.Name(), err)
		}
		if log := strings.Join(logged, "\n"); !strings.Contains(log, "is joined to ground only through devices whose conductances cancel") {
			t.Errorf("%s: no warning about the island in the log:\n%s", a.Name(), log)
		}
		// The island's value is rounding at the operating point (gospice 2e-89 V); at
		// 200 ns the 2.8 mA pulse has charged the gate capacitances.
		if v := math.Abs(last["v(d4)"]); a.Name() == "op" && v > 1e-20 {
			t.Errorf("op: v(d4) = %g, want 0", v)
		} else if a.Name() == "tran" && v < 1e-3 {
			t.Errorf("tran: v(d4) = %g at the end, want the pulse to have charged it", v)
		}
	}
}

// TestLTspiceDiodeParamsIgnored: the parameters of LTspice's diode (ron, vfwd, ilimit...)
// are ignored with a warning each, as ngspice 39 does without ngbehavior=lta
// (examples/xspice/various/simple-diode.cir): the diode is the one without them. A
// misspelt parameter is still an error.
func TestLTspiceDiodeParamsIgnored(t *testing.T) {
	op := func(model string) (map[string]float64, []string) {
		sim, err := gospice.Parse("d.cir", "d\nV1 in 0 0.8\nD1 in out A\nR1 out 0 100\n.model A D("+model+")\n.op\n.end\n")
		if err != nil {
			t.Fatal(err)
		}
		var warns []string
		for _, w := range sim.Warnings {
			warns = append(warns, w.Error())
		}
		res := map[string]float64{}
		if _, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func(names []string, row []float64) error {
			for i, n := range names {
				res[n] = row[i]
			}
			return nil
		}), nil); err != nil {
			t.Fatal(err)
		}
		return res, warns
	}
	plain, _ := op("is=1e-14")
	got, warns := op("is=1e-14 Ron=1 Roff=1Meg Vfwd=1 Vrev=2 Ilimit=1 RevILimit=1 epsilon=1 revepsilon=1")
	if len(warns) != 8 || !strings.Contains(warns[0], "d.cir:5:21: diode model a: ron is a parameter of LTspice's diode") {
		t.Errorf("warnings: %q", warns)
	}
	if got["v(out)"] != plain["v(out)"] || got["v(out)"] < 0.1 {
		t.Errorf("v(out) = %g with LTspice's parameters, %g without", got["v(out)"], plain["v(out)"])
	}
	if _, err := gospice.Parse("d.cir", "d\nD1 in 0 A\n.model A D(ronn=1)\n.op\n.end\n"); err == nil || !strings.Contains(err.Error(), `unknown diode model parameter "ronn"`) {
		t.Errorf("a misspelt parameter: %v", err)
	}
}

// TestPulseCornersOneRoundingApart: a PULSE's end of fall, td + n per + tr + pw + tf, and
// its next period's start, td + (n+1) per, can be one rounding apart (2.2e-16 s at 1 s
// here, above the minimum step of tmax = 20 us). They are one corner: the transient
// takes no step of a rounding there (examples/vdmos/dcdc.sp stopped, "timestep too
// small", at such a pair 3.2 ms into its run).
func TestPulseCornersOneRoundingApart(t *testing.T) {
	sim, err := gospice.Parse("p.cir", "p\nV1 a 0 PULSE(0 1 1 0.5m 0.3m 0.2m 1m)\nR1 a b 1k\nC1 b 0 1u\n.options method=gear\n.tran 10u 1.004 0 20u\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	prev, smallest, at := -1.0, math.Inf(1), 0.0
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func(names []string, row []float64) error {
		if prev >= 0 && row[0]-prev < smallest {
			smallest, at = row[0]-prev, row[0]
		}
		prev = row[0]
		return nil
	}), nil); err != nil {
		t.Fatal(err)
	}
	// The smallest step the corners ask for is 0.1 times the 0.2 ms pulse width's part:
	// anything below 1e-12 s is a step of roundings.
	if smallest < 1e-12 {
		t.Errorf("a step of %g s to t = %.17g", smallest, at)
	}
}
