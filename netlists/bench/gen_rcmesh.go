//go:build ignore

// gen_rcmesh writes rcmesh.cir, the 50 x 50 RC mesh benchmark: go run gen_rcmesh.go > rcmesh.cir
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	const n = 50
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "RC mesh %dx%d: 10 ohm between neighbours, 10 fF to ground at each node\n", n, n)
	fmt.Fprintln(w, "* Benchmark (not a regression test). Regenerate with: go run gen_rcmesh.go > rcmesh.cir")
	fmt.Fprintln(w, "V1 drv 0 PULSE(0 1 1n 1n 1n 50n 100n)")
	fmt.Fprintln(w, "Rdrv drv n0_0 10")
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if j+1 < n {
				fmt.Fprintf(w, "Rh%d_%d n%d_%d n%d_%d 10\n", i, j, i, j, i, j+1)
			}
			if i+1 < n {
				fmt.Fprintf(w, "Rv%d_%d n%d_%d n%d_%d 10\n", i, j, i, j, i+1, j)
			}
			fmt.Fprintf(w, "C%d_%d n%d_%d 0 10f\n", i, j, i, j)
		}
	}
	fmt.Fprintf(w, ".save v(n%d_%d) v(n%d_%d)\n", n/2, n/2, n-1, n-1)
	fmt.Fprintln(w, ".tran 0.5n 200n")
	fmt.Fprintln(w, ".end")
}
