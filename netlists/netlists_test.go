// Package netlists_test runs every regression netlist and compares it with its golden
// output and, where ngspice is installed, with ngspice.
package netlists_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

var update = flag.Bool("update", false, "rewrite the golden files under netlists/golden")

// sharedDir is the shared corpus beside the repository (../shared from its root): data the
// cross-checks use where it is present, which is not part of the repository.
const sharedDir = "../../shared"

// skipWithoutShared skips the test when path lies under sharedDir and is not there.
func skipWithoutShared(t testing.TB, path string) {
	t.Helper()
	if !strings.HasPrefix(filepath.ToSlash(path), sharedDir+"/") {
		return
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not present (the shared corpus is not part of the repository): %v", path, err)
	}
}

// regressionNetlists are the netlists of this folder and its sub-folders, benchmarks
// (bench/) and netlists that read the shared data (a SKY130 library beside the
// repository) aside: the shared data is not part of the repository, so their own tests
// hold them to ngspice instead of a golden file.
func regressionNetlists(t *testing.T) []string {
	var paths []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// Benchmarks, and the networks (whose outputs are spikes, tested in
		// netlists/network), have no golden waveforms.
		if d.IsDir() && (path == "bench" || path == "network") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".cir") {
			if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte("/shared/")) {
				paths = append(paths, path)
			}
		}
		return nil
	})
	if err != nil || len(paths) == 0 {
		t.Fatalf("no netlists: %v", err)
	}
	return paths
}

func TestGolden(t *testing.T) {
	for _, path := range regressionNetlists(t) {
		sim, err := gospice.ParseFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if len(sim.Steps()) > 0 {
			checkSteppedGolden(t, path, sim)
			continue
		}
		for _, a := range sim.Analyses() {
			name := strings.ReplaceAll(strings.TrimSuffix(path, ".cir"), "/", "_") + "." + a.Name()
			t.Run(name, func(t *testing.T) {
				got, err := crosscheck.RunSimulation(sim, a.Name())
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("golden", name+".csv.gz")
				if *update {
					if err := writeCSV(golden, got); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := readCSV(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./netlists -update to create it)", err)
				}
				ms, err := crosscheck.CompareAtReference(want, got, want.Names[boolIndex(want.Names[0] == "time"):], 1e-12)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					if m.Relative() > 1e-4 {
						t.Errorf("%v: the run moved away from %s (go test ./netlists -update rewrites it)", m, golden)
					}
				}
			})
		}
	}
}

// checkSteppedGolden compares every run of a netlist with .step lines with its golden
// file, which holds the runs' rows after a column run (the run index), run by run.
func checkSteppedGolden(t *testing.T, path string, sim *gospice.Simulation) {
	t.Helper()
	tables := make([]*crosscheck.Table, len(sim.Analyses()))
	for k, a := range sim.Analyses() {
		tables[k] = &crosscheck.Table{Names: append([]string{"run"}, sim.Vectors(a)...)}
		tables[k].Cols = make([][]float64, len(tables[k].Names))
	}
	err := sim.RunSteps(context.Background(), nil, 0, func(r *gospice.StepRun) error {
		if r.Err != nil {
			return fmt.Errorf("run %d: %w", r.Run, r.Err)
		}
		for k, res := range r.Results {
			tab := tables[k]
			for p := range res.Len() {
				tab.Cols[0] = append(tab.Cols[0], float64(r.Run))
				for c, name := range tab.Names[1:] {
					v, ok := res.Vector(name)
					if !ok {
						return fmt.Errorf("run %d: no %s", r.Run, name)
					}
					tab.Cols[c+1] = append(tab.Cols[c+1], v[p])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	for k, a := range sim.Analyses() {
		name := strings.ReplaceAll(strings.TrimSuffix(path, ".cir"), "/", "_") + "." + a.Name()
		t.Run(name, func(t *testing.T) {
			golden := filepath.Join("golden", name+".csv.gz")
			if *update {
				if err := writeCSV(golden, tables[k]); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := readCSV(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./netlists -update to create it)", err)
			}
			wantRuns, gotRuns := byRun(want), byRun(tables[k])
			if len(wantRuns) != len(gotRuns) {
				t.Fatalf("%d runs, the golden file has %d", len(gotRuns), len(wantRuns))
			}
			for r := range wantRuns {
				w, g := wantRuns[r], gotRuns[r]
				ms, err := crosscheck.CompareAtReference(w, g, w.Names[boolIndex(w.Names[0] == "time" || w.Names[0] == "frequency"):], 1e-12)
				if err != nil {
					t.Fatalf("run %d: %v", r+1, err)
				}
				for _, m := range ms {
					if m.Relative() > 1e-4 {
						t.Errorf("run %d: %v: the run moved away from %s (go test ./netlists -update rewrites it)", r+1, m, golden)
					}
				}
			}
		})
	}
}

// byRun splits a stepped table (its first column the run) into a table per run, in order.
func byRun(tab *crosscheck.Table) []*crosscheck.Table {
	var out []*crosscheck.Table
	for p, run := range tab.Cols[0] {
		if len(out) < int(run) {
			out = append(out, &crosscheck.Table{Names: tab.Names[1:], Cols: make([][]float64, len(tab.Names)-1)})
		}
		cur := out[len(out)-1]
		for c := range cur.Cols {
			cur.Cols[c] = append(cur.Cols[c], tab.Cols[c+1][p])
		}
	}
	return out
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkClose fails the test where a vector differs by more than tol of its swing. It logs
// every vector's difference and the worst of them against tol, so that `go test -v` shows
// how close each cross-check is (and a tolerance can be set from what it measures).
func checkClose(t *testing.T, want, got *crosscheck.Table, vectors []string, tol float64) {
	t.Helper()
	ms, err := crosscheck.Compare(want, got, vectors, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	worst := ms[0]
	for _, m := range ms {
		if m.Relative() > tol || math.IsNaN(m.Relative()) {
			t.Errorf("%v (tolerance %.3g of the swing)", m, tol)
		} else {
			t.Logf("%v", m)
		}
		if m.Relative() > worst.Relative() {
			worst = m
		}
	}
	logWorst(t, worst.Relative(), worst.Vector, tol)
}

// logWorst logs a cross-check's measured error, in parts of the swing, next to its
// tolerance.
func logWorst(t *testing.T, measured float64, vector string, tol float64) {
	t.Helper()
	t.Logf("measured %.3g of the swing (worst: %s), tolerance %.3g", measured, vector, tol)
}

// goldenRows bounds the rows a golden file keeps: long runs keep every k-th row (and the
// last), enough to catch a change; the comparison interpolates the new run at those rows.
const goldenRows = 2000

func writeCSV(path string, t *crosscheck.Table) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	z := gzip.NewWriter(f)
	w := csv.NewWriter(z)
	w.Write(t.Names)
	row := make([]string, len(t.Names))
	every := (t.Len() + goldenRows - 1) / goldenRows
	for i := 0; i < t.Len(); i++ {
		if i%every != 0 && i != t.Len()-1 {
			continue
		}
		for j := range t.Cols {
			row[j] = strconv.FormatFloat(t.Cols[j][i], 'g', -1, 64)
		}
		w.Write(row)
	}
	w.Flush()
	if err := errors.Join(w.Error(), z.Close()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readCSV(path string) (*crosscheck.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(z).ReadAll()
	if err != nil {
		return nil, err
	}
	t := &crosscheck.Table{Names: rows[0], Cols: make([][]float64, len(rows[0]))}
	for _, r := range rows[1:] {
		for j, s := range r {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, err
			}
			t.Cols[j] = append(t.Cols[j], v)
		}
	}
	return t, nil
}

// crossCase is a netlist checked against ngspice: the analysis compared, its tolerance
// in parts of each vector's swing, and the vectors. Each case's tolerance is about ten
// times the difference it measured when it was set (go test -v logs it), rounded up to
// a clean number and never below 1e-12 (the numerics' floor); a case whose difference
// is larger than its simulators' own errors says so.
type crossCase struct {
	path    string
	kind    string
	tol     float64
	vectors []string
}

// checkAgainstNgspice runs each case in both simulators and holds every vector within the
// case's tolerance of its swing. It skips where ngspice is not installed, and a case whose
// netlist is not there (the shared corpus).
func checkAgainstNgspice(t *testing.T, cases []crossCase) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path)+"/"+c.kind, func(t *testing.T) {
			skipWithoutShared(t, c.path)
			want, err := crosscheck.Ngspice(c.path, c.kind, c.vectors)
			if err != nil {
				t.Fatal(err)
			}
			got, err := crosscheck.Gospice(c.path, c.kind)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, want, got, c.vectors, c.tol)
		})
	}
}

// ngspiceCases are the netlists cross-checked against ngspice: this folder's and the
// linear ones of the shared corpus. Most linear transients take the same steps in both
// simulators and agree to rounding.
//
// Where a .dc sweep of a nonlinear circuit differs (here dc_temp; bjt_dc, bjt_features,
// rtlinv, mos_inverter, bsource_dc and temper-2 elsewhere), the difference is ngspice's:
// with reltol=1e-6 abstol=1e-14 vntol=1e-9 in both, the two agree within 1e-7 to 6e-7 of
// the swing, ngspice's default sweep is as far from that converged answer as it is from
// gospice's, and gospice's default sweep is within 4e-8 to 7e-6 of it.
var ngspiceCases = []crossCase{
	{"rc.cir", "tran", 9e-12, []string{"v(out)", "i(v1)"}},
	{"rl.cir", "tran", 1e-12, []string{"v(a)", "i(l1)"}},
	{"rlc.cir", "tran", 1e-12, []string{"v(b)", "i(l1)"}},
	{"divider.cir", "op", 1e-12, []string{"v(2)", "v(3)", "i(v1)", "i(v2)"}},
	// 5.5e-5 apart: the step sequences differ. Both are 0.52% of the swing from the
	// converged answer (tmax 10 ns, reltol 1e-6), where they agree within 6e-9.
	{"lc.cir", "tran", 6e-4, []string{"v(a)", "i(l1)"}},
	// v(e), the EXP source, is left out: ngspice sets no breakpoints at EXP's corners and
	// cuts the corner at td2 (0.42% of the swing at 100 us); gospice lands on it and gives
	// the exact value there (analysis.TestSourceValuesExact checks every point).
	// The PWL source lands on its corners in both. The SIN and the pulsed RC (3.1e-4 apart
	// at 100 us) are sampled at different points; both simulators are 0.43% of the swing
	// from the converged v(q) (tmax 5 ns, reltol 1e-6), where they agree within 7e-9.
	{"sources.cir", "tran", 1e-12, []string{"v(p)"}},
	{"sources.cir", "tran", 4e-3, []string{"v(s)", "v(q)"}},
	{"ic.cir", "tran", 4e-12, []string{"v(out)", "v(x)", "i(v1)"}},
	{"gear.cir", "tran", 3e-12, []string{"v(b)", "i(l1)"}},
	{"dc.cir", "dc", 1e-12, []string{"v(c)", "i(v1)"}},
	{"dc_resistor.cir", "dc", 1e-12, []string{"v(out)", "i(v1)"}},
	// ngspice's sweep is 8.0e-4 of the swing off the converged answer, gospice's 5.7e-6.
	{"dc_temp.cir", "dc", 8e-3, []string{"i(v_test)", "i(v_fix)", "v(2)"}},
	{"switch.cir", "tran", 6e-12, []string{"v(out)", "i(vs)"}},
	{"cswitch.cir", "tran", 6e-12, []string{"v(out)", "i(vs)", "i(vm)"}},
	{"bandpass.cir", "ac", 1e-12, []string{"vm(out)", "vp(out)", "vdb(out)", "vm(mid)", "vp(mid)"}},
	{corpusDir + "/tests/general/rc.cir", "tran", 1e-12, []string{"v(2)", "i(vin)"}},
	{corpusDir + "/tests/resistance/res_simple.cir", "tran", 1e-12, []string{"i(v1)"}},
}

func TestAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, ngspiceCases) }

// TestBandpassAnalytic holds the band-pass to its transfer function
// R1 / (R1 + Rs + j w L1 + 1/(j w C1)) at every frequency.
func TestBandpassAnalytic(t *testing.T) {
	got, err := crosscheck.Gospice("bandpass.cir", "ac")
	if err != nil {
		t.Fatal(err)
	}
	const rs, r1, l1, c1 = 10.0, 100.0, 1e-3, 1e-9
	worst := 0.0
	for k, f := range got.Cols[0] {
		w := 2 * math.Pi * f
		h := complex(r1, 0) / complex(r1+rs, w*l1-1/(w*c1))
		dm := math.Abs(got.Col("vm(out)")[k] - cmplx.Abs(h))
		dp := math.Abs(got.Col("vp(out)")[k] - cmplx.Phase(h)*180/math.Pi)
		worst = math.Max(worst, math.Max(dm, dp/180))
	}
	if worst > 1e-9 {
		t.Errorf("off the transfer function by %g (magnitude, or phase as a fraction of 180 degrees)", worst)
	}
	if n := len(got.Cols[0]); n != 81 {
		t.Errorf("%d frequencies, want 81 (20 per decade over 4 decades, and the last)", n)
	}
}

// TestTemperatureSweep: the diodes of dc_temp.cir share their voltage and d_test's
// saturation current is temper times d_fix's, so the ratio of their currents is the
// temperature at each point of the .dc temp sweep.
func TestTemperatureSweep(t *testing.T) {
	got, err := crosscheck.Gospice("dc_temp.cir", "dc")
	if err != nil {
		t.Fatal(err)
	}
	temps := got.Col("temp")
	if len(temps) != 10 || temps[0] != 10 || temps[9] != 100 {
		t.Fatalf("temperatures %v, want 10, 20, ... 100", temps)
	}
	for k, temp := range temps {
		if ratio := got.Col("i(v_test)")[k] / got.Col("i(v_fix)")[k]; math.Abs(ratio-temp) > 1e-6*temp {
			t.Errorf("at %g degrees the current ratio is %.9g", temp, ratio)
		}
	}
}

// TestSkipWithoutShared: a test that needs a file of the shared corpus skips, saying so,
// where it is absent; a missing file of the repository does not make a test skip.
func TestSkipWithoutShared(t *testing.T) {
	skipped := func(path string) bool {
		var s bool
		t.Run("probe", func(t *testing.T) {
			defer func() { s = t.Skipped() }()
			skipWithoutShared(t, path)
		})
		return s
	}
	if !skipped(sharedDir + "/no-such-folder/x.cir") {
		t.Error("an absent file of the shared corpus did not skip the test")
	}
	if skipped("no-such-netlist.cir") {
		t.Error("an absent file of the repository skipped the test")
	}
}
