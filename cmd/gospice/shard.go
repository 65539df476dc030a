package main

import (
	"fmt"
	"strconv"
	"strings"
)

// shard is one part of a netlist's runs, as --shard names it: run i belongs to shard
// ((i-1) mod N) + 1, so that every shard gets runs from the whole range.
type shard struct {
	K, N int
}

// parseShard reads --shard: K/N; slurm, whose K and N come from the Slurm job array
// the command runs in; or k8s/N, whose K comes from a Kubernetes Indexed Job. getenv
// reads the environment, only for the form that asks for it.
func parseShard(spec string, getenv func(string) string) (shard, error) {
	atoi := func(what, s string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, fmt.Errorf("--shard %s: %s is %q, not a whole number", spec, what, s)
		}
		return v, nil
	}
	env := func(name string) (int, error) {
		s := getenv(name)
		if s == "" {
			return 0, fmt.Errorf("--shard %s: %s is not set (is this a task of a %s?)", spec, name,
				map[bool]string{true: "Slurm job array (sbatch --array=1-N)", false: "Kubernetes Indexed Job"}[strings.HasPrefix(name, "SLURM")])
		}
		return atoi(name, s)
	}
	var sh shard
	switch {
	case spec == "slurm":
		// K = (TASK_ID - TASK_MIN) / TASK_STEP + 1, N = TASK_COUNT.
		id, err := env("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return sh, err
		}
		lo, err := env("SLURM_ARRAY_TASK_MIN")
		if err != nil {
			return sh, err
		}
		step := 1
		if getenv("SLURM_ARRAY_TASK_STEP") != "" {
			if step, err = env("SLURM_ARRAY_TASK_STEP"); err != nil {
				return sh, err
			}
		}
		if sh.N, err = env("SLURM_ARRAY_TASK_COUNT"); err != nil {
			return sh, err
		}
		if step < 1 || (id-lo)%step != 0 {
			return sh, fmt.Errorf("--shard slurm: task %d is not on the array's grid (min %d, step %d)", id, lo, step)
		}
		sh.K = (id-lo)/step + 1
	case strings.HasPrefix(spec, "k8s/"):
		n, err := atoi("N", strings.TrimPrefix(spec, "k8s/"))
		if err != nil {
			return sh, err
		}
		index, err := env("JOB_COMPLETION_INDEX")
		if err != nil {
			return sh, err
		}
		sh = shard{K: index + 1, N: n}
	default:
		k, n, ok := strings.Cut(spec, "/")
		if !ok {
			return sh, fmt.Errorf("--shard %s: expected K/N (shard K of N), slurm or k8s/N", spec)
		}
		var err error
		if sh.K, err = atoi("K", k); err != nil {
			return sh, err
		}
		if sh.N, err = atoi("N", n); err != nil {
			return sh, err
		}
	}
	if sh.N < 1 || sh.K < 1 || sh.K > sh.N {
		return sh, fmt.Errorf("--shard %s: shard %d of %d does not exist (K goes from 1 to N)", spec, sh.K, sh.N)
	}
	return sh, nil
}

// runs lists the runs of the shard among runs 1 to total.
func (sh shard) runs(total int) []int {
	runs := []int{} // not nil: a shard of no runs is not all of them
	for i := sh.K; i <= total; i += sh.N {
		runs = append(runs, i)
	}
	return runs
}

// shardManifest is shard.json, written beside a shard's files: what merge needs to check
// that shards belong together and to put their rows back in run order.
type shardManifest struct {
	Netlist string           `json:"netlist"` // the netlist's file name
	SHA256  string           `json:"sha256"`  // of the netlist file's bytes
	Seed    uint64           `json:"seed"`
	Shard   int              `json:"shard"`  // K
	Shards  int              `json:"shards"` // N
	Total   int              `json:"total"`  // the netlist's runs, all shards together
	Runs    []int            `json:"runs"`   // this shard's, in order
	Files   map[string][]int `json:"files"`  // each file's rows of each of Runs
}
