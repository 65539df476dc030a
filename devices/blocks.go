package devices

// block hands out values of T from arrays made for many at a time: a large netlist's
// hundreds of thousands of resistors and capacitors are then a few hundred allocations,
// not one each. Its arrays grow from a few values to blockMax, so that a small circuit
// keeps little that it does not use.
type block[T any] struct {
	free []T
	size int // the length of the last array made
}

// blockMin and blockMax bound the length of a block's arrays.
const (
	blockMin = 8
	blockMax = 1024
)

// take returns a zero T from the block.
func (b *block[T]) take() *T {
	if len(b.free) == 0 {
		b.size = min(max(2*b.size, blockMin), blockMax)
		b.free = make([]T, b.size)
	}
	v := &b.free[0]
	b.free = b.free[1:]
	return v
}

// deviceBlocks are the blocks of one Build's most common devices.
type deviceBlocks struct {
	resistors  block[Resistor]
	capacitors block[Capacitor]
}

// newResistorValue is a zero Resistor, from the blocks of env's Build when it has them.
func (env Env) newResistorValue() *Resistor {
	if env.blocks == nil {
		return new(Resistor)
	}
	return env.blocks.resistors.take()
}

// newCapacitorValue is a zero Capacitor, from the blocks of env's Build when it has them.
func (env Env) newCapacitorValue() *Capacitor {
	if env.blocks == nil {
		return new(Capacitor)
	}
	return env.blocks.capacitors.take()
}
