package gospice_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice"
)

// An RC step response measured after the transient: .meas reads v(out), which no .print
// names, and the output keeps to what .print asks for.
func TestMeasuresReadVectorsNotWritten(t *testing.T) {
	sim, err := gospice.Parse("rc.cir", `rc step
V1 in 0 PULSE(0 1 0 1n 1n 1 2)
R1 in out 1k
C1 out 0 1u
.tran 1u 5m
.print tran v(in)
.meas tran thalf WHEN v(out)=0.5
.meas tran trise TRIG v(out) VAL=0.1 RISE=1 TARG v(out) VAL=0.9 RISE=1
.meas tran vend FIND v(out) AT=5m
.meas tran qin INTEG i(v1) FROM=0 TO=5m
.meas tran ratio PARAM='trise/thalf'
.meas tran never WHEN v(out)=2
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	points := 0
	stats, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func(n []string, row []float64) error {
		names = n
		if len(row) != 2 {
			return fmt.Errorf("row of %d values", len(row))
		}
		points++
		return nil
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names, " "); got != "time v(in)" || points < stats.Points {
		t.Errorf("columns %q, %d points of %d", got, points, stats.Points)
	}
	if got := strings.Join(sim.Vectors(sim.Analyses()[0]), " "); got != "time v(in)" {
		t.Errorf("Vectors %q", got)
	}
	tau := 1e-3
	want := map[string]float64{
		"thalf": tau * math.Ln2,
		"trise": tau * math.Log(9),
		"vend":  1 - math.Exp(-5),
		"qin":   -1e-6 * (1 - math.Exp(-5)), // the charge into C1, drawn out of V1's + terminal
		"ratio": math.Log(9) / math.Ln2,
	}
	if len(stats.Measures) != 6 {
		t.Fatalf("%d measures: %v", len(stats.Measures), stats.Measures)
	}
	for _, m := range stats.Measures[:5] {
		if m.Err != nil || math.Abs(m.Value-want[m.Name]) > 2e-3*math.Abs(want[m.Name]) {
			t.Errorf("%v, want %g", m, want[m.Name])
		}
	}
	if m := stats.Measures[5]; m.Err == nil || m.String() != "never = failed (v(out) never crosses 2)" || m.Pos.Line != 12 {
		t.Errorf("%v at %v", m, m.Pos)
	}
}

// .meas ac reads parts of complex vectors: vdb, vp (degrees, as gospice's .print ac),
// and v(out) itself is its real part, as in ngspice.
func TestACMeasures(t *testing.T) {
	sim, err := gospice.Parse("lowpass.cir", `rc lowpass
V1 in 0 DC 0 AC 1
R1 in out 1k
C1 out 0 1n
.ac dec 200 1k 10meg
.meas ac f3db WHEN vdb(out)=-3.0103
.meas ac ph FIND vp(out) AT=159.155k
.meas ac re FIND v(out) AT=159.155k
.meas ac im FIND vi(out) AT=159.155k
.meas ac gmax MAX vm(out)
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	fc := 1 / (2 * math.Pi * 1e3 * 1e-9)
	want := []float64{fc, -45, 0.5, -0.5, 1}
	check := func(how string, ms []gospice.Measurement) {
		if len(ms) != len(want) {
			t.Fatalf("%s: %d measures", how, len(ms))
		}
		for i, m := range ms {
			if m.Err != nil || math.Abs(m.Value-want[i]) > 1e-3*math.Abs(want[i]) {
				t.Errorf("%s: %v, want %g", how, m, want[i])
			}
		}
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	check("Collect", res.Stats.Measures)
	if v, err := res.Measure("F3DB"); err != nil || math.Abs(v-fc) > 1e-3*fc {
		t.Errorf("Measure: %g, %v", v, err)
	}
	if _, err := res.Measure("nothing"); err == nil || err.Error() != `no measurement named "nothing" after .ac` {
		t.Errorf("Measure of no such name: %v", err)
	}
	if got := strings.Join(res.Names(), " "); got != "frequency v(in) v(out) i(v1)" {
		t.Errorf("names %s", got)
	}
	stats, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func([]string, []float64) error { return nil }), nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Run", stats.Measures)
}

func TestDCMeasures(t *testing.T) {
	sim, err := gospice.Parse("divider.cir", `divider
V1 in 0 0
R1 in out 3k
R2 out 0 1k
.dc v1 0 10 0.5
.meas dc vin WHEN v(out)=1.3
.meas dc slope DERIV v(out) AT=3
.meas dc avg AVG i(v1) FROM=2 TO=4
.meas ac nothing MAX vm(out)
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Warnings) != 1 || sim.Warnings[0].Error() != "divider.cir:9:1: .meas ac nothing ignored: the netlist has no .ac analysis" {
		t.Errorf("warnings %v", sim.Warnings)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"vin": 5.2, "slope": 0.25, "avg": -3.0 / 4e3} {
		if v, err := res.Measure(name); err != nil || math.Abs(v-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s = %g (%v), want %g", name, v, err, want)
		}
	}
}

// TestNestedDCMeasures: .meas dc over a nested sweep reads its points as one sequence,
// the inner source's value as the scale, as ngspice 39 does (examples/measure/mos-meas-dc.sp
// gives ngspice's five results to its seven digits): v(a) = v1 * (v2 + 1) / 2 here.
func TestNestedDCMeasures(t *testing.T) {
	sim, err := gospice.Parse("nested.cir", `nested sweep
v1 in 0 1
v2 k 0 1
b1 a 0 v=v(in)*(v(k)+1)/2
r1 a 0 1k
.dc v1 0 2 0.5 v2 0 2 1
.meas dc first FIND v(a) AT=1.5
.meas dc top MAX v(a)
.meas dc cross WHEN v(a)=1.8 RISE=2
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	// first: the first pass (v2 = 0) at v1 = 1.5; top: v1 = 2, v2 = 2; cross: v(a) rises
	// through 1.8 first in the pass v2 = 1 (at v1 = 1.8), then in the pass v2 = 2 at 1.2.
	for name, want := range map[string]float64{"first": 0.75, "top": 3, "cross": 1.2} {
		if v, err := res.Measure(name); err != nil || math.Abs(v-want) > 1e-12 {
			t.Errorf("%s = %g (%v), want %g", name, v, err, want)
		}
	}
}

func TestMeasureBuildErrors(t *testing.T) {
	tests := []struct{ netlist, want string }{
		{".tran 1m 10m\n.meas tran x MAX v(b)", `t.cir:6:18: cannot output v(b): no such node; did you mean "v(a)"?`},
		{".tran 1m 10m\n.meas tran x MAX vdb(a)", `t.cir:6:18: cannot output vdb(a): the parts of a complex vector (vm, vp, vdb, vr, vi) are .ac's`},
		{".ac dec 1 1 10\n.meas ac x FIND i(r1) AT=2", `t.cir:6:17: cannot output i(r1) in .ac: only node voltages and branch currents are available`},
		{".ac dec 1 1 10\n.meas ac x FIND i(v3) AT=2", `t.cir:6:17: cannot output i(v3): no voltage source, inductor or device with a current of that name; did you mean "i(v1)"?`},
	}
	for _, tt := range tests {
		_, err := gospice.Parse("t.cir", "t\nv1 a 0 1 ac 1\nv2 c 0 1\nr1 a 0 1k\n"+tt.netlist+"\n.end\n")
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.netlist, err, tt.want)
		}
	}
}

// Crossings at the run's first point and the defaults of TRIG and TARG, as ngspice 39
// measures them (checked with this netlist: ngspice gives 0, 0, 1.5e-3, 1.5e-3, 2.5e-3,
// 2.5e-3, and fails tnorise): a signal that starts on the level counts as below it, so
// moving up is a rise at t = 0 and moving down is no crossing; TRIG and TARG without VAL=
// look for level 0, and without RISE=, FALL= or CROSS= they fail.
func TestMeasureCrossingsAtTheStart(t *testing.T) {
	sim, err := gospice.Parse("edges.cir", `edges at the start
V1 up 0 PWL(0 0.5 1m 1 2m 0 3m 1)
V2 down 0 PWL(0 0.5 1m 0 2m 1 3m 0)
V3 ramp 0 PWL(0 0 1m 1 2m 0 3m 1)
.tran 10u 3m
.meas tran uprise WHEN v(up)=0.5 RISE=1
.meas tran upcross WHEN v(up)=0.5 CROSS=1
.meas tran downrise WHEN v(down)=0.5 RISE=1
.meas tran downcross WHEN v(down)=0.5 CROSS=1
.meas tran downfall WHEN v(down)=0.5 FALL=1
.meas tran noval TRIG v(ramp) RISE=1 TARG v(ramp) VAL=0.5 RISE=2
.meas tran tnorise TRIG v(ramp) VAL=0.5 TARG v(ramp) VAL=0.5 RISE=2
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	var warned []string
	for _, w := range sim.Warnings {
		warned = append(warned, w.Error())
	}
	if w := strings.Join(warned, "\n"); !strings.Contains(w, "edges.cir:12:25: TRIG v(ramp) needs RISE=, FALL= or CROSS=") {
		t.Errorf("warnings:\n%s\nwant tnorise's", w)
	}
	stats, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func([]string, []float64) error { return nil }), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"uprise": 0, "upcross": 0, "downrise": 1.5e-3, "downcross": 1.5e-3, "downfall": 2.5e-3, "noval": 2.5e-3}
	for _, m := range stats.Measures {
		w, ok := want[m.Name]
		if !ok || m.Err != nil || math.Abs(m.Value-w) > 1e-12 {
			t.Errorf("%v, want %g", m, w)
		}
		delete(want, m.Name)
	}
	if len(want) > 0 {
		t.Errorf("not measured: %v", want)
	}
}
