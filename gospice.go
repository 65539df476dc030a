// Package gospice is the library's face: parse a netlist, build its devices and system,
// run its analyses and stream their vectors; the one place where a flat circuit meets mna.
package gospice

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// Sink receives one analysis's vectors as points are accepted.
type Sink = analysis.Sink

// Analysis is one analysis line of a netlist (.op, .tran).
type Analysis = parser.Analysis

// Stats counts the work of one analysis (Points, Iterations, ...) and holds the results
// of its .meas lines, in netlist order, once it has run to its end.
type Stats struct {
	analysis.Stats
	Measures []Measurement
	// Spikes are the crossings of a transient's .spikes lines, in time order (also when
	// the analysis stopped early: those found until then).
	Spikes []Spike
}

// StopError is an analysis that stopped early; the points before it were delivered.
type StopError = analysis.StopError

// Simulation is a netlist built into devices and an mna system, ready to run.
//
// A Simulation is never changed by running it: every Run, RunComplex, Collect or Results
// call allocates the state it changes (device histories, random streams, the Newton and
// time-step state) and drops it when it returns. So one Simulation may be run any number of
// times, one after another or from several goroutines at once, and the same Simulation (the
// same netlist, seed and step point) gives bit-identical vectors every time. A Result or
// Stats belongs to the call that returned it. Circuit and Warnings are read-only.
type Simulation struct {
	Circuit  *parser.Circuit
	Warnings []*parser.Error

	ckt        analysis.Circuit
	opt        analysis.Options
	outputs    map[string][]analysis.Output // per analysis kind: op, dc, tran
	acOutputs  []analysis.ACOutput
	outputErrs map[string]error        // why the vectors of a kind the netlist does not run cannot be written
	measures   map[string]*measurePlan // per analysis kind
	spikes     *spikePlan              // the .spikes lines' vectors (transients only); nil without any

	env  devices.Env  // what the devices were built with
	bo   buildOptions // what it was built with: its step points are built likewise
	topo *topology    // what its topology says about analyses that start from an operating point
	part *partitioned // its transients' blocks (partition.go); nil: one system
	// pause, while CollectPaused runs, lets its transient or .dc stop and go on (pause.go)
	pause *analysis.Pause
}

// ParseFile reads and builds the netlist at path.
func ParseFile(path string, opts ...Option) (*Simulation, error) {
	return ParseFileContext(context.Background(), path, opts...)
}

// ParseFileContext is ParseFile, stopped with ctx's error when ctx is cancelled.
func ParseFileContext(ctx context.Context, path string, opts ...Option) (*Simulation, error) {
	// elaborate stops at a missing include: the parse may stop there too.
	d, err := parser.ParseDeckFile(parser.StopAtMissingInclude(ctx), path)
	if err != nil {
		return nil, err
	}
	return elaborate(ctx, d, opts)
}

// Parse reads and builds a netlist from text; name is used in error positions.
func Parse(name, text string, opts ...Option) (*Simulation, error) {
	return ParseContext(context.Background(), name, text, opts...)
}

// ParseContext is Parse, stopped with ctx's error when ctx is cancelled.
func ParseContext(ctx context.Context, name, text string, opts ...Option) (*Simulation, error) {
	d, err := parser.ParseDeck(parser.StopAtMissingInclude(ctx), name, []byte(text))
	if err != nil {
		return nil, err
	}
	return elaborate(ctx, d, opts)
}

// elaborate makes the flat circuit of a parsed netlist, its random values drawn from the
// seed WithSeed gives (else the netlist's), and builds it.
func elaborate(ctx context.Context, d *parser.Deck, opts []Option) (*Simulation, error) {
	var bo buildOptions
	for _, o := range opts {
		o(&bo)
	}
	if d.Incomplete() {
		// A file it includes is missing: say so now, as ngspice does, rather than
		// report what the file would have defined wherever it is used.
		return nil, d.Errors()
	}
	c, err := d.Elaborate(ctx, parser.Variant{Seed: bo.seed, HasSeed: bo.hasSeed})
	if err != nil {
		return nil, err
	}
	return BuildContext(ctx, c, opts...)
}

// Option changes how a netlist is built.
type Option func(*buildOptions)

type buildOptions struct {
	seed    uint64
	hasSeed bool
	run     int              // the run index of a step point; 0 for the netlist itself (run 1)
	temp    *float64         // the temperature of a .step temp point
	extra   []devices.Device // devices added to the netlist's (tests' delayed links)
	workers int              // blocks of a partitioned transient computing at once; 0: GOMAXPROCS
	// noPartition: a transient's blocks are not found unless it has delayed links
	// (WithoutPartition).
	noPartition bool
}

// WithSeed sets the run's random seed, overriding .options seed.
func WithSeed(seed uint64) Option {
	return func(o *buildOptions) { o.seed, o.hasSeed = seed, true }
}

// WithoutPartition builds a Simulation whose transients run as one system unless the
// netlist has delayed links: their blocks (docs/partition.md) are not looked for. The
// blocks change how a transient runs, not what it computes, and finding them in a large
// netlist is a tenth of its build; gospice check, which runs nothing, leaves them out.
// The sides of delayed links are still checked.
func WithoutPartition() Option {
	return func(o *buildOptions) { o.noPartition = true }
}

// WithWorkers bounds the blocks of a partitioned transient (docs/partition.md) that
// compute at once to n, for a caller that runs several simulations side by side (one per
// core); n < 1 means GOMAXPROCS, the default. The results do not depend on it.
func WithWorkers(n int) Option {
	return func(o *buildOptions) { o.workers = n }
}

// Build turns a flat circuit into devices and an mna system and resolves the vectors of
// every analysis. A circuit without elements is an error, and so is one whose analyses
// start from an operating point that its topology rules out (a node without a DC path to
// ground, a loop of voltage sources and inductors); its warnings (a node with a single
// connection) go to Simulation.Warnings.
func Build(c *parser.Circuit, opts ...Option) (*Simulation, error) {
	return BuildContext(context.Background(), c, opts...)
}

// BuildContext is Build, stopped with ctx's error when ctx is cancelled.
func BuildContext(ctx context.Context, c *parser.Circuit, opts ...Option) (*Simulation, error) {
	var bo buildOptions
	for _, o := range opts {
		o(&bo)
	}
	if bo.hasSeed && c.Random && c.Deck != nil && (!c.Variant.HasSeed || c.Variant.Seed != bo.seed) {
		// The netlist's random values are drawn again from the seed asked for.
		v := c.Variant
		v.Seed, v.HasSeed = bo.seed, true
		var err error
		if c, err = c.Deck.Elaborate(ctx, v); err != nil {
			return nil, err
		}
	}
	s, err := build(ctx, c, bo)
	if err != nil {
		return nil, err
	}
	if err := s.checkSteps(); err != nil {
		return nil, err
	}
	return s, nil
}

// build makes the Simulation of c with the options bo.
func build(ctx context.Context, c *parser.Circuit, bo buildOptions) (*Simulation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkNotEmpty(c); err != nil {
		return nil, err
	}
	// URC lines are lumped elements from here on, as in ngspice's setup.
	c, err := devices.ExpandURC(c)
	if err != nil {
		return nil, err
	}
	// The topology check reads the circuit alone: it runs on another core meanwhile.
	topo := make(chan *topology, 1)
	go func() { topo <- checkTopology(c) }()
	s := &Simulation{Circuit: c, Warnings: slices.Clip(c.Warnings), bo: bo, outputs: map[string][]analysis.Output{},
		outputErrs: map[string]error{}, measures: map[string]*measurePlan{}}
	opt, warnings, err := options(c)
	if err != nil {
		return nil, err
	}
	s.opt = opt
	if len(warnings) > 0 {
		s.Warnings = append(slices.Clip(s.Warnings), warnings...)
	}

	env := devices.DefaultEnv()
	for _, op := range c.Options {
		switch op.Name {
		case "temp":
			env.Temp = op.Value
		case "tnom":
			env.TNom = op.Value
		case "seed":
			if !(op.Value >= 0) || op.Value != math.Trunc(op.Value) || op.Value >= 1<<63 {
				return nil, parser.Errorf(op.Pos, ".options seed must be a non-negative integer, got %g", op.Value)
			}
			env.Seed = uint64(op.Value)
		}
	}
	if c.HasTemp && !tempOptionAfter(c) {
		env.Temp = c.Temp
	}
	if bo.hasSeed {
		env.Seed = bo.seed
	}
	if bo.temp != nil {
		env.Temp = *bo.temp
	}
	env.Run = max(bo.run, 1)
	if opt.Gmin > 0 {
		env.Gmin = opt.Gmin
	}
	for _, a := range c.Analyses {
		if tr, ok := a.(*parser.Tran); ok {
			env.TStep, env.TStop = tr.Step, tr.Stop
			break
		}
	}
	devs, sys, err := buildSystem(ctx, c, env, opt, bo.extra)
	if err != nil {
		return nil, err
	}
	s.Warnings = append(slices.Clip(s.Warnings), devices.CouplingWarnings(devs[:len(devs)-len(bo.extra)])...)
	s.Warnings = append(s.Warnings, devices.DiodeModelWarnings(c.Models)...)
	s.env = env
	if err := checkSize(sys); err != nil {
		return nil, err
	}
	s.ckt = analysis.Circuit{Sys: sys, Devices: devs, Timing: devices.Timing{Step: env.TStep, Stop: env.TStop}}

	for _, ic := range c.ICs {
		i, ok := sys.Lookup("v(" + ic.Node + ")")
		if !ok || i == mna.Ground {
			return nil, parser.Errorf(ic.Pos, ".ic: unknown node %q%s", ic.Node, s.suggestUnknown("v("+ic.Node+")"))
		}
		s.ckt.ICs = append(s.ckt.ICs, analysis.NodeIC{Index: i, Value: ic.Value})
	}
	for _, ns := range c.Nodesets {
		i, ok := sys.Lookup("v(" + ns.Node + ")")
		if !ok || i == mna.Ground {
			return nil, parser.Errorf(ns.Pos, ".nodeset: unknown node %q%s", ns.Node, s.suggestUnknown("v("+ns.Node+")"))
		}
		s.ckt.Nodesets = append(s.ckt.Nodesets, analysis.NodeIC{Index: i, Value: ns.Value})
	}
	for _, a := range c.Analyses {
		if err := s.check(a); err != nil {
			return nil, err
		}
		if err := s.planMeasures(a); err != nil {
			return nil, err
		}
	}
	// The vectors of every kind of analysis, so that one the netlist does not have can run
	// too (Run with an analysis made by the caller); an error in them stops the build only
	// for a kind the netlist runs.
	runs := map[string]bool{}
	for _, a := range c.Analyses {
		runs[a.Name()] = true
		if a.Name() == "pss" {
			runs["tran"] = true // .pss writes the transient's vectors
		}
	}
	for _, kind := range []string{"op", "dc", "tran", "ac"} {
		var err error
		if kind == "ac" {
			s.acOutputs, err = s.selectACOutputs()
		} else {
			s.outputs[kind], err = s.selectOutputs(kind)
		}
		if err != nil && runs[kind] {
			return nil, err
		}
		s.outputErrs[kind] = err
	}
	if err := s.planSpikes(); err != nil && runs["tran"] {
		return nil, err
	}
	s.warnUnmeasured()
	s.topo = <-topo
	s.Warnings = append(s.Warnings, s.topo.warnings...)
	parser.ErrorList(s.Warnings).Sort()
	for _, a := range c.Analyses {
		if err := s.topo.errFor(a); err != nil {
			return nil, err
		}
	}
	if err := s.partition(ctx, c, bo.extra); err != nil {
		return nil, err
	}
	return s, nil
}

// The largest system Build accepts. Solving needs memory in proportion to both (some
// hundred bytes per matrix entry, before the fill-in of the factorization), so a circuit
// beyond them is refused with a message rather than left to exhaust memory. The parser
// bounds the flat circuit too: at most a million elements and subcircuit instances.
const (
	MaxUnknowns      = 2_000_000
	MaxMatrixEntries = 20_000_000
)

// sizeLimits are the limits checkSize applies; tests lower them.
var sizeLimits = struct{ unknowns, entries int }{MaxUnknowns, MaxMatrixEntries}

// checkSize refuses a system larger than sizeLimits.
func checkSize(sys *mna.System) error {
	if sys.N > sizeLimits.unknowns {
		return fmt.Errorf("the circuit is too large: %d unknowns (node voltages, branch currents, device states), more than the limit of %d", sys.N, sizeLimits.unknowns)
	}
	if nnz := sys.Pattern.NNZ(); nnz > sizeLimits.entries {
		return fmt.Errorf("the circuit is too large: its matrix has %d entries, more than the limit of %d", nnz, sizeLimits.entries)
	}
	return nil
}

// Analyses lists the netlist's analyses in order.
func (s *Simulation) Analyses() []Analysis { return s.Circuit.Analyses }

// Unknowns lists the system's unknowns, ground excluded.
func (s *Simulation) Unknowns() []mna.Unknown { return s.ckt.Sys.Unknowns[1:] }

// Vectors names the columns an analysis writes, its scale first.
func (s *Simulation) Vectors(a parser.Analysis) []string {
	var names []string
	switch a := a.(type) {
	case *parser.Tran:
		names = append(names, "time")
	case *parser.PSS: // pss.go: the time-domain plot, with the transient's vectors
		names = append(names, "time")
		for _, o := range s.outputs["tran"] {
			names = append(names, o.Name)
		}
		return names
	case *parser.DC:
		for _, sw := range a.Sweeps {
			names = append(names, sw.Source)
		}
	case *parser.AC:
		names = append(names, "frequency")
		for _, o := range s.acOutputs {
			names = append(names, o.Name)
		}
	case *parser.SP: // sp.go
		names = append(names, "frequency")
		for _, o := range s.acOutputs {
			names = append(names, o.Name)
		}
		ports, _ := s.spPorts(a)
		for _, n := range analysis.SPNames(len(ports), a.Noise) {
			names = append(names, "re("+n+")", "im("+n+")")
		}
		return names
	case *parser.TF, *parser.Sens, *parser.Four, *parser.Noise:
		return s.smallVectors(a) // smallsignal.go
	case *parser.PZ:
		return nil // as many as the poles and zeros found: known once it has run
	}
	for _, o := range s.outputs[a.Name()] {
		names = append(names, o.Name)
	}
	return names
}

// Run runs one analysis, streaming its points to sink. log receives notes for the user.
// When the analysis runs to its end, the returned Stats hold the results of its .meas
// lines.
func (s *Simulation) Run(ctx context.Context, a parser.Analysis, sink Sink, log func(format string, args ...any)) (Stats, error) {
	if log == nil {
		log = func(string, ...any) {}
	}
	if err := s.runnable(a); err != nil {
		return Stats{}, err
	}
	set, sink, plan := s.startMeasures(a, sink)
	outs := s.outputs[a.Name()]
	if _, ok := a.(*parser.PSS); ok {
		outs = s.outputs["tran"] // pss.go
	}
	acOuts := s.acOutputs
	if plan != nil {
		outs = append(outs[:len(outs):len(outs)], plan.outputs...)
		acOuts = append(acOuts[:len(acOuts):len(acOuts)], plan.acOutputs...)
	}
	spikes, sink := s.startSpikes(a, sink)
	if spikes != nil {
		outs = append(outs[:len(outs):len(outs)], s.spikes.outputs...)
	}
	var st analysis.Stats
	var err error
	switch a := a.(type) {
	case *parser.OP:
		st, err = analysis.OP(ctx, &s.ckt, s.opt, outs, sink, log)
	case *parser.Tran:
		spec := analysis.TranSpec{Step: a.Step, Stop: a.Stop, Start: a.Start, MaxStep: a.MaxStep, UIC: a.UIC, Pause: s.pause}
		err = errSpans
		if s.part != nil && s.pause == nil { // a paused run is one system (pause.go)
			if st, err = s.runPartitioned(ctx, spec, outs, spikes, sink, log); errors.Is(err, errSpans) {
				log("partition: %v; the transient runs as one system", err)
			}
		}
		if errors.Is(err, errSpans) {
			opt := s.opt
			opt.LoadWorkers = s.bo.workers
			if opt.LoadWorkers < 1 {
				opt.LoadWorkers = runtime.GOMAXPROCS(0)
			}
			st, err = analysis.Tran(ctx, &s.ckt, opt, spec, outs, sink, log)
		}
	case *parser.DC:
		sweeps, serr := s.sweeps(a)
		if serr == nil {
			serr = s.temperatures(ctx, a, sweeps)
		}
		if serr != nil {
			return Stats{}, serr
		}
		st, err = analysis.DCPaused(ctx, &s.ckt, s.opt, sweeps, outs, sink, log, s.pause)
	case *parser.AC:
		freqs, ferr := analysis.ACFrequencies(a.Sweep, a.Points, a.Start, a.Stop)
		if ferr != nil {
			return Stats{}, parser.Errorf(a.Pos, ".ac: %v", ferr)
		}
		st, err = analysis.AC(ctx, &s.ckt, s.opt, freqs, acOuts, sink, log)
	case *parser.SP:
		st, err = s.runSP(ctx, a, acOuts, sink, log) // sp.go
	case *parser.TF, *parser.Sens, *parser.Four, *parser.Noise: // smallsignal.go, noise.go
		st, err = s.runSmall(ctx, a, sink, log)
	case *parser.PZ:
		st, err = s.runPZ(ctx, a, sink, log) // pz.go
	case *parser.PSS:
		st, err = s.runPSS(ctx, a, outs, sink, log) // pss.go
	default:
		return Stats{}, parser.Errorf(a.Position(), "analysis .%s is not supported", a.Name())
	}
	stats := Stats{Stats: st}
	if err == nil && set != nil {
		stats.Measures = set.Results()
	}
	if spikes != nil {
		stats.Spikes = spikes.spikes
	}
	return stats, err
}

// runnable refuses an analysis that cannot run: one of a kind gospice does not run, one
// whose values are bad (a .tran needing too many steps), or one of a kind the netlist does
// not have whose vectors (its .print lines) are in error.
func (s *Simulation) runnable(a parser.Analysis) error {
	switch a.(type) {
	case *parser.OP, *parser.Tran, *parser.DC, *parser.AC, *parser.TF, *parser.Sens, *parser.Four, *parser.Noise, *parser.PZ, *parser.SP,
		*parser.PSS:
	default:
		return parser.Errorf(a.Position(), "analysis .%s is not supported", a.Name())
	}
	kind := a.Name()
	if kind == "pss" {
		kind = "tran"
	}
	if err := s.outputErrs[kind]; err != nil {
		return err
	}
	if err := s.topo.errFor(a); err != nil {
		return err
	}
	return s.check(a)
}

// tempOptionAfter reports whether .options temp= comes after the .temp line: the later
// one wins, as in ngspice.
func tempOptionAfter(c *parser.Circuit) bool {
	for _, op := range c.Options {
		if op.Name == "temp" && (op.Pos.Line > c.TempPos.Line || op.Pos.File != c.TempPos.File) {
			return true
		}
	}
	return false
}

// check refuses, before anything runs, an analysis that cannot run or would be absurdly
// large: a .dc or .ac with bad values, a .tran needing more than MaxTranSteps steps.
func (s *Simulation) check(a parser.Analysis) error {
	switch a := a.(type) {
	case *parser.Tran:
		spec := analysis.TranSpec{Step: a.Step, Stop: a.Stop, Start: a.Start, MaxStep: a.MaxStep}
		if steps := spec.Stop / spec.Tmax(); !(steps <= analysis.MaxTranSteps) {
			return parser.Errorf(a.Pos, ".tran would take at least %.3g time steps (tstop %g s / largest step %g s), more than the limit of %.0e: raise tstep or tmax, or shorten the run",
				steps, spec.Stop, spec.Tmax(), analysis.MaxTranSteps)
		}
	case *parser.DC:
		_, err := s.sweeps(a)
		return err
	case *parser.AC:
		if _, err := analysis.ACFrequencies(a.Sweep, a.Points, a.Start, a.Stop); err != nil {
			return parser.Errorf(a.Pos, ".ac: %v", err)
		}
	case *parser.SP:
		if _, err := analysis.ACFrequencies(a.Sweep, a.Points, a.Start, a.Stop); err != nil {
			return parser.Errorf(a.Pos, ".sp: %v", err)
		}
		_, err := s.spPorts(a)
		return err
	}
	return nil
}

// sweeps resolves the sources and values of a .dc line; a temperature sweep gets its
// devices from temperatures.
func (s *Simulation) sweeps(a *parser.DC) ([]analysis.Sweep, error) {
	var sweeps []analysis.Sweep
	for _, sw := range a.Sweeps {
		index := slices.IndexFunc(s.ckt.Devices, func(d devices.Device) bool { return d.Name() == sw.Source })
		if index < 0 && sw.Source == "temp" {
			values, err := analysis.SweepValues(sw.Start, sw.Stop, sw.Step)
			if err != nil {
				return nil, parser.Errorf(sw.Pos, ".dc temp: %v", err)
			}
			if len(values) > maxTempPoints {
				return nil, parser.Errorf(sw.Pos, ".dc temp: %d temperatures, more than the limit of %d (the devices are built at each one)", len(values), maxTempPoints)
			}
			sweeps = append(sweeps, analysis.Sweep{Name: "temp", Quantity: analysis.Temperature, Device: -1, Values: values})
			continue
		}
		if index < 0 {
			return nil, parser.Errorf(sw.Pos, ".dc: no source named %q", sw.Source)
		}
		if _, ok := s.ckt.Devices[index].(devices.Sweepable); !ok {
			return nil, parser.Errorf(sw.Pos, ".dc can sweep independent voltage and current sources and resistors; %s is not one", sw.Source)
		}
		values, err := analysis.SweepValues(sw.Start, sw.Stop, sw.Step)
		if err != nil {
			return nil, parser.Errorf(sw.Pos, ".dc %s: %v", sw.Source, err)
		}
		if _, ok := s.ckt.Devices[index].(*devices.Resistor); ok {
			for _, v := range values {
				if !(math.Abs(v) > 0) {
					return nil, parser.Errorf(sw.Pos, ".dc %s: the resistance sweep reaches %g ohm; a resistance must not be zero", sw.Source, v)
				}
			}
		}
		q := analysis.Voltage
		switch s.ckt.Devices[index].(type) {
		case *devices.CurrentSource:
			q = analysis.Current
		case *devices.Resistor:
			q = analysis.Resistance
		}
		sweeps = append(sweeps, analysis.Sweep{Name: sw.Source, Quantity: q, Device: index, Values: values})
	}
	if len(sweeps) == 2 {
		for k, sw := range sweeps {
			if sw.Device >= 0 {
				continue
			}
			other := sweeps[1-k]
			if other.Device < 0 {
				continue
			}
			if _, ok := s.ckt.Devices[other.Device].(*devices.Resistor); ok {
				return nil, parser.Errorf(a.Sweeps[1-k].Pos, ".dc cannot sweep a resistor (%s) and the temperature together: its value depends on both", other.Name)
			}
		}
		if n := float64(len(sweeps[0].Values)) * float64(len(sweeps[1].Values)); n > analysis.MaxDCPoints {
			return nil, parser.Errorf(a.Pos, ".dc would compute %.3g points (%d by %d), more than the limit of %.0e: use larger steps",
				n, len(sweeps[0].Values), len(sweeps[1].Values), analysis.MaxDCPoints)
		}
	}
	return sweeps, nil
}

// setUp numbers the devices' unknowns and reserves their matrix entries, and turns bypass
// on in those that have it when the options ask.
func setUp(devs []devices.Device, opt analysis.Options) *mna.System {
	b := newSystemBuilder(len(devs), opt)
	setUpEach(b, devs, opt)
	return b.Build()
}

// newSystemBuilder starts the system of about n devices.
func newSystemBuilder(n int, opt analysis.Options) *mna.Builder {
	b := mna.NewBuilder(mna.Tolerances{VnTol: opt.VnTol, AbsTol: opt.AbsTol})
	// About a node per three devices and two entries per device, as in a large mesh of
	// resistors and capacitors: the maps then grow at most a few times. A larger guess
	// costs the mesh more than it saves others: a map's tables come in powers of two, and
	// making those of a node per two devices took twice the time and memory (the mesh).
	b.Reserve(n/3, 2*n)
	return b
}

// setUpEach sets up devs in b, in order, as setUp does.
func setUpEach(b *mna.Builder, devs []devices.Device, opt analysis.Options) {
	for _, d := range devs {
		if by, ok := d.(devices.Bypasser); ok {
			by.SetBypass(opt.Bypass, opt.RelTol, opt.VnTol, opt.AbsTol)
		}
		d.Setup(b)
	}
}

// setUpBesideMin is the number of elements from which buildSystem sets the devices up on
// another goroutine while it makes them; tests lower it.
var setUpBesideMin = 16_384

// buildSystem makes the devices of c, appends extra, and sets them up, as devices.Build
// then setUp. In a circuit of setUpBesideMin elements or more, a goroutine starts the
// system and sets up the devices made so far, chunk by chunk in order, while the next
// are made: the two steps were about half each of the build's time on one core (the
// topology check runs beside them). The system is the same either way, numbered in the
// same order (TestSetUpBeside).
func buildSystem(ctx context.Context, c *parser.Circuit, env devices.Env, opt analysis.Options, extra []devices.Device) ([]devices.Device, *mna.System, error) {
	if len(c.Elements) < setUpBesideMin {
		devs, err := devices.Build(ctx, c, env)
		if err != nil {
			return nil, nil, err
		}
		devs = append(devs, extra...)
		return devs, setUp(devs, opt), nil
	}
	chunks := make(chan []devices.Device, len(c.Elements)/devices.BuildChunk+2) // room for every chunk: BuildEach never waits
	built := make(chan *mna.System)
	go func() {
		b := newSystemBuilder(len(c.Elements)+len(extra), opt)
		for chunk := range chunks {
			setUpEach(b, chunk, opt)
		}
		setUpEach(b, extra, opt)
		built <- b.Build()
	}()
	devs, err := devices.BuildEach(ctx, c, env, func(chunk []devices.Device) { chunks <- chunk })
	close(chunks)
	sys := <-built // when making failed, the system of what was made is dropped
	if err != nil {
		return nil, nil, err
	}
	return append(devs, extra...), sys, nil
}

// maxTempPoints bounds the temperatures of a .dc temp sweep: the devices are built at
// every one of them before the sweep starts.
const maxTempPoints = 1000

// temperatureSweep is the sweep of .dc temp: the circuit's devices built at each of its
// temperatures (every parameter that depends on it computed again), with the same
// unknowns and matrix entries.
type temperatureSweep map[float64][]devices.Device

func (t temperatureSweep) At(temp float64) []devices.Device { return t[temp] }

// temperatures builds the devices at each temperature of a temperature sweep among
// sweeps, and gives it them.
func (s *Simulation) temperatures(ctx context.Context, a *parser.DC, sweeps []analysis.Sweep) error {
	for k := range sweeps {
		if sweeps[k].Device >= 0 {
			continue
		}
		t := temperatureSweep{}
		for _, temp := range sweeps[k].Values {
			env := s.env
			env.Temp = temp
			devs, err := devices.Build(ctx, s.Circuit, env)
			if err != nil {
				return fmt.Errorf(".dc temp at %g degrees: %w", temp, err)
			}
			if sys := setUp(devs, s.opt); sys.N != s.ckt.Sys.N || sys.NumHandles() != s.ckt.Sys.NumHandles() {
				return parser.Errorf(a.Sweeps[k].Pos, ".dc temp at %g degrees: the circuit's unknowns differ from those at %g degrees", temp, s.env.Temp)
			}
			t[temp] = devs
		}
		sweeps[k].Temps = t
	}
	return nil
}

// options reads .options into analysis options, and warns of values it changed.
func options(c *parser.Circuit) (analysis.Options, []*parser.Error, error) {
	o := analysis.DefaultOptions()
	var warnings []*parser.Error
	for _, op := range c.Options {
		v := op.Value
		positive := func(dst *float64) error {
			if !(v > 0) || math.IsInf(v, 0) {
				return parser.Errorf(op.Pos, ".options %s must be a positive number, got %g", op.Name, v)
			}
			*dst = v
			return nil
		}
		count := func(dst *int) error {
			if !(v >= 1) || v > 1e9 || v != math.Trunc(v) {
				return parser.Errorf(op.Pos, ".options %s must be a positive integer, got %g", op.Name, v)
			}
			*dst = int(v)
			return nil
		}
		steps := func(dst *int) error { // 0 (none), 1 (adaptive) or a count of steps
			if !(v >= 0) || v > 1e6 || v != math.Trunc(v) {
				return parser.Errorf(op.Pos, ".options %s must be 0 (none), 1 (adaptive) or a number of steps, got %g", op.Name, v)
			}
			*dst = int(v)
			return nil
		}
		nonNegative := func(dst *float64) error {
			if !(v >= 0) || math.IsInf(v, 0) {
				return parser.Errorf(op.Pos, ".options %s must be zero or a positive number, got %g", op.Name, v)
			}
			*dst = v
			return nil
		}
		fraction := func(dst *float64, lo, hi float64) error {
			if !(v >= lo && v <= hi) {
				return parser.Errorf(op.Pos, ".options %s must be between %g and %g, got %g", op.Name, lo, hi, v)
			}
			*dst = v
			return nil
		}
		zeroOrOne := func() error { // a switch: 0 off, 1 on
			if v != 0 && v != 1 {
				return parser.Errorf(op.Pos, ".options %s must be 0 or 1, got %g", op.Name, v)
			}
			return nil
		}
		var err error
		switch op.Name {
		case "reltol":
			err = positive(&o.RelTol)
		case "abstol":
			err = positive(&o.AbsTol)
		case "vntol":
			err = positive(&o.VnTol)
		case "chgtol":
			err = positive(&o.ChgTol)
		case "trtol":
			err = positive(&o.TrTol)
		case "gmin":
			err = positive(&o.Gmin)
		case "itl1":
			err = count(&o.ITL1)
		case "itl2":
			err = count(&o.ITL2)
		case "itl4":
			err = count(&o.ITL4)
		case "bypass":
			err = zeroOrOne()
			o.Bypass = devices.BypassOff
			if v == 1 {
				o.Bypass = devices.BypassAll
			}
		case "maxord":
			err = count(&o.MaxOrder)
			if err == nil && o.MaxOrder > 2 {
				warnings = append(warnings, parser.Errorf(op.Pos, ".options maxord=%d: gospice integrates at order 2 at most (trapezoidal or Gear-2); using 2", o.MaxOrder))
				o.MaxOrder = 2
			}
		case "gminsteps":
			err = steps(&o.GminSteps)
		case "srcsteps":
			err = steps(&o.SrcSteps)
		case "noopiter":
			o.NoOpIter = v != 0
		case "chord":
			err = zeroOrOne()
			o.NoChord = v == 0
		case "nodedamping":
			o.NodeDamping = v != 0
		case "gshunt":
			err = nonNegative(&o.Gshunt)
		case "rshunt":
			err = nonNegative(&o.Rshunt)
		case "cshunt":
			err = nonNegative(&o.Cshunt)
		case "pivtol":
			err = fraction(&o.PivTol, 1e-300, 0.1)
		case "pivrel":
			err = fraction(&o.PivRel, 1e-300, 1)
		case "ramptime":
			err = nonNegative(&o.RampTime)
		case "xmu":
			err = fraction(&o.Xmu, 0, 0.5)
		case "method":
			switch op.Str {
			case "trap", "trapezoidal":
				o.Method = analysis.Trapezoidal
			case "gear":
				o.Method = analysis.Gear
			default:
				err = parser.Errorf(op.Pos, ".options method must be trap or gear, got %q", op.Str)
			}
		}
		if err != nil {
			return o, nil, err
		}
	}
	return o, warnings, nil
}

// selectOutputs picks an analysis's vectors: its .print lines, else .save, else every node
// voltage and then every branch current, in netlist order.
func (s *Simulation) selectOutputs(kind string) ([]analysis.Output, error) {
	var vecs []parser.Vector
	for _, p := range s.Circuit.Prints {
		if p.Type == kind {
			vecs = append(vecs, p.Vectors...)
		}
	}
	var probes []parser.Vector
	if len(vecs) == 0 {
		vecs, probes = s.probedVectors() // probe.go
	}
	vecs, err := s.expandVectors(vecs)
	if err != nil {
		return nil, err
	}
	var outs []analysis.Output
	all := len(vecs) == 0
	for _, v := range vecs {
		if v.Kind == parser.VectorAll {
			all = true
			continue
		}
		p, q, err := s.probe(v)
		if err != nil {
			return nil, err
		}
		outs = append(outs, analysis.Output{Name: v.Name, Quantity: q, Probe: p})
	}
	outs = s.appendProbes(outs, probes)
	if all {
		sys := s.ckt.Sys
		named := map[string]bool{} // a .probe of a node or source, already written
		for _, o := range outs {
			named[o.Name] = true
		}
		for _, kind := range []mna.Kind{mna.Node, mna.Branch, mna.State} {
			for i, u := range sys.Unknowns[1:] {
				if u.Kind == kind && u.Default() && !named[u.Label()] && !parser.Internal(u.Name) {
					outs = append(outs, analysis.Output{Name: u.Label(), Quantity: quantityOf(u.Kind), Probe: unknownProbe(i + 1)})
				}
			}
		}
	}
	return outs, nil
}

// quantityOf is the quantity of an unknown of the kind.
func quantityOf(k mna.Kind) analysis.Quantity {
	switch k {
	case mna.Node:
		return analysis.Voltage
	case mna.Branch:
		return analysis.Current
	}
	return analysis.Dimensionless
}

// selectACOutputs picks the AC vectors: those of .print ac lines (v(x) gives its real and
// imaginary parts, vm(x) vp(x) vdb(x) vr(x) vi(x) one part each, and likewise i...(v1)),
// else .save's or every node and branch, each as its real and imaginary parts.
func (s *Simulation) selectACOutputs() ([]analysis.ACOutput, error) {
	var vecs []parser.Vector
	for _, p := range s.Circuit.Prints {
		if p.Type == "ac" {
			vecs = append(vecs, p.Vectors...)
		}
	}
	probed := len(vecs) == 0
	var probes []parser.Vector
	if probed {
		vecs, probes = s.probedVectors() // probe.go
	}
	vecs, err := s.expandVectors(vecs)
	if err != nil {
		return nil, err
	}
	var outs []analysis.ACOutput
	both := func(o analysis.ACOutput) {
		re, im := o, o
		re.Name, re.Part = "re("+o.Vector+")", analysis.Real
		im.Name, im.Part = "im("+o.Vector+")", analysis.Imag
		outs = append(outs, re, im)
	}
	all := len(vecs) == 0
	for _, v := range vecs {
		if v.Kind == parser.VectorAll {
			all = true
			continue
		}
		o, plain, err := s.acVector(v)
		if err != nil {
			return nil, err
		}
		o = zeroedInAC(o, v) // probe.go
		if plain {
			both(o)
		} else {
			outs = append(outs, o)
		}
	}
	if probed {
		s.appendACProbes(outs, probes, both) // probe.go
	}
	if all {
		sys := s.ckt.Sys
		named := map[string]bool{} // a .probe of a node or source, already written
		for _, o := range outs {
			named[o.Vector] = true
		}
		for _, kind := range []mna.Kind{mna.Node, mna.Branch} {
			for i, u := range sys.Unknowns[1:] {
				if u.Kind != kind || !u.Default() || parser.Internal(u.Name) {
					continue
				}
				if label := u.Label(); !named[label] {
					both(analysis.ACOutput{Vector: label, Quantity: quantityOf(u.Kind), Plus: i + 1})
				}
			}
		}
	}
	return outs, nil
}

// acParts are the parts of a complex vector that the parser's AC forms show.
var acParts = map[parser.ACPart]analysis.ACPart{
	parser.ACNone: analysis.Real, parser.ACReal: analysis.Real, parser.ACImag: analysis.Imag,
	parser.ACMag: analysis.Magnitude, parser.ACPhase: analysis.Phase, parser.ACDB: analysis.Decibel,
}

// acVector resolves an AC vector: vm(out) is the magnitude of v(out), ip(v1) the phase of
// i(v1). plain is true for v(out) or i(v1) itself, whose o.Part is then Real.
func (s *Simulation) acVector(v parser.Vector) (o analysis.ACOutput, plain bool, err error) {
	whole := v
	whole.Part = parser.ACNone
	whole.Name = whole.String()
	p, q, err := s.probe(whole)
	if err != nil {
		return o, false, err
	}
	o = analysis.ACOutput{Name: v.Name, Vector: whole.Name, Quantity: q, Part: acParts[v.Part]}
	switch p := p.(type) {
	case funcProbe: // a device's report, at the operating point
		o.OP = p
	case rateProbe: // a charge's derivative, 0 at the operating point
		o.OP = funcProbe(p.Value)
	case unknownProbe:
		o.Plus = int(p)
	case differenceProbe:
		o.Plus, o.Minus = p[0], p[1]
	default:
		return o, false, parser.Errorf(v.Pos, "cannot output %s in .ac: only node voltages and branch currents are available", whole.Name)
	}
	return o, v.Part == parser.ACNone, nil
}

// probe resolves a vector: v(a), v(a,b), i(source or device), state(device.var).
func (s *Simulation) probe(v parser.Vector) (analysis.Probe, analysis.Quantity, error) {
	sys := s.ckt.Sys
	lookup := func(label, what string) (int, error) {
		i, ok := sys.Lookup(label)
		if !ok {
			return 0, parser.Errorf(v.Pos, "cannot output %s: no such %s%s", label, what, s.suggestUnknown(label))
		}
		return i, nil
	}
	if v.Part != parser.ACNone {
		return nil, 0, parser.Errorf(v.Pos, "cannot output %s: the parts of a complex vector (vm, vp, vdb, vr, vi) are .ac's", v.Name)
	}
	switch {
	case v.Kind == parser.VectorVoltage && len(v.Nodes) == 1:
		i, err := lookup("v("+v.Nodes[0]+")", "node")
		return unknownProbe(i), analysis.Voltage, err
	case v.Kind == parser.VectorVoltage && len(v.Nodes) == 2:
		a, err := lookup("v("+v.Nodes[0]+")", "node")
		if err != nil {
			return nil, 0, err
		}
		b, err := lookup("v("+v.Nodes[1]+")", "node")
		return differenceProbe{a, b}, analysis.Voltage, err
	case v.Kind == parser.VectorCurrent:
		if i, ok := sys.Lookup("i(" + v.Device + ")"); ok {
			return unknownProbe(i), analysis.Current, nil
		}
		for _, d := range s.ckt.Devices {
			if c, ok := d.(currentProbe); ok && d.Name() == v.Device {
				return deviceCurrent{c}, analysis.Current, nil
			}
		}
		return nil, 0, parser.Errorf(v.Pos, "cannot output i(%s): no voltage source, inductor or device with a current of that name%s", v.Device, s.suggestUnknown("i("+v.Device+")"))
	case v.Kind == parser.VectorState:
		i, err := lookup(v.String(), "device state")
		return unknownProbe(i), analysis.Dimensionless, err
	case v.Kind == parser.VectorPower && len(v.Ammeters) > 0:
		return s.terminalPowerProbe(v) // probe.go
	case v.Kind == parser.VectorInternal || v.Kind == parser.VectorPower:
		return s.deviceProbe(v)
	case v.Kind == parser.VectorExpr:
		return s.exprVectorProbe(v)
	}
	return nil, 0, parser.Errorf(v.Pos, "cannot output %q: expected v(node), v(node,node), i(source) or state(device.var)", v.Name)
}

// deviceProbe resolves what a device reports of itself: @name[var] (Xyce's
// n(ymemristor!mr1:r), a drift memristor's resistance) and p(name), its power.
func (s *Simulation) deviceProbe(v parser.Vector) (analysis.Probe, analysis.Quantity, error) {
	for _, d := range s.ckt.Devices {
		if d.Name() != v.Device {
			continue
		}
		if r, ok := d.(reportProbe); ok && v.Kind == parser.VectorInternal {
			if f, ok := r.Report(v.Var); ok {
				return funcProbe(f), reportQuantity(v.Var), nil
			}
		}
		if r, ok := d.(chargeReporter); ok && v.Kind == parser.VectorInternal {
			if f, ok := r.ReportCharge(v.Var); ok {
				return rateProbe(f), reportQuantity(v.Var), nil
			}
		}
		if p, ok := d.(powerProbe); ok && v.Kind == parser.VectorPower {
			return funcProbe(p.Power), analysis.Dimensionless, nil
		}
	}
	return nil, 0, parser.Errorf(v.Pos, "cannot output %s: no device %q that reports it", v.Name, v.Device)
}

// reportQuantity is the quantity of a device's report by ngspice's naming: i... and
// the terminal currents ic, id ... are currents, v... voltages (vth, vdsat too).
func reportQuantity(name string) analysis.Quantity {
	switch {
	case name == "r" || name == "":
		return analysis.Dimensionless
	case name[0] == 'i':
		return analysis.Current
	case name[0] == 'v':
		return analysis.Voltage
	}
	return analysis.Dimensionless
}

// reportProbe is a device that reports quantities of its own by name.
type reportProbe interface {
	Report(name string) (func(x []float64) float64, bool)
}

// chargeReporter is a device that reports a current as the derivative of a charge (a
// capacitor's @c1[i]), which the transient differentiates (analysis.RateProbe).
type chargeReporter interface {
	ReportCharge(name string) (func(x []float64, uic bool) float64, bool)
}

// rateProbe is a charge's derivative: 0 at a DC point, and in a transient the rate its
// integration method gives.
type rateProbe func(x []float64, uic bool) float64

func (rateProbe) Value([]float64) float64                { return 0 }
func (p rateProbe) Charge(x []float64, uic bool) float64 { return p(x, uic) }

// powerProbe is a device that reports the power it takes (Xyce's p(name)).
type powerProbe interface {
	Power(x []float64) float64
}

type funcProbe func(x []float64) float64

func (p funcProbe) Value(x []float64) float64 { return p(x) }

// currentProbe is a device that reports its own current (a memristor's i(name)).
type currentProbe interface {
	Current(x []float64) float64
}

type deviceCurrent struct{ currentProbe }

func (p deviceCurrent) Value(x []float64) float64 { return p.Current(x) }

type unknownProbe int

func (p unknownProbe) Value(x []float64) float64 { return x[p] }

type differenceProbe [2]int

func (p differenceProbe) Value(x []float64) float64 { return x[p[0]] - x[p[1]] }

// String describes the built system, for gospice check and tests.
func (s *Simulation) String() string {
	sys := s.ckt.Sys
	return fmt.Sprintf("%d unknowns, %d devices, %d matrix entries", sys.N, len(s.ckt.Devices), sys.Pattern.NNZ())
}
