package control

import "testing"

// psdScript takes psd of a sine with an offset as examples/transient-noise/noi-sc-tr.cir
// does (linearize, then psd ave vectors): with the hanning window, with none, and
// smoothed over 1, 4 and 11 neighbours (ngspice's ends of the moving average differ
// for even and odd widths); the plot's name, type and vectors, the printed noise powers
// and a file of the densities agree with ngspice 39's.
const psdScript = `test psd
v1 in 0 dc 0 sin(0.3 1 1meg)
r1 in out 1k
r2 out 0 1k
.control
tran 10n 8u
linearize v(in) v(out)
psd 1 v(in) v(out)
display
print frequency[1] frequency[512] v(in)[0] v(in)[8] v(in)[9] v(out)[10] v(in)[512]
wrdata psd1.txt v(in)
foreach ave 4 11
  setplot tran2
  psd $ave v(in)
  print v(in)[0] v(in)[1] v(in)[5] v(in)[9] v(in)[511] v(in)[512]
end
set specwindow=none
setplot tran2
psd 3 v(in)
wrdata psdnone.txt v(in)
.endc
.end
`

// TestPsdAgainstNgspice: the numbers agree within 1e-8, or 1e-12 absolute (measured:
// they fail at 1e-9 only on the last digit of a frequency the two round differently,
// 7.82226562e+05 and 7.82226563e+05 of 782226.5625).
func TestPsdAgainstNgspice(t *testing.T) {
	againstNgspice(t, psdScript, 1e-8)
}

// TestPsdErrors: psd needs a whole number of values to average and vectors of a
// transient plot.
func TestPsdErrors(t *testing.T) {
	_, errs, in := runBlock(t, `tran 1u 10u
psd 0 v(in)
psd 2.5 v(in)
psd v(in)
psd 3 nosuch
op
psd 3 v(in)
`)
	mentions(t, errs, `6:1: error: psd: the number of values to average, "0", is not a whole number from 1 to 4194304`,
		`7:1: error: psd: the number of values to average, "2.5"`, "8:1: error: psd: usage: psd ave vector ...",
		"9:1: error: psd: ", "11:1: error: psd: ")
	if in.Errors != 5 {
		t.Errorf("%d errors, want 5:\n%s", in.Errors, errs)
	}
}
