package devices

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/mna"
)

const jfetNetlist = "t\nJ1 d g s jn 1.5 m=2\nJ2 d g s2 jp\n" +
	".model jn njf vto=-2 beta=1m lambda=0.02 b=0.8 rd=5 rs=7 cgs=2p cgd=1p is=1e-14\n" +
	".model jp pjf vto=-1.5 beta=0.5m lambda=0.03 cgs=1p cgd=0.5p fc=0.3 rd=5 rs=7\n.end\n"

// jfetModels are an n-channel device (with the doping tail, area and m) and a p-channel
// one, each as J1 with rd and rs.
var jfetModels = []string{
	".model jm njf vto=-2 beta=1m lambda=0.02 b=0.8 rd=5 rs=7 cgs=2p cgd=1p is=1e-14\n",
	".model jm pjf vto=-1.5 beta=0.5m lambda=0.03 cgs=1p cgd=0.5p fc=0.3 rd=5 rs=7\n",
}

// TestJFETStampsAreDerivatives holds G and C to finite differences of F and Q at points
// in every region of both modes (cut-off, linear, saturation; gate junctions forward and
// reversed, the charge past fc*pb), for an n- and a p-channel device.
func TestJFETStampsAreDerivatives(t *testing.T) {
	for k, model := range jfetModels {
		jfetCheckStamps(t, "t\nJ1 d g s jm 1.5 m=2\n"+model+".end\n", []float64{1, -1}[k])
	}
}

// jfetCheckStamps checks the derivatives of J1 in netlist, whose n-channel-frame
// voltages are typ times the node voltages.
func jfetCheckStamps(t *testing.T, netlist string, typ float64) {
	built := parseAndBuild(t, netlist, DefaultEnv())
	b := setUp(built)
	nodes := []string{"v(d)", "v(g)", "v(s)", "v(j1#drain)", "v(j1#source)"}
	idx := make([]int, len(nodes))
	for k, n := range nodes {
		idx[k] = b.Node(strings.TrimSuffix(strings.TrimPrefix(n, "v("), ")"))
	}
	points := [][]float64{
		{5, -0.5, 0, 4.99, 0.01},  // saturation
		{0.5, 0.2, 0, 0.49, 0.01}, // linear, gate forward
		{5, -3, 0, 5, 0},          // cut off
		{-1, -0.3, 0, -1, 0},      // inverse mode, linear
		{-4, -3.2, 0, -4, 0},      // inverse mode, saturation
		{1, 0.65, 0.2, 1, 0.2},    // gate charge past fc*pb
	}
	handle := map[[2]int]mna.Handle{}
	for _, r := range idx {
		for _, c := range idx {
			handle[[2]int{r, c}] = b.Entry(r, c)
		}
	}
	sys := b.Build()
	check := fdCheck{built: built, sys: sys, handle: handle, idx: idx, h: 1e-7, absFloor: 1e-6, tol: 2e-5}
	worst := 0.0
	for _, pt := range points {
		x := make([]float64, sys.N+1)
		for k, i := range idx {
			x[i] = typ * pt[k]
		}
		worst = math.Max(worst, check.at(t, x, fmt.Sprintf("typ %g at %v", typ, pt)))
	}
	t.Logf("typ %g: stamps against finite differences: measured %.3g relative at worst, tolerance 2e-5", typ, worst)
}

func TestJFETLoadAllocatesNothing(t *testing.T) {
	wantLoadAllocatesNothing(t, jfetNetlist, []string{"v(d)", "v(g)", "v(j1#drain)"}, []float64{5, -0.5, 4.9})
}

func TestJFETErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nJ1 d g s jm\n.model jm njf level=3\n.end\n", "JFET level 3"},
		{"t\nJ1 d g s jm\n.model jm nmos\n.end\n", "not a JFET model"},
		{"t\nJ1 d g s jm 0\n.model jm njf\n.end\n", "j1: area must be positive"},
		{"t\nJ1 d g s jm m=0\n.model jm njf\n.end\n", "j1: m must be positive"},
		{"t\nJ1 d g s jm on\n.model jm njf\n.end\n", `t.cir:2:13: unexpected "on" in "j1"`},
		{"t\nJ1 d g s jm\n.model jm njf pb=0\n.end\n", "pb must be positive"},
		{"t\nJ1 d g s jm\n.model jm njf vtx=1\n.end\n", `t.cir:3:15: unknown JFET model parameter "vtx"`},
		{"t\nJ1 d g s jm\n.model jm njf rd=-1\n.end\n", "must not be negative"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's JFET model and instance tables is accepted.
	all := "t\nJ1 d g s jm area=1 m=1 temp=27 dtemp=0 ic=1,0 off\n.model jm njf level=1 vto=-2 vt0=-2 beta=1e-4 " +
		"lambda=0 rd=0 rs=0 cgs=0 cgd=0 pb=1 is=1e-14 fc=0.5 b=1 tnom=27 kf=0 af=1 tcv=0 vtotc=0 bex=0 " +
		"betatce=0 xti=3 eg=1.11 nlev=2 gdsnoi=1\n.end\n"
	wantBuilds(t, all)
}
