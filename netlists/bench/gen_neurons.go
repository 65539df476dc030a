//go:build ignore

// gen_neurons writes the neuron-population benchmark: N independent 1M1T1R neurons (the
// native memristor, neurons100.cir) and the same with the memristor written as
// behavioural sources for ngspice (neurons100-bsource.cir), each neuron driven by its
// own pulse amplitude. Usage: go run gen_neurons.go
package main

import (
	"fmt"
	"os"
	"strings"
)

const n = 100

func main() {
	var native, bsource strings.Builder
	header := func(b *strings.Builder, what string) {
		fmt.Fprintf(b, "%d 1M1T1R neurons, %s\n", n, what)
		fmt.Fprintln(b, "* Benchmark (not a regression test). Regenerate with: go run gen_neurons.go")
		fmt.Fprintln(b, ".model nm nmos level=1 vto=0.22 kp=7.5e-4")
		fmt.Fprintln(b, "Vdd vdd 0 0.5")
	}
	header(&native, "native diffusive memristors")
	header(&bsource, "memristors as behavioural sources (ngspice)")
	fmt.Fprintln(&native, ".model dm memristor level=diffusive")
	fmt.Fprintln(&bsource, ".param mu=150 alpha=0.01 beta=20 g1=600 g2=5 lam=0.2 ron=1e6 roff=1e12")
	var saves []string
	for i := 0; i < n; i++ {
		amp := 0.6 + 0.4*float64(i)/float64(n-1)
		for _, b := range []*strings.Builder{&native, &bsource} {
			fmt.Fprintf(b, "V%d in%d 0 PULSE(0 %.4f 0 1u 1u 1m 2m)\n", i, i, amp)
			fmt.Fprintf(b, "Cg%d g%d 0 10p\nRc%d g%d 0 50meg\nM%d d%d g%d 0 0 nm W=1u L=1u\nRl%d vdd d%d 47k\n", i, i, i, i, i, i, i, i, i)
		}
		fmt.Fprintf(&native, "YMEMRISTOR y%d in%d g%d dm\n", i, i, i)
		x := fmt.Sprintf("min(max(v(f%d)+v(r%d),0),1)", i, i)
		fmt.Fprintf(&bsource, "Cf%d f%d 0 1\nCr%d r%d 0 1\n", i, i, i, i)
		fmt.Fprintf(&bsource, "Bf%d 0 f%d I = -(g1+beta)*v(f%d) + (v(in%d) > v(g%d) ? mu*(v(in%d)-v(g%d))/(alpha+abs(1-%s)) : 0)\n", i, i, i, i, i, i, i, x)
		fmt.Fprintf(&bsource, "Br%d 0 r%d I = -g2*v(r%d) + beta*v(f%d)\n", i, i, i, i)
		fmt.Fprintf(&bsource, "Bm%d in%d g%d I = (v(in%d)-v(g%d)) / (ron*%s + roff*(exp((1-%s)/lam)-1)/(exp(1/lam)-1))\n", i, i, i, i, i, x, x)
		if i%25 == 0 {
			saves = append(saves, fmt.Sprintf("v(g%d)", i))
		}
	}
	fmt.Fprintf(&native, ".save %s\n.tran 10u 300m uic\n.end\n", strings.Join(saves, " "))
	fmt.Fprintf(&bsource, ".ic %s\n.save %s\n.tran 10u 300m uic\n.end\n", ics(), strings.Join(saves, " "))
	os.WriteFile("neurons100.cir", []byte(native.String()), 0o644)
	os.WriteFile("neurons100-bsource.cir", []byte(bsource.String()), 0o644)
}

func ics() string {
	var s []string
	for i := 0; i < n; i++ {
		s = append(s, fmt.Sprintf("v(f%d)=0 v(r%d)=0 v(g%d)=0", i, i, i))
	}
	return strings.Join(s, " ")
}
