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
// or L, the DC value of a source. reset undoes it.
func (in *Interp) cmdAlter(ctx context.Context, c *pc.Command, args string) error {
	name, param, x, err := in.alterArgs(args)
	if err != nil {
		return err
	}
	k := slices.IndexFunc(in.circuit.Elements, func(e *parser.Element) bool { return e.Name == name })
	if k < 0 {
		return fmt.Errorf("no device %s", name)
	}
	e := *in.circuit.Elements[k]
	switch {
	case e.Source != nil && (param == "" || param == "dc"):
		src := *e.Source
		src.DC, src.HasDC = x, true
		e.Source = &src
	case e.Source != nil && (param == "acmag" || param == "ac"):
		src := *e.Source
		src.ACMag, src.HasAC = x, true
		e.Source = &src
	case strings.ContainsRune("rcl", rune(e.Kind)) && (param == "" || param == "resistance" || param == "capacitance" || param == "inductance" || param == "r" || param == "c" || param == "l"):
		if e.Expr != nil && e.ExprKind == "value" {
			e.Expr = nil
		}
		e.Value, e.HasValue = x, true
	default:
		return fmt.Errorf("cannot alter %s of %s: gospice alters the value of an R, C or L and the dc or ac value of a source", paramName(param), name)
	}
	nc := in.cloneCircuit()
	nc.Elements[k] = &e
	in.circuit = nc
	return nil
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
		for _, e := range in.circuit.Elements {
			if e.Name == name && e.Model != "" {
				m, ok = in.circuit.Models[e.Model]
				name = e.Model
				break
			}
		}
		if !ok {
			return fmt.Errorf("no model %s", name)
		}
	}
	mm := *m
	mm.Params = slices.Clone(m.Params)
	p := parser.Param{Name: param, Value: x}
	if k := slices.IndexFunc(mm.Params, func(q parser.Param) bool { return q.Name == param }); k >= 0 {
		p.Pos = mm.Params[k].Pos
		mm.Params[k] = p
	} else {
		mm.Params = append(mm.Params, p)
	}
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
