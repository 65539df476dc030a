package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"github.com/schollz/progressbar/v3"
	"gonum.org/v1/gonum/stat"

	"github.com/gospice/gospice"
)

// A netlist with .step lines (or run with --shard or --run) runs once per step point, the
// runs spread over every core, and each analysis's file gathers every run's rows in run
// order: the .step variables first, then the analysis's usual columns, then status (ok,
// or why the run failed). The .meas results of each run go to <stem>.meas.csv, one row a
// run, and a summary of each measurement over the runs to standard error. A raw file gets
// one plot per run and analysis, its title ending with the step values.

// stepped runs the given runs of sim (a shard's, one, or all when runs is nil).
func (r *runner) stepped(ctx context.Context, stem string, f runFlags, format string, runs []int, sh *shard) error {
	sim := r.sim
	total := len(runs)
	if runs == nil {
		total = sim.Runs()
	}
	out, err := r.newStepOutputs(stem, f, format)
	if err != nil {
		return err
	}
	defer out.discard() // of whatever was not committed

	var bar *progressbar.ProgressBar
	if r.terminal && !r.quiet && total > 1 {
		bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(r.stderr),
			progressbar.OptionSetDescription("runs"), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(0),
			progressbar.OptionSetWidth(30))
	}
	var failed []string // the first maxFailuresListed, described
	nFailed := 0
	measures := map[string][]float64{}
	var measureNames []string
	err = sim.RunSteps(ctx, runs, 0, func(run *gospice.StepRun) error {
		if run.Err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if nFailed++; nFailed <= maxFailuresListed {
				failed = append(failed, fmt.Sprintf("run %d (%s): %v", run.Run, r.stepLabel(run.Values), run.Err))
			}
		}
		for _, m := range measuredValues(sim, run) {
			if _, seen := measures[m.name]; !seen {
				measureNames = append(measureNames, m.name)
			}
			if !math.IsNaN(m.value) {
				measures[m.name] = append(measures[m.name], m.value)
			} else if _, seen := measures[m.name]; !seen {
				measures[m.name] = nil
			}
		}
		if bar != nil {
			bar.Add(1)
		}
		return out.write(run)
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return runError(ctx, err, "", 0)
	}
	if sh != nil {
		if err := out.writeManifest(r.path, sim, *sh, runs); err != nil {
			return &exitError{exitStopped, err}
		}
	}
	if err := out.commit(r); err != nil {
		return &exitError{exitStopped, err}
	}
	for _, name := range measureNames {
		fmt.Fprintf(r.stderr, "%s\n", summary(name, measures[name], total))
	}
	if len(failed) > 0 {
		listed := failed[:min(len(failed), maxFailuresListed)]
		msg := fmt.Sprintf("%d of %d %s failed (their rows say why in the status column):\n  %s",
			nFailed, total, plural(total, "run", "runs"), strings.Join(listed, "\n  "))
		if nFailed > len(listed) {
			msg += fmt.Sprintf("\n  ... and %d more", nFailed-len(listed))
		}
		return &exitError{exitStopped, errors.New(msg)}
	}
	return nil
}

// maxFailuresListed is how many failed runs the message at the end describes; the rest
// are counted (every one has its reason in the files).
const maxFailuresListed = 10

// stepLabel writes step values as the .step variables' names and values: rval=2.2k run=3.
func (r *runner) stepLabel(values []float64) string {
	var parts []string
	for i, st := range r.sim.Steps() {
		parts = append(parts, st.Label+"="+engSpice(values[i]))
	}
	return strings.Join(parts, " ")
}

// measured is one .meas result of a run, named for the file's column: its name, or
// name@tran2 for the second analysis of the type.
type measured struct {
	name  string
	value float64 // NaN when it failed or was not reached
}

// measuredValues lists every .meas result the run's analyses give, in the order of the
// netlist's analyses: NaN for one that failed, or whose analysis did not run.
func measuredValues(sim *gospice.Simulation, run *gospice.StepRun) []measured {
	var out []measured
	used := map[string]int{}
	for i, an := range sim.Analyses() {
		suffix := numbered(used, an.Name())
		for _, m := range sim.Circuit.Measures {
			if m.Analysis != an.Name() {
				continue
			}
			name := m.Name
			if suffix != an.Name() {
				name += "@" + suffix
			}
			v := math.NaN()
			if i < len(run.Results) {
				if got, err := run.Results[i].Measure(m.Name); err == nil {
					v = got
				}
			}
			out = append(out, measured{name, v})
		}
	}
	return out
}

// summary describes a measurement over the runs: mean, standard deviation, min and max.
func summary(name string, values []float64, runs int) string {
	n := len(values)
	if n == 0 {
		return fmt.Sprintf("%s: failed in every run", name)
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	var s string
	if n == 1 {
		s = fmt.Sprintf("%s over 1 run: %.6g", name, values[0])
	} else {
		mean, sd := stat.MeanStdDev(values, nil)
		s = fmt.Sprintf("%s over %d runs: mean %.6g, standard deviation %.6g, min %.6g, max %.6g", name, n, mean, sd, lo, hi)
	}
	if n < runs {
		s += fmt.Sprintf(" (%d failed)", runs-n)
	}
	return s
}

// stepOutputs are the files of a stepped run: a CSV file per analysis and one of the
// .meas results, or one raw file.
type stepOutputs struct {
	sim     *gospice.Simulation
	labels  []string // the .step variables
	files   []*stepFile
	meas    *stepFile // nil without .meas lines
	raw     *rawWriter
	rawFile *atomicfile.File
	outdir  string
}

// stepFile is one CSV file being written, with the rows each run gave it.
type stepFile struct {
	name    string // the file's base name, as shard.json knows it
	target  string
	out     *atomicfile.File
	sink    *csvSink
	columns []string // the analysis's own columns, after the step variables
	rows    []int    // per run written
}

func (r *runner) newStepOutputs(stem string, f runFlags, format string) (*stepOutputs, error) {
	sim := r.sim
	o := &stepOutputs{sim: sim, outdir: f.outdir}
	for _, st := range sim.Steps() {
		o.labels = append(o.labels, st.Label)
	}
	if f.output == "-" {
		return nil, &exitError{exitInput, errors.New("with .step, -o - is not supported: the runs go to files")}
	}
	for _, an := range sim.Analyses() {
		if pz, ok := an.(*gospice.PZ); ok && format == "csv" {
			// Each run may find another number of poles and zeros: no one header fits.
			return nil, &exitError{exitInput, fmt.Errorf("%v: .pz with .step is not supported in CSV files (write a raw file: --format raw)", pz.Pos)}
		}
	}
	if f.output != "" {
		// <stem>.meas.csv goes beside the file -o names.
		o.outdir = filepath.Dir(f.output)
		f.outdir = o.outdir
	}
	open := func(name string, columns []string) (*stepFile, error) {
		target := filepath.Join(f.outdir, name)
		if name == f.output {
			target = f.output
		}
		out, err := atomicfile.Create(target)
		if err != nil {
			return nil, &exitError{exitInput, err}
		}
		sf := &stepFile{name: name, target: target, out: out, sink: newCSVSink(out), columns: columns}
		header := append(append(append([]string(nil), o.labels...), columns...), "status")
		return sf, sf.sink.header(header)
	}
	if format != "csv" {
		target := f.output
		if target == "" {
			target = filepath.Join(f.outdir, stem+".raw")
		}
		out, err := atomicfile.Create(target)
		if err != nil {
			return nil, &exitError{exitInput, err}
		}
		o.rawFile = out
		o.raw = newRawWriter(out.File, format == "rawascii", sim.Title(), time.Now())
		o.outdir = filepath.Dir(target) // where meas.csv and shard.json go
		f.outdir = o.outdir
	}
	used := map[string]int{}
	for _, an := range sim.Analyses() {
		if o.raw != nil {
			break
		}
		name := stem + "." + numbered(used, an.Name()) + ".csv"
		if f.output != "" {
			name = f.output // one analysis: checked by run
		}
		sf, err := open(name, sim.Vectors(an))
		if err != nil {
			o.discard()
			return nil, err
		}
		o.files = append(o.files, sf)
	}
	if len(sim.Circuit.Measures) > 0 {
		var names []string
		for _, m := range measuredValues(sim, &gospice.StepRun{}) {
			names = append(names, m.name)
		}
		sf, err := open(stem+".meas.csv", names)
		if err != nil {
			o.discard()
			return nil, err
		}
		o.meas = sf
	}
	return o, nil
}

// write adds one run's rows: for each analysis, its points, or one row of NaN when it has
// none; each row with the run's step values and status.
func (o *stepOutputs) write(run *gospice.StepRun) error {
	if o.raw != nil {
		if err := o.writeRaw(run); err != nil {
			return err
		}
	}
	failedAt := len(run.Results) - 1 // the analysis that failed, when run.Err is set
	for i, sf := range o.files {
		status := "ok"
		var res *gospice.Result
		switch {
		case i < len(run.Results) && (run.Err == nil || i < failedAt):
			res = run.Results[i]
		case i == failedAt:
			res, status = run.Results[i], oneLine(run.Err.Error())
		default:
			status = fmt.Sprintf("not run: %s failed", o.sim.Analyses()[failedAt].Name())
		}
		cols := make([][]float64, len(sf.columns))
		points := 0
		if res != nil {
			for c, name := range sf.columns {
				cols[c], _ = res.Vector(name)
			}
			points = res.Len()
		}
		rows := max(points, 1)
		row := make([]float64, len(sf.columns))
		for p := range rows {
			for c := range row {
				row[c] = math.NaN()
				if p < len(cols[c]) {
					row[c] = cols[c][p]
				}
			}
			if err := sf.sink.stepRow(run.Values, row, status); err != nil {
				return err
			}
		}
		sf.rows = append(sf.rows, rows)
	}
	if o.meas != nil {
		ms := measuredValues(o.sim, run)
		row := make([]float64, len(ms))
		for k, m := range ms {
			row[k] = m.value
		}
		status := "ok"
		if run.Err != nil {
			status = oneLine(run.Err.Error())
		}
		if err := o.meas.sink.stepRow(run.Values, row, status); err != nil {
			return err
		}
		o.meas.rows = append(o.meas.rows, 1)
	}
	return nil
}

// writeRaw adds one run's analyses to the raw file, a plot each, titled with the step values.
func (o *stepOutputs) writeRaw(run *gospice.StepRun) error {
	var label []string
	for i, st := range o.sim.Steps() {
		label = append(label, st.Label+"="+engSpice(run.Values[i]))
	}
	o.raw.title = o.sim.Title() + " [" + strings.Join(label, " ") + "]"
	for k, res := range run.Results {
		an := o.sim.Analyses()[k]
		if err := writeRawResult(o.raw, an, res); err != nil {
			return err
		}
	}
	return nil
}

// writeRawResult writes a collected result as one plot of a raw file.
func writeRawResult(w *rawWriter, an gospice.Analysis, res *gospice.Result) error {
	var err error
	if res.IsComplex() {
		err = writePoints(res, (*gospice.Result).Complex, &rawComplexSink{w: w, ac: an})
	} else {
		err = writePoints(res, (*gospice.Result).Vector, &rawSink{w: w, kind: an.Name()})
	}
	if err != nil {
		return err
	}
	return w.end()
}

// writePoints hands a result's points, read with vector, to a sink.
func writePoints[T any](res *gospice.Result, vector func(*gospice.Result, string) ([]T, bool), sink interface {
	Begin([]gospice.Column) error
	Point([]T) error
}) error {
	if err := sink.Begin(res.Columns()); err != nil {
		return err
	}
	vecs := make([][]T, len(res.Names()))
	for c, name := range res.Names() {
		vecs[c], _ = vector(res, name)
	}
	row := make([]T, len(vecs))
	for p := range res.Len() {
		for c := range row {
			row[c] = vecs[c][p]
		}
		if err := sink.Point(row); err != nil {
			return err
		}
	}
	return nil
}

// all lists the CSV files being written.
func (o *stepOutputs) all() []*stepFile {
	if o.meas != nil {
		return append(o.files[:len(o.files):len(o.files)], o.meas)
	}
	return o.files
}

// writeManifest writes shard.json into the output folder.
func (o *stepOutputs) writeManifest(netlist string, sim *gospice.Simulation, sh shard, runs []int) error {
	text, err := os.ReadFile(netlist)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(text)
	m := shardManifest{
		Netlist: filepath.Base(netlist), SHA256: hex.EncodeToString(sum[:]), Seed: sim.Seed(),
		Shard: sh.K, Shards: sh.N, Total: sim.Runs(), Runs: runs, Files: map[string][]int{},
	}
	if m.Runs == nil {
		m.Runs = []int{}
	}
	for _, sf := range o.all() {
		m.Files[sf.name] = append([]int{}, sf.rows...)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	target := filepath.Join(o.outdir, "shard.json")
	out, err := atomicfile.Create(target)
	if err != nil {
		return err
	}
	if _, err := out.Write(append(b, '\n')); err != nil {
		out.Discard()
		return err
	}
	return out.Commit()
}

// commit gives every file its final name.
func (o *stepOutputs) commit(r *runner) error {
	if o.raw != nil {
		target := o.rawFile.Target()
		err := o.rawFile.Commit()
		o.rawFile = nil
		if err != nil {
			return err
		}
		r.note("wrote %s", target)
	}
	for _, sf := range o.all() {
		if err := sf.sink.Flush(); err != nil {
			return err
		}
		if err := sf.out.Commit(); err != nil {
			return err
		}
		sf.out = nil
		r.note("wrote %s (%d %s)", sf.target, sum(sf.rows), plural(sum(sf.rows), "row", "rows"))
	}
	return nil
}

// discard removes the files not committed.
func (o *stepOutputs) discard() {
	if o == nil {
		return
	}
	if o.rawFile != nil {
		o.rawFile.Discard()
	}
	for _, sf := range o.all() {
		if sf.out != nil {
			sf.out.Discard()
		}
	}
}

func sum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// header writes the header row of a stepped file.
func (s *csvSink) header(names []string) error {
	cols := make([]gospice.Column, len(names))
	for i, n := range names {
		cols[i].Name = n
	}
	return s.Begin(cols)
}

// stepRow writes one row of a stepped file: the step values, the row, the status.
func (s *csvSink) stepRow(values, row []float64, status string) error {
	s.buf = s.buf[:0]
	for _, v := range values {
		s.buf = strconv.AppendFloat(s.buf, v, 'g', -1, 64)
		s.buf = append(s.buf, ',')
	}
	for _, v := range row {
		s.buf = strconv.AppendFloat(s.buf, v, 'g', -1, 64)
		s.buf = append(s.buf, ',')
	}
	s.buf = appendField(s.buf, status)
	s.buf = append(s.buf, '\n')
	_, err := s.w.Write(s.buf)
	return err
}
