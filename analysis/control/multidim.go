package control

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	pc "github.com/gospice/gospice/parser/control"
)

// cmdReshape gives vectors new dimensions, as ngspice's reshape: reshape v1 v2 [5][6]
// (or [5,6]; one dimension may be left empty, [,6], for the rest). The values stay in
// their order; the product of the dimensions must be the vector's length. Without
// dimensions the vectors stay as they are, as in ngspice 39.
func (in *Interp) cmdReshape(ctx context.Context, c *pc.Command, args string) error {
	names, dimText, _ := strings.Cut(args, "[")
	if strings.TrimSpace(dimText) == "" {
		return nil
	}
	dims, missing, err := readDims("[" + dimText)
	if err != nil {
		return err
	}
	for _, name := range strings.Fields(names) {
		v, p, err := in.find(name)
		if err != nil {
			return fmt.Errorf("'%s' vector not found", name)
		}
		d := slices.Clone(dims)
		prod := 1
		for _, x := range d {
			if x > 0 {
				prod *= x
			}
		}
		if missing >= 0 && prod > 0 && v.Len()%prod == 0 {
			d[missing] = v.Len() / prod
			prod = v.Len()
		}
		if prod != v.Len() || missing >= 0 && d[missing] == 0 {
			return fmt.Errorf("dimensions don't fit \"%s\" (total size = %d)", name, v.Len())
		}
		nv := v.copyAs(v.Name)
		nv.Dims = d
		if len(d) < 2 {
			nv.Dims = nil
		}
		p.set(nv)
	}
	return nil
}

// readDims reads reshape's dimensions, [5][6] or [5,6]: the numbers and the place of the
// one left empty (-1 when none is).
func readDims(s string) ([]int, int, error) {
	inner := strings.TrimSpace(s)
	if !strings.HasPrefix(inner, "[") || !strings.HasSuffix(inner, "]") {
		return nil, 0, fmt.Errorf("bad dimensions %s", s)
	}
	inner = strings.ReplaceAll(inner[1:len(inner)-1], " ", "")
	fields := strings.Split(strings.ReplaceAll(inner, "][", ","), ",")
	dims := make([]int, len(fields))
	missing := -1
	for k, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			if missing >= 0 {
				return nil, 0, fmt.Errorf("more than one dimension left empty in %s", s)
			}
			missing = k
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, 0, fmt.Errorf("bad dimension %q in %s", f, s)
		}
		dims[k] = n
	}
	return dims, missing, nil
}

// cmdTranspose swaps the last two dimensions of multi-dimensional vectors, as ngspice's
// transpose: a [5][6] vector becomes [6][5] with v[j][i] the old v[i][j]; of a [2][3][4]
// vector each of the two [3][4] blocks is transposed. A vector of one dimension stays.
func (in *Interp) cmdTranspose(ctx context.Context, c *pc.Command, args string) error {
	for _, name := range strings.Fields(args) {
		v, p, err := in.find(name)
		if err != nil {
			return fmt.Errorf("'%s' vector not found", name)
		}
		if len(v.Dims) < 2 {
			continue
		}
		p.set(transposed(v))
	}
	return nil
}

// transposed is v with its last two dimensions swapped.
func transposed(v *Vector) *Vector {
	k := len(v.Dims)
	rows, cols := v.Dims[k-2], v.Dims[k-1]
	nv := v.copyAs(v.Name)
	nv.Dims[k-2], nv.Dims[k-1] = cols, rows
	block := rows * cols
	for b := 0; b < v.Len(); b += block {
		for i := range rows {
			for j := range cols {
				from, to := b+i*cols+j, b+j*rows+i
				if v.Cplx != nil {
					nv.Cplx[to] = v.Cplx[from]
				} else {
					nv.Real[to] = v.Real[from]
				}
			}
		}
	}
	return nv
}
