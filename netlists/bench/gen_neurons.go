//go:build ignore

// gen_neurons writes the neuron-population benchmark: N independent 1M1T1R neurons (the
// native memristor, neurons100.cir) and the same with the memristor written as
// behavioural sources for ngspice (neurons100-bsource.cir), each neuron driven by its
// own pulse amplitude. Usage: go run gen_neurons.go [-n N] [-whole]
//
// -n sets the number of neurons (100: neurons100.cir, as committed; others write
// neurons<N>.cir and neurons<N>-bsource.cir); -whole adds .options partition=0 to the
// native netlist (written as neurons<N>-whole.cir), so that gospice simulates the
// population as one system rather than one neuron per block (docs/partition.md).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

var n = 100

func main() {
	flag.IntVar(&n, "n", 100, "number of neurons")
	whole := flag.Bool("whole", false, "simulate as one system: .options partition=0")
	flag.Parse()
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
	stem := fmt.Sprintf("neurons%d", n)
	if *whole {
		fmt.Fprintln(&native, ".options partition=0")
	}
	fmt.Fprintf(&native, ".save %s\n.tran 10u 300m uic\n.end\n", strings.Join(saves, " "))
	fmt.Fprintf(&bsource, ".ic %s\n.save %s\n.tran 10u 300m uic\n.end\n", ics(), strings.Join(saves, " "))
	nativeName := stem + ".cir"
	if *whole {
		nativeName = stem + "-whole.cir"
	}
	os.WriteFile(nativeName, []byte(native.String()), 0o644)
	os.WriteFile(stem+"-bsource.cir", []byte(bsource.String()), 0o644)
}

func ics() string {
	var s []string
	for i := 0; i < n; i++ {
		s = append(s, fmt.Sprintf("v(f%d)=0 v(r%d)=0 v(g%d)=0", i, i, i))
	}
	return strings.Join(s, " ")
}
