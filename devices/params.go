package devices

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gospice/gospice/parser"
)

// param declares one model or instance parameter once: its names (the first is the
// canonical one, the rest ngspice's aliases), default, unit and meaning, and where its
// value goes. The same declaration serves parsing, validation and documentation.
type param struct {
	names []string
	def   float64
	unit  string
	doc   string
	dst   *float64 // nil: accepted as ngspice does, but not used by this model
	given *bool    // optional: set when the netlist gives the parameter
}

// p builds a param; names is "name alias alias".
func p(names string, def float64, unit, doc string, dst *float64) param {
	return param{names: strings.Fields(names), def: def, unit: unit, doc: doc, dst: dst}
}

// withGiven records on g whether the parameter was given.
func (pr param) withGiven(g *bool) param {
	pr.given = g
	return pr
}

// accepted declares names that ngspice accepts for a model but that this model does
// not use (noise parameters, for example); they are read and ignored.
func accepted(names string) param {
	return param{names: strings.Fields(names), doc: "accepted for compatibility; not used"}
}

// paramSet is the parameter table of one model or instance type.
type paramSet struct {
	what   string // "diode model", "MOSFET instance"
	params []param
}

// apply sets every destination to its default, then to the values given in list. An
// unknown name is an error at its position that suggests the nearest known name; where
// says which element and model it belongs to.
func (s paramSet) apply(list []parser.Param, where string) error {
	for _, pr := range s.params {
		if pr.dst != nil {
			*pr.dst = pr.def
		}
		if pr.given != nil {
			*pr.given = false
		}
	}
	for _, lp := range list {
		pr, ok := s.lookup(lp.Name)
		if !ok {
			return parser.Errorf(lp.Pos, "unknown %s parameter %q (%s)%s", s.what, lp.Name, where, s.suggest(lp.Name))
		}
		if math.IsNaN(lp.Value) || math.IsInf(lp.Value, 0) {
			return parser.Errorf(lp.Pos, "%s parameter %s must be finite (%s)", s.what, lp.Name, where)
		}
		if pr.dst != nil {
			*pr.dst = lp.Value
		}
		if pr.given != nil {
			*pr.given = true
		}
	}
	return nil
}

func (s paramSet) lookup(name string) (param, bool) {
	for _, pr := range s.params {
		for _, n := range pr.names {
			if n == name {
				return pr, true
			}
		}
	}
	return param{}, false
}

// suggest returns `; did you mean "x"?` for the known name nearest to name, if any is near.
func (s paramSet) suggest(name string) string {
	var names []string
	for _, pr := range s.params {
		names = append(names, pr.names...)
	}
	best := parser.Nearest(name, names, max(2, len(name)/2))
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// unusedGiven lists the names in list that the set accepts without using them.
func (s paramSet) unusedGiven(list []parser.Param) []string {
	var names []string
	for _, lp := range list {
		if pr, ok := s.lookup(lp.Name); ok && pr.dst == nil {
			names = append(names, lp.Name)
		}
	}
	return names
}

// Names lists every accepted name, sorted, for documentation and tests.
func (s paramSet) Names() []string {
	var names []string
	for _, pr := range s.params {
		names = append(names, pr.names...)
	}
	sort.Strings(names)
	return names
}

// modelFor finds the model an element refers to and checks its type against types
// (the first names the family in messages: "diode").
func modelFor(e *parser.Element, c *parser.Circuit, family string, types ...string) (*parser.Model, error) {
	if e.Model == "" {
		return nil, elementError(e, "a %s needs a model", family)
	}
	m, ok := c.Models[e.Model]
	if !ok {
		return nil, elementError(e, "model %q is not defined", e.Model)
	}
	for _, t := range types {
		if m.Type == t {
			return m, nil
		}
	}
	return nil, elementError(e, "model %q (%s) is a %q model, not a %s model", e.Model, m.Pos, m.Type, family)
}

// modelWhere names an element and its model for parameter errors.
func modelWhere(e *parser.Element, m *parser.Model) string {
	return fmt.Sprintf("model %s, used by %s at line %d", m.Name, e.Name, e.Pos.Line)
}
