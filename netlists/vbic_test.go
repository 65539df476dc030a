package netlists_test

import "testing"

// vbicCases are the VBIC netlists cross-checked against ngspice 39.
var vbicCases = []crossCase{
	{"vbic_gummel.cir", "dc", 1, []string{"i(vc)", "i(vb)", "i(vs)", "i(vcp)", "i(ebp)"}},
	{"vbic_output.cir", "dc", 1, []string{"i(vce)", "i(vm)", "v(b)", "v(bp2)"}},
	{"vbic_ac.cir", "ac", 1, []string{"vm(f)", "vp(f)", "vm(c1)", "vp(c1)", "vm(e1)"}},
	{"vbic_tran.cir", "tran", 1, []string{"v(c)", "v(o)", "v(b)", "i(vcc)"}},
	{"vbic_temp.cir", "dc", 1, []string{"i(vc)", "i(vb)", "i(vc2)", "i(vc3)"}},
	{"vbic_selfheat.cir", "op", 1, []string{"i(vc1)", "i(vc2)", "i(vc3)", "i(vc4)", "v(dt1)", "v(dt2)", "v(dt3)", "v(b1)", "v(b3)"}},
	{"vbic_heatstep.cir", "tran", 1, []string{"v(dt)", "v(c)", "i(vcc)"}},
}

func TestVBICAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, vbicCases) }
