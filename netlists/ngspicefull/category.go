package ngspicefull

import (
	"regexp"
	"strings"
)

var (
	position   = regexp.MustCompile(`^.*?:\d+:\d+: `)
	subject    = regexp.MustCompile(`^[^\s:"]+: `)
	quotedName = regexp.MustCompile(`(?i)\b(element|source|model|node|instance|device|subcircuit|subckt|in|of|by|for|file|vector|inductor|capacitor|resistor|diode|transistor|switch|mosfet|bjt|jfet|mesfet)(\s+\(?)"[^"]*"`)
	instance   = regexp.MustCompile(`\s*\(in instance [^()]*\)`)
	positionIn = regexp.MustCompile(`\s*\([^()]*:\d+:\d+\)`)
	quotedWord = regexp.MustCompile(`"[^"]*"`)
	lineRef    = regexp.MustCompile(`\s*\([^()]*\bline \d+[^()]*\)`)
	realNumber = regexp.MustCompile(`[-+]?\b\d+(\.\d*)?(e[-+]?\d+)?\b|[-+]?\.\d+(e[-+]?\d+)?\b`)
	integer    = regexp.MustCompile(`^[-+]?\d+$`)
)

// FailureCategory groups the failures of gospice by what stopped it, so that the
// categories can be counted: the stage (parse, elaborate, build, or run when the
// analysis stopped), then the message without its position, the element it starts
// with, the subcircuit instance it is in, the names of elements, nodes and models it
// quotes, and values. Small integers stay: a MOSFET level is part of the reason; so do
// other quoted words, in lower case, as the keyword in unexpected "portnum".
func FailureCategory(stage, status, msg string) string {
	switch status {
	case "timeout":
		return "timeout"
	case "crash":
		return "crash: " + normalize(msg)
	}
	where := "run"
	if status == "exit 1" {
		where = stage
		if stage == StageBuilt {
			where = "input"
		}
	}
	return where + ": " + normalize(msg)
}

func normalize(msg string) string {
	msg, _, _ = strings.Cut(msg, "; did you mean")
	msg = position.ReplaceAllString(msg, "")
	for subject.MatchString(msg) && !strings.HasPrefix(msg, "panic:") {
		msg = subject.ReplaceAllString(msg, "")
	}
	msg = lineRef.ReplaceAllString(msg, "")
	msg = instance.ReplaceAllString(msg, "")
	msg = positionIn.ReplaceAllString(msg, "")
	msg = quotedName.ReplaceAllString(msg, `$1$2"…"`)
	msg = quotedWord.ReplaceAllStringFunc(msg, func(q string) string {
		if strings.HasPrefix(q, `"(`) {
			return `"(…)"` // a source's value in parentheses
		}
		return strings.ToLower(q)
	})
	msg = realNumber.ReplaceAllStringFunc(msg, func(n string) string {
		if integer.MatchString(n) && len(n) <= 2 {
			return n
		}
		return "N"
	})
	return clip(strings.TrimSpace(msg), 120)
}
