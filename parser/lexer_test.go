package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

var tokenNames = map[lexer.TokenType]string{
	TokenTitle: "T", TokenNewline: "NL", TokenDot: "D", TokenIdent: "I",
	TokenNumber: "N", TokenExpr: "E", TokenPunct: "P", TokenComma: "P",
}

// lexString renders the tokens of src as TYPE:value@line:col, space-separated.
func lexString(src string) (string, ErrorList) {
	lines, errs := scan("t.cir", []byte(src))
	var out []string
	for _, l := range lines {
		for _, t := range l.tokens {
			v := t.Value
			if t.Type == TokenNewline {
				v = ""
			}
			out = append(out, fmt.Sprintf("%s:%s@%d:%d", tokenNames[t.Type], v, t.Pos.Line, t.Pos.Column))
		}
	}
	return strings.Join(out, " "), errs
}

func TestLexer(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty file", "", "T:@1:1 NL:@1:1"},
		{"title only", "My Title  \n", "T:My Title@1:1 NL:@1:9"},
		{"title looks like an element", "R1 a b 1k\nR2 a b 2k", "T:R1 a b 1k@1:1 NL:@1:10 I:R2@2:1 I:a@2:4 I:b@2:6 N:2k@2:8 NL:@2:10"},
		{"title is a comment", "* comment\n.op", "T:* comment@1:1 NL:@1:10 D:.op@2:1 NL:@2:4"},
		{"crlf", "t\r\nr1 a b 1\r\n", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 N:1@2:8 NL:@2:9"},
		{"comment lines", "t\n* r1 a b\n  * indented\nr1 a b 1", "T:t@1:1 NL:@1:2 I:r1@4:1 I:a@4:4 I:b@4:6 N:1@4:8 NL:@4:9"},
		{"semicolon comment", "t\nr1 a b 1k; the load\n", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 N:1k@2:8 NL:@2:10"},
		{"dollar comment", "t\nr1 a b 1k $ the load\n$ whole line\n", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 N:1k@2:8 NL:@2:10"},
		{"dollar in a word", "t\nr1 a$b c 1\n", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a$b@2:4 I:c@2:8 N:1@2:10 NL:@2:11"},
		{"continuation", "t\nr1 a\n+ b 1k\n", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@3:3 N:1k@3:5 NL:@3:7"},
		{"continuation across comments and blanks", "t\nr1 a\n* note\n\n   \n+b 1k", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@6:2 N:1k@6:4 NL:@6:6"},
		{"lone plus", "t\nr1 a b 1k\n+\n+ \n", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 N:1k@2:8 NL:@2:10"},
		{"indented continuation", "t\nr1 a\n   + b 1", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@3:6 N:1@3:8 NL:@3:9"},
		{"punctuation", "t\nv1 a 0 pulse(0, 1 1n)", "T:t@1:1 NL:@1:2 I:v1@2:1 I:a@2:4 N:0@2:6 I:pulse@2:8 P:(@2:13 N:0@2:14 P:,@2:15 N:1@2:17 N:1n@2:19 P:)@2:21 NL:@2:22"},
		{"key value", "t\nr1 a b r = 1k", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 I:r@2:8 P:=@2:10 N:1k@2:12 NL:@2:14"},
		{"node names", "t\nr1 net-1 n1.2 1 a[0] x:y #z/w", "T:t@1:1 NL:@1:2 I:r1@2:1 I:net-1@2:4 I:n1.2@2:10 N:1@2:15 I:a[0]@2:17 I:x:y@2:22 I:#z/w@2:26 NL:@2:30"},
		{"braces", "t\nr1 a b {2*r + f(x)} m=1", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 E:{2*r + f(x)}@2:8 I:m@2:21 P:=@2:22 N:1@2:23 NL:@2:24"},
		{"nested braces", "t\nr1 a b {a{b}c}", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 E:{a{b}c}@2:8 NL:@2:15"},
		{"quotes", "t\nr1 a b 'x * 2'", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 E:'x * 2'@2:8 NL:@2:15"},
		{"expression across lines", "t\nr1 a b {1 +\n+ 2}", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 E:{1 + 2}@2:8 NL:@3:5"},
		{"dot command", "t\n.TRAN 1n 10n", "T:t@1:1 NL:@1:2 D:.TRAN@2:1 N:1n@2:7 N:10n@2:10 NL:@2:13"},
		{"dot number is not a command", "t\n.5 a", "T:t@1:1 NL:@1:2 N:.5@2:1 I:a@2:4 NL:@2:5"},
		{"title command", "t\n.title  My  Circuit ", "T:t@1:1 NL:@1:2 D:.title@2:1 T:My  Circuit@2:9 NL:@2:20"},
		{"end stops", "t\nr1 a b 1\n.end\nr2 { garbage", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:6 N:1@2:8 NL:@2:9 D:.end@3:1 NL:@3:5"},
		{"ends is not end", "t\n.ends\nr1", "T:t@1:1 NL:@1:2 D:.ends@2:1 NL:@2:6 I:r1@3:1 NL:@3:3"},
		{"control block skipped", "t\n.control\nlet x = 'unterminated\necho \"don't\"\n.endc\nr1 a b 1", "T:t@1:1 NL:@1:2 D:.control@2:1 NL:@2:9 D:.endc@5:1 NL:@5:6 I:r1@6:1 I:a@6:4 I:b@6:6 N:1@6:8 NL:@6:9"},
		{"unterminated control", "t\n.control\nop\n", "T:t@1:1 NL:@1:2 D:.control@2:1 NL:@2:9"},
		{"tabs and unicode space", "t\nr1\ta\u00a0b 1", "T:t@1:1 NL:@1:2 I:r1@2:1 I:a@2:4 I:b@2:7 N:1@2:9 NL:@2:10"},
		{"bom", "\ufeffTitle\n", "T:Title@1:4 NL:@1:9"},
	}
	for _, tc := range tests {
		got, errs := lexString(tc.src)
		if len(errs) > 0 {
			t.Errorf("%s: unexpected errors: %v", tc.name, errs)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestLexerErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"t\nr1 a b {1+2", "t.cir:2:8: unterminated expression: missing '}'"},
		{"t\nr1 a b 'x", "t.cir:2:8: unterminated expression: missing closing quote"},
		{"t\nr1 a b 1}", "t.cir:2:9: unexpected '}'"},
		{"t\nr1 a\x00b", "t.cir:2:5: invalid character U+0000"},
		{"t\nr1 \xff", "t.cir:2:4: invalid UTF-8 encoding"},
		{"t\n+ r1 a b 1", "t.cir:2:1: continuation line without a line to continue"},
	}
	for _, tc := range tests {
		_, errs := lexString(tc.src)
		if len(errs) != 1 || errs[0].Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.src, errs, tc.want)
		}
	}
}

// TestLexerDefinition parses a whole file with participle through the exported lexer
// definition, as a grammar for the whole netlist would.
func TestLexerDefinition(t *testing.T) {
	type file struct {
		Lines []*Line `parser:"@@*"`
	}
	p := participle.MustBuild[file](participle.Lexer(Lexer))
	f, err := p.ParseString("t.cir", "title\nr1 a b 1k\n* c\nv1 a 0 pulse(0 1\n+ 1n)\n.tran 1n 1u\n.end\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Lines) != 5 || *f.Lines[0].Title != "title" || f.Lines[1].Element.Name != "r1" ||
		f.Lines[2].Element.Items[2].Key.Args == nil || f.Lines[3].Dot.Name != ".tran" {
		t.Errorf("unexpected AST: %+v", f.Lines)
	}
	if _, err := p.ParseString("t.cir", "title\nr1 a b {"); err == nil || !strings.Contains(err.Error(), "t.cir:2:8: unterminated expression") {
		t.Errorf("lexer error: got %v", err)
	}
	if _, err := p.ParseString("t.cir", "title\nr1 a b = ="); err == nil || !strings.Contains(err.Error(), "t.cir:2:8") {
		t.Errorf("syntax error: got %v", err)
	}
}

func TestGrammar(t *testing.T) {
	n, errs := ParseAST("t.cir", []byte("t\nv1 a 0 pulse (0, 1) ac=1 dc 2\n.ic v(a,b)=3 v(c)=1\n.model m nmos (a=1 b=2)\n.op\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(n.Lines) != 5 {
		t.Fatalf("got %d lines, want 5", len(n.Lines))
	}
	v := n.Lines[1].Element
	if v.Name != "v1" || len(v.Items) != 6 {
		t.Fatalf("element: %+v", v)
	}
	pulse := v.Items[2].Key
	if pulse.Word != "pulse" || pulse.Args == nil || len(pulse.Args.Items) != 2 || pulse.Args.Items[1].Key.Number != "1" {
		t.Errorf("pulse call: %+v", pulse)
	}
	if ac := v.Items[3]; ac.Key.Word != "ac" || ac.Value == nil || ac.Value.Number != "1" || text(ac.Tokens) != "ac=1" {
		t.Errorf("ac=1: %+v", ac)
	}
	ic := n.Lines[2].Dot.Items[0]
	if text(ic.Tokens) != "v(a,b)=3" || len(ic.Key.Args.Items) != 2 || ic.Pos.Column != 5 {
		t.Errorf(".ic item: %q at %v", text(ic.Tokens), ic.Pos)
	}
	if n.Lines[3].Dot.Items[1].Key.Args == nil {
		t.Errorf(".model type with a space before its parameters is a call")
	}
	if n.Lines[4].Dot.Name != ".op" || len(n.Lines[4].Dot.Items) != 0 {
		t.Errorf(".op: %+v", n.Lines[4].Dot)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"t\nr1 a b (1k", "t.cir:2:8: unclosed '('"},
		{"t\nr1 a b 1k)", "t.cir:2:10: unmatched ')'"},
		{"t\nr1 a b m=", "t.cir:2:9: missing value after '='"},
		{"t\nr1 a b == 1", "t.cir:2:9: unexpected '=' after '='"},
		{"t\nr1 a b m=,", "t.cir:2:9: missing value after '='"},
		{"t\nr1 a b (=1)", "t.cir:2:8: unexpected '('"},
		{".op\n.tran = 1", "t.cir:2:7: unexpected '='"},
		{"t\n= a b", "t.cir:2:1: unexpected '='"},
		{"t\n(a b)", "t.cir:2:1: unexpected '('"},
		{"t\nr1 a b " + strings.Repeat("(", 100) + strings.Repeat(")", 100), "t.cir:2:72: parentheses nested too deeply"},
	}
	for _, tc := range tests {
		_, errs := ParseAST("t.cir", []byte(tc.src))
		if len(errs) != 1 || errs[0].Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.src, errs, tc.want)
		}
	}
}
