// Command gospice runs SPICE netlists: gospice run writes their analyses as CSV or as
// ngspice raw files, gospice check reads a netlist without running it, gospice plot draws
// waveforms.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

func (e *exitError) Unwrap() error { return e.err }

func main() {
	os.Exit(execute(context.Background(), commandLine(os.Args[0], os.Args[1:]), os.Stdout, os.Stderr))
}

// app is what the commands share: where they write, and whether standard error is a
// terminal that can show a progress bar.
type app struct {
	ctx            context.Context
	stdout, stderr io.Writer
	terminal       bool
	progressDelay  time.Duration
	runsControl    bool // the command runs .control blocks: their "ignored" warnings are not shown
}

// execute runs the command line and returns the exit code.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{ctx: ctx, stdout: stdout, stderr: stderr, terminal: isTerminal(stderr), progressDelay: progressDelay}
	return a.execute(args)
}

func (a *app) execute(args []string) int {
	if len(args) > 0 && args[0] == "ngspice" {
		return a.ngspice(args[1:]) // ngspice's command line, not cobra's flags
	}
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(a.stderr, strings.TrimRight(err.Error(), "\n"))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitInput
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gospice",
		Short: "gospice simulates SPICE netlists",
		Long: `gospice simulates SPICE netlists as ngspice reads them: .op, .dc, .ac and .tran,
with resistors, capacitors, inductors, sources, diodes, BJTs, MOSFETs, switches and the
diffusive memristor. Results go to CSV or ngspice raw files, and plots to SVG or PNG.`,
		Example: `  gospice run netlists/rc.cir
  gospice check netlists/rc.cir
  gospice plot netlists/rc.cir v(out) -o rc.png
  gospice version`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(a.runCommand(), a.checkCommand(), a.plotCommand(), a.mergeCommand(), a.digitsCommand(), a.versionCommand(), a.ngspiceCommand())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{exitInput, withFlagUsage(err)}
	})
	return root
}

// withFlagUsage adds to an error about a flag's value (missing, or not of its type) the
// flag's line of help, which says what value it takes.
func withFlagUsage(err error) error {
	var f *pflag.Flag
	var required *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &required):
		f = required.GetFlag()
	case errors.As(err, &invalid):
		f = invalid.GetFlag()
	}
	if f == nil {
		return err
	}
	kind, usage := pflag.UnquoteUsage(f)
	return fmt.Errorf("%w\n  --%s %s: %s", err, f.Name, kind, usage)
}
