package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gospice/gospice"
)

// diagnose turns a netlist error into the message the user sees: each error's
// file:line:col: message, then the line it is on with a caret under the column, read from
// the file the position names. Errors without a position, and positions in files that
// cannot be read, are left as they are.
func diagnose(err error) error {
	var list gospice.ErrorList
	var one *gospice.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = gospice.ErrorList{one}
	default:
		return err
	}
	files := map[string][]string{}
	var b strings.Builder
	for i, e := range list {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		if snippet := sourceSnippet(files, e.Pos); snippet != "" {
			b.WriteByte('\n')
			b.WriteString(snippet)
		}
	}
	return errors.New(b.String())
}

// sourceSnippet shows line pos.Line of pos.File with a caret under pos.Col:
//
//	3 | Z1 a b c zmod
//	  | ^
func sourceSnippet(files map[string][]string, pos gospice.Pos) string {
	if pos.File == "" || pos.Line < 1 {
		return ""
	}
	lines := fileLines(files, pos.File)
	if int(pos.Line) > len(lines) {
		return ""
	}
	line := strings.TrimRight(lines[pos.Line-1], "\r")
	line, col := snippetWindow(line, int(pos.Col))
	num := strconv.Itoa(int(pos.Line))
	gutter := strings.Repeat(" ", len(num))
	s := fmt.Sprintf(" %s | %s", num, line)
	if col < 1 {
		return s
	}
	// The column counts bytes from 1; keep the line's tabs so the caret lines up.
	var pad strings.Builder
	for i, r := range line {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return s + fmt.Sprintf("\n %s | %s^", gutter, pad.String())
}

// snippetWidth is the most bytes of a line that a snippet shows.
const snippetWidth = 100

// snippetWindow cuts a long line to snippetWidth bytes around col, marking the cuts with
// "...", and returns the column in what is left (col < 1: the line's start).
func snippetWindow(line string, col int) (string, int) {
	if len(line) <= snippetWidth {
		return line, col
	}
	start := max(0, min(col-1-snippetWidth/2, len(line)-snippetWidth))
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	end := min(len(line), start+snippetWidth)
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	out := line[start:end]
	if start > 0 {
		out = "..." + out
		if col >= 1 {
			col += len("...") - start
		}
	}
	if end < len(line) {
		out += "..."
	}
	return out, col
}

// fileLines reads a file's lines once.
func fileLines(files map[string][]string, path string) []string {
	lines, ok := files[path]
	if !ok {
		data, err := os.ReadFile(path)
		if err == nil && utf8.Valid(data) {
			text := strings.ReplaceAll(string(data), "\r\n", "\n")
			if !strings.Contains(text, "\n") {
				text = strings.ReplaceAll(text, "\r", "\n") // lone CRs end the lines, as the parser reads them
			}
			lines = strings.Split(text, "\n")
		}
		files[path] = lines
	}
	return lines
}
