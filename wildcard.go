package gospice

import (
	"strings"

	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// isPattern reports whether a node name holds a wildcard: * (any characters, the dots of
// subcircuit paths included) or ? (one character).
func isPattern(name string) bool { return strings.ContainsAny(name, "*?") }

// matchPattern reports whether name matches pattern as a whole.
func matchPattern(pattern, name string) bool {
	p, n := 0, 0
	star, resume := -1, 0 // the last * seen, and where in name it matched up to
	for n < len(name) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case p < len(pattern) && pattern[p] == '*':
			star, resume = p, n
			p++
		case star >= 0:
			// Let the last * take one more character.
			resume++
			p, n = star+1, resume
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// expandVectors replaces each v(PATTERN) by v(node) for every node the pattern matches, in
// the circuit's node order; a pattern that matches nothing is an error at its place. A
// name that is a node as written is not a pattern. Wildcards in v(a,b), i() and state()
// are refused.
func (s *Simulation) expandVectors(vecs []parser.Vector) ([]parser.Vector, error) {
	var out []parser.Vector
	for k, v := range vecs {
		if !s.hasPattern(v) {
			if out != nil {
				out = append(out, v)
			}
			continue
		}
		if out == nil {
			out = append([]parser.Vector(nil), vecs[:k]...)
		}
		if v.Kind != parser.VectorVoltage || len(v.Nodes) != 1 || v.Part != parser.ACNone {
			return nil, parser.Errorf(v.Pos, "cannot output %s: wildcards (* and ?) match node names, in v(node) only", v.Name)
		}
		matched := 0
		for _, u := range s.ckt.Sys.Unknowns[1:] {
			if u.Kind == mna.Node && !u.Internal && matchPattern(v.Nodes[0], u.Name) {
				w := v
				w.Nodes = []string{u.Name}
				w.Name = "v(" + u.Name + ")"
				out = append(out, w)
				matched++
			}
		}
		if matched == 0 {
			return nil, parser.Errorf(v.Pos, "%s matches no node", v.Name)
		}
	}
	if out == nil {
		return vecs, nil
	}
	return out, nil
}

// hasPattern reports whether a vector names something with a wildcard that is not a
// node, branch or state as written.
func (s *Simulation) hasPattern(v parser.Vector) bool {
	names := append([]string{v.Device}, v.Nodes...)
	for _, n := range names {
		if isPattern(n) {
			if _, ok := s.ckt.Sys.Lookup("v(" + n + ")"); ok && v.Kind == parser.VectorVoltage {
				continue
			}
			return true
		}
	}
	return false
}
