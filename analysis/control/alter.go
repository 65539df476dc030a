package control

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// alterArgs reads the forms of alter: "name value", "name = value", "name param = value",
// "@name[param] = value". The value may be a vector expression.
func (in *Interp) alterArgs(args string) (name, param string, value float64, err error) {
	s := strings.TrimSpace(args)
	var lhs, rhs string
	if l, r, ok := strings.Cut(s, "="); ok {
		lhs, rhs = strings.TrimSpace(l), r
	} else {
		words := strings.Fields(s)
		if len(words) < 2 {
			return "", "", 0, errors.New("usage: alter device [param] = value")
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
			return "", "", 0, fmt.Errorf("bad device %q", lhs)
		}
	}
	rhs = strings.TrimSpace(rhs)
	if strings.HasPrefix(rhs, "[") && strings.HasSuffix(rhs, "]") { // alter r1 = [ 2k ]
		rhs = rhs[1 : len(rhs)-1]
	}
	e, err := pc.ParseExpr(rhs)
	if err != nil {
		return "", "", 0, err
	}
	v, err := in.eval(e)
	if err != nil {
		return "", "", 0, err
	}
	if v.Len() == 0 {
		return "", "", 0, errors.New("no value")
	}
	return name, param, v.RealAt(0), nil
}

// cmdAlter changes an element of the circuit the next analyses run: the value of an R, C
// or L, the DC or AC value of a source, or any name=value parameter of its line (a
// MOSFET's w, a diode's area). reset undoes it.
func (in *Interp) cmdAlter(ctx context.Context, c *pc.Command, args string) error {
	name, param, x, err := in.alterArgs(args)
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
	case e.Source != nil && (param == "" || param == "dc"):
		src := *e.Source
		src.DC, src.HasDC = x, true
		e.Source = &src
	case e.Source != nil && (param == "acmag" || param == "ac"):
		src := *e.Source
		src.ACMag, src.HasAC = x, true
		e.Source = &src
	case strings.ContainsRune("rcl", rune(e.Kind)) && (param == "" || valueParams[param]):
		if e.Expr != nil && e.ExprKind == "value" {
			e.Expr = nil
		}
		e.Value, e.HasValue = x, true
	case param != "" && e.Source == nil:
		added = setParam(&e.Params, param, x)
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
// the name ngspice gives it (r.x1.rs1); -1 if there is none.
func (in *Interp) elementIndex(name string) int {
	return slices.IndexFunc(in.circuit.Elements, func(e *parser.Element) bool {
		return e.Name == name || strings.Contains(e.Name, ".") && ngspiceElementName(e) == name
	})
}

// ngspiceElementName is the name ngspice 39 gives an element of a subcircuit: its letter
// and instance before each level's name, x1.rs1 as r.x1.rs1 and x1.xi.rq as r.x1.r.xi.rq.
func ngspiceElementName(e *parser.Element) string {
	parts := strings.Split(e.Name, ".")
	name := parts[len(parts)-1]
	for i := len(parts) - 2; i >= 0; i-- {
		name = string(e.Kind) + "." + parts[i] + "." + name
	}
	return name
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
	name, param, x, err := in.alterArgs(args)
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
