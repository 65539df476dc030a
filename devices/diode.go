package devices

import "github.com/gospice/gospice/parser"

// newDiode is being written.
func newDiode(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	return nil, elementError(e, "the diode model is not supported yet")
}
