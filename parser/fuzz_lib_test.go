package parser

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// FuzzLibrary fuzzes an included library, the text that is read lazily (lazy.go,
// lazybody.go, models.go): a netlist instantiates subcircuits and binned models of it.
func FuzzLibrary(f *testing.F) {
	f.Add([]byte(lazyLib))
	f.Add([]byte(".subckt fet d g s b mult=1\n+ \n.param l=1 w=1 nf=1\nM0 d g s b cell l={l} w={w} nf={nf}\n" +
		".model cell.1 nmos level=54 lmin=0.1u lmax=1u wmin=0.1u wmax=5u rsh={89*nf/w}\n" +
		".model cell.2 nmos (level=54 lmin=1u lmax=10u wmin=0.1u wmax=5u)\n.ends\n.option scale=1u\n"))
	f.Add([]byte(".subckt used a b\n.subckt\n.ends\n.ends\n.subckt fet\n\r\n+\n.ends\n.model cell.x nmos lmin=(1\n"))
	f.Add([]byte(".lib sec\n.subckt insec a b\n.control\n.ends\n.endl\n.subckt used a b\nR1 a b {1k +\n+ x}\n.ends"))
	main := []byte("t\n.include lib.spice\nX1 1 0 used\nX2 d g 0 0 fet l=0.5 w=1\nX3 1 0 insec\nM1 d g 0 0 cell l=1u w=1u\nV1 1 0 1\n")
	f.Fuzz(func(t *testing.T, lib []byte) {
		slow := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("slow input: %q", lib)) })
		defer slow.Stop()
		read := func(name string) ([]byte, error) {
			if name == "lib.spice" {
				return lib, nil
			}
			return nil, errors.New("no such file")
		}
		c, err := parseWith("f.cir", main, read)
		if c == nil {
			t.Fatal("nil circuit")
		}
		var list ErrorList
		if err != nil && !errors.As(err, &list) {
			t.Fatalf("error is %T", err)
		}
		for _, e := range list {
			if e.Pos.File == "" || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("bad position: %v", e)
			}
		}
	})
}
