package devices

import "github.com/gospice/gospice/parser"

// YConstructor builds a device of a Y element (YSYNAPSE name pre post model) from the
// flat circuit, for device packages outside this one.
type YConstructor func(e *parser.Element, c *parser.Circuit, env Env) (Device, error)

var yTypes = map[string]YConstructor{}

// RegisterYType makes the Y elements of device type typ (lowercase: "synapse") built by
// ctor. Packages with a Y device call it from init.
func RegisterYType(typ string, ctor YConstructor) { yTypes[typ] = ctor }
