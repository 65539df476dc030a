package netlists_test

import (
	"math"
	"os"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
	"gonum.org/v1/gonum/stat"
)

// sampleMoments returns the mean and standard deviation of a vector at the multiples of
// dt after its first (both simulators land on them: they are the sources' breakpoints),
// sampled just before each (TRRANDOM holds the value before its breakpoint).
func sampleMoments(t *testing.T, tab *crosscheck.Table, name string, dt, stop float64) (mean, sd float64, n int) {
	t.Helper()
	ts, vs := tab.Col("time"), tab.Col(name)
	if ts == nil || vs == nil {
		t.Fatalf("no time or %s", name)
	}
	var xs []float64
	for k := 1; float64(k)*dt < stop; k++ {
		xs = append(xs, crosscheck.Interpolate(ts, vs, (float64(k)-0.5)*dt))
	}
	mean, sd = stat.MeanStdDev(xs, nil)
	return mean, sd, len(xs)
}

// TestNoiseSourcesAgainstNgspice compares the statistics of TRNOISE and TRRANDOM in
// gospice and ngspice 39 (their draws differ: each simulator seeds its own generator):
// the mean and standard deviation of 4000 values, each within four standard errors of
// the distribution's. (Measured: means 0.6 and 2.5 standard errors off, sds within 1.2%.) TRNOISE is sampled between its samples, where it is the mean of
// two independent ones: its sd there is 0.5/sqrt(2).
func TestNoiseSourcesAgainstNgspice(t *testing.T) {
	const dt, stop = 1e-6, 4e-3
	vectors := []string{"v(a)", "v(b)"}
	src, err := os.ReadFile("noise_sources.cir")
	if err != nil {
		t.Fatal(err)
	}
	want := crosscheck.MustNgspice(t, string(src), "tran", vectors)
	got, err := crosscheck.Gospice("noise_sources.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	// The means of consecutive midpoints of TRNOISE share a sample: the standard error
	// of their mean is that of the samples', 0.5/sqrt(n).
	for _, c := range []struct {
		name         string
		mean, sd, se float64
	}{{"v(a)", 0, 0.5 / math.Sqrt2, 0.5}, {"v(b)", 1, 0.3, 0.3}} {
		for _, s := range []struct {
			who string
			tab *crosscheck.Table
		}{{"ngspice", want}, {"gospice", got}} {
			mean, sd, n := sampleMoments(t, s.tab, c.name, dt, stop)
			se := c.se / math.Sqrt(float64(n))
			t.Logf("%s %s: %d values, mean %.4f (want %g, se %.2g), sd %.4f (want %.4f)", s.who, c.name, n, mean, c.mean, se, sd, c.sd)
			if math.Abs(mean-c.mean) > 4*se || math.Abs(sd/c.sd-1) > 4/math.Sqrt(2*float64(n)) {
				t.Errorf("%s %s: not the distribution", s.who, c.name)
			}
		}
	}
}
