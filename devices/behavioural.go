package devices

import "github.com/gospice/gospice/parser"

// newBehaviouralSource builds a source whose output is an expression (B, and E or G with
// value={expr}). Placeholder until the behavioural sources land.
func newBehaviouralSource(e *parser.Element, _ *parser.Circuit, _ Env) (Device, error) {
	return nil, elementError(e, "behavioural sources are not supported yet")
}
