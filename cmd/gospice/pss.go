package main

import "github.com/gospice/gospice"

// pssKeeper keeps the time-domain rows of a .pss as they are written, for its
// frequency-domain plot, which follows them.
type pssKeeper struct {
	cols []gospice.Column
	vals [][]float64
}

func (k *pssKeeper) Begin(cols []gospice.Column) error {
	k.cols, k.vals = cols, make([][]float64, len(cols))
	return nil
}

func (k *pssKeeper) Point(row []float64) error {
	for i, v := range row {
		k.vals[i] = append(k.vals[i], v)
	}
	return nil
}

// writeRaw writes the frequency-domain plot into the raw file.
func (k *pssKeeper) writeRaw(w *rawWriter, a *gospice.PSS) error {
	cols, vals := gospice.PSSSpectrum(a, k.cols, k.vals)
	if cols == nil {
		return nil
	}
	if err := w.begin(pssSpectrumPlot, false, rawVars("pss", cols, false)); err != nil {
		return err
	}
	row := make([]float64, len(cols))
	for p := range vals[0] {
		for i := range vals {
			row[i] = vals[i][p]
		}
		if err := w.point(row); err != nil {
			return err
		}
	}
	return w.end()
}

// pssSpectrumPlot is the name ngspice gives a .pss's second plot.
const pssSpectrumPlot = "Frequency Domain Periodic Steady State Analysis"
