package gospice

import (
	"slices"

	// The MOSFET models of levels other than 1 live in packages of their own, which
	// register themselves with the devices package when imported.
	"github.com/gospice/gospice/devices"
	_ "github.com/gospice/gospice/devices/bsim3"
	_ "github.com/gospice/gospice/devices/bsim4"
	// Xyce's drift memristors (YMEMRISTOR with level=2, 3, 4) register likewise.
	_ "github.com/gospice/gospice/devices/driftmem"
	// YSYNAPSE registers itself likewise.
	_ "github.com/gospice/gospice/devices/synapse"
)

// UnusedModelParams lists, for each model of the netlist that gives some, the model
// parameters gospice accepts as ngspice does but does not use (a BSIM3 card's noise
// parameters, say), with the model names sorted.
func (s *Simulation) UnusedModelParams() []ModelParams {
	var out []ModelParams
	for name, m := range s.Circuit.Models {
		if u := devices.UnusedModelParams(m); len(u) > 0 {
			out = append(out, ModelParams{Model: name, Params: u})
		}
	}
	slices.SortFunc(out, func(a, b ModelParams) int {
		if a.Model < b.Model {
			return -1
		}
		if a.Model > b.Model {
			return 1
		}
		return 0
	})
	return out
}

// ModelParams names some parameters of a model.
type ModelParams struct {
	Model  string
	Params []string
}
