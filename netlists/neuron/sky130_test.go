package neuron_test

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

var sky130LibLine = regexp.MustCompile(`(?m)^\.lib \S+ tt$`)

// sky130Netlist is sky130-76ms.cir with the library's absolute path (returned too); it
// skips the test when the shared data is absent.
func sky130Netlist(t *testing.T) (text, lib string) {
	t.Helper()
	lib = crosscheck.SKY130Library(t)
	native, err := os.ReadFile("sky130-76ms.cir")
	if err != nil {
		t.Fatal(err)
	}
	if !sky130LibLine.Match(native) {
		t.Fatal("sky130-76ms.cir has no .lib ... tt line; update this test")
	}
	return sky130LibLine.ReplaceAllLiteralString(string(native), ".lib "+lib+" tt"), lib
}

// sky130Native runs sky130-76ms.cir in gospice.
func sky130Native(t *testing.T, text string) *crosscheck.Table {
	t.Helper()
	got, err := crosscheck.RunText(text, "tran")
	if err != nil {
		t.Fatal(err)
	}
	rename(got, map[string]string{"state(y1.f)": "f", "state(y1.r)": "r"})
	return got
}

// runSky130Pair runs sky130-76ms.cir in gospice (native memristor) and the same circuit in
// ngspice 39 with the behavioural-source memristor of neuron-bsource.cir, both with the
// library's absolute path.
func runSky130Pair(t *testing.T) (ref, got *crosscheck.Table) {
	t.Helper()
	nativeText, lib := sky130Netlist(t)
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check with neuron-bsource.cir")
	}
	if testing.Short() {
		t.Skip("-short: skipping ngspice's BSIM4 run of the spike train")
	}
	src, err := os.ReadFile(bsource)
	if err != nil {
		t.Skipf("%s not present (the shared corpus is not part of the repository): %v", bsource, err)
	}
	refText := edit(t, bsource, string(src),
		".tran 10u 150m uic", ".options reltol=1e-6\n.tran 10u 76m 0 1u uic",
		".ic v(x1)=0 v(x2)=0 v(g)=0", ".ic v(x1)=0 v(x2)=0.3 v(g)=0",
		"M1 d g 0 0 NM W=1u L=1u", ".lib "+lib+" tt\nX1 d g 0 0 sky130_fd_pr__nfet_01v8 w=10 l=0.15")
	// ngspice reads the library only in its HSPICE-compatible mode (the library's spinit).
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".spiceinit"), []byte("set ngbehavior=hsa\nset ng_nomodcheck\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ref, err = crosscheck.NgspiceText(refText, dir, "tran", []string{"v(g)", "v(x1)", "v(x2)", "v(d)"})
	if err != nil {
		t.Fatal(err)
	}
	rename(ref, map[string]string{"v(x1)": "f", "v(x2)": "r"})
	return ref, sky130Native(t, nativeText)
}

// TestSky130NeuronFires: with the SKY130 FET (gospice alone), the neuron fires the level 1
// circuit's ten gate spikes, each within 20 us of that circuit's (measured 1.8 us: the
// FET's gate capacitance, at most about 15 fF, is 0.15% of Cg), and each pulls the drain
// below Vdd/2 within 100 us (measured 9.6 us, the gate's rise from 0.3 V to the FET's trip
// point; the next spike comes at least 1 ms later).
func TestSky130NeuronFires(t *testing.T) {
	text, _ := sky130Netlist(t)
	got := sky130Native(t, text)
	level1 := []float64{0.0429860, 0.0443109, 0.0528359, 0.0542970, 0.0589687, 0.0602167, 0.0647790, 0.0662509, 0.0701965, 0.0742078}
	have := crosscheck.Crossings(got, "v(g)", spikeLevel)
	t.Logf("spikes %.7f", have)
	if len(have) != len(level1) {
		t.Fatalf("%d spikes, the level 1 circuit %d", len(have), len(level1))
	}
	falls := fallings(got, "v(d)", drainLevel)
	worst, lag := 0.0, 0.0
	for i, s := range have {
		worst = math.Max(worst, math.Abs(s-level1[i]))
		if math.Abs(s-level1[i]) > 20e-6 {
			t.Errorf("spike %d at %.7f s, the level 1 circuit's at %.7f s", i+1, s, level1[i])
		}
		if !anyWithin(falls, s, 100e-6) {
			t.Errorf("the drain does not cross %g V within 100 us of spike %d (%.7f s)", drainLevel, i+1, s)
		}
		for _, f := range falls {
			if f >= s && f <= s+100e-6 {
				lag = math.Max(lag, f-s)
			}
		}
	}
	t.Logf("measured: spikes within %.3g s of the level 1 circuit's, the drain %.3g s after them", worst, lag)
}

// drainLevel is the drain voltage whose downward crossing marks the output's spike: half
// of Vdd.
const drainLevel = 0.25

// TestSky130SpikeTrainMatchesReference: the spike train of TestSpikeTrainMatchesReference
// with a SKY130 nfet_01v8 (BSIM4, tt, W/L = 10/0.15; sky130-76ms.cir says why) in place of
// the level 1 NMOS. The neuron still fires as with the level 1 transistor: the same ten
// gate spikes as the level 1 circuit (TestSky130NeuronFires), each pulling the drain below
// Vdd/2 within 100 us (measured 9.6 us). gospice (native
// memristor) and ngspice (behavioural sources) give the same spikes within the tolerances
// of the level 1 cross-check (spikeTimeTol, spikeWaveTol): measured, gate spikes 8.7e-7 s
// apart (the level 1 pair: 8.4e-7 s), drain crossings 9e-7 s, waveforms 1.1e-3 of their
// swings (v(g); the level 1 pair: 2.4e-3). Both fire the same 10 gate spikes and 12 drain
// falls. ngspice takes about 1 min of CPU here (the library, then BSIM4 over 77,000
// steps), so -short skips it.
func TestSky130SpikeTrainMatchesReference(t *testing.T) {
	ref, got := runSky130Pair(t)
	want := crosscheck.Crossings(ref, "v(g)", spikeLevel)
	have := crosscheck.Crossings(got, "v(g)", spikeLevel)
	t.Logf("spikes: ngspice %.7f", want)
	t.Logf("spikes: gospice %.7f", have)
	if len(want) != 10 {
		t.Fatalf("the reference fired %d times; the level 1 neuron fires 10 times in this run", len(want))
	}
	if len(have) != len(want) {
		t.Fatalf("%d spikes, the reference %d", len(have), len(want))
	}
	worstTime := 0.0
	for i := range want {
		d := math.Abs(have[i] - want[i])
		if d > spikeTimeTol {
			t.Errorf("spike %d at %.7f s, the reference's at %.7f s: %.3g s apart", i+1, have[i], want[i], d)
		}
		worstTime = math.Max(worstTime, d)
	}
	// Every gate spike pulls the drain low: the output fires. The drain also falls where
	// the memristor switches on again while the gate is still above 0.3 V but below the
	// FET's trip point (0.607 V), so it may fall more often than the gate rises.
	for name, tab := range map[string]*crosscheck.Table{"ngspice": ref, "gospice": got} {
		falls := fallings(tab, "v(d)", drainLevel)
		t.Logf("drain crossings of %g V, %s: %.7f", drainLevel, name, falls)
		for i, s := range have {
			if !anyWithin(falls, s, 100e-6) {
				t.Errorf("%s: the drain does not cross %g V within 100 us of gate spike %d (%.7f s)", name, drainLevel, i+1, s)
			}
		}
	}
	worstWave := 0.0
	for _, name := range []string{"v(g)", "f", "r", "v(d)"} {
		d := tube(ref, got, name, spikeTimeTol)
		if d > spikeWaveTol {
			t.Errorf("%s: %.3g of its swing apart with events free to shift by %g s", name, d, spikeTimeTol)
		}
		t.Logf("%s: %.3g of its swing apart with events free to shift by %g s", name, d, spikeTimeTol)
		worstWave = math.Max(worstWave, d)
	}
	t.Logf("measured: spikes %.3g s apart (tolerance %g s), waveforms %.3g of the swing (tolerance %g)",
		worstTime, spikeTimeTol, worstWave, spikeWaveTol)
}

// fallings lists the times at which a vector falls through level, interpolated linearly
// between points (crosscheck.Crossings of the negated vector).
func fallings(tab *crosscheck.Table, vector string, level float64) []float64 {
	neg := make([]float64, tab.Len())
	for i, v := range tab.Col(vector) {
		neg[i] = -v
	}
	return crosscheck.Crossings(&crosscheck.Table{Names: []string{"time", "neg"}, Cols: [][]float64{tab.Col("time"), neg}}, "neg", -level)
}

// anyWithin reports whether some time of ts lies in [t, t+d].
func anyWithin(ts []float64, t, d float64) bool {
	for _, x := range ts {
		if x >= t && x <= t+d {
			return true
		}
	}
	return false
}
