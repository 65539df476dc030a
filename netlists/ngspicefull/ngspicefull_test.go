package ngspicefull

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain makes the test binary the harness's stager too (see StageMain).
func TestMain(m *testing.M) {
	if StageMain(os.Stdout) {
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// corpusDir is the shared corpus beside the repository (../shared from its root).
const corpusDir = "../../../shared/corpus/ngspice-full"

// The environment variables that drive TestNgspiceFull.
const (
	envRun     = "GOSPICE_CORPUS"               // "full" runs it
	envOut     = "GOSPICE_CORPUS_OUT"           // the folder for results.tsv and summary.md (else a new temporary one, kept)
	envBefore  = "GOSPICE_CORPUS_BEFORE"        // an earlier results.tsv: log what changed, fail on regressions
	envOnly    = "GOSPICE_CORPUS_ONLY"          // a regular expression: only the netlists whose path it matches
	envTimeout = "GOSPICE_CORPUS_TIMEOUT"       // each run's time limit, a Go duration (default 5m)
	envJobs    = "GOSPICE_CORPUS_JOBS"          // netlists at once (default: the number of CPUs)
	envQuick   = "GOSPICE_CORPUS_QUICK"         // "1": ngspice only where gospice runs to its end (Config.Quick)
	envCache   = "GOSPICE_CORPUS_NGSPICE_CACHE" // a folder keeping ngspice's outputs from run to run
)

// TestNgspiceFull runs every netlist ngspice 39 runs of the full ngspice corpus through
// gospice and ngspice, writes the table and the summary, and logs the counts. It fails
// when the harness cannot run a netlist, and, given an earlier table, when a netlist
// that agreed with ngspice or ran to the end no longer does.
func TestNgspiceFull(t *testing.T) {
	if os.Getenv(envRun) != "full" {
		t.Skipf("runs only when asked, for it takes tens of minutes: %s=full go test ./netlists/ngspicefull -run TestNgspiceFull -v -timeout 6h", envRun)
	}
	if _, err := os.Stat(filepath.Join(corpusDir, "MANIFEST.tsv")); err != nil {
		t.Skipf("%s not present (the shared corpus is not part of the repository): %v", corpusDir, err)
	}
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	cfg := Config{Corpus: corpusDir, Timeout: 5 * time.Minute, Jobs: runtime.NumCPU(), Log: t.Logf}
	if s := os.Getenv(envTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("%s: %v", envTimeout, err)
		}
		cfg.Timeout = d
	}
	if s := os.Getenv(envJobs); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", envJobs, s)
		}
		cfg.Jobs = n
	}
	if s := os.Getenv(envOnly); s != "" {
		re, err := regexp.Compile(s)
		if err != nil {
			t.Fatalf("%s: %v", envOnly, err)
		}
		cfg.Only = re
	}
	cfg.Quick = os.Getenv(envQuick) == "1"
	cfg.NgspiceCache = os.Getenv(envCache)
	out := os.Getenv(envOut)
	if out == "" {
		var err error
		if out, err = os.MkdirTemp("", "gospice-corpus-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	work, err := os.MkdirTemp("", "gospice-corpus-work-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(work)
	cfg.Work = work
	cfg.Gospice = buildGospice(t, work)
	if cfg.Stager, err = testBinary(); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		// stop in time to write the table of the netlists done
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
		defer cancel()
	}
	start := time.Now()
	rows, runErr := Run(ctx, cfg)
	t.Logf("ran %d netlists in %v with %d jobs, each run limited to %v", len(rows), time.Since(start).Round(time.Second), cfg.Jobs, cfg.Timeout)
	if runErr != nil {
		t.Error(runErr)
	}
	writeFile(t, filepath.Join(out, "results.tsv"), func(b *bytes.Buffer) error { return WriteTable(b, rows) })
	writeFile(t, filepath.Join(out, "vectors.tsv"), func(b *bytes.Buffer) error { return WriteVectors(b, rows) })
	var summary bytes.Buffer
	if err := WriteSummary(&summary, rows); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(out, "summary.md"), func(b *bytes.Buffer) error { _, err := b.Write(summary.Bytes()); return err })
	t.Logf("summary:\n%s", summary.String())
	t.Logf("the table: %s, the summary: %s", filepath.Join(out, "results.tsv"), filepath.Join(out, "summary.md"))
	for _, r := range rows {
		if r.Verdict == VerdictHarness {
			t.Errorf("%s: the harness could not run it: %s", r.Path, r.Message)
		}
	}
	if before := os.Getenv(envBefore); before != "" {
		compareWithBefore(t, before, rows)
	}
}

// compareWithBefore logs the counts of an earlier table beside this run's and what
// changed, and fails on the netlists that regressed.
func compareWithBefore(t *testing.T, path string, rows []Row) {
	old, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	now := TableRows(rows)
	b, bv := CountTable(old)
	a, av := CountTable(now)
	t.Logf("before -> after: %d -> %d netlists, run to the end %d -> %d, agree %d -> %d, missing %d -> %d, disagree %d -> %d, gospice fails %d -> %d",
		len(old), len(now), b, a, bv[VerdictAgrees], av[VerdictAgrees], bv[VerdictMissing], av[VerdictMissing],
		bv[VerdictDisagrees], av[VerdictDisagrees], bv[VerdictGospiceFails], av[VerdictGospiceFails])
	lines, regressions := Changes(old, now)
	t.Logf("%d netlists changed:\n%s", len(lines), strings.Join(lines, "\n"))
	for _, p := range regressions {
		t.Errorf("%s regressed (see the change above)", p)
	}
}

// buildGospice builds the gospice command of this tree into dir.
func buildGospice(t *testing.T, dir string) string {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go tool to build gospice with")
		}
	}
	bin := filepath.Join(dir, "gospice")
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/gospice/gospice/cmd/gospice").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// testBinary is the command that runs this test binary as the stager.
func testBinary() ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return []string{exe, "-test.run=^$"}, nil
}

func writeFile(t *testing.T, path string, fill func(*bytes.Buffer) error) {
	t.Helper()
	var b bytes.Buffer
	if err := fill(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHarnessSmall runs the harness on a corpus of netlists made here, of each verdict,
// where ngspice is installed.
func TestHarnessSmall(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	corpus, work := smallCorpus(t), t.TempDir()
	stager, err := testBinary()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Corpus: corpus, Work: work, Gospice: buildGospice(t, work), Stager: stager, Timeout: time.Minute, Jobs: 2}
	rows, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ path, stage, gospice, verdict, category string }{
		{"a/rc.cir", StageBuilt, "ok", VerdictAgrees, ""},
		{"b/control.cir", StageBuilt, "ok", VerdictAgrees, ""},
		{"b/level9.cir", StageBuild, "exit 1", VerdictGospiceFails, "build: MOSFET level 9 is not supported: levels 1 (Shichman-Hodges), 2, 3, 4 (BSIM1), 5 (BSIM2), 6, 8, 49, 14 and 54 are"},
		{"a/random.cir", StageBuilt, "ok", VerdictDisagrees, "disagrees in op"},
		{"b/batch.cir", StageBuilt, "ok", VerdictAgrees, ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		got := []string{r.Path, r.Stage, r.Gospice, r.Verdict, r.Category}
		if fmt.Sprint(got) != fmt.Sprint([]string{w.path, w.stage, w.gospice, w.verdict, w.category}) {
			t.Errorf("row %d: got %q, want %+v (ngspice %s, message %s)", i, got, w, r.Ngspice, r.Message)
		}
		if v, ok := r.worst(); ok {
			t.Logf("%s: worst %s:%s off by %.3g, ngspice's accuracy %.3g, tolerance %.3g", r.Path, v.Plot, v.Name, v.Diff, v.Accuracy, v.Tol)
		}
	}
	if rc := rows[0]; rc.Ngspice != "ok" || len(rc.Plots) != 1 || len(rc.Plots[0].Vectors) != 3 {
		t.Errorf("rc.cir: ngspice %s, plots %+v; want one plot of v(in), v(out), i(v1)", rc.Ngspice, rc.Plots)
	}
	if ctl := rows[1]; ctl.Ngspice != "ok" || len(ctl.Plots) != 1 || ctl.Plots[0].Name != "op1" {
		t.Errorf("control.cir: ngspice %s, plots %+v; want the op1 its .control block made", ctl.Ngspice, ctl.Plots)
	}
}

// smallCorpus writes a corpus of netlists of each verdict and returns its folder.
func smallCorpus(t *testing.T) string {
	t.Helper()
	corpus := t.TempDir()
	files := map[string]string{
		"MANIFEST.tsv": "# made by TestHarnessSmall\npath\tset\tngspice 39\tngspice exit\tdot analyses\tanalyses in .control\n" +
			"a/rc.cir\tfull\truns\t0\t.tran\t-\n" +
			"a/skipped.cir\tfull\tfails or has no analysis\t1\t-\t-\n" +
			"b/control.cir\tfull\truns; analyses only in .control\t0\t-\top\n" +
			"b/level9.cir\tfull\truns\t0\t.op\t-\n" +
			"a/random.cir\tfull\truns\t0\t.op\t-\n" +
			"b/batch.cir\tfull\truns\t0\t.op\trun\n",
		"a/rc.cir":      "rc\nv1 in 0 pulse(0 1 0 1u 1u 1m 2m)\nr1 in out 1k\nc1 out 0 1u\n.tran 10u 2m\n.print tran v(out)\n.end\n",
		"a/skipped.cir": "not run\n.end\n",
		"b/control.cir": "only .control\nv1 1 0 1\nr1 1 2 1k\nr2 2 0 1k\n.control\nop\nprint v(2)\n.endc\n.end\n",
		"b/level9.cir":  "level 9\nvd d 0 5\nm1 d d 0 0 m\n.model m nmos level=9\n.op\n.end\n",
		// gospice and ngspice draw different random values
		"a/random.cir": "random\n.param rv = agauss(1k, 300, 1)\nv1 1 0 1\nr1 1 2 {rv}\nr2 2 0 1k\n.op\n.end\n",
		// its .control block does nothing in batch mode, where ngspice runs the .op after it
		"b/batch.cir": "batch\nv1 1 0 1\nr1 1 2 1k\nr2 2 0 1k\n.op\n.control\nif $?batchmode\nelse\nrun\nendif\n.endc\n.end\n",
	}
	for name, text := range files {
		p := filepath.Join(corpus, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return corpus
}

// TestHarnessCacheAndQuick runs the small corpus twice with an ngspice cache, the second
// time without ngspice on the PATH: the rows must be the same, so they came from the
// cache. A quick run leaves ngspice out where gospice fails.
func TestHarnessCacheAndQuick(t *testing.T) {
	if _, err := exec.LookPath("ngspice"); err != nil {
		t.Skip("ngspice is not installed (apt-get install ngspice)")
	}
	corpus, work, cache := smallCorpus(t), t.TempDir(), t.TempDir()
	stager, err := testBinary()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Corpus: corpus, Work: work, Gospice: buildGospice(t, work), Stager: stager, Timeout: time.Minute, Jobs: 2, NgspiceCache: cache}
	first, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir()) // no ngspice: a run that is not in the cache fails
	cfg.Work = t.TempDir()
	again, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := WriteTable(&a, withoutTimes(first)); err != nil {
		t.Fatal(err)
	}
	if err := WriteTable(&b, withoutTimes(again)); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("from the cache:\n%s\nwant, as ngspice ran it:\n%s", b.String(), a.String())
	}

	cfg.Quick, cfg.Work = true, t.TempDir() // still without ngspice: the runs it needs are cached
	quick, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range quick {
		want := first[i]
		switch {
		case r.Verdict != want.Verdict || r.Category != want.Category:
			t.Errorf("%s quick: %s %q, want %s %q", r.Path, r.Verdict, r.Category, want.Verdict, want.Category)
		case r.Gospice != "ok" && r.Ngspice != notRun:
			t.Errorf("%s quick: gospice %s and ngspice ran (%s)", r.Path, r.Gospice, r.Ngspice)
		}
	}
}

// withoutTimes is rows with the runs' seconds set to 0, for comparing two runs.
func withoutTimes(rows []Row) []Row {
	out := append([]Row(nil), rows...)
	for i := range out {
		out[i].GospiceSecs, out[i].NgspiceSecs = 0, 0
	}
	return out
}
