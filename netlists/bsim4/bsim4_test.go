// Package bsim4 holds the BSIM4 regression netlists and their cross-checks against ngspice.
package bsim4

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// shared is the ngspice corpus (not part of the repository).
const shared = "../../../shared/corpus/ngspice"

// sharedCard reads a model file of the shared corpus, or skips the test. The QA decks'
// parameter files write values in parentheses, "k1 = (0.4)": the parentheses go.
func sharedCard(t *testing.T, rel, header string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared, rel))
	if err != nil {
		t.Skipf("%s not present (the shared corpus is not part of the repository): %v", rel, err)
	}
	text := regexp.MustCompile(`\(([^()]*)\)`).ReplaceAllString(string(b), "$1")
	return header + "\n" + text
}

// worst is the largest difference between two columns relative to the reference's
// magnitude, with a floor of floorFrac times its largest magnitude (so that points
// near zero current do not dominate).
func worst(want, got []float64, floorFrac float64) (float64, int) {
	peak := 0.0
	for _, w := range want {
		peak = math.Max(peak, math.Abs(w))
	}
	e, at := 0.0, -1
	for i := range want {
		d := math.Abs(got[i]-want[i]) / math.Max(math.Abs(want[i]), floorFrac*peak)
		if d > e || math.IsNaN(d) {
			e, at = d, i
		}
	}
	return e, at
}

// runBoth runs netlist text through gospice and ngspice (dir resolves includes) and
// returns the vector's columns.
func runBoth(t *testing.T, text, kind, vec string) (want, got []float64, scale []float64) {
	t.Helper()
	g, err := crosscheck.RunText(text, kind)
	if err != nil {
		t.Fatalf("gospice: %v", err)
	}
	if !crosscheck.Available() {
		t.Skip("ngspice not installed")
	}
	w, err := crosscheck.NgspiceText(text, ".", kind, []string{vec})
	if err != nil {
		t.Fatalf("ngspice: %v", err)
	}
	want, got = w.Col(vec), g.Col(vec)
	if want == nil || got == nil || len(want) != len(got) {
		t.Fatalf("%s: ngspice %v (%d rows), gospice %v (%d rows)", vec, w.Names, len(want), g.Names, len(got))
	}
	return want, got, w.Cols[0]
}

// scaled writes a sweep line whose numbers are written S*x as sign*x.
func scaled(line string, sign float64) string {
	return regexp.MustCompile(`S\*(-?[0-9.]+)`).ReplaceAllStringFunc(line, func(m string) string {
		var x float64
		fmt.Sscan(m[2:], &x)
		return fmt.Sprint(sign * x)
	})
}

// qaDeck is one netlist of several transistors of the QA card, each with its own ammeter
// in the drain (vd1, vd2, ...): three sizes (one with fingers and stress distances), each
// at zero and reverse body bias, over a grid of drain and gate voltages that holds both
// the output and the transfer families.
func qaDeck(card string, temp, sign float64) (string, []string) {
	sizes := []string{"w=10e-6 l=0.06e-6", "w=1e-6 l=0.24e-6", "w=0.6e-6 l=0.1e-6 nf=2 sa=0.3e-6 sb=0.4e-6 sd=0.2e-6"}
	var b strings.Builder
	fmt.Fprintf(&b, "* bsim4 qa grid\n%s\n.options temp=%g\nvd d 0 0\nvg g 0 0\nvb2 b2 0 %g\n", card, temp, -0.3*sign)
	var vecs []string
	k := 0
	for _, size := range sizes {
		for _, body := range []string{"0", "b2"} {
			k++
			fmt.Fprintf(&b, "vd%d d d%d 0\nm%d d%d g 0 %s qa %s\n", k, k, k, k, body, size)
			vecs = append(vecs, fmt.Sprintf("i(vd%d)", k))
		}
	}
	fmt.Fprintf(&b, ".dc vd 0 %g %g vg 0 %g %g\n.end\n", 1.2*sign, 0.05*sign, 1.2*sign, 0.1*sign)
	return b.String(), vecs
}

func TestQACrossNgspice(t *testing.T) {
	for _, typ := range []string{"nmos", "pmos"} {
		sign := 1.0
		if typ == "pmos" {
			sign = -1
		}
		for _, temp := range []float64{27, -50, 150} {
			t.Run(fmt.Sprintf("%s/%g", typ, temp), func(t *testing.T) {
				t.Parallel()
				card := sharedCard(t, "tests/bsim4/"+typ+"/parameters/"+typ+"Parameters", ".model qa "+typ+" level=14 version=4.8.1")
				deck, vecs := qaDeck(card, temp, sign)
				g, err := crosscheck.RunText(deck, "dc")
				if err != nil {
					t.Fatalf("gospice: %v", err)
				}
				if !crosscheck.Available() {
					t.Skip("ngspice not installed")
				}
				w, err := crosscheck.NgspiceText(deck, ".", "dc", vecs)
				if err != nil {
					t.Fatalf("ngspice: %v", err)
				}
				for _, vec := range vecs {
					want, got := w.Col(vec), g.Col(vec)
					if len(want) != len(got) || len(want) == 0 {
						t.Fatalf("%s: %d rows from ngspice, %d from gospice", vec, len(want), len(got))
					}
					e, at := worst(want, got, 1e-6)
					t.Logf("%s: worst relative difference %.3g at row %d (%g vs %g)", vec, e, at, got[at], want[at])
					// Measured: a few 1e-12 (both solve the same equations to round-off).
					if e > 1e-6 {
						t.Errorf("%s differs from ngspice by %.3g (row %d: %g vs %g)", vec, e, at, got[at], want[at])
					}
				}
			})
		}
	}
}
