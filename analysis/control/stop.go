package control

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// stop, resume, status and delete: breakpoints that hold a transient (or a .dc sweep) at
// an accepted point while the script runs other commands (alter, print ...), and resume,
// which goes on with the same run into the same plot, as ngspice 39 does. The run goes on
// a goroutine of its own, which waits at the stop for resume; the script and the run
// take turns, never running at once.

// stopRule is one stop command: it holds when all its conditions do (ngspice's
// conjunction: stop after 10 when v(2) > 0.3 holds at the 10th point only, and only if
// v(2) is above 0.3 there).
type stopRule struct {
	num   int
	pos   parser.Pos  // the stop command's
	after []int       // stop after N: at the N-th point of the run, the first counted
	when  []condition // stop when a rel b
}

// condition is a stop's "when a rel b": each side a vector of the run or a number.
type condition struct {
	a, b operand
	rel  string // > < = >= <= <>
}

// operand is a side of a condition: a number, or the vector named (its column in the
// run's result, found at its first point; -1 while not found).
type operand struct {
	name  string // "" for a number
	value float64
	col   int
}

// errStopSyntax is ngspice's message for a stop it cannot read.
var errStopSyntax = errors.New("Syntax error parsing breakpoint specification.")

// relations are the relations of a condition, symbols first, then the words ngspice
// reads as them.
var relations = []struct{ word, rel string }{
	{"<>", "<>"}, {">=", ">="}, {"<=", "<="}, {">", ">"}, {"<", "<"}, {"=", "="},
	{"ne", "<>"}, {"ge", ">="}, {"le", "<="}, {"gt", ">"}, {"lt", "<"}, {"eq", "="},
}

// cmdStop sets a breakpoint: stop after N, stop when a rel b, or several of them, which
// must all hold. ngspice 39 hangs on words it does not know (stop at 1m, stop when
// alone); gospice calls them a syntax error.
func (in *Interp) cmdStop(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(strings.ToLower(args))
	if len(words) == 0 {
		return nil // ngspice sets nothing, and says nothing
	}
	r := &stopRule{pos: c.Pos}
	for len(words) > 0 {
		switch words[0] {
		case "after":
			if len(words) < 2 {
				return fmt.Errorf("%w (after what?)", errStopSyntax)
			}
			n, err := strconv.Atoi(words[1])
			if err != nil || n < 1 {
				return fmt.Errorf("%w (%q is not a count of points)", errStopSyntax, words[1])
			}
			r.after = append(r.after, n)
			words = words[2:]
		case "when":
			end := 1
			for end < len(words) && words[end] != "after" && words[end] != "when" {
				end++
			}
			cond, err := parseCondition(words[1:end])
			if err != nil {
				return err
			}
			r.when = append(r.when, cond)
			words = words[end:]
		default:
			return fmt.Errorf("%w (%q: stop after N, or stop when a rel b)", errStopSyntax, words[0])
		}
	}
	in.stopNum++
	r.num = in.stopNum
	in.stops = append(in.stops, r)
	return nil
}

// parseCondition reads "a rel b" (v(2) > 0.3, time=1m, v(2) gt 0.3).
func parseCondition(words []string) (condition, error) {
	s := strings.Join(words, " ")
	for _, w := range words { // a relation written as a word
		for _, r := range relations[6:] {
			if w == r.word {
				lhs, rhs, _ := strings.Cut(" "+s+" ", " "+w+" ")
				return condition{rel: r.rel}.sides(lhs, rhs)
			}
		}
	}
	if i := strings.IndexAny(s, "<>="); i >= 0 {
		for _, r := range relations[:6] {
			if strings.HasPrefix(s[i:], r.word) {
				return condition{rel: r.rel}.sides(s[:i], s[i+len(r.word):])
			}
		}
	}
	return condition{}, fmt.Errorf("%w (when %q: no relation)", errStopSyntax, s)
}

// sides reads a condition's two operands.
func (c condition) sides(lhs, rhs string) (condition, error) {
	var err error
	if c.a, err = readOperand(lhs); err != nil {
		return c, err
	}
	c.b, err = readOperand(rhs)
	return c, err
}

func readOperand(s string) (operand, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "<>= ") {
		return operand{}, fmt.Errorf("%w (%q is not a vector or a number)", errStopSyntax, s)
	}
	if x, ok := gospice.ParseNumber(s); ok {
		return operand{value: x, col: -1}, nil
	}
	return operand{name: s, col: -1}, nil
}

func (o operand) String() string {
	if o.name != "" {
		return o.name
	}
	return strconv.FormatFloat(o.value, 'g', -1, 64)
}

// String is the rule as status lists it.
func (r *stopRule) String() string {
	var b strings.Builder
	b.WriteString("stop")
	for _, n := range r.after {
		fmt.Fprintf(&b, " after %d", n)
	}
	for _, c := range r.when {
		fmt.Fprintf(&b, " when %s %s %s", c.a, c.rel, c.b)
	}
	return b.String()
}

// cmdStatus lists the stops in effect, as ngspice's status does.
func (in *Interp) cmdStatus(ctx context.Context, c *pc.Command, args string) error {
	for _, r := range in.stops {
		fmt.Fprintf(in.opt.Stdout, "%-4d %s\n", r.num, r)
	}
	return nil
}

// cmdDelete removes stops: delete all, or delete N ...; delete alone removes nothing in
// batch, as in ngspice (which would ask which).
func (in *Interp) cmdDelete(ctx context.Context, c *pc.Command, args string) error {
	if len(in.stops) == 0 {
		return errors.New("no debugs in effect")
	}
	for _, w := range strings.Fields(strings.ToLower(args)) {
		if w == "all" {
			in.stops = nil
			return nil
		}
		n, err := strconv.Atoi(w)
		if err != nil {
			return fmt.Errorf("%q is not a breakpoint's number", w)
		}
		in.stops = slices.DeleteFunc(in.stops, func(r *stopRule) bool { return r.num == n })
	}
	return nil
}

// stoppedRun is a transient or .dc run under stops: the goroutine that runs it, its result
// as it fills, and its plot.
type stoppedRun struct {
	a       parser.Analysis // a .tran or a .dc
	res     *gospice.Result
	plot    *Plot
	circuit *parser.Circuit // the circuit it runs: one alter made since is built on resume
	// events says the run stopped (stop) or ended (done); goOn takes it on, with the
	// simulation of an altered circuit or nil; closed, it ends the run.
	events chan runEvent
	goOn   chan *gospice.Simulation
	in     *Interp // whose stops it checks: those in effect, a delete while stopped too
}

type runEvent struct {
	stop *stopRule // nil: the run ended
	err  error
}

// errAbandoned ends a stopped run that will not be resumed.
var errAbandoned = errors.New("the stopped run was not resumed")

// runStoppable runs a transient or a .dc sweep that the stops in effect may hold.
func (in *Interp) runStoppable(ctx context.Context, a parser.Analysis) error {
	sim, err := in.simFor(ctx, a)
	if err != nil {
		return err
	}
	run := &stoppedRun{in: in, a: a, res: &gospice.Result{}, circuit: in.circuit,
		events: make(chan runEvent), goOn: make(chan *gospice.Simulation)}
	var times []float64
	for _, r := range in.stops {
		for i := range r.when {
			r.when[i].a.col, r.when[i].b.col = -1, -1 // found again in this run's columns
		}
		for _, c := range r.when {
			switch { // ngspice lands on the time a condition on time names
			case c.a.name == "time" && c.b.name == "":
				times = append(times, c.b.value)
			case c.b.name == "time" && c.a.name == "":
				times = append(times, c.a.value)
			}
		}
	}
	pause := &gospice.TranPause{Times: times, At: run.at}
	go func() {
		err := sim.CollectPaused(ctx, a, run.res, pause)
		run.events <- runEvent{err: err}
	}()
	return in.await(run)
}

// at is the run's check after each accepted point, on the run's goroutine: when a rule
// holds, it hands the turn to the script and waits for resume.
func (run *stoppedRun) at(now float64) (*gospice.Simulation, error) {
	n := run.res.Len()
	for _, r := range run.in.stops { // the script waits: reading its stops is safe
		if !run.holds(r, n) {
			continue
		}
		run.events <- runEvent{stop: r}
		next, ok := <-run.goOn
		if !ok {
			return nil, errAbandoned
		}
		return next, nil
	}
	return nil, nil
}

// holds says whether all the rule's conditions hold at the run's n-th point.
func (run *stoppedRun) holds(r *stopRule, n int) bool {
	for _, after := range r.after {
		if n != after {
			return false
		}
	}
	for i := range r.when {
		c := &r.when[i]
		a, b := run.value(r, &c.a), run.value(r, &c.b)
		var ok bool
		switch c.rel {
		case ">":
			ok = a > b
		case "<":
			ok = a < b
		case ">=":
			ok = a >= b
		case "<=":
			ok = a <= b
		case "=":
			ok = a == b
		case "<>":
			ok = a != b
		}
		if !ok {
			return false
		}
	}
	return true
}

// value is the operand's value at the run's last point; a vector the run does not have
// is NaN, which no relation but <> holds for, with a warning at its first point (ngspice
// says "no such node" at every point).
func (run *stoppedRun) value(r *stopRule, o *operand) float64 {
	if o.name == "" {
		return o.value
	}
	if o.col < 0 {
		if o.col = run.column(o.name); o.col == math.MaxInt {
			fmt.Fprintf(run.in.opt.Stderr, "%s: warning: stop: the run has no vector %s: the condition never holds\n", r.pos, o.name)
		}
	}
	return run.res.Last(o.col)
}

// column finds a vector's column in the run's result by the names a plot knows it by.
func (run *stoppedRun) column(name string) int {
	names := run.res.Names()
	for _, cand := range append(aliases(name), "v("+name+")") {
		if i := slices.Index(names, cand); i >= 0 {
			return i
		}
	}
	return math.MaxInt // none: Last gives NaN
}

// await gives the turn to the run until it stops or ends, then makes or updates its
// plot: a stop leaves it current with the points so far, as ngspice's interrupted run.
func (in *Interp) await(run *stoppedRun) error {
	ev := <-run.events
	p := in.resultPlot(run.res, run.a)
	if run.plot == nil {
		in.addPlot(p)
		run.plot = p
	} else {
		for _, v := range p.Vecs { // the run's vectors, longer now; the script's own stay
			run.plot.set(v)
		}
	}
	if ev.stop == nil {
		in.stopped = nil
		if ev.err == nil {
			in.vars["sim_status"] = []string{"0"}
		}
		for _, m := range run.res.Stats.Measures {
			in.printMeasure(m)
		}
		return ev.err
	}
	in.vars["sim_status"] = []string{"0"}
	fmt.Fprintf(in.opt.Stderr, "%d : condition met: stop  %s\n", ev.stop.num, strings.TrimPrefix(ev.stop.String(), "stop "))
	in.stopped, run.circuit = run, in.circuit
	return nil
}

// cmdResume goes on with the stopped run, with the changes alter made since it
// stopped; with none stopped it is run, as in ngspice.
func (in *Interp) cmdResume(ctx context.Context, c *pc.Command, args string) error {
	run := in.stopped
	if run == nil {
		fmt.Fprintln(in.opt.Stderr, "Note: run starting")
		return in.cmdRun(ctx, c, "")
	}
	var next *gospice.Simulation
	if in.circuit != run.circuit {
		sim, err := in.simFor(ctx, run.a)
		if err != nil {
			return err // still stopped: the script may mend the circuit and resume
		}
		next = sim
	}
	in.stopped = nil
	run.goOn <- next
	return in.await(run)
}

// abandonStopped ends a run left stopped: a new analysis, or the script's end,
// discards it, as ngspice's does.
func (in *Interp) abandonStopped() {
	run := in.stopped
	if run == nil {
		return
	}
	in.stopped = nil
	close(run.goOn)
	<-run.events
}
