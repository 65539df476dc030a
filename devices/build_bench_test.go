package devices

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser"
)

// behaviouralChain is a netlist of n B sources, each reading the node of the one
// before it: a circuit whose build time is dominated by resolving probes.
func behaviouralChain(n int) string {
	var b strings.Builder
	b.WriteString("chain\nV0 n0 0 1\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "B%d n%d 0 V=0.5*v(n%d)+i(v0)\n", i, i, i-1)
	}
	b.WriteString(".end\n")
	return b.String()
}

// BenchmarkBuildBehavioural builds 5000 B sources whose probes must be resolved
// against the circuit (ns/op is per Build).
func BenchmarkBuildBehavioural(b *testing.B) {
	c, err := parser.Parse("chain.cir", []byte(behaviouralChain(5000)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(context.Background(), c, DefaultEnv()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlainPassiveAllocatesItself: a capacitor or inductor without parameters is built
// with one allocation, the device's, as the hundreds of thousands of a large mesh are;
// one with parameters still has them checked.
func TestPlainPassiveAllocatesItself(t *testing.T) {
	c, err := parser.Parse("p.cir", []byte("p\nC1 a 0 1p\nL1 a 0 1u\nC2 a 0 1p m=2 foo=1\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	env := DefaultEnv()
	for _, el := range c.Elements[:2] {
		construct := constructors[el.Kind]
		if n := testing.AllocsPerRun(100, func() { construct(el, c, env) }); n != 1 {
			t.Errorf("%s: %v allocations, want 1", el.Name, n)
		}
	}
	if _, err := newCapacitor(c.Elements[2], c, env); err == nil || !strings.Contains(err.Error(), `unknown parameter "foo"`) {
		t.Errorf("c2: %v, want an unknown parameter foo", err)
	}
}

// TestBuildTakesBlocks: Build takes a large circuit's resistors and capacitors from
// blocks, a few allocations for thousands of devices, and each is its own zero-started
// value with its element's values.
func TestBuildTakesBlocks(t *testing.T) {
	const n = 3000
	var b strings.Builder
	b.WriteString("ladder\nV1 n0 0 1\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "R%d n%d n%d %d\nC%d n%d 0 %dp\n", i, i-1, i, i, i, i, i)
	}
	b.WriteString(".end\n")
	c, err := parser.Parse("ladder.cir", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	var devs []Device
	allocs := testing.AllocsPerRun(3, func() {
		if devs, err = Build(context.Background(), c, DefaultEnv()); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%v allocations for %d devices", allocs, len(devs))
	if allocs > 200 {
		t.Errorf("%v allocations to build %d devices, want at most 200", allocs, len(devs))
	}
	seen := map[Device]bool{}
	for i, d := range devs[1:] {
		k := i/2 + 1
		switch d := d.(type) {
		case *Resistor:
			if d.Name() != fmt.Sprint("r", k) || d.g != 1/float64(k) || d.flicker != nil {
				t.Errorf("device %d: %s g=%g, want r%d g=%g", i+1, d.Name(), d.g, k, 1/float64(k))
			}
		case *Capacitor:
			if d.Name() != fmt.Sprint("c", k) || math.Abs(d.c/(float64(k)*1e-12)-1) > 1e-15 || d.hasIC {
				t.Errorf("device %d: %s c=%g, want c%d c=%g", i+1, d.Name(), d.c, k, float64(k)*1e-12)
			}
		}
		if seen[d] {
			t.Fatalf("device %d (%s) is another device's value", i+1, d.Name())
		}
		seen[d] = true
	}
}
