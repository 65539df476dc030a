package parser

import (
	"reflect"
	"testing"
)

// The model cards the element tests use; each source gets them after its own lines, so
// every model is defined after its use.
const testModels = `
.model dmod d
.model 1n4002 d(is=1.3f)
.model 1k d
.model nmod nmos level=1
.model qmod npn
.model qmod2 pnp
.model smod sw
`

// num and word build positional arguments for the expected elements.
func num(v float64) Arg { return Arg{Number: v, IsNumber: true} }
func word(w string) Arg { return Arg{Word: w} }

func TestModelElements(t *testing.T) {
	p := func(name string, v float64) Param { return Param{Name: name, Value: v} }
	list := func(name string, vs ...float64) Param { return Param{Name: name, Value: vs[0], List: vs} }
	tests := []struct {
		src  string
		want Element // Pos fields are not compared
	}{
		// Diodes.
		{"D1 a b dmod", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod"}},
		{"d1 A GND DMOD", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "0"}, Model: "dmod"}},
		{"D1 a b dmod 2", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod", extra: &elementExtra{args: []Arg{num(2)}}}},
		{"D1 a b dmod {2.5} OFF", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod", extra: &elementExtra{args: []Arg{num(2.5), word("off")}}}},
		{"D1 a b dmod off", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod", extra: &elementExtra{args: []Arg{word("off")}}}},
		{"D1 a b dmod 2 off ic=0.5 m=2 pj=1u temp=50 dtemp=5", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"},
			Model: "dmod", extra: &elementExtra{args: []Arg{num(2), word("off")}, params: []Param{p("ic", 0.5), p("m", 2), p("pj", 1e-6), p("temp", 50), p("dtemp", 5)}}}},
		{"D1 a b dmod area=3 off m=2", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod", extra: &elementExtra{args: []Arg{word("off")}, params: []Param{p("area", 3), p("m", 2)}}}},
		{"D1 a b dmod IC = 0.7 off", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod", extra: &elementExtra{args: []Arg{word("off")}, params: []Param{p("ic", 0.7)}}}},
		{"d2 t2 0 1n4002", Element{Name: "d2", Kind: 'd', Nodes: []string{"t2", "0"}, Model: "1n4002"}},
		{"D3 net-1 n1.2 1k", Element{Name: "d3", Kind: 'd', Nodes: []string{"net-1", "n1.2"}, Model: "1k"}},
		{"D1 a\n+ b dmod\n+ 3", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b"}, Model: "dmod", extra: &elementExtra{args: []Arg{num(3)}}}},
		// ngspice's thermal node: a word before a defined model.
		{"Dth1 1 0 tj dmod thermal", Element{Name: "dth1", Kind: 'd', Nodes: []string{"1", "0", "tj"}, Model: "dmod", extra: &elementExtra{args: []Arg{word("thermal")}}}},
		{"D1 a b tj dmod 2 off thermal", Element{Name: "d1", Kind: 'd', Nodes: []string{"a", "b", "tj"}, Model: "dmod", extra: &elementExtra{args: []Arg{num(2), word("off"), word("thermal")}}}},

		// MOSFETs.
		{"M1 d g s b nmod", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod"}},
		{"M1 d g s b nmod L=1u W=10u", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{params: []Param{p("l", 1e-6), p("w", 10e-6)}}}},
		{"m3 9 9 3 0 nmod w=5u   l=5u", Element{Name: "m3", Kind: 'm', Nodes: []string{"9", "9", "3", "0"}, Model: "nmod", extra: &elementExtra{params: []Param{p("w", 5e-6), p("l", 5e-6)}}}},
		{"M1 d g s b nmod L=2u W=4u AD=1p AS=2p PD=3u PS=4u NRD=1 NRS=2 off IC=1,2,3 m=2 temp=30",
			Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{args: []Arg{word("off")}, params: []Param{p("l", 2e-6), p("w", 4e-6), p("ad", 1e-12), p("as", 2e-12), p("pd", 3e-6), p("ps", 4e-6),
				p("nrd", 1), p("nrs", 2), list("ic", 1, 2, 3), p("m", 2), p("temp", 30)}}}},
		{"M1 d g s b nmod IC=1, 2, 3", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{params: []Param{list("ic", 1, 2, 3)}}}},
		{"M1 d g s b nmod ic = 1 ,2", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{params: []Param{list("ic", 1, 2)}}}},
		{"M1 d g s b nmod ic=1 2 off", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{args: []Arg{word("off")}, params: []Param{list("ic", 1, 2)}}}},
		{"M1 d g s b nmod ic=5", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{params: []Param{list("ic", 5)}}}},
		{"M1 d g s b nmod ic={1},'2'\n+ ,3 w=1u", Element{Name: "m1", Kind: 'm', Nodes: []string{"d", "g", "s", "b"}, Model: "nmod", extra: &elementExtra{params: []Param{list("ic", 1, 2, 3), p("w", 1e-6)}}}},

		// BJTs: the 4th word is the substrate node unless it names a model.
		{"Q1 c b e qmod", Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e"}, Model: "qmod"}},
		{"Q1 c b e sub qmod", Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e", "sub"}, Model: "qmod"}},
		{"Q1 c b e sub tj qmod", Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e", "sub", "tj"}, Model: "qmod"}},
		{"Q1 3 2 0 4 qmod2", Element{Name: "q1", Kind: 'q', Nodes: []string{"3", "2", "0", "4"}, Model: "qmod2"}},
		{"Q1 c b e qmod 2", Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e"}, Model: "qmod", extra: &elementExtra{args: []Arg{num(2)}}}},
		{"Q1 c b e qmod off", Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e"}, Model: "qmod", extra: &elementExtra{args: []Arg{word("off")}}}},
		{"Q1 c b e s qmod 1.5 off IC=0.6,5.0 areab=2 areac=3 m=2 temp=50 dtemp=1",
			Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e", "s"}, Model: "qmod", extra: &elementExtra{args: []Arg{num(1.5), word("off")}, params: []Param{list("ic", 0.6, 5), p("areab", 2), p("areac", 3), p("m", 2), p("temp", 50), p("dtemp", 1)}}}},
		{"Q1 c b e qmod area=2 ic=0.7", Element{Name: "q1", Kind: 'q', Nodes: []string{"c", "b", "e"}, Model: "qmod", extra: &elementExtra{params: []Param{p("area", 2), list("ic", 0.7)}}}},
		{"q_q2 11 8 6 qmod", Element{Name: "q_q2", Kind: 'q', Nodes: []string{"11", "8", "6"}, Model: "qmod"}},

		// Switches.
		{"S1 a b c d smod", Element{Name: "s1", Kind: 's', Nodes: []string{"a", "b", "c", "d"}, Model: "smod"}},
		{"S1 a b c d smod ON", Element{Name: "s1", Kind: 's', Nodes: []string{"a", "b", "c", "d"}, Model: "smod", extra: &elementExtra{args: []Arg{word("on")}}}},
		{"S1 a b c 0 smod off", Element{Name: "s1", Kind: 's', Nodes: []string{"a", "b", "c", "0"}, Model: "smod", extra: &elementExtra{args: []Arg{word("off")}}}},
		{"S1 a b c d smod m=2", Element{Name: "s1", Kind: 's', Nodes: []string{"a", "b", "c", "d"}, Model: "smod", extra: &elementExtra{params: []Param{p("m", 2)}}}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src+testModels)
		if len(c.Elements) != 1 {
			t.Errorf("%q: got %d elements, want 1", tc.src, len(c.Elements))
			continue
		}
		got := *c.Elements[0]
		if len(got.NodePos) != len(got.Nodes) {
			t.Errorf("%q: %d node positions for %d nodes", tc.src, len(got.NodePos), len(got.Nodes))
		}
		got.Pos, got.NodePos, got.ValuePos = Pos{}, nil, Pos{}
		got.extra = withoutPlaces(got.extra)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.src, got, tc.want)
		}
	}
}

func TestModelElementPositions(t *testing.T) {
	c := mustParse(t, "Q1 c b e\n+  sub  qmod 2 off IC=1,2\n.model qmod npn")
	q := c.Elements[0]
	want := []Pos{{"t.cir", 2, 1}, {"t.cir", 2, 4}, {"t.cir", 2, 8}, {"t.cir", 3, 4}, {"t.cir", 3, 9},
		{"t.cir", 3, 14}, {"t.cir", 3, 16}, {"t.cir", 3, 20}}
	got := []Pos{q.Pos, q.NodePos[0], q.NodePos[2], q.NodePos[3], q.ModelPos(), q.Args()[0].Pos, q.Args()[1].Pos, q.Params()[0].Pos}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions:\n got %v\nwant %v", got, want)
	}
}

func TestModelElementErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		// A missing or misplaced model name.
		{"D1 a b", []string{`t.cir:2:7: missing model: diode "d1" needs a model name`}},
		{"M1 d g s b", []string{`t.cir:2:11: missing model: MOSFET "m1" needs a model name`}},
		{"Q1 c b e", []string{`t.cir:2:9: missing model: BJT "q1" needs a model name`}},
		{"S1 a b c d", []string{`t.cir:2:11: missing model: switch "s1" needs a model name`}},
		{"M1 d g s b W=1u", []string{`t.cir:2:12: expected a model name, found "W=1u"`}},
		{"D1 a b 1", []string{`t.cir:2:8: expected a model name, found "1"`}},
		{"D1 a b m=2", []string{`t.cir:2:8: expected a model name, found "m=2"`}},
		{"D1 a b {dmod}", []string{`t.cir:2:8: expected a model name, found "{dmod}"`}},
		{"D1 a b nomod", []string{`t.cir:2:8: unknown model "nomod" (did you mean "nmod"?)`}},
		{"D1 a b 4k7", []string{`t.cir:2:8: unknown model "4k7" (values in RKM notation, like 4k7, are not supported)`}},
		{"D1 a b dbad\n.model dbad d(is=x)", []string{`t.cir:3:18: expected a number, found "x"`}},

		// Too few nodes.
		{"D1 a", []string{`t.cir:2:5: missing node: diode "d1" needs 2 nodes, found 1`}},
		{"M1 d g s", []string{`t.cir:2:9: missing node: MOSFET "m1" needs 4 nodes, found 3`}},
		{"D1 a dmod", []string{`t.cir:2:6: missing node: diode "d1" needs 2 nodes before the model name, found 1`}},
		{"M1 d g s nmod", []string{`t.cir:2:10: missing node: MOSFET "m1" needs 4 nodes before the model name, found 3`}},
		{"M1 d g s nmod W=1u", []string{`t.cir:2:10: missing node: MOSFET "m1" needs 4 nodes before the model name, found 3`}},
		{"M1 d g nmod W=1u", []string{`t.cir:2:8: missing node: MOSFET "m1" needs 4 nodes before the model name, found 2`}},
		{"Q1 c b qmod", []string{`t.cir:2:8: missing node: BJT "q1" needs 3 nodes before the model name, found 2`}},
		{"S1 a b smod", []string{`t.cir:2:8: missing node: switch "s1" needs 4 nodes before the model name, found 2`}},
		{"M1 d g s b=1", []string{`t.cir:2:10: expected a node name, found "b=1"`}},

		// BJT: 3 nodes and a model, or 4 nodes and a model; models may come later.
		{"Q1 c b e nomod", []string{`t.cir:2:10: unknown model "nomod" (did you mean "nmod"?)`}},
		{"Q1 c b e nomod off", []string{`t.cir:2:10: unknown model "nomod" (did you mean "nmod"?)`}},
		{"Q1 c b e nomod 2", []string{`t.cir:2:10: unknown model "nomod" (did you mean "nmod"?)`}},
		{"Q1 c b e s nomod", []string{`t.cir:2:12: unknown model "nomod" (did you mean "nmod"?)`}},
		{"Q1 c b e s nomod off", []string{`t.cir:2:12: unknown model "nomod" (did you mean "nmod"?)`}},
		{"Q1 c b e qmod qmod2", []string{`t.cir:2:15: unexpected "qmod2" in "q1"`}},
		{"Q1 c b e s t u qmod", []string{`t.cir:2:14: unexpected "u" in "q1"`, `t.cir:2:16: unexpected "qmod" in "q1"`}},
		{"Q1 c b e s 2 off", []string{`t.cir:2:10: unknown model "s"`}},

		// Positional words and numbers.
		{"D1 a b dmod foo", []string{`t.cir:2:13: unexpected "foo" in "d1"`}},
		{"D1 a b dmod 2 3", []string{`t.cir:2:15: unexpected "3" in "d1" (the area goes right after the model name)`}},
		{"D1 a b dmod off 2", []string{`t.cir:2:17: unexpected "2" in "d1" (the area goes right after the model name)`}},
		{"D1 a b dmod m=2 3", []string{`t.cir:2:17: unexpected "3" in "d1" (the area goes right after the model name)`}},
		{"M1 d g s b nmod 2", []string{`t.cir:2:17: unexpected "2" in "m1" (parameters are written name=value)`}},
		{"S1 a b c d smod 1", []string{`t.cir:2:17: unexpected "1" in "s1" (parameters are written name=value)`}},
		{"S1 a b c d smod on foo", []string{`t.cir:2:20: unexpected "foo" in "s1"`}},
		{"M1 d g s b nmod on", []string{`t.cir:2:17: unexpected "on" in "m1"`}},
		{"M1 d g s b nmod v(1)", []string{`t.cir:2:17: unexpected "v(1)" in "m1"`}},
		{"D1 a b dmod off off", []string{`t.cir:2:17: off given twice in "d1"`}},
		{"S1 a b c d smod on off", []string{`t.cir:2:20: "s1" cannot be both on and off`}},
		{"D1 a b dmod off=1", []string{`t.cir:2:13: unexpected "off=1" in "d1" (off takes no value)`}},
		{"D1 a b dmod 2 area=3", []string{`t.cir:2:15: area of "d1" given twice`}},
		{"D1 a b dmod x", []string{`t.cir:2:13: unexpected "x" in "d1"`}},
		{"D1 a b dmod {x}", []string{`t.cir:2:14: unknown parameter "x"`}},
		{"Dth1 1 0 tj dmod thermal thermal", []string{`t.cir:2:26: thermal given twice in "dth1"`}},

		// Parameters and lists.
		{"D1 a b dmod m=x", []string{`t.cir:2:15: expected a number, found "x"`}},
		{"D1 a b dmod ic=1,2", []string{`t.cir:2:18: ic of "d1" takes a single value`}},
		{"D1 a b dmod m=1, 2, 3 off", []string{`t.cir:2:18: m of "d1" takes a single value`}},
		{"Q1 c b e qmod ic=1,2,3", []string{`t.cir:2:22: ic of "q1" takes at most 2 values (ic=vbe,vce), found 3`}},
		{"M1 d g s b nmod ic=1,2,3,4", []string{`t.cir:2:26: ic of "m1" takes at most 3 values (ic=vds,vgs,vbs), found 4`}},
		{"M1 d g s b nmod ic=1,x", []string{`t.cir:2:22: unexpected "x" in "m1"`}},
		{"M1 d g s b nmod ic=1,{x}", []string{`t.cir:2:23: unknown parameter "x"`}},
		{"M1 d g s b nmod ic=x", []string{`t.cir:2:20: expected a number, found "x"`}},
		{"M1 d g s b nmod ic=,1", []string{`t.cir:2:20: unexpected ',' after '='`}},
		{"M1 d g s b nmod ic=", []string{`t.cir:2:19: missing value after '='`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src+testModels)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestTemp(t *testing.T) {
	c := mustParse(t, ".temp 100")
	if !c.HasTemp || c.Temp != 100 || c.TempPos != (Pos{"t.cir", 2, 7}) {
		t.Errorf("temp %v %v %v", c.Temp, c.HasTemp, c.TempPos)
	}
	c = mustParse(t, ".TEMP -40 27\n.temp {50}")
	if !c.HasTemp || c.Temp != 50 || c.TempPos != (Pos{"t.cir", 3, 7}) {
		t.Errorf("temp %v %v %v", c.Temp, c.HasTemp, c.TempPos)
	}
	if c = mustParse(t, ".options temp=50"); c.HasTemp || c.Temp != 0 {
		t.Errorf(".options temp set .temp: %v", c.Temp)
	}
}

func TestModelVersion(t *testing.T) {
	c := mustParse(t, `.model m1 nmos level=8 version=3.3.0 tox=1n
.model m2 nmos (LEVEL=49 VERSION = 3.1)
.model m3 pmos level=54 version=4.8.1
.model m4 nmos level=1`)
	want := map[string]string{"m1": "3.3.0", "m2": "3.1", "m3": "4.8.1", "m4": ""}
	for name, v := range want {
		m := c.Models[name]
		if m.Version != v {
			t.Errorf("%s: version %q, want %q", name, m.Version, v)
		}
		for _, p := range m.Params {
			if p.Name == "version" {
				t.Errorf("%s: version in Params", name)
			}
		}
	}
	if p := c.Models["m1"].Params; len(p) != 2 || p[0].Name != "level" || p[0].Value != 8 || p[1].Name != "tox" {
		t.Errorf("m1 params %+v", p)
	}
	if pos := c.Models["m1"].VersionPos; pos != (Pos{"t.cir", 2, 32}) {
		t.Errorf("version position %v", pos)
	}
}
