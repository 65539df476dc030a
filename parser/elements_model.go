package parser

import "strings"

// deviceSpec says how the rest of a D, Q, M or S line is read: after the nodes comes the
// model name (required), then for D and Q an optional number, the area, then flags and
// name=value parameters in any order. Parameter names are not checked here: the device
// knows them.
type deviceSpec struct {
	noun      string // as in elementKinds
	nodes     int    // as in elementKinds
	area      bool   // a number right after the model is the area
	substrate bool   // Q: a word before the model may be a 4th node
	thermal   bool   // D: a word before a defined model is ngspice's thermal node (a 3rd node)
	flags     []string
	lists     map[string]listSpec // parameters that take several values
}

// listSpec is a vector parameter: at most max values, named in usage.
type listSpec struct {
	max   int
	usage string // "ic=vbe,vce"
}

var (
	diodeSpec = deviceSpec{noun: "diode", nodes: 2, area: true, thermal: true, flags: []string{"off", "thermal"}}
	bjtSpec   = deviceSpec{noun: "BJT", nodes: 3, area: true, substrate: true, flags: []string{"off"},
		lists: map[string]listSpec{"ic": {2, "ic=vbe,vce"}}}
	mosSpec = deviceSpec{noun: "MOSFET", nodes: 4, flags: []string{"off", "thermal"},
		lists: map[string]listSpec{"ic": {3, "ic=vds,vgs,vbs"}}}
	switchSpec    = deviceSpec{noun: "switch", nodes: 4, flags: []string{"on", "off"}}
	memristorSpec = deviceSpec{noun: "memristor", nodes: 2}
	tlineSpec     = deviceSpec{noun: "transmission line", nodes: 4,
		lists: map[string]listSpec{"ic": {4, "ic=v1,i1,v2,i2"}}}
)

// readTLine reads the rest of a T line: name=value parameters (z0, td, f, nl, ic), no model.
func readTLine(e *elab, el *Element, rest []*Item, _ *ElementLine) {
	e.deviceParams(tlineSpec, el, rest, false)
}

func (s deviceSpec) isFlag(w string) bool {
	for _, f := range s.flags {
		if f == w {
			return true
		}
	}
	return false
}

// modelName returns the lowercase name of a model in a model name's place: a word, or a
// number-shaped word (ngspice allows 1n4148, which is not a number, and also names that
// are) when a .model line defines it.
func (e *elab) modelName(it *Item) (string, bool) {
	if it.Value != nil {
		return "", false
	}
	if w, ok := plainWord(it.Key); ok {
		return w, true
	}
	if n := strings.ToLower(it.Key.Number); n != "" && e.isModel(n) {
		return n, true
	}
	return "", false
}

// readDevice reads the rest of a line of an element with a model; see deviceSpec.
func readDevice(spec deviceSpec) func(e *elab, el *Element, rest []*Item, line *ElementLine) {
	return func(e *elab, el *Element, rest []*Item, line *ElementLine) {
		i := 0
		// Q's 4th word is the substrate node unless it names a model; an undefined model
		// name is taken for one when no model name follows. A 5th word before a defined
		// model is the thermal node (VBIC's self-heating).
		if spec.substrate && len(rest) >= 2 {
			if n, ok := atom(rest[0]); ok && !e.isModel(n) {
				if m, ok := e.modelName(rest[1]); ok && !spec.isFlag(m) {
					el.Nodes = append(el.Nodes, e.elementNode(n))
					el.NodePos = append(el.NodePos, toPos(rest[0].Pos))
					i = 1
				}
			}
			if i == 1 && len(rest) >= 3 {
				if n, ok := atom(rest[1]); ok && !e.isModel(n) {
					if m, ok := e.modelName(rest[2]); ok && e.isModel(m) {
						el.Nodes = append(el.Nodes, e.elementNode(n))
						el.NodePos = append(el.NodePos, toPos(rest[1].Pos))
						i = 2
					}
				}
			}
		}
		if i == len(rest) {
			if !e.modelAmongNodes(el, spec.noun, spec.nodes) {
				e.errorf(toPos(line.EndPos), "missing model: %s %q needs a model name", spec.noun, el.Name)
			}
			return
		}
		name, ok := e.modelName(rest[i])
		if !ok {
			if !e.modelAmongNodes(el, spec.noun, spec.nodes) {
				e.errorf(toPos(rest[i].Pos), "expected a model name, found %s", itemText(rest[i]))
			}
			return
		}
		if spec.thermal && !e.isModel(name) && i+1 < len(rest) {
			if m, ok := e.modelName(rest[i+1]); ok && e.isModel(m) {
				// D name a k tj model: the word before the model is the thermal node.
				el.Nodes = append(el.Nodes, e.elementNode(name))
				el.NodePos = append(el.NodePos, toPos(rest[i].Pos))
				i++
				name = m
			}
		}
		el.Model, el.more().modelPos = name, toPos(rest[i].Pos)
		i++
		area := false
		if spec.area && i < len(rest) && bareValue(rest[i]) {
			area = true
			if v, ok := e.number(rest[i].Key); ok {
				ex := el.more()
				ex.args = append(ex.args, Arg{Number: v, IsNumber: true, Pos: toPos(rest[i].Pos)})
			}
			i++
		}
		e.deviceParams(spec, el, rest[i:], area)
	}
}

// deviceParams reads the flags and name=value parameters after the model (and area).
func (e *elab) deviceParams(spec deviceSpec, el *Element, rest []*Item, area bool) {
	params := paramList{owner: el.Name}
	flag := "" // the flag given, if any
	var extra extraValues
	for i := 0; i < len(rest); i++ {
		it := rest[i]
		if extra.check(e, it, el) {
			continue
		}
		if it.Value != nil {
			k, ok := plainWord(it.Key)
			switch ls, isList := spec.lists[k]; {
			case ok && spec.isFlag(k):
				e.unexpected(it, "in "+quote(el.Name)+" ("+k+" takes no value)")
			case ok && k == "area" && area:
				e.errorf(toPos(it.Pos), "area of %q given twice", el.Name)
			case ok && isList:
				j := i + 1
				for j < len(rest) && bareValue(rest[j]) {
					j++
				}
				if n := j - i; n > ls.max {
					e.errorf(toPos(rest[i+ls.max].Pos), "%s of %q takes at most %d values (%s), found %d", k, el.Name, ls.max, ls.usage, n)
				} else {
					e.addList(&params, it, rest[i+1:j])
				}
				i = j - 1
			default:
				e.addParam(&params, it)
			}
			continue
		}
		w, word := plainWord(it.Key)
		switch {
		case word && spec.isFlag(w):
			at := toPos(it.Pos)
			switch {
			case w == "thermal" && el.hasArg(w):
				e.errorf(at, "%s given twice in %q", w, el.Name)
			case w == "thermal": // a VDMOS's self-heating, with off or without
				ex := el.more()
				ex.args = append(ex.args, Arg{Word: w, Pos: at})
			case flag == "":
				ex := el.more()
				ex.args = append(ex.args, Arg{Word: w, Pos: at})
				flag = w
			case flag == w:
				e.errorf(at, "%s given twice in %q", w, el.Name)
			default:
				e.errorf(at, "%q cannot be both %s and %s", el.Name, flag, w)
			}
		case bareValue(it) && spec.area:
			e.unexpected(it, "in "+quote(el.Name)+" (the area goes right after the model name)")
		case bareValue(it):
			e.unexpected(it, "in "+quote(el.Name)+" (parameters are written name=value)")
		default:
			e.unexpected(it, "in "+quote(el.Name))
		}
	}
	if params.params != nil || el.extra != nil {
		el.more().params = params.params
	}
}
