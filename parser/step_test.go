package parser

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
)

// stepsOf returns the .step lines of c without positions.
func stepsOf(c *Circuit) []Step {
	var out []Step
	for _, s := range c.Steps {
		s.Pos, s.NamePos = Pos{}, Pos{}
		out = append(out, s)
	}
	return out
}

func TestStep(t *testing.T) {
	pow := func(b, x float64) float64 { return math.Pow(b, x) }
	tests := []struct {
		src  string
		want []Step
	}{
		{".step param rval 1k 3k 1k", []Step{{Kind: StepParam, Name: "rval", Label: "rval", Sweep: "lin", Values: []float64{1e3, 2e3, 3e3}}}},
		// The last value is stop, within rounding: 3*0.1 is 0.30000000000000004.
		{".step lin param x 0 0.3 0.1", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "lin", Values: []float64{0, 0.1, 0.2, 0.3}}}},
		{".step param x 1 10 4", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "lin", Values: []float64{1, 5, 9}}}},
		{".step param x 5 1 -2", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "lin", Values: []float64{5, 3, 1}}}},
		{".step param x 2 2 0", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "lin", Values: []float64{2}}}},
		{".step param x -1 -1.3 -0.1", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "lin", Values: []float64{-1, -1.1, -1.2, -1.3}}}},
		{".step dec param f 1 100 2", []Step{{Kind: StepParam, Name: "f", Label: "f", Sweep: "dec", Values: []float64{1, pow(10, 0.5), 10, pow(10, 1.5), 100}}}},
		{".step dec param f 1 1000 1", []Step{{Kind: StepParam, Name: "f", Label: "f", Sweep: "dec", Values: []float64{1, 10, 100, 1000}}}},
		{".step dec param f 2 30 1", []Step{{Kind: StepParam, Name: "f", Label: "f", Sweep: "dec", Values: []float64{2, 20}}}},
		{".step DEC PARAM f 1m 1 1", []Step{{Kind: StepParam, Name: "f", Label: "f", Sweep: "dec", Values: []float64{1e-3, 1e-3 * 10, 1e-3 * 100, 1}}}},
		{".step oct param f 1 8 1", []Step{{Kind: StepParam, Name: "f", Label: "f", Sweep: "oct", Values: []float64{1, 2, 4, 8}}}},
		{".step oct param f 1 10 2", []Step{{Kind: StepParam, Name: "f", Label: "f", Sweep: "oct", Values: []float64{1, pow(2, 0.5), 2, pow(2, 1.5), 4, pow(2, 2.5), 8}}}},
		{".step param x list 1 2.5 1k", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "list", Values: []float64{1, 2.5, 1e3}}}},
		{".step param x list 3,1,2", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "list", Values: []float64{3, 1, 2}}}},
		{".step temp -40 85 25", []Step{{Kind: StepTemp, Name: "temp", Label: "temp", Sweep: "lin", Values: []float64{-40, -15, 10, 35, 60, 85}}}},
		{".step TEMP list 0 27 100", []Step{{Kind: StepTemp, Name: "temp", Label: "temp", Sweep: "list", Values: []float64{0, 27, 100}}}},
		{".param n=4 lo={n/4}\n.step param x {lo} {n} 1", []Step{{Kind: StepParam, Name: "x", Label: "x", Sweep: "lin", Values: []float64{1, 2, 3, 4}}}},
		{".step v1 0 5 2.5\nV1 a 0 1", []Step{{Kind: StepSource, Name: "v1", Label: "v1", Sweep: "lin", Values: []float64{0, 2.5, 5}}}},
		{".step I1 list 1m 2m\nI1 a 0 1", []Step{{Kind: StepSource, Name: "i1", Label: "i1", Sweep: "list", Values: []float64{1e-3, 2e-3}}}},
		{".step dec v1 1 100 1\nV1 a 0 1", []Step{{Kind: StepSource, Name: "v1", Label: "v1", Sweep: "dec", Values: []float64{1, 10, 100}}}},
		{".step r1 1k 3k 1k\nR1 a 0 1", []Step{{Kind: StepDevice, Name: "r1", Label: "r1", Sweep: "lin", Values: []float64{1e3, 2e3, 3e3}}}},
		{".step c1 list 1p\nC1 a 0 1", []Step{{Kind: StepDevice, Name: "c1", Label: "c1", Sweep: "list", Values: []float64{1e-12}}}},
		{".step L1 list 1u\nL1 a 0 1", []Step{{Kind: StepDevice, Name: "l1", Label: "l1", Sweep: "list", Values: []float64{1e-6}}}},
		{".step x1.r1 1 2 1\n.subckt s a\nR1 a 0 1\n.ends\nX1 a s", []Step{{Kind: StepDevice, Name: "x1.r1", Label: "x1.r1", Sweep: "lin", Values: []float64{1, 2}}}},
		{".step nmod(vto) 0.5 1 0.25\n.model nmod nmos", []Step{{Kind: StepModel, Name: "nmod", Param: "vto", Label: "nmod(vto)", Sweep: "lin", Values: []float64{0.5, 0.75, 1}}}},
		{".step NPN 2N2222(VAF) 50 100 25\n.model 2n2222 npn", []Step{{Kind: StepModel, Name: "2n2222", Param: "vaf", Label: "2n2222(vaf)", Sweep: "lin", Values: []float64{50, 75, 100}}}},
		{".step dec nmod(kp) 1u 10u 1\n.model nmod nmos", []Step{{Kind: StepModel, Name: "nmod", Param: "kp", Label: "nmod(kp)", Sweep: "dec", Values: []float64{1e-6, 1e-5}}}},
		// Xyce's form: a parameter if the netlist has one, even where an element has the name.
		{".param rv=1\n.step rv 1 3 1", []Step{{Kind: StepParam, Name: "rv", Label: "rv", Sweep: "lin", Values: []float64{1, 2, 3}}}},
		{".param v1=1\n.step v1 1 3 1\nV1 a 0 1", []Step{{Kind: StepParam, Name: "v1", Label: "v1", Sweep: "lin", Values: []float64{1, 2, 3}}}},
		// A word that names the sweep type is a name when a number follows it.
		{".param lin=0\n.step lin 1 2 1", []Step{{Kind: StepParam, Name: "lin", Label: "lin", Sweep: "lin", Values: []float64{1, 2}}}},
		// LTspice's .step param run: a parameter that nothing uses.
		{".step param run 1 3 1", []Step{{Kind: StepParam, Name: "run", Label: "run", Sweep: "lin", Values: []float64{1, 2, 3}}}},
		{".step param a 1 2 1\n.step temp list 0\n.step r1 list 5\nR1 a 0 1", []Step{
			{Kind: StepParam, Name: "a", Label: "a", Sweep: "lin", Values: []float64{1, 2}},
			{Kind: StepTemp, Name: "temp", Label: "temp", Sweep: "list", Values: []float64{0}},
			{Kind: StepDevice, Name: "r1", Label: "r1", Sweep: "list", Values: []float64{5}},
		}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if got := stepsOf(c); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.src, got, tc.want)
		}
	}
	c := mustParse(t, "R1 a 0 1\n.step param x 0 1 0.1\n.step   r1 1 2 1")
	if s := c.Steps[0]; len(s.Values) != 11 || s.Values[10] != 1 || s.Pos != (Pos{"t.cir", 3, 1}) || s.NamePos != (Pos{"t.cir", 3, 13}) {
		t.Errorf("step: %+v", s)
	}
	if s := c.Steps[1]; s.Pos != (Pos{"t.cir", 4, 1}) || s.NamePos != (Pos{"t.cir", 4, 9}) {
		t.Errorf("positions: %v %v", s.Pos, s.NamePos)
	}
}

// TestStepDefaults checks that the values of a .step line are those of the netlist's
// parameters, whatever the Variant overrides.
func TestStepDefaults(t *testing.T) {
	c := mustParse(t, ".param n=3\n.step param x 1 {n} 1\n.step param n 3 4 1")
	for _, v := range []Variant{{}, {Params: map[string]float64{"n": 4}}, {Params: map[string]float64{"n": 10, "x": 2}}} {
		c2, err := c.Deck.Elaborate(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stepsOf(c2), stepsOf(c)) || !reflect.DeepEqual(c2.Steps[0].Values, []float64{1, 2, 3}) {
			t.Errorf("%v: %+v", v, c2.Steps)
		}
		if want := v.Params["n"]; want != 0 && c2.Params["n"] != want {
			t.Errorf("%v: params %v", v, c2.Params)
		}
	}
}

func TestStepErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{".step param x 1 2 0", "t.cir:2:19: the increment of .step x must not be zero"},
		{".step param x 1 2 -1", "t.cir:2:19: the increment of .step x (-1) does not lead from 1 to 2"},
		{".step param x 1 2", "t.cir:2:18: missing incr of .step x: " + stepUsage},
		{".step dec param x 1 10", "t.cir:2:23: missing points of .step x: " + stepUsage},
		{".step param x 1 2 1 4", "t.cir:2:21: too many arguments: " + stepUsage},
		{".step dec param x 0 10 2", "t.cir:2:19: start must be positive for a dec sweep, got 0"},
		{".step oct param x 1 10 2.5", "t.cir:2:24: the number of points per octave of .step x must be a positive integer, got 2.5"},
		{".step dec param x 10 1 2", "t.cir:2:22: stop (1) must not be less than start (10) in a dec sweep"},
		{".step lin param x list 1 2", "t.cir:2:19: list does not go with lin: .step x list values"},
		{".step param x list", "t.cir:2:19: missing values after list: .step x list values"},
		{".step param x list 1 v(a)", "t.cir:2:22: not a constant: the value depends on v(a)"},
		{".step", "t.cir:2:6: missing what to step: " + stepUsage},
		{".step param", "t.cir:2:1: missing the parameter's name: .step param name ..."},
		{".step param 1x 1 2 1", `t.cir:2:13: expected a parameter name after param, found "1x"`},
		{".step param temper 1 2 1", "t.cir:2:13: temper cannot be stepped as a parameter: it is a simulation variable (.step temp steps the temperature)"},
		{".step 5 1 2 1", `t.cir:2:7: expected param, temp, a source, an element or model(param) after .step, found "5"`},
		{".step rload 1 2 1\nRlaod a 0 1", `t.cir:2:7: unknown parameter or element "rload" in .step (did you mean "rlaod"?)`},
		{".param rval=1\n.step rvak 1 2 1", `t.cir:3:7: unknown parameter or element "rvak" in .step (did you mean "rval"?)`},
		{".step d1 1 2 1\nD1 a 0 dm\n.model dm d", `t.cir:2:7: cannot step "d1": .step varies parameters, temp, V and I sources, the values of R, C and L, and model parameters`},
		{".step nmod(vto) 1 2 1\n.model nmos1 nmos", `t.cir:2:7: unknown model "nmod" in .step`},
		{".step nmos2(vto) 1 2 1\n.model nmos1 nmos", `t.cir:2:7: unknown model "nmos2" in .step (did you mean "nmos1"?)`},
		{".step pnp q1(bf) 1 2 1\n.model q1 npn", `t.cir:2:7: model "q1" is of type npn, not pnp (t.cir:3)`},
		{".step foo(a,b) 1 2 1", `t.cir:2:7: expected model(parameter), found "foo(a,b)"`},
		{".step nmod(1) 1 2 1\n.model nmod nmos", `t.cir:2:12: expected a model parameter's name, found "1"`},
		{".step param x 1 2 1\n.step param x list 3", "t.cir:3:13: x is stepped twice (first at t.cir:2)"},
		{".step temp 1 2 1\n.step temp list 3", "t.cir:3:7: temp is stepped twice (first at t.cir:2)"},
		{".param x=1\n.step param x 1 2 1\n.step x list 3", "t.cir:4:7: x is stepped twice (first at t.cir:3)"},
		{".step r1 1 2 1\n.step R1 list 3\nR1 a 0 1", "t.cir:3:7: r1 is stepped twice (first at t.cir:2)"},
		{".step param a 1 2 1\n.step param b 1 2 1\n.step param c 1 2 1\n.step param d 1 2 1\n.step param e 1 2 1",
			"t.cir:5:1: too many .step lines: at most 3, and this is the fourth"},
		{".step param x 1 5000 1\n.step param y 1 5000 1", "t.cir:3:1: the .step lines make 2.5e+07 runs, more than 10000000"},
		{".step param x 1 1e9 1", "t.cir:2:21: too many values in .step x: 1e+09, more than 10000000"},
		{".step dec param x 1 1e300 1e5", "t.cir:2:27: too many values in .step x: 3e+07, more than 10000000"},
		{".subckt s a\n.step param x 1 2 1\n.ends", "t.cir:3:1: .step inside .subckt s is not supported"},
		{".step param x 1 {agauss(1,1,1)} 1", "t.cir:2:18: agauss(): random functions are not allowed in .step values (they are the same in every run)"},
		{".param p=aunif(1,1)\n.step param x 1 {p} 1\nR1 a 0 {p}", "t.cir:2:10: aunif(): random functions are not allowed in .step values (they are the same in every run)"},
		{".step temp -300 0 100", "t.cir:2:1: temperature below absolute zero in .step temp: -300 degrees C"},
	}
	for _, tc := range tests {
		if got := strings.Join(parseErrors(t, tc.src), "\n"); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

// TestElaborateKeepsGivenSteps: a Variant with Steps does not read the .step lines again:
// the circuit gets the given steps, as they are.
func TestElaborateKeepsGivenSteps(t *testing.T) {
	d, err := ParseDeck(context.Background(), "t.cir", []byte("t\n.param r=1k\nR1 a 0 {r}\n.step param r list 1k 2k\n.op\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Elaborate(context.Background(), Variant{})
	if err != nil || len(c.Steps) != 1 || len(c.Steps[0].Values) != 2 {
		t.Fatalf("first elaboration: %v, steps %+v", err, c.Steps)
	}
	given := []Step{{Kind: StepParam, Name: "r", Label: "r", Sweep: "list", Values: []float64{5}}}
	again, err := d.Elaborate(context.Background(), Variant{Params: map[string]float64{"r": 5}, Steps: given})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Steps) != 1 || &again.Steps[0] != &given[0] {
		t.Errorf("steps %+v, want the given ones", again.Steps)
	}
	if again.Elements[0].Value != 5 {
		t.Errorf("r1 = %g, want the override 5", again.Elements[0].Value)
	}
}
