package devices

import "math"

// Boltzmann's constant over the charge as the VBIC 1.2 definition (and so ngspice's VBIC)
// has them, which differ from gospice's other devices in the fifth digit.
const (
	vbicBoltzmann = 1.380662e-23
	vbicCharge    = 1.602189e-19
)

// vbicAtT is what the VBIC's temperature mapping changes: the values at one device
// temperature. As vduals, they carry their derivative by the temperature rise of
// self-heating.
type vbicAtT struct {
	vtv                                            vdual // thermal voltage
	is, isrr, isp, ibei, iben, ibci, ibcn          vdual
	ibeip, ibenp, ibcip, ibcnp                     vdual
	nf, nr, avc2, vbbe, nbbe, ebbe                 vdual
	pe, pc, ps, cje, cjc, cjep, cjcp               vdual
	gamm, vo, ikf, rcx, rci, rbx, rbi, re, rs, rbp vdual
}

// nominal is the model's values at tnom, where the mapping starts.
func (m *vbicModel) nominal() vbicAtT {
	return vbicAtT{
		is: vc(m.is), isrr: vc(m.isrr), isp: vc(m.isp), ibei: vc(m.ibei), iben: vc(m.iben),
		ibci: vc(m.ibci), ibcn: vc(m.ibcn), ibeip: vc(m.ibeip), ibenp: vc(m.ibenp),
		ibcip: vc(m.ibcip), ibcnp: vc(m.ibcnp), nf: vc(m.nf), nr: vc(m.nr), avc2: vc(m.avc2),
		vbbe: vc(m.vbbe), nbbe: vc(m.nbbe), ebbe: vc(m.ebbe), pe: vc(m.pe), pc: vc(m.pc),
		ps: vc(m.ps), cje: vc(m.cje), cjc: vc(m.cjc), cjep: vc(m.cjep), cjcp: vc(m.cjcp),
		gamm: vc(m.gamm), vo: vc(m.vo), ikf: vc(m.ikf), rcx: vc(m.rcx), rci: vc(m.rci),
		rbx: vc(m.rbx), rbi: vc(m.rbi), re: vc(m.re), rs: vc(m.rs), rbp: vc(m.rbp),
	}
}

// mapTemp is the VBIC 1.2 temperature mapping of the values n, which hold at tini
// (kelvin), to tdev. The device's ambient values are the model's mapped from tnom;
// under self-heating ngspice maps those once more, from the ambient temperature to the
// ambient plus the thermal node's rise, and so does gospice (the two steps do not
// compose exactly into one for nf, nr and the built-in potentials).
func (m *vbicModel) mapTemp(n *vbicAtT, tini float64, tdev vdual) vbicAtT {
	var t vbicAtT
	vtv := tdev.scale(vbicBoltzmann / vbicCharge)
	rT := tdev.scale(1 / tini)
	dT := tdev.plus(-tini)
	t.vtv = vtv
	one := vc(1)
	pw := func(k float64) vdual { return vpow(rT, k) }

	t.ikf = pw(m.xikf).scale(n.ikf.v)
	t.rcx = pw(m.xrcx).scale(n.rcx.v)
	t.rci = pw(m.xrci).scale(n.rci.v)
	t.rbx = pw(m.xrbx).scale(n.rbx.v)
	t.rbi = pw(m.xrbi).scale(n.rbi.v)
	t.re = pw(m.xre).scale(n.re.v)
	t.rs = pw(m.xrs).scale(n.rs.v)
	t.rbp = pw(m.xrbp).scale(n.rbp.v)

	// A saturation current scales as (rT^x exp(-ea (1 - rT)/vtv))^(1/n).
	sat := func(i0, x, ea, emis float64) vdual {
		arg := one.sub(rT).scale(-ea).div(vtv)
		return vpow(pw(x).mul(vexp(arg)), 1/emis).scale(i0)
	}
	t.is = sat(n.is.v, m.xis, m.ea, n.nf.v)
	t.isrr = sat(n.isrr.v, m.xisr, m.dear, n.nr.v)
	t.isp = sat(n.isp.v, m.xis, m.eap, m.nfp)
	t.ibei = sat(n.ibei.v, m.xii, m.eaie, m.nei)
	t.iben = sat(n.iben.v, m.xin, m.eane, m.nen)
	t.ibci = sat(n.ibci.v, m.xii, m.eaic, m.nci)
	t.ibcn = sat(n.ibcn.v, m.xin, m.eanc, m.ncn)
	t.ibeip = sat(n.ibeip.v, m.xii, m.eaic, m.nci)
	t.ibenp = sat(n.ibenp.v, m.xin, m.eanc, m.ncn)
	t.ibcip = sat(n.ibcip.v, m.xii, m.eais, m.ncip)
	t.ibcnp = sat(n.ibcnp.v, m.xin, m.eans, m.ncnp)

	t.nf = dT.scale(m.tnf).plus(1).scale(n.nf.v)
	t.nr = dT.scale(m.tnf).plus(1).scale(n.nr.v)
	t.avc2 = dT.scale(m.tavc).plus(1).scale(n.avc2.v)
	t.vbbe = dT.scale(m.tvbbe2).plus(m.tvbbe1).mul(dT).plus(1).scale(n.vbbe.v)
	t.nbbe = dT.scale(m.tnbbe).plus(1).scale(n.nbbe.v)

	t.pe = vbicPsibi(n.pe.v, m.eaie, vtv, rT)
	t.pc = vbicPsibi(n.pc.v, m.eaic, vtv, rT)
	t.ps = vbicPsibi(n.ps.v, m.eais, vtv, rT)
	t.cje = vpow(vc(n.pe.v).div(t.pe), m.me).scale(n.cje.v)
	t.cjc = vpow(vc(n.pc.v).div(t.pc), m.mc).scale(n.cjc.v)
	t.cjep = vpow(vc(n.pc.v).div(t.pc), m.mc).scale(n.cjep.v)
	t.cjcp = vpow(vc(n.ps.v).div(t.ps), m.ms).scale(n.cjcp.v)

	t.gamm = pw(m.xis).mul(vexp(one.sub(rT).scale(-m.ea).div(vtv))).scale(n.gamm.v)
	t.vo = pw(m.xvo).scale(n.vo.v)
	t.ebbe = vexp(t.vbbe.div(t.nbbe.mul(vtv)).scale(-1))
	return t
}

// vbicPsibi maps a built-in potential p from tini to rT times tini: the intrinsic
// carrier density's change with the band gap ea, smoothed so that the potential stays
// positive at high temperature.
func vbicPsibi(p, ea float64, vtv, rT vdual) vdual {
	a := rT.scale(0.5 * p).div(vtv)
	psiio := vtv.div(rT).scale(2).mul(vlog(vexp(a).sub(vexp(a.scale(-1)))))
	psiin := psiio.mul(rT).sub(vtv.mul(vlog(rT)).scale(3)).sub(rT.plus(-1).scale(ea))
	root := vsqrt(vexp(psiin.div(vtv).scale(-1)).scale(4).plus(1))
	return psiin.add(vtv.mul(vlog(root.plus(1).scale(0.5))).scale(2))
}

// vbicVcrit is the junction voltage above which ngspice limits the Newton steps of
// every VBIC junction: from the model's is and the instance's area and multiplier at
// the device temperature (kelvin).
func vbicVcrit(is, scale, temp float64) float64 {
	vt := temp * bjtKOverQ
	return vt * math.Log(vt/(math.Sqrt2*is*scale))
}
