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

// TestPWL: the B source's pwl(x, x1, y1, ...), the line through the points continued
// with the end slopes (the gold values of tests/regression/parser/bxpressn-1.cir, which
// ngspice 39 passes: -98, 2.5, 6 and 97), evaluated directly and folded.
func TestPWL(t *testing.T) {
	const pts = "-10, -8, 2, 4, 12, 9, 22, 19"
	tests := []struct {
		text string
		x    float64
		want float64
	}{
		{"pwl(x, " + pts + ")", -100, -98}, {"pwl(x, " + pts + ")", 0.5, 2.5},
		{"pwl(x, " + pts + ")", 6, 6}, {"pwl(x, " + pts + ")", 100, 97},
		{"pwl(x, " + pts + ")", 2, 4}, {"pwl(x, " + pts + ")", 17, 14},
		{"pwl(x, 0, 1, 2, 5)", -1, -1}, {"pwl(x, 0, 1, 2, 5)", 3, 7}, // one segment: a line
		{"pwl(x, 0, 1, 1, 2, 2, 0)", 5, -6}, // two segments, the last continued
		{"pwl(x, 3, 4)", 100, 4},            // one point: a constant
	}
	for _, tc := range tests {
		n, err := Parse(tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		v, err := Eval(n, map[string]float64{"x": tc.x})
		if err != nil || math.Abs(v-tc.want) > 1e-12 {
			t.Errorf("%s at x=%g: Eval %g (%v), want %g", tc.text, tc.x, v, err, tc.want)
		}
		f, err := Fold(n, func(name string) (float64, bool) { return tc.x, name == "x" }, nil)
		if c, ok := IsConst(f); err != nil || !ok || math.Abs(c-tc.want) > 1e-12 {
			t.Errorf("%s at x=%g: Fold %s (%v), want %g", tc.text, tc.x, String(f), err, tc.want)
		}
	}
	for text, want := range map[string]string{
		"pwl(1, 2)":          "pwl() takes x and pairs of points (x, x1, y1, x2, y2, ...), found 2 arguments",
		"pwl(1)":             "pwl() takes x and pairs of points (x, x1, y1, x2, y2, ...), found 1 argument",
		"pwl(1, 2, 0, 1, 0)": "pwl(): the x values must increase (1 after 2)",
	} {
		n, _ := Parse(text)
		if _, err := Fold(n, nil, nil); err == nil || err.Error() != "offset 0: "+want {
			t.Errorf("%s: %v, want %q", text, err, want)
		}
	}
}
