package parser

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses a netlist of 2000 element lines.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("bench\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&sb, "r%d n%d n%d %dk m=2\n", i, i, i+1, i%100+1)
		fmt.Fprintf(&sb, "c%d n%d 0 1p\n", i, i+1)
	}
	sb.WriteString("v1 n0 0 pulse(0 1 1n 1n 1n 5n 10n)\n.tran 1n 100n\n.end\n")
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.cir", src); err != nil {
			b.Fatal(err)
		}
	}
}

// rcMesh is the netlist of an n x n RC mesh: about 3n² element lines, as
// netlists/bench/mesh.sh makes for the comparison with ngspice.
func rcMesh(n int) []byte {
	var sb strings.Builder
	fmt.Fprintf(&sb, "RC mesh %dx%d\nV1 drv 0 PULSE(0 1 1n 1n 1n 50n 100n)\nRdrv drv n0_0 10\n", n, n)
	for i := range n {
		for j := range n {
			if j+1 < n {
				fmt.Fprintf(&sb, "Rh%d_%d n%d_%d n%d_%d 10\n", i, j, i, j, i, j+1)
			}
			if i+1 < n {
				fmt.Fprintf(&sb, "Rv%d_%d n%d_%d n%d_%d 10\n", i, j, i, j, i+1, j)
			}
			fmt.Fprintf(&sb, "C%d_%d n%d_%d 0 10f\n", i, j, i, j)
		}
	}
	fmt.Fprintf(&sb, ".save v(n%d_%d)\n.tran 1n 5n\n.end\n", n-1, n-1)
	return []byte(sb.String())
}

// BenchmarkMesh reads a 100 x 100 RC mesh (29,800 lines): ParseDeck (reading the lines)
// and Elaborate (the flat circuit) apart, with the time and bytes per line.
func BenchmarkMesh(b *testing.B) {
	src := rcMesh(100)
	lines := float64(strings.Count(string(src), "\n"))
	per := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/lines, "ns/line")
	}
	b.Run("deck", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseDeck(context.Background(), "mesh.cir", src); err != nil {
				b.Fatal(err)
			}
		}
		per(b)
	})
	b.Run("elaborate", func(b *testing.B) {
		d, err := ParseDeck(context.Background(), "mesh.cir", src)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Elaborate(context.Background(), Variant{}); err != nil {
				b.Fatal(err)
			}
		}
		per(b)
	})
}
