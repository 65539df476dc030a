package main

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"math/cmplx"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgeps"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// series is one line of a panel.
type series struct {
	name string
	x, y []float64
}

// panel is one plot of the figure; the panels are stacked and share the x axis.
type panel struct {
	unit   string
	series []series
}

// plotFormats are the picture formats, by file extension.
var plotFormats = []string{".svg", ".png", ".pdf", ".eps", ".jpg", ".jpeg", ".tif", ".tiff"}

func checkPlotFormat(path string) error {
	if !slices.Contains(plotFormats, strings.ToLower(filepath.Ext(path))) {
		return fmt.Errorf("cannot tell the picture format of %s: name it .svg, .png, .pdf, .eps, .jpg or .tif", path)
	}
	return nil
}

// splitGroups reads the vector arguments of gospice plot: each argument is one panel,
// and commas outside parentheses put several vectors on it (v(a),v(b)); v(a,b) is one
// vector. overlay puts every vector on one panel.
func splitGroups(args []string, overlay bool) [][]string {
	var groups [][]string
	for _, a := range args {
		var g []string
		depth, start := 0, 0
		for i := 0; i <= len(a); i++ {
			if i == len(a) || (a[i] == ',' && depth == 0) {
				// Spaces are not part of a name: v(a, b) is v(a,b).
				if name := strings.ToLower(strings.Join(strings.Fields(a[start:i]), "")); name != "" {
					g = append(g, name)
				}
				start = i + 1
				continue
			}
			switch a[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if len(g) > 0 {
			groups = append(groups, g)
		}
	}
	return overlaid(groups, overlay)
}

// overlaid puts every vector of groups on one panel when overlay is set (--overlay).
func overlaid(groups [][]string, overlay bool) [][]string {
	if !overlay || len(groups) < 2 {
		return groups
	}
	var all []string
	for _, g := range groups {
		all = append(all, g...)
	}
	return [][]string{all}
}

// defaultGroups is one panel per vector of the table (all of them on one with overlay).
func defaultGroups(t *table, overlay bool) [][]string {
	var groups [][]string
	for _, c := range t.cols[1:] {
		if t.kind == "dc" && !strings.Contains(c.name, "(") {
			continue // an outer sweep of a nested .dc: the lines' parameter, not a vector
		}
		groups = append(groups, []string{c.name})
	}
	return overlaid(groups, overlay)
}

// unitFor is the unit of a column a run delivered: its part's for the parts of a complex
// vector, else its quantity's.
func unitFor(c gospice.Column) string {
	switch c.Part {
	case gospice.Decibel:
		return "dB"
	case gospice.Phase:
		return "°"
	}
	return map[gospice.Quantity]string{gospice.Time: "s", gospice.Frequency: "Hz", gospice.Voltage: "V",
		gospice.Current: "A", gospice.Resistance: "Ω", gospice.Temperature: "°C"}[c.Quantity]
}

// unitOf is the unit of a vector, from its name: for the columns of a file, and the
// vectors a user names.
func unitOf(name string) string {
	switch name {
	case "time":
		return "s"
	case "frequency":
		return "Hz"
	case "temp", "temp-sweep":
		return "°C"
	}
	open := strings.IndexByte(name, '(')
	if open < 0 { // a swept source of .dc: v1, i2
		switch {
		case strings.HasPrefix(name, "v"):
			return "V"
		case strings.HasPrefix(name, "i"):
			return "A"
		}
		return ""
	}
	fn, inner := name[:open], strings.TrimSuffix(name[open+1:], ")")
	if (fn == "re" || fn == "im") && strings.Contains(inner, "(") {
		return unitOf(inner)
	}
	switch fn {
	case "v", "vr", "vi", "vm":
		return "V"
	case "i", "ir", "ii", "im":
		return "A"
	case "vdb", "idb":
		return "dB"
	case "vp", "ip":
		return "°"
	}
	return ""
}

// quantities name the y axis of a panel of several vectors.
var quantities = map[string]string{"V": "voltage", "A": "current", "dB": "magnitude", "°": "phase", "s": "time", "Hz": "frequency"}

func axisLabel(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " [" + unit + "]"
}

// findVector looks a vector up in t: a column (or v(a,b) computed from v(a) and v(b)), or
// for .ac a part of a complex one in SPICE's forms (vdb(out), vp(out), vm(out), vr(out),
// vi(out), re(v(out)), im(v(out))).
// It returns the real values, or the complex ones.
func findVector(t *table, name string) ([]float64, []complex128, error) {
	if c := t.vector(name); c != nil {
		return c.re, c.c, nil
	}
	if base, part, ok := gospice.ACForm(name); ok {
		if c := t.vector(base); c != nil && c.c != nil {
			y := make([]float64, len(c.c))
			for k, z := range c.c {
				y[k] = part.Of(z)
			}
			return y, nil, nil
		}
	}
	var names []string
	for _, c := range t.cols {
		names = append(names, c.name)
	}
	hint := ""
	if best := gospice.Nearest(name, names); best != "" {
		hint = fmt.Sprintf("; did you mean %q?", best)
	}
	if a, b, ok := difference(name); ok {
		var lack []string
		for _, n := range []string{a, b} {
			if !isGround(n) && t.col("v("+n+")") == nil {
				lack = append(lack, "v("+n+")")
			}
		}
		if len(lack) > 0 {
			hint = fmt.Sprintf(": no %s to compute it from", strings.Join(lack, " or "))
		}
	}
	return nil, nil, fmt.Errorf("no vector %q%s (there are: %s)", name, hint, strings.Join(names, " "))
}

// buildPanels turns groups of vector names into panels. In a group, vectors of the same
// unit share a panel; a complex vector of .ac gives a magnitude panel in dB and a phase
// panel in degrees.
func buildPanels(t *table, groups [][]string) ([]panel, error) {
	sc := t.scale()
	if sc == nil || t.len() < 2 {
		return nil, fmt.Errorf("nothing to plot: the %s has %d point(s)", analysisNoun(t.kind), t.len())
	}
	x := sc.re
	var panels []panel
	for _, g := range groups {
		var byUnit []panel
		add := func(unit string, s series) {
			for i := range byUnit {
				if byUnit[i].unit == unit {
					byUnit[i].series = append(byUnit[i].series, s)
					return
				}
			}
			byUnit = append(byUnit, panel{unit: unit, series: []series{s}})
		}
		var mag, phase panel
		for _, name := range g {
			re, c, err := findVector(t, name)
			if err != nil {
				return nil, err
			}
			if c != nil {
				m := make([]float64, len(c))
				p := make([]float64, len(c))
				for k, z := range c {
					m[k] = 20 * math.Log10(cmplx.Abs(z))
					p[k] = cmplx.Phase(z) * 180 / math.Pi
				}
				unwrapDegrees(p)
				mag.unit, phase.unit = "dB", "°"
				mag.series = append(mag.series, series{name: name, x: x, y: m})
				phase.series = append(phase.series, series{name: name, x: x, y: p})
				continue
			}
			unit := unitOf(name)
			if c := t.col(name); c != nil {
				unit = c.unitOf()
			}
			add(unit, series{name: name, x: x, y: re})
		}
		if len(mag.series) > 0 {
			panels = append(panels, mag, phase)
		}
		panels = append(panels, byUnit...)
	}
	return panels, nil
}

// unwrapDegrees removes the jumps of 360 degrees from a phase, so that it is continuous.
func unwrapDegrees(p []float64) {
	offset := 0.0
	for k := 1; k < len(p); k++ {
		d := p[k] + offset - p[k-1]
		switch {
		case d > 180:
			offset -= 360 * math.Round(d/360)
		case d < -180:
			offset += 360 * math.Round(-d/360)
		}
		p[k] += offset
	}
}

func analysisNoun(kind string) string {
	switch kind {
	case "tran":
		return "transient"
	case "ac":
		return "AC analysis"
	case "dc":
		return "DC sweep"
	case "op":
		return "operating point"
	}
	return "analysis"
}

// palette is the lines' colours, told apart in colour and in grey.
var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	color.RGBA{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff},
	color.RGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
}

// maxPlotPoints is the most points a line keeps: longer ones keep the extremes of each
// stretch of their x range, which draws the same picture.
const maxPlotPoints = 4000

// decimate keeps, of each of n/2 stretches of x, its first point and the points of its
// smallest and largest y, in order; spikes survive.
func decimate(x, y []float64, n int) (plotter.XYs, error) {
	var pts plotter.XYs
	keep := func(k int) {
		if !math.IsInf(y[k], 0) && !math.IsNaN(y[k]) && !math.IsNaN(x[k]) {
			pts = append(pts, plotter.XY{X: x[k], Y: y[k]})
		}
	}
	if len(x) <= n {
		for k := range x {
			keep(k)
		}
	} else {
		buckets := n / 3
		for b := range buckets {
			lo, hi := b*len(x)/buckets, (b+1)*len(x)/buckets
			kmin, kmax := lo, lo
			for k := lo; k < hi; k++ {
				if y[k] < y[kmin] {
					kmin = k
				}
				if y[k] > y[kmax] {
					kmax = k
				}
			}
			idx := []int{lo, kmin, kmax}
			slices.Sort(idx)
			idx = slices.Compact(idx)
			for _, k := range idx {
				keep(k)
			}
		}
		keep(len(x) - 1)
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("no finite values to plot")
	}
	return pts, nil
}

// niceTicks marks a linear axis every 1, 2, 2.5 or 5 times a power of ten, at most
// eight labels, with minor ticks between, labelled in engineering notation (1m, 10u,
// 2.5k).
func niceTicks(lo, hi float64) []plot.Tick {
	return ticksWith(lo, hi, nil)
}

// degreeTicks marks a phase axis every 15, 30, 45, 90 or 180 degrees when its range is
// wide enough.
func degreeTicks(lo, hi float64) []plot.Tick {
	return ticksWith(lo, hi, []float64{15, 30, 45, 90, 180, 360})
}

func ticksWith(lo, hi float64, steps []float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step, minor := 0.0, 0.0
	for _, s := range steps {
		if span/s <= 7 {
			step, minor = s, s/3
			if s == 180 || s == 360 {
				minor = s / 4
			}
			break
		}
	}
	if step == 0 || span/step < 3 {
		mag := math.Pow(10, math.Floor(math.Log10(span/7)))
		for _, m := range []float64{1, 2, 2.5, 5, 10} {
			if span/(m*mag) <= 7 {
				step = m * mag
				minor = step / 5
				if m == 2 {
					minor = step / 4
				}
				break
			}
		}
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo/minor - 1e-9); k*minor <= hi+minor*1e-9; k++ {
		v := k * minor
		if math.Abs(v) < minor*1e-9 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			t.Label = engStep(v, step)
		}
		ticks = append(ticks, t)
		if len(ticks) > 200 {
			break
		}
	}
	return ticks
}

// engLogTicks labels a logarithmic axis at its decades (100, 1k, 10k, 100k, 1M); a range
// shorter than a decade gets the linear ticks.
func engLogTicks(lo, hi float64) []plot.Tick {
	if hi/lo < 10 {
		return niceTicks(lo, hi)
	}
	ticks := plot.LogTicks{Prec: -1}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = eng(t.Value, 3)
		}
	}
	return ticks
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

// addGrid draws light grid lines behind what p shows.
func addGrid(p *plot.Plot) {
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xdd}
	grid.Horizontal.Color = color.Gray{Y: 0xdd}
	p.Add(grid)
}

// addSeries draws y over x in the k-th line style, a line per monotonic stretch of x
// (turns), leaving out what a log axis cannot show; it returns the first line drawn, for
// the legend, or nil when none could be.
func addSeries(p *plot.Plot, k int, x, y []float64, xlog, ylog bool) (*plotter.Line, error) {
	var first *plotter.Line
	for _, seg := range turns(x) {
		pts, err := decimate(x[seg[0]:seg[1]], y[seg[0]:seg[1]], maxPlotPoints)
		if err != nil {
			continue
		}
		line, err := plotter.NewLine(logSafe(pts, xlog, ylog))
		if err != nil {
			return nil, err
		}
		line.Color = palette[k%len(palette)]
		line.Width = vg.Points(1.2)
		line.Dashes = dashes[k/len(palette)%len(dashes)] // more lines than colours
		p.Add(line)
		if first == nil {
			first = line
		}
	}
	return first, nil
}

// figure is what gets drawn: a title, the x axis and the panels.
type figure struct {
	title  string
	xLabel string
	logX   bool
	panels []panel
	xlim   *[2]float64 // the x axis's range, when asked for
}

// clip keeps the points with lo <= x <= hi.
func (f *figure) clip(lo, hi float64) error {
	for i := range f.panels {
		for j := range f.panels[i].series {
			s := &f.panels[i].series[j]
			var x, y []float64
			for k := range s.x {
				if s.x[k] >= lo && s.x[k] <= hi {
					x, y = append(x, s.x[k]), append(y, s.y[k])
				}
			}
			if len(x) < 2 {
				return fmt.Errorf("%s has fewer than two points between %s and %s", s.name, eng(lo, 6), eng(hi, 6))
			}
			s.x, s.y = x, y
		}
	}
	f.xlim = &[2]float64{lo, hi}
	return nil
}

func newFigure(t *table, panels []panel) *figure {
	sc := t.scale()
	f := &figure{
		title:  t.title,
		xLabel: axisLabel(sc.name, sc.unitOf()),
		logX:   t.kind == "ac" && slices.Min(sc.re) > 0,
		panels: panels,
	}
	if f.title != "" {
		f.title += " (" + analysisNoun(t.kind) + ")"
	} else {
		f.title = analysisNoun(t.kind)
	}
	return f
}

const (
	legendEntry    = 12  // points: the height of a legend entry
	plotAreaHeight = 120 // points: about the height of a panel's data area
	figureWidth    = 8 * vg.Inch
	panelHeight    = 2.3 * vg.Inch
	pngDPI         = 120

	// maxInsideLegend is the most lines whose legend goes inside the panel, in headroom
	// above the lines; the legend of more goes beside the panel, in columns as needed.
	maxInsideLegend = 3
)

// legendItem is one line of a legend drawn beside a panel.
type legendItem struct {
	name  string
	thumb plot.Thumbnailer
}

// plots builds one gonum plot per panel, and for each the legend to draw beside it (none
// when it has one line or its legend is inside).
func (f *figure) plots() ([]*plot.Plot, [][]legendItem, error) {
	var plots []*plot.Plot
	var beside [][]legendItem
	for i, pn := range f.panels {
		var items []legendItem
		inside := len(pn.series) <= maxInsideLegend
		p := plot.New()
		if i == 0 {
			p.Title.Text = f.title
			p.Title.Padding = vg.Points(6)
		}
		if i == len(f.panels)-1 {
			p.X.Label.Text = f.xLabel
		}
		if f.logX {
			p.X.Scale = plot.LogScale{}
			p.X.Tick.Marker = plot.TickerFunc(engLogTicks)
		} else {
			p.X.Tick.Marker = plot.TickerFunc(niceTicks)
		}
		p.Y.Tick.Marker = plot.TickerFunc(niceTicks)
		if pn.unit == "°" {
			p.Y.Tick.Marker = plot.TickerFunc(degreeTicks)
		}
		if len(pn.series) == 1 {
			p.Y.Label.Text = axisLabel(pn.series[0].name, pn.unit)
		} else {
			q := quantities[pn.unit]
			if q == "" {
				q = "value"
			}
			p.Y.Label.Text = axisLabel(q, pn.unit)
		}
		addGrid(p)
		for k, s := range pn.series {
			// A nested .dc sweep restarts its scale for each outer value: a line per run.
			first, err := addSeries(p, k, s.x, s.y, false, false)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", s.name, err)
			}
			if first == nil {
				return nil, nil, fmt.Errorf("%s: no finite values to plot", s.name)
			}
			switch {
			case len(pn.series) > 1 && inside:
				p.Legend.Add(s.name, first)
			case len(pn.series) > 1:
				items = append(items, legendItem{s.name, first})
			}
		}
		ylo, yhi := math.Inf(1), math.Inf(-1)
		xlo, xhi := math.Inf(1), math.Inf(-1)
		for _, s := range pn.series {
			for k, y := range s.y {
				if !math.IsInf(y, 0) && !math.IsNaN(y) {
					ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
					xlo, xhi = math.Min(xlo, s.x[k]), math.Max(xhi, s.x[k])
				}
			}
		}
		// A little room above and below the lines, and room at the top for the legend.
		pad := 0.04 * (yhi - ylo)
		if pad == 0 {
			pad = math.Max(0.1*math.Abs(yhi), 1e-12)
		}
		top, bottom := yhi+pad, ylo-pad
		if n := len(pn.series); n > 1 && inside {
			frac := (float64(n)*legendEntry + 6) / plotAreaHeight
			top = (top - frac*bottom) / (1 - frac)
		}
		p.Y.Min, p.Y.Max = bottom, top
		// The x axis spans the data, from 0 when the data start just after it (a
		// transient with uic has no point at 0).
		if xhi > xlo {
			if !f.logX && xlo > 0 && xlo < 0.02*(xhi-xlo) {
				xlo = 0
			}
			p.X.Min, p.X.Max = xlo, xhi
		}
		if f.xlim != nil {
			if !math.IsInf(f.xlim[0], 0) {
				p.X.Min = f.xlim[0]
			}
			if !math.IsInf(f.xlim[1], 0) {
				p.X.Max = f.xlim[1]
			}
		}
		p.Legend.TextStyle.Font.Size = vg.Points(legendEntry - 2)
		p.Legend.Padding = vg.Points(2)
		p.Legend.Top = true
		p.Legend.XOffs = -vg.Points(4)
		p.Legend.YOffs = -vg.Points(2)
		p.Legend.ThumbnailWidth = vg.Points(16)
		plots = append(plots, p)
		beside = append(beside, items)
	}
	return plots, beside, nil
}

// dashes tell apart lines of the same colour: the first len(palette) lines are solid, the
// next dashed, then dotted.
var dashes = [][]vg.Length{nil, {vg.Points(5), vg.Points(3)}, {vg.Points(1.5), vg.Points(2)}}

// legendColumns lays out a legend beside a panel whose data area is height tall: as many
// columns as its entries need, each a legend of its own.
func legendColumns(items []legendItem, height vg.Length) []plot.Legend {
	if len(items) == 0 {
		return nil
	}
	newLegend := func() plot.Legend {
		l := plot.NewLegend()
		l.TextStyle.Font.Size = vg.Points(legendEntry - 2)
		l.Padding = vg.Points(2)
		l.Top, l.Left = true, true
		l.ThumbnailWidth = vg.Points(16)
		return l
	}
	probe := newLegend()
	probe.Add(items[0].name, items[0].thumb)
	entry := probe.Rectangle(draw.Canvas{}).Size().Y + probe.Padding
	perColumn := max(1, int((height+probe.Padding)/entry))
	var cols []plot.Legend
	for k, it := range items {
		if k%perColumn == 0 {
			cols = append(cols, newLegend())
		}
		cols[len(cols)-1].Add(it.name, it.thumb)
	}
	return cols
}

// legendGap is the room between a panel and the legend beside it, and between columns.
const legendGap = 8

// columnsWidth is the width the legend columns take, gaps before each included.
func columnsWidth(cols []plot.Legend) vg.Length {
	var w vg.Length
	for i := range cols {
		w += vg.Points(legendGap) + cols[i].Rectangle(draw.Canvas{}).Size().X
	}
	return w
}

// writeTo draws the figure in the format of the extension ext.
func (f *figure) writeTo(w io.Writer, ext string) error {
	plots, beside, err := f.plots()
	if err != nil {
		return err
	}
	width, height := figureWidth, panelHeight*vg.Length(len(plots))+0.3*vg.Inch
	c, out, err := newCanvas(ext, width, height)
	if err != nil {
		return err
	}
	dc := draw.New(c)
	tiles := draw.Tiles{
		Rows: len(plots), Cols: 1,
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(10),
		PadY: vg.Points(6),
	}
	rows := make([][]*plot.Plot, len(plots))
	for i, p := range plots {
		rows[i] = []*plot.Plot{p}
	}
	// Legends beside panels take a strip on the right, as wide for every panel so that the
	// x axes stay aligned. Their columns are as tall as the data areas, whose heights do
	// not depend on the width.
	legends := make([][]plot.Legend, len(plots))
	var strip vg.Length
	for i, c := range plot.Align(rows, tiles, dc) {
		legends[i] = legendColumns(beside[i], plots[i].DataCanvas(c[0]).Size().Y)
		strip = max(strip, columnsWidth(legends[i]))
	}
	area := dc
	area.Max.X -= strip
	canvases := plot.Align(rows, tiles, area)
	for i, p := range plots {
		p.Draw(canvases[i][0])
		data := p.DataCanvas(canvases[i][0])
		x := area.Max.X - tiles.PadRight
		for _, l := range legends[i] {
			x += vg.Points(legendGap)
			width := l.Rectangle(draw.Canvas{}).Size().X
			c := data
			c.Min.X, c.Max.X = x, x+width
			l.Draw(c)
			x += width
		}
	}
	_, err = out.WriteTo(w)
	return err
}

// epsWriter mends the first line of vgeps's output, which it writes as %%!PS-Adobe;
// readers look for %!PS-Adobe.
type epsWriter struct{ c *vgeps.Canvas }

func (e epsWriter) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	if _, err := e.c.WriteTo(&b); err != nil {
		return 0, err
	}
	data := b.Bytes()
	if bytes.HasPrefix(data, []byte("%%!PS")) {
		data = data[1:]
	}
	n, err := w.Write(data)
	return int64(n), err
}

// writePlot draws t's groups into path, through a temporary file renamed when done.
// xlim, when not nil, is the range of the x axis to draw. The callers have checked path's
// picture format (checkPlotFormat) before running anything.
func writePlot(path string, t *table, groups [][]string, xlim *[2]float64) error {
	panels, err := buildPanels(t, groups)
	if err != nil {
		return err
	}
	fig := newFigure(t, panels)
	if xlim != nil {
		if err := fig.clip(xlim[0], xlim[1]); err != nil {
			return err
		}
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	if err := fig.writeTo(f, filepath.Ext(path)); err != nil {
		f.Discard()
		return fmt.Errorf("cannot draw %s: %w", path, err)
	}
	return f.Commit()
}

// newCanvas is a canvas of the given size for the format of the extension ext, and what
// writes it out.
func newCanvas(ext string, width, height vg.Length) (vg.CanvasSizer, io.WriterTo, error) {
	switch strings.ToLower(ext) {
	case ".svg":
		s := vgsvg.New(width, height)
		return s, s, nil
	case ".pdf":
		p := vgpdf.New(width, height)
		return p, p, nil
	case ".eps":
		e := vgeps.New(width, height)
		return e, epsWriter{e}, nil
	case ".png", ".jpg", ".jpeg", ".tif", ".tiff":
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
		switch strings.ToLower(ext) {
		case ".png":
			return img, vgimg.PngCanvas{Canvas: img}, nil
		case ".tif", ".tiff":
			return img, vgimg.TiffCanvas{Canvas: img}, nil
		}
		return img, vgimg.JpegCanvas{Canvas: img}, nil
	}
	return nil, nil, checkPlotFormat("x" + ext)
}
