package parser

// jfetSpec reads a JFET line: J name d g s model [area] [off] [ic=vds,vgs] [name=value ...].
var jfetSpec = deviceSpec{noun: "JFET", nodes: 3, area: true, flags: []string{"off"},
	lists: map[string]listSpec{"ic": {2, "ic=vds,vgs"}}}

// mesfetSpec reads a Z line (MESFET and HFET): Z name d g s model [area] [off]
// [ic=vds,vgs] [name=value ...]; the MESA and HFET models take l= and w= instead of an area.
var mesfetSpec = deviceSpec{noun: "MESFET", nodes: 3, area: true, flags: []string{"off"},
	lists: map[string]listSpec{"ic": {2, "ic=vds,vgs"}}}
