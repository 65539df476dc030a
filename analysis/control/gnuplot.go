package control

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	pc "github.com/gospice/gospice/parser/control"
)

// pictureFormats are the formats Options.Draw writes, by file extension.
var pictureFormats = map[string]string{".svg": "svg", ".png": "png", ".pdf": "pdf", ".eps": "eps",
	".jpg": "jpg", ".jpeg": "jpg", ".tif": "tif", ".tiff": "tif"}

// cmdPlot draws its vectors into <stem>.plotN.svg, where ngspice opens a window (ngspice
// -b draws nothing), and says so on standard error; what it cannot draw is a note.
func (in *Interp) cmdPlot(ctx context.Context, c *pc.Command, args string) error {
	if in.opt.Draw == nil {
		fmt.Fprintf(in.opt.Stderr, "%s: note: plot draws nothing in batch mode, as in ngspice -b (gospice plot draws a file the run wrote)\n", c.Pos)
		return nil
	}
	// ngspice -b draws nothing for plot, so a plot gospice cannot draw is a note, not a
	// failed command: the run goes on and its exit code does not change.
	f, err := in.figure(graphWords(args))
	if err != nil {
		fmt.Fprintf(in.opt.Stderr, "%s: note: plot drew nothing: %v\n", c.Pos, err)
		return nil
	}
	in.plotCount++
	stem := in.opt.PlotStem
	if stem == "" {
		stem = "gospice"
	}
	name := fmt.Sprintf("%s.plot%d.svg", stem, in.plotCount)
	if err := in.opt.Draw(in.resolve(name), "svg", f); err != nil {
		fmt.Fprintf(in.opt.Stderr, "%s: note: plot drew nothing: %v\n", c.Pos, err)
		return nil
	}
	fmt.Fprintf(in.opt.Stderr, "%s: note: plot drew %s (ngspice opens a window)\n", c.Pos, in.resolve(name))
	return nil
}

// cmdHardcopy draws its vectors into a file: hardcopy FILE vectors. ngspice writes
// PostScript whatever the name; gospice writes the format the extension names (.svg,
// .png, .pdf, .eps, .jpg, .tif), encapsulated PostScript for .ps, and SVG beside any
// other name (FILE.svg), saying so.
func (in *Interp) cmdHardcopy(ctx context.Context, c *pc.Command, args string) error {
	if in.opt.Draw == nil {
		return errors.New("pictures are not available here")
	}
	words := graphWords(args)
	if len(words) < 2 {
		return errors.New("usage: hardcopy file vectors (gospice draws no earlier plot again)")
	}
	f, err := in.figure(words[1:])
	if err != nil {
		return err
	}
	name := words[0]
	ext := strings.ToLower(filepath.Ext(name))
	format, ok := pictureFormats[ext]
	switch {
	case ext == ".ps":
		format = "eps"
	case !ok:
		format = "svg"
		name += ".svg"
		fmt.Fprintf(in.opt.Stderr, "%s: note: hardcopy: %s names no picture format gospice writes; wrote SVG to %s\n", c.Pos, words[0], name)
	}
	return in.opt.Draw(in.resolve(name), format, f)
}

// cmdGnuplot writes NAME.plt and NAME.data as ngspice 39's gnuplot command does (it then
// runs gnuplot on them), and draws the picture itself: NAME.svg, or NAME.png and NAME.eps
// when the variable gnuplot_terminal says png or eps. With png/quit and eps/quit ngspice
// removes the .plt and .data files once the picture is drawn: so does gospice.
func (in *Interp) cmdGnuplot(ctx context.Context, c *pc.Command, args string) error {
	words := graphWords(args)
	if len(words) < 2 {
		return errors.New("usage: gnuplot name vectors")
	}
	f, err := in.figure(words[1:])
	if err != nil {
		return err
	}
	name := words[0]
	term := ""
	if v, ok := in.variable("gnuplot_terminal"); ok && len(v) > 0 {
		term = strings.ToLower(v[0])
	}
	if err := writeFileWith(in.resolve(name+".plt"), func(w io.Writer) error { return writePlt(w, name, term, f) }); err != nil {
		return err
	}
	if err := writeFileWith(in.resolve(name+".data"), func(w io.Writer) error { return writeGnuplotData(w, f) }); err != nil {
		return err
	}
	if in.opt.Draw == nil {
		return nil
	}
	format := "svg"
	switch term {
	case "png", "png/quit":
		format = "png"
	case "eps", "eps/quit":
		format = "eps"
	}
	picture := name + "." + format
	if err := in.opt.Draw(in.resolve(picture), format, f); err != nil {
		return err
	}
	if strings.HasSuffix(term, "/quit") {
		fmt.Fprintf(in.opt.Stdout, "writing plot to file %s\n", picture)
		os.Remove(in.resolve(name + ".plt"))
		os.Remove(in.resolve(name + ".data"))
	}
	return nil
}

// writeFileWith creates a file and writes it with write.
func writeFileWith(path string, write func(io.Writer) error) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(file)
	if err := write(w); err != nil {
		file.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// gnuplotString is s in double quotes, as ngspice quotes a title for gnuplot.
func gnuplotString(s string) string {
	r := strings.NewReplacer("\n", `\n`, `"`, `\"`, `\`, `\\`)
	return `"` + r.Replace(s) + `"`
}

// writePlt writes the gnuplot script ngspice 39 writes for a figure; term is the
// gnuplot_terminal variable.
func writePlt(w io.Writer, name, term string, f *Figure) error {
	var b strings.Builder
	b.WriteString("set encoding utf8\nset termoption noenhanced\n")
	if f.Title != "" {
		fmt.Fprintf(&b, "set title %s\n", gnuplotString(f.Title))
	}
	if f.XLabel != "" {
		fmt.Fprintf(&b, "set xlabel %s\n", gnuplotString(f.XLabel))
	}
	if f.YLabel != "" {
		fmt.Fprintf(&b, "set ylabel %s\n", gnuplotString(f.YLabel))
	}
	b.WriteString("set grid\n")
	if f.XLog {
		fmt.Fprintf(&b, "set logscale x\nset xrange [%s:%s]\nset mxtics 10\nset grid mxtics\n", cExp(f.XRange[0], 0), cExp(f.XRange[1], 0))
	} else {
		fmt.Fprintf(&b, "unset logscale x \nset xrange [%s:%s]\n", cExp(f.XRange[0], 6), cExp(f.XRange[1], 6))
	}
	if f.YLog {
		fmt.Fprintf(&b, "set logscale y \nset yrange [%s:%s]\nset mytics 10\nset grid mytics\n", cExp(f.YRange[0], 0), cExp(f.YRange[1], 0))
	} else {
		fmt.Fprintf(&b, "unset logscale y \nset yrange [%s:%s]\n", cExp(f.YRange[0], 6), cExp(f.YRange[1], 6))
	}
	if f.XTics > 0 {
		fmt.Fprintf(&b, "set xtics %s\n", cExp(f.XTics, 6))
	} else {
		b.WriteString("#set xtics 1\n")
	}
	b.WriteString("#set x2tics 1\n")
	if f.YTics > 0 {
		fmt.Fprintf(&b, "set ytics %s\n", cExp(f.YTics, 6))
	} else {
		b.WriteString("#set ytics 1\n")
	}
	b.WriteString("#set y2tics 1\n")
	b.WriteString("set format y \"%g\"\nset format x \"%g\"\n")
	quit := strings.HasSuffix(term, "/quit")
	plotLine := func() {
		b.WriteString("plot ")
		for i, c := range f.Curves {
			if i > 0 {
				b.WriteString(",\\\n")
			}
			fmt.Fprintf(&b, "'%s.data' using %d:%d with lines lw 1 title %s", name, 2*i+1, 2*i+2, gnuplotString(c.Name))
		}
		b.WriteString("\n")
	}
	if !quit {
		plotLine()
	}
	if term == "png" || term == "eps" {
		b.WriteString("set terminal push\n")
	}
	switch term {
	case "eps", "eps/quit":
		fmt.Fprintf(&b, "set terminal postscript eps color noenhanced\nset out '%s.eps'\n", name)
	case "png", "png/quit":
		fmt.Fprintf(&b, "set terminal png noenhanced\nset out '%s.png'\n", name)
	}
	if term == "png" || term == "eps" {
		b.WriteString("replot\nset term pop\nreplot\n")
	}
	if quit {
		plotLine()
		b.WriteString("exit\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeGnuplotData writes the data file of ngspice 39's gnuplot: a row per point, each
// curve's x and y in turn ("%e %e "), and an empty line where x turns back (a new
// stretch for gnuplot), x compared with the value written just before it.
func writeGnuplotData(w io.Writer, f *Figure) error {
	n := 0
	if len(f.Curves) > 0 {
		n = len(f.Curves[len(f.Curves)-1].X)
	}
	bw := bufio.NewWriter(w)
	dir := 0
	prev := 0.0
	for i := range n {
		for _, c := range f.Curves {
			if i >= len(c.X) {
				continue
			}
			x := c.X[i]
			if i > 0 {
				switch {
				case float64(dir)*(x-prev) < 0:
					bw.WriteString("\n")
					dir = 0
				case dir == 0 && x > prev:
					dir = 1
				case dir == 0 && x < prev:
					dir = -1
				}
			}
			fmt.Fprintf(bw, "%s %s ", cExp(x, 6), cExp(c.Y[i], 6))
			prev = x
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// cExp formats x as C's %.*e does: at least two exponent digits (Go's %e does the same),
// and nan and inf as C writes them.
func cExp(x float64, prec int) string {
	s := fmt.Sprintf("%.*e", prec, x)
	switch s {
	case "NaN":
		return "nan"
	case "+Inf":
		return "inf"
	case "-Inf":
		return "-inf"
	}
	return s
}
