package driftmem

import (
	"fmt"
	"math"

	"github.com/gospice/gospice/parser"
)

// param is one model or instance parameter: its name (Xyce's, lowercase), default and
// destination. A nil destination is a parameter Xyce accepts that gospice reads and does
// not use; given, when set, records whether the netlist gave it.
type param struct {
	name  string
	def   float64
	dst   *float64
	given *bool
}

// paramTable is the parameters of one model level or of its instances.
type paramTable struct {
	what   string // "TEAM memristor model", "memristor"
	params []param
}

// apply sets every destination to its default, then to the values of list. An unknown
// name is an error at its place, suggesting the nearest known name; where names the
// element and model.
func (t paramTable) apply(list []parser.Param, where string) error {
	for _, p := range t.params {
		if p.dst != nil {
			*p.dst = p.def
		}
		if p.given != nil {
			*p.given = false
		}
	}
	for _, lp := range list {
		p, ok := t.lookup(lp.Name)
		if !ok {
			return parser.Errorf(lp.Pos, "unknown %s parameter %q (%s)%s", t.what, lp.Name, where, t.suggest(lp.Name))
		}
		if math.IsNaN(lp.Value) || math.IsInf(lp.Value, 0) {
			return parser.Errorf(lp.Pos, "%s parameter %s must be finite (%s)", t.what, lp.Name, where)
		}
		if p.dst != nil {
			*p.dst = lp.Value
		}
		if p.given != nil {
			*p.given = true
		}
	}
	return nil
}

func (t paramTable) lookup(name string) (param, bool) {
	for _, p := range t.params {
		if p.name == name {
			return p, true
		}
	}
	return param{}, false
}

func (t paramTable) suggest(name string) string {
	names := make([]string, len(t.params))
	for i, p := range t.params {
		names[i] = p.name
	}
	if best := parser.Nearest(name, names, max(2, len(name)/2)); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// Names lists a table's parameter names, for documentation and tests.
func (t paramTable) Names() []string {
	names := make([]string, len(t.params))
	for i, p := range t.params {
		names[i] = p.name
	}
	return names
}
