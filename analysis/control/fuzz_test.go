package control

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/parser"
)

// FuzzControl runs any text as the .control block of a small circuit: a command may fail,
// but never panic or hang.
func FuzzControl(f *testing.F) {
	sim, err := gospice.Parse("f.cir", "fuzz\nv1 in 0 dc 1 ac 1 pulse(0 1 0 1n 1n 1u 2u)\nr1 in out 1k\nc1 out 0 1n\n.tran 10n 1u\n.end\n")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"op\nprint all\nlet x = out[0,0] + in\nprint x\n",
		"tran 10n 100n\nlet d = deriv(v(out))\nprint d[3] integ(out)[2] mean(out) length(time)\nmeas tran m max v(out)\n",
		"ac dec 2 1k 10k\nprint db(v(out)) ph(v(out)) cph(out)\nwrdata w.txt v(out)\n",
		"foreach r 1k 2k\nalter r1 $r\nop\nprint v(out)\nend\nreset\naltermod x vto = 1\n",
		"set a = ( 1 2 )\necho $a $#a $?a $&time\nunset a\nsetplot\ndestroy all\ncompose c values 1 2\n",
		"dc v1 0 1 0.5\nlet y[1] = 3\nunlet y\nprint v(in) > out.txt\nrepeat 3\nbreak\nend\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var lines []parser.ControlLine
		for i, l := range strings.Split(text, "\n") {
			lines = append(lines, parser.ControlLine{Pos: parser.Pos{File: "f", Line: int32(i + 1), Col: 1}, Text: l})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		in := New(sim, Options{Dir: t.TempDir()})
		start := time.Now()
		in.RunBlocks(ctx, []parser.ControlBlock{{Lines: lines}})
		if took := time.Since(start); took > 10*time.Second {
			t.Fatalf("the script ran %v after it was stopped at 5 s", took)
		}
	})
}
