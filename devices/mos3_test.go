package devices

import (
	"fmt"
	"testing"

	"github.com/gospice/gospice/parser"
)

// TestMOS3Jacobian compares level 3's G with finite differences of F in every region of
// its current: cut-off, weak inversion (nfs), linear and saturated, with and without
// velocity saturation and channel-length modulation, both modes, n and p, forward and
// reverse bulk bias. (Its charges are Meyer's, checked with level 1's.)
func TestMOS3Jacobian(t *testing.T) {
	models := ".model n1 nmos level=3 vto=0.7 kp=50u gamma=0.5 phi=0.7 tox=20n nsub=1e16 theta=0.1 eta=0.05\n" +
		"+ kappa=0.3 vmax=1e5 nfs=1e11 xj=0.2u delta=0.5 ld=0.1u rd=10 rs=5\n" +
		".model n2 nmos level=3 vto=0.6 kp=40u gamma=0.4 phi=0.65 tox=25n theta=0.05 eta=0.02 nsub=3e16\n" +
		"+ kappa=0.4 xj=0.3u rd=10 rs=5\n" +
		".model p1 pmos level=3 vto=-0.8 kp=20u gamma=0.45 phi=0.7 tox=20n nsub=2e16 theta=0.08 eta=0.04\n" +
		"+ kappa=0.5 vmax=8e4 ld=0.15u nfs=2e11 rd=10 rs=5\n"
	cases := []mosJacobianCase{
		{"cut off", "n2", 2, 0.2, 0, 0},
		{"weak inversion, saturated", "n1", 2, 0.75, 0, 0},
		{"weak inversion, linear", "n1", 0.03, 0.75, 0, -0.5},
		{"linear, vmax", "n1", 0.3, 2.5, 0, -1},
		{"saturated, vmax and emax", "n1", 4, 2, 0, -1},
		{"linear, fourth-power onset", "n2", 0.5, 2.5, 0, -1},
		{"saturated, drain field", "n2", 4, 2, 0.3, -0.5},
		{"forward bulk", "n2", 3, 2, 0, 0.3},
		{"reversed", "n1", -2, 1, 0, -2.5},
		{"p saturated", "p1", 0, 1, 4, 4.3},
		{"p linear reversed", "p1", 3, 0, 2.8, 3.5},
	}
	checkMOSJacobians(t, models, cases)
}

// mosJacobianCase is a MOSFET of model at terminal voltages vd, vg, vs, vb.
type mosJacobianCase struct {
	name, model    string
	vd, vg, vs, vb float64
}

// checkMOSJacobians holds G to finite differences of F for M1 d g s b of each case
// (W=100u L=2u m=10), models defining the cases' models.
func checkMOSJacobians(t *testing.T, models string, cases []mosJacobianCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, devs, sys := mosCircuit(t, "t\nM1 d g s b "+c.model+" W=100u L=2u m=10\n"+models+".end\n", DefaultEnv())
			x := nodeX(t, sys, map[string]float64{"d": c.vd, "g": c.vg, "s": c.vs, "b": c.vb})
			x[m.t[mosD]], x[m.t[mosS]] = c.vd, c.vs
			mosLoad(devs, sys, x, ModeOP, 0)
			checkJacobian(t, devs, sys, x, ModeOP)
		})
	}
}

func TestMOS3UnusedLambda(t *testing.T) {
	pc, err := parser.Parse("t.cir", []byte("t\n.model a nmos level=3 lambda=0.1\n.model b nmos level=3\n.model c nmos lambda=0.1\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "[lambda]", "b": "[]", "c": "[]"} {
		if got := fmt.Sprint(UnusedModelParams(pc.Models[name])); got != want {
			t.Errorf("model %s: unused %s, want %s", name, got, want)
		}
	}
}
