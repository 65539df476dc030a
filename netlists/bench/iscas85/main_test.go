package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
