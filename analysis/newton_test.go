package analysis_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/netlists/crosscheck"
	"github.com/gospice/gospice/parser"
)

// expDiode is a junction with no voltage limiting: i = is (exp(v/vt) - 1). Plain Newton
// from zero overflows on it, which is what the convergence aids are for.
type expDiode struct {
	a, b               int
	nodes              [2]string
	haa, hab, hba, hbb mna.Handle
}

const diodeIS, diodeVT = 1e-14, 0.025852

func (d *expDiode) Name() string { return "dtest" }
func (d *expDiode) Setup(b *mna.Builder) {
	d.a, d.b = b.Node(d.nodes[0]), b.Node(d.nodes[1])
	d.haa, d.hab, d.hba, d.hbb = b.Entry(d.a, d.a), b.Entry(d.a, d.b), b.Entry(d.b, d.a), b.Entry(d.b, d.b)
}
func (d *expDiode) Load(ctx *devices.Context) {
	v := ctx.X[d.a] - ctx.X[d.b]
	e := math.Exp(v / diodeVT)
	i, g := diodeIS*(e-1), diodeIS*e/diodeVT
	ctx.F[d.a] += i
	ctx.F[d.b] -= i
	ctx.G[d.haa] += g
	ctx.G[d.hab] -= g
	ctx.G[d.hba] -= g
	ctx.G[d.hbb] += g
}

// circuitWith builds a netlist's devices plus extra test devices into an analysis circuit.
func circuitWith(t *testing.T, netlist string, extra ...devices.Device) (*analysis.Circuit, *mna.System) {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte(netlist))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := devices.Build(context.Background(), c, devices.Env{TStep: 1e-6, TStop: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	devs = append(devs, extra...)
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	for _, d := range devs {
		d.Setup(b)
	}
	sys := b.Build()
	return &analysis.Circuit{Sys: sys, Devices: devs}, sys
}

type memory struct{ rows [][]float64 }

func (m *memory) Begin([]analysis.Column) error { return nil }
func (m *memory) Point(r []float64) error {
	m.rows = append(m.rows, append([]float64(nil), r...))
	return nil
}

func probeOf(t *testing.T, sys *mna.System, label string) analysis.Output {
	i, ok := sys.Lookup(label)
	if !ok {
		t.Fatalf("no %s", label)
	}
	return analysis.Output{Name: label, Probe: index(i)}
}

type index int

func (i index) Value(x []float64) float64 { return x[i] }

func TestConvergenceAidsRescueOP(t *testing.T) {
	cases := []struct {
		name, netlist string
		current       float64 // the diode current the answer must carry
	}{
		{"current source into a diode", "t\nI1 0 a 1m\n.end\n", 1e-3},
		{"10 V through 1 ohm into a diode", "t\nV1 s 0 10\nR1 s a 1\n.end\n", math.NaN()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ckt, sys := circuitWith(t, c.netlist, &expDiode{nodes: [2]string{"a", "0"}})
			var notes []string
			log := func(f string, args ...any) { notes = append(notes, fmt.Sprintf(f, args...)) }
			var m memory
			_, err := analysis.OP(context.Background(), ckt, analysis.DefaultOptions(), []analysis.Output{probeOf(t, sys, "v(a)")}, &m, log)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) == 0 || !strings.Contains(notes[0], "stepping converged") {
				t.Errorf("no note that a convergence aid was needed: %q", notes)
			}
			v := m.rows[0][0]
			want := c.current
			if math.IsNaN(want) {
				want = (10 - v) / 1 // through the 1 ohm resistor
			}
			if got := diodeIS * math.Expm1(v/diodeVT); math.Abs(got-want) > 1e-3*want {
				t.Errorf("v(a) = %.6g carries %.6g A, want %.6g A", v, got, want)
			}
			t.Logf("v(a) = %.6g V; %s", v, notes[0])
		})
	}
}

func TestTransientCutsStepWhenNewtonFails(t *testing.T) {
	// A 10 V sine through 1 ohm into an unlimited diode, at about 17 steps a period: when
	// the diode turns on within a step, Newton overshoots and needs more than itl4 iterations.
	ckt, sys := circuitWith(t, "t\nV1 s 0 SIN(0 10 100k)\nR1 s a 1\n.end\n",
		&expDiode{nodes: [2]string{"a", "0"}})
	var m memory
	spec := analysis.TranSpec{Step: 1e-6, Stop: 30e-6}
	outs := []analysis.Output{probeOf(t, sys, "v(a)"), probeOf(t, sys, "v(s)")}
	stats, err := analysis.Tran(context.Background(), ckt, analysis.DefaultOptions(), spec, outs, &m, func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	if stats.NewtonFailures == 0 {
		t.Errorf("expected Newton failures to be cut and retried, stats %+v", stats)
	}
	// At every point the diode carries what the resistor brings.
	peak := 0.0
	for _, r := range m.rows {
		va, vs := r[1], r[2]
		got, want := diodeIS*math.Expm1(va/diodeVT), vs-va
		peak = math.Max(peak, want)
		if math.Abs(got-want) > 1e-3*math.Abs(want)+1e-9 {
			t.Errorf("at t = %g the diode carries %.6g A, the resistor %.6g A", r[0], got, want)
		}
	}
	t.Logf("stats %+v, peak current %.4g A", stats, peak)
}

// stubborn draws 1 mA out of its node above 0.5 V and 1 mA into it below: once a source
// drives the node to 0.5 V there is no solution for any step, so the transient must stop.
type stubborn struct{ expDiode }

func (d *stubborn) Load(ctx *devices.Context) {
	v := ctx.X[d.a]
	i := 1e-3 * math.Copysign(1, v-0.5)
	ctx.F[d.a] += i
	ctx.G[d.haa] += 1e-9
}

func TestTransientStopsWithTimeAndUnknown(t *testing.T) {
	ckt, sys := circuitWith(t, "t\nV1 s 0 PWL(0 -1 10u 2)\nR1 s a 1k\nC1 a 0 1n\n.end\n", &stubborn{expDiode{nodes: [2]string{"a", "0"}}})
	var m memory
	spec := analysis.TranSpec{Step: 1e-6, Stop: 20e-6}
	_, err := analysis.Tran(context.Background(), ckt, analysis.DefaultOptions(), spec, []analysis.Output{probeOf(t, sys, "v(a)")}, &m, func(string, ...any) {})
	var stop *analysis.StopError
	if !errors.As(err, &stop) {
		t.Fatalf("want a StopError, got %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "timestep too small") || !strings.Contains(msg, "v(a)") {
		t.Errorf("message does not say the step got too small at v(a): %s", msg)
	}
	if stop.Time <= 0 || stop.Time >= 20e-6 || len(m.rows) == 0 {
		t.Errorf("stopped at %g with %d rows delivered", stop.Time, len(m.rows))
	}
	t.Log(msg)
}

func TestSingularMatrixNamesTheUnknown(t *testing.T) {
	// Singular, but not from the topology (a node without a DC path or a loop of voltage
	// sources, which Build refuses): a VCCS of zero gain across its own node, a VCVS of
	// gain one across its own input.
	cases := []struct{ netlist, want string }{
		{"t\nV1 a 0 1\nR1 a 0 1k\nG1 c 0 c 0 0\n.op\n.end\n", "node c"},
		{"t\nV1 a 0 1\nR1 a 0 1k\nE1 b 0 b 0 1\nR2 b 0 1k\n.op\n.end\n", "e1"},
		{"t\nV1 a 0 1\nR1 a 0 1k\nE1 b 0 b 0 1\nR2 b 0 1k\n.op\n.end\n", "loop of voltage sources and inductors"},
	}
	for _, c := range cases {
		sim, err := gospice.Parse("t.cir", c.netlist)
		if err != nil {
			t.Fatal(err)
		}
		_, err = crosscheck.RunSimulation(sim, "op")
		if err == nil || !strings.Contains(err.Error(), "singular") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want a singular matrix naming %q", c.netlist, err, c.want)
		}
		t.Log(err)
	}
}

type discard struct{}

func (discard) Begin([]analysis.Column) error { return nil }
func (discard) Point([]float64) error         { return nil }

// TestNoAllocationPerStep runs the same circuit for 10 and 100 periods: the allocations
// of setup are the same, so any difference comes from the time-step loop.
func TestNoAllocationPerStep(t *testing.T) {
	allocs := func(periods int) uint64 {
		text := fmt.Sprintf("t\nV1 in 0 PULSE(0 1 0 1u 1u 4u 10u)\nR1 in out 1k\nC1 out 0 1n\nL1 out x 1m\nR2 x 0 10\n.tran 0.1u %du\n.end\n", 10*periods)
		sim, err := gospice.Parse("t.cir", text)
		if err != nil {
			t.Fatal(err)
		}
		a := sim.Analyses()[0]
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		stats, err := sim.Run(context.Background(), a, discard{}, nil)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d periods: %d points, %d allocations", periods, stats.Points, after.Mallocs-before.Mallocs)
		return after.Mallocs - before.Mallocs
	}
	short, long := allocs(10), allocs(100)
	if long > short+10 {
		t.Errorf("%d more allocations for 10 times the steps: the time-step loop allocates", long-short)
	}
}
