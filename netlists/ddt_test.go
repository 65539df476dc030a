package netlists_test

import (
	"math"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// ddtVectors are the outputs of bsource_ddt.cir.
var ddtVectors = []string{"v(dramp)", "v(dsin)", "v(dsq)", "v(irc)"}

// TestDdtAgainstNgspice holds ddt() in B sources to ngspice 39's on bsource_ddt.cir,
// from 1 us on. Before that ngspice's ddt has start-up values that are the slope of no
// pair of points (here 0 for four steps, then 588 and 2578 for a ramp of 1000 V/s), where
// gospice's is 0 for two steps and then the slope; ngspice's deck with a PWL source only
// (no sine) has gospice's start. After it the two take the same steps and agree within
// 1.4e-13 of the swing (v(dsin)).
func TestDdtAgainstNgspice(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check")
	}
	want, err := crosscheck.Ngspice("bsource_ddt.cir", "tran", ddtVectors)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.Gospice("bsource_ddt.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, rowsFrom(want, 1e-6), rowsFrom(got, 1e-6), ddtVectors, 2e-12)
}

// rowsFrom is the rows of a transient's table from time t0 on.
func rowsFrom(tab *crosscheck.Table, t0 float64) *crosscheck.Table {
	first := 0
	for first < tab.Len() && tab.Cols[0][first] < t0 {
		first++
	}
	out := &crosscheck.Table{Names: tab.Names}
	for _, c := range tab.Cols {
		out.Cols = append(out.Cols, c[first:])
	}
	return out
}

// TestDdtSlope checks every point of bsource_ddt.cir against the slope ddt() is, written
// out from the sources' waveforms: at row n, (x(t[n-1]) - x(t[n-2]))/(t[n-1] - t[n-2]),
// 0 at the first three rows (the initial point and two steps). For the ramp that is
// its slope exactly, for the sine A*w*cos(w*m)*sinc(w*h/2) with m the midpoint and h
// the spacing of the two points, which differs from the derivative at the present
// time by no more than A*w^2 times the distance from t[n-2]: checked too. The slopes
// agree to rounding (the ramp exactly, the sine within 2e-13 of A*w).
func TestDdtSlope(t *testing.T) {
	tab, err := crosscheck.Gospice("bsource_ddt.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	w := 2 * math.Pi * 1e3
	ramp := func(t float64) float64 { // pwl 0 0 1m 1 2m 3 3m 3
		switch {
		case t < 1e-3:
			return t / 1e-3
		case t < 2e-3:
			return 1 + 2*(t-1e-3)/1e-3
		}
		return 3
	}
	time := tab.Col("time")
	worstRamp, worstSin, worstLag := 0.0, 0.0, 0.0
	for n := range time {
		gotRamp, gotSin := tab.Col("v(dramp)")[n], tab.Col("v(dsin)")[n]
		if n < 3 {
			if gotRamp != 0 || gotSin != 0 || tab.Col("v(dsq)")[n] != 0.5*tab.Col("v(sin)")[n] {
				t.Errorf("row %d (t = %g): ddt is not 0 before two steps are accepted", n, time[n])
			}
			continue
		}
		t1, t2 := time[n-1], time[n-2]
		h, m := t1-t2, (t1+t2)/2
		wantRamp := (ramp(t1) - ramp(t2)) / h
		wantSin := w * math.Cos(w*m) * math.Sin(w*h/2) / (w * h / 2)
		worstRamp = math.Max(worstRamp, math.Abs(gotRamp-wantRamp))
		worstSin = math.Max(worstSin, math.Abs(gotSin-wantSin)/w)
		lag := math.Abs(gotSin-w*math.Cos(w*time[n])) / (w * w * (time[n] - t2))
		worstLag = math.Max(worstLag, lag)
		if math.Abs(gotRamp-wantRamp) > 1e-6 || math.Abs(gotSin-wantSin) > 2e-12*w || lag > 1 {
			t.Errorf("row %d (t = %g): ddt(ramp) %.12g, want %.12g; ddt(sin) %.12g, want %.12g (derivative now %.6g)",
				n, time[n], gotRamp, wantRamp, gotSin, wantSin, w*math.Cos(w*time[n]))
		}
	}
	t.Logf("%d points: ramp's slope within %.3g V/s, sine's within %.3g of its amplitude; sine's derivative within %.3g of A*w^2*(t - t[n-2])",
		len(time), worstRamp, worstSin, worstLag)
}
