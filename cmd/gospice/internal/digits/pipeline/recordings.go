// Package pipeline is the spoken-digit task around the circuit network: the recordings of
// a folder, the features of each (through the front end, then the network or the input
// spike counts alone), their cache in an output folder, and the model file.
package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Recording is one FSDD file, {digit}_{speaker}_{index}.wav.
type Recording struct {
	Path    string
	Name    string // the file name
	Digit   int
	Speaker string
	Take    int
}

// Validation reports whether the recording is one of the takes the task holds out for
// choices (5-9); the official test set is takes 0-4, which never belong in training.
func (r Recording) Validation() bool { return r.Take >= 5 && r.Take <= 9 }

var nameRE = regexp.MustCompile(`^([0-9])_([A-Za-z0-9-]+)_([0-9]+)\.wav$`)

// ParseName reads a recording's file name.
func ParseName(name string) (Recording, error) {
	m := nameRE.FindStringSubmatch(name)
	if m == nil {
		return Recording{}, fmt.Errorf("%s: not a recording name: expected {digit}_{speaker}_{index}.wav, like 3_theo_12.wav", name)
	}
	digit, _ := strconv.Atoi(m[1])
	take, err := strconv.Atoi(m[3])
	if err != nil {
		return Recording{}, fmt.Errorf("%s: index %s is not a number", name, m[3])
	}
	return Recording{Name: name, Digit: digit, Speaker: m[2], Take: take}, nil
}

// List returns the recordings of dir in sorted name order. Every file in it must be a
// recording (hidden files aside), so that a wrong folder is noticed.
func List(dir string) ([]Recording, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("recordings: %v", err)
	}
	var recs []Recording
	var subdirs []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() {
			subdirs = append(subdirs, name)
			continue
		}
		r, err := ParseName(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", dir, err)
		}
		r.Path = filepath.Join(dir, name)
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		hint := ""
		if len(subdirs) > 0 {
			hint = fmt.Sprintf(" (it has folders: %s; the recordings are in one of them?)", strings.Join(subdirs, ", "))
		}
		return nil, fmt.Errorf("%s: no recordings ({digit}_{speaker}_{index}.wav)%s", dir, hint)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Name < recs[j].Name })
	return recs, nil
}
