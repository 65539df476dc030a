package bsim3

import "math"

// fetLim is SPICE's limiting of a gate voltage's change near the threshold vto (ngspice's
// DEVfetlim).
func fetLim(vnew, vold, vto float64) float64 {
	vtsthi := math.Abs(2*(vold-vto)) + 2
	vtstlo := math.Abs(vold-vto) + 1
	vtox := vto + 3.5
	delv := vnew - vold
	switch {
	case vold >= vto && vold >= vtox:
		if delv <= 0 {
			if vnew >= vtox {
				if -delv > vtstlo {
					return vold - vtstlo
				}
				return vnew
			}
			return math.Max(vnew, vto+2)
		}
		if delv >= vtsthi {
			return vold + vtsthi
		}
		return vnew
	case vold >= vto:
		if delv <= 0 {
			return math.Max(vnew, vto-0.5)
		}
		return math.Min(vnew, vto+4)
	case delv <= 0:
		if -delv > vtsthi {
			return vold - vtsthi
		}
		return vnew
	case vnew <= vto+0.5:
		if delv > vtstlo {
			return vold + vtstlo
		}
		return vnew
	}
	return vto + 0.5
}

// limVDS is SPICE's limiting of a drain-source voltage's change (DEVlimvds).
func limVDS(vnew, vold float64) float64 {
	if vold >= 3.5 {
		if vnew > vold {
			return math.Min(vnew, 3*vold+2)
		}
		if vnew < 3.5 {
			return math.Max(vnew, 2)
		}
		return vnew
	}
	if vnew > vold {
		return math.Min(vnew, 4)
	}
	return math.Max(vnew, -0.5)
}

// pnjLim is SPICE's limiting of a junction voltage's change (DEVpnjlim, with the
// limiting of negative voltages).
func pnjLim(vnew, vold, vt, vcrit float64) float64 {
	if vnew > vcrit && math.Abs(vnew-vold) > 2*vt {
		if vold > 0 {
			if arg := (vnew - vold) / vt; arg > 0 {
				return vold + vt*(2+math.Log(arg-2))
			} else {
				return vold - vt*(2+math.Log(2-arg))
			}
		}
		return vt * math.Log(vnew/vt)
	}
	if vnew < 0 {
		arg := 2*vold - 1
		if vold > 0 {
			arg = -vold - 1
		}
		if vnew < arg {
			return arg
		}
	}
	return vnew
}
