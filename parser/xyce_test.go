package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestXyceSyntax reads the lines of Xyce's memristor netlists that are Xyce's own.
func TestXyceSyntax(t *testing.T) {
	src := "t\nV1 a 0 1\nYMEMRISTOR mr1 a b mm\nR1 b 0 50\n.model mm memristor level=2\n" +
		".options timeint reltol= 1e-4 method=7\n.options nonlin\n" +
		".print tran n(ymemristor!mr1_x) n(ymemristor!mr1:r) i(ymemristor!mr1) p(ymemristor!mr1) w(mr1) n(a) i(r1)\n" +
		".tran 0 10m\n.end\n"
	c, err := Parse("t.cir", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, w := range c.Warnings {
		warnings = append(warnings, w.Error())
	}
	want := []string{
		`t.cir:6:18: Xyce's .options timeint reltol=1e-4 does not apply to gospice; ignored`,
		`t.cir:6:31: Xyce's .options timeint method=7 does not apply to gospice; ignored`,
		`t.cir:7:10: Xyce's .options nonlin does not apply to gospice; ignored`,
	}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}
	if len(c.Options) != 0 {
		t.Errorf("options %v: Xyce's are not SPICE's", c.Options)
	}
	tr := c.Analyses[0].(*Tran)
	if tr.Step != 10e-3/50 || tr.Stop != 10e-3 {
		t.Errorf(".tran 0 10m: step %g stop %g, want tstop/50 and 10m", tr.Step, tr.Stop)
	}
	got := ""
	for _, v := range c.Prints[0].Vectors {
		got += v.Name + "=" + v.String() + " "
	}
	wantVecs := "n(ymemristor!mr1_x)=state(mr1.x) n(ymemristor!mr1:r)=@mr1[r] i(ymemristor!mr1)=i(mr1) " +
		"p(ymemristor!mr1)=p(mr1) w(mr1)=p(mr1) n(a)=v(a) i(r1)=i(r1) "
	if got != wantVecs {
		t.Errorf("vectors\n%s\nwant\n%s", got, wantVecs)
	}
	if _, err := Parse("t.cir", []byte("t\n.print tran n(ymemristor!mr1)\n.end\n")); err == nil ||
		!strings.Contains(err.Error(), "t.cir:2:15: n(ymemristor!mr1): expected a device variable, ymemristor!name_var or ymemristor!name:var") {
		t.Errorf("n() of a device without a variable: %v", err)
	}
}

// TestModelFiles reads fxpdata= and fxmdata= of a memristor model from beside the
// netlist, and names the place of a file that cannot be read.
func TestModelFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"net.cir": "t\n.model mm memristor level=4 fxpdata=tab.csv fxmdata='sub/m.csv'\n.end\n",
		"tab.csv": "0,1\n1,2\n", "sub/m.csv": "0,-1\n1,-2\n",
		"bad.cir": "t\n.model mm memristor level=4 fxpdata=none.csv\n.end\n"}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := ParseFile(filepath.Join(dir, "net.cir"))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Models["mm"]
	if len(m.Files) != 2 || m.Files[0].Name != "fxpdata" || string(m.Files[0].Data) != files["tab.csv"] ||
		m.Files[1].Path != "sub/m.csv" || string(m.Files[1].Data) != files["sub/m.csv"] || len(m.Params) != 1 {
		t.Errorf("model %+v", m)
	}
	_, err = ParseFile(filepath.Join(dir, "bad.cir"))
	if err == nil || !strings.Contains(err.Error(), `bad.cir:2:37: cannot read "none.csv": no such file`) {
		t.Errorf("a missing file: %v", err)
	}
}
