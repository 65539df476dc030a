package devices

import "testing"

// TestTLineErrors: a T line without its impedance or delay, or with values it cannot
// take, is refused at its line, naming it.
func TestTLineErrors(t *testing.T) {
	const head = "t\nv1 a 0 1\nr1 b 0 50\n"
	for _, c := range []struct{ line, want string }{
		{"t1 a 0 b 0 td=1n", "t.cir:4:1: t1: a transmission line needs a positive characteristic impedance z0="},
		{"t1 a 0 b 0 z0=-50 td=1n", "t1: a transmission line needs a positive characteristic impedance z0="},
		{"t1 a 0 b 0 z0=50", "t1: a transmission line needs its delay: td=, or f= (and nl=, 0.25 by default)"},
		{"t1 a 0 b 0 z0=50 td=0", "t1: the delay td= of a transmission line must be positive"},
		{"t1 a 0 b 0 z0=50 f=1g nl=-1", "t1: f= and nl= of a transmission line must be positive"},
		{"t1 a 0 b 0 z0=50 td=1n len=3", `t.cir:4:24: unknown transmission line parameter "len" (t1)`},
		{"t1 a 0 b 0 z0=50 td=1n ic=1,2,3,4,5", "ic of \"t1\" takes at most 4 values (ic=v1,i1,v2,i2), found 5"},
		{"t1 a 0 b z0=50 td=1n", `t.cir:4:10: expected a node name, found "z0=50"`},
	} {
		wantBuildError(t, head+c.line+"\n.end\n", DefaultEnv(), c.want)
	}
}
