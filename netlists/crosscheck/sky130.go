package crosscheck

import (
	"os"
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
