package crosscheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// SKY130Library is the absolute path of SkyWater's SKY130 model library
// (combined_models/continuous/sky130.lib.spice) in the reference data beside the
// repository (docs/test-data.md); it skips the test when the library is absent. Tests
// run in their package's folder, so the repository is found by going up to its go.mod.
func SKY130Library(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	lib := filepath.Join(filepath.Dir(dir), "shared", "pdk", "sky130", "combined_models", "continuous", "sky130.lib.spice")
	if _, err := os.Stat(lib); err != nil {
		t.Skipf("the SKY130 library is not present (reference data outside the repository, see docs/test-data.md): %v", err)
	}
	return lib
}

// NgspiceHSA runs the netlist text src with `ngspice -b` in a fresh folder whose
// .spiceinit sets ngbehavior=hsa (SKY130's library reads only so, and the setting must
// come before the netlist) and ng_nomodcheck, and returns ngspice's output and the
// folder, where files the netlist writes are. It skips the test when ngspice is not
// installed and stops it when ngspice fails.
func NgspiceHSA(t testing.TB, src string) (out []byte, dir string) {
	t.Helper()
	if !Available() {
		t.Skip("ngspice not installed")
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".spiceinit"), []byte("set ngbehavior=hsa\nset ng_nomodcheck\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "in.cir"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ngspice", "-b", "in.cir")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ngspice: %v\n%s", err, out)
	}
	return out, dir
}
