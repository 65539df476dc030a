package control

import (
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

// FuzzScript reads any text as a script and each command's arguments as expressions:
// errors are fine, panics and hangs are not.
func FuzzScript(f *testing.F) {
	for _, s := range []string{
		"let x = v(out)[2,5] * 2\nprint x db(x) ph(x)\n",
		"foreach v 1 2 3\nif $v > 1\necho $v\nelse\nbreak\nend\nend\n",
		"while i lt 3\nlet i = i + 1\nend\nrepeat 2\nend\ndowhile 0\nend\n",
		"print a ? b : c (1,2) @r1[resistance] \"s\" 1k+2u^-3 %\n",
		"end\nelse\nif\n[[[(((\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var lines []parser.ControlLine
		for i, l := range strings.Split(text, "\n") {
			lines = append(lines, parser.ControlLine{Pos: parser.Pos{File: "f", Line: int32(i + 1), Col: 1}, Text: l})
		}
		cmds, _, _ := Parse(lines)
		var walk func([]*Command)
		walk = func(cs []*Command) {
			for _, c := range cs {
				if list, err := ParseExprs(c.Args); err == nil {
					for _, e := range list {
						_ = e.String()
					}
				}
				walk(c.Body)
				walk(c.Else)
			}
		}
		walk(cmds)
	})
}
