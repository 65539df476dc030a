package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// The results of .meas lines go to standard error, one a line after their analysis,
// even with --quiet; standard output keeps to the data.
func TestRunPrintsMeasuresOnStderr(t *testing.T) {
	dir := t.TempDir()
	writeNetlist(t, dir, "rc.cir", strings.Replace(rcNetlist, ".end", `.print tran v(in)
.meas tran thalf WHEN v(out)=0.5
.meas tran never WHEN v(out)=2
.end`, 1))
	r := runCLI(t, context.Background(), dir, "run", "--quiet", "rc.cir", "-o", "-")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "time,v(in)\n") || strings.Contains(r.stdout, "thalf") {
		t.Errorf("standard output %.40q...", r.stdout)
	}
	want := regexp.MustCompile(`^tran: thalf = 6\.9\d{5}e-04\ntran: never = failed \(v\(out\) never crosses 2\)\n$`)
	if !want.MatchString(r.stderr) {
		t.Errorf("standard error %q", r.stderr)
	}
}
