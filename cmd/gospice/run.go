package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"github.com/spf13/cobra"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis/control"
)

type runFlags struct {
	output  string
	outdir  string
	format  string
	plot    string
	quiet   bool
	seed    uint64
	seeded  bool // --seed was given
	formats bool // --format was given
	shard   string
	run     int // --run: one step point alone; 0 for all

	allowShell bool // --allow-shell: a .control block's shell command runs
}

func (a *app) runCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run NETLIST",
		Short: "Run a netlist's analyses and write their vectors as CSV or ngspice raw files",
		Long: `Run the analyses of a netlist in order.

With --format csv (the default), each analysis is written as
<netlist stem>.<analysis>.csv (rc.op.csv, rc.tran.csv) in the current folder or --outdir.
With --format raw or rawascii (or -o NAME.raw), every analysis goes into one ngspice raw
file, <stem>.raw, one plot per analysis, binary or ASCII, that ngspice's load command and
the tools that read ngspice's files open.

Points are streamed to a temporary file that gets its final name when the run completes;
a run that stops early leaves <name>.partial.<ext> (rc.tran.partial.csv, rc.partial.raw),
or no file when it stops before its first point, and exits with 2, or with 130 or 143
when interrupted by SIGINT or SIGTERM.

A transient that runs longer than a second shows a progress bar on standard error when
that is a terminal; --quiet turns it off, with the notes of what was written.

` + seedHelp,
		Example: `  gospice run netlists/rc.cir                     # rc.tran.csv
  gospice run netlists/rc.cir -o out.csv
  gospice run netlists/rc.cir -o - | head         # CSV on standard output
  gospice run circuit.cir --outdir results
  gospice run circuit.cir --format raw            # circuit.raw, every analysis in it
  gospice run circuit.cir -o circuit.raw --format rawascii
  gospice run netlists/rc.cir --plot rc.svg       # and a plot of every vector
  gospice run circuit.cir --seed 7 --quiet`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.seeded = cmd.Flags().Changed("seed")
			f.formats = cmd.Flags().Changed("format")
			a.runsControl = f.shard == "" && f.run == 0
			return a.run(args[0], f)
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "output file (- for standard output); a .raw name chooses the raw format")
	cmd.Flags().StringVar(&f.outdir, "outdir", ".", "folder for the output files, created with its parents when missing")
	cmd.Flags().StringVarP(&f.format, "format", "f", "csv", "output format: csv, raw (binary) or rawascii")
	cmd.Flags().StringVar(&f.plot, "plot", "", "also plot every vector into this picture (.svg, .png, .pdf, .eps, .jpg)")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and no notes of the files written")
	cmd.Flags().Uint64Var(&f.seed, "seed", 0, seedUsage)
	cmd.Flags().StringVar(&f.shard, "shard", "", "run only shard K of N of the step points: K/N, slurm (from a Slurm job array) or k8s/N (from a Kubernetes Indexed Job); writes shard.json for gospice merge")
	cmd.Flags().BoolVar(&f.allowShell, "allow-shell", false, "let a .control block's shell command run (refused otherwise)")
	cmd.Flags().IntVar(&f.run, "run", 0, "run step point I alone (1 to the number of runs), with the values it has in the full run")
	return cmd
}

// seedUsage is the --seed flag's line of help, seedHelp what the seed drives.
const (
	seedUsage = "seed of the random values: memristor spread and ruptures, agauss gauss unif aunif limit (default: .options seed, else 1)"
	seedHelp  = `The seed (--seed N, else .options seed=N, else 1) drives every random value of a run:
the memristor's device-to-device spread and its ruptures, and the random functions
agauss, gauss, unif, aunif and limit in the netlist's values. Each value comes from its
own stream of the seed, the run index and the name of its parameter or element, so the
same seed gives the same files, and each run of a .step netlist (Monte Carlo) draws its
own values: --run 7 gives run 7 alone, with the values it has in the full run.`
)

// parse reads and builds a netlist, showing errors with the lines they are on.
func (a *app) parse(path string, seed *uint64) (*gospice.Simulation, error) {
	return a.parseContext(context.Background(), path, seed)
}

// parseContext is parse with a context (one that carries a parser.Progress, say) and
// the build options opts.
func (a *app) parseContext(ctx context.Context, path string, seed *uint64, opts ...gospice.Option) (*gospice.Simulation, error) {
	if seed != nil {
		opts = append(opts, gospice.WithSeed(*seed))
	}
	sim, err := gospice.ParseFileContext(ctx, path, opts...)
	if err != nil {
		return nil, &exitError{exitInput, diagnose(err)}
	}
	blocks := map[gospice.Pos]bool{}
	if a.runsControl && sim.Circuit.Deck != nil {
		for _, b := range sim.Circuit.Deck.Control() {
			blocks[b.Pos] = true
		}
	}
	for _, w := range sim.Warnings {
		if blocks[w.Pos] && strings.HasPrefix(w.Msg, ".control block ignored") {
			continue // gospice run runs it
		}
		fmt.Fprintf(a.stderr, "%s: warning: %s\n", w.Pos, w.Msg)
	}
	return sim, nil
}

// outputFormat is the format of the run's output: --format, else the -o name's extension.
func (f runFlags) outputFormat() (string, error) {
	format := strings.ToLower(f.format)
	if !f.formats && strings.EqualFold(filepath.Ext(f.output), ".raw") {
		format = "raw"
	}
	switch format {
	case "csv", "raw", "rawascii":
		return format, nil
	case "ascii", "rawa":
		return "rawascii", nil
	}
	return "", fmt.Errorf("unknown --format %q: csv, raw or rawascii", f.format)
}

func (a *app) run(path string, f runFlags) (err error) {
	format, err := f.outputFormat()
	if err != nil {
		return &exitError{exitInput, err}
	}
	if f.plot != "" {
		if err := checkPlotFormat(f.plot); err != nil {
			return &exitError{exitInput, err}
		}
	}
	var seed *uint64
	if f.seeded {
		seed = &f.seed
	}
	sim, err := a.parse(path, seed)
	if err != nil {
		return err
	}
	if control.HasBlocks(sim) && len(sim.Steps()) == 0 && f.shard == "" && f.run == 0 {
		// A .control block runs as in ngspice -b, and writes a CSV file per plot.
		if (format == "csv" && f.output != "") || f.plot != "" {
			return &exitError{exitInput, fmt.Errorf("%s has a .control block: its plots are written as CSV files in --outdir, or into one raw file with --format raw (-o NAME.raw); -o NAME.csv and --plot are not for it", path)}
		}
		missing, err := missingDirs(f.outdir)
		if err != nil {
			return &exitError{exitInput, err}
		}
		if err := makeDirs(f.outdir, missing); err != nil {
			return &exitError{exitInput, err}
		}
		ctx, stop := withSignals(a.ctx)
		defer stop()
		return a.runControl(ctx, path, sim, f, format)
	}
	analyses := sim.Analyses()
	if len(analyses) == 0 {
		return &exitError{exitInput, fmt.Errorf("%s: no analysis to run (add .op, .dc, .ac or .tran)", path)}
	}
	if format == "csv" && f.output != "" && len(analyses) > 1 {
		var kinds []string
		for _, an := range analyses {
			kinds = append(kinds, an.Name())
		}
		return &exitError{exitInput, fmt.Errorf("-o names one CSV file, but %s has %d analyses (%s); use --outdir, or --format raw for one file holding them all",
			path, len(analyses), strings.Join(kinds, ", "))}
	}
	var missing []string // the folders of --outdir to create
	if f.output == "" {
		if missing, err = missingDirs(f.outdir); err != nil {
			return &exitError{exitInput, err}
		}
	}
	stepped := len(sim.Steps()) > 0 || f.shard != "" || f.run != 0
	var runs []int
	var sh *shard
	if stepped {
		if runs, sh, err = f.stepRuns(sim); err != nil {
			return &exitError{exitInput, err}
		}
		if f.plot != "" {
			return &exitError{exitInput, errors.New("--plot draws one run: with .step, --shard or --run, plot a run's file with gospice plot")}
		}
	}
	if err := makeDirs(f.outdir, missing); err != nil {
		return &exitError{exitInput, err}
	}
	defer func() {
		if err != nil {
			removeEmptyDirs(missing)
		}
	}()

	ctx, stop := withSignals(a.ctx)
	defer stop()

	r := &runner{app: a, sim: sim, path: path, quiet: f.quiet, plot: f.plot != ""}
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if stepped {
		return r.stepped(ctx, stem, f, format, runs, sh) // .spikes: not written for many runs
	}
	// <stem>.spikes.csv goes to --outdir, or beside the file -o names.
	r.stem, r.spikesDir = stem, f.outdir
	if f.output != "" && f.output != "-" {
		r.spikesDir = filepath.Dir(f.output)
	}
	if format == "csv" {
		err = r.csv(ctx, stem, f)
	} else {
		err = r.raw(ctx, stem, f, format == "rawascii")
	}
	if perr := r.drawPlots(f.plot, err != nil); err == nil && perr != nil {
		err = &exitError{exitInput, perr}
	}
	return err
}

// stepRuns is the runs --shard or --run asks for (nil for all), and the shard.
func (f runFlags) stepRuns(sim *gospice.Simulation) ([]int, *shard, error) {
	total := sim.Runs()
	switch {
	case f.shard != "" && f.run != 0:
		return nil, nil, errors.New("--shard and --run cannot go together")
	case f.run != 0:
		if f.run < 1 || f.run > total {
			return nil, nil, fmt.Errorf("--run %d: the netlist has %d %s (1 to %d)", f.run, total, plural(total, "run", "runs"), total)
		}
		return []int{f.run}, nil, nil
	case f.shard != "":
		sh, err := parseShard(f.shard, os.Getenv)
		if err != nil {
			return nil, nil, err
		}
		if f.output != "" {
			return nil, nil, errors.New("--shard writes its files into --outdir, with shard.json: -o cannot name them")
		}
		return sh.runs(total), &sh, nil
	}
	return nil, nil, nil
}

// runner runs a netlist's analyses into its outputs.
type runner struct {
	*app
	sim      *gospice.Simulation
	path     string
	quiet    bool
	plot     bool
	plotOnly bool            // the points are kept for a plot and written nowhere else: a plot too large stops the run
	tables   []*table        // kept for --plot
	told     map[string]bool // the analyses' notes printed so far: each is printed once

	// The .spikes file of each transient goes to spikesDir as <stem>.spikes.csv,
	// <stem>.spikes2.csv...; spikesDone counts the transients written.
	spikesDir, stem string
	spikesDone      int

	lastReport *reportSink // of the last analysis run, for .noise's totals file (report.go)
}

func (r *runner) note(format string, args ...any) {
	if !r.quiet {
		fmt.Fprintf(r.stderr, format+"\n", args...)
	}
}

// csv writes each analysis to its CSV file.
func (r *runner) csv(ctx context.Context, stem string, f runFlags) error {
	used := map[string]int{}
	for _, an := range r.sim.Analyses() {
		suffix := numbered(used, an.Name())
		target := f.output
		if target == "" {
			target = filepath.Join(f.outdir, stem+"."+suffix+".csv")
		}
		if target == "-" {
			sink := newCSVSink(r.stdout)
			_, err := r.analysis(ctx, an, sink, nil)
			if ferr := sink.Flush(); err == nil && ferr != nil {
				err = ferr
			}
			if err != nil {
				return runError(ctx, err, "", 0)
			}
			continue
		}
		out, err := atomicfile.Create(target)
		if err != nil {
			return &exitError{exitInput, err}
		}
		sink := newCSVSink(out)
		pss, isPSS := an.(*gospice.PSS)
		keep := &pssKeeper{} // pss.go
		var into gospice.Sink = sink
		if isPSS {
			into = teeSink{sink, keep}
		}
		_, err = r.analysis(ctx, an, into, nil)
		if ferr := sink.Flush(); err == nil && ferr != nil {
			err = ferr
		}
		if err != nil {
			return stopError(ctx, err, out, sink.rows)
		}
		if err := out.Commit(); err != nil {
			return &exitError{exitStopped, err}
		}
		r.note("wrote %s (%d %s)", target, sink.rows, plural(sink.rows, "point", "points"))
		if isPSS {
			name, rows, err := keep.writeCSV(target, pss)
			if err != nil {
				return &exitError{exitStopped, err}
			}
			if name != "" {
				r.note("wrote %s (%d %s)", name, rows, plural(rows, "point", "points"))
			}
		}
		if err := r.writeNoiseTotals(target); err != nil {
			return &exitError{exitStopped, err}
		}
	}
	return nil
}

// copyTo copies a finished temporary file to target: standard output for -, else the
// device or pipe of that name.
func (r *runner) copyTo(target string, f *os.File) error {
	if target == "-" {
		return copyOut(f, r.stdout)
	}
	dst, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		os.Remove(f.Name())
		f.Close()
		return err
	}
	defer dst.Close()
	return copyOut(f, dst)
}

// raw writes every analysis into one raw file, a plot each.
func (r *runner) raw(ctx context.Context, stem string, f runFlags, ascii bool) error {
	target := f.output
	if target == "" {
		target = filepath.Join(f.outdir, stem+".raw")
	}
	var out *atomicfile.File
	var file *os.File
	// A raw file is written with seeks (each plot's point count is filled in at its end):
	// for standard output, a device or a pipe it is made in a temporary file first.
	stream := target == "-" || atomicfile.IsStream(target)
	if stream {
		tmp, err := os.CreateTemp("", "gospice-*.raw")
		if err != nil {
			return &exitError{exitInput, err}
		}
		file = tmp
	} else {
		var err error
		if out, err = atomicfile.Create(target); err != nil {
			return &exitError{exitInput, err}
		}
		file = out.File
	}
	w := newRawWriter(file, ascii, r.sim.Title(), time.Now())
	var runErr error
	for _, an := range r.sim.Analyses() {
		var sink gospice.Sink = &rawSink{w: w, kind: an.Name()}
		pss, isPSS := an.(*gospice.PSS)
		keep := &pssKeeper{} // pss.go
		if isPSS {
			sink = teeSink{sink, keep}
		}
		_, err := r.analysis(ctx, an, sink, &rawComplexSink{w: w, ac: an})
		if eerr := w.end(); err == nil && eerr != nil {
			err = eerr
		}
		if isPSS && err == nil {
			err = keep.writeRaw(w, pss)
		}
		if err != nil {
			runErr = err
			break
		}
	}
	if stream {
		if err := r.copyTo(target, file); runErr == nil && err != nil {
			runErr = err
		}
		return runError(ctx, runErr, "", 0)
	}
	if runErr != nil {
		return stopError(ctx, runErr, out, w.total)
	}
	if err := out.Commit(); err != nil {
		return &exitError{exitStopped, err}
	}
	n := len(r.sim.Analyses())
	r.note("wrote %s (%d %s, %d %s)", target, n, plural(n, "analysis", "analyses"), w.total, plural(w.total, "point", "points"))
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// analysis runs one analysis into its sink, with a progress bar for a transient and a
// copy of the points kept for --plot. An .ac analysis goes to cplx as complex values when
// cplx is not nil, else to sink as real columns.
func (r *runner) analysis(ctx context.Context, an gospice.Analysis, sink gospice.Sink, cplx gospice.ComplexSink) (gospice.Stats, error) {
	var keep *table
	if r.plot {
		keep = &table{kind: an.Name(), title: r.sim.Title()}
		r.tables = append(r.tables, keep)
	}
	var bar *progress
	log := func(format string, args ...any) {
		// Every analysis solves its own operating point: the same note (gmin stepping was
		// needed) would otherwise come once per analysis.
		msg := fmt.Sprintf(format, args...)
		if r.told[msg] {
			return
		}
		if r.told == nil {
			r.told = map[string]bool{}
		}
		r.told[msg] = true
		if bar != nil {
			bar.clear()
		}
		fmt.Fprintf(r.stderr, "%s: %s\n", r.path, msg)
	}
	if _, ok := an.(*gospice.AC); (ok || isSP(an)) && cplx != nil {
		if keep != nil {
			cplx = teeComplex{cplx, complexCollector{keep, r.plotOnly}}
		}
		stats, err := r.sim.RunComplex(ctx, an, cplx, log)
		r.printMeasures(an, stats)
		return stats, err
	}
	if keep != nil {
		sink = teeSink{sink, realCollector{keep, r.plotOnly}}
	}
	if tr, ok := an.(*gospice.Tran); ok && r.terminal && !r.quiet {
		bar = newProgress(sink, r.stderr, tr.Stop, r.progressDelay)
		sink = bar
		defer bar.finish()
	}
	report := newReport(r.sim, an, sink) // .tf, .sens, .four, .noise: report.go
	r.lastReport = report
	if report != nil {
		sink = report
	}
	stats, err := r.sim.Run(ctx, an, sink, log)
	if report != nil && err == nil {
		report.print(r.stderr)
	}
	if keep != nil {
		keep.completeAC() // for an .ac: the complex vectors of its real columns
	}
	if werr := r.spikes(an, stats, err != nil); err == nil && werr != nil {
		err = werr
	}
	if bar != nil && len(stats.Measures) > 0 {
		bar.clear() // the results go below the bar's line, not onto it
	}
	r.printMeasures(an, stats)
	return stats, err
}

// isSP reports whether an analysis is .sp, which writes complex values as .ac does.
func isSP(an gospice.Analysis) bool {
	_, ok := an.(*gospice.SP)
	return ok
}

// numbered names the next analysis of a kind as gospice run's files do: tran for the
// first, tran2, tran3, ... for the later ones. used counts the analyses of each kind named
// so far.
func numbered(used map[string]int, kind string) string {
	used[kind]++
	if n := used[kind]; n > 1 {
		return fmt.Sprintf("%s%d", kind, n)
	}
	return kind
}

// drawPlots writes the --plot picture of every analysis that has more than one point:
// path itself for one, <stem>.<analysis><ext> for several. After a run that stopped
// early, the names are partial ones.
func (r *runner) drawPlots(path string, stopped bool) error {
	if path == "" {
		return nil
	}
	var tables []*table
	for _, t := range r.tables {
		if t.full {
			return fmt.Errorf("--plot %s: not drawn: the %s has %w", path, analysisNoun(t.kind), tableFullError{})
		}
		if t.kind != "op" && t.len() > 1 {
			tables = append(tables, t)
		}
	}
	if len(tables) == 0 {
		r.note("%s: nothing to plot (no analysis with more than one point)", r.path)
		return nil
	}
	used := map[string]int{}
	for _, t := range tables {
		target := path
		if len(tables) > 1 {
			ext := filepath.Ext(path)
			target = strings.TrimSuffix(path, ext) + "." + numbered(used, t.kind) + ext
		}
		if stopped {
			target = atomicfile.PartialName(target)
		}
		if err := writePlot(target, t, defaultGroups(t, false), nil); err != nil {
			return err
		}
		r.note("wrote %s", target)
	}
	return nil
}

// rawSink writes a real analysis as a raw plot.
type rawSink struct {
	w    *rawWriter
	kind string
}

func (s *rawSink) Begin(cols []gospice.Column) error {
	if s.kind == "pz" {
		// A complex plot, as ngspice's: each re/im pair of columns is one vector, which
		// ngspice 39 names v(pole(1)) in its raw file.
		vars := make([]rawVar, len(cols)/2)
		for i := range vars {
			vars[i] = rawVar{Name: "v(" + cols[2*i].Vector + ")", Type: "voltage"}
		}
		return s.w.begin(rawPlotNames[s.kind], true, vars)
	}
	return s.w.begin(rawPlotNames[s.kind], false, rawVars(s.kind, cols, false))
}

func (s *rawSink) Point(row []float64) error {
	if s.kind == "pz" {
		values := make([]complex128, len(row)/2)
		for i := range values {
			values[i] = complex(row[2*i], row[2*i+1])
		}
		return s.w.complexPoint(values)
	}
	return s.w.point(row)
}

// rawComplexSink writes an .ac analysis as a complex raw plot.
type rawComplexSink struct {
	w  *rawWriter
	ac gospice.Analysis
}

func (s *rawComplexSink) Begin(cols []gospice.Column) error {
	logSweep := false
	if ac, ok := s.ac.(*gospice.AC); ok {
		logSweep = ac.Sweep != "lin"
	}
	name := rawPlotNames["ac"]
	if sp, ok := s.ac.(*gospice.SP); ok {
		logSweep, name = sp.Sweep != "lin", rawPlotNames["sp"]
	}
	return s.w.begin(name, true, rawVars("ac", cols, logSweep))
}

func (s *rawComplexSink) Point(row []complex128) error { return s.w.complexPoint(row) }

// runError turns an analysis error into the message and exit code the user sees; partial
// is the file kept with the points computed before the stop (points of them), if any.
func runError(ctx context.Context, err error, partial string, points int) error {
	if err == nil {
		return nil
	}
	code := exitStopped
	if n := caught(ctx); n != 0 {
		code = 128 + n
	}
	if partial != "" {
		err = fmt.Errorf("%w\nthe points computed so far are in %s", err, partial)
	}
	return &exitError{code, err}
}

// stopError ends the output file of a run that stopped early and says what became of it:
// the points computed before the stop are kept in the partial file; with none, no file
// is left at all (nor one of either name from an earlier run), as when the netlist is
// refused before simulating.
func stopError(ctx context.Context, err error, out *atomicfile.File, points int) error {
	if points > 0 {
		return runError(ctx, err, out.Abandon(), points)
	}
	out.Drop()
	return runError(ctx, fmt.Errorf("%w\nno point was computed before the stop, so no file was written", err), "", 0)
}

// spikes writes the spikes of a transient of a netlist with .spikes lines.
func (r *runner) spikes(an gospice.Analysis, stats gospice.Stats, stopped bool) error {
	if _, ok := an.(*gospice.Tran); !ok || len(r.sim.Circuit.Spikes) == 0 || r.stem == "" {
		return nil
	}
	r.spikesDone++
	suffix := "spikes"
	if r.spikesDone > 1 {
		suffix += strconv.Itoa(r.spikesDone)
	}
	name, err := writeSpikes(r.spikesDir, r.stem, suffix, stats.Spikes, stopped)
	if err != nil {
		return &exitError{exitStopped, err}
	}
	if name != "" {
		r.note("wrote %s (%d %s)", name, len(stats.Spikes), plural(len(stats.Spikes), "spike", "spikes"))
	}
	return nil
}
