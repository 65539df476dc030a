package parser

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

func TestControlledSources(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"E1 out 0 in 0 2.5m", "e1(out,0,in,0)=0.0025"},
		{"E1 out 0 in 0 {2*3}", "e1(out,0,in,0)=6"},
		{"G1 out 0 in 0 1.5m", "g1(out,0,in,0)=0.0015"},
		{"G1 out 0, in, 0, 1.5m", "g1(out,0,in,0)=0.0015"},
		{"E1 out 0 value={v(in)*2}", "e1(out,0)=value:v(in)*2"},
		{"E1 out 0 VALUE = {V(IN) * 2}", "e1(out,0)=value:v(in)*2"},
		{"E1 out 0 vol='v(a,b)*2'", "e1(out,0)=value:v(a,b)*2"},
		{"G1 out 0 cur='v(a)/1k'", "g1(out,0)=value:v(a)/1000"},
		{"G1 out 0 value={1m}", "g1(out,0)=value:0.001"},
		{"B1 out 0 V={v(a)*2}", "b1(out,0)=v:v(a)*2"},
		{"B1 out 0 I='v(a) > 1 ? 1m : 0'", "b1(out,0)=i:v(a)>1 ? 0.001 : 0"},
		{"B1 out 0 v = v(1) == 1 ? 5 : 6", "b1(out,0)=v:v(1)==1 ? 5 : 6"}, // no quotes, spaces, ==
		{"B1 out 0 v=v(a)>=1&&time<1u ? 1 : 0", "b1(out,0)=v:v(a)>=1&&time<1e-06 ? 1 : 0"},
		{"B1 out 0 i=1m", "b1(out,0)=i:0.001"},
		{"B1 out 0 v=1 tc1=1m", "b1(out,0)=v:1"},
		{"B1 out 0 v={2*v(a)}\n+ + v(b)", "b1(out,0)=v:2*v(a)+v(b)"},
		{"Vx a b 0\nF1 c 0 vx 3.33\nH1 d 0 VX 4.44", "vx(a,b)=0 f1(c,0)=3.33<vx> h1(d,0)=4.44<vx>"},
		{"H1 d 0 vx 4.44\nVx a b 0", "h1(d,0)=4.44<vx> vx(a,b)=0"}, // the source may come later
		{"L1 a 0 1u\nL2 b 0 1u\nK1 L1 L2 0.5", "l1(a,0)=1e-06 l2(b,0)=1e-06 k1()=0.5<l1,l2>"},
		{".param k=0.2\nL1 a 0 1u\nL2 b 0 1u\nK1 L1 L2 {k*2}", "l1(a,0)=1e-06 l2(b,0)=1e-06 k1()=0.4<l1,l2>"},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if got := flat(c); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
	c := mustParse(t, "Vx a b 0\n F1 c 0 vx 3.33\nB1 out 0 V={v(a) + 1}\nE1 x 0 y 0 2")
	f, b, e := c.Elements[1], c.Elements[2], c.Elements[3]
	if f.Pos != (Pos{"t.cir", 3, 2}) || f.ControlPos()[0] != (Pos{"t.cir", 3, 9}) || f.ValuePos != (Pos{"t.cir", 3, 12}) || !f.HasValue {
		t.Errorf("f1 positions: %+v", f)
	}
	if b.ValuePos != (Pos{"t.cir", 4, 12}) || b.NodePos[1] != (Pos{"t.cir", 4, 8}) || len(b.Params()) != 0 {
		t.Errorf("b1: %+v", b)
	}
	if !e.HasValue || e.Expr() != nil || len(e.NodePos) != 4 {
		t.Errorf("e1: %+v", e)
	}
	// name=value after the gain of a linear source goes to Params (ngspice's m= on G and F).
	c = mustParse(t, "G1 out 0 in 0 1.5m m=3\nVx a b 0\nF1 c 0 vx 2, m={1+1}\nE1 x 0 y 0 {2*3} m=2")
	for i, want := range []struct {
		gain, m float64
	}{{1.5e-3, 3}, {0, 0}, {2, 2}, {6, 2}} {
		el := c.Elements[i]
		if el.Kind == 'v' {
			continue
		}
		if p, ok := el.Param("m"); el.Value != want.gain || !ok || p.Value != want.m || len(el.Params()) != 1 {
			t.Errorf("%s: value %g params %+v, want %g and m=%g", el.Name, el.Value, el.Params(), want.gain, want.m)
		}
	}
	c = mustParse(t, "B1 out 0 v=1 tc1=1m tc2={2*3}")
	if got := c.Elements[0].Params(); len(got) != 2 || got[0].Name != "tc1" || got[0].Value != 1e-3 || got[1].Value != 6 {
		t.Errorf("b1 params: %+v", got)
	}
	// A parameter that depends on temper keeps its expression, with Value its value at
	// 27 °C, as on an R line.
	for _, src := range []string{"B1 out 0 v=1 tc1='temper*1e-3'", "E1 out 0 value={v(a)} tc1='temper*1e-3'", "R1 a 0 1k tc1='temper*1e-3'"} {
		p, ok := mustParse(t, src).Elements[0].Param("tc1")
		if !ok || p.Value != 0.027 || p.Expr == nil || expr.String(p.Expr) != "temper*0.001" {
			t.Errorf("%s: tc1 = %+v", src, p)
		}
	}
	if v, err := expr.Eval(mustParse(t, "B1 out 0 v={v(a)*2+time}").Elements[0].Expr(), map[string]float64{"v(a)": 1, "time": 0.5}); err != nil || v != 2.5 {
		t.Errorf("eval: %g %v", v, err)
	}
}

func TestControlledSourceErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"E1 out 0 table (0,0) (1,1)", []string{`t.cir:2:16: e1: expected {expression} after TABLE: TABLE {expr} = (x1,y1) (x2,y2) ...`}},
		{"E1 out 0 table {v(a)} = (0,0) (1)", []string{`t.cir:2:10: e1: TABLE needs (x,y) pairs, found 3 numbers: TABLE {expr} = (x1,y1) (x2,y2) ...`}},
		{"E1 out 0 table {v(a)} = (1,0) (1,1)", []string{`t.cir:2:10: e1: the x values of TABLE must increase (1 after 1)`}},
		{"G1 out 0 table {v(a)} = (0,0) (1,x)", []string{`t.cir:2:34: g1: expected a number in the table, found "x": TABLE {expr} = (x1,y1) (x2,y2) ...`}},
		{"E1 out 0 table {v(a)+} = (0,0) (1,1)", []string{`t.cir:2:22: unexpected end of expression`}},
		{"E1 out 0 laplace {v(a)} = {1/(1+s)}", []string{`t.cir:2:10: LAPLACE is not supported (in "e1")`}},
		{"E1 out 0 in 0", []string{`t.cir:2:14: missing gain: Ename n+ n- nc+ nc- gain, or Ename n+ n- value={expr}`}},
		{"E1 out 0 in", []string{`t.cir:2:12: missing node: VCVS "e1" needs 4 nodes, found 3`}},
		{"E1 out", []string{`t.cir:2:7: missing node: VCVS "e1" needs 2 nodes, found 1`}},
		{"E1 out 0", []string{`t.cir:2:9: missing controlling nodes and gain: Ename n+ n- nc+ nc- gain, or Ename n+ n- value={expr}`}},
		{"E1 out 0 in 0 {v(x)}", []string{`t.cir:2:15: the gain of "e1" must be a constant, not depend on v(x) (use value={expr})`}},
		{"E1 out 0 cur={1}", []string{`t.cir:2:10: unexpected cur= in "e1": Ename n+ n- nc+ nc- gain, or Ename n+ n- value={expr}`}},
		{"G1 out 0 value={v(a)} value={1}", []string{`t.cir:2:23: duplicate parameter "value" of "g1"`}},
		{"E1 out 0 value=", []string{`t.cir:2:15: missing value after '='`}},
		{"E1 out 0 value={v(a)+}", []string{`t.cir:2:22: unexpected end of expression`}},
		{"B1 out 0", []string{`t.cir:2:9: missing expression: Bname n+ n- V={expr} or I={expr}`}},
		{"B1 out 0 {v(a)}", []string{`t.cir:2:10: expected V={expr} or I={expr}, found "{v(a)}"`}},
		{"B1 out 0 r={v(a)}", []string{`t.cir:2:10: unexpected r= in "b1": Bname n+ n- V={expr} or I={expr}`}},
		{"B1 out 0 v={v(a)} i={1}", []string{`t.cir:2:19: "b1" has two expressions (v= and i=)`}},
		{"B1 out 0 v={i(vnone)}", []string{`t.cir:2:13: unknown element "vnone" in i()`}},
		{"B1 out 0 v={v(a) + k}", []string{`t.cir:2:20: unknown parameter "k"`}},
		{"B1 out 0 v={v(a)} tc1={v(b)}", []string{`t.cir:2:19: tc1 must not depend on v(b)`}},
		{"F1 c 0 vx 2", []string{`t.cir:2:8: unknown voltage source "vx" in "f1"`}},
		{"R1 a b 1\nH1 c 0 r1 2", []string{`t.cir:3:8: "r1" in "h1" is not a voltage source`}},
		{"Vx a b 0\nF1 c 0 vx", []string{`t.cir:3:10: missing gain: Fname n+ n- vname gain`}},
		{"F1 c 0", []string{`t.cir:2:7: missing controlling source: Fname n+ n- vname gain`}},
		{"Vx a b 0\nF1 c 0 {x} 2", []string{`t.cir:3:8: expected the name of the controlling voltage source, found "{x}"`}},
		{"Vx a b 0\nF1 c 0 vx 2 3", []string{`t.cir:3:13: unexpected "3" in "f1"`}},
		{"Vx a b 0\nF1 c 0 vx {v(a)}", []string{`t.cir:3:11: not a constant: the value depends on v(a)`}},
		{"L1 a 0 1u\nK1 L1 L2 0.5", []string{`t.cir:3:7: unknown inductor "l2" in "k1"`}},
		{"L1 a 0 1u\nR2 a 0 1\nK1 L1 R2 0.5", []string{`t.cir:4:7: expected an inductor name, found "R2"`}},
		{"L1 a 0 1u\nL2 a 0 1u\nK1 L1 L2", []string{`t.cir:4:9: missing coupling factor: Kname L1 L2 k`}},
		{"K1 L1", []string{`t.cir:2:6: missing inductor: Kname L1 L2 k`}},
		{"Lx a 0 1\nLy a 0 1\nK1 Lx Ly 0.1 2", []string{`t.cir:4:14: unexpected "2" in "k1"`}},
	}
	for _, tc := range tests {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestNewWaveforms(t *testing.T) {
	tests := []struct {
		src  string
		want Waveform
	}{
		{"V1 a 0 SFFM(0 1 1k 5 100)", Waveform{Kind: "sffm", Args: []float64{0, 1, 1e3, 5, 100}}},
		{"V2 10 0 SFFM 0.1 2 200 45 10k 1m 0 0", Waveform{Kind: "sffm", Args: []float64{0.1, 2, 200, 45, 10e3, 1e-3, 0, 0}}},
		{"I1 0 1 AM 0.5 2 1.8 1k 100k 1m 0 0", Waveform{Kind: "am", Args: []float64{0.5, 2, 1.8, 1e3, 100e3, 1e-3, 0, 0}}},
		{"V1 a 0 am(1 0)", Waveform{Kind: "am", Args: []float64{1, 0}}},
		{"V1 a 0 dc 0 trnoise(10n 0.5n 0 0)", Waveform{Kind: "trnoise", Args: []float64{10e-9, 0.5e-9, 0, 0}}},
		{".param t=0.12\nVR2 r2 0 dc 0 trrandom (2 't' 0 1)", Waveform{Kind: "trrandom", Args: []float64{2, 0.12, 0, 1}}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		w := *c.Elements[0].Source().Wave
		w.Pos = Pos{}
		if !reflect.DeepEqual(w, tc.want) {
			t.Errorf("%q: got %+v, want %+v", tc.src, w, tc.want)
		}
	}
	errs := []struct {
		src  string
		want []string
	}{
		{"V1 a 0 sffm(0 1 2 3 4 5 6 7 8)", []string{`t.cir:2:29: sffm takes 2 to 8 arguments (vo va [fc mdi fs ...]), found 9`}},
		{"V1 a 0 am(1)", []string{`t.cir:2:8: am takes 2 to 8 arguments (va vo [mf fc td ...]), found 1`}},
		{"V1 a 0 trrandom(1 2 3 4 5 6)", []string{`t.cir:2:27: trrandom takes 2 to 5 arguments (type ts [td param1 param2]), found 6`}},
	}
	for _, tc := range errs {
		got := parseErrors(t, tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// TestEGateForms: PSpice's logic-gate E sources (examples/digital/compare/adder_esource.cir)
// are XSPICE code models in ngspice 39: refused at the gate's word; a node named nand
// is still a node.
func TestEGateForms(t *testing.T) {
	errs := parseErrors(t, "E1 out 0 nand(2) a 0 b 0 (1, 0) (2, 3)\nR1 out 0 1k\n")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], `t.cir:2:10: NAND(n), a logic gate form of the controlled source, is an XSPICE multi_input_pwl code model in ngspice 39`) {
		t.Errorf("got %q", errs)
	}
	mustParse(t, "E1 out 0 nand 0 2\nR1 out 0 1k\nR2 nand 0 1k\n")
}
