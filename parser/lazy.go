package parser

import (
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Included files are scanned into tokens when read, but a line goes through the grammar
// only when the elaboration first needs it (srcLine.syntax). A model library is mostly
// lines that a netlist never uses (SKY130's tt section is 50,000 lines, of which an
// inverter uses a few dozen): their grammar would cost most of the time of reading it.
// The lines the elaboration reads are parsed exactly as parseLines parses them, and
// their syntax errors are reported where they always were, when the line is elaborated.

// lazyParse is the grammar of a line, left for later.
type lazyParse struct {
	once sync.Once
	toks []lexer.Token // as scanned: the commas that begin the line included
}

// parseLine runs the grammar over one logical line's tokens (Newline last).
func parseLine(toks []lexer.Token) (*Line, *Error) {
	name := ""
	if len(toks) > 0 {
		name = toks[0].Pos.Filename
	}
	lex, err := lexer.Upgrade(&tokenLexer{tokens: toks, eof: eofToken(name, toks)}, TokenComma)
	if err != nil { // cannot happen: tokenLexer does not fail
		return nil, Errorf(toPos(toks[0].Pos), "%v", err)
	}
	line, err := lineParser.ParseFromLexer(lex, participle.AllowTrailing(true))
	if err != nil {
		return nil, syntaxError(err, toks)
	}
	return line, nil
}

// scanLines is parseLines without the grammar: each line's AST is made by its first
// syntax call.
func scanLines(filename, src string, title bool, done <-chan struct{}, p Progress) ([]*srcLine, ErrorList, *posMap) {
	lines, errs, pm := scanFile(filename, src, title, !noFastPath, done, p)
	out := make([]*srcLine, 0, len(lines))
	for _, l := range lines {
		if l.bad {
			continue
		}
		if l.compact {
			out = append(out, &srcLine{compact: compactOf(&filename, l.seg), plain: true})
			continue
		}
		l.tokens = balanceParens(l.tokens)
		if err := checkParens(l.tokens); err != nil {
			if isMeasLine(l.tokens) { // a measurement that fails (parseLines)
				out = append(out, &srcLine{toks: l.tokens, more: &srcMore{synErr: err}})
				continue
			}
			errs = append(errs, err)
			continue
		}
		lead := l.tokens
		for len(lead) > 1 && lead[0].Type == TokenComma {
			lead = lead[1:] // commas that begin a line mean nothing
		}
		out = append(out, &srcLine{toks: lead, more: &srcMore{lazy: &lazyParse{toks: l.tokens}}})
	}
	return out, errs, pm
}
