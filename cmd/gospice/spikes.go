package main

import (
	"bufio"
	"path/filepath"
	"strconv"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
)

// writeSpikes writes the spikes of a transient to <stem>.spikes.csv in dir (the second
// transient's to <stem>.spikes2.csv): time,vector, one row per spike in time order. A run
// that stopped early writes <stem>.spikes.partial.csv. It returns the file's name.
func writeSpikes(dir, stem, suffix string, spikes []gospice.Spike, stopped bool) (string, error) {
	target := filepath.Join(dir, stem+"."+suffix+".csv")
	out, err := atomicfile.Create(target)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(out)
	w.WriteString("time,vector\n")
	var buf []byte
	for _, s := range spikes {
		buf = strconv.AppendFloat(buf[:0], s.Time, 'g', -1, 64)
		buf = append(buf, ',')
		buf = appendField(buf, s.Vector)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		out.Discard()
		return "", err
	}
	if stopped {
		return out.Abandon(), nil
	}
	return target, out.Commit()
}
