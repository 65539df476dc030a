// Package atomicfile writes output files that never carry their final name while
// incomplete: each is written beside its target under a temporary name and renamed when
// complete, or to a partial name when the run stopped early.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// File is an output streamed to a temporary file beside its target. Commit gives it
// the target's name; Abandon gives it the partial name (<stem>.partial<ext>), so that a
// truncated file never carries the final name. Either removes a file of the other name
// left by an earlier run, which would mislead.
type File struct {
	*os.File
	target string
	direct bool // the target is a device or a pipe (/dev/null, a FIFO): written in place
}

// Target is the name the file gets when committed.
func (f *File) Target() string { return f.target }

// IsStream reports whether path is a device or a pipe (/dev/null, a FIFO): written in
// place, never replaced.
func IsStream(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.Mode().IsRegular() && !st.IsDir()
}

// Create starts the output of target (see File).
func Create(target string) (*File, error) {
	if IsStream(target) {
		// Renaming a file onto /dev/null would replace the device: write to it instead.
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", target, err)
		}
		return &File{File: f, target: target, direct: true}, nil
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
	return &File{File: tmp, target: target}, nil
}

// PartialName is where an output that stopped early goes: rc.tran.csv becomes
// rc.tran.partial.csv and rc.raw rc.partial.raw.
func PartialName(target string) string {
	ext := filepath.Ext(target)
	if ext == "" || strings.ContainsAny(ext, `/\`) {
		return target + ".partial"
	}
	return strings.TrimSuffix(target, ext) + ".partial" + ext
}

// Commit closes the file and gives it its final name.
func (f *File) Commit() error {
	if f.direct {
		return f.Close()
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cannot write %s: %w", f.target, err)
	}
	os.Remove(PartialName(f.target))
	if err := os.Rename(f.Name(), f.target); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cannot write %s: %w", f.target, err)
	}
	return nil
}

// Abandon closes the file and gives it the partial name, which it returns ("" if even
// that failed and nothing was kept).
func (f *File) Abandon() string {
	if f.direct {
		f.Close()
		return ""
	}
	f.Close()
	os.Remove(f.target)
	partial := PartialName(f.target)
	if err := os.Rename(f.Name(), partial); err != nil {
		os.Remove(f.Name())
		return ""
	}
	return partial
}

// Drop closes and removes the file, and any file of its final or partial name left by an
// earlier run, which would pass for this run's.
func (f *File) Drop() {
	f.Discard()
	RemoveStale(f.target)
	RemoveStale(PartialName(f.target))
}

// RemoveStale removes a file left by an earlier run, if it is a regular file (-o
// /dev/null names a device that must stay).
func RemoveStale(path string) {
	if st, err := os.Lstat(path); err == nil && st.Mode().IsRegular() {
		os.Remove(path)
	}
}

// Discard closes and removes the file.
func (f *File) Discard() {
	if f.direct {
		f.Close()
		return
	}
	f.Close()
	os.Remove(f.Name())
}

// Write writes target through write as one File: committed when write returns nil,
// discarded (no file of the target's name made) when it fails.
func Write(target string, write func(io.Writer) error) error {
	f, err := Create(target)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Discard()
		return fmt.Errorf("cannot write %s: %w", target, err)
	}
	return f.Commit()
}
