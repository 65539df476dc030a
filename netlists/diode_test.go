package netlists_test

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// diodeCases are the diode netlists cross-checked against ngspice.
var diodeCases = []crossCase{
	{"diode_iv.cir", "dc", 4e-6, []string{"v(d)", "i(v1)"}},
	// 6.1e-4 apart where the rectifier turns on: both are 0.17% of the swing from the
	// converged run (tmax 20 ns, reltol 1e-6), where they agree within 2e-8.
	{"diode_rectifier.cir", "tran", 7e-3, []string{"v(out)", "i(v1)"}},
	{"diode_features.cir", "dc", 2e-4, []string{"v(d1)", "i(v11)", "v(d2)", "i(v12)", "v(d3)", "i(v13)", "v(d4)", "i(v14)",
		"v(d5)", "i(v15)", "v(d6)", "i(v16)", "v(d7)", "i(v17)", "v(d8)", "i(v18)"}},
	{"diode_leakage.cir", "dc", 5e-8, []string{"i(v11)", "i(v12)", "i(v13)", "i(v14)"}},
	{"diode_charge.cir", "tran", 6e-4, []string{"i(v11)", "i(v12)", "i(v13)", "i(v14)"}},
	{"diode_uic.cir", "tran", 8e-4, []string{"v(a)", "v(b)"}},
	// Self-heating: 1.3e-4 of the swing apart (D2, near its knee), ngspice's default
	// sweep; with reltol=1e-8 abstol=1e-15 vntol=1e-12 in both they agree within 4.4e-7.
	{"diode_thermal.cir", "dc", 1.5e-3, []string{"i(v11)", "i(v12)", "i(v13)", "v(tj1)", "v(tj2)"}},
	// 7.8e-3 of the swing on i(v1) at the second pulse's edge (the step sequences
	// differ), v(tj) within 3.4e-4.
	{"diode_thermal_tran.cir", "tran", 8e-2, []string{"v(tj)", "i(v1)"}},
	// 4.4e-8 measured: the thermal loop's conductances without cth0 or the charges.
	{"diode_thermal_ac.cir", "ac", 4e-7, []string{"vm(d)", "vp(d)", "vm(tj)", "vp(tj)"}},
}

func TestDiodeAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, diodeCases) }

// TestDiodeSpecialModelNames runs the corpus test of model names that start with a digit
// (1n4002, 2sk456): its .control block runs an .op, which is put in its place here, and
// checks the ratios of the currents, which the saturation currents' ratios set.
func TestDiodeSpecialModelNames(t *testing.T) {
	const path = corpusDir + "/tests/regression/model/special-names-1.cir"
	skipWithoutShared(t, path)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?is)\n\.control\b.*?\n\.endc[^\n]*`).ReplaceAllString(string(src), "\n.op")
	sim, err := gospice.Parse(path, text)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.RunSimulation(sim, "op")
	if err != nil {
		t.Fatal(err)
	}
	vectors := []string{"i(vm1)", "i(vm2)", "i(vm3)", "i(vm4)"}
	i1 := got.Col("i(vm1)")
	for k, gold := range []float64{1.3, 1.5, 1.7} {
		col := got.Col(vectors[k+1])
		if i1 == nil || col == nil {
			t.Fatalf("missing %s or i(vm1) in %v", vectors[k+1], got.Names)
		}
		if r := col[0] / i1[0]; math.Abs(r/gold-1) > 1e-7 {
			t.Errorf("%s/i(vm1) = %.10g, want %g", vectors[k+1], r, gold)
		}
	}
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed; skipping the cross-check")
	}
	want, err := crosscheck.NgspiceText(text, filepath.Dir(path), "op", vectors)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, want, got, vectors, 1e-12)
}
