package control

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// alterArgs reads the forms of alter: "name value", "name = value", "name param = value",
// "@name[param] = value". The value may be a vector expression, or a list of values in
// brackets ("@v1[pulse] = [ 0 1 2n ]"): values are all of them, value the first.
func (in *Interp) alterArgs(args string) (name, param string, value float64, values []float64, err error) {
	s := strings.TrimSpace(args)
	var lhs, rhs string
	if l, r, ok := strings.Cut(s, "="); ok {
		lhs, rhs = strings.TrimSpace(l), r
	} else {
		words := strings.Fields(s)
		if len(words) < 2 {
			return "", "", 0, nil, errors.New("usage: alter device [param] = value")
		}
		lhs, rhs = strings.Join(words[:len(words)-1], " "), words[len(words)-1]
	}
	lhs = strings.ToLower(lhs)
	if strings.HasPrefix(lhs, "@") {
		dev, p, _ := strings.Cut(lhs[1:], "[")
		name, param = dev, strings.TrimSuffix(p, "]")
	} else {
		words := strings.Fields(lhs)
		switch len(words) {
		case 1:
			name = words[0]
		case 2:
			name, param = words[0], words[1]
		default:
			return "", "", 0, nil, fmt.Errorf("bad device %q", lhs)
		}
	}
	rhs = strings.TrimSpace(rhs)
	if strings.HasPrefix(rhs, "[") && strings.HasSuffix(rhs, "]") { // alter r1 = [ 2k ]
		rhs = rhs[1 : len(rhs)-1]
	}
	exprs, err := pc.ParseExprs(rhs)
	if err != nil {
		return "", "", 0, nil, err
	}
	for _, e := range exprs {
		v, err := in.eval(e)
		if err != nil {
			return "", "", 0, nil, err
		}
		for i := range v.Len() {
			values = append(values, v.RealAt(i))
		}
	}
	if len(values) == 0 {
		return "", "", 0, nil, errors.New("no value")
	}
	return name, param, values[0], values, nil
}

// cmdAlter changes an element of the circuit the next analyses run: the value of an R, C
// or L, the DC or AC value of a source, or any name=value parameter of its line (a
// MOSFET's w, a diode's area). reset undoes it.
func (in *Interp) cmdAlter(ctx context.Context, c *pc.Command, args string) error {
	name, param, x, values, err := in.alterArgs(args)
	if err != nil {
		return err
	}
	k := in.elementIndex(name)
	if k < 0 {
		return fmt.Errorf("no device %s", name)
	}
	e := *in.circuit.Elements[k]
	added := false // a parameter the line did not give: the next build checks that the device has it
	switch {
	case e.Source() != nil && (param == "" || param == "dc"):
		src := *e.Source()
		src.DC, src.HasDC = x, true
		e.SetSource(&src)
	case e.Source() != nil && (param == "acmag" || param == "ac"):
		src := *e.Source()
		src.ACMag, src.HasAC = x, true
		e.SetSource(&src)
	case e.Source() != nil && e.Source().Wave != nil && param == e.Source().Wave.Kind:
		// alter @v1[pulse] = [ v1 v2 td ... ]: the waveform's arguments, as written.
		src, wave := *e.Source(), *e.Source().Wave
		wave.Args = values
		src.Wave = &wave
		e.SetSource(&src)
	case strings.ContainsRune("rcl", rune(e.Kind)) && (param == "" || valueParams[param]):
		if e.Expr() != nil && e.ExprKind() == "value" {
			e.SetExpr(nil, e.ExprKind())
		}
		e.Value, e.HasValue = x, true
	case param != "" && e.Source() == nil:
		params := e.Params()
		added = setParam(&params, param, x)
		e.SetParams(params)
		if e.Kind == 'm' && (param == "l" || param == "w" || param == "nf" || param == "wnflag") {
			if err := in.rebin(&e); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("cannot alter %s of %s: gospice alters the value of an R, C or L, the dc or ac value of a source and the name=value parameters of a device", paramName(param), name)
	}
	nc := in.cloneCircuit()
	nc.Elements[k] = &e
	if added {
		check := *nc
		check.Analyses, check.Prints, check.Measures, check.Steps = nil, nil, nil, nil
		if _, err := gospice.BuildContext(ctx, &check); err != nil {
			return withoutPlace(err)
		}
	}
	in.circuit = nc
	return nil
}

// valueParams are the names ngspice gives the value of an R, C or L.
var valueParams = map[string]bool{"resistance": true, "capacitance": true, "inductance": true, "r": true, "c": true, "l": true}

// setParam sets a name=value parameter in a copy of params, and says whether it was not
// there before.
func setParam(params *[]parser.Param, name string, x float64) (added bool) {
	ps := slices.Clone(*params)
	if k := slices.IndexFunc(ps, func(q parser.Param) bool { return q.Name == name }); k >= 0 {
		ps[k].Value, ps[k].List, ps[k].Expr = x, nil, nil
	} else {
		ps = append(ps, parser.Param{Name: name, Value: x})
		added = true
	}
	*params = ps
	return added
}

// elementIndex finds an element of the current circuit by its flat name (x1.rs1) or by
// the name ngspice gives it (r.x1.rs1: flatElementName); -1 if there is none.
func (in *Interp) elementIndex(name string) int {
	if k := slices.IndexFunc(in.circuit.Elements, func(e *parser.Element) bool { return e.Name == name }); k >= 0 {
		return k
	}
	flat, ok := flatElementName(name)
	if !ok {
		return -1
	}
	return slices.IndexFunc(in.circuit.Elements, func(e *parser.Element) bool { return e.Name == flat && e.Kind == name[0] })
}

func paramName(p string) string {
	if p == "" {
		return "the value"
	}
	return p
}

// cmdAltermod changes a parameter of a model: altermod nmod vth0 = 0.5, or
// altermod @nmod[vth0] = 0.5.
func (in *Interp) cmdAltermod(ctx context.Context, c *pc.Command, args string) error {
	name, param, x, _, err := in.alterArgs(args)
	if err != nil {
		return err
	}
	if param == "" {
		return errors.New("usage: altermod model param = value")
	}
	m, ok := in.circuit.Models[name]
	if !ok {
		// altermod of a device changes its model, as in ngspice.
		if k := in.elementIndex(name); k >= 0 && in.circuit.Elements[k].Model != "" {
			name = in.circuit.Elements[k].Model
			m, ok = in.circuit.Models[name]
		}
		if !ok {
			return fmt.Errorf("no model %s", name)
		}
	}
	mm := *m
	setParam(&mm.Params, param, x)
	nc := in.cloneCircuit()
	nc.Models[name] = &mm
	in.circuit = nc
	return nil
}

// solverChoice are the options that choose ngspice's matrix solver (option klu in a
// .spiceinit); option accepts and ignores them.
var solverChoice = map[string]bool{"klu": true, "sparse": true, "ksparse": true}

// cmdOption sets options of the next analyses: option reltol=1e-4 klu ...
func (in *Interp) cmdOption(ctx context.Context, c *pc.Command, args string) error {
	s := strings.ReplaceAll(strings.ReplaceAll(args, " =", "="), "= ", "=")
	nc := in.cloneCircuit()
	for _, w := range strings.Fields(strings.ToLower(s)) {
		k, val, has := strings.Cut(w, "=")
		if solverChoice[k] {
			continue // gospice has one sparse LU: ngspice's choice of solver changes nothing
		}
		op := parser.Option{Name: k, Value: 1, Pos: c.Pos}
		if has {
			if x, ok := gospice.ParseNumber(val); ok {
				op.Value = x
			} else {
				op.Str = val
			}
		}
		nc.Options = append(nc.Options, op)
	}
	in.circuit = nc
	return nil
}

// binTolerance is ngspice's tolerance on the bounds of a model's bin, in metres.
const binTolerance = 1e-9

// rebin chooses again the card of a binned model (stem.1, stem.2 ...) for a MOSFET whose
// l, w or nf alter changed, as ngspice does when it runs again: the first card, in file
// order, whose lmin..lmax and wmin..wmax hold the element's l and w (per finger when it
// has nf, unless wnflag=0), within 1e-9 m. The netlist's reader chose the first one the
// same way (parser/models.go).
func (in *Interp) rebin(e *parser.Element) error {
	dot := strings.LastIndexByte(e.Model, '.')
	if dot <= 0 || strings.Trim(e.Model[dot+1:], "0123456789") != "" || dot == len(e.Model)-1 {
		return nil // not a binned card
	}
	stem := e.Model[:dot+1]
	l, okL := e.Param("l")
	w, okW := e.Param("w")
	if !okL || !okW {
		return nil
	}
	wf := w.Value
	if nf, ok := e.Param("nf"); ok && nf.Value > 0 {
		perFinger := !slices.ContainsFunc(in.circuit.Options, func(o parser.Option) bool { return o.Name == "wnflag" && o.Value == 0 })
		if flag, ok := e.Param("wnflag"); ok {
			perFinger = flag.Value != 0
		}
		if perFinger {
			wf /= nf.Value
		}
	}
	var cards []*parser.Model
	for name, m := range in.circuit.Models {
		if rest, ok := strings.CutPrefix(name, stem); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			cards = append(cards, m)
		}
	}
	slices.SortFunc(cards, func(a, b *parser.Model) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), strings.Compare(a.Name, b.Name))
	})
	within := func(x, lo, hi float64) bool {
		return math.Abs(x-lo) < binTolerance || math.Abs(x-hi) < binTolerance || lo < x && x < hi
	}
	for _, m := range cards {
		var b [4]float64
		given := 0
		for _, p := range m.Params {
			if k := slices.Index([]string{"lmin", "lmax", "wmin", "wmax"}, p.Name); k >= 0 {
				b[k] = p.Value
				given |= 1 << k
			}
		}
		if given == 15 && within(l.Value, b[0], b[1]) && within(wf, b[2], b[3]) {
			if m.Name != e.Model {
				fmt.Fprintf(in.opt.Stdout, "Notice: model has changed from %s to %s.\n", e.Model, m.Name) // as ngspice
				e.Model = m.Name
			}
			return nil
		}
	}
	return fmt.Errorf("no card of binned model %q holds l=%g w=%g", strings.TrimSuffix(stem, "."), l.Value, wf)
}
