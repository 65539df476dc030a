package sparse

import (
	"fmt"
	"testing"
)

func TestDebugMesh(t *testing.T) {
	c := rcMesh(50, 50)
	p, vals := assemble(c.size(), stamp(c, transient))
	lu := NewLU[float64](p)
	lu.Factor(vals)
	flops := 0
	for k := range lu.n {
		for t := lu.uStart[k]; t < lu.uStart[k+1]; t++ {
			s := lu.uRow[t]
			flops += 2 * (lu.lStart[s+1] - lu.lStart[s])
		}
	}
	fmt.Println("nnz", lu.Stats(), "L", len(lu.lRow), "U", len(lu.uRow), "flops", flops)
}
