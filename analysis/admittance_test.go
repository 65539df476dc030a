package analysis_test

import (
	"context"
	"math"
	"math/cmplx"
	"testing"

	"github.com/gospice/gospice/analysis"
	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
)

// rising is a conductance to ground of 1 mS at its operating point whose small-signal
// admittance grows with the frequency, 1 mS (1 + f/1 kHz) + j omega 1 nF (1 - f/10 kHz):
// a devices.AdmittanceByFrequency. It counts its loads by mode.
type rising struct {
	node  string
	n     int
	h     mna.Handle
	loads map[devices.Mode]int
}

func (d *rising) Name() string { return "rising" }
func (d *rising) Setup(b *mna.Builder) {
	d.n = b.Node(d.node)
	d.h = b.Entry(d.n, d.n)
}
func (d *rising) AdmittanceReadsFrequency() bool { return true }
func (d *rising) Load(ctx *devices.Context) {
	d.loads[ctx.Mode]++
	g := 1e-3
	ctx.F[d.n] += g * ctx.X[d.n]
	if ctx.Mode == devices.ModeAC {
		ctx.G[d.h] += g * (1 + ctx.Hertz/1e3)
		ctx.C[d.h] += 1e-9 * (1 - ctx.Hertz/1e4)
		return
	}
	ctx.G[d.h] += g
}

// TestACAdmittanceByFrequency: a device whose admittance depends on the frequency is
// linearized again at each frequency of an .ac (the first included) from one operating
// point, which is not solved again.
func TestACAdmittanceByFrequency(t *testing.T) {
	dev := &rising{node: "2", loads: map[devices.Mode]int{}}
	ckt, sys := circuitWith(t, "t\nV1 1 0 DC 1 AC 1\nR1 1 2 1k\n.end\n", dev)
	freqs, err := analysis.ACFrequencies("dec", 5, 100, 1e5)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := sys.Lookup("v(2)")
	outs := []analysis.ACOutput{{Name: "vr(2)", Plus: i, Part: analysis.Real}, {Name: "vi(2)", Plus: i, Part: analysis.Imag}}
	var m memory
	if _, err := analysis.AC(context.Background(), ckt, analysis.DefaultOptions(), freqs, outs, &m, nil); err != nil {
		t.Fatal(err)
	}
	for k, f := range freqs {
		w := 2 * math.Pi * f
		y := complex(1e-3*(1+f/1e3), w*1e-9*(1-f/1e4))
		want := 1e-3 / (1e-3 + y)
		got := complex(m.rows[k][1], m.rows[k][2])
		if cmplx.Abs(got-want) > 1e-12 {
			t.Errorf("v(2) at %g Hz = %v, want %v", f, got, want)
		}
	}
	if dev.loads[devices.ModeAC] != len(freqs) {
		t.Errorf("%d loads in .ac mode for %d frequencies", dev.loads[devices.ModeAC], len(freqs))
	}
	if dev.loads[devices.ModeOP] >= len(freqs) {
		t.Errorf("%d operating-point loads: the operating point was solved again", dev.loads[devices.ModeOP])
	}
	t.Logf("%d frequencies: %d operating-point loads, %d .ac loads", len(freqs), dev.loads[devices.ModeOP], dev.loads[devices.ModeAC])
}
