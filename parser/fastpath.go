package parser

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// The fast path. Most lines of a large netlist are plain element lines: a name, nodes
// and values that are single words or numbers, and key=value pairs of those
// (R12 n1 n2 10, C3 n2 0 10f, M1 d g s b nch w=1u l=0.1u). For them the grammar's answer
// is known without asking participle, whose reflective parse costs some hundred
// allocations a line: plainLine makes the same AST directly (TestFastPathSameAST and
// FuzzFastPath check that it is the same, field for field). Every other line, dot
// commands included, goes through participle.
//
// The AST of a plain line is not kept: it is made again each time the line is
// elaborated (elementSyntax), in memory used again for the next line, for it is five
// times the size of the tokens it is made from, and a Deck keeps its lines as long as
// it lives. Nor are the tokens of a plain R, C, L, V, I... line of one physical line
// (compactLine): they are five times the size of the line's text, and making them again
// from it costs less than keeping them.

// noFastPath turns the fast path off, for tests that compare the two paths.
var noFastPath bool

// isPlain reports whether the fast path takes a line (see plainItems).
func isPlain(toks []lexer.Token) bool {
	if noFastPath {
		return false
	}
	_, _, ok := plainItems(toks)
	return ok
}

// syntax is the AST of a line, or why the grammar refused it: for a plain line the AST
// made now in a (which may be nil); for a line of an included file scanned by scanLines,
// the grammar's, run on the first call (see lazy.go); else the grammar's, run when read.
// A Deck's lines are shared by concurrent elaborations: a lazy parse happens once, under
// its sync.Once.
func (l *srcLine) syntax(a *astArena) (*Line, *Error) {
	if l.compact.text != "" {
		return plainLine(l.compact.tokenize(a), a), nil
	}
	if l.plain {
		return plainLine(l.toks, a), nil
	}
	if m := l.more; m != nil && m.lazy != nil {
		m.lazy.once.Do(func() { m.ast, m.synErr = parseLine(m.lazy.toks) })
	}
	if l.more == nil {
		return nil, nil
	}
	return l.more.ast, l.more.synErr
}

// elementSyntax is the AST of an element line (see syntax), valid until the next call:
// the ASTs of plain lines are made in the same memory each time, which stays in the
// cache and makes no garbage. Nothing keeps a part of an element line's AST once the line
// is read (TestFastPathSameAST would see the circuit change if something did).
func (e *elab) elementSyntax(l *srcLine) (*Line, *Error) {
	if ast := e.ahead.take(l); ast != nil {
		return ast, nil // made beside (syntaxahead.go)
	}
	e.plain.reset()
	return l.syntax(&e.plain)
}

// astArena hands out the tokens of compact lines and the parts of the ASTs of plain
// lines, from memory that it uses again after reset. A nil *astArena allocates them per
// line.
type astArena struct {
	scan   scanner       // tokenizes compact lines
	blocks []*plainBlock // blocks[:used] are handed out
	used   int
	items  []Item
	terms  []Term
	ptrs   []*Item
}

// reset makes the arena's memory free for new ASTs: those made before are invalid.
func (a *astArena) reset() {
	a.used = 0
	a.items, a.terms, a.ptrs = a.items[:0], a.terms[:0], a.ptrs[:0]
	a.scan.chunk = a.scan.chunk[:0]
}

func (a *astArena) alloc(items, terms int) (*plainBlock, []Item, []Term, []*Item) {
	if a == nil {
		return &plainBlock{}, make([]Item, items), make([]Term, terms), make([]*Item, items)
	}
	if a.used == len(a.blocks) {
		a.blocks = append(a.blocks, &plainBlock{})
	}
	a.used++
	return a.blocks[a.used-1], grow(&a.items, items), grow(&a.terms, terms), grow(&a.ptrs, items)
}

// grow extends *s by n zero elements and returns them; they may be memory used before.
func grow[T any](s *[]T, n int) []T {
	k := len(*s)
	*s = slices.Grow(*s, n)[:k+n]
	part := (*s)[k : k+n : k+n]
	clear(part)
	return part
}

// compactLine is a plain element line of one physical line, kept as its text and where
// it is instead of its tokens. X, B, E and G lines are never compact: their elaboration
// reads their tokens.
type compactLine struct {
	text           string  // as the scanner read it: without the comment and the white space around it
	file           *string // shared by the file's lines
	line, col, off int32   // of text[0]; a file read is at most 64 MiB
}

// compactText reports whether the scanner keeps the logical line of one physical line
// text (without its comment and the white space around it) as a compactLine: it is
// plain (see plainItems) and has no lexical error, and it is not an X, B, E or G line.
// It reads the text without making the tokens (TestCompactText and FuzzCompactText
// check that it says what the tokens say): most lines of a large netlist never have
// them made by the scanner.
func compactText(text string) bool {
	if noFastPath {
		return false
	}
	// The tokens must be a name, then words or word=word pairs (see plainItems).
	const (
		name  = iota // the name comes next
		key          // a word comes next, or the end
		keyEq        // after a word that may be a key: a word, '=' or the end
		value        // after '=': a word
	)
	state := name
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == '=':
			if state != keyEq {
				return false
			}
			state = value
			i++
			continue
		case isSpecial(c) || isControl(c): // ( ) , { } ': not plain, or a lexical error
			return false
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n == 1 {
				return false // a lexical error
			}
			if unicode.IsSpace(r) {
				i += n
				continue
			}
		}
		j := wordEnd(text, i)
		if state == name {
			switch c | 0x20 { // lowercase, for a letter
			case 'x', 'b', 'e', 'g':
				return false // their elaboration reads their tokens
			case '.':
				if j-i > 1 && isLetter(text[i+1]) {
					return false // a dot command
				}
			}
		}
		if state == name || state == value {
			state = key // neither the name nor a value is a key
		} else {
			state = keyEq
		}
		i = j
	}
	return state == keyEq || state == key
}

// compactOf is the compactLine of a logical line the scanner kept compact.
func compactOf(file *string, sg segment) compactLine {
	return compactLine{text: sg.text, file: file, line: int32(sg.line), col: int32(sg.col), off: int32(sg.off)}
}

// tokenize makes the line's tokens, as the scanner makes those of other lines, in a's
// memory (valid until a's next reset) or, with a nil a, in new memory.
func (c *compactLine) tokenize(a *astArena) []lexer.Token {
	var s *scanner
	if a != nil {
		s = &a.scan
		s.lines = s.lines[:0]
	} else {
		// Every token holds a byte at least, and the Newline ends them.
		s = &scanner{chunk: make([]lexer.Token, 0, len(c.text)+1)}
	}
	s.file = *c.file
	s.tokenize([]segment{{text: c.text, line: int(c.line), col: int(c.col), off: int(c.off)}})
	return s.lines[0].tokens
}

// isAtom reports whether t is a term the fast path reads: a word or a number.
func isAtom(t lexer.Token) bool { return t.Type == TokenIdent || t.Type == TokenNumber }

// isEquals reports whether t is the '=' of a key=value item.
func isEquals(t lexer.Token) bool { return t.Type == TokenPunct && t.Value == "=" }

// plainItems counts the items and the terms of a plain element line (its tokens, ending
// with the Newline), and says whether it is one: an atom, then atoms or atom=atom pairs.
func plainItems(toks []lexer.Token) (items, terms int, ok bool) {
	n := len(toks) - 1 // without the Newline
	if n < 1 || toks[n].Type != TokenNewline || !isAtom(toks[0]) {
		return 0, 0, false
	}
	for i := 1; i < n; {
		if !isAtom(toks[i]) {
			return 0, 0, false
		}
		items++
		terms++
		if i+1 < n && isEquals(toks[i+1]) {
			if i+2 >= n || !isAtom(toks[i+2]) {
				return 0, 0, false
			}
			terms++
			i += 3
			continue
		}
		i++
	}
	return items, terms, true
}

// plainBlock holds the Line and ElementLine of a plain line, in one allocation.
type plainBlock struct {
	line Line
	el   ElementLine
}

// plainLine makes the AST of a plain element line (see plainItems) in a, the one the
// grammar makes: the Tokens of its items and terms are slices of toks, which nothing
// changes. It returns nil when the line is not plain.
func plainLine(toks []lexer.Token, a *astArena) *Line {
	nitems, nterms, ok := plainItems(toks)
	if !ok {
		return nil
	}
	n := len(toks) - 1
	b, items, terms, ptrs := a.alloc(nitems, nterms)
	b.line = Line{Pos: toks[0].Pos, Element: &b.el}
	b.el = ElementLine{Pos: toks[0].Pos, EndPos: toks[n].Pos, Name: toks[0].Value}
	term := func(i int) *Term {
		t := &terms[0]
		terms = terms[1:]
		t.Pos, t.Tokens = toks[i].Pos, toks[i:i+1]
		if toks[i].Type == TokenIdent {
			t.Word = toks[i].Value
		} else {
			t.Number = toks[i].Value
		}
		return t
	}
	k := 0
	for i := 1; i < n; k++ {
		it := &items[k]
		ptrs[k] = it
		it.Pos, it.Key = toks[i].Pos, term(i)
		if i+1 < n && isEquals(toks[i+1]) {
			it.Value = term(i + 2)
			it.Tokens = toks[i : i+3]
			i += 3
			continue
		}
		it.Tokens = toks[i : i+1]
		i++
	}
	if nitems > 0 { // the grammar leaves Items nil when there are none
		b.el.Items = ptrs
	}
	return &b.line
}
