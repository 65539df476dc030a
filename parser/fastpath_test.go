package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// grammarLine parses the tokens of one logical line with participle, as the slow path
// does.
func grammarLine(toks []lexer.Token) (*Line, error) {
	lex, err := lexer.Upgrade(&tokenLexer{tokens: toks, eof: eofToken("f.cir", toks)}, TokenComma)
	if err != nil {
		return nil, err
	}
	return lineParser.ParseFromLexer(lex, participle.AllowTrailing(true))
}

// compareFastPath checks, for every line of src that the fast path takes, that its AST
// is the grammar's, and that the circuits elaborated with and without the fast path are
// the same. It returns the number of lines the fast path took.
func compareFastPath(t *testing.T, name string, src []byte) int {
	t.Helper()
	lines, _, _ := scanFile(name, string(src), true, false, nil, nil)
	fast := 0
	var arena astArena
	for _, l := range lines {
		if l.bad || checkParens(l.tokens) != nil {
			continue
		}
		got := plainLine(l.tokens, nil)
		if got == nil {
			continue
		}
		arena.reset() // made again in the memory of the line before
		if inArena := plainLine(l.tokens, &arena); !reflect.DeepEqual(got, inArena) {
			t.Fatalf("%s: line %q: the AST made in an arena differs", name, text(l.tokens))
		}
		fast++
		want, err := grammarLine(l.tokens)
		if err != nil {
			t.Fatalf("%s: the fast path reads %q, the grammar does not: %v", name, text(l.tokens), err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: line %q:\nfast path %s\ngrammar   %s", name, text(l.tokens), dumpLine(got), dumpLine(want))
		}
	}
	compareCompact(t, name, src)
	defer func() { noFastPath = false }()
	sameCircuit(t, name, src, [2]string{"fast path", "grammar  "}, func(slow bool) { noFastPath = slow })
	return fast
}

// sameCircuit parses src in two ways, set(false) and set(true) choosing each, and fails
// when the errors or the flat circuits differ; ways name them in messages (of one width).
func sameCircuit(t *testing.T, name string, src []byte, ways [2]string, set func(second bool)) {
	t.Helper()
	var c [2]*Circuit
	var errs [2]string
	for k := range c {
		set(k == 1)
		var err error
		c[k], err = parseWith(name, src, fuzzRead)
		errs[k] = fmt.Sprint(err)
	}
	if errs[0] != errs[1] {
		t.Fatalf("%s: errors differ:\n%s %v\n%s %v", name, ways[0], errs[0], ways[1], errs[1])
	}
	c[0].Deck, c[1].Deck = nil, nil
	if !reflect.DeepEqual(c[0], c[1]) {
		t.Fatalf("%s: the circuits differ:\n%s %s\n%s %s", name, ways[0], render(c[0]), ways[1], render(c[1]))
	}
}

// compareCompact checks that the lines the scanner keeps compact make again the tokens
// it makes when it keeps them all, in an arena and without, and that the position map
// places the characters of their tokens as before. It returns the number of compact lines.
func compareCompact(t *testing.T, name string, src []byte) int {
	t.Helper()
	all, _, pmAll := scanFile(name, string(src), true, false, nil, nil)
	some, _, pmSome := scanFile(name, string(src), true, true, nil, nil)
	if len(all) != len(some) {
		t.Fatalf("%s: %d logical lines, %d when plain ones are compact", name, len(all), len(some))
	}
	n := 0
	var arena astArena
	for i, l := range some {
		want := all[i].tokens
		if wantCompact := !all[i].bad && isCompact(want) && all[i].tokens[0].Pos.Line == want[len(want)-1].Pos.Line; l.compact != wantCompact {
			t.Fatalf("%s: line %q: compact %v, want %v", name, text(want), l.compact, wantCompact)
		}
		if !l.compact {
			if !reflect.DeepEqual(l.tokens, want) {
				t.Fatalf("%s: line %q: the tokens differ when plain lines are compact", name, text(want))
			}
			continue
		}
		n++
		c := compactOf(&name, l.seg)
		if got := c.tokenize(nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: compact line %q: tokens\n%v\nwant\n%v", name, c.text, got, want)
		}
		if got := c.tokenize(&arena); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: compact line %q: the tokens made in an arena differ", name, c.text)
		}
		sl := &srcLine{compact: c, plain: true}
		if p, q := linePos(sl), toPos(want[0].Pos); p != q || sl.offset() != want[0].Pos.Offset {
			t.Fatalf("%s: compact line %q: at %v offset %d, want %v offset %d", name, c.text, p, sl.offset(), q, want[0].Pos.Offset)
		}
		if got, want := sl.first(), strings.ToLower(want[0].Value)[0]; got != want {
			t.Fatalf("%s: compact line %q: first byte %q, want %q", name, c.text, got, want)
		}
		for _, tok := range want {
			for k := range len(tok.Value) + 1 {
				if got, want := pmSome.at(tok.Pos, k), pmAll.at(tok.Pos, k); got != want {
					t.Fatalf("%s: compact line %q: %d after %v placed at %v, want %v", name, c.text, k, tok.Pos, got, want)
				}
			}
		}
	}
	return n
}

// isCompact reports whether the scanner keeps a line of one physical line whose tokens
// are toks as a compactLine: it is plain, and not an X, B, E or G line. The scanner asks
// compactText, which reads the same from the text.
func isCompact(toks []lexer.Token) bool {
	if !isPlain(toks) {
		return false
	}
	switch toks[0].Value[0] | 0x20 { // lowercase, for a letter
	case 'x', 'b', 'e', 'g':
		return false
	}
	return true
}

// tokensCompact is what the tokens of text say of it: whether a line of one physical line
// that holds it, tokenized, has no lexical error and is compact (isCompact).
func tokensCompact(text string) bool {
	s := &scanner{file: "f.cir"}
	s.tokenize([]segment{{text: text, line: 1, col: 1}})
	return !s.lines[0].bad && isCompact(s.lines[0].tokens)
}

// TestCompactText: compactText says what the tokens say, on lines at the edges of the
// fast path.
func TestCompactText(t *testing.T) {
	for _, tc := range []struct {
		line    string
		compact bool
	}{
		{"R1 a b 1k", true},
		{"R1 a b 1k m=2 tc1 = 1m", true},
		{"r1\ta\tb\t1k", true},
		{"R1", true},
		{"1 a b", true},
		{"R1 a b = 1", true},
		{"R1 a\u00a0b 1k", true}, // a Unicode space separates
		{"R\u00e9 a b 1k", true},
		{"R1 a b 1 m=", false},
		{"R1 = a", false},
		{"R1 a b x= = 1", false},
		{"R1 a b {1k}", false},
		{"R1 a b 'x'", false},
		{"R1 a b 1k m=2,3", false},
		{"V1 a 0 pulse(0 1)", false},
		{"R1 a b }", false},
		{"R1 a b \x01", false},
		{"R1 a b \xff", false},
		{".tran 1n 1u", false},
		{".5 a b 1", true},
		{"X1 a b sub", false},
		{"b1 a 0 v=1", false},
		{"E1 a 0 b 0 2", false},
		{"g1 a 0 b 0 2", false},
		{"=", false},
		{"", false},
	} {
		line := tc.line
		if got, want := compactText(line), tokensCompact(line); got != want || got != tc.compact {
			t.Errorf("%q: compactText %v, the tokens say %v, want %v", line, got, want, tc.compact)
		}
	}
}

// FuzzCompactText checks on any line that compactText says what its tokens say:
// go test -fuzz FuzzCompactText ./parser
func FuzzCompactText(f *testing.F) {
	for _, s := range []string{"R1 a b 1k m=2", "C1 n 0 1p ic = 0", "V1 a 0 pulse(0 1)", "R\u00e9 a b", ".op", "R1 a=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if line == "" {
			return // the scanner never tokenizes an empty line
		}
		if got, want := compactText(line), tokensCompact(line); got != want {
			t.Fatalf("%q: compactText %v, the tokens say %v", line, got, want)
		}
	})
}

// dumpLine shows an element line's AST, for a failure message.
func dumpLine(l *Line) string {
	if l.Element == nil {
		return fmt.Sprintf("%+v", *l)
	}
	s := fmt.Sprintf("%+v", *l.Element)
	for _, it := range l.Element.Items {
		s += fmt.Sprintf("\n  item %+v key %+v", *it, *it.Key)
		if it.Value != nil {
			s += fmt.Sprintf(" value %+v", *it.Value)
		}
	}
	return s
}

// TestFastPathSameAST checks the fast path against the grammar on hand-picked lines,
// the fuzz seeds, the repository's netlists and the shared corpus when present.
func TestFastPathSameAST(t *testing.T) {
	src := "t\nR1 a b 1k\nr2 a b 2 m=2 tc1 = 1m\nC1 a 0 10f\n+ ic=0\nL1 a b\n+ 1u\nV1 a 0 1\n" +
		"I1 a 0 dc 1m ac 1\nD1 a b dm area=2\n.model dm d\nM1 d g s b nm w=1u l=1u\n.model nm nmos\n" +
		"1 a b\nR3 a b = 1\nR4 a b 1 m=\nR5 a b r=1 =\nR6 a b x= = 1\nR7, a b 1\nR8 a b 1 $ c\n" +
		"Q1 c b e qm\n.model qm npn\nR9 a b {1}\nR10 a b 1 m=2,3\nE1 a 0 b 0 2\nX1 a b s\n" +
		".subckt s p q\nR1 p q 1\n.ends\nR11 a b 1 m=1e3k\nR12 n\xc3\xa9 b 1\n\xc3\x841 a b 1\n"
	if n := compareFastPath(t, "f.cir", []byte(src)); n < 12 {
		t.Errorf("the fast path took %d lines, want at least 12", n)
	}
	if n := compareCompact(t, "f.cir", []byte(src)); n < 10 {
		t.Errorf("%d compact lines, want at least 10", n)
	}
	for i, s := range fuzzSeeds {
		compareFastPath(t, fmt.Sprintf("seed%d.cir", i), []byte(s))
	}
	paths, _ := filepath.Glob("../netlists/*.cir")
	more, _ := filepath.Glob("../netlists/neuron/*.cir")
	paths = append(paths, more...)
	if _, err := os.Stat(corpusDir); err == nil {
		paths = append(paths, corpusFiles(t)...)
	}
	total := 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		total += compareFastPath(t, path, src)
	}
	t.Logf("%d files, %d lines on the fast path", len(paths), total)
}

// TestFastPathLines checks which lines the fast path takes.
func TestFastPathLines(t *testing.T) {
	for _, tc := range []struct {
		line string
		fast bool
	}{
		{"R1 a b 1k", true},
		{"R1 a b 1k m=2 tc1 = 1m", true},
		{"1 a b", true},
		{"R1", true},
		{"R1 a b {1k}", false},
		{"R1 a b 'x'", false},
		{"R1 a b 1k m=2,3", false},
		{"V1 a 0 pulse(0 1)", false},
		{"R1 a b = 1", true}, // items a and b=1
		{"R1 a b 1 m=", false},
		{"R1 a b x= = 1", false},
		{".tran 1n 1u", false},
	} {
		lines, errs, _ := scanFile("f.cir", "t\n"+tc.line, true, false, nil, nil)
		if len(errs) > 0 || len(lines) != 2 {
			t.Fatalf("%q: %v", tc.line, errs)
		}
		if got := isPlain(lines[1].tokens); got != tc.fast {
			t.Errorf("%q: fast path %v, want %v", tc.line, got, tc.fast)
		}
	}
}

// FuzzFastPath checks on any text that the fast path makes the grammar's AST and the
// same circuit: go test -fuzz FuzzFastPath ./parser
func FuzzFastPath(f *testing.F) {
	fuzzNetlists(f, "t\nR1 a b 1k m=2\nC1 b 0 1p ic = 0\nV1 a 0 1\n+ ac 1\nR1 x y 1\n.tran 1n 10n\n", func(t *testing.T, src []byte) {
		compareFastPath(t, "f.cir", src)
	})
}

// fuzzNetlists fuzzes check with netlist texts of at most 64 KiB and 2000 lines, seeded
// with fuzzSeeds and seed, and at most 10,000 elements to keep each run short.
func fuzzNetlists(f *testing.F, seed string, check func(t *testing.T, src []byte)) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(seed))
	saved := maxElements
	maxElements = 10000
	defer func() { maxElements = saved }()
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 || strings.Count(string(src), "\n") > 2000 {
			return
		}
		check(t, src)
	})
}
