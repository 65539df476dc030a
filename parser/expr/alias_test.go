package expr

import (
	"math"
	"strings"
	"testing"
)

// TestAliases: ngspice's sqr, arctan and eq0 ... le0 (values measured with ngspice 39:
// .param p={sqr(0.5)} is 0.25, {arctan(0.5)} 0.4636476; a B source of eq0(v(a)) at
// v(a) = -0.3 is 0, ne0 1, gt0 0, lt0 1, ge0 0, le0 1), evaluated directly and folded,
// with the variable x kept for the fold.
func TestAliases(t *testing.T) {
	tests := []struct {
		text string
		x    float64
		want float64
	}{
		{"sqr(x)", 0.5, 0.25}, {"sqr(x)", -3, 9}, {"arctan(x)", 0.5, math.Atan(0.5)},
		{"eq0(x)", -0.3, 0}, {"ne0(x)", -0.3, 1}, {"gt0(x)", -0.3, 0},
		{"lt0(x)", -0.3, 1}, {"ge0(x)", -0.3, 0}, {"le0(x)", -0.3, 1},
		{"eq0(x)", 0, 1}, {"ge0(x)", 0, 1}, {"le0(x)", 0, 1}, {"gt0(x)", 0, 0},
		{"sqr(x+1)*2", 1, 8},
	}
	for _, tc := range tests {
		n, err := Parse(tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		v, err := Eval(n, map[string]float64{"x": tc.x})
		if err != nil || v != tc.want {
			t.Errorf("%s at x=%g: Eval %g (%v), want %g", tc.text, tc.x, v, err, tc.want)
		}
		f, err := Fold(n, func(name string) (float64, bool) {
			return tc.x, name == "x"
		}, nil)
		if c, ok := IsConst(f); err != nil || !ok || c != tc.want {
			t.Errorf("%s at x=%g: Fold %s (%v), want %g", tc.text, tc.x, String(f), err, tc.want)
		}
	}
	n, _ := Parse("sqr(1,2)")
	if _, err := Fold(n, nil, nil); err == nil || !strings.Contains(err.Error(), "sqr() takes 1 argument, found 2") {
		t.Errorf("sqr(1,2): %v, want an argument count error", err)
	}
	n, _ = Parse("sqr(3)")
	f, err := Fold(n, nil, map[string]*Func{"sqr": {Params: []string{"y"}, Body: &Num{Value: 7}}})
	if c, ok := IsConst(f); err != nil || !ok || c != 7 {
		t.Errorf("a .func sqr: %s (%v), want 7", String(f), err)
	}
}
