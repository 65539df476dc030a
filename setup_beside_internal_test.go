package gospice

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gospice/gospice/parser"
)

// mixedCircuit is a netlist of about 14 n elements of most kinds, chunk after chunk of
// them, with a K line at element k (none when k < 0): devices of many kinds are handed
// over to the setup in more than one chunk, and the couplings and what follows them at
// the end.
func mixedCircuit(n, k int) string {
	var b strings.Builder
	b.WriteString("mixed\n.model dm d is=1e-14 rs=5\n.model nm nmos level=1 vto=0.7 kp=1e-4 rd=2 rs=2\n")
	b.WriteString(".model qn npn bf=100 rb=10 rc=1 re=0.5\nV0 a0 0 1\n")
	for i := 0; i < n; i++ {
		if i == k {
			fmt.Fprintf(&b, "K%d L%d L%d 0.5\n", i, i-1, i-2)
		}
		p, q := fmt.Sprintf("a%d", i), fmt.Sprintf("a%d", i+1)
		fmt.Fprintf(&b, "R%d %s %s 1k\nC%d %s 0 1p\nL%d %s x%d 1u\nRx%d x%d 0 1\n", i, p, q, i, q, i, q, i, i, i)
		fmt.Fprintf(&b, "D%d %s d%d dm\nRd%d d%d 0 1k\nM%d m%d %s 0 0 nm\nRm%d m%d %s 10k\n", i, q, i, i, i, i, i, q, i, i, p)
		fmt.Fprintf(&b, "Q%d c%d %s 0 qn\nRc%d c%d a0 10k\nE%d e%d 0 %s 0 2\nRe%d e%d 0 1k\n", i, i, q, i, i, i, i, q, i, i)
		fmt.Fprintf(&b, "G%d 0 %s e%d 0 1u\nB%d b%d 0 v=v(%s)*i(v0)\nRb%d b%d 0 1k\n", i, q, i, i, i, q, i, i)
	}
	b.WriteString(".tran 1n 10n\n.end\n")
	return b.String()
}

// TestSetUpBeside: a circuit built with its devices set up beside their making has the
// same system (unknowns in the same order, the same pattern and diagonal) and the same
// devices, down to their handles, as one set up after: on the repository's netlists and
// on circuits of many kinds in many chunks, with and without couplings; and a circuit
// that fails fails alike. Run with -race, it checks that the setup reads nothing that
// the making of the next devices writes.
// compareSetUpBeside builds c with its devices set up after they are all made and beside
// their making, and reports where the two differ; it returns the error both gave.
func compareSetUpBeside(t *testing.T, name string, c *parser.Circuit) error {
	t.Helper()
	saved := setUpBesideMin
	defer func() { setUpBesideMin = saved }()
	setUpBesideMin = math.MaxInt
	after, errAfter := Build(c)
	setUpBesideMin = 0
	beside, errBeside := Build(c)
	if fmt.Sprint(errAfter) != fmt.Sprint(errBeside) {
		t.Errorf("%s: error %v set up beside, %v after", name, errBeside, errAfter)
		return errBeside
	}
	if errAfter != nil {
		return errAfter
	}
	if !sameValue(reflect.ValueOf(beside.ckt.Sys), reflect.ValueOf(after.ckt.Sys), map[[2]uintptr]bool{}) {
		t.Errorf("%s: the system set up beside differs from the one set up after", name)
	}
	if len(beside.ckt.Devices) != len(after.ckt.Devices) {
		t.Fatalf("%s: %d devices set up beside, %d after", name, len(beside.ckt.Devices), len(after.ckt.Devices))
	}
	for i, d := range beside.ckt.Devices {
		if !sameValue(reflect.ValueOf(d), reflect.ValueOf(after.ckt.Devices[i]), map[[2]uintptr]bool{}) {
			t.Errorf("%s: device %d (%s) set up beside differs from the one set up after", name, i, d.Name())
		}
	}
	return nil
}

func TestSetUpBeside(t *testing.T) {
	paths, err := filepath.Glob("netlists/*.cir")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no netlists: %v", err)
	}
	for _, path := range paths {
		sim, err := ParseFile(path)
		if err != nil {
			continue // a netlist that fails to build says so in its own test
		}
		compareSetUpBeside(t, path, sim.Circuit)
	}
	for _, k := range []int{-1, 150, 3} {
		c, err := parser.Parse("mixed.cir", []byte(mixedCircuit(200, k)))
		if err != nil {
			t.Fatal(err)
		}
		if err := compareSetUpBeside(t, fmt.Sprintf("mixed, K at %d", k), c); err != nil {
			t.Errorf("mixed, K at %d: %v", k, err)
		}
	}
	// An error in the third chunk: the setup of the first two is dropped.
	bad := strings.Replace(mixedCircuit(200, -1), "R190 a190 a191 1k", "R190 a190 a191 0", 1)
	c, err := parser.Parse("bad.cir", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if err := compareSetUpBeside(t, "bad", c); err == nil || !strings.Contains(err.Error(), "bad.cir:") {
		t.Errorf("a zero resistor in the third chunk: error %v, want one at its place", err)
	}
	// Cancelled while the third chunk is made: the error is the context's, and the
	// setup's goroutine has ended (-race and the goroutine count would see it left).
	saved := setUpBesideMin
	defer func() { setUpBesideMin = saved }()
	setUpBesideMin = 0
	before := runtime.NumGoroutine()
	if _, err := BuildContext(&cancelAfter{Context: context.Background(), calls: 3}, c); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled in the third chunk: error %v, want %v", err, context.Canceled)
	}
	if n := runtime.NumGoroutine(); n > before {
		time.Sleep(100 * time.Millisecond) // the topology check, which nothing waits for, may still run
		if n = runtime.NumGoroutine(); n > before {
			t.Errorf("%d goroutines after a cancelled build, %d before", n, before)
		}
	}
}

// cancelAfter is a context whose Err is nil for its first calls, then context.Canceled.
type cancelAfter struct {
	context.Context
	calls int
}

func (c *cancelAfter) Err() error {
	if c.calls--; c.calls < 0 {
		return context.Canceled
	}
	return nil
}

// FuzzSetUpBeside: any netlist that parses builds alike with its devices set up after
// they are all made and beside their making (compareSetUpBeside).
func FuzzSetUpBeside(f *testing.F) {
	f.Add([]byte(mixedCircuit(3, -1)))
	f.Add([]byte(mixedCircuit(3, 2)))
	paths, _ := filepath.Glob("netlists/*.cir")
	for _, path := range paths {
		if src, err := os.ReadFile(path); err == nil && len(src) <= 4<<10 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4<<10 {
			t.Skip("input larger than 4 KiB")
		}
		c, err := parser.Parse("fuzz.cir", src)
		if err != nil || len(c.Elements) > 100 {
			return
		}
		compareSetUpBeside(t, "fuzz.cir", c)
	})
}

// sameValue is reflect.DeepEqual but for two things: NaN equals NaN (a device keeps NaN
// for what it does not have), and two functions are the same when both or neither are nil.
// Pointers seen is a pair of pointers already compared, or being compared.
func sameValue(a, b reflect.Value, seen map[[2]uintptr]bool) bool {
	if a.IsValid() != b.IsValid() || a.IsValid() && a.Type() != b.Type() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		key := [2]uintptr{a.Pointer(), b.Pointer()}
		if seen[key] {
			return true
		}
		seen[key] = true
		return sameValue(a.Elem(), b.Elem(), seen)
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem(), seen)
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i), seen) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i), seen) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !sameValue(a.MapIndex(k), b.MapIndex(k), seen) {
				return false
			}
		}
		return true
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return a.IsNil() == b.IsNil()
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	default:
		return a.Uint() == b.Uint()
	}
}
