package devices

import "testing"

// TestMOS2Jacobian compares level 2's G with finite differences of F in every region of
// its current: cut-off, weak inversion (nfs), linear and saturated, with velocity
// saturation and with channel-length modulation from nsub or lambda, both modes, n and
// p, forward and reverse bulk bias. Its conductances are central differences of its
// current, so this checks how they are put together (modes, frames, stamps).
func TestMOS2Jacobian(t *testing.T) {
	models := ".model n1 nmos level=2 vto=0.7 kp=50u gamma=0.5 phi=0.7 tox=20n nsub=1e16 ucrit=2e4 uexp=0.15\n" +
		"+ vmax=5e4 neff=2 nfs=1e11 xj=0.2u delta=0.5 ld=0.1u rd=10 rs=5\n" +
		".model n2 nmos level=2 vto=0.6 kp=40u gamma=0.4 phi=0.65 tox=25n nsub=3e16 xj=0.3u rd=10 rs=5\n" +
		".model p1 pmos level=2 vto=-0.8 kp=20u gamma=0.45 phi=0.7 tox=20n lambda=0.02 ld=0.15u nfs=2e11 rd=10 rs=5\n"
	checkMOSJacobians(t, models, []mosJacobianCase{
		{"cut off", "n2", 2, 0.2, 0, 0},
		{"weak inversion, saturated", "n1", 2, 0.75, 0, 0},
		{"weak inversion, linear", "n1", 0.03, 0.75, 0, -0.5},
		{"linear, vmax", "n1", 0.3, 2.5, 0, -1},
		{"saturated, vmax", "n1", 4, 2, 0, -1},
		{"saturated, nsub", "n2", 4, 2, 0.3, -0.5},
		{"forward bulk", "n2", 3, 2, 0, 0.3},
		{"reversed", "n1", -2, 1, 0, -2.5},
		{"p saturated", "p1", 0, 1, 4, 4.3},
		{"p linear reversed", "p1", 3, 0, 2.8, 3.5},
	})
}
