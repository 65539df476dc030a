package main

import (
	"io"
	"os"
)

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
