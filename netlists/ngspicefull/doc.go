// Package ngspicefull is the harness that runs every netlist of ngspice's own examples and
// tests that ngspice 39 runs (the shared corpus ../shared/corpus/ngspice-full, listed in
// its MANIFEST.tsv) through gospice and through ngspice, and compares what they write.
//
// For each netlist it records whether gospice parses, builds and runs it to the end (the
// gospice command's exit code 0), and whether every vector ngspice writes is in gospice's
// output and agrees within ngspice's own accuracy: the difference between ngspice at the
// netlist's reltol and ngspice at a tenth of it, with finer time steps (see Compare). The
// result is a table, one row per netlist, a summary of the counts and the failures
// counted by category; docs/corpus.md describes them.
//
// TestNgspiceFull runs it; it takes tens of minutes, so it runs only when asked:
//
//	GOSPICE_CORPUS=full go test ./netlists/ngspicefull -run TestNgspiceFull -v -timeout 6h
//
// The other tests of the package check its parts on small inputs and run with go test ./...
package ngspicefull
