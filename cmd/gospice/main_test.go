package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
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
	writeNetlist(t, dir, "bad.cir", "bad\nR1 a 0 1k\nZ1 a b c zmod\n.op\n.end\n")
	r := runCLI(t, context.Background(), dir, "run", "bad.cir")
	if r.code != 1 || !strings.Contains(r.stderr, "bad.cir:3:1:") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("output written for a bad netlist: %v", got)
	}
}

func TestFloatingNodeStopsWithPartialFile(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "float.cir", "floating\nV1 a 0 1\nR1 a 0 1k\nC1 a b 1u\nC2 b 0 1u\nR2 c d 1k\n.op\n.end\n")
	r := runCLI(t, context.Background(), dir, "run", "float.cir")
	if r.code != 2 {
		t.Errorf("exit %d, want 2: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "node") || !strings.Contains(r.stderr, "float.op.partial.csv") {
		t.Errorf("stderr does not name the node and the partial file: %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "float.op.csv")); err == nil {
		t.Error("a failed run left a file with the final name")
	}
}

func TestCancelledRunKeepsPartialFile(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", rcNetlist)
	// A complete file from an earlier run must not survive a failed one.
	writeNetlist(t, dir, "rc.tran.csv", "stale\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runCLI(t, ctx, dir, "run", "rc.cir")
	if r.code != 2 {
		t.Errorf("exit %d, want 2: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "rc.tran.partial.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "time,") {
		t.Errorf("partial file %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "rc.tran.csv")); err == nil {
		t.Error("the stale complete file is still there")
	}
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
	time.Sleep(500 * time.Millisecond)
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
	time.Sleep(500 * time.Millisecond)
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
