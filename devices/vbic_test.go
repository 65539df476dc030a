package devices

import (
	"fmt"
	"math"
	"testing"

	"github.com/gospice/gospice/mna"
)

// vbicFull is a model with every term: resistances on every node, quasi-saturation,
// avalanche, the parasitic transistor, breakdown, wbe < 1, reach-through and smoothed
// charges, overlap capacitances and self-heating.
const vbicFull = " level=4 is=2e-17 nf=1.01 nr=1.02 ibei=2e-19 iben=5e-15 ibci=3e-18 ibcn=4e-15" +
	" isrr=1.3 vef=25 ver=4 ikf=4e-3 ikr=3e-4 avc1=2 avc2=15 rcx=8 rci=60 vo=2 gamm=2e-11" +
	" hrcf=2 rbx=12 rbi=45 re=2.5 rs=30 rbp=40 isp=1e-16 wsp=0.8 ikp=2e-4 ibeip=1e-19" +
	" ibenp=1e-16 ibcip=2e-18 ibcnp=3e-16 cje=1e-13 cjc=2e-14 cjep=5e-14 cjcp=3e-14 ajc=0.05" +
	" vrt=3 art=0.2 wbe=0.8 vbbe=2.5 ibbe=1e-9 tf=10p qtf=0.2 xtf=5 vtf=2 itf=10m tr=1n" +
	" qco=1e-13 cbeo=2e-15 cbco=3e-15 ccso=1e-15 rth=300 cth=1n xrci=1.5 xikf=-0.5 xre=1"

// TestVBICStampsAreDerivatives holds G and C to finite differences of F and Q, every
// node against every node (the thermal one too), for an npn and a pnp at points in
// forward, saturated, reverse and broken-down operation.
func TestVBICStampsAreDerivatives(t *testing.T) {
	for _, typ := range []string{"npn", "pnp"} {
		sign := 1.0
		if typ == "pnp" {
			sign = -1
		}
		netlist := "t\nQ1 c b e s dt qm 1.5 m=2\n.model qm " + typ + vbicFull + "\n.end\n"
		built := parseAndBuild(t, netlist, DefaultEnv())
		n := setUp(built).Build().N // every node's unknown, for the dense entries below
		b := setUp(built)
		handle := map[[2]int]mna.Handle{}
		for r := 1; r <= n; r++ {
			for col := 1; col <= n; col++ {
				handle[[2]int{r, col}] = b.Entry(r, col)
			}
		}
		sys := b.Build()
		names := []string{"c", "b", "e", "s", "dt", "q1#collector", "q1#collci", "q1#base", "q1#basebi",
			"q1#emitter", "q1#basebp", "q1#substrate"}
		idx := map[string]int{}
		for _, nm := range names {
			i, ok := sys.Lookup("v(" + nm + ")")
			if !ok {
				t.Fatalf("no node %s", nm)
			}
			idx[nm] = i
		}
		// Node voltages (npn frame): c b e s dt cx ci bx bi ei bp si.
		points := [][]float64{
			{3, 0.8, 0, -1, 2, 2.98, 2.9, 0.79, 0.78, 0.01, 0.5, -0.99},    // forward active
			{0.2, 0.85, 0, 0, 5, 0.19, 0.3, 0.84, 0.83, 0.02, 0.7, 0.01},   // saturated
			{0, 0.6, 2, 0.3, 0.5, 0.01, 0.02, 0.59, 0.58, 1.99, 0.4, 0.29}, // reverse
			{4, -2.7, 0, -1, 0, 4, 4, -2.7, -2.75, -0.02, -2, -1},          // B-E breakdown
		}
		all := make([]int, n)
		for i := range all {
			all[i] = i + 1
		}
		// Below a millionth of a row's largest entry, finite differences are rounding;
		// 1.4e-4 measured above it: the rounding of currents of tens of mA.
		check := fdCheck{built: built, sys: sys, handle: handle, idx: all, h: 1e-6, relFl: 1e-6, tol: 1.5e-3}
		worst := 0.0
		for _, pt := range points {
			x := make([]float64, sys.N+1)
			for k, nm := range names {
				v := pt[k]
				if nm != "dt" {
					v *= sign
				}
				x[idx[nm]] = v
			}
			worst = math.Max(worst, check.at(t, x, fmt.Sprintf("%s at %v", typ, pt)))
		}
		t.Logf("%s: stamps against finite differences: measured %.3g relative at worst, tolerance 1.5e-3", typ, worst)
	}
}

func TestVBICLoadAllocatesNothing(t *testing.T) {
	wantLoadAllocatesNothing(t, "t\nQ1 c b e s dt qm\n.model qm npn"+vbicFull+"\n.end\n",
		[]string{"v(c)", "v(b)", "v(dt)", "v(q1#basebi)"}, []float64{3, 0.8, 2, 0.78})
}

func TestVBICErrors(t *testing.T) {
	cases := []struct{ netlist, want string }{
		{"t\nQ1 c b e qm\n.model qm npn level=5\n.end\n", "BJT level 5 is not supported (level 1 is Gummel-Poon, 4 and 9 VBIC)"},
		{"t\nQ1 c b e s t qm\n.model qm npn level=1\n.end\n", "3 or 4 nodes"},
		{"t\nQ1 c b e qm 0\n.model qm npn level=4\n.end\n", "q1: area and m must be positive"},
		{"t\nQ1 c b e qm m=-1\n.model qm npn level=9\n.end\n", "q1: area and m must be positive"},
		{"t\nQ1 c b e qm on\n.model qm npn level=4\n.end\n", `t.cir:2:13: unexpected "on" in "q1"`},
		{"t\nQ1 c b e qm\n.model qm npn level=4 pe=0\n.end\n", "pe must be positive"},
		{"t\nQ1 c b e qm\n.model qm npn level=4 mc=1\n.end\n", "mc must be in [0, 1)"},
		{"t\nQ1 c b e qm\n.model qm npn level=4 wbe=1.5\n.end\n", "wbe must be in [0, 1]"},
		{"t\nQ1 c b e qm\n.model qm npn level=4 bf=100\n.end\n", `t.cir:3:23: unknown VBIC model parameter "bf" (model qm, used by q1 at line 2); did you mean "nf"?`},
		{"t\nQ1 c b e qm ic=1,2,3\n.model qm npn level=4\n.end\n", `t.cir:2:20: ic of "q1" takes at most 2 values`},
		{"t\nQ1 c b e qm temp=-300\n.model qm npn level=4\n.end\n", "not above absolute zero"},
	}
	for _, c := range cases {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
	// Every name of ngspice 39's VBIC model and instance tables is accepted.
	all := "t\nQ1 c b e s t qm area=1 m=1 temp=27 dtemp=0 ic=0.7,1 icvbe=0.7 icvce=1 off\n" +
		".model qm npn level=4 selft=1 tnom=27 tref=27 rcx=0 rci=0.1 vo=0 v0=0 gamm=0 hrcf=1 rbx=0" +
		" rbi=0.1 re=0 rs=0 rbp=0.1 is=1e-16 nf=1 nr=1 fc=0.9 cbeo=0 cbe0=0 cje=0 pe=0.75 me=0.33" +
		" aje=-0.5 cbco=0 cbc0=0 cjc=0 qco=0 qc0=0 cjep=0 pc=0.75 mc=0.33 ajc=-0.5 cjcp=0 ps=0.75" +
		" ms=0.33 ajs=-0.5 ibei=1e-18 wbe=1 nei=1 iben=0 nen=2 ibci=1e-16 nci=1 ibcn=0 ncn=2 avc1=0" +
		" avc2=0 isp=0 wsp=1 nfp=1 ibeip=0 ibenp=0 ibcip=0 ncip=1 ibcnp=0 ncnp=2 vef=0 ver=0 ikf=0" +
		" ikr=0 ikp=0 tf=0 qtf=0 xtf=0 vtf=0 itf=0 tr=0 td=0 kfn=0 afn=1 bfn=1 xre=0 xrbi=0 xrci=0" +
		" xrs=0 xvo=0 xv0=0 ea=1.12 eaie=1.12 eaic=1.12 eais=1.12 eane=1.12 eanc=1.12 eans=1.12 xis=3" +
		" xii=3 xin=3 tnf=0 tavc=0 rth=0 cth=0 vrt=0 art=0.1 ccso=0 qbm=0 nkf=0.5 xikf=0 xrcx=0" +
		" xrc=0 xrbx=0 xrb=0 xrbp=0 isrr=1 xisr=0 dear=0 eap=1.12 vbbe=0 nbbe=1 ibbe=1e-6 tvbbe1=0" +
		" tvbbe2=0 tnbbe=0 ebbe=0 dtemp=0 vers=1.2 vref=0 vbe_max=1e99 bvbe=1e99 vbc_max=1e99" +
		" bvbc=1e99 vce_max=1e99 bvce=1e99 vsub_max=1e99 bvsub=1e99 vbefwd=1 vbcfwd=1 vsubfwd=1\n.end\n"
	wantBuilds(t, all)
}
