package parser

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// mapReader reads the files of a map, and fails for the others as readIncluded does.
func mapReader(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, errors.New("no such file")
	}
}

// deckBothWays parses src with the early look for a missing include and without it.
func deckBothWays(t testing.TB, src string, files map[string]string) (early, late *Deck) {
	t.Helper()
	ctx := context.Background()
	early, err := parseDeck(StopAtMissingInclude(ctx), "dir/main.cir", []byte(src), mapReader(files))
	if err != nil {
		t.Fatal(err)
	}
	if late, err = parseDeck(ctx, "dir/main.cir", []byte(src), mapReader(files)); err != nil {
		t.Fatal(err)
	}
	return early, late
}

// TestMissingIncludeEarly: the missing include that is reported before the netlist is
// parsed is the one the parse reports, at the same place; lines the early look is not
// sure of are left to the parse.
func TestMissingIncludeEarly(t *testing.T) {
	files := map[string]string{"dir/there.inc": ".param a=1\n", "dir/lib.lib": ".lib tt\n.param b=2\n.endl\n"}
	body := "R1 a 0 1\nC1 a 0 1p\n"
	tests := []struct {
		name  string
		src   string
		early bool // found before the parse
	}{
		{"plain", "t\n" + body + ".include nothere.inc\n", true},
		{"after a good one", "t\n.include there.inc\n" + body + ".INC  'no where.inc' ; comment\n", true},
		{"double quotes", "t\n   .include \"no where.inc\"\r\n" + body, true},
		{"tab", "t\n.include\tsub/none.inc $ said\n" + body, true},
		{"after a control block", "t\n.control\n.include nothere.inc\n.endc\n" + body + ".include gone.inc\n", true},
		{"in a control block only", "t\n.control\n.include nothere.inc\n.endc\n" + body, false},
		{"continued", "t\n.include\n* a comment\n+ nothere.inc\n" + body, false},
		{"two words", "t\n.include a b\n" + body, false},
		{"after .lib", "t\n.lib lib.lib tt\n.include nothere.inc\n" + body, false},
		{"after .end", "t\n" + body + ".end\n.include nothere.inc\n", false},
		{"in the title", ".include nothere.inc\n" + body, false},
		{"absolute", "t\n.include /nothere/x.inc\n" + body, true},
		{"unterminated quote", "t\n.include \"nothere.inc\n" + body, false},
		{"none missing", "t\n.include there.inc\n" + body, false},
	}
	for _, tc := range tests {
		early, late := deckBothWays(t, tc.src, files)
		var lateFirst string
		for _, e := range late.errs {
			if strings.Contains(e.Msg, "cannot read") {
				lateFirst = e.Error()
				break
			}
		}
		got := early.Errors()
		t.Logf("%s: %v", tc.name, got)
		if tc.early {
			if early.lines != nil || len(got) != 1 || got[0].Error() != lateFirst || !early.Incomplete() || !late.Incomplete() {
				t.Errorf("%s: early %q (%d lines), the parse's first %q", tc.name, got, len(early.lines), lateFirst)
			}
			continue
		}
		if !reflect.DeepEqual(got, late.Errors()) || len(early.lines) != len(late.lines) || early.Incomplete() != late.Incomplete() {
			t.Errorf("%s: not left to the parse: early %q, parse %q", tc.name, got, late.Errors())
		}
	}
}

// FuzzMissingInclude: whenever the early look reports a missing include, the parse
// reports the same error and finds the netlist incomplete too.
func FuzzMissingInclude(f *testing.F) {
	for _, s := range []string{
		"t\n.include nothere.inc\n", "t\n.control\n.include x\n.endc\n.inc 'a b'\n",
		"t\n.include there.inc\n.include\n+ x\n", "t\r\n.INCLUDE \"x y\" ; c\r\nR1 a 0 1\n",
		"t\n.lib x y\n.inc z\n", "t\n.include a\t\n.end\n",
	} {
		f.Add(s)
	}
	files := map[string]string{"dir/there.inc": "R9 b 0 1\n"}
	f.Fuzz(func(t *testing.T, src string) {
		early, late := deckBothWays(t, src, files)
		if !early.Incomplete() || early.lines != nil {
			return
		}
		got := early.Errors()
		if len(got) != 1 || !late.Incomplete() || !slicesContains(late.errs, got[0].Error()) {
			t.Fatalf("early %q, parse %q (incomplete %v)", got, late.Errors(), late.Incomplete())
		}
	})
}

// slicesContains reports whether an error of l reads msg.
func slicesContains(l ErrorList, msg string) bool {
	for _, e := range l {
		if e.Error() == msg {
			return true
		}
	}
	return false
}
