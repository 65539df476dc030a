// Package neuron_test runs the 1M1T1R neuron netlists and asserts the six behaviours of
// the 2025 paper, and cross-checks the native memristor against the behavioural reference.
package neuron_test

import (
	"context"
	"math"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// spikeLevel is the gate voltage whose upward crossing marks a spike (the model page's).
const spikeLevel = 0.3

func runNetlist(t *testing.T, path string) *crosscheck.Table {
	t.Helper()
	tab, err := crosscheck.Gospice(path, "tran")
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func spikes(tab *crosscheck.Table, vector string) []float64 {
	return crosscheck.Crossings(tab, vector, spikeLevel)
}

func TestLeakyIntegration(t *testing.T) {
	tab := runNetlist(t, "1-leaky-integration.cir")
	periods := []float64{1.4e-3, 1.8e-3, 2.2e-3} // 1 ms pulses, gaps 0.4, 0.8, 1.2 ms
	prev := 0
	for i, vec := range []string{"v(g1)", "v(g2)", "v(g3)"} {
		s := spikes(tab, vec)
		if len(s) == 0 {
			t.Fatalf("%s never fired", vec)
		}
		pulses := int(math.Floor(s[0]/periods[i])) + 1 // pulses begun by the first spike
		t.Logf("gap %.1f ms: first spike at %.2f ms, after %d pulses", (periods[i]-1e-3)*1e3, s[0]*1e3, pulses)
		if pulses <= prev {
			t.Errorf("gap %.1f ms took %d pulses, not more than the shorter gap's %d", (periods[i]-1e-3)*1e3, pulses, prev)
		}
		prev = pulses
	}
}

func TestThresholdFiring(t *testing.T) {
	tab := runNetlist(t, "2-threshold-firing.cir")
	if s := spikes(tab, "v(g1)"); len(s) > 0 {
		t.Errorf("the 0.35 V neuron fired at %v s; it is below the threshold", s)
	}
	// Below the threshold the state x = f + r approaches a fixed point short of switching
	// (about 0.5 at the threshold): it grows ever more slowly (a neuron on its way to fire
	// speeds up instead) and stays well below.
	times, f, r := tab.Col("time"), tab.Col("state(y1.f)"), tab.Col("state(y1.r)")
	x := func(at float64) float64 {
		return crosscheck.Interpolate(times, f, at) + crosscheck.Interpolate(times, r, at)
	}
	early, late := x(0.8)-x(0.6), x(1.0)-x(0.8)
	if !(late < early) || x(1.0) > 0.4 {
		t.Errorf("the 0.35 V neuron's state x grew by %.4f, then %.4f, to %.4f: not settling below switching", early, late, x(1.0))
	}
	t.Logf("0.35 V: no spike in 1 s; x grows by %.4f, then %.4f over successive 200 ms, to %.3f", early, late, x(1.0))
	prevFirst := math.Inf(1)
	for _, c := range []struct {
		vec string
		amp float64
	}{{"v(g2)", 0.55}, {"v(g3)", 0.7}, {"v(g4)", 0.8}} {
		s := spikes(tab, c.vec)
		if len(s) < 3 {
			t.Errorf("%g V: %d spikes, want discrete spikes", c.amp, len(s))
			continue
		}
		// Discrete: the gate falls back below the spike level between spikes (each spike is a
		// separate upward crossing) and is low at the end, not latched high.
		v := tab.Col(c.vec)
		if last := v[len(v)-1]; last > spikeLevel {
			t.Errorf("%g V: the gate ends latched at %.2f V", c.amp, last)
		}
		t.Logf("%g V: first spike at %.1f ms, %d spikes in 1 s", c.amp, s[0]*1e3, len(s))
		if s[0] >= prevFirst {
			t.Errorf("%g V fired first at %.1f ms, not sooner than the lower amplitude (%.1f ms)", c.amp, s[0]*1e3, prevFirst*1e3)
		}
		prevFirst = s[0]
	}
}

func TestCascadedPropagation(t *testing.T) {
	tab := runNetlist(t, "3-cascade.cir")
	first, second := spikes(tab, "v(g1)"), spikes(tab, "v(g2)")
	if len(first) == 0 || len(second) == 0 {
		t.Fatalf("pair A: first neuron %d spikes, second %d; both must fire", len(first), len(second))
	}
	if second[0] <= first[0] {
		t.Errorf("the second neuron fired at %.1f ms, before the first (%.1f ms)", second[0]*1e3, first[0]*1e3)
	}
	// Every spike of the second neuron comes while a spike of the first holds its input high.
	times, in2 := tab.Col("time"), tab.Col("v(in2)")
	for _, s := range second {
		if v := crosscheck.Interpolate(times, in2, s); v < 0.45 {
			t.Errorf("the second neuron fired at %.3f ms with its input at %.3f V, not driven by the first", s*1e3, v)
		}
	}
	t.Logf("pair A: first neuron fires at %.1f ms (%d spikes), the second at %.1f ms (%d spikes)",
		first[0]*1e3, len(first), second[0]*1e3, len(second))
	for _, vec := range []string{"v(g3)", "v(g4)"} {
		if s := spikes(tab, vec); len(s) > 0 {
			t.Errorf("pair B: %s fired at %v, but its first neuron is below threshold", vec, s)
		}
	}
	if in4 := tab.Col("v(in4)"); maxOf(in4) > 0.01 {
		t.Errorf("pair B: the coupling stage reached %.3f V without a spike to pass on", maxOf(in4))
	}
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func TestIntrinsicPlasticity(t *testing.T) {
	tab := runNetlist(t, "4-intrinsic-plasticity.cir")
	gaps := []float64{3e-3, 10e-3, 30e-3, 100e-3, 300e-3, 1}
	const width, level = 20e-3, 1.0 // half of the 2 V pulses; see the netlist
	prevGain := math.Inf(1)
	for i, gap := range gaps {
		vec := "v(g" + string(rune('1'+i)) + ")"
		onset2 := width + gap
		var t1, t2 float64 = -1, -1
		for _, s := range crosscheck.Crossings(tab, vec, level) {
			switch {
			case s < width && t1 < 0:
				t1 = s
			case s >= onset2 && s < onset2+width && t2 < 0:
				t2 = s - onset2
			}
		}
		if t1 < 0 || t2 < 0 {
			t.Fatalf("gap %g s: integration times %g and %g; both pulses must fire", gap, t1, t2)
		}
		gain := t1 - t2
		t.Logf("gap %6.3f s: first integration %.3f ms, second %.3f ms, faster by %.3f ms", gap, t1*1e3, t2*1e3, gain*1e3)
		if gain <= 0 {
			t.Errorf("gap %g s: the second integration (%.3f ms) is not shorter than the first (%.3f ms)", gap, t2*1e3, t1*1e3)
		}
		if gain >= prevGain {
			t.Errorf("gap %g s: faster by %.3f ms, not less than at the shorter gap (%.3f ms)", gap, gain*1e3, prevGain*1e3)
		}
		prevGain = gain
	}
}

func TestRefractoryPeriod(t *testing.T) {
	tab := runNetlist(t, "5-refractory-period.cir")
	prev := 0.0
	for i, rc := range []string{"50 Mohm", "250 Mohm", "1 Gohm"} {
		s := spikes(tab, "v(g"+string(rune('1'+i))+")")
		if len(s) < 3 {
			t.Fatalf("Rc = %s: %d spikes, want a train", rc, len(s))
		}
		mean := (s[len(s)-1] - s[0]) / float64(len(s)-1)
		t.Logf("Rc = %s: %d spikes, mean interval %.2f ms", rc, len(s), mean*1e3)
		if mean <= prev {
			t.Errorf("Rc = %s: mean interval %.2f ms, not longer than with the smaller Rc (%.2f ms)", rc, mean*1e3, prev*1e3)
		}
		prev = mean
	}
}

// runSeeds runs the stochastic netlist with seeds 1..n and returns, per seed and neuron,
// the times of its spikes (v(g) rising through spikeLevel, interpolated), and the device
// events (ruptures) fired in all the runs.
func runSeeds(t *testing.T, text string, n int) ([][][]float64, int) {
	t.Helper()
	var spikes [][][]float64
	events := 0
	for seed := 1; seed <= n; seed++ {
		sim, err := gospice.Parse("6-stochasticity.cir", text, gospice.WithSeed(uint64(seed)))
		if err != nil {
			t.Fatal(err)
		}
		sink := &spikeSink{}
		stats, err := sim.Run(context.Background(), sim.Analyses()[0], sink, nil)
		if err != nil {
			t.Fatal(err)
		}
		events += stats.Events
		spikes = append(spikes, sink.times)
	}
	return spikes, events
}

// firingProbabilities is, per neuron, the fraction of the runs in which it fired.
func firingProbabilities(spikes [][][]float64) []float64 {
	p := make([]float64, len(spikes[0]))
	for _, run := range spikes {
		for i, s := range run {
			if len(s) > 0 {
				p[i]++
			}
		}
	}
	for i := range p {
		p[i] /= float64(len(spikes))
	}
	return p
}

// spikeSink keeps the times at which each vector (the time column aside) rises through
// spikeLevel, interpolated between points.
type spikeSink struct {
	times    [][]float64
	last     []float64
	lastTime float64
	started  bool
}

func (s *spikeSink) Begin(cols []gospice.Column) error {
	s.times = make([][]float64, len(cols)-1)
	s.last = make([]float64, len(cols)-1)
	return nil
}

func (s *spikeSink) Point(row []float64) error {
	now := row[0]
	for i, v := range row[1:] {
		if s.started && s.last[i] < spikeLevel && v >= spikeLevel {
			s.times[i] = append(s.times[i], s.lastTime+(spikeLevel-s.last[i])*(now-s.lastTime)/(v-s.last[i]))
		}
		s.last[i] = v
	}
	s.lastTime, s.started = now, true
	return nil
}

const seeds = 100

var amplitudes = []float64{0.7, 0.8, 0.9, 1.0, 1.1}

func readStochastic(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("6-stochasticity.cir")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func standardError(p float64) float64 { return math.Sqrt(p * (1 - p) / seeds) }

func TestStochasticity(t *testing.T) {
	spikes, events := runSeeds(t, readStochastic(t), seeds)
	p := firingProbabilities(spikes)
	t.Logf("firing probability over %d seeds: %v at %v V (%d ruptures in all)", seeds, p, amplitudes, events)
	if events == 0 {
		t.Error("no rupture fired: the hazard sampling was not exercised")
	}
	for i := 1; i < len(p); i++ {
		if p[i] < p[i-1]-2*standardError(p[i-1]) {
			t.Errorf("the probability falls from %.2f at %g V to %.2f at %g V", p[i-1], amplitudes[i-1], p[i], amplitudes[i])
		}
	}
	if p[len(p)-1]-p[0] < 0.5 {
		t.Errorf("the probability rises only from %.2f to %.2f over the amplitudes", p[0], p[len(p)-1])
	}
	if mid := p[2]; !(mid > 0.1 && mid < 0.9) {
		t.Errorf("at 0.9 V the probability is %.2f, not strictly between 0.1 and 0.9", mid)
	}
}

// The tolerances of TestStochasticityIndependentOfStep on the first spike's time, about
// ten times what it measured: the first spikes of the 281 neurons that fired came 22 us
// apart at the median, 34 us at the 90th percentile and 91 us at worst but one, the
// coarse run's earlier (the integrator's error at 200 us steps); the one further apart is
// a rupture racing the spike (seed 54, below), 0.39 ms.
const (
	firstSpikeTol   = 1e-3 // s, every first spike
	firstSpikeTol90 = 4e-4 // s, the 90th percentile
)

// TestStochasticityIndependentOfStep: the same seeds with maximum steps of 10 us and
// 200 us give the same outcome seed by seed: in each of the 100 runs the same neurons
// fire, and each one's first spike comes at the same time within firstSpikeTol. Ruptures
// are sampled by cumulative hazard on the device's own random stream and the integrator
// lands on each one, so the draws do not depend on the step.
//
// What comes after the first spike is compared and logged, not held: in 9 of the 100 seeds
// a neuron fires once more or once less in one run than in the other, and in others a
// later spike moves by up to 3.3 ms. After a spike the device switches off when a rupture
// cuts the filament and may switch on again before the pulse ends; when it does is decided
// near a threshold (the drive's runaway) and, with a rupture arriving at a hazard drawn in
// advance, by a race between the two. Neither converges at practical steps: seed 89's
// 1.1 V neuron fires again at 14.00, 14.07, 14.17 and 14.17 ms with tmax 10, 5, 2 and
// 1 us, and after the pulse's end (so not at all) with 200 us; seed 7's re-fires at 12.4,
// 13.7, 13.8 ms or not at all for tmax 10, 5, 2 and 1 us even with reltol 1e-6, where the
// rupture that decides it (7.71 to 7.79 ms) lands while the filament is switching. The
// same race decides seed 54's first spike: a rupture at 4.87-4.88 ms, as the gate rises,
// comes just after the spike with tmax 50 us or more (4.86-4.88 ms) and just before it
// with 20 us or less, which delays it to 5.22-5.25 ms.
func TestStochasticityIndependentOfStep(t *testing.T) {
	text := readStochastic(t)
	const fine, coarse = ".tran 10u 20m 0 10u uic", ".tran 10u 20m 0 200u uic"
	if !strings.Contains(text, ".tran 10u 20m uic") {
		t.Fatal("the netlist's .tran line changed; update this test")
	}
	sf, _ := runSeeds(t, strings.Replace(text, ".tran 10u 20m uic", fine, 1), seeds)
	sc, _ := runSeeds(t, strings.Replace(text, ".tran 10u 20m uic", coarse, 1), seeds)
	t.Logf("tmax 10 us: %v; tmax 200 us: %v", firingProbabilities(sf), firingProbabilities(sc))
	var firsts []float64
	later := 0
	for k := range sf {
		for i := range sf[k] {
			f, c := sf[k][i], sc[k][i]
			if (len(f) == 0) != (len(c) == 0) {
				t.Errorf("seed %d, %g V: spikes %.5f with tmax 10 us, %.5f with 200 us", k+1, amplitudes[i], f, c)
				continue
			}
			if len(f) == 0 {
				continue
			}
			d := math.Abs(f[0] - c[0])
			firsts = append(firsts, d)
			if d > firstSpikeTol {
				t.Errorf("seed %d, %g V: first spike at %.5f s with tmax 10 us, %.5f s with 200 us", k+1, amplitudes[i], f[0], c[0])
			}
			if len(f) != len(c) {
				later++
				t.Logf("seed %d, %g V: later spikes differ: %.5f with tmax 10 us, %.5f with 200 us", k+1, amplitudes[i], f, c)
			}
		}
	}
	if len(firsts) == 0 {
		t.Fatal("no neuron fired")
	}
	sort.Float64s(firsts)
	median, p90, worst := firsts[len(firsts)/2], firsts[len(firsts)*9/10], firsts[len(firsts)-1]
	t.Logf("first spikes of %d neurons: measured %.3g s apart at the median, %.3g s at the 90th percentile (tolerance %g s), %.3g s at worst (tolerance %g s); %d fire more or fewer times later",
		len(firsts), median, p90, firstSpikeTol90, worst, firstSpikeTol, later)
	if p90 > firstSpikeTol90 {
		t.Errorf("the first spikes' 90th percentile is %.3g s apart, more than %g s", p90, firstSpikeTol90)
	}
}
