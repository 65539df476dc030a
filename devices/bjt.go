package devices

import "github.com/gospice/gospice/parser"

// newBJT is being written.
func newBJT(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	return nil, elementError(e, "the BJT model is not supported yet")
}
