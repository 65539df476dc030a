package parser

import (
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2/lexer"
)

// The bodies of the .subckt definitions of included files are not even split into tokens
// until an instance needs them: a model library is mostly such bodies (SKY130's FETs are
// subcircuits of some 5,000 lines of model cards each), and a netlist uses few of them.
// When an included file is read, its bodies are found by their .subckt and .ends lines,
// blanked out of the text the file is scanned from, and kept as lazyBody placeholders
// among its lines; the first X line that instantiates the definition scans its body (once
// for the Deck) and sorts its lines into the definition. A body holding lines that
// change how the lines around them are read (.include, .lib, .if, .global, a nested
// .subckt, .control, .end) is read with the file, as before.

// lazyBody is the body of a .subckt definition of an included file: the lines after the
// .subckt line (and its continuations) up to the .ends line.
type lazyBody struct {
	file       string
	src        []byte // the whole file
	start, end int    // the body's bytes in src
	line       int    // of start, from 1

	once  sync.Once
	lines []*srcLine
	errs  ErrorList
	pm    *posMap
}

// scan splits the body into lines, once: its lexical errors are errs.
func (b *lazyBody) scan() []*srcLine {
	b.once.Do(func() {
		// The file with everything before the body blanked, new lines kept, so that
		// positions are those of the file.
		text := make([]byte, b.end)
		for i := range b.start {
			if c := b.src[i]; c == '\n' || c == '\r' {
				text[i] = c
			} else {
				text[i] = ' '
			}
		}
		copy(text[b.start:], b.src[b.start:b.end])
		b.lines, b.errs, b.pm = scanLines(b.file, string(text), false, nil, nil)
	})
	return b.lines
}

// lazyForbidden are the dot commands that keep a body from being left for later.
var lazyForbidden = map[string]bool{
	".include": true, ".inc": true, ".lib": true, ".endl": true, ".if": true, ".elseif": true,
	".else": true, ".endif": true, ".global": true, ".subckt": true, ".control": true,
	".endc": true, ".end": true,
}

// findBodies finds the bodies of the .subckt definitions of an included file that may be
// left for later; see lazyBody.
func findBodies(file string, src []byte) []*lazyBody {
	if bytes.IndexByte(src, '\n') < 0 {
		return nil // lone CRs end the lines: read it whole
	}
	const (
		outside = iota
		header  // the .subckt line and its continuations
		body
		skipped // a body read with the file, up to its .ends
		control // a .control block
	)
	var out []*lazyBody
	state, depth := outside, 0
	var cur *lazyBody
	lineNo := 0
	all := string(src)
	for off := 0; off < len(all); {
		lineNo++
		end := strings.IndexByte(all[off:], '\n')
		next := off + end + 1
		if end < 0 {
			end, next = len(all)-off, len(all)
		}
		text, _ := stripComment(strings.TrimSuffix(all[off:off+end], "\r"))
		word := strings.ToLower(firstWord(text))
		if state == header && (text == "" || text[0] == '*' || text[0] == '+') {
			off = next
			continue
		}
		if state == header {
			state, cur = body, &lazyBody{file: file, src: src, start: off, line: lineNo}
		}
		switch state {
		case outside:
			switch word {
			case ".subckt":
				state = header
			case ".control":
				state = control
			}
		case control: // shell commands, up to .endc
			if word == ".endc" {
				state = outside
			}
		case body:
			switch {
			case word == ".ends":
				if cur.end = off; cur.end > cur.start {
					out = append(out, cur)
				}
				state, cur = outside, nil
			case lazyForbidden[word]:
				state, depth, cur = skipped, 0, nil
				if word == ".subckt" {
					depth = 1
				}
			}
		case skipped:
			switch word {
			case ".subckt":
				depth++
			case ".ends":
				if depth == 0 {
					state = outside
				}
				depth--
			}
		}
		off = next
	}
	return out
}

// maskBodies returns src with the bytes of bodies blanked (new lines kept).
func maskBodies(src []byte, bodies []*lazyBody) []byte {
	if len(bodies) == 0 {
		return src
	}
	out := bytes.Clone(src)
	for _, b := range bodies {
		for i := b.start; i < b.end; i++ {
			if c := out[i]; c != '\n' && c != '\r' {
				out[i] = ' '
			}
		}
	}
	return out
}

// placeBodies inserts a placeholder line for each body among the lines of its file, in
// order: before the first line that begins after the body's start.
func placeBodies(lines []*srcLine, bodies []*lazyBody) []*srcLine {
	if len(bodies) == 0 {
		return lines
	}
	out := make([]*srcLine, 0, len(lines)+len(bodies))
	k := 0
	for _, l := range lines {
		for k < len(bodies) && l.offset() >= bodies[k].start {
			out = append(out, bodies[k].placeholder())
			k++
		}
		out = append(out, l)
	}
	for ; k < len(bodies); k++ {
		out = append(out, bodies[k].placeholder())
	}
	return out
}

// placeholder is the line that stands for the body among the lines of its file: an empty
// line (which reads as nothing) that structure recognizes.
func (b *lazyBody) placeholder() *srcLine {
	pos := lexer.Position{Filename: b.file, Offset: b.start, Line: b.line, Column: 1}
	return &srcLine{toks: []lexer.Token{{Type: TokenNewline, Value: "\n", Pos: pos}}, more: &srcMore{body: b}}
}

// expand sorts the lines of def's bodies left for later into def, before its first
// instance is flattened: its .param, .func and .model lines and the rest of its body.
func (e *elab) expand(def *subcktDef) {
	if len(def.lazy) == 0 {
		return
	}
	bodies := def.lazy
	def.lazy = nil
	saved := e.sc
	for e.sc != nil && e.sc.parent != nil {
		e.sc = e.sc.parent // what is found is the definition's, not an instance's
	}
	defer func() { e.sc = saved }()
	for _, b := range bodies {
		lines := b.scan()
		for _, err := range b.errs {
			e.errorf(err.Pos, "%s", err.Msg)
		}
		for _, l := range lines {
			switch cmd := dotName(l); cmd {
			case ".param", ".params", ".parameter", ".parameters":
				e.paramLine(l, def)
			case ".func":
				e.funcLine(l, def)
			case ".step":
				e.errorf(linePos(l), ".step inside .subckt %s is not supported", def.name)
			case ".model":
				e.declareModel(def, l)
			case ".ends": // cannot happen: the body ends before it
			default:
				def.body = append(def.body, l)
			}
		}
	}
}

// posMapAt is the position map of the logical line that holds offset off of file: that
// of a body scanned on its own, or the file's.
func (e *elab) posMapAt(file string, off int) *posMap {
	for _, b := range e.bodies[file] {
		if b.start <= off && off < b.end {
			return b.pm
		}
	}
	return e.posMaps[file]
}
