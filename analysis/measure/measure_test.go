package measure

import (
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

// The synthetic run of the tests: five points, t = 0 1 2 3 4.
//
//	v(a) = 0 2 0 2 0   a triangle: 1 is crossed at 0.5 (rise), 1.5, 2.5 (rise), 3.5
//	v(b) = 1 1 1 1 1
//	v(c) = 0 1 2 3 4   a ramp
//	v(d) = 0 1 1 0 0   reaches 1 at t=1, stays, and leaves it at t=2
//	v(e) = 2 1 2 1 0   touches 1 from above at t=1 and goes back up; comes down to it at t=3
var synthetic = struct {
	t       []float64
	a, b, c []float64
	d, e    []float64
}{
	t: []float64{0, 1, 2, 3, 4},
	a: []float64{0, 2, 0, 2, 0},
	b: []float64{1, 1, 1, 1, 1},
	c: []float64{0, 1, 2, 3, 4},
	d: []float64{0, 1, 1, 0, 0},
	e: []float64{2, 1, 2, 1, 0},
}

// measureLines parses .meas lines (with .param lines) into specs.
func measureLines(t *testing.T, analysis string, lines ...string) *parser.Circuit {
	t.Helper()
	text := "measure test\nv1 a 0 1\nr1 a b 1\nr2 b c 1\nr3 c d 1\nr4 d 0 1\n"
	switch analysis {
	case "tran":
		text += ".tran 1 4\n"
	case "dc":
		text += ".dc v1 0 4 1\n"
	}
	text += strings.Join(lines, "\n") + "\n.end\n"
	c, err := parser.Parse("m.cir", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return c
}

// run feeds the synthetic run to the measurements and returns their results by line.
func run(t *testing.T, c *parser.Circuit, x []float64) []Result {
	t.Helper()
	set := New(c.Measures, c.Params, Env{Temp: 27, Gmin: 1e-12})
	series := map[string][]float64{"v(a)": synthetic.a, "v(b)": synthetic.b, "v(c)": synthetic.c, "v(d)": synthetic.d, "v(e)": synthetic.e}
	vecs := Vectors(c.Measures)
	row := make([]float64, len(vecs))
	for k := range x {
		for i, v := range vecs {
			col, ok := series[v.Name]
			if !ok {
				t.Fatalf("no synthetic vector %s", v.Name)
			}
			row[i] = col[k]
		}
		set.Point(x[k], row)
	}
	return set.Results()
}

func TestMeasuresOnASyntheticRun(t *testing.T) {
	tests := []struct {
		line string
		want float64
	}{
		// WHEN: crossings interpolated between points.
		{"when v(a)=1", 0.5},
		{"when v(a)=1 rise=1", 0.5},
		{"when v(a)=1 fall=1", 1.5},
		{"when v(a)=1 cross=3", 2.5},
		{"when v(a)=1 cross=last", 3.5},
		{"when v(a)=1 rise=last", 2.5},
		{"when v(a)=1.5 fall=2", 3.25},
		{"when v(a)=v(b) fall=2", 3.5},
		{"when v(b)=v(a) fall=1", 0.5}, // v(b) - v(a) falls where v(a) rises
		{"when v(a)=1 td=1", 1.5},      // crossings before TD are not counted
		{"when v(a)=1 cross=1 from=1.6", 2.5},
		{"when v(a)=1 cross=last to=3", 2.5},
		{"when v(a)=1 rise=1 td=0.5", 0.5}, // a crossing on the window's edge counts
		// ngspice's state machine: the signal is above the level once it reaches it
		// (a rise) and below once it comes down to it (a fall). v(d) reaches 1 at t=1, a
		// rise; its next point, still on 1, counts as a fall (which has no single point:
		// see TestFailedMeasures).
		{"when v(d)=1", 1},
		{"when v(d)=0.5 fall=1", 2.5},
		// v(e) touches 1 from above at t=1 (a fall) and goes back up (a rise, from the
		// point on the level), then comes down to 1 at t=3 (a fall); going on down to 0
		// is no further crossing.
		{"when v(e)=1 fall=1", 1},
		{"when v(e)=1 rise=1", 1},
		{"when v(e)=1 cross=2", 1},
		{"when v(e)=1 cross=3", 3},
		{"when v(e)=1 cross=last", 3},
		{"when v(e)=1 rise=last", 1},
		{"when v(e)=1.5 cross=last", 2.5},
		// TRIG ... TARG
		{"trig v(a) val=1 rise=1 targ v(a) val=1 fall=2", 3},
		{"trig v(a) val=1 fall=1 targ v(a) val=1 rise=1", -1},
		{"trig at=0.25 targ v(a) val=1 rise=2", 2.25},
		{"trig v(c) val=1 rise=1 targ at=3.5", 2.5},
		// FIND and DERIV
		{"find v(a) at=0.25", 0.5},
		{"find v(b) at=2.5", 1},
		{"find v(a) at=4", 0},
		{"find v(c) when v(a)=1 cross=2", 1.5},
		{"find v(a) when v(c)=2.5", 1},
		// par() is computed at each point, then interpolated, as ngspice's B source is: the
		// product is 2 at t=1 and 0 at t=2.
		{"find par('v(a)*v(c)') at=1.5", 1},
		{"find par('time*2+v(b)') at=1.5", 4},
		// x/0 is x/1e-32 (gmin 1e-12), as in a B source: v(a) - 2 is 0 at t=1.
		{"find par('1/(v(a)-2)') at=1", 1e32},
		{"deriv v(a) at=0.5", 2},
		{"deriv v(a) at=1.5", -2},
		{"deriv v(a) when v(c)=3.25", -2},
		{"deriv par('v(c)*v(c)') at=2.5", 5}, // the chord of t^2 from 2 to 3
		// Statistics, the window's ends interpolated.
		{"avg v(a)", 1},
		{"avg v(a) from=0.5 to=1.5", 1.5},
		{"avg v(c) from=-10 to=2", 1}, // the window is cut to the run
		{"integ v(a) from=0 to=1", 1},
		{"integ v(c)", 8},
		{"integ v(a) td=3", 1},
		{"rms v(b)", 1},
		{"rms v(c)", math.Sqrt(5.5)}, // trapezoids of t^2: (0+1 + 1+4 + 4+9 + 9+16)/2 over 4
		{"max v(a)", 2},
		{"max_at v(a)", 3}, // the later of equal maxima, as ngspice
		{"min v(a) from=0.5 to=3.5", 0},
		{"min_at v(a) from=0.5 to=3.5", 2},
		{"min v(a) from=0.25 to=0.75", 0.5},
		{"min_at v(a) from=0.25 to=0.75", 0.25},
		{"max v(a) from=0.25 to=0.75", 1.5},
		{"pp v(a)", 2},
		{"pp v(c) from=1.5 to=2", 0.5},
	}
	for _, tt := range tests {
		c := measureLines(t, "tran", ".meas tran m "+tt.line)
		r := run(t, c, synthetic.t)
		if len(r) != 1 {
			t.Fatalf("%s: %d results", tt.line, len(r))
		}
		if r[0].Err != nil {
			t.Errorf("%s: %v", tt.line, r[0].Err)
			continue
		}
		if math.Abs(r[0].Value-tt.want) > 1e-12 {
			t.Errorf("%s = %g, want %g", tt.line, r[0].Value, tt.want)
		}
	}
}

func TestFailedMeasures(t *testing.T) {
	tests := []struct{ line, why string }{
		{"when v(a)=1 rise=3", "v(a) rises through 1 2 time(s), not 3"},
		{"when v(a)=5", "v(a) never crosses 5"},
		{"when v(a)=1 fall=1 from=3.6", "v(a) never falls through 1 after 3.6"},
		{"when v(a)=1 cross=1 from=1.6 to=2", "v(a) never crosses 1 between 1.6 and 2"},
		{"when v(d)=1 cross=3", "v(d) crosses 1 2 time(s), not 3"},
		{"when v(e)=1 rise=2", "v(e) rises through 1 1 time(s), not 2"},
		{"when v(d)=1 cross=2", "v(d) stays at 1 from 1 to 2: its crossing number 2 there has no single point"},
		{"when v(d)=1 fall=last", "v(d) stays at 1 from 1 to 2: its last fall there has no single point"},
		{"when v(a)=v(b) rise=5", "v(a) rises through v(b) 2 time(s), not 5"},
		{"find v(a) at=5", "AT=5 is outside the run (0 to 4)"},
		{"find v(a) at=-1", "AT=-1 is outside the run (0 to 4)"},
		{"trig v(a) val=9 cross=1 targ at=1", "TRIG: v(a) never crosses 9"},
		{"trig at=1 targ v(a) val=1 fall=3", "TARG: v(a) falls through 1 2 time(s), not 3"},
		{"avg v(a) from=5 to=6", "no part of the run (0 to 4) is between 5 and 6"},
		{"avg v(a) from=2 to=2", "the window 2 to 2 has no width"},
		{"find par('sqrt(v(a)-1)') at=2", "par('sqrt(v(a)-1)') at 0: sqrt(v(a)-1) is not a finite number (sqrt(-1))"},
	}
	for _, tt := range tests {
		c := measureLines(t, "tran", ".meas tran m "+tt.line)
		r := run(t, c, synthetic.t)
		if r[0].Err == nil {
			t.Errorf("%s = %g, want a failure", tt.line, r[0].Value)
			continue
		}
		if !math.IsNaN(r[0].Value) {
			t.Errorf("%s: value %g, want NaN", tt.line, r[0].Value)
		}
		if r[0].Err.Error() != tt.why {
			t.Errorf("%s: %q, want %q", tt.line, r[0].Err, tt.why)
		}
		if s := r[0].String(); !strings.HasPrefix(s, "m = failed (") {
			t.Errorf("%s prints as %q", tt.line, s)
		}
	}
}

func TestParamMeasures(t *testing.T) {
	c := measureLines(t, "tran",
		".param k=3 first=100",
		".meas tran p0 param='first+1'", // the parameter: no measurement of that name yet
		".meas tran first when v(a)=1",
		".meas tran p1 param='first*k'", // the measurement hides the parameter
		".meas tran bad when v(a)=9",
		".meas tran p2 param='bad+1'",
		".meas tran p3 param='first > 0.4 ? 1 : 0'",
		".meas tran first when v(a)=1 cross=2", // a second result of the same name
		".meas tran p4 param='first'",
		".meas tran p5 param='1/(first-1.5)'",
	)
	r := run(t, c, synthetic.t)
	want := []struct {
		name string
		v    float64
		err  string
	}{
		{"p0", 101, ""}, {"first", 0.5, ""}, {"p1", 1.5, ""}, {"bad", 0, "v(a) never crosses 9"},
		{"p2", 0, "it uses bad, which failed"}, {"p3", 1, ""}, {"first", 1.5, ""}, {"p4", 1.5, ""},
		{"p5", 0, "division by zero"},
	}
	if len(r) != len(want) {
		t.Fatalf("%d results, want %d", len(r), len(want))
	}
	for i, w := range want {
		got := r[i]
		switch {
		case got.Name != w.name:
			t.Errorf("result %d is %s, want %s", i, got.Name, w.name)
		case w.err != "" && (got.Err == nil || got.Err.Error() != w.err):
			t.Errorf("%s: error %v, want %q", w.name, got.Err, w.err)
		case w.err == "" && (got.Err != nil || got.Value != w.v):
			t.Errorf("%s = %g (%v), want %g", w.name, got.Value, got.Err, w.v)
		}
	}
	if s := r[1].String(); s != "first = 5.000000e-01" {
		t.Errorf("prints as %q", s)
	}
}

// A .dc sweep may run downwards; its window is the range between FROM and TO.
func TestDownwardSweep(t *testing.T) {
	c := measureLines(t, "dc",
		".meas dc avg avg v(c) from=3 to=1",
		".meas dc when when v(c)=2.5",
		".meas dc max max_at v(a) from=0.5 to=3.5",
	)
	x := []float64{4, 3, 2, 1, 0} // the swept source, falling; v(c) is then 0 1 2 3 4
	r := run(t, c, x)
	for i, want := range []float64{2, 1.5, 1} {
		if r[i].Err != nil || math.Abs(r[i].Value-want) > 1e-12 {
			t.Errorf("%s = %g (%v), want %g", r[i].Name, r[i].Value, r[i].Err, want)
		}
	}
}

func TestVectorsOnceEach(t *testing.T) {
	c := measureLines(t, "tran",
		".meas tran m1 trig v(a) val=1 rise=1 targ v(c) val=1 cross=1",
		".meas tran m2 find par('v(b)*v(a)+v(d)') when v(a)=v(b)",
		".meas tran m3 param='m1+m2'",
	)
	var names []string
	for _, v := range Vectors(c.Measures) {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, " "); got != "v(a) v(c) v(b) v(d)" {
		t.Errorf("vectors %s", got)
	}
}

// With fewer than two points there is no line to measure on.
func TestOnePoint(t *testing.T) {
	c := measureLines(t, "tran", ".meas tran m find v(a) at=0", ".meas tran n max v(a)")
	r := run(t, c, synthetic.t[:1])
	if r[0].Err == nil || r[0].Err.Error() != "AT=0: the run has 1 point(s)" {
		t.Errorf("find: %v", r[0].Err)
	}
	if r[1].Err == nil {
		t.Errorf("max = %g with one point", r[1].Value)
	}
}

// TestParSignalAllocatesNothing: a par('...') expression is computed at every point of
// the run, with no allocation.
func TestParSignalAllocatesNothing(t *testing.T) {
	c := measureLines(t, "tran", ".meas tran m max par('v(a)*v(c)/(v(b)-1) + sqrt(abs(v(d))) + time')")
	set := New(c.Measures, c.Params, Env{Temp: 27, Gmin: 1e-12})
	row := make([]float64, len(Vectors(c.Measures)))
	x := 0.0
	if n := testing.AllocsPerRun(100, func() {
		x++
		for i := range row {
			row[i] = x * float64(i+1)
		}
		set.Point(x, row)
	}); n != 0 {
		t.Errorf("Point allocates %g times", n)
	}
}
