package bsim4

// charges computes the intrinsic and overlap charges of the four intrinsic nodes.
func (d *Device) charges(v bias, o *dcOut, q *nodeSums) {
	*q = nodeSums{}
}
