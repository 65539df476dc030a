package ngspicefull

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadManifest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "MANIFEST.tsv")
	text := "# a comment\n# another\npath\tset\tngspice 39\tngspice exit\tdot analyses\tanalyses in .control\n" +
		"tests/a.cir\tfirst35\truns\t0\t.tran\t-\n" +
		"tests/b.cir\tfull\truns; analyses only in .control\t1\t-\top\n" +
		"tests/c.cir\tfull\tfails or has no analysis\t124\t.pss\t-\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	es, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"tests/a.cir", "first35", "runs", 0, ".tran", "-"},
		{"tests/b.cir", "full", "runs; analyses only in .control", 1, "-", "op"},
		{"tests/c.cir", "full", "fails or has no analysis", 124, ".pss", "-"},
	}
	if fmt.Sprint(es) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", es, want)
	}
	if !es[0].Runs() || !es[1].Runs() || es[2].Runs() {
		t.Errorf("Runs: %v %v %v, want true true false", es[0].Runs(), es[1].Runs(), es[2].Runs())
	}
	if err := os.WriteFile(path, []byte("path\tset\nx.cir\tfull\truns\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadManifest(path); err == nil || !strings.Contains(err.Error(), "MANIFEST.tsv:2: 3 fields, want 6") {
		t.Errorf("a short line: got %v", err)
	}
}

// TestSharedManifest reads the corpus's own manifest, where it is present.
func TestSharedManifest(t *testing.T) {
	path := filepath.Join(corpusDir, "MANIFEST.tsv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not present (the shared corpus is not part of the repository)", path)
	}
	es, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, e := range es {
		if e.Runs() {
			runs++
		}
		if _, err := os.Stat(filepath.Join(corpusDir, filepath.FromSlash(e.Path))); err != nil {
			t.Errorf("%s: %v", e.Path, err)
		}
	}
	t.Logf("%d netlists, %d that ngspice 39 runs", len(es), runs)
	if runs == 0 {
		t.Error("no netlist that ngspice runs")
	}
}

const sample = "Title line\r\n" +
	"V1 in 0 PULSE(0 1 0 1u 1u 1m 2m)\r\n" +
	".print tran v(in)\r\n" +
	"+ v(out)\r\n" +
	"R1 in out 1k\r\n" +
	".options reltol=1e-2 abstol=1p\r\n" +
	".opt gmin=1e-12\r\n" +
	"+ reltol=2e-4\r\n" +
	".PLOT tran v(out)\r\n" +
	"C1 out 0 1u\r\n" +
	".tran 10u 2m\r\n" +
	".control\r\n" +
	".options reltol=0.5\r\n" +
	"run\r\n" +
	"print v(out)\r\n" +
	"  quit\r\n" +
	".endc\r\n" +
	".end\r\n"

func TestRewrite(t *testing.T) {
	if !HasControl(sample) || HasControl("t\n.control\n") == false || HasControl("t\nr1 a 0 1\n.end\n") {
		t.Error("HasControl")
	}
	if got := Reltol(sample); got != 2e-4 {
		t.Errorf("Reltol: %g, want 2e-4 (the last .options line outside .control, continued)", got)
	}
	if got := Reltol("t\nr1 1 0 1\n"); got != 1e-3 {
		t.Errorf("Reltol of no .options: %g, want 1e-3", got)
	}
	wantGospice := "Title line\nV1 in 0 PULSE(0 1 0 1u 1u 1m 2m)\nR1 in out 1k\n" +
		".options reltol=1e-2 abstol=1p\n.opt gmin=1e-12\n+ reltol=2e-4\nC1 out 0 1u\n.tran 10u 2m\n" +
		".control\n.options reltol=0.5\nrun\nprint v(out)\n  quit\n.endc\n.end\n\n"
	if got := GospiceText(sample); got != wantGospice {
		t.Errorf("GospiceText:\n%s\nwant\n%s", got, wantGospice)
	}
	wantNgspice := "Title line\n.options seed=1\nV1 in 0 PULSE(0 1 0 1u 1u 1m 2m)\nR1 in out 1k\n" +
		".options reltol=1e-2 abstol=1p\n.opt gmin=1e-12\n+ reltol=2e-4\nC1 out 0 1u\n.tran 10u 2m 0 2.5e-06\n" +
		".control\n.options reltol=0.5\nrun\nprint v(out)\n.endc\n.end\n\n" +
		".options reltol=2e-05 abstol=1e-13 vntol=1e-07\n" +
		".control\nset filetype=binary\nif $#plots = 1\nrun\nend\nforeach gospiceplot $plots\nsetplot $gospiceplot\nwrite /out/$gospiceplot\nend\nquit\n.endc\n"
	if got := NgspiceText(sample, "/out", 2e-5); got != wantNgspice {
		t.Errorf("NgspiceText:\n%s\nwant\n%s", got, wantNgspice)
	}
	plain := "t\nr1 1 0 1\n.print op v(1)\n.op\n.end\n"
	if got, want := NgspiceText(plain, "/out", 0), "t\n.options seed=1\nr1 1 0 1\n.op\n.end\n\n"; got != want {
		t.Errorf("NgspiceText without .control:\n%q\nwant\n%q", got, want)
	}
}

func TestFinerTran(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{".tran 10u 2m", ".tran 10u 2m 0 2.5e-06", true},       // tmax = tstep
		{".TRAN 1n 10n UIC", ".tran 1n 10n 0 5e-11 UIC", true}, // tmax = tstop/50
		{".tran 1n 100n 50n 0.2n ; comment", ".tran 1n 100n 50n 5e-11", true},
		{".tran 100u 10m uic", ".tran 100u 10m 0 2.5e-05 uic", true},
		{".tran 1n {tstop}", ".tran 1n {tstop}", false},
		{".tran 1n", ".tran 1n", false},
	} {
		got, ok := FinerTran(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("FinerTran(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	// A .tran line continued on the next is left as it is.
	text := "t\nr1 1 0 1\n.tran 1n\n+ 10n\n.end\n"
	if got := NgspiceText(text, "/out", 1e-4); !strings.Contains(got, ".tran 1n\n+ 10n\n") {
		t.Errorf("a continued .tran line changed:\n%s", got)
	}
}

// rawBytes writes plots as a binary raw file.
func rawBytes(plots ...*Plot) []byte {
	var b bytes.Buffer
	for _, p := range plots {
		flags := "real"
		if p.Complex {
			flags = "complex"
		}
		title := map[string]string{"op": "Operating Point", "tran": "Transient Analysis", "ac": "AC Analysis", "dc": "DC transfer characteristic"}[p.Kind]
		fmt.Fprintf(&b, "Title: test\nDate: today\nPlotname: %s\nFlags: %s\nNo. Variables: %d\nNo. Points: %-10d\nVariables:\n", title, flags, len(p.Vars), p.Len())
		for i, v := range p.Vars {
			fmt.Fprintf(&b, "\t%d\t%s\t%s\n", i, v, p.Types[i])
		}
		b.WriteString("Binary:\n")
		for k := 0; k < p.Len(); k++ {
			for i := range p.Vars {
				b.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(p.Re[i][k])))
				if p.Complex {
					b.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(p.Im[i][k])))
				}
			}
		}
	}
	return b.Bytes()
}

func realPlot(kind string, vars []string, cols ...[]float64) *Plot {
	p := &Plot{Kind: kind, Vars: vars, Re: cols}
	for _, v := range vars {
		typ := "voltage"
		switch {
		case v == "time":
			typ = "time"
		case strings.HasPrefix(v, "i("):
			typ = "current"
		}
		p.Types = append(p.Types, typ)
	}
	return p
}

func TestReadRaw(t *testing.T) {
	// ngspice's name of a VDMOS's body diode node holds a space
	tran := realPlot("tran", []string{"time", "v(out)", "i(v1)", "v(m1#body diode)"}, []float64{0, 1e-3, 2e-3}, []float64{0, 0.5, 0.75}, []float64{0, -1e-3, -2e-3}, []float64{1, 2, 3})
	ac := &Plot{Kind: "ac", Complex: true, Vars: []string{"frequency", "v(out)"}, Types: []string{"frequency", "voltage"},
		Re: [][]float64{{1, 10}, {0.9, 0.5}}, Im: [][]float64{{0, 0}, {-0.1, -0.5}}}
	data := rawBytes(tran, ac)
	plots, err := ReadRaw(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(plots) != 2 {
		t.Fatalf("%d plots, want 2", len(plots))
	}
	for i, want := range []*Plot{tran, ac} {
		got := plots[i]
		if got.Kind != want.Kind || got.Complex != want.Complex || fmt.Sprint(got.Vars, got.Types, got.Re, got.Im) != fmt.Sprint(want.Vars, want.Types, want.Re, want.Im) {
			t.Errorf("plot %d: got %+v, want %+v", i, got, want)
		}
	}
	if _, err := ReadRaw(bufio.NewReader(bytes.NewReader(data[:len(data)-3]))); err == nil || !strings.Contains(err.Error(), "point 1 of 2") {
		t.Errorf("a cut file: got %v", err)
	}
}

// TestNameLineCurrents checks the names given to ngspice's i(y1), i(p1) duplicates.
func TestNameLineCurrents(t *testing.T) {
	vars := []string{"time", "v(1)", "i(y1)", "i(y1)", "i(p.x1.p2)", "i(p.x1.p2)", "i(p.x1.p2)", "i(p.x1.p2)", "i(vs)"}
	nameLineCurrents(vars)
	want := []string{"time", "v(1)", "i(y1#branch1)", "i(y1#branch2)", "i(x1.p2#branch1_0)", "i(x1.p2#branch1_1)",
		"i(x1.p2#branch2_0)", "i(x1.p2#branch2_1)", "i(vs)"}
	if !slices.Equal(vars, want) {
		t.Errorf("got %v, want %v", vars, want)
	}
}

func TestNgspiceName(t *testing.T) {
	for in, want := range map[string]string{
		"V(Out)":          "v(out)",
		"i(v.x1.vx)":      "i(x1.vx)",
		"i(l.x1.x22.lin)": "i(x1.x22.lin)",
		"v1#branch":       "i(v1)",
		"i(x1.vx)":        "i(x1.vx)", // gospice's own form stays
		"v(x1.c)":         "v(x1.c)",
		"@m1[id]":         "@m1[id]",
		// internal nodes in a subcircuit, and a T line's port currents
		"v(q.xq1.q1#collCI)":            "v(xq1.q1#collci)",
		"v(m.x1.x2.mn1#body)":           "v(x1.x2.mn1#body)",
		"v(u.xutm.u1#hi1)":              "v(xutm.u1#hi1)",
		"v(m1#body diode)":              "v(m1#body diode)",
		"v(t1#i1)":                      "i(t1#i1)",
		"v(t.x1.tl#i2)":                 "i(x1.tl#i2)",
		"v(x1.q1#collci)":               "v(x1.q1#collci)",
		"v(t1#int1)":                    "v(t1#int1)",
		"v(Transfer_function)":          "transfer_function",
		"v(vdm#Input_impedance)":        "vdm#input_impedance",
		"v(output_impedance_at_V(5))":   "output_impedance_at_v(5)",
		"v(output_impedance_at_v(5,4))": "output_impedance_at_v(5,4)",
		"y1#branch1":                    "i(y1#branch1)",
		"p1#branch2_3":                  "i(p1#branch2_3)",
		// a POLY source, an XSPICE poly code model in ngspice 39
		"i(a$poly$e.xu1.eos)": "i(xu1.eos)",
		"i(a$poly$e1)":        "i(e1)",
	} {
		if got := NgspiceName(in); got != want {
			t.Errorf("NgspiceName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	// ngspice's tran at 11 points of a sine, gospice's at 21: sin is concave on [0, pi],
	// so the chords of the coarser run lie below the finer run's points.
	sine := func(n int) (ts, vs []float64) {
		for k := 0; k < n; k++ {
			x := math.Pi * float64(k) / float64(n-1)
			ts, vs = append(ts, x), append(vs, math.Sin(x))
		}
		return ts, vs
	}
	nt, nv := sine(11)
	gt, gv := sine(21)
	tt, tv := sine(16)
	ng := []*Plot{
		realPlot("op", []string{"v(1)", "i(v.x1.vx)", "v(2)"}, []float64{1}, []float64{-1e-3}, []float64{3}),
		realPlot("tran", []string{"time", "v(s)"}, nt, nv),
		realPlot("dc", []string{"v(v-sweep)", "v(a)"}, []float64{0, 1, 0, 1}, []float64{0, 1, 0, 2}),
		realPlot("noise", []string{"frequency", "onoise_spectrum"}, []float64{1}, []float64{1e-9}),
	}
	ng[0].Name, ng[1].Name, ng[2].Name, ng[3].Name = "op1", "tran1", "dc1", "noise1"
	gs := []*Plot{
		realPlot("tran", []string{"time", "v(s)"}, gt, gv),
		realPlot("op", []string{"v(1)", "i(x1.vx)"}, []float64{1 + 1e-9}, []float64{-1e-3}),
		realPlot("dc", []string{"v(v-sweep)", "v(a)"}, []float64{0, 1, 0}, []float64{0, 1, 0}),
	}
	tight := []*Plot{realPlot("tran", []string{"time", "v(s)"}, tt, tv)}
	tight[0].Name = "tran1"
	SortPlots(ng)
	res := Compare(ng, tight, gs)
	byName := map[string]VectorResult{}
	matched := map[string]bool{}
	for _, p := range res {
		matched[p.Name] = p.Matched
		for _, v := range p.Vectors {
			byName[p.Name+":"+v.Name] = v
		}
	}
	if !matched["op1"] || !matched["tran1"] || !matched["dc1"] || matched["noise1"] {
		t.Errorf("matched plots: %v", matched)
	}
	if v := byName["op1:v(1)"]; !v.Present || v.Diff > 1.1e-9 || !v.Agrees() {
		t.Errorf("op1 v(1) within the floors: %+v", v)
	}
	if v := byName["op1:i(x1.vx)"]; !v.Present || v.Diff != 0 {
		t.Errorf("op1 i(v.x1.vx) is gospice's i(x1.vx): %+v", v)
	}
	if v := byName["op1:v(2)"]; v.Present || v.Agrees() {
		t.Errorf("op1 v(2) missing: %+v", v)
	}
	if v := byName["dc1:v(a)"]; !math.IsInf(v.Diff, 1) || v.Note == "" || v.Agrees() {
		t.Errorf("dc1 v(a), a nested sweep of other points: %+v", v)
	}
	if v := byName["noise1:onoise_spectrum"]; v.Present {
		t.Errorf("noise1 has no gospice plot: %+v", v)
	}
	// The finer run has a point at each of the coarser run's and one in the middle of each
	// of its chords, where the chord from a-h/2 to a+h/2 is sin(a) cos(h/2): the worst is
	// the chord whose middle is nearest pi/2, a = 4.5h.
	v := byName["tran1:v(s)"]
	h := math.Pi / 10
	wantDiff := math.Sin(4.5*h) * (1 - math.Cos(h/2))
	if math.Abs(v.Diff-wantDiff) > 1e-12 {
		t.Errorf("tran1 v(s): diff %g, want %g", v.Diff, wantDiff)
	}
	if math.IsNaN(v.Accuracy) || v.Accuracy <= 0 || v.Accuracy > v.Diff {
		t.Errorf("tran1 v(s): accuracy %g, want within (0, %g]", v.Accuracy, v.Diff)
	}
	if want := 2*v.Accuracy + relFloor*1 + 1e-6; math.Abs(v.Tol-want) > 1e-15 {
		t.Errorf("tran1 v(s): tolerance %g, want 2A + the floors = %g", v.Tol, want)
	}
	t.Logf("tran1 v(s): diff %.4g, accuracy %.4g, tolerance %.4g", v.Diff, v.Accuracy, v.Tol)
	// Without a tight run the tolerance is the floors alone.
	if v := Compare(ng, nil, gs)[3].Vectors[0]; v.Plot != "tran1" || !math.IsNaN(v.Accuracy) || v.Tol != relFloor+1e-6 || v.Agrees() {
		t.Errorf("tran1 without a tight run: %+v", v)
	}
}

func TestCompareComplexAndNaN(t *testing.T) {
	ng := &Plot{Name: "ac1", Kind: "ac", Complex: true, Vars: []string{"frequency", "v(out)", "v(in)"}, Types: []string{"frequency", "voltage", "voltage"},
		Re: [][]float64{{1, 10}, {3, 0}, {1, 1}}, Im: [][]float64{{0, 0}, {4, -1}, {0, 0}}}
	gs := &Plot{Kind: "ac", Complex: true, Vars: []string{"frequency", "v(out)", "v(in)"}, Types: []string{"frequency", "voltage", "voltage"},
		Re: [][]float64{{1, 10}, {3, 0.03}, {1, math.NaN()}}, Im: [][]float64{{0, 0}, {4, -0.96}, {0, 0}}}
	res := Compare([]*Plot{ng}, nil, []*Plot{gs})
	out, in := res[0].Vectors[0], res[0].Vectors[1]
	if math.Abs(out.Diff-0.05) > 1e-12 || out.At != 10 || out.Swing != 5 {
		t.Errorf("v(out): the complex distance |0.03 + 0.04i| = 0.05 at 10 Hz, of a magnitude 5: %+v", out)
	}
	if !math.IsNaN(in.Diff) || in.Agrees() || !math.IsInf(in.Ratio(), 1) {
		t.Errorf("v(in): a NaN disagrees: %+v", in)
	}
}

// TestCompareNestedSweepOnePointShort: ngspice's inner sweep stops one point short of
// gospice's (0 1 2 against 0 1 2 3, in two passes): the vectors meet at the points both
// have, so the extra point does not count and a difference at a common point does.
func TestCompareNestedSweepOnePointShort(t *testing.T) {
	ng := realPlot("dc", []string{"v(v-sweep)", "v(a)", "v(b)"}, []float64{0, 1, 2, 0, 1, 2}, []float64{0, 1, 2, 10, 11, 12}, []float64{0, 1, 2, 10, 11, 12})
	ng.Name = "dc1"
	gs := realPlot("dc", []string{"v(v-sweep)", "v(a)", "v(b)"}, []float64{0, 1, 2, 3, 0, 1, 2, 3}, []float64{0, 1, 2, 3, 10, 11, 12, 13}, []float64{0, 1, 2, 3, 10, 11.5, 12, 13})
	res := Compare([]*Plot{ng}, nil, []*Plot{gs})
	a, b := res[0].Vectors[0], res[0].Vectors[1]
	if !a.Agrees() || a.Diff != 0 {
		t.Errorf("v(a), the same at the common points: %+v", a)
	}
	if b.Agrees() || b.Diff != 0.5 || b.At != 1 {
		t.Errorf("v(b), 0.5 off at the second pass's 1: %+v", b)
	}
	// a different number of passes cannot be paired
	gs.Re = [][]float64{{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}}
	if v := Compare([]*Plot{ng}, nil, []*Plot{gs})[0].Vectors[0]; !math.IsInf(v.Diff, 1) || v.Note == "" {
		t.Errorf("one pass against two: %+v", v)
	}
}

// TestCompareTFByItsNames: ngspice writes two .tf plots last first; each meets gospice's
// plot of the same source and output, whatever their order.
func TestCompareTFByItsNames(t *testing.T) {
	tf := func(src string, v float64) *Plot {
		p := realPlot("tf", []string{"v(transfer_function)", "v(" + src + "#input_impedance)", "v(output_impedance_at_v(5))"}, []float64{v}, []float64{v * 10}, []float64{9e3})
		p.Name = "tf"
		return p
	}
	ng := []*Plot{tf("vdm", -87), tf("vcm", -0.11)}
	ng[0].Name, ng[1].Name = "tf1", "tf2"
	gs := []*Plot{tf("vcm", -0.11), tf("vdm", -87)}
	for i := range gs {
		for k, n := range gs[i].Vars {
			gs[i].Vars[k] = NgspiceName(n) // gospice's names, without v()
		}
	}
	for _, p := range Compare(ng, nil, gs) {
		for _, v := range p.Vectors {
			if !v.Agrees() {
				t.Errorf("%s %s: %+v", p.Name, v.Name, v)
			}
		}
	}
}

func TestFailureCategory(t *testing.T) {
	for _, c := range []struct{ stage, status, msg, want string }{
		{"build", "exit 1", `tests/general/mosamp.cir:8:1: m1: MOSFET level 2 (model m, used by m1 at line 8) is not supported: only level 1 (Shichman-Hodges) is`,
			"build: MOSFET level 2 is not supported: only level 1 (Shichman-Hodges) is"},
		{"elaborate", "exit 1", `examples/memristor/memristor_x.sp:12:1: unknown element "amen" (kind A is not supported)`,
			`elaborate: unknown element "…" (kind A is not supported)`},
		{"elaborate", "exit 1", `examples/sp/sp1.cir:4:19: unexpected "portnum" in source "v1"`,
			`elaborate: unexpected "portnum" in source "…"`},
		{"elaborate", "exit 1", `examples/pss/hartley_osc_pss.cir:21:1: unknown control line ".pss"`,
			`elaborate: unknown control line ".pss"`},
		{"built", "exit 2", `tran: no convergence at t = 1.234e-05 s (time step 1e-15 too small)`,
			"run: no convergence at t = N s (time step N too small)"},
		{"built", "exit 1", `x.cir: no analysis to run (add .op, .dc, .ac or .tran)`,
			"input: no analysis to run (add .op, .dc, .ac or .tran)"},
		{"built", "timeout", "no result in 5m0s", "timeout"},
		{"elaborate", "exit 1", `a.cir:3:1: unknown element "a1" (kind A is not supported) (in instance x1.x2)`,
			`elaborate: unknown element "…" (kind A is not supported)`},
		{"build", "exit 1", `a.cir:3:1: s1: model "sw" (a/b.lib:40:1) is a "vswitch" model, not a switch model`,
			`build: model "…" is a "vswitch" model, not a switch model`},
		{"elaborate", "exit 1", `a.cir:7:1: missing node: MOSFET "m1" needs 4 nodes before the model name, found 3`,
			`elaborate: missing node: MOSFET "…" needs 4 nodes before the model name, found 3`},
		{"elaborate", "exit 1", `a.cir:7:1: expected name=value, found "X.MESH"`, `elaborate: expected name=value, found "x.mesh"`},
		{"elaborate", "exit 1", `a.cir:7:1: unexpected "(PULSE 0 1 0 1n)" in source "v1"`, `elaborate: unexpected "(…)" in source "…"`},
		{"crash", "crash", "panic: runtime error: index out of range [3] with length 3", "crash: panic: runtime error: index out of range [3] with length 3"},
	} {
		if got := FailureCategory(c.stage, c.status, c.msg); got != c.want {
			t.Errorf("FailureCategory(%q, %q, %q)\n = %q\nwant %q", c.stage, c.status, c.msg, got, c.want)
		}
	}
}

func TestJudge(t *testing.T) {
	agree := VectorResult{Plot: "tran1", Name: "v(1)", Present: true, Diff: 1, Tol: 2, Accuracy: 0.5}
	off := VectorResult{Plot: "tran1", Name: "v(2)", Present: true, Diff: 3, Tol: 2, Accuracy: 0.5}
	absent := VectorResult{Plot: "tran1", Name: "i(e1)"}
	for _, c := range []struct {
		row               Row
		verdict, category string
	}{
		{Row{Gospice: "exit 1", Stage: StageBuild, Message: "m1: MOSFET level 8 is not supported"}, VerdictGospiceFails, "build: MOSFET level 8 is not supported"},
		{Row{Gospice: "exit 1", Stage: StageBuilt, Control: true, Message: "x.cir: no analysis to run (add .op)"}, VerdictGospiceFails, ".control block not run (its analyses are all there)"},
		{Row{Gospice: "ok", Ngspice: "crash"}, VerdictNoReference, "ngspice writes no plot under the harness (crash)"},
		{Row{Gospice: "ok", Plots: []PlotResult{{Name: "tran1", Matched: true, Vectors: []VectorResult{agree, absent, off}}}}, VerdictDisagrees, "disagrees in tran"},
		{Row{Gospice: "ok", Plots: []PlotResult{{Name: "tran1", Matched: true, Vectors: []VectorResult{agree, absent}}}}, VerdictMissing, "vector not written: i(e…)"},
		{Row{Gospice: "ok", Control: true, Plots: []PlotResult{{Name: "tran1", Matched: true, Vectors: []VectorResult{agree, absent}}}}, VerdictMissing, "vector not written: i(e…)"},
		{Row{Gospice: "ok", Plots: []PlotResult{{Name: "tran1", Matched: true, Vectors: []VectorResult{agree}}, {Name: "noise1", Kind: "noise", Vectors: []VectorResult{{}}}}}, VerdictMissing, "no noise plot"},
		{Row{Gospice: "ok", Plots: []PlotResult{{Name: "tran1", Matched: true, Vectors: []VectorResult{agree}}}}, VerdictAgrees, ""},
	} {
		r := c.row
		r.judge()
		if r.Verdict != c.verdict || r.Category != c.category {
			t.Errorf("%+v: got %q, %q; want %q, %q", c.row, r.Verdict, r.Category, c.verdict, c.category)
		}
	}
}

func TestTableAndChanges(t *testing.T) {
	rows := []Row{
		{Path: "a.cir", Set: "full", Stage: StageBuilt, Gospice: "ok", Ngspice: "ok", Tight: "-", Verdict: VerdictAgrees,
			Plots: []PlotResult{{Name: "op1", Matched: true, Vectors: []VectorResult{{Plot: "op1", Name: "v(1)", Present: true, Diff: 1e-9, Tol: 1e-6, Swing: 2}}}}},
		{Path: "b.cir", Set: "full", Stage: StageBuild, Gospice: "exit 1", Ngspice: "ok", Tight: "-", Verdict: VerdictGospiceFails, Category: "build: x", Message: "b.cir:1:1: x\twith a tab",
			Plots: []PlotResult{{Name: "tran1", Matched: true, Vectors: []VectorResult{{Name: "v(a)"}, {Name: "v(b)"}, {Name: "v(c)"}}}}},
	}
	var b bytes.Buffer
	if err := WriteTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want a header and 2 rows:\n%s", len(lines), b.String())
	}
	for _, l := range lines {
		if n := len(strings.Split(l, "\t")); n != len(tableColumns) {
			t.Errorf("%d fields, want %d: %q", n, len(tableColumns), l)
		}
	}
	if !strings.Contains(lines[1], "op1:v(1)\t5e-10\t") || !strings.Contains(lines[2], "\ttran1:v(a) tran1:v(b) tran1:v(c)\t") {
		t.Errorf("the worst vector and its difference relative to the swing: %q", lines[1])
	}
	if got := rows[1].missingNames(2); got != "tran1:v(a) tran1:v(b) (+1)" {
		t.Errorf("missingNames(2) = %q", got)
	}
	path := filepath.Join(t.TempDir(), "results.tsv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(TableRows(rows)) {
		t.Errorf("read back %v, want %v", before, TableRows(rows))
	}
	after := []TableRow{
		{Path: "a.cir", Stage: StageBuilt, Gospice: "ok", Verdict: VerdictDisagrees, Category: "disagrees in op"},
		{Path: "b.cir", Stage: StageBuilt, Gospice: "ok", Verdict: VerdictAgrees, Category: "-"},
		{Path: "c.cir", Stage: StageBuilt, Gospice: "ok", Verdict: VerdictAgrees, Category: "-"},
	}
	changes, regressions := Changes(before, after)
	if len(changes) != 3 || fmt.Sprint(regressions) != "[a.cir]" {
		t.Errorf("changes %q, regressions %v; want 3 changes and a.cir regressed", changes, regressions)
	}
	var s bytes.Buffer
	if err := WriteSummary(&s, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 2 | that ngspice 39 runs", "| 1 | gospice runs to the end (exit 0) |", "| 1 | build: x |"} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("summary without %q:\n%s", want, s.String())
		}
	}
}

func TestRunTimeout(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	p := run(context.Background(), 200*time.Millisecond, t.TempDir(), environ(), "sh", "-c", "sleep 30 & sleep 30")
	if !p.TimedOut || p.Code != -1 {
		t.Errorf("got %+v, want a timeout", p)
	}
	p = run(context.Background(), time.Minute, t.TempDir(), environ(), "sh", "-c", "echo out; echo err >&2; exit 3")
	if p.TimedOut || p.Code != 3 || p.Stdout != "out\n" || p.Stderr != "err\n" || p.Died != nil || p.StartErr != nil {
		t.Errorf("got %+v, want exit 3 with its output", p)
	}
	p = run(context.Background(), time.Minute, t.TempDir(), environ(), "sh", "-c", "kill -9 $$")
	if p.Died == nil || p.Code != -1 {
		t.Errorf("got %+v, want it killed", p)
	}
	p = run(context.Background(), time.Minute, t.TempDir(), environ(), filepath.Join(t.TempDir(), "no-such-command"))
	if p.StartErr == nil {
		t.Errorf("got %+v, want it not started", p)
	}
}

func TestStage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ text, stage, err string }{
		{"t\nr1 1 0 1k\n.op\n.end\n", StageBuilt, ""},
		{"t\nr1 1 0 (\n.end\n", StageParse, "t.cir:2:"},
		{"t\nx1 1 0 nosuch\n.op\n.end\n", StageElaborate, "unknown subcircuit"},
		{"t\nvd d 0 5\nm1 d d 0 0 m\n.model m nmos level=9\n.op\n.end\n", StageBuild, "MOSFET level 9"},
	} {
		path := filepath.Join(dir, "t.cir")
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		stage, err := Stage(context.Background(), path)
		if stage != c.stage || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%q: got %s, %v; want %s, %q", c.text, stage, err, c.stage, c.err)
		}
	}
}

func TestHeadTail(t *testing.T) {
	var h headTail
	big := strings.Repeat("a", outputLimit) + "the end"
	h.Write([]byte("the start"))
	h.Write([]byte(big))
	s := h.String()
	if !strings.HasPrefix(s, "the start") || !strings.HasSuffix(s, "the end") || len(s) > outputLimit+20 {
		t.Errorf("kept %d bytes: %.20q ... %.20q", len(s), s, s[len(s)-20:])
	}
}

// A nested .dc sweep through 0: ngspice's sum of steps gives -1.4e-16 where gospice has
// 0 (measured with dc v1 -1 1 0.1 v2 0 1 1); the scales are the same points.
func TestSameScaleThroughZero(t *testing.T) {
	ng := []float64{-0.2, -0.1, -1.387778780781446e-16, 0.1, -0.2, -0.1, -1.387778780781446e-16, 0.1}
	ours := []float64{-0.2, -0.1, 0, 0.1, -0.2, -0.1, 0, 0.1}
	if !sameScale(ng, ours) {
		t.Error("the scales differ")
	}
	if sameScale(ng, append(ours[:7:7], 0.11)) {
		t.Error("0.1 and 0.11 are the same point")
	}
}

// TestErrorLine: the message a row records is the first error, past warnings, notes
// (with or without their place) and the netlist lines shown under a message.
func TestErrorLine(t *testing.T) {
	stderr := "t.cir:3:1: warning: x\n  3 | r1 a b\nt.cir:9:1: note: plot drew t.plot1.svg (ngspice opens a window)\nnote: y\nt.cir:12:1: error: let: no such vector end\n"
	if got, want := errorLine(stderr), "t.cir:12:1: error: let: no such vector end"; got != want {
		t.Errorf("errorLine: %q, want %q", got, want)
	}
}

// TestEmptyPlotWrite: what ngspice's write makes of plots with no vector but their scale
// (empty-1.cir) is dropped: the constants plot written for an op plot, and the scale
// written again as all; a plot with a vector of its own stays whole.
func TestEmptyPlotWrite(t *testing.T) {
	constants := &Plot{Kind: "constants", Vars: []string{"yes", "false"}, Re: [][]float64{{1}, {0}}}
	if !emptyPlotWrite(constants) {
		t.Error("the constants plot in a plot's file is kept")
	}
	tran := &Plot{Kind: "tran", Vars: []string{"time", "all"}, Types: []string{"time", "time"}, Re: [][]float64{{0, 1}, {0, 1}}}
	if emptyPlotWrite(tran) || len(tran.Vars) != 1 || len(tran.Re) != 1 {
		t.Errorf("tran plot with all = the scale: %v", tran.Vars)
	}
	own := &Plot{Kind: "tran", Vars: []string{"time", "all"}, Types: []string{"time", "voltage"}, Re: [][]float64{{0, 1}, {2, 3}}}
	if emptyPlotWrite(own) || len(own.Vars) != 2 {
		t.Errorf("a node named all was dropped: %v", own.Vars)
	}
}

// TestCompareLeavesOutProbeHelpers: the branch currents of the E sources ngspice inserts
// for .probe vd() (ediff4_r10#branch) are not compared; the vd vector itself is.
func TestCompareLeavesOutProbeHelpers(t *testing.T) {
	ng := []*Plot{realPlot("tran", []string{"time", "v(vd_r10)", "ediff4_r10#branch", "i(ediff12_mq6)"},
		[]float64{0, 1}, []float64{1, 2}, []float64{0, 0}, []float64{0, 0})}
	gs := []*Plot{realPlot("tran", []string{"time", "v(vd_r10)"}, []float64{0, 1}, []float64{1, 2})}
	res := Compare(ng, nil, gs)
	if len(res) != 1 || len(res[0].Vectors) != 1 || res[0].Vectors[0].Name != "v(vd_r10)" || !res[0].Vectors[0].Agrees() {
		t.Errorf("compared %+v, want v(vd_r10) alone, agreeing", res)
	}
}
