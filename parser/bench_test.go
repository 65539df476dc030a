package parser

import (
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
