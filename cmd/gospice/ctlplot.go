package main

import (
	"fmt"
	"image/color"
	"math"

	"github.com/gospice/gospice/analysis/control"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// drawFigure draws a figure of a .control block's plot, hardcopy or gnuplot command into
// path, in format (svg, png, pdf, eps, jpg, tif): one panel, on the axes' ranges the
// control language computed, as ngspice's gnuplot script would draw it.
func drawFigure(path, format string, f *control.Figure) error {
	p := plot.New()
	p.Title.Text = f.Title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = f.XLabel
	p.Y.Label.Text = f.YLabel
	p.X.Tick.Marker = plot.TickerFunc(niceTicks)
	p.Y.Tick.Marker = plot.TickerFunc(niceTicks)
	if f.XLog {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.TickerFunc(engLogTicks)
	}
	if f.YLog {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.TickerFunc(engLogTicks)
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xdd}
	grid.Horizontal.Color = color.Gray{Y: 0xdd}
	p.Add(grid)
	for k, c := range f.Curves {
		var first *plotter.Line
		// A scale that turns back (a nested dc sweep, a vs vector) draws a line per stretch.
		for _, seg := range turns(c.X) {
			pts, err := decimate(c.X[seg[0]:seg[1]], c.Y[seg[0]:seg[1]], maxPlotPoints)
			if err != nil {
				continue
			}
			line, err := plotter.NewLine(logSafe(pts, f.XLog, f.YLog))
			if err != nil {
				return fmt.Errorf("%s: %w", c.Name, err)
			}
			line.Color = palette[k%len(palette)]
			line.Width = vg.Points(1.2)
			line.Dashes = dashes[k/len(palette)%len(dashes)]
			p.Add(line)
			if first == nil {
				first = line
			}
		}
		if first != nil && len(f.Curves) > 1 {
			p.Legend.Add(c.Name, first)
		}
	}
	p.Legend.Top = true
	p.X.Min, p.X.Max = f.XRange[0], f.XRange[1]
	p.Y.Min, p.Y.Max = f.YRange[0], f.YRange[1]
	c, out, err := newCanvas("."+format, figureWidth, panelHeight*2)
	if err != nil {
		return err
	}
	p.Draw(draw.New(c))
	file, err := createAtomic(path)
	if err != nil {
		return err
	}
	if _, err := out.WriteTo(file); err != nil {
		file.discard()
		return fmt.Errorf("cannot draw %s: %w", path, err)
	}
	return file.commit()
}

// turns splits x into its monotonic stretches: [start, end) index pairs, a new one where
// x turns back, as ngspice's gnuplot data file starts a new line there.
func turns(x []float64) [][2]int {
	var segs [][2]int
	start, dir := 0, 0
	for k := 1; k < len(x); k++ {
		d := x[k] - x[k-1]
		switch {
		case float64(dir)*d < 0:
			segs = append(segs, [2]int{start, k})
			start, dir = k, 0
		case dir == 0 && d > 0:
			dir = 1
		case dir == 0 && d < 0:
			dir = -1
		}
	}
	return append(segs, [2]int{start, len(x)})
}

// logSafe drops the points a log axis cannot show (x or y not above 0).
func logSafe(pts plotter.XYs, xlog, ylog bool) plotter.XYs {
	if !xlog && !ylog {
		return pts
	}
	out := pts[:0:0]
	for _, q := range pts {
		if (!xlog || q.X > 0) && (!ylog || q.Y > 0) && !math.IsNaN(q.Y) {
			out = append(out, q)
		}
	}
	return out
}
