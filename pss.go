package gospice

import (
	"context"
	"errors"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/parser"
)

// PSS is a .pss analysis: the periodic steady state of a free-running oscillator.
type PSS = parser.PSS

// runPSS runs .pss with the transient's vectors. An oscnob that is not a node of the
// circuit is accepted, as ngspice accepts it: the node of the largest swing marks the
// periods instead, and a note says which.
func (s *Simulation) runPSS(ctx context.Context, a *parser.PSS, outs []analysis.Output, sink Sink, log func(string, ...any)) (analysis.Stats, error) {
	spec := analysis.PSSSpec{Freq: a.Freq, Stab: a.Stab, Points: a.Points, MaxIter: a.MaxIter,
		SteadyCoeff: a.SteadyCoeff, UIC: a.UIC}
	k, ok := s.ckt.Sys.Lookup("v(" + a.Osc + ")")
	if ok {
		spec.Osc = k
	}
	res, st, err := analysis.PSS(ctx, &s.ckt, s.opt, spec, outs, sink, analysis.Logger(log))
	var se *analysis.StopError
	if errors.As(err, &se) && se.Analysis == "pss" {
		// the shooting's own error (no oscillation, gfreq far off): the card's
		return st, parser.Errorf(a.Pos, ".pss: %v", se.Err)
	}
	if err != nil {
		return st, err // the transient's
	}
	osc := s.ckt.Sys.Unknowns[res.Osc].Label()
	if !ok {
		log(".pss: oscnob %q is not a node of the circuit%s: the periods are those of %s, the node of the largest swing",
			a.Osc, s.suggestUnknown("v("+a.Osc+")"), osc)
	}
	if res.Converged {
		log(".pss: period %.10g s (%.10g Hz) of %s from t = %.7g s, periodic after %d periods",
			res.Period, 1/res.Period, osc, res.Start, res.Periods)
	} else {
		log(".pss: not periodic after %d periods (sciter): %s still moves by %.3g times its tolerance over a period; the last period, %.10g s (%.10g Hz) of %s from t = %.7g s, is written",
			res.Periods, s.ckt.Sys.Unknowns[res.Moving].Label(), res.Change, res.Period, 1/res.Period, osc, res.Start)
	}
	return st, nil
}

// PSSSpectrum is the frequency-domain plot of a .pss (ngspice's second plot) made from its
// time-domain one: cols and vals (a slice per column) as the analysis wrote them, the time
// first. Its columns are the frequency, then the time-domain vectors: at DC their means
// over the period, at each harmonic their amplitudes (analysis.PSSSpectrum).
func PSSSpectrum(a *PSS, cols []Column, vals [][]float64) ([]Column, [][]float64) {
	if len(vals) == 0 || len(vals[0]) < 2 {
		return nil, nil
	}
	t := vals[0]
	freqs, amps := analysis.PSSSpectrum(t[len(t)-1]-t[0], vals[1:], a.Harms)
	out := append([]Column{{Name: "frequency", Quantity: analysis.Frequency}}, cols[1:]...)
	return out, append([][]float64{freqs}, amps...)
}

// Spectrum is the frequency-domain plot of a .pss's result (PSSSpectrum); nil for
// another analysis's.
func (r *Result) Spectrum() *Result {
	a, ok := r.Analysis.(*PSS)
	if !ok {
		return nil
	}
	cols, vals := PSSSpectrum(a, r.cols, r.real)
	if cols == nil {
		return nil
	}
	spectrum := &Result{Analysis: a, Stats: r.Stats, real: vals}
	spectrum.setColumns(cols)
	return spectrum
}
