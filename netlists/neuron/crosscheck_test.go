package neuron_test

import (
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

const bsource = "../../../shared/models/neuron-bsource.cir"

// rename gives a table's columns the names of the other simulator's vectors.
func rename(t *crosscheck.Table, names map[string]string) {
	for i, n := range t.Names {
		if m, ok := names[n]; ok {
			t.Names[i] = m
		}
	}
}

// runPair runs the behavioural-source reference in ngspice and the native device in
// gospice over the same time span.
func runPair(t *testing.T, stop string) (ref, got *crosscheck.Table) {
	t.Helper()
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check with neuron-bsource.cir")
	}
	src, err := os.ReadFile(bsource)
	if err != nil {
		t.Skipf("the reference %s is not here: %v", bsource, err)
	}
	ref, err = crosscheck.NgspiceText(strings.Replace(string(src), ".tran 10u 150m uic", ".tran 10u "+stop+" uic", 1),
		".", "tran", []string{"v(g)", "v(x1)", "v(x2)"})
	if err != nil {
		t.Fatal(err)
	}
	rename(ref, map[string]string{"v(x1)": "f", "v(x2)": "r"})
	native, err := os.ReadFile("native-150ms.cir")
	if err != nil {
		t.Fatal(err)
	}
	got, err = crosscheck.RunText(strings.Replace(string(native), ".tran 10u 150m uic", ".tran 10u "+stop+" uic", 1), "tran")
	if err != nil {
		t.Fatal(err)
	}
	rename(got, map[string]string{"state(y1.f)": "f", "state(y1.r)": "r"})
	return ref, got
}

// TestNativeMatchesBehaviouralReference: over 150 ms the native memristor gives the same
// v(g), f and r as the behavioural-source reference in ngspice, within 0.3% of the swing.
func TestNativeMatchesBehaviouralReference(t *testing.T) {
	ref, got := runPair(t, "150m")
	ms, err := crosscheck.Compare(ref, got, []string{"v(g)", "f", "r"}, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("%v", m)
		if m.Relative() > 3e-3 {
			t.Errorf("%v, more than 0.3%% of the swing", m)
		}
	}
}

// TestFirstSpikesMatchReference: over 300 ms the first two spikes (v(g) rising through
// 0.3 V) come at the same times as the reference's, within 0.5% of the run.
func TestFirstSpikesMatchReference(t *testing.T) {
	ref, got := runPair(t, "300m")
	want := crosscheck.Crossings(ref, "v(g)", 0.3)
	have := crosscheck.Crossings(got, "v(g)", 0.3)
	if len(want) < 2 || len(have) < 2 {
		t.Fatalf("spikes: reference %v, gospice %v; want at least two each", want, have)
	}
	for i := range 2 {
		d := have[i] - want[i]
		t.Logf("spike %d: gospice %.6f s, ngspice %.6f s, off by %.3g s (%.3g%% of the run)", i+1, have[i], want[i], d, 100*d/0.3)
		if d > 0.005*0.3 || d < -0.005*0.3 {
			t.Errorf("spike %d off by %.3g s, more than 0.5%% of the 300 ms run", i+1, d)
		}
	}
}
