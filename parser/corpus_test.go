package parser

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds netlists written for ngspice (shared by the project, outside the module).
const corpusDir = "../../shared/corpus/ngspice"

// corpusFiles lists the .cir and .sp files of the corpus, or skips the test without it.
func corpusFiles(tb testing.TB) []string {
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".cir" || ext == ".sp") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		tb.Skipf("no corpus at %s: %v", corpusDir, err)
	}
	return files
}

// TestCorpus reads every corpus netlist: none may panic; most fail for now with "not
// supported" errors, which are logged (go test -v shows the first error of each).
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(path, corpusDir+"/")
		c, err := parse(name, src)
		if c == nil {
			t.Errorf("%s: nil circuit", name)
			continue
		}
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) {
				t.Errorf("%s: error is %T", name, err)
				continue
			}
			t.Logf("%s: %d errors, first: %v", name, len(list), list[0])
		} else {
			t.Logf("%s: ok (%d elements, %d analyses, %d warnings)", name, len(c.Elements), len(c.Analyses), len(c.Warnings))
		}
	}
}

func TestCorpusClean(t *testing.T) {
	corpusFiles(t)
	tests := []struct {
		file     string
		elements []string
		analyses []string
		check    func(t *testing.T, c *Circuit)
	}{
		{"tests/general/rc.cir", []string{"r", "c", "vin"}, []string{"tran"}, func(t *testing.T, c *Circuit) {
			if c.Title != "Basic RC circuit" {
				t.Errorf("title %q", c.Title)
			}
			v := c.Elements[2].Source
			if v.Wave == nil || v.Wave.Kind != "pulse" || len(v.Wave.Args) != 2 || !v.HasAC || v.ACMag != 1 || v.HasDC {
				t.Errorf("vin: %+v %+v", v, v.Wave)
			}
			if tr := c.Analyses[0].(*Tran); tr.Step != 0.1 || tr.Stop != 7 {
				t.Errorf("tran: %+v", tr)
			}
		}},
		{"tests/resistance/res_simple.cir", []string{"r1", "v1"}, []string{"tran"}, func(t *testing.T, c *Circuit) {
			if r := c.Elements[0]; r.Value != 10e3 || r.Nodes[0] != "1" || r.Nodes[1] != "0" {
				t.Errorf("r1: %+v", r)
			}
			if v := c.Elements[1].Source; v.DC != 1 || !v.HasDC {
				t.Errorf("v1: %+v", v)
			}
			if len(c.Prints) != 1 || c.Prints[0].Type != "tran" || vectorNames(c.Prints[0].Vectors) != "i(v1)" {
				t.Errorf("prints: %+v", c.Prints)
			}
		}},
		{"tests/filters/lowpass.cir", []string{"v1", "r1", "r2", "c1"}, []string{"op", "ac"}, func(t *testing.T, c *Circuit) {
			v := c.Elements[0].Source
			if !v.HasDC || v.DC != 0 || !v.HasAC || v.ACMag != 1 || v.Wave == nil || v.Wave.Kind != "sin" || len(v.Wave.Args) != 5 {
				t.Errorf("v1: %+v %+v", v, v.Wave)
			}
			if ac := c.Analyses[1].(*AC); ac.Sweep != "dec" || ac.Points != 10 || ac.Start != 1e3 || ac.Stop != 1e6 {
				t.Errorf("ac: %+v", ac)
			}
		}},
		{"tests/resistance/res_array.cir", nil, []string{"op", "tran", "ac"}, nil},
		{"tests/resistance/res_partition.cir", nil, []string{"op", "ac"}, nil},
		{"examples/wave/rcsim.cir", nil, []string{"ac"}, nil},
		{"examples/various/param_sweep.cir", nil, []string{"dc"}, nil},
		{"tests/regression/misc/ac-zero.cir", []string{"v1", "r1", "l1", "r3", "c3"}, nil, nil},
		{"examples/Monte_Carlo/MonteCarlo.sp", nil, nil, nil},
	}
	for _, tc := range tests {
		c, err := ParseFile(filepath.Join(corpusDir, tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		var names, analyses []string
		for _, e := range c.Elements {
			names = append(names, e.Name)
		}
		for _, a := range c.Analyses {
			analyses = append(analyses, a.Name())
		}
		if tc.elements != nil && strings.Join(names, " ") != strings.Join(tc.elements, " ") {
			t.Errorf("%s: elements %v, want %v", tc.file, names, tc.elements)
		}
		if strings.Join(analyses, " ") != strings.Join(tc.analyses, " ") {
			t.Errorf("%s: analyses %v, want %v", tc.file, analyses, tc.analyses)
		}
		if tc.check != nil {
			tc.check(t, c)
		}
	}
}
