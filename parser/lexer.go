package parser

import (
	"io"
	"runtime"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/internal/hugepages"
)

// Token types of the SPICE lexer.
const (
	TokenTitle   lexer.TokenType = iota + 1 // the first line, or the text of a .title line
	TokenNewline                            // the end of a logical line
	TokenDot                                // a dot command at the start of a line: .tran
	TokenIdent                              // a name: r1, net-1, a[0], pulse
	TokenNumber                             // a word shaped like a number: 1k, -3, 1e-3, 10pF
	TokenExpr                               // {expression} or 'expression', delimiters included
	TokenPunct                              // = ( )
	TokenComma                              // , which separates like white space
)

var tokenSymbols = map[string]lexer.TokenType{
	"EOF":     lexer.EOF,
	"Title":   TokenTitle,
	"Newline": TokenNewline,
	"Dot":     TokenDot,
	"Ident":   TokenIdent,
	"Number":  TokenNumber,
	"Expr":    TokenExpr,
	"Punct":   TokenPunct,
	"Comma":   TokenComma,
}

// Lexer is the SPICE lexer as a participle lexer definition. It knows the line structure of
// a netlist: the title line, * comment lines, ; and $ inline comments, + continuation lines
// (which may follow comment and blank lines), .control blocks (skipped whole) and .end (the
// text after it is not read). Each logical line ends with a Newline token.
var Lexer lexer.Definition = spiceLexer{}

type spiceLexer struct{}

func (spiceLexer) Symbols() map[string]lexer.TokenType { return tokenSymbols }

func (l spiceLexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return l.LexBytes(filename, src)
}

func (l spiceLexer) LexString(filename, input string) (lexer.Lexer, error) {
	return l.LexBytes(filename, []byte(input))
}

// LexBytes lexes a whole file; the first lexical error, if any, is returned as a participle error.
func (spiceLexer) LexBytes(filename string, input []byte) (lexer.Lexer, error) {
	lines, errs := scan(filename, input)
	if len(errs) > 0 {
		errs.Sort()
		e := errs[0]
		return nil, participle.Errorf(lexer.Position{Filename: e.Pos.File, Line: int(e.Pos.Line), Column: int(e.Pos.Col)}, "%s", e.Msg)
	}
	var toks []lexer.Token
	for _, l := range lines {
		toks = append(toks, l.tokens...)
	}
	return &tokenLexer{tokens: toks, eof: eofToken(filename, toks)}, nil
}

func eofToken(filename string, toks []lexer.Token) lexer.Token {
	pos := lexer.Position{Filename: filename, Line: 1, Column: 1}
	if len(toks) > 0 {
		pos = toks[len(toks)-1].Pos
	}
	return lexer.EOFToken(pos)
}

// tokenLexer replays a list of tokens, then EOF.
type tokenLexer struct {
	tokens []lexer.Token
	eof    lexer.Token
}

func (t *tokenLexer) Next() (lexer.Token, error) {
	if len(t.tokens) == 0 {
		return t.eof, nil
	}
	tok := t.tokens[0]
	t.tokens = t.tokens[1:]
	return tok, nil
}

// logicalLine is the tokens of one logical line, ending with its Newline token.
type logicalLine struct {
	tokens []lexer.Token
	bad    bool // a lexical error was found in it

	// A plain element line of one physical line, when the scanner was asked to keep such
	// lines compact: its tokens are not kept (tokens is nil), only where it is (see
	// compactLine).
	compact bool
	seg     segment
}

// segment is a piece of a physical line that is part of a logical line.
type segment struct {
	text      string
	line, col int // of text[0]; col counts bytes from 1
	off       int // file offset of text[0]
	start     int // offset of text[0] in the joined logical line
	lid       int // the logical line it belongs to
}

// posMap places the characters of a file's logical lines: the segments of every logical
// line, in file order.
type posMap struct {
	segs []segment
}

// at is the position of the character k bytes after p in its logical line (p is the
// position of a token; k may go past the end of p's physical line into a continuation
// line).
func (m *posMap) at(p lexer.Position, k int) lexer.Position {
	j := -1
	if m != nil {
		j = sort.Search(len(m.segs), func(j int) bool { return m.segs[j].off > p.Offset }) - 1
	}
	if j < 0 || p.Offset > m.segs[j].off+len(m.segs[j].text) {
		// A line of one segment that the map does not hold (a compact line, the title).
		p.Column += k
		p.Offset += k
		return p
	}
	idx := m.segs[j].start + (p.Offset - m.segs[j].off) + k
	for j+1 < len(m.segs) && m.segs[j+1].lid == m.segs[j].lid && m.segs[j+1].start <= idx {
		j++
	}
	sg := m.segs[j]
	d := idx - sg.start
	return lexer.Position{Filename: p.Filename, Line: sg.line, Column: sg.col + d, Offset: sg.off + d}
}

// scan splits src into logical lines and tokens. It never fails: problems are errors in
// the returned list, and the lines that hold them are marked bad.
func scan(filename string, src []byte) ([]logicalLine, ErrorList) {
	lines, errs, _ := scanFile(filename, string(src), true, false, nil, nil)
	return lines, errs
}

// closed reports whether done is closed; a nil done never is.
func closed(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// scanFile is scan for a netlist (title is true: its first line is the title) or for an
// included file (no title line). With compact, the plain element lines of one physical
// line are kept without their tokens (see compactLine). The position map it returns places the characters
// inside tokens, such as those of an expression that continues on a + line. When done is
// closed, it stops at the next line. It tells p (which may be nil) how many physical
// lines it has read.
func scanFile(filename, src string, title, compact bool, done <-chan struct{}, p Progress) ([]logicalLine, ErrorList, *posMap) {
	s := &scanner{file: filename, pm: &posMap{}, compact: compact}
	if isUTF16(src) {
		// Read as bytes, every other one a NUL: one error says why, not twenty.
		s.errorf(Pos{File: filename, Line: 1, Col: 1}, "the file is encoded in UTF-16; save it as UTF-8 or ASCII text")
		src = ""
	}
	text := trimDOSEndOfFile(src)
	if !strings.Contains(text, "\n") {
		// Classic Mac line ends: a lone CR ends each line.
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	n := strings.Count(text, "\n") + 1
	phys, offs := make([]string, 0, n), make([]int, 0, n)
	s.lines = make([]logicalLine, 0, n)
	hugepages.Advise(phys)
	hugepages.Advise(offs)
	hugepages.Advise(s.lines)
	for off := 0; ; {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			phys = append(phys, text[off:])
			offs = append(offs, off)
			break
		}
		phys = append(phys, text[off:off+i])
		offs = append(offs, off)
		off += i + 1
	}
	for i := range phys {
		phys[i] = strings.TrimSuffix(phys[i], "\r")
	}
	defer p.report("reading", filename, len(phys), len(phys))

	first := 1
	if title {
		// The first line is the title, whatever it holds.
		title := strings.TrimPrefix(phys[0], "\ufeff")
		bom := len(phys[0]) - len(title)
		title = strings.TrimRightFunc(title, unicode.IsSpace)
		s.lines = append(s.lines, logicalLine{tokens: []lexer.Token{
			{Type: TokenTitle, Value: strings.ToValidUTF8(title, "\ufffd"), Pos: s.pos(1, 1+bom, bom)},
			{Type: TokenNewline, Value: "\n", Pos: s.pos(1, 1+bom+len(title), bom+len(title))},
		}})
	} else {
		first = 0
		if strings.HasPrefix(phys[0], "\ufeff") {
			phys[0] = strings.Repeat(" ", len("\ufeff")) + phys[0][len("\ufeff"):]
		}
	}

	if mid := splitPoint(phys, first); mid > 0 {
		return s.scanHalves(phys, offs, first, mid, done, p)
	}
	s.scanRange(phys, offs, first, len(phys), done, p)
	return s.lines, s.errs, s.pm
}

// parallelScanLines is the fewest physical lines a file has for scanFile to scan its two
// halves at once, on two cores; tests lower it.
var parallelScanLines = 1 << 14

// splitPoint is where scanFile may split a file of physical lines phys, read from first
// on, in two: a line near the middle that starts a logical line (not blank, a comment or
// a + continuation), so that no logical line spans the halves. It is 0 when the file
// is not split: too short, one core, or no such line.
func splitPoint(phys []string, first int) int {
	if len(phys)-first < parallelScanLines || runtime.GOMAXPROCS(0) < 2 {
		return 0
	}
	for mid := first + (len(phys)-first)/2; mid < len(phys); mid++ {
		if body, _ := stripComment(phys[mid]); body != "" && body[0] != '*' && body[0] != '+' {
			return mid
		}
	}
	return 0
}

// scanHalves is scanFile's loop over phys[first:mid] in s and phys[mid:] in another
// scanner at the same time, joined into s's lines, errors and position map as if s had
// read them all. The second half is thrown away and read again after the first when the
// first half did not end at mid: a .control block runs past it, or .end or done stopped
// it.
func (s *scanner) scanHalves(phys []string, offs []int, first, mid int, done <-chan struct{}, p Progress) ([]logicalLine, ErrorList, *posMap) {
	// A physical line makes at most one logical line, so the first half's lines fit
	// below index mid of s.lines' array (made for one per physical line) and the second
	// half writes its own in the array from mid on, on its core: the join then moves
	// them down by the lines the first half did not make (none in a plain netlist)
	// instead of the first core writing them all into memory it had not touched. The
	// caps keep each half in its part; a half that outgrows it has its own array.
	all := s.lines[:cap(s.lines)]
	s.lines = s.lines[:len(s.lines):mid]
	s2 := &scanner{file: s.file, pm: &posMap{}, compact: s.compact, lines: all[mid:mid]}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s2.scanRange(phys, offs, mid, len(phys), done, nil) // the progress is told by the first half
	}()
	next, ended := s.scanRange(phys, offs, first, mid, done, p)
	<-finished
	inPlace := cap(s.lines) == mid && len(s2.lines) <= len(all)-mid // neither half outgrew its part
	switch {
	case ended || closed(done):
		if inPlace {
			clear(s2.lines) // what the lines dropped point to is garbage
		}
		return s.lines, s.errs, s.pm
	case next != mid:
		if inPlace {
			clear(s2.lines)
			s.lines = all[:len(s.lines)] // the rest of the file goes where the second half was
		}
		s.scanRange(phys, offs, next, len(phys), done, p)
		return s.lines, s.errs, s.pm
	}
	base := len(s.lines)
	for _, sg := range s2.pm.segs {
		sg.lid += base
		s.pm.segs = append(s.pm.segs, sg)
	}
	if inPlace {
		s.lines = all[:base+len(s2.lines)]
		copy(s.lines[base:], s2.lines) // nothing moves when the first half made mid lines
		clear(all[len(s.lines) : mid+len(s2.lines)])
	} else {
		s.lines = append(s.lines, s2.lines...)
	}
	s.errs = append(s.errs, s2.errs...)
	return s.lines, s.errs, s.pm
}

// scanRange reads the physical lines phys[from:to] (offs are their offsets in the file)
// into s's logical lines, going on past to while a .control block lasts. It returns the
// index of the line after the last it read, and whether that was .end.
func (s *scanner) scanRange(phys []string, offs []int, from, to int, done <-chan struct{}, p Progress) (next int, ended bool) {
	filename := s.file
	var cur []segment // the logical line being built; tokenize keeps no reference to it
	flush := func() {
		if len(cur) > 0 {
			s.tokenize(cur)
			cur = cur[:0]
		}
	}
	i := from
	for ; i < to; i++ {
		if closed(done) {
			return i, false
		}
		p.report("reading", filename, i, len(phys))
		body, col := stripComment(phys[i])
		if body == "" || body[0] == '*' {
			continue // blank or comment line
		}
		seg := segment{text: body, line: i + 1, col: col, off: offs[i] + col - 1}
		if body[0] == '+' {
			if len(cur) == 0 {
				s.errorf(Pos{File: filename, Line: int32(i + 1), Col: int32(col)}, "continuation line without a line to continue")
				continue
			}
			rest := strings.TrimLeftFunc(body[1:], unicode.IsSpace)
			if rest == "" {
				continue // a lone +
			}
			skip := len(body) - len(rest)
			seg.text, seg.col, seg.off = rest, col+skip, seg.off+skip
			cur = append(cur, seg)
			continue
		}
		flush()
		switch dotWord(body) {
		case ".end":
			s.tokenize([]segment{seg})
			return i + 1, true
		case ".control":
			s.tokenize([]segment{seg})
			// Skip the block's lines raw: they are shell commands, not netlist lines.
			for i++; i < len(phys); i++ {
				b, _ := stripComment(phys[i])
				if dotWord(b) == ".endc" {
					break
				}
			}
			i-- // the .endc line, if any, is read as a line of its own
			continue
		}
		cur = append(cur, seg)
	}
	flush()
	return i, false
}

// isUTF16 reports whether src looks like UTF-16 text: it starts with a UTF-16 byte order
// mark, or its first characters are ASCII with a NUL byte before or after each.
func isUTF16[T string | []byte](src T) bool {
	if len(src) >= 2 && (src[0] == 0xff && src[1] == 0xfe || src[0] == 0xfe && src[1] == 0xff) {
		return true
	}
	if len(src) < 4 {
		return false
	}
	n := min(len(src), 64) &^ 1
	for _, hi := range []int{0, 1} { // big-endian: the NUL comes first
		ok := true
		for i := 0; i < n; i += 2 {
			if src[i+hi] != 0 || src[i+1-hi] == 0 || src[i+1-hi] >= 0x80 {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// stripComment removes an inline comment (after ; anywhere, after $ at the start of the line
// or preceded by white space) and the white space around what is left; col is the column
// of the first byte left.
func stripComment(line string) (body string, col int) {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ';':
			line = line[:i]
		case '$':
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
				line = line[:i]
			}
		}
	}
	trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
	col = 1 + len(line) - len(trimmed)
	return strings.TrimRightFunc(trimmed, unicode.IsSpace), col
}

// dotWord is the first word of line in lowercase when it is a dot command, else "": the
// lowercase copy is made only for the few lines that need it.
func dotWord(line string) string {
	if !strings.HasPrefix(line, ".") {
		return ""
	}
	return strings.ToLower(firstWord(line))
}

// firstWord is the text of line up to the first white space.
func firstWord(line string) string {
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		return line[:i]
	}
	return line
}

type scanner struct {
	file  string
	lines []logicalLine
	errs  ErrorList
	pm    *posMap
	chunk []lexer.Token // where the tokens of the lines read are kept (see push)

	compact bool // keep plain element lines of one physical line without their tokens
}

func (s *scanner) pos(line, col, off int) lexer.Position {
	return lexer.Position{Filename: s.file, Line: line, Column: col, Offset: off}
}

func (s *scanner) errorf(pos Pos, format string, args ...any) {
	s.errs = append(s.errs, Errorf(pos, format, args...))
}

// isSpecial reports whether c ends a word.
func isSpecial(c byte) bool {
	switch c {
	case '=', '(', ')', ',', '{', '}', '\'':
		return true
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

func isControl(c byte) bool { return c < 0x20 && !isSpace(c) || c == 0x7f }

// tokenize reads the tokens of a logical line made of segs.
func (s *scanner) tokenize(segs []segment) {
	if s.compact && len(segs) == 1 && compactText(segs[0].text) {
		// Its tokens are made when it is read (compactLine.tokenize); the position map
		// needs nothing.
		s.lines = append(s.lines, logicalLine{compact: true, seg: segs[0]})
		return
	}
	text := segs[0].text // a line of one segment is read in place
	if len(segs) > 1 {
		var b strings.Builder
		for i := range segs {
			if i > 0 {
				b.WriteByte(' ')
			}
			segs[i].start = b.Len()
			b.WriteString(segs[i].text)
		}
		text = b.String()
	}
	at := func(i int) lexer.Position {
		// The last segment that starts at or before i.
		k := sort.Search(len(segs), func(k int) bool { return segs[k].start > i }) - 1
		d := i - segs[k].start
		return s.pos(segs[k].line, segs[k].col+d, segs[k].off+d)
	}
	line := logicalLine{}
	first := len(s.chunk) // the line's tokens are s.chunk[first:]
	emit := func(typ lexer.TokenType, start, end int) {
		first = s.push(first, lexer.Token{Type: typ, Value: text[start:end], Pos: at(start)})
	}
	fail := func(i int, format string, args ...any) {
		p := at(i)
		s.errorf(Pos{File: p.Filename, Line: int32(p.Line), Col: int32(p.Column)}, format, args...)
		line.bad = true
	}
	i := 0
loop:
	for i < len(text) {
		c := text[i]
		switch {
		case isSpace(c):
			i++
		case c == '=' || c == '(' || c == ')':
			emit(TokenPunct, i, i+1)
			i++
		case c == ',':
			emit(TokenComma, i, i+1)
			i++
		case c == '{':
			depth, j := 0, i
			for ; j < len(text); j++ {
				if text[j] == '{' {
					depth++
				} else if text[j] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j == len(text) {
				fail(i, "unterminated expression: missing '}'")
				break loop
			}
			emit(TokenExpr, i, j+1)
			i = j + 1
		case c == '\'':
			j := strings.IndexByte(text[i+1:], '\'')
			if j < 0 {
				fail(i, "unterminated expression: missing closing quote")
				break loop
			}
			emit(TokenExpr, i, i+j+2)
			i += j + 2
		case c == '}':
			fail(i, "unexpected '}'")
			i++
		case isControl(c):
			fail(i, "invalid character %U", rune(c))
			i++
		default:
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(text[i:])
				if r == utf8.RuneError && n == 1 {
					fail(i, "invalid UTF-8 encoding")
					i++
					continue
				}
				if unicode.IsSpace(r) {
					i += n
					continue
				}
			}
			j := wordEnd(text, i)
			word := text[i:j]
			switch {
			case len(s.chunk) == first && len(word) > 1 && word[0] == '.' && isLetter(word[1]):
				emit(TokenDot, i, j)
				if strings.EqualFold(word, ".title") {
					rest := strings.TrimLeftFunc(text[j:], unicode.IsSpace)
					if rest != "" {
						emit(TokenTitle, len(text)-len(rest), len(text))
					}
					i = len(text)
					continue
				}
			case isNumber(word):
				emit(TokenNumber, i, j)
			default:
				emit(TokenIdent, i, j)
			}
			i = j
		}
	}
	first = s.push(first, lexer.Token{Type: TokenNewline, Value: "\n", Pos: at(len(text))})
	line.tokens = s.chunk[first:len(s.chunk):len(s.chunk)]
	if s.pm != nil {
		for _, sg := range segs {
			sg.lid = len(s.lines)
			s.pm.segs = append(s.pm.segs, sg)
		}
	}
	s.lines = append(s.lines, line)
}

// wordEnd is the end of the word that starts at text[i]: the first white space, special
// character, control character or invalid UTF-8 after it, or the end of text.
func wordEnd(text string, i int) int {
	j := i
	for j < len(text) {
		d := text[j]
		if isSpace(d) || isSpecial(d) || isControl(d) {
			break
		}
		if d >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(text[j:])
			if r == utf8.RuneError && n == 1 || unicode.IsSpace(r) {
				break
			}
			j += n
			continue
		}
		j++
	}
	return j
}

// tokenChunk is the number of tokens the scanner allocates at once.
const tokenChunk = 4096

// push appends a token of the line whose tokens begin at s.chunk[first], and returns
// where they begin: the lines of a file share a few large allocations, with no room
// left unused in each. A line that does not fit in the chunk moves to a new one.
func (s *scanner) push(first int, t lexer.Token) int {
	if len(s.chunk) == cap(s.chunk) {
		part := s.chunk[first:]
		s.chunk = make([]lexer.Token, len(part), max(tokenChunk, 2*len(part)))
		copy(s.chunk, part)
		first = 0
	}
	s.chunk = append(s.chunk, t)
	return first
}
