package netlists_test

import (
	"bufio"
	"context"
	"math"
	"math/cmplx"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// measured is one measurement line of a run: its name and value.
type measured struct {
	name  string
	value float64
}

// gospiceMeasures runs the netlist's first analysis of the given kind and returns its
// measurements, failing the test on any that failed.
func gospiceMeasures(t *testing.T, path, kind string) []measured {
	t.Helper()
	sim, err := gospice.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sim.Analyses() {
		if a.Name() != kind {
			continue
		}
		res, err := sim.Collect(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		var out []measured
		for _, m := range res.Stats.Measures {
			if m.Err != nil {
				t.Errorf("gospice: %v", m)
			}
			out = append(out, measured{m.Name, m.Value})
		}
		return out
	}
	t.Fatalf("%s has no .%s", path, kind)
	return nil
}

var (
	controlBlock = regexp.MustCompile(`(?ims)^[ \t]*\.control\b.*?^[ \t]*\.endc\b[^\n]*\n`)
	measureLine  = regexp.MustCompile(`^([a-z_][a-z0-9_]*)\s+=\s+(\S+)`)
)

// ngspiceMeasures runs the netlist with `ngspice -b`, its .control blocks left out (they
// would run the analysis again and measure it interactively), and reads the lines it
// prints under "Measurements for ...": "tdiff = 1.000000e-03 targ= ...".
func ngspiceMeasures(t *testing.T, path string) []measured {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cir := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(cir, controlBlock.ReplaceAll(src, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ngspice", "-b", cir)
	cmd.Dir = dir
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("ngspice: %v\n%s", err, stdout)
	}
	var out []measured
	in := false
	sc := bufio.NewScanner(strings.NewReader(string(stdout)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "Measurements for"):
			in = true
		case strings.HasPrefix(line, "Total analysis time"):
			in = false
		case in:
			if m := measureLine.FindStringSubmatch(line); m != nil {
				v, err := strconv.ParseFloat(m[2], 64)
				if err != nil {
					t.Fatalf("ngspice printed %q: %v", line, err)
				}
				out = append(out, measured{m[1], v})
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("ngspice printed no measurements:\n%s", stdout)
	}
	return out
}

// measurePrecision is the resolution of ngspice's printed measurements: seven
// significant digits ("1.000000e-03"), so no tolerance goes below a few units of 1e-7.
const measurePrecision = 1e-6

// compareMeasures holds gospice's measurements to ngspice's, line by line, each within its
// tolerance (relative): tols holds them by name, "" for the names it does not list. A
// measurement's tolerance is about ten times the difference it measured when it was set,
// and at least measurePrecision. explained holds, by name, the ones that differ for a
// reason that an analytic answer shows, and checks gospice's value against it.
func compareMeasures(t *testing.T, got, want []measured, tols map[string]float64, explained map[string]func(got, ngspice float64) string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("gospice has %d measurements, ngspice %d:\n%v\n%v", len(got), len(want), got, want)
	}
	worst, worstName := 0.0, ""
	for i, g := range got {
		w := want[i]
		if g.name != w.name {
			t.Errorf("measurement %d is %s in gospice, %s in ngspice", i+1, g.name, w.name)
			continue
		}
		if check, ok := explained[g.name]; ok {
			if msg := check(g.value, w.value); msg != "" {
				t.Errorf("%s: gospice %.7g, ngspice %.7g: %s", g.name, g.value, w.value, msg)
			} else {
				t.Logf("%-14s gospice %-14.7g ngspice %-14.7g (explained)", g.name, g.value, w.value)
			}
			continue
		}
		tol, ok := tols[g.name]
		if !ok {
			tol, ok = tols[""]
		}
		if !ok {
			t.Errorf("%s: no tolerance", g.name)
			continue
		}
		rel := math.Abs(g.value-w.value) / math.Max(math.Abs(w.value), 1e-300)
		if rel > tol {
			t.Errorf("%s: gospice %.7g, ngspice %.7g (%.3g apart, relative; tolerance %g)", g.name, g.value, w.value, rel, tol)
		} else {
			t.Logf("%-14s gospice %-14.7g ngspice %-14.7g (%.2g apart, relative; tolerance %g)", g.name, g.value, w.value, rel, tol)
		}
		if rel > worst {
			worst, worstName = rel, g.name
		}
	}
	t.Logf("measured: the worst %.3g apart, relative (%s)", worst, worstName)
}

// within checks got against an analytic answer.
func within(want, tol float64, why string) func(got, ngspice float64) string {
	return func(got, _ float64) string {
		if math.Abs(got-want) > tol {
			return "not within " + strconv.FormatFloat(tol, 'g', 3, 64) + " of the analytic " + strconv.FormatFloat(want, 'g', 7, 64) + ": " + why
		}
		return ""
	}
}

// The transient measurements of ngspice's example (two sines, 1 kHz and 0.9 kHz): every
// TRIG/TARG, WHEN, FIND, MAX, PP and PARAM line agrees with ngspice 39 to the digits it
// prints (both simulators take the same time points here); RMS and INTEG differ more, for
// the reasons said below.
func TestMeasuresTranAgainstNgspice(t *testing.T) {
	path := corpusDir + "/examples/measure/simple-meas-tran.sp"
	skipWithoutShared(t, path)
	got := gospiceMeasures(t, path, "tran")
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); measured without comparing")
	}
	want := ngspiceMeasures(t, path)
	compareMeasures(t, got, want, map[string]float64{
		// At most 6.3e-7 apart (teval), the printed digits' resolution.
		"": 5 * measurePrecision,
		// RMS of sin(2 pi 1k t) from 2 to 3.5 ms (three periods of its square) is
		// sqrt(1/2): gospice is 2.7e-6 below (its points), ngspice 1.6e-5 above (it
		// integrates on past TO, as for AVG below); 1.9e-5 apart.
		"yrms": 2e-4,
		// INTEG of 1.2 sin(2 pi 900 t) from 2 to 3 ms is 1.3115089e-4. gospice is 2.67e-4
		// below: exactly the trapezoidal rule's (w h)^2/12 on its 10 us steps, the integral
		// of the piecewise-linear waveform; ngspice is 8.5e-5 above (it integrates past
		// TO); 3.5e-4 apart.
		"yint": 4e-3,
	}, map[string]func(got, ngspice float64) string{
		// AVG of sin(2 pi 1k t) from 2 ms to 4 ms, two whole periods, is 0. ngspice
		// prints "to= 4.002800e-03": it integrates on to the first point after TO, and
		// gets 6.9e-5; gospice stops at TO, interpolating there.
		"yavg": within(0, 1e-6, "two whole periods of a sine"),
	})
}

// rcBandPass is the transfer function v(out)/v(in) of rc-meas-ac.sp: R1 1k from in to
// mid1, C1 1n from mid1 to ground, C2 500p from mid1 to out, R2 1k from out to ground.
func rcBandPass(f float64) complex128 {
	s := complex(0, 2*math.Pi*f)
	z2 := 1/(s*500e-12) + 1e3 // C2 then R2
	zc1 := 1 / (s * 1e-9)
	zmid := zc1 * z2 / (zc1 + z2)
	return zmid / (1e3 + zmid) * 1e3 / z2
}

// integrate is the integral of f from a to b by Simpson's rule on n (even) intervals.
func integrate(f func(float64) float64, a, b float64, n int) float64 {
	h := (b - a) / float64(n)
	sum := f(a) + f(b)
	for k := 1; k < n; k++ {
		sum += float64(2+2*(k%2)) * f(a+float64(k)*h)
	}
	return sum * h / 3
}

// The AC measurements of ngspice's band-pass example: FIND at a frequency, WHEN, MAX,
// TRIG/TARG with AT=, RMS and PARAM agree with ngspice 39 to the digits it prints, INTEG
// within 5e-5; a plain v(out) is its real part, as in ngspice. Two differ, for the reasons
// said below.
func TestMeasuresACAgainstNgspice(t *testing.T) {
	path := corpusDir + "/examples/measure/rc-meas-ac.sp"
	skipWithoutShared(t, path)
	got := gospiceMeasures(t, path, "ac")
	// Whatever ngspice says, FIND ... AT=1MEG lands on a point of the sweep, so it is
	// the transfer function there.
	h := rcBandPass(1e6)
	for _, m := range got {
		want, ok := map[string]float64{
			"vout_at": real(h), "vout_atr": real(h), "vout_ati": imag(h), "vout_atm": cmplx.Abs(h),
			"vout_atp": cmplx.Phase(h) * 180 / math.Pi, "vout_atd": 20 * math.Log10(cmplx.Abs(h)),
		}[m.name]
		if ok && math.Abs(m.value-want) > 1e-6*math.Abs(want) {
			t.Errorf("%s = %.7g, want %.7g", m.name, m.value, want)
		}
	}
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); measured without comparing")
	}
	want := ngspiceMeasures(t, path)
	avg := integrate(func(f float64) float64 { return real(rcBandPass(f)) }, 1e4, 1e6, 200000) / (1e6 - 1e4)
	compareMeasures(t, got, want, map[string]float64{
		// At most 4.7e-7 apart (freq_at), the printed digits' resolution.
		"": 5 * measurePrecision,
		// 4.9e-5 apart: the two integrate the 10 points per decade differently near FROM
		// and TO, which are not points of the sweep.
		"vout_integ": 5e-4,
	}, map[string]func(got, ngspice float64) string{
		// vp() is in degrees in gospice, as in its .print ac; ngspice gives radians
		// unless `set units=degrees`.
		"vout_atp": func(got, ngspice float64) string {
			if math.Abs(got-ngspice*180/math.Pi) > 1e-6*math.Abs(got) {
				return "not ngspice's radians in degrees"
			}
			return ""
		},
		// AVG of the real part from 10 kHz to 1 MHz is 0.1590144 (Simpson on 200000
		// intervals). gospice's trapezoids on the 10 points per decade give 0.15920,
		// 0.11% above. ngspice gives 0.17663: it integrates on to the first point after
		// TO (1.26 MHz), as its transient AVG does, and divides by TO-FROM.
		"vout_avg": within(avg, 2e-3*avg, "the trapezoidal rule on 10 points per decade"),
	})
}

// TestMeasureCrossingsAgainstNgspice holds WHEN and TRIG/TARG crossing counts to
// ngspice 39 on PWL waveforms that touch the level exactly at their corners, where
// both simulators take a time point. ngspice keeps the signal above or below the level:
// it goes above when it reaches the level and below when it comes down to it, so a
// touch from above followed by a rise is a fall and then a rise, and a touch from below
// followed by a fall is a rise and then a fall.
func TestMeasureCrossingsAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check")
	}
	waves := map[string]string{
		// touches 0.5 from above at 2m, 4m and 6m; goes on down after the last.
		"above": "PWL(0 0 1m 1 2m 0.5 3m 1 4m 0.5 5m 1 6m 0.5 7m 0)",
		// touches 0.5 from below at 1m and 5m, and crosses it at 2.5m and 3.5m.
		"below": "PWL(0 0 1m 0.5 2m 0 3m 1 4m 0 5m 0.5 6m 0.2)",
		// the review's waveform: stays on 0.5 from 6m to 7m, where every point changes
		// the state (so what comes after depends on how many points each simulator
		// takes there, and is not compared).
		"flat": "PWL(0 0 1m 1 2m 0.5 3m 1 4m 0.5 5m 1 6m 0.5 7m 0.5 8m 0)",
	}
	var lines []string
	for _, name := range []string{"above", "below"} {
		for _, m := range []string{"rise=1", "rise=2", "rise=3", "rise=last", "fall=1", "fall=2", "fall=3", "fall=last",
			"cross=1", "cross=2", "cross=3", "cross=4", "cross=5", "cross=last"} {
			lines = append(lines, ".meas tran "+name+"_"+strings.Replace(m, "=", "", 1)+" when v("+name+")=0.5 "+m)
		}
	}
	lines = append(lines, ".meas tran flat_rise2 when v(flat)=0.5 rise=2", ".meas tran flat_fall3 when v(flat)=0.5 fall=3",
		".meas tran flat_cross5 when v(flat)=0.5 cross=5")
	lines = append(lines,
		// Two waveforms that meet at corners: b touches a from below at 2m, then crosses.
		".meas tran ab_cross2 when v(below)=v(above) cross=2",
		".meas tran ab_fall1 when v(above)=v(below) fall=1",
		".meas tran tt trig v(above) val=0.5 rise=2 targ v(below) val=0.5 fall=2",
	)
	text := "crossings\nVa above 0 " + waves["above"] + "\nRa above 0 1k\nVb below 0 " + waves["below"] +
		"\nRb below 0 1k\nVf flat 0 " + waves["flat"] + "\nRf flat 0 1k\n.tran 10u 8m\n" + strings.Join(lines, "\n") + "\n.end\n"
	path := filepath.Join(t.TempDir(), "crossings.cir")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got := gospiceMeasures(t, path, "tran")
	want := ngspiceMeasures(t, path)
	// Every crossing lands on a corner, where both take a point: 0 apart.
	compareMeasures(t, got, want, map[string]float64{"": measurePrecision}, nil)
}
