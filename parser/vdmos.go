package parser

import "strings"

// ngspice's VDMOS (vertical power MOSFET, .model name vdmos) is an M element of 3 nodes,
// drain gate source, or 5 with its thermal nodes, drain gate source tj tcase: the word
// that names a vdmos model says how many nodes came before it.

// mosNodes is the number of nodes of an M line whose words after the name are items: 3
// or 5 when the 4th or the 6th word names a vdmos model, else 4.
func (e *elab) mosNodes(items []*Item) int {
	if len(items) > 3 && e.isVDMOSModel(items[3]) {
		return 3
	}
	if len(items) > 5 && !e.isVDMOSModel(items[4]) && e.isVDMOSModel(items[5]) {
		return 5
	}
	return 4
}

// isVDMOSModel reports whether it names a .model of type vdmos visible from here.
func (e *elab) isVDMOSModel(it *Item) bool {
	name, ok := e.modelName(it)
	if !ok {
		return false
	}
	_, d, _ := e.findModel(name)
	if d == nil {
		return false
	}
	toks := lineTokens(d.line)
	return len(toks) > 1 && strings.EqualFold(toks[1].Value, "vdmos")
}

// vdmosString reads the words of a vdmos card that are not name=number: the channel
// type pchan or nchan (a flag, given the value 1), and mfg=word (the manufacturer's
// name, which LTspice's libraries give and ngspice keeps as a string), claimed and
// dropped. It reports whether it took the item.
func (e *elab) vdmosString(m *Model, params *paramList, it *Item) bool {
	k, ok := plainWord(it.Key)
	if m.Type != "vdmos" || !ok {
		return false
	}
	switch {
	case it.Value == nil && (k == "pchan" || k == "nchan"):
		params.params = append(params.params, Param{Name: k, Value: 1, Pos: toPos(it.Pos)})
		return true
	case k == "mfg" && it.Value != nil && it.Value.Word != "" && it.Value.Args == nil:
		e.claim(params, it)
		return true
	}
	return false
}

// hasArg reports whether the element has the flag w among its arguments.
func (el *Element) hasArg(w string) bool {
	for _, a := range el.Args() {
		if !a.IsNumber && a.Word == w {
			return true
		}
	}
	return false
}
