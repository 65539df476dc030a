// Package frontend turns a spoken-digit recording into spike trains for the circuit
// network: a log-mel filter bank over short frames (gonum's FFT), each band's level
// relative to the recording's loudest, and a rate encoder that fires each band's input
// channel at a rate proportional to that level.
package frontend

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/go-audio/wav"
	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/gospice/gospice/cmd/gospice/internal/digits/reservoir"
)

// Settings describe the front end. They are saved in the model folder as JSON.
type Settings struct {
	Channels int     `json:"channels"`   // mel bands, one input channel each, lowest first
	LowHz    float64 `json:"low_hz"`     // the lowest band's lower edge
	HighHz   float64 `json:"high_hz"`    // the highest band's upper edge (at most half the sample rate)
	FrameS   float64 `json:"frame_s"`    // analysis frame length (s of audio)
	HopS     float64 `json:"hop_s"`      // frame step (s of audio)
	RangeDB  float64 `json:"range_db"`   // levels this far below the recording's loudest band and frame fire nothing
	Duration float64 `json:"duration_s"` // network time per recording (s)
	// AudioS is the audio, in seconds, that Duration of network time represents: 0
	// stretches every recording to fill Duration (FSDD's are trimmed of silence, so this
	// normalises the speaking rate); otherwise longer recordings are cut.
	AudioS  float64 `json:"audio_s"`
	MaxRate float64 `json:"max_rate_hz"` // the rate of a channel at the loudest level (network time)
}

// DefaultSettings returns the front end the reported numbers use.
func DefaultSettings() Settings {
	return Settings{
		Channels: 32, LowHz: 100, HighHz: 4000, FrameS: 0.025, HopS: 0.010, RangeDB: 50,
		Duration: 0.1, AudioS: 0, MaxRate: 400,
	}
}

// Check reports settings that cannot work.
func (s Settings) Check() error {
	switch {
	case s.Channels < 1:
		return fmt.Errorf("frontend: channels %d: need at least 1", s.Channels)
	case !(s.LowHz >= 0 && s.HighHz > s.LowHz):
		return fmt.Errorf("frontend: bands %g to %g Hz: need 0 <= low < high", s.LowHz, s.HighHz)
	case !(s.FrameS > 0 && s.HopS > 0):
		return fmt.Errorf("frontend: frame %g s, hop %g s: both must be positive", s.FrameS, s.HopS)
	case !(s.RangeDB > 0):
		return fmt.Errorf("frontend: range %g dB: must be positive", s.RangeDB)
	case !(s.Duration > 0) || s.AudioS < 0:
		return fmt.Errorf("frontend: duration %g s, audio %g s: duration must be positive, audio not negative", s.Duration, s.AudioS)
	case !(s.MaxRate > 0 && s.MaxRate*s.Duration < 1e6):
		return fmt.Errorf("frontend: max rate %g Hz: must be positive and give under a million spikes", s.MaxRate)
	}
	return nil
}

// Audio is a decoded recording: mono samples in [-1, 1].
type Audio struct {
	Rate    float64
	Samples []float64
}

// ReadWAV decodes a PCM WAV file; several channels are averaged into one.
func ReadWAV(path string) (Audio, error) {
	f, err := os.Open(path)
	if err != nil {
		return Audio{}, err
	}
	defer f.Close()
	return DecodeWAV(f, path)
}

// DecodeWAV decodes a PCM WAV stream; name is for the errors.
func DecodeWAV(r io.ReadSeeker, name string) (Audio, error) {
	d := wav.NewDecoder(r)
	if !d.IsValidFile() {
		return Audio{}, fmt.Errorf("%s: not a PCM WAV file", name)
	}
	buf, err := d.FullPCMBuffer()
	if err != nil {
		return Audio{}, fmt.Errorf("%s: reading the WAV samples: %v", name, err)
	}
	chans := buf.Format.NumChannels
	depth := buf.SourceBitDepth
	if chans < 1 || depth < 8 || depth > 32 || buf.Format.SampleRate <= 0 {
		return Audio{}, fmt.Errorf("%s: unsupported WAV format (%d channels, %d bits, %d Hz)", name, chans, depth, buf.Format.SampleRate)
	}
	full := math.Ldexp(1, depth-1)
	n := len(buf.Data) / chans
	if n == 0 {
		return Audio{}, fmt.Errorf("%s: the WAV file holds no samples", name)
	}
	a := Audio{Rate: float64(buf.Format.SampleRate), Samples: make([]float64, n)}
	for i := range n {
		s := 0
		for c := range chans {
			s += buf.Data[i*chans+c]
		}
		// 8-bit WAV is unsigned; go-audio hands the bytes over as they are.
		if depth == 8 {
			s -= 128 * chans
		}
		a.Samples[i] = float64(s) / (full * float64(chans))
	}
	return a, nil
}

// Levels returns the recording's log-mel levels: levels[frame][band] in [0, 1], 1 at the
// loudest band and frame and 0 at RangeDB below it or quieter.
func (s Settings) Levels(a Audio) ([][]float64, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if s.HighHz > a.Rate/2 {
		return nil, fmt.Errorf("frontend: the bands reach %g Hz, above half the sample rate (%g Hz)", s.HighHz, a.Rate)
	}
	frame := int(math.Round(s.FrameS * a.Rate))
	hop := int(math.Round(s.HopS * a.Rate))
	if frame < 4 || hop < 1 {
		return nil, fmt.Errorf("frontend: a frame of %d samples at %g Hz is too short", frame, a.Rate)
	}
	nfft := 1
	for nfft < frame {
		nfft *= 2
	}
	bank := melBank(s.Channels, s.LowHz, s.HighHz, a.Rate, nfft)
	fft := fourier.NewFFT(nfft)
	window := make([]float64, frame)
	for i := range window { // Hann
		window[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(frame-1))
	}
	frames := 1
	if len(a.Samples) > frame {
		frames = 1 + (len(a.Samples)-frame+hop-1)/hop
	}
	seq := make([]float64, nfft)
	coef := make([]complex128, nfft/2+1)
	power := make([]float64, nfft/2+1)
	levels := make([][]float64, frames)
	top := math.Inf(-1)
	for j := range frames {
		clear(seq)
		for i := range frame {
			if k := j*hop + i; k < len(a.Samples) {
				seq[i] = a.Samples[k] * window[i]
			}
		}
		fft.Coefficients(coef, seq)
		for k, c := range coef {
			power[k] = real(c)*real(c) + imag(c)*imag(c)
		}
		row := make([]float64, s.Channels)
		for b, filt := range bank {
			e := 0.0
			for k, w := range filt.weights {
				e += w * power[filt.first+k]
			}
			row[b] = 10 * math.Log10(e+1e-12)
			top = max(top, row[b])
		}
		levels[j] = row
	}
	for _, row := range levels {
		for b, db := range row {
			row[b] = min(max((db-(top-s.RangeDB))/s.RangeDB, 0), 1)
		}
	}
	return levels, nil
}

// filter is one triangular mel band over FFT bins first, first+1, ...
type filter struct {
	first   int
	weights []float64
}

func mel(f float64) float64    { return 2595 * math.Log10(1+f/700) }
func melInv(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// melBank builds n triangular bands equally spaced in mel from lo to hi Hz over the bins
// of an nfft-point FFT at rate Hz. A band narrower than a bin still gets its nearest bin.
func melBank(n int, lo, hi, rate float64, nfft int) []filter {
	edges := make([]float64, n+2)
	for i := range edges {
		edges[i] = melInv(mel(lo) + (mel(hi)-mel(lo))*float64(i)/float64(n+1))
	}
	binHz := rate / float64(nfft)
	bank := make([]filter, n)
	for b := range bank {
		l, c, r := edges[b], edges[b+1], edges[b+2]
		first := int(math.Ceil(l / binHz))
		var w []float64
		for k := first; float64(k)*binHz <= r && k <= nfft/2; k++ {
			f := float64(k) * binHz
			if f <= c {
				w = append(w, (f-l)/(c-l))
			} else {
				w = append(w, (r-f)/(r-c))
			}
		}
		if len(w) == 0 || allZero(w) {
			first, w = min(int(math.Round(c/binHz)), nfft/2), []float64{1}
		}
		bank[b] = filter{first, w}
	}
	return bank
}

func allZero(w []float64) bool {
	for _, v := range w {
		if v != 0 {
			return false
		}
	}
	return true
}

// Encode turns levels (one row per frame, HopS apart in audio) into spike trains of
// Duration network seconds: each channel integrates its rate, MaxRate times its level,
// and fires when the integral passes a whole number, so that two spikes of a channel are
// at least 1/MaxRate apart and the same levels always give the same spikes.
func (s Settings) Encode(levels [][]float64) reservoir.Input {
	in := reservoir.Input{Duration: s.Duration, Channels: make([][]float64, s.Channels)}
	if len(levels) == 0 {
		return in
	}
	// dt: network time per frame.
	dt := s.Duration / float64(len(levels))
	if s.AudioS > 0 {
		dt = s.Duration * s.HopS / s.AudioS
	}
	for c := range s.Channels {
		phase := 0.0
		var spikes []float64
		for j, row := range levels {
			t, end := float64(j)*dt, min(float64(j+1)*dt, s.Duration)
			if t >= end {
				break
			}
			rate := s.MaxRate * row[c]
			for rate > 0 {
				need := (1 - phase) / rate
				if t+need >= end {
					phase += rate * (end - t)
					break
				}
				t += need
				spikes = append(spikes, t)
				phase = 0
			}
		}
		in.Channels[c] = spikes
	}
	return in
}

// Spikes reads a WAV file and encodes it.
func (s Settings) Spikes(path string) (reservoir.Input, error) {
	a, err := ReadWAV(path)
	if err != nil {
		return reservoir.Input{}, err
	}
	levels, err := s.Levels(a)
	if err != nil {
		return reservoir.Input{}, fmt.Errorf("%s: %w", path, err)
	}
	return s.Encode(levels), nil
}
