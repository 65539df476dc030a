package pipeline

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Confusion counts predictions: Confusion[true][predicted].
type Confusion [10][10]int

// Total returns the number of predictions and of right ones.
func (c *Confusion) Total() (total, right int) {
	for i, row := range c {
		for j, n := range row {
			total += n
			if i == j {
				right += n
			}
		}
	}
	return total, right
}

// WriteCSV writes the matrix with a header row of predicted digits and a first column of
// true digits.
func (c *Confusion) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("true\\predicted")
	for j := range 10 {
		fmt.Fprintf(bw, ",%d", j)
	}
	bw.WriteString("\n")
	for i, row := range c {
		bw.WriteString(strconv.Itoa(i))
		for _, n := range row {
			fmt.Fprintf(bw, ",%d", n)
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// grid shows the matrix with true digit 0 at the top, each cell the fraction of its row.
type grid struct{ c *Confusion }

func (g grid) Dims() (int, int)  { return 10, 10 }
func (g grid) X(col int) float64 { return float64(col) }
func (g grid) Y(row int) float64 { return float64(9 - row) }
func (g grid) Z(col, row int) float64 {
	total := 0
	for _, n := range g.c[row] {
		total += n
	}
	if total == 0 {
		return 0
	}
	return float64(g.c[row][col]) / float64(total)
}

// WritePNG draws the matrix as a heat map with the count in each cell.
func (c *Confusion) WritePNG(w io.Writer, title string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "predicted digit"
	p.Y.Label.Text = "true digit"
	pal := moreland.ExtendedBlackBody()
	pal.SetMin(0)
	pal.SetMax(1)
	hm := plotter.NewHeatMap(grid{c}, pal.Palette(256))
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	var xys plotter.XYs
	var texts []string
	for i, row := range c {
		for j, n := range row {
			if n > 0 {
				xys = append(xys, plotter.XY{X: float64(j), Y: float64(9 - i)})
				texts = append(texts, strconv.Itoa(n))
			}
		}
	}
	if len(xys) > 0 {
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
		if err != nil {
			return err
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i].Color = plotter.DefaultLineStyle.Color
			labels.TextStyle[i].XAlign, labels.TextStyle[i].YAlign = -0.5, -0.5
		}
		// Dark cells get white numbers.
		for k, xy := range xys {
			if (grid{c}).Z(int(xy.X), 9-int(xy.Y)) < 0.5 {
				labels.TextStyle[k].Color = pal.Palette(2).Colors()[1]
			}
		}
		p.Add(labels)
	}
	var xt, yt []plot.Tick
	for d := range 10 {
		xt = append(xt, plot.Tick{Value: float64(d), Label: strconv.Itoa(d)})
		yt = append(yt, plot.Tick{Value: float64(9 - d), Label: strconv.Itoa(d)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.5, 9.5, -0.5, 9.5
	wt, err := p.WriterTo(5*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}
