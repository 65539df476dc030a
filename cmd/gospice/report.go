package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
)

// reportSink keeps the few rows of a .tf, .sens or .four analysis, passing them on to
// its sink, so that their numbers are printed on standard error afterwards, laid out as
// ngspice prints them. Like .meas results they are results, not notes: --quiet keeps them.
// For .noise it passes on the spectra only and keeps the totals (the running integrals'
// last row) for <stem>.noise-total.csv.
type reportSink struct {
	gospice.Sink
	an   gospice.Analysis
	sim  *gospice.Simulation
	cols []gospice.Column
	rows [][]float64
}

// newReport wraps sink for an analysis whose numbers are printed; nil for the others.
func newReport(sim *gospice.Simulation, an gospice.Analysis, sink gospice.Sink) *reportSink {
	switch an.(type) {
	case *gospice.TF, *gospice.Sens, *gospice.Four, *gospice.Noise, *gospice.PZ:
		return &reportSink{Sink: sink, an: an, sim: sim}
	}
	return nil
}

// noiseSpectra is the number of .noise's columns that go to its file: frequency and
// the spectra (the two, then each device's and source's with pts_per_summary); the
// totals follow them, from onoise_total on.
func noiseSpectra(cols []gospice.Column) int {
	if i := slices.IndexFunc(cols, func(c gospice.Column) bool { return c.Name == "onoise_total" }); i > 0 {
		return i
	}
	return len(cols)
}

func (s *reportSink) Begin(cols []gospice.Column) error {
	s.cols = append(s.cols[:0], cols...)
	if isNoise(s.an) {
		cols = cols[:noiseSpectra(cols)]
	}
	return s.Sink.Begin(cols)
}

func (s *reportSink) Point(row []float64) error {
	if n := noiseSpectra(s.cols); isNoise(s.an) && len(row) > n {
		// Only the last row's totals are kept: a sweep may be long.
		s.rows = append(s.rows[:0], append([]float64(nil), row...))
		return s.Sink.Point(row[:n])
	}
	s.rows = append(s.rows, append([]float64(nil), row...))
	return s.Sink.Point(row)
}

// noiseTotals are the names and values of .noise's integrated noise; nil for another
// analysis or a sweep that delivered no point.
func (s *reportSink) noiseTotals() ([]string, []float64) {
	n := noiseSpectra(s.cols)
	if !isNoise(s.an) || len(s.rows) == 0 || len(s.cols) <= n {
		return nil, nil
	}
	var names []string
	for _, c := range s.cols[n:] {
		names = append(names, c.Name)
	}
	return names, s.rows[0][n:]
}

// isNoise reports whether an is a .noise.
func isNoise(an gospice.Analysis) bool {
	_, ok := an.(*gospice.Noise)
	return ok
}

// writeNoiseTotals writes the totals of the last .noise into the file beside its spectra:
// rc.noise.csv's are rc.noise-total.csv.
func (r *runner) writeNoiseTotals(spectra string) error {
	if r.lastReport == nil {
		return nil
	}
	names, vals := r.lastReport.noiseTotals()
	if names == nil || spectra == "-" || atomicfile.IsStream(spectra) {
		return nil
	}
	target := strings.TrimSuffix(spectra, ".csv") + "-total.csv"
	out, err := atomicfile.Create(target)
	if err != nil {
		return err
	}
	sink := newCSVSink(out)
	cols := make([]gospice.Column, len(names))
	for i, n := range names {
		cols[i] = gospice.Column{Name: n}
	}
	err = sink.Begin(cols)
	if err == nil {
		err = sink.Point(vals)
	}
	if ferr := sink.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		out.Discard()
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	r.note("wrote %s (1 point)", target)
	return nil
}

// print writes the numbers as ngspice lays them out.
func (s *reportSink) print(w io.Writer) {
	if len(s.rows) == 0 {
		return
	}
	switch an := s.an.(type) {
	case *gospice.TF:
		fmt.Fprintln(w, "Transfer function information:")
		s.pairs(w)
	case *gospice.Sens:
		if an.AC == nil {
			fmt.Fprintf(w, "DC sensitivities of output %s:\n", an.Out.Name)
			s.pairs(w)
			return
		}
		// As ngspice's print all of its plot at each frequency: r1 = -3.87799e-05,1.962380e-04.
		fmt.Fprintf(w, "AC sensitivities of output %s:\n", an.Out.Name)
		for _, row := range s.rows {
			fmt.Fprintf(w, "frequency = %s\n", ngspiceE(row[0]))
			for i := 1; i+1 < len(s.cols); i += 2 {
				fmt.Fprintf(w, "%s = %s,%s\n", s.cols[i].Vector, ngspiceE(row[i]), ngspiceE(row[i+1]))
			}
		}
	case *gospice.Four:
		s.fourier(w, an)
	case *gospice.PZ:
		// As ngspice's print all of its pz plot: pole(1) = -5.00000e+08,0.000000e+00.
		for i := 0; i+1 < len(s.cols); i += 2 {
			fmt.Fprintf(w, "%s = %s,%s\n", s.cols[i].Vector, ngspiceE(s.rows[0][i]), ngspiceE(s.rows[0][i+1]))
		}
	case *gospice.Noise:
		names, vals := s.noiseTotals()
		fmt.Fprintf(w, "Integrated noise of %s from %s:\n", an.Out.Name, an.Source)
		for i, n := range names {
			fmt.Fprintf(w, "%s = %s\n", n, ngspiceE(vals[i]))
		}
	}
}

// pairs prints the one row as name = value lines.
func (s *reportSink) pairs(w io.Writer) {
	for i, c := range s.cols {
		fmt.Fprintf(w, "%s = %s\n", c.Name, ngspiceE(s.rows[0][i]))
	}
}

// fourier prints one table per vector.
func (s *reportSink) fourier(w io.Writer, an *gospice.Four) {
	_, grid, _ := s.sim.FourGrid()
	for i, v := range an.Vectors {
		base := 2 + 5*i
		fmt.Fprintf(w, "Fourier analysis for %s:\n", v.Name)
		fmt.Fprintf(w, "  No. Harmonics: %d, THD: %s %%, Gridsize: %d, Interpolation Degree: 1\n\n", len(s.rows), ngspiceG(s.rows[0][base+4]), grid)
		fmt.Fprintf(w, "Harmonic %-11s %-11s %-11s %-11s %-11s\n", "Frequency", "Magnitude", "Phase", "Norm. Mag", "Norm. Phase")
		fmt.Fprintf(w, "-------- %-11s %-11s %-11s %-11s %-11s\n", "---------", "---------", "-----", "---------", "-----------")
		for _, row := range s.rows {
			fields := []string{ngspiceG(row[1])}
			for _, x := range row[base : base+4] {
				fields = append(fields, ngspiceG(x))
			}
			fmt.Fprintf(w, " %-4d    %-11s\n", int(row[0]), strings.Join(pad(fields, 11), " "))
		}
		fmt.Fprintln(w)
	}
}

func pad(fields []string, width int) []string {
	for i, f := range fields[:len(fields)-1] {
		fields[i] = fmt.Sprintf("%-*s", width, f)
	}
	return fields
}

// ngspiceE formats as ngspice's print does: six digits after the point, five for a
// negative number.
func ngspiceE(v float64) string {
	if v < 0 {
		return fmt.Sprintf("%.5e", v)
	}
	return fmt.Sprintf("%.6e", v)
}

// ngspiceG formats as ngspice's fourier tables do: six significant digits, five for a
// negative number.
func ngspiceG(v float64) string {
	if v < 0 {
		return fmt.Sprintf("%.5g", v)
	}
	return fmt.Sprintf("%.6g", v)
}
