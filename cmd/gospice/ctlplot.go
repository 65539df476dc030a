package main

import (
	"fmt"

	"github.com/gospice/gospice/analysis/control"
	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"gonum.org/v1/plot"
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
	addGrid(p)
	for k, c := range f.Curves {
		// A scale that turns back (a nested dc sweep, a vs vector) draws a line per stretch.
		first, err := addSeries(p, k, c.X, c.Y, f.XLog, f.YLog)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
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
	file, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	if _, err := out.WriteTo(file); err != nil {
		file.Discard()
		return fmt.Errorf("cannot draw %s: %w", path, err)
	}
	return file.Commit()
}
