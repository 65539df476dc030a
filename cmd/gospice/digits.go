package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
	"github.com/gospice/gospice/cmd/gospice/internal/digits/pipeline"
	"github.com/gospice/gospice/cmd/gospice/internal/digits/readout"
)

func (a *app) digitsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "digits",
		Short: "Classify spoken digits with a network of circuit-simulated 1M1T1R neurons",
		Long: `Train and evaluate the spoken-digit classifier of docs/digits.md on the Free Spoken
Digit Dataset: each recording goes through a log-mel front end to spike trains that drive
a recurrent network of 1M1T1R neurons simulated as circuits, and a linear readout of the
network's activity names the digit.`,
		Example: `  gospice digits train recordings --takes 5-49 --model mymodel
  gospice digits eval recordings --takes 0-4 --model mymodel --outdir eval`,
	}
	cmd.AddCommand(a.digitsTrainCommand(), a.digitsEvalCommand())
	return cmd
}

// digitsFlags are the flags train and eval share.
type digitsFlags struct {
	jobs  int
	shard string
	takes string
}

func (f *digitsFlags) add(cmd *cobra.Command) {
	cmd.Flags().IntVar(&f.jobs, "jobs", runtime.NumCPU(), "recordings simulated at once (one per worker)")
	cmd.Flags().StringVar(&f.takes, "takes", "", "only the recordings of these takes (the index in the name): N or LO-HI, like 5-9")
	cmd.Flags().StringVar(&f.shard, "shard", "", "compute only shard K of N of the recordings (K/N, slurm or k8s/N; gospice merge combines the shards' folders)")
}

func (a *app) digitsTrainCommand() *cobra.Command {
	var (
		f              digitsFlags
		model, cache   string
		settings, from string
		seed           uint64
		neurons        int
		lambda         float64
		noRefit        bool
	)
	cmd := &cobra.Command{
		Use:   "train RECORDINGS --model DIR",
		Short: "Train the readout on a folder of recordings and write the model folder",
		Long: `Train computes every recording's features (the front end, then the circuit network),
chooses the readout's ridge penalty on the validation takes 5-9 with the readout fitted on
the other takes, refits it on all the recordings at that penalty (unless --no-refit), and
writes DIR/model.json. The features are cached in --cache (default DIR/cache): an
interrupted run resumes from them, and a run with other recordings or settings starts
over.`,
		Example: `  gospice digits train ../fsdd/recordings --model mymodel
  gospice digits train ../fsdd/recordings --model baseline --features input`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return &exitError{exitInput, errors.New("digits train needs --model DIR: the folder to write the model to")}
			}
			cfg, err := trainConfig(cmd, settings, from, seed, neurons)
			if err != nil {
				return &exitError{exitInput, err}
			}
			if cache == "" {
				cache = filepath.Join(model, "cache")
			}
			return a.digitsTrain(args[0], model, cache, cfg, lambda, !noRefit, f)
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&model, "model", "", "folder for the model (required; created when missing)")
	cmd.Flags().StringVar(&cache, "cache", "", "folder for the features cache (default: DIR/cache)")
	cmd.Flags().StringVar(&settings, "settings", "", "JSON file of settings to start from (the fields of model.json but the readout)")
	cmd.Flags().StringVar(&from, "features", pipeline.FromNetwork, "what the readout reads: network (the circuit network) or input (the input spike counts alone)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "the network's seed: wiring, device spread and rupture noise (default: the settings')")
	cmd.Flags().IntVar(&neurons, "neurons", 0, "neurons in the network (default: the settings')")
	cmd.Flags().Float64Var(&lambda, "lambda", 0, "the readout's ridge penalty (default: chosen on the validation takes 5-9)")
	cmd.Flags().BoolVar(&noRefit, "no-refit", false, "keep the readout fitted on the takes other than 5-9 instead of refitting on all")
	return cmd
}

// trainConfig is the default configuration, or that of the --settings file, with the
// flags the user gave applied.
func trainConfig(cmd *cobra.Command, settings, from string, seed uint64, neurons int) (pipeline.Config, error) {
	cfg := pipeline.DefaultConfig()
	if settings != "" {
		b, err := os.ReadFile(settings)
		if err != nil {
			return cfg, fmt.Errorf("--settings: %v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return cfg, fmt.Errorf("%s: %v", settings, err)
		}
	}
	if cmd.Flags().Changed("features") || settings == "" {
		cfg.Features = from
	}
	if cfg.Features == pipeline.FromInput {
		// The default puts the input features beside the network's; with no network
		// they are the features themselves.
		cfg.WithInput = false
	}
	if cmd.Flags().Changed("seed") {
		cfg.Network.Seed = seed
	}
	if cmd.Flags().Changed("neurons") {
		cfg.Network.Neurons = neurons
	}
	if err := cfg.Check(); err != nil {
		if settings != "" {
			return cfg, fmt.Errorf("%s: %v", settings, err)
		}
		return cfg, err
	}
	return cfg, nil
}

// features is what digitsFeatures hands back: the recordings this run is for (a shard's
// or all) and their features.
type features struct {
	recs   []pipeline.Recording
	x      [][]float64
	y      []int
	shard  *shard
	fp     string
	file   string // the features file
	total  int    // recordings in the folder
	folder string
}

// digitsFeatures computes (or reads back) the features of the recordings in folder, or
// of the shard's, under cfg, cached in dir.
func (a *app) digitsFeatures(ctx context.Context, folder, dir string, cfg pipeline.Config, f digitsFlags) (*features, error) {
	all, err := pipeline.List(folder)
	if err != nil {
		return nil, &exitError{exitInput, err}
	}
	if f.takes != "" {
		lo, hi, err := parseTakes(f.takes)
		if err != nil {
			return nil, &exitError{exitInput, err}
		}
		all = slices.DeleteFunc(all, func(r pipeline.Recording) bool { return r.Take < lo || r.Take > hi })
		if len(all) == 0 {
			return nil, &exitError{exitInput, fmt.Errorf("%s: no recordings of takes %s", folder, f.takes)}
		}
	}
	out := &features{recs: all, total: len(all), folder: folder}
	if f.shard != "" {
		sh, err := parseShard(f.shard, os.Getenv)
		if err != nil {
			return nil, &exitError{exitInput, err}
		}
		out.shard = &sh
		out.recs = nil
		for _, i := range sh.runs(len(all)) {
			out.recs = append(out.recs, all[i-1])
		}
	}
	if f.jobs < 1 {
		return nil, &exitError{exitInput, fmt.Errorf("--jobs %d: need at least 1", f.jobs)}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &exitError{exitInput, err}
	}
	cached := cfg.Cached()
	if out.fp, err = pipeline.Fingerprint(cached, all); err != nil {
		return nil, &exitError{exitInput, err}
	}
	cache, stale, err := pipeline.OpenCache(dir, out.fp, cached.Len())
	if err != nil {
		return nil, &exitError{exitInput, err}
	}
	if stale {
		fmt.Fprintf(a.stderr, "%s held the features of other recordings or settings: starting over\n", dir)
	}
	todo := cache.Missing(out.recs)
	if done := len(out.recs) - len(todo); done > 0 && len(todo) > 0 {
		fmt.Fprintf(a.stderr, "resuming: %d of %d recordings' features are in %s\n", done, len(out.recs), dir)
	}
	if len(todo) > 0 {
		if err := a.computeFeatures(ctx, cached, cache, out.recs, todo, f.jobs); err != nil {
			cache.Close()
			return nil, err
		}
	}
	if out.file, err = cache.Complete(out.recs); err != nil {
		return nil, &exitError{exitStopped, err}
	}
	for _, r := range out.recs {
		x, err := cfg.AddInput(r.Path, cache.Rows[r.Name])
		if err != nil {
			return nil, &exitError{exitInput, err}
		}
		out.x = append(out.x, x)
		out.y = append(out.y, r.Digit)
	}
	return out, nil
}

// parseTakes reads --takes: N or LO-HI.
func parseTakes(spec string) (lo, hi int, err error) {
	a, b, found := strings.Cut(spec, "-")
	if lo, err = strconv.Atoi(strings.TrimSpace(a)); err == nil {
		hi = lo
		if found {
			hi, err = strconv.Atoi(strings.TrimSpace(b))
		}
	}
	if err != nil || lo < 0 || hi < lo {
		return 0, 0, fmt.Errorf("--takes %s: expected N or LO-HI with 0 <= LO <= HI, like 5-9", spec)
	}
	return lo, hi, nil
}

// computeFeatures runs the todo recordings with a progress bar and reports the cost.
func (a *app) computeFeatures(ctx context.Context, cfg pipeline.Config, cache *pipeline.Cache, recs, todo []pipeline.Recording, jobs int) error {
	ctx, stop := withSignals(ctx)
	defer stop()
	var bar *progressbar.ProgressBar
	if a.terminal {
		bar = progressbar.NewOptions(len(recs),
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("recordings"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		bar.Set(len(recs) - len(todo))
	}
	var sum pipeline.Cost
	cpu0 := cpuTime()
	start := time.Now()
	err := pipeline.Compute(ctx, cfg, cache, todo, jobs, func(r pipeline.Recording, c pipeline.Cost) {
		sum.Frontend += c.Frontend
		sum.Network += c.Network
		sum.Stats.Steps += c.Stats.Steps
		sum.Stats.Spikes += c.Stats.Spikes
		sum.InputSpikes += c.InputSpikes
		if bar != nil {
			bar.Add(1)
		}
	})
	if bar != nil {
		bar.Clear()
	}
	if err != nil {
		if n := caught(ctx); n != 0 {
			return &exitError{128 + n, fmt.Errorf("interrupted: the features computed so far are kept in %s; the same command resumes from them", cache.Dir)}
		}
		return &exitError{exitInput, err}
	}
	n := float64(len(todo))
	wall, cpu := time.Since(start).Seconds(), cpuTime()-cpu0
	fmt.Fprintf(a.stderr, "features of %d recordings: %.1f s wall on %d workers, %.1f s CPU (%.3f s CPU per recording: front end %.3f s, network %.3f s; %.0f input spikes, %.0f network spikes, %.0f steps per recording)\n",
		len(todo), wall, jobs, cpu, cpu/n, sum.Frontend.Seconds()/n, sum.Network.Seconds()/n,
		float64(sum.InputSpikes)/n, float64(sum.Stats.Spikes)/n, float64(sum.Stats.Steps)/n)
	return nil
}

// cpuTime is the process's user and system CPU time so far (s).
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// writeDigitsShard writes shard.json beside a shard's files, for gospice merge.
func writeDigitsShard(dir string, ft *features, seed uint64, files ...string) error {
	ones := make([]int, len(ft.recs))
	for i := range ones {
		ones[i] = 1
	}
	m := shardManifest{
		Netlist: "digits " + filepath.Base(filepath.Clean(ft.folder)), SHA256: ft.fp, Seed: seed,
		Shard: ft.shard.K, Shards: ft.shard.N, Total: ft.total, Runs: ft.shard.runs(ft.total),
		Files: map[string][]int{},
	}
	for _, name := range files {
		m.Files[name] = ones
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "shard.json"), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// lambdas are the ridge penalties train chooses from.
var lambdas = []float64{1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10}

func (a *app) digitsTrain(folder, model, cache string, cfg pipeline.Config, lambda float64, refit bool, f digitsFlags) error {
	ft, err := a.digitsFeatures(a.ctx, folder, cache, cfg, f)
	if err != nil {
		return err
	}
	if ft.shard != nil {
		if err := writeDigitsShard(cache, ft, cfg.Network.Seed, filepath.Base(ft.file)); err != nil {
			return &exitError{exitStopped, err}
		}
		fmt.Fprintf(a.stderr, "shard %d of %d: the features of %d recordings are in %s; merge the shards' folders with gospice merge, then train with --cache MERGED\n",
			ft.shard.K, ft.shard.N, len(ft.recs), ft.file)
		return nil
	}
	var fitX, valX [][]float64
	var fitY, valY []int
	for i, r := range ft.recs {
		if r.Validation() {
			valX, valY = append(valX, ft.x[i]), append(valY, ft.y[i])
		} else {
			fitX, fitY = append(fitX, ft.x[i]), append(fitY, ft.y[i])
		}
	}
	if len(fitX) == 0 {
		return &exitError{exitInput, fmt.Errorf("%s: every recording is a validation take (5-9): nothing to fit the readout on", folder)}
	}
	if len(valX) == 0 && lambda == 0 {
		return &exitError{exitInput, fmt.Errorf("%s has no validation takes (5-9) to choose the readout's penalty on: add them, or give --lambda", folder)}
	}
	t := &pipeline.Training{Recordings: len(ft.recs), Fit: len(fitX), Validation: len(valX), Lambda: lambda, Refit: refit}
	prob, err := readout.NewProblem(fitX, fitY, 10)
	if err != nil {
		return &exitError{exitInput, err}
	}
	grid := lambdas
	if lambda != 0 {
		grid = []float64{lambda}
	}
	var best *readout.Model
	bestAcc, bestRight := -1.0, 0
	for _, l := range grid {
		m, err := prob.Fit(l)
		if err != nil {
			return &exitError{exitInput, err}
		}
		acc, right := m.Accuracy(valX, valY)
		t.Lambdas, t.Accuracy = append(t.Lambdas, l), append(t.Accuracy, acc)
		if len(valX) > 0 {
			fmt.Fprintf(a.stderr, "lambda %-7g validation accuracy %.4f (%d/%d, standard error %.4f)\n", l, acc, right, len(valX), math.Sqrt(acc*(1-acc)/float64(len(valX))))
		}
		if acc >= bestAcc { // a tie goes to the larger penalty, the simpler readout
			best, bestAcc, bestRight = m, acc, right
		}
	}
	t.Lambda = best.Lambda
	if len(valX) > 0 {
		fmt.Fprintf(a.stdout, "validation accuracy %.4f (%d/%d) at lambda %g, the readout fitted on %d recordings of the other takes\n",
			bestAcc, bestRight, len(valX), best.Lambda, len(fitX))
	}
	if refit && len(valX) > 0 {
		all, err := readout.NewProblem(ft.x, ft.y, 10)
		if err != nil {
			return &exitError{exitInput, err}
		}
		if best, err = all.Fit(t.Lambda); err != nil {
			return &exitError{exitInput, err}
		}
		fmt.Fprintf(a.stderr, "refitted the readout on all %d recordings at lambda %g\n", len(ft.recs), t.Lambda)
	}
	t.Refit = refit && len(valX) > 0
	b, err := pipeline.NewModel(cfg, best, t).Encode()
	if err != nil {
		return &exitError{exitStopped, err}
	}
	if err := os.MkdirAll(model, 0o755); err != nil {
		return &exitError{exitInput, err}
	}
	path := filepath.Join(model, pipeline.ModelFile)
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return &exitError{exitStopped, err}
	}
	fmt.Fprintf(a.stderr, "wrote %s\n", path)
	return nil
}

func (a *app) digitsEvalCommand() *cobra.Command {
	var (
		f             digitsFlags
		model, outdir string
	)
	cmd := &cobra.Command{
		Use:   "eval RECORDINGS --model DIR [--outdir OUT]",
		Short: "Evaluate a model on a folder of recordings",
		Long: `Eval classifies every recording with the model of DIR and prints
accuracy <fraction> (<correct>/<total>); OUT gets predictions.csv (file,true,predicted),
confusion.csv (rows the true digit, columns the predicted one) and confusion.png. The
recordings' features are cached in OUT: an interrupted run resumes from them, and a run
with other recordings or another model starts over.`,
		Example: `  gospice digits eval ../fsdd/recordings --model netlists/digits/model --outdir eval
  gospice digits eval test-recordings --model mymodel --shard 2/4 --outdir part2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return &exitError{exitInput, errors.New("digits eval needs --model DIR: the folder train wrote")}
			}
			return a.digitsEval(args[0], model, outdir, f)
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&model, "model", "", "the model folder (required)")
	cmd.Flags().StringVar(&outdir, "outdir", "digits-eval", "folder for the results and the features cache (created when missing)")
	return cmd
}

func (a *app) digitsEval(folder, modelDir, outdir string, f digitsFlags) error {
	m, err := pipeline.LoadModel(filepath.Join(modelDir, pipeline.ModelFile))
	if err != nil {
		return &exitError{exitInput, err}
	}
	ft, err := a.digitsFeatures(a.ctx, folder, outdir, m.Config, f)
	if err != nil {
		return err
	}
	var conf pipeline.Confusion
	var preds bytes.Buffer
	preds.WriteString("file,true,predicted\n")
	for i, r := range ft.recs {
		p := m.Readout.Predict(ft.x[i])
		conf[r.Digit][p]++
		fmt.Fprintf(&preds, "%s,%d,%d\n", r.Name, r.Digit, p)
	}
	write := func(name string, w func(io.Writer) error) error {
		if err := atomicfile.Write(filepath.Join(outdir, name), w); err != nil {
			return &exitError{exitStopped, err}
		}
		return nil
	}
	if err := write("predictions.csv", func(w io.Writer) error { _, err := w.Write(preds.Bytes()); return err }); err != nil {
		return err
	}
	total, right := conf.Total()
	if ft.shard != nil {
		if err := writeDigitsShard(outdir, ft, m.Network.Seed, filepath.Base(ft.file), "predictions.csv"); err != nil {
			return &exitError{exitStopped, err}
		}
		fmt.Fprintf(a.stderr, "shard %d of %d: %d of %d recordings right; merge the shards' folders with gospice merge, then eval with --outdir MERGED for the accuracy and confusion matrix\n",
			ft.shard.K, ft.shard.N, right, total)
		return nil
	}
	if err := write("confusion.csv", conf.WriteCSV); err != nil {
		return err
	}
	title := fmt.Sprintf("%s: %d/%d right", filepath.Base(filepath.Clean(folder)), right, total)
	if err := write("confusion.png", func(w io.Writer) error { return conf.WritePNG(w, title) }); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "accuracy %.4f (%d/%d)\n", float64(right)/float64(total), right, total)
	fmt.Fprintf(a.stderr, "wrote predictions.csv, confusion.csv and confusion.png in %s\n", outdir)
	return nil
}
