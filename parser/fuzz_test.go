package parser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gospice/gospice/parser/expr"
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
	"t\n.param a=1 b={a*2} c='b+1' d = a == b ? 1 : 2\n.func f(x) {x*a}\n.func g(x,y) x+y\nR1 a b {f(c)}\nR2 a b r=a*2\n",
	"t\n.param a=b b=a\n.param c={1/0}\nR1 a b {nope + sqrt(-1)}\n.func r(x) {r(x)}\nR2 a b {r(1)}\n",
	"t\n.subckt s a b params: p=1 q={p*2}\nR1 a m {p}\nR2 m b {q}\n.model dm d is={p*1f}\nD1 a b dm\n.ends s\nX1 n1 n2 s p=3\nX2 n2 0 s\n.ic v(x1.m)=1\n",
	"t\n.subckt a p\nX1 p b\n.ends\n.subckt b p\nX2 p a\n.ends\nX0 n a\n.subckt o x\n.subckt i y\n.ends\nX1 x i\n.ends\nX9 n o\n",
	"t\n.include inc.lib\n.lib inc.lib tt\n.lib local\nR9 a 0 1\n.endl\n.lib f.cir local\n.include nothere\n",
	"t\nE1 a 0 b 0 2\nE2 a 0 value={v(b)*2}\nG1 a 0 cur='v(a,b)/1k'\nVx a b 0\nF1 c 0 vx 2\nH1 d 0 vx 3\nB1 e 0 v = v(a) == 1 ? i(vx) : time\n" +
		"L1 a 0 1u\nL2 b 0 1u\nK1 L1 L2 0.5\nE3 a 0 poly(1) b 0 0 1\n",
	"t\nV1 a 0 sffm(0 1 1k 5 100)\nV2 b 0 am 1 0 100 1k\nV3 c 0 trnoise(1n 1n 0 0)\nV4 d 0 trrandom(2 1m 0 1)\n.model d d is='1e-12*temper'\n",
	"t\n.global vdd\n.subckt inv in out\nM1 out in vdd vdd pm\n.model pm pmos\n.ends\nXinv a b inv\n.csparam x=1\n.probe alli\n",
	"t\nV1 a 0 pwl file=d.txt r=1m td=1u\nI1 a 0 PWL(file=\"d.txt\" td=-1m)\nV2 b 0 pwl(0 0 1m 1 2m 0 r=0) td=2m\nR1 a b 1k\n",
}

// fuzzFiles are the files that the fuzzed netlists may include.
var fuzzFiles = map[string]string{
	"inc.lib": ".param rr=1k\n.lib tt\n.model dm d\n.endl tt\n.subckt s a\nR1 a 0 {rr}\n.ends\n",
	"d.txt":   "* a PWL file\n0 0\n1m,1\n2m\t0\n",
}

func fuzzRead(name string) ([]byte, error) {
	if s, ok := fuzzFiles[filepath.Base(name)]; ok {
		return []byte(s), nil
	}
	return nil, errors.New("no such file")
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	// The repository's own netlists, small enough to mutate quickly.
	for _, pattern := range []string{"../netlists/*.cir", "../netlists/neuron/*.cir"} {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			if src, err := os.ReadFile(path); err == nil && len(src) <= 4<<10 {
				f.Add(src)
			}
		}
	}
	if files, err := os.ReadDir(corpusDir); err == nil && len(files) > 0 {
		for _, path := range corpusFiles(f) {
			if src, err := os.ReadFile(path); err == nil {
				f.Add(src)
			}
		}
	}
	saved := maxElements
	maxElements = 10000 // keep each run short
	defer func() { maxElements = saved }()
	f.Fuzz(func(t *testing.T, src []byte) {
		// An input that takes this long is a bug (a blow-up the limits miss): crash the
		// worker, so that the fuzzer keeps the input.
		slow := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("slow input: %q", src)) })
		defer slow.Stop()
		c, err := parseWith("f.cir", src, fuzzRead) // no recover: a panic fails the fuzz run
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
				if e.Pos.File == "" || e.Pos.Line < 1 || e.Pos.Col < 1 {
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
			if e.Name == "" || len(e.Nodes) != len(e.NodePos) || len(e.Controls()) != len(e.ControlPos()) {
				t.Fatalf("bad element %+v", e)
			}
			if e.Expr() != nil {
				if _, err := expr.Parse(expr.String(e.Expr())); err != nil {
					t.Fatalf("%s: expression %q does not read back: %v", e.Name, expr.String(e.Expr()), err)
				}
			}
		}
	})
}
