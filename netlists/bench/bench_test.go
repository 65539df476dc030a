// Package bench holds benchmark netlists; they are not regression tests.
package bench

import (
	"context"
	"os"
	"testing"

	"github.com/gospice/gospice"
	"github.com/gospice/gospice/netlists/crosscheck"
)

type discard struct{ points int }

func (d *discard) Begin([]gospice.Column) error { return nil }
func (d *discard) Point([]float64) error        { d.points++; return nil }

func benchmarkNetlist(b *testing.B, path string) {
	for b.Loop() {
		sim, err := gospice.ParseFile(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range sim.Analyses() {
			var d discard
			stats, err := sim.Run(context.Background(), a, &d, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(stats.Points), "points")
			b.ReportMetric(float64(stats.Factorizations), "factorizations")
			b.ReportMetric(float64(stats.Iterations), "iterations")
		}
	}
}

// BenchmarkRCMesh is the 50 x 50 RC mesh of rcmesh.cir, parse to last point.
func BenchmarkRCMesh(b *testing.B) { benchmarkNetlist(b, "rcmesh.cir") }

// BenchmarkInverters200 is the chain of 200 level-1 CMOS inverters of inverters200.cir.
func BenchmarkInverters200(b *testing.B) { benchmarkNetlist(b, "inverters200.cir") }

// TestRCMeshWaveform compares the mesh's waveforms with ngspice's. It takes ngspice about
// ten seconds, so it runs only when asked: GOSPICE_BENCH_CHECK=1 (compare.sh sets it).
func TestRCMeshWaveform(t *testing.T) {
	if os.Getenv("GOSPICE_BENCH_CHECK") == "" {
		t.Skip("set GOSPICE_BENCH_CHECK=1 to compare the benchmark's waveforms with ngspice")
	}
	if !crosscheck.Available() {
		t.Skip("ngspice is not installed")
	}
	vectors := []string{"v(n25_25)", "v(n49_49)"}
	want, err := crosscheck.Ngspice("rcmesh.cir", "tran", vectors)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crosscheck.Gospice("rcmesh.cir", "tran")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := crosscheck.Compare(want, got, vectors, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	// A linear circuit on the same steps in both: 3.0e-12 of the swing measured.
	const tol = 4e-11
	for _, m := range ms {
		t.Logf("%v; %d points here, %d in ngspice (tolerance %g of the swing)", m, got.Len(), want.Len(), tol)
		if m.Relative() > tol {
			t.Errorf("%v", m)
		}
	}
}

// BenchmarkNeurons100 is a population of 100 independent 1M1T1R neurons (neurons100.cir).
func BenchmarkNeurons100(b *testing.B) { benchmarkNetlist(b, "neurons100.cir") }
