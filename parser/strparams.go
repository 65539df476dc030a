package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/gospice/gospice/parser/expr"
)

// String parameters, as ngspice 39's numparam has them: .param tbl="0001", a .subckt
// parameter with a quoted default (touchstone="device.s2p"), an instance's quoted value
// or the name of a string parameter (table=or), and a concatenation of strings and
// string parameters (.param both=or{and}). ngspice takes them only as values of XSPICE
// code models' parameters (d_lut's table_values, a file name), whose cards gospice keeps
// unread (xspiceModels): gospice carries them, and refuses one where a number is needed.

// quotedText returns the text of a value written as one string in double quotes, which
// may hold spaces ("[1e-12 2e-12]" is two tokens).
func quotedText(toks []lexer.Token) (string, bool) {
	if len(toks) == 0 {
		return "", false
	}
	src := exprFrom(toks).text
	if len(src) < 2 || src[0] != '"' || src[len(src)-1] != '"' || strings.Count(src, `"`) != 2 {
		return "", false
	}
	return src[1 : len(src)-1], true
}

// isConcatenation reports whether toks, written without spaces between them, are
// strings in quotes, names and {name}s, two or more: or{and}.
func isConcatenation(toks []lexer.Token) bool {
	if len(toks) < 2 {
		return false
	}
	for k, t := range toks {
		if k > 0 && toks[k-1].Pos.Offset+len(toks[k-1].Value) != t.Pos.Offset {
			return false
		}
		if _, ok := stringPart(t); !ok {
			return false
		}
	}
	return true
}

// stringToken is one part of a concatenation: a string in quotes, or a parameter's name.
type stringToken struct {
	text   string
	quoted bool // text is the string; else the name of a parameter
}

// stringPart reads one token of a concatenation: a string in quotes, else the name of a
// parameter, bare or in braces.
func stringPart(t lexer.Token) (part stringToken, ok bool) {
	v := t.Value
	switch {
	case t.Type == TokenIdent && len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && strings.Count(v, `"`) == 2:
		part.text, part.quoted = v[1:len(v)-1], true
	case t.Type == TokenIdent && isName(strings.ToLower(v)):
		part.text = strings.ToLower(v)
	case t.Type == TokenExpr && v[0] == '{' && isName(strings.ToLower(strings.TrimSpace(v[1:len(v)-1]))):
		part.text = strings.ToLower(strings.TrimSpace(v[1 : len(v)-1]))
	default:
		return part, false
	}
	return part, true
}

// stringDef makes the definition of a string parameter from a value written as a
// string or a concatenation; nil when the value is neither.
func stringDef(a assignment) *paramDef {
	if s, ok := quotedText(a.value); ok {
		return &paramDef{name: a.name, pos: a.pos, text: &s}
	}
	if isConcatenation(a.value) {
		return &paramDef{name: a.name, pos: a.pos, concat: a.value}
	}
	return nil
}

// textOf is the string a parameter of scope s holds, and whether it holds one: a string,
// a concatenation, or an expression that is the name of a string parameter ({tbl}).
// A concatenation's part that is not a string parameter is an error.
func (e *elab) textOf(s *scope, d *paramDef) (string, bool) {
	switch {
	case d.text != nil:
		return *d.text, true
	case d.concat != nil:
		if text, ok := s.texts[d.name]; ok {
			return text, true
		}
		// Parameters joining each other in a cycle would never end.
		if e.textDepth >= maxNesting {
			e.errorf(d.pos, "string parameter %q joins itself (its parts name each other in a cycle)", d.name)
			return "", true
		}
		e.textDepth++
		defer func() { e.textDepth-- }()
		var b strings.Builder
		for _, t := range d.concat {
			part, _ := stringPart(t)
			if part.quoted {
				b.WriteString(part.text)
				continue
			}
			from := s
			if part.text == d.name {
				from = s.parent // as in {tbl}: a .subckt's p=a{p} joins the caller's p
			}
			s, ok := e.lookupText(from, part.text)
			if !ok {
				e.errorf(toPos(t.Pos), "parameter %q joins strings, but %s is not a string parameter", d.name, part.text)
				s = ""
			}
			b.WriteString(s)
		}
		// Kept in the scope: a definition's concatenation may join each instance's own.
		if s.texts == nil {
			s.texts = map[string]string{}
		}
		s.texts[d.name] = b.String()
		return b.String(), true
	}
	if id, ok := d.node.(*expr.Ident); ok && d.src != nil && e.textDepth < maxNesting {
		from := s
		if id.Name == d.name {
			from = s.parent // a .subckt's tbl={tbl} names the caller's
		}
		e.textDepth++
		defer func() { e.textDepth-- }()
		return e.lookupText(from, id.Name)
	}
	return "", false
}

// instanceText is the string an instance's value gives a subcircuit parameter, if it
// is one: a string, a concatenation, or the name of a string parameter of the caller.
func (e *elab) instanceText(a assignment) (*paramDef, bool) {
	d := stringDef(a)
	if d == nil && len(a.value) == 1 {
		if part, ok := stringPart(a.value[0]); ok && !part.quoted {
			if _, isText := e.lookupText(e.sc, part.text); isText {
				d = &paramDef{name: a.name, pos: a.pos, concat: a.value} // one part: the name
			}
		}
	}
	if d == nil {
		return nil, false
	}
	text, _ := e.textOf(e.sc, d)
	return &paramDef{name: a.name, pos: a.pos, text: &text}, true
}

// lookupText is the string of the parameter name visible from sc, if it holds one.
func (e *elab) lookupText(sc *scope, name string) (string, bool) {
	for s := sc; s != nil; s = s.parent {
		if d, ok := s.params[name]; ok {
			return e.textOf(s, d)
		}
	}
	return "", false
}
