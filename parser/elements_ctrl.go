package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/parser/expr"
)

func init() {
	elementKinds['f'] = elementKind{noun: "CCCS", nodes: 2, read: readCurrentControlled("gain")}
	elementKinds['h'] = elementKind{noun: "CCVS", nodes: 2, read: readCurrentControlled("transresistance")}
	elementKinds['k'] = elementKind{noun: "coupling", nodes: 0, read: readCoupling}
	elementKinds['w'] = elementKind{noun: "current-controlled switch", nodes: 2, needsModel: true, read: readCurrentSwitch}
}

// cswSpec is the rest of a W line after its controlling source: a model, on or off.
var cswSpec = deviceSpec{noun: "current-controlled switch", nodes: 2, flags: []string{"on", "off"}}

// readCurrentSwitch reads the rest of a W line: vname model [on|off]. The controlling
// current is the branch current of the voltage source vname (Controls[0]).
func readCurrentSwitch(e *elab, el *Element, rest []*Item, line *ElementLine) {
	if e.controlSource(el, rest, line, "Wname n+ n- vname model [on|off]") {
		readDevice(cswSpec)(e, el, rest[1:], line)
	}
}

// controlSource reads the controlling voltage source, the first of rest, into el's
// Controls; false after an error.
func (e *elab) controlSource(el *Element, rest []*Item, line *ElementLine, usage string) bool {
	if len(rest) == 0 {
		e.errorf(toPos(line.EndPos), "missing controlling source: %s", usage)
		return false
	}
	v, ok := atom(rest[0])
	if !ok || !isLetter(v[0]) {
		e.errorf(toPos(rest[0].Pos), "expected the name of the controlling voltage source, found %s", itemText(rest[0]))
		return false
	}
	e.addControl(el, v, toPos(rest[0].Pos), 'v')
	return true
}

// unsupportedForms are the forms of controlled sources that ngspice reads and gospice
// does not.
var unsupportedForms = map[string]string{
	"laplace": "LAPLACE", "freq": "FREQ", "chebyshev": "CHEBYSHEV",
}

// gateForms are PSpice's logic gates of E sources, E1 out 0 NAND(2) a 0 b 0 (x1,y1)
// (x2,y2): ngspice 39 makes each an XSPICE multi_input_pwl A element (measured with
// listing), which gospice does not have.
var gateForms = map[string]bool{"and": true, "nand": true, "or": true, "nor": true}

// readCurrentControlled reads the rest of an F or H line: vname value.
func readCurrentControlled(what string) func(e *elab, el *Element, rest []*Item, line *ElementLine) {
	return func(e *elab, el *Element, rest []*Item, line *ElementLine) {
		usage := strings.ToUpper(string(el.Kind)) + "name n+ n- vname " + what
		if len(rest) > 0 {
			if w := strings.ToLower(rest[0].Key.Word); unsupportedForms[w] != "" {
				e.errorf(toPos(rest[0].Pos), "%s is not supported (in %q)", unsupportedForms[w], el.Name)
				return
			}
		}
		if !e.controlSource(el, rest, line, usage) {
			return
		}
		if len(rest) == 1 {
			e.errorf(toPos(line.EndPos), "missing %s: %s", what, usage)
			return
		}
		if rest[1].Value != nil {
			e.unexpected(rest[1], "in "+quote(el.Name))
			return
		}
		if v, ok := e.number(rest[1].Key); ok {
			el.Value, el.HasValue, el.ValuePos = v, true, toPos(rest[1].Pos)
		}
		// name=value pairs (m= on F) go to Params; the device checks the names.
		params := paramList{owner: el.Name}
		for _, it := range rest[2:] {
			if it.Value == nil {
				e.unexpected(it, "in "+quote(el.Name))
				continue
			}
			e.addParam(&params, it)
		}
		if params.params != nil || el.extra != nil {
			el.more().params = params.params
		}
	}
}

// addControl adds a controlling element (flat name) to el, to be checked at the end.
func (e *elab) addControl(el *Element, name string, pos Pos, kind byte) {
	flat := e.sc.prefix + name
	el.AddControl(flat, pos)
	e.refs = append(e.refs, ref{name: flat, pos: pos, what: el.Name, kind: kind, inst: e.sc.inst, owner: el.Name})
}

// readCoupling reads the rest of a K line: L1 L2 k.
func readCoupling(e *elab, el *Element, rest []*Item, line *ElementLine) {
	const usage = "Kname L1 L2 k"
	for i := 0; i < 2; i++ {
		if i >= len(rest) {
			e.errorf(toPos(line.EndPos), "missing inductor: %s", usage)
			return
		}
		l, ok := atom(rest[i])
		if !ok || l[0] != 'l' {
			e.errorf(toPos(rest[i].Pos), "expected an inductor name, found %s", itemText(rest[i]))
			return
		}
		e.addControl(el, l, toPos(rest[i].Pos), 'l')
	}
	if len(rest) == 2 {
		e.errorf(toPos(line.EndPos), "missing coupling factor: %s", usage)
		return
	}
	if rest[2].Value != nil {
		e.unexpected(rest[2], "in "+quote(el.Name))
		return
	}
	if v, ok := e.number(rest[2].Key); ok {
		el.Value, el.HasValue, el.ValuePos = v, true, toPos(rest[2].Pos)
	}
	for _, it := range rest[3:] {
		e.unexpected(it, "in "+quote(el.Name))
	}
}

// behavioural reads a B, E or G line from its tokens, where expressions need no quotes:
//
//	Bname n+ n- V=expr | I=expr [name=value ...]
//	Ename n+ n- nc+ nc- gain | Ename n+ n- value=expr | vol=expr
//	Gname n+ n- nc+ nc- gain | Gname n+ n- value=expr | cur=expr
func (e *elab) behavioural(l *srcLine, kind byte) {
	word := strings.ToLower(l.toks[0].Value)
	name := e.sc.prefix + word
	pos := linePos(l)
	if !e.claimName(name, pos) {
		return
	}
	letter := strings.ToUpper(word[:1])
	usage := map[byte]string{
		'b': letter + "name n+ n- V={expr} or I={expr}",
		'e': letter + "name n+ n- nc+ nc- gain, or " + letter + "name n+ n- value={expr}",
		'g': letter + "name n+ n- nc+ nc- gain, or " + letter + "name n+ n- value={expr}",
	}[kind]
	noun := map[byte]string{'b': "behavioural source", 'e': "VCVS", 'g': "VCCS"}[kind]
	el := &Element{Name: name, Kind: kind, Pos: pos}
	toks := lineTokens(l)
	end := toPos(l.toks[len(l.toks)-1].Pos)
	i := 0
	skipCommas := func() {
		for i < len(toks) && toks[i].Type == TokenComma {
			i++
		}
	}
	readNodes := func(n int) bool {
		for k := 0; k < n; k++ {
			skipCommas()
			if i == len(toks) {
				e.errorf(end, "missing node: %s %q needs %d nodes, found %d", noun, name, len(el.Nodes)+n-k, len(el.Nodes))
				return false
			}
			t := toks[i]
			if kind != 'b' && len(el.Nodes) == 2 && gateForms[strings.ToLower(t.Value)] && i+1 < len(toks) && isPunctTok(toks[i+1], "(") {
				e.errorf(toPos(t.Pos), "%s(n), a logic gate form of the controlled source, is an XSPICE multi_input_pwl code model in ngspice 39, which gospice does not simulate (in %q)",
					strings.ToUpper(t.Value), name)
				return false
			}
			if t.Type != TokenIdent && t.Type != TokenNumber || assignAt(toks, i) || unsupportedForms[strings.ToLower(t.Value)] != "" {
				if f := unsupportedForms[strings.ToLower(t.Value)]; f != "" && kind != 'b' {
					e.errorf(toPos(t.Pos), "%s is not supported (in %q)", f, name)
					return false
				}
				if assignAt(toks, i) && len(el.Nodes) == 2 {
					return true // value=..., handled below
				}
				e.errorf(toPos(t.Pos), "expected a node name, found %s", quote(t.Value))
				return false
			}
			el.Nodes = append(el.Nodes, e.elementNode(t.Value))
			el.NodePos = append(el.NodePos, toPos(t.Pos))
			i++
		}
		return true
	}
	n := e.nerr
	if !readNodes(2) {
		return
	}
	skipCommas()
	if i == len(toks) {
		e.errorf(end, "missing %s: %s", map[bool]string{true: "expression", false: "controlling nodes and gain"}[kind == 'b'], usage)
		return
	}
	if kind != 'b' {
		toks = valueWithoutEquals(toks, i)
	}
	if assignAt(toks, i) {
		e.behaviouralExpr(el, kind, toks[i:], usage)
	} else if kind != 'b' && toks[i].Type == TokenIdent && strings.EqualFold(toks[i].Value, "table") {
		e.table(el, toks[i:], end)
	} else if kind == 'b' {
		e.errorf(toPos(toks[i].Pos), "expected V={expr} or I={expr}, found %s", quote(toks[i].Value))
	} else if readNodes(2) {
		if len(el.Nodes) == 2 { // value= came after two nodes only
			e.behaviouralExpr(el, kind, toks[i:], usage)
		} else {
			e.linearGain(el, toks[i:], end, usage)
		}
	}
	if e.nerr == n {
		e.multiply(el)
		e.c.Elements = append(e.c.Elements, el)
	}
}

// behaviouralExpr reads key=expr [name=value ...] of a B, E or G line.
func (e *elab) behaviouralExpr(el *Element, kind byte, toks []lexer.Token, usage string) {
	keys := map[byte][]string{'b': {"v", "i"}, 'e': {"value", "vol"}, 'g': {"value", "cur"}}[kind]
	as := e.assignments(toks, quote(el.Name))
	if len(as) == 0 {
		return
	}
	a := as[0]
	good := false
	for _, k := range keys {
		good = good || a.name == k
	}
	if !good {
		e.errorf(a.pos, "unexpected %s= in %q: %s", a.name, el.Name, usage)
		return
	}
	src := exprFrom(a.value)
	n, ok := e.parseExpr(src)
	if ok {
		n, ok = e.foldExpr(n, src)
	}
	if !ok {
		return
	}
	el.more().expr, el.ValuePos = n, toPos(a.value[0].Pos)
	el.extra.exprKind = "value"
	if kind == 'b' {
		el.extra.exprKind = a.name
	}
	params := map[string]bool{}
	for _, p := range as[1:] {
		if params[p.name] || p.name == a.name {
			e.errorf(p.pos, "duplicate parameter %q of %q", p.name, el.Name)
			continue
		}
		for _, k := range keys {
			if p.name == k {
				e.errorf(p.pos, "%q has two expressions (%s= and %s=)", el.Name, a.name, p.name)
			}
		}
		params[p.name] = true
		v, x, ok := e.tokenValue(p.value)
		par := Param{Name: p.name, Pos: p.pos}
		if ok && e.setParamValue(p.name, p.pos, v, x, &par) {
			ex := el.more()
			ex.params = append(ex.params, par)
		}
	}
}

// table reads the TABLE form of an E or G line, PSpice's piecewise-linear function of an
// expression, as ngspice reads it:
//
//	Ename n+ n- TABLE {expr} [=] (x1,y1) (x2,y2) ...
//
// with the pairs' parentheses and commas free (ngspice reads `((x1,y1)(x2,y2))` and
// stray parentheses alike). Below x1 the value is y1, above the last x the last y. It
// becomes the value expression y1 + sum of slope_k (limit(expr, x_k, x_k+1) - x_k),
// whose derivative is the segment's slope. (ngspice rounds the corners: within about a
// tenth of the shorter neighbouring segment of each x_k its value departs from the
// straight lines; README, "table sources".)
func (e *elab) table(el *Element, toks []lexer.Token, end Pos) {
	const usage = "TABLE {expr} = (x1,y1) (x2,y2) ..."
	if len(toks) < 2 || toks[1].Type != TokenExpr {
		at := end
		if len(toks) >= 2 {
			at = toPos(toks[1].Pos)
		}
		e.errorf(at, "%s: expected {expression} after TABLE: %s", el.Name, usage)
		return
	}
	src := exprFrom(toks[1:2])
	x, ok := e.parseExpr(src)
	if !ok {
		return
	}
	var pts []float64
	for _, t := range toks[2:] {
		switch {
		case t.Type == TokenComma || t.Type == TokenPunct && strings.ContainsAny(t.Value, "()="):
		case t.Type == TokenNumber:
			v, err := parseNumber(t.Value)
			if err != nil {
				e.errorf(toPos(t.Pos), "number out of range: %s", quote(t.Value))
				return
			}
			pts = append(pts, v)
		default:
			e.errorf(toPos(t.Pos), "%s: expected a number in the table, found %s: %s", el.Name, quote(t.Value), usage)
			return
		}
	}
	if len(pts) < 2 || len(pts)%2 != 0 {
		e.errorf(toPos(toks[0].Pos), "%s: TABLE needs (x,y) pairs, found %d numbers: %s", el.Name, len(pts), usage)
		return
	}
	for k := 2; k < len(pts); k += 2 {
		if pts[k] <= pts[k-2] {
			e.errorf(toPos(toks[0].Pos), "%s: the x values of TABLE must increase (%g after %g)", el.Name, pts[k], pts[k-2])
			return
		}
	}
	var value expr.Node = &expr.Num{Value: pts[1]}
	for k := 2; k < len(pts); k += 2 {
		x0, y0, x1, y1 := pts[k-2], pts[k-1], pts[k], pts[k+1]
		clamped := &expr.Call{Func: "limit", Args: []expr.Node{x, &expr.Num{Value: x0}, &expr.Num{Value: x1}}}
		rise := &expr.Binary{Op: "-", X: clamped, Y: &expr.Num{Value: x0}}
		value = &expr.Binary{Op: "+", X: value, Y: &expr.Binary{Op: "*", X: &expr.Num{Value: (y1 - y0) / (x1 - x0)}, Y: rise}}
	}
	n, ok := e.foldExpr(value, src)
	if !ok {
		return
	}
	ex := el.more()
	ex.expr, ex.exprKind, el.ValuePos = n, "value", toPos(toks[1].Pos)
}

// linearGain reads the gain of a linear E or G line.
func (e *elab) linearGain(el *Element, toks []lexer.Token, end Pos, usage string) {
	toks = trimCommas(toks)
	if len(toks) == 0 {
		e.errorf(end, "missing gain: %s", usage)
		return
	}
	// name=value pairs after the gain (m= on G) go to Params; the device checks the names.
	n := 1
	for n < len(toks) && !assignAt(toks, n) {
		n++
	}
	if n < len(toks) {
		for _, a := range e.assignments(toks[n:], quote(el.Name)) {
			if _, dup := el.Param(a.name); dup {
				e.errorf(a.pos, "duplicate parameter %q of %q", a.name, el.Name)
				continue
			}
			v, x, ok := e.tokenValue(a.value)
			if ok && x != nil {
				e.errorf(a.pos, "%s of %q must be a constant, not depend on %s", a.name, el.Name, depends(x))
				ok = false
			}
			if ok {
				ex := el.more()
				ex.params = append(ex.params, Param{Name: a.name, Value: v, Pos: a.pos})
			}
		}
		toks = trimTrailingCommas(toks[:n])
	}
	v, x, ok := e.tokenValue(toks)
	if !ok {
		return
	}
	if x != nil {
		e.errorf(toPos(toks[0].Pos), "the gain of %q must be a constant, not depend on %s (use value={expr})", el.Name, depends(x))
		return
	}
	el.Value, el.HasValue, el.ValuePos = v, true, toPos(toks[0].Pos)
}
