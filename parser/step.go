package parser

import (
	"fmt"
	"math"
	"strings"

	"github.com/gospice/gospice/parser/expr"
)

// StepKind says what a .step line varies.
type StepKind int

const (
	StepParam  StepKind = iota + 1 // a top-level parameter, Name: set by Variant.Params
	StepTemp                       // the circuit temperature in °C
	StepSource                     // the DC value of the independent V or I source Name
	StepDevice                     // the value of the R, C or L Name: ohms, farads, henries
	StepModel                      // the parameter Param of the model Name
)

func (k StepKind) String() string {
	switch k {
	case StepParam:
		return "param"
	case StepTemp:
		return "temp"
	case StepSource:
		return "source"
	case StepDevice:
		return "device"
	case StepModel:
		return "model"
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// Step is a .step line: what it varies and the values it takes, in order. The forms, as
// LTspice writes them (and Xyce's, without param):
//
//	.step [lin] param NAME start stop incr   start, start+incr, ... up to stop (within
//	                                         rounding); incr < 0 when stop < start
//	.step dec|oct param NAME start stop n    n values per decade or octave, as .ac
//	.step param NAME list v1 v2 ...          the values listed
//	.step temp ...                           the temperature, in any of those forms
//	.step v1 ... | .step r1 ...              a V or I source's DC value, an R, C or L's value
//	.step nmod(vto) ...                      a model parameter; LTspice writes the model's
//	                                         type first: .step npn 2n2222(vaf) 50 100 25
//	.step NAME ...                           Xyce: a top-level .param if the netlist has
//	                                         one of that name, else an element
//
// The values are numbers or expressions of parameters, evaluated with the netlist's
// parameter values (Variant.Params does not change them, nor do the .step lines
// themselves), and must not be random. A stepped parameter that the netlist does not
// define is defined by the step (Variant.Params). The stepped element must be a V, I,
// R, C or L, the model must exist; the model parameter's name is checked by the device.
type Step struct {
	Kind    StepKind
	Name    string // lowercase: the parameter, the flat element name, the model, or "temp"
	Param   string // StepModel: the model parameter's name, lowercase
	Label   string // what is stepped as written, lowercase: rval, temp, v1, nmod(vto); the column of its values
	Sweep   string // "lin", "dec", "oct" or "list"
	Values  []float64
	Pos     Pos // of the .step line
	NamePos Pos // of what is stepped
}

// MaxStepPoints bounds the runs of a netlist: the product of the numbers of values of
// its .step lines.
const MaxStepPoints = 10_000_000

// maxStepLines is how many .step lines a netlist may have.
const maxStepLines = 3

const stepUsage = ".step [lin|dec|oct] param name|temp|source|element|model(param) start stop incr|points, or .step ... list values"

// pendingStep is a .step line read, to be checked once every element is known.
type pendingStep struct {
	Step
	modelType string // LTspice's type before model(param), lowercase
	typePos   Pos
}

// stepWord is the lowercase word of an item that is a lone word.
func stepWord(it *Item) (string, bool) {
	if it.Value != nil {
		return "", false
	}
	return plainWord(it.Key)
}

// isModelParam reports whether it is model(param).
func isModelParam(it *Item) bool {
	return it.Value == nil && it.Key.Word != "" && it.Key.Args != nil
}

// step reads a .step line.
func (e *elab) step(d *DotLine) {
	if e.variant.Steps != nil {
		return // read by an earlier elaboration
	}
	e.stepLines++
	if e.stepLines > maxStepLines {
		if e.stepLines == maxStepLines+1 {
			e.errorf(toPos(d.Pos), "too many .step lines: at most %d, and this is the fourth", maxStepLines)
		}
		return
	}
	items := d.Items
	end := toPos(d.EndPos)
	s := &pendingStep{Step: Step{Sweep: "lin", Pos: toPos(d.Pos)}}
	explicit := false // lin, dec or oct was written
	if len(items) > 1 && !bareValue(items[1]) {
		if w, ok := stepWord(items[0]); ok && (w == "lin" || w == "dec" || w == "oct") {
			s.Sweep, explicit = w, true
			items = items[1:]
		}
	}
	if len(items) == 0 {
		e.errorf(end, "missing what to step: %s", stepUsage)
		return
	}
	items, ok := e.stepTarget(s, items)
	if !ok {
		return
	}
	if len(items) > 0 && isKeyword(items[0], "list") {
		if explicit {
			e.errorf(toPos(items[0].Pos), "list does not go with %s: .step %s list values", s.Sweep, s.Label)
			return
		}
		s.Sweep = "list"
		if len(items) == 1 {
			e.errorf(end, "missing values after list: .step %s list values", s.Label)
			return
		}
		if len(items)-1 > MaxStepPoints {
			e.errorf(toPos(items[1+MaxStepPoints].Pos), "too many values in .step %s: more than %d", s.Label, MaxStepPoints)
			return
		}
		vals, _, ok := e.stepNumbers(items[1:], len(items)-1)
		if !ok {
			return
		}
		s.Values = vals
	} else {
		third := map[bool]string{true: "incr", false: "points"}[s.Sweep == "lin"]
		vals, pos, ok := e.stepNumbers(items, 3)
		if !ok {
			return
		}
		if len(vals) < 3 {
			e.errorf(end, "missing %s of .step %s: %s", []string{"start", "stop", third}[len(vals)], s.Label, stepUsage)
			return
		}
		if s.Values, ok = e.sweepValues(s, vals, pos); !ok {
			return
		}
	}
	if s.Kind == StepTemp {
		for _, t := range s.Values {
			if t < -273.15 {
				e.errorf(toPos(d.Pos), "temperature below absolute zero in .step temp: %g degrees C", t)
				return
			}
		}
	}
	points := e.stepPoints * float64(len(s.Values))
	if points > MaxStepPoints {
		e.errorf(toPos(d.Pos), "the .step lines make %.4g runs, more than %d", points, MaxStepPoints)
		return
	}
	e.stepPoints = points
	e.steps = append(e.steps, s)
}

// stepTarget reads what a .step line varies into s and returns the items after it.
func (e *elab) stepTarget(s *pendingStep, items []*Item) ([]*Item, bool) {
	first := items[0]
	s.NamePos = toPos(first.Pos)
	w, word := stepWord(first)
	switch {
	case word && w == "param":
		if len(items) < 2 {
			e.errorf(s.Pos, "missing the parameter's name: .step param name ...")
			return nil, false
		}
		name, ok := stepWord(items[1])
		if !ok || !isName(name) {
			e.errorf(toPos(items[1].Pos), "expected a parameter name after param, found %s", itemText(items[1]))
			return nil, false
		}
		if expr.Variables[name] {
			e.errorf(toPos(items[1].Pos), "%s cannot be stepped as a parameter: it is a simulation variable (.step temp steps the temperature)", name)
			return nil, false
		}
		s.Kind, s.Name, s.Label, s.NamePos = StepParam, name, name, toPos(items[1].Pos)
		return items[2:], true
	case word && w == "temp":
		s.Kind, s.Name, s.Label = StepTemp, "temp", "temp"
		return items[1:], true
	case isModelParam(first):
		return items[1:], e.stepModel(s, first)
	case word && len(items) > 1 && isModelParam(items[1]):
		s.modelType, s.typePos = w, s.NamePos
		s.NamePos = toPos(items[1].Pos)
		return items[2:], e.stepModel(s, items[1])
	}
	name, ok := atom(first)
	if !ok || !isLetter(name[0]) {
		e.errorf(s.NamePos, "expected param, temp, a source, an element or model(param) after .step, found %s", itemText(first))
		return nil, false
	}
	// Xyce's form: a parameter if the netlist has one of that name, else an element
	// (checked once every element is known).
	s.Name, s.Label = name, name
	if _, ok := e.stepScope().params[name]; ok {
		s.Kind = StepParam
	}
	return items[1:], true
}

// stepModel reads model(param).
func (e *elab) stepModel(s *pendingStep, it *Item) bool {
	args := it.Key.Args.Items
	if len(args) != 1 {
		e.errorf(toPos(it.Pos), "expected model(parameter), found %s", itemText(it))
		return false
	}
	p, ok := stepWord(args[0])
	if !ok {
		e.errorf(toPos(args[0].Pos), "expected a model parameter's name, found %s", itemText(args[0]))
		return false
	}
	model := strings.ToLower(it.Key.Word)
	s.Kind, s.Name, s.Param, s.Label = StepModel, model, p, model+"("+p+")"
	return true
}

// stepScope is the top level with the netlist's own parameter values, in which the
// values of .step lines are evaluated.
func (e *elab) stepScope() *scope {
	if e.stepSc == nil {
		e.stepSc = e.topScope(e.root, false)
	}
	return e.stepSc
}

// stepNumbers evaluates the values of a .step line, at most max of them.
func (e *elab) stepNumbers(items []*Item, max int) ([]float64, []Pos, bool) {
	saved, savedNo := e.sc, e.noRandom
	e.sc, e.noRandom = e.stepScope(), ".step values (they are the same in every run)"
	defer func() { e.sc, e.noRandom = saved, savedNo }()
	return e.numbers(items, max, stepUsage)
}

// sweepValues lists the values of start stop incr (lin) or start stop points (dec, oct).
func (e *elab) sweepValues(s *pendingStep, vals []float64, pos []Pos) ([]float64, bool) {
	start, stop := vals[0], vals[1]
	if s.Sweep == "lin" {
		incr := vals[2]
		switch {
		case start == stop:
			return []float64{start}, true
		case incr == 0:
			e.errorf(pos[2], "the increment of .step %s must not be zero", s.Label)
			return nil, false
		case (stop-start)/incr < 0:
			e.errorf(pos[2], "the increment of .step %s (%g) does not lead from %g to %g", s.Label, incr, start, stop)
			return nil, false
		}
		n := math.Floor((stop-start)/incr + 1e-9) // intervals
		if n+1 > MaxStepPoints {
			e.errorf(pos[2], "too many values in .step %s: %.4g, more than %d", s.Label, n+1, MaxStepPoints)
			return nil, false
		}
		values := make([]float64, int(n)+1)
		for k := range values {
			values[k] = start + float64(k)*incr
		}
		// The last value is stop when the increments lead there within rounding.
		if last := &values[len(values)-1]; math.Abs(*last-stop) <= 1e-9*math.Abs(incr) {
			*last = stop
		}
		return values, true
	}
	n := vals[2]
	switch {
	case !(n >= 1) || n != math.Trunc(n):
		e.errorf(pos[2], "the number of points per %s of .step %s must be a positive integer, got %g", map[string]string{"dec": "decade", "oct": "octave"}[s.Sweep], s.Label, n)
		return nil, false
	case !(start > 0):
		e.errorf(pos[0], "start must be positive for a %s sweep, got %g", s.Sweep, start)
		return nil, false
	case stop < start:
		e.errorf(pos[1], "stop (%g) must not be less than start (%g) in a %s sweep", stop, start, s.Sweep)
		return nil, false
	}
	base := 10.0
	if s.Sweep == "oct" {
		base = 2
	}
	count := math.Floor(n*math.Log(stop/start)/math.Log(base)+1e-9) + 1
	if count > MaxStepPoints {
		e.errorf(pos[2], "too many values in .step %s: %.4g, more than %d", s.Label, count, MaxStepPoints)
		return nil, false
	}
	values := make([]float64, int(count))
	for k := range values {
		values[k] = start * math.Pow(base, float64(k)/n)
	}
	if last := &values[len(values)-1]; math.Abs(*last-stop) <= 1e-9*stop {
		*last = stop
	}
	return values, true
}

// finishSteps checks the .step lines against the circuit (kinds: its elements' kinds)
// and gives the good ones to it.
func (e *elab) finishSteps(kinds map[string]byte) {
	if e.variant.Steps != nil {
		e.c.Steps = e.variant.Steps
		return
	}
	seen := map[string]*pendingStep{}
	for _, s := range e.steps {
		switch s.Kind {
		case 0:
			k, ok := kinds[s.Name]
			switch {
			case !ok:
				if _, named := e.names[s.Name]; !named { // an element with errors, which say enough
					e.errorf(s.NamePos, "unknown parameter or element %q in .step%s", s.Name, didYouMean(s.Name, e.stepNames(kinds)))
				}
				continue
			case k == 'v' || k == 'i':
				s.Kind = StepSource
			case k == 'r' || k == 'c' || k == 'l':
				s.Kind = StepDevice
			default:
				e.errorf(s.NamePos, "cannot step %q: .step varies parameters, temp, V and I sources, the values of R, C and L, and model parameters", s.Name)
				continue
			}
		case StepModel:
			m, ok := e.c.Models[s.Name]
			if !ok {
				var names []string
				for n := range e.c.Models {
					names = append(names, n)
				}
				e.errorf(s.NamePos, "unknown model %q in .step%s", s.Name, didYouMean(s.Name, names))
				continue
			}
			if s.modelType != "" && s.modelType != m.Type {
				e.errorf(s.typePos, "model %q is of type %s, not %s (%s)", s.Name, m.Type, s.modelType, lineOf(m.Pos))
				continue
			}
		}
		key := s.Kind.String() + "\x00" + s.Name + "\x00" + s.Param
		if first, dup := seen[key]; dup {
			e.errorf(s.NamePos, "%s is stepped twice (first at %s)", s.Label, lineOf(first.Pos))
			continue
		}
		seen[key] = s
		e.c.Steps = append(e.c.Steps, s.Step)
	}
}

// stepNames are the names a .step line may name: the top-level parameters and the elements.
func (e *elab) stepNames(kinds map[string]byte) []string {
	var names []string
	for n := range e.stepScope().params {
		names = append(names, n)
	}
	for n := range kinds {
		names = append(names, n)
	}
	return names
}
