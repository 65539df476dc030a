package driftmem

import (
	"fmt"
	"strconv"

	"github.com/gospice/gospice/parser"
)

// maxTablePoints bounds a window table, so that a file cannot take more memory than a
// netlist may.
const maxTablePoints = 10_000_000

// readTable reads a PEM window table as Xyce reads it: pairs "x SEP f", where SEP is one
// character (a comma) between blanks; lines starting with # before the first pair are
// comments; reading stops
// at the first text that is not such a pair. Like Xyce, a blank alone does not separate
// the numbers: the first character of f is taken as the separator ("0.1 6.3E-01" reads
// as x = 0.1, f = .3E-01; "0.1 -2E-3" as f = +2E-3). gospice reads such files as Xyce
// does, so that Xyce's netlists give Xyce's results, and its error names the place when
// a table is unusable. x must increase.
func readTable(f parser.ModelFile) (*table, error) {
	s := scanner{src: f.Data, line: 1}
	t := &table{}
	for s.more() {
		if s.peek() == '#' {
			s.skipLine()
			continue
		}
		s.skipBlanks()
		line := s.line
		x, ok := s.number()
		if !ok {
			break
		}
		s.skipBlanks()
		if !s.more() {
			break
		}
		s.pos++ // the separator, whatever it is
		v, ok := s.number()
		if !ok {
			break
		}
		if n := len(t.x); n > 0 && !(x > t.x[n-1]) {
			return nil, parser.Errorf(f.Pos, "%s: line %d: x must increase: %g after %g", f.Path, line, x, t.x[n-1])
		}
		if len(t.x) == maxTablePoints {
			return nil, parser.Errorf(f.Pos, "%s: more than %d points", f.Path, maxTablePoints)
		}
		t.x = append(t.x, x)
		t.f = append(t.f, v)
	}
	if len(t.x) < 2 {
		return nil, parser.Errorf(f.Pos, "%s: a window table needs at least 2 points (x,f per line), found %d", f.Path, len(t.x))
	}
	return t, nil
}

// scanner reads numbers as a C++ stream extracts doubles: blanks (newlines too) are
// skipped before each, and the longest prefix that forms a decimal number is taken.
type scanner struct {
	src  []byte
	pos  int
	line int // 1-based line of pos, for messages
}

func (s *scanner) more() bool { return s.pos < len(s.src) }
func (s *scanner) peek() byte { return s.src[s.pos] }

func (s *scanner) skipLine() {
	for s.more() && s.src[s.pos] != '\n' {
		s.pos++
	}
}

func (s *scanner) skipBlanks() {
	for s.more() {
		switch s.src[s.pos] {
		case '\n':
			s.line++
		case ' ', '\t', '\r', '\v', '\f':
		default:
			return
		}
		s.pos++
	}
}

// number reads [sign] digits [. digits] [e [sign] digits], with at least one digit
// before the exponent.
func (s *scanner) number() (float64, bool) {
	s.skipBlanks()
	start, i := s.pos, s.pos
	digit := func(j int) bool { return j < len(s.src) && s.src[j] >= '0' && s.src[j] <= '9' }
	if i < len(s.src) && (s.src[i] == '+' || s.src[i] == '-') {
		i++
	}
	n := 0
	for digit(i) {
		i, n = i+1, n+1
	}
	if i < len(s.src) && s.src[i] == '.' {
		i++
		for digit(i) {
			i, n = i+1, n+1
		}
	}
	if n == 0 {
		return 0, false
	}
	if i < len(s.src) && (s.src[i] == 'e' || s.src[i] == 'E') {
		j := i + 1
		if j < len(s.src) && (s.src[j] == '+' || s.src[j] == '-') {
			j++
		}
		if digit(j) {
			for digit(j) {
				j++
			}
			i = j
		}
	}
	v, err := strconv.ParseFloat(string(s.src[start:i]), 64)
	if err != nil {
		return 0, false
	}
	s.pos = i
	return v, true
}

// String describes a table for messages and tests.
func (t *table) String() string {
	return fmt.Sprintf("%d points, x from %g to %g", len(t.x), t.x[0], t.x[len(t.x)-1])
}
