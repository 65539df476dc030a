package devices

import (
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// PolySource is the POLY(n) form of E, F, G and H (parser.Poly): its output, a voltage
// (E, H) or a current (G, F) with the signs of the linear sources (controlled.go), is the
// SPICE2 polynomial y of its n controls x_j: the voltages v(nc_j+) - v(nc_j-) of E and G,
// the branch currents of the controlling voltage sources of F and H.
type PolySource struct {
	twoTerminal
	branch                // E and H: the output's branch current
	voltage  bool         // E and H: the output is a voltage
	ctlNodes []string     // E and G: nc1+ nc1- nc2+ nc2- ...
	ctlSrcs  []string     // F and H: the controlling sources
	dim      int          // n
	coeffs   []float64    // p0 p1 ...
	exps     []uint8      // the exponent of x_j in term t at [t*dim+j]
	plus     []int        // the unknown of each control's + side (a branch for F and H)
	minus    []int        // of its - side (ground for F and H)
	h        []mna.Handle // E, H: (k, plus_j), (k, minus_j); G, F: (a, plus_j), (a, minus_j), (b, plus_j), (b, minus_j)
}

func newPolySource(e *parser.Element) (Device, error) {
	if len(e.Params()) > 0 {
		return nil, elementError(e, "a POLY source takes no parameters (found %s=)", e.Params()[0].Name)
	}
	p := &PolySource{
		twoTerminal: newTwoTerminal(e),
		voltage:     e.Kind == 'e' || e.Kind == 'h',
		dim:         e.Poly().Dim,
		coeffs:      e.Poly().Coeffs,
		exps:        polyExponents(e.Poly().Dim, len(e.Poly().Coeffs)),
	}
	if e.Kind == 'e' || e.Kind == 'g' {
		p.ctlNodes = e.Nodes[2:]
	} else {
		p.ctlSrcs = e.Controls()
	}
	return p, nil
}

// polyExponents returns the exponents of the first nterms terms of SPICE2's polynomial in
// dim variables: degree by degree, and within a degree the products x_i1 x_i2 ... x_id
// with i1 <= i2 <= ... <= id in lexicographic order.
func polyExponents(dim, nterms int) []uint8 {
	exps := make([]uint8, 0, nterms*dim)
	idx := make([]int, 0, 8) // the indices i1 <= ... <= id of the present term
	for t := 0; t < nterms; t++ {
		term := make([]uint8, dim)
		for _, i := range idx {
			term[i]++
		}
		exps = append(exps, term...)
		idx = nextCombination(idx, dim)
	}
	return exps
}

// nextCombination returns the nondecreasing index sequence after idx in SPICE2's order:
// the next in lexicographic order of the same length, or the first of the next length.
func nextCombination(idx []int, dim int) []int {
	for k := len(idx) - 1; k >= 0; k-- {
		if idx[k] < dim-1 {
			idx[k]++
			for m := k + 1; m < len(idx); m++ {
				idx[m] = idx[k]
			}
			return idx
		}
	}
	idx = append(idx, 0)
	for k := range idx {
		idx[k] = 0
	}
	return idx
}

func (p *PolySource) Setup(b *mna.Builder) {
	p.a, p.b = b.Node(p.node(0)), b.Node(p.node(1))
	if p.voltage {
		p.setupBranch(b, p.Name(), p.a, p.b)
	}
	p.plus, p.minus = make([]int, p.dim), make([]int, p.dim)
	for j := 0; j < p.dim; j++ {
		if p.ctlNodes != nil {
			p.plus[j], p.minus[j] = b.Node(p.ctlNodes[2*j]), b.Node(p.ctlNodes[2*j+1])
		} else {
			p.plus[j], p.minus[j] = b.Branch(p.ctlSrcs[j]), mna.Ground
		}
	}
	p.h = p.h[:0]
	for j := 0; j < p.dim; j++ {
		if p.voltage {
			p.h = append(p.h, b.Entry(p.k, p.plus[j]), b.Entry(p.k, p.minus[j]))
		} else {
			p.h = append(p.h, b.Entry(p.a, p.plus[j]), b.Entry(p.a, p.minus[j]),
				b.Entry(p.b, p.plus[j]), b.Entry(p.b, p.minus[j]))
		}
	}
}

// Unlimited reports whether the polynomial has a term of degree two or more: Newton then
// goes without limiting, as for a behavioural source.
func (p *PolySource) Unlimited() bool {
	for t := 0; t < len(p.coeffs); t++ {
		deg := 0
		for _, e := range p.exps[t*p.dim : (t+1)*p.dim] {
			deg += int(e)
		}
		if deg > 1 {
			return true
		}
	}
	return false
}

// control returns x_j at ctx.X.
func (p *PolySource) control(ctx *Context, j int) float64 {
	return ctx.X[p.plus[j]] - ctx.X[p.minus[j]]
}

// value returns the polynomial at ctx.X.
func (p *PolySource) value(ctx *Context) float64 {
	y := 0.0
	for t, c := range p.coeffs {
		if c == 0 {
			continue
		}
		for j, e := range p.exps[t*p.dim : (t+1)*p.dim] {
			if e > 0 {
				c *= pow(p.control(ctx, j), e)
			}
		}
		y += c
	}
	return y
}

// partial returns dy/dx_j at ctx.X.
func (p *PolySource) partial(ctx *Context, j int) float64 {
	d := 0.0
	for t, c := range p.coeffs {
		exps := p.exps[t*p.dim : (t+1)*p.dim]
		if c == 0 || exps[j] == 0 {
			continue
		}
		for i, e := range exps {
			switch {
			case i == j:
				c *= float64(e) * pow(p.control(ctx, i), e-1)
			case e > 0:
				c *= pow(p.control(ctx, i), e)
			}
		}
		d += c
	}
	return d
}

// pow returns x^n for a small whole n.
func pow(x float64, n uint8) float64 {
	r := 1.0
	for ; n > 0; n-- {
		r *= x
	}
	return r
}

func (p *PolySource) Load(ctx *Context) {
	y := p.value(ctx)
	if p.voltage {
		p.loadBranch(ctx, p.a, p.b)
		ctx.F[p.k] -= y
	} else {
		ctx.F[p.a] += y
		ctx.F[p.b] -= y
	}
	for j := 0; j < p.dim; j++ {
		d := p.partial(ctx, j)
		if p.voltage {
			ctx.G[p.h[2*j]] -= d
			ctx.G[p.h[2*j+1]] += d
		} else {
			h := p.h[4*j : 4*j+4]
			ctx.G[h[0]] += d
			ctx.G[h[1]] -= d
			ctx.G[h[2]] -= d
			ctx.G[h[3]] += d
		}
	}
}
