package control

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gospice/gospice"
	pc "github.com/gospice/gospice/parser/control"
)

// lookup finds a vector by name: in the current plot, as plotname.vector in another
// plot, then among the constants.
func (in *Interp) lookup(name string) (*Vector, error) {
	v, _, err := in.find(name)
	return v, err
}

// find is lookup that also says which plot the vector is in.
func (in *Interp) find(name string) (*Vector, *Plot, error) {
	name = lowerName(name)
	if n := len(in.scopes); n > 0 {
		if v, ok := in.scopes[n-1][name]; ok {
			return v, in.cur, nil
		}
	}
	if v := in.cur.Vector(name); v != nil {
		return v, in.cur, nil
	}
	if plot, rest, ok := strings.Cut(name, "."); ok {
		for _, p := range in.plots {
			if p.Name == plot {
				if v := p.Vector(rest); v != nil {
					return v, p, nil
				}
			}
		}
	}
	if v := in.plots[0].Vector(name); v != nil {
		return v, in.plots[0], nil
	}
	return nil, nil, fmt.Errorf("no such vector %s", name)
}

// eval computes an expression.
func (in *Interp) eval(e *pc.Expr) (*Vector, error) {
	v, err := in.evalOr(e.Cond)
	if err != nil || e.Then == nil {
		return v, err
	}
	if v.truthy() {
		return in.eval(e.Then)
	}
	return in.eval(e.Else)
}

func (in *Interp) evalOr(o *pc.Or) (*Vector, error) {
	v, err := in.evalAnd(o.Left)
	for _, r := range o.Right {
		if err != nil {
			return nil, err
		}
		var w *Vector
		if w, err = in.evalAnd(r); err == nil {
			v, err = binary("|", v, w)
		}
	}
	return v, err
}

func (in *Interp) evalAnd(a *pc.And) (*Vector, error) {
	v, err := in.evalCmp(a.Left)
	for _, r := range a.Right {
		if err != nil {
			return nil, err
		}
		var w *Vector
		if w, err = in.evalCmp(r); err == nil {
			v, err = binary("&", v, w)
		}
	}
	return v, err
}

func (in *Interp) evalCmp(c *pc.Cmp) (*Vector, error) {
	v, err := in.evalSum(c.Left)
	if err != nil || !c.Compares() {
		return v, err
	}
	w, err := in.evalSum(c.Right)
	if err != nil {
		return nil, err
	}
	return binary(c.Op, v, w)
}

func (in *Interp) evalSum(s *pc.Sum) (*Vector, error) {
	v, err := in.evalProd(s.Left)
	for _, r := range s.Rest {
		if err != nil {
			return nil, err
		}
		var w *Vector
		if w, err = in.evalProd(r.Right); err == nil {
			v, err = binary(r.Op, v, w)
		}
	}
	return v, err
}

func (in *Interp) evalProd(p *pc.Prod) (*Vector, error) {
	v, err := in.evalUnary(p.Left)
	for _, r := range p.Rest {
		if err != nil {
			return nil, err
		}
		var w *Vector
		if w, err = in.evalUnary(r.Right); err == nil {
			v, err = binary(r.Op, v, w)
		}
	}
	return v, err
}

func (in *Interp) evalUnary(u *pc.Unary) (*Vector, error) {
	if u.Pow != nil {
		return in.evalPower(u.Pow)
	}
	v, err := in.evalUnary(u.Sub)
	if err != nil {
		return nil, err
	}
	switch u.Op {
	case "-":
		out, err := binary("*", v, scalar(-1))
		if out != nil {
			out.Type = v.Type // -v(out) is a voltage, as in ngspice
		}
		return out, err
	case "+":
		return v, nil
	}
	out, err := binary("==", v, scalar(0)) // ! and not
	if out != nil {
		out.Type = "notype"
	}
	return out, err
}

func (in *Interp) evalPower(p *pc.Power) (*Vector, error) {
	v, err := in.evalPostfix(p.Base)
	if err != nil || p.Exp == nil {
		return v, err
	}
	w, err := in.evalUnary(p.Exp)
	if err != nil {
		return nil, err
	}
	return binary("^", v, w)
}

func (in *Interp) evalPostfix(p *pc.Postfix) (*Vector, error) {
	v, err := in.evalPrimary(p.Prim)
	if err != nil {
		return nil, err
	}
	if len(p.Index) > 0 && v.Name == "" {
		v = v.copyAs(p.Prim.String()) // named in index's messages
	}
	for _, ix := range p.Index {
		lo, err := in.indexValue(ix.Lo)
		if err != nil {
			return nil, err
		}
		hi := lo
		if ix.Hi != nil {
			if hi, err = in.indexValue(ix.Hi); err != nil {
				return nil, err
			}
		}
		name := v.Name
		if v, err = index(v, lo, hi, ix.Hi != nil, in.warn); err != nil {
			return nil, err
		}
		v.Name = name
	}
	return v, nil
}

// indexValue is the integer an index expression gives.
func (in *Interp) indexValue(e *pc.Expr) (int, error) {
	v, err := in.eval(e)
	if err != nil {
		return 0, err
	}
	if v.Len() == 0 {
		return 0, fmt.Errorf("an index of no value")
	}
	x := v.RealAt(0)
	if math.IsNaN(x) || math.Abs(x) > 1<<40 {
		return 0, fmt.Errorf("index %g", x)
	}
	return int(math.Round(x)), nil
}

func (in *Interp) evalPrimary(p *pc.Primary) (*Vector, error) {
	switch {
	case p.Number != nil:
		x, ok := gospice.ParseNumber(*p.Number)
		if !ok {
			return nil, fmt.Errorf("bad number %q", *p.Number)
		}
		return scalar(x), nil
	case p.Str != nil:
		// "name" is the vector of that name, as in ngspice: the quotes let a name hold
		// what an expression would split (zero(1)).
		if v, err := in.lookup(strings.Trim(*p.Str, "\"")); err == nil {
			return v, nil
		}
		return nil, fmt.Errorf("a string (%s) is not a value", *p.Str)
	case p.DevParam != nil:
		v, err := in.lookup(*p.DevParam)
		if err == nil {
			return v, nil // a device quantity the run saved (.save @q1[ic]) is a vector of its plot
		}
		if !strings.HasPrefix(*p.DevParam, "@") {
			return nil, err // dc1.@r1[i]: a plot's vector or nothing
		}
		if v, ok := in.waveArgs(*p.DevParam); ok {
			return v, nil
		}
		x, err := in.deviceParam(*p.DevParam)
		if err != nil {
			return nil, err
		}
		return scalar(x), nil
	case p.Complex != nil:
		return complexNumber(p.Complex)
	case p.Paren != nil:
		return in.eval(p.Paren)
	}
	return in.evalCall(p.Call)
}

// complexNumber is the value of ngspice's (re, im).
func complexNumber(c *pc.Complex) (*Vector, error) {
	var parts [2]float64
	for k, n := range []*pc.Signed{c.Re, c.Im} {
		x, ok := gospice.ParseNumber(n.String())
		if !ok {
			return nil, fmt.Errorf("bad number %q", n.String())
		}
		parts[k] = x
	}
	return &Vector{Type: "notype", Cplx: []complex128{complex(parts[0], parts[1])}}, nil
}

func (in *Interp) evalCall(c *pc.Call) (*Vector, error) {
	name := strings.ToLower(c.Name)
	if !c.Parens {
		return in.lookup(name)
	}
	if f, ok := in.defs[defKey(name, len(c.Args))]; ok {
		return in.callUser(f, c.Args)
	}
	if f, ok := randomFunctions[name]; ok {
		if len(c.Args) != 1 {
			return nil, fmt.Errorf("%s takes one argument", name)
		}
		v, err := in.eval(c.Args[0])
		if err != nil {
			return nil, err
		}
		return f(in.rng, v), nil
	}
	if (name == "fft" || name == "ifft") && len(c.Args) == 1 { // fftfunc.go
		v, err := in.eval(c.Args[0])
		if err != nil {
			return nil, err
		}
		f := map[string]func(*Vector) (*Vector, error){"fft": in.fftOf, "ifft": in.ifftOf}[name]
		out, err := f(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return out, nil
	}
	if f, ok := functions[name]; ok {
		args := make([]*Vector, len(c.Args))
		for i, a := range c.Args {
			v, err := in.eval(a)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
		out, err := f(args, in.scaleFor(args))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return out, nil
	}
	// vdb(out), vp(out), im(v1) ...: a part of v(out) or i(v1), as .print writes them.
	if fn, whole, ok := partCall(name); ok && len(c.Args) >= 1 && len(c.Args) <= 2 {
		var args []string
		for _, a := range c.Args {
			args = append(args, a.String())
		}
		e, err := pc.ParseExpr(whole + "(" + strings.Join(args, ",") + ")")
		if err != nil {
			return nil, err
		}
		v, err := in.eval(e)
		if err != nil {
			return nil, err
		}
		return functions[fn]([]*Vector{v}, in.cur.Scale())
	}
	// v(out), i(v1), tran1.v(out): a vector's name written as a call.
	if (name == "v" || strings.HasSuffix(name, ".v")) && len(c.Args) == 2 {
		prefix := strings.TrimSuffix(name, "v")
		a, err := in.lookup(prefix + "v(" + c.Args[0].String() + ")")
		if err != nil {
			return nil, err
		}
		b, err := in.lookup(prefix + "v(" + c.Args[1].String() + ")")
		if err != nil {
			return nil, err
		}
		d, err := binary("-", a, b)
		if d != nil {
			d.Type = a.Type // v(a,b) is a voltage
		}
		return d, err
	}
	v, err := in.lookup(c.String())
	if err != nil {
		return nil, fmt.Errorf("no such vector or function %s", c.String())
	}
	return v, nil
}

// scaleFor is the scale of a function's arguments: the scale of the plot the first one is
// a vector of (deriv(dc1.out) is against dc1's sweep, as in ngspice), else the current
// plot's.
func (in *Interp) scaleFor(args []*Vector) *Vector {
	if len(args) > 0 {
		for _, p := range in.plots {
			if slices.Contains(p.Vecs, args[0]) {
				return p.Scale()
			}
		}
	}
	return in.cur.Scale()
}

// waveArgs reads @v1[pulse] (or sin, pwl ...): the arguments of a source's waveform of
// that kind, as written, as ngspice gives them.
func (in *Interp) waveArgs(ref string) (*Vector, bool) {
	dev, param, _ := strings.Cut(strings.ToLower(strings.TrimPrefix(ref, "@")), "[")
	param = strings.TrimSuffix(param, "]")
	k := in.elementIndex(dev)
	if k < 0 {
		return nil, false
	}
	e := in.circuit.Elements[k]
	if e.Source() == nil || e.Source().Wave == nil || e.Source().Wave.Kind != param {
		return nil, false
	}
	return &Vector{Type: "notype", Real: slices.Clone(e.Source().Wave.Args)}, true
}

// deviceParam reads @name[param] of the current circuit: of an element (by its flat or
// ngspice's name), the value of an R, C or L, the dc value of a source, or a name=value
// parameter its line gives; else of a model, a parameter its card gives. Defaults that
// the line or card leave out are the device's, which gospice does not list: an error.
func (in *Interp) deviceParam(ref string) (float64, error) {
	dev, param, _ := strings.Cut(strings.ToLower(strings.TrimPrefix(ref, "@")), "[")
	param = strings.TrimSuffix(param, "]")
	if k := in.elementIndex(dev); k >= 0 {
		e := in.circuit.Elements[k]
		switch {
		case e.Source() != nil && (param == "dc" || param == "dcvalue"):
			return e.Source().DC, nil
		case e.HasValue && valueParams[param]:
			return e.Value, nil
		}
		if p, ok := e.Param(param); ok {
			return p.Value, nil
		}
		if v, ok := in.devq[strings.ToLower(ref)]; ok { // devq.go
			return v, nil
		}
		return 0, fmt.Errorf("%s: %s of %s is not given on its line (gospice reads the parameters a line gives, not the defaults)", ref, param, dev)
	}
	if m, ok := in.circuit.Models[dev]; ok {
		for _, p := range m.Params {
			if p.Name == param {
				return p.Value, nil
			}
		}
		return 0, fmt.Errorf("%s: %s of model %s is not given on its card (gospice reads the parameters a card gives, not the defaults)", ref, param, dev)
	}
	return 0, fmt.Errorf("%s: no device or model %s", ref, dev)
}

// partCall reads vdb, vm, vp, vr, vi (and idb ... for currents): the function of the
// part and the vector's own function, v or i.
func partCall(name string) (fn, whole string, ok bool) {
	if len(name) < 2 || (name[0] != 'v' && name[0] != 'i') {
		return "", "", false
	}
	fn, ok = map[string]string{"m": "mag", "p": "ph", "db": "db", "r": "real", "i": "imag"}[name[1:]]
	return fn, name[:1], ok
}
