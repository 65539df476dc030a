package parser

import (
	"slices"
	"strings"
	"unicode/utf8"
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
	'j': {noun: "JFET", nodes: 3, needsModel: true, read: readDevice(jfetSpec)},
	's': {noun: "switch", nodes: 4, needsModel: true, read: readDevice(switchSpec)},
	't': {noun: "transmission line", nodes: 4, read: readTLine},
	'u': {noun: "URC line", nodes: 3, needsModel: true, read: readDevice(deviceSpec{noun: "URC line", nodes: 3})},
	'o': {noun: "lossy transmission line", nodes: 4, needsModel: true, read: readDevice(deviceSpec{noun: "lossy transmission line", nodes: 4,
		lists: map[string]listSpec{"ic": {max: 4, usage: "ic=v1,i1,v2,i2"}}})},
	'z': {noun: "MESFET", nodes: 3, needsModel: true, read: readDevice(mesfetSpec)},
}

// yTypes are the device types of Y elements, Xyce's form for devices beyond SPICE's
// letters: YMEMRISTOR name n+ n- model [f0=..] [r0=..].
var yTypes = map[string]elementKind{
	"memristor": {noun: "memristor", nodes: 2, needsModel: true, read: readDevice(memristorSpec)},
	// YSYNAPSE name pre post model [gmax=..] [p=..] [winit=..] (devices/synapse).
	"synapse": {noun: "synapse", nodes: 2, needsModel: true, read: readDevice(deviceSpec{noun: "synapse", nodes: 2})},
}

// elementLine reads an element line in the current scope.
func (e *elab) elementLine(l *srcLine) {
	if e.tooMany {
		return
	}
	if len(e.insts) == 0 {
		e.topLines++
	}
	if len(e.c.Elements)+e.ninst-e.topLines >= maxElements {
		e.errorf(linePos(l), "the flat circuit has more than %d elements and instances (subcircuits flattened)", maxElements)
		e.tooMany = true
		return
	}
	if c := l.first(); polyKinds[c] && e.polyLine(l, c) {
		return // POLY(n) forms of E, F, G, H (poly.go)
	}
	switch c := l.first(); c {
	case 'x':
		e.instance(l)
		return
	case 'b', 'e', 'g':
		e.behavioural(l, c)
		return
	}
	ast, synErr := e.elementSyntax(l)
	if ast == nil || ast.Element == nil {
		e.errorf(synErr.Pos, "%s", synErr.Msg)
		return
	}
	e.element(ast.Element)
}

// claimName registers the flat name of an element, reporting a duplicate.
func (e *elab) claimName(name string, pos Pos) bool {
	at := nameLine{file: e.nameFile(pos.File), line: int32(pos.Line)}
	if e.claimer != nil {
		e.claimer.claim(name, at) // a duplicate has the elaboration made again (claimnames.go)
	} else if first, ok := e.names[name]; ok {
		at := Pos{File: e.nameFiles[first.file], Line: first.line}
		e.errorf(pos, "duplicate element name %q (first defined at %s)", name, lineOf(at))
		return false
	} else {
		e.names[name] = at
	}
	e.current = name
	d := e.spareDraw
	if d == nil {
		d = new(drawCtx)
	}
	e.spareDraw = nil
	*d = drawCtx{elem: name}
	e.draw = d // the stream of the line's random functions
	return true
}

// nameLine is where a flat element name was first claimed: the file (an index into
// elab.nameFiles) and the line, all that the message of a duplicate says of it, in a
// quarter of a Pos's room, for the map of names has an entry per element.
type nameLine struct{ file, line int32 }

// nameFile is the index of a file's name in e.nameFiles.
func (e *elab) nameFile(file string) int32 {
	if int(e.lastFile) < len(e.nameFiles) && e.nameFiles[e.lastFile] == file {
		return e.lastFile // most elements are in the file of the one before
	}
	i := slices.Index(e.nameFiles, file)
	if i < 0 {
		i = len(e.nameFiles)
		e.nameFiles = append(e.nameFiles, file)
	}
	e.lastFile = int32(i)
	return e.lastFile
}

// element reads an element line into the circuit.
func (e *elab) element(l *ElementLine) {
	name := e.lowered.lower(l.Name)
	pos := toPos(l.Pos)
	if name[0] == 'y' {
		e.yElement(l, name[1:], pos)
		return
	}
	if !e.claimName(e.sc.prefix+name, pos) {
		return
	}
	kind, ok := elementKinds[name[0]]
	if name[0] == 'p' {
		kind, ok = cplKind, true
		kind.nodes = cplNodes(l.Items)
	}
	if !ok {
		if isLetter(name[0]) {
			e.errorf(pos, "unknown element %q (kind %c is not supported)", name, name[0]-'a'+'A')
		} else {
			e.errorf(pos, "unknown element %q (an element name starts with a letter)", name)
		}
		return
	}
	el := e.blocks.element()
	el.Name, el.Kind, el.Pos = e.sc.prefix+name, name[0], pos
	e.readElement(l, el, kind, l.Items)
}

// yElement reads Y<type> name nodes... : the instance's name is the second word.
func (e *elab) yElement(l *ElementLine, typ string, pos Pos) {
	kind, ok := yTypes[typ]
	if !ok {
		e.txlElement(l, pos)
		return
	}
	if len(l.Items) == 0 {
		e.errorf(toPos(l.EndPos), "missing name: Y%s needs an instance name, nodes and a model", strings.ToUpper(typ))
		return
	}
	name, ok := atom(l.Items[0])
	if !ok {
		e.errorf(toPos(l.Items[0].Pos), "expected the %s's name, found %s", kind.noun, itemText(l.Items[0]))
		return
	}
	name = e.sc.prefix + name
	if !e.claimName(name, toPos(l.Items[0].Pos)) {
		return
	}
	el := e.blocks.element()
	el.Name, el.Kind, el.Pos = name, 'y', pos
	el.more().typ = typ
	e.readElement(l, el, kind, l.Items[1:])
}

// txlKind is ngspice's single lossy line, Y name n1 n2 n3 n4 model (.model name txl).
var txlKind = elementKind{noun: "TXL line", nodes: 4, needsModel: true, read: readDevice(deviceSpec{noun: "TXL line", nodes: 4})}

// txlElement reads a Y element whose name is not a device type (ngspice's Y1 n1 n2 n3 n4
// model): a TXL line, whose model says which (devices).
func (e *elab) txlElement(l *ElementLine, pos Pos) {
	name := e.sc.prefix + strings.ToLower(l.Name)
	if !e.claimName(name, pos) {
		return
	}
	el := e.blocks.element()
	el.Name, el.Kind, el.Pos = name, 'y', pos
	el.more().typ = "txl"
	e.readElement(l, el, txlKind, l.Items)
}

// readElement reads the nodes and the rest of an element line from items.
func (e *elab) readElement(l *ElementLine, el *Element, kind elementKind, items []*Item) {
	name := el.Name
	e.rawNodes = e.rawNodes[:0] // the node names as written
	if el.Kind == 'm' {
		kind.nodes = e.mosNodes(items) // 3 or 5 for a VDMOS
	}
	el.Nodes, el.NodePos = e.blocks.nodes(kind.nodes)
	for i := 0; i < kind.nodes; i++ {
		if i >= len(items) {
			if !kind.needsModel || !e.modelAmongNodes(el, kind.noun, kind.nodes) {
				e.errorf(toPos(l.EndPos), "missing node: %s %q needs %d nodes, found %d", kind.noun, name, kind.nodes, i)
			}
			return
		}
		it := items[i]
		n, ok := atom(it)
		if !ok {
			if !kind.needsModel || !e.modelAmongNodes(el, kind.noun, kind.nodes) {
				e.errorf(toPos(it.Pos), "expected a node name, found %s", itemText(it))
			}
			return
		}
		e.rawNodes = append(e.rawNodes, n)
		el.Nodes = append(el.Nodes, e.elementNode(n))
		el.NodePos = append(el.NodePos, toPos(it.Pos))
	}
	n := e.nerr
	kind.read(e, el, items[kind.nodes:], l)
	if el.Kind == 'm' && e.nerr == n {
		e.scaleParams(el) // before the card is chosen
	}
	if el.Kind == 'r' && el.Expr() != nil && el.Model != "" && e.nerr == n {
		// ngspice makes a B source of it and drops the model, tc1 and all (measured with
		// ngspice 39: R1 a 0 rm r={1k*(1+0*v(a))} with .model rm r tc1=0.01 is 1k at
		// 127 C). SKY130's poly resistors are written so.
		e.warnf(el.ModelPos(), "model %q of %q ignored: ngspice ignores the model of a resistor whose value is an expression of the simulation", el.Model, el.Name)
		el.Model = ""
	}
	modelErrs := e.modelErrs
	if el.Model != "" && e.nerr == n {
		if flat, ok := e.useModel(el); ok {
			el.Model = flat
		}
	}
	if el.Kind != 'm' && e.nerr == n {
		e.scaleOther(el)
	}
	// The errors of the model's line, elaborated on its first use, are not the element's.
	if e.nerr-(e.modelErrs-modelErrs) == n {
		e.multiply(el)
		e.c.Elements = append(e.c.Elements, el)
	}
}

// modelAmongNodes reports, as a missing node, a model name read as a node of an element
// whose line has a problem where its nodes or model should be, and says whether it did:
// M1 d g s nmos reads nmos as the bulk node, then misses the model.
func (e *elab) modelAmongNodes(el *Element, noun string, nodes int) bool {
	for i, n := range e.rawNodes {
		if e.isModel(n) {
			e.errorf(el.NodePos[i], "missing node: %s %q needs %d nodes before the model name, found %d", noun, el.Name, nodes, i)
			return true
		}
	}
	return false
}

// readPassive reads the rest of an R, C or L line: [value] [model] [name=value ...], where
// the value may also be given as key=value (r=1k) or long=value (resistance=1k). A word in
// the value's place is a model name, unless it names a parameter and no model. The value
// is required unless a model is given. A value that depends on probes, time or temper
// (r='res*(1+0.03*v(c))') goes to Expr, with ExprKind "value".
func readPassive(noun, key, long string) func(e *elab, el *Element, rest []*Item, line *ElementLine) {
	return func(e *elab, el *Element, rest []*Item, line *ElementLine) {
		tried := false // a value was given, maybe with an error
		n := e.nerr
		setValue := func(it *Item, t *Term) {
			if tried {
				// ngspice 39 takes the last one (measured: R1 a 0 r=1k r=2k is 2k).
				e.warnf(toPos(it.Pos), "%s of %q given again: the last value is used, as in ngspice", long, el.Name)
				el.HasValue = false
				if el.extra != nil {
					el.extra.expr, el.extra.exprKind = nil, ""
				}
			}
			tried = true
			v, x, ok := e.value(t)
			switch {
			case !ok:
			case x != nil:
				// It depends on probes, time or temper: a behavioural element.
				ex := el.more()
				ex.expr, ex.exprKind, el.ValuePos = x, "value", toPos(t.Pos)
			default:
				el.Value, el.HasValue, el.ValuePos = v, true, toPos(t.Pos)
				if t.Number != "" {
					e.checkUnit(el, t.Number, v)
				}
			}
		}
		params := paramList{owner: el.Name}
		var extra extraValues
		for _, it := range rest {
			if extra.tcSecond(it, el) {
				// tc=a,b on a resistor is tc1=a tc2=b, as ngspice reads it in
				// vendors' models (MCP6041.txt: R31 31 0 1 TC=2.25M,-15U).
				v := *it.Key
				v.Tokens = trimCommas(v.Tokens)
				e.addParam(&params, &Item{Pos: it.Pos, Key: &Term{Pos: it.Pos, Word: "tc2"}, Value: &v, Tokens: it.Tokens})
				continue
			}
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
				if el.Model != "" && tried {
					e.unexpected(it, "after the model name")
					continue
				}
				setValue(it, t) // R a b MODEL value, PSpice's order, is read by ngspice 39 too
			case word && el.Model == "" && !e.isModel(w) && e.isParam(w):
				setValue(it, t) // R1 a b rval, with .param rval=1k: ngspice takes the value
			case word && el.Model == "":
				el.Model, el.more().modelPos = w, toPos(t.Pos)
			default:
				e.unexpected(it, "in "+quote(el.Name))
			}
		}
		if params.params != nil || el.extra != nil {
			el.more().params = params.params
		}
		if !tried && el.Model == "" && e.nerr == n {
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
	tc2      bool // the value after tc= was read as tc2
}

// tcSecond reports whether it is b of tc=a,b on a resistor, the second temperature
// coefficient, and takes it if so; a third value is left to check.
func (x *extraValues) tcSecond(it *Item, el *Element) bool {
	if el.Kind != 'r' || x.param == nil || x.tc2 || x.reported || !bareValue(it) || !afterComma(it) {
		return false
	}
	if w, _ := plainWord(x.param.Key); w != "tc" {
		return false
	}
	x.tc2 = true
	return true
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
	x.param, x.reported, x.tc2 = nil, false, false
	if it.Value != nil {
		x.param = it
	}
	return false
}

// elementBlocks hands out Elements and their node lists from blocks made for many at a
// time: a large netlist has hundreds of thousands of elements, and one allocation each,
// with its node names and their places, took a quarter of its elaboration. The blocks
// grow as the elements do, so that a small netlist makes small ones.
type elementBlocks struct {
	els   []Element
	names []string
	pos   []Pos
	size  int          // of the next block of elements
	ahead *blocksAhead // full-size blocks made on another core (blocksahead.go), or nil

	bigEls, bigNodes int // elements and nodes still to come from large blocks (reserve)
}

// bigElements and bigNodes are the sizes of reserve's blocks: 4.75 MiB of elements (152
// bytes each), 4 and 6 MiB of node names and places, each large enough to hold whole 2
// MiB pages. (Blocks of 2 and 3 MiB of nodes, with elements of 280 bytes in blocks of
// 4.6 MiB, took 5,000 more page faults in the mesh's check, at the same peak; blocks of
// 9.5 MiB of the 152-byte elements took as many as these.)
const (
	bigElements = 1 << 15
	bigNodes    = 1 << 18
)

// lowerArena makes lowercase copies of names in blocks it shares between many: the
// names of a large netlist's elements (R12, C3) cost one allocation per block rather than
// one each. The strings it returns stay valid: a block's bytes are never written again.
type lowerArena struct{ block strings.Builder }

// lowerBlock is the size of a lowerArena's blocks, in bytes.
const lowerBlock = 32 << 10

// lower is strings.ToLower(s), made in the arena when s has an ASCII capital and nothing
// beyond ASCII.
func (a *lowerArena) lower(s string) string {
	capital := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			return strings.ToLower(s)
		} else if 'A' <= c && c <= 'Z' {
			capital = true
		}
	}
	if !capital {
		return s
	}
	if a.block.Cap()-a.block.Len() < len(s) {
		a.block = strings.Builder{} // the names in the full block keep it
		a.block.Grow(max(lowerBlock, len(s)))
	}
	start := a.block.Len()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		a.block.WriteByte(c)
	}
	return a.block.String()[start:]
}

// reserve has the next els elements and nodes node names and places come from large
// blocks (bigElements, bigNodes) that ask for transparent huge pages: the elements of a
// large netlist's top level (75 MB in the 269,407-line mesh) then fault in one page per
// 2 MiB, not per 4 KiB (tens of thousands of page faults, the largest part of the
// kernel's time in loading it). The blocks are made as they are needed, not at once, so
// that the garbage collector runs when it did with small ones. On two cores they are
// made, and their pages first written, on the other core, ahead (blocksahead.go).
func (b *elementBlocks) reserve(els, nodes int) {
	b.bigEls, b.bigNodes = els, nodes
}

// topElements counts the elements that the lines of body, a large netlist's top level,
// make from elementBlocks, and their nodes (at most: a line with errors makes none; a
// VDMOS has a fifth node, and its list then moves to memory of its own), and says whether
// it has instances, whose elements come from other blocks.
func topElements(body []*srcLine) (els, nodes int, insts bool) {
	for _, l := range body {
		if l.compact.text == "" {
			switch l.toks[0].Type {
			case TokenNewline, TokenTitle, TokenDot: // as line reads them
				continue
			}
		}
		c := l.first()
		if k, ok := elementKinds[c]; ok {
			els, nodes = els+1, nodes+k.nodes
		} else if c == 'y' {
			els, nodes = els+1, nodes+txlKind.nodes // the most a Y element has
		} else if c == 'x' {
			insts = true
		}
	}
	return els, nodes, insts
}

// element is a new zero Element.
func (b *elementBlocks) element() *Element {
	if len(b.els) == 0 && b.bigEls > 0 {
		n := min(b.bigEls, bigElements)
		b.bigEls -= n
		b.els = b.ahead.topElements(n)
	} else if len(b.els) == 0 {
		b.size = min(max(2*b.size, 8), elementBlock)
		b.els = b.ahead.elements(b.size)
	}
	el := &b.els[0]
	b.els = b.els[1:]
	return el
}

// nodes are empty lists of n node names and of their places, whose capacity is n: an
// append beyond it moves the list to memory of its own.
func (b *elementBlocks) nodes(n int) ([]string, []Pos) {
	if len(b.names) < n && b.bigNodes > 0 {
		k := min(b.bigNodes, bigNodes)
		b.bigNodes -= k
		b.names, b.pos = b.ahead.topNodeLists(k) // taken in turn, even when k < n
	}
	if len(b.names) < n {
		k := max(4*b.size, n)
		b.names, b.pos = b.ahead.nodeLists(k)
	}
	names, pos := b.names[:0:n], b.pos[:0:n]
	b.names, b.pos = b.names[n:], b.pos[n:]
	return names, pos
}
