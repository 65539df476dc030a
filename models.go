package gospice

import (
	"github.com/gospice/gospice/devices"
	// The MOSFET models of other packages register their levels with devices when imported.
	_ "github.com/gospice/gospice/devices/bsim4"
	"github.com/gospice/gospice/parser"
)

// UnusedModelParams lists the parameters of a model card that its device accepts but
// does not use (a BSIM4 card's noise coefficients), for gospice check to report.
func UnusedModelParams(m *parser.Model) []string { return devices.UnusedModelParams(m) }
