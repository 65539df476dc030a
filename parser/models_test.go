package parser

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// binCards are three cards of a binned model: 1 and 2 meet at l=1u, and card 3 takes
// the wide devices.
const binCards = `
.model nm.1 nmos level=54 lmin=0.5u lmax=1u wmin=1u wmax=10u vth0=0.1
.model nm.2 nmos level=54 lmin=1u lmax=2u wmin=1u wmax=10u vth0=0.2
.model nm.3 nmos (level=54 lmin=0.5u lmax=2u wmin=10u wmax=100u vth0=0.3)
`

// modelOf parses src and returns the model of element name.
func modelOf(t *testing.T, src, name string) *Model {
	t.Helper()
	c := mustParse(t, src)
	for _, el := range c.Elements {
		if el.Name == name {
			m := c.Models[el.Model]
			if m == nil {
				t.Fatalf("%s: model %q not in the circuit", name, el.Model)
			}
			return m
		}
	}
	t.Fatalf("no element %s", name)
	return nil
}

// TestBinning checks the choice of a card among stem.1, stem.2 ...: the first in file
// order whose closed ranges hold L and W/nf, within ngspice's 1e-9.
func TestBinning(t *testing.T) {
	tests := []struct {
		inst, want string
	}{
		{"M1 d g 0 0 nm l=0.7u w=2u", "nm.1"},
		{"M1 d g 0 0 nm l=1u w=2u", "nm.1"},         // on the border: the first card
		{"M1 d g 0 0 nm l=1.0005u w=2u", "nm.1"},    // within 1e-9 of lmax
		{"M1 d g 0 0 nm l=1.5u w=2u", "nm.2"},       // inside card 2
		{"M1 d g 0 0 nm l=1.5u w=20u", "nm.3"},      // wide
		{"M1 d g 0 0 nm l=1.5u w=20u nf=4", "nm.2"}, // 5u per finger
		{"M1 d g 0 0 nm l=1.5u w=20u nf=4 wnflag=0", "nm.3"},
		{"M1 d g 0 0 nm l=1.5u w=20u nf=4\n.options wnflag=0", "nm.3"},
		{"M1 d g 0 0 nm l=1.5u w=20u nf=4 wnflag=1\n.options wnflag=0", "nm.2"},
		{"M1 d g 0 0 nm l=2u w=100u", "nm.3"},
		{"M1 d g 0 0 nm.2 l=0.1u w=0.1u", "nm.2"}, // a card named directly is not binned
		{"M1 d g 0 0 nm l={2*0.35u} w={lw}", "nm.1"},
	}
	for _, tc := range tests {
		m := modelOf(t, ".param lw=2u\n"+tc.inst+binCards, "m1")
		if m.Name != tc.want {
			t.Errorf("%s: card %s, want %s", tc.inst, m.Name, tc.want)
		}
	}
}

// TestBinningScale checks that .options scale applies to the geometry of a MOSFET,
// before its card is chosen: lengths times scale, areas times its square.
func TestBinningScale(t *testing.T) {
	c := mustParse(t, ".options scale=1u\nM1 d g 0 0 nm l=1.5 w=20 nf=4 ad=2 as=3 pd=4 ps=5 sa=0.5 nrd=7 m=2"+binCards)
	el := c.Elements[0]
	if el.Model != "nm.2" {
		t.Errorf("card %s, want nm.2", el.Model)
	}
	want := map[string]float64{"l": 1.5e-6, "w": 20e-6, "nf": 4, "ad": 2e-12, "as": 3e-12, "pd": 4e-6,
		"ps": 5e-6, "sa": 0.5e-6, "nrd": 7, "m": 2}
	for _, p := range el.Params() {
		if w, ok := want[p.Name]; !ok || math.Abs(p.Value-w) > 1e-12*math.Abs(w) {
			t.Errorf("%s = %g, want %g", p.Name, p.Value, w)
		}
	}
	for _, o := range c.Options {
		if o.Name == "scale" {
			t.Errorf("options %+v: scale is applied by the parser, and not passed on", c.Options)
		}
	}
	// The last .options scale of the netlist applies, wherever the MOSFET is.
	c = mustParse(t, "M1 d g 0 0 nm l=1.5 w=20\n.options scale=2u\n.options parser scale=1u"+binCards)
	if p, _ := c.Elements[0].Param("l"); p.Value != 1.5e-6 {
		t.Errorf("l = %g, want 1.5e-6", p.Value)
	}
	// Without scale nothing changes.
	c = mustParse(t, "M1 d g 0 0 nm l=1.5u w=20u ad=1p"+binCards)
	if p, _ := c.Elements[0].Param("ad"); p.Value != 1e-12 {
		t.Errorf("ad = %g, want 1e-12", p.Value)
	}
}

// TestBinningErrors checks the messages of an instance that no card holds.
func TestBinningErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"M1 d g 0 0 nm l=3u w=2u", []string{`t.cir:2:12: no card of binned model "nm" holds l=3e-06 w=2e-06; its cards cover l 5e-07 to 2e-06, w 1e-06 to 0.0001`}},
		{"M1 d g 0 0 nm l=3u w=8u nf=4", []string{`t.cir:2:12: no card of binned model "nm" holds l=3e-06 w=2e-06 (w per finger); its cards cover l 5e-07 to 2e-06, w 1e-06 to 0.0001`}},
		{"M1 d g 0 0 nm w=2u", []string{`t.cir:2:12: model "nm" is binned (nm.1 ... nm.3, 3 cards): "m1" needs l= and w= to choose one`}},
		{"M1 d g 0 0 nm l=1u w=2u\n.options scale=-1", []string{`t.cir:3:10: .options scale must be a positive number, got -1`}},
		{"M1 d g 0 0 nmx l=1u w=2u", []string{`t.cir:2:12: unknown model "nmx" (did you mean "nm"?)`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src+binCards)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// TestSubcktModelPerInstance checks a binned model inside a subcircuit whose cards and
// instance lines are expressions of the instance's parameters (SKY130's FETs): each
// instance gets its own card, with its values.
func TestSubcktModelPerInstance(t *testing.T) {
	c := mustParse(t, `.subckt fet d g s b mult=1
.param l=1 w=1 nf=1 nrd={0.14/w}
.param rx={89.1*nf/w+443.5}
M0 d g s b cell l={l} w={w} nf={nf} nrd={nrd}
.model cell.1 nmos level=54 lmin=0.1u lmax=1u wmin=0.1u wmax=5u rsh={rx} vth0={0.4+mc*agauss(0,1,1)}
.model cell.2 nmos level=54 lmin=1u lmax=10u wmin=0.1u wmax=5u rsh={rx*2}
.ends
.options scale=1u
.param mc=0
X1 d g 0 0 fet l=0.15 w=1
X2 d g 0 0 fet l=2 w=4 nf=2
X3 d g 0 0 fet
`)
	want := map[string]struct {
		card      string
		rsh, vth0 float64
		nrd       float64
	}{
		"x1.m0": {"x1.cell.1", 532.6, 0.4, 0.14},
		"x2.m0": {"x2.cell.2", 2 * (89.1*2/4 + 443.5), 0, 0.035},
		"x3.m0": {"x3.cell.1", 532.6, 0.4, 0.14}, // l=1u: on the border, the first card
	}
	for _, el := range c.Elements {
		w := want[el.Name]
		if el.Model != w.card {
			t.Errorf("%s: card %s, want %s", el.Name, el.Model, w.card)
			continue
		}
		m := c.Models[el.Model]
		for _, p := range m.Params {
			switch p.Name {
			case "rsh":
				if math.Abs(p.Value-w.rsh) > 1e-9 {
					t.Errorf("%s rsh = %g, want %g", m.Name, p.Value, w.rsh)
				}
			case "vth0":
				if p.Value != w.vth0 {
					t.Errorf("%s vth0 = %g, want %g (agauss times 0 is nominal)", m.Name, p.Value, w.vth0)
				}
			}
		}
		if p, _ := el.Param("nrd"); math.Abs(p.Value-w.nrd) > 1e-12 {
			t.Errorf("%s nrd = %g, want %g", el.Name, p.Value, w.nrd)
		}
	}
}

// TestSubcktParamSetByInstance checks that an X line sets a parameter that a .param line
// of the subcircuit defines, as ngspice does (measured with ngspice 39: i(v1) = -0.285714,
// i(v2) = -0.0833333, i(v3) = -0.0333333 for the netlist below with V sources of 1 V).
func TestSubcktParamSetByInstance(t *testing.T) {
	c := mustParse(t, `.subckt sub a b mult=1
.param l = 1 w = 2 k = {l*10+w}
R1 a b {k*mult}
.ends
X1 1 0 sub l=0.15
X2 2 0 sub
X3 3 0 sub w=5 mult=2
`)
	want := map[string]float64{"x1.r1": 3.5, "x2.r1": 12, "x3.r1": 30}
	for _, el := range c.Elements {
		if math.Abs(el.Value-want[el.Name]) > 1e-12 {
			t.Errorf("%s = %g, want %g", el.Name, el.Value, want[el.Name])
		}
	}
	got := parseErrors(t, ".subckt sub a b\n.param l=1\nR1 a b {l}\n.ends\nX1 1 0 sub q=2")
	want2 := []string{`t.cir:6:12: unknown parameter "q" of subcircuit sub (it has l)`}
	if !reflect.DeepEqual(got, want2) {
		t.Errorf("got %q\nwant %q", got, want2)
	}
}

// TestModelsOnUse checks that a .model line of an included file is elaborated only when
// an element uses it (a library's unused cards may name parameters nothing defines, as
// SKY130's do), and that those of the netlist's own file always are.
func TestModelsOnUse(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"lib.spice": ".model good d is=1f\n.model broken c cox={undefined_name}\n.subckt sub a b\n.model inner r rsh={nope}\nR1 a b 1k\n.ends\n",
		"top.cir":   "t\n.include lib.spice\nD1 a 0 good\nX1 a 0 sub\nV1 a 0 1\n.model mine d is={oops}\n",
		"use.cir":   "t\n.include lib.spice\nC1 a 0 1p broken\nV1 a 0 1\n",
	})
	c, errs := errorStrings(t, dir, "top.cir")
	want := []string{`top.cir:6:19: unknown parameter "oops"`}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("top.cir: got %q\nwant %q", errs, want)
	}
	if c != nil && c.Models["good"] == nil {
		t.Errorf("model good not elaborated")
	}
	_, errs = errorStrings(t, dir, "use.cir")
	if len(errs) != 1 || !strings.Contains(errs[0], `lib.spice:2:22: unknown parameter "undefined_name"`) {
		t.Errorf("use.cir: got %q, want the error of the model used", errs)
	}
}

// TestInstanceMultiplier checks that m= on X lines multiplies the m of the elements
// inside, through nested instances (ngspice 39: c.x2.x1.c1 has m=6, c.x1.c1 m=0.5,
// r.x2.x1.r1 m=12 and r.x1.r1 m=1 for the netlist below).
func TestInstanceMultiplier(t *testing.T) {
	c := mustParse(t, `.subckt cc a b
C1 a b 1p
R1 a b 1k m=2
V9 a b 0
.ends
.subckt outer a b
X1 a b cc m=3
.ends
X1 1 0 cc m=0.5
X2 1 0 outer m=2
`)
	want := map[string]float64{"x1.c1": 0.5, "x1.r1": 1, "x2.x1.c1": 6, "x2.x1.r1": 12}
	for _, el := range c.Elements {
		p, ok := el.Param("m")
		if el.Kind == 'v' {
			if ok {
				t.Errorf("%s got m=%g: a voltage source takes no multiplier", el.Name, p.Value)
			}
			continue
		}
		if !ok || p.Value != want[el.Name] {
			t.Errorf("%s: m=%g (given %v), want %g", el.Name, p.Value, ok, want[el.Name])
		}
	}
}

// TestQuotedBraces checks {"expr"}, which SKY130's resistor cards write: the expression
// between the quotes (ngspice 39 reads dw = {"-sw_activecd-nfom_dw/2"} as -8.5e-9 with
// sw_activecd=0 and nfom_dw=0.017u).
func TestQuotedBraces(t *testing.T) {
	c := mustParse(t, ".param sw_activecd=0 nfom_dw=0.017u\n.model rndiff r rsh=120 dw = {\"-sw_activecd-nfom_dw/2\"}\nR1 a 0 rndiff w=1u l=10u")
	if v := modelParam(c.Models["rndiff"], "dw"); math.Abs(v+8.5e-9) > 1e-20 {
		t.Errorf("dw = %g, want -8.5e-9", v)
	}
	got := parseErrors(t, "R1 a 0 {\"1k*q\"}")
	want := []string{`t.cir:2:13: unknown parameter "q"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q (the place inside the quotes)", got, want)
	}
}

// TestScaleOther checks .options scale on resistors, capacitors and level 3 diodes, as
// ngspice 39 applies it (show: R1 w=2e-6 l=1e-5, C1 w=l=1e-5, D3 area=4e-12 pj=8e-6,
// D1 of level 1 area=4 pj=8).
func TestScaleOther(t *testing.T) {
	c := mustParse(t, `.option scale=1u
R1 a 0 rm w=2 l=10
C1 a 0 cm w=10 l=10
D1 a 0 dm area=4 pj=8
D3 a 0 dm3 area=4 pj=8
D4 a 0 dm3 w=3 l=2
D5 a 0 dm3
.model cm c cj=1e-3
.model rm r rsh=100
.model dm d is=1e-14
.model dm3 d level=3 is=1e-14 area=5 pj=6 wm=2
`)
	want := map[string]map[string]float64{
		"r1": {"w": 2e-6, "l": 10e-6},
		"c1": {"w": 10e-6, "l": 10e-6},
		"d1": {"area": 4, "pj": 8},
		"d3": {"area": 4e-12, "pj": 8e-6, "wm": 2e-6},
		"d4": {"w": 3e-6, "l": 2e-6, "wm": 2e-6}, // area and pj come of w and l
		"d5": {"area": 5e-12, "pj": 6e-6, "wm": 2e-6},
	}
	for _, el := range c.Elements {
		if len(el.Params()) != len(want[el.Name]) {
			t.Errorf("%s: params %+v, want %v", el.Name, el.Params(), want[el.Name])
		}
		for name, w := range want[el.Name] {
			p, ok := el.Param(name)
			if !ok || math.Abs(p.Value-w) > 1e-9*math.Abs(w) {
				t.Errorf("%s %s = %g (given %v), want %g", el.Name, name, p.Value, ok, w)
			}
		}
	}
}

// TestBehaviouralResistorModel checks that the model of a resistor whose value reads the
// simulation is dropped with a warning, as ngspice drops it.
func TestBehaviouralResistorModel(t *testing.T) {
	c := mustParse(t, "R1 a 0 rm r={1k*(1+0*v(a))}\n.model rm r tc1=0.01\nV1 a 0 1")
	if c.Elements[0].Model != "" || c.Elements[0].Expr() == nil {
		t.Errorf("r1: model %q, expr %v; want no model and the expression", c.Elements[0].Model, c.Elements[0].Expr())
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Error(), `t.cir:2:8: model "rm" of "r1" ignored`) {
		t.Errorf("warnings %v", c.Warnings)
	}
}

// TestSharedCards checks that instances of a library's subcircuit with the same
// parameter values share one card (the first instance's), and that instances whose
// values differ, or whose card draws random values, get their own.
func TestSharedCards(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"lib.spice": `.subckt fet d g s b
.param l=1 w=1 k={w*2}
M0 d g s b cell l={l} w={w}
.model cell.1 nmos level=54 lmin=0.1 lmax=10 wmin=0.1 wmax=10 rsh={k}
.ends
.subckt rnd d g s b
.param l=1 w=1
M0 d g s b cell l={l} w={w}
.model cell nmos level=54 vth0={agauss(0.4,0.01,1)}
.ends
`,
		"top.cir": "t\n.include lib.spice\nX1 d g 0 0 fet\nX2 d g 0 0 fet\nX3 d g 0 0 fet w=2\nX4 d g 0 0 fet l=1 w=1\nX5 d g 0 0 rnd\nX6 d g 0 0 rnd\nV1 d 0 1\n",
	})
	c, errs := errorStrings(t, dir, "top.cir")
	if errs != nil {
		t.Fatal(errs)
	}
	want := map[string]string{"x1.m0": "x1.cell.1", "x2.m0": "x1.cell.1", "x3.m0": "x3.cell.1",
		"x4.m0": "x1.cell.1", "x5.m0": "x5.cell", "x6.m0": "x6.cell"}
	for _, el := range c.Elements {
		if w, ok := want[el.Name]; ok && el.Model != w {
			t.Errorf("%s: card %s, want %s", el.Name, el.Model, w)
		}
	}
	if len(c.Models) != 4 {
		t.Errorf("%d cards, want 4", len(c.Models))
	}
	if v := modelParam(c.Models["x3.cell.1"], "rsh"); v != 4 {
		t.Errorf("x3's rsh = %g, want 4", v)
	}
	if a, b := modelParam(c.Models["x5.cell"], "vth0"), modelParam(c.Models["x6.cell"], "vth0"); a == b {
		t.Errorf("x5 and x6 drew the same vth0 %g", a)
	}
}

// TestTemperParam checks that a .param that reads temper takes the circuit temperature
// (ngspice 39: .param rt='1k*(1+0.01*(temper-27))' gives 2k under .temp 127 or .options
// temp=127, 1k without).
func TestTemperParam(t *testing.T) {
	for _, tc := range []struct {
		line string
		want float64
	}{
		{"", 1000},
		{".temp 127", 2000},
		{".options temp=127", 2000},
		{".temp 127\n.options temp=77", 1500}, // the later one
		{".options temp=77\n.temp {tt}\n.param tt=127", 2000},
	} {
		c := mustParse(t, ".param rt = '1k*(1+0.01*(temper-27))'\nR1 a 0 {rt}\nV1 a 0 1\n"+tc.line)
		if c.Elements[0].Value != tc.want || c.Params["rt"] != tc.want {
			t.Errorf("%q: r1 = %g, rt = %g; want %g", tc.line, c.Elements[0].Value, c.Params["rt"], tc.want)
		}
	}
}

func TestTemperParamErrors(t *testing.T) {
	got := parseErrors(t, ".param rt = '1k*(1+0.01*(temper-27))'\nR1 a 0 {rt}\n.temp {nope}")
	want := []string{`t.cir:4:8: unknown parameter "nope"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestXSPICEModelCards: a card of an XSPICE code model keeps its type and its parameters
// unread (strings, vectors, booleans: the code model's own), so that the A element that
// uses it is what gospice refuses, as it names (examples/xspice/d_source/PWMexample.net,
// examples/xspice/filesource/simple-filesource.cir). An unused one is harmless.
func TestXSPICEModelCards(t *testing.T) {
	cards := `.model input_vector d_source(input_file = "pwmexample_data.text")
.model filesrc filesource (file="my-source.txt"
+ amploffset=[0.1 0.1] amplscale=[3.0 3.0] timerelative=false amplstep=true)
`
	c := mustParse(t, cards+"R1 a 0 1k\n.op\n")
	if m := c.Models["filesrc"]; m == nil || m.Type != "filesource" || len(m.Params) != 0 {
		t.Errorf("filesrc: %+v", m)
	}
	_, err := Parse("t.cir", []byte("t\n"+cards+"A1 [3 4] input_vector\n.op\n"))
	if err == nil || err.Error() != `t.cir:5:1: unknown element "a1" (kind A is not supported)` {
		t.Errorf("the A element: %v", err)
	}
}
