package gospice_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
)

// TestSpikes: rising crossings of two vectors, matched by a wildcard, come out in time
// order at their interpolated times; hysteresis keeps a ripple around the level from
// counting twice.
func TestSpikes(t *testing.T) {
	sim, err := gospice.Parse("sp.cir", `spikes
va x1.n 0 pulse(0 1 1m 100u 100u 200u 1m)
vb x2.n 0 sin(0.5 0.6 3k)
vc ripple 0 pwl(0 0 1m 0.55 1.1m 0.45 1.2m 0.6 2m 0 3m 0 3.5m 1)
.spikes v(x?.n) level=0.5
.spikes v(rip*) level=0.5 hyst=0.2
.tran 10u 3.6m
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	// x1.n: ramps from 0 at 1 ms + k ms over 100 us: crossing 50 us in (the transient
	// lands on the corners, so the linear interpolation is exact).
	var want []gospice.Spike
	for k := 0; k < 3; k++ {
		want = append(want, gospice.Spike{Time: 1.05e-3 + float64(k)*1e-3, Vector: "v(x1.n)"})
	}
	// x2.n = 0.5 + 0.6 sin(2 pi 3k t): rises through 0.5 at t = k/3k, k >= 1 (it starts
	// at the level, rising: that is not a crossing from below).
	for k := 1; float64(k)/3e3 < 3.6e-3; k++ {
		want = append(want, gospice.Spike{Time: float64(k) / 3e3, Vector: "v(x2.n)"})
	}
	// ripple: rises through 0.5 at 0.909 ms, dips to 0.45 (not below 0.3: no re-arm),
	// then falls to 0 and rises through 0.5 again at 3.25 ms.
	want = append(want, gospice.Spike{Time: 1e-3 * 0.5 / 0.55, Vector: "v(ripple)"}, gospice.Spike{Time: 3.25e-3, Vector: "v(ripple)"})
	sortSpikes(want)
	got := res.Stats.Spikes
	if len(got) != len(want) {
		t.Fatalf("%d spikes, want %d: %v", len(got), len(want), got)
	}
	worst := 0.0
	for k := range got {
		if got[k].Vector != want[k].Vector {
			t.Fatalf("spike %d is of %s, want %s", k, got[k].Vector, want[k].Vector)
		}
		if k > 0 && got[k].Time < got[k-1].Time {
			t.Fatalf("spikes out of time order at %d", k)
		}
		worst = max(worst, math.Abs(got[k].Time-want[k].Time))
	}
	// The sine's crossings are interpolated on a curve between accepted points: measured
	// 5.5e-9 s with the transient's own steps; the ramps' are exact.
	t.Logf("worst spike time error %.3g s", worst)
	if worst > 6e-8 {
		t.Fatalf("worst spike time error %g s", worst)
	}
}

func sortSpikes(s []gospice.Spike) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Time < s[j-1].Time; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestWildcards: * crosses the dots of subcircuit paths, ? matches one character, the
// matches come in node order, and a pattern that matches nothing is an error at its place.
func TestWildcards(t *testing.T) {
	const base = `wild
.subckt cell in out
r1 in mid 1k
r2 mid out 1k
r3 out 0 1k
.ends
v1 a 0 1
x1 a b cell
x2 b c cell
xab1 c d cell
`
	run := func(lines string) (string, error) {
		sim, err := gospice.Parse("w.cir", base+lines+"\n.tran 1u 2u\n.end\n")
		if err != nil {
			return "", err
		}
		res, err := sim.Collect(context.Background(), sim.Analyses()[0])
		if err != nil {
			return "", err
		}
		return strings.Join(res.Names()[1:], " "), nil
	}
	for _, c := range []struct{ lines, want string }{
		{".save v(x*.mid)", "v(x1.mid) v(x2.mid) v(xab1.mid)"},
		{".save v(x?.mid) v(?)", "v(x1.mid) v(x2.mid) v(a) v(b) v(c) v(d)"},
		{".save v(*)", "v(a) v(x1.mid) v(b) v(x2.mid) v(c) v(xab1.mid) v(d)"},
		{".print tran v(*1.*) i(v1)", "v(x1.mid) v(xab1.mid) i(v1)"},
	} {
		got, err := run(c.lines)
		if err != nil {
			t.Errorf("%s: %v", c.lines, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.lines, got, c.want)
		}
	}
	for _, c := range []struct{ lines, want string }{
		{".save v(a) v(y*)", "w.cir:11:12: v(y*) matches no node"},
		{".print tran v(x?)", "w.cir:11:13: v(x?) matches no node"},
		{".spikes v(q*) level=1", "w.cir:11:9: v(q*) matches no node"},
		{".save i(v*)", "w.cir:11:7: cannot output i(v*): wildcards"},
	} {
		_, err := run(c.lines)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.lines, err, c.want)
		}
	}
}

// TestMeasCount: COUNT counts the crossings of VAL in its direction within its window
// (ngspice 39 has no COUNT), and PARAM= turns it into a rate.
func TestMeasCount(t *testing.T) {
	sim, err := gospice.Parse("cnt.cir", `count
v1 a 0 pulse(0 1 0 1u 1u 1m 2m)
r1 a 0 1k
.tran 10u 10m
.meas tran n1 COUNT v(a) VAL=0.5 RISE
.meas tran n2 COUNT v(a) VAL=0.5 CROSS FROM=1m TO=5m
.meas tran n3 COUNT v(a) VAL=0.5 FALL TD=5m
.meas tran n4 COUNT v(a) VAL=2
.meas tran rate PARAM='n1/10m'
.end
`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Collect(context.Background(), sim.Analyses()[0])
	if err != nil {
		t.Fatal(err)
	}
	// Rises at 0.5 us, 2, 4, 6 and 8 ms; in [1, 5] ms falls at 1.0015 and 3.0015 ms and
	// rises at 2.0005 and 4.0005 ms; after 5 ms falls at 5, 7 and 9 ms (+ 1.5 us).
	for name, want := range map[string]float64{"n1": 5, "n2": 4, "n3": 3, "n4": 0, "rate": 500} {
		got, err := res.Measure(name)
		if err != nil || got != want {
			t.Errorf("%s = %g (%v), want %g", name, got, err, want)
		}
	}
	for _, c := range []struct{ line, want string }{
		{".meas tran n COUNT v(a) RISE", "cnt.cir:4:20: missing VAL="},
		{".meas tran n COUNT v(a) VAL=1 RISE=2", `cnt.cir:4:31: unexpected "RISE=2"`},
		{".meas tran n COUNT", "missing the signal after COUNT"},
	} {
		// a malformed measurement fails with a warning and the run goes on, as ngspice's do
		s, err := gospice.Parse("cnt.cir", "count\nv1 a 0 1\n.tran 1u 2u\n"+c.line+"\n.end\n")
		if err != nil {
			t.Errorf("%s: error %v, want the warning %q", c.line, err, c.want)
			continue
		}
		if !slices.ContainsFunc(s.Warnings, func(w *parser.Error) bool { return strings.Contains(w.Error(), c.want) }) {
			t.Errorf("%s: warnings %q, want %q", c.line, s.Warnings, c.want)
		}
	}
}
