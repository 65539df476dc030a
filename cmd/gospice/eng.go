package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gospice/gospice"
)

// siPrefixes are the engineering prefixes from 1e-15 to 1e12, as plots and the progress
// bar write them (u for micro, M for mega).
var siPrefixes = []string{"f", "p", "n", "u", "m", "", "k", "M", "G", "T"}

// spicePrefixes are the same in SPICE's spelling, where M is milli and mega is meg.
var spicePrefixes = []string{"f", "p", "n", "u", "m", "", "k", "meg", "g", "t"}

// engExp is the multiple of 3 to write v with: v / 10^exp is in [1, 1000).
func engExp(v float64) int {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0
	}
	e := int(math.Floor(math.Log10(math.Abs(v))/3)) * 3
	// Rounding may take 999.9999 to the next prefix's 1.
	if m := math.Abs(v) / math.Pow(10, float64(e)); m >= 999.9999999 {
		e += 3
	}
	return e
}

// eng writes v in engineering notation with up to digits significant digits and the SI
// prefix: 0.0025 is 2.5m, 1.5e-6 is 1.5u, 47000 is 47k.
func eng(v float64, digits int) string {
	return engWith(v, digits, siPrefixes)
}

// engSpice writes v as a SPICE number: 1meg, 10u, 2.5m.
func engSpice(v float64) string {
	return engWith(v, 6, spicePrefixes)
}

func engWith(v float64, digits int, prefixes []string) string {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	e := engExp(v)
	m := v / math.Pow(10, float64(e))
	s := strconv.FormatFloat(m, 'g', digits, 64)
	if e < -15 || e > 12 || strings.ContainsAny(s, "e") { // past the prefixes' range
		return strconv.FormatFloat(v, 'g', digits, 64)
	}
	return s + prefixes[e/3+5]
}

// engStep writes v with as many decimals as a step of step between neighbours needs, so
// that the labels of ticks 1.0, 1.5, 2.0 come out as 1, 1.5, 2 and not all as 2.
func engStep(v, step float64) string {
	if v == 0 {
		return "0"
	}
	e := engExp(v)
	if e < -15 || e > 12 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	m := v / math.Pow(10, float64(e))
	decimals := 0
	if step > 0 {
		decimals = max(0, int(math.Ceil(-math.Log10(step/math.Pow(10, float64(e)))-1e-9)))
	}
	decimals = min(decimals, 12)
	s := strconv.FormatFloat(m, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s + siPrefixes[e/3+5]
}

// parseSpiceNumber reads a number as SPICE does (gospice.ParseNumber), spaces around it
// ignored: 1.5, 2e-3, 10u, 180m, 1meg; 3k3 is not one; trailing unit letters are ignored
// (10ms, 1kHz).
func parseSpiceNumber(s string) (float64, error) {
	v, ok := gospice.ParseNumber(strings.TrimSpace(s))
	if !ok {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}
