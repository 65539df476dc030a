// Package devices holds the device models: each family's parameters, its constructor from
// the flat circuit, and its contributions to the circuit's DAE F(x) + dQ(x)/dt = 0.
package devices

import (
	"context"
	"fmt"
	"strings"

	"github.com/gospice/gospice/internal/hugepages"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
	"github.com/gospice/gospice/parser/expr"
)

// Mode says which analysis a load serves; sources choose their value by it.
type Mode uint8

const (
	ModeOP     Mode = iota // .op (and .dc points): sources use their DC value
	ModeTranOP             // the transient's initial point: sources use their value at t = 0
	ModeTran               // a transient time point
	ModeAC                 // the linearization of an AC analysis at its operating point:
	// sources at their DC values as in ModeOP, and every charge and capacitance loaded
	// (a capacitance kept with per-step history is taken at the present point)
)

// Context is what a device reads and writes in one load.
type Context struct {
	X           []float64 // unknowns; X[mna.Ground] is 0
	*mna.Values           // F, Q (per equation) and G, C (per handle) to add into
	Mode        Mode
	Time        float64
	Timing      Timing  // the transient's tstep and tstop, which waveform defaults come from
	Hertz       float64 // the frequency of an .ac analysis (hertz in expressions); 0 elsewhere
	SrcFactor   float64 // source stepping scales every independent source by this
	UIC         bool    // the initial load of a uic transient: charges come from IC= values
	Gmin        float64 // conductance SPICE puts across every junction

	// Junction limiting, as SPICE's pnjlim and fetlim: a device evaluates at voltages it
	// limited against those of its previous evaluation, loads F consistent with that
	// linearization at X, and sets Limited so that Newton does not stop on this iteration.
	// On the first iteration of a solve there is no previous evaluation to limit against;
	// InitJunctions asks for SPICE's initial junction voltages (the first iteration of an
	// operating point from zero).
	FirstIteration bool
	InitJunctions  bool
	Limited        bool
	// Predicted says the first iteration starts from the transient's extrapolation of
	// the last steps, or goes on from the last iterate of a failed attempt: junctions
	// limit it against their last evaluation, as later iterations do and as ngspice
	// limits its predicted device voltages against the last accepted ones.
	Predicted bool
	// Continuation says the solve is an intermediate step of an operating point's gmin
	// stepping, whose solution only starts the next step: devices may bypass
	// their evaluation there (devices.Bypasser) as at a transient's time points.
	Continuation bool
}

// Timing is what the defaults of source waveforms depend on: the running transient's
// tstep and tstop (a PULSE's rise time defaults to tstep, its period to tstop). Analyses
// other than a transient use the netlist's first .tran line's, as SPICE does.
type Timing struct {
	Step, Stop float64
}

// A Device is one circuit element as built: what it is (its parameters at the circuit
// temperature, its nodes, and the unknowns and matrix entries that Setup reserves). After
// Setup it never changes, so that any number of runs share it, one after another or at
// once. What a run changes lives in the run's Loader: a device without run state is its
// own Loader; one with state (limiting history, per-step charges, a switch's position, a
// random stream) is Stateful and makes a fresh Loader for each run.
type Device interface {
	Name() string
	Setup(b *mna.Builder)
}

// A Loader adds a device's F, Q, G and C at ctx.X, through the handles its device
// reserved. The analyses call the optional interfaces below on Loaders.
type Loader interface {
	Load(ctx *Context)
}

// An Evaluator is a Loader whose Load is Evaluate followed by Stamp, split so that an
// analysis may evaluate many devices at once on several goroutines and then stamp them one
// after the other in a fixed order: the sums in the Values, and so the results, do not
// depend on the number of cores. Evaluate reads ctx without writing it and changes only
// the Loader's own state; it reports whether it limited the voltages (what Load says
// through ctx.Limited). It may run while other devices are stamped or loaded, so it
// reads neither ctx's Values nor ctx.Limited. Stamp adds that evaluation to ctx's Values.
type Evaluator interface {
	Loader
	Evaluate(ctx *Context) (limited bool)
	Stamp(ctx *Context)
}

// Stateful is implemented by devices whose loads keep state from one load or one
// accepted point to the next. NewRun returns a Loader with that state at its start, owned
// by the run that asked for it.
type Stateful interface {
	Device
	NewRun() Loader
}

// NewRun returns the Loaders of one run of the devices, in the same order.
func NewRun(devs []Device) []Loader {
	loaders := make([]Loader, len(devs))
	for i, d := range devs {
		loaders[i] = NewLoader(d)
	}
	return loaders
}

// NewLoader returns the Loader of one run of d.
func NewLoader(d Device) Loader {
	if s, ok := d.(Stateful); ok {
		return s.NewRun()
	}
	return d.(Loader) // Build checks that every device is one or the other
}

// Linear is implemented by devices whose F and Q are linear in x (their values may still
// depend on time). A circuit of linear devices needs one Newton solve per point.
type Linear interface {
	Linear()
}

// Unlimited is implemented by devices that may be nonlinear in the unknowns without
// limiting their Newton updates, as junctions and the memristor limit theirs: behavioural
// expressions. Unlimited reports whether this one reads any unknown (an expression of
// time alone does not). A high-gain loop of such devices can have a fold, where the
// solution jumps from one branch to another at any time step, and Newton needs tens of
// iterations to get across (the transient gives their circuits ngspice's budget).
type Unlimited interface {
	Unlimited() bool
}

// UpdateAccepting is implemented by nonlinear Loaders that keep nothing from a load
// but their evaluation point: a transient's time point may then end, as ngspice's do,
// at the Newton update past the last load (whose residual was small and the update
// after it too) without loading the device there again.
type UpdateAccepting interface {
	UpdateAccepting()
}

// Breakpointer is implemented by devices with corners in time (source waveforms).
type Breakpointer interface {
	// NextBreakpoint returns the first corner strictly after t, or +Inf, with the
	// waveform defaults of tm.
	NextBreakpoint(t float64, tm Timing) float64
}

// Scheduler is implemented by Breakpointers whose corners become known while a
// transient runs (a transmission line's: a corner of the wave leaving one port reaches
// the other a delay later): the transient asks them for the next corner after every
// accepted point.
type Scheduler interface {
	Breakpointer
	SchedulesCorners()
}

// GroundedIC is implemented by capacitors: a capacitor from a node to ground with IC=
// gives the node's voltage, held in a transient's initial operating point when nothing
// else determines it (the node has no DC path to ground), as Xyce holds every IC=.
type GroundedIC interface {
	// GroundedIC returns the node and its IC= value, or ok false when the capacitor has
	// no IC= or neither of its nodes is ground.
	GroundedIC() (node int, v float64, ok bool)
}

// ACSource is implemented by independent sources with an AC value: they add their
// small-signal excitation to the right-hand side of (G + j omega C) x = rhs.
type ACSource interface {
	ACExcite(rhs []complex128)
}

// Limiter is implemented by devices that bound the Newton update of their own unknowns
// (a memristor's state stops at the edges of its range). Limit may change x, the new
// iterate, for those unknowns only, given the previous iterate xOld; it reports whether
// it did.
type Limiter interface {
	Limit(xOld, x []float64) bool
}

// Accepter is implemented by devices that keep history from one accepted time point to
// the next: charges defined by a capacitance (ngspice's Meyer gate charges add the
// averaged capacitance times the voltage change of the step to the previous charge), or
// the state of a switch. Accept is called with the accepted solution at the transient's
// initial point and after every accepted step.
type Accepter interface {
	Accept(ctx *Context)
}

// StepLimiter is implemented by devices that need a step no larger than some bound
// near an event the truncation error alone would step over (a switch nearing its
// threshold). MaxStep is called, like the truncation-error estimate, for each candidate
// point whose Newton converged, with ctx.X the candidate and step the step that reached
// it: a bound below 0.9 of that step rejects the point, as SPICE's truncation test does;
// otherwise the bound caps the next step.
type StepLimiter interface {
	MaxStep(ctx *Context, step float64) float64
}

// Eventer is implemented by devices with random events in time (a memristor's filament
// rupture, sampled by cumulative hazard). For each candidate point whose Newton converged,
// EventStep returns the fraction of the step (ctx.X at ctx.Time, reached by step) at
// which the device's next event falls, or a value >= 1 if none falls within it: the
// integrator then cuts the step to land on the event, as on a breakpoint. Fire is called
// at every accepted point; it applies an event due by ctx.Time to ctx.X (its own unknowns
// only) and reports whether it did, so that the integrator restarts from the new state.
type Eventer interface {
	EventStep(ctx *Context, step float64) float64
	Fire(ctx *Context) bool
}

// Bypasser is implemented by devices that can skip a full evaluation when their
// controlling voltages barely moved, as ngspice's .options bypass lets them: the load
// then reuses the last evaluation, carried along its tangents to X.
type Bypasser interface {
	SetBypass(mode BypassMode, relTol, vnTol, absTol float64)
}

// BypassMode says where a Bypasser may reuse an evaluation.
type BypassMode uint8

const (
	// BypassTransient is gospice's default: at the time points of a transient only (not
	// its operating point), at every iteration, the predicted one included, and only in
	// the devices whose evaluation is costly enough to gain from it (BSIM4). ngspice 39
	// does not bypass by default; its results are within its own accuracy of these.
	BypassTransient BypassMode = iota
	// BypassOff is .options bypass=0: every load evaluates.
	BypassOff
	// BypassAll is .options bypass=1: ngspice's bypass, in every analysis but .ac, at
	// every iteration but a solve's first (and, in the devices that have the transient
	// one, at the transient's every iteration too).
	BypassAll
)

// Faulter is implemented by devices whose load can fail: a behavioural expression that
// leaves its domain (sqrt of a negative number, ln of one) or overflows. The device then
// loads nothing of its own and Fault describes the problem, naming the element; the
// engine stops the Newton solve with that error rather than solve with a corrupt system.
// Where ngspice's B source stands in a finite value instead (ln(0) is -1e99, exp beyond
// overflow 1e99), the device loads it and StandIn describes it: harmless at an iterate
// on the way (Newton from zero meets ln(0)), an error at the solution.
type Faulter interface {
	// Fault describes the failure of the last Load, or is nil.
	Fault() error
	// StandIn describes the stand-in value of the last Load, or is nil.
	StandIn() error
}

// FrequencyDependent is implemented by devices whose values may depend on the frequency
// of an .ac analysis: a behavioural expression that reads hertz. ReadsFrequency reports
// whether this one does. At each frequency the AC analysis sets ctx.Hertz, then solves
// the operating point again and linearizes there, as ngspice does when an expression
// reads hertz.
type FrequencyDependent interface {
	ReadsFrequency() bool
}

// AdmittanceByFrequency is implemented by devices whose small-signal admittance depends
// on the frequency while their operating point does not (BSIM's AC non-quasi-static
// models). AdmittanceReadsFrequency reports whether this one's does. The AC analysis then
// loads the circuit again in ModeAC at each frequency, ctx.Hertz set and the operating
// point kept, and the device writes into G and C the real part and the imaginary part
// over omega of its admittance at that frequency.
type AdmittanceByFrequency interface {
	AdmittanceReadsFrequency() bool
}

// Sweepable is implemented by the devices a .dc sweep can set: independent sources (their
// DC value) and resistors (their resistance). Swept returns a Loader of one run whose
// value SetDC changes, leaving the device as it is.
type Sweepable interface {
	Device
	Swept() SweptLoader
}

// SweptLoader is the Loader of a swept device in one run.
type SweptLoader interface {
	Loader
	SetDC(v float64)
}

// InitialState is implemented by devices with initial conditions on their own unknowns
// (an inductor's IC= current); a uic transient starts from them.
type InitialState interface {
	SetInitial(x []float64)
}

// Env is what constructors need to know about the run: the transient's step and stop
// time resolve waveform defaults, as in SPICE; the temperatures are in degrees Celsius.
type Env struct {
	TStep, TStop float64 // of the netlist's first .tran: checked waveform defaults
	Temp, TNom   float64
	Gmin         float64 // the gmin option: some defaults derive from it (a switch's roff)
	Seed         uint64  // the run's seed; each stochastic device derives its stream from it and its name
	Run          int     // the run's index in step order, from 1 (0 is taken as 1); streams depend on it too

	index  *circuitIndex // what behavioural elements look up about the circuit; set by Build
	memo   map[any]any   // what Shared made in this Build; nil outside one
	blocks *deviceBlocks // where this Build's resistors and capacitors come from; nil outside one
}

// HasAnalysis reports whether the circuit being built has an analysis of that name
// (parser.Analysis.Name: "noise", "ac" ...); false outside Build. Some of ngspice's
// models lay out their nodes by it (BSIM4's tnoimod 1 under .noise).
func (env Env) HasAnalysis(name string) bool {
	if env.index == nil {
		return false
	}
	for _, a := range env.index.c.Analyses {
		if a.Name() == name {
			return true
		}
	}
	return false
}

// Shared returns the value this Build keeps under key, which make makes at the first
// call: what the instances of a model derive from its card alone (its constants at the
// temperature, its size-dependent parameters at a size), made once instead of once per
// instance. key must be comparable and say everything make reads. A make that fails is
// not kept (the next instance fails alike and reports its own place). Outside Build
// (an Env made otherwise) it makes the value every time.
func (env Env) Shared(key any, make func() (any, error)) (any, error) {
	if v, ok := env.memo[key]; ok {
		return v, nil
	}
	v, err := make()
	if err == nil && env.memo != nil {
		env.memo[key] = v
	}
	return v, err
}

// DefaultSeed is the seed of a run that names none, so that every run is reproducible.
const DefaultSeed = 1

// DefaultEnv has SPICE's defaults: 27 degrees Celsius, gmin 1e-12, and the default seed.
func DefaultEnv() Env { return Env{Temp: 27, TNom: 27, Gmin: 1e-12, Seed: DefaultSeed} }

type constructor func(e *parser.Element, c *parser.Circuit, env Env) (Device, error)

var constructors = map[byte]constructor{
	'r': newResistor,
	'c': newCapacitor,
	'l': newInductor,
	'v': newVoltageSource,
	'i': newCurrentSource,
	'd': newDiode,
	'm': newMOSFET,
	'q': newBJT,
	'j': newJFET,
	's': newSwitch,
	'w': newCurrentSwitch,
	'y': newYDevice,
	'e': newVCVS,
	'f': newCCCS,
	'g': newVCCS,
	'h': newCCVS,
	'k': newCoupling,
	'b': newBehaviouralSource,
	't': newTLine,
	'o': newLTRA,
	'p': func(e *parser.Element, c *parser.Circuit, _ Env) (Device, error) { return newCPL(e, c) },
	'z': newZDevice,
}

// newYDevice builds a Y element by its device type (YMEMRISTOR).
func newYDevice(e *parser.Element, c *parser.Circuit, env Env) (Device, error) {
	switch e.Type() {
	case "memristor":
		return newMemristor(e, c, env)
	case "txl":
		return newTXL(e, c)
	}
	if ctor, ok := yTypes[e.Type()]; ok {
		return ctor(e, c, env)
	}
	return nil, elementError(e, "device type Y%s is not supported", strings.ToUpper(e.Type()))
}

// Build makes a device for every element of the circuit, in netlist order. It stops with
// ctx's error when ctx is cancelled.
func Build(ctx context.Context, c *parser.Circuit, env Env) ([]Device, error) {
	return BuildEach(ctx, c, env, nil)
}

// BuildChunk is how many elements BuildEach makes devices of between two hand-overs.
const BuildChunk = 1024

// BuildEach is Build, and hands the devices to each (when not nil) as they are made, in
// order, in chunks that together are the devices Build returns: another goroutine can
// set them up meanwhile. A device is handed over only once nothing changes it any more:
// the couplings (K lines) and what follows the first of them after every inductor is
// linked, at the end. When Build fails, what was handed over is to be dropped.
func BuildEach(ctx context.Context, c *parser.Circuit, env Env, each func([]Device)) ([]Device, error) {
	c, err := atTemperature(c, env.Temp)
	if err != nil {
		return nil, err
	}
	// One index for every behavioural element to check its probes against, made at the
	// first that needs it, so that checking them all is linear in the circuit's size.
	env.index = &circuitIndex{c: c}
	env.memo = map[any]any{}
	env.blocks = &deviceBlocks{}
	devs := make([]Device, 0, len(c.Elements)) // a device per element, but for errors
	hugepages.Advise(devs)                     // a large circuit's first writes fault in 2 MiB pages
	var errs parser.ErrorList
	handed, coupled := 0, false // devs[:handed] went to each; a K line holds the rest back
	for i, e := range c.Elements {
		if i%BuildChunk == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if each != nil && !coupled && len(devs) > handed {
				each(devs[handed:len(devs):len(devs)])
				handed = len(devs)
			}
		}
		coupled = coupled || e.Kind == 'k'
		construct, ok := constructors[e.Kind]
		if !ok {
			errs = append(errs, elementError(e, "elements of kind %c are not supported", e.Kind-'a'+'A'))
			continue
		}
		d, err := construct(e, c, env)
		if err != nil {
			if pe, ok := err.(*parser.Error); ok {
				errs = append(errs, pe)
				continue
			}
			return nil, err
		}
		if _, ok := d.(Stateful); !ok {
			if _, ok := d.(Loader); !ok {
				return nil, fmt.Errorf("%s: device %T is neither a Loader nor Stateful", e.Name, d)
			}
		}
		devs = append(devs, d)
	}
	if len(errs) == 0 {
		// K lines need every inductor built: link them, and check each coupled set.
		errs = linkCouplings(devs)
	}
	if len(errs) > 0 {
		return nil, oncePerPlace(errs)
	}
	if each != nil && len(devs) > handed {
		each(devs[handed:len(devs):len(devs)])
	}
	return devs, nil
}

// oncePerPlace keeps one error of those at the same place: a misspelt parameter of a
// model is found by every element that uses the model, a bad line of a subcircuit by
// every instance. The one kept says how many more there were.
func oncePerPlace(errs parser.ErrorList) parser.ErrorList {
	var out parser.ErrorList
	first := map[parser.Pos]int{} // index in out
	more := map[int]int{}
	for _, e := range errs {
		if i, ok := first[e.Pos]; ok {
			more[i]++
			continue
		}
		first[e.Pos] = len(out)
		out = append(out, e)
	}
	for i, n := range more {
		e := *out[i]
		e.Msg += fmt.Sprintf(" (the same for %d more %s)", n, map[bool]string{true: "element", false: "elements"}[n == 1])
		out[i] = &e
	}
	return out
}

// atTemperature gives every parameter that depends on temper (is='1e-12*temper') its
// value at the circuit temperature temp (degrees Celsius), on elements and models. The
// circuit is not changed: the elements and models with such parameters are copied, so
// that building the same circuit again at another temperature starts from the
// expressions. A circuit without such parameters is returned as it is.
func atTemperature(c *parser.Circuit, temp float64) (*parser.Circuit, error) {
	vars := map[string]float64{"temper": temp}
	eval := func(owner string, params []parser.Param) ([]parser.Param, error) {
		var out []parser.Param
		for i, p := range params {
			if p.Expr == nil {
				continue
			}
			if out == nil {
				out = append([]parser.Param(nil), params...)
			}
			v, err := expr.Eval(p.Expr, vars)
			if err != nil {
				return nil, parser.Errorf(p.Pos, "%s: %s at temper=%g: %s", owner, p.Name, temp, expr.Message(err))
			}
			out[i].Value = v
			if len(p.List) > 0 {
				out[i].List = append([]float64{v}, p.List[1:]...)
			}
		}
		return out, nil
	}
	var out *parser.Circuit
	copyCircuit := func() {
		if out == nil {
			cc := *c
			cc.Elements = append([]*parser.Element(nil), c.Elements...)
			cc.Models = make(map[string]*parser.Model, len(c.Models))
			for k, m := range c.Models {
				cc.Models[k] = m
			}
			out = &cc
		}
	}
	for i, e := range c.Elements {
		params, err := eval(e.Name, e.Params())
		if err != nil {
			return nil, err
		}
		if params != nil {
			copyCircuit()
			fixed := *e
			fixed.SetParams(params)
			out.Elements[i] = &fixed
		}
	}
	for name, m := range c.Models {
		params, err := eval("model "+m.Name, m.Params)
		if err != nil {
			return nil, err
		}
		if params != nil {
			copyCircuit()
			fixed := *m
			fixed.Params = params
			out.Models[name] = &fixed
		}
	}
	if out == nil {
		return c, nil
	}
	return out, nil
}

// elementError is an error at an element's line that names the element.
func elementError(e *parser.Element, format string, args ...any) *parser.Error {
	return parser.Errorf(e.Pos, "%s: %s", e.Name, fmt.Sprintf(format, args...))
}

// icList is the element's ic= values (ic=vds,vgs or a single ic=v) and the parameter,
// when given.
func icList(e *parser.Element) ([]float64, parser.Param, bool) {
	p, ok := e.Param("ic")
	if !ok || len(p.List) > 0 {
		return p.List, p, ok
	}
	return []float64{p.Value}, p, true
}

// areaAndOff reads a diode's or JFET's positional words: an area (the first number) and
// off; kind names the device in the error for anything else.
func areaAndOff(e *parser.Element, area *float64, areaGiven *bool, kind string) (off bool, err error) {
	for _, a := range e.Args() {
		switch {
		case a.IsNumber && !*areaGiven:
			*area, *areaGiven = a.Number, true
		case a.Word == "off":
			off = true
		default:
			return false, parser.Errorf(a.Pos, "%s: unexpected %q (a %s takes an area, off and name=value parameters)", e.Name, argText(a), kind)
		}
	}
	return off, nil
}

// twoTerminal holds the element, the node indices and the four matrix handles of a
// two-terminal element. Its name and node names are read from the element, which the
// circuit keeps: a large netlist's resistors and capacitors are smaller for not copying them.
type twoTerminal struct {
	el                 *parser.Element
	a, b               int
	haa, hab, hba, hbb mna.Handle
}

func newTwoTerminal(e *parser.Element) twoTerminal { return twoTerminal{el: e} }

func (t *twoTerminal) Name() string { return t.el.Name }

// node is the name of the first (0) or second (1) node.
func (t *twoTerminal) node(i int) string { return t.el.Nodes[i] }

func (t *twoTerminal) setupPair(b *mna.Builder) {
	t.a, t.b = b.Node(t.node(0)), b.Node(t.node(1))
	t.haa, t.hab = b.Entry(t.a, t.a), b.Entry(t.a, t.b)
	t.hba, t.hbb = b.Entry(t.b, t.a), b.Entry(t.b, t.b)
}

// stamp adds g to the conductance-like pattern +g -g / -g +g of a two-terminal element.
func (t *twoTerminal) stamp(m []float64, g float64) {
	m[t.haa] += g
	m[t.hab] -= g
	m[t.hba] -= g
	m[t.hbb] += g
}

// stampSeries writes a series conductance g between an external node ext and the
// internal node in behind it (a transistor's drain or source resistance), with the
// handles of the pairs (ext,ext), (ext,in), (in,ext) and (in,in).
func stampSeries(ctx *Context, g float64, ext, in int, hee, hei, hie, hii mna.Handle) {
	i := g * (ctx.X[ext] - ctx.X[in])
	ctx.F[ext] += i
	ctx.F[in] -= i
	ctx.G[hee] += g
	ctx.G[hei] -= g
	ctx.G[hie] -= g
	ctx.G[hii] += g
}

// branch is what the elements with a branch current share (a voltage source, an
// inductor, E, H and a V-type behavioural source): the unknown k, named after the
// element, a current positive from n+ through the element to n-, and a branch equation
// v(n+) - v(n-) - (the element's own terms) = 0.
type branch struct {
	k                  int
	hak, hbk, hka, hkb mna.Handle
}

// setupBranch reserves the branch of the element name between nodes a and b, and the
// entries that couple it to them.
func (br *branch) setupBranch(b *mna.Builder, name string, a, bNode int) {
	br.k = b.Branch(name)
	br.hak, br.hbk = b.Entry(a, br.k), b.Entry(bNode, br.k)
	br.hka, br.hkb = b.Entry(br.k, a), b.Entry(br.k, bNode)
}

// loadBranch adds the branch current to the KCL rows of a and b and v(a) - v(b) to the
// branch equation, with their Jacobian; the element adds its own terms to the equation.
func (br *branch) loadBranch(ctx *Context, a, b int) {
	i := ctx.X[br.k]
	ctx.F[a] += i
	ctx.F[b] -= i
	ctx.F[br.k] += ctx.X[a] - ctx.X[b]
	ctx.G[br.hak]++
	ctx.G[br.hbk]--
	ctx.G[br.hka]++
	ctx.G[br.hkb]--
}
