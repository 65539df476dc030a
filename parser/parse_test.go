package parser

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mustParse parses src (with a title line added) and fails the test on any error.
func mustParse(t *testing.T, src string) *Circuit {
	t.Helper()
	c, err := Parse("t.cir", []byte("title\n"+src))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return c
}

// parseErrors parses src (with a title line added) and returns the errors as strings.
func parseErrors(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("t.cir", []byte("title\n"+src))
	if err == nil {
		return nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("%q: error is %T, not an ErrorList", src, err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Error())
	}
	return out
}

// withoutPlaces is a copy of x without the places of the model name, the parameters and
// the arguments, nil when nothing else is left: what the tables of elements compare.
func withoutPlaces(x *elementExtra) *elementExtra {
	if x == nil {
		return nil
	}
	c := *x
	c.modelPos = Pos{}
	c.params = slices.Clone(c.params)
	for i := range c.params {
		c.params[i].Pos = Pos{}
	}
	c.args = slices.Clone(c.args)
	for i := range c.args {
		c.args[i].Pos = Pos{}
	}
	if reflect.DeepEqual(c, elementExtra{}) {
		return nil
	}
	return &c
}

func TestPassiveElements(t *testing.T) {
	tests := []struct {
		src  string
		want Element // Pos fields are not compared
	}{
		{"R1 a b 1k", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 1000, HasValue: true}},
		{"r1 A GND 1K", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "0"}, Value: 1000, HasValue: true}},
		{"R1 a b 1k m=2", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 1000, HasValue: true, extra: &elementExtra{params: []Param{{Name: "m", Value: 2}}}}},
		{"R1 a b r=1k", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 1000, HasValue: true}},
		{"R1 a b R = 2k", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 2000, HasValue: true}},
		{"R1 a b resistance=3", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 3, HasValue: true}},
		{"R1 a b {1k}", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 1000, HasValue: true}},
		{"R1 a b '2'", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 2, HasValue: true}},
		{"R1 a b rmod L=10u W=1u\n.model rmod r", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Model: "rmod", extra: &elementExtra{params: []Param{{Name: "l", Value: 10e-6}, {Name: "w", Value: 1e-6}}}}},
		{"R1 a b 1k RMOD\n.model rmod r", Element{Name: "r1", Kind: 'r', Nodes: []string{"a", "b"}, Value: 1000, HasValue: true, Model: "rmod"}},
		{"R2 3 0 10K ac=5K tc1=1e-6", Element{Name: "r2", Kind: 'r', Nodes: []string{"3", "0"}, Value: 10e3, HasValue: true, extra: &elementExtra{params: []Param{{Name: "ac", Value: 5e3}, {Name: "tc1", Value: 1e-6}}}}},
		{"Rx net-1 n1.2 1k", Element{Name: "rx", Kind: 'r', Nodes: []string{"net-1", "n1.2"}, Value: 1000, HasValue: true}},
		{"R1 a[0] a[1], 5", Element{Name: "r1", Kind: 'r', Nodes: []string{"a[0]", "a[1]"}, Value: 5, HasValue: true}},
		{"C1 a b 10p", Element{Name: "c1", Kind: 'c', Nodes: []string{"a", "b"}, Value: 10e-12, HasValue: true}},
		{"C1 a b 10pF IC=1.5 m=3", Element{Name: "c1", Kind: 'c', Nodes: []string{"a", "b"}, Value: 10e-12, HasValue: true, extra: &elementExtra{params: []Param{{Name: "ic", Value: 1.5}, {Name: "m", Value: 3}}}}},
		{"C2 a b c=1u", Element{Name: "c2", Kind: 'c', Nodes: []string{"a", "b"}, Value: 1e-6, HasValue: true}},
		{"L1 a b 1u", Element{Name: "l1", Kind: 'l', Nodes: []string{"a", "b"}, Value: 1e-6, HasValue: true}},
		{"L1 a b 2.2uH IC=1m", Element{Name: "l1", Kind: 'l', Nodes: []string{"a", "b"}, Value: 2.2e-6, HasValue: true, extra: &elementExtra{params: []Param{{Name: "ic", Value: 1e-3}}}}},
		{"L1 a b\n+ 1u\n+ m=2", Element{Name: "l1", Kind: 'l', Nodes: []string{"a", "b"}, Value: 1e-6, HasValue: true, extra: &elementExtra{params: []Param{{Name: "m", Value: 2}}}}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if len(c.Elements) != 1 {
			t.Errorf("%q: got %d elements, want 1", tc.src, len(c.Elements))
			continue
		}
		got := *c.Elements[0]
		got.Pos, got.NodePos, got.ValuePos = Pos{}, nil, Pos{}
		got.extra = withoutPlaces(got.extra)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.src, got, tc.want)
		}
	}
}

func TestElementPositions(t *testing.T) {
	c := mustParse(t, "  R1 a\n+   b  1k  m=2 rmod\n.model rmod r")
	r := c.Elements[0]
	want := []Pos{{"t.cir", 2, 3}, {"t.cir", 2, 6}, {"t.cir", 3, 5}, {"t.cir", 3, 8}, {"t.cir", 3, 12}, {"t.cir", 3, 16}}
	got := []Pos{r.Pos, r.NodePos[0], r.NodePos[1], r.ValuePos, r.Params()[0].Pos, r.ModelPos()}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions: got %v, want %v", got, want)
	}
	if p, ok := r.Param("m"); !ok || p.Value != 2 {
		t.Errorf("Param(m) = %v, %v", p, ok)
	}
}

func TestSources(t *testing.T) {
	tests := []struct {
		src  string
		want Source // Wave.Pos is not compared
	}{
		{"V1 a b 5", Source{DC: 5, HasDC: true}},
		{"V1 a b DC 5", Source{DC: 5, HasDC: true}},
		{"V1 a b dc -15", Source{DC: -15, HasDC: true}},
		{"V1 a b dc=0 ac=1", Source{DC: 0, HasDC: true, HasAC: true, ACMag: 1}},
		{"V1 a b AC", Source{HasAC: true, ACMag: 1}},
		{"V1 a b AC 2", Source{HasAC: true, ACMag: 2}},
		{"V1 a b AC 2 45", Source{HasAC: true, ACMag: 2, ACPhase: 45}},
		{"V1 a b DC 1 AC 1", Source{DC: 1, HasDC: true, HasAC: true, ACMag: 1}},
		{"V1 a b AC 1 DC 1", Source{DC: 1, HasDC: true, HasAC: true, ACMag: 1}},
		{"V1 a b 0.0 ac 1.0 sin(0 1 1k)", Source{DC: 0, HasDC: true, HasAC: true, ACMag: 1,
			Wave: &Waveform{Kind: "sin", Args: []float64{0, 1, 1e3}}}},
		{"V1 a b PULSE(0 1 1n 1n 1n 5n 10n)", Source{Wave: &Waveform{Kind: "pulse", Args: []float64{0, 1, 1e-9, 1e-9, 1e-9, 5e-9, 10e-9}}}},
		{"V1 a b PULSE(0 1 1n 1n 1n 5n 10n 3)", Source{Wave: &Waveform{Kind: "pulse", Args: []float64{0, 1, 1e-9, 1e-9, 1e-9, 5e-9, 10e-9, 3}}}},
		{"V1 a b pulse (0 1) ac 1", Source{HasAC: true, ACMag: 1, Wave: &Waveform{Kind: "pulse", Args: []float64{0, 1}}}},
		{"V1 a b PULSE 0 1 1n 1n 1n 5n 10n", Source{Wave: &Waveform{Kind: "pulse", Args: []float64{0, 1, 1e-9, 1e-9, 1e-9, 5e-9, 10e-9}}}},
		{"V1 1 0 PULSE(0, 5, 1n, 1n) DC 0 AC 1", Source{HasDC: true, HasAC: true, ACMag: 1,
			Wave: &Waveform{Kind: "pulse", Args: []float64{0, 5, 1e-9, 1e-9}}}},
		{"V1 a b SIN(0 1 1k 0 0 90)", Source{Wave: &Waveform{Kind: "sin", Args: []float64{0, 1, 1e3, 0, 0, 90}}}},
		{"V1 a b sine(0 1 1k)", Source{Wave: &Waveform{Kind: "sin", Args: []float64{0, 1, 1e3}}}},
		{"V1 a b EXP(0 1 1n 2n 5n 3n)", Source{Wave: &Waveform{Kind: "exp", Args: []float64{0, 1, 1e-9, 2e-9, 5e-9, 3e-9}}}},
		{"V1 a b PWL(0 0 1n 1 1n 2 5n 0)", Source{Wave: &Waveform{Kind: "pwl", Args: []float64{0, 0, 1e-9, 1, 1e-9, 2, 5e-9, 0}}}},
		{"I1 0 3 dc 0 PWL(0US 0MA 10US 0.1MA)", Source{HasDC: true, Wave: &Waveform{Kind: "pwl", Args: []float64{0, 0, 10e-6, 0.1e-3}}}},
		{"V1 1 0 DC 0 AC 1 SIN 0 1 1K 0 0 DISTOF1 0 DISTOF2 0", Source{HasDC: true, HasAC: true, ACMag: 1,
			Wave: &Waveform{Kind: "sin", Args: []float64{0, 1, 1e3, 0, 0}}}},
		{"V1 a b pulse(0 1\n+ 1n 1n)", Source{Wave: &Waveform{Kind: "pulse", Args: []float64{0, 1, 1e-9, 1e-9}}}},
		{"I1 a b 1m", Source{DC: 1e-3, HasDC: true}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if len(c.Elements) != 1 || c.Elements[0].Source() == nil {
			t.Errorf("%q: no source", tc.src)
			continue
		}
		got := *c.Elements[0].Source()
		if got.Wave != nil {
			w := *got.Wave
			w.Pos = Pos{}
			got.Wave = &w
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v %+v\nwant %+v %+v", tc.src, got, got.Wave, tc.want, tc.want.Wave)
		}
	}
	c := mustParse(t, "V1 a b dc 1 pulse(0 1)")
	if w := c.Elements[0].Source().Wave; w.Pos != (Pos{"t.cir", 2, 13}) {
		t.Errorf("waveform position: %v", w.Pos)
	}
}

func TestAnalyses(t *testing.T) {
	tests := []struct {
		src  string
		want Analysis
	}{
		{".op", &OP{}},
		{".OP", &OP{}},
		{".tran 1n 10n", &Tran{Step: 1e-9, Stop: 10e-9}},
		{".TRAN 1ns 6ns", &Tran{Step: 1e-9, Stop: 6e-9}},
		{".tran 1n 10n 2n", &Tran{Step: 1e-9, Stop: 10e-9, Start: 2e-9}},
		{".tran 1n 10n 0 0.1n", &Tran{Step: 1e-9, Stop: 10e-9, MaxStep: 0.1e-9}},
		{".tran 1n 10n uic", &Tran{Step: 1e-9, Stop: 10e-9, UIC: true}},
		{".tran 1n 10n 0 1n UIC", &Tran{Step: 1e-9, Stop: 10e-9, MaxStep: 1e-9, UIC: true}},
		{".ac dec 10 1k 1Meg", &AC{Sweep: "dec", Points: 10, Start: 1e3, Stop: 1e6}},
		{".AC LIN 5k 1k 10MEG", &AC{Sweep: "lin", Points: 5000, Start: 1e3, Stop: 10e6}},
		{".ac oct 100 250K 10Meg", &AC{Sweep: "oct", Points: 100, Start: 250e3, Stop: 10e6}},
		{".ac lin 1 0 0", &AC{Sweep: "lin", Points: 1}},
		{".dc vin -0.25 0.25 0.005", &DC{Sweeps: []DCSweep{{Source: "vin", Start: -0.25, Stop: 0.25, Step: 0.005}}}},
		{".dc vd 0 5 0.1 vg 0 5 1", &DC{Sweeps: []DCSweep{{Source: "vd", Stop: 5, Step: 0.1}, {Source: "vg", Stop: 5, Step: 1}}}},
		{".dc v1 3 -22.5 -0.5", &DC{Sweeps: []DCSweep{{Source: "v1", Start: 3, Stop: -22.5, Step: -0.5}}}},
	}
	for _, tc := range tests {
		c := mustParse(t, tc.src)
		if len(c.Analyses) != 1 {
			t.Errorf("%q: got %d analyses", tc.src, len(c.Analyses))
			continue
		}
		got := c.Analyses[0]
		if got.Position() != (Pos{"t.cir", 2, 1}) {
			t.Errorf("%q: position %v", tc.src, got.Position())
		}
		switch a := got.(type) {
		case *OP:
			a.Pos = Pos{}
		case *Tran:
			a.Pos = Pos{}
		case *AC:
			a.Pos = Pos{}
		case *DC:
			a.Pos = Pos{}
			for i := range a.Sweeps {
				a.Sweeps[i].Pos = Pos{}
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %+v, want %+v", tc.src, got, tc.want)
		}
		if got.Name() != strings.TrimPrefix(strings.ToLower(strings.Fields(tc.src)[0]), ".") {
			t.Errorf("%q: Name() = %q", tc.src, got.Name())
		}
	}
}

func TestControlLines(t *testing.T) {
	c := mustParse(t, `.ic v(1)=0 V(out)=1.5 v(GND)=0
.ic v(x) = 2
.options reltol=1e-4 abstol=1p method=gear noacct
.option itl4=50 METHOD=trapezoidal
.opt temp=50 tnom=27 seed=42 maxord=2 gmin=1e-12 vntol=1u chgtol=1e-14 trtol=7 itl1=100 itl2=50
.save v(a) i(v1) all out v(a,b) vs1#branch
.print tran v(2) i(vin) state(y1.f) n3
.PRINT TRAN I(VR1), I(VR2),I(VR3)
.print ac vm(out) vp(out) vdb(out) vr(a,b) vi(out)
.print dc v(a)
.print op v(a)
.plot tran v(2) i(vin)
.width in=72
.title The Real Title
.model dmod D
.model m nmos(nsub=2.2e15 uo=575
+   level=2)
.MODEL NMOS3 NMOS (LEVEL  = 1  L = 3u  W = 9u)
.model rmodel1 R  RSH = 1000 NARROW = 1u
.model 1n4002 d(is=1.3f)
.model mem memristor (rmin=1k rmax=10k)
`)
	wantICs := []IC{{"1", 0, Pos{"t.cir", 2, 5}}, {"out", 1.5, Pos{"t.cir", 2, 12}}, {"0", 0, Pos{"t.cir", 2, 23}}, {"x", 2, Pos{"t.cir", 3, 5}}}
	if !reflect.DeepEqual(c.ICs, wantICs) {
		t.Errorf("ICs: got %v, want %v", c.ICs, wantICs)
	}
	var opts []string
	for _, o := range c.Options {
		if o.Str != "" {
			opts = append(opts, o.Name+"="+o.Str)
		} else {
			opts = append(opts, o.Name+"="+formatFloat(o.Value))
		}
	}
	wantOpts := "reltol=0.0001 abstol=1e-12 method=gear itl4=50 method=trap temp=50 tnom=27 seed=42 maxord=2 gmin=1e-12 vntol=1e-06 chgtol=1e-14 trtol=7 itl1=100 itl2=50"
	if strings.Join(opts, " ") != wantOpts {
		t.Errorf("options:\n got %s\nwant %s", strings.Join(opts, " "), wantOpts)
	}
	if c.Options[0].Pos != (Pos{"t.cir", 4, 10}) {
		t.Errorf("option position %v", c.Options[0].Pos)
	}
	if got := vectorNames(c.Saves); got != "v(a) i(v1) all v(out) v(a,b) i(vs1)" {
		t.Errorf("saves: %s", got)
	}
	var prints []string
	for _, p := range c.Prints {
		prints = append(prints, p.Type+": "+vectorNames(p.Vectors))
	}
	wantPrints := []string{
		"tran: v(2) i(vin) state(y1.f) v(n3)",
		"tran: i(vr1) i(vr2) i(vr3)",
		"ac: vm(out) vp(out) vdb(out) vr(a,b) vi(out)",
		"dc: v(a)",
		"op: v(a)",
	}
	if !reflect.DeepEqual(prints, wantPrints) {
		t.Errorf("prints:\n got %q\nwant %q", prints, wantPrints)
	}
	if c.Prints[0].Vectors[1].Pos != (Pos{"t.cir", 8, 18}) {
		t.Errorf("vector position: %v", c.Prints[0].Vectors[1].Pos)
	}
	if c.Title != "The Real Title" {
		t.Errorf("title %q", c.Title)
	}
	models := map[string]string{}
	for name, m := range c.Models {
		var ps []string
		for _, p := range m.Params {
			ps = append(ps, p.Name+"="+formatFloat(p.Value))
		}
		models[name] = m.Type + " " + strings.Join(ps, " ")
	}
	wantModels := map[string]string{
		"dmod":    "d ",
		"m":       "nmos nsub=2.2e+15 uo=575 level=2",
		"nmos3":   "nmos level=1 l=3e-06 w=9e-06",
		"rmodel1": "r rsh=1000 narrow=1e-06",
		"1n4002":  "d is=1.3e-15",
		"mem":     "memristor rmin=1000 rmax=10000",
	}
	if !reflect.DeepEqual(models, wantModels) {
		t.Errorf("models:\n got %v\nwant %v", models, wantModels)
	}
	if m := c.Models["m"]; m.Pos != (Pos{"t.cir", 17, 1}) || m.Params[2].Pos != (Pos{"t.cir", 18, 5}) {
		t.Errorf("model positions: %v %v", m.Pos, m.Params[2].Pos)
	}
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func vectorNames(vs []Vector) string {
	var s []string
	for _, v := range vs {
		s = append(s, v.Name)
	}
	return strings.Join(s, " ")
}

func TestTitle(t *testing.T) {
	for src, want := range map[string]string{
		"":                        "",
		"\n":                      "",
		"My Circuit\nR1 a b 1":    "My Circuit",
		"R1 a b 1k\nR2 a b 1":     "R1 a b 1k",
		"* comment\n.op":          "* comment",
		"Title ; not a comment\n": "Title ; not a comment",
		"t\n.title":               "",
		"t\n.TITLE Hello, World!": "Hello, World!",
	} {
		c, err := Parse("t.cir", []byte(src))
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if c.Title != want {
			t.Errorf("%q: title %q, want %q", src, c.Title, want)
		}
	}
}

func TestEnd(t *testing.T) {
	c := mustParse(t, "R1 a b 1\n.end\nR2 a b {\n.bogus\n")
	if len(c.Elements) != 1 {
		t.Errorf("lines after .end were read")
	}
	c = mustParse(t, "R1 a b 1\n.END\n")
	if len(c.Elements) != 1 {
		t.Errorf(".END")
	}
}

func TestCaseAndGround(t *testing.T) {
	c := mustParse(t, "VIN IN Gnd DC 1\nRLOAD IN 0 1K\n.PRINT TRAN V(IN) V(IN,GND)\n")
	if c.Elements[0].Name != "vin" || c.Elements[0].Nodes[0] != "in" || c.Elements[0].Nodes[1] != "0" {
		t.Errorf("element: %+v", c.Elements[0])
	}
	if got := vectorNames(c.Prints[0].Vectors); got != "v(in) v(in,0)" {
		t.Errorf("vectors: %s", got)
	}
}
