package gospice_test

import (
	"context"
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gospice/gospice"
)

// rerunNetlists cover every device that keeps run state (limiting history, Meyer and
// excess-phase history, switch states, a transmission line's waves, behavioural workspaces, memristor ruptures and
// device-to-device spread), and the analyses that set devices (.dc of sources and of the
// temperature, .ac of an expression that reads hertz).
var rerunNetlists = []string{
	"netlists/neuron/6-stochasticity.cir",
	"netlists/mos_ring.cir",
	"netlists/bjt_features.cir",
	"netlists/diode_rectifier.cir",
	"netlists/switch.cir",
	"netlists/bsource_hertz.cir",
	"netlists/bsource_squarer.cir",
	"netlists/dc_temp.cir",
	"netlists/dc_resistor.cir",
	"netlists/mos_cmos_uic.cir",
	"netlists/tline_pulse.cir",
}

// collectAll runs every analysis of sim and returns each one's vectors, in order.
func collectAll(t *testing.T, sim *gospice.Simulation) [][][]float64 {
	t.Helper()
	var all [][][]float64
	for _, a := range sim.Analyses() {
		res, err := sim.Collect(context.Background(), a)
		if err != nil {
			t.Errorf("%s: %v", a.Name(), err)
			return nil
		}
		var vecs [][]float64
		for _, name := range res.Names() {
			if res.IsComplex() {
				for _, v := range complexVector(t, res, name) {
					vecs = append(vecs, []float64{real(v), imag(v)})
				}
				continue
			}
			vecs = append(vecs, vector(t, res, name))
		}
		all = append(all, vecs)
	}
	return all
}

// identical reports whether two runs' vectors are the same to the bit.
func identical(a, b [][][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if len(a[i][j]) != len(b[i][j]) {
				return false
			}
			for k := range a[i][j] {
				if math.Float64bits(a[i][j][k]) != math.Float64bits(b[i][j][k]) {
					return false
				}
			}
		}
	}
	return true
}

// TestRerunsAreIdentical runs one built Simulation three times in a row and four times at
// once: every run must give the first run's vectors to the bit. Under `go test -race` it
// also shows that runs share nothing they write.
func TestRerunsAreIdentical(t *testing.T) {
	for _, path := range rerunNetlists {
		t.Run(filepath.Base(path), func(t *testing.T) {
			sim, err := gospice.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			first := collectAll(t, sim)
			if first == nil {
				return
			}
			for k := 2; k <= 3; k++ {
				if again := collectAll(t, sim); !identical(first, again) {
					t.Errorf("sequential run %d differs from the first", k)
				}
			}
			var wg sync.WaitGroup
			results := make([][][][]float64, 4)
			for g := range results {
				wg.Go(func() { results[g] = collectAll(t, sim) })
			}
			wg.Wait()
			for g, r := range results {
				if !identical(first, r) {
					t.Errorf("concurrent run %d differs from the first", g+1)
				}
			}
		})
	}
}

// TestSecondTransientHasItsOwnDefaults: a PULSE without a rise time rises in tstep, the
// tstep of the transient that runs, not of the netlist's first .tran.
func TestSecondTransientHasItsOwnDefaults(t *testing.T) {
	sim, err := gospice.Parse("t.cir", "t\nV1 a 0 PULSE(0 1 1u)\nR1 a 0 1k\n.tran 100n 2u\n.tran 10n 2u\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range sim.Analyses() {
		tstep := a.(*gospice.Tran).Step
		res, err := sim.Collect(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		// Halfway up the edge, the source is at 0.5 V.
		got, want := interpolate(res.Scale(), vector(t, res, "v(a)"), 1e-6+tstep/2), 0.5
		if math.Abs(got-want) > 1e-9 {
			t.Errorf(".tran %d (tstep %g): v(a) = %g halfway up the edge, want %g", k+1, tstep, got, want)
		}
	}
}
