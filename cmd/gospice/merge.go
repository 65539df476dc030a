package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"github.com/spf13/cobra"
)

func (a *app) mergeCommand() *cobra.Command {
	var outdir string
	cmd := &cobra.Command{
		Use:   "merge DIR... --outdir OUT",
		Short: "Merge the folders of a sharded run into the files one machine would have written",
		Long: `Merge the output folders of gospice run --shard K/N (one per shard, each with its
shard.json) into OUT: every CSV file, with every run's rows in run order, byte for byte
what gospice run writes on one machine. The folders may come in any order. Shards of
different netlists, seeds or shard counts, a shard given twice and a missing shard are
refused, with a message that names the problem.`,
		Example: `  gospice merge shards/* --outdir results
  gospice merge part1 part2 part3 part4 --outdir mc`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.merge(args, outdir)
		},
	}
	cmd.Flags().StringVar(&outdir, "outdir", "", "folder for the merged files (required; created with its parents when missing)")
	return cmd
}

// shardDir is one shard's folder, read.
type shardDir struct {
	dir string
	m   shardManifest
}

func (a *app) merge(dirs []string, outdir string) (err error) {
	if outdir == "" {
		return &exitError{exitInput, errors.New("merge needs --outdir: the folder for the merged files")}
	}
	missing, err := missingDirs(outdir)
	if err != nil {
		return &exitError{exitInput, err}
	}
	shards, err := readShards(dirs)
	if err != nil {
		return &exitError{exitInput, err}
	}
	if err := makeDirs(outdir, missing); err != nil {
		return &exitError{exitInput, err}
	}
	defer func() {
		if err != nil {
			removeEmptyDirs(missing)
		}
	}()
	owner := map[int]int{} // run -> index in shards
	for i, s := range shards {
		for _, run := range s.m.Runs {
			owner[run] = i
		}
	}
	first := shards[0].m
	names := make([]string, 0, len(first.Files))
	for name := range first.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := a.mergeFile(shards, owner, first.Total, name, outdir); err != nil {
			return err
		}
	}
	return nil
}

// readShards reads each folder's shard.json and checks that together they are every
// shard of one run: the same netlist, seed, shard count and number of runs, each shard
// once, and each shard's runs those the shard rule gives it.
func readShards(dirs []string) ([]shardDir, error) {
	var shards []shardDir
	for _, dir := range dirs {
		path := filepath.Join(dir, "shard.json")
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: no shard.json (is it a folder that gospice run --shard wrote?): %w", dir, err)
		}
		var m shardManifest
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("%s: not a shard manifest: %v", path, err)
		}
		shards = append(shards, shardDir{dir, m})
	}
	first := shards[0]
	seen := map[int]string{}
	for _, s := range shards {
		m := s.m
		switch {
		case m.SHA256 != first.m.SHA256:
			return nil, fmt.Errorf("%s and %s are shards of different netlists (%s, %s: their sha256 differ)", first.dir, s.dir, first.m.Netlist, m.Netlist)
		case m.Seed != first.m.Seed:
			return nil, fmt.Errorf("%s and %s were run with different seeds (%d and %d)", first.dir, s.dir, first.m.Seed, m.Seed)
		case m.Shards != first.m.Shards:
			return nil, fmt.Errorf("%s and %s split the runs into different numbers of shards (%d and %d)", first.dir, s.dir, first.m.Shards, m.Shards)
		case m.Total != first.m.Total:
			return nil, fmt.Errorf("%s and %s have different numbers of runs (%d and %d)", first.dir, s.dir, first.m.Total, m.Total)
		case m.Shard < 1 || m.Shard > m.Shards:
			return nil, fmt.Errorf("%s: shard %d of %d does not exist", s.dir, m.Shard, m.Shards)
		case seen[m.Shard] != "":
			return nil, fmt.Errorf("shard %d of %d is given twice: %s and %s", m.Shard, m.Shards, seen[m.Shard], s.dir)
		}
		seen[m.Shard] = s.dir
		if want := (shard{m.Shard, m.Shards}).runs(m.Total); !slices.Equal(m.Runs, want) {
			return nil, fmt.Errorf("%s: shard %d of %d holds runs %v, not the shard's", s.dir, m.Shard, m.Shards, m.Runs)
		}
		for name, rows := range m.Files {
			if len(rows) != len(m.Runs) {
				return nil, fmt.Errorf("%s: shard.json gives %s rows for %d runs, not %d", s.dir, name, len(rows), len(m.Runs))
			}
			if _, ok := first.m.Files[name]; !ok {
				return nil, fmt.Errorf("%s has %s, which %s has not", s.dir, name, first.dir)
			}
		}
		if len(m.Files) != len(first.m.Files) {
			return nil, fmt.Errorf("%s and %s hold different files", first.dir, s.dir)
		}
	}
	var missing []string
	for k := 1; k <= first.m.Shards; k++ {
		if seen[k] == "" {
			missing = append(missing, fmt.Sprint(k))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s of %d %s missing: shard %s", plural(len(missing), "one", fmt.Sprint(len(missing))), first.m.Shards,
			plural(len(missing), "is", "are"), strings.Join(missing, ", "))
	}
	return shards, nil
}

// mergeFile writes OUT/name: the header the shards share, then each run's rows, taken
// from the shard that ran it.
func (a *app) mergeFile(shards []shardDir, owner map[int]int, total int, name, outdir string) error {
	type part struct {
		header string
		rows   [][]string // per run of the shard: its lines
	}
	parts := make([]part, len(shards))
	for i, s := range shards {
		f, err := os.Open(filepath.Join(s.dir, name))
		if err != nil {
			return &exitError{exitInput, fmt.Errorf("%s: %v", s.dir, err)}
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<30)
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return &exitError{exitInput, fmt.Errorf("%s: %v", filepath.Join(s.dir, name), err)}
		}
		counts := s.m.Files[name]
		if len(lines) != 1+sum(counts) {
			return &exitError{exitInput, fmt.Errorf("%s: %d rows, but shard.json says %d", filepath.Join(s.dir, name), len(lines)-1, sum(counts))}
		}
		p := part{header: lines[0]}
		at := 1
		for _, n := range counts {
			p.rows = append(p.rows, lines[at:at+n])
			at += n
		}
		if i > 0 && p.header != parts[0].header {
			return &exitError{exitInput, fmt.Errorf("%s: its columns differ from %s's", filepath.Join(s.dir, name), filepath.Join(shards[0].dir, name))}
		}
		parts[i] = p
	}
	out, err := atomicfile.Create(filepath.Join(outdir, name))
	if err != nil {
		return &exitError{exitInput, err}
	}
	w := bufio.NewWriter(out)
	w.WriteString(parts[0].header + "\n")
	next := make([]int, len(shards)) // each shard's next run
	rows := 0
	for run := 1; run <= total; run++ {
		i := owner[run]
		for _, line := range parts[i].rows[next[i]] {
			w.WriteString(line + "\n")
			rows++
		}
		next[i]++
	}
	if err := w.Flush(); err != nil {
		out.Discard()
		return &exitError{exitStopped, err}
	}
	if err := out.Commit(); err != nil {
		return &exitError{exitStopped, err}
	}
	fmt.Fprintf(a.stderr, "wrote %s (%d %s from %d %s)\n", filepath.Join(outdir, name), rows, plural(rows, "row", "rows"), len(shards), plural(len(shards), "shard", "shards"))
	return nil
}
