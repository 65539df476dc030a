package netlists_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gospice/gospice/netlists/crosscheck"
)

// bsim3Cases are the BSIM3v3.3 netlists (model cards of their own, bsim3/include) against
// ngspice. The .dc and .ac runs agree to the convergence of the two Newton solutions. The
// inverter's default transients are 1.2e-4 of the swing apart, each 4-5e-4 from a
// converged run (reltol 1e-6, tmax 1 ps), where the two agree within 5e-5 (v(mid)).
var bsim3Cases = []crossCase{
	{"bsim3/idvd.cir", "dc", 6e-9, []string{"i(vds)", "i(vp)", "i(vb)"}},
	{"bsim3/instance.cir", "dc", 6e-9, []string{"i(vds)", "i(vb)"}},
	{"bsim3/idvg_cold.cir", "dc", 1e-10, []string{"i(vds)", "i(vdp)"}},
	{"bsim3/idvg_hot.cir", "dc", 1e-7, []string{"i(vds)", "i(vdp)"}},
	{"bsim3/cs_amp_ac.cir", "ac", 2e-7, []string{"vm(out)", "vp(out)", "vm(g)"}},
	{"bsim3/inverter_tran.cir", "tran", 1.2e-3, []string{"v(mid)", "v(out)"}},
	// Started with uic from .ic values through the internal drains and sources (rsh):
	// 7.1e-4 of the swing apart, the periods 1.9e-5 apart.
	{"bsim3/ring.cir", "tran", 7e-3, []string{"v(n1)", "v(n3)"}},
}

func TestBSIM3AgainstNgspice(t *testing.T) { checkAgainstNgspice(t, bsim3Cases) }

// bsim3QADir holds the BSIM3 QA decks' parameter files (the shared corpus).
const bsim3QADir = sharedDir + "/corpus/ngspice/tests/bsim3"

// bsim3QACard reads a QA parameter file as the body of a model card: its "+ name = (v)"
// lines without the parentheses gospice's parser does not take, and with the switches set.
func bsim3QACard(t *testing.T, polarity string, set map[string]string) string {
	t.Helper()
	path := bsim3QADir + "/" + polarity + "/parameters/" + polarity + "Parameters"
	skipWithoutShared(t, path)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	paren := regexp.MustCompile(`\(([^)]*)\)`)
	var b strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		line = paren.ReplaceAllString(line, "$1")
		f := strings.Fields(strings.TrimPrefix(line, "+"))
		if len(f) == 3 && f[1] == "=" {
			if v, ok := set[f[0]]; ok {
				f[2] = v
			}
			fmt.Fprintf(&b, "+ %s=%s\n", f[0], f[2])
		}
	}
	return b.String()
}

// TestBSIM3QAParameters runs the model cards of ngspice's BSIM3 QA decks (both
// polarities) through output families at 27, -50 and 150 degrees and through .ac runs of
// every charge model and partition, in both simulators. The harness over the whole QA
// specification is netlists/bsimqa's.
func TestBSIM3QAParameters(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	type qaCase struct {
		name, polarity, kind string
		version              string // of the model card; 3.3.0 when empty
		set                  map[string]string
		body                 string
		vectors              []string
		tol                  float64
	}
	var cases []qaCase
	for _, pol := range []string{"nmos", "pmos"} {
		s := 1.0
		if pol == "pmos" {
			s = -1
		}
		for _, temp := range []float64{27, -50, 150} {
			cases = append(cases, qaCase{
				name: fmt.Sprintf("%s idvd %g C", pol, temp), polarity: pol, kind: "dc",
				body: fmt.Sprintf(".temp %g\nvd d 0 0\nvg g 0 0\nvb b 0 %g\nm1 d g 0 b qa w=10u l=1u\n.dc vd 0 %g %g vg %g %g %g\n.print dc i(vd)\n",
					temp, -0.2*s, 1.8*s, 0.05*s, 0.2*s, 1.8*s, 0.4*s),
				vectors: []string{"i(vd)"}, tol: 3e-7,
			}, qaCase{
				name: fmt.Sprintf("%s idvg %g C", pol, temp), polarity: pol, kind: "dc",
				body: fmt.Sprintf(".temp %g\nvd d 0 %g\nvg g 0 0\nvb b 0 0\nm1 d g 0 b qa w=10u l=0.2u ad=10p as=10p pd=22u ps=22u\n.dc vg 0 %g %g\n.print dc i(vd)\n",
					temp, 0.1*s, 1.8*s, 0.02*s),
				vectors: []string{"i(vd)"}, tol: 3e-7,
			})
		}
		for capmod := range 4 {
			// capmod 0-2 agree within 2.4e-8 of the swing, capmod 3 within 5.4e-12: gospice
			// takes ngspice's hand-derived dVdseffCV/dVbs of capmod 3, which is not the
			// exact derivative of the charge (devices/bsim3's ngspiceVdseffCV; with the
			// exact one, 4.6e-7 apart here).
			tol := 3e-7
			if capmod == 3 {
				tol = 5e-11
			}
			for _, xpart := range []string{"0", "0.5", "1"} {
				cases = append(cases, qaCase{
					name: fmt.Sprintf("%s ac capmod=%d xpart=%s", pol, capmod, xpart), polarity: pol, kind: "ac",
					set: map[string]string{"capmod": fmt.Sprint(capmod), "xpart": xpart}, version: "3.3.0",
					body: fmt.Sprintf("vd d 0 %g\nvg g 0 dc %g ac 1\nvb b 0 %g\nrg g2 g 1k\nm1 d g2 0 b qa w=10u l=0.5u ad=5p as=5p pd=12u ps=12u\n.ac dec 5 1e6 1e11\n.print ac vm(g2) vp(g2)\n",
						0.3*s, 0.9*s, -0.2*s),
					vectors: []string{"vm(g2)", "vp(g2)"}, tol: tol,
				})
			}
		}
		// A forward-biased bulk (vb = 0.1 V): ngspice keeps the smooth Vbseff's derivative
		// where it takes Vbs's value, and so does gospice (devices/bsim3's dc): 3.0e-15 of
		// the swing apart (1.5e-4 with the exact derivative).
		cases = append(cases, qaCase{
			name: pol + " ac forward-biased bulk", polarity: pol, kind: "ac",
			body: fmt.Sprintf("vd d 0 %g\nvg g 0 dc %g\nvb b 0 dc %g ac 1\nrb b2 b 1k\nm1 d g 0 b2 qa w=10u l=0.5u\n.ac dec 5 1e6 1e11\n.print ac vm(b2) vp(b2)\n",
				0.3*s, 0.9*s, 0.1*s),
			vectors: []string{"vm(b2)", "vp(b2)"}, tol: 3e-14,
		})
		// Versions 3.2.4 and 3.2.2 (ngspice's BSIM3v32): its capmod 3 inversion charge,
		// 5.2e-12 apart; 3.2.2 runs as 3.2.4, ngspice's 3.2.2 scaling the junction
		// capacitances to the temperature in place, the same values at one (80 C here).
		for _, version := range []string{"3.2.4", "3.2.2"} {
			cases = append(cases, qaCase{
				name: pol + " ac capmod=3 version=" + version, polarity: pol, kind: "ac",
				set: map[string]string{"capmod": "3"}, version: version,
				body: fmt.Sprintf(".temp 80\nvd d 0 %g\nvg g 0 dc %g ac 1\nvb b 0 %g\nrg g2 g 1k\nm1 d g2 0 b qa w=10u l=0.5u ad=5p as=5p pd=12u ps=12u\n.ac dec 5 1e6 1e11\n.print ac vm(g2) vp(g2)\n",
					0.3*s, 0.9*s, -0.2*s),
				vectors: []string{"vm(g2)", "vp(g2)"}, tol: 5e-11,
			})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card := bsim3QACard(t, c.polarity, c.set)
			version := c.version
			if version == "" {
				version = "3.3.0"
			}
			text := "* " + c.name + "\n" + c.body + ".model qa " + c.polarity + " level=8 version=" + version + "\n" + card + ".end\n"
			want, err := crosscheck.NgspiceText(text, ".", c.kind, c.vectors)
			if err != nil {
				t.Fatal(err)
			}
			got, err := crosscheck.RunText(text, c.kind)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, want, got, c.vectors, c.tol)
		})
	}
}

// bsim3Examples are the BSIM3 netlists of ngspice's examples that run without a .control
// analysis (BSIM3 with its default parameters), compared edge by edge: the inverter chain
// unchanged, the 4-bit adder over its first 400 ns (ngspice takes minutes over the whole
// 6.4 us) and with its outputs saved. Edges are within 4.0e-4 (chain) and 2.1e-4 (adder)
// of the run; the waveforms, with the edges free to move by the edge tolerance, within
// 2.4% of the swing: both simulators sample the fast edges with their coarse steps.
var bsim3Examples = []struct {
	edgeCase
	edits [][2]string // replacements in the netlist text
}{
	{edgeCase{sharedDir + "/corpus/ngspice-full/examples/plot/inv-chain-pyplot.cir", []string{"v(out1)", "v(out2)", "v(out3)"}, 4e-3, 0.25, 0}, nil},
	{edgeCase{sharedDir + "/corpus/ngspice-full/examples/mos/adder_mos.cir", []string{"v(9)", "v(10)", "v(11)", "v(12)", "v(13)"}, 2e-3, 0.25, 0},
		[][2]string{{".TRAN 500p 6400NS", ".TRAN 500p 400NS"}, {".save V(1)", "*"}}},
}

func TestBSIM3Examples(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	for _, c := range bsim3Examples {
		t.Run(c.path[strings.LastIndex(c.path, "/")+1:], func(t *testing.T) {
			skipWithoutShared(t, c.path)
			if c.edits != nil {
				src, err := os.ReadFile(c.path)
				if err != nil {
					t.Fatal(err)
				}
				text := string(src)
				for _, e := range c.edits {
					if !strings.Contains(text, e[0]) {
						t.Fatalf("%s: no %q to replace", c.path, e[0])
					}
					text = strings.Replace(text, e[0], e[1], 1)
				}
				c.path = t.TempDir() + "/" + c.path[strings.LastIndex(c.path, "/")+1:]
				if err := os.WriteFile(c.path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			checkEdgeCase(t, c.edgeCase)
		})
	}
}

// TestBSIM3ExampleModelcards runs the BSIM3 model cards of ngspice's examples
// (examples/mos/modelcard.nmos and .pmos, a 0.18 um-class process) through transfer
// curves in both simulators. Every terminal sits on a source, so no Newton error enters:
// the two evaluate the same equations to 1.2e-15 of the swing.
func TestBSIM3ExampleModelcards(t *testing.T) {
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed (apt-get install ngspice); skipping the cross-checks")
	}
	dir := sharedDir + "/corpus/ngspice-full/examples/mos"
	skipWithoutShared(t, dir+"/modelcard.nmos")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	text := "modelcards\n.include " + abs + "/modelcard.nmos\n.include " + abs + "/modelcard.pmos\n" +
		"vd d 0 1.8\nvg g 0 0\nm1 d g 0 0 n1 w=1u l=0.35u\nm2 d2 g2 0 0 p1 w=2u l=0.35u\n" +
		"vd2 d2 0 -1.8\neg g2 0 g 0 -1\n.dc vg 0 1.8 0.05 vd 0.1 1.8 1.7\n.print dc i(vd) i(vd2)\n.end\n"
	vectors := []string{"i(vd)", "i(vd2)"}
	want, err := crosscheck.NgspiceText(text, ".", "dc", vectors)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.RunText(text, "dc")
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, want, got, vectors, 1e-14)
}
