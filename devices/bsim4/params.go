package bsim4

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gospice/gospice/parser"
)

// The BSIM4 model parameters ngspice 39 reads (b4.c of BSIM4 4.8), by group. Every name is
// accepted on a level 14/54 card; a name no group holds is an error with a suggestion.

// binnedNames are the parameters with binning variants: lxxx, wxxx and pxxx add
// xxx_L/Leff + xxx_W/Weff + xxx_P/(Leff Weff) (in microns with binunit=1).
var binnedNames = strings.Fields(`
cdsc cdscb cdscd cit nfactor xj vsat at a0 ags a1 a2 keta nsub ndep nsd phin ngate
gamma1 gamma2 vbx vbm xt k1 kt1 kt1l kt2 k2 k3 k3b w0 dvtp0 dvtp1 dvtp2 dvtp3 dvtp4
dvtp5 lpe0 lpeb dvt0 dvt1 dvt2 dvt0w dvt1w dvt2w drout dsub vth0 ua ua1 ub ub1 uc uc1
ud ud1 up lp u0 ute ucste voff minv minvcv delta rdsw rsw rdw prwg prwb prt eta0 etab
pclm pdiblc1 pdiblc2 pdiblcb fprout pdits pditsd pscbe1 pscbe2 pvag wr dwg dwb b0 b1
cgsl cgdl ckappas ckappad cf clc cle alpha0 alpha1 beta0 agidl bgidl cgidl rgidl kgidl
fgidl egidl agisl bgisl cgisl rgisl kgisl fgisl egisl aigc bigc cigc aigsd bigsd cigsd
aigs bigs cigs aigd bigd cigd aigbacc bigbacc cigbacc aigbinv bigbinv cigbinv nigc
nigbinv nigbacc ntox eigbinv pigcd poxedge vfbcv vfb acde moin noff voffcv xrcrg1 xrcrg2
lambda vtl xn eu ucs vfbsdoff tvfbsdoff tvoff tnfactor teta0 tvoffcv ku0we kvth0we k2we`)

// plainNames are the model parameters without binning variants that gospice uses.
var plainNames = strings.Fields(`
capmod diomod rdsmod trnqsmod acnqsmod mobmod rbodymod rgatemod permod geomod rgeomod
igcmod igbmod tempmod gidlmod binunit mtrlmod mtrlcompatmod cvchargemod
toxe toxp toxm toxref dtox epsrox eot ados bdos tnom cgso cgdo cgbo xpart rsh rdswmin
vddeot tempeot leffeot weffeot phig epsrgate easub epsrsub ni0sub bg0sub tbgasub tbgbsub
rdwmin rswmin pditsl
jss jsws jswgs pbs njs xtis mjs pbsws mjsws pbswgs mjswgs cjs cjsws cjswgs
jsd jswd jswgd pbd njd xtid mjd pbswd mjswd pbswgd mjswgd cjd cjswd cjswgd
tpb tcj tpbsw tcjsw tpbswg tcjswg dmcg dmci dmdg dmcgt xgw xgl rshg ngcon lc voffl voffcvl
lint ll llc lln lw lwc lwn lwl lwlc wint wl wlc wln ww wwc wwn wwl wwlc dwc dlc xw xl
dlcig dlcigd dwj ijthdfwd ijthsfwd ijthdrev ijthsrev xjbvd xjbvs bvd bvs
jtss jtsd jtssws jtsswd jtsswgs jtsswgd jtweff njts njtssw njtsswg njtsd njtsswd njtsswgd
xtss xtsd xtssws xtsswd xtsswgs xtsswgd tnjts tnjtssw tnjtsswg tnjtsd tnjtsswd tnjtsswgd
vtss vtsd vtssws vtsswd vtsswgs vtsswgd
gbmin rbdb rbpb rbsb rbps rbpd rbps0 rbpsl rbpsw rbpsnf rbpd0 rbpdl rbpdw rbpdnf
rbpbx0 rbpbxl rbpbxw rbpbxnf rbpby0 rbpbyl rbpbyw rbpbynf rbsbx0 rbsby0 rbdbx0 rbdby0
rbsdbxl rbsdbxw rbsdbxnf rbsdbyl rbsdbyw rbsdbynf
saref sbref wlod ku0 kvsat kvth0 tku0 llodku0 wlodku0 llodvth wlodvth lku0 wku0 pku0
lkvth0 wkvth0 pkvth0 stk2 lodk2 steta0 lodeta0 web wec scref wpemod level`)

// noiseNames are the noise model's parameters (.noise): noise.go.
var noiseNames = strings.Fields(`fnoimod tnoimod noia noib noic em ef af kf lintnoi ntnoi
tnoia rnoia`)

// unusedNames are parameters ngspice reads that gospice accepts and does not use
// (tnoimod 2's noise (tnoib, rnoib ...), safe-operating-area checks, parameter checking, the
// binning ranges that select a card; minr, which SKY130's 20 V FET cards give and
// ngspice's BSIM4 ignores with a warning). UnusedParams lists those a card gives.
var unusedNames = strings.Fields(`
paramchk lmin lmax wmin wmax tnoib tnoic rnoib rnoic
gidlclamp idovvdsc vgs_max vgd_max vgb_max vds_max vbs_max vbd_max vgsr_max vgdr_max
vgbr_max vbsr_max vbdr_max nmos pmos minr`)

// aliases maps ngspice's other spellings to the canonical names.
var aliases = map[string]string{"vtho": "vth0", "lvtho": "lvth0", "wvtho": "wvth0", "pvtho": "pvth0"}

var (
	knownModel  map[string]bool // every accepted model parameter name
	unusedModel map[string]bool
	isBinned    map[string]bool
	allNames    []string // sorted, for suggestions
)

func init() {
	knownModel = map[string]bool{}
	unusedModel = map[string]bool{}
	isBinned = map[string]bool{}
	for _, n := range binnedNames {
		isBinned[n] = true
		for _, pre := range []string{"", "l", "w", "p"} {
			knownModel[pre+n] = true
		}
	}
	for _, n := range plainNames {
		knownModel[n] = true
	}
	for _, n := range noiseNames {
		knownModel[n] = true
	}
	for _, n := range unusedNames {
		knownModel[n] = true
		unusedModel[n] = true
	}
	for a := range aliases {
		knownModel[a] = true
	}
	for n := range knownModel {
		allNames = append(allNames, n)
	}
	sort.Strings(allNames)
}

// ModelNames lists every model parameter name a BSIM4 card accepts, sorted.
func ModelNames() []string { return append([]string(nil), allNames...) }

// card is a model card's values by canonical name, and which were given.
type card struct {
	v       map[string]float64
	given   map[string]bool
	nmos    bool
	version int // 45 for 4.5, 47, 48 ...: ngspice runs each version's own code
}

// readCard checks every name of a model card and keeps the values.
func readCard(m *parser.Model) (*card, error) {
	c := &card{v: map[string]float64{}, given: map[string]bool{}, nmos: m.Type == "nmos"}
	for _, p := range m.Params {
		name := p.Name
		if a, ok := aliases[name]; ok {
			name = a
		}
		if !knownModel[name] {
			msg := fmt.Sprintf("unknown BSIM4 model parameter %q (model %s)", p.Name, m.Name)
			if best := parser.Nearest(p.Name, allNames, max(2, len(p.Name)/2)); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
			return nil, parser.Errorf(p.Pos, "%s", msg)
		}
		c.v[name] = p.Value
		c.given[name] = true
	}
	return c, nil
}

// UnusedParams lists the parameters of a BSIM4 model card that gospice accepts but
// does not use (noise coefficients, operating-area limits ...), for gospice check.
func UnusedParams(m *parser.Model) []string {
	var out []string
	for _, p := range m.Params {
		if unusedModel[p.Name] {
			out = append(out, p.Name)
		}
	}
	return out
}

// get returns a parameter's value, or def when the card does not give it.
func (c *card) get(name string, def float64) float64 {
	if v, ok := c.given[name]; ok && v {
		return c.v[name]
	}
	return def
}

func (c *card) has(name string) bool { return c.given[name] }

// typ picks the n-channel or p-channel default.
func (c *card) typ(n, p float64) float64 {
	if c.nmos {
		return n
	}
	return p
}
