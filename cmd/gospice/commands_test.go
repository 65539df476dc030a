package main

import (
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"gonum.org/v1/plot"

	"github.com/gospice/gospice"
)

func TestHelpOfEveryCommandHasExamples(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--help"}, {"run", "--help"}, {"check", "--help"}, {"plot", "--help"}, {"version", "--help"}, {"help", "plot"},
		{"digits", "train", "--help"}, {"digits", "eval", "--help"},
	} {
		r := runCLI(t, context.Background(), dir, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "gospice ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	r := runCLI(t, context.Background(), dir, "run", "--help")
	for _, flag := range []string{"--output", "--outdir", "--format", "--plot", "--quiet", "--seed"} {
		if !strings.Contains(r.stdout, flag) {
			t.Errorf("run --help does not list %s", flag)
		}
	}
	r = runCLI(t, context.Background(), dir, "plot", "--help")
	for _, flag := range []string{"--output", "--analysis", "--overlay", "--xmin", "--xmax", "--quiet"} {
		if !strings.Contains(r.stdout, flag) {
			t.Errorf("plot --help does not list %s", flag)
		}
	}
}

func TestVersion(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := runCLI(t, context.Background(), dir, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "gospice ") || !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	if r := runCLI(t, context.Background(), dir, "version", "extra"); r.code != 1 {
		t.Errorf("version with an argument: exit %d", r.code)
	}
}

func TestUsageErrorsExitOne(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run"}, {"run", "a.cir", "b.cir"}, {"run", "--nosuchflag", "x.cir"}, {"frobnicate"}, {"check"}, {"plot"},
		{"run", "missing.cir"}, {"check", "missing.cir"}, {"plot", "missing.cir"},
	} {
		if r := runCLI(t, context.Background(), dir, args...); r.code != 1 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestCheckPrintsTheCircuit(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "c.cir", `checked
V1 in 0 DC 1 AC 1 PULSE(0 1 1m 1u 1u 4m 10m)
R1 in out 1k
C1 out 0 1u
D1 out 0 dm
.model dm d rs=10
.options foo=1
.op
.tran 10u 12m
.ac dec 10 1 1meg
.dc v1 0 1 0.1
.meas tran t50 TRIG v(in) VAL=0.5 RISE=1 TARG v(out) VAL=0.5 RISE=1
.meas tran vmax MAX v(out) FROM=1m TO=5m
.meas ac g1k FIND vdb(out) AT=1k
.end
`)
	r := runCLI(t, context.Background(), dir, "check", "c.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"c.cir: checked\n",
		"nodes (2): in out\n",
		"devices (4):\n",
		"  v1  voltage source  in 0    dc 1 ac 1 0 pulse(0 1 1m 1u 1u 4m 10m)\n",
		"  r1  resistor        in out  1k\n",
		"  d1  diode           out 0   model dm\n",
		"unknowns (4): v(in) i(v1) v(out) v(d1#internal)\n",
		"analyses (4):\n",
		"  .op -> v(in) v(out) i(v1)\n",
		"  .tran 10u 12m -> time v(in) v(out) i(v1)\n",
		"    .meas t50: trig v(in) = 500m rise=1, targ v(out) = 500m rise=1\n    .meas vmax: max v(out)\n",
		"  .ac dec 10 1 1meg -> frequency re(v(in)) im(v(in)) re(v(out)) im(v(out)) re(i(v1)) im(i(v1))\n",
		"    .meas g1k: find vdb(out) at 1k\n",
		"  .dc v1 0 1 100m -> v1 v(in) v(out) i(v1)\n",
		"ok: ",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "warning") {
		t.Errorf("the unknown option was not warned about: %q", r.stderr)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("check wrote files: %v", got)
	}
}

func TestErrorsShowTheLineAndSuggest(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, netlist string
		args                []string
		want                []string
	}{
		{"model", "m.cir", "m\nR1 a 0 1k\nD1 a 0 dmod1\n.model dmod d\n.op\n.end\n", []string{"check"}, []string{
			`m.cir:3:8: unknown model "dmod1" (did you mean "dmod"?)`,
			" 3 | D1 a 0 dmod1\n   |        ^\n",
		}},
		{"node", "n.cir", "n\nV1 in 0 1\nR1 in out 1k\nR2 out 0 1k\n.print tran v(outt)\n.tran 1u 1m\n.end\n", []string{"run"}, []string{
			`n.cir:5:13: cannot output v(outt): no such node; did you mean "v(out)"?`,
			" 5 | .print tran v(outt)\n   |             ^\n",
		}},
		{"parameter", "p.cir", "p\nR1 a 0 rm\n.model rm r rhs=1\nV1 a 0 1\n.op\n.end\n", []string{"check"}, []string{
			`did you mean "rsh"?`,
			" 3 | .model rm r rhs=1\n   |             ^\n",
		}},
		{"tabs keep the caret under the column", "t.cir", "t\n\tR1\ta\t0\tzz\n.op\n.end\n", []string{"plot"}, []string{
			"t.cir:2:9: unknown model",
			" 2 | \tR1\ta\t0\tzz\n   | \t  \t \t \t^\n",
		}},
		{"two errors", "two.cir", "two\nR1 a 0 1k\nN1 a b c pmod\nQ1 c b e nomod\n.op\n.end\n", []string{"run"}, []string{
			"two.cir:3:1:", " 3 | N1 a b c pmod\n   | ^\n", "two.cir:4:10:", " 4 | Q1 c b e nomod\n   |          ^",
		}},
	}
	for _, c := range cases {
		writeNetlist(t, dir, c.file, c.netlist)
		r := runCLI(t, context.Background(), dir, append(c.args, c.file)...)
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1: %s", c.name, r.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.name, w, r.stderr)
			}
		}
	}
}

func TestQuietRunSaysNothing(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	r := runCLI(t, context.Background(), dir, "run", "rc.cir", "--quiet", "--plot", "rc.svg")
	if r.code != 0 || r.stderr != "" || r.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "plot", "rc.cir", "-q", "-o", "q.png")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("plot -q: exit %d, stderr %q", r.code, r.stderr)
	}
}

// checkPicture checks that path is a non-empty picture of the format its name says.
func checkPicture(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 1000 {
		t.Errorf("%s: only %d bytes", path, len(data))
	}
	switch filepath.Ext(path) {
	case ".png":
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 200 {
			t.Errorf("%s: %dx%d", path, b.Dx(), b.Dy())
		}
	case ".svg":
		if !bytes.HasPrefix(data, []byte("<?xml")) || !bytes.Contains(data, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("</svg>")) {
			t.Errorf("%s is not an SVG file", path)
		}
	case ".pdf":
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Errorf("%s is not a PDF file", path)
		}
	case ".eps":
		if !bytes.HasPrefix(data, []byte("%!PS-Adobe")) {
			t.Errorf("%s is not an EPS file", path)
		}
	case ".jpg":
		if !bytes.HasPrefix(data, []byte{0xff, 0xd8}) {
			t.Errorf("%s is not a JPEG file", path)
		}
	}
}

// svgText is the text of an SVG file.
func svgText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestPlotCommand(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	writeNetlist(t, dir, "bp.cir", "band-pass\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nL1 out mid 1m\nC1 mid 0 1n\nR2 out 0 10k\n.ac dec 10 1k 10meg\n.end\n")
	writeNetlist(t, dir, "dc.cir", "nested\nV1 a 0 1\nV2 b 0 0\nR1 a c 1k\nR2 c b 1k\n.op\n.dc V1 0 2 0.5 v2 1 -1 -1\n.print dc v(c) i(v1)\n.end\n")
	ok := func(args ...string) result {
		t.Helper()
		r := runCLI(t, context.Background(), dir, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		return r
	}
	r := ok("plot", "rc.cir", "v(out)", "-o", "rc.png")
	if !strings.Contains(r.stderr, "wrote rc.png") {
		t.Errorf("stderr %q", r.stderr)
	}
	checkPicture(t, filepath.Join(dir, "rc.png"))
	for _, ext := range []string{".svg", ".pdf", ".eps", ".jpg"} {
		ok("plot", "rc.cir", "-o", "rc"+ext)
		checkPicture(t, filepath.Join(dir, "rc"+ext))
	}
	// The default name, and a panel per vector with its unit.
	ok("plot", "rc.cir")
	svg := svgText(t, filepath.Join(dir, "rc.svg"))
	for _, label := range []string{"v(in) [V]", "v(out) [V]", "i(v1) [A]", "time [s]", ">1m<", ">500u<", ">1.5m<"} {
		if !strings.Contains(svg, label) {
			t.Errorf("rc.svg has no %q", label)
		}
	}
	// Several vectors on one panel.
	ok("plot", "rc.cir", "v(in),v(out)", "i(v1)", "-o", "g.svg")
	svg = svgText(t, filepath.Join(dir, "g.svg"))
	if !strings.Contains(svg, "voltage [V]") || strings.Contains(svg, "v(in) [V]") || !strings.Contains(svg, "i(v1) [A]") {
		t.Error("v(in),v(out) did not share a panel")
	}
	ok("plot", "rc.cir", "--overlay", "v(in)", "v(out)", "-o", "o.svg")
	if svg = svgText(t, filepath.Join(dir, "o.svg")); !strings.Contains(svg, "voltage [V]") {
		t.Error("--overlay did not share a panel")
	}
	// A window of the x axis.
	ok("plot", "rc.cir", "v(out)", "--xmin", "1.2m", "--xmax", "1.8m", "-o", "w.svg")
	if svg = svgText(t, filepath.Join(dir, "w.svg")); !strings.Contains(svg, ">1.2m<") || strings.Contains(svg, ">500u<") {
		t.Error("--xmin/--xmax did not set the x axis")
	}
	// AC: magnitude in dB and phase in degrees against a log frequency axis.
	ok("plot", "bp.cir", "v(out)", "-o", "bode.svg")
	svg = svgText(t, filepath.Join(dir, "bode.svg"))
	for _, label := range []string{"v(out) [dB]", "v(out) [°]", "frequency [Hz]", ">1k<", ">10k<", ">1M<"} {
		if !strings.Contains(svg, label) {
			t.Errorf("bode.svg has no %q", label)
		}
	}
	ok("plot", "bp.cir", "vdb(mid)", "-o", "db.svg")
	if svg = svgText(t, filepath.Join(dir, "db.svg")); !strings.Contains(svg, "vdb(mid) [dB]") {
		t.Error("vdb(mid) was not drawn alone")
	}
	// From the files gospice run writes.
	ok("run", "rc.cir", "--quiet")
	ok("plot", "rc.tran.csv", "v(out)", "-o", "csv.png")
	checkPicture(t, filepath.Join(dir, "csv.png"))
	ok("run", "bp.cir", "--quiet")
	ok("plot", "bp.ac.csv", "v(out)", "-o", "accsv.svg")
	if svg = svgText(t, filepath.Join(dir, "accsv.svg")); !strings.Contains(svg, "v(out) [dB]") {
		t.Error("an AC CSV file's re/im columns were not read as v(out)")
	}
	ok("run", "dc.cir", "--format", "raw", "--quiet")
	ok("plot", "dc.raw", "-o", "dcraw.png")
	checkPicture(t, filepath.Join(dir, "dcraw.png"))
	ok("plot", "dc.raw", "--analysis", "dc", "v(c)", "-o", "dc2.svg")
	if svg = svgText(t, filepath.Join(dir, "dc2.svg")); !strings.Contains(svg, "v(v-sweep) [V]") {
		t.Error("the raw file's DC scale is not the x axis")
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"plot", "rc.cir", "v(ot)"}, `no vector "v(ot)"; did you mean "v(out)"?`},
		{[]string{"plot", "rc.cir", "-o", "x.gif"}, "cannot tell the picture format"},
		{[]string{"plot", "dc.cir", "--analysis", "op"}, "nothing to plot"},
		{[]string{"plot", "dc.cir", "--analysis", "tran"}, "has no transient"},
		{[]string{"plot", "rc.cir", "--analysis", "noise"}, `unknown --analysis "noise"`},
		{[]string{"plot", "rc.cir", "--xmin", "1k", "--xmax", "1"}, "is not below"},
		{[]string{"plot", "rc.cir", "--xmin", "abc"}, "is not a number"},
		{[]string{"plot", "rc.tran.csv", "--analysis", "ac"}, "not a AC analysis"},
	} {
		r := runCLI(t, context.Background(), dir, c.args...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, r.code, r.stderr, c.want)
		}
	}
	for _, f := range files(t, dir) {
		if strings.HasSuffix(f, ".tmp") || strings.HasPrefix(f, "x.") {
			t.Errorf("left behind: %s", f)
		}
	}
}

func TestRunPlotFlag(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	r := runCLI(t, context.Background(), dir, "run", "rc.cir", "--plot", "wave.png")
	if r.code != 0 || !strings.Contains(r.stderr, "wrote wave.png") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	checkPicture(t, filepath.Join(dir, "wave.png"))
	writeNetlist(t, dir, "two.cir", "two\nV1 in 0 DC 1 AC 1\nR1 in out 1k\nC1 out 0 1u\n.op\n.tran 10u 1m\n.ac dec 5 10 10k\n.end\n")
	r = runCLI(t, context.Background(), dir, "run", "two.cir", "--plot", "wave.svg", "--format", "raw")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	checkPicture(t, filepath.Join(dir, "wave.tran.svg"))
	checkPicture(t, filepath.Join(dir, "wave.ac.svg"))
	if _, err := os.Stat(filepath.Join(dir, "wave.op.svg")); err == nil {
		t.Error("an .op was plotted")
	}
	if r := runCLI(t, context.Background(), dir, "run", "rc.cir", "--plot", "wave.bmp"); r.code != 1 {
		t.Errorf("--plot wave.bmp: exit %d", r.code)
	}
	// A stopped run plots what it has under a partial name.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	writeNetlist(t, dir, "long.cir", "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 10\n.end\n")
	r = runCLI(t, ctx, dir, "run", "long.cir", "--plot", "long.svg")
	if r.code != 2 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	checkPicture(t, filepath.Join(dir, "long.partial.svg"))
	if _, err := os.Stat(filepath.Join(dir, "long.svg")); err == nil {
		t.Error("a stopped run's plot has the final name")
	}
}

func TestProgressBarOnATerminal(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", "rc\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 50m\n.end\n")
	run := func(terminal bool, args ...string) string {
		var out, errb bytes.Buffer
		wd, _ := os.Getwd()
		os.Chdir(dir)
		defer os.Chdir(wd)
		a := &app{ctx: context.Background(), stdout: &out, stderr: &errb, terminal: terminal, progressDelay: 0}
		if code := a.execute(args); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return errb.String()
	}
	s := run(true, "run", "rc.cir")
	for _, want := range []string{"%", "t = ", "s / 50ms", "s/s simulated", "points/s", "wrote rc.tran.csv"} {
		if !strings.Contains(s, want) {
			t.Errorf("progress output lacks %q: %q", want, s)
		}
	}
	if s := run(true, "run", "rc.cir", "--quiet"); s != "" {
		t.Errorf("--quiet on a terminal: %q", s)
	}
	if s := run(false, "run", "rc.cir"); strings.Contains(s, "%") {
		t.Errorf("a bar where standard error is no terminal: %q", s)
	}
}

func TestProgressDescription(t *testing.T) {
	p := &progress{stop: 0.4, t: 0.0125, points: 8200}
	if got := p.describe(time.Second); got != "t = 12.5ms / 400ms, 12.5ms/s simulated, 8.2k points/s" {
		t.Errorf("%q", got)
	}
}

func TestEngineeringNotation(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.0025, "2.5m"}, {1.5e-6, "1.5u"}, {47000, "47k"}, {-0.3, "-300m"}, {1e6, "1M"},
		{0.30000000000000004, "300m"}, {999.99999999999, "1k"}, {1e-18, "1e-18"}, {2.2e15, "2.2e+15"},
	} {
		if got := eng(c.v, 4); got != c.want {
			t.Errorf("eng(%g) = %q, want %q", c.v, got, c.want)
		}
	}
	if got := engSpice(1e6); got != "1meg" {
		t.Errorf("engSpice(1e6) = %q", got)
	}
	for _, c := range []struct {
		v, step float64
		want    string
	}{
		{1.5, 0.5, "1.5"}, {1, 0.5, "1"}, {0.0005, 0.00025, "500u"}, {0.00075, 0.00025, "750u"}, {1.0002, 0.0001, "1.0002"}, {-1e-3, 5e-4, "-1m"},
	} {
		if got := engStep(c.v, c.step); got != c.want {
			t.Errorf("engStep(%g, %g) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
}

func TestParseSpiceNumber(t *testing.T) {
	for s, want := range map[string]float64{"1": 1, "180m": 0.18, "1meg": 1e6, "10u": 10e-6, "2.5e-3": 2.5e-3, "1kHz": 1e3, "5ms": 5e-3, "1M": 1e-3, "-3p": -3e-12} {
		if got, err := parseSpiceNumber(s); err != nil || math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%q: %g, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "abc", "1k2", "1/2"} {
		if _, err := parseSpiceNumber(s); err == nil {
			t.Errorf("%q read as a number", s)
		}
	}
}

func TestTicks(t *testing.T) {
	labels := func(lo, hi float64, f func(float64, float64) []plot.Tick) []string {
		var l []string
		for _, tk := range f(lo, hi) {
			if tk.Label != "" {
				l = append(l, tk.Label)
			}
		}
		return l
	}
	for _, c := range []struct {
		lo, hi float64
		deg    bool
		want   string
	}{
		{0, 12e-3, false, "0 2m 4m 6m 8m 10m 12m"},
		{-1e-3, 1e-3, false, "-1m -500u 0 500u 1m"},
		{-42, 0, false, "-40 -30 -20 -10 0"},
		{-175, -25, true, "-150 -120 -90 -60 -30"},
		{0.99, 1.01, false, "990m 995m 1 1.005 1.01"},
	} {
		f := niceTicks
		if c.deg {
			f = degreeTicks
		}
		if got := strings.Join(labels(c.lo, c.hi, f), " "); got != c.want {
			t.Errorf("ticks %g..%g: %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	if got := strings.Join(labels(1e3, 1e7, engLogTicks), " "); got != "1k 10k 100k 1M 10M" {
		t.Errorf("log ticks: %q", got)
	}
}

func TestSplitGroups(t *testing.T) {
	got := splitGroups([]string{"v(a),V(B)", "v(a,b)", " i(v1) "}, false)
	if len(got) != 3 || strings.Join(got[0], "|") != "v(a)|v(b)" || strings.Join(got[1], "|") != "v(a,b)" || got[2][0] != "i(v1)" {
		t.Errorf("%q", got)
	}
	if got := splitGroups([]string{"v(a)", "v(b)"}, true); len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("overlay: %q", got)
	}
}

func TestDecimateKeepsSpikes(t *testing.T) {
	n := 100000
	x := make([]float64, n)
	y := make([]float64, n)
	for k := range x {
		x[k] = float64(k)
	}
	y[54321] = 5
	y[77777] = -3
	pts, err := decimate(x, y, 4000)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) > 4100 {
		t.Errorf("%d points kept", len(pts))
	}
	var hi, lo bool
	for k, p := range pts {
		hi = hi || p.Y == 5
		lo = lo || p.Y == -3
		if k > 0 && p.X <= pts[k-1].X {
			t.Fatalf("points out of order at %d", k)
		}
	}
	if !hi || !lo || pts[len(pts)-1].X != float64(n-1) {
		t.Errorf("spikes kept: %v %v, last x %g", hi, lo, pts[len(pts)-1].X)
	}
}

func TestUnwrapDegrees(t *testing.T) {
	p := []float64{-170, 175, 160, -179, 170}
	unwrapDegrees(p)
	want := []float64{-170, -185, -200, -179, -190}
	for k := range p {
		if math.Abs(p[k]-want[k]) > 1e-12 {
			t.Fatalf("%v, want %v", p, want)
		}
	}
}

func TestFileNames(t *testing.T) {
	for in, want := range map[string]string{"rc.tran.csv": "rc.tran.partial.csv", "out/rc.raw": "out/rc.partial.raw", "noext": "noext.partial"} {
		if got := atomicfile.PartialName(in); got != want {
			t.Errorf("atomicfile.PartialName(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"rc.tran.csv": "tran", "rc.tran.partial.csv": "tran", "two.dc2.csv": "dc", "x/op.csv": "", "a.b.csv": ""} {
		if got := kindFromName(in); got != want {
			t.Errorf("kindFromName(%q) = %q, want %q", in, got, want)
		}
	}
}

// cmd/gospice uses gospice's public API only, and analysis/control, the interpreter of
// .control blocks, which drives that API.
func TestImportsOnlyThePublicAPI(t *testing.T) {
	fset := token.NewFileSet()
	matches, _ := filepath.Glob("*.go")
	for _, m := range matches {
		f, err := parser.ParseFile(fset, m, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			// The command's own internal packages (the digits task) are part of it.
			if strings.HasPrefix(path, "github.com/gospice/gospice/") && path != "github.com/gospice/gospice/analysis/control" &&
				!strings.HasPrefix(path, "github.com/gospice/gospice/cmd/gospice/internal/") {
				t.Errorf("%s imports %s", m, path)
			}
		}
	}
}

func TestModelSuggestionFromAnIncludedFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeNetlist(t, dir, "lib/models.lib", ".model nch nmos level=1\n.subckt inv a y\nM1 y a 0 0 nchh\n.ends\n")
	writeNetlist(t, dir, "top.cir", "inc\n.include lib/models.lib\nV1 a 0 1\nM1 d a 0 0 nhc\nR1 d a 1k\nX1 a y inv\n.op\n.end\n")
	r := runCLI(t, context.Background(), dir, "check", "top.cir")
	for _, want := range []string{
		`top.cir:4:12: unknown model "nhc" (did you mean "nch"?)`, " 4 | M1 d a 0 0 nhc\n   |            ^",
		filepath.Join("lib", "models.lib") + `:3:12: unknown model "nchh"`, `(did you mean "nch"?)`, " 3 | M1 y a 0 0 nchh\n",
	} {
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
}

func TestCompleteACReadsPartsBackAsComplexVectors(t *testing.T) {
	tab := &table{kind: "ac", cols: []column{
		{name: "frequency", re: []float64{1, 10}},
		{name: "vm(out)", re: []float64{1, 2}},
		{name: "vp(out)", re: []float64{90, 0}},
		{name: "vdb(out)", re: []float64{0, 6}},
		{name: "re(v(a,b))", re: []float64{3, 4}},
		{name: "im(v(a,b))", re: []float64{-1, 1}},
		{name: "im(v1)", re: []float64{5, 6}},
	}}
	tab.completeAC()
	var names []string
	for _, c := range tab.cols {
		names = append(names, c.name)
	}
	if strings.Join(names, " ") != "frequency v(out) v(a,b) im(v1)" {
		t.Fatalf("columns %v", names)
	}
	if z := tab.cols[1].c; math.Abs(real(z[0])) > 1e-15 || imag(z[0]) != 1 || z[1] != 2 {
		t.Errorf("v(out) %v", z)
	}
	if z := tab.cols[2].c; z[0] != complex(3, -1) || z[1] != complex(4, 1) {
		t.Errorf("v(a,b) %v", z)
	}
	if tab.cols[3].c != nil {
		t.Error("im(v1), the magnitude of i(v1), is a real column")
	}
}

func TestSeedFlag(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "st.cir", "stochastic\n.model dm memristor level=diffusive mu=190 d2d=0.05 kappa=1000 m=2 eta=0.3\nV1 in 0 PULSE(0 1.0 0 1u 1u 15m 1)\nYMEMRISTOR y1 in g dm\nCg g 0 10p\nRc g 0 250meg\n.save v(g)\n.tran 10u 20m\n.end\n")
	out := func(args ...string) string {
		t.Helper()
		r := runCLI(t, context.Background(), dir, append([]string{"run", "st.cir", "-o", "-"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		return r.stdout
	}
	a, b, c := out("--seed", "1"), out("--seed", "1"), out("--seed", "2")
	if a != b || a == c {
		t.Error("the same seed should give the same run, another seed another")
	}
	if r := runCLI(t, context.Background(), dir, "check", "st.cir", "--seed", "3"); r.code != 0 {
		t.Errorf("check --seed: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, context.Background(), dir, "run", "st.cir", "--seed", "-1"); r.code != 1 {
		t.Errorf("--seed -1: exit %d", r.code)
	}
}

// TestCheckListsUnusedModelParameters: the parameters a BSIM3 card gives that gospice
// does not use (paramchk; lintnoi in version 3.2.4, not in 3.3.0) are accepted and listed
// once, however many devices use the model; its noise parameters are used.
func TestCheckListsUnusedModelParameters(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "b.cir", `bsim3 with noise parameters
M1 d g 0 0 n1 W=1u L=0.5u
M2 d g 0 0 n1 W=2u L=0.5u
V1 d 0 1
V2 g 0 1
M3 d g 0 0 n2 W=2u L=0.5u
.model n1 nmos level=49 version=3.3.0 kf=1e-27 af=1.2 noimod=2 lintnoi=1e-8 paramchk=1 vth0=0.5
.model n2 nmos level=49 version=3.2.4 noimod=2 lintnoi=1e-8 paramchk=1 vth0=0.5
.op
.end
`)
	r := runCLI(t, context.Background(), dir, "check", "b.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"model n1: accepted but not used: paramchk\n", "model n2: accepted but not used: lintnoi paramchk\n"} {
		if strings.Count(r.stdout, want) != 1 {
			t.Errorf("check output does not list %q once:\n%s", want, r.stdout)
		}
	}
}

// TestCheckProgressBar: on a terminal, check draws a bar while the netlist is read and
// built (here at once: the delay is 0), then clears it; its listing is the same.
func TestCheckProgressBar(t *testing.T) {
	dir := t.TempDir()
	path := writeNetlist(t, dir, "rc.cir", "rc\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 50m\n.end\n")
	check := func(terminal bool) (string, string) {
		var out, errb bytes.Buffer
		a := &app{ctx: context.Background(), stdout: &out, stderr: &errb, terminal: terminal, progressDelay: 0}
		if code := a.execute([]string{"check", path}); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return out.String(), errb.String()
	}
	out, bar := check(true)
	// Six lines and an empty one; four for the grammar (R1 and C1 take the fast path).
	// The elaboration reports only its end, where the build starts.
	for _, want := range []string{"reading rc.cir: 7 / 7 lines", "parsing rc.cir: 4 / 4 lines", "building the circuit"} {
		if !strings.Contains(bar, want) {
			t.Errorf("the bar lacks %q: %q", want, bar)
		}
	}
	plain, none := check(false)
	if none != "" {
		t.Errorf("a bar where standard error is no terminal: %q", none)
	}
	if out != plain {
		t.Errorf("the listing differs on a terminal:\n%s\nand elsewhere:\n%s", out, plain)
	}
}

// TestDeviceTable checks that gospice check's device table is aligned as text/tabwriter
// aligns it, with names of several widths, multibyte runes, no nodes and Y types.
func TestDeviceTable(t *testing.T) {
	els := []*gospice.Element{
		{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 1e3, HasValue: true},
		{Name: "rlonger_name", Kind: 'r', Nodes: []string{"ä", "0"}, Value: 10, HasValue: true},
		{Name: "µ1", Kind: 'c', Nodes: []string{"node_with_a_long_name", "0"}, Value: 1e-12, HasValue: true},
		{Name: "k1", Kind: 'k', Value: 0.5, HasValue: true},
		{Name: "ymem1", Kind: 'y', Nodes: []string{"p", "n"}, Model: "mm"},
		{Name: "q", Kind: 'q', Nodes: []string{"c", "b", "e"}},
	}
	els[3].AddControl("l1", gospice.Pos{})
	els[3].AddControl("l2", gospice.Pos{})
	els[4].SetType("memristor")
	var got, want strings.Builder
	deviceTable(&got, els)
	deviceTabwriter(&want, els)
	if got.String() != want.String() {
		t.Errorf("deviceTable:\n%s\ntabwriter:\n%s", got.String(), want.String())
	}
	t.Logf("\n%s", got.String())
	// A cell with a character tabwriter treats specially goes through tabwriter.
	els[0].Nodes[0] = "a\vb"
	got.Reset()
	want.Reset()
	deviceTable(&got, els)
	deviceTabwriter(&want, els)
	if got.String() != want.String() {
		t.Errorf("with a vertical tab: deviceTable:\n%q\ntabwriter:\n%q", got.String(), want.String())
	}
}

// tableElements makes n elements for a device table from words (names and nodes, in
// turn), of several kinds, widths and values.
func tableElements(n int, words []string) []*gospice.Element {
	kinds := []byte{'r', 'c', 'l', 'v', 'q', 'y'}
	els := make([]*gospice.Element, n)
	for i := range els {
		w := func(k int) string { return words[(i*7+k)%len(words)] + fmt.Sprint(i%(k+3)) }
		el := &gospice.Element{Name: w(0), Kind: kinds[i%len(kinds)], Value: float64(i%5) * 1e-3, HasValue: i%3 != 0}
		for k := range i % 4 {
			el.Nodes = append(el.Nodes, w(k+1))
		}
		if el.Kind == 'y' {
			el.SetType("memristor")
		}
		if i%11 == 0 {
			el.Model = w(5)
		}
		els[i] = el
	}
	return els
}

// sameTableBeside fails when the device table of els written on two cores differs from
// the one written on one, or from text/tabwriter's.
func sameTableBeside(t *testing.T, els []*gospice.Element) {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	saved := tableBesideRows
	defer func() { tableBesideRows = saved }()
	var one, two, tw strings.Builder
	tableBesideRows = 1 << 62
	deviceTable(&one, els)
	tableBesideRows = 1
	deviceTable(&two, els)
	deviceTabwriter(&tw, els)
	if two.String() != one.String() {
		t.Fatalf("%d rows: the table written on two cores differs from the one written on one", len(els))
	}
	if one.String() != tw.String() {
		t.Fatalf("%d rows: the table differs from text/tabwriter's", len(els))
	}
}

// TestDeviceTableBeside: a table written on two cores, in chunks, is the table written on
// one, whatever its length around the chunks' bounds and wherever its widest cells and
// a special character are.
func TestDeviceTableBeside(t *testing.T) {
	words := []string{"r", "node", "ä_µ", "a_much_longer_name_than_the_others", "x1.x2.out", "0"}
	for _, n := range []int{1, 2, tableChunk - 1, tableChunk, tableChunk + 1, 2 * tableChunk, 3*tableChunk + 5, 6*tableChunk - 1} {
		sameTableBeside(t, tableElements(n, words))
	}
	els := tableElements(4*tableChunk+3, words)
	els[len(els)-1].Name = "the_widest_name_of_all_in_the_last_row"
	sameTableBeside(t, els)
	els[len(els)-2].Nodes = []string{"a\vb"} // tabwriter's, from the second half
	sameTableBeside(t, els)
}

// FuzzDeviceTableBeside checks on any names and nodes that the device table written on
// two cores is the one written on one: go test -fuzz FuzzDeviceTableBeside ./cmd/gospice
func FuzzDeviceTableBeside(f *testing.F) {
	f.Add("r1 n1 ä µ x1.out", uint16(3*tableChunk))
	f.Add("a\tb c", uint16(tableChunk+1))
	f.Fuzz(func(t *testing.T, words string, n uint16) {
		// tabwriter and the table count the runes of valid text alike
		w := strings.Fields(strings.ToValidUTF8(words, "?"))
		if len(w) == 0 {
			w = []string{words}
		}
		sameTableBeside(t, tableElements(int(n)%(4*tableChunk)+1, w))
	})
}

// TestValueTexts checks that the texts a device table keeps are engSpice's, for values
// written again, and for the zeros and NaN it does not keep.
func TestValueTexts(t *testing.T) {
	values := valueTexts{}
	for _, v := range []float64{10, 1e-14, 10, 0, math.Copysign(0, -1), 0, math.NaN(), 1e-14, -3.3e3, math.Inf(1)} {
		for range 2 {
			if got, want := values.text(v), engSpice(v); got != want {
				t.Errorf("text(%g) = %q, engSpice %q", v, got, want)
			}
		}
	}
	if len(values) != 4 { // 10, 1e-14, -3.3e3, +Inf
		t.Errorf("%d values kept, want 4: %v", len(values), values)
	}
}
