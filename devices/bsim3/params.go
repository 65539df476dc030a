package bsim3

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gospice/gospice/parser"
)

// The binnable parameters: each has a value and length, width and cross-term
// coefficients (lxxx, wxxx, pxxx) that the size dependence adds as xxx + lxxx/Leff +
// wxxx/Weff + pxxx/(Leff Weff) (in microns with binunit=1).
const (
	bCdsc = iota
	bCdscb
	bCdscd
	bCit
	bNfactor
	bXj
	bVsat
	bAt
	bA0
	bAgs
	bA1
	bA2
	bKeta
	bNsub
	bNch
	bNgate
	bGamma1
	bGamma2
	bVbx
	bVbm
	bXt
	bK1
	bKt1
	bKt1l
	bKt2
	bK2
	bK3
	bK3b
	bW0
	bNlx
	bDvt0
	bDvt1
	bDvt2
	bDvt0w
	bDvt1w
	bDvt2w
	bDrout
	bDsub
	bVth0
	bUa
	bUa1
	bUb
	bUb1
	bUc
	bUc1
	bU0
	bUte
	bVoff
	bElm
	bDelta
	bRdsw
	bPrwg
	bPrwb
	bPrt
	bEta0
	bEtab
	bPclm
	bPdiblc1
	bPdiblc2
	bPdiblcb
	bPscbe1
	bPscbe2
	bPvag
	bWr
	bDwg
	bDwb
	bB0
	bB1
	bCgsl
	bCgdl
	bCkappa
	bCf
	bClc
	bCle
	bAlpha0
	bAlpha1
	bBeta0
	bVfbcv
	bVfb
	bAcde
	bMoin
	bNoff
	bVoffcv
	nBinned
)

// binnedSpec names each binnable parameter (an alias after a blank) with its default.
// Defaults that depend on other parameters (dsub, uc, uc1, u0, vth0, cf) are set by
// applyDefaults.
var binnedSpec = [nBinned]struct {
	names string
	def   float64
}{
	bCdsc: {"cdsc", 2.4e-4}, bCdscb: {"cdscb", 0}, bCdscd: {"cdscd", 0}, bCit: {"cit", 0},
	bNfactor: {"nfactor", 1}, bXj: {"xj", 0.15e-6}, bVsat: {"vsat", 8e4}, bAt: {"at", 3.3e4},
	bA0: {"a0", 1}, bAgs: {"ags", 0}, bA1: {"a1", 0}, bA2: {"a2", 1}, bKeta: {"keta", -0.047},
	bNsub: {"nsub", 6e16}, bNch: {"nch npeak", 1.7e17}, bNgate: {"ngate", 0},
	bGamma1: {"gamma1", 0}, bGamma2: {"gamma2", 0}, bVbx: {"vbx", 0}, bVbm: {"vbm", -3},
	bXt: {"xt", 1.55e-7}, bK1: {"k1", 0.53}, bKt1: {"kt1", -0.11}, bKt1l: {"kt1l", 0},
	bKt2: {"kt2", 0.022}, bK2: {"k2", -0.0186}, bK3: {"k3", 80}, bK3b: {"k3b", 0},
	bW0: {"w0", 2.5e-6}, bNlx: {"nlx", 1.74e-7}, bDvt0: {"dvt0", 2.2}, bDvt1: {"dvt1", 0.53},
	bDvt2: {"dvt2", -0.032}, bDvt0w: {"dvt0w", 0}, bDvt1w: {"dvt1w", 5.3e6},
	bDvt2w: {"dvt2w", -0.032}, bDrout: {"drout", 0.56}, bDsub: {"dsub", 0.56},
	bVth0: {"vth0 vtho", 0.7}, bUa: {"ua", 2.25e-9}, bUa1: {"ua1", 4.31e-9},
	bUb: {"ub", 5.87e-19}, bUb1: {"ub1", -7.61e-18}, bUc: {"uc", -0.0465e-9},
	bUc1: {"uc1", -0.056e-9}, bU0: {"u0", 0.067}, bUte: {"ute", -1.5}, bVoff: {"voff", -0.08},
	bElm: {"elm", 5}, bDelta: {"delta", 0.01}, bRdsw: {"rdsw", 0}, bPrwg: {"prwg", 0},
	bPrwb: {"prwb", 0}, bPrt: {"prt", 0}, bEta0: {"eta0", 0.08}, bEtab: {"etab", -0.07},
	bPclm: {"pclm", 1.3}, bPdiblc1: {"pdiblc1", 0.39}, bPdiblc2: {"pdiblc2", 0.0086},
	bPdiblcb: {"pdiblcb", 0}, bPscbe1: {"pscbe1", 4.24e8}, bPscbe2: {"pscbe2", 1e-5},
	bPvag: {"pvag", 0}, bWr: {"wr", 1}, bDwg: {"dwg", 0}, bDwb: {"dwb", 0}, bB0: {"b0", 0},
	bB1: {"b1", 0}, bCgsl: {"cgsl", 0}, bCgdl: {"cgdl", 0}, bCkappa: {"ckappa", 0.6},
	bCf: {"cf", 0}, bClc: {"clc", 0.1e-6}, bCle: {"cle", 0.6}, bAlpha0: {"alpha0", 0},
	bAlpha1: {"alpha1", 0}, bBeta0: {"beta0", 30}, bVfbcv: {"vfbcv", -1}, bVfb: {"vfb", -1},
	bAcde: {"acde", 1}, bMoin: {"moin", 15}, bNoff: {"noff", 1}, bVoffcv: {"voffcv", 0},
}

// The model parameters that are not binned.
const (
	mCapmod = iota
	mMobmod
	mNqsmod
	mAcnqsmod
	mAcm
	mBinunit
	mTox
	mToxm
	mTnom
	mCgso
	mCgdo
	mCgbo
	mXpart
	mRsh
	mJs
	mJsw
	mPb
	mNj
	mXti
	mMj
	mPbsw
	mMjsw
	mPbswg
	mMjswg
	mCj
	mCjsw
	mCjswg
	mTpb
	mTcj
	mTpbsw
	mTcjsw
	mTpbswg
	mTcjswg
	mIjth
	mLint
	mLl
	mLlc
	mLln
	mLw
	mLwc
	mLwn
	mLwl
	mLwlc
	mLmin
	mLmax
	mWint
	mWl
	mWlc
	mWln
	mWw
	mWwc
	mWwn
	mWwl
	mWwlc
	mWmin
	mWmax
	mDwc
	mDlc
	mXl
	mXw
	mLevel
	// The noise model (noise.go).
	mNoimod
	mKf
	mAf
	mEf
	mEm
	mNoia
	mNoib
	mNoic
	mLintnoi
	nModel
)

var modelSpec = [nModel]struct {
	names string
	def   float64
	doc   string
}{
	mCapmod:   {"capmod", 3, "charge model: 0, 1, 2 or 3"},
	mMobmod:   {"mobmod", 1, "mobility model: 1, 2 or 3"},
	mNqsmod:   {"nqsmod", 0, "transient non-quasi-static model: 0 or 1"},
	mAcnqsmod: {"acnqsmod", 0, "AC non-quasi-static model: 0 or 1"},
	mAcm:      {"acm", 0, "area calculation method (only 0)"},
	mBinunit:  {"binunit", 1, "bin unit: 1 microns, else meters"},
	mTox:      {"tox", 150e-10, "gate oxide thickness (m)"},
	mToxm:     {"toxm", 150e-10, "oxide thickness of the extraction (m; default tox)"},
	mTnom:     {"tnom", 27, "parameter measurement temperature (C)"},
	mCgso:     {"cgso", 0, "gate-source overlap capacitance per width (F/m)"},
	mCgdo:     {"cgdo", 0, "gate-drain overlap capacitance per width (F/m)"},
	mCgbo:     {"cgbo", 0, "gate-bulk overlap capacitance per length (F/m)"},
	mXpart:    {"xpart", 0, "channel charge partition: 0 is 40/60, 0.5 is 50/50, 1 is 0/100"},
	mRsh:      {"rsh", 0, "source-drain sheet resistance (ohm/sq)"},
	mJs:       {"js", 1e-4, "junction saturation current density (A/m^2)"},
	mJsw:      {"jsw", 0, "sidewall junction saturation current density (A/m)"},
	mPb:       {"pb", 1, "junction built-in potential (V)"},
	mNj:       {"nj", 1, "junction emission coefficient"},
	mXti:      {"xti", 3, "junction current temperature exponent"},
	mMj:       {"mj", 0.5, "bottom junction grading coefficient"},
	mPbsw:     {"pbsw", 1, "sidewall junction built-in potential (V)"},
	mMjsw:     {"mjsw", 0.33, "sidewall junction grading coefficient"},
	mPbswg:    {"pbswg", 1, "gate-side sidewall junction built-in potential (V; default pbsw)"},
	mMjswg:    {"mjswg", 0.33, "gate-side sidewall grading coefficient (default mjsw)"},
	mCj:       {"cj", 5e-4, "bottom junction capacitance per area (F/m^2)"},
	mCjsw:     {"cjsw", 5e-10, "sidewall junction capacitance per length (F/m)"},
	mCjswg:    {"cjswg", 5e-10, "gate-side sidewall junction capacitance per length (F/m; default cjsw)"},
	mTpb:      {"tpb", 0, "temperature coefficient of pb (V/K)"},
	mTcj:      {"tcj", 0, "temperature coefficient of cj (1/K)"},
	mTpbsw:    {"tpbsw", 0, "temperature coefficient of pbsw (V/K)"},
	mTcjsw:    {"tcjsw", 0, "temperature coefficient of cjsw (1/K)"},
	mTpbswg:   {"tpbswg", 0, "temperature coefficient of pbswg (V/K)"},
	mTcjswg:   {"tcjswg", 0, "temperature coefficient of cjswg (1/K)"},
	mIjth:     {"ijth", 0.1, "diode limiting current (A)"},
	mLint:     {"lint", 0, "length reduction (m)"},
	mLl:       {"ll", 0, "length reduction: length dependence"},
	mLlc:      {"llc", 0, "length reduction for C-V: length dependence (default ll)"},
	mLln:      {"lln", 1, "length reduction: length exponent"},
	mLw:       {"lw", 0, "length reduction: width dependence"},
	mLwc:      {"lwc", 0, "length reduction for C-V: width dependence (default lw)"},
	mLwn:      {"lwn", 1, "length reduction: width exponent"},
	mLwl:      {"lwl", 0, "length reduction: area dependence"},
	mLwlc:     {"lwlc", 0, "length reduction for C-V: area dependence (default lwl)"},
	mLmin:     {"lmin", 0, "smallest length of the model (m)"},
	mLmax:     {"lmax", 1, "largest length of the model (m)"},
	mWint:     {"wint", 0, "width reduction (m)"},
	mWl:       {"wl", 0, "width reduction: length dependence"},
	mWlc:      {"wlc", 0, "width reduction for C-V: length dependence (default wl)"},
	mWln:      {"wln", 1, "width reduction: length exponent"},
	mWw:       {"ww", 0, "width reduction: width dependence"},
	mWwc:      {"wwc", 0, "width reduction for C-V: width dependence (default ww)"},
	mWwn:      {"wwn", 1, "width reduction: width exponent"},
	mWwl:      {"wwl", 0, "width reduction: area dependence"},
	mWwlc:     {"wwlc", 0, "width reduction for C-V: area dependence (default wwl)"},
	mWmin:     {"wmin", 0, "smallest width of the model (m)"},
	mWmax:     {"wmax", 1, "largest width of the model (m)"},
	mDwc:      {"dwc", 0, "width offset for C-V (m; default wint)"},
	mDlc:      {"dlc", 0, "length offset for C-V (m; default lint)"},
	mXl:       {"xl", 0, "length offset of masking and etching (m)"},
	mXw:       {"xw", 0, "width offset of masking and etching (m)"},
	mLevel:    {"level", 8, "model level: 8 or 49"},
	mNoimod:   {"noimod", 1, "noise model: 1-4 (flicker SPICE2 or BSIM3, thermal SPICE2 or BSIM3)"},
	mKf:       {"kf", 0, "flicker noise coefficient (noimod 1, 4)"},
	mAf:       {"af", 1, "flicker noise exponent of the current (noimod 1, 4)"},
	mEf:       {"ef", 1, "flicker noise exponent of the frequency"},
	mEm:       {"em", 4.1e7, "saturation field of the flicker noise (V/m; noimod 2, 3)"},
	mNoia:     {"noia", 1e20, "oxide trap density A (noimod 2, 3; pmos default 9.9e18)"},
	mNoib:     {"noib", 5e4, "oxide trap density B (noimod 2, 3; pmos default 2.4e3)"},
	mNoic:     {"noic", -1.4e-12, "oxide trap density C (noimod 2, 3; pmos default 1.4e-12)"},
	mLintnoi:  {"lintnoi", 0, "length offset of the flicker noise's leff (m; noimod 2, 3; version 3.3)"},
}

// Unused lists the BSIM3 model parameters that gospice accepts, as ngspice does, but
// does not use: the parameter check, the ACM resistances (acm=0 only) and the
// safe-operating-area limits (and lintnoi in versions 3.2.x, New). `gospice check` lists
// the ones a netlist gives.
var Unused = strings.Fields(`paramchk calcacm
	hdif ldif ld rd rs rdc rsc wmlt
	vgs_max vgd_max vgb_max vds_max vbs_max vbd_max vgsr_max vgdr_max vgbr_max vbsr_max vbdr_max`)

// model is a BSIM3 model card read: the binned parameters (value, l, w, p) and the
// others, with which of them the card gives.
type model struct {
	typ        float64 // +1 nmos, -1 pmos
	bin        [4][nBinned]float64
	binGiven   [nBinned]bool
	m          [nModel]float64
	given      [nModel]bool
	unusedUsed []string // the Unused parameters the card gives
	v32        bool     // version 3.2.3 or 3.2.4 (ngspice's BSIM3v32)
}

// lookup finds a model parameter by name: its kind (binned coefficient 0-3, 4 for a
// plain model parameter, 5 for an unused one, 6 for l and w, the instances' defaults)
// and index.
func lookup(name string) (kind, idx int, ok bool) {
	if i, ok := modelIndex[name]; ok {
		return 4, i, true
	}
	if i, ok := binnedIndex[name]; ok {
		return 0, i, true
	}
	if len(name) > 1 {
		if k := strings.IndexByte("lwp", name[0]); k >= 0 {
			if i, ok := binnedIndex[name[1:]]; ok {
				return k + 1, i, true
			}
		}
	}
	for _, u := range Unused {
		if u == name {
			return 5, 0, true
		}
	}
	if name == "l" || name == "w" {
		return 6, 0, true
	}
	return 0, 0, false
}

var binnedIndex, modelIndex = func() (map[string]int, map[string]int) {
	b, m := map[string]int{}, map[string]int{}
	for i, s := range binnedSpec {
		for _, n := range strings.Fields(s.names) {
			b[n] = i
		}
	}
	for i, s := range modelSpec {
		m[s.names] = i
	}
	return b, m
}()

// ModelNames lists every model parameter name BSIM3 accepts, sorted.
func ModelNames() []string {
	var names []string
	for _, s := range binnedSpec {
		for _, n := range strings.Fields(s.names) {
			names = append(names, n, "l"+n, "w"+n, "p"+n)
		}
	}
	for _, s := range modelSpec {
		names = append(names, s.names)
	}
	names = append(names, Unused...)
	names = append(names, "l", "w")
	sort.Strings(names)
	return names
}

// readModel reads a model card: defaults first, then the card's values, then the
// defaults that depend on other parameters, as ngspice's b3set.c sets them.
func readModel(card *parser.Model, where string) (*model, error) {
	md := &model{typ: 1}
	if card.Type == "pmos" {
		md.typ = -1
	}
	for i, s := range binnedSpec {
		md.bin[0][i] = s.def
	}
	for i, s := range modelSpec {
		md.m[i] = s.def
	}
	for _, pr := range card.Params {
		kind, idx, ok := lookup(pr.Name)
		if !ok {
			return nil, parser.Errorf(pr.Pos, "unknown BSIM3 model parameter %q (%s)%s", pr.Name, where, suggest(pr.Name))
		}
		v := pr.Value
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, parser.Errorf(pr.Pos, "BSIM3 model parameter %s must be finite (%s)", pr.Name, where)
		}
		switch kind {
		case 6: // l and w: the instances' defaults, which readInstance takes
		case 4:
			md.m[idx], md.given[idx] = v, true
		case 5:
			md.unusedUsed = append(md.unusedUsed, pr.Name)
		default:
			md.bin[kind][idx] = v
			if kind == 0 {
				md.binGiven[idx] = true
			}
		}
	}
	return md, md.applyDefaults(card, where)
}

// suggest returns `; did you mean "x"?` for the known name nearest to name, if any.
func suggest(name string) string {
	best := parser.Nearest(name, ModelNames(), max(2, len(name)/2))
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// applyDefaults sets the defaults that depend on other parameters, scales what ngspice
// scales on reading, and checks the switches.
func (md *model) applyDefaults(card *parser.Model, where string) error {
	b, m := &md.bin[0], &md.m
	errf := func(format string, a ...any) error {
		return parser.Errorf(card.Pos, "BSIM3 model %s: %s (%s)", card.Name, fmt.Sprintf(format, a...), where)
	}
	for _, k := range []int{mCapmod, mMobmod, mNqsmod, mAcnqsmod, mAcm, mBinunit, mNoimod} {
		if m[k] != math.Trunc(m[k]) {
			return errf("%s must be an integer, got %g", modelSpec[k].names, m[k])
		}
	}
	switch {
	case m[mCapmod] < 0 || m[mCapmod] > 3:
		return errf("capmod must be 0, 1, 2 or 3, got %g", m[mCapmod])
	case m[mMobmod] < 1 || m[mMobmod] > 3:
		return errf("mobmod must be 1, 2 or 3, got %g", m[mMobmod])
	case m[mNqsmod] != 0 && m[mNqsmod] != 1:
		return errf("nqsmod must be 0 or 1, got %g", m[mNqsmod])
	case m[mAcnqsmod] != 0 && m[mAcnqsmod] != 1:
		return errf("acnqsmod must be 0 or 1, got %g", m[mAcnqsmod])
	case m[mNoimod] < 1 || m[mNoimod] > 4:
		return errf("noimod must be 1, 2, 3 or 4, got %g", m[mNoimod])
	case m[mAcm] != 0:
		return errf("acm=%g is not supported: only acm=0 (rsh times nrd, nrs; areas and perimeters as given)", m[mAcm])
	case !(m[mTox] > 0):
		return errf("tox must be positive, got %g", m[mTox])
	}
	if !md.binGiven[bDsub] {
		b[bDsub] = b[bDrout]
	}
	if !md.binGiven[bVth0] {
		b[bVth0] = 0.7 * md.typ
	}
	if !md.binGiven[bUc] && m[mMobmod] == 3 {
		b[bUc] = -0.0465
	}
	if !md.binGiven[bUc1] && m[mMobmod] == 3 {
		b[bUc1] = -0.056
	}
	if !md.binGiven[bU0] && md.typ < 0 {
		b[bU0] = 0.025
	}
	// ngspice reads densities given per m^3 as per cm^3.
	if b[bNch] > 1e20 {
		b[bNch] *= 1e-6
	}
	if b[bNgate] > 1e23 {
		b[bNgate] *= 1e-6
	}
	if !md.given[mToxm] {
		m[mToxm] = m[mTox]
	}
	cox := epsOx / m[mTox]
	inherit := func(k, from int) {
		if !md.given[k] {
			m[k] = m[from]
		}
	}
	inherit(mLlc, mLl)
	inherit(mLwc, mLw)
	inherit(mLwlc, mLwl)
	inherit(mWlc, mWl)
	inherit(mWwc, mWw)
	inherit(mWwlc, mWwl)
	inherit(mDwc, mWint)
	inherit(mDlc, mLint)
	inherit(mPbswg, mPbsw)
	inherit(mMjswg, mMjsw)
	inherit(mCjswg, mCjsw)
	if !md.binGiven[bCf] {
		b[bCf] = 2 * epsOx / math.Pi * math.Log(1+0.4e-6/m[mTox])
	}
	overlap := func(k, l int) {
		if md.given[k] {
			return
		}
		if md.given[mDlc] && m[mDlc] > 0 {
			m[k] = m[mDlc]*cox - b[l]
		} else {
			m[k] = 0.6 * b[bXj] * cox
		}
	}
	overlap(mCgdo, bCgdl)
	overlap(mCgso, bCgsl)
	if !md.given[mCgbo] {
		m[mCgbo] = 2 * m[mDwc] * cox
	}
	// Junction potentials below 0.1 V are raised to 0.1 V, as ngspice does (with a warning).
	for _, k := range []int{mPb, mPbsw, mPbswg} {
		m[k] = math.Max(m[k], 0.1)
	}
	return nil
}

// instance is what an M line gives a BSIM3 device.
type instance struct {
	l, w, m, ad, as, pd, ps, nrd, nrs, delvto, mulu0 float64
	off                                              bool
	nqsmod, acnqsmod                                 int // the instance's own, when given
	nqsGiven, acnqsGiven                             bool
	ic                                               [3]float64 // vds, vgs, vbs
	icGiven                                          [3]bool
}

// instanceNames are the instance parameters, with their defaults.
var instanceSpec = []struct {
	name string
	def  float64
}{
	{"l", 5e-6}, {"w", 5e-6}, {"m", 1}, {"ad", 0}, {"as", 0}, {"pd", 0}, {"ps", 0},
	{"nrd", 1}, {"nrs", 1}, {"delvto", 0}, {"mulu0", 1}, {"nqsmod", 0}, {"acnqsmod", 0},
	{"geo", 0}, {"ic", 0},
}

func readInstance(e *parser.Element, card *parser.Model) (*instance, error) {
	in := &instance{}
	vals := map[string]float64{}
	for _, s := range instanceSpec {
		vals[s.name] = s.def
	}
	// ngspice's front end takes l and w on a MOSFET card as the instances' defaults.
	for _, pr := range card.Params {
		if pr.Name == "l" || pr.Name == "w" {
			vals[pr.Name] = pr.Value
		}
	}
	for _, pr := range e.Params() {
		if _, ok := vals[pr.Name]; !ok {
			names := make([]string, len(instanceSpec))
			for i, s := range instanceSpec {
				names[i] = s.name
			}
			hint := ""
			if best := parser.Nearest(pr.Name, names, max(2, len(pr.Name)/2)); best != "" {
				hint = fmt.Sprintf("; did you mean %q?", best)
			}
			return nil, parser.Errorf(pr.Pos, "unknown BSIM3 instance parameter %q on %s%s", pr.Name, e.Name, hint)
		}
		if math.IsNaN(pr.Value) || math.IsInf(pr.Value, 0) {
			return nil, parser.Errorf(pr.Pos, "%s: parameter %s must be finite", e.Name, pr.Name)
		}
		vals[pr.Name] = pr.Value
		if pr.Name == "ic" {
			list := pr.List
			if list == nil {
				list = []float64{pr.Value}
			}
			for k := range min(len(list), 3) {
				in.ic[k], in.icGiven[k] = list[k], true
			}
		}
		if (pr.Name == "nqsmod" || pr.Name == "acnqsmod") && pr.Value != 0 && pr.Value != 1 {
			return nil, parser.Errorf(pr.Pos, "%s: %s must be 0 or 1, got %g", e.Name, pr.Name, pr.Value)
		}
		switch pr.Name {
		case "nqsmod":
			in.nqsmod, in.nqsGiven = int(pr.Value), true
		case "acnqsmod":
			in.acnqsmod, in.acnqsGiven = int(pr.Value), true
		}
	}
	in.l, in.w, in.m = vals["l"], vals["w"], vals["m"]
	in.ad, in.as, in.pd, in.ps = vals["ad"], vals["as"], vals["pd"], vals["ps"]
	in.nrd, in.nrs, in.delvto, in.mulu0 = vals["nrd"], vals["nrs"], vals["delvto"], vals["mulu0"]
	for _, a := range e.Args() {
		if a.IsNumber || a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q", e.Name, a.Word)
		}
		in.off = true
	}
	switch {
	case !(in.l > 0) || !(in.w > 0) || !(in.m > 0):
		return nil, parser.Errorf(e.Pos, "%s: l, w and m must be positive, got l=%g w=%g m=%g", e.Name, in.l, in.w, in.m)
	case in.ad < 0 || in.as < 0 || in.pd < 0 || in.ps < 0 || in.nrd < 0 || in.nrs < 0:
		return nil, parser.Errorf(e.Pos, "%s: ad, as, pd, ps, nrd and nrs must not be negative", e.Name)
	}
	return in, nil
}

// UnusedGiven lists the parameters of a BSIM3 model card (level 8 or 49) that gospice
// accepts but does not use (lintnoi too in versions 3.2.x), in card order; nil for any
// other card.
func UnusedGiven(card *parser.Model) []string {
	if card.Type != "nmos" && card.Type != "pmos" {
		return nil
	}
	isBSIM3 := false
	for _, pr := range card.Params {
		if pr.Name == "level" && (pr.Value == 8 || pr.Value == 49) {
			isBSIM3 = true
		}
	}
	if !isBSIM3 {
		return nil
	}
	var out []string
	for _, pr := range card.Params {
		if kind, idx, ok := lookup(pr.Name); ok && (kind == 5 || kind == 4 && idx == mLintnoi && isV32(card.Version)) {
			out = append(out, pr.Name)
		}
	}
	return out
}
