package bsim3

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

// noiseDevice builds m1 of a noimod 2 card (testCard with the given parameters after it)
// and gives it with the channel at vgs, vds, vbs (volts at the internal nodes).
func noiseDevice(t *testing.T, params string, vgs, vds, vbs float64) (*Device, channel) {
	t.Helper()
	c, err := parser.Parse("t.cir", []byte("* t\nm1 d g 0 b n w=10u l=0.5u\n.model n nmos level=8 noimod=2\n"+testCard+"\n+ "+params+"\n.end\n"))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := devices.Build(context.Background(), c, devices.DefaultEnv())
	if err != nil {
		t.Fatal(err)
	}
	d := devs[0].(*Device)
	b := mna.NewBuilder(mna.Tolerances{VnTol: 1e-6, AbsTol: 1e-12})
	d.Setup(b)
	x := make([]float64, b.Build().N+1)
	x[d.t[tG]], x[d.t[tD]], x[d.t[tB]] = vgs, vds, vbs
	return d, d.noiseChannel(x)
}

// TestFlickerKeta: the number fluctuation of BSIM3's flicker noise divides by Abulk
// before its body bias factor 1/(1 + keta Vbseff), as ngspice 39 does (the QA deck
// bsim3/nmos noise2, whose source resistance puts the body 11 mV below the source, was
// 3.0e-4 off ngspice and its reference with the whole Abulk). With noib = noic = 0 and em
// = 0 the density is the closed form q^2 kT ids ueff noia ln((n0+n*)/(nl+n*)) /
// (1e8 Abulk' cox leff^2); at Vbs = -1 V, keta = -0.04, the two Abulks are 4% apart.
func TestFlickerKeta(t *testing.T) {
	d, c := noiseDevice(t, "noib=0 noic=0 em=0", 1.5, 1.2, -1)
	s := d.s
	ids := math.Abs(c.Ids.v)
	kt := s.p[bKeta] * c.Vbseff.v
	if kt < -0.9 {
		t.Fatalf("keta Vbseff = %g: the test wants the plain 1/(1 + keta Vbseff)", kt)
	}
	abulkNoKeta := c.abulk * (1 + kt)
	q, kT := noiseCharge, noiseKoverQ*s.kelvin
	n0 := s.cox * c.vgsteff / q
	nl := s.cox * c.vgsteff * (1 - c.abulk/c.vgst2Vtm*c.vdseff) / q
	want := q * q * kT * ids * c.ueff * s.noise.noia * math.Log((n0+2e14)/(nl+2e14)) /
		(1e8 * abulkNoKeta * s.cox * s.leff * s.leff)
	got := s.strongInversionFlicker(&c, ids)
	if rel := math.Abs(got/want - 1); !(rel < 1e-13) {
		t.Errorf("strong inversion flicker density %g, want %g (%.2g apart; with the whole Abulk %g)",
			got, want, rel, want*abulkNoKeta/c.abulk)
	}
}

// TestFlickerLintnoi: in version 3.3 lintnoi shortens the length of both strong
// inversion terms to leff - 2 lintnoi (ngspice 39: 1.71 times the flicker density without
// it on the QA deck bsim3/nmos noise2 with lintnoi = 2e-8); ngspice's 3.2.x ignores it,
// with a warning, and gospice lists it as unused there.
func TestFlickerLintnoi(t *testing.T) {
	const vgs, vds, vbs, lintnoi = 1.5, 1.2, -0.5, 5e-8
	d0, c0 := noiseDevice(t, "", vgs, vds, vbs)
	d1, c1 := noiseDevice(t, "lintnoi=5e-8", vgs, vds, vbs)
	ids := math.Abs(c0.Ids.v)
	leff := d0.s.leff
	ratio := d1.s.strongInversionFlicker(&c1, ids) / d0.s.strongInversionFlicker(&c0, ids)
	if want := leff * leff / ((leff - 2*lintnoi) * (leff - 2*lintnoi)); math.Abs(ratio/want-1) > 1e-13 {
		t.Errorf("lintnoi=%g multiplies the density by %.15g, want (leff/(leff - 2 lintnoi))^2 = %.15g", lintnoi, ratio, want)
	}
	if u := d1.UnusedParams(); slices.Contains(u, "lintnoi") {
		t.Errorf("version 3.3 lists lintnoi as unused: %v", u)
	}
	d2, c2 := noiseDevice(t, "lintnoi=5e-8 version=3.2.4", vgs, vds, vbs)
	d3, c3 := noiseDevice(t, "version=3.2.4", vgs, vds, vbs)
	if a, b := d2.s.strongInversionFlicker(&c2, ids), d3.s.strongInversionFlicker(&c3, ids); a != b {
		t.Errorf("version 3.2.4: lintnoi changes the density from %g to %g", b, a)
	}
	if u := d2.UnusedParams(); !slices.Contains(u, "lintnoi") {
		t.Errorf("version 3.2.4 does not list lintnoi as unused: %v", u)
	}
}

// TestFlickerClmClamp: where em is so small that the velocity-saturated length's log is
// of a number below 1 (the linear region, em = 1e5 V/m), that length is zero, as in
// ngspice 39's BSIM3 3.3, not negative (which lowered the density: to 0.47 of ngspice's
// here, and below zero, NaN at the output, on the QA deck bsim3/nmos noise2 at V(d) =
// 0.05 V with em = 1e5).
func TestFlickerClmClamp(t *testing.T) {
	d, c := noiseDevice(t, "em=1e5", 1.5, 0.05, 0)
	dNo, cNo := noiseDevice(t, "em=0", 1.5, 0.05, 0)
	ids := math.Abs(c.Ids.v)
	if t0 := ((c.Vds.v-c.vdseff)/d.s.litl + 1e5) * c.ueff / (2 * d.s.vsattemp); !(t0 < 1) {
		t.Fatalf("the log's argument is %g: the test wants it below 1", t0)
	}
	got, want := d.s.strongInversionFlicker(&c, ids), dNo.s.strongInversionFlicker(&cNo, ids)
	if got != want || !(got > 0) {
		t.Errorf("em=1e5 in the linear region: density %g, want em=0's %g", got, want)
	}
	if fl := d.s.flicker(&c); !(fl > 0) || math.IsInf(fl, 0) {
		t.Errorf("flicker coefficient %g, want a positive number", fl)
	}
}
