package parser

import (
	"errors"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/internal/hugepages"
)

// The grammar of a logical line. Every line has the same shape; what the items mean is
// decided by the elaboration, per element kind and dot command.
//
//	Line    = ( Title | DotLine | ElementLine )? Newline
//	DotLine = Dot ( Title | Item+ )?
//	ElementLine = ( Ident | Number ) Item*
//	Item    = Term ( "=" Term )?
//	Term    = Ident Args? | Number | Expr | Args
//	Args    = "(" Item* ")"
//
// Commas separate like white space, as in ngspice (the parser elides them), and Args
// keeps its items apart, so v(a,b) has two arguments. An Item's or Term's Tokens begin
// with the commas before it, which is how the elaboration tells m=1,2 from m=1 2.

// Netlist is the AST of a file: its logical lines in order, the title line first.
type Netlist struct {
	Lines []*Line
}

// Line is one logical line: the title, a dot command or an element.
type Line struct {
	Pos     lexer.Position
	Title   *string      `parser:"(  @Title"`
	Dot     *DotLine     `parser:" | @@"`
	Element *ElementLine `parser:" | @@ )? Newline"`
}

// DotLine is a dot command: .tran 1n 1u, .model d1 d(is=1f), .title text.
type DotLine struct {
	Pos    lexer.Position
	EndPos lexer.Position // where the line ends
	Name   string         `parser:"@Dot"`
	Text   *string        `parser:"(  @Title"`
	Items  []*Item        `parser:" | @@+ )?"`
}

// ElementLine is an element: its name, then items (nodes, values, key=value pairs).
type ElementLine struct {
	Pos    lexer.Position
	EndPos lexer.Position // where the line ends
	Name   string         `parser:"@( Ident | Number )"`
	Items  []*Item        `parser:"@@*"`
}

// Item is a term, or key=value where the key may be a call: m=2, v(out)=1.
type Item struct {
	Pos    lexer.Position
	Key    *Term `parser:"@@"`
	Value  *Term `parser:"( '=' @@ )?"`
	Tokens []lexer.Token
}

// Term is a word with optional arguments (pulse(0 1), v(a,b)), a number, an expression,
// or a parenthesized list.
type Term struct {
	Pos    lexer.Position
	Word   string `parser:"(  @Ident"`
	Args   *Args  `parser:"   @@?"`
	Number string `parser:" | @Number"`
	Expr   string `parser:" | @Expr"`
	Group  *Args  `parser:" | @@ )"`
	Tokens []lexer.Token
}

// Args is a parenthesized list of items.
type Args struct {
	Pos   lexer.Position
	Items []*Item `parser:"'(' @@* ')'"`
}

var lineParser = participle.MustBuild[Line](
	participle.Lexer(Lexer),
	participle.Elide("Comma"),
)

// maxDepth bounds the nesting of parentheses, so that no input can exhaust the stack.
const maxDepth = 64

// ParseAST reads the logical lines of a netlist into an AST. Lines with lexical or
// syntax errors are left out; the errors say why.
func ParseAST(filename string, src []byte) (*Netlist, ErrorList) {
	lines, errs, _ := parseLines(filename, string(src), true, nil, nil)
	n := &Netlist{}
	for _, l := range lines {
		if ast, _ := l.syntax(nil); ast != nil {
			n.Lines = append(n.Lines, ast)
		} else {
			errs = append(errs, l.synErr())
		}
	}
	return n, errs
}

// srcLine is a logical line of a file: its tokens, and its AST when the grammar reads it.
// Some lines (.param, .func, .subckt, X, B, E and G lines) are read from their tokens,
// where expressions need not be quoted: .param x = a==b is not a grammar line.
//
// A large netlist has a srcLine for each of its hundreds of thousands of lines, most of
// them compact: what few lines have is behind more.
type srcLine struct {
	compact compactLine   // a plain line kept as its text: text is set (see fastpath.go)
	toks    []lexer.Token // the line's tokens, commas included, Newline last; nil for a compact line
	more    *srcMore      // nil for a plain line
	plain   bool          // a plain element line, whose AST syntax makes when asked (see fastpath.go)
}

// srcMore is what the lines that are not plain have: few in a large netlist.
type srcMore struct {
	ast    *Line      // the grammar's
	synErr *Error     // why the grammar did not read it, when ast is nil and plain is not set
	lazy   *lazyParse // set when the grammar has not run yet (see lazy.go)
	body   *lazyBody  // set on the line that stands for a .subckt body left for later
}

// synErr is why the grammar did not read the line, if it did not.
func (l *srcLine) synErr() *Error {
	if l.more == nil {
		return nil
	}
	return l.more.synErr
}

// lazyBody is the .subckt body the line stands for, if it stands for one.
func (l *srcLine) lazyBody() *lazyBody {
	if l.more == nil {
		return nil
	}
	return l.more.body
}

// parseLines reads the logical lines of a file; title says whether its first line is the
// title (a netlist) or not (an included file). Lines with lexical errors are left out;
// the errors say why. When done is closed, it stops at the next line and returns no lines.
// It tells p (which may be nil) how far it has come: "reading" the physical lines, then
// "parsing" those that are not plain with the grammar.
func parseLines(filename, src string, title bool, done <-chan struct{}, p Progress) ([]*srcLine, ErrorList, *posMap) {
	lines, errs, pm := scanFile(filename, src, title, !noFastPath, done, p)
	// Plain element lines take the fast path (see fastpath.go). The other good lines go
	// through participle as one token stream, one Line at a time, so that a syntax error
	// costs only its line.
	out := make([]*srcLine, 0, len(lines))
	slabs := make([]srcLine, len(lines)) // one allocation for the srcLines
	hugepages.Advise(slabs)
	file := &filename // the name its compact lines share
	var all []lexer.Token
	var slow []*srcLine // the lines left to participle, in order
	for i := range lines {
		l := &lines[i]
		if l.bad {
			continue
		}
		sl := &slabs[i]
		if l.compact {
			sl.compact, sl.plain = compactOf(file, l.seg), true
			out = append(out, sl)
			continue
		}
		l.tokens = balanceParens(l.tokens)
		if err := checkParens(l.tokens); err != nil {
			if isMeasLine(l.tokens) { // a measurement that fails, not a bad netlist (dotLine)
				sl.toks, sl.more = l.tokens, &srcMore{synErr: err}
				out = append(out, sl)
				continue
			}
			errs = append(errs, err)
			continue
		}
		sl.toks = l.tokens
		if isPlain(l.tokens) {
			sl.plain = true
		} else {
			all = append(all, l.tokens...)
			slow = append(slow, sl)
		}
		out = append(out, sl)
	}
	if len(slow) == 0 {
		return out, errs, pm
	}
	lex, err := lexer.Upgrade(&tokenLexer{tokens: all, eof: eofToken(filename, all)}, TokenComma)
	if err != nil { // cannot happen: tokenLexer does not fail
		return nil, append(errs, Errorf(Pos{File: filename, Line: 1, Col: 1}, "%v", err)), pm
	}
	for k, sl := range slow {
		if closed(done) {
			return nil, errs, pm // the reading stops: its lines are not used
		}
		p.report("parsing", filename, k, len(slow))
		toks := sl.toks
		start := lex.MakeCheckpoint()
		line, err := lineParser.ParseFromLexer(lex, participle.AllowTrailing(true))
		lead := toks
		for len(lead) > 1 && lead[0].Type == TokenComma {
			lead = lead[1:] // commas that begin a line mean nothing
		}
		sl.toks = lead
		if err != nil {
			sl.more = &srcMore{synErr: syntaxError(err, toks)}
		} else {
			sl.more = &srcMore{ast: line}
		}
		// Go on from the next line, whatever the parser consumed.
		lex.LoadCheckpoint(start)
		for _, t := range toks {
			if t.Type != TokenComma { // Next skips the elided commas
				lex.Next()
			}
		}
	}
	p.report("parsing", filename, len(slow), len(slow))
	return out, errs, pm
}

// checkParens checks that the parentheses of a line balance and do not nest deeper than
// maxDepth, so that the grammar's recursion stays shallow.
func checkParens(toks []lexer.Token) *Error {
	var open []lexer.Position // of the unclosed parentheses
	for _, t := range toks {
		if t.Type != TokenPunct {
			continue
		}
		switch t.Value {
		case "(":
			open = append(open, t.Pos)
			if len(open) > maxDepth {
				return Errorf(toPos(t.Pos), "parentheses nested too deeply")
			}
		case ")":
			if len(open) == 0 {
				return Errorf(toPos(t.Pos), "unmatched ')'")
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		return Errorf(toPos(open[len(open)-1]), "unclosed '('")
	}
	return nil
}

// syntaxError turns a participle error into an *Error at the offending token.
func syntaxError(err error, toks []lexer.Token) *Error {
	var ut *participle.UnexpectedTokenError
	if errors.As(err, &ut) {
		u := ut.Unexpected
		// participle reports a failed key=value at its '='; the culprit is what follows,
		// unless the '=' itself has no key before it.
		var solid []lexer.Token // the tokens without commas
		for _, t := range toks {
			if t.Type != TokenComma {
				solid = append(solid, t)
			}
		}
		for i := 1; i+1 < len(solid); i++ {
			t, prev, next := solid[i], solid[i-1], solid[i+1]
			if t.Pos != u.Pos || t.Type != TokenPunct || t.Value != "=" ||
				prev.Type == TokenPunct && prev.Value != ")" || prev.Type == TokenDot {
				continue
			}
			if next.Type == TokenNewline {
				return Errorf(toPos(u.Pos), "missing value after '='")
			}
			return Errorf(toPos(next.Pos), "unexpected %s after '='", describeToken(next))
		}
		return Errorf(toPos(u.Pos), "unexpected %s", describeToken(u))
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		return Errorf(toPos(pe.Position()), "%s", pe.Message())
	}
	return Errorf(toPos(toks[0].Pos), "%v", err)
}

func isPunct(t lexer.Token) bool { return t.Type == TokenPunct || t.Type == TokenComma }

func describeToken(t lexer.Token) string {
	switch {
	case t.Type == TokenNewline || t.Type == lexer.EOF:
		return "end of line"
	case isPunct(t):
		return "'" + t.Value + "'"
	}
	return quote(t.Value)
}

func toPos(p lexer.Position) Pos {
	return Pos{File: p.Filename, Line: int32(p.Line), Col: int32(p.Column)}
}

// text renders tokens back as source text, with no space around punctuation.
func text(toks []lexer.Token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && !isPunct(t) && !isPunct(toks[i-1]) {
			b.WriteByte(' ')
		}
		b.WriteString(t.Value)
	}
	return b.String()
}

// quote quotes s for a message, shortening it when long.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xc0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return `"` + s + `"`
}
