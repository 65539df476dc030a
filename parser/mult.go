package parser

import "math"

// The m= of an X line multiplies every element the instance holds, through nested
// instances, as ngspice 39 does: an element's own m (1 when not given) times the m of
// each X line above it. ngspice gives it to the elements that take a multiplier; here
// those are R, C, L, D, M, Q, J, B, G and F.

// multiplied are the element kinds that take m=.
var multiplied = map[byte]bool{'r': true, 'c': true, 'l': true, 'd': true, 'm': true, 'q': true,
	'j': true, 'b': true, 'g': true, 'f': true}

// instanceMult reads the m= of X line inst: a positive constant.
func (e *elab) instanceMult(inst string, a assignment) (float64, bool) {
	saved := e.draw
	e.draw = &drawCtx{key: "param:" + inst + ".m"}
	v, n, ok := e.tokenValue(a.value)
	e.draw = saved
	switch {
	case !ok:
		return 1, false
	case n != nil:
		e.errorf(a.pos, "m of %s must be a constant, not depend on %s", inst, depends(n))
		return 1, false
	case !(v > 0) || math.IsInf(v, 0):
		e.errorf(a.pos, "m of %s must be positive, got %g", inst, v)
		return 1, false
	}
	return v, true
}

// multiply gives el the multiplier of the instances it is in.
func (e *elab) multiply(el *Element) {
	k := e.sc.mult
	if k == 1 || !multiplied[el.Kind] {
		return
	}
	for i := range el.Params() {
		if p := &el.extra.params[i]; p.Name == "m" {
			p.Value *= k
			return
		}
	}
	ex := el.more()
	ex.params = append(ex.params, Param{Name: "m", Value: k, Pos: el.Pos})
}
