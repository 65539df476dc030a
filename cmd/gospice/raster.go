package main

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// isSpikesFile reports whether a CSV file is a spikes file (time,vector).
func isSpikesFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 12)
	n, _ := io.ReadFull(f, head)
	return strings.HasPrefix(string(head[:n]), "time,vector\n") || strings.HasPrefix(string(head[:n]), "time,vector\r")
}

// spikeTrains reads a spikes file: each vector's spike times, the vectors in the order
// of their first spike.
func spikeTrains(path string) (names []string, times [][]float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 2
	rows, err := r.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	index := map[string]int{}
	for k, row := range rows[1:] {
		t, err := strconv.ParseFloat(row[0], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: bad time %q", path, k+2, row[0])
		}
		i, ok := index[row[1]]
		if !ok {
			i = len(names)
			index[row[1]] = i
			names = append(names, row[1])
			times = append(times, nil)
		}
		times[i] = append(times[i], t)
	}
	return names, times, nil
}

// writeRaster draws a spikes file: a raster (one row per vector, a dot per spike) over
// the population's firing rate (spikes per second per vector, in bins of width bin; 0
// picks about 50 bins).
func writeRaster(out, input string, xlim *[2]float64, bin float64) error {
	names, times, err := spikeTrains(input)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("%s: no spikes to plot", input)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ts := range times {
		lo, hi = min(lo, ts[0]), max(hi, ts[len(ts)-1])
	}
	if xlim != nil {
		if !math.IsInf(xlim[0], 0) {
			lo = xlim[0]
		}
		if !math.IsInf(xlim[1], 0) {
			hi = xlim[1]
		}
	}
	if !(hi > lo) {
		hi = lo + 1e-3
	}
	if bin <= 0 {
		bin = (hi - lo) / 50
	}
	raster := plot.New()
	raster.Title.Text = filepath.Base(input)
	raster.Y.Label.Text = "vector"
	var dots plotter.XYs
	for i, ts := range times {
		for _, t := range ts {
			if t >= lo && t <= hi {
				dots = append(dots, plotter.XY{X: t, Y: float64(i)})
			}
		}
	}
	sc, err := plotter.NewScatter(dots)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Radius = vg.Points(1)
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	sc.GlyphStyle.Color = color.Black
	raster.Add(sc)
	raster.Y.Min, raster.Y.Max = -0.5, float64(len(names))-0.5
	if len(names) <= 12 {
		var ticks []plot.Tick
		for i, n := range names {
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: n})
		}
		raster.Y.Tick.Marker = plot.ConstantTicks(ticks)
	}
	nb := int(math.Ceil((hi - lo) / bin))
	counts := make([]float64, max(nb, 1))
	for _, ts := range times {
		for _, t := range ts {
			if t >= lo && t <= hi {
				counts[min(int((t-lo)/bin), len(counts)-1)]++
			}
		}
	}
	var bars plotter.XYs
	for k, c := range counts {
		rate := c / bin / float64(len(names))
		x0 := lo + float64(k)*bin
		bars = append(bars, plotter.XY{X: x0, Y: 0}, plotter.XY{X: x0, Y: rate}, plotter.XY{X: x0 + bin, Y: rate}, plotter.XY{X: x0 + bin, Y: 0})
	}
	rate := plot.New()
	line, err := plotter.NewLine(bars)
	if err != nil {
		return err
	}
	rate.Add(line)
	rate.Y.Label.Text = fmt.Sprintf("rate (Hz per vector, bins of %s)", eng(bin, 3)+"s")
	rate.X.Label.Text = "time (s)"
	rate.Y.Min = 0
	for _, p := range []*plot.Plot{raster, rate} {
		p.X.Min, p.X.Max = lo, hi
		p.X.Tick.Marker = plot.TickerFunc(niceTicks)
	}
	f, err := atomicfile.Create(out)
	if err != nil {
		return err
	}
	if err := drawStacked(f, filepath.Ext(out), []*plot.Plot{raster, rate}); err != nil {
		f.Discard()
		return fmt.Errorf("cannot draw %s: %w", out, err)
	}
	return f.Commit()
}

// drawStacked writes plots stacked over one another, x axes aligned, in the format of ext.
func drawStacked(w io.Writer, ext string, plots []*plot.Plot) error {
	width, height := figureWidth, panelHeight*vg.Length(len(plots))+0.3*vg.Inch
	c, out, err := newCanvas(ext, width, height)
	if err != nil {
		return err
	}
	rows := make([][]*plot.Plot, len(plots))
	for i, p := range plots {
		rows[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(10), PadY: vg.Points(6)}
	for i, cv := range plot.Align(rows, tiles, draw.New(c)) {
		plots[i].Draw(cv[0])
	}
	_, err = out.WriteTo(w)
	return err
}
