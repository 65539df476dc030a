package parser

// jfetSpec reads a JFET line: J name d g s model [area] [off] [ic=vds,vgs] [name=value ...].
var jfetSpec = deviceSpec{noun: "JFET", nodes: 3, area: true, flags: []string{"off"},
	lists: map[string]listSpec{"ic": {2, "ic=vds,vgs"}}}
