package parser

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/parser/expr"
)

// subcktDef is a .subckt definition, or the netlist's top level (the root, with no name).
// Definitions nest: one written inside another is visible only there, as ngspice has it.
type subcktDef struct {
	name    string
	pos     Pos // of the .subckt line
	namePos Pos
	ports   []string
	formals []*paramDef // its parameters with their defaults, in order

	parent    *subcktDef
	body      []*srcLine              // its lines but .param, .func, .subckt and what they hold
	subs      map[string]*subcktDef   // the definitions written inside it
	params    []*paramDef             // its .param lines' definitions
	funcs     map[string]*funcDef     // its .func lines
	models    map[string]*modelDecl   // its .model lines, by name (see models.go)
	modelList []*modelDecl            // the same, in order
	bins      map[string][]*modelDecl // the cards stem.1, stem.2 ... of each stem, in order
	lazy      []*lazyBody             // its body, when left for later (see lazybody.go)
}

func newDef(name string, parent *subcktDef) *subcktDef {
	return &subcktDef{name: name, parent: parent, subs: map[string]*subcktDef{},
		funcs: map[string]*funcDef{}, models: map[string]*modelDecl{}, bins: map[string][]*modelDecl{}}
}

func (d *subcktDef) addFunc(e *elab, f *funcDef) {
	if first, dup := d.funcs[f.name]; dup {
		e.errorf(f.pos, "duplicate function %q (first defined at %s)", f.name, lineOf(first.pos))
		return
	}
	d.funcs[f.name] = f
}

// find looks a subcircuit up from d's body: among the definitions written in d, then in
// the definitions around d.
func (d *subcktDef) find(name string) *subcktDef {
	for s := d; s != nil; s = s.parent {
		if sub, ok := s.subs[name]; ok {
			return sub
		}
	}
	return nil
}

func (d *subcktDef) visibleSubckts() []string {
	var names []string
	for s := d; s != nil; s = s.parent {
		for n := range s.subs {
			names = append(names, n)
		}
	}
	return names
}

// structure sorts the lines of the netlist into the root definition and the .subckt
// definitions, and reads the .param, .func and .global lines.
func (e *elab) structure(lines []*srcLine) *subcktDef {
	root := newDef("", nil)
	root.body = make([]*srcLine, 0, len(lines)) // most lines of a large netlist are its own
	e.root = root
	stack := []*subcktDef{root}
	var ifs []*ifState
	for _, l := range lines {
		if e.cancelled() {
			return root
		}
		top := stack[len(stack)-1]
		cmd := dotName(l)
		switch cmd {
		case ".if", ".elseif", ".else", ".endif":
			ifs = e.conditional(l, cmd, ifs, root, len(stack) > 1)
			continue
		}
		if len(ifs) > 0 && !ifs[len(ifs)-1].active {
			continue
		}
		if b := l.lazyBody(); b != nil {
			top.lazy = append(top.lazy, b)
			continue
		}
		switch cmd {
		case ".subckt":
			d := e.subcktHeader(l, top)
			if d == nil {
				d = newDef("", top) // keep its lines away from the level around it
			}
			stack = append(stack, d)
		case ".ends":
			if len(stack) == 1 {
				e.errorf(linePos(l), ".ends without .subckt")
				continue
			}
			if toks := lineTokens(l); len(toks) > 0 && top.name != "" {
				if name := strings.ToLower(toks[0].Value); name != top.name {
					e.warnf(toPos(toks[0].Pos), ".ends %s closes .subckt %s (%s)", name, top.name, lineOf(top.pos))
				}
			}
			stack = stack[:len(stack)-1]
		case ".param", ".params", ".parameter", ".parameters":
			e.paramLine(l, top)
		case ".func":
			e.funcLine(l, top)
		case ".step":
			if len(stack) > 1 {
				// Reported here, so that a definition without instances has it too.
				e.errorf(linePos(l), ".step inside .subckt %s is not supported", top.name)
				continue
			}
			top.body = append(top.body, l)
		case ".global":
			for _, t := range lineTokens(l) {
				if t.Type == TokenIdent || t.Type == TokenNumber {
					e.globals[node(t.Value)] = true
				} else if t.Type != TokenComma {
					e.errorf(toPos(t.Pos), "expected a node name, found %s", quote(t.Value))
				}
			}
		case ".model":
			e.declareModel(top, l)
		default:
			top.body = append(top.body, l)
		}
	}
	for _, d := range stack[1:] {
		if d.name != "" {
			e.errorf(d.pos, "missing .ends for .subckt %s", d.name)
		}
	}
	for _, f := range ifs {
		e.errorf(f.pos, "missing .endif for .if")
	}
	return root
}

// ifState is an open .if block.
type ifState struct {
	pos    Pos
	outer  bool // the lines around the block are read
	active bool // the lines of the current branch are read
	taken  bool // a branch has been taken
	inElse bool
}

// conditional reads .if, .elseif, .else and .endif. A condition is an expression of the
// top-level parameters defined before it (as ngspice's, which evaluates them in order).
func (e *elab) conditional(l *srcLine, cmd string, ifs []*ifState, root *subcktDef, inSubckt bool) []*ifState {
	var top *ifState
	if len(ifs) > 0 {
		top = ifs[len(ifs)-1]
	}
	pos := linePos(l)
	if cmd != ".if" && top == nil {
		e.errorf(pos, "%s without .if", cmd)
		return ifs
	}
	switch cmd {
	case ".if":
		outer := top == nil || top.active
		f := &ifState{pos: pos, outer: outer}
		if outer {
			f.active = e.condition(l, root, inSubckt)
			f.taken = f.active
		}
		return append(ifs, f)
	case ".elseif":
		if top.inElse {
			e.errorf(pos, ".elseif after .else")
			return ifs
		}
		top.active = false
		if top.outer && !top.taken {
			top.active = e.condition(l, root, inSubckt)
			top.taken = top.active
		}
	case ".else":
		if top.inElse {
			e.errorf(pos, ".else after .else")
			return ifs
		}
		top.inElse = true
		top.active = top.outer && !top.taken
		top.taken = true
	case ".endif":
		return ifs[:len(ifs)-1]
	}
	return ifs
}

// condition evaluates the condition of .if or .elseif.
func (e *elab) condition(l *srcLine, root *subcktDef, inSubckt bool) bool {
	toks := lineTokens(l)
	if len(toks) == 0 {
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing condition: %s (expression)", dotName(l))
		return false
	}
	if inSubckt {
		e.errorf(linePos(l), "%s inside .subckt is not supported", dotName(l))
		return false
	}
	saved, savedDraw := e.sc, e.draw
	e.sc = e.topScope(root, true) // the parameters defined so far
	e.draw = e.dotDraw(".if")
	defer func() { e.sc, e.draw = saved, savedDraw }()
	v, n, ok := e.tokenValue(equalsCompare(toks)) // tolerate.go
	if ok && n != nil {
		e.errorf(toPos(toks[0].Pos), "the condition of %s must be a constant, not depend on %s", dotName(l), depends(n))
		return false
	}
	return ok && v != 0
}

// subcktHeader reads .subckt name nodes... [params:] [name=value ...] and registers the
// definition in parent.
func (e *elab) subcktHeader(l *srcLine, parent *subcktDef) *subcktDef {
	const usage = ".subckt name nodes... [params: name=value ...]"
	toks := lineTokens(l)
	if len(toks) == 0 {
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing subcircuit name: %s", usage)
		return nil
	}
	if toks[0].Type != TokenIdent && toks[0].Type != TokenNumber {
		e.errorf(toPos(toks[0].Pos), "expected a subcircuit name, found %s", quote(toks[0].Value))
		return nil
	}
	d := newDef(strings.ToLower(toks[0].Value), parent)
	d.pos, d.namePos = linePos(l), toPos(toks[0].Pos)
	nodes, params := splitParams(toks[1:])
	seen := map[string]bool{}
	for _, t := range nodes {
		if t.Type != TokenIdent && t.Type != TokenNumber {
			e.errorf(toPos(t.Pos), "expected a node name, found %s", quote(t.Value))
			return nil
		}
		n := node(t.Value)
		if seen[n] {
			e.errorf(toPos(t.Pos), "node %s appears twice in .subckt %s", n, d.name)
			return nil
		}
		seen[n] = true
		d.ports = append(d.ports, n)
	}
	fseen := map[string]bool{}
	for _, p := range e.paramDefs(e.assignments(params, ".subckt "+d.name)) {
		if fseen[p.name] {
			e.errorf(p.pos, "duplicate parameter %q of .subckt %s", p.name, d.name)
			continue
		}
		fseen[p.name] = true
		d.formals = append(d.formals, p)
	}
	if first, dup := parent.subs[d.name]; dup {
		e.errorf(d.namePos, "duplicate .subckt %s (first defined at %s)", d.name, lineOf(first.pos))
		return nil
	}
	parent.subs[d.name] = d
	return d
}

// splitParams cuts the words of a .subckt or X line at its parameters: the first
// name=value, or the word params:.
func splitParams(toks []lexer.Token) (words, params []lexer.Token) {
	for i, t := range toks {
		if t.Type == TokenIdent {
			if rest, ok := paramsPrefix(t.Value); ok {
				params = toks[i:]
				if rest == "" {
					params = toks[i+1:]
				}
				return words, params
			}
		}
		if assignAt(toks, i) {
			return words, toks[i:]
		}
		if t.Type != TokenComma {
			words = append(words, t)
		}
	}
	return words, nil
}

// scope is an instance of a definition (or the top level) being flattened: how its local
// names become flat names, and its parameters.
type scope struct {
	def    *subcktDef
	parent *scope            // the instance of the definition around def (nil at the top)
	prefix string            // of the flat names of its elements and nodes: "x1.x2."
	inst   string            // the instance's flat name, "x1.x2"; "" at the top
	ports  map[string]string // port name -> the flat node connected to it
	params map[string]*paramDef
	state  map[string]int
	vals   map[string]float64
	texts  map[string]string // the string parameters joined so far (strparams.go)
	funcs  map[string]*expr.Func
	mult   float64 // the product of the m= of the X lines that made it (1 at the top)
}

// newScope makes the scope of an instance of def (or of the top level), with the values
// given by the instance (fixed) in place of the defaults.
func (e *elab) newScope(def *subcktDef, parent *scope, inst string, fixed []*paramDef) *scope {
	sc := &scope{def: def, parent: parent, inst: inst, ports: map[string]string{},
		params: map[string]*paramDef{}, state: map[string]int{}, vals: map[string]float64{},
		funcs: map[string]*expr.Func{}, mult: 1}
	if inst != "" {
		sc.prefix = inst + "."
	}
	if parent != nil {
		for n, f := range parent.funcs {
			sc.funcs[n] = f
		}
	}
	for n, f := range def.funcs {
		sc.funcs[n] = f.fn
	}
	for _, p := range def.formals {
		sc.params[p.name] = p
	}
	given := map[string]bool{}
	for _, p := range fixed {
		sc.params[p.name] = p
		given[p.name] = true
	}
	for _, p := range def.params {
		if given[p.name] {
			continue // the instance's value wins over the .param line's
		}
		if first, dup := sc.params[p.name]; dup && first.src != nil && first.pos != p.pos {
			what := "parameter"
			if slices.Contains(def.formals, first) {
				what = "parameter of .subckt " + def.name
			}
			saved := e.sc
			e.sc = sc
			e.warnf(p.pos, "%s %q defined again (first at %s): this definition is used", what, p.name, lineOf(first.pos))
			e.sc = saved
		}
		sc.params[p.name] = p
	}
	for name, v := range e.variant.SubcktParams[def.name] {
		if _, ok := sc.params[name]; ok {
			sc.params[name] = &paramDef{name: name, value: v}
		}
	}
	return sc
}

// topScope makes the scope of the top level; with overrides, the Variant's parameters
// take the place of the netlist's, and are defined where the netlist has none.
func (e *elab) topScope(root *subcktDef, overrides bool) *scope {
	sc := e.newScope(root, nil, "", nil)
	if overrides {
		for name, v := range e.variant.Params {
			sc.params[name] = &paramDef{name: name, value: v}
		}
	}
	return sc
}

// evalAll evaluates every parameter of a scope, in the order written, so that each error
// is reported even for parameters that nothing uses.
func (e *elab) evalAll(sc *scope) {
	var defs []*paramDef
	for _, p := range sc.params {
		defs = append(defs, p)
	}
	sort.Slice(defs, func(i, j int) bool { return comparePos(defs[i].pos, defs[j].pos) < 0 })
	for _, p := range defs {
		if e.cancelled() {
			return
		}
		if _, isText := e.textOf(sc, p); isText {
			continue // a string is checked where a number is needed
		}
		e.evalParam(sc, p.name)
	}
}

// instFrame is an instance being flattened, for the recursion check.
type instFrame struct {
	def  *subcktDef
	name string // flat name of the instance
}

// maxNesting bounds the nesting of subcircuit instances; maxElements what flattening
// adds to the circuit, its elements and instances beyond the netlist's own top-level lines
// (a few lines can ask for 2^30 of them; a million lines written out are the user's).
const maxNesting = 100

var maxElements = 1_000_000

// instance flattens an X line: Xname nodes... subckt [params:] [name=value ...].
func (e *elab) instance(l *srcLine) {
	const usage = "Xname nodes... subckt [name=value ...]"
	name := e.sc.prefix + strings.ToLower(l.toks[0].Value)
	pos := linePos(l)
	if !e.claimName(name, pos) {
		return
	}
	words, params := splitParams(lineTokens(l))
	if len(words) == 0 {
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing subcircuit name: %s", usage)
		return
	}
	for _, t := range words {
		if t.Type != TokenIdent && t.Type != TokenNumber {
			e.errorf(toPos(t.Pos), "expected a node name, found %s", quote(t.Value))
			return
		}
	}
	subTok := words[len(words)-1]
	subName := strings.ToLower(subTok.Value)
	def := e.sc.def.find(subName)
	if def == nil {
		e.errorf(toPos(subTok.Pos), "unknown subcircuit %q%s", subName, didYouMean(subName, e.sc.def.visibleSubckts()))
		return
	}
	e.expand(def)
	nodes := words[:len(words)-1]
	if len(nodes) != len(def.ports) {
		e.errorf(pos, "%s connects %s, but .subckt %s (%s) has %s", name, expr.Plural(len(nodes), "node"), def.name, lineOf(def.pos), expr.Plural(len(def.ports), "node"))
		return
	}
	for i, f := range e.insts {
		if f.def == def {
			var chain []string
			for _, g := range e.insts[i:] {
				chain = append(chain, fmt.Sprintf("%s (%s)", g.def.name, g.name))
			}
			chain = append(chain, fmt.Sprintf("%s (%s)", def.name, name))
			e.errorf(pos, "recursive subcircuit: %s", strings.Join(chain, " -> "))
			return
		}
	}
	if len(e.insts) >= maxNesting {
		e.errorf(pos, "subcircuits nested too deeply (more than %d levels)", maxNesting)
		return
	}
	// The values given by the instance, in the caller's scope.
	formal := map[string]bool{}
	var formals []string
	for _, f := range def.formals {
		formal[f.name] = true
		formals = append(formals, f.name)
	}
	// As in ngspice, the .param lines of the definition are parameters that an instance
	// may set too (SKY130's FETs take l, w and nf so).
	for _, p := range def.params {
		if !formal[p.name] {
			formal[p.name] = true
			formals = append(formals, p.name)
		}
	}
	var fixed []*paramDef
	ok := true
	seen := map[string]bool{}
	mult := 1.0
	for _, a := range e.assignments(params, name) {
		if !formal[a.name] && a.name == "m" {
			if seen[a.name] {
				e.errorf(a.pos, "parameter %q of %s given twice", a.name, name)
				ok = false
				continue
			}
			seen[a.name] = true
			m, good := e.instanceMult(name, a)
			mult, ok = m, ok && good
			continue
		}
		if !formal[a.name] {
			hint := didYouMean(a.name, formals)
			if hint == "" && len(formals) > 0 {
				hint = " (it has " + strings.Join(formals, ", ") + ")"
			} else if hint == "" {
				hint = " (it has none)"
			}
			e.errorf(a.pos, "unknown parameter %q of subcircuit %s%s", a.name, def.name, hint)
			ok = false
			continue
		}
		if seen[a.name] {
			e.errorf(a.pos, "parameter %q of %s given twice", a.name, name)
			ok = false
			continue
		}
		seen[a.name] = true
		if d, isText := e.instanceText(a); isText {
			fixed = append(fixed, d)
			continue
		}
		// The value is the instance's parameter: it draws from the parameter's stream.
		savedDraw := e.draw
		e.draw = &drawCtx{key: "param:" + name + "." + a.name}
		v, n, good := e.tokenValue(a.value)
		e.draw = savedDraw
		if good && n != nil {
			e.errorf(a.pos, "parameter %q of %s must be a constant, not depend on %s", a.name, name, depends(n))
			good = false
		}
		ok = ok && good
		fixed = append(fixed, &paramDef{name: a.name, pos: a.pos, value: v})
	}
	if !ok {
		return
	}
	// The scope of the definition around def, in the chain of the caller.
	parent := e.sc
	for parent != nil && parent.def != def.parent {
		parent = parent.parent
	}
	sc := e.newScope(def, parent, name, fixed)
	sc.mult = e.sc.mult * mult
	for i, n := range nodes {
		sc.ports[def.ports[i]] = e.elementNode(n.Value)
		if e.sc.inst == "" {
			sc.ports[def.ports[i]] = groundPortMark(i, sc.ports[def.ports[i]], e.globals) // probe.go
		}
	}
	e.ninst++
	e.insts = append(e.insts, instFrame{def: def, name: name})
	saved := e.sc
	e.sc = sc
	first := len(e.c.Elements)
	e.evalAll(sc)
	e.body(def)
	e.ownModels(sc)
	e.sc = saved
	e.insts = e.insts[:len(e.insts)-1]
	if e.sc.inst == "" { // for .probe's i(x1:port) and p(x1)
		x := probeInstance{name: name, ports: def.ports, first: first, end: len(e.c.Elements)}
		for _, n := range nodes {
			x.nodes = append(x.nodes, e.node(n.Value))
		}
		x.unmarkGroundPorts(e.c.Elements) // probe.go
		e.probeInsts = append(e.probeInsts, x)
	}
}

// body elaborates the lines of a definition in the current scope.
func (e *elab) body(def *subcktDef) {
	for _, l := range def.body {
		if e.tooMany || e.cancelled() {
			return
		}
		e.line(l)
	}
}

// node maps a node name of the current scope to its flat name: ground and .global nodes
// are themselves, ports are what the instance connects to them, the others get the
// instance's prefix.
func (e *elab) node(name string) string {
	return unmarkGroundPort(e.elementNode(name)) // probe.go
}

// elementNode is node for an element's terminal (and a subcircuit port's): a port of a
// top-level instance that connects ground or a global node is marked, until the
// instance is done, so that .probe can tell the port's connections from those of the
// node itself (groundPortMark).
func (e *elab) elementNode(name string) string {
	n := node(name)
	if n == "0" || e.globals[n] {
		return n
	}
	if actual, ok := e.sc.ports[n]; ok {
		return actual
	}
	return e.sc.prefix + n
}

// isModel reports whether a model of that name (or a binned model of that stem) is
// visible from the current scope.
func (e *elab) isModel(name string) bool {
	s, _, _ := e.findModel(name)
	return s != nil
}

// visibleModels lists the names of the models visible from the current scope.
func (e *elab) visibleModels() []string {
	var names []string
	for s := e.sc; s != nil; s = s.parent {
		for name := range s.def.models {
			names = append(names, name)
		}
		for stem := range s.def.bins {
			names = append(names, stem)
		}
	}
	return names
}

// isParam reports whether a parameter of that name is visible from the current scope.
func (e *elab) isParam(name string) bool {
	for s := e.sc; s != nil; s = s.parent {
		if _, ok := s.params[name]; ok {
			return true
		}
	}
	return false
}
