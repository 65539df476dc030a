package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
		b.WriteString(suggestModel(files, e))
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
	if pos.Line > len(lines) {
		return ""
	}
	line := strings.TrimRight(lines[pos.Line-1], "\r")
	col := pos.Col
	line, col = snippetWindow(line, col)
	num := strconv.Itoa(pos.Line)
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

// suggestModel returns ` (did you mean "dmod"?)` for an "unknown model" error, from the
// .model lines of the file the error is in and the files it includes, when one is near.
// (The parser knows the models in scope but does not suggest; this reads the text.)
func suggestModel(files map[string][]string, e *gospice.Error) string {
	rest, ok := strings.CutPrefix(e.Msg, "unknown model ")
	if !ok || strings.Contains(rest, "did you mean") || strings.Contains(rest, "RKM") {
		return ""
	}
	quoted, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return ""
	}
	name, _ := strconv.Unquote(quoted)
	var models []string
	seen := map[string]bool{}
	var scan func(path string, depth int)
	scan = func(path string, depth int) {
		if seen[path] || depth > 10 {
			return
		}
		seen[path] = true
		for _, line := range fileLines(files, path) {
			f := strings.Fields(strings.ToLower(line))
			if len(f) < 2 {
				continue
			}
			switch f[0] {
			case ".model":
				models = append(models, strings.SplitN(f[1], "(", 2)[0])
			case ".include", ".inc", ".lib":
				inc := strings.Trim(strings.Fields(line)[1], `"'`)
				if !filepath.IsAbs(inc) {
					inc = filepath.Join(filepath.Dir(path), inc)
				}
				scan(inc, depth+1)
			}
		}
	}
	scan(e.Pos.File, 0)
	if best := gospice.Nearest(name, models); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
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
