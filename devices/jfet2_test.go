package devices

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

// jfet2Models are level-2 (Parker-Skellern) devices: an n-channel one with every term of
// the current, the gate diodes' ideality and breakdown, the gate charge's acgam and xc,
// cds and the dispersion filters, and a p-channel one with the defaults' power laws.
var jfet2Models = []string{
	".model jm njf level=2 vto=-2 beta=1m lambda=0.02 rd=5 rs=7 cgs=2p cgd=1p cds=0.5p acgam=0.1 xc=0.2" +
		" p=2.6 q=2.2 xi=3 mxi=0.2 z=0.7 vst=0.1 mvst=0.05 lfgam=0.03 lfg1=0.01 lfg2=0.02 hfgam=0.05" +
		" hfg1=0.01 hfg2=0.02 hfeta=0.04 hfe1=0.01 hfe2=0.02 taug=1u delta=0.2 taud=3u n=1.2 ibd=1e-9 vbd=2 fc=0.3\n",
	".model jm pjf level=2 vto=-1.5 beta=0.5m lambda=0.03 cgs=1p cgd=0.5p fc=0.3 rd=5 rs=7 xi=5\n",
}

// TestJFET2StampsAreDerivatives holds G and C to finite differences of F and Q at the
// level-1 test's points (every region of both modes, the gate charge past fc vbi), for
// an n- and a p-channel device. A fresh run is at time 0 with its filters' last values 0,
// so the dispersion's weights of them are 1 here (TestJFET2ChannelDerivatives takes them
// between 0 and 1).
func TestJFET2StampsAreDerivatives(t *testing.T) {
	for k, model := range jfet2Models {
		jfetCheckStamps(t, "t\nJ1 d g s jm 1.5 m=2\n"+model+".end\n", []float64{1, -1}[k])
	}
}

// jfet2Device builds the first level-2 model of jfet2Models as J1 of area 1.5.
func jfet2Device(t *testing.T) *JFET {
	t.Helper()
	built := parseAndBuild(t, "t\nJ1 d g s jm 1.5\n"+jfet2Models[0]+".end\n", DefaultEnv())
	return built[0].(*JFET)
}

// TestJFET2ChannelDerivatives holds the channel current's gm and gds to central
// differences, without the filters and with weights of the last accepted values between
// 0 and 1, in subthreshold, below and in saturation, in both modes.
func TestJFET2ChannelDerivatives(t *testing.T) {
	d := jfet2Device(t)
	filters := []*psFilter{nil, {hg: 0.3, hd: 0.6, trap1: -0.4, trap2: -2, power: 4e-3}}
	points := [][2]float64{{-0.5, -5}, {0.2, -0.3}, {-1.9, -2.5}, {-2.3, -4}, {-1, 0.3}, {-3, -0.2}}
	const step, tol = 1e-6, 3e-9 // 3e-10 measured
	worst := 0.0
	for fi, f := range filters {
		for _, p := range points {
			at := func(vgs, vgd float64) jfetPoint {
				pt := jfetPoint{vgs: vgs, vgd: vgd}
				d.ps.evaluate(d, &pt, 1e-12, f)
				return pt
			}
			pt := at(p[0], p[1])
			// gm, at fixed vds, moves both junction voltages; gds, at fixed vgs, vgd alone.
			gm := (at(p[0]+step, p[1]+step).id - at(p[0]-step, p[1]-step).id) / (2 * step)
			gds := (at(p[0], p[1]-step).id - at(p[0], p[1]+step).id) / (2 * step)
			scale := math.Max(math.Abs(pt.gm)+math.Abs(pt.gds), 1e-9)
			for _, c := range []struct {
				what     string
				num, ana float64
			}{{"gm", gm, pt.gm}, {"gds", gds, pt.gds}} {
				rel := math.Abs(c.num-c.ana) / scale
				worst = math.Max(worst, rel)
				if rel > tol {
					t.Errorf("filter %d at vgs %g vgd %g: %s %g, finite difference %g", fi, p[0], p[1], c.what, c.ana, c.num)
				}
			}
		}
	}
	t.Logf("measured %.3g relative at worst, tolerance %g", worst, tol)
}

// TestJFET2GateChargeDerivatives holds the gate charge's capacitances to central
// differences, below and above fc vbi, at both signs of vds.
func TestJFET2GateChargeDerivatives(t *testing.T) {
	d := jfet2Device(t)
	const step, tol = 1e-6, 4e-9 // 3.5e-10 measured
	worst := 0.0
	for _, p := range [][2]float64{{-1, -3}, {0.5, 0.1}, {-3, -1}, {0.2, 0.6}, {-2.1, -2.05}} {
		_, cgs, cgd := d.ps.gateCharge(d, p[0], p[1])
		qp, _, _ := d.ps.gateCharge(d, p[0]+step, p[1])
		qm, _, _ := d.ps.gateCharge(d, p[0]-step, p[1])
		numGS := (qp - qm) / (2 * step)
		qp, _, _ = d.ps.gateCharge(d, p[0], p[1]+step)
		qm, _, _ = d.ps.gateCharge(d, p[0], p[1]-step)
		numGD := (qp - qm) / (2 * step)
		scale := math.Abs(cgs) + math.Abs(cgd)
		for _, c := range [][2]float64{{numGS, cgs}, {numGD, cgd}} {
			rel := math.Abs(c[0]-c[1]) / scale
			worst = math.Max(worst, rel)
			if rel > tol {
				t.Errorf("at %v: capacitance %g, finite difference %g", p, c[1], c[0])
			}
		}
	}
	t.Logf("measured %.3g relative at worst, tolerance %g", worst, tol)
}

// TestJFET2ACAtZeroFrequency: at omega = 0 the channel's admittance is its DC
// conductances (the feedback and thermal reduction have their low-frequency values) and
// has no imaginary part; at a frequency where taug and taud act it is not.
func TestJFET2ACAtZeroFrequency(t *testing.T) {
	d := jfet2Device(t)
	for _, p := range [][2]float64{{-0.5, -5}, {-1, 0.3}} {
		pt := jfetPoint{vgs: p[0], vgd: p[1]}
		d.ps.evaluate(d, &pt, 1e-12, nil)
		ac := pt
		xgm, xgds := d.ps.acAdmittance(&ac, 0)
		if math.Abs(ac.gm-pt.gm) > 1e-15*math.Abs(pt.gm) || math.Abs(ac.gds-pt.gds) > 1e-15*math.Abs(pt.gds) || xgm != 0 || xgds != 0 {
			t.Errorf("at %v and 0 Hz: gm %g gds %g (x %g %g), DC gm %g gds %g", p, ac.gm, ac.gds, xgm, xgds, pt.gm, pt.gds)
		}
		ac = pt
		if xgm, _ = d.ps.acAdmittance(&ac, 2*math.Pi*1e5); xgm == 0 || ac.gm == pt.gm {
			t.Errorf("at %v and 100 kHz: the admittance does not depend on the frequency", p)
		}
	}
}

func TestJFET2LoadAllocatesNothing(t *testing.T) {
	wantLoadAllocatesNothing(t, "t\nJ1 d g s jm 1.5 m=2\n"+jfet2Models[0]+".end\n",
		[]string{"v(d)", "v(g)", "v(j1#drain)"}, []float64{5, -0.5, 4.9})
}

func TestJFET2Errors(t *testing.T) {
	cases := []struct{ model, want string }{
		{"level=3", "JFET level 3"},
		{"level=2 hfgamm=1", `t.cir:3:23: unknown JFET level 2 model parameter "hfgamm" (model jm, used by j1 at line 2); did you mean "hfgam"?`},
		{"level=2 p=0", "p and q must be positive"},
		{"level=2 vbd=0", "vbd must be positive"},
		{"level=2 xi=0", "xi must be positive"},
		{"level=2 vto=1.2", "must exceed vto"},
		{"level=2 cds=-1p", "must not be negative"},
		{"level=2 taug=-1", "must not be negative"},
		{"level=2 n=0", "is and n must be positive"},
	}
	for _, c := range cases {
		wantBuildError(t, fmt.Sprintf("t\nJ1 d g s jm\n.model jm njf %s\n.end\n", c.model), DefaultEnv(), c.want)
	}
	wantBuildError(t, "t\nJ1 d g s jm dtemp=10\n.model jm njf level=2\n.end\n", DefaultEnv(), "j1: dtemp= is not supported on a level-2 JFET")
	// Every name of ngspice 39's jfet2 model and instance tables is accepted (dtemp
	// aside: its meaning in ngspice 39 is not an offset).
	all := "t\nJ1 d g s jm area=1 m=1 temp=27 ic=1,0 off\n.model jm njf level=2 acgam=0 af=1 beta=1e-4" +
		" cds=0 cgd=0 cgs=0 delta=0 hfeta=0 hfe1=0 hfe2=0 hfg1=0 hfg2=0 mvst=0 mxi=0 fc=0.5 ibd=0 is=1e-14" +
		" kf=0 lambda=0 lfgam=0 lfg1=0 lfg2=0 n=1 p=2 pb=1 vbi=1 q=2 rd=0 rs=0 taud=0 taug=0 vbd=1 ver=0" +
		" vst=0 vto=-2 vt0=-2 xc=0 xi=1000 z=1 hfgam=0 tnom=27\n.end\n"
	wantBuilds(t, all)
}

// TestJFETUnusedParams: gospice check lists the parameters a JFET card gives that are
// accepted without being used, at both levels.
func TestJFETUnusedParams(t *testing.T) {
	for _, c := range []struct{ card, want string }{
		{".model jm njf level=2 ver=2 beta=1m\n", "ver"},
		{".model jm njf nlev=3 gdsnoi=1 beta=1m\n", "nlev gdsnoi"},
		{".model jm pjf beta=1m\n", ""},
	} {
		ckt, err := parser.Parse("t.cir", []byte("t\n"+c.card+".end\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(UnusedModelParams(ckt.Models["jm"]), " "); got != c.want {
			t.Errorf("%q: unused %q, want %q", c.card, got, c.want)
		}
	}
}
