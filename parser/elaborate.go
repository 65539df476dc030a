package parser

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// Parse reads a netlist; filename is used in positions. When err is not nil it is an
// ErrorList with every problem found (at most MaxErrors, sorted by position), and the
// circuit holds what could be read. Warnings are in Circuit.Warnings either way.
func Parse(filename string, src []byte) (c *Circuit, err error) {
	defer func() {
		// There is no known way to get here; this keeps a bug from crashing the caller.
		if r := recover(); r != nil {
			c = &Circuit{Models: map[string]*Model{}}
			err = ErrorList{Errorf(Pos{File: filename, Line: 1, Col: 1}, "internal error: %v", r)}
		}
	}()
	return parse(filename, src)
}

// ParseFile reads and parses a netlist file. An error reading the file is returned as is.
func ParseFile(path string) (*Circuit, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

func parse(filename string, src []byte) (*Circuit, error) {
	ast, errs := ParseAST(filename, src)
	e := &elab{
		c:          &Circuit{Models: map[string]*Model{}},
		errs:       errs,
		names:      map[string]Pos{},
		modelNames: modelNames(ast),
	}
	for _, l := range ast.Lines {
		if e.ended {
			break
		}
		switch {
		case l.Title != nil:
			e.c.Title = *l.Title
		case l.Dot != nil:
			e.dot(l.Dot)
		case l.Element != nil:
			e.element(l.Element)
		}
	}
	e.finish()
	ErrorList(e.c.Warnings).Sort()
	return e.c, capErrors(e.errs).Err()
}

// elab is the state of the elaboration of a netlist's lines into a circuit.
type elab struct {
	c       *Circuit
	errs    ErrorList
	names   map[string]Pos // element names seen, with their place
	control *Pos           // an open .control line
	ended   bool           // .end was read
	// modelNames holds the name of every .model line of the netlist, read before the
	// elements (a model may be defined after its use), even of those with errors: a Q
	// line's 4th word is the substrate node unless it names a model.
	modelNames map[string]bool
}

// modelNames collects the names of the .model lines of a netlist, up to .end.
func modelNames(ast *Netlist) map[string]bool {
	names := map[string]bool{}
	for _, l := range ast.Lines {
		if l.Dot == nil {
			continue
		}
		switch strings.ToLower(l.Dot.Name) {
		case ".end":
			return names
		case ".model":
			if len(l.Dot.Items) > 0 {
				if n, ok := atom(l.Dot.Items[0]); ok {
					names[n] = true
				}
			}
		}
	}
	return names
}

func (e *elab) errorf(pos Pos, format string, args ...any) {
	e.errs = append(e.errs, Errorf(pos, format, args...))
}

func (e *elab) warnf(pos Pos, format string, args ...any) {
	e.c.Warnings = append(e.c.Warnings, Errorf(pos, format, args...))
}

// finish runs the checks that need the whole netlist.
func (e *elab) finish() {
	if e.control != nil {
		e.warnf(*e.control, ".control block ignored (line %d to the end: no .endc)", e.control.Line)
	}
	for _, el := range e.c.Elements {
		// A model whose line had errors is not in Models, but its errors say enough.
		if el.Model != "" && !e.modelNames[el.Model] {
			hint := ""
			if looksRKM(el.Model) {
				hint = " (values in RKM notation, like 4k7, are not supported)"
			}
			e.errorf(el.ModelPos, "unknown model %q%s", el.Model, hint)
		}
	}
}

// plainWord returns the lowercase word of t when t is a word without arguments.
func plainWord(t *Term) (string, bool) {
	if t.Word != "" && t.Args == nil {
		return strings.ToLower(t.Word), true
	}
	return "", false
}

// atom returns the text of a lone name or number: a node or a source name.
func atom(it *Item) (string, bool) {
	if it.Value != nil {
		return "", false
	}
	if w, ok := plainWord(it.Key); ok {
		return w, true
	}
	if it.Key.Number != "" {
		return strings.ToLower(it.Key.Number), true
	}
	return "", false
}

// isValue reports whether t is a number or an expression: something that evaluates to a number.
func isValue(t *Term) bool { return t.Number != "" || t.Expr != "" }

// node normalizes a node name: lowercase, with gnd the same as 0.
func node(name string) string {
	name = strings.ToLower(name)
	if name == "gnd" {
		return "0"
	}
	return name
}

// number evaluates t, which must be a number or an expression that is a number.
func (e *elab) number(t *Term) (float64, bool) {
	switch {
	case t.Number != "":
		v, err := parseNumber(t.Number)
		if err != nil {
			e.errorf(toPos(t.Pos), "number out of range: %s", quote(t.Number))
			return 0, false
		}
		return v, true
	case t.Expr != "":
		return e.expr(t)
	}
	e.errorf(toPos(t.Pos), "expected a number, found %s", quote(text(t.Tokens)))
	return 0, false
}

// expr evaluates an expression token. Only {number} and 'number' are supported for now.
func (e *elab) expr(t *Term) (float64, bool) {
	inner := strings.TrimSpace(t.Expr[1 : len(t.Expr)-1])
	v, err := parseNumber(inner)
	switch {
	case errors.Is(err, errNumberRange):
		e.errorf(toPos(t.Pos), "number out of range: %s", quote(inner))
		return 0, false
	case err != nil:
		e.errorf(toPos(t.Pos), "expressions are not supported yet")
		return 0, false
	}
	return v, true
}

// itemText is an item as written, quoted for a message.
func itemText(it *Item) string { return quote(text(trimCommas(it.Tokens))) }

// trimCommas drops the commas that begin a node's tokens: participle gives a node the
// elided commas that come before it.
func trimCommas(toks []lexer.Token) []lexer.Token {
	for len(toks) > 0 && toks[0].Type == TokenComma {
		toks = toks[1:]
	}
	return toks
}

// afterComma reports whether a comma comes right before the item: 1,2 rather than 1 2.
func afterComma(it *Item) bool {
	return len(it.Tokens) > 0 && it.Tokens[0].Type == TokenComma
}

// unexpected reports an item that has no place where it is.
func (e *elab) unexpected(it *Item, where string) {
	e.errorf(toPos(it.Pos), "unexpected %s %s", itemText(it), where)
}

// paramList collects name=value items whose values are numbers; what names the owner in
// messages (`model "m"`, `"r1"`).
type paramList struct {
	what   string
	params []Param
	seen   map[string]bool
}

// claim checks that it is name=value with a name not seen before, and returns the name.
func (e *elab) claim(l *paramList, it *Item) (string, bool) {
	name, ok := plainWord(it.Key)
	if !ok || it.Value == nil {
		e.errorf(toPos(it.Pos), "expected name=value, found %s", itemText(it))
		return "", false
	}
	if toks := it.Value.Tokens; len(toks) > 0 && toks[0].Type == TokenComma {
		e.errorf(toPos(toks[0].Pos), "unexpected ',' after '='")
		return "", false
	}
	if l.seen[name] {
		e.errorf(toPos(it.Pos), "duplicate parameter %q of %s", name, l.what)
		return "", false
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[name] = true
	return name, true
}

// addParam reads one name=value item.
func (e *elab) addParam(l *paramList, it *Item) {
	name, ok := e.claim(l, it)
	if !ok {
		return
	}
	if v, ok := e.number(it.Value); ok {
		l.params = append(l.params, Param{Name: name, Value: v, Pos: toPos(it.Pos)})
	}
}

// addList reads a vector parameter: name=value and the values that follow it (more),
// into Value (the first) and List (all).
func (e *elab) addList(l *paramList, it *Item, more []*Item) {
	name, ok := e.claim(l, it)
	if !ok {
		return
	}
	p := Param{Name: name, Pos: toPos(it.Pos)}
	good := true
	for _, t := range append([]*Term{it.Value}, terms(more)...) {
		v, ok := e.number(t)
		good = good && ok
		p.List = append(p.List, v)
	}
	if good {
		p.Value = p.List[0]
		l.params = append(l.params, p)
	}
}

func terms(items []*Item) []*Term {
	var ts []*Term
	for _, it := range items {
		ts = append(ts, it.Key)
	}
	return ts
}

// bareValue reports whether it is a lone number or expression.
func bareValue(it *Item) bool { return it.Value == nil && isValue(it.Key) }

func lineOf(p Pos) string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// looksRKM reports whether a word looks like a value in RKM notation (4k7, 2r2, 1meg5),
// where the scale letter takes the place of the decimal point.
func looksRKM(w string) bool {
	if w == "" || !isDigit(w[0]) {
		return false
	}
	i := 0
	for i < len(w) && isDigit(w[i]) {
		i++
	}
	j := i
	for j < len(w) && isLetter(w[j]) {
		j++
	}
	if j == i || j == len(w) || len(w)-j > 2 {
		return false
	}
	for ; j < len(w); j++ {
		if !isDigit(w[j]) {
			return false
		}
	}
	return true
}
