package parser

import (
	"slices"
	"strings"
	"unicode"
)

// ControlBlock is the text of one .control ... .endc block, which the netlist's reader
// skips: the lines of ngspice's control language, for an interpreter to run.
type ControlBlock struct {
	Pos   Pos           // of the .control line
	End   Pos           // of the .endc line; End.Line is 0 when the block runs to the end of its file
	Lines []ControlLine // its lines, blank and * comment lines left out
}

// ControlLine is one line of a .control block: a + continuation line is joined to the line
// it continues with a space, and Pos is where the first one starts.
type ControlLine struct {
	Pos  Pos
	Text string // as written, a ; or $ comment and trailing white space removed
}

// stripComment removes a comment: from a ; or from a $ followed by white space (or the
// end of the line), quotes or not, as ngspice 39 does with the lines of a .control block
// ($var is a variable of the script).
func stripControlComment(text string) string {
	for i := 0; i < len(text); i++ {
		if text[i] == ';' || text[i] == '$' && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\t') {
			return strings.TrimRightFunc(text[:i], unicode.IsSpace)
		}
	}
	return text
}

// Control returns the netlist's .control blocks in the order they are read (those of
// included files in place).
func (d *Deck) Control() []ControlBlock {
	var blocks []ControlBlock
	split := map[string][]string{}
	for _, l := range d.lines {
		if dotName(l) != ".control" {
			continue
		}
		pos := linePos(l)
		phys, ok := split[pos.File]
		if !ok {
			phys = strings.Split(d.srcs[pos.File], "\n")
			split[pos.File] = phys
		}
		blocks = append(blocks, controlBlock(pos, phys))
	}
	return blocks
}

// HasDot reports whether the netlist has a line of one of the dot commands named
// (".plot", ".four"), in its own file or one it includes; ngspice -b runs a netlist's
// analyses only when it has some of them.
func (d *Deck) HasDot(names ...string) bool {
	for _, l := range d.lines {
		if n := dotName(l); n != "" && slices.Contains(names, n) {
			return true
		}
	}
	return false
}

// controlBlock reads the lines after the .control line at pos, up to .endc.
func controlBlock(pos Pos, phys []string) ControlBlock {
	b := ControlBlock{Pos: pos}
	for i := int(pos.Line); i < len(phys); i++ { // phys[pos.Line] is the line after .control
		raw := stripControlComment(strings.TrimRightFunc(strings.TrimSuffix(phys[i], "\r"), unicode.IsSpace))
		text := strings.TrimLeftFunc(raw, unicode.IsSpace)
		col := 1 + len(raw) - len(text)
		if text == "" || text[0] == '*' {
			continue
		}
		if strings.EqualFold(firstWord(text), ".endc") {
			b.End = Pos{File: pos.File, Line: int32(i + 1), Col: int32(col)}
			return b
		}
		if text[0] == '+' && len(b.Lines) > 0 {
			last := &b.Lines[len(b.Lines)-1]
			last.Text += " " + strings.TrimLeftFunc(text[1:], unicode.IsSpace)
			continue
		}
		b.Lines = append(b.Lines, ControlLine{Pos: Pos{File: pos.File, Line: int32(i + 1), Col: int32(col)}, Text: text})
	}
	return b
}
