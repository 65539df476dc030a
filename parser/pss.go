package parser

import (
	"fmt"
	"math"
	"strings"
)

// PSS is .pss gfreq tstab oscnob psspoints harms sciter steadycoeff [uic]: the periodic
// steady state of a free-running oscillator, as ngspice's experimental .pss. A transient
// runs to tstab, then period by period until the state repeats; the last period is
// written sampled at Points+1 equally spaced times, and its harmonics.
type PSS struct {
	Freq        float64 // gfreq: the guessed frequency of the fundamental (Hz)
	Stab        float64 // tstab: the stabilization time before the periods are measured
	Osc         string  // oscnob: the node (flat name) whose rising crossings mark the periods
	Points      int     // psspoints: the steps of the written period
	Harms       int     // harms: the rows of the spectrum, DC included
	MaxIter     int     // sciter: the most periods measured after tstab
	SteadyCoeff float64 // steadycoeff: the change over a period, relative to the swing, that counts as periodic
	UIC         bool
	Pos, OscPos Pos
}

func (*PSS) Name() string    { return "pss" }
func (a *PSS) Position() Pos { return a.Pos }

// PSSUsage is the form of .pss and of the control language's pss command.
const PSSUsage = "pss gfreq tstab oscnob psspoints harms sciter steadycoeff [uic]"

// pssWords names the words of .pss, for messages.
var pssWords = []string{"gfreq", "tstab", "oscnob", "psspoints", "harms", "sciter", "steadycoeff"}

// NewPSS reads the words of .pss (or of the pss command), the node as the top level names
// it. On an error it also returns the index of the word at fault (len(words) for a
// missing one). ngspice reads the seven words without defaults (a missing one is 0 and
// its run goes wrong), so all seven are required.
func NewPSS(words []string, pos Pos) (*PSS, int, error) {
	a := &PSS{Pos: pos, OscPos: pos}
	if n := len(words); n > 0 && strings.EqualFold(words[n-1], "uic") {
		a.UIC, words = true, words[:n-1]
	}
	if len(words) < len(pssWords) {
		return nil, len(words), fmt.Errorf("missing %s: %s", pssWords[len(words)], PSSUsage)
	}
	if len(words) > len(pssWords) {
		return nil, len(pssWords), fmt.Errorf("too many arguments: %s", PSSUsage)
	}
	var v [7]float64
	for i, w := range words {
		if i == 2 {
			continue
		}
		x, err := parseNumber(w)
		if err != nil {
			return nil, i, fmt.Errorf("%s: %q is not a number", pssWords[i], w)
		}
		v[i] = x
	}
	a.Freq, a.Stab, a.Osc, a.SteadyCoeff = v[0], v[1], node(words[2]), v[6]
	counts := [...]*int{3: &a.Points, 4: &a.Harms, 5: &a.MaxIter}
	for i := 3; i <= 5; i++ {
		if v[i] != math.Trunc(v[i]) || v[i] < 1 || v[i] > 1e7 {
			return nil, i, fmt.Errorf("%s must be a whole number from 1 to 1e7, got %g", pssWords[i], v[i])
		}
		*counts[i] = int(v[i])
	}
	switch {
	case !(a.Freq > 0) || math.IsInf(a.Freq, 0):
		return nil, 0, fmt.Errorf("gfreq must be positive, got %g", a.Freq)
	case !(a.Stab >= 0) || math.IsInf(a.Stab, 0):
		return nil, 1, fmt.Errorf("tstab must not be negative, got %g", a.Stab)
	case a.Osc == "0":
		return nil, 2, fmt.Errorf("oscnob is the ground node: it does not oscillate")
	case a.Points < 2:
		return nil, 3, fmt.Errorf("psspoints must be at least 2, got %d", a.Points)
	case !(a.SteadyCoeff > 0) || a.SteadyCoeff >= 1:
		return nil, 6, fmt.Errorf("steadycoeff must be between 0 and 1, got %g", a.SteadyCoeff)
	}
	// The written period must resolve the harmonics asked for: ngspice raises psspoints
	// the same way.
	a.Points = max(a.Points, 2*a.Harms)
	return a, 0, nil
}

// pss reads .pss gfreq tstab oscnob psspoints harms sciter steadycoeff [uic].
func (e *elab) pss(d *DotLine) {
	var words []string
	for i, it := range d.Items {
		w, ok := atom(it)
		if !ok {
			e.errorf(toPos(it.Pos), ".pss: expected %s, found %s", pssWords[min(i, len(pssWords)-1)], itemText(it))
			return
		}
		words = append(words, w)
	}
	a, bad, err := NewPSS(words, toPos(d.Pos))
	if err != nil {
		pos := toPos(d.EndPos)
		if bad < len(d.Items) {
			pos = toPos(d.Items[bad].Pos)
		}
		e.errorf(pos, ".pss: %v", err)
		return
	}
	a.OscPos = toPos(d.Items[2].Pos)
	a.Osc = e.node(a.Osc)
	e.c.Analyses = append(e.c.Analyses, a)
}
