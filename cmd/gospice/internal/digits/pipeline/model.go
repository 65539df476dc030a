package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/gospice/gospice/cmd/gospice/internal/digits/frontend"
	"github.com/gospice/gospice/cmd/gospice/internal/digits/readout"
	"github.com/gospice/gospice/cmd/gospice/internal/digits/reservoir"
)

// The features a model reads.
const (
	FromNetwork = "network" // the circuit network's activity (reservoir.Run)
	FromInput   = "input"   // the input spike counts in time bins, no network: the baseline
)

// Config is everything that decides a recording's features.
type Config struct {
	Features string             `json:"features"` // FromNetwork or FromInput
	Frontend frontend.Settings  `json:"frontend"`
	Network  reservoir.Settings `json:"network"`
	Bins     int                `json:"input_bins"` // time bins per channel of the input features
	// WithInput gives the readout the input spike counts (Bins per channel) after the
	// network's features: reservoir computing's input-to-readout connections.
	WithInput bool `json:"with_input,omitempty"`
}

// DefaultConfig is the configuration of the committed model (docs/digits.md): the front
// end with a 70 dB range, the network's spike counts and memristor residues at 10 times,
// and the input spike counts beside them, each chosen on the validation takes.
func DefaultConfig() Config {
	fe := frontend.DefaultSettings()
	fe.RangeDB = 70
	net := reservoir.DefaultSettings(fe.Channels)
	net.State = 10
	return Config{Features: FromNetwork, Frontend: fe, Network: net, Bins: 10, WithInput: true}
}

// Check reports a configuration that cannot work.
func (c Config) Check() error {
	if err := c.Frontend.Check(); err != nil {
		return err
	}
	switch c.Features {
	case FromNetwork:
		if c.WithInput && c.Bins < 1 {
			return fmt.Errorf("input_bins %d: need at least 1", c.Bins)
		}
		if c.Network.Inputs != c.Frontend.Channels {
			return fmt.Errorf("the network has %d inputs, the front end %d channels", c.Network.Inputs, c.Frontend.Channels)
		}
		if c.Network.Features() < 1 {
			return fmt.Errorf("the network gives %d features", c.Network.Features())
		}
	case FromInput:
		if c.WithInput {
			return fmt.Errorf("with_input adds the input features to the network's: features must be %q", FromNetwork)
		}
		if c.Bins < 1 {
			return fmt.Errorf("input_bins %d: need at least 1", c.Bins)
		}
	default:
		return fmt.Errorf("features %q: expected %q or %q", c.Features, FromNetwork, FromInput)
	}
	return nil
}

// Len is the number of features of a recording.
func (c Config) Len() int {
	switch {
	case c.Features == FromInput:
		return c.Frontend.Channels * c.Bins
	case c.WithInput:
		return c.Network.Features() + c.Frontend.Channels*c.Bins
	}
	return c.Network.Features()
}

// Cached is the configuration of the features the cache holds: c without the input
// features WithInput adds, which cost only the front end, so that a network's features
// are simulated once for the readouts with and without them.
func (c Config) Cached() Config {
	c.WithInput = false
	return c
}

// AddInput returns the cached features of the recording at path with, when WithInput
// says so, its input spike counts appended.
func (c Config) AddInput(path string, cached []float64) ([]float64, error) {
	if !c.WithInput {
		return cached, nil
	}
	in, err := c.Frontend.Spikes(path)
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(cached), InputCounts(in, c.Bins)...), nil
}

// Cost is what one recording's features cost.
type Cost struct {
	Frontend, Network time.Duration // wall time of each stage
	Stats             reservoir.Stats
	InputSpikes       int
}

// Extract computes the features of the recording at path, without those WithInput
// adds (AddInput).
func (c Config) Extract(ctx context.Context, path string) ([]float64, Cost, error) {
	var cost Cost
	start := time.Now()
	in, err := c.Frontend.Spikes(path)
	if err != nil {
		return nil, cost, err
	}
	for _, ch := range in.Channels {
		cost.InputSpikes += len(ch)
	}
	cost.Frontend = time.Since(start)
	if c.Features == FromInput {
		return InputCounts(in, c.Bins), cost, nil
	}
	start = time.Now()
	f, stats, err := reservoir.Run(ctx, c.Network, in)
	cost.Network, cost.Stats = time.Since(start), stats
	if err != nil {
		return nil, cost, fmt.Errorf("%s: the network: %w", path, err)
	}
	if len(f) != c.Network.Features() {
		return nil, cost, fmt.Errorf("%s: the network gave %d features, its settings say %d", path, len(f), c.Network.Features())
	}
	return f, cost, nil
}

// InputCounts returns the spike counts of each input channel in bins equal time bins:
// counts[c*bins+b].
func InputCounts(in reservoir.Input, bins int) []float64 {
	counts := make([]float64, len(in.Channels)*bins)
	for c, ch := range in.Channels {
		for _, t := range ch {
			b := min(max(int(t/in.Duration*float64(bins)), 0), bins-1)
			counts[c*bins+b]++
		}
	}
	return counts
}

// The model file's identity: a model folder from another program or another version of
// this one is refused with a message that says which.
const (
	ModelFile    = "model.json"
	modelFormat  = "gospice digits model"
	ModelVersion = 1
)

// Model is a trained spoken-digit classifier, the model folder's model.json.
type Model struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Config
	Readout *readout.Model `json:"readout"`
	// Training says how the readout was chosen; informative, not read by eval.
	Training *Training `json:"training,omitempty"`
}

// Training records the choice of the ridge penalty on the validation takes.
type Training struct {
	Recordings int       `json:"recordings"` // in the folder trained on
	Fit        int       `json:"fit"`        // recordings the penalty was chosen with (takes 10-49)
	Validation int       `json:"validation"` // takes 5-9
	Lambdas    []float64 `json:"lambdas"`
	Accuracy   []float64 `json:"validation_accuracy"` // at each of Lambdas
	Lambda     float64   `json:"lambda"`              // chosen
	Refit      bool      `json:"refit"`               // the readout was refitted on all Recordings at Lambda
}

// NewModel wraps a configuration and its readout as a model of this version.
func NewModel(c Config, r *readout.Model, t *Training) *Model {
	return &Model{Format: modelFormat, Version: ModelVersion, Config: c, Readout: r, Training: t}
}

// LoadModel reads path (a model.json), refusing another format or version.
func LoadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model: %v", err)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%s: not a model file: %v", path, err)
	}
	if head.Format != modelFormat {
		return nil, fmt.Errorf("%s: not a gospice digits model (format %q)", path, head.Format)
	}
	if head.Version != ModelVersion {
		return nil, fmt.Errorf("%s: a model of version %d; this gospice reads version %d (train it again)", path, head.Version, ModelVersion)
	}
	var m Model
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := m.Config.Check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if m.Readout == nil {
		return nil, fmt.Errorf("%s: no readout", path)
	}
	if err := m.Readout.Check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if m.Readout.Features() != m.Len() {
		return nil, fmt.Errorf("%s: the readout takes %d features, the settings give %d", path, m.Readout.Features(), m.Len())
	}
	return &m, nil
}

// Encode returns the model file's bytes.
func (m *Model) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
