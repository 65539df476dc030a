package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWrite: a write that succeeds leaves the target and nothing else; one that fails
// leaves no file at all (the target of an earlier run untouched), and says which file.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.csv")
	if err := Write(target, func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err }); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("disk full")
	err := Write(target, func(w io.Writer) error { io.WriteString(w, "partial"); return failed })
	if !errors.Is(err, failed) || err.Error() != "cannot write "+target+": disk full" {
		t.Errorf("error %v", err)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "a\n" {
		t.Errorf("target %q, %v; want the first write's", b, err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d files left, want only the target", len(files))
	}
}

// TestAbandon: a file stopped early gets the partial name, and a later commit removes it.
func TestAbandon(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "rc.tran.csv")
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "half")
	if got, want := f.Abandon(), filepath.Join(dir, "rc.tran.partial.csv"); got != want {
		t.Fatalf("abandoned to %q, want %q", got, want)
	}
	f, err = Create(target)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rc.tran.partial.csv")); !os.IsNotExist(err) {
		t.Errorf("the partial file of the earlier run is still there: %v", err)
	}
}
