// Package parser reads SPICE netlists (ngspice syntax) into a flat circuit: it owns the
// lexing, an AST with positions, and the elaboration of element and control lines.
package parser
