// Package neuron_test runs the 1M1T1R neuron netlists and asserts the six behaviours of
// the 2025 paper, and cross-checks the native memristor against the behavioural reference.
package neuron_test

import (
	"context"
	"math"
	"os"
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

// firingProbabilities runs the stochastic netlist with seeds 1..n and returns, per
// neuron, the fraction of runs in which it fired, and the device events fired in all.
func firingProbabilities(t *testing.T, text string, n int) ([]float64, int) {
	t.Helper()
	var fired []float64
	events := 0
	for seed := 1; seed <= n; seed++ {
		sim, err := gospice.Parse("6-stochasticity.cir", text, gospice.WithSeed(uint64(seed)))
		if err != nil {
			t.Fatal(err)
		}
		sink := &peaks{}
		stats, err := sim.Run(context.Background(), sim.Analyses()[0], sink, nil)
		if err != nil {
			t.Fatal(err)
		}
		events += stats.Events
		if fired == nil {
			fired = make([]float64, len(sink.max))
		}
		for i, m := range sink.max {
			if m > spikeLevel {
				fired[i]++
			}
		}
	}
	for i := range fired {
		fired[i] /= float64(n)
	}
	return fired, events
}

// peaks keeps the largest value of each vector (the time column aside).
type peaks struct{ max []float64 }

func (p *peaks) Begin(cols []gospice.Column) error {
	p.max = make([]float64, len(cols)-1)
	for i := range p.max {
		p.max[i] = math.Inf(-1)
	}
	return nil
}

func (p *peaks) Point(row []float64) error {
	for i, v := range row[1:] {
		p.max[i] = math.Max(p.max[i], v)
	}
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
	p, events := firingProbabilities(t, readStochastic(t), seeds)
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

// TestStochasticityIndependentOfStep: the same seeds with maximum steps of 10 us and
// 200 us give firing probabilities that agree within three standard errors.
func TestStochasticityIndependentOfStep(t *testing.T) {
	text := readStochastic(t)
	const fine, coarse = ".tran 10u 20m 0 10u uic", ".tran 10u 20m 0 200u uic"
	if !strings.Contains(text, ".tran 10u 20m uic") {
		t.Fatal("the netlist's .tran line changed; update this test")
	}
	pf, _ := firingProbabilities(t, strings.Replace(text, ".tran 10u 20m uic", fine, 1), seeds)
	pc, _ := firingProbabilities(t, strings.Replace(text, ".tran 10u 20m uic", coarse, 1), seeds)
	t.Logf("tmax 10 us: %v; tmax 200 us: %v", pf, pc)
	for i := range pf {
		se := math.Sqrt(pf[i]*(1-pf[i])/seeds + pc[i]*(1-pc[i])/seeds)
		if d := math.Abs(pf[i] - pc[i]); d > 3*se && d > 0 {
			t.Errorf("%g V: %.2f with tmax 10 us against %.2f with 200 us, more than three standard errors (%.3f)", amplitudes[i], pf[i], pc[i], se)
		}
	}
}
