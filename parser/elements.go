package parser

import (
	"strings"
)

// elementKind says how an element line is read: how many nodes come after the name, and
// a function that reads the rest into the element, reporting errors through e (line gives
// it the whole line, for the place where a missing argument was expected).
type elementKind struct {
	noun       string // for messages: "resistor"
	nodes      int    // the nodes always read; the read function may take more (Q's substrate)
	needsModel bool   // a model name follows the nodes
	read       func(e *elab, el *Element, rest []*Item, line *ElementLine)
}

// elementKinds is the table of the element letters understood so far. Adding a kind is an
// entry here and its read function.
var elementKinds = map[byte]elementKind{
	'r': {noun: "resistor", nodes: 2, read: readPassive("resistor", "r", "resistance")},
	'c': {noun: "capacitor", nodes: 2, read: readPassive("capacitor", "c", "capacitance")},
	'l': {noun: "inductor", nodes: 2, read: readPassive("inductor", "l", "inductance")},
	'v': {noun: "voltage source", nodes: 2, read: readSource},
	'i': {noun: "current source", nodes: 2, read: readSource},
	'd': {noun: "diode", nodes: 2, needsModel: true, read: readDevice(diodeSpec)},
	'q': {noun: "BJT", nodes: 3, needsModel: true, read: readDevice(bjtSpec)},
	'm': {noun: "MOSFET", nodes: 4, needsModel: true, read: readDevice(mosSpec)},
	's': {noun: "switch", nodes: 4, needsModel: true, read: readDevice(switchSpec)},
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
			if !kind.needsModel || !e.modelAmongNodes(el, kind.noun, kind.nodes) {
				e.errorf(toPos(l.EndPos), "missing node: %s %q needs %d nodes, found %d", kind.noun, name, kind.nodes, i)
			}
			return
		}
		it := l.Items[i]
		n, ok := atom(it)
		if !ok {
			if !kind.needsModel || !e.modelAmongNodes(el, kind.noun, kind.nodes) {
				e.errorf(toPos(it.Pos), "expected a node name, found %s", itemText(it))
			}
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

// modelAmongNodes reports, as a missing node, a model name read as a node of an element
// whose line has a problem where its nodes or model should be, and says whether it did:
// M1 d g s nmos reads nmos as the bulk node, then misses the model.
func (e *elab) modelAmongNodes(el *Element, noun string, nodes int) bool {
	for i, n := range el.Nodes {
		if e.modelNames[n] {
			e.errorf(el.NodePos[i], "missing node: %s %q needs %d nodes before the model name, found %d", noun, el.Name, nodes, i)
			return true
		}
	}
	return false
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
		var extra extraValues
		for _, it := range rest {
			if extra.check(e, it, el) {
				continue
			}
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

// extraValues finds the values that follow a name=value item after commas, as in m=1,2,
// where the parameter takes a single value. Fed the items of a line in order, check
// reports the first extra value of a parameter (the others are skipped quietly) and says
// whether the item is one.
type extraValues struct {
	param    *Item // the last name=value item, while only comma values follow it
	reported bool
}

func (x *extraValues) check(e *elab, it *Item, el *Element) bool {
	if x.param != nil && bareValue(it) && afterComma(it) {
		if !x.reported {
			name, ok := plainWord(x.param.Key)
			if !ok {
				name = text(trimCommas(x.param.Key.Tokens))
			}
			e.errorf(toPos(it.Pos), "%s of %q takes a single value", name, el.Name)
			x.reported = true
		}
		return true
	}
	x.param, x.reported = nil, false
	if it.Value != nil {
		x.param = it
	}
	return false
}
