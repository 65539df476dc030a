package parser

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/parser/expr"
)

// exprSource is the text of an expression and where its characters come from: the
// inside of one {…} or '…' token, or several tokens of a line (.param x = a + b).
type exprSource struct {
	text   string
	pieces []piece
}

// piece says that text[start:] begins with tok.Value[skip:].
type piece struct {
	start int
	tok   lexer.Token
	skip  int
}

// exprFrom is the expression written as toks.
func exprFrom(toks []lexer.Token) *exprSource {
	if len(toks) == 1 && toks[0].Type == TokenExpr {
		v := toks[0].Value
		inner, skip := v[1:len(v)-1], 1
		// {"expr"}, as SKY130's resistor cards write some values: ngspice reads the
		// expression between the double quotes.
		if t := strings.TrimSpace(inner); v[0] == '{' && len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			skip += strings.IndexByte(inner, '"') + 1
			inner = t[1 : len(t)-1]
		}
		return &exprSource{text: inner, pieces: []piece{{tok: toks[0], skip: skip}}}
	}
	var b strings.Builder
	src := &exprSource{}
	for i, t := range toks {
		if i > 0 {
			prev := toks[i-1]
			if prev.Pos.Filename != t.Pos.Filename || prev.Pos.Offset+len(prev.Value) != t.Pos.Offset {
				b.WriteByte(' ')
			}
		}
		src.pieces = append(src.pieces, piece{start: b.Len(), tok: t})
		v := t.Value
		if t.Type == TokenExpr {
			// 'expr' or {expr} among other tokens, (a ? {x} : {y}): a parenthesized
			// subexpression, as ngspice's numparam substitutes it.
			v = "(" + v[1:len(v)-1] + ")"
		}
		b.WriteString(v)
	}
	src.text = b.String()
	return src
}

// exprPos is the position of the character at offset off of the expression's text.
func (e *elab) exprPos(src *exprSource, off int) Pos {
	if len(src.pieces) == 0 {
		return Pos{}
	}
	k := sort.Search(len(src.pieces), func(k int) bool { return src.pieces[k].start > off }) - 1
	if k < 0 {
		k = 0
	}
	p := src.pieces[k]
	d := p.skip + off - p.start
	if max := len(p.tok.Value); d > max && k+1 < len(src.pieces) {
		d = max
	}
	return toPos(e.posMapAt(p.tok.Pos.Filename, p.tok.Pos.Offset).at(p.tok.Pos, d))
}

// exprError reports an error of package expr at its place in the source, with a
// suggestion for an unknown name.
func (e *elab) exprError(src *exprSource, err error) {
	var xe *expr.Error
	if !errors.As(err, &xe) {
		e.errorf(e.exprPos(src, 0), "%v", err)
		return
	}
	msg := xe.Msg
	switch xe.Kind {
	case 'p':
		msg += didYouMean(xe.Name, e.visibleParams())
	case 'f':
		msg += didYouMean(xe.Name, e.visibleFuncs())
	}
	e.errorf(e.exprPos(src, xe.Offset), "%s", msg)
}

// parseExpr parses an expression, reporting its errors.
func (e *elab) parseExpr(src *exprSource) (expr.Node, bool) {
	n, err := e.deck.parseExpr(src.text)
	if err != nil {
		e.exprError(src, err)
		return nil, false
	}
	return n, true
}

// foldExpr folds a parsed expression in the current scope: parameters substituted,
// functions inlined, probes renamed to the flat circuit's nodes and sources. ok is false
// after an error (reported, unless it comes from a parameter whose error was).
func (e *elab) foldExpr(n expr.Node, src *exprSource) (expr.Node, bool) {
	sc := e.sc
	// A function found too large once is not inlined again.
	var big *expr.Call
	expr.Walk(n, func(n expr.Node) bool {
		if c, ok := n.(*expr.Call); ok && big == nil && e.tooLarge[sc.funcs[c.Func]] != "" {
			big = c
		}
		return big == nil
	})
	if big != nil {
		e.errorf(e.exprPos(src, big.Offset), "%s", e.tooLarge[sc.funcs[big.Func]])
		return nil, false
	}
	saved := e.poisoned
	e.poisoned = false
	out, err := expr.FoldWith(n, expr.FoldOptions{
		Lookup: func(name string) (float64, bool) { return e.lookup(sc, name) },
		Funcs:  sc.funcs,
		Rand:   e.stream,
	})
	poisoned := e.poisoned
	e.poisoned = saved
	if poisoned {
		return nil, false // a parameter it uses is wrong, and was reported
	}
	if err != nil {
		if xe, ok := err.(*expr.Error); ok && xe.Kind == 'x' && sc.funcs[xe.Name] != nil {
			e.tooLarge[sc.funcs[xe.Name]] = xe.Msg
		}
		e.exprError(src, err)
		return nil, false
	}
	return e.mapProbes(out, src), true
}

// mapProbes renames the nodes and sources of probes to their flat names, and notes the
// sources of i() to check that they exist.
func (e *elab) mapProbes(n expr.Node, src *exprSource) expr.Node {
	switch n := n.(type) {
	case *expr.Probe:
		p := &expr.Probe{Kind: n.Kind, Offset: n.Offset}
		for _, name := range n.Names {
			if n.Kind == 'v' {
				p.Names = append(p.Names, e.node(name))
			} else {
				p.Names = append(p.Names, e.sc.prefix+name)
			}
		}
		if n.Kind == 'i' {
			e.refs = append(e.refs, ref{name: p.Names[0], pos: e.exprPos(src, n.Offset), what: "i()", inst: e.sc.inst, owner: e.current})
		}
		return p
	case *expr.Unary:
		return &expr.Unary{Op: n.Op, X: e.mapProbes(n.X, src), Offset: n.Offset}
	case *expr.Binary:
		return &expr.Binary{Op: n.Op, X: e.mapProbes(n.X, src), Y: e.mapProbes(n.Y, src), Offset: n.Offset}
	case *expr.Ternary:
		return &expr.Ternary{Cond: e.mapProbes(n.Cond, src), Then: e.mapProbes(n.Then, src), Else: e.mapProbes(n.Else, src), Offset: n.Offset}
	case *expr.Call:
		c := &expr.Call{Func: n.Func, Offset: n.Offset, Args: make([]expr.Node, len(n.Args))}
		for i, a := range n.Args {
			c.Args[i] = e.mapProbes(a, src)
		}
		return c
	}
	return n
}

// depends names what a folded expression depends on: probes and variables, in order.
func depends(n expr.Node) string {
	var names []string
	seen := map[string]bool{}
	expr.Walk(n, func(n expr.Node) bool {
		s := ""
		switch n := n.(type) {
		case *expr.Probe:
			s = expr.ProbeName(n)
		case *expr.Ident:
			s = n.Name
		}
		if s != "" && !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
		return true
	})
	return strings.Join(names, ", ")
}

// onlyTemper reports whether a folded expression depends on temper and on nothing else
// that changes.
func onlyTemper(n expr.Node) bool {
	ok := true
	expr.Walk(n, func(n expr.Node) bool {
		switch n := n.(type) {
		case *expr.Probe:
			ok = false
		case *expr.Ident:
			ok = ok && n.Name == "temper"
		}
		return ok
	})
	return ok
}

// nominalTemp is the temperature at which a parameter that depends on temper gets its
// Value: ngspice's default circuit temperature.
const nominalTemp = 27

// value evaluates a term where a number is expected: a number, {expr}, 'expr', or a bare
// expression (a name, f(x), a*2). n is the folded expression when it is not a constant
// (it depends on probes, time or temper), nil when v holds the value.
func (e *elab) value(t *Term) (v float64, n expr.Node, ok bool) {
	switch {
	case t.Number != "":
		v, err := e.numCache.parse(t.Number)
		if err != nil {
			e.errorf(toPos(t.Pos), "number out of range: %s", quote(t.Number))
			return 0, nil, false
		}
		return v, nil, true
	case t.Group != nil:
		// name=(expr), as ngspice 39 reads it on an element (R4 a b R=(time<12ms ?
		// {rload} : {2*rload}), examples/vdmos/dcdc.sp): the expression, parentheses and all.
		return e.tokenValue(trimCommas(t.Tokens))
	}
	toks := trimCommas(t.Tokens)
	if len(toks) == 1 && toks[0].Type == TokenIdent && !e.isParam(strings.ToLower(toks[0].Value)) {
		// A bare word: an expression (r=rval*2), or a mistake, said as such.
		w := strings.ToLower(toks[0].Value)
		_, constant := expr.Constants[w]
		_, err := e.deck.parseExpr(w)
		hint := ""
		switch {
		case err != nil && looksRKM(w):
			hint = " (values in RKM notation, like 4k7, are not supported)"
		case err == nil && isName(w) && !constant && !expr.Variables[w]:
			hint = didYouMean(w, e.visibleParams())
		case err == nil:
			return e.tokenValue(toks)
		}
		e.errorf(toPos(t.Pos), "expected a number, found %s%s", quote(toks[0].Value), hint)
		return 0, nil, false
	}
	return e.tokenValue(toks)
}

// tokenValue evaluates the expression written as toks.
func (e *elab) tokenValue(toks []lexer.Token) (float64, expr.Node, bool) {
	if len(toks) == 1 && toks[0].Type == TokenNumber {
		v, err := parseNumber(toks[0].Value)
		if err != nil {
			e.errorf(toPos(toks[0].Pos), "number out of range: %s", quote(toks[0].Value))
			return 0, nil, false
		}
		return v, nil, true
	}
	src := exprFrom(toks)
	n, ok := e.parseExpr(src)
	if !ok {
		return 0, nil, false
	}
	n, ok = e.foldExpr(n, src)
	if !ok {
		return 0, nil, false
	}
	if c, ok := expr.IsConst(n); ok {
		return c, nil, true
	}
	return 0, n, true
}

// number evaluates t, which must be a constant.
func (e *elab) number(t *Term) (float64, bool) {
	v, n, ok := e.value(t)
	if ok && n != nil {
		e.errorf(toPos(t.Pos), "not a constant: the value depends on %s", depends(n))
		return 0, false
	}
	return v, ok
}

// paramValue evaluates the value of a name=value parameter: a constant, or an expression
// of temper (kept in Expr, with Value its value at 27 °C).
func (e *elab) paramValue(name string, t *Term, p *Param) bool {
	v, n, ok := e.value(t)
	return ok && e.setParamValue(name, toPos(t.Pos), v, n, p)
}

// setParamValue sets p's value from what value or tokenValue returned: the constant v,
// or n, which may depend only on temper (kept in Expr, with Value its value at 27 °C).
// Errors are reported at pos.
func (e *elab) setParamValue(name string, pos Pos, v float64, n expr.Node, p *Param) bool {
	if n != nil {
		if !onlyTemper(n) {
			e.errorf(pos, "%s must not depend on %s", name, depends(n))
			return false
		}
		v, err := expr.Eval(n, map[string]float64{"temper": nominalTemp})
		if err != nil {
			e.errorf(pos, "%s at temper=%d: %s", name, nominalTemp, expr.Message(err))
			return false
		}
		p.Value, p.Expr = v, n
		return true
	}
	p.Value = v
	return true
}

// paramDef is a parameter of a scope: a .param, a .subckt parameter with its default, or
// the value an instance gives it.
type paramDef struct {
	name  string
	pos   Pos         // of the name
	src   *exprSource // the expression; nil for a value given by an instance
	node  expr.Node   // parsed; nil after a syntax error (reported)
	value float64     // the value an instance gives (src is nil)
	// A string parameter (strparams.go) has its text, or until it is first used the
	// tokens of a concatenation; src is nil.
	text   *string
	concat []lexer.Token
}

// funcDef is a .func.
type funcDef struct {
	name string
	pos  Pos
	fn   *expr.Func
}

// Parameter states in a scope.
const (
	paramNew = iota
	paramBusy
	paramDone
	paramFailed
)

// lookup is the value of a parameter visible from sc, evaluated on first use.
func (e *elab) lookup(sc *scope, name string) (float64, bool) {
	for s := sc; s != nil; s = s.parent {
		if _, ok := s.params[name]; ok {
			return e.evalParam(s, name)
		}
	}
	return 0, false
}

type busyParam struct {
	sc   *scope
	name string
}

// evalParam evaluates a parameter of scope s, once.
func (e *elab) evalParam(s *scope, name string) (float64, bool) {
	switch s.state[name] {
	case paramDone:
		return s.vals[name], true
	case paramFailed:
		e.poisoned = true
		return 0, true
	case paramBusy:
		var chain []string
		for i := len(e.busy) - 1; i >= 0; i-- {
			b := e.busy[i]
			if b.sc != s {
				break
			}
			chain = append([]string{b.name}, chain...)
			if b.name == name {
				break
			}
		}
		d := s.params[name]
		saved := e.sc
		e.sc = s
		e.errorf(d.pos, "parameter cycle: %s", strings.Join(append(chain, name), " -> "))
		e.sc = saved
		s.state[name] = paramFailed
		e.poisoned = true
		return 0, true
	}
	d := s.params[name]
	if text, ok := e.textOf(s, d); ok {
		saved := e.sc
		e.sc = s
		e.errorf(d.pos, "parameter %q is a string (%q) where a number is needed: gospice takes string parameters only in XSPICE model cards", name, text)
		e.sc = saved
		s.state[name] = paramFailed
		e.poisoned = true
		return 0, true
	}
	if d.src == nil { // given by an instance
		s.state[name], s.vals[name] = paramDone, d.value
		return d.value, true
	}
	s.state[name] = paramBusy
	e.busy = append(e.busy, busyParam{s, name})
	saved, savedDraw := e.sc, e.draw
	e.sc = s
	// Its random functions draw from its own stream, the same wherever it is first used.
	e.draw = &drawCtx{key: "param:" + s.prefix + name}
	v, ok := e.evalDef(d)
	e.sc, e.draw = saved, savedDraw
	e.busy = e.busy[:len(e.busy)-1]
	if s.state[name] == paramFailed || !ok { // failed in a cycle through itself, or now
		s.state[name] = paramFailed
		e.poisoned = true
		return 0, true
	}
	s.state[name], s.vals[name] = paramDone, v
	return v, true
}

// evalDef evaluates a parameter's expression in the current scope; it must be a constant.
func (e *elab) evalDef(d *paramDef) (float64, bool) {
	if d.node == nil {
		return 0, false
	}
	if c := findCall(d.node, "ddt"); c != nil {
		// Folded, ddt of a constant would be 0; ngspice 39 refuses it in a .param.
		e.errorf(e.exprPos(d.src, c.Offset), "parameter %q: ddt() is a time derivative, which only B sources and behavioural elements take", d.name)
		return 0, false
	}
	n, ok := e.foldExpr(d.node, d.src)
	if !ok {
		return 0, false
	}
	v, isConst := expr.IsConst(n)
	if !isConst && onlyTemper(n) {
		return e.temperParam(d, n)
	}
	if !isConst {
		e.errorf(d.pos, "parameter %q is not a constant: it depends on %s", d.name, depends(n))
		return 0, false
	}
	return v, true
}

// findCall returns the first call of the function name in n, or nil.
func findCall(n expr.Node, name string) *expr.Call {
	var found *expr.Call
	expr.Walk(n, func(n expr.Node) bool {
		if c, ok := n.(*expr.Call); ok && c.Func == name && found == nil {
			found = c
		}
		return found == nil
	})
	return found
}

// visibleParams are the names of the parameters and constants visible from the current scope.
func (e *elab) visibleParams() []string {
	var names []string
	for s := e.sc; s != nil; s = s.parent {
		for n := range s.params {
			names = append(names, n)
		}
	}
	for n := range expr.Constants {
		names = append(names, n)
	}
	for n := range expr.Variables {
		names = append(names, n)
	}
	return names
}

func (e *elab) visibleFuncs() []string {
	var names []string
	for n := range e.sc.funcs {
		names = append(names, n)
	}
	for n := range expr.Builtins {
		names = append(names, n)
	}
	for n := range expr.Random {
		names = append(names, n)
	}
	return names
}

// didYouMean suggests the candidate closest to name, when one is close.
func didYouMean(name string, candidates []string) string {
	// A third of the name's length in edits, and one for names of two letters or more
	// (ww for w); ties go to the first in alphabetical order.
	limit := len(name) / 3
	if len(name) > 1 {
		limit = max(limit, 1)
	}
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	best := Nearest(name, sorted, limit)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// isName reports whether s can name a parameter or a function in expressions.
func isName(s string) bool {
	if s == "" || !(isLetter(s[0]) || s[0] == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !(isLetter(s[i]) || isDigit(s[i]) || s[i] == '_') {
			return false
		}
	}
	return true
}

func isPunctTok(t lexer.Token, v string) bool { return t.Type == TokenPunct && t.Value == v }

// paramsPrefix strips ngspice's "params:" marker from a word; ok says it was there.
func paramsPrefix(s string) (rest string, ok bool) {
	if len(s) >= 7 && strings.EqualFold(s[:7], "params:") {
		return s[7:], true
	}
	return s, false
}

// assignAt reports whether toks[i] begins name=value: a name, then '=' not part of ==.
func assignAt(toks []lexer.Token, i int) bool {
	if i+1 >= len(toks) || toks[i].Type != TokenIdent || !isPunctTok(toks[i+1], "=") {
		return false
	}
	if i+2 < len(toks) && isPunctTok(toks[i+2], "=") {
		return false
	}
	name, _ := paramsPrefix(toks[i].Value)
	return isName(name)
}

// assignment is name=value read from tokens.
type assignment struct {
	name  string // lowercase
	pos   Pos
	value []lexer.Token
}

// assignments reads name=value ... from toks, each value running up to the next name=.
// Errors are reported; the good assignments are returned.
func (e *elab) assignments(toks []lexer.Token, what string) []assignment {
	var out []assignment
	i := 0
	for i < len(toks) {
		if toks[i].Type == TokenComma {
			i++
			continue
		}
		if !assignAt(toks, i) {
			e.errorf(toPos(toks[i].Pos), "expected name=value in %s, found %s", what, quote(toks[i].Value))
			// Skip to the next assignment.
			for i++; i < len(toks) && !assignAt(toks, i); i++ {
			}
			continue
		}
		name, _ := paramsPrefix(toks[i].Value)
		a := assignment{name: strings.ToLower(name), pos: toPos(toks[i].Pos)}
		j := i + 2
		for j < len(toks) && !assignAt(toks, j) {
			j++
		}
		a.value = trimCommas(trimTrailingCommas(toks[i+2 : j]))
		if len(a.value) == 0 {
			e.errorf(toPos(toks[i+1].Pos), "missing value after '='")
		} else {
			out = append(out, a)
		}
		i = j
	}
	return out
}

// paramDefs reads the assignments of a .param line or of a .subckt or X line's
// parameters into definitions, parsing their expressions.
func (e *elab) paramDefs(as []assignment) []*paramDef {
	var defs []*paramDef
	for _, a := range as {
		if expr.Variables[a.name] {
			e.errorf(a.pos, "%s cannot be a parameter: it is a simulation variable", a.name)
			continue
		}
		if d := stringDef(a); d != nil {
			defs = append(defs, d)
			continue
		}
		src := exprFrom(a.value)
		n, _ := e.parseExpr(src)
		defs = append(defs, &paramDef{name: a.name, pos: a.pos, src: src, node: n})
	}
	return defs
}

// paramLine reads a .param line: name=value ..., and name(args)=body, which defines a
// function as .func does.
func (e *elab) paramLine(l *srcLine, def *subcktDef) {
	toks := lineTokens(l)
	if len(toks) == 0 {
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing name=value: .param name=value ...")
		return
	}
	// A function: .param f(x, y) = body
	if toks[0].Type == TokenIdent && len(toks) > 1 && isPunctTok(toks[1], "(") {
		e.funcLine(l, def)
		return
	}
	as := e.assignments(toks, ".param")
	if def.name != "" {
		for i := range as {
			if stringDef(as[i]) == nil {
				as[i].value = e.firstWord(as[i])
			}
		}
	}
	for _, d := range e.paramDefs(as) {
		def.params = append(def.params, d)
	}
}

// firstWord is the value of a .param assignment inside a .subckt as ngspice 39 reads
// it: a value written without braces or quotes ends at the first space, and ngspice
// drops the rest without a word (SKY130's nfet_20v0_nvt has "swx_vth0_mm =
// sw_mm_vth0_... * mismatch_factor*...": ngspice takes sw_mm_vth0_... alone). gospice
// does the same, with a warning.
func (e *elab) firstWord(a assignment) []lexer.Token {
	v := a.value
	for k := 1; k < len(v); k++ {
		prev := v[k-1]
		if prev.Pos.Filename != v[k].Pos.Filename || prev.Pos.Offset+len(prev.Value) != v[k].Pos.Offset {
			e.warnf(toPos(v[k].Pos), ".param %s: ngspice reads a value without braces up to the first space and drops the rest; write {...} to keep it", a.name)
			return v[:k]
		}
	}
	return v
}

// funcLine reads .func name(args) [=] body; the body may be in braces or quotes, or not.
func (e *elab) funcLine(l *srcLine, def *subcktDef) {
	const usage = ".func name(args) {expression}"
	toks := lineTokens(l)
	if len(toks) == 0 {
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing function: %s", usage)
		return
	}
	if toks[0].Type != TokenIdent || !isName(toks[0].Value) {
		e.errorf(toPos(toks[0].Pos), "expected a function name, found %s", quote(toks[0].Value))
		return
	}
	name := strings.ToLower(toks[0].Value)
	fd := &funcDef{name: name, pos: toPos(toks[0].Pos), fn: &expr.Func{}}
	if len(toks) < 2 || !isPunctTok(toks[1], "(") {
		e.errorf(toPos(toks[0].Pos), "expected ( after the name of function %s: %s", name, usage)
		return
	}
	i := 2
	seen := map[string]bool{}
	for ; i < len(toks) && !isPunctTok(toks[i], ")"); i++ {
		t := toks[i]
		if t.Type == TokenComma {
			continue
		}
		if t.Type != TokenIdent || !isName(t.Value) {
			e.errorf(toPos(t.Pos), "expected a parameter name of function %s, found %s", name, quote(t.Value))
			return
		}
		p := strings.ToLower(t.Value)
		if seen[p] {
			e.errorf(toPos(t.Pos), "duplicate parameter %q of function %s", p, name)
			return
		}
		seen[p] = true
		fd.fn.Params = append(fd.fn.Params, p)
	}
	if i == len(toks) { // cannot happen: the parentheses balance
		e.errorf(toPos(toks[1].Pos), "missing ')'")
		return
	}
	body := toks[i+1:]
	if len(body) > 0 && isPunctTok(body[0], "=") {
		body = body[1:]
	}
	if len(body) == 0 {
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing body of function %s: %s", name, usage)
		return
	}
	switch name {
	case "v", "i":
		e.errorf(fd.pos, "%s() is a probe and cannot be redefined", name)
		return
	}
	n, ok := e.parseExpr(exprFrom(body))
	if !ok {
		return
	}
	fd.fn.Body = n
	def.addFunc(e, fd)
}
