package devices

import (
	"math"
	"testing"

	"github.com/gospice/gospice/parser"
)

func newTestSwitch(t *testing.T, model string) *Switch {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte("t\nS1 a 0 c 0 sm\n.model sm sw "+model+"\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := newSwitch(c.Elements[0], c, DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Switch)
}

func TestSwitchHysteresis(t *testing.T) {
	s := newTestSwitch(t, "vt=1 vh=0.5")
	// A rising then falling control voltage: closes above 1.5, opens below 0.5.
	state := switchOff
	for _, step := range []struct {
		v      float64
		closed bool
	}{{0, false}, {1.4, false}, {1.6, true}, {1.0, true}, {0.6, true}, {0.4, false}, {1.2, false}} {
		state = s.decide(step.v, state)
		if state.closed() != step.closed {
			t.Errorf("at %g V the switch is closed=%v, want %v", step.v, state.closed(), step.closed)
		}
	}
	// A negative vh swaps the band: entering it from either side flips the state.
	n := newTestSwitch(t, "vt=1 vh=-0.5")
	if st := n.decide(1.0, switchOn); st.closed() {
		t.Errorf("negative vh: entering the band from on should open, got %v", st)
	}
	if st := n.decide(1.0, switchOff); !st.closed() {
		t.Errorf("negative vh: entering the band from off should close, got %v", st)
	}
	if st := n.decide(1.0, switchHystOn); !st.closed() {
		t.Errorf("negative vh: inside the band the state stays, got %v", st)
	}
}

func TestSwitchDefaultsAndErrors(t *testing.T) {
	s := newTestSwitch(t, "")
	if s.gon != 1 || s.goff != 1e-12 {
		t.Errorf("defaults: gon %g, goff %g; want ron = 1 ohm and roff = 1/gmin", s.gon, s.goff)
	}
	for _, c := range []struct{ netlist, want string }{
		{"t\nS1 a 0 c 0 sm half\n.model sm sw\n.end\n", `unexpected "half"`},
		{"t\nS1 a 0 c 0 sm\n.model sm sw von=1\n.end\n", `unknown switch model parameter "von"`},
		{"t\nS1 a 0 c 0 sm\n.model sm sw ron=0\n.end\n", "must be positive"},
		{"t\nS1 a 0 c 0 sm\n.model sm nmos\n.end\n", "not a switch model"},
	} {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
}

func TestSwitchMaxStep(t *testing.T) {
	s := newTestSwitch(t, "vt=1 vh=0.5").NewRun().(*switchRun)
	ctx := &Context{X: []float64{0, 0, 0}}
	s.cp = 2
	// Off, control at 1.0 V after rising 0.2 V in the last 1 us step: the threshold 1.5 V
	// is 0.5 V away, so the next step may cover 0.75*0.5 + 0.05 = 0.425 V at 0.2 V/us.
	s.vctrlAt = 0.8
	ctx.X[2] = 1.0
	if got, want := s.MaxStep(ctx, 1e-6), 0.425/0.2*1e-6; math.Abs(got-want) > 1e-18 {
		t.Errorf("max step %g, want %g", got, want)
	}
	// Falling while off: no bound.
	ctx.X[2] = 0.6
	if got := s.MaxStep(ctx, 1e-6); !math.IsInf(got, 1) {
		t.Errorf("max step %g, want none", got)
	}
}

// TestCurrentSwitch: a W switch reads it, ih, ron and roff from its csw model, takes its
// control from the named source's branch, and does not bound the step as S does.
func TestCurrentSwitch(t *testing.T) {
	c, err := parser.Parse("t.cir", []byte("t\nVm c 0 0\nW1 a 0 vm wm on\n.model wm csw it=1m ih=0.2m ron=10 roff=1meg\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := newCurrentSwitch(c.Elements[1], c, DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	s := d.(*Switch)
	if s.controlSource != "vm" || s.vt != 1e-3 || s.vh != 0.2e-3 || s.gon != 0.1 || s.goff != 1e-6 || !s.initiallyOn {
		t.Errorf("W1: control %q it %g ih %g gon %g goff %g on %v", s.controlSource, s.vt, s.vh, s.gon, s.goff, s.initiallyOn)
	}
	if st := s.decide(1.3e-3, switchOff); !st.closed() {
		t.Errorf("at 1.3 mA the switch should close")
	}
	if st := s.decide(1.1e-3, switchOff); st.closed() {
		t.Errorf("at 1.1 mA (in the band) the switch should stay open")
	}
	r := s.NewRun().(*switchRun)
	if got := r.MaxStep(&Context{X: []float64{0, 1e-3, 0}}, 1e-6); !math.IsInf(got, 1) {
		t.Errorf("W max step %g, want none", got)
	}
	for _, c := range []struct{ netlist, want string }{
		{"t\nVm c 0 0\nW1 a 0 vm wm\n.model wm sw\n.end\n", `is a "sw" model, not a current-controlled switch model`},
		{"t\nVm c 0 0\nW1 a 0 vm wm\n.model wm csw vt=1\n.end\n", `unknown current-controlled switch model parameter "vt"`},
		{"t\nVm c 0 0\nW1 a 0 vm wm half\n.model wm csw\n.end\n", `unexpected "half"`},
		{"t\nVm c 0 0\nW1 a 0 r1 wm\nR1 c 0 1\n.model wm csw\n.end\n", `"r1" in "w1" is not a voltage source`},
		{"t\nVm c 0 0\nW1 a 0\n.end\n", "t.cir:3:7: missing controlling source"},
	} {
		wantBuildError(t, c.netlist, DefaultEnv(), c.want)
	}
}
