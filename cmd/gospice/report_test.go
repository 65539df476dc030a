package main

import (
	"context"
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
