package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/gospice/gospice"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

type plotFlags struct {
	output   string
	analysis string
	overlay  bool
	xmin     string
	xmax     string
	quiet    bool
	seed     uint64
	bin      string // the firing-rate bin of a spikes file's plot, a SPICE number
}

func (a *app) plotCommand() *cobra.Command {
	var f plotFlags
	cmd := &cobra.Command{
		Use:   "plot NETLIST|CSV|RAW [VECTOR[,VECTOR...]]...",
		Short: "Plot vectors of a netlist, a CSV file or a raw file to SVG, PNG or PDF",
		Long: `Draw waveforms into a picture: one panel per argument, stacked over a shared x axis.
An argument with commas, v(a),v(b), puts several vectors on one panel (v(a,b) is one
vector, v(a) - v(b), computed from v(a) and v(b) when the input has no column of that
name); --overlay puts them all on one. Without vectors, every vector gets a panel.
Axes are labelled with units (s, V, A, Hz) and ticks in engineering notation (1m, 10u).
An AC vector is drawn as its magnitude in dB and its phase in degrees against a
logarithmic frequency axis; vdb(out), vp(out), vm(out) draw one part.

The input is a netlist (its first analysis with more than one point is run, or the one
--analysis names, with every node voltage when its .print lines leave out a vector
asked for), a CSV file written by gospice run, or a raw file (gospice's or ngspice's;
--analysis picks the plot), or a spikes file (<stem>.spikes.csv of gospice run), drawn
as a raster of the spikes over the population's firing rate (--bin sets its bins). The
picture's format follows the -o extension:
.svg, .png, .pdf, .eps, .jpg or .tif.`,
		Example: `  gospice plot netlists/rc.cir v(out) -o rc.png
  gospice plot netlists/rc.cir v(in),v(out) i(v1) -o rc.svg
  gospice plot rc.tran.csv --overlay v(in) v(out) -o rc.svg
  gospice plot netlists/bandpass.cir v(out) v(mid) -o bode.png
  gospice plot circuit.raw --analysis ac v(out) -o bode.svg
  gospice plot neuron.cir v(g1) --xmin 180m --xmax 260m -o spikes.png
  gospice plot recurrent100.spikes.csv --bin 10m -o raster.png`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var seed *uint64
			if cmd.Flags().Changed("seed") {
				seed = &f.seed
			}
			return a.plot(args[0], args[1:], f, seed)
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "picture to write (default <input stem>.svg)")
	cmd.Flags().StringVarP(&f.analysis, "analysis", "a", "", "analysis to plot: op, dc, ac or tran (tran2 for the second .tran)")
	cmd.Flags().BoolVar(&f.overlay, "overlay", false, "draw every vector on one panel")
	cmd.Flags().StringVar(&f.xmin, "xmin", "", "start of the x axis, a SPICE number (180m, 1k)")
	cmd.Flags().StringVar(&f.xmax, "xmax", "", "end of the x axis, a SPICE number")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and no note of the file written")
	cmd.Flags().Uint64Var(&f.seed, "seed", 0, seedUsage)
	cmd.Flags().StringVar(&f.bin, "bin", "", "bin width (s, a SPICE number: 10m) of the firing-rate histogram of a spikes file (default: 50 bins)")
	return cmd
}

// wantAnalysis splits --analysis tran2 into the kind and which one of that kind (1 on).
func wantAnalysis(s string) (string, int, error) {
	s = strings.ToLower(strings.TrimPrefix(s, "."))
	kind := strings.TrimRight(s, "0123456789")
	n := 1
	if kind != s {
		n, _ = strconv.Atoi(s[len(kind):])
	}
	switch kind {
	case "op", "dc", "ac", "tran":
		return kind, max(n, 1), nil
	}
	return "", 0, fmt.Errorf("unknown --analysis %q: op, dc, ac or tran", s)
}

func (a *app) plot(input string, vectors []string, f plotFlags, seed *uint64) error {
	out := f.output
	if out == "" {
		out = strings.TrimSuffix(filepath.Base(input), filepath.Ext(input)) + ".svg"
	}
	if err := checkPlotFormat(out); err != nil {
		return &exitError{exitInput, err}
	}
	xlim, err := xLimits(f.xmin, f.xmax)
	if err != nil {
		return &exitError{exitInput, err}
	}
	kind, nth := "", 1
	if f.analysis != "" {
		var err error
		if kind, nth, err = wantAnalysis(f.analysis); err != nil {
			return &exitError{exitInput, err}
		}
	}
	if strings.ToLower(filepath.Ext(input)) == ".csv" && isSpikesFile(input) {
		// A spikes file (gospice run's <stem>.spikes.csv): a raster and the firing rate.
		if len(vectors) > 0 {
			return &exitError{exitInput, fmt.Errorf("%s is a spikes file: it is drawn whole, as a raster (no vectors to choose)", input)}
		}
		bin := 0.0
		if f.bin != "" {
			if bin, err = parseSpiceNumber(f.bin); err != nil || !(bin > 0) {
				return &exitError{exitInput, fmt.Errorf("--bin %s: want a positive time", f.bin)}
			}
		}
		if err := writeRaster(out, input, xlim, bin); err != nil {
			return &exitError{exitInput, err}
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "wrote %s\n", out)
		}
		return nil
	}
	groups := splitGroups(vectors, f.overlay)
	var t *table
	switch strings.ToLower(filepath.Ext(input)) {
	case ".csv":
		t, err = readCSVTable(input)
		if err == nil && kind != "" && t.kind != kind {
			err = fmt.Errorf("%s holds a %s, not a %s", input, analysisNoun(t.kind), analysisNoun(kind))
		}
	case ".raw":
		var tables []*table
		if tables, err = readRawTables(input); err == nil {
			t, err = pickTable(input, tables, kind, nth)
		}
	default:
		t, err = a.runForPlot(input, kind, nth, slices.Concat(groups...), f.quiet, seed)
		if _, ok := err.(*exitError); ok {
			return err
		}
	}
	if err != nil {
		return &exitError{exitInput, err}
	}
	if len(groups) == 0 {
		groups = defaultGroups(t, f.overlay)
	}
	if err := writePlot(out, t, groups, xlim); err != nil {
		return &exitError{exitInput, fmt.Errorf("%s: %w", input, err)}
	}
	if !f.quiet {
		fmt.Fprintf(a.stderr, "wrote %s\n", out)
	}
	return nil
}

// xLimits reads --xmin and --xmax; nil when neither is given.
func xLimits(lo, hi string) (*[2]float64, error) {
	if lo == "" && hi == "" {
		return nil, nil
	}
	lim := [2]float64{math.Inf(-1), math.Inf(1)}
	for i, s := range []string{lo, hi} {
		if s == "" {
			continue
		}
		v, err := parseSpiceNumber(s)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", []string{"xmin", "xmax"}[i], err)
		}
		lim[i] = v
	}
	if !(lim[0] < lim[1]) {
		return nil, fmt.Errorf("--xmin %s is not below --xmax %s", lo, hi)
	}
	return &lim, nil
}

// pickAnalysis is the index of the analysis to plot among n whose kinds kindOf gives: the
// nth of kind, or with kind "" the first that is not an op and that plottable accepts;
// -1 when there is none.
func pickAnalysis(n int, kindOf func(i int) string, kind string, nth int, plottable func(i int) bool) int {
	seen := 0
	for i := range n {
		switch k := kindOf(i); {
		case kind == "":
			if k != "op" && plottable(i) {
				return i
			}
		case k == kind:
			if seen++; seen == nth {
				return i
			}
		}
	}
	return -1
}

// pickTable chooses the nth table of the kind, or the first with more than one point.
func pickTable(input string, tables []*table, kind string, nth int) (*table, error) {
	i := pickAnalysis(len(tables), func(i int) string { return tables[i].kind }, kind, nth,
		func(i int) bool { return tables[i].len() > 1 })
	switch {
	case i < 0 && kind == "":
		return nil, fmt.Errorf("%s: nothing to plot (no analysis with more than one point)", input)
	case i < 0:
		return nil, fmt.Errorf("%s has no %s number %d", input, analysisNoun(kind), nth)
	}
	return tables[i], nil
}

// runForPlot runs the netlist's analysis to plot and keeps its points, with the vectors
// names lists among them.
func (a *app) runForPlot(path, kind string, nth int, names []string, quiet bool, seed *uint64) (*table, error) {
	sim, err := a.parse(path, seed)
	if err != nil {
		return nil, err
	}
	analyses := sim.Analyses()
	i := pickAnalysis(len(analyses), func(i int) string { return analyses[i].Name() }, kind, nth,
		func(int) bool { return true }) // the number of points is known only after the run
	switch {
	case i < 0 && kind == "":
		return nil, fmt.Errorf("%s: nothing to plot (no .dc, .ac or .tran analysis)", path)
	case i < 0:
		return nil, fmt.Errorf("%s has no %s number %d", path, analysisNoun(kind), nth)
	}
	ctx, stop := withSignals(a.ctx)
	defer stop()
	if sim, err = withVectors(ctx, sim, analyses[i], names, seed); err != nil {
		return nil, &exitError{exitInput, diagnose(err)}
	}
	chosen := sim.Analyses()[i]
	r := &runner{app: a, sim: sim, path: path, quiet: quiet, plot: true, plotOnly: true}
	if _, err := r.analysis(ctx, chosen, discardSink{}, discardComplex{}); err != nil {
		if errors.As(err, new(tableFullError)) {
			return nil, &exitError{exitInput, fmt.Errorf("%s: the %s has %w", path, analysisNoun(chosen.Name()), err)}
		}
		return nil, runError(ctx, err, "", 0)
	}
	t := r.tables[0]
	t.title = sim.Title()
	return t, nil
}

type discardSink struct{}

func (discardSink) Begin([]gospice.Column) error { return nil }
func (discardSink) Point([]float64) error        { return nil }

type discardComplex struct{}

func (discardComplex) Begin([]gospice.Column) error { return nil }
func (discardComplex) Point([]complex128) error     { return nil }

// withVectors makes sure that the run of a netlist for a plot gives the vectors the plot
// names. A netlist's .print or .save lines choose what its analyses output; when they
// leave out a vector the plot names (or v(a) or v(b) of a v(a,b) it names), the netlist
// is built again without them, which outputs every node voltage, branch current and
// device state, as a netlist without them does.
func withVectors(ctx context.Context, sim *gospice.Simulation, an gospice.Analysis, names []string, seed *uint64) (*gospice.Simulation, error) {
	c := *sim.Circuit // its fields are shared, and left unchanged
	if len(c.Prints) == 0 && len(c.Saves) == 0 || !lacksVectors(sim.Vectors(an), names) {
		return sim, nil
	}
	c.Prints, c.Saves = nil, nil
	var opts []gospice.Option
	if seed != nil {
		opts = append(opts, gospice.WithSeed(*seed)) // as parse built sim: the same random values
	}
	return gospice.BuildContext(ctx, &c, opts...)
}
