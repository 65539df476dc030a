package gospice_test

import (
	"context"
	"errors"
	"math"
	"math/cmplx"
	"slices"
	"strings"
	"testing"

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
	if op.Len() != 1 || op.Scale() != nil || op.Vector("v(out)")[0] != 1 || op.IsComplex() {
		t.Errorf("op: %d points, scale %v, v(out) %v", op.Len(), op.Scale(), op.Vector("v(out)"))
	}
	if !slices.Equal(dc.Scale(), []float64{0, 1, 2}) || !slices.Equal(dc.Vector("V(OUT)"), []float64{0, 1, 2}) {
		t.Errorf("dc: scale %v, v(out) %v", dc.Scale(), dc.Vector("v(out)"))
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
	h := ac.Complex("v(out)")
	for k, fk := range f {
		want := 1 / complex(1, 2*math.Pi*fk*1e-3)
		if cmplx.Abs(h[k]-want) > 1e-9 {
			t.Errorf("H(%g) = %v, want %v", fk, h[k], want)
		}
		if got, w := ac.Vector("vdb(out)")[k], 20*math.Log10(cmplx.Abs(want)); math.Abs(got-w) > 1e-6 {
			t.Errorf("vdb(out) at %g: %g, want %g", fk, got, w)
		}
		if got, w := ac.Vector("vp(out)")[k], cmplx.Phase(want)*180/math.Pi; math.Abs(got-w) > 1e-6 {
			t.Errorf("vp(out) at %g: %g, want %g", fk, got, w)
		}
		if got := ac.Vector("re(v(out))")[k]; math.Abs(got-real(want)) > 1e-9 {
			t.Errorf("re(v(out)) at %g: %g", fk, got)
		}
		if got := ac.Vector("vi(out)")[k]; math.Abs(got-imag(want)) > 1e-9 {
			t.Errorf("vi(out) at %g: %g", fk, got)
		}
		if got := ac.Vector("im(v1)")[k]; math.Abs(got-cmplx.Abs(ac.Complex("i(v1)")[k])) > 1e-15 {
			t.Errorf("im(v1) (the magnitude of i(v1)) at %g: %g", fk, got)
		}
	}
	if ac.Vector("v(out)") != nil || ac.Vector("vdb(nowhere)") != nil || tran.Vector("v(nowhere)") != nil || tran.Complex("v(out)") != nil {
		t.Error("a vector that is not there, or not real, should be nil")
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

func (c *complexRecorder) Begin(names []string) error { c.names = names; return nil }
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
