package expr

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestRandomDistributions draws each random function many times and compares the mean
// and the standard deviation of the draws with their analytic values, within 4 standard
// errors.
func TestRandomDistributions(t *testing.T) {
	const n = 40000
	u := 1 / math.Sqrt(3) // the standard deviation of U(-1, 1)
	tests := []struct {
		fn       string
		args     []float64
		mean, sd float64
		kurtosis float64 // of the distribution: 3 normal, 1.8 uniform
	}{
		{"agauss", []float64{10, 3, 3}, 10, 1, 3},
		{"agauss", []float64{-2, 0.5, 1}, -2, 0.5, 3},
		{"gauss", []float64{10, 0.3, 3}, 10, 1, 3},   // rvar relative to nom: 10*0.3/3
		{"gauss", []float64{-4, 0.1, 2}, -4, 0.2, 3}, // the spread of a negative nom is |nom|*rvar/sigma
		{"unif", []float64{10, 0.2}, 10, 2 * u, 1.8},
		{"aunif", []float64{1, 0.5}, 1, 0.5 * u, 1.8},
		{"aunif", []float64{0, 3}, 0, 3 * u, 1.8},
	}
	for _, tc := range tests {
		r := rand.New(rand.NewPCG(1, 2))
		xs := make([]float64, n)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range xs {
			x, err := Random[tc.fn].Draw(r, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			xs[i] = x
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		mean, sd := stat.MeanStdDev(xs, nil)
		seMean := tc.sd / math.Sqrt(n)
		seSD := tc.sd * math.Sqrt((tc.kurtosis-1)/(4*n))
		if math.Abs(mean-tc.mean) > 4*seMean || math.Abs(sd-tc.sd) > 4*seSD {
			t.Errorf("%s%v: mean %g sd %g, want %g %g (standard errors %.2g %.2g)", tc.fn, tc.args, mean, sd, tc.mean, tc.sd, seMean, seSD)
		}
		if tc.kurtosis == 1.8 { // uniform: within nom ± variation
			half := tc.sd / u
			if lo < tc.mean-half || hi >= tc.mean+half || hi-lo < 1.99*half {
				t.Errorf("%s%v: draws in [%g, %g]", tc.fn, tc.args, lo, hi)
			}
		}
	}
	// limit(nom, avar): nom+avar or nom-avar, each with probability 1/2.
	r := rand.New(rand.NewPCG(3, 4))
	up := 0
	for range n {
		x, _ := Random["limit"].Draw(r, []float64{5, 2})
		switch x {
		case 7:
			up++
		case 3:
		default:
			t.Fatalf("limit(5, 2) = %g", x)
		}
	}
	if p := float64(up) / n; math.Abs(p-0.5) > 4*math.Sqrt(0.25/n) {
		t.Errorf("limit: %g of the draws above, want 1/2", p)
	}
}

// TestFoldRandom checks that FoldWith draws random functions in order from the stream
// it is given, and the errors of their calls.
func TestFoldRandom(t *testing.T) {
	stream := func() func() (*rand.Rand, error) {
		r := rand.New(rand.NewPCG(7, 8))
		return func() (*rand.Rand, error) { return r, nil }
	}
	want := rand.New(rand.NewPCG(7, 8))
	a := 1 + 2*want.NormFloat64()
	b := 3 + 3*(2*want.Float64()-1)
	fold := func(text string, rnd func() (*rand.Rand, error)) (Node, error) {
		n, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		sq, _ := Parse("agauss(x, 2, 1)")
		return FoldWith(n, FoldOptions{
			Lookup: func(name string) (float64, bool) { return map[string]float64{"one": 1}[name], name == "one" },
			Funcs:  map[string]*Func{"sq": {Params: []string{"x"}, Body: sq}},
			Rand:   rnd,
		})
	}
	for text, want := range map[string]string{
		"agauss(1, 2, 1) + aunif(3, 3)":                        String(&Num{Value: a + b}),
		"v(x) * agauss(one, 2, 1) - aunif(3, 3)":               "v(x)*" + String(&Num{Value: a}) + "-" + String(&Num{Value: b}),
		"sq(1) + aunif(3, 3)":                                  String(&Num{Value: a + b}), // inlined, drawn in place
		"one > 0 ? agauss(1, 2, 1) : aunif(9, 9) + aunif(3,3)": String(&Num{Value: a}),     // the other branch is not drawn
		"v(x) > 0 ? agauss(1, 2, 1) : aunif(3, 3)":             "v(x)>0 ? " + String(&Num{Value: a}) + " : " + String(&Num{Value: b}),
		"limit(5, 0, 3)":                                       "3", // the clamp
	} {
		n, err := fold(text, stream())
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if got := String(n); got != want {
			t.Errorf("%q: folded to %q, want %q", text, got, want)
		}
	}
	errs := []struct {
		text string
		off  int
		msg  string
	}{
		{"agauss(1, 2)", 0, "agauss() takes 3 arguments, found 2"},
		{"1 + unif(1)", 4, "unif() takes 2 arguments, found 1"},
		{"limit(1)", 0, "limit() takes 2 or 3 arguments, found 1"},
		{"agauss(1, 2, 0)", 0, "agauss: sigma must not be zero"},
		{"gauss(1, 2, 1-one)", 0, "gauss: sigma must not be zero"},
		{"2 * agauss(v(a), 1, 1)", 4, "agauss() is drawn once, when the netlist is read: its arguments must not depend on v(a)"},
		{"aunif(1, temper)", 0, "aunif() is drawn once, when the netlist is read: its arguments must not depend on temper"},
		{"agauss(1e308, 1e308, 1e-300)", 0, "agauss(1e+308, 1e+308, 1e-300) is not a finite number"},
		{"one > 0 ? 1 : agauss(1)", 14, "agauss() takes 3 arguments, found 1"}, // checked, not drawn
	}
	for _, tc := range errs {
		_, err := fold(tc.text, stream())
		var e *Error
		if !errors.As(err, &e) || e.Offset != tc.off || e.Msg != tc.msg {
			t.Errorf("%q: got %v, want %d %q", tc.text, err, tc.off, tc.msg)
		}
	}
	_, err := fold("aunif(1, 1)", func() (*rand.Rand, error) { return nil, errors.New("not here") })
	if err == nil || !strings.HasSuffix(err.Error(), "aunif(): not here") {
		t.Errorf("refused: %v", err)
	}
	// Without a stream, random functions are unknown, as they always were.
	n, _ := Parse("agauss(1, 2, 3)")
	if _, err := Fold(n, nil, nil); err == nil || err.(*Error).Kind != 'f' {
		t.Errorf("Fold: %v", err)
	}
	if !IsRandom("limit", 2) || IsRandom("limit", 3) || !IsRandom("gauss", 3) || IsRandom("sin", 1) {
		t.Errorf("IsRandom")
	}
}
