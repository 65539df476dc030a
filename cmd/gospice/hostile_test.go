package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// badDir holds malformed and hostile netlists. Each names the error it must give: its
// first line (the title) is "* want: <text>", or, where the first line cannot carry it
// (an empty file, binary garbage, another encoding), a file <name>.want holds the text.
const badDir = "testdata/bad"

// runBinary runs this test binary as the gospice command in dir, stopping it after
// limit. It fails the test when the command crashed: a Go panic or fatal error on
// standard error, or no exit at all within the limit.
func runBinary(t *testing.T, dir string, limit time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOSPICE_AS_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("gospice %s: still running after %v", strings.Join(args, " "), limit)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	r := result{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
	if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "fatal error:") {
		t.Fatalf("gospice %s crashed:\n%.2000s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// wantOf reads the error a bad netlist must give.
func wantOf(t *testing.T, path string) string {
	t.Helper()
	if b, err := os.ReadFile(strings.TrimSuffix(path, ".cir") + ".want"); err == nil {
		return strings.TrimSpace(string(b))
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(src), "\n")
	want, ok := strings.CutPrefix(strings.TrimSpace(first), "* want: ")
	if !ok {
		t.Fatalf("%s: no \"* want: \" line at the top and no .want file", path)
	}
	return want
}

// checkNoOutput fails when dir holds any file: an output, a partial one, a temporary one.
func checkNoOutput(t *testing.T, dir string) {
	t.Helper()
	if got := files(t, dir); len(got) > 0 {
		t.Errorf("files left in the output folder: %v", got)
	}
}

// TestBadNetlists runs every netlist of testdata/bad through gospice run: each must exit
// with 1 and the error it names, without a crash and without leaving a file behind.
func TestBadNetlists(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess per netlist")
	}
	paths, err := filepath.Glob(filepath.Join(badDir, "*.cir"))
	if err != nil || len(paths) < 60 {
		t.Fatalf("%d bad netlists, want at least 60 (%v)", len(paths), err)
	}
	before := files(t, badDir)
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".cir"), func(t *testing.T) {
			want := wantOf(t, path)
			out := t.TempDir()
			r := runBinary(t, badDir, 30*time.Second, "run", name, "--outdir", out)
			if r.code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
			}
			checkNoOutput(t, out)
		})
	}
	if after := files(t, badDir); len(after) != len(before) {
		t.Errorf("files written into %s: %v", badDir, after)
	}
}

// TestLongGarbageLine: a line of a megabyte of garbage is an error at its place, and the
// lines shown under the errors are cut to a window around the column.
func TestLongGarbageLine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "abcdefghij(){}=,.+-*/ 0123456789"
	line := make([]byte, 1<<20)
	for i := range line {
		line[i] = chars[rng.IntN(len(chars))]
	}
	line[0] = 'x' // a word the grammar cannot take after a value
	writeNetlist(t, dir, "long.cir", "long line\nV1 a 0 1\nR1 a 0 1k\nR2 a 0 1k "+string(line)+"\n.op\n.end\n")
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	r := runBinary(t, dir, time.Minute, "run", "long.cir", "--outdir", out)
	if r.code != 1 || !strings.Contains(r.stderr, "long.cir:4:") {
		t.Errorf("exit %d, stderr starts %.300q", r.code, r.stderr)
	}
	if len(r.stderr) > 16<<10 {
		t.Errorf("%d bytes of messages for a line of 1 MiB: the snippets are not cut", len(r.stderr))
	}
	checkNoOutput(t, out)
}

// TestTenMegabyteNetlist: a 10 MB netlist (a ladder of 100,000 resistors, each line
// annotated as an extraction tool writes them) runs its .op within a bounded time, and
// the voltages are right.
func TestTenMegabyteNetlist(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a 10 MB netlist")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("ladder of resistors\nV1 n0 0 1\n")
	n := 0
	for ; b.Len() < 10<<20; n++ {
		fmt.Fprintf(&b, "R%d n%d n%d 1k ; extracted from net_%06d segment %06d, layer metal1, width 0.1u, length 2u, sheet resistance 0.08\n", n, n, n+1, n, n)
	}
	fmt.Fprintf(&b, "R%d n%d 0 1k\n.print op v(n%d)\n.op\n.end\n", n, n, n/2)
	writeNetlist(t, dir, "ten.cir", b.String())
	r := runBinary(t, dir, 3*time.Minute, "run", "ten.cir", "-q")
	if r.code != 0 {
		t.Fatalf("exit %d: %.2000s", r.code, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ten.op.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	v, err := strconv.ParseFloat(lines[len(lines)-1], 64)
	// n+1 equal resistors from 1 V to ground: node k is at 1 - k/(n+1).
	if want := 1 - float64(n/2)/float64(n+1); err != nil || math.Abs(v-want) > 1e-6 {
		t.Errorf("v(n%d) = %v (%v), want %g", n/2, v, err, want)
	}
}

// TestLineEndingsAndEncodings: CRLF, lone CR, a UTF-8 byte order mark, tabs, no final
// newline and no .end are all ordinary netlists.
func TestLineEndingsAndEncodings(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess per netlist")
	}
	cases := map[string]string{
		"crlf":       "divider\r\nV1 a 0 1\r\nR1 a b 1k\r\nR2 b 0 1k\r\n.op\r\n.end\r\n",
		"cr":         "divider\rV1 a 0 1\rR1 a b 1k\rR2 b 0 1k\r.op\r.end\r",
		"bom":        "\ufeffdivider\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.op\n.end\n",
		"bom-crlf":   "\ufeffdivider\r\nV1 a 0 1\r\nR1 a b 1k\r\nR2 b 0 1k\r\n.op\r\n.end\r\n",
		"mixed":      "divider\r\nV1 a 0 1\nR1 a b 1k\r\n\tR2\tb\t0\t1k\n.op",
		"upper-case": "DIVIDER\nV1 A 0 1\nR1 A B 1K\nR2 B GND 1KOHM\n.OP\n.END\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeNetlist(t, dir, "d.cir", text)
			r := runBinary(t, dir, 30*time.Second, "run", "d.cir", "-q")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			data, err := os.ReadFile(filepath.Join(dir, "d.op.csv"))
			if err != nil || string(data) != "v(a),v(b),i(v1)\n1,0.5,-0.0005\n" {
				t.Errorf("d.op.csv %q (%v)", data, err)
			}
		})
	}
}

// TestPlotMemoryLimit: a plot holds at most maxTableValues values in memory. Over it,
// run --plot still writes every point to its CSV file but draws nothing and says why;
// plot stops the run that would have fed it; CSV and raw files too large are refused
// when read, whatever their header claims.
func TestPlotMemoryLimit(t *testing.T) {
	saved := maxTableValues
	defer func() { maxTableValues = saved }()
	maxTableValues = 500 // rc.cir's transient has 4 vectors and over 200 points
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)

	r := runCLI(t, context.Background(), dir, "run", "rc.cir", "--plot", "rc.svg", "-q")
	if r.code != 1 || !strings.Contains(r.stderr, "--plot rc.svg: not drawn: the transient has more than 500 values to hold in memory for a plot (the limit)") {
		t.Errorf("run --plot: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "rc.svg")); err == nil {
		t.Error("a plot was drawn")
	}
	data, err := os.ReadFile(filepath.Join(dir, "rc.tran.csv"))
	if n := strings.Count(string(data), "\n"); err != nil || n < 200 {
		t.Errorf("rc.tran.csv has %d lines (%v), want every point", n, err)
	}

	r = runCLI(t, context.Background(), dir, "plot", "rc.cir", "-o", "p.svg")
	if r.code != 1 || !strings.Contains(r.stderr, "rc.cir: the transient has more than 500 values to hold in memory for a plot") {
		t.Errorf("plot rc.cir: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "plot", "rc.tran.csv", "-o", "p.svg")
	if r.code != 1 || !strings.Contains(r.stderr, "rc.tran.csv: more than 500 values") {
		t.Errorf("plot rc.tran.csv: exit %d, stderr %q", r.code, r.stderr)
	}

	// A raw file whose header claims more points than memory holds, and another whose
	// claim is absurd: refused before anything is allocated.
	maxTableValues = saved
	for _, count := range []string{"100000000", "99999999999999999"} {
		raw := "Title: t\nDate: d\nPlotname: Transient Analysis\nFlags: real\nNo. Variables: 2\nNo. Points: " + count +
			"\nVariables:\n\t0\ttime\ttime\n\t1\tv(a)\tvoltage\nBinary:\n"
		writeNetlist(t, dir, "huge.raw", raw)
		r = runCLI(t, context.Background(), dir, "plot", "huge.raw", "-o", "p.svg")
		if r.code != 1 || !strings.Contains(r.stderr, "values to hold in memory for a plot") {
			t.Errorf("No. Points: %s: exit %d, stderr %q", count, r.code, r.stderr)
		}
	}
}

// TestNetlistFileSizeLimit: a netlist file over 64 MiB is refused before it is read.
func TestNetlistFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	path := writeNetlist(t, dir, "huge.cir", "huge\n")
	if err := os.Truncate(path, 65<<20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), dir, "run", "huge.cir")
	if r.code != 1 || !strings.Contains(r.stderr, "huge.cir: larger than 64 MiB, the most a netlist file may hold") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestSnippetWindow: a long line is shown as a window around the column, the caret still
// under it.
func TestSnippetWindow(t *testing.T) {
	long := strings.Repeat("ab ", 1000) // 3000 bytes
	for _, col := range []int{1, 40, 1500, 2999, 3000} {
		line, c := snippetWindow(long, col)
		if len(line) > snippetWidth+6 {
			t.Errorf("col %d: %d bytes shown", col, len(line))
		}
		if c < 1 || c > len(line) || line[c-1] != long[col-1] {
			t.Errorf("col %d: caret at %d of %q", col, c, line)
		}
	}
	if line, c := snippetWindow("short line", 3); line != "short line" || c != 3 {
		t.Errorf("a short line changed: %q %d", line, c)
	}
	// Multi-byte characters are not cut in half.
	line, _ := snippetWindow(strings.Repeat("é", 200), 150)
	if !utf8.ValidString(line) {
		t.Errorf("window %q is not valid UTF-8", line)
	}
}
