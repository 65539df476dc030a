package frontend

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// writeTone writes a 16-bit mono WAV of a sine of freq Hz, seconds long, at rate Hz.
func writeTone(t *testing.T, path string, freq, seconds float64, rate int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := int(seconds * float64(rate))
	data := make([]int, n)
	for i := range data {
		data[i] = int(math.Round(12000 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))))
	}
	e := wav.NewEncoder(f, rate, 16, 1, 1)
	if err := e.Write(&audio.IntBuffer{Format: &audio.Format{NumChannels: 1, SampleRate: rate}, Data: data, SourceBitDepth: 16}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

// A tone's energy lands in the band whose centre is nearest to it, and the level there
// is the recording's loudest (1).
func TestLevelsOfATone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tone.wav")
	writeTone(t, path, 1000, 0.5, 8000)
	a, err := ReadWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Rate != 8000 || len(a.Samples) != 4000 {
		t.Fatalf("decoded %d samples at %g Hz, want 4000 at 8000", len(a.Samples), a.Rate)
	}
	if peak := 12000 / 32768.0; math.Abs(maxAbs(a.Samples)-peak) > 1e-3 {
		t.Errorf("peak sample %g, want %g", maxAbs(a.Samples), peak)
	}
	s := DefaultSettings()
	levels, err := s.Levels(a)
	if err != nil {
		t.Fatal(err)
	}
	// The band whose centre is nearest 1 kHz.
	want, best := -1, math.Inf(1)
	for b := range s.Channels {
		c := melInv(mel(s.LowHz) + (mel(s.HighHz)-mel(s.LowHz))*float64(b+1)/float64(s.Channels+1))
		if d := math.Abs(c - 1000); d < best {
			want, best = b, d
		}
	}
	mid := levels[len(levels)/2]
	got := 0
	for b, v := range mid {
		if v > mid[got] {
			got = b
		}
	}
	t.Logf("1 kHz tone: loudest band %d (want %d), level %g; band 0 level %g", got, want, mid[got], mid[0])
	if got != want || mid[got] < 0.99 {
		t.Errorf("loudest band %d at level %g, want band %d at about 1", got, mid[got], want)
	}
	if mid[0] != 0 {
		t.Errorf("band 0 (100 Hz) level %g, want 0: a 1 kHz tone puts nothing within %g dB there", mid[0], s.RangeDB)
	}
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

// The rate encoder fires at MaxRate times the level: a constant level gives
// level*MaxRate*Duration spikes, evenly spaced, within [0, Duration).
func TestEncodeRates(t *testing.T) {
	s := DefaultSettings()
	s.Channels = 3
	frames := 50
	levels := make([][]float64, frames)
	for j := range levels {
		levels[j] = []float64{0, 0.5, 1}
	}
	in := s.Encode(levels)
	if in.Duration != s.Duration {
		t.Errorf("duration %g, want %g", in.Duration, s.Duration)
	}
	for c, want := range []int{0, int(0.5 * s.MaxRate * s.Duration), int(s.MaxRate * s.Duration)} {
		got := in.Channels[c]
		// The last spike of a full integral may fall at Duration itself, which is left out.
		if len(got) != want && len(got) != want-1 {
			t.Errorf("channel %d: %d spikes, want %d (or one fewer)", c, len(got), want)
		}
		for i, ts := range got {
			if ts < 0 || ts >= s.Duration {
				t.Errorf("channel %d spike %d at %g s, outside [0, %g)", c, i, ts, s.Duration)
			}
			if i > 0 && ts-got[i-1] < 1/s.MaxRate*(1-1e-9) {
				t.Errorf("channel %d spikes %d and %d %g s apart, under 1/MaxRate", c, i-1, i, ts-got[i-1])
			}
		}
	}
}

// A level that changes from frame to frame still spaces spikes by at least 1/MaxRate,
// and the stretch maps the whole recording onto Duration.
func TestEncodeVaryingLevels(t *testing.T) {
	s := DefaultSettings()
	s.Channels = 1
	levels := make([][]float64, 37)
	total := 0.0
	for j := range levels {
		levels[j] = []float64{0.5 + 0.5*math.Sin(float64(j))}
		total += levels[j][0]
	}
	spikes := s.Encode(levels).Channels[0]
	want := total * s.MaxRate * s.Duration / float64(len(levels))
	t.Logf("%d spikes, integral of the rate %g", len(spikes), want)
	if math.Abs(float64(len(spikes))-want) > 1 {
		t.Errorf("%d spikes, want the rate's integral %g within 1", len(spikes), want)
	}
	for i := 1; i < len(spikes); i++ {
		if spikes[i]-spikes[i-1] < 1/s.MaxRate*(1-1e-9) {
			t.Errorf("spikes %d and %d %g s apart, under 1/MaxRate", i-1, i, spikes[i]-spikes[i-1])
		}
	}
	// Fixed time: 37 frames of 10 ms are 0.37 s of audio; with AudioS 1 s they take 0.37
	// of Duration.
	s.AudioS = 1
	fixed := s.Encode(levels).Channels[0]
	if last := fixed[len(fixed)-1]; last > 0.37*s.Duration {
		t.Errorf("with audio_s 1 the last spike is at %g s, after 0.37 of %g s", last, s.Duration)
	}
}

func TestNotAWAV(t *testing.T) {
	_, err := DecodeWAV(bytes.NewReader([]byte("RIFF????not a wave file at all")), "3_theo_1.wav")
	if err == nil || !strings.Contains(err.Error(), "3_theo_1.wav: not a PCM WAV file") {
		t.Errorf("error %v, want one naming the file and saying it is not a WAV", err)
	}
}

func TestSettingsCheck(t *testing.T) {
	s := DefaultSettings()
	s.Channels = 0
	if err := s.Check(); err == nil {
		t.Error("0 channels accepted")
	}
	s = DefaultSettings()
	s.HighHz = 6000
	if _, err := s.Levels(Audio{Rate: 8000, Samples: make([]float64, 800)}); err == nil || !strings.Contains(err.Error(), "half the sample rate") {
		t.Errorf("bands above Nyquist: error %v", err)
	}
}
