package gospice_test

import (
	"context"
	"errors"
	"math"
	"math/cmplx"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gospice/gospice"
)

func parse(t *testing.T, text string) *gospice.Simulation {
	t.Helper()
	sim, err := gospice.Parse("t.cir", text)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

func TestResultsOfEveryAnalysis(t *testing.T) {
	sim := parse(t, `all four
V1 in 0 DC 1 AC 1
R1 in out 1k
C1 out 0 1u
.op
.dc V1 0 2 1
.tran 100u 1m
.ac dec 1 10 10k
.end
`)
	results, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 {
		t.Fatalf("%d results", len(results))
	}
	op, dc, tran, ac := results[0], results[1], results[2], results[3]
	if op.Len() != 1 || op.Scale() != nil || vector(t, op, "v(out)")[0] != 1 || op.IsComplex() {
		t.Errorf("op: %d points, scale %v, v(out) %v", op.Len(), op.Scale(), vector(t, op, "v(out)"))
	}
	if !slices.Equal(dc.Scale(), []float64{0, 1, 2}) || !slices.Equal(vector(t, dc, "V(OUT)"), []float64{0, 1, 2}) {
		t.Errorf("dc: scale %v, v(out) %v", dc.Scale(), vector(t, dc, "v(out)"))
	}
	if tran.Names()[0] != "time" || tran.Scale()[0] != 0 || tran.Scale()[tran.Len()-1] != 1e-3 {
		t.Errorf("tran: names %v", tran.Names())
	}
	if !ac.IsComplex() || !slices.Equal(ac.Names(), []string{"frequency", "v(in)", "v(out)", "i(v1)"}) {
		t.Errorf("ac: names %v", ac.Names())
	}
	f := ac.Scale()
	if !slices.Equal(f, []float64{10, 100, 1000, 10000}) {
		t.Errorf("ac frequencies %v", f)
	}
	h, _ := ac.Complex("v(out)")
	for k, fk := range f {
		want := 1 / complex(1, 2*math.Pi*fk*1e-3)
		if cmplx.Abs(h[k]-want) > 1e-9 {
			t.Errorf("H(%g) = %v, want %v", fk, h[k], want)
		}
		if got, w := vector(t, ac, "vdb(out)")[k], 20*math.Log10(cmplx.Abs(want)); math.Abs(got-w) > 1e-6 {
			t.Errorf("vdb(out) at %g: %g, want %g", fk, got, w)
		}
		if got, w := vector(t, ac, "vp(out)")[k], cmplx.Phase(want)*180/math.Pi; math.Abs(got-w) > 1e-6 {
			t.Errorf("vp(out) at %g: %g, want %g", fk, got, w)
		}
		if got := vector(t, ac, "re(v(out))")[k]; math.Abs(got-real(want)) > 1e-9 {
			t.Errorf("re(v(out)) at %g: %g", fk, got)
		}
		if got := vector(t, ac, "vi(out)")[k]; math.Abs(got-imag(want)) > 1e-9 {
			t.Errorf("vi(out) at %g: %g", fk, got)
		}
		if got := vector(t, ac, "im(v1)")[k]; math.Abs(got-cmplx.Abs(complexVector(t, ac, "i(v1)")[k])) > 1e-15 {
			t.Errorf("im(v1) (the magnitude of i(v1)) at %g: %g", fk, got)
		}
	}
	for _, c := range []struct {
		r    *gospice.Result
		name string
	}{{ac, "v(out)"}, {ac, "vdb(nowhere)"}, {tran, "v(nowhere)"}} {
		if v, ok := c.r.Vector(c.name); ok || v != nil {
			t.Errorf("%s of %s: %v, %v; want none (not there, or not real)", c.name, c.r.Analysis.Name(), v, ok)
		}
	}
	if v, ok := tran.Complex("v(out)"); ok || v != nil {
		t.Errorf("complex v(out) of a transient: %v, %v; want none", v, ok)
	}
	// A transient that stops before its first point has its vectors, empty.
	bad := parse(t, "t\nV1 a 0 1\nR1 a b 1k\nB1 b 0 V=sqrt(-1-v(a))\n.tran 1u 10u\n.end\n")
	stopped, err := bad.Collect(context.Background(), bad.Analyses()[0])
	if err == nil {
		t.Fatal("the square root of a negative number: no error")
	}
	if v, ok := stopped.Vector("v(a)"); !ok || len(v) != 0 {
		t.Errorf("v(a) of a transient stopped before its first point: %v, %v; want empty and there", v, ok)
	}
}

func TestRunComplexFollowsPrintAC(t *testing.T) {
	sim := parse(t, `print forms
V1 in 0 DC 0 AC 1
R1 in out 1k
C1 out 0 1u
.ac dec 1 10 100
.print ac vm(out) vp(out) vdb(in) im(v1) v(in,out)
.end
`)
	var names []string
	sink := &complexRecorder{}
	if _, err := sim.RunComplex(context.Background(), sim.Analyses()[0], sink, nil); err != nil {
		t.Fatal(err)
	}
	names = sink.names
	if want := []string{"frequency", "v(out)", "v(in)", "i(v1)", "v(in,out)"}; !slices.Equal(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
	for _, row := range sink.rows {
		if imag(row[0]) != 0 || cmplx.Abs(row[1]+row[4]-row[2]) > 1e-12 {
			t.Errorf("row %v: v(out) + v(in,out) should be v(in)", row)
		}
	}
	if _, err := sim.RunComplex(context.Background(), &gospice.OP{}, sink, nil); err == nil {
		t.Error("RunComplex ran an .op")
	}
}

type complexRecorder struct {
	names []string
	rows  [][]complex128
}

func (c *complexRecorder) Begin(cols []gospice.Column) error {
	c.names = nil
	for _, col := range cols {
		c.names = append(c.names, col.Name)
	}
	return nil
}
func (c *complexRecorder) Point(row []complex128) error {
	c.rows = append(c.rows, slices.Clone(row))
	return nil
}

func TestSinkFuncStopsTheRun(t *testing.T) {
	sim := parse(t, "t\nV1 a 0 1\nR1 a 0 1k\n.tran 1u 1m\n.end\n")
	stop := errors.New("enough")
	n := 0
	_, err := sim.Run(context.Background(), sim.Analyses()[0], gospice.SinkFunc(func(names []string, row []float64) error {
		if names[0] != "time" {
			t.Errorf("names %v", names)
		}
		if n++; n == 3 {
			return stop
		}
		return nil
	}), nil)
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("after %d points: %v", n, err)
	}
}

func TestResultsKeepThePointsBeforeAFailure(t *testing.T) {
	sim := parse(t, "t\nV1 a 0 1\nR1 a 0 1k\n.op\n.tran 1u 1m\n.end\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results, err := sim.Results(ctx)
	if err == nil {
		t.Fatal("a cancelled run succeeded")
	}
	if len(results) != 1 || results[0].Analysis.Name() != "op" {
		t.Errorf("%d results", len(results))
	}
}

func TestNodesAndElements(t *testing.T) {
	sim := parse(t, "t\nV1 in 0 1\nR1 in out 1k\nD1 out 0 dm\n.model dm d rs=10\n.op\n.end\n")
	if got := sim.Nodes(); !slices.Equal(got, []string{"in", "out"}) {
		t.Errorf("nodes %v (the diode's internal node must not be listed)", got)
	}
	var names []string
	for _, e := range sim.Elements() {
		names = append(names, e.Name)
	}
	if !slices.Equal(names, []string{"v1", "r1", "d1"}) || sim.Title() != "t" {
		t.Errorf("elements %v, title %q", names, sim.Title())
	}
}

func TestSuggestions(t *testing.T) {
	for _, c := range []struct{ netlist, want string }{
		{"t\nV1 in 0 1\nR1 in out 1k\n.print tran v(ot)\n.tran 1u 1m\n.end\n", `cannot output v(ot): no such node; did you mean "v(out)"?`},
		{"t\nV1 in 0 1\nR1 in out 1k\n.print tran i(v2)\n.tran 1u 1m\n.end\n", `did you mean "i(v1)"?`},
		{"t\nV1 in 0 1\nR1 in out 1k\n.ic v(outt)=1\n.tran 1u 1m\n.end\n", `.ic: unknown node "outt"; did you mean "v(out)"?`},
		{"t\nV1 in 0 1\nR1 in out 1k\n.print tran v(zzz)\n.tran 1u 1m\n.end\n", "no such node"},
	} {
		_, err := gospice.Parse("t.cir", c.netlist)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
		if strings.Contains(c.want, "no such node") && !strings.Contains(c.want, "did you mean") && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("a far name got a suggestion: %v", err)
		}
	}
}

// vector returns a result's vector, failing the test when it has none of that name.
func vector(t *testing.T, r *gospice.Result, name string) []float64 {
	t.Helper()
	v, ok := r.Vector(name)
	if !ok {
		t.Fatalf("%s: no vector %q (it has %v)", r.Analysis.Name(), name, r.Names())
	}
	return v
}

// complexVector returns a result's complex vector, failing the test when it has none.
func complexVector(t *testing.T, r *gospice.Result, name string) []complex128 {
	t.Helper()
	v, ok := r.Complex(name)
	if !ok {
		t.Fatalf("%s: no complex vector %q", r.Analysis.Name(), name)
	}
	return v
}

// TestRunAnAnalysisTheNetlistLacks: an analysis made by the caller runs with the vectors
// the netlist would give it, not a bare scale; one whose .print lines are wrong is refused.
func TestRunAnAnalysisTheNetlistLacks(t *testing.T) {
	sim := parse(t, "t\nV1 in 0 1\nR1 in out 1k\nC1 out 0 1u\n.op\n.end\n")
	res, err := sim.Collect(context.Background(), &gospice.Tran{Step: 1e-4, Stop: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"time", "v(in)", "v(out)", "i(v1)"}; !slices.Equal(res.Names(), want) {
		t.Errorf("vectors %v, want %v", res.Names(), want)
	}
	if v := vector(t, res, "v(out)"); res.Len() < 10 || math.Abs(v[len(v)-1]-1) > 1e-3 {
		t.Errorf("%d points, v(out) ends at %v", res.Len(), v[len(v)-1:])
	}
	ac, err := sim.Collect(context.Background(), &gospice.AC{Sweep: "dec", Points: 1, Start: 10, Stop: 100})
	if err != nil || !slices.Equal(ac.Names(), []string{"frequency", "v(in)", "v(out)", "i(v1)"}) {
		t.Errorf(".ac: %v, vectors %v", err, ac.Names())
	}

	bad := parse(t, "t\nV1 in 0 1\nR1 in 0 1k\n.print tran v(nowhere)\n.op\n.end\n")
	if _, err := bad.Collect(context.Background(), &gospice.Tran{Step: 1e-4, Stop: 1e-3}); err == nil || !strings.Contains(err.Error(), "v(nowhere)") {
		t.Errorf("a .tran whose .print names no node: %v", err)
	}
	if _, err := bad.Collect(context.Background(), bad.Analyses()[0]); err != nil {
		t.Errorf("the netlist's own .op: %v", err)
	}
	if _, err := sim.Collect(context.Background(), &gospice.Tran{Step: 1e-12, Stop: 1}); err == nil {
		t.Error("a .tran of 1e12 steps was not refused")
	}
}

// TestBuildIsCancelled: a cancelled context stops Parse and Build with its error.
func TestBuildIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := gospice.ParseContext(ctx, "t.cir", "t\nR1 a 0 1k\n.op\n.end\n"); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext with a cancelled context: %v", err)
	}
	// Cancelled while reading a netlist that takes seconds to parse.
	var b strings.Builder
	b.WriteString("many\nV1 n0 0 1\n")
	for i := range 200000 {
		b.WriteString("R" + strconv.Itoa(i) + " n" + strconv.Itoa(i) + " n" + strconv.Itoa(i+1) + " 1k\n")
	}
	b.WriteString(".op\n.end\n")
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := gospice.ParseContext(ctx, "t.cir", b.String()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while parsing 200000 lines: %v", err)
	}
}

// TestDefaultOutputsHoldTheInternalNodesNgspiceWrites: without .save, the outputs hold
// the internal nodes ngspice 39 writes by default (a VBIC's collCI and substrate, a VDMOS's
// gate and body diode, as ngspice names them, measured with ngspice -b -r) and not those
// it leaves out (the nodes behind a BJT's or VBIC's collector, base and emitter
// resistances, a diode's, a VDMOS's drain and source).
func TestDefaultOutputsHoldTheInternalNodesNgspiceWrites(t *testing.T) {
	sim := parse(t, `internal nodes
vd d 0 1 ac 1
vg g 0 1
q1 d g 0 qv
.model qv npn level=4 rcx=10 rci=60 rbx=10 rbi=40 re=2 rs=20 rbp=40
m1 d g 0 irf
.model irf vdmos vto=4 kp=25 rg=1.77 rd=1.85m rs=0.1m rb=3.75m
q2 d g 0 qb
.model qb npn rc=10 rb=20 re=1
d1 d 0 dm
.model dm d rs=10
.op
.ac lin 1 1k 1k
.end
`)
	results, err := sim.Results(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"v(q1#substrate)", "v(q1#collci)", "v(m1#gate)", "v(m1#body diode)"}
	for _, r := range results {
		var internal []string
		for _, n := range r.Names() {
			if strings.Contains(n, "#") && !strings.HasPrefix(n, "i(") {
				internal = append(internal, n)
			}
		}
		slices.Sort(internal)
		w := slices.Clone(want)
		slices.Sort(w)
		if !slices.Equal(internal, w) {
			t.Errorf("internal nodes in the outputs %v, want %v", internal, w)
		}
	}
}
