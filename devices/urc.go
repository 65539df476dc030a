package devices

import (
	"fmt"
	"math"

	"github.com/gospice/gospice/parser"
)

// ngspice's uniform distributed RC line (U, model urc) is no device of its own: as
// ngspice does when it sets the circuit up, each U element stands for a chain of lumped
// resistors with capacitors to its third node (or, when the model gives isperl, diodes
// whose junction capacitance is the capacitance they replace). The lumps grow in a
// geometric progression of ratio k from both ends towards the middle: with R and C the
// line's totals and N lumps, the first resistor is (R/2)(k-1)/(k^N-1) and the first
// capacitor C / (2 (k^(N-1)-1)/(k-1) + k^(N-1)); the middle node has one capacitor
// k^(N-1) times the first. The elements and nodes are named as ngspice names them
// (u1#rhi1, u1#chi1, u1#dhi1; nodes u1#lo1, u1#lo2, ... from n1 and u1#hi1, ... from n2), so that their vectors match. The
// values were read from ngspice 39's own expansion (show all).

// urcModel is the .model card of a URC line.
type urcModel struct {
	k, fmax, rperl, cperl, isperl, rsperl float64
}

func (m *urcModel) params() paramSet {
	return paramSet{what: "URC model", params: []param{
		p("k", 1.5, "", "ratio of the lumps' sizes from the ends to the middle", &m.k),
		p("fmax", 1e9, "Hz", "highest frequency of interest: sets the number of lumps", &m.fmax),
		p("rperl", 1000, "ohm/m", "resistance per length", &m.rperl),
		p("cperl", 1e-12, "F/m", "capacitance per length", &m.cperl),
		p("isperl", 0, "A/m", "diodes' saturation current per length (0: capacitors, no diodes)", &m.isperl),
		p("rsperl", 0, "ohm/m", "diodes' series resistance per length", &m.rsperl),
		accepted("urc"),
	}}
}

// urcInstance is a U element's own parameters.
type urcInstance struct {
	length, lumps float64
	lumpsGiven    bool
}

func (u *urcInstance) params() paramSet {
	return paramSet{what: "URC line", params: []param{
		p("l", 0, "m", "length", &u.length),
		p("n", 0, "", "number of lumps from each end to the middle (default from fmax)", &u.lumps).withGiven(&u.lumpsGiven),
	}}
}

// maxURCLumps bounds the lumps of a line (each half has that many resistors).
const maxURCLumps = 10000

// ExpandURC returns the circuit with every U element replaced by the lumped elements it
// stands for, and the diode models they use; a circuit without U elements is returned
// as it is. Build does not know U elements: the circuit it builds has them expanded.
func ExpandURC(c *parser.Circuit) (*parser.Circuit, error) {
	has := false
	for _, e := range c.Elements {
		if e.Kind == 'u' {
			has = true
			break
		}
	}
	if !has {
		return c, nil
	}
	out := *c
	out.Elements = make([]*parser.Element, 0, len(c.Elements))
	out.Models = make(map[string]*parser.Model, len(c.Models))
	for k, m := range c.Models {
		out.Models[k] = m
	}
	var errs parser.ErrorList
	for _, e := range c.Elements {
		if e.Kind != 'u' {
			out.Elements = append(out.Elements, e)
			continue
		}
		lumps, err := urcLumps(e, c)
		if err != nil {
			if pe, ok := err.(*parser.Error); ok {
				errs = append(errs, pe)
				continue
			}
			return nil, err
		}
		out.Elements = append(out.Elements, lumps.elements...)
		if lumps.diode != nil {
			out.Models[lumps.diode.Name] = lumps.diode
		}
	}
	if len(errs) > 0 {
		return nil, oncePerPlace(errs)
	}
	return &out, nil
}

// urcExpansion is what one U element stands for.
type urcExpansion struct {
	elements []*parser.Element
	diode    *parser.Model // nil without diodes
}

// urcLumps reads a U element and its model and makes its lumped elements.
func urcLumps(e *parser.Element, c *parser.Circuit) (urcExpansion, error) {
	card, err := modelFor(e, c, "URC line", "urc")
	if err != nil {
		return urcExpansion{}, err
	}
	var m urcModel
	if err := m.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return urcExpansion{}, err
	}
	var u urcInstance
	if err := u.params().apply(e.Params(), e.Name); err != nil {
		return urcExpansion{}, err
	}
	if len(e.Args()) > 0 {
		return urcExpansion{}, parser.Errorf(e.Args()[0].Pos, "%s: unexpected %q (a URC line takes l= and n=)", e.Name, argText(e.Args()[0]))
	}
	switch {
	case !(u.length > 0):
		return urcExpansion{}, elementError(e, "a URC line needs a positive length l=")
	case !(m.k > 1):
		return urcExpansion{}, elementError(e, "k of model %s must be greater than 1, got %g", card.Name, m.k)
	case !(m.rperl > 0) || !(m.cperl > 0):
		return urcExpansion{}, elementError(e, "rperl and cperl of model %s must be positive", card.Name)
	case m.isperl < 0 || m.rsperl < 0 || m.fmax < 0:
		return urcExpansion{}, elementError(e, "isperl, rsperl and fmax of model %s cannot be negative", card.Name)
	}
	r, cap := m.rperl*u.length, m.cperl*u.length
	n := 0
	if u.lumpsGiven {
		if u.lumps != math.Trunc(u.lumps) || u.lumps < 1 || u.lumps > maxURCLumps {
			return urcExpansion{}, elementError(e, "n= must be a whole number of lumps from 1 to %d, got %g", maxURCLumps, u.lumps)
		}
		n = int(u.lumps)
	} else {
		// ngspice's rule: log(fmax R C 2 pi ((k-1)/k)^2) / log(k), truncated, at least 3.
		est := math.Log(m.fmax*r*cap*2*math.Pi*math.Pow((m.k-1)/m.k, 2)) / math.Log(m.k)
		n = 3
		if est > 3 {
			n = int(min(est, maxURCLumps))
		}
	}
	kn1 := math.Pow(m.k, float64(n-1))
	r1 := r / 2 * (m.k - 1) / (kn1*m.k - 1)
	c1 := cap / (2*(kn1-1)/(m.k-1) + kn1)

	x := urcExpander{e: e, diodes: m.isperl > 0}
	if x.diodes {
		x.model = e.Name + "#diodemod"
		x.exp.diode = &parser.Model{Name: x.model, Type: "d", Pos: e.Pos, Params: []parser.Param{
			{Name: "is", Value: m.isperl * c1 / m.cperl, Pos: e.Pos},
			{Name: "rs", Value: m.rsperl * u.length * float64(n), Pos: e.Pos},
			{Name: "cjo", Value: c1, Pos: e.Pos},
			{Name: "vj", Value: 1, Pos: e.Pos},
			{Name: "m", Value: 0.5, Pos: e.Pos},
		}}
	}
	// From each end towards the middle, nodes lo1, lo2, ... from n1 and hi1, hi2, ... from
	// n2 (the middle is hi<N>), the lumps grow by k.
	in, out, common := e.Nodes[0], e.Nodes[1], e.Nodes[2]
	mid := fmt.Sprintf("%s#hi%d", e.Name, n)
	prevLo, prevHi := in, out
	scale := 1.0
	for i := 1; i <= n; i++ {
		hi, lo := fmt.Sprintf("%s#hi%d", e.Name, i), fmt.Sprintf("%s#lo%d", e.Name, i)
		if i == n {
			lo = mid
		}
		x.resistor(fmt.Sprintf("rhi%d", i), prevHi, hi, r1*scale)
		x.resistor(fmt.Sprintf("rlo%d", i), prevLo, lo, r1*scale)
		if i < n {
			x.shunt("hi", i, hi, common, c1, scale)
			x.shunt("lo", i, lo, common, c1, scale)
		} else {
			x.shunt("lo", i, mid, common, c1, scale) // the middle's one, named as ngspice does
		}
		prevHi, prevLo = hi, lo
		scale *= m.k
	}
	return x.exp, nil
}

// urcExpander makes the lumped elements of one U element e.
type urcExpander struct {
	e      *parser.Element
	diodes bool
	model  string // the diodes' model
	exp    urcExpansion
}

func (x *urcExpander) element(kind byte, suffix string, a, b string) *parser.Element {
	el := &parser.Element{Name: x.e.Name + "#" + suffix, Kind: kind, Nodes: []string{a, b},
		NodePos: []parser.Pos{x.e.Pos, x.e.Pos}, Pos: x.e.Pos, ValuePos: x.e.Pos}
	x.exp.elements = append(x.exp.elements, el)
	return el
}

func (x *urcExpander) resistor(suffix, a, b string, r float64) {
	el := x.element('r', suffix, a, b)
	el.Value, el.HasValue = r, true
}

// shunt adds the capacitor, or diode of the same zero-bias capacitance, from node to
// common: c1 times scale, side "hi" or "lo", lump i.
func (x *urcExpander) shunt(side string, i int, node, common string, c1, scale float64) {
	if !x.diodes {
		el := x.element('c', fmt.Sprintf("c%s%d", side, i), node, common)
		el.Value, el.HasValue = c1*scale, true
		return
	}
	el := x.element('d', fmt.Sprintf("d%s%d", side, i), node, common)
	el.Model = x.model
	el.SetModelPos(x.e.Pos)
	el.SetArgs([]parser.Arg{{Number: scale, IsNumber: true, Pos: x.e.Pos}})
}
