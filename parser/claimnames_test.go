package parser

import (
	"fmt"
	"strings"
	"testing"
)

// claimBothWays elaborates src with the element names claimed in line and beside the
// elaboration, and fails when the circuits or errors differ.
func claimBothWays(t *testing.T, name string, src []byte) {
	t.Helper()
	sameCircuitBeside(t, name, src, [2]string{"claimed in line", "claimed beside "}, &claimBesideLines)
}

// TestClaimNamesBeside: element names claimed beside the elaboration give the circuit
// and errors of names claimed in line, without duplicates and with them (elements,
// instances, Y elements, names made by subcircuits, duplicates in the first batch and
// after many), and with the lines that read the names after (.step, K, F).
func TestClaimNamesBeside(t *testing.T) {
	rs := func(from, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "R%d n%d n%d 1k\n", from+i, from+i, from+i+1)
		}
		return b.String()
	}
	cases := map[string]string{
		"mesh":      string(rcMesh(12)),
		"dup first": "t\nR1 a b 1k\nR1 b 0 2k\n" + rs(2, 20) + ".op\n",
		"dup late":  "t\n" + rs(0, 3*claimBatch) + "R5 a 0 1\nC5 a 0 {1p\n" + rs(0, 3) + ".op\n",
		"dup case":  "t\nr1 a b 1k\nR1 b 0 2k\nC1 a 0 1p\nc1 a 0 2p\n.op\n",
		"instances": "t\n.subckt s a b\nR1 a b 1k\n.ends\nX1 1 2 s\nX1 2 3 s\nx1.r1 1 0 1\nR1 1 0 1\n.op\n",
		"y":         "t\nYMEMRISTOR ym1 a 0 mm\nYMEMRISTOR ym1 a 0 mm\n.model mm memristor\nR1 a 0 1\n.op\n",
		"refs":      "t\nV1 a 0 1\nL1 a b 1u\nL2 b 0 1u\nK1 L1 L2 0.5\nK1 L1 L2 0.4\nF1 b 0 V1 2\nF1 b 0 V2 2\n.step R9 1 2 1\n.op\n",
		"step dup":  "t\nR1 a 0 1\nR1 a 0 2\n.step R1 1 2 1\n.op\n",
		"no dup":    "t\n" + rs(0, 2*claimBatch+7) + "V1 n0 0 1\n.op\n",
	}
	for name, text := range cases {
		claimBothWays(t, name+".cir", []byte(text))
	}
}

// FuzzClaimNamesBeside checks on any text that claiming element names beside the
// elaboration gives what claiming them in line gives: go test -fuzz FuzzClaimNamesBeside ./parser
func FuzzClaimNamesBeside(f *testing.F) {
	fuzzNetlists(f, "t\nR1 a b 1k\nr1 b 0 1\nX1 a b s\n.subckt s 1 2\nR1 1 2 1\n.ends\nx1.r1 a 0 1\n.end\n", func(t *testing.T, src []byte) {
		claimBothWays(t, "fuzz.cir", src)
	})
}
