package parser

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFiles writes files (name -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// errorStrings parses path and returns its errors, with dir cut from the file names
// (in the messages too).
func errorStrings(t *testing.T, dir, path string) (*Circuit, []string) {
	t.Helper()
	c, err := ParseFile(filepath.Join(dir, path))
	if err == nil {
		return c, nil
	}
	list, ok := err.(ErrorList)
	if !ok {
		t.Fatalf("%s: error %T %v", path, err, err)
	}
	var out []string
	for _, e := range list {
		out = append(out, strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), ""))
	}
	return c, out
}

func TestInclude(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.cir": "main\n.include models/m.inc\n.inc \"models/other.inc\"\nR1 a 0 {rr}\nD1 a 0 dm\n.end\n",
		// No title line in included files: their first line is read.
		"models/m.inc":        ".model dm d is=1f\n.include sub/deep.inc\n",
		"models/sub/deep.inc": ".param rr=2k\n",
		"models/other.inc":    "* comment first\nR2 a b\n+ 3k\n.subckt s x\nR3 x 0 1\n.ends\nX1 a s\n",
	})
	c, errs := errorStrings(t, dir, "main.cir")
	if errs != nil {
		t.Fatal(errs)
	}
	if got := flat(c); got != "r2(a,b)=3000 x1.r3(a,0)=1 r1(a,0)=2000 d1(a,0)=0[dm]" {
		t.Errorf("elements: %s", got)
	}
	r2 := c.Elements[0]
	if r2.Pos.File != filepath.Join(dir, "models/other.inc") || r2.Pos.Line != 2 || r2.ValuePos.Line != 3 {
		t.Errorf("position in an included file: %v %v", r2.Pos, r2.ValuePos)
	}
	if c.Title != "main" {
		t.Errorf("title %q", c.Title)
	}

	// Parse reads includes relative to the folder of the name it is given.
	src, _ := os.ReadFile(filepath.Join(dir, "main.cir"))
	if c, err := Parse(filepath.Join(dir, "main.cir"), src); err != nil || len(c.Elements) != 4 {
		t.Errorf("Parse: %v", err)
	}
}

func TestIncludeErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"missing.cir": "t\nR1 a 0 1\n.include nothere.inc\n",
		"self.cir":    "t\n.include self.cir\n",
		"a.cir":       "t\n.include b.inc\n",
		"b.inc":       "R1 a 0 1\n.include c.inc\n",
		"c.inc":       ".include b.inc\n",
		"bad.cir":     "t\n.include bad.inc\n",
		"bad.inc":     "R1 a 0\nR2 a 0 {1+}\n",
		"dir.cir":     "t\n.include sub\n",
		"sub/x":       "",
		"empty.cir":   "t\n.include\n",
		"two.cir":     "t\n.include a b\n",
		// Duplicates whose first definitions are in other files than the one before.
		"dup.cir":  "t\nR1 a 0 1\n.include dup1.inc\nR2 a 0 1\nR3 a 0 1\n.include dup2.inc\n",
		"dup1.inc": "R3 b 0 1\nR4 b 0 1\n",
		"dup2.inc": "R4 c 0 1\nR1 c 0 1\n",
	})
	tests := []struct {
		file string
		want []string
	}{
		{"missing.cir", []string{`missing.cir:3:10: cannot read "nothere.inc": no such file`}},
		{"self.cir", []string{`self.cir:2:10: self.cir includes itself: self.cir -> self.cir`}},
		{"a.cir", []string{`c.inc:1:10: b.inc includes itself: b.inc -> c.inc -> b.inc`}},
		{"bad.cir", []string{`bad.inc:1:1: resistor "r1" has no value`, `bad.inc:2:11: unexpected end of expression`}},
		{"dir.cir", []string{`dir.cir:2:10: cannot read "sub": not a regular file`}},
		{"empty.cir", []string{`empty.cir:2:9: missing file name: .include file`}},
		{"two.cir", []string{`two.cir:2:10: .include takes one file name, found 2 words (quote a name with spaces)`}},
		{"dup.cir", []string{
			`dup.cir:5:1: duplicate element name "r3" (first defined at dup1.inc:1)`,
			`dup2.inc:1:1: duplicate element name "r4" (first defined at dup1.inc:2)`,
			`dup2.inc:2:1: duplicate element name "r1" (first defined at dup.cir:2)`,
		}},
	}
	for _, tc := range tests {
		_, got := errorStrings(t, dir, tc.file)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.file, got, tc.want)
		}
	}
}

func TestLib(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.cir": `main
.lib 'lib dir/corners.lib' tt
.lib main.cir local
R1 a 0 {rr}
D1 a 0 dm
.lib local
R9 a 0 {rr*9}
.endl local
.lib unused
this line is never read
.endl
`,
		"lib dir/corners.lib": `* corners
.lib tt
.param rr=1k
.lib corners.lib common
.endl tt
.lib ff
.param rr=2k
.lib corners.lib common
.endl ff
.lib common
.model dm d is=1f
.endl
`,
		"nosection.cir": "t\n.lib lib.lib zz\n",
		"lib.lib":       ".lib aa\n.endl\n",
		"unclosed.cir":  "t\n.lib x\nR1 a 0 1\n",
		"endl.cir":      "t\n.endl\n",
		"loop.cir":      "t\n.lib loop.cir a\n.lib a\n.lib loop.cir a\n.endl\n",
	})
	c, errs := errorStrings(t, dir, "main.cir")
	if errs != nil {
		t.Fatal(errs)
	}
	if got := flat(c); got != "r9(a,0)=9000 r1(a,0)=1000 d1(a,0)=0[dm]" {
		t.Errorf("elements: %s", got)
	}
	if m := c.Models["dm"]; m == nil || m.Pos.File != filepath.Join(dir, "lib dir/corners.lib") || m.Pos.Line != 11 {
		t.Errorf("model: %+v", m)
	}
	tests := []struct {
		file string
		want []string
	}{
		{"nosection.cir", []string{`nosection.cir:2:6: section "zz" not found in lib.lib`}},
		{"unclosed.cir", []string{`unclosed.cir:2:1: missing .endl for .lib x`}},
		{"endl.cir", []string{`endl.cir:2:1: .endl without .lib`}},
		{"loop.cir", []string{`loop.cir:4:6: loop.cir calls its own .lib section a: loop.cir -> loop.cir`}},
	}
	for _, tc := range tests {
		_, got := errorStrings(t, dir, tc.file)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.file, got, tc.want)
		}
	}
}
