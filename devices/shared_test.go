package devices

import (
	"errors"
	"testing"
)

// TestShared: within a build a key's value is made once and kept, a failed make is not
// kept, and an Env made outside Build makes the value at every call.
func TestShared(t *testing.T) {
	made := 0
	mk := func() (any, error) { made++; return made, nil }
	env := Env{memo: map[any]any{}}
	for range 3 {
		if v, err := env.Shared("card", mk); err != nil || v != 1 {
			t.Fatalf("Shared = %v, %v; want the first value, 1", v, err)
		}
	}
	copied := env // devices get the Env by value: the copies share the memo
	if v, _ := copied.Shared("card", mk); v != 1 || made != 1 {
		t.Errorf("a copy of the Env made the value again (%v, %d makes)", v, made)
	}
	bad := errors.New("bad card")
	fails := 0
	for range 2 {
		if _, err := env.Shared("bad", func() (any, error) { fails++; return nil, bad }); err != bad {
			t.Errorf("err = %v, want %v", err, bad)
		}
	}
	if fails != 2 {
		t.Errorf("a failed make ran %d times in two calls, want 2 (not kept)", fails)
	}
	made = 0
	outside := DefaultEnv()
	outside.Shared("card", mk)
	outside.Shared("card", mk)
	if made != 2 {
		t.Errorf("outside Build: %d makes in two calls, want 2", made)
	}
}
