package devices

import "github.com/gospice/gospice/parser"

// newSwitch is being written.
func newSwitch(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	return nil, elementError(e, "the switch model is not supported yet")
}
