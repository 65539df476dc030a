// Command iscas85 times ngspice and gospice side by side on the ISCAS85 benchmark
// circuits of ngspice's KLU examples (BSIM4 45 nm PTM transistors, a 1 ns transient),
// in one run, and compares their waveforms within ngspice's own accuracy.
//
// From the repository's root:
//
//	go run ./netlists/bench/iscas85                 # c432 c880 c1908
//	go run ./netlists/bench/iscas85 c432 c5315      # the circuits named
//	go run ./netlists/bench/iscas85 -tight=false    # without ngspice's tight run
//	go run ./netlists/bench/iscas85 -keep dir -reuse c3540   # ngspice's runs kept in dir/c3540
//	go run ./netlists/bench/iscas85 -gospice-only -cpuprofile c3540.prof c3540
//
// For each circuit it runs, one after the other, ngspice 39 (`ngspice -b -r`, the
// netlist as it is, .print lines turned into .save lines), ngspice again at a tenth of
// the reltol and a quarter of the largest time step (the tight run, which measures
// ngspice's own accuracy A), and gospice in-process (parse, build and run, timed
// together as ngspice's wall time holds its loading). It reports the wall times, the
// ratio, ngspice's statistics from the netlist's ACCT option (time points, iterations,
// where its time goes), and for each .print vector the worst difference between gospice
// and ngspice against the tolerance 2A + 1e-6 |v|max + 1 uV (see netlists/ngspicefull).
// gospice's time is its CPU time in this process (every thread: the collector's too), and
// the ratio is of CPU times, which a shared machine's load changes less than wall times.
// -keep with -reuse reads ngspice's runs from an earlier one (ng.raw, ng.log and, for
// the CPU time, ng.time: `/usr/bin/time -v`'s report), for circuits ngspice takes many
// minutes over. A circuit gospice cannot build is reported with gospice's message, and the run goes on.
// The exit code is 1 when a waveform disagrees or a simulator fails, else 0.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/ngspicefull"
)

func main() {
	os.Exit(iscas85())
}

// iscas85 runs the command and returns its exit code, after its deferred cleanup.
func iscas85() int {
	corpus := flag.String("corpus", "../shared/corpus/ngspice/examples/klu/Circuits/85", "the folder of the ISCAS85 circuits (one sub-folder per circuit)")
	tight := flag.Bool("tight", true, "also run ngspice at a tenth of the reltol, for the tolerance of the comparison")
	keep := flag.String("keep", "", "a folder to keep the decks, raw files and ngspice's output in (default: a temporary one, removed)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of gospice's runs (parse, build and transient) to this file")
	noNgspice := flag.Bool("gospice-only", false, "run gospice alone: its times and statistics, no comparison")
	ngThreads := flag.Int("ngspice-threads", 0, "set ngspice's num_threads (0: its default; 1 is its fastest here)")
	gsOptions := flag.String("options", "", "options added to gospice's deck on an .options line (\"bypass=1\", \"partition=0\"); ngspice's is unchanged")
	reuse := flag.Bool("reuse", false, "with -keep: read the ngspice runs kept there (<circuit>/ng.raw and ng.log, tight.raw and tight.log) instead of running ngspice again")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./netlists/bench/iscas85 [flags] [circuit ...]   (default c432 c880 c1908)")
		flag.PrintDefaults()
	}
	flag.Parse()
	circuits := flag.Args()
	if len(circuits) == 0 {
		circuits = []string{"c432", "c880", "c1908"}
	}
	if _, err := exec.LookPath("ngspice"); err != nil {
		fmt.Fprintln(os.Stderr, "iscas85: ngspice is not installed")
		return 1
	}
	work := *keep
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "iscas85"); err != nil {
			fmt.Fprintln(os.Stderr, "iscas85:", err)
			return 1
		}
		defer os.RemoveAll(work)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "iscas85:", err)
			return 1
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	bad := false
	for _, c := range circuits {
		r, err := run(context.Background(), Config{Netlist: filepath.Join(*corpus, c, c+".net"), Work: filepath.Join(work, c), Tight: *tight && !*noNgspice, Reuse: *reuse && *keep != "", NoNgspice: *noNgspice, NgspiceThreads: *ngThreads, GospiceOptions: *gsOptions})
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", c, err)
			bad = true
			continue
		}
		r.Print(os.Stdout, c)
		bad = bad || !r.OK()
	}
	if bad {
		return 1
	}
	return 0
}

// Config is one circuit's run.
type Config struct {
	Netlist string // the netlist file
	Work    string // a folder for the decks and raw files (made)
	Tight   bool   // also run ngspice's tight run
	Reuse   bool   // read ngspice's runs from Work where they are kept, instead of running them
	// NoNgspice runs gospice alone (its times and statistics; nothing to compare with).
	NoNgspice bool
	// NgspiceThreads, when above 0, sets ngspice's num_threads through a .spiceinit in
	// Work: ngspice 39 as packaged here evaluates devices on two threads, and on this
	// machine one is faster (docs/bsim-qa.md).
	NgspiceThreads int
	// GospiceOptions, when not empty, is added to gospice's deck as an .options line.
	GospiceOptions string
}

// NgRun is one ngspice run: its wall and CPU times and its ACCT statistics.
type NgRun struct {
	Wall, CPU time.Duration
	Stats     map[string]string // "Transient timepoints" -> "1011"
	Plots     []*ngspicefull.Plot
	Err       error
	Reused    bool // read from an earlier run's files (Wall and CPU unknown)
}

// Result is one circuit's outcome.
type Result struct {
	Vectors      []string // the .print vectors
	Ng, Tight    NgRun
	GsWall       time.Duration
	GsCPU        time.Duration // the process's CPU time (user and system, every thread) over GsWall
	GsLoad       time.Duration // of GsWall: parsing and building
	GsStats      gospice.Stats
	GsErr        error // gospice's refusal or failure
	Compared     []ngspicefull.VectorResult
	Accuracy     []ngspicefull.VectorResult // without gospice: ngspice against its tight run
	GsNotSupport bool                       // gospice refused a device (a model level it has not got)
}

var (
	includeLine = regexp.MustCompile(`(?i)^(\s*\.inc(?:lude)?\s+)["']?([^"'\s]+)["']?(.*)$`)
	printLine   = regexp.MustCompile(`(?i)^\s*\.print\s+tran\s+(.*)$`)
	reltolOpt   = regexp.MustCompile(`(?i)\breltol\s*=\s*([0-9.eE+-]+)`)
	levelRefuse = regexp.MustCompile(`level \d+ .*is not supported`)
)

// prepare reads the netlist, makes its .include paths absolute (the decks run
// elsewhere), and lists its .print tran vectors.
func prepare(path string) (text string, vectors []string, reltol float64, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", nil, 0, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return "", nil, 0, err
	}
	reltol = 1e-3
	var b strings.Builder
	for _, l := range strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") {
		if m := includeLine.FindStringSubmatch(l); m != nil && !filepath.IsAbs(m[2]) {
			l = m[1] + filepath.Join(dir, m[2]) + m[3]
		}
		if m := printLine.FindStringSubmatch(l); m != nil {
			for _, v := range strings.Fields(m[1]) {
				vectors = append(vectors, strings.ToLower(v))
			}
		}
		if m := reltolOpt.FindStringSubmatch(l); m != nil && strings.HasPrefix(strings.TrimSpace(strings.ToLower(l)), ".option") {
			if v, err := strconv.ParseFloat(m[1], 64); err == nil && v > 0 {
				reltol = v
			}
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if len(vectors) == 0 {
		return "", nil, 0, fmt.Errorf("%s: no .print tran line: nothing to compare", path)
	}
	return b.String(), vectors, reltol, nil
}

// run runs one circuit through both simulators.
func run(ctx context.Context, cfg Config) (*Result, error) {
	text, vectors, reltol, err := prepare(cfg.Netlist)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Work, 0o755); err != nil {
		return nil, err
	}
	if cfg.NgspiceThreads > 0 {
		init := fmt.Sprintf("set num_threads=%d\n", cfg.NgspiceThreads)
		if err := os.WriteFile(filepath.Join(cfg.Work, ".spiceinit"), []byte(init), 0o644); err != nil {
			return nil, err
		}
	}
	r := &Result{Vectors: vectors}
	// ngspice saves the .print vectors alone, as gospice writes them alone.
	title, body, _ := strings.Cut(text, "\n")
	ngText := title + "\n.save " + strings.Join(vectors, " ") + "\n" + body
	if cfg.NoNgspice {
		r.Ng.Err = errors.New("not run (-gospice-only)")
	} else {
		r.Ng = ngspice(ctx, cfg.Work, "ng", ngspicefull.NgspiceText(ngText, cfg.Work, 0), cfg.Reuse)
	}
	if cfg.Tight {
		r.Tight = ngspice(ctx, cfg.Work, "tight", ngspicefull.NgspiceText(ngText, cfg.Work, reltol/10), cfg.Reuse)
	}
	gsText := text
	if cfg.GospiceOptions != "" {
		gsText = title + "\n.options " + cfg.GospiceOptions + "\n" + body
	}
	gs, err := r.gospiceRun(ctx, filepath.Join(cfg.Work, "gospice.cir"), gsText)
	r.GsErr = err
	if err != nil {
		r.GsNotSupport = levelRefuse.MatchString(err.Error())
		if r.Ng.Err == nil && r.Tight.Err == nil && cfg.Tight {
			// ngspice's own accuracy alone: the tight run in gospice's place.
			r.Accuracy = r.keep(ngspicefull.Compare(tranPlots(r.Ng.Plots), tranPlots(r.Tight.Plots), tranPlots(r.Tight.Plots)))
		}
		return r, nil
	}
	if r.Ng.Err != nil {
		return r, nil
	}
	r.Compared = r.keep(ngspicefull.Compare(tranPlots(r.Ng.Plots), tranPlots(r.Tight.Plots), []*ngspicefull.Plot{gs}))
	return r, nil
}

// keep keeps the comparisons of the .print vectors.
func (r *Result) keep(res []ngspicefull.PlotResult) []ngspicefull.VectorResult {
	var out []ngspicefull.VectorResult
	for _, pr := range res {
		for _, v := range pr.Vectors {
			for _, want := range r.Vectors {
				if v.Name == want {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// tranPlots keeps the transient plots (ngspice also writes the operating point's).
func tranPlots(ps []*ngspicefull.Plot) []*ngspicefull.Plot {
	var out []*ngspicefull.Plot
	for _, p := range ps {
		if p.Kind == "tran" {
			out = append(out, p)
		}
	}
	ngspicefull.SortPlots(out)
	return out
}

// ngspice runs `ngspice -b -r <name>.raw` on the deck, in dir, and keeps its output in
// <name>.log; with reuse, where <name>.raw and <name>.log are there already, it reads them.
func ngspice(ctx context.Context, dir, name, deck string, reuse bool) NgRun {
	var r NgRun
	cir := filepath.Join(dir, name+".cir")
	raw := filepath.Join(dir, name+".raw")
	log := filepath.Join(dir, name+".log")
	if reuse {
		out, lerr := os.ReadFile(log)
		if _, rerr := os.Stat(raw); lerr == nil && rerr == nil {
			r.Reused = true
			r.Stats = acctStats(out)
			if t, err := os.ReadFile(filepath.Join(dir, name+".time")); err == nil {
				r.CPU = gnuTimeCPU(t)
			}
			if r.Plots, r.Err = ngspicefull.ReadRawFile(raw); r.Err == nil && len(tranPlots(r.Plots)) == 0 {
				r.Err = fmt.Errorf("%s holds no transient plot", raw)
			}
			return r
		}
	}
	if r.Err = os.WriteFile(cir, []byte(deck), 0o644); r.Err != nil {
		return r
	}
	cmd := exec.CommandContext(ctx, "ngspice", "-b", "-r", raw, cir)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r.Wall = time.Since(start)
	if cmd.ProcessState != nil {
		r.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	r.Stats = acctStats(out.Bytes())
	if werr := os.WriteFile(log, out.Bytes(), 0o644); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		r.Err = fmt.Errorf("ngspice: %v\n%s", err, tail(out.String(), 20))
		return r
	}
	if r.Plots, r.Err = ngspicefull.ReadRawFile(raw); r.Err == nil && len(tranPlots(r.Plots)) == 0 {
		r.Err = fmt.Errorf("ngspice wrote no transient plot\n%s", tail(out.String(), 20))
	}
	return r
}

// gnuTimeCPU reads the user and system times of `/usr/bin/time -v`'s report.
func gnuTimeCPU(report []byte) time.Duration {
	var cpu time.Duration
	for _, l := range strings.Split(string(report), "\n") {
		name, val, ok := strings.Cut(strings.TrimSpace(l), ": ")
		if ok && (name == "User time (seconds)" || name == "System time (seconds)") {
			if v, err := strconv.ParseFloat(val, 64); err == nil {
				cpu += time.Duration(v * float64(time.Second))
			}
		}
	}
	return cpu
}

// acctStats reads the "Name = value" lines ngspice prints with .options acct.
func acctStats(out []byte) map[string]string {
	stats := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " = ")
		if ok {
			stats[strings.TrimSpace(name)] = strings.TrimSpace(val)
		}
	}
	return stats
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// gospiceRun parses, builds and runs the netlist's transient in-process and returns its
// .print vectors as a plot; it records the wall times and gospice's statistics.
func (r *Result) gospiceRun(ctx context.Context, path, text string) (*ngspicefull.Plot, error) {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return nil, err
	}
	start, cpu := time.Now(), cpuTime()
	defer func() { r.GsWall, r.GsCPU = time.Since(start), cpuTime()-cpu }()
	sim, err := gospice.ParseFileContext(ctx, path)
	r.GsLoad = time.Since(start)
	if err != nil {
		return nil, err
	}
	var res *gospice.Result
	for _, a := range sim.Analyses() {
		if a.Name() == "tran" {
			res, err = sim.Collect(ctx, a)
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("no .tran analysis")
	}
	r.GsStats = res.Stats
	p := &ngspicefull.Plot{Name: "tran1", Kind: "tran"}
	for _, name := range res.Names() {
		v, _ := res.Vector(name)
		typ := "voltage"
		switch {
		case name == "time":
			typ = "time"
		case strings.HasPrefix(name, "i("):
			typ = "current"
		}
		p.Vars, p.Types, p.Re = append(p.Vars, name), append(p.Types, typ), append(p.Re, v)
	}
	return p, nil
}

// cpuTime is the CPU time (user and system) this process has used, in every thread.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// OK reports whether everything that ran agreed: ngspice ran, and gospice either
// refused a model it has not got yet or agrees on every vector.
func (r *Result) OK() bool {
	if r.Ng.Err != nil || r.Tight.Err != nil {
		return false
	}
	if r.GsErr != nil {
		return r.GsNotSupport
	}
	if len(r.Compared) != len(r.Vectors) {
		return false
	}
	for _, v := range r.Compared {
		if !v.Agrees() {
			return false
		}
	}
	return true
}

// Print reports the circuit's times, ngspice's statistics and the comparison.
func (r *Result) Print(w io.Writer, name string) {
	ngLine := func(label string, n NgRun) {
		if n.Err != nil {
			fmt.Fprintf(w, "  %-14s FAILED: %v\n", label, n.Err)
			return
		}
		s := n.Stats
		if n.Reused {
			fmt.Fprintf(w, "  %-14s (kept run) %8.2f s CPU (from its .time file, 0 without); %s equations, %s time points (%s rejected), %s iterations; load %s s, factor %s s, solve %s s of the transient's %s s\n",
				label, n.CPU.Seconds(), s["Circuit Equations"], s["Transient timepoints"], s["Rejected timepoints"],
				s["Transient iterations"], s["Transient load time"], s["Transient factor time"], s["Transient solve time"], s["Transient analysis time"])
			return
		}
		fmt.Fprintf(w, "  %-14s %8.2f s wall, %8.2f s CPU; %s equations, %s time points (%s rejected), %s iterations; load %s s, factor %s s, solve %s s of the transient's %s s\n",
			label, n.Wall.Seconds(), n.CPU.Seconds(), s["Circuit Equations"], s["Transient timepoints"], s["Rejected timepoints"],
			s["Transient iterations"], s["Transient load time"], s["Transient factor time"], s["Transient solve time"], s["Transient analysis time"])
	}
	fmt.Fprintf(w, "%s (%d vectors compared: %s)\n", name, len(r.Vectors), strings.Join(r.Vectors, " "))
	ngLine("ngspice", r.Ng)
	if r.Tight.Stats != nil || r.Tight.Err != nil {
		ngLine("ngspice tight", r.Tight)
	}
	if r.GsErr != nil {
		what := "FAILED"
		if r.GsNotSupport {
			what = "not supported yet"
		}
		msg, _, _ := strings.Cut(r.GsErr.Error(), "\n")
		fmt.Fprintf(w, "  %-14s %s after %.2f s: %s\n", "gospice", what, r.GsWall.Seconds(), msg)
		fmt.Fprintf(w, "  ratio          - (gospice did not run)\n")
		for _, v := range r.Accuracy {
			fmt.Fprintf(w, "  %-14s ngspice's own accuracy A (against its tight run) %.3g V at %.4g s: gospice is to be within %.3g V\n", v.Name, v.Diff, v.At, v.Tol)
		}
		return
	}
	st := r.GsStats
	tranLoads := st.Iterations - st.OPIterations
	fmt.Fprintf(w, "  %-14s %8.2f s wall, %8.2f s CPU (parse and build %.2f s wall); %d time points (%d rejected), %d loads (%d of them the operating point's), %d factorizations; %.2f transient loads per point\n",
		"gospice", r.GsWall.Seconds(), r.GsCPU.Seconds(), r.GsLoad.Seconds(), st.Points, st.Rejected, st.Iterations, st.OPIterations, st.Factorizations,
		float64(tranLoads)/float64(max(1, st.Points+st.Rejected)))
	if st.Blocks > 0 {
		// A partitioned run's counts are its blocks' sums, each block on its own time grid.
		fmt.Fprintf(w, "  %-14s %d blocks on their own time grids: the counts above are their sums; at most %d time points in one block (%.0f on average)\n",
			"", st.Blocks, st.BlockPoints, float64(st.Points)/float64(st.Blocks))
	}
	if st.Bypassed > 0 {
		fmt.Fprintf(w, "  %-14s %d device loads bypassed (gospice's default; .options bypass=0 turns it off)\n", "", st.Bypassed)
	}
	if r.Ng.Reused {
		fmt.Fprintf(w, "  ratio          ngspice / gospice = %.2fx (CPU; ngspice's from its kept run, another time)\n", r.Ng.CPU.Seconds()/r.GsCPU.Seconds())
	} else {
		fmt.Fprintf(w, "  ratio          ngspice / gospice = %.2fx (wall), %.2fx (CPU; ngspice's second thread counts there)\n", r.Ng.Wall.Seconds()/r.GsWall.Seconds(), r.Ng.CPU.Seconds()/r.GsCPU.Seconds())
	}
	for _, v := range r.Compared {
		verdict := "agrees"
		if !v.Agrees() {
			verdict = "DISAGREES"
		}
		fmt.Fprintf(w, "  %-14s |gospice-ngspice| %.3g V at %.4g s, tolerance %.3g V (ngspice's own accuracy A %.3g V): %s\n",
			v.Name, v.Diff, v.At, v.Tol, v.Accuracy, verdict)
	}
	if len(r.Compared) != len(r.Vectors) {
		fmt.Fprintf(w, "  MISSING: %d of the %d vectors were not compared\n", len(r.Vectors)-len(r.Compared), len(r.Vectors))
	}
}
