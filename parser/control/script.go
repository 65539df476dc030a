package control

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/gospice/gospice/parser"
)

// Command is one command of a script: its name (lowercase) and the text after it, with
// the bodies of the block commands (foreach, repeat, while, dowhile, if) nested.
type Command struct {
	Pos  parser.Pos
	Name string // lowercase: let, print, foreach, if ...
	Args string // the rest of the line, as written (variables are substituted when it runs)
	Body []*Command
	Else []*Command // if: the commands after else
}

// blockCommands open a block that end closes. begin opens one that runs once, as in
// ngspice 39 (its scripts wrap themselves in begin ... end: examples/Monte_Carlo/MC_ring_ts.sp).
var blockCommands = map[string]bool{"foreach": true, "repeat": true, "while": true, "dowhile": true, "if": true, "begin": true}

// Parse reads the lines of a script into commands, the blocks nested. A line that cannot
// be placed (an else without if, a block without end) is an error naming it; an end
// without a block is left out with a warning, as ngspice 39 ignores it ("no block to
// end", and the script runs). The commands read are returned with both.
func Parse(lines []parser.ControlLine) (cmds []*Command, errs, warnings parser.ErrorList) {
	type frame struct {
		cmd    *Command
		inElse bool
	}
	var top []*Command
	var stack []*frame
	add := func(c *Command) {
		if len(stack) == 0 {
			top = append(top, c)
			return
		}
		f := stack[len(stack)-1]
		if f.inElse {
			f.cmd.Else = append(f.cmd.Else, c)
		} else {
			f.cmd.Body = append(f.cmd.Body, c)
		}
	}
	for _, l := range lines {
		name, args := splitCommand(l.Text)
		c := &Command{Pos: l.Pos, Name: strings.ToLower(name), Args: args}
		switch {
		case strings.HasPrefix(c.Name, "end"): // ngspice 39 takes endif and the like for end
			if len(stack) == 0 {
				warnings = append(warnings, parser.Errorf(l.Pos, "end without foreach, repeat, while, dowhile, if or begin: ignored, as ngspice ignores it"))
				continue
			}
			stack = stack[:len(stack)-1]
		case c.Name == "else":
			if len(stack) == 0 || stack[len(stack)-1].cmd.Name != "if" || stack[len(stack)-1].inElse {
				errs = append(errs, parser.Errorf(l.Pos, "else without if"))
				continue
			}
			stack[len(stack)-1].inElse = true
		case blockCommands[c.Name]:
			add(c)
			stack = append(stack, &frame{cmd: c})
		default:
			add(c)
		}
	}
	for _, f := range stack {
		errs = append(errs, parser.Errorf(f.cmd.Pos, "%s without end", f.cmd.Name))
	}
	return top, errs, warnings
}

// splitCommand splits a line into its first word and the rest. A let written without
// the word let (x = 3) is not ngspice's; the word is what it is.
func splitCommand(text string) (name, args string) {
	text = strings.TrimSpace(text)
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return text, ""
	}
	return text[:i], strings.TrimSpace(text[i:])
}

// String is the command as written, for messages.
func (c *Command) String() string {
	if c.Args == "" {
		return c.Name
	}
	return fmt.Sprintf("%s %s", c.Name, c.Args)
}
