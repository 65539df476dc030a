// Package parser reads SPICE netlists (ngspice syntax) into a flat circuit: it owns the
// lexing, an AST with positions, .include/.lib, .param/.func/.if and subcircuit flattening.
//
// Reading a netlist goes in four steps:
//
//  1. Files: the netlist's lines, with each .include file (relative to the folder of the
//     file that names it) and each called .lib section (.lib file section) in place; the
//     .lib section ... .endl blocks are left out unless called. Positions name the file
//     each line comes from. Included files have no title line. Plain element lines
//     (words, numbers and word=number pairs, most lines of a large netlist) skip
//     participle: see fastpath.go.
//  2. Structure: the lines are sorted into the top level and the .subckt definitions
//     (which may nest; a nested definition is visible only inside the one around it);
//     .param, .func and .global lines are collected, .if blocks resolved.
//  3. Parameters: .param values may come in any order and refer to each other; a cycle
//     or an unknown name is an error. Values are written {expr}, 'expr', or bare where
//     no other reading is possible (.param x = a + b, r=rval*2). Expressions are package
//     expr's, with ngspice's operators and functions.
//  4. Elaboration: the lines of the top level are read; an X line flattens its
//     subcircuit's lines in a scope of its own, recursively.
//
// Libraries are read for what the netlist uses: the lines of included files go through
// the grammar when first elaborated (lazy.go), the bodies of their .subckt definitions
// are split into tokens when first instantiated (lazybody.go), and their .model cards
// are evaluated when an element uses them (models.go), so that a netlist of a few
// transistors of a 50,000-line process library reads only what it needs. Mistakes in
// the parts of a library that the netlist does not use are not reported, as in ngspice.
// M elements may name a binned model: the stem of cards stem.1, stem.2 ..., of which
// the one whose lmin..lmax, wmin..wmax holds the element's l and w is used, as ngspice
// 39 does with ngbehavior=hsa; .options scale is applied to the geometry of MOSFETs,
// resistors, capacitors and level 3 diodes, as ngspice's devices apply it.
//
// Step 1 is done once, by ParseDeck, into a Deck; steps 2 to 4 by Deck.Elaborate, as
// many times as needed (from several goroutines at once if need be) with a Variant:
// values of top-level parameters that replace the netlist's (a .step param, a sweep),
// and the seed and run number of the random functions. Parse is both, with the netlist's
// own values, and its Circuit keeps its Deck. Both stop early when their context ends.
//
// Flattening. An element r1 of instance x1 is x1.r1, of x1's instance x2 x1.x2.r1. A
// local node out is x1.out; ports are the nodes the X line connects; 0, gnd and .global
// nodes stay themselves. A .model written inside a .subckt is one model per instance,
// named with the prefix (x1.dmod), its parameters evaluated with the instance's values
// (a library's card, in an included file, is shared by the instances whose parameters
// are all the same and that draw no random values: the first one's; see models.go);
// an element finds a model among those of its definition, then of the definitions
// around it, then the top level's. Names inside expressions are flattened the same way:
// v(out) inside x1 is v(x1.out), i(vx) is i(x1.vx). Positions of flattened elements stay
// those of the lines inside the .subckt; an error there says which instance (the first
// one) it was found in, once.
//
// Parameters of an instance: the values on its X line (evaluated where the X line is),
// else the defaults of the .subckt line (evaluated in the instance, so that they may use
// the other parameters), then the .param lines inside the definition, which an X line
// may set as well (the X line's value wins, as in ngspice); the parameters of
// the definitions around it and the top level's are visible too. .func functions are
// macros, as in ngspice: the names in a body that are not its parameters are looked up
// where it is called.
//
// What depends on the simulation (v(), i(), time, temper, hertz) is kept as a folded
// expression: B sources and behavioural E and G sources, R, C and L whose value uses
// them, and parameters of elements and models that depend on temper. Everything else
// must be a constant.
//
// Random functions (gauss, agauss, unif, aunif, and limit with two arguments; see
// expr.Random) are drawn while elaborating and never kept in an expression, so their
// arguments must be constants (v(b)*agauss(1,0.1,1) is fine, agauss(v(b),0.1,1) is an
// error). As in ngspice, a .param that uses one is drawn once per elaboration, and every
// use shares the value; on an element or .model line each call draws anew, in the order
// written. Each draw comes from a stream of its own named after what it is drawn for
// (see Stream): the parameter's, element's or model's flat name, so that x1.r1 and x2.r1
// differ, a .subckt default is drawn per instance, and no draw depends on the other
// lines of the netlist or on the order they are read in. Circuit.Random says whether
// any was drawn.
//
// .step lines are read into Circuit.Steps (what is stepped and its values); running the
// steps is the caller's work.
package parser
