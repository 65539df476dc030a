package parser

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gospice/gospice/parser/expr"
)

// corpusDir holds netlists written for ngspice: the shared corpus beside the repository
// (../shared from its root), which is not part of the repository; the tests that read it
// skip where it is absent.
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
		tb.Skipf("%s not present (the shared corpus is not part of the repository): %v", corpusDir, err)
	}
	return files
}

// TestCorpus reads every corpus netlist: none may panic; some fail with "not supported"
// errors, which are logged (go test -v shows the first error of each). As of
// expressions, .param, .func, .if, subcircuits, .include and .lib, E, F, G, H, B and K
// elements, and .meas, the files that fail and their first errors are:
//
//	examples/memristor/memristor_x.sp       unknown element "amen" (kind A is not supported)
//	examples/various/RKM-R-1.cir            unknown model "4k7" (values in RKM notation ...)
//
// The others parse cleanly (diffpair.cir too, since .tf and .sens; filt_rc.cir since .pz); TestCorpusClean checks them.
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
			v := c.Elements[2].Source()
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
			if v := c.Elements[1].Source(); v.DC != 1 || !v.HasDC {
				t.Errorf("v1: %+v", v)
			}
			if len(c.Prints) != 1 || c.Prints[0].Type != "tran" || vectorNames(c.Prints[0].Vectors) != "i(v1)" {
				t.Errorf("prints: %+v", c.Prints)
			}
		}},
		{"tests/filters/lowpass.cir", []string{"v1", "r1", "r2", "c1"}, []string{"op", "ac"}, func(t *testing.T, c *Circuit) {
			v := c.Elements[0].Source()
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

		// Diodes, BJTs and MOSFETs.
		{"tests/general/rtlinv.cir", []string{"vcc", "vin", "rb1", "rc1", "q1", "rb2", "q2", "rc2"}, []string{"dc", "tran"},
			func(t *testing.T, c *Circuit) {
				q := c.Elements[4]
				if strings.Join(q.Nodes, " ") != "3 2 0" || q.Model != "qnd" || len(q.Args()) != 0 || len(q.Params()) != 0 {
					t.Errorf("q1: %+v", q)
				}
				if m := c.Models["qnd"]; m.Type != "npn" || len(m.Params) != 11 || m.Params[0].Name != "level" {
					t.Errorf("qnd: %+v", m)
				}
			}},
		{"tests/general/schmitt.cir", nil, []string{"tran"}, func(t *testing.T, c *Circuit) {
			q := c.Elements[11]
			if q.Name != "q1" || strings.Join(q.Nodes, " ") != "3 2 4" || q.Model != "qstd" ||
				len(q.Args()) != 1 || q.Args()[0].Word != "off" {
				t.Errorf("q1: %+v", q)
			}
		}},
		{"tests/general/rca3040.cir", nil, []string{"ac", "dc", "tran"}, nil},
		{"tests/general/mosmem.cir", nil, []string{"tran"}, func(t *testing.T, c *Circuit) {
			m := c.Elements[4]
			w, _ := m.Param("w")
			l, _ := m.Param("l")
			if m.Name != "m1" || strings.Join(m.Nodes, " ") != "3 1 0 0" || m.Model != "mod" || w.Value != 250e-6 || l.Value != 5e-6 {
				t.Errorf("m1: %+v", m)
			}
		}},
		{"tests/general/mosamp.cir", nil, []string{"tran"}, func(t *testing.T, c *Circuit) {
			if len(c.Elements) != 33 || c.Elements[26].Name != "m27" || c.Elements[26].Model != "m" {
				t.Errorf("elements: %d", len(c.Elements))
			}
		}},
		{"examples/p-to-n-examples/MOS1_out.cir", nil, nil, func(t *testing.T, c *Circuit) {
			m := c.Elements[7]
			if m.Name != "m2" || strings.Join(m.Nodes, " ") != "nvd nvg nvs2 nvf" || m.Model != "nmos" || len(m.Params()) != 2 {
				t.Errorf("m2: %+v", m)
			}
		}},
		{"examples/various/diode_ac_par.sp", []string{"v1", "d1"}, nil, func(t *testing.T, c *Circuit) {
			if d := c.Elements[1]; d.Model != "myd" || len(c.Models["myd"].Params) != 14 {
				t.Errorf("d1: %+v", d)
			}
		}},
		{"examples/various/bjt_ac_par.sp", []string{"v1", "rc", "vb", "q1"}, nil, func(t *testing.T, c *Circuit) {
			if q := c.Elements[3]; q.Model != "bfs17" || len(q.Nodes) != 3 {
				t.Errorf("q1: %+v", q)
			}
		}},
		{"tests/regression/model/special-names-1.cir", nil, nil, func(t *testing.T, c *Circuit) {
			var models []string
			for _, e := range c.Elements {
				if e.Kind == 'd' {
					models = append(models, e.Model)
				}
			}
			if strings.Join(models, " ") != "dplain 1n4002 2sk456 1smb4148" {
				t.Errorf("diode models: %v", models)
			}
		}},
		{"examples/wave/jimi_fuzz.cir", nil, []string{"tran", "op"}, func(t *testing.T, c *Circuit) {
			q := c.Elements[9]
			if q.Name != "q_q2" || strings.Join(q.Nodes, " ") != "11 8 6" || q.Model != "npn" {
				t.Errorf("q_q2: %+v", q)
			}
		}},
		{"examples/xspice/various/xspice_c1.cir", nil, []string{"tran"}, nil},

		// Subcircuits, parameters, expressions, controlled sources.
		{"tests/general/fourbitadder.cir", nil, []string{"tran"}, func(t *testing.T, c *Circuit) {
			if len(c.Elements) != 9+2*2*9*12+5 {
				t.Errorf("%d elements", len(c.Elements))
			}
			q := c.Elements[9]
			if q.Name != "x1.x1.x1.x1.q1" || strings.Join(q.Nodes, " ") != "x1.x1.x1.x1.9 x1.x1.x1.x1.5 1" || q.Model != "qmod" || q.Pos.Line != 11 {
				t.Errorf("first element of the first NAND: %+v", q)
			}
			// The last NAND's q5 (3 8 0): its node 3 is the carry out of the ONEBIT (5), of
			// the TWOBIT (8), of the FOURBIT (14), which the top connects to 13.
			last := c.Elements[len(c.Elements)-6]
			if last.Name != "x1.x2.x2.x9.q5" || strings.Join(last.Nodes, " ") != "13 x1.x2.x2.x9.8 0" {
				t.Errorf("q5 of the last NAND: %+v", last)
			}
			if r := c.Elements[len(c.Elements)-5]; r.Name != "rbit0" {
				t.Errorf("after the instance: %+v", r)
			}
		}},
		{"examples/Monte_Carlo/OpWien.sp", nil, []string{"tran"}, func(t *testing.T, c *Circuit) {
			if tr := c.Analyses[0].(*Tran); tr.Stop != 12 || tr.Step != 0.05e-3 {
				t.Errorf("tran: %+v", tr)
			}
			byName := map[string]*Element{}
			for _, e := range c.Elements {
				byName[e.Name] = e
			}
			if r := byName["r2"]; r.Expr() == nil || expr.String(r.Expr()) != "10000+330*v(r2)" || r.ExprKind() != "value" {
				t.Errorf("r2: %+v", r)
			}
			if w := byName["vr2"].Source().Wave; w.Kind != "trrandom" || !reflect.DeepEqual(w.Args, []float64{2, 0.12, 0, 1}) {
				t.Errorf("vr2: %+v", w)
			}
			if e := byName["xop.egain"]; strings.Join(e.Nodes, " ") != "xop.3 0 3 2" || e.Value != 100e3 {
				t.Errorf("xop.egain: %+v", e)
			}
		}},
		{"examples/memristor/memristor.sp", []string{"xmem.bx", "xmem.vx", "xmem.cx", "xmem.rmem", "v1"}, nil, func(t *testing.T, c *Circuit) {
			b := c.Elements[0]
			if b.ExprKind() != "i" || !strings.Contains(expr.String(b.Expr()), "v(xmem.x)<10000") || strings.Contains(expr.String(b.Expr()), "f1") {
				t.Errorf("bx: %s", expr.String(b.Expr()))
			}
			// i = f1(v(plus)-v(minus)) when it is above 0 and v(x) < roff; f1(y) = beta*y +
			// 0.5*(alpha-beta)*(|y+vt|-|y-vt|), beta = 20e3/stime = 2e12.
			vars := map[string]float64{"v(1)": 2, "v(0)": 0, "v(xmem.x)": 5000}
			if v, err := expr.Eval(b.Expr(), vars); err != nil || v != 2e12*2-1e12*(3.6-0.4) {
				t.Errorf("bx at v=2: %g %v", v, err)
			}
			if cx, _ := c.Elements[2].Param("ic"); cx.Value != 7000 {
				t.Errorf("cx ic: %+v", cx)
			}
			if w := c.Elements[4].Source().Wave; !reflect.DeepEqual(w.Args, []float64{0, 3, 1e8}) {
				t.Errorf("v1: %+v", w)
			}
		}},
		{"examples/numparam/param-example.cir", []string{"x1.ra", "x1.rb", "x1.c1", "x1.ca", "x1.cb", "x1.r1", "v1"}, nil, func(t *testing.T, c *Circuit) {
			if got := flat(c); got != "x1.ra(input,x1.p1)=2000 x1.rb(x1.p1,output)=2000 x1.c1(x1.p1,0)=2e-09 x1.ca(input,x1.p2)=1e-09 "+
				"x1.cb(x1.p2,output)=1e-09 x1.r1(x1.p2,0)=1000 v1(input,0)=0" {
				t.Errorf("elements: %s", got)
			}
			if v := c.Elements[6].Source(); !v.HasAC || v.ACMag != 1 || v.ACPhase != 0 {
				t.Errorf("v1: %+v", v)
			}
		}},
		{"tests/regression/temper/temper-2.cir", nil, nil, func(t *testing.T, c *Circuit) {
			is := c.Models["dtest"].Params[0]
			if is.Expr == nil || expr.String(is.Expr) != "1e-12*temper" || is.Value != 27e-12 {
				t.Errorf("dtest is: %+v", is)
			}
		}},
		{"examples/inductive-systems/positive-definite-4.cir", nil, []string{"ac"}, func(t *testing.T, c *Circuit) {
			k := c.Elements[7]
			if k.Name != "k12" || strings.Join(k.Controls(), " ") != "l1 l2" || k.Value != 0 || !k.HasValue {
				t.Errorf("k12: %+v", k)
			}
		}},
		{"examples/various/v-i-sources-am-ffm.cir", []string{"v1", "v3", "v2", "d1", "c1", "r1", "c2", "r2"}, []string{"tran"},
			func(t *testing.T, c *Circuit) {
				// .param is = 0 selects the .else branches: voltage sources.
				if w := c.Elements[2].Source().Wave; w.Kind != "sffm" || !reflect.DeepEqual(w.Args, []float64{0.1, 2, 200, 45, 10e3, 1e-3, 0, 0}) {
					t.Errorf("v2: %+v", w)
				}
				if w := c.Elements[0].Source().Wave; w.Kind != "am" || len(w.Args) != 8 {
					t.Errorf("v1: %+v", w)
				}
			}},
		// .probe alli: an ammeter at the second node of every device without a branch
		// current of its own, as ngspice 39 inserts them (probe_int_0_rg in its listing).
		{"examples/probe/cntrl-sources.cir", []string{"g1", "rg", "e1", "re", "f1", "rf", "h1", "rh", "v2", "i1", "vf", "vh",
			"probe_int:g1", "probe_int:rg", "probe_int:re", "probe_int:f1", "probe_int:rf", "probe_int:rh", "probe_int:i1"}, []string{"tran"},
			func(t *testing.T, c *Circuit) {
				if got := flat(c); !strings.HasPrefix(got, "g1(g1,probe_int_0_g1_2,2,0)=0.0015 rg(g1,probe_int_0_rg_2)=1 e1(e1,0,2,0)=0.0025 re(e1,probe_int_0_re_2)=1.3 f1(f1,probe_int_0_f1_2)=3.33<vf> rf(f1,probe_int_0_rf_2)=1 h1(h1,0)=4.44<vh>") {
					t.Errorf("elements: %s", got)
				}
			}},
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
