package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// missingDirs checks that dir can be the output folder of --outdir: a folder, or a path
// whose missing part makeDirs can create. It returns the missing folders, deepest first;
// a path that exists as a file, or runs through one, is an error.
func missingDirs(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		switch {
		case err == nil && st.IsDir():
			return missing, nil
		case err == nil && d == filepath.Clean(dir):
			return nil, fmt.Errorf("--outdir %s is a file, not a folder", dir)
		case err == nil:
			return nil, fmt.Errorf("--outdir %s: %s is a file, not a folder", dir, d)
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			// ENOTDIR: a folder above is a file, which the next step up finds.
			return nil, fmt.Errorf("--outdir %s: %w", dir, err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			return missing, nil
		}
	}
}

// makeDirs creates dir and the missing folders missingDirs found above it.
func makeDirs(dir string, missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--outdir %s: %w", dir, err)
	}
	return nil
}

// removeEmptyDirs removes the folders makeDirs created, deepest first, as long as they
// are empty: a run that stopped before writing anything leaves no folder behind.
func removeEmptyDirs(made []string) {
	for _, d := range made {
		if os.Remove(d) != nil {
			return
		}
	}
}
