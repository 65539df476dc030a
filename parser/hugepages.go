package parser

// hugePage is the size of a transparent huge page on x86-64 and arm64 Linux with 4 KiB
// pages: the big slices of a large netlist's reading ask for them (adviseHuge).
const hugePage = 2 << 20
