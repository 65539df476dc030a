package parser

import (
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// The forms of model cards that ngspice 39 accepts beyond name=value lists (each
// measured with ngspice 39 on a diode card; see TestModelCardForms):
//
//   - the '=' may be left out: .model d1 d is 1e-12 n 2 (ngspice reads '=', '(' and ')'
//     as separators between a name and its value);
//   - parentheses may be nested or repeated: .model d1 d ((is=1e-12)) (n=2), is=(1e-12);
//   - a number where a parameter name is expected (RTH0 94 = .006, CJC=1p .00 FC=0.5) is
//     an unrecognized parameter: ngspice warns and ignores it;
//   - a parameter given twice takes its last value (see paramList.claim).

// modelItems is the list of name=value items of a model card's parameters: the groups in
// parentheses flattened, a name followed by its value read as name=value, and stray
// values warned about and left out.
func (e *elab) modelItems(items []*Item) []*Item {
	flat := flattenGroups(nil, items)
	out := flat[:0:0]
	for i := 0; i < len(flat); i++ {
		it := flat[i]
		if it.Value != nil {
			it = unwrapValue(it)
			out = append(out, it)
			continue
		}
		if bareValue(it) {
			e.warnf(toPos(it.Pos), "unrecognized parameter %s ignored (as in ngspice)", itemText(it))
			continue
		}
		if _, ok := plainWord(it.Key); ok && i+1 < len(flat) && e.isBareValue(flat[i+1]) {
			next := flat[i+1]
			i++
			if next.Value != nil { // RTH0 94 = .006: 94 is RTH0's, .006 a stray value
				e.warnf(toPos(next.Value.Pos), "unrecognized parameter %s ignored (as in ngspice)",
					quote(text(trimCommas(next.Value.Tokens))))
			}
			out = append(out, &Item{Pos: it.Pos, Key: it.Key, Value: next.Key,
				Tokens: append(append([]lexer.Token(nil), it.Tokens...), next.Key.Tokens...)})
			continue
		}
		out = append(out, it)
	}
	return out
}

// isBareValue reports whether the key of it is a value that may follow a parameter name
// without '=': a number, an expression or a .param name (ngspice substitutes those
// before reading the card).
func (e *elab) isBareValue(it *Item) bool {
	if isValue(it.Key) {
		return true
	}
	w, ok := plainWord(it.Key)
	return ok && e.isParam(w)
}

// flattenGroups appends items to dst with the parenthesised groups among them replaced
// by their items, at any depth.
func flattenGroups(dst, items []*Item) []*Item {
	for _, it := range items {
		if it.Value == nil && it.Key.Group != nil {
			dst = flattenGroups(dst, it.Key.Group.Items)
			continue
		}
		dst = append(dst, it)
	}
	return dst
}

// unwrapValue returns it with a value in parentheses, is=(1e-12), read as the value.
func unwrapValue(it *Item) *Item {
	v := it.Value
	for v.Group != nil && len(v.Group.Items) == 1 && v.Group.Items[0].Value == nil {
		v = v.Group.Items[0].Key
	}
	if v == it.Value {
		return it
	}
	c := *it
	c.Value = v
	return &c
}

// drop removes the parameters named name, for a later value to replace them.
func (l *paramList) drop(name string) {
	kept := l.params[:0]
	for _, p := range l.params {
		if p.Name != name {
			kept = append(kept, p)
		}
	}
	l.params = kept
}

// equalsCompare returns the tokens of a .if or .elseif condition with each lone '='
// written '==': ngspice 39 reads .if (x = 2) as a comparison (measured), as its numparam
// expressions do. An '=' that is part of ==, <=, >= or != is left alone; toks is not
// changed.
func equalsCompare(toks []lexer.Token) []lexer.Token {
	var out []lexer.Token
	for i, t := range toks {
		if t.Value != "=" {
			continue
		}
		if i > 0 && adjacent(toks[i-1], t) && strings.ContainsAny(toks[i-1].Value[len(toks[i-1].Value)-1:], "=<>!") {
			continue
		}
		if i+1 < len(toks) && adjacent(t, toks[i+1]) && toks[i+1].Value[0] == '=' {
			continue
		}
		if out == nil {
			out = append([]lexer.Token(nil), toks...)
		}
		out[i].Value = "=="
	}
	if out == nil {
		return toks
	}
	return out
}

// adjacent reports whether b begins right where a ends.
func adjacent(a, b lexer.Token) bool {
	return a.Pos.Filename == b.Pos.Filename && a.Pos.Offset+len(a.Value) == b.Pos.Offset
}

// isNodeWord reports whether it is a lone name, which a part function reads as a node
// (phase(out) is vp(out)).
func isNodeWord(it *Item) bool {
	_, ok := plainWord(it.Key)
	return ok
}

// partFuncs are ngspice's (nutmeg's) functions of a complex vector that .print and
// .save accept around v() and i(): db(v(out)) is vdb(out), ph(i(v1)) ip(v1). Phases are
// in degrees, as gospice's vp() (ngspice's are in radians); abs is mag (ngspice 39
// prints the same numbers for both).
var partFuncs = map[string]ACPart{
	"db": ACDB, "ph": ACPhase, "phase": ACPhase, "mag": ACMag, "abs": ACMag,
	"real": ACReal, "imag": ACImag,
}

// partVector reads fn(v(...)) or fn(i(...)) for fn one of partFuncs; handled is false
// when it is not such a call.
func (e *elab) partVector(it *Item, fn string) (v Vector, ok, handled bool) {
	part, isPart := partFuncs[fn]
	if !isPart || it.Value != nil || it.Key.Args == nil {
		return Vector{}, false, false
	}
	args := it.Key.Args.Items
	if len(args) != 1 || args[0].Value != nil || (args[0].Key.Args == nil && !isNodeWord(args[0])) {
		e.errorf(toPos(it.Pos), "%s() takes a vector such as v(out) or i(v1), found %s", fn, itemText(it))
		return Vector{}, false, true
	}
	v, ok = e.vector(args[0])
	if !ok {
		return Vector{}, false, true
	}
	if (v.Kind != VectorVoltage && v.Kind != VectorCurrent) || v.Part != ACNone {
		e.errorf(toPos(it.Pos), "%s() takes v() or i(), found %s", fn, itemText(args[0]))
		return Vector{}, false, true
	}
	v.Part, v.Bare = part, false
	v.Name, v.Pos = v.String(), toPos(it.Pos)
	return v, true, true
}

// balanceParens returns the tokens of a line with the parentheses ngspice 39 lets go
// unbalanced put right, for the grammar; see balanceTable, balanceModel and balanceProbe.
func balanceParens(toks []lexer.Token) []lexer.Token {
	return measEquals(balanceProbe(balanceModel(balanceTable(toks))))
}

// measEquals returns the tokens of a .meas line with each "==" read as "=": ngspice 39
// measures WHEN v(2)==v(1) as WHEN v(2)=v(1) (measured, buggy-meas-tran.sp). Other
// lines are returned as they are.
func measEquals(toks []lexer.Token) []lexer.Token {
	if !isMeasLine(toks) {
		return toks
	}
	out := toks[:0:0]
	for i, t := range toks {
		if i > 0 && isEquals(t) && isEquals(toks[i-1]) && toks[i-1].Pos.Offset+1 == t.Pos.Offset {
			continue
		}
		out = append(out, t)
	}
	return out
}

// isMeasLine says whether the tokens are of a .meas or .measure line.
func isMeasLine(toks []lexer.Token) bool {
	return len(toks) > 0 && toks[0].Type == TokenDot && (strings.EqualFold(toks[0].Value, ".meas") || strings.EqualFold(toks[0].Value, ".measure"))
}

// balanceTable returns the tokens of an E or G line with TABLE without the closing
// parentheses that close nothing, and with those left open closed at the line's end:
// ngspice reads a table's numbers whatever its parentheses (MCP6041.txt writes
// ((-1,-1n)(0,0)(3.4k,1n))(3.5k,1)) and ((-3.5k,-1)((-3.4k,-1n)(0,0)(1,1n))). Other
// lines are returned as they are.
func balanceTable(toks []lexer.Token) []lexer.Token {
	if len(toks) == 0 || toks[0].Type != TokenIdent || !strings.ContainsRune("eEgG", rune(toks[0].Value[0])) ||
		!slices.ContainsFunc(toks, func(t lexer.Token) bool { return t.Type == TokenIdent && strings.EqualFold(t.Value, "table") }) {
		return toks
	}
	out, open := withoutStrayClosers(toks)
	if open > 0 && len(out) > 0 && out[len(out)-1].Type == TokenNewline {
		nl := out[len(out)-1]
		out = out[:len(out)-1]
		for ; open > 0; open-- {
			out = append(out, lexer.Token{Type: TokenPunct, Value: ")", Pos: nl.Pos})
		}
		out = append(out, nl)
	}
	return out
}

// balanceModel returns the tokens of a .model line without the ')' that close nothing:
// ngspice 39 reads the parameters around them, silently (measured: .model dm d
// (is=1e-12) n=2) and .model dm d is=1e-12) n=2 are both is=1e-12 n=2; 555-timer-2.cir
// ends a card with TR=159N)). Other lines are returned as they are.
func balanceModel(toks []lexer.Token) []lexer.Token {
	if len(toks) == 0 || toks[0].Type != TokenDot || !strings.EqualFold(toks[0].Value, ".model") || checkParens(toks) == nil {
		return toks
	}
	out, _ := withoutStrayClosers(toks)
	return out
}

// withoutStrayClosers returns toks without the ')' that close nothing, and how many '('
// are left open.
func withoutStrayClosers(toks []lexer.Token) (out []lexer.Token, open int) {
	out = make([]lexer.Token, 0, len(toks))
	for _, t := range toks {
		if t.Type == TokenPunct && t.Value == ")" {
			if open == 0 {
				continue
			}
			open--
		}
		if t.Type == TokenPunct && t.Value == "(" {
			open++
		}
		out = append(out, t)
	}
	return out, open
}

// valueWithoutEquals returns the tokens of an E or G line whose VALUE keyword at i is
// followed by its {expression} without '=', with the '=' put in: ngspice 39 reads
// E1 out 0 VALUE {v(a)*2} as VALUE={v(a)*2} (measured; it does not for VOL or CUR).
// Other lines are returned as they are.
func valueWithoutEquals(toks []lexer.Token, i int) []lexer.Token {
	if i+1 >= len(toks) || toks[i].Type != TokenIdent || !strings.EqualFold(toks[i].Value, "value") || toks[i+1].Type != TokenExpr {
		return toks
	}
	out := make([]lexer.Token, 0, len(toks)+1)
	out = append(out, toks[:i+1]...)
	out = append(out, lexer.Token{Type: TokenPunct, Value: "=", Pos: toks[i+1].Pos})
	return append(out, toks[i+1:]...)
}

// dosEndOfFile is the character MS-DOS editors wrote at the end of a text file (^Z).
const dosEndOfFile = "\x1a"

// trimDOSEndOfFile returns text without a ^Z that only white space follows: vendors'
// model files (TL072.301) end so, and ngspice 39 reads them (measured). A ^Z elsewhere
// stays, and is an invalid character.
func trimDOSEndOfFile(text string) string {
	t := strings.TrimRight(text, " \t\r\n")
	if strings.HasSuffix(t, dosEndOfFile) {
		return t[:len(t)-len(dosEndOfFile)]
	}
	return text
}

// balanceProbe returns the tokens of a .probe line with each ')' that closes nothing made
// part of the word before it (a word of its own when a space comes between): ngspice 39
// warns "unknown .probe parameter hhhh)" and goes on (examples/probe/mos-test.cir), and
// so does gospice, which warns about the word and ignores it. Other lines are returned as
// they are.
func balanceProbe(toks []lexer.Token) []lexer.Token {
	if len(toks) == 0 || toks[0].Type != TokenDot || !strings.EqualFold(toks[0].Value, ".probe") || checkParens(toks) == nil {
		return toks
	}
	out := make([]lexer.Token, 0, len(toks))
	depth := 0
	for _, t := range toks {
		switch {
		case t.Type == TokenPunct && t.Value == "(":
			depth++
		case t.Type == TokenPunct && t.Value == ")" && depth > 0:
			depth--
		case t.Type == TokenPunct && t.Value == ")":
			if last := len(out) - 1; out[last].Type == TokenIdent && adjacent(out[last], t) {
				out[last].Value += ")"
				continue
			}
			t.Type = TokenIdent
		}
		out = append(out, t)
	}
	return out
}
