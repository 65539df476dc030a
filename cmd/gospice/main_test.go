package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the gospice command (GOSPICE_AS_MAIN=1), so
// signals can be sent to a real process.
func TestMain(m *testing.M) {
	if os.Getenv("GOSPICE_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, ctx context.Context, dir string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	code := execute(ctx, args, &out, &errb)
	return result{code, out.String(), errb.String()}
}

func writeNetlist(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const rcNetlist = `RC
V1 in 0 PULSE(0 1 0 1u 1u 1m 2m)
R1 in out 1k
C1 out 0 1u
.tran 10u 2m
.end
`

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRunWritesStemAnalysisCSV(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	r := runCLI(t, context.Background(), dir, "run", "rc.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("standard output should be empty, got %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "wrote rc.tran.csv") {
		t.Errorf("stderr does not say what was written: %q", r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "rc.tran.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if lines[0] != "time,v(in),v(out),i(v1)" {
		t.Errorf("header %q", lines[0])
	}
	if lines[1] != "0,0,0,0" {
		t.Errorf("first row %q", lines[1])
	}
	if got := files(t, dir); len(got) != 2 {
		t.Errorf("files left behind: %v", got)
	}
}

func TestRunOutputFlags(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	if r := runCLI(t, context.Background(), dir, "run", "rc.cir", "-o", "out.csv"); r.code != 0 {
		t.Fatalf("-o: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err != nil {
		t.Error(err)
	}
	r := runCLI(t, context.Background(), dir, "run", "rc.cir", "-o", "-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "time,v(in),v(out),i(v1)\n0,0,0,0\n") {
		t.Errorf("-o -: exit %d, stdout starts %.60q", r.code, r.stdout)
	}
	if err := os.Mkdir(filepath.Join(dir, "res"), 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, context.Background(), dir, "run", "rc.cir", "--outdir", "res"); r.code != 0 {
		t.Fatalf("--outdir: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "res", "rc.tran.csv")); err != nil {
		t.Error(err)
	}
}

func TestSeveralAnalysesNeedOutdir(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "two.cir", strings.Replace(rcNetlist, ".tran", ".op\n.tran", 1))
	r := runCLI(t, context.Background(), dir, "run", "two.cir", "-o", "x.csv")
	if r.code != 1 || !strings.Contains(r.stderr, "use --outdir") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "run", "two.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, f := range []string{"two.op.csv", "two.tran.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	op, _ := os.ReadFile(filepath.Join(dir, "two.op.csv"))
	if string(op) != "v(in),v(out),i(v1)\n0,0,0\n" {
		t.Errorf("op file %q", op)
	}
}

func TestBadNetlistExitsOneWithPosition(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "bad.cir", "bad\nR1 a 0 1k\nN1 a b c pmod\n.op\n.end\n")
	r := runCLI(t, context.Background(), dir, "run", "bad.cir")
	if r.code != 1 || !strings.Contains(r.stderr, "bad.cir:3:1:") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("output written for a bad netlist: %v", got)
	}
}

// TestUnsolvableCircuitsStop runs circuits whose run stops through the binary: each
// exits with 2 and an error naming the unknown, the time or the expression; the points
// computed before the stop are in the partial file, never in a file with the final name,
// and a run that stops before its first point leaves no file at all (a stale file of
// either name included). Circuits whose topology has no operating point are refused
// before simulating (TestTopologyProblemsAreRefusedBeforeSimulating).
func TestUnsolvableCircuitsStop(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess per circuit")
	}
	cases := []struct {
		name, netlist string
		want          []string // on standard error
		partial       string   // "": no file
		minPoints     int      // rows of the partial file, header excluded
	}{
		{"sqrt-op", "sqrt\nV1 a 0 1\nR1 a b 1k\nB1 b 0 V=sqrt(-1-v(a))\n.op\n.end\n",
			[]string{"op stopped: sqrt-op.cir:4:10: b1: sqrt(-1-v(a)) is not a finite number"}, "", 0},
		{"sqrt-tran", "sqrt\nV1 a 0 1\nR1 a b 1k\nB1 b 0 V=sqrt(-1-v(a))\n.tran 1u 1m\n.end\n",
			[]string{"transient stopped at t = 0 s: initial operating point: sqrt-tran.cir:4:10: b1: sqrt(-1-v(a))"}, "", 0},
		// v grows as exp(t/1ms) until it overflows, near t = 0.64 s.
		{"negative-resistor", "grow\nR1 a 0 -1k\nC1 a 0 1u IC=1\n.tran 1m 1 uic\n.end\n",
			[]string{"transient stopped at t = 0.64", "the solution diverges: v(a) reached"}, "negative-resistor.tran.partial.csv", 100},
		{"positive-feedback", "posfb\nE1 a 0 b 0 2\nR1 a b 1k\nC1 b 0 1u IC=1\n.tran 1m 1 uic\n.end\n",
			[]string{"transient stopped at t = 0.64", "the solution diverges: v(a) reached"}, "positive-feedback.tran.partial.csv", 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeNetlist(t, dir, c.name+".cir", c.netlist)
			if c.partial == "" { // files of an earlier run, which must not pass for this one's
				kind := "op"
				if strings.Contains(c.netlist, ".tran") {
					kind = "tran"
				}
				writeNetlist(t, dir, c.name+"."+kind+".csv", "stale\n")
				writeNetlist(t, dir, c.name+"."+kind+".partial.csv", "stale\n")
			}
			r := runBinary(t, dir, time.Minute, "run", c.name+".cir", "-q")
			if r.code != 2 {
				t.Errorf("exit %d, want 2: %s", r.code, r.stderr)
			}
			kept := "the points computed so far are in " + c.partial
			if c.partial == "" {
				kept = "no point was computed before the stop, so no file was written"
			}
			for _, w := range append(c.want, kept) {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			if c.partial == "" {
				if got := files(t, dir); len(got) != 1 {
					t.Errorf("files: %v, want the netlist alone", got)
				}
				return
			}
			data, err := os.ReadFile(filepath.Join(dir, c.partial))
			if err != nil {
				t.Fatal(err)
			}
			if rows := strings.Count(string(data), "\n") - 1; rows < c.minPoints {
				t.Errorf("%s has %d points, want at least %d", c.partial, rows, c.minPoints)
			}
			if got := files(t, dir); len(got) != 2 {
				t.Errorf("files: %v, want the netlist and the partial file", got)
			}
		})
	}
	t.Run("current-into-capacitor-uic", func(t *testing.T) {
		dir := t.TempDir()
		writeNetlist(t, dir, "ramp.cir", "ramp\nI1 0 a 1m\nC1 a 0 1u\n.print tran v(a)\n.tran 1u 1m uic\n.end\n")
		r := runBinary(t, dir, time.Minute, "run", "ramp.cir", "-q")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		data, _ := os.ReadFile(filepath.Join(dir, "ramp.tran.csv"))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		// v = I t / C: 1 V at 1 ms.
		last := strings.Split(lines[len(lines)-1], ",")
		tEnd, _ := strconv.ParseFloat(last[0], 64)
		v, _ := strconv.ParseFloat(last[len(last)-1], 64)
		if tEnd != 1e-3 || math.Abs(v-1) > 1e-9 {
			t.Errorf("last row %v, want v(a) = 1 at 1 ms", last)
		}
	})
}

// A run stopped before its first point writes nothing, and leaves no file of an earlier
// run, complete or partial, that could pass for this one's.
func TestCancelledRunBeforeItsFirstPointWritesNoFile(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	writeNetlist(t, dir, "rc.tran.csv", "stale\n")
	writeNetlist(t, dir, "rc.tran.partial.csv", "stale\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runCLI(t, ctx, dir, "run", "rc.cir")
	if r.code != 2 || !strings.Contains(r.stderr, "no point was computed before the stop, so no file was written") {
		t.Errorf("exit %d, want 2: %s", r.code, r.stderr)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files: %v, want the netlist alone", got)
	}
}

// waitForOutput waits until the running gospice's output file (the temporary file matching
// pattern in dir) holds at least size bytes, so that a signal finds the run under way
// however slowly the machine starts it.
func waitForOutput(t *testing.T, dir, pattern string, size int64) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		names, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, name := range names {
			if st, err := os.Stat(name); err == nil && st.Size() >= size {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no output file %s of %d bytes after 2 minutes", pattern, size)
}

func TestInterruptExits130(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	dir := t.TempDir()
	// Long enough to be still running when the signal arrives.
	writeNetlist(t, dir, "long.cir", "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 10\n.end\n")
	cmd := exec.Command(os.Args[0], "run", "long.cir")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOSPICE_AS_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForOutput(t, dir, ".long.tran.csv.*.tmp", 1)
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("gospice did not stop within 30 s of SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d, want 130: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "long.tran.partial.csv")); err != nil {
		t.Errorf("no partial file: %v (stderr %s)", err, stderr.String())
	}
}

func TestTerminateExits143WithPartialRawFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	dir := t.TempDir()
	writeNetlist(t, dir, "long.cir", "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.op\n.tran 1u 10\n.end\n")
	cmd := exec.Command(os.Args[0], "run", "long.cir", "--format", "raw")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOSPICE_AS_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Past the .op plot and some transient points, beyond what a write buffer holds.
	waitForOutput(t, dir, ".long.raw.*.tmp", 16<<10)
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("gospice did not stop within 30 s of SIGTERM")
	}
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit %d, want 143: %s", code, stderr.String())
	}
	f, err := os.Open(filepath.Join(dir, "long.partial.raw"))
	if err != nil {
		t.Fatalf("no partial raw file: %v (stderr %s)", err, stderr.String())
	}
	defer f.Close()
	plots, err := readRaw(f)
	if err != nil || len(plots) != 2 || plots[1].Points() < 2 {
		t.Errorf("partial raw file: %d plots, %v", len(plots), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "long.raw")); err == nil {
		t.Error("an interrupted run left a file with the final name")
	}
}
