//go:build ignore

// gen_inverters200 writes inverters200.cir, a chain of 200 CMOS inverters (level-1
// MOSFETs with every capacitance) driven by a pulse: go run gen_inverters200.go > inverters200.cir
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	const n = 200
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "Chain of %d CMOS inverters, level-1 MOSFETs with gate, overlap and junction capacitances\n", n)
	fmt.Fprintln(w, "* Benchmark (not a regression test). Regenerate with: go run gen_inverters200.go > inverters200.cir")
	fmt.Fprintln(w, "VDD vdd 0 3.3")
	fmt.Fprintln(w, "VIN n0 0 PULSE(0 3.3 1n 0.2n 0.2n 4.8n 10n)")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "MP%d n%d n%d vdd vdd pch W=4u L=0.5u AD=4p AS=4p PD=10u PS=10u\n", i, i, i-1)
		fmt.Fprintf(w, "MN%d n%d n%d 0 0 nch W=2u L=0.5u AD=2p AS=2p PD=6u PS=6u\n", i, i, i-1)
	}
	fmt.Fprintln(w, ".model nch nmos level=1 vto=0.6 kp=120u gamma=0.45 phi=0.7 lambda=0.05 tox=9n")
	fmt.Fprintln(w, "+ cgso=0.3n cgdo=0.3n cgbo=0.2n cj=0.9m cjsw=0.25n mj=0.45 mjsw=0.3 pb=0.85 ld=0.05u")
	fmt.Fprintln(w, ".model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.08 tox=9n")
	fmt.Fprintln(w, "+ cgso=0.3n cgdo=0.3n cgbo=0.2n cj=0.9m cjsw=0.25n mj=0.45 mjsw=0.3 pb=0.9 ld=0.05u")
	fmt.Fprintf(w, ".save v(n1) v(n%d) v(n%d)\n", n/2, n)
	fmt.Fprintln(w, ".tran 0.05n 40n")
	fmt.Fprintln(w, ".end")
}
