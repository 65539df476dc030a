package main

import (
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
)

// pssKeeper keeps the time-domain rows of a .pss as they are written, for its
// frequency-domain plot, which follows them: in a raw file the plot after the
// time-domain one, in CSV <stem>.pss-spectrum.csv beside <stem>.pss.csv.
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

// spectrum delivers the frequency-domain plot to sink; false when there is none (the
// analysis wrote no period).
func (k *pssKeeper) spectrum(a *gospice.PSS, sink gospice.Sink) (bool, error) {
	cols, vals := gospice.PSSSpectrum(a, k.cols, k.vals)
	if cols == nil {
		return false, nil
	}
	if err := sink.Begin(cols); err != nil {
		return true, err
	}
	row := make([]float64, len(cols))
	for p := range vals[0] {
		for i := range vals {
			row[i] = vals[i][p]
		}
		if err := sink.Point(row); err != nil {
			return true, err
		}
	}
	return true, nil
}

// writeRaw writes the frequency-domain plot into the raw file.
func (k *pssKeeper) writeRaw(w *rawWriter, a *gospice.PSS) error {
	if _, err := k.spectrum(a, &rawSink{w: w, kind: "pss-spectrum"}); err != nil {
		return err
	}
	return w.end()
}

// writeCSV writes the frequency-domain plot beside the time-domain CSV file timeCSV.
func (k *pssKeeper) writeCSV(timeCSV string, a *gospice.PSS) (string, int, error) {
	if timeCSV == "-" || atomicfile.IsStream(timeCSV) {
		return "", 0, nil
	}
	target := strings.TrimSuffix(timeCSV, ".csv") + "-spectrum.csv"
	out, err := atomicfile.Create(target)
	if err != nil {
		return "", 0, err
	}
	sink := newCSVSink(out)
	some, err := k.spectrum(a, sink)
	if ferr := sink.Flush(); err == nil {
		err = ferr
	}
	if err != nil || !some {
		out.Discard()
		return "", 0, err
	}
	return target, sink.rows, out.Commit()
}
