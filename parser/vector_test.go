package parser

import (
	"reflect"
	"strings"
	"testing"
)

// TestTypedVectors checks the fields of .print, .save and .meas vectors, and that
// String builds Name back from them.
func TestTypedVectors(t *testing.T) {
	tests := []struct {
		text string
		want Vector // Pos is not compared
	}{
		{"v(out)", Vector{Name: "v(out)", Kind: VectorVoltage, Nodes: []string{"out"}}},
		{"V(A,GND)", Vector{Name: "v(a,0)", Kind: VectorVoltage, Nodes: []string{"a", "0"}}},
		{"out", Vector{Name: "v(out)", Kind: VectorVoltage, Nodes: []string{"out"}, Bare: true}},
		{"gnd", Vector{Name: "v(0)", Kind: VectorVoltage, Nodes: []string{"0"}, Bare: true}},
		{"vm(out)", Vector{Name: "vm(out)", Kind: VectorVoltage, Nodes: []string{"out"}, Part: ACMag}},
		{"vp(out)", Vector{Name: "vp(out)", Kind: VectorVoltage, Nodes: []string{"out"}, Part: ACPhase}},
		{"VDB(out)", Vector{Name: "vdb(out)", Kind: VectorVoltage, Nodes: []string{"out"}, Part: ACDB}},
		{"vr(a,b)", Vector{Name: "vr(a,b)", Kind: VectorVoltage, Nodes: []string{"a", "b"}, Part: ACReal}},
		{"vi(out)", Vector{Name: "vi(out)", Kind: VectorVoltage, Nodes: []string{"out"}, Part: ACImag}},
		{"i(V1)", Vector{Name: "i(v1)", Kind: VectorCurrent, Device: "v1"}},
		{"v1#branch", Vector{Name: "i(v1)", Kind: VectorCurrent, Device: "v1"}},
		{"im(v1)", Vector{Name: "im(v1)", Kind: VectorCurrent, Device: "v1", Part: ACMag}},
		{"ip(v1)", Vector{Name: "ip(v1)", Kind: VectorCurrent, Device: "v1", Part: ACPhase}},
		{"idb(v1)", Vector{Name: "idb(v1)", Kind: VectorCurrent, Device: "v1", Part: ACDB}},
		{"ir(v1)", Vector{Name: "ir(v1)", Kind: VectorCurrent, Device: "v1", Part: ACReal}},
		{"ii(v1)", Vector{Name: "ii(v1)", Kind: VectorCurrent, Device: "v1", Part: ACImag}},
		{"i(x1.vx)", Vector{Name: "i(x1.vx)", Kind: VectorCurrent, Device: "x1.vx"}},
		{"state(y1.f)", Vector{Name: "state(y1.f)", Kind: VectorState, Device: "y1", Var: "f"}},
		{"state(x1.y1.f)", Vector{Name: "state(x1.y1.f)", Kind: VectorState, Device: "x1.y1", Var: "f"}},
		{"state(y1)", Vector{Name: "state(y1)", Kind: VectorState, Device: "y1"}},
		{"all", Vector{Name: "all", Kind: VectorAll}},
		{"@r1[i]", Vector{Name: "@r1[i]", Kind: VectorInternal, Device: "r1", Var: "i"}},
		{"@m1", Vector{Name: "@m1", Kind: VectorInternal, Device: "m1"}},
	}
	for _, tc := range tests {
		c := mustParse(t, ".print ac "+tc.text+"\n.save "+tc.text)
		for i, got := range []Vector{c.Prints[0].Vectors[0], c.Saves[0]} {
			got.Pos = Pos{}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q (%d): got %#v, want %#v", tc.text, i, got, tc.want)
			}
			if got.String() != got.Name {
				t.Errorf("%q: String %q, Name %q", tc.text, got.String(), got.Name)
			}
		}
	}
	if (Vector{}).String() != "" {
		t.Errorf("zero vector: %q", Vector{}.String())
	}
}

// TestMeasureVectors checks the typed vectors of .meas signals.
func TestMeasureVectors(t *testing.T) {
	c := mustParse(t, ".meas ac m1 max vdb(out)\n.meas tran m2 find i(v1) at=1m\n.meas tran m3 avg par('v(a)*2')")
	if v := c.Measures[0].Signal.Vector; v.Kind != VectorVoltage || v.Part != ACDB || v.Nodes[0] != "out" || v.String() != "vdb(out)" {
		t.Errorf("m1: %#v", v)
	}
	if v := c.Measures[1].Signal.Vector; v.Kind != VectorCurrent || v.Device != "v1" || v.String() != "i(v1)" {
		t.Errorf("m2: %#v", v)
	}
	if v := c.Measures[2].Signal.Vector; v.Kind != 0 || v.String() != "" || v.Name != "" {
		t.Errorf("m3: %#v", v)
	}
}

// TestVectorErrors checks that invalid vectors stay errors at their places.
func TestVectorErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{".print tran v(a,b,c)", "t.cir:2:13: v() takes 1 or 2 nodes, found 3"},
		{".print tran i(a,b)", "t.cir:2:13: i() takes 1 argument, found 2"},
		{".save foo(a)", `t.cir:2:7: unknown output function "foo" (expected v, i, state, vm, vp, vdb, vr or vi)`},
		{".save v(a)=1", `t.cir:2:7: expected an output vector, found "v(a)=1"`},
	}
	for _, tc := range tests {
		if got := strings.Join(parseErrors(t, tc.src), "\n"); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}
