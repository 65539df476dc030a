package parser

import (
	"cmp"
	"slices"
	"strings"
)

// MaxErrors is the most errors an ErrorList returned by Parse holds; a last entry says
// when more were found.
const MaxErrors = 20

// ErrorList is every error found in a netlist, sorted by position. It prints one
// file:line:col: message per line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders the list by file, line and column, keeping the order of errors at the same place.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return comparePos(a.Pos, b.Pos)
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func comparePos(a, b Pos) int {
	if c := cmp.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	return cmp.Compare(a.Col, b.Col)
}

// capErrors sorts the list and cuts it to MaxErrors entries, adding a last one that
// says so when it was longer.
func capErrors(l ErrorList) ErrorList {
	l.Sort()
	if len(l) > MaxErrors {
		rest := len(l) - MaxErrors
		next := l[MaxErrors]
		l = append(l[:MaxErrors:MaxErrors], Errorf(next.Pos, "too many errors (%d more not shown)", rest))
	}
	return l
}
