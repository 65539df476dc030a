package devices

// Event links are devices whose effect on one part of a circuit depends on another part
// only through events that take effect a known time after they are emitted: a synapse
// watches its presynaptic node for spikes and, a delay later, changes the conductance it
// puts at its postsynaptic node. Two parts joined only by such links can be advanced
// apart, each with its own time step, exchanging the events at synchronization points
// no further apart than the shortest delay: every event that can act within an interval
// is then known before the interval is simulated.

// EventLink is implemented by devices that join parts of a circuit only through delayed
// events. As a whole (one circuit, one matrix) the device handles its own events: its run
// state detects them at accepted points and, as a Breakpointer, makes the transient land
// on the times they take effect.
type EventLink interface {
	Device
	// LinkNodes names the nodes the device reads to emit events (its sending side) and
	// those it loads (its receiving side); no node is on both sides.
	LinkNodes() (send, receive []string)
	// MinDelay is the least time from an event's emission to its first effect (> 0).
	MinDelay() float64
	// Split returns the two sides as devices of their own, for a circuit whose parts are
	// simulated apart: the sender loads nothing and its run state is an EventSender; the
	// receiver's run state is an EventReceiver (and a Breakpointer).
	Split() (sender, receiver Device)
}

// EventSender is the run state of a link's sending side.
type EventSender interface {
	// TakeEvents appends to dst the emission times, in time order, of the events emitted
	// at the accepted points since the last call, and returns it.
	TakeEvents(dst []float64) []float64
}

// EventReceiver is the run state of a link's receiving side.
type EventReceiver interface {
	// Deliver hands over an event emitted at time t. Events arrive in time order and
	// before the receiver's run passes t + MinDelay.
	Deliver(t float64)
}

// SharedLink is implemented by links whose sides several links can share when their parts
// are simulated apart, so that a block's cost grows with its nodes rather than with the
// links that touch them: links with equal SendKey read the same node the same way, and
// one of their senders serves them all; links with equal ReceiveKey load the same node
// alike, and SharedReceiver carries them all in one device.
type SharedLink interface {
	EventLink
	SendKey() string
	ReceiveKey() string
	// SharedReceiver returns one receiving side for group (links of this link's
	// ReceiveKey, in order); its run state is an EventPorts whose Port(i) receives the
	// events of group[i], and a Breakpointer.
	SharedReceiver(group []SharedLink) Device
}

// EventPorts is the run state of a receiving side shared by several links.
type EventPorts interface {
	// Port returns the receiver of the events of the i-th link of the group.
	Port(i int) EventReceiver
}
