package devices

import "github.com/gospice/gospice/parser"

// newMOSFET is being written.
func newMOSFET(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	return nil, elementError(e, "the MOSFET model is not supported yet")
}
