package analysis_test

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"runtime"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/netlists/crosscheck"
)

func run(t *testing.T, name, text, kind string) *crosscheck.Table {
	t.Helper()
	sim, err := gospice.Parse(name, text)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := crosscheck.RunSimulation(sim, kind)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func runFile(t *testing.T, path, kind string) *crosscheck.Table {
	t.Helper()
	tab, err := crosscheck.Gospice(path, kind)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// rampResponse is the response of a first-order low-pass (time constant tau, unit DC
// gain) to a ramp of the given slope starting at t0.
func rampResponse(slope, t0, tau, t float64) float64 {
	if t <= t0 {
		return 0
	}
	s := t - t0
	return slope * (s + tau*math.Expm1(-s/tau))
}

// pulseResponse is the first-order response to PULSE(0 1 td tr tf pw per), built from the
// four ramps of each period.
func pulseResponse(td, tr, tf, pw, per, tau, t float64) float64 {
	v := 0.0
	for base := td; base <= t; base += per {
		v += rampResponse(1/tr, base, tau, t)
		v -= rampResponse(1/tr, base+tr, tau, t)
		v -= rampResponse(1/tf, base+tr+pw, tau, t)
		v += rampResponse(1/tf, base+tr+pw+tf, tau, t)
	}
	return v
}

// worst returns the largest |got - want(t)| over a table's rows.
func worst(tab *crosscheck.Table, vec string, want func(t float64) float64) (float64, float64) {
	times, vals := tab.Col("time"), tab.Col(vec)
	var e, at float64
	for i, t := range times {
		if d := math.Abs(vals[i] - want(t)); d > e {
			e, at = d, t
		}
	}
	return e, at
}

func TestRCPulseResponse(t *testing.T) {
	tab := runFile(t, "../netlists/rc.cir", "tran")
	e, at := worst(tab, "v(out)", func(t float64) float64 {
		return pulseResponse(1e-3, 1e-6, 1e-6, 4e-3, 10e-3, 1e-3, t)
	})
	t.Logf("rc: %d points, worst error %.3g V at %g s", tab.Len(), e, at)
	if e > 1e-3*1 {
		t.Errorf("v(out) off by %.3g V at %g s, more than 0.1%% of the 1 V swing", e, at)
	}
}

func TestRLStepResponse(t *testing.T) {
	tab := runFile(t, "../netlists/rl.cir", "tran")
	// The inductor current of a series RL driven by a voltage ramp is the first-order
	// response divided by R.
	e, at := worst(tab, "i(l1)", func(t float64) float64 {
		return pulseResponse(0, 1e-9, 1e-9, 10e-6, 20e-6, 1e-6, t) / 1e3
	})
	t.Logf("rl: %d points, worst error %.3g A at %g s", tab.Len(), e, at)
	if e > 1e-3*1e-3 {
		t.Errorf("i(l1) off by %.3g A at %g s, more than 0.1%% of the 1 mA swing", e, at)
	}
}

func TestRLCUnderdampedStep(t *testing.T) {
	tab := runFile(t, "../netlists/rlc.cir", "tran")
	const r, l, c = 20.0, 1e-3, 1e-6
	alpha := r / (2 * l)
	wd := math.Sqrt(1/(l*c) - alpha*alpha)
	vc := func(t float64) float64 {
		// A 1 ns ramp acts, to first order, as a step delayed by half its length.
		t -= 0.5e-9
		if t <= 0 {
			return 0
		}
		return 1 - math.Exp(-alpha*t)*(math.Cos(wd*t)+alpha/wd*math.Sin(wd*t))
	}
	vals := tab.Col("v(b)")
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	e, at := worst(tab, "v(b)", vc)
	t.Logf("rlc: %d points, swing %.4g V, worst error %.3g V at %g s", tab.Len(), hi-lo, e, at)
	if e > 1e-3*(hi-lo) {
		t.Errorf("v(b) off by %.3g V at %g s, more than 0.1%% of the %.3g V swing", e, at, hi-lo)
	}
}

func TestResistiveNetworkOP(t *testing.T) {
	tab := runFile(t, "../netlists/divider.cir", "op")
	// Nodal equations for v2, v3 (v1 = 10 V, v4 = 5 V, 1 mA into node 3):
	//   (v2-10)/1k + v2/2k + (v2-v3)/3k = 0
	//   (v3-v2)/3k + v3/4k + (v3-5)/5k  = 1m
	a11, a12, b1 := 1/1e3+1/2e3+1/3e3, -1/3e3, 10/1e3
	a21, a22, b2 := -1/3e3, 1/3e3+1/4e3+1/5e3, 1e-3+5/5e3
	det := a11*a22 - a12*a21
	v2 := (b1*a22 - a12*b2) / det
	v3 := (a11*b2 - a21*b1) / det
	want := map[string]float64{
		"v(1)": 10, "v(2)": v2, "v(3)": v3, "v(4)": 5,
		// Source currents flow into the + terminal: V1 supplies (10-v2)/1k.
		"i(v1)": -(10 - v2) / 1e3,
		"i(v2)": -(5 - v3) / 5e3,
	}
	for vec, w := range want {
		got := tab.Col(vec)
		if got == nil {
			t.Fatalf("no %s in %v", vec, tab.Names)
		}
		if math.Abs(got[0]-w) > 1e-3*math.Abs(w) {
			t.Errorf("%s = %.9g, want %.9g", vec, got[0], w)
		}
	}
}

// lcError runs the LC tank over 20 periods with tmax = T/perPeriod and returns the worst
// error of v(a) against cos(omega t), in volts (the swing is 2 V), and the point count.
func lcError(t *testing.T, perPeriod int, reltol float64) (float64, int) {
	const l, c = 1e-3, 1e-6
	w := 1 / math.Sqrt(l*c)
	period := 2 * math.Pi / w
	tmax := period / float64(perPeriod)
	text := fmt.Sprintf("LC tank\nL1 a 0 1m\nC1 a 0 1u IC=1\n.options reltol=%g\n.tran %g %g 0 %g uic\n.end\n",
		reltol, tmax, 20*period, tmax)
	tab := run(t, "lc.cir", text, "tran")
	e, _ := worst(tab, "v(a)", func(t float64) float64 { return math.Cos(w * t) })
	return e, tab.Len()
}

func TestLCTankConvergence(t *testing.T) {
	const swing = 2.0 // v(a) swings from -1 V to 1 V
	prev := math.Inf(1)
	for _, n := range []int{25, 50, 100, 200, 400} {
		e, points := lcError(t, n, 1e-3)
		t.Logf("LC tank, tmax = T/%d: %d points, worst error %.3g V (%.3g%% of the swing)", n, points, e, 100*e/swing)
		if !(e < prev) {
			t.Errorf("error did not fall when tmax fell to T/%d: %.3g after %.3g", n, e, prev)
		}
		if n == 200 {
			if e > 0.01*swing {
				t.Errorf("error at tmax = T/200 is %.3g%% of the swing, more than 1%%", 100*e/swing)
			}
			// The trapezoidal rule keeps the amplitude and lags in phase by (omega h)^2/12
			// per radian: over 20 periods at h = T/200 that is 1.03% of the amplitude. The
			// error must be that lag, not something else.
			lag := 20 * 2 * math.Pi * math.Pow(2*math.Pi/200, 2) / 12
			if math.Abs(e-lag) > 0.1*lag {
				t.Errorf("error at T/200 is %.4g V; the trapezoidal phase lag predicts %.4g V", e, lag)
			}
		}
		prev = e
	}
	// With a loose tmax the truncation-error control sets the step, so reltol rules the error.
	prev = math.Inf(1)
	for _, rt := range []float64{1e-4, 1e-5, 1e-6, 1e-7} {
		e, points := lcError(t, 1, rt)
		t.Logf("LC tank, tmax = T, reltol %g: %d points, worst error %.3g V", rt, points, e)
		if !(e < prev) {
			t.Errorf("error did not fall when reltol fell to %g: %.3g after %.3g", rt, e, prev)
		}
		prev = e
	}
}

func TestSourcesAndTstart(t *testing.T) {
	text := strings.Join([]string{
		"sources",
		"V1 a 0 PULSE(0 1 1u 1u 1u 3u 10u)",
		"R1 a 0 1k",
		".tran 0.1u 20u 5u",
		".end",
	}, "\n")
	tab := run(t, "t.cir", text, "tran")
	times := tab.Col("time")
	if math.Abs(times[0]-5e-6) > 1e-18 {
		t.Errorf("first time point %g, want tstart 5e-6", times[0])
	}
	// Every corner of the pulse after tstart is a time point.
	for _, corner := range []float64{11e-6, 12e-6, 15e-6, 16e-6} {
		found := false
		for _, tm := range times {
			found = found || math.Abs(tm-corner) < 1e-15
		}
		if !found {
			t.Errorf("no time point at the pulse corner %g", corner)
		}
	}
	if last := times[len(times)-1]; last != 20e-6 {
		t.Errorf("last time point %g, want tstop", last)
	}
}

// TestSourceValuesExact checks that a source driving a resistor gives its waveform's value
// at every time point, computed here from ngspice's definitions of SIN, EXP and PWL.
func TestSourceValuesExact(t *testing.T) {
	tab := runFile(t, "../netlists/sources.cir", "tran")
	sin := func(t float64) float64 { // SIN(0.5 1 10k 20u 2k 30)
		ph := 30 * math.Pi / 180
		if t <= 20e-6 {
			return 0.5 + math.Sin(ph)
		}
		s := t - 20e-6
		return 0.5 + math.Exp(-2e3*s)*math.Sin(2*math.Pi*10e3*s+ph)
	}
	exp := func(t float64) float64 { // EXP(0 2 10u 20u 100u 30u)
		v := 0.0
		if t > 10e-6 {
			v += 2 * (1 - math.Exp(-(t-10e-6)/20e-6))
		}
		if t > 100e-6 {
			v -= 2 * (1 - math.Exp(-(t-100e-6)/30e-6))
		}
		return v
	}
	pwl := func(t float64) float64 { // PWL(0 0 10u 1 30u 1 40u -0.5 60u 0)
		ts := []float64{0, 10e-6, 30e-6, 40e-6, 60e-6}
		vs := []float64{0, 1, 1, -0.5, 0}
		return crosscheck.Interpolate(ts, vs, t)
	}
	for vec, f := range map[string]func(float64) float64{"v(s)": sin, "v(e)": exp, "v(p)": pwl} {
		if e, at := worst(tab, vec, f); e > 1e-12 {
			t.Errorf("%s off by %g at %g", vec, e, at)
		}
	}
}

func TestSweepValues(t *testing.T) {
	cases := []struct {
		start, stop, step float64
		n                 int
		last              float64
	}{
		{0, 1, 0.1, 11, 1},
		{5, 0, -1, 6, 0},
		{0, 1, 0.3, 4, 0.9},
		{2, 2, 0, 1, 2},
		{-1, 1, 2, 2, 1},
	}
	for _, c := range cases {
		v, err := analysis.SweepValues(c.start, c.stop, c.step)
		if err != nil {
			t.Errorf("%g %g %g: %v", c.start, c.stop, c.step, err)
			continue
		}
		if len(v) != c.n || math.Abs(v[len(v)-1]-c.last) > 1e-12 {
			t.Errorf("%g %g %g: %v", c.start, c.stop, c.step, v)
		}
	}
	for _, bad := range [][3]float64{{0, 1, -0.1}, {0, 1, 0}, {0, 1, 1e-9}} {
		if _, err := analysis.SweepValues(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// TestACLowPass checks an RC low-pass against H = 1 / (1 + j omega R C), and the source
// current against V / (R + 1/(j omega C)), at every frequency of a decade sweep.
func TestACLowPass(t *testing.T) {
	text := "rc\nV1 in 0 DC 1 AC 2 30\nR1 in out 1k\nC1 out 0 1u\n.ac dec 10 10 100k\n" +
		".print ac vm(out) vp(out) vdb(out) vr(out) vi(out) im(v1) ip(v1)\n.end\n"
	tab := run(t, "ac.cir", text, "ac")
	const r, c = 1e3, 1e-6
	src := cmplx.Rect(2, 30*math.Pi/180)
	freqs := tab.Col("frequency")
	if len(freqs) != 41 || freqs[0] != 10 || math.Abs(freqs[40]-1e5) > 1e-6 {
		t.Fatalf("frequencies %v", freqs)
	}
	for k, f := range freqs {
		w := 2 * math.Pi * f
		out := src / complex(1, w*r*c)
		i := -src / complex(r, -1/(w*c)) // into the source's + terminal
		want := map[string]float64{
			"vm(out)": cmplx.Abs(out), "vp(out)": cmplx.Phase(out) * 180 / math.Pi,
			"vdb(out)": 20 * math.Log10(cmplx.Abs(out)), "vr(out)": real(out), "vi(out)": imag(out),
			"im(v1)": cmplx.Abs(i), "ip(v1)": cmplx.Phase(i) * 180 / math.Pi,
		}
		for name, w := range want {
			if got := tab.Col(name)[k]; math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("%s at %g Hz = %.12g, want %.12g", name, f, got, w)
			}
		}
	}
}

func TestACFrequencies(t *testing.T) {
	for _, c := range []struct {
		sweep       string
		n           int
		start, stop float64
		count       int
	}{{"dec", 10, 1, 1000, 31}, {"oct", 2, 1, 8, 7}, {"lin", 5, 0.5, 2.5, 5}, {"dec", 1, 1, 5, 1}, {"lin", 1, 0, 0, 1}, {"lin", 3, 0, 2, 3}} {
		f, err := analysis.ACFrequencies(c.sweep, c.n, c.start, c.stop)
		if err != nil || len(f) != c.count || f[0] != c.start {
			t.Errorf("%s %d %g %g: %v %v", c.sweep, c.n, c.start, c.stop, f, err)
		}
	}
	// ngspice 39's points (printed by ngspice -b): a decade sweep's whole steps spread
	// to end at fstop, an octave sweep's not
	for _, c := range []struct {
		sweep       string
		n           int
		start, stop float64
		want        []float64
	}{
		{"dec", 2, 1, 50, []float64{1, 3.684031, 13.57209, 50}},
		{"dec", 5, 2, 7, []float64{2, 3.741657, 7}},
		{"dec", 3, 1, 1000, []float64{1, 2.154435, 4.641589, 10, 21.54435, 46.41589, 100, 215.4435, 464.1589, 1000}},
		{"oct", 2, 1, 10, []float64{1, 1.414214, 2, 2.828427, 4, 5.656854, 8}},
	} {
		f, err := analysis.ACFrequencies(c.sweep, c.n, c.start, c.stop)
		if err != nil || len(f) != len(c.want) {
			t.Errorf("%s %d %g %g: %v %v", c.sweep, c.n, c.start, c.stop, f, err)
			continue
		}
		for k := range f {
			if math.Abs(f[k]-c.want[k]) > 1e-6*c.want[k] { // ngspice prints 7 digits
				t.Errorf("%s %d %g %g: point %d %g, ngspice %g", c.sweep, c.n, c.start, c.stop, k, f[k], c.want[k])
			}
		}
	}
	// .noise keeps the decade's step (ngspice 39's noise plot of dec 2 1 50)
	if f, err := analysis.NoiseFrequencies("dec", 2, 1, 50); err != nil || len(f) != 4 || math.Abs(f[3]-31.6227766) > 1e-6 {
		t.Errorf("noise dec 2 1 50: %v %v, want 1 3.16 10 31.6", f, err)
	}
	if _, err := analysis.ACFrequencies("dec", 10, 0, 1); err == nil {
		t.Error("fstart = 0 accepted for a dec sweep")
	}
	if _, err := analysis.ACFrequencies("lin", 10, -1, 1); err == nil {
		t.Error("fstart < 0 accepted for a lin sweep")
	}
}

// TestACHertz: an expression that reads hertz is evaluated at each frequency of an .ac
// sweep, its operating point included (ngspice solves the operating point again at
// every frequency when hertz is used): B1's gain is 1 + f/1k, R2 = 1k (1 + f/10k) divides
// with R4, and B6's gain is v(5) at the operating point, which B5 sets to 1 + f/1k.
// Outside .ac, hertz is 0.
func TestACHertz(t *testing.T) {
	const netlist = "hertz\nV1 1 0 DC 0 AC 1\nR1 1 0 1k\nB1 3 0 V=v(1)*(1+hertz*1e-3)\nR3 3 0 1k\n" +
		"R4 1 4 1k\nR2 4 0 R={1k*(1+hertz/10k)}\nB5 0 5 I=1m*(1+hertz/1k)\nR5 5 0 1k\nB6 6 0 V=v(1)*v(5)\nR6 6 0 1k\n"
	tab := run(t, "ac.cir", netlist+".ac dec 1 1k 100k\n.print ac vm(3) vm(4) vm(6) vm(5)\n.end\n", "ac")
	for k, f := range tab.Col("frequency") {
		r2 := 1e3 * (1 + f/1e4)
		for name, want := range map[string]float64{"vm(3)": 1 + f/1e3, "vm(4)": r2 / (1e3 + r2), "vm(6)": 1 + f/1e3, "vm(5)": 0} {
			if got := tab.Col(name)[k]; math.Abs(got-want) > 1e-9*math.Max(1, want) {
				t.Errorf("%s at %g Hz = %.12g, want %.12g", name, f, got, want)
			}
		}
	}
	op := run(t, "op.cir", netlist+".op\n.print op v(5)\n.end\n", "op")
	if got := op.Col("v(5)")[0]; math.Abs(got-1) > 1e-9 {
		t.Errorf("v(5) = %g in .op, want 1 (hertz = 0)", got)
	}
}

// TestACHertzAllocatesNothingPerPoint runs an .ac sweep with an expression of hertz at 10
// and at 1000 points per decade: any difference in allocations comes from the loop over
// the frequencies, which solves the operating point again at each.
func TestACHertzAllocatesNothingPerPoint(t *testing.T) {
	allocs := func(perDecade int) uint64 {
		text := fmt.Sprintf("t\nV1 1 0 DC 1 AC 1\nR1 1 2 1k\nR2 2 0 R={1k*(1+hertz/1k)}\nB1 3 0 V=v(2)*v(2)*(1+hertz/1meg)\nR3 3 0 1k\n.ac dec %d 1 1meg\n.end\n", perDecade)
		sim, err := gospice.Parse("t.cir", text)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		stats, err := sim.Run(context.Background(), sim.Analyses()[0], discard{}, nil)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d points: %d allocations", stats.Points, after.Mallocs-before.Mallocs)
		return after.Mallocs - before.Mallocs
	}
	few, many := allocs(10), allocs(1000)
	// The list of frequencies is made up front (one slice, grown by append).
	if many > few+40 {
		t.Errorf("%d more allocations for 100 times the frequencies: the frequency loop allocates", many-few)
	}
}

// TestPwrSlopeAtZeroNeedsNoAid: pwr(x, 1) is x, with slope 1 at 0, so plain Newton from
// zero solves a current source into it: v(a) = 1 V, with no convergence aid.
func TestPwrSlopeAtZeroNeedsNoAid(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nI1 0 a 1m\nB1 a 0 I=pwr(v(a),1)*1m\n.op\n.print op v(a)\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	tab := &memory{}
	if _, err := sim.Run(context.Background(), sim.Analyses()[0], tab, func(format string, args ...any) {
		notes = append(notes, fmt.Sprintf(format, args...))
	}); err != nil {
		t.Fatal(err)
	}
	if len(tab.rows) != 1 || math.Abs(tab.rows[0][0]-1) > 1e-9 {
		t.Errorf("v(a) = %v, want 1", tab.rows)
	}
	if len(notes) > 0 {
		t.Errorf("needed a convergence aid: %q", notes)
	}
}
