// Package reservoir simulates the spoken-digit task's recurrent network of 1M1T1R neurons
// as a circuit: one recording's input spike trains drive it, and its activity comes back as
// a feature vector for the readout.
//
// This file is the contract between the digits pipeline (front end, readout, commands) and
// the network; the network's implementation replaces Run.
package reservoir

import (
	"context"
	"errors"
)

// Input is one recording as the network sees it.
type Input struct {
	Duration float64     // network time to simulate (s)
	Channels [][]float64 // Channels[c]: the increasing spike times (s) of input channel c
}

// Settings describe the network. They are saved in the model folder as JSON, so every
// field is exported and tagged; the same Settings and Input give the same features.
type Settings struct {
	Inputs  int    `json:"inputs"`  // input channels the network expects
	Neurons int    `json:"neurons"` // circuit neurons in the network
	Seed    uint64 `json:"seed"`    // wiring, device spread and rupture noise
}

// DefaultSettings returns the network the reported numbers use, for inputs channels.
func DefaultSettings(inputs int) Settings {
	return Settings{Inputs: inputs, Neurons: 100, Seed: 1}
}

// Features is the length of the vector Run returns for s.
func (s Settings) Features() int { return s.Neurons }

// Stats says what one recording's simulation cost.
type Stats struct {
	Steps  int // accepted time steps over all blocks
	Spikes int // spikes of the network's neurons
}

// Run simulates the network of s driven by in and returns its activity as Features()
// numbers.
func Run(ctx context.Context, s Settings, in Input) ([]float64, Stats, error) {
	return nil, Stats{}, errors.New("reservoir: the circuit network is not built yet")
}
