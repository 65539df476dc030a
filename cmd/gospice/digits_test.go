package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gospice/gospice/cmd/gospice/internal/digits/pipeline"
)

// fsddDir is the shared copy of the spoken-digit recordings, from this package's folder.
const fsddDir = "../../../shared/data/fsdd/recordings"

// digitsSets links a small training set (take 10 of every digit and speaker, 60
// recordings) and a held-out one (take 5, 60) into folders of their own.
func digitsSets(t *testing.T) (train, held string) {
	t.Helper()
	src, err := filepath.Abs(fsddDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not present (the shared spoken-digit recordings are not part of the repository): %v", fsddDir, err)
	}
	dir := t.TempDir()
	train, held = filepath.Join(dir, "train"), filepath.Join(dir, "held")
	for _, d := range []string{train, held} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for digit := range 10 {
		for _, sp := range []string{"george", "jackson", "lucas", "nicolas", "theo", "yweweler"} {
			for take, to := range map[int]string{10: train, 5: held} {
				name := fmt.Sprintf("%d_%s_%d.wav", digit, sp, take)
				if err := os.Symlink(filepath.Join(src, name), filepath.Join(to, name)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return train, held
}

var accuracyLine = regexp.MustCompile(`^accuracy (0\.\d{4}|1\.0000) \((\d+)/(\d+)\)\n$`)

// evalAccuracy parses eval's stdout.
func evalAccuracy(t *testing.T, r result) (float64, int, int) {
	t.Helper()
	m := accuracyLine.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("eval: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	acc, _ := strconv.ParseFloat(m[1], 64)
	right, _ := strconv.Atoi(m[2])
	total, _ := strconv.Atoi(m[3])
	return acc, right, total
}

// The pipeline on the input spike features alone (no network): train, eval, its
// outputs, a second eval that computes nothing, and shards merged into the same result.
func TestDigitsInputFeatures(t *testing.T) {
	train, held := digitsSets(t)
	dir := t.TempDir()
	ctx := context.Background()
	r := runCLI(t, ctx, dir, "digits", "train", train, "--model", "m", "--features", "input", "--lambda", "1")
	if r.code != 0 {
		t.Fatalf("train: exit %d, stderr %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "m", "model.json")); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, ctx, dir, "digits", "eval", held, "--model", "m", "--outdir", "out")
	acc, right, total := evalAccuracy(t, r)
	t.Logf("input features, 60 training recordings: held-out accuracy %.4f (%d/%d)", acc, right, total)
	if total != 60 || acc < 0.4 {
		t.Errorf("held-out accuracy %.4f (%d/%d), want at least 0.4 of 60", acc, right, total)
	}
	checkDigitsOutputs(t, filepath.Join(dir, "out"), total, right)

	// Again: every feature comes from the cache.
	again := runCLI(t, ctx, dir, "digits", "eval", held, "--model", "m", "--outdir", "out")
	if again.stdout != r.stdout || strings.Contains(again.stderr, "features of") {
		t.Errorf("second eval: stdout %q (first %q), stderr %q", again.stdout, r.stdout, again.stderr)
	}

	// Two shards, merged, give the same predictions; eval on the merged folder computes
	// nothing.
	for k := 1; k <= 2; k++ {
		s := runCLI(t, ctx, dir, "digits", "eval", held, "--model", "m", "--outdir", fmt.Sprintf("s%d", k), "--shard", fmt.Sprintf("%d/2", k))
		if s.code != 0 || s.stdout != "" || !strings.Contains(s.stderr, fmt.Sprintf("shard %d of 2: ", k)) {
			t.Fatalf("shard %d: exit %d, stdout %q, stderr %q", k, s.code, s.stdout, s.stderr)
		}
	}
	if m := runCLI(t, ctx, dir, "merge", "s2", "s1", "--outdir", "merged"); m.code != 0 {
		t.Fatalf("merge: exit %d, stderr %s", m.code, m.stderr)
	}
	merged := runCLI(t, ctx, dir, "digits", "eval", held, "--model", "m", "--outdir", "merged")
	if merged.stdout != r.stdout || strings.Contains(merged.stderr, "features of") {
		t.Errorf("eval of the merged shards: stdout %q (unsharded %q), stderr %q", merged.stdout, r.stdout, merged.stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "out", "predictions.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "merged", "predictions.csv"))
	if string(a) != string(b) {
		t.Errorf("predictions of the merged shards differ from the unsharded run's")
	}

	// Another model (other settings) on the same folder starts over.
	r = runCLI(t, ctx, dir, "digits", "train", train, "--model", "m2", "--features", "input", "--lambda", "1", "--seed", "2")
	if r.code != 0 {
		t.Fatalf("train m2: exit %d, stderr %s", r.code, r.stderr)
	}
	r = runCLI(t, ctx, dir, "digits", "eval", held, "--model", "m2", "--outdir", "out")
	evalAccuracy(t, r)
	if !strings.Contains(r.stderr, "starting over") {
		t.Errorf("eval with another model in the same folder did not start over: %s", r.stderr)
	}
}

// checkDigitsOutputs checks eval's files against its accuracy line.
func checkDigitsOutputs(t *testing.T, out string, total, right int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "predictions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "file,true,predicted" || len(lines) != total+1 {
		t.Errorf("predictions.csv: header %q, %d rows, want %d", lines[0], len(lines)-1, total)
	}
	hits := 0
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) == 3 && f[1] == f[2] {
			hits++
		}
		if len(f) != 3 || !strings.HasPrefix(f[0], f[1]+"_") {
			t.Errorf("predictions.csv row %q", l)
		}
	}
	if hits != right {
		t.Errorf("predictions.csv has %d right, the accuracy line %d", hits, right)
	}
	b, err = os.ReadFile(filepath.Join(out, "confusion.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(rows) != 11 || rows[0] != `true\predicted,0,1,2,3,4,5,6,7,8,9` {
		t.Fatalf("confusion.csv:\n%s", b)
	}
	sum, diag := 0, 0
	for i, row := range rows[1:] {
		f := strings.Split(row, ",")
		if len(f) != 11 || f[0] != strconv.Itoa(i) {
			t.Fatalf("confusion.csv row %q", row)
		}
		for j, s := range f[1:] {
			n, _ := strconv.Atoi(s)
			sum += n
			if i == j {
				diag += n
			}
		}
	}
	if sum != total || diag != right {
		t.Errorf("confusion.csv sums to %d with %d on the diagonal, want %d and %d", sum, diag, total, right)
	}
	f, err := os.Open(filepath.Join(out, "confusion.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() < 100 {
		t.Errorf("confusion.png: %v", err)
	}
}

// Bad input is a clear error naming the file, with exit code 1.
func TestDigitsBadInput(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	recs := filepath.Join(dir, "recs")
	os.Mkdir(recs, 0o755)
	os.WriteFile(filepath.Join(recs, "3_theo_10.wav"), []byte("not audio"), 0o644)
	os.MkdirAll(filepath.Join(dir, "old"), 0o755)
	os.WriteFile(filepath.Join(dir, "old", "model.json"), []byte(`{"format":"gospice digits model","version":0}`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"digits", "train", "nothere", "--model", "m", "--features", "input"}, "nothere"},
		{[]string{"digits", "train", recs, "--model", "m", "--features", "input", "--lambda", "1"}, "3_theo_10.wav: not a PCM WAV file"},
		{[]string{"digits", "train", recs}, "--model"},
		{[]string{"digits", "train", recs, "--model", "m", "--features", "both"}, `features "both"`},
		{[]string{"digits", "eval", recs, "--model", "old"}, "version 0"},
		{[]string{"digits", "eval", recs, "--model", "nomodel"}, "model.json"},
		{[]string{"digits", "eval", recs, "--model", "old", "--shard", "3/2"}, "version 0"},
		{[]string{"digits", "train", recs, "--model", "m", "--features", "input", "--takes", "11-20"}, "no recordings of takes 11-20"},
	} {
		r := runCLI(t, ctx, dir, c.args...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want exit 1 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	os.WriteFile(filepath.Join(recs, "three.wav"), nil, 0o644)
	if r := runCLI(t, ctx, dir, "digits", "train", recs, "--model", "m", "--features", "input"); r.code != 1 || !strings.Contains(r.stderr, "three.wav: not a recording name") {
		t.Errorf("a badly named file: exit %d, stderr %q", r.code, r.stderr)
	}
}

// The CI smoke test: a small circuit network (40 neurons) trained on 60 recordings and
// evaluated on 60 held-out ones, end to end through the commands, with the default
// features (spike counts and residues, the input beside them). It measured 0.7833
// (47/60) on 2026-12-07 (0.5000 with the spike counts alone and the 50 dB front end on
// 2026-12-06; 60 examples are few for a readout of 880 features); the issue asks for at
// least 0.4. About 80 s of CPU.
func TestDigitsSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 120 recordings through a 40-neuron circuit network")
	}
	train, held := digitsSets(t)
	dir := t.TempDir()
	ctx := context.Background()
	r := runCLI(t, ctx, dir, "digits", "train", train, "--model", "m", "--neurons", "40", "--lambda", "1")
	if r.code != 0 {
		t.Fatalf("train: exit %d, stderr %s", r.code, r.stderr)
	}
	t.Logf("train: %s", strings.TrimSpace(r.stderr))
	r = runCLI(t, ctx, dir, "digits", "eval", held, "--model", "m", "--outdir", "out")
	acc, right, total := evalAccuracy(t, r)
	t.Logf("40-neuron network, 60 training recordings: held-out accuracy %.4f (%d/%d)", acc, right, total)
	if total != 60 || acc < 0.4 {
		t.Errorf("held-out accuracy %.4f (%d/%d), want at least 0.4 of 60", acc, right, total)
	}
	checkDigitsOutputs(t, filepath.Join(dir, "out"), total, right)
}

func TestParseTakes(t *testing.T) {
	for spec, want := range map[string][2]int{"5-9": {5, 9}, "7": {7, 7}, " 10 - 49 ": {10, 49}} {
		lo, hi, err := parseTakes(spec)
		if err != nil || lo != want[0] || hi != want[1] {
			t.Errorf("%q: %d-%d, %v", spec, lo, hi, err)
		}
	}
	for _, bad := range []string{"9-5", "x", "-3", "1-", ""} {
		if _, _, err := parseTakes(bad); err == nil || !strings.Contains(err.Error(), "--takes") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}

// On a terminal the features' progress bar shows the count and the time left.
func TestDigitsProgressBar(t *testing.T) {
	train, _ := digitsSets(t)
	dir := t.TempDir()
	var out, errb bytes.Buffer
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	a := &app{ctx: context.Background(), stdout: &out, stderr: &errb, terminal: true}
	if code := a.execute([]string{"digits", "train", train, "--model", "m", "--features", "input", "--lambda", "1", "--jobs", "1"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := errb.String()
	t.Logf("%q", s[:min(len(s), 300)])
	for _, want := range []string{"recordings", "/60", "%", "s:"} {
		if !strings.Contains(s, want) {
			t.Errorf("progress output lacks %q: %q", want, s)
		}
	}
}

// committedModel is the model the reported numbers come from.
const committedModel = "../../netlists/digits/model"

// The committed model still reads, and eval on it gives, recording by recording, the
// predictions of the run that measured its validation accuracy (0.9567, 287/300 on takes
// 5-9, docs/digits.md): a change to the front end, the network's circuit or the readout
// that moves them shows here. Six recordings, one of them wrong in that run.
func TestDigitsCommittedModel(t *testing.T) {
	m, err := pipeline.LoadModel(filepath.Join(committedModel, pipeline.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	if m.Features != pipeline.FromNetwork || m.Network.Neurons != 100 || m.Training == nil || m.Training.Lambda != 0.03 || m.Training.Refit {
		t.Errorf("model: features %s, %d neurons, training %+v", m.Features, m.Network.Neurons, m.Training)
	}
	if !m.WithInput || m.Network.State != 10 || m.Frontend.RangeDB != 70 {
		t.Errorf("model: with_input %v, state %d, range %g dB; want the defaults chosen on validation (true, 10, 70)", m.WithInput, m.Network.State, m.Frontend.RangeDB)
	}
	if testing.Short() {
		t.Skip("simulates 6 recordings through the 100-neuron network")
	}
	src, err := filepath.Abs(fsddDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not present (the shared spoken-digit recordings are not part of the repository): %v", fsddDir, err)
	}
	want := map[string]string{
		"0_george_5.wav": "0", "0_nicolas_5.wav": "0", "1_george_5.wav": "1",
		"3_lucas_7.wav": "6", "4_theo_7.wav": "4", "6_lucas_8.wav": "6",
	}
	dir := t.TempDir()
	recs := filepath.Join(dir, "recs")
	os.Mkdir(recs, 0o755)
	for name := range want {
		if err := os.Symlink(filepath.Join(src, name), filepath.Join(recs, name)); err != nil {
			t.Fatal(err)
		}
	}
	model, _ := filepath.Abs(committedModel)
	r := runCLI(t, context.Background(), dir, "digits", "eval", recs, "--model", model, "--outdir", "out")
	if acc, right, total := evalAccuracy(t, r); right != 5 || total != 6 {
		t.Errorf("accuracy %.4f (%d/%d), want 5 of 6", acc, right, total)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "predictions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(line, ",")
		if want[f[0]] != f[2] {
			t.Errorf("%s predicted %s, the measured run %s", f[0], f[2], want[f[0]])
		}
	}
}
