package netlists_test

import "testing"

// jfet2Cases are the JFET level-2 (Parker-Skellern) netlists cross-checked against
// ngspice 39.
var jfet2Cases = []crossCase{
	{"jfet2_output.cir", "dc", 1, []string{"i(v1)", "i(v2)", "i(vp)", "i(vgs)"}},
	{"jfet2_transfer.cir", "dc", 1, []string{"i(v1)", "i(v2)", "i(vgs)"}},
	{"jfet2_amp.cir", "ac", 1, []string{"vm(d)", "vp(d)", "vm(s)", "vm(d2)", "vp(d2)", "vm(s2)"}},
	{"jfet2_tran.cir", "tran", 1, []string{"v(d)", "v(o)", "v(g)", "i(vdd)"}},
	{"jfet2_disp.cir", "tran", 1, []string{"i(v1)"}},
}

func TestJFET2AgainstNgspice(t *testing.T) { checkAgainstNgspice(t, jfet2Cases) }
