package netlists_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

// corpusDir holds the netlists written for ngspice (its tests and examples).
const corpusDir = sharedDir + "/corpus/ngspice"

// corpusCase is one netlist of the ngspice corpus and what gospice does with it: every
// netlist there has a case, and docs/corpus.md is the table of them.
//
// The circuit part is what is compared; .control blocks are skipped (by both simulators
// here). Where a netlist's only analysis is inside its .control block, add holds that
// analysis as a dot line, appended before .end for both simulators.
type corpusCase struct {
	path    string // under corpusDir
	add     string // dot lines appended for both simulators
	kind    string // the analysis compared
	vectors []string
	tol     float64 // fraction of the swing: about ten times the difference measured when set
	shift   float64 // where set, a transient's edges may shift by this many seconds
	refuse  string  // when set, gospice refuses the netlist with this message
	checked string  // when set, the test that cross-checks this netlist elsewhere
}

var corpusCases = []corpusCase{
	{path: "tests/general/rc.cir", checked: "TestAgainstNgspice"},
	{path: "tests/resistance/res_simple.cir", checked: "TestAgainstNgspice"},
	{path: "tests/general/rtlinv.cir", checked: "TestBJTAgainstNgspice, TestBJTCorpusTransients"},
	{path: "tests/general/schmitt.cir", checked: "TestBJTCorpusTransients"},
	{path: "tests/general/rca3040.cir", checked: "TestBJTAgainstNgspice, TestBJTRCA3040, TestBJTRCA3040AC"},
	{path: "tests/general/mosmem.cir", checked: "TestMOSMemoryCell"},
	{path: "tests/regression/model/special-names-1.cir", checked: "TestDiodeSpecialModelNames"},

	{path: "tests/filters/lowpass.cir", kind: "op", vectors: []string{"v(1)", "v(2)"}, tol: 1e-12},
	{path: "tests/filters/lowpass.cir", add: ".print ac vm(2) vp(2)", kind: "ac", vectors: []string{"vm(2)", "vp(2)"}, tol: 1e-12},
	{path: "tests/resistance/res_partition.cir", kind: "op", vectors: []string{"v(2)"}, tol: 1e-12},
	{path: "tests/resistance/res_partition.cir", add: ".print ac vm(2)", kind: "ac", vectors: []string{"vm(2)"}, tol: 1e-12},
	// r3's width after narrowing is 0: an open circuit in .op and .tran (its ac=
	// value in .ac: TestNgspiceFull compares that plot).
	{path: "tests/resistance/res_array.cir", kind: "op", vectors: []string{"i(vr1)", "i(vr3)", "i(vr5)"}, tol: 1e-12},
	{path: "tests/general/fourbitadder.cir", kind: "tran", vectors: []string{"v(1)"}, tol: 1e-12},
	{path: "tests/general/fourbitadder.cir", kind: "tran", vectors: []string{"v(x1.x1.x1.x1.9)", "v(x1.x1.x1.x1.5)", "v(x1.x2.x2.x2.9)", "v(x1.x1.x2.x2.5)"}, tol: 3e-3},
	{path: "tests/general/diffpair.cir", checked: "TestTFCorpusDiffpair"},
	// Level 2. 0.64% of the swing apart on the slewing edges, sampled at the netlist's 0.1 us
	// steps: gospice is 0.45% and ngspice 0.26% from a converged run (tmax 5 ns, reltol
	// 1e-6, abstol 1e-12, vntol 1e-9), in which the two agree within 2.3e-4.
	{path: "tests/general/mosamp.cir", add: ".options reltol=1e-6", kind: "tran", vectors: []string{"v(20)", "v(66)"}, tol: 5e-2},
	{path: "tests/polezero/filt_rc.cir", checked: "TestPZCorpusFiltRC"},
	{path: "tests/regression/misc/ac-zero.cir", add: ".ac lin 1 0 0\n.print ac vm(3) vm(2)", kind: "ac", vectors: []string{"vm(3)", "vm(2)"}, tol: 1e-12},
	{path: "tests/regression/temper/temper-2.cir", add: ".temp 50\n.op", kind: "op", vectors: []string{"i(v_test)", "i(v_fix)"}, tol: 1e-12},
	// Its .control block's sweep. ngspice's sweep is off its own .op at 20-40 degrees by up
	// to 0.06% (at 20: i(v_test) 4.025073e-4 in the sweep, 4.027622e-4 from .temp 20 and
	// .op), gospice's within 3e-6 (4.027633e-4); against a converged sweep (reltol 1e-6),
	// ngspice's is 1.4e-4 of the swing off, gospice's 2.4e-6.
	{path: "tests/regression/temper/temper-2.cir", add: ".dc temp 10 100 10", kind: "dc", vectors: []string{"i(v_test)", "i(v_fix)"}, tol: 2e-3},

	{path: "examples/wave/rcsim.cir", add: ".print ac vm(3) vp(3)", kind: "ac", vectors: []string{"vm(3)", "vp(3)"}, tol: 1e-12},
	// A transistor switches within one 20.8 us step (tmax), twice per 2.3 ms period of the
	// input, for 5 s. Both simulators put the first edge within 6 us of a converged run's
	// (tstep 10 ns, reltol 1e-6, in which they agree), ngspice late, gospice early; so the
	// edges may shift by one step. What then remains (0.34% of the swing of v(9) and v(3))
	// is the sharp peak just before each edge, sampled at different points: at the peak
	// near 11.77 ms, the converged run gives 0.178725 V, gospice 0.178651 V (0.03% of the
	// swing) and ngspice 0.177855 V (0.35%).
	{path: "examples/wave/jimi_fuzz.cir", kind: "tran", vectors: []string{"v(10)", "v(9)", "v(3)"}, tol: 4e-2, shift: 20.8e-6},
	{path: "examples/xspice/various/xspice_c1.cir", kind: "tran", vectors: []string{"v(coll)", "v(base)", "v(emit)"}, tol: 8e-6},
	{path: "examples/p-to-n-examples/MOS1_out.cir", add: ".dc vd 0 5 0.1 vg 0 5 1", kind: "dc", vectors: []string{"i(vs1)", "i(vs2)", "i(vs3)"}, tol: 4e-10},
	{path: "examples/various/bjt_ac_par.sp", add: ".dc vb 0.4 1 0.01", kind: "dc", vectors: []string{"i(v1)", "i(vb)", "v(c)"}, tol: 4e-4},
	{path: "examples/various/diode_ac_par.sp", add: ".dc v1 -5 .1 0.01", kind: "dc", vectors: []string{"i(v1)"}, tol: 4e-7},
	{path: "examples/various/param_sweep.cir", kind: "dc", vectors: []string{"v(2)"}, tol: 1e-12},
	{path: "examples/Monte_Carlo/MonteCarlo.sp", add: ".ac oct 100 250K 10Meg\n.print ac vdb(out) vp(out)", kind: "ac", vectors: []string{"vdb(out)", "vp(out)"}, tol: 1e-12},
	{path: "examples/numparam/param-example.cir", kind: "none"},
	// Its TRRANDOM sources draw from gospice's own streams: a run (a 12 s transient) is
	// not compared with ngspice's; their statistics are tested.
	{path: "examples/Monte_Carlo/OpWien.sp", checked: "devices.TestTrrandomStatistics"},
	// Its .control block runs .tran 0.1n 10n uic (then twice more with other
	// frequencies). At that step i(v1) differs by 0.31% of its swing: against a
	// converged run (tmax 1 ps, reltol 1e-6, where the two agree within 4e-5%), ngspice
	// is off by 0.21% and gospice by 0.099%. The converged runs are compared here.
	{path: "examples/memristor/memristor.sp", add: ".options reltol=1e-6\n.tran 0.001n 10n 0 0.001n uic", kind: "tran",
		vectors: []string{"v(1)", "i(v1)", "v(xmem.x)"}, tol: 4e-6},
	{path: "examples/probe/cntrl-sources.cir", kind: "tran", vectors: []string{"v(g1)", "v(e1)", "v(f1)", "v(h1)", "i(vh)", "i(vf)", "i(e1)", "i(h1)"}, tol: 1e-12},
	// Its .control block alters the couplings to values that are not positive definite;
	// TestControlledCouplingNotPositiveDefinite checks gospice warns of those. Its k are 0,
	// so only the first loop carries a signal.
	{path: "examples/inductive-systems/positive-definite-4.cir", add: ".print ac vm(1) vp(1)", kind: "ac", vectors: []string{"vm(1)", "vp(1)"}, tol: 1e-12},
	// Written for the newer AM(VO VMO VMA FM FC TD ...) order: ngspice 39, whose order is
	// AM(VA VO MF FC TD), reads its td as 100 ks, so v(1) is 0 in both simulators.
	{path: "examples/various/v-i-sources-am-ffm.cir", kind: "tran", vectors: []string{"v(10)", "v(1)", "v(3)"}, tol: 3e-12},
	{path: "examples/measure/rc-meas-ac.sp", add: ".print ac vm(out) vp(out)", kind: "ac", vectors: []string{"vm(out)", "vp(out)"}, tol: 1e-12},
	{path: "examples/measure/simple-meas-tran.sp", kind: "tran", vectors: []string{"v(1)", "v(2)"}, tol: 1e-12},
	{path: "examples/memristor/memristor_x.sp", refuse: `unknown element "amen" (kind A is not supported)`},
	// The self-heating diode (docs/diode-thermal.md), both simulators converged tightly:
	// at the netlist's own tolerances ngspice's v(tj) is 0.21 K (1.05e-4 of the swing)
	// below its tight run's at 1.44 V, where gospice's default equals the tight runs.
	// Tight, the two are 5.6e-11 of the swing apart (ngspice prints seven digits).
	{path: "examples/soa/diode-soa-simple.cir", add: ".options reltol=1e-9 abstol=1e-16 vntol=1e-12\n.dc v1 0.02 2 0.02\n.print dc v(tj) i(v1)", kind: "dc", vectors: []string{"v(tj)", "i(v1)"}, tol: 6e-10},
	{path: "examples/various/RKM-R-1.cir", refuse: `values in RKM notation, like 4k7, are not supported`},
}

var endLine = regexp.MustCompile(`(?im)^[ \t]*\.end[ \t]*\r?$`)

// corpusText is the netlist with the case's lines added before its last .end.
func corpusText(t *testing.T, c corpusCase) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(corpusDir, c.path))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	add := c.add
	if c.kind == "tran" || c.kind == "dc" {
		// gospice writes what .print names, where a netlist has one; ask for the vectors
		// compared too (ngspice's runs leave .print lines out).
		add = strings.TrimSpace(add + "\n.print " + c.kind + " " + strings.Join(c.vectors, " "))
	}
	if add == "" {
		return text
	}
	ends := endLine.FindAllStringIndex(text, -1)
	if len(ends) == 0 {
		return text + "\n" + add + "\n.end\n"
	}
	at := ends[len(ends)-1][0]
	return text[:at] + add + "\n" + text[at:]
}

// TestCorpus runs every netlist of the ngspice corpus: each is refused with the message
// its case names, or runs and matches ngspice within its tolerance (where ngspice is
// installed), or is cross-checked by the test its case names.
func TestCorpus(t *testing.T) {
	skipWithoutShared(t, corpusDir)
	seen := map[string]bool{}
	for _, c := range corpusCases {
		seen[c.path] = true
		t.Run(c.path+"/"+c.kind, func(t *testing.T) {
			path := filepath.Join(corpusDir, c.path)
			text := corpusText(t, c)
			switch {
			case c.checked != "":
				t.Logf("cross-checked by %s", c.checked)
				return
			case c.refuse != "":
				_, err := gospice.Parse(path, text)
				if err == nil || !strings.Contains(err.Error(), c.refuse) {
					t.Fatalf("got %v, want a refusal saying %q", err, c.refuse)
				}
				t.Logf("refused: %v", firstLine(err.Error()))
				return
			}
			sim, err := gospice.Parse(path, text)
			if err != nil {
				t.Fatal(err)
			}
			if c.kind == "none" {
				if n := len(sim.Analyses()); n != 0 {
					t.Fatalf("%d analyses, want none", n)
				}
				return
			}
			got, err := crosscheck.RunSimulation(sim, c.kind)
			if err != nil {
				t.Fatal(err)
			}
			if !crosscheck.Available() {
				t.Skip("ngspice is not installed (apt-get install ngspice); ran without comparing")
			}
			want, err := crosscheck.NgspiceText(text, filepath.Dir(path), c.kind, c.vectors)
			if err != nil {
				t.Fatal(err)
			}
			if c.shift == 0 {
				checkClose(t, want, got, c.vectors, c.tol)
				return
			}
			plain, err := crosscheck.Compare(want, got, c.vectors, 1e-12)
			if err != nil {
				t.Fatal(err)
			}
			worst, worstName := 0.0, ""
			for i, name := range c.vectors {
				wt, wv, gt, gv := want.Cols[0], want.Col(name), got.Cols[0], got.Col(name)
				lo, hi := bjtRange(wv)
				tube := math.Max(tubeDistance(wt, wv, gt, gv, c.shift), tubeDistance(gt, gv, wt, wv, c.shift)) / (hi - lo)
				msg := fmt.Sprintf("%s: %.3g of the swing with edges free to shift by %g s (point by point %.3g at %g s)",
					name, tube, c.shift, plain[i].Relative(), plain[i].At)
				if tube > c.tol {
					t.Errorf("%s (tolerance %g)", msg, c.tol)
				} else {
					t.Log(msg)
				}
				if tube > worst {
					worst, worstName = tube, name
				}
			}
			logWorst(t, worst, worstName, c.tol)
		})
	}
	var missing []string
	filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".cir") || strings.HasSuffix(p, ".sp")) {
			if rel, _ := filepath.Rel(corpusDir, p); !seen[filepath.ToSlash(rel)] {
				missing = append(missing, rel)
			}
		}
		return nil
	})
	if len(missing) > 0 {
		t.Errorf("netlists of the corpus without a case: %v", missing)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
