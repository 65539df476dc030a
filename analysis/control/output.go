package control

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/analysis/measure"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// cmdMeas runs a measurement on the current plot, with the .meas machinery of the
// netlist's lines: meas tran tdiff trig v(in) val=0.5 rise=1 targ v(out) val=0.5 rise=1.
// measParams are the names a meas line's values may use: the netlist's parameters, and
// the vectors of one real value of the current and the const plots (let delta = 1n,
// an earlier meas's result), as ngspice's meas reads them.
func (in *Interp) measParams() map[string]float64 {
	params := maps.Clone(in.circuit.Params)
	if params == nil {
		params = map[string]float64{}
	}
	for _, p := range []*Plot{in.plots[0], in.cur} {
		for _, v := range p.Vecs {
			if v.Len() == 1 && !v.IsComplex() && isWord(v.Name) {
				params[v.Name] = v.Real[0]
			}
		}
	}
	return params
}

// measScales is the scale a meas of each analysis needs (sp is measured as ac).
var measScales = map[string]string{"tran": "time", "ac": "frequency", "dc": "v-sweep"}

func (in *Interp) cmdMeas(ctx context.Context, c *pc.Command, args string) error {
	if in.cur.Kind == "const" {
		return errors.New("no plot to measure: run an analysis first")
	}
	if kind, rest, _ := strings.Cut(strings.TrimSpace(args), " "); strings.EqualFold(kind, "sp") {
		// meas sp, on a spectrum (fft, spec): measured over its frequencies as an ac's
		args = "ac " + rest
	}
	d, err := parser.ParseDeck(ctx, c.Pos.File, []byte(fmt.Sprintf("meas\n.meas %s\n.end\n", args)))
	if err != nil {
		return err
	}
	ckt, err := d.Elaborate(ctx, parser.Variant{Params: in.measParams()})
	if err != nil {
		return fmt.Errorf("%v", strings.TrimPrefix(err.Error(), c.Pos.File+":2:"))
	}
	if len(ckt.Measures) == 0 && len(ckt.Warnings) > 0 {
		// a malformed measurement fails, as in ngspice 39, which says why and goes on: no
		// failed command, as a measurement that finds no value (buggy-meas-tran.sp)
		w := ckt.Warnings[len(ckt.Warnings)-1]
		fmt.Fprintf(in.opt.Stderr, "%s: meas failed: %s\n", c.Pos, w.Msg)
		return nil
	}
	if len(ckt.Measures) != 1 {
		return errors.New("expected one measurement")
	}
	m := ckt.Measures[0]
	m.Pos = c.Pos
	vecs := measure.Vectors(ckt.Measures)
	cols := make([]*Vector, len(vecs))
	parts := make([]gospice.ACPart, len(vecs))
	for i, v := range vecs {
		name := strings.ToLower(v.Name)
		if vec := in.cur.Vector(name); vec != nil {
			cols[i], parts[i] = vec, gospice.Real
			continue
		}
		if whole, part, ok := gospice.ACForm(name); ok {
			if vec := in.cur.Vector(whole); vec != nil {
				cols[i], parts[i] = vec, part
				continue
			}
		}
		return fmt.Errorf("no such vector %s in plot %s", v.Name, in.cur.Name)
	}
	scale := in.cur.Scale()
	if scale == nil {
		return errors.New("the plot has no scale")
	}
	// ngspice 39 measures on the scale its analysis names, and fails the measurement
	// on a plot of another ("no such vector as time, frquency or v-sweep"; a dc sweep
	// of a current source or of temp too, measured)
	if want := measScales[m.Analysis]; scale.Name != want {
		fmt.Fprintf(in.opt.Stderr, "%s: meas %s failed: meas %s needs the scale %s, plot %s's is %s\n", c.Pos, m.Name, m.Analysis, want, in.cur.Name, scale.Name)
		return nil
	}
	set := measure.New(ckt.Measures, in.circuit.Params, measure.Env{Temp: 27, Gmin: 1e-12})
	row := make([]float64, len(cols))
	for k := range scale.Len() {
		for i, v := range cols {
			if k >= v.Len() {
				return fmt.Errorf("%s is shorter than the scale", v.Name)
			}
			row[i] = parts[i].Of(v.At(k))
		}
		set.Point(scale.RealAt(k), row)
	}
	for _, r := range set.Results() {
		in.printMeasure(r)
	}
	return nil
}

// cmdWrdata writes vectors as columns of numbers, each preceded by the plot's scale (a
// complex vector as its real and imaginary parts), as ngspice's wrdata does.
func (in *Interp) cmdWrdata(ctx context.Context, c *pc.Command, args string) error {
	words := splitWords(args)
	if len(words) < 2 {
		return errors.New("usage: wrdata file vector ...")
	}
	vecs, err := in.vectorArgs(strings.Join(words[1:], " "))
	if err != nil {
		return err
	}
	path := in.resolve(words[0])
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	scale := in.cur.Scale()
	rows := 0
	for _, v := range vecs {
		rows = max(rows, v.Len())
	}
	for i := range rows {
		for _, v := range vecs {
			if i >= v.Len() {
				continue
			}
			if scale != nil && i < scale.Len() {
				fmt.Fprintf(w, "% .8e ", scale.RealAt(i))
			}
			if v.IsComplex() {
				fmt.Fprintf(w, "% .8e % .8e ", real(v.Cplx[i]), imag(v.Cplx[i]))
			} else {
				fmt.Fprintf(w, "% .8e ", v.Real[i])
			}
		}
		w.WriteString("\n")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// vectorArgs evaluates the expressions of write or wrdata, each named as written.
func (in *Interp) vectorArgs(args string) ([]*Vector, error) {
	if strings.EqualFold(strings.TrimSpace(args), "all") {
		return in.cur.Vecs[min(1, len(in.cur.Vecs)):], nil
	}
	list, err := pc.ParseExprs(args)
	if err != nil {
		return nil, err
	}
	var vecs []*Vector
	for _, e := range list {
		v, err := in.eval(e)
		if err != nil {
			return nil, err
		}
		vecs = append(vecs, &Vector{Name: e.Text, Type: v.Type, Real: v.Real, Cplx: v.Cplx, Dims: v.Dims})
	}
	return vecs, nil
}

// cmdWrite writes the current plot, or the vectors named, into an ngspice raw file:
// binary unless set filetype=ascii; set appendwrite adds a plot to the end of the file.
func (in *Interp) cmdWrite(ctx context.Context, c *pc.Command, args string) error {
	if in.opt.WriteRaw == nil {
		return errors.New("writing raw files is not available here")
	}
	words := splitWords(args)
	name := "rawspice.raw"
	if len(words) > 0 {
		name = words[0]
	}
	if in.cur.Kind == "const" {
		return errors.New("no plot to write: run an analysis first")
	}
	p := in.cur
	if len(words) <= 1 {
		p = sortedPlot(p)
	}
	if len(words) > 1 {
		vecs, err := in.vectorArgs(strings.Join(words[1:], " "))
		if err != nil {
			return err
		}
		sub := *p
		sub.Vecs = nil
		if s := p.Scale(); s != nil {
			sub.Vecs = append(sub.Vecs, s)
		}
		for _, v := range vecs {
			if s := p.Scale(); s != nil && len(sub.Vecs) > 0 && v.Name == s.Name {
				continue
			}
			sub.Vecs = append(sub.Vecs, &Vector{Name: ngspiceName(v.Name), Type: v.Type, Real: v.Real, Cplx: v.Cplx, Dims: v.Dims})
		}
		p = &sub
	}
	ft, _ := in.variable("filetype")
	ascii := len(ft) > 0 && strings.EqualFold(ft[0], "ascii")
	_, appendw := in.variable("appendwrite")
	path := in.resolve(name)
	err := in.opt.WriteRaw(path, []*Plot{p}, ascii, appendw && in.written[path])
	if err == nil {
		in.written[path] = true
	}
	return err
}

// sortedPlot is a plot with its vectors after the first (the scale, or an op's first
// node) in ngspice's order of names, as ngspice 39's write puts them: numbers in the names
// compared by value (1 < 9 < 10 < a10 < n1 < n2 < v1#branch).
func sortedPlot(p *Plot) *Plot {
	if len(p.Vecs) < 3 {
		return p
	}
	q := *p
	q.Vecs = slices.Clone(p.Vecs)
	slices.SortStableFunc(q.Vecs[1:], func(a, b *Vector) int { return compareNames(a.Name, b.Name) })
	return &q
}

// compareNames compares two names character by character, except that runs of digits
// compare by their value.
func compareNames(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			ei, ej := digitsEnd(a, i), digitsEnd(b, j)
			x, y := strings.TrimLeft(a[i:ei], "0"), strings.TrimLeft(b[j:ej], "0")
			if c := cmp.Compare(len(x), len(y)); c != 0 {
				return c
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			i, j = ei, ej
			continue
		}
		if c := cmp.Compare(a[i], b[j]); c != 0 {
			return c
		}
		i++
		j++
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// cmdWrs2p writes a Touchstone (version 1) file of the current plot's two-port
// S-parameters, the vectors s_1_1, s_2_1, s_1_2 and s_2_2 over its frequencies, real and
// imaginary parts, with the reference resistance of the vector rbase, laid out as
// ngspice 39's wrs2p lays it out (measured; s-param.cir). Without rbase it is an error
// and no file, as in ngspice ("No Rbase vector given").
func (in *Interp) cmdWrs2p(ctx context.Context, c *pc.Command, args string) error {
	words := splitWords(args)
	if len(words) != 1 {
		return errors.New("usage: wrs2p file")
	}
	name := words[0]
	freq := in.cur.Scale()
	if freq == nil || freq.Name != "frequency" {
		return fmt.Errorf("plot %s has no frequency scale", in.cur.Name)
	}
	rbase := in.cur.Vector("rbase")
	if rbase == nil || rbase.Len() == 0 {
		return errors.New("no Rbase vector given")
	}
	var s [4]*Vector
	for i, n := range []string{"s_1_1", "s_2_1", "s_1_2", "s_2_2"} {
		if s[i] = in.cur.Vector(n); s[i] == nil || s[i].Len() != freq.Len() {
			return fmt.Errorf("no vector %s as long as the frequencies in plot %s", n, in.cur.Name)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "!2-port S-parameter file\n!Title: %s\n!Generated by gospice at %s\n# Hz S RI R %g\n",
		strings.ToLower(in.cur.Title), in.date(), rbase.RealAt(0))
	fmt.Fprintf(&b, "!%-16s", "freq")
	for i, l := range []string{"ReS11", "ImS11", "ReS21", "ImS21", "ReS12", "ImS12", "ReS22", "ImS22"} {
		fmt.Fprintf(&b, "%-*s", map[bool]int{true: 14, false: 16}[i == 7], l)
	}
	b.WriteByte('\n')
	for k := range freq.Len() {
		fmt.Fprintf(&b, "% e  ", freq.RealAt(k))
		for _, v := range s {
			z := v.At(k)
			fmt.Fprintf(&b, "% e  % e  ", real(z), imag(z))
		}
		b.WriteByte('\n')
	}
	return os.WriteFile(in.resolve(name), []byte(b.String()), 0o644)
}
