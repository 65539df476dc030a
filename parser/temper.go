package parser

import "github.com/gospice/gospice/parser/expr"

// A .param whose value reads temper is evaluated at the circuit temperature, as ngspice
// 39 does (measured: .param rt='1k*(1+0.01*(temper-27))' makes R1 a 0 {rt} 2k under
// .temp 127 or .options temp=127, 1k without). It is evaluated once, when the netlist is
// elaborated: a .dc or .step over temp does not change it, in ngspice either. SKY130's
// 20 V FETs compute their drift resistance so.

// lastTemp finds the value of the circuit temperature of the top level: the last .temp
// line (its first value) or .options temp=, whichever comes later.
func lastTemp(lines []*srcLine) *Term {
	var t *Term
	depth := 0
	for _, l := range lines {
		switch dotName(l) {
		case ".subckt":
			depth++
		case ".ends":
			depth = max(depth-1, 0)
		case ".temp":
			if ast, _ := l.syntax(nil); depth == 0 && ast != nil && ast.Dot != nil && len(ast.Dot.Items) > 0 && ast.Dot.Items[0].Value == nil {
				t = ast.Dot.Items[0].Key
			}
		case ".options", ".option", ".opt":
			ast, _ := l.syntax(nil)
			if depth > 0 || ast == nil || ast.Dot == nil {
				continue
			}
			for _, it := range ast.Dot.Items {
				if w, ok := plainWord(it.Key); ok && w == "temp" && it.Value != nil {
					t = it.Value
				}
			}
		}
	}
	return t
}

// tempValue is the circuit temperature in °C for the parameters that read temper: see
// lastTemp; 27 when the netlist sets none, or sets one with an error.
func (e *elab) tempValue() float64 {
	if e.tempDone {
		return e.tempC
	}
	e.tempDone, e.tempC = true, nominalTemp
	t := e.deck.temp
	if t == nil {
		return e.tempC
	}
	// In the top level, whichever parameter reads it first: its errors are the top
	// level's, reported once (the .temp or .options line finds them reported).
	saved, savedNo := e.sc, e.noRandom
	e.sc, e.noRandom = e.topScope(e.root, true), ".temp"
	v, ok := e.number(t)
	e.sc, e.noRandom = saved, savedNo
	if ok {
		e.tempC = v
	}
	return e.tempC
}

// temperParam evaluates the folded value n of parameter d, which reads temper and
// nothing else that changes, at the circuit temperature.
func (e *elab) temperParam(d *paramDef, n expr.Node) (float64, bool) {
	t := e.tempValue()
	v, err := expr.Eval(n, map[string]float64{"temper": t})
	if err != nil {
		e.errorf(d.pos, "parameter %q at temper=%g: %s", d.name, t, expr.Message(err))
		return 0, false
	}
	return v, true
}
