package parser

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/gospice/gospice/internal/hugepages"
)

// maxIncludeSize bounds the size of a netlist file, included or not: parsing takes some
// hundred times the file's size in memory.
const maxIncludeSize = 64 << 20

// readIncluded reads an included file: a regular file, not too large.
func readIncluded(path string) ([]byte, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("no such file")
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return nil, errors.New("not a regular file")
	case st.Size() > maxIncludeSize:
		return nil, fmt.Errorf("larger than %d MiB", maxIncludeSize>>20)
	}
	return readFile(path)
}

// readFile is os.ReadFile into memory that asks for transparent huge pages when the file
// is large: the 7 MB of the 269,407-line mesh fault in 4 or 5 pages instead of 1,700, on
// the core that reads and elaborates it.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = int(st.Size())
	}
	b := make([]byte, 0, size+1) // a byte more: the end is read without growing b
	hugepages.Advise(b)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		switch {
		case err == io.EOF:
			return b, nil
		case err != nil:
			return nil, err
		case len(b) == cap(b): // the file grew
			b = append(b, 0)[:len(b)]
		}
	}
}

// fileText is the text of a file's bytes src: the netlist's own bytes when the parse owns
// them (ParseDeckFile read them, and nothing writes them: maskBodies writes a copy), so
// that a large netlist is not copied (7 MB, and their page faults, on the elaboration's
// core); a copy otherwise, the bytes being the caller's.
func (e *elab) fileText(src []byte, netlist bool) string {
	if netlist && e.ownsSrc {
		return unsafe.String(unsafe.SliceData(src), len(src))
	}
	return string(src)
}

// fileFrame is a file being read, for the include chain.
type fileFrame struct {
	key  string // the cleaned path and the .lib section, if any
	name string // as positions name it
}

// readDeck reads a file into lines, with its .include files and called .lib sections in
// place and its .lib section definitions left out. section is the .lib section to take
// from the file ("" for the whole file).
func (e *elab) readDeck(name string, src []byte, title bool, section string, chain []fileFrame, at Pos) []*srcLine {
	var lines []*srcLine
	var errs ErrorList
	var pm *posMap
	if title && e.missingInclude(name, src) { // nothing is elaborated: say so before parsing
		return nil // (missingInclude keeps the text, for the message)
	}
	// The file's text, made once: its lines' strings point into it, and the Deck keeps
	// it (e.srcs), not src too.
	text := e.fileText(src, title)
	if title {
		lines, errs, pm = parseLines(name, text, title, e.done, e.progress)
	} else {
		// An included file: its lines are parsed when used (see lazy.go), and the
		// bodies of its subcircuits scanned when instantiated (lazybody.go).
		bodies := findBodies(name, src)
		scanned := text
		if len(bodies) > 0 {
			scanned = string(maskBodies(src, bodies))
		}
		lines, errs, pm = scanLines(name, scanned, title, e.done, e.progress)
		lines = placeBodies(lines, bodies)
		e.bodies[name] = append(e.bodies[name], bodies...)
	}
	e.errs = append(e.errs, errs...)
	if e.posMaps[name] == nil {
		e.posMaps[name] = pm
		e.srcs[name] = text
	}
	// About a line each: fewer with sections, more with includes.
	out := make([]*srcLine, 0, len(lines))
	inSection := ""        // the .lib section definition being read or skipped
	var sectionAt Pos      // of its .lib line
	found := section == "" // the section asked for was found
	for _, l := range lines {
		if e.cancelled() {
			return out
		}
		cmd := dotName(l)
		switch cmd {
		case ".lib":
			args, ok := e.libArgs(l)
			if !ok {
				continue
			}
			if len(args) == 1 { // a section definition
				if inSection != "" {
					e.errorf(toPos(l.toks[0].Pos), ".lib %s inside .lib %s (no .endl before it)", args[0], inSection)
					continue
				}
				inSection, sectionAt = strings.ToLower(args[0]), toPos(l.toks[0].Pos)
				if inSection == section {
					found = true
				}
				continue
			}
			if !e.keep(section, inSection) {
				continue
			}
			out = append(out, e.include(l, args[0], strings.ToLower(args[1]), chain)...)
			continue
		case ".endl":
			if inSection == "" {
				e.errorf(toPos(l.toks[0].Pos), ".endl without .lib")
			}
			inSection = ""
			continue
		}
		if !e.keep(section, inSection) {
			continue
		}
		if cmd == ".include" || cmd == ".inc" {
			if path, ok := e.includeArg(l, cmd); ok {
				out = append(out, e.include(l, path, "", chain)...)
			}
			continue
		}
		out = append(out, l)
	}
	if inSection != "" {
		e.errorf(sectionAt, "missing .endl for .lib %s", inSection)
	}
	if !found {
		e.errorf(at, "section %q not found in %s", section, name)
	}
	return out
}

// keep says whether a line is read: in a file read whole, the lines outside the .lib
// section definitions; in a file read for a section, the lines of that section.
func (e *elab) keep(section, inSection string) bool {
	if section == "" {
		return inSection == ""
	}
	return inSection == section
}

// include reads the file (and section) that a .include or .lib line names, relative to
// the folder of the file that names it.
func (e *elab) include(l *srcLine, path, section string, chain []fileFrame) []*srcLine {
	at := toPos(l.toks[1].Pos)
	from := l.toks[0].Pos.Filename
	name := path
	if !filepath.IsAbs(path) {
		name = filepath.Join(filepath.Dir(from), path)
	}
	name = filepath.Clean(name)
	key := fileKey(name) + "\x00" + section
	for i, f := range chain {
		if f.key == key {
			var names []string
			for _, g := range chain[i:] {
				names = append(names, g.name)
			}
			what := "includes itself"
			if section != "" {
				what = "calls its own .lib section " + section
			}
			e.errorf(at, "%s %s: %s", name, what, strings.Join(append(names, name), " -> "))
			return nil
		}
	}
	if len(chain) >= maxIncludeDepth {
		e.errorf(at, "include files nested too deeply (more than %d)", maxIncludeDepth)
		return nil
	}
	src, err := e.readFile(name)
	if err != nil {
		e.errorf(at, "cannot read %s: %v", quote(path), err)
		e.incomplete = true
		return nil
	}
	return e.readDeck(name, src, false, section, append(chain, fileFrame{key: key, name: name}), at)
}

const maxIncludeDepth = 50

// rawArgs returns the text of a line after its first word as written, with the quotes
// and spaces that the tokens lose (a file name may hold both).
func (e *elab) rawArgs(l *srcLine) string {
	toks := l.toks
	if len(toks) < 3 {
		return ""
	}
	first, nl := toks[1], toks[len(toks)-1]
	src := e.srcs[first.Pos.Filename]
	if nl.Pos.Line == first.Pos.Line && first.Pos.Offset <= nl.Pos.Offset && nl.Pos.Offset <= len(src) {
		return strings.TrimSpace(src[first.Pos.Offset:nl.Pos.Offset])
	}
	return text(toks[1 : len(toks)-1])
}

// splitArgs splits the arguments of .include or .lib into words; a word in double or
// single quotes may hold spaces.
func splitArgs(s string) ([]string, bool) {
	var words []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return words, true
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, false
			}
			words = append(words, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
}

func (e *elab) includeArg(l *srcLine, cmd string) (string, bool) {
	words, ok := splitArgs(e.rawArgs(l))
	switch {
	case !ok:
		e.errorf(toPos(l.toks[1].Pos), "unterminated quote in the file name")
	case len(words) == 0:
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing file name: %s file", cmd)
	case len(words) > 1:
		e.errorf(toPos(l.toks[1].Pos), "%s takes one file name, found %d words (quote a name with spaces)", cmd, len(words))
	default:
		return words[0], true
	}
	return "", false
}

// libArgs reads .lib file section (a call) or .lib section (a definition).
func (e *elab) libArgs(l *srcLine) ([]string, bool) {
	words, ok := splitArgs(e.rawArgs(l))
	switch {
	case !ok:
		e.errorf(toPos(l.toks[1].Pos), "unterminated quote in the file name")
	case len(words) == 0:
		e.errorf(toPos(l.toks[len(l.toks)-1].Pos), "missing arguments: .lib file section, or .lib section ... .endl")
	case len(words) > 2:
		e.errorf(toPos(l.toks[1].Pos), "too many arguments: .lib file section, or .lib section ... .endl")
	default:
		return words, true
	}
	return nil, false
}

// dotName is the lowercase dot command of a line, or "".
func dotName(l *srcLine) string {
	if len(l.toks) > 0 && l.toks[0].Type == TokenDot {
		return strings.ToLower(l.toks[0].Value)
	}
	return ""
}

// linePos is the position of a line's first token.
func linePos(l *srcLine) Pos {
	if c := &l.compact; c.text != "" {
		return Pos{File: *c.file, Line: c.line, Col: c.col}
	}
	return toPos(l.toks[0].Pos)
}

// offset is the file offset of a line's first token.
func (l *srcLine) offset() int {
	if c := &l.compact; c.text != "" {
		return int(c.off)
	}
	return l.toks[0].Pos.Offset
}

// first is the first byte of a line's first token, in lowercase.
func (l *srcLine) first() byte {
	word := l.compact.text // the first byte of its first rune in lowercase is enough
	if word == "" {
		word = l.toks[0].Value
	}
	if c := word[0]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c
	}
	r, _ := utf8.DecodeRuneInString(word)
	return string(unicode.ToLower(r))[0]
}

// lineTokens are the tokens of a line after its first (the command or the element name),
// without the Newline.
func lineTokens(l *srcLine) []lexer.Token {
	if len(l.toks) < 2 {
		return nil
	}
	return l.toks[1 : len(l.toks)-1]
}
