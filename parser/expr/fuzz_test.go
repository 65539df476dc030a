package expr

import (
	"errors"
	"testing"
)

// FuzzExprParse feeds Parse, Fold, Eval and String arbitrary text: none may panic, errors
// must be *Error with an offset inside the text, String's text must read back, and
// folding must not change the value: where the expression and its folded form both
// evaluate, with the parameters given as variables, they give the same number.
func FuzzExprParse(f *testing.F) {
	for _, s := range []string{
		"1+2*3", "-2^2", "2^3^2", "a ? b : c ? d : e", "v(out) * i(vx) + v(a, b)", "f(1, g(2))",
		"!0 && 1 || 0", "{1+2}", "1e999", "sq(x)", "rec(1)", "pwr(-2, 3) % 0", "u(0) + uramp(-1)",
		"time*temper/hertz", "1 <> 2 <= 3 >= 4 == 5 != 6", "((((1))))", "v(", "i(a,b)", "'", "a = b",
		"limit(5,0,3) + nint(2.5) + int(-2.5)", "2**-1", "\xff", "ternary_fcn(zero, 1/zero, 1)",
	} {
		f.Add(s)
	}
	sq, _ := Parse("x*x")
	rec, _ := Parse("rec(x)+1")
	funcs := map[string]*Func{"sq": {Params: []string{"x"}, Body: sq}, "rec": {Params: []string{"x"}, Body: rec}}
	lookup := func(name string) (float64, bool) {
		v, ok := map[string]float64{"a": 1, "b": 0, "c": -2, "x": 3, "zero": 0}[name]
		return v, ok
	}
	vars := map[string]float64{"a": 1, "time": 1e-9, "temper": 27, "hertz": 1e3, "v(out)": 1, "i(vx)": 2}
	// The parameters of lookup as variables too, for Eval of the unfolded expression.
	all := map[string]float64{"b": 0, "c": -2, "x": 3, "zero": 0}
	for k, v := range vars {
		all[k] = v
	}
	check := func(t *testing.T, text string, err error) {
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: error %T %v", text, err, err)
		}
		if e.Offset < 0 || e.Offset > len(text) {
			t.Fatalf("%q: offset %d outside the text", text, e.Offset)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		n, err := Parse(text)
		check(t, text, err)
		if err != nil {
			return
		}
		s := String(n)
		if _, err := Parse(s); err != nil {
			t.Fatalf("%q: String %q does not parse: %v", text, s, err)
		}
		_, err = Eval(n, vars)
		check(t, text, err)
		folded, err := Fold(n, lookup, funcs)
		check(t, text, err)
		if err == nil {
			if _, err := Parse(String(folded)); err != nil {
				t.Fatalf("%q: folded %q does not parse: %v", text, String(folded), err)
			}
			Eval(folded, vars)
			want, err1 := Eval(n, all)
			got, err2 := Eval(folded, all)
			if err1 == nil && err2 == nil && got != want && !(got != got && want != want) {
				t.Fatalf("%q = %v, but folded to %q = %v", text, want, String(folded), got)
			}
		}
	})
}
