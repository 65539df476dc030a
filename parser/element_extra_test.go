package parser

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/gospice/gospice/parser/expr"
)

// TestElementExtra: a plain R or C line leaves the element's rare fields unmade (the
// element is 152 bytes on a 64-bit machine), the lines that have them read them back
// through the methods, and an element copied by value and changed with the setters
// leaves the original as it was (as .alter, .step and the devices' fixed copies do).
func TestElementExtra(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) == 8 {
		if got := unsafe.Sizeof(Element{}); got != 152 {
			t.Errorf("an Element is %d bytes, want 152", got)
		}
	}
	c := mustParse(t, strings.Join([]string{
		"R1 a b 1k", "C1 b 0 1p",
		"R2 a b 1k m=2",
		"V1 a 0 DC 1 AC 1",
		"B1 c 0 v={v(a)*2}",
		"D1 b 0 dmod 2 off",
		"YMEMRISTOR y1 p n mm",
		".model dmod d", ".model mm memristor",
	}, "\n"))
	byName := map[string]*Element{}
	for _, el := range c.Elements {
		byName[el.Name] = el
	}
	for _, name := range []string{"r1", "c1"} {
		if el := byName[name]; el.extra != nil {
			t.Errorf("%s: rare fields made: %+v", name, *el.extra)
		}
	}
	if p, ok := byName["r2"].Param("m"); !ok || p.Value != 2 || len(byName["r2"].Params()) != 1 {
		t.Errorf("r2: params %+v", byName["r2"].Params())
	}
	if s := byName["v1"].Source(); s == nil || s.DC != 1 || !s.HasAC || s.ACMag != 1 {
		t.Errorf("v1: source %+v", s)
	}
	if b := byName["b1"]; b.Expr() == nil || b.ExprKind() != "v" {
		t.Errorf("b1: expression %v of kind %q", b.Expr(), b.ExprKind())
	}
	d := byName["d1"]
	if a := d.Args(); len(a) != 2 || !a[0].IsNumber || a[0].Number != 2 || a[1].Word != "off" {
		t.Errorf("d1: args %+v", a)
	}
	if d.ModelPos().Line != 7 || d.ModelPos().Col != 8 {
		t.Errorf("d1: model at %v, want line 7 col 8", d.ModelPos())
	}
	if y := byName["y1"]; y.Type() != "memristor" {
		t.Errorf("y1: type %q", y.Type())
	}
	if el := (&Element{}); el.Type() != "" || el.Args() != nil || el.Params() != nil || el.Source() != nil ||
		el.ModelPos() != (Pos{}) || el.Expr() != nil || el.ExprKind() != "" || el.Controls() != nil || el.Poly() != nil {
		t.Errorf("an empty element's rare fields are not empty: %+v", el)
	}

	for _, name := range []string{"r1", "r2", "v1", "b1", "d1", "y1"} {
		orig := byName[name]
		before := *orig
		if orig.extra != nil {
			x := *orig.extra
			before.extra = &x
		}
		cp := *orig
		cp.SetType("t")
		cp.SetArgs([]Arg{{Word: "w"}})
		cp.SetParams([]Param{{Name: "p"}})
		cp.SetSource(&Source{DC: 5})
		cp.SetModelPos(Pos{Line: 99})
		cp.SetExpr(&expr.Num{Value: 1}, "value")
		if !reflect.DeepEqual(*orig, before) {
			t.Errorf("%s: changed through a copy:\n got %+v\nwant %+v", name, orig, before)
		}
		if cp.Type() != "t" || cp.Args()[0].Word != "w" || cp.Params()[0].Name != "p" || cp.Source().DC != 5 ||
			cp.ModelPos().Line != 99 || cp.ExprKind() != "value" || !reflect.DeepEqual(cp.Controls(), orig.Controls()) {
			t.Errorf("%s: the copy's setters did not take: %+v", name, cp.extra)
		}
	}
}
