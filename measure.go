package gospice

import (
	"fmt"
	"strings"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/analysis/measure"
	"github.com/gospice/gospice/parser"
)

// Measurement is the result of one .meas line after one analysis: Name, Value, and Err
// when the measurement failed (a crossing that never happens, AT= outside the run), as
// ngspice reports "failed" rather than stopping the run. String gives ngspice's form,
// "tdiff = 1.000000e-03".
type Measurement = measure.Result

// measurePlan is how one analysis feeds its .meas lines. The vectors they read are
// computed as extra outputs of the analysis, after those it writes (a .meas may read
// vectors that no .print names), and measureSink takes them off each row before the
// row reaches the caller's sink: one run, and nothing kept but each measurement's state.
type measurePlan struct {
	specs     []*parser.Measure
	outputs   []analysis.Output   // tran, dc: the vectors of measure.Vectors(specs)
	acOutputs []analysis.ACOutput // ac: the same, as parts of complex vectors
}

// planMeasures resolves the vectors of the .meas lines of analysis a's type, once per type.
func (s *Simulation) planMeasures(a parser.Analysis) error {
	kind := a.Name()
	if _, done := s.measures[kind]; !done {
		plan, err := s.planOf(kind)
		if err != nil || plan == nil {
			return err
		}
		s.measures[kind] = plan
	}
	return nil
}

// planOf is the plan of the .meas lines of one analysis type, nil if it has none.
func (s *Simulation) planOf(kind string) (*measurePlan, error) {
	var specs []*parser.Measure
	for _, m := range s.Circuit.Measures {
		if m.Analysis == kind {
			specs = append(specs, m)
		}
	}
	if len(specs) == 0 {
		return nil, nil
	}
	plan := &measurePlan{specs: specs}
	for _, v := range measure.Vectors(specs) {
		if kind == "ac" {
			// A plain v(out) is its real part, as in ngspice's .meas ac.
			o, _, err := s.acVector(v)
			if err != nil {
				return nil, err
			}
			plan.acOutputs = append(plan.acOutputs, o)
			continue
		}
		p, q, err := s.probe(v)
		if err != nil {
			return nil, err
		}
		plan.outputs = append(plan.outputs, analysis.Output{Name: v.Name, Quantity: q, Probe: p})
	}
	return plan, nil
}

// warnUnmeasured warns about .meas lines of a type that no analysis of the netlist has.
func (s *Simulation) warnUnmeasured() {
	kinds := map[string]bool{}
	for _, a := range s.Circuit.Analyses {
		kinds[a.Name()] = true
	}
	for _, m := range s.Circuit.Measures {
		if !kinds[m.Analysis] {
			s.Warnings = append(s.Warnings, parser.Errorf(m.Pos, ".meas %s %s ignored: the netlist has no .%s analysis", m.Analysis, m.Name, m.Analysis))
		}
	}
}

// startMeasures prepares the measurements of one run of a, if it has any: the sink that
// feeds them (wrapping next), and how many outputs it takes off each row.
func (s *Simulation) startMeasures(a parser.Analysis, next Sink) (*measure.Set, Sink, *measurePlan) {
	plan := s.measures[a.Name()]
	if plan == nil {
		return nil, next, nil
	}
	// par('...') reads temper and gmin as a B source of the circuit does.
	set := measure.New(plan.specs, s.Circuit.Params, measure.Env{Temp: s.env.Temp, Gmin: s.env.Gmin})
	n := len(plan.outputs) + len(plan.acOutputs)
	return set, &measureSink{next: next, set: set, n: n}, plan
}

// measureSink feeds the last n columns of each row, with the scale, to the measurements
// and passes the rest on.
type measureSink struct {
	next Sink
	set  *measure.Set
	n    int
}

func (m *measureSink) Begin(cols []Column) error {
	if len(cols) < m.n+1 {
		return fmt.Errorf("internal error: %d columns for %d measured vectors", len(cols), m.n)
	}
	return m.next.Begin(cols[:len(cols)-m.n])
}

func (m *measureSink) Point(row []float64) error {
	k := len(row) - m.n
	m.set.Point(row[0], row[k:])
	return m.next.Point(row[:k])
}

// Measure returns the value of the named .meas result of this analysis (the last one of
// that name), or an error when the measurement failed or there is none of that name.
func (r *Result) Measure(name string) (float64, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i := len(r.Stats.Measures) - 1; i >= 0; i-- {
		if m := r.Stats.Measures[i]; m.Name == name {
			if m.Err != nil {
				return m.Value, fmt.Errorf("%s failed: %w", name, m.Err)
			}
			return m.Value, nil
		}
	}
	return 0, fmt.Errorf("no measurement named %q after .%s", name, r.Analysis.Name())
}
