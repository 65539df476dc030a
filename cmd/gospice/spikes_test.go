package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRunWritesSpikes: a netlist with .spikes writes <stem>.spikes.csv (time,vector, in
// time order) beside the file -o names, and a second transient its own file.
func TestRunWritesSpikes(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "sp.cir", `spikes
va x1.n 0 pulse(0 1 1m 100u 100u 200u 1m)
vb x2.n 0 pulse(0 1 1.5m 100u 100u 200u 1m)
.spikes v(x*) level=0.5
.tran 10u 3.2m
.tran 10u 1.2m
.end
`)
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), dir, "run", "sp.cir", "--outdir", "out")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "wrote "+filepath.Join("out", "sp.spikes.csv")+" (5 spikes)") {
		t.Errorf("stderr: %q", r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out", "sp.spikes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Ramps of 100 us from 1, 1.5, 2, 2.5, 3 ms cross 0.5 V 50 us in.
	want := "time,vector\n0.00105,v(x1.n)\n0.00155,v(x2.n)\n0.00205,v(x1.n)\n0.00255,v(x2.n)\n0.00305,v(x1.n)\n"
	if got := string(data); !sameSpikes(got, want) {
		t.Errorf("sp.spikes.csv:\n%s\nwant\n%s", got, want)
	}
	data, err = os.ReadFile(filepath.Join(dir, "out", "sp.spikes2.csv"))
	if err != nil || strings.Count(string(data), "\n") != 2 {
		t.Errorf("sp.spikes2.csv: %q, %v", data, err)
	}
}

// sameSpikes compares spike files with times rounded to 12 digits.
func sameSpikes(a, b string) bool {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		ta, va, _ := strings.Cut(la[i], ",")
		tb, vb, _ := strings.Cut(lb[i], ",")
		if va != vb {
			return false
		}
		if ta == tb {
			continue
		}
		x, errA := strconv.ParseFloat(ta, 64)
		y, errB := strconv.ParseFloat(tb, 64)
		if errA != nil || errB != nil || x-y > 1e-15 || y-x > 1e-15 {
			return false
		}
	}
	return true
}

// TestPlotSpikes: gospice plot draws a spikes file as a raster over the firing rate, and
// refuses vectors for it.
func TestPlotSpikes(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "sp.spikes.csv", "time,vector\n0.001,v(a)\n0.0015,v(b)\n0.002,v(a)\n")
	r := runCLI(t, context.Background(), dir, "plot", "sp.spikes.csv", "--bin", "0.5m", "-o", "raster.png")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if st, err := os.Stat(filepath.Join(dir, "raster.png")); err != nil || st.Size() < 1000 {
		t.Fatalf("raster.png: %v", err)
	}
	r = runCLI(t, context.Background(), dir, "plot", "sp.spikes.csv", "v(a)", "-o", "r.svg")
	if r.code == 0 || !strings.Contains(r.stderr, "is a spikes file") {
		t.Fatalf("vectors for a spikes file: exit %d, %s", r.code, r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "plot", "sp.spikes.csv", "--bin", "-1", "-o", "r.svg")
	if r.code == 0 || !strings.Contains(r.stderr, "--bin -1") {
		t.Fatalf("--bin -1: exit %d, %s", r.code, r.stderr)
	}
}
