package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// atomicFile is an output streamed to a temporary file beside its target. commit gives it
// the target's name; abandon gives it the partial name (<stem>.partial<ext>), so that a
// truncated file never carries the final name. Either removes a file of the other name
// left by an earlier run, which would mislead.
type atomicFile struct {
	*os.File
	target string
	direct bool // the target is a device or a pipe (/dev/null, a FIFO): written in place
}

// isStream reports whether path is a device or a pipe (/dev/null, a FIFO): written in
// place, never replaced.
func isStream(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.Mode().IsRegular() && !st.IsDir()
}

func createAtomic(target string) (*atomicFile, error) {
	if isStream(target) {
		// Renaming a file onto /dev/null would replace the device: write to it instead.
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", target, err)
		}
		return &atomicFile{File: f, target: target, direct: true}, nil
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", target, err)
	}
	tmp.Chmod(0o644) // CreateTemp makes it private; an output is not
	return &atomicFile{File: tmp, target: target}, nil
}

// partialName is where an output that stopped early goes: rc.tran.csv becomes
// rc.tran.partial.csv and rc.raw rc.partial.raw.
func partialName(target string) string {
	ext := filepath.Ext(target)
	if ext == "" || strings.ContainsAny(ext, `/\`) {
		return target + ".partial"
	}
	return strings.TrimSuffix(target, ext) + ".partial" + ext
}

// commit closes the file and gives it its final name.
func (f *atomicFile) commit() error {
	if f.direct {
		return f.Close()
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cannot write %s: %w", f.target, err)
	}
	os.Remove(partialName(f.target))
	if err := os.Rename(f.Name(), f.target); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cannot write %s: %w", f.target, err)
	}
	return nil
}

// abandon closes the file and gives it the partial name, which it returns ("" if even
// that failed and nothing was kept).
func (f *atomicFile) abandon() string {
	if f.direct {
		f.Close()
		return ""
	}
	f.Close()
	os.Remove(f.target)
	partial := partialName(f.target)
	if err := os.Rename(f.Name(), partial); err != nil {
		os.Remove(f.Name())
		return ""
	}
	return partial
}

// drop closes and removes the file, and any file of its final or partial name left by an
// earlier run, which would pass for this run's.
func (f *atomicFile) drop() {
	f.discard()
	removeStale(f.target)
	removeStale(partialName(f.target))
}

// removeStale removes a file left by an earlier run, if it is a regular file (-o
// /dev/null names a device that must stay).
func removeStale(path string) {
	if st, err := os.Lstat(path); err == nil && st.Mode().IsRegular() {
		os.Remove(path)
	}
}

// discard closes and removes the file.
func (f *atomicFile) discard() {
	if f.direct {
		f.Close()
		return
	}
	f.Close()
	os.Remove(f.Name())
}

// copyOut copies a finished temporary file (a raw file written for -o -, which must
// be seekable while it is written) to w and removes it.
func copyOut(f *os.File, w io.Writer) error {
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, f)
	return err
}
