package devices

import (
	"fmt"
	"os"
	"testing"

	"github.com/gospice/gospice/parser"
)

// TestBSIM2Jacobian holds BSIM2's G and C to finite differences of its F and Q (in an
// AC load, without limiting) in every region of its current and charges: accumulation,
// depletion, subthreshold, the cubic between vglow and vghigh, triode, saturation with
// the hot-electron term, both modes, n and p, forward bulk, vds and vgs clipped at 2 vdd
// and 2 vgg, vbs at 2 vbb.
func TestBSIM2Jacobian(t *testing.T) {
	models, err := os.ReadFile("../netlists/bsim2_models.inc")
	if err != nil {
		t.Fatal(err)
	}
	checkBSIMJacobians(t, string(models), []mosJacobianCase{
		{"accumulation", "n1", 1, -2, 0, 0},
		{"depletion, subthreshold", "n1", 1, 0.3, 0, -1},
		{"cubic", "n1", 2, 0.95, 0, -1},
		{"triode", "n1", 0.2, 3, 0, -1},
		{"saturated, hot electrons", "n1", 4, 2, 0, -2},
		{"vds clipped at 2 vdd", "n1", 11, 3, 0, -1},
		{"vgs clipped at 2 vgg", "n1", 3, 10.5, 0, 0},
		{"vbs clipped at 2 vbb", "n1", 3, 2, 0, -6.5},
		{"forward bulk", "n2", 2, 1.5, 0, 0.3},
		{"reversed triode", "n2", -0.3, 3, 0, -1},
		{"reversed saturated", "n2", -4, 1, 0, -4.5},
		{"p saturated", "p1", 0, 1, 4, 4.5},
		{"p triode reversed", "p1", 3.9, 0, 3.6, 4.5},
	})
}

// TestBSIM2Params: BSIM2's own table and defaults, and what gospice check lists as
// accepted and unused (xpart, which ngspice 39's BSIM2 ignores).
func TestBSIM2Params(t *testing.T) {
	for _, c := range []struct{ netlist, err string }{
		{"t\nM1 d g 0 0 a\n.model a nmos level=5 muz=400\n.end\n", `unknown BSIM2 model parameter "muz"`},
		{"t\nM1 d g 0 0 a\n.model a nmos level=5 lmu0=1\n.end\n", `did you mean "lmu0b"?`},
		{"t\nM1 d g 0 0 a L=1u\n.model a nmos level=5 dl=1\n.end\n", "effective channel length l - dl"},
		{"t\nM1 d g 0 0 a\n.model a nmos level=5 tox=0\n.end\n", "tox (in micron) must be positive"},
	} {
		wantBuildError(t, c.netlist, DefaultEnv(), c.err)
	}
	// The defaults alone make a device (ngspice's: vfb -1, phi 0.75, k1 0.8, mu0 400...).
	devs := parseAndBuild(t, "t\nM1 d g 0 0 a\n.model a nmos level=5\n.end\n", DefaultEnv())
	if ch := devs[0].(*EarlyBSIM).ch.(*bsim2Channel); ch.vfb != -1 || ch.phi != 0.75 || ch.n0 != 1.4 || ch.vbb2 != 10 {
		t.Errorf("defaults: vfb %g phi %g n0 %g vbb2 %g, want -1, 0.75, 1.4, 10", ch.vfb, ch.phi, ch.n0, ch.vbb2)
	}
	pc, err := parser.Parse("t.cir", []byte("t\n.model a nmos level=5 xpart=0 wdf=0\n.model b nmos level=5\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "[xpart wdf]", "b": "[]"} {
		if got := fmt.Sprint(UnusedModelParams(pc.Models[name])); got != want {
			t.Errorf("model %s: unused %s, want %s", name, got, want)
		}
	}
}
