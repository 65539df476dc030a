package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis/control"
	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
)

// runControl runs a netlist's .control blocks as ngspice -b does: the blocks in order,
// then, unless they quit, the netlist's own analyses when it has .print or .op lines
// (ngspice runs them again after the blocks in batch mode, and only then) or when the
// blocks made no plot. Every plot the run leaves is written as a CSV file,
// <stem>.<kind>.csv, <stem>.<kind>2.csv ... in plot order, or with --format raw into
// one raw file. An error in a command is reported with its line and the script goes on; the
// exit code is then 1.
func (a *app) runControl(ctx context.Context, path string, sim *gospice.Simulation, f runFlags, format string) error {
	dir := f.outdir
	if dir == "." {
		dir = ""
	}
	in := control.New(sim, control.Options{Stdout: a.stdout, Stderr: a.stderr, Dir: dir,
		AllowShell: f.allowShell, WriteRaw: writeCommandRaw, Draw: drawFigure, PlotStem: stemOf(path)})
	in.Run(ctx)
	if err := ctx.Err(); err != nil {
		return &exitError{exitStopped, err}
	}
	if !in.Quit && len(sim.Analyses()) > 0 && (runsDotAnalyses(sim) || len(in.Plots()) == 0) {
		if err := in.RunDotAnalyses(ctx); err != nil {
			fmt.Fprintf(a.stderr, "%s\n", diagnose(err))
			in.Errors++
		}
	}
	stem := stemOf(path)
	if format != "csv" {
		name := f.output
		if name == "" {
			name = filepath.Join(f.outdir, stem+".raw")
		}
		if len(in.Plots()) > 0 {
			if err := writeRawPlots(name, in.Plots(), format == "rawascii", false); err != nil {
				return &exitError{exitInput, err}
			}
			if !f.quiet {
				fmt.Fprintf(a.stderr, "wrote %s (%d %s)\n", name, len(in.Plots()), plural(len(in.Plots()), "plot", "plots"))
			}
		}
		return controlExit(path, in)
	}
	used := map[string]int{}
	for _, p := range in.Plots() {
		if p.Kind == "unknown" || len(p.Vecs) == 0 {
			continue
		}
		name := filepath.Join(f.outdir, stem+"."+numbered(used, p.Kind)+".csv")
		rows, err := writePlotCSV(name, p)
		if err != nil {
			return &exitError{exitInput, err}
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "wrote %s (%d %s)\n", name, rows, plural(rows, "point", "points"))
		}
	}
	return controlExit(path, in)
}

// controlExit is the exit of a run: the code of the block's quit N, else 1 when a
// command failed.
func controlExit(path string, in *control.Interp) error {
	if in.ExitCode != 0 {
		return &exitError{in.ExitCode, fmt.Errorf("%s: the .control block quit with exit code %d", path, in.ExitCode)}
	}
	if in.Errors > 0 {
		return &exitError{exitInput, fmt.Errorf("%s: %d %s in the .control block", path, in.Errors, plural(in.Errors, "command failed", "commands failed"))}
	}
	return nil
}

// runsDotAnalyses says whether ngspice -b runs a netlist's own analyses after its
// .control blocks: when it has .print lines or an .op line (ngspice 39 says "no
// simulations run" otherwise).
func runsDotAnalyses(sim *gospice.Simulation) bool {
	if len(sim.Circuit.Prints) > 0 {
		return true
	}
	for _, a := range sim.Analyses() {
		if a.Name() == "op" {
			return true
		}
	}
	return false
}

func stemOf(path string) string {
	base := filepath.Base(path)
	return base[:len(base)-len(filepath.Ext(base))]
}

// plotColumns are the vectors of a plot that go into its CSV file: those as long as its
// scale (a vector that let made of another length is left out), a complex one as its
// real and imaginary parts.
func plotColumns(p *control.Plot) []*control.Vector {
	n := p.Vecs[0].Len()
	var cols []*control.Vector
	for _, v := range p.Vecs {
		if v.Len() == n {
			cols = append(cols, v)
		}
	}
	return cols
}

// writePlotCSV writes a plot as gospice's CSV files are written: a header row, a row
// per point; it returns the number of rows.
func writePlotCSV(name string, p *control.Plot) (int, error) {
	out, err := atomicfile.Create(name)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriter(out)
	cols := plotColumns(p)
	var b []byte
	for i, v := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		if v.IsComplex() {
			b = appendField(b, "re("+v.Name+")")
			b = append(b, ',')
			b = appendField(b, "im("+v.Name+")")
		} else {
			b = appendField(b, v.Name)
		}
	}
	b = append(b, '\n')
	n := cols[0].Len()
	for k := range n {
		for i, v := range cols {
			if i > 0 {
				b = append(b, ',')
			}
			c := v.At(k)
			b = strconv.AppendFloat(b, real(c), 'g', -1, 64)
			if v.IsComplex() {
				b = append(b, ',')
				b = strconv.AppendFloat(b, imag(c), 'g', -1, 64)
			}
		}
		b = append(b, '\n')
		if len(b) > 32<<10 {
			if _, err := w.Write(b); err != nil {
				out.Discard()
				return 0, err
			}
			b = b[:0]
		}
	}
	if _, err := w.Write(b); err != nil {
		out.Discard()
		return 0, err
	}
	if err := w.Flush(); err != nil {
		out.Discard()
		return 0, err
	}
	return n, out.Commit()
}

// writeRawPlots writes plots into an ngspice raw file with gospice's raw writer, as
// ngspice's -r writes one (gospice run --format raw, the drop-in's -r).
func writeRawPlots(path string, plots []*control.Plot, ascii, appendTo bool) error {
	return writePlots(path, plots, ascii, appendTo, false)
}

// writeCommandRaw is the .control block's write: writeRawPlots, but with the frequency's
// grid=3 after its type and a space, as ngspice 39's write puts it (its -r raw file puts
// a tab).
func writeCommandRaw(path string, plots []*control.Plot, ascii, appendTo bool) error {
	return writePlots(path, plots, ascii, appendTo, true)
}

func writePlots(path string, plots []*control.Plot, ascii, appendTo, writeCmd bool) error {
	flags := os.O_RDWR | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flags = os.O_RDWR | os.O_CREATE
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return err
	}
	for _, p := range plots {
		w := newRawWriter(f, ascii, p.Title, time.Now())
		w.off = off
		// As ngspice, a plot has as many points as its longest vector; a shorter one
		// (a let in an op plot) is padded with zeros and its length written as dims=.
		n := 0
		for _, v := range p.Vecs {
			n = max(n, v.Len())
			if len(v.Dims) > 1 && w.dims == nil {
				w.dims = v.Dims // the plot's dimensions, as ngspice 39 writes them
			}
		}
		cplx := false
		vars := make([]rawVar, len(p.Vecs))
		for i, v := range p.Vecs {
			cplx = cplx || v.IsComplex()
			vars[i] = rawVar{Name: rawName(v), Type: v.Type}
			if vars[i].Type == "temperature" {
				vars[i].Type = "temp-sweep"
			}
			if v.Len() < n || w.dims != nil && !slices.Equal(v.Dims, w.dims) {
				vars[i].Dims = v.Len() // another vector's dimensions are the plot's
			}
		}
		if len(vars) > 0 && vars[0].Type == "frequency" && p.Grid != "" {
			if writeCmd {
				vars[0].Type += " " + p.Grid
			} else {
				vars[0].Params = p.Grid
			}
		}
		if err := w.begin(p.Type, cplx, vars); err != nil {
			f.Close()
			return err
		}
		row := make([]float64, len(p.Vecs))
		crow := make([]complex128, len(p.Vecs))
		for k := range n {
			for i, v := range p.Vecs {
				var c complex128
				if k < v.Len() {
					c = v.At(k)
				}
				row[i], crow[i] = real(c), c
			}
			if cplx {
				err = w.complexPoint(crow)
			} else {
				err = w.point(row)
			}
			if err != nil {
				f.Close()
				return err
			}
		}
		if err := w.end(); err != nil {
			f.Close()
			return err
		}
		off = w.off
	}
	return f.Close()
}

// rawName is a vector's name in a raw file as ngspice writes it: v(name) for a voltage
// (a node's, v(v-sweep), v(onoise_total)), i(v1) for a branch current, i(name) for any
// other current (i(i-sweep), a noise input's total, a device's saved current).
func rawName(v *control.Vector) string {
	switch v.Type {
	case "voltage":
		if !strings.HasPrefix(v.Name, "v(") { // v(output_impedance_at_v(2)) too, as ngspice
			return "v(" + v.Name + ")"
		}
	case "current":
		if dev, ok := strings.CutSuffix(v.Name, "#branch"); ok {
			return "i(" + dev + ")"
		}
		if !strings.HasPrefix(v.Name, "i(") { // i(i-sweep), i(@q1[ic]), i(inoise_total)
			return "i(" + v.Name + ")"
		}
	}
	return v.Name
}
