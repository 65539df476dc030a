package parser

import (
	"strings"
)

// elementKind says how an element line is read: how many nodes come after the name, and
// a function that reads the rest into the element, reporting errors through e (line gives
// it the whole line, for the place where a missing argument was expected).
type elementKind struct {
	noun  string // for messages: "resistor"
	nodes int
	read  func(e *elab, el *Element, rest []*Item, line *ElementLine)
}

// elementKinds is the table of the element letters understood so far. Adding a kind is an
// entry here and its read function.
var elementKinds = map[byte]elementKind{
	'r': {"resistor", 2, readPassive("resistor", "r", "resistance")},
	'c': {"capacitor", 2, readPassive("capacitor", "c", "capacitance")},
	'l': {"inductor", 2, readPassive("inductor", "l", "inductance")},
	'v': {"voltage source", 2, readSource},
	'i': {"current source", 2, readSource},
}

// element reads an element line into the circuit.
func (e *elab) element(l *ElementLine) {
	name := strings.ToLower(l.Name)
	pos := toPos(l.Pos)
	if first, ok := e.names[name]; ok {
		e.errorf(pos, "duplicate element name %q (first defined at %s)", name, lineOf(first))
		return
	}
	e.names[name] = pos
	kind, ok := elementKinds[name[0]]
	if !ok {
		if isLetter(name[0]) {
			e.errorf(pos, "unknown element %q (kind %c is not supported)", name, name[0]-'a'+'A')
		} else {
			e.errorf(pos, "unknown element %q (an element name starts with a letter)", name)
		}
		return
	}
	el := &Element{Name: name, Kind: name[0], Pos: pos}
	for i := 0; i < kind.nodes; i++ {
		if i >= len(l.Items) {
			e.errorf(toPos(l.EndPos), "missing node: %s %q needs %d nodes, found %d", kind.noun, name, kind.nodes, i)
			return
		}
		it := l.Items[i]
		n, ok := atom(it)
		if !ok {
			e.errorf(toPos(it.Pos), "expected a node name, found %s", itemText(it))
			return
		}
		el.Nodes = append(el.Nodes, node(n))
		el.NodePos = append(el.NodePos, toPos(it.Pos))
	}
	n := len(e.errs)
	kind.read(e, el, l.Items[kind.nodes:], l)
	if len(e.errs) == n {
		e.c.Elements = append(e.c.Elements, el)
	}
}

// readPassive reads the rest of an R, C or L line: [value] [model] [name=value ...], where
// the value may also be given as key=value (r=1k) or long=value (resistance=1k). A word in
// the value's place is a model name. The value is required unless a model is given.
func readPassive(noun, key, long string) func(e *elab, el *Element, rest []*Item, line *ElementLine) {
	return func(e *elab, el *Element, rest []*Item, line *ElementLine) {
		tried := false // a value was given, maybe with an error
		n := len(e.errs)
		setValue := func(it *Item, t *Term) {
			if tried {
				e.errorf(toPos(it.Pos), "%s of %q given twice", long, el.Name)
				return
			}
			tried = true
			if v, ok := e.number(t); ok {
				el.Value, el.HasValue, el.ValuePos = v, true, toPos(t.Pos)
			}
		}
		params := paramList{what: quote(el.Name)}
		for _, it := range rest {
			if it.Value != nil {
				if k, ok := plainWord(it.Key); ok && (k == key || k == long) {
					setValue(it, it.Value)
					continue
				}
				e.addParam(&params, it)
				continue
			}
			t := it.Key
			switch w, word := plainWord(t); {
			case isValue(t):
				if el.Model != "" {
					e.unexpected(it, "after the model name")
					continue
				}
				setValue(it, t)
			case word && el.Model == "":
				el.Model, el.ModelPos = w, toPos(t.Pos)
			default:
				e.unexpected(it, "in "+quote(el.Name))
			}
		}
		el.Params = params.params
		if !tried && el.Model == "" && len(e.errs) == n {
			e.errorf(el.Pos, "%s %q has no value", noun, el.Name)
		}
	}
}
