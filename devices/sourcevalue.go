package devices

import (
	"fmt"

	"github.com/gospice/gospice/parser"
)

// SourceValues are an independent source's values at the times ts of a transient
// whose tstep and tstop are tm, as its loads see them: its waveform at each time, or
// its DC value when it has none. Random waveforms (trnoise, trrandom) draw their values
// in a run, not here: an error.
func SourceValues(e *parser.Element, ts []float64, tm Timing) ([]float64, error) {
	s := e.Source()
	if s == nil {
		return nil, fmt.Errorf("%s is not an independent source", e.Name)
	}
	out := make([]float64, len(ts))
	if s.Wave == nil {
		for i := range out {
			out[i] = s.DC
		}
		return out, nil
	}
	if k := s.Wave.Kind; k == "trnoise" || k == "trrandom" {
		return nil, fmt.Errorf("%s: the values of a %s source are drawn in the run", e.Name, k)
	}
	w, err := newWaveform(s.Wave, tm)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", e.Name, err)
	}
	for i, t := range ts {
		out[i] = w.value(t, tm)
	}
	return out, nil
}
