package parser

import (
	"errors"
	"os"
	"testing"
)

// fuzzSeeds are small netlists that reach the corners of the lexer and the elaboration.
var fuzzSeeds = []string{
	"",
	"title\nR1 a b 1k\nC1 b 0 1p IC=0\nV1 a 0 PULSE(0 1 1n 1n 1n 5n 10n) AC 1\n.tran 1n 100n\n.end\n",
	"t\nv1 1 0 dc 0 sin 0 1 1k 0 0 distof1 0\n+ ac 1\n.ac dec 10 1 1meg\n.print ac vdb(1)\n",
	"t\nr1 a b {1k}\nr2 b c 'x'\nr3 c d {a{b}}\n",
	"t\n.model m nmos(level=1 vto=0.5\n* comment\n\n+ kp=1e-5)\n.options reltol=1e-4 method=gear foo\n",
	"t\n.ic v(a)=1 v(b,c)=2\n.save all v(a) i(v1) x#branch\n.dc v1 0 1 0.1 v2 0 5 1\n",
	"t\n.control\nlet a = 'b\n.endc\n.title new\n+\n+ \n",
	"t\nr1 a b 1k ; c\nr2 a b 1k $ c\n$ c\n* c\n",
	"t\nv1 a b pwl(0 0 1n 1 2n 0) pulse 0 1\ni1 a b exp(0 1)\n",
	"t\nq1 a b c\nr1 a\nr1 a b\n.foo\n.subckt x\n",
	"t\n\x00\xff{(\n)}'",
	"t\nq1 c b e s qm 2 off ic=1,2\nq2 c b e qm\nm1 d g s b nm ic=1 2 3 w=1u\nd1 a b 1n4148 off m=1,2\n" +
		"s1 a b c d sw on\nd2 a b tj 1n4148\n.model qm npn\n.model nm nmos level=1 version=3.3.0\n" +
		".model 1n4148 d\n.model sw sw\n.temp 27 50\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if files, err := os.ReadDir(corpusDir); err == nil && len(files) > 0 {
		for _, path := range corpusFiles(f) {
			if src, err := os.ReadFile(path); err == nil {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := parse("f.cir", src) // no recover: a panic fails the fuzz run
		if c == nil {
			t.Fatal("nil circuit")
		}
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T", err)
			}
			if len(list) == 0 || len(list) > MaxErrors+1 {
				t.Fatalf("%d errors", len(list))
			}
			for _, e := range list {
				if e.Pos.File != "f.cir" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("bad position: %v", e)
				}
			}
		}
		for _, w := range c.Warnings {
			if w.Pos.Line < 1 || w.Pos.Col < 1 {
				t.Fatalf("bad warning position: %v", w)
			}
		}
		for _, e := range c.Elements {
			if e.Name == "" || len(e.Nodes) != len(e.NodePos) {
				t.Fatalf("bad element %+v", e)
			}
		}
	})
}
