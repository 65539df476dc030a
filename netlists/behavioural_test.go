package netlists_test

import (
	"os"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// behaviouralCases are the netlists of behavioural elements (B sources, E and G with
// value=, R and C with expressions) cross-checked against ngspice.
var behaviouralCases = []crossCase{
	{"bsource_squarer.cir", "tran", []string{"v(sq)", "v(isq)", "i(b1)"}},
	{"bsource_limiter.cir", "tran", []string{"v(lim)", "v(out)", "v(fb)"}},
	{"bsource_functions.cir", "tran", []string{"v(e1)", "v(e2)", "v(e3)", "v(e4)", "v(e5)"}},
	{"bsource_dc.cir", "dc", []string{"v(out)", "v(d)", "v(m)", "i(v1)"}},
	{"bsource_eg.cir", "tran", []string{"v(ev)", "v(gv)", "v(osc)", "i(e1)"}},
	{"bsource_rlc.cir", "tran", []string{"v(r)", "v(c)", "v(l)", "i(vr)", "i(vc)"}},
	{"bsource_tc.cir", "tran", []string{"v(c)", "v(l)", "i(vr)", "i(vc)"}},
	{"bsource_ac.cir", "ac", []string{"vm(amp)", "vp(amp)", "vm(c)", "vp(c)", "vm(g)", "vp(g)", "vm(e)", "vp(e)"}},
	{"bsource_hertz.cir", "ac", []string{"vm(3)", "vm(4)", "vm(7)", "vp(7)", "vm(6)"}},
	{"neuron/bsource-150ms.cir", "tran", []string{"v(g)", "v(x1)", "v(x2)"}},
}

// TestBehaviouralAgainstNgspice holds each behavioural netlist to ngspice within 0.3% of
// each vector's swing.
func TestBehaviouralAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, behaviouralCases, 3e-3) }

// TestBehaviouralNeuronSpikes runs the behavioural neuron for 300 ms, through its first
// spikes: the first spike (v(g) rising through 0.3 V) comes at the same time as in
// ngspice, within 0.01% of the run. (Later spikes drift apart: each one is decided near a
// threshold, where the two simulators' different time steps add up.)
func TestBehaviouralNeuronSpikes(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-check")
	}
	src, err := os.ReadFile("neuron/bsource-150ms.cir")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), ".tran 10u 150m uic", ".tran 10u 300m uic", 1)
	want, err := crosscheck.NgspiceText(text, "neuron", "tran", []string{"v(g)"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.RunText(text, "tran")
	if err != nil {
		t.Fatal(err)
	}
	ws, gs := crosscheck.Crossings(want, "v(g)", 0.3), crosscheck.Crossings(got, "v(g)", 0.3)
	if len(ws) == 0 || len(gs) == 0 {
		t.Fatalf("spikes: ngspice %v, gospice %v", ws, gs)
	}
	d := gs[0] - ws[0]
	t.Logf("first spike: gospice %.7f s, ngspice %.7f s (%.2g%% of the run)", gs[0], ws[0], 100*d/0.3)
	if d > 1e-4*0.3 || d < -1e-4*0.3 {
		t.Errorf("first spike off by %.3g s", d)
	}
}
