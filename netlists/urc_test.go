package netlists_test

import "testing"

// urcCases are the uniform RC lines cross-checked against ngspice: gospice expands them
// into the same lumps (ExpandURC), so the differences are the two's time steps. Measured
// 2.0e-3 of the swing (v(3)) at the defaults; with reltol=1e-6 and a 10 ps largest step
// in both the two agree within 7.5e-6, and either's default run is as far from that
// converged one as the other's (i(vs): gospice 1.39e-2, ngspice 1.44e-2 of the swing).
var urcCases = []crossCase{
	{"urc_step.cir", "tran", 2e-2, []string{"v(2)", "v(3)", "v(4)", "v(u2#lo2)", "v(u3#hi3)", "i(vs)", "i(vw)"}},
}

func TestURCAgainstNgspice(t *testing.T) { checkAgainstNgspice(t, urcCases) }
