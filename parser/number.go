package parser

import "github.com/gospice/gospice/parser/expr"

var (
	errNotNumber   = expr.ErrNotNumber
	errNumberRange = expr.ErrRange
)

// ParseNumber reads a SPICE number: an optional sign, a mantissa (1, 1.5, .5, 5.), an
// optional exponent (e-3, E+6), then letters. When the letters start with a scale suffix
// (f p n u m k g t, meg, mil; case-insensitive) it applies; the other letters are units and
// are ignored: 10pF, 1kOhm, 5V, 1MEG, 1mA, 2mil. Anything else after the number (digits,
// punctuation) makes the text a name rather than a number, as 1n4002 is. The result is
// false when s is not a number or its value is not finite (1e400). The rules live in
// package expr, which reads the numbers inside expressions the same way.
func ParseNumber(s string) (float64, bool) {
	v, err := expr.ParseNumber(s)
	return v, err == nil
}

// isNumber reports whether s has the shape of a SPICE number (its value may still be out of range).
func isNumber(s string) bool { return expr.IsNumber(s) }

// parseNumber is ParseNumber with the reason of a failure: errNotNumber or errNumberRange.
func parseNumber(s string) (float64, error) { return expr.ParseNumber(s) }

// numberCache is parseNumber with the last two numbers read and their values: the
// element lines of a large netlist repeat a few values (the mesh's 10 and 10f), whose
// parsing was a fifth of the elaboration of its lines. A spelling has one value, so the
// values are those parseNumber gives.
type numberCache struct {
	spelling [2]string
	value    [2]float64
}

// parse is parseNumber(s).
func (c *numberCache) parse(s string) (float64, error) {
	switch {
	case s == "": // not a number, and the spelling of an empty entry
	case s == c.spelling[0]:
		return c.value[0], nil
	case s == c.spelling[1]:
		return c.value[1], nil
	}
	v, err := parseNumber(s)
	if err == nil {
		c.spelling[1], c.value[1] = c.spelling[0], c.value[0]
		c.spelling[0], c.value[0] = s, v
	}
	return v, err
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
