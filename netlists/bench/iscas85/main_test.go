package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestChain runs the harness on testdata/chain.net, three level-1 CMOS inverters written
// as the ISCAS85 netlists are (an .include beside the netlist, gnd, subcircuits, .print
// tran), which gospice runs today: both simulators, the tight run, the comparison.
func TestChain(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	r, err := run(context.Background(), Config{Netlist: "testdata/chain.net", Work: t.TempDir(), Tight: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Print(&b, "chain")
	t.Log("\n" + b.String())
	if r.Ng.Err != nil || r.Tight.Err != nil || r.GsErr != nil {
		t.Fatalf("ngspice: %v; tight: %v; gospice: %v", r.Ng.Err, r.Tight.Err, r.GsErr)
	}
	if strings.Join(r.Vectors, " ") != "v(b) v(d)" || len(r.Compared) != 2 {
		t.Fatalf("vectors %v, compared %d", r.Vectors, len(r.Compared))
	}
	for _, v := range r.Compared {
		if !v.Agrees() {
			t.Errorf("%s: |gospice-ngspice| %.3g V at %.4g s, over the tolerance %.3g V", v.Name, v.Diff, v.At, v.Tol)
		}
		if !(v.Accuracy > 0) {
			t.Errorf("%s: ngspice's accuracy %v: the tight run was not compared", v.Name, v.Accuracy)
		}
	}
	if r.Ng.Stats["Transient timepoints"] == "" {
		t.Errorf("no ACCT statistics from ngspice: %v", r.Ng.Stats)
	}
	if !r.OK() {
		t.Error("OK() is false")
	}
}

// TestPrepare checks the .include path is made absolute and the .print vectors read.
func TestPrepare(t *testing.T) {
	text, vectors, reltol, err := prepare("testdata/chain.net")
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("testdata/models.inc")
	if !strings.Contains(text, ".INCLUDE "+abs+"\n") {
		t.Errorf("the include is not absolute:\n%s", text)
	}
	if strings.Join(vectors, " ") != "v(b) v(d)" || reltol != 1e-3 {
		t.Errorf("vectors %v, reltol %g", vectors, reltol)
	}
}

// TestNotSupported runs the harness on the chain with BSIM4 transistors: ngspice runs
// it, gospice (until BSIM4 is merged) refuses the level, which the harness reports and
// accepts, with ngspice's own accuracy in its place.
func TestNotSupported(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	r, err := run(context.Background(), Config{Netlist: "testdata/chain_bsim4.net", Work: t.TempDir(), Tight: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Print(&b, "chain_bsim4")
	t.Log("\n" + b.String())
	if r.Ng.Err != nil || r.Tight.Err != nil {
		t.Fatalf("ngspice: %v; tight: %v", r.Ng.Err, r.Tight.Err)
	}
	if r.GsErr == nil {
		t.Skip("gospice runs BSIM4 now: TestChain's checks apply; this test can go")
	}
	if !r.GsNotSupport || !r.OK() || !strings.Contains(b.String(), "not supported yet") {
		t.Errorf("gospice's refusal is not reported as such: %v", r.GsErr)
	}
	if len(r.Accuracy) != 2 || !(r.Accuracy[0].Diff > 0) {
		t.Errorf("ngspice's own accuracy: %+v", r.Accuracy)
	}
}

// TestReuse runs the chain, then again from the ngspice runs it kept (-reuse): the same
// statistics and the same comparison, with ngspice's CPU time read from a .time file.
func TestReuse(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	work := t.TempDir()
	cfg := Config{Netlist: "testdata/chain.net", Work: work, Tight: true}
	first, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	report := "\tUser time (seconds): 12.50\n\tSystem time (seconds): 0.25\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:30.00\n"
	if err := os.WriteFile(filepath.Join(work, "ng.time"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Reuse = true
	again, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	again.Print(&b, "chain")
	t.Log("\n" + b.String())
	if !again.Ng.Reused || !again.Tight.Reused || first.Ng.Reused {
		t.Fatalf("reused: first %v, again %v and %v", first.Ng.Reused, again.Ng.Reused, again.Tight.Reused)
	}
	if again.Ng.CPU != 12750*time.Millisecond {
		t.Errorf("ngspice's CPU time from ng.time: %v, want 12.75s", again.Ng.CPU)
	}
	if again.Ng.Stats["Transient iterations"] != first.Ng.Stats["Transient iterations"] || again.Ng.Stats["Transient iterations"] == "" {
		t.Errorf("statistics: %v, first %v", again.Ng.Stats["Transient iterations"], first.Ng.Stats["Transient iterations"])
	}
	if len(again.Compared) != len(first.Compared) || len(first.Compared) == 0 {
		t.Fatalf("compared %d vectors, first %d", len(again.Compared), len(first.Compared))
	}
	for i, v := range again.Compared {
		if w := first.Compared[i]; v.Diff != w.Diff || v.Tol != w.Tol {
			t.Errorf("%s: %g against %g (first run %g against %g)", v.Name, v.Diff, v.Tol, w.Diff, w.Tol)
		}
	}
}

// TestStackLoads runs NAND and NOR gates with the BSIM4 switches and options of the
// ISCAS85 circuits (testdata/stack_bsim4.net): the internal nodes of their series stacks
// carry little current, and there the charges' linearization remainder alone (alpha
// times a charge error second order in the prediction's) outweighs abstol, which kept
// most time points of c880 for a third load until Newton's acceptance left the charges
// out, as ngspice's convergence test does. The loads per point are ngspice's
// iterations per point or fewer, and the waveforms agree within ngspice's accuracy.
func TestStackLoads(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	r, err := run(context.Background(), Config{Netlist: "testdata/stack_bsim4.net", Work: t.TempDir(), Tight: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Print(&b, "stack_bsim4")
	t.Log("\n" + b.String())
	if r.Ng.Err != nil || r.Tight.Err != nil || r.GsErr != nil {
		t.Fatalf("ngspice: %v; tight: %v; gospice: %v", r.Ng.Err, r.Tight.Err, r.GsErr)
	}
	if !r.OK() {
		t.Error("the waveforms disagree")
	}
	st := r.GsStats
	loads := float64(st.Iterations-st.OPIterations) / float64(st.Points+st.Rejected)
	ngIters, _ := strconv.ParseFloat(r.Ng.Stats["Transient iterations"], 64)
	ngPoints, _ := strconv.ParseFloat(r.Ng.Stats["Transient timepoints"], 64)
	t.Logf("gospice %.3f loads per point, ngspice %.3f iterations per point", loads, ngIters/ngPoints)
	if !(loads <= ngIters/ngPoints+0.05) {
		t.Errorf("%.3f loads per point, ngspice %.3f iterations", loads, ngIters/ngPoints)
	}
}

// TestNgspiceThreads: -ngspice-threads reaches ngspice through a .spiceinit in the work
// folder, and ngspice still runs the deck.
func TestNgspiceThreads(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	work := t.TempDir()
	r, err := run(context.Background(), Config{Netlist: "testdata/chain.net", Work: work, NgspiceThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Ng.Err != nil || r.GsErr != nil {
		t.Fatalf("ngspice: %v; gospice: %v", r.Ng.Err, r.GsErr)
	}
	init, err := os.ReadFile(filepath.Join(work, ".spiceinit"))
	if err != nil || string(init) != "set num_threads=1\n" {
		t.Errorf(".spiceinit %q, %v", init, err)
	}
}
