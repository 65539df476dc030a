// Command gospice runs SPICE netlists: gospice run NETLIST writes each analysis as CSV.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gospice/gospice"
)

// Exit codes: 1 for bad input or usage, 2 for a run that stopped early (its partial file
// is kept), 128+signal for an interrupted run.
const (
	exitInput   = 1
	exitStopped = 2
)

// exitError carries an exit code with the message printed for it.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	os.Exit(execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line and returns the exit code.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCommand(ctx, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, strings.TrimRight(err.Error(), "\n"))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitInput
}

func newRootCommand(ctx context.Context, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "gospice",
		Short:         "gospice simulates SPICE netlists",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stderr)
	root.SetErr(stderr)
	root.AddCommand(newRunCommand(ctx, stdout, stderr))
	return root
}

type runFlags struct {
	output string
	outdir string
	seed   uint64
	seeded bool // --seed was given
}

func newRunCommand(ctx context.Context, stdout, stderr io.Writer) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run NETLIST",
		Short: "Run a netlist's analyses and write each as CSV",
		Long: `Run the analyses of a netlist in order. Each analysis is written as
<netlist stem>.<analysis>.csv (rc.op.csv, rc.tran.csv) in the current directory or --outdir.
Points are streamed to a temporary file that gets its final name when the analysis
completes; a run that stops early leaves <stem>.<analysis>.partial.csv and exits with 2.`,
		Example: `  gospice run netlists/rc.cir
  gospice run netlists/rc.cir -o out.csv
  gospice run netlists/rc.cir -o - | head
  gospice run circuit.cir --outdir results`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.seeded = cmd.Flags().Changed("seed")
			return run(ctx, args[0], f, stdout, stderr)
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "output file for a netlist with one analysis (- for standard output)")
	cmd.Flags().StringVar(&f.outdir, "outdir", ".", "folder for the output files")
	cmd.Flags().Uint64Var(&f.seed, "seed", 0, "random seed of stochastic devices (overrides .options seed)")
	return cmd
}

func run(parent context.Context, path string, f runFlags, stdout, stderr io.Writer) error {
	var opts []gospice.Option
	if f.seeded {
		opts = append(opts, gospice.WithSeed(f.seed))
	}
	sim, err := gospice.ParseFile(path, opts...)
	if err != nil {
		return &exitError{exitInput, err}
	}
	for _, w := range sim.Warnings {
		fmt.Fprintf(stderr, "%s: warning: %s\n", w.Pos, w.Msg)
	}
	analyses := sim.Analyses()
	if len(analyses) == 0 {
		fmt.Fprintf(stderr, "%s: no analysis to run (add .op or .tran)\n", path)
		return nil
	}
	if f.output != "" && len(analyses) > 1 {
		var kinds []string
		for _, a := range analyses {
			kinds = append(kinds, a.Name())
		}
		return &exitError{exitInput, fmt.Errorf("-o names one output file, but %s has %d analyses (%s); use --outdir",
			path, len(analyses), strings.Join(kinds, ", "))}
	}
	if f.output == "" {
		if st, err := os.Stat(f.outdir); err != nil || !st.IsDir() {
			return &exitError{exitInput, fmt.Errorf("--outdir %s is not a folder", f.outdir)}
		}
	}

	ctx, stop := withSignals(parent)
	defer stop()

	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	used := map[string]int{}
	for _, a := range analyses {
		used[a.Name()]++
		suffix := a.Name()
		if n := used[a.Name()]; n > 1 {
			suffix = fmt.Sprintf("%s%d", a.Name(), n)
		}
		target := f.output
		if target == "" {
			target = filepath.Join(f.outdir, stem+"."+suffix+".csv")
		}
		log := func(format string, args ...any) {
			fmt.Fprintf(stderr, "%s: %s\n", path, fmt.Sprintf(format, args...))
		}
		if err := runOne(ctx, sim, a, target, stdout, stderr, log); err != nil {
			return err
		}
	}
	return nil
}

// runOne runs one analysis into target ("-" for standard output), streaming to a
// temporary file that is renamed to target when the analysis completes.
func runOne(ctx context.Context, sim *gospice.Simulation, a gospice.Analysis, target string, stdout, stderr io.Writer, log func(string, ...any)) error {
	if target == "-" {
		sink := newCSVSink(stdout)
		_, err := sim.Run(ctx, a, sink, log)
		if ferr := sink.Flush(); err == nil && ferr != nil {
			err = ferr
		}
		return runError(ctx, err, "")
	}
	dir, base := filepath.Split(target)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return &exitError{exitInput, fmt.Errorf("cannot write %s: %w", target, err)}
	}
	sink := newCSVSink(tmp)
	stats, err := sim.Run(ctx, a, sink, log)
	if ferr := sink.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	partial := strings.TrimSuffix(target, ".csv") + ".partial.csv"
	if err == nil {
		os.Remove(partial) // a stale partial file from an earlier run would mislead
		if err := os.Rename(tmp.Name(), target); err != nil {
			os.Remove(tmp.Name())
			return &exitError{exitStopped, fmt.Errorf("cannot write %s: %w", target, err)}
		}
		fmt.Fprintf(stderr, "wrote %s (%d points)\n", target, stats.Points)
		return nil
	}
	os.Remove(target) // a complete file from an earlier run would mislead too
	if rerr := os.Rename(tmp.Name(), partial); rerr != nil {
		os.Remove(tmp.Name())
		partial = ""
	}
	return runError(ctx, err, partial)
}

// runError turns an analysis error into the message and exit code the user sees.
func runError(ctx context.Context, err error, partial string) error {
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
