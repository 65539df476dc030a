package parser

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gospice/gospice/parser/expr"
)

// Measure is a .meas (.measure) line: a number computed from the vectors of each analysis
// of its type once the analysis is done, as ngspice does in batch mode. Func says which
// of ngspice's forms it is:
//
//	trig    TRIG event TARG event: Targ's point minus Trig's
//	when    WHEN signal=level|signal2: the point of When
//	find    FIND signal WHEN ... | AT=x: Signal's value at When
//	deriv   DERIV signal WHEN ... | AT=x: Signal's slope at When
//	avg min max pp rms integ min_at max_at   over Window: FROM= TO= TD=
//	param   PARAM='expr': Param over .param parameters and earlier measurements
//
// The numbers of a line (VAL=, AT=, TD=, FROM=, TO=) are constants, evaluated when the
// netlist is read, as ngspice does; PARAM= is evaluated after the analysis.
type Measure struct {
	Analysis string // "tran", "ac" or "dc"
	Name     string // lowercase
	Func     string // lowercase: trig, when, find, deriv, count, avg, min, max, pp, rms, integ, min_at, max_at, param
	Signal   MeasSignal
	Trig     MeasEvent // trig
	Targ     MeasEvent // trig
	When     MeasEvent // when, find, deriv; count: the crossings counted (Count < 0)
	Window   MeasWindow
	Param    expr.Node // param: parsed, not folded; its names are parameters and earlier measurements
	Pos      Pos
}

// MeasSignal is what a measurement reads at each point: an output vector (v(out), i(v1),
// state(y1.f), and in .meas ac vdb(out), vp(out), ...), or an expression of vectors,
// par('v(a)*i(v1)'), evaluated at each point as ngspice's B source would.
type MeasSignal struct {
	Vector Vector    // Vector.Name is empty for par('...')
	Expr   expr.Node // par('...'), folded: parameters substituted, probes with flat names
	Text   string    // as written, for messages
	Pos    Pos
}

// MeasEvent is a point of the scale (time, frequency or the swept source): AT=x, or where
// Signal crosses Level (or the signal Other, for WHEN v(a)=v(b)) for the Count'th time
// in the direction Edge, within Window.
type MeasEvent struct {
	At     float64
	HasAt  bool
	Signal MeasSignal
	Level  float64
	Other  *MeasSignal
	Edge   string // "rise", "fall" or "cross"
	Count  int    // from 1; 0 means the last one (RISE=LAST)
	Window MeasWindow
	Pos    Pos
}

// MeasWindow is the part of the scale a measurement looks at: from max(From, TD) to To.
// TD is read only by .meas tran (ngspice ignores it for ac and dc).
type MeasWindow struct {
	From, To       float64
	HasFrom, HasTo bool
	TD             float64
}

// measStats are the functions over a window.
var measStats = map[string]bool{
	"avg": true, "min": true, "max": true, "pp": true, "rms": true, "integ": true,
	"min_at": true, "max_at": true,
}

// analysisNames are the analyses of ngspice 39, whose .meas lines gospice reads or
// refuses; a .meas of another word is ignored.
var analysisNames = map[string]bool{
	"tran": true, "ac": true, "dc": true, "op": true, "sp": true, "noise": true, "tf": true,
	"pz": true, "disto": true, "sens": true, "pss": true,
}

const measUsage = ".meas tran|ac|dc name TRIG ... TARG ... | WHEN ... | FIND ... | DERIV ... | COUNT ... | AVG|MIN|MAX|PP|RMS|INTEG|MIN_AT|MAX_AT ... | PARAM='expr'"

// measure reads a .meas or .measure line.
func (e *elab) measure(d *DotLine) {
	// ngspice 39 reads a malformed .meas line as a measurement that fails: it says why
	// and the run goes on (buggy-meas-tran.sp), so its errors become warnings and the
	// line is dropped; one of an analysis gospice does not measure stays an error.
	malformed := true
	defer func(nerr, errs int) {
		if malformed {
			e.measureFails(nerr, errs)
		}
	}(e.nerr, len(e.errs))
	items := d.Items
	if len(items) < 2 {
		e.errorf(toPos(d.EndPos), "missing %s: %s", []string{"analysis type", "result name"}[len(items)], measUsage)
		return
	}
	typ, ok := plainWord(items[0].Key)
	if ok && items[0].Value == nil && !analysisNames[typ] {
		// ngspice 39 runs a .meas after the analyses of its type, and one of no analysis
		// never, silently (measured: .measure tra ... in buggy-meas-tran.sp).
		e.warnf(toPos(items[0].Pos), "%s %s ignored: %s is not an analysis (ngspice ignores it too)", strings.ToLower(d.Name), itemText(items[1]), quote(typ))
		return
	}
	if !ok || items[0].Value != nil || typ != "tran" && typ != "ac" && typ != "dc" {
		malformed = false
		e.errorf(toPos(items[0].Pos), "expected tran, ac or dc after %s, found %s (.meas %s is not supported)", strings.ToLower(d.Name), itemText(items[0]), itemText(items[0]))
		return
	}
	name, ok := plainWord(items[1].Key)
	if !ok || !isName(name) || items[1].Value != nil {
		e.errorf(toPos(items[1].Pos), "expected the name of the result, found %s", itemText(items[1]))
		return
	}
	m := &Measure{Analysis: typ, Name: name, Pos: toPos(d.Pos)}
	end := toPos(d.EndPos)
	rest := items[2:]
	if len(rest) == 0 {
		e.errorf(end, "missing measurement: %s", measUsage)
		return
	}
	head := rest[0]
	fn, _ := plainWord(head.Key)
	if fn == "param" && head.Value != nil {
		m.Func = "param"
		if e.measParam(m, head) && e.measEnd(rest[1:], "PARAM=") {
			e.c.Measures = append(e.c.Measures, m)
		}
		return
	}
	if head.Value != nil {
		fn = ""
	}
	m.Func = fn
	n := e.nerr
	switch {
	case fn == "trig":
		rest = e.measEvent(m, &m.Trig, rest[1:], "TRIG", true, end)
		if len(rest) == 0 || !isKeyword(rest[0], "targ") {
			if e.nerr == n {
				e.errorf(end, "missing TARG: .meas %s %s TRIG ... TARG ...", typ, name)
			}
			return
		}
		rest = e.measEvent(m, &m.Targ, rest[1:], "TARG", true, end)
	case fn == "when":
		rest = e.measEvent(m, &m.When, rest[1:], "WHEN", false, end)
	case fn == "find" || fn == "deriv":
		if len(rest) < 2 {
			e.errorf(end, "missing the signal after %s", strings.ToUpper(fn))
			return
		}
		sig, ok := e.measSignal(rest[1], m)
		if !ok {
			return
		}
		m.Signal = sig
		rest = rest[2:]
		switch {
		case len(rest) > 0 && isKeyword(rest[0], "when"):
			rest = e.measEvent(m, &m.When, rest[1:], "WHEN", false, end)
		case len(rest) > 0 && isKey(rest[0], "at"):
			rest = e.measEvent(m, &m.When, rest, strings.ToUpper(fn), false, end)
		default:
			pos := end
			if len(rest) > 0 {
				pos = toPos(rest[0].Pos)
			}
			e.errorf(pos, "%s needs AT=x or WHEN ...: .meas %s %s %s %s AT=x", strings.ToUpper(fn), typ, name, strings.ToUpper(fn), sig.Text)
			return
		}
	case fn == "count":
		rest = e.measCountLine(m, rest[1:], end)
	case measStats[fn]:
		if len(rest) < 2 {
			e.errorf(end, "missing the signal after %s", strings.ToUpper(fn))
			return
		}
		sig, ok := e.measSignal(rest[1], m)
		if !ok {
			return
		}
		m.Signal = sig
		rest = e.measWindow(m, &m.Window, rest[2:], strings.ToUpper(fn))
	default:
		e.errorf(toPos(head.Pos), "unknown measurement %s: expected TRIG, WHEN, FIND, DERIV, COUNT, AVG, MIN, MAX, PP, RMS, INTEG, MIN_AT, MAX_AT or PARAM=", itemText(head))
		return
	}
	if e.nerr == n && e.measEnd(rest, strings.ToUpper(fn)) {
		e.c.Measures = append(e.c.Measures, m)
	}
}

// measureFails turns the errors found in a .meas line since nerr and errs were counted
// into warnings that say the measurement fails, unless one of them is a form gospice
// does not measure (its message says "is not supported"), which ngspice would: that
// stays an error, a result ngspice gives not being silently left out.
func (e *elab) measureFails(nerr, errs int) {
	if e.nerr == nerr || slices.ContainsFunc(e.errs[errs:], func(w *Error) bool { return strings.Contains(w.Msg, "is not supported") }) {
		return
	}
	for _, w := range e.errs[errs:] {
		e.c.Warnings = append(e.c.Warnings, &Error{Pos: w.Pos, Msg: w.Msg + "; the measurement fails, as in ngspice"})
	}
	e.errs, e.nerr = e.errs[:errs], nerr
}

// measEnd reports an item left over at the end of a .meas line.
func (e *elab) measEnd(rest []*Item, what string) bool {
	if len(rest) == 0 {
		return true
	}
	e.errorf(toPos(rest[0].Pos), "unexpected %s in .meas %s (not supported there)", itemText(rest[0]), what)
	return false
}

// isKeyword reports whether it is the lone word w.
func isKeyword(it *Item, w string) bool {
	k, ok := plainWord(it.Key)
	return ok && it.Value == nil && k == w
}

// isKey reports whether it is w=value.
func isKey(it *Item, w string) bool {
	k, ok := plainWord(it.Key)
	return ok && it.Value != nil && k == w
}

// measEvent reads an event: AT=x, or (TRIG, TARG) signal VAL=level, or (WHEN)
// signal=level|signal2, then its options TD= FROM= TO= RISE=|FALL=|CROSS=. It returns
// the items after it; an error has been reported when e.nerr grew.
func (e *elab) measEvent(m *Measure, ev *MeasEvent, items []*Item, what string, trig bool, end Pos) []*Item {
	ev.Edge, ev.Count = "cross", 1
	if len(items) == 0 {
		e.errorf(end, "missing what %s looks for: a signal, or AT=x", what)
		return nil
	}
	first := items[0]
	ev.Pos = toPos(first.Pos)
	if isKeyword(first, "at") {
		e.errorf(ev.Pos, "AT needs a value: %s AT=x", what)
		return nil
	}
	if isKey(first, "at") {
		v, ok := e.number(first.Value)
		if !ok {
			return nil
		}
		ev.At, ev.HasAt = v, true
		return items[1:]
	}
	switch {
	case trig && first.Value == nil:
		sig, ok := e.measSignal(first, m)
		if !ok {
			return nil
		}
		ev.Signal = sig
	case !trig && first.Value != nil:
		sig, ok := e.measSignal(&Item{Pos: first.Pos, Key: first.Key, Tokens: first.Key.Tokens}, m)
		if !ok {
			return nil
		}
		ev.Signal = sig
		if isSignalTerm(first.Value) {
			other, ok := e.measSignal(&Item{Pos: first.Value.Pos, Key: first.Value, Tokens: first.Value.Tokens}, m)
			if !ok {
				return nil
			}
			ev.Other = &other
		} else if ev.Level, ok = e.number(first.Value); !ok {
			return nil
		}
	case trig:
		e.errorf(toPos(first.Pos), "expected a signal or AT=x after %s, found %s", what, itemText(first))
		return nil
	default:
		e.errorf(toPos(first.Pos), "expected signal=value or signal=signal after %s, found %s", what, itemText(first))
		return nil
	}
	hasVal, hasCount := false, false
	items = items[1:]
	for len(items) > 0 {
		it := items[0]
		k, _ := plainWord(it.Key)
		if it.Value == nil {
			break
		}
		switch k {
		case "val":
			if !trig {
				e.errorf(toPos(it.Pos), "VAL= does not go with %s: write %s signal=value", what, what)
				return nil
			}
			if hasVal {
				e.errorf(toPos(it.Pos), "VAL= given twice")
				return nil
			}
			v, ok := e.number(it.Value)
			if !ok {
				return nil
			}
			ev.Level, hasVal = v, true
		case "rise", "fall", "cross":
			if hasCount {
				e.errorf(toPos(it.Pos), "only one of RISE=, FALL= and CROSS= may be given")
				return nil
			}
			n, ok := e.measCount(it)
			if !ok {
				return nil
			}
			ev.Edge, ev.Count, hasCount = k, n, true
		case "td", "from", "to":
			if !e.measWindowOption(m, &ev.Window, it) {
				return nil
			}
		default:
			e.errorf(toPos(it.Pos), "unknown option %s of %s (expected VAL=, TD=, FROM=, TO=, RISE=, FALL= or CROSS=)", itemText(it), what)
			return nil
		}
		items = items[1:]
	}
	// ngspice 39 takes a TRIG or TARG signal without VAL= at level 0, but gives its edge
	// no default: "at, rise, fall or cross must be given", and the measurement fails.
	if trig && !hasVal {
		ev.Level = 0
	}
	if trig && !hasCount {
		e.errorf(ev.Pos, "%s %s needs RISE=, FALL= or CROSS= (or AT=x instead of the signal)", what, ev.Signal.Text)
		return nil
	}
	if !e.measWindowCheck(m, &ev.Window, ev.Pos) {
		return nil
	}
	return items
}

// measWindow reads the FROM= TO= TD= options of a statistic; it returns what follows.
func (e *elab) measWindow(m *Measure, w *MeasWindow, items []*Item, what string) []*Item {
	for len(items) > 0 {
		it := items[0]
		k, _ := plainWord(it.Key)
		if it.Value == nil || k != "from" && k != "to" && k != "td" {
			e.errorf(toPos(it.Pos), "unexpected %s: %s takes FROM=, TO= and TD=", itemText(it), what)
			return nil
		}
		if !e.measWindowOption(m, w, it) {
			return nil
		}
		items = items[1:]
	}
	if !e.measWindowCheck(m, w, m.Pos) {
		return nil
	}
	return items
}

// measWindowOption reads one of TD= FROM= TO=.
func (e *elab) measWindowOption(m *Measure, w *MeasWindow, it *Item) bool {
	k, _ := plainWord(it.Key)
	v, ok := e.number(it.Value)
	if !ok {
		return false
	}
	switch k {
	case "td":
		if v < 0 {
			e.errorf(toPos(it.Value.Pos), "TD= must not be negative, got %g", v)
			return false
		}
		if m.Analysis != "tran" {
			e.warnf(toPos(it.Pos), "TD= is ignored in .meas %s (it is a time)", m.Analysis)
			return true
		}
		w.TD = v
	case "from":
		w.From, w.HasFrom = v, true
	case "to":
		w.To, w.HasTo = v, true
	}
	return true
}

// measWindowCheck refuses FROM= after TO= where the scale only grows (time, frequency); a
// .dc sweep may run either way, so its window is the range between them.
func (e *elab) measWindowCheck(m *Measure, w *MeasWindow, pos Pos) bool {
	if w.HasFrom && w.HasTo && w.From > w.To && m.Analysis != "dc" {
		e.errorf(pos, "FROM= (%g) is after TO= (%g)", w.From, w.To)
		return false
	}
	return true
}

// measCount reads RISE=n, FALL=n or CROSS=n: a positive integer, or LAST (0).
func (e *elab) measCount(it *Item) (int, bool) {
	if w, ok := plainWord(it.Value); ok && w == "last" {
		return 0, true
	}
	v, ok := e.number(it.Value)
	if !ok {
		return 0, false
	}
	if !(v >= 1) || v != math.Trunc(v) || v > 1e9 {
		e.errorf(toPos(it.Value.Pos), "%s must be a positive integer or LAST, got %g", strings.ToUpper(strings.TrimSpace(it.Key.Word)), v)
		return 0, false
	}
	return int(v), true
}

// isSignalTerm reports whether t names a signal rather than a number: v(b), vdb(b), i(v1),
// par('...').
func isSignalTerm(t *Term) bool {
	if t.Args == nil {
		return false
	}
	w := strings.ToLower(t.Word)
	_, vector := vectorFuncs[w]
	return vector || w == "par"
}

// measExpr reads the expression of a measured signal, par('expr') or {expr}.
func (e *elab) measExpr(src *exprSource, sig MeasSignal, m *Measure) (MeasSignal, bool) {
	n, ok := e.parseExpr(src)
	if !ok {
		return sig, false
	}
	return e.measFolded(n, src, sig, m)
}

// measFolded folds a measured expression and checks the names it reads.
func (e *elab) measFolded(n expr.Node, src *exprSource, sig MeasSignal, m *Measure) (MeasSignal, bool) {
	n, ok := e.foldExpr(n, src)
	if !ok {
		return sig, false
	}
	bad := ""
	expr.Walk(n, func(n expr.Node) bool {
		if id, ok := n.(*expr.Ident); ok && !(id.Name == "time" && m.Analysis == "tran") && bad == "" {
			bad = id.Name
		}
		return bad == ""
	})
	if bad != "" {
		e.errorf(sig.Pos, "%s has no value in .meas %s", bad, m.Analysis)
		return sig, false
	}
	sig.Expr = n
	return sig, true
}

// measSignal reads the signal of a measurement: an output vector, par('expr') or
// Xyce's {expr}.
func (e *elab) measSignal(it *Item, m *Measure) (MeasSignal, bool) {
	sig := MeasSignal{Text: text(trimCommas(it.Tokens)), Pos: toPos(it.Pos)}
	if it.Value == nil && strings.ToLower(it.Key.Word) == "par" && it.Key.Args != nil {
		args := it.Key.Args.Items
		if len(args) != 1 || args[0].Value != nil || args[0].Key.Expr == "" {
			e.errorf(sig.Pos, "expected par('expression'), found %s", quote(sig.Text))
			return sig, false
		}
		if m.Analysis == "ac" {
			e.errorf(sig.Pos, "par('...') is not supported in .meas ac (ngspice computes it with complex values); measure vm(), vp(), vdb(), vr() or vi() of a node")
			return sig, false
		}
		return e.measExpr(exprFrom(trimCommas(args[0].Tokens)), sig, m)
	}
	if isExprItem(it) { // Xyce's {expression}, read as par('expression')
		if m.Analysis == "ac" {
			e.errorf(sig.Pos, "an expression is not supported in .meas ac; measure vm(), vp(), vdb(), vr() or vi() of a node")
			return sig, false
		}
		src := exprFrom(trimCommas(it.Tokens))
		n, ok := e.parseExpr(src)
		if !ok {
			return sig, false
		}
		return e.measFolded(xyceProbes(n), src, sig, m)
	}
	if it.Key.Args == nil && it.Key.Word == "" {
		e.errorf(sig.Pos, "expected a signal (v(node), i(source), par('expr')), found %s", quote(sig.Text))
		return sig, false
	}
	v, ok := e.vector(it)
	if !ok {
		return sig, false
	}
	if v.Name == "all" || v.Kind == VectorInternal && v.Var == "" { // @dev[quantity] is measured
		e.errorf(sig.Pos, "cannot measure %s: expected v(node), i(source), @device[quantity] or par('expr')", v.Name)
		return sig, false
	}
	sig.Vector = v
	return sig, true
}

// measParam reads PARAM='expr': its names must be .param parameters, constants or
// measurements of earlier lines of the same analysis type (which hide a parameter of the
// same name, as in ngspice). It is evaluated after the analysis; .func calls are inlined
// where it reads no earlier result.
func (e *elab) measParam(m *Measure, it *Item) bool {
	src := exprFrom(trimCommas(it.Value.Tokens))
	n, ok := e.parseExpr(src)
	if !ok {
		return false
	}
	earlier := map[string]bool{}
	for _, p := range e.c.Measures {
		if p.Analysis == m.Analysis {
			earlier[p.Name] = true
		}
	}
	// .func calls of an expression of .param values alone are inlined and folded to
	// the number (examples/measure/func_cap.sp); beside earlier results they are refused.
	userFunc, readsResults := false, false
	expr.Walk(n, func(n expr.Node) bool {
		switch n := n.(type) {
		case *expr.Call:
			userFunc = userFunc || e.sc.funcs[n.Func] != nil
		case *expr.Ident:
			readsResults = readsResults || earlier[n.Name]
		}
		return true
	})
	if userFunc && !readsResults {
		if n, ok = e.foldExpr(n, src); !ok {
			return false
		}
	}
	var bad error
	expr.Walk(n, func(n expr.Node) bool {
		if bad != nil {
			return false
		}
		switch n := n.(type) {
		case *expr.Ident:
			_, constant := expr.Constants[n.Name]
			if earlier[n.Name] || constant || e.isParam(n.Name) {
				break
			}
			msg := fmt.Sprintf("unknown name %q: PARAM= reads .param parameters and the results of earlier .meas %s lines", n.Name, m.Analysis)
			if expr.Variables[n.Name] {
				msg = fmt.Sprintf("%s has no value in PARAM=", n.Name)
			}
			bad = &expr.Error{Offset: n.Offset, Msg: msg}
		case *expr.Probe:
			bad = &expr.Error{Offset: n.Offset, Msg: fmt.Sprintf("PARAM= cannot read %s: measure it with FIND par('...') AT=x", expr.ProbeName(n))}
		case *expr.Call:
			if _, ok := expr.Random[n.Func]; ok && (expr.IsRandom(n.Func, len(n.Args)) || expr.Builtins[n.Func].Eval == nil) {
				bad = &expr.Error{Offset: n.Offset, Msg: fmt.Sprintf("%s() is not supported in .meas PARAM=: random functions are drawn when the netlist is read (use a .param)", n.Func)}
				break
			}
			if _, ok := expr.Builtins[n.Func]; !ok {
				bad = &expr.Error{Offset: n.Offset, Msg: fmt.Sprintf("unknown function %q (.func functions are not supported in a .meas PARAM= that reads earlier results)", n.Func)}
			}
		}
		return bad == nil
	})
	if bad != nil {
		e.exprError(src, bad)
		return false
	}
	m.Param = n
	return true
}

// measCountLine reads COUNT signal VAL=level [RISE|FALL|CROSS] [TD=] [FROM=] [TO=]: the
// number of crossings of level in the direction given (RISE by default) within the
// window. ngspice 39 has no COUNT; it is gospice's, in the words of the crossing
// measurements. It returns the items after it.
func (e *elab) measCountLine(m *Measure, items []*Item, end Pos) []*Item {
	const usage = "COUNT signal VAL=value [RISE|FALL|CROSS] [TD=] [FROM=] [TO=]"
	if len(items) == 0 {
		e.errorf(end, "missing the signal after COUNT: %s", usage)
		return nil
	}
	sig, ok := e.measSignal(items[0], m)
	if !ok {
		return nil
	}
	ev := &m.When
	ev.Signal, ev.Edge, ev.Count, ev.Pos = sig, "rise", -1, toPos(items[0].Pos)
	hasVal := false
	for items = items[1:]; len(items) > 0; items = items[1:] {
		it := items[0]
		k, _ := plainWord(it.Key)
		switch {
		case it.Value == nil && (k == "rise" || k == "fall" || k == "cross"):
			ev.Edge = k
		case it.Value != nil && k == "val":
			if ev.Level, ok = e.number(it.Value); !ok {
				return nil
			}
			hasVal = true
		case it.Value != nil && (k == "td" || k == "from" || k == "to"):
			if !e.measWindowOption(m, &ev.Window, it) {
				return nil
			}
		default:
			e.errorf(toPos(it.Pos), "unexpected %s: %s", itemText(it), usage)
			return nil
		}
	}
	if !hasVal {
		e.errorf(ev.Pos, "missing VAL=: %s", usage)
		return nil
	}
	if !e.measWindowCheck(m, &ev.Window, ev.Pos) {
		return nil
	}
	m.Window = ev.Window
	return items
}
