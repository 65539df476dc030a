package gospice

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/gospice/gospice/analysis/pool"
	"github.com/gospice/gospice/parser"
)

// Step is one .step line of a netlist: what it varies (a parameter, the temperature, an
// independent source's DC value, an R, C or L's value or a model parameter) and the
// values it takes, in order.
type Step = parser.Step

// Steps lists the netlist's .step lines, in netlist order: the first varies fastest.
func (s *Simulation) Steps() []Step { return s.Circuit.Steps }

// Runs is the number of runs of the netlist: the product of the numbers of values of its
// .step lines, each combination a step point; 1 without .step. Runs are numbered from 1,
// in step order.
func (s *Simulation) Runs() int {
	n := 1
	for _, st := range s.Circuit.Steps {
		n *= len(st.Values)
	}
	return n
}

// StepValues is the value of each .step line in run (1 to Runs), in the order of the
// lines: the first line's value changes from one run to the next, the second's after
// every value of the first, as the sources of a nested .dc.
func (s *Simulation) StepValues(run int) []float64 {
	k := run - 1
	values := make([]float64, len(s.Circuit.Steps))
	for i, st := range s.Circuit.Steps {
		values[i] = st.Values[k%len(st.Values)]
		k /= len(st.Values)
	}
	return values
}

// Seed is the seed the simulation's random draws come from: WithSeed's, else the
// netlist's .options seed, else the default.
func (s *Simulation) Seed() uint64 { return s.env.Seed }

// RunIndex is the index of the run this simulation is (1 unless StepPoint made it).
func (s *Simulation) RunIndex() int { return max(s.env.Run, 1) }

// StepPoint builds the Simulation of one run (1 to Runs): the netlist with the values of
// that step point, and the random draws of that run. Its draws come from streams of the
// seed, the run and the name of what draws (a parameter, an element, a device), so that a
// run gives the same values however the runs are spread over cores or machines, and
// StepPoint(ctx, i) of a netlist is always the same circuit. Its own Steps are the
// netlist's; it runs once.
func (s *Simulation) StepPoint(ctx context.Context, run int) (*Simulation, error) {
	if run < 1 || run > s.Runs() {
		return nil, fmt.Errorf("run %d does not exist: the netlist has %d", run, s.Runs())
	}
	values := s.StepValues(run)
	params := maps.Clone(s.Circuit.Variant.Params)
	for i, st := range s.Circuit.Steps {
		if st.Kind == parser.StepParam {
			if params == nil {
				params = map[string]float64{}
			}
			params[st.Name] = values[i]
		}
	}
	c := s.Circuit
	if len(params) > 0 || c.Random {
		v := c.Variant
		v.Params, v.Run, v.Steps = params, run, c.Steps
		if s.bo.hasSeed {
			v.Seed, v.HasSeed = s.bo.seed, true
		}
		var err error
		if c, err = c.Deck.Elaborate(ctx, v); err != nil {
			return nil, err
		}
	}
	c, temp, err := withStepValues(c, values)
	if err != nil {
		return nil, err
	}
	bo := s.bo
	bo.run = run
	bo.temp = temp
	return build(ctx, c, bo)
}

// WithParams builds the netlist again with other values of its top-level parameters
// (lowercase names; a name the netlist does not define is defined), without reading its
// text again: what a .step param run does, for a caller that chooses the values itself.
func (s *Simulation) WithParams(ctx context.Context, params map[string]float64) (*Simulation, error) {
	v := s.Circuit.Variant
	v.Params = maps.Clone(v.Params)
	if v.Params == nil {
		v.Params = map[string]float64{}
	}
	maps.Copy(v.Params, params)
	if s.bo.hasSeed {
		v.Seed, v.HasSeed = s.bo.seed, true
	}
	c, err := s.Circuit.Deck.Elaborate(ctx, v)
	if err != nil {
		return nil, err
	}
	return build(ctx, c, s.bo)
}

// withStepValues applies the step values that change the flat circuit (a source's DC
// value, an R, C or L's value, a model parameter) to a copy of c, and returns the
// temperature a .step temp gives (nil if none).
func withStepValues(c *parser.Circuit, values []float64) (*parser.Circuit, *float64, error) {
	var temp *float64
	var out *parser.Circuit
	copyCircuit := func() *parser.Circuit {
		if out == nil {
			cc := *c
			cc.Elements = slices.Clone(c.Elements)
			cc.Models = maps.Clone(c.Models)
			out = &cc
		}
		return out
	}
	for i, st := range c.Steps {
		v := values[i]
		switch st.Kind {
		case parser.StepTemp:
			temp = &v
		case parser.StepSource, parser.StepDevice:
			k := slices.IndexFunc(c.Elements, func(e *parser.Element) bool { return e.Name == st.Name })
			if k < 0 {
				return nil, nil, parser.Errorf(st.NamePos, ".step: no element %s", st.Name)
			}
			e := *c.Elements[k]
			if st.Kind == parser.StepSource {
				if e.Source() == nil {
					return nil, nil, parser.Errorf(st.NamePos, ".step: %s is not an independent source", st.Name)
				}
				src := *e.Source()
				src.DC, src.HasDC = v, true
				e.SetSource(&src)
			} else {
				if e.Expr() != nil {
					return nil, nil, parser.Errorf(st.NamePos, ".step: the value of %s is an expression; step a parameter it reads instead", st.Name)
				}
				e.Value, e.HasValue = v, true
			}
			copyCircuit().Elements[k] = &e
		case parser.StepModel:
			m, ok := c.Models[st.Name]
			if !ok {
				return nil, nil, parser.Errorf(st.NamePos, ".step: no model %s", st.Name)
			}
			mm := *m
			mm.Params = slices.Clone(m.Params)
			k := slices.IndexFunc(mm.Params, func(p parser.Param) bool { return p.Name == st.Param })
			p := parser.Param{Name: st.Param, Value: v, Pos: st.NamePos}
			if k >= 0 {
				mm.Params[k] = p
			} else {
				mm.Params = append(mm.Params, p)
			}
			copyCircuit().Models[st.Name] = &mm
		}
	}
	if out == nil {
		return c, temp, nil
	}
	return out, temp, nil
}

// checkSteps refuses .step lines that contradict the analyses: a .step of the source or
// of the temperature that a .dc sweeps.
func (s *Simulation) checkSteps() error {
	for _, st := range s.Circuit.Steps {
		for _, a := range s.Circuit.Analyses {
			dc, ok := a.(*parser.DC)
			if !ok {
				continue
			}
			for _, sw := range dc.Sweeps {
				if (st.Kind == parser.StepTemp && sw.Source == "temp") ||
					((st.Kind == parser.StepSource || st.Kind == parser.StepDevice) && sw.Source == st.Name) {
					return parser.Errorf(st.Pos, ".step %s: the .dc at line %d sweeps it too", st.Label, dc.Pos.Line)
				}
			}
		}
	}
	return nil
}

// StepRun is one run of a netlist's step points: its run index, its .step values, the
// results of the netlist's analyses in order up to the one that failed, and the failure.
type StepRun struct {
	Run     int
	Values  []float64
	Results []*Result
	Err     error // nil when every analysis ran to its end
}

// RunSteps runs the given step points (runs, each 1 to Runs; every one in order when runs
// is nil) on workers goroutines (GOMAXPROCS when workers < 1), and calls each with every
// run in the order of runs, whatever order they finish in. A run whose analysis fails is
// passed with its Err and the points before the failure; the others go on. A run whose
// circuit cannot be built (a value a device refuses), an error from each, or ctx's end
// stops RunSteps with that error.
func (s *Simulation) RunSteps(ctx context.Context, runs []int, workers int, each func(*StepRun) error) error {
	n, run := len(runs), func(k int) int { return runs[k] }
	if runs == nil {
		n, run = s.Runs(), func(k int) int { return k + 1 }
	}
	type outcome struct {
		run      *StepRun
		buildErr error
	}
	return pool.Ordered(ctx, n, workers, func(ctx context.Context, k int) outcome {
		r := &StepRun{Run: run(k)}
		sim, err := s.StepPoint(ctx, r.Run)
		if err != nil {
			return outcome{buildErr: fmt.Errorf("run %d: %w", r.Run, err)}
		}
		r.Values = s.StepValues(r.Run)
		r.Results, r.Err = sim.Results(ctx)
		return outcome{run: r}
	}, func(_ int, o outcome) error {
		if o.buildErr != nil {
			return o.buildErr
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return each(o.run)
	})
}
