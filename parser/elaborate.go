package parser

import (
	"errors"
	"fmt"
	"os"
	"strings"
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
		c:     &Circuit{Models: map[string]*Model{}},
		errs:  errs,
		names: map[string]Pos{},
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
		if el.Model != "" {
			if _, ok := e.c.Models[el.Model]; !ok {
				hint := ""
				if looksRKM(el.Model) {
					hint = " (values in RKM notation, like 4k7, are not supported)"
				}
				e.errorf(el.ModelPos, "unknown model %q%s", el.Model, hint)
			}
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
func itemText(it *Item) string { return quote(text(it.Tokens)) }

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

// add reads one name=value item.
func (e *elab) addParam(l *paramList, it *Item) {
	name, ok := plainWord(it.Key)
	if !ok || it.Value == nil {
		e.errorf(toPos(it.Pos), "expected name=value, found %s", itemText(it))
		return
	}
	if l.seen[name] {
		e.errorf(toPos(it.Pos), "duplicate parameter %q of %s", name, l.what)
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[name] = true
	if v, ok := e.number(it.Value); ok {
		l.params = append(l.params, Param{Name: name, Value: v, Pos: toPos(it.Pos)})
	}
}

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
