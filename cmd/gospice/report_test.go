package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// .tf, .sens, .four and .noise write their files and print their numbers on standard
// error, --quiet or not; .noise's totals go to a file of their own.
func TestRunSmallSignalFiles(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "div.cir", `divider
v1 a 0 dc 1 ac 1
r1 a b 1k
r2 b 0 3k
.tf v(b) v1
.sens v(b)
.noise v(b) v1 lin 2 1k 2k
.tran 10u 2m
.four 1k v(b)
.end
`)
	r := runCLI(t, context.Background(), dir, "run", "--quiet", "div.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := []string{"div.cir", "div.four.csv", "div.noise-total.csv", "div.noise.csv", "div.sens.csv", "div.tf.csv", "div.tran.csv"}
	if got := files(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	for _, s := range []string{
		"Transfer function information:\ntransfer_function = 7.500000e-01\nv1#input_impedance = 4.000000e+03\noutput_impedance_at_v(b) = 7.500000e+02\n",
		"DC sensitivities of output v(b):\n",
		"r1_scale = -1.87500e-01\n",
		"Integrated noise of v(b) from v1:\nonoise_total = ",
		"Fourier analysis for v(b):\n  No. Harmonics: 10, THD: ",
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("standard error lacks %q:\n%s", s, r.stderr)
		}
	}
	for name, header := range map[string]string{
		"div.tf.csv":          "transfer_function,v1#input_impedance,output_impedance_at_v(b)\n",
		"div.noise.csv":       "frequency,onoise_spectrum,inoise_spectrum\n",
		"div.noise-total.csv": "onoise_total,inoise_total\n",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.HasPrefix(string(b), header) {
			t.Errorf("%s: %q %v", name, b, err)
		}
	}
}

// .pz writes re/im columns of each pole and zero and prints them as ngspice's print all
// does; in a raw file they are one complex plot, named as ngspice 39 names them.
func TestRunPZFiles(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "hp.cir", `high-pass
r1 1 0 1k
r2 2 0 1k
c1 1 2 1p
.pz 1 0 2 0 cur pz
.end
`)
	r := runCLI(t, context.Background(), dir, "run", "--quiet", "hp.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "pole(1) = -5.00000e+08,0.000000e+00\nzero(1) = 0.000000e+00,0.000000e+00\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("standard error lacks %q:\n%s", want, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "hp.pz.csv"))
	if err != nil || !strings.HasPrefix(string(b), "re(pole(1)),im(pole(1)),re(zero(1)),im(zero(1))\n") {
		t.Errorf("hp.pz.csv: %q %v", b, err)
	}
	r = runCLI(t, context.Background(), dir, "run", "--quiet", "--format", "rawascii", "hp.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	f, err := os.Open(filepath.Join(dir, "hp.raw"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plots, err := readRaw(f)
	if err != nil || len(plots) != 1 {
		t.Fatalf("%d plots, %v", len(plots), err)
	}
	p := plots[0]
	if p.Name != "Pole-Zero Analysis" || !p.Complex || len(p.Vars) != 2 || p.Vars[0].Name != "v(pole(1))" || p.Vars[1].Name != "v(zero(1))" {
		t.Errorf("plot %q complex %v vars %+v", p.Name, p.Complex, p.Vars)
	}
	if got := p.Cplx[0][0]; math.Abs(real(got)+5e8) > 1e-6 || imag(got) != 0 {
		t.Errorf("pole(1) = %v", got)
	}
}

// .pz with .step: each run may find another number of poles, so the runs' CSV file is
// refused (a raw file holds a plot per run).
func TestRunPZStepRefusedInCSV(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "st.cir", `steps
v1 in 0 0 ac 1
r1 in out {rv}
c1 out 0 10p
.param rv=1k
.step param rv list 1k 2k
.pz in 0 out 0 vol pz
.end
`)
	r := runCLI(t, context.Background(), dir, "run", "--quiet", "st.cir")
	if r.code != 1 || !strings.Contains(r.stderr, "st.cir:7:1: .pz with .step is not supported in CSV files") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	r = runCLI(t, context.Background(), dir, "run", "--quiet", "--format", "raw", "st.cir")
	if r.code != 0 {
		t.Errorf("raw: exit %d: %s", r.code, r.stderr)
	}
}

// .sp writes <stem>.sp.csv (the vectors' parts, then S, Y and Z) and a complex raw plot
// named SP Analysis; .sens ... ac writes the frequency and each parameter's parts and
// prints them as ngspice's print all does.
func TestRunSPAndACSensFiles(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "att.cir", `attenuator
v1 a 0 dc 0 ac 1 portnum 1
r1 a b 100
v2 b 0 portnum 2 z0 50
.sp lin 2 1k 2k
.sens v(b) ac lin 1 1k 1k
.end
`)
	r := runCLI(t, context.Background(), dir, "run", "--quiet", "att.cir")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for name, header := range map[string]string{
		"att.sp.csv":   "frequency,re(v(a)),im(v(a)),re(v(v1#res)),im(v(v1#res)),re(v(b)),im(v(b)),re(v(v2#res)),im(v(v2#res)),re(i(v1)),im(i(v1)),re(i(v2)),im(i(v2)),re(s_1_1),im(s_1_1),",
		"att.sens.csv": "frequency,re(r1),im(r1),re(r1:bv_max),",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.HasPrefix(string(b), header) {
			t.Errorf("%s: %q %v", name, b, err)
		}
	}
	// v(b) = 50/200 of v1's 1 V: d v(b)/d r1 = -50/200^2, and per V of v1's AC magnitude 0.25.
	for _, s := range []string{"AC sensitivities of output v(b):\nfrequency = 1.000000e+03\n", "r1 = -1.25000e-03,0.000000e+00\n", "v1_acmag = 2.500000e-01,"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("standard error lacks %q:\n%s", s, r.stderr)
		}
	}
	r = runCLI(t, context.Background(), dir, "run", "--quiet", "--format", "rawascii", "att.cir")
	b, err := os.ReadFile(filepath.Join(dir, "att.raw"))
	if r.code != 0 || err != nil || !strings.Contains(string(b), "Plotname: SP Analysis\nFlags: complex\n") || !strings.Contains(string(b), "\ts_2_1\tvoltage\n") {
		t.Errorf("exit %d, %v: raw file %.600s", r.code, err, b)
	}
}
