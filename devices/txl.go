package devices

import "github.com/gospice/gospice/parser"

// A TXL line is ngspice's single lossy line: Y1 n1 n2 n3 n4 model, with .model name txl
// r= l= g= c= (per length) length=. Its physics is the LTRA's exact line (ltra.go), with
// the shunt conductance g that ngspice's TXL takes; what differs is the card, ngspice's
// names for the port currents (y1#branch1, y1#branch2, current unknowns) and its DC.

// txlModel is the .model card of a TXL line.
type txlModel struct {
	r, l, g, c, length float64
	gGiven, lenGiven   bool
}

func (m *txlModel) params() paramSet {
	return paramSet{what: "TXL model", params: []param{
		p("r", 0, "ohm/m", "series resistance per length", &m.r),
		p("l", 0, "H/m", "series inductance per length", &m.l),
		p("g", 0, "S/m", "shunt conductance per length", &m.g).withGiven(&m.gGiven),
		p("c", 0, "F/m", "shunt capacitance per length", &m.c),
		p("length", 0, "m", "length of the line", &m.length).withGiven(&m.lenGiven),
		accepted("txl"),
	}}
}

// newTXL builds a TXL line with ngspice's refusals (g and length must be given) and
// those of the exact line: l and c positive (with r = 0, g = 0), or l = 0, g = 0 (the RC line).
func newTXL(e *parser.Element, c *parser.Circuit) (Device, error) {
	card, err := modelFor(e, c, "TXL line", "txl")
	if err != nil {
		return nil, err
	}
	var m txlModel
	if err := m.params().apply(card.Params, modelWhere(e, card)); err != nil {
		return nil, err
	}
	if len(e.Args()) > 0 {
		return nil, parser.Errorf(e.Args()[0].Pos, "%s: unexpected %q (a TXL line takes its model only)", e.Name, argText(e.Args()[0]))
	}
	if len(e.Params()) > 0 {
		return nil, parser.Errorf(e.Params()[0].Pos, "%s: unexpected %s= (a TXL line takes its model only)", e.Name, e.Params()[0].Name)
	}
	switch {
	case !m.lenGiven || !(m.length > 0):
		return nil, elementError(e, "model %s: a TXL line needs its length length= (positive), as in ngspice", card.Name)
	case !m.gGiven:
		return nil, elementError(e, "model %s: a TXL line needs its shunt conductance g= (0 for none), as in ngspice", card.Name)
	case m.r < 0 || m.l < 0 || m.g < 0 || m.c < 0:
		return nil, elementError(e, "model %s: r, l, g and c of a TXL line cannot be negative", card.Name)
	}
	o := &LTRA{name: e.Name, nodes: [4]string{e.Nodes[0], e.Nodes[1], e.Nodes[2], e.Nodes[3]}, txl: true,
		m: ltraModel{r: m.r, l: m.l, g: m.g, c: m.c, length: m.length, lenGiven: true, rel: 1, abs: 1}}
	switch {
	case m.l > 0 && m.c > 0 && m.r == 0 && m.g == 0:
		o.kind = ltraLC
	case m.l > 0 && m.c > 0 && m.r > 0:
		o.kind = ltraRLC // with g, the RLGC line
	case m.l == 0 && m.c > 0 && m.r > 0 && m.g == 0:
		o.kind = ltraRC
	default:
		return nil, elementError(e, "model %s: a TXL line needs l > 0 and c > 0 (and r > 0 when g > 0), or l = g = 0 with r, c > 0 (an RC line); found r=%g l=%g g=%g c=%g",
			card.Name, m.r, m.l, m.g, m.c)
	}
	o.makeKernels()
	return o, nil
}
