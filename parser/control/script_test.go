package control

import (
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

func controlLines(text string) []parser.ControlLine {
	var lines []parser.ControlLine
	for i, l := range strings.Split(strings.TrimSpace(text), "\n") {
		lines = append(lines, parser.ControlLine{Pos: parser.Pos{File: "t.cir", Line: int32(i + 1), Col: 1}, Text: l})
	}
	return lines
}

// TestParseStrayEnd: an end without a block is left out with a warning and the script
// keeps its commands, as ngspice 39 reads it ("no block to end", then runs the rest:
// examples/Monte_Carlo/MC_ring_ts.sp); else without if and a block without end stay errors.
func TestParseStrayEnd(t *testing.T) {
	cmds, errs, warnings := Parse(controlLines("if 1\necho a\nend\nend\necho b"))
	if len(errs) != 0 || len(warnings) != 1 || !strings.HasPrefix(warnings[0].Error(), "t.cir:4:1: end without") {
		t.Errorf("errors %v, warnings %v; want one warning at line 4", errs, warnings)
	}
	if len(cmds) != 2 || cmds[0].Name != "if" || len(cmds[0].Body) != 1 || cmds[1].String() != "echo b" {
		t.Errorf("commands %v, want if {echo a} and echo b", cmds)
	}
	_, errs, warnings = Parse(controlLines("else\nwhile 1\necho c"))
	if len(errs) != 2 || len(warnings) != 0 || !strings.Contains(errs[0].Msg, "else without if") || !strings.Contains(errs[1].Msg, "while without end") {
		t.Errorf("errors %v, warnings %v; want else without if and while without end", errs, warnings)
	}
}

// TestParseBegin: begin ... end is a block, as in ngspice 39 (an end after it is a
// second, stray one); begin without end is an error, as ngspice runs nothing then.
func TestParseBegin(t *testing.T) {
	cmds, errs, warnings := Parse(controlLines("begin\necho a\nend\necho b"))
	if len(errs) != 0 || len(warnings) != 0 || len(cmds) != 2 || cmds[0].Name != "begin" || len(cmds[0].Body) != 1 {
		t.Errorf("commands %v, errors %v, warnings %v; want begin {echo a}, echo b", cmds, errs, warnings)
	}
	if _, errs, _ := Parse(controlLines("begin\necho a")); len(errs) != 1 || !strings.Contains(errs[0].Msg, "begin without end") {
		t.Errorf("errors %v, want begin without end", errs)
	}
}
