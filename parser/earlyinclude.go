package parser

import (
	"bytes"
	"context"
	"path/filepath"
)

// A caller that does not elaborate a netlist whose .include names a file that cannot be
// read (see Deck.Incomplete; gospice does not) gains nothing from parsing all of it:
// ngspice says so at once, for it stops at the first include. With a context from
// StopAtMissingInclude, missingInclude looks for that case before the netlist is parsed, in its raw lines: an .include of the top level that every reading
// reaches, of a file that cannot be read. It stops looking at the first line whose
// meaning needs the parser (.lib, .endl, .end), and leaves every line it is not sure of
// (continued, quoted oddly, more than one word) to the parse. TestMissingIncludeEarly
// checks that what it reports is what the parse reports.

type stopKey struct{}

// StopAtMissingInclude returns a context with which ParseDeck and ParseDeckFile stop at
// the first .include of the netlist's top level whose file cannot be read, when they
// find it before parsing the rest (they look at the raw lines first): the Deck then
// holds that error alone, and is Incomplete. Without it, a Deck holds every error of the
// lines it could read, and the rest of the netlist can be elaborated.
func StopAtMissingInclude(ctx context.Context) context.Context {
	return context.WithValue(ctx, stopKey{}, true)
}

// stopsAtMissingInclude reports whether ctx comes from StopAtMissingInclude.
func stopsAtMissingInclude(ctx context.Context) bool {
	stop, _ := ctx.Value(stopKey{}).(bool)
	return stop
}

// missingInclude reports, as include does, the first .include of the netlist src (named
// name, whose first line is the title) that cannot be read, and says whether it found
// one. A file that can be read is kept for the parse (e.readFile caches it).
func (e *elab) missingInclude(name string, src []byte) bool {
	if !e.stopEarly || isUTF16(src) || !bytes.Contains(src, []byte{'\n'}) {
		return false // the scanner reads the last two differently: leave them to it
	}
	_, off := physLine(src, 0) // the title
	for line := 2; off < len(src); line++ {
		lineOff := off
		phys, next := physLine(src, off)
		off = next
		if bytes.IndexByte(phys, '.') < 0 {
			continue // an element or a comment: most lines, and no command
		}
		body, col := stripComment(string(phys))
		switch dotWord(body) {
		case ".control": // its lines are commands of another language, up to .endc
			for off < len(src) {
				b, next := physLine(src, off)
				off = next
				line++
				if w, _ := stripComment(string(b)); dotWord(w) == ".endc" {
					break
				}
			}
		case ".lib", ".endl", ".end":
			return false
		case ".include", ".inc":
			if !continued(src[next:]) && e.unreadable(name, src, body, line, col, lineOff+col-1) {
				return true
			}
		}
	}
	return false
}

// physLine is the physical line of src that starts at off, without its line end, and
// the offset of the next.
func physLine(src []byte, off int) (line []byte, next int) {
	end := bytes.IndexByte(src[off:], '\n')
	if end < 0 {
		return bytes.TrimSuffix(src[off:], []byte{'\r'}), len(src)
	}
	return bytes.TrimSuffix(src[off:off+end], []byte{'\r'}), off + end + 1
}

// continued reports whether the next line of src that is not blank or a comment
// continues the one before it (starts with +).
func continued(src []byte) bool {
	for off := 0; off < len(src); {
		phys, next := physLine(src, off)
		off = next
		if body, _ := stripComment(string(phys)); body != "" && body[0] != '*' {
			return body[0] == '+'
		}
	}
	return false
}

// unreadable reports the file of an .include line (body, at line:col and offset off of
// the netlist name, whose text is src) when it cannot be read, as include does: the line
// is tokenized by the scanner and its file name read by the same functions, so that the
// message and its place are the parse's. A line that parseLines drops (a lexical error,
// parentheses that do not balance) is left to the parse.
func (e *elab) unreadable(name string, src []byte, body string, line, col, off int) bool {
	s := &scanner{file: name, pm: &posMap{}}
	s.tokenize([]segment{{text: body, line: line, col: col, off: off}})
	if len(s.errs) > 0 || len(s.lines) != 1 || len(s.lines[0].tokens) < 3 || checkParens(s.lines[0].tokens) != nil {
		return false
	}
	e.srcs[name] = string(src) // what rawArgs reads the line from (readDeck keeps it too)
	l := &srcLine{toks: s.lines[0].tokens}
	words, ok := splitArgs(e.rawArgs(l))
	if !ok || len(words) != 1 {
		return false // the parse says what is wrong with it
	}
	path := words[0]
	file := path
	if !filepath.IsAbs(path) {
		file = filepath.Join(filepath.Dir(name), path)
	}
	if _, err := e.readFile(filepath.Clean(file)); err != nil {
		e.errorf(toPos(l.toks[1].Pos), "cannot read %s: %v", quote(path), err)
		e.incomplete = true
		return true
	}
	return false
}
