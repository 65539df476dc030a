// Package control runs a netlist's .control block as ngspice does in batch mode
// (ngspice -b): its analyses, vectors and plots, variables, loops and output commands,
// over the library's Simulation. The script's grammar is parser/control's.
package control

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// Plot is a set of vectors that one analysis (or setplot new) made: tran1, ac1, op2 ...
type Plot struct {
	Name  string // tran1, op2, const ...
	Kind  string // tran, ac, dc, op, const
	Title string // the netlist's title
	Type  string // Transient Analysis, AC Analysis, DC transfer characteristic, Operating Point
	Date  string
	Vecs  []*Vector // the scale first, when the plot has one
	// Grid is what a raw file says of the scale: grid=3 for the frequencies of a dec or
	// oct sweep, else "".
	Grid string
	tran *parser.Tran // the transient analysis that made the plot: linearize's steps
}

// Scale is the plot's scale: its first vector (time, frequency, the sweep), nil if empty.
func (p *Plot) Scale() *Vector {
	if len(p.Vecs) == 0 {
		return nil
	}
	return p.Vecs[0]
}

// Vector finds a vector of the plot by name: as written (out, v1#branch, time), or by
// SPICE's forms v(out) and i(v1).
func (p *Plot) Vector(name string) *Vector {
	name = lowerName(name)
	for _, cand := range aliases(name) {
		for _, v := range p.Vecs {
			if v.Name == cand {
				return v
			}
		}
	}
	return nil
}

// aliases are the names a vector may have: v(out) is out, i(v1) is v1#branch.
func aliases(name string) []string {
	out := []string{name}
	if inner, ok := strings.CutPrefix(name, "v("); ok && strings.HasSuffix(inner, ")") && !strings.Contains(inner, ",") {
		out = append(out, strings.TrimSpace(inner[:len(inner)-1]))
	}
	dev, branch := strings.CutSuffix(name, "#branch")
	if inner, ok := strings.CutPrefix(name, "i("); ok && strings.HasSuffix(inner, ")") {
		dev, branch = strings.TrimSpace(inner[:len(inner)-1]), false
		out = append(out, dev+"#branch")
	}
	if branch {
		out = append(out, "i("+dev+")")
	}
	// v.x1.v1#branch, ngspice's name of a source in a subcircuit, is x1.v1#branch.
	if flat, ok := flatElementName(dev); ok && (branch || dev != name) {
		out = append(out, flat+"#branch")
	}
	return out
}

func (p *Plot) set(v *Vector) {
	for i, old := range p.Vecs {
		if old.Name == v.Name {
			p.Vecs[i] = v
			return
		}
	}
	p.Vecs = append(p.Vecs, v)
}

// Options say what an Interp may do and where it writes.
type Options struct {
	Stdout, Stderr io.Writer // print and echo; errors and notes
	// Dir is the folder relative file names of write and wrdata are in ("" the current one).
	Dir string
	// AllowShell lets the shell command run (it is refused otherwise).
	AllowShell bool
	// WriteRaw writes plots into an ngspice raw file (the write command); nil refuses write.
	// appendTo adds them to the end of an existing file (set appendwrite).
	WriteRaw func(path string, plots []*Plot, ascii, appendTo bool) error
	// Now dates the plots (time.Now when nil).
	Now func() time.Time
	// Draw draws a figure of plot, hardcopy or gnuplot into path, in format (svg, png,
	// pdf, eps, jpg, tif); nil: plot draws nothing, hardcopy is refused and gnuplot
	// writes only its .plt and .data files.
	Draw func(path, format string, f *Figure) error
	// PlotStem names the pictures of plot: <PlotStem>.plotN.svg, in Dir ("gospice" when
	// empty).
	PlotStem string
}

// Interp runs control scripts on one netlist.
type Interp struct {
	opt            Options
	base           *gospice.Simulation
	orig           *parser.Circuit // the netlist as read: reset goes back to it
	circuit        *parser.Circuit // with the alter and altermod changes
	vars           map[string][]string
	plots          []*Plot // in the order they were made; const first
	cur            *Plot
	plotNum        int             // the number of the next plot's name, as ngspice counts (addPlot)
	written        map[string]bool // raw files written by this run: write appends to those with appendwrite
	rng            *rand.Rand      // sgauss, sunif, rnd; setseed seeds it
	defs           map[string]*userFunc
	scopes         []map[string]*Vector // the arguments of the user functions being evaluated
	plotCount      int                  // the pictures plot drew
	fourierCalls   int                  // fourier commands run: their vectors are fourierNK
	readDir        string               // where source reads relative names: cd's folder, else the working one
	paramOverrides map[string]float64   // alterparam's values, for reset
	mcRuns         int                  // mc_source commands run: reset draws the random values of run mcRuns+1
	gotoLabel      string               // the label of the goto being run, lowercase
	gotoPos        parser.Pos           // and its place
	pos            parser.Pos           // the place of the command being run, for warnings

	// alterparam's values of subcircuit parameters, by subcircuit, for reset
	subcktOverrides map[string]map[string]float64
	// the device quantities the script names (@m1[id]), their values at the last point of
	// the last analysis, and those the analysis being run outputs (devq.go)
	devRefs []string
	devq    map[string]float64
	probed  []string
	// the device quantities a save command named: vectors of the plots of the analyses
	// after it, as ngspice 39 writes them (devq.go)
	savedDevq []string

	stops   []*stopRule // the stop commands in effect (stop.go)
	stopNum int         // the number of the last stop command
	stopped *stoppedRun // the run (transient, .dc) a stop holds, which resume goes on with

	// Errors counts the commands that failed; Quit is set by quit or exit, ExitCode by
	// their argument (quit 1: ngspice exits with it).
	Errors   int
	Quit     bool
	ExitCode int
}

// New makes an interpreter for a built netlist.
func New(sim *gospice.Simulation, opt Options) *Interp {
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if opt.Stderr == nil {
		opt.Stderr = io.Discard
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	in := &Interp{opt: opt, base: sim, orig: sim.Circuit, circuit: sim.Circuit,
		vars:    map[string][]string{"batchmode": {}, "oscompiled": {"6"}}, // oscompiled: 6 is ngspice 39 on Linux
		plotNum: 1, written: map[string]bool{}, devq: map[string]float64{}, subcktOverrides: map[string]map[string]float64{},
		defs: map[string]*userFunc{}, rng: rand.New(rand.NewPCG(1, 0))}
	c := &Plot{Name: "const", Kind: "const", Title: "Constant values", Type: "constants", Date: in.date()}
	for _, k := range []struct {
		name string
		v    float64
	}{{"pi", 3.141592653589793}, {"e", 2.718281828459045}, {"c", 2.99792458e8}, {"i", 0},
		{"kelvin", -273.15}, {"echarge", 1.602176634e-19}, {"boltz", 1.380649e-23}, {"planck", 6.62607015e-34}, // ngspice 39's: the SI values
		{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}} {
		v := scalar(k.v)
		v.Name = k.name
		if k.name == "i" {
			v.Real, v.Cplx = nil, []complex128{1i}
		}
		c.Vecs = append(c.Vecs, v)
	}
	for _, p := range sim.Circuit.CSParams { // .csparam: vectors of the const plot
		v := scalar(p.Value)
		v.Name = p.Name
		c.set(v)
	}
	in.plots = []*Plot{c}
	in.cur = c
	in.seedFromOptions()
	return in
}

// seedFromOptions restarts the stream of sgauss, sunif and rnd at the circuit's
// .options seed=N, as setseed N would, when the circuit names one. ngspice 39 seeds its
// generator from that option each time it reads the circuit: at the start, and again at
// every reset and mc_source, so that a Monte Carlo loop with reset in it draws the same
// values in every run (measured: sgauss(0) after a reset repeats the first draw).
func (in *Interp) seedFromOptions() {
	for _, o := range slices.Backward(in.orig.Options) {
		if o.Name == "seed" && o.Str == "" && o.Value >= 0 && o.Value == math.Trunc(o.Value) && o.Value < 1<<63 {
			in.rng = rand.New(rand.NewPCG(uint64(o.Value), 0))
			return
		}
	}
}

func (in *Interp) date() string { return in.opt.Now().Format("Mon Jan _2 15:04:05  2006") }

// Plots are the plots made so far, the const plot left out, in the order they were made.
func (in *Interp) Plots() []*Plot { return slices.Clone(in.plots[1:]) }

// Run runs the .control blocks of the netlist the interpreter was made for, in order,
// until quit.
func (in *Interp) Run(ctx context.Context) {
	defer in.abandonStopped() // stop.go: a transient still stopped at the end ends
	in.RunBlocks(ctx, in.base.Circuit.Deck.Control())
}

// HasBlocks says whether a netlist has .control blocks.
func HasBlocks(sim *gospice.Simulation) bool {
	return sim.Circuit.Deck != nil && len(sim.Circuit.Deck.Control()) > 0
}

// RunBlocks runs .control blocks in order, until quit.
func (in *Interp) RunBlocks(ctx context.Context, blocks []parser.ControlBlock) {
	var parsed [][]*pc.Command
	for _, b := range blocks {
		in.noteDeviceRefs(b.Lines)
		cmds, errs, warnings := pc.Parse(b.Lines)
		in.reportParse(errs, warnings)
		parsed = append(parsed, cmds)
	}
	pre, parsed := preCommands(parsed)
	if in.runTop(ctx, pre) != flowNext || in.Quit {
		return
	}
	for _, cmds := range parsed {
		if in.runTop(ctx, cmds) != flowNext || in.Quit {
			return
		}
	}
}

// flow is what a command tells the block around it.
type flow int

const (
	flowNext flow = iota
	flowBreak
	flowContinue
	flowStop // quit, or the context's end
	flowGoto // goto: the list holding the label (Interp.gotoLabel) goes on from it
)

// maxIterations bounds a while or dowhile loop, so that a script that never ends does not
// hang the run.
const maxIterations = 1_000_000

// run runs commands in order. A goto whose label is in cmds (not in a block of them)
// goes on from the label; else it ends cmds, and the blocks around them look for it,
// as in ngspice.
func (in *Interp) run(ctx context.Context, cmds []*pc.Command) flow {
	return in.runList(ctx, cmds, false)
}

// runTop runs a list of commands that no block holds: there a goto whose label is
// nowhere around it is an error, and the list goes on after the command that held it
// (ngspice goes on without a word).
func (in *Interp) runTop(ctx context.Context, cmds []*pc.Command) flow {
	return in.runList(ctx, cmds, true)
}

func (in *Interp) runList(ctx context.Context, cmds []*pc.Command, top bool) flow {
	jumps := 0
	for i := 0; i < len(cmds); i++ {
		if ctx.Err() != nil {
			return flowStop
		}
		f := in.command(ctx, cmds[i])
		if f == flowGoto {
			at := slices.IndexFunc(cmds, func(c *pc.Command) bool {
				return c.Name == "label" && strings.EqualFold(strings.TrimSpace(c.Args), in.gotoLabel)
			})
			if at < 0 && top {
				in.errorf(in.gotoPos, "goto: label %s not found", in.gotoLabel)
				continue
			}
			if at < 0 {
				return f
			}
			if jumps++; jumps > maxIterations {
				in.errorf(cmds[i].Pos, "goto: stopped after %d jumps", maxIterations)
				return flowNext
			}
			i = at
			continue
		}
		if f != flowNext {
			return f
		}
	}
	return flowNext
}

// reportParse reports what reading a script found: errors counted as failed commands,
// warnings not.
func (in *Interp) reportParse(errs, warnings parser.ErrorList) {
	for _, e := range errs {
		in.errorf(e.Pos, "%s", e.Msg)
	}
	for _, w := range warnings {
		fmt.Fprintf(in.opt.Stderr, "%s: warning: %s\n", w.Pos, w.Msg)
	}
}

// errorf reports the error of a command and counts it; the script goes on.
func (in *Interp) errorf(pos parser.Pos, format string, args ...any) {
	in.Errors++
	fmt.Fprintf(in.opt.Stderr, "%s: error: %s\n", pos, fmt.Sprintf(format, args...))
}

// warn prints a warning at the command being run; it fails nothing.
func (in *Interp) warn(msg string) {
	fmt.Fprintf(in.opt.Stderr, "%s: warning: %s\n", in.pos, msg)
}

// command runs one command.
func (in *Interp) command(ctx context.Context, c *pc.Command) flow {
	in.pos = c.Pos
	switch c.Name {
	case "foreach", "repeat", "while", "dowhile", "if", "begin":
		return in.block(ctx, c)
	case "goto":
		in.gotoLabel, in.gotoPos = strings.ToLower(strings.TrimSpace(in.substitute(c.Args))), c.Pos
		return flowGoto
	case "label":
		return flowNext
	case "break":
		return flowBreak
	case "continue":
		return flowContinue
	case "quit", "exit":
		in.Quit = true
		if a := strings.TrimSpace(in.substitute(c.Args)); a != "" {
			x, ok := gospice.ParseNumber(a)
			if !ok || x != math.Trunc(x) || x < 0 || x > 255 {
				in.errorf(c.Pos, "%s: %q is not an exit code (0 to 255)", c.Name, a)
			} else {
				in.ExitCode = int(x)
			}
		}
		return flowStop
	}
	args := in.substitute(c.Args)
	target, appendTo := "", false
	if c.Name != "define" && c.Name != "stop" { // a function's body, a stop's condition keep their > (ngspice writes no file)
		args, target, appendTo = redirection(args)
	}
	if target != "" {
		// print v(out) > file: ngspice's redirection of a command's output.
		flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if appendTo {
			flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		}
		file, err := os.OpenFile(in.resolve(target), flags, 0o644)
		if err != nil {
			in.errorf(c.Pos, "%s: %v", c.Name, err)
			return flowNext
		}
		defer file.Close()
		saved := in.opt.Stdout
		in.opt.Stdout = file
		defer func() { in.opt.Stdout = saved }()
	}
	f, ok := commands[c.Name]
	if !ok {
		if why, known := unsupported[c.Name]; known {
			in.errorf(c.Pos, "%s is not supported: %s", c.Name, why)
		} else {
			in.errorf(c.Pos, "%s: no such command", c.Name)
		}
		return flowNext
	}
	if err := f(in, ctx, c, args); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return flowStop
		}
		in.errorf(c.Pos, "%s: %s", c.Name, withoutOwnPosition(err, c.Pos))
	}
	return flowNext
}

// withoutOwnPosition is err's text without the position of a parser.Error in it that is
// the command's own, or none (an analysis the command built reports at its line): the
// report starts with that position already.
func withoutOwnPosition(err error, pos parser.Pos) string {
	msg := err.Error()
	var pe *parser.Error
	if errors.As(err, &pe) && (pe.Pos == pos || pe.Pos.Line == 0) {
		msg = strings.Replace(msg, pe.Error(), pe.Msg, 1)
	}
	return msg
}

// block runs a loop or an if.
func (in *Interp) block(ctx context.Context, c *pc.Command) flow {
	loop := func(body []*pc.Command) (flow, bool) { // the flow, and whether the loop ends
		switch f := in.run(ctx, body); f {
		case flowBreak:
			return flowNext, true
		case flowStop, flowGoto:
			return f, true
		}
		return flowNext, false
	}
	switch c.Name {
	case "begin": // a block that runs once; break and continue reach the loop around it
		return in.run(ctx, c.Body)
	case "if":
		cond, err := in.condition(c)
		if err != nil {
			// ngspice 39 prints an error, takes the condition as false and goes on as
			// if nothing failed (its exit code stays 0): the script still does what it
			// does in ngspice, so this is no failed command (if-test-1.cir tests it).
			fmt.Fprintf(in.opt.Stderr, "%s: warning: if: %v: the condition is false, as in ngspice\n", c.Pos, err)
		}
		if cond {
			return in.run(ctx, c.Body)
		}
		return in.run(ctx, c.Else)
	case "foreach":
		words := splitWords(in.substitute(c.Args))
		if len(words) == 0 {
			in.errorf(c.Pos, "foreach: missing the variable")
			return flowNext
		}
		for _, w := range words[1:] {
			in.vars[strings.ToLower(words[0])] = []string{w}
			if f, end := loop(c.Body); end {
				return f
			}
		}
	case "repeat":
		n := -1
		if a := strings.TrimSpace(in.substitute(c.Args)); a != "" {
			x, ok := gospice.ParseNumber(a)
			if !ok || x < 0 {
				in.errorf(c.Pos, "repeat: %q is not a count", a)
				return flowNext
			}
			n = int(x)
		}
		for i := 0; n < 0 || i < n; i++ {
			if i >= maxIterations {
				in.errorf(c.Pos, "repeat: stopped after %d iterations", maxIterations)
				return flowNext
			}
			if f, end := loop(c.Body); end {
				return f
			}
		}
	case "while", "dowhile":
		for i := 0; ; i++ {
			if i >= maxIterations {
				in.errorf(c.Pos, "%s: stopped after %d iterations", c.Name, maxIterations)
				return flowNext
			}
			if c.Name == "while" || i > 0 {
				cond, err := in.condition(c)
				if err != nil {
					in.errorf(c.Pos, "%s: %v", c.Name, err)
					return flowNext
				}
				if !cond {
					return flowNext
				}
			}
			if f, end := loop(c.Body); end {
				return f
			}
		}
	}
	return flowNext
}

// condition evaluates the expression of an if, while or dowhile. One that variables made
// empty (if $x, x set to "") is false, as in ngspice.
func (in *Interp) condition(c *pc.Command) (bool, error) {
	text := in.substitute(c.Args)
	if strings.TrimSpace(text) == "" && strings.TrimSpace(c.Args) != "" {
		return false, nil
	}
	e, err := pc.ParseExpr(text)
	if err != nil {
		return false, err
	}
	v, err := in.eval(e)
	if err != nil {
		return false, err
	}
	return v.truthy(), nil
}

// redirection takes "> file" or ">> file" off the end of a command's arguments: the
// file its output goes to, and whether it is appended to. A > inside quotes, or of >=,
// stays.
func redirection(args string) (rest, target string, appendTo bool) {
	inQuote := false
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case '"':
			inQuote = !inQuote
		case '>':
			if inQuote || (i > 0 && args[i-1] != ' ' && args[i-1] != '\t') || (i+1 < len(args) && args[i+1] == '=') {
				continue // >= compares, in ngspice 39 as well
			}
			j := i + 1
			if j < len(args) && args[j] == '>' {
				appendTo = true
				j++
			}
			words := strings.Fields(args[j:])
			if len(words) == 0 {
				return args, "", false
			}
			return strings.TrimSpace(args[:i]), strings.Trim(words[0], "\""), appendTo
		}
	}
	return args, "", false
}

// splitWords splits a line into words; a word in double quotes may hold spaces.
func splitWords(s string) []string {
	var words []string
	var b strings.Builder
	inQuote, any := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote, any = !inQuote, true
		case !inQuote && (r == ' ' || r == '\t'):
			if any {
				words = append(words, b.String())
				b.Reset()
				any = false
			}
		default:
			b.WriteRune(r)
			any = true
		}
	}
	if any {
		words = append(words, b.String())
	}
	return words
}

// substitute replaces $var, $&vector, $?var and $#var in a line, as ngspice does before a
// command runs. Text in single quotes is left alone.
func (in *Interp) substitute(s string) string {
	return singleBraces(in.substituteVars(s))
}

// singleBraces removes the braces around a word part without commas or spaces, as
// ngspice's brace expansion does: set name = "n{$n}_t" names n1001_t.
func singleBraces(s string) string {
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			return s
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return s
		}
		inner := s[open+1 : open+end]
		if inner == "" || strings.ContainsAny(inner, "{, \t") {
			return s
		}
		s = s[:open] + inner + s[open+end+1:]
	}
}

// substituteVars replaces the variables of substitute.
func (in *Interp) substituteVars(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	inSingle := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\'' {
			inSingle = !inSingle
		}
		if ch != '$' || inSingle || i+1 >= len(s) {
			b.WriteByte(ch)
			continue
		}
		mode := byte(0)
		j := i + 1
		if s[j] == '&' || s[j] == '?' || s[j] == '#' {
			mode = s[j]
			j++
		}
		k := j
		for k < len(s) && (isWordByte(s[k]) || (mode == '&' && (s[k] == '(' || s[k] == ')' || s[k] == '#' || s[k] == '.'))) {
			if s[k] == ')' { // $&v(out): the parenthesis closes the name
				k++
				break
			}
			k++
		}
		name := strings.ToLower(s[j:k])
		if name == "" {
			b.WriteByte(ch)
			continue
		}
		b.WriteString(in.varText(mode, name))
		i = k - 1
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// varText is the text that $name (mode 0), $&name, $?name or $#name stands for.
func (in *Interp) varText(mode byte, name string) string {
	switch mode {
	case '&':
		v, err := in.lookup(name)
		if err != nil {
			return ""
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = shortText(v.RealAt(i)) // of a complex value, its real part, as ngspice
		}
		return strings.Join(parts, " ")
	case '?':
		if _, ok := in.variable(name); ok {
			return "1"
		}
		return "0"
	case '#':
		val, _ := in.variable(name)
		return fmt.Sprint(len(val))
	}
	val, ok := in.variable(name)
	if !ok {
		return ""
	}
	if len(val) == 0 { // set x: a variable without a value is TRUE, as in ngspice
		return "TRUE"
	}
	return strings.Join(val, " ")
}

// variable is a variable's value: set's, or one of those ngspice keeps itself.
func (in *Interp) variable(name string) ([]string, bool) {
	switch name {
	case "curplot":
		return []string{in.cur.Name}, true
	case "curplottitle":
		return []string{in.cur.Title}, true
	case "curplotname":
		return []string{in.cur.Type}, true
	case "curplotdate":
		return []string{in.cur.Date}, true
	case "inputdir": // the netlist's folder as it was named, "." for x.cir, as ngspice sets it
		if d := in.orig.Deck; d != nil {
			return []string{filepath.Dir(d.Name())}, true
		}
	case "plots":
		var names []string
		for _, p := range in.plots {
			names = append(names, p.Name)
		}
		return names, true
	}
	v, ok := in.vars[name]
	return v, ok
}

// resolve is a file name of write or wrdata, relative to Options.Dir.
func (in *Interp) resolve(name string) string {
	if in.opt.Dir == "" || strings.HasPrefix(name, "/") {
		return name
	}
	return in.opt.Dir + string(os.PathSeparator) + name
}

// cloneCircuit is a copy of the current circuit that alter may change.
func (in *Interp) cloneCircuit() *parser.Circuit {
	c := *in.circuit
	c.Elements = slices.Clone(c.Elements)
	c.Models = maps.Clone(c.Models)
	c.Options = slices.Clone(c.Options)
	return &c
}
