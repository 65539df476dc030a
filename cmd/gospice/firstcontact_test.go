package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestOutdirIsCreated: --outdir makes the folder and its parents, for gospice run (one
// run and stepped) and gospice merge; a path that is a file, or runs through one, is
// refused and nothing is written; a run that writes nothing leaves no folder.
func TestOutdirIsCreated(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	writeNetlist(t, dir, "mc.cir", mcNetlistSmall)
	for _, c := range []struct{ netlist, outdir, file string }{
		{"rc.cir", "results", "rc.tran.csv"},
		{"rc.cir", "a/b/c", "rc.tran.csv"},
		{"mc.cir", "mc/runs", "mc.op.csv"},
	} {
		r := runCLI(t, ctx, dir, "run", c.netlist, "--outdir", c.outdir)
		if r.code != 0 {
			t.Fatalf("--outdir %s: exit %d: %s", c.outdir, r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, c.outdir, c.file)); err != nil {
			t.Errorf("--outdir %s: %v", c.outdir, err)
		}
	}
	if r := runCLI(t, ctx, dir, "run", "mc.cir", "--quiet", "--shard", "1/1", "--outdir", "shards/1"); r.code != 0 {
		t.Fatalf("--shard: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, ctx, dir, "merge", "shards/1", "--outdir", "merged/all"); r.code != 0 {
		t.Fatalf("merge: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "merged", "all", "mc.op.csv")); err != nil {
		t.Errorf("merge --outdir merged/all: %v", err)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "rc.cir", "--outdir", "rc.cir"}, "--outdir rc.cir is a file, not a folder"},
		{[]string{"run", "rc.cir", "--outdir", "rc.cir/x"}, "--outdir rc.cir/x: rc.cir is a file, not a folder"},
		{[]string{"merge", "shards/1", "--outdir", "rc.cir"}, "--outdir rc.cir is a file, not a folder"},
		// Bad input creates no folder: the netlist is read before the folder is made.
		{[]string{"run", "missing.cir", "--outdir", "new1"}, "missing.cir"},
		{[]string{"run", "mc.cir", "--run", "99", "--outdir", "new2"}, "--run 99"},
		{[]string{"merge", "nosuchshard", "--outdir", "new3"}, "no shard.json"},
	} {
		r := runCLI(t, ctx, dir, c.args...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, r.code, r.stderr, c.want)
		}
	}
	// A run that stops early leaves its folder only with a file in it (the partial one).
	writeNetlist(t, dir, "bad.cir", "unsolvable\nV1 c 0 1\nB1 a 0 V={sqrt(v(c)-2)}\nR1 a 0 1k\n.tran 1u 1m\n.end\n")
	r := runCLI(t, ctx, dir, "run", "bad.cir", "--outdir", "new4/deeper")
	if r.code != 2 {
		t.Errorf("bad.cir: exit %d: %s", r.code, r.stderr)
	}
	if got, err := os.ReadDir(filepath.Join(dir, "new4", "deeper")); err == nil && len(got) == 0 {
		t.Error("a run that wrote nothing left its empty --outdir")
	} else {
		t.Logf("the stopped run left %v (%v)", got, err)
	}
	for _, f := range files(t, dir) {
		if strings.HasPrefix(f, "new") && f != "new4" {
			t.Errorf("refused input created %s", f)
		}
	}
}

// TestRemoveEmptyDirs: the folders made for --outdir go again when empty, deepest first,
// and stay when a file is in them.
func TestRemoveEmptyDirs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a", "b", "c")
	missing, err := missingDirs(out)
	if err != nil || len(missing) != 3 {
		t.Fatalf("missing %v, %v", missing, err)
	}
	if err := makeDirs(out, missing); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a", "keep"), nil, 0o644)
	removeEmptyDirs(missing)
	if _, err := os.Stat(filepath.Join(dir, "a", "b")); err == nil {
		t.Error("a/b is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "keep")); err != nil {
		t.Errorf("a, with a file in it, went: %v", err)
	}
	if missing, err := missingDirs(dir); err != nil || len(missing) != 0 {
		t.Errorf("an existing folder: missing %v, %v", missing, err)
	}
}

// wroteNote finds gospice run's note of a file: "wrote NAME (N points)", "(N rows)", or
// for a raw file "(K analyses, N points)"; it returns N.
func wroteNote(t *testing.T, stderr, name string) int {
	t.Helper()
	re := regexp.MustCompile(`wrote ` + regexp.QuoteMeta(name) + ` \((?:\d+ analys[ie]s, )?(\d+) (?:points?|rows?)\)`)
	m := re.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no note of %s in %q", name, stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// csvRows counts the rows of a CSV file after its header.
func csvRows(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n") - 1
}

// TestWroteNoteCountsTheRows: the number in "wrote FILE (N points)" is the number of rows
// in the file, for every analysis: a transient's first row is its operating point (the
// analysis counts accepted steps after it), a uic transient's first row is the initial
// condition, and a memristor's rupture adds a second row at its time.
func TestWroteNoteCountsTheRows(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	writeNetlist(t, dir, "all.cir", "every analysis\nV1 in 0 DC 1 AC 1 PULSE(0 1 0 1u 1u 1m 2m)\nR1 in out 1k\nC1 out 0 1u\n"+
		".op\n.dc v1 0 1 0.25\n.ac dec 5 10 10k\n.tran 10u 2m\n.tran 10u 1m uic\n.end\n")
	writeNetlist(t, dir, "st.cir", "ruptures\n.model dm memristor level=diffusive mu=190 d2d=0.05 kappa=1000 m=2 eta=0.3\n"+
		"V1 in 0 PULSE(0 1.0 0 1u 1u 15m 1)\nYMEMRISTOR y1 in g dm\nCg g 0 10p\nRc g 0 250meg\n.save v(g)\n.tran 10u 20m\n.end\n")
	r := runCLI(t, ctx, dir, "run", "all.cir", "--outdir", "out")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for file, want := range map[string]int{"all.op.csv": 1, "all.dc.csv": 5, "all.ac.csv": 16, "all.tran.csv": -1, "all.tran2.csv": -1} {
		name := filepath.Join("out", file)
		rows, note := csvRows(t, filepath.Join(dir, name)), wroteNote(t, r.stderr, name)
		t.Logf("%s: %d rows, note %d", file, rows, note)
		if note != rows || (want > 0 && rows != want) {
			t.Errorf("%s: the note says %d points, the file has %d rows (want %d)", file, note, rows, want)
		}
	}
	r = runCLI(t, ctx, dir, "run", "st.cir")
	if r.code != 0 {
		t.Fatalf("st.cir: exit %d: %s", r.code, r.stderr)
	}
	rows, note := csvRows(t, filepath.Join(dir, "st.tran.csv")), wroteNote(t, r.stderr, "st.tran.csv")
	t.Logf("st.tran.csv (with ruptures): %d rows, note %d", rows, note)
	if note != rows {
		t.Errorf("st.tran.csv: the note says %d points, the file has %d rows", note, rows)
	}

	// A raw file: the note counts the points of every plot.
	r = runCLI(t, ctx, dir, "run", "all.cir", "-o", "all.raw")
	if r.code != 0 {
		t.Fatalf("raw: exit %d: %s", r.code, r.stderr)
	}
	points := 0
	for _, p := range readRawFile(t, filepath.Join(dir, "all.raw")) {
		points += p.Points()
	}
	if note := wroteNote(t, r.stderr, "all.raw"); note != points {
		t.Errorf("all.raw: the note says %d points, the plots hold %d", note, points)
	}

	// A stepped run: "(N rows)" of every file.
	writeNetlist(t, dir, "steps.cir", stepNetlist)
	r = runCLI(t, ctx, dir, "run", "steps.cir", "--outdir", "steps")
	if r.code != 0 {
		t.Fatalf("steps: exit %d: %s", r.code, r.stderr)
	}
	for _, file := range []string{"steps.op.csv", "steps.tran.csv", "steps.meas.csv"} {
		name := filepath.Join("steps", file)
		rows, note := csvRows(t, filepath.Join(dir, name)), wroteNote(t, r.stderr, name)
		if note != rows {
			t.Errorf("%s: the note says %d rows, the file has %d", file, note, rows)
		}
	}
}

// TestSeedHelp: --help of run, check and plot shows the seed's default and what it drives,
// and --seed without a value (or with one that is not a seed) says what it takes.
func TestSeedHelp(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for _, cmd := range []string{"run", "check", "plot"} {
		r := runCLI(t, ctx, dir, cmd, "--help")
		line := ""
		for _, l := range strings.Split(r.stdout, "\n") {
			if strings.Contains(l, "--seed") && strings.Contains(l, "uint") {
				line = l
			}
		}
		for _, want := range []string{"(default: .options seed, else 1)", "memristor", "agauss", "gauss", "unif", "aunif", "limit"} {
			if !strings.Contains(line, want) {
				t.Errorf("%s --help: the --seed line %q lacks %q", cmd, line, want)
			}
		}
	}
	r := runCLI(t, ctx, dir, "run", "--help")
	for _, want := range []string{"else .options seed=N, else 1", "ruptures", "each run of a .step netlist"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("run --help does not say %q", want)
		}
	}
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	for _, args := range [][]string{{"run", "rc.cir", "--seed"}, {"run", "rc.cir", "--seed", "x"}, {"plot", "rc.cir", "--seed"}} {
		r := runCLI(t, ctx, dir, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "--seed uint: seed of the random values") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("a refused --seed wrote %v", got)
	}
}

// TestSeedDefault: what the help says: without --seed the seed is .options seed, else 1,
// for the memristor's spread and ruptures and for the random functions alike.
func TestSeedDefault(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	body := ".model dm memristor level=diffusive mu=190 d2d=0.05 kappa=1000 m=2 eta=0.3\n" +
		"V1 in 0 PULSE(0 1.0 0 1u 1u 15m 1)\nYMEMRISTOR y1 in g dm\nCg g 0 10p\nRc g 0 {agauss(250meg, 50meg, 1)}\n.save v(g)\n.tran 10u 20m\n.end\n"
	writeNetlist(t, dir, "plain.cir", "no seed\n"+body)
	writeNetlist(t, dir, "five.cir", "seed 5\n.options seed=5\n"+body)
	out := func(args ...string) string {
		t.Helper()
		r := runCLI(t, ctx, dir, append([]string{"run", "-o", "-"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		return r.stdout
	}
	plain, one, two := out("plain.cir"), out("plain.cir", "--seed", "1"), out("plain.cir", "--seed", "2")
	if plain != one || plain == two {
		t.Error("without --seed or .options seed, the run should be that of --seed 1 (and not of --seed 2)")
	}
	five, five1, plain5 := out("five.cir"), out("five.cir", "--seed", "1"), out("plain.cir", "--seed", "5")
	if five == five1 || five != plain5 {
		t.Error(".options seed=5 should give the run of --seed 5, and --seed 1 should override it")
	}
}

// svgLine is one drawn path of an SVG file gospice wrote: its stroke colour and points,
// in the picture's upward coordinates (gonum's SVG flips y once for the whole picture).
type svgLine struct {
	stroke string
	x, y   []float64
}

// svgPicture is what a test reads back from an SVG file: its size, its paths and its
// texts with where they are.
type svgPicture struct {
	width, height float64
	lines         []svgLine
	texts         map[string][2]float64 // text -> its x and upward y
}

var (
	svgSizeRE  = regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)
	svgPathRE  = regexp.MustCompile(`<path d="([^"]*)" style="([^"]*)"`)
	svgPointRE = regexp.MustCompile(`[ML](-?[0-9.e+-]+),(-?[0-9.e+-]+)`)
	svgStroke  = regexp.MustCompile(`stroke:(#[0-9A-Fa-f]{6})`)
	svgTextRE  = regexp.MustCompile(`(?s)<text x="(-?[0-9.e+-]+)" y="(-?[0-9.e+-]+)"[^>]*>([^<]*)</text>`)
)

func readSVGPicture(t *testing.T, path string) svgPicture {
	t.Helper()
	text := svgText(t, path)
	var pic svgPicture
	m := svgSizeRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s: no viewBox", path)
	}
	pic.width, _ = strconv.ParseFloat(m[1], 64)
	pic.height, _ = strconv.ParseFloat(m[2], 64)
	for _, p := range svgPathRE.FindAllStringSubmatch(text, -1) {
		var l svgLine
		if s := svgStroke.FindStringSubmatch(p[2]); s != nil {
			l.stroke = strings.ToUpper(s[1])
		}
		for _, pt := range svgPointRE.FindAllStringSubmatch(p[1], -1) {
			x, _ := strconv.ParseFloat(pt[1], 64)
			y, _ := strconv.ParseFloat(pt[2], 64)
			l.x, l.y = append(l.x, x), append(l.y, y)
		}
		pic.lines = append(pic.lines, l)
	}
	pic.texts = map[string][2]float64{}
	for _, m := range svgTextRE.FindAllStringSubmatch(text, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		pic.texts[m[3]] = [2]float64{x, -y} // texts are flipped back: their y is negated
	}
	return pic
}

// dataLines are the waveforms: the coloured paths of more than a few points (grid lines
// are grey, axes black, legend thumbnails two points).
func (p svgPicture) dataLines() []svgLine {
	var out []svgLine
	for _, l := range p.lines {
		if l.stroke != "" && l.stroke != "#000000" && l.stroke != "#DDDDDD" && len(l.x) > 10 {
			out = append(out, l)
		}
	}
	return out
}

// TestOverlayOfManyVectors: --overlay draws every line, whatever their number, each filling
// its panel as one alone would, and a legend entry for each that covers no line: inside the
// panel above the lines for up to three, beside it (in columns) for more.
func TestOverlayOfManyVectors(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("ladder\nV1 n0 0 SIN(0 1 1k)\n")
	for k := 1; k <= 25; k++ {
		fmt.Fprintf(&b, "R%d n%d n%d 1k\n", k, k-1, k)
	}
	b.WriteString("R26 n25 0 1k\n.tran 10u 2m\n.end\n")
	writeNetlist(t, dir, "ladder.cir", b.String())
	for _, n := range []int{2, 3, 4, 8, 10, 25} {
		args := []string{"plot", "ladder.cir", "--overlay", "-o", fmt.Sprintf("o%d.svg", n)}
		for k := range n {
			args = append(args, fmt.Sprintf("v(n%d)", k))
		}
		if r := runCLI(t, context.Background(), dir, args...); r.code != 0 {
			t.Fatalf("%d vectors: exit %d: %s", n, r.code, r.stderr)
		}
		pic := readSVGPicture(t, filepath.Join(dir, fmt.Sprintf("o%d.svg", n)))
		lines := pic.dataLines()
		if len(lines) != n {
			t.Errorf("%d vectors: %d lines drawn", n, len(lines))
			continue
		}
		// v(n0) swings over the whole axis: its line spans most of the panel's height.
		var lo, hi, right float64 = math.Inf(1), math.Inf(-1), 0
		for _, l := range lines {
			for k := range l.x {
				if l.x[k] < 0 || l.x[k] > pic.width || l.y[k] < 0 || l.y[k] > pic.height {
					t.Fatalf("%d vectors: a point (%g, %g) outside the %gx%g picture", n, l.x[k], l.y[k], pic.width, pic.height)
				}
				lo, hi, right = math.Min(lo, l.y[k]), math.Max(hi, l.y[k]), math.Max(right, l.x[k])
			}
		}
		// One line alone spans 0.60 of this picture's height; a legend inside the panel
		// takes up to 42/120 of it (0.39 measured for three lines).
		span, want := (hi-lo)/pic.height, 0.55
		if n <= maxInsideLegend {
			want = 0.35
		}
		t.Logf("%d vectors: the lines span %.2f of the picture's height", n, span)
		if span < want {
			t.Errorf("%d vectors: the lines span %.2f of the picture's height, want at least %.2f", n, span, want)
		}
		// The legend: an entry per line, clear of the lines.
		for k := range n {
			pos, ok := pic.texts[fmt.Sprintf("v(n%d)", k)]
			switch {
			case !ok:
				t.Errorf("%d vectors: no legend entry for v(n%d)", n, k)
			case n <= maxInsideLegend && pos[1] < hi:
				t.Errorf("%d vectors: the legend entry of v(n%d) (at y %g) is over the lines (up to %g)", n, k, pos[1], hi)
			case n > maxInsideLegend && pos[0] < right:
				t.Errorf("%d vectors: the legend entry of v(n%d) (at x %g) is over the lines (right to %g)", n, k, pos[0], right)
			}
		}
	}
}

// TestPlotDifference: v(a,b) is v(a) - v(b), as the README says, from a netlist (which
// need not .print it, nor v(a) and v(b)), a CSV file and a raw file, in a transient and
// in an .ac (where vdb(a,b) is its decibels); v(0,b) is -v(b).
func TestPlotDifference(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// v(a,b) = v(a) R1 / (R1 + R2): a quarter of v(a) with R2 = 3k.
	const body = "V1 a 0 SIN(0 2 1k) AC 1\nR1 a b 1k\nR2 b 0 {agauss(3k, 0.3k, 1)}\n"
	writeNetlist(t, dir, "div.cir", "divider\n"+body+".tran 10u 2m\n.ac dec 5 10 1k\n.end\n")
	writeNetlist(t, dir, "printb.cir", "divider printing v(b)\n"+body+".print tran v(b)\n.print ac vm(b)\n.tran 10u 2m\n.ac dec 5 10 1k\n.end\n")
	writeNetlist(t, dir, "printab.cir", "divider printing v(a,b)\n"+body+".print tran v(a,b)\n.tran 10u 2m\n.end\n")
	a := &app{ctx: ctx, stdout: io.Discard, stderr: io.Discard}
	seed := uint64(5)
	netlist := func(name, kind string, vectors ...string) *table {
		t.Helper()
		tab, err := a.runForPlot(filepath.Join(dir, name), kind, 1, vectors, true, &seed)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return tab
	}
	// The reference: v(a) and v(b) of the run of the netlist with no .print, same seed.
	if r := runCLI(t, ctx, dir, "run", "div.cir", "--seed", "5", "-q"); r.code != 0 {
		t.Fatalf("run: exit %d: %s", r.code, r.stderr)
	}
	ref, err := readCSVTable(filepath.Join(dir, "div.tran.csv"))
	if err != nil {
		t.Fatal(err)
	}
	va, vb := ref.col("v(a)").re, ref.col("v(b)").re
	check := func(what string, tab *table, name string, want func(k int) float64) {
		t.Helper()
		y, _, err := findVector(tab, name)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		if len(y) != len(va) {
			t.Errorf("%s: %d points, the run has %d", what, len(y), len(va))
			return
		}
		worst := 0.0
		for k := range y {
			worst = math.Max(worst, math.Abs(y[k]-want(k)))
		}
		// The same subtraction of the same numbers: exactly equal.
		if worst != 0 {
			t.Errorf("%s: differs from the run's by up to %g V", what, worst)
		}
	}
	diff := func(k int) float64 { return va[k] - vb[k] }
	check("div.cir v(a,b)", netlist("div.cir", "tran", "v(a,b)"), "v(a,b)", diff)
	check("printb.cir v(a,b)", netlist("printb.cir", "tran", "v(a,b)"), "v(a,b)", diff)
	check("printab.cir v(a,b)", netlist("printab.cir", "tran", "v(a,b)"), "v(a,b)", diff)
	check("div.tran.csv v(a,b)", ref, "v(a,b)", diff)
	check("div.tran.csv v(0,b)", ref, "v(0,b)", func(k int) float64 { return -vb[k] })
	check("div.tran.csv v(a,0)", ref, "v(a,0)", func(k int) float64 { return va[k] })
	if r := runCLI(t, ctx, dir, "run", "div.cir", "--seed", "5", "-q", "-o", "div.raw"); r.code != 0 {
		t.Fatalf("run raw: exit %d: %s", r.code, r.stderr)
	}
	raws, err := readRawTables(filepath.Join(dir, "div.raw"))
	if err != nil {
		t.Fatal(err)
	}
	check("div.raw v(a,b)", raws[0], "v(a,b)", diff)
	// The divider's ratio, from the drawn resistor: v(a,b) / v(a) = 1k / (1k + R2).
	ratio := diff(len(va)/8) / va[len(va)/8]
	t.Logf("v(a,b)/v(a) = %g (R2 = %g)", ratio, 1e3/ratio-1e3)

	// .ac: v(a,b) is complex, vdb(a,b) its decibels; printb.cir outputs only vm(b).
	for _, name := range []string{"div.cir", "printb.cir"} {
		tab := netlist(name, "ac", "v(a,b)", "vdb(a,b)")
		_, z, err := findVector(tab, "v(a,b)")
		if err != nil || z == nil {
			t.Fatalf("%s: ac v(a,b): %v (complex %v)", name, err, z != nil)
		}
		db, _, err := findVector(tab, "vdb(a,b)")
		if err != nil {
			t.Fatal(err)
		}
		worst, worstDB := 0.0, 0.0
		for k := range z {
			worst = math.Max(worst, cmplx.Abs(z[k]-complex(ratio, 0)))
			worstDB = math.Max(worstDB, math.Abs(db[k]-20*math.Log10(ratio)))
		}
		t.Logf("%s: ac v(a,b) differs from the ratio by up to %.3g V, vdb(a,b) by %.3g dB", name, worst, worstDB)
		if worst > 1e-15 || worstDB > 2e-14 { // measured 5.6e-17 V, 1.8e-15 dB
			t.Errorf("%s: ac v(a,b) differs from the ratio %g by up to %g V, vdb(a,b) by %g dB", name, ratio, worst, worstDB)
		}
	}

	// From the command line: the panel is labelled with the name as asked, spaces dropped.
	for _, args := range [][]string{{"div.cir", "v(a,b)"}, {"printb.cir", "v(a, b)"}, {"div.tran.csv", "v(a,b)"}, {"div.raw", "v(a,b)"}} {
		r := runCLI(t, ctx, dir, append([]string{"plot", "-q", "-o", "d.svg", "--seed", "5"}, args...)...)
		if r.code != 0 {
			t.Errorf("plot %v: exit %d: %s", args, r.code, r.stderr)
			continue
		}
		if svg := svgText(t, filepath.Join(dir, "d.svg")); !strings.Contains(svg, ">v(a,b) [V]<") {
			t.Errorf("plot %v: no panel v(a,b) [V]", args)
		}
	}
	r := runCLI(t, ctx, dir, "plot", "div.cir", "v(a,zz)")
	if r.code != 1 || !strings.Contains(r.stderr, `no vector "v(a,zz)": no v(zz) to compute it from`) {
		t.Errorf("v(a,zz): exit %d, stderr %q", r.code, r.stderr)
	}
}
