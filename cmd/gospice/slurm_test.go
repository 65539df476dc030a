//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// slurmShard is the shard K of N that gospice's --shard slurm takes from a job array
// task's environment: K = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
// SLURM_ARRAY_TASK_STEP + 1 and N = SLURM_ARRAY_TASK_COUNT.
func slurmShard(id, minID, step, count int) (k, n int) {
	return (id-minID)/step + 1, count
}

// TestSlurmBringUp starts a real one-node Slurm and runs a job array that records the
// array variables of each task, as --shard slurm reads them: whatever --array numbers
// the tasks, they are shards 1 to 4 of 4.
func TestSlurmBringUp(t *testing.T) {
	c := startSlurm(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "env.sh")
	if err := os.WriteFile(script, []byte(`#!/bin/sh
#SBATCH --job-name=gospice-env
#SBATCH --output=env-%A_%a.out
#SBATCH --time=1
echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_MIN $SLURM_ARRAY_TASK_STEP $SLURM_ARRAY_TASK_COUNT" > "task.$SLURM_ARRAY_JOB_ID.$SLURM_ARRAY_TASK_ID"
`), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, array := range []string{"1-4", "3-9:2"} {
		id := c.sbatchWait(t, dir, 90*time.Second, script, "--array="+array)
		files, _ := filepath.Glob(filepath.Join(dir, "task."+id+".*"))
		if len(files) != 4 {
			t.Fatalf("--array=%s: %d tasks wrote their environment, want 4: %v", array, len(files), files)
		}
		var shards []int
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var v [4]int
			fields := strings.Fields(string(data))
			if len(fields) != 4 {
				t.Fatalf("--array=%s: %s holds %q, want 4 numbers", array, filepath.Base(f), data)
			}
			for i, s := range fields {
				if v[i], err = strconv.Atoi(s); err != nil || (i == 2 && v[i] == 0) {
					t.Fatalf("--array=%s: %s holds %q, want 4 numbers", array, filepath.Base(f), data)
				}
			}
			k, n := slurmShard(v[0], v[1], v[2], v[3])
			if n != 4 {
				t.Errorf("--array=%s: task %d sees SLURM_ARRAY_TASK_COUNT=%d, want 4", array, v[0], n)
			}
			shards = append(shards, k)
		}
		slices.Sort(shards)
		if !slices.Equal(shards, []int{1, 2, 3, 4}) {
			t.Errorf("--array=%s: the tasks are shards %v, want 1 to 4", array, shards)
		}
	}
}

// mcNetlist is a Monte Carlo run of an RC divider: 40 step points, each resistor with
// its own Gaussian spread, an operating point, a short transient and a measurement of it
// per point.
const mcNetlist = `Monte Carlo divider
.options seed=7
V1 in 0 DC 1 PULSE(0 1 0 1u)
R1 in out {agauss(10k, 0.5k, 3)}
R2 out 0 {agauss(10k, 0.5k, 3)}
C1 out 0 1n
.step param run 1 40 1
.op
.tran 1u 50u
.meas tran vout find v(out) at=50u
.end
`

// gospiceHas says whether gospice's help shows what the job array needs: run --shard
// and a merge command.
func gospiceHas() (missing string) {
	var out, errb bytes.Buffer
	if execute(context.Background(), []string{"run", "--help"}, &out, &errb) != 0 || !strings.Contains(out.String(), "--shard") {
		return "gospice run --help lists no --shard"
	}
	out.Reset()
	if execute(context.Background(), []string{"merge", "--help"}, &out, &errb) != 0 || !strings.Contains(out.String(), "gospice merge") {
		return "gospice has no merge command"
	}
	return ""
}

// TestSlurmJobArray runs a Monte Carlo netlist on a real Slurm as a job array of 4
// tasks, one shard each, merges the shards and compares the result with the same
// netlist run on one machine: the files must be the same bytes.
func TestSlurmJobArray(t *testing.T) {
	if missing := gospiceHas(); missing != "" {
		t.Skip("the Slurm job array needs gospice run --shard and gospice merge: " + missing)
	}
	start := time.Now()
	c := startSlurm(t)
	dir := t.TempDir()
	bin := buildGospice(t, dir)
	writeNetlist(t, dir, "mc.cir", mcNetlist)

	for _, sub := range []string{"single", "merged", "logs"} { // gospice writes into folders that exist
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	runGospice(t, dir, "run", "mc.cir", "--outdir", "single")

	script := filepath.Join(dir, "mc.sbatch")
	if err := os.WriteFile(script, []byte(`#!/bin/sh
#SBATCH --job-name=gospice-mc
#SBATCH --output=logs/mc-%A_%a.out
#SBATCH --time=5
set -eu
mkdir -p "shards/$SLURM_ARRAY_TASK_ID"
exec `+shQuote(bin)+` run mc.cir --shard slurm --outdir "shards/$SLURM_ARRAY_TASK_ID"
`), 0o755); err != nil {
		t.Fatal(err)
	}
	arrayStart := time.Now()
	id := c.sbatchWaitLogs(t, dir, script, "--array=1-4")
	arrayTime := time.Since(arrayStart)

	shards, _ := filepath.Glob(filepath.Join(dir, "shards", "*"))
	if len(shards) != 4 {
		t.Fatalf("job %s left %d shard folders, want 4: %v", id, len(shards), shards)
	}
	for _, s := range shards {
		k, err := strconv.Atoi(filepath.Base(s)) // the task id: 1 to 4, so K is the id
		if err != nil {
			t.Fatalf("shard folder %s: %v", s, err)
		}
		checkShardJSON(t, s, k)
	}
	rel := make([]string, len(shards))
	for i, s := range shards {
		rel[i], _ = filepath.Rel(dir, s)
	}
	runGospice(t, dir, append(append([]string{"merge"}, rel...), "--outdir", "merged")...)

	single := dirFiles(t, filepath.Join(dir, "single"))
	merged := dirFiles(t, filepath.Join(dir, "merged"))
	if len(single) == 0 {
		t.Fatal("the single-machine run wrote no file")
	}
	for name, want := range single {
		got, ok := merged[name]
		switch {
		case !ok:
			t.Errorf("merge wrote no %s", name)
		case !bytes.Equal(got, want):
			t.Errorf("merged %s differs from the single-machine run's:\n%s", name, firstDifference(want, got))
		}
	}
	for name := range merged {
		if _, ok := single[name]; !ok && strings.HasSuffix(name, ".csv") {
			t.Errorf("merge wrote %s, which the single-machine run does not", name)
		}
	}
	t.Logf("files compared: %v; array job %v, whole test %v", slices.Sorted(maps.Keys(single)),
		arrayTime.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// sbatchWaitLogs is sbatchWait with the tasks' output (logs/*.out) in a failure message.
func (c *slurmCluster) sbatchWaitLogs(t *testing.T, dir, script string, opts ...string) string {
	t.Helper()
	logs := func() string {
		var b strings.Builder
		files, _ := filepath.Glob(filepath.Join(dir, "logs", "*"))
		for _, f := range files {
			data, _ := os.ReadFile(f)
			fmt.Fprintf(&b, "--- %s:\n%s\n", filepath.Base(f), data)
		}
		return b.String()
	}
	ok := false
	t.Cleanup(func() {
		if !ok {
			t.Logf("the tasks' output:\n%s", logs())
		}
	})
	id := c.sbatchWait(t, dir, 90*time.Second, script, opts...)
	ok = true
	return id
}

// buildGospice builds the gospice command into dir/bin.
func buildGospice(t *testing.T, dir string) string {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		var lookErr error
		if goTool, lookErr = exec.LookPath("go"); lookErr != nil {
			t.Skip("no go tool to build gospice with")
		}
	}
	bin := filepath.Join(dir, "bin", "gospice")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("go build: %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// runGospice runs the built gospice command in dir, for at most a minute.
func runGospice(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(dir, "bin", "gospice"), args...)
	cmd.Dir = dir
	cmd.WaitDelay = time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gospice %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// checkShardJSON checks that a shard folder has a shard.json that names shard k of 4 of
// the netlist's 40 runs, holding the runs the shard rule gives it.
func checkShardJSON(t *testing.T, dir string, k int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "shard.json"))
	if err != nil {
		t.Errorf("shard %s: %v", filepath.Base(dir), err)
		return
	}
	var m shardManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Errorf("shard %s: shard.json: %v\n%s", filepath.Base(dir), err, data)
		return
	}
	var want []int
	for i := k; i <= 40; i += 4 {
		want = append(want, i)
	}
	if m.Shard != k || m.Shards != 4 || m.Total != 40 || !slices.Equal(m.Runs, want) || m.Seed != 7 || len(m.SHA256) != 64 {
		t.Errorf("shard %s: shard.json is not shard %d of 4 of 40 runs (%v), seed 7:\n%s", filepath.Base(dir), k, want, data)
	}
}

// dirFiles reads every regular file in dir.
func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

// firstDifference shows the first line where two files differ.
func firstDifference(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			return fmt.Sprintf("line %d: want %q\n         got  %q\n(%d lines wanted, %d got)", i+1, wl, gl, len(w), len(g))
		}
	}
	return "(same lines; the bytes differ)"
}
