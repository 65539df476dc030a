package control

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// Variable is the value of a variable that set made (filetype, appendwrite ...), or one
// of those ngspice keeps itself ($curplot ...); ok is false when it is not set.
func (in *Interp) Variable(name string) (value []string, ok bool) {
	return in.variable(strings.ToLower(name))
}

// RunScript runs control commands that are not in a .control block: the lines of a
// .spiceinit file, or a set made on the command line; name is their file, for errors.
// Blank lines and * comments are left out.
func (in *Interp) RunScript(ctx context.Context, name, text string) {
	var lines []parser.ControlLine
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '*' || t[0] == '#' {
			continue
		}
		lines = append(lines, parser.ControlLine{Pos: parser.Pos{File: name, Line: int32(i + 1), Col: int32(1 + strings.Index(l, t))}, Text: t})
	}
	if len(lines) == 0 {
		return
	}
	in.RunBlocks(ctx, []parser.ControlBlock{{Pos: lines[0].Pos, Lines: lines}})
}

// ngspiceOrder is the order in which ngspice runs a netlist's analyses, whatever the
// order of their lines: ac, dc, op, tran, tf, noise, sens (ngspice 39 writes an .op, .dc and .ac netlist's
// raw file as ac, dc, op).
var ngspiceOrder = map[string]int{"ac": 0, "dc": 1, "op": 2, "tran": 3, "tf": 4, "noise": 5, "sens": 6}

// PrintDot prints a .print line's vectors as ngspice -b does after its analyses: a table
// against the scale of the latest plot of the line's analysis, the columns named as
// written, except a current i(v1), which ngspice names v1#branch.
func (in *Interp) PrintDot(p parser.Print) error {
	var plot *Plot
	for _, q := range in.plots {
		if q.Kind == p.Type {
			plot = q
		}
	}
	if plot == nil {
		return fmt.Errorf(".print: no %s analysis found", p.Type)
	}
	saved := in.cur
	in.cur = plot
	defer func() { in.cur = saved }()
	var vecs []*Vector
	for _, v := range p.Vectors {
		if v.Kind == parser.VectorAll {
			vecs = append(vecs, plot.Vecs[min(1, len(plot.Vecs)):]...)
			continue
		}
		e, err := pc.ParseExpr(v.Name)
		if err != nil {
			return err
		}
		val, err := in.eval(e)
		if err != nil {
			return err
		}
		name := v.Name
		if v.Bare {
			name = v.Nodes[0]
		}
		if v.Kind == parser.VectorCurrent && strings.HasPrefix(strings.ToLower(name), "i(") {
			name = ngspiceName(strings.ToLower(name))
		}
		vecs = append(vecs, &Vector{Name: name, Type: val.Type, Real: val.Real, Cplx: val.Cplx})
	}
	if len(vecs) == 0 {
		return fmt.Errorf(".print %s: no vectors", p.Type)
	}
	in.printTable(in.opt.Stdout, vecs)
	fmt.Fprintln(in.opt.Stdout)
	return nil
}

// dotAnalyses are the netlist's analyses in the order ngspice runs them.
func (in *Interp) dotAnalyses() []parser.Analysis {
	as := slices.Clone(in.circuit.Analyses)
	slices.SortStableFunc(as, func(a, b parser.Analysis) int {
		return cmp.Compare(rank(a.Name()), rank(b.Name()))
	})
	return as
}

func rank(kind string) int {
	if r, ok := ngspiceOrder[kind]; ok {
		return r
	}
	return len(ngspiceOrder)
}
