package devices

import (
	"fmt"
	"testing"

	"github.com/gospice/gospice/parser"
)

// TestMOS6Jacobian compares level 6's G with finite differences of F in every region of
// its current: cut-off, linear and saturated, with the threshold's gamma1 and sigma and
// the channel-length modulation's lambda1, both modes, n and p, forward and reverse bulk
// bias (above zero the root's tangent, and past 2 phi its clamp at zero).
func TestMOS6Jacobian(t *testing.T) {
	models := ".model n1 nmos level=6 vto=0.7 kc=4e-5 nc=1.2 kv=0.9 nv=0.85 gamma=0.5 gamma1=0.03 sigma=0.02\n" +
		"+ phi=0.7 lambda0=0.02 lambda1=0.005 tox=20n ld=0.1u rd=10 rs=5\n" +
		".model n2 nmos level=6 vto=0.6 tox=25n u0=500 lambda=0.03 gamma=0.4 phi=0.3\n" +
		".model p1 pmos level=6 vto=-0.8 kc=1e-5 nc=1.6 kv=0.92 nv=0.88 gamma=0.45 gamma1=0.02 sigma=0.01\n" +
		"+ phi=0.8 lambda0=0.02 lambda1=0.008 rd=10 rs=5\n"
	checkMOSJacobians(t, models, []mosJacobianCase{
		{"cut off", "n1", 2, 0.2, 0, 0},
		{"saturated", "n1", 4, 2, 0, -1},
		{"linear", "n1", 0.3, 2.5, 0, -1},
		{"forward bulk", "n2", 3, 2, 0, 0.3},
		{"bulk past 2 phi", "n2", 0.2, 2, 0, 0.7},
		{"reversed", "n1", -2, 1, 0, -2.5},
		{"reversed linear", "n1", -0.2, 2, 0, -0.5},
		{"p saturated", "p1", 0, 1, 4, 4.3},
		{"p linear reversed", "p1", 3, 0, 2.8, 3.5},
	})
}

// TestMOS6Params: level 6 takes kc for kp and has no flicker noise, as ngspice's table;
// gospice check lists nvth, ps and xj, which it accepts without using.
func TestMOS6Params(t *testing.T) {
	for _, c := range []struct{ card, err string }{
		{".model a nmos level=6 kp=1e-5", `unknown MOSFET model parameter "kp"`},
		{".model a nmos level=6 kf=1e-25", `unknown MOSFET model parameter "kf"`},
		{".model a nmos level=6 lamda0=0.1", `did you mean "lambda0"?`},
		{".model a nmos level=6 kc=1e-5 lambda1=0.01", ""},
	} {
		netlist := "t\nM1 d g 0 0 a\n" + c.card + "\n.end\n"
		if c.err == "" {
			parseAndBuild(t, netlist, DefaultEnv())
		} else {
			wantBuildError(t, netlist, DefaultEnv(), c.err)
		}
	}
	pc, err := parser.Parse("t.cir", []byte("t\n.model a nmos level=6 nvth=0.4 xj=0.2u kc=1e-5\n.model b nmos level=6\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "[nvth xj]", "b": "[]"} {
		if got := fmt.Sprint(UnusedModelParams(pc.Models[name])); got != want {
			t.Errorf("model %s: unused %s, want %s", name, got, want)
		}
	}
}
