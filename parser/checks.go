package parser

import (
	"fmt"
	"math"
	"strings"

	"github.com/gospice/gospice/parser/expr"
)

// The warnings about mistakes that a netlist can make while being valid SPICE: a
// forgotten title line (the first line is always the title, so the element written there
// is lost), a value whose suffix is almost certainly a unit mistake (1M on a resistor is a
// milliohm), and an .ac analysis that no source drives. Each is warned about once per
// netlist.

// inputChecks warns about the likely mistakes of the whole netlist.
func (e *elab) inputChecks() {
	e.checkTitle()
	e.reportSlips()
	e.checkACSources()
}

// LooksLikeLine says what a netlist's title looks like, when it looks like a line of
// the netlist rather than a title: "an element" (V1 in 0 1: a name, then at least two
// words of which one is a number or ground) or "a dot command" (.tran 1u 1m); "" else.
func LooksLikeLine(title string) string {
	words := strings.Fields(title)
	if len(words) == 0 {
		return ""
	}
	w := strings.ToLower(words[0])
	if w[0] == '.' {
		if dotCommands[w] != nil || laterCommands[w] || ignoredCommands[w] != "" || structureCommands[w] {
			return "a dot command"
		}
		return ""
	}
	if len(words) < 3 || !strings.ContainsRune("bcdefghiklmqrsvxy", rune(w[0])) || !isName(w) {
		return ""
	}
	for _, a := range words[1:] {
		if a == "0" || strings.EqualFold(a, "gnd") || expr.IsNumber(a) {
			return "an element"
		}
	}
	return ""
}

// structureCommands are the dot commands read when the netlist is sorted into files and
// definitions.
var structureCommands = map[string]bool{
	".param": true, ".func": true, ".subckt": true, ".ends": true, ".global": true,
	".include": true, ".inc": true, ".lib": true, ".endl": true, ".if": true,
}

// checkTitle warns when the title looks like an element whose nodes the circuit uses: the
// netlist was most likely written without a title line, and lost that element.
func (e *elab) checkTitle() {
	title := e.firstLine.Value
	if len(e.c.Elements) == 0 || LooksLikeLine(title) != "an element" {
		return
	}
	nodes := map[string]bool{}
	for _, el := range e.c.Elements {
		for _, n := range el.Nodes {
			nodes[n] = true
		}
	}
	// Its first two nodes must both be nodes of the circuit (or ground), one of them not
	// ground: a title in words ("Behavioural R, C and L at 50 C") seldom passes.
	words := strings.Fields(title)
	if w := words[0]; w[0] == 'y' || w[0] == 'Y' {
		words = words[1:] // YMEMRISTOR y1 a b
	}
	if len(words) < 3 {
		return
	}
	a, b := node(words[1]), node(words[2])
	if (a != "0" || b != "0") && (a == "0" || nodes[a]) && (b == "0" || nodes[b]) {
		e.warnf(toPos(e.firstLine.Pos), "the first line, %s, is the netlist's title, not an element: the first line is always the title (add one above it)", quote(title))
	}
}

// checkACSources warns when the netlist has an .ac analysis and no source with an AC
// value: every .ac output is then zero.
func (e *elab) checkACSources() {
	var ac *AC
	for _, a := range e.c.Analyses {
		if x, ok := a.(*AC); ok {
			ac = x
			break
		}
	}
	if ac == nil {
		return
	}
	for _, el := range e.c.Elements {
		if el.Source() != nil && el.Source().HasAC && el.Source().ACMag != 0 {
			return
		}
	}
	e.warnf(ac.Pos, ".ac: no source has an AC value, so every .ac output is zero (give one, as in V1 in 0 DC 0 AC 1)")
}

// unitSlip is a value written with a suffix that almost certainly means another unit
// than SPICE reads: 1M on a resistor (milli, not mega), 1F on a capacitor (femto, not
// farad).
type unitSlip struct {
	kind    byte   // 'r' or 'c'
	element string // its name
	text    string // the value as written
	value   float64
	pos     Pos
}

// checkUnit notes the value of a resistor, capacitor or inductor written as text, and
// whether its suffix is a likely unit mistake: an upper-case M on a resistor (1M is a
// milliohm; mega is MEG) or an F alone on a capacitor (1F is a femtofarad). Vendors'
// models write every suffix in upper case and mean milli and femto (TI's 1F, 1P, 1MEG), so
// these count as mistakes only in a file that writes other suffixes in lower case (10k,
// 100n), or, for F, writes farads with a unit (10uF): its author reads M as mega and F as
// farad.
func (e *elab) checkUnit(el *Element, text string, v float64) {
	mantissa, letters := splitSuffix(text)
	if mantissa == "" || letters == "" {
		return
	}
	low := strings.ToLower(letters)
	st := e.styles[el.ValuePos.File]
	if letters[0] >= 'a' && letters[0] <= 'z' && strings.ContainsRune("fpnumkgt", rune(letters[0])) {
		st.lowerScale = true
	}
	if el.Kind == 'c' && len(low) == 2 && low[1] == 'f' && strings.ContainsRune("pnum", rune(low[0])) {
		st.faradUnit = true // 10uF, 100nF, 1pF
	}
	if e.styles == nil {
		e.styles = map[string]valueStyle{}
	}
	e.styles[el.ValuePos.File] = st
	slip := false
	switch el.Kind {
	case 'r':
		// 1M and 1Mohm; 1MEG and 1MIL are what they say.
		slip = letters[0] == 'M' && !strings.HasPrefix(low, "meg") && !strings.HasPrefix(low, "mil") && math.Abs(v) < 1
	case 'c':
		// 1F and 1Farad; 1fF and 1FF are femtofarads written out.
		slip = letters[0] == 'F' && (len(letters) == 1 || low[1:] == "arad" || low[1:] == "arads")
	}
	if slip {
		e.slips = append(e.slips, unitSlip{kind: el.Kind, element: el.Name, text: text, value: v, pos: el.ValuePos})
	}
}

// splitSuffix cuts a number as written into its numeric part and its letters.
func splitSuffix(text string) (mantissa, letters string) {
	i := len(text)
	for i > 0 && isLetter(text[i-1]) {
		i--
	}
	// An exponent's e is not a letter of the suffix (1e3 has none).
	if i < len(text) && (text[i] == 'e' || text[i] == 'E') && i+1 < len(text) && !isLetter(text[i+1]) {
		return text, ""
	}
	return text[:i], text[i:]
}

// valueStyle is how a file writes values: some suffix in lower case (10k), farads with a
// unit (10uF).
type valueStyle struct{ lowerScale, faradUnit bool }

// reportSlips warns about the likely unit mistakes, once per kind, in the files whose
// style makes them mistakes (see checkUnit).
func (e *elab) reportSlips() {
	for _, kind := range []byte{'r', 'c'} {
		var first *unitSlip
		var others []string
		for i := range e.slips {
			s := &e.slips[i]
			st := e.styles[s.pos.File]
			if s.kind != kind || !st.lowerScale && (kind == 'r' || !st.faradUnit) {
				continue
			}
			if first == nil {
				first = s
			} else {
				others = append(others, s.element)
			}
		}
		if first == nil {
			continue
		}
		mantissa, letters := splitSuffix(first.text)
		var msg string
		if kind == 'r' {
			msg = fmt.Sprintf("%s: %s is %g ohm, since SPICE reads M as milli: did you mean %sMEG%s?", first.element, first.text, first.value, mantissa, letters[1:])
		} else {
			msg = fmt.Sprintf("%s: %s is %g F, since SPICE reads F as femto: write %s for %s farad, or %sfF if femto is meant", first.element, first.text, first.value, mantissa, mantissa, mantissa)
		}
		if len(others) > 0 {
			msg += fmt.Sprintf(" (the same for %s)", listNames(others, 4))
		}
		e.warnf(first.pos, "%s", msg)
	}
}

// listNames joins up to max names as "a, b and c", saying how many more there are.
func listNames(names []string, max int) string {
	switch {
	case len(names) > max:
		return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
	case len(names) == 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
