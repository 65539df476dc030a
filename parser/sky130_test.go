package parser

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sky130Lib is SkyWater's SKY130 model library in the shared data beside the repository.
var sky130Lib = filepath.Join("..", "..", "shared", "pdk", "sky130", "combined_models", "continuous", "sky130.lib.spice")

// sky130Netlist writes a netlist that loads section of the SKY130 library and holds
// the lines body, and returns its path; the test skips when the library is absent.
func sky130Netlist(t *testing.T, section, body string) string {
	t.Helper()
	lib, err := filepath.Abs(sky130Lib)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib); err != nil {
		t.Skipf("%s not present (the shared data is not part of the repository): %v", lib, err)
	}
	path := filepath.Join(t.TempDir(), "sky130.cir")
	src := "* sky130\n.lib " + lib + " " + section + "\n" + body + "\n.end\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sky130Binned are instances of SKY130's FETs, with the card ngspice 39 chooses for each
// (ngbehavior=hsa, showmod) and values it reports for the card and the instance. The
// values were printed by ngspice 39 (`showmod` and `show` in a .control block of the
// same netlist, run with ngspice -b and a .spiceinit that sets ngbehavior=hsa) to six
// digits.
var sky130Binned = []struct {
	line   string // the X line
	mos    string // the flat name of its MOSFET
	model  string // the card chosen, flat
	card   map[string]float64
	params map[string]float64 // of the instance, after scale
}{
	{"X1 d d 0 0 sky130_fd_pr__nfet_01v8 l=0.15 w=1", "x1.msky130_fd_pr__nfet_01v8", "x1.nshort_model.32",
		map[string]float64{"lmin": 1.5e-07, "lmax": 1.8e-07, "wmin": 1e-06, "wmax": 3e-06, "vth0": 0.759049,
			"u0": 0.0410985, "rsh": 532.6, "toxe": 4.148e-09, "lint": 1.1932e-08, "wint": 2.1859e-08,
			"cgso": 2.44907e-10, "cjs": 0.00135, "cjsws": 3.67354e-11, "k2": -0.126764, "lvth0": -4.2301e-08,
			"wvth0": -1.62563e-07, "pvth0": 2.64648e-14},
		map[string]float64{"l": 1.5e-07, "w": 1e-06, "nf": 1, "ad": 0, "as": 0, "pd": 0, "ps": 0, "nrd": 0.14,
			"nrs": 0.14, "delvto": 0, "sa": 0}},
	// W per finger: w=2 with nf=2 takes the card of w=1.
	{"X2 d d 0 0 sky130_fd_pr__nfet_01v8 l=0.15 w=2 nf=2", "x2.msky130_fd_pr__nfet_01v8", "x2.nshort_model.32",
		map[string]float64{"vth0": 0.759049, "rsh": 532.6},
		map[string]float64{"l": 1.5e-07, "w": 2e-06, "nf": 2, "nrd": 0.07, "nrs": 0.07}},
	// l=0.18 is lmax of card 32 and lmin of card 31: the first in file order wins.
	{"X3 d d 0 0 sky130_fd_pr__nfet_01v8 l=0.18 w=1", "x3.msky130_fd_pr__nfet_01v8", "x3.nshort_model.31",
		map[string]float64{"lmin": 1.8e-07, "lmax": 2.5e-07, "wmin": 1e-06, "wmax": 3e-06, "vth0": 0.619169,
			"u0": -0.0246364, "rsh": 532.6, "k2": 0.0714418, "lvth0": -2.04608e-08, "wvth0": -2.01635e-09,
			"pvth0": 1.39765e-15},
		map[string]float64{"l": 1.8e-07, "w": 1e-06, "nrd": 0.14}},
	{"X4 d d 0 0 sky130_fd_pr__pfet_01v8 l=1 w=3", "x4.msky130_fd_pr__pfet_01v8", "x4.pshort_model.20",
		map[string]float64{"lmin": 1e-06, "lmax": 2e-06, "wmin": 3e-06, "wmax": 5e-06, "vth0": -1.05428,
			"u0": 0.00611155, "rsh": 1609.33, "toxe": 4.23e-09, "lint": -1.3994e-08, "wint": 7.3039e-09,
			"cgso": 5.24893e-11, "cjs": 0.0007408, "cjsws": 9.92614e-11, "k2": 0.154628, "lvth0": 4.45398e-09,
			"wvth0": -8.18498e-09, "pvth0": 1.18336e-13},
		map[string]float64{"l": 1e-06, "w": 3e-06, "nrd": 0.0466667, "nrs": 0.0466667, "delvto": 0}},
	{"X5 d d 0 0 sky130_fd_pr__nfet_01v8 l=8 w=7", "x5.msky130_fd_pr__nfet_01v8", "x5.nshort_model.1",
		map[string]float64{"lmin": 8e-06, "lmax": 2.02e-05, "wmin": 7e-06, "wmax": 0.00101, "vth0": 0.519009,
			"u0": 0.0318614, "rsh": 456.229, "k2": -0.0267246},
		map[string]float64{"l": 8e-06, "w": 7e-06, "nrd": 0.02, "nrs": 0.02}},
	{"X6 d d 0 0 sky130_fd_pr__pfet_01v8_hvt l=0.15 w=0.42", "x6.msky130_fd_pr__pfet_01v8_hvt", "x6.phighvt_model.48",
		map[string]float64{"lmin": 1.5e-07, "lmax": 1.8e-07, "wmin": 4.2e-07, "wmax": 5.5e-07, "vth0": -1.48805,
			"u0": 0.00228577, "rsh": 2348.52, "toxe": 4.23e-09, "lint": -1.176e-08, "wint": 9.364e-09,
			"cgso": 5.93202e-11, "cjs": 0.0007461, "cjsws": 9.27832e-11, "k2": -0.0730849, "lvth0": 7.2671e-08,
			"wvth0": 2.22499e-07, "pvth0": -3.8608e-14},
		map[string]float64{"l": 1.5e-07, "w": 4.2e-07, "nrd": 0.333333, "nrs": 0.333333, "delvto": -0.0103175}},
	{"X7 d d 0 0 sky130_fd_pr__nfet_01v8 l=0.5 w=0.42 nf=1", "x7.msky130_fd_pr__nfet_01v8", "x7.nshort_model.45",
		map[string]float64{"lmin": 5e-07, "lmax": 1e-06, "wmin": 4.2e-07, "wmax": 5.5e-07, "vth0": 0.602076,
			"u0": 0.0475572, "rsh": 655.643, "k2": -0.0813672, "lvth0": 2.05223e-08, "wvth0": -3.24589e-08,
			"pvth0": -3.13644e-15},
		map[string]float64{"l": 5e-07, "w": 4.2e-07, "nrd": 0.333333, "nrs": 0.333333}},
}

// TestSky130Binning loads SKY130's tt section with FETs of several sizes and checks, for
// each, the card chosen among the bins and the values of the card's and the instance's
// parameters that reach the MOSFET, against ngspice 39's.
func TestSky130Binning(t *testing.T) {
	var lines []string
	for _, b := range sky130Binned {
		lines = append(lines, b.line)
	}
	path := sky130Netlist(t, "tt", "Vd d 0 1\n"+strings.Join(lines, "\n")+"\n.op")
	c, err := ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	els := map[string]*Element{}
	for _, el := range c.Elements {
		els[el.Name] = el
	}
	worst := 0.0
	check := func(what string, got, want float64) {
		t.Helper()
		d := math.Abs(got - want)
		if want != 0 {
			d /= math.Abs(want)
		}
		worst = max(worst, d)
		// ngspice prints six digits: its rounding is at most 5e-6 of the value.
		if d > 1e-5 {
			t.Errorf("%s = %.7g, ngspice %.7g", what, got, want)
		}
	}
	for _, b := range sky130Binned {
		el := els[b.mos]
		if el == nil {
			t.Errorf("%s: no element %s", b.line, b.mos)
			continue
		}
		if el.Model != b.model {
			t.Errorf("%s: card %s, ngspice chooses %s", b.line, el.Model, b.model)
			continue
		}
		m := c.Models[el.Model]
		if m == nil {
			t.Errorf("%s: card %s not in the circuit's models", b.line, el.Model)
			continue
		}
		card := map[string]float64{}
		for _, p := range m.Params {
			card[p.Name] = p.Value
		}
		for name, want := range b.card {
			got, ok := card[name]
			if !ok {
				t.Errorf("%s: %s has no %s", b.line, m.Name, name)
				continue
			}
			check(m.Name+" "+name, got, want)
		}
		for name, want := range b.params {
			p, ok := el.Param(name)
			if !ok {
				if want != 0 {
					t.Errorf("%s: %s not given", b.mos, name)
				}
				continue
			}
			check(b.mos+" "+name, p.Value, want)
		}
	}
	t.Logf("largest relative difference from ngspice's printed values: %.2g", worst)
	// Only the cards used are elaborated: two FETs of a kind share nothing but the
	// instances' own copies.
	if n := len(c.Models); n != len(sky130Binned) {
		t.Errorf("%d models elaborated, want %d (one card per instance)", n, len(sky130Binned))
	}
}

// TestSky130Corners loads every section of the library with an inverter: each reaches
// the MOSFET builder with its cards, or fails only there.
func TestSky130Corners(t *testing.T) {
	sections := []string{"tt", "ss", "ff", "sf", "fs", "ll", "hl", "lh", "hh",
		"tt_mm", "ss_mm", "ff_mm", "sf_mm", "fs_mm", "ll_mm", "hl_mm", "lh_mm", "hh_mm", "mc"}
	if testing.Short() {
		sections = sections[:3]
	}
	for _, sec := range sections {
		path := sky130Netlist(t, sec, `Vdd vdd 0 1.8
Vin in 0 0.9
XM1 out in 0 0 sky130_fd_pr__nfet_01v8 l=0.15 w=1
XM2 out in vdd vdd sky130_fd_pr__pfet_01v8 l=0.15 w=2
.op`)
		d, err := ParseDeckFile(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.Elaborate(context.Background(), Variant{})
		if err != nil {
			t.Errorf("%s: %v", sec, err)
			continue
		}
		for _, name := range []string{"xm1.msky130_fd_pr__nfet_01v8", "xm2.msky130_fd_pr__pfet_01v8"} {
			found := false
			for _, el := range c.Elements {
				if el.Name == name {
					found = c.Models[el.Model] != nil
				}
			}
			if !found {
				t.Errorf("%s: %s or its card missing", sec, name)
			}
		}
	}
}

// TestSky130MonteCarlo checks the library's random parameters: in tt every AGAUSS is
// multiplied by a switch at 0 and the values are the nominal ones; the mc section draws
// the process parameters once per run, shared by every device (sw_polycd moves lint of
// every nfet card by the same amount: AGAUSS(0,1.5e-09,1), a standard deviation of
// 1.5 nm), and tt_mm draws a mismatch per instance (delvto).
func TestSky130MonteCarlo(t *testing.T) {
	fets := "Vd d 0 1\nX1 d d 0 0 sky130_fd_pr__nfet_01v8 l=0.15 w=1\nX2 d d 0 0 sky130_fd_pr__nfet_01v8 l=0.15 w=1\n.op"
	deck := func(section string) *Deck {
		d, err := ParseDeckFile(context.Background(), sky130Netlist(t, section, fets))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// lint of the two cards and delvto of the two instances in one elaboration.
	values := func(d *Deck, v Variant) (lint [2]float64, delvto [2]float64) {
		c, err := d.Elaborate(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		for _, el := range c.Elements {
			k := -1
			switch el.Name {
			case "x1.msky130_fd_pr__nfet_01v8":
				k = 0
			case "x2.msky130_fd_pr__nfet_01v8":
				k = 1
			default:
				continue
			}
			lint[k] = modelParam(c.Models[el.Model], "lint")
			p, _ := el.Param("delvto")
			delvto[k] = p.Value
		}
		return lint, delvto
	}
	const nominal = 1.1932e-8
	lint, delvto := values(deck("tt"), Variant{})
	if lint != [2]float64{nominal, nominal} || delvto != [2]float64{} {
		t.Errorf("tt: lint %v, delvto %v; want the nominal %g and 0", lint, delvto, nominal)
	}

	mc := deck("mc")
	a, _ := values(mc, Variant{Run: 1})
	b, _ := values(mc, Variant{Run: 1})
	if a != b || a[0] != a[1] {
		t.Errorf("mc run 1: lint %v then %v: want the same value, twice, for both cards", a, b)
	}
	const runs = 40
	var sum, sum2 float64
	for run := 1; run <= runs; run++ {
		l, _ := values(mc, Variant{Run: run})
		d := nominal - l[0]
		sum += d
		sum2 += d * d
	}
	mean := sum / runs
	std := math.Sqrt(sum2/runs - mean*mean)
	t.Logf("mc: sw_polycd over %d runs: mean %.3g, standard deviation %.3g (AGAUSS(0,1.5e-09,1))", runs, mean, std)
	// The sampling error of the mean is 1.5e-9/sqrt(40) = 2.4e-10, of the deviation
	// about 11%: the bounds are three times those.
	if math.Abs(mean) > 7.2e-10 || math.Abs(std-1.5e-9) > 0.5e-9 {
		t.Errorf("mc: mean %g, standard deviation %g; want 0 and 1.5e-9", mean, std)
	}

	_, delvto = values(deck("tt_mm"), Variant{})
	if delvto[0] == 0 || delvto[1] == 0 || delvto[0] == delvto[1] {
		t.Errorf("tt_mm: delvto %v: want a mismatch of its own for each instance", delvto)
	}
}

// TestSky130EssentialFETs loads every FET of the library's test/essential.txt that the
// continuous models hold, at a size inside its bins (the 20 V ones have a fixed L), and
// checks that each MOSFET reaches the builder with its card (a level 54 card: the
// device that builds it is another package's).
func TestSky130EssentialFETs(t *testing.T) {
	lines := []string{
		"X1 d d d d sky130_fd_pr__esd_nfet_05v0_nvt l=0.9 w=10",
		"X2 d d d d sky130_fd_pr__esd_nfet_g5v0d10v5 l=0.55 w=17.5",
		"X3 d d d d sky130_fd_pr__esd_pfet_g5v0d10v5 l=0.55 w=14.5",
		"X4 d d d d sky130_fd_pr__nfet_01v8 l=0.15 w=0.42",
		"X5 d d d d sky130_fd_pr__nfet_01v8_lvt l=0.15 w=0.42",
		"X6 d d d d sky130_fd_pr__nfet_03v3_nvt l=0.6 w=4",
		"X7 d d d d sky130_fd_pr__nfet_05v0_nvt l=0.9 w=1",
		"X8 d d d d sky130_fd_pr__nfet_20v0 w=60",
		"X9 d d d d d sky130_fd_pr__nfet_20v0_iso w=60",
		"X10 d d d d sky130_fd_pr__nfet_20v0_nvt w=60",
		"X11 d d d d sky130_fd_pr__nfet_20v0_zvt w=60",
		"X12 d d d d sky130_fd_pr__nfet_g5v0d10v5 l=0.5 w=1",
		"X13 d d d d sky130_fd_pr__nfet_g5v0d16v0",
		"X14 d d d d sky130_fd_pr__pfet_01v8 l=0.15 w=0.42",
		"X15 d d d d sky130_fd_pr__pfet_01v8_hvt l=0.15 w=0.42",
		"X16 d d d d sky130_fd_pr__pfet_01v8_lvt l=0.35 w=0.42",
		"X18 d d d d sky130_fd_pr__pfet_20v0 w=60",
		"X19 d d d d sky130_fd_pr__pfet_g5v0d10v5 l=0.5 w=1",
		"X20 d d d d sky130_fd_pr__pfet_g5v0d16v0",
	}
	path := sky130Netlist(t, "tt", "Vd d 0 1\n"+strings.Join(lines, "\n")+"\n.op")
	c, err := ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		inst := strings.ToLower(strings.Fields(l)[0]) + "."
		found := false
		for _, el := range c.Elements {
			if el.Kind == 'm' && strings.HasPrefix(el.Name, inst) { // the 16 V FETs nest theirs
				m := c.Models[el.Model]
				if m == nil || modelParam(m, "level") != 54 {
					t.Errorf("%s: card %q missing or not level 54", el.Name, el.Model)
				}
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no MOSFET", l)
		}
	}
}
