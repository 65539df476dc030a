package parser

import (
	"reflect"
	"testing"
)

func TestPolySources(t *testing.T) {
	tests := []struct {
		src, want string
		coeffs    []float64
		dim       int
	}{
		{"E1 out 0 poly(2) a 0 b 0 0 1 1", "e1(out,0,a,0,b,0)=0", []float64{0, 1, 1}, 2},
		{"G1 out 0 POLY(1) (a,0) 0 1m", "g1(out,0,a,0)=0", []float64{0, 1e-3}, 1},
		{"G1 out 0 poly(2) (a, b) (c,0) 1, 2, {1+2}", "g1(out,0,a,b,c,0)=0", []float64{1, 2, 3}, 2},
		{"E1 out 0 POLY (1) a 0 3", "e1(out,0,a,0)=0", []float64{3}, 1},
		{"Vx a 0 0\nVy b 0 0\nF1 out 0 poly(2) vx vy 0 1 1", "vx(a,0)=0 vy(b,0)=0 f1(out,0)=0<vx,vy>", []float64{0, 1, 1}, 2},
		{"Vx a 0 0\nH1 out 0 POLY(1) VX 1 2 3", "vx(a,0)=0 h1(out,0)=0<vx>", []float64{1, 2, 3}, 1},
		// Coefficients in parentheses (TransImpedanceAmp/output.net): ngspice 39 reads
		// them as 0 2.42834e-5 3.8e-5 (measured: 1.002834e-4 A with the sources at -1, -2 A).
		{"Vx a 0 0\nVy b 0 0\nF1 4 10 POLY(2) VX VY (0,2.42834E-5,3.8E-5)", "vx(a,0)=0 vy(b,0)=0 f1(4,10)=0<vx,vy>", []float64{0, 2.42834e-5, 3.8e-5}, 2},
		{"E1 out 0 poly(1) (a,0) (1 2)", "e1(out,0,a,0)=0", []float64{1, 2}, 1},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if got := flat(c); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
		p := c.Elements[len(c.Elements)-1].Poly()
		if p == nil || p.Dim != tc.dim || !reflect.DeepEqual(p.Coeffs, tc.coeffs) {
			t.Errorf("%q: poly %+v, want dim %d coefficients %v", tc.src, p, tc.dim, tc.coeffs)
		}
	}
}

func TestPolySourceErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"E1 out 0 poly(2) a 0 b", []string{`t.cir:2:23: missing controlling node: "e1" has POLY(2) and needs 4 controlling nodes, found 3`}},
		{"E1 out 0 poly(2) a 0 b 0", []string{`t.cir:2:25: missing coefficients: "e1" needs p0 p1 ... after its 2 controls`}},
		{"E1 out 0 poly(0) a 0 1", []string{`t.cir:2:15: the dimension of POLY(n) in "e1" must be a whole number from 1 to 20, found "0"`}},
		{"E1 out 0 poly a 0 1", []string{`t.cir:2:10: expected POLY(n) with n the number of controls, in "e1"`}},
		{"E1 out 0 poly(1) a 0 1 2 ic=1", []string{`t.cir:2:26: unexpected ic= in "e1": a POLY source takes its coefficients only`}},
		{"E1 out 0 poly(1) a 0 1 {v(a)}", []string{`t.cir:2:24: the coefficients of "e1" must be constants, not depend on v(a)`}},
		{"F1 out 0 poly(1) 3 1", []string{`t.cir:2:18: expected the name of a controlling voltage source of "f1", found "3"`}},
		{"F1 out 0 poly(2) vx", []string{`t.cir:2:20: missing controlling source: "f1" has POLY(2) and needs 2 voltage sources, found 1`}},
	}
	for _, tc := range tests {
		if got := parseErrors(t, tc.src); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	// A controlling source that does not exist is named, as for the linear F and H.
	if got := parseErrors(t, "H1 out 0 poly(1) vq 0 1"); len(got) != 1 {
		t.Errorf("unknown controlling source: %q", got)
	} else {
		t.Logf("unknown controlling source: %s", got[0])
	}
}
