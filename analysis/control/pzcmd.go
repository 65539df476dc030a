package control

import (
	"context"
	"strings"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
	pc "github.com/gospice/gospice/parser/control"
)

// cmdPz runs pz in+ in- out+ out- vol|cur pol|zer|pz, as .pz.
func (in *Interp) cmdPz(ctx context.Context, c *pc.Command, args string) error {
	a, _, err := parser.NewPZ(strings.Fields(args), c.Pos)
	if err != nil {
		return err
	}
	return in.analyze(ctx, a)
}

// pzVectors are the complex vectors of a pz plot, as ngspice's pz1 holds them: pole(1)
// ... then zero(1) ..., each one value long, from the re(pole(1)) and im(pole(1))
// columns of the result.
func pzVectors(r *gospice.Result) []*Vector {
	names := r.Names()
	var vecs []*Vector
	for i := 0; i+1 < len(names); i += 2 {
		re, _ := r.Vector(names[i])
		im, _ := r.Vector(names[i+1])
		v := &Vector{Name: r.Columns()[i].Vector, Type: "voltage", Cplx: make([]complex128, len(re))}
		for k := range re {
			v.Cplx[k] = complex(re[k], im[k])
		}
		vecs = append(vecs, v)
	}
	return vecs
}
