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
	"github.com/gospice/gospice/analysis/control"
)

// The drop-in for ngspice: gospice ngspice ARGS, gospice -b ARGS, or the binary run under
// the name ngspice take ngspice 39's command line and run the netlist as ngspice -b does.

// ngspiceArgs is an ngspice command line.
type ngspiceArgs struct {
	batch, noInit    bool
	help, version    bool
	rawfile, logfile string
	defines          []string // -D name[=value]
	files            []string
	refused          string // an option of ngspice's that the drop-in does not take, and why
}

// ngspiceOptions are ngspice 39's options (ngspice --help): the long name of each short
// one, and whether it takes a value.
var ngspiceOptions = []struct {
	short byte
	long  string
	value bool
}{
	{'a', "autorun", false}, {'b', "batch", false}, {'c', "circuitfile", true},
	{'D', "define", true}, {'i', "interactive", false}, {'n', "no-spiceinit", false},
	{'o', "output", true}, {'p', "pipe", false}, {'q', "completion", false},
	{'r', "rawfile", true}, {0, "soa-log", true}, {'s', "server", false},
	{'t', "term", true}, {'h', "help", false}, {'v', "version", false},
}

// parseNgspiceArgs reads an ngspice command line as ngspice's getopt_long does: short
// options alone or together (-bn), a value after its option or attached to it (-r x.raw,
// -rx.raw, --rawfile=x.raw, --rawfile x.raw), long options by a prefix that names one,
// options and files in any order, and -- before files only.
func parseNgspiceArgs(args []string) (ngspiceArgs, error) {
	var a ngspiceArgs
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			a.files = append(a.files, args[i+1:]...)
			return a, nil
		case strings.HasPrefix(arg, "--"):
			name, val, has := strings.Cut(arg[2:], "=")
			k, err := longOption(name)
			if err != nil {
				return a, err
			}
			o := ngspiceOptions[k]
			if !o.value && has {
				return a, fmt.Errorf("option --%s takes no value", o.long)
			}
			if o.value && !has {
				if i+1 >= len(args) {
					return a, fmt.Errorf("option --%s needs a value", o.long)
				}
				i++
				val = args[i]
			}
			a.set(o.long, val)
		case len(arg) > 1 && arg[0] == '-':
			for j := 1; j < len(arg); j++ {
				k := shortOption(arg[j])
				if k < 0 {
					return a, fmt.Errorf("unknown option -%c", arg[j])
				}
				o := ngspiceOptions[k]
				if !o.value {
					a.set(o.long, "")
					continue
				}
				val := arg[j+1:]
				if val == "" {
					if i+1 >= len(args) {
						return a, fmt.Errorf("option -%c needs a value", arg[j])
					}
					i++
					val = args[i]
				}
				a.set(o.long, val)
				break
			}
		default:
			a.files = append(a.files, arg)
		}
	}
	return a, nil
}

func shortOption(c byte) int {
	for k, o := range ngspiceOptions {
		if o.short == c && c != 0 {
			return k
		}
	}
	return -1
}

// longOption finds a long option by its name or a prefix of one name only.
func longOption(name string) (int, error) {
	found := -1
	for k, o := range ngspiceOptions {
		if o.long == name {
			return k, nil
		}
		if name != "" && strings.HasPrefix(o.long, name) {
			if found >= 0 {
				return -1, fmt.Errorf("option --%s is ambiguous", name)
			}
			found = k
		}
	}
	if found < 0 {
		return -1, fmt.Errorf("unknown option --%s", name)
	}
	return found, nil
}

// set records an option.
func (a *ngspiceArgs) set(long, val string) {
	switch long {
	case "batch":
		a.batch = true
	case "no-spiceinit":
		a.noInit = true
	case "rawfile":
		a.rawfile = val
	case "output":
		a.logfile = val
	case "circuitfile":
		a.files = append(a.files, val)
	case "define":
		a.defines = append(a.defines, val)
	case "help":
		a.help = true
	case "version":
		a.version = true
	case "interactive", "pipe":
		a.refused = "-" + long[:1] + " (" + long + " mode): gospice runs ngspice netlists in batch mode only (-b)"
	case "server":
		a.refused = "-s (server mode) is not supported: run with -b and -r FILE for the raw file"
	}
	// autorun, completion, term and soa-log change nothing in batch mode.
}

// ngspiceHelp is the drop-in's help, in the layout of ngspice --help.
const ngspiceHelp = `Usage: gospice ngspice [OPTION]... [FILE]
Simulate the electrical circuit in FILE as ngspice 39 does in batch mode (ngspice -b);
gospice -b ... and a gospice binary run under the name ngspice do the same.

  -b, --batch               process FILE in batch mode (needed: no interactive mode)
  -c, --circuitfile=FILE    set the circuitfile
  -D, --define=variable[=value] define variable to true/[value]
  -n, --no-spiceinit        don't load the local or user's config file (.spiceinit)
  -o, --output=FILE         set the outputfile (the log: printed text, notes, errors)
  -r, --rawfile=FILE        set the rawfile output (binary, or ascii after set filetype=ascii)
  -a, -q, -t TERM, --soa-log=FILE   accepted, change nothing in batch mode
  -h, --help                display this help and exit
  -v, --version             output version information and exit

Without FILE the netlist is read from standard input. Exit codes: 0 done; 1 an error
(bad input, a failed command or analysis, or no analysis to run, as ngspice); 130 or 143
when interrupted by SIGINT or SIGTERM. A run that stops early leaves what it reached in
the -r file and says so.
`

// commandLine is gospice's command line for the program's name and arguments: the
// ngspice drop-in when the program runs as ngspice, or when its arguments are an ngspice
// batch command line (gospice -b ...).
func commandLine(argv0 string, args []string) []string {
	base := strings.TrimSuffix(filepath.Base(argv0), ".exe")
	if base == "ngspice" {
		return append([]string{"ngspice"}, args...)
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "--" {
		if a, err := parseNgspiceArgs(args); err == nil && a.batch {
			return append([]string{"ngspice"}, args...)
		}
	}
	return args
}

// ngspiceCommand lists the drop-in in gospice's help; execute runs it before cobra reads
// the flags, which are ngspice's.
func (a *app) ngspiceCommand() *cobra.Command {
	return &cobra.Command{
		Use:                "ngspice [NGSPICE OPTIONS] [FILE]",
		Short:              "Run a netlist as ngspice -b does, from ngspice's command line (-b, -r, -o, -n)",
		Long:               ngspiceHelp,
		DisableFlagParsing: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if code := a.ngspice(args); code != 0 {
				return &exitError{code, fmt.Errorf("gospice ngspice: exit %d", code)}
			}
			return nil
		},
	}
}

// stdin is where the drop-in reads a netlist given no file, as ngspice -b does.
var stdin io.Reader = os.Stdin

// ngspice runs an ngspice command line and returns the exit code.
func (a *app) ngspice(args []string) int {
	opts, err := parseNgspiceArgs(args)
	switch {
	case err != nil:
		fmt.Fprintf(a.stderr, "gospice ngspice: %v\n(gospice ngspice --help lists the options)\n", err)
		return exitInput
	case opts.help:
		fmt.Fprint(a.stdout, ngspiceHelp)
		return 0
	case opts.version:
		fmt.Fprintf(a.stdout, "%s: runs ngspice 39 netlists in batch mode (ngspice -b)\n", versionString())
		return 0
	case opts.refused != "":
		fmt.Fprintf(a.stderr, "gospice ngspice: %s\n", opts.refused)
		return exitInput
	case !opts.batch:
		fmt.Fprintln(a.stderr, "gospice ngspice: gospice runs ngspice netlists in batch mode only: add -b")
		return exitInput
	case len(opts.files) > 1:
		fmt.Fprintf(a.stderr, "gospice ngspice: one netlist at a time (got %s)\n", strings.Join(opts.files, ", "))
		return exitInput
	}
	out, errw := a.stdout, a.stderr
	if opts.logfile != "" {
		log, err := os.Create(opts.logfile)
		if err != nil {
			fmt.Fprintf(a.stderr, "gospice ngspice: %v\n", err)
			return exitInput
		}
		defer log.Close()
		fmt.Fprintf(a.stdout, "%s\n\nBatch mode\n\n", versionString())
		if opts.rawfile != "" {
			fmt.Fprintf(a.stdout, "Simulation output goes to rawfile: %s\n", opts.rawfile)
		}
		fmt.Fprintf(a.stdout, "Comments and warnings go to log-file: %s\n\n", opts.logfile)
		out, errw = log, log
	}
	ctx, stop := withSignals(a.ctx)
	defer stop()
	b := &batch{opts: opts, out: out, errw: errw}
	code := b.run(ctx)
	if n := caught(ctx); n != 0 {
		fmt.Fprintf(errw, "gospice: interrupted\n")
		return 128 + n
	}
	return code
}

// batch is one run of the drop-in: where it writes, and what it found.
type batch struct {
	opts      ngspiceArgs
	out, errw io.Writer
}

// run reads the .spiceinit, the netlist, and runs it as ngspice -b does: the .control
// blocks, then (unless they quit) with -r the netlist's analyses into the raw file, else
// the analyses and their .print tables when the netlist has .print, .plot, .four, .meas or
// .op lines, else nothing, which is an error.
func (b *batch) run(ctx context.Context) int {
	initName, initText, err := spiceinit(b.opts.noInit)
	if err != nil {
		fmt.Fprintf(b.errw, "warning: %v\n", err)
	}
	sim, err := b.parse(ctx)
	if err != nil {
		fmt.Fprintf(b.errw, "%s\n", diagnose(err))
		return exitInput
	}
	fmt.Fprintf(b.out, "\nCircuit: %s\n\n", sim.Title())
	stem := "gospice"
	if len(b.opts.files) > 0 {
		stem = stemOf(b.opts.files[0]) // in the working folder, where ngspice writes files
	}
	in := control.New(sim, control.Options{Stdout: b.out, Stderr: b.errw, WriteRaw: writeCommandRaw,
		Draw: drawFigure, PlotStem: stem})
	// An error in the .spiceinit (a command gospice does not know) is reported and does
	// not fail the run: the file is the user's, for every netlist.
	in.RunScript(ctx, initName, initText)
	for _, d := range b.opts.defines {
		in.RunScript(ctx, "-D", "set "+d)
	}
	in.Errors = 0
	in.Run(ctx)
	code := 0
	if in.Errors > 0 {
		code = exitInput
	}
	if ctx.Err() != nil {
		fmt.Fprintln(b.errw, "the run stopped early, in the .control block")
		return exitInput
	}
	if in.Quit {
		if in.ExitCode != 0 {
			return in.ExitCode // quit 1: ngspice exits with 1
		}
		return code
	}
	if b.opts.rawfile == "" && !runsInBatch(sim) {
		fmt.Fprintln(b.errw, `Note: No ".plot", ".print", or ".fourier" lines; no simulations run`)
		return exitInput
	}
	before := len(in.Plots())
	runErr := in.RunDotAnalyses(ctx)
	if runErr != nil && ctx.Err() == nil {
		fmt.Fprintf(b.errw, "%s\nrun simulation(s) aborted\n", diagnose(runErr))
		code = exitInput
	}
	if b.opts.rawfile == "" {
		for _, p := range sim.Circuit.Prints {
			if err := in.PrintDot(p); err != nil {
				fmt.Fprintf(b.errw, "%s: error: %v\n", p.Pos, err)
			}
		}
		return code
	}
	for range sim.Circuit.Prints {
		fmt.Fprintln(b.out, ".print line ignored since rawfile was produced.")
	}
	plots := in.Plots()[before:]
	if len(plots) == 0 {
		// ngspice 39 removes the -r file when it has nothing to write into it, even one
		// that the .control block wrote.
		if err := os.Remove(b.opts.rawfile); err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(b.errw, "%v\n", err)
		}
		return code
	}
	ft, _ := in.Variable("filetype")
	ascii := len(ft) > 0 && strings.EqualFold(ft[0], "ascii")
	if err := writeRawPlots(b.opts.rawfile, plots, ascii, false); err != nil {
		fmt.Fprintf(b.errw, "%v\n", err)
		return exitInput
	}
	if runErr != nil {
		fmt.Fprintf(b.errw, "the run stopped early: the points computed so far are in %s\n", b.opts.rawfile)
		return exitInput
	}
	kind := "binary"
	if ascii {
		kind = "ASCII"
	}
	fmt.Fprintf(b.out, "%s raw file %q\n", kind, b.opts.rawfile)
	return code
}

// parse reads the netlist from its file, or from standard input without one, and shows
// its warnings.
func (b *batch) parse(ctx context.Context) (*gospice.Simulation, error) {
	var sim *gospice.Simulation
	var err error
	if len(b.opts.files) == 0 {
		text, rerr := io.ReadAll(stdin)
		if rerr != nil {
			return nil, rerr
		}
		sim, err = gospice.ParseContext(ctx, "<stdin>", string(text))
	} else {
		sim, err = gospice.ParseFileContext(ctx, b.opts.files[0])
	}
	if err != nil {
		return nil, err
	}
	for _, w := range sim.Warnings {
		if strings.HasPrefix(w.Msg, ".control block ignored") {
			continue // it runs
		}
		fmt.Fprintf(b.errw, "%s: warning: %s\n", w.Pos, w.Msg)
	}
	return sim, nil
}

// runsInBatch says whether ngspice -b (without -r) runs a netlist's analyses after its
// .control blocks: when it has .print, .plot, .four, .meas or .op lines (ngspice 39 says
// "no simulations run" and exits with 1 otherwise, checked line by line).
func runsInBatch(sim *gospice.Simulation) bool {
	c := sim.Circuit
	if len(c.Prints) > 0 || len(c.Measures) > 0 || (c.Deck != nil && c.Deck.HasDot(".plot", ".four", ".fourier")) {
		return true
	}
	for _, a := range sim.Analyses() {
		if a.Name() == "op" {
			return true
		}
	}
	return false
}

// spiceinit is the .spiceinit ngspice reads before a netlist: the one in the working
// folder, else the one in the home folder (ngspice 39 reads one of them, in that order);
// none with -n. It returns the file's name and text ("" when there is none).
func spiceinit(skip bool) (name, text string, err error) {
	if skip {
		return "", "", nil
	}
	names := []string{".spiceinit"}
	if home, err := os.UserHomeDir(); err == nil {
		names = append(names, filepath.Join(home, ".spiceinit"))
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		return name, string(src), err
	}
	return "", "", nil
}
