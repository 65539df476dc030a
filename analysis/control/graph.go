package control

import (
	"errors"
	"fmt"
	"math"
	"strings"

	pc "github.com/gospice/gospice/parser/control"
)

// Figure is a picture that plot, hardcopy and gnuplot draw: curves over one x axis, with
// the ranges and labels ngspice 39 computes for them. The command line draws it
// (Options.Draw), so that this package needs no plotting library.
type Figure struct {
	Title, XLabel, YLabel string // "" when ngspice writes no label
	XLog, YLog            bool
	// XRange and YRange are the axes' ranges as ngspice gives them to gnuplot: the
	// data's (or xlimit's, ylimit's), y widened by 5% each side on a linear axis, whole
	// decades on a log one.
	XRange, YRange [2]float64
	// XTics, YTics are xdelta and ydelta (0: not given).
	XTics, YTics float64
	Curves       []Curve
}

// Curve is one line of a figure: a vector (its real part) against its scale or the vs
// vector. A scale that turns back (a nested dc sweep) draws a new stretch.
type Curve struct {
	Name string
	X, Y []float64
}

// graphArgs are the arguments of plot, hardcopy and gnuplot: the expressions and the
// options ngspice's plot commands take.
type graphArgs struct {
	exprs, vs                  string
	title, xlabel, ylabel      string
	xlimit, ylimit             []float64
	xdelta, ydelta             float64
	grid                       string // "", lin, xlog, ylog, loglog, nogrid ...
	hasTitle, hasXLab, hasYLab bool
}

// graphFlags are the plot options without a value; gospice draws lines for every style
// and plots polar and Smith charts on linear axes.
var graphFlags = map[string]string{
	"xlog": "xlog", "ylog": "ylog", "loglog": "loglog", "lingrid": "lin", "linear": "lin", "nogrid": "nogrid",
	"polar": "", "smith": "", "smithgrid": "", "combplot": "", "pointplot": "", "linplot": "",
	"retraceplot": "", "noretraceplot": "", "samep": "", "nointerp": "", "xycontour": "", "nolegend": "", "plainplot": "",
}

// graphWords splits a plot command's arguments into words: a word in double or single
// quotes may hold spaces (the quotes go), and a backslash outside single quotes takes the
// next character as it is (ngspice's xlabel "a\b" is ab).
func graphWords(s string) []string {
	var words []string
	var b strings.Builder
	var quote rune
	any, escaped := false, false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped, any = true, true
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote, any = r, true
		case quote == 0 && (r == ' ' || r == '\t'):
			if any {
				words = append(words, b.String())
				b.Reset()
				any = false
			}
		default:
			b.WriteRune(r)
			any = true
		}
	}
	if any {
		words = append(words, b.String())
	}
	return words
}

// parseGraphArgs takes the options out of a plot command's arguments; what is left are
// the expressions, and after vs the x vector.
func parseGraphArgs(words []string) (*graphArgs, error) {
	g := &graphArgs{}
	var rest []string
	numbersAfter := func(i, n int, name string) ([]float64, error) {
		if i+n >= len(words) {
			return nil, fmt.Errorf("%s needs %d %s", name, n, map[bool]string{true: "value", false: "values"}[n == 1])
		}
		return numbers(words[i+1 : i+1+n])
	}
	for i := 0; i < len(words); i++ {
		w := strings.ToLower(words[i])
		var err error
		switch w {
		case "xlimit", "ylimit":
			var v []float64
			if v, err = numbersAfter(i, 2, w); err == nil {
				if w == "xlimit" {
					g.xlimit = v
				} else {
					g.ylimit = v
				}
				i += 2
			}
		case "xdelta", "ydelta":
			var v []float64
			if v, err = numbersAfter(i, 1, w); err == nil {
				if w == "xdelta" {
					g.xdelta = v[0]
				} else {
					g.ydelta = v[0]
				}
				i++
			}
		case "title", "xlabel", "ylabel", "xindices", "xcompress":
			if i+1 >= len(words) {
				return nil, fmt.Errorf("%s needs a value", w)
			}
			switch w {
			case "title":
				g.title, g.hasTitle = words[i+1], true
			case "xlabel":
				g.xlabel, g.hasXLab = words[i+1], true
			case "ylabel":
				g.ylabel, g.hasYLab = words[i+1], true
			}
			i++
			if w == "xindices" && i+1 < len(words) {
				i++
			}
		default:
			if grid, ok := graphFlags[w]; ok {
				if grid != "" {
					g.grid = grid
				}
				continue
			}
			rest = append(rest, words[i])
		}
		if err != nil {
			return nil, err
		}
	}
	for i, w := range rest {
		if strings.EqualFold(w, "vs") {
			g.exprs, g.vs = strings.Join(rest[:i], " "), strings.Join(rest[i+1:], " ")
			if strings.TrimSpace(g.vs) == "" {
				return nil, errors.New("vs needs a vector")
			}
			return g, nil
		}
	}
	g.exprs = strings.Join(rest, " ")
	return g, nil
}

// typeAbbrev is the unit ngspice labels an axis with for a vector type ("" none).
func typeAbbrev(typ string) string {
	return map[string]string{"time": "s", "frequency": "Hz", "voltage": "V", "current": "A",
		"decibel": "dB", "temperature": "Celsius", "temp-sweep": "Celsius", "res-sweep": "Ohm",
		"impedance": "Ohm", "admittance": "Mho", "power": "W", "phase": "Degree", "charge": "C"}[typ]
}

// figure evaluates a plot command's vectors (its words, after graphWords) into a figure, as ngspice's plot does:
// each vector against its plot's scale (or the vs vector), a one-value vector drawn
// along the whole scale, complex ones by their real part.
func (in *Interp) figure(words []string) (*Figure, error) {
	g, err := parseGraphArgs(words)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(g.exprs) == "" {
		return nil, errors.New("no vectors to plot")
	}
	list, err := pc.ParseExprs(g.exprs)
	if err != nil {
		return nil, err
	}
	var vs *Vector
	if g.vs != "" {
		e, err := pc.ParseExpr(g.vs)
		if err != nil {
			return nil, err
		}
		if vs, err = in.eval(e); err != nil {
			return nil, err
		}
	}
	f := &Figure{Title: in.cur.Title, XTics: g.xdelta, YTics: g.ydelta}
	xlog := in.cur.Grid == "grid=3"
	var xType string
	yType, sameType := "", true
	for k, e := range list {
		v, err := in.eval(e)
		if err != nil {
			return nil, err
		}
		if v.Len() == 0 {
			return nil, fmt.Errorf("%s: no such vector", e.Text)
		}
		scale := vs
		if scale == nil {
			scale = in.cur.Scale()
			if _, p, err := in.find(e.Text); err == nil && p.Scale() != nil && p.Kind != "const" {
				scale = p.Scale() // a vector of another plot, named plot.vector
				xlog = xlog || p.Grid == "grid=3"
			}
		}
		if scale == nil || scale.Len() == 0 {
			scale = v
		}
		if k == 0 {
			xType = scale.Type
			yType = v.Type
		} else if v.Type != yType {
			sameType = false
		}
		for _, row := range familyOf(v, e.Text) {
			f.Curves = append(f.Curves, curveOf(row, scale))
		}
	}
	if len(f.Curves) > 64 {
		return nil, errors.New("too many vectors for gnuplot (64 at most)")
	}
	switch g.grid {
	case "xlog":
		f.XLog = true
	case "ylog":
		f.YLog = true
	case "loglog":
		f.XLog, f.YLog = true, true
	case "lin", "nogrid":
	default:
		f.XLog = xlog && g.vs == ""
	}
	f.XLabel = typeAbbrev(xType)
	if sameType {
		f.YLabel = typeAbbrev(yType)
	}
	if g.hasTitle {
		f.Title = g.title
	}
	if g.hasXLab {
		f.XLabel = g.xlabel
	}
	if g.hasYLab {
		f.YLabel = g.ylabel
	}
	if err := f.ranges(g.xlimit, g.ylimit); err != nil {
		return nil, err
	}
	return f, nil
}

// curveOf is v drawn against scale: a vector of one value along the whole scale, and no
// point where v is shorter.
func curveOf(v, scale *Vector) Curve {
	c := Curve{Name: v.Name, X: make([]float64, scale.Len()), Y: make([]float64, scale.Len())}
	for i := range c.X {
		c.X[i] = scale.RealAt(i)
		switch {
		case v.Len() == 1:
			c.Y[i] = v.RealAt(0)
		case i < v.Len():
			c.Y[i] = v.RealAt(i)
		default:
			c.Y[i] = math.NaN()
		}
	}
	return c
}

// familyOf is what plot draws of v, named name: v itself, or of a multi-dimensional
// vector each block of its last dimension (name[0], name[1] ...), a family of curves,
// as ngspice draws one.
func familyOf(v *Vector, name string) []*Vector {
	if len(v.Dims) < 2 {
		return []*Vector{{Name: name, Type: v.Type, Real: v.Real, Cplx: v.Cplx}}
	}
	n := v.Dims[len(v.Dims)-1]
	var rows []*Vector
	for k := 0; k+n <= v.Len(); k += n {
		row := &Vector{Name: fmt.Sprintf("%s[%d]", name, k/n), Type: v.Type}
		if v.Cplx != nil {
			row.Cplx = v.Cplx[k : k+n]
		} else {
			row.Real = v.Real[k : k+n]
		}
		rows = append(rows, row)
	}
	return rows
}

// ranges sets the figure's axis ranges as ngspice 39 does: the limits given or the
// data's, widened when they are one value, then whole decades on a log axis and 5% more
// each side on a linear y axis.
func (f *Figure) ranges(xlimit, ylimit []float64) error {
	span := func(limit []float64, of func(Curve) []float64) [2]float64 {
		if limit != nil {
			return [2]float64{limit[0], limit[1]}
		}
		r := [2]float64{math.Inf(1), math.Inf(-1)}
		for _, c := range f.Curves {
			for _, x := range of(c) {
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					r[0], r[1] = math.Min(r[0], x), math.Max(r[1], x)
				}
			}
		}
		if r[0] > r[1] {
			r = [2]float64{0, 0}
		}
		return r
	}
	fix := func(r [2]float64) [2]float64 {
		if r[0] == 0 && r[1] == 0 {
			return [2]float64{-1, 1}
		}
		if r[0] > r[1] {
			r[0], r[1] = r[1], r[0]
		}
		if r[0] == r[1] {
			r[0] *= map[bool]float64{true: 0.9, false: 1.1}[r[0] > 0]
			r[1] *= map[bool]float64{true: 1.1, false: 0.9}[r[1] > 0]
		}
		return r
	}
	x := fix(span(xlimit, func(c Curve) []float64 { return c.X }))
	y := fix(span(ylimit, func(c Curve) []float64 { return c.Y }))
	if f.XLog && x[0] <= 0 {
		return errors.New("X values must be > 0 for log scale")
	}
	if f.YLog && y[0] <= 0 {
		return errors.New("Y values must be > 0 for log scale")
	}
	decades := func(r [2]float64) [2]float64 {
		return [2]float64{math.Pow(10, math.Floor(math.Log10(r[0]))), math.Pow(10, math.Ceil(math.Log10(r[1])))}
	}
	if f.XLog {
		x = decades(x)
	}
	if f.YLog {
		y = decades(y)
	} else {
		pad := 0.05 * (y[1] - y[0])
		y = [2]float64{y[0] - pad, y[1] + pad}
	}
	f.XRange, f.YRange = x, y
	return nil
}
