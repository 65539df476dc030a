package parser

import (
	"fmt"
	"strings"
	"testing"
)

// aheadBothWays elaborates src with the syntax of its compact lines made in line and
// ahead, beside the elaboration, and fails when the circuits or errors differ.
func aheadBothWays(t *testing.T, name string, src []byte) {
	t.Helper()
	sameCircuitBeside(t, name, src, [2]string{"syntax in line", "syntax ahead  "}, &syntaxAheadLines)
}

// TestSyntaxAhead: the ASTs of compact lines made ahead of the elaboration give the
// circuit and errors of ASTs made in line: over several chunks, with lines that are not
// compact between them, subcircuits whose bodies are read per instance, lines left out
// by .if, errors, an elaboration stopped at the most elements, chunks that end at the
// last line or past it, and enough elements for the large blocks of the top level's
// elements (elementBlocks.reserve) and for instances' blocks made ahead (blocksahead.go).
func TestSyntaxAhead(t *testing.T) {
	rs := func(from, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "R%d n%d n%d %dk m=2\nC%d n%d 0 1p\n", from+i, from+i, from+i+1, i%7+1, from+i, from+i)
		}
		return b.String()
	}
	xs := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "X%d n%d x%d s\n", i, i, i)
		}
		return b.String()
	}
	cases := map[string]string{
		"mesh":       string(rcMesh(12)),
		"one chunk":  "t\n" + rs(0, aheadLines/2-1) + ".op\n",
		"exact":      "t\n" + rs(0, aheadLines/2) + ".op\n",
		"mixed":      "t\n" + rs(0, 300) + "V1 n0 0 dc 1 ac 1\nB1 n5 0 v=v(n3)*2\n.param r=2k\nR9 n9 0 {r}\n" + rs(300, 300) + ".op\n",
		"subckt":     "t\n.subckt s a b\nR1 a b 1k\nC1 b 0 1p\n.ends\n" + rs(0, 200) + "X1 n1 n2 s\nX2 n3 n4 s\n" + rs(200, 200) + ".op\n",
		"if":         "t\n.param p=1\n" + rs(0, 150) + ".if (p == 1)\n" + rs(150, 150) + ".else\n" + rs(300, 150) + ".endif\n" + rs(450, 10) + ".op\n",
		"errors":     "t\n" + rs(0, 200) + "R1 a b\nQ1 a b\nR2x a b 1q\n" + rs(200, 200) + "Zz a b 1\n.op\n",
		"dup":        "t\n" + rs(0, 200) + "R3 a b 1\n.op\n",
		"continued":  "t\n" + rs(0, 130) + "R999 a b\n+ 1k\n" + rs(130, 130) + ".op\n",
		"end inside": "t\n" + rs(0, 140) + ".end\n" + rs(140, 140),
		"blocks":     "t\n" + rs(0, 5*elementBlock/2) + ".op\n", // the top level's elements in large blocks
		// Instances' elements, from blocks made ahead when they reach the full size.
		"instances": "t\n.subckt s a b\nR1 a b 1k\nC1 b 0 1p\n.ends\n" + rs(0, 100) + xs(3*elementBlock/2) + rs(100, 100) + ".op\n",
	}
	for name, text := range cases {
		aheadBothWays(t, name+".cir", []byte(text))
	}
	saved := maxElements
	maxElements = 300
	defer func() { maxElements = saved }()
	aheadBothWays(t, "too many.cir", []byte("t\n"+rs(0, 400)+".op\n"))
}

// FuzzSyntaxAhead checks on any text that making the ASTs of compact lines ahead of the
// elaboration gives what making them in line gives: go test -fuzz FuzzSyntaxAhead ./parser
func FuzzSyntaxAhead(f *testing.F) {
	fuzzNetlists(f, "t\nR1 a b 1k\nC1 b 0 1p\nX1 a b s\n.subckt s 1 2\nR1 1 2 1\n.ends\nR2 a 0 1 m=2\n.end\n", func(t *testing.T, src []byte) {
		aheadBothWays(t, "fuzz.cir", src)
	})
}
