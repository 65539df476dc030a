package synapse

import (
	"math"
	"sort"
	"strings"

	"github.com/gospice/gospice/parser"
)

// param is one model or instance parameter: its name, default and destination.
type param struct {
	name  string
	def   float64
	unit  string
	doc   string
	dst   *float64
	given *bool
}

// paramSet is the parameter table of a model level or of the instance line.
type paramSet struct {
	what   string // "synapse model (level 4)", "synapse"
	params []param
}

// apply sets every destination to its default, then to the values of list; an unknown
// name is an error at its place that lists the known ones.
func (s paramSet) apply(list []parser.Param, where string) error {
	for _, p := range s.params {
		*p.dst = p.def
		if p.given != nil {
			*p.given = false
		}
	}
	for _, lp := range list {
		p, ok := s.lookup(lp.Name)
		if !ok {
			return parser.Errorf(lp.Pos, "unknown %s parameter %q (%s; known: %s)", s.what, lp.Name, where, strings.Join(s.names(), " "))
		}
		if math.IsNaN(lp.Value) || math.IsInf(lp.Value, 0) {
			return parser.Errorf(lp.Pos, "%s parameter %s must be finite (%s)", s.what, lp.Name, where)
		}
		*p.dst = lp.Value
		if p.given != nil {
			*p.given = true
		}
	}
	return nil
}

func (s paramSet) lookup(name string) (param, bool) {
	for _, p := range s.params {
		if p.name == strings.ToLower(name) {
			return p, true
		}
	}
	return param{}, false
}

func (s paramSet) names() []string {
	var out []string
	for _, p := range s.params {
		out = append(out, p.name)
	}
	sort.Strings(out)
	return out
}
