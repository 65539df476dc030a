package control

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// dotAnalysis reads the arguments of noise, tf or sens as the netlist's reader reads the
// dot line of the same name, so that both take the same forms and give the same errors;
// its places are the command's.
func dotAnalysis(c *pc.Command, args string) (parser.Analysis, error) {
	ckt, err := parser.Parse(c.Pos.File, []byte("* "+c.Name+"\n."+c.Name+" "+args+"\n.end\n"))
	if err != nil {
		return nil, withoutPlace(err)
	}
	if len(ckt.Analyses) != 1 {
		return nil, fmt.Errorf("usage: %s ...", c.Name)
	}
	switch a := ckt.Analyses[0].(type) {
	case *parser.Noise:
		a.Pos, a.SrcPos, a.Out.Pos = c.Pos, c.Pos, c.Pos
	case *parser.TF:
		a.Pos, a.SrcPos, a.Out.Pos = c.Pos, c.Pos, c.Pos
	case *parser.Sens:
		a.Pos, a.Out.Pos = c.Pos, c.Pos
	}
	return ckt.Analyses[0], nil
}

// cmdNoise runs noise v(out[,ref]) src dec|oct|lin pts fstart fstop [pts_per_summary]
// into ngspice's two plots: noise1 (Noise Spectral Density Curves: frequency,
// inoise_spectrum, onoise_spectrum) and noise2 (Integrated Noise: onoise_total,
// inoise_total), the second current; at a single frequency (fstart = fstop) noise1
// alone, as in ngspice. After set sqrnoise the values are squared (V^2/Hz,
// V^2), as in ngspice. With pts_per_summary, each device's and each noise source's
// vectors too (onoise_r1, onoise_r1_thermal in noise1; onoise_total_r1, inoise_total_r1 ... in
// noise2), as ngspice makes them.
func (in *Interp) cmdNoise(ctx context.Context, c *pc.Command, args string) error {
	a, err := dotAnalysis(c, args)
	if err != nil {
		return err
	}
	return in.analyze(ctx, a)
}

// noisePlots runs a noise analysis into its plots (cmdNoise).
func (in *Interp) noisePlots(ctx context.Context, noise *parser.Noise) error {
	res, err := in.collect(ctx, noise)
	if err != nil {
		return err
	}
	_, sqr := in.vars["sqrnoise"]
	inType := "voltage"
	if noise.Source[0] == 'i' {
		inType = "current"
	}
	density, total := func(t string) string { return t + "-density" }, func(t string) string { return t }
	spectra, totalsTitle := "Noise Spectral Density Curves", "Integrated Noise"
	if sqr {
		density, total = func(t string) string { return t + "^2-density" }, func(t string) string { return t + "^2" }
		spectra, totalsTitle = spectra+" - (V^2 or A^2)/Hz", totalsTitle+" - V^2 or A^2"
	}
	column := func(name, typ string, last bool) *Vector {
		x, _ := res.Vector(name)
		if last {
			x = x[len(x)-1:]
		}
		v := &Vector{Name: name, Type: typ, Real: slices.Clone(x)}
		if sqr {
			for i := range v.Real {
				v.Real[i] *= v.Real[i]
			}
		}
		return v
	}
	freq, _ := res.Vector("frequency")
	p1 := &Plot{Kind: "noise", Title: in.circuit.Title, Type: spectra, Date: in.date(), Vecs: []*Vector{
		{Name: "frequency", Type: "frequency", Real: slices.Clone(freq)},
		column("inoise_spectrum", density(inType), false),
		column("onoise_spectrum", density("voltage"), false)}}
	// With pts_per_summary: each device's and each of its sources' density at the
	// output (onoise_q1, onoise_q1_rb), and their totals at the output and the input.
	names := res.Names()
	totals := slices.Index(names, "onoise_total")
	if totals < 0 {
		totals = len(names)
	}
	for _, n := range names[min(3, totals):totals] {
		p1.Vecs = append(p1.Vecs, column(n, density("voltage"), false))
	}
	var summary []*Vector
	for _, n := range names[min(totals+2, len(names)):] {
		typ := "voltage"
		if strings.HasPrefix(n, "inoise") {
			typ = inType
		}
		summary = append(summary, column(n, total(typ), true))
	}
	if noise.Sweep != "lin" {
		p1.Grid = "grid=3"
	}
	in.addPlot(p1)
	if noise.Start == noise.Stop { // ngspice 39 integrates nothing at one frequency
		fmt.Fprintf(in.opt.Stderr, "%s: warning: noise measurement at a single frequency %g only\n", noise.Pos, noise.Start)
		return nil
	}
	vecs := append([]*Vector{
		column("onoise_total", total("voltage"), true), // ngspice's first, as its raw file has it
		column("inoise_total", total(inType), true)}, summary...)
	if first := in.noiseScale(names); first != "" {
		i := slices.IndexFunc(vecs, func(v *Vector) bool { return v.Name == first })
		scale := vecs[i]
		vecs = append([]*Vector{scale}, slices.Delete(vecs, i, i+1)...)
	}
	in.addPlot(&Plot{Kind: "noise", Title: in.circuit.Title, Type: totalsTitle, Date: in.date(), Vecs: vecs})
	return nil
}

// cmdSP runs sp dec|oct|lin points fstart fstop [donoise] into a plot spN (SP Analysis):
// the node voltages and branch currents, then s_i_j, y_i_j and z_i_j, as ngspice's.
func (in *Interp) cmdSP(ctx context.Context, c *pc.Command, args string) error {
	a, err := dotAnalysis(c, args)
	if err != nil {
		return err
	}
	if sp, ok := a.(*parser.SP); ok {
		sp.Pos = c.Pos
	}
	return in.analyze(ctx, a)
}

// noiseScale is the vector ngspice 39 makes the scale of a noise2 plot with each
// device's totals (names are the analysis's columns), "" without them: the integrated
// output noise of the first source of the first device it visits, its device table's
// first family (inventory's order) and in it the last device of the netlist, as ngspice
// keeps its devices last first (measured: onoise_total_q1_rc, onoise_total_r22_thermal).
func (in *Interp) noiseScale(names []string) string {
	var dev string
	rank := len(ngspiceDevices)
	for _, e := range in.circuit.Elements {
		r := slices.Index(ngspiceDevices, deviceFamily(e, in.circuit.Models[e.Model]))
		if r >= 0 && r <= rank && slices.Contains(names, "onoise_total_"+e.Name) {
			dev, rank = e.Name, r
		}
	}
	if dev == "" {
		return ""
	}
	i := slices.Index(names, "onoise_total_"+dev)
	if i+2 >= len(names) || !strings.HasPrefix(names[i+2], "onoise_total_"+dev+"_") {
		return names[i]
	}
	return names[i+2]
}

// cmdTF runs tf v(out[,ref])|i(vsrc) src into a plot tfN (Transfer Function) of
// ngspice's three vectors: transfer_function, then the input and output impedances in
// the order of their names (v1#input_impedance, output_impedance_at_v(2)).
func (in *Interp) cmdTF(ctx context.Context, c *pc.Command, args string) error {
	a, err := dotAnalysis(c, args)
	if err != nil {
		return err
	}
	return in.analyze(ctx, a)
}

// cmdSens runs sens v(out[,ref])|i(vsrc) [dc | ac dec|oct|lin points fstart fstop] into a
// plot sensN (Sensitivity Analysis): a vector for each parameter, named as ngspice names
// it (r1, r1_m, r1_scale, v1, i1, i1_m; v1_acmag, c1, l1 in AC), in the order of their
// names; the AC form's are complex, against the frequency.
func (in *Interp) cmdSens(ctx context.Context, c *pc.Command, args string) error {
	words := strings.Fields(args)
	if len(words) > 1 && strings.EqualFold(words[len(words)-1], "dc") {
		args = strings.Join(words[:len(words)-1], " ")
	}
	a, err := dotAnalysis(c, args)
	if err != nil {
		return err
	}
	return in.analyze(ctx, a)
}

// acSensPlot runs sens ... ac into a plot of the frequency and a complex vector for each
// parameter, in the order of their names, typed as the output (voltage or current).
func (in *Interp) acSensPlot(ctx context.Context, a *parser.Sens) error {
	res, err := in.collect(ctx, a)
	if err != nil {
		return err
	}
	typ := "voltage"
	if a.Out.Kind == parser.VectorCurrent {
		typ = "current"
	}
	cols := res.Columns()
	freq, _ := res.Vector("frequency")
	p := &Plot{Kind: a.Name(), Title: in.circuit.Title, Type: "Sensitivity Analysis", Date: in.date(),
		Vecs: []*Vector{{Name: "frequency", Type: "frequency", Real: slices.Clone(freq)}}}
	if a.AC.Sweep != "lin" {
		p.Grid = "grid=3"
	}
	for i := 1; i+1 < len(cols); i += 2 {
		re, _ := res.Vector(cols[i].Name)
		im, _ := res.Vector(cols[i+1].Name)
		v := &Vector{Name: strings.ToLower(cols[i].Vector), Type: typ, Cplx: make([]complex128, len(re))}
		for k := range re {
			v.Cplx[k] = complex(re[k], im[k])
		}
		p.Vecs = append(p.Vecs, v)
	}
	slices.SortStableFunc(p.Vecs[1:], func(u, v *Vector) int { return strings.Compare(u.Name, v.Name) })
	in.addPlot(p)
	return nil
}

// onePointPlot runs an analysis of one point (tf, sens) into a plot of its kind whose
// vectors, from the sorted-th on, are in the order of their names, as ngspice keeps
// them. Their type is the output's: voltage, or current for i(vsrc).
func (in *Interp) onePointPlot(ctx context.Context, a parser.Analysis, title string, sorted int) error {
	res, err := in.collect(ctx, a)
	if err != nil {
		return err
	}
	typ := "voltage"
	if s, ok := a.(*parser.Sens); ok && s.Out.Kind == parser.VectorCurrent {
		typ = "current"
	}
	p := &Plot{Kind: a.Name(), Title: in.circuit.Title, Type: title, Date: in.date()}
	for _, name := range res.Names() {
		x, _ := res.Vector(name)
		p.Vecs = append(p.Vecs, &Vector{Name: strings.ToLower(name), Type: typ, Real: slices.Clone(x)})
	}
	slices.SortStableFunc(p.Vecs[sorted:], func(u, v *Vector) int { return strings.Compare(u.Name, v.Name) })
	in.addPlot(p)
	return nil
}

// withoutPlace is a parser's error without its place, for an error of a command that
// gives its own.
func withoutPlace(err error) error {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return errors.New(list[0].Msg)
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return errors.New(one.Msg)
	}
	return err
}
