// Package bsimqa runs the compact-model QA decks of ngspice's tests/bsim3 and
// tests/bsim4 (the shared corpus: a qaSpec, parameter files and the reference outputs
// reference/<test>.standard that ngspice made) through a simulator, and compares the
// outputs with the references.
//
// ParseSpec reads a qaSpec (the QA toolkit's format: setup, then tests with their biases,
// sweeps, outputs and parameters; `ifdef blocks chosen for a simulator). Spec.NewDeck
// writes one netlist per test, temperature and Variant: the device copied once per bias
// point with a voltage source on each pin, a .dc sweep for I(d) or an .ac analysis for
// the conductances G(m,f) and capacitances C(m,f), and for the noise N(d) a deck per
// list value (Deck.Parts), a .noise of the pin's current. Gospice and Ngspice run a deck
// and give back its sources' currents (or the noise density); Deck.Rows turns them into
// the rows of the reference file, and Suite.Run compares them block by block.
//
// The tests: TestQAGospice runs every deck through gospice (part of go test ./...; it
// skips without the shared corpus), TestQANgspice through ngspice 39 when
// GOSPICE_BSIMQA=ngspice, TestLevel1ClosedForm the whole harness on a level-1 MOSFET
// known in closed form. docs/bsim-qa.md describes the format, the decks, the tolerances
// and ngspice's own agreement with its references.
package bsimqa
