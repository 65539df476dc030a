// Package control reads ngspice's control language (the lines of a .control block): the
// block structure of a script (Parse) and the vector expressions of its commands
// (ParseExprs). The interpreter that runs it is analysis/control.
package control

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// exprLexer splits an expression: numbers with SPICE's scale letters (1k, 2.5u), vector
// names (out, v1#branch, tran1.time), @device[param] references, strings and operators.
var exprLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "DevParam", Pattern: `([A-Za-z_][A-Za-z0-9_]*\.)?@[A-Za-z0-9_.#:]+\[[A-Za-z0-9_]+\]`}, // dc1.@r1[i]: of a plot
	{Name: "Number", Pattern: `(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[A-Za-z]*`},
	{Name: "String", Pattern: `"[^"]*"`},
	{Name: "Ident", Pattern: `[A-Za-z_#@&$][A-Za-z0-9_#@.:$&]*`},
	{Name: "Op", Pattern: `==|!=|<>|><|<=|>=|&&|\|\||[-+*/%^<>=!~&|?:,()\[\]]`},
	{Name: "Space", Pattern: `\s+`},
})

// Exprs is a list of expressions written one after the other, as print takes them:
// print v(out) v(in)*2 db(v(out)).
type Exprs struct {
	List []*Expr `parser:"@@*"`
}

// Expr is an expression: cond ? then : else, or a plain Or.
type Expr struct {
	Pos    lexer.Position
	EndPos lexer.Position
	// Text is the expression as written (a top-level one of ParseExprs): the name print
	// gives its column.
	Text string
	Cond *Or   `parser:"@@"`
	Then *Expr `parser:"( \"?\" @@"`
	Else *Expr `parser:"  \":\" @@ )?"`
}

// Or is a | b (also || and or).
type Or struct {
	Left  *And   `parser:"@@"`
	Right []*And `parser:"( (\"|\" | \"||\" | \"or\") @@ )*"`
}

// And is a & b (also && and and).
type And struct {
	Left  *Cmp   `parser:"@@"`
	Right []*Cmp `parser:"( (\"&\" | \"&&\" | \"and\") @@ )*"`
}

// Cmp is a comparison, true (1) or false (0) element by element; >< is <>, as in ngspice.
type Cmp struct {
	Left  *Sum   `parser:"@@"`
	Op    string `parser:"( @(\"==\" | \"=\" | \"!=\" | \"<>\" | \"><\" | \"<=\" | \">=\" | \"<\" | \">\" | \"eq\" | \"ne\" | \"lt\" | \"gt\" | \"le\" | \"ge\")"`
	Right *Sum   `parser:"  @@ )?"`
}

// Sum is a sum or difference of products.
type Sum struct {
	Left *Prod    `parser:"@@"`
	Rest []*SumOp `parser:"@@*"`
}

// SumOp is + or - and its operand.
type SumOp struct {
	Op    string `parser:"@(\"+\" | \"-\")"`
	Right *Prod  `parser:"@@"`
}

// Prod is a product, quotient or remainder of unary terms.
type Prod struct {
	Left *Unary    `parser:"@@"`
	Rest []*ProdOp `parser:"@@*"`
}

// ProdOp is *, / or % and its operand.
type ProdOp struct {
	Op    string `parser:"@(\"*\" | \"/\" | \"%\")"`
	Right *Unary `parser:"@@"`
}

// Unary is -x, +x, !x (not x, ~x), or a power.
type Unary struct {
	Op  string `parser:"(  @(\"-\" | \"+\" | \"!\" | \"~\" | \"not\")"`
	Sub *Unary `parser:"   @@ )"`
	Pow *Power `parser:"| @@"`
}

// Power is base ^ exponent (right-associative).
type Power struct {
	Base *Postfix `parser:"@@"`
	Exp  *Unary   `parser:"( \"^\" @@ )?"`
}

// Postfix is a primary with its indexes: v[3], v[2,5].
type Postfix struct {
	Prim  *Primary `parser:"@@"`
	Index []*Index `parser:"@@*"`
}

// Index is [i] or the range [lo,hi].
type Index struct {
	Lo *Expr `parser:"\"[\" @@"`
	Hi *Expr `parser:"( \",\" @@ )? \"]\""`
}

// Primary is a number, a string, a device parameter, a vector name or function call, an
// expression in parentheses, or a complex number (re, im) as ngspice writes one.
type Primary struct {
	Number   *string  `parser:"  @Number"`
	Str      *string  `parser:"| @String"`
	DevParam *string  `parser:"| @DevParam"`
	Complex  *Complex `parser:"| @@"`
	Call     *Call    `parser:"| @@"`
	Paren    *Expr    `parser:"| \"(\" @@ \")\""`
}

// Complex is ngspice's complex number (re, im), of two numbers: (0,2) is 2j.
type Complex struct {
	Re *Signed `parser:"\"(\" @@"`
	Im *Signed `parser:"\",\" @@ \")\""`
}

// Signed is a number with its sign.
type Signed struct {
	Minus  bool   `parser:"@\"-\"?"`
	Number string `parser:"@Number"`
}

func (n *Signed) String() string {
	if n.Minus {
		return "-" + n.Number
	}
	return n.Number
}

// Call is a name, with arguments when it is a function call or a form like v(out).
type Call struct {
	Name   string  `parser:"@Ident"`
	Parens bool    `parser:"( @\"(\""`
	Args   []*Expr `parser:"  ( @@ ( \",\" @@ )* )? \")\" )?"`
}

var exprParser = participle.MustBuild[Exprs](
	participle.Lexer(exprLexer),
	participle.Elide("Space"),
	participle.UseLookahead(4),
)

// ParseExprs reads a list of expressions.
func ParseExprs(text string) ([]*Expr, error) {
	e, err := exprParser.ParseString("", text)
	if err != nil {
		return nil, cleanError(err)
	}
	for _, x := range e.List {
		if 0 <= x.Pos.Offset && x.Pos.Offset <= x.EndPos.Offset && x.EndPos.Offset <= len(text) {
			x.Text = strings.TrimSpace(text[x.Pos.Offset:x.EndPos.Offset])
		} else {
			x.Text = x.String()
		}
	}
	return e.List, nil
}

// ParseExpr reads one expression; anything after it is an error.
func ParseExpr(text string) (*Expr, error) {
	list, err := ParseExprs(text)
	if err != nil {
		return nil, err
	}
	switch len(list) {
	case 0:
		return nil, fmt.Errorf("missing expression")
	case 1:
		return list[0], nil
	}
	return nil, fmt.Errorf("one expression expected, found %d: %q", len(list), text)
}

// cleanError drops participle's position prefix: the caller names the line.
func cleanError(err error) error {
	if pe, ok := err.(participle.Error); ok {
		return fmt.Errorf("column %d: %s", pe.Position().Column, pe.Message())
	}
	return err
}

// String writes an expression back as text, without spaces: the name that print gives a
// column, and the text of a form like v(net-1) whose arguments are node names.
func (e *Expr) String() string {
	s := e.Cond.String()
	if e.Then != nil {
		s += "?" + e.Then.String() + ":" + e.Else.String()
	}
	return s
}

func (o *Or) String() string {
	s := o.Left.String()
	for _, r := range o.Right {
		s += "|" + r.String()
	}
	return s
}

func (a *And) String() string {
	s := a.Left.String()
	for _, r := range a.Right {
		s += "&" + r.String()
	}
	return s
}

// Compares says whether c is a comparison, not Left alone. Op alone does not say it:
// the parser may keep a word it tried as an operator and gave back (the gt of
// "gt(a, b) gt(b, a)", two calls of a function gt).
func (c *Cmp) Compares() bool { return c.Op != "" && c.Right != nil }

func (c *Cmp) String() string {
	if !c.Compares() {
		return c.Left.String()
	}
	if c.Op[0] >= 'a' && c.Op[0] <= 'z' { // eq, gt ...
		return c.Left.String() + " " + c.Op + " " + c.Right.String()
	}
	return c.Left.String() + c.Op + c.Right.String()
}

func (s *Sum) String() string {
	out := s.Left.String()
	for _, r := range s.Rest {
		out += r.Op + r.Right.String()
	}
	return out
}

func (p *Prod) String() string {
	out := p.Left.String()
	for _, r := range p.Rest {
		out += r.Op + r.Right.String()
	}
	return out
}

func (u *Unary) String() string {
	if u.Pow != nil {
		return u.Pow.String()
	}
	if u.Op == "not" {
		return "not " + u.Sub.String()
	}
	return u.Op + u.Sub.String()
}

func (p *Power) String() string {
	if p.Exp == nil {
		return p.Base.String()
	}
	return p.Base.String() + "^" + p.Exp.String()
}

func (p *Postfix) String() string {
	s := p.Prim.String()
	for _, ix := range p.Index {
		s += "[" + ix.Lo.String()
		if ix.Hi != nil {
			s += "," + ix.Hi.String()
		}
		s += "]"
	}
	return s
}

func (p *Primary) String() string {
	switch {
	case p.Number != nil:
		return *p.Number
	case p.Str != nil:
		return *p.Str
	case p.DevParam != nil:
		return *p.DevParam
	case p.Call != nil:
		return p.Call.String()
	case p.Complex != nil:
		return "(" + p.Complex.Re.String() + "," + p.Complex.Im.String() + ")"
	}
	return "(" + p.Paren.String() + ")"
}

func (c *Call) String() string {
	if !c.Parens {
		return c.Name
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = a.String()
	}
	return c.Name + "(" + strings.Join(args, ",") + ")"
}
