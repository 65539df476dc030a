// Package bsim4 is the BSIM4 MOSFET (ngspice's level 14 and 54), written from the BSIM4
// manual's equations with ngspice's BSIM4 (4.8; 4.5 and 4.7 cards accepted) as the
// reference for results. Every current and charge is evaluated with its exact
// derivatives by forward-mode differentiation (dl), so that Newton converges
// quadratically.
package bsim4

import (
	"fmt"
	"math"
	"strings"

	"github.com/gospice/gospice/devices"
	"github.com/gospice/gospice/mna"
	"github.com/gospice/gospice/parser"
)

func init() {
	devices.RegisterMOSLevel(New, UnusedParams, 14, 54)
}

// Terminal slots of Device.n and Device.h: the intrinsic nodes first.
const (
	tD  = iota // internal drain d'
	tG         // internal gate g'
	tS         // internal source s'
	tB         // internal body b'
	tDB        // drain-side body (rbodymod)
	tSB        // source-side body
	tDx        // external drain
	tGx        // external gate
	tSx        // external source
	tBx        // external body
	tGM        // gate mid node (rgatemod 3)
	tQ         // the charge-deficit node (trnqsmod 1)
	nSlots
)

// Device is one BSIM4 transistor as built: its parameters at its size and temperature,
// its nodes and matrix entries. It never changes after Setup; Run holds a run's state.
type Device struct {
	name  string
	nodes [4]string
	mc    modelConsts
	// p is shared by every device of the same card and size (devices.Env.Shared), and
	// read only: one copy stays in the cache for the many transistors of a gate library.
	p     *sizeParams
	nf, m float64

	version                           int // 45, 47, 48: the BSIM4 version's equations
	lambdaGiven, vtlGiven, pigcdGiven bool
	ados, bdos                        float64
	jd, js                            junction
	vcrit                             float64

	gdr, gsr                          float64 // drain and source diffusion conductances (rsh nrd); 0: none
	rgatemod                          int
	grgeltd                           float64
	rbodymod                          int
	grbpd, grbps, grbpb, grbdb, grbsb float64
	trnqs, acnqs                      bool    // trnqsmod 1, acnqsmod 1
	coxWL                             float64 // coxe weffCV leffCV nf: the NQS relaxation rate is gcrg/coxWL
	noise                             noiseModel

	by *bypassTol // ngspice's device bypass, nil (off, its default) unless SetBypass turns it on

	off     bool
	ic      [3]float64 // vds, vgs, vbs
	icGiven bool

	n [nSlots]int
	h [nSlots][nSlots]mna.Handle
}

// instanceNames are the instance parameters a BSIM4 element accepts.
var instanceNames = strings.Fields(`l w m nf sa sb sd sca scb scc sc ad as pd ps nrd nrs
delvto mulu0 rbdb rbsb rbpb rbps rbpd rgatemod rbodymod geomod rgeomod min trnqsmod
acnqsmod xgw ngcon ic`)

// New builds a BSIM4 device from an element whose model card is level 14 or 54.
func New(e *parser.Element, card *parser.Model, env devices.Env) (devices.Device, error) {
	errf := func(format string, args ...any) error {
		return parser.Errorf(e.Pos, "%s: %s (model %s)", e.Name, fmt.Sprintf(format, args...), card.Name)
	}
	if v := card.Version; v != "" && !strings.HasPrefix(v, "4.") {
		return nil, parser.Errorf(card.VersionPos, "BSIM4 version %q is not supported (4.5, 4.7, 4.8 are)", v)
	}
	temp := env.Temp + ctok
	sm, err := env.Shared(modelKey{card, temp, env.TNom + ctok}, func() (any, error) {
		return newModel(card, temp, env.TNom+ctok)
	})
	if err != nil {
		return nil, err
	}
	mod := sm.(*model)
	c := mod.c
	inst := map[string]float64{}
	given := map[string]bool{}
	for _, p := range e.Params() {
		ok := false
		for _, n := range instanceNames {
			if p.Name == n {
				ok = true
			}
		}
		if !ok {
			msg := fmt.Sprintf("%s: unknown BSIM4 instance parameter %q", e.Name, p.Name)
			if best := parser.Nearest(p.Name, instanceNames, max(2, len(p.Name)/2)); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
			return nil, parser.Errorf(p.Pos, "%s", msg)
		}
		inst[p.Name] = p.Value
		given[p.Name] = true
	}
	get := func(n string, def float64) float64 {
		if given[n] {
			return inst[n]
		}
		return def
	}
	d := &Device{name: e.Name}
	copy(d.nodes[:], e.Nodes)
	for _, a := range e.Args() {
		if a.IsNumber || a.Word != "off" {
			return nil, parser.Errorf(a.Pos, "%s: unexpected %q", e.Name, a.Word)
		}
		d.off = true
	}
	if icp, ok := e.Param("ic"); ok {
		list := icp.List
		if list == nil {
			list = []float64{icp.Value}
		}
		for k := range min(len(list), 3) {
			d.ic[k] = list[k]
		}
		d.icGiven = true
	}
	g := instanceGeom{
		l: get("l", 5e-6), w: get("w", 5e-6), nf: get("nf", 1), m: get("m", 1),
		sa: get("sa", 0), sb: get("sb", 0), sd: get("sd", 2*c.v["dmcg"]),
		sca: get("sca", 0), scb: get("scb", 0), scc: get("scc", 0), sc: get("sc", 0),
		delvto: get("delvto", 0), mulu0: get("mulu0", 1),
		scaGiven: given["sca"], scbGiven: given["scb"], sccGiven: given["scc"], scGiven: given["sc"],
	}
	if !(g.l > 0) || !(g.w > 0) || !(g.nf >= 1) || !(g.m > 0) {
		return nil, errf("l, w and m must be positive and nf at least 1 (l=%g w=%g nf=%g m=%g)", g.l, g.w, g.nf, g.m)
	}
	if mod.constsErr != nil {
		return nil, errf("%v", mod.constsErr)
	}
	d.mc = mod.mc
	sp, err := env.Shared(sizeKey{card, temp, env.TNom + ctok, g}, func() (any, error) {
		p, err := c.size(&mod.mc, &g)
		if err == nil && c.version < 48 && mod.mc.mat.mtrlmod && !mod.mc.mat.compat {
			// ngspice's BSIM4.6 and 4.7 keep the toxp extracted from eot on the model,
			// where the instance its temperature pass visits last leaves it: the
			// netlist's first (ngspice lists a model's instances newest first).
			first, _ := env.Shared(eotKey{card, temp, env.TNom + ctok}, func() (any, error) { return p.toxp, nil })
			p.setToxp(&mod.mc, first.(float64))
		}
		return &p, err
	})
	if err != nil {
		return nil, errf("%v", err)
	}
	d.p = sp.(*sizeParams)
	d.nf, d.m = g.nf, g.m
	if mod.noiseErr != nil {
		return nil, errf("%v", mod.noiseErr)
	}
	d.noise = mod.noise
	d.version = c.version
	d.lambdaGiven, d.vtlGiven, d.pigcdGiven = c.has("lambda"), c.has("vtl"), c.has("pigcd")
	d.ados, d.bdos = c.v["ados"], c.v["bdos"]
	d.vcrit = vt0 * math.Log(vt0/(math.Sqrt2*1e-14))

	// Modes of this instance.
	d.rgatemod = int(get("rgatemod", c.v["rgatemod"]))
	d.rbodymod = int(get("rbodymod", c.v["rbodymod"]))
	trnqs := int(get("trnqsmod", c.v["trnqsmod"]))
	acnqs := int(get("acnqsmod", c.v["acnqsmod"]))
	switch {
	case d.rgatemod < 0 || d.rgatemod > 3:
		return nil, errf("rgatemod=%d is not one of 0..3", d.rgatemod)
	case d.rbodymod < 0 || d.rbodymod > 2:
		return nil, errf("rbodymod=%d is not one of 0, 1, 2", d.rbodymod)
	case trnqs != 0 && trnqs != 1:
		return nil, errf("trnqsmod=%d is not 0 or 1", trnqs)
	case acnqs != 0 && acnqs != 1:
		return nil, errf("acnqsmod=%d is not 0 or 1", acnqs)
	}
	d.trnqs, d.acnqs = trnqs == 1, acnqs == 1
	d.coxWL = d.mc.coxe * d.p.weffCV * d.p.leffCV * d.nf
	if err := d.parasitics(c, &g, get, given, d.noise.tnoimod == 1 && env.HasAnalysis("noise")); err != nil {
		return nil, errf("%v", err)
	}
	return d, nil
}

// model is what every instance of a card shares at a temperature, made once per build
// (devices.Env.Shared) rather than once per instance: the card read with its defaults
// resolved, its constants and its noise model, or why they could not be made (reported
// by each instance, with its name). Nothing changes it after newModel.
type model struct {
	c                   *card
	mc                  modelConsts
	noise               noiseModel
	constsErr, noiseErr error
}

// modelKey and sizeKey are the keys of a build's shared models and size-dependent
// parameters: the card, the device and nominal temperatures (kelvin), and the size.
type modelKey struct {
	card       *parser.Model
	temp, tnom float64
}

type sizeKey struct {
	card       *parser.Model
	temp, tnom float64
	geom       instanceGeom
}

// eotKey keeps a card's toxp extracted from eot (mtrlmod 1) for BSIM4 4.6 and 4.7.
type eotKey modelKey

// newModel reads card and derives what its instances share at temp (tnom: the nominal
// temperature a card without tnom has).
func newModel(card *parser.Model, temp, tnom float64) (*model, error) {
	c, err := readCard(card)
	if err != nil {
		return nil, err
	}
	c.version = versionOf(card.Version)
	c.resolve()
	m := &model{c: c}
	m.mc, m.constsErr = c.consts(temp, tnom)
	if m.constsErr == nil {
		m.noise, m.noiseErr = c.noiseModel()
	}
	return m, nil
}

// vt0 is ngspice's CONSTvt0, the thermal voltage at 27 C, which the junction limiting uses.
const vt0 = 1.38064852e-23 * (27 + ctok) / 1.6021766208e-19

func (d *Device) Name() string { return d.name }

// versionOf reads a BSIM4 version ("4.5", "4.5.0", "4.7", "4.8.1") as major*10 + minor
// (45, 47, 48); a card without one is 4.8, as in ngspice 39.
func versionOf(v string) int {
	var major, minor int
	if _, err := fmt.Sscanf(v, "%d.%d", &major, &minor); err != nil || major != 4 {
		return 48
	}
	return 40 + minor
}
