package control

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	pc "github.com/gospice/gospice/parser/control"
)

// Rows of a print table per page, as ngspice 39 lays them out in batch: 60 lines a page,
// the first holding the title and the header.
const (
	firstPageRows = 55
	pageRows      = 57
)

// cmdPrint prints vectors: name = value when each has one value, else a table against
// the plot's scale, as ngspice does.
func (in *Interp) cmdPrint(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) > 0 && (strings.EqualFold(words[0], "col") || strings.EqualFold(words[0], "line")) {
		args = strings.Join(words[1:], " ")
	}
	var vecs []*Vector
	if all, rest := printAll(args); all {
		// In ngspice's order of names, as write; the scale is a table's first column,
		// and among one-value vectors (an op's, a noise2's) in its place by name, but
		// for a tf's Transfer_function, whose capital puts it first in ngspice.
		vecs = sortedPlot(in.cur).Vecs
		if len(vecs) > 1 && vecs[0].Len() > 1 {
			vecs = vecs[1:]
		} else if in.cur.Kind != "tf" {
			vecs = slices.SortedStableFunc(slices.Values(vecs), func(a, b *Vector) int { return compareNames(a.Name, b.Name) })
		}
		if rest != "" { // print all gold: the plot's vectors, then the others
			more, err := in.printVectors(rest)
			if err != nil {
				return err
			}
			vecs = append(slices.Clone(vecs), more...)
		}
	} else {
		var err error
		if vecs, err = in.printVectors(args); err != nil {
			return err
		}
	}
	scalars := true
	for _, v := range vecs {
		scalars = scalars && v.Len() == 1
	}
	w := in.opt.Stdout
	if scalars {
		for _, v := range vecs {
			fmt.Fprintf(w, "%s = %s\n", v.Name, cellText(v, 0))
		}
		return nil
	}
	in.printTable(w, vecs)
	return nil
}

// cellText is value i of v as print writes it: re,im for a complex value.
func cellText(v *Vector, i int) string {
	if v.IsComplex() {
		return valueText(real(v.Cplx[i])) + "," + valueText(imag(v.Cplx[i]))
	}
	return valueText(v.Real[i])
}

// printTable writes vectors in ngspice's table: the title and plot centred, a row per
// index with the scale first, a new page (form feed, header) every 60 lines.
func (in *Interp) printTable(w io.Writer, vecs []*Vector) {
	scale := in.cur.Scale()
	if scale != nil && scale.Len() <= 1 || in.cur.Kind == "unknown" ||
		strings.HasSuffix(in.cur.Type, "(linearized)") || strings.HasSuffix(in.cur.Type, "(cut out)") {
		// a plot of setplot new, linearize or cutout prints no scale column, as in
		// ngspice 39 (measured)
		scale = nil
	}
	// Columns that do not fit in 80 characters go into further tables, each after a
	// form feed, each with the scale first.
	first := 0
	for first < len(vecs) {
		width, n := 8, 0
		switch {
		case scale != nil && in.cur.Kind == "ac":
			width += 32 // ngspice's frequency is complex: it counts as two columns
		case scale != nil:
			width += 16
		}
		for first+n < len(vecs) {
			w := 16
			if vecs[first+n].IsComplex() {
				w = 32
			}
			if n > 0 && width+w > 80 {
				break
			}
			width += w
			n++
		}
		if first > 0 {
			fmt.Fprintln(w, "\f")
		}
		part := vecs[first : first+n]
		if scale != nil {
			part = append([]*Vector{scale}, part...)
		}
		in.printPart(w, part)
		first += n
	}
}

// printPart writes one table of printTable.
func (in *Interp) printPart(w io.Writer, cols []*Vector) {
	rows := 0
	for _, v := range cols {
		rows = max(rows, v.Len())
	}
	indent := strings.Repeat(" ", max(0, (80-len(in.cur.Title))/2))
	dashes := strings.Repeat("-", 80)
	var header strings.Builder
	header.WriteString("Index   ")
	for _, v := range cols {
		width := 16
		if v.IsComplex() {
			width = 32
		}
		fmt.Fprintf(&header, "%-*.*s", width, width-1, v.Name) // a long name is cut, as in ngspice
	}
	fmt.Fprintf(w, "%s%s\n%s%s  %s\n%s\n%s\n%s\n", indent, in.cur.Title, indent, in.cur.Type, in.cur.Date, dashes, header.String(), dashes)
	var b strings.Builder
	for i := range rows {
		if i == firstPageRows || (i > firstPageRows && (i-firstPageRows)%pageRows == 0) {
			fmt.Fprintf(w, "\f\n%s\n%s\n", header.String(), dashes)
		}
		b.Reset()
		fmt.Fprintf(&b, "%d\t", i)
		for _, v := range cols {
			if i < v.Len() {
				if v.IsComplex() {
					b.WriteString(valueText(real(v.Cplx[i])) + ",\t" + valueText(imag(v.Cplx[i])) + "\t")
				} else {
					b.WriteString(valueText(v.Real[i]) + "\t")
				}
			} else {
				b.WriteString("\t")
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// printMeasure prints a measurement as ngspice's meas does, and keeps its value as a
// vector of the current plot.
func (in *Interp) printMeasure(m gospice.Measurement) {
	if m.Err != nil {
		fmt.Fprintf(in.opt.Stderr, "%s: meas %s failed: %v\n", m.Pos, m.Name, m.Err)
		return
	}
	fmt.Fprintf(in.opt.Stdout, "%-20s=  %e", m.Name, m.Value)
	for _, p := range m.Where {
		fmt.Fprintf(in.opt.Stdout, " %s=  %e", p.Label, p.X)
	}
	fmt.Fprintln(in.opt.Stdout)
	v := scalar(m.Value)
	v.Name = m.Name
	in.cur.set(v)
}

// printAll says whether print's arguments start with all, and the rest.
func printAll(args string) (bool, string) {
	first, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	return strings.EqualFold(first, "all"), strings.TrimSpace(rest)
}

// printVectors evaluates print's expressions into the vectors it prints, named as
// written. Vectors named alone that come from several plots are named with their plot,
// const.k and op1.v(out), as ngspice does.
func (in *Interp) printVectors(args string) ([]*Vector, error) {
	list, err := pc.ParseExprs(args)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("nothing to print")
	}
	var vecs []*Vector
	plots := map[*Plot]bool{}
	var from []*Plot
	for _, e := range list {
		v, err := in.eval(e)
		if err != nil {
			return nil, err
		}
		_, p, ferr := in.find(e.Text)
		if ferr != nil || strings.Contains(e.Text, ".") {
			p = nil
		} else {
			plots[p] = true
		}
		from = append(from, p)
		// named as written, lowercase, as ngspice prints them (V(1) is v(1))
		vecs = append(vecs, &Vector{Name: strings.ToLower(e.Text), Type: v.Type, Real: v.Real, Cplx: v.Cplx})
	}
	if len(plots) > 1 {
		for i, p := range from {
			if p != nil {
				vecs[i].Name = p.Name + "." + vecs[i].Name
			}
		}
	}
	return vecs, nil
}
