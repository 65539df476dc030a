package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// stepNetlist steps a resistor's parameter over three values, with an operating point, a
// transient and a measurement of it.
const stepNetlist = `RC steps
.param rval=1k
V1 in 0 DC 1 PULSE(0 1 0 1u 1u 1 2)
R1 in out {rval}
C1 out 0 1n
.step param rval list 1k 2.2k 4.7k
.op
.tran 1u 20u
.meas tran v10 find v(out) at=10u
.end
`

// mcNetlistSmall is a Monte Carlo divider with its own random values in every run.
const mcNetlistSmall = `MC divider
.options seed=3
V1 in 0 1
R1 in out {agauss(10k, 1.5k, 3)}
R2 out 0 {agauss(10k, 1.5k, 3)}
.step param run 1 12 1
.op
.end
`

// readCSVRows reads a CSV file as its header and rows of fields.
func readCSVRows(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var rows [][]string
	for _, l := range lines[1:] {
		rows = append(rows, strings.Split(l, ","))
	}
	return strings.Split(lines[0], ","), rows
}

func TestStepWritesEveryRunInStepOrder(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", stepNetlist)
	r := runCLI(t, context.Background(), dir, "run", "rc.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	header, rows := readCSVRows(t, filepath.Join(dir, "rc.op.csv"))
	if want := []string{"rval", "v(in)", "v(out)", "i(v1)", "status"}; !slices.Equal(header, want) {
		t.Errorf("rc.op.csv columns %v, want %v", header, want)
	}
	if len(rows) != 3 {
		t.Fatalf("rc.op.csv: %d rows, want one a run", len(rows))
	}
	for k, want := range []string{"1000", "2200", "4700"} {
		if rows[k][0] != want || rows[k][len(rows[k])-1] != "ok" {
			t.Errorf("row %d: %v, want rval %s and ok", k+1, rows[k], want)
		}
	}
	// The transient's rows: every run's points, runs in order, and each run's RC
	// charging at its own time constant.
	header, rows = readCSVRows(t, filepath.Join(dir, "rc.tran.csv"))
	if header[0] != "rval" || header[1] != "time" || header[len(header)-1] != "status" {
		t.Errorf("rc.tran.csv columns %v", header)
	}
	runs := []string{}
	for _, row := range rows {
		if len(runs) == 0 || runs[len(runs)-1] != row[0] {
			runs = append(runs, row[0])
		}
	}
	if !slices.Equal(runs, []string{"1000", "2200", "4700"}) {
		t.Errorf("rc.tran.csv runs in the order %v", runs)
	}
	// The measurement file, and its summary on stderr.
	header, rows = readCSVRows(t, filepath.Join(dir, "rc.meas.csv"))
	if !slices.Equal(header, []string{"rval", "v10", "status"}) || len(rows) != 3 {
		t.Fatalf("rc.meas.csv: %v, %d rows", header, len(rows))
	}
	for k, rval := range []float64{1e3, 2.2e3, 4.7e3} {
		v, _ := strconv.ParseFloat(rows[k][1], 64)
		// The source rises in 1 us: the response lags the step by about that, half.
		want := 1 - math.Exp(-(10e-6-0.5e-6)/(rval*1e-9))
		if math.Abs(v-want) > 2e-3 {
			t.Errorf("run %d: v10 = %g, want about %g", k+1, v, want)
		}
	}
	if !strings.Contains(r.stderr, "v10 over 3 runs: mean") {
		t.Errorf("no summary of v10 on stderr:\n%s", r.stderr)
	}
}

// gospiceProcess runs this test binary as gospice in dir with the environment env added.
func gospiceProcess(t *testing.T, dir string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOSPICE_AS_MAIN=1"), env...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, errb.String()
}

// sameFiles fails unless dirs a and b hold the same files, byte for byte (shard.json aside).
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	read := func(dir string) map[string][]byte {
		out := map[string][]byte{}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() == "shard.json" || e.Name() == "mc.cir" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = b
		}
		return out
	}
	fa, fb := read(a), read(b)
	if len(fa) == 0 || len(fa) != len(fb) {
		t.Fatalf("%s holds %d files, %s %d", a, len(fa), b, len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
}

// TestStepFilesDoNotDependOnCores: the files are the same to the byte with one core and
// with all, and with the same seed twice; another seed changes them.
func TestStepFilesDoNotDependOnCores(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "mc.cir", mcNetlistSmall)
	for _, run := range []struct {
		out string
		env []string
		arg []string
	}{
		{"one", []string{"GOMAXPROCS=1"}, nil},
		{"all", nil, nil},
		{"again", []string{"GOMAXPROCS=4"}, nil},
		{"seed", nil, []string{"--seed", "4"}},
	} {
		os.Mkdir(filepath.Join(dir, run.out), 0o755)
		args := append([]string{"run", "mc.cir", "--quiet", "--outdir", run.out}, run.arg...)
		if code, stderr := gospiceProcess(t, dir, run.env, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	sameFiles(t, filepath.Join(dir, "one"), filepath.Join(dir, "all"))
	sameFiles(t, filepath.Join(dir, "one"), filepath.Join(dir, "again"))
	a, _ := os.ReadFile(filepath.Join(dir, "one", "mc.op.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "seed", "mc.op.csv"))
	if bytes.Equal(a, b) {
		t.Error("--seed 4 gave the files of .options seed=3")
	}
	// The runs differ from each other (each draws its own resistors).
	_, rows := readCSVRows(t, filepath.Join(dir, "one", "mc.op.csv"))
	seen := map[string]bool{}
	for _, row := range rows {
		seen[row[2]] = true
	}
	if len(seen) != len(rows) {
		t.Errorf("%d different v(out) in %d runs", len(seen), len(rows))
	}
}

// TestShardsMergeIntoTheSingleRun: three shards, merged in any order, give the files of
// one run, byte for byte; --run I gives row I alone.
func TestShardsMergeIntoTheSingleRun(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "mc.cir", mcNetlistSmall+".tran 1u 5u\n.meas tran vo find v(out) at=5u\n")
	ctx := context.Background()
	os.Mkdir(filepath.Join(dir, "single"), 0o755)
	if r := runCLI(t, ctx, dir, "run", "mc.cir", "--quiet", "--outdir", "single"); r.code != 0 {
		t.Fatalf("single: exit %d: %s", r.code, r.stderr)
	}
	for k := 1; k <= 3; k++ {
		out := filepath.Join(dir, fmt.Sprint("s", k))
		os.Mkdir(out, 0o755)
		if r := runCLI(t, ctx, dir, "run", "mc.cir", "--quiet", "--shard", fmt.Sprintf("%d/3", k), "--outdir", out); r.code != 0 {
			t.Fatalf("shard %d: exit %d: %s", k, r.code, r.stderr)
		}
		var m shardManifest
		b, _ := os.ReadFile(filepath.Join(out, "shard.json"))
		if err := json.Unmarshal(b, &m); err != nil || m.Shard != k || m.Shards != 3 || m.Total != 12 || m.Seed != 3 {
			t.Errorf("shard %d: shard.json %s (%v)", k, b, err)
		}
	}
	os.Mkdir(filepath.Join(dir, "merged"), 0o755)
	if r := runCLI(t, ctx, dir, "merge", "s3", "s1", "s2", "--outdir", "merged"); r.code != 0 {
		t.Fatalf("merge: exit %d: %s", r.code, r.stderr)
	}
	sameFiles(t, filepath.Join(dir, "single"), filepath.Join(dir, "merged"))

	_, all := readCSVRows(t, filepath.Join(dir, "single", "mc.op.csv"))
	for _, i := range []int{1, 7, 12} {
		out := filepath.Join(dir, fmt.Sprint("run", i))
		os.Mkdir(out, 0o755)
		if r := runCLI(t, ctx, dir, "run", "mc.cir", "--quiet", "--run", fmt.Sprint(i), "--outdir", out); r.code != 0 {
			t.Fatalf("--run %d: exit %d: %s", i, r.code, r.stderr)
		}
		_, one := readCSVRows(t, filepath.Join(out, "mc.op.csv"))
		if len(one) != 1 || !slices.Equal(one[0], all[i-1]) {
			t.Errorf("--run %d gave %v, the full run's row is %v", i, one, all[i-1])
		}
	}
}

// TestMergeRefusesShardsThatDoNotBelong: a missing or doubled shard, and shards of
// another netlist, seed or shard count are refused with a message that names them.
func TestMergeRefusesShardsThatDoNotBelong(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	writeNetlist(t, dir, "mc.cir", mcNetlistSmall)
	writeNetlist(t, dir, "other.cir", strings.Replace(mcNetlistSmall, "1.5k", "1.6k", 2))
	shardOf := func(name, netlist string, extra ...string) string {
		out := filepath.Join(dir, name)
		os.Mkdir(out, 0o755)
		args := append([]string{"run", netlist, "--quiet", "--outdir", out}, extra...)
		if r := runCLI(t, ctx, dir, args...); r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		return out
	}
	a1 := shardOf("a1", "mc.cir", "--shard", "1/2")
	a2 := shardOf("a2", "mc.cir", "--shard", "2/2")
	other := shardOf("o2", "other.cir", "--shard", "2/2")
	seed := shardOf("seed2", "mc.cir", "--shard", "2/2", "--seed", "9")
	three := shardOf("t2", "mc.cir", "--shard", "2/3")
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	for _, c := range []struct {
		dirs []string
		want string
	}{
		{[]string{a1}, "missing: shard 2"},
		{[]string{a1, a2, a2}, "given twice"},
		{[]string{a1, other}, "different netlists"},
		{[]string{a1, seed}, "different seeds"},
		{[]string{a1, three}, "different numbers of shards"},
		{[]string{a1, dir}, "no shard.json"},
	} {
		r := runCLI(t, ctx, dir, append(append([]string{"merge"}, c.dirs...), "--outdir", "out")...)
		if r.code != exitInput || !strings.Contains(r.stderr, c.want) {
			t.Errorf("merge %v: exit %d, %q; want exit 1 and %q", c.dirs, r.code, r.stderr, c.want)
		}
	}
	if got := files(t, filepath.Join(dir, "out")); len(got) != 0 {
		t.Errorf("a refused merge wrote %v", got)
	}
}

// TestFailedRunIsRecorded: a run that cannot be solved is recorded in the status column
// with the reason, the others finish, and the exit code is 2.
func TestFailedRunIsRecorded(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "f.cir", `failing run
.param p=1
V1 c 0 1
B1 a 0 V={sqrt(v(c)*p)}
R1 a 0 1k
.step param p list 1 -1 4
.op
.tran 1u 3u
.end
`)
	r := runCLI(t, context.Background(), dir, "run", "f.cir")
	if r.code != exitStopped || !strings.Contains(r.stderr, "1 of 3 runs failed") || !strings.Contains(r.stderr, "run 2 (p=-1)") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	_, op := readCSVRows(t, filepath.Join(dir, "f.op.csv"))
	_, tran := readCSVRows(t, filepath.Join(dir, "f.tran.csv"))
	if len(op) != 3 || op[0][len(op[0])-1] != "ok" || op[2][len(op[2])-1] != "ok" || op[2][2] != "2" {
		t.Errorf("op rows %v", op)
	}
	if status := op[1][len(op[1])-1]; !strings.Contains(status, "sqrt") || op[1][2] != "NaN" {
		t.Errorf("the failed run's op row %v", op[1])
	}
	var notRun int
	for _, row := range tran {
		if row[0] == "-1" {
			notRun++
			if !strings.HasPrefix(row[len(row)-1], "not run: op failed") {
				t.Errorf("the failed run's tran row %v", row)
			}
		}
	}
	if notRun != 1 {
		t.Errorf("the failed run has %d tran rows, want one saying it did not run", notRun)
	}
}

// TestStepRawFileHasAPlotPerRun: with --format raw, each run's analyses are plots whose
// titles end with the step values.
func TestStepRawFileHasAPlotPerRun(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", stepNetlist)
	if r := runCLI(t, context.Background(), dir, "run", "rc.cir", "--format", "raw", "--quiet"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	f, err := os.Open(filepath.Join(dir, "rc.raw"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plots, err := readRaw(f)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, p := range plots {
		titles = append(titles, p.Name+": "+p.Title)
	}
	want := []string{
		"Operating Point: RC steps [rval=1k]", "Transient Analysis: RC steps [rval=1k]",
		"Operating Point: RC steps [rval=2.2k]", "Transient Analysis: RC steps [rval=2.2k]",
		"Operating Point: RC steps [rval=4.7k]", "Transient Analysis: RC steps [rval=4.7k]",
	}
	if !slices.Equal(titles, want) {
		t.Errorf("plots %q, want %q", titles, want)
	}
	if _, rows := readCSVRows(t, filepath.Join(dir, "rc.meas.csv")); len(rows) != 3 {
		t.Errorf("rc.meas.csv beside the raw file: %d rows, want 3", len(rows))
	}
}

func TestStepFlagErrors(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", stepNetlist)
	writeNetlist(t, dir, "dc.cir", "t\nV1 a 0 1\nR1 a 0 1k\n.step v1 1 2 1\n.dc v1 0 1 0.5\n.end\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "rc.cir", "--run", "4"}, "--run 4: the netlist has 3 runs"},
		{[]string{"run", "rc.cir", "--run", "2", "--shard", "1/2"}, "cannot go together"},
		{[]string{"run", "rc.cir", "--shard", "3/2"}, "shard 3 of 2 does not exist"},
		{[]string{"run", "rc.cir", "--shard", "half"}, "expected K/N"},
		{[]string{"run", "rc.cir", "--shard", "slurm"}, "SLURM_ARRAY_TASK_ID is not set"},
		{[]string{"run", "rc.cir", "--plot", "x.svg"}, "--plot draws one run"},
		{[]string{"run", "rc.cir", "-o", "x.csv"}, "has 2 analyses"},
		{[]string{"run", "dc.cir"}, "the .dc at line 5 sweeps it too"},
		{[]string{"merge", "--outdir", "."}, "requires at least 1 arg"},
	} {
		r := runCLI(t, context.Background(), dir, c.args...)
		if r.code != exitInput || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 1 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, c := range []struct {
		spec string
		vars map[string]string
		want shard
	}{
		{"2/5", nil, shard{2, 5}},
		{"slurm", map[string]string{"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"}, shard{3, 4}},
		{"slurm", map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, shard{1, 4}},
		{"k8s/8", map[string]string{"JOB_COMPLETION_INDEX": "7"}, shard{8, 8}},
	} {
		got, err := parseShard(c.spec, env(c.vars))
		if err != nil || got != c.want {
			t.Errorf("%s %v: %v, %v; want %v", c.spec, c.vars, got, err, c.want)
		}
	}
	if _, err := parseShard("k8s/4", env(map[string]string{"JOB_COMPLETION_INDEX": "4"})); err == nil {
		t.Error("k8s/4 with index 4 (shard 5 of 4) accepted")
	}
	if got := (shard{2, 3}).runs(8); !slices.Equal(got, []int{2, 5, 8}) {
		t.Errorf("shard 2 of 3 of 8 runs: %v", got)
	}
}

// TestStepProgressCountsRuns: on a terminal, a stepped run's bar counts the runs.
func TestStepProgressCountsRuns(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", stepNetlist)
	run := func(terminal bool, args ...string) string {
		var out, errb bytes.Buffer
		wd, _ := os.Getwd()
		os.Chdir(dir)
		defer os.Chdir(wd)
		a := &app{ctx: context.Background(), stdout: &out, stderr: &errb, terminal: terminal}
		if code := a.execute(args); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return errb.String()
	}
	if s := run(true, "run", "rc.cir"); !strings.Contains(s, "runs ") || !strings.Contains(s, "(2/3)") {
		t.Errorf("no bar counting 3 runs: %q", s)
	}
	if s := run(false, "run", "rc.cir"); strings.Contains(s, "/3)") {
		t.Errorf("a bar where standard error is no terminal: %q", s)
	}
}

// TestOutputToAPipe: -o naming a pipe (as /dev/null is a device) writes into it and
// leaves it a pipe: it is never replaced by a renamed file.
func TestOutputToAPipe(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	for _, format := range []string{"csv", "raw"} {
		fifo := filepath.Join(dir, "pipe-"+format)
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
		got := make(chan []byte)
		go func() {
			b, _ := os.ReadFile(fifo) // blocks until the writer opens and closes it
			got <- b
		}()
		r := runCLI(t, context.Background(), dir, "run", "rc.cir", "-o", fifo, "--format", format, "--quiet")
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
		if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("%s: the pipe was replaced: %v %v", format, st.Mode(), err) // (its reader stays blocked)
		}
		b := <-got
		if want := map[string]string{"csv": "time,v(in),v(out),i(v1)\n", "raw": "Title: RC\n"}[format]; !bytes.HasPrefix(b, []byte(want)) {
			t.Errorf("%s: the pipe got %q..., want it to start with %q", format, b[:min(len(b), 40)], want)
		}
	}
}

// TestANoteIsPrintedOnce: every analysis solves its own operating point, but the note
// that gmin stepping was needed comes once.
func TestANoteIsPrintedOnce(t *testing.T) {
	src, err := os.ReadFile("../../netlists/op_opamp.cir")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeNetlist(t, dir, "amp.cir", string(src))
	r := runCLI(t, context.Background(), dir, "run", "amp.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stderr, "gmin stepping converged"); n != 1 {
		t.Errorf("the gmin stepping note came %d times:\n%s", n, r.stderr)
	}
}

// TestStopAfterTheFirstRowKeepsIt: a transient that stops after writing its point at
// t = 0 keeps that row in its partial file (the count is of rows, not accepted steps).
func TestStopAfterTheFirstRowKeepsIt(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "s.cir", "stops\nB1 a 0 V={sqrt(-time)}\nR1 a 0 1k\n.tran 1u 10u\n.end\n")
	for _, format := range []string{"csv", "raw"} {
		r := runCLI(t, context.Background(), dir, "run", "s.cir", "--format", format)
		if r.code != exitStopped || !strings.Contains(r.stderr, "the points computed so far are in") {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
	}
	_, rows := readCSVRows(t, filepath.Join(dir, "s.tran.partial.csv"))
	if len(rows) != 1 || rows[0][0] != "0" {
		t.Errorf("the partial file's rows: %v, want the one at t = 0", rows)
	}
	if _, err := os.Stat(filepath.Join(dir, "s.partial.raw")); err != nil {
		t.Errorf("no partial raw file: %v", err)
	}
}
