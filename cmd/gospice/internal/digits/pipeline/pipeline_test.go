package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

func TestParseName(t *testing.T) {
	r, err := ParseName("7_yweweler_42.wav")
	if err != nil || r.Digit != 7 || r.Speaker != "yweweler" || r.Take != 42 || r.Validation() {
		t.Errorf("7_yweweler_42.wav: %+v, %v", r, err)
	}
	if r, _ := ParseName("0_theo_5.wav"); !r.Validation() {
		t.Error("take 5 is not a validation take")
	}
	for _, bad := range []string{"12_theo_1.wav", "theo_1.wav", "1_theo_x.wav", "1_theo_1.mp3", "README.md"} {
		if _, err := ParseName(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: error %v, want one naming it", bad, err)
		}
	}
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"3_a_10.wav", "1_b_2.wav", ".hidden"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	recs, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Name != "1_b_2.wav" || recs[1].Path != filepath.Join(dir, "3_a_10.wav") {
		t.Errorf("listed %+v", recs)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)
	if _, err := List(dir); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a folder with notes.txt: error %v, want one naming it", err)
	}
	empty := t.TempDir()
	os.Mkdir(filepath.Join(empty, "recordings"), 0o755)
	if _, err := List(empty); err == nil || !strings.Contains(err.Error(), "recordings") {
		t.Errorf("a folder of folders: error %v, want a hint at the subfolder", err)
	}
	if _, err := List(filepath.Join(empty, "nothere")); err == nil || !strings.Contains(err.Error(), "nothere") {
		t.Errorf("a missing folder: error %v, want one naming it", err)
	}
}

// writeWAV writes a short 16-bit WAV of a chirp whose pitch depends on digit.
func writeWAV(t *testing.T, path string, digit int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data := make([]int, 2400)
	for i := range data {
		ph := float64(i) / 8000 * (300 + 300*float64(digit))
		data[i] = int(8000 * sinTurns(ph))
	}
	e := wav.NewEncoder(f, 8000, 16, 1, 1)
	if err := e.Write(&audio.IntBuffer{Format: &audio.Format{NumChannels: 1, SampleRate: 8000}, Data: data, SourceBitDepth: 16}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

func sinTurns(x float64) float64 {
	x -= float64(int(x))
	// A triangle wave is enough here.
	if x < 0.5 {
		return 4*x - 1
	}
	return 3 - 4*x
}

// A run that stopped leaves a partial file; the next resumes from its complete rows,
// drops the cut last line, and the finished file holds every row in name order.
func TestCacheResume(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	for d := range 4 {
		writeWAV(t, filepath.Join(dir, string(rune('0'+d))+"_s_10.wav"), d)
	}
	recs, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Features, cfg.WithInput = FromInput, false
	fp, err := Fingerprint(cfg, recs)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := OpenCache(out, fp, cfg.Len())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := Compute(context.Background(), cfg, c, recs[:2], 2, func(r Recording, _ Cost) { got = append(got, r.Name) }); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if len(got) != 2 {
		t.Fatalf("done called for %v", got)
	}
	// Cut the partial file in the middle of its last line, as a kill would.
	partial := filepath.Join(out, partialFile(fp))
	b, _ := os.ReadFile(partial)
	os.WriteFile(partial, b[:len(b)-5], 0o644)

	c, stale, err := OpenCache(out, fp, cfg.Len())
	if err != nil || stale {
		t.Fatalf("reopened: stale %v, %v", stale, err)
	}
	todo := c.Missing(recs)
	if len(todo) != 3 {
		t.Fatalf("after a cut line, %d recordings to do, want 3", len(todo))
	}
	if err := Compute(context.Background(), cfg, c, todo, 2, nil); err != nil {
		t.Fatal(err)
	}
	path, err := c.Complete(recs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(partial); !os.IsNotExist(err) {
		t.Errorf("the partial file is still there after Complete: %v", err)
	}
	b, _ = os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], "0_s_10.wav,0,") || !strings.HasPrefix(lines[4], "3_s_10.wav,3,") {
		t.Errorf("features file:\n%s", b)
	}
	// The same rows come back from the complete file, bit for bit.
	again, _, _ := OpenCache(out, fp, cfg.Len())
	for _, r := range recs {
		x, y := again.Rows[r.Name], c.Rows[r.Name]
		for i := range x {
			if x[i] != y[i] {
				t.Fatalf("%s feature %d: %v read back, %v computed", r.Name, i, x[i], y[i])
			}
		}
	}
	// Another seed is another fingerprint: the old file goes.
	cfg.Network.Seed++
	fp2, _ := Fingerprint(cfg, recs)
	if fp2 == fp {
		t.Fatal("the fingerprint ignores the seed")
	}
	if _, stale, _ := OpenCache(out, fp2, cfg.Len()); !stale {
		t.Error("a cache of other settings was not reported stale")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the stale features file is still there: %v", err)
	}
}

// A file that is not a WAV stops the run with an error naming it.
func TestComputeBadFile(t *testing.T) {
	dir := t.TempDir()
	writeWAV(t, filepath.Join(dir, "0_s_10.wav"), 0)
	os.WriteFile(filepath.Join(dir, "1_s_10.wav"), []byte("hello"), 0o644)
	recs, _ := List(dir)
	cfg := DefaultConfig()
	cfg.Features, cfg.WithInput = FromInput, false
	c, _, _ := OpenCache(t.TempDir(), strings.Repeat("0", 64), cfg.Len())
	err := Compute(context.Background(), cfg, c, recs, 2, nil)
	if err == nil || !strings.Contains(err.Error(), "1_s_10.wav: not a PCM WAV file") {
		t.Errorf("error %v, want one naming 1_s_10.wav", err)
	}
}

func TestLoadModel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ModelFile)
	os.WriteFile(path, []byte(`{"format":"gospice digits model","version":99}`), 0o644)
	if _, err := LoadModel(path); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("version 99: error %v", err)
	}
	os.WriteFile(path, []byte(`{"format":"something else"}`), 0o644)
	if _, err := LoadModel(path); err == nil || !strings.Contains(err.Error(), "not a gospice digits model") {
		t.Errorf("another format: error %v", err)
	}
	if _, err := LoadModel(filepath.Join(dir, "none.json")); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("missing model: error %v", err)
	}
}

// With the input features the readout gets the network's features and then the input
// spike counts, while the cache holds the network's alone: a model with and one without
// them share the simulations.
func TestWithInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "3_s_10.wav")
	writeWAV(t, path, 3)
	recs, _ := List(dir)
	cfg := DefaultConfig()
	cfg.WithInput = false
	both := cfg
	both.WithInput = true
	if err := both.Check(); err != nil {
		t.Fatal(err)
	}
	if both.Len() != cfg.Len()+cfg.Frontend.Channels*cfg.Bins {
		t.Errorf("Len %d, want %d network and %d input features", both.Len(), cfg.Len(), cfg.Frontend.Channels*cfg.Bins)
	}
	a, _ := Fingerprint(cfg.Cached(), recs)
	b, _ := Fingerprint(both.Cached(), recs)
	if a != b {
		t.Error("the cached features of a model with the input features are not those without")
	}
	network := []float64{7, 8}
	x, err := both.AddInput(path, network)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := both.Frontend.Spikes(path)
	want := append([]float64{7, 8}, InputCounts(in, both.Bins)...)
	if !slices.Equal(x, want) || network[0] != 7 || len(network) != 2 {
		t.Errorf("AddInput gave %v, want %v (and the cached row unchanged: %v)", x, want, network)
	}
	if x, _ := cfg.AddInput(path, network); !slices.Equal(x, network) {
		t.Errorf("without the input features AddInput gave %v", x)
	}
	bad := both
	bad.Features = FromInput
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "with_input") {
		t.Errorf("with_input on the input features: error %v", err)
	}
}
