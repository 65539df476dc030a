package bsim4

import "math"

// baseDefaults are the BSIM4 manual's defaults of the model parameters gospice uses
// whose default is not zero and does not depend on another parameter or the type.
var baseDefaults = map[string]float64{
	"capmod": 2, "diomod": 1, "permod": 1, "binunit": 1,
	"toxe": 30e-10, "toxref": 30e-10, "epsrox": 3.9, "eot": 15e-10, "ados": 1, "bdos": 1,
	"cdsc": 2.4e-4, "nfactor": 1, "xj": 0.15e-6, "vsat": 8e4, "at": 3.3e4, "a0": 1, "a2": 1,
	"keta": -0.047, "nsub": 6e16, "ndep": 1.7e17, "nsd": 1e20, "vbm": -3, "xt": 1.55e-7,
	"kt1": -0.11, "kt2": 0.022, "k3": 80, "w0": 2.5e-6, "lpe0": 1.74e-7,
	"dvt0": 2.2, "dvt1": 0.53, "dvt2": -0.032, "dvt1w": 5.3e6, "dvt2w": -0.032, "drout": 0.56,
	"vfb": -1, "ua1": 1e-9, "ub": 1e-19, "ub1": -1e-18, "lp": 1e-8, "ute": -1.5,
	"ucste": -4.775e-3, "voff": -0.08, "delta": 0.01, "rdsw": 200, "rdw": 100, "rsw": 100,
	"prwg": 1, "eta0": 0.08, "etab": -0.07, "pclm": 1.3, "pdiblc1": 0.39, "pdiblc2": 0.0086,
	"pscbe1": 4.24e8, "pscbe2": 1e-5, "wr": 1, "bgidl": 2.3e9, "cgidl": 0.5, "egidl": 0.8,
	"rgidl": 1, "fgidl": 1, "aigbacc": 1.36e-2, "bigbacc": 1.71e-3, "cigbacc": 0.075,
	"aigbinv": 1.11e-2, "bigbinv": 9.49e-4, "cigbinv": 0.006, "nigc": 1, "nigbinv": 3,
	"nigbacc": 1, "ntox": 1, "eigbinv": 1.1, "pigcd": 1, "poxedge": 1, "xrcrg1": 12,
	"xrcrg2": 1, "ijthsfwd": 0.1, "ijthsrev": 0.1, "vtl": 2e5, "xn": 3, "lc": 5e-9,
	"xjbvs": 1, "bvs": 10, "gbmin": 1e-12, "rbdb": 50, "rbpb": 50, "rbsb": 50, "rbps": 50,
	"rbpd": 50, "ckappas": 0.6, "clc": 0.1e-6, "cle": 0.6, "vfbcv": -1, "acde": 1,
	"moin": 15, "noff": 1, "rshg": 0.1, "ngcon": 1, "lln": 1, "lwn": 1, "wln": 1, "wwn": 1,
	"cjs": 5e-4, "cjsws": 5e-10, "jss": 1e-4, "pbs": 1, "pbsws": 1, "mjs": 0.5, "mjsws": 0.33,
	"njs": 1, "xtis": 3, "njts": 20, "njtssw": 20, "njtsswg": 20, "xtss": 0.02,
	"xtssws": 0.02, "xtsswgs": 0.02, "vtss": 10, "vtssws": 10, "vtsswgs": 10,
	"saref": 1e-6, "sbref": 1e-6, "lodk2": 1, "lodeta0": 1, "scref": 1e-6,
	"rbps0": 50, "rbpd0": 50, "rbpbx0": 100, "rbpby0": 100, "rbsbx0": 100, "rbsby0": 100,
	"rbdbx0": 100, "rbdby0": 100,
	// mtrlmod 1's materials: silicon and a gate of its work function by default.
	"phig": 4.05, "epsrgate": 11.7, "easub": 4.05, "epsrsub": 11.7, "ni0sub": 1.45e10,
	"bg0sub": 1.16, "tbgasub": 7.02e-4, "tbgbsub": 1108, "tempeot": 300.15, "leffeot": 1,
	"weffeot": 10,
}

// derivedDefaults are defaults that copy another parameter (the drain side copies the
// source side, GISL copies GIDL, ...), applied in order.
var derivedDefaults = [][2]string{
	{"toxp", "toxe"}, {"toxm", "toxe"}, {"dsub", "drout"},
	{"agisl", "agidl"}, {"bgisl", "bgidl"}, {"cgisl", "cgidl"}, {"egisl", "egidl"},
	{"rgisl", "rgidl"}, {"kgisl", "kgidl"}, {"fgisl", "fgidl"},
	{"lagisl", "lagidl"}, {"lbgisl", "lbgidl"}, {"lcgisl", "lcgidl"}, {"legisl", "legidl"},
	{"lrgisl", "lrgidl"}, {"lkgisl", "lkgidl"}, {"lfgisl", "lfgidl"},
	{"wagisl", "wagidl"}, {"wbgisl", "wbgidl"}, {"wcgisl", "wcgidl"}, {"wegisl", "wegidl"},
	{"wrgisl", "wrgidl"}, {"wkgisl", "wkgidl"}, {"wfgisl", "wfgidl"},
	{"pagisl", "pagidl"}, {"pbgisl", "pbgidl"}, {"pcgisl", "pcgidl"}, {"pegisl", "pegidl"},
	{"prgisl", "prgidl"}, {"pkgisl", "pkgidl"}, {"pfgisl", "pfgidl"},
	{"ijthdfwd", "ijthsfwd"}, {"ijthdrev", "ijthsrev"}, {"xjbvd", "xjbvs"}, {"bvd", "bvs"},
	{"ckappad", "ckappas"}, {"dmci", "dmcg"},
	{"llc", "ll"}, {"lwc", "lw"}, {"lwlc", "lwl"}, {"wlc", "wl"}, {"wwc", "ww"}, {"wwlc", "wwl"},
	{"dwc", "wint"}, {"dlc", "lint"}, {"dlcig", "lint"}, {"dlcigd", "dlcig"}, {"dwj", "dwc"},
	{"cjd", "cjs"}, {"cjswd", "cjsws"}, {"cjswgs", "cjsws"}, {"cjswgd", "cjswgs"},
	{"jsd", "jss"}, {"jswd", "jsws"}, {"jswgd", "jswgs"},
	{"pbd", "pbs"}, {"pbswd", "pbsws"}, {"pbswgs", "pbsws"}, {"pbswgd", "pbswgs"},
	{"mjd", "mjs"}, {"mjswd", "mjsws"}, {"mjswgs", "mjsws"}, {"mjswgd", "mjswgs"},
	{"njd", "njs"}, {"xtid", "xtis"},
	{"jtsd", "jtss"}, {"jtsswd", "jtssws"}, {"jtsswgd", "jtsswgs"},
	{"njtsd", "njts"}, {"njtsswd", "njtssw"}, {"njtsswgd", "njtsswg"},
	{"xtsd", "xtss"}, {"xtsswd", "xtssws"}, {"xtsswgd", "xtsswgs"},
	{"tnjtsd", "tnjts"}, {"tnjtsswd", "tnjtssw"}, {"tnjtsswgd", "tnjtsswg"},
	{"vtsd", "vtss"}, {"vtsswd", "vtssws"}, {"vtsswgd", "vtsswgs"},
}

// resolve fills in every default of the card, so that later reads find a value.
func (c *card) resolve() {
	set := func(name string, v float64) {
		if !c.given[name] {
			c.v[name] = v
		}
	}
	for n, v := range baseDefaults {
		set(n, v)
	}
	if c.version < 48 {
		set("fgidl", 0) // 1 from BSIM4.8.0 on
	}
	if c.version < 46 {
		// ngspice 39's BSIM4 before 4.6 (4.3 to 4.5) defaults the Coulomb scattering
		// coefficient to 1e14, from 4.6 on to 0 (measured: gain_stage.cir's gm 2.9e-5
		// apart with version=4.3.0, equal with ud given)
		set("ud", 1e14)
	}
	mob := c.v["mobmod"]
	set("vth0", c.typ(0.7, -0.7))
	set("u0", c.typ(0.067, 0.025))
	set("eu", c.typ(1.67, 1.0))
	set("ucs", c.typ(1.67, 1.0))
	if mob == 2 {
		set("ua", 1e-15)
	} else {
		set("ua", 1e-9)
	}
	if mob == 1 {
		set("uc", -0.0465)
		set("uc1", -0.056)
	} else {
		set("uc", -0.0465e-9)
		set("uc1", -0.056e-9)
	}
	set("vddeot", c.typ(1.5, -1.5))
	set("aigc", c.typ(1.36e-2, 9.80e-3))
	set("bigc", c.typ(1.71e-3, 7.59e-4))
	set("cigc", c.typ(0.075, 0.03))
	// aigsd, when given, sets both aigs and aigd; otherwise each has the type's default.
	for _, g := range [][4]string{{"aigsd", "aigs", "aigd", ""}, {"bigsd", "bigs", "bigd", ""}, {"cigsd", "cigs", "cigd", ""}} {
		var def float64
		switch g[0] {
		case "aigsd":
			def = c.typ(1.36e-2, 9.80e-3)
		case "bigsd":
			def = c.typ(1.71e-3, 7.59e-4)
		default:
			def = c.typ(0.075, 0.03)
		}
		if c.given[g[0]] {
			c.v[g[1]], c.v[g[2]] = c.v[g[0]], c.v[g[0]]
		} else {
			set(g[1], def)
			set(g[2], def)
		}
		for _, pre := range []string{"l", "w", "p"} {
			if c.given[g[0]] || (!c.given[g[1]] && !c.given[g[2]]) {
				c.v[pre+g[1]], c.v[pre+g[2]] = c.v[pre+g[0]], c.v[pre+g[0]]
			}
		}
	}
	// The fringing capacitance's default is the manual's 2 epsrox eps0/pi ln(1 + 0.4 um/toxe),
	// except that ngspice 39's BSIM4.8 gives a mtrlmod 1 card none (measured: its
	// admittances are those of cf=0; its 4.6 and 4.7 keep the formula).
	if c.version >= 48 && c.v["mtrlmod"] == 1 {
		set("cf", 0)
	} else {
		set("cf", 2*c.v["epsrox"]*eps0/math.Pi*math.Log(1+0.4e-6/c.v["toxe"]))
	}
	for _, d := range derivedDefaults {
		set(d[0], c.v[d[1]])
	}
}
