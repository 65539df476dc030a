package expr

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Errors of ParseNumber.
var (
	ErrNotNumber = errors.New("not a number")
	ErrRange     = errors.New("number out of range")
)

// ParseNumber reads a SPICE number: an optional sign, a mantissa (1, 1.5, .5, 5.), an
// optional exponent (e-3, E+6), then letters. When the letters start with a scale suffix
// (f p n u m k g t, meg, mil; case-insensitive; µ as u) it applies; the other letters are
// units and are ignored: 10pF, 1kOhm, 5V, 1MEG, 1mA, 2mil, 2µA. Anything else after the
// number (digits, punctuation) makes the text a name rather than a number, as 1n4002 is. The error is
// ErrNotNumber when s is not a number and ErrRange when its value is not finite (1e400).
func ParseNumber(s string) (float64, error) {
	num, letters, ok := splitNumber(s)
	if !ok {
		return 0, ErrNotNumber
	}
	return numberValue(num, letters)
}

// IsNumber reports whether s has the shape of a SPICE number (its value may still be out
// of range).
func IsNumber(s string) bool {
	_, _, ok := splitNumber(s)
	return ok
}

// scanNumber reads a mantissa, an exponent and letters from s[i:]; it returns where they
// end and where the letters begin, or 0 when there are no digits.
func scanNumber(s string, i int) (end, letters int) {
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			i = k
		} // else the e is a unit letter: 1e is 1
	}
	letters = i
	for i < len(s) {
		switch {
		case isLetter(s[i]):
			i++
		case strings.HasPrefix(s[i:], micro):
			i += len(micro)
		default:
			return i, letters
		}
	}
	return i, letters
}

// micro is the micro sign, which ngspice 39 reads as the scale u (measured: 2µ is 2e-6,
// 1µF 1e-6). (ngspice reads 3μ, with the Greek mu U+03BC, as 3; gospice refuses it.)
const micro = "\u00b5"

// splitNumber cuts s into its numeric part (sign, mantissa, exponent) and the letters after
// it; ok is false when s does not have the shape of a SPICE number.
func splitNumber(s string) (num, letters string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	end, l := scanNumber(s, i)
	if end != len(s) || end == 0 {
		return "", "", false
	}
	return s[:l], s[l:], true
}

// numberValue is the value of a signed mantissa with its exponent, scaled by letters.
func numberValue(num, letters string) (float64, error) {
	mant, exp, mil := scaled(num, letters)
	// mant, a 0 after a final '.', 'e' and the exponent, spelt in a buffer on the stack:
	// a large netlist has a number on most lines.
	var buf [32]byte
	v, err := strconv.ParseFloat(string(mantissaExp(buf[:0], mant, exp)), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, ErrNotNumber // cannot happen: the shape was checked
	}
	if mil {
		v *= 25.4e-6
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, ErrRange
	}
	return v, nil
}

// scaled splits a signed mantissa with its exponent, scaled by letters, into the
// mantissa and the power of ten; mil says that the letters were mil (25.4e-6).
func scaled(num, letters string) (mant string, exp int, mil bool) {
	mant = num
	if k := strings.IndexAny(num, "eE"); k >= 0 {
		mant = num[:k]
		e, err := strconv.Atoi(num[k+1:])
		if err != nil {
			// Too many digits for an int: the value is either zero or infinite; a clamped
			// exponent gives the same answer.
			e = 1_000_000
			if num[k+1] == '-' {
				e = -e
			}
		}
		exp = max(min(e, 1_000_000), -1_000_000)
	}
	l := strings.ToLower(letters)
	switch {
	case strings.HasPrefix(l, "meg"):
		exp += 6
	case strings.HasPrefix(l, "mil"):
		mil = true
	case strings.HasPrefix(l, micro):
		exp -= 6
	case l == "":
	default:
		switch l[0] {
		case 'f':
			exp -= 15
		case 'p':
			exp -= 12
		case 'n':
			exp -= 9
		case 'u':
			exp -= 6
		case 'm':
			exp -= 3
		case 'k':
			exp += 3
		case 'g':
			exp += 9
		case 't':
			exp += 12
		}
	}
	return mant, exp, mil
}

// mantissaExp appends mant (with a 0 after a final '.'), 'e' and exp to b.
func mantissaExp(b []byte, mant string, exp int) []byte {
	b = append(b, mant...)
	if mant[len(mant)-1] == '.' {
		b = append(b, '0')
	}
	b = append(b, 'e')
	return strconv.AppendInt(b, int64(exp), 10)
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
