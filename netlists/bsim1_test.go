package netlists_test

import "testing"

// bsim1Cases are the BSIM1 (level 4) netlists cross-checked against ngspice 39.
var bsim1Cases = []crossCase{
	// Every term in both modes, n and p, past vdd: 5.3e-10 measured, at vds = 0 where
	// BSIM1's subthreshold current jumps (in i(v2); the other vectors within 3.3e-14).
	{"bsim1_output.cir", "dc", 5e-9, []string{"i(v1)", "i(v2)", "i(vp)", "i(vb)"}},
	// Both partitions, series resistances, junctions, gate-bulk overlap: 1.2e-8 measured.
	{"bsim1_ac.cir", "ac", 1.5e-7, []string{"vm(d)", "vp(d)", "vm(d2)", "vp(d2)"}},
	// 9.2e-4 of the swing apart on the edges (tight tolerances in the netlist), as the
	// other levels' inverters.
	{"bsim1_inverter.cir", "tran", 9e-3, []string{"v(o1)", "v(o2)", "v(o3)", "v(o4)"}},
	// ngspice's own test: transfer curves at vds = 50 mV, bulk at 0 to -4 V: 9.5e-9.
	{sharedDir + "/corpus/ngspice-full/tests/bsim1/test.cir", "dc", 1e-7, []string{"i(v1)", "i(v2)", "i(v3)", "i(v4)", "i(v5)"}},
}

func TestBSIM1AgainstNgspice(t *testing.T) { checkAgainstNgspice(t, bsim1Cases) }
